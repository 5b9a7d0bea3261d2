#include "traffic/trace.h"

#include "io/inputerror.h"
#include "logging.h"
#include "traffic/jsonfields.h"
#include "traffic/timestamp.h"
#include "traffic/tracefile.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>
#include <span>

namespace headroom::traffic {

namespace {

constexpr double kStrayLimitS = 7 * 86400.0;
// The most intervals a count trace may span, holes included: 10 M is 116 days of seconds.
constexpr long kMaxIntervals = 10'000'000;
// Time columns in seconds since 1970, whose values are also shown as UTC dates.
constexpr std::string_view kEpochColumns[] = {"unix_time_s", "unix_time", "epoch_s"};

template <typename T> std::optional<T> parseNumber(std::string_view text)
{
    T value {};
    const char *end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end)
        return std::nullopt;
    return value;
}

std::string quoted(std::string_view text)
{
    std::string result(1, '\'');
    result.append(text).push_back('\'');
    return result;
}

std::string fullNumberText(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.15g", value);
    return buffer;
}

std::string joinNotes(const std::vector<std::string> &notes)
{
    std::string text;
    for (const std::string &note : notes)
        text += (text.empty() ? "" : "; ") + note;
    return text.empty() ? "no irregularities" : text;
}

// ---- per-request traces ----

struct RequestRow
{
    UnixNs ns = 0;
    long line = 0;
    int contextTokens = -1;
    int generatedTokens = -1;
    std::string_view timeText;
};

// Milliseconds since 1970 within the dates a TIMESTAMP column takes (supportedTimestampRange).
std::optional<UnixNs> parseMillis(std::string_view text)
{
    constexpr std::int64_t kMsPerDay = 86'400'000;
    const std::int64_t first = daysFromCivil(kMinTimestampYear, 1, 1) * kMsPerDay;
    const std::int64_t end = daysFromCivil(kMaxTimestampYear + 1, 1, 1) * kMsPerDay;
    if (const auto whole = parseNumber<std::int64_t>(text))
        return *whole >= first && *whole < end ? std::optional(*whole * 1'000'000) : std::nullopt;
    const auto value = parseNumber<double>(text);
    if (!value || !(*value >= static_cast<double>(first) && *value < static_cast<double>(end)))
        return std::nullopt;
    return std::llround(*value * 1e6);
}

UnixNs readTime(const TraceFile &file)
{
    const int column = file.layout().time;
    const std::string_view text = file.field(column);
    if (text.empty())
        file.fail(column, "the time is empty");
    const bool inMs = file.layout().timeInMs;
    // nan and inf read as numbers, and were said to be past the dates ("microseconds or
    // nanoseconds?"): not a number, as the count traces' time column says; '+Inf' too. A
    // number past a double's range ('1e999') is past the dates, as 1e300 is.
    if (inMs) {
        const std::string_view unsigned_ = text.size() > 1 && text.front() == '+' ? text.substr(1) : text;
        double number = 0.0;
        const char *end = unsigned_.data() + unsigned_.size();
        const auto [ptr, ec] = std::from_chars(unsigned_.data(), end, number);
        if (ptr == end && ec == std::errc() && !std::isfinite(number))
            file.fail(column, quoted(text) + " is not a number");
        if (ptr == end && ec == std::errc::result_out_of_range)
            file.fail(column,
                quoted(text) + " milliseconds since 1970 is outside the supported range of dates, "
                    + supportedTimestampRange());
    }
    const std::optional<UnixNs> ns = inMs ? parseMillis(text) : parseUtcTimestamp(text);
    // A number past the range (microseconds in a milliseconds column, say) is said to be.
    if (!ns && inMs && parseNumber<double>(text))
        file.fail(column,
            quoted(text) + " milliseconds since 1970 is outside the supported range of dates, "
                + supportedTimestampRange() + "; microseconds or nanoseconds?");
    if (!ns && !inMs) {
        if (outOfRangeTimestampYear(text))
            file.fail(column,
                quoted(text) + " is outside the supported range of dates, "
                    + supportedTimestampRange());
    }
    if (!ns)
        file.fail(column,
            quoted(text)
                + (inMs ? " is not a number of milliseconds"
                        : " is not a valid date and time (expected YYYY-MM-DD HH:MM:SS "
                          "with 0 to 9 fractional digits, UTC, from "
                            + supportedTimestampRange() + ")"));
    return *ns;
}

int readTokens(const TraceFile &file, int column)
{
    const std::string_view text = file.field(column);
    const std::optional<int> value = parseNumber<int>(text);
    if (!value || *value < 0) {
        // A count of digits past int's range is a whole number, just not a plausible count.
        const bool digits = !text.empty()
            && std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
        file.fail(column,
            text.empty() ? std::string("the token count is empty")
                : digits ? quoted(text) + " tokens is past the supported "
                        + std::to_string(std::numeric_limits<int>::max())
                         : quoted(text) + " is not a non-negative integer");
    }
    return *value;
}

bool usesTokens(const TraceLayout &layout)
{
    return layout.contextTokens >= 0 && layout.generatedTokens >= 0;
}

std::optional<std::string> partialTokensNote(const TraceFile &file)
{
    const TraceLayout &layout = file.layout();
    const int present = std::max(layout.contextTokens, layout.generatedTokens);
    if (usesTokens(layout) || present < 0)
        return std::nullopt;
    return "only the " + file.header().name(present)
        + " token column is present in the file; token counts are not used";
}

std::vector<RequestRow> readRequestRows(TraceFile &file)
{
    const TraceLayout &layout = file.layout();
    const bool tokens = usesTokens(layout);
    std::vector<RequestRow> rows;
    while (file.nextRow()) {
        RequestRow row {readTime(file), file.line(), -1, -1, file.field(layout.time)};
        if (tokens) {
            row.contextTokens = readTokens(file, layout.contextTokens);
            row.generatedTokens = readTokens(file, layout.generatedTokens);
        }
        rows.push_back(row);
    }
    if (rows.empty())
        throw InputError(file.path(), std::nullopt, {}, "no requests: the file has only a header");
    return rows;
}

UnixNs medianTime(const std::vector<RequestRow> &rows)
{
    std::vector<UnixNs> times(rows.size());
    std::transform(rows.begin(), rows.end(), times.begin(), [](const auto &r) { return r.ns; });
    const auto middle = times.begin() + static_cast<std::ptrdiff_t>(times.size() / 2);
    std::nth_element(times.begin(), middle, times.end());
    return *middle;
}

// A row far from the median is a stray (a clock reset, a test record), and
// replaying the gap to it would mean years of silence, so the file is refused.
void rejectStrayRows(const TraceFile &file, const std::vector<RequestRow> &rows)
{
    const UnixNs median = medianTime(rows);
    const auto distanceS = [median](const RequestRow &row) {
        return std::abs(static_cast<double>(row.ns) - static_cast<double>(median)) / kNsPerSecond;
    };
    const auto isStray = [&](const RequestRow &row) { return distanceS(row) > kStrayLimitS; };
    const auto first = std::find_if(rows.begin(), rows.end(), isStray);
    if (first == rows.end())
        return;
    const long strays = static_cast<long>(std::count_if(rows.begin(), rows.end(), isStray));
    file.failAt(first->line, file.layout().time,
        "timestamp " + std::string(first->timeText) + " is " + describeSpan(distanceS(*first))
            + " from the rest of the trace (median " + formatUtc(median)
            + "); a row more than 7 days from the median is taken as stray ("
            + counted(strays, "such row") + " in the file)");
}

void sortByTime(std::vector<RequestRow> &rows, std::vector<std::string> &notes)
{
    long late = 0;
    long firstLine = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        if (rows[i].ns < rows[i - 1].ns && late++ == 0)
            firstLine = rows[i].line;
    }
    if (late == 0)
        return;
    std::stable_sort(
        rows.begin(), rows.end(), [](const auto &a, const auto &b) { return a.ns < b.ns; });
    notes.push_back(counted(late, "row") + " earlier than the row before "
        + (late == 1 ? "it" : "them") + " in the file (first at line " + std::to_string(firstLine)
        + "); rows sorted by time");
}

