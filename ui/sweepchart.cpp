#include "sweepchart.h"

#include "picturefile.h"

#include "timechart.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QPolygonF>
#include <QRectF>
#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace headroom::ui {

namespace {

// Okabe-Ito: tells controllers apart for colour-blind readers and in greyscale print.
const QColor kPalette[]
    = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73),
        QColor(0xCC, 0x79, 0xA7), QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9),
        QColor(0x44, 0x44, 0x44), QColor(0x99, 0x99, 0x99)}; // eight lanes, eight colours
const QColor kInk(0x20, 0x20, 0x20);

// A controller keeps its colour from one chart and one sweep to the next: the built-in lanes
// have theirs (in the order `headroom-cli sweep --controllers` lists them by default), and any
// other lane (predictive-LABEL) takes the colours left, in its order in the source.
QColor controllerColour(const io::SourceStats &source, std::size_t index)
{
    static const std::vector<std::pair<std::string, std::size_t>> fixed {{"hpa", 0}, {"kpa", 1},
        {"linear", 2}, {"holt-winters", 3}, {"predictive", 4}, {"clairvoyant", 7}};
    const auto fixedIndex = [](const std::string &name) -> std::optional<std::size_t> {
        for (const auto &[known, at] : fixed) {
            if (known == name)
                return at;
        }
        return std::nullopt;
    };
    if (const auto at = fixedIndex(source.controllers[index].controller))
        return kPalette[*at];
    // The free colours: 5 and 6 first, then those of built-in lanes this source lacks.
    std::vector<std::size_t> free {5, 6};
    for (const auto &[known, at] : fixed) {
        if (std::none_of(source.controllers.begin(), source.controllers.end(),
                [&](const io::ControllerStats &c) { return c.controller == known; }))
            free.push_back(at);
    }
    std::size_t others = 0;
    for (std::size_t i = 0; i < index; ++i)
        others += !fixedIndex(source.controllers[i].controller).has_value();
    return kPalette[free[others % free.size()]];
}
const QColor kGrid(0xDD, 0xDD, 0xDD);
constexpr qreal kDpr = 2.0;

struct Axis
{
    double min = 0.0;
    double max = 1.0;
    double step = 0.2;
};

// Round tick steps (1, 2, 2.5 or 5 times a power of ten), about five of them, as the
// dashboard's charts.
Axis niceAxis(double low, double high)
{
    Axis a;
    a.min = std::min(0.0, low);
    // All zero (no violations anywhere): a unit axis, not ticks a billionth apart all reading 0.
    if (!(high > a.min))
        high = a.min + 1.0;
    a.step = niceTickInterval(high - a.min, 5);
    a.min = std::floor(a.min / a.step) * a.step;
    a.max = std::ceil(high * 1.08 / a.step) * a.step;
    return a;
}

QString label(double value, double step)
{
    return QString::number(value, 'f', tickDecimals(step));
}

double finiteOr(double value, double fallback)
{
    return std::isfinite(value) ? value : fallback;
}

// A panel's title across its top, in the panel's font's larger bold; the font is kept.
void drawPanelTitle(QPainter &p, const QRectF &rect, const QString &title)
{
    const QFont font = p.font();
    QFont titleFont = font;
    titleFont.setPixelSize(16);
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.setPen(kInk);
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), 28), Qt::AlignCenter, title);
    p.setFont(font);
}

