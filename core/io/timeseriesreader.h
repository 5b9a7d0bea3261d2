#pragma once

#include "metrics/lanesample.h"

#include <string>
#include <vector>

namespace headroom::io {

// One lane's samples as a timeseries.csv holds them.
struct TimeseriesLane
{
    std::string lane;
    std::vector<metrics::LaneSample> samples; // in time order
    long firstRow = 0; // the file's row (1-based line) of the lane's first sample
    std::vector<long> rows; // the file's row of each sample, as `samples`
};

// Which columns a reader insists on.
enum class TimeseriesColumns {
    Listed, // those DESIGN.md lists; the newer ones may be missing (older files)
    All, // every column this version writes, and no others (a recorded run)
};

// timeseries.csv (timeseriesCsv(), or a dashboard CSV export with its "# key: value" lines)
// back into each lane's samples, lanes in the order they first appear. The columns are found
// by name, each once; with TimeseriesColumns::Listed the newer ones (forecasts, fallback,
// no_data, slo_violations_per_s, pods_unready, concurrency) may be missing and other columns
// are left alone. Empty latency and forecast cells are NaN; an empty arrivals cell is a second
// without data (no_data 1, which must have it empty). Numbers are checked against what a run
// can hold (seconds up to 1e9, rates up to 1e9 per second, CPU use 0 to 1000 times the
// request, ...). Throws
// InputError naming `path`, the row and the column of the first bad cell, or a lane whose
// seconds go back in time (its t_s and the earlier row's, both with their rows).
std::vector<TimeseriesLane> parseTimeseriesCsv(const std::string &text, const std::string &path,
    TimeseriesColumns columns = TimeseriesColumns::Listed);
std::vector<TimeseriesLane> readTimeseriesCsv(
    const std::string &path, TimeseriesColumns columns = TimeseriesColumns::Listed);

} // namespace headroom::io
