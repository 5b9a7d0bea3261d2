#pragma once

#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>
#include <memory>

namespace headroom::ui {

// The only place that touches Qt Charts, which is deprecated upstream in favour
// of Qt Graphs: a chart of named lines over a time axis, with vertical markers
// and shaded spans. The caller owns the data and sets every axis range.
class TimeChart : public QWidget
{
    Q_OBJECT

public:
    enum class Theme { Light, Dark };

    struct LineStyle
    {
        QColor color;
        qreal width = 2.0;
        Qt::PenStyle penStyle = Qt::SolidLine;
    };

    explicit TimeChart(QWidget *parent = nullptr);
    ~TimeChart() override;

    void setTitle(const QString &title);
    void setAxisTitles(const QString &xTitle, const QString &yTitle);
    void setTheme(Theme theme);
    Theme theme() const;

    // Declares a line; its legend entry follows the order of declaration.
    void addLine(const QString &name, const LineStyle &style);
    // Replaces a line's points in one go. A NaN y ends a segment: gaps stay gaps.
    void setLine(const QString &name, const QList<QPointF> &points);
    // Empties every line. Qt Charts recomputes each line's geometry on every range
    // change, so a redraw clears, sets the ranges, then sets the lines: one pass, not three.
    void clearLines();

    // Exact x range, ticks at a round interval.
    void setXRange(double min, double max);
    // y from `min` up to `max` rounded to a round number, so equal inputs give equal axes.
    void setYRange(double min, double max);
    double yMax() const;

    void clearMarkers();
    void addVerticalMarker(double x, const QColor &color);
    void addShadedRegion(double x0, double x1, const QColor &color, const QString &label = {});

    // Width of the plot area in pixels (decimation target); falls back before layout.
    int plotWidth() const;
    // Left edge of the plot area with no extra inset, and the inset that moves it to `left`.
    qreal naturalPlotLeft() const;
    void setPlotLeft(qreal left);

private:
    class Private;
    std::unique_ptr<Private> m_d;
};

// Aligns the plot areas of charts stacked or set side by side, so a time
// reads at the same x in each; call after ranges change.
void alignPlotAreas(const QList<TimeChart *> &charts);

// A round tick interval giving at most about `maxTicks` intervals over `span`.
double niceTickInterval(double span, int maxTicks);

} // namespace headroom::ui
