#include "decimation.h"

#include <QTest>
#include <cmath>
#include <vector>

using namespace headroom::ui;

namespace {

struct Sample
{
    double tS = 0.0;
    double value = 0.0;
};

// A day of 1-s samples: a slow wave under fast noise, as a long trace gives.
std::vector<Sample> dayOfSamples()
{
    std::vector<Sample> samples;
    for (int t = 0; t < 86400; ++t)
        samples.push_back({double(t), 50.0 + 40.0 * std::sin(t / 8000.0) + (t % 2 ? 10.0 : -10.0)});
    return samples;
}

} // namespace

class TestDecimation : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void minMaxKeepsTwoPointsPerPixel();
    void meanKeepsOnePointPerPixel();
    void meanKeepsGaps();
    void envelopeKeepsMeanAndRange();
    void denseFromEightRecordsAPixel();
};

void TestDecimation::minMaxKeepsTwoPointsPerPixel()
{
    const auto samples = dayOfSamples();
    const QList<QPointF> points
        = windowPoints(samples, 0.0, 86400.0, 800, [](const Sample &s) { return s.value; });
    QVERIFY(points.size() <= 2 * 800 + 2);
    double max = 0.0;
    for (const QPointF &p : points)
        max = std::max(max, p.y());
    QVERIFY(max > 99.0); // the peaks survive
}

void TestDecimation::meanKeepsOnePointPerPixel()
{
    const auto samples = dayOfSamples();
    const QList<QPointF> points = windowPoints(
        samples, 0.0, 86400.0, 800, [](const Sample &s) { return s.value; }, Reduction::Mean);
    QVERIFY(points.size() <= 800 + 1);
    QVERIFY(points.size() >= 790);
    // The noise averages out: each point is within a little of the wave.
    for (const QPointF &p : points)
        QVERIFY(std::abs(p.y() - (50.0 + 40.0 * std::sin(p.x() / 8000.0))) < 2.0);
}

void TestDecimation::meanKeepsGaps()
{
    MeanDecimator decimator(0.0, 30.0, 3);
    for (int t = 0; t < 30; ++t)
        decimator.add(t, t >= 10 && t < 20 ? std::nan("") : 1.0);
    const QList<QPointF> points = decimator.finish();
    QCOMPARE(points.size(), 3);
    QCOMPARE(points[0].y(), 1.0);
    QVERIFY(std::isnan(points[1].y()));
    QCOMPARE(points[2].x(), 25.0);
}

void TestDecimation::envelopeKeepsMeanAndRange()
{
    EnvelopeDecimator decimator(0.0, 30.0, 3);
    for (int t = 0; t < 30; ++t)
        decimator.add(t, t >= 10 && t < 20 ? std::nan("") : double(t % 10));
    const EnvelopeDecimator::Result r = decimator.finish();
    QCOMPARE(r.mean.size(), 3);
    QCOMPARE(r.lower.size(), 3);
    QCOMPARE(r.upper.size(), 3);
    QCOMPARE(r.mean[0], QPointF(5.0, 4.5));
    QCOMPARE(r.lower[0], QPointF(5.0, 0.0));
    QCOMPARE(r.upper[0], QPointF(5.0, 9.0));
    // A slice of NaN only is a gap in all three.
    QVERIFY(std::isnan(r.mean[1].y()) && std::isnan(r.lower[1].y()) && std::isnan(r.upper[1].y()));
    QCOMPARE(r.upper[2], QPointF(25.0, 9.0));
}

void TestDecimation::denseFromEightRecordsAPixel()
{
    std::vector<Sample> samples;
    for (int t = 0; t < 800; ++t)
        samples.push_back({double(t), 1.0});
    // 800 records (and none past the window) on 100 pixels: 8 a pixel, not yet dense.
    QVERIFY(!isDenseWindow(samples, 0.0, 800.0, 100));
    QVERIFY(isDenseWindow(samples, 0.0, 800.0, 99));
    QVERIFY(!isDenseWindow(samples, 0.0, 100.0, 99));
}

QTEST_APPLESS_MAIN(TestDecimation)
#include "tst_decimation.moc"
