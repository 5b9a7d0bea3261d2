#pragma once

// Internal to forecast/: includes LibTorch, so only forecast/*.cpp may include it.
#include "forecast/forecaster.h"
#include "forecast/forecastnet.h"

namespace headroom::forecast {

struct Forecaster::Impl
{
    ModelInfo info;
    ForecastNet net {nullptr}; // in eval() mode
};

} // namespace headroom::forecast
