#include "apptheme.h"
#include "comparisonexport.h"
#include "comparisonview.h"
#include "lanecolumn.h"
#include "seedspikerun.h"
#include "io/runwriter.h"
#include "sim/experiment.h"
#include "simulationworker.h"
#include "summarymodel.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <QApplication>
#include <QEventLoop>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QRegularExpression>
#include <QSet>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace headroom;

namespace {

// Every lane's samples as timeseries.csv writes them: equal text, equal samples.
std::string samplesText(const ui::ComparisonData &data)
{
    std::vector<io::LaneSeries> series;
    for (const ui::ComparisonData::Lane &lane : data.lanes)
        series.push_back({lane.controller, &lane.samples});
    return io::timeseriesCsv(series);
}

// seed-spike run by a worker on this thread as a batch export runs it, to its end or paused
// at `pauseAtS`; with `heldBack`, the samples taken from it at the end.
ui::ComparisonData workerRun(bool heldBack, double pauseAtS = 1e9)
{
    ui::SimulationWorker worker;
    ui::ComparisonData data;
    QEventLoop loop;
    QObject::connect(&worker, &ui::SimulationWorker::loaded, &loop,
        [&](const ui::ComparisonData &skeleton) { data = skeleton; });
    QObject::connect(&worker, &ui::SimulationWorker::snapshotReady, &loop,
        [&](const ui::SimulationSnapshot &snapshot) {
            ui::appendSnapshot(data, snapshot);
            if (snapshot.finished || snapshot.nowS >= pauseAtS)
                loop.quit(); // the worker has stopped there itself
        });
    ui::SimulationSource source;
    source.controllers
        = {QStringLiteral("predictive"), QStringLiteral("hpa"), QStringLiteral("clairvoyant")};
    worker.setSamplesHeldBack(heldBack);
    worker.load(source);
    worker.setSpeed(0.0);
    worker.setPauseAt(pauseAtS);
    worker.start();
    loop.exec();
    if (heldBack) {
        std::vector<std::vector<metrics::LaneSample>> samples = worker.takeSamples();
        if (samples.size() != data.lanes.size())
            qFatal("takeSamples() gave %zu lanes of %zu", samples.size(), data.lanes.size());
        for (std::size_t i = 0; i < samples.size(); ++i)
            data.lanes[i].samples = std::move(samples[i]);
    }
    return data;
}

} // namespace

class TestComparisonExport : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pngHasDevicePixelSize();
    void svgNamesControllers();
    void oversizedImageRefused();
    void unwritablePathReported();
    void keyNamesEveryMarker();
    void exportIsLightUnderADarkPalette();
    void exportSizeGrowsWithLanes();
    void tableColumnsFitTheirContent();
    void longRunsReadInHours();
    void cappedReferenceIsSaidUnderTheTable();
    void svgTitleIsEscaped();
    void aLongTitleLeavesEveryLaneInView();
    void aLiveClustersPictureStartsAtItsFirstReading();
    void takenComparisonIsTheCopy();
    void heldBackSamplesAreThoseSnapshotsCarry();

private:
    ui::ComparisonData m_data;
    QTemporaryDir m_dir;
};

void TestComparisonExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Set HEADROOM_KEEP_TEST_OUTPUT to look at the pictures afterwards.
    m_dir.setAutoRemove(!qEnvironmentVariableIsSet("HEADROOM_KEEP_TEST_OUTPUT"));
    qInfo() << "output in" << m_dir.path();
    m_data = testing::seedSpikeWithOperatorSpike({"predictive", "hpa"}, 30.0);
    QCOMPARE(m_data.lanes.size(), 2u);
    QCOMPARE(m_data.spikes.size(), 2u); // seed-spike's own and the operator's
}

