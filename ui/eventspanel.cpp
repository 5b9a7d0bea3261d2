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
    connect(model, &QAbstractItemModel::modelReset, this, [this] {
        m_follow = true;
        m_view->horizontalHeader()->resizeSection(EventModel::Time, m_timeWidth);
    });
    // Times grow with the run ("12d 19:44:08" past a day): the column widens to the latest.
    connect(model, &QAbstractItemModel::rowsInserted, this, &EventsPanel::fitTimeColumn);
    connect(model, &QAbstractItemModel::dataChanged, this, &EventsPanel::fitTimeColumn);
}

void EventsPanel::fitTimeColumn()
{
    const QAbstractItemModel *model = m_view->model();
    if (model->rowCount() == 0)
        return;
    const QString latest = model->index(model->rowCount() - 1, EventModel::Time).data().toString();
    const QFontMetrics metrics = m_view->fontMetrics();
    const int needed = metrics.horizontalAdvance(latest) + 2 * metrics.horizontalAdvance(QLatin1Char('0'));
    QHeaderView *header = m_view->horizontalHeader();
    if (header->sectionSize(EventModel::Time) < needed)
        header->resizeSection(EventModel::Time, needed);
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
    m_timeWidth = 9 * digit;
    header->resizeSection(EventModel::Time, m_timeWidth);
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
