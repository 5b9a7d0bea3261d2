#pragma once

#include "io/inputerror.h"
#include "sim/clusterconfig.h"

#include <optional>
#include <string>
#include <vector>

namespace headroom::sim {

// A command-line option's problem: an InputError for "command line" whose field is the
// option. Both command lines (headroom-cli, headroom) word option problems this way.
InputError badOption(const std::string &option, const std::string &problem);
// A finite number, the whole text.
double parseOptionNumber(const std::string &option, const std::string &text);

// Cluster settings a run or sweep may override on the command line (headroom-cli run and
// sweep, and the dashboard's --max-replicas), with one set of bounds and one wording.
struct ClusterOverrides
{
    std::optional<std::string> preset;   // --preset default|llm
    std::optional<int> maxReplicas;      // --max-replicas N: 1 to kMaxReplicas
    // Reads one of the options above; false if `option` is not one of them.
    bool read(const std::string &option, const std::string &value);
    // Applies the preset, then the maximum (the cluster's and its HPA's). Throws InputError
    // naming the option (a maximum below the scenario's min_replicas). For a cluster of
    // its own (a trace's, --no-load's): a scenario's "cluster" settings go on top of its
    // preset, so a scenario takes another preset with traffic::applyOverrides instead.
    void applyTo(ClusterConfig &config) const;
    // The maximum alone, as applyTo applies it.
    void applyMaxTo(ClusterConfig &config) const;
    // The options again, for a command line that repeats them.
    std::vector<std::string> arguments() const;
    bool empty() const { return !preset && !maxReplicas; }
};

} // namespace headroom::sim
