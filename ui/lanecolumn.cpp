#include "lanecolumn.h"

#include "decimation.h"
#include "eventmodel.h"
#include "eventstyle.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

namespace headroom::ui {

namespace {

const QString kArrivals = QStringLiteral("arrivals/s");
const QString kCompleted = QStringLiteral("completed/s");
const QString kP50 = QStringLiteral("p50");
const QString kP95 = QStringLiteral("p95");
const QString kSlo = QStringLiteral("SLO");
const QString kDesired = QStringLiteral("desired");
const QString kReady = QStringLiteral("ready");
const QString kUnready = QStringLiteral("unready");
const QString kStarting = QStringLiteral("starting");
const QString kLoad = QStringLiteral("load");
const QString kTime = QStringLiteral("time");

// Colour-blind-safe hues (Okabe-Ito) that read on light and dark backgrounds.
const QColor kBlue(0x00, 0x72, 0xb2);
const QColor kGreen(0x00, 0x9e, 0x73);
const QColor kOrange(0xe6, 0x9f, 0x00);
const QColor kVermillion(0xd5, 0x5e, 0x00);
const QColor kPurple(0xcc, 0x79, 0xa7);
const QColor kGrey(0x80, 0x80, 0x80);
const QColor kCrimson(0xdc, 0x26, 0x44); // unready pods: apart from starting's orange
// Markers closer than this many pixels merge into one: long runs have thousands of events.
constexpr double kMarkerGapPixels = 3.0;
// Flags are about this wide: closer ones would overlap into a bar.
constexpr double kFlagGapPixels = 10.0;
// More markers than one per this many pixels hide the lines: they shrink to ticks.
constexpr int kDenseMarkerPixels = 15;

// A lasting controller state (e.g. KPA panic) from the event opening it to the one closing it.
struct RegionSpan
{
    double x0 = 0.0;
    double x1 = 0.0;
    QString name;
    QString text;
};

// Events that mark one x (or a few merged within a few pixels), with their texts.
struct MarkerGroup
{
    double x = 0.0;
    QStringList texts;
    int more = 0; // merged events beyond kMaxGroupTexts, counted, not listed

    QString text() const
    {
        QString joined = texts.join(QLatin1Char('\n'));
        if (more > 0)
            joined
                += QStringLiteral("\n... and ") + QString::number(more) + QStringLiteral(" more");
        return joined;
    }
};
// A hover text lists this many of a merged marker's events.
constexpr int kMaxGroupTexts = 8;

// TODO: traces with token counts draw service times from tokens, not from the lognormal
// mean, so for them this line understates the load; it needs the source's mean service time.
double loadPods(const ComparisonData &data, const metrics::LaneSample &s)
{
    return s.arrivalsPerS * data.serviceMeanS / std::max(data.podSlots, 1);
}

template <typename Field>
double windowMax(const std::vector<metrics::LaneSample> &samples, double x0, double x1, Field field)
{
    double max = 0.0;
    for (const metrics::LaneSample &s : samples) {
        const double v = field(s);
        if (s.tS >= x0 && s.tS <= x1 && std::isfinite(v))
            max = std::max(max, v);
    }
    return max;
}

QString spikeLabel(double multiplier)
{
    return QStringLiteral("spike x") + QString::number(multiplier, 'g', 3);
}

QString eventText(const metrics::LaneEvent &event)
{
    return eventTimeText(event.tS) + QStringLiteral(": ") + QString::fromStdString(event.text);
}

QString spikeText(const ComparisonData::SpikeSpan &spike)
{
    return spikeLabel(spike.multiplier) + QStringLiteral(" from ") + eventTimeText(spike.startS)
        + QStringLiteral(" to ") + eventTimeText(spike.endS);
}

// Pairs each region's opening event with its closing one; a span still open runs to `endS`.
std::vector<RegionSpan> regionSpans(const std::vector<metrics::LaneEvent> &events, double endS)
{
    std::vector<RegionSpan> spans;
    std::vector<RegionSpan> open;
    for (const metrics::LaneEvent &e : events) {
        if (e.region.empty())
            continue;
        const QString name = QString::fromStdString(e.region);
        const auto it = std::find_if(
            open.begin(), open.end(), [&](const RegionSpan &r) { return r.name == name; });
        if (e.regionOpens && it == open.end()) {
            open.push_back({e.tS, endS, name, eventText(e)});
        } else if (!e.regionOpens && it != open.end()) {
            it->x1 = e.tS;
            it->text += QLatin1Char('\n') + eventText(e);
            spans.push_back(*it);
            open.erase(it);
        }
    }
    for (RegionSpan &r : open) {
        r.x1 = std::max(r.x1, r.x0);
        spans.push_back(r);
    }
    return spans;
}

// The events of the kinds `accept` takes inside [x0, x1], merged when closer than `minGap`.
template <typename Accept>
std::vector<MarkerGroup> markerGroups(const std::vector<metrics::LaneEvent> &events, double x0,
    double x1, double minGap, Accept accept)
{
    std::vector<MarkerGroup> groups;
    for (const metrics::LaneEvent &e : events) {
        if (e.tS < x0 || e.tS > x1 || !accept(e))
            continue;
        if (groups.empty() || e.tS - groups.back().x >= minGap)
            groups.push_back({e.tS, {}, 0});
        MarkerGroup &group = groups.back();
        if (group.texts.size() < kMaxGroupTexts)
            group.texts.append(eventText(e));
        else
            ++group.more;
    }
    return groups;
}

bool isScale(const metrics::LaneEvent &e)
{
    return e.kind == "scale";
}

bool isFallback(const metrics::LaneEvent &e)
{
    return e.kind == "fallback";
}

bool isCondition(const metrics::LaneEvent &e)
{
    return e.kind == "condition";
}

} // namespace

ChartScales lockedScales(const ComparisonData &data, double x0, double x1)
{
    ChartScales scales;
    scales.latencyMaxMs = data.sloLatencyMs * 1.2;
    scales.podsMax = 4.0;
    for (const ComparisonData::Lane &lane : data.lanes) {
        const auto &s = lane.samples;
        scales.rateMax = std::max(
            {scales.rateMax, windowMax(s, x0, x1, [](const auto &v) { return v.arrivalsPerS; }),
                windowMax(s, x0, x1, [](const auto &v) { return v.completedPerS; })});
        scales.latencyMaxMs = std::max(scales.latencyMaxMs,
            windowMax(s, x0, x1, [](const auto &v) { return v.latencyP95Ms; }));
        scales.podsMax = std::max({scales.podsMax,
            windowMax(s, x0, x1, [](const auto &v) { return double(v.podsDesired); }),
            windowMax(s, x0, x1, [](const auto &v) { return double(v.podsReady); }),
            windowMax(s, x0, x1, [](const auto &v) { return double(v.podsStarting); }),
            windowMax(s, x0, x1, [](const auto &v) { return double(v.podsUnready); }),
            windowMax(s, x0, x1, [&](const auto &v) { return loadPods(data, v); })});
    }
    return scales;
}

LaneColumn::LaneColumn(const QString &controller, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    setupHeading(controller);
    setupCharts();
}

void LaneColumn::setupHeading(const QString &controller)
{
    m_heading = new QLabel(controller, this);
    QFont font = m_heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.3);
    font.setBold(true);
    m_heading->setFont(font);

