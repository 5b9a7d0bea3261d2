#include "io/sweepreport.h"

#include "io/inputerror.h"
#include "io/runwriter.h"
#include "sim/limits.h"
#include "traffic/jsonfields.h"

#include <QChar>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <type_traits>
#include <nlohmann/json.hpp>
#include <sstream>

namespace headroom::io {

namespace fs = std::filesystem;

namespace {

bool safeAscii(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.'
        || c == '@' || c == '=' || c == '+';
}

// The label sweeps gave until 6 December 2026, every byte outside ASCII made '_': runs they
// wrote are still read under it.
std::string asciiLabel(const std::string &text)
{
    std::string out = text;
    for (char &c : out) {
        if (!safeAscii(c))
            c = '_';
    }
    return out;
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// t(0.975, df) for df = 1..30; beyond, the Cornish-Fisher expansion is within 1e-4.
constexpr double kT975[] = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622,
    2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796,
    2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};

// Locale-free and round-trippable enough for a report: "%.10g", empty for NaN.
std::string csvNumber(double value)
{
    if (!std::isfinite(value))
        return {};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.10g", value);
    return buf;
}

// RFC 4180: quoted when it holds a comma, quote or line break; quotes doubled.
std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\r\n") == std::string::npos)
        return text;
    std::string out = "\"";
    for (char c : text) {
        out.push_back(c);
        if (c == '"')
            out.push_back('"');
    }
    out.push_back('"');
    return out;
}

nlohmann::json jsonNumber(double value)
{
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

// Decimals that suit the size of a value: 1234 -> 0, 12.3 -> 1, 1.23 -> 2. A half rounds
// away from zero, as a reader rounds (printf rounds 212.5 to 212, the even neighbour).
std::string tableNumber(double value, double scale)
{
    const double a = std::abs(scale);
    const int decimals = a >= 100.0 ? 0 : a >= 10.0 ? 1 : 2;
    const double unit = std::pow(10.0, decimals);
    const double rounded = std::isfinite(value) ? std::round(value * unit) / unit : value;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, rounded == 0.0 ? 0.0 : rounded);
    return buf;
}

std::string tableCell(const MeanInterval &m)
{
    if (m.n == 0)
        return "n/a";
    if (m.n < 2)
        return tableNumber(m.mean, m.mean);
    return tableNumber(m.mean, m.mean) + " ± " + tableNumber(m.halfWidth(), m.mean);
}

InputError badFile(const std::string &path, const std::string &field, const std::string &problem)
{
    return InputError(path, std::nullopt, field, problem);
}

std::string readText(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw badFile(path, {}, "cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

double numberField(const nlohmann::json &j, const char *key, const std::string &path)
{
    const auto it = j.find(key);
    if (it == j.end())
        throw badFile(path, key, "missing");
    if (it->is_null())
        return kNaN;
    if (!it->is_number())
        throw badFile(path, key, "not a number");
    return it->get<double>();
}

// An optional field of the given JSON type, else `fallback`; a field of another type is an error.
template<typename T>
T optionalField(const nlohmann::json &j, const char *key, T fallback, const std::string &path)
{
    const auto it = j.find(key);
    if (it == j.end() || it->is_null())
        return fallback;
    if constexpr (std::is_same_v<T, bool>) {
        if (!it->is_boolean())
            throw badFile(path, key, "not true or false");
    } else if constexpr (std::is_same_v<T, std::string>) {
        if (!it->is_string())
            throw badFile(path, key, "not a string");
    } else {
        if (!it->is_number())
            throw badFile(path, key, "not a number");
    }
    return it->get<T>();
}

SweepRun readSweepRun(const fs::path &dir)
{
    const std::string summaryPath = (dir / "summary.json").string();
    if (!fs::exists(summaryPath))
        throw badFile(summaryPath, {}, "missing: every folder under runs/ needs its summary.json");
    SweepRun run;
    run.dir = dir.string();
    run.summary = parseSummaryJson(readText(summaryPath), summaryPath);
    // Without sweep-run.json (a plain `run` output copied in) the summary still names it.
    run.source = run.summary.scenario;
    run.spec = run.source;
    run.seed = run.summary.seed;
    run.sourceIndex = std::numeric_limits<int>::max();
    run.specRecorded = false;
    const fs::path meta = dir / "sweep-run.json";
    if (fs::exists(meta)) {
        const std::string metaPath = meta.string();
        const auto j = nlohmann::json::parse(readText(metaPath), nullptr, false);
        if (j.is_discarded() || !j.is_object())
            throw badFile(metaPath, {}, "not valid JSON");
        run.sweepRunRecorded = true;
        // A sweep writes source, spec, source_index and seed for every run.
        const auto source = j.find("source");
        if (source == j.end() || !source->is_string() || source->get<std::string>().empty())
            throw badFile(metaPath, "source", "missing or not a source label");
        run.source = source->get<std::string>();
        run.spec = optionalField(j, "spec", run.source, metaPath);
        run.specRecorded = j.contains("spec") && j["spec"].is_string();
        run.sourceSha256 = optionalField(j, "source_sha256", std::string(), metaPath);
        if (const auto models = j.find("models"); models != j.end()) {
            if (!models->is_object())
                throw badFile(metaPath, "models", "not an object");
            for (const auto &[controller, m] : models->items()) {
                if (!m.is_object())
                    throw badFile(metaPath, "models." + controller, "not an object");
                LaneModel lane;
                lane.path = optionalField(m, "path", std::string(), metaPath);
                lane.weightsSha256 = optionalField(m, "weights_sha256", std::string(), metaPath);
                lane.error = optionalField(m, "error", std::string(), metaPath);
                run.models[controller] = lane;
            }
        }
        const auto index = j.find("source_index");
        if (index != j.end() && (!index->is_number_integer() || index->get<long long>() < 0))
            throw badFile(metaPath, "source_index", "not a whole number from 0 on");
        run.sourceIndex = j.value("source_index", run.sourceIndex);
        const auto seed = j.find("seed");
        if (seed == j.end() || !seed->is_number_unsigned())
            throw badFile(metaPath, "seed", "missing or not a whole number from 0 on");
        run.seed = seed->get<std::uint64_t>();
        // The run's files and its folder name one run: an edited seed or source would put it
        // in the report as another.
        if (run.seed != run.summary.seed)
            throw badFile(summaryPath, "seed",
                std::to_string(run.summary.seed) + ", but " + metaPath + " says "
                    + std::to_string(run.seed));
        const std::string name = dir.filename().string();
        const std::string expected = fs::path(runDirName(run.source, run.seed)).filename().string();
        if (name != expected) {
            const bool seedDiffers = name.rfind(run.source + "-seed", 0) == 0;
            throw badFile(metaPath, seedDiffers ? "seed" : "source",
                (seedDiffers ? std::to_string(run.seed) : "'" + run.source + "'")
                    + ", but the run's folder is " + name + " (a sweep writes "
                    + run.source + " seed " + std::to_string(run.seed) + " to " + expected + ")");
        }
        // The summary ran the source the label names (a label is its scenario's name or its
        // trace's file name, then the entry's @ options).
        const std::string &scenario = run.summary.scenario;
        const auto base = [](const std::string &label) { return label.substr(0, label.find('@')); };
        if (!scenario.empty() && base(safeLabel(scenario)) != base(run.source)
            && base(asciiLabel(scenario)) != base(run.source))
            throw badFile(summaryPath, "scenario",
                "'" + scenario + "', but " + metaPath + " says the run is of '" + run.source + "'");
    }
    // The summary's numbers on their own: a run of a sweep ran to its end, on a cluster of at
    // most sim::kMaxReplicas pods.
    const LaneSummaryLimits limits {sim::kMaxReplicas,
        "a cluster can have (" + std::to_string(sim::kMaxReplicas) + ")", true, true,
        run.summary.durationS};
    for (std::size_t i = 0; i < run.summary.lanes.size(); ++i)
        checkLaneSummary(run.summary.lanes[i], limits, summaryPath, "lanes[" + std::to_string(i) + "].");
    return run;
}

void sortRuns(std::vector<SweepRun> &runs)
{
    std::stable_sort(runs.begin(), runs.end(), [](const SweepRun &a, const SweepRun &b) {
        if (a.sourceIndex != b.sourceIndex)
            return a.sourceIndex < b.sourceIndex;
        if (a.source != b.source)
            return a.source < b.source;
        return a.seed < b.seed;
    });
}

// A lane the sweep counts. A forecasting lane without its model ran the reactive fallback:
// its numbers say nothing about the model, so the run is unavailable for it (a sweep run
// here and one merged from its folders count it the same).
bool counted(const metrics::LaneSummary &lane)
{
    return lane.available && lane.modelError.empty();
}

const metrics::LaneSummary *findLane(const SweepRun &run, const std::string &controller)
{
    const auto &lanes = run.summary.lanes;
    const auto lane = std::find_if(
        lanes.begin(), lanes.end(), [&](const auto &l) { return l.controller == controller; });
    return lane == lanes.end() ? nullptr : &*lane;
}

// The clairvoyant lane ran in at least one of the source's runs.
bool hasClairvoyantLane(const std::vector<const SweepRun *> &runs)
{
    return std::any_of(runs.begin(), runs.end(), [](const SweepRun *run) {
        const metrics::LaneSummary *lane = findLane(*run, kClairvoyantController);
        return lane && counted(*lane);
    });
}

// The lane against the clairvoyant lane, per run where both ran.
ClairvoyantGap clairvoyantGap(
    const std::string &controller, const std::vector<const SweepRun *> &runs)
{
    ClairvoyantGap gap;
    for (const SweepRun *run : runs) {
        const metrics::LaneSummary *lane = findLane(*run, controller);
        const metrics::LaneSummary *limit = findLane(*run, kClairvoyantController);
        if (!lane || !limit || !counted(*lane) || !counted(*limit))
            continue;
        gap.seeds.push_back(run->seed);
        gap.violationsOver.push_back(
            static_cast<double>(lane->sloViolations) - static_cast<double>(limit->sloViolations));
        gap.costRatio.push_back(
            limit->podSeconds > 0.0 ? lane->podSeconds / limit->podSeconds : kNaN);
    }
    gap.violationsOverInterval = meanInterval(gap.violationsOver);
    gap.costRatioInterval = meanInterval(gap.costRatio);
    return gap;
}

ControllerStats controllerStats(
    const std::string &controller, const std::vector<const SweepRun *> &runs)
{
    ControllerStats stats;
    stats.controller = controller;
    stats.values.resize(kSweepMetrics.size());
    for (const SweepRun *run : runs) {
        const auto &lanes = run->summary.lanes;
        const auto lane = std::find_if(
            lanes.begin(), lanes.end(), [&](const auto &l) { return l.controller == controller; });
        if (lane == lanes.end() || !counted(*lane)) {
            ++stats.unavailableRuns;
            if (lane != lanes.end() && lane->available)
                ++stats.withoutModelRuns;
            continue;
        }
        stats.seeds.push_back(run->seed);
        if (lane->referenceCappedSeconds > 0.0) {
            ++stats.cappedRuns;
            stats.cappedSeconds += lane->referenceCappedSeconds;
            stats.capPods = std::max(stats.capPods, lane->referenceCapPods);
        }
        for (std::size_t m = 0; m < kSweepMetrics.size(); ++m)
            stats.values[m].push_back(metricValue(*lane, kSweepMetrics[m]));
    }
    for (const auto &values : stats.values)
        stats.intervals.push_back(meanInterval(values));
    if (controller != kClairvoyantController && hasClairvoyantLane(runs))
        stats.gap = clairvoyantGap(controller, runs);
    return stats;
}

nlohmann::json valuesJson(const std::vector<double> &values)
{
    nlohmann::json j = nlohmann::json::array();
    for (double v : values)
        j.push_back(jsonNumber(v));
    return j;
}

nlohmann::json controllerJson(const ControllerStats &c)
{
    nlohmann::json j;
    j["controller"] = c.controller;
    j["seeds"] = c.seeds.size();
    j["seed_list"] = c.seeds;
    j["unavailable_runs"] = c.unavailableRuns;
    j["reference_capped"] = c.cappedRuns > 0
        ? nlohmann::json {{"runs", c.cappedRuns}, {"pods", c.capPods},
              {"mean_seconds", c.cappedSeconds / c.cappedRuns}}
        : nlohmann::json(nullptr);
    for (std::size_t m = 0; m < kSweepMetrics.size(); ++m) {
        const MeanInterval &i = c.intervals[m];
        nlohmann::json values = nlohmann::json::array();
        for (double v : c.values[m])
            values.push_back(jsonNumber(v));
        j[metricKey(kSweepMetrics[m])] = {{"n", i.n}, {"mean", jsonNumber(i.mean)},
            {"ci95_low", jsonNumber(i.low)}, {"ci95_high", jsonNumber(i.high)}, {"values", values}};
    }
    j["violations_over_clairvoyant"] = nullptr;
    j["cost_ratio"] = nullptr;
    if (c.gap) {
        const MeanInterval &v = c.gap->violationsOverInterval;
        const MeanInterval &r = c.gap->costRatioInterval;
        j["violations_over_clairvoyant"] = {{"n", v.n}, {"mean", jsonNumber(v.mean)},
            {"seed_list", c.gap->seeds}, {"values", valuesJson(c.gap->violationsOver)}};
        j["cost_ratio"] = {{"n", r.n}, {"mean", jsonNumber(r.mean)},
            {"ci95_low", jsonNumber(r.low)}, {"ci95_high", jsonNumber(r.high)},
            {"seed_list", c.gap->seeds}, {"values", valuesJson(c.gap->costRatio)}};
    }
    return j;
}

nlohmann::json verdictJson(const SourceVerdict &v)
{
    nlohmann::json j;
    j["causal_lanes"] = v.causalLanes;
    j["fewest_slo_violations"] = {{"controllers", v.fewestViolations},
        {"slo_violations_mean", jsonNumber(v.fewestViolationsMean)}};
    j["has_clairvoyant"] = v.hasClairvoyant;
    j["cost_ratio_target"] = kCostRatioTarget;
    j["predictive"] = nlohmann::json::array();
    for (const PredictiveStanding &p : v.predictive) {
        j["predictive"].push_back({{"controller", p.controller},
            {"slo_violations_mean", jsonNumber(p.sloViolationsMean)},
            {"rank", p.rank > 0 ? nlohmann::json(p.rank) : nlohmann::json(nullptr)},
            {"cost_ratio_mean", jsonNumber(p.costRatioMean)},
            {"cost_ratio_within_target",
                p.withinCostTarget ? nlohmann::json(*p.withinCostTarget)
                                   : nlohmann::json(nullptr)}});
    }
    return j;
}

std::string joinNames(const std::vector<std::string> &names)
{
    std::string out;
    for (const std::string &n : names)
        out += (out.empty() ? "" : ", ") + n;
    return out;
}

// One line: the causal lane(s) with the fewest violations, then each predictive lane.
std::string verdictLine(const SourceVerdict &v)
{
    std::string line = "**Verdict:** ";
    if (v.causalLanes == 0)
        return line + "no causal lane ran.";
    line += (v.causalLanes == 1 ? std::string("mean SLO violations of the one causal lane: ")
                                 : "fewest mean SLO violations among the " + std::to_string(v.causalLanes)
                                     + " causal lanes: ")
        + joinNames(v.fewestViolations) + " ("
        + tableNumber(v.fewestViolationsMean, v.fewestViolationsMean) + ").";
    for (const PredictiveStanding &p : v.predictive) {
        line += " " + p.controller + ": ";
        if (p.rank == 0) {
            line += "never ran with its model (see below).";
            continue;
        }
        line += tableNumber(p.sloViolationsMean, p.sloViolationsMean) + " violations, rank "
            + std::to_string(p.rank) + " of " + std::to_string(v.causalLanes) + ", ";
        if (!v.hasClairvoyant)
            line += "no clairvoyant lane to give a cost ratio.";
        else if (v.clairvoyantNotTheLimit)
            line += "cost ratio " + tableNumber(p.costRatioMean, p.costRatioMean) + ", no target (see below).";
        else if (!p.withinCostTarget)
            line += "cost ratio n/a.";
        else
            line += "cost ratio " + tableNumber(p.costRatioMean, p.costRatioMean)
                + (*p.withinCostTarget ? " <= " : " > ") + tableNumber(kCostRatioTarget, 1.0)
                + (*p.withinCostTarget ? " (within target)." : " (over target).");
    }
    if (v.clairvoyantNotTheLimit)
        line += " **The clairvoyant lane is not the limit here:** "
            + tableNumber(*v.clairvoyantNotTheLimit, *v.clairvoyantNotTheLimit) + " mean violations against "
            + joinNames(v.fewestViolations) + "'s " + tableNumber(v.fewestViolationsMean, v.fewestViolationsMean)
            + ", so no cost ratio against it is a target met or missed.";
    return line;
}

} // namespace

// ---- statistics ----

bool clairvoyantNotTheLimit(double clairvoyantViolations, double fewestCausalViolations)
{
    return clairvoyantViolations > fewestCausalViolations + 1.0
        && clairvoyantViolations > 1.05 * fewestCausalViolations;
}

std::optional<ClairvoyantShortfall> clairvoyantShortfall(const std::vector<metrics::LaneSummary> &lanes)
{
    const metrics::LaneSummary *clairvoyant = nullptr;
    const metrics::LaneSummary *fewest = nullptr;
    for (const metrics::LaneSummary &lane : lanes) {
        if (!lane.available)
            continue;
        if (lane.controller == kClairvoyantController)
            clairvoyant = &lane;
        else if (!fewest || lane.sloViolations < fewest->sloViolations)
            fewest = &lane;
    }
    if (!clairvoyant || !fewest
        || !clairvoyantNotTheLimit(static_cast<double>(clairvoyant->sloViolations),
                                   static_cast<double>(fewest->sloViolations)))
        return std::nullopt;
    return ClairvoyantShortfall {clairvoyant->sloViolations, fewest->controller, fewest->sloViolations};
}

double studentT975(int degreesOfFreedom)
{
    if (degreesOfFreedom < 1)
        return kNaN;
    if (degreesOfFreedom <= 30)
        return kT975[degreesOfFreedom - 1];
    const double z = 1.959964;
    const double n = degreesOfFreedom;
    const double z3 = z * z * z;
    const double z5 = z3 * z * z;
    return z + (z3 + z) / (4.0 * n) + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * n * n);
}

MeanInterval meanInterval(const std::vector<double> &values)
{
    MeanInterval m;
    double sum = 0.0;
    for (double v : values) {
        if (std::isfinite(v)) {
            sum += v;
            ++m.n;
        }
    }
    m.mean = m.n > 0 ? sum / m.n : kNaN;
    m.low = m.high = kNaN;
    if (m.n < 2)
        return m;
    double squares = 0.0;
    for (double v : values) {
        if (std::isfinite(v))
            squares += (v - m.mean) * (v - m.mean);
    }
    const double sd = std::sqrt(squares / (m.n - 1));
    const double half = studentT975(m.n - 1) * sd / std::sqrt(static_cast<double>(m.n));
    m.low = m.mean - half;
    m.high = m.mean + half;
    return m;
}

// ---- metrics ----

std::string metricKey(SweepMetric metric)
{
    switch (metric) {
    case SweepMetric::SloViolations:
        return "slo_violations";
    case SweepMetric::PodSeconds:
        return "pod_seconds";
    case SweepMetric::LatencyP95Ms:
        return "latency_p95_ms";
    case SweepMetric::LatencyP99Ms:
        return "latency_p99_ms";
    case SweepMetric::PeakPods:
        return "peak_pods";
    case SweepMetric::Dropped:
        return "dropped";
    }
    return {};
}

std::string metricTitle(SweepMetric metric)
{
    switch (metric) {
    case SweepMetric::SloViolations:
        return "SLO violations";
    case SweepMetric::PodSeconds:
        return "pod-seconds";
    case SweepMetric::LatencyP95Ms:
        return "p95 latency (ms)";
    case SweepMetric::LatencyP99Ms:
        return "p99 latency (ms)";
    case SweepMetric::PeakPods:
        return "peak pods";
    case SweepMetric::Dropped:
        return "dropped";
    }
    return {};
}

double metricValue(const metrics::LaneSummary &lane, SweepMetric metric)
{
    switch (metric) {
    case SweepMetric::SloViolations:
        return static_cast<double>(lane.sloViolations);
    case SweepMetric::PodSeconds:
        return lane.podSeconds;
    case SweepMetric::LatencyP95Ms:
        return lane.latencyP95Ms;
    case SweepMetric::LatencyP99Ms:
        return lane.latencyP99Ms;
    case SweepMetric::PeakPods:
        return lane.peakPods;
    case SweepMetric::Dropped:
        return static_cast<double>(lane.dropped);
    }
    return kNaN;
}

// ---- runs ----

std::string safeLabel(const std::string &text)
{
    // Letters, digits and marks of any script are kept whole, in UTF-8 (a Linux file name takes
    // them): each byte of "負荷" and "急増" became '_', and two distinct scenarios were refused
    // as one listed twice (a new-user trial). Anything else is one '_' per character: path
    // separators, spaces, controls, symbols, invisible and direction-changing characters, and
    // bytes that are no UTF-8.
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size();) {
        const auto byte = static_cast<unsigned char>(text[i]);
        if (byte < 0x80) {
            out += safeAscii(text[i]) ? text[i] : '_';
            ++i;
            continue;
        }
        const std::size_t length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1;
        char32_t code = length == 4 ? byte & 0x07u : length == 3 ? byte & 0x0Fu : byte & 0x1Fu;
        bool valid = length > 1 && byte < 0xF5 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            valid = (next & 0xC0u) == 0x80u;
            code = (code << 6) | (next & 0x3Fu);
        }
        // The shortest form only, and no surrogates: one name has one label.
        const char32_t least = length == 4 ? 0x10000 : length == 3 ? 0x800 : 0x80;
        valid = valid && code >= least && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
        if (valid && (QChar::isLetterOrNumber(code) || QChar::isMark(code))) {
            out.append(text, i, length);
            i += length;
        } else {
            out += '_';
            i += valid ? length : 1;
        }
    }
    return out;
}

