#include "timechart.h"

#include <QApplication>
#include <QGraphicsTextItem>
#include <QGraphicsView>
#include <QHelpEvent>
#include <QRegularExpression>
#include <QTest>
#include <QToolTip>
#include <cmath>

using namespace headroom;
using Kind = ui::TimeChart::MarkerKind;

class TestTimeChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void plotNoteHidesTheFewestPoints();
    void markersAreCountedByKind();
    void clearedMarkersAreReused();
    void hoverShowsMarkerTexts();
    void integerTicksAreWholeNumbers_data();
    void integerTicksAreWholeNumbers();
    void fractionalTicksKeepTheirDecimals();
    void legendWrapsWhenNarrow();
    void yLabelsMatchTheGridlines_data();
    void yLabelsMatchTheGridlines();
    void longRunsReadInHoursOrDays_data();
    void longRunsReadInHoursOrDays();
    void windowsLateInALongRunReadClockTime_data();
    void windowsLateInALongRunReadClockTime();
    void denseMarkersKeepTheirTexts();
    void bandsJoinTheLegendAndHide();
    void linesAndBandsArePaintedWhereTheirPointsAre();
    void aLineEnvelopeIsPaintedFaintlyAndHidesWithIt();
    void timeAxisLabelsAndTitle();
    void regionsBlendWhereTheyOverlap();

private:
    std::unique_ptr<ui::TimeChart> m_chart;
};

namespace {

bool isWhole(double v)
{
    return std::abs(v - std::round(v)) < 1e-9;
}

// Every text Qt Charts draws left of the plot area: the y axis labels, top to bottom.
QStringList yAxisLabels(ui::TimeChart *chart)
{
    auto *view = chart->findChild<QGraphicsView *>();
    QList<QPair<qreal, QString>> found;
    for (QGraphicsItem *item : view->scene()->items()) {
        auto *text = dynamic_cast<QGraphicsTextItem *>(item);
        if (!text || !text->isVisible() || text->toPlainText().isEmpty())
            continue;
        const QRectF box = text->sceneBoundingRect();
        if (box.height() > box.width() * 2)
            continue; // the rotated axis title
        if (box.right() < chart->naturalPlotLeft() + 2 && box.top() > 20)
            found.append({box.center().y(), text->toPlainText()});
    }
    std::sort(
        found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QStringList labels;
    for (const auto &f : found)
        labels.append(f.second);
    return labels;
}

} // namespace

void TestTimeChart::init()
{
    m_chart = std::make_unique<ui::TimeChart>();
    m_chart->resize(600, 300);
    m_chart->setTitle(QStringLiteral("Pods"));
    m_chart->addLine(QStringLiteral("ready"), {Qt::darkGreen, 2.0, Qt::SolidLine});
    m_chart->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_chart.get()));
    m_chart->setXRange(0.0, 100.0);
    m_chart->setYRange(0.0, 10.0);
}

void TestTimeChart::cleanup()
{
    m_chart.reset();
}

// The note goes where it covers the fewest of the line's points: the middle when the line
// runs along the bottom, elsewhere when it runs through the middle (a spike's latency).
void TestTimeChart::plotNoteHidesTheFewestPoints()
{
    const auto flat = [](double y) {
        QList<QPointF> points;
        for (int t = 0; t <= 100; ++t)
            points.append(QPointF(t, y));
        return points;
    };
    const QString text = QStringLiteral("565 of 1,093 requests here timed out or were rejected");
    m_chart->setLine(QStringLiteral("ready"), flat(0.5));
    m_chart->setPlotNote(text);
    const QRectF plot = m_chart->plotRect();
    QRectF box = m_chart->plotNoteRect();
    QVERIFY(!box.isEmpty());
    QVERIFY2(std::abs(box.center().y() - plot.center().y()) < 2.0, "a line along the bottom: the middle");
    // A line zigzagging through the middle of the plot (3 to 7 of 0-10).
    QList<QPointF> zigzag;
    for (int t = 0; t <= 100; ++t)
        zigzag.append(QPointF(t, 3.0 + (t % 5)));
    m_chart->setLine(QStringLiteral("ready"), zigzag);
    m_chart->setPlotNote(text);
    box = m_chart->plotNoteRect();
    QVERIFY2(std::abs(box.center().y() - plot.center().y()) > box.height(),
        qPrintable(QStringLiteral("the note at %1-%2 in a plot of %3-%4").arg(box.top()).arg(box.bottom()).arg(plot.top()).arg(plot.bottom())));
    QVERIFY(plot.adjusted(-4, -4, 4, 4).contains(box));
    m_chart->setPlotNote(QString());
    QVERIFY(m_chart->plotNoteRect().isEmpty());
}

