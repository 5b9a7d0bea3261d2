#include "sweepcommand.h"

#include "cliargs.h"

#include "control/controllerfactory.h"
#include "forecast/forecaster.h"
#include "forecast/modelmetadata.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "io/runwriter.h"
#include "io/sweepreport.h"
#include "io/writelock.h"
#include "sim/experiment.h"
#include "sweepchart.h"
#include "traffic/arrivalsource.h"
#include "traffic/jsonfields.h"
#include "traffic/scenario.h"
#include "traffic/textfile.h"
#include "traffic/traceslice.h"

#include <QString>
#include <algorithm>
#include <cstdlib>
#include <atomic>
#include <cctype>
#include <charconv>
#include <cmath>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

using namespace headroom;
namespace fs = std::filesystem;

namespace {

constexpr const char *kJobIndex = "$(JOB_COMPLETION_INDEX)";

struct SweepOptions
{
    std::vector<std::string> scenarios;
    std::vector<std::string> traces;
    std::vector<std::string> controllers {"predictive", "hpa"};
    bool controllersGiven = false;
    int seeds = 0;
    int jobs = 0;
    std::optional<double> duration;
    std::string out;
    std::string model;
    ModelList models; // --models LABEL=FILE,...: the predictive-LABEL lanes
    bool emitJob = false;
    int parallelism = 4;
    std::string image = "headroom:latest";
    std::optional<long> index;
    std::vector<std::string> merge;
    ClusterOverrides cluster;
    // Filled before the runs start: every model file read once, and what each predictive lane
    // runs on (recorded with every run; a merge compares it).
    LoadedModels loaded;
    std::map<std::string, io::LaneModel> laneModels;
};

// A scenario or a (sliced) trace, resolved and loaded once for all its seeds.
struct Source
{
    std::string label;
    std::string spec; // as given on the command line
    std::optional<traffic::Scenario> scenario; // its cluster already has the overrides
    std::shared_ptr<const traffic::LoadedTrace> trace;
    // The cluster of every run: the scenario's (or the defaults for a trace), then
    // --preset/--max-replicas, then the entry's own @preset=/@max-replicas=.
    sim::ClusterConfig cluster;
    // SHA-256 of the file it was read from (empty for a built-in scenario): a merge compares
    // it, since one name can be two files in the folders two parts ran in.
    std::string sha256;
};

struct Combination
{
    std::size_t source = 0;
    std::uint64_t seed = 1;
};

// Bounds on a sweep's size: seeds per source, local threads, and the indices of one
// emitted Job (Kubernetes takes an Indexed Job's parallelism up to 10^5).
constexpr long kMaxSeeds = 10'000;
constexpr long kMaxJobs = 256;
constexpr long kMaxJobCompletions = 100'000;

long parseInteger(const std::string &option, const std::string &text, long min,
    long max = std::numeric_limits<long>::max())
{
    long value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max)
        throw badOption(option, "'" + text + "' is not an integer "
                + (max == std::numeric_limits<long>::max()
                        ? ">= " + std::to_string(min)
                        : "from " + std::to_string(min) + " to " + std::to_string(max)));
    return value;
}

std::string joinList(const std::vector<std::string> &items, const char *separator = ",")
{
    std::string out;
    for (const std::string &item : items)
        out += (out.empty() ? "" : separator) + item;
    return out;
}


// Known names, each once; "predictive-LABEL" only with --models LABEL=FILE.
void checkControllers(const std::vector<std::string> &names, const ModelList &models)
{
    try {
        sim::checkControllerNames(names, modelMap(models));
        checkModelsUsed(models, names);
    } catch (const InputError &e) {
        throw badOption("--controllers", e.problem());
    }
}

SweepOptions parseSweepOptions(const std::vector<std::string> &written)
{
    const std::vector<std::string> args = splitOptionValues(written);
    SweepOptions o;
    bool seedsGiven = false;
    std::set<std::string> given;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        // The second of two would silently replace the first.
        if (a.starts_with("--") && !given.insert(a).second)
            throw badOption(a, "given twice");
        auto value = [&]() -> const std::string & {
            if (i + 1 >= args.size())
                throw badOption(a, "needs a value");
            return args[++i];
        };
        if (a == "--scenarios")
            o.scenarios = splitList(a, value());
        else if (a == "--traces")
            o.traces = splitList(a, value());
        else if (a == "--controllers") {
            o.controllers = splitList(a, value());
            o.controllersGiven = true;
        } else if (a == "--seeds") {
            o.seeds = static_cast<int>(parseInteger(a, value(), 1, kMaxSeeds));
            seedsGiven = true;
        } else if (a == "--jobs")
            o.jobs = static_cast<int>(parseInteger(a, value(), 1, kMaxJobs));
        else if (a == "--duration")
            o.duration = parseDuration(a, value());
        else if (a == "--out")
            o.out = value();
        else if (a == "--model")
            o.model = nonEmpty(a, value());
        else if (a == "--models")
            o.models = parseModels(a, value());
        else if (a == "--preset" || a == "--max-replicas")
            o.cluster.read(a, value());
        else if (a == "--emit-k8s-job")
            o.emitJob = true;
        else if (a == "--parallelism")
            o.parallelism = static_cast<int>(parseInteger(a, value(), 1, kMaxJobCompletions));
        else if (a == "--image") {
            o.image = value();
            if (o.image.empty() || o.image.find_first_of(" \t\"'") != std::string::npos)
                throw badOption(a, "'" + o.image + "' is not a container image name");
        } else if (a == "--index")
            o.index = parseInteger(a, value(), 0);
        else if (a == "--merge") {
            while (i + 1 < args.size() && !args[i + 1].starts_with("--"))
                o.merge.push_back(args[++i]);
            if (o.merge.empty())
                throw badOption(a, "needs the output folders of the sweeps to merge");
        } else
            throw badOption(a, "unknown option (see docs/sweep.md)");
    }
    if (o.out.empty())
        throw badOption("--out", "is required: the folder to write the results to");
    if (!o.merge.empty()) {
        if (!o.scenarios.empty() || !o.traces.empty() || seedsGiven || o.controllersGiven
            || o.emitJob || o.index || !o.models.empty())
            throw badOption("--merge", "takes only the folders to merge and --out");
        std::error_code ec;
        const fs::path out = fs::weakly_canonical(o.out, ec);
        for (const std::string &folder : o.merge) {
            if (!fs::is_directory(folder, ec))
                throw badOption("--merge", folder + ": no such folder");
            // Its runs/ would take the other inputs' runs, and a later merge of it fail; the
            // same inside it (--out IN/runs/x).
            const fs::path in = fs::weakly_canonical(folder, ec);
            const auto inEnd = std::mismatch(in.begin(), in.end(), out.begin(), out.end()).first;
            if (!out.empty() && inEnd == in.end())
                throw badOption("--out", o.out + " is one of the folders to merge, or inside one: "
                                         "give a new one");
        }
        return o;
    }
    if (o.scenarios.empty() && o.traces.empty())
        throw badOption("--scenarios", "give --scenarios LIST, --traces LIST or both");
    if (!seedsGiven)
        throw badOption("--seeds", "is required: runs seeds 1..N of each scenario and trace");
    if (o.emitJob && o.index)
        throw badOption("--index", "cannot be combined with --emit-k8s-job");
    // Settings of the Job's manifest mean nothing to a local sweep: say so, do not drop them.
    for (const char *jobOnly : {"--image", "--parallelism"}) {
        if (!o.emitJob && given.count(jobOnly))
            throw badOption(jobOnly, "needs --emit-k8s-job (it sets the Job's manifest)");
    }
    checkControllers(o.controllers, o.models);
    // Checked here, not per run: a typo must stop the sweep, not turn a lane into its
    // fallback rule. A Job's pods read the files in their own image, so emitting one
    // leaves the paths as given.
    if (!o.emitJob)
        checkModelFiles(o.model, o.models, &o.loaded);
    if (o.jobs == 0)
        o.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return o;
}

