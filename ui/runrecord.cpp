#include "runrecord.h"

#include "control/controllerfactory.h"
#include "io/inputerror.h"
#include "io/runwriter.h"
#include "io/sweepreport.h"
#include "io/timeseriesreader.h"
#include "logging.h"
#include "picturefile.h"
#include "sim/clusterconfig.h"
#include "sim/limits.h"
#include "traffic/arrivalsource.h"
#include "traffic/jsonfields.h"
#include "traffic/traceslice.h"
#include "traffic/spike.h"
#include "traffic/textfile.h"

#include <QDir>
#include <QFileInfo>
#include <QIODevice>
#include <QRegularExpression>
#include <QStandardPaths>
#include <algorithm>
#include <sstream>
#include <cmath>
#include <cstdlib>
#include <map>
#include <string_view>
#include <nlohmann/json.hpp>

namespace headroom::ui {

namespace {

using nlohmann::json;

constexpr const char *kFormat = "headroom-run";
constexpr int kVersion = 1;
constexpr double kMaxSeconds = 1e9;
// A live cluster's most pods: Kubernetes' (150 000 pods a cluster), not the simulator's
// sim::kMaxReplicas, which a Deployment scaled by hand or by its own autoscaler can pass.
constexpr int kLiveMaxPods = 1000000;
const QString kRunFile = QStringLiteral("run.json");
const QString kSamplesFile = QStringLiteral("timeseries.csv");

std::string utf8(const QString &text)
{
    return text.toStdString();
}

QString qtext(const std::string &text)
{
    return QString::fromStdString(text);
}

std::optional<RunState> stateFromText(const std::string &text)
{
    for (RunState state : {RunState::Ready, RunState::Running, RunState::Paused, RunState::Finished,
                            RunState::Stopped}) {
        if (runStateText(state).toStdString() == text)
            return state;
    }
    return std::nullopt;
}

json eventJson(const metrics::LaneEvent &event)
{
    json j {{"t_s", event.tS}, {"kind", event.kind}, {"text", event.text}};
    if (!event.region.empty()) {
        j["region"] = event.region;
        j["opens"] = event.regionOpens;
    }
    return j;
}

metrics::LaneEvent eventFromJson(const traffic::JsonFields &f, double durationS)
{
    f.allowOnly({"t_s", "kind", "text", "region", "opens"});
    metrics::LaneEvent event;
    event.tS = f.number("t_s");
    f.require(event.tS >= 0.0 && event.tS <= durationS + 1.0, "t_s",
        "must be within the run (0 to duration_s " + traffic::numberText(durationS) + ")");
    event.kind = f.text("kind");
    f.require(event.kind == "scale" || event.kind == "condition" || event.kind == "fallback"
            || event.kind == "spike",
        "kind", "'" + event.kind + "' is not scale, condition, fallback or spike");
    event.text = f.text("text", std::string());
    event.region = f.text("region", std::string());
    event.regionOpens = f.boolean("opens", false);
    return event;
}

// A note the recording can hold: at most a second past the run's end, as the reader takes.
bool noteWithinRun(const ComparisonData &data, const ComparisonData::Note &note)
{
    return note.tS <= data.durationS + 1.0;
}

// "a note after the run's end (70 s) <what>: 300 s "late"", %1 in `what` read as "it" or
// "them"; empty when every note is within the run.
QString pastNotesText(const ComparisonData &data, const QString &what)
{
    QStringList notes;
    for (const ComparisonData::Note &note : data.notes) {
        if (!noteWithinRun(data, note))
            notes.append(QStringLiteral("%1 s \"%2\"")
                             .arg(qtext(traffic::numberText(note.tS)), qtext(note.text)));
    }
    if (notes.isEmpty())
        return {};
    const bool one = notes.size() == 1;
    return QStringLiteral("%1 after the run's end (%2 s) %3: %4")
        .arg(one ? QStringLiteral("a note") : QString::number(notes.size()) + QStringLiteral(" notes"),
            qtext(traffic::numberText(data.durationS)),
            QString(what).replace(QStringLiteral("%1"), one ? QStringLiteral("it") : QStringLiteral("them")),
            notes.join(QStringLiteral(", ")));
}

double lastSampleS(const ComparisonData &data)
{
    double last = 0.0;
    for (const ComparisonData::Lane &lane : data.lanes) {
        if (!lane.samples.empty())
            last = std::max(last, lane.samples.back().tS);
    }
    return last;
}

// The most pods run.json records: a simulated run's cluster's, a live cluster's at least the
// most it had (it is not bound by what its controller assumes), so that the reader, which
// holds every sample to it, opens what was recorded.
int recordedMaxReplicas(const ComparisonData &data)
{
    int most = data.maxReplicas;
    if (!data.live)
        return most;
    for (const ComparisonData::Lane &lane : data.lanes) {
        for (const metrics::LaneSample &s : lane.samples)
            most = std::max({most, s.podsDesired, s.podsReady + s.podsStarting + s.podsUnready});
    }
    return most;
}

// The run's length as recorded: a live run's is at least its last second read (the reading
// that ends it can bring seconds past the follow's end).
double recordedDurationS(const ComparisonData &data)
{
    return data.live ? std::max(data.durationS, lastSampleS(data)) : data.durationS;
}

json runJson(const ComparisonData &data, const std::optional<SimulationSource> &source,
    const QDateTime &recorded)
{
    const int maxReplicas = recordedMaxReplicas(data);
    const double durationS = recordedDurationS(data);
    json settings = json::array();
    for (const auto &[key, value] : data.settings)
        settings.push_back({{"key", key}, {"value", value}});
    json spikes = json::array();
    for (const ComparisonData::SpikeSpan &spike : data.spikes)
        spikes.push_back({{"start_s", spike.startS}, {"end_s", spike.endS},
            {"multiplier", spike.multiplier}, {"shape", spike.shape}});
    // The notes within the run: one after its end belongs to a longer run of the session, and
    // the reader refuses it (recordRun says which were left out).
    std::vector<ComparisonData::Note> notes;
    std::copy_if(data.notes.begin(), data.notes.end(), std::back_inserter(notes),
        [&data](const ComparisonData::Note &note) { return noteWithinRun(data, note); });
    // Each lane's summary as summary.json gives it, with the comparison the table shows
    // (provisioning against the reference, time to scale): the lanes' own summaries leave
    // it out, since it needs every lane.
    metrics::ComparisonSettings comparison = comparisonSettings(data);
    comparison.maxReplicas = maxReplicas; // as the reader compares them
    comparison.durationS = durationS;
    const std::vector<metrics::LaneComparison> comparisons = compareLanes(data, comparison);
    json lanes = json::array();
    for (std::size_t i = 0; i < data.lanes.size(); ++i) {
        const ComparisonData::Lane &lane = data.lanes[i];
        metrics::LaneSummary summary = lane.summary;
        summary.controller = lane.controller;
        summary.available = lane.available;
        summary.unavailableReason = lane.unavailableReason;
        if (i < comparisons.size())
            metrics::applyComparison(summary, comparisons[i], comparison);
        json j = io::laneSummaryJson(summary);
        j["events"] = json::array();
        for (const metrics::LaneEvent &event : lane.events)
            j["events"].push_back(eventJson(event));
        lanes.push_back(std::move(j));
    }
    json j {{"format", kFormat}, {"version", kVersion},
        {"recorded", utf8(recorded.toUTC().toString(Qt::ISODate))},
        {"app_version", "headroom " HEADROOM_VERSION}, {"title", data.title},
        {"state", utf8(runStateText(data.state))}, {"source", data.source},
        {"duration_s", durationS}, {"slo_latency_ms", data.sloLatencyMs},
        {"service_mean_s", data.serviceMeanS}, {"pod_slots", data.podSlots}, {"settings", settings},
        {"spikes", spikes}, {"notes", notesJson(notes)}, {"source_notes", data.sourceNotes},
        {"lanes", lanes}, {"samples", utf8(kSamplesFile)}, {"last_s", lastSampleS(data)}};
    // A live cluster has no seed: it is said so, not written as 0.
    if (data.live)
        j["live"] = true;
    else
        j["seed"] = data.seed;
    if (maxReplicas > 0)
        j["max_replicas"] = maxReplicas;
    if (source)
        j["run_source"] = sourceToJson(*source);
    return j;
}

} // namespace

json notesJson(const std::vector<ComparisonData::Note> &notes)
{
    json array = json::array();
    for (const ComparisonData::Note &note : notes)
        array.push_back({{"t_s", note.tS}, {"text", note.text}});
    return array;
}

std::vector<ComparisonData::Note> notesFromJson(const std::vector<traffic::JsonFields> &notes)
{
    std::vector<ComparisonData::Note> result;
    for (const traffic::JsonFields &note : notes) {
        note.allowOnly({"t_s", "text"});
        ComparisonData::Note n {note.number("t_s"), note.text("text")};
        note.require(n.tS >= 0.0 && n.tS <= 1e9, "t_s", "must be 0 to 1e9 seconds");
        result.push_back(std::move(n));
    }
    return result;
}

namespace {

// run.json's fields into `run.data` (no samples yet).
void readRunJson(const json &doc, const std::string &file, const QString &folder, RecordedRun &run)
{
    const traffic::JsonFields f(doc, {}, file);
    // What the file is comes first, before its keys are held to a recording's.
    f.require(f.has("format") && f.text("format") == kFormat, "format",
        "not a Headroom recorded run (expected \"headroom-run\")");
    f.allowOnly({"format", "version", "recorded", "app_version", "title", "state", "source",
        "seed", "live", "duration_s", "slo_latency_ms", "service_mean_s", "pod_slots",
        "max_replicas", "settings",
        "spikes", "notes", "source_notes", "lanes", "samples", "last_s", "run_source"});
    const long long version = f.integer("version", kVersion, 1, 1000000);
    f.require(version == kVersion, "version",
        "version " + std::to_string(version) + " is not the one this headroom reads ("
            + std::to_string(kVersion) + ")");
    run.recorded = QDateTime::fromString(qtext(f.text("recorded")), Qt::ISODate);
    f.require(run.recorded.isValid(), "recorded", "not an ISO 8601 date and time");
    ComparisonData &data = run.data;
    data.title = f.text("title");
    const auto state = stateFromText(f.text("state"));
    f.require(state.has_value(), "state", "not one of ready, running, paused, finished");
    data.state = *state;
    data.source = f.text("source", std::string());
    // A live cluster's run says so since 6 December 2026; those recorded before are known by
    // their source (no run_source to run again, "live deployment ...") and a seed of 0.
    const bool olderLive = !f.has("live") && !f.has("run_source")
        && data.source.rfind("live ", 0) == 0;
    data.live = f.boolean("live", false) || olderLive;
    // A live cluster has no seed (older recordings wrote 0).
    f.require(f.has("seed") || data.live, "seed", "is missing");
    f.require(!data.live || !f.has("seed") || f.seed("seed", 0) == 0, "seed",
        "a live cluster's run has none");
    data.seed = f.seed("seed", 0);
    data.durationS = f.number("duration_s");
    f.require(data.durationS >= 0.0 && data.durationS <= kMaxSeconds, "duration_s",
        "must be 0 to 1e9 seconds");
    data.sloLatencyMs = f.number("slo_latency_ms");
    f.require(data.sloLatencyMs > 0.0, "slo_latency_ms", "must be above 0");
    data.serviceMeanS = f.number("service_mean_s");
    f.require(data.serviceMeanS > 0.0, "service_mean_s", "must be above 0");
    data.podSlots = static_cast<int>(f.integer("pod_slots", 1, 1, 100000));
    // Older recordings have none: 0, the reference's cap not noticed. A live run recorded
    // before 6 December 2026 holds the max_replicas its controller assumed, which its cluster
    // could pass (scaled by hand or by its own autoscaler): not known, as if none.
    data.maxReplicas = static_cast<int>(
        f.integer("max_replicas", 0, 1, data.live ? kLiveMaxPods : sim::kMaxReplicas));
    if (olderLive)
        data.maxReplicas = 0;
    for (const traffic::JsonFields &setting : f.objects("settings")) {
        setting.allowOnly({"key", "value"});
        data.settings.emplace_back(setting.text("key"), setting.text("value"));
    }
    // The settings show the cluster as it ran (clusterSettings(), six significant digits):
    // the fields the table and the comparison compute with must say the same.
    for (const auto &[key, value] : data.settings) {
        // (Not the service mean: a trace with token counts runs on its own, not the preset's
        // nominal one the settings show.)
        const std::pair<const char *, double> fields[] = {{"slo_latency_ms", data.sloLatencyMs},
            {"pod_slots", static_cast<double>(data.podSlots)}};
        for (const auto &[name, field] : fields) {
            if (key != name)
                continue;
            char *end = nullptr;
            const double shown = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !std::isfinite(shown))
                continue; // not a number: nothing to compare
            if (std::abs(shown - field) > 1e-5 * std::max(1.0, std::abs(shown))) {
                f.fail(key, traffic::numberText(field) + ", but settings' " + key + " is " + value
                        + " (the cluster the run ran on)");
            }
        }
    }
    for (const traffic::JsonFields &spike : f.objects("spikes")) {
        spike.allowOnly({"start_s", "end_s", "multiplier", "shape"});
        ComparisonData::SpikeSpan span {spike.number("start_s"), spike.number("end_s"),
            spike.number("multiplier")};
        spike.require(span.startS >= 0.0 && span.endS >= span.startS && span.endS <= kMaxSeconds,
            "end_s", "must be from start_s (at least 0) to 1e9 seconds");
        spike.require(span.multiplier > 0.0 && span.multiplier <= 1000.0, "multiplier",
            "must be above 0 and at most 1000");
        span.shape = spike.text("shape", std::string("step"));
        spike.require(traffic::parseSpikeShape(span.shape).has_value(), "shape",
            "'" + span.shape + "' is not step, ramp, triangle or decay");
        data.spikes.push_back(span);
    }
    if (f.has("notes"))
        data.notes = notesFromJson(f.objects("notes"));
    if (f.has("source_notes")) {
        const json &notes = doc.at("source_notes");
        f.require(notes.is_array(), "source_notes", "must be a list of texts");
        for (const json &note : notes) {
            f.require(note.is_string(), "source_notes", "must be a list of texts");
            data.sourceNotes.push_back(note.get<std::string>());
        }
    }
    // A note past the run's end (a longer run's, from the same session) has no second of this
    // run to stand at: recordings since leave it out, older ones are opened without it, and
    // say so. The rest of the run is shown.
    const QString leftOut = pastNotesText(data, QStringLiteral("left out"));
    if (!leftOut.isEmpty()) {
        run.notices.append(qtext(file) + QStringLiteral(": ") + leftOut);
        std::erase_if(data.notes, [&data](const ComparisonData::Note &note) {
            return !noteWithinRun(data, note);
        });
    }
    for (const ComparisonData::SpikeSpan &spike : data.spikes)
        f.require(spike.startS <= data.durationS + 1.0, "spikes",
            "a spike from " + traffic::numberText(spike.startS) + " s, after the run's duration_s");
    const std::vector<traffic::JsonFields> lanes = f.objects("lanes");
    f.require(!lanes.empty() && lanes.size() <= 8, "lanes", "needs 1 to 8 lanes, as the dashboard runs");
    f.require(!data.live || lanes.size() == 1, "lanes", "a live cluster's run has one lane");
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        const std::string path = "lanes[" + std::to_string(i) + "]";
        metrics::LaneSummary summary;
        try {
            summary = io::parseLaneSummary(doc.at("lanes").at(i), file);
        } catch (const InputError &e) {
            throw InputError(file, std::nullopt, path + "." + e.field(), e.problem());
        }
        const bool labelled = control::predictiveModelLabel(summary.controller)
            && control::isValidModelLabel(*control::predictiveModelLabel(summary.controller));
        // A live cluster only watched (--controllers watch) has a lane that scales nothing.
        const bool watched = data.live && summary.controller == "watch";
        if (!control::isKnownController(summary.controller) && !labelled && !watched)
            throw InputError(file, std::nullopt, path + ".controller",
                "'" + summary.controller + "' is not a controller");
        ComparisonData::Lane lane;
        lane.controller = summary.controller;
        lane.available = summary.available;
        lane.unavailableReason = summary.unavailableReason;
        lane.summary = summary;
        if (lanes[i].has("events")) {
            // A live run's are held to its end once its samples are read (loadRecordedRun).
            for (const traffic::JsonFields &event : lanes[i].objects("events"))
                lane.events.push_back(eventFromJson(event, data.live ? kMaxSeconds : data.durationS));
        }
        data.lanes.push_back(std::move(lane));
    }
    f.require(f.text("samples", utf8(kSamplesFile)) == utf8(kSamplesFile), "samples",
        "must be timeseries.csv");
    run.lastS = f.number("last_s", 0.0);
    f.require(run.lastS >= 0.0 && run.lastS <= kMaxSeconds, "last_s", "must be 0 to 1e9 seconds");
    if (f.has("run_source"))
        run.source = sourceFromJson(doc.at("run_source"), "run_source", file, folder);
}

} // namespace

