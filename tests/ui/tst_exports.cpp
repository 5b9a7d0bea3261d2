// Issue 5 item 8: the comparison as PDF, CSV (visible range or whole run, with the run's
// metadata) and a one-file report; the Export dialog's refusals; batch export without a
// window (headroom --export DIR --format LIST).

#include "comparisonview.h"
#include "csvexport.h"
#include "dashboardprocess.h"
#include "exportdialog.h"
#include "exportformat.h"
#include "io/runwriter.h"
#include "linkedtimeaxis.h"
#include "mainwindow.h"
#include "reportexport.h"
#include "seedspikerun.h"
#include "sim/clusterconfig.h"
#include "sim/experiment.h"
#include "summarymodel.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImage>
#include <QPushButton>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QtEndian>

using namespace headroom;

namespace {

constexpr int kTimeoutMs = 120000;
const QDateTime kWritten = QDateTime(QDate(2026, 12, 4), QTime(21, 0), Qt::UTC);

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> out = text.split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

// The data rows of a CSV export: not a comment, not the header.
QList<QByteArray> dataRows(const QByteArray &csv)
{
    QList<QByteArray> rows;
    for (const QByteArray &line : lines(csv)) {
        if (!line.startsWith('#') && !line.startsWith("t_s,"))
            rows.append(line);
    }
    return rows;
}

// Qt maps the space glyph to a tab and keeps ligatures (ﬀ): read as plain text.
QString normalized(const QString &text)
{
    return text.normalized(QString::NormalizationForm_KC)
        .replace(QLatin1Char('\t'), QLatin1Char(' '));
}

using Outcome = testing::DashboardRun;

// Without any display unless `display` (offscreen), as batch export must run.
Outcome runDashboard(const QStringList &args, bool display = false)
{
    return testing::runDashboard(args, display, kTimeoutMs);
}

// The text Qt's PDF writer draws, read back without a PDF library: every stream inflated,
// each font's ToUnicode map applied to the glyphs its Tj operators show. One line per text
// object (BT ... ET). Enough for Qt's own output, not for PDFs at large.
class PdfText
{
public:
    explicit PdfText(const QByteArray &pdf)
    {
        static const QRegularExpression object(QStringLiteral("(\\d+) 0 obj(.*?)endobj"),
            QRegularExpression::DotMatchesEverythingOption);
        const QString text = QString::fromLatin1(pdf);
        for (auto it = object.globalMatch(text); it.hasNext();) {
            const auto m = it.next();
            const int id = m.captured(1).toInt();
            const QString body = m.captured(2);
            const qsizetype start = body.indexOf(QStringLiteral("stream"));
            m_dicts[id] = start < 0 ? body : body.left(start);
            if (start >= 0) {
                QByteArray data = body.mid(start + 6).toLatin1();
                data = data.mid(data.startsWith("\r\n") ? 2 : 1);
                data.truncate(data.lastIndexOf("endstream"));
                m_streams[id]
                    = m_dicts[id].contains(QStringLiteral("/FlateDecode")) ? inflate(data) : data;
            }
        }
    }

    int pages() const
    {
        int n = 0;
        static const QRegularExpression page(QStringLiteral("/Type\\s*/Page[^s]"));
        for (const QString &dict : m_dicts)
            n += page.match(dict).hasMatch();
        return n;
    }

    // Every content stream's text, in file order.
    QString text() const
    {
        QMap<QString, QMap<uint, QString>> fonts; // resource name -> glyph -> text
        static const QRegularExpression fontRef(QStringLiteral("/(F\\d+)\\s+(\\d+)\\s+0\\s+R"));
        static const QRegularExpression toUnicode(QStringLiteral("/ToUnicode\\s+(\\d+)\\s+0\\s+R"));
        for (const QString &dict : m_dicts) {
            for (auto it = fontRef.globalMatch(dict); it.hasNext();) {
                const auto m = it.next();
                const auto map = toUnicode.match(m_dicts.value(m.captured(2).toInt()));
                if (map.hasMatch())
                    fonts[m.captured(1)] = cmap(m_streams.value(map.captured(1).toInt()));
            }
        }
        static const QRegularExpression op(
            QStringLiteral("/(F\\d+)\\s+[-\\d.]+\\s+Tf|<([0-9A-Fa-f]+)>\\s*Tj|\\bET\\b"));
        QString out;
        for (const QByteArray &content : m_streams) {
            QString font;
            for (auto it = op.globalMatch(QString::fromLatin1(content)); it.hasNext();) {
                const auto m = it.next();
                if (!m.captured(1).isEmpty())
                    font = m.captured(1);
                else if (!m.captured(2).isEmpty())
                    for (qsizetype i = 0; i + 4 <= m.captured(2).size(); i += 4)
                        out += fonts[font].value(m.captured(2).mid(i, 4).toUInt(nullptr, 16));
                else
                    out += QLatin1Char('\n');
            }
        }
        return out;
    }

private:
    static QByteArray inflate(const QByteArray &deflated)
    {
        // qUncompress wants the size first; a generous guess, it grows if short.
        const quint32 guess = static_cast<quint32>(deflated.size()) * 20 + 4096;
        QByteArray sized(4, Qt::Uninitialized);
        qToBigEndian(guess, sized.data());
        return qUncompress(sized + deflated);
    }

