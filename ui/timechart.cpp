#include "timechart.h"

#include "timetext.h"

#include <QChart>
#include <QChartView>
#include <QContextMenuEvent>
#include <QGraphicsItem>
#include <QGraphicsLayout>
#include <QGraphicsLineItem>
#include <QGraphicsPolygonItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QLocale>
#include <QLegend>
#include <QMouseEvent>
#include <QPainter>
#include <QResizeEvent>
#include <QFontMetrics>
#include <QHash>
#include <QStaticText>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <QWheelEvent>
#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <utility>
#include <vector>

namespace headroom::ui {

namespace {

// Beyond this many gaps in one line, the shortest gaps are bridged: every
// segment is a series, and hundreds of series slow Qt Charts down.
// Markers and shaded spans sit between the plot background and the lines
// (Qt Charts draws its grid at z 2 and series at z 4).
constexpr qreal kRegionZ = 1.5;
// Lines and bands sit where Qt Charts puts its series (over the grid and the axes), bands
// under the lines.
constexpr qreal kCurveBandZ = 3.9;
constexpr qreal kCurveLineZ = 4.0;
constexpr qreal kTimeAxisZ = 2.0; // Qt Charts' grid: over the shaded regions, under the lines
constexpr qreal kTickLength = 4.0;
constexpr qreal kMarkerZ = 3.5;
constexpr qreal kFlagZ = 5.0; // flags sit over the lines: they are small and must show
constexpr int kHeaderHeight = 24; // the title and the legend share one row above the plot...
constexpr int kLegendRowHeight = 16; // ...and legend entries that do not fit wrap below it
constexpr int kRightMargin = 14;
constexpr int kBottomMargin = 2;
constexpr qreal kHeaderLeft = 4.0;
constexpr qreal kSwatchWidth = 14.0; // long enough to show a dashed line's dash and gap
constexpr qreal kSwatchGap = 3.0; // between a swatch and its name
constexpr qreal kTitleGap = 10.0; // between the title and the first entry
// The legend shows stats only in a form that keeps it within this many rows (title
// included); past that, names alone: the plot stays the larger part of a narrow chart.
constexpr int kMaxStatsRows = 2;
constexpr qreal kBandSwatchHeight = 8.0;
constexpr qreal kMinRegionPixels = 2.0;
constexpr qreal kEntryGap = 9.0;
constexpr qreal kStatsGap = 5.0; // between an entry's name and its stats
constexpr qreal kFlagHalfWidth = 4.5;
constexpr qreal kFlagHeight = 7.0;
constexpr qreal kTickHeight = 10.0; // a vertical marker's length in dense mode
// Hovering this close (pixels) to a marker shows its text; at most this many lines.
constexpr qreal kHoverPixels = 5.0;
constexpr int kMaxToolTipLines = 12;
// A zoom drag narrower than this many pixels is a click, not a zoom.
constexpr qreal kMinDragPixels = 4.0;
// One wheel notch (120 eighths of a degree) zooms by this factor (in when turned away).
constexpr double kWheelZoomPerNotch = 0.8;
// One notch of a sideways wheel (or Shift+wheel) pans by this share of the plot.
constexpr double kWheelPanPerNotch = 0.1;
constexpr qreal kBandZ = 6.0;
constexpr qreal kCrosshairZ = 6.5; // over the lines and markers, under nothing

// QChartView in 6.4.2 dereferences the item under a click without a null
// check (QTBUG-118669); clicks on empty scene space never reach it here.
class SafeChartView : public QChartView
{
public:
    using QChartView::QChartView;

    // Supplies the hover text for a point of the viewport; empty: no tooltip.
    std::function<QString(const QPoint &)> toolTipFor;

protected:
    bool viewportEvent(QEvent *event) override
    {
        if (event->type() != QEvent::ToolTip || !toolTipFor)
            return QChartView::viewportEvent(event);
        const auto *help = static_cast<QHelpEvent *>(event);
        const QString text = toolTipFor(help->pos());
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), text, viewport());
        return true;
    }

    void mousePressEvent(QMouseEvent *event) override
    {
        if (!itemAt(event->position().toPoint())) {
            event->ignore();
            return;
        }
        QChartView::mousePressEvent(event);
    }
};

using Segment = QList<QPointF>;

QList<Segment> splitAtGaps(const QList<QPointF> &points)
{
    QList<Segment> segments;
    Segment current;
    for (const QPointF &p : points) {
        if (std::isfinite(p.x()) && std::isfinite(p.y())) {
            current.append(p);
        } else if (!current.isEmpty()) {
            segments.append(current);
            current.clear();
        }
    }
    if (!current.isEmpty())
        segments.append(current);
    return segments;
}

// A lone point between gaps draws nothing as a line: widen it to a short dash.
void widenLonePoints(QList<Segment> &segments, double halfWidth)
{
    for (Segment &s : segments) {
        if (s.size() == 1)
            s = {QPointF(s[0].x() - halfWidth, s[0].y()), QPointF(s[0].x() + halfWidth, s[0].y())};
    }
}

// Every tick of `interval` reads exactly, all with the same decimals (2.5 is not 3).
QString labelFormat(double interval)
{
    return QStringLiteral("%.") + QString::number(tickDecimals(interval)) + QLatin1Char('f');
}

QColor textColor(TimeChart::Theme theme)
{
    return theme == TimeChart::Theme::Dark ? QColor(0xe0, 0xe0, 0xe0) : QColor(0x30, 0x30, 0x30);
}

// A legend entry's stats: readable, a step behind its name.
QColor mutedTextColor(TimeChart::Theme theme)
{
    return theme == TimeChart::Theme::Dark ? QColor(0xa8, 0xa8, 0xa8) : QColor(0x60, 0x60, 0x60);
}

// A hidden line's legend entry, swatch and text alike: there, but clearly off.
QColor hiddenEntryColor(TimeChart::Theme theme)
{
    return theme == TimeChart::Theme::Dark ? QColor(0x6a, 0x6c, 0x72) : QColor(0xb8, 0xb8, 0xb8);
}

// The time axis, drawn by us: the vertical grid, the line under the plot, and (on the chart
// that shows them) the tick labels and the axis title. Qt Charts re-lays out its whole axis,
// rich-text labels included, at every range change, and a live chart's time range changes
// at every frame: that was a third of a frame with 12 charts (bench_ui). The y axis, whose
// range seldom changes, stays Qt Charts'.
class TimeAxisItem : public QGraphicsItem
{
public:
    struct Ticks
    {
        double first = 0.0;    // the first tick, in the axis unit
        double interval = 1.0; // between ticks, in the axis unit
        double min = 0.0;      // the range, in the axis unit
        double max = 1.0;
        QString format;        // printf format of a label
        TimeUnit unit;         // a clock unit labels its ticks (seconds) as h:mm, d h:mm, with :ss
    };

    TimeAxisItem(std::function<QRectF()> plot, const QValueAxis *style, QGraphicsItem *parent)
        : QGraphicsItem(parent)
        , m_plot(std::move(plot))
        , m_style(style)
    {
        setZValue(kTimeAxisZ);
    }

    void setTicks(const Ticks &ticks)
    {
        m_ticks = ticks;
        update();
    }
    void setLabelsVisible(bool on)
    {
        m_labels = on;
        update();
    }
    bool labelsVisible() const { return m_labels; }
    void setTitle(const QString &title)
    {
        m_title = title;
        update();
    }
    const QString &title() const { return m_title; }
    // Room under the plot for the labels and title, in pixels.
    int bandHeight() const
    {
        int height = 0;
        if (m_labels)
            height += static_cast<int>(kTickLength) + 1 + QFontMetrics(m_style->labelsFont()).height();
        if (!m_title.isEmpty())
            height += QFontMetrics(m_style->titleFont()).height() + 2;
        return height;
    }
    void plotChanged() { prepareGeometryChange(); }

    QRectF boundingRect() const override
    {
        // Labels may reach past the plot's ends, within the chart.
        const QRectF plot = m_plot().adjusted(-1.0, -1.0, 1.0, bandHeight() + 2.0);
        return parentItem() ? plot.united(QRectF(parentItem()->boundingRect().left(), plot.top(),
                                                 parentItem()->boundingRect().width(), 1.0))
                            : plot;
    }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        const QRectF plot = m_plot();
        const std::vector<std::pair<qreal, double>> ticks = tickPositions(plot);
        if (ticks.empty())
            return;

        painter->setPen(m_style->gridLinePen());
        for (const auto &tick : ticks)
            painter->drawLine(QPointF(tick.first, plot.top()), QPointF(tick.first, plot.bottom()));
        painter->setPen(m_style->linePen());
        painter->drawLine(plot.bottomLeft(), plot.bottomRight());

        qreal y = plot.bottom();
        if (m_labels) {
            painter->setFont(m_style->labelsFont());
            painter->setPen(QPen(m_style->labelsBrush().color()));
            const qreal labelTop = y + kTickLength + 1.0;
            // A label under its tick, but kept whole inside the chart: the last one at the
            // plot's right end would be cut in half by the chart's edge.
            const QRectF area = parentItem() ? parentItem()->boundingRect() : plot;
            for (const auto &tick : ticks) {
                painter->drawLine(QPointF(tick.first, y), QPointF(tick.first, y + kTickLength));
                const QStaticText &text = label(labelText(tick.second));
                const qreal width = text.size().width();
                const qreal x = std::clamp(tick.first - width / 2.0, area.left(),
                                           std::max(area.left(), area.right() - width - 1.0));
                painter->drawStaticText(QPointF(x, labelTop), text);
            }
            y = labelTop + QFontMetrics(m_style->labelsFont()).height();
        }
        if (!m_title.isEmpty()) {
            painter->setFont(m_style->titleFont());
            painter->setPen(QPen(m_style->titleBrush().color()));
            const QStaticText &text = label(m_title);
            painter->drawStaticText(QPointF(plot.center().x() - text.size().width() / 2.0, y + 1.0), text);
        }
    }

    // The tick labels, left to right; none while they are hidden.
    QStringList labels() const
    {
        QStringList texts;
        if (m_labels) {
            for (const auto &tick : tickPositions(m_plot()))
                texts.append(labelText(tick.second));
        }
        return texts;
    }