// "@..." as written after the file or name (the source's options), or "".
std::string entryOptions(const std::string &entry)
{
    const auto at = traffic::optionsStart(entry);
    return at == std::string::npos ? std::string() : entry.substr(at);
}

// The entry's options as its source's name carries them: in the order written, each number in
// one spelling ("@x60.0" reads "@x60", "@max-replicas=080" "@max-replicas=80"). `traceOptions`:
// the trace's, as parseTraceSpec spells them (canonicalOptions, in the same order); the
// cluster's are `own`.
std::string canonicalEntryOptions(
    const std::string &entry, const std::string &traceOptions, const ClusterOverrides &own)
{
    std::vector<std::string> trace;
    std::stringstream traceItems(traceOptions);
    for (std::string item; std::getline(traceItems, item, '@');) {
        if (!item.empty())
            trace.push_back(item);
    }
    std::size_t next = 0;
    std::string text;
    const auto at = traffic::optionsStart(entry);
    if (at == std::string::npos)
        return text;
    std::stringstream items(entry.substr(at + 1));
    for (std::string item; std::getline(items, item, '@');) {
        const std::string name = item.substr(0, item.find('='));
        if (name == "preset" && own.preset)
            text += "@preset=" + *own.preset;
        else if (name == "max-replicas" && own.maxReplicas)
            text += "@max-replicas=" + std::to_string(*own.maxReplicas);
        else
            text += "@" + (next < trace.size() ? trace[next++] : item);
    }
    return text;
}

// The global overrides, then the entry's own, on top of `cluster`.
void applyOverrides(const ClusterOverrides &global, const std::string &option, const std::string &entry,
    const ClusterOverrides &own, sim::ClusterConfig &cluster)
{
    try {
        global.applyTo(cluster);
    } catch (const InputError &e) {
        throw badOption(e.field(), e.problem() + " (in '" + entry + "')");
    }
    applyEntryClusterOptions(option, entry, own, cluster);
}

// NAME or FILE, optionally with @preset=NAME and @max-replicas=N.
Source scenarioSource(const SweepOptions &o, const std::string &entry)
{
    Source s;
    s.spec = entry;
    ClusterOverrides own;
    const std::string name = takeEntryClusterOptions("--scenarios", entry, own);
    if (name.find('@') != std::string::npos)
        throw badOption("--scenarios",
            "'" + entry + "': " + entryOptions(name)
                + ": a scenario takes only @preset=NAME and @max-replicas=N");
    try {
        s.scenario = traffic::resolveScenario(name);
    } catch (const InputError &e) {
        throw badOption("--scenarios", e.what());
    }
    if (std::error_code ec; fs::is_regular_file(name, ec))
        s.sha256 = forecast::fileSha256(name);
    // A preset (the entry's own, else the command line's) is the scenario's on that preset:
    // its own "cluster" settings stay on top. The maximum follows as for a trace.
    if (const auto preset = own.preset ? own.preset : o.cluster.preset) {
        try {
            traffic::usePreset(*s.scenario, *preset);
        } catch (const InputError &e) {
            throw badOption("--scenarios", "'" + entry + "': " + e.what());
        }
    }
    ClusterOverrides ownMax = own;
    ownMax.preset.reset();
    ClusterOverrides globalMax = o.cluster;
    globalMax.preset.reset();
    applyOverrides(globalMax, "--scenarios", entry, ownMax, s.scenario->cluster);
    s.cluster = s.scenario->cluster;
    s.label = io::safeLabel((s.scenario->name.empty() ? name : s.scenario->name)
        + canonicalEntryOptions(entry, std::string(), own));
    return s;
}

// FILE with its @ options: the trace's (x, from, hours) and the cluster's.
Source traceSource(const SweepOptions &o, const std::string &text)
{
    Source s;
    s.spec = text;
    try {
        ClusterOverrides own;
        traffic::TraceSpec spec
            = traffic::parseTraceSpec(takeEntryClusterOptions("--traces", text, own));
        // Shipped traces are found from anywhere, e.g. resources/traces/x.csv in a container.
        spec.path = io::resolveDataPath(spec.path, io::DataKind::Trace);
        if (!fs::exists(spec.path))
            throw badOption("--traces", spec.path + ": file not found");
        applyOverrides(o.cluster, "--traces", text, own, s.cluster);
        s.trace = std::make_shared<const traffic::LoadedTrace>(traffic::loadTrace(spec));
        s.sha256 = forecast::fileSha256(spec.path);
        // The entry's options, each number in one spelling: one slice of one file on one
        // cluster is one source however its numbers are written ("@x60" and "@x60.0").
        s.label = io::safeLabel(fs::path(spec.path).stem().string()
            + canonicalEntryOptions(text, spec.canonicalOptions, own));
    } catch (const InputError &e) {
        if (e.file() == "command line")
            throw;
        throw badOption("--traces", e.what());
    }
    return s;
}

// A source past the simulator's limits fails every run, and a Job of it every pod: it is
// refused before any starts, as `run` refuses it, naming the file's row and field. Returns
// the source's own length, in whole seconds.
double checkSourceLimits(const SweepOptions &o, const Source &s)
{
    try {
        std::unique_ptr<traffic::ArrivalSource> arrivals;
        if (s.scenario)
            arrivals = std::make_unique<traffic::ScenarioArrivals>(*s.scenario);
        else
            arrivals = traffic::makeArrivals(*s.trace, s.cluster, 1);
        sim::Experiment::checkLimits(*arrivals, o.duration.value_or(arrivals->durationS()));
        return std::ceil(arrivals->durationS());
    } catch (const InputError &e) {
        throw badOption(s.scenario ? "--scenarios" : "--traces", e.what());
    }
}

std::vector<Source> resolveSources(const SweepOptions &o, std::ostream &out)
{
    std::vector<Source> sources;
    for (const std::string &name : o.scenarios)
        sources.push_back(scenarioSource(o, name));
    for (const std::string &text : o.traces) {
        sources.push_back(traceSource(o, text));
        for (const std::string &note : sources.back().trace->notes())
            out << sources.back().label << ": " << note << "\n";
    }
    std::map<std::string, const Source *> labels;
    // What a source runs: its scenario or its slice of a file, on the cluster its options
    // make (what a preset and --max-replicas set, compared as they come out, so that an option
    // restating a default is the same cluster).
    const auto runs = [](const Source &s) {
        std::ostringstream what;
        what.precision(17);
        if (s.trace) {
            const traffic::TraceSpec &t = s.trace->spec;
            std::error_code ec;
            what << "trace " << fs::weakly_canonical(t.path, ec).string() << " x" << t.compression
                 << " from " << t.fromS << " for " << (t.lengthS ? *t.lengthS : -1.0);
        } else if (s.scenario) {
            what << "scenario " << s.scenario->name << " " << s.sha256;
        }
        const sim::ClusterConfig &c = s.cluster;
        for (const double v : {c.podPendingS, c.podStartingS, c.serviceMeanS, c.serviceCv,
                 c.tokenBaseS, c.perContextTokenS, c.perGeneratedTokenS, c.clientTimeoutS,
                 c.sloLatencyS, double(c.minReplicas), double(c.maxReplicas)})
            what << " " << v;
        return what.str();
    };
    std::map<std::string, const Source *> slices;
    for (const Source &s : sources) {
        // Two entries can name one source without being written alike (a scenario file whose
        // "name" is a shipped scenario's): both are named, or the file would go unmentioned.
        if (const auto [it, fresh] = labels.emplace(s.label, &s); !fresh) {
            const Source &first = *it->second;
            const auto entry = [](const Source &e) {
                return "'" + e.spec + "' (" + (e.scenario ? "--scenarios" : "--traces") + ")";
            };
            throw badOption(s.scenario ? "--scenarios" : "--traces",
                "'" + s.label + "' is listed twice"
                    + (first.spec == s.spec && first.scenario.has_value() == s.scenario.has_value()
                            ? std::string()
                            : ": " + entry(first) + " and " + entry(s)
                                + " both run as '" + s.label
                                + "' (a scenario by its \"name\", a trace by its file name and "
                                  "its options, each number in one spelling; in a label, "
                                  "characters other than letters, digits and -._@=+ become '_', "
                                  "so names that differ only there collapse to one)"));
        }
        // One source under two names: its options in another order, or one left at its default
        // ("FILE" and "FILE@x1@from=0h", "@max-replicas=20" on a cluster of 20).
        if (const auto [it, fresh] = slices.emplace(runs(s), &s); !fresh)
            throw badOption(s.trace ? "--traces" : "--scenarios",
                "'" + it->second->spec + "' and '" + s.spec
                    + "' run the same: "
                    + (s.trace ? "one slice of one trace (the same file, @x, @from and @hours)"
                               : "one scenario")
                    + " on one cluster (what @preset and @max-replicas make of it): give it once");
        if (s.scenario)
            checkDurationWithin(o.duration, *s.scenario);
        const double endS = checkSourceLimits(o, s);
        if (s.trace && o.duration && *o.duration > endS)
            out << s.label << ": --duration " << traffic::numberText(*o.duration) << " s runs past the trace's end at "
                << endS << " s: the seconds after it have no data, not zero traffic\n";
    }
    return sources;
}

