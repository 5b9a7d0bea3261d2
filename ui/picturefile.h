#pragma once

#include <QImage>
#include <QSize>
#include <QString>

#include <functional>

class QPainter;

namespace headroom::ui {

// Pictures written whole or not at all (through QSaveFile): a failed export
// leaves no half file. On failure they return false and set `error` naming the path.
bool savePng(const QImage &image, const QString &path, QString *error);
// `paint` draws into a `size` canvas; the SVG's viewBox is that canvas.
bool saveSvg(const QString &path, QSize size, const QString &title, const QString &description,
             const std::function<void(QPainter &)> &paint, QString *error);

} // namespace headroom::ui
