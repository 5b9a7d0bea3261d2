#include "control/controllerfactory.h"

#include "control/hpacontroller.h"
#include "control/predictivecontroller.h"

#include <algorithm>

namespace headroom::control {

std::vector<std::string> availableControllers()
{
    // TODO: kpa, clairvoyant, linear and holt-winters come with issues 3 and 4.
    return {"predictive", "hpa"};
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
        settings.spec.minReplicas = env.cluster.minReplicas;
        settings.spec.maxReplicas = env.cluster.maxReplicas;
        return std::make_unique<HpaController>(settings, env.seed, env.initialReplicas);
    }
    if (name == "predictive") {
        if (!env.model) {
            unavailableReason = env.modelError.empty() ? "no model loaded" : env.modelError;
            return nullptr;
        }
        PredictiveSettings settings;
        settings.minReplicas = env.cluster.minReplicas;
        settings.maxReplicas = env.cluster.maxReplicas;
        return std::make_unique<PredictiveController>(env.model, settings,
                                                      env.cluster.meanPodStartS(),
                                                      env.initialReplicas);
    }
    unavailableReason = "unknown controller '" + name + "'";
    return nullptr;
}

} // namespace headroom::control
