#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace headroom::traffic {
struct LoadedTrace;
}

namespace headroom::forecast {

// Steps in the input window (one step = kStepS seconds: a minute of history).
constexpr int kWindow = 12;
// Seconds per step of the window and of the horizons.
constexpr double kStepS = 5.0;
// The longer history behind the window: the mean rate over this many seconds,
// ending with the window, tells a burst from a new level.
constexpr double kContextS = 600.0;

// What the predictive controller reads from the router, oldest step first.
struct ForecastInput
{
    std::array<double, kWindow> ratePerS {};  // mean arrivals per second in each step
    std::array<double, kWindow> latencyMs {}; // p95 latency in each step (NaN: nothing completed)
    // Mean arrivals per second over the last kContextS seconds (as much as there is);
    // NaN: unknown, read as the window's own mean.
    double contextRatePerS = std::numeric_limits<double>::quiet_NaN();
};

// The forecast request rate, req/s (>= 0), at each horizon after the window's end.
struct RateForecast
{
    std::vector<double> horizonsS;
    std::vector<double> p50; // the median
    std::vector<double> p90; // the upper quantile, >= p50
};

// Test error of one family of windows (synthetic or an operator's trace).
struct FamilyError
{
    std::string family;
    int windows = 0;
    double maeP50 = 0.0;     // mean |p50 - actual| over horizons, normalized by the window's scale
    double mseP50 = 0.0;     // the same, squared
    double coverageP90 = 0.0; // share of actual rates at or below p90 (0.9 when calibrated)
    double pinball = 0.0;    // mean quantile loss over p50 and p90
    double maeLastStep = 0.0;   // the naive "every horizon = the last step", for scale
    double maeWindowMean = 0.0; // the naive "every horizon = the window's mean"
};

// The model's metadata, stored next to the weights as `<model>.json`.
struct ModelInfo
{
    std::string path;               // the .pt file
    std::string metadataPath;       // the .json file
    int window = kWindow;
    double stepS = 5.0;
    std::vector<double> horizonsS;  // forecast horizons, seconds after the window's end
    std::vector<double> quantiles;  // 0.5 and 0.9: outputs are p50 at every horizon, then p90
    std::vector<int> hidden;        // hidden layer widths
    std::string normalization;      // how inputs and targets are scaled, in words
    std::uint64_t seed = 0;
    int samples = 0;
    int epochs = 0;
    double trainMse = 0.0;          // p50 against the actual rate, normalized
    double testMse = 0.0;
    double testMae = 0.0;
    double testCoverageP90 = 0.0;
    std::vector<FamilyError> testByFamily; // synthetic families, then the trace's held-out tail
    std::string traceSpec;          // the operator's trace the model was fitted to, if any
    std::string weightsSha256;      // of the .pt file: a damaged file is refused before it is read
    long long parameters = 0;
};

struct TrainOptions;
struct TrainResult;
class Forecaster;
FamilyError evaluateOnTrace(const Forecaster &model, const TrainOptions &options);

// A loaded predictive model. Move-only; LibTorch stays behind the pointer so
// that only forecast/*.cpp includes it.
class Forecaster
{
public:
    // Reads `ptPath` and its metadata `<ptPath without .pt>.json`. Throws
    // InputError naming the file when either is missing, corrupt or mismatched.
    static Forecaster load(const std::string &ptPath);

    Forecaster(Forecaster &&) noexcept;
    Forecaster &operator=(Forecaster &&) noexcept;
    ~Forecaster();

    const ModelInfo &info() const;
    // Forecast request rate quantiles at each of info().horizonsS.
    RateForecast forecast(const ForecastInput &input) const;

private:
    // train() hands back the model it trained, without a round trip through the file.
    friend TrainResult train(const TrainOptions &options);
    friend FamilyError evaluateOnTrace(const Forecaster &model, const TrainOptions &options);

    struct Impl;
    explicit Forecaster(std::unique_ptr<Impl> impl);
    // The heads in req/s before they are bounded (p50s, then p90s): NaN or infinite where
    // the weights are out of range.
    std::vector<double> rawRates(const ForecastInput &input) const;
    std::unique_ptr<Impl> m_impl;
};

struct TrainOptions
{
    int samples = 31000;
    std::uint64_t seed = 42;
    int epochs = 60;
    double testFraction = 0.2;
    std::string outPath = "models/predictive.pt";
    // An operator's trace (a sweep-style spec, e.g. "FILE@x10") to fit to: its first
    // (1 - testFraction) in time joins the synthetic windows, its tail is the test set.
    std::string traceSpec;
    // traceSpec already read by the caller (which checked it before training); read here
    // when null.
    std::shared_ptr<const traffic::LoadedTrace> trace;
    std::uint64_t traceSeed = 1; // Poisson draws for per-interval traces
    std::function<void(const std::string &)> progress; // one line per epoch, optional
};

struct TrainResult
{
    ModelInfo info;
    double seconds = 0.0;
    std::uintmax_t fileBytes = 0;
    // The windows the epochs ran over: the synthetic training split, plus, with a trace, its
    // fitted windows repeated traceRepeats times (info.samples counts the synthetic ones alone,
    // test split included).
    long long trainWindows = 0;
    long long syntheticTrainWindows = 0;
    long long traceFitWindows = 0;
    int traceRepeats = 0;
    std::shared_ptr<const Forecaster> model; // the trained model, as it was saved
};

// Generates the synthetic windows from the seed, trains, evaluates on the
// held-out split and writes the weights plus metadata. Deterministic for a seed.
// Throws InputError when the output cannot be written.
TrainResult train(const TrainOptions &options);

// Scores `model` on the held-out tail of options.traceSpec, exactly the windows a model
// trained with that trace (same seed, traceSeed and testFraction) is tested on: how a
// model that never saw the trace does on it. Throws InputError for a bad trace.
FamilyError evaluateOnTrace(const Forecaster &model, const TrainOptions &options);

// Threads LibTorch may use inside one operation (intra-op), process-wide. A sweep
// running one experiment per core sets 1, so the cores are not oversubscribed.
void setInferenceThreads(int threads);

} // namespace headroom::forecast
