#pragma once

#include "control/controller.h"
#include "sim/clusterconfig.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace headroom::forecast {
class Forecaster;
}

namespace headroom::control {

// What controllers are built from. `model` is null when the predictive model
// could not be loaded; `modelError` then says why.
struct ControllerEnvironment
{
    sim::ClusterConfig cluster;
    std::uint64_t seed = 1;
    int initialReplicas = 1;
    std::shared_ptr<const forecast::Forecaster> model;
    std::string modelError;
};

// Controller names this build provides, in display order.
std::vector<std::string> availableControllers();
bool isKnownController(const std::string &name);

// Builds a controller. Returns null and sets `unavailableReason` when it
// cannot run (the predictive controller without a model).
std::unique_ptr<Controller> makeController(const std::string &name,
                                           const ControllerEnvironment &env,
                                           std::string &unavailableReason);

} // namespace headroom::control
