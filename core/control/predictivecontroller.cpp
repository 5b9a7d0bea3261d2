#include "control/predictivecontroller.h"

#include "forecast/forecaster.h"
#include "logging.h"
#include "sim/cluster.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

namespace headroom::control {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Weight of a new observation in the capacity estimates (exponential moving average).
constexpr double kCapacitySmoothing = 0.2;
// A capacity measured under saturation is trusted this long.
constexpr double kSaturatedMemoryS = 120.0;
// Pod start times averaged (exponential moving average weight of a new one).
constexpr double kPodStartSmoothing = 0.3;

// Mean arrivals per second over the samples with tS in (fromS, toS] that have data (a
// hole in the source is unknown load, not zero); NaN when none has.
double knownMeanRate(const std::vector<metrics::LaneSample> &samples, double fromS, double toS)
{
    double sum = 0.0;
    int n = 0;
    for (auto it = samples.rbegin(); it != samples.rend() && it->tS > fromS; ++it) {
        if (it->tS <= toS && !it->noData) {
            sum += it->arrivalsPerS;
            ++n;
        }
    }
    return n > 0 ? sum / n : kNaN;
}

// The same, 0 when nothing is known (the run's first seconds).
double meanRate(const std::vector<metrics::LaneSample> &samples, double fromS, double toS)
{
    const double rate = knownMeanRate(samples, fromS, toS);
    return std::isnan(rate) ? 0.0 : rate;
}

// The last p95 latency at or before tS in (fromS, tS]: NaN when nothing completed.
double p95At(const std::vector<metrics::LaneSample> &samples, double tS)
{
    for (auto it = samples.rbegin(); it != samples.rend(); ++it) {
        if (it->tS <= tS)
            return it->latencyP95Ms;
    }
    return kNaN;
}

// A forecast curve's value at `horizonS` seconds after it was made: linear between the
// model's horizons, the nearest one outside them.
double curveAt(const std::vector<double> &horizonsS, const std::vector<double> &values,
               double horizonS)
{
    const auto after = std::lower_bound(horizonsS.begin(), horizonsS.end(), horizonS);
    if (after == horizonsS.begin())
        return values.front();
    if (after == horizonsS.end())
        return values.back();
    const auto i = static_cast<std::size_t>(after - horizonsS.begin());
    const double share = (horizonS - horizonsS[i - 1]) / (horizonsS[i] - horizonsS[i - 1]);
    return values[i - 1] + share * (values[i] - values[i - 1]);
}

int podsFor(double ratePerS, double perPod)
{
    // Held below what an int takes: a rate past every cluster's size is still "the most pods".
    return static_cast<int>(std::clamp(std::ceil(ratePerS / perPod - 1e-9), 0.0, 1e9));
}

} // namespace

double peakExcess(const std::vector<metrics::LaneSample> &samples, double nowS, double spanS)
{
    const long steps = std::lround(spanS / forecast::kStepS);
    std::vector<double> excess;
    for (long k = 0; k < steps; ++k) {
        const double end = nowS - k * forecast::kStepS;
        if (end - forecast::kStepS < 0.0)
            break;
        double total = 0.0;
        double peak = 0.0;
        int seconds = 0;
        bool known = true; // a step that touches a hole in the source says nothing of its noise
        for (auto it = samples.rbegin(); it != samples.rend() && it->tS > end - forecast::kStepS;
             ++it) {
            if (it->tS <= end) {
                total += it->arrivalsPerS;
                peak = std::max(peak, it->arrivalsPerS);
                ++seconds;
                known = known && !it->noData;
            }
        }
        if (known && seconds > 0 && total > 0.0) {
            const double mean = total / seconds;
            excess.push_back((peak - mean) / std::sqrt(mean));
        }
    }
    if (excess.empty())
        return 0.0;
    const auto middle = excess.begin() + static_cast<long>(excess.size() / 2);
    std::nth_element(excess.begin(), middle, excess.end());
    return *middle;
}

double burstMargin(double z, double ratePerS, double serviceS)
{
    const double margin = z * std::sqrt(std::max(ratePerS, 0.0));
    if (serviceS <= 1.0)
        return margin;
    // Poisson arrivals: the mean rate over T seconds spreads as sqrt(r / T). What the 5 s
    // step's forecast does not already carry is the spread over serviceS beyond the step's,
    // relative to that of one second beyond the step's.
    const double step = forecast::kStepS;
    const double share = std::max(0.0, 1.0 / serviceS - 1.0 / step) / (1.0 - 1.0 / step);
    return margin * std::sqrt(share);
}