std::vector<Combination> combinations(const std::vector<Source> &sources, int seeds)
{
    std::vector<Combination> all;
    for (std::size_t s = 0; s < sources.size(); ++s) {
        for (int k = 1; k <= seeds; ++k)
            all.push_back({s, static_cast<std::uint64_t>(k)});
    }
    return all;
}

std::string describe(const Source &source, std::uint64_t seed)
{
    return source.label + " seed " + std::to_string(seed);
}

// One experiment: the source at this seed through every controller, its lanes stepped by
// `laneThreads` threads.
metrics::RunSummary runOne(const SweepOptions &o, const Source &source, std::uint64_t seed,
                           int laneThreads)
{
    sim::ExperimentConfig config;
    config.threads = laneThreads;
    config.name = source.label;
    config.seed = seed;
    config.controllers = o.controllers;
    config.modelPath = o.model;
    config.models = modelMap(o.models);
    config.loadedModels = o.loaded;
    config.cluster = source.cluster;
    std::unique_ptr<traffic::ArrivalSource> arrivals;
    if (source.scenario) {
        traffic::Scenario seeded = *source.scenario;
        seeded.seed = seed;
        config.durationS = o.duration.value_or(seeded.durationS);
        arrivals = std::make_unique<traffic::ScenarioArrivals>(seeded);
    } else {
        config.durationS = o.duration.value_or(0.0);
        arrivals = traffic::makeArrivals(*source.trace, config.cluster, seed);
    }
    sim::Experiment experiment(config, std::move(arrivals));
    experiment.runToEnd();
    return experiment.summary();
}

// What each predictive lane of the sweep runs on: the file the run would load (--model, else
// HEADROOM_MODEL, else the shipped model; --models for predictive-LABEL), loaded once here for
// every run, and its weights' sha256, or why it cannot be loaded.
void loadLaneModels(SweepOptions &o)
{
    const std::map<std::string, std::string> labelled = modelMap(o.models);
    for (const std::string &name : o.controllers) {
        std::string path;
        if (name == "predictive")
            path = o.model.empty() ? io::defaultModelPath() : o.model;
        else if (const auto label = control::predictiveModelLabel(name))
            path = labelled.at(*label);
        else
            continue;
        io::LaneModel m;
        m.path = path;
        // The shipped model, found beside the program, is recorded relative to where the
        // sweep ran when it lies under it (from a checkout, models/predictive.pt, not one
        // machine's absolute path, so the record reproduces anywhere). A file the user named
        // (--model, --models, HEADROOM_MODEL) is recorded as named: /tmp/m.pt, run from /,
        // had read tmp/m.pt.
        const char *envModel = std::getenv("HEADROOM_MODEL");
        if (name == "predictive" && o.model.empty() && !(envModel && *envModel)) {
            std::error_code ec;
            const fs::path proximate = fs::path(path).lexically_proximate(fs::current_path(ec));
            if (!ec && !proximate.empty() && *proximate.begin() != "..")
                m.path = proximate.generic_string();
        }
        auto it = o.loaded.find(path);
        if (it == o.loaded.end()) {
            try {
                it = o.loaded
                         .emplace(path, std::make_shared<const forecast::Forecaster>(
                                            forecast::Forecaster::load(path)))
                         .first;
            } catch (const std::exception &e) {
                m.error = e.what();
            }
        }
        if (it != o.loaded.end())
            m.weightsSha256 = it->second->info().weightsSha256;
        o.laneModels[name] = m;
    }
}

struct PoolResult
{
    std::vector<io::SweepRun> runs;
    std::vector<std::string> failures; // "<source> seed <k>: <why>", in combination order
};

// A fixed pool of std::threads taking combinations in order; a failing run is
// recorded and the others go on.
PoolResult runPool(const SweepOptions &o, const std::vector<Source> &sources,
    const std::vector<Combination> &todo, std::ostream &out)
{
    std::vector<std::optional<io::SweepRun>> done(todo.size());
    std::vector<std::optional<std::string>> failed(todo.size());
    std::atomic<std::size_t> next {0};
    std::size_t finished = 0;
    std::mutex outMutex;
    // Combinations side by side, each on one thread; a single one has the --jobs threads
    // for its lanes.
    const auto threads = std::min<std::size_t>(static_cast<std::size_t>(o.jobs), todo.size());
    const int laneThreads = threads == 1 ? o.jobs : 1;
    auto work = [&]() {
        for (std::size_t i = next++; i < todo.size(); i = next++) {
            const Source &source = sources[todo[i].source];
            const std::uint64_t seed = todo[i].seed;
            const auto start = std::chrono::steady_clock::now();
            std::string problem;
            try {
                io::SweepRun run {source.label, source.spec, static_cast<int>(todo[i].source), seed,
                    runOne(o, source, seed, laneThreads)};
                run.models = o.laneModels;
                run.sourceSha256 = source.sha256;
                io::writeSweepRun(run, o.out);
                done[i] = std::move(run);
            } catch (const std::exception &e) {
                problem = e.what();
                failed[i] = describe(source, seed) + ": " + problem;
            }
            const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
            char seconds[32];
            std::snprintf(seconds, sizeof seconds, "%.2f", took.count());
            const std::lock_guard lock(outMutex);
            out << "[" << ++finished << "/" << todo.size() << "] " << describe(source, seed)
                << (problem.empty() ? ": done in " : ": FAILED after ") << seconds << " s"
                << (problem.empty() ? "" : " (" + problem + ")") << "\n"
                << std::flush;
        }
    };
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t)
        pool.emplace_back(work);
    for (std::thread &t : pool)
        t.join();
    PoolResult result;
    for (std::size_t i = 0; i < todo.size(); ++i) {
        if (done[i])
            result.runs.push_back(std::move(*done[i]));
        if (failed[i])
            result.failures.push_back(*failed[i]);
    }
    return result;
}