std::string runDirName(const std::string &source, std::uint64_t seed)
{
    return "runs/" + source + "-seed" + std::to_string(seed);
}

void writeSweepRun(const SweepRun &run, const std::string &outDir)
{
    const fs::path dir = fs::path(outDir) / runDirName(run.source, run.seed);
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec)
        throw std::runtime_error(dir.string() + ": cannot create folder (" + ec.message() + ")");
    writeSummaryJson(run.summary, (dir / "summary.json").string());
    nlohmann::json meta = {{"source", run.source}, {"spec", run.spec},
        {"source_index", run.sourceIndex}, {"seed", run.seed}};
    if (!run.sourceSha256.empty())
        meta["source_sha256"] = run.sourceSha256;
    for (const auto &[controller, m] : run.models) {
        nlohmann::json lane = {{"path", m.path}};
        if (m.error.empty())
            lane["weights_sha256"] = m.weightsSha256;
        else
            lane["error"] = m.error;
        meta["models"][controller] = lane;
    }
    writeFileAtomically((dir / "sweep-run.json").string(), meta.dump(2) + "\n");
}

std::vector<SweepRun> readSweepRuns(const std::string &outDir)
{
    const fs::path runsDir = fs::path(outDir) / "runs";
    if (!fs::is_directory(runsDir))
        throw badFile(outDir, "runs", "no runs/ folder: not the output of headroom-cli sweep");
    std::vector<fs::path> dirs;
    for (const auto &entry : fs::directory_iterator(runsDir)) {
        if (entry.is_directory())
            dirs.push_back(entry.path());
    }
    std::sort(dirs.begin(), dirs.end());
    std::vector<SweepRun> runs;
    for (const fs::path &dir : dirs)
        runs.push_back(readSweepRun(dir));
    return runs;
}

