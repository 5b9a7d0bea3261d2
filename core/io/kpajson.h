#pragma once

#include "control/kpacalculator.h"

#include <string>

// The JSON form of one KPA decision (`headroom-cli kpa`, docs/kpa-cli.md): the input read into
// the structs kpa::decide() takes, and its Decision written back out.
namespace headroom::io {

struct KpaInput
{
    control::kpa::Config config;
    control::kpa::Inputs inputs;
    bool restarted = false; // the state is kpa::startState(ready_pods)
};

// Parses the input document strictly: unknown keys, wrong types, missing required fields,
// negative numbers and values outside upstream's ranges throw InputError naming `source` and
// the field path (e.g. "kpa.stable_window_s", "concurrency[3]"). "_comment" keys are allowed
// in every object.
KpaInput parseKpaInput(const std::string &json, const std::string &source);

// The decision as a pretty-printed JSON object (snake_case keys, ends without a newline).
std::string kpaDecisionJson(const control::kpa::Decision &decision);

} // namespace headroom::io
