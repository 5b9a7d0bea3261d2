#include "forecast/features.h"
#include "forecast/forecaster.h"
#include "forecast/forecasterimpl.h"
#include "forecast/modelmetadata.h"
#include "forecast/syntheticdata.h"
#include "io/inputerror.h"
#include "logging.h"

#include <ATen/Parallel.h>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <numeric>
#include <random>
#include <stdexcept>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/serialize.h>
#include <torch/utils.h>
#include <torch/version.h>

namespace headroom::forecast {

namespace {

// Hidden layer widths of the network.
const std::vector<int> kHidden = {32, 32};
// Adam learning rate at the first epoch, and at the last (cosine decay between).
constexpr double kLearningRate = 1e-3;
constexpr double kFinalLearningRate = 1e-5;
// Windows per optimizer step.
constexpr int kBatchSize = 256;
// Mixed into the seed for the split and batch order, so they differ from the data stream.
constexpr std::uint64_t kSplitSalt = 0x5eed5eedULL;
constexpr std::uint64_t kBatchSalt = 0xba7c4ULL;
// Fewest windows train() accepts: enough for a non-empty split.
constexpr int kMinSamples = 10;

namespace fs = std::filesystem;

struct Split
{
    torch::Tensor trainX, trainY, testX, testY;
};

// Training runs on one thread so that a seed gives bitwise the same weights; restores after.
class SingleThreadScope
{
public:
    SingleThreadScope()
        : m_previous(at::get_num_threads())
    {
        at::set_num_threads(1);
    }
    ~SingleThreadScope() { at::set_num_threads(m_previous); }
    SingleThreadScope(const SingleThreadScope &) = delete;
    SingleThreadScope &operator=(const SingleThreadScope &) = delete;

private:
    int m_previous;
};

void checkOptions(const TrainOptions &options)
{
    if (options.samples < kMinSamples)
        throw std::invalid_argument("samples must be at least " + std::to_string(kMinSamples));
    if (options.epochs < 1)
        throw std::invalid_argument("epochs must be at least 1");
    if (!(options.testFraction > 0.0 && options.testFraction < 1.0))
        throw std::invalid_argument("testFraction must be between 0 and 1");
    if (options.outPath.empty())
        throw std::invalid_argument("outPath must not be empty");
}

torch::Tensor rowsOf(std::vector<float> &values, int rows)
{
    const int64_t columns = static_cast<int64_t>(values.size()) / rows;
    return torch::from_blob(values.data(), {rows, columns}).clone();
}

Split splitDataset(Dataset &data, double testFraction, std::uint64_t seed)
{
    std::vector<int64_t> order(static_cast<std::size_t>(data.rows));
    std::iota(order.begin(), order.end(), 0);
    std::mt19937_64 rng(seed ^ kSplitSalt);
    std::shuffle(order.begin(), order.end(), rng);

    const auto testRows
        = std::clamp<int64_t>(std::llround(data.rows * testFraction), 1, data.rows - 1);
    const torch::Tensor index = torch::from_blob(order.data(), {data.rows}, torch::kLong);
    const torch::Tensor testIndex = index.slice(0, 0, testRows);
    const torch::Tensor trainIndex = index.slice(0, testRows);
    const torch::Tensor x = rowsOf(data.features, data.rows);
    const torch::Tensor y = rowsOf(data.targets, data.rows);
    return {x.index_select(0, trainIndex), y.index_select(0, trainIndex),
        x.index_select(0, testIndex), y.index_select(0, testIndex)};
}

double runEpoch(
    ForecastNet &net, torch::optim::Adam &optimizer, const Split &split, std::mt19937_64 &rng)
{
    const int64_t rows = split.trainX.size(0);
    std::vector<int64_t> order(static_cast<std::size_t>(rows));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);