void paintPanel(
    QPainter &p, const io::SourceStats &source, io::SweepMetric metric, const QRectF &rect)
{
    const auto index = static_cast<std::size_t>(
        std::find(io::kSweepMetrics.begin(), io::kSweepMetrics.end(), metric)
        - io::kSweepMetrics.begin());
    double low = 0.0;
    double high = 0.0;
    for (const auto &c : source.controllers) {
        const io::MeanInterval &m = c.intervals[index];
        // Counts and pod-seconds cannot go below 0: nor does the axis, whatever a t interval says.
        low = std::min({low, std::max(0.0, finiteOr(m.low, 0.0)), finiteOr(m.mean, 0.0)});
        high = std::max({high, finiteOr(m.high, 0.0), finiteOr(m.mean, 0.0)});
    }
    const Axis axis = niceAxis(low, high);

    QFont font = p.font();
    font.setPixelSize(13);
    p.setFont(font);
    const QFontMetricsF fm(font);
    const QRectF plot = rect.adjusted(64, 36, -12, -44);
    auto yOf = [&](double v) {
        return plot.bottom() - (v - axis.min) / (axis.max - axis.min) * plot.height();
    };

    drawPanelTitle(p, rect, QString::fromStdString("mean " + io::metricTitle(metric)));

    const auto ticks = std::lround((axis.max - axis.min) / axis.step);
    for (long i = 0; i <= ticks; ++i) {
        const double v = axis.min + static_cast<double>(i) * axis.step;
        const double y = yOf(v);
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y));
        p.setPen(kInk);
        p.drawText(QRectF(rect.left(), y - 10, plot.left() - rect.left() - 6, 20),
            Qt::AlignRight | Qt::AlignVCenter, label(v, axis.step));
    }
    p.setPen(QPen(kInk, 1));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());

    const auto n = static_cast<double>(std::max<std::size_t>(1, source.controllers.size()));
    const double slot = plot.width() / n;
    const double barW = std::min(slot * 0.6, 120.0);
    for (std::size_t i = 0; i < source.controllers.size(); ++i) {
        const auto &c = source.controllers[i];
        const io::MeanInterval &m = c.intervals[index];
        const double cx = plot.left() + slot * (static_cast<double>(i) + 0.5);
        p.setPen(kInk);
        p.drawText(QRectF(cx - slot / 2, plot.bottom() + 4, slot, 20), Qt::AlignCenter,
            QString::fromStdString(c.controller));
        p.drawText(QRectF(cx - slot / 2, plot.bottom() + 22, slot, 18), Qt::AlignCenter,
            QStringLiteral("n = %1").arg(c.seeds.size()));
        if (m.n == 0)
            continue;
        const QColor colour = controllerColour(source, i);
        const QRectF bar(QPointF(cx - barW / 2, yOf(m.mean)), QPointF(cx + barW / 2, yOf(0.0)));
        p.fillRect(bar.normalized(), colour);
        double top = yOf(m.mean);
        if (m.n >= 2) {
            const double yLow = yOf(std::max(0.0, m.low));
            const double yHigh = yOf(m.high);
            p.setPen(QPen(kInk, 1.5));
            p.drawLine(QPointF(cx, yLow), QPointF(cx, yHigh));
            p.drawLine(QPointF(cx - barW / 5, yLow), QPointF(cx + barW / 5, yLow));
            p.drawLine(QPointF(cx - barW / 5, yHigh), QPointF(cx + barW / 5, yHigh));
            top = std::min(top, yHigh);
        }
        p.setPen(kInk);
        p.drawText(QRectF(cx - slot / 2, top - fm.height() - 4, slot, fm.height()), Qt::AlignCenter,
            label(m.mean, std::abs(m.mean) >= 100 ? 1.0 : 0.1));
    }
}

constexpr int kBarsHeight = 520;
constexpr int kTradeoffHeight = 520;

// A lane's means in the trade-off panel, with their 95 % intervals where there are two
// seeds or more (low == high otherwise).
struct TradeoffPoint
{
    std::size_t index = 0; // in source.controllers: its colour
    double x = 0.0, xLow = 0.0, xHigh = 0.0; // cost ratio
    double y = 0.0, yLow = 0.0, yHigh = 0.0; // SLO violations
    bool reference = false; // the clairvoyant lane, at 1 by definition
};

std::vector<TradeoffPoint> tradeoffPoints(const io::SourceStats &source)
{
    std::vector<TradeoffPoint> points;
    const auto violations = static_cast<std::size_t>(
        std::find(io::kSweepMetrics.begin(), io::kSweepMetrics.end(), io::SweepMetric::SloViolations)
        - io::kSweepMetrics.begin());
    bool anyCausal = false;
    for (std::size_t i = 0; i < source.controllers.size(); ++i) {
        const io::ControllerStats &c = source.controllers[i];
        const io::MeanInterval &v = c.intervals[violations];
        if (v.n == 0 || !std::isfinite(v.mean))
            continue;
        TradeoffPoint point;
        point.index = i;
        point.y = v.mean;
        point.yLow = v.n >= 2 ? std::max(0.0, v.low) : v.mean;
        point.yHigh = v.n >= 2 ? v.high : v.mean;
        if (c.controller == io::kClairvoyantController) {
            point.x = point.xLow = point.xHigh = 1.0;
            point.reference = true;
        } else {
            if (!c.gap || c.gap->costRatioInterval.n == 0 || !std::isfinite(c.gap->costRatioInterval.mean))
                continue;
            const io::MeanInterval &r = c.gap->costRatioInterval;
            point.x = r.mean;
            point.xLow = r.n >= 2 ? std::max(0.0, r.low) : r.mean;
            point.xHigh = r.n >= 2 ? r.high : r.mean;
            anyCausal = true;
        }
        points.push_back(point);
    }
    if (!anyCausal)
        points.clear(); // nothing to weigh against the reference
    return points;
}

