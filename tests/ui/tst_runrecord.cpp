// Recorded runs: what the dashboard writes for every run reads back as it was, and a bad
// recording is refused with the file, row and field named.
#include "eventmodel.h"
#include "comparisonexport.h"
#include "recordedrunsdialog.h"
#include "runrecord.h"
#include "seedspikerun.h"
#include "sim/clusterconfig.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>

using namespace headroom;

class TestRunRecord : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void roundTripKeepsEverySampleSummaryAndEvent();
    void noDataSecondsAndHolesSurvive();
    void maxReplicasTravelsWithTheSource();
    void recordNamesAFolderPerRunWithoutOverwriting();
    void listIsNewestFirstAndNamesUnreadableRuns();
    void badRecordingsAreRefusedWithTheirPlace_data();
    void badRecordingsAreRefusedWithTheirPlace();
    void rowsThatDisagreeAreRefused();
    void countsBeyondTheRunAreRefused();
    void summariesTheSamplesContradictAreRefused();
    void notesPastTheEndAreLeftOutAndTheRunReopens();
    void recordingComparesLanesAsSummaryJsonDoes();
    void anOlderRecordingsTimeToScaleOpens();
    void aLiveRunReopensWithItsNumbers();

private:
    // The error opening m_run recorded, then its run.json and timeseries.csv's rows edited;
    // empty when it opens.
    QString editedRecordingError(const std::function<void(nlohmann::json &)> &editRun,
                                 const std::function<void(QByteArrayList &)> &editRows) const;

    ui::ComparisonData m_run;
    ui::SimulationSource m_source;
};

namespace {

// The CSV keeps six significant digits.
bool near(double a, double b)
{
    if (std::isnan(a) || std::isnan(b))
        return std::isnan(a) && std::isnan(b);
    return std::abs(a - b) <= 1e-5 * std::max(1.0, std::abs(a));
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(bytes);
}

} // namespace

QString TestRunRecord::editedRecordingError(const std::function<void(nlohmann::json &)> &editRun,
                                           const std::function<void(QByteArrayList &)> &editRows) const
{
    QTemporaryDir dir;
    QString error;
    if (!ui::saveRecordedRun(m_run, m_source, dir.path(), QDateTime::currentDateTimeUtc(), &error))
        return QStringLiteral("not saved: ") + error;
    const QString json = dir.path() + QStringLiteral("/run.json");
    nlohmann::json doc = nlohmann::json::parse(readAll(json).toStdString());
    editRun(doc);
    writeAll(json, QByteArray::fromStdString(doc.dump(2)));
    const QString csv = dir.path() + QStringLiteral("/timeseries.csv");
    QByteArrayList rows = readAll(csv).split('\n');
    editRows(rows);
    writeAll(csv, rows.join('\n'));
    const auto back = ui::loadRecordedRun(dir.path(), &error);
    return back ? QString() : error;
}

void TestRunRecord::initTestCase()
{
    m_run = testing::seedSpikeWithOperatorSpike({"predictive", "hpa", "kpa"}, 30.0);
    m_run.state = ui::RunState::Finished;
    m_source.scenario = QStringLiteral("seed-spike");
    m_source.seed = 7;
    m_source.controllers = {QStringLiteral("predictive"), QStringLiteral("hpa"), QStringLiteral("kpa")};
    QVERIFY(m_run.lanes.size() == 3 && m_run.lanes[0].samples.size() == 70);
}

void TestRunRecord::roundTripKeepsEverySampleSummaryAndEvent()
{
    QTemporaryDir dir;
    QString error;
    const QDateTime when = QDateTime(QDate(2026, 12, 4), QTime(23, 15, 0), Qt::UTC);
    QVERIFY2(ui::saveRecordedRun(m_run, m_source, dir.path() + "/r", when, &error), qPrintable(error));
    const auto back = ui::loadRecordedRun(dir.path() + "/r/run.json", &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->recorded, when);
    QCOMPARE(back->lastS, 70.0);
    const ui::ComparisonData &d = back->data;
    QCOMPARE(d.title, m_run.title);
    QCOMPARE(d.source, m_run.source);
    QCOMPARE(d.seed, m_run.seed);
    QCOMPARE(d.state, ui::RunState::Finished);
    QCOMPARE(d.durationS, m_run.durationS);
    QCOMPARE(d.sloLatencyMs, m_run.sloLatencyMs);
    QCOMPARE(d.serviceMeanS, m_run.serviceMeanS);
    QCOMPARE(d.podSlots, m_run.podSlots);
    QVERIFY(d.settings == m_run.settings);
    QCOMPARE(d.spikes.size(), m_run.spikes.size());
    QCOMPARE(d.spikes.back().startS, 30.0); // the operator's spike
    QCOMPARE(d.spikes.back().multiplier, 3.0);
    QVERIFY(back->source);
    QCOMPARE(back->source->scenario, QStringLiteral("seed-spike"));
    QCOMPARE(back->source->seed, std::optional<std::uint64_t>(7));
    QCOMPARE(back->source->controllers, m_source.controllers);
    QCOMPARE(back->source->maxReplicas, std::optional<int>()); // none given
    QCOMPARE(d.maxReplicas, 20); // the cluster's, for the summary's capped-reference note

    QCOMPARE(d.lanes.size(), m_run.lanes.size());
    for (std::size_t i = 0; i < d.lanes.size(); ++i) {
        const ui::ComparisonData::Lane &a = m_run.lanes[i];
        const ui::ComparisonData::Lane &b = d.lanes[i];
        QCOMPARE(b.controller, a.controller);
        // The numbers the summary table shows.
        QCOMPARE(b.summary.sloViolations, a.summary.sloViolations);
        QCOMPARE(b.summary.requests, a.summary.requests);
        QCOMPARE(b.summary.peakPods, a.summary.peakPods);
        QCOMPARE(b.summary.podSeconds, a.summary.podSeconds);
        QCOMPARE(b.summary.latencyP95Ms, a.summary.latencyP95Ms);
        QCOMPARE(b.summary.violationSeconds, a.summary.violationSeconds);
        // (The time to scale and provisioning compare lanes: recordingComparesLanesAsSummaryJsonDoes.)
        QCOMPARE(b.summary.forecasts, a.summary.forecasts);
        QCOMPARE(b.summary.forecast.forecasts, a.summary.forecast.forecasts);
        QCOMPARE(b.summary.fallbackSeconds, a.summary.fallbackSeconds);
        // Every event, with the regions the charts shade.
        QCOMPARE(b.events.size(), a.events.size());
        for (std::size_t e = 0; e < a.events.size(); ++e) {
            QCOMPARE(b.events[e].tS, a.events[e].tS);
            QCOMPARE(b.events[e].kind, a.events[e].kind);
            QCOMPARE(b.events[e].text, a.events[e].text);
            QCOMPARE(b.events[e].region, a.events[e].region);
            QCOMPARE(b.events[e].regionOpens, a.events[e].regionOpens);
        }
        // Every sample, every column.
        QCOMPARE(b.samples.size(), a.samples.size());
        for (std::size_t k = 0; k < a.samples.size(); ++k) {
            const metrics::LaneSample &x = a.samples[k];
            const metrics::LaneSample &y = b.samples[k];
            QCOMPARE(y.tS, x.tS);
            for (auto [p, q] : {std::pair {x.arrivalsPerS, y.arrivalsPerS},
                     {x.completedPerS, y.completedPerS}, {x.droppedPerS, y.droppedPerS},
                     {x.sloViolationsPerS, y.sloViolationsPerS}, {x.latencyP50Ms, y.latencyP50Ms},
                     {x.latencyP95Ms, y.latencyP95Ms}, {x.latencyP99Ms, y.latencyP99Ms},
                     {x.cpuUtilization, y.cpuUtilization}, {x.concurrency, y.concurrency},
                     {x.forecastHorizonS, y.forecastHorizonS}, {x.forecastP50, y.forecastP50},
                     {x.forecastP90, y.forecastP90}})
                QVERIFY2(near(p, q), qPrintable(QStringLiteral("%1 lane %2 at %3 s: %4 vs %5")
                                                    .arg(QString::fromStdString(a.controller))
                                                    .arg(i).arg(x.tS).arg(p).arg(q)));
            QCOMPARE(y.podsDesired, x.podsDesired);
            QCOMPARE(y.podsReady, x.podsReady);
            QCOMPARE(y.podsStarting, x.podsStarting);
            QCOMPARE(y.podsUnready, x.podsUnready);
            QCOMPARE(y.queueLength, x.queueLength);
            QCOMPARE(y.fallback, x.fallback);
            QCOMPARE(y.noData, x.noData);
        }
    }
}

