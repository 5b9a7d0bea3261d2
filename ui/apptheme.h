#pragma once

#include <QPalette>
#include <QString>
#include <optional>

namespace headroom::ui {

// The dashboard's colours: the desktop's (System), or Fusion with our light or dark palette.
// Exports are always light, whatever the dashboard shows.
enum class AppTheme { System, Light, Dark };

// "system", "light" or "dark"; nothing for anything else.
std::optional<AppTheme> parseAppTheme(const QString &name);
// Call after the QApplication exists and before the first window.
void applyAppTheme(AppTheme theme);
QPalette darkPalette();
QPalette lightPalette();

} // namespace headroom::ui