// Counted on the sorted requests rather than the file's rows, so that a slice can count
// its own. `where` names the scope: empty for the whole file, " in the slice".
std::optional<std::string> batchesNote(
    const std::vector<TraceRequest> &requests, const std::string &where)
{
    long shared = 0;
    long firstLine = 0;
    for (std::size_t i = 1; i < requests.size(); ++i) {
        if (requests[i].offsetS == requests[i - 1].offsetS && shared++ == 0)
            firstLine = requests[i].line;
    }
    if (shared == 0)
        return std::nullopt;
    return counted(shared, "row") + where + " on the same timestamp as the row before"
        + (firstLine > 0 ? " (first at line " + std::to_string(firstLine) + ")" : std::string())
        + "; kept as batches arriving together";
}

// A gap between consecutive requests longer than an hour and than 100 times the trace's
// median spacing is told, not changed: it replays as it is, time without requests (a quiet
// night is traffic too), but a day's gap in a trace of sub-second spacing is more likely
// a log lost or a second file appended, and the run lasts that much longer. A count trace
// tells every hole, since its intervals say what is missing; between requests only a gap far
// beyond the trace's own spacing says so.
constexpr double kLongGapS = 3600.0;
constexpr double kLongGapSpacings = 100.0;

// As batchesNote, on the sorted requests, so that a slice tells its own gaps.
std::optional<std::string> longGapsNote(
    const std::vector<TraceRequest> &requests, const std::string &where)
{
    if (requests.size() < 2)
        return std::nullopt;
    std::vector<double> spacings(requests.size() - 1);
    for (std::size_t i = 1; i < requests.size(); ++i)
        spacings[i - 1] = requests[i].offsetS - requests[i - 1].offsetS;
    // The lower median: of a second and a day, the typical spacing is the second.
    const auto middle = spacings.begin() + static_cast<std::ptrdiff_t>((spacings.size() - 1) / 2);
    std::nth_element(spacings.begin(), middle, spacings.end());
    const double medianS = *middle;
    const double limitS = std::max(kLongGapS, kLongGapSpacings * medianS);
    long long gaps = 0;
    std::size_t longest = 0;
    for (std::size_t i = 1; i < requests.size(); ++i) {
        const double gapS = requests[i].offsetS - requests[i - 1].offsetS;
        if (!(gapS > limitS))
            continue;
        ++gaps;
        if (longest == 0
            || gapS > requests[longest].offsetS - requests[longest - 1].offsetS)
            longest = i;
    }
    if (gaps == 0)
        return std::nullopt;
    const TraceRequest &before = requests[longest - 1];
    const TraceRequest &after = requests[longest];
    const double longestS = after.offsetS - before.offsetS;
    return counted(gaps, "gap") + " between requests" + where
        + " longer than 1 hour and 100 times the median spacing (" + numberText(medianS)
        + " s), replayed as time without requests; the longest " + numberText(longestS) + " s ("
        + describeSpan(longestS) + "), from " + numberText(before.offsetS) + " s to "
        + numberText(after.offsetS) + (where.empty() ? " s of the trace" : " s of the slice")
        + (before.line > 0 && after.line > 0
                ? " (lines " + std::to_string(before.line) + " and " + std::to_string(after.line)
                    + ")"
                : std::string());
}

