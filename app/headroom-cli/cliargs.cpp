#include "cliargs.h"

#include "control/controllerfactory.h"
#include "forecast/forecaster.h"
#include "io/paths.h"
#include "sim/experiment.h"
#include "traffic/jsonfields.h"
#include "traffic/scenario.h"

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <cmath>
#include <cstdlib>
#include <sstream>

std::vector<std::string> splitOptionValues(const std::vector<std::string> &args)
{
    std::vector<std::string> out;
    for (const std::string &a : args) {
        const auto equals = a.find('=');
        if (a.starts_with("--") && equals != std::string::npos) {
            out.push_back(a.substr(0, equals));
            out.push_back(a.substr(equals + 1));
        } else {
            out.push_back(a);
        }
    }
    return out;
}

OptionReader::OptionReader(const std::vector<std::string> &written, std::set<std::string> repeatable)
    : m_args(splitOptionValues(written))
    , m_repeatable(std::move(repeatable))
{
}

bool OptionReader::next()
{
    if (m_started)
        ++m_i;
    m_started = true;
    if (m_i >= m_args.size())
        return false;
    const std::string &a = m_args[m_i];
    if (a.rfind("--", 0) == 0 && !m_seen.insert(a).second && !m_repeatable.count(a))
        throw badOption(a, "given twice");
    return true;
}

const std::string &OptionReader::value()
{
    if (m_i + 1 >= m_args.size())
        throw badOption(m_args[m_i], "needs a value");
    return m_args[++m_i];
}

bool asksForHelp(const std::vector<std::string> &args)
{
    return std::any_of(args.begin(), args.end(), [](const std::string &a) { return a == "--help" || a == "-h"; });
}

std::string readInputOption(const std::vector<std::string> &args, const std::string &command)
{
    OptionReader reader(args);
    std::string path;
    while (reader.next()) {
        if (reader.option() != "--input")
            throw badOption(reader.option(), "unknown option (see headroom-cli " + command + " --help)");
        path = nonEmpty("--input", reader.value());
    }
    if (path.empty())
        throw badOption("--input", "give the file to read (--input FILE)");
    return path;
}

headroom::traffic::LoadedTrace readTraceOption(const std::string &text, std::optional<double> compression)
{
    return headroom::traffic::loadTrace(headroom::traffic::traceOptionSpec(text, compression));
}

int parseCount(const std::string &option, const std::string &text, int from, int to)
{
    int value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < from || value > to) {
        throw badOption(option, "'" + text + "' is not a whole number from " + std::to_string(from)
            + " to " + std::to_string(to));
    }
    return value;
}

std::uint64_t parseSeed(const std::string &option, const std::string &text)
{
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size())
        throw badOption(option, "'" + text + "' is not a whole number from 0 to 18446744073709551615");
    return value;
}

double parseNumber(const std::string &option, const std::string &text)
{
    return headroom::sim::parseOptionNumber(option, text);
}

double parsePositive(const std::string &option, const std::string &text)
{
    const double value = parseNumber(option, text);
    if (!(value > 0))
        throw badOption(option, "must be positive");
    return value;
}

double parseDuration(const std::string &option, const std::string &text)
{
    const double value = parsePositive(option, text);
    if (!(value <= headroom::sim::Experiment::kMaxDurationS))
        throw badOption(option,
            text + " s is longer than the simulator runs: at most "
                + std::to_string(std::lround(headroom::sim::Experiment::kMaxDurationS))
                + " s (about 116 days)");
    return value;
}

const std::string &nonEmpty(const std::string &option, const std::string &value)
{
    if (value.empty())
        throw badOption(option, "is empty: give a file or a name");
    return value;
}

void checkDurationWithin(const std::optional<double> &durationS,
    const headroom::traffic::Scenario &scenario)
{
    using headroom::traffic::numberText;
    if (!durationS || *durationS <= scenario.durationS)
        return;
    throw badOption("--duration",
        numberText(*durationS) + " s runs past scenario '" + scenario.name
            + "', whose duration_s is " + numberText(scenario.durationS)
            + " s: its load is defined that long, and the seconds after it would run at a zero "
              "load it never gave (give --duration "
            + numberText(scenario.durationS) + " or less, or a longer scenario; docs/scenarios.md)");
}

std::vector<std::string> splitList(const std::string &option, const std::string &text)
{
    std::vector<std::string> items;
    std::stringstream stream(text);
    for (std::string item; std::getline(stream, item, ',');) {
        if (item.empty())
            throw badOption(option, "'" + text + "' has an empty entry (two commas, or one at an end)");
        items.push_back(item);
    }
    if (items.empty() || text.back() == ',')
        throw badOption(option, text.empty() ? std::string("the list is empty")
                                             : "'" + text + "' has an empty entry (two commas, or one at an end)");
    return items;
}

void checkModelsUsed(const ModelList &models, const std::vector<std::string> &controllers)
{
    for (const auto &[label, file] : models) {
        const std::string lane = std::string(headroom::control::kPredictiveLabelPrefix) + label;
        if (std::find(controllers.begin(), controllers.end(), lane) == controllers.end())
            throw badOption("--models", "'" + label + "=" + file + "': no lane runs it (add " + lane
                    + " to --controllers)");
    }
}

