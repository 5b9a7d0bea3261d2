#include "reportexport.h"

#include "comparisonview.h"
#include "csvexport.h"
#include "eventmodel.h"
#include "io/inputerror.h"
#include "logging.h"
#include "picturefile.h"
#include "summarymodel.h"

#include <QBuffer>
#include <QColor>
#include <QPainter>
#include <QStringList>
#include <QTextDocument>
#include <QTextOption>
#include <algorithm>
#include <limits>

namespace headroom::ui {

namespace {

// The picture of the HTML report is drawn at twice its layout size, sharp on any screen.
constexpr qreal kReportImageDpr = 2.0;
// A long run can have tens of thousands of scaling events; the report lists the latest.
constexpr int kMaxEventRows = 5000;

// Plain, light and legible in a browser and in QTextDocument (which knows a subset of CSS).
const char *const kStyle = R"(
body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #1f1f1f;
       background: #ffffff; margin: 24px; font-size: 10pt; }
h1 { font-size: 18pt; font-weight: 600; margin: 0 0 4px 0; }
h2 { font-size: 13pt; font-weight: 600; margin: 22px 0 8px 0; color: #333333; }
p.lead { color: #555555; margin: 0 0 12px 0; }
table { border-collapse: collapse; }
th, td { border: 1px solid #d0d0d0; padding: 3px 8px; vertical-align: top; }
th { background-color: #f2f2f2; text-align: left; font-weight: 600; }
td.num { text-align: right; white-space: nowrap; }
table.meta th { background-color: #f7f7f7; white-space: nowrap; }
img.comparison { width: 100%; height: auto; border: 1px solid #e0e0e0; }
p.note, p.footer { color: #666666; font-size: 9pt; }
)";
// On paper the summary's many columns must fit a landscape page.
const char *const kPrintStyle = R"(
body { margin: 0; }
table { font-size: 7.5pt; }
th, td { padding: 2px 4px; }
)";

// Control characters and the marks that reorder text (a note's U+202E turned the report's
// lines around it) shown as \u{XXXX}, as the programs' messages show them; line breaks kept.
QString visible(const QString &text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar c : text) {
        if (isHiddenControl(c.unicode()))
            out += QStringLiteral("\\u{%1}").arg(static_cast<int>(c.unicode()), 4, 16, QLatin1Char('0'));
        else
            out += c;
    }
    return out;
}

// Escaped for HTML; a line break the model puts in a header stays one.
QString escaped(const QString &text)
{
    return visible(text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("<br>"));
}

// Escaped for an attribute (a tooltip's title): a line break is a character there, not <br>.
QString escapedAttribute(const QString &text)
{
    return visible(text).toHtmlEscaped().replace(QLatin1Char('\n'), QStringLiteral("&#10;"));
}

QString laneList(const ComparisonData &data)
{
    QStringList names;
    for (const ComparisonData::Lane &lane : data.lanes)
        names.append(QString::fromStdString(lane.controller));
    return names.join(QStringLiteral(", "));
}

// What the report is of: lanes compared on the same arrivals, or a live cluster's one lane,
// which is compared with nothing (it scales the cluster, or only reads it).
QString leadLine(const ComparisonData &data)
{
    const QString source = QString::fromStdString(data.source);
    if (!data.live)
        return laneList(data) + QStringLiteral(" on identical arrivals: ") + source;
    if (data.lanes.size() == 1 && data.lanes[0].controller == "watch")
        return QStringLiteral("Watching, scaling nothing: ") + source;
    return laneList(data) + QStringLiteral(" scaling ") + source;
}

QString cell(const QAbstractItemModel &model, const QModelIndex &index)
{
    const QString text = model.data(index, Qt::DisplayRole).toString();
    const QVariant align = model.data(index, Qt::TextAlignmentRole);
    const QVariant foreground = model.data(index, Qt::ForegroundRole);
    const QVariant swatch = model.data(index, Qt::DecorationRole);
    const QString tip = model.data(index, Qt::ToolTipRole).toString();

    QString html = QStringLiteral("<td");
    if (align.isValid() && (align.value<Qt::Alignment>() & Qt::AlignRight))
        html += QStringLiteral(" class=\"num\"");
    if (!tip.isEmpty() && tip != text)
        html += QStringLiteral(" title=\"") + escapedAttribute(tip) + QLatin1Char('"');
    if (foreground.canConvert<QColor>() && foreground.value<QColor>().isValid())
        html += QStringLiteral(" style=\"color: ") + foreground.value<QColor>().name()
            + QLatin1Char('"');
    html += QLatin1Char('>');
    // A marker's colour as in the events list: a small square before the text.
    if (swatch.canConvert<QColor>() && swatch.value<QColor>().isValid())
        html += QStringLiteral("<span style=\"color: ") + swatch.value<QColor>().name()
            + QStringLiteral("\">&#9632;</span> ");
    return html + escaped(text) + QStringLiteral("</td>");
}

// Any table model as an HTML table: header, display text, alignment, colours, tooltips.
// `twoLineHeaders`: keep the breaks the table writes in narrow headers (paper, where width
// is short), else read every header on one line ("Time to scale").
QString modelTable(const QAbstractItemModel &model, int firstRow = 0, bool twoLineHeaders = false)
{
    QString html = QStringLiteral("<table>\n<tr>");
    for (int c = 0; c < model.columnCount(); ++c)
        html += QStringLiteral("<th>")
            + escaped(twoLineHeaders
                    ? model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString()
                    : oneLineHeader(model.headerData(c, Qt::Horizontal, Qt::DisplayRole).toString()))
            + QStringLiteral("</th>");
    html += QStringLiteral("</tr>\n");
    for (int r = firstRow; r < model.rowCount(); ++r) {
        html += QStringLiteral("<tr>");
        for (int c = 0; c < model.columnCount(); ++c)
            html += cell(model, model.index(r, c));
        html += QStringLiteral("</tr>\n");
    }
    return html + QStringLiteral("</table>\n");
}

QString metadataTable(const ComparisonData &data, const QDateTime &written)
{
    QString html = QStringLiteral("<table class=\"meta\">\n");
    for (const auto &[key, value] : exportMetadata(data, std::nullopt, written))
        html += QStringLiteral("<tr><th>") + escaped(key) + QStringLiteral("</th><td>")
            + escaped(value) + QStringLiteral("</td></tr>\n");
    return html + QStringLiteral("</table>\n");
}

// The table exactly as the dashboard and the picture show it (the spike and provisioning
// columns come from the view's comparison of the lanes' samples).
QString summaryTable(const ComparisonData &data, bool twoLineHeaders)
{
    ComparisonView view;
    view.showData(data, 0.0, std::max(data.durationS, 1.0));
    QString html = modelTable(*view.summaryModel(), 0, twoLineHeaders);
    // What the table's markers mean, as the Markdown copy has them under the table.
    for (const QString &note : view.summaryModel()->notes())
        html += QStringLiteral("<p class=\"note\">") + escaped(note) + QStringLiteral("</p>\n");
    return html;
}

// Every lane's events in time order, a spike all lanes saw once, as the events list shows them.
QString eventsTable(const ComparisonData &data)
{
    EventModel model;
    // All of them, to count them: the events list keeps its latest 20,000, and the report said
    // "of 20000" of a run with more.
    model.setMaxRows(std::numeric_limits<int>::max());
    std::vector<EventModel::Entry> entries;
    for (const ComparisonData::Lane &lane : data.lanes) {
        for (const metrics::LaneEvent &event : lane.events)
            entries.push_back({QString::fromStdString(lane.controller), event});
    }
    for (const metrics::LaneEvent &note : noteEvents(data))
        entries.push_back({QStringLiteral("all lanes"), note});
    model.append(std::move(entries), static_cast<int>(data.lanes.size()));
    if (model.rowCount() == 0)
        return QStringLiteral("<p class=\"note\">No events.</p>\n");
    const int first = std::max(0, model.rowCount() - kMaxEventRows);
    QString html;
    if (first > 0)
        html += QStringLiteral("<p class=\"note\">The latest ") + QString::number(kMaxEventRows)
            + QStringLiteral(" of ") + QString::number(model.rowCount())
            + QStringLiteral(" events.</p>\n");
    return html + modelTable(model, first);
}

QString pngDataUrl(const QImage &image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return QStringLiteral("data:image/png;base64,") + QString::fromLatin1(png.toBase64());
}

QString comparisonImage(const ComparisonData &data, QSize logicalSize)
{
    const QImage image = renderComparison(data, logicalSize, kReportImageDpr);
    return QStringLiteral("<img class=\"comparison\" width=\"")
        + QString::number(logicalSize.width()) + QStringLiteral("\" alt=\"")
        + escaped(QStringLiteral("Request rate, latency and pods of ") + laneList(data)
            + QStringLiteral(" over time"))
        + QStringLiteral("\" src=\"") + pngDataUrl(image) + QStringLiteral("\">\n");
}

} // namespace

QByteArray reportHtml(
    const ComparisonData &data, QSize logicalSize, ReportTarget target, const QDateTime &written)
{
    const QString title = QString::fromStdString(data.title);
    QString html = QStringLiteral("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                                  "<meta charset=\"utf-8\">\n<title>Headroom report: ")
        + escaped(title) + QStringLiteral("</title>\n<meta name=\"generator\" content=\"headroom ")
        + QStringLiteral(HEADROOM_VERSION) + QStringLiteral("\">\n<style>")
        + QString::fromLatin1(kStyle)
        + (target == ReportTarget::Print ? QString::fromLatin1(kPrintStyle) : QString())
        + QStringLiteral("</style>\n</head>\n<body>\n");

    html += QStringLiteral("<h1>Headroom report: ") + escaped(title) + QStringLiteral("</h1>\n");
    html += QStringLiteral("<p class=\"lead\">") + escaped(leadLine(data)) + QStringLiteral("</p>\n");
    html += QStringLiteral("<h2>Run</h2>\n") + metadataTable(data, written);
    if (target == ReportTarget::Html)
        html += QStringLiteral("<h2>Comparison</h2>\n") + comparisonImage(data, logicalSize);
    html += QStringLiteral("<h2>Summary</h2>\n") + summaryTable(data, target == ReportTarget::Print);
    html += QStringLiteral("<h2>Events</h2>\n") + eventsTable(data);
    html += QStringLiteral("<p class=\"footer\">Written by headroom ")
        + QStringLiteral(HEADROOM_VERSION) + QStringLiteral(" at ")
        + written.toUTC().toString(Qt::ISODate) + QStringLiteral(".</p>\n</body>\n</html>\n");
    return html.toUtf8();
}

bool exportReportHtml(
    const ComparisonData &data, const QString &path, QSize logicalSize, QString *error)
{
    if (!checkExportSize(logicalSize, kReportImageDpr, error))
        return false;
    if (!saveText(path, reportHtml(data, logicalSize, ReportTarget::Html), error))
        return false;
    qCInfo(lcUi) << "exported" << path << logicalSize;
    return true;
}

bool exportReportPdf(
    const ComparisonData &data, const QString &path, QSize logicalSize, QString *error)
{
    if (!checkExportSize(logicalSize, 1.0, error))
        return false;
    QTextDocument text;
    // Break lines between words only: "Controller" never becomes "Co-nt-rol-ler".
    QTextOption option = text.defaultTextOption();
    option.setWrapMode(QTextOption::WordWrap);
    text.setDefaultTextOption(option);
    text.setHtml(QString::fromUtf8(reportHtml(data, logicalSize, ReportTarget::Print)));
    const bool saved = savePdf(
        path, pdfPageSize(data.lanes.size()), QString::fromStdString(data.title),
        [&](QPainter &painter, const QRectF &page, int index) {
            if (index == 0) {
                paintComparison(data, logicalSize, painter, page);
                text.setPageSize(page.size()); // lays the text out in pages of this size
                return text.pageCount() > 0;
            }
            // Page `index` shows the text document's page index - 1.
            const QRectF shown(0.0, (index - 1) * page.height(), page.width(), page.height());
            painter.save();
            painter.translate(page.topLeft() - shown.topLeft());
            text.drawContents(&painter, shown);
            painter.restore();
            return index < text.pageCount();
        },
        error);
    if (saved)
        qCInfo(lcUi) << "exported" << path << logicalSize;
    return saved;
}

} // namespace headroom::ui