metrics::LaneSummary parseLaneSummary(const nlohmann::json &j, const std::string &path)
{
    metrics::LaneSummary lane;
    if (!j.is_object() || !j.contains("controller") || !j["controller"].is_string())
        throw badFile(path, "lanes", "a lane without a controller name");
    lane.controller = j["controller"].get<std::string>();
    lane.available = optionalField(j, "available", true, path);
    lane.unavailableReason = optionalField(j, "unavailable_reason", std::string(), path);
    lane.modelError = optionalField(j, "model_error", std::string(), path);
    // Counts and totals: whole-run sums, never below 0.
    const auto amount = [&](const nlohmann::json &object, const char *key, const std::string &field) {
        double value = 0.0;
        try {
            value = numberField(object, key, path);
        } catch (const InputError &e) {
            throw badFile(path, field, e.problem());
        }
        if (!(value >= 0.0) && !std::isnan(value))
            throw badFile(path, field, "must not be negative");
        if (value > 1e15)
            throw badFile(path, field, "is more than a run can hold");
        return value;
    };
    // Requests and pods are counted one by one: a fraction was not written by a run.
    const auto count = [&](const char *key) {
        const double value = amount(j, key, key);
        if (std::isnan(value))
            throw badFile(path, key, "not a number");
        if (value != std::floor(value))
            throw badFile(path, key, traffic::numberText(value) + ", not a whole number");
        return static_cast<long long>(value);
    };
    lane.requests = count("requests");
    lane.completed = count("completed");
    lane.dropped = count("dropped");
    lane.sloViolations = count("slo_violations");
    const auto latency = j.find("latency_ms");
    if (latency == j.end() || !latency->is_object())
        throw badFile(path, "latency_ms", "missing");
    lane.latencyP50Ms = amount(*latency, "p50", "latency_ms.p50");
    lane.latencyP95Ms = amount(*latency, "p95", "latency_ms.p95");
    lane.latencyP99Ms = amount(*latency, "p99", "latency_ms.p99");
    lane.latencyMaxMs = amount(*latency, "max", "latency_ms.max");
    lane.podSeconds = amount(j, "pod_seconds", "pod_seconds");
    // Beyond any cluster's pods (checkLaneSummary says so) it is kept as the most an int holds.
    lane.peakPods = static_cast<int>(std::min<long long>(count("peak_pods"), 1LL << 30));
    // The comparison with the other lanes and the forecast's score: written by newer
    // versions only, so each is optional.
    lane.violationSeconds = optionalField(j, "violation_seconds", 0.0, path);
    lane.spikes = optionalField(j, "spikes", 0, path);
    if (const auto it = j.find("time_to_scale_s"); it != j.end() && !it->is_null())
        lane.meanScaleS = optionalField(j, "time_to_scale_s", 0.0, path);
    lane.spikesMissed = optionalField(j, "spikes_missed", 0, path);
    if (const auto p = j.find("provisioning"); p != j.end()) {
        if (!p->is_object())
            throw badFile(path, "provisioning", "not an object");
        lane.provisioningReference = optionalField(*p, "reference", std::string(), path);
        // The reference lane's own comparison is null (0 in files written before 5 December
        // 2026, read as they were); a single null reads 0 as any missing number does.
        const auto isNull = [&p](const char *key) {
            const auto it = p->find(key);
            return it != p->end() && it->is_null();
        };
        lane.isProvisioningReference = isNull("over_pod_seconds") && isNull("under_pod_seconds")
            && isNull("reference_pod_seconds");
        lane.overPodSeconds = optionalField(*p, "over_pod_seconds", 0.0, path);
        lane.underPodSeconds = optionalField(*p, "under_pod_seconds", 0.0, path);
        lane.referencePodSeconds = optionalField(*p, "reference_pod_seconds", 0.0, path);
        if (const auto capped = p->find("reference_capped"); capped != p->end() && !capped->is_null()) {
            if (!capped->is_object())
                throw badFile(path, "provisioning.reference_capped", "not an object");
            lane.referenceCapPods = optionalField(*capped, "pods", 0, path);
            lane.referenceCappedSeconds = optionalField(*capped, "seconds", 0.0, path);
        }
    }
    if (const auto f = j.find("forecast"); f != j.end()) {
        if (!f->is_object())
            throw badFile(path, "forecast", "not an object");
        lane.forecasts = true;
        lane.forecast.forecasts = static_cast<long long>(optionalField(*f, "forecasts", 0.0, path));
        lane.forecast.maeRatePerS = optionalField(*f, "mae_req_per_s", kNaN, path);
        lane.forecast.relativeMae = optionalField(*f, "relative_mae", kNaN, path);
        lane.forecast.coverageP90 = optionalField(*f, "coverage_p90", kNaN, path);
        lane.fallbackSeconds = optionalField(j, "fallback_s", 0.0, path);
    }
    return lane;
}

