#include "comparisonview.h"
#include "eventstyle.h"
#include "lanecolumn.h"

#include <QApplication>
#include <QLayout>
#include <QGraphicsSimpleTextItem>
#include <QGraphicsView>
#include <QRegularExpression>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace headroom;
using Kind = ui::TimeChart::MarkerKind;

class TestLaneColumn : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void eventsBecomeMarkersInEveryChart();
    void openRegionRunsToTheEndOfTheData();
    void closeEventsMergeIntoOneMarker();
    void podsChartShowsUnreadyOnWholeNumberTicks();
    void lockedScalesCountUnreadyPods();
    void forecastingLaneDrawsItsBandAheadOfNow();
    void pastForecastsAreDrawnAtTheirTargetTime();
    void finishedRunHasNoBand();
    void lookaheadShowsTheBandWithoutSquashingThePast();
    void forecastRaisesTheRateAxisWithinLimits();
    void fallbackSpansShadeApartFromPanic();
    void panicAndSloBreachShadesReadApart_data();
    void panicAndSloBreachShadesReadApart();
    void sparseBreachesShadeFainterThanSustainedOnes();
    void shortFallbackSpansMergeIntoAFaintBand();
    void holeIsAGapInArrivalsAndCompletions();
    void latencyChartSaysHowManyItLeavesOut();
    void latencyChartSaysWhenEveryRequestTimedOut();
    void aFixedRangeThatHidesEveryValueSaysSo();
    void aDenseWindowDrawsTheMeanOverItsRange();

private:
    static metrics::LaneEvent event(
        double tS, const char *kind, const char *text, const char *region = "", bool opens = false);
    void show();
    // seed-spike's shape up to 35 s, forecast by a lane that predicts 10 s ahead.
    static ui::ComparisonData::Lane forecastingLane(double nowS);

    ui::ComparisonData m_data;
    std::unique_ptr<ui::LaneColumn> m_column;
};

metrics::LaneEvent TestLaneColumn::event(
    double tS, const char *kind, const char *text, const char *region, bool opens)
{
    return {tS, kind, text, region, opens};
}

void TestLaneColumn::init()
{
    m_data = {};
    m_data.title = "markers";
    m_data.durationS = 70.0;
    m_data.spikes.push_back({20.0, 40.0, 3.0});
    ui::ComparisonData::Lane lane;
    lane.controller = "kpa";
    for (int t = 1; t <= 70; ++t) {
        metrics::LaneSample s;
        s.tS = t;
        s.arrivalsPerS = 10.0;
        s.podsDesired = 4;
        s.podsReady = t < 30 ? 2 : 4;
        s.podsUnready = t >= 30 && t < 40 ? 13 : 0;
        lane.samples.push_back(s);
    }
    lane.events = {event(10.0, "scale", "KPA 2 -> 4 (stable, concurrency 3.1)"),
        event(20.0, "condition", "HPA ScalingLimited=True ScaleUpLimit"),
        event(30.0, "condition", "KPA entering panic", "KPA panic", true),
        event(50.0, "condition", "KPA exiting panic", "KPA panic", false),
        event(60.0, "condition", "KPA entering panic again", "KPA panic", true)};
    m_data.lanes.push_back(lane);
    m_column = std::make_unique<ui::LaneColumn>(QStringLiteral("kpa"));
    m_column->resize(500, 700);
}

void TestLaneColumn::show()
{
    const ui::ChartScales scales = ui::lockedScales(m_data, 0.0, 70.0);
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 70.0, scales);
}

void TestLaneColumn::eventsBecomeMarkersInEveryChart()
{
    show();
    const QList<ui::TimeChart *> charts = m_column->charts();
    QCOMPARE(charts.size(), 3);
    for (const ui::TimeChart *chart : charts) {
        QCOMPARE(chart->markerCount(Kind::Line), 1); // the scale event
        QCOMPARE(chart->markerCount(Kind::Flag), 4); // every condition, panic ones included
        QCOMPARE(chart->markerCount(Kind::Region), 3); // the spike and two panics
    }
}

void TestLaneColumn::openRegionRunsToTheEndOfTheData()
{
    m_data.lanes.front().events.pop_back();
    m_data.lanes.front().events.pop_back(); // the panic from 30 s never closes
    show();
    for (const ui::TimeChart *chart : m_column->charts())
        QCOMPARE(chart->markerCount(Kind::Region), 2);
}

void TestLaneColumn::closeEventsMergeIntoOneMarker()
{
    auto &events = m_data.lanes.front().events;
    events.insert(events.begin() + 2, event(20.01, "condition", "HPA AbleToScale=True"));
    show();
    // 0.01 s apart is under a pixel: one flag, whose hover text names both.
    QCOMPARE(m_column->charts().front()->markerCount(Kind::Flag), 4);
}

