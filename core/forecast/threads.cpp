#include "forecast/forecaster.h"

#include <ATen/Parallel.h>
#include <algorithm>

namespace headroom::forecast {

void setInferenceThreads(int threads)
{
    // Process-wide: LibTorch applies it lazily in every thread that runs an operation.
    at::set_num_threads(std::max(1, threads));
}

} // namespace headroom::forecast
