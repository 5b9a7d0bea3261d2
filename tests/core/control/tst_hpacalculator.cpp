#include "control/hpacalculator.h"

#include <QStringList>
#include <QTest>
#include <algorithm>
#include <utility>

using namespace headroom::control::hpa;

namespace {

// Every pod has a 1000m request unless a row says otherwise, and the target is 50 %, so a pod
// using 500m is exactly on target and "ratio" below is usage / 500m averaged over counted pods.
constexpr double kRequestM = 1000.0;

struct Case
{
    Spec spec;
    int current = 0;
    std::vector<PodInfo> pods;
    History history;
};

// Pods long past the CPU initialization period, Ready for an hour, with a 5 s old sample.
class Pods
{
public:
    Pods &running(int count, double usageM, double requestM = kRequestM)
    {
        for (int i = 0; i < count; ++i)
            add(usageM, requestM);
        return *this;
    }
    Pods &pending()
    {
        PodInfo &pod = add(0.0, kRequestM);
        pod.phase = PodInfo::Phase::Pending;
        pod.ready = false;
        pod.cpuUsageM.reset();
        return *this;
    }
    Pods &missing(double requestM = kRequestM)
    {
        add(0.0, requestM).cpuUsageM.reset();
        return *this;
    }
    // Unready, last transition 10 s after start: it never became Ready within the 30 s delay.
    Pods &neverReady(double usageM)
    {
        PodInfo &pod = add(usageM, kRequestM);
        pod.ready = false;
        pod.readyTransitionSAgo = pod.startSAgo - 10.0;
        return *this;
    }
    // Unready now, but it was Ready for most of its life (transition 100 s ago).
    Pods &flapped(double usageM)
    {
        PodInfo &pod = add(usageM, kRequestM);
        pod.ready = false;
        pod.readyTransitionSAgo = 100.0;
        return *this;
    }
    // Started 60 s ago (inside the 300 s CPU initialization period), Ready since readySAgo.
    Pods &fresh(double usageM, double readySAgo)
    {
        PodInfo &pod = add(usageM, kRequestM);
        pod.startSAgo = 60.0;
        pod.readyTransitionSAgo = readySAgo;
        return *this;
    }
    Pods &deleting(double usageM)
    {
        add(usageM, kRequestM).deleting = true;
        return *this;
    }
    Pods &failed(double usageM)
    {
        PodInfo &pod = add(usageM, kRequestM);
        pod.phase = PodInfo::Phase::Failed;
        pod.ready = false;
        return *this;
    }
    std::vector<PodInfo> list() const { return pods; }

private:
    PodInfo &add(double usageM, double requestM)
    {
        PodInfo pod;
        pod.name = "pod-" + std::to_string(pods.size());
        pod.cpuRequestM = requestM;
        pod.cpuUsageM = usageM;
        pod.startSAgo = 3600.0;
        pod.readyTransitionSAgo = 3570.0;
        pod.metricAgeS = 5.0;
        pods.push_back(pod);
        return pods.back();
    }
    std::vector<PodInfo> pods;
};

Spec legacy(int minReplicas = 1, int maxReplicas = 20, double target = 50.0)
{
    Spec spec;
    spec.minReplicas = minReplicas;
    spec.maxReplicas = maxReplicas;
    spec.targetUtilizationPercent = target;
    return spec;
}

Spec behaving(Behavior behavior, int minReplicas = 1, int maxReplicas = 20)
{
    Spec spec = legacy(minReplicas, maxReplicas);
    spec.behavior = std::move(behavior);
    return spec;
}

ScalingRules rules(ScalingRules::Select select, std::vector<Policy> policies, double windowS = 0)
{
    ScalingRules result;
    result.select = select;
    result.policies = std::move(policies);
    result.stabilizationWindowS = windowS;
    return result;
}

Behavior upRules(ScalingRules up)
{
    Behavior behavior = defaultBehavior(300.0);
    behavior.scaleUp = std::move(up);
    return behavior;
}

Behavior downRules(ScalingRules down)
{
    Behavior behavior = defaultBehavior(300.0);
    behavior.scaleDown = std::move(down);
    return behavior;
}

Policy pods(int value, double periodS)
{
    return {Policy::Type::Pods, value, periodS};
}
Policy percent(int value, double periodS)
{
    return {Policy::Type::Percent, value, periodS};
}

History recommendations(std::initializer_list<std::pair<double, int>> recs)
{
    History history;
    for (const auto &[sAgo, replicas] : recs)
        history.recommendations.push_back({sAgo, replicas});
    return history;
}

History events(std::initializer_list<std::pair<double, int>> changes, History history = {})
{
    for (const auto &[sAgo, change] : changes)
        history.scaleEvents.push_back({sAgo, change});
    return history;
}

Case make(Spec spec, int current, const Pods &pods, History history = {})
{
    return Case {std::move(spec), current, pods.list(), std::move(history)};
}

QString describe(const Condition &condition)
{
    return QString::fromStdString(condition.type + ":" + condition.status + ":" + condition.reason);
}

} // namespace

