#include "comparisonview.h"
#include "metrics/lanecomparison.h"
#include "seedspikerun.h"
#include "sim/experiment.h"
#include "summarymodel.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QShortcut>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <numeric>

using namespace headroom;

class TestSummaryModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void showsOneRowPerLane();
    void unavailableLaneShowsReason();
    void sameLanesUpdateInPlace();
    void otherLanesReset();
    void statusFollowsTheRun_data();
    void statusFollowsTheRun();
    void forecastColumnsForForecastingLanesOnly();
    void violationSeconds();
    void provisioningAgainstTheClairvoyant();
    void spikesPastTheRunAreNotCounted();
    void provisioningAgainstTheLoadLine();
    void cappedReferenceIsNoted();
    void clairvoyantNotTheLimitIsNoted();
    void timeToScaleAfterEachSpike();
    void timeToScaleLiveMatchesTheWholeRun();
    void podsMeetingTheSlo();
    void newRunStartsOver();
    void testerFollowsLiveUpdates();
    void realRunAddsUp();
    void ctrlCCopiesSelectionAsTsv();
    void sixLanesFitBesideTheEventsAt1600();
    void contextMenuCopiesMarkdown();
    void focusedTableLeavesWindowShortcuts();

private:
    static std::vector<metrics::LaneSummary> twoLanes();
    // One sample a second from t = 1 s: ready pods, and arrivals per second.
    static std::vector<metrics::LaneSample> samples(
        const std::vector<int> &ready, const std::vector<double> &arrivals = {});
    static metrics::ComparisonSettings settings(int referenceLane);
    QString text(int row, int column) const;
    QString toolTip(int row, int column) const;

    std::unique_ptr<ui::SummaryModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

std::vector<metrics::LaneSummary> TestSummaryModel::twoLanes()
{
    metrics::LaneSummary predictive;
    predictive.controller = "predictive";
    predictive.available = false;
    predictive.unavailableReason = "models/predictive.pt: model file not found";
    metrics::LaneSummary hpa;
    hpa.controller = "hpa";
    hpa.requests = 2000;
    hpa.sloViolations = 500;
    hpa.latencyP95Ms = 812.4;
    hpa.latencyP99Ms = 1500.0;
    hpa.podSeconds = 210.2;
    hpa.peakPods = 6;
    return {predictive, hpa};
}

std::vector<metrics::LaneSample> TestSummaryModel::samples(
    const std::vector<int> &ready, const std::vector<double> &arrivals)
{
    std::vector<metrics::LaneSample> out(ready.size());
    for (std::size_t i = 0; i < ready.size(); ++i) {
        out[i].tS = static_cast<double>(i + 1);
        out[i].podsReady = ready[i];
        out[i].arrivalsPerS = i < arrivals.size() ? arrivals[i] : 0.0;
        out[i].latencyP95Ms = 100.0;
    }
    return out;
}

metrics::ComparisonSettings TestSummaryModel::settings(int referenceLane)
{
    metrics::ComparisonSettings s;
    s.sloLatencyMs = 500.0;
    s.serviceMeanS = 0.1; // 10 req/s keep one pod busy
    s.podSlots = 1;
    s.durationS = 100.0;
    s.referenceLane = referenceLane;
    return s;
}

QString TestSummaryModel::text(int row, int column) const
{
    return m_model->index(row, column).data().toString();
}

QString TestSummaryModel::toolTip(int row, int column) const
{
    return m_model->index(row, column).data(Qt::ToolTipRole).toString();
}

void TestSummaryModel::init()
{
    m_model = std::make_unique<ui::SummaryModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setSummaries(twoLanes());
}

void TestSummaryModel::showsOneRowPerLane()
{
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(m_model->columnCount(), int(ui::SummaryModel::ColumnCount));
    const auto text = [this](int column) { return m_model->index(1, column).data().toString(); };
    QCOMPARE(text(ui::SummaryModel::Controller), QStringLiteral("hpa"));
    QCOMPARE(text(ui::SummaryModel::Requests), QLocale().toString(2000));
    QVERIFY(text(ui::SummaryModel::SloViolations).contains(QStringLiteral("25.0 %")));
    QCOMPARE(text(ui::SummaryModel::LatencyP95), QStringLiteral("812 ms"));
    QCOMPARE(m_model->index(1, ui::SummaryModel::PeakPods).data().toInt(), 6);
    QCOMPARE(m_model->index(1, ui::SummaryModel::PodSeconds).data(Qt::UserRole).toDouble(), 210.2);
    QCOMPARE(m_model->headerData(ui::SummaryModel::SloViolations, Qt::Horizontal).toString(),
        QStringLiteral("SLO\nviolations"));
}

void TestSummaryModel::unavailableLaneShowsReason()
{
    const QString status = m_model->index(0, ui::SummaryModel::Status).data().toString();
    QVERIFY(status.startsWith(QStringLiteral("unavailable: ")));
    QVERIFY(status.contains(QStringLiteral("model file not found")));
    QCOMPARE(m_model->index(0, ui::SummaryModel::Requests).data().toString(), QStringLiteral("-"));
}

void TestSummaryModel::sameLanesUpdateInPlace()
{
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    auto lanes = twoLanes();
    lanes[1].peakPods = 9;
    m_model->setSummaries(lanes);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(reset.count(), 0);
    QCOMPARE(m_model->index(1, ui::SummaryModel::PeakPods).data().toInt(), 9);
}

void TestSummaryModel::otherLanesReset()
{
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    auto lanes = twoLanes();
    lanes.pop_back();
    m_model->setSummaries(lanes);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 1);
    m_model->setSummaries({});
    QCOMPARE(m_model->rowCount(), 0);
}