void TestTimeChart::markersAreCountedByKind()
{
    m_chart->addVerticalMarker(10.0, Qt::magenta, QStringLiteral("10 s: hpa 2 -> 4"));
    m_chart->addVerticalMarker(20.0, Qt::magenta);
    m_chart->addFlagMarker(30.0, Qt::blue, QStringLiteral("30 s: HPA ScalingLimited=True"));
    m_chart->addShadedRegion(40.0, 60.0, QColor(255, 0, 0, 40), QStringLiteral("KPA panic"));
    QCOMPARE(m_chart->markerCount(Kind::Line), 2);
    QCOMPARE(m_chart->markerCount(Kind::Flag), 1);
    QCOMPARE(m_chart->markerCount(Kind::Region), 1);
}

void TestTimeChart::clearedMarkersAreReused()
{
    for (int round = 0; round < 3; ++round) {
        m_chart->clearMarkers();
        QCOMPARE(m_chart->markerCount(Kind::Flag), 0);
        for (int i = 0; i < 5; ++i)
            m_chart->addFlagMarker(10.0 * i, Qt::blue);
        QCOMPARE(m_chart->markerCount(Kind::Flag), 5);
    }
    m_chart->clearMarkers();
    QCOMPARE(m_chart->markerCount(Kind::Line), 0);
    QCOMPARE(m_chart->markerCount(Kind::Region), 0);
}

void TestTimeChart::hoverShowsMarkerTexts()
{
    m_chart->addFlagMarker(50.0, Qt::blue, QStringLiteral("50 s: KPA entering panic"));
    m_chart->addShadedRegion(
        20.0, 80.0, QColor(255, 0, 0, 40), {}, QStringLiteral("KPA panic from 20 s"));
    // Find the flag's pixel by scanning the chart's middle row.
    const int y = m_chart->height() / 2;
    int flagX = -1;
    for (int x = 0; x < m_chart->width() && flagX < 0; ++x) {
        if (m_chart->markerTextAt(QPoint(x, y)).contains(QStringLiteral("entering panic")))
            flagX = x;
    }
    QVERIFY2(flagX > 0, "no pixel shows the flag's text");
    const QString both = m_chart->markerTextAt(QPoint(flagX + 2, y));
    QVERIFY2(both.contains(QStringLiteral("KPA panic from 20 s")), qPrintable(both));
    QCOMPARE(both.count(QLatin1Char('\n')), 1);

    // Inside the region, away from the flag: only the region. Outside the plot: nothing.
    const QString region = m_chart->markerTextAt(QPoint(flagX - 40, y));
    QCOMPARE(region, QStringLiteral("KPA panic from 20 s"));
    QVERIFY(m_chart->markerTextAt(QPoint(2, 2)).isEmpty());

    // Hovering shows the same text as a tooltip.
    auto *view = m_chart->findChild<QGraphicsView *>();
    QVERIFY(view);
    const QPoint inViewport = view->viewport()->mapFrom(m_chart.get(), QPoint(flagX + 2, y));
    QHelpEvent help(QEvent::ToolTip, inViewport, view->viewport()->mapToGlobal(inViewport));
    QApplication::sendEvent(view->viewport(), &help);
    QTRY_VERIFY(QToolTip::isVisible());
    QCOMPARE(QToolTip::text(), both);
    QToolTip::hideText();
}

void TestTimeChart::integerTicksAreWholeNumbers_data()
{
    QTest::addColumn<double>("max");
    QTest::addRow("pods 3") << 3.0;
    QTest::addRow("pods 12") << 12.0;
    QTest::addRow("pods 13") << 13.0;
    QTest::addRow("pods 24") << 24.0;
    QTest::addRow("pods 250") << 250.0;
}