Q_DECLARE_METATYPE(Case)

class TestHpaCalculator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decide_data();
    void decide();
    void defaultBehaviorMatchesUpstream();

private:
    struct Expect
    {
        int desired = 0;
        int proposed = 0;
        QStringList conditions; // "Type:Status:Reason", each must be present
        int ready = -1; // -1: not checked
        double utilization = -1; // -1: not checked
        bool metrics = true;
    };
    static void row(const char *name, const Case &input, const Expect &expect);
};

void TestHpaCalculator::row(const char *name, const Case &input, const Expect &expect)
{
    QTest::addRow("%s", name) << input << expect.desired << expect.proposed << expect.conditions
                              << expect.ready << expect.utilization << expect.metrics;
}

void TestHpaCalculator::decide_data()
{
    QTest::addColumn<Case>("input");
    QTest::addColumn<int>("desired");
    QTest::addColumn<int>("proposed");
    QTest::addColumn<QStringList>("conditions");
    QTest::addColumn<int>("ready");
    QTest::addColumn<double>("utilization");
    QTest::addColumn<bool>("metrics");

    using Select = ScalingRules::Select;
    const QStringList inBand = {"AbleToScale:True:ReadyForNewScale",
        "ScalingActive:True:ValidMetricFound", "ScalingLimited:False:DesiredWithinRange"};

    // --- Rule 4: tolerance band [0.9, 1.1], inclusive at both edges ---
    // 4 x 550m / 4000m = 55 % ; 55 / 50 = 1.1 -> inside the band, keep 4
    row("tolerance: ratio 1.1 inclusive keeps 4", make(legacy(), 4, Pods().running(4, 550)),
        {4, 4, inBand, 4, 55.0});
    // 4 x 450m -> 45 % ; 45 / 50 = 0.9 -> inside, keep 4
    row("tolerance: ratio 0.9 inclusive keeps 4", make(legacy(), 4, Pods().running(4, 450)),
        {4, 4, inBand, 4, 45.0});
    // 4 x 540m -> 54 % ; 1.08 -> inside, keep 4
    row("tolerance: ratio 1.08 keeps 4", make(legacy(), 4, Pods().running(4, 540)), {4, 4, inBand});
    // 4 x 560m -> 56 % ; 1.12 -> ceil(1.12 * 4) = ceil(4.48) = 5
    row("tolerance: ratio 1.12 scales 4 -> 5", make(legacy(), 4, Pods().running(4, 560)),
        {5, 5, inBand});
    // 10 x 440m -> 44 % ; 0.88 -> ceil(0.88 * 10) = ceil(8.8) = 9
    row("tolerance: ratio 0.88 scales 10 -> 9", make(legacy(), 10, Pods().running(10, 440)),
        {9, 9, inBand});

    // --- Rule 4: the basis is R, the ready pods with metrics, not spec.replicas ---
    // spec 6, only 4 pods exist at 900m: 90 % -> 1.8 ; ceil(1.8 * 4) = ceil(7.2) = 8
    // (spec basis would give ceil(1.8 * 6) = 11)
    row("ready basis: desired from 4 counted pods, not spec 6 (-> 8, not 11)",
        make(legacy(), 6, Pods().running(4, 900)), {8, 8, inBand, 4, 90.0});

    // --- Rule 2/4: pending, unready and missing pods ---
    // R = 3 x 700m: 70 % -> 1.4 ; scale-up with a pending pod: it counts as 0 ->
    // 2100 / 4000 = 52.5 % -> 1.05 inside the band -> keep 4 (undamped: ceil(4.2) = 5)
    row("pending: set aside on scale-up, ratio2 1.05 keeps 4",
        make(legacy(), 4, Pods().running(3, 700).pending()), {4, 4, inBand, 3, 70.0});
    // R = 3 x 1000m: 100 % -> 2.0 ; the never-ready pod's own 1000m is replaced by 0 ->
    // 3000 / 4000 = 75 % -> 1.5 ; ceil(1.5 * 4) = 6 (counting its sample would give 8)
    row("readiness delay: old pod never ready within 30 s is unready, counted as 0 (4 -> 6)",
        make(legacy(), 4, Pods().running(3, 1000).neverReady(1000)), {6, 6, inBand, 3, 100.0});
    // Same pod, but it was Ready until 100 s ago: it is not "never ready", its sample counts:
    // 4000 / 4000 = 100 % -> 2.0 ; ceil(2.0 * 4) = 8
    row("readiness delay: old pod that was ready and flapped is counted (4 -> 8)",
        make(legacy(), 4, Pods().running(3, 1000).flapped(1000)), {8, 8, inBand, 4, 100.0});
    // R = 3 x 200m: 20 % -> 0.4, a scale-down: the unready pod is just left out (no missing):
    // ceil(0.4 * 3) = ceil(1.2) = 2
    row("unready: ignored on scale-down (4 -> 2)",
        make(legacy(), 4, Pods().running(3, 200).neverReady(1000)), {2, 2, inBand, 3, 20.0});
    // R = 4 x 100m: 10 % -> 0.2 ; scale-down: missing pod at max(100, 50) % = 1000m ->
    // 1400 / 5000 = 28 % -> 0.56 ; ceil(0.56 * 5) = ceil(2.8) = 3 (ignoring it: ceil(0.8) = 1)
    row("missing: counted at 100% on scale-down (5 -> 3, not 1)",
        make(legacy(), 5, Pods().running(4, 100).missing()), {3, 3, inBand, 4, 10.0});
    // target 150 %: R = 4 x 450m: 45 % -> 0.3 ; missing at max(100, 150) % = 1500m ->
    // 3300 / 5000 = 66 % -> 0.44 ; ceil(0.44 * 5) = ceil(2.2) = 3 (at 100 %: ceil(1.87) = 2)
    row("missing: counted at the target when target > 100% (5 -> 3)",
        make(legacy(1, 20, 150.0), 5, Pods().running(4, 450).missing()), {3, 3, inBand});
    // R = 3 x 700m: 1.4 ; scale-up: missing counts as 0 -> 2100 / 4000 -> 1.05 -> keep 4
    row("missing: counted as 0 on scale-up, ratio2 1.05 keeps 4",
        make(legacy(), 4, Pods().running(3, 700).missing()), {4, 4, inBand, 3});
    // R = 3 x 600m: 1.2 ; two pending pods at 0: 1800 / 5000 = 36 % -> 0.72, which would be a
    // scale-down: the direction flipped -> keep 5
    row("flip: ratio 1.2 but ratio2 0.72 keeps 5",
        make(legacy(), 5, Pods().running(3, 600).pending().pending()), {5, 5, inBand});
    // spec 6, R = 2 x 900m: 1.8 ; missing at 0: 1800 / 3000 = 60 % -> 1.2 ;
    // ceil(1.2 * 3) = 4 < 6 would scale down on a scale-up signal -> keep 6
    row("flip: proposal 4 below current 6 on a scale-up keeps 6",
        make(legacy(), 6, Pods().running(2, 900).missing()), {6, 6, inBand});

    // --- Rule 2: CPU initialization period ---
    // Fresh pod (started 60 s ago) Ready 10 s ago, sample 5 s old with a 15 s window:
    // sample at -5 s < transition + window = -10 + 15 = +5 s -> unready, counted as 0:
    // 3000 / 4000 -> 1.5 ; ceil(1.5 * 4) = 6
    row("cpu init: fresh pod whose sample predates readyTransition+window is unready (4 -> 6)",
        make(legacy(), 4, Pods().running(3, 1000).fresh(1000, 10)), {6, 6, inBand, 3});
    // Ready 30 s ago: -5 s >= -30 + 15 = -15 s -> a full window since Ready, it counts:
    // 4000 / 4000 -> 2.0 ; ceil(2.0 * 4) = 8 = the legacy cap max(8, 4), not limited
    row("cpu init: fresh pod with a full window since ready counts (4 -> 8)",
        make(legacy(), 4, Pods().running(3, 1000).fresh(1000, 30)), {8, 8, inBand, 4});

    // --- Rule 2: deleting and Failed pods are ignored entirely ---
    // R = 2 x 560m: 56 % -> 1.12 ; the two ignored pods are neither unready nor missing, so no
    // damping: ceil(1.12 * 2) = 3 (as unready at 0: 1120 / 4000 -> 0.56, a flip -> 2)
    row("ignored: deleting and Failed pods (2 -> 3)",
        make(legacy(), 2, Pods().running(2, 560).deleting(0).failed(0)), {3, 3, inBand, 2, 56.0});

    // --- Rule 3: no ready pod with a metric -> no action ---
    const QStringList noMetric = {"ScalingActive:False:FailedGetResourceMetric"};
    row("no metrics: only pending and missing pods keeps 3",
        make(legacy(), 3, Pods().pending().missing().missing()), {3, 3, noMetric, 0, -1, false});
    row("no metrics: only unready pods with samples keeps 2",
        make(legacy(), 2, Pods().neverReady(900).fresh(900, 5)), {2, 2, noMetric, 0, -1, false});

    // --- Rule 1: outer guards ---
    row("disabled: 0 replicas with min 1 stays 0", make(legacy(), 0, Pods()),
        {0, 0, {"ScalingActive:False:ScalingDisabled"}, 0, -1, false});
    // 25 > max 20: rescale to 20 without metrics (the pods would say scale up)
    row("guard: above max rescales to max 20", make(legacy(1, 20), 25, Pods().running(25, 1000)),
        {20, 20, {"ScalingLimited:True:TooManyReplicas"}, 0, -1, false});
    // 1 < min 3: rescale to 3 without metrics (the pod would say scale down)
    row("guard: below min rescales to min 3", make(legacy(3, 20), 1, Pods().running(1, 10)),
        {3, 3, {"ScalingLimited:True:TooFewReplicas"}, 0, -1, false});

    // --- Rule 5, legacy path: cap max(2N, 4), clamps, downscale stabilization ---
    // 1 x 5000m: 500 % -> 10 ; proposal ceil(10 * 1) = 10 ; cap max(2, 4) = 4
    row("legacy cap: max(2N,4) from 1 -> 4", make(legacy(), 1, Pods().running(1, 5000)),
        {4, 10, {"ScalingLimited:True:ScaleUpLimit"}});
    // 3 x 2000m: 200 % -> 4 ; proposal 12 ; cap max(6, 4) = 6
    row("legacy cap: max(2N,4) from 3 -> 6", make(legacy(), 3, Pods().running(3, 2000)),
        {6, 12, {"ScalingLimited:True:ScaleUpLimit"}});
    // max 5 <= cap 8: 4 x 1000m -> 2.0 ; proposal 8 -> max 5
    row("clamp: max 5 binds before the cap (TooManyReplicas)",
        make(legacy(1, 5), 4, Pods().running(4, 1000)),
        {5, 8, {"AbleToScale:True:ReadyForNewScale", "ScalingLimited:True:TooManyReplicas"}});
    // 5 x 50m: 5 % -> 0.1 ; ceil(0.1 * 5) = 1 < min 3
    row("clamp: min 3 binds (TooFewReplicas)", make(legacy(3, 20), 5, Pods().running(5, 50)),
        {3, 1, {"ScalingLimited:True:TooFewReplicas"}});
    // 10 x 100m: 10 % -> 0.2 ; proposal ceil(2.0) = 2 ; window max(2, 8, 6) = 8
    row("down window: keeps the max recommendation of the last 300 s (10 -> 8)",
        make(legacy(), 10, Pods().running(10, 100), recommendations({{200, 8}, {100, 6}})),
        {8, 2,
            {"AbleToScale:True:ScaleDownStabilized", "ScalingLimited:False:DesiredWithinRange"}});
    // the 8 is 301 s old, outside: max(2, 6) = 6
    row("down window: a recommendation 301 s old is outside (10 -> 6)",
        make(legacy(), 10, Pods().running(10, 100), recommendations({{301, 8}, {100, 6}})),
        {6, 2, {"AbleToScale:True:ScaleDownStabilized"}});
    // exactly 300 s old is not Before(now - 300 s): still inside on the legacy path
    row("down window: a recommendation exactly 300 s old is inside (10 -> 8)",
        make(legacy(), 10, Pods().running(10, 100), recommendations({{300, 8}, {100, 6}})),
        {8, 2, {"AbleToScale:True:ScaleDownStabilized"}});

    // --- Rule 5/6, behaviour path ---
    // default up: max(Pods 1 + 4 = 5, Percent ceil(1 * 2) = 2) = 5 ; proposal 10
    row("behaviour default: up from 1 -> 5",
        make(behaving(defaultBehavior()), 1, Pods().running(1, 5000)),
        {5, 10, {"AbleToScale:True:ReadyForNewScale", "ScalingLimited:True:ScaleUpLimit"}});
    // default up: max(3 + 4 = 7, ceil(3 * 2) = 6) = 7 ; proposal 12
    row("behaviour default: up from 3 -> 7",
        make(behaving(defaultBehavior()), 3, Pods().running(3, 2000)),
        {7, 12, {"ScalingLimited:True:ScaleUpLimit"}});
    // 7 x 2000m -> 4.0 ; proposal 28 ; +2 was added 10 s ago, so the period started at 5:
    // max(5 + 4 = 9, ceil(5 * 2) = 10) = 10 (measured from 7 it would be 14)
    row("policies: measured from the period start, +2 10 s ago (7 -> 10, not 14)",
        make(behaving(defaultBehavior()), 7, Pods().running(7, 2000), events({{10, 2}})),
        {10, 28, {"ScalingLimited:True:ScaleUpLimit"}});
    // +4 10 s ago (3 -> 7): start 3: max(3 + 4, ceil(3 * 2)) = 7 = current, no room left
    row("policies: +4 10 s ago uses the whole allowance (7 stays 7)",
        make(behaving(defaultBehavior()), 7, Pods().running(7, 2000), events({{10, 4}})),
        {7, 28, {"ScalingLimited:True:ScaleUpLimit"}});
    // events are kept only when After(now - period): one exactly 15 s old has left the period,
    // start 7: max(7 + 4, ceil(7 * 2)) = 14
    row("policies: an event exactly 15 s old is outside the period (7 -> 14)",
        make(behaving(defaultBehavior()), 7, Pods().running(7, 2000), events({{15, 4}})),
        {14, 28, {"ScalingLimited:True:ScaleUpLimit"}});
    // select Min: min(Pods 3 + 4 = 7, Percent ceil(3 * 2) = 6) = 6
    row("select Min: Percent 6 beats Pods 7 from 3",
        make(behaving(upRules(rules(Select::Min, {pods(4, 15), percent(100, 15)}))), 3,
            Pods().running(3, 2000)),
        {6, 12, {"ScalingLimited:True:ScaleUpLimit"}});
    // select Min from 10: 10 x 2000m -> 4.0 ; proposal 40 ; min(10 + 4, ceil(10 * 2)) = 14
    row("select Min: Pods 14 beats Percent 20 from 10",
        make(behaving(upRules(rules(Select::Min, {pods(4, 15), percent(100, 15)}))), 10,
            Pods().running(10, 2000)),
        {14, 40, {"ScalingLimited:True:ScaleUpLimit"}});
    // Disabled: the up limit is the current count
    row("select Disabled: no scale-up (3 stays 3)",
        make(behaving(upRules(rules(Select::Disabled, {pods(4, 15)}))), 3, Pods().running(3, 2000)),
        {3, 12, {"ScalingLimited:True:ScaleUpLimit"}});
    // the up limit 7 equals max 7: upstream names the replica bound, not the rate
    row("behaviour clamp: max 7 equal to the up limit reports TooManyReplicas",
        make(behaving(defaultBehavior(), 1, 7), 3, Pods().running(3, 2000)),
        {7, 12, {"ScalingLimited:True:TooManyReplicas"}});
    // down window 0, Pods 2 per 60 s: 10 x 100m -> 0.2 ; proposal 2 ; limit 10 - 2 = 8
    row("down policy: Pods 2 per 60 s limits 10 -> 8",
        make(behaving(downRules(rules(Select::Max, {pods(2, 60)}))), 10, Pods().running(10, 100)),
        {8, 2, {"AbleToScale:True:ReadyForNewScale", "ScalingLimited:True:ScaleDownLimit"}});
    // 2 removed 30 s ago: the period started at 12 -> limit 12 - 2 = 10 = current
    row("down policy: -2 30 s ago leaves no allowance (10 stays 10)",
        make(behaving(downRules(rules(Select::Max, {pods(2, 60)}))), 10, Pods().running(10, 100),
            events({{30, -2}})),
        {10, 2, {"ScalingLimited:True:ScaleDownLimit"}});
    // 7 x 50m: 5 % -> 0.1 ; proposal ceil(0.7) = 1 ; Percent 50: floor(7 * 0.5) = floor(3.5) = 3
    row("down policy: Percent 50 from 7 floors to 3",
        make(behaving(downRules(rules(Select::Max, {percent(50, 15)}))), 7, Pods().running(7, 50)),
        {3, 1, {"ScalingLimited:True:ScaleDownLimit"}});
    // down select Min: max(Pods 10 - 1 = 9, Percent floor(10 * 0.5) = 5) = 9
    row("down select Min: Pods 1 beats Percent 50 (10 -> 9)",
        make(behaving(downRules(rules(Select::Min, {pods(1, 15), percent(50, 15)}))), 10,
            Pods().running(10, 100)),
        {9, 2, {"ScalingLimited:True:ScaleDownLimit"}});
    // default down (Percent 100 -> limit 0), window 0: min 3 binds first
    row("behaviour clamp: min 3 binds (TooFewReplicas)",
        make(behaving(defaultBehavior(0.0), 3, 20), 5, Pods().running(5, 50)),
        {3, 1, {"ScalingLimited:True:TooFewReplicas"}});
    // default down window 300 s: max(2, 8) = 8 ; Percent 100 allows 0, so 8 stands
    row("behaviour down window: keeps the max recommendation (10 -> 8)",
        make(behaving(defaultBehavior()), 10, Pods().running(10, 100), recommendations({{200, 8}})),
        {8, 2,
            {"AbleToScale:True:ScaleDownStabilized", "ScalingLimited:False:DesiredWithinRange"}});
    // default up window 0: a lower recommendation 5 s ago has no effect
    row("behaviour default: up window 0 ignores a lower recent recommendation (3 -> 7)",
        make(behaving(defaultBehavior()), 3, Pods().running(3, 2000), recommendations({{5, 1}})),
        {7, 12, {"AbleToScale:True:ReadyForNewScale"}});

    // --- Issue #101371 / enhancements#2645: min 2, max 6, CPU 800 % of a 50 % target,
    // scaleUp window 300 s, Pods 1 per 60 s. The window is a rolling min of recommendations.
    const Behavior issue = upRules(rules(Select::Max, {pods(1, 60)}, 300.0));
    // 2 x 8000m -> 16 ; proposal 32 ; the 2 recommended 290 s ago is the window's min -> hold 2
    row("up window #101371: a 2 recommended 290 s ago holds 2",
        make(behaving(issue, 2, 6), 2, Pods().running(2, 8000),
            recommendations({{290, 2}, {200, 32}, {15, 32}})),
        {2, 32, {"AbleToScale:True:ScaleUpStabilized", "ScalingLimited:False:DesiredWithinRange"}});
    // the 2 is now 305 s old: min(32, 32, 32) = 32 ; Pods 1 per 60 s: 2 + 1 = 3
    row("up window #101371: once the window is all high, 2 -> 3",
        make(behaving(issue, 2, 6), 2, Pods().running(2, 8000),
            recommendations({{305, 2}, {285, 32}, {15, 32}})),
        {3, 32, {"AbleToScale:True:ReadyForNewScale", "ScalingLimited:True:ScaleUpLimit"}});
    // 61 s after 2 -> 3 the window is still all high: not a cooldown, only the policy period
    // limits: the +1 is outside the 60 s period, start 3 -> 3 + 1 = 4 ; max 6 > 4
    row("up window #101371: not a cooldown, 3 -> 4 one minute later",
        make(behaving(issue, 2, 6), 3, Pods().running(3, 8000),
            events({{61, 1}}, recommendations({{290, 32}, {61, 32}, {15, 32}}))),
        {4, 48, {"ScalingLimited:True:ScaleUpLimit"}});
}

