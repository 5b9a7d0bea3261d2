#pragma once

#include "metrics/lanesample.h"

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::io {

// One lane's per-second samples with its controller name, for timeseries.csv.
struct LaneSeries
{
    std::string lane;
    const std::vector<metrics::LaneSample> *samples = nullptr;
};

// The lock a `headroom-cli run` holds in its --out folder while it writes there: another run,
// and the dashboard's batch export, refuse the folder while it is held.
inline constexpr const char *kRunLockFile = ".headroom-run.lock";

// summary.json as DESIGN.md section 6 lays it out. NaN latencies are written as null.
// Forecasting lanes add "forecast" (forecasts, mae_req_per_s, relative_mae, coverage_p90;
// the scores null while no forecast has been scored, relative_mae also when no request arrived
// at the scored targets) and "fallback_s".
std::string summaryJson(const metrics::RunSummary &summary);
// One entry of summary.json's "lanes"; parseLaneSummary() (sweepreport.h) reads it back.
nlohmann::json laneSummaryJson(const metrics::LaneSummary &lane);
void writeSummaryJson(const metrics::RunSummary &summary, const std::string &path);

// timeseries.csv: one row per lane per simulated second. NaN latencies and forecasts are
// empty cells; fallback and no_data are 0 or 1 (a no-data second's arrivals are empty);
// slo_violations_per_s, pods_unready and concurrency follow. readTimeseriesCsv()
// (timeseriesreader.h) reads it back.
std::string timeseriesCsv(const std::vector<LaneSeries> &lanes);
// The same text handed to `write` in pieces of about `pieceBytes`, never held whole (a
// month-long run's is 750 MB for four lanes); stops at, and returns, the first false from `write`.
bool writeTimeseriesCsv(const std::vector<LaneSeries> &lanes,
    const std::function<bool(std::string_view)> &write, std::size_t pieceBytes = 1 << 20);
// Streamed to the file, written whole or not at all (writeFileAtomically()).
void writeTimeseriesCsv(const std::vector<LaneSeries> &lanes, const std::string &path);

// Writes `text` to path through a temporary file and a rename. Throws
// std::runtime_error naming the path when it cannot.
void writeFileAtomically(const std::string &path, const std::string &text);
// The same, for a text `write` streams to the file; its false is a failed write.
void writeFileAtomically(const std::string &path, const std::function<bool(std::ostream &)> &write);

} // namespace headroom::io
