#include "forecast/modelmetadata.h"

#include "forecast/features.h"
#include "io/inputerror.h"
#include "traffic/jsonfields.h"

#include <QCryptographicHash>
#include <QFile>
#include <filesystem>
#include <fstream>

namespace headroom::forecast {

namespace {

// Widest and most hidden layers a metadata file may ask for; guards against absurd allocations.
constexpr int kMaxHiddenWidth = 4096;
constexpr std::size_t kMaxHiddenLayers = 16;

using nlohmann::json;

const json &require(const json &doc, const char *name, const std::string &path)
{
    const auto it = doc.find(name);
    if (it == doc.end())
        throw InputError(path, std::nullopt, name, "missing");
    return *it;
}

template <typename T> T read(const json &doc, const char *name, const std::string &path)
{
    const json &value = require(doc, name, path);
    const bool ok = std::is_same_v<T, std::string> ? value.is_string() : value.is_number();
    if (!ok)
        throw InputError(path, std::nullopt, name, std::string("wrong type ") + value.type_name());
    return value.get<T>();
}

template <typename T>
std::vector<T> readPositiveList(const json &doc, const char *name, const std::string &path)
{
    const json &value = require(doc, name, path);
    if (!value.is_array() || value.empty())
        throw InputError(path, std::nullopt, name, "must be a non-empty list of numbers");
    std::vector<T> list;
    for (const json &item : value) {
        if (!item.is_number() || item.get<double>() <= 0.0)
            throw InputError(path, std::nullopt, name, "must hold positive numbers only");
        list.push_back(item.get<T>());
    }
    return list;
}

json parseFile(const std::string &path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw InputError(path, std::nullopt, "", "model metadata file not found or unreadable");
    try {
        return json::parse(in);
    } catch (const json::exception &e) {
        throw InputError(path, std::nullopt, "", std::string("not valid JSON: ") + e.what());
    }
}

void checkShape(const json &doc, const ModelInfo &info)
{
    const std::string &path = info.metadataPath;
    if (read<int>(doc, "format_version", path) != kFormatVersion)
        throw InputError(path, std::nullopt, "format_version",
            "unsupported, expected " + std::to_string(kFormatVersion));
    if (info.quantiles != std::vector<double>(kQuantiles.begin(), kQuantiles.end()))
        throw InputError(path, std::nullopt, "quantiles", "must be [0.5, 0.9]");
    if (info.horizonsS != std::vector<double>(kHorizonsS.begin(), kHorizonsS.end()))
        throw InputError(path, std::nullopt, "horizons_s", "must be the 11 horizons 5-180 s");
    if (info.window != kWindow)
        throw InputError(path, std::nullopt, "window", "must be " + std::to_string(kWindow));
    // What the model was trained on, and what the controller and the forward pass give it:
    // another value passed for the shipped one and ran as if it were (a new-user trial).
    if (info.stepS != kStepS)
        throw InputError(path, std::nullopt, "step_s",
            "must be " + traffic::numberText(kStepS) + " (the controller's step, in seconds)");
    if (const auto it = doc.find("activation");
        it != doc.end() && !(it->is_string() && it->get<std::string>() == "relu"))
        throw InputError(path, std::nullopt, "activation", "must be \"relu\" (the only one the forward pass computes)");
    if (info.hidden.size() > kMaxHiddenLayers)
        throw InputError(path, std::nullopt, "hidden", "more than 16 layers");
    for (int width : info.hidden) {
        if (width > kMaxHiddenWidth)
            throw InputError(path, std::nullopt, "hidden", "layer wider than 4096");
    }
}

json familiesJson(const std::vector<FamilyError> &families)
{
    json list = json::array();
    for (const FamilyError &f : families)
        list.push_back({{"family", f.family}, {"windows", f.windows}, {"mae_p50", f.maeP50},
            {"mse_p50", f.mseP50}, {"coverage_p90", f.coverageP90}, {"pinball", f.pinball},
            {"mae_last_step", f.maeLastStep}, {"mae_window_mean", f.maeWindowMean}});
    return list;
}

} // namespace

std::string fileSha256(const std::string &path)
{
    QFile file(QString::fromStdString(path));
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file))
        return {};
    return hash.result().toHex().toStdString();
}

