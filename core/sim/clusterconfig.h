#pragma once

#include "control/hpacalculator.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace headroom::sim {

// The simulated cluster's parameters (DESIGN.md section 2). Defaults are the
// small model server; presets change several together.
struct ClusterConfig
{
    double serviceMeanS = 0.150; // lognormal service time
    double serviceCv = 0.3;
    // Token-driven service time, used when a trace carries token counts:
    // base + context * perContextToken + generated * perGeneratedToken.
    double tokenBaseS = 0.010;
    double perContextTokenS = 0.00002;
    double perGeneratedTokenS = 0.0005;

    int routerQueueCapacity = 1000;
    double clientTimeoutS = 10.0;
    int podSlots = 1;
    double podCpuRequestM = 1000.0;
    double podIdleCpuM = 20.0;
    double podPendingS = 1.0;
    double podStartingS = 10.0;
    double podStartJitter = 0.2; // uniform +-20 % on each phase
    int minReplicas = 1;
    int maxReplicas = 20;
    int initialReplicas = 0; // 0: the pods the initial load needs
    double sloLatencyS = 0.5;

    // Faults real clusters show (../shared/cases C1 to C3), all off by default.
    double bootCpuS = 0.0;         // a started pod burns bootCpuM for this long (JIT, model load)
    double bootCpuM = 1000.0;
    int podQueueCapacity = 0;      // requests a pod queues itself beyond its slots
    double readinessMaxQueueDelayS = 0.0; // > 0: a pod fails readiness while its queue is older
    double metricsStartDelayS = 0.0;      // a new pod reports no CPU sample for this long
    double scrapeMissProbability = 0.0;   // a pod misses a metrics-server scrape
    // metrics-server --metric-resolution: 15 s as its manifests deploy it, 60 s as the binary defaults.
    double metricResolutionS = 15.0;

    // The HPA's target (autoscaling/v2 averageUtilization).
    double hpaTargetCpuPercent = 50.0;
    // A scenario's whole HPA object ("hpa" block: behavior, tolerance, ...);
    // absent: upstream defaults with the target above.
    std::optional<control::hpa::Spec> hpa;

    // The preset the fields above started from (applyPreset), for a run's summary.
    std::string preset = "default";

    double meanPodStartS() const { return podPendingS + podStartingS; }
};

// Said when the SLO is below the service time's 95th percentile (lognormal, from its mean
// and cv): more than 5 % of requests then violate it with every pod idle, however many run,
// and every lane reads as failing. Empty otherwise.
std::string unmeetableSloNote(const ClusterConfig &config);

// The fields a scenario's "cluster" object sets, in its keys and units (milliseconds where the
// key says so), every one of them: with the preset, what reproduces the cluster.
std::vector<std::pair<std::string, double>> clusterFields(const ClusterConfig &config);

// "default" or "llm" (120 s pod start, token-driven service times).
// Returns false for an unknown name.
bool applyPreset(const std::string &name, ClusterConfig &config);

} // namespace headroom::sim
