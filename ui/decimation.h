#pragma once

#include <QList>
#include <QPointF>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>
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

// Reduces a time-ordered stream to the mean, the least and the greatest finite value of
// each slice, at the slice's middle; NaN in all three for a slice of NaN values only. For a
// window so dense that min and max pairs fill every pixel: the mean reads as a line, the
// range as a faint band behind it.
class EnvelopeDecimator
{
public:
    EnvelopeDecimator(double x0, double x1, int buckets);

    void add(double x, double y);
    struct Result
    {
        QList<QPointF> mean;
        QList<QPointF> lower;
        QList<QPointF> upper;
    };
    Result finish();

private:
    void flush();

    double m_x0;
    double m_width;
    int m_buckets;
    int m_bucket = -1;
    bool m_sawNaN = false;
    int m_count = 0;
    double m_sum = 0.0;
    double m_min = 0.0;
    double m_max = 0.0;
    Result m_result;
};

// Reduces a time-ordered stream to one point per slice of [x0, x1]: the mean of its
// finite values at the slice's middle, NaN for a slice of NaN values only. For reference
// lines (dashed) that min and max would turn into an unreadable zigzag. The envelope's mean.
class MeanDecimator
{
public:
    MeanDecimator(double x0, double x1, int buckets) : m_envelope(x0, x1, buckets) { }

    void add(double x, double y) { m_envelope.add(x, y); }
    QList<QPointF> finish() { return m_envelope.finish().mean; }

private:
    EnvelopeDecimator m_envelope;
};

enum class Reduction { MinMax, Mean };

// More records than this per slice make a window dense: min and max pairs at that density
// fill each pixel from the bottom of its noise to the top, and a chart of days reads as a
// solid block; the mean with its range behind it reads instead (see windowEnvelope).
constexpr long kDenseRecordsPerBucket = 8;

// The records (sorted by `tS`) that a window [x0, x1] draws: from the first at or after x0
// to the first after x1, which carries the line to the edge.
template <typename Record>
std::pair<typename std::vector<Record>::const_iterator, typename std::vector<Record>::const_iterator>
windowRange(const std::vector<Record> &records, double x0, double x1)
{
    const auto byTime = [](const Record &r, double t) { return r.tS < t; };
    const auto first = std::lower_bound(records.begin(), records.end(), x0, byTime);
    auto last = std::lower_bound(first, records.end(), x1, byTime);
    if (last != records.end())
        ++last;
    return {first, last};
}

// Whether the window holds more than kDenseRecordsPerBucket records per slice.
template <typename Record>
bool isDenseWindow(const std::vector<Record> &records, double x0, double x1, int buckets)
{
    const auto [first, last] = windowRange(records, x0, x1);
    return std::distance(first, last) > kDenseRecordsPerBucket * std::max(buckets, 1);
}

// The points of one quantity of time-stamped records (anything with a `tS`
// member, sorted by it) in [x0, x1]; raw when they fit, else decimated.
template <typename Record, typename Field>
QList<QPointF> windowPoints(const std::vector<Record> &records, double x0, double x1, int buckets,
    Field field, Reduction reduction = Reduction::MinMax)
{
    const auto [first, last] = windowRange(records, x0, x1);
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

// One quantity of a dense window (isDenseWindow): its mean per slice and the range around it.
template <typename Record, typename Field>
EnvelopeDecimator::Result windowEnvelope(
    const std::vector<Record> &records, double x0, double x1, int buckets, Field field)
{
    const auto [first, last] = windowRange(records, x0, x1);
    EnvelopeDecimator decimator(x0, x1, buckets);
    for (auto it = first; it != last; ++it)
        decimator.add(it->tS, field(*it));
    return decimator.finish();
}

} // namespace headroom::ui
