// The crosshair: hovering any chart draws a line at that time in every chart of every lane
// and a readout of the hovered kind's series in each lane, with the differences from the
// reference lane; it follows a live view, and hides on leaving the plot and on Esc.

#include "comparisonview.h"
#include "lanecolumn.h"
#include "linkedtimeaxis.h"

#include <QApplication>
#include <QGraphicsView>
#include <QLabel>
#include <QTest>
#include <cmath>

using namespace headroom;
using ui::ChartKind;

namespace {

constexpr int kSeconds = 300;
const char *const kNames[] = {"hpa", "clairvoyant", "kpa"};
constexpr int kLanes = 3;
constexpr int kNanSecond = 123; // kpa's p95 is missing then
constexpr int kKpaEnd = 200;    // kpa's samples stop here

// Lane i: arrivals 10 (i + 1) + t, p95 100 (i + 1) ms, i + 2 pods desired.
metrics::LaneSample sample(int lane, int t)
{
    metrics::LaneSample s;
    s.tS = t;
    s.arrivalsPerS = 10.0 * (lane + 1) + t;
    s.completedPerS = s.arrivalsPerS - 1.0;
    s.latencyP50Ms = 50.0 * (lane + 1);
    s.latencyP95Ms = lane == 2 && t == kNanSecond ? std::nan("") : 100.0 * (lane + 1);
    s.podsDesired = lane + 2;
    s.podsReady = lane + 1;
    return s;
}

struct Dashboard
{
    ui::ComparisonData data;
    ui::LinkedTimeAxis axis;
    ui::ComparisonView view;

    Dashboard()
    {
        data.state = ui::RunState::Running;
        data.durationS = 1000;
        for (int i = 0; i < kLanes; ++i) {
            ui::ComparisonData::Lane lane;
            lane.controller = kNames[i];
            const int end = i == 2 ? kKpaEnd : kSeconds;
            for (int t = 1; t <= end; ++t)
                lane.samples.push_back(sample(i, t));
            data.lanes.push_back(lane);
        }
        view.setTimeAxis(&axis);
        view.resize(1400, 800);
        view.show();
        draw();
    }

    double now() const { return data.lanes.front().samples.back().tS; }
    void draw()
    {
        axis.setExtent(now(), 0.0);
        view.showData(data, axis.x0(), axis.x1());
    }
    void stream(int seconds)
    {
        const int from = static_cast<int>(now()) + 1;
        for (int i = 0; i < 2; ++i) // kpa has stopped
            for (int t = from; t < from + seconds; ++t)
                data.lanes[static_cast<std::size_t>(i)].samples.push_back(sample(i, t));
        draw();
    }
    ui::TimeChart *chart(int lane, ChartKind kind) const
    {
        return view.columns().at(static_cast<std::size_t>(lane))->chart(kind);
    }
};

QWidget *viewportOf(ui::TimeChart *chart)
{
    return chart->findChild<QGraphicsView *>()->viewport();
}

// The viewport point over the plot at time `tS`, halfway down.
QPoint pointAt(ui::TimeChart *chart, double tS)
{
    const QPoint inChart(static_cast<int>(std::lround(chart->widgetXAt(tS))),
        static_cast<int>(chart->plotRect().center().y()));
    return viewportOf(chart)->mapFrom(chart, inChart);
}

void checkSameX(const ui::ComparisonView &view)
{
    const QList<ui::TimeChart *> charts = view.allCharts();
    const qreal x = charts.front()->crosshairX();
    QVERIFY(x >= 0.0);
    for (ui::TimeChart *chart : charts)
        QVERIFY2(std::abs(chart->crosshairX() - x) <= 1.0, "every chart at the same x");
}

} // namespace

