#pragma once

#include "exportformat.h"
#include "simulationworker.h"

#include <QString>
#include <vector>

namespace headroom::ui {

// Batch export without a window (headroom --export DIR --format LIST): runs `source` to its
// end as fast as it goes, on the calling thread, then writes batchFileName() of each format
// into `dir`, which must exist. The pictures are defaultExportSize(), PNG at 2x; the CSV is
// the whole run. Returns false with `error` set when the run failed (what it recorded is
// still written) or a file could not be written; `written` lists the files written.
bool runBatchExport(const SimulationSource &source, const QString &dir,
    const std::vector<ExportFormat> &formats, QStringList *written, QString *error);

// Writes batchFileName() of each format for a run already in hand (a recorded run, with
// headroom --replay RUN --export DIR), as runBatchExport() does after its run.
bool writeBatchExport(const ComparisonData &data, const QString &dir,
    const std::vector<ExportFormat> &formats, QStringList *written, QString *error);

} // namespace headroom::ui
