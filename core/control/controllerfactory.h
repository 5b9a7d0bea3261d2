#pragma once

#include "control/controller.h"
#include "sim/clusterconfig.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace headroom::forecast {
class Forecaster;
}

namespace headroom::control {

// A loaded model, or why it could not be loaded.
struct LoadedModel
{
    std::shared_ptr<const forecast::Forecaster> model; // null when loading failed
    std::string error;
};

// What controllers are built from. `model` is null when the predictive model
// could not be loaded; `modelError` then says why. `labelledModels` holds the
// models of the `predictive-LABEL` lanes, by LABEL.
struct ControllerEnvironment
{
    sim::ClusterConfig cluster;
    std::uint64_t seed = 1;
    int initialReplicas = 1;
    std::shared_ptr<const forecast::Forecaster> model;
    std::string modelError;
    std::map<std::string, LoadedModel> labelledModels;
};

// A predictive lane with its own model is named "predictive-LABEL" (LABEL from
// --models LABEL=FILE): the same controller and settings as "predictive".
inline constexpr const char *kPredictiveLabelPrefix = "predictive-";
// LABEL is one or more of A-Z, a-z, 0-9 and _.
bool isValidModelLabel(const std::string &label);
// "predictive-LABEL" -> LABEL (valid or not); nullopt for every other name.
std::optional<std::string> predictiveModelLabel(const std::string &name);

// Controller names this build provides, in display order (without the
// "predictive-LABEL" lanes, which exist only when their model is given).
std::vector<std::string> availableControllers();
bool isKnownController(const std::string &name);

// Builds a controller. Returns null and sets `unavailableReason` when it
// cannot run (a predictive controller without a model; "predictive-LABEL"
// takes its model from env.labelledModels[LABEL]).
std::unique_ptr<Controller> makeController(const std::string &name,
                                           const ControllerEnvironment &env,
                                           std::string &unavailableReason);

} // namespace headroom::control
