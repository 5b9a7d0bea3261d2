#include "traffic/spike.h"

#include <algorithm>
#include <array>
#include <cmath>

namespace headroom::traffic {

namespace {

constexpr std::array<std::pair<SpikeShape, std::string_view>, 4> kShapeNames {{
    {SpikeShape::Step, "step"},
    {SpikeShape::Ramp, "ramp"},
    {SpikeShape::Triangle, "triangle"},
    {SpikeShape::Decay, "decay"},
}};

} // namespace

std::string_view spikeShapeName(SpikeShape shape)
{
    for (const auto &[s, name] : kShapeNames) {
        if (s == shape)
            return name;
    }
    return "step";
}

std::optional<SpikeShape> parseSpikeShape(std::string_view name)
{
    for (const auto &[shape, text] : kShapeNames) {
        if (text == name)
            return shape;
    }
    return std::nullopt;
}

Spike Spike::withShape(SpikeShape shape, double startS, double durationS, double multiplier)
{
    Spike spike {startS, durationS, multiplier, 0.0, shape};
    if (shape == SpikeShape::Ramp)
        spike.rampS = durationS / 4.0;
    else if (shape == SpikeShape::Triangle)
        spike.rampS = durationS / 2.0;
    return spike;
}

double Spike::factorAt(double t) const
{
    if (t < startS || t >= endS())
        return 1.0;
    double weight = 1.0;
    if (shape == SpikeShape::Decay) {
        weight = std::exp(-(t - startS) / (durationS / 4.0));
    } else if (rampS > 0.0) {
        const double ramp = std::min(rampS, durationS / 2.0);
        weight = std::min({1.0, (t - startS) / ramp, (endS() - t) / ramp});
    }
    return 1.0 + (multiplier - 1.0) * weight;
}

} // namespace headroom::traffic