void TestRunRecord::noDataSecondsAndHolesSurvive()
{
    ui::ComparisonData run = m_run;
    run.lanes.resize(1);
    // A hole in the trace: its second's arrivals are unknown, and were not counted. Nor did
    // they complete; what completes in it arrived before it (a second with at least as many
    // completions as arrivals, so the counts stay those of a real run).
    std::size_t hole = 10;
    while (hole < run.lanes[0].samples.size()
           && run.lanes[0].samples[hole].completedPerS < run.lanes[0].samples[hole].arrivalsPerS)
        ++hole;
    QVERIFY(hole + 1 < run.lanes[0].samples.size());
    const long long unknown = std::llround(run.lanes[0].samples[hole].arrivalsPerS);
    run.lanes[0].summary.requests -= unknown;
    run.lanes[0].summary.completed -= unknown;
    run.lanes[0].samples[hole].noData = true;
    run.lanes[0].samples[hole].arrivalsPerS = 0.0;
    // A month-long run's seconds stay exact (six significant digits would round them): the
    // last 70 seconds of one.
    for (metrics::LaneSample &s : run.lanes[0].samples)
        s.tS += 2384582.0;
    run.durationS = 2384652.0;
    run.spikes.back().shape = "decay"; // the operator's preset is kept
    // The reader's notes on the trace go with the run, and read back in the events list.
    run.sourceNotes = {"1 missing interval in 1 gap kept as holes (NaN), not zeros",
        "rows sorted by time"};
    QTemporaryDir dir;
    QString error;
    QVERIFY(ui::saveRecordedRun(run, std::nullopt, dir.path(), QDateTime::currentDateTimeUtc(), &error));
    const auto back = ui::loadRecordedRun(dir.path(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->data.lanes[0].samples[1].tS, 2384584.0);
    QVERIFY(back->data.lanes[0].samples[hole].noData);
    QVERIFY(!back->data.lanes[0].samples[hole + 1].noData);
    QCOMPARE(back->data.lanes[0].samples.back().tS, 2384652.0);
    QVERIFY(!back->source); // none was recorded: Run again has nothing to run
    QCOMPARE(back->data.spikes.back().shape, std::string("decay"));
    QCOMPARE(back->data.sourceNotes, run.sourceNotes);
    const std::vector<metrics::LaneEvent> events = ui::noteEvents(back->data);
    QVERIFY(events.size() >= 2);
    QCOMPARE(events[0].kind, std::string("source"));
    QCOMPARE(events[0].tS, 0.0);
    QCOMPARE(events[1].text, run.sourceNotes[1]);
}

// --max-replicas travels with the source, so Run again (and a workspace) runs as capped; a
// value the command line would refuse is refused in the file too, naming the field.
void TestRunRecord::maxReplicasTravelsWithTheSource()
{
    QTemporaryDir dir;
    QString error;
    ui::SimulationSource source = m_source;
    source.maxReplicas = 7;
    QVERIFY2(ui::saveRecordedRun(m_run, source, dir.path(), QDateTime::currentDateTimeUtc(), &error),
        qPrintable(error));
    const QByteArray json = readAll(dir.path() + "/run.json");
    QVERIFY(json.contains("\"max_replicas\": 7"));
    auto back = ui::loadRecordedRun(dir.path(), &error);
    QVERIFY2(back && back->source, qPrintable(error));
    QCOMPARE(back->source->maxReplicas, std::optional<int>(7));
    // A run that stopped on an error reopens saying so.
    ui::ComparisonData stopped = m_run;
    stopped.state = ui::RunState::Stopped;
    QTemporaryDir stoppedDir;
    QVERIFY2(ui::saveRecordedRun(stopped, source, stoppedDir.path(), QDateTime::currentDateTimeUtc(), &error),
        qPrintable(error));
    QVERIFY(readAll(stoppedDir.path() + "/run.json").contains("\"state\": \"stopped on error\""));
    const auto reopened = ui::loadRecordedRun(stoppedDir.path(), &error);
    QVERIFY2(reopened, qPrintable(error));
    QCOMPARE(reopened->data.state, ui::RunState::Stopped);
    // A live cluster's run (no source) begins with requests in flight: more may complete in
    // it than arrived in it; one with a source may not.
    ui::ComparisonData joined = stopped;
    joined.lanes[0].summary.completed = joined.lanes[0].summary.requests + 5;
    QTemporaryDir joinedDir;
    QVERIFY2(ui::saveRecordedRun(joined, std::nullopt, joinedDir.path(), QDateTime::currentDateTimeUtc(), &error),
        qPrintable(error));
    QVERIFY2(ui::loadRecordedRun(joinedDir.path(), &error), qPrintable(error));
    QTemporaryDir sourcedDir;
    QVERIFY2(ui::saveRecordedRun(joined, source, sourcedDir.path(), QDateTime::currentDateTimeUtc(), &error),
        qPrintable(error));
    QVERIFY(!ui::loadRecordedRun(sourcedDir.path(), &error));
    QVERIFY2(error.contains(QStringLiteral("more than the lane's")), qPrintable(error));
    QByteArray bytes = json;
    bytes.replace("\"max_replicas\": 7", "\"max_replicas\": 0");
    writeAll(dir.path() + "/run.json", bytes);
    back = ui::loadRecordedRun(dir.path(), &error);
    QVERIFY(!back);
    QVERIFY2(error.contains(QStringLiteral("run_source.max_replicas")) && error.contains(QStringLiteral("1000")),
        qPrintable(error));
}

void TestRunRecord::recordNamesAFolderPerRunWithoutOverwriting()
{
    QTemporaryDir dir;
    QString error;
    const QString first = ui::recordRun(m_run, m_source, &error, dir.path());
    const QString second = ui::recordRun(m_run, m_source, &error, dir.path());
    QVERIFY2(!first.isEmpty() && !second.isEmpty(), qPrintable(error));
    QVERIFY(first != second);
    QVERIFY2(QFileInfo(first).fileName().endsWith(QStringLiteral("-seed-spike-seed-1")),
        qPrintable(first));
    QVERIFY(QFile::exists(first + "/run.json") && QFile::exists(first + "/timeseries.csv"));
    QVERIFY(QFile::exists(second + "/run.json"));
    // A folder that cannot be made is an error naming it, not a crash.
    writeAll(dir.path() + "/file", "x");
    QVERIFY(ui::recordRun(m_run, m_source, &error, dir.path() + "/file/runs").isEmpty());
    QVERIFY2(error.contains(dir.path() + "/file/runs"), qPrintable(error));
}

void TestRunRecord::listIsNewestFirstAndNamesUnreadableRuns()
{
    QTemporaryDir dir;
    QString error;
    ui::ComparisonData older = m_run;
    older.title = "older";
    QVERIFY(ui::saveRecordedRun(older, m_source, dir.path() + "/a",
        QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC), &error));
    QVERIFY(ui::saveRecordedRun(m_run, m_source, dir.path() + "/b",
        QDateTime(QDate(2026, 6, 1), QTime(0, 0), Qt::UTC), &error));
    QDir().mkpath(dir.path() + "/broken");
    writeAll(dir.path() + "/broken/run.json", "{\"format\": \"headroom-run\"");
    QDir().mkpath(dir.path() + "/not-a-run"); // no run.json: not listed, not an error
    QStringList skipped;
    const auto runs = ui::listRecordedRuns(dir.path(), &skipped);
    QCOMPARE(runs.size(), std::size_t(2));
    QCOMPARE(runs[0].title, QString::fromStdString(m_run.title));
    QCOMPARE(runs[1].title, QStringLiteral("older"));
    QCOMPARE(runs[0].controllers, m_source.controllers);
    QCOMPARE(runs[0].lastS, 70.0);
    QCOMPARE(skipped.size(), 1);
    QVERIFY2(skipped[0].contains("broken/run.json"), qPrintable(skipped[0]));
    // Each with the size of its files, as the list shows it.
    const qint64 files = QFileInfo(dir.path() + "/b/run.json").size() + QFileInfo(dir.path() + "/b/timeseries.csv").size();
    QCOMPARE(runs[0].bytes, files);

    // The list deletes the selected runs: their files and folder, nothing else.
    ui::RecordedRunsDialog dialog(dir.path());
    QCOMPARE(dialog.runCount(), 2);
    QVERIFY2(dialog.noteText().startsWith(QStringLiteral("2 runs, ")), qPrintable(dialog.noteText()));
    auto *list = dialog.findChild<QTreeWidget *>(QStringLiteral("recordedRuns"));
    QVERIFY(list);
    list->clearSelection();
    list->topLevelItem(1)->setSelected(true); // "older"
    dialog.deleteSelected();
    QCOMPARE(dialog.runCount(), 1);
    QVERIFY(!QFileInfo::exists(dir.path() + "/a"));
    QVERIFY(QFileInfo::exists(dir.path() + "/b/run.json"));
    QVERIFY(QFileInfo::exists(dir.path() + "/not-a-run"));
    QVERIFY2(dialog.noteText().startsWith(QStringLiteral("1 run, ")), qPrintable(dialog.noteText()));
    // A file of the user's in a recording's folder stays, and is said to.
    writeAll(dir.path() + "/b/mine.txt", "notes");
    QVERIFY(!ui::deleteRecordedRun(dir.path() + "/b", &error));
    QVERIFY2(error.contains(QStringLiteral("kept what else was there: mine.txt")), qPrintable(error));
    QVERIFY(QFileInfo::exists(dir.path() + "/b/mine.txt"));
    QVERIFY(!QFileInfo::exists(dir.path() + "/b/run.json"));
    QVERIFY(!ui::deleteRecordedRun(dir.path() + "/not-a-run", &error));
    QVERIFY2(error.contains(QStringLiteral("not a recorded run")), qPrintable(error));
}

