#include "control/kpacalculator.h"

#include <QTest>
#include <limits>

#include <algorithm>
#include <climits>
#include <initializer_list>
#include <utility>

using namespace headroom::control::kpa;

namespace {

// Every row uses containerConcurrency 1 (one slot per pod, as the simulator's pods) unless it
// says otherwise, so the target is 0.7 concurrent requests per pod.
struct Case
{
    Config config;
    Inputs inputs;
};

struct Expect
{
    int desired = 0;
    double stable = -1.0; // -1: not checked
    double panic = -1.0;
    bool panicking = false;
    bool entering = false;
    bool leaving = false;
    int maxPanicPods = -1; // next state; -1: not checked
    double panicAgo = -1.0;
    int ebc = INT_MIN;     // INT_MIN: not checked
};

// Concurrency samples from runs of (count, value), oldest first.
std::vector<double> runs(std::initializer_list<std::pair<int, double>> parts)
{
    std::vector<double> samples;
    for (const auto &[count, value] : parts)
        samples.insert(samples.end(), count, value);
    return samples;
}

Config slots(int containerConcurrency = 1)
{
    Config config;
    config.containerConcurrency = containerConcurrency;
    return config;
}

Case make(Config config, std::vector<double> samples, int ready, State state = {})
{
    Case c {std::move(config), {}};
    c.inputs.concurrency = std::move(samples);
    c.inputs.readyPods = ready;
    c.inputs.state = state;
    return c;
}

State panicking(double sAgo, int maxPods)
{
    return State {true, sAgo, maxPods};
}

// One ready pod without traffic for `idleS` (the history holds up to a stable window of it).
Case idle(double idleS, Config config = slots(), int ready = 1)
{
    const int zeros = std::min(60, static_cast<int>(idleS));
    Case c = make(std::move(config), runs({{zeros, 0.0}}), ready);
    c.inputs.idleS = idleS;
    return c;
}

} // namespace

Q_DECLARE_METATYPE(Case)
Q_DECLARE_METATYPE(Expect)

class TestKpaCalculator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decide_data();
    void decide();
    void targetIsSeventyPercentOfThePerPodTarget();
    void startStateFollowsReadyPods();
    void noSamplesNoDecision();
    void hugeLoadSaturatesInsteadOfWrapping();

private:
    static void row(const char *name, const Case &input, const Expect &expect)
    {
        QTest::newRow(name) << input << expect;
    }
};

