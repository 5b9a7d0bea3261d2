// The dashboard's command line: contradictions and bad input files end with exit 2 and a
// message on stderr, before any window and without hanging.

#include "dashboardprocess.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QLockFile>
#include <QSysInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

namespace {

constexpr int kTimeoutMs = 20000;

QString sourceFile(const QString &relative)
{
    return qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QLatin1Char('/') + relative;
}

using Outcome = headroom::testing::DashboardRun;

// Offscreen unless `display` is false (no display at all).
Outcome runDashboard(const QStringList &args, bool display = true)
{
    return headroom::testing::runDashboard(args, display, kTimeoutMs);
}

// Replaces the file's contents; false when it cannot be opened.
bool writeFile(const QString &path, const QByteArray &text)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(text) == text.size();
}

} // namespace

class TestDashboardCli : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pausedWithStartIsRejected();
    void pausedWithScreenshotIsRejected();
    void badTraceRowIsRejected();
    void traceSliceAsHeadroomCliTakesIt();
    void missingTraceIsRejected();
    void sourcesPastTheSimulatorsLimitsAreRejected();
    void unwritableScreenshotIsRejectedBeforeTheRun();
    void screenshotAtZeroExits();
    void repeatedOptionIsRejected();
    void windowIsRefusedWithExport();
    void exportReplacesOnlyItsOwnFiles();
    void aSecondSignalQuitsAnExportAtOnce();
    void badWindowIsRejected_data();
    void badWindowIsRejected();
    void windowedScreenshotExits();
    void badCrosshairIsRejected_data();
    void badCrosshairIsRejected();
    void crosshairScreenshotExits();
    void withoutADisplayItSaysSoAndHelpStillWorks();
    void screenshotAtMustBeANumber();
    void modelLanesPointToTheCli();
    void recordedRunReplaysWithoutAWindow();
    void badReplayIsRejected();
    void workspaceNotePastTheRunStillReplays();
    void workspaceRunsFromTheCommandLine();
    void workspaceIsReadOnce();
    void maxReplicasAsHeadroomCliTakesIt();
};

// A run shown in the dashboard is recorded; --replay with --export writes its files without a
// window and without running anything: the CSV holds the recorded samples.
void TestDashboardCli::recordedRunReplaysWithoutAWindow()
{
    QTemporaryDir dir;
    const QString data = dir.filePath(QStringLiteral("data"));
    const Outcome shot = headroom::testing::runDashboard({QStringLiteral("--controllers"),
        QStringLiteral("hpa,kpa"), QStringLiteral("--speed"), QStringLiteral("max"),
        QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("s.png"))}, true, kTimeoutMs, data);
    QCOMPARE(shot.exitCode, 0);
    const QDir runs(data + QStringLiteral("/headroom/runs"));
    const QStringList recorded = runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(recorded.size(), 1);
    const QString run = runs.filePath(recorded.first());

    const QString out = dir.filePath(QStringLiteral("out"));
    const Outcome replay = runDashboard({QStringLiteral("--replay"), run, QStringLiteral("--export"),
        out, QStringLiteral("--format"), QStringLiteral("csv,png")}, false);
    QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
    QFile csv(out + QStringLiteral("/timeseries.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray text = csv.readAll();
    QVERIFY(text.contains("# controllers: hpa,kpa\n"));
    QVERIFY(text.contains("# state: finished\n"));
    QVERIFY(text.contains("\n70,kpa,")); // the last second of seed-spike, as recorded
    QVERIFY(QFile::exists(out + QStringLiteral("/comparison.png")));
    // Nothing new was recorded by the replay.
    QCOMPARE(runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot).size(), 1);
}

// A workspace's note at 100 s on the 70 s seed-spike: the run it records reopens (--replay
// exits 0), and stderr says the note was left out of the recording.
void TestDashboardCli::workspaceNotePastTheRunStillReplays()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.headroom"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"format": "headroom-workspace", "version": 1, "speed": 0,
        "source": {"kind": "scenario", "scenario": "seed-spike", "controllers": ["hpa", "kpa"]},
        "notes": [{"t_s": 25, "text": "the spike"}, {"t_s": 100, "text": "after the end"}]})");
    file.close();
    const QString data = dir.filePath(QStringLiteral("data"));
    const Outcome shot = headroom::testing::runDashboard(
        {QStringLiteral("--workspace"), path, QStringLiteral("--speed"), QStringLiteral("max"),
            QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("s.png"))},
        true, kTimeoutMs, data);
    QVERIFY2(shot.exitCode == 0, qPrintable(shot.err));
    QVERIFY2(shot.err.contains(QStringLiteral("100 s \"after the end\"")), qPrintable(shot.err));
    const QDir runs(data + QStringLiteral("/headroom/runs"));
    const QStringList recorded = runs.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QCOMPARE(recorded.size(), 1);
    const QString out = dir.filePath(QStringLiteral("out"));
    const Outcome replay = runDashboard(
        {QStringLiteral("--replay"), runs.filePath(recorded.first()), QStringLiteral("--export"),
            out, QStringLiteral("--format"), QStringLiteral("report")},
        false);
    QVERIFY2(replay.exitCode == 0, qPrintable(replay.err));
    QFile report(out + QStringLiteral("/report.html"));
    QVERIFY(report.open(QIODevice::ReadOnly));
    QVERIFY(report.readAll().contains("the spike")); // the note within the run is kept
}

