#include "comparisonview.h"
#include "control/controllerfactory.h"
#include "eventmodel.h"
#include "lanecolumn.h"
#include "mainwindow.h"
#include "summarymodel.h"

#include <QAbstractItemModelTester>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>

using namespace headroom;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void runsSpikesAndExports();
    void missingModelLeavesOtherLanesRunning();
    void badTraceKeepsTheRunAndSaysWhy();
    void fourLanesRunToTheEnd();
    void failedLoadPutsThePickerBack();
    void lanesMenuRestartsWithTheChosenLanes();
    void lanesMenuStaysOpenWhileToggling();
    void eventsListToggles();

private:
    static ui::DashboardOptions maxSpeedOptions();
    static QString writeBrokenTrace(const QTemporaryDir &dir);
};

namespace {

constexpr int kTimeoutMs = 20000;

bool hasSpikeEvent(const ui::ComparisonData::Lane &lane)
{
    return std::any_of(lane.events.begin(), lane.events.end(),
        [](const metrics::LaneEvent &e) { return e.kind == "spike"; });
}

} // namespace

ui::DashboardOptions TestMainWindow::maxSpeedOptions()
{
    ui::DashboardOptions options;
    options.source.scenario = QStringLiteral("seed-spike");
    options.speed = 0.0;
    options.autoStart = false;
    return options;
}

void TestMainWindow::cleanup()
{
    qunsetenv("HEADROOM_MODEL");
}

void TestMainWindow::runsSpikesAndExports()
{
    ui::MainWindow window(maxSpeedOptions());
    window.show();
    // Max speed runs seed-spike in milliseconds: stop just past 25 s to fire the spike.
    window.pauseAt(26.0);
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.simulatedTimeS() > 25.0 && !window.isRunning(), kTimeoutMs);
    QVERIFY(!window.isFinished());

    window.onSpike();
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);

    const ui::ComparisonData &history = window.history();
    QCOMPARE(history.lanes.size(), 2u);
    for (const ui::ComparisonData::Lane &lane : history.lanes) {
        QVERIFY2(lane.available, lane.unavailableReason.c_str());
        QVERIFY(!lane.samples.empty());
        QCOMPARE(lane.samples.back().tS, 70.0);
        QCOMPARE(lane.samples.size(), 70u);
        QVERIFY(hasSpikeEvent(lane));
    }
    // seed-spike's own spike, then the operator's.
    QCOMPARE(history.spikes.size(), 2u);
    QVERIFY(history.spikes.back().startS >= 25.0);

    QTemporaryDir dir;
    dir.setAutoRemove(!qEnvironmentVariableIsSet("HEADROOM_KEEP_TEST_OUTPUT"));
    const QString path = dir.filePath(QStringLiteral("dashboard.png"));
    QString error;
    QVERIFY2(window.exportTo(path, &error), qPrintable(error));
    const QImage image(path);
    QCOMPARE(image.size(), QSize(3200, 2000));
}

void TestMainWindow::missingModelLeavesOtherLanesRunning()
{
    qputenv("HEADROOM_MODEL", "/nonexistent/headroom-model.pt");
    ui::MainWindow window(maxSpeedOptions());
    window.show();
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);

    const ui::ComparisonData &history = window.history();
    QCOMPARE(history.lanes.size(), 2u);
    const ui::ComparisonData::Lane &predictive = history.lanes[0];
    const ui::ComparisonData::Lane &hpa = history.lanes[1];
    QCOMPARE(predictive.controller, std::string("predictive"));
    QVERIFY(!predictive.available);
    QVERIFY(predictive.unavailableReason.find("headroom-model.pt") != std::string::npos);
    QVERIFY(!predictive.summary.available);
    QVERIFY(hpa.available);
    QCOMPARE(hpa.samples.size(), 70u);
    QVERIFY(hpa.summary.requests > 0);

    bool shown = false;
    for (const QLabel *label : window.findChildren<QLabel *>())
        shown = shown
            || (label->isVisible() && label->text().startsWith(QStringLiteral("unavailable: ")));
    QVERIFY2(shown, "the predictive column does not say it is unavailable");
}