metrics::RunSummary parseSummaryJson(const std::string &text, const std::string &path)
{
    const auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object())
        throw badFile(path, {}, "not valid JSON");
    metrics::RunSummary s;
    s.scenario = j.value("scenario", std::string());
    s.source = j.value("source", std::string());
    s.seed = static_cast<unsigned long long>(numberField(j, "seed", path));
    s.durationS = numberField(j, "duration_s", path);
    s.sloLatencyMs = numberField(j, "slo_latency_ms", path);
    // The cluster, when the summary records it (since 6 December 2026).
    if (const auto preset = j.find("preset"); preset != j.end()) {
        if (!preset->is_string() || preset->get<std::string>().empty())
            throw badFile(path, "preset", "not a preset's name");
        s.preset = preset->get<std::string>();
    }
    if (const auto cluster = j.find("cluster"); cluster != j.end()) {
        if (!cluster->is_object())
            throw badFile(path, "cluster", "not an object");
        for (const auto &[key, value] : cluster->items()) {
            if (!value.is_number() || !std::isfinite(value.get<double>()))
                throw badFile(path, "cluster." + key, "not a finite number");
            s.cluster.emplace_back(key, value.get<double>());
        }
    }
    const auto lanes = j.find("lanes");
    if (lanes == j.end() || !lanes->is_array())
        throw badFile(path, "lanes", "missing or not an array");
    for (std::size_t i = 0; i < lanes->size(); ++i) {
        try {
            s.lanes.push_back(parseLaneSummary((*lanes)[i], path));
        } catch (const InputError &e) {
            throw badFile(path, "lanes[" + std::to_string(i) + "]." + e.field(), e.problem());
        }
        // A run has one lane of a controller: a second one was averaged as if it were not
        // there (the first was read), whatever its numbers.
        for (std::size_t k = 0; k < i; ++k) {
            if (s.lanes[k].controller == s.lanes[i].controller)
                throw badFile(path, "lanes[" + std::to_string(i) + "].controller",
                    "'" + s.lanes[i].controller + "' again (lanes[" + std::to_string(k) + "] too): a run has one lane of each controller");
        }
    }
    return s;
}

