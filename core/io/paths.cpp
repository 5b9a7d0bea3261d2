#include "io/paths.h"

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
    if (fs::exists(path, ec))
        return path;
    const std::string shipped = findDataFile(path);
    if (fs::exists(shipped, ec))
        return shipped;
    // A bare file name: a shipped trace or model by its name alone.
    if (!path.empty() && fs::path(path).parent_path().empty()) {
        const std::string named
            = findDataFile((kind == DataKind::Trace ? "resources/traces/" : "models/") + path);
        if (fs::exists(named, ec))
            return named;
    }
    return path;
}

std::string defaultModelPath()
{
    if (const char *path = std::getenv("HEADROOM_MODEL"))
        return path;
    return findDataFile("models/predictive.pt");
}

} // namespace headroom::io
