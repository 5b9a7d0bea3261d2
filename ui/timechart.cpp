#include "timechart.h"

#include <QChart>
#include <QChartView>
#include <QGraphicsLayout>
#include <QGraphicsLineItem>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>
#include <vector>

namespace headroom::ui {

namespace {

// Beyond this many gaps in one line, the shortest gaps are bridged: every
// segment is a series, and hundreds of series slow Qt Charts down.
constexpr int kMaxSegments = 128;
// Markers and shaded spans sit between the plot background and the lines
// (Qt Charts draws its grid at z 2 and series at z 4).
constexpr qreal kRegionZ = 1.5;
constexpr qreal kMarkerZ = 3.5;
constexpr int kHeaderHeight = 24; // the title and the legend share one row above the plot
constexpr int kRightMargin = 14;
constexpr int kBottomMargin = 2;

// QChartView in 6.4.2 dereferences the item under a click without a null
// check (QTBUG-118669); clicks on empty scene space never reach it here.
class SafeChartView : public QChartView
{
public:
    using QChartView::QChartView;

protected:
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

// Joins segments across their shortest gaps until at most `limit` remain.
QList<Segment> bridgeShortGaps(const QList<Segment> &segments, int limit)
{
    if (segments.size() <= limit)
        return segments;
    std::vector<double> gaps;
    for (qsizetype i = 1; i < segments.size(); ++i)
        gaps.push_back(segments[i].first().x() - segments[i - 1].last().x());
    std::vector<double> sorted = gaps;
    std::nth_element(sorted.begin(), sorted.end() - (limit - 1), sorted.end());
    const double keepFrom = *(sorted.end() - (limit - 1));

    QList<Segment> merged {segments.first()};
    for (qsizetype i = 1; i < segments.size(); ++i) {
        if (gaps[i - 1] < keepFrom || merged.size() >= limit)
            merged.last().append(segments[i]);
        else
            merged.append(segments[i]);
    }
    return merged;
}

// A lone point between gaps draws nothing as a line: widen it to a short dash.
void widenLonePoints(QList<Segment> &segments)
{
    for (Segment &s : segments) {
        if (s.size() == 1)
            s = {QPointF(s[0].x() - 0.5, s[0].y()), QPointF(s[0].x() + 0.5, s[0].y())};
    }
}

QString labelFormat(double interval)
{
    if (interval >= 1.0)
        return QStringLiteral("%.0f");
    return interval >= 0.1 ? QStringLiteral("%.1f") : QStringLiteral("%g");
}

} // namespace

class TimeChart::Private
{
public:
    struct Line
    {
        QString name;
        LineStyle style;
        QList<QLineSeries *> segments;
    };
    struct Marker
    {
        double x;
        QGraphicsLineItem *item;
    };
    struct Region
    {
        double x0;
        double x1;
        QGraphicsRectItem *item;
        QGraphicsSimpleTextItem *label;
    };

    Line *findLine(const QString &name);
    QLineSeries *newSegment(const Line &line, bool inLegend);
    void styleSeries(QLineSeries *series, const LineStyle &style) const;
    void applyTheme();
    void applyRanges();
    void placeMarkers();
    void placeHeader();
    qreal xToPixel(double x) const;