void checkLaneSummary(const metrics::LaneSummary &lane, const LaneSummaryLimits &limits,
    const std::string &path, const std::string &at)
{
    if (!lane.available)
        return;
    const auto fail = [&](const std::string &field, const std::string &problem) {
        throw InputError(path, std::nullopt, at + field, problem);
    };
    // Each request is counted once at most: completed, dropped or late. A live cluster's run
    // begins with requests already in flight: they complete within it without having arrived
    // in it.
    if (limits.arrivedWithin) {
        for (const auto &[field, count] : {std::pair {"completed", lane.completed},
                 {"dropped", lane.dropped}, {"slo_violations", lane.sloViolations}}) {
            if (count > lane.requests)
                fail(field, std::to_string(count) + ", more than the lane's "
                        + std::to_string(lane.requests) + " requests");
        }
    }
    // A dropped request (timed out or rejected) is one that violated the SLO.
    if (limits.arrivedWithin && lane.sloViolations < lane.dropped)
        fail("slo_violations", std::to_string(lane.sloViolations) + ", fewer than the lane's "
                + std::to_string(lane.dropped) + " dropped requests: each one dropped violated the SLO");
    if (lane.peakPods > limits.maxPods)
        fail("peak_pods", std::to_string(lane.peakPods) + ", more than " + limits.maxPodsText);
    const long long ended = lane.completed + lane.dropped;
    if (limits.arrivedWithin
        && (ended > lane.requests || (limits.finished && ended != lane.requests)))
        fail("completed", std::to_string(lane.completed) + " completed and "
                + std::to_string(lane.dropped) + " dropped of " + std::to_string(lane.requests)
                + " requests"
                + (ended > lane.requests
                        ? ": more requests ended than arrived"
                        : ": every request of a finished run ends, completed or dropped"));
    const double quantiles[] = {
        lane.latencyP50Ms, lane.latencyP95Ms, lane.latencyP99Ms, lane.latencyMaxMs};
    const char *names[] = {"latency_ms.p50", "latency_ms.p95", "latency_ms.p99", "latency_ms.max"};
    for (int k = 1; k < 4; ++k) {
        if (std::isfinite(quantiles[k - 1]) && std::isfinite(quantiles[k])
            && quantiles[k - 1] > quantiles[k])
            fail(names[k - 1], traffic::numberText(quantiles[k - 1]) + " ms, above the "
                    + names[k] + " of " + traffic::numberText(quantiles[k]) + " ms");
    }
    // Pods, once there, count pod-seconds: none without one.
    if (lane.peakPods == 0 && lane.podSeconds > 0.0)
        fail("peak_pods", "0, but the lane has " + traffic::numberText(lane.podSeconds)
                + " pod_seconds: a pod-second is a pod's");
    if (!limits.durationS)
        return;
    const double durationS = *limits.durationS;
    // Seconds counted once each, within the run: its last second may be a partial one.
    const double lastS = durationS + 1.0;
    const std::pair<const char *, double> seconds[] = {{"violation_seconds", lane.violationSeconds},
        {"fallback_s", lane.fallbackSeconds},
        {"provisioning.reference_capped.seconds", lane.referenceCappedSeconds}};
    for (const auto &[field, value] : seconds) {
        if (value > lastS)
            fail(field, traffic::numberText(value) + " s, more than the run's duration_s of "
                    + traffic::numberText(durationS) + " s");
    }
    // About peak_pods pods at a time through the run: pods count from their creation, the
    // initial replicas from t=0 (a live cluster's from its first reading), and a run's last
    // second may be a partial one. But a pod told to stop counts on while it drains its
    // requests, and not towards peak_pods (Cluster::livePodCount): a lane that gives pods back
    // every few seconds while requests take ten (the llm preset) has several draining beside
    // its peak. So only what no run comes near is refused: ten times the peak's pod-seconds
    // (sweeps of every shipped source came to at most 0.9965 of them).
    const double most = 10.0 * lastS * lane.peakPods + 1.0;
    if (lane.podSeconds > most)
        fail("pod_seconds", traffic::numberText(lane.podSeconds) + ", more than ten times what the lane's "
                + std::to_string(lane.peakPods) + " peak_pods have in the run's duration_s of "
                + traffic::numberText(durationS) + " s (" + traffic::numberText(lastS * lane.peakPods)
                + " pod-seconds)");
}

