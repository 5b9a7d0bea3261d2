#include "forecast/features.h"

#include <algorithm>
#include <cmath>

namespace headroom::forecast {

namespace {

double cleanRate(double rate)
{
    return std::isfinite(rate) && rate > 0.0 ? rate : 0.0;
}

// NaN means nothing completed: idle when almost nothing arrived, stalled otherwise.
double cleanLatencyMs(double latencyMs, double rate)
{
    if (std::isnan(latencyMs))
        return rate < kIdleRatePerS ? 0.0 : kLatencyCapMs;
    return std::clamp(latencyMs, 0.0, kLatencyCapMs);
}

// Least-squares slope of the normalized rates, times the window length: the change
// across the window as a share of its mean.
double trend(const float *normalizedRates)
{
    const double meanX = (kWindow - 1) / 2.0;
    double meanY = 0.0;
    for (int i = 0; i < kWindow; ++i)
        meanY += normalizedRates[i];
    meanY /= kWindow;
    double sxy = 0.0;
    double sxx = 0.0;
    for (int i = 0; i < kWindow; ++i) {
        sxy += (i - meanX) * (normalizedRates[i] - meanY);
        sxx += (i - meanX) * (i - meanX);
    }
    return std::clamp(sxy / sxx * kWindow, -kMaxTrend, kMaxTrend);
}

} // namespace

std::string normalizationText()
{
    return "scale = max(mean of the window's 12 rates, 0.1 req/s); inputs 0-11: rate / scale "
           "(NaN, infinite or negative rates read as 0); inputs 12-23: log1p(p95 latency ms / "
           "100) with latency clamped to [0, 10000] ms, and a NaN latency (nothing completed) "
           "read as 0 ms when that step's rate is below 0.2 req/s (idle), else as 10000 ms "
           "(stalled); input 24: log10(scale); input 25: least-squares slope of inputs 0-11 "
           "times 12, clamped to [-5, 5]; input 26: ln(context rate / scale) clamped to [-3, 3] "
           "(0 when the context is unknown); outputs: p50 and p90 of future rate / scale, "
           "multiplied back by scale and clamped at >= 0";
}

std::string inputsText()
{
    return "27 values, oldest step first: 12 mean request rates (req/s) over consecutive 5 s "
           "steps, then the 12 p95 latencies (ms) of the same steps, then the window's load "
           "level, its trend and the level of the last 600 s, scaled as in normalization";
}

std::string outputsText()
{
    return "22 values: the p50 of the request rate at each of horizons_s after the window's "
           "end, then the p90 as p50 + softplus(output), so p90 >= p50";
}

double encodeFeatures(const ForecastInput &input, float *features)
{
    double sum = 0.0;
    for (double rate : input.ratePerS)
        sum += cleanRate(rate);
    const double scale = std::max(sum / kWindow, kMinScale);

    for (int i = 0; i < kWindow; ++i) {
        const double rate = cleanRate(input.ratePerS[i]);
        features[i] = static_cast<float>(rate / scale);
        const double latency = cleanLatencyMs(input.latencyMs[i], rate);
        features[kWindow + i] = static_cast<float>(std::log1p(latency / kLatencyUnitMs));
    }
    features[2 * kWindow] = static_cast<float>(std::log10(scale));
    features[2 * kWindow + 1] = static_cast<float>(trend(features));
    const double context = input.contextRatePerS;
    const double contextLog = std::isfinite(context) && context >= 0.0
        ? std::clamp(std::log(std::max(context, kMinScale) / scale), -kMaxContextLog, kMaxContextLog)
        : 0.0;
    features[2 * kWindow + 2] = static_cast<float>(contextLog);
    return scale;
}

} // namespace headroom::forecast
