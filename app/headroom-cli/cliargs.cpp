#include "cliargs.h"

#include <charconv>
#include <cmath>
#include <sstream>

headroom::InputError badOption(const std::string &option, const std::string &problem)
{
    return headroom::InputError("command line", std::nullopt, option, problem);
}

double parseNumber(const std::string &option, const std::string &text)
{
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        throw badOption(option, "'" + text + "' is not a number");
    return value;
}

std::vector<std::string> splitList(const std::string &option, const std::string &text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) {
        if (!item.empty())
            items.push_back(item);
    }
    if (items.empty())
        throw badOption(option, "the list is empty");
    return items;
}
