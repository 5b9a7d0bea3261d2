#include "traffic/arrivalsource.h"

#include "io/inputerror.h"
#include "logging.h"
#include "traffic/jsonfields.h"
#include "sim/limits.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace headroom::traffic {

namespace {

// Slice width for piecewise-constant Poisson rates: fine enough for ramps and spike edges.
constexpr double kSliceS = 0.25;

std::lognormal_distribution<double> lognormalFor(double mean, double cv)
{
    const double sigma2 = std::log1p(cv * cv);
    return std::lognormal_distribution<double>(std::log(mean) - sigma2 / 2.0, std::sqrt(sigma2));
}

} // namespace

void failTooLong(const SourceSite &site, double durationS)
{
    throw InputError(site.file, site.row, site.field,
        site.detail + ", so " + numberText(durationS) + " s to simulate; at most "
            + std::to_string(std::lround(sim::kMaxDurationS))
            + " s (about 116 days) can be simulated");
}

ServiceTimes::ServiceTimes(const sim::ClusterConfig &config)
    : m_config(config)
    , m_lognormal(lognormalFor(config.serviceMeanS, config.serviceCv))
{
}

double ServiceTimes::draw(std::mt19937_64 &rng)
{
    return m_lognormal(rng);
}

double ServiceTimes::fromTokens(int contextTokens, int generatedTokens) const
{
    return m_config.tokenBaseS + contextTokens * m_config.perContextTokenS
        + generatedTokens * m_config.perGeneratedTokenS;
}

ArrivalSource::ArrivalSource(const sim::ClusterConfig &config, std::uint64_t seed)
    : m_rng(seed)
    , m_service(config)
{
}

void ArrivalSource::generate(double t0, double t1, std::vector<Arrival> &out)
{
    const auto first = out.size();
    generateBase(t0, t1, out);
    if (m_spikes.empty())
        return;
    // Spikes add Poisson arrivals at (factor - 1) times the base rate.
    const auto middle = out.size();
    poisson(t0, t1, [this](double t) { return baseRateAt(t) * (spikeFactor(t) - 1.0); }, out);
    mergeSorted(out, first, middle);
}

void ArrivalSource::generateNewestSpike(double t0, double t1, std::vector<Arrival> &out)
{
    if (m_spikes.empty())
        return;
    // The rate already generated is base * (older spikes); the newest multiplies it further.
    const Spike &newest = m_spikes.back();
    const auto middle = out.size();
    poisson(t0, t1, [&](double t) {
        return baseRateAt(t) * spikeFactor(t) / newest.factorAt(t) * (newest.factorAt(t) - 1.0);
    }, out);
    mergeSorted(out, 0, middle);
}

void ArrivalSource::mergeSorted(std::vector<Arrival> &out, std::size_t first, std::size_t middle)
{
    std::inplace_merge(out.begin() + static_cast<long>(first),
                       out.begin() + static_cast<long>(middle), out.end(),
                       [](const Arrival &a, const Arrival &b) { return a.tS < b.tS; });
}

double ArrivalSource::rateAt(double t) const
{
    return baseRateAt(t) * spikeFactor(t);
}

void ArrivalSource::addSpike(const Spike &spike)
{
    m_spikes.push_back(spike);
    qCInfo(lcTraffic) << "spike x" << spike.multiplier << "from" << spike.startS << "s for"
                      << spike.durationS << "s";
}

std::vector<Spike> ArrivalSource::allSpikes() const
{
    std::vector<Spike> all = scheduledSpikes();
    all.insert(all.end(), m_spikes.begin(), m_spikes.end());
    return all;
}

double ArrivalSource::spikeFactor(double t) const
{
    double factor = 1.0;
    for (const Spike &spike : m_spikes)
        factor *= spike.factorAt(t);
    return factor;
}

