#pragma once

#include "comparisonexport.h"

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <optional>
#include <utility>
#include <vector>

namespace headroom::ui {

// A stretch of simulated time, both ends included.
struct TimeRange
{
    double fromS = 0.0;
    double toS = 0.0;
};

// What an export says about its run, as (key, value): title, source, seed, controllers,
// state, duration, the cluster settings, the range exported (`range`, or the whole run),
// the application's version and `written`. The CSV's comment lines; the report's table.
std::vector<std::pair<QString, QString>> exportMetadata(
    const ComparisonData &data, std::optional<TimeRange> range, const QDateTime &written);

// headroom-cli's timeseries.csv (same columns, same writer) with every lane's samples whose
// time lies in `range` (all of them without one), after one "# key: value" line for each
// entry of exportMetadata().
QByteArray comparisonCsv(const ComparisonData &data, std::optional<TimeRange> range,
    const QDateTime &written = QDateTime::currentDateTimeUtc());
// Written whole or not at all; false and `error` naming the path on failure.
bool exportComparisonCsv(const ComparisonData &data, const QString &path,
    std::optional<TimeRange> range, QString *error);

} // namespace headroom::ui
