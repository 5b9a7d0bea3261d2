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

} // namespace

std::string normalizationText()
{
    return "scale = max(mean of the window's 5 rates, 0.1 req/s); inputs 0-4: rate / scale "
           "(NaN, infinite or negative rates read as 0); inputs 5-9: log1p(p95 latency ms / 100) "
           "with latency clamped to [0, 10000] ms, and a NaN latency (nothing completed) read as "
           "0 ms when that step's rate is below 0.2 req/s (idle), else as 10000 ms (stalled); "
           "input 10: log10(scale); outputs: future rate / scale, multiplied back by scale and "
           "clamped at >= 0";
}

std::string inputsText()
{
    return "11 values, oldest step first: 5 mean request rates (req/s) over consecutive 5 s "
           "steps, then the 5 p95 latencies (ms) of the same steps, then the window's load "
           "level, scaled as in normalization";
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
    return scale;
}

} // namespace headroom::forecast
