#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace headroom::traffic {

// The operator's spike presets. Step: the full multiplier at once, for the whole duration.
// Ramp: linear ramps over the first and last quarter. Triangle: up to the peak at the middle
// and down again. Decay: a flash crowd, the full multiplier at once, then an exponential
// decay with a time constant of a quarter of the duration (2 % of the excess left at the end).
enum class SpikeShape { Step, Ramp, Triangle, Decay };

// "step", "ramp", "triangle", "decay".
std::string_view spikeShapeName(SpikeShape shape);
std::optional<SpikeShape> parseSpikeShape(std::string_view name);

// A traffic spike the operator fires: the rate is multiplied by `multiplier`
// from startS for durationS, reached through linear ramps of rampS at both ends
// (or decaying, for SpikeShape::Decay).
struct Spike
{
    double startS = 0.0;
    double durationS = 30.0;
    double multiplier = 6.0;
    double rampS = 0.0;
    SpikeShape shape = SpikeShape::Step;

    // A spike of the preset `shape` (its ramps set from the duration).
    static Spike withShape(SpikeShape shape, double startS, double durationS, double multiplier);

    // The factor (>= 1 when multiplier >= 1) applied at time t.
    double factorAt(double t) const;
    double endS() const { return startS + durationS; }
};

} // namespace headroom::traffic