private:
    // Ticks on the interval's multiples (anchored at 0, as Qt Charts' dynamic ticks): their
    // x in chart coordinates and their value in the axis unit.
    std::vector<std::pair<qreal, double>> tickPositions(const QRectF &plot) const
    {
        std::vector<std::pair<qreal, double>> ticks;
        const double span = m_ticks.max - m_ticks.min;
        if (!(span > 0.0) || !(m_ticks.interval > 0.0) || plot.width() <= 0.0)
            return ticks;
        const long first = static_cast<long>(std::ceil(m_ticks.min / m_ticks.interval - 1e-9));
        for (long i = first; ticks.size() <= 64; ++i) {
            const double v = i * m_ticks.interval;
            if (v > m_ticks.max + 1e-9 * m_ticks.interval)
                break;
            ticks.emplace_back(plot.left() + (v - m_ticks.min) / span * plot.width(), v);
        }
        return ticks;
    }
    QString labelText(double value) const
    {
        if (m_ticks.unit.clock)
            return clockText(value, m_ticks.unit.symbol.endsWith(QLatin1String(":ss")),
                m_ticks.unit.symbol.startsWith(QLatin1String("d ")));
        // -0.0 reads as 0.
        return QString::asprintf(qPrintable(m_ticks.format), value == 0.0 ? 0.0 : value);
    }

    // Laid-out texts, kept: the same few labels come back frame after frame.
    const QStaticText &label(const QString &text)
    {
        if (m_cache.size() > 256)
            m_cache.clear();
        auto it = m_cache.find(text);
        if (it == m_cache.end()) {
            QStaticText laidOut(text);
            laidOut.setTextFormat(Qt::PlainText);
            it = m_cache.insert(text, laidOut);
        }
        return it.value();
    }

    std::function<QRectF()> m_plot;
    const QValueAxis *m_style; // the y axis: the theme's pens, fonts and colours for axes
    Ticks m_ticks;
    bool m_labels = true;
    QString m_title;
    QHash<QString, QStaticText> m_cache;
};

// A straight line item (markers, the crosshair, legend swatches) that knows its bounds
// without stroking itself: QGraphicsLineItem works out its bounding rectangle from a
// stroked outline of the line for any pen wider than cosmetic, and the view asks for it
// again at every repaint, for every marker of the run (8 % of a live frame in bench_ui).
// Nothing is hit-tested through shape(): marker tooltips come from markerTextAt().
class LineItem : public QGraphicsLineItem
{
public:
    using QGraphicsLineItem::QGraphicsLineItem;
    QRectF boundingRect() const override
    {
        const qreal pad = pen().widthF() / 2.0 + 1.0;
        return QRectF(line().p1(), line().p2()).normalized().adjusted(-pad, -pad, pad, pad);
    }
    QPainterPath shape() const override
    {
        QPainterPath path;
        path.addRect(boundingRect());
        return path;
    }
};

// A line or a band, drawn straight onto the chart's plot area. Qt Charts' own series
// rebuild their geometry, and a stroked outline of every line for hit testing, on each
// replace() and each range change: most of a live frame with 12 charts (bench_ui). Nothing
// here is hit-tested (the legend, markers and crosshair are our own items), so the points
// are mapped to pixels when painted, and that is all.
class CurveItem : public QGraphicsItem
{
public:
    // `toPixel` maps (seconds, y) to chart coordinates; `plot` gives the plot area.
    CurveItem(std::function<QPointF(const QPointF &)> toPixel, std::function<QRectF()> plot,
              bool band, QGraphicsItem *parent)
        : QGraphicsItem(parent)
        , m_toPixel(std::move(toPixel))
        , m_plot(std::move(plot))
        , m_band(band)
    {
        setZValue(band ? kCurveBandZ : kCurveLineZ);
    }

    bool isBand() const { return m_band; }
    void setPen(const QPen &pen)
    {
        m_pen = pen;
        update();
    }
    void setBrush(const QBrush &brush)
    {
        m_brush = brush;
        update();
    }
    // A band filled without antialiasing: a line's faint envelope, whose edges no one
    // follows, filled with many vertices at every frame (a third of a dense frame's paint).
    void setAliasedFill(bool on) { m_aliasedFill = on; }
    // A line: its segments, x in seconds.
    void setSegments(QList<Segment> segments)
    {
        m_segments = std::move(segments);
        update();
    }
    const QList<Segment> &segments() const { return m_segments; }
    // A band: its edges, sharing their x values (seconds).
    void setEdges(QList<QPointF> lower, QList<QPointF> upper)
    {
        m_lower = std::move(lower);
        m_upper = std::move(upper);
        update();
    }
    const QList<QPointF> &upper() const { return m_upper; }
    const QList<QPointF> &lower() const { return m_lower; }
    bool isEmpty() const { return m_segments.isEmpty() && m_upper.isEmpty(); }
    void clear()
    {
        if (isEmpty())
            return;
        m_segments.clear();
        m_lower.clear();
        m_upper.clear();
        update();
    }
    // The plot area moved or changed size.
    void plotChanged() { prepareGeometryChange(); }

    QRectF boundingRect() const override
    {
        const qreal pad = m_pen.widthF() + 1.0;
        return m_plot().adjusted(-pad, -pad, pad, pad);
    }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        painter->save();
        painter->setClipRect(m_plot());
        if (m_band) {
            paintBand(painter);
        } else {
            painter->setPen(m_pen);
            painter->setBrush(Qt::NoBrush);
            // A wide or antialiased polyline is stroked as one outline, its joins filled with
            // the winding rule: several times slower than its pieces drawn as separate lines
            // (as Qt Charts draws solid lines). A dashed line is drawn whole, so that its
            // pattern runs on across the points.
            const bool whole = m_pen.style() != Qt::SolidLine
                || (!painter->testRenderHint(QPainter::Antialiasing) && m_pen.widthF() <= 1.0);
            // Pieces get square caps: each reaches half the pen's width past its ends, so
            // pieces that meet at an angle leave no notch, and a run of level pieces (a pod
            // count that holds) is one piece, with no seam where antialiased ends would meet.
            if (!whole) {
                QPen pen = m_pen;
                pen.setCapStyle(Qt::SquareCap);
                painter->setPen(pen);
            }
            QPolygonF pixels;
            QList<QLineF> lines;
            for (const Segment &segment : m_segments) {
                map(segment, pixels);
                if (whole) {
                    painter->drawPolyline(pixels);
                    continue;
                }
                lines.clear();
                for (qsizetype i = 1; i < pixels.size(); ++i) {
                    const QPointF &a = pixels[i - 1];
                    const QPointF &b = pixels[i];
                    if (!lines.isEmpty()) {
                        QLineF &last = lines.last();
                        const bool level = last.p1().y() == last.p2().y() && a.y() == b.y()
                            && last.p2().y() == a.y();
                        const bool upright = last.p1().x() == last.p2().x() && a.x() == b.x()
                            && last.p2().x() == a.x();
                        if (level || upright) {
                            last.setP2(b);
                            continue;
                        }
                    }
                    lines.append(QLineF(a, b));
                }
                painter->drawLines(lines);
            }
        }
        painter->restore();
    }

private:
    void map(const QList<QPointF> &points, QPolygonF &out) const
    {
        out.resize(points.size());
        for (qsizetype i = 0; i < points.size(); ++i)
            out[i] = clamped(m_toPixel(points[i]));
    }
    // Far outside the plot, a point only sets its line's slope; keep it in a range the
    // raster engine takes (a y of 1e300 would overflow its fixed-point coordinates).
    static QPointF clamped(const QPointF &p)
    {
        constexpr qreal kFar = 1e6;
        return QPointF(std::clamp(p.x(), -kFar, kFar), std::clamp(p.y(), -kFar, kFar));
    }
    void paintBand(QPainter *painter) const
    {
        // The area between the edges, one polygon per stretch where both are finite.
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_brush);
        if (m_aliasedFill)
            painter->setRenderHint(QPainter::Antialiasing, false);
        const qsizetype n = std::min(m_lower.size(), m_upper.size());
        QPolygonF polygon;
        const auto flush = [&](qsizetype from, qsizetype to) {
            if (to - from < 2)
                return;
            polygon.clear();
            for (qsizetype i = from; i < to; ++i)
                polygon.append(clamped(m_toPixel(m_upper[i])));
            for (qsizetype i = to - 1; i >= from; --i)
                polygon.append(clamped(m_toPixel(m_lower[i])));
            painter->drawPolygon(polygon);
        };
        qsizetype from = 0;
        for (qsizetype i = 0; i < n; ++i) {
            const bool finite = std::isfinite(m_upper[i].x()) && std::isfinite(m_upper[i].y())
                && std::isfinite(m_lower[i].y());
            if (!finite) {
                flush(from, i);
                from = i + 1;
            }
        }
        flush(from, n);
    }

    std::function<QPointF(const QPointF &)> m_toPixel;
    std::function<QRectF()> m_plot;
    bool m_band;
    bool m_aliasedFill = false;
    QPen m_pen;
    QBrush m_brush;
    QList<Segment> m_segments;
    QList<QPointF> m_lower;
    QList<QPointF> m_upper;
};

// The shaded regions of a chart, painted as one layer. A region's colour is translucent, so
// that regions show through each other and the lines show through them; but the raster
// engine blends a translucent fill at 8-24 ns a pixel here, against well under one for an
// opaque fill, and the regions of 12 charts took a third of a live frame (bench_ui). So the
// layer works out what the blend comes to, cell by cell where regions meet, over the
// chart's flat background, and fills each cell opaque: the same picture, from opaque fills.
// Patterned regions (a hole in a trace's hatching) are drawn as given, over the rest.
class RegionLayer : public QGraphicsItem
{
public:
    struct Shade
    {
        QRectF rect;
        QBrush brush;
    };

    // `shades` lists the regions to paint, in order, and the background they lie on; it is
    // asked at each paint, so regions can come and go without a pass over all of them.
    RegionLayer(std::function<QRectF()> plot,
                std::function<QColor(std::vector<Shade> &)> shades, QGraphicsItem *parent)
        : QGraphicsItem(parent)
        , m_plot(std::move(plot))
        , m_collect(std::move(shades))
    {
        setZValue(kRegionZ);
    }
    void plotChanged() { prepareGeometryChange(); }

    QRectF boundingRect() const override { return m_plot().adjusted(-1.0, -1.0, 1.0, 1.0); }

    void paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *) override
    {
        m_shades.clear();
        m_background = m_collect(m_shades);
        // Whole pixels: cells that meet share an edge exactly, with no seam between them.
        std::vector<std::pair<QRect, QColor>> solid;
        std::vector<int> xs;
        for (const Shade &s : m_shades) {
            if (s.brush.style() != Qt::SolidPattern)
                continue;
            const QRect r(QPoint(static_cast<int>(std::lround(s.rect.left())),
                                 static_cast<int>(std::lround(s.rect.top()))),
                          QPoint(static_cast<int>(std::lround(s.rect.right())) - 1,
                                 static_cast<int>(std::lround(s.rect.bottom())) - 1));
            if (r.isEmpty())
                continue;
            solid.emplace_back(r, s.brush.color());
            xs.push_back(r.left());
            xs.push_back(r.right() + 1);
        }
        std::sort(xs.begin(), xs.end());
        xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
        std::vector<const std::pair<QRect, QColor> *> active;
        std::vector<int> ys;
        for (std::size_t i = 0; i + 1 < xs.size(); ++i) {
            const int x0 = xs[i];
            const int x1 = xs[i + 1];
            active.clear();
            ys.clear();
            for (const auto &shade : solid) {
                if (shade.first.left() <= x0 && shade.first.right() + 1 >= x1) {
                    active.push_back(&shade);
                    ys.push_back(shade.first.top());
                    ys.push_back(shade.first.bottom() + 1);
                }
            }
            std::sort(ys.begin(), ys.end());
            ys.erase(std::unique(ys.begin(), ys.end()), ys.end());
            for (std::size_t k = 0; k + 1 < ys.size(); ++k) {
                double red = m_background.redF();
                double green = m_background.greenF();
                double blue = m_background.blueF();
                bool covered = false;
                for (const auto *shade : active) {
                    const QRect &r = shade->first;
                    if (r.top() > ys[k] || r.bottom() + 1 < ys[k + 1])
                        continue;
                    const QColor &c = shade->second;
                    const double a = c.alphaF();
                    red = a * c.redF() + (1.0 - a) * red;
                    green = a * c.greenF() + (1.0 - a) * green;
                    blue = a * c.blueF() + (1.0 - a) * blue;
                    covered = true;
                }
                if (covered)
                    painter->fillRect(QRect(QPoint(x0, ys[k]), QPoint(x1 - 1, ys[k + 1] - 1)),
                                      QColor::fromRgbF(red, green, blue));
            }
        }
        for (const Shade &s : m_shades) {
            if (s.brush.style() != Qt::SolidPattern)
                painter->fillRect(s.rect, s.brush);
        }
    }