void TestDashboardCli::badReplayIsRejected()
{
    // One source at a time, and a window the picker can show.
    const Outcome two = runDashboard({QStringLiteral("--scenario"), QStringLiteral("ramp"),
        QStringLiteral("--trace"), sourceFile(QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv"))});
    QCOMPARE(two.exitCode, 2);
    QVERIFY2(two.err.contains(QStringLiteral("--scenario: cannot be combined with --trace")), qPrintable(two.err));
    const Outcome wide = runDashboard({QStringLiteral("--window"), QStringLiteral("1e300")});
    QCOMPARE(wide.exitCode, 2);
    QVERIFY2(wide.err.contains(QStringLiteral("--window: expected 5 to 1e7 seconds")), qPrintable(wide.err));
    const Outcome missing = runDashboard({QStringLiteral("--replay"), QStringLiteral("/nonexistent-run")});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains(QStringLiteral("--replay: /nonexistent-run")), qPrintable(missing.err));
    QTemporaryDir dir;
    const Outcome both = runDashboard({QStringLiteral("--replay"), dir.path(),
        QStringLiteral("--scenario"), QStringLiteral("ramp")});
    QCOMPARE(both.exitCode, 2);
    QVERIFY2(both.err.contains(QStringLiteral("--scenario: cannot be combined with --replay")),
        qPrintable(both.err));
    // headroom-cli run's folder (its CSV has the same columns): said to be one, where it read
    // "run.json: cannot read the file" (a new-user trial).
    QTemporaryDir cliRun;
    for (const char *name : {"summary.json", "timeseries.csv"}) {
        QFile file(cliRun.filePath(QLatin1String(name)));
        QVERIFY(file.open(QIODevice::WriteOnly));
    }
    const Outcome cli = runDashboard({QStringLiteral("--replay"), cliRun.path()});
    QCOMPARE(cli.exitCode, 2);
    QVERIFY2(cli.err.contains(QStringLiteral("holds the results of headroom-cli run (summary.json, timeseries.csv), not a recorded run")),
        qPrintable(cli.err));
    // A folder without run.json.
    const Outcome empty = runDashboard({QStringLiteral("--replay"), dir.path()});
    QCOMPARE(empty.exitCode, 2);
    QVERIFY2(empty.err.contains(QStringLiteral("run.json")), qPrintable(empty.err));
}

// --workspace opens the source and lanes a workspace names (here in batch export); a bad one,
// or one mixed with a source of its own, is exit 2 naming the file and field.
void TestDashboardCli::workspaceRunsFromTheCommandLine()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.headroom"));
    const auto write = [&](const QByteArray &text) { QVERIFY(writeFile(path, text)); };
    write(R"({"format": "headroom-workspace", "version": 1, "speed": 0,
        "source": {"kind": "scenario", "scenario": "seed-spike", "seed": 4, "controllers": ["kpa", "clairvoyant"]},
        "notes": [{"t_s": 25, "text": "the spike"}]})");
    const QString out = dir.filePath(QStringLiteral("out"));
    const Outcome batch = runDashboard({QStringLiteral("--workspace"), path, QStringLiteral("--export"),
        out, QStringLiteral("--format"), QStringLiteral("csv,report")}, false);
    QVERIFY2(batch.exitCode == 0, qPrintable(batch.err));
    // The workspace's note is in the report's events, for all lanes.
    QFile report(out + QStringLiteral("/report.html"));
    QVERIFY(report.open(QIODevice::ReadOnly));
    QVERIFY(report.readAll().contains("the spike"));
    QFile csv(out + QStringLiteral("/timeseries.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray text = csv.readAll();
    QVERIFY2(text.contains("# controllers: kpa,clairvoyant\n"), text.left(400).constData());
    QVERIFY(text.contains("# seed: 4\n"));
    // A window on the workspace, read-only, to its end; --speed overrides the workspace's Max.
    const Outcome shot = runDashboard({QStringLiteral("--workspace"), path, QStringLiteral("--read-only"),
        QStringLiteral("--speed"), QStringLiteral("50"), QStringLiteral("--screenshot"),
        dir.filePath(QStringLiteral("s.png"))});
    QVERIFY2(shot.exitCode == 0, qPrintable(shot.err));
    QVERIFY2(shot.err.contains(QStringLiteral("speed 50")), qPrintable(shot.err));

    // The workspace's y axes apply to the pictures as in its window: Lock y off, each lane's
    // latency on its own range (the predictive lane's to 2000 ms, the HPA's past 10 s), and
    // the pods fixed at 0-250 (ticks 50 apart) in both lanes. Locked, as by default, both
    // latency charts reach past 10 s and neither ticks 2000.
    const auto svgOf = [&](const QByteArray &view, const QString &name) {
        write(R"({"format": "headroom-workspace", "version": 1, "view": )" + view + R"(,
            "source": {"kind": "scenario", "scenario": "seed-spike", "controllers": ["predictive", "hpa"]}})");
        const Outcome o = runDashboard({QStringLiteral("--workspace"), path, QStringLiteral("--export"),
            dir.filePath(name), QStringLiteral("--format"), QStringLiteral("svg")}, false);
        QFile svg(dir.filePath(name) + QStringLiteral("/comparison.svg"));
        return o.exitCode == 0 && svg.open(QIODevice::ReadOnly) ? QString::fromUtf8(svg.readAll()) : o.err;
    };
    const QString scaled = svgOf(R"({"lock_y": false, "fixed_y": {"pods": {"min": 0, "max": 250}}})",
        QStringLiteral("scaled"));
    QCOMPARE(scaled.count(QStringLiteral(">250</text>")), 2);
    QCOMPARE(scaled.count(QStringLiteral(">2000</text>")), 1);
    QCOMPARE(scaled.count(QStringLiteral(">10000</text>")), 1);
    const QString locked = svgOf(R"({"lock_y": true})", QStringLiteral("locked"));
    QCOMPARE(locked.count(QStringLiteral(">250</text>")), 0);
    QCOMPARE(locked.count(QStringLiteral(">2000</text>")), 0);
    QCOMPARE(locked.count(QStringLiteral(">10000</text>")), 2);

    const Outcome mixed = runDashboard({QStringLiteral("--workspace"), path,
        QStringLiteral("--controllers"), QStringLiteral("hpa")});
    QCOMPARE(mixed.exitCode, 2);
    QVERIFY2(mixed.err.contains(QStringLiteral("--controllers: cannot be combined with --workspace")),
        qPrintable(mixed.err));
    write(R"({"format": "headroom-workspace", "version": 1,
        "source": {"kind": "trace", "trace": "missing.csv", "controllers": ["hpa"]}})");
    const Outcome missing = runDashboard({QStringLiteral("--workspace"), path});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(missing.err.contains(QStringLiteral("w.headroom: its source cannot be run"))
            && missing.err.contains(QStringLiteral("missing.csv")),
        qPrintable(missing.err));
    // A trace spec as the command lines take it is no path: the fields it belongs in are said.
    write(R"({"format": "headroom-workspace", "version": 1,
        "source": {"kind": "trace", "trace": "nasa.csv@x60@hours=72", "controllers": ["hpa"]}})");
    const Outcome spec = runDashboard({QStringLiteral("--workspace"), path});
    QCOMPARE(spec.exitCode, 2);
    QVERIFY2(spec.err.contains(QStringLiteral("field 'source.trace': 'nasa.csv@x60@hours=72' names no file: "
                                              "a slice and a compression have fields of their own "
                                              "(\"trace\": \"nasa.csv\", \"slice\": \"@hours=72\", \"compression\": 60)")),
        qPrintable(spec.err));
    write(R"({"format": "headroom-workspace", "version": 1,
        "source": {"kind": "scenario", "scenario": "ramp", "controllers": []}})");
    const Outcome none = runDashboard({QStringLiteral("--workspace"), path});
    QCOMPARE(none.exitCode, 2);
    QVERIFY2(none.err.contains(QStringLiteral("needs 1 to 6 controllers")), qPrintable(none.err));
    write(R"({"format": "headroom-workspace", "version": 1, "view": {"window_s": 2},
        "source": {"kind": "scenario", "scenario": "ramp", "controllers": ["hpa"]}})");
    const Outcome window = runDashboard({QStringLiteral("--workspace"), path});
    QCOMPARE(window.exitCode, 2);
    QVERIFY2(window.err.contains(QStringLiteral("view.window_s")), qPrintable(window.err));
}