std::vector<ComparisonData::Note> notesPastRunEnd(const ComparisonData &data)
{
    std::vector<ComparisonData::Note> past;
    std::copy_if(data.notes.begin(), data.notes.end(), std::back_inserter(past),
        [&data](const ComparisonData::Note &note) { return !noteWithinRun(data, note); });
    return past;
}

QString notesLeftOutText(const ComparisonData &data)
{
    return pastNotesText(data,
        QStringLiteral("not recorded with it, still among the session's notes (File > Save "
                       "workspace keeps %1)"));
}

bool isRecordedRunPath(const QString &path)
{
    const QFileInfo info(path);
    return info.isDir() || info.fileName() == kRunFile;
}

QString runsFolder()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)
        + QStringLiteral("/runs");
}

json sourceToJson(const SimulationSource &source)
{
    json j;
    if (source.kind == SimulationSource::Kind::Scenario) {
        j["kind"] = "scenario";
        j["scenario"] = utf8(source.scenario);
    } else {
        j["kind"] = "trace";
        j["trace"] = utf8(source.tracePath);
        if (!source.traceSlice.isEmpty())
            j["slice"] = utf8(source.traceSlice);
        j["compression"] = source.compression;
    }
    if (source.seed)
        j["seed"] = *source.seed;
    if (source.maxReplicas)
        j["max_replicas"] = *source.maxReplicas;
    j["controllers"] = json::array();
    for (const QString &controller : source.controllers)
        j["controllers"].push_back(utf8(controller));
    return j;
}

