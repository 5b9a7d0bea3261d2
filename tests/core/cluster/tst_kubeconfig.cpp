// Finding a cluster's API and credentials as kubectl does: kubeconfig files and a pod's
// service account.
#include "cluster/kubeconfig.h"
#include "io/inputerror.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <nlohmann/json.hpp>

#include <cstdlib>

using namespace headroom;

namespace {

QString tlsData(const QString &name)
{
    return qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QStringLiteral("/tests/data/tls/") + name;
}

std::string readAll(const QString &path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return f.readAll().toStdString();
}

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &text)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    f.open(QIODevice::WriteOnly);
    f.write(text);
    return path;
}

// A kubeconfig with two contexts: "sim" (https, CA and client certificate files relative
// to the file, a token file) and "plain" (http, an inline token, a namespace).
QByteArray twoContexts(const QString &caFile)
{
    return QStringLiteral("apiVersion: v1\n"
        "kind: Config\n"
        "current-context: sim\n"
        "clusters:\n"
        "- name: sim\n"
        "  cluster:\n"
        "    server: https://127.0.0.1:6443\n"
        "    certificate-authority: %1\n"
        "- name: plain\n"
        "  cluster:\n"
        "    server: http://127.0.0.1:8080/\n"
        "users:\n"
        "- name: me\n"
        "  user:\n"
        "    tokenFile: token\n"
        "    client-certificate: client.crt\n"
        "    client-key: client.key\n"
        "- name: robot\n"
        "  user:\n"
        "    token: abc.def\n"
        "contexts:\n"
        "- name: sim\n"
        "  context: {cluster: sim, user: me}\n"
        "- name: plain\n"
        "  context: {cluster: plain, user: robot, namespace: serving}\n"
        "").arg(caFile).toUtf8();
}

// An executable shell script in `dir`.
QString script(const QTemporaryDir &dir, const QString &name, const QByteArray &body)
{
    const QString path = write(dir, name, "#!/bin/sh\n" + body);
    QFile::setPermissions(path, QFile::permissions(path) | QFile::ExeOwner | QFile::ExeUser);
    return path;
}

// A kubeconfig whose one user signs in through `exec` (YAML flow map fields).
QByteArray execConfig(const QString &exec)
{
    return QStringLiteral("current-context: c\n"
        "clusters:\n- name: k\n  cluster:\n    server: http://127.0.0.1:8080\n"
        "    extensions:\n    - name: client.authentication.k8s.io/exec\n      extension: {audience: sim, retries: 2}\n"
        "users:\n- name: plugged\n  user:\n    exec: {%1}\n"
        "contexts:\n- name: c\n  context: {cluster: k, user: plugged}\n").arg(exec).toUtf8();
}

