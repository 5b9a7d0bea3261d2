#include "apptheme.h"

#include "comparisonview.h"

#include <QApplication>
#include <QGuiApplication>
#include <QStyle>
#include <QStyleFactory>

#include <cstdio>

namespace headroom::ui {

namespace {

void setDisabledText(QPalette &p, const QColor &color)
{
    for (QPalette::ColorRole role : {QPalette::WindowText, QPalette::Text, QPalette::ButtonText})
        p.setColor(QPalette::Disabled, role, color);
}

} // namespace

std::optional<AppTheme> parseAppTheme(const QString &name)
{
    if (name == QStringLiteral("system"))
        return AppTheme::System;
    if (name == QStringLiteral("light"))
        return AppTheme::Light;
    if (name == QStringLiteral("dark"))
        return AppTheme::Dark;
    return std::nullopt;
}

QString appThemeName(AppTheme theme)
{
    switch (theme) {
    case AppTheme::Light:
        return QStringLiteral("light");
    case AppTheme::Dark:
        return QStringLiteral("dark");
    case AppTheme::System:
        break;
    }
    return QStringLiteral("system");
}

void applyAppTheme(AppTheme theme)
{
    // The desktop's own look, kept from the first call (before any change) to go back to.
    static const QString systemStyle = QApplication::style()->name();
    static const QPalette systemPalette = QApplication::palette();
    if (theme == AppTheme::System) {
        if (QApplication::style()->name() != systemStyle) {
            QApplication::setStyle(QStyleFactory::create(systemStyle));
            QApplication::setPalette(systemPalette);
        }
        return;
    }
    // Fusion draws from the palette alone; native styles may ignore parts of it.
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QApplication::setPalette(theme == AppTheme::Dark ? darkPalette() : lightPalette());
}

QPalette lightPalette()
{
    // The export palette, plus what a window with controls needs: disabled text, selection.
    QPalette p = ComparisonView::lightPalette();
    p.setColor(QPalette::Light, Qt::white);
    p.setColor(QPalette::Midlight, QColor(0xe3, 0xe3, 0xe3));
    p.setColor(QPalette::Shadow, QColor(0x76, 0x76, 0x76));
    p.setColor(QPalette::Highlight, QColor(0x30, 0x8c, 0xc6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::ToolTipBase, QColor(0xff, 0xff, 0xdc));
    p.setColor(QPalette::ToolTipText, Qt::black);
    setDisabledText(p, QColor(0x9a, 0x9a, 0x9a));
    return p;
}

QPalette darkPalette()
{
    const QColor text(0xe6, 0xe6, 0xe6);
    const QColor disabled(0x80, 0x80, 0x80);
    QPalette p;
    p.setColor(QPalette::Window, QColor(0x2b, 0x2d, 0x31));
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, QColor(0x1f, 0x20, 0x24));
    p.setColor(QPalette::AlternateBase, QColor(0x2a, 0x2c, 0x31));
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x37, 0x39, 0x3e));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x7b, 0x6b));
    p.setColor(QPalette::Light, QColor(0x4a, 0x4c, 0x52));
    p.setColor(QPalette::Midlight, QColor(0x40, 0x42, 0x48));
    p.setColor(QPalette::Mid, QColor(0x30, 0x32, 0x36));
    p.setColor(QPalette::Dark, QColor(0x1a, 0x1b, 0x1e));
    p.setColor(QPalette::Shadow, QColor(0x10, 0x10, 0x12));
    p.setColor(QPalette::Highlight, QColor(0x3a, 0x7b, 0xd5));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6c, 0xb4, 0xff));
    p.setColor(QPalette::ToolTipBase, QColor(0x3a, 0x3c, 0x42));
    p.setColor(QPalette::ToolTipText, QColor(0xf0, 0xf0, 0xf0));
    p.setColor(QPalette::PlaceholderText, QColor(0xa8, 0xa8, 0xa8));
    setDisabledText(p, disabled);
    return p;
}

namespace {

QtMessageHandler g_previousHandler = nullptr;

void dropPlatformNotices(QtMsgType type, const QMessageLogContext &context, const QString &text)
{
    if (type == QtWarningMsg && text.startsWith(QLatin1String("This plugin does not support ")))
        return;
    // Headless, no session: Qt falls back to a folder of its own, and nothing here needs one.
    if (type == QtWarningMsg && text.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR not set")))
        return;
    if (g_previousHandler)
        g_previousHandler(type, context, text);
    else
        std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, text)));
}

} // namespace

void muteOffscreenPlatformNotices()
{
    // Before the application exists (the notices come while it is built), the platform is
    // the one asked for.
    const QString platform = QGuiApplication::instance()
        ? QGuiApplication::platformName()
        : qEnvironmentVariable("QT_QPA_PLATFORM");
    if (platform != QLatin1String("offscreen"))
        return;
    static bool installed = false;
    if (!installed)
        g_previousHandler = qInstallMessageHandler(dropPlatformNotices);
    installed = true;
}

} // namespace headroom::ui