void TestLaneColumn::podsChartShowsUnreadyOnWholeNumberTicks()
{
    show();
    const ui::TimeChart *pods = m_column->charts().at(2);
    QVERIFY(pods->legendEntries().contains(QStringLiteral("unready")));
    QVERIFY(pods->legendEntries().contains(QStringLiteral("starting")));
    const double interval = pods->yTickInterval();
    QVERIFY2(interval >= 1.0 && std::abs(interval - std::round(interval)) < 1e-9,
        qPrintable(QString::number(interval)));
    QVERIFY(pods->yMax() >= 13.0);
}

void TestLaneColumn::lockedScalesCountUnreadyPods()
{
    QCOMPARE(ui::lockedScales(m_data, 0.0, 70.0).podsMax, 13.0);
}

namespace {

const QString kBand = QStringLiteral("forecast p50-p90");
// The 11 horizons a forecast covers, seconds ahead.
const std::vector<double> kHorizons {5, 10, 15, 20, 25, 30, 45, 60, 90, 120, 180};

int pointsAfter(const QList<QPointF> &points, double x)
{
    return static_cast<int>(
        std::count_if(points.begin(), points.end(), [x](const QPointF &p) { return p.x() > x; }));
}

} // namespace

ui::ComparisonData::Lane TestLaneColumn::forecastingLane(double nowS)
{
    ui::ComparisonData::Lane lane;
    lane.controller = "predictive";
    lane.summary.controller = "predictive";
    lane.summary.forecasts = true;
    for (int t = 1; t <= nowS; ++t) {
        metrics::LaneSample s;
        s.tS = t;
        s.arrivalsPerS = t >= 20 ? 30.0 : 5.0;
        s.podsDesired = 3;
        s.podsReady = 3;
        s.forecastHorizonS = 10.0;
        s.forecastP50 = t + 10 >= 20 ? 28.0 : 5.0;
        s.forecastP90 = s.forecastP50 + 4.0;
        lane.samples.push_back(s);
    }
    metrics::ForecastCurve curve;
    curve.madeAtS = nowS;
    for (double h : kHorizons) {
        curve.horizonsS.push_back(h);
        curve.p50.push_back(29.0 - h / 30.0);
        curve.p90.push_back(33.0 + h / 20.0);
    }
    lane.forecastCurve = curve;
    return lane;
}

void TestLaneColumn::forecastingLaneDrawsItsBandAheadOfNow()
{
    constexpr double now = 35.0;
    ui::ComparisonData data = m_data;
    data.lanes = {forecastingLane(now), m_data.lanes.front()}; // predictive, then the KPA
    ui::ComparisonView view;
    view.resize(1400, 900);
    const double x1 = now + ui::forecastLookaheadS(data, now);
    view.showData(data, 0.0, x1);
    QCOMPARE(view.columns().size(), 2u);

    const ui::TimeChart *rate = view.columns()[0]->charts().front();
    const QList<QPointF> band = rate->bandUpper(kBand);
    // Where the forecast starts (now), then one point per horizon, the farthest 180 s ahead.
    QVERIFY2(pointsAfter(band, now) >= 11, qPrintable(QString::number(band.size())));
    QCOMPARE(band.first().x(), now);
    QCOMPARE(band.last().x(), now + 180.0);
    QVERIFY(rate->legendEntries().contains(kBand));
    QVERIFY2(rate->xMax() > now + 25.0, qPrintable(QString::number(rate->xMax())));

    // A forecast made 3 s ago (the model runs once a step): the band starts at now, where
    // the line from the rate then (30 req/s) to the first horizon's p90 (33.25 at 37 s) is;
    // it started at 32 s, over seconds already seen (a new-user trial).
    {
        ui::ComparisonData older = data;
        older.lanes[0].forecastCurve->madeAtS = now - 3.0;
        ui::ComparisonView again;
        again.resize(1400, 900);
        again.showData(older, 0.0, x1);
        const ui::TimeChart *chart = again.columns()[0]->charts().front();
        const QList<QPointF> upper = chart->bandUpper(kBand);
        QCOMPARE(upper.first().x(), now);
        QVERIFY2(std::abs(upper.first().y() - (30.0 + 0.6 * 3.25)) < 1e-9, qPrintable(QString::number(upper.first().y())));
        QCOMPARE(upper.at(1).x(), now + 2.0);
        QCOMPARE(upper.last().x(), now - 3.0 + 180.0);
    }

    // The KPA does not forecast: no band, no forecast legend entry, same time axis.
    const ui::TimeChart *kpaRate = view.columns()[1]->charts().front();
    QVERIFY(kpaRate->bandUpper(kBand).isEmpty());
    for (const QString &entry : kpaRate->legendEntries())
        QVERIFY2(!entry.contains(QStringLiteral("forecast")), qPrintable(entry));
    QCOMPARE(kpaRate->xMax(), rate->xMax());
}

