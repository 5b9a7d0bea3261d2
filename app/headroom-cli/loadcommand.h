#pragma once

#include <ostream>
#include <string>
#include <vector>

// headroom-cli load: an open-loop HTTP load generator aimed at a service URL, its arrivals
// a scenario's, a trace's or a constant rate's, timed client-side (docs/serve.md).
int runLoadCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