private:
    std::function<QRectF()> m_plot;
    std::function<QColor(std::vector<Shade> &)> m_collect;
    std::vector<Shade> m_shades;
    QColor m_background;
};

// Markers are recreated on every redraw: items are kept and reused, not reallocated.
template <typename Marker> struct Pool
{
    std::vector<Marker> items;
    std::size_t used = 0;

    auto begin() const { return items.begin(); }
    auto end() const { return items.begin() + static_cast<std::ptrdiff_t>(used); }
};

} // namespace

class TimeChart::Private
{
public:
    // A line, or a band (area set) between two curves.
    struct Line
    {
        QString name;
        LineStyle style; // bands: the line crossing the legend swatch
        CurveItem *curve = nullptr;
        bool area = false; // a band
        QColor fill;
        QGraphicsLineItem *swatch = nullptr;
        QGraphicsRectItem *swatchBox = nullptr; // bands, and lines while they have an envelope
        CurveItem *envelope = nullptr; // a line's range behind it (setLineEnvelope), made on first use
        QGraphicsSimpleTextItem *label = nullptr;
        QGraphicsSimpleTextItem *stats = nullptr; // after the label, muted; may be empty
        qreal statsWidth = 0.0; // the widest stats text yet: entries never shrink and rewrap
        std::optional<SeriesStats> statValues;
        int statDecimals = 0;
        bool visible = true;
        bool hidden = false; // by the user: the entry stays in the legend, greyed out
        int nonFinite = 0; // of the last setLine's points, drawn as gaps
        int points = 0;

        bool inLegend() const { return visible && (area || style.inLegend); }
        bool drawn() const { return visible && !hidden; }
        bool hasEnvelope() const { return envelope && !envelope->isEmpty(); }
    };
    struct LineMarker
    {
        double x = 0.0;
        QString text;
        QGraphicsLineItem *item = nullptr;
    };
    struct FlagMarker
    {
        double x = 0.0;
        QString text;
        QGraphicsLineItem *line = nullptr;
        QGraphicsPolygonItem *flag = nullptr;
    };
    struct Region
    {
        double x0 = 0.0;
        double x1 = 0.0;
        double yFrom = std::numeric_limits<double>::quiet_NaN(); // NaN: the plot's full height
        QString text;
        Qt::Alignment labelAt = Qt::AlignTop;
        QBrush brush;
        QRectF rect;       // where it is painted (chart coordinates), when shown
        bool shown = false;
        QGraphicsSimpleTextItem *label = nullptr;
    };

    Line *findLine(const QString &name);
    const Line *findLine(const QString &name) const;
    CurveItem *newCurve(const Line &line);
    void styleBand(const Line &band) const;
    QColor envelopeColor(const Line &line) const;
    void showSwatchBox(const Line &line) const;
    void followPlotArea() const;
    void updateBottomMargin();
    void applyYTicks();
    void addLegendEntry(Line &line);
    void styleLegendEntry(const Line &line) const;
    void chooseStatsForm(qreal width);
    void showStatsText(Line &line, bool rewrap);
    void showLine(const Line &line) const;
    QRectF legendEntryRect(const Line &line) const;
    const Line *legendEntryAt(const QPointF &chartPos) const;
    QPen linePen(const LineStyle &style) const;
    bool fast = false; // setAntialiased(false): thin aliased lines
    void applyTheme();
    QColor backgroundColor() const;
    void applyFonts();
    void applyRanges();
    void applyXTitle();
    LineMarker &acquireLineMarker();
    FlagMarker &acquireFlagMarker();
    Region &acquireRegion();
    void hideUnusedMarkers();
    void placeMarkers();
    void placeLineMarker(const LineMarker &m, const QRectF &plot) const;
    void placeFlagMarker(const FlagMarker &m, const QRectF &plot) const;
    void placeRegion(Region &r, const QRectF &plot) const;
    void showRegions() const;
    template <typename StatsWidth, typename Place>
    int flowHeader(qreal width, StatsWidth statsWidth, Place place) const;
    int placeHeader(qreal width);
    void fitHeader(qreal width);
    void setHeaderHeight(int height);
    qreal xToPixel(double x) const;
    qreal yToPixel(double y) const;
    double pixelToX(qreal px) const;
    QPointF chartPosAt(const QPoint &viewportPos) const;
    QString markerTextAt(const QPointF &chartPos) const;
    void placeBand() const;
    void placeCrosshair() const;
    void placeNote() const;
    void endDrag();

    // Mouse gestures (see setInteractive).
    enum class Drag { None, Zoom, Pan };
    bool interactive = false;
    bool overLegend = false; // the pointer is over a legend entry (a pointing hand)
    Drag drag = Drag::None;
    double dragFromS = 0.0; // a zoom drag: the time where it started
    qreal dragToPx = 0.0; // a zoom drag: where the mouse is (chart x)
    qreal dragLastPx = 0.0; // a pan drag: where the mouse was (chart x)
    QGraphicsRectItem *band = nullptr;
    QGraphicsLineItem *crosshair = nullptr;
    double crosshairS = std::numeric_limits<double>::quiet_NaN();

    QChart *chart = nullptr;
    SafeChartView *view = nullptr;
    TimeAxisItem *timeAxis = nullptr; // the time axis is ours (TimeAxisItem)
    double xInterval = 10.0; // between time ticks, in the axis unit
    QString xFormat = QStringLiteral("%.0f");
    QValueAxis *yAxis = nullptr;
    QGraphicsSimpleTextItem *title = nullptr;
    QGraphicsSimpleTextItem *note = nullptr; // setPlotNote: on the plot where it hides least, muted
    QGraphicsRectItem *noteBox = nullptr;    // behind it: the lines it crosses show through, dimmed
    QString noteText; // as set; the item shows it wrapped to the plot's width
    RegionLayer *regionLayer = nullptr;
    QString xTitle;
    TimeUnit xUnit;
    std::vector<Line> lines;
    Pool<LineMarker> lineMarkers;
    Pool<FlagMarker> flagMarkers;
    Pool<Region> regions;
    Theme theme = Theme::Light;
    int headerRows = 1;
    int minHeaderRows = 1;
    LegendForm legendForm = LegendForm::Full; // how much of their stats the entries show
    LegendForm naturalForm = LegendForm::Full; // what this chart's width and entries allow
    LegendForm formCap = LegendForm::Full; // the richest form allowed (setLegendFormCap)
    bool integerYTicks = false;
    bool denseMarkers = false;
    double xMin = 0.0;
    double xMax = 60.0;
    double yMin = 0.0;
    double yMax = 1.0;
    double yInterval = 1.0;
};

TimeChart::Private::Line *TimeChart::Private::findLine(const QString &name)
{
    for (Line &line : lines) {
        if (line.name == name)
            return &line;
    }
    return nullptr;
}

const TimeChart::Private::Line *TimeChart::Private::findLine(const QString &name) const
{
    return const_cast<Private *>(this)->findLine(name);
}

CurveItem *TimeChart::Private::newCurve(const Line &line)
{
    auto *curve = new CurveItem(
        [this](const QPointF &p) { return QPointF(xToPixel(p.x()), yToPixel(p.y())); },
        [this] { return chart->plotArea(); }, line.area, chart);
    curve->setPen(linePen(line.style));
    curve->setVisible(line.drawn());
    return curve;
}

// The plot area moved or changed size: the items drawn on it change their bounds (a new
// range alone needs only a repaint, see applyRanges).
void TimeChart::Private::followPlotArea() const
{
    for (const Line &line : lines) {
        line.curve->plotChanged();
        if (line.envelope)
            line.envelope->plotChanged();
    }
    timeAxis->plotChanged();
    regionLayer->plotChanged();
}

// The y axis's ticks, set only when they change (see applyRanges).
void TimeChart::Private::applyYTicks()
{
    if (yAxis->tickInterval() != yInterval)
        yAxis->setTickInterval(yInterval);
    const QString format = labelFormat(yInterval);
    if (yAxis->labelFormat() != format)
        yAxis->setLabelFormat(format);
}

// Room under the plot for the time axis's labels and title.
void TimeChart::Private::updateBottomMargin()
{
    QMargins margins = chart->margins();
    const int bottom = kBottomMargin + timeAxis->bandHeight();
    if (margins.bottom() == bottom)
        return;
    margins.setBottom(bottom);
    chart->setMargins(margins);
}

void TimeChart::Private::styleBand(const Line &band) const
{
    band.curve->setBrush(band.fill);
}

// A line's envelope: its colour, faint enough that the line over it and the regions under
// it read through (stronger on the dark background, where a faint colour sinks). In the fast
// mode (a run redrawn as fast as it goes) the same colour laid on the background, opaque: a
// translucent fill is blended pixel by pixel, and the envelopes of four lanes' dense charts
// took the frame's paint from 8 to 14 ms (bench_ui); the regions under it show again when
// the run holds still.
QColor TimeChart::Private::envelopeColor(const Line &line) const
{
    const float alpha = theme == Theme::Dark ? 0.38f : 0.24f;
    QColor color = line.style.color;
    if (!fast) {
        color.setAlphaF(alpha);
        return color;
    }
    const QColor back = backgroundColor();
    const auto mix = [&](int over, int under) { return static_cast<int>(std::lround(alpha * over + (1.0f - alpha) * under)); };
    return QColor(mix(color.red(), back.red()), mix(color.green(), back.green()), mix(color.blue(), back.blue()));
}

// A band's legend swatch is a box; so is a line's while it is drawn with an envelope.
void TimeChart::Private::showSwatchBox(const Line &line) const
{
    line.swatchBox->setVisible(
        line.inLegend() && line.label->isVisible() && (line.area || line.hasEnvelope()));
}

// Our own legend: Qt Charts' detached legend cannot report how many rows it needs.
void TimeChart::Private::addLegendEntry(Line &line)
{
    line.swatchBox = new QGraphicsRectItem(chart);
    line.swatchBox->setPen(Qt::NoPen);
    line.swatchBox->setVisible(line.area);
    line.swatch = new LineItem(chart);
    line.swatch->setPen(linePen(line.style));
    line.swatch->setVisible(line.style.color.isValid());
    line.label = new QGraphicsSimpleTextItem(line.name, chart);
    line.label->setFont(chart->legend()->font());
    line.stats = new QGraphicsSimpleTextItem(chart);
    line.stats->setFont(chart->legend()->font());
    styleLegendEntry(line);
}

