#include "scenarioeditor.h"

#include "io/inputerror.h"
#include "timechart.h"
#include "traffic/builtinscenariotexts.h"
#include "traffic/textfile.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTableWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>

namespace headroom::ui {

namespace {

using Json = nlohmann::ordered_json;
using Kind = traffic::Segment::Kind;

// The table's columns after the type, and the file key each one is for, by segment type
// ("" where the column does not apply).
enum Column { Type, Start, End, Rate, To, Amplitude, Period, Phase, Ramp, Columns };
const std::array<const char *, Columns> kHeaders
    = {"Type", "Start (s)", "End (s)", "Rate / from / mean (req/s)", "To (req/s)",
        "Amplitude (req/s)", "Period (s)", "Phase (s)", "Ramp (s)"};
const std::array<const char *, 4> kTypes = {"constant", "ramp", "periodic", "spike"};

const char *keyFor(Kind kind, int column)
{
    switch (column) {
    case Start: return "start_s";
    case End: return "end_s";
    case Rate:
        return kind == Kind::Ramp ? "from" : kind == Kind::Periodic ? "mean" : "rate";
    case To: return kind == Kind::Ramp ? "to" : "";
    case Amplitude: return kind == Kind::Periodic ? "amplitude" : "";
    case Period: return kind == Kind::Periodic ? "period_s" : "";
    case Phase: return kind == Kind::Periodic ? "phase_s" : "";
    case Ramp: return kind == Kind::Spike ? "ramp_s" : "";
    default: return "";
    }
}

// Keys a segment may leave out (the reader has defaults).
bool optionalKey(const std::string &key)
{
    return key == "phase_s" || key == "ramp_s";
}

Kind kindNamed(const QString &name)
{
    const auto it = std::find(kTypes.begin(), kTypes.end(), name.toStdString());
    return it == kTypes.end() ? Kind::Constant : static_cast<Kind>(it - kTypes.begin());
}

// The shortest text that reads back as the same double: a value survives the editor.
QString number(double value)
{
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QString cellText(const Json &segment, const char *key)
{
    if (!*key || !segment.contains(key))
        return {};
    const Json &v = segment[key];
    if (v.is_number())
        return number(v.get<double>());
    return QString::fromStdString(v.is_string() ? v.get<std::string>() : v.dump());
}

// A top-level field as text, whole numbers exactly (a seed may need all 64 bits).
QString fieldText(const Json &doc, const char *key)
{
    if (!doc.contains(key))
        return {};
    const Json &v = doc[key];
    if (v.is_number_unsigned())
        return QString::number(v.get<std::uint64_t>());
    if (v.is_number_integer())
        return QString::number(v.get<std::int64_t>());
    return cellText(doc, key);
}

// Round steps for the preview's axes, as the dashboard's charts.
double niceStep(double span)
{
    return niceTickInterval(std::max(span, 1e-9), 5);
}

} // namespace

RateProfileView::RateProfileView(QWidget *parent)
    : QWidget(parent)
{
    setMinimumSize(320, 140);
    setAccessibleName(QStringLiteral("Rate profile preview"));
}

void RateProfileView::setScenario(const traffic::Scenario &scenario)
{
    m_durationS = scenario.durationS;
    m_points.clear();
    m_spikes.clear();
    // Enough points for a step to show as one; segment edges are sampled exactly.
    const int n = static_cast<int>(std::clamp(scenario.durationS * 4.0, 2.0, 2000.0));
    std::vector<double> times;
    for (int i = 0; i <= n; ++i)
        times.push_back(scenario.durationS * i / n);
    for (const traffic::Segment &s : scenario.segments) {
        for (double edge : {s.startS, s.endS, s.startS + s.rampS, s.endS - s.rampS}) {
            if (edge > 0.0 && edge < scenario.durationS) {
                times.push_back(std::nextafter(edge, 0.0));
                times.push_back(edge);
            }
        }
        if (s.kind == Kind::Spike)
            m_spikes.emplace_back(s.startS, std::min(s.endS, scenario.durationS));
    }
    std::sort(times.begin(), times.end());
    times.erase(std::unique(times.begin(), times.end()), times.end());
    for (double t : times)
        m_points.emplace_back(t, scenario.rateAt(std::min(t, std::nextafter(scenario.durationS, 0.0))));
    update();
}

void RateProfileView::clear()
{
    m_points.clear();
    m_spikes.clear();
    update();
}

void RateProfileView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    p.fillRect(rect(), palette().base());
    const QColor ink = palette().text().color();
    if (m_points.empty()) {
        p.setPen(ink);
        p.drawText(rect(), Qt::AlignCenter, tr("No preview: the scenario has an error"));
        return;
    }
    double top = 0.0;
    for (const QPointF &pt : m_points)
        top = std::max(top, pt.y());
    const double yStep = niceStep(top);
    const double yMax = std::max(yStep, std::ceil(top * 1.08 / yStep) * yStep);
    const double xStep = niceStep(m_durationS);
    const QFontMetricsF fm(font());
    const double left = fm.horizontalAdvance(QString::number(yMax)) + 28.0;
    const QRectF plot(left, 8.0, width() - left - 12.0, height() - fm.height() * 2.0 - 16.0);
    const auto at = [&](double t, double r) {
        return QPointF(plot.left() + plot.width() * t / std::max(m_durationS, 1e-9),
            plot.bottom() - plot.height() * r / yMax);
    };
    // Spikes as in the dashboard: amber, light.
    for (const auto &[a, b] : m_spikes) {
        const QPointF x0 = at(a, yMax), x1 = at(b, 0.0);
        p.fillRect(QRectF(x0, x1), QColor(0xE6, 0x9F, 0x00, 60));
    }
    p.setPen(QPen(palette().mid().color(), 0));
    p.setFont(font());
    for (double y = 0.0; y <= yMax + 1e-9; y += yStep) {
        const QPointF a = at(0.0, y);
        p.setPen(QPen(palette().midlight().color(), 0));
        p.drawLine(a, QPointF(plot.right(), a.y()));
        p.setPen(ink);
        p.drawText(QRectF(0.0, a.y() - fm.height() / 2, left - 6.0, fm.height()),
            Qt::AlignRight | Qt::AlignVCenter, QString::number(y, 'f', tickDecimals(yStep)));
    }
    for (double x = 0.0; x <= m_durationS + 1e-9; x += xStep) {
        const QPointF a = at(x, 0.0);
        p.drawText(QRectF(a.x() - 40.0, plot.bottom() + 4.0, 80.0, fm.height()), Qt::AlignCenter,
            QString::number(x, 'f', tickDecimals(xStep)));
    }
    p.drawText(QRectF(plot.left(), plot.bottom() + 4.0 + fm.height(), plot.width(), fm.height()),
        Qt::AlignCenter, tr("time (s)"));
    p.save();
    p.translate(10.0, plot.center().y());
    p.rotate(-90.0);
    p.drawText(QRectF(-plot.height() / 2, -fm.height() / 2, plot.height(), fm.height()),
        Qt::AlignCenter, tr("req/s"));
    p.restore();
    QPainterPath line;
    line.moveTo(at(m_points.front().x(), m_points.front().y()));
    for (const QPointF &pt : m_points)
        line.lineTo(at(pt.x(), pt.y()));
    p.setPen(QPen(QColor(0x00, 0x72, 0xB2), 2.0));
    p.drawPath(line);
    p.setPen(QPen(ink, 0));
    p.drawRect(plot);
}

ScenarioEditor::ScenarioEditor(const std::string &json, const QString &source, QWidget *parent)
    : QDialog(parent)
    , m_source(source)
{
    setWindowTitle(tr("Scenario editor — %1").arg(source));
    auto *form = new QFormLayout;
    m_name = new QLineEdit;
    m_description = new QLineEdit;
    // Duration and seed are typed as text and written back as the file had them: a spin
    // box would round a duration to its decimals and cut a seed to an int.
    m_duration = new QLineEdit;
    m_duration->setPlaceholderText(tr("seconds"));
    m_seed = new QLineEdit;
    m_seed->setPlaceholderText(tr("1 (0 to 18446744073709551615)"));
    m_preset = new QComboBox;
    m_preset->addItems({QStringLiteral("default"), QStringLiteral("llm")});
    m_cluster = new QPlainTextEdit;
    m_cluster->setPlaceholderText(tr("{\"pod_starting_s\": 4}  (overrides, see docs/scenarios.md)"));
    m_cluster->setMaximumHeight(64);
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Description"), m_description);
    form->addRow(tr("Duration (s)"), m_duration);
    form->addRow(tr("Seed"), m_seed);
    form->addRow(tr("Preset"), m_preset);
    form->addRow(tr("Cluster (JSON)"), m_cluster);

    m_table = new QTableWidget(0, Columns);
    QStringList headers;
    for (const char *h : kHeaders)
        headers << tr(h);
    m_table->setHorizontalHeaderLabels(headers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->setVisible(false);

    auto *rowButtons = new QHBoxLayout;
    for (int k = 0; k < static_cast<int>(kTypes.size()); ++k) {
        auto *add = new QPushButton(tr("Add %1").arg(QString::fromLatin1(kTypes[k])));
        connect(add, &QPushButton::clicked, this, [this, k] { addSegment(static_cast<Kind>(k)); });
        rowButtons->addWidget(add);
    }
    auto *remove = new QPushButton(tr("Remove"));
    connect(remove, &QPushButton::clicked, this, [this] {
        std::vector<int> rows;
        for (const QModelIndex &index : m_table->selectionModel()->selectedRows())
            rows.push_back(index.row());
        std::sort(rows.rbegin(), rows.rend());
        for (int row : rows)
            m_table->removeRow(row);
        revalidate();
    });
    rowButtons->addWidget(remove);
    rowButtons->addStretch();

    m_preview = new RateProfileView;
    m_error = new QLabel;
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_error->setStyleSheet(QStringLiteral("color: #c0392b;"));

    auto *buttons = new QDialogButtonBox;
    auto *save = buttons->addButton(tr("Save as…"), QDialogButtonBox::ActionRole);
    m_use = buttons->addButton(tr("Use"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    connect(save, &QPushButton::clicked, this, &ScenarioEditor::onSaveAs);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(new QLabel(tr("Segments: base segments (constant, ramp, periodic) must "
                                    "not overlap; a spike replaces the base inside its span.")));
    layout->addWidget(m_table, 2);
    layout->addLayout(rowButtons);
    layout->addWidget(m_preview, 2);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(900, 720);

    for (QLineEdit *edit : {m_name, m_description})
        connect(edit, &QLineEdit::textChanged, this, &ScenarioEditor::revalidate);
    connect(m_duration, &QLineEdit::textChanged, this, &ScenarioEditor::revalidate);
    connect(m_seed, &QLineEdit::textChanged, this, &ScenarioEditor::revalidate);
    connect(m_preset, &QComboBox::currentIndexChanged, this, &ScenarioEditor::revalidate);
    connect(m_cluster, &QPlainTextEdit::textChanged, this, &ScenarioEditor::revalidate);
    connect(m_table, &QTableWidget::itemChanged, this, &ScenarioEditor::revalidate);
    load(json);
}

std::string ScenarioEditor::scenarioText(const std::string &nameOrPath)
{
    for (const traffic::BuiltinScenarioText &b : traffic::builtinScenarioTexts()) {
        if (b.name == nameOrPath)
            return std::string(b.json);
    }
    return traffic::readTextFile(nameOrPath);
}

void ScenarioEditor::load(const std::string &text)
{
    m_loading = true;
    const Json doc = Json::parse(text, nullptr, false);
    if (doc.is_object()) {
        const auto str = [&](const char *key) {
            return doc.contains(key) && doc[key].is_string()
                ? QString::fromStdString(doc[key].get<std::string>()) : QString();
        };
        m_name->setText(str("name"));
        m_description->setText(str("description"));
        m_description->setCursorPosition(0);
        m_duration->setText(fieldText(doc, "duration_s"));
        m_seed->setText(fieldText(doc, "seed"));
        if (doc.contains("preset") && doc["preset"].is_string())
            m_preset->setCurrentText(QString::fromStdString(doc["preset"].get<std::string>()));
        if (doc.contains("cluster"))
            m_cluster->setPlainText(QString::fromStdString(doc["cluster"].dump()));
        if (doc.contains("segments") && doc["segments"].is_array()) {
            for (const Json &segment : doc["segments"]) {
                const QString type = segment.contains("type") && segment["type"].is_string()
                    ? QString::fromStdString(segment["type"].get<std::string>())
                    : QStringLiteral("constant");
                const Kind kind = kindNamed(type);
                QStringList cells;
                for (int c = Start; c < Columns; ++c)
                    cells << cellText(segment, keyFor(kind, c));
                appendRow(type, cells);
            }
        }
    }
    m_loading = false;
    revalidate();
    if (!doc.is_object())
        m_error->setText(tr("%1: not a JSON object; the form starts empty").arg(m_source));
}

void ScenarioEditor::updateCellStates(int row)
{
    const auto *combo = qobject_cast<QComboBox *>(m_table->cellWidget(row, Type));
    const Kind kind = kindNamed(combo ? combo->currentText() : QString());
    const bool wasLoading = m_loading;
    m_loading = true;
    for (int c = Start; c < Columns; ++c) {
        QTableWidgetItem *item = m_table->item(row, c);
        if (!item) {
            item = new QTableWidgetItem;
            m_table->setItem(row, c, item);
        }
        const bool applies = *keyFor(kind, c) != '\0';
        item->setFlags(applies ? Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable
                               : Qt::ItemIsSelectable);
        if (!applies)
            item->setText({});
        // Cells a type does not use look like the dialog, not like a field to fill.
        item->setBackground(applies ? palette().base() : palette().window());
        item->setToolTip(applies ? QString::fromLatin1(keyFor(kind, c))
                                 : tr("not used by a %1 segment").arg(QString::fromLatin1(kTypes[static_cast<int>(kind)])));
    }
    m_loading = wasLoading;
}

void ScenarioEditor::addSegment(Kind kind)
{
    double start = 0.0;
    double rate = 10.0;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        if (m_table->item(r, End))
            start = std::max(start, m_table->item(r, End)->text().toDouble());
        if (m_table->item(r, Rate) && !m_table->item(r, Rate)->text().isEmpty())
            rate = m_table->item(r, Rate)->text().toDouble();
    }
    bool known = false;
    double duration = m_duration->text().toDouble(&known);
    if (!known || !(duration > 0.0))
        duration = 60.0;
    if (kind == Kind::Spike || start >= duration)
        start = std::floor(duration / 3.0);
    const double end = kind == Kind::Spike ? std::floor(duration * 2.0 / 3.0) : duration;
    Json segment = {{"start_s", start}, {"end_s", std::max(end, start + 1.0)}};
    switch (kind) {
    case Kind::Constant: segment["rate"] = rate; break;
    case Kind::Ramp: segment["from"] = rate; segment["to"] = rate * 2.0; break;
    case Kind::Periodic:
        segment["mean"] = rate;
        segment["amplitude"] = rate / 2.0;
        segment["period_s"] = std::max(1.0, std::floor((end - start) / 2.0));
        break;
    case Kind::Spike: segment["rate"] = rate * 3.0; segment["ramp_s"] = 0.0; break;
    }
    QStringList cells;
    for (int c = Start; c < Columns; ++c)
        cells << cellText(segment, keyFor(kind, c));
    appendRow(QString::fromLatin1(kTypes[static_cast<int>(kind)]), cells);
    revalidate();
}

void ScenarioEditor::appendRow(const QString &type, const QStringList &cells)
{
    const bool wasLoading = m_loading;
    m_loading = true;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    auto *combo = new QComboBox;
    for (const char *t : kTypes)
        combo->addItem(QString::fromLatin1(t));
    combo->setCurrentText(type);
    m_table->setCellWidget(row, Type, combo);
    for (int c = Start; c < Columns; ++c)
        m_table->setItem(row, c, new QTableWidgetItem(cells.value(c - Start)));
    // A new type: other cells apply. Rows move when one above is removed, so find it.
    connect(combo, &QComboBox::currentTextChanged, this, [this, combo] {
        for (int r = 0; r < m_table->rowCount(); ++r) {
            if (m_table->cellWidget(r, Type) == combo)
                updateCellStates(r);
        }
        revalidate();
    });
    updateCellStates(row);
    m_loading = wasLoading;
}

std::string ScenarioEditor::json() const
{
    Json doc = Json::object();
    if (!m_name->text().isEmpty())
        doc["name"] = m_name->text().toStdString();
    if (!m_description->text().isEmpty())
        doc["description"] = m_description->text().toStdString();
    // Text that is not a number goes in as a string, which the reader refuses by name.
    const QString duration = m_duration->text().trimmed();
    bool ok = false;
    const double durationS = duration.toDouble(&ok);
    doc["duration_s"] = ok ? Json(durationS) : Json(duration.toStdString());
    const QString seed = m_seed->text().trimmed();
    if (!seed.isEmpty()) {
        const qulonglong value = seed.toULongLong(&ok);
        doc["seed"] = ok ? Json(static_cast<std::uint64_t>(value)) : Json(seed.toStdString());
    }
    doc["preset"] = m_preset->currentText().toStdString();
    const std::string cluster = m_cluster->toPlainText().trimmed().toStdString();
    if (!cluster.empty()) {
        // Text that is not JSON goes in as a string, which the reader refuses by name.
        const Json parsed = Json::parse(cluster, nullptr, false);
        doc["cluster"] = parsed.is_discarded() ? Json(cluster) : parsed;
    }
    Json segments = Json::array();
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const auto *combo = qobject_cast<QComboBox *>(m_table->cellWidget(r, Type));
        const QString type = combo ? combo->currentText() : QStringLiteral("constant");
        const Kind kind = kindNamed(type);
        Json segment = {{"type", type.toStdString()}};
        for (int c = Start; c < Columns; ++c) {
            const std::string key = keyFor(kind, c);
            const QTableWidgetItem *item = m_table->item(r, c);
            const QString text = item ? item->text().trimmed() : QString();
            if (key.empty() || (text.isEmpty() && optionalKey(key)))
                continue;
            bool ok = false;
            const double v = text.toDouble(&ok);
            // Not a number: kept as text, so the reader names the field and the value.
            segment[key] = ok ? Json(v) : Json(text.toStdString());
        }
        segments.push_back(segment);
    }
    doc["segments"] = segments;
    return doc.dump(4) + "\n";
}

QString ScenarioEditor::errorText() const
{
    return m_error->text();
}

void ScenarioEditor::revalidate()
{
    if (m_loading)
        return;
    try {
        m_scenario = traffic::parseScenario(json(), m_source.toStdString());
        m_error->clear();
        m_preview->setScenario(*m_scenario);
    } catch (const std::exception &error) {
        m_scenario.reset();
        m_error->setText(QString::fromStdString(error.what()));
        m_preview->clear();
    }
    m_use->setEnabled(m_scenario.has_value());
    Q_EMIT scenarioChanged();
}

QString saveEditedScenario(
    const QString &dir, const QString &name, const QByteArray &text, QString *error)
{
    if (!QDir().mkpath(dir)) {
        if (error)
            *error = dir + QStringLiteral(": cannot create the folder");
        return {};
    }
    QString base = name;
    base.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9_.-]")), QStringLiteral("_"));
    if (base.isEmpty())
        base = QStringLiteral("scenario");
    for (int n = 1; n <= 10000; ++n) {
        const QString path = dir + QLatin1Char('/') + base + QStringLiteral("-edited")
            + (n == 1 ? QString() : QLatin1Char('-') + QString::number(n))
            + QStringLiteral(".json");
        QFile file(path);
        // NewOnly: an existing file is never opened for writing, even by another window.
        if (file.open(QIODevice::WriteOnly | QIODevice::NewOnly)) {
            if (file.write(text) != text.size() || !file.flush()) {
                if (error)
                    *error = QObject::tr("%1: cannot write: %2").arg(path, file.errorString());
                file.close();
                file.remove();
                return {};
            }
            return path;
        }
        if (!QFileInfo::exists(path)) {
            if (error)
                *error = QObject::tr("%1: cannot write: %2").arg(path, file.errorString());
            return {};
        }
        QFile earlier(path);
        if (earlier.open(QIODevice::ReadOnly) && earlier.readAll() == text)
            return path; // the same scenario: its file serves again
    }
    if (error)
        *error
            = dir + QStringLiteral(": 10000 edited files of ") + base + QStringLiteral(" already");
    return {};
}

bool ScenarioEditor::saveTo(const QString &path, QString *error) const
{
    QFile file(path);
    const QByteArray bytes = QByteArray::fromStdString(json());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(bytes) != bytes.size()) {
        if (error)
            *error = tr("%1: cannot write: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

void ScenarioEditor::onSaveAs()
{
    const QString name = m_name->text().isEmpty() ? QStringLiteral("scenario") : m_name->text();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Save scenario"), name + QStringLiteral(".json"), tr("Scenario (*.json)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveTo(path, &error))
        m_error->setText(error);
}

} // namespace headroom::ui