    static QString utf16(const QString &hex)
    {
        QString s;
        for (qsizetype i = 0; i + 4 <= hex.size(); i += 4)
            s += QChar(static_cast<char16_t>(hex.mid(i, 4).toUInt(nullptr, 16)));
        return s;
    }

    // bfchar pairs and bfrange entries (<lo> <hi> <first> or <lo> <hi> [<a> <b> ...]).
    static QMap<uint, QString> cmap(const QByteArray &data)
    {
        QMap<uint, QString> map;
        static const QRegularExpression token(QStringLiteral(
            "<([0-9A-Fa-f]*)>|\\[|\\]|(beginbfrange|endbfrange|beginbfchar|endbfchar)"));
        QStringList tokens;
        for (auto it = token.globalMatch(QString::fromLatin1(data)); it.hasNext();) {
            const auto m = it.next();
            tokens.append(
                m.captured(0).startsWith(QLatin1Char('<')) ? m.captured(1) : m.captured(0));
        }
        QString section;
        for (qsizetype i = 0; i < tokens.size();) {
            const QString &t = tokens[i];
            if (t.startsWith(QStringLiteral("begin")) || t.startsWith(QStringLiteral("end"))) {
                section = t;
                ++i;
            } else if (section == QStringLiteral("beginbfchar") && i + 1 < tokens.size()) {
                map[t.toUInt(nullptr, 16)] = utf16(tokens[i + 1]);
                i += 2;
            } else if (section == QStringLiteral("beginbfrange") && i + 2 < tokens.size()) {
                const uint lo = t.toUInt(nullptr, 16);
                const uint hi = tokens[i + 1].toUInt(nullptr, 16);
                if (tokens[i + 2] == QStringLiteral("[")) {
                    i += 3;
                    for (uint g = lo;
                         g <= hi && i < tokens.size() && tokens[i] != QStringLiteral("]"); ++g, ++i)
                        map[g] = utf16(tokens[i]);
                    ++i; // the closing bracket
                } else {
                    const uint first = tokens[i + 2].toUInt(nullptr, 16);
                    for (uint g = lo; g <= hi; ++g)
                        map[g] = QString(QChar(static_cast<char16_t>(first + (g - lo))));
                    i += 3;
                }
            } else {
                ++i;
            }
        }
        return map;
    }

    QMap<int, QString> m_dicts;
    QMap<int, QByteArray> m_streams;
};

} // namespace

class TestExports : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pdfIsAVectorPage();
    void pdfNamesEveryLane();
    void pdfOversizedRefused();
    void csvStartsWithMetadata();
    void aLiveRunsMetadataSaysWhatItIs();
    void csvWholeRunIsTheCliTimeseries();
    void csvVisibleRangeHasItsRowsOnly();
    void reportHtmlHasEverything();
    void reportShowsControlCharactersAsCodes();
    void reportPdfHasTextPages();
    void formatListsParse();
    void dialogRefusesSizesQPainterCannotDraw();
    void dialogOffersEveryFormat();
    void windowExportsTheVisibleRange();
    void ctrlEOpensTheExportDialog();
    void batchExportWritesEveryFile();
    void batchExportRejectsBadFormat();
    void batchExportRejectsUnwritableFolder();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    ui::ComparisonData m_data;
    QTemporaryDir m_dir;
};

void TestExports::initTestCase()
{
    QVERIFY(m_dir.isValid());
    // Set HEADROOM_KEEP_TEST_OUTPUT to look at the files afterwards.
    m_dir.setAutoRemove(!qEnvironmentVariableIsSet("HEADROOM_KEEP_TEST_OUTPUT"));
    qInfo() << "output in" << m_dir.path();
    m_data = testing::seedSpikeWithOperatorSpike({"predictive", "hpa"}, 30.0);
    QCOMPARE(m_data.lanes.size(), 2u);
    QCOMPARE(m_data.lanes[0].samples.size(), 70u);
    QCOMPARE(m_data.state, ui::RunState::Finished);
}