void TestSummaryModel::statusFollowsTheRun_data()
{
    QTest::addColumn<ui::RunState>("state");
    QTest::addColumn<QString>("text");
    QTest::addRow("running") << ui::RunState::Running << QStringLiteral("running");
    QTest::addRow("paused") << ui::RunState::Paused << QStringLiteral("paused");
    QTest::addRow("finished") << ui::RunState::Finished << QStringLiteral("finished");
    QTest::addRow("stopped on error") << ui::RunState::Stopped << QStringLiteral("stopped on error");
}

void TestSummaryModel::statusFollowsTheRun()
{
    QFETCH(ui::RunState, state);
    QFETCH(QString, text);
    QCOMPARE(
        m_model->index(1, ui::SummaryModel::Status).data().toString(), QStringLiteral("ready"));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->setRunState(state);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex().column(), int(ui::SummaryModel::Status));
    QCOMPARE(m_model->index(1, ui::SummaryModel::Status).data().toString(), text);
    // An unavailable lane keeps saying why, whatever the run does.
    QVERIFY(m_model->index(0, ui::SummaryModel::Status)
                .data()
                .toString()
                .startsWith(QStringLiteral("unavailable: ")));
    m_model->setRunState(state);
    QCOMPARE(changed.count(), 1);
}

void TestSummaryModel::forecastColumnsForForecastingLanesOnly()
{
    auto lanes = twoLanes();
    metrics::LaneSummary predictive = lanes[1];
    predictive.controller = "predictive";
    predictive.forecasts = true;
    predictive.forecast.forecasts = 50;
    predictive.forecast.maeRatePerS = 2.0;
    predictive.forecast.relativeMae = 0.1;
    predictive.forecast.coverageP90 = 0.875;
    predictive.fallbackSeconds = 12.0;
    metrics::LaneSummary warmingUp = predictive; // forecasting, nothing scored yet
    warmingUp.controller = "predictive-new";
    warmingUp.forecast = {};
    m_model->setSummaries({predictive, lanes[1], warmingUp});

    const auto text = [this](int row, int column) {
        return m_model->index(row, column).data().toString();
    };
    QCOMPARE(text(0, ui::SummaryModel::ForecastMae),
        QLocale().toString(2.0, 'f', 2) + QStringLiteral(" req/s (")
            + QLocale().toString(10.0, 'f', 1) + QStringLiteral(" %)"));
    QCOMPARE(text(0, ui::SummaryModel::ForecastCoverage),
        QLocale().toString(87.5, 'f', 1) + QStringLiteral(" %"));
    QCOMPARE(text(0, ui::SummaryModel::FallbackSeconds), QStringLiteral("12 s"));
    QCOMPARE(m_model->index(0, ui::SummaryModel::ForecastCoverage).data(Qt::UserRole).toDouble(),
        0.875);

    const QString dash = QStringLiteral("\u2014");
    for (int column : {ui::SummaryModel::ForecastMae, ui::SummaryModel::ForecastCoverage,
             ui::SummaryModel::FallbackSeconds})
        QCOMPARE(text(1, column), dash); // the HPA does not forecast
    QCOMPARE(text(2, ui::SummaryModel::ForecastMae), dash);
    QCOMPARE(text(2, ui::SummaryModel::ForecastCoverage), dash);
    QCOMPARE(text(2, ui::SummaryModel::FallbackSeconds), QStringLiteral("12 s"));
    // The Fallback cell's tooltip says what it counts, not the forecasts scored.
    for (int row : {0, 2}) {
        const QString tip = m_model->index(row, ui::SummaryModel::FallbackSeconds)
                                .data(Qt::ToolTipRole)
                                .toString();
        QVERIFY2(tip.startsWith(QStringLiteral("12 s run on its reactive fallback rule")),
            qPrintable(tip));
        QVERIFY2(!tip.contains(QStringLiteral("scored")), qPrintable(tip));
    }
    QVERIFY(m_model->index(2, ui::SummaryModel::ForecastMae)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("target")));
    QCOMPARE(m_model->headerData(ui::SummaryModel::ForecastCoverage, Qt::Horizontal).toString(),
        QStringLiteral("p90\ncoverage"));

    // No request arrived at the scored targets: the error, but no share of a mean rate of 0.
    metrics::LaneSummary idle = predictive;
    idle.forecast.maeRatePerS = 0.036;
    idle.forecast.relativeMae = std::numeric_limits<double>::quiet_NaN();
    m_model->setSummaries({idle, lanes[1], warmingUp});
    QCOMPARE(text(0, ui::SummaryModel::ForecastMae),
        QLocale().toString(0.04, 'f', 2) + QStringLiteral(" req/s"));
    const QString idleTip
        = m_model->index(0, ui::SummaryModel::ForecastMae).data(Qt::ToolTipRole).toString();
    QVERIFY2(idleTip.contains(QStringLiteral("no request arrived")), qPrintable(idleTip));
    // Status stays the last column.
    QCOMPARE(int(ui::SummaryModel::Status), m_model->columnCount() - 1);
}

