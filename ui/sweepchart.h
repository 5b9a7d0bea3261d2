#pragma once

#include "io/sweepreport.h"

#include <QColor>
#include <QImage>
#include <QPointF>
#include <QSize>
#include <QString>
#include <QStringList>
#include <string>
#include <vector>

class QPainter;
class QRectF;

namespace headroom::ui {

// Where the trade-off panel drew a lane's means, for tests.
struct TradeoffMark
{
    std::string controller;
    QPointF at;
    QColor colour;
};

// A sweep's comparison for one source: mean SLO violations and mean pod-seconds per
// controller, as bars with 95 % interval whiskers. The two means have different
// units, so each gets its own panel and axis, with the controllers grouped alike.
// When the runs include the clairvoyant lane, a third panel under them plots each lane's
// cost ratio (pod-seconds over the clairvoyant lane's) against its SLO violations, with the
// cost target: the trade each lane made, and which lanes another beats on both.
// Drawn with QPainter alone (no Qt Charts), so PNG and SVG are the same picture.
void paintSweepChart(QPainter &painter, const io::SourceStats &source, const QRectF &rect,
    std::vector<TradeoffMark> *marks = nullptr);

// The tick labels of a bar panel's axis over values from `low` to `high`, as drawn.
QStringList sweepAxisLabels(double low, double high);

// Default picture size in device-independent pixels.
QSize sweepChartSize(const io::SourceStats &source);

QImage renderSweepChart(const io::SourceStats &source, QSize logicalSize, qreal devicePixelRatio);

// Return false and set `error` (naming the path) when the file cannot be written.
bool exportSweepChartPng(const io::SourceStats &source, const QString &path, QString *error);
bool exportSweepChartSvg(const io::SourceStats &source, const QString &path, QString *error);

} // namespace headroom::ui