class TestCrosshair : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void readoutValuesAndDifferences()
    {
        Dashboard d;
        QVERIFY(QTest::qWaitForWindowExposed(&d.view));
        d.draw(); // at the laid-out size, as the dashboard's next snapshot does
        ui::TimeChart *latency = d.chart(0, ChartKind::Latency);
        QTest::mouseMove(viewportOf(latency), pointAt(latency, kNanSecond + 0.5));
        QVERIFY(d.view.crosshairVisible());
        QVERIFY(d.view.readoutPanel()->isVisible());
        const ui::CrosshairReadout r = d.view.crosshairReadout();
        QCOMPARE(r.kind, ChartKind::Latency);
        QVERIFY(std::abs(r.tS - (kNanSecond + 0.5)) < 1.0);
        const int t = static_cast<int>(r.sampleS);
        QCOMPARE(r.sampleS, std::floor(r.tS));
        QCOMPARE(r.lanes, QStringList({"hpa", "clairvoyant", "kpa"}));
        QCOMPARE(r.reference, 1); // clairvoyant
        QCOMPARE(r.rows.size(), std::size_t(2));
        QCOMPARE(r.rows[1].series, QStringLiteral("p95"));
        QCOMPARE(r.rows[1].values[0], 100.0);
        QCOMPARE(r.rows[1].values[1], 200.0);
        QCOMPARE(r.rows[1].diffs[0], -100.0);
        QCOMPARE(r.rows[1].diffs[1], 0.0);
        if (t == kNanSecond) {
            QVERIFY(std::isnan(r.rows[1].values[2]));
            QVERIFY(std::isnan(r.rows[1].diffs[2]));
            QVERIFY(d.view.readoutPanel()->text().contains(QStringLiteral("\u2014")));
        }
        QCOMPARE(r.rows[0].diffs[2], 150.0 - 100.0); // p50
        QVERIFY(d.view.readoutPanel()->text().contains(QStringLiteral("clairvoyant")));
        QCOMPARE(d.chart(2, ChartKind::Pods)->crosshair(), r.tS);
        checkSameX(d.view);
        // The panel is beside the cursor, not over it.
        const QPoint cursor = viewportOf(latency)->mapTo(
            &d.view, pointAt(latency, r.tS));
        QVERIFY(!d.view.readoutPanel()->geometry().contains(cursor));
        // In the plot's left half the panel is right of the cursor; in its right half, where a
        // forecasting lane's band lies ahead of now, left of it.
        QVERIFY(d.view.readoutPanel()->geometry().left() > cursor.x());
        QTest::mouseMove(viewportOf(latency), pointAt(latency, 900.5));
        const QPoint late = viewportOf(latency)->mapTo(&d.view, pointAt(latency, 900.5));
        QVERIFY2(d.view.readoutPanel()->geometry().right() < late.x(),
            qPrintable(QStringLiteral("panel %1-%2, cursor %3").arg(d.view.readoutPanel()->geometry().left())
                           .arg(d.view.readoutPanel()->geometry().right()).arg(late.x())));
        QTest::mouseMove(viewportOf(latency), pointAt(latency, kNanSecond + 0.5));

        // Rate from another lane's chart: the sample's values, exactly; kpa has none past 200 s.
        ui::TimeChart *rate = d.chart(2, ChartKind::Rate);
        QTest::mouseMove(viewportOf(rate), pointAt(rate, 250.5));
        const ui::CrosshairReadout rr = d.view.crosshairReadout();
        QCOMPARE(rr.kind, ChartKind::Rate);
        const double s = rr.sampleS;
        QCOMPARE(rr.rows[0].series, QStringLiteral("arrivals/s"));
        QCOMPARE(rr.rows[0].values[0], 10.0 + s);
        QCOMPARE(rr.rows[0].values[1], 20.0 + s);
        QCOMPARE(rr.rows[0].diffs[0], -10.0);
        QVERIFY(std::isnan(rr.rows[0].values[2]));
        checkSameX(d.view);

        // Pods.
        ui::TimeChart *pods = d.chart(1, ChartKind::Pods);
        QTest::mouseMove(viewportOf(pods), pointAt(pods, 50.5));
        const ui::CrosshairReadout pr = d.view.crosshairReadout();
        QCOMPARE(pr.rows[0].series, QStringLiteral("desired"));
        QCOMPARE(pr.rows[0].values, std::vector<double>({2.0, 3.0, 4.0}));
        QCOMPARE(pr.rows[0].diffs, std::vector<double>({-1.0, 0.0, 1.0}));
    }

    void firstLaneIsTheReferenceWithoutClairvoyant()
    {
        ui::ComparisonData data;
        for (const char *name : {"predictive", "hpa"}) {
            ui::ComparisonData::Lane lane;
            lane.controller = name;
            for (int t = 1; t <= 10; ++t)
                lane.samples.push_back(sample(lane.controller == "hpa" ? 1 : 0, t));
            data.lanes.push_back(lane);
        }
        const ui::CrosshairReadout r = ui::crosshairReadout(data, ChartKind::Rate, 5.9);
        QCOMPARE(r.reference, 0);
        QCOMPARE(r.sampleS, 5.0);
        QCOMPARE(r.rows[0].values, std::vector<double>({15.0, 25.0}));
        QCOMPARE(r.rows[0].diffs[1], 10.0);
        // The difference is of the values as printed: 135.4 and 140.6 read 135 and 141, +6.
        data.lanes[0].samples[4].latencyP95Ms = 135.4;
        data.lanes[1].samples[4].latencyP95Ms = 140.6;
        const ui::CrosshairReadout lr = ui::crosshairReadout(data, ChartKind::Latency, 5.5);
        QCOMPARE(lr.rows[1].diffs[1], 6.0);
        QVERIFY2(ui::crosshairReadoutHtml(lr, false).contains(QStringLiteral("141 <span style=\"color:#606060\">(+6)")),
            qPrintable(ui::crosshairReadoutHtml(lr, false)));
        // Before the first sample: nothing to read.
        QVERIFY(std::isnan(ui::crosshairReadout(data, ChartKind::Rate, 0.5).rows[0].values[0]));
        QCOMPARE(ui::readoutNumber(std::nan(""), 1), QStringLiteral("\u2014"));
    }

    void hidesOnLeaveAndEsc()
    {
        Dashboard d;
        QVERIFY(QTest::qWaitForWindowExposed(&d.view));
        d.draw(); // at the laid-out size, as the dashboard's next snapshot does
        ui::TimeChart *rate = d.chart(1, ChartKind::Rate);
        QWidget *viewport = viewportOf(rate);
        QTest::mouseMove(viewport, pointAt(rate, 100.5));
        QVERIFY(d.view.crosshairVisible());
        QEvent leave(QEvent::Leave);
        QApplication::sendEvent(viewport, &leave);
        QVERIFY(!d.view.crosshairVisible());
        QVERIFY(!d.view.readoutPanel()->isVisible());
        for (ui::TimeChart *chart : d.view.allCharts())
            QCOMPARE(chart->crosshairX(), -1.0);

        // Off the plot (over the legend) hides it too.
        QTest::mouseMove(viewport, pointAt(rate, 110.5));
        QVERIFY(d.view.crosshairVisible());
        QTest::mouseMove(viewport, viewport->mapFrom(rate, QPoint(2, 2)));
        QVERIFY(!d.view.crosshairVisible());

        QTest::mouseMove(viewport, pointAt(rate, 110.5));
        QVERIFY(d.view.crosshairVisible());
        QTest::keyClick(rate->findChild<QGraphicsView *>(), Qt::Key_Escape);
        QVERIFY(!d.view.crosshairVisible());
    }

    void followsALiveView()
    {
        Dashboard d;
        QVERIFY(QTest::qWaitForWindowExposed(&d.view));
        d.draw(); // at the laid-out size, as the dashboard's next snapshot does
        ui::TimeChart *latency = d.chart(0, ChartKind::Latency);
        const QPoint at = pointAt(latency, 150.5);
        QTest::mouseMove(viewportOf(latency), at);
        const double before = d.view.crosshairTime();
        d.stream(100); // the whole-run view stretches under the still mouse
        QVERIFY(d.view.crosshairVisible());
        const double after = d.view.crosshairTime();
        QVERIFY(after > before);
        QVERIFY(std::abs(after - latency->timeAt(viewportOf(latency)->mapTo(latency, at).x()))
            < 1e-9);
        checkSameX(d.view);
        const ui::CrosshairReadout r = d.view.crosshairReadout();
        QCOMPARE(r.rows[0].values[0], 50.0);
        QVERIFY(std::abs(latency->crosshairX() - viewportOf(latency)->mapTo(latency, at).x())
            <= 1.0);
    }
};

QTEST_MAIN(TestCrosshair)
#include "tst_crosshair.moc"