void TestSummaryModel::violationSeconds()
{
    auto lanes = twoLanes();
    lanes[1].violationSeconds = 17.0;
    metrics::ComparisonTracker tracker;
    tracker.reset(settings(-1));
    auto hpa = samples({1, 1, 1, 1});
    hpa[1].latencyP95Ms = 501.0; // over the SLO
    hpa[2].latencyP95Ms = 500.0; // at it: not over
    hpa[3].latencyP95Ms = std::numeric_limits<double>::quiet_NaN(); // nothing completed
    const std::vector<metrics::LaneSample> none;
    tracker.update({&none, &hpa}, {});
    m_model->setSummaries(lanes, tracker.results());
    QCOMPARE(text(1, ui::SummaryModel::ViolationSeconds), QStringLiteral("17 s"));
    QCOMPARE(m_model->index(1, ui::SummaryModel::ViolationSeconds).data(Qt::UserRole).toDouble(),
        17.0);
    QVERIFY2(toolTip(1, ui::SummaryModel::ViolationSeconds).contains(QStringLiteral("in 1 s")),
        qPrintable(toolTip(1, ui::SummaryModel::ViolationSeconds)));
    QCOMPARE(text(0, ui::SummaryModel::ViolationSeconds), QStringLiteral("-")); // unavailable
    QCOMPARE(m_model->headerData(ui::SummaryModel::ViolationSeconds, Qt::Horizontal).toString(),
        QStringLiteral("Violation\nseconds"));
    // Copies and reports take the header on one line.
    QCOMPARE(m_model->columnTitle(ui::SummaryModel::ViolationSeconds),
        QStringLiteral("Violation seconds"));
    // Without a clairvoyant lane the provisioning columns are against the load line, and
    // their headers say so.
    QCOMPARE(m_model->columnTitle(ui::SummaryModel::OverProvisioned), QStringLiteral("Over the load"));
    QCOMPARE(m_model->columnTitle(ui::SummaryModel::UnderProvisioned), QStringLiteral("Under the load"));
}

// A run cut short (run --duration 10 of seed-spike, whose spike starts at 20 s) reached no
// spike: summary.json's "spikes" counts the spikes the run reached, not the scenario's.
void TestSummaryModel::spikesPastTheRunAreNotCounted()
{
    const auto lane = samples({2, 4, 6, 4, 2}, {5, 30, 30, 5, 5});
    metrics::ComparisonTracker tracker;
    tracker.reset(settings(-1));
    tracker.update({&lane}, {{1.0, 3.0}, {20.0, 50.0}});
    QCOMPARE(tracker.results()[0].spikes.size(), std::size_t(2)); // both listed (the tooltip)
    metrics::LaneSummary summary;
    summary.controller = "hpa";
    metrics::applyComparison(summary, tracker.results()[0], settings(-1));
    QCOMPARE(summary.spikes, 1);
    tracker.reset(settings(-1));
    tracker.update({&lane}, {{20.0, 50.0}});
    metrics::applyComparison(summary, tracker.results()[0], settings(-1));
    QCOMPARE(summary.spikes, 0);
    QCOMPARE(summary.spikesMissed, 0);
}

// Ready pods 2 4 6 4 2 against the clairvoyant's 3 3 3 3 3: 1 + 3 + 1 = 5 pod-seconds over,
// 1 + 1 = 2 under, of the clairvoyant's 15.
void TestSummaryModel::provisioningAgainstTheClairvoyant()
{
    const auto hpa = samples({2, 4, 6, 4, 2});
    const auto clairvoyant = samples({3, 3, 3, 3, 3});
    QCOMPARE(metrics::referenceLane({{"hpa", true}, {"clairvoyant", true}}), 1);
    QCOMPARE(metrics::referenceLane({{"hpa", true}, {"clairvoyant", false}}), -1);

    // Fed two seconds, then the rest, as a live run is.
    metrics::ComparisonTracker tracker;
    tracker.reset(settings(1));
    const std::vector<metrics::LaneSample> hpaStart(hpa.begin(), hpa.begin() + 2);
    const std::vector<metrics::LaneSample> clairvoyantStart(
        clairvoyant.begin(), clairvoyant.begin() + 2);
    tracker.update({&hpaStart, &clairvoyantStart}, {});
    QCOMPARE(tracker.results()[0].overPodSeconds, 1.0);
    QCOMPARE(tracker.results()[0].underPodSeconds, 1.0);
    tracker.update({&hpa, &clairvoyant}, {});
    const metrics::LaneComparison &result = tracker.results()[0];
    QCOMPARE(result.overPodSeconds, 5.0);
    QCOMPARE(result.underPodSeconds, 2.0);
    QCOMPARE(result.referencePodSeconds, 15.0);
    QVERIFY(!result.isReference);
    QVERIFY(tracker.results()[1].isReference);
    QCOMPARE(tracker.results()[1].overPodSeconds, 0.0);

    auto lanes = twoLanes();
    lanes[0].controller = "hpa";
    lanes[0].available = true;
    lanes[1].controller = "clairvoyant";
    QSignalSpy headers(m_model.get(), &QAbstractItemModel::headerDataChanged);
    m_model->setSummaries(lanes, {}); // the lanes first, their comparison a moment later
    QCOMPARE(m_model->headerData(ui::SummaryModel::OverProvisioned, Qt::Horizontal).toString(),
        QStringLiteral("Over\nthe load"));
    m_model->setSummaries(lanes, tracker.results());
    QCOMPARE(m_model->referenceName(), QStringLiteral("clairvoyant"));
    // The headers name the reference, and say when it changes.
    QVERIFY(!headers.isEmpty());
    QCOMPARE(m_model->headerData(ui::SummaryModel::OverProvisioned, Qt::Horizontal).toString(),
        QStringLiteral("Over\nclairvoyant"));
    QCOMPARE(m_model->columnTitle(ui::SummaryModel::UnderProvisioned), QStringLiteral("Under clairvoyant"));
    QCOMPARE(text(0, ui::SummaryModel::OverProvisioned),
        QStringLiteral("5 (") + QLocale().toString(33) + QStringLiteral(" %)"));
    QCOMPARE(text(0, ui::SummaryModel::UnderProvisioned),
        QStringLiteral("2 (") + QLocale().toString(13) + QStringLiteral(" %)"));
    QCOMPARE(m_model->index(0, ui::SummaryModel::OverProvisioned).data(Qt::UserRole).toDouble(),
        5.0);
    const QString dash = QStringLiteral("\u2014");
    QCOMPARE(text(1, ui::SummaryModel::OverProvisioned), dash); // the reference itself
    QCOMPARE(text(1, ui::SummaryModel::UnderProvisioned), dash);
    QVERIFY(toolTip(0, ui::SummaryModel::UnderProvisioned)
                .contains(QStringLiteral("below the clairvoyant lane's ready pods")));
    QVERIFY(m_model->headerData(ui::SummaryModel::OverProvisioned, Qt::Horizontal, Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("clairvoyant")));
}

