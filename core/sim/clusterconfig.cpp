#include "sim/clusterconfig.h"

#include <cmath>

namespace headroom::sim {

bool applyPreset(const std::string &name, ClusterConfig &config)
{
    if (name == "default" || name.empty()) {
        // What "llm" sets, back to the small model server's: a preset is the whole of it.
        const ClusterConfig small;
        config.podPendingS = small.podPendingS;
        config.podStartingS = small.podStartingS;
        config.serviceMeanS = small.serviceMeanS;
        config.serviceCv = small.serviceCv;
        config.tokenBaseS = small.tokenBaseS;
        config.perContextTokenS = small.perContextTokenS;
        config.perGeneratedTokenS = small.perGeneratedTokenS;
        config.clientTimeoutS = small.clientTimeoutS;
        config.sloLatencyS = small.sloLatencyS;
        config.preset = "default";
        return true;
    }
    if (name == "llm") {
        // A large model server: about two minutes from scheduling to Ready,
        // service times driven by token counts (mean about 1.5 s without tokens).
        config.podPendingS = 1.0;
        config.podStartingS = 119.0;
        config.serviceMeanS = 1.5;
        config.serviceCv = 0.6;
        config.tokenBaseS = 0.05;
        config.perContextTokenS = 0.0002;
        config.perGeneratedTokenS = 0.01;
        config.clientTimeoutS = 60.0;
        config.sloLatencyS = 5.0;
        config.preset = "llm";
        return true;
    }
    return false;
}

std::string unmeetableSloNote(const ClusterConfig &c)
{
    const double sigma = std::sqrt(std::log1p(c.serviceCv * c.serviceCv));
    const double p95S = c.serviceMeanS * std::exp(-0.5 * sigma * sigma + 1.6448536269514722 * sigma);
    if (!(c.sloLatencyS < p95S))
        return {};
    const auto ms = [](double s) { return std::to_string(std::llround(s * 1000.0)); };
    return "the SLO of " + ms(c.sloLatencyS) + " ms is below the service time's 95th percentile ("
        + ms(p95S) + " ms, of a mean of " + ms(c.serviceMeanS) + " ms): more than 5 % of requests "
        + "violate it with every pod idle, however many pods run";
}

std::vector<std::pair<std::string, double>> clusterFields(const ClusterConfig &c)
{
    // Seconds back to the milliseconds a file gave: 3.5, not 3.5000000000000004.
    const auto ms = [](double s) { return std::round(s * 1e12) / 1e9; };
    return {{"service_mean_ms", ms(c.serviceMeanS)}, {"service_cv", c.serviceCv},
        {"pod_slots", c.podSlots}, {"pod_pending_s", c.podPendingS},
        {"pod_starting_s", c.podStartingS}, {"min_replicas", c.minReplicas},
        {"max_replicas", c.maxReplicas}, {"initial_replicas", c.initialReplicas},
        {"slo_latency_ms", ms(c.sloLatencyS)},
        {"router_queue_capacity", c.routerQueueCapacity}, {"client_timeout_s", c.clientTimeoutS},
        {"boot_cpu_s", c.bootCpuS}, {"boot_cpu_m", c.bootCpuM},
        {"pod_queue_capacity", c.podQueueCapacity},
        {"readiness_max_queue_delay_ms", ms(c.readinessMaxQueueDelayS)},
        {"metrics_start_delay_s", c.metricsStartDelayS},
        {"scrape_miss_probability", c.scrapeMissProbability},
        {"hpa_target_cpu_percent", c.hpaTargetCpuPercent},
        {"metric_resolution_s", c.metricResolutionS}};
}

} // namespace headroom::sim
