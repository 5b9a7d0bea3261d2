// headroom-cli kpa --input FILE: one KPA decision per input file in tests/data/kpa/, compared
// with the hand-computed fields of NAME.expected.json; bad files exit 2 naming the field.
#include "clirun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTest>

namespace {

QString dataPath(const QString &name)
{
    return qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QStringLiteral("/tests/data/kpa/")
        + name;
}

using Run = headroom::test::CliRun;

Run kpa(const QStringList &args)
{
    return headroom::test::runCli(QStringList {QStringLiteral("kpa")} + args, 30000);
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

bool reasonsContain(const QJsonArray &reasons, const QString &text)
{
    for (const QJsonValue &r : reasons) {
        if (r.toString().contains(text))
            return true;
    }
    return false;
}

} // namespace

class TestKpaCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decision_data()
    {
        QTest::addColumn<QString>("name");
        const QStringList filter {QStringLiteral("*.expected.json")};
        const QStringList expected = QDir(dataPath(QString())).entryList(filter, QDir::Files);
        QVERIFY(expected.size() >= 10);
        for (QString file : expected) {
            file.chop(int(qstrlen(".expected.json")));
            QTest::newRow(qPrintable(file)) << file;
        }
    }

    void decision()
    {
        QFETCH(QString, name);
        const Run run = kpa({QStringLiteral("--input"), dataPath(name + QStringLiteral(".json"))});
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY(run.out.startsWith("{\n  \"desired_pods\": "));
        const QJsonObject out = QJsonDocument::fromJson(run.out).object();
        for (const char *key : {"desired_pods", "stable_concurrency", "panic_concurrency",
                                "stable_desired", "panic_desired", "panicking", "reasons"})
            QVERIFY2(out.contains(QLatin1String(key)), key);
        const QJsonObject expect = readJson(dataPath(name + QStringLiteral(".expected.json")));
        for (auto it = expect.begin(); it != expect.end(); ++it) {
            if (it.key() == QLatin1String("reasons_contain")) {
                for (const QJsonValue &text : it.value().toArray())
                    QVERIFY2(reasonsContain(out.value(QStringLiteral("reasons")).toArray(),
                                            text.toString()),
                             qPrintable(text.toString() + QStringLiteral(" in ")
                                        + QString::fromUtf8(run.out)));
                continue;
            }
            QVERIFY2(out.contains(it.key()), qPrintable(it.key()));
            const QJsonValue got = out.value(it.key());
            const QString why = it.key() + QStringLiteral(": ") + QString::fromUtf8(run.out);
            if (it.value().isDouble())
                QVERIFY2(qAbs(got.toDouble() - it.value().toDouble()) < 1e-6, qPrintable(why));
            else
                QVERIFY2(got == it.value(), qPrintable(why));
        }
    }

    void badInput_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("field");
        QTest::newRow("unknown key") << "bad-unknown-key.json" << "'kpa.stable_windows_s'";
        QTest::newRow("unknown top-level key") << "bad-top-level-key.json" << "'windows'";
        QTest::newRow("string for a count") << "bad-type.json" << "'state.ready_pods'";
        QTest::newRow("string for a flag") << "bad-bool.json" << "'kpa.enable_scale_to_zero'";
        QTest::newRow("negative sample") << "bad-negative-sample.json" << "'concurrency[2]'";
        QTest::newRow("activator requests past any load") << "bad-activator-requests.json"
                                                          << "'state.activator_requests'";
        QTest::newRow("negative max_scale") << "bad-negative-config.json" << "'kpa.max_scale'";
        QTest::newRow("threshold below 110 %") << "bad-threshold-range.json"
                                               << "'kpa.panic_threshold_percentage'";
        QTest::newRow("missing ready_pods") << "bad-missing-ready.json" << "'state.ready_pods'";
        QTest::newRow("no samples") << "bad-empty-concurrency.json" << "'concurrency'";
        QTest::newRow("restart with a panic state") << "bad-restart-conflict.json"
                                                    << "'state.panicking'";
        QTest::newRow("number as a comment") << "bad-comment.json" << "'_comment'";
        QTest::newRow("malformed JSON") << "bad-malformed.json" << "malformed JSON";
        QTest::newRow("missing file") << "no-such-file.json" << "no-such-file.json";
    }

    void badInput()
    {
        QFETCH(QString, file);
        QFETCH(QString, field);
        const Run run = kpa({QStringLiteral("--input"), dataPath(file)});
        QCOMPARE(run.exitCode, 2);
        QVERIFY(run.out.isEmpty());
        QVERIFY2(run.err.contains(file), qPrintable(run.err));
        QVERIFY2(run.err.contains(field), qPrintable(run.err));
    }

    void badCommandLine()
    {
        const Run none = kpa({});
        QCOMPARE(none.exitCode, 2);
        QVERIFY2(none.err.contains("'--input': give the file to read (--input FILE)"), qPrintable(none.err));
        const QString steady = dataPath(QStringLiteral("steady.json"));
        const Run misspelt = kpa({QStringLiteral("--inptu"), steady});
        QCOMPARE(misspelt.exitCode, 2);
        QVERIFY2(misspelt.err.contains("'--inptu': unknown option (see headroom-cli kpa --help)"), qPrintable(misspelt.err));
        const Run twice = kpa({QStringLiteral("--input"), steady, QStringLiteral("--input=") + steady});
        QCOMPARE(twice.exitCode, 2);
        QVERIFY2(twice.err.contains("'--input': given twice"), qPrintable(twice.err));
        QCOMPARE(kpa({QStringLiteral("--help")}).exitCode, 0);
        const Run joined = kpa({QStringLiteral("--input=") + steady});
        QCOMPARE(joined.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(joined.out).object().value(QStringLiteral("desired_pods")),
                 QJsonValue(2));
    }
};

QTEST_GUILESS_MAIN(TestKpaCommand)
#include "tst_kpacommand.moc"
