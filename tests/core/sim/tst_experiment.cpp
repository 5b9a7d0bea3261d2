#include "io/inputerror.h"
#include "io/paths.h"
#include "io/runwriter.h"
#include "io/timeseriesreader.h"
#include "metrics/lanecomparison.h"
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"
#include "traffic/traceslice.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <sstream>

using namespace headroom;

namespace {

std::unique_ptr<sim::Experiment> seedSpike(std::vector<std::string> controllers,
                                           std::uint64_t seed = 1)
{
    traffic::Scenario scenario = traffic::builtinScenario("seed-spike");
    scenario.seed = seed;
    return sim::scenarioExperiment(scenario, std::move(controllers));
}

int desiredAt(const sim::Lane &lane, double tS)
{
    int highest = 0;
    for (const auto &s : lane.samples()) {
        if (s.tS <= tS)
            highest = std::max(highest, s.podsDesired);
    }
    return highest;
}

} // namespace

namespace {

// Case T3's trace: per-minute counts of 20 requests for 240 minutes, minutes 100 to 159
// missing, and `after` requests a minute after them. At 60x, a second a minute.
QString writeHoleTrace(const QTemporaryDir &dir, int after = 20)
{
    const QString path = dir.filePath(QStringLiteral("hole.csv"));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly)) {
        file.write("unix_time_s,requests\n");
        for (int minute = 0; minute < 240; ++minute) {
            if (minute < 100)
                file.write(QByteArray::number(1000000 + 60 * minute) + ",20\n");
            else if (minute >= 160)
                file.write(QByteArray::number(1000000 + 60 * minute) + ","
                           + QByteArray::number(after) + "\n");
        }
    }
    return path;
}

// Case T3's trace through `controllers`, at `compression`, pods starting in 5 s.
std::unique_ptr<sim::Experiment> runHoleTrace(const QTemporaryDir &dir,
                                              std::vector<std::string> controllers, int after = 20,
                                              double compression = 60.0)
{
    sim::ExperimentConfig config;
    config.name = "hole";
    config.seed = 4;
    config.cluster.podPendingS = 1.0;
    config.cluster.podStartingS = 4.0;
    config.controllers = std::move(controllers);
    auto e = std::make_unique<sim::Experiment>(config,
        traffic::makeTraceArrivals(writeHoleTrace(dir, after).toStdString(), compression, config.cluster,
                                   config.seed));
    e->runToEnd();
    return e;
}

// The InputError `run` throws; fails the test when it throws none.
template <typename Fn> std::optional<InputError> inputErrorOf(Fn run)
{
    try {
        run();
    } catch (const InputError &e) {
        return e;
    }
    return std::nullopt;
}

QString writeText(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write(text);
    return path;
}

std::unique_ptr<sim::Experiment> traceExperiment(const QString &path, double compression)
{
    sim::ExperimentConfig config;
    config.controllers = {"hpa"};
    return std::make_unique<sim::Experiment>(config,
        traffic::makeTraceArrivals(path.toStdString(), compression, config.cluster, config.seed));
}

// Every number a lane recorded, second by second, and its events: equal for equal runs.
std::string laneRecord(const sim::Lane &lane)
{
    std::ostringstream out;
    out.precision(17);
    for (const metrics::LaneSample &s : lane.samples())
        out << s.tS << ' ' << s.arrivalsPerS << ' ' << s.completedPerS << ' ' << s.droppedPerS << ' '
            << s.sloViolationsPerS << ' ' << s.latencyP50Ms << ' ' << s.latencyP95Ms << ' '
            << s.latencyP99Ms << ' ' << s.podsDesired << ' ' << s.podsReady << ' '
            << s.podsStarting << ' ' << s.podsUnready << ' ' << s.cpuUtilization << ' '
            << s.queueLength << ' ' << s.concurrency << ' ' << s.forecastHorizonS << ' '
            << s.forecastP50 << ' ' << s.forecastP90 << ' ' << s.fallback << ' ' << s.noData << '\n';
    for (const metrics::LaneEvent &e : lane.events())
        out << e.tS << ' ' << e.kind << ' ' << e.text << ' ' << e.region << ' ' << e.regionOpens << '\n';
    return out.str();
}

} // namespace

