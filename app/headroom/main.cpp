// headroom: the live dashboard. Parses the command line, then hands over to MainWindow.

#include "apptheme.h"
#include "batchexport.h"
#include "cluster/remotelane.h"
#include "control/controllerfactory.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "io/runwriter.h"
#include "io/stopsignals.h"
#include "logging.h"
#include "mainwindow.h"
#include "runrecord.h"
#include "workspace.h"
#include "sim/clusteroverrides.h"
#include "sim/experiment.h"
#include "sim/limits.h"
#include "traffic/arrivalsource.h"
#include "traffic/traceslice.h"
#include "traffic/scenario.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QLockFile>
#include <QIcon>
#include <QSettings>
#include <QTemporaryFile>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <optional>
#include <vector>

using headroom::ui::DashboardOptions;
using headroom::ui::ExportFormat;
using headroom::ui::SimulationSource;

namespace {

constexpr int kExitBadCommandLine = 2;
constexpr int kExitFailed = 1;
const QString kDefaultFormats = QStringLiteral("png,svg,pdf,csv,report");

struct CommandLine
{
    QCommandLineOption scenario {QStringLiteral("scenario"),
        QStringLiteral("Built-in scenario name or scenario file "
                       "(default seed-spike)."),
        QStringLiteral("NAME|FILE"), QStringLiteral("seed-spike")};
    QCommandLineOption trace {QStringLiteral("trace"),
        QStringLiteral("Replay a trace file instead of a scenario."), QStringLiteral("FILE")};
    QCommandLineOption compression {QStringLiteral("compression"),
        QStringLiteral("Trace time compression factor (default 1)."), QStringLiteral("X"),
        QStringLiteral("1")};
    QCommandLineOption controllers {QStringLiteral("controllers"),
        QStringLiteral("Comma-separated lanes (default "
                       "predictive,hpa)."),
        QStringLiteral("LIST"), QStringLiteral("predictive,hpa")};
    QCommandLineOption seed {QStringLiteral("seed"),
        QStringLiteral("Random seed (default: the scenario's)."), QStringLiteral("N")};
    QCommandLineOption maxReplicas {QStringLiteral("max-replicas"),
        QStringLiteral("Most pods of every lane, 1 to ") + QString::number(headroom::sim::kMaxReplicas)
            + QStringLiteral(", at least the scenario's min_replicas (default: the "
                             "scenario's, 20 for traces), as headroom-cli run takes it."),
        QStringLiteral("N")};
    QCommandLineOption speed {QStringLiteral("speed"),
        QStringLiteral("Simulated seconds per second, or max (default 1)."),
        QStringLiteral("X|max"), QStringLiteral("1")};
    QCommandLineOption start {
        QStringLiteral("start"), QStringLiteral("Start running at launch (the default).")};
    QCommandLineOption paused {QStringLiteral("paused"),
        QStringLiteral("Open paused instead of running; not with --start or --screenshot.")};
    QCommandLineOption screenshot {QStringLiteral("screenshot"),
        QStringLiteral("Run, save the window as PNG, then quit (exit 1 if it cannot be "
                       "written)."),
        QStringLiteral("FILE")};
    QCommandLineOption screenshotAt {QStringLiteral("screenshot-at"),
        QStringLiteral("Simulated time of the screenshot (default: "
                       "the end of the run), reached at --speed: add --speed max to get "
                       "there at once."),
        QStringLiteral("SECONDS")};
    QCommandLineOption crosshairAt {QStringLiteral("crosshair-at"),
        QStringLiteral("Show the crosshair and its readout in the screenshot at SECONDS, over "
                       "the latency charts (or :rate, :pods). Needs --screenshot."),
        QStringLiteral("SECONDS[:rate|latency|pods]")};
    QCommandLineOption window {QStringLiteral("window"),
        QStringLiteral("Time window the charts follow: the last SECONDS of the run (the "
                       "toolbar offers 60, 300, 900 and 3600), or all (the default)."),
        QStringLiteral("SECONDS|all"), QStringLiteral("all")};
    QCommandLineOption theme {QStringLiteral("theme"),
        QStringLiteral("Colours: system (the default), light or dark. Exports are always "
                       "light."),
        QStringLiteral("light|dark|system"), QStringLiteral("system")};
    QCommandLineOption exportDir {QStringLiteral("export"),
        QStringLiteral("Batch export without a window: run to the end as fast as it goes (a "
                       "live cluster: follow it for --follow seconds), write the --format files "
                       "into DIR (created if missing), then exit. Ctrl+C stops early and writes."),
        QStringLiteral("DIR")};
    QCommandLineOption replay {QStringLiteral("replay"),
        QStringLiteral("Show a recorded run (its folder or run.json; the dashboard records "
                       "every run) instead of running one; with --export, write its files."),
        QStringLiteral("RUN")};
    QCommandLineOption workspace {QStringLiteral("workspace"),
        QStringLiteral("Open a workspace file (*.headroom: source, lanes, view, notes; File > "
                       "Save workspace writes one); with --export, write its run's files."),
        QStringLiteral("FILE")};
    QCommandLineOption readOnly {QStringLiteral("read-only"),
        QStringLiteral("Watch only: no spikes, resets, source, lane or scenario changes; "
                       "viewing, pausing, notes and exports stay.")};
    QCommandLineOption noRecord {QStringLiteral("no-record"),
        QStringLiteral("Do not record runs (by default each is recorded under the application "
                       "data folder, for File > Open recorded run).")};
    // A live cluster instead of a simulated one (docs/serve.md): as headroom-cli control
    // finds and reads it.
    QCommandLineOption server {QStringLiteral("server"),
        QStringLiteral("Follow a live cluster's Deployment (its Kubernetes API, http or https) instead "
                       "of simulating one; --controllers names the one controller that scales it, or "
                       "watch (none: its own autoscaler, if any, scales it)."),
        QStringLiteral("URL")};
    QCommandLineOption kubeconfig {QStringLiteral("kubeconfig"),
        QStringLiteral("Follow the live cluster of this kubeconfig's context, read as kubectl reads it "
                       "(with --context alone: $KUBECONFIG's files merged, else ~/.kube/config)."),
        QStringLiteral("FILE")};
    QCommandLineOption context {QStringLiteral("context"),
        QStringLiteral("The kubeconfig's context (default its current-context)."), QStringLiteral("NAME")};
    QCommandLineOption tokenFile {QStringLiteral("token-file"),
        QStringLiteral("A live cluster's bearer token (the file's first line)."), QStringLiteral("FILE")};
    QCommandLineOption ns {QStringLiteral("namespace"),
        QStringLiteral("A live cluster's namespace (default the context's, else default)."), QStringLiteral("NS")};
    QCommandLineOption deployment {QStringLiteral("deployment"),
        QStringLiteral("A live cluster's Deployment (default inference)."), QStringLiteral("NAME")};
    QCommandLineOption metrics {QStringLiteral("metrics"),
        QStringLiteral("Where a live cluster's router metrics are scraped: an address's /metrics, "
                       "or a URL with a path as it is (default the API server's /metrics)."),
        QStringLiteral("URL")};
    QCommandLineOption prometheus {QStringLiteral("prometheus"),
        QStringLiteral("Read a live cluster's metrics from this Prometheus server's HTTP API."),
        QStringLiteral("URL")};
    QCommandLineOption prometheusWindow {QStringLiteral("prometheus-window"),
        QStringLiteral("The rates' window in the Prometheus queries (default 30s)."), QStringLiteral("D")};
    QCommandLineOption prometheusTokenFile {QStringLiteral("prometheus-token-file"),
        QStringLiteral("A bearer token for the Prometheus server."), QStringLiteral("FILE")};
    QCommandLineOption query {QStringLiteral("query"),
        QStringLiteral("Replace one Prometheus query (repeatable; keys as headroom-cli control "
                       "--help lists them)."),
        QStringLiteral("KEY=PROMQL")};
    QCommandLineOption follow {QStringLiteral("follow"),
        QStringLiteral("Seconds of a live cluster's clock to follow (default 3600)."), QStringLiteral("SECONDS")};
    QCommandLineOption format {QStringLiteral("format"),
        QStringLiteral("With --export: comma-separated png, svg, pdf, csv, report (HTML), "
                       "report-pdf (default png,svg,pdf,csv,report)."),
        QStringLiteral("LIST"), kDefaultFormats};

