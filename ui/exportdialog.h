#pragma once

#include "exportformat.h"

#include <QDialog>
#include <optional>

class QComboBox;
class QDialogButtonBox;
class QDoubleSpinBox;
class QLabel;
class QRadioButton;
class QSpinBox;

namespace headroom::ui {

// Export... (Ctrl+E): the format, the picture's size and device pixel ratio, and for CSV the
// visible range or the whole run. Sizes QPainter cannot draw are refused here, with the
// reason, before any file is asked for.
class ExportDialog : public QDialog
{
    Q_OBJECT

public:
    // `defaultSize`: the picture's size for these lanes; `visible`: what the charts show
    // (none: the CSV can only be the whole run); `wholeRunS`: the run's latest second.
    ExportDialog(QSize defaultSize, qreal defaultRatio, std::optional<TimeRange> visible,
        double wholeRunS, QWidget *parent = nullptr);

    ExportRequest request() const;
    void setRequest(const ExportRequest &request);
    // Empty while the request can be exported; else why not (the size, in words).
    QString problem() const;

private:
    void setupForm();
    void onChanged();

    QSize m_defaultSize;
    qreal m_defaultRatio = 2.0;
    std::optional<TimeRange> m_visible;
    double m_wholeRunS = 0.0;
    QComboBox *m_format = nullptr;
    QSpinBox *m_width = nullptr;
    QSpinBox *m_height = nullptr;
    QDoubleSpinBox *m_ratio = nullptr;
    QRadioButton *m_visibleRange = nullptr;
    QRadioButton *m_wholeRun = nullptr;
    QLabel *m_info = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace headroom::ui