// sweep.csv, sweep.json, sweep.md and charts/<source>.{png,svg}. False (with a
// message) when a file cannot be written.
// `sweepCommand`: for a merge, the sweep command its inputs recorded (sweep.json's
// "sweep_command", so that a merge of merges is checked as its parts were).
bool writeReport(const std::vector<io::SweepRun> &runs, const std::vector<std::string> &controllers,
    const std::string &commandLine, const std::string &outDir, std::ostream &err,
    const std::string &sweepCommand = {})
{
    io::SweepReport report = io::buildSweepReport(runs, controllers, commandLine);
    report.sweepCommand = sweepCommand;
    try {
        io::writeSweepReport(report, outDir);
    } catch (const std::exception &e) {
        err << "headroom-cli sweep: " << e.what() << "\n";
        return false;
    }
    const fs::path charts = fs::path(outDir) / "charts";
    std::error_code ec;
    fs::create_directories(charts, ec);
    for (const io::SourceStats &source : report.sources) {
        const QString base = QString::fromStdString((charts / source.source).string());
        QString error;
        if (!ui::exportSweepChartPng(source, base + QStringLiteral(".png"), &error)
            || !ui::exportSweepChartSvg(source, base + QStringLiteral(".svg"), &error)) {
            err << "headroom-cli sweep: " << error.toStdString() << "\n";
            return false;
        }
    }
    return true;
}

bool makeFolder(const std::string &dir, std::ostream &err)
{
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        err << "headroom-cli sweep: " << dir << ": cannot create folder (" << ec.message() << ")\n";
    return !ec;
}

// The refusal of a folder another command is writing (`holder`: " (process N)", or empty),
// found by the lock or before it.
InputError folderBeingWritten(const std::string &dir, const std::string &holder)
{
    return badOption("--out",
        dir + " is being written by another sweep (or run)" + holder
            + ": its results and this one's would mix; give another --out, or wait for it to end");
}

// One command writes an --out folder at a time, with the lock `run` takes there (so a sweep and
// a run exclude each other too): two sweeps given one --out both passed checkOutFolder while
// neither had written its sweep.json, and the folder ended with the runs of one beside the
// report of the other, both exit 0 (a new-user trial). An Indexed Job's pods each lock their
// own index-K folder. Throws InputError on --out, naming the folder, while another holds it;
// `lock` is held until the command ends.
void lockOutFolder(io::WriteLock &lock, const std::string &dir)
{
    if (!lock.tryLock() && lock.heldByAnother())
        throw folderBeingWritten(dir, lock.holder());
}

std::string outLockPath(const std::string &dir)
{
    return (fs::path(dir) / io::kRunLockFile).string();
}

// Before the first look inside --out: a folder another command is writing is said to be, not
// found to hold runs this one does not write, with advice to remove it (a second trial: that
// would have deleted a sweep still running).
void refuseFolderBeingWritten(const std::string &dir)
{
    if (const auto holder = io::WriteLock::holderOf(outLockPath(dir)))
        throw folderBeingWritten(dir, *holder);
}

// ---- the Kubernetes Indexed Job ----

std::string yamlString(const std::string &text)
{
    return nlohmann::json(text).dump(); // a JSON string is a YAML double-quoted scalar
}

std::vector<std::string> podArguments(const SweepOptions &o)
{
    std::vector<std::string> words {"sweep"};
    if (!o.scenarios.empty())
        words.insert(words.end(), {"--scenarios", joinList(o.scenarios)});
    if (!o.traces.empty())
        words.insert(words.end(), {"--traces", joinList(o.traces)});
    words.insert(words.end(),
        {"--controllers", joinList(o.controllers), "--seeds", std::to_string(o.seeds)});
    // Every digit that reads back exactly: at six digits 1234567 went to the pods as
    // 1.23457e+06, and a scenario's 123456.6 as 123457, past its end, so every pod failed.
    if (o.duration)
        words.insert(words.end(), {"--duration", traffic::numberText(*o.duration)});
    // HEADROOM_MODEL picks this sweep's model as --model would: the pods are told so, or
    // they would run the image's shipped model and the merge would find two models.
    const char *envModel = std::getenv("HEADROOM_MODEL");
    if (!o.model.empty())
        words.insert(words.end(), {"--model", o.model});
    else if (envModel && *envModel
        && std::find(o.controllers.begin(), o.controllers.end(), "predictive") != o.controllers.end())
        words.insert(words.end(), {"--model", envModel});
    if (!o.models.empty())
        words.insert(words.end(), {"--models", joinModels(o.models)});
    for (const std::string &word : o.cluster.arguments())
        words.push_back(word);
    words.insert(words.end(),
        {"--jobs", "1", "--index", kJobIndex, "--out", std::string("/results/index-") + kJobIndex});
    return words;
}

std::string jobYaml(const SweepOptions &o, std::size_t completions, const std::string &command)
{
    // A comment runs to the end of its line: a newline inside a quoted path would end it,
    // and the rest of the command would be read as YAML.
    std::string commented = command;
    for (std::size_t at = 0; (at = commented.find('\n', at)) != std::string::npos; at += 5)
        commented.replace(at, 1, "\n#   ");
    std::ostringstream y;
    y << "# A Kubernetes Indexed Job for this sweep, written by:\n#   " << commented << "\n"
      << "# Pod K runs combination K of combinations.json (source x seed) and writes it to\n"
      << "# /results/index-K; merge the copied folders with `headroom-cli sweep --merge`.\n"
      << "# Scenario files and trace paths are read inside the container: relative to its\n"
      << "# working directory, else from the installed share/headroom (HEADROOM_DATA_DIR).\n"
      << "apiVersion: batch/v1\n"
      << "kind: Job\n"
      << "metadata:\n"
      << "  name: headroom-sweep\n"
      << "  labels:\n"
      << "    app.kubernetes.io/name: headroom-sweep\n"
      << "spec:\n"
      << "  completionMode: Indexed\n"
      << "  completions: " << completions << "\n"
      << "  parallelism: " << o.parallelism << "\n"
      << "  backoffLimit: " << std::max<std::size_t>(3, completions) << "\n"
      << "  template:\n"
      << "    metadata:\n"
      << "      labels:\n"
      << "        app.kubernetes.io/name: headroom-sweep\n"
      << "    spec:\n"
      << "      restartPolicy: Never\n"
      << "      containers:\n"
      << "        - name: sweep\n"
      << "          image: " << yamlString(o.image) << "\n"
      << "          command: [\"headroom-cli\"]\n"
      << "          args:\n";
    for (const std::string &word : podArguments(o))
        y << "            - " << yamlString(word) << "\n";
    y << "          env:\n"
      << "            # Set by the Job controller too; declared so $(JOB_COMPLETION_INDEX)\n"
      << "            # in args expands on every Kubernetes version with Indexed Jobs.\n"
      << "            - name: JOB_COMPLETION_INDEX\n"
      << "              valueFrom:\n"
      << "                fieldRef:\n"
      << "                  fieldPath: "
         "metadata.annotations['batch.kubernetes.io/job-completion-index']\n"
      << "            - name: QT_QPA_PLATFORM\n"
      << "              value: offscreen\n"
      << "          resources:\n"
      << "            requests:\n"
      << "              cpu: \"1\"\n"
      << "              memory: 512Mi\n"
      << "          volumeMounts:\n"
      << "            - name: results\n"
      << "              mountPath: /results\n"
      << "      volumes:\n"
      << "        # Replace this emptyDir with a PersistentVolumeClaim (ReadWriteMany, or one\n"
      << "        # node) so the results outlive the pods:\n"
      << "        #   persistentVolumeClaim:\n"
      << "        #     claimName: headroom-results\n"
      << "        - name: results\n"
      << "          emptyDir: {}\n";
    return y.str();
}

