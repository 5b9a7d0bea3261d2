#include "control/clairvoyantcontroller.h"
#include "sim/clusterconfig.h"
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <QTest>

using namespace headroom;
using control::ClairvoyantController;
using traffic::Arrival;

namespace {

traffic::Scenario scenarioNamed(const std::string &name)
{
    if (name == "pod-queues") {
        traffic::Scenario scenario;
        scenario.name = name;
        scenario.source = "test";
        scenario.durationS = 300.0;
        scenario.cluster.podQueueCapacity = 50;
        scenario.cluster.serviceCv = 3.0;
        scenario.segments.push_back({traffic::Segment::Kind::Constant, 0.0, 300.0, 10.0});
        scenario.segments.push_back({traffic::Segment::Kind::Spike, 100.0, 160.0, 30.0});
        return scenario;
    }
    if (name == "instant-pods") {
        traffic::Scenario scenario;
        scenario.name = name;
        scenario.source = "test";
        scenario.durationS = 300.0;
        scenario.cluster.podPendingS = 0.0;
        scenario.cluster.podStartingS = 0.0;
        scenario.cluster.serviceCv = 3.0;
        scenario.segments.push_back({traffic::Segment::Kind::Constant, 0.0, 300.0, 8.0});
        scenario.segments.push_back({traffic::Segment::Kind::Spike, 60.0, 120.0, 40.0, 0.0, 0.0, 60.0, 0.0, 5.0});
        scenario.segments.push_back({traffic::Segment::Kind::Spike, 200.0, 230.0, 30.0});
        return scenario;
    }
    if (name != "llm-steady")
        return traffic::builtinScenario(name);
    // Requests of seconds (the llm preset: 1.5 s mean, CV 0.6) at 40 req/s: about 60 in
    // service at any time, a third of them started more than 2 s before.
    traffic::Scenario scenario;
    scenario.name = name;
    scenario.source = "test";
    scenario.durationS = 400.0;
    sim::applyPreset("llm", scenario.cluster);
    scenario.cluster.maxReplicas = 300;
    scenario.segments.push_back({traffic::Segment::Kind::Constant, 0.0, 400.0, 40.0});
    return scenario;
}

metrics::RunSummary runScenario(const std::string &name)
{
    const traffic::Scenario scenario = scenarioNamed(name);
    sim::Experiment e(sim::scenarioConfig(scenario, {"predictive", "hpa", "clairvoyant"}),
        std::make_unique<traffic::ScenarioArrivals>(scenario));
    e.runToEnd();
    return e.summary();
}

} // namespace