SimulationSource sourceFromJson(
    const json &doc, const std::string &field, const std::string &file, const QString &baseDir)
{
    const traffic::JsonFields f(doc, field, file);
    f.allowOnly({"kind", "scenario", "trace", "slice", "compression", "seed", "max_replicas", "controllers"});
    SimulationSource source;
    // A relative path is relative to the file that names it.
    const auto resolve = [&baseDir](const std::string &path) {
        const QString text = qtext(path);
        return QFileInfo(text).isRelative() && !baseDir.isEmpty()
            ? QDir(baseDir).absoluteFilePath(text)
            : text;
    };
    const std::string kind = f.text("kind");
    f.require(kind != "scenario" || !f.has("compression"), "compression",
        "applies to traces only: a scenario's times are its own");
    // Ignored, it would say the run replayed a trace it did not.
    f.require(kind != "scenario" || !f.has("trace"), "trace",
        "a scenario source names no trace (kind is \"scenario\")");
    f.require(kind != "trace" || !f.has("scenario"), "scenario",
        "a trace source names no scenario (kind is \"trace\")");
    f.require(kind == "trace" || !f.has("slice"), "slice", "applies to traces only");
    if (kind == "scenario") {
        const std::string scenario = f.text("scenario");
        f.require(!scenario.empty(), "scenario", "empty");
        // A built-in name stays a name; anything with a path separator or .json is a file.
        const QString name = qtext(scenario);
        source.scenario = name.contains(QLatin1Char('/')) || name.endsWith(QStringLiteral(".json"))
            ? resolve(scenario)
            : name;
    } else if (kind == "trace") {
        source.kind = SimulationSource::Kind::Trace;
        const std::string trace = f.text("trace");
        f.require(!trace.empty(), "trace", "empty");
        source.tracePath = resolve(trace);
        // A trace spec as the command lines take it ("nasa.csv@x60@hours=72") is a path
        // here: said so, not "cannot read the file" of a file no one named.
        if (const auto at = traffic::optionsStart(trace);
            at != std::string::npos && !QFileInfo::exists(source.tracePath)) {
            // The fields it belongs in, filled: "slice": "@hours=72", "compression": 60.
            std::string slice, compression;
            std::stringstream items(trace.substr(at + 1));
            for (std::string item; std::getline(items, item, '@');) {
                if (item.rfind('x', 0) == 0)
                    compression = item.substr(1);
                else
                    slice += "@" + item;
            }
            std::string fields = "\"trace\": \"" + trace.substr(0, at) + "\"";
            if (!slice.empty())
                fields += ", \"slice\": \"" + slice + "\"";
            if (!compression.empty())
                fields += ", \"compression\": " + compression;
            f.fail("trace", "'" + trace + "' names no file: a slice and a compression have fields of their own ("
                    + fields + ")");
        }
        if (f.has("slice")) {
            // As sweep writes it: "@from=72h@hours=72", read as a trace spec reads it.
            const std::string slice = f.text("slice");
            f.require(slice.rfind('@', 0) == 0 && slice.find("@x") == std::string::npos, "slice",
                "'" + slice + "' is not a slice such as @from=72h@hours=72 (the compression is its own field)");
            try {
                traffic::parseTraceSpec("trace" + slice);
            } catch (const InputError &e) {
                f.fail("slice", e.problem());
            }
            source.traceSlice = qtext(slice);
        }
        source.compression = f.number("compression", 1.0);
        f.require(std::isfinite(source.compression), "compression", "not a number");
        f.require(source.compression >= traffic::kMinCompression
                && source.compression <= traffic::kMaxCompression,
            "compression", "must be 0.001 to 1e6");
    } else {
        f.fail("kind", "'" + kind + "' is not scenario or trace");
    }
    if (f.has("seed"))
        source.seed = f.seed("seed", 0);
    if (f.has("max_replicas")) // as --max-replicas takes it
        source.maxReplicas = static_cast<int>(f.integer("max_replicas", 0, 1, sim::kMaxReplicas));
    const auto controllers = doc.find("controllers");
    f.require(controllers != doc.end() && controllers->is_array(), "controllers",
        "missing or not a list of controller names");
    source.controllers.clear();
    for (const json &name : *controllers) {
        f.require(name.is_string(), "controllers", "holds something other than a name");
        const std::string text = name.get<std::string>();
        f.require(control::isKnownController(text), "controllers",
            "'" + text + "' is not a controller (known: hpa, kpa, predictive, clairvoyant, linear, holt-winters)");
        f.require(!source.controllers.contains(qtext(text)), "controllers", "'" + text + "' twice");
        source.controllers.append(qtext(text));
    }
    // Each known name once: at most the six the dashboard offers.
    f.require(!source.controllers.isEmpty(), "controllers", "needs 1 to 6 controllers");
    return source;
}

