#pragma once

#include "io/inputerror.h"
#include "sim/clusterconfig.h"

#include <optional>

#include <string>
#include <vector>

// Reading headroom-cli's options: every problem is an InputError naming the option.
headroom::InputError badOption(const std::string &option, const std::string &problem);
// A finite number, the whole text.
double parseNumber(const std::string &option, const std::string &text);
// A finite number above zero.
double parsePositive(const std::string &option, const std::string &text);
// A comma-separated list without empty items; an empty list is an error.
std::vector<std::string> splitList(const std::string &option, const std::string &text);

// Cluster settings a run or sweep may override on the command line.
struct ClusterOverrides
{
    std::optional<std::string> preset;   // --preset default|llm
    std::optional<int> maxReplicas;      // --max-replicas N
    // Reads one of the options above; false if `option` is not one of them.
    bool read(const std::string &option, const std::string &value);
    // Applies the preset, then the maximum. Throws InputError naming the option.
    void applyTo(headroom::sim::ClusterConfig &config) const;
    // The options again, for a command line that repeats them.
    std::vector<std::string> arguments() const;
};
