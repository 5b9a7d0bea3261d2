// End to end: headroom-cli sweep, its Kubernetes Indexed Job and merging partial outputs.
#include "clirun.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QSysInfo>
#include <QTest>
#include <cmath>
#include <functional>
#include <memory>

namespace {

using headroom::test::runCli;
using headroom::test::sourcePath;
using Result = headroom::test::CliRun;

const QString kNasa = QStringLiteral("resources/traces/nasa_http_jul1995_per_minute.csv");
const QStringList kMetrics {QStringLiteral("slo_violations"), QStringLiteral("pod_seconds"),
    QStringLiteral("latency_p95_ms"), QStringLiteral("latency_p99_ms"), QStringLiteral("peak_pods"),
    QStringLiteral("dropped")};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QJsonObject readJson(const QString &path)
{
    return QJsonDocument::fromJson(readAll(path)).object();
}

// sweep.csv as one map per row, keyed by the header's column names.
QList<QMap<QString, QString>> readCsv(const QString &path)
{
    const QStringList lines
        = QString::fromUtf8(readAll(path)).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QList<QMap<QString, QString>> rows;
    if (lines.isEmpty())
        return rows;
    const QStringList header = lines.first().split(QLatin1Char(','));
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QStringList cells = lines[i].split(QLatin1Char(','));
        QMap<QString, QString> row;
        for (qsizetype c = 0; c < header.size(); ++c)
            row[header[c]] = cells.value(c);
        rows.push_back(row);
    }
    return rows;
}

// The metric of sweep.csv from one lane of a summary.json.
double laneMetric(const QJsonObject &lane, const QString &metric)
{
    if (metric == QStringLiteral("latency_p95_ms"))
        return lane.value(QStringLiteral("latency_ms"))
            .toObject()
            .value(QStringLiteral("p95"))
            .toDouble();
    if (metric == QStringLiteral("latency_p99_ms"))
        return lane.value(QStringLiteral("latency_ms"))
            .toObject()
            .value(QStringLiteral("p99"))
            .toDouble();
    return lane.value(metric).toDouble();
}

bool near(double a, double b)
{
    return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b));
}

QStringList sweepArgs(const QString &out, const QStringList &extra = {})
{
    return QStringList {QStringLiteral("sweep"), QStringLiteral("--scenarios"),
               QStringLiteral("seed-spike"), QStringLiteral("--controllers"),
               QStringLiteral("hpa,predictive,clairvoyant"), QStringLiteral("--seeds"),
               QStringLiteral("3"), QStringLiteral("--duration"), QStringLiteral("70"),
               QStringLiteral("--out"), out}
    + extra;
}

QStringList runFolders(const QString &out)
{
    return QDir(out + QStringLiteral("/runs")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
}

// A copy of the shipped model (and its metadata) in `dir`, as `alt.pt`; its path.
QString copyOfTheModel(const QTemporaryDir &dir)
{
    const QString pt = dir.filePath(QStringLiteral("alt.pt"));
    if (!QFile::copy(sourcePath(QStringLiteral("models/predictive.pt")), pt)
        || !QFile::copy(sourcePath(QStringLiteral("models/predictive.json")),
            dir.filePath(QStringLiteral("alt.json"))))
        return {};
    return pt;
}

// A copy of `from` (a sweep's output folder) in `to`, created.
bool copyFolder(const QString &from, const QString &to)
{
    const QDir source(from);
    if (!QDir().mkpath(to))
        return false;
    for (const QFileInfo &entry :
        source.entryInfoList(QDir::Dirs | QDir::Files | QDir::NoDotAndDotDot)) {
        const QString target = to + QLatin1Char('/') + entry.fileName();
        if (entry.isDir() ? !copyFolder(entry.filePath(), target)
                          : !QFile::copy(entry.filePath(), target))
            return false;
    }
    return true;
}

void writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        f.write(bytes);
}

// One lane of a run's summary.json.
QJsonObject laneOf(const QJsonObject &summary, const QString &controller)
{
    for (const auto &lane : summary.value(QStringLiteral("lanes")).toArray()) {
        if (lane.toObject().value(QStringLiteral("controller")).toString() == controller)
            return lane.toObject();
    }
    return {};
}

} // namespace

class TestSweep : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_full; // the full sweep, shared by several tests

