#include "mainwindow.h"

#include "batchexport.h"
#include "comparisonview.h"
#include "control/controllerfactory.h"
#include "eventmodel.h"
#include "eventspanel.h"
#include "exportdialog.h"
#include "io/paths.h"
#include "lanecolumn.h"
#include "linkedtimeaxis.h"
#include "logging.h"
#include "recordedrunsdialog.h"
#include "runrecord.h"
#include "scenarioeditor.h"
#include "summarymodel.h"
#include "traffic/scenario.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QFrame>
#include <QImageWriter>
#include <QInputDialog>
#include <QSettings>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QRegularExpression>
#include <QScreen>
#include <QShortcut>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QStyle>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <algorithm>
#include <cmath>
#include <utility>

namespace headroom::ui {

namespace {

constexpr int kRedrawDelayMs = 40;
constexpr int kMaxRedrawDelayMs = 1000;
constexpr int kMaxLanes = 8;
constexpr int kMaxRecent = 10;
const QString kAzureTrace = QStringLiteral("resources/traces/AzureLLMInferenceTrace_conv.csv");

struct SpeedChoice
{
    const char *label;
    double speed;
};
constexpr SpeedChoice kSpeeds[]
    = {{"1x", 1.0}, {"2x", 2.0}, {"5x", 5.0}, {"10x", 10.0}, {"50x", 50.0}, {"Max", 0.0}};
// The time windows offered, in seconds; 0 is the whole run.
constexpr double kWindows[] = {60.0, 300.0, 900.0, 3600.0, LinkedTimeAxis::kWholeRun};

QString speedText(double speed)
{
    return speed > 0.0 ? QString::number(speed) + QLatin1Char('x') : QStringLiteral("max speed");
}

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

// The Live button's dot: green while the charts follow the run, grey while they hold still.
QIcon liveIcon(bool following)
{
    QPixmap pixmap(32, 32);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(following ? QColor(0x00, 0x9e, 0x73) : QColor(0x9e, 0x9e, 0x9e));
    painter.drawEllipse(QRectF(8, 8, 16, 16));
    painter.end();
    return QIcon(pixmap);
}

// A source picker entry: the file name of a scenario or trace file, or the built-in name.
QString sourceLabel(const SimulationSource &source)
{
    if (source.kind == SimulationSource::Kind::Cluster)
        return QStringLiteral("live: ") + QString::fromStdString(source.target.deployment);
    if (source.kind == SimulationSource::Kind::Trace)
        return QFileInfo(source.tracePath).fileName() + source.traceSlice;
    return QFileInfo(source.scenario).fileName();
}

// Keeps a menu open while its checkable entries are toggled, so several lanes can be
// picked before applying them once.
class StayOpenOnToggle : public QObject
{
public:
    using QObject::QObject;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        auto *menu = qobject_cast<QMenu *>(watched);
        if (!menu || event->type() != QEvent::MouseButtonRelease)
            return QObject::eventFilter(watched, event);
        QAction *action = menu->actionAt(static_cast<QMouseEvent *>(event)->position().toPoint());
        if (!action || !action->isCheckable() || !action->isEnabled())
            return QObject::eventFilter(watched, event);
        action->toggle();
        return true;
    }
};

} // namespace

MainWindow::MainWindow(const DashboardOptions &options, QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("Headroom"));
    setupCentral();
    setupEvents();
    setupActions();
    setupToolBar();
    setupStatusBar();
    setupShortcuts();
    setupMenus();
    setupWorker();
    applyOptions(options);
}

MainWindow::~MainWindow()
{
    m_closing = true;
    recordCurrentRun(); // a run cut short by QApplication::exit() is kept too
    m_thread.quit();
    m_thread.wait();
}

void MainWindow::setupCentral()
{
    m_view = new ComparisonView(this);
    applyPaletteTheme();
    setCentralWidget(m_view);

    m_redrawTimer = new QTimer(this);
    m_redrawTimer->setSingleShot(true);
    m_redrawTimer->setInterval(kRedrawDelayMs);
    connect(m_redrawTimer, &QTimer::timeout, this, &MainWindow::redraw);

    // A gesture redraws at once, after the events queued with it: a fast wheel is one redraw.
    m_viewTimer = new QTimer(this);
    m_viewTimer->setSingleShot(true);
    m_viewTimer->setInterval(0);
    connect(m_viewTimer, &QTimer::timeout, this, [this] {
        redraw();
        updateStatus();
    });
    m_timeAxis = new LinkedTimeAxis(this);
    connect(m_timeAxis, &LinkedTimeAxis::rangeChanged, this, [this] {
        if (m_windowBox)
            showWindowChoice(m_timeAxis->windowS());
        m_viewTimer->start();
    });
    connect(m_timeAxis, &LinkedTimeAxis::followingChanged, this, &MainWindow::onFollowingChanged);
    m_view->setTimeAxis(m_timeAxis);
    connect(m_view, &ComparisonView::yRangesChanged, m_viewTimer, qOverload<>(&QTimer::start));

    if (const QScreen *screen = QGuiApplication::primaryScreen())
        resize(screen->availableSize().boundedTo(QSize(1600, 1000)));
}

void MainWindow::setupEvents()
{
    m_eventModel = new EventModel(this);
    m_eventsPanel = new EventsPanel(m_eventModel);
    m_view->setTableCompanion(m_eventsPanel);
}

void MainWindow::applyPaletteTheme()
{
    const bool dark = isDark(palette());
    m_view->setTheme(dark ? TimeChart::Theme::Dark : TimeChart::Theme::Light);
    if (!m_startAction)
        return;
    m_startAction->setIcon(mediaIcon(QStyle::SP_MediaPlay));
    m_pauseAction->setIcon(mediaIcon(QStyle::SP_MediaPause));
    m_resetAction->setIcon(mediaIcon(QStyle::SP_MediaSkipBackward));
}

// The style's media icons are black glyphs: on a dark palette they take the text colour.
QIcon MainWindow::mediaIcon(QStyle::StandardPixmap which) const
{
    const QIcon icon = style()->standardIcon(which);
    if (!isDark(palette()))
        return icon;
    QIcon tinted;
    for (const QIcon::Mode mode : {QIcon::Normal, QIcon::Disabled}) {
        const QColor color = palette().color(
            mode == QIcon::Normal ? QPalette::Active : QPalette::Disabled, QPalette::ButtonText);
        for (const int side : {16, 24, 32}) {
            QPixmap pixmap = icon.pixmap(QSize(side, side));
            QPainter painter(&pixmap);
            painter.setCompositionMode(QPainter::CompositionMode_SourceIn);
            painter.fillRect(pixmap.rect(), color);
            painter.end();
            tinted.addPixmap(pixmap, mode);
        }
    }
    return tinted;
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    m_closing = true;
    recordCurrentRun();
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::changeEvent(QEvent *event)
{
    QMainWindow::changeEvent(event);
    if (event->type() == QEvent::PaletteChange && m_view) {
        applyPaletteTheme();
        updateStatus();
        redraw();
    }
}

void MainWindow::setupWorker()
{
    SimulationWorker::registerMetaTypes();
    m_worker = new SimulationWorker;
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &SimulationWorker::loaded, this, &MainWindow::onLoaded);
    connect(m_worker, &SimulationWorker::loadFailed, this, &MainWindow::onLoadFailed);
    connect(m_worker, &SimulationWorker::snapshotReady, this, &MainWindow::onSnapshot);
    connect(m_worker, &SimulationWorker::runningChanged, this, &MainWindow::onRunningChanged);
    connect(m_worker, &SimulationWorker::runFailed, this, &MainWindow::onRunFailed);
    m_thread.setObjectName(QStringLiteral("simulation"));
    m_thread.start();
}

