#pragma once

#include "io/sweepreport.h"

#include <QImage>
#include <QSize>
#include <QString>

class QPainter;
class QRectF;

namespace headroom::ui {

// A sweep's comparison for one source: mean SLO violations and mean pod-seconds per
// controller, as bars with 95 % interval whiskers. The two means have different
// units, so each gets its own panel and axis, with the controllers grouped alike.
// Drawn with QPainter alone (no Qt Charts), so PNG and SVG are the same picture.
void paintSweepChart(QPainter &painter, const io::SourceStats &source, const QRectF &rect);

// Default picture size in device-independent pixels.
QSize sweepChartSize(const io::SourceStats &source);

QImage renderSweepChart(const io::SourceStats &source, QSize logicalSize, qreal devicePixelRatio);

// Return false and set `error` (naming the path) when the file cannot be written.
bool exportSweepChartPng(const io::SourceStats &source, const QString &path, QString *error);
bool exportSweepChartSvg(const io::SourceStats &source, const QString &path, QString *error);

} // namespace headroom::ui
