#include "comparisonview.h"

#include "eventstyle.h"
#include "lanecolumn.h"
#include "linkedtimeaxis.h"
#include "logging.h"
#include "summarymodel.h"

#include <QAction>
#include <QClipboard>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollBar>
#include <QShortcut>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::ui {

namespace {

// The events list keeps a few rows visible even when the summary has only one or two.
constexpr int kMinCompanionHeight = 110;
// Spare table width goes to every column alike, at most this much each: no column
// (least of all Status, last) spreads across the page to say "ok".
constexpr int kMaxColumnExtra = 6;
// Next to the events list the table takes what its columns need, leaving the list this much
// (and never less than half the row). At 480, six lanes' columns (a forecasting lane's MAE,
// "0 s, 1 missed") ran past the table's edge at the default 1600 px, behind a scroll bar;
// the table is the comparison, the list's texts are cut at any width (their tooltips say
// all), and at 420 its events still read their first words.
constexpr int kMinCompanionWidth = 420;
// Spare width (kMaxColumnExtra) comes only from beyond this much for the list: the list
// gives up room for the table's content, not for its padding.
constexpr int kCompanionWidth = 480;
// A long status ("unavailable: ...") is cut here; its tooltip has the whole text.
constexpr int kMaxStatusWidth = 320;
// Where the table is too narrow for every column, the status is cut first (the other
// columns are numbers, which no ellipsis may shorten), down to what shows the run's state.
constexpr char16_t kShortestStatus[] = u"finished, \u2026";

// `color` over `background`, as a shaded span shows: rich text has no alpha.
QString blendedHex(const QColor &color, const QColor &background)
{
    const double a = color.alphaF();
    const auto mix
        = [a](int fg, int bg) { return static_cast<int>(std::lround(fg * a + bg * (1 - a))); };
    return QColor(mix(color.red(), background.red()), mix(color.green(), background.green()),
        mix(color.blue(), background.blue()))
        .name();
}

QString swatch(const QString &background)
{
    return QStringLiteral("<span style=\"background-color:%1\">&nbsp;&nbsp;&nbsp;&nbsp;</span>")
        .arg(background);
}

QString glyph(const QString &text, const QColor &color)
{
    return QStringLiteral("<span style=\"color:%1; font-size:large\"><b>%2</b></span>")
        .arg(color.name(), text);
}

} // namespace

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

    m_readout = new QLabel(this);
    m_readout->setObjectName(QStringLiteral("crosshairReadout"));
    m_readout->setTextFormat(Qt::RichText);
    m_readout->setAttribute(Qt::WA_TransparentForMouseEvents);
    m_readout->setAutoFillBackground(true);
    m_readout->setFrameShape(QFrame::Box);
    m_readout->setMargin(4);
    m_readout->setVisible(false);
    m_escape = new QShortcut(QKeySequence(Qt::Key_Escape), this);
    m_escape->setContext(Qt::WindowShortcut);
    m_escape->setEnabled(false); // only while the crosshair shows: Esc stays free otherwise
    connect(m_escape, &QShortcut::activated, this, &ComparisonView::hideCrosshair);
}

void ComparisonView::setEmptyNote(const QString &text)
{
    if (!m_emptyNote) {
        m_emptyNote = new QLabel(this);
        m_emptyNote->setObjectName(QStringLiteral("emptyNote"));
        m_emptyNote->setTextFormat(Qt::PlainText); // messages quote URLs and file names
        m_emptyNote->setWordWrap(true);
        m_emptyNote->setAlignment(Qt::AlignCenter);
        m_emptyNote->setTextInteractionFlags(Qt::TextSelectableByMouse);
        m_emptyNote->setContentsMargins(60, 0, 60, 0);
        QFont font = m_emptyNote->font();
        font.setPointSizeF(font.pointSizeF() * 1.15);
        m_emptyNote->setFont(font);
        m_columnsLayout->addWidget(m_emptyNote, 1);
    }
    m_emptyNote->setText(text);
    m_emptyNote->setVisible(!text.isEmpty());
}

