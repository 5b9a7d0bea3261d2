// Linked lanes: gestures on any chart move the one time axis every chart of every lane
// shows; lock y and a fixed y range; a held range does not redraw for data after it.

#include "comparisonview.h"
#include "lanecolumn.h"
#include "linkedtimeaxis.h"

#include <QApplication>
#include <QContextMenuEvent>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QGraphicsView>
#include <QMenu>
#include <QTest>
#include <QTimer>
#include <QWheelEvent>
#include <cmath>
#include <functional>

using namespace headroom;
using ui::ChartKind;

namespace {

constexpr int kLanes = 4;
constexpr int kSeconds = 3600; // the 4-lane, 1-hour case

metrics::LaneSample sample(int lane, int t)
{
    metrics::LaneSample s;
    s.tS = t;
    // Lane i carries (i + 1) times lane 0's rates and latencies: locked and unlocked y differ.
    const double scale = lane + 1.0;
    s.arrivalsPerS = scale * (10.0 + 5.0 * std::sin(t / 60.0));
    s.completedPerS = s.arrivalsPerS;
    s.latencyP50Ms = scale * 100.0;
    s.latencyP95Ms = scale * 300.0 + (t % 97);
    s.podsDesired = 2 + lane + (t / 600) % 3;
    s.podsReady = s.podsDesired;
    return s;
}

ui::ComparisonData makeData(int seconds)
{
    ui::ComparisonData data;
    data.title = "linked";
    data.state = ui::RunState::Running;
    data.durationS = 2 * kSeconds;
    const char *names[kLanes] = {"hpa", "kpa", "linear", "holt-winters"};
    for (int i = 0; i < kLanes; ++i) {
        ui::ComparisonData::Lane lane;
        lane.controller = names[i];
        for (int t = 1; t <= seconds; ++t)
            lane.samples.push_back(sample(i, t));
        data.lanes.push_back(lane);
    }
    return data;
}

// The dashboard's loop without the simulation: every change of the axis redraws at once.
struct Dashboard
{
    ui::ComparisonData data = makeData(kSeconds);
    ui::LinkedTimeAxis axis;
    ui::ComparisonView view;

    Dashboard()
    {
        view.setTimeAxis(&axis);
        QObject::connect(&axis, &ui::LinkedTimeAxis::rangeChanged, &view, [this] { draw(); });
        QObject::connect(&view, &ui::ComparisonView::yRangesChanged, &view, [this] { draw(); });
        view.resize(1600, 900);
        view.show();
        draw();
    }

    double now() const { return data.lanes.front().samples.back().tS; }

    void draw()
    {
        axis.setExtent(now(), 0.0);
        view.showData(data, axis.x0(), axis.x1());
    }

