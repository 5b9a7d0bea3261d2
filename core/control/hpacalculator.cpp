#include "hpacalculator.h"

#include <algorithm>
#include <cmath>
#include <limits>

// Rules and their upstream sources are listed in docs/hpa.md. Times are seconds relative to the
// sync ("now" is 0, a pod started `startSAgo` seconds ago started at -startSAgo).
namespace headroom::control::hpa {

namespace {

constexpr const char *kAbleToScale = "AbleToScale";
constexpr const char *kScalingActive = "ScalingActive";
constexpr const char *kScalingLimited = "ScalingLimited";
constexpr const char *kDesiredWithinRange = "DesiredWithinRange";

struct PodGroups
{
    std::vector<const PodInfo *> ready; // R: counted, with a usable metric
    std::vector<const PodInfo *> unready;
    std::vector<const PodInfo *> missing;
};

struct Proposal
{
    int replicas = 0;
    double utilization = 0.0; // raw utilization of R, percent of request
};

struct Limited
{
    int replicas = 0;
    std::string reason = kDesiredWithinRange;
};

Condition makeCondition(const char *type, bool status, std::string reason, std::string message)
{
    return Condition {type, status ? "True" : "False", std::move(reason), std::move(message)};
}

int saturatingInt(double value)
{
    constexpr double top = static_cast<double>(std::numeric_limits<int>::max());
    constexpr double bottom = static_cast<double>(std::numeric_limits<int>::min());
    return static_cast<int>(std::clamp(value, bottom, top));
}

// replica_calculator.go groupPods, CPU branch: a sample taken while the pod was warming up (or
// before one full window had elapsed since it became Ready) would mislead the average.
bool isCpuUnready(const PodInfo &pod, const Spec &spec)
{
    const double start = -pod.startSAgo;
    const double transition = -pod.readyTransitionSAgo;
    const double sampleTime = -pod.metricAgeS;
    if (start + spec.cpuInitializationPeriodS > 0.0)
        return !pod.ready || sampleTime < transition + pod.metricWindowS;
    // Past initialisation: only a pod that never became Ready (its last transition falls within
    // the initial readiness delay) is set aside; a pod that was Ready and flapped still counts.
    return !pod.ready && start + spec.initialReadinessDelayS > transition;
}

PodGroups groupPods(const std::vector<PodInfo> &pods, const Spec &spec)
{
    PodGroups groups;
    for (const PodInfo &pod : pods) {
        if (pod.deleting || pod.phase == PodInfo::Phase::Failed)
            continue;
        if (pod.phase == PodInfo::Phase::Pending)
            groups.unready.push_back(&pod);
        else if (!pod.cpuUsageM)
            groups.missing.push_back(&pod);
        else if (isCpuUnready(pod, spec))
            groups.unready.push_back(&pod);
        else
            groups.ready.push_back(&pod);
    }
    return groups;
}

struct Totals
{
    double usageM = 0.0;
    double requestM = 0.0;
    int pods = 0;