std::string metadataPathFor(const std::string &ptPath)
{
    std::filesystem::path path(ptPath);
    if (path.extension() == ".pt")
        return path.replace_extension(".json").string();
    return ptPath + ".json";
}

nlohmann::json metadataJson(const ModelInfo &info)
{
    return json {
        {"format_version", kFormatVersion},
        {"window", info.window},
        {"step_s", info.stepS},
        {"horizons_s", info.horizonsS},
        {"hidden", info.hidden},
        {"activation", "relu"},
        {"inputs", inputsText()},
        {"outputs", outputsText()},
        {"quantiles", info.quantiles},
        {"normalization", info.normalization},
        {"seed", info.seed},
        {"samples", info.samples},
        {"epochs", info.epochs},
        {"train_mse", info.trainMse},
        {"test_mse", info.testMse},
        {"test_mae", info.testMae},
        {"test_coverage_p90", info.testCoverageP90},
        {"test_by_family", familiesJson(info.testByFamily)},
        {"trace", info.traceSpec},
        {"weights_sha256", info.weightsSha256},
        {"parameters", info.parameters},
    };
}

ModelInfo readMetadata(const std::string &ptPath)
{
    ModelInfo info;
    info.path = ptPath;
    info.metadataPath = metadataPathFor(ptPath);
    const std::string &path = info.metadataPath;
    const json doc = parseFile(path);
    if (!doc.is_object())
        throw InputError(path, std::nullopt, "", "not a JSON object");
    if (read<int>(doc, "format_version", path) != kFormatVersion)
        throw InputError(path, std::nullopt, "format_version",
            "unsupported, expected " + std::to_string(kFormatVersion)
                + " (retrain with headroom-cli train)");

    info.window = read<int>(doc, "window", path);
    info.stepS = read<double>(doc, "step_s", path);
    info.horizonsS = readPositiveList<double>(doc, "horizons_s", path);
    info.quantiles = readPositiveList<double>(doc, "quantiles", path);
    info.hidden = readPositiveList<int>(doc, "hidden", path);
    info.normalization = read<std::string>(doc, "normalization", path);
    info.seed = read<std::uint64_t>(doc, "seed", path);
    info.samples = read<int>(doc, "samples", path);
    info.epochs = read<int>(doc, "epochs", path);
    info.trainMse = read<double>(doc, "train_mse", path);
    info.testMse = read<double>(doc, "test_mse", path);
    info.parameters = read<long long>(doc, "parameters", path);
    info.testMae = read<double>(doc, "test_mae", path);
    info.weightsSha256 = read<std::string>(doc, "weights_sha256", path);
    info.testCoverageP90 = read<double>(doc, "test_coverage_p90", path);
    if (const auto it = doc.find("trace"); it != doc.end() && it->is_string())
        info.traceSpec = it->get<std::string>();
    if (const auto it = doc.find("test_by_family"); it != doc.end() && it->is_array()) {
        for (const json &f : *it) {
            if (!f.is_object())
                throw InputError(path, std::nullopt, "test_by_family", "must hold objects");
            info.testByFamily.push_back({read<std::string>(f, "family", path),
                read<int>(f, "windows", path), read<double>(f, "mae_p50", path),
                read<double>(f, "mse_p50", path), read<double>(f, "coverage_p90", path),
                read<double>(f, "pinball", path), read<double>(f, "mae_last_step", path),
                read<double>(f, "mae_window_mean", path)});
        }
    }
    checkShape(doc, info);
    return info;
}

} // namespace headroom::forecast