void TestLaneColumn::pastForecastsAreDrawnAtTheirTargetTime()
{
    ui::ComparisonData data = m_data;
    data.lanes = {forecastingLane(35.0)};
    ui::LaneColumn column(QStringLiteral("predictive"));
    column.resize(600, 700);
    // Laid out at its width: a narrow chart gives the entry its short label.
    column.show();
    QVERIFY(QTest::qWaitForWindowExposed(&column));
    column.showLane(data, data.lanes.front(), 0.0, 70.0, ui::lockedScales(data, 0.0, 70.0));
    // The legend says how far ahead the plotted p90 was forecast.
    QVERIFY2(column.charts().front()->legendEntries().contains(
                 QStringLiteral("p90 forecast 10 s ahead")),
        qPrintable(column.charts().front()->legendEntries().join(QLatin1Char('|'))));
}

void TestLaneColumn::finishedRunHasNoBand()
{
    ui::ComparisonData data = m_data;
    data.lanes = {forecastingLane(35.0)};
    data.lanes.front().forecastCurve.reset();
    ui::LaneColumn column(QStringLiteral("predictive"));
    column.resize(600, 700);
    column.showLane(data, data.lanes.front(), 0.0, 70.0, ui::lockedScales(data, 0.0, 70.0));
    const ui::TimeChart *rate = column.charts().front();
    QVERIFY(rate->bandUpper(kBand).isEmpty());
    QVERIFY(!rate->legendEntries().contains(kBand));
    QCOMPARE(ui::forecastLookaheadS(data, 70.0), 0.0);
}

void TestLaneColumn::lookaheadShowsTheBandWithoutSquashingThePast()
{
    ui::ComparisonData data = m_data; // the KPA alone: nothing to show ahead
    QCOMPARE(ui::forecastLookaheadS(data, 35.0), 0.0);
    data.lanes.push_back(forecastingLane(35.0));
    QCOMPARE(ui::forecastLookaheadS(data, 35.0), 30.0); // at least 30 s
    QCOMPARE(ui::forecastLookaheadS(data, 300.0), 100.0); // a third of the past
    QCOMPARE(ui::forecastLookaheadS(data, 3600.0), 180.0); // at most the longest horizon
    data.lanes.back().samples.back().forecastHorizonS = 125.0; // a slow-starting preset
    QCOMPARE(ui::forecastLookaheadS(data, 60.0), 125.0); // the horizon decided on shows
}

void TestLaneColumn::forecastRaisesTheRateAxisWithinLimits()
{
    ui::ComparisonData data = m_data;
    data.lanes = {forecastingLane(35.0)};
    // Observed at most 30 req/s; the band's p90 reaches 33 + 30 / 20 = 34.5 within 30 s.
    QCOMPARE(ui::lockedScales(data, 0.0, 65.0).rateMax, 34.5);
    // A wild forecast stops at 1.5 times the largest observed rate.
    data.lanes.front().forecastCurve->p90.assign(kHorizons.size(), 500.0);
    QCOMPARE(ui::lockedScales(data, 0.0, 65.0).rateMax, 45.0);
}

void TestLaneColumn::fallbackSpansShadeApartFromPanic()
{
    auto &events = m_data.lanes.front().events;
    const metrics::LaneEvent opens
        = event(5.0, "fallback", "predictive: reactive rule (warming up)", "reactive fallback", true);
    events.push_back(opens);
    events.push_back(event(15.0, "fallback", "predictive: model back in control",
        "reactive fallback", false));
    std::stable_sort(events.begin(), events.end(),
        [](const metrics::LaneEvent &a, const metrics::LaneEvent &b) { return a.tS < b.tS; });
    show();
    for (const ui::TimeChart *chart : m_column->charts()) {
        QCOMPARE(chart->markerCount(Kind::Region), 4); // spike, two panics, the fallback
        QCOMPARE(chart->markerCount(Kind::Line), 1); // the scale event only: spans are shaded
    }

    QCOMPARE(ui::eventMark(opens), ui::EventMark::FallbackRegion);
    for (bool dark : {false, true}) {
        const QColor fallback = ui::eventMarkColor(ui::EventMark::FallbackRegion, dark);
        QVERIFY(fallback != ui::eventMarkColor(ui::EventMark::Region, dark));
        QVERIFY(fallback != ui::eventMarkColor(ui::EventMark::Spike, dark));
        QVERIFY(fallback.alpha() < 128); // a shade the lines show through
    }
}

