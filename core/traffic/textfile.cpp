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
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        cannotRead(path, "it is a directory");
    std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
    if (!file)
        cannotRead(path, std::strerror(errno));
    std::string text;
    text.reserve(static_cast<std::size_t>(std::filesystem::file_size(path, ec)));
    char buffer[1 << 16];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file.get())) > 0)
        text.append(buffer, n);
    if (std::ferror(file.get()))
        cannotRead(path, "read error");
    return text;
}

} // namespace headroom::traffic
