#include "lanecolumn.h"

#include "metrics/lanecomparison.h"

#include "decimation.h"
#include "eventmodel.h"
#include "eventstyle.h"
#include "seriesstats.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QFontMetricsF>
#include <QLocale>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>

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
const QString kForecastBand = QStringLiteral("forecast p50-p90");
const QString kForecastP50 = QStringLiteral("forecast p50");
const QString kForecastPast = QStringLiteral("p90 forecast");

} // namespace

bool isLegendName(ChartKind kind, const QString &name)
{
    switch (kind) {
    case ChartKind::Rate:
        return name == kArrivals || name == kCompleted || name == kForecastBand
            || ((name.startsWith(kForecastPast + QLatin1Char(' ')) || name.startsWith(QStringLiteral("p90 ")))
                && name.endsWith(QStringLiteral(" s ahead")));
    case ChartKind::Latency:
        return name == kP50 || name == kP95 || name == kSlo;
    case ChartKind::Pods:
        return name == kDesired || name == kReady || name == kUnready || name == kStarting
            || name == kLoad;
    }
    return false;
}

namespace {

// Colour-blind-safe hues (Okabe-Ito) that read on light and dark backgrounds.
const QColor kBlue(0x00, 0x72, 0xb2);
const QColor kGreen(0x00, 0x9e, 0x73);
const QColor kOrange(0xe6, 0x9f, 0x00);
const QColor kVermillion(0xd5, 0x5e, 0x00);
const QColor kPurple(0xcc, 0x79, 0xa7);
const QColor kGrey(0x80, 0x80, 0x80);
const QColor kCrimson(0xdc, 0x26, 0x44); // unready pods: apart from starting's orange
// The forecast: arrivals' blue family, lighter, so it reads as "arrivals, predicted".
const QColor kSky(0x56, 0xb4, 0xe9);
// A forecast raises the shared rate axis up to this many times the largest observed rate.
constexpr double kForecastScaleCap = 1.5;
// The live axis shows this much of the future, at least and at most (the longest horizon).
constexpr double kMinLookaheadS = 30.0;
constexpr double kMaxLookaheadS = 180.0;
// The longest horizon a forecast in the samples can have, for the window it reaches back.
constexpr double kMaxHorizonS = 180.0;
// Markers closer than this many pixels merge into one: long runs have thousands of events.
constexpr double kMarkerGapPixels = 3.0;
// Flags are about this wide: closer ones would overlap into a bar.
constexpr double kFlagGapPixels = 10.0;
// More markers than one per this many pixels hide the lines: they shrink to ticks.
constexpr int kDenseMarkerPixels = 15;

// How the forecast draws on a light or a dark chart: the dark background needs a denser
// band and a lighter middle line to show them at all.
struct ForecastStyle
{
    QColor fill;
    TimeChart::LineStyle median;
    TimeChart::LineStyle past;
};

ForecastStyle forecastStyle(bool dark)
{
    QColor fill = kSky;
    fill.setAlpha(dark ? 110 : 80);
    return {fill, {dark ? kSky : kBlue, 1.2, Qt::DashLine, false},
        {dark ? kSky.lighter(115) : kSky.darker(115), 1.4, Qt::SolidLine}};
}

// A lasting controller state (e.g. KPA panic) from the event opening it to the one closing it.
struct RegionSpan
{
    double x0 = 0.0;
    double x1 = 0.0;
    QString name;
    QString text;
    EventMark mark = EventMark::Region;
    double coveredS = 0.0; // seconds in the state: x1 - x0 unless spans were merged
    int merged = 1;        // spans in it
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

// The pods the arrivals keep busy: serviceMeanS is the source's own mean service time
// (a trace's token-driven one where it has token counts).
double loadPods(const ComparisonData &data, const metrics::LaneSample &s)
{
    return s.noData ? std::nan("") : metrics::loadPods(s, data.serviceMeanS, data.podSlots);
}

// A second the source has no record of (a hole in a trace) is a gap, not zero (case T3).
double arrivals(const metrics::LaneSample &s)
{
    return s.noData ? std::nan("") : s.arrivalsPerS;
}

// The same gap in the completions: a 0 drawn under the hole's hatching read as a service
// that stopped, when it is the load that is unknown.
double completed(const metrics::LaneSample &s)
{
    return s.noData ? std::nan("") : s.completedPerS;
}

// What the latency chart does not show over [x0, x1]: its quantiles are of the requests that
// completed, so a lane whose every request timed out (or was rejected) has none to draw (a
// blank chart read as a chart that failed), and one that dropped many drew a healthy p95
// beside them (a trial: 75 % rejected, p95 248 ms, nothing red). Empty when at most 5 % of
// the requests that ended there were dropped. The whole run is read from the summary.
QString latencyNote(const ComparisonData::Lane &lane, double x0, double x1)
{
    const std::vector<metrics::LaneSample> &samples = lane.samples;
    if (samples.empty())
        return {};
    double completed = 0.0;
    double dropped = 0.0;
    if (x0 <= samples.front().tS && x1 >= samples.back().tS) {
        completed = static_cast<double>(lane.summary.completed);
        dropped = static_cast<double>(lane.summary.dropped);
    } else {
        const auto byTime = [](const metrics::LaneSample &s, double t) { return s.tS < t; };
        for (auto it = std::lower_bound(samples.begin(), samples.end(), x0, byTime);
             it != samples.end() && it->tS <= x1; ++it) {
            if (it->noData)
                continue;
            completed += it->completedPerS;
            dropped += it->droppedPerS;
        }
    }
    if (!(dropped >= 0.5) || dropped <= 0.05 * (completed + dropped))
        return {};
    const long n = std::lround(dropped);
    const QString were = n == 1 ? QStringLiteral(" timed out or was rejected") : QStringLiteral(" timed out or were rejected");
    // Counts as the table writes them (1,093).
    const QLocale locale;
    if (!(completed >= 0.5))
        return QStringLiteral("No request completed here: ") + locale.toString(static_cast<qlonglong>(n)) + were;
    const long all = std::lround(completed + dropped);
    return locale.toString(static_cast<qlonglong>(n)) + QStringLiteral(" of ")
        + locale.toString(static_cast<qlonglong>(all)) + QStringLiteral(" requests here") + were
        + QStringLiteral(": the latency is of the ") + locale.toString(static_cast<qlonglong>(all - n))
        + QStringLiteral(" that completed");
}

template <typename Field>
double windowMax(const std::vector<metrics::LaneSample> &samples, double x0, double x1, Field field)
{
    const auto byTime = [](const metrics::LaneSample &s, double t) { return s.tS < t; };
    double max = 0.0;
    for (auto it = std::lower_bound(samples.begin(), samples.end(), x0, byTime);
         it != samples.end() && it->tS <= x1; ++it) {
        const double v = field(*it);
        if (std::isfinite(v))
            max = std::max(max, v);
    }
    return max;
}

// A y range the user fixed that none of the chart's values fall in leaves it blank: it says
// so, with the values' span (a latency chart fixed at 0-50 ms hid p95s of 10 s).
QString outOfRangeNote(const std::vector<double> &values, const FixedYRange &range)
{
    double low = std::numeric_limits<double>::infinity();
    double high = -low;
    for (const double v : values) {
        if (!std::isfinite(v))
            continue;
        if (v >= range.min && v <= range.max)
            return {};
        low = std::min(low, v);
        high = std::max(high, v);
    }
    if (!std::isfinite(low))
        return {};
    // Whole numbers grouped in thousands ("20,000"), fractions to three significant digits, so
    // a range of 0.001 to 0.002 does not read "0.00 to 0.00".
    const auto text = [](double v) {
        if (std::abs(v) < 1.0 && v != 0.0)
            return QString::number(v, 'g', 3);
        const QLocale english(QLocale::English);
        return english.toString(v, 'f', v == std::round(v) || std::abs(v) >= 100.0 ? 0 : 1);
    };
    return QStringLiteral("Every value here (%1 to %2) lies outside the fixed y range %3 to %4: "
                          "right-click the chart to reset it")
        .arg(text(low), text(high), text(range.min), text(range.max));
}

// The values a chart of `kind` draws for the lane's seconds in [x0, x1], its SLO line's too.
std::vector<double> chartValues(const ComparisonData &data, const std::vector<metrics::LaneSample> &samples,
    ChartKind kind, double x0, double x1)
{
    std::vector<double> values;
    if (kind == ChartKind::Latency)
        values.push_back(data.sloLatencyMs);
    const auto byTime = [](const metrics::LaneSample &s, double t) { return s.tS < t; };
    for (auto it = std::lower_bound(samples.begin(), samples.end(), x0, byTime);
         it != samples.end() && it->tS <= x1; ++it) {
        const metrics::LaneSample &v = *it;
        if (kind == ChartKind::Rate)
            values.insert(values.end(), {arrivals(v), completed(v)});
        else if (kind == ChartKind::Latency)
            values.insert(values.end(), {v.latencyP50Ms, v.latencyP95Ms});
        else
            values.insert(values.end(), {double(v.podsDesired), double(v.podsReady), double(v.podsUnready),
                                         double(v.podsStarting), loadPods(data, v)});
    }
    return values;
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
    const QString shape = spike.shape == "step" ? QString()
                                                : QStringLiteral(" (") + QString::fromStdString(spike.shape)
            + QLatin1Char(')');
    return spikeLabel(spike.multiplier) + shape + QStringLiteral(" from ") + eventTimeText(spike.startS)
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
            open.push_back({e.tS, endS, name, eventText(e), eventMark(e)});
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
    for (RegionSpan &r : spans)
        r.coveredS = r.x1 - r.x0;
    return spans;
}

// The spans of one state closer than `minGap` merged into one band each, which keeps the
// seconds its spans covered (thousands of short fallback spans in a month would otherwise
// stack into solid bars). Spans of different states stay apart.
std::vector<RegionSpan> mergeCloseSpans(std::vector<RegionSpan> spans, double minGap)
{
    std::stable_sort(spans.begin(), spans.end(), [](const RegionSpan &a, const RegionSpan &b) {
        return a.name != b.name ? a.name < b.name : a.x0 < b.x0;
    });
    std::vector<RegionSpan> bands;
    for (RegionSpan &r : spans) {
        if (!bands.empty() && bands.back().name == r.name && r.x0 - bands.back().x1 < minGap) {
            RegionSpan &band = bands.back();
            band.coveredS += r.coveredS;
            band.x1 = std::max(band.x1, r.x1);
            ++band.merged;
        } else {
            bands.push_back(std::move(r));
        }
    }
    for (RegionSpan &band : bands) {
        if (band.merged > 1) {
            band.text = band.name + QStringLiteral(": ") + QString::number(band.merged)
                + QStringLiteral(" spans from ") + eventTimeText(band.x0) + QStringLiteral(" to ")
                + eventTimeText(band.x1) + QStringLiteral(", ")
                + QString::number(std::lround(band.coveredS)) + QStringLiteral(" s in all (")
                + QString::number(100.0 * band.coveredS / std::max(band.x1 - band.x0, 1e-9), 'g', 2)
                + QStringLiteral(" %); zoom in to see each\n") + band.text;
        }
    }
    return bands;
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

// A fallback span's edges are its shading: only a lone fallback event gets a line.
bool isFallback(const metrics::LaneEvent &e)
{
    return e.kind == "fallback" && e.region.empty();
}

bool isCondition(const metrics::LaneEvent &e)
{
    return e.kind == "condition";
}

// The text of the lane's reactive fallback span if one is open now, else empty.
QString openFallbackText(const std::vector<metrics::LaneEvent> &events)
{
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (eventMark(*it) == EventMark::FallbackRegion)
            return it->regionOpens ? QString::fromStdString(it->text) : QString();
    }
    return {};
}

// The band ahead of now: from the current rate at the time the forecast was made, then the
// forecast's p50 (lower, also the dashed line) and p90 at the end of each horizon's step.
struct ForecastBand
{
    QList<QPointF> lower;
    QList<QPointF> upper;
};

// Mean arrival rate over the forecast step ending at tS (the quantity forecast).
double currentRate(const std::vector<metrics::LaneSample> &samples, double tS)
{
    const auto end = std::upper_bound(samples.begin(), samples.end(), tS,
        [](double t, const metrics::LaneSample &s) { return t < s.tS; });
    double sum = 0.0;
    int count = 0;
    for (auto it = end; it != samples.begin() && count < metrics::kForecastStepS; ++count)
        sum += (--it)->arrivalsPerS;
    return count > 0 ? sum / count : std::nan("");
}

// Drops the band's points before tS, starting it at tS on the lines between them.
void clipBefore(ForecastBand &band, double tS)
{
    const auto clip = [tS](QList<QPointF> &points) {
        auto after = std::find_if(points.begin(), points.end(), [tS](const QPointF &p) { return p.x() >= tS; });
        if (after == points.begin() || after == points.end())
            return;
        const QPointF a = *std::prev(after);
        const QPointF b = *after;
        const double f = (tS - a.x()) / (b.x() - a.x());
        const QPointF at(tS, a.y() + f * (b.y() - a.y()));
        points.erase(points.begin(), after);
        if (b.x() > tS)
            points.prepend(at);
    };
    clip(band.lower);
    clip(band.upper);
}

ForecastBand forecastBand(const ComparisonData::Lane &lane)
{
    ForecastBand band;
    if (!lane.forecastCurve)
        return band;
    const metrics::ForecastCurve &curve = *lane.forecastCurve;
    const double now = currentRate(lane.samples, curve.madeAtS);
    if (std::isfinite(now)) {
        band.lower.append(QPointF(curve.madeAtS, now));
        band.upper.append(QPointF(curve.madeAtS, now));
    }
    const std::size_t n = std::min({curve.horizonsS.size(), curve.p50.size(), curve.p90.size()});
    for (std::size_t i = 0; i < n; ++i) {
        const double x = curve.madeAtS + curve.horizonsS[i];
        if (!std::isfinite(x) || !std::isfinite(curve.p50[i]) || !std::isfinite(curve.p90[i]))
            continue;
        band.lower.append(QPointF(x, curve.p50[i]));
        band.upper.append(QPointF(x, std::max(curve.p90[i], curve.p50[i])));
    }
    if (band.upper.size() < 2)
        return {};
    // The model runs once a step: made up to 5 s ago, the band would start over seconds
    // already seen. It starts at now, where the forecast made then reads (linear between its
    // points, as the controller reads it).
    if (!lane.samples.empty())
        clipBefore(band, lane.samples.back().tS);
    return band;
}

// The past forecasts against what arrived: each second's p90 at the time it was made for
// (tS + horizon), up to the latest sample, decimated like the other lines. A change of
// horizon breaks the line.
struct PastForecast
{
    QList<QPointF> points;
    double minHorizonS = std::numeric_limits<double>::infinity();
    double maxHorizonS = -std::numeric_limits<double>::infinity();
    bool any = false; // a finite point in the window
};

PastForecast pastForecast(
    const std::vector<metrics::LaneSample> &samples, double x0, double x1, int buckets)
{
    PastForecast past;
    // Only what can be checked against what arrived: ahead of the data is the band's place.
    const double end = samples.empty() ? x0 : std::min(x1, samples.back().tS);
    const auto byTime = [](const metrics::LaneSample &s, double t) { return s.tS < t; };
    const auto first = std::lower_bound(samples.begin(), samples.end(), x0 - kMaxHorizonS, byTime);
    const auto last = std::lower_bound(first, samples.end(), end, byTime);
    const bool raw = std::distance(first, last) <= 2 * static_cast<long>(buckets);
    // Dense, the arrivals it is read against are drawn as their mean (see drawQuantity).
    const bool dense = isDenseWindow(samples, x0, x1, buckets);
    MinMaxDecimator decimator(x0, x1, buckets);
    MeanDecimator meanDecimator(x0, x1, buckets);
    const auto add = [&](double x, double y) {
        if (raw)
            past.points.append(QPointF(x, y));
        else if (dense)
            meanDecimator.add(x, y);
        else
            decimator.add(x, y);
    };
    double horizon = std::nan("");
    for (auto it = first; it != last; ++it) {
        if (std::isfinite(it->forecastHorizonS) && it->forecastHorizonS != horizon) {
            if (std::isfinite(horizon))
                add(it->tS + horizon, std::nan(""));
            horizon = it->forecastHorizonS;
        }
        const double x = it->tS + horizon;
        if (!(x >= x0 && x <= end))
            continue;
        const double y = it->forecastP90;
        if (std::isfinite(y)) {
            past.any = true;
            past.minHorizonS = std::min(past.minHorizonS, horizon);
            past.maxHorizonS = std::max(past.maxHorizonS, horizon);
        }
        add(x, y);
    }
    if (dense)
        past.points = meanDecimator.finish();
    else if (!raw)
        past.points = decimator.finish();
    return past;
}

// One quantity of the lane's samples as the line `name`: raw, or min and max per pixel, while
// the window is sparse enough for those to read; in a dense window (isDenseWindow: a chart of
// days) their mean per pixel, over the range of values it averages when `envelope` (one line
// a chart, the one the chart is about: envelopes of lines that move together would cover
// each other).
template <typename Field>
void drawQuantity(TimeChart *chart, const QString &name,
    const std::vector<metrics::LaneSample> &samples, double x0, double x1, int buckets,
    Field field, bool envelope = false)
{
    const bool dense = isDenseWindow(samples, x0, x1, buckets);
    if (dense && envelope) {
        EnvelopeDecimator::Result drawn = windowEnvelope(samples, x0, x1, buckets, field);
        chart->setLine(name, drawn.mean);
        chart->setLineEnvelope(name, drawn.lower, drawn.upper);
        return;
    }
    chart->setLine(name,
        windowPoints(samples, x0, x1, buckets, field, dense ? Reduction::Mean : Reduction::MinMax));
    chart->setLineEnvelope(name, {}, {});
}

// "p90 forecast 10 s ahead"; "p90 10 s ahead" when `narrow` (six lanes side by side), where
// the long form took the rate legend to a third row over a plot of a hundred pixels.
QString pastForecastLabel(const PastForecast &past, bool narrow)
{
    const QString from = QString::number(past.minHorizonS, 'g', 4);
    const QString to = QString::number(past.maxHorizonS, 'g', 4);
    return (narrow ? QStringLiteral("p90") : kForecastPast) + QLatin1Char(' ')
        + (from == to ? from : from + QLatin1Char('-') + to) + QStringLiteral(" s ahead");
}

double pointsMax(const QList<QPointF> &points, double x0, double x1)
{
    double max = 0.0;
    for (const QPointF &p : points) {
        if (p.x() >= x0 && p.x() <= x1 && std::isfinite(p.y()))
            max = std::max(max, p.y());
    }
    return max;
}

} // namespace

double forecastLookaheadS(const ComparisonData &data, double nowS)
{
    bool any = false;
    double horizon = 0.0;
    for (const ComparisonData::Lane &lane : data.lanes) {
        if (!lane.forecastCurve)
            continue;
        any = true;
        if (!lane.samples.empty() && std::isfinite(lane.samples.back().forecastHorizonS))
            horizon = std::max(horizon, lane.samples.back().forecastHorizonS);
    }
    if (!any)
        return 0.0;
    return std::clamp(std::max(nowS / 3.0, horizon), kMinLookaheadS, kMaxLookaheadS);
}

namespace {

ChartScales scalesOf(const ComparisonData &data,
    const std::vector<const ComparisonData::Lane *> &lanes, double x0, double x1,
    const HiddenSeries &hidden)
{
    const auto shown = [&](ChartKind kind, const QString &name) {
        return !hidden[static_cast<std::size_t>(kind)].contains(name);
    };
    ChartScales scales;
    scales.latencyMaxMs = data.sloLatencyMs * 1.2;
    scales.podsMax = 4.0;
    for (const ComparisonData::Lane *lane : lanes) {
        const auto &s = lane->samples;
        // A series' largest value in the window; 0 while it is hidden.
        const auto peak = [&](ChartKind kind, const QString &name, const auto &field) {
            return shown(kind, name) ? windowMax(s, x0, x1, field) : 0.0;
        };
        using enum ChartKind;
        scales.rateMax = std::max(
            {scales.rateMax, peak(Rate, kArrivals, [](const auto &v) { return arrivals(v); }),
                peak(Rate, kCompleted, [](const auto &v) { return completed(v); })});
        // p50 never tops p95: it decides only while p95 is hidden.
        const bool p95Shown = shown(Latency, kP95);
        scales.latencyMaxMs = std::max({scales.latencyMaxMs,
            peak(Latency, kP95, [](const auto &v) { return v.latencyP95Ms; }),
            p95Shown ? 0.0 : peak(Latency, kP50, [](const auto &v) { return v.latencyP50Ms; })});
        scales.podsMax = std::max({scales.podsMax,
            peak(Pods, kDesired, [](const auto &v) { return double(v.podsDesired); }),
            peak(Pods, kReady, [](const auto &v) { return double(v.podsReady); }),
            peak(Pods, kStarting, [](const auto &v) { return double(v.podsStarting); }),
            peak(Pods, kUnready, [](const auto &v) { return double(v.podsUnready); }),
            peak(Pods, kLoad, [&](const auto &v) { return loadPods(data, v); })});
    }
    const double forecastCap = kForecastScaleCap * scales.rateMax;
    for (const ComparisonData::Lane *lane : lanes) {
        if (!lane->summary.forecasts)
            continue;
        // Decimation keeps every slice's maximum: a coarse one reads the same peak.
        const double past = shown(ChartKind::Rate, kForecastPast)
            ? pointsMax(pastForecast(lane->samples, x0, x1, 1000).points, x0, x1)
            : 0.0;
        const double ahead = shown(ChartKind::Rate, kForecastBand)
            ? pointsMax(forecastBand(*lane).upper, x0, x1)
            : 0.0;
        scales.rateMax = std::max(scales.rateMax, std::min(std::max(past, ahead), forecastCap));
    }
    return scales;
}

} // namespace

ChartScales lockedScales(
    const ComparisonData &data, double x0, double x1, const HiddenSeries &hidden)
{
    std::vector<const ComparisonData::Lane *> lanes;
    for (const ComparisonData::Lane &lane : data.lanes)
        lanes.push_back(&lane);
    return scalesOf(data, lanes, x0, x1, hidden);
}

ChartScales laneScales(const ComparisonData &data, const ComparisonData::Lane &lane, double x0,
    double x1, const HiddenSeries &hidden)
{
    return scalesOf(data, {&lane}, x0, x1, hidden);
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

    // Reasons name model files and paths: shown as written, never read as markup.
    m_status = new QLabel(this);
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setVisible(false);

    m_fallback = new QLabel(this);
    m_fallback->setTextFormat(Qt::PlainText);
    m_fallback->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_fallback->setForegroundRole(QPalette::PlaceholderText);
    m_fallback->setVisible(false);

    auto *row = new QHBoxLayout;
    row->setContentsMargins(8, 0, 8, 0);
    row->setSpacing(12);
    row->addWidget(m_heading);
    row->addWidget(m_status, 1);
    row->addWidget(m_fallback, 1);
    static_cast<QVBoxLayout *>(layout())->addLayout(row);
}

void LaneColumn::setupCharts()
{
    m_rate = new TimeChart(this);
    m_rate->setTitle(QStringLiteral("Request rate"));
    // The charts of a lane share one time axis: only the bottom one labels it.
    m_rate->setAxisTitles({}, QStringLiteral("req/s"));
    m_rate->setXLabelsVisible(false);
    m_rate->addLine(kArrivals, {kBlue, 2.0, Qt::SolidLine});
    m_rate->addLine(kCompleted, {kGreen, 1.5, Qt::SolidLine});

    m_latency = new TimeChart(this);
    m_latency->setTitle(QStringLiteral("Latency"));
    m_latency->setAxisTitles({}, QStringLiteral("ms"));
    m_latency->setXLabelsVisible(false);
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

    // Equal shares of the height, whatever each chart holds: without stretch the layout shared
    // it by the charts' size hints, and a chart view's grows with what its scene holds, so a
    // latency chart that showed a note took height from its rate chart, lanes side by side
    // no longer lined up, and which did changed from run to run (a trial).
    for (TimeChart *chart : charts())
        static_cast<QVBoxLayout *>(layout())->addWidget(chart, 1);
}

QList<TimeChart *> LaneColumn::charts() const
{
    return {m_rate, m_latency, m_pods};
}

TimeChart *LaneColumn::chart(ChartKind kind) const
{
    return charts().at(static_cast<int>(kind));
}

void LaneColumn::setTheme(TimeChart::Theme theme)
{
    for (TimeChart *chart : charts())
        chart->setTheme(theme);
    const bool dark = theme == TimeChart::Theme::Dark;
    if (m_forecastDeclared) {
        const ForecastStyle style = forecastStyle(dark);
        m_rate->setBandFill(kForecastBand, style.fill);
        m_rate->setLineStyle(kForecastBand, style.median);
        m_rate->setLineStyle(kForecastP50, style.median);
        m_rate->setLineStyle(kForecastPast, style.past);
    }
    m_status->setStyleSheet(dark ? QStringLiteral("color: #ff7b6b; font-weight: bold;")
                                 : QStringLiteral("color: #c0392b; font-weight: bold;"));
}

void LaneColumn::showLane(const ComparisonData &data, const ComparisonData::Lane &lane, double x0,
    double x1, const ChartScales &scales)
{
    showAvailability(data, lane);
    for (TimeChart *chart : charts()) {
        chart->clearLines();
        chart->setXRange(x0, x1);
    }
    const double maxima[kChartKinds] = {scales.rateMax, scales.latencyMaxMs, scales.podsMax};
    for (int kind = 0; kind < kChartKinds; ++kind) {
        TimeChart *chart = charts().at(kind);
        const int ticks = scales.yTicks[static_cast<std::size_t>(kind)];
        if (const auto &fixed = scales.fixed[static_cast<std::size_t>(kind)])
            chart->setExactYRange(fixed->min, fixed->max, ticks);
        else
            chart->setYRange(0.0, maxima[kind], ticks);
    }

    const int buckets = m_rate->plotWidth();
    showRates(lane, x0, x1, buckets);
    showForecast(lane, x0, x1, buckets);
    showLatency(data, lane, x0, x1, buckets);
    showPods(data, lane, x0, x1, buckets);
    for (int kind = 0; kind < kChartKinds; ++kind) {
        const auto &fixed = scales.fixed[static_cast<std::size_t>(kind)];
        TimeChart *chart = charts().at(kind);
        const bool latency = kind == static_cast<int>(ChartKind::Latency);
        // The latency chart may already say what it does not show (showLatency): both notes.
        const QString own = latency ? chart->plotNote() : QString();
        const QString range = fixed ? outOfRangeNote(chartValues(data, lane.samples, static_cast<ChartKind>(kind), x0, x1), *fixed)
                                    : QString();
        chart->setPlotNote(own.isEmpty() || range.isEmpty() ? QString(own + range) : QString(own + QStringLiteral("; ") + range));
    }
    showMarkers(data, lane, x0, x1);
    showStats(data, lane, x0, x1);
}

void LaneColumn::setSeriesHidden(ChartKind kind, const QString &name, bool hidden)
{
    TimeChart *target = chart(kind);
    target->setEntryHidden(name, hidden);
    // The band's middle line has no legend entry of its own: it goes with the band.
    if (target == m_rate && name == kForecastBand)
        target->setEntryHidden(kForecastP50, hidden);
}

// Over the window's own samples, not the decimated points drawn: a p95 of min/max pairs
// would lean to the extremes. Runs once per redraw, which the dashboard already throttles.
// TODO: the p95 sorts every sample in the window: ~0.6 ms a lane for an hour on screen, but
// ~300 ms a lane for a multi-day trace shown whole (as much again as decimating its lines);
// stats kept per chunk of history would make long views cheap.
void LaneColumn::showStats(
    const ComparisonData &data, const ComparisonData::Lane &lane, double x0, double x1)
{
    using Field = std::function<double(const metrics::LaneSample &)>;
    struct Entry
    {
        TimeChart *chart;
        QString name;
        int decimals;
        Field field;
    };
    const std::vector<Entry> entries = {
        {m_rate, kArrivals, 1, [](const auto &v) { return arrivals(v); }},
        {m_rate, kCompleted, 1, [](const auto &v) { return completed(v); }},
        {m_latency, kP50, 0, [](const auto &v) { return v.latencyP50Ms; }},
        {m_latency, kP95, 0, [](const auto &v) { return v.latencyP95Ms; }},
        {m_pods, kDesired, 0, [](const auto &v) { return double(v.podsDesired); }},
        {m_pods, kReady, 0, [](const auto &v) { return double(v.podsReady); }},
        {m_pods, kUnready, 0, [](const auto &v) { return double(v.podsUnready); }},
        {m_pods, kStarting, 0, [](const auto &v) { return double(v.podsStarting); }},
        {m_pods, kLoad, 1, [&](const auto &v) { return loadPods(data, v); }},
    };

    std::vector<Field> fields;
    for (const Entry &e : entries)
        fields.push_back(e.field);
    const std::vector<SeriesStats> stats = windowStats(lane.samples, x0, x1, fields);
    for (std::size_t i = 0; i < entries.size(); ++i)
        entries[i].chart->setEntryStats(entries[i].name, stats[i], entries[i].decimals);
}

void LaneColumn::showAvailability(const ComparisonData &data, const ComparisonData::Lane &lane)
{
    m_status->setVisible(!lane.available);
    if (!lane.available)
        m_status->setText(
            QStringLiteral("unavailable: ") + QString::fromStdString(lane.unavailableReason));

    // One line, cut to the heading's width: the charts below never move for it.
    const QString fallback = data.state == RunState::Finished ? QString()
                                                              : openFallbackText(lane.events);
    m_fallback->setVisible(lane.available && !fallback.isEmpty());
    m_fallback->setToolTip(fallback);
    const int width = m_fallback->width();
    m_fallback->setText(width > 40
            ? m_fallback->fontMetrics().elidedText(fallback, Qt::ElideRight, width)
            : fallback);
}

void LaneColumn::showRates(const ComparisonData::Lane &lane, double x0, double x1, int buckets)
{
    const auto &s = lane.samples;
    drawQuantity(m_rate, kArrivals, s, x0, x1, buckets, [](const auto &v) { return arrivals(v); }, true);
    drawQuantity(m_rate, kCompleted, s, x0, x1, buckets, [](const auto &v) { return completed(v); });
}

// Only forecasting lanes get the entries: the other lanes' charts stay as they were.
void LaneColumn::declareForecast()
{
    if (m_forecastDeclared)
        return;
    m_forecastDeclared = true;
    const ForecastStyle style = forecastStyle(m_rate->theme() == TimeChart::Theme::Dark);
    m_rate->addBand(kForecastBand, style.fill, style.median);
    m_rate->addLine(kForecastP50, style.median);
    m_rate->addLine(kForecastPast, style.past);
}

void LaneColumn::showForecast(
    const ComparisonData::Lane &lane, double x0, double x1, int buckets)
{
    const bool forecasts = lane.available && lane.summary.forecasts;
    if (!forecasts && !m_forecastDeclared)
        return;
    declareForecast();
    const ForecastBand band = forecasts ? forecastBand(lane) : ForecastBand {};
    const PastForecast past = forecasts ? pastForecast(lane.samples, x0, x1, buckets)
                                        : PastForecast {};
    const bool ahead = !band.upper.isEmpty();
    m_rate->setEntryVisible(kForecastBand, ahead);
    m_rate->setEntryVisible(kForecastP50, ahead);
    m_rate->setEntryVisible(kForecastPast, past.any);
    if (ahead) {
        m_rate->setBand(kForecastBand, band.lower, band.upper);
        m_rate->setLine(kForecastP50, band.lower);
    }
    if (past.any) {
        // Narrow: the full label would not share a legend row with "completed/s" (two
        // swatches, their gaps and the chart's margins: about six em besides the texts).
        const QFontMetricsF metrics(m_rate->font());
        const bool narrow = m_rate->width()
            < metrics.horizontalAdvance(kCompleted + pastForecastLabel(past, false)) + 6.0 * metrics.height();
        m_rate->setEntryLabel(kForecastPast, pastForecastLabel(past, narrow));
        m_rate->setLine(kForecastPast, past.points);
    }
}

void LaneColumn::showLatency(
    const ComparisonData &data, const ComparisonData::Lane &lane, double x0, double x1, int buckets)
{
    const auto &s = lane.samples;
    drawQuantity(m_latency, kP50, s, x0, x1, buckets, [](const auto &v) { return v.latencyP50Ms; });
    drawQuantity(
        m_latency, kP95, s, x0, x1, buckets, [](const auto &v) { return v.latencyP95Ms; }, true);
    m_latency->setLine(kSlo, {QPointF(x0, data.sloLatencyMs), QPointF(x1, data.sloLatencyMs)});
    m_latency->setPlotNote(latencyNote(lane, x0, x1));
}

void LaneColumn::showPods(
    const ComparisonData &data, const ComparisonData::Lane &lane, double x0, double x1, int buckets)
{
    const auto &s = lane.samples;
    drawQuantity(m_pods, kDesired, s, x0, x1, buckets, [](const auto &v) { return double(v.podsDesired); });
    drawQuantity(
        m_pods, kReady, s, x0, x1, buckets, [](const auto &v) { return double(v.podsReady); }, true);
    drawQuantity(m_pods, kUnready, s, x0, x1, buckets, [](const auto &v) { return double(v.podsUnready); });
    drawQuantity(m_pods, kStarting, s, x0, x1, buckets, [](const auto &v) { return double(v.podsStarting); });
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
    const std::vector<RegionSpan> regions = mergeCloseSpans(regionSpans(lane.events, endS), minGap);
    const bool dark = m_rate->theme() == TimeChart::Theme::Dark;
    const QColor spikeShade = eventMarkColor(EventMark::Spike, dark);
    const QColor scaleColor = eventMarkColor(EventMark::Scale, dark);
    const QColor fallbackColor = eventMarkColor(EventMark::Fallback, dark);
    const QColor conditionColor = eventMarkColor(EventMark::Condition, dark);
    const auto scales = markerGroups(lane.events, x0, x1, minGap, isScale);
    const auto fallbacks = markerGroups(lane.events, x0, x1, minGap, isFallback);
    const auto conditions = markerGroups(
        lane.events, x0, x1, minGap * kFlagGapPixels / kMarkerGapPixels, isCondition);
    const QColor noteColor = eventMarkColor(EventMark::Note, dark);

    const std::size_t markers = scales.size() + fallbacks.size() + conditions.size();
    const bool dense = markers * kDenseMarkerPixels > static_cast<std::size_t>(m_rate->plotWidth());
    for (TimeChart *chart : charts()) {
        chart->setDenseMarkers(dense);
        chart->clearMarkers();
        for (const ComparisonData::SpikeSpan &spike : data.spikes)
            chart->addShadedRegion(spike.startS, spike.endS, spikeShade,
                chart == m_rate ? spikeLabel(spike.multiplier) : QString(), spikeText(spike));
        for (const RegionSpan &r : regions) {
            const double width = r.x1 - r.x0;
            const QColor color
                = sparseShade(eventMarkColor(r.mark, dark), width > 0.0 ? r.coveredS / width : 1.0);
            chart->addShadedRegion(r.x0, r.x1,
                r.mark == EventMark::NoDataRegion ? QBrush(color, Qt::BDiagPattern) : QBrush(color),
                chart == m_latency ? r.name : QString(), r.text);
        }
        for (const MarkerGroup &g : scales)
            chart->addVerticalMarker(g.x, scaleColor, g.text());
        for (const MarkerGroup &g : fallbacks)
            chart->addVerticalMarker(g.x, fallbackColor, g.text());
        for (const MarkerGroup &g : conditions)
            chart->addFlagMarker(g.x, conditionColor, g.text());
        for (const ComparisonData::Note &note : data.notes) {
            if (note.tS >= x0 && note.tS <= x1)
                chart->addFlagMarker(note.tS, noteColor,
                    QStringLiteral("note at ") + eventTimeText(note.tS) + QStringLiteral(": ")
                        + QString::fromStdString(note.text));
        }
    }
    showBreaches(data, lane, x0, x1, minGap);
}

// The seconds p95 latency spent over the SLO, shaded over the SLO line of the latency chart.
void LaneColumn::showBreaches(const ComparisonData &data, const ComparisonData::Lane &lane,
    double x0, double x1, double minGap)
{
    const bool dark = m_latency->theme() == TimeChart::Theme::Dark;
    const double slo = data.sloLatencyMs;
    const QString sloText = QStringLiteral("p95 over the ") + QString::number(slo, 'g', 6)
        + QStringLiteral(" ms SLO: ");
    const auto p95 = [](const metrics::LaneSample &s) { return s.latencyP95Ms; };
    for (const BreachSpan &b : breachSpans(lane.samples, slo, x0, x1, p95, minGap)) {
        // Spans closer than a few pixels merge into one band: it is shaded by the share of its
        // seconds that were over, and says it.
        const double share = b.seconds / std::max(b.x1 - b.x0, 1.0);
        QString text = sloText + QString::number(b.seconds) + QStringLiteral(" s from ")
            + eventTimeText(b.x0) + QStringLiteral(" to ") + eventTimeText(b.x1);
        if (share < 0.995)
            text += QStringLiteral(" (") + QString::number(100.0 * share, 'g', 2)
                + QStringLiteral(" % of it)");
        text += QStringLiteral(", peak ") + QString::number(b.peak, 'f', 0) + QStringLiteral(" ms");
        m_latency->addShadedRegionAbove(b.x0, b.x1, slo, sloBreachColor(dark, share), text);
    }
}

namespace {

// The sample of the second at or before `tS`, or null when the lane has none for that second.
const metrics::LaneSample *sampleAt(const std::vector<metrics::LaneSample> &samples, double tS)
{
    const auto after = std::upper_bound(samples.begin(), samples.end(), tS,
        [](double t, const metrics::LaneSample &s) { return t < s.tS; });
    if (after == samples.begin())
        return nullptr;
    const metrics::LaneSample &s = *std::prev(after);
    return tS - s.tS < 1.0 ? &s : nullptr;
}

// The p90 forecast drawn at `tS` (made at tS - horizon): the one whose target second it is.
double pastForecastAt(const std::vector<metrics::LaneSample> &samples, double tS)
{
    const auto after = std::upper_bound(samples.begin(), samples.end(), tS,
        [](double t, const metrics::LaneSample &s) { return t < s.tS; });
    if (samples.empty() || tS - samples.back().tS >= 1.0)
        return std::nan(""); // the line stops at the latest sample
    for (auto it = after; it != samples.begin();) {
        --it;
        if (tS - it->tS > kMaxHorizonS)
            break;
        const double x = it->tS + it->forecastHorizonS;
        if (std::isfinite(x) && x <= tS && tS - x < 1.0)
            return it->forecastP90;
    }
    return std::nan("");
}

} // namespace

QString readoutNumber(double value, int decimals)
{
    if (!std::isfinite(value))
        return QStringLiteral("\u2014");
    return QString::number(value, 'f', decimals);
}

CrosshairReadout crosshairReadout(const ComparisonData &data, ChartKind kind, double tS)
{
    CrosshairReadout r;
    r.kind = kind;
    r.tS = tS;
    r.sampleS = std::floor(tS);
    for (std::size_t i = 0; i < data.lanes.size(); ++i) {
        r.lanes.append(QString::fromStdString(data.lanes[i].controller));
        if (data.lanes[i].controller == "clairvoyant")
            r.reference = static_cast<int>(i);
    }
    using Field = std::function<double(const metrics::LaneSample &)>;
    const auto add = [&](const QString &series, int decimals, const Field &field) {
        CrosshairReadout::Row row;
        row.series = series;
        row.decimals = decimals;
        for (const ComparisonData::Lane &lane : data.lanes) {
            const metrics::LaneSample *s = sampleAt(lane.samples, tS);
            row.values.push_back(s ? field(*s) : std::nan(""));
        }
        r.rows.push_back(std::move(row));
    };
    switch (kind) {
    case ChartKind::Rate: {
        r.unit = QStringLiteral("req/s");
        add(kArrivals, 1, [](const auto &s) { return arrivals(s); });
        add(kCompleted, 1, [](const auto &s) { return completed(s); });
        bool forecasts = false;
        for (const ComparisonData::Lane &lane : data.lanes)
            forecasts = forecasts || (lane.available && lane.summary.forecasts);
        if (forecasts) {
            CrosshairReadout::Row row;
            row.series = kForecastPast;
            row.decimals = 1;
            for (const ComparisonData::Lane &lane : data.lanes)
                row.values.push_back(lane.available && lane.summary.forecasts
                        ? pastForecastAt(lane.samples, tS)
                        : std::nan(""));
            r.rows.push_back(std::move(row));
        }
        break;
    }
    case ChartKind::Latency:
        r.unit = QStringLiteral("ms");
        add(kP50, 0, [](const auto &s) { return s.latencyP50Ms; });
        add(kP95, 0, [](const auto &s) { return s.latencyP95Ms; });
        break;
    case ChartKind::Pods:
        r.unit = QStringLiteral("pods");
        add(kDesired, 0, [](const auto &s) { return double(s.podsDesired); });
        add(kReady, 0, [](const auto &s) { return double(s.podsReady); });
        add(kUnready, 0, [](const auto &s) { return double(s.podsUnready); });
        add(kStarting, 0, [](const auto &s) { return double(s.podsStarting); });
        add(kLoad, 1, [&](const auto &s) { return loadPods(data, s); });
        break;
    }
    // Differences of the values as printed: 140.6 and 135.4 read "141" and "135", and a
    // difference of "-5" beside them read as a slip.
    for (CrosshairReadout::Row &row : r.rows) {
        const double scale = std::pow(10.0, row.decimals);
        const auto printed = [scale](double v) { return std::round(v * scale) / scale; };
        const double ref = row.values.empty()
            ? std::nan("")
            : printed(row.values[static_cast<std::size_t>(r.reference)]);
        for (double v : row.values)
            row.diffs.push_back(printed(v) - ref); // NaN when either is
    }
    return r;
}

QString crosshairReadoutHtml(const CrosshairReadout &r, bool dark)
{
    static const char *const kTitles[kChartKinds] = {"Request rate", "Latency", "Pods"};
    const QString muted = dark ? QStringLiteral("#a8a8a8") : QStringLiteral("#606060");
    QString html = QStringLiteral("<b>") + QString::fromLatin1(kTitles[static_cast<int>(r.kind)])
        + QStringLiteral(" at ") + eventTimeText(r.sampleS) + QStringLiteral("</b> <span style=\"color:")
        + muted + QStringLiteral("\">(") + r.unit + QStringLiteral("; &Delta; vs ")
        + r.lanes.value(r.reference).toHtmlEscaped() + QStringLiteral(")</span>");
    html += QStringLiteral("<table cellspacing=\"0\" cellpadding=\"1\"><tr><td></td>");
    for (int i = 0; i < r.lanes.size(); ++i)
        html += QStringLiteral("<td align=\"right\" style=\"padding-left:10px\"><b>")
            + r.lanes[i].toHtmlEscaped() + QStringLiteral("</b></td>");
    html += QStringLiteral("</tr>");
    for (const CrosshairReadout::Row &row : r.rows) {
        html += QStringLiteral("<tr><td>") + row.series.toHtmlEscaped() + QStringLiteral("</td>");
        for (std::size_t i = 0; i < row.values.size(); ++i) {
            html += QStringLiteral("<td align=\"right\" style=\"padding-left:10px\">")
                + readoutNumber(row.values[i], row.decimals);
            // No difference to show (either value missing): the value alone, or "—".
            if (static_cast<int>(i) != r.reference && std::isfinite(row.diffs[i])) {
                const double d = row.diffs[i] == 0.0 ? 0.0 : row.diffs[i]; // never "-0"
                QString diff = readoutNumber(d, row.decimals);
                if (d >= 0.0)
                    diff.prepend(QLatin1Char('+'));
                html += QStringLiteral(" <span style=\"color:") + muted + QStringLiteral("\">(")
                    + diff + QStringLiteral(")</span>");
            }
            html += QStringLiteral("</td>");
        }
        html += QStringLiteral("</tr>");
    }
    html += QStringLiteral("</table>");
    return html;
}

} // namespace headroom::ui
