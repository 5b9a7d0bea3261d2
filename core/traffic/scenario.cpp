#include "traffic/scenario.h"

#include "io/hpajson.h"
#include "io/inputerror.h"
#include "sim/limits.h"
#include "traffic/builtinscenariotexts.h"
#include "traffic/jsonfields.h"
#include "traffic/textfile.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numbers>
#include <sstream>

namespace headroom::traffic {

namespace {

using Kind = Segment::Kind;

constexpr double kMaxPeriodS = 1e7; // the simulator's longest run
constexpr std::size_t kMaxSegments = 10'000;

bool covers(const Segment &segment, double t)
{
    return t >= segment.startS && t < segment.endS;
}

bool isBase(const Segment &segment)
{
    return segment.kind != Kind::Spike;
}

double baseRate(const Segment &s, double t)
{
    switch (s.kind) {
    case Kind::Ramp:
        return s.rate + (s.rateTo - s.rate) * (t - s.startS) / (s.endS - s.startS);
    case Kind::Periodic:
        return s.rate + s.amplitude * std::sin(2.0 * std::numbers::pi * (t + s.phaseS) / s.periodS);
    case Kind::Constant:
    case Kind::Spike:
        break;
    }
    return s.rate;
}

double spikeRate(const Segment &spike, double base, double t)
{
    if (spike.rampS <= 0.0)
        return spike.rate;
    const double weight
        = std::min({1.0, (t - spike.startS) / spike.rampS, (spike.endS - t) / spike.rampS});
    return base + (spike.rate - base) * weight;
}

// ---- reading ----

double nonNegative(const JsonFields &f, std::string_view key, std::optional<double> fallback = {})
{
    const double value = f.number(key, fallback);
    f.require(value >= 0.0, key, "must be >= 0, got " + numberText(value));
    return value;
}

double positive(const JsonFields &f, std::string_view key, std::optional<double> fallback = {})
{
    const double value = f.number(key, fallback);
    f.require(value > 0.0, key, "must be > 0, got " + numberText(value));
    return value;
}

int count(const JsonFields &f, std::string_view key, int fallback, int min)
{
    return static_cast<int>(f.integer(key, fallback, min, 1'000'000));
}

int replicas(const JsonFields &f, std::string_view key, int fallback, int min)
{
    return static_cast<int>(f.integer(key, fallback, min, sim::kMaxReplicas));
}

// Durations past a day and a service-time spread past 10 make no run worth simulating,
// and far past them the arithmetic overflows (a lognormal of CV 1e200 draws NaN).
constexpr double kMaxSeconds = 86400.0;
constexpr double kMaxServiceCv = 10.0;

double atMost(const JsonFields &f, std::string_view key, double value, double max)
{
    std::ostringstream text;
    text << "must be at most " << max;
    f.require(value <= max, key, text.str());
    return value;
}

void readClusterTimes(const JsonFields &f, sim::ClusterConfig &c)
{
    const double ms = kMaxSeconds * 1000.0;
    c.serviceMeanS = atMost(f, "service_mean_ms", positive(f, "service_mean_ms", c.serviceMeanS * 1000.0), ms) / 1000.0;
    c.serviceCv = atMost(f, "service_cv", nonNegative(f, "service_cv", c.serviceCv), kMaxServiceCv);
    c.podPendingS = atMost(f, "pod_pending_s", nonNegative(f, "pod_pending_s", c.podPendingS), kMaxSeconds);
    c.podStartingS = atMost(f, "pod_starting_s", nonNegative(f, "pod_starting_s", c.podStartingS), kMaxSeconds);
    c.sloLatencyS = atMost(f, "slo_latency_ms", positive(f, "slo_latency_ms", c.sloLatencyS * 1000.0), ms) / 1000.0;
    c.clientTimeoutS = atMost(f, "client_timeout_s", positive(f, "client_timeout_s", c.clientTimeoutS), kMaxSeconds);
    c.bootCpuS = atMost(f, "boot_cpu_s", nonNegative(f, "boot_cpu_s", c.bootCpuS), kMaxSeconds);
    c.bootCpuM = nonNegative(f, "boot_cpu_m", c.bootCpuM);
    c.readinessMaxQueueDelayS
        = nonNegative(f, "readiness_max_queue_delay_ms", c.readinessMaxQueueDelayS * 1000.0) / 1000.0;
    c.metricsStartDelayS = atMost(f, "metrics_start_delay_s",
        nonNegative(f, "metrics_start_delay_s", c.metricsStartDelayS), kMaxSeconds);
    c.scrapeMissProbability = nonNegative(f, "scrape_miss_probability", c.scrapeMissProbability);
    f.require(c.scrapeMissProbability <= 1.0, "scrape_miss_probability", "must be at most 1");
    c.hpaTargetCpuPercent = positive(f, "hpa_target_cpu_percent", c.hpaTargetCpuPercent);
    c.metricResolutionS = atMost(f, "metric_resolution_s",
        positive(f, "metric_resolution_s", c.metricResolutionS), kMaxSeconds);
    f.require(c.metricResolutionS >= 10.0 && c.metricResolutionS == std::floor(c.metricResolutionS),
        "metric_resolution_s", "must be a whole number of seconds, at least 10 (metrics-server's minimum)");
}

void readClusterCounts(const JsonFields &f, sim::ClusterConfig &c)
{
    c.podSlots = count(f, "pod_slots", c.podSlots, 1);
    c.routerQueueCapacity = count(f, "router_queue_capacity", c.routerQueueCapacity, 0);
    c.podQueueCapacity = count(f, "pod_queue_capacity", c.podQueueCapacity, 0);
    c.minReplicas = replicas(f, "min_replicas", c.minReplicas, 0);
    c.maxReplicas = replicas(f, "max_replicas", c.maxReplicas, 1);
    c.initialReplicas = replicas(f, "initial_replicas", c.initialReplicas, 0);
    const std::string bounds = " (min_replicas " + std::to_string(c.minReplicas) + ", max_replicas "
        + std::to_string(c.maxReplicas) + ")";
    f.require(c.minReplicas <= c.maxReplicas,
        f.has("max_replicas") ? "max_replicas" : "min_replicas",
        "min_replicas must not exceed max_replicas" + bounds);
    f.require(c.initialReplicas <= c.maxReplicas, "initial_replicas",
        "must not exceed max_replicas" + bounds);
}

void readCluster(const JsonFields &f, sim::ClusterConfig &config)
{
    f.allowOnly({"service_mean_ms", "service_cv", "pod_slots", "pod_pending_s", "pod_starting_s",
        "min_replicas", "max_replicas", "initial_replicas", "slo_latency_ms",
        "router_queue_capacity", "client_timeout_s", "boot_cpu_s", "boot_cpu_m",
        "pod_queue_capacity", "readiness_max_queue_delay_ms", "metrics_start_delay_s",
        "scrape_miss_probability", "hpa_target_cpu_percent", "metric_resolution_s"});
    readClusterTimes(f, config);
    readClusterCounts(f, config);
    // The readiness probe reads the age of a pod's own queue: without one it never fails, and
    // the option ran as if it were not there (a new-user trial).
    f.require(config.readinessMaxQueueDelayS == 0.0 || config.podQueueCapacity > 0,
        "readiness_max_queue_delay_ms",
        "has no effect without pod_queue_capacity above 0: the probe reads the age of a pod's own queue");
}

Kind segmentKind(const JsonFields &f)
{
    const std::string type = f.text("type");
    const std::pair<const char *, Kind> kinds[] = {{"constant", Kind::Constant},
        {"ramp", Kind::Ramp}, {"periodic", Kind::Periodic}, {"spike", Kind::Spike}};
    for (const auto &[name, kind] : kinds) {
        if (type == name)
            return kind;
    }
    f.fail("type", "unknown segment type '" + type + "'; known: constant, ramp, periodic, spike");
}

void allowSegmentKeys(const JsonFields &f, Kind kind)
{
    switch (kind) {
    case Kind::Constant:
        return f.allowOnly({"type", "start_s", "end_s", "rate"});
    case Kind::Ramp:
        return f.allowOnly({"type", "start_s", "end_s", "from", "to"});
    case Kind::Periodic:
        return f.allowOnly(
            {"type", "start_s", "end_s", "mean", "amplitude", "period_s", "phase_s"});
    case Kind::Spike:
        return f.allowOnly({"type", "start_s", "end_s", "rate", "ramp_s"});
    }
}

void readSpan(const JsonFields &f, double durationS, Segment &s)
{
    s.startS = nonNegative(f, "start_s");
    s.endS = f.number("end_s");
    f.require(s.endS > s.startS, "end_s",
        "must be after start_s (" + numberText(s.startS) + "), got " + numberText(s.endS));
    f.require(s.startS < durationS, "start_s",
        "starts at or after the end of the run (duration_s " + numberText(durationS) + ")");
}

void readPeriodic(const JsonFields &f, Segment &s)
{
    s.rate = nonNegative(f, "mean");
    s.amplitude = nonNegative(f, "amplitude");
    f.require(s.amplitude <= s.rate, "amplitude",
        "must not exceed mean (" + numberText(s.rate) + "), or the rate would go negative");
    // The profile is sampled in quarter seconds, so a shorter period aliases into a
    // different one; a phase far from zero loses the time's digits to the sum (1e308 gave
    // NaN, so no traffic at all).
    s.periodS = f.number("period_s");
    f.require(s.periodS >= 1.0 && s.periodS <= kMaxPeriodS, "period_s",
        "must be 1 to " + numberText(kMaxPeriodS) + " s, got " + numberText(s.periodS));
    s.phaseS = f.number("phase_s", 0.0);
    f.require(std::abs(s.phaseS) <= kMaxPeriodS, "phase_s",
        "must be -" + numberText(kMaxPeriodS) + " to " + numberText(kMaxPeriodS) + " s, got "
            + numberText(s.phaseS));
}

void readSpike(const JsonFields &f, Segment &s)
{
    s.rate = nonNegative(f, "rate");
    s.rampS = nonNegative(f, "ramp_s", 0.0);
    f.require(2.0 * s.rampS <= s.endS - s.startS, "ramp_s",
        "the ramps at both ends must fit in the spike: at most half its length ("
            + numberText((s.endS - s.startS) / 2.0) + " s)");
}

void readRates(const JsonFields &f, Segment &s)
{
    switch (s.kind) {
    case Kind::Constant:
        s.rate = nonNegative(f, "rate");
        return;
    case Kind::Ramp:
        s.rate = nonNegative(f, "from");
        s.rateTo = nonNegative(f, "to");
        return;
    case Kind::Periodic:
        return readPeriodic(f, s);
    case Kind::Spike:
        return readSpike(f, s);
    }
}

Segment readSegment(const JsonFields &f, double durationS)
{
    Segment segment;
    segment.kind = segmentKind(f);
    allowSegmentKeys(f, segment.kind);
    readSpan(f, durationS, segment);
    readRates(f, segment);
    return segment;
}

// Base segments must not overlap each other, nor spikes each other: at any
// instant rateAt() has one base rate and at most one spike.
void checkOverlaps(const std::vector<Segment> &segments, bool spikes, const std::string &source)
{
    std::vector<std::size_t> order;
    for (std::size_t i = 0; i < segments.size(); ++i) {
        if (isBase(segments[i]) != spikes)
            order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(),
        [&](auto a, auto b) { return segments[a].startS < segments[b].startS; });
    for (std::size_t k = 1; k < order.size(); ++k) {
        const Segment &before = segments[order[k - 1]];
        if (segments[order[k]].startS < before.endS)
            throw InputError(source, std::nullopt,
                "segments[" + std::to_string(order[k]) + "].start_s",
                "overlaps segments[" + std::to_string(order[k - 1]) + "] ("
                    + numberText(before.startS) + " to " + numberText(before.endS) + " s); "
                    + (spikes ? "spike segments" : "base segments (constant, ramp, periodic)")
                    + " must not overlap");
    }
}

std::vector<Segment> readSegments(
    const JsonFields &root, double durationS, const std::string &source)
{
    std::vector<Segment> segments;
    const std::vector<JsonFields> objects = root.objects("segments");
    // Each rate lookup walks every segment: 200,000 of them took minutes a simulated minute.
    root.require(objects.size() <= kMaxSegments, "segments",
        "holds " + std::to_string(objects.size()) + " segments; at most "
            + std::to_string(kMaxSegments));
    for (const JsonFields &f : objects)
        segments.push_back(readSegment(f, durationS));
    root.require(!segments.empty(), "segments", "must hold at least one segment");
    checkOverlaps(segments, false, source);
    checkOverlaps(segments, true, source);
    return segments;
}

// A scenario's name names files too (runs/<name>-seed<k>): well under a file name's 255 bytes.
constexpr std::size_t kMaxScenarioNameBytes = 100;

// C0 and C1 controls, DEL, and the bidirectional overrides and isolates (U+202A-U+202E,
// U+2066-U+2069), which reorder what a terminal or table shows after them. UTF-8 bytes.
bool hasControlCharacters(const std::string &text)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x20 || c == 0x7f)
            return true;
        const auto next = [&](std::size_t k) {
            return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
        };
        if (c == 0xc2 && next(1) >= 0x80 && next(1) <= 0x9f)
            return true; // C1
        if (c == 0xe2 && next(1) == 0x80 && next(2) >= 0xaa && next(2) <= 0xae)
            return true;
        if (c == 0xe2 && next(1) == 0x81 && next(2) >= 0xa6 && next(2) <= 0xa9)
            return true;
    }
    return false;
}

