#pragma once

#include "sim/clusterconfig.h"
#include "traffic/arrival.h"
#include "traffic/scenario.h"
#include "traffic/spike.h"
#include "traffic/trace.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace headroom::traffic {

// Draws each request's service time: lognormal from the mean and CV, or from
// token counts when the trace carries them.
class ServiceTimes
{
public:
    explicit ServiceTimes(const sim::ClusterConfig &config);

    double draw(std::mt19937_64 &rng);
    double fromTokens(int contextTokens, int generatedTokens) const;
    // The mean of draw(): the configured mean service time.
    double meanS() const { return m_config.serviceMeanS; }

private:
    sim::ClusterConfig m_config;
    std::lognormal_distribution<double> m_lognormal;
};

// Where a source sets something the simulator checks against its limits: the file (or the
// source's description when it has none), the line when there is one, the field, and in
// words what the value there amounts to.
struct SourceSite
{
    std::string file;
    std::optional<long> row;
    std::string field;
    std::string detail; // e.g. "segments[2] (a spike) peaks at 1e+06 req/s"
};

// Throws the InputError for a run of `durationS` past the simulator's length, at `site`
// (where the source sets its length).
[[noreturn]] void failTooLong(const SourceSite &site, double durationS);

// The one arrival sequence all lanes share. Generates arrivals slice by slice
// so that memory stays bounded and operator spikes apply from the moment they fire.
class ArrivalSource
{
public:
    ArrivalSource(const sim::ClusterConfig &config, std::uint64_t seed);
    virtual ~ArrivalSource() = default;

    // Appends the arrivals in [t0, t1), in time order. Intervals must be consecutive.
    void generate(double t0, double t1, std::vector<Arrival> &out);

    // Expected requests per second at t, without and with operator spikes.
    virtual double baseRateAt(double t) const = 0;
    double rateAt(double t) const;
    virtual double durationS() const = 0;
    virtual std::string describe() const = 0;
    // The highest base rate the source asks for in a run of `untilS` seconds, req/s (checked
    // against the simulator's limit), and where in the source it is asked for.
    virtual double peakRate(double untilS) const = 0;
    virtual SourceSite peakSite(double untilS) const = 0;
    // Where the source's length (durationS()) is set.
    virtual SourceSite endSite() const = 0;
    // Rules applied while reading the source (rows sorted, holes), for the user to see.
    virtual std::vector<std::string> notes() const { return {}; }
    // The mean service time of the source's requests: the configured one, or the mean of a
    // trace's token-driven ones. What "the pods the load needs" is worked out with.
    virtual double meanServiceS() const { return m_service.meanS(); }
    // False where the source has no record of the traffic at t (a hole in a trace).
    virtual bool hasDataAt(double t) const
    {
        (void)t;
        return true;
    }

    void addSpike(const Spike &spike);
    // After addSpike(): the extra arrivals the newest spike brings to [t0, t1),
    // a span generate() covered before the spike was known.
    void generateNewestSpike(double t0, double t1, std::vector<Arrival> &out);
    // Spikes the operator fired.
    const std::vector<Spike> &spikes() const { return m_spikes; }
    // Every spike to mark on a chart: the profile's own, then the fired ones.
    std::vector<Spike> allSpikes() const;

protected:
    // Spikes that are part of the base profile (a scenario's spike segments).
    virtual std::vector<Spike> scheduledSpikes() const { return {}; }
    // Base arrivals in [t0, t1) (spikes are added on top by generate()).
    virtual void generateBase(double t0, double t1, std::vector<Arrival> &out) = 0;
    // Poisson arrivals at rate(t) * extra, piecewise constant over short slices.
    template<typename RateFn>
    void poisson(double t0, double t1, RateFn rate, std::vector<Arrival> &out);
    void drawPoisson(double a, double b, double lambda, std::vector<Arrival> &out);
    // Times in (t0, t1] where the base rate may jump.
    virtual void breakpoints(double t0, double t1, std::vector<double> &out) const
    {
        (void)t0;
        (void)t1;
        (void)out;
    }
    double spikeFactor(double t) const;
    static void mergeSorted(std::vector<Arrival> &out, std::size_t first, std::size_t middle);

