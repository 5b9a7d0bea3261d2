#pragma once

#include <QDialog>
#include <QString>
#include <QStringList>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace headroom::ui {

// Lists the recorded runs under a folder, newest first (time, title, lanes, seconds, state,
// size), and returns the one chosen; "Other folder..." opens any recorded run's folder, and
// "Delete..." deletes the selected ones, once confirmed.
class RecordedRunsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RecordedRunsDialog(const QString &runsFolder, QWidget *parent = nullptr);

    // The chosen run's folder; empty until one is chosen.
    QString chosenFolder() const { return m_chosen; }
    int runCount() const;
    // Deletes the selected runs (the Delete... button, once confirmed) and lists again;
    // what could not be deleted is said under the list.
    void deleteSelected();
    QString noteText() const;

private:
    void fill();
    void onBrowse();

    QString m_runsFolder;
    QString m_chosen;
    QTreeWidget *m_list = nullptr;
    QLabel *m_note = nullptr;
    QPushButton *m_delete = nullptr;
    QStringList m_problems; // of the last deletion
};

} // namespace headroom::ui