    QChart *chart = nullptr;
    SafeChartView *view = nullptr;
    QValueAxis *xAxis = nullptr;
    QValueAxis *yAxis = nullptr;
    QGraphicsSimpleTextItem *title = nullptr;
    std::vector<Line> lines;
    std::vector<Marker> markers;
    std::vector<Region> regions;
    Theme theme = Theme::Light;
    double xMin = 0.0;
    double xMax = 60.0;
    double yMin = 0.0;
    double yMax = 1.0;
};

TimeChart::Private::Line *TimeChart::Private::findLine(const QString &name)
{
    for (Line &line : lines) {
        if (line.name == name)
            return &line;
    }
    return nullptr;
}

QLineSeries *TimeChart::Private::newSegment(const Line &line, bool inLegend)
{
    auto *series = new QLineSeries;
    series->setName(line.name);
    chart->addSeries(series);
    series->attachAxis(xAxis);
    series->attachAxis(yAxis);
    styleSeries(series, line.style);
    const QList<QLegendMarker *> legendMarkers = chart->legend()->markers(series);
    for (QLegendMarker *marker : legendMarkers)
        marker->setVisible(inLegend);
    // Attaching a series re-ranges the axes to its data; ours are set by hand.
    applyRanges();
    return series;
}

void TimeChart::Private::styleSeries(QLineSeries *series, const LineStyle &style) const
{
    QPen pen(style.color, style.width, style.penStyle, Qt::FlatCap, Qt::RoundJoin);
    series->setPen(pen);
}

void TimeChart::Private::applyTheme()
{
    const bool dark = theme == Theme::Dark;
    chart->setTheme(dark ? QChart::ChartThemeDark : QChart::ChartThemeLight);
    chart->setBackgroundRoundness(0);

    QFont titleFont = chart->titleFont();
    titleFont.setPointSizeF(10.0);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setBrush(chart->titleBrush());
    chart->legend()->setBackgroundVisible(false);
    QFont small = titleFont;
    small.setBold(false);
    small.setPointSizeF(8.0);
    chart->legend()->setFont(small);
    for (QValueAxis *axis : {xAxis, yAxis}) {
        axis->setLabelsFont(small);
        axis->setTitleFont(small);
    }
    // The theme resets pens; ours carry meaning (dashed = reference line).
    for (const Line &line : lines) {
        for (QLineSeries *series : line.segments)
            styleSeries(series, line.style);
    }
    const QColor text = dark ? QColor(0xe0, 0xe0, 0xe0) : QColor(0x30, 0x30, 0x30);
    for (const Region &region : regions)
        region.label->setBrush(text);
}

void TimeChart::Private::applyRanges()
{
    xAxis->setRange(xMin, xMax);
    yAxis->setRange(yMin, yMax);
}

qreal TimeChart::Private::xToPixel(double x) const
{
    const QRectF plot = chart->plotArea();
    const double span = std::max(xMax - xMin, 1e-9);
    return plot.left() + (x - xMin) / span * plot.width();
}

void TimeChart::Private::placeMarkers()
{
    const QRectF plot = chart->plotArea();
    for (const Marker &m : markers) {
        const bool inside = m.x >= xMin && m.x <= xMax;
        m.item->setVisible(inside);
        const qreal px = xToPixel(m.x);
        m.item->setLine(px, plot.top(), px, plot.bottom());
    }
    for (const Region &r : regions) {
        const qreal left = std::max(xToPixel(r.x0), plot.left());
        const qreal right = std::min(xToPixel(r.x1), plot.right());
        const bool inside = right > left;
        r.item->setVisible(inside);
        r.label->setVisible(inside);
        r.item->setRect(QRectF(left, plot.top(), right - left, plot.height()));
        r.label->setPos(left + 3, plot.top() + 2);
    }
}

void TimeChart::Private::placeHeader()
{
    const QRectF plot = chart->plotArea();
    const QRectF titleRect = title->boundingRect();
    title->setPos(plot.left(), (kHeaderHeight - titleRect.height()) / 2.0);

    // A detached legend lays its markers out left to right from its own left edge.
    const qreal left = plot.left() + titleRect.width() + 12.0;
    chart->legend()->setGeometry(
        QRectF(left, 0.0, std::max(plot.right() - left, 1.0), kHeaderHeight));
    chart->legend()->update();
}

TimeChart::TimeChart(QWidget *parent)
    : QWidget(parent)
    , m_d(std::make_unique<Private>())
{
    m_d->chart = new QChart;
    m_d->chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_d->chart->setMargins(QMargins(0, kHeaderHeight, kRightMargin, kBottomMargin));
    m_d->chart->legend()->detachFromChart();
    m_d->chart->legend()->setMarkerShape(QLegend::MarkerShapeFromSeries);
    m_d->chart->legend()->setAlignment(Qt::AlignTop);
    m_d->title = new QGraphicsSimpleTextItem(m_d->chart);
    m_d->chart->setAnimationOptions(QChart::NoAnimation);

    m_d->xAxis = new QValueAxis;
    m_d->yAxis = new QValueAxis;
    for (QValueAxis *axis : {m_d->xAxis, m_d->yAxis}) {
        axis->setTickType(QValueAxis::TicksDynamic);
        axis->setTickAnchor(0.0);
    }
    m_d->chart->addAxis(m_d->xAxis, Qt::AlignBottom);
    m_d->chart->addAxis(m_d->yAxis, Qt::AlignLeft);

    m_d->view = new SafeChartView(m_d->chart, this);
    m_d->view->setRenderHint(QPainter::Antialiasing);
    m_d->view->setFrameShape(QFrame::NoFrame);
    m_d->view->setRubberBand(QChartView::NoRubberBand);
    m_d->view->setMinimumSize(160, 120);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_d->view);