QString ComparisonView::emptyNote() const
{
    return m_emptyNote ? m_emptyNote->text() : QString();
}

void ComparisonView::setupTitle()
{
    m_title = new QLabel(this);
    // A scenario's name or a trace's file name, shown as written: read as rich text,
    // "<u>x</u>" was underlined and "<script>..." vanished from every export's title.
    m_title->setTextFormat(Qt::PlainText);
    QFont font = m_title->font();
    font.setPointSizeF(font.pointSizeF() * 1.5);
    font.setBold(true);
    m_title->setFont(font);
    m_title->setAlignment(Qt::AlignHCenter);
    // Its width is the view's, never the text's: a 100-character scenario name pushed the
    // lanes out of the right edge of every export. The text is cut in the middle to fit
    // (elideTitle), whole in the tooltip.
    m_title->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_title->setMinimumWidth(0);
    m_title->setVisible(false);
    layout()->addWidget(m_title);
}

void ComparisonView::setupKey()
{
    m_key = new QLabel(this);
    m_key->setObjectName(QStringLiteral("chartKey"));
    m_key->setTextFormat(Qt::RichText);
    m_key->setWordWrap(true);
    QFont font = m_key->font();
    font.setPointSizeF(font.pointSizeF() * 0.9);
    m_key->setFont(font);
    m_key->setForegroundRole(QPalette::PlaceholderText);
    m_key->setContentsMargins(8, 0, 8, 0);
    layout()->addWidget(m_key);
    updateKey();
}

// Matches the markers LaneColumn draws: the same colours, blended as the charts shade.
void ComparisonView::updateKey()
{
    const bool dark = m_theme == TimeChart::Theme::Dark;
    const QColor background = dark ? QColor(0x2e, 0x30, 0x3a) : QColor(Qt::white);
    const QString sep = QStringLiteral("&nbsp;&nbsp;&nbsp; ");
    m_key->setText(glyph(QStringLiteral("&#x2506;"), eventColor(EventMark::Scale, dark))
        + QStringLiteral(" scaling decisions") + sep
        + glyph(QStringLiteral("&#x25BC;"), eventColor(EventMark::Condition))
        + QStringLiteral(" controller conditions (dotted)") + sep
        + glyph(QStringLiteral("&#x25BC;"), eventColor(EventMark::Note, dark))
        + QStringLiteral(" operator notes") + sep
        + swatch(blendedHex(eventMarkColor(EventMark::Region, dark), background))
        + QStringLiteral(" controller states, e.g. KPA panic") + sep
        + swatch(blendedHex(eventMarkColor(EventMark::Spike, dark), background))
        + QStringLiteral(" spikes (scenario and operator)") + sep
        + swatch(blendedHex(eventMarkColor(EventMark::FallbackRegion, dark), background))
        + QStringLiteral(" reactive fallback (a forecasting lane off its model)") + sep
        + swatch(blendedHex(sloBreachColor(dark), background))
        + QStringLiteral(" p95 latency over the SLO") + sep
        + glyph(QStringLiteral("&#x25A8;"), eventColor(EventMark::NoDataRegion, dark))
        + QStringLiteral(" no data (a hole in the trace; controllers hold)") + sep
        + QStringLiteral("grey dashed: the latency SLO, and the pods the current arrivals "
                         "need (load)"));
}

QString ComparisonView::keyText() const
{
    return m_key->text();
}

