#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace headroom::traffic {

// One request of a per-request trace, at its offset from the earliest row.
struct TraceRequest
{
    double offsetS = 0.0;
    int contextTokens = -1;   // -1: the trace has no token columns
    int generatedTokens = -1;
    long line = 0;            // the file's line it was read from (0: not from a file)
};

// A per-request trace (Azure LLM inference format, or timestamp_ms with
// optional input/output length columns). Requests are sorted by offset.
struct RequestTrace
{
    std::string path;
    std::vector<TraceRequest> requests;
    std::string timeColumn; // the header's name for the column requests are timed by
    bool hasTokens = false;
    double spanS = 0.0;
    // Rules applied while reading, in words, e.g. "rows out of order: 1 (first at row 4); sorted".
    std::vector<std::string> notes;
    // How many of `notes`, from the front, are about the file as read (blank lines, sorting)
    // or a slice's cut; the rest count what the requests hold, which a slice counts again.
    std::size_t fileNotes = 0;
};

// A per-interval count trace (NASA format: unix_time_s, ..., requests).
struct CountTrace
{
    std::string path;
    double intervalS = 60.0;
    double startUnixS = 0.0;
    std::vector<double> counts; // one per interval, in time order; a missing interval is NaN
    std::vector<long> lines; // the file's line of each interval (0 for a missing one)
    std::string timeColumn;  // the header's names for the time and count columns
    std::string countColumn;
    std::vector<std::string> notes;
    // As RequestTrace::fileNotes: the rest (holes, zeros, fractional counts) a slice recounts.
    std::size_t fileNotes = 0;
};

enum class TraceKind { PerRequest, PerInterval };

// Decides from the header row. Throws InputError if neither format fits.
TraceKind detectTraceKind(const std::string &path);
// Throw InputError naming the file and row on anything they cannot read.
RequestTrace readRequestTrace(const std::string &path);
CountTrace readCountTrace(const std::string &path);

// The notes on what a slice holds, counted over the slice alone, so that a slice does not
// repeat the whole file's counts: for the intervals [first, last) of `trace`, its holes,
// real zeros and fractional counts; for sliced requests, those on the same timestamp and
// gaps far longer than their usual spacing.
std::vector<std::string> sliceDataNotes(
    const CountTrace &trace, std::size_t first, std::size_t last);
std::vector<std::string> sliceDataNotes(const std::vector<TraceRequest> &requests);

} // namespace headroom::traffic