void TimeChart::Private::styleLegendEntry(const Line &line) const
{
    const QColor off = hiddenEntryColor(theme);
    line.label->setBrush(line.hidden ? off : textColor(theme));
    line.stats->setBrush(line.hidden ? off : mutedTextColor(theme));
    LineStyle swatch = line.style;
    if (line.hidden && swatch.color.isValid())
        swatch.color = off;
    line.swatch->setPen(linePen(swatch));
    const QColor box = line.area ? line.fill : envelopeColor(line);
    line.swatchBox->setBrush(line.hidden ? off.lighter(110) : box);
    if (line.envelope)
        line.envelope->setBrush(envelopeColor(line));
}

// Shows the line's series, or hides them, by what was asked (setEntryVisible) and what the
// user chose (setEntryHidden).
void TimeChart::Private::showLine(const Line &line) const
{
    line.curve->setVisible(line.drawn());
    if (line.envelope)
        line.envelope->setVisible(line.drawn());
}

// The entry's swatch, name and stats, in chart coordinates, a little widened for the pointer.
QRectF TimeChart::Private::legendEntryRect(const Line &line) const
{
    if (!line.inLegend() || !line.label->isVisible())
        return {};
    const QRectF text = line.label->mapRectToParent(line.label->boundingRect());
    qreal right = text.right();
    if (!line.stats->text().isEmpty())
        right = line.stats->mapRectToParent(line.stats->boundingRect()).right();
    return QRectF(
        QPointF(text.left() - kSwatchWidth - kSwatchGap, text.top()), QPointF(right, text.bottom()))
        .adjusted(-2, -2, 2, 2);
}

const TimeChart::Private::Line *TimeChart::Private::legendEntryAt(const QPointF &chartPos) const
{
    for (const Line &line : lines) {
        if (legendEntryRect(line).contains(chartPos))
            return &line;
    }
    return nullptr;
}

QPen TimeChart::Private::linePen(const LineStyle &style) const
{
    // Fast: one pixel wide and aliased, the raster engine's line path; wider or antialiased
    // lines go through the path stroker, with round joins through arcs (bench_ui).
    if (fast)
        return QPen(style.color, 1.0, style.penStyle, Qt::FlatCap, Qt::BevelJoin);
    return QPen(style.color, style.width, style.penStyle, Qt::FlatCap, Qt::RoundJoin);
}

void TimeChart::Private::applyTheme()
{
    const bool dark = theme == Theme::Dark;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundRoundness(0);
    // A flat background instead of the theme's gradient (white to white in the light theme):
    // a gradient is filled pixel by pixel at every repaint, and regions are blended onto it.
    chart->setBackgroundBrush(backgroundColor());
    chart->legend()->hide();
    applyFonts();

    const QColor text = textColor(theme);
    title->setBrush(text);
    note->setBrush(dark ? QColor(0xa8, 0xa8, 0xa8) : QColor(0x60, 0x60, 0x60));
    // Grey text over orange curves was hard to read in a narrow lane (a trial).
    QColor box = backgroundColor();
    box.setAlpha(215);
    noteBox->setBrush(box);
    // The theme resets pens; ours carry meaning (dashed = reference line).
    for (const Line &line : lines) {
        if (line.area)
            styleBand(line);
        else
            line.curve->setPen(linePen(line.style));
        styleLegendEntry(line);
    }
    for (const Region &region : regions.items)
        region.label->setBrush(text);
}

QColor TimeChart::Private::backgroundColor() const
{
    // The dark theme's gradient runs from #2e303a to #121218: its middle.
    return theme == Theme::Dark ? QColor(0x20, 0x21, 0x29) : QColor(Qt::white);
}

void TimeChart::Private::applyFonts()
{
    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(10.0);
    titleFont.setBold(true);
    title->setFont(titleFont);
    QFont noteFont = titleFont;
    noteFont.setBold(false);
    noteFont.setPointSizeF(9.0);
    note->setFont(noteFont);
    QFont small = titleFont;
    small.setBold(false);
    small.setPointSizeF(8.0);
    chart->legend()->setFont(small);
    yAxis->setLabelsFont(small);
    yAxis->setTitleFont(small); // the time axis draws in the y axis's fonts and colours
    updateBottomMargin();
    for (const Line &line : lines) {
        line.label->setFont(small);
        line.stats->setFont(small);
    }
}

void TimeChart::Private::applyRanges()
{
    timeAxis->setTicks({0.0, xInterval, xMin / xUnit.seconds, xMax / xUnit.seconds, xFormat, xUnit});
    // Qt Charts lays its axis out again on any call, the same values or not: a live chart
    // sets its ranges every frame, mostly unchanged.
    if (yAxis->min() != yMin || yAxis->max() != yMax)
        yAxis->setRange(yMin, yMax);
    // The curves map their points to pixels when painted; their bounds, the plot, stay.
    for (const Line &line : lines) {
        line.curve->update();
        if (line.envelope)
            line.envelope->update();
    }
}

void TimeChart::Private::applyXTitle()
{
    timeAxis->setTitle(xTitle.isEmpty()
            ? QString()
            : xTitle + QStringLiteral(" (") + xUnit.symbol + QLatin1Char(')'));
    updateBottomMargin();
}

qreal TimeChart::Private::xToPixel(double x) const
{
    const QRectF plot = chart->plotArea();
    const double span = std::max(xMax - xMin, 1e-9);
    return plot.left() + (x - xMin) / span * plot.width();
}

qreal TimeChart::Private::yToPixel(double y) const
{
    const QRectF plot = chart->plotArea();
    const double span = std::max(yMax - yMin, 1e-9);
    return plot.bottom() - (y - yMin) / span * plot.height();
}

double TimeChart::Private::pixelToX(qreal px) const
{
    const QRectF plot = chart->plotArea();
    return xMin + (px - plot.left()) / std::max(plot.width(), 1.0) * (xMax - xMin);
}

QPointF TimeChart::Private::chartPosAt(const QPoint &viewportPos) const
{
    return chart->mapFromScene(view->mapToScene(viewportPos));
}

// The zoom drag's band, from the time it started to the mouse, across the plot's height;
// placed again when the range moves under it (a live view redrawing mid-drag).
void TimeChart::Private::placeBand() const
{
    if (!band)
        return;
    const QRectF plot = chart->plotArea();
    const qreal from = std::clamp(xToPixel(dragFromS), plot.left(), plot.right());
    const qreal to = std::clamp(dragToPx, plot.left(), plot.right());
    band->setRect(QRectF(
        QPointF(std::min(from, to), plot.top()), QPointF(std::max(from, to), plot.bottom())));
    band->setVisible(drag == Drag::Zoom);
}

void TimeChart::Private::endDrag()
{
    drag = Drag::None;
    overLegend = false;
    if (band)
        band->setVisible(false);
    if (interactive)
        view->viewport()->setCursor(Qt::CrossCursor);
}

TimeChart::Private::LineMarker &TimeChart::Private::acquireLineMarker()
{
    if (lineMarkers.used == lineMarkers.items.size()) {
        LineMarker m;
        m.item = new LineItem(chart);
        m.item->setZValue(kMarkerZ);
        lineMarkers.items.push_back(m);
    }
    return lineMarkers.items[lineMarkers.used++];
}

TimeChart::Private::FlagMarker &TimeChart::Private::acquireFlagMarker()
{
    if (flagMarkers.used == flagMarkers.items.size()) {
        FlagMarker m;
        m.line = new LineItem(chart);
        m.line->setZValue(kMarkerZ);
        m.flag = new QGraphicsPolygonItem(chart);
        m.flag->setPolygon(QPolygonF({QPointF(-kFlagHalfWidth, 0.0), QPointF(kFlagHalfWidth, 0.0),
            QPointF(0.0, kFlagHeight)}));
        m.flag->setZValue(kFlagZ);
        flagMarkers.items.push_back(m);
    }
    return flagMarkers.items[flagMarkers.used++];
}

TimeChart::Private::Region &TimeChart::Private::acquireRegion()
{
    if (regions.used == regions.items.size()) {
        Region r;
        r.label = new QGraphicsSimpleTextItem(chart);
        r.label->setZValue(kMarkerZ);
        regions.items.push_back(r);
    }
    return regions.items[regions.used++];
}

void TimeChart::Private::hideUnusedMarkers()
{
    for (std::size_t i = lineMarkers.used; i < lineMarkers.items.size(); ++i)
        lineMarkers.items[i].item->setVisible(false);
    for (std::size_t i = flagMarkers.used; i < flagMarkers.items.size(); ++i) {
        flagMarkers.items[i].line->setVisible(false);
        flagMarkers.items[i].flag->setVisible(false);
    }
    for (std::size_t i = regions.used; i < regions.items.size(); ++i) {
        regions.items[i].shown = false;
        regions.items[i].label->setVisible(false);
    }
    showRegions();
}

void TimeChart::Private::placeCrosshair() const
{
    if (!crosshair)
        return;
    const QRectF plot = chart->plotArea();
    const bool inside = std::isfinite(crosshairS) && crosshairS >= xMin && crosshairS <= xMax;
    crosshair->setVisible(inside);
    if (!inside)
        return;
    const qreal px = xToPixel(crosshairS);
    crosshair->setLine(QLineF(px, plot.top(), px, plot.bottom()));
}

void TimeChart::Private::placeMarkers()
{
    placeCrosshair();
    const QRectF plot = chart->plotArea();
    for (const LineMarker &m : lineMarkers)
        placeLineMarker(m, plot);
    for (const FlagMarker &m : flagMarkers)
        placeFlagMarker(m, plot);
    std::vector<QRectF> labels; // region labels shown so far: one never covers another
    for (std::size_t i = 0; i < regions.used; ++i) {
        Region &r = regions.items[i];
        placeRegion(r, plot);
        if (!r.label->isVisible())
            continue;
        const QRectF box = r.label->mapRectToParent(r.label->boundingRect());
        if (std::any_of(labels.begin(), labels.end(),
                        [&](const QRectF &other) { return other.intersects(box); }))
            r.label->setVisible(false); // its text still shows on hover
        else
            labels.push_back(box);
    }
    showRegions();
    placeBand();
}

void TimeChart::Private::placeLineMarker(const LineMarker &m, const QRectF &plot) const
{
    m.item->setVisible(m.x >= xMin && m.x <= xMax);
    const qreal px = xToPixel(m.x);
    const qreal bottom = denseMarkers ? plot.top() + kTickHeight : plot.bottom();
    m.item->setLine(px, plot.top(), px, bottom);
}

void TimeChart::Private::placeFlagMarker(const FlagMarker &m, const QRectF &plot) const
{
    const bool inside = m.x >= xMin && m.x <= xMax;
    m.line->setVisible(inside && !denseMarkers);
    m.flag->setVisible(inside);
    const qreal px = xToPixel(m.x);
    m.line->setLine(px, plot.top() + kFlagHeight, px, plot.bottom());
    m.flag->setPos(px, plot.top());
}

