// Simulator throughput and the predictive decision's cost.
// Build with -DHEADROOM_BUILD_BENCH=ON; run build/bench/bench_sim.
#include "forecast/forecaster.h"
#include "io/paths.h"
#include "sim/cluster.h"
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <benchmark/benchmark.h>

#include <random>

using namespace headroom;

namespace {

// One lane's cluster at a steady load: `pods` pods with 4 slots each at ~70 % busy.
void BM_ClusterRequests(benchmark::State &state)
{
    const int pods = static_cast<int>(state.range(0));
    sim::ClusterConfig config;
    config.podSlots = 4;
    config.maxReplicas = pods;
    const double rate = pods * config.podSlots / config.serviceMeanS * 0.7;
    std::mt19937_64 rng(1);
    std::exponential_distribution<double> gap(rate);
    std::lognormal_distribution<double> service(std::log(0.15) - 0.043, 0.294);
    std::vector<traffic::Arrival> second;
    sim::Cluster cluster(config, 1, pods);
    double t = 0.0, next = gap(rng);
    long long requests = 0;
    for (auto _ : state) {
        second.clear();
        for (; next < t + 1.0; next += gap(rng))
            second.push_back({next, service(rng)});
        t += 1.0;
        cluster.advance(second.data(), second.data() + second.size(), t);
        benchmark::DoNotOptimize(cluster.takeSample());
        requests += static_cast<long long>(second.size());
    }
    state.counters["requests/s"] = benchmark::Counter(double(requests), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ClusterRequests)->Arg(20)->Arg(200)->Unit(benchmark::kMillisecond);

// A whole experiment: arrivals generated once, two lanes with their controllers.
void BM_ExperimentSeedSpikeLong(benchmark::State &state)
{
    const traffic::Scenario scenario = traffic::builtinScenario("seed-spike-long");
    long long requests = 0;
    for (auto _ : state) {
        sim::Experiment e(sim::scenarioConfig(scenario, {"predictive", "hpa"}),
            std::make_unique<traffic::ScenarioArrivals>(scenario));
        e.runToEnd();
        requests += e.summary().lanes[1].requests;
    }
    state.counters["requests/s"] = benchmark::Counter(double(requests), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ExperimentSeedSpikeLong)->Unit(benchmark::kMillisecond);

// Features plus forward pass, as the predictive controller calls it.
void BM_PredictiveForecast(benchmark::State &state)
{
    const auto model = forecast::Forecaster::load(io::defaultModelPath());
    forecast::ForecastInput input;
    for (int k = 0; k < forecast::kWindow; ++k) {
        input.ratePerS[k] = 5.0 + 5.0 * k;
        input.latencyMs[k] = 200.0 + 50.0 * k;
    }
    for (auto _ : state)
        benchmark::DoNotOptimize(model.forecast(input));
}
BENCHMARK(BM_PredictiveForecast)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
