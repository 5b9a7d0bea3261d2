#pragma once

#include <limits>
#include <optional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace headroom::metrics {

// What one lane reports for one simulated second [t_s - 1, t_s).
// Latencies are over a trailing 5 s window of completions, NaN when none completed.
struct LaneSample
{
    double tS = 0.0;
    double arrivalsPerS = 0.0;
    double completedPerS = 0.0;
    double droppedPerS = 0.0; // timeouts plus rejections
    // Requests that violated the SLO this second, counted when it shows: completed late,
    // timed out or rejected (the sloViolations of LaneSummary, second by second).
    double sloViolationsPerS = 0.0;
    double latencyP50Ms = 0.0;
    double latencyP95Ms = 0.0;
    double latencyP99Ms = 0.0;
    int podsDesired = 0;
    int podsReady = 0;
    int podsStarting = 0; // Pending or Starting
    int podsUnready = 0;  // started and once Ready, but failing readiness now
    double cpuUtilization = 0.0; // mean over ready pods, fraction of request (0..1)
    int queueLength = 0;
    // Requests in the system (router queue plus in service), averaged over the
    // second: the concurrency Knative's queue-proxy and activator report.
    double concurrency = 0.0;
    // A forecasting controller's latest forecast, as of this second, of the mean arrival
    // rate over the kStepS-second step ending forecastHorizonS from now (the first horizon
    // covering the observed pod start): NaN for lanes that do not forecast.
    double forecastHorizonS = std::numeric_limits<double>::quiet_NaN();
    double forecastP50 = std::numeric_limits<double>::quiet_NaN();
    double forecastP90 = std::numeric_limits<double>::quiet_NaN();
    // True while the controller runs its reactive fallback instead of its model.
    bool fallback = false;
    // The traffic source has no record of this second (a hole in a count trace): its
    // arrivals are unknown, not zero. Controllers do not act on it and forecasts skip it.
    bool noData = false;
};

// A forecasting controller's latest forecast, for the band drawn ahead of now.
struct ForecastCurve
{
    double madeAtS = 0.0;
    std::vector<double> horizonsS; // seconds after madeAtS
    std::vector<double> p50;       // req/s
    std::vector<double> p90;       // req/s, >= p50
};

// How well a lane's forecasts matched what then arrived (see forecastAccuracy()).
struct ForecastAccuracy
{
    long long forecasts = 0;        // forecasts whose target step has passed
    double maeRatePerS = 0.0;       // mean |p50 - actual|
    double relativeMae = 0.0;       // maeRatePerS / mean actual rate; NaN when that mean is 0
    double coverageP90 = 0.0;       // share of actual rates <= p90
};

// Totals over a whole run, the numbers summary.json and the dashboard table show.
struct LaneSummary
{
    std::string controller;
    bool available = true;
    std::string unavailableReason;
    long long requests = 0;
    long long completed = 0;
    long long dropped = 0;
    long long sloViolations = 0;
    // Seconds with at least one SLO violation (sloViolationsPerS > 0).
    double violationSeconds = 0.0;
    double latencyP50Ms = 0.0;
    double latencyP95Ms = 0.0;
    double latencyP99Ms = 0.0;
    double latencyMaxMs = 0.0;
    double podSeconds = 0.0;
    int peakPods = 0;
    // Forecasting lanes only: accuracy of the forecasts, and seconds run on the reactive
    // fallback (warming up, model unavailable, or forecast error too large).
    bool forecasts = false;
    ForecastAccuracy forecast;
    double fallbackSeconds = 0.0;
    // Set when a forecasting lane had no model and ran its reactive rule throughout:
    // its numbers are the fallback's, not the model's.
    std::string modelError;
    // Against the other lanes (ComparisonTracker, as the dashboard's table): the mean time
    // to reach each spike's need (unset when no spike's was reached), the spikes whose need
    // was never reached, and ready pod-seconds above and below the reference ("clairvoyant"
    // when that lane ran, else "load": the load line), with the reference's own.
    std::optional<double> meanScaleS;
    int spikes = 0;
    int spikesMissed = 0;
    std::string provisioningReference;
    // This lane is the reference (the clairvoyant lane): it is not compared with itself, so
    // its over, under and reference pod-seconds are unknown, not 0 (null in summary.json).
    bool isProvisioningReference = false;
    double overPodSeconds = 0.0;
    double underPodSeconds = 0.0;
    double referencePodSeconds = 0.0;
    // Seconds of those whose clairvoyant reference was held at the cluster's max_replicas
    // (referenceCapPods) while the load needed more: under-provisioning there reads low.
    double referenceCappedSeconds = 0.0;
    int referenceCapPods = 0;
};

// A scaling or condition event a controller or the cluster reports, for markers and logs.
struct LaneEvent
{
    double tS = 0.0;
    std::string kind; // "scale", "condition", "fallback", "spike"
    std::string text;
    // Non-empty for a state that lasts (e.g. "KPA panic"): this event opens
    // (regionOpens) or closes a span the charts shade until the matching close.
    std::string region;
    bool regionOpens = false;
};

} // namespace headroom::metrics

namespace headroom::metrics {

// A whole run, as summary.json holds it.
struct RunSummary
{
    std::string scenario;
    std::string source; // what drove the arrivals, in words
    unsigned long long seed = 0;
    double durationS = 0.0;
    double sloLatencyMs = 0.0;
    // The cluster it ran on: its preset, and every field of a scenario's "cluster" object
    // (sim::clusterFields); empty in a summary written before they were recorded.
    std::string preset;
    std::vector<std::pair<std::string, double>> cluster;
    std::vector<LaneSummary> lanes;
};

} // namespace headroom::metrics

namespace headroom::metrics {

// Seconds per step of the forecast's target (the model's step).
constexpr double kForecastStepS = 5.0;

// Scores every sample's forecast against the mean arrival rate of the samples in
// (t + horizon - kForecastStepS, t + horizon]; forecasts whose step has not fully
// passed are left out. Samples are one per second, in time order.
ForecastAccuracy forecastAccuracy(const std::vector<LaneSample> &samples);

// The same score kept up to date as samples arrive, so a live lane's summary costs
// the same after a minute as after a month: each forecast is scored once, when its
// target step has passed. Also counts the seconds on the reactive fallback.
class ForecastScorer
{
public:
    // Takes in the samples added since the last call (the vector only grows).
    void update(const std::vector<LaneSample> &samples);
    ForecastAccuracy accuracy() const;
    double fallbackSeconds() const { return static_cast<double>(m_fallbackSeconds); }

private:
    std::size_t m_seen = 0;
    std::multimap<long long, std::size_t> m_pending; // index of the target step's last second -> sample
    double m_absError = 0.0;
    double m_actualSum = 0.0;
    long long m_covered = 0;
    long long m_scored = 0;
    long long m_fallbackSeconds = 0;
};

} // namespace headroom::metrics
