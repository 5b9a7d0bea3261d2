#pragma once

namespace headroom::sim {

// What one run may ask of the simulator. Memory grows with the arrivals held ahead and the
// samples kept (one per lane-second), so longer or busier runs are refused as bad input.
constexpr double kMaxDurationS = 1e7; // about 116 days
constexpr double kMaxRatePerS = 50000.0;
// Pods a lane may run: each is simulated request by request, so a million took hours.
constexpr int kMaxReplicas = 1000;

} // namespace headroom::sim