namespace {

// How far apart two hues are around the colour wheel, in degrees (0 to 180).
int hueDistance(const QColor &a, const QColor &b)
{
    const int d = std::abs(a.hsvHue() - b.hsvHue()) % 360;
    return std::min(d, 360 - d);
}

// A shade as the eye takes it: a pale tint, but a tint, so its hue means something.
bool tinted(const QColor &c)
{
    return c.hsvSaturationF() > 0.06;
}

// The swatch colour the key under the charts gives the entry reading `text`.
QColor keySwatch(const QString &key, const QString &text)
{
    const QRegularExpression swatch(
        QStringLiteral("background-color:(#[0-9a-f]{6})\">[^<]*</span> ")
        + QRegularExpression::escape(text));
    const QRegularExpressionMatch match = swatch.match(key);
    return match.hasMatch() ? QColor(match.captured(1)) : QColor();
}

} // namespace

void TestLaneColumn::panicAndSloBreachShadesReadApart_data()
{
    QTest::addColumn<bool>("dark");
    QTest::addRow("light") << false;
    QTest::addRow("dark") << true;
}

// KPA panics as latency climbs: its span and the p95-over-SLO one often sit side by side or
// overlap, and must not read as one shade.
void TestLaneColumn::panicAndSloBreachShadesReadApart()
{
    QFETCH(bool, dark);
    const auto theme = dark ? ui::TimeChart::Theme::Dark : ui::TimeChart::Theme::Light;
    // Panic from 30 to 50 s (init); p95 over the 500 ms SLO from 52 to 58 s, out of any panic.
    m_data.sloLatencyMs = 500.0;
    for (metrics::LaneSample &s : m_data.lanes.front().samples) {
        s.latencyP50Ms = 100.0;
        s.latencyP95Ms = s.tS >= 52 && s.tS <= 58 ? 900.0 : 200.0;
    }
    m_column->setTheme(theme);
    m_column->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_column.get()));
    show();
    ui::TimeChart *latency = m_column->chart(ui::ChartKind::Latency);
    QCOMPARE(latency->markerCount(Kind::Region), 4); // the spike, two panics, the breach

    // Sample each shade between the SLO line and the top of the plot, clear of lines, ticks
    // and flags: panic alone at 45 s, the breach alone at 55 s.
    const QImage image = latency->grab().toImage();
    const qreal dpr = image.devicePixelRatio();
    const QRectF plot = latency->plotRect();
    const qreal y = plot.bottom()
        - (620.0 - latency->yMin()) / (latency->yMax() - latency->yMin()) * plot.height();
    const auto pixelAt = [&](double tS) {
        return image.pixelColor(QPoint(int(latency->widgetXAt(tS) * dpr), int(y * dpr)));
    };
    const QColor panic = pixelAt(45.0);
    const QColor breach = pixelAt(55.0);
    const QString seen = panic.name() + QStringLiteral(" vs ") + breach.name();
    QVERIFY2(tinted(panic) && tinted(breach), qPrintable(seen));
    QVERIFY2(hueDistance(panic, breach) >= 60, qPrintable(seen));

    // The key under the charts tells them apart the same way.
    ui::ComparisonView view;
    view.setTheme(theme);
    const QColor keyPanic = keySwatch(view.keyText(), QStringLiteral("controller states"));
    const QColor keyBreach = keySwatch(view.keyText(), QStringLiteral("p95 latency over the SLO"));
    QVERIFY2(keyPanic.isValid() && keyBreach.isValid(), qPrintable(view.keyText()));
    QVERIFY2(hueDistance(keyPanic, keyBreach) >= 60,
        qPrintable(keyPanic.name() + QStringLiteral(" vs ") + keyBreach.name()));
    QVERIFY(hueDistance(keyPanic, panic) < 20); // the key's swatch is the chart's shade
}