void ComparisonView::setupTable()
{
    m_model = new SummaryModel(this);
    m_table = new QTableView(this);
    m_table->setModel(m_model);
    m_table->verticalHeader()->setVisible(false);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->horizontalHeader()->setStretchLastSection(false);
    m_table->setTextElideMode(Qt::ElideRight);
    // A status cut to fit (fitTableWidth()) ends in an ellipsis on its line, as the events'
    // texts do, rather than wrapping half a word onto a second line of the row.
    m_table->setWordWrap(false);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    // Focus on a click only, so Ctrl+C reaches the table; Space and the other window
    // shortcuts still work while it has it.
    m_table->setFocusPolicy(Qt::ClickFocus);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setAlternatingRowColors(true);

    auto *copy = new QAction(QStringLiteral("Copy"), m_table);
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    copy->setToolTip(QStringLiteral("Copy the selected cells (or the whole table) as "
                                    "tab-separated text with the headers"));
    connect(copy, &QAction::triggered, this, &ComparisonView::copySummarySelection);
    auto *markdown = new QAction(QStringLiteral("Copy table as Markdown"), m_table);
    connect(markdown, &QAction::triggered, this, &ComparisonView::copySummaryMarkdown);
    auto *selectAll = new QAction(QStringLiteral("Select all"), m_table);
    selectAll->setShortcut(QKeySequence::SelectAll);
    selectAll->setShortcutContext(Qt::WidgetShortcut);
    connect(selectAll, &QAction::triggered, m_table, &QTableView::selectAll);
    m_table->addActions({copy, markdown, selectAll});
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);

    // What the table's marks mean (a capped reference), in words a reader sees without
    // scrolling to the Status column or hovering a cell.
    m_notes = new QLabel(this);
    m_notes->setTextFormat(Qt::PlainText);
    m_notes->setWordWrap(true);
    m_notes->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    m_notes->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_notes->hide();
    auto *tableColumn = new QVBoxLayout;
    tableColumn->setSpacing(2);
    tableColumn->addWidget(m_table, 0, Qt::AlignLeft);
    tableColumn->addWidget(m_notes);
    tableColumn->addStretch(1);

    m_bottomRow = new QHBoxLayout;
    m_bottomRow->setSpacing(8);
    m_bottomRow->addLayout(tableColumn, 0);
    m_bottomRow->setAlignment(tableColumn, Qt::AlignLeft | Qt::AlignTop);
    static_cast<QVBoxLayout *>(layout())->addLayout(m_bottomRow);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ComparisonView::fitTableHeight);
    fitTableHeight();
}

void ComparisonView::updateSummary(const ComparisonData &data)
{
    std::vector<const std::vector<metrics::LaneSample> *> samples;
    std::vector<metrics::LaneSummary> summaries;
    for (const ComparisonData::Lane &lane : data.lanes) {
        samples.push_back(&lane.samples);
        summaries.push_back(lane.summary);
    }
    const metrics::ComparisonSettings settings = comparisonSettings(data);
    if (!(settings == m_comparison.settings()))
        m_comparison.reset(settings);
    m_comparison.update(samples, spikeWindows(data));
    m_model->setSummaries(summaries, m_comparison.results());
    m_model->setRunState(data.state);
    const QString notes = m_model->notes().join(QLatin1Char('\n'));
    if (notes != m_notes->text()) {
        m_notes->setText(notes);
        fitNotesHeight();
    }
    m_notes->setVisible(!notes.isEmpty());
}

void ComparisonView::copySummarySelection() const
{
    QGuiApplication::clipboard()->setText(
        m_model->toTsv(m_table->selectionModel()->selectedIndexes()));
}

void ComparisonView::copySummaryMarkdown() const
{
    QGuiApplication::clipboard()->setText(m_model->toMarkdown());
}

void ComparisonView::fitTableHeight()
{
    // Every lane's row shows: the table never scrolls up or down (only sideways, when a
    // small window cannot fit every column).
    const int rows = std::max(m_model->rowCount(), 1);
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    int height = m_table->horizontalHeader()->sizeHint().height() + rows * rowHeight
        + 2 * m_table->frameWidth();
    if (m_table->horizontalScrollBarPolicy() == Qt::ScrollBarAlwaysOn)
        height += m_table->horizontalScrollBar()->sizeHint().height();
    m_table->setFixedHeight(height);
    if (m_companion)
        m_companion->setFixedHeight(std::max(height, kMinCompanionHeight));
}

