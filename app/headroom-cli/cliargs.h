#pragma once

#include "io/inputerror.h"

#include <string>
#include <vector>

// Reading headroom-cli's options: every problem is an InputError naming the option.
headroom::InputError badOption(const std::string &option, const std::string &problem);
// A finite number, the whole text.
double parseNumber(const std::string &option, const std::string &text);
// A comma-separated list without empty items; an empty list is an error.
std::vector<std::string> splitList(const std::string &option, const std::string &text);
