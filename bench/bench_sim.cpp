// Simulator throughput, the predictive decision's cost, a long replay and the memory a long
// run keeps (DESIGN.md section 8).
// Build with -DHEADROOM_BUILD_BENCH=ON; run build/bench/bench_sim.
#include "forecast/forecaster.h"
#include "io/paths.h"
#include "sim/cluster.h"
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <benchmark/benchmark.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>

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

// The resident set, in MB, from /proc/self/status.
double residentMb()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0)
            return std::stod(line.substr(6)) / 1024.0;
    }
    return 0.0;
}

const std::vector<std::string> kFourLanes {"predictive", "hpa", "kpa", "clairvoyant"};

// The shipped NASA July trace (1.9 million requests over 27.6 days, as per-minute counts)
// through 4 lanes, at its own pace (one simulated second a second of the trace) and at 60x
// (a minute a second, as the sweeps replay it). Target: under 10 s.
void BM_NasaJulyReplay(benchmark::State &state)
{
    const double compression = static_cast<double>(state.range(0));
    const std::string path = io::findDataFile("resources/traces/nasa_http_jul1995_per_minute.csv");
    long long requests = 0;
    double simulatedS = 0.0;
    for (auto _ : state) {
        sim::ExperimentConfig config;
        config.name = "nasa";
        config.seed = 1;
        config.controllers = kFourLanes;
        config.cluster.maxReplicas = 80;
        sim::Experiment e(config, traffic::makeTraceArrivals(path, compression, config.cluster, 1));
        e.runToEnd();
        requests += e.summary().lanes[0].requests;
        simulatedS = e.durationS();
    }
    state.counters["requests"] = benchmark::Counter(double(requests) / state.iterations());
    state.counters["simulated_s"] = simulatedS;
}
BENCHMARK(BM_NasaJulyReplay)->Arg(60)->Arg(1)->Iterations(1)->Unit(benchmark::kSecond);

// Memory after a simulated day of 4 lanes at 20 req/s (1.7 million requests): bounded by the
// history kept (a sample a second a lane), not by the requests. Target: under 300 MB.
void BM_DayOfFourLanesMemory(benchmark::State &state)
{
    std::ostringstream json;
    json << R"({"name": "day", "duration_s": 86400, "seed": 1, "segments": [)"
         << R"({"type": "constant", "start_s": 0, "end_s": 86400, "rate": 20}]})";
    const traffic::Scenario scenario = traffic::parseScenario(json.str(), "day.json");
    double before = 0.0;
    double after = 0.0;
    for (auto _ : state) {
        before = residentMb();
        sim::Experiment e(sim::scenarioConfig(scenario, kFourLanes),
            std::make_unique<traffic::ScenarioArrivals>(scenario));
        e.runToEnd();
        after = residentMb();
        benchmark::DoNotOptimize(e.summary());
    }
    state.counters["rss_MB"] = after;
    state.counters["rss_growth_MB"] = after - before;
}
BENCHMARK(BM_DayOfFourLanesMemory)->Iterations(1)->Unit(benchmark::kSecond);

} // namespace

BENCHMARK_MAIN();
