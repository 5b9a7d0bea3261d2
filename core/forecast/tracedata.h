#pragma once

#include "traffic/traceslice.h"

#include <cstdint>
#include <vector>

// Internal to forecast/: an operator's trace as the observed rate per kStepS step.
namespace headroom::forecast {

// Request rate (req/s) per kStepS step of replay time (trace time / compression), as
// the router would count it: per-request traces are binned; per-interval counts are
// spread evenly over their interval and each step's count is a Poisson draw from
// `seed`. A step that overlaps a missing interval is NaN.
std::vector<double> traceStepRates(const traffic::LoadedTrace &trace, std::uint64_t seed);

} // namespace headroom::forecast
