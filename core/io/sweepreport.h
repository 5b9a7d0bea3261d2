#pragma once

#include "metrics/lanesample.h"

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <map>
#include <string>
#include <vector>

namespace headroom::io {

// ---- statistics ----

// The mean of a sample with its two-sided 95 % Student t interval.
struct MeanInterval
{
    int n = 0; // finite values used
    double mean = 0.0; // NaN when n == 0
    double low = 0.0; // NaN when n < 2: one value has no spread to measure
    double high = 0.0;
    double halfWidth() const { return (high - low) / 2.0; }
};

// The 97.5 % quantile of Student's t with `degreesOfFreedom` (>= 1) degrees of freedom.
double studentT975(int degreesOfFreedom);

// Mean and mean +- t(n-1) * s / sqrt(n) over the finite values (NaN ones are skipped).
MeanInterval meanInterval(const std::vector<double> &values);

// ---- the sweep's runs ----

// The per-run numbers a sweep reports, in report order.
enum class SweepMetric { SloViolations, PodSeconds, LatencyP95Ms, LatencyP99Ms, PeakPods, Dropped };
constexpr std::array<SweepMetric, 6> kSweepMetrics {SweepMetric::SloViolations,
    SweepMetric::PodSeconds, SweepMetric::LatencyP95Ms, SweepMetric::LatencyP99Ms,
    SweepMetric::PeakPods, SweepMetric::Dropped};
std::string metricKey(SweepMetric metric); // "slo_violations", as in sweep.csv
std::string metricTitle(SweepMetric metric); // "SLO violations", for tables and charts
double metricValue(const metrics::LaneSummary &lane, SweepMetric metric);

// The model a predictive lane of a sweep ran on: its file and its metadata's weights_sha256,
// or why it could not be loaded (the lane then ran its reactive fallback). Recorded in each
// run's sweep-run.json ("models"), so that a merge can refuse parts run on other models.
struct LaneModel
{
    std::string path;
    std::string weightsSha256;
    std::string error;
};

// One run of a sweep: a source (scenario, or trace with its options) and a seed.
struct SweepRun
{
    std::string source; // its label, e.g. "seed-spike" or "nasa@x60@from=0h@hours=6"
    std::string spec; // as given on the command line
    int sourceIndex = 0; // position in the sweep's source list: orders the report
    std::uint64_t seed = 1;
    metrics::RunSummary summary;
    // False for a run read without a sweep-run.json "spec" (a `run` output copied in, or an
    // older one): its spec is then only its label, and is not compared with other runs'.
    bool specRecorded = true;
    // Per predictive lane (controller name); empty for runs written before sweeps recorded it.
    std::map<std::string, LaneModel> models;
    // SHA-256 of the file the source was read from (a trace, a scenario file); empty for a
    // built-in scenario and for runs written before sweeps recorded it.
    std::string sourceSha256;
    // The folder it was read from (runs/<source>-seed<k>), for messages to name; empty for a
    // run not read from a folder.
    std::string dir;
    // Read with its sweep-run.json: a sweep writes one beside every run's summary.json.
    bool sweepRunRecorded = false;
};

// A source's label as sweep gives it (its folder and file names come from it): letters,
// digits and marks of any script (in UTF-8) and "-._@=+" are kept, any other character (a
// path separator, a space, a control, a symbol, a byte that is no UTF-8) made '_'.
std::string safeLabel(const std::string &text);

// "runs/<source>-seed<k>" relative to a sweep's output folder.
std::string runDirName(const std::string &source, std::uint64_t seed);

// Writes runs/<source>-seed<k>/summary.json and sweep-run.json (source, spec, index,
// seed: what a merge needs) under `outDir`. Throws std::runtime_error naming the path.
void writeSweepRun(const SweepRun &run, const std::string &outDir);

// Reads every runs/*/ of a sweep's output folder. Throws InputError naming the file and
// field, also for a run whose files contradict each other or themselves (checkLaneSummary;
// sweep-run.json's seed or source against summary.json's and the folder's name).
std::vector<SweepRun> readSweepRuns(const std::string &outDir);

// What a lane's summary must hold whatever its samples say: no request counted twice
// (completed, dropped, slo_violations each at most the requests), peak_pods within the
// cluster's limit, latency quantiles in order (p50 <= p95 <= p99 <= max), and, given the
// run's duration, its seconds within it (violation_seconds, fallback_s, the reference's capped
// seconds) and its pod_seconds at most its peak_pods through it (none without a pod). A
// summary.json of a sweep's run and a recorded run's run.json are both held to it.
struct LaneSummaryLimits
{
    int maxPods = 0; // the most pods the lane's cluster can have
    std::string maxPodsText; // that limit as a message names it: "a cluster can have (1000)"
    // Every request the lane counts arrived within the run (false for a live cluster's
    // recording, which begins with requests already in flight).
    bool arrivedWithin = true;
    // Every request has ended, completed or dropped (a run that ran to its end).
    bool finished = true;
    // The run's duration_s as its file says: the summary's seconds lie within it (nullopt: not
    // checked).
    std::optional<double> durationS;
};
// Throws InputError(path, field `at` + the lane's field, e.g. "lanes[0].slo_violations") on
// the first problem; a lane that did not run (available false) has none.
void checkLaneSummary(const metrics::LaneSummary &lane, const LaneSummaryLimits &limits,
    const std::string &path, const std::string &at);

// One entry of summary.json's "lanes" (laneSummaryJson()) back into a LaneSummary, as
// written: optional fields left out by older versions keep their defaults. The reference
// lane's null over, under and reference pod-seconds read as 0 with isProvisioningReference
// set (the 0 of older versions as 0, unset). Throws InputError.
metrics::LaneSummary parseLaneSummary(const nlohmann::json &lane, const std::string &path);

// summary.json back into a RunSummary (null latencies become NaN). Throws InputError.
metrics::RunSummary parseSummaryJson(const std::string &text, const std::string &path);

// ---- the report ----

// The lane every other is measured against: the cheapest schedule that meets the
// SLO. All other lanes are causal.
inline constexpr const char *kClairvoyantController = "clairvoyant";
// A predictive lane "meets the cost target" when its mean cost ratio (pod-seconds
// over the clairvoyant lane's) is at most this.
inline constexpr double kCostRatioTarget = 1.3;

// A causal lane against the clairvoyant lane of the same runs, seed by seed (runs
// where both lanes were available).
struct ClairvoyantGap
{
    std::vector<std::uint64_t> seeds;
    std::vector<double> violationsOver; // slo_violations - clairvoyant's
    std::vector<double> costRatio; // pod_seconds / clairvoyant's (NaN when that is 0)
    MeanInterval violationsOverInterval;
    MeanInterval costRatioInterval;
};

struct ControllerStats
{
    std::string controller;
    std::vector<std::uint64_t> seeds; // runs where the lane was available
    std::vector<std::vector<double>> values; // [metric][run], in kSweepMetrics order
    std::vector<MeanInterval> intervals; // [metric]
    int unavailableRuns = 0;
    // Of those, runs where the lane ran but without its model (summary.json's "model_error":
    // its reactive fallback ran), so the report says what happened, not just "unavailable".
    int withoutModelRuns = 0;
    // Runs where the lane's clairvoyant reference was held at max_replicas while the load
    // needed more (summary.json's provisioning.reference_capped), their seconds summed, and
    // the cap (the largest, should runs differ).
    int cappedRuns = 0;
    double cappedSeconds = 0.0;
    int capPods = 0;
    // Set for every causal lane when the source's runs include the clairvoyant lane.
    std::optional<ClairvoyantGap> gap;
};

// Whether the clairvoyant lane's violations are past the fewest a causal lane had, beyond a
// request and 5 %: then it is not the limit there (its plan fell short, see
// clairvoyantcontroller.cpp), and no cost ratio against it is a target met or missed.
bool clairvoyantNotTheLimit(double clairvoyantViolations, double fewestCausalViolations);

// One run's lanes where the clairvoyant lane is not the limit: its violations, and the causal
// lane with the fewest (the first of those tied). Unset when it is the limit, or did not run.
struct ClairvoyantShortfall
{
    long long clairvoyantViolations = 0;
    std::string fewestLane;
    long long fewestViolations = 0;
};
std::optional<ClairvoyantShortfall> clairvoyantShortfall(const std::vector<metrics::LaneSummary> &lanes);

// Per source: which causal lane has the fewest mean SLO violations, and where each
// "predictive*" lane stands.
struct PredictiveStanding
{
    std::string controller;
    double sloViolationsMean = 0.0; // NaN when the lane never ran
    int rank = 0; // among causal lanes by mean SLO violations, 1 = fewest, ties share; 0: never ran
    double costRatioMean = 0.0; // NaN without a clairvoyant lane (or pairs)
    std::optional<bool> withinCostTarget; // cost ratio <= kCostRatioTarget; unset without one
};

struct SourceVerdict
{
    int causalLanes = 0; // causal lanes with at least one available run
    std::vector<std::string> fewestViolations; // all tied at the lowest mean
    double fewestViolationsMean = 0.0; // NaN when no causal lane ran
    bool hasClairvoyant = false;
    // Its mean violations when it has more than the fewest causal lane's, beyond a request
    // and 5 %: it is not the limit here, and no cost ratio against it meets a target.
    std::optional<double> clairvoyantNotTheLimit;
    std::vector<PredictiveStanding> predictive; // in controller order
};

struct SourceStats
{
    std::string source;
    std::vector<ControllerStats> controllers; // in the sweep's controller order
    SourceVerdict verdict;
};

// The verdict over a source's controller statistics (buildSweepReport sets it).
SourceVerdict sourceVerdict(const std::vector<ControllerStats> &controllers);

struct SweepReport
{
    std::string commandLine;
    // A merge's: the sweep command its inputs recorded (sweep.json's "sweep_command", left
    // out when empty), so that merging it again is checked against the other inputs.
    std::string sweepCommand;
    std::vector<std::string> controllers;
    std::vector<SourceStats> sources; // by source index, then label
};

// Groups runs by source and controller. Runs need not be sorted.
SweepReport buildSweepReport(std::vector<SweepRun> runs,
    const std::vector<std::string> &controllers, std::string commandLine);

std::string sweepCsv(const SweepReport &report);
std::string sweepJson(const SweepReport &report);
std::string sweepMarkdown(const SweepReport &report);
// sweep.csv, sweep.json and sweep.md into `outDir`. Throws std::runtime_error naming the path.
void writeSweepReport(const SweepReport &report, const std::string &outDir);

// A command line a POSIX shell reads back as the same words.
std::string shellJoin(const std::vector<std::string> &words);
// The words of a command line shellJoin() wrote (so a sweep's recorded command can be
// compared option by option): blanks between words, '...' quoted, \ escaping one character.
// None for a line a shell would read more into (a quote left open, a trailing backslash,
// an unquoted " $ ` * and the like).
std::optional<std::vector<std::string>> shellSplit(const std::string &line);

} // namespace headroom::io