void MainWindow::setupActions()
{
    const auto make = [this](QStyle::StandardPixmap icon, const QString &text, auto slot) {
        auto *action = new QAction(style()->standardIcon(icon), text, this);
        connect(action, &QAction::triggered, this, slot);
        return action;
    };
    m_startAction = make(QStyle::SP_MediaPlay, QStringLiteral("Start"), &MainWindow::onStart);
    m_pauseAction = make(QStyle::SP_MediaPause, QStringLiteral("Pause"), &MainWindow::onPause);
    m_resetAction
        = make(QStyle::SP_MediaSkipBackward, QStringLiteral("Reset"), &MainWindow::onReset);
    m_openTraceAction = make(
        QStyle::SP_DialogOpenButton, QStringLiteral("Open trace..."), &MainWindow::onOpenTrace);
    // The toolbar's buttons take the short names, beside the source picker they act on; the
    // menus and tooltips say them in full.
    m_openTraceAction->setIconText(QStringLiteral("Trace"));
    m_openTraceAction->setToolTip(QStringLiteral("Open a trace file to replay as the traffic"));
    m_openRunAction = make(QStyle::SP_DirOpenIcon, QStringLiteral("Open recorded run..."),
        &MainWindow::onOpenRecordedRun);
    m_openRunAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_openRunAction->setToolTip(QStringLiteral(
        "Show a run recorded earlier, to inspect and export it (Ctrl+Shift+O)"));
    m_openWorkspaceAction = make(QStyle::SP_DialogOpenButton, QStringLiteral("Open workspace..."),
        &MainWindow::onOpenWorkspace);
    m_openWorkspaceAction->setShortcut(QKeySequence::Open);
    m_saveWorkspaceAction = make(QStyle::SP_DialogSaveButton, QStringLiteral("Save workspace"),
        &MainWindow::onSaveWorkspace);
    m_saveWorkspaceAction->setShortcut(QKeySequence::Save);
    m_saveWorkspaceAsAction = make(QStyle::SP_DialogSaveButton,
        QStringLiteral("Save workspace as..."), &MainWindow::onSaveWorkspaceAs);
    m_saveWorkspaceAsAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    m_noteAction = make(QStyle::SP_FileDialogInfoView, QStringLiteral("Note..."), &MainWindow::onAddNote);
    m_noteAction->setShortcut(QKeySequence(Qt::Key_N));
    m_noteAction->setToolTip(
        QStringLiteral("Mark the current time on every chart with a note of yours (N)"));
    m_editScenarioAction = make(QStyle::SP_FileDialogContentsView,
        QStringLiteral("Edit scenario..."), &MainWindow::onEditScenario);
    m_editScenarioAction->setIconText(QStringLiteral("Edit"));
    m_editScenarioAction->setToolTip(QStringLiteral(
        "Edit the scenario's segments and spikes with a preview, then run it (a trace: start "
        "a new scenario)"));
    m_spikeAction = make(QStyle::SP_ArrowUp, QStringLiteral("Spike"), &MainWindow::onSpike);
    m_exportAction
        = make(QStyle::SP_DialogSaveButton, QStringLiteral("Export..."), &MainWindow::onExport);
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_exportAction->setToolTip(QStringLiteral(
        "Export the comparison: PNG, SVG, PDF, CSV of the samples, or a report (Ctrl+E)"));
    m_reportAction = make(
        QStyle::SP_FileDialogDetailedView, QStringLiteral("Report..."), &MainWindow::onReport);
    m_reportAction->setToolTip(QStringLiteral(
        "Save a one-file report: metadata, charts, summary table and events (HTML or PDF)"));
    m_eventsAction = new QAction(QStringLiteral("Events"), this);
    m_eventsAction->setCheckable(true);
    m_eventsAction->setChecked(true);
    m_eventsAction->setToolTip(QStringLiteral("Show the list of lane events"));
    connect(m_eventsAction, &QAction::toggled, this, &MainWindow::onShowEvents);
    m_spikeAction->setToolTip(QStringLiteral("Multiply the traffic of every lane, starting now"));
    m_resetAction->setToolTip(QStringLiteral("Restart the run from 0 s"));

    m_liveAction = new QAction(QStringLiteral("Live"), this);
    m_liveAction->setObjectName(QStringLiteral("liveAction"));
    m_liveAction->setCheckable(true);
    m_liveAction->setChecked(true);
    m_liveAction->setIcon(liveIcon(true));
    m_liveAction->setToolTip(QStringLiteral("Follow new data with the chosen window (End); "
                                            "release to hold the charts still"));
    connect(m_liveAction, &QAction::triggered, this, [this](bool live) {
        if (live)
            m_timeAxis->followLive();
        else
            m_timeAxis->hold();
    });
    m_resetZoomAction
        = make(QStyle::SP_BrowserReload, QStringLiteral("Reset zoom"), &MainWindow::onResetZoom);
    m_resetZoomAction->setObjectName(QStringLiteral("resetZoomAction"));
    m_resetZoomAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_0));
    m_resetZoomAction->setToolTip(
        QStringLiteral("Show the whole run and follow it again (Ctrl+0, or double-click a chart)"));
    m_zoomInAction = new QAction(QStringLiteral("Zoom in"), this);
    m_zoomInAction->setShortcuts(
        {QKeySequence(Qt::CTRL | Qt::Key_Equal), QKeySequence(Qt::CTRL | Qt::Key_Plus)});
    connect(m_zoomInAction, &QAction::triggered, this, &MainWindow::onZoomIn);
    m_zoomOutAction = new QAction(QStringLiteral("Zoom out"), this);
    m_zoomOutAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Minus));
    connect(m_zoomOutAction, &QAction::triggered, this, &MainWindow::onZoomOut);
    m_lockYAction = new QAction(QStringLiteral("Lock y"), this);
    m_lockYAction->setObjectName(QStringLiteral("lockYAction"));
    m_lockYAction->setCheckable(true);
    m_lockYAction->setChecked(m_view->lockY());
    m_lockYAction->setToolTip(QStringLiteral("The same y range for a kind of chart in every lane"));
    connect(m_lockYAction, &QAction::toggled, m_view, &ComparisonView::setLockY);
    // Window-wide shortcuts, wherever the focus is.
    addActions({m_resetZoomAction, m_zoomInAction, m_zoomOutAction, m_openRunAction,
        m_openWorkspaceAction, m_saveWorkspaceAction, m_saveWorkspaceAsAction, m_noteAction});
    m_view->setChartMenuActions(
        {m_zoomInAction, m_zoomOutAction, m_resetZoomAction, m_liveAction, m_lockYAction});
    applyPaletteTheme(); // the media icons follow the palette
}

