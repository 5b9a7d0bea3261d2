#include "forecast/syntheticdata.h"

#include "forecast/features.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <sstream>

namespace headroom::forecast {

namespace {

// Steps simulated per window: the input window plus the forecast horizons.
constexpr int kSteps = kWindow + static_cast<int>(kHorizonsS.size());
// Seconds covered by one simulated window.
constexpr double kSpanS = kSteps * kStepS;
// Points averaged per step to get the step's true mean rate.
constexpr int kPointsPerStep = 10;
// Base rates are log-uniform in this range, req/s.
constexpr double kMinBaseRate = 0.5;
constexpr double kMaxBaseRate = 500.0;
// Ramps: end rate / start rate, and length in seconds (log-uniform).
constexpr double kMinRampFactor = 1.2;
constexpr double kMaxRampFactor = 10.0;
constexpr double kMinRampS = 60.0;
constexpr double kMaxRampS = 1200.0;
// Ramps start up to this long before the window, so many are under way when it opens.
constexpr double kRampLeadS = 300.0;
// Spike magnitudes, times the base rate.
constexpr double kMinSpike = 2.0;
constexpr double kMaxSpike = 10.0;
// Chance that a spike raises the load rather than lowering it.
constexpr double kSpikeUpChance = 0.5;
// Spike lengths in seconds (log-uniform); starts are uniform over one span before the
// window to the horizon's end, so about a quarter start inside the horizon.
constexpr double kMinSpikeS = 10.0;
constexpr double kMaxSpikeS = 600.0;
// Periodic load: periods log-uniform in this range, seconds.
constexpr double kMinPeriodS = 60.0;
constexpr double kMaxPeriodS = 1800.0;
// Periodic load: amplitude as a share of the base rate (uniform).
constexpr double kMinAmplitude = 0.1;
constexpr double kMaxAmplitude = 0.9;
// Service time per request, ms (log-uniform).
constexpr double kMinServiceMs = 20.0;
constexpr double kMaxServiceMs = 500.0;
// Capacity as a multiple of the window's mean true rate (uniform).
constexpr double kMinHeadroom = 0.8;
constexpr double kMaxHeadroom = 4.0;
// Log-normal sigma of the per-step rate jitter applied before the Poisson draw.
constexpr double kRateJitter = 0.05;
// Log-normal sigma of the latency noise.
constexpr double kLatencyJitter = 0.1;
// Queueing model: utilization above which latency stops growing (1 / 0.05 = 20x service).
constexpr double kMinIdleShare = 0.05;
// Chance that a step far past capacity (rho > kStallRho) completes nothing.
constexpr double kStallChance = 0.2;
constexpr double kStallRho = 1.5;

// Scenario families, drawn with equal chance.
enum class Family { RampUp, RampDown, Spike, Periodic };
constexpr int kFamilies = 4;

struct Scenario
{
    Family family = Family::RampUp;
    double base = 1.0; // req/s
    double factor = 1.0; // ramp end / start, or spike magnitude
    double startS = 0.0; // ramp or spike start
    double durationS = 1.0; // ramp length or spike length
    bool up = true; // spike direction
    double periodS = 60.0;
    double amplitude = 0.0; // periodic, share of base
    double phase = 0.0;
    double headroom = 1.0; // capacity / the window's mean true rate
    double serviceMs = 50.0;
};

double uniform(std::mt19937_64 &rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

double logUniform(std::mt19937_64 &rng, double lo, double hi)
{
    return std::exp(uniform(rng, std::log(lo), std::log(hi)));
}

Scenario drawScenario(std::mt19937_64 &rng)
{
    Scenario s;
    s.family = static_cast<Family>(std::uniform_int_distribution<int>(0, kFamilies - 1)(rng));
    s.base = logUniform(rng, kMinBaseRate, kMaxBaseRate);
    s.headroom = uniform(rng, kMinHeadroom, kMaxHeadroom);
    s.serviceMs = logUniform(rng, kMinServiceMs, kMaxServiceMs);

    if (s.family == Family::RampUp || s.family == Family::RampDown) {
        s.factor = logUniform(rng, kMinRampFactor, kMaxRampFactor);
        s.startS = uniform(rng, -kRampLeadS, kSpanS);
        s.durationS = logUniform(rng, kMinRampS, kMaxRampS);
    } else if (s.family == Family::Spike) {
        s.factor = uniform(rng, kMinSpike, kMaxSpike);
        s.startS = uniform(rng, -kSpanS, kSpanS);
        s.durationS = logUniform(rng, kMinSpikeS, kMaxSpikeS);
        s.up = std::bernoulli_distribution(kSpikeUpChance)(rng);
    } else {
        s.periodS = logUniform(rng, kMinPeriodS, kMaxPeriodS);
        s.amplitude = uniform(rng, kMinAmplitude, kMaxAmplitude);
        s.phase = uniform(rng, 0.0, 2.0 * std::numbers::pi);
    }
    return s;
}

double rateAt(const Scenario &s, double t)
{
    switch (s.family) {
    case Family::RampUp:
    case Family::RampDown: {
        const double u = std::clamp((t - s.startS) / s.durationS, 0.0, 1.0);
        const double from = s.family == Family::RampUp ? 1.0 : s.factor;
        const double to = s.family == Family::RampUp ? s.factor : 1.0;
        return s.base * (from + (to - from) * u);
    }
    case Family::Spike: {
        const bool inside = t >= s.startS && t < s.startS + s.durationS;
        if (s.up)
            return inside ? s.base * s.factor : s.base;
        return inside ? s.base : s.base * s.factor;
    }
    case Family::Periodic:
        return s.base
            * (1.0 + s.amplitude * std::sin(2.0 * std::numbers::pi * t / s.periodS + s.phase));
    }
    return s.base;
}

double stepMeanRate(const Scenario &s, int step)
{
    double sum = 0.0;
    for (int k = 0; k < kPointsPerStep; ++k)
        sum += rateAt(s, (step + (k + 0.5) / kPointsPerStep) * kStepS);
    return sum / kPointsPerStep;
}

// What the router would count: a Poisson number of arrivals over the step.
double observedRate(std::mt19937_64 &rng, double trueRate)
{
    const double mean
        = trueRate * kStepS * std::lognormal_distribution<double>(0.0, kRateJitter)(rng);
    if (mean <= 0.0)
        return 0.0;
    return static_cast<double>(std::poisson_distribution<long>(mean)(rng)) / kStepS;
}

double p95LatencyMs(std::mt19937_64 &rng, const Scenario &s, double capacity, double rate)
{
    const double rho = rate / capacity;
    if (rate <= 0.0 || (rho > kStallRho && std::bernoulli_distribution(kStallChance)(rng)))
        return std::numeric_limits<double>::quiet_NaN();
    const double latency = s.serviceMs / std::max(1.0 - rho, kMinIdleShare);
    const double noisy = latency * std::lognormal_distribution<double>(0.0, kLatencyJitter)(rng);
    return std::min(noisy, kLatencyCapMs);
}

// Capacity follows the recent load, as an autoscaled service's would; tying it to the base
// rate instead would let latency reveal whether a spike is under way.
double windowCapacity(const Scenario &s)
{
    double sum = 0.0;
    for (int step = 0; step < kWindow; ++step)
        sum += stepMeanRate(s, step);
    return s.headroom * sum / kWindow;
}

void appendWindow(std::mt19937_64 &rng, Dataset &data)
{
    const Scenario scenario = drawScenario(rng);
    const double capacity = windowCapacity(scenario);
    ForecastInput input;
    std::array<double, kHorizonsS.size()> future {};
    for (int step = 0; step < kSteps; ++step) {
        const double rate = observedRate(rng, stepMeanRate(scenario, step));
        if (step < kWindow) {
            input.ratePerS[step] = rate;
            input.latencyMs[step] = p95LatencyMs(rng, scenario, capacity, rate);
        } else {
            future[step - kWindow] = rate;
        }
    }

    float features[kInputs];
    const double scale = encodeFeatures(input, features);
    data.features.insert(data.features.end(), features, features + kInputs);
    for (double rate : future)
        data.targets.push_back(static_cast<float>(rate / scale));
    ++data.rows;
}

} // namespace

Dataset generateDataset(int samples, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Dataset data;
    data.features.reserve(static_cast<std::size_t>(samples) * kInputs);
    data.targets.reserve(static_cast<std::size_t>(samples) * kHorizonsS.size());
    for (int i = 0; i < samples; ++i)
        appendWindow(rng, data);
    return data;
}

std::string dataRecipeText()
{
    std::ostringstream text;
    text << "Each window simulates " << kSteps << " steps of " << kStepS << " s (" << kWindow
         << " inputs, " << kHorizonsS.size() << " horizons) of one scenario drawn with "
         << "std::mt19937_64 from the seed, each family equally likely: a rising or a falling "
         << "linear ramp (x" << kMinRampFactor << "-x" << kMaxRampFactor << " over " << kMinRampS
         << "-" << kMaxRampS << " s, starting " << kRampLeadS
         << " s before the window to the horizon's end), a spike up or down (x" << kMinSpike << "-x"
         << kMaxSpike << ", lasting " << kMinSpikeS << "-" << kMaxSpikeS
         << " s, starting one span before the window to the horizon's end, so inside the "
         << "window or the horizon too) or periodic load (sinusoid, period " << kMinPeriodS << "-"
         << kMaxPeriodS << " s, amplitude " << kMinAmplitude << "-" << kMaxAmplitude
         << " x base), on a base rate log-uniform in " << kMinBaseRate << "-" << kMaxBaseRate
         << " req/s. Observed rate per step = "
         << "Poisson(true mean x " << kStepS << " s x lognormal(0, " << kRateJitter << ")) / "
         << kStepS << " s, for inputs and targets alike. p95 latency = service (" << kMinServiceMs
         << "-" << kMaxServiceMs << " ms) / "
         << "max(1 - rate / capacity, " << kMinIdleShare << ") x lognormal(0, " << kLatencyJitter
         << "), capped at " << kLatencyCapMs << " ms, with capacity " << kMinHeadroom << "-"
         << kMaxHeadroom << "x the window's mean true rate; NaN when no "
         << "request arrived, and with chance " << kStallChance << " when rate > " << kStallRho
         << "x capacity.";
    return text.str();
}

} // namespace headroom::forecast
