#include "sim/clusterconfig.h"

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
        return true;
    }
    return false;
}

} // namespace headroom::sim
