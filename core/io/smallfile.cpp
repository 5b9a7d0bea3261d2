#include "io/smallfile.h"

#include <filesystem>
#include <fstream>

namespace headroom::io {

SmallFile readSmallFile(const std::string &path, std::size_t limit, std::string &text)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec) && !ec)
        return SmallFile::Missing;
    if (std::filesystem::is_directory(path, ec))
        return SmallFile::Folder;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return SmallFile::Unreadable;
    text.assign(limit + 1, '\0');
    in.read(text.data(), static_cast<std::streamsize>(limit + 1));
    if (in.bad())
        return SmallFile::Unreadable;
    text.resize(static_cast<std::size_t>(in.gcount()));
    if (text.size() > limit) {
        text.clear();
        return SmallFile::TooLarge;
    }
    return SmallFile::Read;
}

std::string smallFileProblem(SmallFile status, std::size_t limit)
{
    switch (status) {
    case SmallFile::Missing:
        return "does not exist";
    case SmallFile::Folder:
        return "a folder, not a file";
    case SmallFile::Unreadable:
        return "cannot be read";
    case SmallFile::TooLarge:
        return "larger than " + std::to_string(limit >> 20) + " MB: not a credential or configuration file";
    case SmallFile::Read:
        break;
    }
    return {};
}

} // namespace headroom::io