void TestRunRecord::badRecordingsAreRefusedWithTheirPlace_data()
{
    QTest::addColumn<QString>("file"); // run.json or timeseries.csv
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("expected"); // in the message

    QTest::newRow("not json") << "run.json" << "{" << "[" << "run.json";
    QTest::newRow("wrong format") << "run.json" << "\"headroom-run\"" << "\"other\"" << "format";
    QTest::newRow("newer version") << "run.json" << "\"version\": 1" << "\"version\": 2" << "version";
    QTest::newRow("negative slo") << "run.json" << "\"slo_latency_ms\": 500" << "\"slo_latency_ms\": -5"
                                  << "slo_latency_ms";
    QTest::newRow("lane summary") << "run.json" << "\"peak_pods\"" << "\"peak_podz\"" << "lanes[0].peak_pods";
    QTest::newRow("unknown controller") << "run.json" << "\"kpa\"\n" << "\"kpx\"\n" << "run_source.controllers";
    QTest::newRow("bad state") << "run.json" << "\"state\": \"finished\"" << "\"state\": \"done\"" << "state";
    // Read and ignored, it would say the run replayed a trace it did not.
    QTest::newRow("trace in a scenario source") << "run.json" << "\"kind\": \"scenario\""
        << "\"kind\": \"scenario\", \"trace\": \"x.csv\"" << "run_source.trace";
    QTest::newRow("bad cell") << "timeseries.csv" << "\n5,predictive,"
                              << "\n5,predictive,abc" << "row 6";
    QTest::newRow("negative pods") << "timeseries.csv" << "\n3,hpa,"
                                   << "\n3,hpa,-" << "arrivals_per_s";
    QTest::newRow("unknown lane") << "timeseries.csv" << "\n2,kpa," << "\n2,knative," << "knative";
    QTest::newRow("missing column") << "timeseries.csv" << "pods_ready," << "pods_redy," << "pods_ready";
    QTest::newRow("short row") << "timeseries.csv" << "\n4,hpa," << "\n4,hpa\n4,hpa," << "cells";
    QTest::newRow("time goes back") << "timeseries.csv" << "\n9,kpa," << "\n1,kpa," << "back in time";
    // Inconsistent recordings are refused too, not shown with data missing or made up.
    QTest::newRow("column twice") << "timeseries.csv" << ",concurrency\n" << ",t_s\n" << "named twice";
    QTest::newRow("column missing at the end") << "timeseries.csv" << ",concurrency\n" << "\n"
                                               << "concurrency";
    QTest::newRow("unknown column") << "timeseries.csv" << ",concurrency\n" << ",concurrency_x\n"
                                    << "concurrency_x";
    QTest::newRow("time beyond a run") << "timeseries.csv" << "\n70,kpa," << "\n1e15,kpa,"
                                       << "more than a run can hold";
    QTest::newRow("negative request count") << "run.json" << "\"requests\": 1"
                                            << "\"requests\": -1" << "requests";
    QTest::newRow("requests the samples do not add up to") << "run.json" << "\"requests\": 1"
                                                           << "\"requests\": 91" << "add up to";
    QTest::newRow("more completions than requests") << "run.json" << "\"completed\": 1"
                                                    << "\"completed\": 91" << "lanes[0].completed";
    QTest::newRow("not a controller") << "run.json" << "\"controller\": \"kpa\""
                                      << "\"controller\": \"bogus\"" << "lanes[2].controller";
    QTest::newRow("duration short of the samples") << "run.json" << "\"duration_s\": 70"
                                                   << "\"duration_s\": 20" << "duration_s";
    // Summaries that contradict their own lane: digits put in front of the recorded count.
    QTest::newRow("more violations than requests") << "run.json" << "\"slo_violations\": "
        << "\"slo_violations\": 100000000000" << "lanes[0].slo_violations";
    QTest::newRow("peak above max_replicas") << "run.json" << "\"peak_pods\": "
                                             << "\"peak_pods\": 99" << "lanes[0].peak_pods";
    // Numbers that follow from the samples: the table recomputes them, so an edited one would
    // have been shown beside a table contradicting it.
    QTest::newRow("over-provisioning the samples do not give") << "run.json"
        << "\"over_pod_seconds\": " << "\"over_pod_seconds\": 9999"
        << "lanes[0].provisioning.over_pod_seconds";
    QTest::newRow("p50 above p99") << "run.json" << "\"p50\": " << "\"p50\": 99999"
                                   << "lanes[0].latency_ms.p50";
    QTest::newRow("violation seconds past the run") << "run.json" << "\"violation_seconds\": "
        << "\"violation_seconds\": 9999" << "lanes[0].violation_seconds";
}

