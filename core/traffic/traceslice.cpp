#include "traffic/traceslice.h"

#include "io/inputerror.h"
#include "io/paths.h"
#include "sim/clusteroverrides.h"
#include "traffic/jsonfields.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <iterator>
#include <sstream>

namespace headroom::traffic {

namespace {

InputError badSpec(const std::string &text, const std::string &option, const std::string &problem)
{
    return InputError(text, std::nullopt, option, problem);
}

std::optional<double> parseNumber(std::string_view text)
{
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

// "72h", "30m", "90s", "2d" or a bare number of seconds.
std::optional<double> parseDuration(std::string_view text)
{
    double unitS = 1.0;
    if (!text.empty()) {
        switch (text.back()) {
        case 's':
            unitS = 1.0;
            break;
        case 'm':
            unitS = 60.0;
            break;
        case 'h':
            unitS = 3600.0;
            break;
        case 'd':
            unitS = 86400.0;
            break;
        default:
            unitS = 0.0;
            break;
        }
        if (unitS > 0.0)
            text.remove_suffix(1);
        else
            unitS = 1.0;
    }
    const std::optional<double> value = parseNumber(text);
    if (!value)
        return std::nullopt;
    return *value * unitS;
}

std::string number(double value)
{
    std::ostringstream text;
    text << value;
    return text.str();
}

std::string sliceNote(double fromS, double keptS, bool clipped)
{
    // Hours, or seconds for a slice that ends within the first hour ("0.000277778 h" read
    // worse than "1 s").
    const double unitS = fromS + keptS < 3600.0 ? 1.0 : 3600.0;
    const std::string unit = unitS == 1.0 ? " s" : " h";
    std::string note = "sliced: " + number(fromS / unitS) + unit + " to "
        + number((fromS + keptS) / unitS) + unit + " of trace time, offsets rebased to 0";
    if (clipped)
        note += "; the slice asked for more than the trace holds and stops at its end";
    return note;
}

// A slice's notes: those on how the file was read (they say "in the file"), what was cut,
// then the counts of what the slice holds; the file's own counts would describe the whole
// trace, e.g. zero intervals a short slice does not have.
std::vector<std::string> slicedNotes(const std::vector<std::string> &notes, std::size_t fileNotes,
    const std::string &sliceNote, std::vector<std::string> dataNotes)
{
    std::vector<std::string> result(notes.begin(),
        notes.begin() + static_cast<std::ptrdiff_t>(std::min(fileNotes, notes.size())));
    result.push_back(sliceNote);
    result.insert(result.end(), std::make_move_iterator(dataNotes.begin()),
        std::make_move_iterator(dataNotes.end()));
    return result;
}

// A slice start as canonicalOptions writes it: in the largest of h, m and s that holds it
// whole ("72h", "47m", "90.5s"), "0h" for 0.
std::string durationText(double seconds)
{
    if (seconds == 0.0) // -0 too
        return "0h";
    for (const auto &[unitS, unit] : {std::pair {3600.0, "h"}, {60.0, "m"}}) {
        if (std::fmod(seconds, unitS) == 0.0)
            return numberText(seconds / unitS) + unit;
    }
    return numberText(seconds) + "s";
}

} // namespace

std::string TraceSpec::label() const
{
    return std::filesystem::path(path).stem().string() + canonicalOptions;
}

TraceSpec traceOptionSpec(const std::string &text, std::optional<double> compression)
{
    const std::string whole = io::resolveDataPath(text, io::DataKind::Trace);
    std::error_code ec;
    TraceSpec spec;
    if (text.find('@') != std::string::npos && std::filesystem::is_regular_file(whole, ec)) {
        spec.text = text;
        spec.path = whole;
    } else {
        spec = parseTraceSpec(text);
        spec.path = io::resolveDataPath(spec.path, io::DataKind::Trace);
        if (compression && spec.options.find("@x") != std::string::npos)
            throw sim::badOption("--compression", "the trace '" + text + "' gives its own @x: give one of them");
    }
    if (compression)
        spec.compression = *compression;
    return spec;
}

std::size_t optionsStart(const std::string &text)
{
    const auto slash = text.rfind('/');
    return text.find('@', slash == std::string::npos ? 0 : slash + 1);
}

TraceSpec parseTraceSpec(const std::string &text)
{
    TraceSpec spec;
    spec.text = text;
    const auto at = optionsStart(text);
    spec.path = text.substr(0, at);
    if (spec.path.empty())
        throw badSpec(text, "file", "no file before the '@' options");
    if (at == std::string::npos)
        return spec;
    spec.options = text.substr(at);
    // "FILE@" read as a file with no options, under the label "FILE@".
    if (text.back() == '@')
        throw badSpec(text, "@", "an '@' with no option after it (e.g. @x10, @from=72h, @hours=2)");
    bool seen[3] = {false, false, false};
    std::stringstream rest(text.substr(at + 1));
    for (std::string option; std::getline(rest, option, '@');) {
        const std::string_view o(option);
        if (o.starts_with("x") && !seen[0]) {
            const std::optional<double> c = parseNumber(o.substr(1));
            if (!c || *c <= 0.0)
                throw badSpec(
                    text, "@" + option, "compression must be a positive number, e.g. @x10");
            if (*c < kMinCompression || *c > kMaxCompression)
                throw badSpec(text, "@" + option,
                    "compression must be between " + numberText(kMinCompression) + " and "
                        + numberText(kMaxCompression));
            spec.compression = *c;
            seen[0] = true;
            spec.canonicalOptions += "@x" + numberText(*c);
        } else if (o.starts_with("from=") && !seen[1]) {
            const std::optional<double> from = parseDuration(o.substr(5));
            if (!from || *from < 0.0)
                throw badSpec(text, "@" + option,
                    "the slice start must be a non-negative duration, e.g. @from=72h");
            spec.fromS = *from;
            seen[1] = true;
            spec.canonicalOptions += "@from=" + durationText(*from);
        } else if (o.starts_with("hours=") && !seen[2]) {
            const std::optional<double> hours = parseNumber(o.substr(6));
            if (!hours || *hours <= 0.0)
                throw badSpec(text, "@" + option,
                    "the slice length must be a positive number of hours, e.g. @hours=72");
            spec.lengthS = *hours * 3600.0;
            seen[2] = true;
            spec.canonicalOptions += "@hours=" + numberText(*hours);
        } else {
            throw badSpec(text, "@" + option,
                "unknown or repeated option (use @xC, @from=DURATION, @hours=H; a sweep entry's "
                "@preset=NAME and @max-replicas=N are --preset NAME and --max-replicas N elsewhere)");
        }
    }
    return spec;
}

RequestTrace sliceRequestTrace(
    const RequestTrace &trace, double fromS, std::optional<double> lengthS)
{
    if (fromS == 0.0 && !lengthS)
        return trace;
    const double endS = lengthS ? fromS + *lengthS : trace.spanS + 1.0;
    RequestTrace slice;
    slice.path = trace.path;
    slice.timeColumn = trace.timeColumn;
    slice.hasTokens = trace.hasTokens;
    for (const TraceRequest &r : trace.requests) {
        if (r.offsetS >= fromS && r.offsetS < endS)
            slice.requests.push_back({r.offsetS - fromS, r.contextTokens, r.generatedTokens, r.line});
    }
    if (slice.requests.empty() && fromS >= trace.spanS)
        throw InputError(trace.path, std::nullopt, "slice",
            "starts at " + number(fromS) + " s of trace time, past the trace's end at "
                + number(trace.spanS) + " s");
    if (slice.requests.empty())
        throw InputError(trace.path, std::nullopt, "slice",
            "no requests between " + number(fromS) + " s and " + number(endS)
                + " s of trace time (the trace spans " + number(trace.spanS) + " s)");
    const bool clipped = lengthS && endS > trace.spanS;
    // The span ends where the slice does, so a quiet tail still counts as simulated time.
    slice.spanS = (clipped || !lengthS) ? trace.spanS - fromS : *lengthS;
    slice.notes = slicedNotes(trace.notes, trace.fileNotes, sliceNote(fromS, slice.spanS, clipped),
        sliceDataNotes(slice.requests));
    slice.fileNotes = std::min(trace.fileNotes, trace.notes.size()) + 1;
    return slice;
}

CountTrace sliceCountTrace(const CountTrace &trace, double fromS, std::optional<double> lengthS)
{
    if (fromS == 0.0 && !lengthS)
        return trace;
    const auto total = static_cast<long>(trace.counts.size());
    // Interval indices, worked out as doubles and held to [0, total + 1] before they become
    // whole numbers: from=1e100 overflowed a long and sliced the whole trace. Tolerance:
    // "from=72h" on 60 s intervals must not round past an interval start.
    const auto index = [&](double s) {
        const double i = std::ceil(s / trace.intervalS - 1e-9);
        return static_cast<long>(std::clamp(i, 0.0, static_cast<double>(total) + 1.0));
    };
    const long first = index(fromS);
    long last = lengthS ? index(fromS + *lengthS) : total;
    const bool clipped = last > total;
    last = std::min(last, total);
    if (first >= last)
        throw InputError(trace.path, std::nullopt, "slice",
            "no intervals from " + number(fromS) + " s of trace time (the trace has "
                + std::to_string(total) + " intervals of " + number(trace.intervalS) + " s)");
    CountTrace slice = trace;
    slice.counts.assign(trace.counts.begin() + first, trace.counts.begin() + last);
    if (trace.lines.size() == trace.counts.size())
        slice.lines.assign(trace.lines.begin() + first, trace.lines.begin() + last);
    else
        slice.lines.clear();
    slice.startUnixS = trace.startUnixS + static_cast<double>(first) * trace.intervalS;
    const std::string note = sliceNote(static_cast<double>(first) * trace.intervalS,
        static_cast<double>(last - first) * trace.intervalS, clipped);
    slice.notes = slicedNotes(trace.notes, trace.fileNotes, note,
        sliceDataNotes(trace, static_cast<std::size_t>(first), static_cast<std::size_t>(last)));
    slice.fileNotes = std::min(trace.fileNotes, trace.notes.size()) + 1;
    return slice;
}

LoadedTrace loadTrace(const TraceSpec &spec)
{
    LoadedTrace loaded;
    loaded.spec = spec;
    loaded.kind = detectTraceKind(spec.path);
    if (loaded.kind == TraceKind::PerRequest)
        loaded.requests = sliceRequestTrace(readRequestTrace(spec.path), spec.fromS, spec.lengthS);
    else
        loaded.counts = sliceCountTrace(readCountTrace(spec.path), spec.fromS, spec.lengthS);
    return loaded;
}

std::unique_ptr<ArrivalSource> makeArrivals(
    const LoadedTrace &trace, const sim::ClusterConfig &config, std::uint64_t seed)
{
    if (trace.kind == TraceKind::PerRequest)
        return std::make_unique<RequestTraceArrivals>(
            trace.requests, trace.spec.compression, config, seed);
    return std::make_unique<CountTraceArrivals>(trace.counts, trace.spec.compression, config, seed);
}

} // namespace headroom::traffic