void TimeChart::Private::showRegions() const
{
    regionLayer->update();
}

void TimeChart::Private::placeRegion(Region &r, const QRectF &plot) const
{
    const qreal left = std::max(xToPixel(r.x0), plot.left());
    qreal right = std::min(xToPixel(r.x1), plot.right());
    const bool inside = right > left || (r.x1 >= r.x0 && r.x0 >= xMin && r.x0 <= xMax);
    // A span of a second or two in a long run stays a visible sliver.
    right = std::max(right, std::min(left + kMinRegionPixels, plot.right()));
    // A span over a threshold reaches down to it; one above the y range shows nothing.
    const qreal bottom = std::isnan(r.yFrom)
        ? plot.bottom()
        : std::clamp(yToPixel(r.yFrom), plot.top(), plot.bottom());
    r.shown = inside && bottom > plot.top();
    r.rect = QRectF(left, plot.top(), right - left, bottom - plot.top());
    // A label wider than its span would read as belonging to its neighbour.
    const QRectF text = r.label->boundingRect();
    r.label->setVisible(inside && text.width() + 3 <= std::max(right - left, 40.0));
    const qreal y = r.labelAt & Qt::AlignBottom ? plot.bottom() - text.height() - 1
                                                : plot.top() + kFlagHeight + 1;
    r.label->setPos(left + 3, y);
}

// The title and the legend entries flowed across `width`: entries follow the title and wrap
// onto rows of their own below it. Each entry in the legend goes to `place(line, x, row)`,
// its stats taking `statsWidth(line)` (0: none); returns the rows taken. The flow starts at
// the chart's left edge, not the plot's, so the rows depend on the width alone and never on
// the margins they set.
template <typename StatsWidth, typename Place>
int TimeChart::Private::flowHeader(qreal width, StatsWidth statsWidth, Place place) const
{
    const qreal right = std::max(width - kRightMargin, kHeaderLeft + 1.0);
    int row = 0;
    bool rowUsed = !title->text().isEmpty();
    qreal x = kHeaderLeft + (rowUsed ? title->boundingRect().width() + kTitleGap : 0.0);
    for (const Line &line : lines) {
        if (!line.inLegend())
            continue;
        const qreal stats = statsWidth(line);
        const qreal entry = kSwatchWidth + kSwatchGap + line.label->boundingRect().width()
            + (stats > 0.0 ? kStatsGap + stats : 0.0);
        if (x + entry > right && rowUsed) {
            ++row;
            x = kHeaderLeft;
        }
        place(line, x, row);
        x += entry + kEntryGap;
        rowUsed = true;
    }
    return row + 1;
}

// Lays the title and legend out across `width` and returns the rows they take.
int TimeChart::Private::placeHeader(qreal width)
{
    const QRectF titleRect = title->boundingRect();
    title->setPos(kHeaderLeft, (kHeaderHeight - titleRect.height()) / 2.0);
    for (const Line &line : lines) {
        const bool shown = line.inLegend();
        line.label->setVisible(shown);
        line.stats->setVisible(shown && !line.stats->text().isEmpty());
        line.swatch->setVisible(shown && line.style.color.isValid());
        showSwatchBox(line);
    }

    const auto statsWidth
        = [](const Line &line) { return line.stats->text().isEmpty() ? 0.0 : line.statsWidth; };
    return flowHeader(width, statsWidth, [](const Line &line, qreal x, int row) {
        const qreal y
            = row == 0 ? kHeaderHeight / 2.0 : kHeaderHeight + (row - 0.5) * kLegendRowHeight;
        line.swatch->setLine(x, y, x + kSwatchWidth, y);
        line.swatchBox->setRect(x, y - kBandSwatchHeight / 2.0, kSwatchWidth, kBandSwatchHeight);
        const qreal nameX = x + kSwatchWidth + kSwatchGap;
        line.label->setPos(nameX, y - line.label->boundingRect().height() / 2.0);
        line.stats->setPos(nameX + line.label->boundingRect().width() + kStatsGap,
            y - line.stats->boundingRect().height() / 2.0);
    });
}

// The richest form of the stats that keeps the legend within kMaxStatsRows rows, the numbers
// at a typical width: the long form, else the short one, else none (the names alone; hovering
// an entry still shows its stats in full). Numbers play no part: lanes side by side (same
// width, same names) choose alike, and a live legend never flips form as values tick.
void TimeChart::Private::chooseStatsForm(qreal width)
{
    const QFontMetricsF metrics(chart->legend()->font());
    const SeriesStats typical {1, 8888.0, 8888.0, 8888.0, 8888.0};
    const auto fits = [&](const QString &text) {
        const qreal stats = metrics.horizontalAdvance(text);
        const auto statsWidth = [stats](const Line &line) { return line.statValues ? stats : 0.0; };
        return flowHeader(width, statsWidth, [](const Line &, qreal, int) {}) <= kMaxStatsRows;
    };
    const LegendForm was = legendForm;
    if (fits(statsText(typical, 0)))
        naturalForm = LegendForm::Full;
    else if (fits(compactStatsText(typical, 0)))
        naturalForm = LegendForm::Compact;
    else
        naturalForm = LegendForm::Names;
    legendForm = std::max(naturalForm, formCap); // the enum runs from richest to plainest
    if (legendForm == was)
        return;
    for (Line &line : lines)
        showStatsText(line, true);
}

// `rewrap`: the entry may take less room than before (the form changed, or stats went away).
void TimeChart::Private::showStatsText(Line &line, bool rewrap)
{
    QString text;
    if (line.statValues && legendForm == LegendForm::Full)
        text = statsText(*line.statValues, line.statDecimals);
    else if (line.statValues && legendForm == LegendForm::Compact)
        text = compactStatsText(*line.statValues, line.statDecimals);
    line.stats->setText(text);
    // Digits are all one width here, so the widest text is the longest: it is kept while the
    // numbers tick, so a live legend never rewraps (and the plot never jumps) from one
    // redraw to the next.
    const qreal width = text.isEmpty() ? 0.0 : line.stats->boundingRect().width();
    line.statsWidth = rewrap ? width : std::max(line.statsWidth, width);
}

// Outside Qt Charts' own layout pass only: margins set from plotAreaChanged can be lost.
void TimeChart::Private::fitHeader(qreal width)
{
    chooseStatsForm(width);
    headerRows = placeHeader(width);
    const int rows = std::max(headerRows, minHeaderRows);
    setHeaderHeight(kHeaderHeight + (rows - 1) * kLegendRowHeight);
}

void TimeChart::Private::setHeaderHeight(int height)
{
    QMargins margins = chart->margins();
    if (margins.top() == height)
        return;
    margins.setTop(height);
    chart->setMargins(margins); // moves the plot area, which places the header again
}

QString TimeChart::Private::markerTextAt(const QPointF &chartPos) const
{
    const QRectF plot = chart->plotArea();
    if (!plot.adjusted(-kHoverPixels, 0.0, kHoverPixels, 0.0).contains(chartPos))
        return {};
    std::vector<std::pair<double, QString>> found;
    const auto near = [&](double x) {
        return x >= xMin && x <= xMax && std::abs(xToPixel(x) - chartPos.x()) <= kHoverPixels;
    };
    for (const LineMarker &m : lineMarkers) {
        if (near(m.x) && !m.text.isEmpty())
            found.emplace_back(m.x, m.text);
    }
    for (const FlagMarker &m : flagMarkers) {
        if (near(m.x) && !m.text.isEmpty())
            found.emplace_back(m.x, m.text);
    }
    for (const Region &r : regions) {
        const bool under = std::isnan(r.yFrom) || r.rect.contains(chartPos);
        if (xToPixel(r.x0) <= chartPos.x() && chartPos.x() <= xToPixel(r.x1) && under
            && !r.text.isEmpty())
            found.emplace_back(r.x0, r.text);
    }
    std::stable_sort(
        found.begin(), found.end(), [](const auto &a, const auto &b) { return a.first < b.first; });

    QStringList texts;
    for (const auto &[x, text] : found) {
        if (!texts.contains(text))
            texts.append(text);
    }
    if (texts.size() > kMaxToolTipLines) {
        const qsizetype more = texts.size() - (kMaxToolTipLines - 1);
        texts.resize(kMaxToolTipLines - 1);
        texts.append(QStringLiteral("... and ") + QString::number(more) + QStringLiteral(" more"));
    }
    return texts.join(QLatin1Char('\n'));
}

TimeChart::TimeChart(QWidget *parent)
    : QWidget(parent)
    , m_d(std::make_unique<Private>())
{
    m_d->chart = new QChart;
    m_d->chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_d->chart->setMargins(QMargins(0, kHeaderHeight, kRightMargin, kBottomMargin));
    m_d->title = new QGraphicsSimpleTextItem(m_d->chart);
    m_d->note = new QGraphicsSimpleTextItem(m_d->chart);
    m_d->note->setZValue(10.0); // over the lines and shades it explains
    m_d->note->setVisible(false);
    m_d->noteBox = new QGraphicsRectItem(m_d->chart);
    m_d->noteBox->setZValue(9.5);
    m_d->noteBox->setPen(Qt::NoPen);
    m_d->noteBox->setVisible(false);
    m_d->chart->setAnimationOptions(QChart::NoAnimation);

    m_d->yAxis = new QValueAxis;
    m_d->yAxis->setTickType(QValueAxis::TicksDynamic);
    m_d->yAxis->setTickAnchor(0.0);
    m_d->chart->addAxis(m_d->yAxis, Qt::AlignLeft);
    m_d->timeAxis = new TimeAxisItem([this] { return m_d->chart->plotArea(); }, m_d->yAxis,
                                     m_d->chart);
    m_d->regionLayer = new RegionLayer(
        [this] { return m_d->chart->plotArea(); },
        [this](std::vector<RegionLayer::Shade> &shades) {
            for (const Private::Region &r : m_d->regions) {
                if (r.shown)
                    shades.push_back({r.rect, r.brush});
            }
            return m_d->backgroundColor();
        },
        m_d->chart);

    m_d->view = new SafeChartView(m_d->chart, this);
    m_d->view->setRenderHint(QPainter::Antialiasing);
    m_d->view->setRenderHint(QPainter::TextAntialiasing);
    // Every item of a live chart moves at each step: repainting the whole view is cheaper
    // than working out the changed regions of hundreds of items (bench_ui: paint 20 -> 12 ms).
    m_d->view->setViewportUpdateMode(QGraphicsView::FullViewportUpdate);
    m_d->view->setFrameShape(QFrame::NoFrame);
    m_d->view->setRubberBand(QChartView::NoRubberBand);
    m_d->view->setMinimumSize(160, 120);
    m_d->view->toolTipFor = [this](const QPoint &pos) {
        const QPoint inWidget = m_d->view->viewport()->mapTo(this, pos);
        const QString markers = markerTextAt(inWidget);
        return markers.isEmpty() ? legendTextAt(inWidget) : markers;
    };

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_d->view);

    connect(m_d->chart, &QChart::plotAreaChanged, this, [this] {
        m_d->followPlotArea();
        m_d->placeMarkers();
        m_d->placeHeader(m_d->chart->size().width());
        m_d->placeNote();
    });
    m_d->applyTheme();
    setXRange(0.0, 60.0);
    setYRange(0.0, 1.0);
}

