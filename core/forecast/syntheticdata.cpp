#include "forecast/syntheticdata.h"

#include "forecast/features.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <sstream>

namespace headroom::forecast {

namespace {

// Steps of context before the window's end, the window's own steps included.
constexpr int kContextSteps = static_cast<int>(kContextS / kStepS);
// The longest horizon, in steps after the window's end.
constexpr int kHorizonSteps = static_cast<int>(kHorizonsS.back() / kStepS);
// Synthetic timeline: step s covers [s * kStepS, (s + 1) * kStepS), the window is
// steps 0..kWindow-1, the context starts kContextSteps before the window's end.
constexpr int kFirstStep = kWindow - kContextSteps;
constexpr int kLastStep = kWindow + kHorizonSteps; // exclusive
constexpr double kSpanStartS = kFirstStep * kStepS;
constexpr double kSpanEndS = kLastStep * kStepS;
// Points averaged per step to get the step's true mean rate.
constexpr int kPointsPerStep = 5;
// Base rates are log-uniform in this range, req/s.
constexpr double kMinBaseRate = 0.5;
constexpr double kMaxBaseRate = 500.0;
// Ramps: end rate / start rate, and length in seconds (log-uniform).
constexpr double kMinRampFactor = 1.2;
constexpr double kMaxRampFactor = 10.0;
constexpr double kMinRampS = 60.0;
constexpr double kMaxRampS = 1200.0;
// Spikes: magnitude times the base rate, length in seconds (log-uniform).
constexpr double kMinSpike = 2.0;
constexpr double kMaxSpike = 10.0;
constexpr double kMinSpikeS = 10.0;
constexpr double kMaxSpikeS = 600.0;
// Periodic load: period (log-uniform) and amplitude as a share of the base.
constexpr double kMinPeriodS = 60.0;
constexpr double kMaxPeriodS = 1800.0;
constexpr double kMinAmplitude = 0.1;
constexpr double kMaxAmplitude = 0.9;
// Diurnal load: a day compressed to this many seconds (log-uniform), a daily swing
// plus a second harmonic (the lunch dip, the evening peak).
constexpr double kMinDayS = 1200.0;
constexpr double kMaxDayS = 86400.0;
constexpr double kMinDaySwing = 0.3;
constexpr double kMaxDaySwing = 0.9;
constexpr double kMaxSecondHarmonic = 0.3;
// Bursts: starts form a Poisson process with a mean gap log-uniform in this range; each
// jumps by 1-8x the base and decays exponentially (time constant log-uniform).
constexpr double kMinBurstGapS = 60.0;
constexpr double kMaxBurstGapS = 900.0;
constexpr double kMinBurst = 1.0;
constexpr double kMaxBurst = 8.0;
constexpr double kMinBurstDecayS = 10.0;
constexpr double kMaxBurstDecayS = 300.0;
// Heavy-tailed noise: each step's rate is multiplied by exp(sigma * t3), t3 a Student t
// with 3 degrees of freedom, sigma uniform in this range.
constexpr double kMinTailSigma = 0.2;
constexpr double kMaxTailSigma = 0.8;
// The t draw is clipped here, so one step is at most exp(0.8 x 4) = 25x the base.
constexpr double kMaxTailT = 4.0;
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
enum class Family { RampUp, RampDown, Spike, Periodic, Diurnal, Bursts, HeavyTail, Steady };
constexpr int kFamilies = 8;
constexpr const char *kFamilyNames[kFamilies]
    = {"ramp-up", "ramp-down", "spike", "periodic", "diurnal", "bursts", "heavy-tail", "steady"};

struct Burst
{
    double startS = 0.0;
    double height = 0.0; // times base
    double decayS = 1.0;
};

struct Scenario
{
    Family family = Family::Steady;
    double base = 1.0;      // req/s
    double factor = 1.0;    // ramp end / start, or spike magnitude
    double startS = 0.0;    // ramp or spike start
    double durationS = 1.0; // ramp length or spike length
    bool up = true;         // spike direction
    double periodS = 60.0;  // periodic period or compressed day
    double amplitude = 0.0; // share of base
    double second = 0.0;    // diurnal second harmonic, share of base
    double phase = 0.0;
    double phase2 = 0.0;
    std::vector<Burst> bursts;
    double tailSigma = 0.0;
};

double uniform(std::mt19937_64 &rng, double lo, double hi)
{
    return std::uniform_real_distribution<double>(lo, hi)(rng);
}

double logUniform(std::mt19937_64 &rng, double lo, double hi)
{
    return std::exp(uniform(rng, std::log(lo), std::log(hi)));
}

std::vector<Burst> drawBursts(std::mt19937_64 &rng)
{
    const double meanGapS = logUniform(rng, kMinBurstGapS, kMaxBurstGapS);
    std::exponential_distribution<double> gap(1.0 / meanGapS);
    std::vector<Burst> bursts;
    // Start well before the span, so a burst may be decaying when the context opens.
    for (double t = kSpanStartS - kMaxBurstDecayS + gap(rng); t < kSpanEndS; t += gap(rng))
        bursts.push_back({t, uniform(rng, kMinBurst, kMaxBurst),
            logUniform(rng, kMinBurstDecayS, kMaxBurstDecayS)});
    return bursts;
}

Scenario drawScenario(std::mt19937_64 &rng)
{
    Scenario s;
    s.family = static_cast<Family>(std::uniform_int_distribution<int>(0, kFamilies - 1)(rng));
    s.base = logUniform(rng, kMinBaseRate, kMaxBaseRate);
    const double windowEndS = kWindow * kStepS;
    switch (s.family) {
    case Family::RampUp:
    case Family::RampDown:
        s.factor = logUniform(rng, kMinRampFactor, kMaxRampFactor);
        s.durationS = logUniform(rng, kMinRampS, kMaxRampS);
        // Under way at the window's end, or starting before the last horizon.
        s.startS = uniform(rng, windowEndS - s.durationS - kWindow * kStepS, kSpanEndS);
        break;
    case Family::Spike:
        s.factor = uniform(rng, kMinSpike, kMaxSpike);
        s.durationS = logUniform(rng, kMinSpikeS, kMaxSpikeS);
        s.startS = uniform(rng, -s.durationS, kSpanEndS);
        s.up = std::bernoulli_distribution(0.5)(rng);
        break;
    case Family::Periodic:
        s.periodS = logUniform(rng, kMinPeriodS, kMaxPeriodS);
        s.amplitude = uniform(rng, kMinAmplitude, kMaxAmplitude);
        s.phase = uniform(rng, 0.0, 2.0 * std::numbers::pi);
        break;
    case Family::Diurnal:
        s.periodS = logUniform(rng, kMinDayS, kMaxDayS);
        s.amplitude = uniform(rng, kMinDaySwing, kMaxDaySwing);
        s.second = uniform(rng, 0.0, kMaxSecondHarmonic);
        s.phase = uniform(rng, 0.0, 2.0 * std::numbers::pi);
        s.phase2 = uniform(rng, 0.0, 2.0 * std::numbers::pi);
        break;
    case Family::Bursts:
        s.bursts = drawBursts(rng);
        break;
    case Family::HeavyTail:
        s.tailSigma = uniform(rng, kMinTailSigma, kMaxTailSigma);
        break;
    case Family::Steady:
        break;
    }
    return s;
}

double rateAt(const Scenario &s, double t)
{
    constexpr double twoPi = 2.0 * std::numbers::pi;
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
        return s.base * (1.0 + s.amplitude * std::sin(twoPi * t / s.periodS + s.phase));
    case Family::Diurnal: {
        const double x = twoPi * t / s.periodS;
        const double shape
            = 1.0 + s.amplitude * std::sin(x + s.phase) + s.second * std::sin(2.0 * x + s.phase2);
        return s.base * std::max(shape, 0.05);
    }
    case Family::Bursts: {
        double rate = s.base;
        for (const Burst &b : s.bursts) {
            if (t >= b.startS)
                rate += s.base * b.height * std::exp(-(t - b.startS) / b.decayS);
        }
        return rate;
    }
    case Family::HeavyTail:
    case Family::Steady:
        return s.base;
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
    if (!(mean > 0.0))
        return 0.0;
    return static_cast<double>(std::poisson_distribution<long>(mean)(rng)) / kStepS;
}

double p95LatencyMs(std::mt19937_64 &rng, double serviceMs, double capacity, double rate)
{
    const double rho = rate / capacity;
    if (rate <= 0.0 || (rho > kStallRho && std::bernoulli_distribution(kStallChance)(rng)))
        return std::numeric_limits<double>::quiet_NaN();
    const double latency = serviceMs / std::max(1.0 - rho, kMinIdleShare);
    const double noisy = latency * std::lognormal_distribution<double>(0.0, kLatencyJitter)(rng);
    return std::min(noisy, kLatencyCapMs);
}

// One window from observed step rates: `rates[i]` is step first + i; the window ends at
// step `end` (exclusive). Capacity follows the window's load, as an autoscaled service's
// would; tying it to a base rate instead would let latency reveal whether a spike is on.
void appendWindow(const double *rates, int end, std::mt19937_64 &rng, int family, Dataset &data)
{
    ForecastInput input;
    double windowSum = 0.0;
    for (int k = 0; k < kWindow; ++k) {
        input.ratePerS[k] = rates[end - kWindow + k];
        windowSum += input.ratePerS[k];
    }
    const double capacity
        = std::max(uniform(rng, kMinHeadroom, kMaxHeadroom) * windowSum / kWindow, kMinScale);
    const double serviceMs = logUniform(rng, kMinServiceMs, kMaxServiceMs);
    for (int k = 0; k < kWindow; ++k)
        input.latencyMs[k] = p95LatencyMs(rng, serviceMs, capacity, input.ratePerS[k]);
    double contextSum = 0.0;
    for (int k = end - kContextSteps; k < end; ++k)
        contextSum += rates[k];
    input.contextRatePerS = contextSum / kContextSteps;

    float features[kInputs];
    const double scale = encodeFeatures(input, features);
    data.features.insert(data.features.end(), features, features + kInputs);
    for (double horizon : kHorizonsS) {
        const int step = end - 1 + static_cast<int>(std::lround(horizon / kStepS));
        data.targets.push_back(static_cast<float>(rates[step] / scale));
    }
    data.family.push_back(family);
    ++data.rows;
}

void appendSynthetic(std::mt19937_64 &rng, Dataset &data)
{
    const Scenario scenario = drawScenario(rng);
    std::array<double, kLastStep - kFirstStep> rates {};
    std::student_t_distribution<double> tail(3.0);
    for (int step = kFirstStep; step < kLastStep; ++step) {
        double rate = stepMeanRate(scenario, step);
        if (scenario.family == Family::HeavyTail)
            rate *= std::exp(scenario.tailSigma * std::clamp(tail(rng), -kMaxTailT, kMaxTailT));
        rates[step - kFirstStep] = observedRate(rng, rate);
    }
    appendWindow(rates.data(), kWindow - kFirstStep, rng, static_cast<int>(scenario.family), data);
}

} // namespace

int Dataset::familyIndex(const std::string &name)
{
    const auto it = std::find(familyNames.begin(), familyNames.end(), name);
    if (it != familyNames.end())
        return static_cast<int>(it - familyNames.begin());
    familyNames.push_back(name);
    return static_cast<int>(familyNames.size()) - 1;
}

void Dataset::append(const Dataset &other)
{
    features.insert(features.end(), other.features.begin(), other.features.end());
    targets.insert(targets.end(), other.targets.begin(), other.targets.end());
    for (int f : other.family)
        family.push_back(familyIndex(other.familyNames[static_cast<std::size_t>(f)]));
    rows += other.rows;
}

Dataset generateDataset(int samples, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    Dataset data;
    data.familyNames.assign(std::begin(kFamilyNames), std::end(kFamilyNames));
    data.features.reserve(static_cast<std::size_t>(samples) * kInputs);
    data.targets.reserve(static_cast<std::size_t>(samples) * kHorizons);
    for (int i = 0; i < samples; ++i)
        appendSynthetic(rng, data);
    return data;
}

int horizonSteps()
{
    return kHorizonSteps;
}

Dataset windowsFromSeries(const std::vector<double> &stepRates, int fromStep, int toStep,
    int strideSteps, std::mt19937_64 &rng, const std::string &family)
{
    Dataset data;
    const int familyId = data.familyIndex(family);
    const int count = static_cast<int>(stepRates.size());
    // Steps up to i hold a gap when gapsBefore[i + 1] > gapsBefore[first].
    std::vector<int> gapsBefore(stepRates.size() + 1, 0);
    for (int i = 0; i < count; ++i)
        gapsBefore[i + 1] = gapsBefore[i] + (std::isfinite(stepRates[i]) ? 0 : 1);
    const int first = std::max(fromStep, kContextSteps);
    const int last = std::min(toStep, count - kHorizonSteps + 1);
    for (int end = first; end < last; end += std::max(strideSteps, 1)) {
        if (gapsBefore[end + kHorizonSteps] != gapsBefore[end - kContextSteps])
            continue;
        appendWindow(stepRates.data(), end, rng, familyId, data);
    }
    return data;
}

std::string dataRecipeText()
{
    std::ostringstream text;
    text << "Each window is " << kWindow << " steps of " << kStepS
         << " s with the mean rate of the " << kContextS << " s ending with it and the rate at "
         << "horizons of 5-" << kHorizonsS.back() << " s, from one scenario drawn with "
         << "std::mt19937_64 from the seed; the " << kFamilies << " families are equally likely: "
         << "rising or falling linear ramps (x" << kMinRampFactor << "-x" << kMaxRampFactor
         << " over " << kMinRampS << "-" << kMaxRampS << " s, under way at the window's end or "
         << "starting before the last horizon), spikes up or down (x" << kMinSpike << "-x"
         << kMaxSpike << ", " << kMinSpikeS << "-" << kMaxSpikeS << " s), periodic load "
         << "(sinusoid, period " << kMinPeriodS << "-" << kMaxPeriodS << " s, amplitude "
         << kMinAmplitude << "-" << kMaxAmplitude << "), diurnal load (a day compressed to "
         << kMinDayS << "-" << kMaxDayS << " s, swing " << kMinDaySwing << "-" << kMaxDaySwing
         << " plus a second harmonic up to " << kMaxSecondHarmonic << "), bursts (Poisson "
         << "starts, mean gap " << kMinBurstGapS << "-" << kMaxBurstGapS << " s, each +"
         << kMinBurst << "-" << kMaxBurst << "x base decaying with a time constant of "
         << kMinBurstDecayS << "-" << kMaxBurstDecayS << " s), heavy-tailed noise (each step x "
         << "exp(sigma t3), t3 clipped to +-" << kMaxTailT << ", sigma " << kMinTailSigma << "-"
         << kMaxTailSigma << ") and steady "
         << "load, on a base rate log-uniform in " << kMinBaseRate << "-" << kMaxBaseRate
         << " req/s. Observed rate per step = Poisson(true mean x " << kStepS
         << " s x lognormal(0, " << kRateJitter << ")) / " << kStepS << " s, for inputs and "
         << "targets alike. p95 latency = service (" << kMinServiceMs << "-" << kMaxServiceMs
         << " ms) / max(1 - rate / capacity, " << kMinIdleShare << ") x lognormal(0, "
         << kLatencyJitter << "), capped at " << kLatencyCapMs << " ms, with capacity "
         << kMinHeadroom << "-" << kMaxHeadroom << "x the window's mean observed rate; NaN "
         << "when no request arrived, and with chance " << kStallChance << " when rate > "
         << kStallRho << "x capacity.";
    return text.str();
}

} // namespace headroom::forecast
