#pragma once

#include <QImage>
#include <QPageSize>
#include <QRectF>
#include <QSize>
#include <QString>
#include <functional>

class QIODevice;
class QPainter;

namespace headroom::ui {

// Pictures written whole or not at all (through QSaveFile): a failed export
// leaves no half file. On failure they return false and set `error` naming the path.
bool savePng(const QImage &image, const QString &path, QString *error);
// `paint` draws into a `size` canvas; the SVG's viewBox is that canvas.
bool saveSvg(const QString &path, QSize size, const QString &title, const QString &description,
             const std::function<void(QPainter &)> &paint, QString *error);
// A landscape PDF. `paint` draws page `index` (from 0) into `page`, the printable area inside
// 10 mm margins, and returns true while more pages follow. Painter coordinates are at 96 dpi,
// so widgets and fonts come out at the size they have on screen, only scaled.
bool savePdf(const QString &path, const QPageSize &pageSize, const QString &title,
    const std::function<bool(QPainter &, const QRectF &page, int index)> &paint, QString *error);
// Text files (CSV, HTML) get the same all-or-nothing write.
bool saveText(const QString &path, const QByteArray &text, QString *error);
// The same for a text `write` streams to the file (a month's samples are hundreds of megabytes,
// never held whole): its false is a failed write.
bool saveText(const QString &path, const std::function<bool(QIODevice &)> &write, QString *error);

} // namespace headroom::ui