ModelList parseModels(const std::string &option, const std::string &text)
{
    ModelList models;
    for (const std::string &item : splitList(option, text)) {
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            throw badOption(option, "'" + item + "' is not LABEL=FILE");
        const std::string label = item.substr(0, eq);
        const std::string file = item.substr(eq + 1);
        if (!headroom::control::isValidModelLabel(label))
            throw badOption(option, "'" + label + "' in '" + item
                    + "' is not a label: use letters, digits and _ (the lane is predictive-LABEL)");
        if (file.empty())
            throw badOption(option, "'" + item + "' names no model file");
        for (const auto &[seen, unused] : models) {
            if (seen == label)
                throw badOption(option, "label '" + label + "' is given twice");
        }
        models.emplace_back(label, file);
    }
    return models;
}

std::string modelOrigin(const std::string &lane, const std::string &model, const ModelList &models)
{
    if (lane == "predictive") {
        const char *env = std::getenv("HEADROOM_MODEL");
        return !model.empty() ? "--model " + model
            : env && *env     ? "HEADROOM_MODEL=" + headroom::io::defaultModelPath()
                              : "the shipped model " + headroom::io::defaultModelPath();
    }
    if (const auto label = headroom::control::predictiveModelLabel(lane))
        return "--models " + *label + "=" + modelMap(models).at(*label);
    return {};
}

std::string joinModels(const ModelList &models)
{
    std::string text;
    for (const auto &[label, file] : models)
        text += (text.empty() ? "" : ",") + label + "=" + file;
    return text;
}

std::map<std::string, std::string> modelMap(const ModelList &models)
{
    return {models.begin(), models.end()};
}

namespace {

// The command-line option an entry's "@NAME=" stands for.
std::string entryOptionFlag(const std::string &name)
{
    if (name == "preset" || name == "max-replicas")
        return "--" + name;
    return {};
}

headroom::InputError badEntry(const std::string &option, const std::string &entry,
    const std::string &atOption, const std::string &problem)
{
    return badOption(option, "'" + entry + "': " + atOption + ": " + problem);
}

} // namespace

std::string takeEntryClusterOptions(
    const std::string &option, const std::string &entry, ClusterOverrides &overrides)
{
    const auto at = headroom::traffic::optionsStart(entry);
    if (at == std::string::npos)
        return entry;
    std::string rest = entry.substr(0, at);
    bool taken = false;
    std::stringstream options(entry.substr(at + 1));
    for (std::string item; std::getline(options, item, '@');) {
        const auto eq = item.find('=');
        const std::string flag = entryOptionFlag(item.substr(0, eq));
        if (flag.empty()) {
            rest += "@" + item;
            continue;
        }
        if (eq == std::string::npos)
            throw badEntry(option, entry, "@" + item,
                "needs a value, e.g. @preset=llm or @max-replicas=40");
        const bool repeated = flag == "--preset" ? overrides.preset.has_value()
                                                 : overrides.maxReplicas.has_value();
        if (repeated)
            throw badEntry(option, entry, "@" + item, "given twice");
        try {
            overrides.read(flag, item.substr(eq + 1));
        } catch (const headroom::InputError &e) {
            throw badEntry(option, entry, "@" + item, e.problem());
        }
        taken = true;
    }
    return taken ? rest : entry;
}

void applyEntryClusterOptions(const std::string &option, const std::string &entry,
    const ClusterOverrides &overrides, headroom::sim::ClusterConfig &config)
{
    try {
        overrides.applyTo(config);
    } catch (const headroom::InputError &e) {
        const std::string atOption = e.field() == "--max-replicas" && overrides.maxReplicas
            ? "@max-replicas=" + std::to_string(*overrides.maxReplicas)
            : "@" + e.field().substr(2);
        throw badEntry(option, entry, atOption, e.problem());
    }
}

void checkModelFiles(std::string &model, ModelList &models, LoadedModels *loaded)
{
    // Read each file once here too (--model x.pt --models a=x.pt), kept or not.
    LoadedModels local;
    LoadedModels *keep = loaded ? loaded : &local;
    if (!model.empty())
        model = checkedModelFile("--model", model, keep);
    for (auto &[label, file] : models)
        file = checkedModelFile("--models", file, keep);
}

std::string checkedModelFile(const std::string &option, const std::string &path, LoadedModels *loaded)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const std::string found = headroom::io::resolveDataPath(path, headroom::io::DataKind::Model);
    if (!fs::exists(found, ec))
        throw badOption(option, path + ": model file not found");
    if (fs::is_directory(found, ec))
        throw badOption(option, path + ": is a folder, not a model file (.pt)");
    if (loaded && loaded->count(found))
        return found;
    try {
        auto model = std::make_shared<const headroom::forecast::Forecaster>(
            headroom::forecast::Forecaster::load(found));
        if (loaded)
            loaded->emplace(found, std::move(model));
    } catch (const headroom::InputError &e) {
        throw badOption(option, e.what());
    }
    return found;
}