// ---- report ----

SourceVerdict sourceVerdict(const std::vector<ControllerStats> &controllers)
{
    SourceVerdict v;
    v.fewestViolationsMean = kNaN;
    // Mean SLO violations of every causal lane that ran.
    std::vector<double> causal;
    double clairvoyantMean = kNaN;
    for (const ControllerStats &c : controllers) {
        if (c.controller == kClairvoyantController) {
            v.hasClairvoyant = !c.seeds.empty();
            if (c.intervals.at(0).n > 0)
                clairvoyantMean = c.intervals.at(0).mean;
            continue;
        }
        const MeanInterval &m = c.intervals.at(0); // slo_violations
        if (m.n > 0)
            causal.push_back(m.mean);
    }
    v.causalLanes = static_cast<int>(causal.size());
    if (!causal.empty())
        v.fewestViolationsMean = *std::min_element(causal.begin(), causal.end());
    if (clairvoyantNotTheLimit(clairvoyantMean, v.fewestViolationsMean))
        v.clairvoyantNotTheLimit = clairvoyantMean;
    for (const ControllerStats &c : controllers) {
        if (c.controller == kClairvoyantController)
            continue;
        const MeanInterval &m = c.intervals.at(0);
        if (m.n > 0 && m.mean == v.fewestViolationsMean)
            v.fewestViolations.push_back(c.controller);
        if (c.controller.rfind("predictive", 0) != 0)
            continue;
        PredictiveStanding p;
        p.controller = c.controller;
        p.sloViolationsMean = m.mean;
        p.rank = m.n > 0 ? 1
                + static_cast<int>(std::count_if(causal.begin(), causal.end(),
                    [&](double other) { return other < m.mean; }))
                         : 0;
        p.costRatioMean = c.gap ? c.gap->costRatioInterval.mean : kNaN;
        if (std::isfinite(p.costRatioMean) && !v.clairvoyantNotTheLimit)
            p.withinCostTarget = p.costRatioMean <= kCostRatioTarget;
        v.predictive.push_back(p);
    }
    return v;
}