RequestTrace toRequestTrace(const TraceFile &file, const std::vector<RequestRow> &rows)
{
    RequestTrace trace;
    trace.path = file.path();
    trace.timeColumn = file.header().name(file.layout().time);
    trace.hasTokens = usesTokens(file.layout());
    trace.requests.reserve(rows.size());
    const UnixNs origin = rows.front().ns;
    for (const RequestRow &row : rows) {
        const double offsetS = static_cast<double>(row.ns - origin) / kNsPerSecond;
        trace.requests.push_back({offsetS, row.contextTokens, row.generatedTokens, row.line});
    }
    trace.spanS = trace.requests.back().offsetS;
    return trace;
}

// ---- per-interval count traces ----

struct CountRow
{
    double timeS = 0.0;
    double count = 0.0;
    long line = 0;
};

double readNumberField(const TraceFile &file, int column, const char *what)
{
    const std::string_view text = file.field(column);
    const std::optional<double> value = parseNumber<double>(text);
    if (!value || !std::isfinite(*value))
        file.fail(column,
            text.empty() ? std::string("the ") + what + " is empty"
                         : quoted(text) + " is not a number");
    return *value;
}

// From the time column's name alone (a header has exactly one), so that notes on a slice,
// made without the file, describe times as the file's reading does.
std::string describeTime(const std::string &timeColumn, double timeS)
{
    std::string text = timeColumn + " " + fullNumberText(timeS);
    const bool isEpoch = std::find(std::begin(kEpochColumns), std::end(kEpochColumns),
                             lowerCase(timeColumn))
        != std::end(kEpochColumns);
    if (isEpoch && std::abs(timeS) < 7e9)
        text += " (" + formatUtc(std::llround(timeS * 1e9)).substr(0, 19) + " UTC)";
    return text;
}