void TestKpaCalculator::decide_data()
{
    QTest::addColumn<Case>("input");
    QTest::addColumn<Expect>("expect");

    // 30 old seconds at 10 fall out of the 60 s window: mean 1.4 -> ceil(1.4 / 0.7) = 2.
    row("stable-window average sizing", make(slots(), runs({{30, 10.0}, {60, 1.4}}), 2),
        {.desired = 2, .stable = 1.4, .panic = 1.4});
    // 10 s of history: mean over the 10 buckets written (1.4), not over 60 (0.23 -> 1).
    row("partial window averages the seconds present", make(slots(), runs({{10, 1.4}}), 2),
        {.desired = 2, .stable = 1.4, .panic = 1.4});
    // containerConcurrency 0: target 70 % of 100 = 70; 150 / 70 = 2.14 -> 3 (100 would give 2).
    row("70 % target of the default 100", make(slots(0), runs({{60, 150.0}}), 2),
        {.desired = 3, .stable = 150.0, .panic = 150.0, .ebc = 200 - 211 - 150});
    // containerConcurrency 10: target 7; 15 / 7 = 2.14 -> 3.
    row("70 % target of containerConcurrency 10", make(slots(10), runs({{60, 15.0}}), 2),
        {.desired = 3});
    // Panic window mean 2.8 -> 4 pods = 200 % of 2 ready: panic; stable 0.909999 -> 2.
    row("panic entry at 200 %", make(slots(), runs({{54, 0.7}, {6, 2.8}}), 2),
        {.desired = 4, .stable = 0.909999, .panic = 2.8, .panicking = true, .entering = true,
         .maxPanicPods = 4, .panicAgo = 0.0});
    // Panic mean 2.0 -> 3 pods = 150 % of 2: no panic; stable 0.83 -> 2.
    row("no panic under 200 %", make(slots(), runs({{54, 0.7}, {6, 2.0}}), 2),
        {.desired = 2, .stable = 0.83, .panic = 2.0});
    // Load fell to 1 pod's worth; panicking since 10 s: holds the 8 reached, no scale-down.
    row("no scale-down while panicking", make(slots(), runs({{60, 0.7}}), 8, panicking(10, 8)),
        {.desired = 8, .panicking = true, .maxPanicPods = 8, .panicAgo = 10.0});
    // Panicking at 3 pods reached; now 2.8 / 0.7 = 4 wanted: the pods reached rise to 4.
    row("panic raises the pods reached", make(slots(), runs({{60, 2.8}}), 2, panicking(20, 3)),
        {.desired = 4, .panicking = true, .maxPanicPods = 4, .panicAgo = 0.0});
    // Upstream's Before(): exactly one stable window after the last over-threshold tick holds.
    row("panic holds at exactly the stable window",
        make(slots(), runs({{60, 0.7}}), 8, panicking(60, 8)),
        {.desired = 8, .panicking = true, .maxPanicPods = 8});
    // 62 s under the threshold: leave panic, then the stable path halves at most (8 -> 4).
    row("panic exit after a stable window", make(slots(), runs({{60, 0.7}}), 8, panicking(62, 8)),
        {.desired = 4, .leaving = true, .maxPanicPods = 0});
    // 100 s since panicTime, but over the threshold now: panic is extended, not left.
    row("panic extended while over the threshold",
        make(slots(), runs({{60, 2.8}}), 2, panicking(100, 4)),
        {.desired = 4, .panicking = true, .maxPanicPods = 4, .panicAgo = 0.0});
    Config slowUp = slots();
    slowUp.maxScaleUpRate = 1.5;
    // 7.0 / 0.7 = 10 pods wanted, 2 ready: at most ceil(1.5 * 2) = 3.
    row("up-rate limit", make(slowUp, runs({{60, 7.0}}), 2),
        {.desired = 3, .panicking = true, .entering = true, .maxPanicPods = 3});
    // 1 pod's worth on 10 ready: down to floor(10 / 2) = 5 this tick.
    row("down-rate limit", make(slots(), runs({{60, 0.7}}), 10), {.desired = 5});
    Config unreachable = slots();
    unreachable.reachable = false;
    row("down-rate limit off when unreachable", make(unreachable, runs({{60, 0.7}}), 10),
        {.desired = 1});
    // No traffic on 1 pod: the decider wants 0; the scaler waits for idle + grace (60 + 30 s).
    row("scale to zero: active before a stable window idle", idle(30), {.desired = 1});
    row("scale to zero: inactive inside the grace period", idle(89), {.desired = 1});
    row("scale to zero after idle + grace", idle(90), {.desired = 0});
    Config retention = slots();
    retention.scaleToZeroPodRetentionPeriodS = 120;
    row("scale to zero waits for the pod retention period", idle(179, retention), {.desired = 1});
    Config disabled = slots();
    disabled.enableScaleToZero = false;
    row("no scale to zero when disabled", idle(500, disabled), {.desired = 1});
    Config minOne = slots();
    minOne.minScale = 1;
    row("no scale to zero with min-scale 1", idle(500, minOne), {.desired = 1});
    // At zero, 3 requests held by the activator: stable 3/60 = 0.05, panic 3/6 = 0.5 -> 1 pod.
    Case cold = make(slots(), runs({{60, 0.0}}), 0);
    cold.inputs.activatorRequests = 3;
    cold.inputs.idleS = 500;
    row("from zero on activator demand", cold, {.desired = 1, .stable = 0.05, .panic = 0.5});
    row("at zero without demand stays at zero", idle(10, slots(), 0), {.desired = 0});
    // Restarted with 5 ready and 4 s of history: starts in panic holding 5, no drop to 2.
    row("restart starts in panic", make(slots(), runs({{4, 0.7}}), 5, startState(5)),
        {.desired = 5, .panicking = true, .maxPanicPods = 5});
    row("restart with one pod starts stable", make(slots(), runs({{4, 0.7}}), 1, startState(1)),
        {.desired = 1});
    // Weighted: 60 buckets decay by max(1 - 1e-4^(1/60), 0.2) = 0.2 -> stable 5 * 0.2 = 1 -> 2;
    // 6 buckets by 1 - 1e-4^(1/6) = 0.78456 -> panic 3.92 -> 6 = 300 % of 2: panic.
    Config weighted = slots();
    weighted.aggregation = Aggregation::WeightedExponential;
    row("weighted-exponential aggregation", make(weighted, runs({{59, 0.0}, {1, 5.0}}), 2),
        {.desired = 6, .stable = 1.0, .panic = 3.922783, .panicking = true, .entering = true});
    // Excess burst capacity: 3 pods * 100 - 211 - panic 10 = 79.
    row("excess burst capacity", make(slots(0), runs({{60, 10.0}}), 3),
        {.desired = 1, .ebc = 79});
}

