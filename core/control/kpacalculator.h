#pragma once

#include <optional>
#include <string>
#include <vector>

// The Knative Pod Autoscaler's decision for one 2 s tick on the concurrency metric, as a pure
// function of the config, the per-second concurrency samples and the decider's panic state
// (knative/serving pkg/autoscaler/scaling/autoscaler.go, with the window averages of
// pkg/autoscaler/aggregation/bucketing.go and the scale-to-zero rules of
// pkg/reconciler/autoscaling/kpa/scaler.go). See ../shared/reference/autoscalers.md section 2.
namespace headroom::control::kpa {

enum class Aggregation { Linear, WeightedExponential };

// config-autoscaler keys and the revision's settings, with upstream defaults.
struct Config
{
    double stableWindowS = 60.0;            // stable-window: 6 s .. 1 h, whole seconds
    double panicWindowPercentage = 10.0;    // panic-window-percentage: 1 .. 100
    double panicThresholdPercentage = 200.0; // panic-threshold-percentage: 110 .. 1000
    int containerConcurrency = 0;           // the revision's hard limit; 0 = unlimited
    double containerConcurrencyTargetDefault = 100.0; // soft target when the limit is 0
    double targetUtilizationPercentage = 70.0; // container-concurrency-target-percentage
    double target = 0.0;                    // autoscaling.knative.dev/target; 0 = not set
    double maxScaleUpRate = 1000.0;
    double maxScaleDownRate = 2.0;
    double targetBurstCapacity = 211.0;     // -1 = unlimited (activator always in the path)
    int minScale = 0;
    int maxScale = 0;                       // 0 = unbounded
    bool enableScaleToZero = true;
    double scaleToZeroGracePeriodS = 30.0;
    double scaleToZeroPodRetentionPeriodS = 0.0;
    bool reachable = true;                  // a route sends traffic to the revision
    Aggregation aggregation = Aggregation::Linear;
    // TODO: scale-down-delay (default 0) is not modelled: it needs the decider's recent
    // desired counts as input, and no scenario here sets it.

    // How many 1 s buckets each window holds (upstream rounds window / 1 s up).
    int stableBuckets() const;
    int panicBuckets() const;
    // target = total * utilization, never below autoscaling.TargetMin (0.01).
    double targetPerPod() const;
    double totalPerPod() const;
};

// The decider's memory between ticks (autoscaler.go: panicTime, maxPanicPods).
struct State
{
    bool panicking = false;
    double panicStartedSAgo = 0.0; // since panicTime was last set: on entry, refreshed on
                                   // every tick over the threshold
    int maxPanicPods = 0;
};

// The state of a freshly created (or restarted, history lost) autoscaler: in panic holding
// the current count when more than one pod is ready (knative/serving#4795).
State startState(int readyPods);

struct Inputs
{
    std::vector<double> concurrency; // per-second averages, oldest first; the last is now
    int readyPods = 0;
    // Requests the activator holds now and pushes to the autoscaler (upstream's Poke while the
    // revision is at zero); they add to the newest second's bucket.
    double activatorRequests = 0.0;
    // Seconds the revision has had no traffic; at least the trailing zero samples.
    std::optional<double> idleS;
    State state;
};

struct Decision
{
    bool valid = false;       // false: no samples, upstream makes no decision (ErrNoData)
    int desiredPods = 0;      // what the scaler applies: decider, bounds, scale-to-zero
    int deciderPods = 0;      // autoscaler.go's DesiredPodCount
    double stableConcurrency = 0.0;
    double panicConcurrency = 0.0;
    double targetPerPod = 0.0;
    int stableDesired = 0;    // ceil(stable / target), before the rate limits
    int panicDesired = 0;     // ceil(panic / target), before the rate limits
    int maxScaleUp = 0;       // ceil(ready * max-scale-up-rate)
    int maxScaleDown = 0;     // floor(ready / max-scale-down-rate), 0 when unreachable
    bool overThreshold = false;
    bool panicking = false;
    bool enteringPanic = false;
    bool leavingPanic = false;
    int excessBurstCapacity = 0;
    double idleS = 0.0;
    State next;               // the state after this tick
    std::vector<std::string> reasons;
};

// The window average upstream's buckets return for `samples` (oldest first, the last is now).
double windowAverage(const std::vector<double> &samples, int buckets, Aggregation aggregation);

// One tick.
Decision decide(const Config &config, const Inputs &inputs);

} // namespace headroom::control::kpa