std::string combinationsJson(const std::vector<Source> &sources,
    const std::vector<Combination> &all, const std::string &command)
{
    nlohmann::json j;
    j["command"] = command;
    j["combinations"] = nlohmann::json::array();
    for (std::size_t i = 0; i < all.size(); ++i) {
        const Source &s = sources[all[i].source];
        j["combinations"].push_back({{"index", i}, {"source", s.label}, {"spec", s.spec},
            {"seed", all[i].seed}, {"out", "/results/index-" + std::to_string(i)}});
    }
    return j.dump(2) + "\n";
}

// A string field of a sweep's file (sweep.json, combinations.json): none when the file is
// missing, unreadable or has no such string.
std::optional<std::string> recordedField(const fs::path &file, const char *name)
{
    try {
        const nlohmann::json doc = nlohmann::json::parse(traffic::readTextFile(file.string()));
        if (doc.is_object() && doc.contains(name) && doc[name].is_string())
            return doc[name].get<std::string>();
    } catch (const std::exception &) { }
    return std::nullopt;
}

// The command line a sweep's file records (sweep.json's or combinations.json's "command"):
// none when the file is missing, unreadable or names none.
std::optional<std::string> recordedCommand(const fs::path &file)
{
    return recordedField(file, "command");
}

// The sweep command a merge input's runs come from: its sweep.json's "sweep_command" (a merge
// records its inputs' there) or "command", else its combinations.json's (an emitted Job's
// folder). None for older outputs, and for a merge that recorded no sweep command.
std::optional<std::string> recordedSweepCommand(const std::string &folder)
{
    const fs::path json = fs::path(folder) / "sweep.json";
    std::error_code ec;
    if (!fs::exists(json, ec))
        return recordedField(fs::path(folder) / "combinations.json", "command");
    if (auto sweep = recordedField(json, "sweep_command"))
        return sweep;
    return recordedField(json, "command");
}

// A recorded option's value as runOptions() compares it: numbers as numbers (--duration 70 and
// 70.0 are one duration). A value that does not parse is compared as written.
std::string comparableValue(const std::string &option, const std::string &value)
{
    try {
        if (option == "--duration" || option == "--max-replicas") {
            std::ostringstream text;
            text << std::setprecision(17) << parseNumber(option, value);
            return text.str();
        }
    } catch (const InputError &) {
    }
    return value;
}

// The options of a recorded sweep command that change what a run means (--duration, --preset,
// --max-replicas and any other), each with its value as comparableValue() gives it. Left out:
// where and how it ran (--out, --index, --jobs), which runs it holds (--scenarios, --traces,
// --seeds: a merge may combine sweeps of other sources, and duplicate runs are refused on their
// own), --controllers (its lane set is compared run by run), the models (--model, --models: a
// path names a file only from where the part ran, so each run's record of its lanes' weights,
// sha256 and all, is compared instead, in collectRuns) and the Job's manifest settings
// (--emit-k8s-job, --image, --parallelism). None for a line that does not split into words, or
// a merge's own line (its inputs' options are not in it).
std::optional<std::map<std::string, std::string>> runOptions(const std::string &recorded)
{
    const std::optional<std::vector<std::string>> words = io::shellSplit(recorded);
    if (!words)
        return std::nullopt;
    static const std::set<std::string> ignored {"--out", "--index", "--jobs", "--scenarios",
        "--traces", "--seeds", "--controllers", "--model", "--models", "--image", "--parallelism"};
    const std::vector<std::string> args = splitOptionValues(*words);
    std::map<std::string, std::string> options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &a = args[i];
        if (a == "--merge")
            return std::nullopt;
        if (!a.starts_with("--") || a == "--emit-k8s-job")
            continue; // the program and "sweep"
        const std::string value = i + 1 < args.size() ? args[++i] : std::string();
        if (!ignored.count(a))
            options[a] = comparableValue(a, value);
    }
    return options;
}

// Refuses (InputError on --merge) inputs whose recorded sweeps ran with other options: their
// runs would be reported side by side as one sweep's. Inputs that record no sweep command
// (written before sweeps recorded one, or merges of those) are not compared. Returns the first
// recorded sweep command, for the merge's sweep.json to record as its "sweep_command".
std::string checkSameSweep(const std::vector<std::string> &folders)
{
    std::string firstFolder;
    std::string firstCommand;
    std::map<std::string, std::string> first;
    for (const std::string &folder : folders) {
        const std::optional<std::string> recorded = recordedSweepCommand(folder);
        const auto options = recorded ? runOptions(*recorded) : std::nullopt;
        if (!options)
            continue;
        if (firstFolder.empty()) {
            firstFolder = folder;
            firstCommand = *recorded;
            first = *options;
            continue;
        }
        auto shown = [](const std::map<std::string, std::string> &o, const std::string &name) {
            const auto it = o.find(name);
            return it == o.end() ? "without " + name : "with " + name + " " + it->second;
        };
        std::set<std::string> names;
        for (const auto &[name, value] : first)
            names.insert(name);
        for (const auto &[name, value] : *options)
            names.insert(name);
        for (const std::string &name : names) {
            const auto a = first.find(name);
            const auto b = options->find(name);
            if (a != first.end() && b != options->end() && a->second == b->second)
                continue;
            throw badOption("--merge",
                "different sweeps: " + firstFolder + " was run " + shown(first, name) + " but "
                    + folder + " " + shown(*options, name)
                    + " (their recorded commands may differ only in --out, --index, --jobs and "
                      "which scenarios, traces and seeds they ran; see docs/sweep.md)");
        }
    }
    return firstCommand;
}

// A sweep's words without its --jobs (`--jobs N` or `--jobs=N`): how many runs go side by side
// changes no result (each run is deterministic, whatever its threads), so a rerun with another
// --jobs is the same sweep. Options are walked as parseSweepOptions() reads them, so a value
// that looks like --jobs (--out --jobs) is kept.
std::vector<std::string> withoutJobs(const std::vector<std::string> &words)
{
    std::vector<std::string> kept;
    for (std::size_t i = 0; i < words.size(); ++i) {
        const std::string &w = words[i];
        if (w == "--jobs") {
            ++i;
            continue;
        }
        if (w.starts_with("--jobs="))
            continue;
        kept.push_back(w);
        if (w == "--merge") {
            while (i + 1 < words.size() && !words[i + 1].starts_with("--"))
                kept.push_back(words[++i]);
        } else if (w.starts_with("--") && w != "--emit-k8s-job" && w.find('=') == std::string::npos
            && i + 1 < words.size()) {
            kept.push_back(words[++i]);
        }
    }
    return kept;
}

// Whether a sweep's file records this command (`words`, as typed): word for word but for
// --jobs. A recorded line that cannot be split into words is another command.
bool isThisCommand(
    const std::optional<std::string> &recorded, const std::vector<std::string> &words)
{
    if (!recorded)
        return false;
    const std::optional<std::vector<std::string>> recordedWords = io::shellSplit(*recorded);
    return recordedWords && withoutJobs(*recordedWords) == withoutJobs(words);
}

