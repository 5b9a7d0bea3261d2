#include "eventmodel.h"

#include "eventstyle.h"

#include <QColor>
#include <algorithm>
#include <cmath>

namespace headroom::ui {

namespace {

const QString kAllLanes = QStringLiteral("all lanes");

bool sameEvent(const EventModel::Entry &a, const EventModel::Entry &b)
{
    return a.event.tS == b.event.tS && a.event.kind == b.event.kind && a.event.text == b.event.text;
}

} // namespace

std::vector<metrics::LaneEvent> noteEvents(const ComparisonData &data)
{
    std::vector<metrics::LaneEvent> events;
    for (const std::string &note : data.sourceNotes)
        events.push_back({0.0, "source", note, {}, false});
    for (const ComparisonData::Note &note : data.notes)
        events.push_back({note.tS, "note", note.text, {}, false});
    return events;
}

EventModel::EventModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void EventModel::clear()
{
    m_clock = false;
    if (m_rows.empty())
        return;
    beginResetModel();
    m_rows.clear();
    endResetModel();
}

void EventModel::append(std::vector<Entry> entries, int laneCount)
{
    if (entries.empty())
        return;
    std::stable_sort(entries.begin(), entries.end(),
        [](const Entry &a, const Entry &b) { return a.event.tS < b.event.tS; });
    entries = mergeShared(std::move(entries), laneCount);

    const int first = rowCount();
    beginInsertRows({}, first, first + static_cast<int>(entries.size()) - 1);
    m_rows.insert(m_rows.end(), entries.begin(), entries.end());
    endInsertRows();
    // Past an hour every row turns to h:mm:ss, not only the new ones: "2631 s" above
    // "1:06:10" in one column reads as two clocks.
    if (!m_clock && entries.back().event.tS >= 3600.0) {
        m_clock = true;
        Q_EMIT dataChanged(index(0, Time), index(rowCount() - 1, Time), {Qt::DisplayRole});
    }
    dropOldest();
}

// A spike reaches every lane at the same second: one row says it once.
std::vector<EventModel::Entry> EventModel::mergeShared(std::vector<Entry> entries, int laneCount)
{
    std::vector<Entry> merged;
    for (Entry &e : entries) {
        if ((e.event.kind != "spike" && e.event.kind != "note") || laneCount < 2) {
            merged.push_back(std::move(e));
            continue;
        }
        const auto same = std::find_if(
            merged.begin(), merged.end(), [&](const Entry &m) { return sameEvent(m, e); });
        if (same == merged.end())
            merged.push_back(std::move(e));
        else
            same->lane = kAllLanes;
    }
    return merged;
}

void EventModel::setMaxRows(int rows)
{
    m_maxRows = std::max(rows, 1);
    dropOldest();
}

void EventModel::dropOldest()
{
    const int excess = rowCount() - m_maxRows;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_rows.erase(m_rows.begin(), m_rows.begin() + excess);
    endRemoveRows();
}

int EventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int EventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Entry &e = entry(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(e, index.column());
    case Qt::ToolTipRole:
        return index.column() == Text ? displayText(e, Text) : QVariant();
    case Qt::DecorationRole:
        return index.column() == Kind ? eventColor(eventMark(e.event)) : QVariant();
    case Qt::UserRole:
        return e.event.tS;
    case Qt::TextAlignmentRole:
        if (index.column() == Time)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant EventModel::displayText(const Entry &entry, int column) const
{
    switch (column) {
    case Time:
        return m_clock ? clockTimeText(entry.event.tS) : eventTimeText(entry.event.tS);
    case Lane:
        return entry.lane;
    case Kind:
        if (!entry.event.region.empty())
            return QString(QString::fromStdString(entry.event.region)
                + (entry.event.regionOpens ? QStringLiteral(" begins") : QStringLiteral(" ends")));
        return QString::fromStdString(entry.event.kind);
    case Text:
        return QString::fromStdString(entry.event.text);
    default:
        return {};
    }
}

QVariant EventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Time:
        return QStringLiteral("Time");
    case Lane:
        return QStringLiteral("Lane");
    case Kind:
        return QStringLiteral("Kind");
    case Text:
        return QStringLiteral("Event");
    default:
        return {};
    }
}

} // namespace headroom::ui
