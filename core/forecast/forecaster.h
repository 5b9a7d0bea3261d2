#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace headroom::forecast {

// Steps in the input window (one step = ModelInfo::stepS seconds, 5 s by default).
constexpr int kWindow = 5;

// What the predictive controller reads from the router, oldest step first.
struct ForecastInput
{
    std::array<double, kWindow> ratePerS {};  // mean arrivals per second in each step
    std::array<double, kWindow> latencyMs {}; // p95 latency in each step (NaN: nothing completed)
};

// The model's metadata, stored next to the weights as `<model>.json`.
struct ModelInfo
{
    std::string path;               // the .pt file
    std::string metadataPath;       // the .json file
    int window = kWindow;
    double stepS = 5.0;
    std::vector<double> horizonsS;  // forecast horizons, seconds after the window's end
    std::vector<int> hidden;        // hidden layer widths
    std::string normalization;      // how inputs and targets are scaled, in words
    std::uint64_t seed = 0;
    int samples = 0;
    int epochs = 0;
    double trainMse = 0.0;
    double testMse = 0.0;
    long long parameters = 0;
};

struct TrainOptions;
struct TrainResult;

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
    // Forecast request rate (req/s, >= 0) at each of info().horizonsS.
    std::vector<double> forecast(const ForecastInput &input) const;

private:
    // train() hands back the model it trained, without a round trip through the file.
    friend TrainResult train(const TrainOptions &options);

    struct Impl;
    explicit Forecaster(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

struct TrainOptions
{
    int samples = 31000;
    std::uint64_t seed = 42;
    int epochs = 60;
    double testFraction = 0.2;
    std::string outPath = "models/predictive.pt";
    std::function<void(const std::string &)> progress; // one line per epoch, optional
};

struct TrainResult
{
    ModelInfo info;
    double seconds = 0.0;
    std::uintmax_t fileBytes = 0;
    std::shared_ptr<const Forecaster> model; // the trained model, as it was saved
};

// Generates the synthetic windows from the seed, trains, evaluates on the
// held-out split and writes the weights plus metadata. Deterministic for a seed.
// Throws InputError when the output cannot be written.
TrainResult train(const TrainOptions &options);

// Threads LibTorch may use inside one operation (intra-op), process-wide. A sweep
// running one experiment per core sets 1, so the cores are not oversubscribed.
void setInferenceThreads(int threads);

} // namespace headroom::forecast
