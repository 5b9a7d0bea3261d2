// Finding a cluster's API and credentials as kubectl does: kubeconfig files and a pod's
// service account.
#include "cluster/kubeconfig.h"
#include "io/inputerror.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
        "contexts:\n"
        "- name: c\n"
        "  context: {cluster: k, user: u}\n"
        "- name: e\n"
        "  context: {cluster: k, user: plugin}\n"
        "- name: lost\n"
        "  context: {cluster: nowhere, user: u}\n"
        "";
        QTest::newRow("no current context") << base << "" << "field 'current-context': none set";
        QTest::newRow("unknown context") << base << "prod" << "field 'contexts': has no entry named 'prod'";
        QTest::newRow("unknown cluster") << base << "lost" << "field 'clusters': has no entry named 'nowhere'";
        QTest::newRow("exec plugin") << base << "e" << "field 'users[plugin].user.exec': credential plugins are not supported";
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
        "") << "c" << "/nonexistent/ca.crt: cannot be read";
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

    void kubeconfigVariableComesFirst()
    {
        qputenv("KUBECONFIG", "/tmp/first:/tmp/second");
        QCOMPARE(cluster::defaultKubeconfigPath(), std::string("/tmp/first"));
        qunsetenv("KUBECONFIG");
        qputenv("HOME", "/home/someone");
        QCOMPARE(cluster::defaultKubeconfigPath(), std::string("/home/someone/.kube/config"));
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
