#include "summarymodel.h"

#include "io/sweepreport.h"

#include <QColor>
#include <QLocale>
#include <QStringList>
#include <cmath>
#include <set>

namespace headroom::ui {

namespace {

// Said by a column that does not apply to a lane (a forecast column of a lane that does not
// forecast, the provisioning of the reference lane) or has nothing yet.
const QString kNone = QStringLiteral("\u2014");

QString milliseconds(double ms)
{
    if (!std::isfinite(ms))
        return kNone; // nothing completed yet
    return QLocale().toString(ms, 'f', ms < 10.0 ? 1 : 0) + QStringLiteral(" ms");
}

QString violations(const metrics::LaneSummary &row)
{
    const QString count = QLocale().toString(row.sloViolations);
    if (row.requests <= 0)
        return count;
    const double share = 100.0 * static_cast<double>(row.sloViolations) / row.requests;
    return count + QStringLiteral(" (") + QLocale().toString(share, 'f', 1) + QStringLiteral(" %)");
}

QString percent(double share)
{
    return QLocale().toString(100.0 * share, 'f', 1) + QStringLiteral(" %");
}

QString seconds(double s)
{
    return QLocale().toString(s, 'f', std::abs(s) < 10.0 && s != std::round(s) ? 1 : 0)
        + QStringLiteral(" s");
}

// Marks the under-provisioning measured against a capped reference.
const QString kCappedMarker = QStringLiteral("\u2020");

// "capped at 20 pods for 1,234 s"
QString cappedText(const metrics::LaneComparison &c)
{
    return QStringLiteral("capped at ") + QLocale().toString(c.referenceCapPods)
        + QStringLiteral(" pods for ") + seconds(c.referenceCappedSeconds);
}

bool isComparisonColumn(int column)
{
    return column == SummaryModel::ScaleTime || column == SummaryModel::OverProvisioned
        || column == SummaryModel::UnderProvisioned;
}

QString spikeText(const metrics::SpikeResponse &spike)
{
    QString text = QStringLiteral("spike at ") + seconds(spike.startS) + QStringLiteral(" to ")
        + seconds(spike.endS);
    if (spike.neededPods == 0)
        return text + QStringLiteral(": not started");
    text += QStringLiteral(", needs ") + QLocale().toString(spike.neededPods)
        + QStringLiteral(" ready pods: ");
    if (spike.scaleS)
        return text + seconds(*spike.scaleS);
    const QString peak = QLocale().toString(spike.peakReadyPods);
    if (spike.closed)
        return text + QStringLiteral("not reached (at most ") + peak + QLatin1Char(')');
    return text + QStringLiteral("not yet (") + peak + QStringLiteral(" so far)");
}

QString scaleTimeToolTip(const metrics::LaneComparison &comparison)
{
    if (comparison.spikes.empty())
        return QStringLiteral("no spike so far");
    QStringList lines;
    for (const metrics::SpikeResponse &spike : comparison.spikes)
        lines << spikeText(spike);
    return lines.join(QLatin1Char('\n'));
}

// A cell as one line of text: tabs and line breaks would split it.
QString flattened(QString text)
{
    text.replace(QLatin1Char('\t'), QLatin1Char(' '));
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text;
}

bool isForecastColumn(int column)
{
    return column == SummaryModel::ForecastMae || column == SummaryModel::ForecastCoverage
        || column == SummaryModel::FallbackSeconds;
}

// Scores need a forecast whose target has passed.
bool scored(const metrics::LaneSummary &row)
{
    return row.forecasts && row.forecast.forecasts > 0;
}

QString forecastToolTip(const metrics::LaneSummary &row, int column)
{
    if (!row.forecasts)
        return QStringLiteral("this lane does not forecast");
    // The fallback column counts seconds of the run, not forecasts: it says so, whatever
    // has been scored (it read "60 forecasts scored" here and in the report's title).
    if (column == SummaryModel::FallbackSeconds)
        return QLocale().toString(row.fallbackSeconds, 'f', 0)
            + QStringLiteral(" s run on its reactive fallback rule instead of its model");
    if (!scored(row))
        return QStringLiteral("no forecast has reached its target time yet");
    const QString scoredText
        = QLocale().toString(row.forecast.forecasts) + QStringLiteral(" forecasts scored");
    if (column == SummaryModel::ForecastMae && !std::isfinite(row.forecast.relativeMae))
        return scoredText
            + QStringLiteral("; no share of the mean rate: no request arrived at their targets");
    return scoredText;
}

} // namespace

SummaryModel::SummaryModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void SummaryModel::setSummaries(const std::vector<metrics::LaneSummary> &summaries,
    const std::vector<metrics::LaneComparison> &comparisons)
{
    if (!sameLanes(summaries)) {
        beginResetModel();
        m_rows = summaries;
        m_comparisons = comparisons;
        endResetModel();
        return;
    }
    const QString reference = referenceName();
    m_rows = summaries;
    m_comparisons = comparisons;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
    if (referenceName() != reference) // the provisioning headers name it
        Q_EMIT headerDataChanged(Qt::Horizontal, OverProvisioned, UnderProvisioned);
}

void SummaryModel::setRunState(RunState state)
{
    if (state == m_state)
        return;
    m_state = state;
    statusChanged();
}

void SummaryModel::setDarkBackground(bool dark)
{
    if (dark == m_dark)
        return;
    m_dark = dark;
    statusChanged();
}

void SummaryModel::statusChanged()
{
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, Status), index(rowCount() - 1, Status));
}

