#include "control/controllerfactory.h"
#include "control/kpacontroller.h"
#include "sim/cluster.h"

#include <QTest>

#include <algorithm>
#include <cmath>
#include <optional>
#include <random>

using namespace headroom;

namespace {

// 5 req/s, a step to 30 req/s at kStepS for kSpikeS seconds, then 5 req/s again.
constexpr double kStepS = 90.0;
constexpr double kSpikeS = 60.0;
constexpr double kEndS = 400.0;
constexpr int kInitialPods = 2; // what 5 req/s * 0.15 s needs at the 0.7 target

double rateAt(double t)
{
    return t >= kStepS && t < kStepS + kSpikeS ? 30.0 : 5.0;
}

struct Tick
{
    double tS = 0.0;
    int ready = 0;
    int before = 0;              // desired replicas before this second's decision
    std::optional<int> decision; // what the KPA returned
    bool panicking = false;      // the KPA's state after this second
};

std::vector<Tick> runKpa(std::uint64_t seed, std::vector<metrics::LaneEvent> &events)
{
    control::ControllerEnvironment env;
    env.cluster.minReplicas = 1;
    env.cluster.maxReplicas = 20;
    env.cluster.podSlots = 1;
    env.initialReplicas = kInitialPods;
    std::string reason;
    auto controller = control::makeController("kpa", env, reason);
    auto *kpa = dynamic_cast<control::KpaController *>(controller.get());
    if (!kpa)
        return {};
    sim::Cluster cluster(env.cluster, seed, kInitialPods);
    std::vector<metrics::LaneSample> samples;
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    // Piecewise-constant Poisson arrivals: each gap at the rate where it starts.
    auto gap = [&](double from) { return -std::log(1.0 - unit(rng)) / rateAt(from); };
    double next = gap(0.0);
    std::vector<Tick> ticks;
    for (double t = 1; t <= kEndS; t += 1) {
        std::vector<traffic::Arrival> arrivals;
        for (; next < t; next += gap(next))
            arrivals.push_back({next, 0.15});
        cluster.advance(arrivals.data(), arrivals.data() + arrivals.size(), t);
        samples.push_back(cluster.takeSample());
        Tick tick;
        tick.tS = t;
        tick.ready = samples.back().podsReady;
        tick.before = cluster.desiredReplicas();
        const control::ControlContext context {t, cluster, samples};
        tick.decision = kpa->onSecond(context, events);
        if (tick.decision)
            cluster.setDesiredReplicas(*tick.decision);
        tick.panicking = kpa->state().panicking;
        ticks.push_back(tick);
    }
    return ticks;
}

QString at(const Tick &t)
{
    return QStringLiteral("t=%1 ready %2: %3 -> %4")
        .arg(t.tS).arg(t.ready).arg(t.before).arg(t.decision.value_or(-1));
}

} // namespace

class TestKpaController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void registeredInTheFactory()
    {
        const auto names = control::availableControllers();
        QVERIFY(std::find(names.begin(), names.end(), "kpa") != names.end());
        QVERIFY(control::isKnownController("kpa"));
    }

    void decidesOnTwoSecondTicks()
    {
        std::vector<metrics::LaneEvent> events;
        for (const Tick &t : runKpa(3, events)) {
            if (t.decision && t.before > 0)
                QVERIFY2(long(t.tS) % 2 == 0, qPrintable(at(t)));
        }
    }

    void panicsAndScalesUpWithinSecondsOfTheStep()
    {
        for (std::uint64_t seed : {1, 2, 3}) {
            std::vector<metrics::LaneEvent> events;
            const auto ticks = runKpa(seed, events);
            QVERIFY(!ticks.empty());
            // 30 req/s * 0.15 s = 4.5 busy slots on ~2 pods: the panic window asks for
            // >= 200 % of the ready pods within a tick or two, and panic mode scales up at once.
            const auto up = std::find_if(ticks.begin(), ticks.end(), [](const Tick &t) {
                return t.tS >= kStepS && t.decision && *t.decision >= 5;
            });
            QVERIFY(up != ticks.end());
            QVERIFY2(up->tS <= kStepS + 6, qPrintable(at(*up)));
            QVERIFY2(up->panicking, qPrintable(at(*up)));
            const bool reported = std::any_of(events.begin(), events.end(), [](const auto &e) {
                return e.kind == "condition" && e.region == "KPA panic" && e.regionOpens
                    && e.tS <= kStepS + 6;
            });
            QVERIFY(reported);
        }
    }

    void neverScalesDownWhilePanicking()
    {
        std::vector<metrics::LaneEvent> events;
        const auto ticks = runKpa(5, events);
        QVERIFY(!ticks.empty());
        for (const Tick &t : ticks) {
            if (t.decision && *t.decision < t.before)
                QVERIFY2(!t.panicking, qPrintable(at(t)));
        }
    }

    void scalesDownByAtMostHalfPerTickAfterTheSpike()
    {
        for (std::uint64_t seed : {7, 8}) {
            std::vector<metrics::LaneEvent> events;
            const auto ticks = runKpa(seed, events);
            QVERIFY(!ticks.empty());
            int downsAfterSpike = 0;
            int last = kInitialPods;
            for (const Tick &t : ticks) {
                if (!t.decision)
                    continue;
                last = *t.decision;
                if (*t.decision >= t.before)
                    continue;
                // Down to floor(ready / max-scale-down-rate 2) per tick at most.
                QVERIFY2(*t.decision >= t.ready / 2, qPrintable(at(t)));
                const bool inSpike = t.tS >= kStepS && t.tS < kStepS + kSpikeS;
                QVERIFY2(!inSpike, qPrintable(at(t)));
                downsAfterSpike += t.tS >= kStepS + kSpikeS ? 1 : 0;
            }
            QVERIFY(downsAfterSpike >= 2);
            QVERIFY2(last <= 3, qPrintable(QString::number(last)));
        }
    }
};

QTEST_GUILESS_MAIN(TestKpaController)
#include "tst_kpacontroller.moc"