bool saveRecordedRun(const ComparisonData &data, const std::optional<SimulationSource> &source,
    const QString &folder, const QDateTime &recorded, QString *error)
{
    if (!QDir().mkpath(folder)) {
        *error = folder + QStringLiteral(": cannot create the folder");
        return false;
    }
    std::vector<io::LaneSeries> series;
    for (const ComparisonData::Lane &lane : data.lanes)
        series.push_back({lane.controller, &lane.samples});
    // The samples first: a run.json is only ever next to the samples it describes.
    const QString samplesPath = folder + QLatin1Char('/') + kSamplesFile;
    // Streamed: a month's samples are hundreds of megabytes of text.
    const bool saved = saveText(samplesPath, [&series](QIODevice &file) {
        return io::writeTimeseriesCsv(series, [&file](std::string_view piece) {
            const auto size = static_cast<qint64>(piece.size());
            return file.write(piece.data(), size) == size;
        });
    }, error);
    if (!saved)
        return false;
    const QString runPath = folder + QLatin1Char('/') + kRunFile;
    if (!saveText(runPath, QByteArray::fromStdString(runJson(data, source, recorded).dump(2) + "\n"),
            error))
        return false;
    return true;
}

QString recordRun(const ComparisonData &data, const std::optional<SimulationSource> &source,
    QString *error, const QString &parent)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QString slug = qtext(data.title).toLower();
    slug.replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("-"));
    slug = slug.left(60);
    while (slug.endsWith(QLatin1Char('-')))
        slug.chop(1);
    const QString base = parent + QLatin1Char('/') + now.toString(QStringLiteral("yyyyMMdd-HHmmss"))
        + (slug.isEmpty() || slug.startsWith(QLatin1Char('-')) ? QString() : QLatin1Char('-') + slug);
    QString folder = base;
    for (int n = 2; QFileInfo::exists(folder); ++n)
        folder = base + QLatin1Char('-') + QString::number(n);
    if (!saveRecordedRun(data, source, folder, now, error))
        return {};
    qCInfo(lcUi) << "recorded" << qtext(data.title) << "to" << folder;
    const QString leftOut = notesLeftOutText(data);
    if (!leftOut.isEmpty())
        qCWarning(lcUi).noquote() << folder + QStringLiteral(": ") + leftOut;
    return folder;
}