    void add(double usage, double request)
    {
        usageM += usage;
        requestM += request;
        ++pods;
    }
    double utilization() const { return 100.0 * usageM / requestM; }
};

// Tolerances.isWithin (v1.33+): the band is written as bounds, not |1 - ratio| <= tol, so that
// both 0.9 and 1.1 stay inside in floating point.
bool withinTolerance(double ratio, double tolerance)
{
    return 1.0 - tolerance <= ratio && ratio <= 1.0 + tolerance;
}

bool flipsDirection(double before, double after)
{
    return (before < 1.0 && after > 1.0) || (before > 1.0 && after < 1.0);
}

// GetResourceReplicas, second half: pods without a usable sample are re-added with a pessimistic
// value so that they can only damp the move the ready pods ask for, never reverse it.
int dampedReplicas(
    const Spec &spec, int current, const PodGroups &groups, Totals totals, double ratio)
{
    const double target = spec.targetUtilizationPercent;
    if (ratio < 1.0) {
        const double fallback = std::max(100.0, target) / 100.0;
        for (const PodInfo *pod : groups.missing)
            totals.add(pod->cpuRequestM * fallback, pod->cpuRequestM);
    } else if (ratio > 1.0) {
        for (const PodInfo *pod : groups.missing)
            totals.add(0.0, pod->cpuRequestM);
        for (const PodInfo *pod : groups.unready)
            totals.add(0.0, pod->cpuRequestM);
    }
    const double ratio2 = totals.utilization() / target;
    if (withinTolerance(ratio2, spec.tolerance) || flipsDirection(ratio, ratio2))
        return current;
    const int replicas = saturatingInt(std::ceil(ratio2 * totals.pods));
    if ((ratio2 < 1.0 && replicas > current) || (ratio2 > 1.0 && replicas < current))
        return current;
    return replicas;
}

std::optional<Proposal> computeProposal(
    const Spec &spec, int current, const PodGroups &groups, std::string &error)
{
    Totals ready;
    for (const PodInfo *pod : groups.ready)
        ready.add(*pod->cpuUsageM, pod->cpuRequestM);
    if (ready.pods == 0) {
        error = "did not receive metrics for any ready pods";
        return std::nullopt;
    }
    if (ready.requestM <= 0.0 || spec.targetUtilizationPercent <= 0.0) {
        error = "no CPU request or target to compute a utilization against";
        return std::nullopt;
    }
    // TODO: upstream truncates the utilization to an integer percent before dividing by the
    // target (GetResourceUtilizationRatio); the reference's formula is unrounded, so we are too.
    const double utilization = ready.utilization();
    const double ratio = utilization / spec.targetUtilizationPercent;
    const bool scaleUpWithUnready = !groups.unready.empty() && ratio > 1.0;
    if (!scaleUpWithUnready && groups.missing.empty()) {
        if (withinTolerance(ratio, spec.tolerance))
            return Proposal {current, utilization};
        return Proposal {saturatingInt(std::ceil(ratio * ready.pods)), utilization};
    }
    return Proposal {dampedReplicas(spec, current, groups, ready, ratio), utilization};
}

// Recommendations are compared with `<=` on the legacy path (a sample is dropped only when it is
// Before the cutoff) and with `<` on the behaviour path (kept only when After the cutoff).
int maxRecommendation(const History &history, int proposal, double windowS, bool inclusive)
{
    int best = proposal;
    for (const History::Recommendation &rec : history.recommendations) {
        if (rec.sAgo < windowS || (inclusive && rec.sAgo == windowS))
            best = std::max(best, rec.replicas);
    }
    return best;
}

int minRecommendation(const History &history, int proposal, double windowS)
{
    int best = proposal;
    for (const History::Recommendation &rec : history.recommendations) {
        if (rec.sAgo < windowS)
            best = std::min(best, rec.replicas);
    }
    return best;
}

// convertDesiredReplicasWithRules: the absolute cap guards against bogus CPU spikes (#32304).
Limited limitLegacy(int current, int recommendation, int minReplicas, int maxReplicas)
{
    const int cap = std::max(2 * current, 4);
    const bool capBinds = maxReplicas > cap;
    const int maxAllowed = capBinds ? cap : maxReplicas;
    if (recommendation < minReplicas)
        return {minReplicas, "TooFewReplicas"};
    if (recommendation > maxAllowed)
        return {maxAllowed, capBinds ? "ScaleUpLimit" : "TooManyReplicas"};
    return {recommendation, kDesiredWithinRange};
}

std::string limitMessage(const std::string &reason)
{
    if (reason == "ScaleUpLimit")
        return "the desired replica count is increasing faster than the maximum scale rate";
    if (reason == "ScaleDownLimit")
        return "the desired replica count is decreasing faster than the maximum scale rate";
    if (reason == "TooManyReplicas")
        return "the desired replica count is more than the maximum replica count";
    if (reason == "TooFewReplicas")
        return "the desired replica count is less than the minimum replica count";
    return "the desired count is within the acceptable range";
}

void addNormalizationConditions(Decision &decision, int proposal, int recommendation,
    const std::string &stabilizedReason, const Limited &limited)
{
    if (recommendation != proposal)
        decision.conditions.push_back(makeCondition(kAbleToScale, true, stabilizedReason,
            recommendation > proposal ? "recent recommendations were higher than current one, "
                                        "applying the highest recent recommendation"
                                      : "recent recommendations were lower than current one, "
                                        "applying the lowest recent recommendation"));
    else
        decision.conditions.push_back(makeCondition(
            kAbleToScale, true, "ReadyForNewScale", "recommended size matches current size"));
    decision.conditions.push_back(makeCondition(kScalingActive, true, "ValidMetricFound",
        "the HPA was able to successfully calculate a replica count from cpu "
        "resource utilization (percentage of request)"));
    decision.conditions.push_back(makeCondition(kScalingLimited, limited.replicas != recommendation,
        limited.reason, limitMessage(limited.reason)));
}

void normalizeLegacy(const Spec &spec, int current, const History &history, Decision &decision)
{
    const int proposal = decision.proposedReplicas;
    const int recommendation
        = maxRecommendation(history, proposal, spec.downscaleStabilizationS, true);
    const Limited limited
        = limitLegacy(current, recommendation, spec.minReplicas, spec.maxReplicas);
    decision.desiredReplicas = limited.replicas;
    addNormalizationConditions(decision, proposal, recommendation, "ScaleDownStabilized", limited);
}

// getReplicasChangePerPeriod keeps events strictly After(now - period).
int replicasChangedWithin(const History &history, double periodS, bool added)
{
    int sum = 0;
    for (const History::ScaleEvent &event : history.scaleEvents) {
        if (event.sAgo >= periodS)
            continue;
        if (added && event.change > 0)
            sum += event.change;
        if (!added && event.change < 0)
            sum -= event.change;
    }
    return sum;
}

// Each policy is measured from the replica count at the start of its own period, so a scale
// already made inside the period uses up part of that period's allowance.
long long policyLimit(const Policy &policy, int current, const History &history, bool up)
{
    const long long start = up ? current - replicasChangedWithin(history, policy.periodS, true)
                               : current + replicasChangedWithin(history, policy.periodS, false);
    const double fraction = policy.value / 100.0;
    if (policy.type == Policy::Type::Pods)
        return up ? start + policy.value : start - policy.value;
    // Up rounds up so that a small percentage still adds a pod; down truncates as upstream's
    // int32() conversion does (floor for the non-negative counts that occur).
    if (up)
        return static_cast<long long>(std::ceil(static_cast<double>(start) * (1.0 + fraction)));
    return static_cast<long long>(std::floor(static_cast<double>(start) * (1.0 - fraction)));
}

// Select Max means "allow the most change": the highest limit up, the lowest limit down.
int rateLimit(const ScalingRules &rules, int current, const History &history, bool up)
{
    if (rules.select == ScalingRules::Select::Disabled || rules.policies.empty())
        return current;
    const bool takeMax = (rules.select == ScalingRules::Select::Max) == up;
    long long result = policyLimit(rules.policies.front(), current, history, up);
    for (const Policy &policy : rules.policies) {
        const long long limit = policyLimit(policy, current, history, up);
        result = takeMax ? std::max(result, limit) : std::min(result, limit);
    }
    const int limit = saturatingInt(static_cast<double>(result));
    return up ? std::max(limit, current) : std::min(limit, current);
}

// convertDesiredReplicasWithBehaviorRate: only the limit for the direction of the move applies.
Limited limitWithBehavior(const Spec &spec, const Behavior &behavior, int current,
    int recommendation, const History &history)
{
    if (recommendation > current) {
        const int upLimit = rateLimit(behavior.scaleUp, current, history, true);
        const bool rateBinds = spec.maxReplicas > upLimit;
        const int maxAllowed = rateBinds ? upLimit : spec.maxReplicas;
        if (recommendation > maxAllowed)
            return {maxAllowed, rateBinds ? "ScaleUpLimit" : "TooManyReplicas"};
    } else if (recommendation < current) {
        const int downLimit = rateLimit(behavior.scaleDown, current, history, false);
        const bool rateBinds = spec.minReplicas < downLimit;
        const int minAllowed = rateBinds ? downLimit : spec.minReplicas;
        if (recommendation < minAllowed)
            return {minAllowed, rateBinds ? "ScaleDownLimit" : "TooFewReplicas"};
    }
    return {recommendation, kDesiredWithinRange};
}

void normalizeWithBehavior(const Spec &spec, const Behavior &behavior, int current,
    const History &history, Decision &decision)
{
    const int proposal = decision.proposedReplicas;
    // The window picks by the proposal's direction (reference 1.3): a rolling min of recent
    // recommendations before scaling up, a rolling max before scaling down; not a cooldown.
    // TODO: newer upstream clamps current into [min(up window), max(down window)] and counts a
    // period's start as current - added + removed in both directions; the reference (followed
    // here) has the v2beta2-era form. They differ only when recommendations lie across current
    // or both directions scaled within one period (docs/hpa.md); check against a current release.
    const bool up = proposal >= current;
    const int recommendation = up
        ? minRecommendation(history, proposal, behavior.scaleUp.stabilizationWindowS)
        : maxRecommendation(history, proposal, behavior.scaleDown.stabilizationWindowS, false);
    const Limited limited = limitWithBehavior(spec, behavior, current, recommendation, history);
    decision.desiredReplicas = limited.replicas;
    addNormalizationConditions(decision, proposal, recommendation,
        up ? "ScaleUpStabilized" : "ScaleDownStabilized", limited);
}

void normalize(const Spec &spec, int current, const History &history, Decision &decision)
{
    if (spec.behavior)
        normalizeWithBehavior(spec, *spec.behavior, current, history, decision);
    else
        normalizeLegacy(spec, current, history, decision);
}

// horizontal.go reconcileAutoscaler: out-of-range counts are rescaled to the bound without
// looking at metrics. Upstream leaves ScalingLimited as it was; we report the bound that applied.
std::optional<Decision> outerGuard(const Spec &spec, int current)
{
    Decision decision;
    decision.conditions.push_back(makeCondition(
        kAbleToScale, true, "SucceededGetScale", "the HPA controller was able to get the scale"));
    if (current == 0 && spec.minReplicas != 0) {
        decision.conditions.push_back(makeCondition(kScalingActive, false, "ScalingDisabled",
            "scaling is disabled since the replica count of the target is zero"));
        return decision;
    }
    if (current > spec.maxReplicas) {
        decision.desiredReplicas = spec.maxReplicas;
        decision.conditions.push_back(makeCondition(
            kScalingLimited, true, "TooManyReplicas", "current replicas above maxReplicas"));
    } else if (current < spec.minReplicas) {
        decision.desiredReplicas = spec.minReplicas;
        decision.conditions.push_back(makeCondition(
            kScalingLimited, true, "TooFewReplicas", "current replicas below minReplicas"));
    } else {
        return std::nullopt;
    }
    decision.proposedReplicas = decision.desiredReplicas;
    return decision;
}

Decision noMetric(int current, const std::string &error)
{
    Decision decision;
    decision.desiredReplicas = current;
    decision.proposedReplicas = current;
    decision.conditions.push_back(makeCondition(
        kAbleToScale, true, "SucceededGetScale", "the HPA controller was able to get the scale"));
    decision.conditions.push_back(makeCondition(kScalingActive, false, "FailedGetResourceMetric",
        "the HPA was unable to compute the replica count: " + error));
    return decision;
}

} // namespace

Behavior defaultBehavior(double downscaleStabilizationS)
{
    Behavior behavior;
    behavior.scaleUp.stabilizationWindowS = 0.0;
    behavior.scaleUp.select = ScalingRules::Select::Max;
    behavior.scaleUp.policies = {{Policy::Type::Pods, 4, 15.0}, {Policy::Type::Percent, 100, 15.0}};
    behavior.scaleDown.stabilizationWindowS = downscaleStabilizationS;
    behavior.scaleDown.select = ScalingRules::Select::Max;
    behavior.scaleDown.policies = {{Policy::Type::Percent, 100, 15.0}};
    return behavior;
}

Decision decide(
    const Spec &spec, int currentReplicas, const std::vector<PodInfo> &pods, const History &history)
{
    if (std::optional<Decision> guarded = outerGuard(spec, currentReplicas))
        return *guarded;

    const PodGroups groups = groupPods(pods, spec);
    std::string error;
    const std::optional<Proposal> proposal = computeProposal(spec, currentReplicas, groups, error);
    if (!proposal)
        return noMetric(currentReplicas, error);

    Decision decision;
    decision.proposedReplicas = proposal->replicas;
    decision.utilizationPercent = proposal->utilization;
    decision.readyPodsCounted = static_cast<int>(groups.ready.size());
    decision.metricsAvailable = true;
    normalize(spec, currentReplicas, history, decision);
    return decision;
}

Decision normalizeProposal(const Spec &spec, int currentReplicas, int proposal,
    const History &history)
{
    if (std::optional<Decision> guarded = outerGuard(spec, currentReplicas))
        return *guarded;
    Decision decision;
    decision.proposedReplicas = proposal;
    decision.metricsAvailable = true;
    normalize(spec, currentReplicas, history, decision);
    return decision;
}

} // namespace headroom::control::hpa
