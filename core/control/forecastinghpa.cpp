#include "control/forecastinghpa.h"

#include <algorithm>
#include <cmath>

namespace headroom::control {

LinearHpaController::LinearHpaController(const HpaSettings &settings, std::uint64_t seed,
                                         int initialReplicas, int historySize, double lookAheadS)
    : HpaController(settings, seed, initialReplicas)
    , m_historySize(std::max(1, historySize))
    , m_lookAheadS(lookAheadS)
{
}

double LinearHpaController::fit(const std::deque<std::pair<double, int>> &points, double atS)
{
    if (points.size() == 1)
        return points.front().second;
    double meanT = 0.0, meanY = 0.0;
    for (const auto &[t, y] : points) {
        meanT += t / points.size();
        meanY += double(y) / points.size();
    }
    double sxy = 0.0, sxx = 0.0;
    for (const auto &[t, y] : points) {
        sxy += (t - meanT) * (y - meanY);
        sxx += (t - meanT) * (t - meanT);
    }
    const double slope = sxx > 0.0 ? sxy / sxx : 0.0;
    return meanY + slope * (atS - meanT);
}

int LinearHpaController::candidate(double nowS, int proposal)
{
    m_points.emplace_back(nowS, proposal);
    while (static_cast<int>(m_points.size()) > m_historySize)
        m_points.pop_front();
    const double predicted = fit(m_points, nowS + m_lookAheadS);
    return std::max(proposal, static_cast<int>(std::ceil(predicted - 1e-9)));
}

HoltWintersHpaController::HoltWintersHpaController(const HpaSettings &settings,
                                                   std::uint64_t seed, int initialReplicas,
                                                   Params params)
    : HpaController(settings, seed, initialReplicas)
    , m_params(params)
{
}

double HoltWintersHpaController::forecast(const std::deque<int> &values, const Params &p)
{
    const int m = std::max(1, p.season);
    const auto n = static_cast<int>(values.size());
    if (n < std::max(2 * m, 10 + 2 * (m / 2)))
        return -1.0;

    // Start from the first two seasons: level their mean, trend their step per
    // sync, each season slot its offset from the first season's mean.
    double first = 0.0, second = 0.0;
    for (int i = 0; i < m; ++i) {
        first += values[i] / double(m);
        second += values[m + i] / double(m);
    }
    double level = first;
    double trend = (second - first) / m;
    std::vector<double> seasonal(m);
    for (int i = 0; i < m; ++i)
        seasonal[i] = values[i] - first;

    for (int i = m; i < n; ++i) {
        const double y = values[i];
        const double s = seasonal[i % m];
        const double previousLevel = level;
        level = p.alpha * (y - s) + (1.0 - p.alpha) * (level + trend);
        trend = p.beta * (level - previousLevel) + (1.0 - p.beta) * trend;
        seasonal[i % m] = p.gamma * (y - level) + (1.0 - p.gamma) * s;
    }
    return level + trend + seasonal[n % m];
}

int HoltWintersHpaController::candidate(double nowS, int proposal)
{
    (void)nowS;
    m_values.push_back(proposal);
    while (static_cast<int>(m_values.size()) > m_params.season * m_params.storedSeasons)
        m_values.pop_front();
    const double predicted = forecast(m_values, m_params);
    if (predicted < 0.0)
        return proposal; // still collecting: the HPA alone decides
    return std::max(proposal, static_cast<int>(std::ceil(predicted - 1e-9)));
}

} // namespace headroom::control
