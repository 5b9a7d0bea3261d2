#include "summarymodel.h"

#include <QColor>
#include <QLocale>

namespace headroom::ui {

namespace {

// Said by the forecast columns of a lane that does not forecast, or has no forecast scored.
const QString kNone = QStringLiteral("\u2014");

QString milliseconds(double ms)
{
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
    if (column != SummaryModel::FallbackSeconds && !scored(row))
        return QStringLiteral("no forecast has reached its target time yet");
    return QLocale().toString(row.forecast.forecasts) + QStringLiteral(" forecasts scored");
}

} // namespace

SummaryModel::SummaryModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void SummaryModel::setSummaries(const std::vector<metrics::LaneSummary> &summaries)
{
    if (!sameLanes(summaries)) {
        beginResetModel();
        m_rows = summaries;
        endResetModel();
        return;
    }
    m_rows = summaries;
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
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
        return displayText(row, index.column());
    case Qt::UserRole:
        return sortValue(row, index.column());
    case Qt::TextAlignmentRole:
        if (index.column() == Controller || index.column() == Status)
            return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    case Qt::ForegroundRole:
        if (!row.available && index.column() == Status)
            return m_dark ? QColor(0xff, 0x7b, 0x6b) : QColor(0xc0, 0x39, 0x2b);
        return {};
    case Qt::ToolTipRole:
        if (isForecastColumn(index.column()) && row.available)
            return forecastToolTip(row, index.column());
        return index.column() == Status ? status(row) : QVariant();
    default:
        return {};
    }
}

QVariant SummaryModel::displayText(const metrics::LaneSummary &row, int column) const
{
    if (column == Controller)
        return QString::fromStdString(row.controller);
    if (column == Status)
        return status(row);
    if (!row.available)
        return QStringLiteral("-");
    if (isForecastColumn(column))
        return forecastText(row, column);
    switch (column) {
    case Requests:
        return QLocale().toString(row.requests);
    case SloViolations:
        return violations(row);
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
        return QString(QLocale().toString(mae, 'f', mae < 10.0 ? 2 : 1)
            + QStringLiteral(" req/s (") + percent(row.forecast.relativeMae) + QLatin1Char(')'));
    }
    case ForecastCoverage:
        return scored(row) ? percent(row.forecast.coverageP90) : kNone;
    case FallbackSeconds:
        return QString(QLocale().toString(row.fallbackSeconds, 'f', 0) + QStringLiteral(" s"));
    default:
        return {};
    }
}

QVariant SummaryModel::sortValue(const metrics::LaneSummary &row, int column) const
{
    switch (column) {
    case Controller:
        return QString::fromStdString(row.controller);
    case Requests:
        return row.requests;
    case SloViolations:
        return row.sloViolations;
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
    case Status:
        return status(row);
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
    case SloViolations:
        return QStringLiteral("SLO violations");
    case LatencyP95:
        return QStringLiteral("p95 latency");
    case LatencyP99:
        return QStringLiteral("p99 latency");
    case PodSeconds:
        return QStringLiteral("Pod-seconds");
    case PeakPods:
        return QStringLiteral("Peak pods");
    case ForecastMae:
        return QStringLiteral("Forecast MAE");
    case ForecastCoverage:
        return QStringLiteral("p90 coverage");
    case FallbackSeconds:
        return QStringLiteral("Fallback");
    case Status:
        return QStringLiteral("Status");
    default:
        return {};
    }
}

QVariant SummaryModel::headerToolTip(int section)
{
    switch (section) {
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

} // namespace headroom::ui