template<typename RateFn>
void ArrivalSource::poisson(double t0, double t1, RateFn rate, std::vector<Arrival> &out)
{
    // Pieces end at every point where the rate may jump (segment and spike
    // edges, trace intervals), so no step shorter than a slice is lost.
    std::vector<double> cuts;
    breakpoints(t0, t1, cuts);
    for (const Spike &spike : m_spikes) {
        for (double edge : {spike.startS, spike.startS + spike.rampS, spike.endS() - spike.rampS,
                            spike.endS()})
            cuts.push_back(edge);
    }
    for (double a = t0 + kSliceS; a < t1; a += kSliceS)
        cuts.push_back(a);
    cuts.push_back(t1);
    std::erase_if(cuts, [&](double c) { return !(c > t0 && c <= t1); });
    std::sort(cuts.begin(), cuts.end());
    cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());

    double a = t0;
    for (double b : cuts) {
        const double lambda = std::max(0.0, rate((a + b) / 2.0)) * (b - a);
        if (lambda > 0.0)
            drawPoisson(a, b, lambda, out);
        a = b;
    }
}

void ArrivalSource::drawPoisson(double a, double b, double lambda, std::vector<Arrival> &out)
{
    const auto n = std::poisson_distribution<long>(lambda)(m_rng);
    const auto begin = out.size();
    std::uniform_real_distribution<double> when(a, b);
    for (long i = 0; i < n; ++i)
        out.push_back({when(m_rng), 0.0});
    std::sort(out.begin() + static_cast<long>(begin), out.end(),
              [](const Arrival &x, const Arrival &y) { return x.tS < y.tS; });
    for (auto i = begin; i < out.size(); ++i)
        out[i].serviceS = m_service.draw(m_rng);
}

ScenarioArrivals::ScenarioArrivals(const Scenario &scenario)
    : ArrivalSource(scenario.cluster, scenario.seed)
    , m_scenario(scenario)
{
}

std::string ScenarioArrivals::describe() const
{
    // A file names itself: ./seed-spike.json of zero traffic read as the built-in seed-spike.
    const std::string &from = m_scenario.source;
    const bool file = from.find('/') != std::string::npos || from.ends_with(".json");
    return "scenario " + m_scenario.name + (file ? " (" + from + ")" : std::string());
}

void ScenarioArrivals::breakpoints(double t0, double t1, std::vector<double> &out) const
{
    (void)t0;
    (void)t1;
    for (const Segment &seg : m_scenario.segments) {
        out.push_back(seg.startS);
        out.push_back(seg.endS);
        if (seg.kind == Segment::Kind::Spike) {
            out.push_back(seg.startS + seg.rampS);
            out.push_back(seg.endS - seg.rampS);
        }
    }
}

namespace {

// The highest rate a segment asks for before the run ends at `untilS`: a ramp whose end
// lies past the run reaches only the rate of the run's last instant (a ramp to 70000 req/s
// at end_s 1e300 asks for nothing like it in a 30 s run).
double segmentPeak(const Segment &seg, double untilS)
{
    if (seg.kind == Segment::Kind::Ramp && seg.endS > untilS && seg.endS > seg.startS) {
        const double reached = seg.rate
            + (seg.rateTo - seg.rate) * (untilS - seg.startS) / (seg.endS - seg.startS);
        return std::max(seg.rate, reached);
    }
    return std::max(seg.rate + seg.amplitude, seg.rateTo);
}

} // namespace

double ScenarioArrivals::peakRate(double untilS) const
{
    double peak = 0.0;
    for (const Segment &seg : m_scenario.segments)
        peak = std::max(peak, segmentPeak(seg, untilS));
    return peak;
}

std::string ScenarioArrivals::file() const
{
    return m_scenario.source == "built-in" ? describe() : m_scenario.source;
}

SourceSite ScenarioArrivals::peakSite(double untilS) const
{
    const auto &segments = m_scenario.segments;
    const auto busiest = std::max_element(segments.begin(), segments.end(),
        [untilS](const Segment &a, const Segment &b) {
            return segmentPeak(a, untilS) < segmentPeak(b, untilS);
        });
    if (busiest == segments.end())
        return {file(), std::nullopt, "segments", "no segment asks for any requests"};
    const std::string name = "segments[" + std::to_string(busiest - segments.begin()) + "]";
    const std::string peak = numberText(segmentPeak(*busiest, untilS)) + " req/s";
    switch (busiest->kind) {
    case Segment::Kind::Constant:
        return {file(), std::nullopt, name + ".rate", name + " (constant) asks for " + peak};
    case Segment::Kind::Spike:
        return {file(), std::nullopt, name + ".rate", name + " (a spike) peaks at " + peak};
    case Segment::Kind::Ramp:
        return {file(), std::nullopt, name + (busiest->rateTo > busiest->rate ? ".to" : ".from"),
            name + " (a ramp) reaches " + peak};
    case Segment::Kind::Periodic:
        return {file(), std::nullopt, name + ".mean",
            name + " (periodic) peaks at mean + amplitude = " + peak};
    }
    return {file(), std::nullopt, name, name + " peaks at " + peak};
}