// At a coarse zoom, breaches a few pixels apart merge into one band. A band in which one
// second in a hundred was over the SLO must not read like one that was over throughout
// (a month of NASA at its own pace shaded the HPA's whole latency chart for 0.15 % of seconds).
void TestLaneColumn::sparseBreachesShadeFainterThanSustainedOnes()
{
    const double endS = 20000.0;
    m_data = {};
    m_data.title = "breaches";
    m_data.durationS = endS;
    m_data.sloLatencyMs = 500.0;
    ui::ComparisonData::Lane lane;
    lane.controller = "hpa";
    for (int t = 1; t <= static_cast<int>(endS); ++t) {
        metrics::LaneSample s;
        s.tS = t;
        s.arrivalsPerS = 10.0;
        s.podsDesired = s.podsReady = 2;
        s.latencyP50Ms = 100.0;
        // Over throughout from 12,000 to 14,000 s; one second in a hundred from 15,000 to
        // 19,500 s (right of the legend, which overlaps the plot's top left at this size).
        const bool sustained = t >= 12000 && t < 14000;
        const bool sparse = t >= 15000 && t < 19500 && t % 100 == 0;
        s.latencyP95Ms = sustained || sparse ? 900.0 : 200.0;
        lane.samples.push_back(s);
    }
    m_data.lanes.push_back(lane);
    m_column->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_column.get()));
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, endS, ui::lockedScales(m_data, 0.0, endS));
    ui::TimeChart *latency = m_column->chart(ui::ChartKind::Latency);
    // 100 s apart is under the few pixels that merge: one band each.
    QCOMPARE(latency->markerCount(Kind::Region), 2);

    const QImage image = latency->grab().toImage();
    const qreal dpr = image.devicePixelRatio();
    const QRectF plot = latency->plotRect();
    // Just under the top of the plot, above the p95 line's 900 ms peaks, right of the legend.
    QVERIFY(latency->yMax() > 900.0);
    const qreal y = plot.top() + 3.0;
    const auto pixelAt = [&](double tS) {
        return image.pixelColor(QPoint(int(latency->widgetXAt(tS) * dpr), int(y * dpr)));
    };
    const QColor sustained = pixelAt(13000.0);
    const QColor sparse = pixelAt(17050.0);
    const QColor clear = pixelAt(14500.0);
    const QString seen = sustained.name() + QStringLiteral(" / ") + sparse.name()
        + QStringLiteral(" / ") + clear.name();
    // Still shaded, so that the band is there to hover, but at most half as deep.
    QVERIFY2(sparse != clear, qPrintable(seen));
    QVERIFY2(sparse.hsvSaturationF() <= 0.5 * sustained.hsvSaturationF(), qPrintable(seen));
    QVERIFY2(tinted(sustained), qPrintable(seen));
}

// A month of a forecasting lane drew its thousands of short fallback spans one over another
// into solid grey bars. Spans of a state a few pixels apart merge into one band, shaded by the
// share of its seconds in the state, that says what it holds.
void TestLaneColumn::shortFallbackSpansMergeIntoAFaintBand()
{
    const double endS = 20000.0;
    m_data = {};
    m_data.title = "fallbacks";
    m_data.durationS = endS;
    ui::ComparisonData::Lane lane;
    lane.controller = "predictive";
    for (int t = 1; t <= static_cast<int>(endS); ++t) {
        metrics::LaneSample s;
        s.tS = t;
        s.arrivalsPerS = 1.0;
        s.podsDesired = s.podsReady = 1;
        s.latencyP50Ms = s.latencyP95Ms = 100.0;
        lane.samples.push_back(s);
    }
    const auto fallback = [&](double from, double to) {
        lane.events.push_back(event(from, "fallback", "predictive: reactive rule (forecast error)",
            "reactive fallback", true));
        lane.events.push_back(
            event(to, "fallback", "predictive: model back in control", "reactive fallback", false));
    };
    // On the fallback throughout from 12,000 to 14,000 s; 10 s in every 100 s from 15,000 s.
    fallback(12000.0, 14000.0);
    for (double t = 15000.0; t < 19500.0; t += 100.0)
        fallback(t, t + 10.0);
    m_data.lanes.push_back(lane);
    m_column->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_column.get()));
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, endS, ui::lockedScales(m_data, 0.0, endS));
    ui::TimeChart *pods = m_column->chart(ui::ChartKind::Pods);
    QCOMPARE(pods->markerCount(Kind::Region), 2); // the long span, and one band of 45 short ones

    const QImage image = pods->grab().toImage();
    const qreal dpr = image.devicePixelRatio();
    const QRectF plot = pods->plotRect();
    const qreal y = plot.top() + 0.5 * plot.height(); // above the one pod's lines
    const auto pixelAt = [&](double tS) {
        return image.pixelColor(QPoint(int(pods->widgetXAt(tS) * dpr), int(y * dpr)));
    };
    const QColor sustained = pixelAt(13000.0);
    const QColor sparse = pixelAt(17050.0);
    const QColor clear = pixelAt(14500.0);
    const QString seen = sustained.name() + QStringLiteral(" / ") + sparse.name()
        + QStringLiteral(" / ") + clear.name();
    // How far a pixel is from the clear background: the band's is at most half the long span's.
    const auto depth = [&](const QColor &c) {
        return std::abs(c.red() - clear.red()) + std::abs(c.green() - clear.green())
            + std::abs(c.blue() - clear.blue());
    };
    QVERIFY2(depth(sustained) > 0 && depth(sparse) > 0, qPrintable(seen));
    QVERIFY2(depth(sparse) * 2 <= depth(sustained), qPrintable(seen));
    // Hovering the band says what it merges.
    const QString text = pods->markerTextAt(QPoint(int(pods->widgetXAt(17050.0)), int(y)));
    QVERIFY2(text.contains(QStringLiteral("45 spans")) && text.contains(QStringLiteral("450 s")),
        qPrintable(text));
}

