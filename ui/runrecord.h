#pragma once

#include "comparisonexport.h"
#include "simulationworker.h"

#include <QDateTime>
#include <nlohmann/json_fwd.hpp>
#include <QString>
#include <optional>
#include <vector>

namespace headroom::traffic {
class JsonFields;
}

namespace headroom::ui {

// A run the dashboard recorded: a folder with run.json (what drove the run, the cluster
// settings, the spikes, each lane's summary and events) and timeseries.csv (every lane's
// samples, the columns of headroom-cli's timeseries.csv). Reopened, it shows and exports as
// the live run did; its source can be run again.
struct RecordedRun
{
    QString folder;
    QDateTime recorded;
    ComparisonData data;
    double lastS = 0.0; // the last second recorded (run.json's last_s)
    std::optional<SimulationSource> source; // unset when run.json names none
    // What was left out on reading, for the user to see (notes past the run's end, which
    // recordings made before 5 December 2026 could hold).
    QStringList notices;
};

// What the recorded-runs list shows of one run without reading its samples.
struct RecordedRunInfo
{
    QString folder;
    QDateTime recorded;
    QString title;
    QString state;
    QStringList controllers;
    double lastS = 0.0; // simulated seconds recorded
    qint64 bytes = 0;   // its files' size on disk (a month of NASA July is 160 MB a lane)
};

// A recorded run's folder or its run.json (by name only: not read).
bool isRecordedRunPath(const QString &path);

// <AppDataLocation>/runs: where the dashboard records every run.
QString runsFolder();

// The notes a recording of `data` leaves out: those after the run's end (duration_s), which
// the session's notes carry from a longer run. The session and its workspace keep them.
std::vector<ComparisonData::Note> notesPastRunEnd(const ComparisonData &data);
// Says which notes a recording of `data` leaves out, and why; empty when none.
QString notesLeftOutText(const ComparisonData &data);

// Writes `data` (and the source that drove it) into `folder`, created when missing: run.json
// and timeseries.csv, each whole or not at all; notes past the run's end are left out
// (notesPastRunEnd), so that every recording reads back. False and `error` naming the file on
// failure.
bool saveRecordedRun(const ComparisonData &data, const std::optional<SimulationSource> &source,
    const QString &folder, const QDateTime &recorded, QString *error);

// Records under `parent` (runsFolder() by default) in a new folder named by the time and the
// title ("20261204-231500-seed-spike-seed-1"); returns that folder, or empty with `error`.
// Notes left out are logged (notesLeftOutText).
QString recordRun(const ComparisonData &data, const std::optional<SimulationSource> &source,
    QString *error, const QString &parent = runsFolder());

// Reads a recorded run from its folder or its run.json. Unset with `error` naming the file,
// row and field on bad input.
std::optional<RecordedRun> loadRecordedRun(const QString &path, QString *error);

// The runs under `parent`, newest first; folders whose run.json cannot be read are skipped
// (each named in `skipped` with its problem).
std::vector<RecordedRunInfo> listRecordedRuns(
    const QString &parent = runsFolder(), QStringList *skipped = nullptr);

// Deletes a recorded run: its run.json and timeseries.csv, then its folder once empty. A
// folder holding other files keeps them (and is named in `error`); false with `error` set
// when it is no recorded run or a file cannot be removed.
bool deleteRecordedRun(const QString &folder, QString *error);

// A source as JSON and back, for run.json and workspace files. Paths are stored as given;
// `baseDir` resolves a relative trace or scenario path on reading. Throws InputError.
nlohmann::json sourceToJson(const SimulationSource &source);
// Operator notes as a JSON array of {"t_s", "text"} and back (run.json and workspaces).
nlohmann::json notesJson(const std::vector<ComparisonData::Note> &notes);
std::vector<ComparisonData::Note> notesFromJson(const std::vector<traffic::JsonFields> &notes);
SimulationSource sourceFromJson(
    const nlohmann::json &json, const std::string &field, const std::string &file, const QString &baseDir);

} // namespace headroom::ui
