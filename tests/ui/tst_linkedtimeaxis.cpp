// The shared time axis on its own: what it shows while following, what a zoom or a pan
// holds, and how a preset, Live and reset bring it back.

#include "linkedtimeaxis.h"

#include <QSignalSpy>
#include <QTest>

using headroom::ui::LinkedTimeAxis;

class TestLinkedTimeAxis : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void wholeRunFollowsTheRun();
    void windowShowsTheLastSeconds();
    void windowLeavesRoomForTheForecast();
    void zoomHoldsWhileDataArrives();
    void liveFollowsAgainWithTheSameWindow();
    void wheelZoomKeepsTheTimeAtTheCursor_data();
    void wheelZoomKeepsTheTimeAtTheCursor();
    void zoomStopsAtTheMinimumSpan();
    void zoomOutStopsAtTheWholeRun();
    void panKeepsTheSpanAndStopsAtTheEdges();
    void resetShowsTheWholeRunAndFollows();
    void holdKeepsWhatIsShown();
    void describeSaysWhatIsShown();
    void aLiveClusterStartsAtItsFirstReading();
};

void TestLinkedTimeAxis::wholeRunFollowsTheRun()
{
    LinkedTimeAxis axis;
    QVERIFY(axis.following());
    axis.setExtent(20.0, 0.0);
    QCOMPARE(axis.x0(), 0.0);
    QCOMPARE(axis.x1(), 60.0); // at least a minute
    axis.setExtent(500.0, 0.0);
    QCOMPARE(axis.x1(), 500.0);
    axis.setExtent(500.0, 120.0); // a forecast band ahead
    QCOMPARE(axis.x1(), 620.0);
    // A run shorter than the minute ends the axis at its end: a 30 s run drew on 0-60 s,
    // half of every chart empty (a new-user trial).
    axis.setRunLength(30.0);
    axis.setExtent(5.0, 0.0);
    QCOMPARE(axis.x1(), 30.0);
    axis.setExtent(30.0, 0.0);
    QCOMPARE(axis.x1(), 30.0);
    axis.setExtent(25.0, 15.0); // its forecast band still has room
    QCOMPARE(axis.x1(), 40.0);
}

void TestLinkedTimeAxis::windowShowsTheLastSeconds()
{
    LinkedTimeAxis axis;
    QSignalSpy changed(&axis, &LinkedTimeAxis::rangeChanged);
    axis.setWindow(60.0);
    QCOMPARE(changed.count(), 1);
    axis.setExtent(30.0, 0.0); // less than the window so far: its first minute
    QCOMPARE(axis.x0(), 0.0);
    QCOMPARE(axis.x1(), 60.0);
    axis.setExtent(500.0, 0.0);
    QCOMPARE(axis.x0(), 440.0);
    QCOMPARE(axis.x1(), 500.0);
    axis.setExtent(501.0, 0.0); // moves with the data, without a signal: the caller redraws
    QCOMPARE(axis.x0(), 441.0);
    QCOMPARE(axis.x1(), 501.0);
    QCOMPARE(changed.count(), 1);
}

void TestLinkedTimeAxis::windowLeavesRoomForTheForecast()
{
    LinkedTimeAxis axis;
    axis.setWindow(300.0);
    axis.setExtent(1000.0, 30.0);
    QCOMPARE(axis.x0(), 700.0);
    QCOMPARE(axis.x1(), 1030.0);
    axis.setExtent(1000.0, 180.0); // at most a third of the window ahead
    QCOMPARE(axis.x1(), 1100.0);
}

void TestLinkedTimeAxis::zoomHoldsWhileDataArrives()
{
    LinkedTimeAxis axis;
    axis.setExtent(1200.0, 0.0);
    QSignalSpy following(&axis, &LinkedTimeAxis::followingChanged);
    QSignalSpy changed(&axis, &LinkedTimeAxis::rangeChanged);
    axis.zoomTo(900.0, 300.0); // either order
    QVERIFY(!axis.following());
    QCOMPARE(following.count(), 1);
    QCOMPARE(following.first().first().toBool(), false);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(axis.x0(), 300.0);
    QCOMPARE(axis.x1(), 900.0);
    for (double now = 1201.0; now < 2000.0; now += 37.0) {
        axis.setExtent(now, 60.0);
        QCOMPARE(axis.x0(), 300.0);
        QCOMPARE(axis.x1(), 900.0);
    }
}