QString SummaryModel::status(const metrics::LaneSummary &row) const
{
    if (row.available && !row.modelError.empty())
        return runStateText(m_state) + QStringLiteral(", no model: reactive rule");
    if (row.available)
        return runStateText(m_state);
    return QStringLiteral("unavailable: ") + QString::fromStdString(row.unavailableReason);
}

// The reference lane's status says it was capped, as a lane without its model says so.
QString SummaryModel::statusText(int rowIndex) const
{
    const metrics::LaneSummary &row = m_rows[static_cast<std::size_t>(rowIndex)];
    const metrics::LaneComparison *c = comparison(rowIndex);
    if (row.available && c && c->isReference && c->referenceCappedSeconds > 0.0)
        return status(row) + QStringLiteral(", ") + kCappedMarker + QLatin1Char(' ')
            + cappedText(*c);
    return status(row);
}

const metrics::LaneComparison *SummaryModel::cappedReference() const
{
    for (int row = 0; row < rowCount(); ++row) {
        const metrics::LaneComparison *c = comparison(row);
        if (c && c->isReference && m_rows[static_cast<std::size_t>(row)].available
            && c->referenceCappedSeconds > 0.0)
            return c;
    }
    return nullptr;
}

QStringList SummaryModel::notes() const
{
    QStringList notes;
    if (const metrics::LaneComparison *c = cappedReference()) {
        notes << kCappedMarker + QStringLiteral(" reference ") + cappedText(*c) + QStringLiteral(": the ")
                + referenceName()
                + QStringLiteral(" lane held the cluster's max_replicas while the load needed more, "
                                 "so under-provisioning against it reads low in those seconds");
    }
    // The clairvoyant lane's plan can fall short (pods' own queues, very uneven service
    // times): run and sweep say so by the same rule.
    if (const auto shortfall = io::clairvoyantShortfall(m_rows)) {
        notes << QStringLiteral("The clairvoyant lane is not the limit here: %1 SLO violations against %2's %3; "
                                "its plan fell short on this cluster, so pod-seconds against it are no cost target")
                     .arg(QLocale().toString(static_cast<qlonglong>(shortfall->clairvoyantViolations)),
                          QString::fromStdString(shortfall->fewestLane),
                          QLocale().toString(static_cast<qlonglong>(shortfall->fewestViolations)));
    }
    return notes;
}

bool SummaryModel::sameLanes(const std::vector<metrics::LaneSummary> &summaries) const
{
    if (summaries.size() != m_rows.size())
        return false;
    for (std::size_t i = 0; i < summaries.size(); ++i) {
        if (summaries[i].controller != m_rows[i].controller)
            return false;
    }
    return true;
}

int SummaryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int SummaryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant SummaryModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const metrics::LaneSummary &row = m_rows[static_cast<std::size_t>(index.row())];
    switch (role) {
    case Qt::DisplayRole:
        return displayText(index.row(), index.column());
    case Qt::UserRole:
        return sortValue(index.row(), index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == Controller || index.column() == Status)
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (!row.available && index.column() == Status)
            return m_dark ? QColor(0xff, 0x7b, 0x6b) : QColor(0xc0, 0x39, 0x2b);
        return {};
    case Qt::ToolTipRole:
        return toolTip(index.row(), index.column());
    default:
        return {};
    }
}

