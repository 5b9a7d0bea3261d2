#pragma once

#include "comparisonexport.h"

#include <QByteArray>
#include <QDateTime>
#include <QSize>
#include <QString>

namespace headroom::ui {

// What a report holds besides the picture.
enum class ReportTarget {
    Html, // a self-contained page: the comparison as an inline PNG (base64), styles inline
    Print // the text pages of the PDF report: no picture (it has a vector page of its own)
};

// The one-click report: the title, the run's metadata (exportMetadata()), the comparison
// (every lane's charts, markers, legends, the summary; light theme) laid out at
// `logicalSize`, the summary table as an HTML table and every event in time order.
QByteArray reportHtml(const ComparisonData &data, QSize logicalSize, ReportTarget target,
    const QDateTime &written = QDateTime::currentDateTimeUtc());

// One HTML file with nothing outside it: opens anywhere, mails as one attachment.
bool exportReportHtml(
    const ComparisonData &data, const QString &path, QSize logicalSize, QString *error);
// The same as a PDF: the comparison (vector) on the first page, then the metadata, the
// summary table and the events on as many pages as they need.
bool exportReportPdf(
    const ComparisonData &data, const QString &path, QSize logicalSize, QString *error);

} // namespace headroom::ui