// The workspace is read (and its source checked) once, before the window: the window and a
// batch export take what main() read. A bad one is reported once.
void TestDashboardCli::workspaceIsReadOnce()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("w.headroom"));
    const auto write = [&](const QByteArray &text) { QVERIFY(writeFile(path, text)); };
    write(R"({"format": "headroom-workspace", "version": 1, "speed": 0,
        "source": {"kind": "trace", "trace": ")"
        + sourceFile(QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv")).toUtf8()
        + R"(", "compression": 60, "controllers": ["hpa"]},
        "notes": [{"t_s": 25, "text": "the spike"}]})");
    const QString readLog = QStringLiteral("read the workspace");
    const Outcome shot = runDashboard({QStringLiteral("--workspace"), path, QStringLiteral("--screenshot"),
        dir.filePath(QStringLiteral("s.png")), QStringLiteral("--screenshot-at"), QStringLiteral("5")});
    QVERIFY2(shot.exitCode == 0, qPrintable(shot.err));
    QCOMPARE(shot.err.count(readLog), 1);
    // The trace, checked with the workspace's source, is not read again for that check: once
    // by main() and once by the run.
    QCOMPARE(shot.err.count(QStringLiteral(" from ")
                 + sourceFile(QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv"))
                 + QStringLiteral(" (")),
        2);
    const Outcome batch = runDashboard({QStringLiteral("--workspace"), path, QStringLiteral("--export"),
        dir.filePath(QStringLiteral("out")), QStringLiteral("--format"), QStringLiteral("report")}, false);
    QVERIFY2(batch.exitCode == 0, qPrintable(batch.err));
    QCOMPARE(batch.err.count(readLog), 1);
    QFile report(dir.filePath(QStringLiteral("out/report.html")));
    QVERIFY(report.open(QIODevice::ReadOnly));
    QVERIFY(report.readAll().contains("the spike")); // the notes of the one reading

    write(R"({"format": "headroom-workspace", "version": 1, "view": {"window_s": 2},
        "source": {"kind": "scenario", "scenario": "ramp", "controllers": ["hpa"]}})");
    const Outcome bad = runDashboard({QStringLiteral("--workspace"), path});
    QCOMPARE(bad.exitCode, 2);
    // Read once: one log line of the failed reading, and one error line.
    QCOMPARE(bad.err.count(QStringLiteral("workspace not opened: ")), 1);
    QCOMPARE(bad.err.count(QStringLiteral("headroom: --workspace: ")), 1);
}

