#include "recordedrunsdialog.h"

#include "runrecord.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace headroom::ui {

RecordedRunsDialog::RecordedRunsDialog(const QString &runsFolder, QWidget *parent)
    : QDialog(parent)
    , m_runsFolder(runsFolder)
{
    setWindowTitle(QStringLiteral("Open recorded run"));
    auto *layout = new QVBoxLayout(this);
    m_list = new QTreeWidget(this);
    m_list->setObjectName(QStringLiteral("recordedRuns"));
    m_list->setRootIsDecorated(false);
    m_list->setAlternatingRowColors(true);
    m_list->setHeaderLabels({QStringLiteral("Recorded"), QStringLiteral("Run"),
        QStringLiteral("Lanes"), QStringLiteral("Seconds"), QStringLiteral("State")});
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    layout->addWidget(m_list);
    m_note = new QLabel(this);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    m_note->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_note);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Open | QDialogButtonBox::Cancel, this);
    QPushButton *browse
        = buttons->addButton(QStringLiteral("Other folder..."), QDialogButtonBox::ActionRole);
    layout->addWidget(buttons);
    QPushButton *open = buttons->button(QDialogButtonBox::Open);
    open->setEnabled(false);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this,
        [this, open] { open->setEnabled(!m_list->selectedItems().isEmpty()); });
    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        m_chosen = item->data(0, Qt::UserRole).toString();
        accept();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_list->selectedItems().isEmpty())
            return;
        m_chosen = m_list->selectedItems().first()->data(0, Qt::UserRole).toString();
        accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(browse, &QPushButton::clicked, this, &RecordedRunsDialog::onBrowse);
    fill();
    resize(820, 420);
}

int RecordedRunsDialog::runCount() const
{
    return m_list->topLevelItemCount();
}

void RecordedRunsDialog::fill()
{
    QStringList skipped;
    const std::vector<RecordedRunInfo> runs = listRecordedRuns(m_runsFolder, &skipped);
    for (const RecordedRunInfo &run : runs) {
        auto *item = new QTreeWidgetItem(m_list,
            {run.recorded.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), run.title,
                run.controllers.join(QStringLiteral(", ")), QString::number(run.lastS, 'f', 0),
                run.state});
        item->setData(0, Qt::UserRole, run.folder);
        item->setToolTip(1, run.folder);
        item->setTextAlignment(3, Qt::AlignRight | Qt::AlignVCenter);
    }
    if (!runs.empty())
        m_list->setCurrentItem(m_list->topLevelItem(0));
    QString note = runs.empty()
        ? QString(QStringLiteral("No recorded runs in ") + m_runsFolder)
        : QString(QString::number(runs.size()) + QStringLiteral(" runs in ") + m_runsFolder);
    if (!skipped.isEmpty())
        note += QStringLiteral("\nNot readable, skipped: ") + skipped.join(QStringLiteral("; "));
    m_note->setText(note);
}

void RecordedRunsDialog::onBrowse()
{
    const QString folder = QFileDialog::getExistingDirectory(
        this, QStringLiteral("Recorded run folder"), m_runsFolder);
    if (folder.isEmpty())
        return;
    m_chosen = folder;
    accept();
}

} // namespace headroom::ui