void TestExports::pdfIsAVectorPage()
{
    const QString file = path(QStringLiteral("comparison.pdf"));
    QString error;
    QVERIFY2(
        ui::exportComparisonPdf(m_data, file, ui::defaultExportSize(2), &error), qPrintable(error));
    const QByteArray pdf = readAll(file);
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.trimmed().endsWith("%%EOF"));
    QVERIFY2(pdf.size() > 20000, qPrintable(QString::number(pdf.size())));
    QCOMPARE(
        pdf.count("/Type /Page\n") + pdf.count("/Type /Page\r") + pdf.count("/Type /Page "), 1);
    // Vector: text as fonts, and no picture of the page. The only images are the style's
    // header shading of the summary table, a few pixels tall.
    QVERIFY(pdf.contains("/FontFile"));
    static const QRegularExpression imageHeight(
        QStringLiteral("/Subtype /Image[^>]*/Height (\\d+)"));
    for (auto it = imageHeight.globalMatch(QString::fromLatin1(pdf)); it.hasNext();) {
        const int height = it.next().captured(1).toInt();
        QVERIFY2(height < 50, qPrintable(QString::number(height)));
    }
    // A4 landscape: 842 x 595 points.
    static const QRegularExpression mediaBox(
        QStringLiteral("/MediaBox \\[0 0 ([\\d.]+) ([\\d.]+)\\]"));
    const auto box = mediaBox.match(QString::fromLatin1(pdf));
    QVERIFY(box.hasMatch());
    QCOMPARE(qRound(box.captured(1).toDouble()), 842);
    QCOMPARE(qRound(box.captured(2).toDouble()), 595);
    QCOMPARE(ui::pdfPageSize(4).id(), QPageSize::A3); // wider lanes, a larger sheet
}

void TestExports::pdfNamesEveryLane()
{
    const QString file = path(QStringLiteral("lanes.pdf"));
    QString error;
    QVERIFY2(
        ui::exportComparisonPdf(m_data, file, ui::defaultExportSize(2), &error), qPrintable(error));
    const PdfText pdf(readAll(file));
    QCOMPARE(pdf.pages(), 1);
    const QString text = normalized(pdf.text());
    // Titles, every lane's heading, chart titles, axis titles with units, legend, table.
    for (const char *words : {"seed-spike, seed 1", "predictive", "hpa", "Request rate", "Latency",
             "Pods", "time (s)", "req/s", "arrivals/s", "p95", "violations", "Requests", "spike x6",
             "scaling decisions"}) {
        QVERIFY2(text.contains(QString::fromUtf8(words)),
            qPrintable(QStringLiteral("no '") + QString::fromUtf8(words)
                + QStringLiteral("' in the PDF's text: ") + text.left(400)));
    }
    // Each lane's heading is a text object of its own.
    const QStringList objects = text.split(QLatin1Char('\n'));
    QVERIFY(objects.contains(QStringLiteral("predictive")));
    QVERIFY(objects.contains(QStringLiteral("hpa")));
}

void TestExports::pdfOversizedRefused()
{
    const QString file = path(QStringLiteral("huge.pdf"));
    QString error;
    QVERIFY(!ui::exportComparisonPdf(m_data, file, QSize(40000, 1000), &error));
    QVERIFY2(error.contains(QStringLiteral("40000")), qPrintable(error));
    QVERIFY(!QFile::exists(file));
    QVERIFY(!ui::exportComparisonPdf(
        m_data, path(QStringLiteral("no/such/dir/x.pdf")), QSize(1600, 1000), &error));
    QVERIFY2(error.contains(QStringLiteral("no/such/dir/x.pdf")), qPrintable(error));
}

