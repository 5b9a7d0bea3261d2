#pragma once

namespace headroom::traffic {

// A traffic spike the operator fires: the rate is multiplied by `multiplier`
// from startS for durationS, reached through linear ramps of rampS at both ends.
struct Spike
{
    double startS = 0.0;
    double durationS = 30.0;
    double multiplier = 6.0;
    double rampS = 0.0;

    // The factor (>= 1 when multiplier >= 1) applied at time t.
    double factorAt(double t) const;
    double endS() const { return startS + durationS; }
};

} // namespace headroom::traffic