void ComparisonView::fitNotesHeight()
{
    // All of its lines, at the table's width: the charts above give way, not the note.
    // At the width fitTableWidth() fixed (its geometry follows only at the next layout pass),
    // else the table's. (An empty label has no height for any width: -1.)
    const int width = m_notes->maximumWidth() < QWIDGETSIZE_MAX ? m_notes->maximumWidth()
                                                               : m_table->width();
    m_notes->setFixedHeight(std::max(0, m_notes->heightForWidth(width)));
}

std::vector<int> ComparisonView::contentWidths() const
{
    // QTableView hides sizeHintForColumn(); QAbstractItemView has it public.
    const QAbstractItemView *view = m_table;
    std::vector<int> widths;
    for (int column = 0; column < m_model->columnCount(); ++column) {
        int width = std::max(
            view->sizeHintForColumn(column), m_table->horizontalHeader()->sectionSizeHint(column));
        if (column == SummaryModel::Status)
            width = std::min(width, kMaxStatusWidth);
        widths.push_back(width);
    }
    return widths;
}

// Every column as wide as its content plus an equal, capped share of the spare width; the
// table is as wide as its columns. Next to the events list it leaves the list room.
void ComparisonView::fitTableWidth()
{
    const bool companion = m_companion && m_companion->isVisibleTo(this);
    const int available
        = companion ? std::max(width() - kMinCompanionWidth, width() / 2) : width() - 12;
    const int roomy = companion ? std::max(width() - kCompanionWidth, width() / 2) : available;
    const int frame = 2 * m_table->frameWidth() + 2;
    std::vector<int> widths = contentWidths();
    int total = frame;
    for (int w : widths)
        total += w;
    if (total > available && SummaryModel::Status < static_cast<int>(widths.size())) {
        // The status elides rather than the table scrolls: "finished, no model: reactive rule"
        // beside six lanes' "0 s, 1 missed" put the Status column past the right edge at the
        // default 1600 px. Its tooltip has the whole text.
        int &status = widths[SummaryModel::Status];
        const int least = std::max(
            m_table->fontMetrics().horizontalAdvance(QString::fromUtf16(kShortestStatus)) + 8,
            m_table->horizontalHeader()->sectionSizeHint(SummaryModel::Status));
        const int cut = std::clamp(total - available, 0, std::max(status - least, 0));
        status -= cut;
        total -= cut;
    }
    const int count = std::max<int>(static_cast<int>(widths.size()), 1);
    const int extra = std::clamp((roomy - total) / count, 0, kMaxColumnExtra);
    for (std::size_t column = 0; column < widths.size(); ++column) {
        m_table->setColumnWidth(static_cast<int>(column), widths[column] + extra);
        total += extra;
    }
    const int tableWidth = std::min(total, std::max(available, 200));
    m_table->setFixedWidth(tableWidth);
    m_notes->setFixedWidth(tableWidth);
    fitNotesHeight();
    // Too narrow for every column (a small window): scroll sideways rather than hide the last.
    const auto scrollBar = total > tableWidth ? Qt::ScrollBarAlwaysOn : Qt::ScrollBarAlwaysOff;
    if (m_table->horizontalScrollBarPolicy() != scrollBar) {
        m_table->setHorizontalScrollBarPolicy(scrollBar);
        fitTableHeight();
    }
}

void ComparisonView::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    elideTitle();
    // After the layout pass: fixing the table's width inside it disturbs the columns above.
    if (event->size().width() != event->oldSize().width())
        QMetaObject::invokeMethod(this, &ComparisonView::fitTableWidth, Qt::QueuedConnection);
}

void ComparisonView::setTableCompanion(QWidget *companion)
{
    m_companion = companion;
    companion->setParent(this);
    m_bottomRow->addWidget(companion, 1, Qt::AlignTop);
    fitTableHeight();
    fitTableWidth();
}

