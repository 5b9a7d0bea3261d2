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

// `path` as given when it exists (or is empty), else the shipped file it names when that
// exists: a path under the kind's shipped folder ("resources/traces/x.csv",
// "models/x.pt") or a bare file name in it ("x.csv" for a trace, "x.pt" for a model), from
// any folder. Else `path` unchanged, for the caller's "not found" to name. An absolute path,
// one with "..", or one in another folder is never looked up.
std::string resolveDataPath(const std::string &path, DataKind kind);

// The predictive model: $HEADROOM_MODEL if set and not empty, else findDataFile("models/predictive.pt").
std::string defaultModelPath();

} // namespace headroom::io
