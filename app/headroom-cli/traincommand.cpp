#include "traincommand.h"

#include "cliargs.h"

#include "forecast/forecaster.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "io/writelock.h"
#include "traffic/jsonfields.h"
#include "traffic/traceslice.h"

#include <QDir>
#include <QString>
#include <QTemporaryFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <chrono>
#include <cmath>
#include <exception>
#include <iomanip>
#include <limits>
#include <set>
#include <utility>

namespace {

// A shipped trace is found from anywhere, as run and sweep find it: the spec's file part
// resolved, its options kept. A spec that does not parse is left for loadTrace to refuse.
std::string resolvedTraceSpec(const std::string &text)
{
    try {
        const headroom::traffic::TraceSpec spec = headroom::traffic::parseTraceSpec(text);
        return headroom::io::resolveDataPath(spec.path, headroom::io::DataKind::Trace) + spec.options;
    } catch (const headroom::InputError &) {
        return text;
    }
}

using headroom::forecast::Forecaster;
using headroom::forecast::ForecastInput;
using headroom::forecast::TrainOptions;
using headroom::forecast::TrainResult;

// Exit codes.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;
// Forecasts timed for the inference figure; the median is reported.
constexpr int kTimedForecasts = 2000;
// Fewest windows the command accepts: train() needs both a train and a test split.
constexpr int kMinSamples = 10;
// Most windows the command accepts: 10 M windows already take about 700 MB.
constexpr int kMaxSamples = 10'000'000;
// Epoch bounds: at least one pass, and an upper bound that keeps a typo from running for days.
constexpr int kMinEpochs = 1;
constexpr int kMaxEpochs = 100'000;

// Printed after a command-line error and for --help.
constexpr const char *kUsage = "usage: headroom-cli train [--samples N] [--seed N] [--epochs N] "
                               "[--trace FILE[@xN][@from=T][@hours=H]] --out FILE\n"
                               "       headroom-cli train --evaluate MODEL.pt --trace FILE[@...] "
                               "[--seed N]\n";

// The command line: the trainer's options, and --evaluate, which trains nothing.
struct CommandOptions
{
    TrainOptions train;
    std::string evaluatePath; // --evaluate: score this model on the trace's tail
};

// A sweep entry's cluster options on --trace: the trace reader's advice (--preset NAME and
// --max-replicas N elsewhere) named options train does not have (a new-user trial). The
// windows are the trace's arrivals, which no cluster setting changes.
const std::string &noClusterOptions(const std::string &option, const std::string &text)
{
    const auto at = headroom::traffic::optionsStart(text);
    for (const char *cluster : {"@preset=", "@max-replicas="}) {
        const auto found = at == std::string::npos ? std::string::npos : text.find(cluster, at);
        if (found == std::string::npos)
            continue;
        const std::string given = text.substr(found, text.find('@', found + 1) - found);
        throw badOption(option,
            "'" + text + "': " + given
                + " is a cluster option (of a sweep's entry); train fits to the trace's "
                  "arrivals, which no cluster setting changes: give the trace without it");
    }
    return text;
}

// The command line (`--option value` and `--option=value`); InputError naming the option.
CommandOptions parseArgs(const std::vector<std::string> &args)
{
    CommandOptions command;
    TrainOptions &options = command.train;
    OptionReader reader(args);
    while (reader.next()) {
        const std::string &option = reader.option();
        if (option == "--samples")
            options.samples = parseCount(option, reader.value(), kMinSamples, kMaxSamples);
        else if (option == "--epochs")
            options.epochs = parseCount(option, reader.value(), kMinEpochs, kMaxEpochs);
        else if (option == "--seed")
            options.seed = parseSeed(option, reader.value());
        else if (option == "--evaluate")
            command.evaluatePath = nonEmpty(option, reader.value());
        else if (option == "--trace")
            options.traceSpec = resolvedTraceSpec(noClusterOptions(option, nonEmpty(option, reader.value())));
        else if (option == "--out")
            options.outPath = nonEmpty(option, reader.value());
        else
            throw badOption(option, "unknown option (see headroom-cli train --help)");
    }
    // --evaluate trains nothing: options of training beside it would be ignored.
    if (!command.evaluatePath.empty()) {
        for (const char *option : {"--out", "--samples", "--epochs"}) {
            if (std::find(args.begin(), args.end(), option) != args.end()
                || std::any_of(args.begin(), args.end(), [&](const std::string &a) { return a.rfind(std::string(option) + "=", 0) == 0; }))
                throw badOption(option, "has no use with --evaluate, which trains nothing");
        }
    }
    return command;
}

// A plausible window that changes from call to call, so nothing is served from a cache.
ForecastInput timingInput(int call)
{
    ForecastInput input;
    for (int i = 0; i < headroom::forecast::kWindow; ++i) {
        input.ratePerS[i] = 20.0 + (call % 97) + 3.0 * i;
        input.latencyMs[i] = 60.0 + (call % 13) * 10.0;
    }
    return input;
}

double medianForecastMicros(const Forecaster &model)
{
    std::vector<double> micros;
    micros.reserve(kTimedForecasts);
    for (int call = 0; call < kTimedForecasts; ++call) {
        const ForecastInput input = timingInput(call);
        const auto start = std::chrono::steady_clock::now();
        [[maybe_unused]] const auto rates = model.forecast(input);
        const auto stop = std::chrono::steady_clock::now();
        micros.push_back(std::chrono::duration<double, std::micro>(stop - start).count());
    }
    std::nth_element(micros.begin(), micros.begin() + kTimedForecasts / 2, micros.end());
    return micros[kTimedForecasts / 2];
}

void printResult(std::ostream &out, const TrainResult &result, double inferenceMicros)
{
    const auto &info = result.info;
    out << std::fixed << std::setprecision(4);
    out << "train MSE of p50 (normalized targets): " << info.trainMse << '\n';
    out << "test MSE of p50 (normalized targets):  " << info.testMse << '\n';
    out << "test MAE of p50 (normalized targets):  " << info.testMae << '\n';
    out << "test p90 coverage:                     " << info.testCoverageP90 << " (0.9 when calibrated)\n";
    out << "test by family (windows, MAE p50, p90 coverage; MAE of last step, of window mean):\n";
    for (const auto &f : info.testByFamily)
        out << "  " << std::left << std::setw(28) << f.family << std::right << std::setw(6)
            << f.windows << "  " << f.maeP50 << "  " << f.coverageP90 << "  " << f.maeLastStep
            << "  " << f.maeWindowMean << '\n';
    // A model further off than repeating what was seen is no forecast: --epochs 2 wrote one
    // (MAE 1.03 against the last step's 0.38) without a word (a trial).
    double windows = 0.0, model = 0.0, naive = 0.0;
    for (const auto &f : info.testByFamily) {
        windows += f.windows;
        model += f.windows * f.maeP50;
        naive += f.windows * std::min(f.maeLastStep, f.maeWindowMean);
    }
    if (windows > 0.0 && model > naive)
        out << "note: the p50 is further off (MAE " << model / windows << ") than repeating the last step "
            << "or the window's mean (" << naive / windows << "): train longer (--epochs) or on more "
            << "windows (--samples) before using this model\n";
    out << "parameters: " << info.parameters << '\n';
    out << "model: " << info.path << " (" << result.fileBytes << " bytes), metadata "
        << info.metadataPath << '\n';
    out << std::setprecision(2);
    // Counts agree with their nouns: --epochs 1 printed "1 epochs".
    // With a trace, the windows trained on are more than the synthetic ones: "200 windows"
    // was printed for a run that trained on 1157 (a new-user trial).
    out << "training time: " << result.seconds << " s (" << headroom::traffic::counted(info.epochs, "epoch") << ", ";
    if (result.traceFitWindows > 0)
        out << headroom::traffic::counted(result.trainWindows, "training window") << ": "
            << result.syntheticTrainWindows << " of the " << info.samples << " synthetic and "
            << result.traceFitWindows << " of the trace"
            << (result.traceRepeats > 1 ? " x" + std::to_string(result.traceRepeats) : std::string());
    else // the synthetic windows less the test share: "50 windows" was said of 40 trained on
        out << headroom::traffic::counted(result.trainWindows, "training window") << " of the "
            << info.samples << " synthetic";
    out << ", seed " << info.seed << ")\n";
    out << "inference: " << inferenceMicros << " us per forecast (median of " << kTimedForecasts
        << " calls)\n";
}

// The first and last `bytes` of a file (all of it when it is shorter); empty if unreadable.
std::pair<std::string, std::string> headAndTail(const std::string &path, std::size_t bytes)
{
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    const std::streamoff size = in ? static_cast<std::streamoff>(in.tellg()) : 0;
    if (size <= 0)
        return {};
    const auto read = [&](std::streamoff from, std::streamoff count) {
        std::string text(static_cast<std::size_t>(count), '\0');
        in.seekg(from);
        in.read(text.data(), count);
        text.resize(static_cast<std::size_t>(in.gcount()));
        return text;
    };
    const auto count = std::min(size, static_cast<std::streamoff>(bytes));
    std::string head = read(0, count);
    return {head, size <= count ? head : read(size - count, count)};
}

// A model train wrote (the shipped ones too, whatever its name now): torch::save's zip of a
// scripted module, whose central directory at the end lists <name>/data.pkl and
// <name>/code/__torch__. A Python checkpoint (no code/) or any other file is someone else's.
bool isEarlierModel(const std::string &path)
{
    const auto [head, tail] = headAndTail(path, 64 * 1024);
    return head.rfind("PK\x03\x04", 0) == 0 && tail.find("/data.pkl") != std::string::npos
        && tail.find("/code/__torch__") != std::string::npos;
}

// A model's metadata as train writes it, of any format_version (1 had no weights_sha256 or
// quantiles): an object with the format version, the input window and the horizons. A
// scenario, a trace's or any other JSON has none of them. It is a few KB: a large file is
// not read whole to be refused.
bool isEarlierModelMetadata(const std::string &path)
{
    std::error_code ec;
    if (std::filesystem::file_size(path, ec) > 1024 * 1024 || ec)
        return false;
    std::ifstream in(path, std::ios::binary);
    const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    return doc.is_object() && doc.contains("format_version") && doc["format_version"].is_number_integer()
        && doc.contains("window") && doc.contains("horizons_s") && doc["horizons_s"].is_array();
}

// Why `path` (FILE.pt) and its metadata FILE.json may not be replaced: an existing file is
// replaced only when it is an earlier model's (a scenario named FILE.json, or notes.pt, is
// the user's). Empty if they may; `replaces` says whether an earlier model is there.
std::string notOurs(const std::string &path, bool &replaces)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    replaces = false;
    const std::string metadata = (fs::path(path).replace_extension(".json")).string();
    for (const std::string &file : {path, metadata}) {
        if (!fs::exists(file, ec))
            continue;
        const bool isModel = file == path;
        if (!fs::is_regular_file(file, ec) || !(isModel ? isEarlierModel(file) : isEarlierModelMetadata(file)))
            return isModel ? "exists and is not a model Headroom wrote: not overwritten (give a new file)"
                           : "its metadata goes to " + metadata
                    + ", which exists and is not a Headroom model's metadata: not overwritten (give "
                      "another name)";
        replaces = true;
    }
    return {};
}

