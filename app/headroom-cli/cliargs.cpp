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

double parsePositive(const std::string &option, const std::string &text)
{
    const double value = parseNumber(option, text);
    if (!(value > 0))
        throw badOption(option, "must be positive");
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

bool ClusterOverrides::read(const std::string &option, const std::string &value)
{
    if (option == "--preset") {
        headroom::sim::ClusterConfig probe;
        if (!headroom::sim::applyPreset(value, probe))
            throw badOption(option, "unknown preset '" + value + "' (available: default, llm)");
        preset = value;
        return true;
    }
    if (option == "--max-replicas") {
        const double n = parseNumber(option, value);
        if (n < 1 || n > 1000 || n != std::floor(n))
            throw badOption(option, "must be a whole number from 1 to 1000");
        maxReplicas = static_cast<int>(n);
        return true;
    }
    return false;
}

void ClusterOverrides::applyTo(headroom::sim::ClusterConfig &config) const
{
    if (preset)
        headroom::sim::applyPreset(*preset, config);
    if (maxReplicas) {
        if (*maxReplicas < config.minReplicas)
            throw badOption("--max-replicas", "is below the scenario's min_replicas ("
                                                  + std::to_string(config.minReplicas) + ")");
        config.maxReplicas = *maxReplicas;
        if (config.hpa)
            config.hpa->maxReplicas = *maxReplicas;
    }
}

std::vector<std::string> ClusterOverrides::arguments() const
{
    std::vector<std::string> words;
    if (preset)
        words.insert(words.end(), {"--preset", *preset});
    if (maxReplicas)
        words.insert(words.end(), {"--max-replicas", std::to_string(*maxReplicas)});
    return words;
}