void TestComparisonExport::pngHasDevicePixelSize()
{
    const QString path = m_dir.filePath(QStringLiteral("comparison.png"));
    QString error;
    QVERIFY2(
        ui::exportComparisonPng(m_data, path, QSize(1200, 800), 2.0, &error), qPrintable(error));

    QImage image(path);
    QCOMPARE(image.size(), QSize(2400, 1600));
    QSet<QRgb> colors;
    for (int y = 0; y < image.height(); y += 3) {
        for (int x = 0; x < image.width(); x += 3)
            colors.insert(image.pixel(x, y));
    }
    QVERIFY2(colors.size() > 50, qPrintable(QString::number(colors.size())));
}

void TestComparisonExport::svgNamesControllers()
{
    const QString path = m_dir.filePath(QStringLiteral("comparison.svg"));
    QString error;
    QVERIFY2(ui::exportComparisonSvg(m_data, path, QSize(1200, 800), &error), qPrintable(error));

    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray svg = file.readAll();
    QVERIFY(svg.contains("<svg"));
    QVERIFY(svg.contains("predictive"));
    QVERIFY(svg.contains("hpa"));
    QVERIFY(svg.contains("time (s)"));
}

void TestComparisonExport::oversizedImageRefused()
{
    const QString path = m_dir.filePath(QStringLiteral("huge.png"));
    QString error;
    QVERIFY(!ui::exportComparisonPng(m_data, path, QSize(40000, 800), 1.0, &error));
    QVERIFY2(error.contains(QStringLiteral("40000")), qPrintable(error));
    QVERIFY(!QFile::exists(path));

    QVERIFY(!ui::exportComparisonPng(m_data, path, QSize(0, 800), 1.0, &error));
    QVERIFY(!QFile::exists(path));
}

void TestComparisonExport::unwritablePathReported()
{
    const QString path = m_dir.filePath(QStringLiteral("no/such/dir/out.png"));
    QString error;
    QVERIFY(!ui::exportComparisonPng(m_data, path, QSize(400, 300), 1.0, &error));
    QVERIFY2(error.contains(path), qPrintable(error));

    const QString svgPath = m_dir.filePath(QStringLiteral("no/such/dir/out.svg"));
    QVERIFY(!ui::exportComparisonSvg(m_data, svgPath, QSize(400, 300), &error));
    QVERIFY2(error.contains(svgPath), qPrintable(error));
}

void TestComparisonExport::keyNamesEveryMarker()
{
    ui::ComparisonView view;
    const QString key = view.keyText();
    for (const char *words : {"scaling decisions", "conditions", "KPA panic", "spikes", "SLO"})
        QVERIFY2(key.contains(QString::fromLatin1(words)), words);
    QVERIFY(!key.contains(QStringLiteral("operator spikes.")));
}

void TestComparisonExport::exportIsLightUnderADarkPalette()
{
    const QPalette before = QApplication::palette();
    QApplication::setPalette(ui::darkPalette());
    const QImage image = ui::renderComparison(m_data, QSize(1200, 800), 1.0);
    QApplication::setPalette(before);

    // The corners and the summary table's background are white, as in a light export.
    QCOMPARE(QColor(image.pixel(2, 2)).lightness(), 255);
    QVERIFY(QColor(image.pixel(image.width() - 3, image.height() - 3)).lightness() > 230);
    QVERIFY(QColor(image.pixel(image.width() / 2, image.height() - 12)).lightness() > 200);
}

void TestComparisonExport::exportSizeGrowsWithLanes()
{
    QCOMPARE(ui::defaultExportSize(2), QSize(1600, 1000));
    QCOMPARE(ui::defaultExportSize(3), QSize(1600, 1000));
    QVERIFY(ui::defaultExportSize(4).width() > 1600);
    QVERIFY(ui::defaultExportSize(8).width() >= 8 * 400);
    QVERIFY(ui::defaultExportSize(8).width() <= 32767 / 2); // still exportable at 2x
}