    // New seconds in every lane, then the redraw a snapshot brings.
    void stream(int seconds)
    {
        const int from = static_cast<int>(now()) + 1;
        for (int i = 0; i < kLanes; ++i) {
            for (int t = from; t < from + seconds; ++t)
                data.lanes[static_cast<std::size_t>(i)].samples.push_back(sample(i, t));
        }
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

// A point of the chart's plot: `fx` of its width from the left, halfway down; in viewport
// coordinates, where the mouse events go.
QPoint plotPoint(ui::TimeChart *chart, double fx)
{
    const QRectF plot = chart->plotRect();
    const QPoint inChart(static_cast<int>(std::lround(plot.left() + fx * plot.width())),
        static_cast<int>(plot.center().y()));
    return viewportOf(chart)->mapFrom(chart, inChart);
}

double secondsPerPixel(ui::TimeChart *chart)
{
    return (chart->xMax() - chart->xMin()) / chart->plotRect().width();
}

void sendWheel(ui::TimeChart *chart, const QPoint &pos, QPoint angleDelta,
    Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWidget *viewport = viewportOf(chart);
    QWheelEvent wheel(QPointF(pos), QPointF(viewport->mapToGlobal(pos)), QPoint(), angleDelta,
        Qt::NoButton, modifiers, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &wheel);
}

void drag(ui::TimeChart *chart, double fromFx, double toFx, Qt::MouseButton button,
    Qt::KeyboardModifiers modifiers = Qt::NoModifier)
{
    QWidget *viewport = viewportOf(chart);
    const QPoint from = plotPoint(chart, fromFx);
    const QPoint to = plotPoint(chart, toFx);
    QTest::mousePress(viewport, button, modifiers, from);
    for (int step = 1; step <= 4; ++step)
        QTest::mouseMove(viewport, from + (to - from) * step / 4);
    QTest::mouseRelease(viewport, button, modifiers, to);
}

// With HEADROOM_TEST_SCREENSHOTS=DIR, saves the widget as DIR/NAME.png.
void snap(QWidget *widget, const QString &name)
{
    const QString dir = qEnvironmentVariable("HEADROOM_TEST_SCREENSHOTS");
    if (!dir.isEmpty())
        widget->grab().save(dir + QLatin1Char('/') + name + QStringLiteral(".png"));
}

// Runs `act` once `find` returns a widget (a popup menu or a modal dialog, shown from a
// nested event loop), polling from the loop that shows it.
template <typename Widget>
void whenShown(std::function<QWidget *()> find, std::function<void(Widget *)> act)
{
    auto *timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, find, act] {
        if (auto *widget = qobject_cast<Widget *>(find())) {
            timer->stop();
            timer->deleteLater();
            act(widget);
        }
    });
    timer->start();
}

// Right-clicks `chart` and picks `entry` from its menu.
void chooseFromChartMenu(ui::TimeChart *chart, const QString &entry)
{
    whenShown<QMenu>(&QApplication::activePopupWidget, [entry](QMenu *menu) {
        snap(menu, QStringLiteral("chart-menu"));
        for (QAction *action : menu->actions()) {
            if (action->text() == entry) {
                menu->setActiveAction(action);
                QTest::keyClick(menu, Qt::Key_Return);
                return;
            }
        }
        menu->close();
    });
    QWidget *viewport = viewportOf(chart);
    const QPoint pos = plotPoint(chart, 0.5);
    QContextMenuEvent event(QContextMenuEvent::Mouse, pos, viewport->mapToGlobal(pos));
    QApplication::sendEvent(viewport, &event); // returns once the menu (and its dialog) closed
}

} // namespace

class TestLinkedZoom : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void dragZoomMovesEveryChartOfEveryLane();
    void wheelZoomKeepsTheTimeUnderTheCursor();
    void modifiedOrMiddleDragPans();
    void escapeCancelsADrag();
    void doubleClickResets();
    void lockYSharesEachChartsRangeAcrossLanes();
    void fixedYRangeStaysUntilCleared();
    void chartMenuFixesAndClearsTheYRange();
    void heldRangeDoesNotRedrawForLaterData();

private:
    static void verifyLinked(const Dashboard &d);
};

// Every chart of every lane shows the axis's range, and their plot areas line up.
void TestLinkedZoom::verifyLinked(const Dashboard &d)
{
    const QList<ui::TimeChart *> charts = d.view.allCharts();
    QCOMPARE(charts.size(), kLanes * ui::kChartKinds);
    const QRectF first = charts.front()->plotRect();
    for (ui::TimeChart *chart : charts) {
        QCOMPARE(chart->xMin(), d.axis.x0());
        QCOMPARE(chart->xMax(), d.axis.x1());
        const QRectF plot = chart->plotRect();
        QVERIFY2(std::abs(plot.left() - first.left()) <= 1.0
                && std::abs(plot.width() - first.width()) <= 1.0,
            qPrintable(QStringLiteral("plot at %1 width %2, first at %3 width %4")
                           .arg(plot.left())
                           .arg(plot.width())
                           .arg(first.left())
                           .arg(first.width())));
    }
}