private Q_SLOTS:
    void initTestCase()
    {
        m_full = std::make_unique<QTemporaryDir>();
        const Result r
            = runCli(sweepArgs(m_full->path(), {QStringLiteral("--jobs"), QStringLiteral("2")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void writesEveryFile()
    {
        const QDir d(m_full->path());
        QCOMPARE(runFolders(d.path()),
            (QStringList {QStringLiteral("seed-spike-seed1"), QStringLiteral("seed-spike-seed2"),
                QStringLiteral("seed-spike-seed3")}));
        for (const QString &name : runFolders(d.path()))
            QVERIFY(QFile::exists(
                d.filePath(QStringLiteral("runs/") + name + QStringLiteral("/summary.json"))));
        for (const char *name : {"sweep.csv", "sweep.json", "sweep.md", "charts/seed-spike.png",
                 "charts/seed-spike.svg"})
            QVERIFY2(QFile::exists(d.filePath(QLatin1String(name))), name);
        // The suite links no Qt Gui: a PNG signature and a sizeable file will do.
        const QByteArray png = readAll(d.filePath(QStringLiteral("charts/seed-spike.png")));
        QVERIFY(png.startsWith("\x89PNG\r\n\x1a\n"));
        QVERIFY(png.size() > 10000);
        QVERIFY(readAll(d.filePath(QStringLiteral("charts/seed-spike.svg"))).contains("<svg"));
    }

    void csvMeansMatchTheRunsAndIntervalsContainThem()
    {
        const auto rows = readCsv(m_full->filePath(QStringLiteral("sweep.csv")));
        QCOMPARE(rows.size(), 3);
        QStringList controllers;
        for (const auto &row : rows) {
            QCOMPARE(row.value(QStringLiteral("source")), QStringLiteral("seed-spike"));
            QCOMPARE(row.value(QStringLiteral("seeds")), QStringLiteral("3"));
            const QString controller = row.value(QStringLiteral("controller"));
            controllers << controller;
            for (const QString &metric : kMetrics) {
                double sum = 0.0;
                for (int seed = 1; seed <= 3; ++seed) {
                    const QJsonObject summary = readJson(m_full->filePath(
                        QStringLiteral("runs/seed-spike-seed%1/summary.json").arg(seed)));
                    QCOMPARE(summary.value(QStringLiteral("seed")).toInt(), seed);
                    for (const auto &lane : summary.value(QStringLiteral("lanes")).toArray()) {
                        if (lane.toObject().value(QStringLiteral("controller")).toString()
                            == controller)
                            sum += laneMetric(lane.toObject(), metric);
                    }
                }
                const double mean = row.value(metric + QStringLiteral("_mean")).toDouble();
                QVERIFY2(near(mean, sum / 3.0), qPrintable(controller + QLatin1Char(' ') + metric));
                const double low = row.value(metric + QStringLiteral("_ci95_low")).toDouble();
                const double high = row.value(metric + QStringLiteral("_ci95_high")).toDouble();
                QVERIFY2(low <= mean && mean <= high, qPrintable(metric));
                QVERIFY(near(mean - low, high - mean));
            }
        }
        QCOMPARE(controllers,
            (QStringList {QStringLiteral("hpa"), QStringLiteral("predictive"),
                QStringLiteral("clairvoyant")}));

        const QJsonObject json = readJson(m_full->filePath(QStringLiteral("sweep.json")));
        QVERIFY(json.value(QStringLiteral("command"))
                    .toString()
                    .contains(QStringLiteral("sweep --scenarios seed-spike")));
        const QJsonObject hpa = json.value(QStringLiteral("sources"))
                                    .toArray()
                                    .at(0)
                                    .toObject()
                                    .value(QStringLiteral("controllers"))
                                    .toArray()
                                    .at(0)
                                    .toObject();
        QCOMPARE(hpa.value(QStringLiteral("slo_violations"))
                     .toObject()
                     .value(QStringLiteral("values"))
                     .toArray()
                     .size(),
            3);
    }

    void markdownHasTheTableAndTheCommand()
    {
        const QString md = QString::fromUtf8(readAll(m_full->filePath(QStringLiteral("sweep.md"))));
        QVERIFY(md.contains(QStringLiteral("## seed-spike")));
        QVERIFY(
            md.contains(QStringLiteral("| controller | seeds | SLO violations | pod-seconds |")));
        for (const char *c : {"| hpa | 3 | ", "| predictive | 3 | ", "| clairvoyant | 3 | "})
            QVERIFY2(md.contains(QLatin1String(c)), c);
        QVERIFY(md.contains(QStringLiteral(" ± ")));
        QVERIFY(
            md.contains(QStringLiteral("headroom-cli sweep --scenarios seed-spike --controllers "
                                       "hpa,predictive,clairvoyant --seeds 3 --duration 70")));
    }

    void nasaTraceSliceRuns()
    {
        QTemporaryDir dir;
        // A shipped trace by its file name alone, from a folder that has no such file.
        const QString spec = QStringLiteral("nasa_http_jul1995_per_minute.csv@x60@from=0h@hours=6");
        QVERIFY(!QFile::exists(QStringLiteral("nasa_http_jul1995_per_minute.csv")));
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--traces"), spec,
            QStringLiteral("--controllers"), QStringLiteral("hpa,clairvoyant"),
            QStringLiteral("--seeds"), QStringLiteral("1"), QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString label = QStringLiteral("nasa_http_jul1995_per_minute@x60@from=0h@hours=6");
        const QJsonObject summary = readJson(
            dir.filePath(QStringLiteral("runs/") + label + QStringLiteral("-seed1/summary.json")));
        QCOMPARE(summary.value(QStringLiteral("duration_s")).toDouble(), 360.0); // 6 h / 60
        QVERIFY(summary.value(QStringLiteral("lanes"))
                    .toArray()
                    .at(0)
                    .toObject()
                    .value(QStringLiteral("requests"))
                    .toInt()
            > 5000);
        QVERIFY(QFile::exists(
            dir.filePath(QStringLiteral("charts/") + label + QStringLiteral(".png"))));
    }

    void emitsAnIndexedJob()
    {
        QTemporaryDir dir;
        const QStringList job = {QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("seed-spike"), QStringLiteral("--traces"),
            kNasa + QStringLiteral("@x60@from=0h@hours=6"), QStringLiteral("--seeds"),
            QStringLiteral("3"), QStringLiteral("--emit-k8s-job"), QStringLiteral("--parallelism"),
            QStringLiteral("2"), QStringLiteral("--out"), dir.path()};
        const Result r = runCli(job);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString yaml
            = QString::fromUtf8(readAll(dir.filePath(QStringLiteral("sweep-job.yaml"))));
        QVERIFY(yaml.contains(QStringLiteral("kind: Job")));
        QVERIFY(yaml.contains(QStringLiteral("completionMode: Indexed")));
        QVERIFY(yaml.contains(QStringLiteral("completions: 6\n")));
        QVERIFY(yaml.contains(QStringLiteral("parallelism: 2\n")));
        QVERIFY(yaml.contains(
            QStringLiteral("\"--index\"\n            - \"$(JOB_COMPLETION_INDEX)\"")));
        QVERIFY(yaml.contains(QStringLiteral("\"/results/index-$(JOB_COMPLETION_INDEX)\"")));
        QVERIFY(yaml.contains(QStringLiteral("image: \"headroom:latest\"")));
        QVERIFY(yaml.contains(QStringLiteral("emptyDir")));
        QVERIFY(yaml.contains(QStringLiteral("PersistentVolumeClaim")));
        const QJsonArray combos = readJson(dir.filePath(QStringLiteral("combinations.json")))
                                      .value(QStringLiteral("combinations"))
                                      .toArray();
        QCOMPARE(combos.size(), 6);
        QCOMPARE(combos.at(4).toObject().value(QStringLiteral("seed")).toInt(), 2);
        QCOMPARE(combos.at(4).toObject().value(QStringLiteral("source")).toString(),
            QStringLiteral("nasa_http_jul1995_per_minute@x60@from=0h@hours=6"));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("runs"))));
        checkWithKubectl(dir.filePath(QStringLiteral("sweep-job.yaml")));

        // Another sweep's Job in the same folder is refused, the files left as they were;
        // the same command writes its Job again.
        const QByteArray before = readAll(dir.filePath(QStringLiteral("sweep-job.yaml")));
        const Result other = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("ramp"), QStringLiteral("--seeds"), QStringLiteral("2"),
            QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), dir.path()});
        QCOMPARE(other.exitCode, 2);
        QVERIFY2(other.err.contains(QStringLiteral("already holds the Job of another sweep")),
            qPrintable(other.err));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("sweep-job.yaml"))), before);
        const Result again = runCli(job);
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        // --jobs changes no pod's command (they run --jobs 1): the same Job, written again.
        const Result jobs = runCli(QStringList(job) << QStringLiteral("--jobs=3"));
        QVERIFY2(jobs.exitCode == 0, qPrintable(jobs.err));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("sweep-job.yaml"))).count("\"--jobs\""), 1);
    }

    // The pods run what the sweep would: --duration with every digit (1234567 had gone to
    // the pods as 1.23457e+06, a scenario's 123456.6 as 123457, past its end), and the model
    // HEADROOM_MODEL names (the pods had run the image's shipped one).
    void aJobsPodsRunTheSweepsDurationAndModel()
    {
        QTemporaryDir dir;
        qputenv("HEADROOM_MODEL", "/models/mine.pt");
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--traces"),
            kNasa + QStringLiteral("@x60"), QStringLiteral("--controllers"), QStringLiteral("hpa,predictive"),
            QStringLiteral("--seeds"), QStringLiteral("1"), QStringLiteral("--duration"), QStringLiteral("43210.123456789"),
            QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), dir.path()});
        qunsetenv("HEADROOM_MODEL");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString yaml = QString::fromUtf8(readAll(dir.filePath(QStringLiteral("sweep-job.yaml"))));
        QVERIFY2(yaml.contains(QStringLiteral("- \"--duration\"\n            - \"43210.123456789\"\n")), qPrintable(yaml));
        QVERIFY2(yaml.contains(QStringLiteral("- \"--model\"\n            - \"/models/mine.pt\"\n")), qPrintable(yaml));
        // Without a predictive lane there is no model to pass.
        QTemporaryDir reactive;
        qputenv("HEADROOM_MODEL", "/models/mine.pt");
        const Result h = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"), QStringLiteral("seed-spike"),
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"), QStringLiteral("1"),
            QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), reactive.path()});
        qunsetenv("HEADROOM_MODEL");
        QVERIFY2(h.exitCode == 0, qPrintable(h.err));
        QVERIFY(!readAll(reactive.filePath(QStringLiteral("sweep-job.yaml"))).contains("--model"));
    }

    // A trace under a folder with an '@' in its name: the options follow the file's name, in
    // the label too ("nasa@x60@hours=1@hours=1" and "nasa@dir_nasa.csv" had been the labels).
    void aFolderWithAnAtSignIsThePaths()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("my@dir")));
        const QString trace = dir.filePath(QStringLiteral("my@dir/nasa.csv"));
        QVERIFY(QFile::copy(sourcePath(kNasa), trace));
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--traces"),
            trace + QStringLiteral("@x60@hours=1,") + trace, QStringLiteral("--controllers"), QStringLiteral("hpa"),
            QStringLiteral("--seeds"), QStringLiteral("1"), QStringLiteral("--duration"), QStringLiteral("60"),
            QStringLiteral("--out"), dir.filePath(QStringLiteral("out"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(runFolders(dir.filePath(QStringLiteral("out"))),
            QStringList({QStringLiteral("nasa-seed1"), QStringLiteral("nasa@x60@hours=1-seed1")}));
    }

    void aJobForAPathWithANewlineIsStillYaml()
    {
        // The header comment carries the command line: a newline in a quoted path ended the
        // comment, and the rest of the path was read as YAML.
        QTemporaryDir dir;
        const QString odd = dir.filePath(QStringLiteral("two\nlines"));
        QVERIFY(QDir().mkpath(odd));
        const QString scenario = odd + QStringLiteral("/s.json");
        QFile file(scenario);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"name": "s", "duration_s": 10, "segments": [
            {"type": "constant", "start_s": 0, "end_s": 10, "rate": 2}]})");
        file.close();
        const QString out = dir.filePath(QStringLiteral("job"));
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"), scenario,
            QStringLiteral("--seeds"), QStringLiteral("1"), QStringLiteral("--emit-k8s-job"),
            QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString yaml = QString::fromUtf8(readAll(out + QStringLiteral("/sweep-job.yaml")));
        const QStringList header = yaml.left(yaml.indexOf(QStringLiteral("apiVersion:"))).split('\n');
        for (const QString &line : header)
            QVERIFY2(line.isEmpty() || line.startsWith(QLatin1Char('#')), qPrintable(line));
        QVERIFY2(yaml.contains(QStringLiteral("#   lines/s.json")), qPrintable(yaml.left(400)));
        checkWithKubectl(out + QStringLiteral("/sweep-job.yaml"));
    }

    void indexRunsOneCombination()
    {
        QTemporaryDir dir;
        const Result r
            = runCli(sweepArgs(dir.path(), {QStringLiteral("--index"), QStringLiteral("1")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(runFolders(dir.path()), QStringList {QStringLiteral("seed-spike-seed2")});
        const auto rows = readCsv(dir.filePath(QStringLiteral("sweep.csv")));
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.first().value(QStringLiteral("seeds")), QStringLiteral("1"));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("runs/seed-spike-seed2/summary.json"))),
            readAll(m_full->filePath(QStringLiteral("runs/seed-spike-seed2/summary.json"))));
    }

    void mergeOfPartialOutputsEqualsTheFullSweep()
    {
        QTemporaryDir a, b1, b2, b, merged;
        for (const auto &[dir, index] : {std::pair {&a, "0"}, {&b1, "1"}, {&b2, "2"}}) {
            const Result r
                = runCli(sweepArgs(dir->path(), {QStringLiteral("--index"), QLatin1String(index)}));
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        }
        // Merged outputs merge again: the Job's folders can be combined in any grouping.
        Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), b1.path(), b2.path(),
            QStringLiteral("--out"), b.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), a.path(), b.path(),
            QStringLiteral("--out"), merged.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(runFolders(merged.path()).size(), 3);
        const QByteArray csv = readAll(merged.filePath(QStringLiteral("sweep.csv")));
        QVERIFY(!csv.isEmpty());
        QCOMPARE(csv, readAll(m_full->filePath(QStringLiteral("sweep.csv"))));
        for (const char *name :
            {"sweep.json", "sweep.md", "charts/seed-spike.png", "charts/seed-spike.svg"})
            QVERIFY2(QFile::exists(merged.filePath(QLatin1String(name))), name);
        QVERIFY(QString::fromUtf8(readAll(merged.filePath(QStringLiteral("sweep.md"))))
                    .contains(QStringLiteral("sweep --merge")));
    }

    void mergeRefusesDuplicatesAndMismatchedControllers()
    {
        QTemporaryDir one, hpaOnly, out;
        Result r = runCli(sweepArgs(one.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), m_full->path(), one.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains(QStringLiteral("duplicate run seed-spike seed 1")), qPrintable(r.err));

        r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("seed-spike"), QStringLiteral("--controllers"), QStringLiteral("hpa"),
            QStringLiteral("--seeds"), QStringLiteral("3"), QStringLiteral("--duration"),
            QStringLiteral("20"), QStringLiteral("--index"), QStringLiteral("1"),
            QStringLiteral("--out"), hpaOnly.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), hpaOnly.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("mismatched controllers")), qPrintable(r.err));

        // Into one of its own inputs: that folder's runs/ would take the other's runs.
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), m_full->path(),
            QStringLiteral("--out"), one.path() + QStringLiteral("/.")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("--out")), qPrintable(r.err));
        QCOMPARE(runFolders(one.path()).size(), 1);
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), m_full->path(),
            QStringLiteral("--out"), one.path() + QStringLiteral("/runs/x")});
        QCOMPARE(r.exitCode, 2);
        QCOMPARE(runFolders(one.path()).size(), 1);
    }

    // Parts of sweeps run with other options (here --max-replicas 2) were merged into one
    // report as if one sweep had run them all: refused, naming both folders and the option,
    // also when the odd part comes in through a merge of its own.
    void mergeRefusesPartsOfDifferentSweeps()
    {
        QTemporaryDir one, other, otherMerged, out;
        Result r = runCli(sweepArgs(one.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli(sweepArgs(other.path(), {QStringLiteral("--index"), QStringLiteral("1"),
            QStringLiteral("--max-replicas"), QStringLiteral("2")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), other.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(one.path()) && r.err.contains(other.path())
                && r.err.contains(QStringLiteral("--max-replicas 2")),
            qPrintable(r.err));
        QVERIFY(runFolders(out.path()).isEmpty());

        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), other.path(),
            QStringLiteral("--out"), otherMerged.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(),
            otherMerged.path(), QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(otherMerged.path()) && r.err.contains(QStringLiteral("--max-replicas")),
            qPrintable(r.err));

        // --jobs, --index and --out differ between any two parts of one sweep: still merged.
        QTemporaryDir two;
        r = runCli(sweepArgs(two.path(), {QStringLiteral("--index"), QStringLiteral("2"),
            QStringLiteral("--jobs"), QStringLiteral("1")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), two.path(),
            QStringLiteral("--out"), out.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // A scenario file named like a shipped scenario runs under the same label: "'seed-spike'
    // is listed twice" did not say which file; both entries are named.
    void sameLabelTwiceNamesBothEntries()
    {
        QTemporaryDir dir;
        const QString fake = dir.filePath(QStringLiteral("fake.json"));
        QFile file(fake);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"name": "seed-spike", "duration_s": 10, "segments": [
            {"type": "constant", "start_s": 0, "end_s": 10, "rate": 2}]})");
        file.close();
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("seed-spike,") + fake, QStringLiteral("--seeds"), QStringLiteral("1"),
            QStringLiteral("--out"), dir.filePath(QStringLiteral("out"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("'seed-spike' is listed twice"))
                && r.err.contains(QStringLiteral("'seed-spike' (--scenarios)"))
                && r.err.contains(QLatin1Char('\'') + fake + QStringLiteral("' (--scenarios)")),
            qPrintable(r.err));
    }

    // Each byte of "負荷" and "急増" became '_' in a source's label, and two distinct scenarios
    // were refused as one listed twice (a new-user trial). Letters of any script are kept in
    // the runs' folders, the charts, the CSV and combinations.json, and parts merge under them;
    // names that differ only in what a label replaces collapse, and the message says so.
    // A part labelled the ASCII way by an earlier version ("______") beside one labelled since
    // ("負荷"), both of one entry: merged, one source had split into two rows of one seed each.
    // Locks that name no live writer of the folder are no one's, for merge as for sweep: an empty
    // one (its writer died before writing it) had blocked every command for good, and a pid
    // reused by another program blocked merge while that program lived. One a live writer
    // holds is said before the folder is looked at, not as runs this sweep does not write,
    // with advice to remove the folder (a second trial).
    void locksAreJudgedByTheirHolder()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        const QStringList sweep {QStringLiteral("sweep"), QStringLiteral("--scenarios"), QStringLiteral("seed-spike"),
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"), QStringLiteral("1"),
            QStringLiteral("--duration"), QStringLiteral("20"), QStringLiteral("--out"), out};
        QVERIFY(QDir().mkpath(out));
        const QString lock = out + QStringLiteral("/.headroom-run.lock");
        writeAll(lock, "");
        Result r = runCli(sweep);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // This test's own process, alive, but not the program that wrote the lock.
        const QByteArray pid = QByteArray::number(QCoreApplication::applicationPid());
        const QByteArray host = QSysInfo::machineHostName().toUtf8();
        writeAll(lock, pid + "\nheadroom-cli\n" + host + "\n");
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), out, QStringLiteral("--out"),
            dir.filePath(QStringLiteral("merged"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // The same process as the lock's writer: a live sweep, said so at once.
        writeAll(lock, pid + "\n" + QFileInfo(QCoreApplication::applicationFilePath()).fileName().toUtf8() + "\n" + host + "\n");
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"), QStringLiteral("ramp"),
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"), QStringLiteral("1"),
            QStringLiteral("--out"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("is being written by another sweep (or run) (process %1)").arg(QString::fromUtf8(pid))), qPrintable(r.err));
        r = runCli({QStringLiteral("run"), QStringLiteral("--scenario"), QStringLiteral("ramp"), QStringLiteral("--out"), out});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("is being written by another run (process %1)").arg(QString::fromUtf8(pid))), qPrintable(r.err));
    }

    void oneEntryUnderTwoLabelsIsNotMerged()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("jp.json"));
        writeAll(path, QStringLiteral(R"({"name": "負荷", "duration_s": 10, "segments": [
            {"type": "constant", "start_s": 0, "end_s": 10, "rate": 2}]})").toUtf8());
        const QStringList args {QStringLiteral("sweep"), QStringLiteral("--scenarios"), path,
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"), QStringLiteral("2")};
        const QString older = dir.filePath(QStringLiteral("older")), newer = dir.filePath(QStringLiteral("newer"));
        Result r = runCli(args + QStringList {QStringLiteral("--index"), QStringLiteral("0"), QStringLiteral("--out"), older});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli(args + QStringList {QStringLiteral("--index"), QStringLiteral("1"), QStringLiteral("--out"), newer});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // The part as the earlier version wrote it: its folder, source and scenario "______".
        const QString ascii = older + QStringLiteral("/runs/______-seed1");
        QVERIFY(QDir().rename(older + QStringLiteral("/runs/負荷-seed1"), ascii));
        for (const char *file : {"sweep-run.json", "summary.json"}) {
            const QString at = ascii + QLatin1Char('/') + QString::fromLatin1(file);
            QByteArray bytes;
            {
                QFile f(at);
                QVERIFY(f.open(QIODevice::ReadOnly));
                bytes = f.readAll();
            }
            writeAll(at, bytes.replace(QStringLiteral("\"負荷\"").toUtf8(), "\"______\""));
        }
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), older, newer, QStringLiteral("--out"),
            dir.filePath(QStringLiteral("merged"))});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("is labelled '______' in ")) && r.err.contains(QStringLiteral("and '負荷' in ")),
            qPrintable(r.err));
    }

    void distinctNamesInAnyScriptAreDistinctSources()
    {
        QTemporaryDir dir;
        const auto scenario = [&dir](const QString &file, const QString &name) {
            const QString path = dir.filePath(file);
            writeAll(path, QStringLiteral(R"({"name": "%1", "duration_s": 10, "segments": [
                {"type": "constant", "start_s": 0, "end_s": 10, "rate": 2}]})").arg(name).toUtf8());
            return path;
        };
        const QString entries = scenario(QStringLiteral("jp1.json"), QStringLiteral("負荷")) + QLatin1Char(',')
            + scenario(QStringLiteral("jp2.json"), QStringLiteral("急増")) + QLatin1Char(',')
            + scenario(QStringLiteral("mixed.json"), QStringLiteral("ünï cødé/名前"));
        const QStringList args {QStringLiteral("sweep"), QStringLiteral("--scenarios"), entries,
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"), QStringLiteral("1")};
        const QString out = dir.filePath(QStringLiteral("out"));
        const Result r = runCli(args + QStringList {QStringLiteral("--out"), out});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QStringList labels {QStringLiteral("負荷"), QStringLiteral("急増"), QStringLiteral("ünï_cødé_名前")};
        QStringList folders;
        for (const QString &label : labels)
            folders.push_back(label + QStringLiteral("-seed1"));
        folders.sort();
        QStringList written = runFolders(out);
        written.sort();
        QCOMPARE(written, folders);
        QStringList sources;
        for (const auto &row : readCsv(out + QStringLiteral("/sweep.csv")))
            sources.push_back(row.value(QStringLiteral("source")));
        QCOMPARE(sources, labels);
        for (const QString &label : labels)
            QVERIFY2(QFile::exists(out + QStringLiteral("/charts/") + label + QStringLiteral(".png")), qPrintable(label));

        // An Indexed Job's parts, merged under the same labels.
        const QString job = dir.filePath(QStringLiteral("job"));
        QCOMPARE(runCli(args + QStringList {QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), job}).exitCode, 0);
        const QJsonArray combinations
            = readJson(job + QStringLiteral("/combinations.json")).value(QStringLiteral("combinations")).toArray();
        QCOMPARE(combinations.size(), 3);
        QCOMPARE(combinations[0].toObject().value(QStringLiteral("source")).toString(), labels[0]);
        QStringList merge {QStringLiteral("sweep"), QStringLiteral("--merge")};
        for (int k = 0; k < 3; ++k) {
            const QString part = dir.filePath(QStringLiteral("index-%1").arg(k));
            const Result p = runCli(args + QStringList {QStringLiteral("--index"), QString::number(k), QStringLiteral("--out"), part});
            QVERIFY2(p.exitCode == 0, qPrintable(p.err));
            merge.push_back(part);
        }
        const QString merged = dir.filePath(QStringLiteral("merged"));
        const Result m = runCli(merge + QStringList {QStringLiteral("--out"), merged});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        written = runFolders(merged);
        written.sort();
        QCOMPARE(written, folders);
        QCOMPARE(readAll(merged + QStringLiteral("/sweep.csv")), readAll(out + QStringLiteral("/sweep.csv")));

        // "a b" and "a/b" are both a_b: two sources under one label, said to collapse.
        const Result same = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            scenario(QStringLiteral("space.json"), QStringLiteral("a b")) + QLatin1Char(',')
                + scenario(QStringLiteral("slash.json"), QStringLiteral("a/b")),
            QStringLiteral("--seeds"), QStringLiteral("1"), QStringLiteral("--out"), dir.filePath(QStringLiteral("ab"))});
        QCOMPARE(same.exitCode, 2);
        QVERIFY2(same.err.contains(QStringLiteral("'a_b' is listed twice")) && same.err.contains(QStringLiteral("collapse to one")),
            qPrintable(same.err));
    }

    // Two sweeps into one --out were both accepted: runs/ held the first's seeds 1-3 under the
    // second's --seeds 2 report, both exit 0 (a new-user trial). A sweep holds its --out while it
    // writes, with the lock run takes there: another sweep, a merge or a Job's emission into it is
    // refused at once, naming the folder and the holder; an --index part locks its own folder.
    void aFolderBeingWrittenIsRefused()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out"));
        QVERIFY(QDir().mkpath(out));
        QLockFile held(out + QStringLiteral("/.headroom-run.lock")); // as a running sweep holds it
        QVERIFY(held.tryLock(0));
        const QString says = out + QStringLiteral(" is being written by another sweep (or run) (process ")
            + QString::number(QCoreApplication::applicationPid()) + QLatin1Char(')');
        const QStringList small {QStringLiteral("sweep"), QStringLiteral("--scenarios"), QStringLiteral("seed-spike"),
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"), QStringLiteral("2"),
            QStringLiteral("--duration"), QStringLiteral("10")};
        const QList<QStringList> refused {small + QStringList {QStringLiteral("--out"), out},
            small + QStringList {QStringLiteral("--index"), QStringLiteral("0"), QStringLiteral("--out"), out},
            small + QStringList {QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), out},
            {QStringLiteral("sweep"), QStringLiteral("--merge"), m_full->path(), QStringLiteral("--out"), out}};
        for (const QStringList &args : refused) {
            const Result r = runCli(args);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(says), qPrintable(r.err));
        }
        QVERIFY(QDir(out).isEmpty());
        // Nor is a part a sweep is still writing merged: its runs are not all there yet.
        const Result partial = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), m_full->path(), out,
            QStringLiteral("--out"), dir.filePath(QStringLiteral("merged"))});
        QCOMPARE(partial.exitCode, 2);
        QVERIFY2(partial.err.contains(out + QStringLiteral(" is being written by a sweep: its runs are not all there yet")),
            qPrintable(partial.err));
        QVERIFY(held.isLocked()); // read, not taken over
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("merged"))));
        // Another part's folder is its own; and once the holder is gone, the folder is free.
        const Result part = runCli(small + QStringList {QStringLiteral("--index"), QStringLiteral("1"), QStringLiteral("--out"), dir.filePath(QStringLiteral("index-1"))});
        QVERIFY2(part.exitCode == 0, qPrintable(part.err));
        held.unlock();
        const Result free = runCli(small + QStringList {QStringLiteral("--out"), out});
        QVERIFY2(free.exitCode == 0, qPrintable(free.err));
        // A lock left on a shared volume by a Job pod on another machine (killed, then retried
        // under another host name) is taken over, or the retry would be refused for ever.
        const QString retried = dir.filePath(QStringLiteral("index-0"));
        QVERIFY(QDir().mkpath(retried));
        writeAll(retried + QStringLiteral("/.headroom-run.lock"), "1\nheadroom-cli\nheadroom-sweep-0-xk2p9\n");
        const Result retry = runCli(small + QStringList {QStringLiteral("--index"), QStringLiteral("0"), QStringLiteral("--out"), retried});
        QVERIFY2(retry.exitCode == 0, qPrintable(retry.err));
        QVERIFY(!QFileInfo::exists(retried + QStringLiteral("/.headroom-run.lock")));

        // The trial's two sweeps, for real: the second, started as the first has made its
        // folder, is refused (by the lock while the first runs, by its report once it is done).
        const QString both = dir.filePath(QStringLiteral("both"));
        const QString trace = sourcePath(kNasa) + QStringLiteral("@hours=300");
        const QStringList sweep {QStringLiteral("sweep"), QStringLiteral("--traces"), trace, QStringLiteral("--controllers"),
            QStringLiteral("hpa,predictive"), QStringLiteral("--out"), both, QStringLiteral("--seeds")};
        QProcess first;
        first.start(headroom::test::cliPath(), sweep + QStringList {QStringLiteral("3"), QStringLiteral("--jobs"), QStringLiteral("2")});
        QVERIFY(first.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(both) || first.state() == QProcess::NotRunning, 60000);
        const Result second = runCli(sweep + QStringList {QStringLiteral("2"), QStringLiteral("--jobs"), QStringLiteral("1")});
        QVERIFY(first.waitForFinished(240000));
        QCOMPARE(first.exitCode(), 0);
        QCOMPARE(second.exitCode, 2);
        QVERIFY2(second.err.contains(both), qPrintable(second.err));
        QVERIFY2(readJson(both + QStringLiteral("/sweep.json")).value(QStringLiteral("command")).toString().contains(QStringLiteral("--seeds 3")),
            qPrintable(readAll(both + QStringLiteral("/sweep.json")).left(400)));
        QCOMPARE(runFolders(both).size(), 3);
    }

    // A scenario file whose "name" is a shipped scenario's runs under the same label: a part
    // of a sweep of the file merged with a part of a sweep of the shipped scenario, the report
    // averaging two experiments as one source's seeds. Refused, naming both folders and entries.
    void mergeRefusesDifferentSourcesUnderOneName()
    {
        QTemporaryDir files, shipped, file, out;
        const QString fake = files.filePath(QStringLiteral("seed-spike.json"));
        QFile f(fake);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"name": "seed-spike", "duration_s": 70, "segments": [
            {"type": "constant", "start_s": 0, "end_s": 70, "rate": 2}]})");
        f.close();
        Result r = runCli(sweepArgs(shipped.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QStringList args = sweepArgs(file.path(), {QStringLiteral("--index"), QStringLiteral("1")});
        args[args.indexOf(QStringLiteral("seed-spike"))] = fake;
        r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), shipped.path(), file.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(shipped.path()) && r.err.contains(file.path())
                && r.err.contains(QStringLiteral("'seed-spike'")) && r.err.contains(fake),
            qPrintable(r.err));
        QVERIFY(runFolders(out.path()).isEmpty());
    }

    // A part whose sweep.json records no sweep command (a merge of outputs older than the
    // command) was not compared at all: its runs of 20 s merged with the others' of 70 s.
    // What the runs' summary.json record is compared, per source.
    void mergeComparesWhatTheRunsRecord()
    {
        QTemporaryDir one, other, out;
        Result r = runCli(sweepArgs(one.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QStringList args = sweepArgs(other.path(), {QStringLiteral("--index"), QStringLiteral("1")});
        args[args.indexOf(QStringLiteral("70"))] = QStringLiteral("20");
        r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        writeAll(other.filePath(QStringLiteral("sweep.json")),
            R"({"command": "headroom-cli sweep --merge older --out here"})");
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), other.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(one.path()) && r.err.contains(other.path())
                && r.err.contains(QStringLiteral("duration_s")),
            qPrintable(r.err));
        QVERIFY(runFolders(out.path()).isEmpty());
    }

    // The same for the cluster a run's summary.json records (its preset and fields): two
    // parts whose runs record other clusters are two sweeps, whatever their commands say.
    void mergeComparesTheClustersTheRunsRecord()
    {
        QTemporaryDir one, other, out;
        Result r = runCli(sweepArgs(one.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli(sweepArgs(other.path(), {QStringLiteral("--index"), QStringLiteral("1")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        writeAll(other.filePath(QStringLiteral("sweep.json")),
            R"({"command": "headroom-cli sweep --merge older --out here"})");
        const QString summaryPath = other.filePath(QStringLiteral("runs/seed-spike-seed2/summary.json"));
        QJsonObject summary = readJson(summaryPath);
        QCOMPARE(summary.value(QStringLiteral("cluster")).toObject().value(QStringLiteral("pod_starting_s")).toDouble(), 4.0);
        QJsonObject cluster = summary.value(QStringLiteral("cluster")).toObject();
        cluster.insert(QStringLiteral("pod_starting_s"), 9);
        summary.insert(QStringLiteral("cluster"), cluster);
        writeAll(summaryPath, QJsonDocument(summary).toJson());
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), other.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("cluster.pod_starting_s 4")) && r.err.contains(QStringLiteral("cluster.pod_starting_s 9")),
            qPrintable(r.err));
        QVERIFY(runFolders(out.path()).isEmpty());
        // A field that is no number is named.
        cluster.insert(QStringLiteral("pod_starting_s"), QStringLiteral("slow"));
        summary.insert(QStringLiteral("cluster"), cluster);
        writeAll(summaryPath, QJsonDocument(summary).toJson());
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), other.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("cluster.pod_starting_s")) && r.err.contains(QStringLiteral("not a finite number")),
            qPrintable(r.err));
    }

    // A part run with --max-replicas 2 whose sweep.json was damaged (or lost) was merged with
    // a part run without it, exit 0, the merge recording the other part's command: the
    // damaged file was read as one that records no command. Refused, naming the file and the
    // field. Runs with their sweep-run.json come from a sweep, which writes sweep.json once
    // they are done: without one the part is unfinished or damaged.
    void mergeRefusesADamagedOrMissingSweepJson()
    {
        QTemporaryDir one, other;
        Result r = runCli(sweepArgs(one.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli(sweepArgs(other.path(), {QStringLiteral("--index"), QStringLiteral("1"),
            QStringLiteral("--max-replicas"), QStringLiteral("2")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QList<std::pair<QByteArray, QString>> damages {
            {QByteArray("{\"comm"), QStringLiteral("sweep.json: not valid JSON")},
            {R"({"command": 42})", QStringLiteral("sweep.json, field 'command': not a command line")},
            {R"({"controllers": ["hpa"]})", QStringLiteral("sweep.json, field 'command': missing")},
            {R"({"command": "headroom-cli sweep --merge a --out b", "sweep_command": [1]})",
                QStringLiteral("sweep.json, field 'sweep_command'")},
            {QByteArray(), QStringLiteral("sweep.json: missing")}};
        for (const auto &[bytes, expected] : damages) {
            QTemporaryDir dir, out;
            const QString part = dir.filePath(QStringLiteral("part"));
            QVERIFY(copyFolder(other.path(), part));
            if (bytes.isEmpty())
                QVERIFY(QFile::remove(part + QStringLiteral("/sweep.json")));
            else
                writeAll(part + QStringLiteral("/sweep.json"), bytes);
            r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), part,
                QStringLiteral("--out"), out.path()});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(part + QLatin1Char('/') + expected), qPrintable(r.err));
            QVERIFY(runFolders(out.path()).isEmpty());
        }
    }

    // Each run's summary.json was averaged in unchecked: more violations than requests, a
    // fraction of a request, p50 above p95, more pods than a cluster has, a seed or scenario
    // that is not the run's. A run without its sweep-run.json went unchecked against the
    // other parts' sources and models. Each refused, naming the file and the field; and an
    // edited seed named a folder that does not exist (runs/seed-spike-seed1 for
    // runs/seed-spike-seed2): messages name the run's own folder.
    void mergeRefusesRunsWhoseFilesDisagree()
    {
        QTemporaryDir one, two;
        Result r = runCli(sweepArgs(one.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli(sweepArgs(two.path(), {QStringLiteral("--index"), QStringLiteral("1")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString run = QStringLiteral("/runs/seed-spike-seed2/");
        const auto laneAt = [](int i, const std::function<void(QJsonObject &)> &edit) {
            return [i, edit](QJsonObject &summary) {
                QJsonArray lanes = summary.value(QStringLiteral("lanes")).toArray();
                QJsonObject lane = lanes.at(i).toObject();
                edit(lane);
                lanes[i] = lane;
                summary[QStringLiteral("lanes")] = lanes;
            };
        };
        const auto lane0 = [&laneAt](const std::function<void(QJsonObject &)> &edit) {
            return laneAt(0, edit);
        };
        struct Edit
        {
            QString file; // under the run's folder; its JSON edited, or removed without an edit
            std::function<void(QJsonObject &)> edit;
            QString expected; // after the run's folder
        };
        const QList<Edit> edits {
            {QStringLiteral("summary.json"),
                lane0([](QJsonObject &l) { l[QStringLiteral("slo_violations")] = 5000; }),
                QStringLiteral("summary.json, field 'lanes[0].slo_violations': 5000, more than the lane's")},
            // Every dropped request violated the SLO (the HPA drops hundreds in seed-spike).
            {QStringLiteral("summary.json"),
                lane0([](QJsonObject &l) { l[QStringLiteral("slo_violations")] = 0; }),
                QStringLiteral("summary.json, field 'lanes[0].slo_violations': 0, fewer than the lane's")},
            {QStringLiteral("summary.json"),
                lane0([](QJsonObject &l) { l[QStringLiteral("requests")] = 1.5; }),
                QStringLiteral("summary.json, field 'lanes[0].requests': 1.5, not a whole number")},
            {QStringLiteral("summary.json"), lane0([](QJsonObject &l) {
                 QJsonObject latency = l.value(QStringLiteral("latency_ms")).toObject();
                 latency[QStringLiteral("p50")] = 99999;
                 l[QStringLiteral("latency_ms")] = latency;
             }),
                QStringLiteral("summary.json, field 'lanes[0].latency_ms.p50': 99999 ms, above the latency_ms.p95")},
            {QStringLiteral("summary.json"),
                lane0([](QJsonObject &l) { l[QStringLiteral("peak_pods")] = 5000; }),
                QStringLiteral("summary.json, field 'lanes[0].peak_pods': 5000, more than a cluster can have (1000)")},
            // Seconds and pod-seconds beyond what the run's 70 s hold.
            {QStringLiteral("summary.json"),
                lane0([](QJsonObject &l) { l[QStringLiteral("pod_seconds")] = 1e12; }),
                QStringLiteral("summary.json, field 'lanes[0].pod_seconds': 1e+12, more than ten times what the lane's ")},
            {QStringLiteral("summary.json"),
                lane0([](QJsonObject &l) { l[QStringLiteral("peak_pods")] = 0; }),
                QStringLiteral("summary.json, field 'lanes[0].peak_pods': 0, but the lane has ")},
            {QStringLiteral("summary.json"),
                lane0([](QJsonObject &l) { l[QStringLiteral("violation_seconds")] = 100000; }),
                QStringLiteral("summary.json, field 'lanes[0].violation_seconds': 100000 s, more than the run's duration_s of 70 s")},
            {QStringLiteral("summary.json"),
                laneAt(1, [](QJsonObject &l) { l[QStringLiteral("fallback_s")] = 72; }),
                QStringLiteral("summary.json, field 'lanes[1].fallback_s': 72 s, more than the run's duration_s of 70 s")},
            {QStringLiteral("summary.json"), lane0([](QJsonObject &l) {
                 QJsonObject p = l.value(QStringLiteral("provisioning")).toObject();
                 p[QStringLiteral("reference_capped")]
                     = QJsonObject {{QStringLiteral("pods"), 3}, {QStringLiteral("seconds"), 500}};
                 l[QStringLiteral("provisioning")] = p;
             }),
                QStringLiteral("summary.json, field 'lanes[0].provisioning.reference_capped.seconds': 500 s, more than")},
            // A lane given twice (a trial: the merge read the first and said nothing).
            {QStringLiteral("summary.json"), [](QJsonObject &s) {
                 QJsonArray lanes = s.value(QStringLiteral("lanes")).toArray();
                 QJsonObject again = lanes.at(0).toObject();
                 again[QStringLiteral("slo_violations")] = 1;
                 lanes.append(again);
                 s[QStringLiteral("lanes")] = lanes;
             },
                QStringLiteral("summary.json, field 'lanes[3].controller': 'hpa' again (lanes[0] too)")},
            {QStringLiteral("summary.json"),
                [](QJsonObject &s) { s[QStringLiteral("seed")] = 99; },
                QStringLiteral("summary.json, field 'seed': 99, but ")},
            {QStringLiteral("summary.json"),
                [](QJsonObject &s) { s[QStringLiteral("scenario")] = QStringLiteral("other"); },
                QStringLiteral("summary.json, field 'scenario': 'other'")},
            {QStringLiteral("sweep-run.json"), nullptr, QStringLiteral("sweep-run.json: missing")},
            {QStringLiteral("sweep-run.json"),
                [](QJsonObject &m) { m[QStringLiteral("seed")] = 1; },
                QStringLiteral("summary.json, field 'seed': 2, but ")},
            {QStringLiteral("sweep-run.json"),
                [](QJsonObject &m) { m[QStringLiteral("seed")] = QStringLiteral("2"); },
                QStringLiteral("sweep-run.json, field 'seed'")}};
        for (const Edit &e : edits) {
            QTemporaryDir dir, out;
            const QString part = dir.filePath(QStringLiteral("part"));
            QVERIFY(copyFolder(two.path(), part));
            const QString file = part + run + e.file;
            if (e.edit) {
                QJsonObject j = readJson(file);
                e.edit(j);
                writeAll(file, QJsonDocument(j).toJson());
            } else {
                QVERIFY(QFile::remove(file));
            }
            r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), part,
                QStringLiteral("--out"), out.path()});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(part + run + e.expected), qPrintable(r.err));
            QVERIFY2(!r.err.contains(part + QStringLiteral("/runs/seed-spike-seed1")), qPrintable(r.err));
            QVERIFY(runFolders(out.path()).isEmpty());
        }
        // Unedited, the parts merge.
        QTemporaryDir out;
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), two.path(),
            QStringLiteral("--out"), out.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // HEADROOM_MODEL chose another model for one part: the command lines were the same, so
    // the parts merged. Each run records its predictive lanes' model (file, weights_sha256).
    void mergeRefusesPartsRunOnOtherModels()
    {
        QTemporaryDir one, other, out;
        Result r = runCli(sweepArgs(one.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject model = readJson(one.filePath(QStringLiteral("runs/seed-spike-seed1/sweep-run.json")))
                                      .value(QStringLiteral("models"))
                                      .toObject()
                                      .value(QStringLiteral("predictive"))
                                      .toObject();
        const QString shipped = readJson(sourcePath(QStringLiteral("models/predictive.json")))
                                    .value(QStringLiteral("weights_sha256"))
                                    .toString();
        QVERIFY(!shipped.isEmpty());
        QCOMPARE(model.value(QStringLiteral("weights_sha256")).toString(), shipped);
        QVERIFY(model.value(QStringLiteral("path")).toString().endsWith(QStringLiteral("predictive.pt")));

        qputenv("HEADROOM_MODEL", sourcePath(QStringLiteral("models/predictive-nasa.pt")).toUtf8());
        r = runCli(sweepArgs(other.path(), {QStringLiteral("--index"), QStringLiteral("1")}));
        qunsetenv("HEADROOM_MODEL");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString nasa = readJson(sourcePath(QStringLiteral("models/predictive-nasa.json")))
                                 .value(QStringLiteral("weights_sha256"))
                                 .toString();
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), other.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(one.path()) && r.err.contains(other.path())
                && r.err.contains(QStringLiteral("predictive")) && r.err.contains(shipped)
                && r.err.contains(nasa),
            qPrintable(r.err));
        QVERIFY(runFolders(out.path()).isEmpty());

        // Runs without the record (older sweeps) merge as before.
        for (const QTemporaryDir *dir : {&one, &other}) {
            const QString meta = dir->filePath(QStringLiteral("runs/seed-spike-seed%1/sweep-run.json")
                                                   .arg(dir == &one ? 1 : 2));
            QJsonObject j = readJson(meta);
            j.remove(QStringLiteral("models"));
            QFile f(meta);
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QJsonDocument(j).toJson());
        }
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), other.path(),
            QStringLiteral("--out"), out.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    // A predictive lane whose default model cannot be loaded ran its reactive rule in every
    // run, said only by the report at the end (a new-user trial): a note says so first.
    void aLaneWithoutItsModelIsSaidBeforeTheRuns()
    {
        QTemporaryDir out;
        qputenv("HEADROOM_MODEL", "/nonexistent/default.pt");
        const Result r = runCli(sweepArgs(out.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        qunsetenv("HEADROOM_MODEL");
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("note: the predictive lane has no model, HEADROOM_MODEL=/nonexistent/default.pt could not be loaded ("))
                && r.err.contains(QStringLiteral("): it runs its reactive rule throughout in every run")),
            qPrintable(r.err));
    }

    // One entry, two files: a trace named by its file name is the local file where one part
    // ran and the shipped one where the other did. The merge averaged a 3-request trace with
    // the 19,366-request one. Each run records its source file's sha256, which the merge compares.
    void mergeRefusesOneEntryReadFromTwoFiles()
    {
        QTemporaryDir here, one, other, out;
        const QString name = QStringLiteral("AzureLLMInferenceTrace_conv.csv");
        {
            QFile local(here.filePath(name));
            QVERIFY(local.open(QIODevice::WriteOnly));
            local.write("TIMESTAMP,ContextTokens,GeneratedTokens\n"
                        "2023-11-16 18:15:46.0,374,44\n2023-11-16 18:15:50.0,396,109\n"
                        "2023-11-16 18:15:55.0,100,20\n");
        }
        const QStringList part {QStringLiteral("sweep"), QStringLiteral("--traces"), name,
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"),
            QStringLiteral("2"), QStringLiteral("--duration"), QStringLiteral("20")};
        Result r = runCli(part + QStringList {QStringLiteral("--index"), QStringLiteral("0"),
                              QStringLiteral("--out"), one.path()},
            240000, here.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli(part + QStringList {QStringLiteral("--index"), QStringLiteral("1"),
                       QStringLiteral("--out"), other.path()},
            240000, other.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QString shipped = readJson(other.filePath(
            QStringLiteral("runs/AzureLLMInferenceTrace_conv-seed2/sweep-run.json")))
                                    .value(QStringLiteral("source_sha256"))
                                    .toString();
        QCOMPARE(shipped.size(), 64);
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), other.path(),
            QStringLiteral("--out"), out.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(one.path()) && r.err.contains(other.path())
                && r.err.contains(shipped) && r.err.contains(QStringLiteral("different sources")),
            qPrintable(r.err));
        QVERIFY(runFolders(out.path()).isEmpty());

        // And the other way round: the shipped trace by its bare name in one part and by its
        // absolute path in the other is one source.
        QTemporaryDir absolute, merged;
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--traces"),
                       sourcePath(QStringLiteral("resources/traces/")) + name, QStringLiteral("--controllers"),
                       QStringLiteral("hpa"), QStringLiteral("--seeds"), QStringLiteral("2"),
                       QStringLiteral("--duration"), QStringLiteral("20"), QStringLiteral("--index"),
                       QStringLiteral("0"), QStringLiteral("--out"), absolute.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), absolute.path(), other.path(),
            QStringLiteral("--out"), merged.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(runFolders(merged.path()).size(), 2);
    }

    // The recorded options were compared as written: --duration 70 and 70.0, or a model path
    // with and without "./", were refused as different sweeps; so was a relative and an
    // absolute path to the same model. Numbers compare as numbers, and models by the weights
    // each run records.
    void mergeComparesOptionsByValueNotSpelling()
    {
        QTemporaryDir one, two, out;
        QVERIFY(!QFile::exists(QStringLiteral("models/predictive.pt"))); // the shipped one, found
        Result r = runCli(sweepArgs(one.path(), {QStringLiteral("--index"), QStringLiteral("0"),
            QStringLiteral("--model"), QStringLiteral("models/predictive.pt")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QStringList args = sweepArgs(two.path(), {QStringLiteral("--index"), QStringLiteral("1"),
            QStringLiteral("--model"), sourcePath(QStringLiteral("models/./predictive.pt"))});
        args[args.indexOf(QStringLiteral("70"))] = QStringLiteral("70.0");
        r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), one.path(), two.path(),
            QStringLiteral("--out"), out.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(runFolders(out.path()).size(), 2);
    }

    // A model the user named is recorded as named: --model /tmp/m.pt, run from /, had read
    // tmp/m.pt. The shipped model found beside the program stays relative to where it ran.
    void aNamedModelIsRecordedAsNamed()
    {
        QTemporaryDir models, out;
        const QString alt = copyOfTheModel(models);
        QVERIFY(!alt.isEmpty() && QDir::isAbsolutePath(alt));
        const Result r = runCli(sweepArgs(out.path(), {QStringLiteral("--index"), QStringLiteral("0"),
                                    QStringLiteral("--model"), alt}),
            240000, QStringLiteral("/"));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject model = readJson(out.filePath(QStringLiteral("runs/seed-spike-seed1/sweep-run.json")))
                                      .value(QStringLiteral("models"))
                                      .toObject()
                                      .value(QStringLiteral("predictive"))
                                      .toObject();
        QCOMPARE(model.value(QStringLiteral("path")).toString(), alt);
    }

    void labelledModelsAndTheGapToClairvoyant()
    {
        QTemporaryDir models, dir;
        const QString alt = copyOfTheModel(models);
        QVERIFY(!alt.isEmpty());
        const QStringList args {QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("seed-spike"), QStringLiteral("--controllers"),
            QStringLiteral("hpa,predictive,predictive-alt,clairvoyant"), QStringLiteral("--models"),
            QStringLiteral("alt=") + alt, QStringLiteral("--seeds"), QStringLiteral("2"),
            QStringLiteral("--duration"), QStringLiteral("50"), QStringLiteral("--jobs"),
            QStringLiteral("2")};
        const Result r = runCli(args + QStringList {QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));

        const auto rows = readCsv(dir.filePath(QStringLiteral("sweep.csv")));
        QCOMPARE(rows.size(), 4);
        QMap<QString, QMap<QString, QString>> byLane;
        for (const auto &row : rows)
            byLane[row.value(QStringLiteral("controller"))] = row;
        QCOMPARE(byLane.keys(),
            (QStringList {QStringLiteral("clairvoyant"), QStringLiteral("hpa"),
                QStringLiteral("predictive"), QStringLiteral("predictive-alt")}));
        // The same model under another name: the same lane, number for number.
        const auto &predictive = byLane[QStringLiteral("predictive")];
        const auto &alternative = byLane[QStringLiteral("predictive-alt")];
        QCOMPARE(predictive.value(QStringLiteral("seeds")), QStringLiteral("2"));
        for (auto it = predictive.begin(); it != predictive.end(); ++it) {
            if (it.key() != QStringLiteral("controller"))
                QVERIFY2(alternative.value(it.key()) == it.value(), qPrintable(it.key()));
        }

        // The gap columns, recomputed seed by seed from the runs' summaries.
        for (const QString &column : {QStringLiteral("violations_over_clairvoyant_mean"),
                 QStringLiteral("cost_ratio_mean"), QStringLiteral("cost_ratio_ci95_low"),
                 QStringLiteral("cost_ratio_ci95_high")})
            QVERIFY2(rows.first().contains(column), qPrintable(column));
        QMap<QString, double> ratio, over;
        for (const QString &lane : byLane.keys()) {
            double ratioSum = 0.0;
            double overSum = 0.0;
            for (int seed = 1; seed <= 2; ++seed) {
                const QJsonObject summary = readJson(
                    dir.filePath(QStringLiteral("runs/seed-spike-seed%1/summary.json").arg(seed)));
                const QJsonObject l = laneOf(summary, lane);
                const QJsonObject oracle = laneOf(summary, QStringLiteral("clairvoyant"));
                QVERIFY(l.value(QStringLiteral("available")).toBool());
                ratioSum += l.value(QStringLiteral("pod_seconds")).toDouble()
                    / oracle.value(QStringLiteral("pod_seconds")).toDouble();
                overSum += l.value(QStringLiteral("slo_violations")).toDouble()
                    - oracle.value(QStringLiteral("slo_violations")).toDouble();
            }
            ratio[lane] = ratioSum / 2.0;
            over[lane] = overSum / 2.0;
            const auto &row = byLane[lane];
            if (lane == QStringLiteral("clairvoyant")) {
                QVERIFY(row.value(QStringLiteral("cost_ratio_mean")).isEmpty());
                QVERIFY(row.value(QStringLiteral("violations_over_clairvoyant_mean")).isEmpty());
                continue;
            }
            QVERIFY2(near(row.value(QStringLiteral("cost_ratio_mean")).toDouble(), ratio[lane]),
                qPrintable(lane));
            QVERIFY2(near(row.value(QStringLiteral("violations_over_clairvoyant_mean")).toDouble(),
                         over[lane]),
                qPrintable(lane));
            const double low = row.value(QStringLiteral("cost_ratio_ci95_low")).toDouble();
            const double high = row.value(QStringLiteral("cost_ratio_ci95_high")).toDouble();
            QVERIFY(low <= ratio[lane] && ratio[lane] <= high);
        }

        // The verdict: the fewest mean violations among hpa and both predictive lanes (which
        // tie with each other), and each predictive lane's standing.
        const QJsonObject source
            = readJson(dir.filePath(QStringLiteral("sweep.json"))).value(QStringLiteral("sources"))
                  .toArray()
                  .at(0)
                  .toObject();
        const QJsonObject verdict = source.value(QStringLiteral("verdict")).toObject();
        const double hpaMean = byLane[QStringLiteral("hpa")]
                                   .value(QStringLiteral("slo_violations_mean"))
                                   .toDouble();
        const double predMean = predictive.value(QStringLiteral("slo_violations_mean")).toDouble();
        QStringList expected;
        if (hpaMean <= predMean)
            expected << QStringLiteral("hpa");
        if (predMean <= hpaMean)
            expected << QStringLiteral("predictive") << QStringLiteral("predictive-alt");
        QStringList fewest;
        for (const auto &name : verdict.value(QStringLiteral("fewest_slo_violations"))
                 .toObject()
                 .value(QStringLiteral("controllers"))
                 .toArray())
            fewest << name.toString();
        QCOMPARE(fewest, expected);
        QCOMPARE(verdict.value(QStringLiteral("causal_lanes")).toInt(), 3);
        const QJsonArray standings = verdict.value(QStringLiteral("predictive")).toArray();
        QCOMPARE(standings.size(), 2);
        for (const auto &v : standings) {
            const QJsonObject p = v.toObject();
            QVERIFY(near(p.value(QStringLiteral("slo_violations_mean")).toDouble(), predMean));
            QCOMPARE(p.value(QStringLiteral("rank")).toInt(), predMean <= hpaMean ? 1 : 2);
            QVERIFY(near(p.value(QStringLiteral("cost_ratio_mean")).toDouble(),
                ratio[QStringLiteral("predictive")]));
            QCOMPARE(p.value(QStringLiteral("cost_ratio_within_target")).toBool(),
                ratio[QStringLiteral("predictive")] <= 1.3);
        }
        const QString md = QString::fromUtf8(readAll(dir.filePath(QStringLiteral("sweep.md"))));
        QVERIFY(md.contains(QStringLiteral("| predictive-alt | 2 | ")));
        QVERIFY(md.contains(QStringLiteral("| violations over clairvoyant | cost ratio |")));
        QVERIFY(md.contains(QStringLiteral("**Verdict:** fewest mean SLO violations among the 3 "
                                           "causal lanes: ")
            + expected.join(QStringLiteral(", "))));
        QVERIFY(md.contains(QStringLiteral(" predictive-alt: ")));

        // --merge keeps the lanes and the report; the Job repeats --models.
        QTemporaryDir merged, job;
        Result m = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), dir.path(),
            QStringLiteral("--out"), merged.path()});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        QCOMPARE(readAll(merged.filePath(QStringLiteral("sweep.csv"))),
            readAll(dir.filePath(QStringLiteral("sweep.csv"))));
        m = runCli(args
            + QStringList {QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), job.path()});
        QVERIFY2(m.exitCode == 0, qPrintable(m.err));
        const QString yaml
            = QString::fromUtf8(readAll(job.filePath(QStringLiteral("sweep-job.yaml"))));
        QVERIFY2(yaml.contains(QStringLiteral("- \"--models\"\n            - \"alt=") + alt
                     + QStringLiteral("\"\n")),
            qPrintable(yaml));
        QVERIFY(yaml.contains(QStringLiteral("\"hpa,predictive,predictive-alt,clairvoyant\"")));
    }

    void entryClusterOptionsApplyToTheirSourceOnly()
    {
        QTemporaryDir dir;
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("seed-spike,seed-spike@preset=llm,seed-spike@max-replicas=3"),
            QStringLiteral("--controllers"), QStringLiteral("hpa,clairvoyant"),
            QStringLiteral("--seeds"), QStringLiteral("1"), QStringLiteral("--duration"),
            QStringLiteral("50"), QStringLiteral("--out"), dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(runFolders(dir.path()),
            (QStringList {QStringLiteral("seed-spike-seed1"),
                QStringLiteral("seed-spike@max-replicas=3-seed1"),
                QStringLiteral("seed-spike@preset=llm-seed1")}));
        auto summary = [&](const QString &label) {
            return readJson(dir.filePath(QStringLiteral("runs/") + label
                + QStringLiteral("-seed1/summary.json")));
        };
        const QJsonObject plain = summary(QStringLiteral("seed-spike"));
        const QJsonObject llm = summary(QStringLiteral("seed-spike@preset=llm"));
        const QJsonObject capped = summary(QStringLiteral("seed-spike@max-replicas=3"));
        // The LLM preset's SLO is 5 s, its pods take two minutes to start.
        QCOMPARE(plain.value(QStringLiteral("slo_latency_ms")).toDouble(), 500.0);
        QCOMPARE(llm.value(QStringLiteral("slo_latency_ms")).toDouble(), 5000.0);
        QCOMPARE(capped.value(QStringLiteral("slo_latency_ms")).toDouble(), 500.0);
        // Each summary names the cluster it ran on: the preset and the cluster's fields.
        QCOMPARE(plain.value(QStringLiteral("preset")).toString(), QStringLiteral("default"));
        QCOMPARE(llm.value(QStringLiteral("preset")).toString(), QStringLiteral("llm"));
        const auto clusterField = [](const QJsonObject &summary, const char *key) {
            return summary.value(QStringLiteral("cluster")).toObject().value(QLatin1String(key)).toDouble();
        };
        QCOMPARE(clusterField(llm, "pod_starting_s"), 4.0); // seed-spike's own, on the llm preset
        QCOMPARE(clusterField(llm, "slo_latency_ms"), 5000.0);
        QCOMPARE(clusterField(plain, "max_replicas"), 20.0);
        QCOMPARE(clusterField(capped, "max_replicas"), 3.0);
        const QString oracle = QStringLiteral("clairvoyant");
        QVERIFY(laneOf(llm, oracle).value(QStringLiteral("pod_seconds")).toDouble()
            != laneOf(plain, oracle).value(QStringLiteral("pod_seconds")).toDouble());
        // The cap: the clairvoyant lane wants more than 3 pods without it.
        QVERIFY(laneOf(plain, oracle).value(QStringLiteral("peak_pods")).toInt() > 3);
        for (const auto &lane : capped.value(QStringLiteral("lanes")).toArray())
            QVERIFY(lane.toObject().value(QStringLiteral("peak_pods")).toInt() <= 3);
        QCOMPARE(laneOf(capped, oracle).value(QStringLiteral("peak_pods")).toInt(), 3);
        QStringList sources;
        for (const auto &row : readCsv(dir.filePath(QStringLiteral("sweep.csv"))))
            sources << row.value(QStringLiteral("source"));
        QVERIFY(sources.contains(QStringLiteral("seed-spike@preset=llm")));
    }

    void traceEntryClusterOptionsNameTheSource()
    {
        // Emitting the Job reads and checks the entries without running anything.
        QTemporaryDir dir;
        const QString entry = kNasa + QStringLiteral("@x60@hours=1@max-replicas=40@preset=llm");
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--traces"), entry,
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"),
            QStringLiteral("1"), QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"),
            dir.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QJsonObject combo = readJson(dir.filePath(QStringLiteral("combinations.json")))
                                      .value(QStringLiteral("combinations"))
                                      .toArray()
                                      .at(0)
                                      .toObject();
        QCOMPARE(combo.value(QStringLiteral("source")).toString(),
            QStringLiteral("nasa_http_jul1995_per_minute@x60@hours=1@max-replicas=40@preset=llm"));
        QCOMPARE(combo.value(QStringLiteral("spec")).toString(), entry);
        QVERIFY(readAll(dir.filePath(QStringLiteral("sweep-job.yaml"))).contains(entry.toUtf8()));
    }

    // "@x60" and "@x60.0" (or "@x6e1", "@x060") ran one slice twice, as two sources. Each
    // number has one spelling in the source's name, the options in their order: the committed
    // sweep's names are unchanged, and one slice written two ways is listed twice.
    void traceEntryNumbersHaveOneSpelling()
    {
        const auto emitJob = [](const QString &traces, const QString &out) {
            return runCli({QStringLiteral("sweep"), QStringLiteral("--traces"), traces,
                QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"),
                QStringLiteral("1"), QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), out});
        };
        const QString committed
            = QStringLiteral("nasa_http_jul1995_per_minute@x60@from=72h@hours=72@max-replicas=80");
        for (const QString &options : {QStringLiteral("@x60@from=72h@hours=72@max-replicas=80"),
                 QStringLiteral("@x60.0@from=72.0h@hours=72.0@max-replicas=80.0"),
                 QStringLiteral("@x6e1@from=4320m@hours=72@max-replicas=080"),
                 QStringLiteral("@x060@from=3d@hours=7.2e1@max-replicas=80")}) {
            QTemporaryDir dir;
            const Result r = emitJob(kNasa + options, dir.path());
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            const QJsonObject combo = readJson(dir.filePath(QStringLiteral("combinations.json")))
                                          .value(QStringLiteral("combinations"))
                                          .toArray()
                                          .at(0)
                                          .toObject();
            QCOMPARE(combo.value(QStringLiteral("source")).toString(), committed);
            QCOMPARE(combo.value(QStringLiteral("spec")).toString(), kNasa + options);
        }
        // Written two ways in one sweep: refused as one source listed twice, both entries named.
        QTemporaryDir dir;
        Result r = emitJob(kNasa + QStringLiteral("@x60,") + kNasa + QStringLiteral("@x60.0"), dir.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("'nasa_http_jul1995_per_minute@x60' is listed twice"))
                && r.err.contains(kNasa + QStringLiteral("@x60.0")),
            qPrintable(r.err));
        // The same slice with its options in another order, or with one at its default.
        r = emitJob(kNasa + QStringLiteral("@x60@from=72h,") + kNasa + QStringLiteral("@from=72h@x60"),
            dir.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("run the same: one slice of one trace")), qPrintable(r.err));
        r = emitJob(kNasa + QStringLiteral(",") + kNasa + QStringLiteral("@x1@from=0h"), dir.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("run the same: one slice of one trace")), qPrintable(r.err));
        // A cluster option restating the default (20 pods, the default preset) is the same
        // cluster; a scenario's options in another order are the same scenario (a second trial).
        r = emitJob(kNasa + QStringLiteral("@hours=1,") + kNasa + QStringLiteral("@hours=1@max-replicas=20@preset=default"),
            dir.path());
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("run the same: one slice of one trace")), qPrintable(r.err));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("seed-spike@max-replicas=5@preset=llm,seed-spike@preset=llm@max-replicas=5"),
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"),
            QStringLiteral("1"), QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), dir.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("'--scenarios'")) && r.err.contains(QStringLiteral("run the same: one scenario on one cluster")),
            qPrintable(r.err));
        // A scenario of the llm preset restated @preset=default is another cluster (the
        // default preset's service times and SLO, the file's own settings on top): it ran as
        // the same, the preset having been a no-op (a new-user trial).
        const QString llm = dir.filePath(QStringLiteral("llm-scenario.json"));
        {
            QFile f(llm);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"({"name": "fast-llm", "duration_s": 30, "preset": "llm", "cluster": {"pod_starting_s": 4},
                "segments": [{"type": "constant", "start_s": 0, "end_s": 30, "rate": 1}]})");
        }
        QTemporaryDir presets;
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"), llm + QStringLiteral(",") + llm
                        + QStringLiteral("@preset=default"),
            QStringLiteral("--controllers"), QStringLiteral("hpa"), QStringLiteral("--seeds"),
            QStringLiteral("1"), QStringLiteral("--emit-k8s-job"), QStringLiteral("--out"), presets.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        // Distinct slices still run as distinct sources.
        QTemporaryDir two;
        r = emitJob(kNasa + QStringLiteral("@x60@hours=1,") + kNasa + QStringLiteral("@x60@hours=2"),
            two.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    }

    void badInputsExitTwoNamingTheProblem_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QStringList>("mentions");
        const QString s = QStringLiteral("--scenarios");
        const QString seeds = QStringLiteral("--seeds");
        QTest::newRow("controller")
            << QStringList {s, QStringLiteral("seed-spike"), seeds, QStringLiteral("1"),
                   QStringLiteral("--controllers"), QStringLiteral("hpa,nope")}
            << QStringList {QStringLiteral("--controllers"), QStringLiteral("nope")};
        QTest::newRow("scenario") << QStringList {s, QStringLiteral("no-such-scenario"), seeds,
            QStringLiteral("1")} << QStringList {s, QStringLiteral("no-such-scenario")};
        QTest::newRow("missing trace")
            << QStringList {QStringLiteral("--traces"), QStringLiteral("/nonexistent/gone.csv@x10"),
                   seeds, QStringLiteral("1")}
            << QStringList {QStringLiteral("--traces"), QStringLiteral("/nonexistent/gone.csv")};
        QTest::newRow("bad @ option") << QStringList {QStringLiteral("--traces"),
            kNasa + QStringLiteral("@y3"), seeds, QStringLiteral("1")}
                                      << QStringList {QStringLiteral("@y3")};
        QTest::newRow("bad hours") << QStringList {QStringLiteral("--traces"),
            kNasa + QStringLiteral("@x60@hours=0"), seeds, QStringLiteral("1")}
                                   << QStringList {QStringLiteral("@hours=0")};
        QTest::newRow("slice past the end")
            << QStringList {QStringLiteral("--traces"), kNasa + QStringLiteral("@from=1000h"),
                   seeds, QStringLiteral("1")}
            << QStringList {QStringLiteral("--traces"), QStringLiteral("no intervals")};
        QTest::newRow("seeds 0") << QStringList {s, QStringLiteral("seed-spike"), seeds,
            QStringLiteral("0")} << QStringList {seeds};
        QTest::newRow("duration past a scenario's end")
            << QStringList {s, QStringLiteral("seed-spike"), seeds, QStringLiteral("1"),
                   QStringLiteral("--duration"), QStringLiteral("500")}
            << QStringList {QStringLiteral("--duration"), QStringLiteral("'seed-spike'"),
                   QStringLiteral("duration_s is 70 s")};
        QTest::newRow("jobs 0") << QStringList {s, QStringLiteral("seed-spike"), seeds,
            QStringLiteral("1"), QStringLiteral("--jobs"), QStringLiteral("0")}
                                << QStringList {QStringLiteral("--jobs")};
        QTest::newRow("index past the end") << QStringList {s, QStringLiteral("seed-spike"), seeds,
            QStringLiteral("3"), QStringLiteral("--index"), QStringLiteral("3")}
                                            << QStringList {QStringLiteral("--index")};
        const QString c = QStringLiteral("--controllers");
        const QString models = QStringLiteral("--models");
        const QStringList spike1 {s, QStringLiteral("seed-spike"), seeds, QStringLiteral("1")};
        QTest::newRow("predictive-LABEL without --models")
            << spike1 + QStringList {c, QStringLiteral("hpa,predictive-alt")}
            << QStringList {c, QStringLiteral("predictive-alt"), QStringLiteral("--models alt=")};
        QTest::newRow("unknown model label")
            << spike1
                + QStringList {c, QStringLiteral("predictive-nope"), models,
                    QStringLiteral("alt=/tmp/x.pt")}
            << QStringList {c, QStringLiteral("predictive-nope")};
        QTest::newRow("bad model label")
            << spike1 + QStringList {models, QStringLiteral("a-b=/tmp/x.pt")}
            << QStringList {models, QStringLiteral("'a-b'")};
        QTest::newRow("duplicate model label")
            << spike1 + QStringList {models, QStringLiteral("alt=/tmp/x.pt,alt=/tmp/y.pt")}
            << QStringList {models, QStringLiteral("'alt'"), QStringLiteral("twice")};
        QTest::newRow("model without a file")
            << spike1 + QStringList {models, QStringLiteral("alt=")}
            << QStringList {models, QStringLiteral("alt=")};
        QTest::newRow("max-replicas 0 on an entry")
            << QStringList {s, QStringLiteral("seed-spike@max-replicas=0"), seeds,
                   QStringLiteral("1")}
            << QStringList {s, QStringLiteral("'seed-spike@max-replicas=0'"),
                   QStringLiteral("@max-replicas=0:")};
        QTest::newRow("unknown preset on a trace entry")
            << QStringList {QStringLiteral("--traces"), kNasa + QStringLiteral("@x60@preset=huge"),
                   seeds, QStringLiteral("1")}
            << QStringList {QStringLiteral("--traces"), QStringLiteral("@preset=huge"),
                   QStringLiteral("unknown preset")};
        QTest::newRow("preset given twice on an entry")
            << QStringList {s, QStringLiteral("seed-spike@preset=llm@preset=default"), seeds,
                   QStringLiteral("1")}
            << QStringList {s, QStringLiteral("@preset=default"), QStringLiteral("twice")};
        QTest::newRow("trace option on a scenario")
            << QStringList {s, QStringLiteral("seed-spike@x10"), seeds, QStringLiteral("1")}
            << QStringList {s, QStringLiteral("@x10")};
        QTest::newRow("merge of a missing folder")
            << QStringList {QStringLiteral("--merge"), QStringLiteral("/nonexistent")}
            << QStringList {QStringLiteral("--merge"), QStringLiteral("/nonexistent"),
                   QStringLiteral("no such folder")};
        // Sizes past what one machine or one Job takes are refused before anything runs
        // (--seeds 100000000 with --emit-k8s-job was killed for memory).
        QTest::newRow("seeds past 10,000") << QStringList {s, QStringLiteral("seed-spike"), seeds,
            QStringLiteral("10001")} << QStringList {seeds, QStringLiteral("from 1 to 10000")};
        // Past the simulator's limits: refused before any run (each used to fail alone).
        QTest::newRow("trace past the simulator's rate")
            << QStringList {QStringLiteral("--traces"), kNasa + QStringLiteral("@x100000"), seeds,
                   QStringLiteral("1")}
            << QStringList {QStringLiteral("--traces"), QStringLiteral("row 17871"),
                   QStringLiteral("50000 req/s")};
        QTest::newRow("image without a Job") << spike1 + QStringList {QStringLiteral("--image"),
            QStringLiteral("x:1")} << QStringList {QStringLiteral("--image"),
            QStringLiteral("--emit-k8s-job")};
        QTest::newRow("an option twice") << spike1 + QStringList {seeds, QStringLiteral("2")}
                                         << QStringList {seeds, QStringLiteral("given twice")};
        QTest::newRow("jobs past 256") << spike1 + QStringList {QStringLiteral("--jobs"),
            QStringLiteral("257")} << QStringList {QStringLiteral("--jobs")};
        QStringList entries;
        for (int max = 10; max <= 20; ++max)
            entries << QStringLiteral("seed-spike@max-replicas=%1").arg(max);
        QTest::newRow("a Job past 100,000 combinations")
            << QStringList {s, entries.join(QLatin1Char(',')), seeds, QStringLiteral("10000"),
                   QStringLiteral("--emit-k8s-job")}
            << QStringList {QStringLiteral("--emit-k8s-job"), QStringLiteral("110000 combinations")};
    }

    void badInputsExitTwoNamingTheProblem()
    {
        QFETCH(QStringList, args);
        QFETCH(QStringList, mentions);
        QTemporaryDir dir;
        const Result r = runCli(QStringList {QStringLiteral("sweep")} + args
            + QStringList {QStringLiteral("--out"), dir.path()});
        QCOMPARE(r.exitCode, 2);
        for (const QString &m : mentions)
            QVERIFY2(r.err.contains(m), qPrintable(r.err));
        QVERIFY(runFolders(dir.path()).isEmpty());
    }

    void aFailingRunIsNamedAndTheOthersFinish()
    {
        QTemporaryDir dir;
        // A file where run 2's folder must go makes that run fail when it writes.
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("runs")));
        QFile blocker(dir.filePath(QStringLiteral("runs/seed-spike-seed2")));
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("seed-spike"), QStringLiteral("--controllers"), QStringLiteral("hpa"),
            QStringLiteral("--seeds"), QStringLiteral("3"), QStringLiteral("--duration"),
            QStringLiteral("10"), QStringLiteral("--out"), dir.path()});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(QStringLiteral("1 of 3 run(s) failed")), qPrintable(r.err));
        QVERIFY2(r.err.contains(QStringLiteral("seed-spike seed 2:")), qPrintable(r.err));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("runs/seed-spike-seed1/summary.json"))));
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("runs/seed-spike-seed3/summary.json"))));
        const auto rows = readCsv(dir.filePath(QStringLiteral("sweep.csv")));
        QCOMPARE(rows.size(), 1);
        QCOMPARE(rows.first().value(QStringLiteral("seeds")), QStringLiteral("2"));
    }

    // A second sweep with other controllers into a folder holding a sweep is refused before
    // it writes anything (it overwrote seeds 1-2 and kept an old seed 3: a mixed folder);
    // the message names the folder, what is there and how to go on.
    void sweepRefusesAnOutHoldingAnotherSweep()
    {
        const QByteArray csv = readAll(m_full->filePath(QStringLiteral("sweep.csv")));
        const QByteArray seed1
            = readAll(m_full->filePath(QStringLiteral("runs/seed-spike-seed1/summary.json")));
        const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--scenarios"),
            QStringLiteral("seed-spike"), QStringLiteral("--controllers"), QStringLiteral("kpa"),
            QStringLiteral("--seeds"), QStringLiteral("2"), QStringLiteral("--duration"),
            QStringLiteral("10"), QStringLiteral("--out"), m_full->path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(m_full->path()) && r.err.contains(QStringLiteral("another sweep"))
                && r.err.contains(QStringLiteral("--controllers hpa,predictive,clairvoyant"))
                && r.err.contains(QStringLiteral("give a new --out folder")),
            qPrintable(r.err));
        QCOMPARE(readAll(m_full->filePath(QStringLiteral("sweep.csv"))), csv);
        QCOMPARE(
            readAll(m_full->filePath(QStringLiteral("runs/seed-spike-seed1/summary.json"))), seed1);
        QCOMPARE(runFolders(m_full->path()).size(), 3);

        // Runs without a report (a sweep cut short) of another sweep: refused too, naming one.
        QTemporaryDir cut;
        const QString run3 = QStringLiteral("runs/seed-spike-seed3/");
        QVERIFY(QDir().mkpath(cut.filePath(run3)));
        for (const char *name : {"summary.json", "sweep-run.json"})
            QVERIFY2(QFile::copy(m_full->filePath(run3 + QLatin1String(name)),
                         cut.filePath(run3 + QLatin1String(name))),
                name);
        const Result two
            = runCli(sweepArgs(cut.path())
                         .replaceInStrings(
                             QStringLiteral("hpa,predictive,clairvoyant"), QStringLiteral("hpa")));
        QCOMPARE(two.exitCode, 2);
        QVERIFY2(two.err.contains(QStringLiteral("seed-spike-seed3"))
                && two.err.contains(QStringLiteral("clairvoyant,hpa,predictive")),
            qPrintable(two.err));
        QCOMPARE(runFolders(cut.path()), QStringList {QStringLiteral("seed-spike-seed3")});
    }

    // The same command into its own folder runs again (docs/results folders are regenerated
    // so): the runs and report are replaced, nothing mixed. A Job pod retried after it wrote
    // its run but not its report may run again too.
    void theSameSweepRunsAgainIntoItsOwnFolder()
    {
        QTemporaryDir dir;
        const QStringList args
            = sweepArgs(dir.path(), {QStringLiteral("--index"), QStringLiteral("2")});
        Result r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QByteArray csv = readAll(dir.filePath(QStringLiteral("sweep.csv")));
        r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains("replacing the 1 run(s)"), r.out.constData());
        QCOMPARE(readAll(dir.filePath(QStringLiteral("sweep.csv"))), csv);
        QCOMPARE(runFolders(dir.path()), QStringList {QStringLiteral("seed-spike-seed3")});
        for (const char *name : {"sweep.json", "sweep.csv", "sweep.md"})
            QVERIFY(QFile::remove(dir.filePath(QLatin1String(name))));
        QVERIFY(QDir(dir.filePath(QStringLiteral("charts"))).removeRecursively());
        r = runCli(args);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(readAll(dir.filePath(QStringLiteral("sweep.csv"))), csv);
        // The same seeds with other lanes would not be the same sweep.
        r = runCli(sweepArgs(dir.path(), {QStringLiteral("--index"), QStringLiteral("1")}));
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(QStringLiteral("another sweep")), qPrintable(r.err));

        // --jobs changes no result (runs side by side, each deterministic): a rerun on other
        // cores, with --jobs given, changed or left out again, is the same sweep, and its
        // report records the line it ran with.
        const QStringList withJobs = QStringList(args) << QStringLiteral("--jobs")
                                                       << QStringLiteral("3");
        for (const QStringList &rerun : {withJobs,
                 QStringList(args) << QStringLiteral("--jobs=1"), args}) {
            r = runCli(rerun);
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY2(r.out.contains("replacing the 1 run(s)"), r.out.constData());
            QCOMPARE(readAll(dir.filePath(QStringLiteral("sweep.csv"))), csv);
            QCOMPARE(readJson(dir.filePath(QStringLiteral("sweep.json")))
                         .value(QStringLiteral("command"))
                         .toString()
                         .contains(QStringLiteral("--jobs")),
                rerun != args);
        }
        // Anything else still differs, however small: an option written another way, or one
        // more, is another command.
        QStringList seedsJoined = withJobs;
        const qsizetype seeds = seedsJoined.indexOf(QStringLiteral("--seeds"));
        const QString count = seedsJoined.takeAt(seeds + 1);
        seedsJoined[seeds] = QStringLiteral("--seeds=") + count;
        for (const QStringList &other :
            {seedsJoined, QStringList(withJobs) << QStringLiteral("--max-replicas")
                                                << QStringLiteral("20")}) {
            r = runCli(other);
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains(QStringLiteral("another sweep")), qPrintable(r.err));
        }
    }

    // --merge A --out B, B holding another sweep, overwrote B's runs: refused now, B as it
    // was; the same merge again into its own folder runs.
    void mergeRefusesAnOutHoldingAnotherSweep()
    {
        QTemporaryDir a, b, merged;
        Result r = runCli(sweepArgs(a.path(), {QStringLiteral("--index"), QStringLiteral("0")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli(sweepArgs(b.path(),
            {QStringLiteral("--index"), QStringLiteral("0"), QStringLiteral("--jobs"),
                QStringLiteral("1")}));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        const QByteArray bCsv = readAll(b.filePath(QStringLiteral("sweep.csv")));
        r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), a.path(),
            QStringLiteral("--out"), b.path()});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(b.path()) && r.err.contains(QStringLiteral("another sweep")),
            qPrintable(r.err));
        QCOMPARE(readAll(b.filePath(QStringLiteral("sweep.csv"))), bCsv);
        QVERIFY(readAll(b.filePath(QStringLiteral("sweep.json"))).contains("--jobs"));

        const QStringList merge {QStringLiteral("sweep"), QStringLiteral("--merge"), a.path(),
            QStringLiteral("--out"), merged.path()};
        r = runCli(merge);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        r = runCli(merge);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(runFolders(merged.path()), QStringList {QStringLiteral("seed-spike-seed1")});
    }

    // The committed results (docs/results) were written before the reference lane's own
    // provisioning was null (0 there, or no provisioning at all in the baseline's older runs):
    // their runs still read, and merge into their report: every cell of the committed
    // sweep.csv again (the baseline's has none of the later columns).
    void committedResultsStillMerge()
    {
        for (const char *name : {"baseline-2026-12-04", "predictive-2026-12-04"}) {
            const QString folder = sourcePath(QStringLiteral("docs/results/") + QLatin1String(name));
            QTemporaryDir out;
            const Result r = runCli({QStringLiteral("sweep"), QStringLiteral("--merge"), folder,
                QStringLiteral("--out"), out.path()});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QCOMPARE(runFolders(out.path()), runFolders(folder));
            const auto committed = readCsv(folder + QStringLiteral("/sweep.csv"));
            const auto merged = readCsv(out.filePath(QStringLiteral("sweep.csv")));
            QCOMPARE(merged.size(), committed.size());
            QVERIFY(!committed.isEmpty());
            for (qsizetype i = 0; i < committed.size(); ++i) {
                for (auto cell = committed[i].begin(); cell != committed[i].end(); ++cell)
                    QCOMPARE(merged[i].value(cell.key()), cell.value());
            }
        }
    }

private:
    // kubectl validates the Job client-side when it can do so without a cluster.
    void checkWithKubectl(const QString &yamlPath)
    {
        const QString kubectl = QStandardPaths::findExecutable(QStringLiteral("kubectl"));
        if (kubectl.isEmpty())
            return;
        QProcess p;
        p.start(kubectl,
            {QStringLiteral("create"), QStringLiteral("--dry-run=client"), QStringLiteral("-f"),
                yamlPath, QStringLiteral("-o"), QStringLiteral("name")});
        if (!p.waitForFinished(20000)) {
            p.kill();
            qInfo("kubectl did not answer in 20 s; client-side check skipped");
            return;
        }
        const QString out = QString::fromUtf8(p.readAllStandardOutput()).trimmed();
        const QString err = QString::fromUtf8(p.readAllStandardError());
        if (p.exitCode() != 0
            && (err.contains(QStringLiteral("connect"))
                || err.contains(QStringLiteral("server")))) {
            qInfo("kubectl wants a server for --dry-run=client here; check skipped: %s",
                qPrintable(err));
            return;
        }
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        QCOMPARE(out, QStringLiteral("job.batch/headroom-sweep"));
    }
};

QTEST_GUILESS_MAIN(TestSweep)
#include "tst_sweep.moc"