// Status says "ok" or "finished": it takes no more room than the other columns.
void TestComparisonExport::tableColumnsFitTheirContent()
{
    ui::ComparisonView view;
    view.resize(1600, 1000);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showData(m_data, 0.0, m_data.durationS);
    auto *table = view.findChild<QTableView *>();
    QVERIFY(table);
    QTRY_VERIFY(table->width() < view.width() * 3 / 4);
    const int status = table->columnWidth(ui::SummaryModel::Status);
    int widest = 0;
    for (int c = 0; c < ui::SummaryModel::Status; ++c)
        widest = std::max(widest, table->columnWidth(c));
    QVERIFY2(status <= widest,
        qPrintable(QString::number(status) + QStringLiteral(" > ") + QString::number(widest)));
    int sum = 0;
    for (int c = 0; c < ui::SummaryModel::ColumnCount; ++c)
        sum += table->columnWidth(c);
    QVERIFY(sum <= table->width());
    QVERIFY(sum >= table->width() - 8);
}

// A run of 12 hours reads in hours, not in tens of thousands of seconds.
void TestComparisonExport::longRunsReadInHours()
{
    ui::ComparisonData data = m_data;
    for (ui::ComparisonData::Lane &lane : data.lanes) {
        for (metrics::LaneSample &s : lane.samples)
            s.tS *= 600.0; // 72 s of seed-spike become 12 h
    }
    data.durationS *= 600.0;
    ui::ComparisonView view;
    view.resize(1600, 1000);
    view.showData(data, 0.0, data.durationS);
    // A lane's charts share the time axis: the bottom one (pods) labels it.
    for (ui::LaneColumn *column : view.columns()) {
        const QList<ui::TimeChart *> charts = column->charts();
        QCOMPARE(charts.back()->xAxisTitle(), QStringLiteral("time (h)"));
        QCOMPARE(charts.front()->xAxisTitle(), QString());
    }
    QString error;
    const QString path = m_dir.filePath(QStringLiteral("long.svg"));
    QVERIFY2(
        ui::exportComparisonSvg(data, path, ui::defaultExportSize(2), &error), qPrintable(error));
    QFile svg(path);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QByteArray text = svg.readAll();
    QVERIFY(text.contains("time (h)"));
    QVERIFY(!text.contains("time (s)"));
}

// seed-spike needs 7 pods at its peak; capped at 3, the clairvoyant reference cannot have
// them. The line under the table says so, without a scroll to the Status column.
void TestComparisonExport::cappedReferenceIsSaidUnderTheTable()
{
    const traffic::Scenario scenario = traffic::resolveScenario("seed-spike");
    sim::ExperimentConfig config = sim::scenarioConfig(scenario, {"hpa", "clairvoyant"});
    config.cluster.maxReplicas = 3;
    sim::Experiment experiment(config, std::make_unique<traffic::ScenarioArrivals>(scenario));
    experiment.runToEnd();
    const ui::ComparisonData capped = ui::comparisonFromExperiment(experiment);

    ui::ComparisonView view;
    view.resize(1600, 1000);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showData(m_data, 0.0, m_data.durationS);
    QVERIFY(!view.summaryNotes()->isVisible()); // 20 pods: nothing capped
    view.showData(capped, 0.0, capped.durationS);
    QVERIFY(view.summaryNotes()->isVisible());
    const QString note = view.summaryNotes()->text();
    QVERIFY2(note.contains(QStringLiteral("reference capped at 3 pods for ")), qPrintable(note));
    QVERIFY2(note.contains(QStringLiteral("under-provisioning against it reads low")), qPrintable(note));
    // Below the table, within its width, and inside the window.
    const QRect table = view.summaryTable()->geometry();
    const QRect notes = view.summaryNotes()->geometry();
    QTRY_VERIFY(notes.top() >= table.bottom());
    QVERIFY(notes.width() <= table.width());
    QVERIFY(view.summaryNotes()->mapTo(&view, QPoint(0, notes.height())).y() <= view.height());
}