void MainWindow::setupMenus()
{
    QMenu *file = menuBar()->addMenu(QStringLiteral("&File"));
    file->setObjectName(QStringLiteral("fileMenu"));
    file->addAction(m_openWorkspaceAction);
    m_recentMenu = file->addMenu(QStringLiteral("Open recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::setupRecentMenu);
    file->addAction(m_saveWorkspaceAction);
    file->addAction(m_saveWorkspaceAsAction);
    file->addSeparator();
    file->addAction(m_openRunAction);
    file->addAction(m_openTraceAction);
    file->addAction(m_editScenarioAction);
    file->addSeparator();
    file->addAction(m_exportAction);
    file->addAction(m_reportAction);
    file->addSeparator();
    QAction *quit = file->addAction(QStringLiteral("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *run = menuBar()->addMenu(QStringLiteral("&Run"));
    run->addActions({m_startAction, m_pauseAction, m_resetAction});
    run->addSeparator();
    run->addAction(m_spikeAction);
    run->addAction(m_noteAction);

    QMenu *view = menuBar()->addMenu(QStringLiteral("&View"));
    view->addActions({m_liveAction, m_resetZoomAction, m_zoomInAction, m_zoomOutAction});
    view->addSeparator();
    view->addActions({m_lockYAction, m_eventsAction});
    view->addSeparator();
    QMenu *theme = view->addMenu(QStringLiteral("Theme"));
    auto *themes = new QActionGroup(this);
    for (const AppTheme t : {AppTheme::System, AppTheme::Light, AppTheme::Dark}) {
        QString name = appThemeName(t);
        name[0] = name[0].toUpper();
        QAction *action = theme->addAction(name, this, [this, t] { setTheme(t); });
        action->setCheckable(true);
        action->setData(appThemeName(t));
        themes->addAction(action);
        m_themeActions.append(action);
    }
}

void MainWindow::setupRecentMenu()
{
    m_recentMenu->clear();
    for (const QString &path : std::as_const(m_recent)) {
        QAction *action = m_recentMenu->addAction(QFileInfo(path).fileName(), this,
            [this, path] { openRecent(path); });
        action->setToolTip(path);
        // Read-only: recorded runs may be viewed; workspaces and traces would change the run.
        action->setEnabled(!m_readOnly || isRecordedRunPath(path));
    }
    if (m_recent.isEmpty())
        m_recentMenu->addAction(QStringLiteral("(none yet)"))->setEnabled(false);
    m_recentMenu->setToolTipsVisible(true);
}

void MainWindow::rememberRecent(const QString &path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_recent.removeAll(absolute);
    m_recent.prepend(absolute);
    while (m_recent.size() > kMaxRecent)
        m_recent.removeLast();
    storeSetting(QStringLiteral("recent"), m_recent);
}

// A recent entry by what it is: a workspace, a recorded run (a folder) or a trace.
void MainWindow::openRecent(const QString &path)
{
    if (m_readOnly && !isRecordedRunPath(path))
        return;
    QString error;
    bool ok = true;
    if (path.endsWith(QLatin1String(".headroom")))
        ok = openWorkspace(path, &error);
    else if (isRecordedRunPath(path))
        ok = openRecordedRun(path, &error);
    else if (!QFileInfo::exists(path)) {
        ok = false;
        error = path + QStringLiteral(": no longer there");
    } else {
        openTrace(path);
    }
    if (!ok) {
        m_recent.removeAll(path);
        storeSetting(QStringLiteral("recent"), m_recent);
        showError(error);
    }
}

void MainWindow::setTheme(AppTheme theme, bool remember)
{
    m_theme = theme;
    applyAppTheme(theme);
    for (QAction *action : std::as_const(m_themeActions))
        action->setChecked(action->data().toString() == appThemeName(theme));
    if (remember)
        storeSetting(QStringLiteral("theme"), appThemeName(theme));
}

void MainWindow::storeSetting(const QString &key, const QVariant &value) const
{
    if (m_useSettings)
        QSettings(settingsOrganization(), settingsApplication()).setValue(key, value);
}

void MainWindow::restoreSettings()
{
    if (!m_useSettings)
        return;
    QSettings settings(settingsOrganization(), settingsApplication());
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_recent = settings.value(QStringLiteral("recent")).toStringList();
}

void MainWindow::saveSettings()
{
    if (!m_useSettings)
        return;
    QSettings settings(settingsOrganization(), settingsApplication());
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("recent"), m_recent);
}

// Watching only: what would start, restart or change the traffic is off, and says why.
void MainWindow::applyReadOnly()
{
    if (!m_readOnly)
        return;
    const QString why = QStringLiteral(" (off: read-only)");
    for (QAction *action : {m_spikeAction, m_resetAction, m_openTraceAction, m_editScenarioAction,
             m_openWorkspaceAction, m_applyLanesAction}) {
        action->setEnabled(false);
        action->setToolTip(action->toolTip() + why);
    }
    for (QWidget *widget : std::initializer_list<QWidget *> {m_sourceBox, m_compressionBox,
             m_spikeMagnitudeBox, m_spikeDurationBox, m_spikeShapeBox}) {
        widget->setEnabled(false);
        widget->setToolTip(widget->toolTip() + why);
    }
    for (QAction *lane : std::as_const(m_laneActions))
        lane->setEnabled(false);
    // The button that opens the lanes menu too, as Spike's: a menu of greyed lanes behind an
    // enabled button reads as a control that is on.
    m_lanesButton->setEnabled(false);
    m_lanesButton->setToolTip(m_lanesButton->toolTip() + why);
}

void MainWindow::applyLive()
{
    if (m_current.kind != SimulationSource::Kind::Cluster)
        return;
    const QString why = QStringLiteral(" (off: a live cluster's load, pace and controller are its own)");
    for (QAction *action : {m_spikeAction, m_openTraceAction, m_editScenarioAction, m_openWorkspaceAction,
             m_saveWorkspaceAction, m_saveWorkspaceAsAction, m_applyLanesAction}) {
        action->setEnabled(false);
        action->setToolTip(action->toolTip() + why);
    }
    for (QWidget *widget : std::initializer_list<QWidget *> {m_sourceBox, m_compressionBox, m_speedBox,
             m_spikeMagnitudeBox, m_spikeDurationBox, m_spikeShapeBox}) {
        widget->setEnabled(false);
        widget->setToolTip(widget->toolTip() + why);
    }
    for (QAction *lane : std::as_const(m_laneActions))
        lane->setEnabled(false);
    m_lanesButton->setEnabled(false);
    m_lanesButton->setToolTip(m_lanesButton->toolTip() + why);
}

void MainWindow::setupToolBar()
{
    QToolBar *bar = addToolBar(QStringLiteral("Run"));
    bar->setObjectName(QStringLiteral("runToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(m_startAction);
    bar->addAction(m_pauseAction);
    bar->addAction(m_resetAction);

    m_speedBox = new QComboBox(bar);
    for (const SpeedChoice &choice : kSpeeds)
        m_speedBox->addItem(QString::fromLatin1(choice.label), choice.speed);
    m_speedBox->setToolTip(QStringLiteral("Simulated seconds per second"));
    connect(m_speedBox, &QComboBox::activated, this, &MainWindow::onSpeedChosen);
    bar->addWidget(new QLabel(QStringLiteral(" Speed "), bar));
    bar->addWidget(m_speedBox);
    bar->addSeparator();
    setupSourcePicker();
    setupLanesMenu();
    bar->addSeparator();
    setupSpikeControls();
    bar->addSeparator();
    bar->addAction(m_exportAction);
    bar->addAction(m_reportAction);
    addToolBarBreak();
    setupViewToolBar();
}

// The time axis every chart shares: a window to follow, live or held, reset, lock y; and
// whether the events list shows beside the summary.
void MainWindow::setupViewToolBar()
{
    QToolBar *bar = addToolBar(QStringLiteral("View"));
    bar->setObjectName(QStringLiteral("viewToolBar"));
    bar->setMovable(false);
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_windowBox = new QComboBox(bar);
    m_windowBox->setObjectName(QStringLiteral("windowPicker"));
    for (const double windowS : kWindows) {
        QString text = windowText(windowS);
        text[0] = text[0].toUpper();
        m_windowBox->addItem(text, windowS);
    }
    m_windowBox->setToolTip(QStringLiteral("Follow the last minutes of the run, or all of it"));
    connect(m_windowBox, &QComboBox::activated, this, &MainWindow::onWindowChosen);
    bar->addWidget(new QLabel(QStringLiteral(" Window "), bar));
    bar->addWidget(m_windowBox);
    bar->addAction(m_liveAction);
    bar->addSeparator();
    bar->addAction(m_resetZoomAction);
    bar->addAction(m_lockYAction);
    bar->addAction(m_eventsAction);
    // Short enough to share the row with the controls at 1280 px; the tooltip says it in full.
    auto *hint = new QLabel(QStringLiteral("   drag: zoom   wheel: zoom   Ctrl+drag: pan   "
                                           "double-click: reset   right-click: y range   "
                                           "legend click: hide/show"),
        bar);
    hint->setObjectName(QStringLiteral("gestureHint"));
    hint->setToolTip(QStringLiteral(
        "Drag across a chart to zoom its time axis; the wheel zooms at the cursor; Ctrl+drag "
        "pans; a double-click shows the whole run again; a right-click fixes the y range; a "
        "click on a legend entry hides or shows that series in every lane"));
    hint->setForegroundRole(QPalette::PlaceholderText);
    bar->addWidget(hint);
}

void MainWindow::setupLanesMenu()
{
    QToolBar *bar = findChild<QToolBar *>(QStringLiteral("runToolBar"));
    m_lanesMenu = new QMenu(QStringLiteral("Lanes"), this);
    m_lanesMenu->setObjectName(QStringLiteral("lanesMenu"));
    m_lanesMenu->setToolTipsVisible(true);
    for (const std::string &name : control::availableControllers()) {
        QAction *action = m_lanesMenu->addAction(QString::fromStdString(name));
        action->setCheckable(true);
        connect(action, &QAction::toggled, this, &MainWindow::onLaneToggled);
        m_laneActions.append(action);
    }
    m_lanesMenu->addSeparator();
    m_applyLanesAction = m_lanesMenu->addAction(QStringLiteral("Apply (restarts the run)"));
    connect(m_applyLanesAction, &QAction::triggered, this, &MainWindow::onApplyLanes);
    connect(m_lanesMenu, &QMenu::aboutToShow, this, &MainWindow::onLanesMenuShown);
    m_lanesMenu->installEventFilter(new StayOpenOnToggle(m_lanesMenu));

    m_lanesButton = new QToolButton(bar);
    m_lanesButton->setObjectName(QStringLiteral("lanesButton"));
    m_lanesButton->setText(QStringLiteral("Lanes"));
    m_lanesButton->setToolTip(QStringLiteral("The controllers compared, one column each"));
    m_lanesButton->setMenu(m_lanesMenu);
    m_lanesButton->setPopupMode(QToolButton::InstantPopup);
    m_lanesButton->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addWidget(m_lanesButton);
}

void MainWindow::setupSourcePicker()
{
    QToolBar *bar = findChild<QToolBar *>(QStringLiteral("runToolBar"));
    m_sourceBox = new QComboBox(bar);
    m_sourceBox->setObjectName(QStringLiteral("sourcePicker"));
    // Long trace and scenario file names are elided, not allowed to push the toolbar off screen.
    m_sourceBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_sourceBox->setMinimumContentsLength(18);
    m_sourceBox->setToolTip(QStringLiteral("Built-in scenarios and traces"));
    for (const std::string &name : traffic::builtinScenarioNames()) {
        SimulationSource source;
        source.scenario = QString::fromStdString(name);
        addSourceChoice(source.scenario, source);
    }
    SimulationSource azure;
    azure.kind = SimulationSource::Kind::Trace;
    azure.tracePath = QString::fromStdString(io::findDataFile(kAzureTrace.toStdString()));
    addSourceChoice(QStringLiteral("Azure LLM trace (conv)"), azure);
    connect(m_sourceBox, &QComboBox::activated, this, &MainWindow::onSourceChosen);

    m_compressionBox = new QDoubleSpinBox(bar);
    m_compressionBox->setRange(0.001, 1e6); // as --compression takes
    m_compressionBox->setDecimals(3);
    m_compressionBox->setValue(1.0);
    m_compressionBox->setPrefix(QStringLiteral("x"));
    m_compressionBox->setToolTip(QStringLiteral("Trace time compression: 10 replays 10 s of "
                                                "trace in 1 simulated second"));
    connect(m_compressionBox, &QDoubleSpinBox::editingFinished, this,
        &MainWindow::onCompressionChanged);

    bar->addWidget(new QLabel(QStringLiteral(" Source "), bar));
    bar->addWidget(m_sourceBox);
    bar->addAction(m_openTraceAction);
    bar->addAction(m_editScenarioAction);
    bar->addWidget(new QLabel(QStringLiteral(" Compression "), bar));
    bar->addWidget(m_compressionBox);
}

void MainWindow::setupSpikeControls()
{
    QToolBar *bar = findChild<QToolBar *>(QStringLiteral("runToolBar"));
    m_spikeMagnitudeBox = new QDoubleSpinBox(bar);
    m_spikeMagnitudeBox->setRange(1.1, 100.0);
    m_spikeMagnitudeBox->setSingleStep(0.5);
    m_spikeMagnitudeBox->setDecimals(2);
    m_spikeMagnitudeBox->setValue(6.0);
    m_spikeMagnitudeBox->setPrefix(QStringLiteral("x"));
    m_spikeMagnitudeBox->setToolTip(QStringLiteral("Spike magnitude: traffic multiplier"));

    m_spikeDurationBox = new QSpinBox(bar);
    m_spikeDurationBox->setRange(1, 24 * 3600);
    m_spikeDurationBox->setValue(30);
    m_spikeDurationBox->setSuffix(QStringLiteral(" s"));
    m_spikeDurationBox->setToolTip(QStringLiteral("Spike duration in simulated seconds"));

    m_spikeShapeBox = new QComboBox(bar);
    m_spikeShapeBox->setObjectName(QStringLiteral("spikeShape"));
    for (const char *shape : {"step", "ramp", "triangle", "decay"})
        m_spikeShapeBox->addItem(QString::fromLatin1(shape), QString::fromLatin1(shape));
    m_spikeShapeBox->setToolTip(QStringLiteral(
        "Spike shape: step (all at once), ramp (up and down over a quarter each), triangle "
        "(peak at the middle), decay (a flash crowd fading away)"));

    bar->addAction(m_spikeAction);
    bar->addWidget(m_spikeMagnitudeBox);
    bar->addWidget(m_spikeDurationBox);
    bar->addWidget(m_spikeShapeBox);
}

void MainWindow::setupStatusBar()
{
    for (QLabel **label : {&m_sourceLabel, &m_speedLabel, &m_timeLabel, &m_ageLabel,
             &m_stateLabel, &m_viewLabel}) {
        *label = new QLabel(this);
        (*label)->setTextFormat(Qt::PlainText); // a trace's file name, as written
        (*label)->setContentsMargins(6, 0, 6, 0);
        statusBar()->addWidget(*label);
        auto *line = new QFrame(this);
        line->setFrameShape(QFrame::VLine);
        line->setFrameShadow(QFrame::Sunken);
        statusBar()->addWidget(line);
    }
    m_timeLabel->setObjectName(QStringLiteral("timeLabel"));
    m_ageLabel->setObjectName(QStringLiteral("ageLabel"));
    m_ageLabel->setToolTip(QStringLiteral("Wall-clock time since the last sample arrived"));
    // The age of the data ticks on between snapshots: a stalled source shows at once.
    auto *ageTimer = new QTimer(this);
    ageTimer->setInterval(500);
    connect(ageTimer, &QTimer::timeout, this, &MainWindow::updateAge);
    ageTimer->start();
    m_errorLabel = new QLabel(this);
    m_errorLabel->setTextFormat(Qt::PlainText); // messages quote the user's files
    m_errorLabel->setObjectName(QStringLiteral("errorLabel"));
    m_errorLabel->setContentsMargins(6, 0, 6, 0);
    m_errorLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    statusBar()->addWidget(m_errorLabel, 1);
}

void MainWindow::setupShortcuts()
{
    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), this);
    connect(space, &QShortcut::activated, this, &MainWindow::onTogglePause);
    // End always follows; the Live button toggles between following and holding.
    auto *live = new QShortcut(QKeySequence(Qt::Key_End), this);
    connect(live, &QShortcut::activated, m_timeAxis, &LinkedTimeAxis::followLive);
}

void MainWindow::applyOptions(const DashboardOptions &options)
{
    m_runsFolder = options.runsFolder;
    m_readOnly = options.readOnly;
    m_useSettings = options.useSettings;
    restoreSettings();
    setTheme(options.theme, false);
    m_screenshotPath = options.screenshotPath;
    m_screenshotAtS = options.screenshotAtS;
    m_crosshairAtS = options.crosshairAtS;
    m_crosshairChart = std::clamp(options.crosshairChart, 0, kChartKinds - 1);
    m_screenshotPending = !options.screenshotPath.isEmpty();
    // The offscreen platform's screen is 800x800: a screenshot there gets the size a desktop
    // (or Xvfb at 1600x1000) gives, not a cramped one.
    if (m_screenshotPending && QGuiApplication::platformName() == QLatin1String("offscreen"))
        resize(1600, 1000);
    if (m_screenshotPending && std::isfinite(m_screenshotAtS))
        pauseAt(std::ceil(m_screenshotAtS)); // the same picture at any speed
    m_compressionBox->setValue(options.source.compression);
    selectSpeed(options.speed);
    selectWindow(options.windowS);

    selectSource(options.source);
    m_current = options.source;
    applyReadOnly();
    applyLive();
    if (!options.workspacePath.isEmpty()) {
        QString error;
        if (openWorkspace(options.workspacePath, options.workspace, options.replayRun, &error)) {
            if (options.speedGiven)
                selectSpeed(options.speed);
            if (options.autoStart && !m_replaying && !screenshotAtStart())
                onStart();
            m_screenshotAtS = m_replaying ? std::min(m_screenshotAtS, m_nowS) : m_screenshotAtS;
            checkScreenshot();
            updateStatus();
            return;
        }
        showError(error); // and run the source instead, so the window is not empty
    }
    if (options.replayRun) {
        showRecordedRun(*options.replayRun);
        m_screenshotAtS = std::min(m_screenshotAtS, m_nowS); // nothing more will come
        checkScreenshot();
        return;
    }
    if (!options.replayPath.isEmpty()) {
        QString error;
        if (openRecordedRun(options.replayPath, &error)) {
            m_screenshotAtS = std::min(m_screenshotAtS, m_nowS); // nothing more will come
            checkScreenshot();
            return;
        }
        showError(error); // and run the source instead, so the window is not empty
    }
    load(options.source);
    if (options.autoStart && !screenshotAtStart())
        onStart();
    updateStatus();
}

// A screenshot of the opening state: the run must not start, at any speed (a start at 0 s
// would pass the pause point set for it).
bool MainWindow::screenshotAtStart() const
{
    return m_screenshotPending && m_screenshotAtS <= 0.0;
}

// The picker shows `source`: its entry, or a new one; the compression box follows.
void MainWindow::selectSource(const SimulationSource &source)
{
    int index = -1;
    for (std::size_t i = 0; i < m_choices.size() && index < 0; ++i) {
        const SimulationSource &c = m_choices[i];
        const bool same = c.kind == source.kind
            && (c.kind == SimulationSource::Kind::Scenario ? c.scenario == source.scenario
                                                           : c.tracePath == source.tracePath && c.traceSlice == source.traceSlice);
        if (same)
            index = static_cast<int>(i);
    }
    if (index < 0)
        index = addSourceChoice(sourceLabel(source), source);
    m_sourceBox->setCurrentIndex(index);
    const QSignalBlocker block(m_compressionBox);
    m_compressionBox->setValue(source.compression);
}

int MainWindow::addSourceChoice(const QString &label, const SimulationSource &source)
{
    m_choices.push_back(source);
    m_sourceBox->addItem(label);
    return m_sourceBox->count() - 1;
}

void MainWindow::selectSpeed(double speed)
{
    if (speed != m_speed)
        qCInfo(lcUi).noquote() << "speed" << speedText(speed);
    m_speed = speed;
    int index = m_speedBox->findData(speed);
    if (index < 0) {
        m_speedBox->addItem(speedText(speed), speed);
        index = m_speedBox->count() - 1;
    }
    m_speedBox->setCurrentIndex(index);
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, speed] { w->setSpeed(speed); }, Qt::QueuedConnection);
    updateStatus();
}

void MainWindow::load(const SimulationSource &source)
{
    requestLoad(source, false);
}

void MainWindow::requestLoad(const SimulationSource &source, bool addedChoice)
{
    m_current = source;
    m_pendingLoads.push_back({source, m_sourceBox->currentIndex(), addedChoice});
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, source] { w->load(source); }, Qt::QueuedConnection);
    if (m_running)
        onStart(); // queued after the load: the new run keeps going
}

