#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

// Internal to forecast/: the training windows, generated without LibTorch.
namespace headroom::forecast {

// Row-major samples: kInputs features and kHorizons targets (future rate / scale) per
// window, and the family each window came from.
struct Dataset
{
    int rows = 0;
    std::vector<float> features;
    std::vector<float> targets;
    std::vector<int> family;              // index into familyNames
    std::vector<std::string> familyNames;

    int familyIndex(const std::string &name); // adds the name when new
    void append(const Dataset &other);
};

// Exactly `samples` windows drawn from the synthetic families (ramps, spikes, periodic
// and diurnal load, bursts, heavy-tailed noise, steady load) with Poisson noise and
// queueing latency, reproducible from `seed` (std::mt19937_64).
Dataset generateDataset(int samples, std::uint64_t seed);

// Windows cut from an observed rate series (req/s per kStepS step, in time order; NaN
// marks a gap), one every `strideSteps` steps whose window ends in [fromStep, toStep)
// and whose window, context and horizons hold no gap. Latency comes from the same
// queueing model as the synthetic windows, with capacity and service time drawn from
// `rng`. All rows get the family `family`.
Dataset windowsFromSeries(const std::vector<double> &stepRates, int fromStep, int toStep,
    int strideSteps, std::mt19937_64 &rng, const std::string &family);

// Steps a window needs after its end: the longest horizon.
int horizonSteps();

// A one-paragraph description of the recipe, for the metadata file.
std::string dataRecipeText();

} // namespace headroom::forecast
