#include "metrics/lanesample.h"

#include <cmath>

namespace headroom::metrics {

ForecastAccuracy forecastAccuracy(const std::vector<LaneSample> &samples)
{
    ForecastAccuracy result;
    if (samples.empty())
        return result;
    // Samples are one per second: index by time to find the target step.
    const double firstS = samples.front().tS;
    const auto indexAt = [&](double tS) { return static_cast<long long>(std::lround(tS - firstS)); };
    const auto count = static_cast<long long>(samples.size());
    const long long stepSamples = std::lround(kForecastStepS);

    double absError = 0.0;
    double actualSum = 0.0;
    long long covered = 0;
    for (const LaneSample &s : samples) {
        if (!std::isfinite(s.forecastP50) || !std::isfinite(s.forecastHorizonS))
            continue;
        const long long last = indexAt(s.tS + s.forecastHorizonS);
        const long long first = last - stepSamples + 1;
        if (first < 0 || last >= count)
            continue;
        double sum = 0.0;
        for (long long i = first; i <= last; ++i)
            sum += samples[static_cast<std::size_t>(i)].arrivalsPerS;
        const double actual = sum / static_cast<double>(stepSamples);
        absError += std::abs(s.forecastP50 - actual);
        actualSum += actual;
        if (actual <= s.forecastP90)
            ++covered;
        ++result.forecasts;
    }
    if (result.forecasts > 0) {
        const auto n = static_cast<double>(result.forecasts);
        result.maeRatePerS = absError / n;
        result.relativeMae = actualSum > 0.0 ? absError / actualSum : 0.0;
        result.coverageP90 = static_cast<double>(covered) / n;
    }
    return result;
}

} // namespace headroom::metrics
