#pragma once

#include <cstddef>
#include <string>

namespace headroom::io {

// Reading a file that should be small (a certificate, a token, a kubeconfig) whole, but no
// more than `limit` bytes of it: /dev/zero or a wrong path to a huge file is an error, not
// gigabytes of memory.
enum class SmallFile { Read, Missing, Folder, Unreadable, TooLarge };

SmallFile readSmallFile(const std::string &path, std::size_t limit, std::string &text);

// Words for a failed read: "does not exist", "a folder, not a file", "cannot be read", "larger
// than 1 MB".
std::string smallFileProblem(SmallFile status, std::size_t limit);

// What a credential or configuration file may hold.
inline constexpr std::size_t kMaxSmallFileBytes = 1u << 20;

} // namespace headroom::io
