#include "io/paths.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <vector>

namespace headroom::io {

namespace {

// <prefix>/share/headroom for the program running from <prefix>/bin: an installed tree
// (the .deb under /usr, or `cmake --install --prefix DIR`) finds its own data wherever it
// was put, with no environment variable. Empty when /proc/self/exe cannot be read.
std::filesystem::path dataNextToProgram()
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec || exe.empty())
        return {};
    return exe.parent_path().parent_path() / "share" / "headroom";
}

} // namespace

std::string findDataFile(const std::string &relative)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> roots;
    if (const char *dir = std::getenv("HEADROOM_DATA_DIR"))
        roots.emplace_back(dir);
    if (fs::path next = dataNextToProgram(); !next.empty())
        roots.push_back(std::move(next));
    roots.emplace_back(HEADROOM_INSTALL_DATA);
    roots.emplace_back(fs::path(HEADROOM_SOURCE_RESOURCES).parent_path());
    for (const fs::path &root : roots) {
        std::error_code ec;
        if (fs::exists(root / relative, ec))
            return (root / relative).string();
    }
    return (roots.back() / relative).string();
}

std::string resolveDataPath(const std::string &path, DataKind kind)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (path.empty() || fs::exists(path, ec))
        return path;
    // Only a name in the shipped data of its kind is looked up there: the kind's folder as
    // shipped (resources/traces/..., models/...) or a bare file name in it. Not an absolute
    // path, one that climbs out with "..", or another folder's file (a model given as a
    // trace), which would find a file the user did not mean.
    const fs::path name = fs::path(path).lexically_normal();
    if (name.is_absolute() || name.empty()
        || std::any_of(name.begin(), name.end(), [](const fs::path &part) { return part == ".."; }))
        return path;
    const fs::path folder = kind == DataKind::Trace ? fs::path("resources/traces") : fs::path("models");
    fs::path relative;
    if (!name.has_parent_path())
        relative = folder / name;
    else if (std::mismatch(folder.begin(), folder.end(), name.begin(), name.end()).first == folder.end())
        relative = name;
    else
        return path;
    const std::string shipped = findDataFile(relative.generic_string());
    return fs::exists(shipped, ec) && !fs::is_directory(shipped, ec) ? shipped : path;
}

std::string defaultModelPath()
{
    // Set but empty is unset, as a shell's HEADROOM_MODEL= means (it was read as the file "").
    if (const char *path = std::getenv("HEADROOM_MODEL"); path && *path)
        return path;
    return findDataFile("models/predictive.pt");
}

} // namespace headroom::io