    m_status = new QLabel(this);
    m_status->setWordWrap(true);
    m_status->setVisible(false);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(8, 0, 8, 0);
    row->addWidget(m_heading);
    row->addWidget(m_status, 1);
    static_cast<QVBoxLayout *>(layout())->addLayout(row);
}

void LaneColumn::setupCharts()
{
    m_rate = new TimeChart(this);
    m_rate->setTitle(QStringLiteral("Request rate"));
    m_rate->setAxisTitles(kTime, QStringLiteral("req/s"));
    m_rate->addLine(kArrivals, {kBlue, 2.0, Qt::SolidLine});
    m_rate->addLine(kCompleted, {kGreen, 1.5, Qt::SolidLine});

    m_latency = new TimeChart(this);
    m_latency->setTitle(QStringLiteral("Latency"));
    m_latency->setAxisTitles(kTime, QStringLiteral("ms"));
    m_latency->addLine(kP50, {kBlue, 1.5, Qt::SolidLine});
    m_latency->addLine(kP95, {kVermillion, 2.0, Qt::SolidLine});
    m_latency->addLine(kSlo, {kGrey, 1.5, Qt::DashLine});

    m_pods = new TimeChart(this);
    m_pods->setTitle(QStringLiteral("Pods"));
    m_pods->setAxisTitles(kTime, QStringLiteral("pods"));
    m_pods->addLine(kDesired, {kPurple, 2.0, Qt::SolidLine});
    m_pods->addLine(kReady, {kGreen, 2.0, Qt::SolidLine});
    m_pods->addLine(kUnready, {kCrimson, 2.0, Qt::SolidLine});
    m_pods->addLine(kStarting, {kOrange, 1.5, Qt::SolidLine});
    m_pods->addLine(kLoad, {kGrey, 1.5, Qt::DashLine});
    m_pods->setIntegerYTicks(true);

    for (TimeChart *chart : charts())
        layout()->addWidget(chart);
}

QList<TimeChart *> LaneColumn::charts() const
{
    return {m_rate, m_latency, m_pods};
}

void LaneColumn::setTheme(TimeChart::Theme theme)
{
    for (TimeChart *chart : charts())
        chart->setTheme(theme);
    const bool dark = theme == TimeChart::Theme::Dark;
    m_status->setStyleSheet(dark ? QStringLiteral("color: #ff7b6b; font-weight: bold;")
                                 : QStringLiteral("color: #c0392b; font-weight: bold;"));
}

