#include "control/controllerfactory.h"

#include "control/clairvoyantcontroller.h"
#include "control/forecastinghpa.h"
#include "control/hpacontroller.h"
#include "control/kpacontroller.h"
#include "control/predictivecontroller.h"

#include <algorithm>

namespace headroom::control {

std::vector<std::string> availableControllers()
{
    return {"predictive", "hpa", "kpa", "linear", "holt-winters", "clairvoyant"};
}

bool isKnownController(const std::string &name)
{
    const auto names = availableControllers();
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::unique_ptr<Controller> makeController(const std::string &name,
                                           const ControllerEnvironment &env,
                                           std::string &unavailableReason)
{
    if (name == "hpa") {
        HpaSettings settings;
        // A CPU-utilization HPA cannot scale to zero (HPAScaleToZero covers only
        // object and external metrics); min 0 is for the KPA.
        settings.spec.minReplicas = std::max(1, env.cluster.minReplicas);
        settings.spec.maxReplicas = env.cluster.maxReplicas;
        settings.spec.targetUtilizationPercent = env.cluster.hpaTargetCpuPercent;
        if (env.cluster.hpa)
            settings.spec = *env.cluster.hpa; // the scenario's own HPA object
        settings.scrapePeriodS = env.cluster.metricResolutionS;
        return std::make_unique<HpaController>(settings, env.seed, env.initialReplicas);
    }
    if (name == "linear" || name == "holt-winters") {
        std::string unused;
        auto hpa = makeController("hpa", env, unused);
        const HpaSettings settings {static_cast<HpaController &>(*hpa).spec()};
        if (name == "linear")
            return std::make_unique<LinearHpaController>(settings, env.seed, env.initialReplicas);
        return std::make_unique<HoltWintersHpaController>(settings, env.seed, env.initialReplicas,
                                                          HoltWintersHpaController::Params {});
    }
    if (name == "kpa") {
        KpaSettings settings;
        settings.config.minScale = env.cluster.minReplicas;
        settings.config.maxScale = env.cluster.maxReplicas;
        settings.config.containerConcurrency = env.cluster.podSlots;
        return std::make_unique<KpaController>(settings, env.initialReplicas);
    }
    if (name == "predictive") {
        if (!env.model) {
            unavailableReason = env.modelError.empty() ? "no model loaded" : env.modelError;
            return nullptr;
        }
        PredictiveSettings settings;
        settings.minReplicas = std::max(1, env.cluster.minReplicas);
        settings.maxReplicas = env.cluster.maxReplicas;
        return std::make_unique<PredictiveController>(env.model, settings,
                                                      env.cluster.meanPodStartS(),
                                                      env.initialReplicas);
    }
    if (name == "clairvoyant") {
        ClairvoyantSettings settings;
        settings.minReplicas = std::max(1, env.cluster.minReplicas);
        settings.maxReplicas = env.cluster.maxReplicas;
        const sim::ClusterConfig &c = env.cluster;
        return std::make_unique<ClairvoyantController>(
            settings, c.meanPodStartS() * (1.0 + c.podStartJitter), c.podSlots, c.sloLatencyS);
    }
    unavailableReason = "unknown controller '" + name + "'";
    return nullptr;
}

} // namespace headroom::control