class TestExperiment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Lanes step side by side on threads, a chunk of seconds at a time; the live dashboard
    // advances a second at a time. Neither may change what a run records: every lane's
    // samples and events are the same, number for number, with one thread or several,
    // whole or in small steps, on a trace with a hole (lanes hold through it) too.
    void threadsAndStepsDoNotChangeTheRun()
    {
        const std::vector<std::string> lanes {"predictive", "hpa", "kpa", "clairvoyant", "linear"};
        QTemporaryDir dir;
        const std::string hole = writeHoleTrace(dir).toStdString();
        for (const bool trace : {false, true}) {
            const auto make = [&](int threads) {
                sim::ExperimentConfig config;
                std::unique_ptr<traffic::ArrivalSource> arrivals;
                if (trace) {
                    config.name = "hole";
                    config.seed = 4;
                    arrivals = traffic::makeTraceArrivals(hole, 60.0, config.cluster, config.seed);
                } else {
                    traffic::Scenario scenario = traffic::builtinScenario("bursts");
                    config = sim::scenarioConfig(scenario, lanes);
                    arrivals = std::make_unique<traffic::ScenarioArrivals>(scenario);
                }
                config.controllers = lanes;
                config.threads = threads;
                return std::make_unique<sim::Experiment>(config, std::move(arrivals));
            };
            auto alone = make(1);
            alone->runToEnd();
            auto sideBySide = make(3);
            sideBySide->runToEnd();
            auto stepwise = make(2);
            // Uneven steps: single seconds (as the dashboard at speed 1), then larger ones.
            for (double t = 1.0; !stepwise->finished(); t += t < 40.0 ? 1.0 : 97.0)
                stepwise->advanceTo(t);
            QVERIFY(alone->durationS() > 200.0);
            for (std::size_t i = 0; i < lanes.size(); ++i) {
                const std::string expected = laneRecord(*alone->lanes()[i]);
                QVERIFY2(expected.size() > 1000, lanes[i].c_str());
                QVERIFY2(laneRecord(*sideBySide->lanes()[i]) == expected, lanes[i].c_str());
                QVERIFY2(laneRecord(*stepwise->lanes()[i]) == expected, lanes[i].c_str());
            }
        }
    }

    // A source past the simulator's limits is refused with an error naming the file's own
    // field and row: the segment or interval that asks too much, the line the run ends on.
    void limitErrorsNameTheFieldAndRowThatSetThem()
    {
        QTemporaryDir dir;
        const QString busy = writeText(dir, QStringLiteral("busy.json"),
            R"({"name": "busy", "duration_s": 60, "segments": [
                {"type": "constant", "start_s": 0, "end_s": 30, "rate": 10},
                {"type": "ramp", "start_s": 30, "end_s": 60, "from": 10, "to": 70000}]})");
        auto error = inputErrorOf([&] {
            sim::scenarioExperiment(traffic::loadScenarioFile(busy.toStdString()), {"hpa"});
        });
        QVERIFY(error);
        QCOMPARE(QString::fromStdString(error->file()), busy);
        QCOMPARE(error->field(), std::string("segments[1].to"));
        QVERIFY2(error->problem().find("70000 req/s") != std::string::npos, error->what());

        // A ramp whose end lies far past the run asks only for what it reaches by the end.
        const QString slow = writeText(dir, QStringLiteral("slow.json"),
            R"({"name": "slow", "duration_s": 30, "segments": [
                {"type": "ramp", "start_s": 0, "end_s": 1e300, "from": 1, "to": 70000}]})");
        QVERIFY(!inputErrorOf([&] {
            sim::scenarioExperiment(traffic::loadScenarioFile(slow.toStdString()), {"hpa"});
        }));

        const QString periodic = writeText(dir, QStringLiteral("periodic.json"),
            R"({"name": "p", "duration_s": 60, "segments": [{"type": "periodic", "start_s": 0,
                "end_s": 60, "mean": 40000, "amplitude": 20000, "period_s": 10}]})");
        error = inputErrorOf([&] {
            sim::scenarioExperiment(traffic::loadScenarioFile(periodic.toStdString()), {"hpa"});
        });
        QVERIFY(error);
        QCOMPARE(error->field(), std::string("segments[0].mean"));
        QVERIFY2(error->problem().find("60000 req/s") != std::string::npos, error->what());

        const QString long_ = writeText(dir, QStringLiteral("long.json"),
            R"({"name": "long", "duration_s": 2e7, "segments": [
                {"type": "constant", "start_s": 0, "end_s": 60, "rate": 1}]})");
        error = inputErrorOf([&] {
            sim::scenarioExperiment(traffic::loadScenarioFile(long_.toStdString()), {"hpa"});
        });
        QVERIFY(error);
        QCOMPARE(error->field(), std::string("duration_s"));
        QVERIFY(!error->row());

        // Hourly counts: line 4 holds the busiest hour; at 1000x it is 50,000.05 req/s.
        const QString counts = writeText(dir, QStringLiteral("counts.csv"),
            "unix_time_s,requests\n1000000,60\n1003600,600\n1007200,180000.18\n1010800,5\n");
        error = inputErrorOf([&] { traceExperiment(counts, 1000.0); });
        QVERIFY(error);
        QCOMPARE(error->row(), std::optional<long>(4));
        QCOMPARE(error->field(), std::string("requests"));
        QVERIFY(!inputErrorOf([&] { traceExperiment(counts, 999.0); }));
        // Four hours at 1/1000 of their pace are 1.44e7 s.
        error = inputErrorOf([&] { traceExperiment(counts, 1e-3); });
        QVERIFY(error);
        QCOMPARE(error->row(), std::optional<long>(5));
        QCOMPARE(error->field(), std::string("unix_time_s"));

        // Per-request, out of order: the busiest second's first request is on line 3.
        QByteArray rows = "timestamp_ms,input_length,output_length\n20000000,10,10\n1000,10,10\n";
        for (int i = 0; i < 50000; ++i)
            rows += QByteArray::number(1000 + i % 1000) + ",10,10\n";
        const QString requests = writeText(dir, QStringLiteral("requests.csv"), rows);
        error = inputErrorOf([&] { traceExperiment(requests, 1.0); });
        QVERIFY(error);
        QCOMPARE(error->row(), std::optional<long>(3));
        QCOMPARE(error->field(), std::string("timestamp_ms"));
        QVERIFY2(error->problem().find("50001 requests") != std::string::npos, error->what());
        // A slice of it names the same column (a slice is how sweeps read traces).
        const traffic::LoadedTrace slice = traffic::loadTrace(
            traffic::parseTraceSpec(requests.toStdString() + "@from=0s@hours=1"));
        sim::ExperimentConfig sliceConfig;
        sliceConfig.controllers = {"hpa"};
        error = inputErrorOf([&] {
            sim::Experiment(sliceConfig, traffic::makeArrivals(slice, sliceConfig.cluster, 1));
        });
        QVERIFY(error);
        QCOMPARE(error->field(), std::string("timestamp_ms"));
        QCOMPARE(error->row(), std::optional<long>(3));
        // 19,999 s of trace at 1/1000 of its pace; its last request is on line 2.
        error = inputErrorOf([&] { traceExperiment(requests, 1e-3); });
        QVERIFY(error);
        QCOMPARE(error->row(), std::optional<long>(2));
        QCOMPARE(error->field(), std::string("timestamp_ms"));
    }

    // A run made longer than its trace: the seconds past the trace's end were never
    // recorded, so they are no data, not zero traffic; the trace's own seconds are data.
    void secondsPastATracesEndAreNoData()
    {
        QTemporaryDir dir;
        for (const bool perRequest : {true, false}) {
            const QString path = perRequest
                ? writeText(dir, QStringLiteral("r.csv"), "timestamp_ms\n0\n5000\n19500\n")
                : writeText(dir, QStringLiteral("c.csv"), "unix_time_s,requests\n0,3\n10,4\n");
            sim::ExperimentConfig config;
            config.controllers = {"hpa"};
            config.durationS = 40.0;
            sim::Experiment e(config,
                traffic::makeTraceArrivals(path.toStdString(), 1.0, config.cluster, config.seed));
            e.runToEnd();
            const auto &samples = e.lanes()[0]->samples();
            QCOMPARE(samples.size(), std::size_t(40));
            for (const metrics::LaneSample &s : samples)
                QVERIFY2(s.noData == (s.tS > 20.0), qPrintable(QString::number(s.tS)));
            QCOMPARE(e.summary().lanes[0].requests, perRequest ? 3LL : 7LL);
        }
    }

    void everyLaneSeesTheSameArrivals()
    {
        auto e = seedSpike({"predictive", "hpa"});
        e->runToEnd();
        QVERIFY(e->finished());
        const auto &a = e->lanes()[0]->samples();
        const auto &b = e->lanes()[1]->samples();
        QCOMPARE(a.size(), std::size_t(70));
        QCOMPARE(b.size(), a.size());
        for (std::size_t i = 0; i < a.size(); ++i)
            QCOMPARE(a[i].arrivalsPerS, b[i].arrivalsPerS);
        const auto s = e->summary();
        QCOMPARE(s.lanes[0].requests, s.lanes[1].requests);
        for (const auto &lane : s.lanes)
            QCOMPARE(lane.completed + lane.dropped, lane.requests);
    }

    void sameSeedSameRunOtherSeedOtherRun()
    {
        auto a = seedSpike({"predictive", "hpa"}, 1);
        auto b = seedSpike({"predictive", "hpa"}, 1);
        auto c = seedSpike({"predictive", "hpa"}, 2);
        a->runToEnd();
        b->runToEnd();
        c->runToEnd();
        QCOMPARE(io::summaryJson(a->summary()), io::summaryJson(b->summary()));
        QVERIFY(io::summaryJson(a->summary()) != io::summaryJson(c->summary()));
    }

    void startsFromThePodsTheOpeningLoadNeeds()
    {
        auto e = seedSpike({"hpa"});
        QCOMPARE(e->initialReplicas(), 2); // 5 req/s * 0.15 s at a 50 % target
    }

    void predictiveScalesBeforeHpaOnSeedSpike()
    {
        // The reference result: 10 s into the 6x spike the predictive lane has
        // asked for at least 6 pods, the HPA fewer; and it violates the SLO less.
        auto e = seedSpike({"predictive", "hpa"});
        e->runToEnd();
        const sim::Lane &predictive = *e->lanes()[0];
        const sim::Lane &hpa = *e->lanes()[1];
        QVERIFY2(predictive.available(), predictive.unavailableReason().c_str());
        QVERIFY(desiredAt(predictive, 30) >= 6);
        QVERIFY(desiredAt(hpa, 30) < 6);
        QVERIFY(predictive.summary().sloViolations < hpa.summary().sloViolations);
    }

    void operatorSpikeRaisesArrivals()
    {
        auto quiet = seedSpike({"hpa"});
        auto spiked = seedSpike({"hpa"});
        quiet->advanceTo(5);
        spiked->advanceTo(5);
        spiked->fireSpike({/*startS=*/0, /*durationS=*/10, /*multiplier=*/4, /*rampS=*/0});
        quiet->advanceTo(15);
        spiked->advanceTo(15);
        auto arrivalsBetween = [](const sim::Experiment &e, double from, double to) {
            double n = 0;
            for (const auto &s : e.lanes()[0]->samples())
                n += (s.tS > from && s.tS <= to) ? s.arrivalsPerS : 0;
            return n;
        };
        QVERIFY(arrivalsBetween(*spiked, 5, 15) > 2.5 * arrivalsBetween(*quiet, 5, 15));
        QCOMPARE(arrivalsBetween(*spiked, 0, 5), arrivalsBetween(*quiet, 0, 5));
        const auto &events = spiked->lanes()[0]->events();
        QVERIFY(std::any_of(events.begin(), events.end(),
                            [](const auto &ev) { return ev.kind == "spike" && ev.tS == 5; }));
    }

    void spikesShorterThanASliceKeepTheirRequests()
    {
        // 10000 req/s for 0.1 s is about 1000 requests, wherever it falls in a second.
        for (double start : {20.0, 20.1, 20.85}) {
            traffic::Scenario scenario = traffic::builtinScenario("seed-spike");
            scenario.segments = {{traffic::Segment::Kind::Constant, 0, 40, 5},
                                 {traffic::Segment::Kind::Spike, start, start + 0.1, 10000}};
            scenario.durationS = 40;
            sim::ExperimentConfig config;
            config.name = "short spike";
            config.durationS = 40;
            config.controllers = {"hpa"};
            sim::Experiment e(config, std::make_unique<traffic::ScenarioArrivals>(scenario));
            e.runToEnd();
            const long long requests = e.summary().lanes[0].requests;
            QVERIFY2(requests > 1000 && requests < 1400, qPrintable(QString::number(requests)));
        }
    }

    void missingModelLeavesOtherLanesRunning()
    {
        traffic::Scenario scenario = traffic::builtinScenario("seed-spike");
        sim::ExperimentConfig config = sim::scenarioConfig(scenario, {"predictive", "hpa"});
        config.durationS = 20;
        config.modelPath = "/nonexistent/predictive.pt";
        sim::Experiment e(config, std::make_unique<traffic::ScenarioArrivals>(scenario));
        e.runToEnd();
        // The predictive lane runs its reactive rule throughout and says why.
        const sim::Lane &predictive = *e.lanes()[0];
        QVERIFY(predictive.available());
        QCOMPARE(predictive.samples().size(), std::size_t(20));
        QVERIFY(!predictive.events().empty());
        QCOMPARE(predictive.events().front().kind, std::string("fallback"));
        QVERIFY2(predictive.events().front().text.find("/nonexistent/predictive") != std::string::npos,
                 predictive.events().front().text.c_str());
        QCOMPARE(e.summary().lanes[0].fallbackSeconds, 20.0);
        QCOMPARE(e.lanes()[1]->samples().size(), std::size_t(20));
    }

    void labelledModelsAddPredictiveLanes()
    {
        // "same" is the default model's file (read once, shared): the predictive lane under
        // another name. "gone" does not exist: its lane does what the plain predictive lane
        // does with a missing model, and the other lanes are not affected.
        traffic::Scenario scenario = traffic::builtinScenario("seed-spike");
        auto run = [&](std::vector<std::string> controllers, std::string modelPath) {
            sim::ExperimentConfig config = sim::scenarioConfig(scenario, std::move(controllers));
            config.durationS = 30;
            config.modelPath = std::move(modelPath);
            config.models = {{"same", io::defaultModelPath()}, {"gone", "/nonexistent/gone.pt"}};
            auto e = std::make_unique<sim::Experiment>(
                config, std::make_unique<traffic::ScenarioArrivals>(scenario));
            e->runToEnd();
            return e;
        };
        const auto e = run({"predictive", "predictive-same", "predictive-gone", "hpa"}, {});
        const auto missing = run({"predictive"}, "/nonexistent/gone.pt");
        const auto &lanes = e->lanes();
        QCOMPARE(lanes[1]->controller(), std::string("predictive-same"));
        QCOMPARE(lanes[2]->controller(), std::string("predictive-gone"));
        QCOMPARE(lanes[3]->samples().size(), std::size_t(30));
        const metrics::RunSummary s = e->summary();
        const metrics::LaneSummary reference = missing->summary().lanes[0];
        auto sameNumbers = [](const metrics::LaneSummary &a, const metrics::LaneSummary &b) {
            return a.available == b.available && a.unavailableReason == b.unavailableReason
                && a.requests == b.requests && a.sloViolations == b.sloViolations
                && a.podSeconds == b.podSeconds && a.peakPods == b.peakPods;
        };
        QVERIFY(sameNumbers(s.lanes[1], s.lanes[0]));
        QVERIFY(sameNumbers(s.lanes[2], reference));
        QCOMPARE(lanes[1]->samples().size(), lanes[0]->samples().size());
        for (std::size_t i = 0; i < lanes[0]->samples().size(); ++i)
            QCOMPARE(lanes[1]->samples()[i].podsDesired, lanes[0]->samples()[i].podsDesired);
        if (!s.lanes[2].available)
            QVERIFY(s.lanes[2].unavailableReason.find("/nonexistent/gone") != std::string::npos);
    }

    void labelledLaneNeedsItsModel()
    {
        auto problem = [](std::vector<std::string> names,
                          std::map<std::string, std::string> models) {
            try {
                sim::checkControllerNames(names, models);
            } catch (const std::exception &ex) {
                return std::string(ex.what());
            }
            return std::string();
        };
        QVERIFY(problem({"hpa", "predictive-alt"}, {{"alt", "x.pt"}}).empty());
        const std::string missing = problem({"hpa", "predictive-alt"}, {});
        QVERIFY(missing.find("predictive-alt") != std::string::npos);
        QVERIFY(missing.find("--models alt=FILE") != std::string::npos);
        QVERIFY(problem({"predictive-a-b"}, {{"a-b", "x.pt"}}).find("predictive-a-b")
                != std::string::npos);
        QVERIFY(!problem({"predictive-"}, {}).empty());
        QVERIFY(problem({"predictive-alt", "predictive-alt"}, {{"alt", "x.pt"}}).find("twice")
                != std::string::npos);
    }

    void aHoleInTheTraceIsMissingDataNotZeroLoad()
    {
        // Case T3: a per-minute count trace at 60x (a second a minute), 20 req/s, with 60
        // minutes missing from minute 100. The simulator invents no requests for the hole,
        // but no controller may read it as zero load and scale down.
        QTemporaryDir dir;
        const auto run = runHoleTrace(dir, {"predictive", "hpa", "kpa"});
        const sim::Experiment &e = *run;
        const sim::ExperimentConfig &config = e.config();
        for (const auto &lane : e.lanes()) {
            const auto &samples = lane->samples();
            QCOMPARE(samples.size(), std::size_t(240));
            const int before = samples[99].podsDesired;
            QVERIFY2(before >= 3, lane->controller().c_str()); // 20 req/s at ~6.7 a pod
            for (const auto &s : samples) {
                const bool inHole = s.tS > 100.0 && s.tS <= 160.0;
                QCOMPARE(s.noData, inHole);
                if (inHole) {
                    QCOMPARE(s.arrivalsPerS, 0.0); // nothing was invented...
                    QVERIFY2(s.podsDesired == before, // ...and nothing was read into it
                        (lane->controller() + " at " + std::to_string(s.tS) + " s: "
                            + std::to_string(s.podsDesired) + " pods, " + std::to_string(before)
                            + " before the hole").c_str());
                }
            }
            // One "no data" region, opened at the hole's start and closed at its end.
            std::vector<metrics::LaneEvent> regions;
            for (const auto &ev : lane->events()) {
                if (ev.region == "no data")
                    regions.push_back(ev);
            }
            QCOMPARE(regions.size(), std::size_t(2));
            QVERIFY(regions[0].regionOpens && !regions[1].regionOpens);
            QCOMPARE(regions[0].tS, 100.0);
            QCOMPARE(regions[1].tS, 160.0);
        }
        // Over- and under-provisioning leave the hole out: its load is unknown.
        const metrics::RunSummary summary = e.summary();
        for (std::size_t i = 0; i < e.lanes().size(); ++i) {
            double over = 0.0;
            for (const auto &s : e.lanes()[i]->samples()) {
                if (!s.noData)
                    over += std::max(0.0, s.podsReady
                        - metrics::loadPods(s, config.cluster.serviceMeanS, config.cluster.podSlots));
            }
            QCOMPARE(summary.lanes[i].provisioningReference, std::string("load"));
            QVERIFY2(std::abs(summary.lanes[i].overPodSeconds - over) < 1e-6,
                (std::to_string(summary.lanes[i].overPodSeconds) + " vs " + std::to_string(over)).c_str());
        }
        // timeseries.csv says so: the hole's arrivals are empty (unknown), no_data is 1.
        const std::string csv = io::timeseriesCsv({{"hpa", &e.lanes()[1]->samples()}});
        QVERIFY(csv.find("\n101,hpa,,") != std::string::npos);
        QVERIFY(csv.find("\n99,hpa,,") == std::string::npos);
        QCOMPARE(std::count(csv.begin(), csv.end(), '\n'), 241L);
        const auto lanes = io::parseTimeseriesCsv(csv, "timeseries.csv");
        QCOMPARE(lanes.size(), std::size_t(1));
        const auto holeRows = std::count_if(lanes[0].samples.begin(), lanes[0].samples.end(),
            [](const metrics::LaneSample &s) { return s.noData; });
        QCOMPARE(holeRows, 60L); // no_data = 1 in the hole's 60 seconds only
        // The predictive lane scores no forecast against the hole's unknown load: its error
        // stays that of a steady 20 req/s.
        const metrics::LaneSummary predictive = e.lanes()[0]->summary();
        QVERIFY(predictive.forecasts);
        QVERIFY2(predictive.forecast.relativeMae < 0.25,
            std::to_string(predictive.forecast.relativeMae).c_str());
        // Nor does the hole read as a stalled service afterwards: the same steady load gets
        // the same forecast band and the same pods as before the hole.
        const auto &ps = e.lanes()[0]->samples();
        const auto band = [&](double from, double to) {
            double sum = 0.0;
            int n = 0;
            for (const auto &s : ps) {
                if (s.tS > from && s.tS <= to && std::isfinite(s.forecastP90)) {
                    sum += s.forecastP90 - s.forecastP50;
                    ++n;
                }
            }
            return n > 0 ? sum / n : 0.0;
        };
        const double before = band(60.0, 100.0);
        const double after = band(160.0, 200.0);
        QVERIFY2(after < 1.5 * before + 1.0,
            (std::to_string(after) + " req/s wide after the hole, " + std::to_string(before) + " before").c_str());
        int peakAfter = 0;
        int lowAfter = 1 << 30;
        for (const auto &s : ps) {
            if (s.tS > 160.0)
                peakAfter = std::max(peakAfter, s.podsDesired);
            if (s.tS > 160.0 && s.tS <= 190.0)
                lowAfter = std::min(lowAfter, s.podsDesired);
        }
        // The first seconds of data again are no reason to give back what was held: at 10x
        // (3.3 req/s) the lane went from 2 pods to 1 two seconds after the hole.
        QVERIFY2(lowAfter >= ps[99].podsDesired,
            (std::to_string(lowAfter) + " pods just after the hole, " + std::to_string(ps[99].podsDesired)
                + " before").c_str());
        QTemporaryDir slowDir;
        const auto slow = runHoleTrace(slowDir, {"predictive"}, 20, 10.0);
        const auto &ss = slow->lanes()[0]->samples();
        const int held = ss[589].podsDesired; // the hole is 600 to 960 s
        for (const auto &s : ss) {
            if (s.tS > 960.0 && s.tS <= 990.0)
                QVERIFY2(s.podsDesired >= held,
                    (std::to_string(s.podsDesired) + " pods at " + std::to_string(s.tS) + " s, "
                        + std::to_string(held) + " held through the hole").c_str());
        }
        QVERIFY2(peakAfter <= ps[99].podsDesired + 1,
            (std::to_string(peakAfter) + " pods after the hole, " + std::to_string(ps[99].podsDesired)
                + " before").c_str());
    }

    void theClairvoyantHoldsThroughAHoleItSeesComing()
    {
        // The clairvoyant lane sees the arrivals ahead, and a hole has none: read as zero
        // load, it scaled down to one pod before the hole, held that through it as every
        // lane does, and met the load coming back with one pod (1,481 late requests on a
        // 20-minute hole at 10x). A hole ahead is unknown load: it holds from before it.
        QTemporaryDir dir;
        const auto run = runHoleTrace(dir, {"clairvoyant"});
        const sim::Experiment &e = *run;
        const auto &samples = e.lanes()[0]->samples();
        const int steady = samples[80].podsDesired;
        QVERIFY(steady >= 3);
        for (const auto &s : samples) {
            if (s.tS > 90.0 && s.tS <= 160.0)
                QVERIFY2(s.podsDesired >= steady,
                    (std::to_string(s.podsDesired) + " pods at " + std::to_string(s.tS) + " s, "
                        + std::to_string(steady) + " before").c_str());
        }
        const metrics::RunSummary summary = e.summary();
        QCOMPARE(summary.lanes[0].sloViolations, 0LL);

        // The load comes back three times as busy: it sees that coming too, and starts the
        // pods before the hole ends (it decides in holes; it waited for the data: 694 late
        // requests on the NASA flash crowd of 13 July with the 20 minutes before it missing).
        QTemporaryDir busierDir;
        const auto busier = runHoleTrace(busierDir, {"clairvoyant"}, 60);
        const auto &b = busier->lanes()[0]->samples();
        QVERIFY2(b[158].podsDesired > steady, std::to_string(b[158].podsDesired).c_str());
        QCOMPARE(busier->summary().lanes[0].sloViolations, 0LL);
    }

    void theClairvoyantScalesToZeroWhenTheClusterMay()
    {
        // min_replicas 0 (scale to zero, as the KPA does): 2 req/s for a minute, 49 minutes
        // of nothing, a minute more. The clairvoyant lane held a pod through the quiet spell
        // (3,077 pod-seconds against the KPA's 759), so it read as the KPA's under-provisioning
        // and gave the KPA a cost ratio of 0.25. It is the floor: no lane is cheaper.
        const traffic::Scenario idle = traffic::parseScenario(R"({"name": "long-idle",
            "duration_s": 3060, "cluster": {"min_replicas": 0, "pod_pending_s": 1,
            "pod_starting_s": 4}, "segments": [
            {"type": "constant", "start_s": 0, "end_s": 60, "rate": 2},
            {"type": "constant", "start_s": 3000, "end_s": 3060, "rate": 2}]})", "idle.json");
        auto e = sim::scenarioExperiment(idle, {"kpa", "clairvoyant"});
        e->runToEnd();
        const metrics::RunSummary s = e->summary();
        const metrics::LaneSummary &kpa = s.lanes[0];
        const metrics::LaneSummary &clairvoyant = s.lanes[1];
        QCOMPARE(clairvoyant.sloViolations, 0LL);
        QVERIFY2(clairvoyant.podSeconds < kpa.podSeconds,
            (std::to_string(clairvoyant.podSeconds) + " against " + std::to_string(kpa.podSeconds)).c_str());
        QCOMPARE(e->lanes()[1]->samples()[1500].podsDesired, 0);
    }

    void aLengthRoundedToWholeSecondsIsSaid()
    {
        // The simulator steps whole seconds: duration_s 30.7 ran 31 s, and --duration 1e-9
        // ran 1 s, without a word.
        const traffic::Scenario odd = traffic::parseScenario(R"({"name": "odd",
            "duration_s": 30.7, "segments": [
            {"type": "constant", "start_s": 0, "end_s": 30.7, "rate": 2}]})", "odd.json");
        auto e = sim::scenarioExperiment(odd, {"hpa"});
        QCOMPARE(e->durationS(), 31.0);
        QCOMPARE(e->notes(), std::vector<std::string> {
            "duration_s 30.7 s runs 31 s: the simulator steps whole seconds"});

        sim::ExperimentConfig config = sim::scenarioConfig(traffic::builtinScenario("seed-spike"), {"hpa"});
        config.durationS = 1e-9;
        sim::Experiment tiny(config, std::make_unique<traffic::ScenarioArrivals>(
            traffic::builtinScenario("seed-spike")));
        QCOMPARE(tiny.durationS(), 1.0);
        QCOMPARE(tiny.notes(), std::vector<std::string> {
            "a run of 1e-09 s was asked for: it runs 1 s, as the simulator steps whole seconds"});

        // A length given over the scenario's is the one said, and only it.
        for (const double over : {60.0, 12.2}) {
            sim::ExperimentConfig c = sim::scenarioConfig(odd, {"hpa"});
            c.durationS = over;
            const sim::Experiment e2(c, std::make_unique<traffic::ScenarioArrivals>(odd));
            QCOMPARE(e2.notes().size(), over == 60.0 ? std::size_t(0) : std::size_t(1));
            if (over != 60.0)
                QVERIFY2(e2.notes()[0].starts_with("a run of 12.2 s was asked for"), e2.notes()[0].c_str());
        }

        // Whole lengths, and a trace's own span, are no news.
        QVERIFY(seedSpike({"hpa"})->notes().empty());

        // An SLO no pod count can meet (below the service time's p95) is said: every lane
        // read as failing without a word (trials: 250 ms over 400 ms requests, and 160 ms
        // over 150 ms ones, 51 % late with every pod idle).
        const traffic::Scenario slow = traffic::parseScenario(R"({"name": "slow",
            "duration_s": 30, "cluster": {"slo_latency_ms": 160, "service_mean_ms": 150}, "segments": [
            {"type": "constant", "start_s": 0, "end_s": 30, "rate": 2}]})", "slow.json");
        QCOMPARE(sim::scenarioExperiment(slow, {"hpa"})->notes(), std::vector<std::string> {
            "the SLO of 160 ms is below the service time's 95th percentile (233 ms, of a mean of 150 ms): "
            "more than 5 % of requests violate it with every pod idle, however many pods run"});
        // The default cluster's 500 ms is above its 233 ms: no note (seed-spike's, above).
        sim::ClusterConfig near;
        near.sloLatencyS = 0.234;
        QVERIFY(sim::unmeetableSloNote(near).empty());
        near.sloLatencyS = 0.232;
        QVERIFY(!sim::unmeetableSloNote(near).empty());
    }

    void unknownControllerIsRejectedByName()
    {
        try {
            sim::checkControllerNames({"hpa", "magic"});
            QFAIL("no error");
        } catch (const InputError &ex) {
            QVERIFY(std::string(ex.what()).find("magic") != std::string::npos);
            // Named as the option is spelt, like every other command-line error.
            QCOMPARE(ex.field(), std::string("--controllers"));
        }
    }
};

QTEST_GUILESS_MAIN(TestExperiment)
#include "tst_experiment.moc"