// --max-replicas: the bounds and the words of headroom-cli run's (the same code reads both);
// the run's lanes stay under it, and a capped clairvoyant reference is noted in the report.
void TestDashboardCli::maxReplicasAsHeadroomCliTakesIt()
{
    const struct {
        const char *value;
        const char *message;
    } bad[] = {{"0", "headroom: --max-replicas: must be a whole number from 1 to 1000\n"},
        {"1001", "headroom: --max-replicas: must be a whole number from 1 to 1000\n"},
        {"2.5", "headroom: --max-replicas: must be a whole number from 1 to 1000\n"},
        {"many", "headroom: --max-replicas: 'many' is not a number\n"}};
    for (const auto &b : bad) {
        const Outcome r = runDashboard({QStringLiteral("--max-replicas"), QString::fromLatin1(b.value)});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QString::fromLatin1(b.message)), qPrintable(r.err));
    }
    QTemporaryDir dir;
    const QString scenario = dir.filePath(QStringLiteral("three.json"));
    {
        QFile file(scenario);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"duration_s": 30, "cluster": {"min_replicas": 3},
            "segments": [{"type": "constant", "start_s": 0, "end_s": 30, "rate": 5}]})");
    }
    const Outcome below = runDashboard({QStringLiteral("--scenario"), scenario,
        QStringLiteral("--max-replicas"), QStringLiteral("2")});
    QCOMPARE(below.exitCode, 2);
    QVERIFY2(below.err.contains(
                 QStringLiteral("headroom: --max-replicas: is below the scenario's min_replicas (3)\n")),
        qPrintable(below.err));
    const Outcome replay = runDashboard({QStringLiteral("--replay"), dir.path(),
        QStringLiteral("--max-replicas"), QStringLiteral("5")});
    QCOMPARE(replay.exitCode, 2);
    QVERIFY2(replay.err.contains(QStringLiteral("--max-replicas: cannot be combined with --replay")),
        qPrintable(replay.err));

    // seed-spike needs 4.5 pods in its spike: at most 3, every lane stays at 3, and the
    // clairvoyant reference is capped there, which the report says under the table.
    const QString out = dir.filePath(QStringLiteral("out"));
    const Outcome run = runDashboard({QStringLiteral("--controllers"),
        QStringLiteral("kpa,clairvoyant"), QStringLiteral("--max-replicas"), QStringLiteral("3"),
        QStringLiteral("--export"), out, QStringLiteral("--format"), QStringLiteral("csv,report")}, false);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QFile csv(out + QStringLiteral("/timeseries.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray text = csv.readAll();
    QVERIFY2(text.contains(", min_replicas=1, max_replicas=3, "), text.left(600).constData());
    int peak = 0;
    const QList<QByteArray> lines = text.split('\n');
    int desiredColumn = -1;
    for (const QByteArray &line : lines) {
        if (line.startsWith('#') || line.isEmpty())
            continue;
        const QList<QByteArray> cells = line.split(',');
        if (desiredColumn < 0) {
            desiredColumn = static_cast<int>(cells.indexOf("pods_desired"));
            QVERIFY(desiredColumn >= 0);
            continue;
        }
        peak = std::max(peak, cells.value(desiredColumn).toInt());
    }
    QCOMPARE(peak, 3);
    QFile report(out + QStringLiteral("/report.html"));
    QVERIFY(report.open(QIODevice::ReadOnly));
    const QString html = QString::fromUtf8(report.readAll());
    QVERIFY2(html.contains(QStringLiteral("<p class=\"note\">\u2020 reference capped at 3 pods for ")),
        qPrintable(html.right(3000)));
}

void TestDashboardCli::withoutADisplayItSaysSoAndHelpStillWorks()
{
    QCOMPARE(runDashboard({QStringLiteral("--help")}, false).exitCode, 0);
    QCOMPARE(runDashboard({QStringLiteral("--version")}, false).exitCode, 0);
    const Outcome bogus = runDashboard({QStringLiteral("--bogus")}, false);
    QCOMPARE(bogus.exitCode, 2);
    QVERIFY2(bogus.err.contains(QStringLiteral("bogus")), qPrintable(bogus.err));
    // The window cannot open: a clear message, not an abort.
    const Outcome window = runDashboard({QStringLiteral("--scenario"), QStringLiteral("seed-spike")}, false);
    QVERIFY(window.finished);
    QCOMPARE(window.exitCode, 2);
    QVERIFY2(window.err.contains(QStringLiteral("no display")), qPrintable(window.err));
}

void TestDashboardCli::screenshotAtMustBeANumber()
{
    QTemporaryDir dir;
    for (const char *at : {"nan", "inf", "-1"}) {
        const Outcome o = runDashboard({QStringLiteral("--screenshot"), dir.filePath(QStringLiteral("s.png")),
            QStringLiteral("--screenshot-at"), QLatin1String(at)});
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(QStringLiteral("screenshot-at")), qPrintable(o.err));
    }
}

