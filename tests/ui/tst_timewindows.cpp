// The dashboard's time windows on a live run: presets, following new data, a zoom that
// holds, Live and reset (Ctrl+0) that follow again, and case V2 of tests/cases: zoom, reset
// while points keep arriving, then a fixed y range that stays until cleared.

#include "comparisonview.h"
#include "lanecolumn.h"
#include "linkedtimeaxis.h"
#include "mainwindow.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QGraphicsView>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>
#include <QWheelEvent>
#include <cmath>

using namespace headroom;
using ui::ChartKind;

namespace {

constexpr int kTimeoutMs = 30000;

// A 40-minute run of a steady 5 req/s with one spike, for the cheap reactive lanes.
QString writeLongScenario(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("long.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    file.write(R"({
    "name": "long-live",
    "description": "40 minutes of 5 req/s with a spike at 10 minutes.",
    "duration_s": 2400,
    "seed": 1,
    "preset": "default",
    "cluster": {"pod_pending_s": 1, "pod_starting_s": 4},
    "segments": [
        {"type": "constant", "start_s": 0, "end_s": 2400, "rate": 5},
        {"type": "spike", "start_s": 600, "end_s": 660, "rate": 30, "ramp_s": 0}
    ]
})");
    return path;
}

ui::DashboardOptions options(const QString &scenario)
{
    ui::DashboardOptions o;
    o.source.scenario = scenario;
    o.source.controllers = {QStringLiteral("hpa"), QStringLiteral("kpa")};
    o.speed = 0.0;
    o.autoStart = false;
    return o;
}

// Every chart of every lane shows [x0, x1].
bool chartsShow(const ui::MainWindow &window, double x0, double x1)
{
    const QList<ui::TimeChart *> charts = window.comparisonView()->allCharts();
    if (charts.isEmpty())
        return false;
    return std::all_of(charts.begin(), charts.end(),
        [&](const ui::TimeChart *c) { return c->xMin() == x0 && c->xMax() == x1; });
}

QString chartRange(const ui::MainWindow &window)
{
    const ui::TimeChart *c = window.comparisonView()->allCharts().value(0);
    return c ? QStringLiteral("[%1, %2] at %3 s")
                   .arg(c->xMin())
                   .arg(c->xMax())
                   .arg(window.simulatedTimeS())
             : QStringLiteral("no charts");
}

void runTo(ui::MainWindow &window, double tS)
{
    window.pauseAt(tS);
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.simulatedTimeS() >= tS && !window.isRunning(), kTimeoutMs);
}

ui::TimeChart *chart(const ui::MainWindow &window, int lane, ChartKind kind)
{
    return window.comparisonView()->columns().at(static_cast<std::size_t>(lane))->chart(kind);
}

void wheelOn(ui::TimeChart *c, double fx, int delta)
{
    QWidget *viewport = c->findChild<QGraphicsView *>()->viewport();
    const QRectF plot = c->plotRect();
    const QPoint pos = viewport->mapFrom(c,
        QPoint(static_cast<int>(plot.left() + fx * plot.width()),
            static_cast<int>(plot.center().y())));
    QWheelEvent wheel(QPointF(pos), QPointF(viewport->mapToGlobal(pos)), QPoint(), QPoint(0, delta),
        Qt::NoButton, Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(viewport, &wheel);
}

// With HEADROOM_TEST_SCREENSHOTS=DIR, saves the window as DIR/NAME.png: what the user saw.
void snap(ui::MainWindow &window, const char *name)
{
    const QString dir = qEnvironmentVariable("HEADROOM_TEST_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QCoreApplication::processEvents();
    window.grab().save(dir + QLatin1Char('/') + QLatin1String(name) + QStringLiteral(".png"));
}

QString viewStatus(const ui::MainWindow &window)
{
    for (const QLabel *label : window.findChildren<QLabel *>()) {
        if (label->text().startsWith(QStringLiteral("view: ")))
            return label->text();
    }
    return {};
}

} // namespace

class TestTimeWindows : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void followLiveMovesWithDataAndStopsOnZoom();
    void presetsSetTheWindow();
    void caseV2ZoomResetAndFixedY();

private:
    QTemporaryDir m_dir;
    QString m_scenario;
};

void TestTimeWindows::initTestCase()
{
    m_scenario = writeLongScenario(m_dir);
    QVERIFY(!m_scenario.isEmpty());
}

void TestTimeWindows::followLiveMovesWithDataAndStopsOnZoom()
{
    ui::DashboardOptions o = options(m_scenario);
    o.windowS = 60.0;
    ui::MainWindow window(o);
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    auto *live = window.findChild<QAction *>(QStringLiteral("liveAction"));
    QVERIFY(live);

    runTo(window, 300.0);
    QTRY_VERIFY2(chartsShow(window, 240.0, 300.0), qPrintable(chartRange(window)));
    QVERIFY(live->isChecked());
    runTo(window, 400.0);
    QTRY_VERIFY2(chartsShow(window, 340.0, 400.0), qPrintable(chartRange(window)));

    // The wheel zooms in around the middle and stops following.
    wheelOn(chart(window, 1, ChartKind::Latency), 0.5, 120);
    QVERIFY(!window.timeAxis()->following());
    QVERIFY(!live->isChecked());
    const double x0 = window.timeAxis()->x0();
    const double x1 = window.timeAxis()->x1();
    QVERIFY(x1 - x0 < 50.0);
    QTRY_VERIFY2(chartsShow(window, x0, x1), qPrintable(chartRange(window)));
    QTRY_VERIFY(viewStatus(window).contains(QStringLiteral("held")));
    snap(window, "held-after-wheel");

    // The view holds still while data keeps arriving.
    runTo(window, 500.0);
    QTest::qWait(100); // past the redraw a snapshot schedules
    QVERIFY2(chartsShow(window, x0, x1), qPrintable(chartRange(window)));

    // Live follows the last minute again, now.
    live->trigger();
    QVERIFY(window.timeAxis()->following());
    QTRY_VERIFY2(chartsShow(window, 440.0, 500.0), qPrintable(chartRange(window)));
    QTRY_COMPARE(viewStatus(window), QStringLiteral("view: live, last 1 min"));

    // A drag across a pods chart, from 450 s to 470 s, zooms every chart there.
    ui::TimeChart *pods = chart(window, 0, ChartKind::Pods);
    QWidget *viewport = pods->findChild<QGraphicsView *>()->viewport();
    const QRectF plot = pods->plotRect();
    const auto at = [&](double tS) {
        const double fx = (tS - pods->xMin()) / (pods->xMax() - pods->xMin());
        return viewport->mapFrom(pods,
            QPoint(static_cast<int>(std::lround(plot.left() + fx * plot.width())),
                static_cast<int>(plot.center().y())));
    };
    QTest::mousePress(viewport, Qt::LeftButton, {}, at(450.0));
    QTest::mouseMove(viewport, at(460.0));
    QTest::mouseMove(viewport, at(470.0));
    snap(window, "drag-zoom-band");
    QTest::mouseRelease(viewport, Qt::LeftButton, {}, at(470.0));
    QVERIFY(!window.timeAxis()->following());
    const double pixel = 60.0 / plot.width();
    QVERIFY2(std::abs(window.timeAxis()->x0() - 450.0) <= 2 * pixel
            && std::abs(window.timeAxis()->x1() - 470.0) <= 2 * pixel,
        qPrintable(window.timeAxis()->describe()));
    QTRY_VERIFY2(chartsShow(window, window.timeAxis()->x0(), window.timeAxis()->x1()),
        qPrintable(chartRange(window)));
    snap(window, "drag-zoomed");
}

void TestTimeWindows::presetsSetTheWindow()
{
    ui::MainWindow window(options(m_scenario));
    window.resize(1400, 900);
    window.show();
    runTo(window, 1000.0);
    auto *picker = window.findChild<QComboBox *>(QStringLiteral("windowPicker"));
    QVERIFY(picker);
    QCOMPARE(picker->count(), 5);
    QCOMPARE(picker->currentText(), QStringLiteral("Whole run"));
    QTRY_VERIFY2(chartsShow(window, 0.0, 1000.0), qPrintable(chartRange(window)));

    struct Expected
    {
        QString text;
        double x0;
        double x1;
    };
    // Before a window fills, its first N seconds show.
    const Expected expected[] = {{QStringLiteral("1 min"), 940.0, 1000.0},
        {QStringLiteral("5 min"), 700.0, 1000.0}, {QStringLiteral("15 min"), 100.0, 1000.0},
        {QStringLiteral("1 h"), 0.0, 3600.0}, {QStringLiteral("Whole run"), 0.0, 1000.0}};
    for (const Expected &e : expected) {
        // A held range first: the preset follows again.
        window.timeAxis()->zoomTo(10.0, 20.0);
        const int index = picker->findText(e.text);
        QVERIFY2(index >= 0, qPrintable(e.text));
        picker->setCurrentIndex(index);
        Q_EMIT picker->activated(index);
        QVERIFY(window.timeAxis()->following());
        QTRY_VERIFY2(chartsShow(window, e.x0, e.x1),
            qPrintable(e.text + QLatin1Char(' ') + chartRange(window)));
    }

    // Zoom in and out from the keyboard's actions, then reset from the keyboard.
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTest::keyClick(&window, Qt::Key_Equal, Qt::ControlModifier);
    QVERIFY(!window.timeAxis()->following());
    QCOMPARE(window.timeAxis()->x1() - window.timeAxis()->x0(), 500.0);
    QTest::keyClick(&window, Qt::Key_Minus, Qt::ControlModifier);
    QCOMPARE(window.timeAxis()->x1() - window.timeAxis()->x0(), 1000.0);
    window.timeAxis()->setWindow(60.0);
    window.timeAxis()->zoomTo(100.0, 200.0);
    QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
    QVERIFY(window.timeAxis()->following());
    QCOMPARE(picker->currentText(), QStringLiteral("Whole run"));
    QTRY_VERIFY2(chartsShow(window, 0.0, 1000.0), qPrintable(chartRange(window)));
}

// Case V2: during a long live run, zoom into 10 minutes, then reset while points keep
// arriving; then fix the y axis at 0 to 50 and keep streaming. Reset returns to the full
// range and follows new data again; a manual range stays until the user clears it.
void TestTimeWindows::caseV2ZoomResetAndFixedY()
{
    ui::MainWindow window(options(m_scenario));
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    runTo(window, 1200.0);
    QTRY_VERIFY2(chartsShow(window, 0.0, 1200.0), qPrintable(chartRange(window)));

    // Zoom into 10 minutes (the spike at 600 s to 660 s and what followed).
    window.timeAxis()->zoomTo(500.0, 1100.0);
    QTRY_VERIFY2(chartsShow(window, 500.0, 1100.0), qPrintable(chartRange(window)));

    // Points keep arriving; the zoomed range stays.
    runTo(window, 1400.0);
    QTest::qWait(100); // past the redraw a snapshot schedules
    QVERIFY2(chartsShow(window, 500.0, 1100.0), qPrintable(chartRange(window)));

    // Reset (Ctrl+0) as the run goes on: the full range, following new data.
    window.pauseAt(2000.0);
    window.onStart();
    QTest::keyClick(&window, Qt::Key_0, Qt::ControlModifier);
    QVERIFY(window.timeAxis()->following());
    QCOMPARE(window.timeAxis()->windowS(), ui::LinkedTimeAxis::kWholeRun);
    QTRY_VERIFY_WITH_TIMEOUT(
        [&] {
            const ui::TimeChart *c = chart(window, 0, ChartKind::Rate);
            return c->xMin() == 0.0 && c->xMax() > 1400.0 && c->xMax() == window.simulatedTimeS();
        }(),
        kTimeoutMs);
    QTRY_VERIFY_WITH_TIMEOUT(window.simulatedTimeS() >= 2000.0 && !window.isRunning(), kTimeoutMs);
    QTRY_VERIFY2(chartsShow(window, 0.0, 2000.0), qPrintable(chartRange(window)));

    // Fix the rate charts' y axis at 0 to 50 (the context menu's "Fix y range...") and keep
    // streaming to the end of the run.
    ui::ComparisonView *view = window.comparisonView();
    view->setFixedYRange(ChartKind::Rate, 0.0, 50.0);
    const auto rateRangesAre = [&](double min, double max) {
        for (std::size_t lane = 0; lane < view->columns().size(); ++lane) {
            const ui::TimeChart *c = chart(window, static_cast<int>(lane), ChartKind::Rate);
            if (c->yMin() != min || c->yMax() != max)
                return false;
        }
        return true;
    };
    QTRY_VERIFY(rateRangesAre(0.0, 50.0));
    snap(window, "v2-fixed-y");
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);
    QTRY_VERIFY2(chartsShow(window, 0.0, 2400.0), qPrintable(chartRange(window)));
    QVERIFY(rateRangesAre(0.0, 50.0));
    // A zoom keeps it too.
    window.timeAxis()->zoomTo(500.0, 800.0);
    QTRY_VERIFY2(chartsShow(window, 500.0, 800.0), qPrintable(chartRange(window)));
    QVERIFY(rateRangesAre(0.0, 50.0));

    // Cleared ("Auto y range"), the rate axis fits the data again: the spike's 30 req/s.
    view->clearFixedYRange(ChartKind::Rate);
    QTRY_VERIFY(!rateRangesAre(0.0, 50.0));
    const double yMax = chart(window, 0, ChartKind::Rate)->yMax();
    QVERIFY2(yMax >= 30.0, qPrintable(QString::number(yMax)));
    snap(window, "v2-zoomed-auto-y");

    // Unlocked, each lane's axes fit its own data: the charts redraw.
    const int redraws = view->chartRedraws();
    window.findChild<QAction *>(QStringLiteral("lockYAction"))->trigger();
    QVERIFY(!view->lockY());
    QTRY_VERIFY(view->chartRedraws() > redraws);
    snap(window, "v2-unlocked-y");
}

QTEST_MAIN(TestTimeWindows)
#include "tst_timewindows.moc"
