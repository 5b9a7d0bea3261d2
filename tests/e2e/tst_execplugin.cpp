// A kubeconfig user's exec credential plugin against a served cluster that wants a token or
// a client certificate: the plugin's credential signs in, is asked for again when it
// expires, and once more when the server refuses it.
#include "servetest.h"

#include "cluster/remotelane.h"
#include "sim/cluster.h"

#include <QElapsedTimer>

using namespace headroom;
using namespace headroom::test;
using Json = nlohmann::json;

namespace {

const QByteArray kToken = "served-token";

QString write(const QString &path, const QByteArray &text)
{
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    f.close();
    return path;
}

// A plugin in `dir`: counts its runs in dir/runs and prints dir/cred-N.json for its Nth run
// (dir/cred.json when there is none), EXPIRY replaced by the time $EXPIRES_IN seconds on.
QString plugin(const QTemporaryDir &dir)
{
    const QString path = write(dir.filePath("plugin.sh"),
        "#!/bin/sh\n"
        "d=$(dirname \"$0\")\n"
        "n=$(cat \"$d/runs\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$d/runs\"\n"
        "f=\"$d/cred-$n.json\"; [ -f \"$f\" ] || f=\"$d/cred.json\"\n"
        "sed \"s/EXPIRY/$(date -u -d \"+${EXPIRES_IN:-3600} seconds\" +%Y-%m-%dT%H:%M:%SZ)/\" \"$f\"\n");
    QFile::setPermissions(path, QFile::permissions(path) | QFile::ExeOwner | QFile::ExeUser);
    return path;
}

QByteArray tokenCredential(const QByteArray &token)
{
    return Json({{"apiVersion", "client.authentication.k8s.io/v1"}, {"kind", "ExecCredential"},
                 {"status", {{"token", token.toStdString()}, {"expirationTimestamp", "EXPIRY"}}}})
        .dump()
        .c_str();
}

// A kubeconfig for the server at `url`, its user signing in through the plugin beside it.
QString kubeconfig(const QTemporaryDir &dir, const QString &url, const QString &extra = {}, int expiresInS = 3600)
{
    return write(dir.filePath("config"), QStringLiteral(
        "current-context: sim\n"
        "clusters:\n- name: sim\n  cluster:\n    server: %1\n%2"
        "users:\n- name: robot\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
        "      command: ./plugin.sh\n      interactiveMode: Never\n"
        "      env: [{name: EXPIRES_IN, value: \"%3\"}]\n"
        "contexts:\n- name: sim\n  context: {cluster: sim, user: robot}\n").arg(url, extra).arg(expiresInS).toUtf8());
}

int runs(const QTemporaryDir &dir)
{
    QFile f(dir.filePath("runs"));
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed().toInt() : 0;
}

} // namespace

