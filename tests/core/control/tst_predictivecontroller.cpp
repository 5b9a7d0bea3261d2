#include "control/predictivecontroller.h"
#include "sim/cluster.h"
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <sstream>

using namespace headroom;

namespace {

metrics::LaneSample sample(double tS, int ready, int queue, double completedPerS)
{
    metrics::LaneSample s;
    s.concurrency = 2.0 * ready + queue; // 2 slots per pod, all busy when requests queue
    s.tS = tS;
    s.podsReady = ready;
    s.queueLength = queue;
    s.completedPerS = completedPerS;
    return s;
}

// A scenario of constant segments, `rates[i]` from i * stepS to (i + 1) * stepS.
traffic::Scenario steps(const std::vector<double> &rates, double stepS)
{
    std::ostringstream json;
    json << R"({"name": "steps", "duration_s": )" << rates.size() * stepS
         << R"(, "seed": 3, "cluster": {"pod_pending_s": 1, "pod_starting_s": 4}, "segments": [)";
    for (std::size_t i = 0; i < rates.size(); ++i) {
        json << (i ? "," : "") << R"({"type": "constant", "start_s": )" << i * stepS
             << R"(, "end_s": )" << (i + 1) * stepS << R"(, "rate": )" << rates[i] << "}";
    }
    json << "]}";
    return traffic::parseScenario(json.str(), "steps.json");
}

std::unique_ptr<sim::Experiment> run(const traffic::Scenario &scenario, const std::string &model = {})
{
    sim::ExperimentConfig config = sim::scenarioConfig(scenario, {"predictive"});
    config.modelPath = model;
    auto e = std::make_unique<sim::Experiment>(
        config, std::make_unique<traffic::ScenarioArrivals>(scenario));
    e->runToEnd();
    return e;
}

std::vector<metrics::LaneEvent> fallbackEvents(const sim::Lane &lane)
{
    std::vector<metrics::LaneEvent> events;
    for (const auto &e : lane.events()) {
        if (e.kind == "fallback")
            events.push_back(e);
    }
    return events;
}

} // namespace

