#include "sim/cluster.h"

#include <QTest>

#include <cmath>
#include <random>

using namespace headroom;
using headroom::traffic::Arrival;

namespace {

// Poisson arrivals at `rate` with a fixed or lognormal service time.
std::vector<Arrival> poissonArrivals(double rate, double durationS, std::uint64_t seed,
                                     double fixedServiceS = 0.0)
{
    std::mt19937_64 rng(seed);
    std::exponential_distribution<double> gap(rate);
    std::lognormal_distribution<double> service(std::log(0.15) - 0.043, 0.294);
    std::vector<Arrival> out;
    for (double t = gap(rng); t < durationS; t += gap(rng))
        out.push_back({t, fixedServiceS > 0 ? fixedServiceS : service(rng)});
    return out;
}

struct Run
{
    std::vector<metrics::LaneSample> samples;
    metrics::LaneSummary summary;
    long long inFlightBeforeFinish = 0;
};

Run simulate(const sim::ClusterConfig &config, int replicas, const std::vector<Arrival> &arrivals,
             double durationS)
{
    sim::Cluster cluster(config, 7, replicas);
    Run run;
    std::size_t next = 0;
    for (double t = 1; t <= durationS; t += 1) {
        const std::size_t begin = next;
        while (next < arrivals.size() && arrivals[next].tS < t)
            ++next;
        cluster.advance(arrivals.data() + begin, arrivals.data() + next, t);
        run.samples.push_back(cluster.takeSample());
    }
    run.inFlightBeforeFinish = cluster.inFlight();
    cluster.finish();
    run.summary = cluster.summary();
    return run;
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyRequestEndsCompletedOrDropped_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<int>("replicas");
        QTest::addRow("light load, 2 pods") << 5.0 << 2;
        QTest::addRow("overload, queue fills and rejects") << 40.0 << 1;
        QTest::addRow("no pods at all") << 5.0 << 0;
    }
    void everyRequestEndsCompletedOrDropped()
    {
        QFETCH(double, rate);
        QFETCH(int, replicas);
        const auto arrivals = poissonArrivals(rate, 60, 1);
        const Run run = simulate(sim::ClusterConfig {}, replicas, arrivals, 60);
        QCOMPARE(run.summary.requests, static_cast<long long>(arrivals.size()));
        QCOMPARE(run.summary.completed + run.summary.dropped, run.summary.requests);
        double arrivalsSampled = 0;
        for (const auto &s : run.samples)
            arrivalsSampled += s.arrivalsPerS;
        QCOMPARE(arrivalsSampled, double(arrivals.size()));
        QVERIFY(run.summary.sloViolations >= run.summary.dropped);
    }

    void overloadRejectsBeyondQueueCapacity()
    {
        sim::ClusterConfig config;
        config.routerQueueCapacity = 50;
        const Run run = simulate(config, 1, poissonArrivals(40.0, 30, 2), 30);
        int maxQueue = 0;
        for (const auto &s : run.samples)
            maxQueue = std::max(maxQueue, s.queueLength);
        QCOMPARE(maxQueue, 50);
        QVERIFY(run.summary.dropped > 100); // ~33 req/s beyond one pod's ~6.7 req/s
    }

    void latencyNeverBelowServiceTime()
    {
        const Run run = simulate(sim::ClusterConfig {}, 3, poissonArrivals(8.0, 60, 3, 0.2), 60);
        QVERIFY(run.summary.completed > 300);
        // 1 % histogram resolution below the 200 ms service time at most.
        QVERIFY(run.summary.latencyP50Ms >= 198.0);
        for (const auto &s : run.samples) {
            if (!std::isnan(s.latencyP50Ms))
                QVERIFY2(s.latencyP50Ms >= 198.0, qPrintable(QString::number(s.latencyP50Ms)));
        }
    }

    void idlePodsReportIdleCpu()
    {
        const Run run = simulate(sim::ClusterConfig {}, 2, {}, 10);
        QCOMPARE(run.samples.back().podsReady, 2);
        QVERIFY(std::abs(run.samples.back().cpuUtilization - 0.02) < 1e-9); // 20 m of 1000 m
    }

    void saturatedPodUsesItsWholeRequest()
    {
        const Run run = simulate(sim::ClusterConfig {}, 1, poissonArrivals(30.0, 20, 4), 20);
        QVERIFY(run.samples.back().cpuUtilization > 0.99);
        QVERIFY(run.samples.back().cpuUtilization <= 1.0 + 1e-9);
    }

    void podsStartAfterPendingAndStarting()
    {
        sim::ClusterConfig config;
        config.podStartJitter = 0.0;
        sim::Cluster cluster(config, 1, 1);
        cluster.setDesiredReplicas(3);
        cluster.advance(nullptr, nullptr, 10.5);
        QCOMPARE(cluster.takeSample().podsStarting, 2); // 1 s pending + 10 s starting
        cluster.advance(nullptr, nullptr, 11.5);
        const auto s = cluster.takeSample();
        QCOMPARE(s.podsReady, 3);
        QCOMPARE(s.podsStarting, 0);
    }

    void podSecondsCountStartingPods()
    {
        sim::ClusterConfig config;
        sim::Cluster cluster(config, 1, 1);
        cluster.setDesiredReplicas(2); // a second pod from t = 0
        cluster.advance(nullptr, nullptr, 5.0);
        cluster.finish();
        QCOMPARE(cluster.summary().podSeconds, 10.0);
        QCOMPARE(cluster.summary().peakPods, 2);
    }