namespace {

// Fields that follow from the samples must agree with them: a recording whose summary says
// otherwise was edited or damaged, and the table (which recomputes them) would contradict the
// summary it opened with. Latency quantiles are ordered, violation seconds fit in the run,
// and the comparison with the reference lane (written since recordings carried it; older ones
// have no reference named) is what the samples give.
void checkComparisons(const ComparisonData &data, const std::string &runPath)
{
    const metrics::ComparisonSettings settings = comparisonSettings(data);
    const std::vector<metrics::LaneComparison> comparisons = compareLanes(data);
    std::vector<metrics::LaneComparison> olderComparisons; // by the load line, when needed
    for (std::size_t i = 0; i < data.lanes.size(); ++i) {
        const ComparisonData::Lane &lane = data.lanes[i];
        if (!lane.available)
            continue;
        const metrics::LaneSummary &recorded = lane.summary;
        const std::string at = "lanes[" + std::to_string(i) + "].";
        const auto fail = [&](const std::string &field, const std::string &problem) {
            throw InputError(runPath, std::nullopt, at + field, problem);
        };
        if (recorded.violationSeconds > static_cast<double>(lane.samples.size()))
            fail("violation_seconds", traffic::numberText(recorded.violationSeconds)
                    + " s, more than the lane's " + std::to_string(lane.samples.size()) + " seconds of samples");
        if (recorded.provisioningReference.empty() || i >= comparisons.size())
            continue; // recorded before recordings carried the comparison
        metrics::LaneSummary expected = recorded;
        metrics::applyComparison(expected, comparisons[i], settings);
        if (recorded.provisioningReference != expected.provisioningReference)
            fail("provisioning.reference", "'" + recorded.provisioningReference + "', but the run's lanes make it '"
                    + expected.provisioningReference + "'");
        const auto near = [](double a, double b) { return std::abs(a - b) <= 1e-3 + 1e-6 * std::abs(b); };
        // The reference lane's own comparison reads null (older recordings: 0).
        if (!expected.isProvisioningReference) {
            const std::pair<const char *, std::pair<double, double>> fields[] = {
                {"provisioning.over_pod_seconds", {recorded.overPodSeconds, expected.overPodSeconds}},
                {"provisioning.under_pod_seconds", {recorded.underPodSeconds, expected.underPodSeconds}},
                {"provisioning.reference_pod_seconds", {recorded.referencePodSeconds, expected.referencePodSeconds}}};
            for (const auto &[field, values] : fields) {
                if (!near(values.first, values.second))
                    fail(field, traffic::numberText(values.first) + ", but the lane's samples give "
                            + traffic::numberText(values.second));
            }
        }
        // A spike's need is what meets the SLO since 6 December 2026; recordings made before
        // measured it by the load line, and are what their samples give by that rule.
        const auto sameScaling = [&](const metrics::LaneSummary &e) {
            return recorded.spikes == e.spikes && recorded.spikesMissed == e.spikesMissed
                && recorded.meanScaleS.has_value() == e.meanScaleS.has_value()
                && (!recorded.meanScaleS || near(*recorded.meanScaleS, *e.meanScaleS));
        };
        if (!sameScaling(expected)) {
            metrics::ComparisonSettings older = settings;
            older.needMeetsSlo = false;
            if (olderComparisons.empty())
                olderComparisons = compareLanes(data, older);
            metrics::LaneSummary byLoad = recorded;
            metrics::applyComparison(byLoad, olderComparisons[i], older);
            if (!sameScaling(byLoad)) {
                // Named against the rule whose spike counts it has, if either.
                const bool olderCounts = recorded.spikes == byLoad.spikes && recorded.spikesMissed == byLoad.spikesMissed;
                const metrics::LaneSummary &given = olderCounts ? byLoad : expected;
                if (recorded.spikes != given.spikes || recorded.spikesMissed != given.spikesMissed)
                    fail("spikes_missed", std::to_string(recorded.spikesMissed) + " of " + std::to_string(recorded.spikes)
                            + " spikes, but the samples give " + std::to_string(given.spikesMissed) + " of "
                            + std::to_string(given.spikes));
                fail("time_to_scale_s", (recorded.meanScaleS ? traffic::numberText(*recorded.meanScaleS) + " s" : std::string("null"))
                        + ", but the samples give "
                        + (given.meanScaleS ? traffic::numberText(*given.meanScaleS) + " s" : std::string("null"))
                        + (olderCounts ? " (by the load line, as recordings before 6 December 2026 measured it)" : ""));
            }
        }
    }
}

} // namespace

