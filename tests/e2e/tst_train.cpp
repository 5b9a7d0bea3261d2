// headroom-cli train: the committed model is exactly what the command produces.
#include "clirun.h"

#include <QCryptographicHash>
#include <QDir>
#include <QCoreApplication>
#include <QFile>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

namespace {

QByteArray fileHash(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256).toHex();
}

int train(const QStringList &args, QString *out = nullptr, QString *err = nullptr)
{
    const headroom::test::CliRun run
        = headroom::test::runCli(QStringList {QStringLiteral("train")} + args, 300000);
    if (out)
        *out = QString::fromUtf8(run.out);
    if (err)
        *err = run.err;
    return run.exitCode;
}

} // namespace

class TestTrain : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void defaultTrainingReproducesTheCommittedModel()
    {
        QTemporaryDir dir;
        const QString pt = dir.filePath(QStringLiteral("predictive.pt"));
        QString out, err;
        QCOMPARE(train({QStringLiteral("--out"), pt}, &out, &err), 0);
        QVERIFY2(out.contains(QStringLiteral("test MSE")), qPrintable(out));
        QVERIFY2(!out.contains(QStringLiteral("note: the p50 is further off")), qPrintable(out)); // a forecast
        const QString committed = qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QStringLiteral("/models/");
        QCOMPARE(fileHash(pt), fileHash(committed + QStringLiteral("predictive.pt")));
        QCOMPARE(fileHash(dir.filePath(QStringLiteral("predictive.json"))),
                 fileHash(committed + QStringLiteral("predictive.json")));
    }

    void sameSeedSameTestError()
    {
        QTemporaryDir dir;
        QString first, second, other;
        // The archive holds its file's name, so each run writes the same name in its own folder.
        for (const char *sub : {"a", "b", "c"})
            QVERIFY(QDir(dir.path()).mkpath(QLatin1String(sub)));
        const QStringList small {QStringLiteral("--samples"), QStringLiteral("3000"),
                                 QStringLiteral("--epochs"), QStringLiteral("3")};
        QCOMPARE(train(small + QStringList {QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--out"), dir.filePath(QStringLiteral("a/model.pt"))}, &first), 0);
        QCOMPARE(train(small + QStringList {QStringLiteral("--seed"), QStringLiteral("7"), QStringLiteral("--out"), dir.filePath(QStringLiteral("b/model.pt"))}, &second), 0);
        QCOMPARE(train(small + QStringList {QStringLiteral("--seed"), QStringLiteral("8"), QStringLiteral("--out"), dir.filePath(QStringLiteral("c/model.pt"))}, &other), 0);
        auto testMse = [](const QString &text) {
            for (const QString &line : text.split(QLatin1Char('\n'))) {
                if (line.startsWith(QStringLiteral("test MSE")))
                    return line;
            }
            return QString();
        };
        QVERIFY(!testMse(first).isEmpty());
        QCOMPARE(testMse(first), testMse(second));
        QCOMPARE(fileHash(dir.filePath(QStringLiteral("a/model.pt"))), fileHash(dir.filePath(QStringLiteral("b/model.pt"))));
        QVERIFY(fileHash(dir.filePath(QStringLiteral("a/model.pt"))) != fileHash(dir.filePath(QStringLiteral("c/model.pt"))));
    }

    void traceFitScoresTheHeldOutTail()
    {
        // Two days of the NASA trace at 60x: its last fifth is the test set, reported as
        // its own family next to the synthetic ones, and recorded in the metadata.
        QTemporaryDir dir;
        const QString pt = dir.filePath(QStringLiteral("nasa.pt"));
        const QString trace = qEnvironmentVariable("HEADROOM_SOURCE_DIR")
            + QStringLiteral("/resources/traces/nasa_http_jul1995_per_minute.csv@x60@hours=48");
        QString out, err;
        QCOMPARE(train({QStringLiteral("--samples"), QStringLiteral("500"), QStringLiteral("--epochs"),
                        QStringLiteral("2"), QStringLiteral("--trace"), trace, QStringLiteral("--out"), pt},
                       &out, &err),
                 0);
        QVERIFY2(out.contains(QStringLiteral("trace nasa_http_jul1995_per_minute@x60@hours=48")), qPrintable(out));
        QFile json(dir.filePath(QStringLiteral("nasa.json")));
        QVERIFY(json.open(QIODevice::ReadOnly));
        const QByteArray text = json.readAll();
        QVERIFY(text.contains(QByteArray(QByteArray("\"trace\": \"") + trace.toUtf8() + QByteArray("\""))));
        QVERIFY(text.contains("\"family\": \"trace nasa_http_jul1995_per_minute@x60@hours=48\""));
    }

    void evaluateScoresTheSameTailWithoutTraining()
    {
        // The synthetic-only model, scored on the tail a trace-fitted model is tested on:
        // same windows, so the two are compared on equal terms.
        QTemporaryDir dir;
        const QString source = qEnvironmentVariable("HEADROOM_SOURCE_DIR");
        const QString trace = source + QStringLiteral("/resources/traces/nasa_http_jul1995_per_minute.csv@x60@hours=48");
        const QString fitted = dir.filePath(QStringLiteral("fitted.pt"));
        QString fitOut, evalOut, err;
        const QStringList small {QStringLiteral("--samples"), QStringLiteral("500"), QStringLiteral("--epochs"), QStringLiteral("2")};
        QString fitErr;
        QCOMPARE(train(small + QStringList {QStringLiteral("--trace"), trace, QStringLiteral("--out"), fitted}, &fitOut,
                       &fitErr), 0);
        // The trace is read once: its reading was logged twice, checked and then fitted.
        QCOMPARE(fitErr.count(QStringLiteral("headroom.traffic: read ")), 1);
        QCOMPARE(train({QStringLiteral("--evaluate"), fitted, QStringLiteral("--trace"), trace}, &evalOut, &err), 0);
        // The fitted model's own tail score, as training printed it, comes back exactly.
        const QString family = QStringLiteral("trace nasa_http_jul1995_per_minute@x60@hours=48");
        QString trainedLine;
        for (const QString &line : fitOut.split(QLatin1Char('\n'))) {
            if (line.trimmed().startsWith(family))
                trainedLine = line.simplified();
        }
        QVERIFY2(!trainedLine.isEmpty(), qPrintable(fitOut));
        const QStringList parts = trainedLine.split(QLatin1Char(' '));
        // "trace <label> <windows> <MAE p50> <p90 coverage> <MAE last step> <MAE window mean>"
        const QString windows = parts.value(2);
        const QString mae = parts.value(3);
        QVERIFY2(evalOut.contains(windows + QStringLiteral(" windows")), qPrintable(evalOut + trainedLine));
        QVERIFY2(evalOut.contains(QStringLiteral("MAE of p50 (normalized targets): ") + mae), qPrintable(evalOut + trainedLine));
        // The shipped trace named as the docs name it, from a folder it is not in, is found
        // as run and sweep find it, and scores the same.
        QString relativeOut;
        QCOMPARE(train({QStringLiteral("--evaluate"), fitted, QStringLiteral("--trace"),
                     QStringLiteral("resources/traces/nasa_http_jul1995_per_minute.csv@x60@hours=48")},
                     &relativeOut, &err),
            0);
        QCOMPARE(relativeOut.section(QLatin1Char('\n'), 1), evalOut.section(QLatin1Char('\n'), 1));
        // A shipped model and trace by their file names alone.
        QString shippedOut;
        QCOMPARE(train({QStringLiteral("--evaluate"), QStringLiteral("predictive-nasa.pt"),
                     QStringLiteral("--trace"), QStringLiteral("nasa_http_jul1995_per_minute.csv@x60@hours=48")},
                     &shippedOut, &err),
            0);
        QVERIFY2(shippedOut.contains(QStringLiteral("models/predictive-nasa.pt")), qPrintable(shippedOut));
        // A trace's name is not looked up among the models, nor a model's among the traces.
        QCOMPARE(train({QStringLiteral("--evaluate"), QStringLiteral("nasa_http_jul1995_per_minute.csv"),
                     QStringLiteral("--trace"), QStringLiteral("nasa_http_jul1995_per_minute.csv@x60@hours=48")},
                     nullptr, &err),
            2);
        // Without a trace there is nothing to score on.
        QCOMPARE(train({QStringLiteral("--evaluate"), fitted}, nullptr, &err), 2);
        QVERIFY2(err.contains(QStringLiteral("--trace")), qPrintable(err));

        // An idle trace: the window's mean forecasts it exactly (it read an error of 1, the
        // mean taken as the 0.1 req/s floor's: a new-user trial).
        const QString zero = dir.filePath(QStringLiteral("zero.csv"));
        {
            QFile file(zero);
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("time_s,count\n");
            for (int t = 0; t < 21600; t += 10)
                file.write(QByteArray::number(t) + ",0\n");
        }
        QString idleOut;
        QCOMPARE(train({QStringLiteral("--evaluate"), QStringLiteral("predictive.pt"), QStringLiteral("--trace"), zero},
                     &idleOut, &err),
            0);
        QVERIFY2(idleOut.contains(QStringLiteral("MAE of last step, of window mean: 0.0000, 0.0000")), qPrintable(idleOut));
    }

    void traceTooShortOrMissingIsBadInput()
    {
        QTemporaryDir dir;
        const QString pt = dir.filePath(QStringLiteral("m.pt"));
        const QString nasa = qEnvironmentVariable("HEADROOM_SOURCE_DIR")
            + QStringLiteral("/resources/traces/nasa_http_jul1995_per_minute.csv");
        QString err;
        // One hour at 60x is a minute of replay: not one window with its context.
        QVERIFY(train({QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"),
                       QStringLiteral("1"), QStringLiteral("--trace"), nasa + QStringLiteral("@x60@hours=1"),
                       QStringLiteral("--out"), pt},
                      nullptr, &err)
                != 0);
        QVERIFY2(err.contains(QStringLiteral("too short")), qPrintable(err));
        QCOMPARE(train({QStringLiteral("--trace"), dir.filePath(QStringLiteral("none.csv")),
                        QStringLiteral("--out"), pt},
                       nullptr, &err),
                 2);
        QVERIFY2(err.contains(QStringLiteral("none.csv")), qPrintable(err));
        QVERIFY(!QFile::exists(pt));
        // Three lines slowed down to weeks: held to a run's limits before anything is
        // allocated for them (this took gigabytes), with the row and field a run names.
        const QString slow = dir.filePath(QStringLiteral("slow.csv"));
        QFile file(slow);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("timestamp_ms\n0\n1000\n500000000\n");
        file.close();
        QCOMPARE(train({QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"),
                     QStringLiteral("1"), QStringLiteral("--trace"), slow + QStringLiteral("@x0.001"),
                     QStringLiteral("--out"), pt},
                     nullptr, &err),
            2);
        QVERIFY2(err.contains(QStringLiteral("row 4, field 'timestamp_ms'")), qPrintable(err));
        // Training repeats no option: the second --seed would have won silently.
        QCOMPARE(train({QStringLiteral("--seed"), QStringLiteral("1"), QStringLiteral("--seed"),
                     QStringLiteral("2"), QStringLiteral("--out"), pt},
                     nullptr, &err),
            2);
        QVERIFY2(err.contains(QStringLiteral("--seed")) && err.contains(QStringLiteral("twice")),
            qPrintable(err));
    }

    void outThatIsNotAPtFileIsRefusedBeforeTraining()
    {
        // --out models/predictive.json trained for minutes, wrote the weights over the shipped
        // metadata and X.json.json beside it, and only then refused: now nothing is written.
        QTemporaryDir dir;
        for (const char *name : {"predictive.json", "model", "model.pt.bak"}) {
            const QString out = dir.filePath(QLatin1String(name));
            QString err;
            QCOMPARE(train({QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"),
                         QStringLiteral("1"), QStringLiteral("--out"), out},
                         nullptr, &err),
                2);
            QVERIFY2(err.contains(QStringLiteral("--out")) && err.contains(out)
                    && err.contains(QStringLiteral(".pt")),
                qPrintable(err));
            QVERIFY2(QDir(dir.path()).isEmpty(), qPrintable(QDir(dir.path()).entryList().join(u' ')));
        }
    }

    void outOverAFileHeadroomDidNotWriteIsRefusedBeforeTraining_data()
    {
        QTest::addColumn<QString>("name");    // the file already there
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("out");     // --out
        QTest::addColumn<QString>("says");
        QFile scenario(qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QStringLiteral("/resources/scenarios/ramp.json"));
        QVERIFY(scenario.open(QIODevice::ReadOnly));
        const QString notOurs = QStringLiteral("is not a Headroom model's metadata: not overwritten");
        // --out ramp.pt beside the scenario ramp.json wrote the model's metadata over it.
        QTest::addRow("a scenario as the metadata") << "ramp.json" << scenario.readAll() << "ramp.pt" << notOurs;
        QTest::addRow("a JSON as the metadata") << "x.json" << QByteArray("{\"window\": 12}\n") << "x.pt" << notOurs;
        QTest::addRow("an empty metadata") << "x.json" << QByteArray() << "x.pt" << notOurs;
        const QString notAModel = QStringLiteral("exists and is not a model Headroom wrote: not overwritten");
        QTest::addRow("a text file") << "notes.pt" << QByteArray("my notes\n") << "notes.pt" << notAModel;
        QTest::addRow("an empty file") << "x.pt" << QByteArray() << "x.pt" << notAModel;
        QTest::addRow("a zip") << "x.pt" << QByteArray("PK\x03\x04 not a model") << "x.pt" << notAModel;
    }
    void outOverAFileHeadroomDidNotWriteIsRefusedBeforeTraining()
    {
        QFETCH(QString, name);
        QFETCH(QByteArray, content);
        QFETCH(QString, out);
        QFETCH(QString, says);
        QTemporaryDir dir;
        QFile file(dir.filePath(name));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(content);
        file.close();
        QString err;
        QCOMPARE(train({QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"),
                     QStringLiteral("1"), QStringLiteral("--out"), dir.filePath(out)},
                     nullptr, &err),
            2);
        QVERIFY2(err.contains(dir.filePath(name)) && err.contains(says), qPrintable(err));
        // Untouched, and nothing written beside it.
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), content);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot), QStringList {name});
    }

    // Counts agree with their nouns ("1 epochs" was printed for --epochs 1).
    void oneEpochIsSaidSo()
    {
        QTemporaryDir dir;
        QString out;
        QCOMPARE(train({QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"), QStringLiteral("1"),
                        QStringLiteral("--out"), dir.filePath(QStringLiteral("m.pt"))}, &out),
                 0);
        // The windows trained on, the test share left out: 80 of the 100.
        QVERIFY2(out.contains(QStringLiteral("(1 epoch, 80 training windows of the 100 synthetic, seed ")), qPrintable(out));
        // One epoch on 100 windows forecasts worse than repeating the last step, and is said to.
        QVERIFY2(out.contains(QStringLiteral("note: the p50 is further off (MAE ")) && out.contains(QStringLiteral("train longer (--epochs)")),
            qPrintable(out));
    }

    void anEarlierModelIsReplaced()
    {
        // The shipped model and the first one (format_version 1, no weights_sha256), copied
        // under another name: a model train wrote, whatever it is called now.
        const QString models = qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QStringLiteral("/models/");
        QTemporaryDir dir;
        const QString pt = dir.filePath(QStringLiteral("mine.pt"));
        const QString json = dir.filePath(QStringLiteral("mine.json"));
        QVERIFY(QFile::copy(models + QStringLiteral("predictive.pt"), pt));
        QVERIFY(QFile::copy(models + QStringLiteral("predictive.json"), json));
        const QStringList small {QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"),
                                 QStringLiteral("1"), QStringLiteral("--out"), pt};
        QString err;
        QCOMPARE(train(small, nullptr, &err), 0);
        QVERIFY2(err.contains(QStringLiteral("note: replaced the earlier model ") + pt + QStringLiteral(" and its metadata ") + json),
            qPrintable(err));
        QVERIFY(fileHash(pt) != fileHash(models + QStringLiteral("predictive.pt")));
        QFile metadata(json);
        QVERIFY(metadata.open(QIODevice::ReadOnly));
        QVERIFY(metadata.readAll().contains("\"samples\": 100"));
        metadata.close();
        // Its own output, trained again: replaced too.
        QCOMPARE(train(small, nullptr, &err), 0);
        QVERIFY2(err.contains(QStringLiteral("note: replaced the earlier model ")), qPrintable(err));
        // A format-1 metadata beside a model (the first one shipped, models/ at a2765ca).
        QVERIFY(metadata.open(QIODevice::WriteOnly | QIODevice::Truncate));
        metadata.write("{\n  \"activation\": \"relu\",\n  \"epochs\": 60,\n  \"format_version\": 1,\n"
                       "  \"hidden\": [32, 32],\n  \"horizons_s\": [5.0, 10.0, 15.0, 20.0, 25.0, 30.0],\n"
                       "  \"parameters\": 1638,\n  \"step_s\": 5.0,\n  \"window\": 5\n}\n");
        metadata.close();
        QCOMPARE(train(small, nullptr, &err), 0);
        QVERIFY2(err.contains(QStringLiteral("note: replaced the earlier model ")), qPrintable(err));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot),
            (QStringList {QStringLiteral("mine.json"), QStringLiteral("mine.pt")}));
    }

    // Two trains of one --out (seeds 1 and 2) wrote the same FILE.pt.tmp: one failed to rename
    // it, the other left a model beside the first's metadata, which run then refused, and the
    // earlier good model was gone (a new-user trial). A train holds its model while it writes:
    // another is refused, naming the file and the holder, and the earlier pair stays whole.
    void aModelBeingWrittenIsRefused()
    {
        const QString models = qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QStringLiteral("/models/");
        QTemporaryDir dir;
        const QString pt = dir.filePath(QStringLiteral("race.pt"));
        QVERIFY(QFile::copy(models + QStringLiteral("predictive.pt"), pt));
        QVERIFY(QFile::copy(models + QStringLiteral("predictive.json"), dir.filePath(QStringLiteral("race.json"))));
        QLockFile held(dir.filePath(QStringLiteral(".race.pt.headroom-train.lock"))); // as a running train holds it
        QVERIFY(held.tryLock(0));
        const QStringList small {QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"),
                                 QStringLiteral("1"), QStringLiteral("--out"), pt};
        QString out, err;
        QCOMPARE(train(small, &out, &err), 2);
        QVERIFY2(err.contains(QStringLiteral("--out: ") + pt + QStringLiteral(" is being written by another train (process ")
                     + QString::number(QCoreApplication::applicationPid()) + QLatin1Char(')')),
            qPrintable(err));
        QVERIFY2(!out.contains(QStringLiteral("epoch")), qPrintable(out)); // refused before training
        QCOMPARE(fileHash(pt), fileHash(models + QStringLiteral("predictive.pt")));
        QCOMPARE(fileHash(dir.filePath(QStringLiteral("race.json"))), fileHash(models + QStringLiteral("predictive.json")));
        // Once the holder is gone, the model is this train's: a pair that loads together.
        held.unlock();
        QCOMPARE(train(small, nullptr, &err), 0);
        const headroom::test::CliRun check = headroom::test::runCli({QStringLiteral("run"), QStringLiteral("--scenario"),
            QStringLiteral("seed-spike"), QStringLiteral("--duration"), QStringLiteral("10"), QStringLiteral("--controllers"),
            QStringLiteral("predictive"), QStringLiteral("--model"), pt, QStringLiteral("--out"), dir.filePath(QStringLiteral("run"))});
        QCOMPARE(check.exitCode, 0);
        QVERIFY2(!check.err.contains(QStringLiteral("could not be loaded")), qPrintable(check.err));
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot),
            (QStringList {QStringLiteral("race.json"), QStringLiteral("race.pt")}));
    }

    // train's write probe (FILE.pt.write-check) and temporary (FILE.pt.tmp, FILE.json.tmp) had
    // fixed names: a user's files of those names were overwritten and deleted without a word.
    void theUsersFilesBesideTheModelAreLeftAlone()
    {
        QTemporaryDir dir;
        const QStringList theirs {QStringLiteral("keep.json.tmp"), QStringLiteral("keep.pt.tmp"),
                                  QStringLiteral("keep.pt.write-check")};
        for (const QString &name : theirs) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("mine: " + name.toUtf8());
        }
        QCOMPARE(train({QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"), QStringLiteral("1"),
                        QStringLiteral("--out"), dir.filePath(QStringLiteral("keep.pt"))}),
                 0);
        // Written under a temporary's name, read by others as a file written in place is.
        QVERIFY(QFile::permissions(dir.filePath(QStringLiteral("keep.pt"))) & QFileDevice::ReadOther);
        QVERIFY(QFile::permissions(dir.filePath(QStringLiteral("keep.json"))) & QFileDevice::ReadOther);
        for (const QString &name : theirs) {
            QFile file(dir.filePath(name));
            QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(name));
            QCOMPARE(file.readAll(), "mine: " + name.toUtf8());
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot),
            (QStringList {QStringLiteral("keep.json"), QStringLiteral("keep.json.tmp"), QStringLiteral("keep.pt"),
                          QStringLiteral("keep.pt.tmp"), QStringLiteral("keep.pt.write-check")}));
    }

    // train --trace (a new-user trial): the trace reader's notes were a log line only, as run
    // prints them as note: lines; "training time" counted the synthetic windows alone; the
    // replacement note came before a trace too short to fit to, the earlier model kept; and a
    // sweep entry's @preset= was refused with advice to give --preset, which train does not have.
    void aTraceFitSaysWhatItRead()
    {
        const QString models = qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QStringLiteral("/models/");
        const QString nasa = qEnvironmentVariable("HEADROOM_SOURCE_DIR")
            + QStringLiteral("/resources/traces/nasa_http_jul1995_per_minute.csv");
        QTemporaryDir dir;
        const QString pt = dir.filePath(QStringLiteral("m.pt"));
        QString out, err;
        QCOMPARE(train({QStringLiteral("--samples"), QStringLiteral("200"), QStringLiteral("--epochs"), QStringLiteral("1"),
                        QStringLiteral("--trace"), nasa + QStringLiteral("@x60@hours=48"), QStringLiteral("--out"), pt},
                       &out, &err),
                 0);
        // NASA's holes (the outage of 1-3 August lies past 48 h; days 1-2 have minutes with no row).
        QVERIFY2(err.contains(QStringLiteral("\nnote: ")) || err.startsWith(QStringLiteral("note: ")), qPrintable(err));
        QVERIFY2(out.contains(QRegularExpression(QStringLiteral("\\(1 epoch, [0-9,]+ training windows: 160 of the 200 synthetic and [0-9]+ of the trace, seed "))),
            qPrintable(out));

        // An earlier model, and a trace too short to fit to: no word of replacing it, and kept.
        QVERIFY(QFile::remove(pt) && QFile::remove(dir.filePath(QStringLiteral("m.json"))));
        QVERIFY(QFile::copy(models + QStringLiteral("predictive.pt"), pt));
        QVERIFY(QFile::copy(models + QStringLiteral("predictive.json"), dir.filePath(QStringLiteral("m.json"))));
        QCOMPARE(train({QStringLiteral("--samples"), QStringLiteral("100"), QStringLiteral("--epochs"), QStringLiteral("1"),
                        QStringLiteral("--trace"), nasa + QStringLiteral("@x60@hours=1"), QStringLiteral("--out"), pt},
                       nullptr, &err),
                 2);
        QVERIFY2(err.contains(QStringLiteral("too short to fit to")) && !err.contains(QStringLiteral("replac")), qPrintable(err));
        QCOMPARE(fileHash(pt), fileHash(models + QStringLiteral("predictive.pt")));

        // A sweep entry's cluster option: what train does instead, not --preset.
        for (const QString &option : {QStringLiteral("@preset=llm"), QStringLiteral("@max-replicas=80")}) {
            QCOMPARE(train({QStringLiteral("--trace"), nasa + QStringLiteral("@x60") + option, QStringLiteral("--out"), pt},
                           nullptr, &err),
                     2);
            QVERIFY2(err.contains(option + QStringLiteral(" is a cluster option")) && err.contains(QStringLiteral("'--trace'"))
                    && !err.contains(QStringLiteral("--preset")) && !err.contains(QStringLiteral("--max-replicas")),
                qPrintable(err));
        }
    }

    void badOptionsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        // Worded as every other command words its options (found by a new-user trial).
        QTest::addRow("samples not a number") << QStringList {QStringLiteral("--samples"), QStringLiteral("lots")}
                                              << QStringLiteral("'--samples': 'lots' is not a whole number from 10 to 10000000");
        QTest::addRow("unknown option") << QStringList {QStringLiteral("--gpu")}
                                        << QStringLiteral("'--gpu': unknown option (see headroom-cli train --help)");
        QTest::addRow("missing value") << QStringList {QStringLiteral("--seed")} << QStringLiteral("'--seed': needs a value");
        QTest::addRow("twice") << QStringList {QStringLiteral("--seed=1"), QStringLiteral("--seed"), QStringLiteral("2")}
                               << QStringLiteral("'--seed': given twice");
        QTest::addRow("empty out") << QStringList {QStringLiteral("--out=")} << QStringLiteral("'--out': ");
        // A folder that does not exist is a bad command line too (it exited 1).
        QTest::addRow("out in a missing folder") << QStringList {QStringLiteral("--out"), QStringLiteral("/nonexistent-dir/x.pt")}
                                                 << QStringLiteral("--out: /nonexistent-dir/x.pt: ");
        // --evaluate trains nothing: the options of training beside it were ignored silently.
        for (const char *option : {"--out", "--samples", "--epochs"}) {
            QTest::addRow("%s with --evaluate", option)
                << QStringList {QStringLiteral("--evaluate"), QStringLiteral("models/predictive.pt"), QStringLiteral("--trace"),
                                QStringLiteral("nasa_http_jul1995_per_minute.csv"), QString::fromLatin1(option),
                                QString::fromLatin1(option) == QLatin1String("--out") ? QStringLiteral("/tmp/x.pt") : QStringLiteral("100")}
                << QStringLiteral("'%1': has no use with --evaluate, which trains nothing").arg(QLatin1String(option));
        }
    }
    void badOptionsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, named);
        QString err;
        QCOMPARE(train(args, nullptr, &err), 2);
        QVERIFY2(err.contains(named), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestTrain)
#include "tst_train.moc"
