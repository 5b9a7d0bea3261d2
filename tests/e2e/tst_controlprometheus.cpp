// headroom-cli control reading its metrics from a Prometheus server's HTTP API
// (--prometheus): a real Prometheus scraping headroom-cli serve, a stand-in that answers
// known values, stand-ins that misbehave, and the command lines it refuses.
#include "servetest.h"
#include "cluster/remotecluster.h"
#include "cluster/remotelane.h"
#include "control/controllerfactory.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QScopeGuard>

#include <mutex>
#include <set>

using namespace headroom;
using namespace headroom::test;

namespace {

std::string percentDecode(const std::string &text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

// The PromQL of a GET /api/v1/query?query=...; empty for another path.
std::string queryOf(const std::string &target)
{
    const std::string prefix = target.rfind("/prom/", 0) == 0 ? "/prom/api/v1/query?query=" : "/api/v1/query?query=";
    return target.rfind(prefix, 0) == 0 ? percentDecode(target.substr(prefix.size())) : std::string();
}

std::string vectorAnswer(const std::string &series)
{
    return R"({"status":"success","data":{"resultType":"vector","result":[)" + series + "]}}";
}

// A sample's time as Prometheus gives an instant query's: when it was asked (a fixed time,
// a year old by now, was refused once control checked that samples are this moment's).
std::string now()
{
    return QString::number(QDateTime::currentMSecsSinceEpoch() / 1000.0, 'f', 3).toStdString();
}

// One series `{"metric":{...},"value":[now,"value"]}`.
std::string series(const std::string &metric, const std::string &value)
{
    return R"({"metric":)" + metric + R"(,"value":[)" + now() + R"(,")" + value + R"("]})";
}

std::string oneValue(double v)
{
    return vectorAnswer(series("{}", QByteArray::number(v, 'g', 10).toStdString()));
}

// A Prometheus answer for each of the default queries, as one serving at `rate` req/s.
std::pair<int, std::string> prometheusAnswer(const std::string &query, double rate)
{
    if (query.find("histogram_quantile(0.95,") == 0)
        return {200, oneValue(0.420)};
    if (query.find("histogram_quantile(") == 0)
        return {200, oneValue(query.find("(0.5,") != std::string::npos ? 0.180 : 0.610)};
    if (query.find("headroom_request_service_seconds_sum") != std::string::npos)
        return {200, oneValue(0.160)};
    if (query.find("headroom_requests_total") != std::string::npos)
        return {200, oneValue(rate)};
    if (query.find("headroom_requests_completed_total") != std::string::npos
        || query.find("served_total") != std::string::npos)
        return {200, oneValue(rate * 0.9)};
    if (query.find("headroom_requests_dropped_total") != std::string::npos
        || query.find("headroom_slo_violations_total") != std::string::npos)
        return {200, vectorAnswer("")}; // nothing counted yet: no series
    if (query.find("headroom_in_flight") != std::string::npos)
        return {200, oneValue(rate * 0.16)};
    if (query.find("headroom_queue_length") != std::string::npos)
        return {200, oneValue(0)};
    if (query.find("headroom_slo_latency_seconds") != std::string::npos)
        return {200, vectorAnswer("")}; // a router that publishes no SLO
    if (query.find("container_cpu_usage_seconds_total") != std::string::npos)
        return {200, vectorAnswer(series(R"({"pod":"inference-00001"})", "0.9"))};
    return {400, R"({"status":"error","errorType":"bad_data","error":"unknown query"})"};
}

// A free loopback port (for a server that takes its port on the command line).
int freePort()
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::acceptor probe(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
    return probe.local_endpoint().port();
}

} // namespace

class TestControlPrometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A stand-in Prometheus that answers known values: control's seconds carry them, and the
    // queries it sent are the defaults filled in for the namespace, deployment and window.
    void theQueriesValuesBecomeTheSeconds()
    {
        std::mutex lock;
        std::set<std::string> asked;
        MockApi api([](const std::string &target) { return healthyAnswer(target); });
        MockApi prometheus([&](const std::string &target) {
            const std::string q = queryOf(target);
            {
                std::lock_guard<std::mutex> hold(lock);
                asked.insert(q);
            }
            return prometheusAnswer(q, 40.0);
        });
        QTemporaryDir out;
        // Several --query overrides, each for its own key, behind a path prefix.
        const CliRun run = runCli({"control", "--server", api.url(), "--prometheus", prometheus.url() + "/prom",
                                   "--prometheus-window", "15s", "--controller", "kpa", "--duration", "4",
                                   "--query", "completed=sum(rate(served_total{app=\"$deployment\"}[$window]))",
                                   "--query", "violations=", "--out", out.path()}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        // The empty answers (no drops or violations yet) were read as 0 and said once.
        QVERIFY2(run.err.contains("the dropped query matched no series"), qPrintable(run.err));
        QCOMPARE(run.err.count("the dropped query matched no series"), 1);
        {
            std::lock_guard<std::mutex> hold(lock);
            QVERIFY(asked.count(R"(sum(rate(headroom_requests_total{namespace="default",deployment="inference"}[15s])))"));
            QVERIFY(asked.count(R"(histogram_quantile(0.99, sum by (le) (rate(headroom_request_duration_seconds_bucket{namespace="default",deployment="inference"}[15s]))))"));
            QVERIFY(asked.count(R"(sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="default"}[15s])))"));
            QVERIFY(asked.count(R"(sum(rate(served_total{app="inference"}[15s])))"));
            for (const std::string &q : asked)
                QVERIFY2(q.find("headroom_slo_violations_total") == std::string::npos, q.c_str()); // emptied
            QVERIFY(!asked.count("")); // every request went to /prom/api/v1/query
        }
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList header = QString::fromUtf8(csv.readLine()).trimmed().split(',');
        const auto column = [&](const char *name) {
            const int i = header.indexOf(QString::fromLatin1(name));
            return i;
        };
        int rows = 0;
        int cpuRows = 0;
        while (!csv.atEnd()) {
            const QStringList cells = QString::fromUtf8(csv.readLine()).trimmed().split(',');
            ++rows;
            QCOMPARE(cells.value(column("arrivals_per_s")).toDouble(), 40.0);
            QCOMPARE(cells.value(column("completed_per_s")).toDouble(), 36.0);
            QCOMPARE(cells.value(column("dropped_per_s")).toDouble(), 0.0);
            QCOMPARE(cells.value(column("latency_p50_ms")).toDouble(), 180.0);
            QCOMPARE(cells.value(column("latency_p95_ms")).toDouble(), 420.0);
            QCOMPARE(cells.value(column("latency_p99_ms")).toDouble(), 610.0);
            QVERIFY(std::abs(cells.value(column("concurrency")).toDouble() - 6.4) < 1e-9);
            // 0.9 cores of the pod's 1-core request, integrated and differenced again.
            const double cpu = cells.value(column("cpu_utilization")).toDouble();
            if (cpu > 0.0) {
                ++cpuRows;
                QVERIFY2(std::abs(cpu - 0.9) < 0.02, qPrintable(cells.join(',')));
            }
        }
        QVERIFY2(rows >= 3 && rows <= 6, qPrintable(QString::number(rows)));
        QVERIFY2(cpuRows >= 2, qPrintable(QString::number(cpuRows)));
        // 6.4 requests in flight on 2 pods of one slot: the KPA scales up.
        QVERIFY2(QString::fromUtf8(run.out).contains(QRegularExpression("KPA 2 -> \\d+")), run.out.constData());
    }

    // The run's latency quantiles (the summary's, the dashboard table's) were "—" with
    // Prometheus: its queries give a window's. The latency query is asked again over the run
    // so far, every 10 s, and its answer is the summary's. So is the router's SLO (the SLO
    // line sat at the preset's 500 ms while the violations counted 300 ms ones).
    void theRunsQuantilesAreAskedOverTheRun()
    {
        std::mutex lock;
        std::vector<std::string> runWindows;
        MockApi api([](const std::string &target) { return healthyAnswer(target); });
        MockApi prometheus([&](const std::string &target) -> std::pair<int, std::string> {
            const std::string q = queryOf(target);
            const std::size_t window = q.find("[15s]");
            if (q.rfind("histogram_quantile(", 0) == 0 && window == std::string::npos) {
                // The run's: over a window of the run's length.
                const std::size_t open = q.find('['), close = q.find(']');
                {
                    std::lock_guard<std::mutex> hold(lock);
                    runWindows.push_back(q.substr(open + 1, close - open - 1));
                }
                return {200, oneValue(q.find("(0.5,") != std::string::npos ? 0.2
                            : q.find("(0.95,") != std::string::npos   ? 0.7
                                                                       : 0.9)};
            }
            // The router's SLO, as serve publishes it: 300 ms, not the preset's 500.
            if (q == R"(max(headroom_slo_latency_seconds{namespace="default",deployment="inference"}))")
                return {200, oneValue(0.3)};
            return prometheusAnswer(q, 40.0);
        });
        cluster::RemoteTarget target;
        target.server = api.url().toStdString();
        target.prometheus = prometheus.url().toStdString();
        target.prometheusWindow = "15s";
        auto lane = cluster::startRemoteLane(cluster::openRemoteCluster(target, sim::ClusterConfig()), "watch",
                                             control::ControllerEnvironment());
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 12500) {
            lane->step();
            QTest::qWait(250);
        }
        const metrics::LaneSummary summary = lane->summary();
        QCOMPARE(lane->cluster().publishedSloS(), std::optional<double>(0.3));
        QCOMPARE(lane->cluster().config().sloLatencyS, 0.3);
        QCOMPARE(summary.latencyP50Ms, 200.0);
        QCOMPARE(summary.latencyP95Ms, 700.0);
        QCOMPARE(summary.latencyP99Ms, 900.0);
        // Asked at the first reading, then 10 s later over the 10 s since (three quantiles each).
        std::lock_guard<std::mutex> hold(lock);
        QVERIFY2(runWindows.size() == 6, qPrintable(QString::number(runWindows.size())));
        QCOMPARE(runWindows.front(), std::string("1s"));
        QVERIFY2(runWindows.back() == "10s" || runWindows.back() == "11s", runWindows.back().c_str());
    }

