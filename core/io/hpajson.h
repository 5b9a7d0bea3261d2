#pragma once

#include "control/hpacalculator.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

// The JSON form of one HPA sync (`headroom-cli hpa`, docs/hpa-cli.md): the input read into the
// structs hpa::decide() takes, and its Decision written back out.
namespace headroom::io {

struct HpaInput
{
    control::hpa::Spec spec;
    int currentReplicas = 0;
    std::vector<control::hpa::PodInfo> pods;
    control::hpa::History history;
};

// Parses the input document strictly: unknown keys, wrong types, missing required fields,
// negative numbers, bad enum strings and duplicate pod names throw InputError naming `source`
// and the field path (e.g. "pods[2].cpu_request_m"). "_comment" keys are allowed in every object.
HpaInput parseHpaInput(const std::string &json, const std::string &source);

// An HPA object alone, in the "hpa" block's format, e.g. a scenario's. Missing
// target, min and max take the given defaults. Throws InputError naming `path`.
control::hpa::Spec parseHpaSpec(const nlohmann::json &block, const std::string &path,
                                const std::string &source, double defaultTargetPercent,
                                int defaultMinReplicas, int defaultMaxReplicas);

// The decision as a pretty-printed JSON object (snake_case keys, ends without a newline).
std::string hpaDecisionJson(const control::hpa::Decision &decision);

} // namespace headroom::io
