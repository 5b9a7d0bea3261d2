// End to end: headroom-cli run as a script would call it.
#include "clirun.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <sys/types.h>

namespace {

using headroom::test::runCli;
using headroom::test::sourcePath;
using Result = headroom::test::CliRun;

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

// Writes `bytes` to `path`; false when it cannot.
bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QJsonObject laneNamed(const QJsonObject &summary, const QString &name)
{
    for (const auto &v : summary.value(QStringLiteral("lanes")).toArray()) {
        if (v.toObject().value(QStringLiteral("controller")).toString() == name)
            return v.toObject();
    }
    return {};
}

// Highest pods_desired a lane reached by time t, from timeseries.csv.
int desiredBy(const QString &csvPath, const QString &lane, double t)
{
    QFile f(csvPath);
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    const QStringList header = QString::fromUtf8(f.readLine()).trimmed().split(QLatin1Char(','));
    const int tCol = header.indexOf(QStringLiteral("t_s"));
    const int laneCol = header.indexOf(QStringLiteral("lane"));
    const int desiredCol = header.indexOf(QStringLiteral("pods_desired"));
    int best = 0;
    while (!f.atEnd()) {
        const QStringList row = QString::fromUtf8(f.readLine()).trimmed().split(QLatin1Char(','));
        if (row.value(laneCol) == lane && row.value(tCol).toDouble() <= t)
            best = std::max(best, row.value(desiredCol).toInt());
    }
    return best;
}

} // namespace

