// Inference requests on headroom-cli serve and headroom-cli load aimed at it, as a user runs
// them: real processes on loopback ports, the load's CSV read back, the server's answers and
// metrics compared with what the client measured.
#include "servetest.h"

#include <QDir>
#include <QElapsedTimer>
#include <QRegularExpression>
#include <QFile>

#include <algorithm>
#include <cmath>
#include <vector>

#include <sys/resource.h>

using namespace headroom::test;
namespace http = boost::beast::http;
using Json = nlohmann::json;

namespace {

// One row of load's CSV (the columns the test reads).
struct Row
{
    double scheduledS = 0.0;
    double sentS = NAN;
    int status = 0;
    double latencyMs = NAN;
    double serverLatencyMs = NAN;
    QString error;
};

std::vector<Row> readCsv(const QString &path)
{
    QFile file(path);
    std::vector<Row> rows;
    if (!file.open(QIODevice::ReadOnly))
        return rows;
    file.readLine(); // the header
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        const QStringList cells = line.split(QLatin1Char(','));
        if (cells.size() < 6)
            continue;
        const auto number = [](const QString &cell) { return cell.isEmpty() ? NAN : cell.toDouble(); };
        Row r;
        r.scheduledS = number(cells[0]);
        r.sentS = number(cells[1]);
        r.status = cells[2].isEmpty() ? 0 : cells[2].toInt();
        r.latencyMs = number(cells[3]);
        r.serverLatencyMs = number(cells[4]);
        r.error = cells.mid(5).join(QLatin1Char(','));
        rows.push_back(r);
    }
    return rows;
}

double quantile(std::vector<double> values, double q)
{
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    return values[std::min(values.size() - 1, static_cast<std::size_t>(q * static_cast<double>(values.size())))];
}

std::vector<double> latenciesOf(const std::vector<Row> &rows, int status)
{
    std::vector<double> out;
    for (const Row &r : rows) {
        if (r.status == status)
            out.push_back(r.latencyMs);
    }
    return out;
}

long long countStatus(const std::vector<Row> &rows, int status)
{
    return std::count_if(rows.begin(), rows.end(), [&](const Row &r) { return r.status == status; });
}

// A request whose body may be refused before it is sent whole: write errors are ignored and
// the answer read if one comes.
Reply sendTolerant(int port, http::verb verb, const std::string &target, const std::string &body)
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
    stream.expires_after(std::chrono::seconds(10));
    http::request<http::string_body> req {verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    beast::error_code ec;
    http::write(stream, req, ec);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res, ec);
    if (ec)
        return {0, ec.message()};
    return {static_cast<int>(res.result_int()), res.body()};
}

// A TCP server on a free loopback port that is not HTTP: it answers every connection with
// garbage, or resets it at once. Bounded: it stops with the test.
class RawServer
{
public:
    enum class Mode { Garbage, Reset };
    explicit RawServer(Mode mode)
        : m_mode(mode), m_acceptor(m_io, {boost::asio::ip::make_address("127.0.0.1"), 0})
    {
        m_thread = std::thread([this] { serve(); });
    }
    ~RawServer()
    {
        m_stop = true;
        beast::error_code ec;
        {
            boost::asio::io_context io;
            boost::asio::ip::tcp::socket wake(io);
            wake.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port())}, ec);
        }
        m_thread.join();
    }
    int port() const { return m_acceptor.local_endpoint().port(); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(port()); }

private:
    void serve()
    {
        for (int i = 0; i < 10000 && !m_stop; ++i) {
            boost::asio::ip::tcp::socket socket(m_io);
            beast::error_code ec;
            m_acceptor.accept(socket, ec);
            if (ec || m_stop)
                return;
            if (m_mode == Mode::Reset) {
                socket.set_option(boost::asio::socket_base::linger(true, 0), ec);
            } else {
                const std::string garbage = "SSH-2.0-not-http\r\n\r\n";
                boost::asio::write(socket, boost::asio::buffer(garbage), ec);
            }
            socket.close(ec);
        }
    }

    Mode m_mode;
    boost::asio::io_context m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    std::atomic<bool> m_stop {false};
    std::thread m_thread;
};

// headroom-cli load against the server, its CSV in `dir`; returns the rows.
std::vector<Row> runLoad(const Server &server, const QTemporaryDir &dir, const QString &name,
                         const QStringList &args, int expectedExit = 0)
{
    const QString csv = dir.filePath(name + QStringLiteral(".csv"));
    const CliRun run = runCli(QStringList {"load", "--url",
        QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(server.port), "--out", csv} + args, 60000);
    if (run.exitCode != expectedExit) {
        qWarning() << "load" << args << "exit" << run.exitCode << run.out << run.err;
        return {};
    }
    return readCsv(csv);
}

} // namespace

class TestLoad : public QObject
{
    Q_OBJECT

    std::unique_ptr<Server> m_rowServer;

private Q_SLOTS:
    void cleanupTestCase() { m_rowServer.reset(); }

