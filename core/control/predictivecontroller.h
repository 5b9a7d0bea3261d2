#pragma once

#include "control/controller.h"

#include <deque>
#include <memory>
#include <string>

namespace headroom::forecast {
class Forecaster;
}

namespace headroom::control {

struct PredictiveSettings
{
    double periodS = 1.0;             // decision period
    double targetUtilization = 0.85;  // planned busy share of each pod's slots (p90 is the margin)
    double servingWindowS = 60.0;     // a pod started now must carry the load this long once ready
    double drainS = 5.0;              // a queue (as it will be when new pods are ready) drains in this long
    double scaleDownHoldS = 30.0;     // scale down only to the highest recommendation of this window
    double forecastPeriodS = 5.0;     // the model runs once a step (sooner when the load outruns it)
    double reactiveRateS = 1.0;       // the reactive floor reads the arrival rate over this long
    double warmupS = 15.0;            // history before the model is trusted
    // The forecast is of 5 s means, but requests queue whenever one second brings more
    // than the pods take: the planned rate is r + peakWeight * z * sqrt(r) for a forecast r,
    // z the median over the last peakSpanS seconds' steps of (busiest second - step mean) /
    // sqrt(step mean): about 1.2 for Poisson arrivals, more for burstier ones.
    double peakSpanS = 60.0;
    double peakWeight = 2.0;
    double errorWindowS = 120.0;      // recent forecasts scored for the error fallback
    double maxRelativeError = 0.6;    // fall back when recent |p50 - actual| beyond counting noise, over the actual, exceeds this
    double recoverRelativeError = 0.4; // and return to the model below this
    int minScoredForecasts = 30;      // forecasts scored before the error can trigger a fallback
    int podSlots = 1;                 // requests a pod serves at once
    int minReplicas = 1;
    int maxReplicas = 20;
};

// How far the busiest second of a 5 s step runs above the step's mean, in units of the
// square root of the mean (Poisson noise's spread, so the figure carries from one load
// level to another): the median over the steps of the last `spanS` seconds before nowS.
// The forecast is of 5 s means, but requests queue whenever one second brings more than
// the pods take. The median, because a step in which the load jumps to a new level says
// nothing about its noise.
double peakExcess(const std::vector<metrics::LaneSample> &samples, double nowS, double spanS);

// The extra rate to plan for above a forecast 5 s mean rate `ratePerS`, for a busiest-second
// excess z (peakExcess): z sqrt(r) when a request takes a second or less. When it takes
// serviceS > 1 s, a slot is busy across that many seconds of arrivals, so what queues is the
// excess of the mean over serviceS seconds, which spreads less (sqrt(r / serviceS) for
// Poisson arrivals), and the 5 s forecast already carries the part of it that spreads over
// 5 s: z sqrt(r) x sqrt((1 / serviceS - 1 / 5) / (1 - 1 / 5)), nothing from 5 s up.
double burstMargin(double z, double ratePerS, double serviceS);

// Estimates a pod's capacity (requests per second at full use) from what the router
// sees: while requests queue, every ready pod is saturated and the completions per ready
// pod measure its capacity directly; otherwise the slots divided by the observed
// service time (latency minus queue wait) estimate it.
class CapacityEstimator
{
public:
    explicit CapacityEstimator(int slots) : m_slots(slots) { }
    void observe(const metrics::LaneSample &sample, double serviceS);
    double perPodRatePerS() const;
    bool measuredUnderLoad() const { return m_saturatedSeconds > 0; }

private:
    int m_slots;
    double m_fromService = 0.0;
    double m_saturated = 0.0;
    double m_lastSaturatedS = -1e9;
    double m_nowS = 0.0;
    int m_saturatedSeconds = 0;
};

// Watches pods go from created to Ready and keeps the mean of the recent start times,
// starting from the configured one.
class PodStartEstimator
{
public:
    explicit PodStartEstimator(double configuredS) : m_meanS(configuredS) { }
    void observe(const sim::ClusterView &cluster);
    double meanS() const { return m_meanS; }
    int observed() const { return m_observed; }

private:
    double m_meanS;
    int m_observed = 0;
    int m_newestSeenId = -1;      // the newest pod seen so far, in any phase
    std::vector<int> m_startingIds; // pods last seen starting
};

// The learned predictive controller. Every period it reads the router's last minute of
// request rate and p95 latency (12 steps of 5 s) plus the last ten minutes' mean,
// forecasts the rate's p50 and p90 up to three minutes ahead, and sizes replicas for the
// highest p90 over the window in which a pod started now would be serving (from its
// observed start time on), through a per-pod capacity it estimates online. It never
// goes below the reactive floor (what the current load needs), scales down only after
// the recommendation stayed lower for a while, and runs the reactive rule alone,
// visibly, while the model is unavailable, warming up or has been wrong lately.
class PredictiveController : public Controller
{
public:
    // A null `model` runs the reactive rule throughout, with `modelError` as the reason.
    PredictiveController(std::shared_ptr<const forecast::Forecaster> model,
                         const PredictiveSettings &settings, double podStartS,
                         int initialReplicas, std::string modelError = {});
    ~PredictiveController() override;

    std::string name() const override { return "predictive"; }
    std::optional<int> onSecond(const ControlContext &context,
                                std::vector<metrics::LaneEvent> &events) override;
    bool forecasts() const override { return true; }
    std::string modelError() const override;
    void annotate(metrics::LaneSample &sample) const override;
    std::optional<metrics::ForecastCurve> latestForecast() const override;

    // The rate the controller last planned for, req/s.
    double lastForecast() const { return m_plannedRate; }
    bool inFallback() const { return m_fallbackReason.has_value(); }

private:
    struct Pending; // a forecast waiting for its target step to pass
    struct Scored;  // a forecast whose target step has passed
    double windowStart(double nowS, double podStartS) const;
    // Requests waiting when a pod started now becomes ready: today's queue plus what
    // arrives beyond the ready pods' capacity until then.
    double backlogAtReady(const sim::ClusterView &cluster, double ratePerS, double podStartS) const;
    // `historyS`: seconds since the lane's history began (see m_historyStartS).
    std::optional<std::string> fallbackReason(double historyS) const;
    void scoreForecasts(const ControlContext &context);
    void switchMode(double nowS, std::optional<std::string> reason,
                    std::vector<metrics::LaneEvent> &events);
    int holdScaleDown(double nowS, int recommendation);
    // Runs the model on the window ending now when its latest forecast is a step old, or
    // when the load since has risen past that forecast's p90.
    void refreshForecast(const ControlContext &context);

    std::shared_ptr<const forecast::Forecaster> m_model;
    std::string m_modelError;
    PredictiveSettings m_settings;
    CapacityEstimator m_capacity;
    PodStartEstimator m_podStart;
    std::optional<std::string> m_fallbackReason;
    bool m_modeAnnounced = false;
    double m_plannedRate = 0.0;
    // This second's forecast for the sample, and the latest curve.
    double m_sampleHorizonS;
    double m_sampleP50;
    double m_sampleP90;
    std::optional<metrics::ForecastCurve> m_curve;
    std::deque<Pending> m_pending;
    std::deque<Scored> m_scored;
    std::vector<std::pair<double, int>> m_recommendations; // (time, replicas)
    double m_lastDecisionS = -1.0;
    // When the lane's history begins: 0 in a simulated run; when it joined, on a live cluster
    // already running (control, the dashboard following one), whose clock was well past 0
    // and whose warm-up was skipped when measured from it (a new-user trial).
    std::optional<double> m_historyStartS;
};

} // namespace headroom::control