const metrics::LaneComparison *SummaryModel::comparison(int row) const
{
    if (m_comparisons.size() != m_rows.size())
        return nullptr;
    return &m_comparisons[static_cast<std::size_t>(row)];
}

QString SummaryModel::referenceName() const
{
    for (int row = 0; row < rowCount(); ++row) {
        const metrics::LaneComparison *c = comparison(row);
        if (c && c->isReference)
            return QString::fromStdString(m_rows[static_cast<std::size_t>(row)].controller);
    }
    return {};
}

QVariant SummaryModel::toolTip(int rowIndex, int column) const
{
    const metrics::LaneSummary &row = m_rows[static_cast<std::size_t>(rowIndex)];
    if (column == Status)
        return statusText(rowIndex);
    if (!row.available)
        return {};
    if (isForecastColumn(column))
        return forecastToolTip(row, column);
    const metrics::LaneComparison *c = comparison(rowIndex);
    if (column == ViolationSeconds && c) {
        return QString(QStringLiteral("p95 latency over the SLO in ")
            + seconds(c->p95BreachSeconds) + QStringLiteral(" (the latency chart's red spans)"));
    }
    if (column == ScaleTime && c)
        return scaleTimeToolTip(*c);
    if ((column == OverProvisioned || column == UnderProvisioned) && c) {
        const QString reference = referenceName();
        if (c->isReference)
            return QStringLiteral("the reference the other lanes are compared with");
        const double podSeconds
            = column == OverProvisioned ? c->overPodSeconds : c->underPodSeconds;
        const QString against = reference.isEmpty()
            ? QStringLiteral("the load line")
            : QStringLiteral("the ") + reference + QStringLiteral(" lane's ready pods");
        QString text = QLocale().toString(podSeconds, 'f', 0)
            + (column == OverProvisioned ? QStringLiteral(" pod-seconds above ")
                                         : QStringLiteral(" pod-seconds below "))
            + against + QStringLiteral(", against its ")
            + QLocale().toString(c->referencePodSeconds, 'f', 0)
            + QStringLiteral(" pod-seconds over the same seconds");
        if (column == UnderProvisioned && c->referenceCappedSeconds > 0.0)
            text += QStringLiteral("\n") + notes().value(0);
        return text;
    }
    return {};
}

QVariant SummaryModel::displayText(int rowIndex, int column) const
{
    const metrics::LaneSummary &row = m_rows[static_cast<std::size_t>(rowIndex)];
    if (column == Controller)
        return QString::fromStdString(row.controller);
    if (column == Status)
        return statusText(rowIndex);
    if (!row.available)
        return QStringLiteral("-");
    if (isForecastColumn(column))
        return forecastText(row, column);
    if (isComparisonColumn(column))
        return comparisonText(rowIndex, column);
    switch (column) {
    case Requests:
        return QLocale().toString(row.requests);
    case SloViolations:
        return violations(row);
    case ViolationSeconds:
        return seconds(row.violationSeconds);
    case LatencyP95:
        return milliseconds(row.latencyP95Ms);
    case LatencyP99:
        return milliseconds(row.latencyP99Ms);
    case PodSeconds:
        return QLocale().toString(row.podSeconds, 'f', 0);
    case PeakPods:
        return row.peakPods;
    default:
        return {};
    }
}

QVariant SummaryModel::forecastText(const metrics::LaneSummary &row, int column) const
{
    if (!row.forecasts)
        return kNone;
    switch (column) {
    case ForecastMae: {
        if (!scored(row))
            return kNone;
        const double mae = row.forecast.maeRatePerS;
        const QString text
            = QLocale().toString(mae, 'f', mae < 10.0 ? 2 : 1) + QStringLiteral(" req/s");
        // No request arrived at the scored targets: no share of a mean rate of 0 (null in
        // summary.json), as a provisioning cell against a reference of 0 pod-seconds has none.
        if (!std::isfinite(row.forecast.relativeMae))
            return text;
        return QString(
            text + QStringLiteral(" (") + percent(row.forecast.relativeMae) + QLatin1Char(')'));
    }
    case ForecastCoverage:
        return scored(row) ? percent(row.forecast.coverageP90) : kNone;
    case FallbackSeconds:
        return QString(QLocale().toString(row.fallbackSeconds, 'f', 0) + QStringLiteral(" s"));
    default:
        return {};
    }
}

