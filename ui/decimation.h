#pragma once

#include <QList>
#include <QPointF>
#include <algorithm>
#include <cmath>
#include <vector>

namespace headroom::ui {

// Reduces a time-ordered stream of points to the min and max of each of
// `buckets` equal slices of [x0, x1], about 2 points per pixel when there
// is one bucket per pixel. A slice with only NaN values yields one NaN point,
// so gaps wider than a pixel stay gaps.
class MinMaxDecimator
{
public:
    MinMaxDecimator(double x0, double x1, int buckets);

    void add(double x, double y);
    QList<QPointF> finish();

private:
    void flush();

    double m_x0;
    double m_width;
    int m_bucket = -1;
    bool m_sawNaN = false;
    bool m_hasValue = false;
    QPointF m_min;
    QPointF m_max;
    QList<QPointF> m_points;
};

// Reduces a time-ordered stream to one point per slice of [x0, x1]: the mean of its
// finite values at the slice's middle, NaN for a slice of NaN values only. For reference
// lines (dashed) that min and max would turn into an unreadable zigzag.
class MeanDecimator
{
public:
    MeanDecimator(double x0, double x1, int buckets);

    void add(double x, double y);
    QList<QPointF> finish();

private:
    void flush();

    double m_x0;
    double m_width;
    int m_bucket = -1;
    bool m_sawNaN = false;
    int m_count = 0;
    double m_sum = 0.0;
    QList<QPointF> m_points;
};

enum class Reduction { MinMax, Mean };

// The points of one quantity of time-stamped records (anything with a `tS`
// member, sorted by it) in [x0, x1]; raw when they fit, else decimated.
template <typename Record, typename Field>
QList<QPointF> windowPoints(const std::vector<Record> &records, double x0, double x1, int buckets,
    Field field, Reduction reduction = Reduction::MinMax)
{
    const auto byTime = [](const Record &r, double t) { return r.tS < t; };
    const auto first = std::lower_bound(records.begin(), records.end(), x0, byTime);
    auto last = std::lower_bound(first, records.end(), x1, byTime);
    if (last != records.end())
        ++last;
    const auto count = std::distance(first, last);

    if (count <= 2 * static_cast<long>(buckets)) {
        QList<QPointF> points;
        points.reserve(count);
        for (auto it = first; it != last; ++it)
            points.append(QPointF(it->tS, field(*it)));
        return points;
    }
    if (reduction == Reduction::Mean) {
        MeanDecimator decimator(x0, x1, buckets);
        for (auto it = first; it != last; ++it)
            decimator.add(it->tS, field(*it));
        return decimator.finish();
    }
    MinMaxDecimator decimator(x0, x1, buckets);
    for (auto it = first; it != last; ++it)
        decimator.add(it->tS, field(*it));
    return decimator.finish();
}

} // namespace headroom::ui