void TestRunRecord::badRecordingsAreRefusedWithTheirPlace()
{
    QFETCH(QString, file);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, expected);
    QTemporaryDir dir;
    QString error;
    QVERIFY(ui::saveRecordedRun(m_run, m_source, dir.path(), QDateTime::currentDateTimeUtc(), &error));
    const QString path = dir.path() + QLatin1Char('/') + file;
    QByteArray bytes = readAll(path);
    QVERIFY2(bytes.contains(from.toUtf8()), qPrintable(from));
    bytes.replace(bytes.indexOf(from.toUtf8()), from.toUtf8().size(), to.toUtf8());
    writeAll(path, bytes);
    const auto back = ui::loadRecordedRun(dir.path(), &error);
    QVERIFY(!back);
    qInfo("%s", qPrintable(error));
    QVERIFY2(error.contains(file), qPrintable(error));
    QVERIFY2(error.contains(expected), qPrintable(error));
}

// A summary's or a sample's pod count the run cannot have had, and counts a summary gives
// beyond its requests: each refused with the file, the field and the numbers.
void TestRunRecord::countsBeyondTheRunAreRefused()
{
    const auto noRows = [](QByteArrayList &) {};
    const auto noRun = [](nlohmann::json &) {};
    // Unedited, the recording opens.
    QCOMPARE(editedRecordingError(noRun, noRows), QString());

    const long long requests = m_run.lanes[0].summary.requests;
    QString error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][0]["slo_violations"] = 1000000000000LL; },
        noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[0].slo_violations': 1000000000000, "
                                           "more than the lane's %1 requests").arg(requests)),
        qPrintable(error));
    error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][1]["dropped"] = 1000000000000LL; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("field 'lanes[1].dropped': 1000000000000, more than")),
        qPrintable(error));
    error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][0]["peak_pods"] = 999; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[0].peak_pods': 999, more than "
                                           "run.json's max_replicas (20)")),
        qPrintable(error));
    // Pod-seconds and seconds the run's 70 s cannot hold (checkLaneSummary, as a sweep's merge
    // checks them).
    const int peak = m_run.lanes[0].summary.peakPods;
    error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][0]["pod_seconds"] = 1e12; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[0].pod_seconds': 1e+12, more than "
                                           "ten times what the lane's %1 peak_pods have in the run's "
                                           "duration_s of 70 s")
                                .arg(peak)),
        qPrintable(error));
    error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][1]["violation_seconds"] = 100000; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[1].violation_seconds': 100000 s, "
                                           "more than the run's duration_s of 70 s")),
        qPrintable(error));
    error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][0]["fallback_s"] = 100000; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[0].fallback_s': 100000 s, more "
                                           "than the run's duration_s of 70 s")),
        qPrintable(error));
    // peak_pods is the most pods at any moment: never fewer than a second's sample has.
    error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][2]["peak_pods"] = 1; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[2].peak_pods': 1, fewer than the "
                                           "%1 pods").arg(m_run.lanes[2].summary.peakPods)),
        qPrintable(error));

    // Samples: the columns are t_s, lane, arrivals, completed, dropped, three latencies, then
    // pods_desired (8), pods_ready (9), pods_starting (10), ..., pods_unready (19); hpa's second t is on row t + 71.
    const auto setCell = [](int second, int column, const QByteArray &value) {
        return [=](QByteArrayList &rows) {
            for (QByteArray &r : rows) {
                if (!r.startsWith(QByteArray(QByteArray::number(second) + ",hpa,")))
                    continue;
                QByteArrayList cells = r.split(',');
                cells[column] = value;
                r = cells.join(',');
            }
        };
    };
    error = editedRecordingError(noRun, setCell(40, 8, "999999999"));
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 111, field 'pods_desired': lane hpa at "
                                           "40 s: 999999999 pods, more than run.json's max_replicas (20)")),
        qPrintable(error));
    error = editedRecordingError(noRun, setCell(41, 10, "21"));
    QVERIFY2(error.contains(QStringLiteral("row 112, field 'pods_starting': lane hpa at 41 s: 21 pods")),
        qPrintable(error));
    // Together too: ready, starting and unready pods are the lane's pods.
    error = editedRecordingError(noRun, [&](QByteArrayList &rows) {
        setCell(42, 9, "15")(rows);
        setCell(42, 10, "15")(rows);
    });
    QVERIFY2(error.contains(QStringLiteral("row 113, field 'pods_ready': lane hpa at 42 s: 30 pods ready, "
                                           "starting and unready, more than run.json's max_replicas (20)")),
        qPrintable(error));
    // An older recording without max_replicas: the most any cluster has.
    error = editedRecordingError([](nlohmann::json &doc) { doc.erase("max_replicas"); }, setCell(40, 8, "1001"));
    QVERIFY2(error.contains(QStringLiteral("field 'pods_desired': lane hpa at 40 s: 1001 pods, more "
                                           "than a cluster can have (1000)")),
        qPrintable(error));
    // A sample above the summary's peak, within max_replicas: the summary is the one refused.
    const int hpaPeak = m_run.lanes[1].summary.peakPods;
    QVERIFY(hpaPeak < 20);
    error = editedRecordingError(noRun, [&](QByteArrayList &rows) {
        setCell(43, 9, QByteArray::number(hpaPeak + 1))(rows);
        setCell(43, 10, "0")(rows);
        setCell(43, 19, "0")(rows); // pods_unready
    });
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[1].peak_pods': %1, fewer than the %2 "
                                           "pods").arg(hpaPeak).arg(hpaPeak + 1)),
        qPrintable(error));
}

