#include "comparisonexport.h"
#include "comparisonview.h"
#include "eventstyle.h"
#include "lanecolumn.h"
#include "linkedtimeaxis.h"
#include "seriesstats.h"

#include <QGraphicsView>
#include <QImage>
#include <QSignalSpy>
#include <QTest>
#include <cmath>

using namespace headroom;
using Kind = ui::TimeChart::MarkerKind;

class TestLegendStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void legendClickHidesTheSeriesInEveryLane();
    void hiddenSeriesSurviveNewDataAndNewLanes();
    void hiddenLineStaysHiddenAsPointsArrive();
    void hidingTheForecastBandHidesItsMiddleLine();
    void hidingATallSeriesZoomsTheYAxisIn();
    void statsOverTheWindow_data();
    void statsOverTheWindow();
    void legendShowsTheStatsOfTheLinkedRange();
    void legendLeavesThePlotTheLargerPart_data();
    void legendLeavesThePlotTheLargerPart();
    void statNumbersStayShort_data();
    void statNumbersStayShort();
    void breachSpans_data();
    void breachSpans();
    void breachesAreShadedOverTheSloLine();
    void breachesShowInExportsAndDarkTheme();
    void exportsLeaveHiddenSeriesOut();

private:
    // A lane of `seconds` seconds (see init()).
    static ui::ComparisonData::Lane lane(const char *controller, int seconds);
    // The dashboard as a user sees it: interactive, shown, drawn at its final size.
    static void showOnScreen(
        ui::ComparisonView &view, ui::LinkedTimeAxis &axis, const ui::ComparisonData &data);
    static void clickLegend(ui::TimeChart *chart, const QString &name);
    // How many pixels in the entry's swatch are coloured (not grey) in the chart as drawn.
    static int colouredSwatchPixels(ui::TimeChart *chart, const QString &name);

    ui::ComparisonData m_data;
};

namespace {

const QString kP50 = QStringLiteral("p50");
const QString kP95 = QStringLiteral("p95");
const QString kArrivals = QStringLiteral("arrivals/s");

// The p95 latency of the second at `t` in the lanes of init(): 100 + t ms, NaN at 40. The
// p50 is the same counted down, 200 - t, so its last value is its smallest.
double p95At(int t)
{
    return t == 40 ? std::nan("") : 100.0 + t;
}

} // namespace

ui::ComparisonData::Lane TestLegendStats::lane(const char *controller, int seconds)
{
    ui::ComparisonData::Lane lane;
    lane.controller = controller;
    for (int t = 1; t <= seconds; ++t) {
        metrics::LaneSample s;
        s.tS = t;
        s.arrivalsPerS = t;
        s.completedPerS = t;
        s.latencyP50Ms = 200.0 - t;
        s.latencyP95Ms = p95At(t);
        s.podsDesired = s.podsReady = 2;
        lane.samples.push_back(s);
    }
    return lane;
}

void TestLegendStats::init()
{
    m_data = {};
    m_data.title = "legend";
    m_data.durationS = 40.0;
    m_data.sloLatencyMs = 500.0;
    m_data.state = ui::RunState::Running;
    m_data.lanes = {lane("predictive", 40), lane("hpa", 40)};
}

void TestLegendStats::showOnScreen(
    ui::ComparisonView &view, ui::LinkedTimeAxis &axis, const ui::ComparisonData &data)
{
    view.setTimeAxis(&axis);
    view.resize(1600, 860); // as in the dashboard's window at its default size
    view.show();
    view.showData(data, axis.x0(), axis.x1()); // creates the columns
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::qWait(20); // the new columns show and take their size
    view.showData(data, axis.x0(), axis.x1());
    QVERIFY(view.columns().front()->charts().front()->width() > 300);
}

void TestLegendStats::clickLegend(ui::TimeChart *chart, const QString &name)
{
    const QRect entry = chart->legendEntryRect(name);
    QVERIFY2(!entry.isEmpty(), qPrintable(name));
    auto *view = chart->findChild<QGraphicsView *>();
    QVERIFY(view);
    // On the name, not the swatch: the whole entry is the target.
    const QPoint at(entry.left() + 30, entry.center().y());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, view->viewport()->mapFrom(chart, at));
}

int TestLegendStats::colouredSwatchPixels(ui::TimeChart *chart, const QString &name)
{
    const QRect entry = chart->legendEntryRect(name);
    const QImage image = chart->grab().toImage();
    const qreal dpr = image.devicePixelRatio();
    int coloured = 0;
    for (int x = entry.left() + 4; x < entry.left() + 18; ++x) {
        for (int y = entry.center().y() - 3; y <= entry.center().y() + 3; ++y) {
            const QColor c = image.pixelColor(QPoint(int(x * dpr), int(y * dpr)));
            const int spread = std::max({c.red(), c.green(), c.blue()})
                - std::min({c.red(), c.green(), c.blue()});
            coloured += spread > 60 ? 1 : 0;
        }
    }
    return coloured;
}

