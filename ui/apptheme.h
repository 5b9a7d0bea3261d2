#pragma once

#include <QPalette>
#include <QString>
#include <optional>

namespace headroom::ui {

// The dashboard's colours: the desktop's (System), or Fusion with our light or dark palette.
// Exports are always light, whatever the dashboard shows.
enum class AppTheme { System, Light, Dark };

// Where QSettings keeps the window, recent files and theme: ~/.config/headroom/headroom.conf.
// (Not QSettings() with an organization name: that would move the data folder too.)
inline QString settingsOrganization() { return QStringLiteral("headroom"); }
inline QString settingsApplication() { return QStringLiteral("headroom"); }

// "system", "light" or "dark"; nothing for anything else.
QString appThemeName(AppTheme theme);
std::optional<AppTheme> parseAppTheme(const QString &name);
// Call after the QApplication exists, first before the first window; later calls switch the
// running application (System goes back to the style and palette it started with).
void applyAppTheme(AppTheme theme);
QPalette darkPalette();
QPalette lightPalette();

// Drops the offscreen platform's "This plugin does not support ..." warnings (window
// hints it has no window for), which every headless export printed, and Qt's note that
// XDG_RUNTIME_DIR is unset; other messages go on to the handler there was. Call before
// the QApplication is built (with QT_QPA_PLATFORM=offscreen), or after.
void muteOffscreenPlatformNotices();

} // namespace headroom::ui