// Why the model cannot be written to `path`, checked before minutes of training; empty if it can.
std::string unwritable(const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(path, ec))
        return "is a folder; give a file name such as " + (fs::path(path) / "predictive.pt").string();
    // The weights go to FILE.pt and the metadata to FILE.json: any other name would put the
    // weights where a model's metadata is read from (models/predictive.json) or next to it.
    if (fs::path(path).extension() != ".pt")
        return "not a .pt file; the model is written to FILE.pt and its metadata to FILE.json";
    const fs::path parent = fs::path(path).parent_path().empty() ? fs::path(".")
                                                                 : fs::path(path).parent_path();
    if (!fs::is_directory(parent, ec))
        return "its folder " + parent.string() + " does not exist";
    // A probe under a name of its own, removed when it goes: a fixed FILE.pt.write-check
    // overwrote and deleted a user's file of that name (a new-user trial).
    QTemporaryFile probe(QDir(QString::fromStdString(parent.string()))
                             .filePath(QStringLiteral(".headroom-write-check-XXXXXX")));
    if (!probe.open())
        return "cannot be written";
    return {};
}

// --evaluate MODEL --trace SPEC: the held-out tail a model fitted with --trace is
// tested on, scored for a model that never saw the trace.
int evaluate(const TrainOptions &options, const std::string &modelPath, std::ostream &out,
    std::ostream &err)
{
    if (options.traceSpec.empty()) {
        err << "headroom-cli train: --evaluate needs --trace FILE (the tail to score on)\n" << kUsage;
        return kExitUsage;
    }
    try {
        // A shipped model is found by name from anywhere, as run and sweep find it.
        const std::string found
            = headroom::io::resolveDataPath(modelPath, headroom::io::DataKind::Model);
        const Forecaster model = Forecaster::load(found);
        TrainOptions read = options;
        read.trace = std::make_shared<const headroom::traffic::LoadedTrace>(
            headroom::traffic::loadTrace(headroom::traffic::parseTraceSpec(options.traceSpec)));
        for (const std::string &note : read.trace->notes())
            err << "note: " << note << '\n'; // as run and training say them
        const headroom::forecast::FamilyError e = evaluateOnTrace(model, read);
        out << std::fixed << std::setprecision(4);
        out << "model: " << found << '\n';
        out << "held-out tail of " << e.family << ": " << e.windows << " windows\n";
        out << "MAE of p50 (normalized targets): " << e.maeP50 << '\n';
        out << "MSE of p50 (normalized targets): " << e.mseP50 << '\n';
        out << "p90 coverage:                    " << e.coverageP90 << '\n';
        out << "MAE of last step, of window mean: " << e.maeLastStep << ", " << e.maeWindowMean
            << " (naive forecasts, for scale)\n";
    } catch (const headroom::InputError &e) {
        err << "headroom-cli train: " << e.what() << '\n';
        return kExitUsage;
    }
    return kExitOk;
}

} // namespace

int runTrainCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (asksForHelp(args)) {
        out << kUsage;
        return kExitOk;
    }
    CommandOptions command;
    try {
        command = parseArgs(args);
    } catch (const headroom::InputError &e) {
        err << "headroom-cli train: " << e.what() << '\n' << kUsage;
        return kExitUsage;
    }

    TrainOptions &options = command.train;
    if (!command.evaluatePath.empty())
        return evaluate(options, command.evaluatePath, out, err);

    // --out is required: a default would quietly replace the shipped model.
    if (options.outPath.empty()) {
        err << "headroom-cli train: --out FILE is required (the shipped model is "
               "models/predictive.pt)\n"
            << kUsage;
        return kExitUsage;
    }
    bool replacesEarlier = false;
    if (const std::string problem = unwritable(options.outPath); !problem.empty()) {
        err << "headroom-cli train: --out: " << options.outPath << ": " << problem << '\n';
        return kExitUsage; // a bad command line, as every other command has it
    }
    // One train writes a model at a time, with the lock run takes on its folder: two trains
    // of one --out both wrote FILE.pt.tmp, one renamed the other's from under it, and the
    // model left beside the other's FILE.json did not match it (a new-user trial). Held from
    // before the file is checked (another train may be about to write it) to the end.
    headroom::io::WriteLock lock(headroom::io::trainLockPath(options.outPath));
    if (!lock.tryLock() && lock.heldByAnother()) {
        err << "headroom-cli train: --out: " << options.outPath
            << " is being written by another train" << lock.holder()
            << ": give another --out, or wait for it to end\n";
        return kExitUsage;
    }
    if (const std::string problem = notOurs(options.outPath, replacesEarlier); !problem.empty()) {
        err << "headroom-cli train: --out: " << options.outPath << ": " << problem << '\n';
        return kExitUsage;
    }

    if (!options.traceSpec.empty()) {
        try {
            // Read once here so that a bad trace is a usage error, before any training.
            options.trace = std::make_shared<const headroom::traffic::LoadedTrace>(
                headroom::traffic::loadTrace(headroom::traffic::parseTraceSpec(options.traceSpec)));
        } catch (const headroom::InputError &e) {
            err << "headroom-cli train: --trace: " << e.what() << '\n';
            return kExitUsage;
        }
    }
    // How the trace was read (rows sorted, columns not used, holes, fractional counts), as
    // run says it: train had put it in a log line only.
    if (options.trace) {
        for (const std::string &note : options.trace->notes())
            err << "note: " << note << '\n';
    }
    options.progress = [&out](const std::string &line) { out << line << '\n' << std::flush; };
    try {
        const TrainResult result = train(options);
        // Said once it is true: said before training, it stood above a trace too short to fit
        // to, with the earlier model kept (a new-user trial).
        if (replacesEarlier)
            err << "note: replaced the earlier model " << options.outPath << " and its metadata "
                << result.info.metadataPath << "\n";
        // Time the model read back from disk: that is what the controller will run.
        const Forecaster model = Forecaster::load(result.info.path);
        printResult(out, result, medianForecastMicros(model));
    } catch (const headroom::InputError &e) {
        // The trace (too short, a count no run takes) or the output file.
        err << "headroom-cli train: " << e.what() << '\n';
        return kExitUsage;
    } catch (const std::exception &e) {
        err << "headroom-cli train: " << e.what() << '\n';
        return kExitFailure;
    }
    return kExitOk;
}