void TestTimeChart::integerTicksAreWholeNumbers()
{
    QFETCH(double, max);
    m_chart->setIntegerYTicks(true);
    m_chart->setYRange(0.0, max);
    QVERIFY2(
        isWhole(m_chart->yTickInterval()), qPrintable(QString::number(m_chart->yTickInterval())));
    QVERIFY(m_chart->yTickInterval() >= 1.0);
    QVERIFY(isWhole(m_chart->yMax()));
    QVERIFY(m_chart->yMax() >= max);
    for (int maxTicks = 1; maxTicks <= 8; ++maxTicks)
        QVERIFY(isWhole(ui::niceTickInterval(max, maxTicks, true)));
}

void TestTimeChart::fractionalTicksKeepTheirDecimals()
{
    QCOMPARE(ui::niceTickInterval(12.0, 5), 2.5);
    QCOMPARE(ui::niceTickInterval(12.0, 5, true), 5.0);
    QCOMPARE(ui::niceTickInterval(120.0, 5, true), 25.0);
    QCOMPARE(ui::niceTickInterval(0.3, 6, true), 1.0);
}

void TestTimeChart::legendWrapsWhenNarrow()
{
    for (const char *name : {"desired", "unready", "starting", "load"})
        m_chart->addLine(QString::fromLatin1(name), {Qt::red, 1.5, Qt::SolidLine});
    QCOMPARE(m_chart->legendEntries().size(), 5);
    QCOMPARE(m_chart->legendEntries().at(1), QStringLiteral("desired"));
    m_chart->resize(1200, 300);
    QTRY_COMPARE(m_chart->headerRows(), 1);
    m_chart->resize(300, 300);
    QTRY_VERIFY(m_chart->headerRows() >= 2);
}

void TestTimeChart::yLabelsMatchTheGridlines_data()
{
    QTest::addColumn<double>("max");
    for (double max : {13.0, 1.3, 0.13, 130.0, 7.0, 42.0, 1234.0, 0.9})
        QTest::addRow("max %g", max) << max;
}

// Each label reads exactly the value of its gridline: 2.5 steps say 2.5, 7.5, never 3, 8.
void TestTimeChart::yLabelsMatchTheGridlines()
{
    QFETCH(double, max);
    m_chart->setYRange(0.0, max);
    QCoreApplication::processEvents();
    const double interval = m_chart->yTickInterval();
    const QStringList labels = yAxisLabels(m_chart.get());
    const auto count = static_cast<qsizetype>(std::lround(m_chart->yMax() / interval)) + 1;
    QCOMPARE(labels.size(), count);
    for (qsizetype i = 0; i < count; ++i) {
        const double value = m_chart->yMax() - static_cast<double>(i) * interval;
        bool ok = false;
        const double read = labels[i].toDouble(&ok);
        QVERIFY2(ok && std::abs(read - value) < interval * 1e-6,
            qPrintable(labels.join(QLatin1Char(' ')) + QStringLiteral(" step ")
                + QString::number(interval)));
    }
}

void TestTimeChart::longRunsReadInHoursOrDays_data()
{
    QTest::addColumn<double>("spanS");
    QTest::addColumn<QString>("title");
    QTest::addRow("10 min") << 600.0 << QStringLiteral("time (s)");
    QTest::addRow("2 h") << 7200.0 << QStringLiteral("time (s)");
    QTest::addRow("12 h") << 44640.0 << QStringLiteral("time (h)");
    QTest::addRow("26 days") << 2250000.0 << QStringLiteral("time (d)");
}

void TestTimeChart::longRunsReadInHoursOrDays()
{
    QFETCH(double, spanS);
    QFETCH(QString, title);
    m_chart->setAxisTitles(QStringLiteral("time"), QStringLiteral("pods"));
    m_chart->setXRange(0.0, spanS);
    QCOMPARE(m_chart->xAxisTitle(), title);
    m_chart->setLine(QStringLiteral("ready"), {QPointF(0.0, 1.0), QPointF(spanS, 2.0)});
    m_chart->addVerticalMarker(spanS / 2, Qt::red, QStringLiteral("middle"));
    QCoreApplication::processEvents();
    // Markers stay in seconds: the middle of the run is the middle of the plot.
    const QRect plot = m_chart->rect();
    QVERIFY(!m_chart
                 ->markerTextAt(QPoint(
                     static_cast<int>(m_chart->naturalPlotLeft() + m_chart->plotWidth() / 2.0),
                     plot.height() / 2))
                 .isEmpty());
}

