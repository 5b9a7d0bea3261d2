// The dashboard following a live cluster (--server): headroom-cli serve stands in for one on
// loopback. The worker's lane as the charts receive it, a pause that leaves a hole, the
// dashboard's own screenshot of it, and the command lines it refuses.
#include "../e2e/servetest.h"
#include "dashboardprocess.h"
#include "mainwindow.h"
#include "runrecord.h"
#include "simulationworker.h"
#include "summarymodel.h"
#include "comparisonview.h"

#include <QElapsedTimer>
#include <QImage>
#include <QSignalSpy>

#include <cmath>

using namespace headroom;
using headroom::test::Server;

namespace {

ui::SimulationSource liveSource(int port, const QString &controller)
{
    ui::SimulationSource source;
    source.kind = ui::SimulationSource::Kind::Cluster;
    source.target.server = "http://127.0.0.1:" + std::to_string(port);
    source.controllers = {controller};
    return source;
}

// A window's options on a served cluster that the KPA scales, started at once.
ui::DashboardOptions startedKpaWindow(int port)
{
    ui::DashboardOptions options;
    options.source = liveSource(port, "kpa");
    options.autoStart = true;
    return options;
}

// Waits until the window's one lane has `samples` seconds of the cluster.
bool hasSamples(const ui::MainWindow &window, std::size_t samples)
{
    return window.isRunning() && window.history().lanes.size() == 1 && window.history().lanes[0].samples.size() >= samples;
}

// The dashboard's worker on a live source, and what its lane received so far, as the
// window gathers it.
struct LiveRun
{
    ui::SimulationWorker worker;
    QSignalSpy loaded {&worker, &ui::SimulationWorker::loaded};
    QSignalSpy failed {&worker, &ui::SimulationWorker::runFailed};
    ui::ComparisonData data;
    double nowS = 0.0;

    explicit LiveRun(QObject *context)
    {
        QObject::connect(&worker, &ui::SimulationWorker::loaded, context,
                         [this](const ui::ComparisonData &skeleton, const QString &) { data = skeleton; });
        QObject::connect(&worker, &ui::SimulationWorker::snapshotReady, context,
                         [this](const ui::SimulationSnapshot &s) {
                             ui::appendSnapshot(data, s);
                             nowS = s.nowS;
                         });
    }
};

// Runs the worker's queued work until `done` holds or `timeoutMs` passes.
template <typename Done>
bool waitFor(Done done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done() && clock.elapsed() < timeoutMs)
        QTest::qWait(50);
    return done();
}

// A recorded live run opened again: its lane, samples, summary and comparison are the ones the
// window showed when it recorded them.
void checkReopened(const ui::ComparisonData &shown, const QString &folder)
{
    QString error;
    const auto back = ui::loadRecordedRun(folder, &error);
    QVERIFY2(back, qPrintable(error));
    const ui::ComparisonData &d = back->data;
    QVERIFY(d.live);
    QCOMPARE(d.durationS, shown.durationS);
    QCOMPARE(d.maxReplicas, shown.maxReplicas);
    QCOMPARE(d.lanes.size(), std::size_t(1));
    QCOMPARE(d.lanes[0].controller, shown.lanes[0].controller);
    const auto near = [](double a, double b) {
        return std::isnan(a) ? std::isnan(b) : std::abs(a - b) <= 1e-5 * std::max(1.0, std::abs(a));
    };
    const auto &was = shown.lanes[0].samples;
    const auto &is = d.lanes[0].samples;
    QCOMPARE(is.size(), was.size());
    for (std::size_t k = 0; k < is.size(); ++k) {
        QCOMPARE(is[k].tS, was[k].tS);
        QCOMPARE(is[k].noData, was[k].noData);
        QCOMPARE(is[k].podsDesired, was[k].podsDesired);
        QCOMPARE(is[k].podsReady, was[k].podsReady);
        if (!is[k].noData)
            QVERIFY(near(is[k].arrivalsPerS, was[k].arrivalsPerS) && near(is[k].latencyP95Ms, was[k].latencyP95Ms));
    }
    const metrics::LaneSummary &a = shown.lanes[0].summary;
    const metrics::LaneSummary &b = d.lanes[0].summary;
    QCOMPARE(b.requests, a.requests);
    QCOMPARE(b.completed, a.completed);
    QCOMPARE(b.dropped, a.dropped);
    QCOMPARE(b.sloViolations, a.sloViolations);
    QCOMPARE(b.peakPods, a.peakPods);
    QCOMPARE(b.podSeconds, a.podSeconds);
    QVERIFY(near(b.latencyP95Ms, a.latencyP95Ms));
    const auto before = ui::compareLanes(shown);
    const auto after = ui::compareLanes(d);
    QVERIFY(near(after[0].overPodSeconds, before[0].overPodSeconds));
    QVERIFY(near(after[0].underPodSeconds, before[0].underPodSeconds));
}

} // namespace

class TestLiveCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { ui::SimulationWorker::registerMetaTypes(); }

    // The KPA scales served seed-spike (at 4x) from the dashboard's worker: its lane gets
    // the cluster's seconds, whole and in order, with the step's load and the pods it asked for.
    void theLaneFollowsTheClusterAndScalesIt()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "4"}));
        LiveRun run(this);
        auto &[worker, loaded, failed, data, nowS] = run;
        worker.load(liveSource(server.port, "kpa"));
        QCOMPARE(loaded.count(), 1);
        QCOMPARE(data.lanes.size(), std::size_t(1));
        QCOMPARE(data.lanes[0].controller, std::string("kpa"));
        QVERIFY2(data.title.find("inference") != std::string::npos, data.title.c_str());
        worker.start();
        QVERIFY2(waitFor([&] { return nowS >= 45.0 || !failed.isEmpty(); }, 30000), qPrintable(QString::number(nowS)));
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        worker.pause();
        const auto &samples = data.lanes[0].samples;
        QVERIFY(samples.size() >= 30);
        double before = 0.0, during = 0.0;
        int nBefore = 0, nDuring = 0, peak = 0;
        for (std::size_t i = 0; i < samples.size(); ++i) {
            if (i > 0)
                QCOMPARE(samples[i].tS, samples[i - 1].tS + 1.0);
            if (samples[i].tS >= 3 && samples[i].tS <= 19)
                before += samples[i].arrivalsPerS, ++nBefore;
            if (samples[i].tS >= 24 && samples[i].tS <= 45)
                during += samples[i].arrivalsPerS, ++nDuring;
            peak = std::max(peak, samples[i].podsDesired);
        }
        QVERIFY(nBefore > 5 && nDuring > 10);
        QVERIFY2(std::abs(before / nBefore - 5.0) < 2.0, qPrintable(QString::number(before / nBefore)));
        QVERIFY2(std::abs(during / nDuring - 30.0) < 6.0, qPrintable(QString::number(during / nDuring)));
        QVERIFY2(peak >= 7, qPrintable(QString::number(peak)));
        // Its decisions are the lane's events, and its summary counts what the seconds say.
        const auto &events = data.lanes[0].events;
        QVERIFY(std::any_of(events.begin(), events.end(), [](const metrics::LaneEvent &e) {
            return e.kind == "scale" && e.text.find("KPA") != std::string::npos;
        }));
        const metrics::LaneSummary &summary = data.lanes[0].summary;
        QVERIFY2(summary.requests > 500, qPrintable(QString::number(summary.requests)));
        QVERIFY2(summary.peakPods >= 7, qPrintable(QString::number(summary.peakPods)));
        QVERIFY(std::isfinite(summary.latencyP95Ms) && summary.latencyP95Ms > 150.0);
        // The service time the load line uses, as the router publishes it: 150 ms. Measured
        // from the latency of the seconds whose queue had just drained, the step's backlog
        // read as service: 243 ms (a trial).
        QVERIFY2(std::abs(data.serviceMeanS - 0.15) < 0.015, qPrintable(QString::number(data.serviceMeanS)));

        // Paused, the cluster goes on: the seconds until the resume are a hole (no data, no
        // decision), then the lane reads again.
        const std::size_t atPause = samples.size();
        const std::size_t eventsAtPause = events.size();
        QTest::qWait(1500); // 6 s of the cluster's clock at 4x
        worker.start();
        QVERIFY(waitFor([&] { return data.lanes[0].samples.size() >= atPause + 9; }, 15000));
        worker.pause();
        const auto &after = data.lanes[0].samples;
        int holes = 0;
        for (std::size_t i = atPause; i < after.size(); ++i) {
            QCOMPARE(after[i].tS, after[i - 1].tS + 1.0);
            holes += after[i].noData;
        }
        QVERIFY2(holes >= 4 && holes <= 9, qPrintable(QString::number(holes)));
        // What was not read is unknown, not 0: the charts leave a gap, and the span is marked.
        for (std::size_t i = atPause; i < after.size(); ++i) {
            if (after[i].noData)
                QVERIFY(std::isnan(after[i].completedPerS) && std::isnan(after[i].concurrency));
        }
        const auto &allEvents = data.lanes[0].events;
        QVERIFY(std::any_of(allEvents.begin(), allEvents.end(), [](const metrics::LaneEvent &e) {
            return e.region == "no data" && e.regionOpens && e.text.find("(paused)") != std::string::npos;
        }));
        QVERIFY(std::any_of(allEvents.begin(), allEvents.end(), [](const metrics::LaneEvent &e) {
            return e.region == "no data" && !e.regionOpens;
        }));
        QVERIFY(!after.back().noData);
        for (std::size_t i = eventsAtPause; i < data.lanes[0].events.size(); ++i) {
            const metrics::LaneEvent &e = data.lanes[0].events[i];
            const auto hole = std::find_if(after.begin() + atPause, after.end(),
                                           [&](const metrics::LaneSample &s) { return s.tS == e.tS; });
            QVERIFY2(hole == after.end() || !hole->noData || e.kind != "scale", e.text.c_str());
        }
    }

    // A cluster whose clock is well past 0 when the window joins it: the whole-run view starts
    // at the first reading, a second before the first sample, not at the cluster's 0 s (a
    // new-user trial's 15 s joined at 183 s were a sliver at the right of a 0-198 s axis).
    void theWholeRunOfALiveClusterStartsAtItsFirstReading()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike-long", "--speed", "20"}));
        QTest::qWait(2000); // about 40 s of the cluster's clock
        ui::MainWindow window(startedKpaWindow(server.port));
        window.resize(1600, 1000);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(hasSamples(window, 5), 30000);
        const double startS = window.history().lanes[0].samples.front().tS - 1.0;
        QVERIFY2(startS >= 20.0, qPrintable(QString::number(startS)));
        QTRY_COMPARE_WITH_TIMEOUT(window.visibleRange().fromS, startS, 5000);
        QVERIFY(window.visibleRange().toS > startS + 4.0);
    }

    // A served cluster whose SLO (300 ms) and service time (400 ms) are not the preset's
    // (500, 150) the controller assumes: the SLO line, the load line and the comparison
    // were the preset's (the load read 4 pods at 30 req/s where 12 are busy), while the
    // violations were counted at the router's 300 ms. The router publishes its SLO, the
    // service time is measured, and the settings say which of them is only assumed.
    void aLiveRunShowsTheClustersSloAndServiceTime()
    {
        QTemporaryDir dir;
        QFile scenario(dir.filePath("slow.json"));
        QVERIFY(scenario.open(QIODevice::WriteOnly));
        scenario.write(R"({"name": "slow", "duration_s": 300, "seed": 1,
            "cluster": {"slo_latency_ms": 300, "service_mean_ms": 400, "service_cv": 0.1},
            "segments": [{"type": "constant", "start_s": 0, "end_s": 300, "rate": 10}]})");
        scenario.close();
        Server server;
        QVERIFY(server.start({"--scenario", scenario.fileName(), "--speed", "4"}));
        LiveRun run(this);
        auto &[worker, loaded, failed, data, nowS] = run;
        worker.load(liveSource(server.port, "watch"));
        QCOMPARE(loaded.count(), 1);
        // Known from the first reading: the SLO. Not yet measured: the service time.
        QCOMPARE(data.sloLatencyMs, 300.0);
        const auto setting = [&](const std::string &key) {
            for (const auto &[k, v] : data.settings) {
                if (k == key)
                    return v;
            }
            return std::string("(none)");
        };
        QCOMPARE(setting("slo_latency_ms"), std::string("300"));
        QCOMPARE(setting("pod_slots"), std::string("1 (assumed)"));
        QCOMPARE(setting("router_queue"), std::string("(none)")); // the cluster's own
        worker.start();
        QVERIFY(waitFor([&] { return nowS >= 25.0 || !failed.isEmpty(); }, 30000));
        worker.pause();
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        QCOMPARE(data.sloLatencyMs, 300.0);
        QVERIFY2(std::abs(data.serviceMeanS - 0.4) < 0.02, qPrintable(QString::number(data.serviceMeanS)));
        QCOMPARE(setting("service_mean_ms"),
                 QString::number(data.serviceMeanS * 1000.0, 'g', 3).toStdString() + " (measured)");
        // The load line: 10 req/s of 400 ms keep 4 pods busy (1.5 at the preset's 150 ms).
        double load = 0.0;
        int seconds = 0;
        for (const metrics::LaneSample &s : data.lanes[0].samples) {
            if (s.tS >= 10.0 && !s.noData)
                load += metrics::loadPods(s, data.serviceMeanS, data.podSlots), ++seconds;
        }
        QVERIFY(seconds >= 10);
        QVERIFY2(std::abs(load / seconds - 4.0) < 1.0, qPrintable(QString::number(load / seconds)));
    }

    // Watching a cluster its own HPA scales (serve --hpa): the lane shows the HPA's status
    // and the replicas it set, though nothing of ours scaled it.
    void aWatchedClustersHpaIsSeenScalingIt()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "5", "--hpa"}));
        LiveRun run(this);
        auto &[worker, loaded, failed, data, nowS] = run;
        worker.load(liveSource(server.port, "watch"));
        QCOMPARE(data.lanes.size(), std::size_t(1));
        QCOMPARE(data.lanes[0].controller, std::string("watch"));
        worker.start();
        const auto sawScale = [&] {
            for (const metrics::LaneEvent &e : data.lanes[0].events) {
                if (e.kind == "scale" && e.text.find("(the cluster's own autoscaler, or by hand)") != std::string::npos)
                    return true;
            }
            return false;
        };
        QVERIFY2(waitFor([&] { return sawScale() || !failed.isEmpty() || nowS >= 69.0; }, 30000),
                 qPrintable(QString::number(nowS)));
        worker.pause();
        QString events;
        for (const metrics::LaneEvent &e : data.lanes[0].events)
            events += QString::number(e.tS) + " " + QString::fromStdString(e.kind + ": " + e.text) + "\n";
        QVERIFY2(sawScale(), qPrintable(events));
        QVERIFY2(events.contains("HPA inference-hpa: ") && events.contains(" desired of 1-20"), qPrintable(events));
        QVERIFY2(!events.contains("will fight"), qPrintable(events)); // watching fights nobody
    }

    // Every live run the window records opens again with the numbers it showed (found by a
    // new-user trial: a watched cluster's lane "'watch' is not a controller", and a cluster
    // scaled by hand to 30 pods, past the 20 the KPA assumes, "30 pods, more than run.json's
    // max_replicas (20)"). Watched, scaled past the controller's cap, and read at 50x, whose
    // reading that ends the follow brings seconds past its end ("duration_s: 202 s, but the
    // samples run to 205 s").
    void everyLiveRunRecordedReopensWithItsNumbers()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike-long", "--speed", "4", "--max-replicas", "40"}));
        const test::Reply scaled = test::request(server.port, test::http::verb::patch,
            "/apis/apps/v1/namespaces/default/deployments/inference/scale", R"({"spec":{"replicas":30}})",
            "application/merge-patch+json");
        QVERIFY2(scaled.status == 200, scaled.body.c_str());
        for (const QString &controller : {QStringLiteral("watch"), QStringLiteral("kpa")}) {
            QTemporaryDir runs;
            ui::DashboardOptions options;
            options.source = liveSource(server.port, controller);
            options.runsFolder = runs.path();
            ui::MainWindow window(options);
            window.show();
            QTRY_VERIFY_WITH_TIMEOUT(hasSamples(window, 8), 30000);
            window.onPause();
            QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 10000);
            const auto &samples = window.history().lanes[0].samples;
            QVERIFY2(std::any_of(samples.begin(), samples.end(),
                         [](const metrics::LaneSample &s) { return s.podsDesired == 30 && s.podsReady >= 20; }),
                qPrintable(controller));
            const QString folder = window.recordCurrentRun();
            QVERIFY(!folder.isEmpty());
            const ui::ComparisonData shown = window.history();
            checkReopened(shown, folder);
            if (QTest::currentTestFailed())
                return;
            // The cluster's most pods are at least those it had, whatever the KPA assumes.
            QVERIFY2(shown.maxReplicas >= 30, qPrintable(QString::number(shown.maxReplicas)));
        }

        Server fast;
        QVERIFY(fast.start({"--scenario", "seed-spike-long", "--speed", "50"}));
        QTemporaryDir runs;
        ui::DashboardOptions options = startedKpaWindow(fast.port);
        // The predictive lane: its 15 s of warm-up on the reactive rule come 5 s a reading
        // here, and each second's sample says it (only a reading's last did: 3 of 15).
        options.source.controllers = {QStringLiteral("predictive")};
        options.source.followS = 30.0;
        options.runsFolder = runs.path();
        ui::MainWindow window(options);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(window.isFinished() && !window.lastRecordedRun().isEmpty(), 60000);
        // Its run lasts to the last second read, past the follow's end or not.
        const ui::ComparisonData &shown = window.history();
        QVERIFY(shown.durationS >= shown.lanes[0].samples.back().tS);
        const auto &fastSamples = shown.lanes[0].samples;
        const long flagged = std::count_if(fastSamples.begin(), fastSamples.end(),
            [](const metrics::LaneSample &s) { return s.fallback; });
        QVERIFY2(shown.lanes[0].summary.fallbackSeconds >= 14.0
                && std::abs(static_cast<double>(flagged) - shown.lanes[0].summary.fallbackSeconds) <= 1.0,
            qPrintable(QStringLiteral("%1 flagged, fallback_s %2").arg(flagged).arg(shown.lanes[0].summary.fallbackSeconds)));
        checkReopened(shown, window.lastRecordedRun());
    }

    // A cluster that does not answer: the load fails, naming it; the previous run stays.
    void anUnreachableClusterFailsTheLoad()
    {
        ui::SimulationWorker worker;
        QSignalSpy failed(&worker, &ui::SimulationWorker::loadFailed);
        QSignalSpy loaded(&worker, &ui::SimulationWorker::loaded);
        worker.load(liveSource(1, "hpa"));
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains("cannot read the cluster") && message.contains("http://127.0.0.1:1"),
                 qPrintable(message));
    }

    // --metrics at what is not the router's exposition (a node exporter): the load fails,
    // naming the URL and the series missing, as control refuses it. The lane read them as 0,
    // a cluster with no traffic (a fifth new-user trial).
    void metricsWithoutTheRoutersSeriesFailTheLoad()
    {
        test::MockApi api([](const std::string &target) { return test::healthyAnswer(target); });
        test::MockApi exporter([](const std::string &) { return std::pair<int, std::string> {200, "up 1\nnode_load1 0.5\n"}; },
                               false, "text/plain");
        ui::SimulationWorker worker;
        QSignalSpy failed(&worker, &ui::SimulationWorker::loadFailed);
        QSignalSpy loaded(&worker, &ui::SimulationWorker::loaded);
        ui::SimulationSource source = liveSource(api.port(), "predictive");
        source.target.metrics = exporter.url().toStdString();
        worker.load(source);
        QCOMPARE(loaded.count(), 0);
        QCOMPARE(failed.count(), 1);
        const QString message = failed.first().first().toString();
        QVERIFY2(message.contains(QStringLiteral("cannot read the cluster: %1/metrics, field 'headroom_requests_total, ")
                                      .arg(exporter.url()))
                && message.contains(QStringLiteral("': missing (no series labelled namespace=\"default\", deployment=\"inference\"")),
            qPrintable(message));
    }

    // The cluster goes away mid-run: after 10 s without a reading the run stops, and the
    // window says so ("stopped on error", not "paused") with the seconds it had kept.
    void aClusterThatGoesAwayStopsTheRun()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "4"}));
        QTemporaryDir runs;
        ui::DashboardOptions options = startedKpaWindow(server.port);
        options.runsFolder = runs.path();
        ui::MainWindow window(options);
        window.resize(1600, 1000);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(hasSamples(window, 3), 30000);
        QCOMPARE(window.stateText(), QStringLiteral("running"));
        server.process.kill();
        server.process.waitForFinished(5000);
        QTRY_VERIFY_WITH_TIMEOUT(!window.isRunning(), 30000);
        QCOMPARE(window.stateText(), QStringLiteral("stopped on error"));
        const ui::SummaryModel *summary = window.comparisonView()->summaryModel();
        QCOMPARE(summary->index(0, ui::SummaryModel::Status).data().toString(), QStringLiteral("stopped on error"));
        QVERIFY(window.history().lanes[0].samples.size() >= 3); // what it had is kept
        // Recorded, it opens again (found by a new-user trial: the unread seconds' empty
        // counts, and requests in flight before it began, were refused).
        const QString folder = window.recordCurrentRun();
        QVERIFY(!folder.isEmpty());
        QString error;
        const auto reopened = ui::loadRecordedRun(folder, &error);
        QVERIFY2(reopened, qPrintable(error));
        QCOMPARE(reopened->data.state, ui::RunState::Stopped);
        QVERIFY(std::any_of(reopened->data.lanes[0].samples.begin(), reopened->data.lanes[0].samples.end(),
                            [](const metrics::LaneSample &s) { return s.noData && std::isnan(s.completedPerS); }));
    }

    // A screenshot due while the cluster does not answer waits for it, or for the run to stop
    // on the error: it is reported as failed, not taken of the seconds with no data and
    // passed as a paused run (found by a new-user trial).
    void aScreenshotDueAfterTheClusterWentAway()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "4"}));
        QTemporaryDir dir;
        ui::DashboardOptions options = startedKpaWindow(server.port);
        options.screenshotPath = dir.filePath("gone.png");
        options.screenshotAtS = 40.0; // 10 s of the clock at 4x
        ui::MainWindow window(options);
        QSignalSpy taken(&window, &ui::MainWindow::screenshotTaken);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(hasSamples(window, 1), 30000);
        QVERIFY(window.history().lanes[0].samples.back().tS < 30.0);
        server.process.kill();
        server.process.waitForFinished(5000);
        QTRY_COMPARE_WITH_TIMEOUT(taken.count(), 1, 40000);
        QCOMPARE(taken.first().first().toBool(), false);
        QCOMPARE(window.stateText(), QStringLiteral("stopped on error"));
        QVERIFY(QFile::exists(options.screenshotPath)); // what it showed, still saved
    }

    // The window on a cluster that never answers: it says the run stopped on the error (not
    // "ready"), and Reset tries the load again (found by a new-user trial).
    void aWindowOnAClusterThatNeverAnswered()
    {
        ui::MainWindow window(startedKpaWindow(1));
        window.show();
        QTRY_COMPARE_WITH_TIMEOUT(window.stateText(), QStringLiteral("stopped on error"), 20000);
        QVERIFY(!window.isRunning());
        // Where the charts would be, the whole message: the status bar cut it to one line.
        const QString note = window.comparisonView()->emptyNote();
        QVERIFY2(note.startsWith(QStringLiteral("Nothing to show: live deployment default/inference at "
                                                "http://127.0.0.1:1 did not load."))
                && note.contains(QStringLiteral("cannot read the cluster: GET http://127.0.0.1:1/apis/apps/v1/"))
                && note.endsWith(QStringLiteral("Reset tries again.")),
            qPrintable(note));
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "4"}));
        ui::SimulationSource served = liveSource(server.port, "kpa");
        window.load(served); // as Reset would, on a cluster that answers now
        QTRY_VERIFY_WITH_TIMEOUT(window.history().lanes.size() == 1, 30000);
        QVERIFY(window.stateText() != QStringLiteral("stopped on error"));
        QCOMPARE(window.comparisonView()->emptyNote(), QString());
        window.onStart();
        QTRY_VERIFY_WITH_TIMEOUT(!window.history().lanes[0].samples.empty(), 30000);
        QCOMPARE(window.stateText(), QStringLiteral("running"));
    }

    // As a user runs it: the dashboard on a served cluster, the predictive controller scaling
    // it, a screenshot at the cluster's 30 s.
    void theDashboardShowsALiveCluster()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "2"}));
        QTemporaryDir dir;
        const QString png = dir.filePath("live.png");
        const testing::DashboardRun run = testing::runDashboard(
            {"--server", QStringLiteral("http://127.0.0.1:%1").arg(server.port), "--controllers", "predictive",
             "--screenshot", png, "--screenshot-at", "30", "--no-record"},
            true, 60000);
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.err.contains("following deployment default/inference at http://127.0.0.1:"), qPrintable(run.err));
        const QImage image(png);
        QVERIFY(!image.isNull());
        QCOMPARE(image.size(), QSize(1600, 1000));
        // A screenshot before the cluster's clock (now past 30 s) would show nothing: refused.
        const testing::DashboardRun early = testing::runDashboard(
            {"--server", QStringLiteral("http://127.0.0.1:%1").arg(server.port), "--controllers", "watch",
             "--screenshot", dir.filePath("early.png"), "--screenshot-at", "5", "--no-record"},
            true, 60000);
        QCOMPARE(early.exitCode, 1);
        QVERIFY2(early.err.contains("--screenshot-at 5 s is before the live cluster's clock"), qPrintable(early.err));
        // The served cluster was scaled through its API for the step at 20 s.
        const test::Reply scale = test::request(server.port, test::http::verb::get,
            "/apis/apps/v1/namespaces/default/deployments/inference/scale");
        QVERIFY(nlohmann::json::parse(scale.body)["spec"]["replicas"].get<int>() >= 5);
    }

    // A batch export of a live cluster (a report of a real cluster from a script): it follows
    // the cluster for --follow seconds of its clock, at its pace, and writes the files; a
    // signal stops it early and the files hold what was recorded (it was refused before).
    void aBatchExportFollowsTheClusterAndWrites()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "5"}));
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(server.port);
        QTemporaryDir dir;
        const testing::DashboardRun run = testing::runDashboard(
            {"--server", url, "--controllers", "kpa", "--follow", "25", "--export", dir.path(), "--format", "csv,png"},
            false, 60000);
        QVERIFY2(run.finished && run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains(QStringLiteral("wrote %1/timeseries.csv").arg(dir.path())), qPrintable(run.out));
        QCOMPARE(QImage(dir.filePath("comparison.png")).size(), QSize(3200, 2000));
        QFile csv(dir.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QByteArray text = csv.readAll();
        QStringList rows;
        for (const QByteArray &line : text.split('\n')) {
            if (line.contains(",kpa,"))
                rows << QString::fromUtf8(line);
        }
        // 25 s of the cluster's clock, from when the dashboard began following it.
        QVERIFY2(rows.size() >= 24 && rows.size() <= 27, qPrintable(QString::number(rows.size())));
        const double first = rows.first().section(QLatin1Char(','), 0, 0).toDouble();
        const double last = rows.last().section(QLatin1Char(','), 0, 0).toDouble();
        QVERIFY2(last - first >= 23.0 && last - first <= 26.0, qPrintable(rows.first() + " .. " + rows.last()));
        // Its metadata says what it read (a new-user trial found "seed: 0" and a range from 0 s):
        // no seed, the seconds it followed, and the cluster's settings with what is assumed.
        const QString head = QString::fromUtf8(text.left(text.indexOf("t_s,")));
        QVERIFY2(head.contains(QStringLiteral("\n# seed: none (live cluster)\n")), qPrintable(head));
        QVERIFY2(head.contains(QStringLiteral("\n# range: %1-%2 s (whole run)\n").arg(first - 1.0).arg(last)),
            qPrintable(head));
        QVERIFY2(head.contains(QStringLiteral("\n# settings: slo_latency_ms=500, service_mean_ms="))
                && head.contains(QStringLiteral(", pod_slots=1 (assumed), replicas=1-20,")),
            qPrintable(head));

        // Stopped by a signal long before its hour: the files are written, exit 0.
        QTemporaryDir stopped;
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        QTemporaryDir home;
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
        process.setProcessEnvironment(env);
        process.start(testing::dashboardBinary(),
            {"--server", url, "--controllers", "kpa", "--follow", "3600", "--export", stopped.path(), "--format", "csv"});
        QVERIFY(process.waitForStarted());
        QTest::qWait(4000);
        process.terminate(); // SIGTERM, as Ctrl+C's SIGINT
        QVERIFY(process.waitForFinished(20000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QVERIFY2(process.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("by a signal; the files hold what was recorded until then")), qPrintable(err));
        QFile partial(stopped.filePath("timeseries.csv"));
        QVERIFY(partial.open(QIODevice::ReadOnly));
        QVERIFY(partial.readAll().count(",kpa,") >= 5);
    }

    // A served run that ends while the export follows it (a second trial): the files hold the
    // seconds read, not the no-data seconds the lane counted at 20x for the 10 s it waited (200
    // of them), their run ends where it stopped, not at the hour it was to follow, and says it
    // stopped on the error. A file the user put in the folder meanwhile is not replaced.
    void aBatchExportOfAClusterThatEndsHoldsWhatWasRead()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "20"}));
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(server.port);
        QTemporaryDir dir;
        QProcess process;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        QTemporaryDir home;
        env.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
        env.remove(QStringLiteral("QT_QPA_PLATFORM"));
        process.setProcessEnvironment(env);
        process.start(testing::dashboardBinary(),
            {"--server", url, "--controllers", "hpa", "--export", dir.path(), "--format", "csv,report"});
        QVERIFY(process.waitForStarted());
        // The file appears once the export follows the cluster, its folder checked: a fixed
        // second's wait let a slow start find it there first and refuse the folder (exit 2).
        QByteArray early;
        QElapsedTimer waited;
        waited.start();
        while (!early.contains("following deployment") && waited.elapsed() < 30000
               && process.state() == QProcess::Running) {
            process.waitForReadyRead(100);
            early += process.readAllStandardError();
        }
        QVERIFY2(early.contains("following deployment"), early.constData());
        {
            QFile mine(dir.filePath("report.html"));
            QVERIFY(mine.open(QIODevice::WriteOnly));
            mine.write("my own notes\n");
        }
        QVERIFY(process.waitForFinished(60000));
        const QString err = QString::fromUtf8(early + process.readAllStandardError());
        QCOMPARE(process.exitCode(), 1);
        QVERIFY2(err.contains(QStringLiteral("no reading of the cluster for 10 s")), qPrintable(err));
        QVERIFY2(err.contains(QStringLiteral("report.html appeared during the run and no export wrote it: not replaced")),
            qPrintable(err));
        QFile mine(dir.filePath("report.html"));
        QVERIFY(mine.open(QIODevice::ReadOnly));
        QCOMPARE(mine.readAll(), QByteArray("my own notes\n"));

        QFile csv(dir.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(csv.readAll());
        QVERIFY2(text.contains(QStringLiteral("# state: stopped on error")), qPrintable(text.left(600)));
        const QStringList rows = text.split(QLatin1Char('\n')).filter(QStringLiteral(",hpa,"));
        QVERIFY(!rows.isEmpty());
        const double last = rows.last().section(QLatin1Char(','), 0, 0).toDouble();
        QVERIFY2(last <= 71.0, qPrintable(rows.last())); // seed-spike ends at 70 s
        const QRegularExpression duration(QStringLiteral("# duration_s: (\\d+)"));
        const auto m = duration.match(text);
        QVERIFY2(m.hasMatch() && m.captured(1).toDouble() <= 71.0, qPrintable(text.left(600)));
    }

    void badLiveCommandLinesAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        const QString url = "http://127.0.0.1:1";
        QTest::newRow("two controllers") << QStringList {"--server", url, "--controllers", "kpa,hpa"} << 2
                                         << "--controllers: a live cluster has one controller (or watch)";
        QTest::newRow("clairvoyant") << QStringList {"--server", url, "--controllers", "clairvoyant"} << 2
                                     << "only the simulator has";
        QTest::newRow("unknown") << QStringList {"--server", url, "--controllers", "vpa"} << 2
                                 << "'vpa' is not one of watch, predictive";
        QTest::newRow("beside a scenario") << QStringList {"--server", url, "--scenario", "ramp"} << 2
                                           << "--scenario: cannot be combined with --server";
        QTest::newRow("speed") << QStringList {"--server", url, "--speed", "5"} << 2 << "--speed: cannot be combined";
        QTest::newRow("export of a cluster that never answers") << QStringList {"--server", url, "--export", "DIR"} << 1
                                                                 << "--export: cannot read the cluster: ";
        QTest::newRow("no server") << QStringList {"--namespace", "prod"} << 2
                                   << "--server: a live cluster needs --server URL";
        QTest::newRow("bad url") << QStringList {"--server", "127.0.0.1:8080"} << 2
                                 << "is not an http:// or https:// URL";
        QTest::newRow("bad namespace") << QStringList {"--server", url, "--namespace", "Prod"} << 2
                                       << "--namespace: 'Prod' is not a Kubernetes name";
        QTest::newRow("query without prometheus") << QStringList {"--server", url, "--query", "rate=up"} << 2
                                                  << "--query: asks a Prometheus server";
        QTest::newRow("follow") << QStringList {"--server", url, "--follow", "0"} << 2
                                << "--follow: expected seconds from 1";
        // Files that cannot be read are a bad command line, before any window (a new-user trial).
        QTest::newRow("missing kubeconfig") << QStringList {"--kubeconfig", "/nonexistent/k"} << 2
                                            << "/nonexistent/k, field 'kubeconfig': does not exist";
        QTest::newRow("missing token file") << QStringList {"--server", url, "--token-file", "/nonexistent/t"} << 2
                                            << "/nonexistent/t, field '--token-file': does not exist";
        // Nothing answers: the window says why and a screenshot run ends with exit 1, saying
        // why on a headroom: line as --export does (a fourth trial's had log lines alone).
        QTest::newRow("unreachable") << QStringList {"--server", url, "--screenshot", "SHOT"} << 1
                                     << "headroom: --screenshot: cannot read the cluster: GET http://127.0.0.1:1/apis/apps/v1/";
        // --follow without a cluster names itself, not --server (a fourth trial).
        QTest::newRow("follow without a cluster") << QStringList {"--follow", "100", "--export", "DIR"} << 2
            << "headroom: --follow: applies to a live cluster only: give --server URL, --kubeconfig FILE or --context NAME";
    }

    void badLiveCommandLinesAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        QTemporaryDir dir;
        args.replaceInStrings("SHOT", dir.filePath("shot.png"));
        args.replaceInStrings("DIR", dir.path());
        const testing::DashboardRun run = testing::runDashboard(args + QStringList {"--no-record"}, true, 60000);
        QVERIFY2(run.finished, "did not end");
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }
};

QTEST_MAIN(TestLiveCluster)
#include "tst_livecluster.moc"
