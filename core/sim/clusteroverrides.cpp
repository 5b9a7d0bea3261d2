#include "sim/clusteroverrides.h"

#include "sim/limits.h"

#include <charconv>
#include <cmath>

namespace headroom::sim {

InputError badOption(const std::string &option, const std::string &problem)
{
    return InputError("command line", std::nullopt, option, problem);
}

double parseOptionNumber(const std::string &option, const std::string &text)
{
    double value = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        throw badOption(option, "'" + text + "' is not a number");
    return value;
}

bool ClusterOverrides::read(const std::string &option, const std::string &value)
{
    if (option == "--preset") {
        ClusterConfig probe;
        if (!applyPreset(value, probe))
            throw badOption(option, "unknown preset '" + value + "' (available: default, llm)");
        preset = value;
        return true;
    }
    if (option == "--max-replicas") {
        const double n = parseOptionNumber(option, value);
        if (n < 1 || n > kMaxReplicas || n != std::floor(n))
            throw badOption(option, "must be a whole number from 1 to " + std::to_string(kMaxReplicas));
        maxReplicas = static_cast<int>(n);
        return true;
    }
    return false;
}

void ClusterOverrides::applyTo(ClusterConfig &config) const
{
    if (preset)
        applyPreset(*preset, config);
    applyMaxTo(config);
}

void ClusterOverrides::applyMaxTo(ClusterConfig &config) const
{
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

} // namespace headroom::sim
