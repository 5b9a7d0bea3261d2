#include "recordedrunsdialog.h"

#include "runrecord.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace headroom::ui {

namespace {

// "160 MB", "2.3 GB": the sizes a recording takes, as the list shows them.
QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeSIFormat);
}

} // namespace

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
    m_list->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_list->setHeaderLabels({QStringLiteral("Recorded"), QStringLiteral("Run"),
        QStringLiteral("Lanes"), QStringLiteral("Seconds"), QStringLiteral("State"),
        QStringLiteral("Size")});
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
    // Every run the window shows is recorded in full (a month of NASA July is 160 MB a lane):
    // the list says what they take, and old ones can go.
    m_delete = buttons->addButton(QStringLiteral("Delete..."), QDialogButtonBox::ActionRole);
    m_delete->setObjectName(QStringLiteral("deleteRecordedRuns"));
    layout->addWidget(buttons);
    QPushButton *open = buttons->button(QDialogButtonBox::Open);
    open->setEnabled(false);
    m_delete->setEnabled(false);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, [this, open] {
        open->setEnabled(m_list->selectedItems().size() == 1);
        m_delete->setEnabled(!m_list->selectedItems().isEmpty());
    });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const int n = static_cast<int>(m_list->selectedItems().size());
        const QString what = n == 1 ? QStringLiteral("this recorded run") : QString::number(n) + QStringLiteral(" recorded runs");
        if (QMessageBox::question(this, QStringLiteral("Delete recorded runs"),
                QStringLiteral("Delete ") + what + QStringLiteral(" from disk? This cannot be undone."))
            == QMessageBox::Yes)
            deleteSelected();
    });
    connect(m_list, &QTreeWidget::itemActivated, this, [this](QTreeWidgetItem *item) {
        m_chosen = item->data(0, Qt::UserRole).toString();
        accept();
    });
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (m_list->selectedItems().isEmpty())
            return;
        if (m_list->selectedItems().size() != 1)
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
    m_list->clear();
    QStringList skipped;
    const std::vector<RecordedRunInfo> runs = listRecordedRuns(m_runsFolder, &skipped);
    qint64 bytes = 0;
    for (const RecordedRunInfo &run : runs) {
        auto *item = new QTreeWidgetItem(m_list,
            {run.recorded.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")), run.title,
                run.controllers.join(QStringLiteral(", ")), QString::number(run.lastS, 'f', 0),
                run.state, sizeText(run.bytes)});
        item->setData(0, Qt::UserRole, run.folder);
        item->setToolTip(1, run.folder);
        item->setTextAlignment(3, Qt::AlignRight | Qt::AlignVCenter);
        item->setTextAlignment(5, Qt::AlignRight | Qt::AlignVCenter);
        bytes += run.bytes;
    }
    if (!runs.empty())
        m_list->setCurrentItem(m_list->topLevelItem(0));
    QString note = runs.empty()
        ? QString(QStringLiteral("No recorded runs in ") + m_runsFolder)
        : QString(QString::number(runs.size()) + (runs.size() == 1 ? QStringLiteral(" run, ") : QStringLiteral(" runs, ")) + sizeText(bytes)
              + QStringLiteral(", in ") + m_runsFolder);
    if (!skipped.isEmpty())
        note += QStringLiteral("\nNot readable, skipped: ") + skipped.join(QStringLiteral("; "));
    if (!m_problems.isEmpty())
        note += QStringLiteral("\nNot deleted: ") + m_problems.join(QStringLiteral("; "));
    m_note->setText(note);
}

void RecordedRunsDialog::deleteSelected()
{
    m_problems.clear();
    for (const QTreeWidgetItem *item : m_list->selectedItems()) {
        QString error;
        if (!deleteRecordedRun(item->data(0, Qt::UserRole).toString(), &error))
            m_problems.append(error);
    }
    fill();
}

QString RecordedRunsDialog::noteText() const
{
    return m_note->text();
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