void TestLegendStats::legendClickHidesTheSeriesInEveryLane()
{
    ui::LinkedTimeAxis axis;
    axis.setExtent(40.0, 0.0);
    ui::ComparisonView view;
    showOnScreen(view, axis, m_data);
    if (QTest::currentTestFailed())
        return;
    QCOMPARE(view.columns().size(), 2u);
    ui::TimeChart *left = view.columns()[0]->chart(ui::ChartKind::Latency);
    ui::TimeChart *right = view.columns()[1]->chart(ui::ChartKind::Latency);
    QVERIFY(!left->lineSegments(kP95).isEmpty());
    QVERIFY(colouredSwatchPixels(left, kP95) > 0);

    clickLegend(left, kP95);
    QVERIFY(view.seriesHidden(ui::ChartKind::Latency, kP95));
    for (ui::TimeChart *chart : {left, right}) {
        QVERIFY(chart->isEntryHidden(kP95));
        QVERIFY(chart->lineSegments(kP95).isEmpty()); // not drawn...
        QVERIFY(chart->legendEntries().contains(kP95)); // ...but still in the legend
        QVERIFY(!chart->isEntryHidden(kP50));
        QVERIFY(!chart->lineSegments(kP50).isEmpty());
    }
    // Only the latency charts: "p95" names nothing elsewhere, and other kinds are untouched.
    QVERIFY(!view.columns()[0]->chart(ui::ChartKind::Rate)->isEntryHidden(kArrivals));
    // The entry greys out: its swatch loses its colour.
    QTRY_COMPARE(colouredSwatchPixels(left, kP95), 0);
    QCOMPARE(colouredSwatchPixels(right, kP95), 0);
    QVERIFY(colouredSwatchPixels(left, kP50) > 0);
    if (qEnvironmentVariableIsSet("HEADROOM_SAVE_CHARTS"))
        view.grab().save(
            qEnvironmentVariable("HEADROOM_SAVE_CHARTS") + QStringLiteral("/legend-hidden.png"));

    // A click in the other lane brings it back in both.
    clickLegend(right, kP95);
    QVERIFY(!view.seriesHidden(ui::ChartKind::Latency, kP95));
    for (ui::TimeChart *chart : {left, right}) {
        QVERIFY(!chart->isEntryHidden(kP95));
        QVERIFY(!chart->lineSegments(kP95).isEmpty());
    }
    QTRY_VERIFY(colouredSwatchPixels(left, kP95) > 0);

    // A click on the plot is a zoom gesture, not a toggle.
    const QRectF plot = left->plotRect();
    auto *chartView = left->findChild<QGraphicsView *>();
    QTest::mouseClick(chartView->viewport(), Qt::LeftButton, {},
        chartView->viewport()->mapFrom(left, plot.center().toPoint()));
    QVERIFY(!left->isEntryHidden(kP95));
    QVERIFY(!left->isEntryHidden(kP50));
}

void TestLegendStats::hiddenSeriesSurviveNewDataAndNewLanes()
{
    ui::LinkedTimeAxis axis;
    axis.setExtent(40.0, 0.0);
    ui::ComparisonView view;
    showOnScreen(view, axis, m_data);
    if (QTest::currentTestFailed())
        return;
    clickLegend(view.columns()[0]->chart(ui::ChartKind::Rate), kArrivals);
    QVERIFY(view.seriesHidden(ui::ChartKind::Rate, kArrivals));

    // The live run: 20 more seconds arrive and the whole-run view follows them.
    ui::ComparisonData later = m_data;
    later.lanes = {lane("predictive", 60), lane("hpa", 60)};
    later.durationS = 60.0;
    axis.setExtent(60.0, 0.0);
    const int redraws = view.chartRedraws();
    view.showData(later, axis.x0(), axis.x1());
    QCOMPARE(view.chartRedraws(), redraws + 1);
    for (ui::LaneColumn *column : view.columns()) {
        ui::TimeChart *rate = column->chart(ui::ChartKind::Rate);
        QVERIFY(rate->isEntryHidden(kArrivals));
        QVERIFY(rate->lineSegments(kArrivals).isEmpty());
        QVERIFY(!rate->lineSegments(QStringLiteral("completed/s")).isEmpty());
    }

    // A third lane joins (the lanes change): it hides the same series.
    ui::ComparisonData three = later;
    three.lanes.push_back(lane("kpa", 60));
    view.showData(three, axis.x0(), axis.x1());
    QCOMPARE(view.columns().size(), 3u);
    for (ui::LaneColumn *column : view.columns())
        QVERIFY(column->chart(ui::ChartKind::Rate)->isEntryHidden(kArrivals));

    // Shown again, the line has the points that arrived while it was hidden.
    view.setSeriesHidden(ui::ChartKind::Rate, kArrivals, false);
    const QList<QList<QPointF>> segments
        = view.columns()[0]->chart(ui::ChartKind::Rate)->lineSegments(kArrivals);
    QVERIFY(!segments.isEmpty());
    QCOMPARE(segments.last().last().x(), 60.0);
    QCOMPARE(segments.last().last().y(), 60.0);
}

