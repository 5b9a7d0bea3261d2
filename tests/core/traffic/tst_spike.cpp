// The operator's spike presets: the traffic factor each gives over its span, and the
// requests a fired spike adds, as a user would count them.
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"
#include "traffic/spike.h"

#include <QTest>
#include <cmath>
#include <memory>

using namespace headroom;
using traffic::Spike;
using traffic::SpikeShape;

class TestSpike : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namesRoundTrip();
    void stepIsFullForItsWholeSpan();
    void rampAndTriangleClimbAndFall();
    void decayStartsFullAndFades();
    void firedShapesAddTheirShareOfRequests();
};

void TestSpike::namesRoundTrip()
{
    for (SpikeShape shape : {SpikeShape::Step, SpikeShape::Ramp, SpikeShape::Triangle, SpikeShape::Decay})
        QCOMPARE(traffic::parseSpikeShape(traffic::spikeShapeName(shape)), std::optional(shape));
    QVERIFY(!traffic::parseSpikeShape("sawtooth"));
}

void TestSpike::stepIsFullForItsWholeSpan()
{
    const Spike s = Spike::withShape(SpikeShape::Step, 100.0, 40.0, 5.0);
    QCOMPARE(s.factorAt(99.9), 1.0);
    QCOMPARE(s.factorAt(100.0), 5.0);
    QCOMPARE(s.factorAt(139.9), 5.0);
    QCOMPARE(s.factorAt(140.0), 1.0);
}

void TestSpike::rampAndTriangleClimbAndFall()
{
    const Spike ramp = Spike::withShape(SpikeShape::Ramp, 0.0, 40.0, 5.0);
    QCOMPARE(ramp.factorAt(5.0), 3.0); // half way up the 10 s ramp
    QCOMPARE(ramp.factorAt(20.0), 5.0);
    QCOMPARE(ramp.factorAt(35.0), 3.0);
    const Spike triangle = Spike::withShape(SpikeShape::Triangle, 0.0, 40.0, 5.0);
    QCOMPARE(triangle.factorAt(10.0), 3.0);
    QCOMPARE(triangle.factorAt(20.0), 5.0);
    QCOMPARE(triangle.factorAt(30.0), 3.0);
}

void TestSpike::decayStartsFullAndFades()
{
    const Spike decay = Spike::withShape(SpikeShape::Decay, 0.0, 40.0, 5.0);
    QCOMPARE(decay.factorAt(0.0), 5.0);
    QVERIFY(std::abs(decay.factorAt(10.0) - (1.0 + 4.0 * std::exp(-1.0))) < 1e-12);
    QVERIFY(decay.factorAt(39.9) < 1.08); // 2 % of the excess left at the end
    QCOMPARE(decay.factorAt(40.0), 1.0);
}

// A 10 req/s constant scenario with each preset fired for 40 s at x5: the extra requests are
// the integral of the factor's excess (step 1600, ramp 1200, triangle 800, decay ~393).
void TestSpike::firedShapesAddTheirShareOfRequests()
{
    const auto extra = [](SpikeShape shape) {
        const traffic::Scenario scenario = traffic::parseScenario(
            R"({"name": "flat", "duration_s": 100, "seed": 3,
                "segments": [{"type": "constant", "start_s": 0, "end_s": 100, "rate": 10}]})",
            "flat");
        sim::Experiment experiment(sim::scenarioConfig(scenario, {"hpa"}),
            std::make_unique<traffic::ScenarioArrivals>(scenario));
        experiment.advanceTo(20.0);
        experiment.fireSpike(Spike::withShape(shape, 20.0, 40.0, 5.0));
        experiment.runToEnd();
        return static_cast<double>(experiment.summary().lanes.front().requests) - 1000.0;
    };
    // Poisson noise: a few standard deviations of sqrt(2600) ~ 51.
    QVERIFY2(std::abs(extra(SpikeShape::Step) - 1600.0) < 200.0, "step");
    QVERIFY2(std::abs(extra(SpikeShape::Ramp) - 1200.0) < 200.0, "ramp");
    QVERIFY2(std::abs(extra(SpikeShape::Triangle) - 800.0) < 200.0, "triangle");
    QVERIFY2(std::abs(extra(SpikeShape::Decay) - 4.0 * 10.0 * 10.0 * (1.0 - std::exp(-4.0))) < 200.0, "decay");
}

QTEST_GUILESS_MAIN(TestSpike)
#include "tst_spike.moc"
