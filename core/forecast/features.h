#pragma once

#include "forecast/forecaster.h"

#include <array>
#include <string>

// Internal to forecast/: the one place that turns a window into network inputs,
// shared by the synthetic data and by inference so both scale alike.
namespace headroom::forecast {

// Network inputs: the window's rates, then its latencies, then log10 of the scale (how noisy
// the rates are: Poisson noise dominates at low rates).
constexpr int kInputs = 2 * kWindow + 1;
// Seconds per step of the window and of the horizons.
constexpr double kStepS = 5.0;
// Forecast horizons, seconds after the window's end.
constexpr std::array<double, 6> kHorizonsS = {5.0, 10.0, 15.0, 20.0, 25.0, 30.0};
// Smallest normalization scale, req/s: keeps an idle window from dividing by ~0.
constexpr double kMinScale = 0.1;
// Latency divisor before log1p, ms.
constexpr double kLatencyUnitMs = 100.0;
// Latency ceiling, ms: longer (or infinite) latencies read as this.
constexpr double kLatencyCapMs = 10000.0;
// Below this rate (req/s, under one request per step) a NaN latency means idle.
constexpr double kIdleRatePerS = 0.2;

// The rule above in words, stored in ModelInfo and the metadata file.
std::string normalizationText();
std::string inputsText();

// Writes kInputs features and returns the scale that outputs are multiplied by.
double encodeFeatures(const ForecastInput &input, float *features);

} // namespace headroom::forecast