void TestLegendStats::hiddenLineStaysHiddenAsPointsArrive()
{
    // A lane's own redraws, with no view to hide it again: the chart keeps the choice.
    ui::LaneColumn column(QStringLiteral("hpa"));
    column.resize(600, 700);
    ui::ComparisonData::Lane &lane = m_data.lanes.back();
    column.showLane(m_data, lane, 0.0, 40.0, ui::lockedScales(m_data, 0.0, 40.0));
    column.setSeriesHidden(ui::ChartKind::Latency, kP95, true);
    ui::TimeChart *latency = column.chart(ui::ChartKind::Latency);

    // More seconds, some without latency: the line splits into more segments than before.
    for (int t = 41; t <= 60; ++t) {
        metrics::LaneSample s = lane.samples.back();
        s.tS = t;
        s.latencyP95Ms = t % 4 == 0 ? std::nan("") : 100.0 + t;
        lane.samples.push_back(s);
    }
    column.showLane(m_data, lane, 0.0, 60.0, ui::lockedScales(m_data, 0.0, 60.0));
    QVERIFY(latency->isEntryHidden(kP95));
    QVERIFY(latency->lineSegments(kP95).isEmpty());
    QVERIFY(latency->legendEntries().contains(kP95));

    latency->setEntryHidden(kP95, false);
    QVERIFY(latency->lineSegments(kP95).size() > 3);
}

void TestLegendStats::hidingTheForecastBandHidesItsMiddleLine()
{
    ui::LaneColumn column(QStringLiteral("predictive"));
    column.resize(600, 700);
    ui::ComparisonData::Lane &lane = m_data.lanes.front();
    lane.summary.forecasts = true;
    lane.forecastCurve = metrics::ForecastCurve {40.0, {10.0, 20.0}, {40.0, 45.0}, {50.0, 60.0}};
    column.showLane(m_data, lane, 0.0, 70.0, ui::lockedScales(m_data, 0.0, 70.0));
    ui::TimeChart *rate = column.chart(ui::ChartKind::Rate);
    const QString band = QStringLiteral("forecast p50-p90");
    QVERIFY(!rate->bandUpper(band).isEmpty());
    QVERIFY(!rate->lineSegments(QStringLiteral("forecast p50")).isEmpty());

    column.setSeriesHidden(ui::ChartKind::Rate, band, true);
    QVERIFY(rate->bandUpper(band).isEmpty());
    QVERIFY(rate->lineSegments(QStringLiteral("forecast p50")).isEmpty());
    QVERIFY(rate->legendEntries().contains(band));
}

void TestLegendStats::hidingATallSeriesZoomsTheYAxisIn()
{
    // 13 unready pods for ten seconds in one lane; 2 desired and ready everywhere.
    for (metrics::LaneSample &s : m_data.lanes.back().samples)
        s.podsUnready = s.tS > 20 && s.tS <= 30 ? 13 : 0;
    const QString unready = QStringLiteral("unready");
    QCOMPARE(ui::lockedScales(m_data, 0.0, 40.0).podsMax, 13.0);
    ui::HiddenSeries hidden;
    hidden[static_cast<std::size_t>(ui::ChartKind::Pods)] = QStringList {unready};
    // What is left is the load line's top: 40 req/s x 0.15 s a request on 1-slot pods.
    QCOMPARE(ui::lockedScales(m_data, 0.0, 40.0, hidden).podsMax, 6.0);
    QCOMPARE(ui::laneScales(m_data, m_data.lanes.back(), 0.0, 40.0, hidden).podsMax, 6.0);

    // p50 stands in for a hidden p95 (it lies under it, so counts only then).
    for (metrics::LaneSample &s : m_data.lanes.front().samples) {
        s.latencyP50Ms = 900.0;
        s.latencyP95Ms = 2000.0;
    }
    hidden[static_cast<std::size_t>(ui::ChartKind::Latency)] = QStringList {kP95};
    QCOMPARE(ui::lockedScales(m_data, 0.0, 40.0).latencyMaxMs, 2000.0);
    QCOMPARE(ui::lockedScales(m_data, 0.0, 40.0, hidden).latencyMaxMs, 900.0);

    // In the dashboard: the click asks for a redraw, which draws the lower axis in every lane.
    ui::LinkedTimeAxis axis;
    axis.setExtent(40.0, 0.0);
    ui::ComparisonView view;
    showOnScreen(view, axis, m_data);
    if (QTest::currentTestFailed())
        return;
    ui::TimeChart *pods = view.columns()[0]->chart(ui::ChartKind::Pods);
    QVERIFY(pods->yMax() >= 13.0);
    QSignalSpy redraw(&view, &ui::ComparisonView::yRangesChanged);
    clickLegend(pods, unready);
    QCOMPARE(redraw.count(), 1);
    view.showData(m_data, axis.x0(), axis.x1());
    for (ui::LaneColumn *column : view.columns())
        QVERIFY2(column->chart(ui::ChartKind::Pods)->yMax() < 13.0,
            qPrintable(QString::number(column->chart(ui::ChartKind::Pods)->yMax())));
}

