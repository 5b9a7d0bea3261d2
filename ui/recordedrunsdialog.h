#pragma once

#include <QDialog>
#include <QString>

class QLabel;
class QTreeWidget;

namespace headroom::ui {

// Lists the recorded runs under a folder, newest first (time, title, lanes, seconds, state),
// and returns the one chosen; "Other folder..." opens any recorded run's folder.
class RecordedRunsDialog : public QDialog
{
    Q_OBJECT

public:
    explicit RecordedRunsDialog(const QString &runsFolder, QWidget *parent = nullptr);

    // The chosen run's folder; empty until one is chosen.
    QString chosenFolder() const { return m_chosen; }
    int runCount() const;

private:
    void fill();
    void onBrowse();

    QString m_runsFolder;
    QString m_chosen;
    QTreeWidget *m_list = nullptr;
    QLabel *m_note = nullptr;
};

} // namespace headroom::ui
