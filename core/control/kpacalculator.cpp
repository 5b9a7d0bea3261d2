#include "control/kpacalculator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <cstdio>

namespace headroom::control::kpa {

namespace {

// A pod count from a real-valued one, saturating at the int range instead of wrapping (a
// concurrency of 1e12 must read as "very many pods", not as a negative count).
int saturatedPods(double value)
{
    if (!(value < static_cast<double>(std::numeric_limits<int>::max())))
        return std::numeric_limits<int>::max();
    if (value < static_cast<double>(std::numeric_limits<int>::min()))
        return std::numeric_limits<int>::min();
    return static_cast<int>(value);
}


// pkg/apis/autoscaling/register.go: TargetMin.
constexpr double kTargetMin = 0.01;
// bucketing.go: weighted buckets' weights sum to at least this, decay at least minExponent.
constexpr double kWeightPrecision = 0.9999;
constexpr double kMinExponent = 0.2;

std::string num(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", value);
    return buffer;
}

// bucketing.go roundToNDigits(6, x): the linear average is floored to 6 decimals.
double floorTo6Digits(double value)
{
    return std::floor(value * 1e6) / 1e6;
}

double linearAverage(const std::vector<double> &samples, int buckets)
{
    // Over a partial window while fewer buckets than the window hold data (firstWrite).
    const std::size_t n = std::min(samples.size(), static_cast<std::size_t>(buckets));
    if (n == 0)
        return 0.0;
    double total = 0.0;
    for (std::size_t i = samples.size() - n; i < samples.size(); ++i)
        total += samples[i];
    return floorTo6Digits(total / static_cast<double>(n));
}

double weightedAverage(const std::vector<double> &samples, int buckets)
{
    // Unwritten buckets are zeros, so a short history is not renormalised.
    const double coeff = std::max(1.0 - std::pow(1.0 - kWeightPrecision, 1.0 / buckets),
                                  kMinExponent);
    double multiplier = coeff;
    double total = 0.0;
    for (int i = 0; i < buckets && i < static_cast<int>(samples.size()); ++i) {
        total += samples[samples.size() - 1 - i] * multiplier;
        multiplier *= 1.0 - coeff;
    }
    return total;
}

std::vector<double> withActivator(const Inputs &inputs)
{
    std::vector<double> samples = inputs.concurrency;
    if (inputs.activatorRequests > 0.0) {
        if (samples.empty())
            samples.push_back(0.0);
        samples.back() += inputs.activatorRequests;
    }
    return samples;
}

double idleSeconds(const Inputs &inputs, const std::vector<double> &samples)
{
    if (!samples.empty() && samples.back() > 0.0)
        return 0.0;
    double zeros = 0.0;
    for (auto it = samples.rbegin(); it != samples.rend() && *it <= 0.0; ++it)
        zeros += 1.0;
    return std::max(inputs.idleS.value_or(0.0), zeros);
}

void sizeFromWindows(const Config &config, const Inputs &inputs,
                     const std::vector<double> &samples, Decision &d)
{
    d.stableConcurrency = windowAverage(samples, config.stableBuckets(), config.aggregation);
    d.panicConcurrency = windowAverage(samples, config.panicBuckets(), config.aggregation);
    d.targetPerPod = config.targetPerPod();
    d.stableDesired = saturatedPods(std::ceil(d.stableConcurrency / d.targetPerPod));
    d.panicDesired = saturatedPods(std::ceil(d.panicConcurrency / d.targetPerPod));
    d.reasons.push_back("stable concurrency " + num(d.stableConcurrency) + " over the "
                        + num(config.stableWindowS) + " s window, panic " + num(d.panicConcurrency)
                        + " over " + std::to_string(config.panicBuckets()) + " s ("
                        + std::to_string(samples.size()) + " samples)");
    d.reasons.push_back("target " + num(d.targetPerPod) + " per pod ("
                        + num(config.targetUtilizationPercentage) + " % of "
                        + num(config.totalPerPod()) + "): stable wants "
                        + std::to_string(d.stableDesired) + ", panic wants "
                        + std::to_string(d.panicDesired) + " pods for "
                        + std::to_string(inputs.readyPods) + " ready");
}

// autoscaler.go: the window sizes kept within [maxScaleDown, maxScaleUp] of the ready pods.
int rateLimited(int want, const Decision &d, const char *which, std::vector<std::string> &reasons)
{
    const int limited = std::min(std::max(want, d.maxScaleDown), d.maxScaleUp);
    if (limited > want)
        reasons.push_back(std::string(which) + " " + std::to_string(want)
                          + " raised to the scale-down limit " + std::to_string(limited));
    else if (limited < want)
        reasons.push_back(std::string(which) + " " + std::to_string(want)
                          + " capped at the scale-up limit " + std::to_string(limited));
    return limited;
}

void updatePanic(const Config &config, const Inputs &inputs, Decision &d)
{
    const double ready = std::max(1, inputs.readyPods);
    const double ratio = d.panicDesired / ready;
    d.overThreshold = ratio >= config.panicThresholdPercentage / 100.0;
    const std::string share = num(100.0 * ratio) + " % of " + num(ready) + " ready";
    const State &s = inputs.state;
    d.next = s;
    if (d.overThreshold) {
        d.enteringPanic = !s.panicking;
        d.next.panicking = true;
        d.next.panicStartedSAgo = 0.0;
        d.reasons.push_back("panic wants " + share + " >= " + num(config.panicThresholdPercentage)
                            + " %: " + (d.enteringPanic ? "entering panic" : "panic extended"));
    } else if (s.panicking && s.panicStartedSAgo > config.stableWindowS) {
        // Leave only once the surge has made its way into the stable window.
        d.leavingPanic = true;
        d.next = State {};
        d.reasons.push_back("panic wants " + share + ", under the threshold since "
                            + num(s.panicStartedSAgo) + " s > " + num(config.stableWindowS)
                            + " s stable window: leaving panic");
    } else if (s.panicking) {
        d.reasons.push_back("panic wants " + share + ", under the threshold for "
                            + num(s.panicStartedSAgo) + " s of the " + num(config.stableWindowS)
                            + " s needed to leave panic");
    } else {
        d.reasons.push_back("panic wants " + share + " < " + num(config.panicThresholdPercentage)
                            + " %: no panic");
    }
    d.panicking = d.next.panicking;
}

int deciderCount(const Config &config, const Inputs &inputs, Decision &d)
{
    const double ready = std::max(1, inputs.readyPods);
    d.maxScaleUp = saturatedPods(std::ceil(config.maxScaleUpRate * ready));
    d.maxScaleDown = config.reachable
        ? saturatedPods(std::floor(ready / config.maxScaleDownRate)) : 0;
    const int stablePods = rateLimited(d.stableDesired, d, "stable", d.reasons);
    const int panicPods = rateLimited(d.panicDesired, d, "panic", d.reasons);
    updatePanic(config, inputs, d);
    if (!d.panicking)
        return stablePods;
    // Stable may exceed panic at the edges: provision for the larger, and never scale down.
    const int want = std::max(stablePods, panicPods);
    if (want < d.next.maxPanicPods)
        d.reasons.push_back("panicking: holding " + std::to_string(d.next.maxPanicPods)
                            + ", no scale-down to " + std::to_string(want));
    d.next.maxPanicPods = std::max(d.next.maxPanicPods, want);
    return d.next.maxPanicPods;
}

// autoscaler.go: EBC = ready * total - target burst capacity - panic concurrency.
int excessBurstCapacity(const Config &config, const Inputs &inputs, const Decision &d)
{
    if (config.targetBurstCapacity == 0.0)
        return 0;
    if (config.targetBurstCapacity < 0.0)
        return -1;
    return static_cast<int>(std::floor(inputs.readyPods * config.totalPerPod()
                                       - config.targetBurstCapacity - d.panicConcurrency));
}

// scaler.go applyBounds: min, then max unless it is 0 (unbounded).
int applyBounds(const Config &config, int pods, std::vector<std::string> &reasons)
{
    if (pods < config.minScale) {
        reasons.push_back("raised to min-scale " + std::to_string(config.minScale));
        return config.minScale;
    }
    if (config.maxScale != 0 && pods > config.maxScale) {
        reasons.push_back("capped at max-scale " + std::to_string(config.maxScale));
        return config.maxScale;
    }
    return pods;
}

// scaler.go handleScaleToZero: 0 only after a stable window idle (the PA turns inactive) and
// the grace period with the activator in the path; until then the revision keeps one pod.
int scaleToZero(const Config &config, const Inputs &inputs, Decision &d)
{
    if (!config.enableScaleToZero) {
        d.reasons.push_back("scale to zero disabled: keeps 1");
        return 1;
    }
    if (inputs.readyPods == 0) {
        d.reasons.push_back("no demand and no ready pod: stays at 0");
        return 0;
    }
    const double hold = std::max(config.scaleToZeroGracePeriodS,
                                 config.scaleToZeroPodRetentionPeriodS);
    if (d.idleS < config.stableWindowS) {
        d.reasons.push_back("idle " + num(d.idleS) + " s, under the " + num(config.stableWindowS)
                            + " s stable window: still active, keeps 1");
        return 1;
    }
    if (d.idleS < config.stableWindowS + hold) {
        d.reasons.push_back("idle " + num(d.idleS) + " s: inactive, but the activator has not "
                            "backed it for the " + num(hold) + " s grace period yet: keeps 1");
        return 1;
    }
    d.reasons.push_back("idle " + num(d.idleS) + " s >= stable window + grace period ("
                        + num(config.stableWindowS + hold) + " s): scale to zero");
    return 0;
}

} // namespace

int Config::stableBuckets() const
{
    return std::max(1, static_cast<int>(std::ceil(stableWindowS)));
}

int Config::panicBuckets() const
{
    return std::max(1, static_cast<int>(std::ceil(stableWindowS * panicWindowPercentage / 100.0)));
}

double Config::totalPerPod() const
{
    // resources/target.go: containerConcurrency, or the default when it is 0; an annotation
    // target overrides, but never above the hard limit.
    double total = containerConcurrency > 0 ? containerConcurrency
                                            : containerConcurrencyTargetDefault;
    if (target > 0.0)
        total = containerConcurrency > 0 ? std::min(target, double(containerConcurrency)) : target;
    return total;
}

double Config::targetPerPod() const
{
    return std::max(kTargetMin, totalPerPod() * (targetUtilizationPercentage / 100.0));
}

State startState(int readyPods)
{
    State s;
    s.panicking = readyPods > 1;
    s.panicStartedSAgo = 0.0;
    s.maxPanicPods = readyPods;
    return s;
}

double windowAverage(const std::vector<double> &samples, int buckets, Aggregation aggregation)
{
    return aggregation == Aggregation::Linear ? linearAverage(samples, buckets)
                                              : weightedAverage(samples, buckets);
}

Decision decide(const Config &config, const Inputs &inputs)
{
    Decision d;
    const std::vector<double> samples = withActivator(inputs);
    if (samples.empty()) {
        d.desiredPods = d.deciderPods = inputs.readyPods;
        d.next = inputs.state;
        d.panicking = inputs.state.panicking;
        d.reasons.push_back("no concurrency samples: no decision (metrics.ErrNoData)");
        return d;
    }
    d.valid = true;
    if (inputs.activatorRequests > 0.0)
        d.reasons.push_back("the activator reports " + num(inputs.activatorRequests)
                            + " requests it holds, added to the newest second");
    d.idleS = idleSeconds(inputs, samples);
    sizeFromWindows(config, inputs, samples, d);
    d.deciderPods = deciderCount(config, inputs, d);
    d.excessBurstCapacity = excessBurstCapacity(config, inputs, d);
    d.desiredPods = applyBounds(config, d.deciderPods, d.reasons);
    if (d.desiredPods == 0)
        d.desiredPods = scaleToZero(config, inputs, d);
    d.reasons.push_back("desired " + std::to_string(d.desiredPods) + " pods"
                        + (d.panicking ? " (panic mode)" : " (stable mode)"));
    return d;
}

} // namespace headroom::control::kpa