QVariant SummaryModel::comparisonText(int row, int column) const
{
    const metrics::LaneComparison *c = comparison(row);
    if (!c)
        return kNone;
    if (column == ScaleTime) {
        const std::optional<double> mean = c->meanScaleS();
        const int missed = c->missedSpikes();
        if (!mean)
            return missed > 0 ? QStringLiteral("never") : kNone;
        if (missed == 0)
            return seconds(*mean);
        return QString(seconds(*mean) + QStringLiteral(", ") + QLocale().toString(missed)
            + QStringLiteral(" missed"));
    }
    if (c->isReference)
        return kNone;
    const double podSeconds = column == OverProvisioned ? c->overPodSeconds : c->underPodSeconds;
    // Under a capped reference the under-provisioning reads low: marked, the note says why.
    const QString marker = column == UnderProvisioned && c->referenceCappedSeconds > 0.0
        ? QLatin1Char(' ') + kCappedMarker
        : QString();
    const QString text = QLocale().toString(podSeconds, 'f', 0);
    if (c->referencePodSeconds <= 0.0)
        return QString(text + marker);
    // Whole percents from 10 % up: the columns stay narrow enough to fit the table.
    const double share = 100.0 * podSeconds / c->referencePodSeconds;
    return QString(text + QStringLiteral(" (") + QLocale().toString(share, 'f', share < 10.0 ? 1 : 0)
        + QStringLiteral(" %)") + marker);
}

QVariant SummaryModel::comparisonValue(int row, int column) const
{
    const metrics::LaneComparison *c = comparison(row);
    if (!c)
        return {};
    switch (column) {
    case ScaleTime: {
        const std::optional<double> mean = c->meanScaleS();
        return mean ? QVariant(*mean) : QVariant();
    }
    case OverProvisioned:
        return c->isReference ? QVariant() : QVariant(c->overPodSeconds);
    case UnderProvisioned:
        return c->isReference ? QVariant() : QVariant(c->underPodSeconds);
    default:
        return {};
    }
}

QVariant SummaryModel::sortValue(int rowIndex, int column) const
{
    const metrics::LaneSummary &row = m_rows[static_cast<std::size_t>(rowIndex)];
    switch (column) {
    case Controller:
        return QString::fromStdString(row.controller);
    case Requests:
        return row.requests;
    case SloViolations:
        return row.sloViolations;
    case ViolationSeconds:
        return row.violationSeconds;
    case LatencyP95:
        return row.latencyP95Ms;
    case LatencyP99:
        return row.latencyP99Ms;
    case PodSeconds:
        return row.podSeconds;
    case PeakPods:
        return row.peakPods;
    case ForecastMae:
        return scored(row) ? QVariant(row.forecast.maeRatePerS) : QVariant();
    case ForecastCoverage:
        return scored(row) ? QVariant(row.forecast.coverageP90) : QVariant();
    case FallbackSeconds:
        return row.forecasts ? QVariant(row.fallbackSeconds) : QVariant();
    case ScaleTime:
    case OverProvisioned:
    case UnderProvisioned:
        return comparisonValue(rowIndex, column);
    case Status:
        return statusText(rowIndex);
    default:
        return {};
    }
}

QVariant SummaryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::ToolTipRole)
        return headerToolTip(section);
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Controller:
        return QStringLiteral("Controller");
    case Requests:
        return QStringLiteral("Requests");
    // Two lines where the words are wider than the numbers under them: the table then fits
    // beside the events list.
    case SloViolations:
        return QStringLiteral("SLO\nviolations");
    case ViolationSeconds:
        return QStringLiteral("Violation\nseconds");
    case LatencyP95:
        return QStringLiteral("p95\nlatency");
    case LatencyP99:
        return QStringLiteral("p99\nlatency");
    case PodSeconds:
        return QStringLiteral("Pod-seconds");
    case PeakPods:
        return QStringLiteral("Peak\npods");
    case ScaleTime:
        return QStringLiteral("Time to\nscale");
    // Named by what they are measured against, which the lanes decide: the clairvoyant
    // lane's ready pods, or without one the load line (where every lane reads as over).
    case OverProvisioned:
    case UnderProvisioned: {
        const QString reference = referenceName();
        return QString((section == OverProvisioned ? QStringLiteral("Over\n") : QStringLiteral("Under\n"))
            + (reference.isEmpty() ? QStringLiteral("the load") : reference));
    }
    case ForecastMae:
        return QStringLiteral("Forecast\nMAE");
    case ForecastCoverage:
        return QStringLiteral("p90\ncoverage");
    case FallbackSeconds:
        return QStringLiteral("Fallback");
    case Status:
        return QStringLiteral("Status");
    default:
        return {};
    }
}

