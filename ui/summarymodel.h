#pragma once

#include "metrics/lanesample.h"
#include "runstate.h"

#include <QAbstractTableModel>
#include <vector>

namespace headroom::ui {

// One row per lane: the run totals the dashboard and the exported picture show.
class SummaryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column {
        Controller,
        Requests,
        SloViolations,
        LatencyP95,
        LatencyP99,
        PodSeconds,
        PeakPods,
        ForecastMae, // forecasting lanes only, as the next two; "—" for the others
        ForecastCoverage,
        FallbackSeconds,
        Status,
        ColumnCount
    };

    explicit SummaryModel(QObject *parent = nullptr);

    // Same lanes as before: rows change in place; otherwise the model resets.
    void setSummaries(const std::vector<metrics::LaneSummary> &summaries);
    const std::vector<metrics::LaneSummary> &summaries() const { return m_rows; }
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

private:
    bool sameLanes(const std::vector<metrics::LaneSummary> &summaries) const;
    QVariant displayText(const metrics::LaneSummary &row, int column) const;
    QVariant sortValue(const metrics::LaneSummary &row, int column) const;
    QVariant forecastText(const metrics::LaneSummary &row, int column) const;
    static QVariant headerToolTip(int section);
    QString status(const metrics::LaneSummary &row) const;
    void statusChanged();

    std::vector<metrics::LaneSummary> m_rows;
    RunState m_state = RunState::Ready;
    bool m_dark = false;
};

} // namespace headroom::ui