std::optional<RecordedRun> loadRecordedRun(const QString &path, QString *error)
{
    const QFileInfo info(path);
    const QString folder = info.isDir() ? info.absoluteFilePath() : info.absolutePath();
    const std::string runPath = utf8(folder + QLatin1Char('/') + kRunFile);
    try {
        if (!info.exists())
            throw InputError(utf8(path), std::nullopt, {}, "no such file or folder");
        if (!info.isDir() && info.fileName() != kRunFile)
            throw InputError(utf8(path), std::nullopt, {},
                "not a recorded run: open its folder or its run.json");
        // headroom-cli run's folder has the same timeseries.csv but no run.json: say what it is.
        if (!QFileInfo::exists(folder + QLatin1Char('/') + kRunFile)
            && QFileInfo::exists(folder + QStringLiteral("/summary.json"))
            && QFileInfo::exists(folder + QLatin1Char('/') + kSamplesFile))
            throw InputError(utf8(folder), std::nullopt, {},
                "holds the results of headroom-cli run (summary.json, timeseries.csv), not a "
                "recorded run (run.json): its charts are comparison.png and comparison.svg; to "
                "watch the run, give the dashboard the same --scenario or --trace and --seed");
        RecordedRun run;
        run.folder = folder;
        const json doc = traffic::parseStrictJson(traffic::readTextFile(runPath), runPath);
        readRunJson(doc, runPath, folder, run);

        const std::string samplesPath = utf8(folder + QLatin1Char('/') + kSamplesFile);
        std::map<std::string, std::size_t> index;
        for (std::size_t i = 0; i < run.data.lanes.size(); ++i) {
            if (!index.emplace(run.data.lanes[i].controller, i).second)
                throw InputError(runPath, std::nullopt, "lanes",
                    "lane " + run.data.lanes[i].controller + " twice");
        }
        std::vector<io::TimeseriesLane> read
            = io::readTimeseriesCsv(samplesPath, io::TimeseriesColumns::All);
        if (read.empty())
            throw InputError(samplesPath, std::nullopt, {}, "no samples: a recorded run has some");
        // The file's row of each lane's samples, so that an error below can name it.
        std::vector<std::vector<long>> rows(run.data.lanes.size());
        for (io::TimeseriesLane &lane : read) {
            const auto it = index.find(lane.lane);
            if (it == index.end())
                throw InputError(samplesPath, lane.firstRow, "lane",
                    "lane " + lane.lane + " is not among run.json's lanes");
            run.data.lanes[it->second].samples = std::move(lane.samples);
            rows[it->second] = std::move(lane.rows);
        }
        if (run.data.live) {
            // A live run lasts to its last second read (recordings before 6 December 2026 end
            // at the follow's end, which the reading that ended the run could pass), and its
            // events lie within that.
            run.data.durationS = std::max(run.data.durationS, lastSampleS(run.data));
            for (std::size_t i = 0; i < run.data.lanes.size(); ++i) {
                const std::vector<metrics::LaneEvent> &events = run.data.lanes[i].events;
                for (std::size_t k = 0; k < events.size(); ++k) {
                    if (events[k].tS > run.data.durationS + 1.0)
                        throw InputError(runPath, std::nullopt,
                            "lanes[" + std::to_string(i) + "].events[" + std::to_string(k) + "].t_s",
                            "must be within the run (0 to its last second read, "
                                + traffic::numberText(run.data.durationS) + ")");
                }
            }
        }
        // The most pods a lane can have: the cluster's max_replicas, or any cluster's.
        const int anyCluster = run.data.live ? kLiveMaxPods : sim::kMaxReplicas;
        const int podCap = run.data.maxReplicas > 0 ? run.data.maxReplicas : anyCluster;
        const std::string capText = run.data.maxReplicas > 0
            ? "run.json's max_replicas (" + std::to_string(podCap) + ")"
            : "a cluster can have (" + std::to_string(podCap) + ")";
        // Every lane has a sample for every whole second of the run, the same seconds.
        const ComparisonData::Lane *first = nullptr;
        const std::vector<long> *firstRows = nullptr;
        for (std::size_t i = 0; i < run.data.lanes.size(); ++i) {
            const ComparisonData::Lane &lane = run.data.lanes[i];
            if (!lane.available)
                continue;
            if (lane.samples.empty())
                throw InputError(samplesPath, std::nullopt, "lane",
                    "lane " + lane.controller + " of run.json has no rows");
            for (std::size_t k = 0; k < lane.samples.size(); ++k) {
                const double t = lane.samples[k].tS;
                const double expected = k == 0 ? std::floor(t) : lane.samples[k - 1].tS + 1.0;
                if (t == expected && t >= 1.0)
                    continue;
                if (k == 0)
                    throw InputError(samplesPath, rows[i][k], "t_s",
                        "lane " + lane.controller + ": " + traffic::numberText(t)
                            + " s is not a whole second from 1 on");
                // Whole seconds missing between the two rows are named, so they can be found.
                const bool wholeGap = t > expected && t == std::floor(t);
                const std::string missing = !wholeGap ? std::string()
                    : t == expected + 1.0
                    ? " (second " + traffic::numberText(expected) + " is missing)"
                    : " (seconds " + traffic::numberText(expected) + " to "
                        + traffic::numberText(t - 1.0) + " are missing)";
                throw InputError(samplesPath, rows[i][k], "t_s",
                    "lane " + lane.controller + ": " + traffic::numberText(t) + " s follows row "
                        + std::to_string(rows[i][k - 1]) + "'s "
                        + traffic::numberText(lane.samples[k - 1].tS)
                        + " s: a recording has every second, once" + missing);
            }
            // Pod counts within the cluster's: at most max_replicas (the most any cluster
            // has, for older recordings without it).
            for (std::size_t k = 0; k < lane.samples.size(); ++k) {
                const metrics::LaneSample &s = lane.samples[k];
                for (const auto &[field, pods] : {std::pair {"pods_desired", s.podsDesired},
                         {"pods_ready", s.podsReady}, {"pods_starting", s.podsStarting},
                         {"pods_unready", s.podsUnready},
                         {"pods_ready", s.podsReady + s.podsStarting + s.podsUnready}}) {
                    if (pods > podCap)
                        throw InputError(samplesPath, rows[i][k], field,
                            "lane " + lane.controller + " at " + traffic::numberText(s.tS) + " s: "
                                + std::to_string(pods) + " pods"
                                + (field == std::string("pods_ready")
                                            && pods != s.podsReady
                                        ? " ready, starting and unready"
                                        : "")
                                + ", more than " + capText);
                }
            }
            if (!first) {
                first = &lane;
                firstRows = &rows[i];
                continue;
            }
            const bool startDiffers = lane.samples.front().tS != first->samples.front().tS;
            if (startDiffers || lane.samples.size() != first->samples.size()) {
                // The row where the lanes part: this lane's first, or the last of the shorter.
                const bool shorter = lane.samples.size() < first->samples.size();
                const long row = startDiffers ? rows[i].front()
                    : shorter                 ? rows[i].back()
                                              : firstRows->back();
                throw InputError(samplesPath, row, "t_s",
                    "lane " + lane.controller + " has seconds "
                        + traffic::numberText(lane.samples.front().tS) + " to "
                        + traffic::numberText(lane.samples.back().tS) + ", lane " + first->controller
                        + " " + traffic::numberText(first->samples.front().tS) + " to "
                        + traffic::numberText(first->samples.back().tS)
                        + ": the lanes of a run share its seconds");
            }
        }
        // The longest a stopping pod serves on: a client's timeout (the settings', else the
        // default).
        double drainS = sim::ClusterConfig {}.clientTimeoutS;
        for (const auto &[key, value] : run.data.settings) {
            char *end = nullptr;
            const double timeout = std::strtod(value.c_str(), &end);
            if (key == "client_timeout_s" && !value.empty() && *end == '\0' && timeout >= 0.0
                && timeout <= kMaxSeconds)
                drainS = timeout;
        }
        // The summary counts the requests the samples do: a table that disagreed would mislead.
        for (std::size_t i = 0; i < run.data.lanes.size(); ++i) {
            const ComparisonData::Lane &lane = run.data.lanes[i];
            if (!lane.available)
                continue;
            // A live cluster's run (recorded without a source) begins with requests already in
            // flight: they complete within it without having arrived in it.
            const bool live = run.data.live;
            const bool joinedMidway = live || !run.source;
            // Its rates are fractions, which timeseries.csv holds to six digits: their sum read
            // back parts from the summary's (of the rates as read) by up to that rounding, and a
            // count near a half can round the other way. A simulated run counts whole requests.
            const auto csvRounding = [live](double sum) { return live ? 5.0001e-6 * sum + 1e-6 : 0.0; };
            const auto differ = [&](long long summary, double samples) {
                return live ? std::abs(static_cast<double>(summary) - samples) > 0.5 + csvRounding(samples)
                            : std::llround(samples) != summary;
            };
            const auto fewer = [&](long long summary, double samples) {
                return live ? static_cast<double>(summary) < samples - 0.5 - csvRounding(samples)
                            : summary < std::llround(samples);
            };
            double arrivals = 0.0;
            double completions = 0.0;
            double drops = 0.0;
            double violations = 0.0;
            double podSeconds = 0.0; // the pods of each second's sample
            double podChanges = 0.0; // how much the pods changed between samples
            int previousPods = 0;
            long long fallbackSeconds = 0;
            for (std::size_t k = 0; k < lane.samples.size(); ++k) {
                const metrics::LaneSample &s = lane.samples[k];
                // A second's latency quantiles are of one window of completions: in order. A
                // live cluster's are what its metrics answered, each quantile (a Prometheus
                // query) asked on its own: a scrape between two of them can part them.
                const std::pair<const char *, double> quantiles[] = {{"latency_p50_ms", s.latencyP50Ms},
                    {"latency_p95_ms", s.latencyP95Ms}, {"latency_p99_ms", s.latencyP99Ms}};
                for (int q = 1; q < 3 && !live; ++q) {
                    const double low = quantiles[q - 1].second;
                    const double high = quantiles[q].second;
                    if (std::isfinite(low) && std::isfinite(high) && low > high)
                        throw InputError(samplesPath, rows[i][k], quantiles[q - 1].first,
                            "lane " + lane.controller + " at " + traffic::numberText(s.tS) + " s: "
                                + traffic::numberText(low) + " ms, above its "
                                + quantiles[q].first + " of " + traffic::numberText(high) + " ms");
                }
                if (s.fallback)
                    ++fallbackSeconds;
                // The pods are there in a hole of the trace too (every lane holds its replicas).
                const int pods = s.podsReady + s.podsStarting + s.podsUnready;
                podSeconds += pods;
                podChanges += std::abs(pods - previousPods);
                previousPods = pods;
                if (s.noData)
                    continue;
                // A simulated second's violations are its late completions and its drops.
                if (!joinedMidway && s.sloViolationsPerS > s.completedPerS + s.droppedPerS + 1e-6)
                    throw InputError(samplesPath, rows[i][k], "slo_violations_per_s",
                        "lane " + lane.controller + " at " + traffic::numberText(s.tS) + " s: "
                            + traffic::numberText(s.sloViolationsPerS)
                            + ", more than the requests that ended in that second ("
                            + traffic::numberText(s.completedPerS) + " completed, "
                            + traffic::numberText(s.droppedPerS) + " dropped)");
                arrivals += s.arrivalsPerS;
                completions += s.completedPerS;
                drops += s.droppedPerS;
                violations += s.sloViolationsPerS;
            }
            const auto check = [&](const char *field, long long summary, double samples) {
                if (differ(summary, samples))
                    throw InputError(runPath, std::nullopt,
                        "lanes[" + std::to_string(i) + "]." + field,
                        std::to_string(summary) + ", but the lane's samples in timeseries.csv add up to "
                            + traffic::numberText(samples));
            };
            check("requests", lane.summary.requests, arrivals);
            // A finished run's summary also counts the requests still in service at its last
            // second, which complete (or time out) after it: at least the samples' count, and
            // then every request has ended one way or the other.
            const auto atLeast = [&](const char *field, long long summary, double samples) {
                if (fewer(summary, samples))
                    throw InputError(runPath, std::nullopt,
                        "lanes[" + std::to_string(i) + "]." + field,
                        std::to_string(summary) + ", fewer than the lane's samples in "
                            "timeseries.csv add up to (" + traffic::numberText(samples) + ")");
            };
            atLeast("completed", lane.summary.completed, completions);
            atLeast("dropped", lane.summary.dropped, drops);
            // peak_pods is the most pods the lane had at any moment (Cluster::addPod), so at
            // least the most of any second's sample, and never more than the cluster allows.
            int samplePeak = 0;
            for (const metrics::LaneSample &s : lane.samples)
                samplePeak = std::max(samplePeak, s.podsReady + s.podsStarting + s.podsUnready);
            const std::string peakField = "lanes[" + std::to_string(i) + "].peak_pods";
            if (lane.summary.peakPods < samplePeak)
                throw InputError(runPath, std::nullopt, peakField,
                    std::to_string(lane.summary.peakPods) + ", fewer than the "
                        + std::to_string(samplePeak)
                        + " pods (ready, starting and unready) of the lane's samples in "
                          "timeseries.csv");
            // Then the summary on its own (checked before the samples' peak, its pod_seconds
            // would be refused as more than an edited peak_pods can have, not the peak as fewer
            // than the samples show).
            // (A live lane's run quantiles, each its own query, are not held in order either.)
            metrics::LaneSummary held = lane.summary;
            if (live)
                held.latencyP50Ms = held.latencyP95Ms = held.latencyP99Ms = std::nan("");
            io::checkLaneSummary(held,
                {podCap, capText, !joinedMidway, run.data.state == RunState::Finished,
                    run.data.durationS},
                runPath, "lanes[" + std::to_string(i) + "].");
            const std::string at = "lanes[" + std::to_string(i) + "].";
            // SLO violations: every one the samples count, and at most as many more as there
            // were requests still in flight at the last second (they end, some late, after it).
            const long long sampleViolations = std::llround(violations);
            if (fewer(lane.summary.sloViolations, violations))
                throw InputError(runPath, std::nullopt, at + "slo_violations",
                    std::to_string(lane.summary.sloViolations)
                        + ", but the lane's slo_violations_per_s in timeseries.csv adds up to "
                        + traffic::numberText(violations));
            const long long inFlight
                = lane.summary.requests - std::llround(completions) - std::llround(drops);
            if (!joinedMidway && lane.summary.sloViolations - sampleViolations > std::max(0LL, inFlight))
                throw InputError(runPath, std::nullopt, at + "slo_violations",
                    std::to_string(lane.summary.sloViolations)
                        + ", but the lane's slo_violations_per_s in timeseries.csv adds up to "
                        + traffic::numberText(violations) + " and only "
                        + std::to_string(std::max(0LL, inFlight))
                        + " requests were still in flight at its last second");
            // Pod-seconds integrate the pods over the run; the samples count them at each whole
            // second. They part by under a second per pod started or stopped between two
            // samples, and by the pods of a second not yet sampled (a run paused mid-second);
            // a pod told to stop also counts while it finishes its requests, unsampled, for at
            // most a client's timeout.
            const double podSlack = lane.summary.peakPods + 0.05 * podSeconds + 1.0;
            const double below = lane.summary.podSeconds - podSeconds;
            // A live cluster's pod-seconds count the seconds it was read, not those it did not
            // answer (no data, its pods shown as last read): not compared.
            if (!joinedMidway && (below < -(podChanges + podSlack) || below > podChanges * (drainS + 1.0) + podSlack))
                throw InputError(runPath, std::nullopt, at + "pod_seconds",
                    traffic::numberText(lane.summary.podSeconds)
                        + ", but the pods of the lane's samples in timeseries.csv add up to "
                        + traffic::numberText(podSeconds) + " pod-seconds");
            // A forecasting lane's seconds on its reactive fallback are its samples' fallback.
            if (lane.summary.forecasts
                && std::abs(lane.summary.fallbackSeconds - static_cast<double>(fallbackSeconds)) > 1.0)
                throw InputError(runPath, std::nullopt, at + "fallback_s",
                    traffic::numberText(lane.summary.fallbackSeconds)
                        + " s, but the lane's fallback column in timeseries.csv has "
                        + std::to_string(fallbackSeconds) + " s");
        }
        checkComparisons(run.data, runPath);
        run.lastS = lastSampleS(run.data); // the samples say, not run.json
        if (run.lastS > run.data.durationS + 1.0)
            throw InputError(runPath, std::nullopt, "duration_s",
                traffic::numberText(run.data.durationS) + " s, but the samples run to "
                    + traffic::numberText(run.lastS) + " s");
        // A finished run was sampled to its end (a paused one, or one stopped on error, ends
        // before its duration_s).
        if (run.data.state == RunState::Finished && run.lastS + 1.0 < run.data.durationS)
            throw InputError(runPath, std::nullopt, "duration_s",
                traffic::numberText(run.data.durationS) + " s, but the run is finished and its "
                    "samples end at " + traffic::numberText(run.lastS) + " s");
        qCInfo(lcUi) << "opened the recorded run" << folder;
        for (const QString &notice : run.notices)
            qCWarning(lcUi).noquote() << notice;
        return run;
    } catch (const std::exception &e) {
        *error = qtext(e.what());
        qCWarning(lcUi) << "recorded run not opened:" << *error;
        return std::nullopt;
    }
}

