#include "decimation.h"

namespace headroom::ui {

namespace {

// The slice of a mean (or envelope) that x falls in: the window's end belongs to its last
// slice, and a record past it (the one a min/max line takes to reach the edge) to none (-1),
// so that no lone record makes a mean of its own beyond the plot.
int meanBucket(double x, double x0, double width, int buckets)
{
    const int bucket = static_cast<int>(std::floor((x - x0) / width));
    if (bucket < buckets)
        return bucket;
    return x <= x0 + width * buckets * (1.0 + 1e-12) ? buckets - 1 : -1;
}

} // namespace

MinMaxDecimator::MinMaxDecimator(double x0, double x1, int buckets)
    : m_x0(x0)
    , m_width(std::max(x1 - x0, 1e-9) / std::max(buckets, 1))
{
    m_points.reserve(2 * std::max(buckets, 1) + 2);
}

void MinMaxDecimator::add(double x, double y)
{
    const int bucket = static_cast<int>(std::floor((x - m_x0) / m_width));
    if (bucket != m_bucket) {
        flush();
        m_bucket = bucket;
    }
    if (!std::isfinite(y)) {
        m_sawNaN = true;
        return;
    }
    if (!m_hasValue || y < m_min.y())
        m_min = QPointF(x, y);
    if (!m_hasValue || y > m_max.y())
        m_max = QPointF(x, y);
    m_hasValue = true;
}

void MinMaxDecimator::flush()
{
    if (m_hasValue) {
        const bool minFirst = m_min.x() <= m_max.x();
        m_points.append(minFirst ? m_min : m_max);
        if (m_min != m_max)
            m_points.append(minFirst ? m_max : m_min);
    } else if (m_sawNaN) {
        m_points.append(QPointF(m_x0 + (m_bucket + 0.5) * m_width, std::nan("")));
    }
    m_hasValue = false;
    m_sawNaN = false;
}

QList<QPointF> MinMaxDecimator::finish()
{
    flush();
    return std::move(m_points);
}

EnvelopeDecimator::EnvelopeDecimator(double x0, double x1, int buckets)
    : m_x0(x0)
    , m_width(std::max(x1 - x0, 1e-9) / std::max(buckets, 1))
    , m_buckets(std::max(buckets, 1))
{
    const qsizetype size = std::max(buckets, 1) + 2;
    m_result.mean.reserve(size);
    m_result.lower.reserve(size);
    m_result.upper.reserve(size);
}

void EnvelopeDecimator::add(double x, double y)
{
    const int bucket = meanBucket(x, m_x0, m_width, m_buckets);
    if (bucket < 0)
        return;
    if (bucket != m_bucket) {
        flush();
        m_bucket = bucket;
    }
    if (!std::isfinite(y)) {
        m_sawNaN = true;
        return;
    }
    m_min = m_count == 0 ? y : std::min(m_min, y);
    m_max = m_count == 0 ? y : std::max(m_max, y);
    m_sum += y;
    ++m_count;
}

void EnvelopeDecimator::flush()
{
    const double middle = m_x0 + (m_bucket + 0.5) * m_width;
    if (m_count > 0) {
        m_result.mean.append(QPointF(middle, m_sum / m_count));
        m_result.lower.append(QPointF(middle, m_min));
        m_result.upper.append(QPointF(middle, m_max));
    } else if (m_sawNaN) {
        const QPointF gap(middle, std::nan(""));
        m_result.mean.append(gap);
        m_result.lower.append(gap);
        m_result.upper.append(gap);
    }
    m_count = 0;
    m_sum = 0.0;
    m_sawNaN = false;
}

EnvelopeDecimator::Result EnvelopeDecimator::finish()
{
    flush();
    return std::move(m_result);
}

} // namespace headroom::ui