class TestExecPlugin : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // headroom-cli control with a kubeconfig whose user is a plugin: its token is the one
    // serve wants (run once for the API and the metrics both); a wrong one is refused with
    // the server's 401 after one more run of the plugin.
    void aPluginsTokenSignsIn()
    {
        QTemporaryDir dir;
        write(dir.filePath("token"), kToken + "\n");
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "5", "--token-file", dir.filePath("token")}));
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(server.port);
        plugin(dir);
        write(dir.filePath("cred.json"), tokenCredential(kToken));
        const QString config = kubeconfig(dir, url);
        CliRun run = runCli({"control", "--kubeconfig", config, "--controller", "kpa", "--duration", "10"}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("controlling deployment default/inference"), run.out.constData());
        QCOMPARE(runs(dir), 1);
        QVERIFY2(run.err.contains("ran credential plugin " + dir.filePath("plugin.sh") + " for user robot"), qPrintable(run.err));
        QVERIFY2(!run.err.contains(kToken) && !run.out.contains(kToken), qPrintable(run.err));

        // A token the server does not take: run again once on the 401, then refused.
        QFile::remove(dir.filePath("runs"));
        write(dir.filePath("cred.json"), tokenCredential("not-the-token"));
        run = runCli({"control", "--kubeconfig", config, "--controller", "kpa", "--duration", "10"}, 60000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("cannot read the cluster") && run.err.contains("HTTP 401")
                     && run.err.contains("; sent the exec credential plugin's credentials (kubeconfig " + config),
                 qPrintable(run.err));
        QCOMPARE(runs(dir), 2);

        // Refused first, taken after the second run (a token revoked meanwhile).
        QFile::remove(dir.filePath("runs"));
        write(dir.filePath("cred-1.json"), tokenCredential("revoked-token"));
        write(dir.filePath("cred.json"), tokenCredential(kToken));
        run = runCli({"control", "--kubeconfig", config, "--controller", "kpa", "--duration", "10"}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(runs(dir), 2);
        QVERIFY2(run.err.contains("the server refused the credential of plugin"), qPrintable(run.err));

        // $KUBECONFIG, the plugin's user in the second file: found, its command beside it.
        QFile::remove(dir.filePath("runs"));
        QFile::remove(dir.filePath("cred-1.json"));
        QTemporaryDir other;
        const QString first = write(other.filePath("first"), "current-context: sim\n");
        qputenv("KUBECONFIG", (first + ":" + other.filePath("missing") + ":" + config).toUtf8());
        run = runCli({"control", "--controller", "kpa", "--duration", "10"}, 60000);
        qunsetenv("KUBECONFIG");
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(runs(dir), 1);
    }

    // The plugin's credential is kept until it expires, then asked for again, while the
    // cluster is read without a second's failure.
    void anExpiredCredentialIsAskedForAgain()
    {
        QTemporaryDir dir;
        write(dir.filePath("token"), kToken + "\n");
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--token-file", dir.filePath("token")}));
        plugin(dir);
        write(dir.filePath("cred.json"), tokenCredential(kToken));
        cluster::RemoteTarget target;
        target.kubeconfig = kubeconfig(dir, QStringLiteral("http://127.0.0.1:%1").arg(server.port), {}, 1).toStdString();
        auto cluster = cluster::openRemoteCluster(target, sim::ClusterConfig {});
        QVERIFY(cluster::readFirstTime(*cluster));
        QCOMPARE(runs(dir), 1);
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < 3500) {
            cluster->poll();
            QVERIFY2(cluster->lastError().empty(), cluster->lastError().c_str());
            QTest::qWait(250);
        }
        // Expiring every second (the timestamp's whole seconds: 0 to 1 s on), over 3.5 s.
        QVERIFY2(runs(dir) >= 3 && runs(dir) <= 15, qPrintable(QString::number(runs(dir))));
    }

    // A plugin that gives a client certificate and key: the TLS handshake shows them.
    void aPluginsClientCertificateSignsIn()
    {
        const QString tls = sourcePath(QStringLiteral("tests/data/tls/"));
        QTemporaryDir dir;
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "5", "--tls-cert", tls + "server.crt",
                              "--tls-key", tls + "server.key", "--client-ca", tls + "ca.crt"}));
        plugin(dir);
        const auto readAll = [](const QString &path) {
            QFile f(path);
            f.open(QIODevice::ReadOnly);
            return f.readAll().toStdString();
        };
        write(dir.filePath("cred.json"),
              Json({{"apiVersion", "client.authentication.k8s.io/v1"}, {"kind", "ExecCredential"},
                    {"status", {{"clientCertificateData", readAll(tls + "client.crt")},
                                {"clientKeyData", readAll(tls + "client.key")}}}}).dump().c_str());
        const QString config = kubeconfig(dir, QStringLiteral("https://127.0.0.1:%1").arg(server.port),
                                          "    certificate-authority: " + tls + "ca.crt\n");
        CliRun run = runCli({"control", "--kubeconfig", config, "--controller", "kpa", "--duration", "5"}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(runs(dir), 1);
        // Without the certificate (the plugin gives a token the server does not ask for): refused.
        QFile::remove(dir.filePath("runs"));
        write(dir.filePath("cred.json"), tokenCredential("just-a-token"));
        run = runCli({"control", "--kubeconfig", config, "--controller", "kpa", "--duration", "5"}, 60000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("TLS"), qPrintable(run.err));
    }

    // A failing plugin stops control before any controller runs, saying which and why.
    void aFailingPluginIsNamed()
    {
        QTemporaryDir dir;
        const QString path = write(dir.filePath("plugin.sh"), "#!/bin/sh\necho 'token expired: run sso login' >&2\nexit 3\n");
        QFile::setPermissions(path, QFile::permissions(path) | QFile::ExeOwner | QFile::ExeUser);
        const QString config = kubeconfig(dir, "http://127.0.0.1:1");
        const CliRun run = runCli({"control", "--kubeconfig", config, "--controller", "kpa", "--duration", "5"}, 60000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(config + ", field 'users[robot].user.exec': credential plugin '" + path
                                  + "' failed (exit code 3): token expired: run sso login"),
                 qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestExecPlugin)
#include "tst_execplugin.moc"