// Edited recordings opened and showed false numbers: a second whose p50 is above its p95; a
// second with 9999 SLO violations; a lane's slo_violations, pod_seconds or fallback_s that
// its samples do not add up to; an SLO other than the settings the run ran with; a finished
// run's duration_s past its samples. Each refused with the file, row and field; the same
// duration on a paused run still opens.
void TestRunRecord::summariesTheSamplesContradictAreRefused()
{
    const auto noRows = [](QByteArrayList &) {};
    const auto noRun = [](nlohmann::json &) {};
    QCOMPARE(editedRecordingError(noRun, noRows), QString());
    // Columns: latency_p50_ms is 5, slo_violations_per_s 18; predictive's second t is on row
    // t + 1.
    const auto setCell = [](int second, int column, const QByteArray &value) {
        return [=](QByteArrayList &rows) {
            for (QByteArray &r : rows) {
                if (!r.startsWith(QByteArray(QByteArray::number(second) + ",predictive,")))
                    continue;
                QByteArrayList cells = r.split(',');
                cells[column] = value;
                r = cells.join(',');
            }
        };
    };
    const metrics::LaneSample &tenth = m_run.lanes[0].samples[9];
    QVERIFY(tenth.tS == 10.0 && std::isfinite(tenth.latencyP95Ms));
    QString error = editedRecordingError(noRun, setCell(10, 5, "99999"));
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 11, field 'latency_p50_ms': lane "
                                           "predictive at 10 s: 99999 ms, above its latency_p95_ms")),
        qPrintable(error));
    error = editedRecordingError(noRun, setCell(10, 18, "9999"));
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 11, field 'slo_violations_per_s': "
                                           "lane predictive at 10 s: 9999, more than the requests "
                                           "that ended in that second")),
        qPrintable(error));

    // The summary against its lane's samples.
    double violations = 0.0;
    double pods = 0.0;
    long long fallback = 0;
    for (const metrics::LaneSample &s : m_run.lanes[1].samples)
        violations += s.sloViolationsPerS;
    for (const metrics::LaneSample &s : m_run.lanes[0].samples) {
        pods += s.podsReady + s.podsStarting + s.podsUnready;
        fallback += s.fallback ? 1 : 0;
    }
    QVERIFY(violations > 10.0 && pods > 100.0 && m_run.lanes[0].summary.forecasts);
    // As few as it dropped (fewer is refused on its own): still short of its samples.
    const long long dropped = m_run.lanes[1].summary.dropped;
    QVERIFY(violations > dropped + 10.0);
    error = editedRecordingError([dropped](nlohmann::json &doc) { doc["lanes"][1]["slo_violations"] = dropped; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[1].slo_violations': %1, but the "
                                           "lane's slo_violations_per_s in timeseries.csv adds up "
                                           "to %2").arg(dropped).arg(violations)),
        qPrintable(error));
    error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][1]["slo_violations"] = 1; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[1].slo_violations': 1, fewer than the lane's %1 "
                                           "dropped requests").arg(dropped)),
        qPrintable(error));
    // Above the samples by more than the requests in flight at the last second, which end
    // after it: refused too.
    double ended = 0.0;
    for (const metrics::LaneSample &s : m_run.lanes[1].samples)
        ended += s.completedPerS + s.droppedPerS;
    const long long requests = m_run.lanes[1].summary.requests;
    const long long tooMany = std::llround(violations) + (requests - std::llround(ended)) + 1;
    QVERIFY(tooMany <= requests);
    error = editedRecordingError([&](nlohmann::json &doc) { doc["lanes"][1]["slo_violations"] = tooMany; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[1].slo_violations': %1, but the "
                                           "lane's slo_violations_per_s in timeseries.csv adds up "
                                           "to %2 and only %3 requests were still in flight")
                                .arg(tooMany)
                                .arg(violations)
                                .arg(requests - std::llround(ended))),
        qPrintable(error));
    error = editedRecordingError([](nlohmann::json &doc) { doc["lanes"][0]["pod_seconds"] = 1; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[0].pod_seconds': 1, but the pods "
                                           "of the lane's samples in timeseries.csv add up to %1")
                                .arg(pods)),
        qPrintable(error));
    error = editedRecordingError([&](nlohmann::json &doc) { doc["lanes"][0]["fallback_s"] = fallback + 10; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'lanes[0].fallback_s': %1 s, but the "
                                           "lane's fallback column in timeseries.csv has %2 s")
                                .arg(fallback + 10)
                                .arg(fallback)),
        qPrintable(error));

    // The run's own fields against its settings and its samples.
    error = editedRecordingError([](nlohmann::json &doc) { doc["slo_latency_ms"] = 100; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'slo_latency_ms': 100, but settings' "
                                           "slo_latency_ms is 500")),
        qPrintable(error));
    error = editedRecordingError([](nlohmann::json &doc) { doc["duration_s"] = 700; }, noRows);
    QVERIFY2(error.contains(QStringLiteral("run.json, field 'duration_s': 700 s, but the run is "
                                           "finished and its samples end at 70 s")),
        qPrintable(error));
    // Paused at 70 s of 700: it opens.
    QCOMPARE(editedRecordingError([](nlohmann::json &doc) {
        doc["duration_s"] = 700;
        doc["state"] = "paused";
    }, noRows),
        QString());
}