    void latencyFollowsTheClusterAndScalingBringsItDown()
    {
        // Two pods of the default preset (150 ms per request, one at a time): about 13 req/s.
        constexpr double kSpeed = 5.0;
        Server server;
        QVERIFY2(server.start({"--no-load", "--replicas", "2", "--speed", "5"}), server.firstLine.constData());
        QVERIFY2(server.firstLine.contains("no load but inference requests"), server.firstLine.constData());
        QTemporaryDir dir;

        // 4 req/s: the pods keep up, and the client sees the simulated latency at 5x.
        const std::vector<Row> light = runLoad(server, dir, "light", {"--rate", "4", "--duration", "20", "--speed", "5"});
        QVERIFY(light.size() > 40);
        QCOMPARE(countStatus(light, 200), static_cast<long long>(light.size()));
        std::vector<double> excessMs;
        for (const Row &r : light)
            excessMs.push_back(r.latencyMs - r.serverLatencyMs / kSpeed);
        // The answer leaves when the simulated request ends: the client's latency is the
        // simulated one over the speed plus the trip (generous: the machine is shared).
        QVERIFY2(quantile(excessMs, 0.5) > -2.0 && quantile(excessMs, 0.5) < 25.0,
                 qPrintable(QStringLiteral("median excess %1 ms").arg(quantile(excessMs, 0.5))));
        const double lightP95 = quantile(latenciesOf(light, 200), 0.95);
        QVERIFY2(lightP95 * kSpeed < 1500.0, qPrintable(QString::number(lightP95)));
        std::string metrics = request(server.port, http::verb::get, "/metrics").body;
        QCOMPARE(metric(metrics, "headroom_requests_total{"), static_cast<double>(light.size()));
        QCOMPARE(metric(metrics, "headroom_inference_requests_total{"), static_cast<double>(light.size()));

        // 40 req/s, three times what they serve: the queue grows, latency with it, and the
        // requests that wait past the client timeout (10 s simulated) are answered 504.
        const std::vector<Row> heavy = runLoad(server, dir, "heavy", {"--rate", "40", "--duration", "20", "--speed", "5"});
        QVERIFY(heavy.size() > 500);
        const long long timedOut = countStatus(heavy, 504);
        QVERIFY2(timedOut > static_cast<long long>(heavy.size()) / 5, qPrintable(QString::number(timedOut)));
        QCOMPARE(countStatus(heavy, 200) + timedOut + countStatus(heavy, 503), static_cast<long long>(heavy.size()));
        const double heavyP95 = quantile(latenciesOf(heavy, 200), 0.95);
        QVERIFY2(heavyP95 > 5.0 * lightP95, qPrintable(QStringLiteral("%1 vs %2").arg(heavyP95).arg(lightP95)));
        metrics = request(server.port, http::verb::get, "/metrics").body;
        QCOMPARE(metric(metrics, "headroom_requests_total{"), static_cast<double>(light.size() + heavy.size()));
        QVERIFY(metric(metrics, "headroom_requests_dropped_total{") >= static_cast<double>(timedOut) * 0.5);

        // Twelve pods through the scale subresource, as an autoscaler would; once they are
        // Ready and the backlog is gone, the same load is served within the SLO again.
        const std::string scale = "/apis/apps/v1/namespaces/default/deployments/inference/scale";
        QCOMPARE(request(server.port, http::verb::patch, scale, R"({"spec":{"replicas":12}})",
                         "application/merge-patch+json").status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(
            metric(request(server.port, http::verb::get, "/metrics").body, "headroom_pods{namespace=\"default\",deployment=\"inference\",phase=\"ready\"}") == 12.0
                && metric(request(server.port, http::verb::get, "/metrics").body, "headroom_in_flight{") == 0.0,
            20000);
        const std::vector<Row> scaled = runLoad(server, dir, "scaled", {"--rate", "40", "--duration", "20", "--speed", "5"});
        QVERIFY(scaled.size() > 500);
        QCOMPARE(countStatus(scaled, 200), static_cast<long long>(scaled.size()));
        const double scaledP95 = quantile(latenciesOf(scaled, 200), 0.95);
        QVERIFY2(scaledP95 * 3.0 < heavyP95, qPrintable(QStringLiteral("%1 vs %2").arg(scaledP95).arg(heavyP95)));
        metrics = request(server.port, http::verb::get, "/metrics").body;
        QCOMPARE(metric(metrics, "headroom_requests_total{"),
                 static_cast<double>(light.size() + heavy.size() + scaled.size()));
    }

    void inferenceRequestsAreCheckedAndAnswered_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("says");
        QTest::addRow("no body") << "POST" << QByteArray() << 200 << "\"outcome\":\"completed\"";
        QTest::addRow("tokens") << "POST" << QByteArray(R"({"prompt_tokens":100,"output_tokens":20})") << 200
                                << "\"service_ms\":22";
        QTest::addRow("other fields ignored") << "POST" << QByteArray(R"({"prompt":"hello","output_tokens":2})")
                                              << 200 << "\"pod\":\"inference-0000";
        QTest::addRow("bad JSON") << "POST" << QByteArray("{\"prompt_tokens\":") << 400 << "not JSON";
        QTest::addRow("not an object") << "POST" << QByteArray("[1,2]") << 400 << "must be a JSON object";
        QTest::addRow("negative tokens") << "POST" << QByteArray(R"({"prompt_tokens":-5})") << 400
                                         << "prompt_tokens must be from 0 to 1000000, not -5";
        QTest::addRow("huge tokens") << "POST" << QByteArray(R"({"output_tokens":1e12})") << 400
                                     << "output_tokens must be from 0 to 1000000";
        QTest::addRow("fractional tokens") << "POST" << QByteArray(R"({"output_tokens":1.5})") << 400
                                           << "output_tokens must be a whole number, not 1.5";
        QTest::addRow("tokens as text") << "POST" << QByteArray(R"({"output_tokens":"10"})") << 400
                                        << "must be a whole number, not \\\"10\\\"";
        // A key given twice took its last value; every other JSON input here refuses it.
        QTest::addRow("a key twice") << "POST" << QByteArray(R"({"prompt_tokens":1,"prompt_tokens":2})") << 400
                                     << "the body gives prompt_tokens twice";
        QTest::addRow("deep nesting") << "POST" << QByteArray(200, '[') + QByteArray(200, ']') << 400
                                      << "nests deeper than 32";
        QTest::addRow("GET") << "GET" << QByteArray() << 405 << "takes POST";
    }

