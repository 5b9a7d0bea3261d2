// headroom-cli train: the committed model is exactly what the command produces.
#include "clirun.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QProcess>
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

    void badOptionsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("named");
        QTest::addRow("samples not a number") << QStringList {QStringLiteral("--samples"), QStringLiteral("lots")} << QStringLiteral("--samples");
        QTest::addRow("unknown option") << QStringList {QStringLiteral("--gpu")} << QStringLiteral("--gpu");
        QTest::addRow("missing value") << QStringList {QStringLiteral("--seed")} << QStringLiteral("--seed");
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