class TestHeadlessRun : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void seedSpikeWritesTheFourFilesAndReproducesTheReference()
    {
        QTemporaryDir dir;
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
                                 QStringLiteral("seed-spike"), QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        for (const char *name : {"summary.json", "timeseries.csv", "comparison.png", "comparison.svg"})
            QVERIFY2(QFile::exists(dir.filePath(QLatin1String(name))), name);

        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("summary.json")));
        QCOMPARE(summary.value(QStringLiteral("scenario")).toString(), QStringLiteral("seed-spike"));
        QCOMPARE(summary.value(QStringLiteral("seed")).toInt(), 1);
        QCOMPARE(summary.value(QStringLiteral("duration_s")).toDouble(), 70.0);
        QCOMPARE(summary.value(QStringLiteral("slo_latency_ms")).toDouble(), 500.0);
        const QJsonObject predictive = laneNamed(summary, QStringLiteral("predictive"));
        const QJsonObject hpa = laneNamed(summary, QStringLiteral("hpa"));
        for (const QJsonObject &lane : {predictive, hpa}) {
            for (const char *key : {"requests", "completed", "dropped", "slo_violations",
                                    "latency_ms", "pod_seconds", "peak_pods"})
                QVERIFY2(lane.contains(QLatin1String(key)), key);
            for (const char *key : {"p50", "p95", "p99", "max"})
                QVERIFY(lane.value(QStringLiteral("latency_ms")).toObject().contains(QLatin1String(key)));
            QVERIFY(lane.value(QStringLiteral("requests")).toInt() > 1000);
        }

        const QString csv = dir.filePath(QStringLiteral("timeseries.csv"));
        QVERIFY(desiredBy(csv, QStringLiteral("predictive"), 30) >= 6);
        QVERIFY(desiredBy(csv, QStringLiteral("hpa"), 30) < 6);
        QVERIFY(predictive.value(QStringLiteral("slo_violations")).toInt()
                < hpa.value(QStringLiteral("slo_violations")).toInt());
        // The dashboard table's comparison, written too. No clairvoyant lane: the lanes are
        // compared with the load line. The predictive lane reaches the spike's need; the HPA,
        // whose pods have not scaled by the end of the 30 s spike, does not.
        for (const QJsonObject &lane : {predictive, hpa}) {
            QVERIFY(lane.value(QStringLiteral("violation_seconds")).toDouble() > 0.0);
            QCOMPARE(lane.value(QStringLiteral("spikes")).toInt(), 1);
            const QJsonObject provisioning = lane.value(QStringLiteral("provisioning")).toObject();
            QCOMPARE(provisioning.value(QStringLiteral("reference")).toString(), QStringLiteral("load"));
            QVERIFY(provisioning.value(QStringLiteral("reference_pod_seconds")).toDouble() > 0.0);
        }
        const double predictiveScale = predictive.value(QStringLiteral("time_to_scale_s")).toDouble(-1.0);
        QVERIFY2(predictiveScale > 0.0 && predictiveScale < 15.0, qPrintable(QString::number(predictiveScale)));
        QVERIFY(hpa.value(QStringLiteral("time_to_scale_s")).isNull());
        QCOMPARE(hpa.value(QStringLiteral("spikes_missed")).toInt(), 1);
        QVERIFY(predictive.value(QStringLiteral("violation_seconds")).toDouble()
                < hpa.value(QStringLiteral("violation_seconds")).toDouble());

        const QImage png(dir.filePath(QStringLiteral("comparison.png")));
        QVERIFY(!png.isNull());
        QVERIFY(png.width() >= 1600);
    }

    void timeseriesHasTheDesignColumns()
    {
        QTemporaryDir dir;
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
                                 QStringLiteral("seed-spike"), QStringLiteral("--controllers"),
                                 QStringLiteral("hpa"), QStringLiteral("--duration"),
                                 QStringLiteral("10"), QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QFile f(dir.filePath(QStringLiteral("timeseries.csv")));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(f.readLine()).trimmed(),
                 QStringLiteral("t_s,lane,arrivals_per_s,completed_per_s,dropped_per_s,"
                                "latency_p50_ms,latency_p95_ms,latency_p99_ms,pods_desired,"
                                "pods_ready,pods_starting,cpu_utilization,queue_length,"
                                "forecast_horizon_s,forecast_p50,forecast_p90,fallback,no_data,"
                                "slo_violations_per_s,pods_unready,concurrency"));
        int rows = 0;
        while (!f.atEnd() && !f.readLine().trimmed().isEmpty())
            ++rows;
        QCOMPARE(rows, 10);
    }

    void shippedAzureTraceRunsBothLanes()
    {
        QTemporaryDir dir;
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--trace"),
                                 sourcePath(QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv")),
                                 QStringLiteral("--compression"), QStringLiteral("10"),
                                 QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("summary.json")));
        QCOMPARE(laneNamed(summary, QStringLiteral("predictive")).value(QStringLiteral("requests")).toInt(), 19366);
        QCOMPARE(laneNamed(summary, QStringLiteral("hpa")).value(QStringLiteral("requests")).toInt(), 19366);
    }

    // run takes a trace as sweep does (FILE@xN@from=T@hours=H): one cell of a sweep, run
    // alone, gives that cell's numbers, with its timeseries to look into.
    void aSweepCellRunsAlone()
    {
        QTemporaryDir dir;
        const QString spec = sourcePath(QStringLiteral("resources/traces/nasa_http_jul1995_per_minute.csv"))
            + QStringLiteral("@x60@from=72h@hours=2");
        const Result one = runCli({QStringLiteral("run"), QStringLiteral("--trace"), spec, QStringLiteral("--controllers"),
                                   QStringLiteral("hpa,kpa"), QStringLiteral("--seed"), QStringLiteral("1"),
                                   QStringLiteral("--out"), dir.filePath(QStringLiteral("run"))});
        QVERIFY2(one.exitCode == 0, qPrintable(one.err));
        const Result sweep = runCli({QStringLiteral("sweep"), QStringLiteral("--traces"), spec, QStringLiteral("--controllers"),
                                     QStringLiteral("hpa,kpa"), QStringLiteral("--seeds"), QStringLiteral("1"),
                                     QStringLiteral("--out"), dir.filePath(QStringLiteral("sweep"))});
        QVERIFY2(sweep.exitCode == 0, qPrintable(sweep.err));
        const QJsonObject alone = readJson(dir.filePath(QStringLiteral("run/summary.json")));
        const QJsonObject cell = readJson(dir.filePath(QStringLiteral("sweep/runs/nasa_http_jul1995_per_minute@x60@from=72h@hours=2-seed1/summary.json")));
        QCOMPARE(alone.value(QStringLiteral("duration_s")).toDouble(), 120.0); // 2 h of minutes at 60x
        for (const QString &lane : {QStringLiteral("hpa"), QStringLiteral("kpa")}) {
            for (const QString &field : {QStringLiteral("requests"), QStringLiteral("slo_violations"), QStringLiteral("pod_seconds")})
                QCOMPARE(laneNamed(alone, lane).value(field).toDouble(), laneNamed(cell, lane).value(field).toDouble());
        }
        QVERIFY(laneNamed(alone, QStringLiteral("hpa")).value(QStringLiteral("requests")).toInt() > 1000);
        // --compression beside the spec's own @x: refused, naming both.
        const Result both = runCli({QStringLiteral("run"), QStringLiteral("--trace"), spec, QStringLiteral("--compression"),
                                    QStringLiteral("10"), QStringLiteral("--out"), dir.filePath(QStringLiteral("both"))});
        QCOMPARE(both.exitCode, 2);
        QVERIFY2(both.err.contains(QStringLiteral("field '--compression': the trace '") + spec + QStringLiteral("' gives its own @x")),
                 qPrintable(both.err));
    }

    // --out: an earlier run's results are replaced, and said to be; a folder holding anything
    // else is not written into (a sweep's folder took summary.json and charts silently, a
    // new-user trial found).
    void outReplacesOnlyAnEarlierRun()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        const QStringList spike {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike"),
                                 QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--out"), out};
        const Result first = runCli(spike);
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        QVERIFY(!first.err.contains(QStringLiteral("replacing")));
        const Result again = runCli(spike);
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        QVERIFY2(again.err.contains(QStringLiteral("note: replacing the earlier Headroom files in ") + out
                     + QStringLiteral(": comparison.png comparison.svg summary.json timeseries.csv\n")),
            qPrintable(again.err));
        QFile other(dir.filePath(QStringLiteral("out/sweep.json")));
        QVERIFY(other.open(QIODevice::WriteOnly));
        other.close();
        const Result refused = runCli(spike);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(out + QStringLiteral(" already holds sweep.json, which run does not write")),
                 qPrintable(refused.err));
        // A file of run's names that run did not write (the user's own timeseries.csv), or a
        // folder of that name: not replaced (a second new-user trial).
        QVERIFY(QFile::remove(dir.filePath(QStringLiteral("out/sweep.json"))));
        QFile own(dir.filePath(QStringLiteral("out/timeseries.csv")));
        QVERIFY(own.open(QIODevice::WriteOnly));
        own.write("date,temperature\n2026-12-06,3.5\n");
        own.close();
        const Result theirs = runCli(spike);
        QCOMPARE(theirs.exitCode, 2);
        QVERIFY2(theirs.err.contains(out + QStringLiteral(" already holds timeseries.csv, which is not an earlier run's")),
                 qPrintable(theirs.err));
        QCOMPARE(own.size(), 32); // as written
    }

    // A run of hours printed nothing until its end and read as a hang (a new-user trial): it
    // says how far it got every HEADROOM_PROGRESS_S seconds (10 by default; 0 here, after
    // every 10 simulated seconds), and the results are those of a run that said nothing.
    void aLongRunSaysHowFarItGot()
    {
        QTemporaryDir dir;
        const auto spike = [&](const QString &out) {
            return QStringList {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike"),
                QStringLiteral("--controllers"), QStringLiteral("hpa,predictive"), QStringLiteral("--out"), dir.filePath(out)};
        };
        const Result quiet = runCli(spike(QStringLiteral("quiet")));
        QVERIFY2(quiet.exitCode == 0, qPrintable(quiet.err));
        QVERIFY2(!quiet.err.contains(QStringLiteral("running:")), qPrintable(quiet.err)); // done in under 10 s
        qputenv("HEADROOM_PROGRESS_S", "0");
        const Result told = runCli(spike(QStringLiteral("told")));
        qunsetenv("HEADROOM_PROGRESS_S");
        QVERIFY2(told.exitCode == 0, qPrintable(told.err));
        const QStringList lines = told.err.split(QLatin1Char('\n')).filter(QStringLiteral(" simulated s ("));
        QCOMPARE(lines.size(), 6); // 10, 20, ... 60 of 70 s: none at the end
        // Then that the files come next (a long run's take a while too).
        const QString writing = QStringLiteral("; writing timeseries.csv, comparison.png, comparison.svg and summary.json\n");
        QVERIFY2(told.err.contains(QRegularExpression(QStringLiteral("\nrunning: done in \\d+ seconds?") + QRegularExpression::escape(writing))),
            qPrintable(told.err));
        QVERIFY2(lines.front().startsWith(QStringLiteral("running: 10 of 70 simulated s (14.3 %), ")), qPrintable(lines.front()));
        QVERIFY2(lines.back().startsWith(QStringLiteral("running: 60 of 70 simulated s (85.7 %), ")), qPrintable(lines.back()));
        QVERIFY(lines.back().contains(QStringLiteral(" so far, about ")) && lines.back().endsWith(QStringLiteral(" left")));
        QFile a(dir.filePath(QStringLiteral("quiet/summary.json"))), b(dir.filePath(QStringLiteral("told/summary.json")));
        QVERIFY(a.open(QIODevice::ReadOnly) && b.open(QIODevice::ReadOnly));
        QCOMPARE(b.readAll(), a.readAll());
        // A run quick to simulate but with many samples to write says the files come next:
        // NASA July's two lanes ran in 9 s, under the 10 s of progress, and the 20 s of
        // writing after the first note passed without a word (a new-user trial). 30 hours of
        // one lane are 108,000 samples.
        const Result many = runCli({QStringLiteral("run"), QStringLiteral("--trace"),
            sourcePath(QStringLiteral("resources/traces/nasa_http_jul1995_per_minute.csv@hours=30")),
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--out"), dir.filePath(QStringLiteral("many"))});
        QVERIFY2(many.exitCode == 0, qPrintable(many.err));
        QVERIFY2(!many.err.contains(QStringLiteral(" simulated s (")), qPrintable(many.err));
        QVERIFY2(many.err.contains(QRegularExpression(QStringLiteral("\nrunning: done in \\d+ seconds?") + QRegularExpression::escape(writing))),
            qPrintable(many.err));
    }

    // Two runs into one new --out each wrote over the other's files, both exit 0 (a new-user
    // trial). A run holds the folder while it writes: another is refused, naming the holder.
    void aFolderBeingWrittenIsRefused()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out));
        QLockFile held(out + QStringLiteral("/.headroom-run.lock")); // as a running run holds it
        QVERIFY(held.tryLock(0));
        const QStringList spike {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike"),
                                 QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--out"), out};
        const Result refused = runCli(spike);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(out + QStringLiteral(" is being written by another run (process ")
                     + QString::number(QCoreApplication::applicationPid()) + QLatin1Char(')')),
            qPrintable(refused.err));
        QVERIFY(!QFile::exists(out + QStringLiteral("/summary.json")));
        held.unlock();
        const Result after = runCli(spike);
        QVERIFY2(after.exitCode == 0, qPrintable(after.err));
        QVERIFY(QFile::exists(out + QStringLiteral("/summary.json")));
        // summary.json is written last: a folder holding it holds a finished run (one killed
        // while writing left a summary beside no timeseries.csv).
        const QDateTime summaryWritten = QFileInfo(out + QStringLiteral("/summary.json")).lastModified();
        for (const char *other : {"timeseries.csv", "comparison.png", "comparison.svg"})
            QVERIFY2(QFileInfo(out + QLatin1Char('/') + QLatin1String(other)).lastModified() <= summaryWritten, other);
        // The lock goes with the run: only its files stay.
        QCOMPARE(QDir(out).entryList(QDir::Files | QDir::Hidden),
            (QStringList {QStringLiteral("comparison.png"), QStringLiteral("comparison.svg"),
                QStringLiteral("summary.json"), QStringLiteral("timeseries.csv")}));
        // Refused while another run writes the folder, a run no longer says first that it
        // replaces that run's files (a new-user trial read both).
        QVERIFY(held.tryLock(0));
        const Result busy = runCli(spike);
        QCOMPARE(busy.exitCode, 2);
        QVERIFY2(busy.err.contains(QStringLiteral(" is being written by another run")), qPrintable(busy.err));
        QVERIFY2(!busy.err.contains(QStringLiteral("replacing")), qPrintable(busy.err));
        held.unlock();
    }

    // Ctrl+C killed a run at once, everything lost but the lock (a new-user trial). The first
    // SIGINT stops it where it is and writes the files of what ran, marked as stopped early
    // in summary.json and the printed table; exit 130, as a shell gives a process SIGINT ended.
    void ctrlCWritesWhatRan()
    {
        QTemporaryDir dir;
        const QString scenario = dir.filePath(QStringLiteral("long.json"));
        QVERIFY(writeFile(scenario, R"({"name": "long", "duration_s": 5000000, "segments": [{"type": "constant", "start_s": 0, "end_s": 5000000, "rate": 5}]})"));
        const QString out = dir.filePath(QStringLiteral("out"));
        QProcess run;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("HEADROOM_PROGRESS_S"), QStringLiteral("0.2"));
        run.setProcessEnvironment(env);
        run.start(headroom::test::cliPath(), {QStringLiteral("run"), QStringLiteral("--scenario"), scenario,
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--out"), out});
        QVERIFY(run.waitForStarted());
        QByteArray err;
        // Signalled once it is simulating: when it says how far it got.
        QElapsedTimer waited;
        waited.start();
        while (!err.contains("simulated s (") && waited.elapsed() < 120000) {
            run.waitForReadyRead(1000);
            err += run.readAllStandardError();
        }
        QVERIFY2(err.contains("simulated s ("), err.constData());
        QCOMPARE(::kill(static_cast<pid_t>(run.processId()), SIGINT), 0);
        QVERIFY(run.waitForFinished(240000));
        err += run.readAllStandardError();
        const QString said = QString::fromUtf8(err);
        const QString printed = QString::fromUtf8(run.readAllStandardOutput());
        QCOMPARE(run.exitStatus(), QProcess::NormalExit);
        QCOMPARE(run.exitCode(), 130);
        const QJsonObject summary = readJson(out + QStringLiteral("/summary.json"));
        const QJsonObject stopped = summary.value(QStringLiteral("stopped_early")).toObject();
        const double atS = stopped.value(QStringLiteral("at_s")).toDouble();
        QVERIFY2(atS > 0.0 && atS < 5000000.0, qPrintable(said));
        QCOMPARE(summary.value(QStringLiteral("duration_s")).toDouble(), atS);
        QCOMPARE(stopped.value(QStringLiteral("duration_asked_s")).toDouble(), 5000000.0);
        QCOMPARE(stopped.value(QStringLiteral("by")).toString(), QStringLiteral("SIGINT"));
        const QString at = QString::number(atS, 'f', 0);
        QVERIFY2(printed.contains(QStringLiteral(", stopped early at ") + at + QStringLiteral(" of 5000000 s, SLO ")), qPrintable(printed));
        QVERIFY2(said.contains(QStringLiteral("headroom-cli run: stopped early by SIGINT at ") + at
                     + QStringLiteral(" of 5000000 s: the files hold the seconds that ran, not a whole run")),
            qPrintable(said));
        // The files hold every second that ran, the last one included.
        QFile csv(out + QStringLiteral("/timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QList<QByteArray> rows = csv.readAll().trimmed().split('\n');
        QCOMPARE(rows.size(), static_cast<qsizetype>(atS) + 1); // one lane, a header
        QVERIFY2(rows.back().startsWith(QByteArray(at.toUtf8() + ",hpa,")), rows.back().constData());
        for (const char *file : {"comparison.png", "comparison.svg"})
            QVERIFY2(QFile::exists(out + QLatin1Char('/') + QLatin1String(file)), file);
        QVERIFY(!QFile::exists(out + QStringLiteral("/.headroom-run.lock")));
    }

    // A scenario file names itself in the source: one called seed-spike read as the built-in
    // seed-spike in summary.json (a new-user trial).
    void aScenarioFileIsNamedAsAFile()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("seed-spike.json"));
        QVERIFY(writeFile(file, R"({"name": "seed-spike", "duration_s": 30, "segments": [{"type": "constant", "start_s": 0, "end_s": 30, "rate": 0}]})"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"), file, QStringLiteral("--controllers"),
                                 QStringLiteral("hpa"), QStringLiteral("--out"), dir.filePath(QStringLiteral("out"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("out/summary.json")));
        QCOMPARE(summary.value(QStringLiteral("source")).toString(), QStringLiteral("scenario seed-spike (") + file + QLatin1Char(')'));
    }

    // A trace file whose name holds an '@' is that file, not a slice (a second new-user trial:
    // nasa@x2.csv read as nasa with @x2.csv for its compression).
    void aTraceNamedWithAnAtIsAFile()
    {
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("nasa@x2.csv"));
        QVERIFY(writeFile(trace, "unix_time_s,requests\n1000000,60\n1000060,120\n1000120,60\n"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--trace"), trace, QStringLiteral("--controllers"),
                                 QStringLiteral("hpa"), QStringLiteral("--out"), dir.filePath(QStringLiteral("out"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readJson(dir.filePath(QStringLiteral("out/summary.json"))).value(QStringLiteral("duration_s")).toDouble(), 180.0);
        // No such file: the name is read as a spec, and its option refused by name.
        const Result missing = runCli({QStringLiteral("run"), QStringLiteral("--trace"), dir.filePath(QStringLiteral("none@x2.csv")),
                                       QStringLiteral("--out"), dir.filePath(QStringLiteral("missing"))});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(QStringLiteral("field '@x2.csv'")), qPrintable(missing.err));
    }

    // An SLO under half a millisecond read "SLO 0 ms" in the table's heading (a new-user trial).
    void theHeadingSaysTheSloAsGiven()
    {
        QTemporaryDir dir;
        const QString scenario = dir.filePath(QStringLiteral("tiny-slo.json"));
        QVERIFY(writeFile(scenario, R"({"name": "x", "duration_s": 30, "cluster": {"slo_latency_ms": 0.001}, "segments": [{"type": "constant", "start_s": 0, "end_s": 30, "rate": 5}]})"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"), scenario,
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--out"), dir.filePath(QStringLiteral("out"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(", seed 1, 30 s, SLO 0.001 ms\n"), r.out.constData());
    }

    void aRunWithNothingCompletedPrintsNoNumberForLatency()
    {
        // A trace of zeros: no request, so no latency. The table says "-", as summary.json
        // says null, not "nan".
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("zeros.csv"));
        QVERIFY(writeFile(trace, "unix_time_s,requests\n1000000,0\n1000060,0\n1000120,0\n"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--trace"), trace,
                                 QStringLiteral("--controllers"), QStringLiteral("hpa"),
                                 QStringLiteral("--out"), dir.filePath(QStringLiteral("out"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString out = QString::fromUtf8(r.out);
        QVERIFY2(!out.contains(QStringLiteral("nan")), qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression(QStringLiteral("hpa +0 +0 +- +- "))),
                 qPrintable(out));
    }

    void badInputExitsTwoNamingTheProblem_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        const QString out = QDir::tempPath() + QStringLiteral("/headroom-bad-run");
        QTest::addRow("unknown option") << QStringList {QStringLiteral("run"), QStringLiteral("--frobnicate"), QStringLiteral("--out"), out} << QStringLiteral("--frobnicate");
        QTest::addRow("missing --out") << QStringList {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike")} << QStringLiteral("'--out': is required");
        // Given empty, it is not "required" (a new-user trial).
        QTest::addRow("empty --out") << QStringList {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike"), QStringLiteral("--out"), QString()} << QStringLiteral("'--out': is empty: give the folder");
        QTest::addRow("unknown scenario") << QStringList {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("no-such"), QStringLiteral("--out"), out} << QStringLiteral("no-such");
        QTest::addRow("unknown controller") << QStringList {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike"), QStringLiteral("--controllers"), QStringLiteral("hpa,oracle"), QStringLiteral("--out"), out} << QStringLiteral("oracle");
        QTest::addRow("seed not a number") << QStringList {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike"), QStringLiteral("--seed"), QStringLiteral("x1"), QStringLiteral("--out"), out} << QStringLiteral("--seed");
        QTest::addRow("missing trace file") << QStringList {QStringLiteral("run"), QStringLiteral("--trace"), QStringLiteral("/nonexistent/trace.csv"), QStringLiteral("--out"), out} << QStringLiteral("/nonexistent/trace.csv");
        QTest::addRow("bad trace row") << QStringList {QStringLiteral("run"), QStringLiteral("--trace"), sourcePath(QStringLiteral("tests/data/bad-trace-row.csv")), QStringLiteral("--out"), out} << QStringLiteral("row 3");
        QTest::addRow("unknown command") << QStringList {QStringLiteral("fly")} << QStringLiteral("fly");
        const QStringList spike {QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike"), QStringLiteral("--out"), out};
        QTest::addRow("seed beyond 64 bits") << spike + QStringList {QStringLiteral("--seed"), QStringLiteral("99999999999999999999999")} << QStringLiteral("--seed");
        QTest::addRow("option given twice") << spike + QStringList {QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--seed"), QStringLiteral("2")} << QStringLiteral("given twice");
        QTest::addRow("controller given twice") << spike + QStringList {QStringLiteral("--controllers"), QStringLiteral("hpa,hpa")} << QStringLiteral("given twice");
        QTest::addRow("compression without a trace") << spike + QStringList {QStringLiteral("--compression"), QStringLiteral("10")} << QStringLiteral("--compression");
        QTest::addRow("duration beyond the limit") << spike + QStringList {QStringLiteral("--duration"), QStringLiteral("1e12")} << QStringLiteral("duration");
        QTest::addRow("empty trace name") << QStringList {QStringLiteral("run"), QStringLiteral("--trace"), QString(), QStringLiteral("--out"), out} << QStringLiteral("'--trace': is empty");
        QTest::addRow("empty model name") << spike + QStringList {QStringLiteral("--model"), QString()} << QStringLiteral("'--model': is empty");
        // A model's path is not looked up among the shipped traces, nor a path that climbs out.
        QTest::addRow("model path given as a trace") << QStringList {QStringLiteral("run"), QStringLiteral("--trace"), QStringLiteral("models/predictive.pt"), QStringLiteral("--out"), out} << QStringLiteral("models/predictive.pt: cannot read the file");
        // (out of the data folder and back into it: found there, it would be a file the user
        // never named, read as if they had)
        const QString climbing = QStringLiteral("../") + QFileInfo(sourcePath(QString())).dir().dirName()
            + QStringLiteral("/resources/traces/AzureLLMInferenceTrace_conv.csv");
        QVERIFY(!QFileInfo::exists(climbing));
        QTest::addRow("trace path climbing out") << QStringList {QStringLiteral("run"), QStringLiteral("--trace"), climbing, QStringLiteral("--out"), out} << climbing + QStringLiteral(": cannot read the file");
        QTest::addRow("duration past the scenario's end") << spike + QStringList {QStringLiteral("--duration"), QStringLiteral("500")} << QStringLiteral("500 s runs past scenario 'seed-spike', whose duration_s is 70 s");
        QTest::addRow("rate beyond the limit") << QStringList {QStringLiteral("run"), QStringLiteral("--scenario"), sourcePath(QStringLiteral("tests/data/scenarios/too-busy.json")), QStringLiteral("--out"), out} << QStringLiteral("rate");
        QTest::addRow("unknown preset") << spike + QStringList {QStringLiteral("--preset"), QStringLiteral("huge")} << QStringLiteral("--preset");
        QTest::addRow("max replicas zero") << spike + QStringList {QStringLiteral("--max-replicas"), QStringLiteral("0")} << QStringLiteral("--max-replicas");
        QTest::addRow("predictive-LABEL without --models") << spike + QStringList {QStringLiteral("--controllers"), QStringLiteral("hpa,predictive-alt")} << QStringLiteral("--models alt=FILE");
        QTest::addRow("unknown model label") << spike + QStringList {QStringLiteral("--controllers"), QStringLiteral("predictive-nope"), QStringLiteral("--models"), QStringLiteral("alt=/tmp/x.pt")} << QStringLiteral("predictive-nope");
        QTest::addRow("bad model label") << spike + QStringList {QStringLiteral("--models"), QStringLiteral("a.b=/tmp/x.pt")} << QStringLiteral("'a.b'");
        QTest::addRow("duplicate model label") << spike + QStringList {QStringLiteral("--models"), QStringLiteral("alt=/tmp/x.pt,alt=/tmp/y.pt")} << QStringLiteral("twice");
        QTest::addRow("unknown trace option") << QStringList {QStringLiteral("run"), QStringLiteral("--trace"), sourcePath(QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv@hour=2")), QStringLiteral("--out"), out} << QStringLiteral("field '@hour=2': unknown or repeated option");
        QTest::addRow("compression out of range") << QStringList {QStringLiteral("run"), QStringLiteral("--trace"), sourcePath(QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv")), QStringLiteral("--compression"), QStringLiteral("1e-300"), QStringLiteral("--out"), out} << QStringLiteral("command line, field '--compression'");
    }
    void badInputExitsTwoNamingTheProblem()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        const Result r = runCli(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(named), qPrintable(r.err));
    }

    // --model FILE was read (and logged) when checked, then again for the lane.
    void aModelNamedOnTheCommandLineIsLoadedOnce()
    {
        QTemporaryDir dir;
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
            QStringLiteral("seed-spike"), QStringLiteral("--duration"), QStringLiteral("20"),
            QStringLiteral("--model"), sourcePath(QStringLiteral("models/predictive.pt")),
            QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.err.count(QStringLiteral("model loaded from")), 1);
        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("summary.json")));
        const QJsonObject predictive = laneNamed(summary, QStringLiteral("predictive"));
        QVERIFY(!predictive.contains(QStringLiteral("model_error")));
        QCOMPARE(predictive.value(QStringLiteral("available")).toBool(), true);
    }

    void sweepPrintsItsUsageForHelp()
    {
        for (const char *help : {"--help", "-h"}) {
            const Result r = runCli({QStringLiteral("sweep"), QLatin1String(help)});
            QCOMPARE(r.exitCode, 0);
            QVERIFY2(QString::fromUtf8(r.out).contains(QStringLiteral("headroom-cli sweep --merge")),
                qPrintable(QString::fromUtf8(r.out)));
        }
    }

    void missingModelRunsPredictiveOnItsReactiveRule()
    {
        // A model named on the command line that is not there stops the command...
        QTemporaryDir dir;
        Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
                           QStringLiteral("seed-spike"), QStringLiteral("--model"),
                           QStringLiteral("/nonexistent/model.pt"), QStringLiteral("--out"),
                           dir.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--model")) && r.err.contains(QStringLiteral("/nonexistent/model.pt")),
                 qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("summary.json"))));

        // ...while a missing default model (here through HEADROOM_MODEL) leaves the lane on
        // its reactive rule for the whole run, and the summary says so.
        qputenv("HEADROOM_MODEL", "/nonexistent/default.pt");
        r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("seed-spike"),
                    QStringLiteral("--out"), dir.path()});
        qunsetenv("HEADROOM_MODEL");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("summary.json")));
        const QJsonObject predictive = laneNamed(summary, QStringLiteral("predictive"));
        QCOMPARE(predictive.value(QStringLiteral("available")).toBool(), true);
        QCOMPARE(predictive.value(QStringLiteral("fallback_s")).toDouble(), 70.0);
        QVERIFY2(predictive.value(QStringLiteral("model_error")).toString().contains(QStringLiteral("/nonexistent/default.pt")),
                 qPrintable(predictive.value(QStringLiteral("model_error")).toString()));
        QVERIFY(laneNamed(summary, QStringLiteral("hpa")).value(QStringLiteral("requests")).toInt() > 1000);
        // Said where the user looks, not only in a log line and summary.json (a new-user
        // trial): a note naming the lane, the file and why, and the lane's row.
        QVERIFY2(r.err.contains(QStringLiteral("note: the predictive lane has no model, HEADROOM_MODEL=/nonexistent/default.pt could not be loaded ("))
                && r.err.contains(QStringLiteral("): it runs its reactive rule throughout")),
            qPrintable(r.err));
        QVERIFY2(QString::fromUtf8(r.out).contains(QRegularExpression(QStringLiteral("\npredictive +\\d+.* no model: ran its reactive rule\n"))),
            r.out.constData());
        QVERIFY2(QString::fromUtf8(r.out).contains(QRegularExpression(QStringLiteral("\nhpa +\\d+[ \\d]+\n"))), r.out.constData());
    }

    void labelledModelsAddPredictiveLanes()
    {
        // "alt" is a copy of the shipped model: the predictive lane under its own name.
        // "gone" does not exist: the command stops, naming it.
        QTemporaryDir models, dir;
        const QString alt = models.filePath(QStringLiteral("alt.pt"));
        QVERIFY(QFile::copy(sourcePath(QStringLiteral("models/predictive.pt")), alt));
        QVERIFY(QFile::copy(sourcePath(QStringLiteral("models/predictive.json")),
                            models.filePath(QStringLiteral("alt.json"))));
        const QStringList spike {QStringLiteral("run"), QStringLiteral("--scenario"),
                                 QStringLiteral("seed-spike"), QStringLiteral("--duration"),
                                 QStringLiteral("40")};
        Result r = runCli(spike + QStringList {QStringLiteral("--controllers"),
                                               QStringLiteral("predictive,predictive-alt,hpa"),
                                               QStringLiteral("--models"), QStringLiteral("alt=") + alt,
                                               QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY(QString::fromUtf8(r.out).contains(QStringLiteral("predictive-alt")));
        r = runCli(spike + QStringList {QStringLiteral("--controllers"), QStringLiteral("predictive,predictive-gone"),
                                        QStringLiteral("--models"), QStringLiteral("gone=/nonexistent/gone.pt"),
                                        QStringLiteral("--out"), models.filePath(QStringLiteral("out"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("/nonexistent/gone.pt")), qPrintable(r.err));

        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("summary.json")));
        const QStringList keys {QStringLiteral("available"), QStringLiteral("requests"),
                                QStringLiteral("slo_violations"), QStringLiteral("pod_seconds"),
                                QStringLiteral("peak_pods"), QStringLiteral("latency_ms")};
        const QJsonObject predictive = laneNamed(summary, QStringLiteral("predictive"));
        const QJsonObject other = laneNamed(summary, QStringLiteral("predictive-alt"));
        QVERIFY(!other.isEmpty());
        for (const QString &key : keys)
            QVERIFY2(other.value(key) == predictive.value(key), qPrintable(key));
        QVERIFY(laneNamed(summary, QStringLiteral("hpa")).value(QStringLiteral("requests")).toInt() > 0);
        const QString csv = dir.filePath(QStringLiteral("timeseries.csv"));
        QCOMPARE(desiredBy(csv, QStringLiteral("predictive-alt"), 40),
                 desiredBy(csv, QStringLiteral("predictive"), 40));
    }

    void clairvoyantIsTheLimitForAllFourLanes_data()
    {
        QTest::addColumn<QStringList>("source");
        QTest::addRow("seed-spike") << QStringList {QStringLiteral("--scenario"), QStringLiteral("seed-spike")};
        QTest::addRow("azure trace") << QStringList {QStringLiteral("--trace"), sourcePath(QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv"))};
        QTest::addRow("azure trace x10") << QStringList {QStringLiteral("--trace"), sourcePath(QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv")), QStringLiteral("--compression"), QStringLiteral("10")};
    }
    void clairvoyantIsTheLimitForAllFourLanes()
    {
        // Fewest SLO violations, and no lane with as few uses fewer pod-seconds.
        QFETCH(QStringList, source);
        QTemporaryDir dir;
        const Result r = runCli(QStringList {QStringLiteral("run"), QStringLiteral("--controllers"),
                                             QStringLiteral("hpa,kpa,predictive,clairvoyant"),
                                             QStringLiteral("--out"), dir.path()} + source);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("summary.json")));
        const QJsonArray lanes = summary.value(QStringLiteral("lanes")).toArray();
        QCOMPARE(lanes.size(), 4);
        const QJsonObject oracle = laneNamed(summary, QStringLiteral("clairvoyant"));
        const int oracleViolations = oracle.value(QStringLiteral("slo_violations")).toInt();
        for (const auto &v : lanes) {
            const QJsonObject lane = v.toObject();
            const QString name = lane.value(QStringLiteral("controller")).toString();
            const int violations = lane.value(QStringLiteral("slo_violations")).toInt();
            QVERIFY2(oracleViolations <= violations, qPrintable(name));
            if (violations <= oracleViolations)
                QVERIFY2(lane.value(QStringLiteral("pod_seconds")).toDouble()
                             >= oracle.value(QStringLiteral("pod_seconds")).toDouble(),
                         qPrintable(name));
        }
    }

    // Pods' own queues and very uneven service times: the clairvoyant lane planned them as
    // one shared queue and had more violations than the predictive lane (323 against 293, a
    // second trial). It now routes as the simulator does and is the limit again, and run's
    // note that it is not (io::clairvoyantNotTheLimit, the rule of a sweep's verdict and the
    // dashboard's table, tested there) stays away.
    void theClairvoyantLaneIsTheLimitWithPodsOwnQueues()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("queues.json"));
        QVERIFY(writeFile(file, R"({"name": "queues", "duration_s": 300, "seed": 1,
            "cluster": {"pod_queue_capacity": 50, "service_cv": 3},
            "segments": [{"type": "constant", "start_s": 0, "end_s": 300, "rate": 10},
                         {"type": "spike", "start_s": 100, "end_s": 160, "rate": 30, "ramp_s": 0}]})"));
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"), file, QStringLiteral("--controllers"),
                                 QStringLiteral("predictive,kpa,clairvoyant"), QStringLiteral("--out"),
                                 dir.filePath(QStringLiteral("out"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("out/summary.json")));
        const int oracle = laneNamed(summary, QStringLiteral("clairvoyant")).value(QStringLiteral("slo_violations")).toInt();
        for (const char *lane : {"predictive", "kpa"}) {
            const int violations = laneNamed(summary, QLatin1String(lane)).value(QStringLiteral("slo_violations")).toInt();
            QVERIFY2(oracle <= violations, qPrintable(QString::fromUtf8(r.out)));
        }
        QVERIFY2(!r.out.contains("not the limit"), qPrintable(QString::fromUtf8(r.out)));
    }

    void maxReplicasCapsEveryLane()
    {
        QTemporaryDir dir;
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
                                 QStringLiteral("seed-spike"), QStringLiteral("--controllers"),
                                 QStringLiteral("predictive,hpa,kpa,clairvoyant"),
                                 QStringLiteral("--max-replicas"), QStringLiteral("5"),
                                 QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("summary.json")));
        for (const auto &v : summary.value(QStringLiteral("lanes")).toArray())
            QVERIFY(v.toObject().value(QStringLiteral("peak_pods")).toInt() <= 5);
        // The KPA alone reaches 20 without the cap.
        QCOMPARE(laneNamed(summary, QStringLiteral("kpa")).value(QStringLiteral("peak_pods")).toInt(), 5);

        // The same written --option=value, as train, hpa and kpa take it.
        QTemporaryDir equals;
        const Result same = runCli({QStringLiteral("run"), QStringLiteral("--scenario=seed-spike"),
            QStringLiteral("--controllers=predictive,hpa,kpa,clairvoyant"),
            QStringLiteral("--max-replicas=5"), QStringLiteral("--out=") + equals.path()});
        QVERIFY2(same.exitCode == 0, qPrintable(same.err));
        QCOMPARE(readJson(equals.filePath(QStringLiteral("summary.json"))).value(QStringLiteral("lanes")),
            summary.value(QStringLiteral("lanes")));
    }

    // The NASA trace at x600 needs far more than 20 pods: the clairvoyant reference sits at
    // its cap, and the other lanes' under-provisioning against it reads low. summary.json and
    // the run's notes say so; an uncapped run says nothing.
    void cappedReferenceIsNotedInTheSummary()
    {
        QTemporaryDir dir;
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--trace"),
            sourcePath(QStringLiteral("resources/traces/nasa_http_jul1995_per_minute.csv")),
            QStringLiteral("--compression"), QStringLiteral("600"), QStringLiteral("--duration"),
            QStringLiteral("60"), QStringLiteral("--controllers"), QStringLiteral("hpa,clairvoyant"),
            QStringLiteral("--max-replicas"), QStringLiteral("20"), QStringLiteral("--out"),
            dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject summary = readJson(dir.filePath(QStringLiteral("summary.json")));
        const QJsonObject hpa = laneNamed(summary, QStringLiteral("hpa"))
                                    .value(QStringLiteral("provisioning")).toObject();
        QCOMPARE(hpa.value(QStringLiteral("reference")).toString(), QStringLiteral("clairvoyant"));
        const QJsonObject capped = hpa.value(QStringLiteral("reference_capped")).toObject();
        QCOMPARE(capped.value(QStringLiteral("pods")).toInt(), 20);
        const double cappedS = capped.value(QStringLiteral("seconds")).toDouble();
        QVERIFY2(cappedS >= 30.0 && cappedS <= 60.0, qPrintable(QString::number(cappedS)));
        QCOMPARE(laneNamed(summary, QStringLiteral("clairvoyant")).value(QStringLiteral("peak_pods")).toInt(), 20);
        const QRegularExpression note(QStringLiteral(
            "note: reference capped at 20 pods for \\d+ s: the clairvoyant lane held max_replicas "
            "while the load needed more"));
        QVERIFY2(note.match(r.err).hasMatch(), qPrintable(r.err));

        QTemporaryDir uncapped;
        const Result spike = runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
            QStringLiteral("seed-spike"), QStringLiteral("--controllers"),
            QStringLiteral("hpa,clairvoyant"), QStringLiteral("--out"), uncapped.path()});
        QVERIFY2(spike.exitCode == 0, qPrintable(spike.err));
        const QJsonObject plain = laneNamed(readJson(uncapped.filePath(QStringLiteral("summary.json"))),
            QStringLiteral("hpa")).value(QStringLiteral("provisioning")).toObject();
        QVERIFY(plain.contains(QStringLiteral("reference_capped")));
        QVERIFY(plain.value(QStringLiteral("reference_capped")).isNull());
        QVERIFY2(!spike.err.contains(QStringLiteral("reference capped")), qPrintable(spike.err));

        // The reference lane is not compared with itself: null (the table's dash), not 0.
        QVERIFY(plain.value(QStringLiteral("reference_pod_seconds")).toDouble() > 0.0);
        const QJsonObject self = laneNamed(readJson(uncapped.filePath(QStringLiteral("summary.json"))),
            QStringLiteral("clairvoyant")).value(QStringLiteral("provisioning")).toObject();
        QCOMPARE(self.value(QStringLiteral("reference")).toString(), QStringLiteral("clairvoyant"));
        for (const char *key : {"over_pod_seconds", "under_pod_seconds", "reference_pod_seconds"}) {
            QVERIFY2(self.contains(QLatin1String(key)) && self.value(QLatin1String(key)).isNull(),
                key);
        }
    }

    void scenariosListsTheBuiltIns()
    {
        const Result r = runCli({QStringLiteral("scenarios")});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(QString::fromUtf8(r.out).contains(QStringLiteral("seed-spike")));
        QVERIFY(QString::fromUtf8(r.out).contains(QStringLiteral("seed-spike-long")));
    }

    // A list with an empty entry is a typo, not a shorter list; an --out that cannot take
    // files is refused before the run is spent (exit 1), with no half-written file left.
    void emptyListEntriesAndUnwritableOutAreRefused()
    {
        QTemporaryDir dir;
        for (const QString &list : {QStringLiteral("hpa,,kpa"), QStringLiteral("hpa,")}) {
            const Result r = runCli({QStringLiteral("run"), QStringLiteral("--controllers"), list,
                QStringLiteral("--out"), dir.path()});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("has an empty entry")), qPrintable(r.err));
        }
        // A model no lane runs is a typo too.
        const Result unused = runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
            QStringLiteral("seed-spike"), QStringLiteral("--models"),
            QStringLiteral("alt=") + sourcePath(QStringLiteral("models/predictive.pt")),
            QStringLiteral("--out"), dir.path()});
        QCOMPARE(unused.exitCode, 2);
        QVERIFY2(unused.err.contains(QStringLiteral("add predictive-alt to --controllers")),
            qPrintable(unused.err));
        const QString file = dir.filePath(QStringLiteral("taken"));
        QFile taken(file);
        QVERIFY(taken.open(QIODevice::WriteOnly));
        taken.close();
        // A file for --out is a bad command line (exit 2), as sweep has it; it exited 1.
        const Result r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
            QStringLiteral("seed-spike"), QStringLiteral("--out"), file});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("field '--out': ") + file
                     + QStringLiteral(": not a folder")),
            qPrintable(r.err));
        QVERIFY2(!r.out.contains("lane"), r.out.constData()); // nothing was run
    }
};

QTEST_GUILESS_MAIN(TestHeadlessRun)
#include "tst_headlessrun.moc"
