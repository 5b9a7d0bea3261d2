#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace headroom::cluster {

// One sample line of a Prometheus text exposition: `name{label="value",...} value`.
struct MetricSample
{
    std::string name;
    std::map<std::string, std::string> labels;
    double value = 0.0;
};

// A sample's value as Prometheus writes it (in an exposition and in its API's answers): a
// decimal float ("12", "-0.5", ".5", "1e+06"), or "NaN", "+Inf" ("Inf"), "-Inf"; nothing else
// (no hex "0x10", no spaces, no "inf" of C's strtod). Read the same in every locale.
std::optional<double> parseSampleValue(const std::string &text);

// A parsed exposition (text format 0.0.4), its samples in the order given.
class Exposition
{
public:
    // Throws InputError naming `source` and the line when a sample line is malformed (a
    // name, a label set or a value that does not parse), or gives a series (a name and its
    // labels) another line gave already, as Prometheus refuses such a scrape. Comments and
    // blank lines are skipped.
    static Exposition parse(const std::string &text, const std::string &source);

    const std::vector<MetricSample> &samples() const { return m_samples; }
    // The first sample of `name` whose labels include every one of `labels`.
    std::optional<double> value(const std::string &name,
                                const std::map<std::string, std::string> &labels = {}) const;
    // The sum over every sample of `name` with those labels.
    std::optional<double> sum(const std::string &name,
                              const std::map<std::string, std::string> &labels = {}) const;
    // Every sample of `name` with those labels.
    std::vector<const MetricSample *> all(const std::string &name,
                                          const std::map<std::string, std::string> &labels = {}) const;

private:
    std::vector<MetricSample> m_samples;
};

} // namespace headroom::cluster
