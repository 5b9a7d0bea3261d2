#pragma once

#include <QWidget>

class QTableView;

namespace headroom::ui {

class EventModel;

// The events list under the dashboard: one compact table that follows the newest
// event while the view sits at the bottom, and stays put once scrolled up.
class EventsPanel : public QWidget
{
    Q_OBJECT

public:
    explicit EventsPanel(EventModel *model, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    bool isFollowing() const { return m_follow; }

private:
    void setupView(EventModel *model);
    void onRangeChanged(int min, int max);
    void onScrolled(int value);
    void fitTimeColumn();

    QTableView *m_view = nullptr;
    bool m_follow = true;
    int m_timeWidth = 0; // the time column's width before the run's times outgrow it
};

} // namespace headroom::ui
