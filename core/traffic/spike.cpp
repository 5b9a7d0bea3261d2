#include "traffic/spike.h"

#include <algorithm>

namespace headroom::traffic {

double Spike::factorAt(double t) const
{
    if (t < startS || t >= endS())
        return 1.0;
    double weight = 1.0;
    if (rampS > 0.0) {
        const double ramp = std::min(rampS, durationS / 2.0);
        weight = std::min({1.0, (t - startS) / ramp, (endS() - t) / ramp});
    }
    return 1.0 + (multiplier - 1.0) * weight;
}

} // namespace headroom::traffic
