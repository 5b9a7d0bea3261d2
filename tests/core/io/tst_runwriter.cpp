// summary.json and timeseries.csv as a user reads them: the forecast additions, on lanes
// built by hand whose forecast errors are known.
#include "io/runwriter.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <string>
#include <string_view>

using namespace headroom;

namespace {

constexpr double kHorizonS = 10.0;
constexpr int kSeconds = 60;

// 60 s of a rate that changes every second, no forecasts yet.
std::vector<metrics::LaneSample> varyingLoad()
{
    std::vector<metrics::LaneSample> samples;
    for (int t = 1; t <= kSeconds; ++t) {
        metrics::LaneSample s;
        s.tS = t;
        s.arrivalsPerS = 10.0 + (t % 7) * 3.0;
        s.completedPerS = s.arrivalsPerS;
        s.podsDesired = 3;
        s.podsReady = 3;
        samples.push_back(s);
    }
    return samples;
}

// The mean rate over the forecast step ending at tS, (tS - 5, tS]: what a perfect forecast says.
double actualStep(const std::vector<metrics::LaneSample> &samples, double tS)
{
    double sum = 0.0;
    for (const metrics::LaneSample &s : samples) {
        if (s.tS > tS - metrics::kForecastStepS && s.tS <= tS)
            sum += s.arrivalsPerS;
    }
    return sum / metrics::kForecastStepS;
}

// Every second forecasts kHorizonS ahead: the actual step plus `p50Error`, and p90 `p90Above`
// over the actual. Forecasts whose step lies beyond the run stay unscored.
void addForecasts(std::vector<metrics::LaneSample> &samples, double p50Error, double p90Above)
{
    const std::vector<metrics::LaneSample> load = samples;
    for (metrics::LaneSample &s : samples) {
        const double actual = actualStep(load, s.tS + kHorizonS);
        s.forecastHorizonS = kHorizonS;
        s.forecastP50 = actual + p50Error;
        s.forecastP90 = actual + p90Above;
    }
}

metrics::LaneSummary forecastingLane(const std::vector<metrics::LaneSample> &samples)
{
    metrics::LaneSummary lane;
    lane.controller = "predictive";
    lane.requests = 1000;
    lane.forecasts = true;
    lane.forecast = metrics::forecastAccuracy(samples);
    lane.fallbackSeconds = 12.0;
    return lane;
}

QJsonObject laneJson(const metrics::LaneSummary &lane)
{
    metrics::RunSummary run;
    run.scenario = "hand-made";
    run.lanes = {lane};
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(io::summaryJson(run)));
    return doc.object().value(QStringLiteral("lanes")).toArray().at(0).toObject();
}

QList<QStringList> readCsv(const QString &path)
{
    QList<QStringList> rows;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return rows;
    while (!f.atEnd()) {
        const QString line = QString::fromUtf8(f.readLine()).trimmed();
        if (!line.isEmpty())
            rows.append(line.split(QLatin1Char(',')));
    }
    return rows;
}

} // namespace