    void addTo(QCommandLineParser &parser) const
    {
        parser.addOptions({scenario, trace, compression, controllers, seed, maxReplicas, speed,
            start, paused,
            screenshot, screenshotAt, crosshairAt, window, theme, exportDir, format, replay,
            workspace, readOnly, noRecord, server, kubeconfig, context, tokenFile, ns, deployment,
            metrics, prometheus, prometheusWindow, prometheusTokenFile, query, follow});
    }
    // The options that name a live cluster, with their core option names.
    std::vector<std::pair<const QCommandLineOption *, std::string>> clusterOptions() const
    {
        return {{&server, "--server"}, {&kubeconfig, "--kubeconfig"}, {&context, "--context"},
            {&tokenFile, "--token-file"}, {&ns, "--namespace"}, {&deployment, "--deployment"},
            {&metrics, "--metrics"}, {&prometheus, "--prometheus"}, {&prometheusWindow, "--prometheus-window"},
            {&prometheusTokenFile, "--prometheus-token-file"}, {&query, "--query"}};
    }
};

// What --export asks for: the folder and the files' formats.
struct BatchExport
{
    QString dir;
    std::vector<ExportFormat> formats;
};

// Thrown for a bad argument; the message names the option.
struct BadArgument
{
    QString message;
};

[[noreturn]] void fail(const QString &option, const QString &problem)
{
    throw BadArgument {QStringLiteral("--") + option + QStringLiteral(": ") + problem};
}

double positiveNumber(const QCommandLineParser &parser, const QCommandLineOption &option,
    const QString &expected = QStringLiteral("a positive number"))
{
    bool ok = false;
    const QString text = parser.value(option);
    const double value = text.toDouble(&ok);
    if (!ok || !(value > 0.0) || !std::isfinite(value))
        fail(option.names().first(),
            QStringLiteral("expected ") + expected + QStringLiteral(", got '") + text
                + QLatin1Char('\''));
    return value;
}

double parseSpeed(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (parser.value(cl.speed).compare(QStringLiteral("max"), Qt::CaseInsensitive) == 0)
        return 0.0;
    const QString expected = QStringLiteral("0.1 to 10000 or 'max'");
    const double speed = positiveNumber(parser, cl.speed, expected);
    // Slower would take days to show a minute (a screenshot would never come).
    if (speed < 0.1 || speed > 10000.0)
        fail(QStringLiteral("speed"),
            QStringLiteral("expected ") + expected + QStringLiteral(", got '")
                + parser.value(cl.speed) + QLatin1Char('\''));
    return speed;
}

QStringList parseControllers(const QCommandLineParser &parser, const CommandLine &cl)
{
    QStringList names;
    std::vector<std::string> checked;
    for (const QString &name : parser.value(cl.controllers).split(QLatin1Char(','))) {
        // The dashboard runs its predictive lane on one model; lanes on other models
        // (predictive-LABEL) are headroom-cli's, which has --models.
        if (headroom::control::predictiveModelLabel(name.trimmed().toStdString()))
            fail(QStringLiteral("controllers"),
                QLatin1Char('\'') + name.trimmed()
                    + QStringLiteral("': the dashboard runs one predictive model (HEADROOM_MODEL or "
                                     "models/predictive.pt); to compare models side by side use "
                                     "headroom-cli run --models LABEL=FILE"));
        names.append(name.trimmed());
        checked.push_back(name.trimmed().toStdString());
    }
    try {
        headroom::sim::checkControllerNames(checked);
    } catch (const headroom::InputError &e) {
        // The dashboard has no --models: it does not offer the CLI's labelled lanes.
        fail(QStringLiteral("controllers"),
            QString::fromStdString(e.problem())
                .replace(QStringLiteral(", predictive-LABEL with --models LABEL=FILE"), QString()));
    }
    return names;
}

// --max-replicas N: read by headroom-cli's own rules (sim::ClusterOverrides), so the bounds
// and the wording are the same; whether the scenario's min_replicas allows it is
// sourceProblem's to say.
std::optional<int> parseMaxReplicas(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (!parser.isSet(cl.maxReplicas))
        return std::nullopt;
    headroom::sim::ClusterOverrides overrides;
    try {
        overrides.read("--max-replicas", parser.value(cl.maxReplicas).toStdString());
    } catch (const headroom::InputError &e) {
        fail(QStringLiteral("max-replicas"), QString::fromStdString(e.problem()));
    }
    return overrides.maxReplicas;
}

// The source read now, so a bad row fails here with exit 2, not in a window; the message
// names `option`, or --max-replicas when that is what the source cannot take.
void checkSource(const SimulationSource &source, const QString &option)
{
    QString problemOption;
    const QString problem = headroom::ui::sourceProblem(source, &problemOption);
    if (!problem.isEmpty())
        fail(problemOption.isEmpty() ? option : problemOption, problem);
}

// --server, --kubeconfig and the rest: a live cluster to follow, read as headroom-cli control
// reads it. Nothing is asked of the cluster here: it answers when the window opens.
void refuseBeside(const QCommandLineParser &parser, std::initializer_list<const QCommandLineOption *> own,
    const QString &option, const QString &why);

bool wantsCluster(const QCommandLineParser &parser, const CommandLine &cl)
{
    const auto options = cl.clusterOptions();
    return parser.isSet(cl.follow) || std::any_of(options.begin(), options.end(),
        [&](const auto &o) { return parser.isSet(*o.first); });
}

std::optional<SimulationSource> parseClusterSource(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (!wantsCluster(parser, cl))
        return std::nullopt;
    const auto options = cl.clusterOptions();
    if (!parser.isSet(cl.server) && !parser.isSet(cl.kubeconfig) && !parser.isSet(cl.context)) {
        // --follow alone names itself: the message was about --server, which nobody gave.
        const bool followAlone = parser.isSet(cl.follow) && std::none_of(options.begin(), options.end(),
            [&](const auto &o) { return parser.isSet(*o.first); });
        if (followAlone)
            fail(QStringLiteral("follow"), QStringLiteral("applies to a live cluster only: give --server URL, "
                "--kubeconfig FILE or --context NAME"));
        fail(QStringLiteral("server"), QStringLiteral("a live cluster needs --server URL, --kubeconfig FILE or --context NAME"));
    }
    refuseBeside(parser, {&cl.scenario, &cl.trace, &cl.compression, &cl.seed, &cl.speed}, QStringLiteral("server"),
        QStringLiteral("a live cluster's load and pace are its own"));
    SimulationSource source;
    source.kind = SimulationSource::Kind::Cluster;
    std::vector<std::string> given;
    try {
        for (const auto &[option, name] : options) {
            if (!parser.isSet(*option))
                continue;
            given.push_back(name);
            for (const QString &value : parser.values(*option))
                headroom::cluster::readTargetOption(source.target, name, value.toStdString());
        }
        headroom::cluster::checkTarget(source.target, given);
    } catch (const headroom::InputError &e) {
        fail(QString::fromStdString(e.field()).mid(2), QString::fromStdString(e.problem()));
    }
    // One lane: the controller that scales the cluster, or watch.
    const QStringList controllers = parser.isSet(cl.controllers) ? parser.value(cl.controllers).split(QLatin1Char(','))
                                                                 : QStringList {QStringLiteral("predictive")};
    const QString controller = controllers.first().trimmed();
    if (controllers.size() > 1)
        fail(QStringLiteral("controllers"), QStringLiteral("a live cluster has one controller (or watch): two would fight over its replicas"));
    source.controllers = {controller};
    try {
        headroom::cluster::checkRemoteController("--controllers", controller.toStdString(), true);
        headroom::cluster::checkTargetFor(source.target, controller.toStdString());
    } catch (const headroom::InputError &e) {
        fail(QString::fromStdString(e.field()).mid(2), QString::fromStdString(e.problem()));
    }
    // The files the options name (kubeconfig, token, certificates) are read now, as control
    // reads them: a bad one is a bad command line (exit 2), before any window. Nothing is
    // asked of the cluster here.
    try {
        headroom::cluster::RemoteTarget target = source.target;
        headroom::cluster::openRemoteCluster(target, headroom::sim::ClusterConfig {});
    } catch (const headroom::InputError &e) {
        throw BadArgument {QString::fromStdString(e.what())};
    }
    source.maxReplicas = parseMaxReplicas(parser, cl);
    if (parser.isSet(cl.follow)) {
        bool ok = false;
        source.followS = parser.value(cl.follow).toDouble(&ok);
        if (!ok || !(source.followS >= 1.0) || !(source.followS <= headroom::sim::kMaxDurationS))
            fail(QStringLiteral("follow"), QStringLiteral("expected seconds from 1 to ")
                    + QString::number(headroom::sim::kMaxDurationS) + QStringLiteral(", got '")
                    + parser.value(cl.follow) + QLatin1Char('\''));
    }
    return source;
}

SimulationSource parseSource(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (auto live = parseClusterSource(parser, cl))
        return *live;
    SimulationSource source;
    source.controllers = parseControllers(parser, cl);
    source.maxReplicas = parseMaxReplicas(parser, cl);
    source.compression = positiveNumber(parser, cl.compression);
    if (const auto problem = headroom::traffic::compressionProblem(source.compression))
        fail(QStringLiteral("compression"), QString::fromStdString(*problem));
    if (parser.isSet(cl.compression) && !parser.isSet(cl.trace))
        fail(QStringLiteral("compression"), QStringLiteral("applies to --trace only"));
    if (parser.isSet(cl.seed)) {
        // Digits only, as headroom-cli takes it: toULongLong alone let " 5" and "+5" pass.
        const QString text = parser.value(cl.seed);
        bool ok = !text.isEmpty()
            && std::all_of(text.begin(), text.end(), [](QChar c) { return c.isDigit(); });
        source.seed = ok ? text.toULongLong(&ok) : 0;
        if (!ok)
            fail(QStringLiteral("seed"),
                QStringLiteral("expected a whole number from 0 to 18446744073709551615, got '")
                    + text + QLatin1Char('\''));
    }
    if (parser.isSet(cl.trace)) {
        // One source at a time (headroom-cli run can run a trace on a scenario's cluster).
        if (parser.isSet(cl.scenario))
            fail(QStringLiteral("scenario"), QStringLiteral("cannot be combined with --trace: the "
                                                            "dashboard runs one source"));
        source.kind = SimulationSource::Kind::Trace;
        // A shipped trace is found from anywhere, by its path in the data or its name alone,
        // as headroom-cli finds it.
        if (parser.value(cl.trace).isEmpty())
            fail(QStringLiteral("trace"), QStringLiteral("is empty: give a trace file"));
        // A slice as headroom-cli takes it: FILE@x60@from=72h@hours=72.
        // (The compression is set apart below, as the box beside the picker holds it.)
        headroom::traffic::TraceSpec spec;
        try {
            spec = headroom::traffic::traceOptionSpec(parser.value(cl.trace).toStdString(), std::nullopt);
        } catch (const headroom::InputError &e) {
            fail(QStringLiteral("trace"), QString::fromStdString(e.what()));
        }
        source.tracePath = QFileInfo(QString::fromStdString(spec.path)).absoluteFilePath();
        if (!QFileInfo::exists(source.tracePath))
            fail(
                QStringLiteral("trace"), QStringLiteral("no such file: ") + QString::fromStdString(spec.path));
        for (const QString &option : QString::fromStdString(spec.options).split(QLatin1Char('@'), Qt::SkipEmptyParts)) {
            if (!option.startsWith(QLatin1Char('x'))) {
                source.traceSlice += QLatin1Char('@') + option;
            } else if (parser.isSet(cl.compression)) {
                fail(QStringLiteral("compression"),
                    QStringLiteral("the trace gives its own @") + option + QStringLiteral(": give one of them"));
            }
        }
        if (spec.options.find("@x") != std::string::npos)
            source.compression = spec.compression;
        checkSource(source, QStringLiteral("trace"));
        return source;
    }
    source.scenario = parser.value(cl.scenario);
    checkSource(source, QStringLiteral("scenario"));
    return source;
}

double parseWindow(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (parser.value(cl.window).compare(QStringLiteral("all"), Qt::CaseInsensitive) == 0)
        return 0.0;
    const double windowS
        = positiveNumber(parser, cl.window, QStringLiteral("seconds > 0 or 'all'"));
    if (windowS < 5.0 || windowS > 1e7)
        fail(QStringLiteral("window"),
            QStringLiteral("expected 5 to 1e7 seconds, got '") + parser.value(cl.window)
                + QLatin1Char('\''));
    return windowS;
}

headroom::ui::AppTheme parseTheme(const QCommandLineParser &parser, const CommandLine &cl)
{
    // Without --theme, the one chosen last time (View > Theme).
    if (!parser.isSet(cl.theme)) {
        const QSettings settings(
            headroom::ui::settingsOrganization(), headroom::ui::settingsApplication());
        return headroom::ui::parseAppTheme(settings.value(QStringLiteral("theme")).toString())
            .value_or(headroom::ui::AppTheme::System);
    }
    const auto theme = headroom::ui::parseAppTheme(parser.value(cl.theme));
    if (!theme)
        fail(QStringLiteral("theme"),
            QStringLiteral("expected light, dark or system, got '") + parser.value(cl.theme)
                + QLatin1Char('\''));
    return *theme;
}

// A screenshot needs the run to advance and --start contradicts --paused: both are refused
// rather than guessed at (a paused screenshot would wait forever).
void checkRunMode(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (!parser.isSet(cl.paused))
        return;
    if (parser.isSet(cl.start))
        fail(QStringLiteral("paused"), QStringLiteral("cannot be combined with --start"));
    if (parser.isSet(cl.screenshot))
        fail(QStringLiteral("paused"),
            QStringLiteral("cannot be combined with --screenshot (the run must advance to the "
                           "screenshot; use --screenshot-at 0 for the opening state)"));
}

// Options a file brings its own of (a recorded run, a workspace) are refused next to it.
void refuseBeside(const QCommandLineParser &parser, std::initializer_list<const QCommandLineOption *> own,
    const QString &option, const QString &why)
{
    for (const QCommandLineOption *o : own) {
        if (parser.isSet(*o))
            fail(o->names().first(),
                QStringLiteral("cannot be combined with --") + option + QStringLiteral(" (") + why
                    + QLatin1Char(')'));
    }
}

// --replay: read the run now, so a bad file fails here with exit 2, not in a window.
std::optional<headroom::ui::RecordedRun> parseReplay(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (!parser.isSet(cl.replay))
        return std::nullopt;
    refuseBeside(parser,
        {&cl.scenario, &cl.trace, &cl.compression, &cl.controllers, &cl.seed, &cl.maxReplicas},
        QStringLiteral("replay"), QStringLiteral("a recorded run has its own"));
    refuseBeside(parser, {&cl.start, &cl.paused, &cl.screenshotAt},
        QStringLiteral("replay"),
        QStringLiteral("a recorded run does not run: it is shown whole"));
    if (parser.value(cl.replay).isEmpty())
        fail(QStringLiteral("replay"), QStringLiteral("expected a recorded run's folder or run.json"));
    QString error;
    std::optional<headroom::ui::RecordedRun> run
        = headroom::ui::loadRecordedRun(parser.value(cl.replay), &error);
    if (!run)
        fail(QStringLiteral("replay"), error);
    return run;
}

// --workspace: read it now, so a bad file fails here with exit 2, not in a window.
std::optional<headroom::ui::Workspace> parseWorkspace(const QCommandLineParser &parser,
    const CommandLine &cl, std::optional<headroom::ui::RecordedRun> &run)
{
    if (!parser.isSet(cl.workspace))
        return std::nullopt;
    if (parser.value(cl.workspace).isEmpty())
        fail(QStringLiteral("workspace"), QStringLiteral("expected a workspace file (*.headroom)"));
    refuseBeside(parser,
        {&cl.scenario, &cl.trace, &cl.compression, &cl.controllers, &cl.seed, &cl.maxReplicas,
            &cl.replay, &cl.window},
        QStringLiteral("workspace"), QStringLiteral("the workspace has its own"));
    QString error;
    std::optional<headroom::ui::Workspace> w
        = headroom::ui::loadWorkspace(parser.value(cl.workspace), &error);
    if (!w)
        fail(QStringLiteral("workspace"), error);
    if (!headroom::ui::prepareWorkspace(*w, parser.value(cl.workspace), run, &error))
        fail(QStringLiteral("workspace"), error);
    return w;
}

// A screenshot comes at the end of a run, which may take minutes: its file must be writable
// before then. Checked after every other option, whose mistakes read first.
void checkScreenshotFile(const QString &path)
{
    const QString option = QStringLiteral("screenshot");
    if (path.isEmpty())
        fail(option, QStringLiteral("expected a file"));
    const QFileInfo file(path);
    if (file.isDir())
        fail(option, path + QStringLiteral(": is a folder, not a file"));
    const QString dir = file.absolutePath();
    if (!QFileInfo(dir).isDir())
        fail(option, path + QStringLiteral(": no folder ") + dir);
    QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".headroom-XXXXXX")));
    if (!probe.open() || (file.exists() && !file.isWritable()))
        fail(option, path + QStringLiteral(": cannot write this file"));
}

