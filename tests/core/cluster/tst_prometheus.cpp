// Reading answers of Prometheus's HTTP API (instant queries), as control does with --prometheus.
#include "cluster/prometheus.h"
#include "io/inputerror.h"

#include <QTest>

#include <cmath>

using namespace headroom;

class TestPrometheus : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsVectorsAndScalars()
    {
        // As Prometheus 2.42 answers `sum by (pod) (rate(...))` and `scalar(...)`.
        const auto vector = cluster::parseQueryAnswer(
            R"({"status":"success","data":{"resultType":"vector","result":[)"
            R"({"metric":{"pod":"inference-00001"},"value":[1764950400.123,"0.75"]},)"
            R"({"metric":{"pod":"inference-00002"},"value":[1764950400.123,"1e-3"]},)"
            R"({"metric":{},"value":[1764950400.123,"NaN"]},)"
            R"({"metric":{"pod":"x"},"value":[1764950400,"+Inf"]}]},"warnings":["ignored"]})",
            200, "http://127.0.0.1:9090/api/v1/query", "cpu");
        QCOMPARE(vector.size(), std::size_t(4));
        QCOMPARE(vector[0].labels.at("pod"), std::string("inference-00001"));
        QCOMPARE(vector[0].value, 0.75);
        QCOMPARE(vector[1].value, 0.001);
        QVERIFY(std::isnan(vector[2].value));
        QVERIFY(std::isinf(vector[3].value) && vector[3].value > 0);

        const auto scalar = cluster::parseQueryAnswer(
            R"({"status":"success","data":{"resultType":"scalar","result":[1764950400.5,"42"]}})", 200, "u", "rate");
        QCOMPARE(scalar.size(), std::size_t(1));
        QCOMPARE(scalar[0].value, 42.0);
        QVERIFY(scalar[0].labels.empty());

        const auto empty = cluster::parseQueryAnswer(
            R"({"status":"success","data":{"resultType":"vector","result":[]}})", 200, "u", "rate");
        QVERIFY(empty.empty());
    }

    void badAnswersNameTheQuery_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::addColumn<QString>("message");
        QTest::newRow("error answer") << 400
            << "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error: unexpected end\"}"
            << "HTTP 400: bad_data: 1:5: parse error";
        QTest::newRow("timeout") << 503 << R"({"status":"error","errorType":"timeout","error":"query timed out"})"
                                 << "HTTP 503: timeout: query timed out";
        QTest::newRow("not JSON") << 200 << "<html>login</html>" << "not a Prometheus API answer (JSON): <html>";
        QTest::newRow("HTTP error, not JSON") << 502 << "Bad Gateway" << "HTTP 502, not a Prometheus API answer";
        QTest::newRow("no status") << 200 << R"({"data":{}})" << "status is not \"success\"";
        QTest::newRow("no data") << 200 << R"({"status":"success"})" << "no data.resultType and data.result";
        QTest::newRow("range vector") << 200
            << R"({"status":"success","data":{"resultType":"matrix","result":[]}})" << "range vector";
        QTest::newRow("string result") << 200
            << R"({"status":"success","data":{"resultType":"string","result":[1,"a"]}})" << "of type \"string\"";
        QTest::newRow("value not a string") << 200
            << R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,5]}]}})"
            << "not [time, \"value\"]";
        QTest::newRow("value not a number") << 200
            << R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"5 req"]}]}})"
            << "\"5 req\" is not a number";
        // Found by a new-user trial (6 December): C's strtod read "0x10" as 16.
        QTest::newRow("value in hex") << 200
            << R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"0x10"]}]}})"
            << "\"0x10\" is not a number (a decimal one, NaN, +Inf or -Inf)";
        QTest::newRow("value with a space") << 200
            << R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1," 5"]}]}})"
            << "\" 5\" is not a number";
        QTest::newRow("value infinity") << 200
            << R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"infinity"]}]}})"
            << "\"infinity\" is not a number";
        QTest::newRow("value empty") << 200
            << R"({"status":"success","data":{"resultType":"scalar","result":[1,""]}})" << "is not a number";
        QTest::newRow("series without value") << 200
            << R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{}}]}})"
            << "a series without metric and value";
        QTest::newRow("label not a string") << 200
            << R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":3},"value":[1,"1"]}]}})"
            << "the label pod is not a string";
        QTest::newRow("result not an array") << 200
            << R"({"status":"success","data":{"resultType":"vector","result":{}}})" << "not a vector or a scalar";
    }

    void badAnswersNameTheQuery()
    {
        QFETCH(int, status);
        QFETCH(QString, body);
        QFETCH(QString, message);
        try {
            cluster::parseQueryAnswer(body.toStdString(), status, "http://127.0.0.1:9090/api/v1/query", "latency");
            QFAIL("read");
        } catch (const InputError &e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.contains("http://127.0.0.1:9090/api/v1/query") && what.contains("latency")
                         && what.contains(message),
                     qPrintable(what));
        }
    }

    // The decimal forms Go writes are read; "+Inf", "-Inf" and "NaN" as before.
    void decimalValuesAreRead()
    {
        const auto value = [](const std::string &text) {
            return cluster::parseQueryAnswer(R"({"status":"success","data":{"resultType":"scalar","result":[1,")"
                + text + R"("]}})", 200, "u", "rate").at(0).value;
        };
        QCOMPARE(value("12"), 12.0);
        QCOMPARE(value("-0.5"), -0.5);
        QCOMPARE(value(".5"), 0.5);
        QCOMPARE(value("5."), 5.0);
        QCOMPARE(value("+3"), 3.0);
        QCOMPARE(value("1e+06"), 1e6);
        QCOMPARE(value("2.5E-3"), 0.0025);
        QVERIFY(std::isinf(value("-Inf")) && value("-Inf") < 0);
        QVERIFY(std::isnan(value("NaN")));
    }

    // An instant query's samples carry its evaluation time: one far from when it was asked
    // (a year old, days ahead) is no value of this moment (found by a new-user trial, 6
    // December). Within 5 minutes before and a minute after, it is read.
    void samplesFarFromNowAreRefused_data()
    {
        QTest::addColumn<double>("offsetS");
        QTest::addColumn<QString>("message"); // empty: read
        QTest::newRow("now") << 0.0 << "";
        QTest::newRow("4 min old") << -240.0 << "";
        QTest::newRow("30 s ahead") << 30.0 << "";
        QTest::newRow("a year old") << -365.0 * 86400 << "s before it was asked for";
        QTest::newRow("6 min old") << -360.0 << "360 s before it was asked for";
        QTest::newRow("2 days ahead") << 2.0 * 86400 << "172800 s after it was asked for";
        QTest::newRow("2 min ahead") << 120.0 << "120 s after it was asked for";
    }

    void samplesFarFromNowAreRefused()
    {
        QFETCH(double, offsetS);
        QFETCH(QString, message);
        const double askedAt = 1796515200.0; // 2026-12-06
        const std::string at = QString::number(askedAt + offsetS, 'f', 3).toStdString();
        for (const std::string &body : {
                 R"({"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[)" + at + R"(,"7"]}]}})",
                 R"({"status":"success","data":{"resultType":"scalar","result":[)" + at + R"(,"7"]}})"}) {
            try {
                const auto result = cluster::parseQueryAnswer(body, 200, "http://127.0.0.1:9090/api/v1/query", "rate", askedAt);
                QVERIFY2(message.isEmpty(), qPrintable(message));
                QCOMPARE(result.at(0).value, 7.0);
            } catch (const InputError &e) {
                const QString what = QString::fromStdString(e.what());
                QVERIFY2(!message.isEmpty() && what.contains(message) && what.contains("'rate'")
                             && what.contains("http://127.0.0.1:9090/api/v1/query"),
                         qPrintable(what));
            }
        }
    }

    void defaultQueriesAreFilledIn()
    {
        cluster::PrometheusQueries q = cluster::PrometheusQueries::forServe();
        for (const std::string &key : cluster::PrometheusQueries::keys()) {
            std::string *query = q.find(key);
            QVERIFY2(query && !query->empty(), key.c_str());
            *query = cluster::expandQuery(*query, {{"namespace", "prod"}, {"deployment", "llm"}, {"window", "15s"}});
            QVERIFY2(query->find("$namespace") == std::string::npos && query->find("$window") == std::string::npos,
                     query->c_str());
        }
        QVERIFY(!q.find("latency-p95"));
        QCOMPARE(q.rate, std::string(R"(sum(rate(headroom_requests_total{namespace="prod",deployment="llm"}[15s])))"));
        QVERIFY(q.latency.find("histogram_quantile($quantile,") == 0); // filled in per quantile
        QCOMPARE(cluster::expandQuery("$windows $window $w", {{"window", "1m"}, {"windows", "X"}, {"w", "Y"}}),
                 std::string("X 1m Y"));
    }
};

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