// A y range the user fixed away from every value left the chart blank (a new-user trial): it says
// so, with the values' span; a range that shows some values, or none fixed, says nothing.
void TestLaneColumn::aFixedRangeThatHidesEveryValueSaysSo()
{
    ui::ChartScales scales = ui::lockedScales(m_data, 0.0, 70.0);
    scales.fixed[static_cast<std::size_t>(ui::ChartKind::Latency)] = ui::FixedYRange {20000.0, 30000.0};
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 70.0, scales);
    const ui::TimeChart *latency = m_column->charts().at(static_cast<int>(ui::ChartKind::Latency));
    QVERIFY2(latency->plotNote().startsWith(QStringLiteral("Every value here (")), qPrintable(latency->plotNote()));
    QVERIFY2(latency->plotNote().contains(QStringLiteral("lies outside the fixed y range 20,000 to 30,000: right-click the chart to reset it")),
             qPrintable(latency->plotNote()));
    QVERIFY(m_column->charts().at(static_cast<int>(ui::ChartKind::Rate))->plotNote().isEmpty());
    scales.fixed[static_cast<std::size_t>(ui::ChartKind::Latency)] = ui::FixedYRange {0.0, 20000.0};
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 70.0, scales);
    QVERIFY(latency->plotNote().isEmpty());
    scales.fixed[static_cast<std::size_t>(ui::ChartKind::Pods)] = ui::FixedYRange {500.0, 600.0};
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 70.0, scales);
    const ui::TimeChart *pods = m_column->charts().at(static_cast<int>(ui::ChartKind::Pods));
    QVERIFY2(pods->plotNote().contains(QStringLiteral("fixed y range 500 to 600")), qPrintable(pods->plotNote()));
    // Small and huge ranges read as written: not "0.00 to 0.00", not "100000000000".
    scales.fixed[static_cast<std::size_t>(ui::ChartKind::Pods)] = ui::FixedYRange {0.001, 0.002};
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 70.0, scales);
    QVERIFY2(pods->plotNote().contains(QStringLiteral("fixed y range 0.001 to 0.002:")), qPrintable(pods->plotNote()));
    scales.fixed[static_cast<std::size_t>(ui::ChartKind::Pods)] = ui::FixedYRange {1e11, 2e11};
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 70.0, scales);
    QVERIFY2(pods->plotNote().contains(QStringLiteral("fixed y range 100,000,000,000 to 200,000,000,000:")),
        qPrintable(pods->plotNote()));
    scales.fixed = {};
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 70.0, scales);
    QVERIFY(pods->plotNote().isEmpty());
}