// An option given twice is a mistake to point out, not a choice of the last one: the
// dashboard would run another scenario than the first one named.
void refuseRepeats(const QCommandLineParser &parser)
{
    const QStringList names = parser.optionNames();
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (names.indexOf(names[i]) != i && names[i] != QLatin1String("query")) // --query KEY=... repeats
            fail(names[i], QStringLiteral("given twice"));
    }
}

DashboardOptions parseOptions(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (!parser.positionalArguments().isEmpty())
        throw BadArgument {QStringLiteral("unexpected argument '")
            + parser.positionalArguments().first() + QLatin1Char('\'')};
    DashboardOptions options;
    if (wantsCluster(parser, cl)) {
        for (const QCommandLineOption *own : {&cl.workspace, &cl.replay}) {
            if (parser.isSet(*own))
                fail(own->names().first(), QStringLiteral("cannot be combined with a live cluster (--server, "
                    "--kubeconfig): the dashboard follows it in its window; headroom-cli control --out "
                    "writes its seconds"));
        }
    }
    if (const auto w = parseWorkspace(parser, cl, options.replayRun)) {
        if (!w->replay.isEmpty())
            refuseBeside(parser, {&cl.start, &cl.paused, &cl.screenshotAt},
                QStringLiteral("workspace"),
                QStringLiteral("its recorded run does not run: it is shown whole"));
        options.workspacePath = parser.value(cl.workspace);
        options.workspace = w; // read and checked: the window and batch export use it as is
        options.source = w->source;
        options.replayPath = w->replay;
        if (!parser.isSet(cl.speed))
            options.speed = w->speed;
    } else if (auto run = parseReplay(parser, cl)) {
        options.replayPath = parser.value(cl.replay);
        if (run->source)
            options.source = *run->source;
        options.replayRun = std::move(run);
    } else {
        options.source = parseSource(parser, cl);
    }
    if (!parser.isSet(cl.noRecord))
        options.runsFolder = headroom::ui::runsFolder();
    options.readOnly = parser.isSet(cl.readOnly);
    options.useSettings = true;
    if (parser.isSet(cl.speed) || options.workspacePath.isEmpty())
        options.speed = parseSpeed(parser, cl);
    options.speedGiven = parser.isSet(cl.speed);
    options.windowS = parseWindow(parser, cl);
    checkRunMode(parser, cl);
    options.autoStart = !parser.isSet(cl.paused);
    if (parser.isSet(cl.screenshotAt) && !parser.isSet(cl.screenshot))
        fail(QStringLiteral("screenshot-at"), QStringLiteral("needs --screenshot FILE"));
    options.screenshotPath = parser.value(cl.screenshot);
    options.screenshotAtS = std::numeric_limits<double>::infinity();
    if (parser.isSet(cl.screenshotAt)) {
        bool ok = false;
        options.screenshotAtS = parser.value(cl.screenshotAt).toDouble(&ok);
        if (!ok || !std::isfinite(options.screenshotAtS) || options.screenshotAtS < 0.0)
            fail(QStringLiteral("screenshot-at"),
                QStringLiteral("expected seconds >= 0, got '") + parser.value(cl.screenshotAt)
                    + QLatin1Char('\''));
    }
    if (parser.isSet(cl.crosshairAt)) {
        if (!parser.isSet(cl.screenshot))
            fail(QStringLiteral("crosshair-at"), QStringLiteral("needs --screenshot FILE"));
        const QString value = parser.value(cl.crosshairAt);
        const QStringList parts = value.split(QLatin1Char(':'));
        static const QStringList kKinds {
            QStringLiteral("rate"), QStringLiteral("latency"), QStringLiteral("pods")};
        bool ok = parts.size() <= 2;
        const double t = ok ? parts[0].toDouble(&ok) : 0.0;
        const int kind = parts.size() == 2 ? static_cast<int>(kKinds.indexOf(parts[1])) : 1;
        if (!ok || !(t >= 0.0) || !(t <= 1e9) || kind < 0)
            fail(QStringLiteral("crosshair-at"),
                QStringLiteral("expected SECONDS >= 0, optionally :rate, :latency or :pods, got '")
                    + value + QLatin1Char('\''));
        options.crosshairAtS = t;
        options.crosshairChart = kind;
    }
    return options;
}

