#include "exportformat.h"

#include "reportexport.h"

#include <QFile>
#include <QFileInfo>
#include <QStringList>
#include <algorithm>

namespace headroom::ui {

namespace {

// Each format's name on the command line, file suffix, description and batch file name.
struct FormatInfo
{
    ExportFormat format;
    const char *name;
    const char *suffix;
    const char *description;
    const char *batchFile;
};

constexpr FormatInfo kFormatInfo[] = {
    {ExportFormat::Png, "png", "png", "PNG image", "comparison.png"},
    {ExportFormat::Svg, "svg", "svg", "SVG drawing", "comparison.svg"},
    {ExportFormat::Pdf, "pdf", "pdf", "PDF document", "comparison.pdf"},
    {ExportFormat::Csv, "csv", "csv", "CSV samples", "timeseries.csv"},
    {ExportFormat::ReportHtml, "report", "html", "HTML report", "report.html"},
    {ExportFormat::ReportPdf, "report-pdf", "pdf", "PDF report", "report.pdf"},
};

const FormatInfo &info(ExportFormat format)
{
    for (const FormatInfo &i : kFormatInfo) {
        if (i.format == format)
            return i;
    }
    return kFormatInfo[0];
}

} // namespace

QString exportFormatName(ExportFormat format)
{
    return QString::fromLatin1(info(format).name);
}

std::optional<ExportFormat> exportFormatFromName(const QString &name)
{
    for (const ExportFormat format : kExportFormats) {
        if (exportFormatName(format) == name.trimmed().toLower())
            return format;
    }
    return std::nullopt;
}

std::optional<std::vector<ExportFormat>> parseExportFormats(const QString &list, QString *problem)
{
    std::vector<ExportFormat> formats;
    QStringList unknown;
    for (const QString &name : list.split(QLatin1Char(','))) {
        const std::optional<ExportFormat> format = exportFormatFromName(name);
        if (!format)
            unknown.append(QLatin1Char('\'') + name.trimmed() + QLatin1Char('\''));
        else if (std::find(formats.begin(), formats.end(), *format) == formats.end())
            formats.push_back(*format);
    }
    if (unknown.isEmpty())
        return formats;
    if (problem) {
        QStringList known;
        for (const ExportFormat format : kExportFormats)
            known.append(exportFormatName(format));
        *problem = QStringLiteral("unknown format ") + unknown.join(QStringLiteral(", "))
            + QStringLiteral(" (expected a comma-separated list of ")
            + known.join(QStringLiteral(", ")) + QLatin1Char(')');
    }
    return std::nullopt;
}

QString exportSuffix(ExportFormat format)
{
    return QString::fromLatin1(info(format).suffix);
}

QString exportDescription(ExportFormat format)
{
    return QString::fromLatin1(info(format).description);
}

QString exportFilter(ExportFormat format)
{
    return exportDescription(format) + QStringLiteral(" (*.") + exportSuffix(format)
        + QLatin1Char(')');
}

QString batchFileName(ExportFormat format)
{
    return QString::fromLatin1(info(format).batchFile);
}

bool isEarlierExport(ExportFormat format, const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QByteArray head = file.read(4096);
    switch (format) {
    case ExportFormat::Png:
        return head.startsWith("\x89PNG");
    case ExportFormat::Svg:
        return head.contains("<svg");
    case ExportFormat::Pdf:
    case ExportFormat::ReportPdf:
        return head.startsWith("%PDF");
    case ExportFormat::Csv:
        // The samples' header, after the export's "# key: value" lines: a file that merely
        // opens with a comment is the user's.
        return head.startsWith("t_s,lane,") || (head.startsWith("# ") && head.contains("\nt_s,lane,"));
    case ExportFormat::ReportHtml:
        return head.contains("<meta name=\"generator\" content=\"headroom ");
    }
    return false;
}

bool holdsOthersFile(ExportFormat format, const QString &path)
{
    return QFileInfo::exists(path) && !isEarlierExport(format, path);
}

std::optional<ExportFormat> exportFormatForPath(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == QStringLiteral("htm") || suffix == QStringLiteral("html"))
        return ExportFormat::ReportHtml;
    for (const ExportFormat format :
        {ExportFormat::Png, ExportFormat::Svg, ExportFormat::Pdf, ExportFormat::Csv}) {
        if (suffix == exportSuffix(format))
            return format;
    }
    return std::nullopt;
}

bool exportComparison(const ComparisonData &data, const QString &path, const ExportRequest &request,
    std::optional<TimeRange> visible, QString *error)
{
    const QSize size = request.size.isValid() ? request.size : defaultExportSize(data.lanes.size());
    switch (request.format) {
    case ExportFormat::Png:
        return exportComparisonPng(data, path, size, request.devicePixelRatio, error);
    case ExportFormat::Svg:
        return exportComparisonSvg(data, path, size, error);
    case ExportFormat::Pdf:
        return exportComparisonPdf(data, path, size, error);
    case ExportFormat::Csv:
        return exportComparisonCsv(
            data, path, request.visibleRangeOnly ? visible : std::nullopt, error);
    case ExportFormat::ReportHtml:
        return exportReportHtml(data, path, size, error);
    case ExportFormat::ReportPdf:
        return exportReportPdf(data, path, size, error);
    }
    return false;
}

} // namespace headroom::ui
