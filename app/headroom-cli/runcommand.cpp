#include "runcommand.h"

#include "cliargs.h"
#include "io/paths.h"

#include "comparisonexport.h"
#include "control/controllerfactory.h"
#include "exportformat.h"
#include "io/inputerror.h"
#include "io/runwriter.h"
#include "io/stopsignals.h"
#include "io/sweepreport.h"
#include "io/writelock.h"
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/jsonfields.h"
#include "traffic/scenario.h"
#include "traffic/timestamp.h"

#include <QElapsedTimer>
#include <QString>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cstdio>
#include <set>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <optional>
#include <sstream>

using namespace headroom;

namespace {

struct RunOptions
{
    std::string scenario;
    std::string trace;
    double compression = 1.0;
    bool compressionGiven = false;
    std::vector<std::string> controllers {"predictive", "hpa"};
    std::optional<std::uint64_t> seed;
    std::optional<double> duration;
    std::string out;
    std::string model;
    ModelList models; // --models LABEL=FILE,...: the predictive-LABEL lanes
    ClusterOverrides cluster;
    LoadedModels loaded; // the model files, read once when checked
};

RunOptions parseRunOptions(const std::vector<std::string> &written)
{
    OptionReader options(written);
    RunOptions o;
    bool outGiven = false;
    while (options.next()) {
        const std::string &a = options.option();
        o.compressionGiven = o.compressionGiven || a == "--compression";
        const auto value = [&]() -> const std::string & { return options.value(); };
        if (a == "--scenario")
            o.scenario = nonEmpty(a, value());
        else if (a == "--trace")
            o.trace = nonEmpty(a, value());
        else if (a == "--compression")
            o.compression = parseNumber(a, value());
        else if (a == "--controllers")
            o.controllers = splitList(a, value());
        else if (a == "--seed")
            o.seed = parseSeed(a, value());
        else if (a == "--duration")
            o.duration = parseDuration(a, value());
        else if (a == "--out") {
            o.out = value();
            outGiven = true;
        }
        else if (a == "--model")
            o.model = nonEmpty(a, value());
        else if (a == "--models")
            o.models = parseModels(a, value());
        else if (a == "--preset" || a == "--max-replicas")
            o.cluster.read(a, value());
        else
            throw badOption(a, "unknown option (see headroom-cli --help)");
    }
    if (o.out.empty())
        throw badOption("--out",
            outGiven ? "is empty: give the folder to write the results to"
                     : "is required: the folder to write the results to");
    // A file where the folder should be is a bad command line (exit 2), as sweep has it;
    // a folder that cannot be made or written is a failed run (exit 1, below).
    if (std::error_code ec; std::filesystem::exists(o.out, ec)
        && !std::filesystem::is_directory(o.out, ec))
        throw badOption("--out", o.out + ": not a folder (a file has that name)");
    if (o.scenario.empty() && o.trace.empty())
        throw badOption("--scenario", "give a scenario (or --trace FILE)");
    if (const auto problem = traffic::compressionProblem(o.compression))
        throw badOption("--compression", *problem);
    if (o.compressionGiven && o.trace.empty())
        throw badOption("--compression", "applies to --trace only; a scenario's times are its own");
    sim::checkControllerNames(o.controllers, modelMap(o.models));
    checkModelsUsed(o.models, o.controllers);
    checkModelFiles(o.model, o.models, &o.loaded);
    return o;
}

std::unique_ptr<sim::Experiment> buildExperiment(const RunOptions &o)
{
    sim::ExperimentConfig config;
    config.controllers = o.controllers;
    config.modelPath = o.model;
    config.models = modelMap(o.models);
    config.loadedModels = o.loaded;
    std::unique_ptr<traffic::ArrivalSource> arrivals;
    if (!o.scenario.empty()) {
        traffic::Scenario scenario = traffic::resolveScenario(o.scenario);
        traffic::applyOverrides(o.cluster, scenario);
        config.name = scenario.name;
        config.seed = o.seed.value_or(scenario.seed);
        config.cluster = scenario.cluster;
        config.durationS = o.duration.value_or(o.trace.empty() ? scenario.durationS : 0.0);
        if (o.trace.empty()) {
            checkDurationWithin(o.duration, scenario);
            traffic::Scenario seeded = scenario;
            seeded.seed = config.seed;
            arrivals = std::make_unique<traffic::ScenarioArrivals>(seeded);
        }
    } else {
        config.seed = o.seed.value_or(1);
        config.durationS = o.duration.value_or(0.0);
        o.cluster.applyTo(config.cluster);
    }
    if (!o.trace.empty()) {
        // Shipped traces are found from anywhere, and sliced, as sweep finds and slices them.
        const traffic::LoadedTrace trace
            = readTraceOption(o.trace, o.compressionGiven ? std::optional(o.compression) : std::nullopt);
        // Named as a sweep names its sources: the file, its slice and its compression.
        config.name = std::filesystem::path(trace.spec.path).filename().string() + trace.spec.options
            + (o.compressionGiven && o.compression != 1.0 ? "@x" + traffic::numberText(o.compression) : std::string());
        arrivals = traffic::makeArrivals(trace, config.cluster, config.seed);
    }
    return std::make_unique<sim::Experiment>(config, std::move(arrivals));
}

// Whole numbers whole (2381520 s, not 2.38152e+06), others to six digits: an SLO of
// 0.001 ms read "SLO 0 ms" at no decimals.
std::string shortNumber(double value)
{
    char text[32];
    if (value == std::round(value) && std::abs(value) < 1e15)
        std::snprintf(text, sizeof text, "%.0f", value);
    else
        std::snprintf(text, sizeof text, "%.6g", value);
    return text;
}

// The first SIGINT or SIGTERM stops the run at the second it has reached, and the files of
// what ran are written (Ctrl+C lost a run of hours, only the lock left); the same signal
// again quits at once, without the files not yet written (each is written whole or not at
// all), as the dashboard's --export and control do.
constexpr const char *kStopping = "\nheadroom-cli run: stopping; the files of what ran are written "
                                  "next (the same signal again quits without them)\n";

using io::signalName;

// summary.json with what a run stopped early ran: duration_s is the seconds that ran, and
// stopped_early says so, with the length asked for, so the file is not read as a whole run.
std::string stoppedSummaryJson(const metrics::RunSummary &summary, double askedS, int signal)
{
    nlohmann::json j = nlohmann::json::parse(io::summaryJson(summary));
    j["stopped_early"] = {{"at_s", summary.durationS}, {"duration_asked_s", askedS},
        {"by", signalName(signal)}};
    return j.dump(2) + "\n";
}

// `stoppedOfS`: the length asked for, when the run was stopped early (its summary's is what
// ran); NaN for a whole run.
void printSummary(const metrics::RunSummary &s, double stoppedOfS, std::ostream &out)
{
    out << s.scenario << " (" << s.source << "), seed " << s.seed << ", "
        << (std::isnan(stoppedOfS) ? shortNumber(s.durationS)
                                   : "stopped early at " + shortNumber(s.durationS) + " of "
                    + shortNumber(stoppedOfS))
        << " s, SLO " << shortNumber(s.sloLatencyMs) << " ms\n";
    int width = 12; // "predictive-LABEL" lanes may need more
    for (const auto &l : s.lanes)
        width = std::max(width, static_cast<int>(l.controller.size()) + 2);
    out << std::left << std::setw(width) << "lane" << std::right << std::setw(10) << "requests"
        << std::setw(10) << "slo_viol" << std::setw(10) << "p95_ms" << std::setw(10) << "p99_ms"
        << std::setw(12) << "pod_s" << std::setw(10) << "peak\n";
    for (const auto &l : s.lanes) {
        out << std::left << std::setw(width) << l.controller << std::right;
        if (!l.available) {
            out << "  unavailable: " << l.unavailableReason << "\n";
            continue;
        }
        // No latency when nothing completed: "-", as summary.json has null (not "nan").
        const auto ms = [](double v) {
            std::ostringstream text;
            if (std::isfinite(v))
                text << std::fixed << std::setprecision(0) << v;
            else
                text << "-";
            return text.str();
        };
        out << std::setw(10) << l.requests << std::setw(10) << l.sloViolations << std::setw(10)
            << ms(l.latencyP95Ms) << std::setw(10) << ms(l.latencyP99Ms) << std::fixed
            << std::setprecision(0) << std::setw(12) << l.podSeconds << std::setw(9) << l.peakPods
            << std::defaultfloat
            // Its numbers are the fallback's: a row like the others read as the model's.
            << (l.modelError.empty() ? "" : "  no model: ran its reactive rule") << "\n";
    }
    // The reference is the cheapest schedule that meets the SLO only where it has the fewest
    // violations; its plan can fall short (clairvoyantcontroller.cpp), and a cost ratio
    // against it would then flatter every lane.
    if (const auto shortfall = io::clairvoyantShortfall(s.lanes))
        out << "note: the clairvoyant lane is not the limit here: " << shortfall->clairvoyantViolations
            << " SLO violations against " << shortfall->fewestLane << "'s " << shortfall->fewestViolations
            << "; its plan fell short on this cluster, so pod-seconds against it are no cost target\n";
}

} // namespace

