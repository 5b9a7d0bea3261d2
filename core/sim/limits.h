#pragma once

namespace headroom::sim {

// What one run may ask of the simulator. Memory grows with the arrivals held ahead and the
// samples kept (one per lane-second), so longer or busier runs are refused as bad input.
constexpr double kMaxDurationS = 1e7; // about 116 days
constexpr double kMaxRatePerS = 50000.0;

} // namespace headroom::sim