TimeChart::~TimeChart() = default;

namespace {

// Words wrapped onto as many lines as the width needs; a word wider than it is elided.
QString wrappedText(const QString &text, const QFontMetricsF &metrics, qreal width)
{
    QStringList lines;
    QString line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString longer = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        if (line.isEmpty() || metrics.horizontalAdvance(longer) <= width) {
            line = longer;
            continue;
        }
        lines.append(line);
        line = word;
    }
    lines.append(line);
    for (QString &l : lines)
        l = metrics.elidedText(l, Qt::ElideRight, width);
    return lines.join(QLatin1Char('\n'));
}

} // namespace

void TimeChart::Private::placeNote() const
{
    if (noteText.isEmpty())
        return;
    const QRectF plot = chart->plotArea();
    const QString shown = wrappedText(noteText, QFontMetricsF(note->font()), plot.width() - 8.0);
    if (note->text() != shown)
        note->setText(shown);
    const QRectF box = note->boundingRect();
    // Where it hides the least of the lines: near the top (often the room above the data),
    // the middle or near the bottom, whichever covers the fewest of the drawn points; the
    // middle on a tie. (Always in the middle, it sat on a spike's rising latency.)
    const qreal x = plot.center().x() - box.width() / 2.0;
    // Below the flags along the top edge (a controller's conditions), above the axis.
    const std::array<qreal, 3> tops {plot.center().y() - box.height() / 2.0, plot.top() + 12.0,
        plot.bottom() - 4.0 - box.height()};
    qreal best = tops[0];
    long fewest = -1;
    for (const qreal top : tops) {
        const QRectF area = QRectF(x, top, box.width(), box.height()).adjusted(-3.0, -2.0, 3.0, 2.0);
        long covered = 0;
        for (const Line &line : lines) {
            if (!line.drawn() || line.area)
                continue;
            for (const Segment &segment : line.curve->segments()) {
                for (const QPointF &p : segment)
                    covered += area.contains(xToPixel(p.x()), yToPixel(p.y())) ? 1 : 0;
            }
        }
        if (fewest < 0 || covered < fewest) {
            fewest = covered;
            best = top;
        }
    }
    note->setPos(x, best);
    noteBox->setRect(note->mapRectToParent(box).adjusted(-3.0, -2.0, 3.0, 2.0));
}

void TimeChart::setPlotNote(const QString &text)
{
    m_d->noteText = text;
    m_d->note->setVisible(!text.isEmpty());
    m_d->noteBox->setVisible(!text.isEmpty());
    m_d->placeNote();
}

QRectF TimeChart::plotNoteRect() const
{
    if (m_d->noteText.isEmpty())
        return {};
    const QRectF scene = m_d->chart->mapRectToScene(m_d->noteBox->rect());
    const QRect inViewport = m_d->view->mapFromScene(scene).boundingRect();
    return QRectF(m_d->view->viewport()->mapTo(this, inViewport.topLeft()), inViewport.size());
}

QString TimeChart::plotNote() const
{
    return m_d->noteText;
}

void TimeChart::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    m_d->fitHeader(event->size().width());
}

void TimeChart::setTitle(const QString &title)
{
    m_d->title->setText(title);
    m_d->fitHeader(width());
}

void TimeChart::setAxisTitles(const QString &xTitle, const QString &yTitle)
{
    m_d->xTitle = xTitle;
    m_d->applyXTitle();
    m_d->yAxis->setTitleText(yTitle);
    m_d->yAxis->setTitleVisible(!yTitle.isEmpty());
}

void TimeChart::setXLabelsVisible(bool visible)
{
    m_d->timeAxis->setLabelsVisible(visible);
    m_d->updateBottomMargin();
}

void TimeChart::setAntialiased(bool on)
{
    if (antialiased() == on)
        return;
    m_d->fast = !on;
    m_d->view->setRenderHint(QPainter::Antialiasing, on);
    for (const Private::Line &line : m_d->lines) {
        if (!line.area)
            line.curve->setPen(m_d->linePen(line.style));
        if (line.envelope)
            line.envelope->setBrush(m_d->envelopeColor(line));
    }
    m_d->view->viewport()->update();
}

bool TimeChart::antialiased() const
{
    return m_d->view->renderHints().testFlag(QPainter::Antialiasing);
}

void TimeChart::setTheme(Theme theme)
{
    m_d->theme = theme;
    m_d->applyTheme();
    m_d->applyRanges();
    m_d->fitHeader(width());
}

TimeChart::Theme TimeChart::theme() const
{
    return m_d->theme;
}

void TimeChart::addLine(const QString &name, const LineStyle &style)
{
    if (m_d->findLine(name))
        return;
    m_d->lines.push_back({name, style});
    Private::Line &line = m_d->lines.back();
    line.curve = m_d->newCurve(line);
    m_d->addLegendEntry(line);
    m_d->fitHeader(width());
}

QStringList TimeChart::legendEntries() const
{
    QStringList names;
    for (const Private::Line &line : m_d->lines) {
        if (line.inLegend())
            names.append(line.label->text());
    }
    return names;
}

void TimeChart::addBand(const QString &name, const QColor &fill, const LineStyle &swatchLine)
{
    if (m_d->findLine(name))
        return;
    Private::Line band {name, swatchLine};
    band.fill = fill;
    band.area = true;
    band.curve = m_d->newCurve(band);
    m_d->styleBand(band);
    m_d->lines.push_back(band);
    m_d->addLegendEntry(m_d->lines.back());
    m_d->fitHeader(width());
}

void TimeChart::setBand(const QString &name, const QList<QPointF> &lower, const QList<QPointF> &upper)
{
    Private::Line *band = m_d->findLine(name);
    if (!band || !band->area)
        return;
    band->curve->setEdges(lower, upper);
}

QList<QPointF> TimeChart::bandUpper(const QString &name) const
{
    const Private::Line *band = m_d->findLine(name);
    if (!band || !band->area || !band->curve->isVisible())
        return {};
    return band->curve->upper();
}

void TimeChart::setLineStyle(const QString &name, const LineStyle &style)
{
    Private::Line *line = m_d->findLine(name);
    if (!line)
        return;
    line->style = style;
    if (!line->area)
        line->curve->setPen(m_d->linePen(style));
    m_d->styleLegendEntry(*line);
    m_d->fitHeader(width());
}

void TimeChart::setBandFill(const QString &name, const QColor &fill)
{
    Private::Line *band = m_d->findLine(name);
    if (!band || !band->area)
        return;
    band->fill = fill;
    m_d->styleBand(*band);
    m_d->styleLegendEntry(*band);
}

void TimeChart::setEntryVisible(const QString &name, bool visible)
{
    Private::Line *line = m_d->findLine(name);
    if (!line || line->visible == visible)
        return;
    line->visible = visible;
    m_d->showLine(*line);
    m_d->fitHeader(width());
}

void TimeChart::setEntryHidden(const QString &name, bool hidden)
{
    Private::Line *line = m_d->findLine(name);
    if (!line || line->hidden == hidden)
        return;
    line->hidden = hidden;
    m_d->showLine(*line);
    m_d->styleLegendEntry(*line);
}

bool TimeChart::isEntryHidden(const QString &name) const
{
    const Private::Line *line = m_d->findLine(name);
    return line && line->hidden;
}

void TimeChart::setEntryStats(
    const QString &name, const std::optional<SeriesStats> &stats, int decimals)
{
    Private::Line *line = m_d->findLine(name);
    if (!line)
        return;
    const bool toggled = stats.has_value() != line->statValues.has_value();
    line->statValues = stats;
    line->statDecimals = decimals;
    const QString before = line->stats->text();
    m_d->showStatsText(*line, toggled);
    if (toggled || line->stats->text() != before)
        m_d->fitHeader(width());
}

QString TimeChart::entryStats(const QString &name) const
{
    const Private::Line *line = m_d->findLine(name);
    return line ? line->stats->text() : QString();
}

QRect TimeChart::legendEntryRect(const QString &name) const
{
    const Private::Line *line = m_d->findLine(name);
    const QRectF rect = line ? m_d->legendEntryRect(*line) : QRectF();
    if (rect.isEmpty())
        return {};
    const QRectF scene = m_d->chart->mapRectToScene(rect);
    const QRect inViewport = m_d->view->mapFromScene(scene).boundingRect();
    return QRect(m_d->view->viewport()->mapTo(this, inViewport.topLeft()), inViewport.size());
}

void TimeChart::setEntryLabel(const QString &name, const QString &label)
{
    Private::Line *line = m_d->findLine(name);
    if (!line || line->label->text() == label)
        return;
    line->label->setText(label);
    m_d->fitHeader(width());
}

TimeChart::LegendForm TimeChart::legendForm() const
{
    return m_d->legendForm;
}

TimeChart::LegendForm TimeChart::naturalLegendForm() const
{
    return m_d->naturalForm;
}

void TimeChart::setLegendFormCap(LegendForm richest)
{
    if (richest == m_d->formCap)
        return;
    m_d->formCap = richest;
    m_d->fitHeader(width());
}

int TimeChart::headerRows() const
{
    return m_d->headerRows;
}

void TimeChart::setMinHeaderRows(int rows)
{
    if (rows == m_d->minHeaderRows)
        return;
    m_d->minHeaderRows = std::max(rows, 1);
    m_d->fitHeader(width());
}

void TimeChart::setLine(const QString &name, const QList<QPointF> &points)
{
    Private::Line *line = m_d->findLine(name);
    if (!line || line->area)
        return;
    line->points = static_cast<int>(points.size());
    line->nonFinite = static_cast<int>(std::count_if(
        points.begin(), points.end(), [](const QPointF &p) { return !std::isfinite(p.y()); }));
    QList<Segment> segments = splitAtGaps(points);
    widenLonePoints(segments, 0.5);
    line->curve->setSegments(std::move(segments));
}

void TimeChart::setLineEnvelope(
    const QString &name, const QList<QPointF> &lower, const QList<QPointF> &upper)
{
    Private::Line *line = m_d->findLine(name);
    if (!line || line->area)
        return;
    if (!line->envelope) {
        if (upper.isEmpty())
            return;
        Private::Line shape = *line;
        shape.area = true;
        line->envelope = m_d->newCurve(shape);
        line->envelope->setAliasedFill(true);
        line->envelope->setBrush(m_d->envelopeColor(*line));
    }
    const bool had = line->hasEnvelope();
    if (upper.isEmpty())
        line->envelope->clear();
    else
        line->envelope->setEdges(lower, upper);
    if (had != line->hasEnvelope())
        m_d->showSwatchBox(*line);
}

