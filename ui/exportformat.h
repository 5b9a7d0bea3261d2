#pragma once

#include "comparisonexport.h"
#include "csvexport.h"

#include <QSize>
#include <QString>
#include <optional>
#include <vector>

namespace headroom::ui {

// Everything the comparison exports to.
enum class ExportFormat {
    Png, // picture at a size and device pixel ratio
    Svg, // vector picture
    Pdf, // vector picture on a landscape page
    Csv, // every lane's samples with the run's metadata
    ReportHtml, // one self-contained HTML page: metadata, picture, summary, events
    ReportPdf // the same report as a PDF
};

inline constexpr ExportFormat kExportFormats[] = {ExportFormat::Png, ExportFormat::Svg,
    ExportFormat::Pdf, ExportFormat::Csv, ExportFormat::ReportHtml, ExportFormat::ReportPdf};

// What to export, and how: the Export dialog's answer.
struct ExportRequest
{
    ExportFormat format = ExportFormat::Png;
    QSize size; // device-independent pixels of the picture (all but CSV); invalid: the default
    qreal devicePixelRatio = 2.0; // PNG only
    bool visibleRangeOnly = false; // CSV only: the range the charts show, else the whole run
};

// The name on the command line (--format): png, svg, pdf, csv, report, report-pdf.
QString exportFormatName(ExportFormat format);
std::optional<ExportFormat> exportFormatFromName(const QString &name);
// "png,svg": every name known, none twice. Otherwise nullopt and `problem` naming the culprit.
std::optional<std::vector<ExportFormat>> parseExportFormats(const QString &list, QString *problem);
// The file's suffix without the dot, and the file dialog's filter ("PNG image (*.png)").
QString exportSuffix(ExportFormat format);
QString exportFilter(ExportFormat format);
// What each format is called where it is offered: "PNG image", "HTML report", ...
QString exportDescription(ExportFormat format);
// The file a batch export writes in its folder: headroom-cli's names where it has them
// (comparison.png, comparison.svg, timeseries.csv), else comparison.pdf, report.html, report.pdf.
QString batchFileName(ExportFormat format);
// Whether the file at `path` is one an export of `format` wrote, by its contents (a PNG, an
// SVG or PDF document, a CSV with the samples' header, a report naming Headroom as its
// generator): a batch export replaces those, and no other file of the same name.
bool isEarlierExport(ExportFormat format, const QString &path);
// Whether `path` holds a file no export of `format` wrote, which an export must not replace.
bool holdsOthersFile(ExportFormat format, const QString &path);
// By the path's suffix: .png .svg .pdf .csv .html (.htm); nullopt for any other.
std::optional<ExportFormat> exportFormatForPath(const QString &path);

// Writes `data` as `request` says. `visible`: the range the charts show, for a CSV of it.
// False and `error` (naming the path or the size) on failure; nothing half written is left.
bool exportComparison(const ComparisonData &data, const QString &path, const ExportRequest &request,
    std::optional<TimeRange> visible, QString *error);

} // namespace headroom::ui
