#include "io/sweepreport.h"
#include "sweepchart.h"

#include <QImage>
#include <QPainter>
#include <QSet>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>

using namespace headroom;

// The sweep chart's trade-off panel: each lane's mean cost ratio against its mean SLO
// violations, read from the committed report's runs as a reader of the report would.
class TestSweepChart : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void tradeoffPanelPlacesEachLaneByItsMeans();
    void noPanelWithoutTheClairvoyantLane();
    void axisLabelsReadApart();
    void laneKeepsItsColourAcrossCharts();

private:
    const io::SourceStats &source(const std::string &name) const;
    static std::vector<ui::TradeoffMark> paint(const io::SourceStats &source, QImage *image);

    io::SweepReport m_report;
};

void TestSweepChart::initTestCase()
{
    const char *root = std::getenv("HEADROOM_SOURCE_DIR");
    QVERIFY(root);
    const std::string dir = std::string(root) + "/docs/results/predictive-2026-12-04";
    m_report = io::buildSweepReport(io::readSweepRuns(dir),
        {"hpa", "kpa", "linear", "holt-winters", "predictive", "predictive-azure", "predictive-nasa",
            "clairvoyant"},
        "test");
}

const io::SourceStats &TestSweepChart::source(const std::string &name) const
{
    const auto it = std::find_if(m_report.sources.begin(), m_report.sources.end(),
        [&](const io::SourceStats &s) { return s.source == name; });
    if (it == m_report.sources.end())
        qFatal("no source %s in the committed sweep", name.c_str());
    return *it;
}

std::vector<ui::TradeoffMark> TestSweepChart::paint(const io::SourceStats &source, QImage *image)
{
    const QSize size = ui::sweepChartSize(source);
    *image = QImage(size, QImage::Format_ARGB32_Premultiplied);
    image->fill(Qt::white);
    std::vector<ui::TradeoffMark> marks;
    QPainter painter(image);
    ui::paintSweepChart(painter, source, QRectF(QPointF(0, 0), QSizeF(size)), &marks);
    return marks;
}

void TestSweepChart::tradeoffPanelPlacesEachLaneByItsMeans()
{
    // seed-spike (sweep.md): hpa 956 violations at 0.64x, kpa 264 at 3.40x, predictive 221 at
    // 2.35x, the clairvoyant lane 0 at 1x by definition.
    const io::SourceStats &spike = source("seed-spike");
    QImage image;
    const std::vector<ui::TradeoffMark> marks = paint(spike, &image);
    QCOMPARE(marks.size(), spike.controllers.size()); // every lane ran
    const auto at = [&](const char *controller) {
        const auto it = std::find_if(marks.begin(), marks.end(),
            [&](const ui::TradeoffMark &m) { return m.controller == controller; });
        return it == marks.end() ? QPointF(-1, -1) : it->at;
    };
    const QPointF hpa = at("hpa"), kpa = at("kpa"), predictive = at("predictive"),
                  clairvoyant = at("clairvoyant");
    // Right is dearer, up has more violations.
    QVERIFY(hpa.x() < clairvoyant.x() && clairvoyant.x() < predictive.x() && predictive.x() < kpa.x());
    QVERIFY(predictive.y() > kpa.y() && kpa.y() > hpa.y()); // fewer violations lower down
    QVERIFY(clairvoyant.y() > predictive.y());
    // On a linear scale: the predictive lane sits at 2.35 / 3.40 of the kpa's distance from 0x,
    // read through the clairvoyant's 1x and the hpa's 0.64x.
    const double perUnit = (clairvoyant.x() - hpa.x()) / (1.0 - 0.64);
    QVERIFY2(std::abs((predictive.x() - clairvoyant.x()) / perUnit - 1.35) < 0.05,
        qPrintable(QString::number((predictive.x() - clairvoyant.x()) / perUnit)));
    QVERIFY2(std::abs((kpa.x() - clairvoyant.x()) / perUnit - 2.40) < 0.05,
        qPrintable(QString::number((kpa.x() - clairvoyant.x()) / perUnit)));
    // Each causal lane's dot is drawn in its colour (the bars' colour), where no later dot
    // covers it (hpa and holt-winters share a point; the predictive lanes crowd).
    int checked = 0;
    for (std::size_t i = 0; i < marks.size(); ++i) {
        const ui::TradeoffMark &m = marks[i];
        if (m.controller == "clairvoyant")
            continue; // hollow
        if (std::any_of(marks.begin() + static_cast<long>(i) + 1, marks.end(), [&](const ui::TradeoffMark &o) {
                return std::hypot(o.at.x() - m.at.x(), o.at.y() - m.at.y()) < 16.0;
            }))
            continue;
        ++checked;
        const QColor drawn = image.pixelColor(m.at.toPoint());
        QVERIFY2(std::abs(drawn.red() - m.colour.red()) + std::abs(drawn.green() - m.colour.green())
                    + std::abs(drawn.blue() - m.colour.blue()) < 30,
            qPrintable(QString::fromStdString(m.controller) + ": " + drawn.name() + " vs " + m.colour.name()));
    }
    QVERIFY(checked >= 3); // kpa, linear and the last of the predictive lanes at least
    // The panel is under the bars: the picture grew for it.
    QVERIFY(image.height() > 900);
    QVERIFY(std::all_of(marks.begin(), marks.end(), [](const ui::TradeoffMark &m) { return m.at.y() > 520; }));
}

