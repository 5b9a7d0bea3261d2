#pragma once

#include "sim/clusterconfig.h"
#include "sim/clusteroverrides.h"

#include <cstdint>
#include <string>
#include <vector>

namespace headroom::traffic {

// A piece of the base rate profile. Base segments (constant, ramp, periodic)
// must not overlap; spike segments override the base inside their span.
struct Segment
{
    enum class Kind { Constant, Ramp, Periodic, Spike };
    Kind kind = Kind::Constant;
    double startS = 0.0;
    double endS = 0.0;
    double rate = 0.0;       // constant: rate; ramp: start rate; periodic: mean; spike: peak rate
    double rateTo = 0.0;     // ramp: end rate
    double amplitude = 0.0;  // periodic: mean +- amplitude
    double periodS = 60.0;   // periodic
    double phaseS = 0.0;     // periodic
    double rampS = 0.0;      // spike: linear ramp from the base rate at both ends
};

// A traffic scenario as read from JSON (see resources/scenarios/*.json).
struct Scenario
{
    std::string name;
    std::string description;
    std::string source; // file path or "built-in"
    std::uint64_t seed = 1;
    double durationS = 60.0;
    std::string preset = "default";
    sim::ClusterConfig cluster; // preset applied, then the file's "cluster" overrides
    std::vector<Segment> segments;
    std::string text; // the JSON it was read from: another preset reads its "cluster" again

    // Requests per second the profile asks for at time t (0 outside all segments).
    double rateAt(double t) const;
};

// Parses scenario JSON. Throws InputError naming `source` and the field. `preset`, when
// given, stands for the file's "preset" (--preset, @preset=): the file's "cluster" and
// "hpa" still go on top of it.
Scenario parseScenario(const std::string &json, const std::string &source,
                       const std::string *preset = nullptr);
// The scenario on another preset: that preset's cluster with the scenario's own "cluster"
// and "hpa" settings on top, as its file's preset has them (--preset llm on a scenario
// whose pods start in 5 s kept them at 120 s). Throws InputError naming the field.
void usePreset(Scenario &scenario, const std::string &preset);
// A command line's --preset (usePreset) and --max-replicas on a scenario's cluster.
void applyOverrides(const sim::ClusterOverrides &overrides, Scenario &scenario);
// Reads and parses a scenario file. Throws InputError.
Scenario loadScenarioFile(const std::string &path);

// The scenarios shipped in resources/scenarios/, compiled into the binary.
std::vector<std::string> builtinScenarioNames();
bool isBuiltinScenario(const std::string &name);
// Throws InputError for an unknown name.
Scenario builtinScenario(const std::string &name);
// A built-in name or a file path.
Scenario resolveScenario(const std::string &nameOrPath);

} // namespace headroom::traffic
