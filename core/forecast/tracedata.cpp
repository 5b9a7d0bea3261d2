#include "forecast/tracedata.h"

#include "forecast/forecaster.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "sim/experiment.h"

namespace headroom::forecast {

namespace {

std::vector<double> requestStepRates(const traffic::RequestTrace &trace, double compression)
{
    const double spanS = trace.spanS / compression;
    const auto steps = static_cast<std::size_t>(std::ceil(spanS / kStepS + 1e-9));
    std::vector<double> counts(std::max<std::size_t>(steps, 1), 0.0);
    for (const traffic::TraceRequest &r : trace.requests) {
        const auto step = static_cast<std::size_t>(r.offsetS / compression / kStepS);
        counts[std::min(step, counts.size() - 1)] += 1.0;
    }
    for (double &count : counts)
        count /= kStepS;
    return counts;
}

std::vector<double> countStepRates(
    const traffic::CountTrace &trace, double compression, std::uint64_t seed)
{
    const double intervalS = trace.intervalS / compression; // replay seconds per interval
    const double totalS = static_cast<double>(trace.counts.size()) * intervalS;
    const auto steps = static_cast<std::size_t>(std::floor(totalS / kStepS + 1e-9));
    std::vector<double> rates(steps, 0.0);
    std::mt19937_64 rng(seed);
    for (std::size_t s = 0; s < steps; ++s) {
        const double from = static_cast<double>(s) * kStepS;
        const double to = from + kStepS;
        double expected = 0.0;
        bool gap = false;
        auto i = static_cast<std::size_t>(from / intervalS);
        for (; i < trace.counts.size() && static_cast<double>(i) * intervalS < to; ++i) {
            const double lo = std::max(from, static_cast<double>(i) * intervalS);
            const double hi = std::min(to, static_cast<double>(i + 1) * intervalS);
            if (hi <= lo)
                continue;
            const double count = trace.counts[i];
            if (!std::isfinite(count)) {
                gap = true;
                break;
            }
            expected += count * (hi - lo) / intervalS;
        }
        if (gap) {
            rates[s] = std::numeric_limits<double>::quiet_NaN();
            continue;
        }
        const double drawn = expected > 0.0
            ? static_cast<double>(std::poisson_distribution<long long>(expected)(rng))
            : 0.0;
        rates[s] = drawn / kStepS;
    }
    return rates;
}

} // namespace

std::vector<double> traceStepRates(const traffic::LoadedTrace &trace, std::uint64_t seed)
{
    // Held to what a run takes, before anything is allocated for it: a three-line trace
    // slowed down to weeks took gigabytes here, and a count past the simulator's rate would
    // not finish its Poisson draws. The errors name the row and field, as a run's do.
    const auto arrivals = traffic::makeArrivals(trace, sim::ClusterConfig {}, seed);
    sim::Experiment::checkLimits(*arrivals, arrivals->durationS());
    if (trace.kind == traffic::TraceKind::PerRequest)
        return requestStepRates(trace.requests, trace.spec.compression);
    return countStepRates(trace.counts, trace.spec.compression, seed);
}

} // namespace headroom::forecast