// Rows rewritten whole: a lane left without rows, a lane cut short, a no-data second that
// still has arrivals, an empty file. Each is refused, naming what is wrong.
void TestRunRecord::rowsThatDisagreeAreRefused()
{
    const auto attempt = [this](const std::function<QByteArrayList(QByteArrayList)> &rewrite) {
        return editedRecordingError([](nlohmann::json &) {}, [&](QByteArrayList &rows) { rows = rewrite(rows); });
    };
    QString error = attempt([](QByteArrayList rows) {
        rows.erase(std::remove_if(rows.begin() + 1, rows.end(),
                       [](const QByteArray &r) { return r.contains(",kpa,"); }),
            rows.end());
        return rows;
    });
    QVERIFY2(error.contains(QStringLiteral("lane kpa of run.json has no rows")), qPrintable(error));
    error = attempt([](QByteArrayList rows) {
        rows.erase(std::remove_if(rows.begin() + 1, rows.end(),
                       [](const QByteArray &r) { return r.startsWith("70,hpa,"); }),
            rows.end());
        return rows;
    });
    // hpa's last row (second 69) is where it parts from predictive's.
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 140, field 't_s': lane hpa has "
                                           "seconds 1 to 69, lane predictive 1 to 70: the lanes of "
                                           "a run share its seconds")),
        qPrintable(error));
    // A gap in every lane (seconds 30 to 35 gone) would be drawn over: refused too.
    error = attempt([](QByteArrayList rows) {
        rows.erase(std::remove_if(rows.begin() + 1, rows.end(),
                       [](const QByteArray &r) {
                           const int t = r.left(r.indexOf(',')).toInt();
                           return t >= 30 && t <= 35;
                       }),
            rows.end());
        return rows;
    });
    // The file, the row of the first second after the gap, the field and both seconds: rows
    // are a header and then each lane's seconds (predictive, hpa, kpa), so predictive's second
    // t is on row t + 1 before the gap and 6 rows earlier after it.
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 31, field 't_s': lane predictive: "
                                           "36 s follows row 30's 29 s: a recording has every "
                                           "second, once (seconds 30 to 35 are missing)")),
        qPrintable(error));
    // One second missing in one lane (kpa's second t is on row t + 141): named alone.
    error = attempt([](QByteArrayList rows) {
        rows.erase(std::remove_if(rows.begin() + 1, rows.end(),
                       [](const QByteArray &r) { return r.startsWith("12,kpa,"); }),
            rows.end());
        return rows;
    });
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 153, field 't_s': lane kpa: 13 s "
                                           "follows row 152's 11 s: a recording has every second, "
                                           "once (second 12 is missing)")),
        qPrintable(error));
    // A second in between (hpa's second t is on row t + 71): not whole, so nothing is said
    // to be missing.
    error = attempt([](QByteArrayList rows) {
        for (QByteArray &r : rows) {
            if (r.startsWith("12,hpa,"))
                r.replace(0, 2, "11.5");
        }
        return rows;
    });
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 83, field 't_s': lane hpa: 11.5 s "
                                           "follows row 82's 11 s: a recording has every second, "
                                           "once")),
        qPrintable(error));
    QVERIFY2(!error.contains(QStringLiteral("missing")), qPrintable(error));
    // A double quote is not CSV quoting here either, and the error says so: an unclosed one
    // in a field, and a quoted comma that splits a row into one cell too many.
    const QString quotesNote = QStringLiteral(" (double quotes are not read: CSV quoting is not "
                                              "supported, only one pair around a whole field is "
                                              "trimmed off)");
    error = attempt([](QByteArrayList rows) {
        for (QByteArray &r : rows) {
            if (r.startsWith("12,hpa,"))
                r.prepend('"');
        }
        return rows;
    });
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 83, field 't_s': '\"12' is not a "
                                           "number")),
        qPrintable(error));
    QVERIFY2(error.endsWith(quotesNote), qPrintable(error));
    error = attempt([](QByteArrayList rows) {
        for (QByteArray &r : rows) {
            if (r.startsWith("12,hpa,"))
                r.replace(0, 2, "\"12,0\"");
        }
        return rows;
    });
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 83: ")), qPrintable(error));
    QVERIFY2(error.endsWith(quotesNote), qPrintable(error));
    // Rows out of order in a lane: both rows and both seconds.
    error = attempt([](QByteArrayList rows) {
        std::swap(rows[149], rows[148]); // kpa's seconds 9 and 8 (rows 150 and 149)
        return rows;
    });
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 150, field 't_s': lane kpa: 8 s "
                                           "goes back in time from row 149's 9 s")),
        qPrintable(error));
    error = attempt([](QByteArrayList rows) {
        rows[149].replace(0, 1, "8"); // kpa's second 9 (row 150) says 8 again
        return rows;
    });
    QVERIFY2(error.contains(QStringLiteral("timeseries.csv, row 150, field 't_s': lane kpa: 8 s "
                                           "repeats row 149's 8 s")),
        qPrintable(error));
    error = attempt([](QByteArrayList rows) {
        for (QByteArray &r : rows) {
            if (r.startsWith("7,hpa,")) {
                QByteArrayList cells = r.split(',');
                cells[17] = "1"; // no_data, the arrivals left as they were
                r = cells.join(',');
            }
        }
        return rows;
    });
    QVERIFY2(error.contains(QStringLiteral("arrivals_per_s")) && error.contains(QStringLiteral("no_data")),
        qPrintable(error));
    error = attempt([](QByteArrayList rows) { return QByteArrayList {rows.front()}; });
    QVERIFY2(error.contains(QStringLiteral("no samples")), qPrintable(error));
}

