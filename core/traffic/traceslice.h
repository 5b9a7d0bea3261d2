#pragma once

#include "sim/clusterconfig.h"
#include "traffic/arrivalsource.h"
#include "traffic/trace.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace headroom::traffic {

// A trace as a sweep names it: `FILE`, `FILE@x10` (compression 10) or
// `FILE@x60@from=72h@hours=72` (a slice of trace time: where it starts, how long).
struct TraceSpec
{
    std::string text; // as written, e.g. "traces/nasa.csv@x60@from=72h@hours=72"
    std::string path; // the file part
    double compression = 1.0;
    double fromS = 0.0; // slice start, seconds of trace time from its start
    std::optional<double> lengthS; // slice length in trace time; nullopt: to the end
    std::string options; // the text after the file, e.g. "@x60@from=72h@hours=72"
    // The options as given, in their order, each number in one spelling: "@x60.0" and "@x6e1"
    // read "@x60", "@from=4320m" and "@from=3d" read "@from=72h" (whole hours in h, else whole
    // minutes in m, else seconds in s), "@hours=72.0" reads "@hours=72".
    std::string canonicalOptions;

    // The file's stem plus the options, e.g. "nasa@x60@from=72h@hours=72": names the
    // source in reports and folders, one name for one slice however its numbers are written
    // (canonicalOptions).
    std::string label() const;
};

// Where a source's "@" options begin in `text`, or npos: after the file's name, so that an
// '@' in a folder's name (/tmp/a@b/trace.csv@x60) is the path's.
std::size_t optionsStart(const std::string &text);

// Parses a trace spec. `from=` takes a number with a unit (s, m, h or d; seconds if
// none), `hours=` a number of hours. Throws InputError naming the spec and the option.
TraceSpec parseTraceSpec(const std::string &text);

// A --trace option's value as the programs take it: FILE[@xN][@from=T][@hours=H], the file
// found as shipped data (io::resolveDataPath); a file that exists under the whole name is that
// file, '@' and all. `compression`: a --compression given beside it, refused beside the
// spec's own @xN (InputError naming --compression). Throws InputError naming the spec.
TraceSpec traceOptionSpec(const std::string &text, std::optional<double> compression);

// Keeps what lies in [fromS, fromS + lengthS) of trace time and rebases it so the
// slice starts at 0. Per-request: requests by offset, a leading gap is kept (the
// slice starts at fromS, not at its first request). Per-interval: the intervals
// whose start lies in the window (so `from` rounds up to the next interval).
// A slice running past the trace's end stops there, with a note. Throws InputError
// when nothing is left.
RequestTrace sliceRequestTrace(
    const RequestTrace &trace, double fromS, std::optional<double> lengthS);
CountTrace sliceCountTrace(const CountTrace &trace, double fromS, std::optional<double> lengthS);

// A trace file read and sliced once, to build the arrivals of many runs from.
struct LoadedTrace
{
    TraceSpec spec;
    TraceKind kind = TraceKind::PerRequest;
    RequestTrace requests; // when kind == PerRequest
    CountTrace counts; // when kind == PerInterval

    const std::vector<std::string> &notes() const
    {
        return kind == TraceKind::PerRequest ? requests.notes : counts.notes;
    }
};

// Reads spec.path (either kind) and applies the slice. Throws InputError.
LoadedTrace loadTrace(const TraceSpec &spec);

// Arrivals for one run, replaying a copy of the loaded trace at spec.compression;
// the seed drives per-interval Poisson arrivals and drawn service times.
std::unique_ptr<ArrivalSource> makeArrivals(
    const LoadedTrace &trace, const sim::ClusterConfig &config, std::uint64_t seed);

} // namespace headroom::traffic
