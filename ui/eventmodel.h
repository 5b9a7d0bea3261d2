#pragma once

#include "comparisonexport.h"
#include "timetext.h"
#include "metrics/lanesample.h"

#include <QAbstractTableModel>
#include <QString>
#include <deque>
#include <vector>

namespace headroom::ui {

// The lanes' events in time order, newest last: what the events list shows.
class EventModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column { Time, Lane, Kind, Text, ColumnCount };

    struct Entry
    {
        QString lane;
        metrics::LaneEvent event;
    };

    explicit EventModel(QObject *parent = nullptr);

    void clear();
    // Appends after sorting by time; an event every lane reports at once (a spike) becomes
    // one row for "all lanes". Beyond maxRows() the oldest rows go.
    void append(std::vector<Entry> entries, int laneCount);
    void setMaxRows(int rows);
    int maxRows() const { return m_maxRows; }
    const Entry &entry(int row) const { return m_rows[static_cast<std::size_t>(row)]; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(
        int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    static std::vector<Entry> mergeShared(std::vector<Entry> entries, int laneCount);
    QVariant displayText(const Entry &entry, int column) const;
    void dropOldest();

    std::deque<Entry> m_rows;
    int m_maxRows = 20000;
    bool m_clock = false; // an event past an hour: every time as h:mm:ss
};

// The run's notes as events of every lane, for the events list and the report: the source's
// (kind "source", at 0 s), then the operator's (kind "note").
std::vector<metrics::LaneEvent> noteEvents(const ComparisonData &data);

} // namespace headroom::ui