// 20 req/s at 0.1 s each keep 2 pods busy: ready 1 2 3 4 is 0 + 0 + 1 + 2 = 3 pod-seconds
// over that load line and 1 under, of its 8.
void TestSummaryModel::provisioningAgainstTheLoadLine()
{
    const auto hpa = samples({1, 2, 3, 4}, {20, 20, 20, 20});
    const auto kpa = samples({2, 2, 2, 2}, {20, 20, 20, 20});
    metrics::ComparisonTracker tracker;
    tracker.reset(settings(-1));
    tracker.update({&hpa, &kpa}, {});
    QCOMPARE(tracker.results()[0].overPodSeconds, 3.0);
    QCOMPARE(tracker.results()[0].underPodSeconds, 1.0);
    QCOMPARE(tracker.results()[0].referencePodSeconds, 8.0);
    QCOMPARE(tracker.results()[1].overPodSeconds, 0.0);
    QCOMPARE(tracker.results()[1].underPodSeconds, 0.0);

    auto lanes = twoLanes();
    lanes[0] = lanes[1];
    lanes[1].controller = "kpa";
    m_model->setSummaries(lanes, tracker.results());
    QVERIFY(m_model->referenceName().isEmpty());
    QCOMPARE(text(0, ui::SummaryModel::OverProvisioned),
        QStringLiteral("3 (") + QLocale().toString(37.5, 'f', 0) + QStringLiteral(" %)"));
    QCOMPARE(text(1, ui::SummaryModel::UnderProvisioned),
        QStringLiteral("0 (") + QLocale().toString(0.0, 'f', 1) + QStringLiteral(" %)"));
    QVERIFY(toolTip(0, ui::SummaryModel::OverProvisioned).contains(QStringLiteral("load line")));
}

// max_replicas 3 while 50 req/s at 0.1 s need 5 pods: the clairvoyant lane desires its 3 in
// seconds 2 to 4, the load over the cap there; the hpa lane's 3 ready pods look exactly
// provisioned against it (0 % under). The table marks the cell and says so.
void TestSummaryModel::cappedReferenceIsNoted()
{
    auto hpa = samples({1, 3, 3, 3, 2}, {10, 50, 50, 50, 10});
    auto clairvoyant = samples({1, 3, 3, 3, 2}, {10, 50, 50, 50, 10});
    for (std::size_t i = 0; i < clairvoyant.size(); ++i) {
        clairvoyant[i].podsDesired = i == 0 ? 1 : (i == 4 ? 1 : 3);
        hpa[i].podsDesired = clairvoyant[i].podsDesired;
    }
    metrics::ComparisonSettings capped = settings(1);
    capped.maxReplicas = 3;
    metrics::ComparisonTracker tracker;
    tracker.reset(capped);
    tracker.update({&hpa, &clairvoyant}, {});
    QCOMPARE(tracker.results()[0].underPodSeconds, 0.0);
    QCOMPARE(tracker.results()[0].referenceCappedSeconds, 3.0);
    QCOMPARE(tracker.results()[0].referenceCapPods, 3);
    QCOMPARE(tracker.results()[1].referenceCappedSeconds, 3.0); // the reference's own row

    auto lanes = twoLanes();
    lanes[0].controller = "hpa";
    lanes[0].available = true;
    lanes[1].controller = "clairvoyant";
    lanes[1].sloViolations = 0; // the limit, as it should be (see clairvoyantNotTheLimitIsNoted)
    m_model->setRunState(ui::RunState::Finished);
    m_model->setSummaries(lanes, tracker.results());
    const QString dagger = QStringLiteral("\u2020");
    QCOMPARE(text(0, ui::SummaryModel::UnderProvisioned),
        QStringLiteral("0 (") + QLocale().toString(0.0, 'f', 1) + QStringLiteral(" %) ") + dagger);
    QVERIFY(!text(0, ui::SummaryModel::OverProvisioned).contains(dagger));
    QCOMPARE(text(1, ui::SummaryModel::Status),
        QStringLiteral("finished, ") + dagger + QStringLiteral(" capped at 3 pods for 3 s"));
    const QString note = dagger
        + QStringLiteral(" reference capped at 3 pods for 3 s: the clairvoyant lane held the "
                         "cluster's max_replicas while the load needed more, so "
                         "under-provisioning against it reads low in those seconds");
    QCOMPARE(m_model->notes(), QStringList {note});
    QVERIFY2(toolTip(0, ui::SummaryModel::UnderProvisioned).endsWith(QStringLiteral("\n") + note),
        qPrintable(toolTip(0, ui::SummaryModel::UnderProvisioned)));
    const QString markdown = m_model->toMarkdown();
    QVERIFY2(markdown.endsWith(QStringLiteral("|\n\n") + note + QStringLiteral("\n")),
        qPrintable(markdown));
    QVERIFY2(markdown.contains(QStringLiteral("%) ") + dagger + QStringLiteral(" |")),
        qPrintable(markdown));

    // Uncapped (the load within max_replicas, or no max known): no marker, no note.
    capped.maxReplicas = 5;
    tracker.reset(capped);
    tracker.update({&hpa, &clairvoyant}, {});
    QCOMPARE(tracker.results()[0].referenceCappedSeconds, 0.0);
    m_model->setSummaries(lanes, tracker.results());
    QVERIFY(!text(0, ui::SummaryModel::UnderProvisioned).contains(dagger));
    QCOMPARE(text(1, ui::SummaryModel::Status), QStringLiteral("finished"));
    QVERIFY(m_model->notes().isEmpty());
    QVERIFY(!m_model->toMarkdown().contains(dagger));
    tracker.reset(settings(1));
    tracker.update({&hpa, &clairvoyant}, {});
    QCOMPARE(tracker.results()[0].referenceCappedSeconds, 0.0);
}

