#include "workspace.h"

#include "io/inputerror.h"
#include "logging.h"
#include "picturefile.h"
#include "runrecord.h"
#include "traffic/jsonfields.h"
#include "traffic/textfile.h"

#include <QDir>
#include <QFileInfo>
#include <nlohmann/json.hpp>

namespace headroom::ui {

namespace {

using nlohmann::json;

constexpr const char *kFormat = "headroom-workspace";
constexpr int kVersion = 1;
constexpr double kMinSpeed = 0.1;
constexpr double kMaxSpeed = 10000.0;
constexpr std::array<const char *, kChartKinds> kChartKeys {"rate", "latency", "pods"};
const QStringList kShapes {QStringLiteral("step"), QStringLiteral("ramp"),
    QStringLiteral("triangle"), QStringLiteral("decay")};

// A path inside `dir` relative to it; any other stays absolute.
QString portablePath(const QString &path, const QDir &dir)
{
    if (path.isEmpty() || QFileInfo(path).isRelative())
        return path;
    const QString relative = dir.relativeFilePath(path);
    return relative.startsWith(QStringLiteral("..")) ? path : relative;
}

json workspaceJson(const Workspace &w, const QDir &dir)
{
    SimulationSource source = w.source;
    if (source.kind == SimulationSource::Kind::Trace)
        source.tracePath = portablePath(source.tracePath, dir);
    else if (QFileInfo(source.scenario).isAbsolute())
        source.scenario = portablePath(source.scenario, dir);
    json view {{"window_s", w.windowS}, {"following", !w.heldRange.has_value()},
        {"lock_y", w.lockY}, {"events_shown", w.eventsShown}};
    if (w.heldRange)
        view["held"] = {{"from_s", w.heldRange->fromS}, {"to_s", w.heldRange->toS}};
    json hidden = json::object();
    json fixed = json::object();
    for (int k = 0; k < kChartKinds; ++k) {
        const auto i = static_cast<std::size_t>(k);
        hidden[kChartKeys[i]] = json::array();
        for (const QString &name : w.hidden[i])
            hidden[kChartKeys[i]].push_back(name.toStdString());
        if (w.fixedY[i])
            fixed[kChartKeys[i]] = {{"min", w.fixedY[i]->min}, {"max", w.fixedY[i]->max}};
    }
    view["hidden_series"] = hidden;
    view["fixed_y"] = fixed;
    json j {{"format", kFormat}, {"version", kVersion}, {"source", sourceToJson(source)},
        {"speed", w.speed}, {"view", view},
        {"spike", {{"multiplier", w.spike.multiplier}, {"duration_s", w.spike.durationS},
                      {"shape", w.spike.shape.toStdString()}}},
        {"notes", notesJson(w.notes)}};
    if (!w.replay.isEmpty())
        j["replay"] = portablePath(w.replay, dir).toStdString();
    return j;
}

Workspace readWorkspace(const json &doc, const std::string &file, const QString &dir)
{
    const traffic::JsonFields f(doc, {}, file);
    // What the file is comes first: a scenario given as a workspace was told of its first
    // key the workspace does not know.
    f.require(f.has("format") && f.text("format") == kFormat, "format",
        "not a Headroom workspace (expected \"headroom-workspace\")");
    f.allowOnly({"format", "version", "source", "replay", "speed", "view", "spike", "notes"});
    const long long version = f.integer("version", kVersion, 1, 1000000);
    f.require(version == kVersion, "version",
        "version " + std::to_string(version) + " is not the one this headroom reads ("
            + std::to_string(kVersion) + ")");
    Workspace w;
    f.require(f.has("source"), "source", "missing: the scenario or trace and the lanes");
    w.source = sourceFromJson(doc.at("source"), "source", file, dir);
    if (f.has("replay")) {
        const QString replay = QString::fromStdString(f.text("replay"));
        f.require(!replay.isEmpty(), "replay", "empty");
        w.replay = QFileInfo(replay).isRelative() ? QDir(dir).absoluteFilePath(replay) : replay;
    }
    w.speed = f.number("speed", 1.0);
    f.require(w.speed == 0.0 || (w.speed >= kMinSpeed && w.speed <= kMaxSpeed), "speed",
        "must be 0 (as fast as it goes) or 0.1 to 10000 simulated seconds per second, got "
            + traffic::numberText(w.speed));
    if (f.has("view")) {
        const traffic::JsonFields v = f.object("view");
        v.allowOnly({"window_s", "following", "held", "lock_y", "events_shown", "hidden_series",
            "fixed_y"});
        w.windowS = v.number("window_s", 0.0);
        v.require(w.windowS == 0.0 || (w.windowS >= 5.0 && w.windowS <= 1e7), "window_s",
            "must be 0 (the whole run) or 5 to 1e7 seconds");
        const bool following = v.boolean("following", true);
        v.require(following || v.has("held"), "held",
            "missing: the view holds still but no range is given");
        if (v.has("held")) {
            const traffic::JsonFields h = v.object("held");
            h.allowOnly({"from_s", "to_s"});
            TimeRange range {h.number("from_s"), h.number("to_s")};
            h.require(range.fromS >= 0.0, "from_s", "must be at least 0");
            h.require(range.toS - range.fromS >= 5.0 && range.toS <= 1e9, "to_s",
                "must be at least 5 s after from_s and at most 1e9 s");
            if (!following)
                w.heldRange = range;
        }
        w.lockY = v.boolean("lock_y", true);
        w.eventsShown = v.boolean("events_shown", true);
        for (const char *group : {"hidden_series", "fixed_y"}) {
            if (!v.has(group))
                continue;
            const traffic::JsonFields g = v.object(group);
            g.allowOnly({"rate", "latency", "pods"});
            for (int k = 0; k < kChartKinds; ++k) {
                const auto i = static_cast<std::size_t>(k);
                if (!g.has(kChartKeys[i]))
                    continue;
                if (std::string_view(group) == "fixed_y") {
                    const traffic::JsonFields r = g.object(kChartKeys[i]);
                    r.allowOnly({"min", "max"});
                    FixedYRange range {r.number("min"), r.number("max")};
                    r.require(range.min >= 0.0, "min", "must be at least 0 (rates, latencies and pods are)");
                    r.require(range.max <= 1e12 && range.max - range.min >= 1e-3 * std::max(1.0, range.max),
                        "max", "must be above min by a readable step, and at most 1e12");
                    w.fixedY[i] = range;
                    continue;
                }
                const json &names = doc.at("view").at(group).at(kChartKeys[i]);
                g.require(names.is_array(), kChartKeys[i], "must be a list of series names");
                for (const json &name : names) {
                    g.require(name.is_string(), kChartKeys[i], "must be a list of series names");
                    const std::string &text = name.get_ref<const std::string &>();
                    const QString series = QString::fromStdString(text);
                    g.require(isLegendName(static_cast<ChartKind>(k), series), kChartKeys[i],
                        "'" + text + "' is not a series of the " + kChartKeys[i] + " charts");
                    g.require(!w.hidden[i].contains(series), kChartKeys[i], "'" + text + "' twice");
                    w.hidden[i].append(series);
                }
            }
        }
    }
    if (f.has("spike")) {
        const traffic::JsonFields s = f.object("spike");
        s.allowOnly({"multiplier", "duration_s", "shape"});
        w.spike.multiplier = s.number("multiplier", 6.0);
        s.require(w.spike.multiplier >= 1.1 && w.spike.multiplier <= 100.0, "multiplier",
            "must be 1.1 to 100");
        w.spike.durationS = static_cast<double>(s.integer("duration_s", 30, 1, 86400));
        const std::string shape = s.text("shape", std::string("step"));
        w.spike.shape = QString::fromStdString(shape);
        s.require(kShapes.contains(w.spike.shape), "shape",
            "'" + shape + "' is not step, ramp, triangle or decay");
    }
    if (f.has("notes"))
        w.notes = notesFromJson(f.objects("notes"));
    return w;
}

} // namespace

bool prepareWorkspace(const Workspace &workspace, const QString &path,
    std::optional<RecordedRun> &run, QString *error)
{
    QString problem;
    if (!workspace.replay.isEmpty()) {
        run = loadRecordedRun(workspace.replay, &problem);
        if (!run)
            *error = path + QStringLiteral(": its recorded run cannot be shown: ") + problem;
        return run.has_value();
    }
    problem = sourceProblem(workspace.source);
    if (!problem.isEmpty())
        *error = path + QStringLiteral(": its source cannot be run: ") + problem;
    return problem.isEmpty();
}

QString workspaceFilter()
{
    return QStringLiteral("Headroom workspaces (*.headroom)");
}

bool saveWorkspace(const Workspace &workspace, const QString &path, QString *error)
{
    const QDir dir = QFileInfo(path).absoluteDir();
    const std::string text = workspaceJson(workspace, dir).dump(2) + "\n";
    if (!saveText(path, QByteArray::fromStdString(text), error))
        return false;
    qCInfo(lcUi) << "saved the workspace" << path;
    return true;
}

std::optional<Workspace> loadWorkspace(const QString &path, QString *error)
{
    const std::string file = path.toStdString();
    try {
        const json doc = traffic::parseStrictJson(traffic::readTextFile(file), file);
        Workspace w = readWorkspace(doc, file, QFileInfo(path).absolutePath());
        qCInfo(lcUi) << "read the workspace" << path;
        return w;
    } catch (const std::exception &e) {
        if (error)
            *error = QString::fromUtf8(e.what());
        qCWarning(lcUi) << "workspace not opened:" << e.what();
        return std::nullopt;
    }
}

} // namespace headroom::ui
