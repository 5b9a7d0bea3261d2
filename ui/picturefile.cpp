#include "picturefile.h"

#include <QCoreApplication>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QBuffer>
#include <QFont>
#include <QFontInfo>
#include <QHash>
#include <QRegularExpression>
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

// Painter coordinates of a PDF page: one unit is a screen pixel (1/96 in), as in the widgets.
constexpr int kPdfResolution = 96;
constexpr qreal kPdfMarginMm = 10.0;

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

// QSvgGenerator names a font as Qt asked for it ("Sans Serif", Qt's own alias), which no
// browser knows: they drew the whole chart in a serif face, its legends out of line. Each
// family becomes the one Qt drew with, then a generic family as the fallback.
QByteArray withRealFontFamilies(const QByteArray &svg)
{
    static const QRegularExpression family(QStringLiteral("font-family=\"([^\"]*)\""));
    QString text = QString::fromUtf8(svg);
    QHash<QString, QString> replaced;
    QRegularExpressionMatchIterator it = family.globalMatch(text);
    while (it.hasNext()) {
        const QString name = it.next().captured(1);
        if (replaced.contains(name))
            continue;
        const QString real = QFontInfo(QFont(name)).family();
        const QFont::StyleHint hint = QFont(name).styleHint();
        const QString generic = hint == QFont::Serif ? QStringLiteral("serif")
            : hint == QFont::Monospace || hint == QFont::TypeWriter ? QStringLiteral("monospace")
                                                                     : QStringLiteral("sans-serif");
        replaced.insert(name, real.toHtmlEscaped() + QStringLiteral(", ") + generic);
    }
    for (auto r = replaced.cbegin(); r != replaced.cend(); ++r)
        text.replace(QStringLiteral("font-family=\"") + r.key() + QLatin1Char('"'),
                     QStringLiteral("font-family=\"") + r.value() + QLatin1Char('"'));
    return text.toUtf8();
}

// QSvgGenerator gives the page's size in millimetres at 72 dots an inch: a 1600 px chart
// opened 564 mm wide, a third larger than drawn. In CSS pixels it opens at its own size.
QByteArray withPixelSize(const QByteArray &svg, QSize size)
{
    static const QRegularExpression page(QStringLiteral("<svg width=\"[^\"]*\" height=\"[^\"]*\""));
    QString text = QString::fromUtf8(svg);
    const QRegularExpressionMatch m = page.match(text);
    if (m.hasMatch())
        text.replace(m.capturedStart(), m.capturedLength(),
            QStringLiteral("<svg width=\"%1\" height=\"%2\"").arg(size.width()).arg(size.height()));
    return text.toUtf8();
}

// XML 1.0 has no place for control characters other than tab and line breaks, escaped or not:
// a scenario named with U+0001 made a file no XML reader opens. They are dropped.
QByteArray withoutControlCharacters(QByteArray svg)
{
    svg.removeIf([](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20 && c != '\t' && c != '\n' && c != '\r';
    });
    return svg;
}

bool saveSvg(const QString &path, QSize size, const QString &title, const QString &description,
             const std::function<void(QPainter &)> &paint, QString *error)
{
    QSaveFile file(path);
    if (!open(file, path, error))
        return false;
    QBuffer svg; // written whole, then its font names made ones a browser knows
    svg.open(QIODevice::WriteOnly);
    QSvgGenerator generator;
    generator.setOutputDevice(&svg);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    // Qt writes both into <title> and <desc> as they are: a scenario named "Spike & ramp"
    // made the file unreadable, and one named "<script>..." ran in a browser.
    generator.setTitle(title.toHtmlEscaped());
    generator.setDescription(description.toHtmlEscaped());
    QPainter painter;
    if (!painter.begin(&generator)) {
        file.cancelWriting();
        return fail(QStringLiteral("cannot start SVG output for ") + path, error);
    }
    paint(painter);
    painter.end();
    file.write(withoutControlCharacters(withPixelSize(withRealFontFamilies(svg.data()), size)));
    return commit(file, path, error);
}

bool savePdf(const QString &path, const QPageSize &pageSize, const QString &title,
    const std::function<bool(QPainter &, const QRectF &page, int index)> &paint, QString *error)
{
    QSaveFile file(path);
    if (!open(file, path, error))
        return false;
    QPdfWriter writer(&file);
    writer.setResolution(kPdfResolution);
    writer.setPageLayout(QPageLayout(pageSize, QPageLayout::Landscape,
        QMarginsF(kPdfMarginMm, kPdfMarginMm, kPdfMarginMm, kPdfMarginMm),
        QPageLayout::Millimeter));
    writer.setTitle(title);
    writer.setCreator(QCoreApplication::applicationName().isEmpty()
            ? QStringLiteral("Headroom")
            : QCoreApplication::applicationName());
    QPainter painter;
    if (!painter.begin(&writer)) {
        file.cancelWriting();
        return fail(QStringLiteral("cannot start PDF output for ") + path, error);
    }
    const QRectF page(QPointF(0, 0), writer.pageLayout().paintRectPixels(kPdfResolution).size());
    for (int index = 0; paint(painter, page, index); ++index)
        writer.newPage();
    painter.end();
    return commit(file, path, error);
}

bool saveText(const QString &path, const QByteArray &text, QString *error)
{
    QSaveFile file(path);
    if (!open(file, path, error))
        return false;
    if (file.write(text) != text.size()) {
        file.cancelWriting();
        return fail(
            QStringLiteral("cannot write ") + path + QStringLiteral(": ") + file.errorString(),
            error);
    }
    return commit(file, path, error);
}

bool saveText(const QString &path, const std::function<bool(QIODevice &)> &write, QString *error)
{
    QSaveFile file(path);
    if (!open(file, path, error))
        return false;
    if (!write(file)) {
        file.cancelWriting();
        return fail(
            QStringLiteral("cannot write ") + path + QStringLiteral(": ") + file.errorString(),
            error);
    }
    return commit(file, path, error);
}

} // namespace headroom::ui
