#pragma once

#include "exportformat.h"
#include "simulationworker.h"

#include <QString>
#include <QStringList>
#include <array>
#include <atomic>
#include <optional>
#include <vector>

namespace headroom::ui {

// What a workspace adds to a run's pictures: the operator's notes (set when given), the
// series hidden in the legends and how the y axes are scaled (Lock y, fixed ranges).
struct ComparisonLook
{
    std::optional<std::vector<ComparisonData::Note>> notes;
    std::array<QStringList, 3> hiddenSeries;
    bool lockY = true;
    std::array<std::optional<FixedYRange>, 3> fixedY;
};

// Batch export without a window (headroom --export DIR --format LIST): runs `source` to its
// end as fast as it goes, on the calling thread, then writes batchFileName() of each format
// into `dir`, which must exist. The pictures are defaultExportSize(), PNG at 2x; the CSV is
// the whole run. Returns false with `error` set when the run failed (what it recorded is
// still written) or a file could not be written; `written` lists the files written.
// `look` (from a workspace) adds its notes, hides its hidden series and scales the y axes
// as its Lock y and fixed ranges say, as the window would.
// A live cluster (SimulationSource::Kind::Cluster) is followed at its own pace for its
// followS seconds. When `stop` becomes non-zero (a signal: Ctrl+C ends a follow early) the run
// stops where it is and what it recorded is written; `stoppedAtS`, when given, is then set
// to the run's time (else NaN).
bool runBatchExport(const SimulationSource &source, const QString &dir,
    const std::vector<ExportFormat> &formats, QStringList *written, QString *error,
    const ComparisonLook &look = {}, const std::atomic<int> *stop = nullptr,
    double *stoppedAtS = nullptr);

// Writes batchFileName() of each format for a run already in hand (a recorded run, with
// headroom --replay RUN --export DIR), as runBatchExport() does after its run.
bool writeBatchExport(ComparisonData data, const QString &dir,
    const std::vector<ExportFormat> &formats, QStringList *written, QString *error,
    const ComparisonLook &look = {});

} // namespace headroom::ui