// What a plugin's failure says: the error's text, or "" when it did not fail.
QString failure(cluster::CredentialPlugin &plugin)
{
    try {
        plugin.credentials();
    } catch (const InputError &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestKubeconfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsTheCurrentContextAndFilesBesideIt()
    {
        QTemporaryDir dir;
        write(dir, "token", "s3cret\n");
        write(dir, "client.crt", QByteArray::fromStdString(readAll(tlsData("client.crt"))));
        write(dir, "client.key", QByteArray::fromStdString(readAll(tlsData("client.key"))));
        const QString config = write(dir, "config", twoContexts(tlsData("ca.crt")));
        const cluster::ClusterAccess a = cluster::readKubeconfig(config.toStdString(), {});
        QVERIFY(a.server.https);
        QCOMPARE(a.server.host, std::string("127.0.0.1"));
        QCOMPARE(a.server.port, std::string("6443"));
        QCOMPARE(a.token, std::string("s3cret"));
        QCOMPARE(a.tls.caPem, readAll(tlsData("ca.crt")));
        QCOMPARE(a.tls.clientCertPem, readAll(tlsData("client.crt")));
        QCOMPARE(a.tls.clientKeyPem, readAll(tlsData("client.key")));
        QVERIFY(a.ns.empty());
        QVERIFY(a.describe.find("context sim") != std::string::npos);

        const cluster::ClusterAccess p = cluster::readKubeconfig(config.toStdString(), "plain");
        QVERIFY(!p.server.https);
        QCOMPARE(p.server.url, std::string("http://127.0.0.1:8080"));
        QCOMPARE(p.token, std::string("abc.def"));
        QCOMPARE(p.ns, std::string("serving"));
    }

    void inlineDataIsBase64()
    {
        QTemporaryDir dir;
        const QByteArray ca = QByteArray::fromStdString(readAll(tlsData("ca.crt")));
        const QString config = write(dir, "config", QByteArray("current-context: c\n"
        "clusters:\n"
        "- name: k\n"
        "  cluster:\n"
        "    server: https://10.0.0.1\n"
        "    certificate-authority-data: ") + ca.toBase64() + "\n"
        "    insecure-skip-tls-verify: true\n"
        "users:\n"
        "- name: u\n"
        "  user:\n"
        "    client-certificate-data: " + QByteArray("cert").toBase64() + "\n"
        "    client-key-data: " + QByteArray("key").toBase64() + "\n"
        "contexts:\n"
        "- name: c\n"
        "  context: {cluster: k, user: u}\n"
        "");
        const cluster::ClusterAccess a = cluster::readKubeconfig(config.toStdString(), {});
        QCOMPARE(a.server.port, std::string("443"));
        QCOMPARE(a.tls.caPem, ca.toStdString());
        QCOMPARE(a.tls.clientCertPem, std::string("cert"));
        QCOMPARE(a.tls.clientKeyPem, std::string("key"));
        QVERIFY(a.tls.insecureSkipVerify);
    }

    void badFilesSayWhereAndWhat_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("context");
        QTest::addColumn<QString>("message");
        const QByteArray base = "clusters:\n"
        "- name: k\n"
        "  cluster: {server: \"https://127.0.0.1:6443\"}\n"
        "users:\n"
        "- name: u\n"
        "  user: {token: t}\n"
        "- name: plugin\n"
        "  user:\n"
        "    exec: {command: aws, apiVersion: client.authentication.k8s.io/v1beta1}\n"
        "- name: gcp\n  user:\n    auth-provider: {name: gcp}\n"
        "- name: alpha\n  user:\n    exec: {command: x, apiVersion: client.authentication.k8s.io/v1alpha1}\n"
        "- name: nocmd\n  user:\n    exec: {apiVersion: client.authentication.k8s.io/v1}\n"
        "- name: tty\n  user:\n    exec: {command: x, apiVersion: client.authentication.k8s.io/v1, interactiveMode: Always}\n"
        "contexts:\n"
        "- name: legacy\n  context: {cluster: k, user: gcp}\n"
        "- name: old\n  context: {cluster: k, user: alpha}\n"
        "- name: nocmd\n  context: {cluster: k, user: nocmd}\n"
        "- name: tty\n  context: {cluster: k, user: tty}\n"
        "- name: c\n"
        "  context: {cluster: k, user: u}\n"
        "- name: e\n"
        "  context: {cluster: k, user: plugin}\n"
        "- name: lost\n"
        "  context: {cluster: nowhere, user: u}\n"
        "";
        QTest::newRow("no current context") << base << "" << "field 'current-context': none set";
        // A new-user trial's empty file was "current-context: none set", sending them to --context.
        QTest::newRow("empty file") << QByteArray() << ""
            << "field 'kubeconfig': the file is empty: it holds no kubeconfig (no clusters, users or contexts)";
        QTest::newRow("comments only") << QByteArray("# nothing yet\n") << "c" << "field 'kubeconfig': the file is empty";
        QTest::newRow("unknown context") << base << "prod" << "field 'contexts': has no entry named 'prod'";
        QTest::newRow("unknown cluster") << base << "lost" << "field 'clusters': has no entry named 'nowhere'";
        QTest::newRow("auth-provider") << base << "legacy"
            << "field 'users[gcp].user.auth-provider': the legacy auth-provider mechanism, which kubectl has removed";
        QTest::newRow("exec v1alpha1") << base << "old" << "field 'users[alpha].user.exec.apiVersion': v1alpha1 is no longer taken";
        QTest::newRow("exec without command") << base << "nocmd" << "field 'users[nocmd].user.exec.command': missing";
        QTest::newRow("exec interactive") << base << "tty"
            << "field 'users[tty].user.exec.interactiveMode': Always: this plugin wants a terminal";
        QTest::newRow("not yaml") << QByteArray("clusters: [\n  - {name: k\n") << "c" << "not YAML";
        QTest::newRow("not a map") << QByteArray("- a\n- b\n") << "c" << "not a kubeconfig";
        QTest::newRow("ftp server") << QByteArray("clusters:\n"
        "- name: k\n"
        "  cluster: {server: \"ftp://h\"}\n"
        "contexts:\n"
        "- name: c\n"
        "  context: {cluster: k}\n"
        "") << "c" << "clusters[k].cluster.server";
        QTest::newRow("bad base64") << QByteArray("clusters:\n"
        "- name: k\n"
        "  cluster: {server: \"https://h\", certificate-authority-data: \"@@@\"}\n"
        "contexts:\n"
        "- name: c\n"
        "  context: {cluster: k}\n"
        "") << "c" << "certificate-authority-data': not base64, or empty";
        QTest::newRow("missing ca file") << QByteArray("clusters:\n"
        "- name: k\n"
        "  cluster: {server: \"https://h\", certificate-authority: /nonexistent/ca.crt}\n"
        "contexts:\n"
        "- name: c\n"
        "  context: {cluster: k}\n"
        "") << "c" << "/nonexistent/ca.crt: does not exist";
        QTest::newRow("clusters not a list") << QByteArray("clusters: oops\ncontexts:\n- name: c\n  context: {cluster: k}\n")
            << "c" << "field 'clusters': not a list of named entries";
    }

    void badFilesSayWhereAndWhat()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, context);
        QFETCH(QString, message);
        QTemporaryDir dir;
        const QString config = write(dir, "config", text);
        try {
            cluster::readKubeconfig(config.toStdString(), context.toStdString());
            QFAIL("read");
        } catch (const InputError &e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.contains(message) && what.contains(config), qPrintable(what));
        }
    }

    void aMissingFileIsNamed()
    {
        try {
            cluster::readKubeconfig("/nonexistent/kubeconfig", {});
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(std::string(e.what()).find("/nonexistent/kubeconfig") != std::string::npos, e.what());
        }
    }

    // Found by a new-user trial: a folder was an uncaught exception ("basic_filebuf::underflow"),
    // and /dev/zero as a kubeconfig or a token file grew without bound.
    void aFolderOrAnEndlessFileIsNamed_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("says");
        QTest::addRow("folder") << QStringLiteral("/tmp") << QStringLiteral("/tmp, field 'kubeconfig': a folder, not a file");
        QTest::addRow("endless") << QStringLiteral("/dev/zero") << QStringLiteral("/dev/zero, field 'kubeconfig': larger than 1 MB");
    }
    void aFolderOrAnEndlessFileIsNamed()
    {
        QFETCH(QString, path);
        QFETCH(QString, says);
        try {
            cluster::readKubeconfig(path.toStdString(), {});
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(says), e.what());
        }
        try {
            cluster::readTokenFile("--token-file", path.toStdString());
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(path + ", field '--token-file': "), e.what());
        }
    }

    // Token files are read as kubectl reads them, without the whitespace around the token: a
    // new-user trial's "  sekret123  " was sent with its spaces and refused 401.
    void tokenFilesAreTrimmed()
    {
        QTemporaryDir dir;
        write(dir, "token", "  sekret123 \t\r\n\n");
        const QString config = write(dir, "config", "current-context: c\nclusters:\n- name: k\n  cluster: {server: \"http://127.0.0.1:1\"}\n"
                                                    "users:\n- name: u\n  user: {tokenFile: token}\n"
                                                    "contexts:\n- name: c\n  context: {cluster: k, user: u}\n");
        QCOMPARE(cluster::readKubeconfig(config.toStdString(), {}).token, std::string("sekret123"));
        QCOMPARE(cluster::readTokenFile("--token-file", dir.filePath("token").toStdString()), std::string("sekret123"));
        // Two lines are no token: kubectl would send both, line break and all, and be refused.
        // (Taking the first line alone, as Headroom did, ran where kubectl does not.)
        write(dir, "late", "\r\n  sekret123  \r\nsecond line\n");
        try {
            cluster::readTokenFile("--token-file", dir.filePath("late").toStdString());
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(dir.filePath("late"))
                         && QString::fromUtf8(e.what()).contains("field '--token-file': holds more than one line"),
                e.what());
        }
        write(dir, "token", "sekret123\nsecond line\n");
        try {
            cluster::readKubeconfig(config.toStdString(), {});
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("users[u].user.tokenFile': " + dir.filePath("token")
                                                          + ": holds more than one line"), e.what());
        }
        // Nothing but whitespace is no token, said as such.
        write(dir, "token", " \r\n\t\n");
        try {
            cluster::readKubeconfig(config.toStdString(), {});
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("users[u].user.tokenFile': " + dir.filePath("token")
                                                          + ": holds only whitespace, no token"), e.what());
        }
        try {
            cluster::readTokenFile("--token-file", dir.filePath("token").toStdString());
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains("field '--token-file': holds only whitespace, no token"), e.what());
        }
    }

    void kubeconfigVariableIsAList()
    {
        qputenv("KUBECONFIG", "/tmp/first::/tmp/second:");
        QCOMPARE(cluster::kubeconfigVariable(), (std::vector<std::string> {"/tmp/first", "/tmp/second"}));
        qunsetenv("KUBECONFIG");
        QVERIFY(cluster::kubeconfigVariable().empty());
        // Unset: ~/.kube/config, which must then exist.
        QTemporaryDir home;
        qputenv("HOME", home.path().toUtf8());
        try {
            cluster::readDefaultKubeconfig({});
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(std::string(e.what()).find(home.path().toStdString() + "/.kube/config") != std::string::npos, e.what());
        }
    }

    // kubectl's merge of $KUBECONFIG: the first file to name a cluster, user or context wins
    // it; the current-context is the first file's that sets one; files that are not there
    // are skipped; each file's relative paths are its own folder's.
    void kubeconfigListsAreMerged()
    {
        QTemporaryDir dir;
        QDir(dir.path()).mkpath("a");
        QDir(dir.path()).mkpath("b");
        write(dir, "a/token", "token-of-a\n");
        write(dir, "b/token", "token-of-b\n");
        const QString first = write(dir, "a/config", "clusters:\n"
            "- name: k\n  cluster: {server: \"http://127.0.0.1:1001\"}\n"
            "users:\n- name: shared\n  user: {tokenFile: token}\n"
            "contexts:\n- name: one\n  context: {cluster: k, user: only-in-b, namespace: first}\n"
            "- name: both\n  context: {cluster: k, user: shared}\n");
        const QString second = write(dir, "b/config", "current-context: one\n"
            "clusters:\n- name: k\n  cluster: {server: \"http://127.0.0.1:2002\"}\n"
            "- name: k2\n  cluster: {server: \"http://127.0.0.1:2003\"}\n"
            "users:\n- name: shared\n  user: {token: not-this-one}\n"
            "- name: only-in-b\n  user: {tokenFile: token}\n"
            "contexts:\n- name: one\n  context: {cluster: k2, user: shared, namespace: second}\n"
            "- name: two\n  context: {cluster: k2, user: shared}\n");
        const QString third = write(dir, "third", "current-context: two\n");
        const std::vector<std::string> list {"/nonexistent/config", first.toStdString(), second.toStdString(),
                                             third.toStdString()};
        // current-context "one" from the second file (the first sets none; the third's comes
        // later), and context "one" from the first file, which names it first.
        const cluster::ClusterAccess a = cluster::readKubeconfigs(list, {});
        QCOMPARE(a.ns, std::string("first"));
        QCOMPARE(a.server.url, std::string("http://127.0.0.1:1001")); // cluster k: the first file's
        QCOMPARE(a.token, std::string("token-of-b")); // only in b, its tokenFile beside b/config
        const cluster::ClusterAccess both = cluster::readKubeconfigs(list, "both");
        QCOMPARE(both.token, std::string("token-of-a")); // user "shared": the first file's, beside a/config
        const cluster::ClusterAccess two = cluster::readKubeconfigs(list, "two");
        QCOMPARE(two.server.url, std::string("http://127.0.0.1:2003"));
        QCOMPARE(two.token, std::string("token-of-a"));

        // Through $KUBECONFIG, empty entries and all.
        qputenv("KUBECONFIG", QStringLiteral("::%1:/nonexistent/x:%2").arg(first, second).toUtf8());
        QCOMPARE(cluster::readDefaultKubeconfig({}).ns, std::string("first"));
        qunsetenv("KUBECONFIG");

        // A file that is there but broken is named, though a file before it has everything.
        const QString broken = write(dir, "broken", "clusters: [\n  - {name: k\n");
        try {
            cluster::readKubeconfigs({first.toStdString(), broken.toStdString()}, "both");
            QFAIL("read");
        } catch (const InputError &e) {
            const std::string what = e.what();
            QVERIFY2(what.find(broken.toStdString()) != std::string::npos && what.find("not YAML") != std::string::npos,
                     e.what());
        }
        // A bad field is named in the file it came from.
        write(dir, "b/token", "");
        try {
            cluster::readKubeconfigs(list, {});
            QFAIL("read");
        } catch (const InputError &e) {
            const std::string what = e.what();
            QVERIFY2(what.find(second.toStdString() + ", field 'users[only-in-b].user.tokenFile'") != std::string::npos,
                     e.what());
        }
        // None there: said, with the list.
        try {
            cluster::readKubeconfigs({"/nonexistent/one", "/nonexistent/two"}, {});
            QFAIL("read");
        } catch (const InputError &e) {
            const std::string what = e.what();
            QVERIFY2(what.find("/nonexistent/one:/nonexistent/two") != std::string::npos
                         && what.find("none of $KUBECONFIG's files exists") != std::string::npos, e.what());
        }
        // A context that no file has: said, as from any file of the list.
        try {
            cluster::readKubeconfigs(list, "prod");
            QFAIL("read");
        } catch (const InputError &e) {
            QVERIFY2(std::string(e.what()).find("has no entry named 'prod' (in any file of $KUBECONFIG)") != std::string::npos,
                     e.what());
        }
    }

    // The plugin is read from the kubeconfig (a relative command is the kubeconfig folder's)
    // and run as kubectl runs it: its args, its env added, the ExecCredential request in
    // KUBERNETES_EXEC_INFO, spec.cluster only with provideClusterInfo; no stdin.
    void execPluginsRunAsKubectlRunsThem()
    {
        QTemporaryDir dir;
        QDir(dir.path()).mkpath("bin");
        script(dir, "bin/plugin", "printf '%s\\n' \"$KUBERNETES_EXEC_INFO\" > \"$0.info\"\n"
            "printf '%s|' \"$@\" \"$PLUGIN_GREETING\" \"$HOME\" > \"$0.args\"\n"
            "if read line; then echo stdin-was-open >> \"$0.args\"; fi\n"
            "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
            "\"status\":{\"token\":\"tok-123\"}}'\n");
        const QString config = write(dir, "config", execConfig(
            "command: ./bin/plugin, args: [get-token, --cluster, \"a b\"], apiVersion: client.authentication.k8s.io/v1, "
            "env: [{name: PLUGIN_GREETING, value: hello}], interactiveMode: IfAvailable"));
        cluster::ClusterAccess a = cluster::readKubeconfig(config.toStdString(), {});
        QVERIFY(a.plugin);
        QCOMPARE(a.plugin->config().command, dir.filePath("bin/plugin").toStdString());
        QCOMPARE(a.plugin->runs(), 0L); // not run until a credential is wanted
        const cluster::Credentials c = a.plugin->credentials();
        QCOMPARE(c.token, std::string("tok-123"));
        QCOMPARE(a.plugin->credentials().token, std::string("tok-123"));
        QCOMPARE(a.plugin->runs(), 1L); // no expiry: kept
        QCOMPARE(QString::fromStdString(readAll(dir.filePath("bin/plugin.args"))),
                 QStringLiteral("get-token|--cluster|a b|hello|%1|").arg(qEnvironmentVariable("HOME")));
        const nlohmann::json info = nlohmann::json::parse(readAll(dir.filePath("bin/plugin.info")));
        QCOMPARE(info["apiVersion"].get<std::string>(), std::string("client.authentication.k8s.io/v1"));
        QCOMPARE(info["kind"].get<std::string>(), std::string("ExecCredential"));
        QVERIFY(info["spec"]["interactive"] == false);
        QVERIFY(!info["spec"].contains("cluster"));

        // provideClusterInfo: the cluster's server, CA and the exec extension's config.
        const QByteArray ca = QByteArray::fromStdString(readAll(tlsData("ca.crt")));
        QByteArray withInfo = execConfig("command: ./bin/plugin, apiVersion: client.authentication.k8s.io/v1, provideClusterInfo: true");
        withInfo.replace(QByteArray("server: http://127.0.0.1:8080\n"),
            QByteArray(QByteArray("server: https://127.0.0.1:6443\n    certificate-authority-data: ") + ca.toBase64() + "\n"));
        cluster::ClusterAccess b = cluster::readKubeconfig(write(dir, "config2", withInfo).toStdString(), {});
        b.plugin->credentials();
        const nlohmann::json info2 = nlohmann::json::parse(readAll(dir.filePath("bin/plugin.info")));
        QCOMPARE(info2["spec"]["cluster"]["server"].get<std::string>(), std::string("https://127.0.0.1:6443"));
        QCOMPARE(info2["spec"]["cluster"]["certificate-authority-data"].get<std::string>(), ca.toBase64().toStdString());
        QCOMPARE(info2["spec"]["cluster"]["config"].dump(), std::string(R"({"audience":"sim","retries":2})"));
    }

    void execPluginFailuresSayWhichAndWhy_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("exec");
        QTest::addColumn<QStringList>("says");
        const QString v1 = "apiVersion: client.authentication.k8s.io/v1";
        const QString v1beta1 = "apiVersion: client.authentication.k8s.io/v1beta1";
        QTest::newRow("exit 1") << QByteArray("echo 'error: you must be logged in to the server (run: sso login)' >&2\n"
            "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
            "\"status\":{\"token\":\"secret-token\"}}'\nexit 1\n")
            << "command: ./plugin, " + v1
            << QStringList {"/plugin' failed (exit code 1): error: you must be logged in to the server (run: sso login)"};
        QTest::newRow("bad json") << QByteArray("echo 'Opening the browser...'\n") << "command: ./plugin, " + v1
            << QStringList {"/plugin' printed no JSON"};
        QTest::newRow("wrong version") << QByteArray("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
            "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"secret-token\"}}'\n")
            << "command: ./plugin, " + v1beta1
            << QStringList {"printed a client.authentication.k8s.io/v1 ExecCredential, not the client.authentication.k8s.io/v1beta1 ExecCredential asked for"};
        QTest::newRow("no token") << QByteArray("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1beta1\","
            "\"kind\":\"ExecCredential\",\"status\":{}}'\n") << "command: ./plugin, " + v1beta1
            << QStringList {"gave neither status.token nor status.clientCertificateData and clientKeyData"};
        QTest::newRow("bad expiry") << QByteArray("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
            "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"secret-token\",\"expirationTimestamp\":\"tomorrow\"}}'\n")
            << "command: ./plugin, " + v1 << QStringList {"status.expirationTimestamp 'tomorrow': not an RFC 3339 time"};
        QTest::newRow("expiry far off") << QByteArray("echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\","
            "\"kind\":\"ExecCredential\",\"status\":{\"token\":\"secret-token\",\"expirationTimestamp\":\"2999-01-01T00:00:00Z\"}}'\n")
            << "command: ./plugin, " + v1
            << QStringList {"status.expirationTimestamp '2999-01-01T00:00:00Z': an RFC 3339 time, but of the year 2999, outside the "
                            "times this reader takes (1900-01-01 00:00:00 to 2199-12-31 23:59:59 UTC)"};
        QTest::newRow("killed") << QByteArray("echo 'out of memory' >&2\nkill -9 $$\n") << "command: ./plugin, " + v1
            << QStringList {"/plugin' was ended by signal 9 (Killed): out of memory"};
        QTest::newRow("not found") << QByteArray() << "command: headroom-no-such-plugin, " + v1
            + ", installHint: \"Install it with: apt install headroom-no-such-plugin\""
            << QStringList {"credential plugin 'headroom-no-such-plugin' was not found on $PATH: Install it with: apt install headroom-no-such-plugin"};
        QTest::newRow("too slow") << QByteArray("echo 'waiting for the browser' >&2\nexec sleep 20\n") << "command: ./plugin, " + v1
            << QStringList {"/plugin' gave no answer within 1 s (stopped): waiting for the browser"};
        // Its output closed, still running: waited for until the timeout all the same.
        QTest::newRow("closes its output and runs on") << QByteArray("exec >&- 2>&-\nexec sleep 20\n")
            << "command: ./plugin, " + v1 << QStringList {"/plugin' gave no answer within 1 s (stopped)"};
    }

    void execPluginFailuresSayWhichAndWhy()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, exec);
        QFETCH(QStringList, says);
        QTemporaryDir dir;
        if (!body.isEmpty())
            script(dir, "plugin", body);
        const QString config = write(dir, "config", execConfig(exec));
        cluster::ClusterAccess a = cluster::readKubeconfig(config.toStdString(), {});
        cluster::ExecPluginConfig c = a.plugin->config();
        c.timeout = std::chrono::seconds(1);
        cluster::CredentialPlugin plugin(c);
        QElapsedTimer timer;
        timer.start();
        const QString what = failure(plugin);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        // The kubeconfig, the user and the command are named; the token never is.
        QVERIFY2(what.startsWith(config + ", field 'users[plugged].user.exec': "), qPrintable(what));
        for (const QString &part : says)
            QVERIFY2(what.contains(part), qPrintable(what));
        QVERIFY2(!what.contains("secret-token"), qPrintable(what));
    }

    // A certificate that is no PEM is named by its kubeconfig field when the client is made
    // (a new-user trial read "field 'certificate authority'").
    void anUnusableCertificateIsNamedByItsField()
    {
        QTemporaryDir dir;
        const QString config = write(dir, "config", "current-context: c\nclusters:\n- name: k\n  cluster:\n"
            "    server: https://127.0.0.1:6443\n    certificate-authority-data: aGVsbG8=\n"
            "contexts:\n- name: c\n  context: {cluster: k}\n");
        const cluster::ClusterAccess a = cluster::readKubeconfig(config.toStdString(), {});
        try {
            cluster::HttpClient client(a.server, a.token, a.tls);
            QFAIL("made");
        } catch (const InputError &e) {
            QVERIFY2(QString::fromUtf8(e.what()).contains(config + ", field 'clusters[k].cluster.certificate-authority': cannot be used"),
                     e.what());
        }
    }

    // A plugin stopped at its timeout takes the children it left running along (they kept
    // its output open: a new-user trial found them still running afterwards).
    void aStoppedPluginsChildrenGoToo()
    {
        QTemporaryDir dir;
        script(dir, "plugin", "sleep 30 &\necho $! > \"$0.child\"\nwait\n");
        const QString config = write(dir, "config", execConfig("command: ./plugin, apiVersion: client.authentication.k8s.io/v1"));
        cluster::ClusterAccess a = cluster::readKubeconfig(config.toStdString(), {});
        cluster::ExecPluginConfig c = a.plugin->config();
        c.timeout = std::chrono::seconds(1);
        cluster::CredentialPlugin plugin(c);
        QVERIFY2(failure(plugin).contains("gave no answer within 1 s"), qPrintable(failure(plugin)));
        QFile childFile(dir.filePath("plugin.child"));
        QVERIFY(childFile.open(QIODevice::ReadOnly));
        const QByteArray child = childFile.readAll().trimmed();
        QVERIFY(!child.isEmpty());
        // Gone, or a zombie waiting for whoever adopted it (its state in /proc/PID/stat).
        const auto gone = [&] {
            QFile stat("/proc/" + QString::fromLatin1(child) + "/stat");
            if (!stat.open(QIODevice::ReadOnly))
                return true;
            const QByteArray text = stat.readAll();
            const int close = text.lastIndexOf(')');
            return close < 0 || text.mid(close + 2, 1) == "Z";
        };
        QTRY_VERIFY_WITH_TIMEOUT(gone(), 5000);
    }

    // A credential with an expiry is kept until then, and asked for again after; one the
    // server refused is asked for again once.
    void execCredentialsExpireAndAreRefreshed()
    {
        QTemporaryDir dir;
        script(dir, "plugin", "n=$(cat \"$0.runs\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$0.runs\"\n"
            "echo \"{\\\"apiVersion\\\":\\\"client.authentication.k8s.io/v1beta1\\\",\\\"kind\\\":\\\"ExecCredential\\\","
            "\\\"status\\\":{\\\"token\\\":\\\"run-$n\\\",\\\"expirationTimestamp\\\":\\\"$(date -u -d '+1 second' +%Y-%m-%dT%H:%M:%SZ)\\\"}}\"\n");
        const QString config = write(dir, "config", execConfig("command: ./plugin, apiVersion: client.authentication.k8s.io/v1beta1"));
        cluster::ClusterAccess a = cluster::readKubeconfig(config.toStdString(), {});
        const cluster::Credentials first = a.plugin->credentials();
        QCOMPARE(first.token, std::string("run-1"));
        QCOMPARE(first.generation, 1L);
        QCOMPARE(a.plugin->credentials().token, std::string("run-1")); // not expired yet
        QTest::qWait(2100);
        QCOMPARE(a.plugin->credentials().token, std::string("run-2"));
        QCOMPARE(readAll(dir.filePath("plugin.runs")), std::string("2\n"));
        a.plugin->invalidate(1); // an older run's refusal: the current one stays
        QCOMPARE(a.plugin->credentials().token, std::string("run-2"));
        a.plugin->invalidate(2);
        QCOMPARE(a.plugin->credentials().token, std::string("run-3"));
        QCOMPARE(a.plugin->runs(), 3L);
    }

    // A credential already expired when given is asked for again on every request, and that
    // is said once (a new-user trial saw 112 runs in 6 s and nothing said).
    void anExpiredCredentialIsSaidOnce()
    {
        QTemporaryDir dir;
        script(dir, "plugin", "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
            "\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"2020-01-01T00:00:00Z\"}}'\n");
        const QString config = write(dir, "config", execConfig("command: ./plugin, apiVersion: client.authentication.k8s.io/v1"));
        cluster::ClusterAccess a = cluster::readKubeconfig(config.toStdString(), {});
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression("gave a credential that had already expired \\(2020-01-01T00:00:00Z\\)"));
        a.plugin->credentials();
        QTest::failOnWarning(QRegularExpression("already expired"));
        a.plugin->credentials();
        a.plugin->credentials();
        QCOMPARE(a.plugin->runs(), 3L);
    }

    void insideAPodTheServiceAccountIsUsed()
    {
        QTemporaryDir dir;
        write(dir, "token", "pod-token\n");
        write(dir, "ca.crt", "CA");
        write(dir, "namespace", "serving");
        qunsetenv("KUBERNETES_SERVICE_HOST");
        try {
            cluster::inClusterAccess(dir.path().toStdString());
            QFAIL("outside a pod");
        } catch (const InputError &e) {
            QVERIFY(std::string(e.what()).find("KUBERNETES_SERVICE_HOST") != std::string::npos);
        }
        qputenv("KUBERNETES_SERVICE_HOST", "10.96.0.1");
        qputenv("KUBERNETES_SERVICE_PORT", "443");
        const cluster::ClusterAccess a = cluster::inClusterAccess(dir.path().toStdString());
        QCOMPARE(a.server.url, std::string("https://10.96.0.1:443"));
        QCOMPARE(a.token, std::string("pod-token"));
        QCOMPARE(a.tls.caPem, std::string("CA"));
        QCOMPARE(a.ns, std::string("serving"));
        qputenv("KUBERNETES_SERVICE_HOST", "fd00::1");
        QCOMPARE(cluster::inClusterAccess(dir.path().toStdString()).server.host, std::string("fd00::1"));
        QFile::remove(dir.filePath("token"));
        try {
            cluster::inClusterAccess(dir.path().toStdString());
            QFAIL("no token");
        } catch (const InputError &e) {
            QVERIFY2(std::string(e.what()).find("token") != std::string::npos, e.what());
        }
        qunsetenv("KUBERNETES_SERVICE_HOST");
        qunsetenv("KUBERNETES_SERVICE_PORT");
    }
};

QTEST_GUILESS_MAIN(TestKubeconfig)
#include "tst_kubeconfig.moc"
