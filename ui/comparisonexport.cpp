#include "traffic/spike.h"
#include "comparisonexport.h"

#include "picturefile.h"

#include "comparisonview.h"
#include "logging.h"
#include "sim/experiment.h"

#include <QApplication>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::ui {

namespace {

// QPainter's raster engine cannot address more than this many pixels a side.
constexpr int kMaxPixels = 32767;
// Up to this many lanes fit the base export size; each further lane adds a column width.
constexpr std::size_t kLanesInBaseSize = 3;
const QSize kBaseExportSize(1600, 1000);
constexpr int kExtraColumnWidth = 440;
constexpr int kExtraRowHeight = 30; // the summary table grows a row per lane

QString sizeText(QSize size)
{
    return QString::number(size.width()) + QLatin1Char('x') + QString::number(size.height());
}

double endOfData(const ComparisonData &data)
{
    double end = data.durationS;
    for (const ComparisonData::Lane &lane : data.lanes) {
        if (!lane.samples.empty())
            end = std::max(end, lane.samples.back().tS);
    }
    return std::max(end, 1.0);
}

} // namespace

double startOfData(const ComparisonData &data)
{
    if (!data.live)
        return 0.0;
    double start = std::numeric_limits<double>::infinity();
    for (const ComparisonData::Lane &lane : data.lanes) {
        if (!lane.samples.empty())
            start = std::min(start, std::max(0.0, lane.samples.front().tS - 1.0));
    }
    return std::isfinite(start) ? start : 0.0;
}

namespace {

// An offscreen copy of the dashboard's layout, laid out at `logicalSize`.
class OffscreenComparison
{
public:
    OffscreenComparison(const ComparisonData &data, QSize logicalSize)
    {
        m_view.setAttribute(Qt::WA_DontShowOnScreen);
        m_view.setAutoFillBackground(true);
        m_view.setPalette(ComparisonView::lightPalette());
        m_view.setTheme(TimeChart::Theme::Light);
        m_view.setTitle(QString::fromStdString(data.title));
        m_view.resize(logicalSize);
        for (std::size_t kind = 0; kind < data.hiddenSeries.size(); ++kind) {
            for (const QString &name : data.hiddenSeries[kind])
                m_view.setSeriesHidden(static_cast<ChartKind>(kind), name, true);
            if (const auto &range = data.fixedY[kind])
                m_view.setFixedYRange(static_cast<ChartKind>(kind), range->min, range->max);
        }
        m_view.setLockY(data.lockY);
        m_view.showData(data, startOfData(data), endOfData(data)); // creates the columns
        m_view.show();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        m_view.showData(data, startOfData(data), endOfData(data)); // again, now at final widths
    }

    void render(QPainter &painter) { m_view.render(&painter); }
    QSize size() const { return m_view.size(); }

private:
    ComparisonView m_view;
};

std::string number(double value)
{
    return QString::number(value).toStdString();
}


} // namespace

std::vector<std::pair<std::string, std::string>> clusterSettings(const sim::ClusterConfig &c)
{
    // The preset and every field of a scenario's "cluster" object, in its keys: what
    // reproduces the cluster (as summary.json records it). A few of them left the rest to
    // the reader: a scenario's pod_queue_capacity or metric_resolution_s were nowhere.
    std::vector<std::pair<std::string, std::string>> settings {{"preset", c.preset}};
    for (const auto &[key, value] : sim::clusterFields(c))
        settings.emplace_back(key, QString::number(value, 'g', 12).toStdString());
    return settings;
}

// To three significant digits, never in exponent form: 1520, 152, 15.2, 1.52.
static std::string threeDigits(double value)
{
    if (!(value > 0.0) || !std::isfinite(value))
        return number(value);
    const int decimals = std::max(0, 2 - static_cast<int>(std::floor(std::log10(value))));
    return QString::number(QString::number(value, 'g', 3).toDouble(), 'f', decimals).toStdString();
}