// Pods' own queues and very uneven service times (the TODO in clairvoyantcontroller.cpp):
// the clairvoyant lane had more violations than a causal lane. The table says so under it,
// as run and sweep do, by the same rule: past the fewest by more than a request and 5 %.
void TestSummaryModel::clairvoyantNotTheLimitIsNoted()
{
    auto lanes = twoLanes();
    lanes[0].available = true;
    lanes[0].sloViolations = 273;
    metrics::LaneSummary clairvoyant = lanes[1];
    clairvoyant.controller = "clairvoyant";
    clairvoyant.sloViolations = 299;
    lanes.push_back(clairvoyant);
    m_model->setSummaries(lanes);
    QCOMPARE(m_model->notes(),
        QStringList {QStringLiteral("The clairvoyant lane is not the limit here: 299 SLO violations against "
                                    "predictive's 273; its plan fell short on this cluster, so pod-seconds "
                                    "against it are no cost target")});
    QVERIFY(m_model->toMarkdown().contains(QStringLiteral("not the limit")));
    // Within 5 %: no note.
    lanes[2].sloViolations = 286;
    m_model->setSummaries(lanes);
    QVERIFY(m_model->notes().isEmpty());
    // A lane that did not run is no causal lane to compare with.
    lanes[2].sloViolations = 299;
    lanes[0].available = false;
    m_model->setSummaries(lanes);
    QVERIFY(m_model->notes().isEmpty());
}

// A spike over [5 s, 15 s) brings 40 req/s in the samples at 6 s to 15 s: 4 pods' worth with
// every slot busy, 5 to meet the SLO (Erlang C: 1 % of requests wait past 0.4 s; with 4, 40 %
// would). The fast lane has 5 ready pods from 12 s: 7 s after the start. The slow one tops
// out at 3.
void TestSummaryModel::timeToScaleAfterEachSpike()
{
    std::vector<double> arrivals(20, 10.0);
    for (std::size_t i = 5; i < 15; ++i)
        arrivals[i] = 40.0;
    std::vector<int> fastPods(20, 1);
    std::vector<int> slowPods(20, 1);
    for (std::size_t i = 11; i < 20; ++i)
        fastPods[i] = 5;
    for (std::size_t i = 8; i < 20; ++i)
        slowPods[i] = 3;
    const auto fast = samples(fastPods, arrivals);
    const auto slow = samples(slowPods, arrivals);
    metrics::ComparisonTracker tracker;
    tracker.reset(settings(-1));
    tracker.update({&fast, &slow}, {{5.0, 15.0}});

    const metrics::SpikeResponse &spike = tracker.results()[0].spikes.at(0);
    QCOMPARE(spike.neededPods, 5);
    QVERIFY(spike.closed);
    QVERIFY(spike.scaleS.has_value());
    QCOMPARE(*spike.scaleS, 7.0);
    const metrics::SpikeResponse &missed = tracker.results()[1].spikes.at(0);
    QCOMPARE(missed.neededPods, 5);
    QVERIFY(!missed.scaleS);
    QCOMPARE(missed.peakReadyPods, 3);
    QCOMPARE(tracker.results()[1].missedSpikes(), 1);

    auto lanes = twoLanes();
    lanes[0] = lanes[1];
    lanes[0].controller = "fast";
    lanes[1].controller = "slow";
    m_model->setSummaries(lanes, tracker.results());
    QCOMPARE(text(0, ui::SummaryModel::ScaleTime), QStringLiteral("7 s"));
    QCOMPARE(m_model->index(0, ui::SummaryModel::ScaleTime).data(Qt::UserRole).toDouble(), 7.0);
    QCOMPARE(text(1, ui::SummaryModel::ScaleTime), QStringLiteral("never"));
    QVERIFY2(toolTip(0, ui::SummaryModel::ScaleTime)
                 .contains(QStringLiteral("needs 5 ready pods: 7 s")),
        qPrintable(toolTip(0, ui::SummaryModel::ScaleTime)));
    QVERIFY(toolTip(1, ui::SummaryModel::ScaleTime).contains(QStringLiteral("not reached")));

    // A second spike, the operator's at 16 s for 4 s: the fast lane is already there.
    std::vector<double> more = arrivals;
    for (std::size_t i = 16; i < 20; ++i)
        more[i] = 40.0;
    const auto fast2 = samples(fastPods, more);
    tracker.update({&fast2, &slow}, {{5.0, 15.0}, {16.0, 20.0}});
    QCOMPARE(tracker.results()[0].spikes.size(), 2u);
    QCOMPARE(*tracker.results()[0].spikes[1].scaleS, 0.0);
    m_model->setSummaries(lanes, tracker.results());
    QCOMPARE(text(0, ui::SummaryModel::ScaleTime), QLocale().toString(3.5, 'f', 1) + QStringLiteral(" s"));

    // No spike: nothing to say.
    tracker.reset(settings(-1));
    tracker.update({&fast, &slow}, {});
    m_model->setSummaries(lanes, tracker.results());
    QCOMPARE(text(0, ui::SummaryModel::ScaleTime), QStringLiteral("\u2014"));
    QCOMPARE(toolTip(0, ui::SummaryModel::ScaleTime), QStringLiteral("no spike so far"));
}