std::string describeTime(const TraceFile &file, double timeS)
{
    return describeTime(file.header().name(file.layout().time), timeS);
}

std::vector<CountRow> readCountRows(TraceFile &file)
{
    const TraceLayout &layout = file.layout();
    // Seconds since 1970 within the dates a TIMESTAMP column takes: milliseconds read as
    // seconds ran an hour of data as 42 days, with no note (a new-user trial).
    const bool epoch = std::find(std::begin(kEpochColumns), std::end(kEpochColumns),
                           lowerCase(file.header().name(layout.time)))
        != std::end(kEpochColumns);
    constexpr double kSecondsPerDay = 86'400.0;
    const double firstS = static_cast<double>(daysFromCivil(kMinTimestampYear, 1, 1)) * kSecondsPerDay;
    const double endS = static_cast<double>(daysFromCivil(kMaxTimestampYear + 1, 1, 1)) * kSecondsPerDay;
    std::vector<CountRow> rows;
    while (file.nextRow()) {
        const CountRow row {readNumberField(file, layout.time, "time"),
            readNumberField(file, layout.count, "count"), file.line()};
        if (epoch && !(row.timeS >= firstS && row.timeS < endS))
            file.fail(layout.time,
                quoted(file.field(layout.time)) + " seconds since 1970 is outside the supported range of dates, "
                    + supportedTimestampRange()
                    + (row.timeS >= endS ? "; milliseconds?" : "")
                    + " (name the column time_s for seconds from any start)");
        if (row.count < 0.0)
            file.fail(layout.count, "the count " + fullNumberText(row.count) + " is negative");
        if (!rows.empty() && row.timeS <= rows.back().timeS)
            file.fail(layout.time,
                describeTime(file, row.timeS) + " is not after row "
                    + std::to_string(rows.back().line) + " (" + fullNumberText(rows.back().timeS)
                    + "): interval times must increase");
        rows.push_back(row);
    }
    if (rows.empty())
        throw InputError(file.path(), std::nullopt, {}, "no intervals: the file has only a header");
    return rows;
}

// A count trace's interval, and the first row that ends a gap of that length.
struct MeasuredGap
{
    std::int64_t micros = 0;
    std::size_t row = 0;
};

// The most common gaps between consecutive rows (several on a tie), each with the first row
// that ends one, in row order. A gap of more than 7 days is no interval (appendGap refuses
// its row as stray) and is left out: in microseconds it overflowed, and 0, 60, 1e15 was said
// to have a common gap under 1 microsecond. Empty without a gap to measure.
struct CommonGaps
{
    std::vector<MeasuredGap> tied;
    long count = 0; // how often each of them occurs
    std::map<std::int64_t, long> all; // every gap (microseconds) and how often it occurs
};

// Of gaps that tie, the one that explains the rest: every other gap a whole number of it
// (0, 60, 180: 60, the 120 a hole), with no more holes than times it occurs itself. nullopt
// when none does (0, 60, 61, 120: 1 s would make 117 holes of 3 rows; 0, 30, 45, 90: 15 s
// would make 3 holes, read from rows that each covered more).
std::optional<MeasuredGap> explainingGap(const CommonGaps &gaps)
{
    for (const MeasuredGap &candidate : gaps.tied) {
        if (candidate.micros <= 0)
            continue;
        long holes = 0;
        bool divides = true;
        for (const auto &[micros, count] : gaps.all) {
            divides = divides && micros % candidate.micros == 0;
            holes += divides ? (micros / candidate.micros - 1) * count : 0;
        }
        if (divides && holes <= gaps.count)
            return candidate;
    }
    return std::nullopt;
}