// The folder must take files before a run is spent on it: created if missing, then probed.
// An earlier export's files are replaced; a file of the same name that no export wrote (the
// user's own timeseries.csv or report.html) is not.
void checkExportFolder(const QString &dir, const std::vector<ExportFormat> &formats)
{
    const QString option = QStringLiteral("export");
    if (dir.isEmpty())
        fail(option, QStringLiteral("expected a folder"));
    if (QFileInfo(dir).exists() && !QFileInfo(dir).isDir())
        fail(option, dir + QStringLiteral(": not a folder (a file has that name)"));
    if (!QDir().mkpath(dir))
        fail(option, dir + QStringLiteral(": cannot create folder"));
    // A headroom-cli run's folder (its summary.json, or a run writing there): its timeseries.csv
    // and charts were replaced as an earlier export's, and its summary.json, of another run,
    // stayed beside them (a trial).
    if (QFileInfo::exists(QDir(dir).filePath(QStringLiteral("summary.json"))))
        fail(option, dir + QStringLiteral(" holds a headroom-cli run's results (summary.json): an export there "
                                          "would mix two runs' files (give another folder)"));
    // A run writing there holds its lock; a killed run's is stale, and taken over as run does.
    QLockFile running(QDir(dir).filePath(QLatin1String(headroom::io::kRunLockFile)));
    running.setStaleLockTime(0);
    if (!running.tryLock(0))
        fail(option, dir + QStringLiteral(" is being written by a headroom-cli run: an export there would mix "
                                          "two runs' files (give another folder)"));
    running.unlock();
    for (const ExportFormat format : formats) {
        const QString name = headroom::ui::batchFileName(format);
        const QString path = QDir(dir).filePath(name);
        if (headroom::ui::holdsOthersFile(format, path))
            fail(option, dir + QStringLiteral(" already holds ") + name
                    + QStringLiteral(", which no export wrote: not replaced (give another folder)"));
    }
    QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".headroom-XXXXXX")));
    if (!QFileInfo(dir).isDir() || !probe.open())
        fail(option, dir + QStringLiteral(": cannot write in this folder"));
}