void ComparisonView::setTableCompanionVisible(bool visible)
{
    if (!m_companion)
        return;
    m_companion->setVisible(visible);
    fitTableWidth();
}

void ComparisonView::setTitle(const QString &title)
{
    m_fullTitle = title;
    m_title->setToolTip(title);
    m_title->setVisible(!title.isEmpty());
    elideTitle();
}

QString ComparisonView::title() const
{
    return m_fullTitle;
}

QString ComparisonView::titleShown() const
{
    return m_title->text();
}

void ComparisonView::elideTitle()
{
    const int room = width() - 2 * layout()->contentsMargins().left() - 8;
    m_title->setText(room > 40
            ? m_title->fontMetrics().elidedText(m_fullTitle, Qt::ElideMiddle, room)
            : m_fullTitle);
}

void ComparisonView::setTheme(TimeChart::Theme theme)
{
    m_theme = theme;
    for (LaneColumn *column : m_columns)
        column->setTheme(theme);
    m_model->setDarkBackground(theme == TimeChart::Theme::Dark);
    updateKey();
    if (m_crosshair)
        placeCrosshair();
}

void ComparisonView::setFastRendering(bool fast)
{
    m_fastRendering = fast;
    for (TimeChart *chart : allCharts())
        chart->setAntialiased(!fast);
}

void ComparisonView::rebuildColumns(const ComparisonData &data)
{
    std::vector<std::string> names;
    for (const ComparisonData::Lane &lane : data.lanes)
        names.push_back(lane.controller);
    if (names == m_laneNames)
        return;
    hideCrosshair();
    for (LaneColumn *column : m_columns)
        delete column;
    m_columns.clear();
    for (const std::string &name : names) {
        auto *column = new LaneColumn(QString::fromStdString(name), this);
        column->setTheme(m_theme);
        for (TimeChart *chart : column->charts())
            chart->setAntialiased(!m_fastRendering);
        m_columnsLayout->addWidget(column, 1);
        m_columns.push_back(column);
        connectCharts(column);
    }
    m_laneNames = names;
    m_drawn.valid = false;
    // New columns need their geometry before the first draw decimates to their width.
    layout()->activate();
}

void ComparisonView::showData(const ComparisonData &data, double x0, double x1)
{
    rebuildColumns(data);
    m_data = &data;
    const Drawn next = drawnFor(data, x0, x1);
    if (chartsCurrent(next)) {
        for (std::size_t i = 0; i < m_columns.size(); ++i)
            m_columns[i]->showAvailability(data, data.lanes[i]);
    } else {
        for (std::size_t i = 0; i < m_columns.size(); ++i)
            m_columns[i]->showLane(data, data.lanes[i], x0, x1, next.scales[i]);
        applyHiddenSeries(); // entries a lane declares late (a forecast) hide too
        alignHeaders();
        alignPlotAreas(allCharts());
        m_drawn = next;
        ++m_chartRedraws;
    }

    updateSummary(data);
    fitTableWidth();
    if (m_crosshair) {
        // A following view moves under a still mouse: read the time now under it.
        if (m_crosshair->hover)
            m_crosshair->tS = m_crosshair->anchor->timeAt(m_crosshair->anchorX);
        placeCrosshair();
    }
}

void ComparisonView::showCrosshair(ChartKind kind, double tS, TimeChart *anchor, int anchorX)
{
    if (m_columns.empty() || !m_data)
        return;
    Crosshair c;
    c.kind = kind;
    c.tS = tS;
    c.anchor = anchor ? anchor : m_columns.front()->chart(kind);
    c.anchorX = anchorX >= 0 ? anchorX : static_cast<int>(std::lround(c.anchor->widgetXAt(tS)));
    c.hover = anchor != nullptr && anchorX >= 0;
    m_crosshair = c;
    m_escape->setEnabled(true);
    placeCrosshair();
}

