#pragma once

#include <ostream>
#include <string>
#include <vector>

// headroom-cli sweep: every (scenario or trace) x seed as one experiment with all the
// controllers as lanes, run in parallel, summarised with 95 % intervals (docs/sweep.md).
// Also emits a Kubernetes Indexed Job for the same sweep, and merges partial outputs.
int runSweepCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