// A run's title comes from a scenario's name or a trace's file name, which may hold
// anything: the SVG stays well-formed XML and shows the name as text, never as markup.
void TestComparisonExport::svgTitleIsEscaped()
{
    ui::ComparisonData data = m_data;
    data.title = "Spike & ramp <script>document.title='x'</script>, seed 1\x01";
    const QString path = m_dir.filePath(QStringLiteral("escaped.svg"));
    QString error;
    QVERIFY2(ui::exportComparisonSvg(data, path, QSize(1200, 800), &error), qPrintable(error));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    QXmlStreamReader xml(&file);
    QString title;
    int scripts = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        // It opens at the size it was drawn at (CSS pixels), not 72-dpi millimetres.
        if (xml.isStartElement() && xml.name() == QStringLiteral("svg")) {
            QCOMPARE(xml.attributes().value(QStringLiteral("width")).toString(), QStringLiteral("1200"));
            QCOMPARE(xml.attributes().value(QStringLiteral("height")).toString(), QStringLiteral("800"));
        }
        if (xml.isStartElement() && xml.name() == QStringLiteral("title"))
            title = xml.readElementText();
        if (xml.isStartElement() && xml.name() == QStringLiteral("script"))
            ++scripts;
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    // Control characters have no place in XML: dropped.
    QCOMPARE(title, QString::fromStdString(data.title).remove(QChar(1)));
    QCOMPARE(scripts, 0);

    // The title drawn above the charts is the name as written, every character of it: read
    // as rich text, the script's words vanished and "<u>" underlined what followed.
    ui::ComparisonView view;
    view.resize(1600, 1000);
    const QString raw = QStringLiteral("<u>under</u> &lt;lt&gt; ") + QString::fromStdString(data.title);
    view.setTitle(raw);
    const QLabel *label = nullptr;
    for (const QLabel *l : view.findChildren<QLabel *>()) {
        if (l->text() == raw)
            label = l;
    }
    QVERIFY(label);
    QVERIFY2(label->sizeHint().width() >= label->fontMetrics().horizontalAdvance(raw),
        qPrintable(QString::number(label->sizeHint().width())));
}

// A scenario's name (up to 100 characters) or a trace's file name: a title wider than the
// picture set the layout's minimum width, and the second lane was cut in half in every export
// (found by a new-user trial). It is cut in the middle instead, whole in its tooltip.
void TestComparisonExport::aLongTitleLeavesEveryLaneInView()
{
    ui::ComparisonView view;
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    const QString title = QString(100, QLatin1Char('W')) + QStringLiteral(", seed 1");
    view.setTitle(title);
    view.showData(m_data, 0.0, m_data.durationS);
    QTRY_VERIFY(view.findChildren<ui::LaneColumn *>().size() == 2);
    for (const ui::LaneColumn *column : view.findChildren<ui::LaneColumn *>())
        QVERIFY2(column->geometry().right() < view.width(),
            qPrintable(QStringLiteral("%1: right edge %2 of %3")
                    .arg(column->objectName()).arg(column->geometry().right()).arg(view.width())));
    QCOMPARE(view.title(), title);
    QVERIFY2(view.titleShown().contains(QChar(0x2026)) && view.titleShown().endsWith(QStringLiteral(", seed 1")),
        qPrintable(view.titleShown()));
    // A wider view shows more of it; one wide enough, all of it.
    view.resize(5000, 800);
    QTRY_COMPARE(view.titleShown(), title);
}

