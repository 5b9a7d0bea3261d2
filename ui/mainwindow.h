#pragma once

#include <limits>

#include "apptheme.h"
#include "comparisonexport.h"
#include "exportformat.h"
#include "simulationworker.h"
#include "runrecord.h"
#include "workspace.h"

#include <QElapsedTimer>
#include <QIcon>
#include <QMainWindow>
#include <QSet>
#include <QStyle>
#include <QThread>
#include <deque>
#include <optional>
#include <vector>

class QAction;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QMenu;
class QSpinBox;
class QTimer;
class QToolButton;

namespace headroom::ui {

class ComparisonView;
class EventModel;
class EventsPanel;
class LinkedTimeAxis;

// How the dashboard starts; main() fills it from the command line.
struct DashboardOptions
{
    SimulationSource source;
    double speed = 1.0; // simulated seconds per second; 0: as fast as possible
    bool speedGiven = false; // on the command line: it overrides a workspace's
    bool autoStart = true;
    QString screenshotPath; // grab the window once the simulated time reaches screenshotAtS
    double screenshotAtS = 0.0;
    double windowS = 0.0; // the time window followed: the last N seconds; 0 the whole run
    // Show the crosshair at this time (NaN: none) over this kind of chart in the screenshot.
    double crosshairAtS = std::numeric_limits<double>::quiet_NaN();
    int crosshairChart = 1; // ChartKind: 0 rate, 1 latency, 2 pods
    QString replayPath; // open this recorded run (its folder or run.json) instead of running
    // replayPath's run (or the workspace's), when main() has read it already: not read twice.
    std::optional<RecordedRun> replayRun;
    QString runsFolder; // record every run in a folder under this one; empty: record nothing
    QString workspacePath; // open this workspace (source, view, notes) instead of `source`
    // workspacePath's contents when main() has read and checked it (prepareWorkspace, its
    // recorded run in replayRun): not read again. Unset: the window reads it.
    std::optional<Workspace> workspace;
    // Watch only: nothing that starts, restarts or changes the traffic (spikes, reset, source,
    // lanes, scenario edits, workspaces); viewing, pausing, notes and exports stay.
    bool readOnly = false;
    // Window geometry, recent files and the theme kept in QSettings between sessions.
    bool useSettings = false;
    AppTheme theme = AppTheme::System;
};

// The live console: lanes side by side, toolbar, summary, status bar. The
// simulation runs in a SimulationWorker on its own thread; this window keeps
// the full history and redraws from it.
class MainWindow : public QMainWindow
{
    Q_OBJECT

public:
    explicit MainWindow(const DashboardOptions &options, QWidget *parent = nullptr);
    ~MainWindow() override;