void TestExports::csvStartsWithMetadata()
{
    const QList<QByteArray> all = lines(ui::comparisonCsv(m_data, std::nullopt, kWritten));
    QList<QByteArray> comments;
    for (const QByteArray &line : all) {
        if (!line.startsWith('#'))
            break;
        comments.append(line);
    }
    const QByteArray head = comments.join('\n');
    QVERIFY2(head.contains("# title: seed-spike, seed 1\n"), head.constData());
    QVERIFY2(head.contains("# source: scenario seed-spike"), head.constData());
    QVERIFY(head.contains("# seed: 1\n"));
    QVERIFY(head.contains("# controllers: predictive,hpa\n"));
    QVERIFY(head.contains("# state: finished\n"));
    // The preset and every field of a scenario's cluster, in its keys.
    QVERIFY(head.contains("# settings: preset=default, service_mean_ms=150, service_cv=0.3, pod_slots=1, "
                          "pod_pending_s=1, pod_starting_s=4, min_replicas=1, max_replicas=20, "
                          "initial_replicas=0, slo_latency_ms=500, router_queue_capacity=1000, "
                          "client_timeout_s=10, boot_cpu_s=0, boot_cpu_m=1000, pod_queue_capacity=0, "
                          "readiness_max_queue_delay_ms=0, metrics_start_delay_s=0, "
                          "scrape_miss_probability=0, hpa_target_cpu_percent=50, metric_resolution_s=15\n"));
    QVERIFY(head.contains("# range: 0-70 s (whole run)\n"));
    QVERIFY(head.contains("# app_version: headroom " HEADROOM_VERSION "\n"));
    QVERIFY(head.endsWith("# written: 2026-12-04T21:00:00Z"));
    // Right after the comments, the header of headroom-cli's timeseries.csv.
    QVERIFY(all.size() > comments.size());
    QVERIFY(all[comments.size()].startsWith("t_s,lane,arrivals_per_s,"));
    QVERIFY(all[comments.size()].endsWith(",fallback,no_data,slo_violations_per_s,pods_unready,concurrency"));
}

// A live cluster's run has no seed and compares one lane with nothing: its CSV said "seed: 0"
// and its report "kpa on identical arrivals" (found by a new-user trial). They say what it is;
// its settings stay the cluster's (its SLO, the service time measured, what is assumed).
void TestExports::aLiveRunsMetadataSaysWhatItIs()
{
    ui::ComparisonData live = m_data;
    live.live = true;
    live.seed = 0;
    live.title = "inference (live)";
    live.source = "live deployment default/inference at http://127.0.0.1:1";
    live.lanes.resize(1);
    live.lanes[0].controller = "kpa";
    // Followed from the cluster's 10 s: its first sample holds the second up to 11 s.
    for (metrics::LaneSample &s : live.lanes[0].samples)
        s.tS += 10.0;
    live.durationS += 10.0;
    live.spikes.clear();
    sim::ClusterConfig cluster;
    cluster.sloLatencyS = 0.3;
    live.settings = ui::liveClusterSettings(cluster, true, 0.4, true);
    const QByteArray csv = ui::comparisonCsv(live, std::nullopt, kWritten);
    QVERIFY2(csv.contains("\n# seed: none (live cluster)\n"), csv.left(600).constData());
    QVERIFY2(!csv.contains("# seed: 0"), csv.left(600).constData());
    QVERIFY2(csv.contains("\n# controllers: kpa\n"), csv.left(600).constData());
    // Its whole run is the seconds it was followed, not from 0 s, which it never read.
    QVERIFY2(csv.contains("\n# range: 10-80 s (whole run)\n"), csv.left(600).constData());
    QVERIFY2(csv.contains("\n# settings: slo_latency_ms=300, service_mean_ms=400 (measured), pod_slots=1 (assumed), "),
        csv.left(600).constData());
    const auto lead = [](const QByteArray &html) {
        const int from = html.indexOf("<p class=\"lead\">");
        return QString::fromUtf8(html.mid(from, html.indexOf("</p>", from) - from));
    };
    QByteArray html = ui::reportHtml(live, ui::defaultExportSize(1), ui::ReportTarget::Print, kWritten);
    QCOMPARE(lead(html),
        QStringLiteral("<p class=\"lead\">kpa scaling live deployment default/inference at http://127.0.0.1:1"));
    QVERIFY(html.contains("<tr><th>seed</th><td>none (live cluster)</td></tr>"));
    live.lanes[0].controller = "watch";
    html = ui::reportHtml(live, ui::defaultExportSize(1), ui::ReportTarget::Print, kWritten);
    QCOMPARE(lead(html),
        QStringLiteral("<p class=\"lead\">Watching, scaling nothing: live deployment default/inference at http://127.0.0.1:1"));
    // A simulated run's lanes are compared on one source's arrivals, drawn from its seed.
    html = ui::reportHtml(m_data, ui::defaultExportSize(2), ui::ReportTarget::Print, kWritten);
    QVERIFY2(lead(html).startsWith(QStringLiteral("<p class=\"lead\">predictive, hpa on identical arrivals: scenario seed-spike")),
        qPrintable(lead(html)));
    QVERIFY(html.contains("<tr><th>seed</th><td>1</td></tr>"));
}