// Fed a second at a time, the need grows with the spike's load; the answer at the end is the
// one the whole run gives, and a spike still going says "not yet", not "never".
void TestSummaryModel::timeToScaleLiveMatchesTheWholeRun()
{
    std::vector<double> arrivals(30, 10.0);
    std::vector<int> pods(30, 1);
    for (std::size_t i = 5; i < 15; ++i)
        arrivals[i] = i < 8 ? 20.0 : 60.0; // the need rises from 3 to 6 (mean 48 req/s)
    for (std::size_t i = 6; i < 30; ++i)
        pods[i] = i < 10 ? 2 : (i < 13 ? 4 : 6);
    const auto all = samples(pods, arrivals);
    metrics::ComparisonTracker whole;
    whole.reset(settings(-1));
    whole.update({&all}, {{5.0, 15.0}});
    QCOMPARE(whole.results()[0].spikes[0].neededPods, 6);
    QCOMPARE(*whole.results()[0].spikes[0].scaleS, 9.0); // 6 ready pods at 14 s

    metrics::ComparisonTracker live;
    live.reset(settings(-1));
    std::vector<metrics::LaneSample> sofar;
    for (const metrics::LaneSample &s : all) {
        sofar.push_back(s);
        live.update({&sofar}, {{5.0, 15.0}});
        const metrics::SpikeResponse &spike = live.results()[0].spikes[0];
        if (s.tS == 10.0) {
            QVERIFY(!spike.closed);
            QVERIFY(!spike.scaleS); // mean 36 req/s: 5 pods, 2 ready
            QCOMPARE(spike.neededPods, 5);
            auto lanes = twoLanes();
            lanes.pop_back();
            lanes[0].available = true;
            m_model->setSummaries(lanes, live.results());
            QCOMPARE(text(0, ui::SummaryModel::ScaleTime), QStringLiteral("\u2014"));
            QVERIFY(toolTip(0, ui::SummaryModel::ScaleTime).contains(QStringLiteral("not yet")));
        }
    }
    QVERIFY(live.results()[0].spikes[0].closed);
    QCOMPARE(live.results()[0].spikes[0].neededPods, 6);
    QCOMPARE(*live.results()[0].spikes[0].scaleS, 9.0);

    // A lane ready before the spike (the clairvoyant's) scaled in 0 s, not in the seconds
    // before the spike that arrive live after the spike was known.
    const auto early = samples(std::vector<int>(30, 6), arrivals);
    metrics::ComparisonTracker ready;
    ready.reset(settings(-1));
    std::vector<metrics::LaneSample> arrived;
    for (const metrics::LaneSample &s : early) {
        arrived.push_back(s);
        ready.update({&arrived}, {{5.0, 15.0}});
    }
    QCOMPARE(*ready.results()[0].spikes[0].scaleS, 0.0);
}

// The need against the SLO, by hand (M/M/c, Erlang C): 30 req/s of 0.15 s (seed-spike's
// spike, 4.5 slots busy) needs 6 pods: with 5, 22 % of requests wait past 0.35 s, with 6,
// 1.4 %. The clairvoyant lane holds 6 there. Two slots a pod halve it; a tighter SLO raises
// it; a load no cluster of that size serves gets the cap.
void TestSummaryModel::podsMeetingTheSlo()
{
    QCOMPARE(metrics::podsMeetingSlo(30.0, 0.15, 1, 0.5, 20), 6);
    QCOMPARE(metrics::podsMeetingSlo(25.0, 0.15, 1, 0.5, 20), 5); // bursts: 4 at every slot busy
    QCOMPARE(metrics::podsMeetingSlo(30.0, 0.15, 2, 0.5, 20), 3);
    QVERIFY(metrics::podsMeetingSlo(30.0, 0.15, 1, 0.16, 20) > 6);
    QCOMPARE(metrics::podsMeetingSlo(1000.0, 0.15, 1, 0.5, 20), 20);
    QCOMPARE(metrics::podsMeetingSlo(0.0, 0.15, 1, 0.5, 20), 1);
}

void TestSummaryModel::newRunStartsOver()
{
    const auto first = samples({5, 5, 5, 5}, {10, 10, 10, 10});
    metrics::ComparisonTracker tracker;
    tracker.reset(settings(-1));
    tracker.update({&first}, {});
    QCOMPARE(tracker.results()[0].overPodSeconds, 16.0);
    // The same lane restarted, as Reset does: fewer samples than seen.
    const auto restarted = samples({2, 2}, {10, 10});
    tracker.update({&restarted}, {});
    QCOMPARE(tracker.results()[0].overPodSeconds, 2.0);
    // ... or as many, but different ones.
    const auto other = samples({3, 3, 3, 3}, {10, 10, 10, 10});
    tracker.update({&other}, {});
    QCOMPARE(tracker.results()[0].overPodSeconds, 8.0);
}

