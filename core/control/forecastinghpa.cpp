#include "control/forecastinghpa.h"

#include <algorithm>
#include <cmath>
#include <vector>

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

namespace {

// statsmodels' additive-trend, additive-season recursion (PHPA's holt_winters.py runs
// ExponentialSmoothing with trend and seasonal "add"): from the initial states
// (level, trend, m season slots), each step's one-step prediction into `predictions`
// (when given); returns the forecast one step past the values.
double runHoltWinters(const std::deque<int> &values, const HoltWintersHpaController::Params &p,
                      const std::vector<double> &initial, std::vector<double> *predictions,
                      bool zeroValues)
{
    const auto m = static_cast<std::size_t>(std::max(1, p.season));
    double level = initial[0];
    double trend = initial[1];
    std::vector<double> seasonal(initial.begin() + 2, initial.end());
    for (std::size_t i = 0; i < values.size(); ++i) {
        const double y = zeroValues ? 0.0 : values[i];
        const double s = seasonal[i % m];
        if (predictions)
            (*predictions)[i] = level + trend + s;
        const double previous = level + trend;
        const double previousLevel = level;
        level = p.alpha * (y - s) + (1.0 - p.alpha) * previous;
        trend = p.beta * (level - previousLevel) + (1.0 - p.beta) * trend;
        seasonal[i % m] = p.gamma * (y - previous) + (1.0 - p.gamma) * s;
    }
    return level + trend + seasonal[values.size() % m];
}

} // namespace

double HoltWintersHpaController::forecast(const std::deque<int> &values, const Params &p)
{
    const int m = std::max(1, p.season);
    const auto n = static_cast<int>(values.size());
    if (n < std::max(2 * m, 10 + 2 * (m / 2)))
        return -1.0;

    // The initial states as statsmodels' initialization_method "estimated" (PHPA's
    // default) finds them: with alpha, beta and gamma fixed, those that minimise the
    // squared one-step errors over the history. Every prediction is linear in the initial
    // states, so that is a least-squares problem: the predictions from zero states, plus
    // one column per state (its unit effect on a zero history). A level shift moved into
    // the season slots changes no prediction, so the level starts at 0 and the slots carry it.
    const std::size_t unknowns = static_cast<std::size_t>(m) + 1; // trend, m slots
    const std::vector<double> zero(static_cast<std::size_t>(m) + 2, 0.0);
    std::vector<double> base(values.size());
    runHoltWinters(values, p, zero, &base, false);
    std::vector<std::vector<double>> columns(unknowns, std::vector<double>(values.size()));
    for (std::size_t j = 0; j < unknowns; ++j) {
        std::vector<double> unit = zero;
        unit[j + 1] = 1.0;
        runHoltWinters(values, p, unit, &columns[j], true);
    }
    // Normal equations, solved by Gaussian elimination with partial pivoting; a slight ridge
    // keeps a degenerate history solvable.
    std::vector<std::vector<double>> a(unknowns, std::vector<double>(unknowns + 1, 0.0));
    for (std::size_t r = 0; r < unknowns; ++r) {
        for (std::size_t c = 0; c < unknowns; ++c) {
            for (std::size_t t = 0; t < values.size(); ++t)
                a[r][c] += columns[r][t] * columns[c][t];
        }
        a[r][r] += 1e-12;
        for (std::size_t t = 0; t < values.size(); ++t)
            a[r][unknowns] += columns[r][t] * (values[t] - base[t]);
    }
    for (std::size_t i = 0; i < unknowns; ++i) {
        std::size_t pivot = i;
        for (std::size_t r = i + 1; r < unknowns; ++r) {
            if (std::abs(a[r][i]) > std::abs(a[pivot][i]))
                pivot = r;
        }
        std::swap(a[i], a[pivot]);
        for (std::size_t r = i + 1; r < unknowns; ++r) {
            const double f = a[r][i] / a[i][i];
            for (std::size_t c = i; c <= unknowns; ++c)
                a[r][c] -= f * a[i][c];
        }
    }
    std::vector<double> initial(static_cast<std::size_t>(m) + 2, 0.0);
    for (std::size_t i = unknowns; i-- > 0;) {
        double sum = a[i][unknowns];
        for (std::size_t c = i + 1; c < unknowns; ++c)
            sum -= a[i][c] * initial[c + 1];
        initial[i + 1] = sum / a[i][i];
    }
    return runHoltWinters(values, p, initial, nullptr, false);
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
