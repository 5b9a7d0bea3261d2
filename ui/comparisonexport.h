#pragma once

#include "metrics/lanesample.h"
#include "runstate.h"

#include <QImage>
#include <QSize>
#include <QString>
#include <optional>
#include <string>
#include <vector>

namespace headroom::sim {
class Experiment;
}

namespace headroom::ui {

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
    };
    std::string title; // e.g. "seed-spike, seed 1"
    RunState state = RunState::Ready;
    double sloLatencyMs = 500.0;
    double durationS = 0.0;
    std::vector<Lane> lanes;
    std::vector<SpikeSpan> spikes;
    // For the "load" line: the pods the current arrivals need.
    double serviceMeanS = 0.150;
    int podSlots = 1;
};

ComparisonData comparisonFromExperiment(const sim::Experiment &experiment);

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

} // namespace headroom::ui