void TestTimeChart::windowsLateInALongRunReadClockTime_data()
{
    QTest::addColumn<double>("x0");
    QTest::addColumn<double>("x1");
    QTest::addColumn<QString>("title");
    // Seconds while every label has at most four digits, whatever the window.
    QTest::addRow("seed-spike") << 0.0 << 70.0 << QStringLiteral("time (s)");
    QTest::addRow("last 1 min at 30 min") << 1740.0 << 1800.0 << QStringLiteral("time (s)");
    QTest::addRow("last 1 h at 2 h") << 3600.0 << 7200.0 << QStringLiteral("time (s)");
    // Past 2 h a window reads as the clock: its seconds would be "36500", its hours "10.15".
    QTest::addRow("last 1 h at 11 h") << 36092.0 << 39692.0 << QStringLiteral("time (h:mm)");
    QTest::addRow("last 15 min at 11 h") << 38792.0 << 39692.0 << QStringLiteral("time (h:mm)");
    QTest::addRow("last 1 min at 11 h") << 39632.0 << 39692.0 << QStringLiteral("time (h:mm:ss)");
    // Past a day, days first: "26d 00:40", not "624:40".
    QTest::addRow("last 1 h at 26 days") << 2246400.0 << 2250000.0 << QStringLiteral("time (d h:mm)");
    QTest::addRow("last 1 min at 12 days") << 1108740.0 << 1108800.0 << QStringLiteral("time (d h:mm:ss)");
    // Across the first day's end every label has its days: "23:00 ... 1d 00:00" read in two forms.
    QTest::addRow("across day 1") << 84600.0 << 88200.0 << QStringLiteral("time (d h:mm)");
    // A view longer than 2 h keeps its hours (or days): whole hours read well there.
    QTest::addRow("whole 11 h run") << 0.0 << 39692.0 << QStringLiteral("time (h)");
    QTest::addRow("held 3 h at 11 h") << 28800.0 << 39600.0 << QStringLiteral("time (h)");
}

void TestTimeChart::windowsLateInALongRunReadClockTime()
{
    QFETCH(double, x0);
    QFETCH(double, x1);
    QFETCH(QString, title);
    m_chart->setAxisTitles(QStringLiteral("time"), QStringLiteral("pods"));
    m_chart->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_chart.get()));
    m_chart->setXRange(x0, x1);
    QCOMPARE(m_chart->xAxisTitle(), title);
    const QStringList labels = m_chart->xTickLabels();
    QVERIFY2(labels.size() >= 2, qPrintable(labels.join(' ')));
    const bool clock = title.contains(QLatin1Char(':'));
    const bool withSeconds = title.endsWith(QStringLiteral(":ss)"));
    const bool days = title.contains(QStringLiteral("(d "));
    const QString hours = days ? QStringLiteral("^(\\d+)d (\\d\\d)") : QStringLiteral("^()(\\d+)");
    const QRegularExpression clockLabel(hours + (withSeconds ? QStringLiteral(":(\\d\\d):(\\d\\d)$") : QStringLiteral(":(\\d\\d)()$")));
    double previous = -1.0;
    for (const QString &label : labels) {
        // At most four digits in a row: "39500" is what a reader cannot take in at a glance.
        QVERIFY2(!label.contains(QRegularExpression(QStringLiteral("\\d{5}"))), qPrintable(labels.join(' ')));
        if (!clock)
            continue;
        // Every clock label reads the time of its tick, within the range, left to right.
        const QRegularExpressionMatch match = clockLabel.match(label);
        QVERIFY2(match.hasMatch(), qPrintable(labels.join(' ')));
        const double tS = match.captured(1).toDouble() * 86400.0 + match.captured(2).toDouble() * 3600.0
            + match.captured(3).toDouble() * 60.0 + match.captured(4).toDouble();
        QVERIFY2(tS >= x0 - 1e-6 && tS <= x1 + 1e-6 && tS > previous, qPrintable(labels.join(' ')));
        previous = tS;
    }
}