    // A CPU query by container gives one series per container: a pod's add up, as the HPA
    // adds a pod's containers (0.5 + 0.4 cores of a 1-core request: 90 %).
    void aPodsContainersAddUp()
    {
        MockApi api([](const std::string &target) { return healthyAnswer(target); });
        MockApi prometheus([](const std::string &target) -> std::pair<int, std::string> {
            const std::string q = queryOf(target);
            if (q.find("container_cpu_usage_seconds_total") != std::string::npos)
                return {200, vectorAnswer(series(R"({"pod":"inference-00001","container":"model"})", "0.5") + ","
                                          + series(R"({"pod":"inference-00001","container":"proxy"})", "0.4"))};
            return prometheusAnswer(q, 40.0);
        });
        QTemporaryDir out;
        const CliRun run = runCli({"control", "--server", api.url(), "--prometheus", prometheus.url(),
                                   "--controller", "hpa", "--duration", "4", "--out", out.path()}, 60000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList header = QString::fromUtf8(csv.readLine()).trimmed().split(',');
        const int column = header.indexOf("cpu_utilization");
        QVERIFY(column >= 0);
        int cpuRows = 0;
        while (!csv.atEnd()) {
            const QStringList cells = QString::fromUtf8(csv.readLine()).trimmed().split(',');
            const double cpu = cells.value(column).toDouble();
            if (cpu > 0.0) {
                ++cpuRows;
                QVERIFY2(std::abs(cpu - 0.9) < 0.02, qPrintable(cells.join(',')));
            }
        }
        QVERIFY2(cpuRows >= 2, qPrintable(QString::number(cpuRows)));
    }

    // Answers a Prometheus server (or what stands at its address) can give that are no
    // reading: each ends the run with exit 1, naming the query and why.
    void misbehavingPrometheusIsNamed_data()
    {
        QTest::addColumn<QString>("mode");
        QTest::addColumn<QString>("message");
        QTest::newRow("bad query") << "bad-data" << "field 'rate': HTTP 400: bad_data: parse error";
        QTest::newRow("two series") << "two-series" << "field 'rate': the query gives 2 series, not one";
        QTest::newRow("NaN rate") << "nan-rate" << "field 'rate': the query's value nan is not a count";
        QTest::newRow("negative queue") << "negative-queue" << "field 'queue': the query's value -2 is not a count";
        QTest::newRow("cpu without pod") << "cpu-no-pod" << "field 'cpu': a series without a pod label";
        QTest::newRow("login page") << "html" << "not a Prometheus API answer (JSON): <html>";
        QTest::newRow("range vector") << "matrix" << "range vector";
        QTest::newRow("never answers") << "hang" << "cannot read the cluster";
        // Found by a new-user trial (5 December): nothing matched read as a load of 0, which
        // scaled the Deployment down; a rate past any cluster overflowed the pod count.
        QTest::newRow("rate matches nothing") << "rate-empty" << "the rate query matched no series at";
        QTest::newRow("rate past any cluster") << "rate-huge" << "field 'rate': the query's value 1e+12 is not a count";
        // A new-user trial's: values printed by std::to_string ("1000000000000000.000000",
        // "-3.000000"), and a sample's time of 1e300 as 301 digits. Numbers are compact.
        QTest::newRow("rate 1e15") << "rate-1e15" << "field 'rate': the query's value 1e+15 is not a count (a finite";
        QTest::newRow("negative latency") << "latency-negative" << "field 'latency': the query's value -3 s is below 0";
        QTest::newRow("negative cpu") << "cpu-negative" << "field 'cpu': pod inference-00001: -0.5 cores is not a finite number";
        QTest::newRow("time far ahead") << "time-1e300" << "a sample's time 1e+300 is 1e+300 s after it was asked for";
        // A 128 MB answer took 2.75 GB to read: one past 32 MB is refused before its body is read.
        QTest::newRow("answer past 32 MB") << "huge-body" << "the answer is larger than 32 MB";
        // Found by a second trial (6 December): "0x10" read as 16 (C's strtod), and samples a
        // year old or days ahead read as this moment's.
        QTest::newRow("hex value") << "hex" << "field 'rate': a sample's value \"0x10\" is not a number";
        QTest::newRow("a year old") << "year-old" << "s before it was asked for";
        QTest::newRow("days ahead") << "days-ahead" << "s after it was asked for";
    }

    void misbehavingPrometheusIsNamed()
    {
        QFETCH(QString, mode);
        QFETCH(QString, message);
        const std::string m = mode.toStdString();
        MockApi api([](const std::string &target) { return healthyAnswer(target); });
        MockApi prometheus([&](const std::string &target) -> std::pair<int, std::string> {
            const std::string q = queryOf(target);
            const bool rate = q.find("headroom_requests_total") != std::string::npos;
            if (m == "bad-data" && rate)
                return {400, R"({"status":"error","errorType":"bad_data","error":"parse error: unexpected end of input"})"};
            if (m == "two-series" && rate)
                return {200, vectorAnswer(series(R"({"pod":"a"})", "1") + "," + series(R"({"pod":"b"})", "2"))};
            if (m == "nan-rate" && rate)
                return {200, vectorAnswer(series("{}", "NaN"))};
            if (m == "negative-queue" && q.find("headroom_queue_length") != std::string::npos)
                return {200, oneValue(-2)};
            if (m == "cpu-no-pod" && q.find("container_cpu") != std::string::npos)
                return {200, oneValue(1)};
            if (m == "huge-body" && rate)
                return {200, std::string(40u << 20, ' ')};
            if (m == "rate-empty" && rate)
                return {200, vectorAnswer("")};
            if (m == "rate-huge" && rate)
                return {200, oneValue(1e12)};
            if (m == "rate-1e15" && rate)
                return {200, oneValue(1e15)};
            if (m == "latency-negative" && q.find("histogram_quantile") != std::string::npos)
                return {200, oneValue(-3)};
            if (m == "cpu-negative" && q.find("container_cpu") != std::string::npos)
                return {200, vectorAnswer(series(R"({"pod":"inference-00001"})", "-0.5"))};
            if (m == "time-1e300" && rate)
                return {200, vectorAnswer(R"({"metric":{},"value":[1e300,"10"]})")};
            if (m == "hex" && rate)
                return {200, vectorAnswer(series("{}", "0x10"))};
            const double nowS = QDateTime::currentMSecsSinceEpoch() / 1000.0;
            if (m == "year-old" && rate)
                return {200, vectorAnswer(R"({"metric":{},"value":[)" + std::to_string(nowS - 365 * 86400.0) + R"(,"10"]})")};
            if (m == "days-ahead" && rate)
                return {200, vectorAnswer(R"({"metric":{},"value":[)" + std::to_string(nowS + 3 * 86400.0) + R"(,"10"]})")};
            if (m == "html")
                return {200, "<html>sign in</html>"};
            if (m == "matrix")
                return {200, R"({"status":"success","data":{"resultType":"matrix","result":[]}})"};
            return prometheusAnswer(q, 10.0);
        }, m == "hang");
        QElapsedTimer clock;
        clock.start();
        const CliRun run = runCli({"control", "--server", api.url(), "--prometheus", prometheus.url(),
                                   "--controller", "kpa", "--duration", "30"}, 60000);
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY2(run.err.contains(prometheus.url() + "/api/v1/query") || m == "hang", qPrintable(run.err));
        QVERIFY2(clock.elapsed() < 25000, qPrintable(QString::number(clock.elapsed())));
    }

    void badPrometheusOptionsAreRefused_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        const QString p = "http://127.0.0.1:1";
        QTest::newRow("query without prometheus") << QStringList {"--query", "rate=up"}
                                                  << "'--query': asks a Prometheus server: give --prometheus URL";
        QTest::newRow("window without prometheus") << QStringList {"--prometheus-window", "1m"}
                                                   << "'--prometheus-window': asks a Prometheus server";
        QTest::newRow("both sources") << QStringList {"--prometheus", p, "--metrics", p}
                                      << "from --metrics or from --prometheus, not both";
        QTest::newRow("unknown key") << QStringList {"--prometheus", p, "--query", "latency-p95=up"}
                                     << "'latency-p95=up' is not KEY=PROMQL with KEY one of rate, completed";
        QTest::newRow("no key") << QStringList {"--prometheus", p, "--query", "up"} << "is not KEY=PROMQL";
        QTest::newRow("empty rate") << QStringList {"--prometheus", p, "--query", "rate="} << "rate is needed";
        QTest::newRow("bad window") << QStringList {"--prometheus", p, "--prometheus-window", "30"}
                                    << "'30' is not a Prometheus duration";
        QTest::newRow("zero window") << QStringList {"--prometheus", p, "--prometheus-window", "0s"}
                                     << "'0s' is not a Prometheus duration";
        QTest::newRow("not a url") << QStringList {"--prometheus", "127.0.0.1:9090"}
                                   << "'--prometheus': '127.0.0.1:9090' is not an http:// or https:// URL";
        QTest::newRow("token file") << QStringList {"--prometheus", p, "--prometheus-token-file", "/nonexistent/t"}
                                    << "/nonexistent/t";
        QTest::newRow("a key twice") << QStringList {"--prometheus", p, "--query", "queue=a", "--query", "queue=b"}
                                     << "'--query': the queue query is given twice";
        QTest::newRow("hpa without cpu") << QStringList {"--prometheus", p, "--controller", "hpa", "--query", "cpu="}
                                         << "cpu= leaves hpa without the pods' CPU";
        QTest::newRow("kpa without concurrency") << QStringList {"--prometheus", p, "--controller", "kpa", "--query", "concurrency="}
                                                 << "concurrency= leaves kpa without the concurrency";
        QTest::newRow("credentials in the url") << QStringList {"--prometheus", "http://admin:secret@127.0.0.1:9090"}
                                                << "a URL with credentials (user@host) is not taken";
    }