void TestLegendStats::statsOverTheWindow_data()
{
    QTest::addColumn<double>("x0");
    QTest::addColumn<double>("x1");
    QTest::addColumn<bool>("p50"); // else p95
    QTest::addColumn<int>("count");
    QTest::addColumn<double>("last");
    QTest::addColumn<double>("min");
    QTest::addColumn<double>("max");
    QTest::addColumn<double>("p95");

    // p95 = 101 ... 139 at t = 1 ... 39, NaN at 40: 39 values, the 38th smallest
    // (ceil(0.95 * 39) = 38) is 138; the last finite value is 139, not the NaN after it.
    QTest::addRow("whole run, NaN skipped")
        << 0.0 << 40.0 << false << 39 << 139.0 << 101.0 << 139.0 << 138.0;
    // t = 11 ... 20 (10.5 and 20.5 cut t = 10 and t = 21 off): ceil(9.5) = 10th smallest.
    QTest::addRow("window excludes points")
        << 10.5 << 20.5 << false << 10 << 120.0 << 111.0 << 120.0 << 120.0;
    // The edges are inclusive: t = 11 ... 30, 20 values, ceil(19) = 19th smallest.
    QTest::addRow("inclusive edges")
        << 11.0 << 30.0 << false << 20 << 130.0 << 111.0 << 130.0 << 129.0;
    // p50 = 200 - t falls: last is the minimum; over t = 1 ... 40 the 38th smallest of
    // 160 ... 199 is 197.
    QTest::addRow("falling line") << 0.0 << 40.0 << true << 40 << 160.0 << 160.0 << 199.0 << 197.0;
    QTest::addRow("only the NaN second")
        << 39.5 << 45.0 << false << 0 << qQNaN() << qQNaN() << qQNaN() << qQNaN();
    QTest::addRow("before the data")
        << -10.0 << 0.5 << false << 0 << qQNaN() << qQNaN() << qQNaN() << qQNaN();
}

void TestLegendStats::statsOverTheWindow()
{
    QFETCH(double, x0);
    QFETCH(double, x1);
    QFETCH(bool, p50);
    QFETCH(int, count);
    QFETCH(double, last);
    QFETCH(double, min);
    QFETCH(double, max);
    QFETCH(double, p95);

    const auto &samples = m_data.lanes.front().samples;
    const ui::SeriesStats stats = ui::windowStats(samples, x0, x1,
        [p50](const metrics::LaneSample &s) { return p50 ? s.latencyP50Ms : s.latencyP95Ms; });
    QCOMPARE(stats.count, count);
    if (count == 0) {
        QVERIFY(std::isnan(stats.last) && std::isnan(stats.min) && std::isnan(stats.max)
            && std::isnan(stats.p95));
        QCOMPARE(ui::statsText(stats, 0), QStringLiteral("no data"));
        return;
    }
    QCOMPARE(stats.last, last);
    QCOMPARE(stats.min, min);
    QCOMPARE(stats.max, max);
    QCOMPARE(stats.p95, p95);
}