CommonGaps commonGaps(const std::vector<CountRow> &rows)
{
    struct Seen
    {
        long count = 0;
        std::size_t firstRow = 0;
    };
    std::map<std::int64_t, Seen> gaps;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const double gapS = rows[i].timeS - rows[i - 1].timeS;
        if (gapS > kStrayLimitS)
            continue;
        Seen &seen = gaps.try_emplace(std::llround(gapS * 1e6), Seen {0, i}).first->second;
        ++seen.count;
    }
    CommonGaps common;
    for (const auto &[micros, seen] : gaps)
        common.all[micros] = seen.count;
    for (const auto &[micros, seen] : gaps)
        common.count = std::max(common.count, seen.count);
    for (const auto &[micros, seen] : gaps) {
        if (seen.count == common.count)
            common.tied.push_back(MeasuredGap {micros, seen.firstRow});
    }
    std::sort(common.tied.begin(), common.tied.end(),
        [](const MeasuredGap &a, const MeasuredGap &b) { return a.row < b.row; });
    return common;
}

// The interval is the gap between rows more common than any other; a gap a whole number of
// them long leaves holes (appendGap). When gaps tie (every gap once, say) the rows do not
// tell the interval unless one of them explains the rest (explainingGap), and the file is
// refused at the row ending the second of them in row order. A tie was settled by the gap the
// others are whole multiples of alone: 0, 60, 61, 120 read as 121 intervals of 1 s with 117
// holes, each minute's 100 requests replayed inside one second, and 0, 30, 45, 90 as 15 s
// intervals (a new-user trial); refusing every tie refused 0, 60, 180 (a second trial).
void measureInterval(const TraceFile &file, const std::vector<CountRow> &rows, CountTrace &trace)
{
    CommonGaps gaps = commonGaps(rows);
    if (gaps.tied.empty() && rows.size() == 1)
        trace.notes.push_back(
            "the file has a single interval: its length cannot be measured, 60 s assumed");
    if (gaps.tied.size() > 1) {
        if (const std::optional<MeasuredGap> explaining = explainingGap(gaps))
            gaps.tied = {*explaining};
    }
    if (gaps.tied.size() > 1) {
        const std::size_t at = gaps.tied[1].row;
        constexpr std::size_t kListed = 4;
        const std::size_t listed = std::min(gaps.tied.size(), kListed);
        std::string list;
        for (std::size_t i = 0; i < listed; ++i) {
            const bool last = i + 1 == listed && gaps.tied.size() <= kListed;
            list += std::string(i == 0 ? "" : last ? " and " : ", ")
                + fullNumberText(static_cast<double>(gaps.tied[i].micros) / 1e6)
                + " s (first at line " + std::to_string(rows[gaps.tied[i].row].line) + ")";
        }
        if (gaps.tied.size() > kListed)
            list += " and " + std::to_string(gaps.tied.size() - kListed) + " more";
        file.failAt(rows[at].line, file.layout().time,
            describeTime(file, rows[at].timeS) + " is "
                + fullNumberText(rows[at].timeS - rows[at - 1].timeS)
                + " s after the row before it (line " + std::to_string(rows[at - 1].line)
                + "): the gaps between rows do not agree on one interval, no gap is more common "
                  "than the others ("
                + list + ", " + (gaps.count == 1 ? std::string("each once")
                                                 : std::to_string(gaps.count) + " times each")
                + "); give every row the same interval (a quiet one is a row with 0, a missing one no row: a hole)");
    }
    if (!gaps.tied.empty() && gaps.tied.front().micros <= 0) {
        const std::size_t at = gaps.tied.front().row;
        file.failAt(rows[at].line, file.layout().time,
            describeTime(file, rows[at].timeS) + " is under 1 microsecond after the row before it "
                "(line " + std::to_string(rows[at - 1].line) + ", "
                + fullNumberText(rows[at - 1].timeS)
                + "), the most common gap between rows: too short for an interval");
    }
    trace.intervalS
        = gaps.tied.empty() ? 60.0 : static_cast<double>(gaps.tied.front().micros) / 1e6;
}

