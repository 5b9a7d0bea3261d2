// headroom-cli serve as a user runs it: a real process on a loopback port, read over real
// HTTP (a Boost.Beast client) and driven with kubectl where it is installed.
#include "servetest.h"

using namespace headroom::test;
namespace http = boost::beast::http;
using Json = nlohmann::json;

class TestServe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void servesInRealTimeAndScalesThroughTheApi()
    {
        // seed-spike (70 s) at 5x: 14 s of wall clock.
        Server server;
        QVERIFY2(server.start({"--scenario", "seed-spike", "--speed", "5"}), server.firstLine.constData());
        QVERIFY(server.firstLine.contains("deployment default/inference, 2 replicas; 70 simulated s at 5x"));

        const Reply first = request(server.port, http::verb::get, "/metrics");
        QCOMPARE(first.status, 200);
        QTest::qWait(1500);
        const Reply later = request(server.port, http::verb::get, "/metrics");
        // Time moves on its own: about 7.5 simulated seconds more, and requests with it
        // (5 req/s before the spike at 20 s).
        const double t0 = metric(first.body, "headroom_simulated_time_seconds");
        const double t1 = metric(later.body, "headroom_simulated_time_seconds");
        QVERIFY2(t1 - t0 > 4.0 && t1 - t0 < 40.0, (std::to_string(t0) + " -> " + std::to_string(t1)).c_str());
        QVERIFY(metric(later.body, "headroom_requests_total") > metric(first.body, "headroom_requests_total"));

        // An external autoscaler's move: the scale subresource, patched.
        const std::string scale = "/apis/apps/v1/namespaces/default/deployments/inference/scale";
        const Reply patched = request(server.port, http::verb::patch, scale, R"({"spec":{"replicas":7}})",
                                      "application/merge-patch+json");
        QCOMPARE(patched.status, 200);
        QCOMPARE(Json::parse(patched.body)["spec"]["replicas"].get<int>(), 7);
        const Json pods = Json::parse(request(server.port, http::verb::get, "/api/v1/namespaces/default/pods").body);
        QCOMPARE(pods["items"].size(), std::size_t(7));
        // Bad input is answered, not fatal: the server goes on.
        QCOMPARE(request(server.port, http::verb::patch, scale, "{", "application/merge-patch+json").status, 400);
        QCOMPARE(request(server.port, http::verb::get, "/nothing/here").status, 404);

        // It ends by itself at the scenario's end, and says what happened.
        QVERIFY(server.process.waitForFinished(40000));
        QCOMPARE(server.process.exitCode(), 0);
        const QByteArray rest = server.process.readAllStandardOutput();
        QVERIFY2(rest.contains("stopped at 70 simulated s") && rest.contains("1 scale change through the API"),
                 rest.constData());
    }

    // A served scenario's load is run's for the same seed, at any speed: the same arrivals
    // and service times, so a served run can be replayed and an external autoscaler compared
    // with the lanes. A new-user trial's four serves of seed-spike at 20x counted 1076 to 1164
    // requests, run 1093: the server drew its arrivals over spans cut at its wall-clock ticks.
    void servesTheArrivalsRunDraws_data()
    {
        QTest::addColumn<QStringList>("seed");
        QTest::addColumn<QString>("speed");
        QTest::newRow("the scenario's seed, 1000x") << QStringList {} << "1000";
        QTest::newRow("--seed 3, 40x") << QStringList {"--seed", "3"} << "40";
    }

    void servesTheArrivalsRunDraws()
    {
        QFETCH(QStringList, seed);
        QFETCH(QString, speed);
        QTemporaryDir out;
        const CliRun run = runCli(QStringList {"run", "--scenario", "seed-spike", "--controllers", "hpa",
                                               "--out", out.path()} + seed);
        QCOMPARE(run.exitCode, 0);
        const auto ran = QRegularExpression(QStringLiteral("\\nhpa\\s+(\\d+)\\s")).match(QString::fromUtf8(run.out));
        QVERIFY2(ran.hasMatch(), run.out.constData());

        Server server;
        QVERIFY(server.start(QStringList {"--scenario", "seed-spike", "--speed", speed} + seed));
        QVERIFY(server.process.waitForFinished(20000));
        QCOMPARE(server.process.exitCode(), 0);
        const QByteArray rest = server.process.readAllStandardOutput();
        const auto served = QRegularExpression(QStringLiteral("stopped at 70 simulated s: (\\d+) requests"))
                                .match(QString::fromUtf8(rest));
        QVERIFY2(served.hasMatch(), rest.constData());
        QCOMPARE(served.captured(1), ran.captured(1));
    }

    void kubectlReadsAndScalesIt()
    {
        const QString kubectl = QStandardPaths::findExecutable(QStringLiteral("kubectl"));
        if (kubectl.isEmpty())
            QSKIP("kubectl is not installed: the Beast client above covers the same API");
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike-long", "--speed", "5"}));
        QTemporaryDir cache;
        const auto run = [&](const QStringList &args) {
            QProcess p;
            p.start(kubectl, QStringList {"--server", QStringLiteral("http://127.0.0.1:%1").arg(server.port),
                                          "--cache-dir", cache.path(), "--request-timeout", "10s"} + args);
            p.waitForFinished(30000);
            return std::make_pair(p.exitCode(), QString::fromUtf8(p.readAllStandardOutput() + p.readAllStandardError()));
        };
        auto [code, text] = run({"get", "deployments"});
        QCOMPARE(code, 0);
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("inference\\s+2/2\\s+2\\s+2"))), qPrintable(text));
        std::tie(code, text) = run({"scale", "deployment", "inference", "--replicas", "5"});
        QVERIFY2(code == 0 && text.contains("deployment.apps/inference scaled"), qPrintable(text));
        std::tie(code, text) = run({"get", "pods", "-o", "json"});
        QCOMPARE(code, 0);
        QCOMPARE(Json::parse(text.toStdString())["items"].size(), std::size_t(5));
        // Pods 1 s + 4 s to start: at 5x, ready within about a wall second.
        QTest::qWait(2500);
        std::tie(code, text) = run({"get", "pods"});
        QCOMPARE(text.count(QRegularExpression(QStringLiteral("1/1\\s+Running"))), 5);
        std::tie(code, text) = run({"scale", "deployment", "inference", "--replicas", "500"});
        QVERIFY(code != 0);
        QVERIFY2(text.contains("must be from 0 to 20"), qPrintable(text));
        std::tie(code, text) = run({"get", "deployment", "nosuch"});
        QVERIFY2(code != 0 && text.contains("NotFound"), qPrintable(text));
        // Ctrl-C (SIGINT) ends it cleanly, with its summary.
        ::kill(static_cast<pid_t>(server.process.processId()), SIGINT);
        QVERIFY(server.process.waitForFinished(10000));
        QCOMPARE(server.process.exitCode(), 0);
        QVERIFY(server.process.readAllStandardOutput().contains("1 scale change through the API"));
    }

    // headroom-cli control: a controller of ours scaling the served cluster through its API,
    // reading the router's metrics, on the server's simulated clock.
    // HTTPS with client certificates and a bearer token, found through a kubeconfig as
    // kubectl finds a cluster: the test CA, server and client certificates in tests/data/tls.
    void badCommandLinesSayWhichOption_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::newRow("no source") << QStringList {} << "'--scenario': give a scenario or a trace (--trace FILE), one of them, or --no-load";
        QTest::newRow("both") << QStringList {"--scenario", "seed-spike", "--trace", "x.csv"}
                              << "one of them";
        QTest::newRow("port") << QStringList {"--scenario", "seed-spike", "--port", "70000"}
                              << "'--port': '70000' is not a port";
        QTest::newRow("speed") << QStringList {"--scenario", "seed-spike", "--speed", "0"} << "--speed";
        QTest::newRow("address") << QStringList {"--scenario", "seed-spike", "--address", "localhost:1"}
                                 << "'--address': 'localhost:1' is not an IP address";
        QTest::newRow("name") << QStringList {"--scenario", "seed-spike", "--deployment", "My_Service"}
                              << "'--deployment': 'My_Service' is not a Kubernetes name";
        QTest::newRow("scenario") << QStringList {"--scenario", "no-such-scenario"} << "no-such-scenario";
        QTest::newRow("duration") << QStringList {"--scenario", "seed-spike", "--duration", "100"}
                                  << "--duration";
        QTest::newRow("unknown") << QStringList {"--scenario", "seed-spike", "--controllers", "hpa"}
                                 << "'--controllers': unknown option";
        QTest::newRow("replicas") << QStringList {"--scenario", "seed-spike", "--replicas", "25"}
                                  << "'--replicas': 25 is past the cluster's max_replicas (20";
        QTest::newRow("replicas text") << QStringList {"--no-load", "--replicas", "two"}
                                       << "'--replicas': 'two' is not a whole number";
    }

    void badCommandLinesSayWhichOption()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun run = runCli(QStringList {"serve"} + args, 20000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    // A server that asks every request for the bearer token sekret123 (its file in `dir`).
    static void startWithToken(Server &server, const QTemporaryDir &dir)
    {
        QFile token(dir.filePath("token"));
        QVERIFY(token.open(QIODevice::WriteOnly));
        token.write("sekret123\n");
        token.close();
        QVERIFY2(server.start({"--no-load", "--speed", "5", "--token-file", dir.filePath("token")}),
                 server.firstLine.constData());
    }

    // The bearer token as the Kubernetes API server reads it: the scheme in any case (a
    // new-user trial's "bearer TOKEN" was refused 401), the token exact. A server on loopback
    // says no warning.
    void theBearerSchemeIsReadInAnyCase()
    {
        QTemporaryDir dir;
        Server server;
        startWithToken(server, dir);
        if (QTest::currentTestFailed())
            return;
        const std::string deployment = "/apis/apps/v1/namespaces/default/deployments/inference";
        const auto status = [&](const std::string &authorization) {
            return request(server.port, http::verb::get, deployment, {}, "application/json",
                           authorization.empty() ? std::vector<std::pair<std::string, std::string>> {}
                                                 : std::vector<std::pair<std::string, std::string>> {{"Authorization", authorization}})
                .status;
        };
        QCOMPARE(status("Bearer sekret123"), 200);
        QCOMPARE(status("bearer sekret123"), 200);
        QCOMPARE(status("BEARER sekret123"), 200);
        QCOMPARE(status("Bearer wrong"), 401);
        QCOMPARE(status("Bearer sekret1234"), 401);
        QCOMPARE(status("Basic sekret123"), 401);
        QCOMPARE(status("sekret123"), 401);
        QCOMPARE(status(""), 401);
        server.process.terminate();
        QVERIFY(server.process.waitForFinished(10000));
        const QByteArray err = server.process.readAllStandardError();
        QVERIFY2(!err.contains("warning"), err.constData());
    }

    // The simulator steps whole seconds: a --duration between them is served rounded up and
    // said to be, as run says it (a new-user trial's --duration 0.5 served 1 s without a word).
    void aFractionalDurationIsSaid()
    {
        const CliRun run = runCli({"serve", "--no-load", "--port", "0", "--duration", "0.5", "--speed", "100"}, 20000);
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.err.contains("note: --duration 0.5 s was asked for: it serves 1 s, as the simulator steps whole seconds"),
                 qPrintable(run.err));
        QVERIFY2(run.out.contains("1 simulated s at 100x") && run.out.contains("stopped at 1 simulated s"), run.out.constData());
        const CliRun whole = runCli({"serve", "--no-load", "--port", "0", "--duration", "2", "--speed", "100"}, 20000);
        QCOMPARE(whole.exitCode, 0);
        QVERIFY2(!whole.err.contains("note:"), qPrintable(whole.err));
        // A cluster whose SLO its own service times break is said, as run says it.
        QTemporaryDir dir;
        QFile scenario(dir.filePath("tight.json"));
        QVERIFY(scenario.open(QIODevice::WriteOnly));
        scenario.write(R"({"name": "tight", "duration_s": 2, "cluster": {"slo_latency_ms": 160},
            "segments": [{"type": "constant", "start_s": 0, "end_s": 2, "rate": 1}]})");
        scenario.close();
        const CliRun tight = runCli({"serve", "--scenario", scenario.fileName(), "--port", "0", "--speed", "100"}, 20000);
        QCOMPARE(tight.exitCode, 0);
        QVERIFY2(tight.err.contains("note: the SLO of 160 ms is below the service time's 95th percentile (233 ms"),
                 qPrintable(tight.err));
    }

    // A method a path does not take is 405 with an Allow header naming those it does (HTTP
    // asks it of a 405): a fourth trial's POST /healthz was a 404, as if nothing were there.
    // The health probes answer so without the token, as they answer GET.
    void aWrongMethodIs405WithAllow()
    {
        QTemporaryDir dir;
        Server server;
        startWithToken(server, dir);
        if (QTest::currentTestFailed())
            return;
        const std::vector<std::pair<std::string, std::string>> bearer {{"Authorization", "Bearer sekret123"}};
        const Reply health = request(server.port, http::verb::post, "/healthz");
        QCOMPARE(health.status, 405);
        QCOMPARE(health.allow, std::string("GET, HEAD"));
        QCOMPARE(request(server.port, http::verb::get, "/healthz").status, 200);
        QCOMPARE(request(server.port, http::verb::delete_, "/readyz").allow, std::string("GET, HEAD"));
        const Reply metrics = request(server.port, http::verb::post, "/metrics", {}, "application/json", bearer);
        QCOMPARE(metrics.status, 405);
        QCOMPARE(metrics.allow, std::string("GET, HEAD"));
        const Reply infer = request(server.port, http::verb::get, "/v1/infer", {}, "application/json", bearer);
        QCOMPARE(infer.status, 405);
        QCOMPARE(infer.allow, std::string("POST"));
        const Reply scale = request(server.port, http::verb::post,
            "/apis/apps/v1/namespaces/default/deployments/inference/scale", "{}", "application/json", bearer);
        QCOMPARE(scale.status, 405);
        QCOMPARE(scale.allow, std::string("GET, HEAD, PUT, PATCH"));
        const Reply pods = request(server.port, http::verb::delete_, "/api/v1/namespaces/default/pods", {},
            "application/json", bearer);
        QCOMPARE(pods.status, 405);
        QCOMPARE(pods.allow, std::string("GET, HEAD"));
        // A path that is not there is still 404, whatever the method.
        QCOMPARE(request(server.port, http::verb::post, "/nothing", {}, "application/json", bearer).status, 404);
    }

    void aPortInUseIsRefused()
    {
        Server first;
        QVERIFY(first.start({"--scenario", "seed-spike-long"}));
        const CliRun second = runCli({"serve", "--scenario", "seed-spike", "--port", QString::number(first.port)}, 20000);
        QCOMPARE(second.exitCode, 2);
        QVERIFY2(second.err.contains(QStringLiteral("'--port': cannot listen on 127.0.0.1:%1").arg(first.port)),
                 qPrintable(second.err));
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