void TestExports::csvWholeRunIsTheCliTimeseries()
{
    const QString file = path(QStringLiteral("whole.csv"));
    QString error;
    QVERIFY2(ui::exportComparisonCsv(m_data, file, std::nullopt, &error), qPrintable(error));
    const QByteArray csv = readAll(file);
    QCOMPARE(dataRows(csv).size(), 140); // 70 s, 2 lanes

    std::vector<io::LaneSeries> series;
    for (const ui::ComparisonData::Lane &lane : m_data.lanes)
        series.push_back({lane.controller, &lane.samples});
    const QByteArray cli = QByteArray::fromStdString(io::timeseriesCsv(series));
    QVERIFY(csv.endsWith(cli));
    QCOMPARE(csv.indexOf("t_s,"), csv.size() - cli.size());
}

void TestExports::csvVisibleRangeHasItsRowsOnly()
{
    const QByteArray csv = ui::comparisonCsv(m_data, ui::TimeRange {10.0, 20.0}, kWritten);
    QVERIFY(csv.contains("# range: 10-20 s (visible range)\n"));
    const QList<QByteArray> rows = dataRows(csv);
    QCOMPARE(rows.size(), 22); // 10 s to 20 s, both included, in 2 lanes
    int predictive = 0;
    for (const QByteArray &row : rows) {
        const QList<QByteArray> cells = row.split(',');
        const double t = cells[0].toDouble();
        QVERIFY2(t >= 10.0 && t <= 20.0, row.constData());
        predictive += cells[1] == "predictive";
    }
    QCOMPARE(predictive, 11);

    // A zoomed edge between samples keeps only the seconds inside.
    QCOMPARE(dataRows(ui::comparisonCsv(m_data, ui::TimeRange {10.5, 12.5}, kWritten)).size(), 4);
    QVERIFY(ui::comparisonCsv(m_data, ui::TimeRange {10.5, 12.5}, kWritten)
                .contains("# range: 10.5-12.5 s"));
}

// A right-to-left override or an escape code in an event's text turned the report's lines
// around it, or reached a terminal that printed the file (a new-user trial): shown as codes.
void TestExports::reportShowsControlCharactersAsCodes()
{
    ui::ComparisonData data = m_data;
    data.lanes[0].events.push_back({5.0, "condition", "deploy \u202Ev2\x1b[31m done"});
    const QString file = path(QStringLiteral("controls.html"));
    QString error;
    QVERIFY2(ui::exportReportHtml(data, file, ui::defaultExportSize(2), &error), qPrintable(error));
    const QString html = QString::fromUtf8(readAll(file));
    QVERIFY2(html.contains(QStringLiteral("deploy \\u{202e}v2\\u{001b}[31m done")), qPrintable(html.right(2000)));
    QVERIFY(!html.contains(QChar(0x202e)) && !html.contains(QChar(0x1b)));
}

void TestExports::reportHtmlHasEverything()
{
    const QString file = path(QStringLiteral("report.html"));
    QString error;
    QVERIFY2(
        ui::exportReportHtml(m_data, file, ui::defaultExportSize(2), &error), qPrintable(error));
    const QString html = QString::fromUtf8(readAll(file));
    QVERIFY(html.startsWith(QStringLiteral("<!DOCTYPE html>")));
    QVERIFY(html.contains(QStringLiteral("<meta charset=\"utf-8\">")));
    // Self-contained: nothing fetched from anywhere.
    QVERIFY(!html.contains(QStringLiteral("src=\"http")));
    QVERIFY(!html.contains(QStringLiteral("<link")));

    // Every lane and every value of the summary table, as the dashboard shows them.
    ui::ComparisonView view;
    view.showData(m_data, 0.0, m_data.durationS);
    const ui::SummaryModel &model = *view.summaryModel();
    QVERIFY(model.rowCount() == 2);
    for (int c = 0; c < model.columnCount(); ++c) {
        // A header the table writes on two lines reads as one ("Time to scale").
        const QString header = model.columnTitle(c).toHtmlEscaped();
        QVERIFY2(html.contains(QStringLiteral("<th>") + header + QStringLiteral("</th>")),
            qPrintable(header));
    }
    for (int r = 0; r < model.rowCount(); ++r) {
        for (int c = 0; c < model.columnCount(); ++c) {
            const QString value = model.index(r, c).data().toString().toHtmlEscaped().replace(
                QLatin1Char('\n'), QStringLiteral("<br>"));
            QVERIFY2(html.contains(QLatin1Char('>') + value + QStringLiteral("</td>")),
                qPrintable(QStringLiteral("row %1 column %2: %3").arg(r).arg(c).arg(value)));
        }
    }
    // A forecasting lane's Fallback cell has the title of its own column, seconds on the
    // fallback rule (it had the forecast columns', "N forecasts scored").
    int fallbackTitles = 0;
    for (int r = 0; r < model.rowCount(); ++r) {
        const QString tip = model.index(r, ui::SummaryModel::FallbackSeconds)
                                .data(Qt::ToolTipRole)
                                .toString();
        QVERIFY2(!tip.contains(QStringLiteral("scored")), qPrintable(tip));
        if (!tip.contains(QStringLiteral("fallback rule")))
            continue;
        ++fallbackTitles;
        const QString title = QStringLiteral(" title=\"") + tip.toHtmlEscaped() + QLatin1Char('"');
        QVERIFY2(html.contains(title), qPrintable(title));
    }
    QVERIFY(fallbackTitles > 0);

    for (const char *key : {"source", "seed", "controllers", "settings", "app_version"})
        QVERIFY2(html.contains(QStringLiteral("<th>") + QString::fromLatin1(key)), key);

    // The events, each lane's with its text.
    for (const ui::ComparisonData::Lane &lane : m_data.lanes) {
        QVERIFY(!lane.events.empty());
        const QString text = QString::fromStdString(lane.events.back().text).toHtmlEscaped();
        QVERIFY2(html.contains(text), qPrintable(text));
    }

    // The comparison picture, inline, at twice its layout size.
    static const QRegularExpression image(
        QStringLiteral("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\""));
    const auto match = image.match(html);
    QVERIFY(match.hasMatch());
    const QImage picture = QImage::fromData(QByteArray::fromBase64(match.captured(1).toLatin1()));
    QCOMPARE(picture.size(), ui::defaultExportSize(2) * 2);
}

