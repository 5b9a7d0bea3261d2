#pragma once

#include "metrics/lanecomparison.h"
#include "metrics/lanesample.h"
#include "runstate.h"

#include <QImage>
#include <QPageSize>
#include <QRectF>
#include <QSize>
#include <QString>
#include <QStringList>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

class QPainter;

namespace headroom::sim {
class Experiment;
struct ClusterConfig;
}

namespace headroom::ui {

// A y range the user fixed: drawn exactly, whatever the data.
struct FixedYRange
{
    double min = 0.0;
    double max = 1.0;
    bool operator==(const FixedYRange &) const = default;
};

// Everything a comparison picture shows, copied out of a run.
struct ComparisonData
{
    struct Lane
    {
        std::string controller;
        bool available = true;
        std::string unavailableReason;
        std::vector<metrics::LaneSample> samples;
        std::vector<metrics::LaneEvent> events;
        metrics::LaneSummary summary;
        // A forecasting lane's latest forecast while the run goes on: the band ahead of now.
        std::optional<metrics::ForecastCurve> forecastCurve;
    };
    // A spike (the scenario's own or an operator's), shaded on every chart.
    struct SpikeSpan
    {
        double startS = 0.0;
        double endS = 0.0;
        double multiplier = 1.0;
        std::string shape = "step"; // the operator's preset (traffic::SpikeShape by name)
    };
    std::string title; // e.g. "seed-spike, seed 1"
    RunState state = RunState::Ready;
    double sloLatencyMs = 500.0;
    double durationS = 0.0;
    std::vector<Lane> lanes;
    std::vector<SpikeSpan> spikes;
    // Operator notes: a time and a text, marked on every chart of every lane.
    struct Note
    {
        double tS = 0.0;
        std::string text;
    };
    std::vector<Note> notes;
    // The rules applied reading the source (rows sorted, holes kept, a slice taken), as
    // the trace reader states them: listed among the events at 0 s.
    std::vector<std::string> sourceNotes;
    // For the "load" line: the pods the current arrivals need.
    double serviceMeanS = 0.150;
    int podSlots = 1;
    // The cluster's most pods, every lane's cap: the summary notes a clairvoyant reference
    // held there while the load needed more. 0: not known (a recording from before).
    int maxReplicas = 0;
    // What drove the run, for the metadata of the CSV and the report.
    std::string source; // the arrivals in words, e.g. "scenario seed-spike: ..."
    std::uint64_t seed = 0; // none for a live run (0)
    // A live cluster's run (--server): one lane (a controller, or watch), no seed, joined with
    // requests already in flight; its maxReplicas and durationS grow to the pods and seconds
    // read (appendSnapshot), as the cluster is not bound by what the controller assumes.
    bool live = false;
    // The cluster settings that shape the numbers, as key and value ("slo_latency_ms", "500").
    std::vector<std::pair<std::string, std::string>> settings;
    // Series hidden in the legend, by legend name, per chart kind (rate, latency, pods):
    // the pictures leave them out as the dashboard does (the CSV keeps every column).
    std::array<QStringList, 3> hiddenSeries;
    // The y axes as the dashboard's view has them: Lock y (a kind of chart on one range in
    // every lane) and the ranges fixed with Fix y range..., per chart kind as above.
    bool lockY = true;
    std::array<std::optional<FixedYRange>, 3> fixedY;
};

ComparisonData comparisonFromExperiment(const sim::Experiment &experiment);
// Where the run's time axis begins: 0 s for a simulated run; a live cluster's when the
// dashboard began following it, a second before its first sample (which holds the second up
// to it): the seconds before were never read. Drawn from 0, a cluster joined at its 183 s
// left 92 % of each chart of a 15 s export blank (a new-user trial).
double startOfData(const ComparisonData &data);
// The same with the samples moved out of the experiment (Lane::takeSamples()), not copied:
// for a caller done with the run, which then holds a month's samples once.
ComparisonData takeComparison(sim::Experiment &experiment);
// What a reader of an export needs to redo the run, beyond its source and seed: the
// cluster's settings as key and value.
std::vector<std::pair<std::string, std::string>> clusterSettings(const sim::ClusterConfig &c);
// A live cluster's: what it publishes or was measured on it, and what the controller assumes
// (said so). Its queue, timeouts and pod start are the cluster's own and not known here.
std::vector<std::pair<std::string, std::string>> liveClusterSettings(const sim::ClusterConfig &c,
    bool sloPublished, double serviceMeanS, bool serviceMeasured);

// What the lanes are compared on (the dashboard's table, a recording's summaries): the SLO,
// the load line's service time and slots, the run's length, the reference lane and the cap.
metrics::ComparisonSettings comparisonSettings(const ComparisonData &data);
std::vector<metrics::SpikeWindow> spikeWindows(const ComparisonData &data);
// Every lane's comparison over the whole of `data`, as the summary table shows it at its end.
std::vector<metrics::LaneComparison> compareLanes(const ComparisonData &data);
// The same under other settings (a recording's, measured by an older rule).
std::vector<metrics::LaneComparison> compareLanes(const ComparisonData &data,
    const metrics::ComparisonSettings &settings);

// A picture size (device-independent pixels) where every lane's column stays legible:
// 1600x1000 up to 3 lanes, a column wider and a table row taller for each lane beyond.
QSize defaultExportSize(std::size_t lanes);

// The whole comparison (every lane's request-rate, latency and pod charts on
// one time axis, legends, axis titles, the summary) in a light theme.
// `logicalSize` in device-independent pixels; the image is logicalSize * dpr.
// Needs a QApplication (the offscreen platform will do).
QImage renderComparison(const ComparisonData &data, QSize logicalSize, qreal devicePixelRatio);

// Return false and set `error` (naming the path or the size) on failure;
// sizes QPainter cannot draw (over 32767 px a side) are refused.
bool exportComparisonPng(const ComparisonData &data, const QString &path, QSize logicalSize,
    qreal devicePixelRatio, QString *error);
bool exportComparisonSvg(
    const ComparisonData &data, const QString &path, QSize logicalSize, QString *error);
// Vector, on one landscape page (pdfPageSize()), the picture laid out at `logicalSize` and
// scaled to fit inside the margins.
bool exportComparisonPdf(
    const ComparisonData &data, const QString &path, QSize logicalSize, QString *error);
// A4 landscape up to 3 lanes, A3 landscape beyond: the text stays legible on paper.
QPageSize pdfPageSize(std::size_t lanes);
// Draws the comparison laid out at `logicalSize` into `target` (painter coordinates),
// scaled to fit and centred: the PDF page and the report's first page.
void paintComparison(
    const ComparisonData &data, QSize logicalSize, QPainter &painter, const QRectF &target);
// Checks the size as the PNG export does: empty or over 32767 px a side at `dpr` is refused,
// with `error` naming the size.
bool checkExportSize(QSize logicalSize, qreal dpr, QString *error);

} // namespace headroom::ui
