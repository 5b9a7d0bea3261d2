#pragma once

#include <ostream>
#include <string>
#include <vector>

// `headroom-cli train [--samples N] [--seed N] [--epochs N] [--out FILE]`. `args` excludes the
// program name and "train". Returns 0 when the model was written, 2 on a bad command line and
// 1 when training or writing failed.
int runTrainCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