    void badPrometheusOptionsAreRefused()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const CliRun run = runCli(QStringList {"control", "--server", "http://127.0.0.1:1"} + args, 30000);
        QCOMPARE(run.exitCode, 2);
        QVERIFY2(run.err.contains(message), qPrintable(run.err));
        QVERIFY2(!run.err.contains("secret"), qPrintable(run.err)); // a password is not printed
    }

    // The whole path on one machine: Prometheus (Debian's package) scrapes headroom-cli serve
    // every second, and control reads the load from Prometheus's HTTP API while it scales the
    // served Deployment through the API.
    void aRealPrometheusBetweenServeAndControl()
    {
        const QString binary = QStandardPaths::findExecutable("prometheus");
        if (binary.isEmpty())
            QFAIL("no prometheus on PATH: ./dev.sh test installs Debian's prometheus package");
        Server server;
        QVERIFY(server.start({"--scenario", "seed-spike"})); // in real time: 5 req/s, 30 from 20 s to 50 s
        QTemporaryDir dir;
        QFile config(dir.filePath("prometheus.yml"));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(QStringLiteral("global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\n"
                                    "scrape_configs:\n- job_name: headroom\n  static_configs:\n"
                                    "  - targets: ['127.0.0.1:%1']\n").arg(server.port).toUtf8());
        config.close();
        const int port = freePort();
        QProcess prometheus;
        prometheus.setProcessChannelMode(QProcess::MergedChannels);
        prometheus.start(binary, {"--config.file=" + config.fileName(), "--storage.tsdb.path=" + dir.filePath("data"),
                                  QStringLiteral("--web.listen-address=127.0.0.1:%1").arg(port)});
        QVERIFY(prometheus.waitForStarted(10000));
        const auto stopPrometheus = qScopeGuard([&] {
            prometheus.terminate();
            if (!prometheus.waitForFinished(5000))
                prometheus.kill();
        });
        // Ready, and holding a first scrape of serve's counters.
        QElapsedTimer wait;
        wait.start();
        bool scraped = false;
        while (!scraped && wait.elapsed() < 20000) {
            QTest::qWait(500);
            try {
                const Reply r = request(port, http::verb::get,
                    "/api/v1/query?query=headroom_requests_total");
                scraped = r.status == 200 && r.body.find("\"inference\"") != std::string::npos;
            } catch (const std::exception &) {
            }
        }
        QVERIFY2(scraped, prometheus.readAll().constData());

        QTemporaryDir out;
        const CliRun run = runCli({"control", "--server", QStringLiteral("http://127.0.0.1:%1").arg(server.port),
                                   "--prometheus", QStringLiteral("http://127.0.0.1:%1").arg(port),
                                   "--prometheus-window", "5s", "--controller", "kpa", "--duration", "45",
                                   "--out", out.path()}, 90000);
        QVERIFY2(run.exitCode == 0, qPrintable(run.err + prometheus.readAll()));
        QFile csv(out.filePath("timeseries.csv"));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        const QStringList header = QString::fromUtf8(csv.readLine()).trimmed().split(',');
        const int arrivals = header.indexOf("arrivals_per_s");
        const int p95 = header.indexOf("latency_p95_ms");
        const int desired = header.indexOf("pods_desired");
        std::vector<double> rate;
        int latencies = 0;
        int peakPods = 0;
        while (!csv.atEnd()) {
            const QStringList cells = QString::fromUtf8(csv.readLine()).trimmed().split(',');
            rate.push_back(cells.value(arrivals).toDouble());
            latencies += cells.value(p95).toDouble() > 0.0;
            peakPods = std::max(peakPods, cells.value(desired).toInt());
        }
        QVERIFY2(rate.size() >= 40, qPrintable(QString::number(rate.size())));
        // Before the spike, about 5 req/s; within it (a 5 s rate window behind), about 30.
        std::vector<double> sorted = rate;
        std::sort(sorted.begin(), sorted.end());
        const double low = sorted[sorted.size() / 10];
        const double high = sorted[sorted.size() * 9 / 10];
        QVERIFY2(low > 2.5 && low < 8.0, qPrintable(QString::number(low)));
        QVERIFY2(high > 22.0 && high < 40.0, qPrintable(QString::number(high)));
        QVERIFY2(latencies > static_cast<int>(rate.size()) / 2, qPrintable(QString::number(latencies)));
        // The KPA saw the spike's concurrency through Prometheus and scaled the served Deployment.
        QVERIFY2(peakPods >= 5, qPrintable(QString::number(peakPods) + "\n" + run.out));
        const Reply deployment = request(server.port, http::verb::get, "/apis/apps/v1/namespaces/default/deployments/inference");
        QCOMPARE(deployment.status, 200);
        QVERIFY(nlohmann::json::parse(deployment.body)["spec"]["replicas"].get<int>() >= 1);
    }
};

QTEST_GUILESS_MAIN(TestControlPrometheus)
#include "tst_controlprometheus.moc"