// Days on a few hundred pixels: min and max per pixel filled the plot from the bottom of the
// noise to its top (a green slab 0-5 for completions over 27 days). A dense window draws each
// pixel's mean, and its range faintly behind the chart's own quantity only.
void TestLaneColumn::aDenseWindowDrawsTheMeanOverItsRange()
{
    constexpr int kSeconds = 2 * 86400;
    m_data.durationS = kSeconds;
    m_data.spikes.clear();
    ui::ComparisonData::Lane &lane = m_data.lanes.front();
    lane.events.clear();
    lane.samples.clear();
    for (int t = 1; t <= kSeconds; ++t) {
        metrics::LaneSample s;
        s.tS = t;
        // A daily wave, the seconds alternating 2 above and 2 below it.
        const double wave = 10.0 + 5.0 * std::sin(2.0 * M_PI * t / 86400.0);
        s.arrivalsPerS = wave + (t % 2 ? 2.0 : -2.0);
        s.completedPerS = s.arrivalsPerS;
        s.latencyP50Ms = 100.0;
        s.latencyP95Ms = t % 2 ? 300.0 : 200.0;
        s.podsDesired = t % 2 ? 3 : 2;
        s.podsReady = 2;
        lane.samples.push_back(s);
    }
    const ui::ChartScales scales = ui::lockedScales(m_data, 0.0, kSeconds);
    m_column->showLane(m_data, lane, 0.0, kSeconds, scales);
    const ui::TimeChart *rate = m_column->chart(ui::ChartKind::Rate);
    const int buckets = rate->plotWidth();
    QVERIFY2(kSeconds > 8 * buckets, "the window must be dense");

    const QList<QList<QPointF>> arrivals = rate->lineSegments(QStringLiteral("arrivals/s"));
    QCOMPARE(arrivals.size(), 1);
    QVERIFY(arrivals.front().size() <= buckets + 1);
    // The mean follows the wave within a little; min and max pairs would sit 2 off it.
    for (const QPointF &p : arrivals.front())
        QVERIFY2(std::abs(p.y() - (10.0 + 5.0 * std::sin(2.0 * M_PI * p.x() / 86400.0))) < 0.5,
            qPrintable(QStringLiteral("arrivals at %1 s: %2").arg(p.x()).arg(p.y())));
    // The range behind it reaches the noise's top and bottom: the peak 17 and the trough 3.
    const auto [lower, upper] = rate->lineEnvelope(QStringLiteral("arrivals/s"));
    QCOMPARE(lower.size(), arrivals.front().size());
    double top = 0.0;
    double bottom = 100.0;
    for (int i = 0; i < upper.size(); ++i) {
        QVERIFY(upper[i].y() - lower[i].y() >= 3.9);
        top = std::max(top, upper[i].y());
        bottom = std::min(bottom, lower[i].y());
    }
    QVERIFY2(top > 16.9 && bottom < 3.1, qPrintable(QStringLiteral("%1-%2").arg(bottom).arg(top)));
    QVERIFY(rate->legendTextAt(rate->legendEntryRect(QStringLiteral("arrivals/s")).center())
                .contains(QStringLiteral("drawn as the mean")));
    // One envelope a chart: completions move with arrivals and would cover them.
    QVERIFY(rate->lineEnvelope(QStringLiteral("completed/s")).second.isEmpty());
    const ui::TimeChart *pods = m_column->chart(ui::ChartKind::Pods);
    QVERIFY(!pods->lineEnvelope(QStringLiteral("ready")).second.isEmpty());
    for (const QPointF &p : pods->lineSegments(QStringLiteral("desired")).front())
        QVERIFY2(std::abs(p.y() - 2.5) < 0.01, qPrintable(QString::number(p.y())));
    const ui::TimeChart *latency = m_column->chart(ui::ChartKind::Latency);
    QCOMPARE(latency->lineEnvelope(QStringLiteral("p95")).second.front().y(), 300.0);

    // An hour of it is not dense: min and max per pixel again, and no range drawn.
    m_column->showLane(m_data, lane, 0.0, 3600.0, ui::lockedScales(m_data, 0.0, 3600.0));
    QVERIFY(rate->lineEnvelope(QStringLiteral("arrivals/s")).second.isEmpty());
    QVERIFY(!rate->legendTextAt(rate->legendEntryRect(QStringLiteral("arrivals/s")).center())
                .contains(QStringLiteral("drawn as the mean")));
}

QTEST_MAIN(TestLaneColumn)
#include "tst_lanecolumn.moc"

// A hole in the source (noData seconds) is a gap in both rate lines, not a 0 under its
// hatching: the completed line drew 0 there while the arrivals line had a gap.
void TestLaneColumn::holeIsAGapInArrivalsAndCompletions()
{
    for (metrics::LaneSample &s : m_data.lanes.front().samples) {
        s.completedPerS = 10.0;
        s.noData = s.tS >= 40.0 && s.tS < 50.0;
        if (s.noData) {
            s.arrivalsPerS = 0.0;
            s.completedPerS = 0.0;
        }
    }
    show();
    const ui::TimeChart *rate = m_column->chart(ui::ChartKind::Rate);
    for (const QString &name : {QStringLiteral("arrivals/s"), QStringLiteral("completed/s")}) {
        const QList<QList<QPointF>> segments = rate->lineSegments(name);
        QCOMPARE(segments.size(), 2); // before the hole and after it
        for (const QList<QPointF> &segment : segments) {
            for (const QPointF &p : segment)
                QVERIFY2(p.x() < 40.0 || p.x() >= 50.0,
                    qPrintable(name + QStringLiteral(" at ") + QString::number(p.x())));
        }
    }
    // The readout says nothing is known there, rather than 0.
    const ui::CrosshairReadout readout = ui::crosshairReadout(m_data, ui::ChartKind::Rate, 45.0);
    for (const auto &row : readout.rows)
        QVERIFY2(!std::isfinite(row.values.front()), qPrintable(row.series));
}