    double lossSum = 0.0;
    for (int64_t start = 0; start < rows; start += kBatchSize) {
        const int64_t size = std::min<int64_t>(kBatchSize, rows - start);
        const auto batch = torch::from_blob(order.data() + start, {size}, torch::kLong);
        optimizer.zero_grad();
        const auto loss = torch::mse_loss(
            net->forward(split.trainX.index_select(0, batch)), split.trainY.index_select(0, batch));
        loss.backward();
        optimizer.step();
        lossSum += loss.item<double>() * static_cast<double>(size);
    }
    return lossSum / static_cast<double>(rows);
}

// Cosine decay from kLearningRate to kFinalLearningRate: the noisy targets need small
// final steps for the weights to settle near the conditional mean.
double learningRate(int epoch, int epochs)
{
    const double progress = epochs > 1 ? static_cast<double>(epoch - 1) / (epochs - 1) : 1.0;
    const double cosine = 0.5 * (1.0 + std::cos(std::numbers::pi * progress));
    return kFinalLearningRate + (kLearningRate - kFinalLearningRate) * cosine;
}

void setLearningRate(torch::optim::Adam &optimizer, double rate)
{
    for (auto &group : optimizer.param_groups())
        static_cast<torch::optim::AdamOptions &>(group.options()).lr(rate);
}

void fit(ForecastNet &net, const Split &split, const TrainOptions &options)
{
    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(kLearningRate));
    std::mt19937_64 rng(options.seed ^ kBatchSalt);
    net->train();
    for (int epoch = 1; epoch <= options.epochs; ++epoch) {
        setLearningRate(optimizer, learningRate(epoch, options.epochs));
        const double loss = runEpoch(net, optimizer, split, rng);
        if (options.progress) {
            char line[96];
            std::snprintf(
                line, sizeof line, "epoch %d/%d: train loss %.4f", epoch, options.epochs, loss);
            options.progress(line);
        }
    }
    net->eval();
}

double meanSquaredError(ForecastNet &net, const torch::Tensor &x, const torch::Tensor &y)
{
    torch::NoGradGuard noGrad;
    return torch::mse_loss(net->forward(x), y).item<double>();
}

ModelInfo describe(const TrainOptions &options)
{
    ModelInfo info;
    info.path = options.outPath;
    info.metadataPath = metadataPathFor(options.outPath);
    info.stepS = kStepS;
    info.horizonsS.assign(kHorizonsS.begin(), kHorizonsS.end());
    info.hidden = kHidden;
    info.normalization = normalizationText();
    info.seed = options.seed;
    info.samples = options.samples;
    info.epochs = options.epochs;
    info.parameters = parameterCount(kInputs, kHidden, static_cast<int>(kHorizonsS.size()));
    return info;
}

nlohmann::json trainingJson(const TrainOptions &options)
{
    return {{"data", dataRecipeText()}, {"test_fraction", options.testFraction},
        {"optimizer", "Adam"}, {"learning_rate", kLearningRate},
        {"final_learning_rate", kFinalLearningRate}, {"schedule", "cosine"},
        {"batch_size", kBatchSize}, {"loss", "MSE on normalized targets"}, {"threads", 1},
        {"torch_version", TORCH_VERSION}};
}

void writeJson(const nlohmann::json &doc, const std::string &path)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << doc.dump(2) << '\n';
    out.close();
    if (!out)
        throw std::runtime_error("write failed");
}

// Writes both files under temporary names first, so a failure never leaves half a model.
void saveModel(ForecastNet &net, const ModelInfo &info, const nlohmann::json &doc)
{
    const std::string ptTemp = info.path + ".tmp";
    const std::string jsonTemp = info.metadataPath + ".tmp";
    try {
        const fs::path parent = fs::path(info.path).parent_path();
        if (!parent.empty())
            fs::create_directories(parent);
        torch::save(net, ptTemp);
        writeJson(doc, jsonTemp);
        fs::rename(ptTemp, info.path);
        fs::rename(jsonTemp, info.metadataPath);
    } catch (const std::exception &e) {
        std::error_code ignored;
        fs::remove(ptTemp, ignored);
        fs::remove(jsonTemp, ignored);
        throw InputError(
            info.path, std::nullopt, "", std::string("cannot write the model: ") + e.what());
    }
}

} // namespace

TrainResult train(const TrainOptions &options)
{
    checkOptions(options);
    const auto started = std::chrono::steady_clock::now();
    const SingleThreadScope oneThread;
    torch::manual_seed(options.seed);

    Dataset data = generateDataset(options.samples, options.seed);
    const Split split = splitDataset(data, options.testFraction, options.seed);
    ModelInfo info = describe(options);
    ForecastNet net(kInputs, info.hidden, static_cast<int>(info.horizonsS.size()));
    fit(net, split, options);

    info.trainMse = meanSquaredError(net, split.trainX, split.trainY);
    info.testMse = meanSquaredError(net, split.testX, split.testY);
    nlohmann::json doc = metadataJson(info);
    doc["training"] = trainingJson(options);
    saveModel(net, info, doc);

    TrainResult result;
    result.seconds
        = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    result.fileBytes = fs::file_size(info.path);
    qCInfo(lcForecast) << "trained" << info.epochs << "epochs on" << split.trainX.size(0)
                       << "windows in" << result.seconds << "s, test MSE" << info.testMse
                       << "- saved to" << info.path.c_str();
    result.info = info;
    result.model.reset(new Forecaster(
        std::make_unique<Forecaster::Impl>(Forecaster::Impl {std::move(info), std::move(net)})));
    return result;
}

} // namespace headroom::forecast