std::pair<QList<QPointF>, QList<QPointF>> TimeChart::lineEnvelope(const QString &name) const
{
    const Private::Line *line = m_d->findLine(name);
    if (!line || !line->hasEnvelope() || !line->envelope->isVisible())
        return {};
    return {line->envelope->lower(), line->envelope->upper()};
}

int TimeChart::nonFiniteCount(const QString &name) const
{
    const Private::Line *line = m_d->findLine(name);
    return line ? line->nonFinite : 0;
}

QList<QList<QPointF>> TimeChart::lineSegments(const QString &name) const
{
    const Private::Line *line = m_d->findLine(name);
    if (!line || line->area || !line->curve->isVisible())
        return {};
    return line->curve->segments();
}

QString TimeChart::legendTextAt(const QPoint &pos) const
{
    const QPoint inViewport = m_d->view->viewport()->mapFrom(this, pos);
    const QPointF chartPos = m_d->chart->mapFromScene(m_d->view->mapToScene(inViewport));
    const Private::Line *line = m_d->legendEntryAt(chartPos);
    if (!line)
        return {};
    const QString name = line->label->text();
    QStringList texts;
    if (line->statValues)
        texts.append(name + QStringLiteral(" over the window shown: ")
            + statsText(*line->statValues, line->statDecimals));
    if (line->hasEnvelope()) {
        // Whole seconds from 10 s, minutes from ten minutes: "about 1,720 s", never "1.72e+03 s".
        const double perPixel
            = (m_d->xMax - m_d->xMin) / std::max(m_d->chart->plotArea().width(), 1.0);
        const QLocale english(QLocale::English);
        const QString span = perPixel >= 600.0
            ? english.toString(std::lround(perPixel / 60.0)) + QStringLiteral(" min")
            : perPixel >= 10.0 ? english.toString(std::lround(perPixel)) + QStringLiteral(" s")
                               : QString::number(perPixel, 'g', 2) + QStringLiteral(" s");
        texts.append(name + QStringLiteral(": each pixel holds about ") + span
            + QStringLiteral(", drawn as the mean, with the lowest to highest value shaded"));
    }
    if (line->nonFinite > 0)
        texts.append(name + QStringLiteral(": ") + QString::number(line->nonFinite)
            + QStringLiteral(" of ") + QString::number(line->points)
            + QStringLiteral(" points not finite (NaN or \u00b1Inf), drawn as gaps"));
    if (m_d->interactive)
        texts.append(QStringLiteral("Click to hide or show ") + name);
    return texts.join(QLatin1Char('\n'));
}

void TimeChart::clearLines()
{
    for (const Private::Line &line : m_d->lines) {
        line.curve->clear();
        if (line.envelope) {
            line.envelope->clear();
            m_d->showSwatchBox(line);
        }
    }
}

void TimeChart::setXRange(double min, double max)
{
    if (!(max > min))
        max = min + 1.0;
    m_d->xMin = min;
    m_d->xMax = max;
    TimeUnit unit = timeUnitFor(max - min, max);
    const int maxTicks = std::clamp(plotWidth() / 70, 3, 12);
    const double interval = unit.clock ? niceClockInterval(max - min, maxTicks)
                                       : niceTickInterval((max - min) / unit.seconds, maxTicks);
    if (unit.clock && std::fmod(interval, 60.0) != 0.0)
        unit.symbol += QStringLiteral(":ss");
    if (unit.seconds != m_d->xUnit.seconds || unit.symbol != m_d->xUnit.symbol) {
        m_d->xUnit = unit;
        m_d->applyXTitle();
    }
    m_d->xInterval = interval;
    m_d->xFormat = labelFormat(interval);
    m_d->applyRanges();
    m_d->placeMarkers();
}

int TimeChart::fittingYTicks() const
{
    return std::clamp(m_d->view->height() / 45, 2, 6);
}

void TimeChart::setYRange(double min, double max, int maxTicks)
{
    // A non-finite bound (a NaN or an Inf that slipped into a maximum) never reaches the axis.
    if (!std::isfinite(min))
        min = 0.0;
    if (!std::isfinite(max))
        max = min;
    // A little headroom so a peak never sits on the frame.
    double span = (max - min) * 1.05;
    if (!(span > 0.0))
        span = 1.0;
    const double interval = niceTickInterval(span, maxTicks > 0 ? maxTicks : fittingYTicks(), m_d->integerYTicks);
    m_d->yMin = min;
    m_d->yMax = min + std::ceil(span / interval - 1e-9) * interval;
    m_d->yInterval = interval;
    m_d->applyYTicks();
    m_d->applyRanges();
    m_d->placeMarkers();
}

void TimeChart::setExactYRange(double min, double max, int maxTicks)
{
    if (!std::isfinite(min))
        min = 0.0;
    if (!std::isfinite(max) || !(max > min))
        max = min + 1.0;
    const double interval = niceTickInterval(max - min, maxTicks > 0 ? maxTicks : fittingYTicks(), m_d->integerYTicks);
    m_d->yMin = min;
    m_d->yMax = max;
    m_d->yInterval = interval;
    m_d->applyYTicks();
    m_d->applyRanges();
    m_d->placeMarkers();
}

void TimeChart::setIntegerYTicks(bool on)
{
    m_d->integerYTicks = on;
}

double TimeChart::xMin() const
{
    return m_d->xMin;
}

double TimeChart::xMax() const
{
    return m_d->xMax;
}

double TimeChart::yMin() const
{
    return m_d->yMin;
}

double TimeChart::yMax() const
{
    return m_d->yMax;
}

double TimeChart::yTickInterval() const
{
    return m_d->yInterval;
}

TimeUnit TimeChart::xUnit() const
{
    return m_d->xUnit;
}

QStringList TimeChart::xTickLabels() const
{
    return m_d->timeAxis->labels();
}

QString TimeChart::xAxisTitle() const
{
    return m_d->timeAxis->title();
}

QString TimeChart::yLabelFormat() const
{
    return m_d->yAxis->labelFormat();
}

void TimeChart::clearMarkers()
{
    m_d->lineMarkers.used = 0;
    m_d->flagMarkers.used = 0;
    m_d->regions.used = 0;
    m_d->hideUnusedMarkers();
}

void TimeChart::addVerticalMarker(double x, const QColor &color, const QString &text)
{
    Private::LineMarker &m = m_d->acquireLineMarker();
    m.x = x;
    m.text = text;
    // Not cosmetic: a 2x export draws it 2 device pixels wide, as thick as on screen.
    m.item->setPen(QPen(color, 1.0, Qt::DashLine));
    m_d->placeLineMarker(m, m_d->chart->plotArea());
}

void TimeChart::addFlagMarker(double x, const QColor &color, const QString &text)
{
    Private::FlagMarker &m = m_d->acquireFlagMarker();
    m.x = x;
    m.text = text;
    m.line->setPen(QPen(color, 1.2, Qt::DotLine));
    m.flag->setBrush(color);
    m.flag->setPen(QPen(color.darker(130), 1.0));
    m_d->placeFlagMarker(m, m_d->chart->plotArea());
}

void TimeChart::addShadedRegion(double x0, double x1, const QBrush &brush, const QString &label,
    const QString &text, Qt::Alignment labelAt)
{
    Private::Region &r = m_d->acquireRegion();
    r.x0 = x0;
    r.x1 = x1;
    r.yFrom = std::numeric_limits<double>::quiet_NaN();
    r.text = text;
    r.labelAt = labelAt;
    r.brush = brush;
    QFont font = m_d->chart->legend()->font();
    font.setPointSizeF(7.5);
    r.label->setFont(font);
    r.label->setText(label);
    r.label->setBrush(textColor(m_d->theme));
    m_d->placeRegion(r, m_d->chart->plotArea());
    m_d->showRegions();
}

void TimeChart::addShadedRegionAbove(
    double x0, double x1, double yFrom, const QColor &color, const QString &text)
{
    addShadedRegion(x0, x1, color, {}, text);
    Private::Region &r = m_d->regions.items[m_d->regions.used - 1];
    r.yFrom = yFrom;
    m_d->placeRegion(r, m_d->chart->plotArea());
    m_d->showRegions();
}

void TimeChart::setDenseMarkers(bool dense)
{
    if (m_d->denseMarkers == dense)
        return;
    m_d->denseMarkers = dense;
    m_d->placeMarkers();
}

bool TimeChart::denseMarkers() const
{
    return m_d->denseMarkers;
}

int TimeChart::markerCount(MarkerKind kind) const
{
    switch (kind) {
    case MarkerKind::Line:
        return static_cast<int>(m_d->lineMarkers.used);
    case MarkerKind::Flag:
        return static_cast<int>(m_d->flagMarkers.used);
    case MarkerKind::Region:
        return static_cast<int>(m_d->regions.used);
    }
    return 0;
}

QString TimeChart::markerTextAt(const QPoint &viewPos) const
{
    const QPoint inViewport = m_d->view->viewport()->mapFrom(this, viewPos);
    const QPointF scenePos = m_d->view->mapToScene(inViewport);
    return m_d->markerTextAt(m_d->chart->mapFromScene(scenePos));
}

int TimeChart::plotWidth() const
{
    const int width = static_cast<int>(m_d->chart->plotArea().width());
    return width > 10 ? width : 800;
}

qreal TimeChart::naturalPlotLeft() const
{
    if (QGraphicsLayout *layout = m_d->chart->layout())
        layout->activate();
    return m_d->chart->plotArea().left() - m_d->chart->margins().left();
}

qreal TimeChart::naturalPlotRight() const
{
    if (QGraphicsLayout *layout = m_d->chart->layout())
        layout->activate();
    const QRectF chart = m_d->chart->rect();
    return chart.right() - m_d->chart->plotArea().right() - m_d->chart->margins().right();
}

void TimeChart::setPlotEdges(qreal left, qreal right)
{
    const auto inset = [](qreal wanted, qreal natural) {
        return std::max(0, static_cast<int>(std::lround(wanted - natural)));
    };
    QMargins margins = m_d->chart->margins();
    const int leftInset = inset(left, naturalPlotLeft());
    const int rightInset = inset(right, naturalPlotRight());
    if (margins.left() == leftInset && margins.right() == rightInset)
        return;
    // Both edges at once: one layout, not one per edge.
    margins.setLeft(leftInset);
    margins.setRight(rightInset);
    m_d->chart->setMargins(margins);
    if (QGraphicsLayout *layout = m_d->chart->layout())
        layout->activate();
}

QRectF TimeChart::plotRect() const
{
    const QRectF scene = m_d->chart->mapRectToScene(m_d->chart->plotArea());
    const QRect inViewport = m_d->view->mapFromScene(scene).boundingRect();
    return QRectF(m_d->view->viewport()->mapTo(this, inViewport.topLeft()), inViewport.size());
}

double TimeChart::timeAt(qreal widgetX) const
{
    const QPoint inViewport
        = m_d->view->viewport()->mapFrom(this, QPoint(static_cast<int>(std::lround(widgetX)), 0));
    return m_d->pixelToX(m_d->chartPosAt(inViewport).x());
}

