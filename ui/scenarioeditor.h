#pragma once

#include "traffic/scenario.h"

#include <QDialog>
#include <QString>
#include <QStringList>
#include <QWidget>

#include <optional>
#include <string>
#include <vector>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;

namespace headroom::ui {

// The rate profile a scenario asks for, drawn as a line over its duration (the editor's
// preview). Plain QPainter: a few hundred points, redrawn on every edit.
class RateProfileView : public QWidget
{
public:
    explicit RateProfileView(QWidget *parent = nullptr);
    // The profile sampled over [0, durationS]; spike spans shaded.
    void setScenario(const traffic::Scenario &scenario);
    void clear();
    // What is drawn, for tests: (t, rate) points.
    const std::vector<QPointF> &points() const { return m_points; }
    QSize sizeHint() const override { return {520, 180}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    std::vector<QPointF> m_points;
    std::vector<std::pair<double, double>> m_spikes;
    double m_durationS = 0.0;
};

// Edits a scenario file's content as a form and a table of segments, with the rate
// profile previewed as it changes. The JSON file format is the model: the form and the
// table write a document that the scenario reader checks, so the editor refuses exactly
// what a file would be refused for, with the same message naming the field. Keys the form
// does not show (the "cluster" overrides) are edited as JSON text.
// Saves an edited scenario's text under `dir` (created when missing) as
// "<name>-edited.json", else "<name>-edited-2.json", "-edited-3.json"...: never over an
// earlier edit's file, which a recorded run's run_source names (its Run again runs that
// file). A file with the very same text is used again rather than copied. Returns the path,
// or empty with `error` naming the file or folder.
QString saveEditedScenario(
    const QString &dir, const QString &name, const QByteArray &text, QString *error);

class ScenarioEditor : public QDialog
{
    Q_OBJECT

public:
    // `json`: a scenario file's text; `source`: what error messages name (a file or a
    // built-in's name). Throws nothing: a text that does not parse opens as an empty form
    // with the reader's message shown.
    ScenarioEditor(const std::string &json, const QString &source, QWidget *parent = nullptr);

    // The document the form describes now (valid or not).
    std::string json() const;
    // The scenario as of the last valid edit; empty while the form has an error.
    const std::optional<traffic::Scenario> &scenario() const { return m_scenario; }
    // The current error, empty when the form is valid.
    QString errorText() const;

    // Segment rows, for tests and the toolbar: appends a row of this type with defaults
    // that follow the last segment.
    void addSegment(traffic::Segment::Kind kind);
    QTableWidget *segmentTable() const { return m_table; }
    RateProfileView *preview() const { return m_preview; }
    // Writes json() to `path`; false with a message on failure.
    bool saveTo(const QString &path, QString *error = nullptr) const;

    // The text of a built-in scenario or a scenario file. Throws InputError.
    static std::string scenarioText(const std::string &nameOrPath);

Q_SIGNALS:
    void scenarioChanged();

private:
    void load(const std::string &json);
    void revalidate();
    void updateCellStates(int row);
    // A segment row of `type` with the cells after the type column.
    void appendRow(const QString &type, const QStringList &cells);
    void onSaveAs();

    QString m_source;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_description = nullptr;
    QLineEdit *m_duration = nullptr;
    QLineEdit *m_seed = nullptr;
    QComboBox *m_preset = nullptr;
    QPlainTextEdit *m_cluster = nullptr;
    QTableWidget *m_table = nullptr;
    RateProfileView *m_preview = nullptr;
    QLabel *m_error = nullptr;
    QPushButton *m_use = nullptr;
    std::optional<traffic::Scenario> m_scenario;
    bool m_loading = false;
};

} // namespace headroom::ui