    connect(m_d->chart, &QChart::plotAreaChanged, this, [this] {
        m_d->placeMarkers();
        m_d->placeHeader();
    });
    m_d->applyTheme();
    setXRange(0.0, 60.0);
    setYRange(0.0, 1.0);
}

TimeChart::~TimeChart() = default;

void TimeChart::setTitle(const QString &title)
{
    m_d->title->setText(title);
    m_d->placeHeader();
}

void TimeChart::setAxisTitles(const QString &xTitle, const QString &yTitle)
{
    m_d->xAxis->setTitleText(xTitle);
    m_d->xAxis->setTitleVisible(!xTitle.isEmpty());
    m_d->yAxis->setTitleText(yTitle);
    m_d->yAxis->setTitleVisible(!yTitle.isEmpty());
}

void TimeChart::setTheme(Theme theme)
{
    m_d->theme = theme;
    m_d->applyTheme();
    m_d->applyRanges();
    m_d->placeHeader();
}

TimeChart::Theme TimeChart::theme() const
{
    return m_d->theme;
}

void TimeChart::addLine(const QString &name, const LineStyle &style)
{
    if (m_d->findLine(name))
        return;
    m_d->lines.push_back({name, style, {}});
    Private::Line &line = m_d->lines.back();
    line.segments.append(m_d->newSegment(line, true));
    m_d->placeHeader();
}

// TODO: Qt Charts strokes every line's outline for hit testing on each replace(), about
// 1 us a point: 2 lanes of dense data cost ~15 ms a redraw here, above the 20 ms p99 budget
// once 4 lanes are shown. Fewer points per pixel or a QGraphicsPathItem line would fix it.
void TimeChart::setLine(const QString &name, const QList<QPointF> &points)
{
    Private::Line *line = m_d->findLine(name);
    if (!line)
        return;
    QList<Segment> segments = bridgeShortGaps(splitAtGaps(points), kMaxSegments);
    widenLonePoints(segments);

    while (line->segments.size() < segments.size())
        line->segments.append(m_d->newSegment(*line, false));
    for (qsizetype i = 0; i < line->segments.size(); ++i)
        line->segments[i]->replace(i < segments.size() ? segments[i] : Segment());
}

void TimeChart::clearLines()
{
    for (const Private::Line &line : m_d->lines) {
        for (QLineSeries *series : line.segments) {
            if (series->count() > 0)
                series->clear();
        }
    }
}

void TimeChart::setXRange(double min, double max)
{
    if (!(max > min))
        max = min + 1.0;
    m_d->xMin = min;
    m_d->xMax = max;
    const int maxTicks = std::clamp(plotWidth() / 70, 3, 12);
    const double interval = niceTickInterval(max - min, maxTicks);
    m_d->xAxis->setTickInterval(interval);
    m_d->xAxis->setLabelFormat(labelFormat(interval));
    m_d->applyRanges();
    m_d->placeMarkers();
}

void TimeChart::setYRange(double min, double max)
{
    // A little headroom so a peak never sits on the frame.
    double span = (max - min) * 1.05;
    if (!(span > 0.0))
        span = 1.0;
    const int maxTicks = std::clamp(m_d->view->height() / 45, 2, 6);
    const double interval = niceTickInterval(span, maxTicks);
    m_d->yMin = min;
    m_d->yMax = min + std::ceil(span / interval - 1e-9) * interval;
    m_d->yAxis->setTickInterval(interval);
    m_d->yAxis->setLabelFormat(labelFormat(interval));
    m_d->applyRanges();
    m_d->placeMarkers();
}

double TimeChart::yMax() const
{
    return m_d->yMax;
}

void TimeChart::clearMarkers()
{
    for (const Private::Marker &m : m_d->markers)
        delete m.item;
    for (const Private::Region &r : m_d->regions) {
        delete r.item;
        delete r.label;
    }
    m_d->markers.clear();
    m_d->regions.clear();
}

void TimeChart::addVerticalMarker(double x, const QColor &color)
{
    auto *item = new QGraphicsLineItem(m_d->chart);
    QPen pen(color, 1.0, Qt::DashLine);
    pen.setCosmetic(true);
    item->setPen(pen);
    item->setZValue(kMarkerZ);
    m_d->markers.push_back({x, item});
    m_d->placeMarkers();
}

void TimeChart::addShadedRegion(double x0, double x1, const QColor &color, const QString &label)
{
    auto *item = new QGraphicsRectItem(m_d->chart);
    item->setBrush(color);
    item->setPen(Qt::NoPen);
    item->setZValue(kRegionZ);
    auto *text = new QGraphicsSimpleTextItem(label, m_d->chart);
    QFont font = m_d->chart->legend()->font();
    font.setPointSizeF(7.5);
    text->setFont(font);
    text->setBrush(m_d->theme == Theme::Dark ? QColor(0xe0, 0xe0, 0xe0) : QColor(0x30, 0x30, 0x30));
    text->setZValue(kMarkerZ);
    m_d->regions.push_back({x0, x1, item, text});
    m_d->placeMarkers();
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

void TimeChart::setPlotLeft(qreal left)
{
    const int inset = std::max(0, static_cast<int>(std::lround(left - naturalPlotLeft())));
    QMargins margins = m_d->chart->margins();
    if (margins.left() == inset)
        return;
    margins.setLeft(inset);
    m_d->chart->setMargins(margins);
    if (QGraphicsLayout *layout = m_d->chart->layout())
        layout->activate();
}

void alignPlotAreas(const QList<TimeChart *> &charts)
{
    qreal left = 0.0;
    for (TimeChart *chart : charts)
        left = std::max(left, chart->naturalPlotLeft());
    for (TimeChart *chart : charts)
        chart->setPlotLeft(left + 4.0);
}

double niceTickInterval(double span, int maxTicks)
{
    if (!(span > 0.0) || maxTicks < 1)
        return 1.0;
    const double raw = span / maxTicks;
    const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
    const double normalized = raw / magnitude;
    double step = 10.0;
    for (double candidate : {1.0, 2.0, 2.5, 5.0}) {
        if (normalized <= candidate) {
            step = candidate;
            break;
        }
    }
    return step * magnitude;
}

} // namespace headroom::ui