SourceSite ScenarioArrivals::endSite() const
{
    return {file(), std::nullopt, "duration_s",
        "duration_s is " + numberText(m_scenario.durationS)};
}

std::vector<Spike> ScenarioArrivals::scheduledSpikes() const
{
    std::vector<Spike> spikes;
    for (const Segment &seg : m_scenario.segments) {
        if (seg.kind != Segment::Kind::Spike)
            continue;
        // The multiplier over the rate just before the spike, for the label.
        const double before = m_scenario.rateAt(std::max(0.0, seg.startS - 1e-6));
        const double multiplier = before > 0.0 ? seg.rate / before : 0.0;
        spikes.push_back({seg.startS, seg.endS - seg.startS, multiplier, seg.rampS});
    }
    return spikes;
}

void ScenarioArrivals::generateBase(double t0, double t1, std::vector<Arrival> &out)
{
    poisson(t0, t1, [this](double t) { return m_scenario.rateAt(t); }, out);
}

RequestTraceArrivals::RequestTraceArrivals(RequestTrace trace, double compression,
                                           const sim::ClusterConfig &config, std::uint64_t seed)
    : ArrivalSource(config, seed)
    , m_trace(std::move(trace))
    , m_compression(compression)
{
    checkCompression(m_trace.path, compression);
    // The per-second counts below are one double a simulated second: a few rows spread
    // over weeks, slowed down, would take gigabytes before the run's own limits are checked.
    if (!(durationS() <= sim::kMaxDurationS))
        failTooLong(endSite(), durationS());
    m_perSecond.assign(static_cast<std::size_t>(std::ceil(durationS())) + 1, 0.0);
    double serviceSum = 0.0;
    for (const TraceRequest &r : m_trace.requests) {
        m_perSecond[static_cast<std::size_t>(r.offsetS / m_compression)] += 1.0;
        if (m_trace.hasTokens)
            serviceSum += m_service.fromTokens(r.contextTokens, r.generatedTokens);
    }
    if (m_trace.hasTokens && !m_trace.requests.empty())
        m_tokenServiceMeanS = serviceSum / static_cast<double>(m_trace.requests.size());
}

double RequestTraceArrivals::meanServiceS() const
{
    return m_tokenServiceMeanS > 0.0 ? m_tokenServiceMeanS : ArrivalSource::meanServiceS();
}

double RequestTraceArrivals::baseRateAt(double t) const
{
    // Mean over a 10 s window: the expected rate a spike multiplies.
    const long mid = static_cast<long>(t);
    double sum = 0.0;
    int n = 0;
    for (long s = mid - 5; s < mid + 5; ++s) {
        if (s >= 0 && s < static_cast<long>(m_perSecond.size())) {
            sum += m_perSecond[static_cast<std::size_t>(s)];
            ++n;
        }
    }
    return n > 0 ? sum / n : 0.0;
}

// A trace asks for nothing past its end: the run's length does not change its peak.
double RequestTraceArrivals::peakRate(double /*untilS*/) const
{
    return m_perSecond.empty() ? 0.0 : *std::max_element(m_perSecond.begin(), m_perSecond.end());
}

SourceSite RequestTraceArrivals::peakSite(double /*untilS*/) const
{
    const auto busiest = std::max_element(m_perSecond.begin(), m_perSecond.end());
    if (busiest == m_perSecond.end() || m_trace.requests.empty())
        return {m_trace.path, std::nullopt, m_trace.timeColumn, "the trace has no requests"};
    const auto second = static_cast<double>(busiest - m_perSecond.begin());
    // The first request of that simulated second.
    const auto first = std::find_if(m_trace.requests.begin(), m_trace.requests.end(),
        [&](const TraceRequest &r) { return std::floor(r.offsetS / m_compression) >= second; });
    std::optional<long> row;
    if (first != m_trace.requests.end() && first->line > 0)
        row = first->line;
    return {m_trace.path, row, m_trace.timeColumn,
        numberText(*busiest) + " requests arrive in the simulated second from "
            + numberText(second) + " s (trace time " + numberText(second * m_compression)
            + " s from its first request, x" + numberText(m_compression)
            + "); this row is its first"};
}

