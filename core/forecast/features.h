#pragma once

#include "forecast/forecaster.h"

#include <array>
#include <string>

// Internal to forecast/: the one place that turns a window into network inputs,
// shared by the training data and by inference so both scale alike.
namespace headroom::forecast {

// Network inputs: the window's rates, its latencies, log10 of the scale (how noisy the
// rates are: Poisson noise dominates at low rates), the window's trend and the longer
// context's level.
constexpr int kInputs = 2 * kWindow + 3;
// Forecast horizons, seconds after the window's end: up to three minutes, so a pod that
// takes two minutes to start still has its serving window covered.
constexpr std::array<double, 11> kHorizonsS
    = {5.0, 10.0, 15.0, 20.0, 30.0, 45.0, 60.0, 90.0, 120.0, 150.0, 180.0};
constexpr int kHorizons = static_cast<int>(kHorizonsS.size());
// The quantiles the network outputs, p50 block first.
constexpr std::array<double, 2> kQuantiles = {0.5, 0.9};
constexpr int kOutputs = kHorizons * static_cast<int>(kQuantiles.size());
// Smallest normalization scale, req/s: keeps an idle window from dividing by ~0.
constexpr double kMinScale = 0.1;
// Latency divisor before log1p, ms.
constexpr double kLatencyUnitMs = 100.0;
// Latency ceiling, ms: longer (or infinite) latencies read as this.
constexpr double kLatencyCapMs = 10000.0;
// Below this rate (req/s, under one request per step) a NaN latency means idle.
constexpr double kIdleRatePerS = 0.2;
// Bounds of the trend (per window, relative to scale) and context (log ratio) inputs.
constexpr double kMaxTrend = 5.0;
constexpr double kMaxContextLog = 3.0;

// The rule above in words, stored in ModelInfo and the metadata file.
std::string normalizationText();
std::string inputsText();
std::string outputsText();

// Writes kInputs features and returns the scale that outputs are multiplied by.
double encodeFeatures(const ForecastInput &input, float *features);

} // namespace headroom::forecast