void TestLinkedTimeAxis::liveFollowsAgainWithTheSameWindow()
{
    LinkedTimeAxis axis;
    axis.setWindow(300.0);
    axis.setExtent(1000.0, 0.0);
    axis.zoomAt(0.5, 0.5);
    QVERIFY(!axis.following());
    axis.setExtent(1100.0, 0.0);
    axis.followLive();
    QVERIFY(axis.following());
    QCOMPARE(axis.windowS(), 300.0);
    QCOMPARE(axis.x0(), 800.0);
    QCOMPARE(axis.x1(), 1100.0);
}

void TestLinkedTimeAxis::wheelZoomKeepsTheTimeAtTheCursor_data()
{
    QTest::addColumn<double>("fraction");
    QTest::addColumn<double>("factor");
    QTest::newRow("in at the left third") << 1.0 / 3.0 << 0.8;
    QTest::newRow("in at the right edge") << 1.0 << 0.5;
    QTest::newRow("in at the left edge") << 0.0 << 0.5;
    QTest::newRow("out in the middle") << 0.5 << 1.25;
}

void TestLinkedTimeAxis::wheelZoomKeepsTheTimeAtTheCursor()
{
    QFETCH(double, fraction);
    QFETCH(double, factor);
    LinkedTimeAxis axis;
    axis.setExtent(3600.0, 0.0);
    axis.zoomTo(1000.0, 2000.0);
    for (int notch = 0; notch < 4; ++notch) {
        const double before = axis.x0() + fraction * (axis.x1() - axis.x0());
        const double span = axis.x1() - axis.x0();
        axis.zoomAt(fraction, factor);
        const double after = axis.x0() + fraction * (axis.x1() - axis.x0());
        QVERIFY2(std::abs(after - before) < 1e-6,
            qPrintable(QString::number(before) + QStringLiteral(" -> ") + QString::number(after)));
        QVERIFY(std::abs((axis.x1() - axis.x0()) - span * factor) < 1e-6);
    }
}

void TestLinkedTimeAxis::zoomStopsAtTheMinimumSpan()
{
    LinkedTimeAxis axis;
    axis.setExtent(600.0, 0.0);
    for (int notch = 0; notch < 50; ++notch)
        axis.zoomAt(0.5, 0.5);
    QCOMPARE(axis.x1() - axis.x0(), LinkedTimeAxis::kMinSpanS);
    axis.zoomTo(100.0, 101.0);
    QCOMPARE(axis.x1() - axis.x0(), LinkedTimeAxis::kMinSpanS);
}

void TestLinkedTimeAxis::zoomOutStopsAtTheWholeRun()
{
    LinkedTimeAxis axis;
    axis.setExtent(600.0, 0.0);
    axis.zoomTo(200.0, 300.0);
    for (int notch = 0; notch < 20; ++notch)
        axis.zoomAt(0.9, 2.0);
    QCOMPARE(axis.x0(), 0.0);
    QCOMPARE(axis.x1(), 600.0);
    QVERIFY(!axis.following()); // still held: only Live or reset follow again
}

void TestLinkedTimeAxis::panKeepsTheSpanAndStopsAtTheEdges()
{
    LinkedTimeAxis axis;
    axis.setExtent(1000.0, 0.0);
    axis.zoomTo(400.0, 600.0);
    axis.panBy(0.25);
    QCOMPARE(axis.x0(), 450.0);
    QCOMPARE(axis.x1(), 650.0);
    axis.panBy(-10.0);
    QCOMPARE(axis.x0(), 0.0);
    QCOMPARE(axis.x1(), 200.0);
    axis.panBy(10.0);
    QCOMPARE(axis.x0(), 800.0);
    QCOMPARE(axis.x1(), 1000.0);
    // New data makes room further right.
    axis.setExtent(1100.0, 0.0);
    axis.panBy(10.0);
    QCOMPARE(axis.x1(), 1100.0);
}