SourceSite RequestTraceArrivals::endSite() const
{
    std::optional<long> row;
    if (!m_trace.requests.empty() && m_trace.requests.back().line > 0)
        row = m_trace.requests.back().line;
    return {m_trace.path, row, m_trace.timeColumn,
        "the last request comes " + numberText(m_trace.spanS)
            + " s of trace time after the first (x" + numberText(m_compression) + ")"};
}

bool RequestTraceArrivals::hasDataAt(double t) const
{
    // Past the trace's end (a run made longer than its trace) nothing was recorded.
    return t >= 0.0 && t < durationS();
}

double RequestTraceArrivals::durationS() const
{
    return std::max(1.0, std::ceil(m_trace.spanS / m_compression + 1e-9));
}

std::string RequestTraceArrivals::describe() const
{
    std::ostringstream text;
    text << "trace " << m_trace.path << " ("
         << counted(static_cast<long long>(m_trace.requests.size()), "request") << ", x"
         << m_compression << ")";
    return text.str();
}

void RequestTraceArrivals::generateBase(double t0, double t1, std::vector<Arrival> &out)
{
    const auto &requests = m_trace.requests;
    while (m_next < requests.size()) {
        const TraceRequest &r = requests[m_next];
        const double t = r.offsetS / m_compression;
        if (t >= t1)
            break;
        ++m_next;
        if (t < t0)
            continue;
        const double service = m_trace.hasTokens
            ? m_service.fromTokens(r.contextTokens, r.generatedTokens)
            : m_service.draw(m_rng);
        out.push_back({t, service});
    }
}

CountTraceArrivals::CountTraceArrivals(CountTrace trace, double compression,
                                       const sim::ClusterConfig &config, std::uint64_t seed)
    : ArrivalSource(config, seed)
    , m_trace(std::move(trace))
    , m_compression(compression)
{
    checkCompression(m_trace.path, compression);
}

double CountTraceArrivals::baseRateAt(double t) const
{
    const double traceT = t * m_compression;
    const auto i = static_cast<long>(traceT / m_trace.intervalS);
    if (i < 0 || i >= static_cast<long>(m_trace.counts.size()))
        return 0.0;
    const double count = m_trace.counts[static_cast<std::size_t>(i)];
    // A missing interval (NaN) brings no requests (none are invented); hasDataAt() tells
    // the lanes that its load is unknown, not zero (case T3).
    return std::isfinite(count) ? count / m_trace.intervalS * m_compression : 0.0;
}

bool CountTraceArrivals::hasDataAt(double t) const
{
    // Past the trace's end (a run made longer than its trace) nothing was recorded: no
    // data, not zero traffic. The last partial second is the trace's own.
    if (t < 0.0 || t >= std::ceil(durationS()))
        return false;
    const auto i = static_cast<long>(t * m_compression / m_trace.intervalS);
    if (i >= static_cast<long>(m_trace.counts.size()))
        return true;
    return std::isfinite(m_trace.counts[static_cast<std::size_t>(i)]);
}

void CountTraceArrivals::breakpoints(double t0, double t1, std::vector<double> &out) const
{
    const double step = m_trace.intervalS / m_compression;
    for (double t = std::ceil(t0 / step) * step; t < t1; t += step)
        out.push_back(t);
}

double CountTraceArrivals::peakRate(double /*untilS*/) const
{
    double peak = 0.0;
    for (double count : m_trace.counts) {
        if (std::isfinite(count))
            peak = std::max(peak, count);
    }
    return peak / m_trace.intervalS * m_compression;
}