void CapacityEstimator::observe(const metrics::LaneSample &sample, double serviceS)
{
    m_nowS = sample.tS;
    if (serviceS > 0.0 && std::isfinite(serviceS)) {
        const double fromService = m_slots / serviceS;
        m_fromService = m_fromService > 0.0
            ? m_fromService + kCapacitySmoothing * (fromService - m_fromService)
            : fromService;
    }
    // Every slot of every ready pod busy on average over the second, with requests still
    // waiting: the pods were saturated, and their completions measure what they manage.
    const bool saturated = sample.podsReady > 0 && sample.queueLength > 0
        && sample.concurrency >= m_slots * sample.podsReady + sample.queueLength * 0.5;
    if (saturated && sample.completedPerS > 0.0) {
        const double measured = sample.completedPerS / sample.podsReady;
        m_saturated = m_saturatedSeconds > 0
            ? m_saturated + kCapacitySmoothing * (measured - m_saturated)
            : measured;
        ++m_saturatedSeconds;
        m_lastSaturatedS = sample.tS;
    }
}

double CapacityEstimator::perPodRatePerS() const
{
    const bool recent = m_saturatedSeconds > 0 && m_nowS - m_lastSaturatedS <= kSaturatedMemoryS;
    if (recent && m_fromService > 0.0)
        return std::min(m_saturated, m_fromService);
    if (recent)
        return m_saturated;
    return m_fromService;
}

void PodStartEstimator::observe(const sim::ClusterView &cluster)
{
    // A pod that is Ready now has just finished starting when it was starting at the last
    // look, or is newer than any pod seen then (pod ids grow with creation; it started
    // between two looks). Each is counted once, in whatever order pods become Ready: a
    // slower pod ready after a newer one counts too. Warm pods (ready when created) teach
    // nothing.
    std::vector<int> starting;
    int newest = m_newestSeenId;
    for (const sim::Pod &pod : cluster.pods()) {
        newest = std::max(newest, pod.id);
        if (pod.starting()) {
            starting.push_back(pod.id);
            continue;
        }
        if (pod.phase != sim::Pod::Phase::Ready)
            continue;
        const bool wasStarting
            = std::find(m_startingIds.begin(), m_startingIds.end(), pod.id) != m_startingIds.end();
        if (!wasStarting && pod.id <= m_newestSeenId)
            continue;
        const double startS = pod.readyS - pod.createdS;
        if (!(startS > 0.0)) // started warm
            continue;
        m_meanS = m_observed == 0 ? startS : m_meanS + kPodStartSmoothing * (startS - m_meanS);
        ++m_observed;
    }
    m_startingIds = std::move(starting);
    m_newestSeenId = newest;
}

struct PredictiveController::Pending
{
    double targetS = 0.0; // the forecast step ends here
    double p50 = 0.0;
};

struct PredictiveController::Scored
{
    double tS = 0.0;
    double absError = 0.0;
    double actual = 0.0;
    double noise = 0.0; // the error that counting alone brings (see scoreForecasts)
};

PredictiveController::PredictiveController(std::shared_ptr<const forecast::Forecaster> model,
                                           const PredictiveSettings &settings, double podStartS,
                                           int initialReplicas, std::string modelError)
    : m_model(std::move(model))
    , m_modelError(std::move(modelError))
    , m_settings(settings)
    , m_capacity(settings.podSlots)
    , m_podStart(podStartS)
    , m_sampleHorizonS(kNaN)
    , m_sampleP50(kNaN)
    , m_sampleP90(kNaN)
{
    // Like the HPA, start with the current count in the window, so the first
    // minutes' partial history cannot scale the service down at once.
    m_recommendations.emplace_back(0.0, initialReplicas);
}

PredictiveController::~PredictiveController() = default;