void TestExports::reportPdfHasTextPages()
{
    const QString file = path(QStringLiteral("report.pdf"));
    QString error;
    QVERIFY2(
        ui::exportReportPdf(m_data, file, ui::defaultExportSize(2), &error), qPrintable(error));
    const PdfText pdf(readAll(file));
    QVERIFY2(pdf.pages() >= 2, qPrintable(QString::number(pdf.pages())));
    const QString text = normalized(pdf.text());
    for (const char *words : {"predictive", "hpa", "Request rate", "Headroom report", "Summary",
             "Events", "controllers", "violations"})
        QVERIFY2(text.contains(QString::fromUtf8(words)), words);
}

void TestExports::formatListsParse()
{
    QString problem;
    const auto all
        = ui::parseExportFormats(QStringLiteral("png, svg,pdf,csv,report,report-pdf"), &problem);
    QVERIFY2(all, qPrintable(problem));
    QCOMPARE(all->size(), 6u);
    QCOMPARE(ui::parseExportFormats(QStringLiteral("png,png"), &problem)->size(), 1u);

    QVERIFY(!ui::parseExportFormats(QStringLiteral("png,bogus"), &problem));
    QVERIFY2(problem.contains(QStringLiteral("'bogus'")), qPrintable(problem));
    QVERIFY(!problem.contains(QStringLiteral("'png'")));
    QVERIFY(!ui::parseExportFormats(QString(), &problem));

    QCOMPARE(ui::exportFormatForPath(QStringLiteral("a/b.PDF")), ui::ExportFormat::Pdf);
    QCOMPARE(ui::exportFormatForPath(QStringLiteral("r.html")), ui::ExportFormat::ReportHtml);
    QVERIFY(!ui::exportFormatForPath(QStringLiteral("x.jpg")));
}

void TestExports::dialogRefusesSizesQPainterCannotDraw()
{
    ui::ExportDialog dialog(QSize(1600, 1000), 2.0, ui::TimeRange {10.0, 20.0}, 70.0);
    QPushButton *ok = dialog.findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
    QVERIFY(ok->isEnabled());
    QVERIFY(dialog.problem().isEmpty());

    ui::ExportRequest request;
    request.format = ui::ExportFormat::Png;
    request.size = QSize(20000, 1000);
    request.devicePixelRatio = 2.0; // 40000 px wide
    dialog.setRequest(request);
    QVERIFY2(dialog.problem().contains(QStringLiteral("40000")), qPrintable(dialog.problem()));
    QVERIFY(!ok->isEnabled());
    dialog.grab().save(path(QStringLiteral("export-dialog-refused.png")));

    request.devicePixelRatio = 1.0; // 20000 px: drawable
    dialog.setRequest(request);
    QVERIFY(ok->isEnabled());

    request.format = ui::ExportFormat::Pdf;
    request.size = QSize(33000, 1000);
    dialog.setRequest(request);
    QVERIFY(!ok->isEnabled());

    request.format = ui::ExportFormat::Csv; // no picture, no size to refuse
    dialog.setRequest(request);
    QVERIFY(ok->isEnabled());
}

