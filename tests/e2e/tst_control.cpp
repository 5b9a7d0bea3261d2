// headroom-cli control: Headroom's controllers scaling a served cluster through its API, over
// HTTP and HTTPS (client certificates, a bearer token, a kubeconfig), and its refusals.
#include "servetest.h"

#include <yaml-cpp/yaml.h>

#include <QElapsedTimer>

#include <atomic>
#include <set>

using namespace headroom::test;
namespace http = boost::beast::http;
using Json = nlohmann::json;

class TestControl : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void controllersScaleTheServedCluster_data()
    {
        QTest::addColumn<QString>("controller");
        QTest::addColumn<QString>("pattern");
        // seed-spike's step to 30 req/s at 20 s: both lanes ask for 7 pods or more within
        // 12 s of it, as their simulated lanes do.
        QTest::newRow("predictive") << "predictive" << "^\\s*(\\d+) s  predictive \\d+ -> (\\d+) ";
        QTest::newRow("kpa") << "kpa" << "^\\s*(\\d+) s  KPA \\d+ -> (\\d+) \\(panic";
    }

    void controllersScaleTheServedCluster()
    {
        QFETCH(QString, controller);
        QFETCH(QString, pattern);
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "5"}));
        QTemporaryDir out;
        const CliRun control = runCli({"control", "--server", QStringLiteral("http://127.0.0.1:%1").arg(server.port),
                                       "--controller", controller, "--duration", "60", "--out", out.path()}, 60000);
        QVERIFY2(control.exitCode == 0, qPrintable(control.err));
        // The run's seconds, in run's timeseries.csv columns: the pods it asked for at the
        // spike, and (predictive) its forecasts.
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList header = QString::fromUtf8(csv.readLine()).trimmed().split(',');
        QCOMPARE(header.mid(0, 3), QStringList({"t_s", "lane", "arrivals_per_s"}));
        const int desiredColumn = header.indexOf("pods_desired");
        const int forecastColumn = header.indexOf("forecast_p50");
        const int cpuColumn = header.indexOf("cpu_utilization");
        double busiest = 0.0;
        int rows = 0;
        int forecasts = 0;
        int peakAtSpike = 0;
        while (!csv.atEnd()) {
            const QStringList cells = QString::fromUtf8(csv.readLine()).trimmed().split(',');
            QCOMPARE(cells.value(1), controller);
            ++rows;
            const double t = cells.value(0).toDouble();
            if (t >= 20 && t <= 32)
                peakAtSpike = std::max(peakAtSpike, cells.value(desiredColumn).toInt());
            forecasts += !cells.value(forecastColumn).isEmpty();
            // The pods' CPU from cAdvisor's counters, a share of their request: 0 to 1.
            const double cpu = cells.value(cpuColumn).toDouble();
            QVERIFY2(cpu >= 0.0 && cpu <= 1.05, qPrintable(cells.join(',')));
            busiest = std::max(busiest, cpu);
        }
        QVERIFY2(busiest > 0.3, qPrintable(QString::number(busiest)));
        QVERIFY2(rows >= 55 && rows <= 65, qPrintable(QString::number(rows)));
        QVERIFY2(peakAtSpike >= 7, qPrintable(QString::number(peakAtSpike)));
        QCOMPARE(forecasts > 30, controller == "predictive");
        const QString text = QString::fromUtf8(control.out);
        QVERIFY2(text.contains("controlling deployment default/inference"), qPrintable(text));
        bool scaledForTheSpike = false;
        const QRegularExpression line(pattern, QRegularExpression::MultilineOption);
        for (auto it = line.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            const int t = m.captured(1).toInt();
            scaledForTheSpike = scaledForTheSpike || (t >= 20 && t <= 32 && m.captured(2).toInt() >= 7);
        }
        QVERIFY2(scaledForTheSpike, qPrintable(text));
        // The server counted those changes as coming through its API.
        QVERIFY(server.process.waitForFinished(30000));
        const QByteArray summary = server.process.readAllStandardOutput();
        const auto changes = QRegularExpression(QStringLiteral("(\\d+) scale changes? through the API"))
                                 .match(QString::fromUtf8(summary));
        QVERIFY2(changes.hasMatch() && changes.captured(1).toInt() >= 1, summary.constData());
    }

    void httpsWithAKubeconfig()
    {
        const QString tls = sourcePath(QStringLiteral("tests/data/tls/"));
        QTemporaryDir dir;
        QFile tokenFile(dir.filePath("token"));
        QVERIFY(tokenFile.open(QIODevice::WriteOnly));
        tokenFile.write("pod-reader-token\n");
        tokenFile.close();
        const QStringList secure {"--tls-cert", tls + "server.crt", "--tls-key", tls + "server.key",
                                  "--client-ca", tls + "ca.crt", "--token-file", dir.filePath("token")};
        // One server for the refusals (ten minutes of load), another for the spike.
        Server server;
        QVERIFY2(server.start(QStringList {"--scenario", "seed-spike-long", "--speed", "5"} + secure),
                 server.firstLine.constData());
        QVERIFY(server.firstLine.contains("on https://127.0.0.1:"));
        const auto kubeconfig = [&](const QString &name, const QString &ca, const QString &token, bool clientCert) {
            const QString path = dir.filePath(name);
            QFile f(path);
            f.open(QIODevice::WriteOnly);
            f.write(QStringLiteral("current-context: sim\nclusters:\n- name: sim\n  cluster:\n"
                                   "    server: https://127.0.0.1:%1\n    certificate-authority: %2\n"
                                   "users:\n- name: me\n  user:\n%3%4"
                                   "contexts:\n- name: sim\n  context: {cluster: sim, user: me}\n")
                        .arg(server.port).arg(ca, token.isEmpty() ? QString() : "    token: " + token + "\n",
                            clientCert ? QStringLiteral("    client-certificate: %1client.crt\n    client-key: %1client.key\n").arg(tls)
                                       : QString())
                        .toUtf8());
            return path;
        };
        // The server's certificate from another CA, no client certificate, a wrong token:
        // each refused before any controller runs, saying why.
        struct Bad { QString name, ca, token; bool cert; QString message; };
        for (const Bad &bad : {Bad {"other-ca", tls + "other-ca.crt", "pod-reader-token", true, "certificate verify failed"},
                               Bad {"no-cert", tls + "ca.crt", "pod-reader-token", false, "TLS"},
                               // A wrong token and none get the same 401: the message says what was sent.
                               Bad {"wrong-token", tls + "ca.crt", "not-it", true,
                                    "HTTP 401: Unauthorized: this server wants a bearer token; sent the bearer token of kubeconfig "
                                        + dir.filePath("wrong-token") + ", context sim"},
                               Bad {"no-token", tls + "ca.crt", {}, true,
                                    "HTTP 401: Unauthorized: this server wants a bearer token; sent the client certificate of "
                                    "kubeconfig " + dir.filePath("no-token") + ", context sim"}}) {
            const CliRun run = runCli({"control", "--kubeconfig", kubeconfig(bad.name, bad.ca, bad.token, bad.cert),
                                       "--controller", "kpa", "--duration", "5"}, 30000);
            QCOMPARE(run.exitCode, 1);
            QVERIFY2(run.err.contains("cannot read the cluster") && run.err.contains(bad.message), qPrintable(bad.name + ": " + run.err));
        }
        const QString good = kubeconfig("good", tls + "ca.crt", "pod-reader-token", true);
        const QString kubectl = QStandardPaths::findExecutable(QStringLiteral("kubectl"));
        if (!kubectl.isEmpty()) {
            QProcess p;
            p.start(kubectl, {"--kubeconfig", good, "--cache-dir", dir.filePath("cache"), "get", "deployment", "inference"});
            p.waitForFinished(30000);
            QVERIFY2(p.exitCode() == 0 && p.readAllStandardOutput().contains("inference"), p.readAllStandardError().constData());
        }
        Server spike;
        QVERIFY(spike.start(QStringList {"--scenario", "seed-spike", "--speed", "5"} + secure));
        server.port = spike.port;
        const CliRun control = runCli({"control", "--kubeconfig", kubeconfig("spike", tls + "ca.crt", "pod-reader-token", true),
                                       "--controller", "kpa", "--duration", "40"}, 60000);
        QVERIFY2(control.exitCode == 0, qPrintable(control.err));
        // The KPA's panic for seed-spike's step at 20 s: 7 pods or more within 12 s of it.
        bool scaledForTheSpike = false;
        const QRegularExpression panic(QStringLiteral("^\\s*(\\d+) s  KPA \\d+ -> (\\d+) \\(panic"),
                                       QRegularExpression::MultilineOption);
        for (auto it = panic.globalMatch(QString::fromUtf8(control.out)); it.hasNext();) {
            const auto m = it.next();
            scaledForTheSpike = scaledForTheSpike
                || (m.captured(1).toInt() >= 20 && m.captured(1).toInt() <= 32 && m.captured(2).toInt() >= 7);
        }
        QVERIFY2(scaledForTheSpike, control.out.constData());
    }

    // resources/k8s/headroom-controller.yaml: the Role grants every request control makes
    // (read off a served cluster's request log while the KPA scales it), and the container's
    // command line is one control takes (outside a pod it stops only for want of one).
    void theManifestsRoleCoversEveryRequest()
    {
        const std::vector<YAML::Node> docs
            = YAML::LoadAllFromFile(sourcePath(QStringLiteral("resources/k8s/headroom-controller.yaml")).toStdString());
        std::map<std::string, YAML::Node> byKind;
        for (const YAML::Node &d : docs)
            byKind[d["kind"].as<std::string>()] = d;
        QCOMPARE(byKind.size(), std::size_t(4));
        const std::string account = byKind["ServiceAccount"]["metadata"]["name"].as<std::string>();
        const YAML::Node pod = byKind["Deployment"]["spec"]["template"]["spec"];
        QCOMPARE(pod["serviceAccountName"].as<std::string>(), account);
        QCOMPARE(byKind["RoleBinding"]["roleRef"]["name"].as<std::string>(),
                 byKind["Role"]["metadata"]["name"].as<std::string>());
        QCOMPARE(byKind["RoleBinding"]["subjects"][0]["name"].as<std::string>(), account);
        // What the Role allows: (verb, resource), and the names it is limited to.
        std::set<std::pair<std::string, std::string>> allowed;
        for (const YAML::Node &rule : byKind["Role"]["rules"]) {
            for (const YAML::Node &resource : rule["resources"]) {
                for (const YAML::Node &verb : rule["verbs"])
                    allowed.emplace(verb.as<std::string>(), resource.as<std::string>());
                if (rule["resourceNames"])
                    QCOMPARE(rule["resourceNames"][0].as<std::string>(), std::string("inference"));
            }
        }
        QStringList args;
        for (const YAML::Node &a : pod["containers"][0]["args"])
            args << QString::fromStdString(a.as<std::string>());
        QCOMPARE(args.mid(0, 2), QStringList({"control", "--in-cluster"}));
        QVERIFY(args.contains("inference"));

        // The requests control makes, as the served cluster logs them.
        Server server;
        server.process.setProcessEnvironment([] {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert("QT_LOGGING_RULES", "headroom.cluster.debug=true");
            return env;
        }());
        QVERIFY(server.start({"--scenario", "seed-spike", "--speed", "5"}));
        const CliRun control = runCli({"control", "--server", QStringLiteral("http://127.0.0.1:%1").arg(server.port),
                                       "--controller", "kpa", "--duration", "30"}, 60000);
        QVERIFY2(control.exitCode == 0, qPrintable(control.err));
        server.process.kill();
        server.process.waitForFinished(5000);
        const QString log = QString::fromUtf8(server.process.readAllStandardError());
        const QRegularExpression line(QStringLiteral("headroom.cluster: (GET|PATCH|PUT) (/[^ ?]*)\\S* -> (\\d+)"));
        int requests = 0;
        int patches = 0;
        for (auto it = line.globalMatch(log); it.hasNext();) {
            const auto m = it.next();
            const QString method = m.captured(1);
            const QString path = m.captured(2);
            if (path == "/metrics")
                continue; // the router's, not the API's (a URL of its own in the manifest)
            ++requests;
            std::pair<std::string, std::string> need;
            if (method == "GET" && path == "/apis/apps/v1/namespaces/default/deployments/inference")
                need = {"get", "deployments"};
            else if (method == "GET" && path == "/api/v1/namespaces/default/pods")
                need = {"list", "pods"};
            else if (method == "GET" && path == "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers")
                need = {"list", "horizontalpodautoscalers"};
            else if (method == "PATCH" && path == "/apis/apps/v1/namespaces/default/deployments/inference/scale")
                need = {"patch", "deployments/scale"}, ++patches;
            else
                QFAIL(qPrintable("a request the test does not know: " + method + " " + path));
            QVERIFY2(allowed.count(need), qPrintable(method + " " + path + " is not granted"));
        }
        QVERIFY2(requests > 20 && patches >= 1, qPrintable(log.left(2000)));

        // The container's command line, outside a pod: refused for want of the pod alone.
        const CliRun outside = runCli(args, 30000);
        QCOMPARE(outside.exitCode, 2);
        QVERIFY2(outside.err.contains("KUBERNETES_SERVICE_HOST"), qPrintable(outside.err));
    }

    // Answers a new-user trial found control mishandling (5 December): each ends the run
    // with exit 1 and the reason, at once, instead of hanging, reading freed memory,
    // filling the memory or scaling to the maximum on a reading that is no reading.
    // Joining a cluster whose clock is well past 0: the predictive lane warms up on 15 s of
    // its own history, and its model takes over then (a new-user trial: the warm-up was
    // measured from the cluster's 0, so a lane joining at 31 s ran the model on 1 s of history).
    void aLaneJoiningARunningClusterWarmsUp()
    {
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike-long", "--speed", "5"}));
        QTest::qWait(5000); // about 25 s of the cluster's clock
        const CliRun control = runCli({"control", "--server", QStringLiteral("http://127.0.0.1:%1").arg(server.port),
                                       "--controller", "predictive", "--duration", "25"}, 60000);
        QVERIFY2(control.exitCode == 0, qPrintable(control.err));
        const QString text = QString::fromUtf8(control.out);
        const QRegularExpression joined(QStringLiteral("with predictive \\(\\d+ replicas? at (\\d+) s\\)"));
        const auto at = joined.match(text);
        QVERIFY2(at.hasMatch(), qPrintable(text));
        const int joinS = at.captured(1).toInt();
        QVERIFY2(joinS >= 15, qPrintable(text));
        const QRegularExpression warming(QStringLiteral("^\\s*(\\d+) s  predictive: reactive rule \\(warming up: 1 s of 15 s of history\\)"),
            QRegularExpression::MultilineOption);
        const auto warm = warming.match(text);
        QVERIFY2(warm.hasMatch(), qPrintable(text));
        QCOMPARE(warm.captured(1).toInt(), joinS + 1);
        const QRegularExpression back(QStringLiteral("^\\s*(\\d+) s  predictive: model back in control"),
            QRegularExpression::MultilineOption);
        const auto model = back.match(text);
        QVERIFY2(model.hasMatch(), qPrintable(text));
        QVERIFY2(std::abs(model.captured(1).toInt() - (joinS + 15)) <= 1, qPrintable(text));
    }

    void misbehavingServersAreNamed_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("message");
        QTest::newRow("pods not a list") << "items-string" << "PodList.items': not of the kind expected";
        QTest::newRow("pod without metadata") << "pod-no-metadata" << "items[0].metadata': missing";
        QTest::newRow("bad timestamp") << "pod-bad-ts" << "items[0].metadata.creationTimestamp': 'yesterday': not an RFC 3339 time";
        // A new-user trial's: a valid RFC 3339 time past the reader's years was "not an RFC 3339 time".
        QTest::newRow("timestamp far off") << "pod-far-ts"
            << "items[0].metadata.creationTimestamp': '2999-01-01T00:00:00Z': an RFC 3339 time, but of the year 2999, "
               "outside the times this reader takes (1900-01-01 00:00:00 to 2199-12-31 23:59:59 UTC)";
        QTest::newRow("no spec") << "no-spec" << "Deployment.spec': missing";
        QTest::newRow("replicas a string") << "replicas-string" << "spec.replicas': not of the kind expected";
        QTest::newRow("replicas negative") << "replicas-negative" << "-3 is not a replica count";
        QTest::newRow("replicas past int") << "replicas-big" << "4294967298 is not a replica count";
        QTest::newRow("NaN in flight") << "nan" << "headroom_in_flight': not a finite number";
        QTest::newRow("Inf clock") << "clock-inf" << "headroom_simulated_time_seconds': not a finite number";
        QTest::newRow("clock jump") << "clock-jump" << "the cluster's clock jumped from 5 s to 1000000000000 s";
        QTest::newRow("frozen clock") << "clock-frozen" << "the cluster's clock has stood at";
        QTest::newRow("never answers") << "hang" << "cannot read the cluster";
        // Found by a second trial (6 December): a pod listed twice counted twice (40 ready of
        // 20 desired), a series given twice read its first value, a queue of -50 read as 0.
        QTest::newRow("pod listed twice") << "pods-twice"
            << "items[1].metadata.name': the pod inference-00001 is listed twice (items[0] too)";
        QTest::newRow("series given twice") << "series-twice"
            << "the series headroom_requests_total{deployment=\"inference\",namespace=\"default\"} is given twice";
        QTest::newRow("negative queue") << "queue-negative" << "headroom_queue_length': -50 is below 0: not a count";
        QTest::newRow("negative counter") << "requests-negative" << "headroom_requests_total': -1 is below 0";
        // A bucket's le read with C's strtod: "fast" was a bound of 0 seconds.
        QTest::newRow("bucket le not a number") << "le-word"
            << "le=\"fast\" is not a bound in seconds from 0 (a number or +Inf)";
        // The router's SLO is what the charts draw and the comparison measures by.
        QTest::newRow("SLO of 0") << "slo-zero"
            << "headroom_slo_latency_seconds': not a latency from above 0 to 3600 s";
        // A fourth trial's (6 December): the exposition's counts had no upper bound where a
        // Prometheus server's have 1e9. 1e300 in flight had the KPA ask for 20 pods, a requests
        // counter held at 1e300 read as no arrivals, a queue past 1e9 was clamped to 1e9, and
        // buckets going down or without +Inf gave a p95 of 483 ms, each without a word.
        QTest::newRow("in flight 1e300") << "in-flight-huge"
            << "/metrics, field 'headroom_in_flight': 1e+300 is not a count (a finite number from 0 to 1e9)";
        QTest::newRow("queue past 1e9") << "queue-huge"
            << "/metrics, field 'headroom_queue_length': 2000000000 is not a count (a finite number from 0 to 1e9)";
        QTest::newRow("counter at 1e300") << "requests-huge"
            << "/metrics, field 'headroom_requests_total': 1e+300 is past 2^53 (9007199254740992)";
        QTest::newRow("counter leaping 1e12 in a second") << "requests-leap"
            << "/metrics, field 'headroom_requests_total': rose by 999999999990 in 1 s of the clock: more than 1e9 a second";
        // 4e9 a second of the clock in small steps: each reading against the one before (a
        // fraction of a second, taken as a second) let it through (the day's second trial).
        // The rise is measured from a reading a second or more back.
        QTest::newRow("counter creeping 4e9 a second") << "requests-creep"
            << "/metrics, field 'headroom_requests_total': rose by ";
        QTest::newRow("buckets going down") << "buckets-down"
            << "/metrics, field 'headroom_request_duration_seconds_bucket{le=\"0.25\"}': 12 is fewer than le=\"0.1\"'s 25";
        QTest::newRow("no +Inf bucket") << "buckets-no-inf"
            << "/metrics, field 'headroom_request_duration_seconds_bucket': no le=\"+Inf\" bucket";
        // A fifth trial's (6 December): a series control needs that is not there was read as
        // 0. --metrics at a node exporter ran 20 s of 0 req/s, exit 0, and a proxy that
        // deleted the requests counter gave no arrivals while completions ran at 5 a second.
        QTest::newRow("not the router's metrics") << "node-exporter"
            << "/metrics, field 'headroom_requests_total, headroom_requests_completed_total, headroom_requests_dropped_total, "
               "headroom_slo_violations_total, headroom_in_flight, ... and 1 more': missing (no series labelled "
               "namespace=\"default\", deployment=\"inference\": is this the router's exposition?)";
        QTest::newRow("requests counter deleted") << "no-requests"
            << "/metrics, field 'headroom_requests_total': missing (no series labelled";
        QTest::newRow("service count without its sum") << "service-half"
            << "/metrics, field 'headroom_request_service_seconds_sum': missing, though its _count is there";
    }

    void misbehavingServersAreNamed()
    {
        QFETCH(QString, mode);
        QFETCH(QString, message);
        std::atomic<int> calls {0};
        const std::string m = mode.toStdString();
        MockApi api([&](const std::string &target) -> std::pair<int, std::string> {
            const int n = ++calls;
            const bool deployment = target.find("/deployments/") != std::string::npos;
            const bool pods = target.find("/pods") != std::string::npos;
            if (m == "items-string" && pods)
                return {200, R"({"items":"none"})"};
            if (m == "pod-no-metadata" && pods)
                return {200, R"({"items":[{"status":{}}]})"};
            if (m == "pod-bad-ts" && pods)
                return {200, R"({"items":[{"metadata":{"name":"p","creationTimestamp":"yesterday"}}]})"};
            if (m == "pod-far-ts" && pods)
                return {200, R"({"items":[{"metadata":{"name":"p","creationTimestamp":"2999-01-01T00:00:00Z"}}]})"};
            if (m == "no-spec" && deployment)
                return {200, R"({"status":{}})"};
            if (m == "replicas-string" && deployment)
                return {200, R"({"spec":{"replicas":"two"}})"};
            if (m == "replicas-negative" && deployment)
                return {200, R"({"spec":{"replicas":-3}})"};
            if (m == "replicas-big" && deployment)
                return {200, R"({"spec":{"replicas":4294967298}})"};
            if (m == "pods-twice" && pods) {
                const std::string pod = R"({"metadata":{"name":"inference-00001","creationTimestamp":"2026-12-05T00:00:00Z"},)"
                                        R"("status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}})";
                return {200, R"({"items":[)" + pod + "," + pod + "]}"};
            }
            if (target == "/metrics") {
                const std::string l = R"({namespace="default",deployment="inference"})";
                if (m == "nan")
                    return {200, "headroom_in_flight" + l + " NaN\n"};
                if (m == "clock-inf")
                    return {200, "headroom_simulated_time_seconds" + l + " +Inf\n"};
                if (m == "clock-jump")
                    return healthyAnswer(target, n < 4 ? 5.0 : 1e12);
                if (m == "clock-frozen")
                    return healthyAnswer(target, 5.0);
                if (m == "series-twice")
                    return {200, healthyAnswer(target).second + "headroom_requests_total" + l + " 99\n"};
                if (m == "queue-negative")
                    return {200, "headroom_queue_length" + l + " -50\n"};
                if (m == "requests-negative")
                    return {200, "headroom_requests_total" + l + " -1\n"};
                if (m == "slo-zero")
                    return {200, healthyAnswer(target).second + "headroom_slo_latency_seconds" + l + " 0\n"};
                const std::string clock = "headroom_simulated_time_seconds" + l + " 5\n";
                const std::string bucket = "headroom_request_duration_seconds_bucket" + l.substr(0, l.size() - 1) + ",le=";
                if (m == "in-flight-huge")
                    return {200, clock + "headroom_in_flight" + l + " 1e300\n"};
                if (m == "queue-huge")
                    return {200, clock + "headroom_queue_length" + l + " 2e9\n"};
                if (m == "requests-huge")
                    return {200, clock + "headroom_requests_total" + l + " 1e300\n"};
                if (m == "requests-leap" && n >= 4) // after a first reading of 10 at 5 s
                    return {200, "headroom_requests_total" + l + " 1e12\nheadroom_simulated_time_seconds" + l + " 6\n" + idleRouterLines()};
                if (m == "requests-creep") {
                    return {200, "headroom_requests_total" + l + " " + std::to_string(10.0 + 4e8 * n)
                            + "\nheadroom_simulated_time_seconds" + l + " " + std::to_string(5.0 + 0.1 * n) + "\n" + idleRouterLines()};
                }
                if (m == "buckets-down")
                    return {200, clock + bucket + R"("0.1"} 25)" "\n" + bucket + R"("0.25"} 12)" "\n" + bucket + R"("+Inf"} 30)" "\n"};
                if (m == "buckets-no-inf")
                    return {200, clock + bucket + R"("0.1"} 3)" "\n" + bucket + R"("0.25"} 5)" "\n"};
                if (m == "node-exporter")
                    return {200, "up 1\nnode_load1 0.5\n"};
                if (m == "no-requests") {
                    std::string text = healthyAnswer(target).second;
                    text.erase(0, text.find('\n') + 1); // the requests counter is its first line
                    return {200, text};
                }
                if (m == "service-half")
                    return {200, healthyAnswer(target).second + "headroom_request_service_seconds_count" + l + " 4\n"};
                if (m == "le-word")
                    return {200, R"(headroom_request_duration_seconds_bucket{namespace="default",deployment="inference",le="fast"} 3)" "\n"};
            }
            return healthyAnswer(target);
        }, m == "hang");
        QElapsedTimer clock;
        clock.start();
        QTemporaryDir out;
        const CliRun run = runCli({"control", "--server", api.url(), "--controller", "kpa", "--duration", "60",
                                   "--out", out.path()}, 60000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        // What was recorded before the run ended is kept: the seconds before the jump, or
        // before the readings refused.
        if (mode == "clock-jump" || mode == "requests-leap")
            QVERIFY(QFile::exists(out.filePath("timeseries.csv")));
        // At once, or after the documented waits (5 s for a first reading, 10 s of a clock
        // standing still), not minutes.
        QVERIFY2(clock.elapsed() < 25000, qPrintable(QString::number(clock.elapsed())));
    }

    // A series control needs that goes missing mid-run (a proxy dropping a line, a router
    // restarting without it): those seconds have no data and the controller holds, with the
    // URL and the metric said, as for any reading refused. They were read as 0 arrivals.
    void aCounterMissingMidRunIsNoData()
    {
        QElapsedTimer wall;
        wall.start();
        MockApi api([&](const std::string &target) -> std::pair<int, std::string> {
            if (target != "/metrics")
                return healthyAnswer(target);
            // No simulated clock: the wall clock's seconds. 10 requests a second, the
            // requests counter gone from 3 s to 5.5 s.
            const double w = wall.elapsed() / 1000.0;
            const std::string l = R"({namespace="default",deployment="inference"})";
            const std::string requests = w >= 3.0 && w < 5.5 ? std::string()
                : "headroom_requests_total" + l + " " + std::to_string(10.0 * w) + "\n";
            return {200, requests + idleRouterLines()};
        });
        QTemporaryDir out;
        const CliRun run = runCli({"control", "--server", api.url(), "--controller", "kpa", "--duration", "9",
                                   "--out", out.path()}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(QString::fromUtf8(run.out).contains(QStringLiteral("no data: nothing read from here (%1/metrics, field "
                                                 "'headroom_requests_total': missing (no series labelled").arg(api.url())),
                 run.out.constData());
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList header = QString::fromUtf8(csv.readLine()).trimmed().split(',');
        const int arrivals = header.indexOf("arrivals_per_s");
        const int noData = header.indexOf("no_data");
        int holes = 0;
        int read = 0;
        while (!csv.atEnd()) {
            const QStringList cells = QString::fromUtf8(csv.readLine()).trimmed().split(',');
            if (cells.value(noData) == "1") {
                ++holes;
                QVERIFY2(cells.value(arrivals).isEmpty(), qPrintable(cells.join(',')));
            } else {
                ++read;
                const double rate = cells.value(arrivals).toDouble();
                QVERIFY2(rate >= 5.0 && rate <= 15.0, qPrintable(cells.join(',')));
            }
        }
        QVERIFY2(holes >= 1 && read >= 4, qPrintable(QString::number(holes) + " / " + QString::number(read)));
    }

    // A cluster that stops answering ends the run at its last second read: a new-user trial's
    // served cluster ended at 600 s and control, at 100x, wrote timeseries.csv to 1601 s, its
    // own clock's no-data seconds carrying replicas as if read. A blip in the middle stays.
    void aClusterGoneEndsTheFileAtItsLastReading()
    {
        // At 20x: read for 1.5 s of wall clock, a 0.5 s blip, read again to 3 s, then gone.
        QElapsedTimer wall;
        wall.start();
        std::atomic<double> lastClockS {0.0};
        MockApi api([&](const std::string &target) -> std::pair<int, std::string> {
            const double w = wall.elapsed() / 1000.0;
            if ((w > 1.5 && w < 2.0) || w > 3.0)
                return {503, R"({"kind":"Status","message":"gone","code":503})"};
            const double clockS = 5.0 + 20.0 * w;
            if (target != "/metrics")
                return healthyAnswer(target);
            lastClockS = clockS;
            const std::string l = R"({namespace="default",deployment="inference"})";
            return {200, healthyAnswer(target, clockS).second + "headroom_simulation_speed" + l + " 20\n"};
        });
        QTemporaryDir out;
        const CliRun run = runCli({"control", "--server", api.url(), "--controller", "kpa", "--out", out.path()}, 60000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("no reading of the cluster for 10 s"), qPrintable(run.err));
        QVERIFY2(run.out.contains("s of no data after the last reading left out)"), qPrintable(run.out));
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList header = QString::fromUtf8(csv.readLine()).trimmed().split(',');
        const int noData = header.indexOf("no_data");
        QVERIFY(noData >= 0);
        QStringList flags;
        double lastT = 0.0;
        while (!csv.atEnd()) {
            const QStringList cells = QString::fromUtf8(csv.readLine()).trimmed().split(',');
            flags << cells.value(noData);
            lastT = cells.value(0).toDouble();
        }
        // The last row is a second read, at the cluster's last clock (about 65 s), not the
        // 200 s of control's own clock after it; the blip's no-data seconds are kept.
        QCOMPARE(flags.last(), QStringLiteral("0"));
        QVERIFY2(lastT <= std::floor(lastClockS.load()) && lastT >= lastClockS.load() - 5.0,
                 qPrintable(QString::number(lastT) + " / " + QString::number(lastClockS.load())));
        const QString pattern = flags.join(QString());
        QVERIFY2(pattern.contains(QRegularExpression(QStringLiteral("0+1{3,}0+$"))), qPrintable(pattern));
    }

    // A message names the first few pods of a list, not all of them: a new-user trial's PodList
    // of 50,000 pods without a CPU metric made one HPA line of 850 KB naming each.
    void aLongListOfPodsIsNamedToTheFirstFew()
    {
        std::string items;
        for (int i = 1; i <= 50000; ++i) {
            char name[32];
            std::snprintf(name, sizeof name, "inference-%05d", i);
            nlohmann::json pod {{"metadata", {{"name", name}, {"creationTimestamp", "2026-12-05T00:00:00Z"}}},
                {"status", {{"phase", "Running"}, {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
            if (i > 1)
                items += ',';
            items += pod.dump();
        }
        const std::string pods = "{" + nlohmann::json("items").dump() + ":[" + items + "]}";
        // A clock at 20x, for the HPA's first sync within a few wall seconds.
        QElapsedTimer wall;
        wall.start();
        MockApi api([&](const std::string &target) -> std::pair<int, std::string> {
            if (target.rfind("/api/v1/namespaces/default/pods", 0) == 0)
                return {200, pods};
            if (target != "/metrics")
                return healthyAnswer(target);
            const std::string l = R"({namespace="default",deployment="inference"})";
            return {200, healthyAnswer(target, 5.0 + 20.0 * wall.elapsed() / 1000.0).second
                         + "headroom_simulation_speed" + l + " 20\n"};
        });
        const CliRun run = runCli({"control", "--server", api.url(), "--controller", "hpa", "--duration", "40"}, 60000);
        QVERIFY2(run.out.contains("no CPU metric for 50000 pods (inference-00001, inference-00002, inference-00003, "
                                  "inference-00004, inference-00005, ... and 49995 more)"), qPrintable(run.out.left(2000)));
        for (const QByteArray &line : run.out.split('\n') + run.err.toUtf8().split('\n'))
            QVERIFY2(line.size() < 2000, line.left(300).constData());
    }

    // A page where the API should be (a proxy's 502, a login page) is named by its URL with
    // the path, its status and content type: a new-user trial's said "an answer is not the
    // JSON expected (http://127.0.0.1:18090)", and a 502 quoted its markup.
    void anHtmlAnswerIsNamedAsOne_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("200") << 200
            << "GET %1/apis/apps/v1/namespaces/default/deployments/inference: HTTP 200 (text/html), not the JSON expected: "
               "an HTML page (text/html): Sign in, not an answer of the Kubernetes API";
        QTest::newRow("502") << 502
            << "GET %1/apis/apps/v1/namespaces/default/deployments/inference: HTTP 502: an HTML page (text/html): Sign in, "
               "not an answer of the Kubernetes API";
    }

    void anHtmlAnswerIsNamedAsOne()
    {
        QFETCH(int, status);
        QFETCH(QString, message);
        MockApi api([&](const std::string &) -> std::pair<int, std::string> {
            return {status, "<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><h1>nginx</h1></body></html>\n"};
        }, false, "text/html; charset=utf-8");
        const CliRun run = runCli({"control", "--server", api.url(), "--controller", "kpa", "--duration", "5"}, 30000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(message.arg(api.url())), qPrintable(run.err));
        QVERIFY2(!run.err.contains("<html"), qPrintable(run.err));
    }

    // --metrics with a path is the exposition's own address, for a router that serves it
    // elsewhere than /metrics (a fourth trial: it was refused, "give the server's address
    // alone, no path", though the docs called it where /metrics is scraped). A bare address
    // still means its /metrics (every other test here).
    void aMetricsUrlWithAPathIsScrapedThere()
    {
        std::atomic<int> scrapes {0};
        std::atomic<int> atMetrics {0};
        MockApi api([&](const std::string &target) -> std::pair<int, std::string> {
            if (target == "/metrics")
                ++atMetrics;
            if (target != "/stats/prometheus")
                return healthyAnswer(target);
            const int n = ++scrapes; // 10 requests a second of the clock
            const std::string l = R"({namespace="default",deployment="inference"})";
            return {200, "headroom_simulated_time_seconds" + l + " " + std::to_string(5 + n) + "\nheadroom_requests_total"
                    + l + " " + std::to_string(10 * n) + "\n" + idleRouterLines()};
        });
        QTemporaryDir out;
        const CliRun run = runCli({"control", "--server", api.url(), "--metrics", api.url() + "/stats/prometheus",
                                   "--controller", "kpa", "--duration", "5", "--out", out.path()}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QCOMPARE(atMetrics.load(), 0);
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const int arrivals = QString::fromUtf8(csv.readLine()).trimmed().split(',').indexOf("arrivals_per_s");
        QVERIFY(arrivals >= 0);
        int rows = 0;
        while (!csv.atEnd()) {
            const QStringList cells = QString::fromUtf8(csv.readLine()).trimmed().split(',');
            QCOMPARE(cells.value(arrivals).toDouble(), 10.0);
            ++rows;
        }
        QVERIFY2(rows >= 5, qPrintable(QString::number(rows)));
        // A path where nothing is served is named as it was asked for, once.
        const CliRun wrong = runCli({"control", "--server", api.url(), "--metrics", api.url() + "/stats/nothing/",
                                     "--controller", "kpa", "--duration", "5"}, 30000);
        QCOMPARE(wrong.exitCode, 1);
        QVERIFY2(wrong.err.contains(QStringLiteral("GET %1/stats/nothing: HTTP 404").arg(api.url())), qPrintable(wrong.err));
    }

    // A router that restarted publishes counters lower than the last reading's (found by a
    // second trial, 6 December: the second was read as one of no traffic, 0 req/s in a
    // spike). As Prometheus's increase() reads a counter reset, the counters started again
    // from 0: the second counts what the router counted since, and the run says so.
    void aRoutersRestartIsNoSecondOfZeroTraffic()
    {
        std::atomic<int> scrapes {0};
        MockApi api([&](const std::string &target) -> std::pair<int, std::string> {
            if (target != "/metrics")
                return healthyAnswer(target);
            // 10 requests a second, the router restarting just before the 12th scrape (3
            // counted since), its concurrency integral 2 a second.
            const int n = ++scrapes;
            const double requests = n < 12 ? 10.0 * n : 10.0 * (n - 12) + 3.0;
            const double concurrency = n < 12 ? 2.0 * n : 2.0 * (n - 12) + 1.0;
            const std::string l = R"({namespace="default",deployment="inference"})";
            const auto line = [&](const char *name, double v) {
                return std::string(name) + l + " " + std::to_string(v) + "\n";
            };
            return {200, line("headroom_simulated_time_seconds", 5.0 + n) + line("headroom_requests_total", requests)
                    + line("headroom_requests_completed_total", requests)
                    + line("headroom_request_concurrency_seconds_total", concurrency)
                    + line("headroom_requests_dropped_total", 0.0) + line("headroom_slo_violations_total", 0.0)
                    + line("headroom_in_flight", 2.0) + line("headroom_queue_length", 0.0)};
        });
        QTemporaryDir out;
        const CliRun run = runCli({"control", "--server", api.url(), "--controller", "kpa", "--duration", "20",
                                   "--out", out.path()}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList header = QString::fromUtf8(csv.readLine()).trimmed().split(',');
        const int arrivals = header.indexOf("arrivals_per_s");
        const int completed = header.indexOf("completed_per_s");
        const int concurrency = header.indexOf("concurrency");
        const int noData = header.indexOf("no_data");
        QVERIFY(arrivals >= 0 && completed >= 0 && concurrency >= 0 && noData >= 0);
        int rows = 0;
        bool sawRestart = false;
        while (!csv.atEnd()) {
            const QStringList cells = QString::fromUtf8(csv.readLine()).trimmed().split(',');
            ++rows;
            const double t = cells.value(0).toDouble();
            const bool restart = t == 17.0;
            sawRestart = sawRestart || restart;
            QVERIFY2(cells.value(noData) == "0", qPrintable(cells.join(',')));
            QCOMPARE(cells.value(arrivals).toDouble(), restart ? 3.0 : 10.0);
            QCOMPARE(cells.value(completed).toDouble(), restart ? 3.0 : 10.0);
            QCOMPARE(cells.value(concurrency).toDouble(), restart ? 1.0 : 2.0);
        }
        QVERIFY2(sawRestart && rows >= 15, qPrintable(QString::number(rows)));
        QVERIFY2(run.out.contains("the router's counters went down at 17 s (headroom_requests_total 110 -> 3, "
                                  "headroom_requests_completed_total 110 -> 3, headroom_request_concurrency_seconds_total 22 -> 1)"
                                  ": read as a restart from 0"),
                 run.out.constData());
        QVERIFY2(run.err.contains("the router's counters went down"), qPrintable(run.err));
    }

    // An HPA on the Deployment control scales: said at once (the two would fight), and its
    // status as it changes; an HPA list the Role may not read is said once.
    void anHpaOnTheSameDeploymentIsReported_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QStringList>("messages");
        QTest::newRow("hpa") << "hpa" << QStringList {
            "the HPA inference-hpa scales this Deployment too: it and kpa will fight over its replicas",
            "HPA inference-hpa: 5 desired of 2-10 (cpu 87% (target 50%)); ScalingLimited: TooManyReplicas"};
        QTest::newRow("other deployment") << "other" << QStringList {};
        QTest::newRow("forbidden") << "forbidden" << QStringList {
            "cannot list HPAs (GET http://127.0.0.1:", "HTTP 403: horizontalpodautoscalers.autoscaling is forbidden"};
    }

    void anHpaOnTheSameDeploymentIsReported()
    {
        QFETCH(QString, mode);
        QFETCH(QStringList, messages);
        const std::string m = mode.toStdString();
        MockApi api([&](const std::string &target) -> std::pair<int, std::string> {
            if (target == "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers") {
                if (m == "forbidden")
                    return {403, R"({"kind":"Status","message":"horizontalpodautoscalers.autoscaling is forbidden: User system:serviceaccount:default:headroom-controller cannot list resource"})"};
                const std::string name = m == "other" ? "batch" : "inference";
                return {200, R"({"kind":"HorizontalPodAutoscalerList","items":[{"metadata":{"name":"inference-hpa"},)"
                             R"("spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":")" + name + R"("},)"
                             R"("minReplicas":2,"maxReplicas":10,"metrics":[{"type":"Resource","resource":{"name":"cpu",)"
                             R"("target":{"type":"Utilization","averageUtilization":50}}}]},)"
                             R"("status":{"currentReplicas":2,"desiredReplicas":5,"currentMetrics":[{"type":"Resource",)"
                             R"("resource":{"name":"cpu","current":{"averageUtilization":87,"averageValue":"870m"}}}],)"
                             R"("conditions":[{"type":"AbleToScale","status":"True","reason":"SucceededRescale"},)"
                             R"({"type":"ScalingLimited","status":"True","reason":"TooManyReplicas"}]}}]})"};
            }
            if (target == "/metrics") { // no simulated clock: the wall clock's seconds
                const std::string l = R"({namespace="default",deployment="inference"})";
                return {200, "headroom_requests_total" + l + " 10\n" + idleRouterLines()};
            }
            return healthyAnswer(target);
        });
        const CliRun run = runCli({"control", "--server", api.url(), "--controller", "kpa", "--duration", "3"}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const QString out = QString::fromUtf8(run.out);
        for (const QString &message : messages)
            QVERIFY2(out.contains(message), qPrintable(out));
        if (messages.isEmpty())
            QVERIFY2(!out.contains("HPA"), qPrintable(out));
        else
            QCOMPARE(out.count(messages.first()), 1); // said once, not every look
    }

    void namesAndTokensThatWouldBreakARequestAreRefused()
    {
        QTemporaryDir dir;
        QFile config(dir.filePath("config"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("current-context: c\nclusters:\n- name: k\n  cluster: {server: \"http://127.0.0.1:1\"}\n"
                     "users:\n- name: u\n  user: {token: \"tok\\r\\nX-Evil: injected\"}\n"
                     "contexts:\n- name: c\n  context: {cluster: k, user: u}\n");
        config.close();
        CliRun run = runCli({"control", "--kubeconfig", dir.filePath("config")}, 30000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("holds a line break"), qPrintable(run.err));
        run = runCli({"control", "--server", "http://127.0.0.1:1", "--namespace", "a?b=c"}, 30000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("'--namespace': 'a?b=c' is not a Kubernetes name"), qPrintable(run.err));
        run = runCli({"control", "--server", "http://127.0.0.1:1", "--deployment", "../../api/v1/x"}, 30000);
        QCOMPARE(run.exitCode, 2);
        run = runCli({"control", "--server", "http://[::1"}, 30000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("[address]:port"), qPrintable(run.err));
    }

    void controlRefusesBadInput_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("message");
        // No --server: the kubeconfig, as kubectl reads it ($KUBECONFIG points nowhere here).
        QTest::newRow("no kubeconfig") << QStringList {} << 2
            << "/nonexistent/kubeconfig, field 'kubeconfig': none of $KUBECONFIG's files exists";
        QTest::newRow("no --kubeconfig") << QStringList {"--kubeconfig", "/nonexistent/other"} << 2
            << "/nonexistent/other, field 'kubeconfig': does not exist";
        QTest::newRow("not a url") << QStringList {"--server", "127.0.0.1:8080"} << 2 << "is not an http:// or https:// URL";
        QTest::newRow("in-cluster outside a pod") << QStringList {"--in-cluster"} << 2 << "KUBERNETES_SERVICE_HOST";
        QTest::newRow("path") << QStringList {"--server", "http://127.0.0.1:8080/api"} << 2 << "no path";
        // --metrics names the whole path, not a prefix: a query is said to be what is refused.
        QTest::newRow("metrics query") << QStringList {"--server", "http://127.0.0.1:8080", "--metrics",
                                                       "http://127.0.0.1:8080/metrics?x=1"}
                                       << 2 << "the path takes no query (?)";
        QTest::newRow("clairvoyant") << QStringList {"--server", "http://127.0.0.1:8080", "--controller", "clairvoyant"}
                                     << 2 << "only the simulator has";
        QTest::newRow("unknown") << QStringList {"--server", "http://127.0.0.1:8080", "--controller", "vpa"}
                                 << 2 << "'vpa' is not one of";
        QTest::newRow("token file") << QStringList {"--server", "http://127.0.0.1:8080", "--token-file", "/nonexistent/token"}
                                    << 2 << "/nonexistent/token";
        QTest::newRow("model") << QStringList {"--server", "http://127.0.0.1:8080", "--model", "/nonexistent/m.pt"}
                               << 2 << "/nonexistent/m.pt";
        // Nothing listens on port 1: the first reading fails, named, and nothing runs.
        QTest::newRow("unreachable") << QStringList {"--server", "http://127.0.0.1:1", "--controller", "kpa"}
                                     << 1 << "cannot read the cluster: GET http://127.0.0.1:1/apis/apps/v1";
    }

    void controlRefusesBadInput()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, message);
        qputenv("KUBECONFIG", "/nonexistent/kubeconfig");
        const CliRun run = runCli(QStringList {"control"} + args, 30000);
        qunsetenv("KUBECONFIG");
        QCOMPARE(run.exitCode, exitCode);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    // A new-user trial's empty kubeconfig was "current-context: none set"; a token file with
    // spaces around the token was sent with them and refused 401, where kubectl trims them.
    void anEmptyKubeconfigAndASpacedTokenFile()
    {
        QTemporaryDir dir;
        const auto write = [&](const QString &name, const QByteArray &text) {
            QFile file(dir.filePath(name));
            file.open(QIODevice::WriteOnly);
            file.write(text);
            return dir.filePath(name);
        };
        const QString empty = write("empty", {});
        CliRun run = runCli({"control", "--kubeconfig", empty}, 30000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(empty + ", field 'kubeconfig': the file is empty: it holds no kubeconfig"), qPrintable(run.err));

        Server server;
        QVERIFY(server.start({"--no-load", "--speed", "20", "--token-file", write("server-token", "sekret123\n")}));
        run = runCli({"control", "--server", QStringLiteral("http://127.0.0.1:%1").arg(server.port), "--controller", "kpa",
                      "--duration", "10", "--token-file", write("spaced", "  sekret123  \r\n")}, 30000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QVERIFY2(run.out.contains("stopped at"), run.out.constData());
    }

    // --out replaced any timeseries.csv, the user's own included, and wrote into a run's folder
    // beside its summary and charts of another run (a new-user trial). Only an earlier control's
    // timeseries.csv, alone, is replaced.
    void controlOutKeepsWhatItDidNotWrite()
    {
        QTemporaryDir dir;
        const auto write = [&](const QString &name, const QByteArray &text) {
            QFile file(dir.filePath(name));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write(text);
        };
        const auto control = [&] {
            return runCli({"control", "--server", "http://127.0.0.1:1", "--controller", "hpa",
                              "--duration", "3", "--out", dir.path()},
                30000);
        };
        write("timeseries.csv", "precious\n");
        CliRun run = control();
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("already holds timeseries.csv, which Headroom did not write"), qPrintable(run.err));
        // Nor one that opens with a comment, as an export's samples do (a second trial).
        write("timeseries.csv", "# my own notes\nexperiment,result\nA,42\n");
        run = control();
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("already holds timeseries.csv, which Headroom did not write"), qPrintable(run.err));
        write("timeseries.csv", "t_s,lane,arrivals_per_s\n1,hpa,3\n");
        write("summary.json", "{\"duration_s\": 70, \"lanes\": []}\n");
        run = control();
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains("already holds summary.json, which control does not write"), qPrintable(run.err));
        QVERIFY(QFile::remove(dir.filePath("summary.json")));
        run = control(); // an earlier control's alone: taken (and port 1 does not answer)
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("cannot read the cluster"), qPrintable(run.err));
    }
};

QTEST_GUILESS_MAIN(TestControl)
#include "tst_control.moc"
