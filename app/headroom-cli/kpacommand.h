#pragma once

#include <ostream>
#include <string>
#include <vector>

// headroom-cli kpa --input FILE: one Knative KPA decision from a JSON file, printed as JSON.
int runKpaCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