void TestExports::dialogOffersEveryFormat()
{
    ui::ExportDialog dialog(QSize(1600, 1000), 2.0, ui::TimeRange {10.0, 20.0}, 70.0);
    for (const ui::ExportFormat format : ui::kExportFormats) {
        ui::ExportRequest request;
        request.format = format;
        request.visibleRangeOnly = true;
        request.devicePixelRatio = 3.0;
        dialog.setRequest(request);
        QCOMPARE(dialog.request().format, format);
        QCOMPARE(dialog.request().size, QSize(1600, 1000));
        QCOMPARE(dialog.request().devicePixelRatio, 3.0);
        QVERIFY(dialog.request().visibleRangeOnly);
    }
    // Without a visible range, only the whole run.
    ui::ExportDialog whole(QSize(1600, 1000), 2.0, std::nullopt, 70.0);
    ui::ExportRequest request;
    request.format = ui::ExportFormat::Csv;
    request.visibleRangeOnly = true;
    whole.setRequest(request);
    QVERIFY(!whole.request().visibleRangeOnly);
}

namespace {

ui::DashboardOptions finishedRunOptions()
{
    ui::DashboardOptions options;
    options.source.scenario = QStringLiteral("seed-spike");
    options.source.controllers = {QStringLiteral("hpa"), QStringLiteral("kpa")};
    options.speed = 0.0;
    options.autoStart = true;
    return options;
}

} // namespace

// A zoom to 10-20 s: the CSV has those seconds of both lanes, the other formats everything.
void TestExports::windowExportsTheVisibleRange()
{
    ui::MainWindow window(finishedRunOptions());
    window.show();
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);
    window.timeAxis()->zoomTo(10.0, 20.0);
    QCOMPARE(window.visibleRange().fromS, 10.0);
    QCOMPARE(window.visibleRange().toS, 20.0);

    ui::ExportRequest request;
    request.format = ui::ExportFormat::Csv;
    request.visibleRangeOnly = true;
    QString error;
    const QString visible = path(QStringLiteral("window-visible.csv"));
    QVERIFY2(window.exportTo(visible, request, &error), qPrintable(error));
    const QByteArray csv = readAll(visible);
    QCOMPARE(dataRows(csv).size(), 22);
    QVERIFY(csv.contains("# range: 10-20 s (visible range)\n"));
    QVERIFY(csv.contains("# state: finished\n"));

    request.visibleRangeOnly = false;
    const QString whole = path(QStringLiteral("window-whole.csv"));
    QVERIFY2(window.exportTo(whole, request, &error), qPrintable(error));
    QCOMPARE(dataRows(readAll(whole)).size(), 140);

    // By extension, as before: .pdf and .html too.
    QVERIFY2(window.exportTo(path(QStringLiteral("window.pdf")), &error), qPrintable(error));
    QVERIFY(readAll(path(QStringLiteral("window.pdf"))).startsWith("%PDF"));
    QVERIFY2(window.exportTo(path(QStringLiteral("window.html")), &error), qPrintable(error));
    QVERIFY(readAll(path(QStringLiteral("window.html"))).contains("data:image/png;base64,"));
    QVERIFY(!window.exportTo(path(QStringLiteral("window.jpg")), &error));
    QVERIFY2(error.contains(QStringLiteral(".pdf")), qPrintable(error));
}

void TestExports::ctrlEOpensTheExportDialog()
{
    ui::MainWindow window(finishedRunOptions());
    window.show();
    window.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&window));
    QTRY_VERIFY_WITH_TIMEOUT(window.isFinished(), kTimeoutMs);

    // The dialog is modal: look for it from inside its own event loop.
    bool shown = false;
    ui::ExportRequest offered;
    QTimer poll;
    connect(&poll, &QTimer::timeout, this, [&] {
        auto *dialog = qobject_cast<ui::ExportDialog *>(QApplication::activeModalWidget());
        if (!dialog)
            return;
        shown = true;
        offered = dialog->request();
        poll.stop();
        // Keep a picture of the dialog to look at (HEADROOM_KEEP_TEST_OUTPUT).
        dialog->grab().save(path(QStringLiteral("export-dialog.png")));
        dialog->reject();
    });
    poll.start(20);
    QTest::keyClick(&window, Qt::Key_E, Qt::ControlModifier);
    QTRY_VERIFY(shown);
    QCOMPARE(offered.format, ui::ExportFormat::Png);
    QCOMPARE(offered.size, ui::defaultExportSize(2));
}

