#pragma once

#include <array>
#include <cstdint>

namespace headroom::metrics {

// Log-bucketed latency histogram: constant memory whatever the request count,
// 1 % relative resolution from 0.1 ms to about 170 s. Quantiles return the
// bucket's geometric middle, so they are within 0.5 % of the true value.
class LatencyHistogram
{
public:
    static constexpr int kBuckets = 1440;

    void add(double seconds);
    void merge(const LatencyHistogram &other);
    void clear();

    std::uint64_t count() const { return m_count; }
    // Latencies at most `seconds`, to the buckets' 1 % resolution: the bucket holding
    // `seconds` counts whole (a Prometheus histogram's cumulative bucket).
    std::uint64_t countAtMost(double seconds) const;
    // The sum of every latency added, in seconds.
    double sum() const { return m_sum; }
    // NaN when empty.
    double quantile(double q) const;
    double max() const { return m_max; }

private:
    std::array<std::uint32_t, kBuckets> m_buckets {};
    std::uint64_t m_count = 0;
    double m_max = 0.0;
    double m_sum = 0.0;
    // The lowest and highest buckets in use (lo > hi when empty): merges, quantiles and
    // clears touch only those, a few hundred of the 1440 for a service's latencies. Every
    // lane takes three quantiles of a merged 5 s window every simulated second.
    int m_lo = kBuckets;
    int m_hi = -1;
};

} // namespace headroom::metrics