void TestTimeChart::denseMarkersKeepTheirTexts()
{
    for (int i = 0; i < 100; ++i)
        m_chart->addVerticalMarker(i, Qt::magenta, QStringLiteral("scale ") + QString::number(i));
    m_chart->setDenseMarkers(true);
    QVERIFY(m_chart->denseMarkers());
    QCOMPARE(m_chart->markerCount(Kind::Line), 100);
    const int x = static_cast<int>(m_chart->naturalPlotLeft() + m_chart->plotWidth() / 2.0);
    QVERIFY(
        m_chart->markerTextAt(QPoint(x, m_chart->height() / 2)).contains(QStringLiteral("scale")));
}

void TestTimeChart::bandsJoinTheLegendAndHide()
{
    const QString band = QStringLiteral("forecast p50-p90");
    const ui::TimeChart::LineStyle median {Qt::blue, 1.0, Qt::DashLine, false};
    m_chart->addBand(band, QColor(0, 0, 255, 60), median);
    m_chart->addLine(QStringLiteral("forecast p50"), median);
    // The band's middle line is named by the band's entry, not by one of its own.
    QCOMPARE(m_chart->legendEntries(), QStringList({QStringLiteral("ready"), band}));

    // Hours on the axis: the band reads back in seconds, as it was given.
    m_chart->setXRange(0.0, 4.0 * 3600.0);
    const QList<QPointF> upper {{7200.0, 6.0}, {9000.0, 8.0}, {10800.0, 9.0}};
    const QList<QPointF> lower {{7200.0, 6.0}, {9000.0, 5.0}, {10800.0, 4.0}};
    m_chart->setBand(band, lower, upper);
    QCOMPARE(m_chart->bandUpper(band), upper);

    m_chart->setEntryLabel(QStringLiteral("ready"), QStringLiteral("ready pods"));
    m_chart->setEntryVisible(band, false);
    QCOMPARE(m_chart->legendEntries(), QStringList({QStringLiteral("ready pods")}));
    QVERIFY(m_chart->bandUpper(band).isEmpty());
    m_chart->setEntryVisible(band, true);
    QCOMPARE(m_chart->bandUpper(band), upper);
    m_chart->clearLines();
    QVERIFY(m_chart->bandUpper(band).isEmpty());
}

namespace {

// The widget pixel where a chart with x 0..100 and y 0..yMax draws (x, y).
QPoint pixelOf(const ui::TimeChart &chart, double x, double y, double yMax)
{
    const QRectF plot = chart.plotRect();
    return QPoint(static_cast<int>(std::lround(plot.left() + x / 100.0 * plot.width())),
                  static_cast<int>(std::lround(plot.bottom() - y / yMax * plot.height())));
}

// Whether a colour close to `want` is painted within two pixels of `at` (the plot's edges
// are fractional, plotRect() whole).
bool paintedNear(const QImage &image, QPoint at, const QColor &want)
{
    for (int dy = -2; dy <= 2; ++dy) {
        for (int dx = -2; dx <= 2; ++dx) {
            const QColor c = image.pixelColor(at + QPoint(dx, dy));
            if (std::abs(c.red() - want.red()) + std::abs(c.green() - want.green())
                    + std::abs(c.blue() - want.blue())
                < 60)
                return true;
        }
    }
    return false;
}

} // namespace