void paintTradeoff(QPainter &p, const io::SourceStats &source, const std::vector<TradeoffPoint> &points,
    const QRectF &rect, std::vector<TradeoffMark> *marks)
{
    double xHigh = io::kCostRatioTarget;
    double yHigh = 0.0;
    for (const TradeoffPoint &t : points) {
        xHigh = std::max(xHigh, t.xHigh);
        yHigh = std::max(yHigh, t.yHigh);
    }
    const Axis xAxis = niceAxis(0.0, xHigh);
    const Axis yAxis = niceAxis(0.0, yHigh);
    // Violations that span orders of magnitude (a lane with thousands beside lanes with a few)
    // go on a log scale of 1 + v, so that the few are not all drawn on the axis.
    double yLowest = yHigh;
    for (const TradeoffPoint &t : points)
        yLowest = std::min(yLowest, t.y);
    const bool yLog = yHigh > 0.0 && (1.0 + yHigh) / (1.0 + yLowest) > 30.0;
    // Room above the highest, so that its mark clears the frame (956 on a top of 1,000 sat on it).
    const double yLogTop = std::log10((1.0 + yHigh) * 1.5);

    QFont font = p.font();
    font.setPixelSize(13);
    p.setFont(font);
    const QFontMetricsF fm(font);
    const QRectF plot = rect.adjusted(78, 36, -16, -52);
    const auto xOf = [&](double v) {
        return plot.left() + (v - xAxis.min) / (xAxis.max - xAxis.min) * plot.width();
    };
    const auto yOf = [&](double v) {
        if (yLog)
            return plot.bottom() - std::log10(1.0 + std::max(0.0, v)) / yLogTop * plot.height();
        return plot.bottom() - (v - yAxis.min) / (yAxis.max - yAxis.min) * plot.height();
    };

    drawPanelTitle(p, rect, QStringLiteral("cost against SLO violations (lower left is better)"));

    std::vector<double> yTickValues;
    if (yLog) {
        yTickValues.push_back(0.0);
        for (int k = 0; k <= static_cast<int>(yLogTop); ++k)
            yTickValues.push_back(std::pow(10.0, k));
    } else {
        const auto yTicks = std::lround((yAxis.max - yAxis.min) / yAxis.step);
        for (long i = 0; i <= yTicks; ++i)
            yTickValues.push_back(yAxis.min + static_cast<double>(i) * yAxis.step);
    }
    for (const double v : yTickValues) {
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(plot.left(), yOf(v)), QPointF(plot.right(), yOf(v)));
        p.setPen(kInk);
        p.drawText(QRectF(rect.left(), yOf(v) - 10, plot.left() - rect.left() - 6, 20),
            Qt::AlignRight | Qt::AlignVCenter, yLog ? QString::number(v, 'f', 0) : label(v, yAxis.step));
    }
    const auto xTicks = std::lround((xAxis.max - xAxis.min) / xAxis.step);
    for (long i = 0; i <= xTicks; ++i) {
        const double v = xAxis.min + static_cast<double>(i) * xAxis.step;
        p.setPen(QPen(kGrid, 1));
        p.drawLine(QPointF(xOf(v), plot.top()), QPointF(xOf(v), plot.bottom()));
        p.setPen(kInk);
        p.drawText(QRectF(xOf(v) - 40, plot.bottom() + 4, 80, 18), Qt::AlignCenter,
            label(v, xAxis.step) + QStringLiteral("x"));
    }
    p.setPen(QPen(kInk, 1));
    p.drawLine(plot.bottomLeft(), plot.bottomRight());
    p.drawLine(plot.bottomLeft(), plot.topLeft());
    p.drawText(QRectF(plot.left(), plot.bottom() + 24, plot.width(), 20), Qt::AlignCenter,
        QStringLiteral("pod-seconds over the clairvoyant lane's (mean cost ratio)"));
    p.save();
    p.translate(rect.left() + 14, plot.center().y());
    p.rotate(-90);
    p.drawText(QRectF(-plot.height() / 2, -10, plot.height(), 20), Qt::AlignCenter,
        yLog ? QStringLiteral("mean SLO violations (log scale)") : QStringLiteral("mean SLO violations"));
    p.restore();

    // The cost target, and the reference's own cost.
    const double target = xOf(io::kCostRatioTarget);
    p.setPen(QPen(kInk, 1.2, Qt::DashLine));
    p.drawLine(QPointF(target, plot.top()), QPointF(target, plot.bottom()));
    p.setPen(kInk);
    const QString targetText = QStringLiteral("cost target %1x").arg(io::kCostRatioTarget);
    p.drawText(QRectF(target + 4, plot.top() + 2, fm.horizontalAdvance(targetText) + 4, 18),
        Qt::AlignLeft | Qt::AlignVCenter, targetText);

    // Whiskers first, then the marks over them, then the names, each clear of the ones placed.
    std::vector<QRectF> taken;
    for (const TradeoffPoint &t : points) {
        const QColor colour = controllerColour(source, t.index);
        p.setPen(QPen(colour.darker(130), 1.5));
        if (t.xHigh > t.xLow) {
            p.drawLine(QPointF(xOf(t.xLow), yOf(t.y)), QPointF(xOf(t.xHigh), yOf(t.y)));
            taken.push_back(QRectF(QPointF(xOf(t.xLow), yOf(t.y) - 2), QPointF(xOf(t.xHigh), yOf(t.y) + 2)));
        }
        if (t.yHigh > t.yLow) {
            p.drawLine(QPointF(xOf(t.x), yOf(t.yLow)), QPointF(xOf(t.x), yOf(t.yHigh)));
            taken.push_back(QRectF(QPointF(xOf(t.x) - 2, yOf(t.yHigh)), QPointF(xOf(t.x) + 2, yOf(t.yLow))));
        }
    }
    constexpr double kRadius = 7.0;
    for (const TradeoffPoint &t : points) {
        const QColor colour = controllerColour(source, t.index);
        const QPointF at(xOf(t.x), yOf(t.y));
        if (t.reference) {
            const QPolygonF diamond({at + QPointF(0, -kRadius - 2), at + QPointF(kRadius + 2, 0),
                at + QPointF(0, kRadius + 2), at + QPointF(-kRadius - 2, 0)});
            p.setPen(QPen(colour.darker(150), 2));
            p.setBrush(Qt::white);
            p.drawPolygon(diamond);
        } else {
            p.setPen(QPen(Qt::white, 1.5));
            p.setBrush(colour);
            p.drawEllipse(at, kRadius, kRadius);
        }
        taken.push_back(QRectF(at - QPointF(kRadius, kRadius), QSizeF(2 * kRadius, 2 * kRadius)));
        if (marks)
            marks->push_back({source.controllers[t.index].controller, at, colour});
    }
    p.setBrush(Qt::NoBrush);
    p.setPen(kInk);
    for (const TradeoffPoint &t : points) {
        const QPointF at(xOf(t.x), yOf(t.y));
        const QString name = QString::fromStdString(source.controllers[t.index].controller);
        const QSizeF size(fm.horizontalAdvance(name) + 4, fm.height());
        // Right of the mark, else left of it, stepping down then up a line until clear.
        QRectF place;
        bool found = false;
        for (int step = 0; step < 12 && !found; ++step) {
            const double dy = (step % 2 == 0 ? 1 : -1) * std::ceil(step / 2.0) * size.height();
            for (const bool right : {true, false}) {
                const QPointF topLeft = right ? at + QPointF(kRadius + 4, -size.height() / 2 + dy)
                                              : at + QPointF(-kRadius - 4 - size.width(), -size.height() / 2 + dy);
                const QRectF r(topLeft, size);
                if (!plot.contains(r))
                    continue;
                if (std::none_of(taken.begin(), taken.end(), [&](const QRectF &o) { return o.intersects(r); })) {
                    place = r;
                    found = true;
                    break;
                }
            }
        }
        if (!found)
            place = QRectF(at + QPointF(kRadius + 4, -size.height() / 2), size);
        // A name moved off its mark's line is tied to it.
        if (std::abs(place.center().y() - at.y()) > size.height() / 2) {
            const QPointF end(place.left() > at.x() ? place.left() : place.right(), place.center().y());
            p.setPen(QPen(QColor(0x88, 0x88, 0x88), 0.8));
            const QPointF d = end - at;
            const double length = std::hypot(d.x(), d.y());
            p.drawLine(at + d * (kRadius / std::max(length, 1e-9)), end);
            p.setPen(kInk);
        }
        taken.push_back(place);
        // On a white backdrop, should it still cross a whisker or the target line.
        p.fillRect(place, QColor(255, 255, 255, 200));
        p.drawText(place, Qt::AlignLeft | Qt::AlignVCenter, name);
    }
}

} // namespace