void TestDashboardCli::modelLanesPointToTheCli()
{
    const Outcome o = runDashboard({QStringLiteral("--controllers"), QStringLiteral("hpa,predictive-x")});
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("headroom-cli run --models")), qPrintable(o.err));
    QVERIFY2(!o.err.contains(QStringLiteral("give --models")), qPrintable(o.err));
    // As headroom-cli: a compression without a trace is a mistake, not ignored.
    const Outcome c = runDashboard({QStringLiteral("--scenario"), QStringLiteral("seed-spike"),
        QStringLiteral("--compression"), QStringLiteral("10")});
    QCOMPARE(c.exitCode, 2);
    QVERIFY2(c.err.contains(QStringLiteral("--trace only")), qPrintable(c.err));
}

void TestDashboardCli::pausedWithStartIsRejected()
{
    const Outcome o = runDashboard({QStringLiteral("--paused"), QStringLiteral("--start")});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(
        o.err.contains(QStringLiteral("--paused")) && o.err.contains(QStringLiteral("--start")),
        qPrintable(o.err));
}

void TestDashboardCli::pausedWithScreenshotIsRejected()
{
    QTemporaryDir dir;
    const Outcome o = runDashboard({QStringLiteral("--paused"), QStringLiteral("--screenshot"),
        dir.filePath(QStringLiteral("x.png")), QStringLiteral("--screenshot-at"),
        QStringLiteral("1")});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("--paused"))
            && o.err.contains(QStringLiteral("--screenshot")),
        qPrintable(o.err));
    QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.png"))));
}

void TestDashboardCli::badTraceRowIsRejected()
{
    const QString path = sourceFile(QStringLiteral("tests/data/bad-trace-row.csv"));
    const Outcome o = runDashboard({QStringLiteral("--trace"), path});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("--trace")), qPrintable(o.err));
    QVERIFY2(o.err.contains(QStringLiteral("bad-trace-row.csv")), qPrintable(o.err));
}