// A live cluster joined at its 3000 s: the export's time axis runs over the seconds read,
// not from the cluster's 0 s (a new-user trial's 15 s joined at 183 s were a sliver at the
// right of a 0-198 s axis, 92 % of each chart blank).
void TestComparisonExport::aLiveClustersPictureStartsAtItsFirstReading()
{
    ui::ComparisonData data = m_data;
    data.live = true;
    constexpr double kJoinedS = 3000.0;
    for (ui::ComparisonData::Lane &lane : data.lanes) {
        for (metrics::LaneSample &s : lane.samples)
            s.tS += kJoinedS;
        for (metrics::LaneEvent &e : lane.events)
            e.tS += kJoinedS;
        lane.forecastCurve.reset();
    }
    for (ui::ComparisonData::SpikeSpan &spike : data.spikes) {
        spike.startS += kJoinedS;
        spike.endS += kJoinedS;
    }
    data.durationS += kJoinedS;
    QCOMPARE(ui::startOfData(data), data.lanes[0].samples.front().tS - 1.0); // the second before the first sample
    QString error;
    const QString path = m_dir.filePath(QStringLiteral("live.svg"));
    QVERIFY2(ui::exportComparisonSvg(data, path, ui::defaultExportSize(2), &error), qPrintable(error));
    QFile svg(path);
    QVERIFY(svg.open(QIODevice::ReadOnly));
    const QString text = QString::fromUtf8(svg.readAll());
    // The time axis's labels: ticks every few seconds past 3000 s, where an axis from 0 s had
    // one every 500 s and none between 3000 and 3100.
    QSet<int> ticks;
    const QRegularExpression label(QStringLiteral(">\\s*(\\d+)\\s*</text>"));
    for (auto it = label.globalMatch(text); it.hasNext();) {
        const int value = it.next().captured(1).toInt();
        if (value > kJoinedS && value <= kJoinedS + 100.0)
            ticks.insert(value);
    }
    QVERIFY2(ticks.size() >= 3, qPrintable(QString::number(ticks.size())));
    // A simulated run still starts at 0 s.
    QCOMPARE(ui::startOfData(m_data), 0.0);
}

// headroom-cli run draws its pictures from the samples taken out of the finished run, not a
// copy of them (a month's are 300 MB a lane): the same data either way.
void TestComparisonExport::takenComparisonIsTheCopy()
{
    const traffic::Scenario scenario = traffic::resolveScenario("seed-spike");
    sim::Experiment experiment(sim::scenarioConfig(scenario, {"predictive", "hpa"}),
        std::make_unique<traffic::ScenarioArrivals>(scenario));
    experiment.runToEnd();
    const ui::ComparisonData copied = ui::comparisonFromExperiment(experiment);
    const ui::ComparisonData taken = ui::takeComparison(experiment);
    QCOMPARE(taken.lanes.size(), copied.lanes.size());
    QCOMPARE(taken.lanes.front().samples.size(), std::size_t(scenario.durationS));
    QCOMPARE(samplesText(taken), samplesText(copied));
    for (std::size_t i = 0; i < taken.lanes.size(); ++i) {
        QCOMPARE(taken.lanes[i].events.size(), copied.lanes[i].events.size());
        QCOMPARE(taken.lanes[i].summary.requests, copied.lanes[i].summary.requests);
        QVERIFY(experiment.lanes()[i]->samples().empty()); // handed over, not copied
    }
    QCOMPARE(taken.title, copied.title);
    QCOMPARE(taken.spikes.size(), copied.spikes.size());
}

// A batch export's worker keeps the samples back from its snapshots and hands them over at
// the end: the data is what the snapshots would have carried, whole run or stopped early.
void TestComparisonExport::heldBackSamplesAreThoseSnapshotsCarry()
{
    const ui::ComparisonData sent = workerRun(false);
    const ui::ComparisonData heldBack = workerRun(true);
    QCOMPARE(heldBack.lanes.size(), 3u);
    QVERIFY(!heldBack.lanes.front().samples.empty());
    QCOMPARE(samplesText(heldBack), samplesText(sent));
    for (std::size_t i = 0; i < sent.lanes.size(); ++i) {
        QCOMPARE(heldBack.lanes[i].events.size(), sent.lanes[i].events.size());
        QCOMPARE(heldBack.lanes[i].summary.requests, sent.lanes[i].summary.requests);
    }

    const ui::ComparisonData stoppedSent = workerRun(false, 60.0);
    const ui::ComparisonData stoppedHeldBack = workerRun(true, 60.0);
    QVERIFY(!stoppedSent.lanes.front().samples.empty());
    QVERIFY(stoppedSent.lanes.front().samples.size() < sent.lanes.front().samples.size());
    QCOMPARE(samplesText(stoppedHeldBack), samplesText(stoppedSent));
}

QTEST_MAIN(TestComparisonExport)
#include "tst_comparisonexport.moc"
