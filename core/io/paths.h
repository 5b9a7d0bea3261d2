#pragma once

#include <string>

namespace headroom::io {

// Finds a shipped file (e.g. "models/predictive.pt", "resources/traces/x.csv"):
// under $HEADROOM_DATA_DIR, the share/headroom next to the running program's bin/
// (an installed tree), the configured install prefix's share/headroom, then the
// source tree.
// Returns the first that exists, else the source-tree path (so errors name it).
std::string findDataFile(const std::string &relative);

// What a bare file name is looked up as among the shipped data.
enum class DataKind { Trace, Model };

// `path` as given when it exists, else the shipped file of that relative name when
// that exists (so "resources/traces/x.csv" works from any folder), else, for a bare file
// name, the shipped file of that name and kind ("x.csv" for resources/traces/x.csv,
// "x.pt" for models/x.pt), else `path` unchanged, for the caller's "not found" to name.
std::string resolveDataPath(const std::string &path, DataKind kind);

// The predictive model: $HEADROOM_MODEL if set, else findDataFile("models/predictive.pt").
std::string defaultModelPath();

} // namespace headroom::io
