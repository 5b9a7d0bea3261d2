#include "control/predictivecontroller.h"

#include "forecast/forecaster.h"
#include "logging.h"
#include "sim/cluster.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace headroom::control {

namespace {

// Mean arrivals per second over the samples with tS in (fromS, toS].
double meanRate(const std::vector<metrics::LaneSample> &samples, double fromS, double toS)
{
    double sum = 0.0;
    int n = 0;
    for (auto it = samples.rbegin(); it != samples.rend() && it->tS > fromS; ++it) {
        if (it->tS <= toS) {
            sum += it->arrivalsPerS;
            ++n;
        }
    }
    return n > 0 ? sum / n : 0.0;
}

double p95At(const std::vector<metrics::LaneSample> &samples, double tS)
{
    for (auto it = samples.rbegin(); it != samples.rend(); ++it) {
        if (it->tS <= tS)
            return it->latencyP95Ms;
    }
    return std::nan("");
}

} // namespace

PredictiveController::PredictiveController(std::shared_ptr<const forecast::Forecaster> model,
                                           const PredictiveSettings &settings, double podStartS,
                                           int initialReplicas)
    : m_model(std::move(model))
    , m_settings(settings)
    // A pod started now serves after its start time; the next decision comes a period later.
    , m_lookaheadS(podStartS + settings.periodS)
{
    // Like the HPA, start with the current count in the window, so the first
    // minutes' partial history cannot scale the service down at once.
    m_recommendations.emplace_back(0.0, initialReplicas);
}

std::optional<int> PredictiveController::onSecond(const ControlContext &context,
                                                  std::vector<metrics::LaneEvent> &events)
{
    const long now = std::lround(context.nowS);
    if (now == 0 || now % std::lround(m_settings.periodS) != 0)
        return std::nullopt;

    const Plan p = plan(context);
    m_lastForecast = p.forecastRate;
    const int current = context.cluster.desiredReplicas();
    const int desired = holdScaleDown(context.nowS, p.replicas);
    if (desired == current)
        return std::nullopt;

    std::ostringstream text;
    text.precision(3);
    text << "predictive " << current << " -> " << desired << " (now " << p.currentRate
         << " req/s, forecast " << p.forecastRate << " req/s)";
    events.push_back({context.nowS, "scale", text.str()});
    qCDebug(lcControl) << text.str().c_str();
    return desired;
}

PredictiveController::Plan PredictiveController::plan(const ControlContext &context) const
{
    const double step = m_settings.periodS;
    const double now = context.nowS;
    forecast::ForecastInput input;
    for (int k = 0; k < forecast::kWindow; ++k) {
        // Step k covers (end - step, end]; before the run started, repeat the first step.
        const double end = std::max(step, now - (forecast::kWindow - 1 - k) * step);
        input.ratePerS[k] = meanRate(context.samples, end - step, end);
        input.latencyMs[k] = p95At(context.samples, end);
    }

    Plan p;
    p.currentRate = input.ratePerS[forecast::kWindow - 1];
    p.forecastRate = p.currentRate;
    const std::vector<double> rates = m_model->forecast(input);
    const auto &horizons = m_model->info().horizonsS;
    for (std::size_t i = 0; i < rates.size() && i < horizons.size(); ++i) {
        // Every horizon up to the first one that covers the look-ahead.
        p.forecastRate = std::max(p.forecastRate, rates[i]);
        if (horizons[i] >= m_lookaheadS)
            break;
    }

    const sim::Cluster &cluster = context.cluster;
    const double perPod = cluster.config().podSlots / std::max(cluster.observedServiceS(), 1e-6)
        * m_settings.targetUtilization;
    const double drainRate = cluster.queueLength() / m_settings.drainS;
    const int need = static_cast<int>(std::ceil((p.forecastRate + drainRate) / perPod - 1e-9));
    const int floor = static_cast<int>(std::ceil(p.currentRate / perPod - 1e-9));
    p.replicas = std::clamp(std::max(need, floor), m_settings.minReplicas, m_settings.maxReplicas);
    return p;
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