// --trace takes a slice as headroom-cli does: FILE@x60@from=72h@hours=1 is an hour of the
// NASA trace's fourth day at 60x, a minute long.
void TestDashboardCli::traceSliceAsHeadroomCliTakesIt()
{
    QTemporaryDir dir;
    const QString out = dir.filePath(QStringLiteral("out"));
    const Outcome run = runDashboard({QStringLiteral("--trace"),
        QStringLiteral("nasa_http_jul1995_per_minute.csv@x60@from=72h@hours=1"), QStringLiteral("--controllers"),
        QStringLiteral("hpa"), QStringLiteral("--export"), out, QStringLiteral("--format"), QStringLiteral("csv")}, false);
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    QFile csv(out + QStringLiteral("/timeseries.csv"));
    QVERIFY(csv.open(QIODevice::ReadOnly));
    const QByteArray text = csv.readAll();
    QVERIFY2(text.contains("# title: nasa_http_jul1995_per_minute.csv@from=72h@hours=1@x60, seed 1\n")
                 && text.contains("(60 intervals of 60 s, x60)"),
             text.left(600).constData());
    int rows = 0;
    QByteArray last;
    for (const QByteArray &line : text.split('\n')) {
        if (line.contains(",hpa,")) {
            ++rows;
            last = line.left(line.indexOf(','));
        }
    }
    QCOMPARE(rows, 60); // the seconds ending at 1 s to 60 s
    QCOMPARE(last, QByteArray("60"));
    const struct {
        QStringList args;
        const char *message;
    } bad[] = {{{QStringLiteral("--trace"), QStringLiteral("nasa_http_jul1995_per_minute.csv@x60"),
                    QStringLiteral("--compression"), QStringLiteral("10")},
                   "headroom: --compression: the trace gives its own @x60: give one of them\n"},
        {{QStringLiteral("--trace"), QStringLiteral("nasa_http_jul1995_per_minute.csv@hour=1")}, "field '@hour=1'"},
        {{QStringLiteral("--trace"), QStringLiteral("nasa_http_jul1995_per_minute.csv@from=40d")},
            "field 'slice': no intervals from 3.456e+06 s of trace time"}};
    for (const auto &b : bad) {
        const Outcome r = runDashboard(b.args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QString::fromLatin1(b.message)), qPrintable(r.err));
    }
}

void TestDashboardCli::missingTraceIsRejected()
{
    const Outcome o = runDashboard({QStringLiteral("--trace"), QStringLiteral("/nonexistent.csv")});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("/nonexistent.csv")), qPrintable(o.err));
}

// A source the simulator would refuse (too busy, too long) is refused on the command line,
// with exit 2: its run never starts, and a screenshot of it waited forever.
void TestDashboardCli::sourcesPastTheSimulatorsLimitsAreRejected()
{
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("x.png"));
    // The shipped trace by its file name alone, as headroom-cli finds it: it is read (and
    // found too busy), not missing.
    QVERIFY(!QFileInfo::exists(QStringLiteral("nasa_http_jul1995_per_minute.csv")));
    const Outcome fast = runDashboard({QStringLiteral("--trace"),
        QStringLiteral("nasa_http_jul1995_per_minute.csv"),
        QStringLiteral("--compression"), QStringLiteral("100000"), QStringLiteral("--no-record"),
        QStringLiteral("--screenshot"), shot});
    QVERIFY(fast.finished);
    QCOMPARE(fast.exitCode, 2);
    QVERIFY2(fast.err.contains(QStringLiteral("--trace"))
                 && fast.err.contains(QStringLiteral("50000 req/s")),
             qPrintable(fast.err));
    QVERIFY(!QFileInfo::exists(shot));

    const QString busy = dir.filePath(QStringLiteral("busy.json"));
    QFile file(busy);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"({"name": "busy", "duration_s": 60, "segments": [)"
               R"({"type": "constant", "start_s": 0, "end_s": 60, "rate": 1e6}]})");
    file.close();
    const QString out = dir.filePath(QStringLiteral("out"));
    const Outcome scenario = runDashboard({QStringLiteral("--scenario"), busy,
        QStringLiteral("--no-record"), QStringLiteral("--export"), out, QStringLiteral("--format"),
        QStringLiteral("csv")});
    QVERIFY(scenario.finished);
    QCOMPARE(scenario.exitCode, 2);
    QVERIFY2(scenario.err.contains(QStringLiteral("--scenario"))
                 && scenario.err.contains(QStringLiteral("req/s")),
             qPrintable(scenario.err));
    QVERIFY(!QFileInfo::exists(out)); // nothing half made
}

// The screenshot's file is checked on the command line: it used to fail only once the run
// had reached the screenshot, minutes later at a slow speed.
void TestDashboardCli::unwritableScreenshotIsRejectedBeforeTheRun()
{
    QTemporaryDir dir;
    const QString blocker = dir.filePath(QStringLiteral("plain-file"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.close();
    const QString shot = blocker + QStringLiteral("/x.png"); // under a file: no folder there
    const Outcome o = runDashboard({QStringLiteral("--screenshot"), shot,
        QStringLiteral("--screenshot-at"), QStringLiteral("60"), QStringLiteral("--speed"),
        QStringLiteral("1"), QStringLiteral("--no-record")});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("--screenshot")) && o.err.contains(blocker),
        qPrintable(o.err));
    QVERIFY(QFileInfo(blocker).isFile()); // nothing made in its place
}