// Most requests rejected at once: the p95 of those that completed looked healthy beside 75 %
// of them rejected (a new-user trial). The chart says how many its latency leaves out, over
// the range shown, when that is more than 5 % of the requests that ended there.
void TestLaneColumn::latencyChartSaysHowManyItLeavesOut()
{
    const ui::TimeChart *latency = m_column->chart(ui::ChartKind::Latency);
    for (metrics::LaneSample &s : m_data.lanes.front().samples) {
        s.completedPerS = 4.0;
        s.droppedPerS = s.tS >= 50.0 && s.tS < 70.0 ? 12.0 : 0.0;
    }
    // 0-40 s: nothing dropped, no note.
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 40.0, ui::lockedScales(m_data, 0.0, 40.0));
    QCOMPARE(latency->plotNote(), QString());
    // 50-69 s: 240 of 320 dropped.
    m_column->showLane(m_data, m_data.lanes.front(), 50.0, 69.0, ui::lockedScales(m_data, 50.0, 69.0));
    QCOMPARE(latency->plotNote(),
        QStringLiteral("240 of 320 requests here timed out or were rejected: the latency is of the 80 that completed"));
    // The note takes no height from the rate chart: narrow lanes side by side, one with the
    // note (set before it was first laid out, as a run's first snapshot does) and one
    // without, line up (the layout shared the height by the charts' size hints, which the
    // note grew).
    ui::LaneColumn plain(QStringLiteral("hpa"));
    plain.showLane(m_data, m_data.lanes.front(), 0.0, 40.0, ui::lockedScales(m_data, 0.0, 40.0));
    QCOMPARE(plain.chart(ui::ChartKind::Latency)->plotNote(), QString());
    for (QWidget *lane : {static_cast<QWidget *>(m_column.get()), static_cast<QWidget *>(&plain)}) {
        lane->resize(230, 700);
        lane->show();
        QVERIFY(QTest::qWaitForWindowExposed(lane));
    }
    QApplication::processEvents();
    for (const ui::ChartKind kind : {ui::ChartKind::Rate, ui::ChartKind::Latency, ui::ChartKind::Pods})
        QCOMPARE(m_column->chart(kind)->geometry(), plain.chart(kind)->geometry());
    // 0-100 s, a few dropped among many: at most 5 %, no note.
    for (metrics::LaneSample &s : m_data.lanes.front().samples)
        s.droppedPerS = s.tS == 50.0 ? 4.0 : 0.0;
    m_column->showLane(m_data, m_data.lanes.front(), 10.0, 100.0, ui::lockedScales(m_data, 10.0, 100.0));
    QCOMPARE(latency->plotNote(), QString());
}

// Every request timed out: no latency to draw, and the chart says why instead of staying blank.
void TestLaneColumn::latencyChartSaysWhenEveryRequestTimedOut()
{
    show();
    const ui::TimeChart *latency = m_column->chart(ui::ChartKind::Latency);
    QCOMPARE(latency->plotNote(), QString()); // the fixture's latencies are 0 ms, drawn
    for (metrics::LaneSample &s : m_data.lanes.front().samples) {
        s.completedPerS = 0.0;
        s.droppedPerS = s.tS > 30.0 ? 2.0 : 0.0;
        s.latencyP50Ms = std::nan("");
        s.latencyP95Ms = std::nan("");
        s.latencyP99Ms = std::nan("");
    }
    // The whole run's totals are the summary's (a run's summary counts what its seconds do).
    m_data.lanes.front().summary.completed = 0;
    m_data.lanes.front().summary.dropped = 80;
    show();
    QCOMPARE(latency->plotNote(), QStringLiteral("No request completed here: 80 timed out or were rejected"));
    // In a narrow lane (six side by side) it wraps within the plot rather than run past it.
    m_column->resize(230, 700);
    m_column->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_column.get()));
    show();
    const auto *item = [&]() -> const QGraphicsSimpleTextItem * {
        for (const auto *text : latency->findChildren<QGraphicsView *>().front()->items()) {
            const auto *simple = qgraphicsitem_cast<const QGraphicsSimpleTextItem *>(text);
            if (simple && simple->text().startsWith(QStringLiteral("No request")))
                return simple;
        }
        return nullptr;
    }();
    QVERIFY(item);
    QVERIFY2(item->text().contains(QLatin1Char('\n')), qPrintable(item->text()));
    QVERIFY2(item->sceneBoundingRect().width() <= latency->plotRect().width(),
        qPrintable(QString::number(item->sceneBoundingRect().width())));
    m_column->resize(500, 700);
    // Nothing ended at all (before the first timeout): no claim.
    m_column->showLane(m_data, m_data.lanes.front(), 0.0, 30.0, ui::lockedScales(m_data, 0.0, 30.0));
    QCOMPARE(latency->plotNote(), QString());
    // One completion in view: its latency is drawn, and the note says what it leaves out.
    m_data.lanes.front().samples[50].completedPerS = 1.0;
    m_data.lanes.front().samples[50].latencyP95Ms = 900.0;
    m_data.lanes.front().summary.completed = 1;
    show();
    QCOMPARE(latency->plotNote(),
        QStringLiteral("80 of 81 requests here timed out or were rejected: the latency is of the 1 that completed"));
}