QStringList sweepAxisLabels(double low, double high)
{
    const Axis axis = niceAxis(low, high);
    QStringList labels;
    const auto ticks = std::lround((axis.max - axis.min) / axis.step);
    for (long i = 0; i <= ticks; ++i)
        labels.append(label(axis.min + static_cast<double>(i) * axis.step, axis.step));
    return labels;
}

QSize sweepChartSize(const io::SourceStats &source)
{
    const int perController = 110;
    const int width
        = std::max(900, 2 * (80 + perController * static_cast<int>(source.controllers.size())));
    return QSize(width, kBarsHeight + (tradeoffPoints(source).empty() ? 0 : kTradeoffHeight));
}

void paintSweepChart(QPainter &painter, const io::SourceStats &source, const QRectF &rect,
    std::vector<TradeoffMark> *marks)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    painter.fillRect(rect, Qt::white);
    QFont font = painter.font();
    font.setPixelSize(18);
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(kInk);
    std::size_t seeds = 0;
    for (const auto &c : source.controllers)
        seeds = std::max(seeds, c.seeds.size());
    painter.drawText(QRectF(rect.left(), rect.top() + 8, rect.width(), 28), Qt::AlignCenter,
        (seeds >= 2 ? QStringLiteral("%1: %2 seeds, whiskers: 95 % t interval")
                    : QStringLiteral("%1: %2 seed, no interval (it takes two seeds)"))
            .arg(QString::fromStdString(source.source))
            .arg(seeds));
    font.setBold(false);
    painter.setFont(font);
    const std::vector<TradeoffPoint> points = tradeoffPoints(source);
    // The bars keep their height; the trade-off panel takes the rest, under them.
    const double barsBottom = points.empty()
        ? rect.bottom()
        : rect.top() + rect.height() * kBarsHeight / double(kBarsHeight + kTradeoffHeight);
    const QRectF body = QRectF(rect.topLeft(), QPointF(rect.right(), barsBottom)).adjusted(16, 48, -16, -12);
    const QRectF left(body.left(), body.top(), body.width() / 2 - 8, body.height());
    const QRectF right(body.center().x() + 8, body.top(), body.width() / 2 - 8, body.height());
    paintPanel(painter, source, io::SweepMetric::SloViolations, left);
    paintPanel(painter, source, io::SweepMetric::PodSeconds, right);
    if (!points.empty()) {
        // About as wide as it is high: a scatter stretched across a wide picture hides its slopes.
        const double width = std::min(rect.width() - 32.0, 1.6 * (rect.bottom() - barsBottom));
        const QRectF area(rect.center().x() - width / 2, barsBottom + 8, width, rect.bottom() - barsBottom - 20);
        paintTradeoff(painter, source, points, area, marks);
    }
    painter.restore();
}

QImage renderSweepChart(const io::SourceStats &source, QSize logicalSize, qreal devicePixelRatio)
{
    QImage image(logicalSize * devicePixelRatio, QImage::Format_ARGB32_Premultiplied);
    image.setDevicePixelRatio(devicePixelRatio);
    image.fill(Qt::white);
    QPainter painter(&image);
    paintSweepChart(painter, source, QRectF(QPointF(0, 0), QSizeF(logicalSize)));
    painter.end();
    return image;
}

bool exportSweepChartPng(const io::SourceStats &source, const QString &path, QString *error)
{
    return savePng(renderSweepChart(source, sweepChartSize(source), kDpr), path, error);
}

bool exportSweepChartSvg(const io::SourceStats &source, const QString &path, QString *error)
{
    const QSize size = sweepChartSize(source);
    return saveSvg(path, size, QString::fromStdString(source.source),
        QStringLiteral("Headroom sweep comparison"),
        [&](QPainter &painter) {
            paintSweepChart(painter, source, QRectF(QPointF(0, 0), QSizeF(size)));
        },
        error);
}

} // namespace headroom::ui
