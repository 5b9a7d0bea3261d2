#pragma once

#include "metrics/lanecomparison.h"
#include "metrics/lanesample.h"
#include "runstate.h"

#include <QAbstractTableModel>
#include <QModelIndexList>
#include <vector>

namespace headroom::ui {

// A header written on two lines to fit a narrow column, on one: "Time to\nscale" reads
// "Time to scale", "Peak\npods" "Peak pods".
QString oneLineHeader(QString header);

// One row per lane: the run totals the dashboard and the exported picture show.
class SummaryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Controller,
        Requests,
        SloViolations,
        ViolationSeconds,
        LatencyP95,
        LatencyP99,
        PodSeconds,
        PeakPods,
        ScaleTime, // mean time to scale after a spike; each spike's in the tooltip
        OverProvisioned, // against the clairvoyant lane, or the load line without one
        UnderProvisioned,
        ForecastMae, // forecasting lanes only, as the next two; "—" for the others
        ForecastCoverage,
        FallbackSeconds,
        Status,
        ColumnCount
    };

    explicit SummaryModel(QObject *parent = nullptr);

    // Same lanes as before: rows change in place; otherwise the model resets. `comparisons`
    // has one entry per lane, or none: the spike and provisioning columns then say "—".
    void setSummaries(const std::vector<metrics::LaneSummary> &summaries,
        const std::vector<metrics::LaneComparison> &comparisons = {});
    const std::vector<metrics::LaneSummary> &summaries() const { return m_rows; }
    // The lane the provisioning columns compare with; empty for the load line.
    QString referenceName() const;
    // What the Status column says for every available lane.
    void setRunState(RunState state);
    RunState runState() const { return m_state; }
    // Warnings are drawn in a colour that reads on the table's background.
    void setDarkBackground(bool dark);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A column's header on one line ("Violation seconds"), where the table shows two lines.
    QString columnTitle(int column) const;
    // The cells as a spreadsheet pastes them: tab-separated, the column headers (each on one
    // line) first, one line per row. The rows and columns are those the cells touch, in the
    // table's order; no cells: the whole table.
    QString toTsv(const QModelIndexList &cells = {}) const;
    // The whole table as a Markdown (GitHub) table, its notes (notes()) under it.
    QString toMarkdown() const;
    // What the table's markers mean, one line each, the marker first; empty without markers.
    // Today one: "† reference capped at N pods for S s: ..." when the clairvoyant reference
    // was held at the cluster's max_replicas while the load needed more.
    QStringList notes() const;

private:
    bool sameLanes(const std::vector<metrics::LaneSummary> &summaries) const;
    QVariant displayText(int row, int column) const;
    QVariant sortValue(int row, int column) const;
    QVariant forecastText(const metrics::LaneSummary &row, int column) const;
    QVariant comparisonText(int row, int column) const;
    QVariant comparisonValue(int row, int column) const;
    QVariant toolTip(int row, int column) const;
    QVariant headerToolTip(int section) const;
    const metrics::LaneComparison *comparison(int row) const;
    QString cellText(int row, int column) const;
    QString status(const metrics::LaneSummary &row) const;
    QString statusText(int row) const;
    // The capped reference's comparison (seconds and pods), or null when it never was.
    const metrics::LaneComparison *cappedReference() const;
    void statusChanged();

    std::vector<metrics::LaneSummary> m_rows;
    std::vector<metrics::LaneComparison> m_comparisons; // empty, or one per row
    RunState m_state = RunState::Ready;
    bool m_dark = false;
};

} // namespace headroom::ui