std::optional<BatchExport> parseBatchExport(const QCommandLineParser &parser, const CommandLine &cl)
{
    if (!parser.isSet(cl.exportDir)) {
        if (parser.isSet(cl.format))
            fail(QStringLiteral("format"), QStringLiteral("needs --export DIR"));
        return std::nullopt;
    }
    // A window's options make no sense without one.
    // --window too: a batch export is of the whole run, and a window taken silently as given
    // wrote 900 s when 300 were asked for.
    for (const QCommandLineOption *windowOnly :
        {&cl.screenshot, &cl.screenshotAt, &cl.crosshairAt, &cl.paused, &cl.window}) {
        if (parser.isSet(*windowOnly))
            fail(windowOnly->names().first(), QStringLiteral("cannot be combined with --export"));
    }
    BatchExport batch;
    QString problem;
    const auto formats = headroom::ui::parseExportFormats(parser.value(cl.format), &problem);
    if (!formats)
        fail(QStringLiteral("format"), problem);
    batch.formats = *formats;
    batch.dir = parser.value(cl.exportDir);
    checkExportFolder(batch.dir, batch.formats);
    return batch;
}

// The first signal stops the run, and the files of what it recorded are written: that can take
// a while (NASA July's report-pdf, 40 s), and a Ctrl+C then did nothing. The second quits at
// once, without the files not yet written (each is written whole or not at all).
constexpr const char *kStopping = "\nheadroom: stopping; the files of what was recorded are written next "
                                  "(the same signal again quits without them)\n";

