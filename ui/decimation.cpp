#include "decimation.h"

namespace headroom::ui {

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

MeanDecimator::MeanDecimator(double x0, double x1, int buckets)
    : m_x0(x0)
    , m_width(std::max(x1 - x0, 1e-9) / std::max(buckets, 1))
{
    m_points.reserve(std::max(buckets, 1) + 2);
}

void MeanDecimator::add(double x, double y)
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
    m_sum += y;
    ++m_count;
}

void MeanDecimator::flush()
{
    const double middle = m_x0 + (m_bucket + 0.5) * m_width;
    if (m_count > 0)
        m_points.append(QPointF(middle, m_sum / m_count));
    else if (m_sawNaN)
        m_points.append(QPointF(middle, std::nan("")));
    m_count = 0;
    m_sum = 0.0;
    m_sawNaN = false;
}

QList<QPointF> MeanDecimator::finish()
{
    flush();
    return std::move(m_points);
}

} // namespace headroom::ui