void MainWindow::setLanes(const QStringList &controllers)
{
    if (controllers.isEmpty() || controllers.size() > kMaxLanes || controllers == lanes())
        return;
    SimulationSource source = m_current;
    source.controllers = controllers;
    load(source);
}

void MainWindow::pauseAt(double tS)
{
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, tS] { w->setPauseAt(tS); }, Qt::QueuedConnection);
}

void MainWindow::onStart()
{
    QMetaObject::invokeMethod(m_worker, &SimulationWorker::start, Qt::QueuedConnection);
}

void MainWindow::onPause()
{
    QMetaObject::invokeMethod(m_worker, &SimulationWorker::pause, Qt::QueuedConnection);
}

void MainWindow::onTogglePause()
{
    if (m_running)
        onPause();
    else
        onStart();
}

void MainWindow::onReset()
{
    if (m_readOnly)
        return;
    if (m_replaying) {
        if (m_replaySource)
            load(*m_replaySource); // the recorded run's source, run again
        return;
    }
    if (!m_hasActive && m_pendingLoads.empty()) {
        requestLoad(m_current, false); // nothing loaded yet: try the load again
        return;
    }
    QMetaObject::invokeMethod(m_worker, &SimulationWorker::reset, Qt::QueuedConnection);
}

void MainWindow::onSpike()
{
    if (m_readOnly)
        return;
    const double multiplier = m_spikeMagnitudeBox->value();
    const double duration = m_spikeDurationBox->value();
    const QString shape = m_spikeShapeBox->currentData().toString();
    qCInfo(lcUi) << "spike x" << multiplier << "for" << duration << "s," << shape << "at" << m_nowS
                 << "s";
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, multiplier, duration, shape] { w->fireSpike(multiplier, duration, shape); },
        Qt::QueuedConnection);
}

