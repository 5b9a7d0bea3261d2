#pragma once

#include <ostream>
#include <string>
#include <vector>

// headroom-cli run: one headless experiment, written to --out DIR.
int runRunCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
// headroom-cli scenarios: the built-in scenarios with their descriptions.
int runScenariosCommand(const std::vector<std::string> &args, std::ostream &out,
                        std::ostream &err);