int emitJob(const SweepOptions &o, const std::vector<Source> &sources,
    const std::vector<Combination> &all, const std::vector<std::string> &words,
    std::ostream &out, std::ostream &err)
{
    const std::string command = io::shellJoin(words);
    if (all.size() > static_cast<std::size_t>(kMaxJobCompletions)) {
        err << "headroom-cli sweep: command line, field '--emit-k8s-job': " << all.size()
            << " combinations; one Job runs at most " << kMaxJobCompletions
            << " (fewer --seeds, or split the sources over several sweeps)\n";
        return 2;
    }
    // Another sweep's Job in the folder is not overwritten (its combinations.json names its
    // command); the same command may write its Job again, with any --jobs (its pods run
    // --jobs 1 whatever it is).
    const fs::path combinations = fs::path(o.out) / "combinations.json";
    std::error_code ec;
    if (fs::exists(combinations, ec) || fs::exists(fs::path(o.out) / "sweep-job.yaml", ec)) {
        const std::optional<std::string> recorded = recordedCommand(combinations);
        if (!isThisCommand(recorded, words)) {
            err << "headroom-cli sweep: command line, field '--out': " << o.out
                << " already holds the Job of "
                << (recorded ? "another sweep (" + *recorded + ")" : std::string("an unknown sweep"))
                << "; give a new --out folder, or remove that one first\n";
            return 2;
        }
    }
    if (!makeFolder(o.out, err))
        return 1;
    io::WriteLock lock(outLockPath(o.out));
    try {
        lockOutFolder(lock, o.out);
    } catch (const InputError &e) {
        err << "headroom-cli sweep: " << e.what() << "\n";
        return 2;
    }
    try {
        io::writeFileAtomically(
            (fs::path(o.out) / "sweep-job.yaml").string(), jobYaml(o, all.size(), command));
        io::writeFileAtomically((fs::path(o.out) / "combinations.json").string(),
            combinationsJson(sources, all, command));
    } catch (const std::exception &e) {
        err << "headroom-cli sweep: " << e.what() << "\n";
        return 1;
    }
    out << "wrote sweep-job.yaml (" << traffic::counted(static_cast<long long>(all.size()), "completion") << ", parallelism " << o.parallelism
        << ") and combinations.json to " << o.out << "\n";
    return 0;
}

// ---- merging partial outputs ----

std::string controllerSet(const metrics::RunSummary &s)
{
    std::set<std::string> names;
    for (const auto &lane : s.lanes)
        names.insert(lane.controller);
    return joinList(std::vector<std::string>(names.begin(), names.end()));
}

struct MergeInput
{
    std::vector<io::SweepRun> runs;
    std::vector<std::string> dirs; // where each run was read from
};

// Two runs of one source (a's) whose summary.json record another `field` (x in aDir's, y in
// bDir's).
InputError differentSweeps(const io::SweepRun &a, const std::string &aDir, const std::string &bDir,
    const std::string &field, const std::string &x, const std::string &y)
{
    return badOption("--merge",
        "different sweeps: " + aDir + " ran '" + a.source + "' with " + field + " " + x + " but "
            + bDir + " with " + field + " " + y
            + " (their summary.json; merge only parts of one sweep, see docs/sweep.md)");
}

// Refuses (InputError on --merge) two runs reported under one source label that ran different
// experiments: a report would average them as seeds of one source. `a` was read from `aDir`.
void checkSameSource(
    const io::SweepRun &a, const std::string &aDir, const io::SweepRun &b, const std::string &bDir)
{
    // Two entries can share a label (a scenario file whose "name" is a shipped scenario's); the
    // spec each run records is its entry as given. Runs without one (older, or a `run` output
    // copied in) are not compared by it. Entries written apart (a relative and an absolute
    // path) that read the same file are one: the label carries the entry's options, and the
    // recorded sha256 the file.
    const bool sameFile = !a.sourceSha256.empty() && a.sourceSha256 == b.sourceSha256;
    if (a.specRecorded && b.specRecorded && a.spec != b.spec && !sameFile)
        throw badOption("--merge",
            "different sources under one name: " + aDir + " ran '" + a.source + "' from the entry '"
                + a.spec + "' but " + bDir + " from the entry '" + b.spec
                + "' (a scenario runs under its \"name\", a trace under its file name; merge "
                  "only parts of one sweep, see docs/sweep.md)");
    // One entry can name two files, from the folders two parts ran in.
    if (!a.sourceSha256.empty() && !b.sourceSha256.empty() && a.sourceSha256 != b.sourceSha256)
        throw badOption("--merge",
            "different sources under one name: " + aDir + " ran '" + a.source
                + "' from a file with sha256 " + a.sourceSha256 + " but " + bDir
                + " from one with sha256 " + b.sourceSha256
                + " (the same entry found another file where that part ran; merge only parts of "
                  "one sweep, see docs/sweep.md)");
    // What the runs themselves record of the sweep's global options (--duration; the SLO): a
    // part without a sweep.json, or one older than its "command", is not compared by
    // checkSameSweep() and would be reported with the others as one sweep.
    const auto compare = [&](const char *field, double x, double y) {
        if (x == y || (std::isnan(x) && std::isnan(y)))
            return;
        throw differentSweeps(a, aDir, bDir, field, traffic::numberText(x), traffic::numberText(y));
    };
    compare("duration_s", a.summary.durationS, b.summary.durationS);
    compare("slo_latency_ms", a.summary.sloLatencyMs, b.summary.sloLatencyMs);
}

// A lane's model as a merge compares it: the weights' sha256, or "" for a lane that ran without
// its model (its reactive fallback); none when the run does not say (older runs, a metadata
// without a sha256).
std::optional<std::string> modelIdentity(const io::LaneModel &m)
{
    if (!m.error.empty())
        return std::string();
    if (m.weightsSha256.empty())
        return std::nullopt;
    return m.weightsSha256;
}

std::string describeModel(const io::LaneModel &m)
{
    return m.path
        + (m.error.empty() ? " (weights_sha256 " + m.weightsSha256 + ")"
                           : " (not loaded, it ran its reactive fallback: " + m.error + ")");
}

// A sweep's report file (sweep.json, or an emitted Job's combinations.json) as a merge reads
// it: valid JSON naming its "command" (and a merge's "sweep_command", when it records one).
// Refuses (InputError on --merge) a damaged one, naming the file and the field: read as one
// that records no command, its part would be merged unchecked against the others.
void checkSweepFile(const fs::path &file)
{
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(traffic::readTextFile(file.string()));
    } catch (const std::exception &) {
        doc = nlohmann::json();
    }
    if (!doc.is_object())
        throw badOption("--merge",
            file.string() + ": not valid JSON (a damaged file: its part cannot be compared with "
                            "the others; rerun that part, see docs/sweep.md)");
    for (const char *field : {"command", "sweep_command"}) {
        const auto it = doc.find(field);
        const bool required = std::string(field) == "command";
        if ((it == doc.end() && required) || (it != doc.end() && !it->is_string()))
            throw badOption("--merge",
                file.string() + ", field '" + field + "': "
                    + (it == doc.end() ? std::string("missing")
                                       : "not a command line but a JSON " + std::string(it->type_name()))
                    + " (a damaged file: its part cannot be compared with the others; rerun that "
                      "part, see docs/sweep.md)");
    }
}

// Refuses (InputError on --merge) a part whose files a sweep would not have left: a sweep
// writes each run's summary.json and sweep-run.json as the run ends and its sweep.json once
// all have, and a merge copies the runs and writes its own. So runs with their sweep-run.json
// come with a sweep.json (or, in an emitted Job's folder, its combinations.json), and a part
// with one has every run's sweep-run.json. Without them the part's command and its runs'
// sources and models could not be compared. Only runs with neither (`run` outputs copied in
// by hand) are compared by what their summary.json record alone.
void checkPartFiles(const std::string &folder, const std::vector<io::SweepRun> &runs)
{
    const fs::path json = fs::path(folder) / "sweep.json";
    const fs::path combinations = fs::path(folder) / "combinations.json";
    std::error_code ec;
    const bool hasJson = fs::exists(json, ec);
    const bool hasCombinations = !hasJson && fs::exists(combinations, ec);
    if (hasJson)
        checkSweepFile(json);
    else if (hasCombinations)
        checkSweepFile(combinations);
    const auto recorded = std::find_if(runs.begin(), runs.end(),
        [](const io::SweepRun &run) { return run.sweepRunRecorded; });
    if (!hasJson && !hasCombinations && recorded != runs.end())
        throw badOption("--merge",
            json.string() + ": missing, while " + recorded->dir
                + " has its sweep-run.json: a sweep writes sweep.json once its runs are done, "
                  "so this part is unfinished or damaged (rerun it, see docs/sweep.md)");
    if (!hasJson && !hasCombinations)
        return;
    for (const io::SweepRun &run : runs) {
        if (!run.sweepRunRecorded)
            throw badOption("--merge",
                (fs::path(run.dir) / "sweep-run.json").string()
                    + ": missing: a sweep writes one with every run, naming its source, entry, "
                      "seed and models, which a merge compares (rerun that part, see "
                      "docs/sweep.md)");
    }
}

