#pragma once

#include "comparisonexport.h"
#include "timechart.h"

#include <QWidget>
#include <string>
#include <vector>

class QHBoxLayout;
class QLabel;
class QTableView;

namespace headroom::ui {

class LaneColumn;
class SummaryModel;

// Lane columns side by side over the summary table: the body of the
// dashboard and of every exported picture.
class ComparisonView : public QWidget
{
    Q_OBJECT

public:
    explicit ComparisonView(QWidget *parent = nullptr);

    // Shown above the columns; an empty title hides the line.
    void setTitle(const QString &title);
    void setTheme(TimeChart::Theme theme);
    // A widget shown right of the summary table (the live events list), which then takes
    // only the width its columns need; exports have none.
    void setTableCompanion(QWidget *companion);
    void setTableCompanionVisible(bool visible);
    // Rebuilds the columns when the lanes change, then draws every lane over [x0, x1].
    void showData(const ComparisonData &data, double x0, double x1);

    SummaryModel *summaryModel() const { return m_model; }
    QString keyText() const;
    const std::vector<LaneColumn *> &columns() const { return m_columns; }

    static QPalette lightPalette();

private:
    void setupTitle();
    void setupKey();
    void setupTable();
    void updateKey();
    void rebuildColumns(const ComparisonData &data);
    void fitTableHeight();
    void fitTableWidth();
    void alignHeaders();
    std::vector<int> contentWidths() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    QList<TimeChart *> allCharts() const;

    QLabel *m_title = nullptr;
    QLabel *m_key = nullptr;
    QHBoxLayout *m_bottomRow = nullptr;
    QWidget *m_companion = nullptr;
    QHBoxLayout *m_columnsLayout = nullptr;
    std::vector<LaneColumn *> m_columns;
    std::vector<std::string> m_laneNames;
    QTableView *m_table = nullptr;
    SummaryModel *m_model = nullptr;
    TimeChart::Theme m_theme = TimeChart::Theme::Light;
};

} // namespace headroom::ui