QString TestMainWindow::writeBrokenTrace(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("broken-trace.csv"));
    QFile file(path);
    if (file.open(QIODevice::WriteOnly))
        file.write("TIMESTAMP,ContextTokens,GeneratedTokens\nnot a time,1,2\n");
    return path;
}

void TestMainWindow::badTraceKeepsTheRunAndSaysWhy()
{
    ui::MainWindow window(maxSpeedOptions());
    window.show();
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);

    QTemporaryDir dir;
    ui::SimulationSource source;
    source.kind = ui::SimulationSource::Kind::Trace;
    source.tracePath = writeBrokenTrace(dir);
    window.load(source);
    const auto *error = window.findChild<QLabel *>(QStringLiteral("errorLabel"));
    QVERIFY(error);
    QTRY_VERIFY_WITH_TIMEOUT(
        error->text().contains(QStringLiteral("broken-trace.csv")), kTimeoutMs);
    // Nothing recorded is lost: the finished run is still there to export.
    QCOMPARE(window.history().lanes.at(1).samples.size(), 70u);
    QVERIFY(window.isFinished());
}

void TestMainWindow::fourLanesRunToTheEnd()
{
    // kpa joins once it is registered; the test follows the factory.
    QStringList lanes;
    for (const char *name : {"predictive", "hpa", "kpa", "clairvoyant"}) {
        if (control::isKnownController(name))
            lanes.append(QString::fromLatin1(name));
    }
    ui::DashboardOptions options = maxSpeedOptions();
    options.source.controllers = lanes;
    ui::MainWindow window(options);
    window.resize(1600, 1000);
    window.show();
    QAbstractItemModelTester tester(
        window.eventModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(window.stateText(), QStringLiteral("ready"));
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);
    QTRY_VERIFY(!window.isRunning());

    const ui::ComparisonData &history = window.history();
    QCOMPARE(history.lanes.size(), std::size_t(lanes.size()));
    for (std::size_t i = 0; i < history.lanes.size(); ++i) {
        QCOMPARE(QString::fromStdString(history.lanes[i].controller), lanes[int(i)]);
        QCOMPARE(history.lanes[i].samples.size(), 70u);
    }
    QCOMPARE(window.stateText(), QStringLiteral("finished"));
    const ui::SummaryModel *summary = window.comparisonView()->summaryModel();
    QCOMPARE(summary->rowCount(), lanes.size());
    for (int row = 0; row < summary->rowCount(); ++row)
        QCOMPARE(summary->index(row, ui::SummaryModel::Status).data().toString(),
            QStringLiteral("finished"));
    QVERIFY(window.eventModel()->rowCount() > 0);

    // One column per lane, each pods chart on whole-number ticks.
    QTRY_COMPARE(window.comparisonView()->columns().size(), std::size_t(lanes.size()));
    for (const ui::LaneColumn *column : window.comparisonView()->columns()) {
        const double interval = column->charts().at(2)->yTickInterval();
        QVERIFY2(interval >= 1.0 && std::abs(interval - std::round(interval)) < 1e-9,
            qPrintable(QString::number(interval)));
    }

    // The export widens with the lanes, so each column keeps a legible width.
    QTemporaryDir dir;
    dir.setAutoRemove(!qEnvironmentVariableIsSet("HEADROOM_KEEP_TEST_OUTPUT"));
    const QString path = dir.filePath(QStringLiteral("four-lanes.png"));
    QString error;
    QVERIFY2(window.exportTo(path, &error), qPrintable(error));
    QCOMPARE(QImage(path).size(), ui::defaultExportSize(history.lanes.size()) * 2);
    qInfo() << "exported" << path;
}

