#include "control/hpacontroller.h"
#include "sim/cluster.h"

#include <QTest>

#include <random>

using namespace headroom;

namespace {

// Saturating load on a cluster driven by the HPA; returns (time, replicas) decisions.
std::vector<std::pair<double, int>> runHpa(double rate, int initialPods, double durationS,
                                           std::uint64_t seed)
{
    sim::ClusterConfig config;
    sim::Cluster cluster(config, seed, initialPods);
    control::HpaController hpa(control::HpaSettings {}, seed, initialPods);
    std::vector<metrics::LaneSample> samples;
    std::vector<metrics::LaneEvent> events;
    std::vector<std::pair<double, int>> decisions;
    std::mt19937_64 rng(seed);
    std::exponential_distribution<double> gap(rate);
    double next = gap(rng);
    for (double t = 1; t <= durationS; t += 1) {
        std::vector<traffic::Arrival> arrivals;
        for (; next < t; next += gap(rng))
            arrivals.push_back({next, 0.15});
        cluster.advance(arrivals.data(), arrivals.data() + arrivals.size(), t);
        samples.push_back(cluster.takeSample());
        const control::ControlContext context {t, cluster, samples};
        if (auto replicas = hpa.onSecond(context, events)) {
            decisions.emplace_back(t, *replicas);
            cluster.setDesiredReplicas(*replicas);
        }
    }
    return decisions;
}

} // namespace

class TestHpaController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decidesOnlyAtItsSyncPhase()
    {
        control::HpaController probe(control::HpaSettings {}, 3, 1);
        const auto decisions = runHpa(20.0, 1, 120, 3);
        QVERIFY(!decisions.empty());
        for (const auto &[t, replicas] : decisions)
            QCOMPARE(long(t) % 15, long(probe.syncPhaseS() % 15));
    }

    void scaleUpRateIsLimitedByDefaultBehaviour()
    {
        // 20 req/s * 0.15 s = 3 busy cores at a 50 % target: 6 pods in the end.
        const auto decisions = runHpa(20.0, 1, 180, 5);
        QVERIFY(!decisions.empty());
        int previous = 1;
        for (const auto &[t, replicas] : decisions) {
            QVERIFY2(replicas <= std::max(2 * previous, previous + 4),
                     qPrintable(QStringLiteral("t=%1: %2 -> %3").arg(t).arg(previous).arg(replicas)));
            previous = replicas;
        }
        QVERIFY(previous >= 6 && previous <= 8);
    }

    void firstScaleUpWaitsForTheMetricsPipeline()
    {
        // A saturated pod from t = 0: metrics-server needs two scrapes, then the
        // HPA's next sync acts; never before the first scrape interval has passed.
        const auto decisions = runHpa(20.0, 1, 60, 11);
        QVERIFY(!decisions.empty());
        QVERIFY(decisions.front().first >= 2.0);
        QVERIFY(decisions.front().first <= 31.0);
    }

    void noScaleDownWithinStabilizationWindow()
    {
        // Light load on 6 pods: the HPA wants fewer, but holds for 300 s.
        const auto decisions = runHpa(2.0, 6, 400, 2);
        QVERIFY(!decisions.empty());
        QVERIFY(decisions.front().first >= 300.0);
        QVERIFY(decisions.front().second < 6);
    }
};

QTEST_GUILESS_MAIN(TestHpaController)
#include "tst_hpacontroller.moc"
