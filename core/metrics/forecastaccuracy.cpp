#include "metrics/lanesample.h"

#include <cmath>
#include <limits>

namespace headroom::metrics {

void ForecastScorer::update(const std::vector<LaneSample> &samples)
{
    const long long stepSamples = std::lround(kForecastStepS);
    for (; m_seen < samples.size(); ++m_seen) {
        const LaneSample &s = samples[m_seen];
        if (s.fallback)
            ++m_fallbackSeconds;
        if (!std::isfinite(s.forecastP50) || !std::isfinite(s.forecastHorizonS))
            continue;
        // One sample per second: the target step's last second is this many samples on.
        const long long last = static_cast<long long>(m_seen) + std::lround(s.forecastHorizonS);
        if (last - stepSamples + 1 < 0)
            continue;
        m_pending.emplace(last, m_seen);
    }
    const auto newest = static_cast<long long>(samples.size()) - 1;
    while (!m_pending.empty() && m_pending.begin()->first <= newest) {
        const auto [last, index] = *m_pending.begin();
        m_pending.erase(m_pending.begin());
        double sum = 0.0;
        bool known = true;
        for (long long i = last - stepSamples + 1; i <= last; ++i) {
            sum += samples[static_cast<std::size_t>(i)].arrivalsPerS;
            known = known && !samples[static_cast<std::size_t>(i)].noData;
        }
        if (!known) // the step's actual load is unknown: nothing to score against
            continue;
        const double actual = sum / static_cast<double>(stepSamples);
        const LaneSample &s = samples[index];
        m_absError += std::abs(s.forecastP50 - actual);
        m_actualSum += actual;
        if (actual <= s.forecastP90)
            ++m_covered;
        ++m_scored;
    }
}

ForecastAccuracy ForecastScorer::accuracy() const
{
    ForecastAccuracy result;
    result.forecasts = m_scored;
    if (m_scored > 0) {
        const auto n = static_cast<double>(m_scored);
        result.maeRatePerS = m_absError / n;
        // No request arrived at any scored target: an error cannot be a share of a mean rate
        // of 0 (0 would read as a perfect forecast). NaN, written as null.
        result.relativeMae = m_actualSum > 0.0 ? m_absError / m_actualSum
                                               : std::numeric_limits<double>::quiet_NaN();
        result.coverageP90 = static_cast<double>(m_covered) / n;
    }
    return result;
}

ForecastAccuracy forecastAccuracy(const std::vector<LaneSample> &samples)
{
    ForecastScorer scorer;
    scorer.update(samples);
    return scorer.accuracy();
}

} // namespace headroom::metrics