SourceSite CountTraceArrivals::peakSite(double untilS) const
{
    std::optional<std::size_t> busiest;
    for (std::size_t i = 0; i < m_trace.counts.size(); ++i) {
        const double count = m_trace.counts[i];
        if (std::isfinite(count) && (!busiest || count > m_trace.counts[*busiest]))
            busiest = i;
    }
    if (!busiest)
        return {m_trace.path, std::nullopt, m_trace.countColumn, "the trace has no counts"};
    std::optional<long> row;
    if (m_trace.lines.size() == m_trace.counts.size() && m_trace.lines[*busiest] > 0)
        row = m_trace.lines[*busiest];
    return {m_trace.path, row, m_trace.countColumn,
        numberText(m_trace.counts[*busiest]) + (m_trace.counts[*busiest] == 1 ? " request in " : " requests in ") + numberText(m_trace.intervalS)
            + " s, replayed x" + numberText(m_compression) + ", is "
            + numberText(peakRate(untilS)) + " req/s"};
}

SourceSite CountTraceArrivals::endSite() const
{
    std::optional<long> row;
    if (!m_trace.lines.empty() && m_trace.lines.size() == m_trace.counts.size()
        && m_trace.lines.back() > 0)
        row = m_trace.lines.back();
    return {m_trace.path, row, m_trace.timeColumn,
        numberText(static_cast<double>(m_trace.counts.size())) + (m_trace.counts.size() == 1 ? " interval of " : " intervals of ")
            + numberText(m_trace.intervalS) + " s, replayed x" + numberText(m_compression)};
}

double CountTraceArrivals::durationS() const
{
    return m_trace.counts.size() * m_trace.intervalS / m_compression;
}

std::string CountTraceArrivals::describe() const
{
    std::ostringstream text;
    text << "trace " << m_trace.path << " (" << m_trace.counts.size()
         << (m_trace.counts.size() == 1 ? " interval of " : " intervals of ")
         << m_trace.intervalS << " s, x" << m_compression << ")";
    return text.str();
}

void CountTraceArrivals::drawInterval(std::size_t i)
{
    const double count = m_trace.counts[i];
    if (!std::isfinite(count) || count <= 0.0)
        return;
    const double step = m_trace.intervalS / m_compression;
    const double whole = std::floor(count);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    auto n = static_cast<std::size_t>(whole);
    if (count > whole && uniform(m_rng) < count - whole)
        ++n;
    const auto first = m_drawn.size();
    for (std::size_t k = 0; k < n; ++k) {
        // Never on the next interval's first instant.
        const double t = std::min(i * step + uniform(m_rng) * step,
                                  std::nextafter((i + 1) * step, 0.0));
        m_drawn.push_back({t, m_service.draw(m_rng)});
    }
    std::sort(m_drawn.begin() + static_cast<long>(first), m_drawn.end(),
              [](const Arrival &a, const Arrival &b) { return a.tS < b.tS; });
}

void CountTraceArrivals::generateBase(double t0, double t1, std::vector<Arrival> &out)
{
    const double step = m_trace.intervalS / m_compression;
    // Draw every interval that begins before t1: its arrivals are known at once.
    while (m_nextInterval < m_trace.counts.size() && m_nextInterval * step < t1)
        drawInterval(m_nextInterval++);
    while (m_drawnFirst < m_drawn.size() && m_drawn[m_drawnFirst].tS < t1) {
        const Arrival &a = m_drawn[m_drawnFirst++];
        if (a.tS >= t0)
            out.push_back(a);
    }
    if (m_drawnFirst == m_drawn.size()) {
        m_drawn.clear();
        m_drawnFirst = 0;
    }
}

std::optional<std::string> compressionProblem(double compression)
{
    if (compression >= kMinCompression && compression <= kMaxCompression)
        return std::nullopt;
    return "must be between " + numberText(kMinCompression) + " and "
        + numberText(kMaxCompression) + ", got " + numberText(compression);
}

void checkCompression(const std::string &path, double compression)
{
    if (const auto problem = compressionProblem(compression))
        throw InputError(path, std::nullopt, "compression", *problem);
}

std::unique_ptr<ArrivalSource> makeTraceArrivals(const std::string &path, double compression,
                                                 const sim::ClusterConfig &config,
                                                 std::uint64_t seed)
{
    if (detectTraceKind(path) == TraceKind::PerRequest)
        return std::make_unique<RequestTraceArrivals>(readRequestTrace(path), compression, config,
                                                      seed);
    return std::make_unique<CountTraceArrivals>(readCountTrace(path), compression, config, seed);
}

} // namespace headroom::traffic
