#pragma once

#include "metrics/lanesample.h"

#include <string>
#include <vector>

namespace headroom::io {

// One lane's per-second samples with its controller name, for timeseries.csv.
struct LaneSeries
{
    std::string lane;
    const std::vector<metrics::LaneSample> *samples = nullptr;
};

// summary.json as DESIGN.md section 6 lays it out. NaN latencies are written as null.
std::string summaryJson(const metrics::RunSummary &summary);
void writeSummaryJson(const metrics::RunSummary &summary, const std::string &path);

// timeseries.csv: one row per lane per simulated second. NaN latencies are empty cells.
void writeTimeseriesCsv(const std::vector<LaneSeries> &lanes, const std::string &path);

// Writes `text` to path through a temporary file and a rename. Throws
// std::runtime_error naming the path when it cannot.
void writeFileAtomically(const std::string &path, const std::string &text);

} // namespace headroom::io
