#pragma once

#include "exportformat.h"
#include "simulationworker.h"

#include <QString>
#include <vector>

namespace headroom::ui {

// Adds a snapshot's new samples, events and spikes to `data`, as the dashboard's history
// grows. The lanes are those of the run `data` was loaded for.
// TODO: this belongs next to SimulationSnapshot in simulationworker.h; it lives here
// because that file has another owner at the moment.
void appendSnapshot(ComparisonData &data, const SimulationSnapshot &snapshot);

// Batch export without a window (headroom --export DIR --format LIST): runs `source` to its
// end as fast as it goes, on the calling thread, then writes batchFileName() of each format
// into `dir`, which must exist. The pictures are defaultExportSize(), PNG at 2x; the CSV is
// the whole run. Returns false with `error` set when the run failed (what it recorded is
// still written) or a file could not be written; `written` lists the files written.
bool runBatchExport(const SimulationSource &source, const QString &dir,
    const std::vector<ExportFormat> &formats, QStringList *written, QString *error);

} // namespace headroom::ui