void TimeChart::setInteractive(bool on)
{
    if (m_d->interactive == on)
        return;
    m_d->interactive = on;
    QWidget *viewport = m_d->view->viewport();
    if (on) {
        viewport->installEventFilter(this);
        m_d->view->installEventFilter(this);
        viewport->setCursor(Qt::CrossCursor);
        viewport->setMouseTracking(true); // hovering moves the crosshair
        m_d->view->setFocusPolicy(Qt::ClickFocus); // Esc reaches a drag
        if (!m_d->band) {
            m_d->band = new QGraphicsRectItem(m_d->chart);
            m_d->band->setZValue(kBandZ);
            m_d->band->setVisible(false);
        }
    } else {
        viewport->removeEventFilter(this);
        m_d->view->removeEventFilter(this);
        viewport->unsetCursor();
        m_d->endDrag();
    }
}

bool TimeChart::isInteractive() const
{
    return m_d->interactive;
}

bool TimeChart::isDragging() const
{
    return m_d->drag != Private::Drag::None;
}

void TimeChart::setCrosshair(double tS)
{
    if (!m_d->crosshair) {
        m_d->crosshair = new LineItem(m_d->chart);
        m_d->crosshair->setZValue(kCrosshairZ);
        m_d->crosshair->setAcceptHoverEvents(false);
    }
    const bool dark = m_d->theme == Theme::Dark;
    QPen pen(dark ? QColor(0xe0, 0xe0, 0xe0, 200) : QColor(0x30, 0x30, 0x30, 190), 1.0);
    pen.setCosmetic(true);
    m_d->crosshair->setPen(pen);
    m_d->crosshairS = tS;
    m_d->placeCrosshair();
}

double TimeChart::crosshair() const
{
    return m_d->crosshairS;
}

qreal TimeChart::crosshairX() const
{
    if (!m_d->crosshair || !m_d->crosshair->isVisible())
        return -1.0;
    return widgetXAt(m_d->crosshairS);
}

qreal TimeChart::widgetXAt(double tS) const
{
    const QPointF scene = m_d->chart->mapToScene(QPointF(m_d->xToPixel(tS), 0.0));
    const QPointF inViewport = m_d->view->mapFromScene(scene);
    return m_d->view->viewport()->mapTo(this, inViewport.toPoint()).x();
}

bool TimeChart::eventFilter(QObject *watched, QEvent *event)
{
    if (!m_d->interactive)
        return QWidget::eventFilter(watched, event);
    if (watched == m_d->view) {
        // Key events reach the view, not its viewport.
        // Esc cancels a drag before any window shortcut sees it.
        if (event->type() == QEvent::ShortcutOverride && isDragging()
            && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
            event->accept();
            return true;
        }
        if (event->type() == QEvent::KeyPress
            && static_cast<QKeyEvent *>(event)->key() == Qt::Key_Escape) {
            if (isDragging())
                m_d->endDrag();
            else
                Q_EMIT hoverLeft();
            return true;
        }
        return QWidget::eventFilter(watched, event);
    }
    if (watched != m_d->view->viewport())
        return QWidget::eventFilter(watched, event);

    const QRectF plot = m_d->chart->plotArea();
    const auto overPlot = [&](const QPointF &pos) {
        return pos.x() >= plot.left() && pos.x() <= plot.right() && pos.y() >= plot.top()
            && pos.y() <= plot.bottom();
    };
    switch (event->type()) {
    case QEvent::MouseButtonPress: {
        auto *mouse = static_cast<QMouseEvent *>(event);
        const QPointF pos = m_d->chartPosAt(mouse->position().toPoint());
        if (mouse->button() == Qt::RightButton && isDragging()) {
            m_d->endDrag(); // a right click cancels a drag
            return true;
        }
        if (mouse->button() == Qt::LeftButton && !isDragging()) {
            if (const Private::Line *line = m_d->legendEntryAt(pos)) {
                Q_EMIT legendEntryClicked(line->name);
                return true;
            }
        }
        if (!overPlot(pos))
            return false;
        const bool pan = mouse->button() == Qt::MiddleButton
            || (mouse->button() == Qt::LeftButton
                && (mouse->modifiers() & (Qt::ControlModifier | Qt::ShiftModifier)));
        if (pan) {
            m_d->drag = Private::Drag::Pan;
            m_d->dragLastPx = pos.x();
            m_d->view->viewport()->setCursor(Qt::ClosedHandCursor);
        } else if (mouse->button() == Qt::LeftButton) {
            m_d->drag = Private::Drag::Zoom;
            m_d->dragFromS = m_d->pixelToX(pos.x());
            m_d->dragToPx = pos.x();
            m_d->band->setPen(QPen(palette().color(QPalette::Highlight), 1.0));
            QColor fill = palette().color(QPalette::Highlight);
            fill.setAlpha(45);
            m_d->band->setBrush(fill);
            m_d->placeBand();
        } else {
            return false;
        }
        Q_EMIT hoverLeft(); // the crosshair steps aside for the drag; the next move brings it back
        m_d->view->setFocus(Qt::MouseFocusReason);
        return true;
    }
    case QEvent::MouseMove: {
        auto *mouse = static_cast<QMouseEvent *>(event);
        if (!isDragging()) {
            const QPointF pos = m_d->chartPosAt(mouse->position().toPoint());
            const bool overLegend = m_d->legendEntryAt(pos) != nullptr;
            if (overLegend != m_d->overLegend) {
                m_d->overLegend = overLegend;
                m_d->view->viewport()->setCursor(
                    overLegend ? Qt::PointingHandCursor : Qt::CrossCursor);
            }
            if (overPlot(pos))
                Q_EMIT hovered(m_d->pixelToX(pos.x()),
                    m_d->view->viewport()->mapTo(this, mouse->position().toPoint()));
            else
                Q_EMIT hoverLeft();
            return false; // tooltips still see it
        }
        const qreal x = m_d->chartPosAt(mouse->position().toPoint()).x();
        if (m_d->drag == Private::Drag::Zoom) {
            m_d->dragToPx = x;
            m_d->placeBand();
        } else if (x != m_d->dragLastPx) {
            const double fraction = (m_d->dragLastPx - x) / std::max(plot.width(), 1.0);
            m_d->dragLastPx = x;
            Q_EMIT panRequested(fraction);
        }
        return true;
    }
    case QEvent::MouseButtonRelease: {
        if (!isDragging())
            return false;
        auto *mouse = static_cast<QMouseEvent *>(event);
        const qreal x = m_d->chartPosAt(mouse->position().toPoint()).x();
        const bool zoom = m_d->drag == Private::Drag::Zoom;
        const double from = m_d->dragFromS;
        m_d->endDrag();
        if (zoom) {
            const qreal to = std::clamp(x, plot.left(), plot.right());
            if (std::abs(to - m_d->xToPixel(from)) >= kMinDragPixels) {
                const double t = m_d->pixelToX(to);
                Q_EMIT zoomRequested(std::min(from, t), std::max(from, t));
            }
        }
        return true;
    }
    case QEvent::MouseButtonDblClick: {
        auto *mouse = static_cast<QMouseEvent *>(event);
        // Two quick clicks on a legend entry toggle it twice, as two slow ones do.
        const Private::Line *entry = mouse->button() == Qt::LeftButton
            ? m_d->legendEntryAt(m_d->chartPosAt(mouse->position().toPoint()))
            : nullptr;
        if (entry) {
            Q_EMIT legendEntryClicked(entry->name);
            return true;
        }
        if (mouse->button() != Qt::LeftButton
            || !overPlot(m_d->chartPosAt(mouse->position().toPoint())))
            return false;
        m_d->endDrag();
        Q_EMIT resetRequested();
        return true;
    }
    case QEvent::Wheel: {
        auto *wheel = static_cast<QWheelEvent *>(event);
        const QPointF pos = m_d->chartPosAt(wheel->position().toPoint());
        if (!overPlot(pos))
            return false;
        const QPoint delta = wheel->angleDelta();
        const bool sideways = delta.x() != 0 || (wheel->modifiers() & Qt::ShiftModifier);
        if (sideways) {
            const int notches = delta.x() != 0 ? -delta.x() : -delta.y();
            Q_EMIT panRequested(kWheelPanPerNotch * notches / 120.0);
        } else if (delta.y() != 0) {
            const double fraction = (pos.x() - plot.left()) / std::max(plot.width(), 1.0);
            Q_EMIT wheelZoomRequested(
                std::clamp(fraction, 0.0, 1.0), std::pow(kWheelZoomPerNotch, delta.y() / 120.0));
        }
        return true;
    }
    case QEvent::Leave:
        Q_EMIT hoverLeft();
        return false;
    case QEvent::ContextMenu: {
        auto *menu = static_cast<QContextMenuEvent *>(event);
        if (isDragging())
            return true;
        Q_EMIT contextMenuRequested(menu->globalPos());
        return true;
    }
    default:
        break;
    }
    return QWidget::eventFilter(watched, event);
}

void alignPlotAreas(const QList<TimeChart *> &charts)
{
    qreal left = 0.0;
    qreal right = 0.0;
    for (TimeChart *chart : charts) {
        left = std::max(left, chart->naturalPlotLeft());
        right = std::max(right, chart->naturalPlotRight());
    }
    for (TimeChart *chart : charts)
        chart->setPlotEdges(left + 4.0, right);
}

TimeUnit timeUnitFor(double spanS, double endS)
{
    constexpr double kHour = 3600.0;
    constexpr double kDay = 86400.0;
    if (spanS > 2.0 * kDay)
        return {kDay, QStringLiteral("d")};
    if (spanS > 2.0 * kHour)
        return {kHour, QStringLiteral("h")};
    // Past a day the clock reads days first ("12d 19:40"), as the events do.
    if (endS > 2.0 * kHour)
        return {1.0, endS >= kDay ? QStringLiteral("d h:mm") : QStringLiteral("h:mm"), true};
    return {};
}

double niceClockInterval(double spanS, int maxTicks)
{
    // Steps a clock reads at a glance; a span of at most 2 h needs no more than an hour.
    static constexpr double kSteps[] = {1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600};
    for (double step : kSteps) {
        if (spanS / step <= std::max(maxTicks, 1))
            return step;
    }
    return kSteps[std::size(kSteps) - 1];
}

int tickDecimals(double interval)
{
    constexpr int kMaxDecimals = 9;
    double scaled = std::abs(interval);
    for (int decimals = 0; decimals < kMaxDecimals; ++decimals) {
        if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(scaled, 1.0))
            return decimals;
        scaled *= 10.0;
    }
    return kMaxDecimals;
}

double niceTickInterval(double span, int maxTicks, bool integers)
{
    if (!(span > 0.0) || maxTicks < 1)
        return 1.0;
    const double raw = span / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double normalized = raw / magnitude;
    double step = 10.0;
    for (double candidate : {1.0, 2.0, 2.5, 5.0}) {
        // 2.5 x 1 is not a whole number; 2.5 x 10 is.
        if (integers && candidate == 2.5 && magnitude < 10.0)
            continue;
        if (normalized <= candidate) {
            step = candidate;
            break;
        }
    }
    return integers ? std::max(1.0, step * magnitude) : step * magnitude;
}

} // namespace headroom::ui
