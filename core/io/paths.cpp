#include "io/paths.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

namespace headroom::io {

std::string findDataFile(const std::string &relative)
{
    namespace fs = std::filesystem;
    std::vector<fs::path> roots;
    if (const char *dir = std::getenv("HEADROOM_DATA_DIR"))
        roots.emplace_back(dir);
    roots.emplace_back(HEADROOM_INSTALL_DATA);
    roots.emplace_back(fs::path(HEADROOM_SOURCE_RESOURCES).parent_path());
    for (const fs::path &root : roots) {
        std::error_code ec;
        if (fs::exists(root / relative, ec))
            return (root / relative).string();
    }
    return (roots.back() / relative).string();
}

std::string defaultModelPath()
{
    if (const char *path = std::getenv("HEADROOM_MODEL"))
        return path;
    return findDataFile("models/predictive.pt");
}

} // namespace headroom::io