void TestLinkedTimeAxis::resetShowsTheWholeRunAndFollows()
{
    LinkedTimeAxis axis;
    axis.setWindow(60.0);
    axis.setExtent(900.0, 0.0);
    axis.zoomTo(100.0, 200.0);
    QSignalSpy following(&axis, &LinkedTimeAxis::followingChanged);
    axis.reset();
    QVERIFY(axis.following());
    QCOMPARE(following.count(), 1);
    QCOMPARE(axis.windowS(), LinkedTimeAxis::kWholeRun);
    QCOMPARE(axis.x0(), 0.0);
    QCOMPARE(axis.x1(), 900.0);
    axis.setExtent(950.0, 0.0);
    QCOMPARE(axis.x1(), 950.0);
}

void TestLinkedTimeAxis::holdKeepsWhatIsShown()
{
    LinkedTimeAxis axis;
    axis.setWindow(300.0);
    axis.setExtent(1000.0, 0.0);
    axis.hold();
    QVERIFY(!axis.following());
    axis.setExtent(1500.0, 0.0);
    QCOMPARE(axis.x0(), 700.0);
    QCOMPARE(axis.x1(), 1000.0);
}

void TestLinkedTimeAxis::describeSaysWhatIsShown()
{
    LinkedTimeAxis axis;
    QCOMPARE(axis.describe(), QStringLiteral("live, whole run"));
    axis.setWindow(300.0);
    QCOMPARE(axis.describe(), QStringLiteral("live, last 5 min"));
    axis.setExtent(4000.0, 0.0);
    axis.zoomTo(300.0, 900.0);
    QCOMPARE(axis.describe(), QStringLiteral("held at 300 s - 900 s"));
    // Late in a long run as the axis reads: clock time, not 5-digit seconds.
    axis.setExtent(40000.0, 0.0);
    axis.zoomTo(36092.0, 39692.0);
    QCOMPARE(axis.describe(), QStringLiteral("held at 10:01:32 - 11:01:32"));
    QCOMPARE(headroom::ui::windowText(3600.0), QStringLiteral("1 h"));
    QCOMPARE(headroom::ui::windowText(90.0), QStringLiteral("90 s"));
}

// A live cluster joined at its 182 s: the whole run, a window and a zoom start there, not at
// its 0 s (a new-user trial's 15 s were a sliver at the right of a 0-198 s axis).
void TestLinkedTimeAxis::aLiveClusterStartsAtItsFirstReading()
{
    LinkedTimeAxis axis;
    axis.setStart(182.0);
    axis.setRunLength(198.0); // --follow 15 from 183 s
    axis.setExtent(190.0, 0.0);
    QCOMPARE(axis.x0(), 182.0);
    QCOMPARE(axis.x1(), 198.0);
    axis.setExtent(198.0, 0.0);
    QCOMPARE(axis.x0(), 182.0);
    QCOMPARE(axis.x1(), 198.0);
    // Followed without an end: the minute from its start, as a simulated run's from 0.
    axis.setRunLength(0.0);
    axis.setExtent(190.0, 0.0);
    QCOMPARE(axis.x0(), 182.0);
    QCOMPARE(axis.x1(), 242.0);
    // A window of fewer seconds than there are: its first N seconds, from the start.
    axis.setWindow(10.0);
    axis.setExtent(186.0, 0.0);
    QCOMPARE(axis.x0(), 182.0);
    QCOMPARE(axis.x1(), 192.0);
    axis.setExtent(300.0, 0.0);
    QCOMPARE(axis.x0(), 290.0);
    // A zoom out or a pan stops at the start.
    axis.zoomTo(250.0, 260.0);
    for (int notch = 0; notch < 20; ++notch)
        axis.zoomAt(0.5, 2.0);
    QCOMPARE(axis.x0(), 182.0);
    QCOMPARE(axis.x1(), 300.0);
    axis.zoomTo(250.0, 260.0);
    axis.panBy(-100.0);
    QCOMPARE(axis.x0(), 182.0);
    QCOMPARE(axis.x1(), 192.0);
}

QTEST_GUILESS_MAIN(TestLinkedTimeAxis)
#include "tst_linkedtimeaxis.moc"
