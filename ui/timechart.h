#pragma once

#include "seriesstats.h"

#include <QBrush>
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <QWidget>
#include <memory>
#include <optional>
#include <utility>

namespace headroom::ui {

// The unit a time axis reads in: by the span shown, seconds, hours beyond 2 h, days beyond
// 2 days. A span of 2 h or less that ends past 2 h (a window late in a long run) reads in
// clock time instead, h:mm (h:mm:ss when ticks are under a minute apart; d h:mm past a day)
// as the events and the hover readout do: its seconds would be 5-digit counts, its hours no
// round times.
struct TimeUnit
{
    double seconds = 1.0;
    QString symbol = QStringLiteral("s");
    bool clock = false; // ticks in seconds, labelled as clock times; `symbol` says h:mm, d h:mm, and :ss
};

TimeUnit timeUnitFor(double spanS, double endS);

// The only place that touches Qt Charts, which is deprecated upstream in favour
// of Qt Graphs: a chart of named lines over a time axis, with markers on the
// time axis and shaded spans. The caller owns the data and sets every axis range.
// Qt Charts gives the axes, grid and layout; the lines and bands are items of our own
// on its plot area (Qt Charts' series cost most of a live frame).
class TimeChart : public QWidget
{
    Q_OBJECT

public:
    enum class Theme { Light, Dark };
    // Line: a thin vertical line. Flag: a small triangle on the top edge over a
    // dotted line. Region: a shaded span.
    enum class MarkerKind { Line, Flag, Region };
    // How much of their stats the legend's entries show: the long form, the short one, or
    // none (the names alone), whichever is the richest to keep the title and legend within two
    // rows; chosen by width and names, not by the numbers, so every lane reads alike.
    enum class LegendForm { Full, Compact, Names };

    struct LineStyle
    {
        QColor color;
        qreal width = 2.0;
        Qt::PenStyle penStyle = Qt::SolidLine;
        bool inLegend = true; // false: a line another entry names (e.g. a band's middle)
    };

    explicit TimeChart(QWidget *parent = nullptr);
    ~TimeChart() override;

    void setTitle(const QString &title);
    // `xTitle` names the quantity ("time"); the chart adds the unit it reads in: "time (h)".
    void setAxisTitles(const QString &xTitle, const QString &yTitle);
    void setTheme(Theme theme);
    // Antialiased lines of their own widths (the default), or aliased lines one pixel wide,
    // 40 % cheaper to paint: for a run redrawn as fast as it goes.
    void setAntialiased(bool on);
    // The time axis's tick labels; off for a chart stacked over another on the same time axis
    // (its grid still marks the ticks): less to lay out at every step of a live run.
    void setXLabelsVisible(bool visible);
    bool antialiased() const;
    Theme theme() const;