void TestDashboardCli::screenshotAtZeroExits()
{
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("x.png"));
    // The opening state at any speed: at Max too the run does not start first.
    for (const QString &speed : {QStringLiteral("1"), QStringLiteral("max")}) {
        const Outcome o = runDashboard({QStringLiteral("--screenshot"), shot,
            QStringLiteral("--screenshot-at"), QStringLiteral("0"), QStringLiteral("--speed"), speed});
        QVERIFY(o.finished);
        QCOMPARE(o.exitCode, 0);
        QVERIFY(QFile::exists(shot));
        QVERIFY2(o.err.contains(QStringLiteral("screenshot at 0 s")), qPrintable(o.err));
    }
    // A speed at which nothing would ever show is refused.
    const Outcome slow = runDashboard({QStringLiteral("--speed"), QStringLiteral("1e-300"),
        QStringLiteral("--screenshot"), shot});
    QCOMPARE(slow.exitCode, 2);
    QVERIFY2(slow.err.contains(QStringLiteral("--speed: expected 0.1 to 10000")), qPrintable(slow.err));
}

// The last of two --scenario options used to win silently.
void TestDashboardCli::repeatedOptionIsRejected()
{
    const Outcome o = runDashboard({QStringLiteral("--scenario"), QStringLiteral("seed-spike"),
        QStringLiteral("--scenario"), QStringLiteral("ramp")});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("--scenario: given twice")), qPrintable(o.err));

    // Seeds are digits only, as headroom-cli takes them; " 5" and "+5" were read as 5.
    for (const QString &seed : {QStringLiteral(" 5"), QStringLiteral("+5"),
             QStringLiteral("18446744073709551616")}) {
        const Outcome bad = runDashboard({QStringLiteral("--seed"), seed});
        QVERIFY(bad.finished);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains(QStringLiteral("--seed: expected a whole number from 0 to "
                                                 "18446744073709551615")),
            qPrintable(bad.err));
    }
}

void TestDashboardCli::badWindowIsRejected_data()
{
    QTest::addColumn<QString>("window");
    QTest::newRow("too short") << QStringLiteral("3");
    QTest::newRow("not a number") << QStringLiteral("5min");
    QTest::newRow("negative") << QStringLiteral("-60");
}

void TestDashboardCli::badWindowIsRejected()
{
    QFETCH(QString, window);
    const Outcome o = runDashboard({QStringLiteral("--window"), window});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(
        o.err.contains(QStringLiteral("--window")) && o.err.contains(window), qPrintable(o.err));
}

// A batch export is of the whole run: a window asked for with it was silently not applied.
void TestDashboardCli::windowIsRefusedWithExport()
{
    QTemporaryDir dir;
    const Outcome o = runDashboard({QStringLiteral("--scenario"), QStringLiteral("bursts"),
        QStringLiteral("--window"), QStringLiteral("300"), QStringLiteral("--export"), dir.path(),
        QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("--window: cannot be combined with --export")),
        qPrintable(o.err));
    QVERIFY(QDir(dir.path()).isEmpty()); // refused before anything ran
}

// --export replaced any timeseries.csv or report.html in the folder, the user's own included
// (a new-user trial): an earlier export's are replaced, others refused before the run.
void TestDashboardCli::exportReplacesOnlyItsOwnFiles()
{
    QTemporaryDir dir;
    QFile mine(dir.filePath(QStringLiteral("report.html")));
    QVERIFY(mine.open(QIODevice::WriteOnly));
    mine.write("my notes\n");
    mine.close();
    const QStringList args {QStringLiteral("--scenario"), QStringLiteral("seed-spike"),
        QStringLiteral("--export"), dir.path(), QStringLiteral("--format"), QStringLiteral("csv,report")};
    Outcome o = runDashboard(args);
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("already holds report.html, which no export wrote: not replaced")),
        qPrintable(o.err));
    QVERIFY(mine.open(QIODevice::ReadOnly));
    QCOMPARE(mine.readAll(), QByteArray("my notes\n"));
    mine.close();
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("timeseries.csv"))));
    QVERIFY(mine.remove());
    o = runDashboard(args);
    QCOMPARE(o.exitCode, 0);
    o = runDashboard(args); // its own files again: replaced
    QCOMPARE(o.exitCode, 0);
    // A headroom-cli run's folder: its files would be replaced beside its summary.json.
    QFile summary(dir.filePath(QStringLiteral("summary.json")));
    QVERIFY(summary.open(QIODevice::WriteOnly));
    summary.write("{}\n");
    summary.close();
    o = runDashboard(args);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(dir.path() + QStringLiteral(" holds a headroom-cli run's results (summary.json): an export there would mix two runs' files")),
        qPrintable(o.err));
    QVERIFY(summary.remove());
    // A run writing there holds its lock: refused. A killed run's lock is stale: taken over.
    {
        QLockFile held(dir.filePath(QStringLiteral(".headroom-run.lock")));
        QVERIFY(held.tryLock(0));
        o = runDashboard(args);
        QCOMPARE(o.exitCode, 2);
        QVERIFY2(o.err.contains(QStringLiteral(" is being written by a headroom-cli run")), qPrintable(o.err));
    }
    QFile stale(dir.filePath(QStringLiteral(".headroom-run.lock")));
    QVERIFY(stale.open(QIODevice::WriteOnly));
    stale.write("2147483646\nheadroom-cli\n" + QSysInfo::machineHostName().toUtf8() + "\n");
    stale.close();
    o = runDashboard(args);
    QVERIFY2(o.exitCode == 0, qPrintable(o.err));
    QVERIFY(!stale.exists());
    // A file where the folder should be is named as one.
    o = runDashboard({QStringLiteral("--export"), dir.filePath(QStringLiteral("report.html"))});
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("report.html: not a folder (a file has that name)")), qPrintable(o.err));
}