void readOptions(const JsonFields &f, Scenario &s, const std::string *preset)
{
    const std::string stem = std::filesystem::path(s.source).stem().string();
    s.name = f.text("name", stem);
    f.require(!s.name.empty(), "name", "must not be empty");
    // It heads tables and charts and names files (a sweep's runs/<name>-seed<k>): a line
    // break broke the CLI's table, a leading dot made hidden files, and a name of a few
    // hundred characters failed only once a sweep made its first folder. Without a "name"
    // field it is the file's name, and the message says so.
    const std::string where = f.has("name") ? std::string()
                                            : " (the file's name: it has no \"name\" field)";
    f.require(s.name.size() <= kMaxScenarioNameBytes, "name",
        "is " + std::to_string(s.name.size()) + " bytes long; at most "
            + std::to_string(kMaxScenarioNameBytes) + where);
    f.require(!hasControlCharacters(s.name), "name",
        "must not hold control characters (line breaks, tabs, direction overrides)" + where);
    f.require(s.name.front() != '.', "name", "must not start with '.'" + where);
    s.description = f.text("description", "");
    s.durationS = positive(f, "duration_s");
    s.seed = f.seed("seed", 1);
    s.preset = preset ? *preset : f.text("preset", "default");
    f.require(sim::applyPreset(s.preset, s.cluster), "preset",
        "unknown preset '" + s.preset + "'; known: default, llm");
}

