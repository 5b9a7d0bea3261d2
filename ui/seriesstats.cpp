#include "seriesstats.h"

namespace headroom::ui {

SeriesStats seriesStats(std::vector<double> values)
{
    SeriesStats stats;
    const auto end
        = std::remove_if(values.begin(), values.end(), [](double v) { return !std::isfinite(v); });
    values.erase(end, values.end());
    if (values.empty())
        return stats;

    stats.count = static_cast<int>(values.size());
    stats.last = values.back();
    const auto [min, max] = std::minmax_element(values.begin(), values.end());
    stats.min = *min;
    stats.max = *max;
    // The tolerance keeps 0.95 * 20 at 19, not 19.000000000000004 rounded up to 20.
    const auto rank = static_cast<std::ptrdiff_t>(std::ceil(0.95 * stats.count - 1e-9));
    const auto p95 = values.begin() + std::max<std::ptrdiff_t>(rank, 1) - 1;
    std::nth_element(values.begin(), p95, values.end());
    stats.p95 = *p95;
    return stats;
}

QString statNumber(double value, int decimals)
{
    if (!std::isfinite(value))
        return QStringLiteral("\u2014");
    const double magnitude = std::abs(value);
    if (magnitude >= 10000.0)
        return QString::number(value / 1000.0, 'f', magnitude >= 100000.0 ? 0 : 1)
            + QLatin1Char('k');
    if (magnitude >= 100.0)
        decimals = 0;
    const double scale = std::pow(10.0, decimals);
    const double rounded = std::round(value * scale) / scale;
    QString text = QString::number(rounded == 0.0 ? 0.0 : rounded, 'f', decimals); // never "-0"
    if (text.contains(QLatin1Char('.'))) {
        while (text.endsWith(QLatin1Char('0')))
            text.chop(1);
        if (text.endsWith(QLatin1Char('.')))
            text.chop(1);
    }
    return text;
}

QString statsText(const SeriesStats &stats, int decimals)
{
    if (stats.count == 0)
        return QStringLiteral("no data");
    const QString dot = QStringLiteral(" \u00b7 ");
    return QStringLiteral("last ") + statNumber(stats.last, decimals) + dot + QStringLiteral("min ")
        + statNumber(stats.min, decimals) + dot + QStringLiteral("max ")
        + statNumber(stats.max, decimals) + dot + QStringLiteral("p95 ")
        + statNumber(stats.p95, decimals);
}

QString compactStatsText(const SeriesStats &stats, int decimals)
{
    if (stats.count == 0)
        return QStringLiteral("no data");
    return statNumber(stats.last, decimals) + QStringLiteral(" (") + statNumber(stats.min, decimals)
        + QStringLiteral("\u2013") + statNumber(stats.max, decimals) + QStringLiteral(", p95 ")
        + statNumber(stats.p95, decimals) + QLatin1Char(')');
}

} // namespace headroom::ui