class TestRunWriter : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void perfectForecastScoresZeroErrorAndFullCoverage()
    {
        std::vector<metrics::LaneSample> samples = varyingLoad();
        addForecasts(samples, 0.0, 1.0);
        const QJsonObject lane = laneJson(forecastingLane(samples));

        const QJsonObject forecast = lane.value(QStringLiteral("forecast")).toObject();
        // Seconds 1 to 50 have their target step inside the 60 s run.
        QCOMPARE(forecast.value(QStringLiteral("forecasts")).toInt(), kSeconds - int(kHorizonS));
        QCOMPARE(forecast.value(QStringLiteral("mae_req_per_s")).toDouble(), 0.0);
        QCOMPARE(forecast.value(QStringLiteral("relative_mae")).toDouble(), 0.0);
        QCOMPARE(forecast.value(QStringLiteral("coverage_p90")).toDouble(), 1.0);
        QCOMPARE(lane.value(QStringLiteral("fallback_s")).toDouble(), 12.0);
    }

    void biasedForecastScoresItsErrorAndMissesP90()
    {
        std::vector<metrics::LaneSample> samples = varyingLoad();
        addForecasts(samples, 2.0, -1.0); // p50 2 req/s high, p90 under every actual step
        const QJsonObject forecast
            = laneJson(forecastingLane(samples)).value(QStringLiteral("forecast")).toObject();

        double actualSum = 0.0;
        for (int t = 1; t <= kSeconds - int(kHorizonS); ++t)
            actualSum += actualStep(samples, t + kHorizonS);
        const double meanActual = actualSum / (kSeconds - kHorizonS);
        QVERIFY(std::abs(forecast.value(QStringLiteral("mae_req_per_s")).toDouble() - 2.0) < 1e-9);
        QVERIFY(std::abs(forecast.value(QStringLiteral("relative_mae")).toDouble()
                    - 2.0 / meanActual) < 1e-9);
        QCOMPARE(forecast.value(QStringLiteral("coverage_p90")).toDouble(), 0.0);
    }

    void unscoredForecastsAreNullNotZero()
    {
        // A run shorter than the horizon: nothing scored, so no error can be claimed.
        std::vector<metrics::LaneSample> samples = varyingLoad();
        samples.resize(8);
        addForecasts(samples, 0.0, 1.0);
        const QJsonObject forecast
            = laneJson(forecastingLane(samples)).value(QStringLiteral("forecast")).toObject();
        QCOMPARE(forecast.value(QStringLiteral("forecasts")).toInt(), 0);
        for (const char *key : {"mae_req_per_s", "relative_mae", "coverage_p90"})
            QVERIFY2(forecast.value(QLatin1String(key)).isNull(), key);
    }

    void noTrafficHasNoRelativeError()
    {
        // Nothing arrives: the forecasts' error is real, but a share of a mean rate of 0 is
        // not a number (0 would read as a perfect forecast).
        std::vector<metrics::LaneSample> samples = varyingLoad();
        for (metrics::LaneSample &s : samples)
            s.arrivalsPerS = s.completedPerS = 0.0;
        addForecasts(samples, 0.04, 1.0);
        const QJsonObject forecast
            = laneJson(forecastingLane(samples)).value(QStringLiteral("forecast")).toObject();
        QCOMPARE(forecast.value(QStringLiteral("forecasts")).toInt(), kSeconds - int(kHorizonS));
        QVERIFY(std::abs(forecast.value(QStringLiteral("mae_req_per_s")).toDouble() - 0.04) < 1e-9);
        QVERIFY(forecast.value(QStringLiteral("relative_mae")).isNull());
        QCOMPARE(forecast.value(QStringLiteral("coverage_p90")).toDouble(), 1.0);
    }

    void nonForecastingLaneHasNoForecastKeys()
    {
        metrics::LaneSummary hpa;
        hpa.controller = "hpa";
        hpa.requests = 1000;
        hpa.peakPods = 4;
        const QJsonObject lane = laneJson(hpa);
        QVERIFY(!lane.contains(QStringLiteral("forecast")));
        QVERIFY(!lane.contains(QStringLiteral("fallback_s")));
        // The keys readers already use are all there.
        for (const char *key : {"controller", "available", "requests", "completed", "dropped",
                 "slo_violations", "latency_ms", "pod_seconds", "peak_pods"})
            QVERIFY2(lane.contains(QLatin1String(key)), key);
        QCOMPARE(lane.value(QStringLiteral("peak_pods")).toInt(), 4);
    }

    // The reference lane is not compared with itself: its over, under and reference
    // pod-seconds are null (the dashboard's table shows a dash), where 0 read as a lane
    // exactly on its reference. The other lanes keep their numbers, 0 included; the reference
    // keeps its name and its capped seconds (the sweep counts them on that lane).
    void referenceLaneProvisioningIsNullNotZero()
    {
        metrics::LaneSummary hpa;
        hpa.controller = "hpa";
        hpa.provisioningReference = "clairvoyant";
        hpa.overPodSeconds = 5.0;
        hpa.underPodSeconds = 0.0;
        hpa.referencePodSeconds = 15.0;
        metrics::LaneSummary clairvoyant;
        clairvoyant.controller = "clairvoyant";
        clairvoyant.provisioningReference = "clairvoyant";
        clairvoyant.isProvisioningReference = true;
        clairvoyant.referenceCappedSeconds = 45.0;
        clairvoyant.referenceCapPods = 20;

        const QJsonObject compared = laneJson(hpa).value(QStringLiteral("provisioning")).toObject();
        QCOMPARE(compared.value(QStringLiteral("over_pod_seconds")).toDouble(-1), 5.0);
        QCOMPARE(compared.value(QStringLiteral("under_pod_seconds")).toDouble(-1), 0.0);
        QCOMPARE(compared.value(QStringLiteral("reference_pod_seconds")).toDouble(-1), 15.0);

        const QJsonObject self
            = laneJson(clairvoyant).value(QStringLiteral("provisioning")).toObject();
        QCOMPARE(self.value(QStringLiteral("reference")).toString(), QStringLiteral("clairvoyant"));
        for (const char *key : {"over_pod_seconds", "under_pod_seconds", "reference_pod_seconds"}) {
            QVERIFY2(self.contains(QLatin1String(key)), key);
            QVERIFY2(self.value(QLatin1String(key)).isNull(), key);
        }
        const QJsonObject capped = self.value(QStringLiteral("reference_capped")).toObject();
        QCOMPARE(capped.value(QStringLiteral("pods")).toInt(), 20);
        QCOMPARE(capped.value(QStringLiteral("seconds")).toDouble(), 45.0);
    }

    void timeseriesAddsForecastColumnsAtTheEnd()
    {
        std::vector<metrics::LaneSample> predictive = varyingLoad();
        addForecasts(predictive, 0.5, 3.0);
        predictive[0].forecastHorizonS = std::nan(""); // warming up: no forecast yet
        predictive[0].forecastP50 = std::nan("");
        predictive[0].forecastP90 = std::nan("");
        predictive[0].fallback = true;
        const std::vector<metrics::LaneSample> hpa = varyingLoad();

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("timeseries.csv"));
        io::writeTimeseriesCsv({{"predictive", &predictive}, {"hpa", &hpa}}, path.toStdString());
        const QList<QStringList> rows = readCsv(path);
        QCOMPARE(rows.size(), 1 + 2 * kSeconds);

        const QStringList header = rows.front();
        const QStringList existing = QStringLiteral(
            "t_s,lane,arrivals_per_s,completed_per_s,dropped_per_s,latency_p50_ms,"
            "latency_p95_ms,latency_p99_ms,pods_desired,pods_ready,pods_starting,"
            "cpu_utilization,queue_length").split(QLatin1Char(','));
        QCOMPARE(header.mid(0, existing.size()), existing);
        QCOMPARE(header.mid(existing.size()),
            QStringList({QStringLiteral("forecast_horizon_s"), QStringLiteral("forecast_p50"),
                QStringLiteral("forecast_p90"), QStringLiteral("fallback"),
                QStringLiteral("no_data"), QStringLiteral("slo_violations_per_s"),
                QStringLiteral("pods_unready"), QStringLiteral("concurrency")}));
        for (const QStringList &row : rows)
            QCOMPARE(row.size(), header.size());

        const auto cell = [&](int row, const char *column) {
            return rows.at(row).at(header.indexOf(QLatin1String(column)));
        };
        // Second 1 of predictive: on the fallback, no forecast (empty cells, not "nan").
        QCOMPARE(cell(1, "forecast_horizon_s"), QString());
        QCOMPARE(cell(1, "forecast_p50"), QString());
        QCOMPARE(cell(1, "fallback"), QStringLiteral("1"));
        // Second 2: forecasting 10 s ahead, the values as written.
        QCOMPARE(cell(2, "t_s"), QStringLiteral("2"));
        QCOMPARE(cell(2, "forecast_horizon_s"), QStringLiteral("10"));
        QVERIFY(std::abs(cell(2, "forecast_p50").toDouble() - predictive[1].forecastP50) < 1e-4);
        QVERIFY(std::abs(cell(2, "forecast_p90").toDouble() - predictive[1].forecastP90) < 1e-4);
        QCOMPARE(cell(2, "fallback"), QStringLiteral("0"));
        // The HPA does not forecast: empty forecast cells, never on a fallback.
        const int hpaRow = 1 + kSeconds;
        QCOMPARE(cell(hpaRow, "lane"), QStringLiteral("hpa"));
        QCOMPARE(cell(hpaRow, "forecast_p90"), QString());
        QCOMPARE(cell(hpaRow, "fallback"), QStringLiteral("0"));
        QCOMPARE(cell(hpaRow, "pods_desired"), QStringLiteral("3"));
    }

    // The file is streamed in pieces (a month's is hundreds of megabytes): whatever their size,
    // it holds timeseriesCsv()'s text, and a piece the writer refuses stops it there.
    void timeseriesStreamedInPiecesIsTheWholeText()
    {
        std::vector<metrics::LaneSample> predictive = varyingLoad();
        addForecasts(predictive, 0.5, 3.0);
        const std::vector<metrics::LaneSample> hpa = varyingLoad();
        const std::vector<io::LaneSeries> series {{"predictive", &predictive}, {"hpa", &hpa}};
        const std::string whole = io::timeseriesCsv(series);

        for (const std::size_t pieceBytes : {std::size_t {1}, std::size_t {100}, whole.size() + 1}) {
            std::string joined;
            int pieces = 0;
            QVERIFY(io::writeTimeseriesCsv(series, [&](std::string_view piece) {
                joined += piece;
                ++pieces;
                return true;
            }, pieceBytes));
            QCOMPARE(joined, whole);
            QVERIFY(pieceBytes > whole.size() ? pieces == 1 : pieces > 1);
        }

        int calls = 0;
        QVERIFY(!io::writeTimeseriesCsv(series, [&](std::string_view) { return ++calls < 3; }, 100));
        QCOMPARE(calls, 3);

        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("timeseries.csv"));
        io::writeTimeseriesCsv(series, path.toStdString());
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().toStdString(), whole);
        QVERIFY(!QFile::exists(path + QStringLiteral(".part")));
    }
};

QTEST_GUILESS_MAIN(TestRunWriter)
#include "tst_runwriter.moc"
