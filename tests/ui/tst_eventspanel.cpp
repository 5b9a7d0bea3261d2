#include "eventmodel.h"
#include "eventspanel.h"

#include <QScrollBar>
#include <QTableView>
#include <QTest>

using namespace headroom;

class TestEventsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void followsTheNewestWhileAtTheBottom();
    void staysPutOnceScrolledUp();
    void timeColumnFitsTheLatestTime();

private:
    static void appendRows(ui::EventModel &model, int from, int count);
};

void TestEventsPanel::appendRows(ui::EventModel &model, int from, int count)
{
    std::vector<ui::EventModel::Entry> entries;
    for (int i = from; i < from + count; ++i)
        entries.push_back({QStringLiteral("hpa"), {double(i), "scale", "HPA 2 -> 3", "", false}});
    model.append(std::move(entries), 1);
}

void TestEventsPanel::followsTheNewestWhileAtTheBottom()
{
    ui::EventModel model;
    ui::EventsPanel panel(&model);
    panel.resize(500, 150);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    for (int batch = 0; batch < 5; ++batch)
        appendRows(model, batch * 10, 10);
    // The view lays new rows out from the event loop; the scroll range follows.
    const QScrollBar *bar = panel.view()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());
    QVERIFY(panel.isFollowing());
}

void TestEventsPanel::staysPutOnceScrolledUp()
{
    ui::EventModel model;
    ui::EventsPanel panel(&model);
    panel.resize(500, 150);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    appendRows(model, 0, 50);
    QScrollBar *bar = panel.view()->verticalScrollBar();
    QTRY_VERIFY(bar->maximum() > 0);
    bar->setValue(0); // the operator reads an old event
    const int max = bar->maximum();
    appendRows(model, 50, 10);
    QTRY_VERIFY(bar->maximum() > max);
    QCOMPARE(bar->value(), 0);
    QVERIFY(!panel.isFollowing());

    model.clear(); // a new run follows again
    appendRows(model, 0, 50);
    QTRY_VERIFY(bar->maximum() > 0);
    QTRY_COMPARE(bar->value(), bar->maximum());
}

// Past a day an event's time reads "12d 19:44:08": the column widens to show it whole, and
// is back to its width for a new run.
void TestEventsPanel::timeColumnFitsTheLatestTime()
{
    ui::EventModel model;
    ui::EventsPanel panel(&model);
    panel.resize(500, 150);
    panel.show();
    QVERIFY(QTest::qWaitForWindowExposed(&panel));
    appendRows(model, 10, 1);
    const int narrow = panel.view()->columnWidth(ui::EventModel::Time);
    appendRows(model, 1108800 + 2648, 1);
    const QString latest = model.index(1, ui::EventModel::Time).data().toString();
    QCOMPARE(latest, QStringLiteral("12d 20:44:08"));
    const int wide = panel.view()->columnWidth(ui::EventModel::Time);
    QVERIFY2(wide >= panel.view()->fontMetrics().horizontalAdvance(latest),
        qPrintable(QStringLiteral("%1 px for %2").arg(wide).arg(latest)));
    model.clear();
    QCOMPARE(panel.view()->columnWidth(ui::EventModel::Time), narrow);
}

QTEST_MAIN(TestEventsPanel)
#include "tst_eventspanel.moc"