const BuiltinScenarioText *findBuiltin(const std::string &name)
{
    const auto texts = builtinScenarioTexts();
    const auto it = std::find_if(
        texts.begin(), texts.end(), [&](const auto &text) { return text.name == name; });
    return it == texts.end() ? nullptr : &*it;
}

std::string builtinList()
{
    std::string list;
    for (const std::string &name : builtinScenarioNames())
        list += (list.empty() ? "" : ", ") + name;
    return list;
}

} // namespace

double Scenario::rateAt(double t) const
{
    double base = 0.0;
    const Segment *spike = nullptr;
    for (const Segment &segment : segments) {
        if (!covers(segment, t))
            continue;
        if (isBase(segment))
            base = baseRate(segment, t);
        else
            spike = &segment;
    }
    return spike ? spikeRate(*spike, base, t) : base;
}

Scenario parseScenario(const std::string &json, const std::string &source, const std::string *preset)
{
    const nlohmann::json document = parseStrictJson(json, source);
    const JsonFields root(document, {}, source);
    root.allowOnly({"name", "description", "duration_s", "seed", "preset", "cluster", "hpa",
        "segments"});
    Scenario scenario;
    scenario.source = source;
    scenario.text = json;
    readOptions(root, scenario, preset);
    if (root.has("cluster"))
        readCluster(root.object("cluster"), scenario.cluster);
    if (root.has("hpa")) {
        sim::ClusterConfig &c = scenario.cluster;
        c.hpa = io::parseHpaSpec(document.at("hpa"), "hpa", source, c.hpaTargetCpuPercent,
            std::max(1, c.minReplicas), c.maxReplicas);
        c.hpaTargetCpuPercent = c.hpa->targetUtilizationPercent;
        // The cluster has no more pods to give: an HPA allowed more would be capped silently.
        const JsonFields hpa = root.object("hpa");
        hpa.require(c.hpa->maxReplicas <= c.maxReplicas, "max_replicas",
            "must not exceed the cluster's max_replicas (" + std::to_string(c.maxReplicas)
                + "), got " + std::to_string(c.hpa->maxReplicas));
    }
    scenario.segments = readSegments(root, scenario.durationS, source);
    return scenario;
}

