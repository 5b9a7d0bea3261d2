#include "metrics/latencyhistogram.h"

#include <QTest>

#include <cmath>

using headroom::metrics::LatencyHistogram;

class TestLatencyHistogram : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyIsNan()
    {
        LatencyHistogram h;
        QVERIFY(std::isnan(h.quantile(0.5)));
        QCOMPARE(h.count(), 0u);
    }

    void quantilesWithinOnePercent()
    {
        LatencyHistogram h;
        for (int i = 1; i <= 1000; ++i)
            h.add(i / 1000.0); // 1 ms .. 1 s, uniform
        QCOMPARE(h.count(), 1000u);
        QVERIFY(std::abs(h.quantile(0.50) - 0.500) < 0.005);
        QVERIFY(std::abs(h.quantile(0.95) - 0.950) < 0.0095);
        QVERIFY(std::abs(h.quantile(0.99) - 0.990) < 0.0099);
        QCOMPARE(h.max(), 1.0);
    }

    void mergeAddsCounts()
    {
        LatencyHistogram a, b;
        a.add(0.1);
        b.add(0.3);
        b.add(0.3);
        a.merge(b);
        QCOMPARE(a.count(), 3u);
        QVERIFY(std::abs(a.quantile(0.5) - 0.3) < 0.003);
        QCOMPARE(a.max(), 0.3);
    }

    void neverAboveMax()
    {
        LatencyHistogram h;
        h.add(0.123);
        QVERIFY(h.quantile(1.0) <= 0.123);
        QVERIFY(h.quantile(1.0) > 0.121);
    }
};

QTEST_GUILESS_MAIN(TestLatencyHistogram)
#include "tst_latencyhistogram.moc"
