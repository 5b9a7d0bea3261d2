#pragma once

#include <ostream>
#include <string>
#include <vector>

// headroom-cli hpa --input FILE: one Kubernetes HPA sync from a JSON file, printed as JSON.
int runHpaCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
