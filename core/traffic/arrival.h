#pragma once

namespace headroom::traffic {

// One request as every lane sees it: when it arrives and how long a pod
// needs to serve it. Drawn once, shared by all lanes (common random numbers).
struct Arrival
{
    double tS = 0.0;
    double serviceS = 0.0;
};

} // namespace headroom::traffic