void TestLinkedZoom::dragZoomMovesEveryChartOfEveryLane()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    d.draw();
    QVERIFY(d.axis.following());
    verifyLinked(d);

    // Drag across a quarter of lane 3's latency chart.
    ui::TimeChart *latency = d.chart(2, ChartKind::Latency);
    const double pixel = secondsPerPixel(latency);
    drag(latency, 0.25, 0.5, Qt::LeftButton);
    QVERIFY(!d.axis.following());
    QVERIFY2(std::abs(d.axis.x0() - 900.0) <= 2 * pixel, qPrintable(QString::number(d.axis.x0())));
    QVERIFY2(std::abs(d.axis.x1() - 1800.0) <= 2 * pixel, qPrintable(QString::number(d.axis.x1())));
    verifyLinked(d);

    // A click is not a zoom.
    const double x0 = d.axis.x0();
    drag(d.chart(0, ChartKind::Rate), 0.5, 0.5005, Qt::LeftButton);
    QCOMPARE(d.axis.x0(), x0);
}

void TestLinkedZoom::wheelZoomKeepsTheTimeUnderTheCursor()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    d.axis.zoomTo(600.0, 2400.0);
    ui::TimeChart *pods = d.chart(1, ChartKind::Pods);
    const QPoint cursor = plotPoint(pods, 0.3);
    const QPoint inChart = viewportOf(pods)->mapTo(pods, cursor);
    const double before = pods->timeAt(inChart.x());
    for (int notch = 0; notch < 3; ++notch) {
        const double span = d.axis.x1() - d.axis.x0();
        sendWheel(pods, cursor, QPoint(0, 120)); // away from the user: in
        QVERIFY(d.axis.x1() - d.axis.x0() < span * 0.81);
        const double after = pods->timeAt(inChart.x());
        QVERIFY2(std::abs(after - before) <= secondsPerPixel(pods),
            qPrintable(QStringLiteral("%1 s under the cursor became %2 s").arg(before).arg(after)));
        verifyLinked(d);
    }
    const double span = d.axis.x1() - d.axis.x0();
    sendWheel(pods, cursor, QPoint(0, -240)); // two notches out
    QVERIFY(d.axis.x1() - d.axis.x0() > span * 1.5);
    QVERIFY(std::abs(pods->timeAt(inChart.x()) - before) <= secondsPerPixel(pods));

    // Outside the plot (on the y axis labels) the wheel does nothing.
    const double x0 = d.axis.x0();
    const QPoint onLabels = viewportOf(pods)->mapFrom(
        pods, QPoint(static_cast<int>(pods->plotRect().left()) - 20, inChart.y()));
    sendWheel(pods, onLabels, QPoint(0, 120));
    QCOMPARE(d.axis.x0(), x0);
}

void TestLinkedZoom::modifiedOrMiddleDragPans()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    d.axis.zoomTo(1000.0, 2000.0);
    // Dragging the data to the right shows earlier times; the span stays.
    drag(d.chart(3, ChartKind::Rate), 0.4, 0.6, Qt::LeftButton, Qt::ControlModifier);
    QVERIFY2(std::abs(d.axis.x0() - 800.0) <= 2 * secondsPerPixel(d.chart(3, ChartKind::Rate)),
        qPrintable(QString::number(d.axis.x0())));
    QVERIFY(std::abs((d.axis.x1() - d.axis.x0()) - 1000.0) < 1e-6);
    verifyLinked(d);

    const double x0 = d.axis.x0();
    drag(d.chart(0, ChartKind::Latency), 0.6, 0.4, Qt::MiddleButton);
    QVERIFY(std::abs(d.axis.x0() - (x0 + 200.0))
        <= 2 * secondsPerPixel(d.chart(0, ChartKind::Latency)));
    verifyLinked(d);

    // Shift+wheel pans too.
    const double before = d.axis.x0();
    sendWheel(d.chart(0, ChartKind::Pods), plotPoint(d.chart(0, ChartKind::Pods), 0.5),
        QPoint(0, -120), Qt::ShiftModifier);
    QVERIFY(d.axis.x0() > before);
}