void TestHpaCalculator::decide()
{
    QFETCH(Case, input);
    QFETCH(int, desired);
    QFETCH(int, proposed);
    QFETCH(QStringList, conditions);
    QFETCH(int, ready);
    QFETCH(double, utilization);
    QFETCH(bool, metrics);

    const Decision decision
        = headroom::control::hpa::decide(input.spec, input.current, input.pods, input.history);

    QCOMPARE(decision.desiredReplicas, desired);
    QCOMPARE(decision.proposedReplicas, proposed);
    QCOMPARE(decision.metricsAvailable, metrics);
    QCOMPARE(decision.utilizationPercent.has_value(), metrics);
    if (ready >= 0)
        QCOMPARE(decision.readyPodsCounted, ready);
    if (utilization >= 0) {
        QVERIFY(decision.utilizationPercent);
        QCOMPARE(*decision.utilizationPercent, utilization);
    }

    QStringList actual;
    for (const Condition &condition : decision.conditions)
        actual << describe(condition);
    for (const QString &expected : conditions)
        QVERIFY2(actual.contains(expected), qPrintable(expected + " not in " + actual.join(", ")));
    for (const QString &type : QStringList {"AbleToScale", "ScalingActive", "ScalingLimited"}) {
        const auto sameType = [&](const QString &c) { return c.startsWith(type + ":"); };
        QVERIFY2(std::count_if(actual.begin(), actual.end(), sameType) <= 1,
            qPrintable("duplicate " + type + " in " + actual.join(", ")));
    }
}

