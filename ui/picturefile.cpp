#include "picturefile.h"

#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>

namespace headroom::ui {

namespace {

bool fail(const QString &problem, QString *error)
{
    if (error)
        *error = problem;
    return false;
}

bool open(QSaveFile &file, const QString &path, QString *error)
{
    return file.open(QIODevice::WriteOnly)
        || fail(QStringLiteral("cannot write ") + path + QStringLiteral(": ") + file.errorString(),
                error);
}

bool commit(QSaveFile &file, const QString &path, QString *error)
{
    return file.commit()
        || fail(QStringLiteral("cannot write ") + path + QStringLiteral(": ") + file.errorString(),
                error);
}

} // namespace

bool savePng(const QImage &image, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!open(file, path, error))
        return false;
    if (!image.save(&file, "PNG")) {
        file.cancelWriting();
        return fail(QStringLiteral("cannot encode PNG for ") + path, error);
    }
    return commit(file, path, error);
}

bool saveSvg(const QString &path, QSize size, const QString &title, const QString &description,
             const std::function<void(QPainter &)> &paint, QString *error)
{
    QSaveFile file(path);
    if (!open(file, path, error))
        return false;
    QSvgGenerator generator;
    generator.setOutputDevice(&file);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(title);
    generator.setDescription(description);
    QPainter painter;
    if (!painter.begin(&generator)) {
        file.cancelWriting();
        return fail(QStringLiteral("cannot start SVG output for ") + path, error);
    }
    paint(painter);
    painter.end();
    return commit(file, path, error);
}

} // namespace headroom::ui