QVariant SummaryModel::headerToolTip(int section) const
{
    const QString reference = referenceName();
    const QString against = reference.isEmpty()
        ? QStringLiteral("the load line (the pods the arrivals keep busy; no clairvoyant lane)")
        : QStringLiteral("the ") + reference + QStringLiteral(" lane's ready pods");
    switch (section) {
    case SloViolations:
        return QStringLiteral("Requests completed late, timed out or rejected, and their share "
                              "of the requests");
    case ViolationSeconds:
        return QStringLiteral("Seconds in which at least one request violated the SLO "
                              "(completed late, timed out or was rejected)");
    case ScaleTime:
        return QStringLiteral("Mean time to scale after a spike: seconds from the spike's start "
                              "until the lane's ready pods first reached the fewest pods that meet "
                              "the SLO for the spike's mean load (at most 5 % of its requests "
                              "waiting past the SLO less the service time). Each spike's time is "
                              "in the cell's tooltip; spikes not reached before they ended count "
                              "as missed");
    case OverProvisioned:
        return QString(QStringLiteral("Pod-seconds of ready pods above ") + against
            + QStringLiteral(", second by second, and as a share of the reference's pod-seconds"));
    case UnderProvisioned:
        return QString(QStringLiteral("Pod-seconds of ready pods below ") + against
            + QStringLiteral(", second by second, and as a share of the reference's pod-seconds"));
    case ForecastMae:
        return QStringLiteral("Mean absolute error of the p50 forecast against the mean rate "
                              "that then arrived, and as a share of that rate");
    case ForecastCoverage:
        return QStringLiteral("Share of forecast steps whose actual rate stayed at or under "
                              "the p90 forecast (about 90 % when calibrated)");
    case FallbackSeconds:
        return QStringLiteral("Seconds the lane ran its reactive fallback rule instead of "
                              "its model");
    default:
        return {};
    }
}

QString oneLineHeader(QString header)
{
    header.replace(QStringLiteral("-\n"), QStringLiteral("-"));
    header.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return header;
}

QString SummaryModel::columnTitle(int column) const
{
    return oneLineHeader(headerData(column, Qt::Horizontal).toString());
}

QString SummaryModel::cellText(int row, int column) const
{
    return flattened(displayText(row, column).toString());
}

QString SummaryModel::toTsv(const QModelIndexList &cells) const
{
    std::set<int> rows;
    std::set<int> columns;
    for (const QModelIndex &cell : cells) {
        if (cell.model() != this || !cell.isValid())
            continue;
        rows.insert(cell.row());
        columns.insert(cell.column());
    }
    if (rows.empty()) {
        for (int row = 0; row < rowCount(); ++row)
            rows.insert(row);
        for (int column = 0; column < ColumnCount; ++column)
            columns.insert(column);
    }
    QStringList line;
    for (int column : columns)
        line << columnTitle(column);
    QString text = line.join(QLatin1Char('\t')) + QLatin1Char('\n');
    for (int row : rows) {
        line.clear();
        for (int column : columns)
            line << cellText(row, column);
        text += line.join(QLatin1Char('\t')) + QLatin1Char('\n');
    }
    return text;
}

QString SummaryModel::toMarkdown() const
{
    const auto markdownRow = [](const QStringList &cells) -> QString {
        QStringList escaped;
        for (const QString &cell : cells)
            escaped << QString(cell).replace(QLatin1Char('|'), QStringLiteral("\\|"));
        return QStringLiteral("| ") + escaped.join(QStringLiteral(" | ")) + QStringLiteral(" |\n");
    };
    QStringList header;
    QStringList rule;
    for (int column = 0; column < ColumnCount; ++column) {
        header << columnTitle(column);
        const bool left = column == Controller || column == Status;
        rule << (left ? QStringLiteral("---") : QStringLiteral("---:"));
    }
    QString text = markdownRow(header) + QStringLiteral("| ") + rule.join(QStringLiteral(" | "))
        + QStringLiteral(" |\n");
    for (int row = 0; row < rowCount(); ++row) {
        QStringList cells;
        for (int column = 0; column < ColumnCount; ++column)
            cells << cellText(row, column);
        text += markdownRow(cells);
    }
    const QStringList footnotes = notes();
    if (!footnotes.isEmpty())
        text += QLatin1Char('\n') + footnotes.join(QStringLiteral("\n\n")) + QLatin1Char('\n');
    return text;
}

} // namespace headroom::ui