MergeInput collectRuns(const std::vector<std::string> &folders)
{
    MergeInput in;
    std::map<std::pair<std::string, std::uint64_t>, std::string> seen;
    std::map<std::string, std::size_t> firstOfSource; // label -> its first run in `in`
    // controller -> the first run recording its model, and where it was read from
    std::map<std::string, std::pair<io::LaneModel, std::string>> models;
    for (const std::string &folder : folders) {
        // A part a sweep is still writing holds only the runs done so far: merged, the report
        // would count its source with fewer seeds and no word of it. Its lock says so, read
        // without writing in the input.
        if (io::WriteLock::isHeld(outLockPath(folder)))
            throw badOption("--merge",
                folder + " is being written by a sweep: its runs are not all there yet; merge "
                         "it once that sweep ends");
        std::vector<io::SweepRun> runs;
        try {
            runs = io::readSweepRuns(folder);
        } catch (const InputError &e) {
            throw badOption("--merge", e.what());
        }
        if (runs.empty())
            throw badOption("--merge", folder + ": runs/ is empty");
        checkPartFiles(folder, runs);
        for (io::SweepRun &run : runs) {
            const std::string dir = run.dir; // where it is, whatever its files say
            if (!in.runs.empty() && controllerSet(run.summary) != controllerSet(in.runs[0].summary))
                throw badOption("--merge",
                    "mismatched controllers: " + dir + " has " + controllerSet(run.summary)
                        + " but " + in.dirs[0] + " has " + controllerSet(in.runs[0].summary));
            const auto [it, fresh] = seen.emplace(std::make_pair(run.source, run.seed), dir);
            if (!fresh)
                throw badOption("--merge",
                    "duplicate run " + run.source + " seed " + std::to_string(run.seed) + ": in "
                        + it->second + " and in " + dir);
            if (const auto [first, fresh] = firstOfSource.emplace(run.source, in.runs.size());
                !fresh)
                checkSameSource(in.runs[first->second], in.dirs[first->second], run, dir);
            // The model file is not on the command line when HEADROOM_MODEL or the default
            // chose it: the runs record which one each predictive lane ran on.
            for (const auto &[controller, m] : run.models) {
                if (!modelIdentity(m))
                    continue;
                const auto [known, fresh] = models.emplace(controller, std::make_pair(m, dir));
                if (!fresh && *modelIdentity(known->second.first) != *modelIdentity(m))
                    throw badOption("--merge",
                        "different models: " + known->second.second + " ran " + controller + " on "
                            + describeModel(known->second.first) + " but " + dir + " on "
                            + describeModel(m)
                            + " (--model, --models or HEADROOM_MODEL; merge only parts of one "
                              "sweep, see docs/sweep.md)");
            }
            in.dirs.push_back(dir);
            in.runs.push_back(std::move(run));
        }
    }
    return in;
}

// ---- an --out folder that already holds results ----

// A run a sweep (or merge) writes: runs/<source>-seed<k> with this spec and these lanes.
struct PlannedRun
{
    std::string spec;
    std::string controllers; // controllerSet()'s sorted list
};
using PlannedRuns = std::map<std::pair<std::string, std::uint64_t>, PlannedRun>;

// Refuses (InputError on --out) an --out that holds results this sweep would mix with: the
// report of another command (sweep.json's "command"), or runs/ this sweep would not write
// anew, which its report would leave out and a later merge take in. Running the same command
// into its own folder again (sweep.json names it, --jobs aside; or a Job pod retried, its
// runs/ all its own) replaces what it wrote. Returns how many earlier runs are replaced.
std::size_t checkOutFolder(
    const std::string &dir, const std::vector<std::string> &words, const PlannedRuns &planned)
{
    std::error_code ec;
    if (!fs::exists(dir, ec))
        return 0;
    if (!fs::is_directory(dir, ec))
        throw badOption("--out", dir + ": not a folder");
    const fs::path root(dir);
    const std::string how = ": give a new --out folder; to replace these results, remove "
                            "the folder first; to combine sweeps, merge their folders into a new "
                            "one (headroom-cli sweep --merge A B --out NEW; see docs/sweep.md)";
    const fs::path json = root / "sweep.json";
    if (fs::exists(json, ec)) {
        const std::optional<std::string> recorded = recordedCommand(json);
        if (!recorded)
            throw badOption("--out",
                dir
                    + " already holds a sweep.json that names no command "
                      "(another sweep's results, or a damaged one)"
                    + how);
        if (!isThisCommand(recorded, words))
            throw badOption("--out",
                dir
                    + " already holds the results of another sweep (its "
                      "sweep.json: "
                    + *recorded + "); this one would overwrite and mix with them" + how
                    + "; to regenerate that folder, run its recorded command as it is (any "
                      "--jobs)");
    } else {
        for (const char *name : {"sweep.csv", "sweep.md", "charts"}) {
            if (fs::exists(root / name, ec))
                throw badOption("--out",
                    dir + " already holds " + name
                        + " without a sweep.json (results of an unknown command)" + how);
        }
    }
    if (!fs::exists(root / "runs", ec))
        return 0;
    std::vector<io::SweepRun> runs;
    try {
        runs = io::readSweepRuns(dir);
    } catch (const InputError &e) {
        throw badOption("--out",
            dir + " holds runs/ that cannot be read (" + std::string(e.what()) + ")" + how);
    }
    for (const io::SweepRun &run : runs) {
        const std::string name = io::runDirName(run.source, run.seed);
        const auto it = planned.find({run.source, run.seed});
        if (it == planned.end())
            throw badOption("--out",
                dir + " already holds " + name + " (" + run.source + " seed "
                    + std::to_string(run.seed)
                    + "), a run this sweep does not write: its results "
                      "would mix with this sweep's"
                    + how);
        if (it->second.spec != run.spec || it->second.controllers != controllerSet(run.summary))
            throw badOption("--out",
                dir + " already holds " + name + " of " + run.spec + " with the lanes "
                    + controllerSet(run.summary) + "; this sweep runs " + it->second.spec + " with "
                    + it->second.controllers + how);
    }
    return runs.size();
}

// The cluster each run's summary.json records (its preset and fields), where two runs of one
// source both record it: after checkSameSweep(), whose message names the sweeps' options.
// One entry under two labels: a part an earlier sweep labelled the ASCII way ("______", before
// labels kept letters of any script on 6 December 2026) beside one labelled since ("負荷") split
// one source into two rows of fewer seeds each (a second trial). Both record the entry as
// written; the earlier one's summary names the scenario by its label alone.
void checkOneLabelPerEntry(const MergeInput &in)
{
    std::map<std::string, std::size_t> first; // the entry as written -> its first run
    const auto base = [](const std::string &label) { return label.substr(0, label.find('@')); };
    for (std::size_t i = 0; i < in.runs.size(); ++i) {
        if (!in.runs[i].specRecorded)
            continue;
        const auto [known, fresh] = first.emplace(in.runs[i].spec, i);
        const io::SweepRun &a = in.runs[known->second];
        if (fresh || base(a.source) == base(in.runs[i].source))
            continue;
        throw badOption("--merge",
            "'" + a.spec + "' is labelled '" + base(a.source) + "' in " + in.dirs[known->second]
                + " and '" + base(in.runs[i].source) + "' in " + in.dirs[i]
                + ": an earlier version's sweep wrote one of them (labels keep letters of any "
                  "script since 6 December 2026); run that part again to merge them as one source");
    }
}

