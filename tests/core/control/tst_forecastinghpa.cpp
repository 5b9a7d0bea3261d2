#include "control/forecastinghpa.h"

#include <QTest>

#include <cmath>

using headroom::control::HoltWintersHpaController;
using headroom::control::LinearHpaController;

class TestForecastingHpa : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void linearFit_data()
    {
        QTest::addColumn<QList<double>>("times");
        QTest::addColumn<QList<int>>("replicas");
        QTest::addColumn<double>("at");
        QTest::addColumn<double>("expected");
        QTest::addRow("one point forecasts itself") << QList<double> {0} << QList<int> {3} << 10.0 << 3.0;
        // slope 2 pods per 15 s: at 40 s, 2 + 40 * 2 / 15 = 7.33
        QTest::addRow("rising line extrapolated") << QList<double> {0, 15, 30} << QList<int> {2, 4, 6} << 40.0 << 2.0 + 40.0 * 2.0 / 15.0;
        QTest::addRow("flat history stays flat") << QList<double> {0, 15, 30, 45} << QList<int> {5, 5, 5, 5} << 55.0 << 5.0;
        // least squares through (0,4) (15,2) (30,3): mean 3, slope -1/30; at 40: 3 - (40-15)/30
        QTest::addRow("noisy points, least squares") << QList<double> {0, 15, 30} << QList<int> {4, 2, 3} << 40.0 << 3.0 - 25.0 / 30.0;
    }
    void linearFit()
    {
        QFETCH(QList<double>, times);
        QFETCH(QList<int>, replicas);
        QFETCH(double, at);
        QFETCH(double, expected);
        std::deque<std::pair<double, int>> points;
        for (int i = 0; i < times.size(); ++i)
            points.emplace_back(times[i], replicas[i]);
        QVERIFY(std::abs(LinearHpaController::fit(points, at) - expected) < 1e-9);
    }

    void holtWintersNeedsTwoSeasonsAndSixteenPoints()
    {
        const HoltWintersHpaController::Params p; // season 6: max(12, 10 + 2 * 3) = 16 points
        std::deque<int> values(15, 4);
        QVERIFY(HoltWintersHpaController::forecast(values, p) < 0.0);
        values.push_back(4);
        QVERIFY(std::abs(HoltWintersHpaController::forecast(values, p) - 4.0) < 1e-9);
    }

    void holtWintersFollowsAClearSeason()
    {
        // Three seasons of 1..6: level 3.5, no trend, the next slot is the season's first.
        std::deque<int> values;
        for (int season = 0; season < 3; ++season) {
            for (int v = 1; v <= 6; ++v)
                values.push_back(v);
        }
        QVERIFY(std::abs(HoltWintersHpaController::forecast(values, {}) - 1.0) < 1e-9);
        values.push_back(1);
        QVERIFY(std::abs(HoltWintersHpaController::forecast(values, {}) - 2.0) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestForecastingHpa)
#include "tst_forecastinghpa.moc"