bool isEarlierRunFile(const std::filesystem::path &path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return false;
    const std::string name = path.filename().string();
    if (name == "summary.json") {
        std::ifstream in(path, std::ios::binary);
        std::string head(4096, '\0');
        in.read(head.data(), static_cast<std::streamsize>(head.size()));
        head.resize(static_cast<std::size_t>(in.gcount()));
        return head.find("\"duration_s\"") != std::string::npos && head.find("\"lanes\"") != std::string::npos;
    }
    // The others are what an export writes, judged as the dashboard's --export judges them.
    const QString file = QString::fromStdString(path.string());
    if (name == "timeseries.csv")
        return ui::isEarlierExport(ui::ExportFormat::Csv, file);
    if (name == "comparison.png")
        return ui::isEarlierExport(ui::ExportFormat::Png, file);
    return ui::isEarlierExport(ui::ExportFormat::Svg, file); // comparison.svg
}

// Runs the experiment to its end, or until `stop` is set, saying how far it got every
// HEADROOM_PROGRESS_S seconds of the wall clock (default 10; 0: after every chunk): a month
// of trace, or a scenario of 50,000 req/s for days, printed nothing for hours and read as a
// hang (a new-user trial). A run is the same however it is chunked. Then it says that the
// files come next when they may take a while: the run said how far it got, took 5 s or
// more, or writes 100,000 samples or more (NASA July's two lanes ran in 9 s, unsaid, and
// their files took 20 s more without a word).
void runSayingHowFar(sim::Experiment &experiment, const std::atomic<int> &stop, std::ostream &err)
{
    constexpr double kChunkS = 10.0; // simulated seconds between looks at the clock
    double everyS = 10.0;
    if (!qEnvironmentVariableIsEmpty("HEADROOM_PROGRESS_S")) {
        bool ok = false;
        const double given = qEnvironmentVariable("HEADROOM_PROGRESS_S").toDouble(&ok);
        if (ok && given >= 0.0 && std::isfinite(given))
            everyS = given;
        else
            err << "note: HEADROOM_PROGRESS_S='" << qEnvironmentVariable("HEADROOM_PROGRESS_S").toStdString()
                << "' is not a number of seconds from 0: progress every 10 s\n";
    }
    QElapsedTimer wall;
    wall.start();
    double saidAtS = 0.0;
    const double durationS = experiment.durationS();
    bool said = false;
    while (!experiment.finished() && stop == 0) {
        experiment.advanceTo(std::min(experiment.nowS() + kChunkS, durationS));
        const double elapsedS = static_cast<double>(wall.elapsed()) / 1000.0;
        if (experiment.finished() || stop != 0)
            continue;
        if (elapsedS - saidAtS < everyS)
            continue;
        said = true;
        saidAtS = elapsedS;
        const double done = experiment.nowS() / durationS;
        err << "running: " << shortNumber(experiment.nowS()) << " of " << shortNumber(durationS)
            << " simulated s (" << QString::number(100.0 * done, 'f', 1).toStdString() << " %), "
            << traffic::describeSpan(elapsedS) << " so far, about "
            << traffic::describeSpan(elapsedS * (1.0 - done) / std::max(done, 1e-9)) << " left\n";
        err.flush();
    }
    const double elapsedS = static_cast<double>(wall.elapsed()) / 1000.0;
    const double samples = experiment.nowS() * static_cast<double>(experiment.lanes().size());
    if (stop != 0) {
        err << "running: stopped by " << signalName(stop) << " at " << shortNumber(experiment.nowS())
            << " of " << shortNumber(durationS) << " simulated s, after "
            << traffic::describeSpan(elapsedS)
            << (experiment.nowS() > 0.0 ? "; writing what ran to timeseries.csv, comparison.png, "
                                          "comparison.svg and summary.json"
                                        : "; nothing ran, so no files are written")
            << "\n";
    } else if (said || elapsedS >= 5.0 || samples >= 100'000.0) {
        // The files of a long run take a while too (a 3,000,000 s run's CSV: 10 s).
        err << "running: done in " << traffic::describeSpan(elapsedS)
            << "; writing timeseries.csv, comparison.png, comparison.svg and summary.json\n";
    }
    err.flush();
}

int runRunCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    // From the start: a Ctrl+C while the trace loads stops the run before it begins (held
    // from the simulation on, one in the first half second was lost to the process's
    // inherited handling, a trial found).
    const io::StopSignals signals(kStopping);
    RunOptions options;
    std::unique_ptr<sim::Experiment> experiment;
    try {
        options = parseRunOptions(args);
        experiment = buildExperiment(options);
    } catch (const InputError &e) {
        err << "headroom-cli run: " << e.what() << "\n";
        return 2;
    }

    // The folder must take files before the run is spent on it.
    namespace fs = std::filesystem;
    std::error_code ec;
    // An earlier run's files are replaced, and said to be; any other file (a sweep's results,
    // a recording, the user's own) is not written among.
    std::vector<std::string> earlierFiles;
    // Another command writing the folder is said before its files are looked at: they read as
    // files run does not write, with advice to empty the folder (a second trial).
    const std::string lockPath = (fs::path(options.out) / io::kRunLockFile).string();
    const auto beingWritten = [&](const std::string &holder) {
        err << "headroom-cli run: " << options.out << " is being written by another run" << holder
            << ": give another --out, or wait for it to end\n";
        return 2;
    };
    if (const auto holder = io::WriteLock::holderOf(lockPath))
        return beingWritten(*holder);
    if (fs::is_directory(options.out, ec)) {
        for (const fs::directory_entry &entry : fs::directory_iterator(options.out, ec)) {
            const std::string name = entry.path().filename().string();
            if (name == "summary.json" || name == "timeseries.csv" || name == "comparison.png"
                || name == "comparison.svg") {
                // By what it holds, not its name alone: the user's own timeseries.csv is not replaced.
                if (!isEarlierRunFile(entry.path())) {
                    err << "headroom-cli run: " << options.out << " already holds " << name
                        << ", which is not an earlier run's: give a new or empty --out folder\n";
                    return 2;
                }
                earlierFiles.push_back(name);
                continue;
            }
            if (name == ".headroom-probe" || name == io::kRunLockFile)
                continue; // the write check's own, left by a run that was killed; the lock's
            err << "headroom-cli run: " << options.out << " already holds " << name
                << ", which run does not write: give a new or empty --out folder (or one with an "
                   "earlier run's results, which are replaced)\n";
            return 2;
        }
    }
    fs::create_directories(options.out, ec);
    if (ec || !fs::is_directory(options.out)) {
        err << "headroom-cli run: " << options.out << ": cannot create folder"
            << (ec ? " (" + ec.message() + ")" : std::string(" (a file has that name)")) << "\n";
        return 1;
    }
    // One run writes a folder at a time: two runs given the same new --out both passed its
    // check and each wrote its files over the other's, a summary of one beside the other's
    // timeseries, both exit 0 (a new-user trial). The lock goes with this process.
    io::WriteLock lock(lockPath);
    if (!lock.tryLock() && lock.heldByAnother())
        return beingWritten(lock.holder());
    {
        // A probe file, quietly: the results are what the log reports writing.
        const fs::path probe = fs::path(options.out) / ".headroom-probe";
        const bool writable = std::ofstream(probe).good();
        fs::remove(probe, ec);
        if (!writable) {
            err << "headroom-cli run: " << options.out << ": cannot write in this folder\n";
            return 1;
        }
    }

    // Named, as they may be an export's or a killed run's rather than a whole earlier run; said
    // only once the folder is this run's: it came before the lock's refusal, and a run refused
    // as another was writing the folder said first that it was replacing that run's files.
    if (!earlierFiles.empty()) {
        std::sort(earlierFiles.begin(), earlierFiles.end());
        err << "note: replacing the earlier Headroom files in " << options.out << ":";
        for (const std::string &name : earlierFiles)
            err << " " << name;
        err << "\n";
    }

    for (const std::string &note : experiment->notes())
        err << "note: " << note << "\n";
    // A predictive lane without its model runs its reactive rule throughout: its row read as
    // the model's, said only by a log line and model_error in summary.json (a new-user trial).
    for (const auto &lane : experiment->lanes()) {
        const std::string &name = lane->controller();
        const metrics::LaneSummary laneSummary = lane->summary();
        if (laneSummary.modelError.empty())
            continue;
        const std::string file = modelOrigin(name, options.model, options.models);
        err << "note: the " << name << " lane has no model, " << (file.empty() ? "its file" : file)
            << " could not be loaded (" << laneSummary.modelError
            << "): it runs its reactive rule throughout, so its numbers are the fallback's, not "
               "a model's (model_error in summary.json)\n";
    }
    const double traceEndS = std::ceil(experiment->arrivals().durationS());
    if (!options.trace.empty() && options.duration && *options.duration > traceEndS)
        err << "note: --duration " << traffic::numberText(*options.duration) << " s runs past the trace's end at "
            << traceEndS
            << " s: the seconds after it have no data (no_data 1 in timeseries.csv), not zero "
               "traffic\n";
    if (!options.scenario.empty() && !options.trace.empty())
        err << "note: the trace runs on the cluster (service times, pods, SLO) and seed of scenario "
            << options.scenario << ", not its traffic\n";
    runSayingHowFar(*experiment, io::StopSignals::received(), err);
    const int stoppedBy = io::StopSignals::received();
    // An interrupted run's exit code, as a shell gives a process the signal ended: 130 for
    // SIGINT, 143 for SIGTERM; its files hold what ran (docs: README.md, run).
    const int stoppedExit = 128 + stoppedBy;
    const double askedS = experiment->durationS();
    if (stoppedBy != 0) {
        if (experiment->nowS() <= 0.0)
            return stoppedExit;
        experiment->stopHere();
    }
    const double stoppedOf = stoppedBy != 0 ? askedS : std::nan("");
    const metrics::RunSummary summary = experiment->summary();
    printSummary(summary, stoppedOf, out);
    // Under-provisioning against a capped clairvoyant lane reads low: said, as summary.json has it.
    for (const metrics::LaneSummary &lane : summary.lanes) {
        if (lane.referenceCappedSeconds > 0.0) {
            err << "note: reference capped at " << lane.referenceCapPods << " pods for "
                << lane.referenceCappedSeconds
                << " s: the clairvoyant lane held max_replicas while the load needed more, so "
                   "under-provisioning against it reads low in those seconds\n";
            break;
        }
    }

    try {
        const fs::path dir(options.out);
        // summary.json comes last: a folder holding it is a finished run's (a run killed while
        // writing left a summary beside no timeseries.csv, which read as done).
        std::vector<io::LaneSeries> series;
        for (const auto &lane : experiment->lanes())
            series.push_back({lane->controller(), &lane->samples()});
        io::writeTimeseriesCsv(series, (dir / "timeseries.csv").string());

        // The run is done (its summary taken above): the pictures get its samples, not a copy.
        const ui::ComparisonData data = ui::takeComparison(*experiment);
        QString error;
        // Wider with more lanes, as the dashboard's export: nine lanes in 1600 px cut their
        // legends mid-word.
        const QSize size = ui::defaultExportSize(data.lanes.size());
        if (!ui::exportComparisonPng(data, QString::fromStdString((dir / "comparison.png").string()),
                                     size, 2.0, &error)
            || !ui::exportComparisonSvg(data,
                                        QString::fromStdString((dir / "comparison.svg").string()),
                                        size, &error)) {
            err << "headroom-cli run: " << error.toStdString() << "\n";
            return 1;
        }
        if (stoppedBy != 0)
            io::writeFileAtomically(
                (dir / "summary.json").string(), stoppedSummaryJson(summary, askedS, stoppedBy));
        else
            io::writeSummaryJson(summary, (dir / "summary.json").string());
    } catch (const std::exception &e) {
        err << "headroom-cli run: " << e.what() << "\n";
        return 1;
    }
    out << "wrote summary.json, timeseries.csv, comparison.png, comparison.svg to "
        << options.out << "\n";
    if (stoppedBy != 0) {
        err << "headroom-cli run: stopped early by " << signalName(stoppedBy) << " at "
            << shortNumber(summary.durationS) << " of " << shortNumber(askedS)
            << " s: the files hold the seconds that ran, not a whole run (stopped_early in "
               "summary.json)\n";
        return stoppedExit;
    }
    if (io::StopSignals::received() != 0) {
        err << "note: " << signalName(io::StopSignals::received())
            << " came after the run had finished: the files hold the whole run\n";
    }
    return 0;
}

int runScenariosCommand(const std::vector<std::string> &args, std::ostream &out,
                        std::ostream &err)
{
    if (!args.empty()) {
        err << "headroom-cli scenarios: unexpected argument '" << args.front() << "'\n";
        return 2;
    }
    for (const std::string &name : traffic::builtinScenarioNames()) {
        const traffic::Scenario s = traffic::builtinScenario(name);
        out << std::left << std::setw(18) << name << std::right << std::setw(6) << s.durationS
            << " s  " << s.description << "\n";
    }
    return 0;
}