class TestPredictiveController : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void capacityFromServiceTime()
    {
        control::CapacityEstimator estimator(2);
        estimator.observe(sample(1, 3, 0, 4.0), 0.4); // 2 slots / 0.4 s
        // A request or two waiting for a moment while slots are free is no saturation.
        metrics::LaneSample brief = sample(2, 3, 2, 4.0);
        brief.concurrency = 3.0;
        estimator.observe(brief, 0.4);
        QCOMPARE(estimator.perPodRatePerS(), 5.0);
        QVERIFY(!estimator.measuredUnderLoad());
    }

    void capacityFromSaturatedThroughput()
    {
        // Requests queue while 4 pods complete 12 req/s: each pod manages 3, less than
        // the service time promises (5), so the measured figure wins.
        control::CapacityEstimator estimator(2);
        for (int t = 1; t <= 30; ++t)
            estimator.observe(sample(t, 4, 10, 12.0), 0.4);
        QVERIFY(estimator.measuredUnderLoad());
        QVERIFY2(std::abs(estimator.perPodRatePerS() - 3.0) < 1e-6,
            std::to_string(estimator.perPodRatePerS()).c_str());
        // Long after the saturation, the service time speaks again.
        for (int t = 31; t <= 200; ++t)
            estimator.observe(sample(t, 4, 0, 4.0), 0.4);
        QCOMPARE(estimator.perPodRatePerS(), 5.0);
    }

    void peakExcessIsTheMedianStepsBusiestSecond()
    {
        std::vector<metrics::LaneSample> samples;
        auto add = [&](double rate) {
            metrics::LaneSample x;
            x.tS = static_cast<double>(samples.size() + 1);
            x.arrivalsPerS = rate;
            samples.push_back(x);
        };
        for (int i = 0; i < 60; ++i)
            add(12.0);
        QCOMPARE(control::peakExcess(samples, 60, 60), 0.0);
        // Every step: four seconds at 10 and one at 20, mean 12: (20 - 12) / sqrt(12).
        samples.clear();
        for (int i = 0; i < 60; ++i)
            add(i % 5 == 2 ? 20.0 : 10.0);
        const double z = 8.0 / std::sqrt(12.0);
        QVERIFY(std::abs(control::peakExcess(samples, 60, 60) - z) < 1e-9);
        // A jump to a new level within one step does not move the median.
        samples[57].arrivalsPerS = samples[58].arrivalsPerS = samples[59].arrivalsPerS = 200.0;
        QVERIFY(std::abs(control::peakExcess(samples, 60, 60) - z) < 1e-9);
        // A hole in the source (seconds with no data, replayed as no arrivals) then data
        // again: the steps that touch the hole are left out, not read as a jump from zero.
        samples.clear();
        for (int i = 0; i < 60; ++i) {
            add(i < 51 ? 0.0 : (i % 5 == 2 ? 20.0 : 10.0));
            samples.back().noData = i < 51;
        }
        // One clean step is left, (55, 60]; the step (50, 55] starts in the hole.
        QVERIFY2(std::abs(control::peakExcess(samples, 60, 60) - z) < 1e-9,
            std::to_string(control::peakExcess(samples, 60, 60)).c_str());
    }

    void burstMarginFollowsTheServiceTime()
    {
        // A request of a second or less: the busiest second's excess, z sqrt(r).
        QCOMPARE(control::burstMargin(1.2, 25.0, 0.15), 6.0);
        QCOMPARE(control::burstMargin(1.2, 25.0, 1.0), 6.0);
        // 2.5 s a request: the spread over 2.5 s beyond that over the 5 s step, against that
        // of 1 s: sqrt((0.4 - 0.2) / 0.8) = 0.5 of it.
        QCOMPARE(control::burstMargin(1.2, 25.0, 2.5), 3.0);
        // From the step's length up, the 5 s forecast carries it all.
        QCOMPARE(control::burstMargin(1.2, 25.0, 5.0), 0.0);
        QCOMPARE(control::burstMargin(1.2, 25.0, 30.0), 0.0);
        QCOMPARE(control::burstMargin(1.2, 0.0, 2.5), 0.0);
    }

    void longRequestsAreNotPlannedForPerSecondPeaks()
    {
        // 6 req/s of 4 s requests (24 busy slots on average) for 5 minutes, pods ready in
        // 5 s. A slot is busy for 4 s of arrivals, so one busy second is no reason for more
        // pods: the reactive rule reads the rate over 4 s, the burst margin is a quarter.
        std::ostringstream json;
        json << R"({"name": "long", "duration_s": 300, "seed": 5,)"
             << R"( "cluster": {"pod_pending_s": 1, "pod_starting_s": 4, "service_mean_ms": 4000,)"
             << R"( "service_cv": 0.1, "max_replicas": 100},)"
             << R"( "segments": [{"type": "constant", "start_s": 0, "end_s": 300, "rate": 6}]})";
        auto e = run(traffic::parseScenario(json.str(), "long.json"));
        const sim::Lane &lane = *e->lanes()[0];
        double pods = 0.0;
        int n = 0;
        for (const auto &s : lane.samples()) {
            if (s.tS >= 120.0) {
                pods += s.podsDesired;
                ++n;
            }
        }
        const double mean = pods / n;
        // The load alone needs 24 pods at full use, 28 at the 0.85 target; the p90 over the
        // next minute and the 30 s hold add more (about 47). Sizing on the last second's
        // rate and per-second peaks, as for sub-second requests, held 57.
        QVERIFY2(mean >= 28.0 && mean <= 50.0, std::to_string(mean).c_str());
    }

    void podStartIsObserved()
    {
        sim::ClusterConfig config;
        config.podPendingS = 10.0;
        config.podStartingS = 20.0;
        config.podStartJitter = 0.0;
        sim::Cluster cluster(config, 1, 1);
        control::PodStartEstimator estimator(5.0);
        cluster.advance(nullptr, nullptr, 1.0);
        cluster.takeSample();
        estimator.observe(cluster); // the first pod started warm: no start time to learn
        QCOMPARE(estimator.observed(), 0);
        cluster.setDesiredReplicas(3);
        for (int t = 2; t <= 40; ++t) {
            cluster.advance(nullptr, nullptr, t);
            cluster.takeSample();
            estimator.observe(cluster);
        }
        QCOMPARE(estimator.observed(), 2);
        QVERIFY2(std::abs(estimator.meanS() - 30.0) < 1.01, std::to_string(estimator.meanS()).c_str());
    }

    // Pods become Ready in any order: a slower pod ready after a newer one counts too, as
    // does one that started between two looks. (Counting only pods newer than the last one
    // counted skipped the slower pods and learned a start time too short.)
    void podStartCountsPodsReadyOutOfOrder()
    {
        struct Pods : sim::ClusterView
        {
            sim::ClusterConfig c;
            std::vector<sim::Pod> list;
            double nowS() const override { return 0.0; }
            const sim::ClusterConfig &config() const override { return c; }
            int desiredReplicas() const override { return static_cast<int>(list.size()); }
            const std::vector<sim::Pod> &pods() const override { return list; }
            int queueLength() const override { return 0; }
            double observedServiceS() const override { return 0.15; }
            double cumulativeCpuCoreSeconds(const sim::Pod &) const override { return 0.0; }
        } cluster;
        const auto pod = [](int id, double readyS) {
            sim::Pod p;
            p.id = id;
            p.phase = sim::Pod::Phase::Starting;
            p.readyS = readyS; // all created at 0
            return p;
        };
        cluster.list = {pod(1, 40.0), pod(2, 10.0)};
        control::PodStartEstimator estimator(5.0);
        estimator.observe(cluster);
        QCOMPARE(estimator.observed(), 0);
        cluster.list[1].phase = sim::Pod::Phase::Ready; // the newer pod first
        estimator.observe(cluster);
        QCOMPARE(estimator.observed(), 1);
        QCOMPARE(estimator.meanS(), 10.0);
        cluster.list[0].phase = sim::Pod::Phase::Ready; // then the slower, older one
        estimator.observe(cluster);
        QCOMPARE(estimator.observed(), 2);
        QVERIFY2(estimator.meanS() > 10.0, std::to_string(estimator.meanS()).c_str());
        const double afterTwo = estimator.meanS();
        estimator.observe(cluster); // seen again: not counted again
        QCOMPARE(estimator.observed(), 2);
        QCOMPARE(estimator.meanS(), afterTwo);
        // A pod created and Ready between two looks counts; a warm one does not.
        cluster.list.push_back(pod(3, 12.0));
        cluster.list.back().phase = sim::Pod::Phase::Ready;
        sim::Pod warm = pod(4, 0.0);
        warm.phase = sim::Pod::Phase::Ready;
        cluster.list.push_back(warm);
        estimator.observe(cluster);
        QCOMPARE(estimator.observed(), 3);
    }

    void missingModelRunsTheReactiveRuleVisibly()
    {
        auto e = run(steps({5, 40, 40, 40}, 30), "/nonexistent/model.pt");
        const sim::Lane &lane = *e->lanes()[0];
        const auto events = fallbackEvents(lane);
        QCOMPARE(events.size(), std::size_t(1));
        QVERIFY2(events[0].text.find("model unavailable") != std::string::npos, events[0].text.c_str());
        QVERIFY(events[0].text.find("/nonexistent/model.pt") != std::string::npos);
        QCOMPARE(events[0].region, std::string("reactive fallback"));
        for (const auto &s : lane.samples())
            QVERIFY(s.fallback);
        // It still follows the load up.
        QVERIFY(lane.samples().back().podsDesired > lane.samples().front().podsDesired);
        QCOMPARE(lane.summary().fallbackSeconds, 120.0);
    }

    void modelTakesOverAfterWarmup()
    {
        auto e = run(steps({20, 20, 20, 20}, 30));
        const sim::Lane &lane = *e->lanes()[0];
        const auto events = fallbackEvents(lane);
        QCOMPARE(events.size(), std::size_t(2));
        QVERIFY(events[0].text.find("warming up") != std::string::npos);
        QVERIFY(events[0].regionOpens);
        QVERIFY(!events[1].regionOpens);
        QCOMPARE(events[1].tS, 15.0);
        // Every decision after the warm-up carries a forecast; steady load keeps its
        // p50 near the level, and the actual rate mostly below the p90.
        for (const auto &s : lane.samples()) {
            if (s.tS > 15.0) {
                QVERIFY(!s.fallback);
                QVERIFY(std::isfinite(s.forecastP50));
                QVERIFY(s.forecastP90 >= s.forecastP50);
            }
        }
        const auto summary = lane.summary();
        QVERIFY(summary.forecasts);
        QVERIFY2(summary.forecast.relativeMae < 0.2, std::to_string(summary.forecast.relativeMae).c_str());
        QVERIFY2(summary.forecast.coverageP90 > 0.7, std::to_string(summary.forecast.coverageP90).c_str());
        QVERIFY(lane.forecastCurve().has_value());
        QCOMPARE(lane.forecastCurve()->p90.size(), std::size_t(11));
    }

    void modelRunsOnceAStepAndAtOnceOnARise()
    {
        // 10 req/s for a minute, then 60 req/s.
        const traffic::Scenario scenario = steps({10, 60}, 60);
        sim::ExperimentConfig config = sim::scenarioConfig(scenario, {"predictive"});
        sim::Experiment e(config, std::make_unique<traffic::ScenarioArrivals>(scenario));
        std::vector<double> madeAt; // when each forecast the lane used was made
        for (int t = 1; t <= 70; ++t) {
            e.advanceTo(t);
            const auto curve = e.lanes()[0]->forecastCurve();
            QVERIFY(curve.has_value());
            if (madeAt.empty() || curve->madeAtS != madeAt.back())
                madeAt.push_back(curve->madeAtS);
        }
        // Under the steady load, a forecast once a 5 s step, and sooner only when a second's
        // noise took the load past the p90 (at 10 req/s, about one second in four): far
        // fewer forecasts than seconds, and none older than a step.
        int steady = 0;
        for (std::size_t i = 1; i < madeAt.size() && madeAt[i] < 60.0; ++i) {
            QVERIFY2(madeAt[i] - madeAt[i - 1] <= 5.0, std::to_string(madeAt[i]).c_str());
            steady += madeAt[i] > 15.0;
        }
        QVERIFY2(steady >= 9 && steady <= 22, std::to_string(steady).c_str());
        // The step at 60 s is news the lane does not wait for: a forecast at 61 s, and
        // every second while the load is still past the latest p90.
        QVERIFY(std::find(madeAt.begin(), madeAt.end(), 61.0) != madeAt.end());
        QVERIFY(std::find(madeAt.begin(), madeAt.end(), 62.0) != madeAt.end());
        // Every second still carries a forecast for the same horizon (the first a pod
        // started now can serve), the held one's value for that second's target.
        const auto &samples = e.lanes()[0]->samples();
        for (const auto &s : samples) {
            if (s.tS > 15.0 && s.tS < 60.0) {
                QCOMPARE(s.forecastHorizonS, samples[20].forecastHorizonS);
                QVERIFY(std::isfinite(s.forecastP50));
            }
        }
    }

    void queueAfterAStepDrainsAndItsPodsGo()
    {
        // No model: the reactive rule alone. 5 req/s, then a step to 40 req/s that the
        // ready pods cannot take while new ones start (5 s), so a queue builds.
        auto e = run(steps({5, 40, 40, 40}, 30), "/nonexistent/model.pt");
        const sim::Lane &lane = *e->lanes()[0];
        const auto &samples = lane.samples();
        // Pods for 40 req/s at 85 % of a pod's ~6.7 req/s (150 ms service), for the
        // busiest second of the 30 s hold: 9 to 12.
        const int steady = samples.back().podsDesired;
        QVERIFY2(steady >= 9 && steady <= 12, std::to_string(steady).c_str());
        // The first decision after the step already asks for the pods that drain the
        // queue the new pods will find on arrival, not only today's queue: well above
        // the steady count.
        int before = 0;
        for (const auto &s : samples) {
            if (s.tS <= 30.0)
                before = s.podsDesired;
        }
        int firstAsk = 0;
        double drainedS = -1.0;
        int peak = 0;
        for (const auto &s : samples) {
            if (s.tS > 30.0 && firstAsk == 0 && s.podsDesired > before)
                firstAsk = s.podsDesired;
            if (s.tS > 30.0 && s.tS < 60.0)
                peak = std::max(peak, s.podsDesired);
            if (s.tS > 36.0 && drainedS < 0.0 && s.queueLength == 0)
                drainedS = s.tS;
        }
        QVERIFY2(firstAsk >= steady + 3, (std::to_string(firstAsk) + " vs " + std::to_string(steady)).c_str());
        QVERIFY2(drainedS > 0.0 && drainedS <= 45.0, std::to_string(drainedS).c_str());
        // Once the queue is gone its extra pods go too, within a few seconds, instead of
        // staying for the 30 s scale-down hold.
        for (const auto &s : samples) {
            if (s.tS >= drainedS + 5.0 && s.tS <= drainedS + 25.0) {
                QVERIFY2(s.podsDesired < peak,
                         (std::to_string(s.tS) + " s: " + std::to_string(s.podsDesired)).c_str());
            }
        }
    }

    void largeErrorFallsBack()
    {
        // 10 s on, 10 s off, at 60 req/s: most 5 s steps are 60 or 0, and a forecast of
        // anything in between is off by about the mean itself, beyond the 60 % limit.
        std::vector<double> rates;
        for (int i = 0; i < 60; ++i)
            rates.push_back(i % 2 == 0 ? 60.0 : 0.0);
        auto e = run(steps(rates, 10));
        const auto events = fallbackEvents(*e->lanes()[0]);
        bool errorFallback = false;
        for (const auto &ev : events)
            errorFallback = errorFallback || ev.text.find("forecast error") != std::string::npos;
        QVERIFY(errorFallback);
    }

    void countingNoiseIsNoFaultOfTheModel()
    {
        // A steady 0.5 req/s: a 5 s step counts 2.5 requests on average, give or take 1.6,
        // so even the exact rate misses a step by about half of it. The model is not wrong
        // there, and the lane does not fall back for it (it did for 1,357 s of these 1,800).
        auto e = run(steps({0.5}, 1800));
        const sim::Lane &lane = *e->lanes()[0];
        for (const auto &ev : fallbackEvents(lane))
            QVERIFY2(ev.text.find("forecast error") == std::string::npos, ev.text.c_str());
        // Its raw error is as large as the noise makes it: what the summary reports.
        const auto summary = lane.summary();
        QVERIFY2(summary.forecast.relativeMae > 0.4, std::to_string(summary.forecast.relativeMae).c_str());
        QCOMPARE(summary.fallbackSeconds, 14.0); // the warm-up's first 14 s only
    }
};

QTEST_GUILESS_MAIN(TestPredictiveController)
#include "tst_predictivecontroller.moc"
