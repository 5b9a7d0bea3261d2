#include "traffic/textfile.h"

#include "io/inputerror.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>

namespace headroom::traffic {

namespace {

struct FileCloser
{
    void operator()(std::FILE *file) const { std::fclose(file); }
};

[[noreturn]] void cannotRead(const std::string &path, const std::string &why)
{
    throw InputError(path, std::nullopt, {}, "cannot read the file: " + why);
}

} // namespace

std::string readTextFile(const std::string &path)
{
    if (path.empty())
        throw InputError("(no file name)", std::nullopt, {}, "no file was given");
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (std::filesystem::is_directory(status))
        cannotRead(path, "it is a directory");
    // A device or a pipe may never end (/dev/zero, a FIFO nobody writes to): files only.
    if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
        cannotRead(path, "not a regular file (a device, pipe or socket)");
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file)
        cannotRead(path, std::strerror(errno));
    std::string text;
    const auto size = std::filesystem::file_size(path, ec);
    // The whole file is held in memory while it is read: refuse what would not fit.
    constexpr std::uintmax_t kMaxBytes = std::uintmax_t(4) << 30;
    if (!ec && size > kMaxBytes)
        cannotRead(path, "too large (" + std::to_string(size >> 20) + " MiB; at most 4096 MiB)");
    if (!ec)
        text.reserve(static_cast<std::size_t>(size));
    char buffer[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0)
        text.append(buffer, n);
    if (std::ferror(file.get()))
        cannotRead(path, "read error");
    return text;
}

} // namespace headroom::traffic
