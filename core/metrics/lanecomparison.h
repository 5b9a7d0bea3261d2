#pragma once

#include "metrics/lanesample.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace headroom::metrics {

// A spike every lane saw, the scenario's own or an operator's: [startS, endS).
struct SpikeWindow
{
    double startS = 0.0;
    double endS = 0.0;
};

// How one lane answered one spike.
struct SpikeResponse
{
    double startS = 0.0;
    double endS = 0.0;
    // The pods the spike's load needs to meet the SLO: podsMeetingSlo for the spike's mean
    // arrival rate so far (at most the cluster's max_replicas); 0 before its first second.
    int neededPods = 0;
    // Seconds from startS until the lane's ready pods first reached neededPods, within the
    // spike; unset while they have not.
    std::optional<double> scaleS;
    int peakReadyPods = 0; // the most ready pods the lane had during the spike so far
    // The spike is over (or the run is): an unset scaleS stays unset.
    bool closed = false;
};

// What the summary table compares across lanes, beyond one lane's own totals.
struct LaneComparison
{
    // Seconds whose trailing p95 latency was over the SLO (the latency chart's red spans).
    double p95BreachSeconds = 0.0;
    std::vector<SpikeResponse> spikes;
    // Ready pods against the reference's (the clairvoyant lane's ready pods, or the load line),
    // second by second: pod-seconds above and below it, and the reference's own pod-seconds
    // over the same seconds. All 0 for the reference lane itself.
    bool isReference = false;
    double overPodSeconds = 0.0;
    double underPodSeconds = 0.0;
    double referencePodSeconds = 0.0;
    // Seconds whose reference was capped: the clairvoyant lane desiring the cluster's
    // max_replicas (ComparisonSettings::maxReplicas) while the load line needed more. There
    // no lane can be under the reference by what the load lacks, so the under-provisioning
    // reads low; the summary says so. Counted for the reference lane too; 0 against the load
    // line.
    double referenceCappedSeconds = 0.0;
    int referenceCapPods = 0; // the cap, once referenceCappedSeconds > 0

    // The mean time to scale over the spikes whose need was reached.
    std::optional<double> meanScaleS() const;
    // Spikes over whose need was never reached.
    int missedSpikes() const;
    // Spikes the run has reached (a second of them seen); later ones are listed, not counted.
    int startedSpikes() const;
};

// What a comparison needs to know of the run.
struct ComparisonSettings
{
    double sloLatencyMs = 500.0;
    double serviceMeanS = 0.150;
    int podSlots = 1;
    double durationS = 0.0; // a spike that outlasts the run closes when the run ends
    // The lane whose ready pods are the reference, or -1 for the load line.
    int referenceLane = -1;
    // The cluster's most pods, every lane's cap: a reference desiring that many while the load
    // needs more is capped. 0: not known (no cap is noticed).
    int maxReplicas = 0;
    // A spike's need: the pods that meet the SLO (podsMeetingSlo), or, as recordings made
    // before 6 December 2026 measured it, the load line rounded up (every slot busy: a lane
    // holding that many at 94 % use, its p95 at 7 s, read as scaled in 0 s).
    bool needMeetsSlo = true;

    bool operator==(const ComparisonSettings &) const = default;
};

// The fewest pods whose slots serve Poisson arrivals at `ratePerS`, each taking an exponential
// service time of mean `serviceS`, with at most 5 % of requests waiting past the SLO less the
// mean service time (Erlang C, M/M/c). At least 1; `maxPods` when none up to it does.
int podsMeetingSlo(double ratePerS, double serviceS, int podSlots, double sloS, int maxPods);

// Copies a lane's comparison into its summary, as summary.json gives it: the time to scale
// and spikes, and the provisioning against the reference (the clairvoyant lane, or the load
// line when `settings` names none). A lane that did not run keeps its defaults.
void applyComparison(LaneSummary &lane, const LaneComparison &comparison,
    const ComparisonSettings &settings);

// The load line of the pods chart: the pods a second's arrivals keep busy, every slot used.
double loadPods(const LaneSample &sample, double serviceMeanS, int podSlots);

// The lane the others are compared with: the first lane named "clairvoyant" that ran, or -1.
int referenceLane(const std::vector<std::pair<std::string, bool>> &namesAndAvailability);

// Keeps every lane's comparison up to date as samples arrive: each sample is looked at once,
// and each spike keeps only the record highs of ready pods, so a refresh costs the new
// samples, not the whole run.
// The dashboard's table uses it live; Experiment::summary() once over the whole run, for
// summary.json.
class ComparisonTracker
{
public:
    // Forgets everything; the next update() starts from the first sample.
    void reset(const ComparisonSettings &settings);
    const ComparisonSettings &settings() const { return m_settings; }

    // `lanes`: every lane's samples, one per second in time order, all lanes on the same
    // seconds (a lane that did not run has none). Between calls they only grow and `spikes`
    // only gets new ones at the end; anything else (a new run) starts over.
    void update(const std::vector<const std::vector<LaneSample> *> &lanes,
        const std::vector<SpikeWindow> &spikes);
    const std::vector<LaneComparison> &results() const { return m_results; }

private:
    // One lane's progress through one spike.
    struct SpikeState
    {
        std::size_t next = 0; // the next sample to look at
        bool started = false; // `next` was placed at the spike's first sample
        double loadSum = 0.0;
        long long loadSeconds = 0;
        // Record highs of ready pods in the spike: (time, pods), pods strictly increasing.
        std::vector<std::pair<double, int>> records;
    };
    struct LaneState
    {
        std::size_t seen = 0;
        LaneSample last; // the last sample seen, to notice a new run
        std::vector<SpikeState> spikes;
    };

    bool continues(const std::vector<const std::vector<LaneSample> *> &lanes,
        const std::vector<SpikeWindow> &spikes) const;
    void addSamples(std::size_t lane, const std::vector<LaneSample> &samples,
        const std::vector<LaneSample> *reference);
    void followSpike(std::size_t lane, std::size_t spike, const std::vector<LaneSample> &samples);
    // The reference's second at the cluster's cap while the load needs more pods.
    bool isCapped(const LaneSample &reference) const;

    ComparisonSettings m_settings;
    std::vector<SpikeWindow> m_spikes;
    std::vector<LaneState> m_lanes;
    std::vector<LaneComparison> m_results;
};

} // namespace headroom::metrics