SweepReport buildSweepReport(std::vector<SweepRun> runs,
    const std::vector<std::string> &controllers, std::string commandLine)
{
    sortRuns(runs);
    SweepReport report;
    report.commandLine = std::move(commandLine);
    report.controllers = controllers;
    for (std::size_t i = 0; i < runs.size();) {
        std::vector<const SweepRun *> group;
        std::size_t j = i;
        for (; j < runs.size() && runs[j].source == runs[i].source; ++j)
            group.push_back(&runs[j]);
        SourceStats source;
        source.source = runs[i].source;
        for (const std::string &c : controllers)
            source.controllers.push_back(controllerStats(c, group));
        source.verdict = sourceVerdict(source.controllers);
        report.sources.push_back(std::move(source));
        i = j;
    }
    return report;
}

std::string sweepCsv(const SweepReport &report)
{
    std::string out = "source,controller,seeds";
    for (SweepMetric m : kSweepMetrics) {
        const std::string key = metricKey(m);
        out += "," + key + "_mean," + key + "_ci95_low," + key + "_ci95_high";
    }
    out += ",violations_over_clairvoyant_mean,cost_ratio_mean,cost_ratio_ci95_low,"
           "cost_ratio_ci95_high\n";
    for (const SourceStats &s : report.sources) {
        for (const ControllerStats &c : s.controllers) {
            std::vector<std::string> cells {
                csvField(s.source), csvField(c.controller), std::to_string(c.seeds.size())};
            for (const MeanInterval &i : c.intervals) {
                cells.push_back(csvNumber(i.mean));
                cells.push_back(csvNumber(i.low));
                cells.push_back(csvNumber(i.high));
            }
            // Empty for the clairvoyant lane itself and for sources without one.
            const MeanInterval none {0, kNaN, kNaN, kNaN};
            const MeanInterval &over = c.gap ? c.gap->violationsOverInterval : none;
            const MeanInterval &ratio = c.gap ? c.gap->costRatioInterval : none;
            cells.push_back(csvNumber(over.mean));
            cells.push_back(csvNumber(ratio.mean));
            cells.push_back(csvNumber(ratio.low));
            cells.push_back(csvNumber(ratio.high));
            for (std::size_t k = 0; k < cells.size(); ++k) {
                out.append(k == 0 ? "" : ",");
                out.append(cells[k]);
            }
            out.append("\n");
        }
    }
    return out;
}