std::optional<std::string> PredictiveController::fallbackReason(double historyS) const
{
    if (!m_model)
        return "model unavailable: " + (m_modelError.empty() ? std::string("no model loaded")
                                                              : m_modelError);
    if (historyS < m_settings.warmupS) {
        std::ostringstream text;
        text << "warming up: " << historyS << " s of " << m_settings.warmupS << " s of history";
        return text.str();
    }
    double absError = 0.0;
    double actual = 0.0;
    double noise = 0.0;
    for (const Scored &s : m_scored) {
        absError += s.absError;
        actual += s.actual;
        noise += s.noise;
    }
    // The model is judged on what it gets wrong beyond the counting noise.
    absError = std::max(0.0, absError - noise);
    if (static_cast<int>(m_scored.size()) < m_settings.minScoredForecasts || actual <= 0.0)
        return std::nullopt;
    const double error = absError / actual;
    const double limit = m_fallbackReason && m_fallbackReason->starts_with("forecast error")
        ? m_settings.recoverRelativeError
        : m_settings.maxRelativeError;
    if (error > limit) {
        // Whole numbers: "over the last 120 s", never "1.2e+02 s".
        std::ostringstream text;
        text << "forecast error " << std::lround(100.0 * error) << " % beyond counting noise over the last "
             << std::lround(m_settings.errorWindowS) << " s (limit "
             << std::lround(100.0 * limit) << " %)";
        return text.str();
    }
    return std::nullopt;
}

void PredictiveController::scoreForecasts(const ControlContext &context)
{
    const double now = context.nowS;
    while (!m_pending.empty() && m_pending.front().targetS <= now) {
        const Pending p = m_pending.front();
        m_pending.pop_front();
        const double actual
            = knownMeanRate(context.samples, p.targetS - forecast::kStepS, p.targetS);
        if (std::isnan(actual)) // a hole: the actual load is unknown
            continue;
        // Even a forecast of the exact rate misses a step's count by its Poisson spread: on
        // average sqrt(2 / pi) standard deviations, sqrt(rate / step) in req/s. At a few
        // requests a second that alone is 30-50 % of the rate, and is no fault of the model.
        const double noise = std::sqrt(2.0 / std::numbers::pi * actual / forecast::kStepS);
        m_scored.push_back({now, std::abs(p.p50 - actual), actual, noise});
    }
    while (!m_scored.empty() && now - m_scored.front().tS > m_settings.errorWindowS)
        m_scored.pop_front();
}

void PredictiveController::switchMode(double nowS, std::optional<std::string> reason,
                                      std::vector<metrics::LaneEvent> &events)
{
    const bool wasFallback = m_fallbackReason.has_value();
    if (m_modeAnnounced && wasFallback == reason.has_value())
        return;
    m_modeAnnounced = true;
    m_fallbackReason = std::move(reason);
    if (m_fallbackReason) {
        events.push_back({nowS, "fallback", "predictive: reactive rule (" + *m_fallbackReason + ")",
            "reactive fallback", true});
        qCInfo(lcControl) << "predictive lane falls back to the reactive rule:"
                          << m_fallbackReason->c_str();
    } else if (wasFallback) {
        events.push_back({nowS, "fallback", "predictive: model back in control",
            "reactive fallback", false});
        qCInfo(lcControl) << "predictive lane: model back in control at" << nowS << "s";
    }
}

double PredictiveController::backlogAtReady(const sim::ClusterView &cluster, double ratePerS,
                                            double podStartS) const
{
    int ready = 0;
    for (const sim::Pod &pod : cluster.pods())
        ready += pod.serving();
    const double readyRate = ready * std::max(m_capacity.perPodRatePerS(), 1e-6);
    return cluster.queueLength() + std::max(0.0, ratePerS - readyRate) * podStartS;
}

double PredictiveController::windowStart(double nowS, double podStartS) const
{
    // A pod started now serves after its start time; the next decision comes a period later.
    return nowS + podStartS + m_settings.periodS;
}

