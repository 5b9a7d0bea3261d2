#pragma once

#include <QString>
#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <vector>

namespace headroom::ui {

// A line's summary over the time window on screen, as its legend entry shows it.
struct SeriesStats
{
    int count = 0; // finite values in the window; 0: every other field is NaN
    double last = std::numeric_limits<double>::quiet_NaN();
    double min = std::numeric_limits<double>::quiet_NaN();
    double max = std::numeric_limits<double>::quiet_NaN();
    // Nearest rank: the smallest value at least 95 % of the values are at or below, i.e. the
    // ceil(0.95 n)-th smallest. Always one of the values, so it reads like the line.
    double p95 = std::numeric_limits<double>::quiet_NaN();
};

// The stats of `values` in time order (the last one is `last`); non-finite values (gaps) are
// skipped. Takes the vector by value: the p95 reorders it.
SeriesStats seriesStats(std::vector<double> values);

// The stats of several quantities of time-stamped records (anything with a `tS` member,
// sorted by it) with x0 <= tS <= x1, in one walk over them: what the window shows, not the
// point past its edge that a line runs on to. On a long run the walk through the records, not
// the arithmetic, is most of the cost.
template <typename Record>
std::vector<SeriesStats> windowStats(const std::vector<Record> &records, double x0, double x1,
    const std::vector<std::function<double(const Record &)>> &fields)
{
    const auto byTime = [](const Record &r, double t) { return r.tS < t; };
    const auto first = std::lower_bound(records.begin(), records.end(), x0, byTime);
    const auto last = std::upper_bound(
        first, records.end(), x1, [](double t, const Record &r) { return t < r.tS; });
    std::vector<std::vector<double>> values(fields.size());
    for (std::vector<double> &v : values)
        v.reserve(static_cast<std::size_t>(std::distance(first, last)));
    for (auto it = first; it != last; ++it) {
        for (std::size_t i = 0; i < fields.size(); ++i)
            values[i].push_back(fields[i](*it));
    }
    std::vector<SeriesStats> stats;
    for (std::vector<double> &v : values)
        stats.push_back(seriesStats(std::move(v)));
    return stats;
}

// The same for one quantity.
template <typename Record, typename Field>
SeriesStats windowStats(const std::vector<Record> &records, double x0, double x1, Field field)
{
    using Fields = std::vector<std::function<double(const Record &)>>;
    return windowStats(records, x0, x1, Fields {field}).front();
}

// "last 312 · min 95 · max 2236 · p95 2100"; "no data" when the window has no finite value.
QString statsText(const SeriesStats &stats, int decimals);
// The same in about half the width, for narrow charts: "312 (95–2236, p95 2100)".
QString compactStatsText(const SeriesStats &stats, int decimals);
// A stat as the legend prints it: up to `decimals` below 100 (12.5, 31), whole numbers from
// 100, thousands as "12.5k" from 10 000, so an entry stays short whatever the scale.
QString statNumber(double value, int decimals);

// A span of seconds whose p95 latency was over the SLO, contiguous seconds merged. A sample
// at tS stands for the second [tS, tS + 1), as the crosshair reads it, up to the latest
// sample: nothing is known past it, so no span reaches past it.
struct BreachSpan
{
    double x0 = 0.0;
    double x1 = 0.0;
    double peak = 0.0; // the highest value over the SLO within the span
    int seconds = 0; // samples over the SLO within the span
};

// The spans where `field` is over `threshold` for the records with x0 - 1 < tS <= x1 (a
// second that starts before x0 reaches into the window). A NaN or infinite value (nothing
// completed) never breaches. Spans less than `minGapS` apart merge, so a long run at a
// coarse zoom draws a few bands rather than thousands of slivers. A breach at the latest
// sample alone has no width yet and is left out until the next sample.
template <typename Record, typename Field>
std::vector<BreachSpan> breachSpans(const std::vector<Record> &records, double threshold, double x0,
    double x1, Field field, double minGapS = 0.0)
{
    const auto byTime = [](const Record &r, double t) { return r.tS <= t; };
    std::vector<BreachSpan> spans;
    for (auto it = std::lower_bound(records.begin(), records.end(), x0 - 1.0, byTime);
         it != records.end() && it->tS <= x1; ++it) {
        const double v = field(*it);
        if (!std::isfinite(v) || !(v > threshold))
            continue;
        // Contiguous seconds touch ([9, 10) then [10, 11)); the tolerance absorbs rounding.
        if (!spans.empty() && it->tS <= spans.back().x1 + minGapS + 1e-9) {
            BreachSpan &span = spans.back();
            span.x1 = it->tS + 1.0;
            span.peak = std::max(span.peak, v);
            ++span.seconds;
        } else {
            spans.push_back({it->tS, it->tS + 1.0, v, 1});
        }
    }
    if (!spans.empty()) {
        spans.back().x1 = std::min(spans.back().x1, records.back().tS);
        if (!(spans.back().x1 > spans.back().x0))
            spans.pop_back();
    }
    return spans;
}

} // namespace headroom::ui
