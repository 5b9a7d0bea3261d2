// Cases V1 (non-finite values) and T3 (holes versus zeros) of tests/data/cases/README.md,
// as the charts draw them.
#include "timechart.h"

#include <QApplication>
#include <QFile>
#include <QGraphicsView>
#include <QHelpEvent>
#include <QTest>
#include <QToolTip>
#include <cmath>
#include <limits>

using namespace headroom;

class TestChartCases : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nonFiniteValuesAreGapsAndCounted();
    void nonFiniteBoundsNeverReachTheAxis();
    void holeIsAGapAndZeroIsZero();
    void nasaZeroRunIsDrawnAtZero();
};

namespace {

QString sourcePath(const QString &relative)
{
    return qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QLatin1Char('/') + relative;
}

// One list of points per column after t_s; "nan", "inf", "-inf" read as such.
QList<QList<QPointF>> readColumns(const QString &path, QStringList *names)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return {};
    *names = QString::fromUtf8(file.readLine()).trimmed().split(QLatin1Char(','));
    names->removeFirst();
    QList<QList<QPointF>> columns(names->size());
    while (!file.atEnd()) {
        const QStringList cells
            = QString::fromUtf8(file.readLine()).trimmed().split(QLatin1Char(','));
        if (cells.size() != names->size() + 1)
            continue;
        const double t = cells[0].toDouble();
        for (qsizetype i = 1; i < cells.size(); ++i) {
            const QString c = cells[i].toLower();
            double v = c == QLatin1String("nan") ? std::numeric_limits<double>::quiet_NaN()
                : c == QLatin1String("inf")      ? std::numeric_limits<double>::infinity()
                : c == QLatin1String("-inf")     ? -std::numeric_limits<double>::infinity()
                                                 : c.toDouble();
            columns[i - 1].append(QPointF(t, v));
        }
    }
    return columns;
}

// The smallest and largest finite y, as a caller picks a range to fit.
std::pair<double, double> finiteExtent(const QList<QPointF> &points)
{
    double lo = std::numeric_limits<double>::infinity();
    double hi = -std::numeric_limits<double>::infinity();
    for (const QPointF &p : points) {
        if (std::isfinite(p.y())) {
            lo = std::min(lo, p.y());
            hi = std::max(hi, p.y());
        }
    }
    return {lo, hi};
}

bool anyPointIn(const QList<QList<QPointF>> &segments, double x0, double x1)
{
    for (const auto &s : segments)
        for (const QPointF &p : s)
            if (p.x() > x0 && p.x() < x1)
                return true;
    return false;
}

} // namespace

void TestChartCases::nonFiniteValuesAreGapsAndCounted()
{
    QStringList names;
    const QList<QList<QPointF>> columns
        = readColumns(sourcePath(QStringLiteral("tests/data/cases/latency-nonfinite.csv")), &names);
    QCOMPARE(
        names, QStringList({QStringLiteral("latency_p95_ms"), QStringLiteral("latency_p99_ms")}));
    QCOMPARE(columns[0].size(), 6);

    ui::TimeChart chart;
    chart.resize(600, 300);
    chart.setTitle(QStringLiteral("Latency"));
    chart.addLine(QStringLiteral("p95"), {Qt::red, 2.0, Qt::SolidLine});
    chart.addLine(QStringLiteral("p99"), {Qt::blue, 2.0, Qt::SolidLine});
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));

    chart.setXRange(0.0, 5.0);
    const auto [lo, hi] = finiteExtent(columns[0] + columns[1]);
    QCOMPARE(lo, 5.1);
    QCOMPARE(hi, 7.0);
    chart.setYRange(lo, hi);
    chart.setLine(QStringLiteral("p95"), columns[0]);
    chart.setLine(QStringLiteral("p99"), columns[1]);

    // The y range stays about 5 to 7.5, and finite.
    QVERIFY(std::isfinite(chart.yMin()) && std::isfinite(chart.yMax()));
    QVERIFY2(chart.yMin() >= 5.0 && chart.yMin() <= 5.2, qPrintable(QString::number(chart.yMin())));
    QVERIFY2(chart.yMax() >= 7.0 && chart.yMax() <= 7.5, qPrintable(QString::number(chart.yMax())));

    // p95: 5.1 | NaN | 7.0 | Inf | 6.2 | -Inf: three lone points, each its own dash,
    // never joined across a non-finite value and never drawn at 0 or at the frame.
    const QList<QList<QPointF>> p95 = chart.lineSegments(QStringLiteral("p95"));
    QCOMPARE(p95.size(), 3);
    const double expected[] = {5.1, 7.0, 6.2};
    const double at[] = {0.0, 2.0, 4.0};
    for (int i = 0; i < 3; ++i) {
        for (const QPointF &p : p95[i]) {
            QCOMPARE(p.y(), expected[i]);
            QVERIFY(std::abs(p.x() - at[i]) <= 0.5);
        }
    }
    QVERIFY(chart.lineSegments(QStringLiteral("p99")).isEmpty()); // NaN throughout: nothing

    // The count is there and is what hovering the legend entry shows.
    QCOMPARE(chart.nonFiniteCount(QStringLiteral("p95")), 3);
    QCOMPARE(chart.nonFiniteCount(QStringLiteral("p99")), 6);
    auto *view = chart.findChild<QGraphicsView *>();
    QVERIFY(view);
    QString p95Text;
    QPoint p95At;
    for (int x = 0; x < chart.width() && p95Text.isEmpty(); ++x) {
        for (int y = 0; y < 30 && p95Text.isEmpty(); ++y) {
            const QString text = chart.legendTextAt(QPoint(x, y));
            if (text.startsWith(QStringLiteral("p95"))) {
                p95Text = text;
                p95At = QPoint(x + 3, y + 2);
            }
        }
    }
    QVERIFY2(p95Text.contains(QStringLiteral("3 of 6 points not finite")), qPrintable(p95Text));
    QVERIFY(chart.legendTextAt(QPoint(chart.width() / 2, chart.height() / 2)).isEmpty());

    const QPoint inViewport = view->viewport()->mapFrom(&chart, p95At);
    QHelpEvent help(QEvent::ToolTip, inViewport, view->viewport()->mapToGlobal(inViewport));
    QApplication::sendEvent(view->viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QVERIFY2(
        QToolTip::text().startsWith(QStringLiteral("p95: 3 of 6")), qPrintable(QToolTip::text()));
    QToolTip::hideText();

    // All finite again: no count, no note.
    chart.setLine(QStringLiteral("p95"), {QPointF(0, 5.5), QPointF(5, 6.0)});
    QCOMPARE(chart.nonFiniteCount(QStringLiteral("p95")), 0);
    QVERIFY(chart.legendTextAt(p95At).isEmpty());

    if (qEnvironmentVariableIsSet("HEADROOM_SAVE_CHARTS")) {
        chart.setLine(QStringLiteral("p95"), columns[0]);
        QTest::qWait(50);
        chart.grab().save(qEnvironmentVariable("HEADROOM_SAVE_CHARTS") + QStringLiteral("/v1.png"));
    }
}