    const ComparisonData &history() const { return m_history; }
    double simulatedTimeS() const { return m_nowS; }
    bool isRunning() const { return m_running; }
    bool isFinished() const { return m_finished; }
    // Why the screenshot's run failed or the picture was not written (the cluster could not be
    // read, and why), once screenshotTaken(false); empty otherwise.
    const QString &screenshotFailure() const { return m_screenshotFailure; }
    RunState runState() const;
    // What the status bar says: "ready", "running", "paused" or "finished".
    QString stateText() const;
    ComparisonView *comparisonView() const { return m_view; }
    // The time range all charts show: follows the run or holds a zoomed range.
    LinkedTimeAxis *timeAxis() const { return m_timeAxis; }
    EventModel *eventModel() const { return m_eventModel; }
    // The source picker's entry for the run shown now.
    QString sourceChoiceText() const;
    // By the path's extension: .png (at the screen's pixel ratio, at least 2), .svg, .pdf,
    // .csv (the whole run) or .html (the report). Returns false and sets `error` on failure.
    bool exportTo(const QString &path, QString *error);
    // As the Export dialog asks; a CSV of the visible range takes visibleRange().
    bool exportTo(const QString &path, const ExportRequest &request, QString *error);
    // The time range every chart shows now (a zoom, a window or the whole run).
    TimeRange visibleRange() const;
    // Pauses the run when the simulated time reaches tS, even at maximum speed.
    void pauseAt(double tS);
    // Replaces the run with one driven by `source`; on failure the current run stays.
    void load(const SimulationSource &source);
    // Restarts the run with these lanes (1 to 8), the traffic unchanged.
    void setLanes(const QStringList &controllers);
    QStringList lanes() const { return m_current.controllers; }
    // Shows a recorded run (its folder or run.json) in place of the live one, which is
    // recorded first; false and `error` naming the file, row or field when it cannot be read.
    bool openRecordedRun(const QString &path, QString *error);
    // True while a recorded run is shown: nothing runs, Reset runs its source again.
    bool isReplaying() const { return m_replaying; }
    // The folder the last run was recorded in (empty before any).
    QString lastRecordedRun() const { return m_lastRecorded; }
    // Records the run shown (once) if it has samples and runs are recorded; returns its folder.
    QString recordCurrentRun();
    // The dashboard as a workspace file holds it, and back: the source (or recorded run),
    // speed, window, zoom, y ranges, hidden series, events list, spike settings and notes.
    Workspace workspace() const;
    bool saveWorkspace(const QString &path, QString *error);
    // Replaces the run with the workspace's; false and `error` (file and field) when it cannot
    // be read, the dashboard unchanged.
    bool openWorkspace(const QString &path, QString *error);
    // Marks every lane's charts at `tS` with the operator's note (kept in workspaces and the
    // run's recording).
    void addNote(double tS, const QString &text);
    const std::vector<ComparisonData::Note> &notes() const { return m_notes; }
    bool isReadOnly() const { return m_readOnly; }
    QStringList recentFiles() const { return m_recent; }

public Q_SLOTS:
    void onStart();
    void onPause();
    void onTogglePause();
    void onReset();
    void onSpike();
    // The Export dialog (Ctrl+E): every format, size, pixel ratio, CSV range.
    void onExport();
    // One click to a report: only the file is asked for (HTML, or PDF by the filter chosen).
    void onReport();
    void onOpenTrace();
    // Picks a recorded run from those under the runs folder (or any folder) and shows it.
    void onOpenRecordedRun();
    void onOpenWorkspace();
    void onSaveWorkspace();
    void onSaveWorkspaceAs();
    // Asks for a note's text and marks it at the current simulated time (N).
    void onAddNote();
    void onEditScenario();
    void onApplyLanes();
    void onShowEvents(bool shown);
    // The time axis: back to the whole run, following (Ctrl+0); zoom around the middle.
    void onResetZoom();
    void onZoomIn();
    void onZoomOut();

Q_SIGNALS:
    // The screenshot asked for is done: false if it could not be written or the run failed.
    void screenshotTaken(bool saved);

private:
    void setupWorker();
    void setupActions();
    void setupToolBar();
    void setupSourcePicker();
    void setupSpikeControls();
    void setupLanesMenu();
    void setupEvents();
    void setupStatusBar();
    void setupCentral();
    void setupShortcuts();
    void setupMenus();
    void setupRecentMenu();
    void rememberRecent(const QString &path);
    void openRecent(const QString &path);
    void openTrace(const QString &path);
    // `remember`: kept for the next session (View > Theme); --theme is for this one only.
    void setTheme(AppTheme theme, bool remember = true);
    void restoreSettings();
    void saveSettings();
    void storeSetting(const QString &key, const QVariant &value) const;
    void applyReadOnly();
    // Following a live cluster: what would change its traffic, pace or lanes is off.
    void applyLive();
    void selectSource(const SimulationSource &source);
    void applyPendingView();
    void refillEvents();
    // Shows a run read already, in place of the live one (which is recorded first).
    void showRecordedRun(RecordedRun run);
    // openWorkspace() of a workspace read and checked already (main() does, before the
    // window): `read` is the file's contents, `run` its recorded run if it has one. Unset
    // `read`: the file is read and checked here.
    bool openWorkspace(const QString &path, std::optional<Workspace> read,
        std::optional<RecordedRun> run, QString *error);
    bool screenshotAtStart() const;
    void setupViewToolBar();
    void applyOptions(const DashboardOptions &options);