struct HoleTally
{
    long holes = 0;
    long gaps = 0;
    double firstS = 0.0;
    long firstLine = 0;
};

// `where` names the scope of the count: empty for the whole file, " in the slice".
std::string holesNote(
    const std::string &timeColumn, const HoleTally &tally, const std::string &where)
{
    return counted(tally.holes, "missing interval") + " in " + counted(tally.gaps, "gap") + where
        + " kept as holes (NaN), not zeros; the first at " + describeTime(timeColumn, tally.firstS)
        + (tally.firstLine > 0 ? ", before line " + std::to_string(tally.firstLine)
                               : std::string());
}

void noteZerosAndFractions(
    std::span<const double> counts, const std::string &where, std::vector<std::string> &notes)
{
    const long zeros = static_cast<long>(std::count(counts.begin(), counts.end(), 0.0));
    if (zeros > 0)
        notes.push_back(counted(zeros, "interval") + where + " with 0 requests kept as real zeros");
    const long fractional = static_cast<long>(std::count_if(counts.begin(), counts.end(),
        [](double c) { return std::isfinite(c) && c != std::floor(c); }));
    if (fractional > 0)
        notes.push_back(counted(fractional, "interval") + where
            + " with a fractional count: each replays its whole part, plus one request with "
              "the fraction as its chance");
}

[[noreturn]] void rejectGap(const TraceFile &file, const CountRow &before, const CountRow &row,
    const std::string &span, const std::string &reason)
{
    file.failAt(row.line, file.layout().time,
        describeTime(file, row.timeS) + " is " + span + " after the row before it (line "
            + std::to_string(before.line) + "): " + reason);
}

// Missing intervals between two rows become NaN holes: no data is not zero traffic.
void appendGap(const TraceFile &file, const CountRow &before, const CountRow &row, double intervalS,
    std::vector<double> &counts, HoleTally &tally)
{
    const double gapS = row.timeS - before.timeS;
    if (gapS > kStrayLimitS)
        rejectGap(file, before, row, describeSpan(gapS), "more than 7 days, taken as a stray row");
    const double steps = gapS / intervalS;
    const long whole = std::lround(steps);
    if (whole < 1 || std::abs(steps - static_cast<double>(whole)) > 1e-6)
        rejectGap(file, before, row, fullNumberText(gapS) + " s",
            "not a whole number of " + fullNumberText(intervalS) + " s intervals");
    if (whole == 1)
        return;
    // Each missing interval is held as a NaN: a gap of a week in microsecond intervals would
    // take terabytes, from a file of a few lines.
    if (static_cast<double>(counts.size()) + static_cast<double>(whole) > kMaxIntervals)
        rejectGap(file, before, row, describeSpan(gapS),
            "its " + std::to_string(whole - 1) + " missing intervals of "
                + fullNumberText(intervalS) + " s would make the trace longer than "
                + std::to_string(kMaxIntervals) + " intervals (holes included)");
    if (tally.holes == 0) {
        tally.firstS = before.timeS + intervalS;
        tally.firstLine = row.line;
    }
    tally.holes += whole - 1;
    ++tally.gaps;
    counts.insert(counts.end(), static_cast<std::size_t>(whole - 1),
        std::numeric_limits<double>::quiet_NaN());
}

void noteHolesAndZeros(const TraceFile &file, CountTrace &trace, const HoleTally &tally)
{
    if (tally.holes > 0)
        trace.notes.push_back(holesNote(file.header().name(file.layout().time), tally, ""));
    noteZerosAndFractions(trace.counts, "", trace.notes);
}

void fillCounts(const TraceFile &file, const std::vector<CountRow> &rows, CountTrace &trace)
{
    HoleTally tally;
    trace.counts.reserve(rows.size());
    trace.lines.reserve(rows.size());
    if (rows.size() > static_cast<std::size_t>(kMaxIntervals))
        file.failAt(rows[static_cast<std::size_t>(kMaxIntervals)].line, file.layout().time,
            "the trace has more than " + std::to_string(kMaxIntervals) + " intervals");
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (i > 0)
            appendGap(file, rows[i - 1], rows[i], trace.intervalS, trace.counts, tally);
        trace.lines.resize(trace.counts.size(), 0);
        trace.counts.push_back(rows[i].count);
        trace.lines.push_back(rows[i].line);
    }
    noteHolesAndZeros(file, trace, tally);
}

