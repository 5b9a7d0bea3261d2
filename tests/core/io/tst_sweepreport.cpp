// The sweep report's statistics and files, on numbers worked out by hand.
#include "io/sweepreport.h"

#include "io/inputerror.h"
#include "io/runwriter.h"

#include <QTest>
#include <nlohmann/json.hpp>
#include <cmath>
#include <limits>
#include <string>

using namespace headroom;

namespace {

metrics::LaneSummary lane(const std::string &controller, long long violations, double podSeconds)
{
    metrics::LaneSummary l;
    l.controller = controller;
    l.sloViolations = violations;
    l.podSeconds = podSeconds;
    l.latencyP95Ms = 100.0;
    l.latencyP99Ms = 200.0;
    l.peakPods = 4;
    return l;
}

io::SweepRun run(const std::string &source, int index, std::uint64_t seed,
    std::vector<metrics::LaneSummary> lanes)
{
    io::SweepRun r;
    r.source = source;
    r.spec = source;
    r.sourceIndex = index;
    r.seed = seed;
    r.summary.scenario = source;
    r.summary.seed = seed;
    r.summary.lanes = std::move(lanes);
    return r;
}

} // namespace

class TestSweepReport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void tQuantilesMatchTheTable()
    {
        QCOMPARE(io::studentT975(1), 12.7062);
        QCOMPARE(io::studentT975(2), 4.3027);
        QCOMPARE(io::studentT975(9), 2.2622);
        QCOMPARE(io::studentT975(30), 2.0423);
        // Beyond the table: t(0.975, 40) = 2.0211, t(0.975, 120) = 1.9799.
        QVERIFY(std::abs(io::studentT975(40) - 2.0211) < 2e-4);
        QVERIFY(std::abs(io::studentT975(120) - 1.9799) < 2e-4);
        QVERIFY(std::isnan(io::studentT975(0)));
    }

    void meanAndIntervalOfThreeValues()
    {
        // 10, 12, 14: mean 12, s = 2, half-width = 4.3027 * 2 / sqrt(3) = 4.96833.
        const io::MeanInterval m = io::meanInterval({10.0, 12.0, 14.0});
        QCOMPARE(m.n, 3);
        QCOMPARE(m.mean, 12.0);
        QVERIFY(std::abs(m.halfWidth() - 4.96833) < 1e-4);
        QVERIFY(std::abs(m.low - 7.03167) < 1e-4);
        QVERIFY(std::abs(m.high - 16.96833) < 1e-4);
    }

    void meanAndIntervalOfFiveValues()
    {
        // 1..5: mean 3, s = sqrt(2.5) = 1.58114, half-width = 2.7764 * 1.58114 / sqrt(5) = 1.96324.
        const io::MeanInterval m = io::meanInterval({1, 2, 3, 4, 5});
        QCOMPARE(m.mean, 3.0);
        QVERIFY(std::abs(m.halfWidth() - 1.96324) < 1e-4);
    }

    void oneValueHasNoIntervalAndNaNsAreSkipped()
    {
        const io::MeanInterval one = io::meanInterval({7.0});
        QCOMPARE(one.n, 1);
        QCOMPARE(one.mean, 7.0);
        QVERIFY(std::isnan(one.low) && std::isnan(one.high));

        const double nan = std::numeric_limits<double>::quiet_NaN();
        const io::MeanInterval two = io::meanInterval({nan, 4.0, 6.0});
        QCOMPARE(two.n, 2);
        QCOMPARE(two.mean, 5.0);
        // s = sqrt(2), half-width = 12.7062 * sqrt(2) / sqrt(2) = 12.7062.
        QVERIFY(std::abs(two.halfWidth() - 12.7062) < 1e-9);

        QCOMPARE(io::meanInterval({}).n, 0);
    }

    void reportGroupsBySourceInIndexOrder()
    {
        std::vector<io::SweepRun> runs;
        runs.push_back(run("b-trace", 1, 1, {lane("hpa", 5, 50.0), lane("predictive", 1, 60.0)}));
        runs.push_back(
            run("a-scenario", 0, 2, {lane("hpa", 12, 100.0), lane("predictive", 2, 110.0)}));
        runs.push_back(
            run("a-scenario", 0, 1, {lane("hpa", 10, 90.0), lane("predictive", 4, 130.0)}));
        runs.push_back(
            run("a-scenario", 0, 3, {lane("hpa", 14, 110.0), lane("predictive", 3, 120.0)}));
        runs[0].summary.lanes[1].available = false;

        const io::SweepReport report = io::buildSweepReport(runs, {"hpa", "predictive"}, "cmd");
        QCOMPARE(report.sources.size(), std::size_t(2));
        QCOMPARE(report.sources[0].source, std::string("a-scenario"));
        const io::ControllerStats &hpa = report.sources[0].controllers[0];
        QCOMPARE(hpa.seeds, (std::vector<std::uint64_t> {1, 2, 3}));
        QCOMPARE(hpa.intervals[0].mean, 12.0); // slo_violations 10, 12, 14
        QCOMPARE(hpa.intervals[1].mean, 100.0); // pod_seconds 90, 100, 110
        QVERIFY(std::abs(hpa.intervals[1].halfWidth() - 24.8417) < 1e-3);
        QCOMPARE(report.sources[0].controllers[1].intervals[0].mean, 3.0);
        // An unavailable lane is left out of the statistics and counted.
        const io::ControllerStats &unavailable = report.sources[1].controllers[1];
        QCOMPARE(unavailable.seeds.size(), std::size_t(0));
        QCOMPARE(unavailable.unavailableRuns, 1);

        const std::string csv = io::sweepCsv(report);
        QVERIFY(csv.starts_with("source,controller,seeds,slo_violations_mean,"
                                "slo_violations_ci95_low,slo_violations_ci95_high,"
                                "pod_seconds_mean,"));
        QVERIFY(csv.find("\na-scenario,hpa,3,12,7.031") != std::string::npos);
        QVERIFY(csv.find("\nb-trace,hpa,1,5,,,50,,,") != std::string::npos);

        const std::string md = io::sweepMarkdown(report);
        QVERIFY(md.find("## a-scenario") != std::string::npos);
        QVERIFY(md.find("| hpa | 3 | 12.0 ± 5.0 | 100 ± 25 |") != std::string::npos);
        QVERIFY(md.find("```\ncmd\n```") != std::string::npos);
    }

    void halvesRoundUpInTheTable()
    {
        // Means of two seeds end in .5 often: 212.5 reads 213, as a reader rounds it (printf
        // gives the even 212), and 0.125 reads 0.13.
        std::vector<io::SweepRun> runs;
        runs.push_back(run("s", 0, 1, {lane("hpa", 212, 0.125)}));
        runs.push_back(run("s", 0, 2, {lane("hpa", 213, 0.125)}));
        const std::string md = io::sweepMarkdown(io::buildSweepReport(runs, {"hpa"}, "cmd"));
        QVERIFY2(md.find("| hpa | 2 | 213 ± ") != std::string::npos, md.c_str());
        QVERIFY2(md.find("| 0.13 ± 0.00 |") != std::string::npos, md.c_str());
    }

    void gapToTheClairvoyantLaneAndTheVerdict()
    {
        // Seed 1: clairvoyant 0 violations, 100 pod-s; seed 2: 2 violations, 200 pod-s.
        std::vector<io::SweepRun> runs;
        runs.push_back(run("s", 0, 1,
            {lane("hpa", 10, 110.0), lane("predictive", 4, 120.0), lane("predictive-alt", 4, 120.0),
                lane("clairvoyant", 0, 100.0)}));
        runs.push_back(run("s", 0, 2,
            {lane("hpa", 20, 260.0), lane("predictive", 6, 300.0), lane("predictive-alt", 6, 300.0),
                lane("clairvoyant", 2, 200.0)}));
        runs.push_back(run("no-oracle", 1, 1, {lane("hpa", 3, 10.0), lane("predictive", 5, 20.0)}));
        const io::SweepReport report = io::buildSweepReport(
            runs, {"hpa", "predictive", "predictive-alt", "clairvoyant"}, "cmd");
        QCOMPARE(report.sources.size(), std::size_t(2));
        const io::SourceStats &s = report.sources[0];

        // hpa: violations over 10 and 18, mean 14; cost ratios 1.1 and 1.3, mean 1.2,
        // half-width 12.7062 * 0.141421 / sqrt(2) = 1.27062.
        const io::ControllerStats &hpa = s.controllers[0];
        QVERIFY(hpa.gap.has_value());
        QCOMPARE(hpa.gap->violationsOverInterval.mean, 14.0);
        QVERIFY2(std::abs(hpa.gap->costRatioInterval.mean - 1.2) < 1e-12, std::to_string(hpa.gap->costRatioInterval.mean).c_str());
        QVERIFY(std::abs(hpa.gap->costRatioInterval.halfWidth() - 1.27062) < 1e-4);
        // predictive: over 4 and 4; ratios 1.2 and 1.5, mean 1.35.
        const io::ControllerStats &predictive = s.controllers[1];
        QCOMPARE(predictive.gap->violationsOverInterval.mean, 4.0);
        QVERIFY(std::abs(predictive.gap->costRatioInterval.mean - 1.35) < 1e-12);
        QVERIFY(!s.controllers[3].gap.has_value()); // the clairvoyant lane itself
        QVERIFY(!report.sources[1].controllers[0].gap.has_value()); // no clairvoyant lane

        // Verdict: predictive and predictive-alt tie at 5 mean violations, hpa has 15.
        const io::SourceVerdict &v = s.verdict;
        QVERIFY(v.hasClairvoyant);
        QCOMPARE(v.causalLanes, 3);
        QCOMPARE(v.fewestViolations, (std::vector<std::string> {"predictive", "predictive-alt"}));
        QCOMPARE(v.fewestViolationsMean, 5.0);
        QCOMPARE(v.predictive.size(), std::size_t(2));
        QCOMPARE(v.predictive[0].rank, 1);
        QCOMPARE(v.predictive[1].rank, 1);
        QVERIFY(v.predictive[0].withinCostTarget.has_value());
        QVERIFY(!*v.predictive[0].withinCostTarget); // 1.35 > 1.3
        // Without a clairvoyant lane: a rank, no cost ratio. predictive (5) is behind hpa (3).
        const io::SourceVerdict &w = report.sources[1].verdict;
        QVERIFY(!w.hasClairvoyant);
        QCOMPARE(w.fewestViolations, std::vector<std::string> {"hpa"});
        QCOMPARE(w.predictive[0].rank, 2);
        QVERIFY(!w.predictive[0].withinCostTarget.has_value());

        const std::string csv = io::sweepCsv(report);
        QVERIFY(csv.find(",dropped_ci95_high,violations_over_clairvoyant_mean,cost_ratio_mean,"
                         "cost_ratio_ci95_low,cost_ratio_ci95_high\n")
            != std::string::npos);
        QVERIFY(csv.find(",14,1.2,") != std::string::npos);
        QVERIFY(csv.find(",4,1.35,") != std::string::npos);
        QVERIFY(csv.find("\nno-oracle,hpa,1,3,") != std::string::npos);
        QVERIFY(csv.find(",,,,\nno-oracle,predictive") != std::string::npos); // empty gap cells

        const std::string md = io::sweepMarkdown(report);
        QVERIFY(md.find("| violations over clairvoyant | cost ratio |") != std::string::npos);
        QVERIFY(md.find("| 14.0 | 1.20 ± 1.27 |") != std::string::npos);
        QVERIFY(md.find("| clairvoyant | 2 |") != std::string::npos);
        QVERIFY(md.find("**Verdict:** fewest mean SLO violations among the 3 causal lanes: "
                        "predictive, predictive-alt (5.00).")
            != std::string::npos);
        QVERIFY(md.find("predictive: 5.00 violations, rank 1 of 3, cost ratio 1.35 > 1.30 "
                        "(over target).")
            != std::string::npos);

        const std::string json = io::sweepJson(report);
        QVERIFY(json.find("\"verdict\"") != std::string::npos);
        QVERIFY(json.find("\"cost_ratio_within_target\": false") != std::string::npos);
    }

    // A clairvoyant lane with more violations than a causal one is no limit: the verdict says
    // so and gives no cost target met (a new-user trial found "within target" against one).
    void aClairvoyantLaneBeatenIsNoTarget()
    {
        std::vector<io::SweepRun> runs;
        for (std::uint64_t seed : {1, 2})
            runs.push_back(run("llm", 0, seed, {lane("predictive", 751, 69930), lane("clairvoyant", 1580, 62524)}));
        const io::SweepReport report = io::buildSweepReport(runs, {"predictive", "clairvoyant"}, "sweep");
        const io::SourceVerdict &v = report.sources[0].verdict;
        QCOMPARE(v.clairvoyantNotTheLimit, std::optional<double>(1580.0));
        QVERIFY(!v.predictive[0].withinCostTarget.has_value());
        const std::string md = io::sweepMarkdown(report);
        QVERIFY2(md.find("predictive: 751 violations, rank 1 of 1, cost ratio 1.12, no target (see below). "
                         "**The clairvoyant lane is not the limit here:** 1580 mean violations against "
                         "predictive's 751, so no cost ratio against it is a target met or missed.")
                     != std::string::npos,
                 md.c_str());
        QVERIFY(md.find("within target") == std::string::npos);
        // Within a request, or 5 %, of the fewest: seed noise, still the limit.
        std::vector<io::SweepRun> close;
        close.push_back(run("nasa", 0, 1, {lane("predictive", 3, 100), lane("clairvoyant", 4, 60)}));
        QVERIFY(!io::buildSweepReport(close, {"predictive", "clairvoyant"}, "sweep").sources[0].verdict.clairvoyantNotTheLimit);
    }

    // A clairvoyant lane held at max_replicas in some runs: sweep.md says so under the verdict,
    // sweep.json has it, and summary.json's provisioning.reference_capped reads back.
    void cappedReferenceIsNotedInTheReport()
    {
        auto capped = [](metrics::LaneSummary l, double seconds) {
            l.referenceCappedSeconds = seconds;
            l.referenceCapPods = 20;
            return l;
        };
        std::vector<io::SweepRun> runs;
        runs.push_back(run("nasa", 0, 1,
            {capped(lane("hpa", 10, 110.0), 300.0), capped(lane("clairvoyant", 0, 100.0), 300.0)}));
        runs.push_back(run("nasa", 0, 2,
            {capped(lane("hpa", 10, 110.0), 100.0), capped(lane("clairvoyant", 0, 100.0), 100.0)}));
        runs.push_back(run("nasa", 0, 3, {lane("hpa", 10, 110.0), lane("clairvoyant", 0, 100.0)}));
        const io::SweepReport report = io::buildSweepReport(runs, {"hpa", "clairvoyant"}, "cmd");
        const io::ControllerStats &clairvoyant = report.sources[0].controllers[1];
        QCOMPARE(clairvoyant.cappedRuns, 2);
        QCOMPARE(clairvoyant.cappedSeconds, 400.0);
        QCOMPARE(clairvoyant.capPods, 20);
        const std::string md = io::sweepMarkdown(report);
        QVERIFY2(md.find("\nclairvoyant (the reference) was capped at 20 pods in 2 of 3 run(s), "
                         "for 200 s on average (max_replicas while the load needed more; see "
                         "runs/*/summary.json): violations over it and cost ratios compare with "
                         "a reference held short of the load.\n")
                != std::string::npos,
            md.c_str());
        const std::string json = io::sweepJson(report);
        const nlohmann::json sweep = nlohmann::json::parse(json);
        const nlohmann::json &cappedJson = sweep["sources"][0]["controllers"][1]["reference_capped"];
        QCOMPARE(cappedJson["runs"].get<int>(), 2);
        QCOMPARE(cappedJson["pods"].get<int>(), 20);
        QCOMPARE(cappedJson["mean_seconds"].get<double>(), 200.0);
        QVERIFY(sweep["sources"][0]["controllers"][0]["reference_capped"]["runs"].get<int>() == 2);
        // Uncapped: no note.
        runs.pop_back();
        runs.erase(runs.begin(), runs.begin() + 2);
        runs.push_back(run("nasa", 0, 4, {lane("hpa", 10, 110.0), lane("clairvoyant", 0, 100.0)}));
        QVERIFY(io::sweepMarkdown(io::buildSweepReport(runs, {"hpa", "clairvoyant"}, "cmd"))
                    .find("was capped") == std::string::npos);

        const std::string text = R"({"scenario": "s", "source": "scenario s", "seed": 3,
            "duration_s": 70, "slo_latency_ms": 500, "lanes": [{"controller": "hpa",
            "available": true, "requests": 10, "completed": 9, "dropped": 1,
            "slo_violations": 2, "latency_ms": {"p50": 1, "p95": 2, "p99": 3, "max": 4},
            "pod_seconds": 12.5, "peak_pods": 3, "provisioning": {"reference": "clairvoyant",
            "over_pod_seconds": 0, "under_pod_seconds": 0, "reference_pod_seconds": 12,
            "reference_capped": {"pods": 20, "seconds": 45}}}]})";
        const metrics::RunSummary s = io::parseSummaryJson(text, "x.json");
        QCOMPARE(s.lanes[0].referenceCapPods, 20);
        QCOMPARE(s.lanes[0].referenceCappedSeconds, 45.0);
    }

    void summaryJsonReadsBack()
    {
        const std::string text = R"({"scenario": "s", "source": "scenario s", "seed": 3,
            "duration_s": 70, "slo_latency_ms": 500, "lanes": [{"controller": "hpa",
            "available": true, "requests": 10, "completed": 9, "dropped": 1,
            "slo_violations": 2, "latency_ms": {"p50": 1, "p95": null, "p99": 3, "max": 4},
            "pod_seconds": 12.5, "peak_pods": 3}]})";
        const metrics::RunSummary s = io::parseSummaryJson(text, "x.json");
        QCOMPARE(s.seed, 3ull);
        QCOMPARE(s.lanes.size(), std::size_t(1));
        QCOMPARE(s.lanes[0].podSeconds, 12.5);
        QVERIFY(std::isnan(s.lanes[0].latencyP95Ms));
        QVERIFY_THROWS_EXCEPTION(std::exception, io::parseSummaryJson("{", "x.json"));
    }

    // relative_mae is null when no request arrived at the scored targets (files written
    // before 6 December 2026 have 0 there): both read, and each writes back as it was read.
    void relativeForecastErrorReadsAsNullOrAsTheOldZero()
    {
        const auto summary = [](const std::string &relative) {
            return R"({"scenario": "zero", "source": "scenario zero", "seed": 1,
                "duration_s": 120, "slo_latency_ms": 500, "lanes": [{"controller": "predictive",
                "available": true, "requests": 0, "completed": 0, "dropped": 0,
                "slo_violations": 0, "latency_ms": {"p50": null, "p95": null, "p99": null,
                "max": null}, "pod_seconds": 120, "peak_pods": 1, "forecast": {"forecasts": 99,
                "mae_req_per_s": 0.036, "relative_mae": )"
                + relative + R"(, "coverage_p90": 1}, "fallback_s": 0}]})";
        };
        const metrics::RunSummary now = io::parseSummaryJson(summary("null"), "now.json");
        const metrics::RunSummary before = io::parseSummaryJson(summary("0"), "before.json");
        QVERIFY(std::isnan(now.lanes[0].forecast.relativeMae));
        QCOMPARE(before.lanes[0].forecast.relativeMae, 0.0);
        for (const metrics::RunSummary *s : {&now, &before})
            QCOMPARE(s->lanes[0].forecast.maeRatePerS, 0.036);
        QVERIFY(io::laneSummaryJson(now.lanes[0])["forecast"]["relative_mae"].is_null());
        QVERIFY(io::laneSummaryJson(before.lanes[0])["forecast"]["relative_mae"] == 0);
        io::SweepRun a = run("zero", 0, 1, {});
        a.summary = now;
        QVERIFY(!io::sweepCsv(io::buildSweepReport({a}, {"predictive"}, "cmd")).empty());
    }

    // summary.json's reference lane has null over, under and reference pod-seconds (it is not
    // compared with itself); files written before have 0 there. Both read, to the same report,
    // and each writes back as it was read (a merge's runs, a recording saved again).
    void referenceLaneProvisioningReadsAsNullOrAsTheOldZero()
    {
        const auto summary = [](const std::string &compared) {
            return R"({"scenario": "s", "source": "scenario s", "seed": 1, "duration_s": 70,
                "slo_latency_ms": 500, "lanes": [{"controller": "hpa", "available": true,
                "requests": 10, "completed": 10, "dropped": 0, "slo_violations": 3,
                "latency_ms": {"p50": 1, "p95": 2, "p99": 3, "max": 4}, "pod_seconds": 8,
                "peak_pods": 1, "provisioning": {"reference": "clairvoyant",
                "over_pod_seconds": 1, "under_pod_seconds": 0, "reference_pod_seconds": 7,
                "reference_capped": null}}, {"controller": "clairvoyant", "available": true,
                "requests": 10, "completed": 10, "dropped": 0, "slo_violations": 0,
                "latency_ms": {"p50": 1, "p95": 2, "p99": 3, "max": 4}, "pod_seconds": 7,
                "peak_pods": 1, "provisioning": {"reference": "clairvoyant",
                "over_pod_seconds": )"
                + compared + R"(, "under_pod_seconds": )" + compared
                + R"(, "reference_pod_seconds": )" + compared
                + R"(, "reference_capped": {"pods": 20, "seconds": 3}}}]})";
        };
        const metrics::RunSummary now = io::parseSummaryJson(summary("null"), "now.json");
        const metrics::RunSummary before = io::parseSummaryJson(summary("0"), "before.json");
        QVERIFY(now.lanes[1].isProvisioningReference);
        QVERIFY(!before.lanes[1].isProvisioningReference);
        for (const metrics::RunSummary *s : {&now, &before}) {
            QVERIFY(!s->lanes[0].isProvisioningReference);
            QCOMPARE(s->lanes[0].overPodSeconds, 1.0);
            QCOMPARE(s->lanes[0].referencePodSeconds, 7.0);
            QCOMPARE(s->lanes[1].overPodSeconds, 0.0);
            QCOMPARE(s->lanes[1].underPodSeconds, 0.0);
            QCOMPARE(s->lanes[1].referenceCappedSeconds, 3.0);
        }
        const nlohmann::json nowBack = io::laneSummaryJson(now.lanes[1])["provisioning"];
        const nlohmann::json beforeBack = io::laneSummaryJson(before.lanes[1])["provisioning"];
        for (const char *key : {"over_pod_seconds", "under_pod_seconds", "reference_pod_seconds"}) {
            QVERIFY2(nowBack.at(key).is_null(), key);
            QVERIFY2(beforeBack.at(key) == 0, key);
        }
        io::SweepRun a = run("s", 0, 1, {});
        a.summary = now;
        io::SweepRun b = run("s", 0, 1, {});
        b.summary = before;
        QCOMPARE(io::sweepCsv(io::buildSweepReport({a}, {"hpa", "clairvoyant"}, "cmd")),
            io::sweepCsv(io::buildSweepReport({b}, {"hpa", "clairvoyant"}, "cmd")));
        // A number of the wrong kind is still refused, naming the field.
        std::string text = summary("null");
        const std::string one = "\"over_pod_seconds\": 1,";
        text.replace(text.find(one), one.size(), "\"over_pod_seconds\": \"1\",");
        try {
            io::parseSummaryJson(text, "bad.json");
            QFAIL("a text for a number was read");
        } catch (const InputError &e) {
            QVERIFY2(std::string(e.what()).find("over_pod_seconds") != std::string::npos, e.what());
        }
    }

    void laneWithoutItsModelIsNotCountedAsTheModel()
    {
        // The lane ran its reactive fallback for want of a model: its numbers are not the
        // model's, so the sweep leaves the run out of that lane's statistics, whether the
        // run was made here or read back from its summary.json by a merge.
        const std::string text = R"({"scenario": "s", "source": "scenario s", "seed": 1,
            "duration_s": 70, "slo_latency_ms": 500, "lanes": [{"controller": "predictive",
            "available": true, "model_error": "/m/x.pt: model file not found", "requests": 10,
            "completed": 10, "dropped": 0, "slo_violations": 0,
            "latency_ms": {"p50": 1, "p95": 2, "p99": 3, "max": 4}, "pod_seconds": 5,
            "peak_pods": 1}, {"controller": "hpa", "available": true, "requests": 10,
            "completed": 10, "dropped": 0, "slo_violations": 3,
            "latency_ms": {"p50": 1, "p95": 2, "p99": 3, "max": 4}, "pod_seconds": 5,
            "peak_pods": 1}]})";
        const metrics::RunSummary read = io::parseSummaryJson(text, "x.json");
        QCOMPARE(read.lanes[0].modelError, std::string("/m/x.pt: model file not found"));
        metrics::LaneSummary fallback = lane("predictive", 0, 5.0);
        fallback.modelError = "/m/x.pt: model file not found";
        const std::vector<io::SweepRun> made {run("s", 0, 1, {fallback, lane("hpa", 3, 5.0)})};
        io::SweepRun merged = run("s", 0, 1, {});
        merged.summary = read;
        for (const std::vector<io::SweepRun> &runs : {made, std::vector<io::SweepRun> {merged}}) {
            const io::SweepReport report = io::buildSweepReport(runs, {"predictive", "hpa"}, "cmd");
            const io::ControllerStats &predictive = report.sources[0].controllers[0];
            QCOMPARE(predictive.unavailableRuns, 1);
            QVERIFY(predictive.seeds.empty());
            QCOMPARE(report.sources[0].controllers[1].seeds.size(), std::size_t(1));
            // Its summary.json says "available": true; the report says why it is not counted.
            const std::string md = io::sweepMarkdown(report);
            QVERIFY2(md.find("predictive ran without its model (model_error in runs/*/summary.json) "
                             "in 1 run(s): counted as unavailable")
                    != std::string::npos,
                md.c_str());
            QVERIFY2(md.find("was unavailable in") == std::string::npos, md.c_str());
        }
    }

    void shellJoinQuotesWhatAShellWouldSplit()
    {
        QCOMPARE(io::shellJoin({"headroom-cli", "--traces", "a b.csv@x10", "it's"}),
            std::string("headroom-cli --traces 'a b.csv@x10' 'it'\\''s'"));
    }

    // A recorded command line reads back as the words shellJoin() was given, so a sweep can
    // compare it option by option; a line a shell would read more into gives none.
    void shellSplitReadsBackWhatShellJoinWrote()
    {
        const std::vector<std::string> words {"headroom-cli", "sweep", "--out", "",
            "a b\nc.csv@x10", "it's", "--jobs=2", "$HOME", "\\"};
        QVERIFY(io::shellSplit(io::shellJoin(words)) == words);
        QVERIFY(io::shellSplit("  a\\ b  'c d'e ") == std::vector<std::string>({"a b", "c de"}));
        for (const char *line : {"a 'b", "a b\\", "a \"b c\"", "a $HOME", "a *"})
            QVERIFY2(!io::shellSplit(line), line);
    }
};

QTEST_GUILESS_MAIN(TestSweepReport)
#include "tst_sweepreport.moc"