// The tester of init() checks every signal while rows and values change as a live run's do.
void TestSummaryModel::testerFollowsLiveUpdates()
{
    auto lanes = twoLanes();
    lanes[0].available = true;
    lanes[1].controller = "clairvoyant";
    m_model->setSummaries(lanes);
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    metrics::ComparisonTracker tracker;
    tracker.reset(settings(1));
    std::vector<metrics::LaneSample> a;
    std::vector<metrics::LaneSample> b;
    const auto podsA = samples({1, 2, 3, 4, 5, 6, 5, 4}, {30, 30, 30, 30, 30, 30, 30, 30});
    const auto podsB = samples({3, 3, 3, 3, 3, 3, 3, 3}, {30, 30, 30, 30, 30, 30, 30, 30});
    for (std::size_t i = 0; i < podsA.size(); ++i) {
        a.push_back(podsA[i]);
        b.push_back(podsB[i]);
        tracker.update({&a, &b}, {{2.0, 6.0}});
        lanes[0].requests += 30;
        lanes[0].violationSeconds += 1.0;
        m_model->setSummaries(lanes, tracker.results());
        for (int row = 0; row < m_model->rowCount(); ++row) {
            for (int column = 0; column < m_model->columnCount(); ++column)
                QVERIFY(m_model->index(row, column).data().isValid());
        }
    }
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 8);
    QCOMPARE(text(0, ui::SummaryModel::ViolationSeconds), QStringLiteral("8 s"));
    // 4 ready pods (30 req/s at 0.1 s: 3 with every slot busy, 4 to meet the SLO) from 4 s:
    // 2 s after the spike's start at 2 s.
    QCOMPARE(text(0, ui::SummaryModel::ScaleTime), QStringLiteral("2 s"));
    QCOMPARE(text(0, ui::SummaryModel::OverProvisioned),
        QStringLiteral("9 (") + QLocale().toString(37.5, 'f', 0) + QStringLiteral(" %)"));
    // Lanes that change reset the model; comparisons that do not match the rows read "—".
    lanes.push_back(lanes[0]);
    lanes.back().controller = "kpa";
    m_model->setSummaries(lanes, tracker.results());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(text(2, ui::SummaryModel::ScaleTime), QStringLiteral("\u2014"));
    m_model->setSummaries({});
    QCOMPARE(m_model->rowCount(), 0);
}

// A short real run: the columns agree with the samples they come from.
void TestSummaryModel::realRunAddsUp()
{
    const ui::ComparisonData data = testing::seedSpikeWithOperatorSpike({"hpa", "clairvoyant"}, 55.0);

    ui::ComparisonView view;
    view.showData(data, 0.0, data.durationS);
    const ui::SummaryModel *model = view.summaryModel();
    QCOMPARE(model->referenceName(), QStringLiteral("clairvoyant"));
    const auto &hpa = data.lanes[0];
    const auto &clairvoyant = data.lanes[1];
    double gap = 0.0;
    int violating = 0;
    for (std::size_t i = 0; i < hpa.samples.size(); ++i) {
        gap += hpa.samples[i].podsReady - clairvoyant.samples[i].podsReady;
        violating += hpa.samples[i].sloViolationsPerS > 0.0;
    }
    const double over = model->index(0, ui::SummaryModel::OverProvisioned).data(Qt::UserRole).toDouble();
    const double under = model->index(0, ui::SummaryModel::UnderProvisioned).data(Qt::UserRole).toDouble();
    QCOMPARE(over - under, gap);
    QCOMPARE(hpa.summary.violationSeconds, double(violating));
    QVERIFY(hpa.summary.violationSeconds <= data.durationS);
    QVERIFY(hpa.summary.violationSeconds > 0.0); // seed-spike's spike overwhelms the HPA
    QVERIFY(hpa.summary.violationSeconds <= double(hpa.summary.sloViolations));
    // seed-spike's own spike and the operator's: one line each in the tooltip.
    QCOMPARE(data.spikes.size(), 2u);
    QCOMPARE(int(model->index(0, ui::SummaryModel::ScaleTime)
                     .data(Qt::ToolTipRole)
                     .toString()
                     .count(QStringLiteral("spike at"))),
        2);
}

void TestSummaryModel::ctrlCCopiesSelectionAsTsv()
{
    ui::ComparisonData data;
    data.durationS = 10.0;
    data.lanes.resize(2);
    const auto summaries = twoLanes();
    for (std::size_t i = 0; i < 2; ++i) {
        data.lanes[i].controller = summaries[i].controller;
        data.lanes[i].available = summaries[i].available;
        data.lanes[i].summary = summaries[i];
    }
    ui::ComparisonView view;
    view.resize(1600, 1000);
    view.show();
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    view.showData(data, 0.0, data.durationS);
    QTableView *table = view.summaryTable();
    QVERIFY(table);
    QApplication::clipboard()->clear();

    // Two cells of the hpa row, one of the other: their rows under their columns' headers.
    const QAbstractItemModel *model = table->model();
    table->selectionModel()->select(
        model->index(1, ui::SummaryModel::Controller), QItemSelectionModel::Select);
    table->selectionModel()->select(
        model->index(1, ui::SummaryModel::PeakPods), QItemSelectionModel::Select);
    table->selectionModel()->select(
        model->index(0, ui::SummaryModel::Controller), QItemSelectionModel::Select);
    table->setFocus();
    QTRY_VERIFY(table->hasFocus());
    QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
    QCOMPARE(QApplication::clipboard()->text(),
        QStringLiteral("Controller\tPeak pods\npredictive\t-\nhpa\t6\n"));

    // Nothing selected: the whole table, a line per lane under a line of headers.
    table->clearSelection();
    QTest::keyClick(table, Qt::Key_C, Qt::ControlModifier);
    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'));
    QCOMPARE(int(lines.size()), 4); // headers, two lanes, the final line break
    QCOMPARE(int(lines[0].split(QLatin1Char('\t')).size()), int(ui::SummaryModel::ColumnCount));
    QVERIFY(lines[0].startsWith(QStringLiteral("Controller\tRequests\tSLO violations\t"
                                               "Violation seconds\t")));
    QVERIFY(lines[2].startsWith(QStringLiteral("hpa\t") + QLocale().toString(2000)
        + QStringLiteral("\t500 (25.0 %)\t0 s\t812 ms\t")));
}