void ComparisonView::hideCrosshair()
{
    m_crosshair.reset();
    m_escape->setEnabled(false);
    m_readout->setVisible(false);
    for (TimeChart *chart : allCharts())
        chart->setCrosshair(std::nan(""));
}

double ComparisonView::crosshairTime() const
{
    return m_crosshair ? m_crosshair->tS : std::nan("");
}

CrosshairReadout ComparisonView::crosshairReadout() const
{
    if (!m_crosshair || !m_data)
        return {};
    return headroom::ui::crosshairReadout(*m_data, m_crosshair->kind, m_crosshair->tS);
}

void ComparisonView::placeCrosshair()
{
    for (TimeChart *chart : allCharts())
        chart->setCrosshair(m_crosshair->tS);
    m_readout->setPalette(palette());
    m_readout->setText(crosshairReadoutHtml(crosshairReadout(), m_theme == TimeChart::Theme::Dark));
    m_readout->adjustSize();
    placeReadout();
    m_readout->setVisible(true);
    m_readout->raise();
}

// Beside the cursor, never over it, on the side of the plot with more room: right of it in
// the plot's left half, left of it in the right half (where a forecasting lane's band lies
// ahead of now), the other side when the panel does not fit; level with the top of the
// hovered plot, so the line under the cursor stays in sight.
void ComparisonView::placeReadout()
{
    TimeChart *anchor = m_crosshair->anchor;
    constexpr int kGap = 14;
    const QRect plot = anchor->plotRect().toRect();
    const QPoint cursor = anchor->mapTo(this, QPoint(m_crosshair->anchorX, plot.top()));
    const QSize size = m_readout->size();
    const int right = cursor.x() + kGap;
    const int left = cursor.x() - kGap - size.width();
    const bool rightHalf = m_crosshair->anchorX > plot.center().x();
    int x = rightHalf ? left : right;
    if (rightHalf && left < 2)
        x = right;
    else if (!rightHalf && right + size.width() > width() - 2)
        x = left;
    x = std::clamp(x, 2, std::max(2, width() - size.width() - 2));
    int y = std::clamp(cursor.y() + 4, 2, std::max(2, height() - size.height() - 2));
    m_readout->move(x, y);
}

ComparisonView::Drawn ComparisonView::drawnFor(
    const ComparisonData &data, double x0, double x1) const
{
    Drawn d;
    d.valid = true;
    d.x0 = x0;
    d.x1 = x1;
    const ChartScales locked = m_lockY ? lockedScales(data, x0, x1, m_hidden) : ChartScales {};
    // One scale (locked, or fixed by the user): one set of ticks, the fewest any lane fits.
    std::array<int, kChartKinds> sharedTicks {};
    for (int kind = 0; kind < kChartKinds; ++kind) {
        if (!m_lockY && !m_fixed[static_cast<std::size_t>(kind)])
            continue;
        for (const LaneColumn *column : m_columns) {
            const int fits = column->charts().at(kind)->fittingYTicks();
            int &ticks = sharedTicks[static_cast<std::size_t>(kind)];
            ticks = ticks == 0 ? fits : std::min(ticks, fits);
        }
    }
    for (const ComparisonData::Lane &lane : data.lanes) {
        ChartScales scales = m_lockY ? locked : laneScales(data, lane, x0, x1, m_hidden);
        scales.fixed = m_fixed;
        scales.yTicks = sharedTicks;
        d.scales.push_back(scales);
    }
    if (!m_columns.empty())
        d.chartSize = m_columns.front()->charts().front()->size();
    d.theme = m_theme;
    d.state = data.state;
    d.spikes = data.spikes.size();
    d.dataEnd = std::numeric_limits<double>::infinity();
    for (const ComparisonData::Lane &lane : data.lanes)
        d.dataEnd = std::min(d.dataEnd, lane.samples.empty() ? -1.0 : lane.samples.back().tS);
    return d;
}