// The session's notes carry from a longer run: a note at 300 s on the 70 s seed-spike run.
// The recording reopens, with the notes within the run; the one past its end is left out and
// named (it stays among the session's notes; a saved workspace keeps it). A recording that
// holds one anyway (older, or edited by hand) opens without it and says so.
void TestRunRecord::notesPastTheEndAreLeftOutAndTheRunReopens()
{
    ui::ComparisonData run = m_run;
    run.notes = {{12.0, "deploy v2"}, {70.5, "the last second"}, {300.0, "long run's spike"}};
    QTemporaryDir parent;
    QString error;
    const QString folder = ui::recordRun(run, m_source, &error, parent.path());
    QVERIFY2(!folder.isEmpty(), qPrintable(error));
    const auto back = ui::loadRecordedRun(folder, &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(back->data.notes.size(), std::size_t(2));
    QCOMPARE(back->data.notes[0].text, std::string("deploy v2"));
    QCOMPARE(back->data.notes[1].tS, 70.5);
    // The list of recorded runs lists it too.
    QStringList skipped;
    QCOMPARE(ui::listRecordedRuns(parent.path(), &skipped).size(), std::size_t(1));
    QVERIFY2(skipped.isEmpty(), qPrintable(skipped.join('\n')));
    // What was left out is said, note by note.
    const auto past = ui::notesPastRunEnd(run);
    QCOMPARE(past.size(), std::size_t(1));
    QCOMPARE(past[0].tS, 300.0);
    const QString said = ui::notesLeftOutText(run);
    QVERIFY2(said.contains(QStringLiteral("300 s \"long run's spike\""))
            && said.contains(QStringLiteral("70 s")),
        qPrintable(said));
    QVERIFY(ui::notesLeftOutText(m_run).isEmpty());

    // A recording made before 5 December could hold a note past the end (as one edited by
    // hand can): it opens, the rest of the run whole, the note left out and named.
    const QString path = folder + QStringLiteral("/run.json");
    QByteArray bytes = readAll(path);
    const QByteArray from = "\"t_s\": 70.5";
    QVERIFY2(bytes.contains(from), bytes.constData());
    bytes.replace(from, "\"t_s\": 300.0");
    writeAll(path, bytes);
    const auto older = ui::loadRecordedRun(folder, &error);
    QVERIFY2(older, qPrintable(error));
    QCOMPARE(older->data.notes.size(), std::size_t(1));
    QCOMPARE(older->data.notes[0].text, std::string("deploy v2"));
    QCOMPARE(older->data.lanes.size(), back->data.lanes.size());
    QCOMPARE(older->notices.size(), 1);
    const QString notice = older->notices.first();
    QVERIFY2(notice.contains(QStringLiteral("run.json")) && notice.contains(QStringLiteral("left out"))
            && notice.contains(QStringLiteral("300 s \"the last second\"")),
        qPrintable(notice));
    QVERIFY(back->notices.isEmpty());
}

// A lane's summary as summary.json has it: the reference lane's over, under and reference
// pod-seconds are null (not compared with itself). A recording holding them so opens, and
// writes them null again when saved; one holding 0 there (written before) opens as it did.
void TestRunRecord::recordingComparesLanesAsSummaryJsonDoes()
{
    // A run with the clairvoyant lane: the others are compared with it, and it is not compared
    // with itself. The recording says so as summary.json does, from the same run.
    const std::vector<std::string> controllers {"hpa", "clairvoyant"};
    const ui::ComparisonData run = testing::seedSpikeWithOperatorSpike(controllers, 30.0);
    const traffic::Scenario scenario = traffic::resolveScenario("seed-spike");
    sim::Experiment experiment(sim::scenarioConfig(scenario, controllers),
        std::make_unique<traffic::ScenarioArrivals>(scenario));
    experiment.advanceTo(30.0);
    experiment.fireSpike(traffic::Spike {30.0, 10.0, 3.0, 0.0});
    experiment.runToEnd();
    const metrics::RunSummary summary = experiment.summary();

    QTemporaryDir dir;
    QString error;
    QVERIFY2(ui::saveRecordedRun(run, m_source, dir.path() + "/run", QDateTime::currentDateTimeUtc(),
                 &error),
        qPrintable(error));
    const QByteArray bytes = readAll(dir.path() + "/run/run.json");
    const auto json = nlohmann::json::parse(bytes.toStdString());
    const auto &hpa = json.at("lanes").at(0).at("provisioning");
    const auto &reference = json.at("lanes").at(1).at("provisioning");
    QCOMPARE(hpa.at("reference").get<std::string>(), std::string("clairvoyant"));
    // The HPA lane's comparison, as summary.json gives it for the same run: under the
    // clairvoyant lane through the spikes.
    QVERIFY(summary.lanes[0].underPodSeconds > 0.0);
    QCOMPARE(hpa.at("over_pod_seconds").get<double>(), summary.lanes[0].overPodSeconds);
    QCOMPARE(hpa.at("under_pod_seconds").get<double>(), summary.lanes[0].underPodSeconds);
    QCOMPARE(hpa.at("reference_pod_seconds").get<double>(), summary.lanes[0].referencePodSeconds);
    QCOMPARE(json.at("lanes").at(0).at("time_to_scale_s").is_null(), !summary.lanes[0].meanScaleS);
    for (const char *key : {"over_pod_seconds", "under_pod_seconds", "reference_pod_seconds"})
        QVERIFY2(reference.at(key).is_null(), key);
    const auto back = ui::loadRecordedRun(dir.path() + "/run", &error);
    QVERIFY2(back, qPrintable(error));
    QVERIFY(back->data.lanes[1].summary.isProvisioningReference);
    QVERIFY(!back->data.lanes[0].summary.isProvisioningReference);

    // A recording from before, with 0 where the reference lane now has null, still opens.
    QVERIFY(QDir().mkpath(dir.path() + "/old"));
    auto old = json;
    for (const char *key : {"over_pod_seconds", "under_pod_seconds", "reference_pod_seconds"})
        old["lanes"][1]["provisioning"][key] = 0.0;
    QVERIFY(QFile::copy(dir.path() + "/run/timeseries.csv", dir.path() + "/old/timeseries.csv"));
    writeAll(dir.path() + "/old/run.json", QByteArray::fromStdString(old.dump(4)));
    QVERIFY2(ui::loadRecordedRun(dir.path() + "/old", &error), qPrintable(error));

}

// A recording from before 6 December, whose spikes' need was the load line (every slot busy)
// rather than the pods that meet the SLO, opens: its times are what its samples give by its
// rule. A time neither rule gives is refused.
void TestRunRecord::anOlderRecordingsTimeToScaleOpens()
{
    // bursts: 25 req/s for 40 s every 3 minutes. The HPA meets the second burst with the 4
    // pods it kept from the first: the load line's need (3.75 req/s of work, 4 pods) at once,
    // the SLO's (5) never.
    const traffic::Scenario scenario = traffic::resolveScenario("bursts");
    sim::Experiment experiment(sim::scenarioConfig(scenario, {"hpa"}),
        std::make_unique<traffic::ScenarioArrivals>(scenario));
    experiment.runToEnd();
    const ui::ComparisonData run = ui::comparisonFromExperiment(experiment);
    QTemporaryDir dir;
    QString error;
    QVERIFY2(ui::saveRecordedRun(run, m_source, dir.path() + "/run", QDateTime::currentDateTimeUtc(), &error),
        qPrintable(error));
    const auto json = nlohmann::json::parse(readAll(dir.path() + "/run/run.json").toStdString());
    metrics::ComparisonSettings byLoad = ui::comparisonSettings(run);
    byLoad.needMeetsSlo = false;
    const std::vector<metrics::LaneComparison> older = ui::compareLanes(run, byLoad);
    const std::vector<metrics::LaneComparison> now = ui::compareLanes(run);
    std::size_t lane = older.size();
    for (std::size_t i = 0; i < older.size(); ++i) {
        if (older[i].meanScaleS() != now[i].meanScaleS() || older[i].missedSpikes() != now[i].missedSpikes())
            lane = i;
    }
    QVERIFY2(lane < older.size(), "the two rules should differ on this run for the test to mean anything");
    const auto scaleJson = [](const std::optional<double> &s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); };
    auto byOldRule = json;
    byOldRule["lanes"][lane]["time_to_scale_s"] = scaleJson(older[lane].meanScaleS());
    byOldRule["lanes"][lane]["spikes_missed"] = older[lane].missedSpikes();
    QVERIFY(QDir().mkpath(dir.path() + "/rule"));
    QVERIFY(QFile::copy(dir.path() + "/run/timeseries.csv", dir.path() + "/rule/timeseries.csv"));
    writeAll(dir.path() + "/rule/run.json", QByteArray::fromStdString(byOldRule.dump(4)));
    QVERIFY2(ui::loadRecordedRun(dir.path() + "/rule", &error), qPrintable(error));
    byOldRule["lanes"][lane]["time_to_scale_s"] = older[lane].meanScaleS().value_or(0.0) + 3.5;
    writeAll(dir.path() + "/rule/run.json", QByteArray::fromStdString(byOldRule.dump(4)));
    QVERIFY(!ui::loadRecordedRun(dir.path() + "/rule", &error));
    QVERIFY2(error.contains(QStringLiteral("time_to_scale_s")), qPrintable(error));
}

namespace {

// A live cluster's run as the dashboard records it (SimulationWorker's lane of a served
// cluster): one lane, no seed, rates that are fractions, seconds with no data, latency
// quantiles of a histogram with no max, each asked on its own (not always in order), the
// cluster scaled by hand to `scaledTo` pods past the 20 its controller assumes, and a last
// reading that passed the follow's end. Its summary is counted as RemoteLane::summary() counts
// it.
ui::ComparisonData liveRun(const std::string &controller, int scaledTo)
{
    ui::ComparisonData run;
    run.title = "inference (live)";
    run.live = true;
    run.source = "live deployment default/inference at http://127.0.0.1:1";
    run.state = ui::RunState::Finished;
    run.durationS = 47.5; // followed from 7.5 s for 40 s; the last reading brought 48 to 50
    run.maxReplicas = 20; // what the controller assumes, not the cluster's most
    run.serviceMeanS = 0.16;
    run.settings = ui::liveClusterSettings(sim::ClusterConfig {}, true, 0.16, true);
    ui::ComparisonData::Lane lane;
    lane.controller = controller;
    metrics::LaneSummary &summary = lane.summary;
    summary.controller = controller;
    double requests = 0.0, completed = 0.0, violations = 0.0;
    for (int t = 8; t <= 50; ++t) {
        metrics::LaneSample s;
        s.tS = t;
        s.noData = t >= 20 && t < 24; // not answering: the pods shown as last read
        const int pods = t >= 30 ? scaledTo : 2;
        s.podsDesired = s.podsReady = pods;
        if (s.noData) {
            s.arrivalsPerS = s.completedPerS = s.droppedPerS = s.sloViolationsPerS = std::nan("");
            s.latencyP50Ms = s.latencyP95Ms = s.latencyP99Ms = s.concurrency = std::nan("");
        } else {
            // Six digits in timeseries.csv make 2.5 of 2.4999996: summed over the run, the
            // count read back rounds up where the summary's rounded down.
            s.arrivalsPerS = s.completedPerS = 2.4999996;
            s.droppedPerS = 0.0;
            s.sloViolationsPerS = t < 12 ? 0.4999996 : 0.0;
            s.latencyP50Ms = 200.0;
            s.latencyP95Ms = t == 40 ? 480.0 : 450.0; // at 40 s a scrape came between the queries
            s.latencyP99Ms = t == 40 ? 470.0 : 490.0;
            s.concurrency = 0.4;
            // A real cluster's pods may use more CPU than they request (the HPA reads 150 %).
            s.cpuUtilization = t >= 45 ? 1.5 : 0.6;
            requests += s.arrivalsPerS;
            completed += s.completedPerS;
            violations += s.sloViolationsPerS;
            summary.violationSeconds += s.sloViolationsPerS > 0.0;
            summary.podSeconds += pods;
            summary.peakPods = std::max(summary.peakPods, pods);
        }
        lane.samples.push_back(s);
    }
    summary.requests = std::llround(requests);
    summary.completed = std::llround(completed);
    summary.sloViolations = std::llround(violations);
    // The run's quantiles, each its own query: the p95 asked after a scrape the p99 was not.
    summary.latencyP50Ms = 210.0;
    summary.latencyP95Ms = 475.0;
    summary.latencyP99Ms = 472.0;
    summary.latencyMaxMs = std::nan(""); // a histogram keeps no maximum
    lane.events = {{30.0, "scale", "replicas 2 -> " + std::to_string(scaledTo) + " (the cluster's own autoscaler, or by hand)"},
        {19.0, "condition", "no data: nothing read from here (paused); " + controller + " holds", "no data", true},
        {23.0, "condition", "data again: " + controller + " reads again", "no data", false},
        {50.0, "condition", "HPA inference-hpa: 30 desired of 1-40"}};
    run.lanes.push_back(std::move(lane));
    return run;
}

} // namespace