bool deleteRecordedRun(const QString &folder, QString *error)
{
    const QDir dir(folder);
    if (!QFileInfo::exists(dir.filePath(kRunFile))) {
        if (error)
            *error = folder + QStringLiteral(": no ") + kRunFile + QStringLiteral(" here: not a recorded run");
        return false;
    }
    for (const QString &name : {kSamplesFile, kRunFile}) {
        QFile file(dir.filePath(name));
        if (file.exists() && !file.remove()) {
            if (error)
                *error = file.fileName() + QStringLiteral(": cannot delete (") + file.errorString() + QLatin1Char(')');
            return false;
        }
    }
    const QStringList others = dir.entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    if (!others.isEmpty()) {
        if (error)
            *error = folder + QStringLiteral(": the recording is deleted; kept what else was there: ")
                + others.join(QStringLiteral(", "));
        return false;
    }
    QDir parent(dir);
    parent.cdUp();
    if (!parent.rmdir(dir.dirName())) {
        if (error)
            *error = folder + QStringLiteral(": the recording is deleted but the empty folder is not");
        return false;
    }
    qCInfo(lcUi) << "deleted the recorded run in" << folder;
    return true;
}

std::vector<RecordedRunInfo> listRecordedRuns(const QString &parent, QStringList *skipped)
{
    std::vector<RecordedRunInfo> runs;
    const QDir dir(parent);
    for (const QFileInfo &entry : dir.entryInfoList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        const std::string runPath = utf8(entry.absoluteFilePath() + QLatin1Char('/') + kRunFile);
        if (!QFileInfo::exists(qtext(runPath)))
            continue;
        try {
            const json doc = traffic::parseStrictJson(traffic::readTextFile(runPath), runPath);
            RecordedRun run;
            readRunJson(doc, runPath, entry.absoluteFilePath(), run);
            RecordedRunInfo info;
            info.folder = entry.absoluteFilePath();
            info.recorded = run.recorded;
            info.title = qtext(run.data.title);
            info.state = runStateText(run.data.state);
            for (const ComparisonData::Lane &lane : run.data.lanes)
                info.controllers.append(qtext(lane.controller));
            info.lastS = run.lastS;
            for (const QFileInfo &file : QDir(info.folder).entryInfoList(QDir::Files | QDir::Hidden))
                info.bytes += file.size();
            runs.push_back(info);
        } catch (const std::exception &e) {
            if (skipped)
                skipped->append(qtext(e.what()));
        }
    }
    std::sort(runs.begin(), runs.end(), [](const RecordedRunInfo &a, const RecordedRunInfo &b) {
        return a.recorded != b.recorded ? a.recorded > b.recorded : a.folder > b.folder;
    });
    return runs;
}

} // namespace headroom::ui