void TestChartCases::nonFiniteBoundsNeverReachTheAxis()
{
    ui::TimeChart chart;
    chart.resize(600, 300);
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    for (const auto &[lo, hi] :
        {std::pair {5.0, inf}, std::pair {-inf, 7.5}, std::pair {nan, nan}, std::pair {0.0, nan}}) {
        chart.setYRange(lo, hi);
        QVERIFY(std::isfinite(chart.yMin()) && std::isfinite(chart.yMax()));
        QVERIFY(chart.yMax() > chart.yMin());
        QVERIFY(std::isfinite(chart.yTickInterval()) && chart.yTickInterval() > 0.0);
        chart.setExactYRange(lo, hi);
        QVERIFY(std::isfinite(chart.yMin()) && std::isfinite(chart.yMax()));
        QVERIFY(chart.yMax() > chart.yMin());
    }
}

// A metric sampled each minute for an hour with a 6-minute hole (no samples: NaN) at
// minutes 20 to 25, and real zeros at minutes 40 to 44.
void TestChartCases::holeIsAGapAndZeroIsZero()
{
    QList<QPointF> points;
    for (int m = 0; m <= 60; ++m) {
        double v = 10.0 + (m % 3);
        if (m >= 20 && m < 26)
            v = std::numeric_limits<double>::quiet_NaN();
        else if (m >= 40 && m < 45)
            v = 0.0;
        points.append(QPointF(m * 60.0, v));
    }
    ui::TimeChart chart;
    chart.resize(600, 300);
    chart.addLine(QStringLiteral("cpu"), {Qt::red, 2.0, Qt::SolidLine});
    chart.setXRange(0.0, 3600.0);
    chart.setYRange(0.0, 12.0);
    chart.setLine(QStringLiteral("cpu"), points);

    const QList<QList<QPointF>> segments = chart.lineSegments(QStringLiteral("cpu"));
    QCOMPARE(segments.size(), 2); // the hole splits the line; the zeros do not
    QCOMPARE(segments[0].last(), QPointF(19 * 60.0, 10.0 + 19 % 3));
    QCOMPARE(segments[1].first(), QPointF(26 * 60.0, 10.0 + 26 % 3));
    QVERIFY(!anyPointIn(segments, 19 * 60.0, 26 * 60.0)); // not interpolated, not 0
    int zeros = 0;
    for (const QPointF &p : segments[1])
        zeros += p.y() == 0.0 && p.x() >= 40 * 60.0 && p.x() < 45 * 60.0;
    QCOMPARE(zeros, 5); // real zeros drawn at 0
    QCOMPARE(chart.nonFiniteCount(QStringLiteral("cpu")), 6);
}

// The shipped NASA trace's 22 zero-request minutes on 13 July 1995 from 19:49 (-04:00):
// real zeros, so one unbroken line down to 0 and back.
void TestChartCases::nasaZeroRunIsDrawnAtZero()
{
    QFile file(sourcePath(QStringLiteral("resources/traces/nasa_http_jul1995_per_minute.csv")));
    QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
    file.readLine();
    const double first = 805679340.0; // 19:49 -04:00
    QList<QPointF> points;
    while (!file.atEnd()) {
        const QList<QByteArray> cells = file.readLine().trimmed().split(',');
        const double t = cells[0].toDouble();
        if (t < first - 600 || t > first + 32 * 60)
            continue;
        points.append(QPointF(t - (first - 600), cells.last().toDouble() / 60.0));
    }
    QCOMPARE(points.size(), 43);

    ui::TimeChart chart;
    chart.resize(600, 300);
    chart.addLine(QStringLiteral("arrivals"), {Qt::red, 2.0, Qt::SolidLine});
    chart.setXRange(0.0, points.last().x());
    chart.setYRange(0.0, 3.0);
    chart.setLine(QStringLiteral("arrivals"), points);
    const QList<QList<QPointF>> segments = chart.lineSegments(QStringLiteral("arrivals"));
    QCOMPARE(segments.size(), 1);
    int zeros = 0;
    for (const QPointF &p : segments[0])
        zeros += p.y() == 0.0 && p.x() >= 600.0 && p.x() < 600.0 + 22 * 60;
    QCOMPARE(zeros, 22);
    QCOMPARE(chart.nonFiniteCount(QStringLiteral("arrivals")), 0);
}

QTEST_MAIN(TestChartCases)
#include "tst_chartcases.moc"
