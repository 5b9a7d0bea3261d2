#include "io/timeseriesreader.h"

#include "io/inputerror.h"
#include "logging.h"
#include "traffic/csvtext.h"
#include "traffic/jsonfields.h"
#include "traffic/textfile.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

namespace headroom::io {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Bounds on what a run can hold: seconds (31 years), rates, latencies (ms), pods and queues.
constexpr double kMaxValue = 1e9;
constexpr double kMaxLatencyMs = 1e12;
constexpr double kMaxCount = 1e9;
// The header as an error shows it: a binary file's "header" is cut short.
std::string headerText(const traffic::CsvHeader &header)
{
    std::string text = header.joined();
    return text.size() > 300 ? text.substr(0, 300) + "..." : text;
}

enum Column {
    TimeS, Lane, Arrivals, Completed, Dropped, P50, P95, P99, PodsDesired, PodsReady,
    PodsStarting, Cpu, Queue, // the columns DESIGN.md lists: required
    Horizon, ForecastP50, ForecastP90, Fallback, NoData, Violations, PodsUnready, Concurrency,
    ColumnCount
};
constexpr int kRequiredColumns = Queue + 1;
constexpr std::array<const char *, ColumnCount> kNames {"t_s", "lane", "arrivals_per_s",
    "completed_per_s", "dropped_per_s", "latency_p50_ms", "latency_p95_ms", "latency_p99_ms",
    "pods_desired", "pods_ready", "pods_starting", "cpu_utilization", "queue_length",
    "forecast_horizon_s", "forecast_p50", "forecast_p90", "fallback", "no_data",
    "slo_violations_per_s", "pods_unready", "concurrency"};

std::string quoted(std::string_view text)
{
    std::string out(1, '\'');
    out.append(text);
    out.push_back('\'');
    return out;
}

class RowReader
{
public:
    RowReader(const std::string &path, long row, const std::array<int, ColumnCount> &columns,
        const std::vector<std::string_view> &fields)
        : m_path(path), m_row(row), m_columns(columns), m_fields(fields)
    {
    }

    bool present(Column c) const { return m_columns[c] >= 0; }
    std::string_view cell(Column c) const
    {
        return present(c) ? m_fields[static_cast<std::size_t>(m_columns[c])] : std::string_view();
    }

    // A finite number from 0 to `max`; empty gives `empty` (an error when that is unset).
    double number(Column c, std::optional<double> empty = std::nullopt, double max = kMaxValue) const
    {
        const std::string_view text = cell(c);
        if (text.empty()) {
            if (!empty)
                fail(c, "empty");
            return *empty;
        }
        double value = 0.0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
            fail(c, quoted(text) + " is not a number");
        if (value < 0.0)
            fail(c, quoted(text) + " is negative");
        if (value > max)
            fail(c, quoted(text) + " is above " + std::to_string(static_cast<long long>(max))
                    + ", more than a run can hold");
        return value;
    }

    int count(Column c, int empty = 0) const
    {
        if (!present(c))
            return empty;
        const double value = number(c, std::nullopt, kMaxCount);
        if (value != std::floor(value))
            fail(c, quoted(cell(c)) + " is not a whole number");
        return static_cast<int>(value);
    }

    bool flag(Column c) const
    {
        const std::string_view text = cell(c);
        if (text.empty() || text == "0")
            return false;
        if (text == "1")
            return true;
        fail(c, quoted(text) + " is not 0 or 1");
    }

    [[noreturn]] void fail(Column c, const std::string &problem) const
    {
        throw InputError(m_path, m_row, kNames[c], problem + traffic::quotesNotReadNote(cell(c)));
    }

private:
    const std::string &m_path;
    long m_row;
    const std::array<int, ColumnCount> &m_columns;
    const std::vector<std::string_view> &m_fields;
};

} // namespace