void TestLegendStats::legendShowsTheStatsOfTheLinkedRange()
{
    ui::LinkedTimeAxis axis;
    axis.setExtent(40.0, 0.0);
    ui::ComparisonView view;
    showOnScreen(view, axis, m_data);
    if (QTest::currentTestFailed())
        return;
    ui::TimeChart *latency = view.columns()[1]->chart(ui::ChartKind::Latency);
    const QString dot = QStringLiteral(" \u00b7 ");
    QCOMPARE(latency->entryStats(kP95),
        QStringLiteral("last 139") + dot + QStringLiteral("min 101") + dot
            + QStringLiteral("max 139") + dot + QStringLiteral("p95 138"));

    // Zoomed to 10.5 - 20.5 s, as a drag would: the stats follow the range.
    axis.zoomTo(10.5, 20.5);
    view.showData(m_data, axis.x0(), axis.x1());
    QCOMPARE(latency->entryStats(kP95),
        QStringLiteral("last 120") + dot + QStringLiteral("min 111") + dot
            + QStringLiteral("max 120") + dot + QStringLiteral("p95 120"));
    // Rates keep a decimal where they have one; whole values print without.
    QCOMPARE(view.columns()[0]->chart(ui::ChartKind::Rate)->entryStats(kArrivals),
        QStringLiteral("last 20") + dot + QStringLiteral("min 11") + dot + QStringLiteral("max 20")
            + dot + QStringLiteral("p95 20"));
    // The SLO line is a constant: no stats.
    QVERIFY(latency->entryStats(QStringLiteral("SLO")).isEmpty());

    // Five entries in the pods chart would take more than two rows in full: the short form,
    // in every lane alike, with the full one on hovering the entry.
    const QString desired = QStringLiteral("desired");
    for (ui::LaneColumn *column : view.columns())
        QCOMPARE(column->chart(ui::ChartKind::Pods)->entryStats(desired),
            QStringLiteral("2 (2\u20132, p95 2)"));
    ui::TimeChart *pods = view.columns()[0]->chart(ui::ChartKind::Pods);
    const QString hover = pods->legendTextAt(pods->legendEntryRect(desired).center());
    QVERIFY2(hover.startsWith(QStringLiteral("desired over the window shown: last 2") + dot
                 + QStringLiteral("min 2") + dot + QStringLiteral("max 2") + dot
                 + QStringLiteral("p95 2\n")),
        qPrintable(hover));
    QVERIFY2(hover.contains(QStringLiteral("Click to hide or show desired")), qPrintable(hover));
    QVERIFY(pods->headerRows() <= 2);

    // The stats sit in the legend next to their name, inside the chart, above the plot.
    const QRect entry = latency->legendEntryRect(kP95);
    QVERIFY(entry.width() > 120);
    QVERIFY2(entry.bottom() < latency->plotRect().top(),
        qPrintable(QString::number(entry.bottom()) + QStringLiteral(" vs ")
            + QString::number(latency->plotRect().top())));
    QVERIFY(entry.right() <= latency->width());
}

void TestLegendStats::legendLeavesThePlotTheLargerPart_data()
{
    using Form = ui::TimeChart::LegendForm;
    QTest::addColumn<int>("lanes");
    QTest::addColumn<Form>("latencyForm");
    QTest::addColumn<Form>("podsForm");
    QTest::addRow("2 lanes: stats") << 2 << Form::Full << Form::Compact;
    QTest::addRow("4 lanes") << 4 << Form::Full << Form::Names;
    QTest::addRow("6 lanes: names alone") << 6 << Form::Names << Form::Names;
}