void MainWindow::onOpenTrace()
{
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open trace"), QString(),
        QStringLiteral("Traces (*.csv *.txt);;All files (*)"));
    if (!path.isEmpty())
        openTrace(path);
}

void MainWindow::openTrace(const QString &path)
{
    SimulationSource source = m_current;
    source.kind = SimulationSource::Kind::Trace;
    source.tracePath = path;
    source.traceSlice.clear(); // a file opened is played whole
    source.compression = m_compressionBox->value();
    m_sourceBox->setCurrentIndex(addSourceChoice(QFileInfo(path).fileName(), source));
    rememberRecent(path);
    requestLoad(source, true);
}

void MainWindow::onOpenRecordedRun()
{
    RecordedRunsDialog dialog(m_runsFolder.isEmpty() ? runsFolder() : m_runsFolder, this);
    if (dialog.exec() != QDialog::Accepted || dialog.chosenFolder().isEmpty())
        return;
    QString error;
    if (!openRecordedRun(dialog.chosenFolder(), &error))
        showError(error);
}

bool MainWindow::openRecordedRun(const QString &path, QString *error)
{
    QString problem;
    std::optional<RecordedRun> run = loadRecordedRun(path, &problem);
    if (!run) {
        if (error)
            *error = problem;
        return false; // the run shown stays
    }
    showRecordedRun(std::move(*run));
    return true;
}

void MainWindow::showRecordedRun(RecordedRun run)
{
    recordCurrentRun();
    onPause();
    m_replaying = true;
    m_recorded = true;
    m_replaySource = run.source;
    m_replayFolder = run.folder;
    m_history = std::move(run.data);
    if (m_pendingView)
        m_history.notes = m_pendingView->notes; // a workspace's notes on its recorded run
    m_notes = m_history.notes;
    refillEvents();
    rememberRecent(run.folder);
    m_nowS = run.lastS;
    m_durationS = m_history.durationS;
    m_timeAxis->setRunLength(m_durationS);
    m_finished = m_history.state == RunState::Finished;
    m_runFailed = m_history.state == RunState::Stopped;
    m_running = false;
    m_sourceText = QStringLiteral("recorded run ") + QFileInfo(run.folder).fileName();
    setWindowTitle(QString::fromStdString(m_history.title) + QStringLiteral(" (recorded ")
        + run.recorded.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"))
        + QStringLiteral(") - Headroom"));
    m_errorLabel->clear();
    m_timeAxis->followLive();
    qCInfo(lcUi) << "showing the recorded run" << run.folder;
    applyPendingView();
    redraw();
    updateStatus();
    if (!run.notices.isEmpty())
        statusBar()->showMessage(run.notices.join(QStringLiteral("; ")), 15000);
}

void MainWindow::addNote(double tS, const QString &text)
{
    const ComparisonData::Note note {tS, text.simplified().toStdString()};
    const auto at = std::upper_bound(m_notes.begin(), m_notes.end(), tS,
        [](double t, const ComparisonData::Note &n) { return t < n.tS; });
    m_notes.insert(at, note);
    m_history.notes = m_notes;
    const int rows = m_eventModel->rowCount();
    if (rows == 0 || m_eventModel->entry(rows - 1).event.tS <= tS)
        m_eventModel->append({{QStringLiteral("all lanes"), {tS, "note", note.text, {}, false}}}, 1);
    else
        refillEvents(); // a note in the past goes in its place in the list
    qCInfo(lcUi) << "note at" << tS << "s:" << text;
    m_viewTimer->start();
}

void MainWindow::onAddNote()
{
    // The crosshair's time when one is shown (a past moment), else now.
    const double tS = m_view->crosshairVisible() ? m_view->crosshairTime() : m_nowS;
    bool ok = false;
    const QString text = QInputDialog::getText(this, QStringLiteral("Note"),
        QStringLiteral("Note at ") + eventTimeText(tS) + QStringLiteral(", on every lane:"),
        QLineEdit::Normal, QString(), &ok);
    if (ok && !text.trimmed().isEmpty())
        addNote(tS, text);
}

Workspace MainWindow::workspace() const
{
    Workspace w;
    w.source = m_replaying && m_replaySource ? *m_replaySource : m_current;
    if (m_replaying)
        w.replay = m_replayFolder;
    w.speed = m_speed;
    w.windowS = m_timeAxis->windowS();
    if (!m_timeAxis->following())
        w.heldRange = TimeRange {m_timeAxis->x0(), m_timeAxis->x1()};
    w.lockY = m_view->lockY();
    for (int k = 0; k < kChartKinds; ++k)
        w.fixedY[static_cast<std::size_t>(k)] = m_view->fixedYRange(static_cast<ChartKind>(k));
    w.hidden = m_view->hiddenSeries();
    w.eventsShown = m_eventsAction->isChecked();
    w.spike.multiplier = m_spikeMagnitudeBox->value();
    w.spike.durationS = m_spikeDurationBox->value();
    w.spike.shape = m_spikeShapeBox->currentData().toString();
    w.notes = m_notes;
    return w;
}

bool MainWindow::saveWorkspace(const QString &path, QString *error)
{
    if (!ui::saveWorkspace(workspace(), path, error))
        return false;
    m_workspacePath = path;
    rememberRecent(path);
    statusBar()->showMessage(QStringLiteral("workspace saved to ") + path, 5000);
    return true;
}

bool MainWindow::openWorkspace(const QString &path, QString *error)
{
    return openWorkspace(path, std::nullopt, std::nullopt, error);
}

bool MainWindow::openWorkspace(const QString &path, std::optional<Workspace> read,
    std::optional<RecordedRun> run, QString *error)
{
    std::optional<Workspace> w = std::move(read);
    if (!w) {
        // Not read yet: read and checked here, before anything changes.
        w = loadWorkspace(path, error);
        if (!w)
            return false;
        run.reset();
        if (!prepareWorkspace(*w, path, run, error))
            return false;
    }
    m_workspacePath = path;
    rememberRecent(path);
    m_notes = w->notes;
    selectSpeed(w->speed);
    selectWindow(w->windowS);
    m_lockYAction->setChecked(w->lockY);
    for (int k = 0; k < kChartKinds; ++k) {
        const auto kind = static_cast<ChartKind>(k);
        const auto &range = w->fixedY[static_cast<std::size_t>(k)];
        if (range)
            m_view->setFixedYRange(kind, range->min, range->max);
        else
            m_view->clearFixedYRange(kind);
        const QStringList shownHidden = m_view->hiddenSeries()[static_cast<std::size_t>(k)];
        for (const QString &name : shownHidden)
            m_view->setSeriesHidden(kind, name, false);
        for (const QString &name : w->hidden[static_cast<std::size_t>(k)])
            m_view->setSeriesHidden(kind, name, true);
    }
    m_eventsAction->setChecked(w->eventsShown);
    m_spikeMagnitudeBox->setValue(w->spike.multiplier);
    m_spikeDurationBox->setValue(static_cast<int>(w->spike.durationS));
    m_spikeShapeBox->setCurrentIndex(std::max(0, m_spikeShapeBox->findData(w->spike.shape)));
    m_pendingView = *w;
    selectSource(w->source);
    if (run) {
        m_current = w->source;
        showRecordedRun(std::move(*run));
        return true;
    }
    load(w->source);
    return true;
}