void TestHpaCalculator::defaultBehaviorMatchesUpstream()
{
    const Behavior behavior = defaultBehavior(120.0);
    QCOMPARE(behavior.scaleUp.stabilizationWindowS, 0.0);
    QCOMPARE(behavior.scaleUp.select, ScalingRules::Select::Max);
    QCOMPARE(behavior.scaleUp.policies.size(), std::size_t(2));
    QCOMPARE(behavior.scaleUp.policies[0].type, Policy::Type::Pods);
    QCOMPARE(behavior.scaleUp.policies[0].value, 4);
    QCOMPARE(behavior.scaleUp.policies[0].periodS, 15.0);
    QCOMPARE(behavior.scaleUp.policies[1].type, Policy::Type::Percent);
    QCOMPARE(behavior.scaleUp.policies[1].value, 100);
    QCOMPARE(behavior.scaleUp.policies[1].periodS, 15.0);
    QCOMPARE(behavior.scaleDown.stabilizationWindowS, 120.0);
    QCOMPARE(behavior.scaleDown.select, ScalingRules::Select::Max);
    QCOMPARE(behavior.scaleDown.policies.size(), std::size_t(1));
    QCOMPARE(behavior.scaleDown.policies[0].type, Policy::Type::Percent);
    QCOMPARE(behavior.scaleDown.policies[0].value, 100);
    QCOMPARE(behavior.scaleDown.policies[0].periodS, 15.0);
}

QTEST_GUILESS_MAIN(TestHpaCalculator)
#include "tst_hpacalculator.moc"