void TestExports::batchExportWritesEveryFile()
{
    const QString dir = path(QStringLiteral("batch/out")); // made by the export
    const Outcome outcome
        = runDashboard({QStringLiteral("--scenario"), QStringLiteral("seed-spike"),
            QStringLiteral("--controllers"), QStringLiteral("hpa,kpa"), QStringLiteral("--export"),
            dir, QStringLiteral("--format"), QStringLiteral("png,svg,pdf,csv,report,report-pdf")});
    QVERIFY2(outcome.finished, qPrintable(outcome.err));
    QVERIFY2(outcome.exitCode == 0, qPrintable(outcome.err));
    for (const char *name : {"comparison.png", "comparison.svg", "comparison.pdf", "timeseries.csv",
             "report.html", "report.pdf"}) {
        const QString file = QDir(dir).filePath(QString::fromLatin1(name));
        QVERIFY2(QFileInfo(file).size() > 1000, name);
        QVERIFY2(outcome.out.contains(file), qPrintable(outcome.out));
    }
    QCOMPARE(QImage(QDir(dir).filePath(QStringLiteral("comparison.png"))).size(),
        ui::defaultExportSize(2) * 2);
    const QByteArray csv = readAll(QDir(dir).filePath(QStringLiteral("timeseries.csv")));
    QVERIFY(csv.contains("# controllers: hpa,kpa\n"));
    QVERIFY(csv.contains("# state: finished\n"));
    QCOMPARE(dataRows(csv).size(), 140); // the whole run: 70 s, 2 lanes
    QVERIFY(readAll(QDir(dir).filePath(QStringLiteral("comparison.pdf"))).startsWith("%PDF"));
    // The SVG names fonts a browser knows, with a generic fallback ("Sans Serif" is Qt's own
    // alias: browsers drew the chart in a serif face).
    const QByteArray svg = readAll(QDir(dir).filePath(QStringLiteral("comparison.svg")));
    QVERIFY(!svg.contains("font-family=\"Sans Serif\""));
    QVERIFY(svg.contains(", sans-serif\""));
    // Only what was asked for.
    QCOMPARE(QDir(dir).entryList(QDir::Files).size(), 6);
}

void TestExports::batchExportRejectsBadFormat()
{
    const QString dir = path(QStringLiteral("bad-format"));
    const Outcome outcome = runDashboard({QStringLiteral("--controllers"), QStringLiteral("hpa"),
        QStringLiteral("--export"), dir, QStringLiteral("--format"), QStringLiteral("png,bogus")});
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(outcome.err.contains(QStringLiteral("--format")), qPrintable(outcome.err));
    QVERIFY2(outcome.err.contains(QStringLiteral("bogus")), qPrintable(outcome.err));
    QVERIFY(!QFileInfo::exists(QDir(dir).filePath(QStringLiteral("comparison.png"))));

    // --format means nothing without --export.
    const Outcome alone
        = runDashboard({QStringLiteral("--format"), QStringLiteral("png")}, /*display=*/true);
    QCOMPARE(alone.exitCode, 2);
    QVERIFY2(alone.err.contains(QStringLiteral("--export")), qPrintable(alone.err));
}

void TestExports::batchExportRejectsUnwritableFolder()
{
    // A folder inside a regular file can be neither made nor written, even by root.
    QFile blocker(path(QStringLiteral("blocker")));
    QVERIFY(blocker.open(QIODevice::WriteOnly));
    blocker.close();
    const QString dir = path(QStringLiteral("blocker/out"));
    const Outcome outcome = runDashboard({QStringLiteral("--controllers"), QStringLiteral("hpa"),
        QStringLiteral("--export"), dir, QStringLiteral("--format"), QStringLiteral("csv")});
    QVERIFY(outcome.finished);
    QCOMPARE(outcome.exitCode, 2);
    QVERIFY2(outcome.err.contains(dir), qPrintable(outcome.err));

    // A window's options are refused with --export.
    const Outcome screenshot = runDashboard({QStringLiteral("--export"), path(QStringLiteral("s")),
        QStringLiteral("--screenshot"), path(QStringLiteral("s.png"))});
    QCOMPARE(screenshot.exitCode, 2);
    QVERIFY2(screenshot.err.contains(QStringLiteral("--screenshot")), qPrintable(screenshot.err));
}

QTEST_MAIN(TestExports)
#include "tst_exports.moc"
