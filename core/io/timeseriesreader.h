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
};

// timeseries.csv (timeseriesCsv(), or a dashboard CSV export with its "# key: value" lines)
// back into each lane's samples, lanes in the order they first appear. The columns are found
// by name; those DESIGN.md lists are required, the newer ones (forecasts, fallback, no_data,
// slo_violations_per_s, pods_unready, concurrency) optional. Empty latency and forecast cells
// are NaN; an empty arrivals cell is a second without data. Throws InputError naming `path`,
// the row and the column of the first bad cell, or a lane whose seconds go back in time.
std::vector<TimeseriesLane> parseTimeseriesCsv(const std::string &text, const std::string &path);
std::vector<TimeseriesLane> readTimeseriesCsv(const std::string &path);

} // namespace headroom::io