std::vector<std::pair<std::string, std::string>> liveClusterSettings(const sim::ClusterConfig &c,
    bool sloPublished, double serviceMeanS, bool serviceMeasured)
{
    const std::string assumed = " (assumed)";
    return {{"slo_latency_ms", number(c.sloLatencyS * 1000.0) + (sloPublished ? "" : assumed)},
        {"service_mean_ms", threeDigits(serviceMeanS * 1000.0) + (serviceMeasured ? " (measured)" : assumed)},
        {"pod_slots", number(c.podSlots) + assumed},
        {"replicas", number(c.minReplicas) + "-" + number(c.maxReplicas)},
        {"hpa_target_cpu_percent", number(c.hpaTargetCpuPercent)}};
}

bool checkExportSize(QSize logicalSize, qreal dpr, QString *error)
{
    const double width = std::ceil(logicalSize.width() * dpr);
    const double height = std::ceil(logicalSize.height() * dpr);
    QString problem;
    if (logicalSize.isEmpty() || !(dpr > 0.0))
        problem = QStringLiteral("is empty");
    else if (width > kMaxPixels || height > kMaxPixels)
        problem = QStringLiteral("exceeds ") + QString::number(kMaxPixels)
            + QStringLiteral(" px a side");
    if (problem.isEmpty())
        return true;
    if (error)
        *error = QStringLiteral("image size ") + sizeText(logicalSize) + QStringLiteral(" at ")
            + QString::number(dpr) + QStringLiteral("x (") + QString::number(width, 'f', 0)
            + QLatin1Char('x') + QString::number(height, 'f', 0) + QStringLiteral(" px) ")
            + problem;
    return false;
}

metrics::ComparisonSettings comparisonSettings(const ComparisonData &data)
{
    std::vector<std::pair<std::string, bool>> names;
    for (const ComparisonData::Lane &lane : data.lanes)
        names.emplace_back(lane.controller, lane.available);
    metrics::ComparisonSettings settings;
    settings.sloLatencyMs = data.sloLatencyMs;
    settings.serviceMeanS = data.serviceMeanS;
    settings.podSlots = data.podSlots;
    settings.durationS = data.durationS;
    settings.referenceLane = metrics::referenceLane(names);
    settings.maxReplicas = data.maxReplicas;
    return settings;
}

std::vector<metrics::SpikeWindow> spikeWindows(const ComparisonData &data)
{
    std::vector<metrics::SpikeWindow> spikes;
    for (const ComparisonData::SpikeSpan &spike : data.spikes)
        spikes.push_back({spike.startS, spike.endS});
    return spikes;
}

std::vector<metrics::LaneComparison> compareLanes(const ComparisonData &data)
{
    return compareLanes(data, comparisonSettings(data));
}

std::vector<metrics::LaneComparison> compareLanes(const ComparisonData &data,
    const metrics::ComparisonSettings &settings)
{
    std::vector<const std::vector<metrics::LaneSample> *> samples;
    for (const ComparisonData::Lane &lane : data.lanes)
        samples.push_back(&lane.samples);
    metrics::ComparisonTracker tracker;
    tracker.reset(settings);
    tracker.update(samples, spikeWindows(data));
    return tracker.results();
}

namespace {

// comparisonFromExperiment() with every lane's samples left out, for the caller to copy or take.
ComparisonData comparisonWithoutSamples(const sim::Experiment &experiment)
{
    const sim::ExperimentConfig &config = experiment.config();
    ComparisonData data;
    data.title = config.name + ", seed " + std::to_string(config.seed);
    data.sloLatencyMs = config.cluster.sloLatencyS * 1000.0;
    data.durationS = experiment.durationS();
    data.serviceMeanS = experiment.serviceMeanS();
    data.podSlots = config.cluster.podSlots;
    data.maxReplicas = config.cluster.maxReplicas;
    data.source = experiment.arrivals().describe();
    data.sourceNotes = experiment.notes();
    data.seed = config.seed;
    data.settings = clusterSettings(config.cluster);
    data.state = experiment.finished() ? RunState::Finished : RunState::Paused;
    for (const traffic::Spike &spike : experiment.arrivals().allSpikes())
        data.spikes.push_back({spike.startS, spike.endS(), spike.multiplier,
            std::string(traffic::spikeShapeName(spike.shape))});
    for (const auto &lane : experiment.lanes()) {
        data.lanes.push_back({lane->controller(), lane->available(), lane->unavailableReason(),
            {}, lane->events(), lane->summary(), std::nullopt});
        // A finished run has no "ahead of now" to draw.
        if (!experiment.finished())
            data.lanes.back().forecastCurve = lane->forecastCurve();
    }
    return data;
}

} // namespace