// However many lanes share the width, each chart's title and legend take at most a third of
// it above the plot (a legend that wraps onto row after row squashed the plots of six lanes
// to a strip), and lanes side by side read alike.
void TestLegendStats::legendLeavesThePlotTheLargerPart()
{
    QFETCH(int, lanes);
    QFETCH(ui::TimeChart::LegendForm, latencyForm);
    QFETCH(ui::TimeChart::LegendForm, podsForm);
    m_data.lanes.clear();
    for (const char *name : {"predictive", "hpa", "kpa", "linear", "holt-winters", "clairvoyant"}) {
        if (static_cast<int>(m_data.lanes.size()) < lanes)
            m_data.lanes.push_back(lane(name, 40));
    }
    // The predictive lane's rate legend has one entry more (its past p90 forecasts): it
    // shows its stats in the same form as the others all the same. At six lanes its label is
    // the short one, so that the legend keeps to two rows (three had taken 64 px over a plot
    // of 117).
    m_data.lanes.front().summary.forecasts = true;
    for (metrics::LaneSample &s : m_data.lanes.front().samples) {
        s.forecastHorizonS = 10.0;
        s.forecastP50 = s.arrivalsPerS;
        s.forecastP90 = s.arrivalsPerS + 1.0;
    }
    ui::LinkedTimeAxis axis;
    axis.setExtent(40.0, 0.0);
    ui::ComparisonView view;
    view.setTimeAxis(&axis);
    view.resize(1600, 860);
    view.show();
    view.showData(m_data, axis.x0(), axis.x1());
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    QTest::qWait(20); // the new columns show and take their size
    view.showData(m_data, axis.x0(), axis.x1());

    for (int k = 0; k < ui::kChartKinds; ++k) {
        const auto kind = static_cast<ui::ChartKind>(k);
        const ui::TimeChart *first = view.columns().front()->chart(kind);
        for (std::size_t i = 0; i < view.columns().size(); ++i) {
            const ui::TimeChart *chart = view.columns()[i]->chart(kind);
            const QRectF plot = chart->plotRect();
            const QString where = QStringLiteral("lane %1, chart %2: plot %3 px under %4 px")
                                      .arg(i)
                                      .arg(k)
                                      .arg(plot.height())
                                      .arg(plot.top());
            QVERIFY2(plot.height() >= 2.0 * plot.top(), qPrintable(where));
            QCOMPARE(chart->legendForm(), first->legendForm());
            QCOMPARE(plot.top(), first->plotRect().top());
            for (const QString &name : chart->legendEntries()) {
                // The past forecasts' entry is named "p90 forecast"; its label adds the horizon.
                const QString entryName = name.endsWith(QStringLiteral(" s ahead")) ? QStringLiteral("p90 forecast") : name;
                const QRect entry = chart->legendEntryRect(entryName);
                QVERIFY2(!entry.isEmpty() && entry.bottom() < plot.top(), qPrintable(name));
                QVERIFY2(entry.right() <= chart->width(), qPrintable(name));
            }
        }
    }
    const QStringList rateEntries = view.columns().front()->chart(ui::ChartKind::Rate)->legendEntries();
    QVERIFY(rateEntries.size() > view.columns().back()->chart(ui::ChartKind::Rate)->legendEntries().size());
    QVERIFY2(rateEntries.contains(lanes < 6 ? QStringLiteral("p90 forecast 10 s ahead") : QStringLiteral("p90 10 s ahead")),
        qPrintable(rateEntries.join(QStringLiteral(", "))));
    QVERIFY(view.columns().front()->chart(ui::ChartKind::Rate)->headerRows() <= 2);
    ui::TimeChart *latency = view.columns().back()->chart(ui::ChartKind::Latency);
    ui::TimeChart *pods = view.columns().back()->chart(ui::ChartKind::Pods);
    QCOMPARE(latency->legendForm(), latencyForm);
    QCOMPARE(pods->legendForm(), podsForm);
    QCOMPARE(pods->legendEntries(),
        QStringList({QStringLiteral("desired"), QStringLiteral("ready"), QStringLiteral("unready"),
            QStringLiteral("starting"), QStringLiteral("load")}));
    QCOMPARE(pods->entryStats(QStringLiteral("desired")).isEmpty(),
        podsForm == ui::TimeChart::LegendForm::Names);

    // Whatever the form, hovering an entry gives its stats in full.
    const QString dot = QStringLiteral(" \u00b7 ");
    const QString hover = latency->legendTextAt(latency->legendEntryRect(kP95).center());
    QVERIFY2(hover.startsWith(QStringLiteral("p95 over the window shown: last 139") + dot
                 + QStringLiteral("min 101") + dot + QStringLiteral("max 139") + dot
                 + QStringLiteral("p95 138")),
        qPrintable(hover));
}

void TestLegendStats::statNumbersStayShort_data()
{
    QTest::addColumn<double>("value");
    QTest::addColumn<int>("decimals");
    QTest::addColumn<QString>("text");
    QTest::addRow("whole") << 31.0 << 1 << QStringLiteral("31");
    QTest::addRow("a decimal") << 12.46 << 1 << QStringLiteral("12.5");
    QTest::addRow("hundreds lose decimals") << 312.4 << 1 << QStringLiteral("312");
    QTest::addRow("thousands") << 2236.0 << 0 << QStringLiteral("2236");
    QTest::addRow("ten thousands") << 12549.0 << 0 << QStringLiteral("12.5k");
    QTest::addRow("never minus zero") << -0.01 << 1 << QStringLiteral("0");
    QTest::addRow("NaN") << qQNaN() << 0 << QStringLiteral("\u2014");
}

void TestLegendStats::statNumbersStayShort()
{
    QFETCH(double, value);
    QFETCH(int, decimals);
    QFETCH(QString, text);
    QCOMPARE(ui::statNumber(value, decimals), text);
}

