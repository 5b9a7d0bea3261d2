#pragma once

#include "sim/clusterconfig.h"

#include <string>
#include <vector>

namespace headroom::sim {

struct Pod;

// What a controller reads of a cluster: the Deployment's replicas, its pods (phases, start
// and readiness times), the router's queue and the pods' CPU counters, as the API server,
// the kubelet and the router would report them. The simulated cluster is one; a remote
// cluster read through its API and metrics (cluster/remotecluster.h) is another, so the
// same controllers run on both.
class ClusterView
{
public:
    virtual ~ClusterView() = default;

    virtual double nowS() const = 0;
    virtual const ClusterConfig &config() const = 0;
    // The scale's spec.replicas.
    virtual int desiredReplicas() const = 0;
    virtual const std::vector<Pod> &pods() const = 0;
    // Requests waiting for a slot.
    virtual int queueLength() const = 0;
    // Mean service time (latency minus queue wait) of recent completions, seconds.
    virtual double observedServiceS() const = 0;
    // CPU a pod has used since creation, in core-seconds (cAdvisor's counter).
    virtual double cumulativeCpuCoreSeconds(const Pod &pod) const = 0;
    // The pod's name in what controllers say: "pod-N" in the simulator, the object's own
    // name on a cluster read through its API.
    virtual std::string podName(const Pod &pod) const;
};

} // namespace headroom::sim
