#pragma once

#include <ostream>
#include <string>
#include <vector>

// headroom-cli control: one controller driving a cluster through its Kubernetes API and the
// router's metrics (docs/serve.md).
int runControlCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