// Writes the files, one "wrote" line each; exit 0, or 1 when the run or a file failed. A
// recorded run (`replayRun`) is written as recorded, without running anything.
int runBatchExport(const DashboardOptions &options, const BatchExport &batch)
{
    QStringList written;
    QString error;
    headroom::ui::ComparisonLook look;
    if (options.workspace) { // read and checked by parseOptions
        look.notes = options.workspace->notes;
        look.hiddenSeries = options.workspace->hidden;
        look.lockY = options.workspace->lockY;
        look.fixedY = options.workspace->fixedY;
    }
    bool ok = false;
    if (options.replayRun) { // read and checked by parseOptions
        ok = headroom::ui::writeBatchExport(
            options.replayRun->data, batch.dir, batch.formats, &written, &error, look);
    } else {
        // Ctrl+C (or a TERM) stops the run where it is, and what it recorded is written: a
        // live cluster is followed at its own pace, and is often stopped so.
        double stoppedAtS = 0.0;
        {
            const headroom::io::StopSignals signals(kStopping);
            ok = headroom::ui::runBatchExport(options.source, batch.dir, batch.formats, &written,
                &error, look, &headroom::io::StopSignals::received(), &stoppedAtS);
        }
        if (!std::isnan(stoppedAtS))
            std::fprintf(stderr, "headroom: stopped at %.0f s by a signal; the files hold what was recorded until then\n", stoppedAtS);
    }
    for (const QString &path : std::as_const(written))
        std::printf("wrote %s\n", qPrintable(path));
    if (ok)
        return 0;
    std::fprintf(stderr, "headroom: --export: %s\n", qPrintable(error));
    return kExitFailed;
}