void checkSameCluster(const MergeInput &in)
{
    std::map<std::string, std::size_t> first; // source -> its first run
    for (std::size_t i = 0; i < in.runs.size(); ++i) {
        const auto [known, fresh] = first.emplace(in.runs[i].source, i);
        if (fresh)
            continue;
        const io::SweepRun &a = in.runs[known->second], &b = in.runs[i];
        const std::string &aDir = in.dirs[known->second], &bDir = in.dirs[i];
        const auto differ = [&](const std::string &field, const std::string &x, const std::string &y) {
            throw differentSweeps(a, aDir, bDir, field, x, y);
        };
        if (!a.summary.preset.empty() && !b.summary.preset.empty() && a.summary.preset != b.summary.preset)
            differ("preset", a.summary.preset, b.summary.preset);
        if (a.summary.cluster.empty() || b.summary.cluster.empty())
            continue;
        for (const auto &[key, x] : a.summary.cluster) {
            const auto other = std::find_if(b.summary.cluster.begin(), b.summary.cluster.end(),
                [&](const auto &field) { return field.first == key; });
            if (other == b.summary.cluster.end())
                differ("cluster." + key, traffic::numberText(x), "(none)");
            if (other->second != x)
                differ("cluster." + key, traffic::numberText(x), traffic::numberText(other->second));
        }
    }
}

// Makes --out and takes its lock (held by `lock` until the command ends), then looks at the
// folder again under it: another command may have written there between the first look and
// the lock. The runs this one replaces are said only then, as run says its replacement.
// 0, or the exit code.
int claimOutFolder(const std::string &dir, const std::vector<std::string> &words,
    const PlannedRuns &planned, const char *command, io::WriteLock &lock, std::ostream &out,
    std::ostream &err)
{
    if (!makeFolder(dir, err))
        return 1;
    try {
        lockOutFolder(lock, dir);
        if (const std::size_t replaced = checkOutFolder(dir, words, planned))
            out << "replacing the " << replaced << " run(s) this " << command << " wrote to " << dir
                << " before\n";
    } catch (const InputError &e) {
        err << "headroom-cli sweep: " << e.what() << "\n";
        return 2;
    }
    return 0;
}

int mergeSweeps(const SweepOptions &o, const std::vector<std::string> &words, std::ostream &out,
    std::ostream &err)
{
    const std::string command = io::shellJoin(words);
    MergeInput in;
    std::string sweepCommand;
    PlannedRuns planned;
    try {
        in = collectRuns(o.merge);
        sweepCommand = checkSameSweep(o.merge);
        checkSameCluster(in);
        checkOneLabelPerEntry(in);
        for (const io::SweepRun &run : in.runs)
            planned[{run.source, run.seed}] = {run.spec, controllerSet(run.summary)};
        refuseFolderBeingWritten(o.out);
        checkOutFolder(o.out, words, planned);
    } catch (const InputError &e) {
        err << "headroom-cli sweep: " << e.what() << "\n";
        return 2;
    }
    io::WriteLock lock(outLockPath(o.out));
    if (const int failed = claimOutFolder(o.out, words, planned, "merge", lock, out, err))
        return failed;
    for (std::size_t i = 0; i < in.runs.size(); ++i) {
        const fs::path to = fs::path(o.out) / io::runDirName(in.runs[i].source, in.runs[i].seed);
        std::error_code ec;
        if (fs::exists(to) && fs::equivalent(to, in.dirs[i], ec))
            continue; // --out is one of the inputs
        fs::create_directories(to, ec);
        if (!ec)
            fs::copy(in.dirs[i], to,
                fs::copy_options::recursive | fs::copy_options::overwrite_existing, ec);
        if (ec) {
            err << "headroom-cli sweep: " << to.string() << ": cannot copy the run ("
                << ec.message() << ")\n";
            return 1;
        }
    }
    std::vector<std::string> controllers;
    for (const auto &lane : in.runs[0].summary.lanes)
        controllers.push_back(lane.controller);
    if (!writeReport(in.runs, controllers, command, o.out, err, sweepCommand))
        return 1;
    out << "merged " << traffic::counted(static_cast<long long>(in.runs.size()), "run") << " from "
        << traffic::counted(static_cast<long long>(o.merge.size()), "folder") << "; wrote sweep.csv, sweep.json, sweep.md and charts/ to " << o.out << "\n";
    return 0;
}

} // namespace

int runSweepCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    std::vector<std::string> words {"headroom-cli", "sweep"};
    words.insert(words.end(), args.begin(), args.end());
    const std::string command = io::shellJoin(words);

    SweepOptions o;
    std::vector<Source> sources;
    std::vector<Combination> todo;
    try {
        o = parseSweepOptions(args);
        if (!o.merge.empty())
            return mergeSweeps(o, words, out, err);
        sources = resolveSources(o, out);
        todo = combinations(sources, o.seeds);
        if (o.index && *o.index >= static_cast<long>(todo.size()))
            throw badOption("--index",
                std::to_string(*o.index) + " is past the last combination ("
                    + std::to_string(todo.size() - 1) + ")");
    } catch (const InputError &e) {
        err << "headroom-cli sweep: " << e.what() << "\n";
        return 2;
    }
    if (o.emitJob)
        return emitJob(o, sources, todo, words, out, err);
    if (o.index)
        todo = {todo[static_cast<std::size_t>(*o.index)]};
    PlannedRuns planned;
    try {
        const std::set<std::string> names(o.controllers.begin(), o.controllers.end());
        const std::string lanes = joinList(std::vector<std::string>(names.begin(), names.end()));
        for (const Combination &c : todo)
            planned[{sources[c.source].label, c.seed}] = {sources[c.source].spec, lanes};
        refuseFolderBeingWritten(o.out);
        checkOutFolder(o.out, words, planned); // before a folder is made for nothing
    } catch (const InputError &e) {
        err << "headroom-cli sweep: " << e.what() << "\n";
        return 2;
    }
    io::WriteLock lock(outLockPath(o.out));
    if (const int failed = claimOutFolder(o.out, words, planned, "sweep", lock, out, err))
        return failed;

    // Runs already use every core between them: LibTorch must not add its own threads.
    forecast::setInferenceThreads(1);
    loadLaneModels(o);
    // Said before the runs, as run says it: the report's line at the end came after every
    // run had spent its time on the fallback.
    for (const auto &[lane, model] : o.laneModels) {
        if (!model.error.empty())
            err << "note: the " << lane << " lane has no model, " << modelOrigin(lane, o.model, o.models)
                << " could not be loaded (" << model.error
                << "): it runs its reactive rule throughout in every run, and the report counts "
                   "it as unavailable (model_error in runs/*/summary.json)\n";
    }
    out << "sweep: " << todo.size() << " run(s) of " << joinList(o.controllers) << " on "
        << std::min<std::size_t>(static_cast<std::size_t>(o.jobs), todo.size()) << " thread(s)\n";
    const PoolResult result = runPool(o, sources, todo, out);
    if (!result.runs.empty() && !writeReport(result.runs, o.controllers, command, o.out, err))
        return 1;
    if (!result.failures.empty()) {
        err << "headroom-cli sweep: " << result.failures.size() << " of " << todo.size()
            << " run(s) failed:\n";
        for (const std::string &f : result.failures)
            err << "  " << f << "\n";
        return 1;
    }
    out << "wrote runs/, sweep.csv, sweep.json, sweep.md and charts/ to " << o.out << "\n";
    return 0;
}