void TestLegendStats::breachSpans_data()
{
    QTest::addColumn<QList<double>>("latency"); // p95 of t = 1, 2, ...
    QTest::addColumn<double>("x0");
    QTest::addColumn<double>("x1");
    QTest::addColumn<double>("minGap");
    QTest::addColumn<QList<QPointF>>("spans"); // (x0, x1) each
    QTest::addColumn<QList<int>>("seconds");
    QTest::addColumn<QList<double>>("peaks");

    const double nan = qQNaN();
    // Over 500 ms at t = 2, 3 | 5 | 7, 8 | 12 | 15; t = 6, 10 and 11 have no latency (NaN).
    // t = 15 is the latest sample: its breach has no width yet.
    const QList<double> latency
        = {100, 600, 700, 400, 800, nan, 900, 900, 300, nan, nan, 550, 500, 200, 600};
    QTest::addRow("NaN seconds split spans and never breach")
        << latency << 0.0 << 20.0 << 0.0
        << QList<QPointF> {{2, 4}, {5, 6}, {7, 9}, {12, 13}} << QList<int> {2, 1, 2, 1}
        << QList<double> {700, 800, 900, 550};
    // The second [7, 8) reaches into a window from 7.5; t = 13 is 500, at the SLO, not over.
    QTest::addRow("window") << latency << 7.5 << 13.0 << 0.0 << QList<QPointF> {{7, 9}, {12, 13}}
                            << QList<int> {2, 1} << QList<double> {900, 550};
    // Gaps of up to 2 s merge (5 - 4, 7 - 6, 15 - 13), the 3 s one (12 - 9) does not.
    QTest::addRow("merged within a gap")
        << latency << 0.0 << 20.0 << 2.0 << QList<QPointF> {{2, 9}, {12, 15}} << QList<int> {5, 2}
        << QList<double> {900, 600};
    // The latest sample (t = 15) ends the data: the span of t = 14, 15 stops there.
    QTest::addRow("up to the latest sample")
        << QList<double> {100, 600, 200, 700, 800} << 0.0 << 20.0 << 0.0
        << QList<QPointF> {{2, 3}, {4, 5}} << QList<int> {1, 2} << QList<double> {600, 800};
    QTest::addRow("a breach at the latest sample alone waits for the next")
        << QList<double> {100, 600, 200, 700} << 0.0 << 20.0 << 0.0
        << QList<QPointF> {{2, 3}} << QList<int> {1} << QList<double> {600};
    QTest::addRow("all NaN") << QList<double> {nan, nan, nan} << 0.0 << 10.0 << 0.0
                             << QList<QPointF> {} << QList<int> {} << QList<double> {};
}

void TestLegendStats::breachSpans()
{
    QFETCH(QList<double>, latency);
    QFETCH(double, x0);
    QFETCH(double, x1);
    QFETCH(double, minGap);
    QFETCH(QList<QPointF>, spans);
    QFETCH(QList<int>, seconds);
    QFETCH(QList<double>, peaks);

    std::vector<metrics::LaneSample> samples;
    for (qsizetype i = 0; i < latency.size(); ++i) {
        metrics::LaneSample s;
        s.tS = static_cast<double>(i + 1);
        s.latencyP95Ms = latency[i];
        samples.push_back(s);
    }
    const auto found = ui::breachSpans(
        samples, 500.0, x0, x1, [](const metrics::LaneSample &s) { return s.latencyP95Ms; },
        minGap);
    QCOMPARE(qsizetype(found.size()), spans.size());
    for (qsizetype i = 0; i < spans.size(); ++i) {
        const auto &span = found[static_cast<std::size_t>(i)];
        QCOMPARE(QPointF(span.x0, span.x1), spans[i]);
        QCOMPARE(span.seconds, seconds[i]);
        QCOMPARE(span.peak, peaks[i]);
    }
}