void TestLinkedZoom::escapeCancelsADrag()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    ui::TimeChart *rate = d.chart(0, ChartKind::Rate);
    QWidget *viewport = viewportOf(rate);
    QTest::mousePress(viewport, Qt::LeftButton, {}, plotPoint(rate, 0.2));
    QTest::mouseMove(viewport, plotPoint(rate, 0.6));
    QVERIFY(rate->isDragging());
    QTest::keyClick(rate->findChild<QGraphicsView *>(), Qt::Key_Escape);
    QVERIFY(!rate->isDragging());
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, plotPoint(rate, 0.6));
    QVERIFY(d.axis.following());
}

void TestLinkedZoom::doubleClickResets()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    d.axis.setWindow(300.0);
    d.axis.zoomTo(100.0, 200.0);
    ui::TimeChart *latency = d.chart(1, ChartKind::Latency);
    QTest::mouseDClick(viewportOf(latency), Qt::LeftButton, {}, plotPoint(latency, 0.5));
    QVERIFY(d.axis.following());
    QCOMPARE(d.axis.windowS(), ui::LinkedTimeAxis::kWholeRun);
    QCOMPARE(latency->xMin(), 0.0);
    QCOMPARE(latency->xMax(), d.now());
    verifyLinked(d);
}

void TestLinkedZoom::lockYSharesEachChartsRangeAcrossLanes()
{
    Dashboard d;
    QVERIFY(d.view.lockY());
    for (ChartKind kind : {ChartKind::Rate, ChartKind::Latency, ChartKind::Pods}) {
        for (int lane = 1; lane < kLanes; ++lane)
            QCOMPARE(d.chart(lane, kind)->yMax(), d.chart(0, kind)->yMax());
    }
    // The top lane carries 4 times the first one's rates: locked, both read 0 to its peak.
    QVERIFY(d.chart(0, ChartKind::Rate)->yMax() >= 4 * 15.0);

    d.view.setLockY(false);
    for (ChartKind kind : {ChartKind::Rate, ChartKind::Latency, ChartKind::Pods})
        QVERIFY2(d.chart(0, kind)->yMax() < d.chart(kLanes - 1, kind)->yMax(),
            qPrintable(QStringLiteral("chart %1: %2 and %3")
                           .arg(static_cast<int>(kind))
                           .arg(d.chart(0, kind)->yMax())
                           .arg(d.chart(kLanes - 1, kind)->yMax())));
    QVERIFY(d.chart(0, ChartKind::Rate)->yMax() < 2 * 15.0);
    QCOMPARE(d.chart(0, ChartKind::Rate)->yMin(), 0.0);

    d.view.setLockY(true);
    QCOMPARE(d.chart(0, ChartKind::Latency)->yMax(), d.chart(3, ChartKind::Latency)->yMax());
}

void TestLinkedZoom::fixedYRangeStaysUntilCleared()
{
    Dashboard d;
    const double automatic = d.chart(0, ChartKind::Latency)->yMax();
    d.view.setFixedYRange(ChartKind::Latency, 0.0, 50.0);
    const auto verifyFixed = [&d] {
        for (int lane = 0; lane < kLanes; ++lane) {
            QCOMPARE(d.chart(lane, ChartKind::Latency)->yMin(), 0.0);
            QCOMPARE(d.chart(lane, ChartKind::Latency)->yMax(), 50.0);
            // The other charts keep fitting their data (lane i peaks at 15 (i + 1) req/s).
            QVERIFY2(d.chart(lane, ChartKind::Rate)->yMax() >= 15.0 * (lane + 1),
                qPrintable(QString::number(lane)));
        }
    };
    verifyFixed();
    d.stream(30);
    verifyFixed();
    d.axis.zoomTo(100.0, 400.0);
    verifyFixed();
    d.view.setLockY(false);
    verifyFixed();
    d.view.clearFixedYRange(ChartKind::Latency);
    QVERIFY(!d.view.fixedYRange(ChartKind::Latency));
    QVERIFY(d.chart(3, ChartKind::Latency)->yMax() > 50.0);
    d.view.setLockY(true);
    d.axis.reset();
    QCOMPARE(d.chart(0, ChartKind::Latency)->yMax(), automatic);

    // A range that is no range is refused.
    d.view.setFixedYRange(ChartKind::Pods, 10.0, 10.0);
    QVERIFY(!d.view.fixedYRange(ChartKind::Pods));
}

