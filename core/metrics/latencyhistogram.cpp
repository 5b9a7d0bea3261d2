#include "metrics/latencyhistogram.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::metrics {

namespace {

constexpr double kMinSeconds = 1e-4;
const double kLogStep = std::log(1.01);

int bucketOf(double seconds)
{
    if (!(seconds > kMinSeconds))
        return 0;
    const int b = 1 + static_cast<int>(std::log(seconds / kMinSeconds) / kLogStep);
    return std::min(b, LatencyHistogram::kBuckets - 1);
}

double bucketMiddle(int bucket)
{
    if (bucket == 0)
        return kMinSeconds;
    return kMinSeconds * std::exp((bucket - 0.5) * kLogStep);
}

} // namespace

void LatencyHistogram::add(double seconds)
{
    ++m_buckets[bucketOf(seconds)];
    ++m_count;
    m_max = std::max(m_max, seconds);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    for (int i = 0; i < kBuckets; ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_max = std::max(m_max, other.m_max);
}

void LatencyHistogram::clear()
{
    m_buckets.fill(0);
    m_count = 0;
    m_max = 0.0;
}

double LatencyHistogram::quantile(double q) const
{
    if (m_count == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * m_count));
    std::uint64_t seen = 0;
    for (int i = 0; i < kBuckets; ++i) {
        seen += m_buckets[i];
        if (seen >= std::max<std::uint64_t>(rank, 1))
            return std::min(bucketMiddle(i), m_max);
    }
    return m_max;
}

} // namespace headroom::metrics