void usePreset(Scenario &scenario, const std::string &preset)
{
    if (scenario.text.empty()) { // built in code, not read: no settings of its own to keep
        if (!sim::applyPreset(preset, scenario.cluster))
            throw sim::badOption("--preset", "unknown preset '" + preset + "' (available: default, llm)");
        scenario.preset = preset;
        return;
    }
    const Scenario again = parseScenario(scenario.text, scenario.source, &preset);
    scenario.cluster = again.cluster;
    scenario.preset = again.preset;
}

void applyOverrides(const sim::ClusterOverrides &overrides, Scenario &scenario)
{
    if (overrides.preset)
        usePreset(scenario, *overrides.preset);
    overrides.applyMaxTo(scenario.cluster);
}

Scenario loadScenarioFile(const std::string &path)
{
    return parseScenario(readTextFile(path), path);
}

std::vector<std::string> builtinScenarioNames()
{
    std::vector<std::string> names;
    for (const BuiltinScenarioText &text : builtinScenarioTexts())
        names.emplace_back(text.name);
    // By name, not by file name: "seed-spike-long.json" sorts before "seed-spike.json".
    std::sort(names.begin(), names.end());
    return names;
}

bool isBuiltinScenario(const std::string &name)
{
    return findBuiltin(name) != nullptr;
}

Scenario builtinScenario(const std::string &name)
{
    const BuiltinScenarioText *text = findBuiltin(name);
    if (!text)
        throw InputError(name, std::nullopt, {},
            "no built-in scenario of that name; built-ins: " + builtinList());
    Scenario scenario = parseScenario(std::string(text->json), "built-in scenario " + name);
    scenario.source = "built-in";
    return scenario;
}

Scenario resolveScenario(const std::string &nameOrPath)
{
    if (isBuiltinScenario(nameOrPath))
        return builtinScenario(nameOrPath);
    std::error_code ec;
    if (std::filesystem::exists(nameOrPath, ec))
        return loadScenarioFile(nameOrPath);
    throw InputError(nameOrPath, std::nullopt, {},
        "neither a built-in scenario nor an existing file; built-ins: " + builtinList());
}

} // namespace headroom::traffic
