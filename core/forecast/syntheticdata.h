#pragma once

#include <cstdint>
#include <string>
#include <vector>

// Internal to forecast/: the training windows, generated without LibTorch.
namespace headroom::forecast {

// Row-major samples: kInputs features and kHorizonsS.size() targets per window.
struct Dataset
{
    int rows = 0;
    std::vector<float> features;
    std::vector<float> targets;
};

// Exactly `samples` windows of ramps, spikes and periodic load with Poisson
// noise and queueing latency, reproducible from `seed` (std::mt19937_64).
Dataset generateDataset(int samples, std::uint64_t seed);

// A one-paragraph description of the recipe, for the metadata file.
std::string dataRecipeText();

} // namespace headroom::forecast