void TestMainWindow::failedLoadPutsThePickerBack()
{
    ui::MainWindow window(maxSpeedOptions());
    window.show();
    auto *picker = window.findChild<QComboBox *>(QStringLiteral("sourcePicker"));
    QVERIFY(picker);
    QTRY_COMPARE(window.sourceChoiceText(), QStringLiteral("seed-spike"));
    const int running = picker->currentIndex();

    // The operator picks another entry, and what it names cannot be read.
    picker->setCurrentIndex(running == 0 ? 1 : 0);
    QTemporaryDir dir;
    ui::SimulationSource source;
    source.kind = ui::SimulationSource::Kind::Trace;
    source.tracePath = writeBrokenTrace(dir);
    window.load(source);
    const auto *error = window.findChild<QLabel *>(QStringLiteral("errorLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(
        error->text().contains(QStringLiteral("broken-trace.csv")), kTimeoutMs);
    QCOMPARE(picker->currentIndex(), running);
    QCOMPARE(window.sourceChoiceText(), QStringLiteral("seed-spike"));
}

void TestMainWindow::lanesMenuRestartsWithTheChosenLanes()
{
    ui::MainWindow window(maxSpeedOptions());
    window.show();
    const auto *menu = window.findChild<QMenu *>(QStringLiteral("lanesMenu"));
    QVERIFY(menu);
    QStringList offered;
    for (const QAction *action : menu->actions()) {
        if (action->isCheckable())
            offered.append(action->text());
    }
    QStringList available;
    for (const std::string &name : control::availableControllers())
        available.append(QString::fromStdString(name));
    QCOMPARE(offered, available);

    window.setLanes({QStringLiteral("hpa"), QStringLiteral("clairvoyant")});
    QTRY_COMPARE_WITH_TIMEOUT(window.history().lanes.size(), 2u, kTimeoutMs);
    QTRY_COMPARE(window.history().lanes.front().controller, std::string("hpa"));
    QCOMPARE(window.comparisonView()->columns().size(), 2u);
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);
    QCOMPARE(window.history().lanes.back().samples.size(), 70u);
}

void TestMainWindow::lanesMenuStaysOpenWhileToggling()
{
    ui::MainWindow window(maxSpeedOptions());
    window.show();
    auto *menu = window.findChild<QMenu *>(QStringLiteral("lanesMenu"));
    menu->popup(window.mapToGlobal(QPoint(100, 40)));
    QVERIFY(QTest::qWaitForWindowExposed(menu));
    QAction *hpa = nullptr;
    for (QAction *action : menu->actions()) {
        if (action->text() == QStringLiteral("hpa"))
            hpa = action;
    }
    QVERIFY(hpa);
    QVERIFY(hpa->isChecked()); // the running lanes are ticked

    const QPoint at = menu->actionGeometry(hpa).center();
    QTest::mouseClick(menu, Qt::LeftButton, {}, at);
    QVERIFY(!hpa->isChecked());
    QVERIFY(menu->isVisible());
    if (qEnvironmentVariableIsSet("HEADROOM_KEEP_TEST_OUTPUT"))
        menu->grab().save(QDir::temp().filePath(QStringLiteral("headroom-lanes-menu.png")));
    menu->close();
    QCOMPARE(window.lanes(), QStringList({QStringLiteral("predictive"), QStringLiteral("hpa")}));
}

void TestMainWindow::eventsListToggles()
{
    ui::MainWindow window(maxSpeedOptions());
    window.show();
    const auto *events = window.findChild<QTableView *>(QStringLiteral("eventsView"));
    QVERIFY(events);
    QVERIFY(events->isVisible()); // shown by default
    QAction *toggle = nullptr;
    for (QAction *action : window.findChildren<QAction *>()) {
        if (action->text() == QStringLiteral("Events"))
            toggle = action;
    }
    QVERIFY(toggle && toggle->isCheckable() && toggle->isChecked());
    toggle->trigger();
    QVERIFY(!events->isVisible());
    toggle->trigger();
    QVERIFY(events->isVisible());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
