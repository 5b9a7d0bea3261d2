#pragma once

#include <ostream>
#include <string>
#include <vector>

// headroom-cli serve: the simulated cluster in real time behind a Kubernetes API subset and
// Prometheus metrics (docs/serve.md).
int runServeCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
