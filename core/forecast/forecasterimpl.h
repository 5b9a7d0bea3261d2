#pragma once

// Internal to forecast/: includes LibTorch, so only forecast/*.cpp may include it.
#include "forecast/forecaster.h"
#include "forecast/forecastnet.h"

namespace headroom::forecast {

struct Forecaster::Impl
{
    ModelInfo info;
    ForecastNet net {nullptr}; // in eval() mode
    // Its layers' weights (transposed views) and biases, in order, for inference without the
    // module's per-call bookkeeping: the same addmm that torch::nn::Linear runs.
    std::vector<torch::Tensor> weightsT;
    std::vector<torch::Tensor> biases;
};

} // namespace headroom::forecast