    // Declares a line; its legend entry follows the order of declaration.
    void addLine(const QString &name, const LineStyle &style);
    // Replaces a line's points in one go. A NaN y ends a segment: gaps stay gaps.
    // So do +-Inf: a non-finite y is never drawn (not at 0, not at the frame), and the
    // number of them shows when hovering the line's legend entry (see legendTextAt).
    void setLine(const QString &name, const QList<QPointF> &points);
    // A faint band of the line's colour behind it, from `lower` to `upper` (sharing their x
    // values; a NaN breaks it): the range of values a dense line's points average (see
    // windowEnvelope). Hidden with the line; its legend swatch gains a box of the same colour
    // while it is drawn, and hovering the entry says what it shows. Empty lists remove it.
    void setLineEnvelope(const QString &name, const QList<QPointF> &lower, const QList<QPointF> &upper);
    // The envelope as drawn (lower, upper); empty when none, or while the line is hidden.
    std::pair<QList<QPointF>, QList<QPointF>> lineEnvelope(const QString &name) const;
    // Points of the last setLine whose y was NaN or +-Inf (drawn as gaps); 0 for an unknown line.
    int nonFiniteCount(const QString &name) const;
    // The line as drawn: its segments, x in seconds (lone points widened to a short dash);
    // none while it is hidden (setEntryVisible, setEntryHidden).
    QList<QList<QPointF>> lineSegments(const QString &name) const;
    // What hovering the legend entry (swatch or text) at `pos` (this widget's coordinates)
    // shows: its stats in full when it has some ("p95 over the window shown: last 266, ..."),
    // for a line with non-finite points "p95: 3 of 6 points not finite (NaN or +-Inf), drawn
    // as gaps", and on an interactive chart how to hide it; empty elsewhere or when there is
    // nothing to say.
    QString legendTextAt(const QPoint &pos) const;
    // Declares a shaded band between two curves, drawn under every line. Its legend swatch
    // is a box of `fill`, crossed by `swatchLine` when that has a colour (the band's middle
    // line, declared with inLegend false).
    void addBand(const QString &name, const QColor &fill, const LineStyle &swatchLine);
    // Replaces a band's edges; `lower` and `upper` share their x values.
    void setBand(const QString &name, const QList<QPointF> &lower, const QList<QPointF> &upper);
    // A band's upper edge as drawn, x in seconds; empty for a hidden or unknown band.
    QList<QPointF> bandUpper(const QString &name) const;
    // Restyles a declared line (a band: the line crossing its swatch), e.g. for a theme.
    void setLineStyle(const QString &name, const LineStyle &style);
    void setBandFill(const QString &name, const QColor &fill);
    // Hides a line or band and its legend entry, or shows them again.
    void setEntryVisible(const QString &name, bool visible);
    // The legend's text for an entry (default: its name).
    void setEntryLabel(const QString &name, const QString &label);
    // Hides a line or band because the user asked to (a click on its legend entry): unlike
    // setEntryVisible, the legend entry stays, greyed out, to be clicked again. New points
    // (setLine, setBand) keep it hidden.
    void setEntryHidden(const QString &name, bool hidden);
    bool isEntryHidden(const QString &name) const;
    // A line's stats over the window shown, after its name in the legend in a muted colour:
    // "last 31 · min 1 · max 39 · p95 37", or "31 (1–39, p95 37)" when a chart is too narrow
    // for its legend to fit two rows with them, or not at all when it is too narrow for that
    // either (see LegendForm). Hovering the entry shows them in full. Null: none.
    void setEntryStats(
        const QString &name, const std::optional<SeriesStats> &stats, int decimals = 0);
    // The stats text the legend shows for an entry; empty when none.
    QString entryStats(const QString &name) const;
    // Where an entry's legend entry (swatch, name and stats) is, in this widget's coordinates;
    // empty when it is not in the legend.
    QRect legendEntryRect(const QString &name) const;
    // Empties every line and band.
    void clearLines();
    // The legend's texts, in order: visible lines and bands only.
    QStringList legendEntries() const;
    LegendForm legendForm() const;
    // The form this chart's own width and entries allow, whatever the cap below.
    LegendForm naturalLegendForm() const;
    // Shows at most this much of the stats: charts side by side take the plainest form any
    // of them needs, so that one lane's longer legend does not leave it alone without stats.
    void setLegendFormCap(LegendForm richest);
    // Rows the title and legend take above the plot: entries that do not fit wrap.
    int headerRows() const;
    // Reserves at least this many header rows, so charts side by side keep equal plots
    // when one of them has more legend entries.
    void setMinHeaderRows(int rows);

    // Exact x range in seconds, ticks at a round interval of the unit timeUnitFor() picks
    // for the range. Set it before the lines: they are drawn in that unit.
    void setXRange(double min, double max);
    // y from `min` up to `max` rounded to a round number, so equal inputs give equal axes:
    // at most `maxTicks` intervals (0: as many as the chart's height fits).
    void setYRange(double min, double max, int maxTicks = 0);
    // y exactly from `min` to `max` (a range the user fixed), ticks at a round interval.
    void setExactYRange(double min, double max, int maxTicks = 0);
    // The y intervals the chart's height fits; charts that must read alike take the least.
    int fittingYTicks() const;
    // Whole-number y ticks (1, 2, 5, 10, ...), for counts such as pods.
    void setIntegerYTicks(bool on);
    double xMin() const;
    double xMax() const;
    double yMin() const;
    double yMax() const;
    double yTickInterval() const;
    TimeUnit xUnit() const;
    QString xAxisTitle() const;
    // The time axis's tick labels as drawn, left to right; empty while they are hidden.
    QStringList xTickLabels() const;
    QString yLabelFormat() const;

