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

bool isValidModelLabel(const std::string &label)
{
    return !label.empty() && std::all_of(label.begin(), label.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
            || c == '_';
    });
}

std::optional<std::string> predictiveModelLabel(const std::string &name)
{
    const std::string prefix = kPredictiveLabelPrefix;
    if (name.size() < prefix.size() || name.compare(0, prefix.size(), prefix) != 0)
        return std::nullopt;
    return name.substr(prefix.size());
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
    if (const auto label = predictiveModelLabel(name)) {
        // The plain predictive lane, built from this lane's own model.
        ControllerEnvironment own = env;
        const auto it = env.labelledModels.find(*label);
        own.model = it != env.labelledModels.end() ? it->second.model : nullptr;
        own.modelError = it != env.labelledModels.end()
            ? it->second.error
            : "no model for '" + name + "' (give --models " + *label + "=FILE)";
        return makeController("predictive", own, unavailableReason);
    }
    if (name == "predictive") {
        // Without a model the lane still runs, on its reactive rule, and says why.
        PredictiveSettings settings;
        settings.minReplicas = std::max(1, env.cluster.minReplicas);
        settings.maxReplicas = env.cluster.maxReplicas;
        settings.podSlots = env.cluster.podSlots;
        return std::make_unique<PredictiveController>(env.model, settings,
                                                      env.cluster.meanPodStartS(),
                                                      env.initialReplicas,
                                                      env.model ? std::string() : env.modelError);
    }
    if (name == "clairvoyant") {
        ClairvoyantSettings settings;
        // The cheapest schedule: to zero in a quiet spell, when the cluster allows it (as
        // the KPA does), with the pods the next load needs started ahead of it.
        settings.minReplicas = std::max(0, env.cluster.minReplicas);
        settings.maxReplicas = env.cluster.maxReplicas;
        settings.routerQueueCapacity = env.cluster.routerQueueCapacity;
        settings.podQueueCapacity = env.cluster.podQueueCapacity;
        const sim::ClusterConfig &c = env.cluster;
        return std::make_unique<ClairvoyantController>(
            settings, c.meanPodStartS() * (1.0 + c.podStartJitter), c.podSlots, c.sloLatencyS);
    }
    unavailableReason = "unknown controller '" + name + "'";
    return nullptr;
}

} // namespace headroom::control