void TestTimeChart::linesAndBandsArePaintedWhereTheirPointsAre()
{
    // The lines and bands are our own items on the chart, mapped to pixels when painted:
    // what a user sees is checked here, pixel by pixel.
    const QColor green(0, 150, 0);
    const QColor blue(0, 0, 230);
    m_chart->setLineStyle(QStringLiteral("ready"), {green, 3.0, Qt::SolidLine});
    m_chart->addBand(QStringLiteral("band"), blue, {});
    const double nan = std::nan("");
    m_chart->setLine(QStringLiteral("ready"),
                     {{0, 6.3}, {23, 6.3}, {43, 6.3}, {50, nan}, {57, 6.3}, {100, 6.3}});
    m_chart->setBand(QStringLiteral("band"), {{0, 1.1}, {100, 1.1}}, {{0, 2.9}, {100, 2.9}});

    const double before = m_chart->yMax(); // 10 and a little headroom, rounded up
    QImage image = m_chart->grab().toImage();
    QVERIFY(paintedNear(image, pixelOf(*m_chart, 23, 6.3, before), green));
    QVERIFY(paintedNear(image, pixelOf(*m_chart, 70, 6.3, before), green));
    QVERIFY(!paintedNear(image, pixelOf(*m_chart, 50, 6.3, before), green)); // a gap stays a gap
    QVERIFY(!paintedNear(image, pixelOf(*m_chart, 23, 8.5, before), green));
    QVERIFY(paintedNear(image, pixelOf(*m_chart, 23, 2.0, before), blue));
    QVERIFY(!paintedNear(image, pixelOf(*m_chart, 23, 4.5, before), blue));

    // A new y range moves what is drawn; nothing is left where the line was.
    m_chart->setYRange(0.0, 30.0);
    const double yMax = m_chart->yMax();
    QVERIFY(yMax > 2 * before);
    image = m_chart->grab().toImage();
    QVERIFY(paintedNear(image, pixelOf(*m_chart, 23, 6.3, yMax), green));
    QVERIFY(!paintedNear(image, pixelOf(*m_chart, 23, 6.3, before), green));

    // So does the fast mode, and a hidden line is not drawn.
    m_chart->setAntialiased(false);
    image = m_chart->grab().toImage();
    QVERIFY(paintedNear(image, pixelOf(*m_chart, 23, 6.3, yMax), green));
    m_chart->setEntryHidden(QStringLiteral("ready"), true);
    image = m_chart->grab().toImage();
    QVERIFY(!paintedNear(image, pixelOf(*m_chart, 23, 6.3, yMax), green));
}

// A dense line's range behind it: in the line's colour, faint (the plot's white shows
// through), hidden with the line, and gone when set empty.
void TestTimeChart::aLineEnvelopeIsPaintedFaintlyAndHidesWithIt()
{
    const QColor blue(0, 0, 230);
    const QString name = QStringLiteral("ready");
    m_chart->setLineStyle(name, {blue, 2.0, Qt::SolidLine});
    m_chart->setLine(name, {{0, 5.0}, {100, 5.0}});
    m_chart->setLineEnvelope(name, {{0, 2.0}, {100, 2.0}}, {{0, 8.0}, {100, 8.0}});
    QCOMPARE(m_chart->lineEnvelope(name).second, (QList<QPointF> {{0, 8.0}, {100, 8.0}}));
    const double yMax = m_chart->yMax();
    const QImage image = m_chart->grab().toImage();
    const QColor inside = image.pixelColor(pixelOf(*m_chart, 50, 3.0, yMax));
    // Blue over white at about a quarter: light blue, well short of the line's own colour.
    QVERIFY2(inside.blue() > 200 && inside.red() > 150 && inside.red() < 230,
        qPrintable(inside.name()));
    QVERIFY(paintedNear(image, pixelOf(*m_chart, 50, 5.0, yMax), blue));
    QCOMPARE(image.pixelColor(pixelOf(*m_chart, 50, 9.0, yMax)), QColor(Qt::white));
    // 100 s on about 500 pixels: a fraction of a second, in two figures.
    const QString hover = m_chart->legendTextAt(m_chart->legendEntryRect(name).center());
    QVERIFY2(hover.contains(QRegularExpression(
                 QStringLiteral("ready: each pixel holds about 0\\.\\d\\d? s, drawn as the mean, "
                                "with the lowest to highest value shaded"))),
        qPrintable(hover));

    m_chart->setEntryHidden(name, true);
    QVERIFY(m_chart->lineEnvelope(name).second.isEmpty());
    QCOMPARE(m_chart->grab().toImage().pixelColor(pixelOf(*m_chart, 50, 3.0, yMax)),
        QColor(Qt::white));
    m_chart->setEntryHidden(name, false);
    QVERIFY(!m_chart->lineEnvelope(name).second.isEmpty());
    m_chart->setLineEnvelope(name, {}, {});
    QVERIFY(m_chart->lineEnvelope(name).second.isEmpty());
    QCOMPARE(m_chart->grab().toImage().pixelColor(pixelOf(*m_chart, 50, 3.0, yMax)),
        QColor(Qt::white));
}