    void scaleDownDrainsInFlightWork()
    {
        sim::Cluster cluster(sim::ClusterConfig {}, 1, 2);
        const std::vector<Arrival> two {{0.1, 5.0}, {0.2, 5.0}}; // both pods busy for 5 s
        cluster.advance(two.data(), two.data() + 2, 1.0);
        cluster.setDesiredReplicas(1);
        cluster.advance(nullptr, nullptr, 2.0);
        QCOMPARE(int(cluster.pods().size()), 2); // one is Terminating, finishing its request
        cluster.advance(nullptr, nullptr, 6.0);
        QCOMPARE(int(cluster.pods().size()), 1);
        cluster.finish();
        QCOMPARE(cluster.summary().completed, 2);
        QCOMPARE(cluster.summary().dropped, 0);
    }

    void clientTimeoutDropsLongWaits()
    {
        sim::ClusterConfig config;
        config.clientTimeoutS = 2.0;
        sim::Cluster cluster(config, 1, 1);
        const std::vector<Arrival> a {{0.0, 5.0}, {0.1, 0.1}};
        cluster.advance(a.data(), a.data() + 2, 10.0);
        cluster.finish();
        const auto s = cluster.summary();
        QCOMPARE(s.completed, 0); // the first ran past its 2 s timeout, the second waited too long
        QCOMPARE(s.dropped, 2);
        QCOMPARE(s.sloViolations, 2);
    }

    void liveSummaryCountsRequestsAlreadyPastTheSlo()
    {
        sim::Cluster cluster(sim::ClusterConfig {}, 1, 1);
        const std::vector<Arrival> a {{0.0, 5.0}, {0.1, 0.1}, {1.9, 0.1}};
        cluster.advance(a.data(), a.data() + 3, 2.0);
        // One in service for 2 s and one queued for 1.9 s are late already; the
        // third has waited 0.1 s and may still make it.
        QCOMPARE(cluster.summary().sloViolations, 2);
        cluster.finish();
        QCOMPARE(cluster.summary().sloViolations, 3); // the third waited behind the first
        QCOMPARE(cluster.summary().completed, 3);
    }

    void concurrencyIsTheTimeAveragedRequestsInSystem()
    {
        sim::Cluster cluster(sim::ClusterConfig {}, 1, 1);
        // Busy 0.5 s, then one queued behind it for 0.25 s and served in 0.25 s.
        const std::vector<Arrival> a {{0.0, 0.5}, {0.25, 0.25}};
        cluster.advance(a.data(), a.data() + 2, 1.0);
        const auto s = cluster.takeSample();
        QVERIFY(std::abs(s.concurrency - (0.5 + 0.5)) < 1e-9);
        cluster.advance(nullptr, nullptr, 2.0);
        QCOMPARE(cluster.takeSample().concurrency, 0.0);
    }

    void sameSeedSameResult()
    {
        const auto arrivals = poissonArrivals(12.0, 60, 9);
        const Run a = simulate(sim::ClusterConfig {}, 2, arrivals, 60);
        const Run b = simulate(sim::ClusterConfig {}, 2, arrivals, 60);
        QCOMPARE(a.summary.completed, b.summary.completed);
        QCOMPARE(a.summary.latencyP99Ms, b.summary.latencyP99Ms);
        QCOMPARE(a.samples.size(), b.samples.size());
        for (std::size_t i = 0; i < a.samples.size(); ++i)
            QCOMPARE(a.samples[i].queueLength, b.samples[i].queueLength);
    }

    // A tagged request (an inference request from outside) goes the same way as the source's
    // and its end is reported: served by a pod, rejected by a full router queue, timed out.
    void taggedRequestsReportHowTheyEnded()
    {
        sim::ClusterConfig config;
        config.routerQueueCapacity = 1;
        config.clientTimeoutS = 2.0;
        sim::Cluster cluster(config, 1, 1);
        const std::vector<Arrival> busy {{0.0, 1.0}}; // the pod's one slot, until 1 s
        cluster.advance(busy.data(), busy.data() + 1, 0.5);
        cluster.arriveTagged(0.25, 7); // waits in the router's queue until 1 s
        cluster.arriveTagged(0.25, 8); // the queue is full: rejected
        std::vector<sim::TaggedOutcome> ended = cluster.takeTaggedOutcomes();
        QCOMPARE(ended.size(), std::size_t(1));
        QCOMPARE(ended[0].tag, 8u);
        QVERIFY(ended[0].kind == sim::TaggedOutcome::Kind::Rejected);
        QCOMPARE(ended[0].podId, 0);
        QCOMPARE(cluster.nextCompletionS(), 1.0);

        cluster.advance(nullptr, nullptr, 2.0);
        ended = cluster.takeTaggedOutcomes();
        QCOMPARE(ended.size(), std::size_t(1));
        QCOMPARE(ended[0].tag, 7u);
        QVERIFY(ended[0].kind == sim::TaggedOutcome::Kind::Completed);
        QCOMPARE(ended[0].arrivalS, 0.5);
        QCOMPARE(ended[0].endS, 1.25);
        QCOMPARE(ended[0].queueWaitS, 0.5);
        QCOMPARE(ended[0].serviceS, 0.25);
        QCOMPARE(ended[0].podId, 1);
        QVERIFY(cluster.takeTaggedOutcomes().empty());

        // No pod: it waits past the client timeout and is dropped, counted like any other.
        cluster.setDesiredReplicas(0);
        cluster.arriveTagged(0.25, 9);
        cluster.advance(nullptr, nullptr, 5.0);
        cluster.takeSample();
        ended = cluster.takeTaggedOutcomes();
        QCOMPARE(ended.size(), std::size_t(1));
        QVERIFY(ended[0].kind == sim::TaggedOutcome::Kind::TimedOut);
        QCOMPARE(cluster.summary().requests, 4LL);
        QCOMPARE(cluster.summary().dropped, 2LL);
    }
};

QTEST_GUILESS_MAIN(TestCluster)
#include "tst_cluster.moc"
