#include "csvexport.h"

#include "io/runwriter.h"
#include "logging.h"
#include "picturefile.h"

#include <QIODevice>
#include <QStringList>
#include <algorithm>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <string_view>

namespace headroom::ui {

namespace {

// Whole seconds as such, a zoomed edge to a tenth.
QString seconds(double s)
{
    return QString::number(s, 'f', s == std::round(s) ? 0 : 1);
}

QString rangeText(const ComparisonData &data, std::optional<TimeRange> range)
{
    if (range)
        return seconds(range->fromS) + QLatin1Char('-') + seconds(range->toS)
            + QStringLiteral(" s (visible range)");
    double end = 0.0;
    for (const ComparisonData::Lane &lane : data.lanes) {
        if (!lane.samples.empty())
            end = std::max(end, lane.samples.back().tS);
    }
    return seconds(startOfData(data)) + QLatin1Char('-') + seconds(end) + QStringLiteral(" s (whole run)");
}

QString settingsText(const ComparisonData &data)
{
    QStringList parts;
    for (const auto &[key, value] : data.settings)
        parts.append(
            QString::fromStdString(key) + QLatin1Char('=') + QString::fromStdString(value));
    return parts.join(QStringLiteral(", "));
}

// A comment line stays one line, whatever a file name or reason holds.
QString oneLine(QString text)
{
    return text.replace(QLatin1Char('\n'), QLatin1Char(' '))
        .replace(QLatin1Char('\r'), QLatin1Char(' '));
}

} // namespace

std::vector<std::pair<QString, QString>> exportMetadata(
    const ComparisonData &data, std::optional<TimeRange> range, const QDateTime &written)
{
    QStringList controllers;
    for (const ComparisonData::Lane &lane : data.lanes)
        controllers.append(QString::fromStdString(lane.controller));
    return {{QStringLiteral("title"), QString::fromStdString(data.title)},
        {QStringLiteral("source"), QString::fromStdString(data.source)},
        // A live cluster's arrivals are its own: no seed drew them.
        {QStringLiteral("seed"), data.live ? QStringLiteral("none (live cluster)") : QString::number(data.seed)},
        {QStringLiteral("controllers"), controllers.join(QLatin1Char(','))},
        {QStringLiteral("state"), runStateText(data.state)},
        {QStringLiteral("duration_s"), seconds(data.durationS)},
        {QStringLiteral("settings"), settingsText(data)},
        {QStringLiteral("range"), rangeText(data, range)},
        {QStringLiteral("app_version"), QStringLiteral("headroom " HEADROOM_VERSION)},
        {QStringLiteral("written"), written.toUTC().toString(Qt::ISODate)}};
}

namespace {

// The "# key: value" lines, then the rows of the samples in `range` (every one without it),
// handed to `write` in pieces: comparisonCsv() gathers them, the file export streams them.
bool writeComparisonCsv(const ComparisonData &data, std::optional<TimeRange> range,
    const QDateTime &written, const std::function<bool(std::string_view)> &write)
{
    QByteArray head;
    for (const auto &[key, value] : exportMetadata(data, range, written))
        head += "# " + key.toUtf8() + ": " + oneLine(value).toUtf8() + '\n';
    if (!write(std::string_view(head.constData(), static_cast<std::size_t>(head.size()))))
        return false;

    // The rows in range, each lane's kept alive for the writer.
    std::vector<std::vector<metrics::LaneSample>> kept(data.lanes.size());
    std::vector<io::LaneSeries> series;
    for (std::size_t i = 0; i < data.lanes.size(); ++i) {
        const std::vector<metrics::LaneSample> &samples = data.lanes[i].samples;
        if (range)
            std::copy_if(samples.begin(), samples.end(), std::back_inserter(kept[i]),
                [&](const metrics::LaneSample &s) {
                    return s.tS >= range->fromS && s.tS <= range->toS;
                });
        series.push_back({data.lanes[i].controller, range ? &kept[i] : &samples});
    }
    return io::writeTimeseriesCsv(series, write);
}

} // namespace

QByteArray comparisonCsv(
    const ComparisonData &data, std::optional<TimeRange> range, const QDateTime &written)
{
    QByteArray out;
    writeComparisonCsv(data, range, written, [&out](std::string_view piece) {
        out.append(piece.data(), static_cast<qsizetype>(piece.size()));
        return true;
    });
    return out;
}

bool exportComparisonCsv(
    const ComparisonData &data, const QString &path, std::optional<TimeRange> range, QString *error)
{
    // Streamed to the file: a month-long run's CSV is 750 MB for four lanes, and built whole it was
    // held three times over (the rows, their copy, the file's text) beside the samples.
    const QDateTime written = QDateTime::currentDateTimeUtc();
    const bool saved = saveText(path, [&](QIODevice &file) {
        return writeComparisonCsv(data, range, written, [&file](std::string_view piece) {
            const auto size = static_cast<qint64>(piece.size());
            return file.write(piece.data(), size) == size;
        });
    }, error);
    if (!saved)
        return false;
    qCInfo(lcUi) << "exported" << path << (range ? "visible range" : "whole run");
    return true;
}

} // namespace headroom::ui
