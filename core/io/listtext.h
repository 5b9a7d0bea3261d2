#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace headroom::io {

// How many items of a list a message names before it counts the rest.
inline constexpr std::size_t kListedItems = 5;

// A list as a message or a log line shows it: the first `shown` items, comma-separated, then
// "... and N more". A PodList of 50,000 pods, each named, made one HPA log line of 850 KB.
inline std::string listedItems(const std::vector<std::string> &items, std::size_t shown = kListedItems)
{
    std::string text;
    for (std::size_t i = 0; i < items.size() && i < shown; ++i)
        text += (i ? ", " : "") + items[i];
    if (items.size() > shown)
        text += ", ... and " + std::to_string(items.size() - shown) + " more";
    return text;
}

} // namespace headroom::io