void MainWindow::onOpenWorkspace()
{
    if (m_readOnly)
        return;
    const QString path = QFileDialog::getOpenFileName(this, QStringLiteral("Open workspace"),
        m_workspacePath, workspaceFilter() + QStringLiteral(";;All files (*)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!openWorkspace(path, &error))
        showError(error);
}

void MainWindow::onSaveWorkspace()
{
    if (m_workspacePath.isEmpty()) {
        onSaveWorkspaceAs();
        return;
    }
    QString error;
    if (!saveWorkspace(m_workspacePath, &error))
        showError(error);
}

void MainWindow::onSaveWorkspaceAs()
{
    const QString suggested = m_workspacePath.isEmpty()
        ? QString::fromStdString(m_history.title).section(QLatin1Char(','), 0, 0)
            + QStringLiteral(".headroom")
        : m_workspacePath;
    QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Save workspace"), suggested, workspaceFilter());
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix() != QLatin1String(kWorkspaceSuffix))
        path += QStringLiteral(".headroom");
    QString error;
    if (!saveWorkspace(path, &error))
        showError(error);
}

QString MainWindow::recordCurrentRun()
{
    if (m_recorded || m_replaying || m_runsFolder.isEmpty())
        return {};
    const bool hasSamples = std::any_of(m_history.lanes.begin(), m_history.lanes.end(),
        [](const ComparisonData::Lane &lane) { return !lane.samples.empty(); });
    if (!hasSamples)
        return {};
    m_recorded = true;
    m_history.state = runState();
    QString error;
    // A live cluster's run is recorded without a source: it cannot be run again from one.
    const bool rerunnable = m_hasActive && m_active.kind != SimulationSource::Kind::Cluster;
    const QString folder = recordRun(m_history,
        rerunnable ? std::optional<SimulationSource>(m_active) : std::nullopt, &error, m_runsFolder);
    if (folder.isEmpty()) {
        // The run is still on screen and can be exported; only the recording failed.
        if (m_closing)
            qCWarning(lcUi) << "run not recorded:" << error;
        else
            showError(QStringLiteral("run not recorded: ") + error);
        return {};
    }
    m_lastRecorded = folder;
    // Notes the session carries from a longer run fall after this one's end: the recording
    // leaves them out (it would not reopen), and says so.
    const QString leftOut = notesLeftOutText(m_history);
    if (statusBar())
        statusBar()->showMessage(QStringLiteral("recorded to ") + folder
                + (leftOut.isEmpty() ? QString() : QStringLiteral("; ") + leftOut),
            leftOut.isEmpty() ? 5000 : 20000);
    return folder;
}

void MainWindow::onEditScenario()
{
    // A trace has no segments to edit: start from a scenario as long as a short run.
    std::string text = R"({"name": "my-scenario", "duration_s": 300, "segments": [)"
                       R"({"type": "constant", "start_s": 0, "end_s": 300, "rate": 10}]})";
    QString source = QStringLiteral("new scenario");
    if (m_current.kind == SimulationSource::Kind::Scenario) {
        try {
            text = ScenarioEditor::scenarioText(m_current.scenario.toStdString());
            source = m_current.scenario;
        } catch (const std::exception &error) {
            statusBar()->showMessage(QString::fromStdString(error.what()), 10000);
        }
    }
    ScenarioEditor editor(text, source, this);
    if (editor.exec() != QDialog::Accepted || !editor.scenario())
        return;
    // The edited scenario is a file of its own under the application's data folder, so the
    // run, a recorded run and the user can all name it; a new one for each edit, so that a
    // recording made before keeps the scenario it ran.
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/scenarios");
    QString error;
    const QString path = saveEditedScenario(dir, QString::fromStdString(editor.scenario()->name),
        QByteArray::fromStdString(editor.json()), &error);
    if (path.isEmpty()) {
        qCWarning(lcUi) << "edited scenario not saved:" << error;
        statusBar()->showMessage(error, 10000);
        return;
    }
    qCInfo(lcUi) << "edited scenario saved to" << path;
    SimulationSource chosen = m_current;
    chosen.kind = SimulationSource::Kind::Scenario;
    chosen.scenario = path;
    m_sourceBox->setCurrentIndex(addSourceChoice(QFileInfo(path).fileName(), chosen));
    requestLoad(chosen, true);
}

void MainWindow::onLanesMenuShown()
{
    const QStringList chosen = lanes();
    for (QAction *action : std::as_const(m_laneActions)) {
        const QSignalBlocker block(action);
        action->setChecked(chosen.contains(action->text()));
    }
    onLaneToggled();
}

bool MainWindow::lanesChangeable() const
{
    return !m_readOnly && m_current.kind != SimulationSource::Kind::Cluster;
}

void MainWindow::onLaneToggled()
{
    const auto checked = std::count_if(m_laneActions.begin(), m_laneActions.end(),
        [](const QAction *a) { return a->isChecked(); });
    // Showing the menu ticks the lanes again: that must not turn Apply back on where the
    // lanes are off (read-only, or a live cluster's one controller).
    m_applyLanesAction->setEnabled(lanesChangeable() && checked >= 1 && checked <= kMaxLanes);
}

void MainWindow::onApplyLanes()
{
    if (!lanesChangeable())
        return; // as Spike and Reset: a shortcut or a script cannot change them either
    const auto ticked = [this](const QString &name) {
        return std::any_of(m_laneActions.begin(), m_laneActions.end(),
            [&](const QAction *a) { return a->isChecked() && a->text() == name; });
    };
    // Lanes kept stay in their order; new ones join at the right.
    QStringList chosen;
    for (const QString &lane : lanes()) {
        if (ticked(lane))
            chosen.append(lane);
    }
    for (const QAction *action : std::as_const(m_laneActions)) {
        if (action->isChecked() && !chosen.contains(action->text()))
            chosen.append(action->text());
    }
    setLanes(chosen);
}

void MainWindow::onShowEvents(bool shown)
{
    m_view->setTableCompanionVisible(shown);
}

void MainWindow::onResetZoom()
{
    selectWindow(LinkedTimeAxis::kWholeRun);
}

void MainWindow::onZoomIn()
{
    m_timeAxis->zoomAt(0.5, 0.5);
}

void MainWindow::onZoomOut()
{
    m_timeAxis->zoomAt(0.5, 2.0);
}

void MainWindow::onWindowChosen(int index)
{
    selectWindow(m_windowBox->itemData(index).toDouble());
}

// Follows the run with `windowS` (a preset or any other number of seconds).
void MainWindow::selectWindow(double windowS)
{
    m_timeAxis->setWindow(windowS);
}

// The picker shows the window followed, or returned to by Live, however it was chosen (a
// double-click on a chart resets to the whole run).
void MainWindow::showWindowChoice(double windowS)
{
    int index = m_windowBox->findData(windowS);
    if (index < 0) {
        m_windowBox->addItem(windowText(windowS), windowS);
        index = m_windowBox->count() - 1;
    }
    m_windowBox->setCurrentIndex(index);
}

void MainWindow::onFollowingChanged(bool following)
{
    m_liveAction->setChecked(following);
    m_liveAction->setIcon(liveIcon(following));
    updateStatus();
}

void MainWindow::onSourceChosen(int index)
{
    if (index < 0 || index >= static_cast<int>(m_choices.size()))
        return;
    // The lanes, seed and most pods stay what the command line chose; only the traffic changes.
    SimulationSource source = m_choices[static_cast<std::size_t>(index)];
    source.seed = m_current.seed;
    source.maxReplicas = m_current.maxReplicas;
    source.controllers = m_current.controllers;
    source.compression = m_compressionBox->value();
    load(source);
}

void MainWindow::onSpeedChosen(int index)
{
    selectSpeed(m_speedBox->itemData(index).toDouble());
}

void MainWindow::onCompressionChanged()
{
    const double compression = m_compressionBox->value();
    if (m_current.kind != SimulationSource::Kind::Trace || m_current.compression == compression)
        return;
    SimulationSource source = m_current;
    source.compression = compression;
    load(source);
}

void MainWindow::onLoaded(const ComparisonData &skeleton, const QString &source)
{
    recordCurrentRun(); // the run being replaced
    m_replaying = false;
    m_replaySource.reset();
    m_recorded = false;
    if (!m_pendingLoads.empty()) {
        m_active = m_pendingLoads.front().source;
        m_activeChoice = m_pendingLoads.front().choice;
        m_hasActive = true;
        m_pendingLoads.pop_front();
    }
    m_eventModel->clear();
    m_timeAxis->followLive(); // a held range belonged to the run before
    m_history = skeleton;
    m_history.notes = m_notes;
    refillEvents();
    m_sourceText = source;
    setWindowTitle(QString::fromStdString(skeleton.title) + QStringLiteral(" - Headroom"));
    m_nowS = 0.0;
    m_durationS = skeleton.durationS;
    m_timeAxis->setRunLength(m_durationS);
    m_finished = false;
    m_runFailed = false;
    m_errorLabel->clear();
    m_view->setEmptyNote({});
    for (const ComparisonData::Lane &lane : skeleton.lanes) {
        if (!lane.available)
            showError(QString::fromStdString(lane.controller) + QStringLiteral(" unavailable: ")
                + QString::fromStdString(lane.unavailableReason));
    }
    if (m_pendingLoads.empty())
        applyPendingView(); // the workspace's own run, not one asked for before it
    // A live cluster's clock was already going: a screenshot before it would show nothing.
    const double liveFromS = m_active.kind == SimulationSource::Kind::Cluster ? skeleton.durationS - m_active.followS : 0.0;
    if (m_screenshotPending && std::isfinite(m_screenshotAtS) && m_screenshotAtS < liveFromS) {
        const QString why = QStringLiteral("--screenshot-at ") + QString::number(m_screenshotAtS)
            + QStringLiteral(" s is before the live cluster's clock (") + QString::number(liveFromS)
            + QStringLiteral(" s) when the dashboard began following it: nothing would be on it");
        showError(why);
        screenshotRunFailed(why);
    }
    redraw();
    updateStatus();
}

// The events list anew: every lane's events and the notes.
void MainWindow::refillEvents()
{
    m_eventModel->clear();
    // One batch, so the notes fall in time order among the lanes' events.
    std::vector<EventModel::Entry> entries;
    for (const ComparisonData::Lane &lane : m_history.lanes) {
        for (const metrics::LaneEvent &event : lane.events)
            entries.push_back({QString::fromStdString(lane.controller), event});
    }
    for (const metrics::LaneEvent &note : noteEvents(m_history))
        entries.push_back({QStringLiteral("all lanes"), note});
    m_eventModel->append(std::move(entries), static_cast<int>(m_history.lanes.size()));
}

// A workspace's zoom, held still, waits for its run: a new run starts following.
void MainWindow::applyPendingView()
{
    if (!m_pendingView)
        return;
    std::optional<TimeRange> held = m_pendingView->heldRange;
    m_pendingView.reset();
    // A range saved with another run may lie past this one's end: nothing would ever show.
    if (held && m_durationS > 0.0 && held->fromS >= m_durationS) {
        statusBar()->showMessage(QStringLiteral("the workspace's held range (")
                + eventTimeText(held->fromS) + QStringLiteral(" to ") + eventTimeText(held->toS)
                + QStringLiteral(") is past this run's end (") + eventTimeText(m_durationS)
                + QStringLiteral("): following the run instead"),
            10000);
        held.reset();
    } else if (held && m_durationS > 0.0) {
        held->toS = std::min(held->toS, m_durationS);
    }
    if (held) {
        m_timeAxis->setStart(startOfData(m_history));
        m_timeAxis->setExtent(std::max(m_nowS, held->toS), 0.0);
        m_timeAxis->zoomTo(held->fromS, held->toS);
        m_timeAxis->hold();
    }
}

void MainWindow::onLoadFailed(const QString &message)
{
    if (!m_pendingLoads.empty()) {
        const PendingLoad failed = m_pendingLoads.front();
        m_pendingLoads.pop_front();
        revertToActiveSource(failed);
        if (!m_hasActive) {
            // Nothing runs (a live cluster that did not answer at the start): the status bar
            // says what failed to load, and Reset tries it again.
            m_sourceText = failed.source.describe() + QStringLiteral(" (not loaded)");
            m_runFailed = true;
            // The whole message, where the charts would be: the status bar cuts it to a line.
            m_view->setEmptyNote(QStringLiteral("Nothing to show: ") + failed.source.describe()
                + QStringLiteral(" did not load.\n\n") + message
                + QStringLiteral("\n\nReset tries again."));
        }
    }
    showError(message);
    updateStatus();
    if (m_screenshotPending && !m_hasActive) {
        // Nothing loaded (a live cluster that did not answer): no run will reach the
        // screenshot ("cannot read the cluster: GET ...: Connection refused").
        screenshotRunFailed(message);
    }
}

// The pickers show what runs, not what failed to load.
void MainWindow::revertToActiveSource(const PendingLoad &failed)
{
    const int last = m_sourceBox->count() - 1;
    if (failed.addedChoice && failed.choice == last && failed.choice != m_activeChoice) {
        m_sourceBox->removeItem(last);
        m_choices.pop_back();
    }
    if (!m_pendingLoads.empty() || !m_hasActive)
        return; // a later load decides what runs
    m_current = m_active;
    m_sourceBox->setCurrentIndex(m_activeChoice);
    const QSignalBlocker block(m_compressionBox);
    m_compressionBox->setValue(m_active.compression);
}

void MainWindow::onRunFailed(const QString &message)
{
    showError(QStringLiteral("run stopped: ") + message);
    m_runFailed = true;
    updateStatus();
    if (!m_screenshotPending)
        return;
    screenshotRunFailed(QStringLiteral("the run stopped before the screenshot: ") + message);
}

// The run will not reach the screenshot: the window is saved as it is, and the exit code and
// screenshotFailure() say why.
void MainWindow::screenshotRunFailed(const QString &why)
{
    m_screenshotPending = false;
    m_screenshotFailure = why;
    QTimer::singleShot(50, this, &MainWindow::takeScreenshot);
}

void MainWindow::onSnapshot(const SimulationSnapshot &snapshot)
{
    if (m_replaying)
        return; // late news of the live run left behind: a recorded run is shown
    if (std::any_of(snapshot.lanes.begin(), snapshot.lanes.end(),
            [](const SimulationSnapshot::LaneDelta &lane) { return !lane.samples.empty(); }))
        m_sinceSample.start();
    appendSnapshot(m_history, snapshot);
    appendEvents(snapshot);
    m_nowS = snapshot.nowS;
    m_durationS = snapshot.durationS;
    m_timeAxis->setRunLength(m_durationS);
    m_finished = snapshot.finished;
    if (m_finished) {
        m_history.state = RunState::Finished;
        recordCurrentRun();
    }
    scheduleRedraw();
    updateStatus();
    checkScreenshot();
}

void MainWindow::appendEvents(const SimulationSnapshot &snapshot)
{
    std::vector<EventModel::Entry> entries;
    const std::size_t lanes = std::min(snapshot.lanes.size(), m_history.lanes.size());
    for (std::size_t i = 0; i < lanes; ++i) {
        const QString lane = QString::fromStdString(m_history.lanes[i].controller);
        for (const metrics::LaneEvent &event : snapshot.lanes[i].events)
            entries.push_back({lane, event});
    }
    m_eventModel->append(std::move(entries), static_cast<int>(lanes));
}

void MainWindow::onRunningChanged(bool running)
{
    m_running = running;
    if (running)
        m_runFailed = false; // Start tries again
    updateStatus();
}

void MainWindow::scheduleRedraw()
{
    if (!m_redrawTimer->isActive())
        m_redrawTimer->start();
}

void MainWindow::redraw()
{
    m_redrawTimer->stop();
    QElapsedTimer timer;
    timer.start();
    // A forecasting lane's band needs some future on the shared axis, or it has no room.
    m_timeAxis->setStart(startOfData(m_history)); // a live cluster's first reading, not its 0 s
    m_timeAxis->setExtent(m_nowS, forecastLookaheadS(m_history, m_nowS));
    m_view->showData(m_history, m_timeAxis->x0(), m_timeAxis->x1());
    const double updateMs = timer.nsecsElapsed() / 1e6;
    // A frame of 4 lanes at Max, an hour on screen, is about 12 ms (p99 under 20 ms,
    // bench/README.md). The charts paint after this returns, on the update requests it posted; a zero timer
    // fires once they are done, so the whole frame (update, layout, paint) is measured. The
    // next redraw waits twice that: drawing takes at most a third of the GUI thread, and
    // input is answered within a frame, whatever the speed (frame times: bench/README.md).
    QTimer::singleShot(0, this, [this, timer, updateMs] {
        const double frameMs = timer.nsecsElapsed() / 1e6;
        qCDebug(lcUi) << "frame at" << m_nowS << "s took" << frameMs << "ms (update" << updateMs
                      << "ms)";
        m_redrawTimer->setInterval(
            std::clamp(static_cast<int>(2.0 * frameMs), kRedrawDelayMs, kMaxRedrawDelayMs));
    });
}

void MainWindow::updateStatus()
{
    m_sourceLabel->setText(m_sourceText);
    m_speedLabel->setText(m_active.kind == SimulationSource::Kind::Cluster ? QStringLiteral("live")
                                                                           : speedText(m_speed));
    m_timeLabel->setText(progressText(m_nowS, m_durationS));
    updateAge();
    const RunState state = runState();
    m_history.state = state;
    // Redrawn as fast as it goes: aliased charts paint a third faster (bench/README.md);
    // the picture is antialiased again as soon as the run holds still.
    m_view->setFastRendering(m_running && m_speed == 0.0 && !m_replaying);
    m_view->summaryModel()->setRunState(state);
    QString stateText = m_replaying ? QStringLiteral("recorded, ") + runStateText(state)
                                    : runStateText(state);
    if (m_readOnly)
        stateText += QStringLiteral(" (read-only)");
    m_stateLabel->setText(stateText);
    m_viewLabel->setText(QStringLiteral("view: ") + m_timeAxis->describe());
    m_errorLabel->setStyleSheet(QStringLiteral("color: ") + warningColor() + QLatin1Char(';'));
    m_stateLabel->setStyleSheet(
        QStringLiteral("font-weight: bold; color: ") + stateColor(state) + QLatin1Char(';'));
    // Nothing loaded yet (a live cluster that did not answer): nothing to start.
    m_startAction->setEnabled(!m_running && !m_finished && !m_replaying && (m_hasActive || !m_pendingLoads.empty()));
    m_pauseAction->setEnabled(m_running && !m_replaying);
    // A live cluster's load is its own: no spike reaches it.
    m_spikeAction->setEnabled(!m_finished && !m_replaying && !m_readOnly
        && m_current.kind != SimulationSource::Kind::Cluster);
    m_resetAction->setEnabled((!m_replaying || m_replaySource.has_value()) && !m_readOnly);
    m_resetAction->setText(m_replaying ? QStringLiteral("Run again") : QStringLiteral("Reset"));
}

void MainWindow::updateAge()
{
    QString text;
    if (m_replaying)
        text = QStringLiteral("data: recorded");
    else if (!m_sinceSample.isValid())
        text = QStringLiteral("data: none yet");
    else if (!m_running)
        text = QStringLiteral("data: ") + (m_finished ? QStringLiteral("complete") : QStringLiteral("held"));
    else
        text = QStringLiteral("data: ") + QString::number(m_sinceSample.elapsed() / 1000.0, 'f', 1)
            + QStringLiteral(" s old");
    m_ageLabel->setText(text);
}

RunState MainWindow::runState() const
{
    if (m_finished)
        return RunState::Finished;
    if (m_running)
        return RunState::Running;
    if (m_runFailed)
        return RunState::Stopped;
    return m_nowS > 0.0 ? RunState::Paused : RunState::Ready;
}

QString MainWindow::stateText() const
{
    return runStateText(runState());
}

QString MainWindow::sourceChoiceText() const
{
    return m_sourceBox->currentText();
}

QString MainWindow::warningColor() const
{
    const bool dark = isDark(palette());
    return dark ? QStringLiteral("#ff7b6b") : QStringLiteral("#c0392b");
}

QString MainWindow::stateColor(RunState state) const
{
    const bool dark = isDark(palette());
    switch (state) {
    case RunState::Running:
        return dark ? QStringLiteral("#3fd0a0") : QStringLiteral("#009e73");
    case RunState::Finished:
        return dark ? QStringLiteral("#6cb4ff") : QStringLiteral("#0072b2");
    case RunState::Stopped:
        return warningColor();
    case RunState::Paused:
    case RunState::Ready:
        break;
    }
    return dark ? QStringLiteral("#ffa060") : QStringLiteral("#d55e00");
}

void MainWindow::showError(const QString &message)
{
    qCWarning(lcUi) << message;
    // One line in the status bar (a server's error page ran it to two); the whole in the
    // tooltip and the message box.
    const qsizetype newline = message.indexOf(QLatin1Char('\n'));
    m_errorLabel->setText(newline < 0 ? message : message.left(newline) + QStringLiteral(" \u2026"));
    m_errorLabel->setToolTip(message);
    if (m_errorsShown.contains(message))
        return;
    m_errorsShown.insert(message);
    // Window-modal but not blocking: the other lanes keep running behind it.
    auto *box = new QMessageBox(
        QMessageBox::Warning, QStringLiteral("Headroom"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

bool MainWindow::exportTo(const QString &path, QString *error)
{
    const std::optional<ExportFormat> format = exportFormatForPath(path);
    if (!format) {
        if (error)
            *error = QStringLiteral("cannot export ") + path
                + QStringLiteral(": use .png, .svg, .pdf, .csv or .html");
        return false;
    }
    ExportRequest request;
    request.format = *format;
    request.devicePixelRatio = std::max<qreal>(2.0, devicePixelRatioF());
    return exportTo(path, request, error);
}

bool MainWindow::exportTo(const QString &path, const ExportRequest &request, QString *error)
{
    // The pictures show what the dashboard shows: series hidden in the legend stay hidden,
    // and the y axes are locked or fixed as they are here.
    m_history.hiddenSeries = m_view->hiddenSeries();
    m_history.lockY = m_view->lockY();
    for (int k = 0; k < kChartKinds; ++k)
        m_history.fixedY[static_cast<std::size_t>(k)] = m_view->fixedYRange(static_cast<ChartKind>(k));
    return exportComparison(m_history, path, request, visibleRange(), error);
}

TimeRange MainWindow::visibleRange() const
{
    return {m_timeAxis->x0(), m_timeAxis->x1()};
}

void MainWindow::onExport()
{
    double lastS = 0.0;
    for (const ComparisonData::Lane &lane : m_history.lanes) {
        if (!lane.samples.empty())
            lastS = std::max(lastS, lane.samples.back().tS);
    }
    ExportDialog dialog(defaultExportSize(m_history.lanes.size()),
        std::max<qreal>(2.0, devicePixelRatioF()), visibleRange(), lastS, this);
    if (m_lastExport)
        dialog.setRequest(*m_lastExport);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ExportRequest request = dialog.request();
    m_lastExport = request;

    const QString suffix = exportSuffix(request.format);
    const QString filter = exportFilter(request.format);
    const QString suggested
        = QString::fromStdString(m_history.title).section(QLatin1Char(','), 0, 0)
        + (request.format == ExportFormat::ReportHtml || request.format == ExportFormat::ReportPdf
                ? QStringLiteral("-report.")
                : QStringLiteral("."))
        + suffix;
    QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Export comparison"), suggested, filter);
    if (path.isEmpty())
        return;
    // The format chosen decides the file's type, whatever suffix was typed.
    if (QFileInfo(path).suffix().toLower() != suffix)
        path += QLatin1Char('.') + suffix;
    QString error;
    if (exportTo(path, request, &error))
        statusBar()->showMessage(QStringLiteral("exported ") + path, 5000);
    else
        showError(error);
}

void MainWindow::onReport()
{
    const QString html = exportFilter(ExportFormat::ReportHtml);
    const QString pdf = exportFilter(ExportFormat::ReportPdf);
    QString filter = html;
    const QString suggested
        = QString::fromStdString(m_history.title).section(QLatin1Char(','), 0, 0)
        + QStringLiteral("-report.html");
    QString path = QFileDialog::getSaveFileName(
        this, QStringLiteral("Save report"), suggested, html + QStringLiteral(";;") + pdf, &filter);
    if (path.isEmpty())
        return;
    ExportRequest request;
    request.format = filter == pdf ? ExportFormat::ReportPdf : ExportFormat::ReportHtml;
    const QString suffix = exportSuffix(request.format);
    if (QFileInfo(path).suffix().toLower() != suffix)
        path += QLatin1Char('.') + suffix;
    QString error;
    if (exportTo(path, request, &error))
        statusBar()->showMessage(QStringLiteral("report saved to ") + path, 5000);
    else
        showError(error);
}

void MainWindow::checkScreenshot()
{
    if (!m_screenshotPending || (m_nowS < m_screenshotAtS && !m_finished))
        return;
    // A live cluster that does not answer: its clock runs on in seconds with no data. The
    // screenshot waits for an answer, or for the run to stop on the error (onRunFailed).
    if (m_active.kind == SimulationSource::Kind::Cluster && !m_finished && m_history.lanes.size() == 1
        && !m_history.lanes[0].samples.empty() && m_history.lanes[0].samples.back().noData)
        return;
    m_screenshotPending = false;
    redraw();
    // Let the chart layouts settle before grabbing; the run goes on meanwhile.
    QTimer::singleShot(50, this, &MainWindow::takeScreenshot);
}

void MainWindow::takeScreenshot()
{
    m_view->setFastRendering(false); // a picture to keep, whatever the speed
    redraw();
    if (std::isfinite(m_crosshairAtS)) {
        m_view->showCrosshair(static_cast<ChartKind>(m_crosshairChart), m_crosshairAtS);
        if (m_crosshairAtS > m_nowS)
            qCWarning(lcUi).nospace() << "the crosshair's " << m_crosshairAtS
                                      << " s is past the screenshot's " << m_nowS
                                      << " s: it has no values to read";
    }
    // The file's own type where Qt writes it (x.jpg a JPEG), PNG otherwise.
    const QByteArray suffix = QFileInfo(m_screenshotPath).suffix().toLower().toLatin1();
    const bool known = QImageWriter::supportedImageFormats().contains(suffix);
    const bool saved = grab().save(m_screenshotPath, known ? suffix.constData() : "PNG");
    if (std::isfinite(m_screenshotAtS) && m_nowS < m_screenshotAtS)
        qCWarning(lcUi).nospace() << "the run ends at " << m_nowS << " s, before the screenshot's "
                                  << m_screenshotAtS << " s: the screenshot shows its end";
    if (saved)
        qCInfo(lcUi) << "screenshot at" << m_nowS << "s saved to" << m_screenshotPath;
    else
        qCWarning(lcUi) << "cannot write screenshot" << m_screenshotPath;
    if (!saved) {
        const QString unsaved = QStringLiteral("cannot write the screenshot ") + m_screenshotPath;
        m_screenshotFailure = m_screenshotFailure.isEmpty() ? unsaved : m_screenshotFailure + QStringLiteral("; ") + unsaved;
    }
    Q_EMIT screenshotTaken(m_screenshotFailure.isEmpty());
}

} // namespace headroom::ui
