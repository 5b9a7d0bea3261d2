#pragma once

#include "comparisonexport.h"
#include "csvexport.h"
#include "lanecolumn.h"
#include "runrecord.h"
#include "simulationworker.h"

#include <QString>
#include <array>
#include <optional>
#include <vector>

namespace headroom::ui {

// A spike the toolbar fires: its magnitude, duration and shape preset.
struct SpikeSettings
{
    double multiplier = 6.0;
    double durationS = 30.0;
    QString shape = QStringLiteral("step");
};

// What a workspace file (*.headroom) holds: the source or recorded run shown, and how it is
// looked at, so opening it brings the dashboard back as it was saved.
struct Workspace
{
    SimulationSource source; // the live source (also the lanes, seed and compression)
    QString replay; // a recorded run's folder shown instead of the live run; empty: none
    double speed = 1.0; // 0: as fast as possible
    double windowS = 0.0; // the window followed; 0 the whole run
    std::optional<TimeRange> heldRange; // a zoom held still; unset: following
    bool lockY = true; // the dashboard's default
    std::array<std::optional<FixedYRange>, kChartKinds> fixedY;
    HiddenSeries hidden;
    bool eventsShown = true;
    SpikeSettings spike;
    std::vector<ComparisonData::Note> notes;
};

// The file filter and suffix of workspace files.
QString workspaceFilter();
inline constexpr const char *kWorkspaceSuffix = "headroom";

// JSON, versioned. Paths under the workspace file's folder are written relative to it, so
// a folder with its workspace and traces can be moved. False and `error` on failure.
bool saveWorkspace(const Workspace &workspace, const QString &path, QString *error);
// Unset with `error` naming the file and field on bad input; a missing trace or recorded run
// is reported when it is opened, not here.
std::optional<Workspace> loadWorkspace(const QString &path, QString *error);

// What a workspace shows, read and checked before anything changes: its recorded run, loaded
// into `run`, or its source, checked to run. False with `error` naming `path`.
bool prepareWorkspace(const Workspace &workspace, const QString &path,
    std::optional<RecordedRun> &run, QString *error);

} // namespace headroom::ui
