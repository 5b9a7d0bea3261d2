#include "mainwindow.h"

#include <QFile>
#include <QImage>
#include <QLabel>
#include <QTemporaryDir>
#include <QTest>
#include <algorithm>

using namespace headroom;

class TestMainWindow : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void cleanup();
    void runsSpikesAndExports();
    void missingModelLeavesOtherLanesRunning();
    void badTraceKeepsTheRunAndSaysWhy();

private:
    static ui::DashboardOptions maxSpeedOptions();
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
    QCOMPARE(history.spikes.size(), 1u);
    QVERIFY(history.spikes.front().startS >= 25.0);

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

void TestMainWindow::badTraceKeepsTheRunAndSaysWhy()
{
    ui::MainWindow window(maxSpeedOptions());
    window.show();
    window.onStart();
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("broken-trace.csv"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("TIMESTAMP,ContextTokens,GeneratedTokens\nnot a time,1,2\n");
    file.close();

    ui::SimulationSource source;
    source.kind = ui::SimulationSource::Kind::Trace;
    source.tracePath = path;
    window.load(source);
    const auto *error = window.findChild<QLabel *>(QStringLiteral("errorLabel"));
    QVERIFY(error);
    QTRY_VERIFY_WITH_TIMEOUT(
        error->text().contains(QStringLiteral("broken-trace.csv")), kTimeoutMs);
    // Nothing recorded is lost: the finished run is still there to export.
    QCOMPARE(window.history().lanes.at(1).samples.size(), 70u);
    QVERIFY(window.isFinished());
}

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