// A signal stops a batch export's run and its files are written; writing NASA July's took
// a while and a Ctrl+C then did nothing. The first signal says what comes next; the second
// quits at once (killed by it), without the files not yet written.
void TestDashboardCli::aSecondSignalQuitsAnExportAtOnce()
{
    QTemporaryDir dir, home;
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), home.path());
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path());
    process.setProcessEnvironment(env);
    process.start(headroom::testing::dashboardBinary(),
        {QStringLiteral("--trace"), sourceFile(QStringLiteral("resources/traces/nasa_http_jul1995_per_minute.csv")),
            QStringLiteral("--controllers"), QStringLiteral("hpa,predictive"), QStringLiteral("--export"), dir.path(),
            QStringLiteral("--format"), QStringLiteral("png,pdf,report-pdf,csv")});
    QVERIFY(process.waitForStarted());
    // Into the month's run: loaded (the signals are its own by then), and running.
    QByteArray err;
    QElapsedTimer wait;
    wait.start();
    while (!err.contains("headroom.ui: loaded") && wait.elapsed() < 20000 && process.state() == QProcess::Running) {
        process.waitForReadyRead(200);
        err += process.readAllStandardError();
    }
    QVERIFY2(err.contains("headroom.ui: loaded"), err.constData());
    QTest::qWait(500);
    process.terminate();
    QTest::qWait(300);
    QElapsedTimer clock;
    clock.start();
    process.terminate();
    QVERIFY(process.waitForFinished(20000));
    QVERIFY2(clock.elapsed() < 2000, qPrintable(QString::number(clock.elapsed())));
    QCOMPARE(process.exitStatus(), QProcess::CrashExit); // by the signal
    err += process.readAllStandardError();
    QVERIFY2(err.contains("headroom: stopping; the files of what was recorded are written next "
                          "(the same signal again quits without them)"),
        err.constData());
    // No half-written file: none of the four was done (the CSV comes last).
    QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("timeseries.csv"))));
}

void TestDashboardCli::windowedScreenshotExits()
{
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("x.png"));
    const Outcome o = runDashboard({QStringLiteral("--window"), QStringLiteral("60"),
        QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--speed"),
        QStringLiteral("max"), QStringLiteral("--screenshot"), shot,
        QStringLiteral("--screenshot-at"), QStringLiteral("90")});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 0);
    QVERIFY(QFile::exists(shot));
}

void TestDashboardCli::badCrosshairIsRejected_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::newRow("no screenshot") << QStringList {QStringLiteral("--crosshair-at"), "10"};
    QTest::newRow("bad kind") << QStringList {QStringLiteral("--crosshair-at"), "10:cpu",
        QStringLiteral("--screenshot"), QStringLiteral("/nonexistent/x.png")};
    QTest::newRow("negative") << QStringList {QStringLiteral("--crosshair-at"), "-1",
        QStringLiteral("--screenshot"), QStringLiteral("/nonexistent/x.png")};
}

void TestDashboardCli::badCrosshairIsRejected()
{
    QFETCH(QStringList, args);
    const Outcome o = runDashboard(args);
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 2);
    QVERIFY2(o.err.contains(QStringLiteral("--crosshair-at")), qPrintable(o.err));
}

void TestDashboardCli::crosshairScreenshotExits()
{
    QTemporaryDir dir;
    const QString shot = dir.filePath(QStringLiteral("x.png"));
    const Outcome o = runDashboard({QStringLiteral("--controllers"), QStringLiteral("hpa,kpa"),
        QStringLiteral("--speed"), QStringLiteral("max"), QStringLiteral("--screenshot"), shot,
        QStringLiteral("--screenshot-at"), QStringLiteral("20"), QStringLiteral("--crosshair-at"),
        QStringLiteral("10:pods")});
    QVERIFY(o.finished);
    QCOMPARE(o.exitCode, 0);
    QVERIFY(QFile::exists(shot));
}

QTEST_GUILESS_MAIN(TestDashboardCli)
#include "tst_dashboardcli.moc"