// `noun` takes an s past one; `after` follows it ("request", " of 60 s").
void logRead(std::size_t n, const char *noun, const std::string &after, const std::string &path,
    const std::vector<std::string> &notes)
{
    const std::string text = "read " + counted(static_cast<long long>(n), noun) + after + " from "
        + path + " (" + joinNotes(notes) + ")";
    qCInfo(lcTraffic).noquote() << QString::fromStdString(text);
}

} // namespace

TraceKind detectTraceKind(const std::string &path)
{
    return TraceFile(path, std::nullopt).layout().kind;
}

RequestTrace readRequestTrace(const std::string &path)
{
    TraceFile file(path, TraceKind::PerRequest);
    std::vector<RequestRow> rows = readRequestRows(file);
    rejectStrayRows(file, rows);
    std::vector<std::string> notes;
    for (auto note : {file.unusedColumnsNote(), file.blankLinesNote(), partialTokensNote(file)}) {
        if (note)
            notes.push_back(*note);
    }
    sortByTime(rows, notes);
    RequestTrace trace = toRequestTrace(file, rows);
    trace.fileNotes = notes.size();
    for (auto note : {batchesNote(trace.requests, ""), longGapsNote(trace.requests, "")}) {
        if (note)
            notes.push_back(*note);
    }
    trace.notes = std::move(notes);
    logRead(trace.requests.size(), "request", "", path, trace.notes);
    return trace;
}

CountTrace readCountTrace(const std::string &path)
{
    TraceFile file(path, TraceKind::PerInterval);
    const std::vector<CountRow> rows = readCountRows(file);
    CountTrace trace;
    trace.path = path;
    trace.startUnixS = rows.front().timeS;
    trace.timeColumn = file.header().name(file.layout().time);
    trace.countColumn = file.header().name(file.layout().count);
    for (auto note : {file.unusedColumnsNote(), file.blankLinesNote()}) {
        if (note)
            trace.notes.push_back(*note);
    }
    measureInterval(file, rows, trace);
    trace.fileNotes = trace.notes.size(); // fillCounts notes what the intervals hold
    fillCounts(file, rows, trace);
    logRead(trace.counts.size(), "interval", " of " + fullNumberText(trace.intervalS) + " s", path,
        trace.notes);
    return trace;
}

std::vector<std::string> sliceDataNotes(
    const CountTrace &trace, std::size_t first, std::size_t last)
{
    // The file's line after the first hole: the row that ends its gap, wherever the slice ends.
    const auto lineAfter = [&](std::size_t i) {
        for (std::size_t j = i + 1; j < trace.lines.size(); ++j) {
            if (trace.lines[j] > 0)
                return trace.lines[j];
        }
        return 0L;
    };
    HoleTally tally;
    bool inGap = false;
    for (std::size_t i = first; i < last; ++i) {
        const bool hole = std::isnan(trace.counts[i]);
        if (hole && tally.holes++ == 0) {
            tally.firstS = trace.startUnixS + static_cast<double>(i) * trace.intervalS;
            tally.firstLine = lineAfter(i);
        }
        tally.gaps += hole && !inGap ? 1 : 0;
        inGap = hole;
    }
    std::vector<std::string> notes;
    if (tally.holes > 0)
        notes.push_back(holesNote(trace.timeColumn, tally, " in the slice"));
    noteZerosAndFractions(
        std::span<const double>(trace.counts).subspan(first, last - first), " in the slice", notes);
    return notes;
}

std::vector<std::string> sliceDataNotes(const std::vector<TraceRequest> &requests)
{
    std::vector<std::string> notes;
    const std::string where = " in the slice";
    for (auto note : {batchesNote(requests, where), longGapsNote(requests, where)}) {
        if (note)
            notes.push_back(*note);
    }
    return notes;
}

} // namespace headroom::traffic
