#include "eventmodel.h"
#include "eventstyle.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

using namespace headroom;
using Entry = ui::EventModel::Entry;

class TestEventModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void rowsFollowTimeNewestLast();
    void spikeOnEveryLaneIsOneRow();
    void regionEventsSayWhatBeginsAndEnds();
    void noDataHasAMarkOfItsOwn();
    void fallbackSpansReadWithTheirOwnColour();
    void oldestRowsGoBeyondTheCap();
    void clearEmpties();
    void pastAnHourEveryRowReadsAsAClock();
    void timeTextReadsAtAnyLength_data();
    void timeTextReadsAtAnyLength();
    void progressReadsInOneForm_data();
    void progressReadsInOneForm();

private:
    static Entry entry(const char *lane, double tS, const char *kind, const char *text);
    QString text(int row, int column) const;

    std::unique_ptr<ui::EventModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

Entry TestEventModel::entry(const char *lane, double tS, const char *kind, const char *text)
{
    return {QString::fromLatin1(lane), {tS, kind, text, "", false}};
}

QString TestEventModel::text(int row, int column) const
{
    return m_model->index(row, column).data().toString();
}

void TestEventModel::init()
{
    m_model = std::make_unique<ui::EventModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestEventModel::rowsFollowTimeNewestLast()
{
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->append({entry("hpa", 12.0, "scale", "HPA 2 -> 4"),
                        entry("predictive", 5.0, "scale", "predictive 2 -> 3")},
        2);
    m_model->append({entry("hpa", 15.0, "condition", "HPA ScalingLimited=True ScaleUpLimit")}, 2);
    QCOMPARE(inserted.count(), 2);
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(m_model->columnCount(), int(ui::EventModel::ColumnCount));
    QCOMPARE(text(0, ui::EventModel::Lane), QStringLiteral("predictive"));
    QCOMPARE(text(0, ui::EventModel::Time), QStringLiteral("5 s"));
    QCOMPARE(text(2, ui::EventModel::Kind), QStringLiteral("condition"));
    QCOMPARE(text(2, ui::EventModel::Text), QStringLiteral("HPA ScalingLimited=True ScaleUpLimit"));
    QCOMPARE(m_model->index(1, ui::EventModel::Time).data(Qt::UserRole).toDouble(), 12.0);
    QVERIFY(
        m_model->index(1, ui::EventModel::Kind).data(Qt::DecorationRole).value<QColor>().isValid());
    QCOMPARE(m_model->headerData(ui::EventModel::Text, Qt::Horizontal).toString(),
        QStringLiteral("Event"));
}

void TestEventModel::spikeOnEveryLaneIsOneRow()
{
    m_model->append({entry("predictive", 26.0, "spike", "spike x6 for 30 s"),
                        entry("hpa", 26.0, "spike", "spike x6 for 30 s"),
                        entry("hpa", 26.0, "scale", "HPA 2 -> 4")},
        2);
    QCOMPARE(m_model->rowCount(), 2);
    QCOMPARE(text(0, ui::EventModel::Lane), QStringLiteral("all lanes"));
    QCOMPARE(text(1, ui::EventModel::Lane), QStringLiteral("hpa"));
}

void TestEventModel::regionEventsSayWhatBeginsAndEnds()
{
    m_model->append(
        {{QStringLiteral("kpa"), {3.0, "condition", "KPA entering panic", "KPA panic", true}},
            {QStringLiteral("kpa"), {9.0, "condition", "KPA exiting panic", "KPA panic", false}}},
        1);
    QCOMPARE(text(0, ui::EventModel::Kind), QStringLiteral("KPA panic begins"));
    QCOMPARE(text(1, ui::EventModel::Kind), QStringLiteral("KPA panic ends"));
}

void TestEventModel::fallbackSpansReadWithTheirOwnColour()
{
    m_model->append({{QStringLiteral("predictive"),
                         {4.0, "fallback", "predictive: reactive rule (warming up)",
                             "reactive fallback", true}},
                        {QStringLiteral("predictive"),
                            {25.0, "fallback", "predictive: model back in control",
                                "reactive fallback", false}},
                        {QStringLiteral("kpa"),
                            {9.0, "condition", "KPA entering panic", "KPA panic", true}}},
        2);
    QCOMPARE(text(0, ui::EventModel::Kind), QStringLiteral("reactive fallback begins"));
    QCOMPARE(text(0, ui::EventModel::Text), QStringLiteral("predictive: reactive rule (warming up)"));
    QCOMPARE(text(2, ui::EventModel::Kind), QStringLiteral("reactive fallback ends"));
    const auto colour = [this](int row) {
        return m_model->index(row, ui::EventModel::Kind).data(Qt::DecorationRole).value<QColor>();
    };
    QCOMPARE(colour(0), colour(2));
    QVERIFY(colour(0) != colour(1)); // apart from KPA panic
}

void TestEventModel::oldestRowsGoBeyondTheCap()
{
    m_model->setMaxRows(5);
    for (int batch = 0; batch < 3; ++batch) {
        std::vector<Entry> entries;
        for (int i = 0; i < 3; ++i)
            entries.push_back(entry("hpa", batch * 3 + i, "scale", "x"));
        m_model->append(std::move(entries), 1);
    }
    QCOMPARE(m_model->rowCount(), 5);
    QCOMPARE(text(0, ui::EventModel::Time), QStringLiteral("4 s"));
    QCOMPARE(text(4, ui::EventModel::Time), QStringLiteral("8 s"));
}

void TestEventModel::clearEmpties()
{
    m_model->append({entry("hpa", 1.0, "scale", "x")}, 1);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->clear();
    QCOMPARE(reset.count(), 1);
    QCOMPARE(m_model->rowCount(), 0);
    m_model->append({}, 1);
    QCOMPARE(m_model->rowCount(), 0);
}

// One column, one clock: once an event passes an hour the earlier rows turn to h:mm:ss too.
void TestEventModel::pastAnHourEveryRowReadsAsAClock()
{
    m_model->append({entry("hpa", 2631.0, "scale", "HPA 2 -> 4")}, 2);
    const QModelIndex first = m_model->index(0, ui::EventModel::Time);
    QCOMPARE(m_model->data(first).toString(), QStringLiteral("2631 s"));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    m_model->append({entry("hpa", 3970.0, "scale", "HPA 4 -> 5")}, 2);
    QCOMPARE(m_model->data(first).toString(), QStringLiteral("0:43:51"));
    QCOMPARE(m_model->data(m_model->index(1, ui::EventModel::Time)).toString(),
        QStringLiteral("1:06:10"));
    QCOMPARE(changed.size(), 1); // the views repaint the rows already shown
    m_model->clear();
    m_model->append({entry("hpa", 42.0, "scale", "HPA 1 -> 2")}, 2);
    QCOMPARE(m_model->data(m_model->index(0, ui::EventModel::Time)).toString(),
        QStringLiteral("42 s"));
}

void TestEventModel::timeTextReadsAtAnyLength_data()
{
    QTest::addColumn<double>("seconds");
    QTest::addColumn<QString>("text");
    QTest::addRow("seconds") << 42.0 << QStringLiteral("42 s");
    QTest::addRow("under an hour") << 3599.0 << QStringLiteral("3599 s");
    QTest::addRow("hours") << 3723.0 << QStringLiteral("1:02:03");
    QTest::addRow("just under a day") << 86399.0 << QStringLiteral("23:59:59");
    QTest::addRow("a day") << 86400.0 << QStringLiteral("1d 00:00:00");
    // Days first: "662:24:00" was 27 days and a bit, read by no one at a glance.
    QTest::addRow("days") << 27.6 * 86400 << QStringLiteral("27d 14:24:00");
}

void TestEventModel::timeTextReadsAtAnyLength()
{
    QFETCH(double, seconds);
    QFETCH(QString, text);
    QCOMPARE(ui::eventTimeText(seconds), text);
}

void TestEventModel::progressReadsInOneForm_data()
{
    QTest::addColumn<double>("now");
    QTest::addColumn<double>("duration");
    QTest::addColumn<QString>("text");
    QTest::addRow("seed-spike") << 18.4 << 60.0 << QStringLiteral("18 s / 60 s");
    // Twelve days of NASA July had read "1108800 s / 2381520 s".
    QTest::addRow("days") << 1108800.0 << 2381520.0
                          << QStringLiteral("12d 20:00:00 / 27d 13:32:00");
    // An hour's run reads as clocks from its start, not seconds that turn into a clock.
    QTest::addRow("an hour's start") << 5.0 << 3600.0 << QStringLiteral("0:00:05 / 1:00:00");
}

void TestEventModel::progressReadsInOneForm()
{
    QFETCH(double, now);
    QFETCH(double, duration);
    QFETCH(QString, text);
    QCOMPARE(ui::progressText(now, duration), text);
}

// A hole in the trace is neither a controller state nor a fallback: its own neutral mark.
void TestEventModel::noDataHasAMarkOfItsOwn()
{
    const metrics::LaneEvent hole {100.0, "condition", "no data: ...", "no data", true};
    QCOMPARE(ui::eventMark(hole), ui::EventMark::NoDataRegion);
    const metrics::LaneEvent panic {10.0, "condition", "KPA panic", "KPA panic", true};
    QCOMPARE(ui::eventMark(panic), ui::EventMark::Region);
    for (bool dark : {false, true}) {
        QVERIFY(ui::eventColor(ui::EventMark::NoDataRegion, dark) != ui::eventColor(ui::EventMark::Region, dark));
        QVERIFY(ui::eventColor(ui::EventMark::NoDataRegion, dark)
            != ui::eventColor(ui::EventMark::FallbackRegion, dark));
    }
}

QTEST_GUILESS_MAIN(TestEventModel)
#include "tst_eventmodel.moc"