void TestLegendStats::breachesAreShadedOverTheSloLine()
{
    // p95 over the 500 ms SLO at t = 10 ... 14 and at t = 20; NaN at 16 to 18.
    ui::ComparisonData::Lane &lane = m_data.lanes.front();
    for (metrics::LaneSample &s : lane.samples) {
        const int t = static_cast<int>(s.tS);
        s.latencyP95Ms = (t >= 10 && t <= 14) || t == 20 ? 900.0 : 200.0;
        if (t >= 16 && t <= 18)
            s.latencyP95Ms = std::nan("");
    }
    ui::LaneColumn column(QStringLiteral("predictive"));
    column.resize(600, 700);
    column.show();
    QVERIFY(QTest::qWaitForWindowExposed(&column));
    column.showLane(m_data, lane, 0.0, 40.0, ui::lockedScales(m_data, 0.0, 40.0));
    ui::TimeChart *latency = column.chart(ui::ChartKind::Latency);
    QCOMPARE(latency->markerCount(Kind::Region), 2);
    QCOMPARE(column.chart(ui::ChartKind::Rate)->markerCount(Kind::Region), 0);
    QCOMPARE(column.chart(ui::ChartKind::Pods)->markerCount(Kind::Region), 0);

    // Hovering over the band, above the SLO line, says what it is; below the line, nothing.
    const QRectF plot = latency->plotRect();
    const qreal x = latency->widgetXAt(12.5);
    const qreal sloY = plot.bottom()
        - (500.0 - latency->yMin()) / (latency->yMax() - latency->yMin()) * plot.height();
    const QString above = latency->markerTextAt(QPoint(int(x), int(sloY - 10)));
    QVERIFY2(above.contains(QStringLiteral("p95 over the 500 ms SLO: 5 s from 10 s to 15 s")),
        qPrintable(above));
    QVERIFY2(above.contains(QStringLiteral("peak 900 ms")), qPrintable(above));
    QVERIFY(latency->markerTextAt(QPoint(int(x), int(sloY + 10))).isEmpty());
    // No band over the NaN seconds.
    QVERIFY(latency->markerTextAt(QPoint(int(latency->widgetXAt(17.0)), int(sloY - 10))).isEmpty());

    // A redraw (live data) draws them again, not twice.
    column.showLane(m_data, lane, 0.0, 40.0, ui::lockedScales(m_data, 0.0, 40.0));
    QCOMPARE(latency->markerCount(Kind::Region), 2);
}

void TestLegendStats::breachesShowInExportsAndDarkTheme()
{
    ui::ComparisonData::Lane &lane = m_data.lanes.front();
    for (metrics::LaneSample &s : lane.samples)
        s.latencyP95Ms = s.tS >= 10 && s.tS <= 30 ? 900.0 : 200.0;

    // The export draws the band: the breach red over white, as a shaded span blends.
    const QImage image = ui::renderComparison(m_data, QSize(1200, 800), 1.0);
    const QColor shade = ui::sloBreachColor(false);
    const double a = shade.alphaF();
    const auto blend = [a](int c) { return static_cast<int>(std::lround(c * a + 255 * (1 - a))); };
    const QColor expected(blend(shade.red()), blend(shade.green()), blend(shade.blue()));
    int shaded = 0;
    for (int y = 0; y < image.height(); ++y) {
        for (int x = 0; x < image.width(); ++x) {
            const QColor c = image.pixelColor(x, y);
            shaded += std::abs(c.red() - expected.red()) <= 3
                    && std::abs(c.green() - expected.green()) <= 3
                    && std::abs(c.blue() - expected.blue()) <= 3
                ? 1
                : 0;
        }
    }
    QVERIFY2(shaded > 1000, qPrintable(QString::number(shaded)));
    ui::ComparisonView exported;
    QVERIFY(exported.keyText().contains(QStringLiteral("p95 latency over the SLO")));

    // The dark theme shades the same spans, in its own red.
    ui::LaneColumn column(QStringLiteral("predictive"));
    column.setTheme(ui::TimeChart::Theme::Dark);
    column.resize(600, 700);
    column.showLane(m_data, lane, 0.0, 40.0, ui::lockedScales(m_data, 0.0, 40.0));
    QCOMPARE(column.chart(ui::ChartKind::Latency)->markerCount(Kind::Region), 1);
    QVERIFY(ui::sloBreachColor(true) != ui::sloBreachColor(false));
}

void TestLegendStats::exportsLeaveHiddenSeriesOut()
{
    // The p95 line is vermillion (#d55e00); count its pixels in the exported picture.
    const auto vermillion = [](const QImage &image) {
        int n = 0;
        for (int y = 0; y < image.height(); ++y) {
            for (int x = 0; x < image.width(); ++x) {
                const QColor c = image.pixelColor(x, y);
                n += std::abs(c.red() - 0xd5) <= 12 && std::abs(c.green() - 0x5e) <= 12
                        && std::abs(c.blue() - 0x00) <= 12
                    ? 1
                    : 0;
            }
        }
        return n;
    };
    const int shown = vermillion(ui::renderComparison(m_data, QSize(1200, 800), 1.0));
    QVERIFY2(shown > 200, qPrintable(QString::number(shown)));
    ui::ComparisonData hidden = m_data;
    hidden.hiddenSeries[static_cast<std::size_t>(ui::ChartKind::Latency)] << kP95;
    const int left = vermillion(ui::renderComparison(hidden, QSize(1200, 800), 1.0));
    // Neither the line nor its swatch: what remains is antialiasing of other colours.
    QVERIFY2(left < shown / 20, qPrintable(QString::number(left) + " of " + QString::number(shown)));
}

QTEST_MAIN(TestLegendStats)
#include "tst_legendstats.moc"
