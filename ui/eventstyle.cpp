#include "eventstyle.h"

#include <algorithm>
#include <cmath>

namespace headroom::ui {

EventMark eventMark(const metrics::LaneEvent &event)
{
    if (event.region == "no data")
        return EventMark::NoDataRegion;
    if (!event.region.empty())
        return event.kind == "fallback" ? EventMark::FallbackRegion : EventMark::Region;
    if (event.kind == "scale")
        return EventMark::Scale;
    if (event.kind == "fallback")
        return EventMark::Fallback;
    if (event.kind == "condition")
        return EventMark::Condition;
    if (event.kind == "note")
        return EventMark::Note;
    return event.kind == "spike" ? EventMark::Spike : EventMark::Other;
}

QColor eventColor(EventMark mark, bool dark)
{
    // Okabe-Ito where it has a free hue; all but the purple read on light and dark backgrounds.
    switch (mark) {
    case EventMark::Scale:
        return dark ? QColor(0xb8, 0x8e, 0xe6) : QColor(0x7b, 0x3f, 0x9e);
    case EventMark::Fallback:
        return {0xd5, 0x5e, 0x00};
    case EventMark::FallbackRegion:
        // Slate grey, "the model is off": apart from the violet panic and the amber spike
        // shades that it often overlaps, and from the forecast band's sky blue.
        return dark ? QColor(0xa0, 0xae, 0xbc) : QColor(0x70, 0x80, 0x90);
    case EventMark::NoDataRegion:
        // Neutral: nothing is known there, so no hue that means a state or a load.
        return dark ? QColor(0xc8, 0xc8, 0xc8) : QColor(0x50, 0x50, 0x50);
    case EventMark::Condition:
        return {0x3a, 0x9a, 0xd9};
    case EventMark::Region:
        // Blue-violet, a controller's own state: a cool hue apart from the red of p95 over
        // the SLO, which it often overlaps (KPA panics as latency climbs), and the amber spike.
        return dark ? QColor(0x9d, 0x8c, 0xff) : QColor(0x6a, 0x5a, 0xcd);
    case EventMark::Spike:
        return {0xe6, 0x9f, 0x00};
    case EventMark::Note:
        // Bluish green: the operator's own mark, apart from every controller's.
        return dark ? QColor(0x3f, 0xd0, 0xa0) : QColor(0x00, 0x9e, 0x73);
    case EventMark::Other:
        break;
    }
    return {0x80, 0x80, 0x80};
}

int eventAlpha(EventMark mark)
{
    switch (mark) {
    case EventMark::Scale:
        return 170;
    case EventMark::Region:
        return 56;
    case EventMark::FallbackRegion:
        return 64;
    case EventMark::NoDataRegion:
        return 110; // drawn as thin hatching lines, not a fill
    case EventMark::Spike:
        return 60;
    case EventMark::Fallback:
    case EventMark::Condition:
    case EventMark::Note:
    case EventMark::Other:
        break;
    }
    return 230;
}

QColor eventMarkColor(EventMark mark, bool dark)
{
    QColor color = eventColor(mark, dark);
    color.setAlpha(eventAlpha(mark));
    return color;
}

QColor sloBreachColor(bool dark)
{
    // The dark background swallows a deep red: a lighter, denser one reads the same there.
    return dark ? QColor(0xff, 0x5c, 0x5c, 75) : QColor(0xe0, 0x1e, 0x37, 48);
}

QColor sloBreachColor(bool dark, double share)
{
    return sparseShade(sloBreachColor(dark), share);
}

QColor sparseShade(QColor color, double share)
{
    // The square root: a tenth of the seconds still reads as a third of the shade.
    const double weight = std::clamp(std::sqrt(std::isfinite(share) ? share : 1.0), 1.0 / 3.0, 1.0);
    color.setAlpha(static_cast<int>(std::lround(color.alpha() * weight)));
    return color;
}

} // namespace headroom::ui
