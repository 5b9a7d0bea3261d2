#pragma once

#include "comparisonexport.h"
#include "timechart.h"

#include <QStringList>
#include <QWidget>
#include <array>
#include <optional>

class QLabel;

namespace headroom::ui {

// A lane's charts, in the order LaneColumn::charts() lists them.
enum class ChartKind { Rate = 0, Latency = 1, Pods = 2 };
constexpr int kChartKinds = 3;

// The y ranges of a lane's charts: shared by every lane (locked), so columns compare at a
// glance, or the lane's own.
struct ChartScales
{
    double rateMax = 1.0;
    double latencyMaxMs = 1.0;
    double podsMax = 1.0;
    // By ChartKind: a fixed range wins over the maxima above.
    std::array<std::optional<FixedYRange>, kChartKinds> fixed;
    // By ChartKind: the most y intervals (0: what each chart's height fits). Lanes on one
    // scale take the least of theirs, so that one lane's shorter chart (a legend of two
    // rows) does not tick 0-750 beside the others' 0-800.
    std::array<int, kChartKinds> yTicks {};
    bool operator==(const ChartScales &) const = default;
};

// Series the user hid, by ChartKind, named as in the legend ("p95", "arrivals/s").
using HiddenSeries = std::array<QStringList, kChartKinds>;

// Whether `name` is a legend entry of that kind of chart in some lane (what can be hidden):
// "arrivals/s", "p95", "load", ... and the forecasting lanes' "p90 forecast N s ahead".
bool isLegendName(ChartKind kind, const QString &name);

// The largest value each chart shows over [x0, x1], across all lanes. Forecasts count up to
// 1.5 times the largest observed rate: a wild one runs off the top instead of flattening
// every lane's rates. Hidden series do not count: hiding a tall line zooms in on the others.
ChartScales lockedScales(
    const ComparisonData &data, double x0, double x1, const HiddenSeries &hidden = {});
// The same for one lane alone (the y axes unlocked).
ChartScales laneScales(const ComparisonData &data, const ComparisonData::Lane &lane, double x0,
    double x1, const HiddenSeries &hidden = {});

// How far past `nowS` the live time axis reaches so a forecasting lane's band shows: a third
// of the time so far, at least the horizon the lanes decide on and 30 s, at most the
// forecast's 180 s. 0 when no lane has a forecast to draw.
double forecastLookaheadS(const ComparisonData &data, double nowS);

// What the crosshair reads at one time for one kind of chart: every series of that chart in
// every lane, from the sample of the second at or before the time (the values drawn, not an
// interpolation between them), and each lane's difference from the reference lane.
struct CrosshairReadout
{
    struct Row
    {
        QString series;                // "p95"
        std::vector<double> values;    // by lane; NaN: no value there
        std::vector<double> diffs;     // by lane, value minus the reference lane's; NaN: none
        int decimals = 1;              // as printed
    };
    ChartKind kind = ChartKind::Rate;
    double tS = 0.0;                   // the cursor's time
    double sampleS = 0.0;              // the second read (the cursor's time, floored)
    QStringList lanes;                 // lane names, in column order
    int reference = 0;                 // the lane differences are taken from
    QString unit;                      // "req/s", "ms", "pods"
    std::vector<Row> rows;
};

// The readout at `tS`: the reference is the clairvoyant lane when there is one (what a
// perfect forecast would have done), else the first lane. A lane without a sample for that
// second (before its first, after its latest) reads NaN.
CrosshairReadout crosshairReadout(const ComparisonData &data, ChartKind kind, double tS);
// The readout as rich text: a small table, series down, lanes across, "—" for NaN.
QString crosshairReadoutHtml(const CrosshairReadout &readout, bool dark);
// A value as the readout prints it: "—" for NaN, else a few significant digits.
QString readoutNumber(double value, int decimals);

// One controller's column: a heading, then request rate, latency and pods
// stacked on one time axis.
class LaneColumn : public QWidget
{
    Q_OBJECT

public:
    explicit LaneColumn(const QString &controller, QWidget *parent = nullptr);

    void setTheme(TimeChart::Theme theme);
    void showLane(const ComparisonData &data, const ComparisonData::Lane &lane, double x0,
        double x1, const ChartScales &scales);
    // The heading alone (availability, the fallback note): for a redraw whose charts have
    // nothing new to show.
    void showAvailability(const ComparisonData &data, const ComparisonData::Lane &lane);
    QList<TimeChart *> charts() const;
    TimeChart *chart(ChartKind kind) const;
    // Hides a series of one chart (by its legend name) or shows it again, with whatever draws
    // as part of it (a forecast band's middle line). It stays so across redraws.
    void setSeriesHidden(ChartKind kind, const QString &name, bool hidden);

private:
    void setupHeading(const QString &controller);
    void setupCharts();
    void showRates(const ComparisonData::Lane &lane, double x0, double x1, int buckets);
    void declareForecast();
    void showForecast(const ComparisonData::Lane &lane, double x0, double x1, int buckets);
    void showLatency(const ComparisonData &data, const ComparisonData::Lane &lane, double x0,
        double x1, int buckets);
    void showPods(const ComparisonData &data, const ComparisonData::Lane &lane, double x0,
        double x1, int buckets);
    void showMarkers(
        const ComparisonData &data, const ComparisonData::Lane &lane, double x0, double x1);
    void showBreaches(const ComparisonData &data, const ComparisonData::Lane &lane, double x0,
        double x1, double minGap);
    void showStats(
        const ComparisonData &data, const ComparisonData::Lane &lane, double x0, double x1);

    QLabel *m_heading = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_fallback = nullptr; // why the lane runs its reactive fallback, while it does
    TimeChart *m_rate = nullptr;
    TimeChart *m_latency = nullptr;
    TimeChart *m_pods = nullptr;
    bool m_forecastDeclared = false; // the rate chart's forecast entries exist
};

} // namespace headroom::ui