void TestSummaryModel::sixLanesFitBesideTheEventsAt1600()
{
    // The run a new user tried: bursts with six lanes at 400 s, where lanes that missed a
    // burst read "0 s, 1 missed", and the predictive lane without its model says so in its
    // status. The window's default 1600 px, with the events list beside the table.
    const traffic::Scenario scenario = traffic::resolveScenario("bursts");
    sim::Experiment experiment(sim::scenarioConfig(scenario,
                                   {"predictive", "hpa", "kpa", "linear", "holt-winters", "clairvoyant"}),
        std::make_unique<traffic::ScenarioArrivals>(scenario));
    experiment.advanceTo(400.0);
    ui::ComparisonData data = ui::comparisonFromExperiment(experiment);
    data.state = ui::RunState::Finished;
    data.lanes[0].summary.modelError = "no model file at /nonexistent.pt";

    ui::ComparisonView view;
    auto *events = new QWidget;
    view.setTableCompanion(events);
    view.resize(1600, 1000);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));
    view.showData(data, 0.0, 400.0);
    QCoreApplication::processEvents();
    QTableView *table = view.summaryTable();
    const QAbstractItemModel *model = table->model();
    const int status = ui::SummaryModel::Status;
    QCOMPARE(model->index(0, status).data().toString(),
        QStringLiteral("finished, no model: reactive rule"));
    bool missed = false;
    for (int row = 0; row < model->rowCount(); ++row)
        missed |= model->index(row, ui::SummaryModel::ScaleTime).data().toString().contains(QStringLiteral("missed"));
    QVERIFY(missed);

    // No sideways scrolling: every column within the table, the table within the view, the
    // events list keeping its room.
    QCOMPARE(table->horizontalScrollBarPolicy(), Qt::ScrollBarAlwaysOff);
    int columns = 0;
    for (int column = 0; column < model->columnCount(); ++column)
        columns += table->columnWidth(column);
    QVERIFY2(columns <= table->viewport()->width(),
        qPrintable(QString::number(columns) + " > " + QString::number(table->viewport()->width())));
    QVERIFY(table->geometry().right() < events->geometry().left());
    QVERIFY2(events->width() >= 400, qPrintable(QString::number(events->width())));
    // The numbers read whole; only the status may be cut, and its tooltip has all of it.
    const QAbstractItemView *view_ = table;
    for (int column = 0; column < status; ++column)
        QVERIFY2(table->columnWidth(column) >= view_->sizeHintForColumn(column),
            qPrintable(model->headerData(column, Qt::Horizontal).toString()));
    QVERIFY(table->columnWidth(status)
        >= table->fontMetrics().horizontalAdvance(QStringLiteral("finished, ")));
    QCOMPARE(model->index(0, status).data(Qt::ToolTipRole).toString(),
        QStringLiteral("finished, no model: reactive rule"));
}

void TestSummaryModel::contextMenuCopiesMarkdown()
{
    ui::ComparisonData data;
    data.durationS = 10.0;
    data.lanes.resize(1);
    metrics::LaneSummary hpa = twoLanes()[1];
    hpa.controller = "hpa|test"; // a pipe must not split the cell
    data.lanes[0].controller = hpa.controller;
    data.lanes[0].summary = hpa;
    ui::ComparisonView view;
    view.showData(data, 0.0, data.durationS);
    QTableView *table = view.summaryTable();
    QCOMPARE(table->contextMenuPolicy(), Qt::ActionsContextMenu);
    QAction *markdown = nullptr;
    for (QAction *action : table->actions()) {
        if (action->text() == QStringLiteral("Copy table as Markdown"))
            markdown = action;
    }
    QVERIFY(markdown);
    QApplication::clipboard()->clear();
    markdown->trigger();
    const QStringList lines = QApplication::clipboard()->text().split(QLatin1Char('\n'));
    QCOMPARE(int(lines.size()), 4);
    QVERIFY2(lines[0].startsWith(QStringLiteral("| Controller | Requests | SLO violations | "
                                                "Violation seconds | p95 latency |")),
        qPrintable(lines[0]));
    QVERIFY(lines[0].endsWith(QStringLiteral(" | Status |")));
    QVERIFY(lines[1].startsWith(QStringLiteral("| --- | ---: | ---: |")));
    QVERIFY(lines[1].endsWith(QStringLiteral("---: | --- |")));
    QVERIFY2(lines[2].startsWith(QStringLiteral("| hpa\\|test | ")), qPrintable(lines[2]));
    QVERIFY(lines[2].endsWith(QStringLiteral(" | ready |")));
    QCOMPARE(lines[3], QString());
}

// The table takes focus on a click (for Ctrl+C); Space still starts and pauses the run.
void TestSummaryModel::focusedTableLeavesWindowShortcuts()
{
    ui::ComparisonData data;
    data.lanes.resize(1);
    data.lanes[0].controller = "hpa";
    ui::ComparisonView view;
    auto *space = new QShortcut(QKeySequence(Qt::Key_Space), &view);
    QSignalSpy activated(space, &QShortcut::activated);
    view.show();
    view.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&view));
    view.showData(data, 0.0, 10.0);
    QTableView *table = view.summaryTable();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
        table->visualRect(table->model()->index(0, 0)).center());
    QTRY_VERIFY(table->hasFocus());
    QTest::keyClick(table, Qt::Key_Space);
    QCOMPARE(activated.count(), 1);
}

QTEST_MAIN(TestSummaryModel)
#include "tst_summarymodel.moc"