// Batch export draws offscreen: it must not need a display. Decided before QApplication
// exists, so from the raw arguments; an explicit QT_QPA_PLATFORM is left alone.
bool wantsBatchExport(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--export") == 0 || std::strncmp(argv[i], "--export=", 9) == 0)
            return true;
    }
    return false;
}

int badCommandLine(const QString &message)
{
    std::fprintf(stderr, "headroom: %s\nTry 'headroom --help'.\n", qPrintable(message));
    return kExitBadCommandLine;
}

} // namespace

int main(int argc, char *argv[])
{
    // Without a display the window cannot open, but --help, --version, batch export, a
    // screenshot and the command line's own errors still work: they need no screen.
    const bool noDisplay = !qEnvironmentVariableIsSet("QT_QPA_PLATFORM")
        && qEnvironmentVariableIsEmpty("DISPLAY") && qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY");
    if ((noDisplay || wantsBatchExport(argc, argv)) && !qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    headroom::ui::muteOffscreenPlatformNotices();
    QApplication::setApplicationName(QStringLiteral("headroom"));
    QApplication::setApplicationDisplayName(QStringLiteral("Headroom"));
    QApplication::setApplicationVersion(QStringLiteral(HEADROOM_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("headroom"));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/headroom.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Predictive versus reactive autoscaling, live, side by side."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version = parser.addVersionOption();
    const CommandLine cl;
    cl.addTo(parser);
    if (!parser.parse(QApplication::arguments()))
        return badCommandLine(parser.errorText());
    if (parser.isSet(help))
        parser.showHelp(0);
    if (parser.isSet(version))
        parser.showVersion();

    DashboardOptions options;
    headroom::ui::AppTheme theme = headroom::ui::AppTheme::System;
    std::optional<BatchExport> batch;
    try {
        refuseRepeats(parser);
        options = parseOptions(parser, cl);
        theme = parseTheme(parser, cl);
        options.theme = theme;
        batch = parseBatchExport(parser, cl);
        if (parser.isSet(cl.screenshot))
            checkScreenshotFile(options.screenshotPath);
    } catch (const BadArgument &bad) {
        return badCommandLine(bad.message);
    }
    if (batch)
        return runBatchExport(options, *batch);
    if (noDisplay && options.screenshotPath.isEmpty())
        return badCommandLine(QStringLiteral(
            "no display (DISPLAY and WAYLAND_DISPLAY are not set): run headroom in a desktop "
            "session, or write files without a window with --export DIR or --screenshot FILE"));
    headroom::ui::applyAppTheme(theme);

    headroom::ui::MainWindow window(options);
    if (!options.screenshotPath.isEmpty()) {
        // A failure is said as --export says it, on a headroom: line (a live cluster that
        // could not be read ended with log lines alone, a trial found).
        QObject::connect(&window, &headroom::ui::MainWindow::screenshotTaken, &app, [&window](bool saved) {
            if (!saved)
                std::fprintf(stderr, "headroom: --screenshot: %s\n", qPrintable(window.screenshotFailure()));
            QApplication::exit(saved ? 0 : 1);
        });
    }
    window.show();
    qCInfo(lcApp) << "headroom" << HEADROOM_VERSION << "showing" << options.source.describe();
    return QApplication::exec();
}