void PredictiveController::refreshForecast(const ControlContext &context)
{
    const double now = context.nowS;
    if (m_curve && now - m_curve->madeAtS < m_settings.forecastPeriodS - 1e-9) {
        // Between steps the forecast stands, unless the load since it was made has risen
        // past its p90 for the first step: then the window ending now is news.
        if (meanRate(context.samples, m_curve->madeAtS, now) <= m_curve->p90.front())
            return;
    }
    forecast::ForecastInput input;
    const double step = forecast::kStepS;
    for (int k = 0; k < forecast::kWindow; ++k) {
        // Step k ends (kWindow - 1 - k) steps before now; before the run started,
        // repeat the first step (the run starts in a steady state).
        const double end = std::max(std::min(step, now), now - (forecast::kWindow - 1 - k) * step);
        input.ratePerS[k] = knownMeanRate(context.samples, end - step, end);
        input.latencyMs[k] = p95At(context.samples, end);
    }
    // A step that falls in a hole of the source carries the nearest known step before it
    // (or after it, at the window's start): its rate and its latency, which in a hole
    // has nothing completing and would read as a stalled service.
    std::array<bool, forecast::kWindow> hole {};
    for (int k = 0; k < forecast::kWindow; ++k)
        hole[static_cast<std::size_t>(k)] = std::isnan(input.ratePerS[k]);
    for (int k = 1; k < forecast::kWindow; ++k) {
        if (hole[static_cast<std::size_t>(k)] && !std::isnan(input.ratePerS[k - 1])) {
            input.ratePerS[k] = input.ratePerS[k - 1];
            input.latencyMs[k] = input.latencyMs[k - 1];
        }
    }
    for (int k = forecast::kWindow - 2; k >= 0; --k) {
        if (std::isnan(input.ratePerS[k])) {
            input.ratePerS[k] = input.ratePerS[k + 1];
            input.latencyMs[k] = input.latencyMs[k + 1];
        }
    }
    for (double &rate : input.ratePerS) {
        if (std::isnan(rate))
            rate = 0.0;
    }
    input.contextRatePerS = meanRate(context.samples, now - forecast::kContextS, now);
    const forecast::RateForecast f = m_model->forecast(input);
    m_curve = metrics::ForecastCurve {now, f.horizonsS, f.p50, f.p90};
}