    void onLoaded(const ComparisonData &skeleton, const QString &source);
    void onLoadFailed(const QString &message);
    void onSnapshot(const SimulationSnapshot &snapshot);
    void onRunningChanged(bool running);
    void onRunFailed(const QString &message);
    void onSourceChosen(int index);
    void onSpeedChosen(int index);
    void onCompressionChanged();
    void onLanesMenuShown();
    // Off when read-only, and for a live cluster (its controller is its own).
    bool lanesChangeable() const;
    void onLaneToggled();
    void onWindowChosen(int index);
    void onFollowingChanged(bool following);
    void selectWindow(double windowS);
    void showWindowChoice(double windowS);

protected:
    void changeEvent(QEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    // A load asked of the worker, answered in order by loaded or loadFailed.
    struct PendingLoad
    {
        SimulationSource source;
        int choice = -1; // source picker entry
        bool addedChoice = false; // the entry was made for this load: drop it if it fails
    };

    void requestLoad(const SimulationSource &source, bool addedChoice);
    void revertToActiveSource(const PendingLoad &failed);
    void appendEvents(const SimulationSnapshot &snapshot);
    void applyPaletteTheme();
    QIcon mediaIcon(QStyle::StandardPixmap which) const;
    int addSourceChoice(const QString &label, const SimulationSource &source);
    void selectSpeed(double speed);
    void scheduleRedraw();
    void redraw();
    void updateStatus();
    void updateAge();
    void showError(const QString &message);
    QString stateColor(RunState state) const;
    QString warningColor() const;
    void checkScreenshot();
    void takeScreenshot();
    void screenshotRunFailed(const QString &why);

    ComparisonView *m_view = nullptr;
    QThread m_thread;
    SimulationWorker *m_worker = nullptr;
    QTimer *m_redrawTimer = nullptr;
    QTimer *m_viewTimer = nullptr; // a redraw as soon as pending gestures are in
    LinkedTimeAxis *m_timeAxis = nullptr;

    QAction *m_startAction = nullptr;
    QAction *m_pauseAction = nullptr;
    QAction *m_resetAction = nullptr;
    QAction *m_spikeAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_reportAction = nullptr;
    QAction *m_openTraceAction = nullptr;
    QAction *m_openRunAction = nullptr;
    QAction *m_openWorkspaceAction = nullptr;
    QAction *m_saveWorkspaceAction = nullptr;
    QAction *m_saveWorkspaceAsAction = nullptr;
    QAction *m_noteAction = nullptr;
    QMenu *m_recentMenu = nullptr;
    QList<QAction *> m_themeActions;
    QComboBox *m_spikeShapeBox = nullptr;
    QAction *m_editScenarioAction = nullptr;
    QAction *m_eventsAction = nullptr;
    QAction *m_applyLanesAction = nullptr;
    QAction *m_liveAction = nullptr;
    QAction *m_resetZoomAction = nullptr;
    QAction *m_zoomInAction = nullptr;
    QAction *m_zoomOutAction = nullptr;
    QAction *m_lockYAction = nullptr;
    QComboBox *m_windowBox = nullptr;
    QMenu *m_lanesMenu = nullptr;
    QToolButton *m_lanesButton = nullptr;
    QList<QAction *> m_laneActions;
    EventModel *m_eventModel = nullptr;
    EventsPanel *m_eventsPanel = nullptr;
    QComboBox *m_speedBox = nullptr;
    QComboBox *m_sourceBox = nullptr;
    QDoubleSpinBox *m_compressionBox = nullptr;
    QDoubleSpinBox *m_spikeMagnitudeBox = nullptr;
    QSpinBox *m_spikeDurationBox = nullptr;

    QLabel *m_sourceLabel = nullptr;
    QLabel *m_speedLabel = nullptr;
    QLabel *m_timeLabel = nullptr;
    QLabel *m_ageLabel = nullptr; // wall-clock time since the last sample
    QLabel *m_stateLabel = nullptr;
    QLabel *m_viewLabel = nullptr;
    QLabel *m_errorLabel = nullptr;

    std::vector<SimulationSource> m_choices; // one per source picker entry
    SimulationSource m_current; // the latest asked for
    SimulationSource m_active; // the one running
    int m_activeChoice = -1;
    bool m_hasActive = false;
    std::deque<PendingLoad> m_pendingLoads;
    // TODO: the history grows with the run (about 100 bytes per lane and simulated second);
    // multi-day traces at compression 1 need a coarser tier for old data to bound memory.
    ComparisonData m_history;
    QString m_sourceText;
    QSet<QString> m_errorsShown; // each message box once, not on every reset
    QElapsedTimer m_sinceSample;
    double m_nowS = 0.0;
    double m_durationS = 0.0;
    double m_speed = 1.0;
    bool m_running = false;
    bool m_finished = false;
    bool m_runFailed = false; // the run stopped on an error (runFailed) and was not started again
    QString m_screenshotPath;
    double m_screenshotAtS = 0.0;
    double m_crosshairAtS = std::numeric_limits<double>::quiet_NaN();
    int m_crosshairChart = 1;
    bool m_screenshotPending = false;
    // Why the screenshot's run failed (the picture is saved, but the exit code says so) or the
    // picture was not written: screenshotFailure(). Empty while neither.
    QString m_screenshotFailure;
    std::optional<ExportRequest> m_lastExport; // the Export dialog opens with the last choices
    QString m_runsFolder;
    QString m_lastRecorded;
    bool m_recorded = false; // the run shown is recorded (or came from a recording)
    bool m_replaying = false;
    bool m_closing = false; // recording problems are logged, not shown in a box
    std::vector<ComparisonData::Note> m_notes; // the operator's, shown on every run
    QString m_workspacePath;
    // A workspace's zoom and y ranges, applied once its run has loaded.
    std::optional<Workspace> m_pendingView;
    bool m_readOnly = false;
    bool m_useSettings = false;
    AppTheme m_theme = AppTheme::System;
    QStringList m_recent; // workspaces, recorded runs and traces, newest first
    std::optional<SimulationSource> m_replaySource; // what drove the recorded run shown
    QString m_replayFolder;
};

} // namespace headroom::ui
