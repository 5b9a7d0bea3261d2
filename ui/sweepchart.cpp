#include "sweepchart.h"

#include "picturefile.h"

#include "timechart.h"

#include <QFont>
#include <QFontMetricsF>
#include <QPainter>
#include <QRectF>
#include <algorithm>
#include <cmath>

namespace headroom::ui {

namespace {

// Okabe-Ito: tells controllers apart for colour-blind readers and in greyscale print.
const QColor kPalette[]
    = {QColor(0x00, 0x72, 0xB2), QColor(0xD5, 0x5E, 0x00), QColor(0x00, 0x9E, 0x73),
        QColor(0xCC, 0x79, 0xA7), QColor(0xE6, 0x9F, 0x00), QColor(0x56, 0xB4, 0xE9),
        QColor(0x44, 0x44, 0x44), QColor(0x99, 0x99, 0x99)}; // eight lanes, eight colours
const QColor kInk(0x20, 0x20, 0x20);
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
    high = std::max(high, a.min + 1e-9);
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

    QFont titleFont = font;
    titleFont.setPixelSize(16);
    titleFont.setBold(true);
    p.setFont(titleFont);
    p.setPen(kInk);
    p.drawText(QRectF(rect.left(), rect.top(), rect.width(), 28), Qt::AlignCenter,
        QString::fromStdString("mean " + io::metricTitle(metric)));
    p.setFont(font);

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
        const QColor colour = kPalette[i % std::size(kPalette)];
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

} // namespace

QSize sweepChartSize(const io::SourceStats &source)
{
    const int perController = 110;
    const int width
        = std::max(900, 2 * (80 + perController * static_cast<int>(source.controllers.size())));
    return QSize(width, 520);
}

void paintSweepChart(QPainter &painter, const io::SourceStats &source, const QRectF &rect)
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
        QStringLiteral("%1: %2 seed(s), whiskers: 95 % t interval")
            .arg(QString::fromStdString(source.source))
            .arg(seeds));
    font.setBold(false);
    painter.setFont(font);
    const QRectF body = rect.adjusted(16, 48, -16, -12);
    const QRectF left(body.left(), body.top(), body.width() / 2 - 8, body.height());
    const QRectF right(body.center().x() + 8, body.top(), body.width() / 2 - 8, body.height());
    paintPanel(painter, source, io::SweepMetric::SloViolations, left);
    paintPanel(painter, source, io::SweepMetric::PodSeconds, right);
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
