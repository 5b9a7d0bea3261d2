#include "eventspanel.h"

#include "eventmodel.h"

#include <QHeaderView>
#include <QScrollBar>
#include <QTableView>
#include <QVBoxLayout>

namespace headroom::ui {

EventsPanel::EventsPanel(EventModel *model, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    setupView(model);
    layout->addWidget(m_view);
    // Following by the scroll bar's range, not by rowsInserted: the view lays new rows out
    // later, and scrolling before that lands short of the bottom.
    const QScrollBar *bar = m_view->verticalScrollBar();
    connect(bar, &QScrollBar::rangeChanged, this, &EventsPanel::onRangeChanged);
    connect(bar, &QScrollBar::valueChanged, this, &EventsPanel::onScrolled);
    connect(model, &QAbstractItemModel::modelReset, this, [this] { m_follow = true; });
}

void EventsPanel::setupView(EventModel *model)
{
    m_view = new QTableView(this);
    m_view->setObjectName(QStringLiteral("eventsView"));
    m_view->setModel(model);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 4);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setWordWrap(false);
    m_view->setAlternatingRowColors(true);
    m_view->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_view->setTextElideMode(Qt::ElideRight);

    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(true);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const int digit = m_view->fontMetrics().horizontalAdvance(QLatin1Char('0'));
    header->resizeSection(EventModel::Time, 9 * digit);
    header->resizeSection(EventModel::Lane, 12 * digit);
    header->resizeSection(EventModel::Kind, 16 * digit);
}

void EventsPanel::onRangeChanged(int, int max)
{
    if (m_follow)
        m_view->verticalScrollBar()->setValue(max);
}

void EventsPanel::onScrolled(int value)
{
    m_follow = value >= m_view->verticalScrollBar()->maximum();
}

} // namespace headroom::ui
