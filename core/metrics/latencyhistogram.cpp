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
    const int bucket = bucketOf(seconds);
    ++m_buckets[bucket];
    ++m_count;
    m_sum += seconds;
    m_max = std::max(m_max, seconds);
    m_lo = std::min(m_lo, bucket);
    m_hi = std::max(m_hi, bucket);
}

void LatencyHistogram::merge(const LatencyHistogram &other)
{
    if (other.m_count == 0)
        return;
    for (int i = other.m_lo; i <= other.m_hi; ++i)
        m_buckets[i] += other.m_buckets[i];
    m_count += other.m_count;
    m_sum += other.m_sum;
    m_max = std::max(m_max, other.m_max);
    m_lo = std::min(m_lo, other.m_lo);
    m_hi = std::max(m_hi, other.m_hi);
}

void LatencyHistogram::clear()
{
    if (m_hi >= m_lo)
        std::fill(m_buckets.begin() + m_lo, m_buckets.begin() + m_hi + 1, 0u);
    m_count = 0;
    m_sum = 0.0;
    m_max = 0.0;
    m_lo = kBuckets;
    m_hi = -1;
}

double LatencyHistogram::quantile(double q) const
{
    if (m_count == 0)
        return std::numeric_limits<double>::quiet_NaN();
    const auto rank = static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * m_count));
    std::uint64_t seen = 0;
    for (int i = m_lo; i <= m_hi; ++i) {
        seen += m_buckets[i];
        if (seen >= std::max<std::uint64_t>(rank, 1))
            return std::min(bucketMiddle(i), m_max);
    }
    return m_max;
}

std::uint64_t LatencyHistogram::countAtMost(double seconds) const
{
    if (m_count == 0 || std::isnan(seconds))
        return 0;
    const int last = std::min(bucketOf(seconds), m_hi);
    std::uint64_t n = 0;
    for (int i = m_lo; i <= last; ++i)
        n += m_buckets[i];
    return n;
}

} // namespace headroom::metrics