// Nothing the charts show over [x0, x1] can have changed when the range, scales, size and
// theme are those drawn and every lane already had a sample past x1 then: what arrived since
// lies beyond the right edge (lines, markers, spans and the forecast band all start at or
// after the latest sample).
bool ComparisonView::chartsCurrent(const Drawn &next) const
{
    const Drawn &d = m_drawn;
    return d.valid && next.x0 == d.x0 && next.x1 == d.x1 && next.scales == d.scales
        && next.chartSize == d.chartSize && next.theme == d.theme && next.state == d.state
        && next.spikes == d.spikes && d.dataEnd > d.x1;
}

void ComparisonView::setTimeAxis(LinkedTimeAxis *axis)
{
    m_timeAxis = axis;
    for (TimeChart *chart : allCharts())
        chart->setInteractive(axis != nullptr);
}

void ComparisonView::setChartMenuActions(const QList<QAction *> &actions)
{
    m_chartMenuActions = actions;
}

void ComparisonView::connectCharts(LaneColumn *column)
{
    const QList<TimeChart *> charts = column->charts();
    for (int k = 0; k < charts.size(); ++k) {
        TimeChart *chart = charts[k];
        const auto kind = static_cast<ChartKind>(k);
        chart->setInteractive(m_timeAxis != nullptr);
        connect(chart, &TimeChart::zoomRequested, this, [this](double t0, double t1) {
            if (m_timeAxis)
                m_timeAxis->zoomTo(t0, t1);
        });
        connect(
            chart, &TimeChart::wheelZoomRequested, this, [this](double fraction, double factor) {
                if (m_timeAxis)
                    m_timeAxis->zoomAt(fraction, factor);
            });
        connect(chart, &TimeChart::panRequested, this, [this](double fraction) {
            if (m_timeAxis)
                m_timeAxis->panBy(fraction);
        });
        connect(chart, &TimeChart::resetRequested, this, [this] {
            if (m_timeAxis)
                m_timeAxis->reset();
        });
        connect(chart, &TimeChart::hovered, this, [this, kind, chart](double t, const QPoint &pos) {
            if (m_timeAxis)
                showCrosshair(kind, t, chart, pos.x());
        });
        connect(chart, &TimeChart::hoverLeft, this, [this, chart] {
            if (m_crosshair && m_crosshair->anchor == chart)
                hideCrosshair();
        });
        connect(chart, &TimeChart::legendEntryClicked, this, [this, kind](const QString &name) {
            setSeriesHidden(kind, name, !seriesHidden(kind, name));
        });
        connect(chart, &TimeChart::contextMenuRequested, this,
            [this, kind, chart](const QPoint &pos) { showChartMenu(kind, chart, pos); });
    }
}

void ComparisonView::showChartMenu(ChartKind kind, TimeChart *chart, const QPoint &globalPos)
{
    QMenu menu(this);
    QAction *fix = menu.addAction(QStringLiteral("Fix y range..."));
    QAction *automatic = menu.addAction(QStringLiteral("Auto y range"));
    automatic->setEnabled(fixedYRange(kind).has_value());
    if (!m_chartMenuActions.isEmpty()) {
        menu.addSeparator();
        menu.addActions(m_chartMenuActions);
    }
    QAction *chosen = menu.exec(globalPos);
    if (chosen == fix)
        askFixedYRange(kind, chart);
    else if (chosen == automatic)
        clearFixedYRange(kind);
}

