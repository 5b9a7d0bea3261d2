#pragma once

#include "forecast/forecaster.h"

#include <nlohmann/json.hpp>
#include <string>

// Internal to forecast/: the `<model>.json` next to the weights.
namespace headroom::forecast {

// Version of the metadata layout and of the normalization rule it implies.
constexpr int kFormatVersion = 2;

// `<ptPath without .pt>.json` (or `<ptPath>.json` when it does not end in .pt).
std::string metadataPathFor(const std::string &ptPath);

// The fields every model carries; the trainer adds its recipe.
nlohmann::json metadataJson(const ModelInfo &info);

// SHA-256 of a file, lowercase hex; empty when it cannot be read.
std::string fileSha256(const std::string &path);

// Reads and checks the metadata of `ptPath`; throws InputError naming the .json.
ModelInfo readMetadata(const std::string &ptPath);

} // namespace headroom::forecast