// Every live run the dashboard records opens again with its numbers (found by a new-user
// trial: "'watch' is not a controller", "30 pods, more than run.json's max_replicas (20)";
// and, looking for the rest of the kind, "duration_s: 202 s, but the samples run to 205 s"
// of a cluster at 50x, the counts and quantiles a live cluster gives that a simulated run's
// checks refused, and a Deployment of more pods than the simulator's 1000).
void TestRunRecord::aLiveRunReopensWithItsNumbers()
{
    for (const auto &[controller, scaledTo] : {std::pair {std::string("watch"), 30}, {std::string("kpa"), 30},
             {std::string("watch"), 1500}}) {
        const ui::ComparisonData run = liveRun(controller, scaledTo);
        QTemporaryDir dir;
        QString error;
        QVERIFY2(ui::saveRecordedRun(run, std::nullopt, dir.path(), QDateTime::currentDateTimeUtc(), &error),
            qPrintable(error));
        const auto json = nlohmann::json::parse(readAll(dir.path() + "/run.json").toStdString());
        // It says what it is: live, no seed, the most pods it had, the seconds it was read.
        QCOMPARE(json.at("live").get<bool>(), true);
        QVERIFY(!json.contains("seed"));
        QCOMPARE(json.at("max_replicas").get<int>(), scaledTo);
        QCOMPARE(json.at("duration_s").get<double>(), 50.0);
        const auto back = ui::loadRecordedRun(dir.path(), &error);
        QVERIFY2(back, qPrintable(error));
        const ui::ComparisonData &d = back->data;
        QVERIFY(d.live);
        QCOMPARE(d.lanes.size(), std::size_t(1));
        QCOMPARE(d.lanes[0].controller, controller);
        QCOMPARE(d.durationS, 50.0);
        QCOMPARE(d.maxReplicas, scaledTo);
        // The numbers the table shows, as recorded.
        const metrics::LaneSummary &was = run.lanes[0].summary;
        const metrics::LaneSummary &is = d.lanes[0].summary;
        QCOMPARE(is.requests, was.requests);
        QCOMPARE(is.completed, was.completed);
        QCOMPARE(is.sloViolations, was.sloViolations);
        QCOMPARE(is.peakPods, scaledTo);
        QCOMPARE(is.podSeconds, was.podSeconds);
        QCOMPARE(is.latencyP95Ms, 475.0);
        QCOMPARE(is.latencyP99Ms, 472.0);
        QVERIFY(std::isnan(is.latencyMaxMs));
        const auto &samples = d.lanes[0].samples;
        QCOMPARE(samples.size(), run.lanes[0].samples.size());
        for (std::size_t k = 0; k < samples.size(); ++k) {
            const metrics::LaneSample &a = run.lanes[0].samples[k];
            const metrics::LaneSample &b = samples[k];
            QCOMPARE(b.tS, a.tS);
            QCOMPARE(b.noData, a.noData);
            QCOMPARE(b.podsDesired, a.podsDesired);
            QCOMPARE(b.podsReady, a.podsReady);
            QVERIFY(near(b.latencyP95Ms, a.latencyP95Ms) && near(b.latencyP99Ms, a.latencyP99Ms));
            QVERIFY(near(b.cpuUtilization, a.cpuUtilization) || (a.noData && b.noData));
        }
        QCOMPARE(d.lanes[0].events.size(), run.lanes[0].events.size());
        QCOMPARE(d.lanes[0].events.back().tS, 50.0);
        // The comparison the table makes is the one recorded.
        const std::vector<metrics::LaneComparison> before = ui::compareLanes(run);
        const std::vector<metrics::LaneComparison> after = ui::compareLanes(d);
        QVERIFY(near(after[0].overPodSeconds, before[0].overPodSeconds));
        QVERIFY(near(after[0].underPodSeconds, before[0].underPodSeconds));

        // A live run recorded before it said so (a seed of 0, the controller's max_replicas, the
        // follow's end as its duration) opens too, its pods held to any cluster's most.
        auto older = json;
        older.erase("live");
        older["seed"] = 0;
        older["max_replicas"] = 20;
        older["duration_s"] = 47.5;
        writeAll(dir.path() + "/run.json", QByteArray::fromStdString(older.dump(2)));
        const auto old = ui::loadRecordedRun(dir.path(), &error);
        QVERIFY2(old, qPrintable(error));
        QVERIFY(old->data.live);
        QCOMPARE(old->data.durationS, 50.0);
        QCOMPARE(old->data.lanes[0].summary.requests, was.requests);
        QCOMPARE(old->data.lanes[0].samples.back().podsReady, scaledTo);

        // What a live run cannot hold is still refused: a seed, a second lane.
        auto seeded = json;
        seeded["seed"] = 5;
        writeAll(dir.path() + "/run.json", QByteArray::fromStdString(seeded.dump(2)));
        QVERIFY(!ui::loadRecordedRun(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("field 'seed': a live cluster's run has none")), qPrintable(error));
        auto twoLanes = json;
        twoLanes["lanes"].push_back(twoLanes["lanes"][0]);
        twoLanes["lanes"][1]["controller"] = "hpa";
        writeAll(dir.path() + "/run.json", QByteArray::fromStdString(twoLanes.dump(2)));
        QVERIFY(!ui::loadRecordedRun(dir.path(), &error));
        QVERIFY2(error.contains(QStringLiteral("field 'lanes': a live cluster's run has one lane")), qPrintable(error));
    }
    // A simulated run has no watching lane.
    const QString error = editedRecordingError(
        [](nlohmann::json &doc) { doc["lanes"][2]["controller"] = "watch"; },
        [](QByteArrayList &rows) {
            for (QByteArray &row : rows)
                row.replace(",kpa,", ",watch,");
        });
    QVERIFY2(error.contains(QStringLiteral("field 'lanes[2].controller': 'watch' is not a controller")),
        qPrintable(error));
}

QTEST_MAIN(TestRunRecord)
#include "tst_runrecord.moc"