void ComparisonView::askFixedYRange(ChartKind kind, TimeChart *chart)
{
    static const char *const kNames[kChartKinds] = {"request rate", "latency", "pods"};
    const QString name = QString::fromLatin1(kNames[static_cast<int>(kind)]);
    QDialog dialog(this);
    dialog.setWindowTitle(QStringLiteral("Fix y range: ") + name);
    dialog.setMinimumWidth(320);
    auto *form = new QFormLayout(&dialog);
    const auto spin = [&](double value) {
        auto *box = new QDoubleSpinBox(&dialog);
        box->setRange(-1e9, 1e9);
        box->setDecimals(2);
        box->setValue(value);
        return box;
    };
    QDoubleSpinBox *from = spin(chart->yMin());
    QDoubleSpinBox *to = spin(chart->yMax());
    auto *note = new QLabel(QStringLiteral("The ") + name
            + QStringLiteral(" chart of every lane keeps this y range, whatever the data, until "
                             "Auto y range in the chart's menu."),
        &dialog);
    note->setWordWrap(true);
    form->addRow(note);
    form->addRow(QStringLiteral("From"), from);
    form->addRow(QStringLiteral("To"), to);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    const auto check
        = [&] { buttons->button(QDialogButtonBox::Ok)->setEnabled(to->value() > from->value()); };
    connect(from, &QDoubleSpinBox::valueChanged, &dialog, check);
    connect(to, &QDoubleSpinBox::valueChanged, &dialog, check);
    if (dialog.exec() == QDialog::Accepted)
        setFixedYRange(kind, from->value(), to->value());
}

void ComparisonView::setLockY(bool locked)
{
    if (m_lockY == locked)
        return;
    m_lockY = locked;
    Q_EMIT yRangesChanged();
}

void ComparisonView::setFixedYRange(ChartKind kind, double min, double max)
{
    if (!std::isfinite(min) || !std::isfinite(max) || !(max > min))
        return;
    m_fixed[static_cast<std::size_t>(kind)] = FixedYRange {min, max};
    Q_EMIT yRangesChanged();
}

void ComparisonView::clearFixedYRange(ChartKind kind)
{
    auto &fixed = m_fixed[static_cast<std::size_t>(kind)];
    if (!fixed)
        return;
    fixed.reset();
    Q_EMIT yRangesChanged();
}

std::optional<FixedYRange> ComparisonView::fixedYRange(ChartKind kind) const
{
    return m_fixed[static_cast<std::size_t>(kind)];
}

void ComparisonView::setSeriesHidden(ChartKind kind, const QString &name, bool hidden)
{
    QStringList &names = m_hidden[static_cast<std::size_t>(kind)];
    if (names.contains(name) == hidden)
        return;
    if (hidden)
        names.append(name);
    else
        names.removeAll(name);
    qCDebug(lcUi) << (hidden ? "hiding" : "showing") << name << "in every lane";
    for (LaneColumn *column : m_columns)
        column->setSeriesHidden(kind, name, hidden);
    Q_EMIT yRangesChanged(); // the y axes leave out what is hidden: the owner redraws
}

bool ComparisonView::seriesHidden(ChartKind kind, const QString &name) const
{
    return m_hidden[static_cast<std::size_t>(kind)].contains(name);
}

void ComparisonView::applyHiddenSeries()
{
    for (int k = 0; k < kChartKinds; ++k) {
        const auto kind = static_cast<ChartKind>(k);
        for (const QString &name : m_hidden[static_cast<std::size_t>(k)]) {
            for (LaneColumn *column : m_columns)
                column->setSeriesHidden(kind, name, true);
        }
    }
}

// A forecasting lane's rate legend has more entries: every lane's chart of that kind shows
// its stats in the same form (the plainest any of them needs: the lanes read alike) and
// reserves as many rows, so the plots side by side stay the same height.
void ComparisonView::alignHeaders()
{
    if (m_columns.empty())
        return;
    const qsizetype kinds = m_columns.front()->charts().size();
    for (qsizetype k = 0; k < kinds; ++k) {
        TimeChart::LegendForm form = TimeChart::LegendForm::Full;
        for (LaneColumn *column : m_columns)
            form = std::max(form, column->charts().at(k)->naturalLegendForm());
        for (LaneColumn *column : m_columns)
            column->charts().at(k)->setLegendFormCap(form);
        int rows = 1;
        for (LaneColumn *column : m_columns)
            rows = std::max(rows, column->charts().at(k)->headerRows());
        for (LaneColumn *column : m_columns)
            column->charts().at(k)->setMinHeaderRows(rows);
    }
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