std::optional<int> PredictiveController::onSecond(const ControlContext &context,
                                                  std::vector<metrics::LaneEvent> &events)
{
    const sim::ClusterView &cluster = context.cluster;
    const double now = context.nowS;
    if (!m_historyStartS) {
        // A sample covers the second before its time. The hold's first value (the replicas
        // there were) dates from then too, not from the clock's 0.
        m_historyStartS = context.samples.empty() ? now : context.samples.front().tS - 1.0;
        if (!m_recommendations.empty())
            m_recommendations.front().first = *m_historyStartS;
    }
    if (!context.samples.empty())
        m_capacity.observe(context.samples.back(), cluster.observedServiceS());
    m_podStart.observe(cluster);
    scoreForecasts(context);
    m_sampleHorizonS = m_sampleP50 = m_sampleP90 = kNaN;

    const long nowWhole = std::lround(now);
    if (nowWhole == 0 || nowWhole % std::max(1L, std::lround(m_settings.periodS)) != 0)
        return std::nullopt;

    switchMode(now, fallbackReason(now - *m_historyStartS), events);
    // Back from a hole in the source (no decisions while it lasted): the replicas held through
    // it enter the hold, so the first seconds of data, a partial picture of the load, do not
    // scale it down at once (a steady 5 pods went to 3 and back up to 6 in 12 s).
    if (m_lastDecisionS >= 0.0 && now - m_lastDecisionS > 1.5 * m_settings.periodS)
        m_recommendations.emplace_back(now, cluster.desiredReplicas());
    m_lastDecisionS = now;

    const double perPod
        = std::max(m_capacity.perPodRatePerS(), 1e-6) * m_settings.targetUtilization;
    // The load now: arrivals over the last second, or over a request's service time when
    // that is longer (what a slot is busy with; up to a forecast step).
    const double rateWindowS = std::clamp(std::round(cluster.observedServiceS()),
                                          m_settings.reactiveRateS, forecast::kStepS);
    const double currentRate = meanRate(context.samples, now - rateWindowS, now);
    // Pods asked for now serve only after a start time: size the queue's share for the
    // queue they will find, which grows meanwhile when the load outruns the ready pods.
    const double drainRate
        = backlogAtReady(cluster, currentRate, m_podStart.meanS()) / m_settings.drainS;
    // The reactive rule: what the current load and the queue need now.
    const int reactive = podsFor(currentRate + drainRate, perPod);
    // What the load needs, without the queue: this part is held against scaling down.
    int recommendation = podsFor(currentRate, perPod);
    m_plannedRate = currentRate;

    if (m_model) {
        refreshForecast(context);
        const metrics::ForecastCurve &f = *m_curve;
        // The curve may be up to a step old: its horizons count from when it was made.
        const double age = now - f.madeAtS;
        const double from = windowStart(0.0, m_podStart.meanS());
        // This second's horizon: the first of the model's that a pod started now can serve.
        const auto firstServed = std::lower_bound(f.horizonsS.begin(), f.horizonsS.end(), from);
        const double horizon = firstServed == f.horizonsS.end() ? f.horizonsS.back() : *firstServed;
        const double soonP90 = curveAt(f.horizonsS, f.p90, horizon + age);
        double upper = soonP90;
        for (std::size_t i = 0; i < f.horizonsS.size(); ++i) {
            const double h = f.horizonsS[i] - age;
            if (h >= from && h <= from + m_settings.servingWindowS)
                upper = std::max(upper, f.p90[i]);
        }
        m_sampleHorizonS = horizon;
        m_sampleP50 = curveAt(f.horizonsS, f.p50, horizon + age);
        m_sampleP90 = soonP90;
        m_pending.push_back({now + horizon, m_sampleP50});

        if (!m_fallbackReason) {
            const double z = m_settings.peakSpanS > 0.0
                ? peakExcess(context.samples, now, m_settings.peakSpanS)
                : 0.0;
            const double serviceS = cluster.observedServiceS();
            const auto withPeaks = [&](double rate) {
                return rate + m_settings.peakWeight * burstMargin(z, rate, serviceS);
            };
            // Scale up for the first horizon a new pod can serve: later ones can still be
            // met by pods started later. Keep (do not scale down below) what the whole
            // serving window may need: a pod removed now takes a start time to come back.
            const double soon = withPeaks(soonP90);
            const double window = withPeaks(upper);
            const int up = podsFor(soon, perPod);
            const int keep = std::min(cluster.desiredReplicas(), podsFor(window, perPod));
            m_plannedRate = soon;
            recommendation = std::max({recommendation, up, keep});
        }
    }
    recommendation = std::clamp(recommendation, m_settings.minReplicas, m_settings.maxReplicas);

    // The queue's share is added after the hold: once the queue has drained, the pods
    // that drained it may go, instead of staying for the whole hold.
    const int withQueue = std::max(reactive, podsFor(m_plannedRate + drainRate, perPod));
    const int desired = std::clamp(std::max(holdScaleDown(now, recommendation), withQueue),
                                   m_settings.minReplicas, m_settings.maxReplicas);
    const int current = cluster.desiredReplicas();
    if (desired == current)
        return std::nullopt;

    std::ostringstream text;
    text.precision(3);
    text << "predictive " << current << " -> " << desired << " (now " << currentRate
         << " req/s, " << (m_fallbackReason ? "reactive rule" : "planned for") << " "
         << m_plannedRate << " req/s, " << perPod / m_settings.targetUtilization
         << " req/s per pod, pod start " << m_podStart.meanS() << " s)";
    events.push_back({now, "scale", text.str()});
    qCDebug(lcControl) << text.str().c_str();
    return desired;
}

std::string PredictiveController::modelError() const
{
    if (m_model)
        return {};
    return m_modelError.empty() ? std::string("no model loaded") : m_modelError;
}

void PredictiveController::annotate(metrics::LaneSample &sample) const
{
    sample.forecastHorizonS = m_sampleHorizonS;
    sample.forecastP50 = m_sampleP50;
    sample.forecastP90 = m_sampleP90;
    sample.fallback = m_fallbackReason.has_value() || !m_modeAnnounced;
}

std::optional<metrics::ForecastCurve> PredictiveController::latestForecast() const
{
    return m_curve;
}

int PredictiveController::holdScaleDown(double nowS, int recommendation)
{
    m_recommendations.emplace_back(nowS, recommendation);
    std::erase_if(m_recommendations,
                  [&](const auto &r) { return nowS - r.first > m_settings.scaleDownHoldS; });
    int highest = recommendation;
    for (const auto &r : m_recommendations)
        highest = std::max(highest, r.second);
    return highest;
}

} // namespace headroom::control
