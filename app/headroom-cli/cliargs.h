#pragma once

#include "io/inputerror.h"
#include "sim/clusterconfig.h"
#include "sim/clusteroverrides.h"
#include "traffic/traceslice.h"

#include <map>
#include <memory>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace headroom::forecast {
class Forecaster;
}
namespace headroom::traffic {
struct Scenario;
}

// Reading headroom-cli's options: every problem is an InputError naming the option.
using headroom::sim::badOption;
// `--option=value` as `--option value`, as train, hpa and kpa take it: the other arguments
// as they are (a value such as "alt=model.pt" does not start with "--").
std::vector<std::string> splitOptionValues(const std::vector<std::string> &args);
// Walks a command's `--option value` pairs (`--option=value` too): each option at most
// once, each value present; a bare word that is not an option is returned as one, for the
// caller to refuse as unknown.
class OptionReader
{
public:
    // `repeatable`: the options that may be given more than once (--query KEY=...).
    explicit OptionReader(const std::vector<std::string> &written, std::set<std::string> repeatable = {});
    // Moves to the next option; false at the end. Throws InputError for one given twice
    // that is not repeatable.
    bool next();
    const std::string &option() const { return m_args[m_i]; }
    // The option's value; throws InputError when there is none.
    const std::string &value();

private:
    std::vector<std::string> m_args;
    std::size_t m_i = 0;
    bool m_started = false;
    std::set<std::string> m_seen;
    std::set<std::string> m_repeatable;
};
// Whether --help or -h is among a command's arguments (it then prints its usage alone).
bool asksForHelp(const std::vector<std::string> &args);
// The one option of hpa and kpa, --input FILE (--input=FILE too): the file. Throws InputError
// naming the option that is unknown, repeated, empty or missing.
std::string readInputOption(const std::vector<std::string> &args, const std::string &command);
// --trace's value as sweep and train read it, FILE[@xN][@from=T][@hours=H] (the file found as
// shipped data), read and sliced; InputError naming the file, row or option. `compression`:
// --compression when given, refused beside the spec's own @xN.
headroom::traffic::LoadedTrace readTraceOption(const std::string &text, std::optional<double> compression);
// A whole number from `from` to `to`, the whole text; InputError naming `option` otherwise.
int parseCount(const std::string &option, const std::string &text, int from, int to);
// A seed: a whole number from 0 to 2^64 - 1, the whole text.
std::uint64_t parseSeed(const std::string &option, const std::string &text);
// A finite number, the whole text.
double parseNumber(const std::string &option, const std::string &text);
// A finite number above zero.
double parsePositive(const std::string &option, const std::string &text);
// A run's length in seconds: above zero and no longer than the simulator takes.
double parseDuration(const std::string &option, const std::string &text);
// Refuses (InputError naming --duration) a --duration past the scenario's duration_s: its
// load is defined that long, and the seconds after it would be a zero load the file never gave.
void checkDurationWithin(const std::optional<double> &durationS,
    const headroom::traffic::Scenario &scenario);
// A file or name option's value: refused when empty (an empty --model or --trace would
// otherwise read as not given, and run the default).
const std::string &nonEmpty(const std::string &option, const std::string &value);
// A comma-separated list without empty items; an empty list is an error.
std::vector<std::string> splitList(const std::string &option, const std::string &text);

// --models LABEL=FILE[,LABEL=FILE...]: the model of each "predictive-LABEL" lane,
// in the order given. LABEL is [A-Za-z0-9_]+, each once; FILE is not empty.
using ModelList = std::vector<std::pair<std::string, std::string>>;
ModelList parseModels(const std::string &option, const std::string &text);
// Every LABEL of --models must have its predictive-LABEL lane among `controllers`: a model
// no lane runs is a typo, not a choice. Throws InputError naming --models.
void checkModelsUsed(const ModelList &models, const std::vector<std::string> &controllers);
// "LABEL=FILE,..." again, for a command line that repeats the option.
std::string joinModels(const ModelList &models);
// LABEL -> FILE, as sim::ExperimentConfig::models takes them.
std::map<std::string, std::string> modelMap(const ModelList &models);
// Where a predictive lane's model file came from, for a note that it could not be loaded:
// "--model FILE", "HEADROOM_MODEL=FILE", "the shipped model FILE" or "--models LABEL=FILE";
// empty for a lane that runs no model.
std::string modelOrigin(const std::string &lane, const std::string &model, const ModelList &models);

// Cluster settings a run or sweep may override on the command line (shared with the
// dashboard's --max-replicas).
using headroom::sim::ClusterOverrides;

// A sweep entry's own cluster options: "@preset=NAME" and "@max-replicas=N" after
// the trace file or scenario (e.g. "trace.csv@x10@preset=llm"), read like --preset
// and --max-replicas. Returns the entry without them (its other @ options kept in
// order) and fills `overrides`. Throws InputError naming `option`, the entry and the
// @ option.
std::string takeEntryClusterOptions(
    const std::string &option, const std::string &entry, ClusterOverrides &overrides);
// Applies `overrides` read from `entry` (see above); a problem names the entry.
void applyEntryClusterOptions(const std::string &option, const std::string &entry,
    const ClusterOverrides &overrides, headroom::sim::ClusterConfig &config);

// A model file named on the command line (--model, --models): found as given or among
// the shipped data, and loadable. Returns the path to use; throws InputError naming the
// option and the file (not found, a folder, not a readable model) so that a typo stops
// the command instead of leaving a lane on its fallback rule.
// The models a check read, by the path it returned: given to the experiment (its
// loadedModels), a file is read (and logged) once, not again for its lane.
using LoadedModels = std::map<std::string, std::shared_ptr<const headroom::forecast::Forecaster>>;
std::string checkedModelFile(
    const std::string &option, const std::string &path, LoadedModels *loaded = nullptr);
// --model (when given) and every --models file, checked and replaced by the path to use;
// each file read once, and kept in `loaded` when given.
void checkModelFiles(std::string &model, ModelList &models, LoadedModels *loaded = nullptr);