class TestClairvoyant : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void serversNeeded_data()
    {
        QTest::addColumn<QList<double>>("times");
        QTest::addColumn<double>("service");
        QTest::addColumn<int>("expected");
        // Four requests at once, 0.3 s each, 0.45 s budget: nobody may wait 0.15 s or more.
        QTest::addRow("simultaneous burst needs one server each") << QList<double> {0, 0, 0, 0} << 0.3 << 4;
        // Spaced 0.4 s apart, 0.3 s each: one server is never busy when the next arrives.
        QTest::addRow("spaced requests share one server") << QList<double> {0, 0.4, 0.8, 1.2} << 0.3 << 1;
        // Pairs 0.1 s apart: the second of a pair waits 0.2 s > 0.15 s on one server.
        QTest::addRow("close pairs need two") << QList<double> {0, 0.1, 1, 1.1} << 0.3 << 2;
        // Service 0.6 s exceeds the budget alone: such a request must just not wait.
        QTest::addRow("slow requests must start at once") << QList<double> {0, 0.5} << 0.6 << 2;
        QTest::addRow("no requests") << QList<double> {} << 0.3 << 0;
    }
    void serversNeeded()
    {
        QFETCH(QList<double>, times);
        QFETCH(double, service);
        QFETCH(int, expected);
        std::vector<Arrival> arrivals;
        for (double t : times)
            arrivals.push_back({t, service});
        QCOMPARE(ClairvoyantController::serversNeeded(arrivals, 0.0, 0.45, 40), expected);
    }

    // With no queue, a request that would wait is rejected, however short the wait: the plan
    // let requests wait within the SLO, and with router_queue_capacity 0 the clairvoyant lane
    // had more violations than the predictive lane (218 to 203; a new-user trial).
    void aWaitingRoomBoundsTheWaits_data()
    {
        QTest::addColumn<long>("router");
        QTest::addColumn<long>("perPod");
        QTest::addColumn<int>("slots");
        QTest::addColumn<int>("expected");
        // Pairs 0.05 s apart, 0.1 s each: the second waits 0.05 s on one server, within budget.
        QTest::addRow("a queue lets them wait") << 1000L << 0L << 1 << 1;
        QTest::addRow("no queue: a server each") << 0L << 0L << 1 << 2;
        // Room for one waiting request per pod: one pod holds the pair.
        QTest::addRow("a pod's own queue") << 0L << 1L << 1 << 1;
        // Three at once with two slots a pod and no queue: two pods.
        QTest::addRow("slots, no queue") << 0L << 0L << 2 << 2;
    }
    void aWaitingRoomBoundsTheWaits()
    {
        QFETCH(long, router);
        QFETCH(long, perPod);
        QFETCH(int, slots);
        QFETCH(int, expected);
        const std::vector<Arrival> arrivals = slots == 2
            ? std::vector<Arrival> {{0.0, 0.1}, {0.0, 0.1}, {0.0, 0.1}}
            : std::vector<Arrival> {{0.0, 0.1}, {0.05, 0.1}, {1.0, 0.1}, {1.05, 0.1}};
        const int servers = ClairvoyantController::serversNeeded(
            arrivals, 0.0, 0.45, 40, {router, perPod, slots});
        QCOMPARE((servers + slots - 1) / slots, expected);
    }

    // A request sent to a pod waits behind that pod's own requests, even when another pod
    // frees first: the plan routes as the simulator does (the least outstanding pod with
    // room). A long request at 0 s, then two short ones: with two pods the third joins the
    // long one's queue (both pods hold one) and waits 2 s; planned as one shared queue, it
    // waited 0.09 s for the short one, and two pods looked enough.
    void podsOwnQueuesAreRoutedAsTheSimulatorRoutes()
    {
        const std::vector<Arrival> arrivals {{0.0, 2.0}, {0.01, 0.1}, {0.02, 0.1}};
        QCOMPARE(ClairvoyantController::serversNeeded(arrivals, 0.0, 0.45, 40, {1000, 0, 1}), 2);
        QCOMPARE(ClairvoyantController::serversNeeded(arrivals, 0.0, 0.45, 40, {1000, 5, 1}), 3);
        // No room in a pod's queue (one slot busy, its queue full): the router keeps the
        // request and hands it to the first pod with room.
        const std::vector<Arrival> burst {{0.0, 0.1}, {0.0, 0.1}, {0.0, 0.1}, {0.0, 0.1}};
        QCOMPARE(ClairvoyantController::serversNeeded(burst, 0.0, 0.45, 40, {1000, 1, 1}), 1);
        QCOMPARE(ClairvoyantController::serversNeeded(burst, 0.0, 0.45, 40, {0, 1, 1}), 2);
    }

    void requestsBeforeThePlannedSecondOccupyServersButAreNotPlanned()
    {
        // A long request at 0 s keeps one server busy; only the 1.0 s one is planned.
        const std::vector<Arrival> arrivals {{0.0, 2.0}, {1.0, 0.1}};
        QCOMPARE(ClairvoyantController::serversNeeded(arrivals, 1.0, 0.45, 40), 2);
    }

    void isTheLimitOnBuiltInScenarios_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addRow("seed-spike") << QStringLiteral("seed-spike");
        QTest::addRow("seed-spike-long") << QStringLiteral("seed-spike-long");
        QTest::addRow("ramp") << QStringLiteral("ramp");
        // Its plan counted two seconds of earlier requests as busy, where requests of
        // several seconds were still in service: 123 violations against the HPA's 121 (and
        // on the Azure trace at 10x, 1,580 against 751: a new-user trial).
        QTest::addRow("llm preset at 40 req/s") << QStringLiteral("llm-steady");
        // Pods' own queues and very uneven service times: planned as one shared queue, 323
        // violations against the predictive lane's 293 (a second trial, 6 December).
        QTest::addRow("pods' own queues, service_cv 3") << QStringLiteral("pod-queues");
        // Pods that start at once: a second was planned 1 s ahead and looked back only that
        // far, missing a 3 s request that arrived before it, still holding the one pod kept
        // (370 violations against the predictive lane's 345; a second trial).
        QTest::addRow("pods that start at once, service_cv 3") << QStringLiteral("instant-pods");
    }
    void isTheLimitOnBuiltInScenarios()
    {
        // The fewest violations of all lanes, and no lane with as few uses fewer pod-seconds.
        QFETCH(QString, scenario);
        const metrics::RunSummary s = runScenario(scenario.toStdString());
        const auto &oracle = s.lanes[2];
        QCOMPARE(oracle.controller, std::string("clairvoyant"));
        for (const auto &lane : s.lanes) {
            QVERIFY2(oracle.sloViolations <= lane.sloViolations, lane.controller.c_str());
            if (lane.sloViolations <= oracle.sloViolations)
                QVERIFY2(lane.podSeconds >= oracle.podSeconds, lane.controller.c_str());
        }
    }

    // The run's last second has no second after it to plan for: the clairvoyant lane keeps
    // its pods for the requests served out after the end, instead of dropping to its
    // minimum (at 3,000 req/s that left the last queue to one pod: 63 violations after
    // the end, against the HPA's 4 in all).
    void keepsItsPodsAtTheLastSecond()
    {
        traffic::Scenario scenario;
        scenario.name = "busy";
        scenario.source = "test";
        scenario.durationS = 40.0;
        scenario.cluster.maxReplicas = 1000;
        scenario.segments.push_back({traffic::Segment::Kind::Constant, 0.0, 40.0, 3000.0});
        sim::Experiment e(sim::scenarioConfig(scenario, {"hpa", "clairvoyant"}),
                          std::make_unique<traffic::ScenarioArrivals>(scenario));
        e.runToEnd();
        const sim::Lane &oracle = *e.lanes()[1];
        QCOMPARE(oracle.controller(), std::string("clairvoyant"));
        for (const metrics::LaneEvent &event : oracle.events())
            QVERIFY2(!(event.kind == "scale" && event.tS >= 40.0), event.text.c_str());
        QVERIFY(oracle.samples().back().podsDesired > 400);
        const metrics::RunSummary s = e.summary();
        QVERIFY2(s.lanes[1].sloViolations <= s.lanes[0].sloViolations + 2,
                 qPrintable(QStringLiteral("clairvoyant %1, hpa %2").arg(s.lanes[1].sloViolations).arg(s.lanes[0].sloViolations)));
    }
};

QTEST_GUILESS_MAIN(TestClairvoyant)
#include "tst_clairvoyant.moc"