std::vector<TimeseriesLane> parseTimeseriesCsv(
    const std::string &text, const std::string &path, TimeseriesColumns wanted)
{
    traffic::CsvLines lines(text);
    std::string_view line;
    std::optional<traffic::CsvHeader> header;
    // The header: the first line that is neither blank nor a "# key: value" comment.
    while (lines.next(line)) {
        if (traffic::isBlankLine(line) || line.front() == '#')
            continue;
        header.emplace(line);
        break;
    }
    if (!header)
        throw InputError(path, std::nullopt, {}, "no header row: not a timeseries.csv");
    const long headerRow = lines.lineNumber();
    for (int i = 0; i < header->size(); ++i) {
        for (int j = 0; j < i; ++j) {
            if (header->name(i) == header->name(j))
                throw InputError(path, headerRow, header->name(i), "column named twice");
        }
    }
    const int required = wanted == TimeseriesColumns::All ? ColumnCount : kRequiredColumns;
    std::array<int, ColumnCount> columns {};
    for (int c = 0; c < ColumnCount; ++c) {
        columns[static_cast<std::size_t>(c)] = header->find({kNames[static_cast<std::size_t>(c)]});
        if (c < required && columns[static_cast<std::size_t>(c)] < 0)
            throw InputError(path, headerRow, kNames[static_cast<std::size_t>(c)],
                "column missing (the header has: " + headerText(*header) + ")"
                    + traffic::quotesNotReadNote(line));
    }

    for (int i = 0; i < header->size(); ++i) {
        const bool known = std::any_of(kNames.begin(), kNames.end(),
            [&](const char *name) { return header->name(i) == name; });
        if (!known && wanted == TimeseriesColumns::All)
            throw InputError(path, headerRow, header->name(i),
                "not a timeseries.csv column (the header has: " + headerText(*header) + ")"
                    + traffic::quotesNotReadNote(line));
    }
    std::vector<TimeseriesLane> lanes;
    std::map<std::string, std::size_t, std::less<>> laneIndex;
    std::vector<std::string_view> fields;
    while (lines.next(line)) {
        if (traffic::isBlankLine(line))
            continue;
        const long row = lines.lineNumber();
        traffic::splitCsvFields(line, fields);
        if (static_cast<int>(fields.size()) != header->size())
            throw InputError(path, row, {},
                std::to_string(fields.size()) + " cells where the header has "
                    + std::to_string(header->size()) + traffic::quotesNotReadNote(line));
        const RowReader r(path, row, columns, fields);
        metrics::LaneSample s;
        s.tS = r.number(TimeS);
        const std::string_view laneName = r.cell(Lane);
        if (laneName.empty())
            r.fail(Lane, "empty");
        s.noData = r.flag(NoData) || (!r.present(NoData) && r.cell(Arrivals).empty());
        if (s.noData && !r.cell(Arrivals).empty())
            r.fail(Arrivals, "must be empty on a no_data row (the load there is unknown), got "
                    + quoted(r.cell(Arrivals)));
        s.arrivalsPerS = s.noData ? 0.0 : r.number(Arrivals);
        // A live cluster's second that was not read has no counts at all: unknown, not 0.
        s.completedPerS = r.number(Completed, s.noData ? std::optional<double>(kNaN) : std::nullopt);
        s.droppedPerS = r.number(Dropped, s.noData ? std::optional<double>(kNaN) : std::nullopt);
        s.latencyP50Ms = r.number(P50, kNaN, kMaxLatencyMs);
        s.latencyP95Ms = r.number(P95, kNaN, kMaxLatencyMs);
        s.latencyP99Ms = r.number(P99, kNaN, kMaxLatencyMs);
        s.podsDesired = r.count(PodsDesired);
        s.podsReady = r.count(PodsReady);
        s.podsStarting = r.count(PodsStarting);
        // A share of the pods' CPU request: a simulated pod's is at most 1, a live cluster's
        // may use more than it requests (the HPA reads 150 %), and a recording of it opens.
        s.cpuUtilization = r.number(Cpu, 0.0, 1000.0);
        s.queueLength = r.count(Queue);
        s.forecastHorizonS = r.number(Horizon, kNaN);
        s.forecastP50 = r.number(ForecastP50, kNaN);
        s.forecastP90 = r.number(ForecastP90, kNaN);
        s.fallback = r.flag(Fallback);
        s.sloViolationsPerS = r.number(Violations, 0.0);
        s.podsUnready = r.count(PodsUnready);
        s.concurrency = r.number(Concurrency, 0.0);

        auto it = laneIndex.find(laneName);
        if (it == laneIndex.end()) {
            it = laneIndex.emplace(std::string(laneName), lanes.size()).first;
            lanes.push_back({std::string(laneName), {}, row, {}});
        }
        TimeseriesLane &lane = lanes[it->second];
        if (!lane.samples.empty() && s.tS <= lane.samples.back().tS)
            r.fail(TimeS, "lane " + std::string(laneName) + ": "
                    + traffic::numberText(s.tS) + " s "
                    + (s.tS == lane.samples.back().tS ? "repeats" : "goes back in time from")
                    + " row " + std::to_string(lane.rows.back()) + "'s "
                    + traffic::numberText(lane.samples.back().tS)
                    + " s (a lane's seconds must increase)");
        lane.samples.push_back(s);
        lane.rows.push_back(row);
    }
    return lanes;
}

std::vector<TimeseriesLane> readTimeseriesCsv(const std::string &path, TimeseriesColumns columns)
{
    std::vector<TimeseriesLane> lanes
        = parseTimeseriesCsv(traffic::readTextFile(path), path, columns);
    qCInfo(lcIo) << "read" << path.c_str() << "with" << lanes.size() << "lanes";
    return lanes;
}

} // namespace headroom::io
