#include "timetext.h"

#include <algorithm>
#include <cmath>

namespace headroom::ui {

QString eventTimeText(double s)
{
    if (s < 3600.0)
        return QString::number(s, 'f', 0) + QStringLiteral(" s");
    return clockTimeText(s);
}

QString progressText(double nowS, double durationS)
{
    if (std::max(nowS, durationS) < 3600.0)
        return QString::number(nowS, 'f', 0) + QStringLiteral(" s / ")
            + QString::number(durationS, 'f', 0) + QStringLiteral(" s");
    return clockTimeText(nowS) + QStringLiteral(" / ") + clockTimeText(durationS);
}

QString clockTimeText(double s)
{
    return clockText(s, true);
}

QString clockText(double s, bool withSeconds, bool withDays)
{
    constexpr long long kDay = 86400;
    const long long total = std::llround(std::max(s, 0.0));
    QString text = total >= kDay || withDays
        ? QStringLiteral("%1d %2").arg(total / kDay).arg(total % kDay / 3600, 2, 10, QLatin1Char('0'))
        : QString::number(total / 3600);
    text += QStringLiteral(":%1").arg(total / 60 % 60, 2, 10, QLatin1Char('0'));
    if (withSeconds)
        text += QStringLiteral(":%1").arg(total % 60, 2, 10, QLatin1Char('0'));
    return text;
}

} // namespace headroom::ui
