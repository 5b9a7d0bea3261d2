#pragma once

#include <string>

namespace headroom::traffic {

// The whole file as bytes. Throws InputError naming the path if it cannot be read.
std::string readTextFile(const std::string &path);

} // namespace headroom::traffic
