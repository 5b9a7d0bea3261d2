#include "comparisonview.h"

#include "lanecolumn.h"
#include "summarymodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

namespace headroom::ui {

ComparisonView::ComparisonView(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(6, 6, 6, 6);
    layout->setSpacing(6);
    setupTitle();
    m_columnsLayout = new QHBoxLayout;
    m_columnsLayout->setSpacing(12);
    layout->addLayout(m_columnsLayout, 1);
    setupKey();
    setupTable();
}

void ComparisonView::setupTitle()
{
    m_title = new QLabel(this);
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    m_title->setFont(font);
    m_title->setAlignment(Qt::AlignHCenter);
    m_title->setVisible(false);
    layout()->addWidget(m_title);
}

void ComparisonView::setupKey()
{
    auto *key = new QLabel(QStringLiteral("Purple verticals: scaling decisions.   Shaded: operator "
                                          "spikes.   Grey dashed: the latency SLO, and the pods "
                                          "the current arrivals need (load)."),
        this);
    QFont font = key->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    key->setFont(font);
    key->setForegroundRole(QPalette::PlaceholderText);
    key->setContentsMargins(8, 0, 8, 0);
    layout()->addWidget(key);
}

void ComparisonView::setupTable()
{
    m_model = new SummaryModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSelectionMode(QAbstractItemView::NoSelection);
    m_table->setFocusPolicy(Qt::NoFocus);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setAlternatingRowColors(true);
    layout()->addWidget(m_table);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ComparisonView::fitTableHeight);
    fitTableHeight();
}

void ComparisonView::fitTableHeight()
{
    // Every lane's row shows; the table never scrolls.
    const int rows = std::max(m_model->rowCount(), 1);
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    const int height = m_table->horizontalHeader()->sizeHint().height() + rows * rowHeight
        + 2 * m_table->frameWidth();
    m_table->setFixedHeight(height);
}

void ComparisonView::setTitle(const QString &title)
{
    m_title->setText(title);
    m_title->setVisible(!title.isEmpty());
}

void ComparisonView::setTheme(TimeChart::Theme theme)
{
    m_theme = theme;
    for (LaneColumn *column : m_columns)
        column->setTheme(theme);
}

void ComparisonView::rebuildColumns(const ComparisonData &data)
{
    std::vector<std::string> names;
    for (const ComparisonData::Lane &lane : data.lanes)
        names.push_back(lane.controller);
    if (names == m_laneNames)
        return;
    for (LaneColumn *column : m_columns)
        delete column;
    m_columns.clear();
    for (const std::string &name : names) {
        auto *column = new LaneColumn(QString::fromStdString(name), this);
        column->setTheme(m_theme);
        m_columnsLayout->addWidget(column, 1);
        m_columns.push_back(column);
    }
    m_laneNames = names;
    // New columns need their geometry before the first draw decimates to their width.
    layout()->activate();
}

void ComparisonView::showData(const ComparisonData &data, double x0, double x1)
{
    rebuildColumns(data);
    const ChartScales scales = lockedScales(data, x0, x1);
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        m_columns[i]->showLane(data, data.lanes[i], x0, x1, scales);
    alignPlotAreas(allCharts());

    std::vector<metrics::LaneSummary> summaries;
    for (const ComparisonData::Lane &lane : data.lanes)
        summaries.push_back(lane.summary);
    m_model->setSummaries(summaries);
}

QList<TimeChart *> ComparisonView::allCharts() const
{
    QList<TimeChart *> charts;
    for (LaneColumn *column : m_columns)
        charts.append(column->charts());
    return charts;
}

QPalette ComparisonView::lightPalette()
{
    QPalette palette;
    palette.setColor(QPalette::Window, Qt::white);
    palette.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    palette.setColor(QPalette::Base, Qt::white);
    palette.setColor(QPalette::AlternateBase, QColor(0xf3, 0xf5, 0xf7));
    palette.setColor(QPalette::Text, QColor(0x20, 0x20, 0x20));
    palette.setColor(QPalette::Button, QColor(0xee, 0xee, 0xee));
    palette.setColor(QPalette::ButtonText, QColor(0x20, 0x20, 0x20));
    palette.setColor(QPalette::Mid, QColor(0xc8, 0xc8, 0xc8));
    palette.setColor(QPalette::Dark, QColor(0xa0, 0xa0, 0xa0));
    palette.setColor(QPalette::PlaceholderText, QColor(0x60, 0x60, 0x60));
    return palette;
}

} // namespace headroom::ui