    // Markers stay until cleared; `text` is what hovering shows.
    void clearMarkers();
    void addVerticalMarker(double x, const QColor &color, const QString &text = {});
    void addFlagMarker(double x, const QColor &color, const QString &text = {});
    // `labelAt` puts the label in the top or the bottom left corner of the span.
    // `brush`: a colour, or a pattern (e.g. hatching for a span with no data).
    void addShadedRegion(double x0, double x1, const QBrush &brush, const QString &label = {},
        const QString &text = {}, Qt::Alignment labelAt = Qt::AlignTop);
    // A shaded span from the value `yFrom` up to the top of the plot, e.g. the seconds a line
    // spent over a threshold; it follows the y range. Hovering over it shows `text`.
    void addShadedRegionAbove(
        double x0, double x1, double yFrom, const QColor &color, const QString &text = {});
    int markerCount(MarkerKind kind) const;
    // A line or two of muted text on the plot, saying why it is empty or what it leaves out
    // (nothing completed, say): in the middle, or near the top or bottom when that hides fewer
    // of the lines' points. An empty text removes it.
    void setPlotNote(const QString &text);
    // Where the note's box is, in this widget's coordinates as plotRect() (empty without one).
    QRectF plotNoteRect() const;
    QString plotNote() const;
    // Dense: vertical markers shrink to ticks along the top edge and flags lose their
    // dotted lines, so hundreds of markers leave the lines readable. Hovering still works.
    void setDenseMarkers(bool dense);
    bool denseMarkers() const;
    // The texts of the markers within a few pixels of `viewPos` (chart widget coordinates)
    // and of the regions under it, one per line; empty outside the plot area.
    QString markerTextAt(const QPoint &viewPos) const;

    // Width of the plot area in pixels (decimation target); falls back before layout.
    int plotWidth() const;
    // Left edge of the plot area with no extra inset; on the right, the space from the plot
    // area's right edge to the chart's, also without it (a last tick label may need some).
    qreal naturalPlotLeft() const;
    qreal naturalPlotRight() const;
    // The insets that move the plot area's left edge to `left` and leave `right` on the right.
    void setPlotEdges(qreal left, qreal right);
    // The plot area in this widget's coordinates.
    QRectF plotRect() const;
    // The time (seconds) at x of this widget's coordinates, by the range drawn now.
    double timeAt(qreal widgetX) const;

    // Mouse gestures on the plot, reported as signals (the chart never changes its own range):
    // drag across the plot zooms the time axis, the wheel zooms around the cursor, a drag with
    // Ctrl or Shift or with the middle button pans, a double-click resets, Esc cancels a drag;
    // a click on a legend entry reports legendEntryClicked. Off by default (exports).
    void setInteractive(bool on);
    bool isInteractive() const;
    // True while a drag (zoom or pan) is under way.
    bool isDragging() const;

    // A vertical crosshair line across the plot at `tS` seconds, kept there as the range
    // moves; NaN (or a time outside the range) hides it.
    void setCrosshair(double tS);
    // The crosshair's time, NaN when none is set.
    double crosshair() const;
    // Where the crosshair is drawn, x in this widget's coordinates; -1 when it is hidden.
    qreal crosshairX() const;
    // x in this widget's coordinates of the time `tS`, by the range drawn now.
    qreal widgetXAt(double tS) const;

Q_SIGNALS:
    // A drag across the plot chose [t0, t1] (seconds, ordered).
    void zoomRequested(double t0, double t1);
    // The wheel turned over the plot at `fraction` of its width (0 left, 1 right): zoom by
    // `factor` (below 1 zooms in) keeping the time there.
    void wheelZoomRequested(double fraction, double factor);
    // A pan drag (or a sideways wheel) moved by `fraction` of the plot's width: positive
    // shows later times.
    void panRequested(double fraction);
    void resetRequested();
    void contextMenuRequested(const QPoint &globalPos);
    // The mouse moved over the plot (no button down) to `tS`, at `widgetPos` in this widget.
    void hovered(double tS, const QPoint &widgetPos);
    // The mouse left the plot (or the chart), a drag began, or Esc was pressed on it.
    void hoverLeft();
    // A click on the legend entry of `name`; the chart hides nothing itself (see
    // setEntryHidden), so the caller can hide the same line in every chart that shows it.
    void legendEntryClicked(const QString &name);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    class Private;
    std::unique_ptr<Private> m_d;
};

// Aligns the plot areas of charts stacked or set side by side, so a time
// reads at the same x in each; call after ranges change.
void alignPlotAreas(const QList<TimeChart *> &charts);

// A round tick interval giving at most about `maxTicks` intervals over `span`;
// with `integers`, a whole number from 1, 2, 5, 10, 20, 25, 50, ...
double niceTickInterval(double span, int maxTicks, bool integers = false);

// A tick interval of clock time, in seconds (1, 2, 5, 10, 15, 30 s, 1, 2, 5, 10, 15, 30 min,
// 1 h), giving at most about `maxTicks` intervals over `spanS`.
double niceClockInterval(double spanS, int maxTicks);

// The fewest decimals that show every multiple of `interval` exactly: 2.5 -> 1, 0.25 -> 2.
int tickDecimals(double interval);

} // namespace headroom::ui