void TestSweepChart::noPanelWithoutTheClairvoyantLane()
{
    io::SourceStats spike = source("seed-spike");
    std::erase_if(spike.controllers, [](const io::ControllerStats &c) { return c.controller == "clairvoyant"; });
    for (io::ControllerStats &c : spike.controllers)
        c.gap.reset(); // what buildSweepReport leaves without the reference
    QImage image;
    QVERIFY(paint(spike, &image).empty());
    QCOMPARE(image.height(), 520);
}

// A sweep in which no lane had a violation drew seven gridlines all labelled 0.
void TestSweepChart::axisLabelsReadApart()
{
    for (const auto &[low, high] : {std::pair {0.0, 0.0}, std::pair {0.0, 956.0}, std::pair {0.0, 0.6}}) {
        const QStringList labels = ui::sweepAxisLabels(low, high);
        QVERIFY2(labels.size() >= 2, qPrintable(labels.join(' ')));
        QVERIFY2(labels.front().toDouble() == 0.0, qPrintable(labels.join(QLatin1Char(' '))));
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size()); // all differ
    }
}

// A lane's colour came from its place in the source's list: the clairvoyant lane was light
// blue in one chart and green in another.
void TestSweepChart::laneKeepsItsColourAcrossCharts()
{
    const io::SourceStats &all = source("seed-spike");
    io::SourceStats few = all;
    std::erase_if(few.controllers, [](const io::ControllerStats &c) {
        return c.controller != "kpa" && c.controller != "predictive-nasa" && c.controller != "clairvoyant";
    });
    QCOMPARE(few.controllers.size(), std::size_t(3));
    QImage image;
    const auto colours = [&](const io::SourceStats &s) {
        std::map<std::string, QColor> byLane;
        for (const ui::TradeoffMark &m : paint(s, &image))
            byLane[m.controller] = m.colour;
        return byLane;
    };
    const auto a = colours(all);
    const auto b = colours(few);
    for (const char *lane : {"kpa", "clairvoyant"})
        QCOMPARE(b.at(lane), a.at(lane));
    // A labelled predictive lane takes a colour no other lane of its chart has.
    QVERIFY(b.at("predictive-nasa") != b.at("kpa") && b.at("predictive-nasa") != b.at("clairvoyant"));
}

QTEST_MAIN(TestSweepChart)
#include "tst_sweepchart.moc"
