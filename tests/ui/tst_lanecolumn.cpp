#include "lanecolumn.h"

#include <QTest>
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

private:
    static metrics::LaneEvent event(
        double tS, const char *kind, const char *text, const char *region = "", bool opens = false);
    void show();

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

QTEST_MAIN(TestLaneColumn)
#include "tst_lanecolumn.moc"