std::string sweepJson(const SweepReport &report)
{
    nlohmann::json j;
    j["command"] = report.commandLine;
    if (!report.sweepCommand.empty())
        j["sweep_command"] = report.sweepCommand;
    j["controllers"] = report.controllers;
    j["confidence"] = 0.95;
    j["interval"] = "Student t, n-1 degrees of freedom, over the seeds";
    j["sources"] = nlohmann::json::array();
    for (const SourceStats &s : report.sources) {
        nlohmann::json source = {{"source", s.source}, {"controllers", nlohmann::json::array()}};
        for (const ControllerStats &c : s.controllers)
            source["controllers"].push_back(controllerJson(c));
        source["verdict"] = verdictJson(s.verdict);
        j["sources"].push_back(source);
    }
    return j.dump(2) + "\n";
}

std::string sweepMarkdown(const SweepReport &report)
{
    std::ostringstream md;
    md << "# Sweep report\n\n"
       << "Every run drives the same arrivals through all controllers. Cells are the mean over "
          "the seeds ± the half-width of its 95 % Student t interval (n - 1 degrees of "
          "freedom); a single seed shows the mean only. Where the runs include the clairvoyant "
          "lane, each other (causal) lane also gets, seed by seed, its SLO violations minus the "
          "clairvoyant lane's (mean) and its pod-seconds over the clairvoyant lane's (cost "
          "ratio, mean ± half-width).\n";
    for (const SourceStats &s : report.sources) {
        const bool gap = s.verdict.hasClairvoyant;
        md << "\n## " << s.source << "\n\n| controller | seeds |";
        for (SweepMetric m : kSweepMetrics)
            md << " " << metricTitle(m) << " |";
        if (gap)
            md << " violations over clairvoyant | cost ratio |";
        md << "\n| --- | ---: |";
        for (std::size_t m = 0; m < kSweepMetrics.size() + (gap ? 2 : 0); ++m)
            md << " ---: |";
        md << "\n";
        for (const ControllerStats &c : s.controllers) {
            md << "| " << c.controller << " | " << c.seeds.size() << " |";
            for (const MeanInterval &i : c.intervals)
                md << " " << tableCell(i) << " |";
            if (gap && !c.gap)
                md << " — | — |";
            else if (gap) {
                const MeanInterval &over = c.gap->violationsOverInterval;
                md << " " << (over.n > 0 ? tableNumber(over.mean, over.mean) : "n/a") << " | "
                   << tableCell(c.gap->costRatioInterval) << " |";
            }
            md << "\n";
        }
        md << "\n" << verdictLine(s.verdict) << "\n";
        for (const ControllerStats &c : s.controllers) {
            // A lane that ran its fallback reads "available" in summary.json: say why it is
            // counted as unavailable here, or its summary.json seems to contradict the report.
            if (c.withoutModelRuns > 0)
                md << "\n"
                   << c.controller << " ran without its model (model_error in runs/*/summary.json) in "
                   << c.withoutModelRuns
                   << " run(s): counted as unavailable (its reactive fallback ran, not the model).\n";
            if (const int other = c.unavailableRuns - c.withoutModelRuns; other > 0)
                md << "\n"
                   << c.controller << " was unavailable in " << other
                   << " run(s) (see runs/*/summary.json).\n";
        }
        // A capped reference: the comparisons with it measure against less than the load needed.
        for (const ControllerStats &c : s.controllers) {
            if (c.controller == kClairvoyantController && c.cappedRuns > 0)
                md << "\n" << c.controller << " (the reference) was capped at " << c.capPods
                   << " pods in " << c.cappedRuns << " of " << c.seeds.size() << " run(s), for "
                   << tableNumber(c.cappedSeconds / c.cappedRuns, c.cappedSeconds / c.cappedRuns)
                   << " s on average (max_replicas while the load needed more; see "
                      "runs/*/summary.json): violations over it and cost ratios compare with a "
                      "reference held short of the load.\n";
        }
    }
    md << "\nProduced by:\n\n```\n" << report.commandLine << "\n```\n";
    return md.str();
}

void writeSweepReport(const SweepReport &report, const std::string &outDir)
{
    const fs::path dir(outDir);
    writeFileAtomically((dir / "sweep.csv").string(), sweepCsv(report));
    writeFileAtomically((dir / "sweep.json").string(), sweepJson(report));
    writeFileAtomically((dir / "sweep.md").string(), sweepMarkdown(report));
}

namespace {

// Characters no POSIX shell reads specially: a word of only these needs no quotes.
constexpr const char *kShellPlain
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789@%+=:,./_-";

} // namespace

std::string shellJoin(const std::vector<std::string> &words)
{
    std::string out;
    for (const std::string &w : words) {
        if (!out.empty())
            out += ' ';
        const bool plain = !w.empty() && w.find_first_not_of(kShellPlain) == std::string::npos;
        if (plain) {
            out += w;
            continue;
        }
        out += '\'';
        for (char c : w)
            out += c == '\'' ? std::string("'\\''") : std::string(1, c);
        out += '\'';
    }
    return out;
}

std::optional<std::vector<std::string>> shellSplit(const std::string &line)
{
    std::vector<std::string> words;
    std::string word;
    bool inWord = false; // '' is a word too, an empty one
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (c == ' ' || c == '\t' || c == '\n') {
            if (inWord)
                words.push_back(std::move(word));
            word.clear();
            inWord = false;
        } else if (c == '\'') {
            const auto close = line.find('\'', i + 1);
            if (close == std::string::npos)
                return std::nullopt;
            word += line.substr(i + 1, close - i - 1);
            inWord = true;
            i = close;
        } else if (c == '\\') {
            if (++i == line.size())
                return std::nullopt;
            word += line[i];
            inWord = true;
        } else if (std::strchr(kShellPlain, c) != nullptr && c != '\0') {
            word += c;
            inWord = true;
        } else {
            return std::nullopt; // " $ ` * ...: a shell would read more into them
        }
    }
    if (inWord)
        words.push_back(std::move(word));
    return words;
}

} // namespace headroom::io
