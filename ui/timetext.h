#pragma once

#include <QString>

// The run's clock as the dashboard writes it, in one form wherever it shows: the axis, the
// events, the crosshair readout and the status bar.

namespace headroom::ui {

// "42 s" under an hour, "1:02:03" beyond.
QString eventTimeText(double s);
// "0:00:42", "1:06:32": always hours, minutes and seconds; past a day the days first,
// "12d 19:44:08" (not "307:44:08").
QString clockTimeText(double s);
// The same without the seconds when `withSeconds` is false: "10:40", "12d 19:40". With
// `withDays`, the days even under a day ("0d 23:00"): an axis across a day's end reads alike.
QString clockText(double s, bool withSeconds, bool withDays = false);
// A run's progress for the status bar: "18 s / 60 s" for a run under an hour, both as clocks
// beyond ("12d 19:44:08 / 27d 13:32:00"), so the two read alike at a glance.
QString progressText(double nowS, double durationS);

} // namespace headroom::ui