// The context menu's "Fix y range..." asks for the range and gives it to that kind of chart
// in every lane; "Auto y range" clears it.
void TestLinkedZoom::chartMenuFixesAndClearsTheYRange()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    bool asked = false;
    whenShown<QDialog>(&QApplication::activeModalWidget, [&asked](QDialog *dialog) {
        const QList<QDoubleSpinBox *> boxes = dialog->findChildren<QDoubleSpinBox *>();
        if (boxes.size() == 2) {
            asked = true;
            boxes[0]->setValue(0.0);
            boxes[1]->setValue(50.0);
        }
        snap(dialog, QStringLiteral("fix-y-dialog"));
        dialog->accept();
    });
    chooseFromChartMenu(d.chart(2, ChartKind::Rate), QStringLiteral("Fix y range..."));
    QVERIFY(asked);
    QVERIFY(d.view.fixedYRange(ChartKind::Rate).has_value());
    for (int lane = 0; lane < kLanes; ++lane) {
        QCOMPARE(d.chart(lane, ChartKind::Rate)->yMin(), 0.0);
        QCOMPARE(d.chart(lane, ChartKind::Rate)->yMax(), 50.0);
    }

    chooseFromChartMenu(d.chart(0, ChartKind::Rate), QStringLiteral("Auto y range"));
    QVERIFY(!d.view.fixedYRange(ChartKind::Rate).has_value());
    QVERIFY(d.chart(0, ChartKind::Rate)->yMax() >= 60.0);
}

// Data arriving after a held range changes nothing on screen: the charts are left alone and
// only headings and table follow. Following, every snapshot redraws. Prints the cost of a
// full redraw of the 4-lane, 1-hour case.
void TestLinkedZoom::heldRangeDoesNotRedrawForLaterData()
{
    Dashboard d;
    QVERIFY(QTest::qWaitForWindowExposed(&d.view));
    QElapsedTimer timer;
    timer.start();
    constexpr int kRedraws = 5;
    for (int i = 0; i < kRedraws; ++i)
        d.stream(1);
    qInfo("whole run, %d lanes x %d s: %.1f ms a redraw", kLanes, kSeconds,
        timer.nsecsElapsed() / 1e6 / kRedraws);

    d.axis.zoomTo(600.0, 1200.0);
    const int redraws = d.view.chartRedraws();
    timer.restart();
    for (int i = 0; i < kRedraws; ++i)
        d.stream(1);
    qInfo("held range: %.1f ms a snapshot", timer.nsecsElapsed() / 1e6 / kRedraws);
    QCOMPARE(d.view.chartRedraws(), redraws);
    QCOMPARE(d.chart(2, ChartKind::Pods)->xMax(), 1200.0);

    d.axis.setWindow(60.0); // a short window: few points to draw
    timer.restart();
    for (int i = 0; i < kRedraws; ++i)
        d.stream(1);
    qInfo("last minute: %.1f ms a redraw", timer.nsecsElapsed() / 1e6 / kRedraws);
    QCOMPARE(d.view.chartRedraws(), redraws + 1 + kRedraws);
    QCOMPARE(d.chart(0, ChartKind::Rate)->xMax(), d.now());
    QCOMPARE(d.chart(0, ChartKind::Rate)->xMin(), d.now() - 60.0);
}

QTEST_MAIN(TestLinkedZoom)
#include "tst_linkedzoom.moc"
