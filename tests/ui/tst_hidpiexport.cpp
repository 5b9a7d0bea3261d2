// Case V3 of tests/data/cases/README.md: sharp exports on high-density screens. Runs with
// QT_SCALE_FACTOR=2 (set before the application starts), as on a 2x screen.
#include "comparisonexport.h"
#include "sim/experiment.h"
#include "timechart.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <QApplication>
#include <QFile>
#include <QImage>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;

class TestHiDpiExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void chartGrabHasPhysicalPixels();
    void comparisonPngHasPhysicalPixels();
    void tooWideAtTwiceIsRefused();

private:
    ui::ComparisonData m_data;
    QTemporaryDir m_dir;
};

namespace {

// Pixels differing from their right neighbour within a 2x2 block: none when a 1x picture
// was merely doubled, many when lines and text were drawn at the physical resolution.
int detailWithinBlocks(const QImage &image)
{
    int differing = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x + 1 < image.width(); x += 2)
            differing += image.pixel(x, y) != image.pixel(x + 1, y);
    return differing;
}

} // namespace

void TestHiDpiExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QCOMPARE(qApp->devicePixelRatio(), 2.0);
    const traffic::Scenario scenario = traffic::resolveScenario("seed-spike");
    sim::ExperimentConfig config = sim::scenarioConfig(scenario, {"hpa"});
    config.durationS = 60.0;
    sim::Experiment experiment(config, std::make_unique<traffic::ScenarioArrivals>(scenario));
    experiment.advanceTo(60.0);
    m_data = ui::comparisonFromExperiment(experiment);
    QCOMPARE(m_data.lanes.size(), 1u);
}

void TestHiDpiExport::chartGrabHasPhysicalPixels()
{
    ui::TimeChart chart;
    chart.resize(400, 240);
    chart.setTitle(QStringLiteral("Pods"));
    chart.addLine(QStringLiteral("ready"), {Qt::darkGreen, 2.0, Qt::SolidLine});
    chart.setXRange(0.0, 60.0);
    chart.setYRange(0.0, 10.0);
    chart.setLine(
        QStringLiteral("ready"), {QPointF(0, 2), QPointF(20, 2), QPointF(30, 7), QPointF(60, 7)});
    chart.show();
    QVERIFY(QTest::qWaitForWindowExposed(&chart));
    QCOMPARE(chart.devicePixelRatioF(), 2.0);
    const QImage image = chart.grab().toImage();
    QCOMPARE(image.size(), QSize(800, 480));
    if (qEnvironmentVariableIsSet("HEADROOM_SAVE_CHARTS"))
        image.save(qEnvironmentVariable("HEADROOM_SAVE_CHARTS") + QStringLiteral("/v3-chart.png"));
    QVERIFY2(
        detailWithinBlocks(image) > 200, qPrintable(QString::number(detailWithinBlocks(image))));
}

// The dashboard's export takes the screen's ratio (at least 2): the PNG is twice the logical size.
void TestHiDpiExport::comparisonPngHasPhysicalPixels()
{
    const QString path = m_dir.filePath(QStringLiteral("comparison.png"));
    QString error;
    QWidget window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    const qreal dpr = window.devicePixelRatioF();
    QCOMPARE(dpr, 2.0);
    QVERIFY2(ui::exportComparisonPng(m_data, path, ui::defaultExportSize(1), dpr, &error),
        qPrintable(error));
    const QImage image(path);
    QCOMPARE(image.size(), ui::defaultExportSize(1) * 2);
    if (qEnvironmentVariableIsSet("HEADROOM_SAVE_CHARTS"))
        image.save(
            qEnvironmentVariable("HEADROOM_SAVE_CHARTS") + QStringLiteral("/v3-comparison.png"));
    QVERIFY2(
        detailWithinBlocks(image) > 2000, qPrintable(QString::number(detailWithinBlocks(image))));
}

// 20000 logical pixels at 2x is 40000 physical: more than QPainter draws. Refused with the
// sizes named, and no file (not a blank one) is left.
void TestHiDpiExport::tooWideAtTwiceIsRefused()
{
    const QString path = m_dir.filePath(QStringLiteral("wide.png"));
    QString error;
    QVERIFY(!ui::exportComparisonPng(m_data, path, QSize(20000, 500), 2.0, &error));
    QVERIFY2(
        error.contains(QStringLiteral("40000x1000")) && error.contains(QStringLiteral("32767")),
        qPrintable(error));
    QVERIFY(!QFile::exists(path));

    QVERIFY(!ui::exportComparisonPng(m_data, path, QSize(1000, 16384), 2.0, &error));
    QVERIFY2(error.contains(QStringLiteral("32768")), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

int main(int argc, char **argv)
{
    qputenv("QT_SCALE_FACTOR", "2");
    QApplication app(argc, argv);
    TestHiDpiExport test;
    QTEST_SET_MAIN_SOURCE_PATH
    return QTest::qExec(&test, argc, argv);
}

#include "tst_hidpiexport.moc"
