#include "linkedtimeaxis.h"

#include "timetext.h"

#include <algorithm>
#include <cmath>

namespace headroom::ui {

namespace {

// A window shows its last N seconds and at most this share of N ahead, for a forecast band.
constexpr double kWindowLookaheadShare = 1.0 / 3.0;

// Beyond this the time axis reads clock times, and so does a held range.
constexpr double kClockAfterS = 2.0 * 3600.0;

QString secondsText(double s)
{
    return QString::number(s, 'f', s < 10.0 ? 1 : 0) + QStringLiteral(" s");
}

} // namespace

LinkedTimeAxis::LinkedTimeAxis(QObject *parent)
    : QObject(parent)
{ }

void LinkedTimeAxis::setExtent(double nowS, double lookaheadS)
{
    m_nowS = std::max(nowS, 0.0);
    m_lookaheadS = std::max(lookaheadS, 0.0);
}

void LinkedTimeAxis::setRunLength(double seconds)
{
    m_runLengthS = seconds > 0.0 ? seconds : std::numeric_limits<double>::infinity();
}

void LinkedTimeAxis::setStart(double startS)
{
    m_startS = startS > 0.0 && std::isfinite(startS) ? startS : 0.0;
}

double LinkedTimeAxis::extentEnd() const
{
    return std::max(m_nowS + m_lookaheadS, std::min(m_startS + kMinExtentS, m_runLengthS));
}

double LinkedTimeAxis::x0() const
{
    if (!m_following)
        return m_heldX0;
    if (m_windowS == kWholeRun)
        return m_startS;
    return std::max(m_startS, m_nowS - m_windowS);
}

double LinkedTimeAxis::x1() const
{
    if (!m_following)
        return m_heldX1;
    if (m_windowS == kWholeRun)
        return extentEnd();
    // The last N seconds up to now (the first N seconds before there are N), then a little of
    // what lies ahead when a forecast needs it.
    return std::max(m_nowS, m_startS + m_windowS) + std::min(m_lookaheadS, m_windowS * kWindowLookaheadShare);
}

QString LinkedTimeAxis::describe() const
{
    if (m_following)
        return m_windowS == kWholeRun ? QStringLiteral("live, whole run")
                                      : QStringLiteral("live, last ") + windowText(m_windowS);
    // Past 2 h as the time axis reads then (timeUnitFor()): "held at 10:01:32 - 11:01:32",
    // not 5-digit second counts.
    const auto text = m_heldX1 > kClockAfterS ? clockTimeText : secondsText;
    return QStringLiteral("held at ") + text(m_heldX0) + QStringLiteral(" - ") + text(m_heldX1);
}

void LinkedTimeAxis::setWindow(double windowS)
{
    m_windowS = windowS > 0.0 && std::isfinite(windowS) ? windowS : kWholeRun;
    setFollowing(true);
    Q_EMIT rangeChanged();
}

void LinkedTimeAxis::followLive()
{
    setWindow(m_windowS);
}

void LinkedTimeAxis::hold()
{
    if (!m_following)
        return;
    holdAt(x0(), x1());
}

void LinkedTimeAxis::reset()
{
    setWindow(kWholeRun);
}

void LinkedTimeAxis::zoomTo(double t0, double t1)
{
    if (!std::isfinite(t0) || !std::isfinite(t1))
        return;
    holdAt(std::min(t0, t1), std::max(t0, t1));
}

void LinkedTimeAxis::zoomAt(double fraction, double factor)
{
    if (!std::isfinite(fraction) || !(factor > 0.0) || !std::isfinite(factor))
        return;
    fraction = std::clamp(fraction, 0.0, 1.0);
    const double a = x0();
    const double b = x1();
    const double anchor = a + fraction * (b - a);
    const double span = std::max((b - a) * factor, kMinSpanS);
    holdAt(anchor - fraction * span, anchor + (1.0 - fraction) * span);
}

void LinkedTimeAxis::panBy(double fraction)
{
    if (!std::isfinite(fraction) || fraction == 0.0)
        return;
    const double a = x0();
    const double b = x1();
    const double shift = fraction * (b - a);
    holdAt(a + shift, b + shift);
}

// Keeps the span where it can (a pan against an edge stops there, it does not squeeze) and
// the range inside [startS(), extentEnd()].
void LinkedTimeAxis::holdAt(double t0, double t1)
{
    const double end = std::max(extentEnd(), m_following ? x1() : m_heldX1);
    const double room = end - m_startS;
    double span = std::clamp(t1 - t0, std::min(kMinSpanS, room), room);
    const double middle = (t0 + t1) / 2.0;
    double a = middle - span / 2.0;
    // Keep the requested left edge exact when the span was not clamped (zoom anchors).
    if (std::abs(span - (t1 - t0)) < 1e-9)
        a = t0;
    a = std::clamp(a, m_startS, end - span);
    const bool changed = m_following || a != m_heldX0 || a + span != m_heldX1;
    m_heldX0 = a;
    m_heldX1 = a + span;
    setFollowing(false);
    if (changed)
        Q_EMIT rangeChanged();
}

void LinkedTimeAxis::setFollowing(bool following)
{
    if (m_following == following)
        return;
    m_following = following;
    Q_EMIT followingChanged(following);
}

QString windowText(double windowS)
{
    if (!(windowS > 0.0))
        return QStringLiteral("whole run");
    if (windowS >= 3600.0 && std::fmod(windowS, 3600.0) == 0.0)
        return QString::number(windowS / 3600.0) + QStringLiteral(" h");
    if (windowS >= 60.0 && std::fmod(windowS, 60.0) == 0.0)
        return QString::number(windowS / 60.0) + QStringLiteral(" min");
    return QString::number(windowS) + QStringLiteral(" s");
}

} // namespace headroom::ui
