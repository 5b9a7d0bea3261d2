#include "forecast/forecaster.h"

#include "forecast/features.h"
#include "forecast/forecasterimpl.h"
#include "forecast/modelmetadata.h"
#include "io/inputerror.h"
#include "logging.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <map>
#include <sstream>
#include <torch/serialize/input-archive.h>
#include <torch/utils.h>

namespace headroom::forecast {

namespace {

std::string shapeText(c10::IntArrayRef sizes)
{
    std::ostringstream text;
    text << sizes;
    return text.str();
}

std::string errorText(const std::exception &e)
{
    if (const auto *torchError = dynamic_cast<const c10::Error *>(&e))
        return torchError->what_without_backtrace();
    return e.what();
}

void requireFile(const std::string &path)
{
    // The metadata beside a model is not one: it was read as the weights, and its own
    // metadata looked for as x.json.json.
    if (std::filesystem::path(path).extension() == ".json")
        throw InputError(path, std::nullopt, "",
            "the metadata of a model, not the model: give its .pt file ("
                + std::filesystem::path(path).replace_extension(".pt").string() + ")");
    std::error_code error;
    const auto status = std::filesystem::status(path, error);
    if (!std::filesystem::exists(status))
        throw InputError(path, std::nullopt, "", "model file not found");
    if (!std::filesystem::is_regular_file(status))
        throw InputError(path, std::nullopt, "",
            std::filesystem::is_directory(status) ? "a folder, not a model file"
                                                  : "not a regular file (a device, pipe or socket)");
}

void readWeights(ForecastNet &net, const std::string &path)
{
    try {
        torch::serialize::InputArchive archive;
        archive.load_from(path);
        net->load(archive);
    } catch (const std::exception &e) {
        throw InputError(path, std::nullopt, "", "not a readable model: " + errorText(e));
    }
}

// Module::load() adopts whatever shape the file holds, so compare against the metadata's.
void checkWeights(const ForecastNet &net, const std::map<std::string, std::vector<int64_t>> &shapes,
    const ModelInfo &info)
{
    for (const auto &parameter : net->named_parameters()) {
        const auto sizes = parameter.value().sizes();
        const auto &expected = shapes.at(parameter.key());
        if (sizes.vec() != expected)
            throw InputError(info.path, std::nullopt, parameter.key(),
                "shape " + shapeText(sizes) + " does not match " + shapeText(expected)
                    + " from the hidden sizes in " + info.metadataPath);
        if (!torch::isfinite(parameter.value()).all().item<bool>())
            throw InputError(info.path, std::nullopt, parameter.key(), "holds NaN or infinity");
    }
}

ForecastNet loadNet(const ModelInfo &info)
{
    const int outputs = kOutputs;
    if (info.parameters != parameterCount(kInputs, info.hidden, outputs))
        throw InputError(info.metadataPath, std::nullopt, "parameters",
            "does not match the hidden sizes and horizons");

    torch::NoGradGuard noGrad;
    ForecastNet net(kInputs, info.hidden, outputs);
    std::map<std::string, std::vector<int64_t>> shapes;
    for (const auto &parameter : net->named_parameters())
        shapes[parameter.key()] = parameter.value().sizes().vec();

    // A truncated or altered file can make the reader use memory it never filled: refuse
    // anything that is not byte for byte the file the metadata describes.
    if (fileSha256(info.path) != info.weightsSha256)
        throw InputError(info.path, std::nullopt, "",
            "does not match the weights_sha256 in " + info.metadataPath
                + " (damaged, truncated or from another training run)");
    readWeights(net, info.path);
    checkWeights(net, shapes, info);
    net->eval();
    return net;
}

} // namespace

Forecaster::Forecaster(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
    // Loaded or just trained, the net's layers are taken apart for inference alike. The
    // views share the parameters' storage.
    const auto params = m_impl->net->named_parameters();
    for (std::size_t i = 0;; ++i) {
        const std::string layer = "layer" + std::to_string(i);
        if (!params.contains(layer + ".weight"))
            break;
        m_impl->weightsT.push_back(params[layer + ".weight"].detach().t());
        m_impl->biases.push_back(params[layer + ".bias"].detach());
    }
}

Forecaster::Forecaster(Forecaster &&) noexcept = default;
Forecaster &Forecaster::operator=(Forecaster &&) noexcept = default;
Forecaster::~Forecaster() = default;

Forecaster Forecaster::load(const std::string &ptPath)
{
    requireFile(ptPath);
    auto impl = std::make_unique<Impl>();
    impl->info = readMetadata(ptPath);
    impl->net = loadNet(impl->info);
    Forecaster model(std::move(impl));
    // Finite weights can still overflow: a model whose forecasts are not numbers would run as
    // a forecast of 0 req/s, looking like a model that works.
    // Loads of several levels, steady, rising and uneven, with slow and missing latencies.
    for (const double level : {0.5, 5.0, 50.0, 500.0, 5000.0}) {
        for (int shape = 0; shape < 3; ++shape) {
            ForecastInput probe;
            for (int i = 0; i < kWindow; ++i) {
                probe.ratePerS[static_cast<std::size_t>(i)] = shape == 0 ? level
                    : shape == 1 ? level * (0.5 + static_cast<double>(i) / kWindow)
                                 : level * (i % 3 == 0 ? 2.0 : 0.5);
                probe.latencyMs[static_cast<std::size_t>(i)]
                    = shape == 2 && i % 4 == 0 ? std::numeric_limits<double>::quiet_NaN() : 100.0 * (1 + shape * i);
            }
            // A forecast a thousand times the load it saw is no forecast either (a last layer
            // 1e36 times too large forecast 6e36 req/s and held every lane at its maximum).
            const double bound = 1000.0 * std::max(2.0 * level, 1.0);
            const std::vector<double> rates = model.rawRates(probe);
            if (!std::all_of(rates.begin(), rates.end(), [&](double r) { return std::isfinite(r) && std::abs(r) <= bound; })) {
                std::ostringstream why;
                why << "its forecasts are not numbers, or over a thousand times the load (for a "
                    << (shape == 0 ? "steady" : shape == 1 ? "rising" : "uneven") << " load of " << level
                    << " req/s): weights out of range";
                throw InputError(ptPath, std::nullopt, "", why.str());
            }
        }
    }
    qCInfo(lcForecast) << "model loaded from" << ptPath.c_str() << "- test MSE"
                       << model.info().testMse << "," << model.info().parameters << "parameters";
    return model;
}

const ModelInfo &Forecaster::info() const
{
    return m_impl->info;
}

RateForecast Forecaster::forecast(const ForecastInput &input) const
{
    const std::vector<double> rates = rawRates(input);
    const auto rate = [&](int i) {
        const double r = rates[static_cast<std::size_t>(i)];
        return std::isfinite(r) ? std::max(r, 0.0) : 0.0;
    };
    RateForecast out;
    out.horizonsS = m_impl->info.horizonsS;
    for (int i = 0; i < kHorizons; ++i) {
        out.p50.push_back(rate(i));
        out.p90.push_back(std::max(rate(kHorizons + i), out.p50.back()));
    }
    return out;
}

std::vector<double> Forecaster::rawRates(const ForecastInput &input) const
{
    float features[kInputs];
    const double scale = encodeFeatures(input, features);

    // Inference mode skips autograd's bookkeeping, which costs more than this small net's
    // arithmetic; the heads are a few floats, taken from the raw output directly.
    c10::InferenceMode inference;
    const torch::Tensor x = torch::from_blob(features, {1, kInputs});
    // Each layer's output goes into a buffer this thread keeps: lanes forecast from several
    // threads at once, and allocating three small tensors a call cost a third of its time.
    // A model of other widths (another lane's) gets buffers of its own widths.
    torch::Tensor h = x;
    const std::size_t layers = m_impl->weightsT.size();
    thread_local std::vector<torch::Tensor> outs;
    bool fits = outs.size() == layers;
    for (std::size_t i = 0; fits && i < layers; ++i)
        fits = outs[i].size(1) == m_impl->weightsT[i].size(1);
    if (!fits) {
        outs.clear();
        for (std::size_t i = 0; i < layers; ++i)
            outs.push_back(torch::empty({1, m_impl->weightsT[i].size(1)}));
    }
    for (std::size_t i = 0; i < layers; ++i) {
        torch::addmm_out(outs[i], m_impl->biases[i], h, m_impl->weightsT[i]);
        h = outs[i];
        if (i + 1 < layers)
            h.relu_();
    }
    const torch::Tensor y = h;
    const float *raw = y.data_ptr<float>();
    float values[kOutputs];
    for (int i = 0; i < kHorizons; ++i) {
        values[i] = raw[i];
        values[kHorizons + i] = raw[i] + softplus(raw[kHorizons + i]);
    }

    std::vector<double> rates(kOutputs);
    for (int i = 0; i < kOutputs; ++i)
        rates[static_cast<std::size_t>(i)] = values[i] * scale;
    return rates;
}

} // namespace headroom::forecast
