#include "summarymodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

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

private:
    static std::vector<metrics::LaneSummary> twoLanes();

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
        QStringLiteral("SLO violations"));
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
    QVERIFY(m_model->index(2, ui::SummaryModel::ForecastMae)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("target")));
    QCOMPARE(m_model->headerData(ui::SummaryModel::ForecastCoverage, Qt::Horizontal).toString(),
        QStringLiteral("p90 coverage"));
    // Status stays the last column.
    QCOMPARE(int(ui::SummaryModel::Status), m_model->columnCount() - 1);
}

QTEST_GUILESS_MAIN(TestSummaryModel)
#include "tst_summarymodel.moc"
