// Reading a Prometheus text exposition, as the remote cluster scrapes a router's metrics.
#include "cluster/exposition.h"
#include "io/inputerror.h"

#include <QTest>

#include <cmath>

using namespace headroom;

class TestExposition : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readsSamplesAndLabels()
    {
        const auto e = cluster::Exposition::parse(
            "# HELP requests_total Requests.\n"
            "# TYPE requests_total counter\n"
            "requests_total{deployment=\"inference\",namespace=\"default\"} 1027\n"
            "requests_total{deployment=\"other\",namespace=\"default\"} 5 1764950400000\n"
            "\n"
            "latency_bucket{le=\"0.5\"} 3.5e2\r\n"
            "latency_bucket{le=\"+Inf\"} 400\n"
            "odd{path=\"a \\\"quoted\\\" \\\\ value\\n\"} +Inf\n"
            "up 1\n",
            "metrics");
        QCOMPARE(e.samples().size(), std::size_t(6));
        QCOMPARE(*e.value("requests_total", {{"deployment", "inference"}}), 1027.0);
        QCOMPARE(*e.value("requests_total", {{"deployment", "other"}}), 5.0); // timestamp ignored
        QCOMPARE(*e.sum("requests_total", {{"namespace", "default"}}), 1032.0);
        QCOMPARE(*e.value("latency_bucket", {{"le", "0.5"}}), 350.0);
        QCOMPARE(e.all("latency_bucket").size(), std::size_t(2));
        QVERIFY(std::isinf(*e.value("odd")));
        QCOMPARE(e.samples()[4].labels.at("path"), std::string("a \"quoted\" \\ value\n"));
        QCOMPARE(*e.value("up"), 1.0);
        QVERIFY(!e.value("requests_total", {{"deployment", "missing"}}));
        QVERIFY(!e.sum("absent"));
    }

    void badLinesNameTheLine_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("message");
        QTest::newRow("no value") << "ok 1\nrequests_total\n" << "row 2: the value '' is not a number";
        QTest::newRow("bad value") << "requests_total twelve\n" << "the value 'twelve' is not a number";
        QTest::newRow("unclosed label") << "# c\nx{a=\"b} 1\n" << "no closing quote";
        QTest::newRow("label without quotes") << "x{a=b} 1\n" << "is not name=\"value\"";
        QTest::newRow("no name") << "{a=\"b\"} 1\n" << "no metric name";
        // Found by a second trial (6 December): strtod read "0x10" as 16, and of a series
        // given twice the first was used, silently (Prometheus refuses such a scrape).
        QTest::newRow("hex value") << "x 0x10\n" << "the value '0x10' is not a number";
        QTest::newRow("lowercase inf") << "x inf\n" << "the value 'inf' is not a number";
        QTest::newRow("series twice") << "# TYPE r counter\nr{b=\"2\",a=\"1\"} 10\nr{a=\"1\",b=\"2\"} 99\n"
                                      << "row 3: the series r{a=\"1\",b=\"2\"} is given twice (row 2 too)";
        QTest::newRow("unlabelled series twice") << "up 1\nup 1\n" << "row 2: the series up is given twice (row 1 too)";
    }

    void badLinesNameTheLine()
    {
        QFETCH(QString, text);
        QFETCH(QString, message);
        try {
            cluster::Exposition::parse(text.toStdString(), "http://127.0.0.1:1/metrics");
            QFAIL("parsed");
        } catch (const InputError &e) {
            const QString what = QString::fromStdString(e.what());
            QVERIFY2(what.contains(message) && what.contains("http://127.0.0.1:1/metrics"), qPrintable(what));
        }
    }
};

QTEST_GUILESS_MAIN(TestExposition)
#include "tst_exposition.moc"