    void inferenceRequestsAreCheckedAndAnswered()
    {
        QFETCH(QString, method);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, says);
        // One server for all the rows (a process each would double the suite's time).
        if (!m_rowServer) {
            m_rowServer = std::make_unique<Server>();
            QVERIFY(m_rowServer->start({"--no-load", "--replicas", "1", "--speed", "50"}));
        }
        Server &server = *m_rowServer;
        const auto requests = [&] {
            return metric(request(server.port, http::verb::get, "/metrics").body, "headroom_requests_total{");
        };
        const double before = requests();
        const Reply reply = request(server.port, method == "GET" ? http::verb::get : http::verb::post,
                                    "/v1/infer", body.toStdString());
        QCOMPARE(reply.status, status);
        QVERIFY2(QString::fromStdString(reply.body).contains(says), reply.body.c_str());
        // Refused requests never reach the router.
        QCOMPARE(requests() - before, status == 200 ? 1.0 : 0.0);
    }

    void aHugeBodyIsRefused()
    {
        Server server;
        QVERIFY(server.start({"--no-load", "--speed", "50"}));
        const std::string huge = "{\"prompt_tokens\":1,\"pad\":\"" + std::string(2 * 1024 * 1024, 'x') + "\"}";
        const Reply reply = sendTolerant(server.port, http::verb::post, "/v1/infer", huge);
        // 413, or the connection closed while the body was still being sent: never served.
        QVERIFY2(reply.status == 413 || reply.status == 0, reply.body.c_str());
        QCOMPARE(metric(request(server.port, http::verb::get, "/metrics").body, "headroom_requests_total{"), 0.0);
        QCOMPARE(request(server.port, http::verb::post, "/v1/infer", "{}").status, 200);
    }

    void noPodsMeansATimeout()
    {
        // No replicas: the request waits at the router until the client timeout (10 s
        // simulated, half a second at 20x), then 504.
        Server server;
        QVERIFY(server.start({"--no-load", "--replicas", "0", "--speed", "20"}));
        QElapsedTimer clock;
        clock.start();
        const Reply reply = request(server.port, http::verb::post, "/v1/infer", "{}");
        QCOMPARE(reply.status, 504);
        QVERIFY2(clock.elapsed() >= 400 && clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
        const Json body = Json::parse(reply.body);
        QCOMPARE(body["outcome"].get<std::string>(), std::string("timed_out"));
        QCOMPARE(body["latency_ms"].get<double>(), 10000.0);
        QVERIFY(body["message"].get<std::string>().find("client timeout") != std::string::npos);
        QCOMPARE(body["queue_wait_ms"].get<double>(), 10000.0); // it waited throughout
        QVERIFY(!body.contains("pod"));
    }

    // A request that started at once on an idle pod and outlasted the client timeout waited
    // for nothing: it read as 10 s of queue wait, with no pod named (a new-user trial).
    void aTimeoutInServiceNamesItsPod()
    {
        Server server;
        QVERIFY(server.start({"--no-load", "--replicas", "2", "--speed", "20"}));
        const Reply reply = request(server.port, http::verb::post, "/v1/infer",
            R"({"prompt_tokens": 0, "output_tokens": 100000})");
        QCOMPARE(reply.status, 504);
        const Json body = Json::parse(reply.body);
        QCOMPARE(body["outcome"].get<std::string>(), std::string("timed_out"));
        QVERIFY2(body["queue_wait_ms"].get<double>() < 1.0, reply.body.c_str());
        QVERIFY2(body.contains("pod") && body["service_ms"].get<double>() > 10000.0, reply.body.c_str());
    }

    void waitingRequestsHearTheServerStop()
    {
        // Ctrl-C while a request waits (no pods, a 10 s timeout at 1x): it is answered 503,
        // not left with a closed connection.
        Server server;
        QVERIFY(server.start({"--no-load", "--replicas", "0"}));
        Reply reply;
        std::thread client([&] {
            try {
                reply = request(server.port, http::verb::post, "/v1/infer", "{}");
            } catch (const std::exception &e) {
                reply = {-1, e.what()}; // the connection closed without an answer
            }
        });
        QTest::qWait(500);
        ::kill(static_cast<pid_t>(server.process.processId()), SIGINT);
        client.join();
        QCOMPARE(reply.status, 503);
        QVERIFY2(reply.body.find("the server is stopping") != std::string::npos, reply.body.c_str());
        QVERIFY(server.process.waitForFinished(10000));
        QCOMPARE(server.process.exitCode(), 0);
        QVERIFY(server.process.readAllStandardOutput().contains("1 inference request"));
    }

    // An LLM trace replayed through load: each request carries its row's token counts, and
    // serve's llm preset serves it for as long as those tokens take (50 ms + 0.2 ms a prompt
    // token + 10 ms an output token), as a simulated lane on the same trace would.
    void aTracesTokenCountsReachTheServer()
    {
        Server server;
        QVERIFY2(server.start({"--no-load", "--replicas", "2", "--preset", "llm", "--speed", "10"}),
                 server.firstLine.constData());
        QTemporaryDir dir;
        const QString trace = dir.filePath("trace.csv");
        QFile file(trace);
        QVERIFY(file.open(QIODevice::WriteOnly));
        // Two rows out of order: sorted with their own counts, and said as run says it.
        file.write("TIMESTAMP,ContextTokens,GeneratedTokens\n"
                   "2023-11-16 18:00:00.0000000,100,10\n"
                   "2023-11-16 18:00:02.0000000,0,200\n"
                   "2023-11-16 18:00:01.0000000,1000,50\n"
                   "2023-11-16 18:00:04.0000000,500,0\n");
        file.close();
        const std::vector<Row> rows = runLoad(server, dir, "tokens", {"--trace", trace, "--speed", "10", "--preset", "llm"});
        QCOMPARE(rows.size(), std::size_t(4));
        const double expectedMs[] = {170.0, 750.0, 2050.0, 150.0};
        for (std::size_t i = 0; i < rows.size(); ++i) {
            QCOMPARE(rows[i].status, 200);
            QVERIFY2(std::abs(rows[i].serverLatencyMs - expectedMs[i]) < 1.0,
                     qPrintable(QStringLiteral("row %1: %2 ms").arg(i).arg(rows[i].serverLatencyMs)));
        }
        // A body without the fields sends the same body each time, and says so.
        const CliRun plain = runCli({"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(server.port),
                                     "--trace", trace, "--speed", "10", "--body", "{}"}, 60000);
        QVERIFY2(plain.exitCode == 0, qPrintable(plain.err));
        QVERIFY2(QString::fromUtf8(plain.out).contains("the trace's token counts are not sent"), plain.out.constData());
        QVERIFY2(plain.err.contains("note: 1 row earlier than the row before"), qPrintable(plain.err));
        // Counts past what serve takes are sent as they are, and said first (a new-user trial).
        const QString big = dir.filePath("big.csv");
        QFile bigFile(big);
        QVERIFY(bigFile.open(QIODevice::WriteOnly));
        bigFile.write("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:00:00.0000000,2000000,10\n"
                      "2023-11-16 18:00:01.0000000,10,10\n");
        bigFile.close();
        const CliRun bigRun = runCli({"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(server.port),
                                      "--trace", big, "--speed", "10"}, 60000);
        QCOMPARE(bigRun.exitCode, 0);
        QVERIFY2(bigRun.err.contains("note: 1 of the trace's requests carries more than 1000000 tokens, which serve refuses (400)"),
                 qPrintable(bigRun.err));
        QVERIFY2(QString::fromUtf8(bigRun.out).contains("1 x 400"), bigRun.out.constData());
        // One request reads as one: "1 requests" until a new-user trial.
        const QString one = dir.filePath("one.csv");
        QFile oneFile(one);
        QVERIFY(oneFile.open(QIODevice::WriteOnly));
        oneFile.write("TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:00:00.0000000,10,10\n");
        oneFile.close();
        const CliRun oneRun = runCli({"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(server.port),
                                      "--trace", one, "--speed", "10", "--out", dir.filePath("one-out.csv")}, 60000);
        QCOMPARE(oneRun.exitCode, 0);
        const QString oneOut = QString::fromUtf8(oneRun.out);
        QVERIFY2(oneOut.contains("/v1/infer: 1 request, ") && oneOut.contains("sent 1 of 1 request;")
                && oneOut.contains("one-out.csv (1 request)"),
            qPrintable(oneOut));
        // The CSV may not overwrite the trace it replays.
        const CliRun clobber = runCli({"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(server.port),
                                       "--trace", trace, "--out", dir.path() + "/./trace.csv"}, 60000);
        QCOMPARE(clobber.exitCode, 2);
        QVERIFY2(clobber.err.contains("'--out': exists and is not an earlier load CSV: not overwritten"), qPrintable(clobber.err));
        QVERIFY(QFileInfo(trace).size() > 100); // the trace is untouched
    }

    // serve over HTTPS, asking for client certificates: load trusts it through the CA and
    // shows its own. Trusting another CA, it stops before any request (exit 1, naming the
    // URL and why); without a client certificate, TLS 1.3 lets the handshake through and
    // the server's refusal comes with the first answer: each request records it.
    void loadOverHttps()
    {
        const QString tls = sourcePath(QStringLiteral("tests/data/tls/"));
        Server server;
        QVERIFY2(server.start({"--no-load", "--replicas", "2", "--speed", "10", "--tls-cert", tls + "server.crt",
                               "--tls-key", tls + "server.key", "--client-ca", tls + "ca.crt"}),
                 server.firstLine.constData());
        const QString url = QStringLiteral("https://127.0.0.1:%1/v1/infer").arg(server.port);
        QTemporaryDir dir;
        const QString csv = dir.filePath("https.csv");
        const CliRun run = runCli({"load", "--url", url, "--rate", "5", "--duration", "10", "--speed", "10",
                                   "--certificate-authority", tls + "ca.crt", "--client-certificate", tls + "client.crt",
                                   "--client-key", tls + "client.key", "--out", csv}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        const std::vector<Row> rows = readCsv(csv);
        QVERIFY2(rows.size() > 20, qPrintable(QString::number(rows.size())));
        QCOMPARE(countStatus(rows, 200), static_cast<long long>(rows.size()));
        for (const Row &r : rows)
            QVERIFY(r.serverLatencyMs > 0.0); // serve's own answer, read through TLS
        // An untrusted server names what decides trust: the CA given, or that none was.
        struct Bad { QStringList args; QString message; QString check; };
        for (const Bad &bad : {Bad {{"--certificate-authority", tls + "other-ca.crt", "--client-certificate", tls + "client.crt",
                                     "--client-key", tls + "client.key"}, "cannot connect to " + url + ": TLS: certificate verify failed",
                                    "(--certificate-authority)\n"},
                               Bad {{"--certificate-authority", tls + "ca.crt"}, "x TLS: tlsv13 alert certificate required", {}},
                               Bad {{}, "cannot connect to " + url + ": TLS: certificate verify failed",
                                    "(--url; give the server's CA with --certificate-authority)\n"}}) {
            const CliRun refused = runCli(QStringList {"load", "--url", url, "--rate", "5", "--duration", "2"} + bad.args, 30000);
            QCOMPARE(refused.exitCode, 1);
            const QString said = refused.err + QString::fromUtf8(refused.out);
            QVERIFY2(said.contains(bad.message), qPrintable(said));
            QVERIFY2(said.contains(bad.check) && !said.contains("(--url)"), qPrintable(said));
        }
        // Told not to check the server (the client certificate still shown): answered.
        const CliRun insecure = runCli({"load", "--url", url, "--rate", "5", "--duration", "2", "--speed", "10",
                                        "--insecure-skip-tls-verify", "--client-certificate", tls + "client.crt",
                                        "--client-key", tls + "client.key"}, 30000);
        QVERIFY2(insecure.exitCode == 0, qPrintable(insecure.err));
    }

    void loadBadCommandLines_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("no url") << QStringList {"--rate", "5", "--duration", "1"} << "'--url': give the URL";
        QTest::addRow("not http") << QStringList {"--url", "ftp://127.0.0.1/x", "--rate", "5", "--duration", "1"}
                                  << "'--url': 'ftp://127.0.0.1/x' is not an http:// or https:// URL";
        QTest::addRow("tls options on http") << QStringList {"--url", "http://127.0.0.1:8443/v1/infer", "--rate", "5",
                                                             "--duration", "1", "--insecure-skip-tls-verify"}
                                             << "the TLS options apply to an https:// URL";
        QTest::addRow("ca not a file") << QStringList {"--url", "https://127.0.0.1:8443/v1/infer", "--rate", "5",
                                                       "--duration", "1", "--certificate-authority", "/nonexistent/ca.crt"}
                                       << "/nonexistent/ca.crt, field '--certificate-authority': does not exist";
        QTest::addRow("ca not PEM") << QStringList {"--url", "https://127.0.0.1:8443/v1/infer", "--rate", "5", "--duration", "1",
                                                    "--certificate-authority", sourcePath("tests/data/bad-trace-row.csv")}
                                    << "bad-trace-row.csv (--certificate-authority), field 'certificate authority': cannot be used";
        QTest::addRow("key without certificate") << QStringList {"--url", "https://127.0.0.1:8443/v1/infer", "--rate", "5",
                                                                 "--duration", "1", "--client-key",
                                                                 sourcePath("tests/data/tls/client.key")}
                                                 << "a client certificate needs its key, and a key its certificate";
        QTest::addRow("port") << QStringList {"--url", "http://127.0.0.1:99999/v1/infer", "--rate", "5", "--duration", "1"}
                              << "no port from 1 to 65535";
        QTest::addRow("no host") << QStringList {"--url", "http:///v1/infer", "--rate", "5", "--duration", "1"}
                                 << "'--url'";
        QTest::addRow("no source") << QStringList {"--url", "http://127.0.0.1:8080/v1/infer"}
                                   << "give one of --scenario, --trace or --rate";
        QTest::addRow("rate alone") << QStringList {"--url", "http://127.0.0.1:8080/v1/infer", "--rate", "5"}
                                    << "'--rate': give --duration";
        QTest::addRow("negative rate") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "-5", "--duration", "1"}
                                       << "'--rate': must be positive";
        QTest::addRow("outstanding") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "5", "--duration", "1",
                                                    "--max-outstanding", "0"}
                                     << "'--max-outstanding': '0' is not a whole number from 1";
        QTest::addRow("scenario") << QStringList {"--url", "http://127.0.0.1:8080/", "--scenario", "no-such-scenario"}
                                  << "no-such-scenario";
        QTest::addRow("token fields without tokens")
            << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "5", "--duration", "1", "--body",
                            "{\"prompt\": $prompt_tokens}"}
            << "'--body': $prompt_tokens and $output_tokens are filled from a trace's token columns";
        // A new-user trial's '{bad' was sent to every request without a word; serve refuses a
        // key given twice.
        QTest::addRow("body not JSON") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "5", "--duration", "1",
                                                       "--body", "{bad"}
                                       << "'--body': '{bad' is not JSON (it is sent as application/json): malformed JSON at byte 2";
        QTest::addRow("body key twice") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "5", "--duration", "1",
                                                        "--body", "{\"output_tokens\":1,\"output_tokens\":2}"}
                                        << "is not JSON (it is sent as application/json): output_tokens: the key appears twice";
        // Found by a new-user trial (5 December).
        QTest::addRow("out over a data file") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "5", "--duration", "1",
                                                              "--out", sourcePath("resources/scenarios/seed-spike.json")}
                                              << "exists and is not an earlier load CSV: not overwritten";
        QTest::addRow("out on a device") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "5", "--duration", "1",
                                                         "--out", "/dev/zero"}
                                         << "/dev/zero, field '--out': not a regular file";
        QTest::addRow("out in no folder") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "5", "--duration", "1",
                                                          "--out", "/nonexistent/dir/x.csv"}
                                          << "its folder /nonexistent/dir does not exist";
        QTest::addRow("too many requests") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "50000", "--duration", "3000"}
                                           << "command line, field '--duration': more than 5000000 requests in one run";
        QTest::addRow("rate past a scenario's") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "60000", "--duration", "1"}
                                                << "'--rate': at most 50000 requests per second";
        QTest::addRow("a fragment") << QStringList {"--url", "http://127.0.0.1:8080/v1/infer#x", "--rate", "5", "--duration", "1"}
                                    << "a #fragment is never sent to a server";
        QTest::addRow("insecure with a ca") << QStringList {"--url", "https://127.0.0.1:8443/", "--rate", "5", "--duration", "1",
                                                            "--insecure-skip-tls-verify", "--certificate-authority",
                                                            sourcePath("tests/data/tls/ca.crt")}
                                            << "not with --certificate-authority";
        QTest::addRow("ca without end") << QStringList {"--url", "https://127.0.0.1:8443/", "--rate", "5", "--duration", "1",
                                                        "--certificate-authority", "/dev/zero"}
                                        << "/dev/zero, field '--certificate-authority': larger than 1 MB";
        QTest::addRow("unknown") << QStringList {"--url", "http://127.0.0.1:8080/", "--rate", "5", "--duration", "1",
                                                "--concurrency", "4"}
                                 << "'--concurrency': unknown option";
    }

    void loadBadCommandLines()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun run = runCli(QStringList {"load"} + args, 20000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
    }

    void loadOnNothingListening()
    {
        // A port just freed: nothing listens there.
        int port = 0;
        {
            boost::asio::io_context io;
            boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
            port = acceptor.local_endpoint().port();
        }
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        const CliRun run = runCli({"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(port),
                                   "--rate", "5", "--duration", "2", "--out", csv}, 20000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(QStringLiteral("cannot connect to http://127.0.0.1:%1").arg(port))
                     && run.err.contains("refused") && run.err.contains("(--url)"), qPrintable(run.err));
        QVERIFY(QFile::exists(csv)); // written, if only its header
    }

    // An earlier load CSV is not emptied by a run that recorded nothing (it became a header
    // alone, its results lost); a run that recorded requests replaces it, leaving no other file.
    void anEarlierCsvIsKeptWhenNothingWasRecorded()
    {
        int port = 0;
        {
            boost::asio::io_context io;
            boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
            port = acceptor.local_endpoint().port();
        }
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("prev.csv"));
        const QByteArray earlier = QByteArray("scheduled_s,sent_s,status,latency_ms,server_latency_ms,error\n"
                                              "0.000000,0.000100,200,151.000,150.000,\n0.050000,0.050100,200,152.000,150.000,\n");
        QFile file(csv);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(earlier);
        file.close();
        const CliRun run = runCli({"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(port),
                                   "--rate", "1", "--duration", "2", "--out", csv}, 20000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("note: no request was recorded: " + csv + " is left as it was"), qPrintable(run.err));
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), earlier);
        file.close();

        RawServer server(RawServer::Mode::Garbage);
        const CliRun replaced = runCli({"load", "--url", server.url(), "--rate", "20", "--duration", "1", "--out", csv}, 30000);
        QCOMPARE(replaced.exitCode, 1); // no request got an HTTP answer, each recorded with why
        const QByteArray wrote = QByteArray("wrote ") + csv.toUtf8();
        QVERIFY2(replaced.out.contains(wrote), replaced.out.constData());
        const std::vector<Row> rows = readCsv(csv);
        QVERIFY(rows.size() > 5);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot), QStringList {QStringLiteral("prev.csv")});
    }

    void loadOnAServerThatIsNotHttp_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<QString>("error");
        QTest::addRow("garbage") << static_cast<int>(RawServer::Mode::Garbage) << "the answer is not HTTP";
        QTest::addRow("reset") << static_cast<int>(RawServer::Mode::Reset) << "";
    }

    void loadOnAServerThatIsNotHttp()
    {
        QFETCH(int, mode);
        QFETCH(QString, error);
        RawServer server(static_cast<RawServer::Mode>(mode));
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        const CliRun run = runCli({"load", "--url", server.url(), "--rate", "20", "--duration", "1", "--out", csv}, 30000);
        QCOMPARE(run.exitCode, 1);
        // A reset can come before the first check's connection is seen to open: refused then.
        if (run.err.contains(QStringLiteral("cannot connect to ") + server.url()))
            return;
        QVERIFY2(run.err.contains(server.url() + " got no HTTP answer"), qPrintable(run.err));
        QVERIFY2(run.out.contains(error.toUtf8()), run.out.constData());
        // Every request is in the CSV, with why it got no answer.
        const std::vector<Row> rows = readCsv(csv);
        QVERIFY(rows.size() > 5);
        for (const Row &r : rows) {
            QCOMPARE(r.status, 0);
            QVERIFY(!r.error.isEmpty());
        }
    }

    // An answer past 16 MB is refused at its header, as the cluster client refuses one past
    // 32 MB: a request's error, not its body read into memory.
    void aHugeAnswerIsRefused()
    {
        MockApi api([](const std::string &) { return std::pair<int, std::string> {200, std::string(40u << 20, ' ')}; });
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        const CliRun run = runCli({"load", "--url", api.url() + "/v1/infer", "--rate", "2", "--duration", "2", "--out", csv}, 30000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains("x the answer is larger than 16 MB"), run.out.constData());
        const std::vector<Row> rows = readCsv(csv);
        QVERIFY(!rows.empty());
        for (const Row &r : rows)
            QCOMPARE(r.error, QStringLiteral("\"the answer is larger than 16 MB\""));
    }

    // A server's latency_ms that is no time (negative, past a day, past a double's range) is
    // no value, not a 300-digit number in the CSV (found by new-user trials: -1e308, then 1e308).
    void aServerLatencyThatIsNoTimeIsLeftOut_data()
    {
        QTest::addColumn<QString>("latency");
        QTest::newRow("-1e308") << "-1e308";
        QTest::newRow("1e308") << "1e308";
        QTest::newRow("past a day") << "86400001";
    }

    void aServerLatencyThatIsNoTimeIsLeftOut()
    {
        QFETCH(QString, latency);
        const std::string body = "{\"latency_ms\": " + latency.toStdString() + "}";
        MockApi api([&](const std::string &) { return std::pair<int, std::string> {200, body}; });
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        const CliRun run = runCli({"load", "--url", api.url() + "/v1/infer", "--rate", "2", "--duration", "2", "--out", csv}, 30000);
        QCOMPARE(run.exitCode, 0);
        const std::vector<Row> rows = readCsv(csv);
        QVERIFY(!rows.empty());
        for (const Row &r : rows) {
            QCOMPARE(r.status, 200);
            QVERIFY(std::isnan(r.serverLatencyMs));
        }
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        for (const QByteArray &line : file.readAll().split('\n'))
            QVERIFY2(line.size() < 120, line.left(200).constData());
    }

    // An https server that never finishes the handshake: the first connection's check says
    // how long it waited, not --timeout's 60 s (a new-user trial).
    void aHandshakeThatNeverEndsIsNamed()
    {
        MockApi api([](const std::string &) { return std::pair<int, std::string> {200, "{}"}; }, true);
        QString url = api.url() + "/v1/infer";
        url.replace("http://", "https://");
        const CliRun run = runCli({"load", "--url", url, "--rate", "2", "--duration", "2", "--timeout", "1",
                                   "--insecure-skip-tls-verify"}, 30000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains("cannot connect to " + url + ": no connection and TLS handshake within 1 s"),
                 qPrintable(run.err));
    }

    void whatCannotBeSentIsCounted()
    {
        // No pods: nothing is answered, so past three outstanding requests the rest of a
        // scenario's arrivals are not sent, and each says so; the three time out client-side.
        Server server;
        QVERIFY(server.start({"--no-load", "--replicas", "0"}));
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        const CliRun run = runCli({"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(server.port),
                                   "--scenario", "seed-spike", "--duration", "4", "--speed", "4",
                                   "--max-outstanding", "3", "--timeout", "1.5", "--out", csv}, 30000);
        QCOMPARE(run.exitCode, 1);
        const std::vector<Row> rows = readCsv(csv);
        QVERIFY2(rows.size() > 6, qPrintable(QString::number(rows.size())));
        long long notSent = 0, timedOut = 0;
        for (const Row &r : rows) {
            QCOMPARE(r.status, 0);
            notSent += r.error.contains("not sent: 3 requests outstanding (--max-outstanding)") && std::isnan(r.sentS);
            timedOut += r.error.contains("no answer within the timeout (--timeout)");
        }
        QCOMPARE(timedOut, 3LL);
        QCOMPARE(notSent, static_cast<long long>(rows.size()) - 3);
        QVERIFY2(run.out.contains(QByteArray(QByteArray::number(notSent) + " not sent: too many outstanding")), run.out.constData());
        QVERIFY2(run.err.contains(QStringLiteral("%1 requests to http://127.0.0.1:%2/v1/infer got no HTTP answer")
                                      .arg(rows.size()).arg(server.port)), qPrintable(run.err));
    }

    // A low limit on open files (ulimit -n 48): the connections keep to what it leaves room
    // for, said before sending, and the CSV is still written. It used to run out of files:
    // requests recorded "Operation canceled", and the CSV could not be opened, its records
    // lost (found by a new-user trial).
    void theOpenFileLimitIsKeptTo()
    {
        Server server;
        QVERIFY(server.start({"--no-load", "--replicas", "0"}));
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        QProcess process;
        process.setChildProcessModifier([] {
            const rlimit limit {48, 48};
            ::setrlimit(RLIMIT_NOFILE, &limit);
        });
        process.start(cliPath(), {"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(server.port),
                                  "--rate", "100", "--duration", "1", "--timeout", "1", "--out", csv});
        QVERIFY(process.waitForFinished(30000));
        const QString err = QString::fromUtf8(process.readAllStandardError());
        QCOMPARE(process.exitCode(), 1);
        const QRegularExpression note(QStringLiteral("note: at most (\\d+) requests outstanding, not 1000 "
                                                     "\\(--max-outstanding\\): the open-file limit \\(ulimit -n\\) is 48"));
        const QRegularExpressionMatch said = note.match(err);
        QVERIFY2(said.hasMatch(), qPrintable(err));
        const long long room = said.captured(1).toLongLong();
        QVERIFY2(room >= 1 && room < 48, qPrintable(err));
        const std::vector<Row> rows = readCsv(csv);
        QVERIFY2(rows.size() > 50, qPrintable(QString::number(rows.size()))); // about 100, Poisson
        long long notSent = 0, timedOut = 0;
        for (const Row &r : rows) {
            QVERIFY2(!r.error.contains("canceled") && !r.error.contains("Too many open files"), qPrintable(r.error));
            notSent += r.error.contains(QStringLiteral("not sent: %1 requests outstanding (the open-file limit, ulimit -n)").arg(room));
            timedOut += r.error.contains("no answer within the timeout (--timeout)");
        }
        QCOMPARE(timedOut + notSent, static_cast<long long>(rows.size()));
        QVERIFY2(timedOut >= room, qPrintable(QString::number(timedOut)));
    }

    void ctrlCKeepsWhatWasRecorded()
    {
        Server server;
        QVERIFY(server.start({"--no-load", "--replicas", "2", "--speed", "10"}));
        QTemporaryDir dir;
        const QString csv = dir.filePath(QStringLiteral("out.csv"));
        QProcess load;
        load.start(cliPath(), {"load", "--url", QStringLiteral("http://127.0.0.1:%1/v1/infer").arg(server.port),
                               "--rate", "5", "--duration", "600", "--speed", "10", "--out", csv});
        QVERIFY(load.waitForStarted(10000));
        QVERIFY(load.waitForReadyRead(10000)); // its first line: the run has begun
        QTest::qWait(1500);
        ::kill(static_cast<pid_t>(load.processId()), SIGINT);
        QVERIFY(load.waitForFinished(10000));
        QCOMPARE(load.exitCode(), 0);
        const QByteArray out = load.readAllStandardOutput();
        QVERIFY2(out.contains("interrupted") && out.contains("wrote"), out.constData());
        const std::vector<Row> rows = readCsv(csv);
        QVERIFY2(rows.size() > 20 && rows.size() < 400, qPrintable(QString::number(rows.size())));
        QVERIFY(countStatus(rows, 200) > 20);
    }
};

QTEST_GUILESS_MAIN(TestLoad)
#include "tst_load.moc"