void TestTimeChart::timeAxisLabelsAndTitle()
{
    m_chart->setAxisTitles(QStringLiteral("time"), QStringLiteral("pods"));
    m_chart->setXRange(0.0, 100.0);
    QCoreApplication::processEvents();
    const QStringList labels = m_chart->xTickLabels();
    QVERIFY2(labels.size() >= 3 && labels.first() == QStringLiteral("0")
                 && labels.last() == QStringLiteral("100"),
             qPrintable(labels.join(' ')));
    // The time axis's text is painted under the plot: dark pixels in the band below it.
    const auto inkUnderPlot = [&] {
        const QImage image = m_chart->grab().toImage();
        const QRectF plot = m_chart->plotRect();
        int ink = 0;
        for (int y = static_cast<int>(plot.bottom()) + 6; y < image.height(); ++y) {
            for (int x = static_cast<int>(plot.left()); x < static_cast<int>(plot.right()); ++x)
                ink += image.pixelColor(x, y).lightness() < 120;
        }
        return ink;
    };
    QVERIFY(inkUnderPlot() > 50);
    QCOMPARE(m_chart->xAxisTitle(), QStringLiteral("time (s)"));

    // A chart stacked over another shows neither labels nor title.
    m_chart->setAxisTitles(QString(), QStringLiteral("pods"));
    m_chart->setXLabelsVisible(false);
    QCoreApplication::processEvents();
    QVERIFY(m_chart->xTickLabels().isEmpty());
    QCOMPARE(inkUnderPlot(), 0);

    // Fractional ticks keep their decimals; a long run reads in hours.
    m_chart->setXLabelsVisible(true);
    m_chart->setXRange(0.0, 3.0);
    QVERIFY2(m_chart->xTickLabels().contains(QStringLiteral("0.5"))
                 && m_chart->xTickLabels().contains(QStringLiteral("1.0")),
             qPrintable(m_chart->xTickLabels().join(' ')));
    m_chart->setXRange(0.0, 12.0 * 3600.0);
    QVERIFY2(m_chart->xTickLabels().contains(QStringLiteral("12")),
             qPrintable(m_chart->xTickLabels().join(' ')));
}

void TestTimeChart::regionsBlendWhereTheyOverlap()
{
    // Regions are translucent: each shows what lies under it. The layer paints that blend
    // itself (opaque fills are much cheaper), so the colours are checked here.
    m_chart->setLine(QStringLiteral("ready"), {});
    m_chart->addShadedRegion(10.0, 50.0, QColor(255, 0, 0, 102), QString());
    m_chart->addShadedRegion(30.0, 70.0, QColor(0, 0, 255, 102), QString());
    const QImage image = m_chart->grab().toImage();
    const double y = 0.37 * m_chart->yMax(); // clear of the grid lines
    const auto at = [&](double x) { return image.pixelColor(pixelOf(*m_chart, x, y, m_chart->yMax())); };
    const auto close = [](const QColor &got, int r, int g, int b) {
        return std::abs(got.red() - r) <= 3 && std::abs(got.green() - g) <= 3
            && std::abs(got.blue() - b) <= 3;
    };
    // 40 % red over white, then 40 % blue over that, then 40 % blue over white (between
    // the time grid's lines, every 20 s).
    QVERIFY2(close(at(15), 255, 153, 153), qPrintable(at(15).name()));
    QVERIFY2(close(at(45), 153, 92, 194), qPrintable(at(45).name()));
    QVERIFY2(close(at(65), 153, 153, 255), qPrintable(at(65).name()));
    QVERIFY2(close(at(85), 255, 255, 255), qPrintable(at(85).name()));
    QCOMPARE(m_chart->markerCount(Kind::Region), 2);
    m_chart->clearMarkers();
    QVERIFY(close(m_chart->grab().toImage().pixelColor(pixelOf(*m_chart, 45, y, m_chart->yMax())),
                  255, 255, 255));
}

QTEST_MAIN(TestTimeChart)
#include "tst_timechart.moc"
