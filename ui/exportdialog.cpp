#include "exportdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>
#include <cmath>

namespace headroom::ui {

namespace {

// Typing a size QPainter cannot draw must be possible, so the refusal can be shown.
constexpr int kMaxTypedSide = 1000000;

QString secondsText(double s)
{
    return QString::number(s, 'f', s == std::round(s) ? 0 : 1) + QStringLiteral(" s");
}

bool hasPicture(ExportFormat format)
{
    return format != ExportFormat::Csv;
}

} // namespace

ExportDialog::ExportDialog(QSize defaultSize, qreal defaultRatio, std::optional<TimeRange> visible,
    double wholeRunS, QWidget *parent)
    : QDialog(parent)
    , m_defaultSize(defaultSize)
    , m_defaultRatio(defaultRatio)
    , m_visible(visible)
    , m_wholeRunS(wholeRunS)
{
    setWindowTitle(QStringLiteral("Export comparison"));
    setupForm();
    onChanged();
}

void ExportDialog::setupForm()
{
    m_format = new QComboBox;
    for (const ExportFormat format : kExportFormats)
        m_format->addItem(exportDescription(format), static_cast<int>(format));

    m_width = new QSpinBox;
    m_height = new QSpinBox;
    for (QSpinBox *side : {m_width, m_height}) {
        side->setRange(1, kMaxTypedSide);
        side->setSuffix(QStringLiteral(" px"));
        side->setAccelerated(true);
    }
    m_width->setValue(m_defaultSize.width());
    m_height->setValue(m_defaultSize.height());
    auto *size = new QHBoxLayout;
    size->addWidget(m_width);
    size->addWidget(new QLabel(QStringLiteral("x")));
    size->addWidget(m_height);
    auto *resetSize = new QPushButton(QStringLiteral("Default"));
    resetSize->setToolTip(QStringLiteral("The size the lanes need to stay legible"));
    connect(resetSize, &QPushButton::clicked, this, [this] {
        m_width->setValue(m_defaultSize.width());
        m_height->setValue(m_defaultSize.height());
    });
    size->addWidget(resetSize);

    m_ratio = new QDoubleSpinBox;
    m_ratio->setRange(0.25, 8.0);
    m_ratio->setSingleStep(0.5);
    m_ratio->setDecimals(2);
    m_ratio->setSuffix(QStringLiteral("x"));
    m_ratio->setValue(m_defaultRatio);

    m_visibleRange = new QRadioButton(m_visible
            ? QStringLiteral("Visible range (") + secondsText(m_visible->fromS)
                + QStringLiteral(" - ") + secondsText(m_visible->toS) + QLatin1Char(')')
            : QStringLiteral("Visible range"));
    m_visibleRange->setEnabled(m_visible.has_value());
    m_wholeRun = new QRadioButton(
        QStringLiteral("Whole run (0 - ") + secondsText(m_wholeRunS) + QLatin1Char(')'));
    m_wholeRun->setChecked(true);
    auto *range = new QVBoxLayout;
    range->addWidget(m_visibleRange);
    range->addWidget(m_wholeRun);

    m_info = new QLabel;
    m_info->setWordWrap(true);
    m_info->setMinimumWidth(360);

    auto *form = new QFormLayout;
    form->addRow(QStringLiteral("Format:"), m_format);
    form->addRow(QStringLiteral("Size:"), size);
    form->addRow(QStringLiteral("Pixel ratio:"), m_ratio);
    form->addRow(QStringLiteral("CSV rows:"), range);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    m_buttons->button(QDialogButtonBox::Ok)->setText(QStringLiteral("Export..."));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_info);
    layout->addWidget(m_buttons);

    connect(m_format, &QComboBox::currentIndexChanged, this, &ExportDialog::onChanged);
    connect(m_width, &QSpinBox::valueChanged, this, &ExportDialog::onChanged);
    connect(m_height, &QSpinBox::valueChanged, this, &ExportDialog::onChanged);
    connect(m_ratio, &QDoubleSpinBox::valueChanged, this, &ExportDialog::onChanged);
}

ExportRequest ExportDialog::request() const
{
    ExportRequest request;
    request.format = static_cast<ExportFormat>(m_format->currentData().toInt());
    request.size = QSize(m_width->value(), m_height->value());
    request.devicePixelRatio = m_ratio->value();
    request.visibleRangeOnly = m_visibleRange->isChecked();
    return request;
}

void ExportDialog::setRequest(const ExportRequest &request)
{
    m_format->setCurrentIndex(m_format->findData(static_cast<int>(request.format)));
    const QSize size = request.size.isValid() ? request.size : m_defaultSize;
    m_width->setValue(size.width());
    m_height->setValue(size.height());
    m_ratio->setValue(request.devicePixelRatio);
    (request.visibleRangeOnly && m_visible ? m_visibleRange : m_wholeRun)->setChecked(true);
    onChanged();
}

QString ExportDialog::problem() const
{
    const ExportRequest r = request();
    if (!hasPicture(r.format))
        return {};
    QString error;
    // PNG at its ratio; the report's picture at 2x; vector pictures at their size.
    const qreal ratio = r.format == ExportFormat::Png ? r.devicePixelRatio
        : r.format == ExportFormat::ReportHtml        ? 2.0
                                                      : 1.0;
    return checkExportSize(r.size, ratio, &error) ? QString() : error;
}

void ExportDialog::onChanged()
{
    const ExportRequest r = request();
    m_width->setEnabled(hasPicture(r.format));
    m_height->setEnabled(hasPicture(r.format));
    m_ratio->setEnabled(r.format == ExportFormat::Png);
    m_visibleRange->setEnabled(r.format == ExportFormat::Csv && m_visible.has_value());
    m_wholeRun->setEnabled(r.format == ExportFormat::Csv);

    const QString problem = this->problem();
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
    if (!problem.isEmpty()) {
        m_info->setStyleSheet(QStringLiteral("color: #c0392b;"));
        // The size says what QPainter cannot draw; say what helps.
        m_info->setText(QStringLiteral("Cannot export: ") + problem
            + (r.format == ExportFormat::Png
                    ? QStringLiteral(". Choose a smaller size or pixel ratio.")
                    : QStringLiteral(". Choose a smaller size.")));
        return;
    }
    m_info->setStyleSheet(QString());
    switch (r.format) {
    case ExportFormat::Png:
        m_info->setText(QString::number(std::ceil(r.size.width() * r.devicePixelRatio), 'f', 0)
            + QStringLiteral(" x ")
            + QString::number(std::ceil(r.size.height() * r.devicePixelRatio), 'f', 0)
            + QStringLiteral(" px, light theme."));
        break;
    case ExportFormat::Svg:
        m_info->setText(QStringLiteral("Vector drawing, light theme."));
        break;
    case ExportFormat::Pdf:
        m_info->setText(QStringLiteral("Vector, one landscape page, light theme."));
        break;
    case ExportFormat::Csv:
        m_info->setText(QStringLiteral("One row per lane and second, the columns of "
                                       "headroom-cli's timeseries.csv, after the run's "
                                       "metadata as # lines."));
        break;
    case ExportFormat::ReportHtml:
        m_info->setText(QStringLiteral("One self-contained HTML file: the run's metadata, "
                                       "the charts, the summary table and the events."));
        break;
    case ExportFormat::ReportPdf:
        m_info->setText(QStringLiteral("The report as PDF: the charts (vector) on the first "
                                       "page, then the metadata, summary and events."));
        break;
    }
}

} // namespace headroom::ui
