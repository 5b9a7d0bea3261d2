#pragma once

#include <optional>
#include <string>
#include <vector>

// The Kubernetes autoscaling/v2 HPA decision for a CPU utilization target, as a
// pure function of one sync's inputs (pkg/controller/podautoscaler:
// replica_calculator.go and horizontal.go). See ../shared/reference/autoscalers.md.
namespace headroom::control::hpa {

struct Policy
{
    enum class Type { Pods, Percent };
    Type type = Type::Pods;
    int value = 0;
    double periodS = 15.0;
};

struct ScalingRules
{
    enum class Select { Max, Min, Disabled };
    double stabilizationWindowS = 0.0;
    Select select = Select::Max;
    std::vector<Policy> policies;
};

struct Behavior
{
    ScalingRules scaleUp;
    ScalingRules scaleDown;
};

// Upstream defaults: up: window 0, Max of {Pods 4 / 15 s, Percent 100 / 15 s};
// down: window `downscaleStabilizationS`, Max of {Percent 100 / 15 s}.
Behavior defaultBehavior(double downscaleStabilizationS = 300.0);

struct Spec
{
    double targetUtilizationPercent = 50.0;
    double tolerance = 0.1;
    int minReplicas = 1;
    int maxReplicas = 20;
    std::optional<Behavior> behavior; // absent: the legacy path, cap max(2N, 4)
    double downscaleStabilizationS = 300.0; // legacy path's window
    double cpuInitializationPeriodS = 300.0;
    double initialReadinessDelayS = 30.0;
};

struct PodInfo
{
    enum class Phase { Running, Pending, Failed };
    std::string name;
    Phase phase = Phase::Running;
    bool ready = true;
    bool deleting = false;
    double cpuRequestM = 1000.0;
    std::optional<double> cpuUsageM;  // absent: no metric for this pod
    double startSAgo = 0.0;           // pod start time, seconds before now
    double readyTransitionSAgo = 0.0; // last Ready condition transition, seconds before now
    double metricAgeS = 0.0;          // the sample's timestamp, seconds before now
    double metricWindowS = 15.0;      // the sample's averaging window
};

struct History
{
    struct Recommendation
    {
        double sAgo = 0.0;
        int replicas = 0;
    };
    struct ScaleEvent
    {
        double sAgo = 0.0;
        int change = 0; // +added or -removed
    };
    std::vector<Recommendation> recommendations;
    std::vector<ScaleEvent> scaleEvents;
};

struct Condition
{
    std::string type;   // AbleToScale, ScalingActive, ScalingLimited
    std::string status; // "True" or "False"
    std::string reason;
    std::string message;
};

struct Decision
{
    int desiredReplicas = 0;  // after behaviour, stabilization and limits
    int proposedReplicas = 0; // the metric's proposal, before behaviour and limits
    std::optional<double> utilizationPercent; // raw utilization of ready pods with metrics
    int readyPodsCounted = 0;
    bool metricsAvailable = false; // false: no ready pod had a metric, no action
    std::vector<Condition> conditions;
};

// One sync. `currentReplicas` is the scale's spec.replicas.
Decision decide(const Spec &spec, int currentReplicas, const std::vector<PodInfo> &pods,
                const History &history);

// Behaviour, stabilization and limits applied to a proposal from elsewhere
// (a forecasting HPA's candidate), as decide() applies them to its own.
Decision normalizeProposal(const Spec &spec, int currentReplicas, int proposal,
                           const History &history);

} // namespace headroom::control::hpa
