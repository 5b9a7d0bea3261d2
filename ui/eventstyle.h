#pragma once

#include "metrics/lanesample.h"

#include <QColor>

namespace headroom::ui {

// How a lane event is marked on the charts; the events list uses the same colours.
// Region: a controller state span (e.g. KPA panic); FallbackRegion: a forecasting lane's
// span on its reactive fallback rule; NoDataRegion: a hole in the trace (load unknown),
// hatched rather than shaded.
enum class EventMark { Scale, Fallback, Condition, Region, FallbackRegion, NoDataRegion, Spike, Note, Other };

EventMark eventMark(const metrics::LaneEvent &event);
// Opaque; charts add their own transparency. `dark`: the variant that reads on a dark background.
QColor eventColor(EventMark mark, bool dark = false);
// The opacity charts draw a mark with: shaded spans let the lines show through.
int eventAlpha(EventMark mark);
// The colour at its chart opacity.
QColor eventMarkColor(EventMark mark, bool dark);
// The shade over the SLO line for the seconds a lane's p95 latency was above it, at its chart
// opacity: a red, apart from the violet of a controller state (KPA panic) shaded full height.
QColor sloBreachColor(bool dark);
// The same for a band that merges breaches too close to draw apart, where only `share` of its
// seconds were over the SLO (sparseShade).
QColor sloBreachColor(bool dark, double share);
// A shade for a band that merges spans too close to draw apart, of which only `share` of the
// seconds were in the state: fainter as the spans are sparser, so that a few scattered seconds
// in a month do not read as a month in that state. Never fainter than a third.
QColor sparseShade(QColor color, double share);

} // namespace headroom::ui