void LaneColumn::showLane(const ComparisonData &data, const ComparisonData::Lane &lane, double x0,
    double x1, const ChartScales &scales)
{
    showAvailability(lane);
    for (TimeChart *chart : charts()) {
        chart->clearLines();
        chart->setXRange(x0, x1);
    }
    m_rate->setYRange(0.0, scales.rateMax);
    m_latency->setYRange(0.0, scales.latencyMaxMs);
    m_pods->setYRange(0.0, scales.podsMax);

    const int buckets = m_rate->plotWidth();
    showRates(lane, x0, x1, buckets);
    showLatency(data, lane, x0, x1, buckets);
    showPods(data, lane, x0, x1, buckets);
    showMarkers(data, lane, x0, x1);
}

void LaneColumn::showAvailability(const ComparisonData::Lane &lane)
{
    m_status->setVisible(!lane.available);
    if (!lane.available)
        m_status->setText(
            QStringLiteral("unavailable: ") + QString::fromStdString(lane.unavailableReason));
}

void LaneColumn::showRates(const ComparisonData::Lane &lane, double x0, double x1, int buckets)
{
    const auto &s = lane.samples;
    m_rate->setLine(
        kArrivals, windowPoints(s, x0, x1, buckets, [](const auto &v) { return v.arrivalsPerS; }));
    m_rate->setLine(kCompleted,
        windowPoints(s, x0, x1, buckets, [](const auto &v) { return v.completedPerS; }));
}

void LaneColumn::showLatency(
    const ComparisonData &data, const ComparisonData::Lane &lane, double x0, double x1, int buckets)
{
    const auto &s = lane.samples;
    m_latency->setLine(
        kP50, windowPoints(s, x0, x1, buckets, [](const auto &v) { return v.latencyP50Ms; }));
    m_latency->setLine(
        kP95, windowPoints(s, x0, x1, buckets, [](const auto &v) { return v.latencyP95Ms; }));
    m_latency->setLine(kSlo, {QPointF(x0, data.sloLatencyMs), QPointF(x1, data.sloLatencyMs)});
}

void LaneColumn::showPods(
    const ComparisonData &data, const ComparisonData::Lane &lane, double x0, double x1, int buckets)
{
    const auto &s = lane.samples;
    m_pods->setLine(kDesired,
        windowPoints(s, x0, x1, buckets, [](const auto &v) { return double(v.podsDesired); }));
    m_pods->setLine(kReady,
        windowPoints(s, x0, x1, buckets, [](const auto &v) { return double(v.podsReady); }));
    m_pods->setLine(kUnready,
        windowPoints(s, x0, x1, buckets, [](const auto &v) { return double(v.podsUnready); }));
    m_pods->setLine(kStarting,
        windowPoints(s, x0, x1, buckets, [](const auto &v) { return double(v.podsStarting); }));
    // A dashed reference: its mean per pixel reads, its min and max would be a grey blur.
    m_pods->setLine(kLoad,
        windowPoints(
            s, x0, x1, buckets, [&](const auto &v) { return loadPods(data, v); }, Reduction::Mean));
}

void LaneColumn::showMarkers(
    const ComparisonData &data, const ComparisonData::Lane &lane, double x0, double x1)
{
    const double minGap = kMarkerGapPixels * (x1 - x0) / std::max(m_rate->plotWidth(), 1);
    const double endS = lane.samples.empty() ? x0 : lane.samples.back().tS;
    const std::vector<RegionSpan> regions = regionSpans(lane.events, endS);
    const bool dark = m_rate->theme() == TimeChart::Theme::Dark;
    const QColor spikeShade = eventMarkColor(EventMark::Spike, dark);
    const QColor regionShade = eventMarkColor(EventMark::Region, dark);
    const QColor scaleColor = eventMarkColor(EventMark::Scale, dark);
    const QColor fallbackColor = eventMarkColor(EventMark::Fallback, dark);
    const QColor conditionColor = eventMarkColor(EventMark::Condition, dark);
    const auto scales = markerGroups(lane.events, x0, x1, minGap, isScale);
    const auto fallbacks = markerGroups(lane.events, x0, x1, minGap, isFallback);
    const auto conditions = markerGroups(
        lane.events, x0, x1, minGap * kFlagGapPixels / kMarkerGapPixels, isCondition);

    const std::size_t markers = scales.size() + fallbacks.size() + conditions.size();
    const bool dense = markers * kDenseMarkerPixels > static_cast<std::size_t>(m_rate->plotWidth());
    for (TimeChart *chart : charts()) {
        chart->setDenseMarkers(dense);
        chart->clearMarkers();
        for (const ComparisonData::SpikeSpan &spike : data.spikes)
            chart->addShadedRegion(spike.startS, spike.endS, spikeShade,
                chart == m_rate ? spikeLabel(spike.multiplier) : QString(), spikeText(spike));
        for (const RegionSpan &r : regions)
            chart->addShadedRegion(
                r.x0, r.x1, regionShade, chart == m_latency ? r.name : QString(), r.text);
        for (const MarkerGroup &g : scales)
            chart->addVerticalMarker(g.x, scaleColor, g.text());
        for (const MarkerGroup &g : fallbacks)
            chart->addVerticalMarker(g.x, fallbackColor, g.text());
        for (const MarkerGroup &g : conditions)
            chart->addFlagMarker(g.x, conditionColor, g.text());
    }
}

} // namespace headroom::ui