ComparisonData comparisonFromExperiment(const sim::Experiment &experiment)
{
    ComparisonData data = comparisonWithoutSamples(experiment);
    for (std::size_t i = 0; i < data.lanes.size(); ++i)
        data.lanes[i].samples = experiment.lanes()[i]->samples();
    return data;
}

ComparisonData takeComparison(sim::Experiment &experiment)
{
    ComparisonData data = comparisonWithoutSamples(experiment);
    for (std::size_t i = 0; i < data.lanes.size(); ++i)
        data.lanes[i].samples = experiment.lanes()[i]->takeSamples();
    return data;
}

QSize defaultExportSize(std::size_t lanes)
{
    const int extra = static_cast<int>(lanes > kLanesInBaseSize ? lanes - kLanesInBaseSize : 0);
    return {kBaseExportSize.width() + extra * kExtraColumnWidth,
        kBaseExportSize.height() + extra * kExtraRowHeight};
}

QImage renderComparison(const ComparisonData &data, QSize logicalSize, qreal devicePixelRatio)
{
    const QSize pixels(static_cast<int>(std::ceil(logicalSize.width() * devicePixelRatio)),
        static_cast<int>(std::ceil(logicalSize.height() * devicePixelRatio)));
    QImage image(pixels, QImage::Format_RGB32);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::white);

    OffscreenComparison comparison(data, logicalSize);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    comparison.render(painter);
    return image;
}

bool exportComparisonPng(const ComparisonData &data, const QString &path, QSize logicalSize,
    qreal devicePixelRatio, QString *error)
{
    if (!checkExportSize(logicalSize, devicePixelRatio, error))
        return false;
    const QImage image = renderComparison(data, logicalSize, devicePixelRatio);
    if (!savePng(image, path, error))
        return false;
    qCInfo(lcUi) << "exported" << path << image.size();
    return true;
}

bool exportComparisonSvg(
    const ComparisonData &data, const QString &path, QSize logicalSize, QString *error)
{
    if (!checkExportSize(logicalSize, 1.0, error))
        return false;
    OffscreenComparison comparison(data, logicalSize);
    const bool saved = saveSvg(path, logicalSize, QString::fromStdString(data.title),
        QStringLiteral("Headroom autoscaling comparison"),
        [&](QPainter &painter) { comparison.render(painter); }, error);
    if (saved)
        qCInfo(lcUi) << "exported" << path << logicalSize;
    return saved;
}

void paintComparison(
    const ComparisonData &data, QSize logicalSize, QPainter &painter, const QRectF &target)
{
    OffscreenComparison comparison(data, logicalSize);
    const QSizeF picture = QSizeF(comparison.size()).scaled(target.size(), Qt::KeepAspectRatio);
    const double scale = picture.width() / comparison.size().width();
    painter.save();
    painter.translate(target.center() - QPointF(picture.width(), picture.height()) / 2.0);
    painter.scale(scale, scale);
    comparison.render(painter);
    painter.restore();
}

QPageSize pdfPageSize(std::size_t lanes)
{
    return QPageSize(lanes > kLanesInBaseSize ? QPageSize::A3 : QPageSize::A4);
}

// TODO: the style paints the summary table's header sections from its pixmap cache, so the
// PDF holds them as a few small JPEG images (the header text stays text); a vector header
// needs the table drawn without the style's cache.
bool exportComparisonPdf(
    const ComparisonData &data, const QString &path, QSize logicalSize, QString *error)
{
    if (!checkExportSize(logicalSize, 1.0, error))
        return false;
    const bool saved = savePdf(
        path, pdfPageSize(data.lanes.size()), QString::fromStdString(data.title),
        [&](QPainter &painter, const QRectF &page, int) {
            paintComparison(data, logicalSize, painter, page);
            return false; // one page
        },
        error);
    if (saved)
        qCInfo(lcUi) << "exported" << path << logicalSize;
    return saved;
}

} // namespace headroom::ui