    std::mt19937_64 m_rng;
    ServiceTimes m_service;
    std::vector<Spike> m_spikes;
};

// Poisson arrivals following a scenario's rate profile.
class ScenarioArrivals : public ArrivalSource
{
public:
    explicit ScenarioArrivals(const Scenario &scenario);

    double baseRateAt(double t) const override { return m_scenario.rateAt(t); }
    double durationS() const override { return m_scenario.durationS; }
    std::string describe() const override;
    double peakRate(double untilS) const override;
    SourceSite peakSite(double untilS) const override;
    SourceSite endSite() const override;

protected:
    std::vector<Spike> scheduledSpikes() const override;
    void breakpoints(double t0, double t1, std::vector<double> &out) const override;
    void generateBase(double t0, double t1, std::vector<Arrival> &out) override;

private:
    std::string file() const; // the scenario's file, or its description when built in

    Scenario m_scenario;
};

// A per-request trace replayed at its own timestamps divided by `compression`.
class RequestTraceArrivals : public ArrivalSource
{
public:
    RequestTraceArrivals(RequestTrace trace, double compression, const sim::ClusterConfig &config,
                         std::uint64_t seed);

    double baseRateAt(double t) const override;
    double durationS() const override;
    std::string describe() const override;
    double peakRate(double untilS) const override;
    SourceSite peakSite(double untilS) const override;
    SourceSite endSite() const override;
    std::vector<std::string> notes() const override { return m_trace.notes; }
    double meanServiceS() const override;
    bool hasDataAt(double t) const override;

protected:
    void generateBase(double t0, double t1, std::vector<Arrival> &out) override;

private:
    RequestTrace m_trace;
    double m_compression;
    double m_tokenServiceMeanS = 0.0; // with token counts: the mean of their service times
    std::size_t m_next = 0;
    std::vector<double> m_perSecond; // arrivals per simulated second, for baseRateAt
};

// A per-interval count trace: Poisson arrivals within each interval at its
// count's rate; a hole (NaN) brings no arrivals.
// A per-interval count trace replayed with exactly its recorded count in each interval
// (times uniform inside it, which is a Poisson process given the count), so a replay
// neither adds nor loses a request. A fractional count c gives floor(c) arrivals, plus
// one with probability c - floor(c). Intervals are divided by `compression`.
class CountTraceArrivals : public ArrivalSource
{
public:
    CountTraceArrivals(CountTrace trace, double compression, const sim::ClusterConfig &config,
                       std::uint64_t seed);

    double baseRateAt(double t) const override;
    double durationS() const override;
    std::string describe() const override;
    double peakRate(double untilS) const override;
    SourceSite peakSite(double untilS) const override;
    SourceSite endSite() const override;
    std::vector<std::string> notes() const override { return m_trace.notes; }
    bool hasDataAt(double t) const override;

protected:
    void breakpoints(double t0, double t1, std::vector<double> &out) const override;
    void generateBase(double t0, double t1, std::vector<Arrival> &out) override;

private:
    // Draws interval i's recorded arrivals at uniform random times inside it.
    void drawInterval(std::size_t i);

    CountTrace m_trace;
    double m_compression;
    std::size_t m_nextInterval = 0;  // the first interval not drawn yet
    std::vector<Arrival> m_drawn;    // drawn, in time order, not handed out yet
    std::size_t m_drawnFirst = 0;    // the first of m_drawn not handed out
};

// Reads a trace file of either kind and wraps it. Throws InputError.
// Trace time is divided by the compression: from 1000x slower to a million times faster.
constexpr double kMinCompression = 1e-3;
constexpr double kMaxCompression = 1e6;
// What is wrong with a compression outside those bounds ("must be between ..."), or nothing:
// one wording for the trace reader and the command lines.
std::optional<std::string> compressionProblem(double compression);
// Throws InputError naming `source` and the field "compression" outside those bounds.
void checkCompression(const std::string &source, double compression);

std::unique_ptr<ArrivalSource> makeTraceArrivals(const std::string &path, double compression,
                                                 const sim::ClusterConfig &config,
                                                 std::uint64_t seed);

} // namespace headroom::traffic