void TestKpaCalculator::decide()
{
    QFETCH(Case, input);
    QFETCH(Expect, expect);
    const Decision d = headroom::control::kpa::decide(input.config, input.inputs);
    QString why;
    for (const std::string &r : d.reasons)
        why += QString::fromStdString(r) + QLatin1String("; ");
    QVERIFY2(d.valid, qPrintable(why));
    QVERIFY2(d.desiredPods == expect.desired,
             qPrintable(QStringLiteral("desired %1, expected %2: %3")
                            .arg(d.desiredPods).arg(expect.desired).arg(why)));
    if (expect.stable >= 0)
        QVERIFY2(qAbs(d.stableConcurrency - expect.stable) < 1e-6, qPrintable(why));
    if (expect.panic >= 0)
        QVERIFY2(qAbs(d.panicConcurrency - expect.panic) < 1e-6, qPrintable(why));
    QCOMPARE(d.panicking, expect.panicking);
    QCOMPARE(d.next.panicking, expect.panicking);
    QCOMPARE(d.enteringPanic, expect.entering);
    QCOMPARE(d.leavingPanic, expect.leaving);
    if (expect.maxPanicPods >= 0)
        QCOMPARE(d.next.maxPanicPods, expect.maxPanicPods);
    if (expect.panicAgo >= 0)
        QCOMPARE(d.next.panicStartedSAgo, expect.panicAgo);
    if (expect.ebc != INT_MIN)
        QCOMPARE(d.excessBurstCapacity, expect.ebc);
}

void TestKpaCalculator::targetIsSeventyPercentOfThePerPodTarget()
{
    QCOMPARE(slots(1).targetPerPod(), 0.7);
    QCOMPARE(slots(0).targetPerPod(), 70.0);
    Config annotated = slots(10);
    annotated.target = 50; // capped by the hard limit 10
    QCOMPARE(annotated.targetPerPod(), 7.0);
    QCOMPARE(Config {}.panicBuckets(), 6);
    QCOMPARE(Config {}.stableBuckets(), 60);
}

void TestKpaCalculator::startStateFollowsReadyPods()
{
    QVERIFY(startState(2).panicking);
    QCOMPARE(startState(2).maxPanicPods, 2);
    QVERIFY(!startState(1).panicking);
    QVERIFY(!startState(0).panicking);
}

void TestKpaCalculator::noSamplesNoDecision()
{
    Inputs inputs;
    inputs.readyPods = 3;
    const Decision d = headroom::control::kpa::decide(slots(), inputs);
    QVERIFY(!d.valid);
    QCOMPARE(d.desiredPods, 3);
}

// Pod counts from an enormous concurrency saturate: the decision is the largest scale-up
// allowed (1000x the ready pods), never a count that wrapped around to a negative one.
void TestKpaCalculator::hugeLoadSaturatesInsteadOfWrapping()
{
    Inputs inputs;
    inputs.readyPods = 10;
    inputs.concurrency = std::vector<double>(60, 1e9);
    Config config = slots(0); // no hard limit: the soft target (0.01) applies
    config.containerConcurrencyTargetDefault = 0.01;
    const Decision d = headroom::control::kpa::decide(config, inputs);
    QVERIFY(d.valid);
    QCOMPARE(d.stableDesired, std::numeric_limits<int>::max());
    QCOMPARE(d.desiredPods, 10000);
}

QTEST_GUILESS_MAIN(TestKpaCalculator)
#include "tst_kpacalculator.moc"
