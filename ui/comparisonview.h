#pragma once

#include "comparisonexport.h"
#include "lanecolumn.h"
#include "metrics/lanecomparison.h"
#include "timechart.h"

#include <QSize>
#include <QWidget>
#include <optional>
#include <string>
#include <vector>

class QAction;
class QHBoxLayout;
class QLabel;
class QShortcut;
class QTableView;

namespace headroom::ui {

class LinkedTimeAxis;
class SummaryModel;

// Lane columns side by side over the summary table: the body of the
// dashboard and of every exported picture.
class ComparisonView : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonView(QWidget *parent = nullptr);

    // Shown above the columns, cut in the middle when wider than the view (whole in its
    // tooltip); an empty title hides the line.
    void setTitle(const QString &title);
    QString title() const;
    // The title as it reads at the view's width.
    QString titleShown() const;
    // A few lines in the middle of the empty columns' area, saying why nothing shows (a live
    // cluster that did not answer); wrapped, selectable. Empty: none.
    void setEmptyNote(const QString &text);
    QString emptyNote() const;
    void setTheme(TimeChart::Theme theme);
    // Aliased thin-lined charts while a run is redrawn as fast as it goes (MainWindow: at Max);
    // antialiased again once it holds still. New lanes' charts follow.
    void setFastRendering(bool fast);
    bool fastRendering() const { return m_fastRendering; }
    // A widget shown right of the summary table (the live events list), which then takes
    // only the width its columns need; exports have none.
    void setTableCompanion(QWidget *companion);
    void setTableCompanionVisible(bool visible);
    // Rebuilds the columns when the lanes change, then draws every lane over [x0, x1]. Charts
    // with nothing new to show over [x0, x1] (a held range, data arriving after it) are left
    // as they are; headings and the table always follow.
    void showData(const ComparisonData &data, double x0, double x1);

    // Every chart of every lane becomes a control of `axis`: a drag zooms it, the wheel zooms
    // around the cursor, a modified or middle drag pans it, a double-click resets it. The
    // caller draws the range it holds. Null (exports, the default): no gestures.
    void setTimeAxis(LinkedTimeAxis *axis);
    // Shown at the end of every chart's context menu (reset zoom, live, lock y).
    void setChartMenuActions(const QList<QAction *> &actions);
    // Locked (the default): each kind of chart has the same y range in every lane.
    void setLockY(bool locked);
    bool lockY() const { return m_lockY; }
    // A y range the user fixed for one kind of chart, in every lane, until cleared.
    void setFixedYRange(ChartKind kind, double min, double max);
    void clearFixedYRange(ChartKind kind);
    std::optional<FixedYRange> fixedYRange(ChartKind kind) const;
    // Hides a series (by its legend name) in the chart of `kind` of every lane, or shows it
    // again; lanes are compared side by side, so they show the same series. Clicking a legend
    // entry toggles it. It holds across redraws and for lanes added later; the y axes leave
    // hidden series out from the next redraw (yRangesChanged asks for it).
    void setSeriesHidden(ChartKind kind, const QString &name, bool hidden);
    bool seriesHidden(ChartKind kind, const QString &name) const;
    const HiddenSeries &hiddenSeries() const { return m_hidden; }
    // How many showData() calls redrew the charts (not only headings and table).
    int chartRedraws() const { return m_chartRedraws; }
    QList<TimeChart *> allCharts() const;

    // The crosshair: a vertical line at `tS` in every chart of every lane, and a floating
    // readout of `kind`'s series in every lane at that time, next to `anchorX` (x in `anchor`,
    // a chart of that kind; default the first lane's, at the crosshair). Hovering a chart
    // shows it; leaving the plot or Esc hides it. It reads the data of the latest showData(),
    // which must still be alive (the dashboard's history is).
    void showCrosshair(ChartKind kind, double tS, TimeChart *anchor = nullptr, int anchorX = -1);
    void hideCrosshair();
    bool crosshairVisible() const { return m_crosshair.has_value(); }
    double crosshairTime() const;
    CrosshairReadout crosshairReadout() const;
    QLabel *readoutPanel() const { return m_readout; }

    SummaryModel *summaryModel() const { return m_model; }
    // The summary table: select cells and Ctrl+C copies them (tab-separated, with the
    // headers); its context menu also copies the whole table as Markdown.
    QTableView *summaryTable() const { return m_table; }
    // The table's notes (a capped reference), under it; hidden when there are none.
    QLabel *summaryNotes() const { return m_notes; }
    void copySummarySelection() const;
    void copySummaryMarkdown() const;
    QString keyText() const;
    const std::vector<LaneColumn *> &columns() const { return m_columns; }

    static QPalette lightPalette();

Q_SIGNALS:
    // Lock y, a fixed range or the hidden series changed: the owner redraws.
    void yRangesChanged();

private:
    // What the charts were last drawn from, to tell when a redraw would change nothing.
    struct Drawn
    {
        bool valid = false;
        double x0 = 0.0;
        double x1 = 0.0;
        std::vector<ChartScales> scales;
        QSize chartSize;
        TimeChart::Theme theme = TimeChart::Theme::Light;
        RunState state = RunState::Ready;
        std::size_t spikes = 0;
        double dataEnd = 0.0; // the earliest lane's latest sample
    };

    Drawn drawnFor(const ComparisonData &data, double x0, double x1) const;
    bool chartsCurrent(const Drawn &next) const;
    void connectCharts(LaneColumn *column);
    void applyHiddenSeries();
    void showChartMenu(ChartKind kind, TimeChart *chart, const QPoint &globalPos);
    void askFixedYRange(ChartKind kind, TimeChart *chart);

    void setupTitle();
    void setupKey();
    void setupTable();
    void updateSummary(const ComparisonData &data);
    void updateKey();
    void rebuildColumns(const ComparisonData &data);
    void fitTableHeight();
    void fitNotesHeight();
    void fitTableWidth();
    void elideTitle();
    void alignHeaders();
    std::vector<int> contentWidths() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    struct Crosshair
    {
        ChartKind kind = ChartKind::Rate;
        double tS = 0.0;
        TimeChart *anchor = nullptr;
        int anchorX = 0;   // in the anchor's coordinates
        bool hover = false; // follows the mouse: the time is the one under it after a redraw
    };
    void placeCrosshair();
    void placeReadout();

    QLabel *m_title = nullptr;
    QString m_fullTitle;
    QLabel *m_emptyNote = nullptr;
    QLabel *m_key = nullptr;
    QHBoxLayout *m_bottomRow = nullptr;
    QWidget *m_companion = nullptr;
    QHBoxLayout *m_columnsLayout = nullptr;
    std::vector<LaneColumn *> m_columns;
    std::vector<std::string> m_laneNames;
    QTableView *m_table = nullptr;
    QLabel *m_notes = nullptr;
    SummaryModel *m_model = nullptr;
    metrics::ComparisonTracker m_comparison; // the table's cross-lane columns, kept up to date
    TimeChart::Theme m_theme = TimeChart::Theme::Light;
    LinkedTimeAxis *m_timeAxis = nullptr;
    QList<QAction *> m_chartMenuActions;
    bool m_lockY = true;
    std::array<std::optional<FixedYRange>, kChartKinds> m_fixed;
    HiddenSeries m_hidden;
    bool m_fastRendering = false;
    Drawn m_drawn;
    int m_chartRedraws = 0;
    const ComparisonData *m_data = nullptr;
    std::optional<Crosshair> m_crosshair;
    QLabel *m_readout = nullptr;
    QShortcut *m_escape = nullptr;
};

} // namespace headroom::ui
