#pragma once

#include "comparisonexport.h"
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

// "42 s" under an hour, "1:02:03" beyond.
QString eventTimeText(double s);
// "0:00:42", "1:06:32": always hours, minutes and seconds; past a day the days first,
// "12d 19:44:08" (not "307:44:08").
QString clockTimeText(double s);
// The same without the seconds when `withSeconds` is false: "10:40", "12d 19:40". With
// `withDays`, the days even under a day ("0d 23:00"): an axis across a day's end reads alike.
QString clockText(double s, bool withSeconds, bool withDays = false);
// A run's progress for the status bar: "18 s / 60 s" for a run under an hour, both as clocks
// beyond ("12d 19:44:08 / 27d 13:32:00"), so the two read alike at a glance.
QString progressText(double nowS, double durationS);

} // namespace headroom::ui
