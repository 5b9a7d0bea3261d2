#include "forecast/features.h"
#include "forecast/forecaster.h"
#include "forecast/forecasterimpl.h"
#include "forecast/modelmetadata.h"
#include "forecast/syntheticdata.h"
#include "forecast/tracedata.h"
#include "io/inputerror.h"
#include "logging.h"

#include <QString>
#include <QTemporaryFile>

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
#include <sys/stat.h>
#include <tuple>
#include <utility>
#include <torch/nn/functional/activation.h>
#include <torch/nn/functional/loss.h>
#include <torch/optim/adam.h>
#include <torch/serialize.h>
#include <torch/utils.h>
#include <torch/version.h>

namespace headroom::forecast {

namespace {

// Hidden layer widths of the network.
const std::vector<int> kHidden = {48, 48};
// Adam learning rate at the first epoch, and at the last (cosine decay between).
constexpr double kLearningRate = 1e-3;
constexpr double kFinalLearningRate = 1e-5;
// Windows per optimizer step.
constexpr int kBatchSize = 256;
// Mixed into the seed for the split and batch order, so they differ from the data stream.
constexpr std::uint64_t kSplitSalt = 0x5eed5eedULL;
constexpr std::uint64_t kBatchSalt = 0xba7c4ULL;
constexpr std::uint64_t kTraceSalt = 0x7ace5ULL;
constexpr std::uint64_t kHeldSalt = 0x4e1dULL;
// Fewest windows train() accepts: enough for a non-empty split.
constexpr int kMinSamples = 10;
// An operator's trace is repeated in the training set up to this many times, so that
// it weighs about as much as the synthetic windows without being memorized.
constexpr int kMaxTraceRepeats = 20;
// Fewest windows the trace must give its training and its test part.
constexpr int kMinTraceWindows = 20;

namespace fs = std::filesystem;

struct Split
{
    torch::Tensor trainX, trainY, testX, testY;
    std::vector<int> testFamily; // per test row, index into familyNames
    std::vector<std::string> familyNames;
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
    if (!options.traceSpec.empty() && options.testFraction > 0.5)
        throw std::invalid_argument("testFraction must be at most 0.5 with a trace");
    if (options.outPath.empty())
        throw std::invalid_argument("outPath must not be empty");
    // Its metadata goes next to it as .json: another extension would collide with or
    // multiply metadata files (X.json.json), so it is refused before any training.
    if (fs::path(options.outPath).extension() != ".pt")
        throw std::invalid_argument("outPath must end in .pt, not '" + options.outPath + "'");
}

torch::Tensor rowsOf(std::vector<float> &values, int rows)
{
    const int64_t columns = static_cast<int64_t>(values.size()) / rows;
    return torch::from_blob(values.data(), {rows, columns}).clone();
}

// Synthetic windows are independent draws: a shuffled split is fair.
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
    Split split {x.index_select(0, trainIndex), y.index_select(0, trainIndex),
        x.index_select(0, testIndex), y.index_select(0, testIndex), {}, data.familyNames};
    for (int64_t i = 0; i < testRows; ++i)
        split.testFamily.push_back(data.family[static_cast<std::size_t>(order[i])]);
    return split;
}

struct TraceWindows
{
    Dataset fit;
    Dataset held;
    std::string family;
    int cut = 0;
    int steps = 0;
};

// The trace's windows, split in time at 1 - testFraction. The held-out windows do not
// depend on the fitted ones' draws, so a model trained without the trace can be scored
// on exactly the same tail.
TraceWindows traceWindows(const TrainOptions &options)
{
    const std::shared_ptr<const traffic::LoadedTrace> loaded = options.trace
        ? options.trace
        : std::make_shared<const traffic::LoadedTrace>(
              traffic::loadTrace(traffic::parseTraceSpec(options.traceSpec)));
    const traffic::LoadedTrace &trace = *loaded;
    const double testFraction = options.testFraction;
    const std::uint64_t seed = options.seed;
    const std::uint64_t traceSeed = options.traceSeed;
    const std::vector<double> rates = traceStepRates(trace, traceSeed);
    TraceWindows w;
    w.steps = static_cast<int>(rates.size());
    w.cut = static_cast<int>(std::lround(w.steps * (1.0 - testFraction)));
    w.family = "trace " + trace.spec.label();
    std::mt19937_64 fitRng(seed ^ kTraceSalt);
    std::mt19937_64 heldRng(seed ^ kTraceSalt ^ kHeldSalt);
    w.fit = windowsFromSeries(rates, 0, w.cut - horizonSteps() + 1, 1, fitRng, w.family);
    w.held = windowsFromSeries(rates, w.cut, w.steps, 1, heldRng, w.family);
    return w;
}

// An operator's trace is split in time: windows whose horizons end before the cut train,
// windows ending after it test, so no test target was ever a training target. Returns the
// fitted windows and how many times they are repeated.
std::pair<int, int> addTrace(Split &split, const TrainOptions &options)
{
    TraceWindows windows = traceWindows(options);
    Dataset &fit = windows.fit;
    Dataset &held = windows.held;
    const std::string &family = windows.family;
    const int cut = windows.cut;
    const int steps = windows.steps;
    if (fit.rows < kMinTraceWindows || held.rows < kMinTraceWindows)
        throw InputError(options.traceSpec, std::nullopt, "",
            "too short to fit to: " + std::to_string(fit.rows) + " training and "
                + std::to_string(held.rows) + " test windows of " + std::to_string(kWindow)
                + " x " + std::to_string(static_cast<int>(kStepS)) + " s with "
                + std::to_string(static_cast<int>(kContextS)) + " s of context and "
                + std::to_string(static_cast<int>(kHorizonsS.back()))
                + " s of horizon; at least " + std::to_string(kMinTraceWindows)
                + " of each are needed (a longer trace or slice, or a lower compression, gives more)");

    const auto synthetic = split.trainX.size(0);
    const int repeats = std::clamp(static_cast<int>(synthetic / fit.rows), 1, kMaxTraceRepeats);
    const torch::Tensor fx = rowsOf(fit.features, fit.rows).repeat({repeats, 1});
    const torch::Tensor fy = rowsOf(fit.targets, fit.rows).repeat({repeats, 1});
    split.trainX = torch::cat({split.trainX, fx});
    split.trainY = torch::cat({split.trainY, fy});
    split.testX = torch::cat({split.testX, rowsOf(held.features, held.rows)});
    split.testY = torch::cat({split.testY, rowsOf(held.targets, held.rows)});
    split.familyNames.push_back(family);
    split.testFamily.insert(split.testFamily.end(), static_cast<std::size_t>(held.rows),
        static_cast<int>(split.familyNames.size()) - 1);
    qCInfo(lcForecast) << "fitting to" << options.traceSpec.c_str() << ":" << fit.rows
                       << "training windows (x" << repeats << ")," << held.rows
                       << "test windows after step" << cut << "of" << steps;
    return {fit.rows, repeats};
}

// Quantile (pinball) loss of the p50 and p90 heads against the one actual rate.
torch::Tensor pinballLoss(const torch::Tensor &predicted, const torch::Tensor &actual)
{
    torch::Tensor total;
    for (std::size_t q = 0; q < kQuantiles.size(); ++q) {
        const auto head = predicted.slice(1, static_cast<int64_t>(q) * kHorizons,
            static_cast<int64_t>(q + 1) * kHorizons);
        const auto error = actual - head;
        const double tau = kQuantiles[q];
        const auto loss = torch::max(tau * error, (tau - 1.0) * error).mean();
        total = q == 0 ? loss : total + loss;
    }
    return total / static_cast<double>(kQuantiles.size());
}

torch::Tensor predict(ForecastNet &net, const torch::Tensor &x)
{
    return quantileHeads(net->forward(x), kHorizons);
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
        const auto loss = pinballLoss(
            predict(net, split.trainX.index_select(0, batch)), split.trainY.index_select(0, batch));
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

FamilyError errorOf(const torch::Tensor &predicted, const torch::Tensor &actual, std::string name,
    const torch::Tensor &inputs)
{
    const auto p50 = predicted.slice(1, 0, kHorizons);
    const auto p90 = predicted.slice(1, kHorizons);
    FamilyError e;
    e.family = std::move(name);
    e.windows = static_cast<int>(actual.size(0));
    e.maeP50 = (p50 - actual).abs().mean().item<double>();
    e.mseP50 = (p50 - actual).pow(2).mean().item<double>();
    e.coverageP90 = (actual <= p90).to(torch::kDouble).mean().item<double>();
    e.pinball = pinballLoss(predicted, actual).item<double>();
    // Naive forecasts on the same windows, for scale: every horizon equal to the last
    // step (input kWindow - 1), or to the window's mean: 1 after normalization, but less
    // where the scale is the 0.1 req/s floor (an idle window is 0; it read 1, so an all-zero
    // trace gave the mean an error of 1).
    const auto last = inputs.slice(1, kWindow - 1, kWindow);
    e.maeLastStep = (last - actual).abs().mean().item<double>();
    const auto mean = inputs.slice(1, 0, kWindow).mean(1, /*keepdim=*/true);
    const auto windowMean = torch::where(mean < 0.999, mean, torch::ones_like(mean));
    e.maeWindowMean = (actual - windowMean).abs().mean().item<double>();
    return e;
}

void evaluate(ForecastNet &net, const Split &split, ModelInfo &info)
{
    torch::NoGradGuard noGrad;
    info.trainMse = errorOf(predict(net, split.trainX), split.trainY, "train", split.trainX).mseP50;
    const torch::Tensor predicted = predict(net, split.testX);
    const FamilyError all = errorOf(predicted, split.testY, "all", split.testX);
    info.testMse = all.mseP50;
    info.testMae = all.maeP50;
    info.testCoverageP90 = all.coverageP90;
    for (std::size_t f = 0; f < split.familyNames.size(); ++f) {
        std::vector<int64_t> rows;
        for (std::size_t i = 0; i < split.testFamily.size(); ++i) {
            if (split.testFamily[i] == static_cast<int>(f))
                rows.push_back(static_cast<int64_t>(i));
        }
        if (rows.empty())
            continue;
        const auto index = torch::from_blob(rows.data(), {static_cast<int64_t>(rows.size())},
            torch::kLong).clone();
        info.testByFamily.push_back(errorOf(predicted.index_select(0, index),
            split.testY.index_select(0, index), split.familyNames[f],
            split.testX.index_select(0, index)));
    }
}

ModelInfo describe(const TrainOptions &options)
{
    ModelInfo info;
    info.path = options.outPath;
    info.metadataPath = metadataPathFor(options.outPath);
    info.stepS = kStepS;
    info.horizonsS.assign(kHorizonsS.begin(), kHorizonsS.end());
    info.quantiles.assign(kQuantiles.begin(), kQuantiles.end());
    info.traceSpec = options.traceSpec;
    info.hidden = kHidden;
    info.normalization = normalizationText();
    info.seed = options.seed;
    info.samples = options.samples;
    info.epochs = options.epochs;
    info.parameters = parameterCount(kInputs, kHidden, kOutputs);
    return info;
}

nlohmann::json trainingJson(const TrainOptions &options)
{
    return {{"data", dataRecipeText()}, {"test_fraction", options.testFraction},
        {"optimizer", "Adam"}, {"learning_rate", kLearningRate},
        {"final_learning_rate", kFinalLearningRate}, {"schedule", "cosine"},
        {"batch_size", kBatchSize},
        {"loss", "pinball (quantile) loss of p50 and p90 on normalized targets"}, {"threads", 1},
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

// A new, empty file named `target` + ".tmp-" and six random characters, in target's folder
// (a rename there is atomic): created exclusively, so it is never a file that was there. A
// fixed FILE.pt.tmp was shared by two trains of one model, one renaming it from under the
// other, and a user's own FILE.pt.tmp was overwritten and deleted (a new-user trial). The
// archive torch::save writes records its file's name up to the last '.', so the model's
// temporary still names it FILE.pt, as the final file does: the bytes are the same. Removed
// when it goes out of scope unless kept (after a rename, its name is no file of ours).
std::unique_ptr<QTemporaryFile> reserveTemporary(const std::string &target, const char *tag)
{
    auto file = std::make_unique<QTemporaryFile>(
        QString::fromStdString(fs::absolute(target).string() + tag + "XXXXXX"));
    if (!file->open())
        throw std::runtime_error("cannot create a temporary file beside it ("
            + file->errorString().toStdString() + ")");
    file->close(); // the name stays reserved: torch::save and writeJson write it by name
    return file;
}

// A temporary file is created readable by its owner alone; the model takes the permissions a
// file written in place gets (or the earlier model's), or the renamed model would be -rw-------.
void givePermissions(const std::string &temporary, const std::string &target)
{
    std::error_code ec;
    fs::perms perms = fs::status(target, ec).permissions();
    if (ec || perms == fs::perms::unknown) {
        const mode_t mask = ::umask(0);
        ::umask(mask);
        perms = static_cast<fs::perms>(0666 & ~mask);
    }
    fs::permissions(temporary, perms, fs::perm_options::replace);
}

// Writes both files under unique temporary names first, so a failure never leaves half a
// model, then renames them over the earlier pair together: when the metadata cannot take its
// place, the earlier weights are put back, so FILE.pt and FILE.json are never of two models
// (whose weights_sha256 then refuses the pair, and the earlier good model was gone). Two
// trains of one file do not get this far together: the command holds the model's lock.
void saveModel(ForecastNet &net, const ModelInfo &info, const nlohmann::json &doc)
{
    std::unique_ptr<QTemporaryFile> ptTemp, jsonTemp, earlier;
    try {
        const fs::path parent = fs::path(info.path).parent_path();
        if (!parent.empty())
            fs::create_directories(parent);
        ptTemp = reserveTemporary(info.path, ".tmp-");
        jsonTemp = reserveTemporary(info.metadataPath, ".tmp-");
        const std::string ptName = ptTemp->fileName().toStdString();
        const std::string jsonName = jsonTemp->fileName().toStdString();
        torch::save(net, ptName);
        nlohmann::json withHash = doc;
        withHash["weights_sha256"] = fileSha256(ptName);
        writeJson(withHash, jsonName);
        givePermissions(ptName, info.path);
        givePermissions(jsonName, info.metadataPath);
        // The earlier weights, kept under a name of their own until the new pair is in place.
        std::error_code missing;
        if (fs::exists(info.path, missing)) {
            earlier = reserveTemporary(info.path, ".old-");
            const std::string keep = earlier->fileName().toStdString();
            fs::remove(keep);
            std::error_code unlinked;
            fs::create_hard_link(info.path, keep, unlinked);
            if (unlinked) // a file system without hard links
                fs::copy_file(info.path, keep, fs::copy_options::overwrite_existing);
        }
        fs::rename(ptName, info.path);
        ptTemp->setAutoRemove(false);
        try {
            fs::rename(jsonName, info.metadataPath);
            jsonTemp->setAutoRemove(false);
        } catch (const std::exception &) {
            std::error_code ignored;
            if (earlier)
                fs::rename(earlier->fileName().toStdString(), info.path, ignored);
            else
                fs::remove(info.path, ignored);
            throw;
        }
    } catch (const std::exception &e) {
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
    Split split = splitDataset(data, options.testFraction, options.seed);
    TrainResult result;
    result.syntheticTrainWindows = split.trainX.size(0);
    if (!options.traceSpec.empty())
        std::tie(result.traceFitWindows, result.traceRepeats) = addTrace(split, options);
    result.trainWindows = split.trainX.size(0);
    ModelInfo info = describe(options);
    ForecastNet net(kInputs, info.hidden, kOutputs);
    fit(net, split, options);
    evaluate(net, split, info);
    nlohmann::json doc = metadataJson(info);
    doc["training"] = trainingJson(options);
    saveModel(net, info, doc);
    info.weightsSha256 = fileSha256(info.path);

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

FamilyError evaluateOnTrace(const Forecaster &model, const TrainOptions &options)
{
    TraceWindows windows = traceWindows(options);
    if (windows.held.rows < kMinTraceWindows)
        throw InputError(options.traceSpec, std::nullopt, "",
            "too short to score on: its last " + std::to_string(static_cast<int>(options.testFraction * 100))
                + " % holds " + std::to_string(windows.held.rows) + " windows (each needs "
                + std::to_string(static_cast<int>(kContextS)) + " s of context and "
                + std::to_string(static_cast<int>(kHorizonsS.back()))
                + " s of horizon), at least " + std::to_string(kMinTraceWindows)
                + " are needed (a longer trace or slice, or a lower compression, gives more)");
    const SingleThreadScope oneThread;
    torch::NoGradGuard noGrad;
    const torch::Tensor x = rowsOf(windows.held.features, windows.held.rows);
    const torch::Tensor y = rowsOf(windows.held.targets, windows.held.rows);
    return errorOf(predict(model.m_impl->net, x), y, windows.family, x);
}

} // namespace headroom::forecast
