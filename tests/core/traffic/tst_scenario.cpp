#include "io/inputerror.h"
#include "traffic/scenario.h"

#include <QTemporaryDir>
#include <QTest>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <optional>

using namespace headroom;
using namespace headroom::traffic;

namespace {

template <typename Fn> std::optional<InputError> inputErrorOf(Fn &&fn)
{
    try {
        fn();
    } catch (const InputError &error) {
        return error;
    }
    return std::nullopt;
}

QByteArray scenarioJson(const QByteArray &top, const QByteArray &segments)
{
    return R"({"name": "t", "duration_s": 100)" + top + R"(, "segments": [)" + segments + "]}";
}

const QByteArray kConstant = R"({"type": "constant", "start_s": 0, "end_s": 100, "rate": 5})";

std::string sourceDir()
{
    return qEnvironmentVariable("HEADROOM_SOURCE_DIR", QStringLiteral(".")).toStdString();
}

} // namespace

class TestScenario : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void builtinNamesAreListed();
    void everyBuiltinParses_data();
    void everyBuiltinParses();
    void builtinsMatchTheirResourceFiles();
    void seedSpikeIsTheReferenceExperiment();
    void seedsTakeAll64Bits();
    void segmentShapes();
    void spikeRampsFromTheBaseRate();
    void clusterOverridesApplyAfterThePreset();
    void anotherPresetKeepsTheScenariosOwnSettings();
    void clusterFieldsReproduceTheCluster();
    void badScenarioNamesTheField_data();
    void badScenarioNamesTheField();
    void malformedJsonGivesTheBytePosition();
    void missingFileNamesThePath();
    void resolveTakesNamesThenPaths();
};

void TestScenario::builtinNamesAreListed()
{
    const std::vector<std::string> names = builtinScenarioNames();
    for (const char *name : {"seed-spike", "seed-spike-long", "ramp", "periodic", "bursts"}) {
        QVERIFY2(std::find(names.begin(), names.end(), name) != names.end(), name);
        QVERIFY(isBuiltinScenario(name));
    }
    QVERIFY(!isBuiltinScenario("no-such-scenario"));
    // In the order of their names, as `scenarios` and the source picker list them.
    QVERIFY(std::is_sorted(names.begin(), names.end()));
}

void TestScenario::everyBuiltinParses_data()
{
    QTest::addColumn<QString>("name");
    for (const std::string &name : builtinScenarioNames())
        QTest::addRow("%s", name.c_str()) << QString::fromStdString(name);
}

void TestScenario::everyBuiltinParses()
{
    QFETCH(QString, name);
    const Scenario scenario = builtinScenario(name.toStdString());
    QCOMPARE(QString::fromStdString(scenario.name), name);
    QCOMPARE(scenario.source, std::string("built-in"));
    QVERIFY(!scenario.description.empty());
    QVERIFY(scenario.durationS > 0.0);
    QVERIFY(!scenario.segments.empty());
    for (double t = 0.0; t < scenario.durationS; t += 0.5)
        QVERIFY(std::isfinite(scenario.rateAt(t)) && scenario.rateAt(t) >= 0.0);
}

void TestScenario::builtinsMatchTheirResourceFiles()
{
    for (const std::string &name : builtinScenarioNames()) {
        const std::string path = sourceDir() + "/resources/scenarios/" + name + ".json";
        const Scenario onDisk = loadScenarioFile(path);
        const Scenario compiled = builtinScenario(name);
        QCOMPARE(compiled.description, onDisk.description);
        QCOMPARE(compiled.durationS, onDisk.durationS);
        QCOMPARE(compiled.segments.size(), onDisk.segments.size());
    }
}

// Seeds are 0 to 2^64 - 1 in every file and on every command line, read exactly.
void TestScenario::seedsTakeAll64Bits()
{
    const Scenario top = parseScenario(
        scenarioJson(R"(, "seed": 18446744073709551615)", kConstant).toStdString(), "top.json");
    QCOMPARE(top.seed, std::uint64_t(18446744073709551615ULL));
    const Scenario odd = parseScenario(
        scenarioJson(R"(, "seed": 9007199254740993)", kConstant).toStdString(), "odd.json");
    QCOMPARE(odd.seed, std::uint64_t(9007199254740993ULL)); // 2^53 + 1: not a double
    const Scenario written = parseScenario(
        scenarioJson(R"(, "seed": 1e6)", kConstant).toStdString(), "e.json");
    QCOMPARE(written.seed, std::uint64_t(1000000));
}

void TestScenario::seedSpikeIsTheReferenceExperiment()
{
    const Scenario s = builtinScenario("seed-spike");
    QCOMPARE(s.rateAt(10.0), 5.0);
    QCOMPARE(s.rateAt(30.0), 30.0);
    QCOMPARE(s.rateAt(60.0), 5.0);
    QCOMPARE(s.rateAt(19.999), 5.0);
    QCOMPARE(s.rateAt(20.0), 30.0);
    QCOMPARE(s.rateAt(50.0), 5.0);
    QCOMPARE(s.durationS, 70.0);
    QCOMPARE(s.seed, std::uint64_t(1));
    QCOMPARE(s.cluster.podPendingS, 1.0);
    QCOMPARE(s.cluster.podStartingS, 4.0);
    QCOMPARE(s.cluster.serviceMeanS, 0.150);

    const Scenario longRun = builtinScenario("seed-spike-long");
    QCOMPARE(longRun.durationS, 600.0);
    QCOMPARE(longRun.rateAt(30.0), 30.0);
    QCOMPARE(longRun.rateAt(500.0), 5.0);
}

void TestScenario::segmentShapes()
{
    const Scenario ramp = builtinScenario("ramp");
    QCOMPARE(ramp.rateAt(0.0), 2.0);
    QCOMPARE(ramp.rateAt(150.0), 21.0);
    QCOMPARE(ramp.rateAt(450.0), 40.0);
    QCOMPARE(ramp.durationS, 600.0);

    const Scenario periodic = builtinScenario("periodic");
    QCOMPARE(periodic.rateAt(0.0), 15.0);
    QVERIFY(std::abs(periodic.rateAt(75.0) - 25.0) < 1e-9); // a quarter period: the peak
    QVERIFY(std::abs(periodic.rateAt(225.0) - 5.0) < 1e-9); // three quarters: the trough
    QCOMPARE(periodic.durationS, 1200.0);

    const Scenario bursts = builtinScenario("bursts");
    QCOMPARE(bursts.rateAt(100.0), 5.0);
    QCOMPARE(bursts.rateAt(200.0), 25.0);
    QCOMPARE(bursts.rateAt(380.0), 25.0);
    QCOMPARE(bursts.rateAt(230.0), 5.0);
    QCOMPARE(bursts.durationS, 900.0);

    const Scenario gap = parseScenario(
        scenarioJson("", R"({"type": "constant", "start_s": 0, "end_s": 10, "rate": 5},
                        {"type": "constant", "start_s": 20, "end_s": 30, "rate": 7})")
            .toStdString(),
        "gap.json");
    QCOMPARE(gap.rateAt(15.0), 0.0); // no segment covers it
    QCOMPARE(gap.rateAt(25.0), 7.0);
    QCOMPARE(gap.rateAt(40.0), 0.0);
}

void TestScenario::spikeRampsFromTheBaseRate()
{
    const Scenario s = parseScenario(
        scenarioJson("", kConstant + R"(, {"type": "spike", "start_s": 20, "end_s": 50, "rate": 45,
                                      "ramp_s": 10})")
            .toStdString(),
        "ramped.json");
    QCOMPARE(s.rateAt(20.0), 5.0);
    QCOMPARE(s.rateAt(25.0), 25.0); // halfway up the ramp
    QCOMPARE(s.rateAt(30.0), 45.0);
    QCOMPARE(s.rateAt(45.0), 25.0); // halfway down
    QCOMPARE(s.rateAt(55.0), 5.0);
}

void TestScenario::clusterOverridesApplyAfterThePreset()
{
    const Scenario s = parseScenario(
        scenarioJson(R"(, "preset": "llm", "cluster": {"service_mean_ms": 800, "max_replicas": 8,
                        "min_replicas": 2, "slo_latency_ms": 2000, "pod_slots": 4})",
            kConstant)
            .toStdString(),
        "llm.json");
    QCOMPARE(s.preset, std::string("llm"));
    QCOMPARE(s.cluster.podStartingS, 119.0); // from the preset
    QCOMPARE(s.cluster.serviceMeanS, 0.8); // overridden
    QCOMPARE(s.cluster.maxReplicas, 8);
    QCOMPARE(s.cluster.minReplicas, 2);
    QCOMPARE(s.cluster.sloLatencyS, 2.0);
    QCOMPARE(s.cluster.podSlots, 4);
    QCOMPARE(s.name, std::string("t"));
}

// --preset and @preset= put a scenario on another preset: that preset's cluster with the
// file's "cluster" on top, as its own preset has it. A new-user trial found --preset llm on a
// scenario whose pods start in 1 + 4 s starting them in 120 s, and --preset default doing
// nothing to an llm scenario (its SLO stayed 5 s).
void TestScenario::anotherPresetKeepsTheScenariosOwnSettings()
{
    Scenario s = parseScenario(
        scenarioJson(R"(, "preset": "llm", "cluster": {"pod_pending_s": 1, "pod_starting_s": 4, "max_replicas": 8})",
            kConstant)
            .toStdString(),
        "fast-llm.json");
    QCOMPARE(s.cluster.podStartingS, 4.0);
    usePreset(s, "llm"); // restated: the same cluster
    QCOMPARE(s.cluster.podStartingS, 4.0);
    QCOMPARE(s.cluster.sloLatencyS, 5.0);
    QCOMPARE(s.cluster.maxReplicas, 8);
    usePreset(s, "default");
    QCOMPARE(s.preset, std::string("default"));
    QCOMPARE(s.cluster.podStartingS, 4.0); // the file's
    QCOMPARE(s.cluster.sloLatencyS, 0.5);  // the default preset's
    QCOMPARE(s.cluster.serviceMeanS, 0.15);
    QCOMPARE(s.cluster.maxReplicas, 8);

    // A built-in: seed-spike's pods start in 1 + 4 s on either preset.
    Scenario spike = builtinScenario("seed-spike");
    sim::ClusterOverrides overrides;
    overrides.preset = "llm";
    overrides.maxReplicas = 30;
    applyOverrides(overrides, spike);
    QCOMPARE(spike.cluster.podStartingS, 4.0);
    QCOMPARE(spike.cluster.sloLatencyS, 5.0);
    QCOMPARE(spike.cluster.maxReplicas, 30);
    QCOMPARE(spike.source, std::string("built-in"));

    // A cluster of its own (a trace's) takes the preset whole, and "default" undoes "llm".
    sim::ClusterConfig own;
    sim::applyPreset("llm", own);
    sim::applyPreset("default", own);
    QCOMPARE(own.podStartingS, sim::ClusterConfig().podStartingS);
    QCOMPARE(own.sloLatencyS, sim::ClusterConfig().sloLatencyS);
}

// A run's summary.json records its cluster as a preset and every field of a scenario's
// "cluster" object (sim::clusterFields): written back into a scenario, they give the same
// cluster, whatever the preset and the fields set.
void TestScenario::clusterFieldsReproduceTheCluster()
{
    const Scenario original = parseScenario(
        scenarioJson(R"(, "preset": "llm", "cluster": {"service_mean_ms": 3.5, "pod_slots": 3,
                        "pod_starting_s": 7.25, "slo_latency_ms": 1234.5, "pod_queue_capacity": 8,
                        "readiness_max_queue_delay_ms": 0.7, "metric_resolution_s": 60,
                        "scrape_miss_probability": 0.1, "initial_replicas": 4})",
            kConstant)
            .toStdString(),
        "a.json");
    QCOMPARE(original.cluster.preset, std::string("llm"));
    QByteArray fields;
    for (const auto &[key, value] : sim::clusterFields(original.cluster)) {
        fields += (fields.isEmpty() ? "" : ", ") + QByteArray("\"") + key.c_str() + "\": "
            + QByteArray::number(value, 'g', 17);
    }
    QVERIFY2(fields.contains(R"("service_mean_ms": 3.5,)"), fields.constData()); // not 3.5000000000000004
    const Scenario copy = parseScenario(
        scenarioJson(R"(, "preset": ")" + QByteArray::fromStdString(original.cluster.preset)
                + R"(", "cluster": {)" + fields + "}",
            kConstant)
            .toStdString(),
        "b.json");
    const sim::ClusterConfig &a = original.cluster, &b = copy.cluster;
    QCOMPARE(sim::clusterFields(b), sim::clusterFields(a));
    // The fields no scenario sets come from the preset.
    QCOMPARE(b.tokenBaseS, a.tokenBaseS);
    QCOMPARE(b.perGeneratedTokenS, a.perGeneratedTokenS);
    QCOMPARE(b.serviceMeanS, a.serviceMeanS);
    QCOMPARE(b.readinessMaxQueueDelayS, a.readinessMaxQueueDelayS);
    QCOMPARE(b.sloLatencyS, a.sloLatencyS);
    // Applying a preset names it.
    sim::ClusterConfig c;
    QCOMPARE(c.preset, std::string("default"));
    sim::applyPreset("llm", c);
    QCOMPARE(c.preset, std::string("llm"));
}

void TestScenario::badScenarioNamesTheField_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field");

    const auto seg = [](const QByteArray &segment) { return scenarioJson("", segment); };
    QTest::addRow("unknown top-level key")
        << scenarioJson(R"(, "durration_s": 5)", kConstant) << "durration_s";
    QTest::addRow("duration missing")
        << QByteArray(R"({"segments": [)" + kConstant + "]}") << "duration_s";
    QTest::addRow("duration zero")
        << QByteArray(R"({"duration_s": 0, "segments": [)" + kConstant + "]}") << "duration_s";
    QTest::addRow("duration as text")
        << QByteArray(R"({"duration_s": "70", "segments": [)" + kConstant + "]}") << "duration_s";
    QTest::addRow("number out of range")
        << QByteArray(R"({"duration_s": 1e999, "segments": [)" + kConstant + "]}") << "duration_s";
    QTest::addRow("negative seed") << scenarioJson(R"(, "seed": -1)", kConstant) << "seed";
    // Far past these the arithmetic overflows (a lognormal of CV 1e200 draws NaN and a run
    // never ends): a day of pod start, a spread of 10.
    QTest::addRow("service spread too large")
        << scenarioJson(R"(, "cluster": {"service_cv": 1e200})", kConstant) << "cluster.service_cv";
    QTest::addRow("pod start past a day")
        << scenarioJson(R"(, "cluster": {"pod_starting_s": 1e20})", kConstant)
        << "cluster.pod_starting_s";
    QTest::addRow("phase far from zero")
        << scenarioJson("", R"({"type": "periodic", "start_s": 0, "end_s": 70, "mean": 10,
            "amplitude": 5, "period_s": 100, "phase_s": 1e308})") << "segments[0].phase_s";
    QTest::addRow("period shorter than a second")
        << scenarioJson("", R"({"type": "periodic", "start_s": 0, "end_s": 70, "mean": 10,
            "amplitude": 5, "period_s": 1e-320})") << "segments[0].period_s";
    QByteArray many;
    for (int i = 0; i <= 10000; ++i)
        many += (i ? "," : "") + QByteArray(R"({"type": "constant", "start_s": )")
            + QByteArray::number(i * 0.005) + R"(, "end_s": )" + QByteArray::number((i + 1) * 0.005)
            + R"(, "rate": 1})";
    QTest::addRow("more than 10,000 segments") << scenarioJson("", many) << "segments";
    QTest::addRow("fractional seed") << scenarioJson(R"(, "seed": 1.5)", kConstant) << "seed";
    QTest::addRow("seed past 2^64 - 1")
        << scenarioJson(R"(, "seed": 18446744073709551616)", kConstant) << "seed";
    QTest::addRow("seed as text") << scenarioJson(R"(, "seed": "7")", kConstant) << "seed";
    QTest::addRow("unknown preset") << scenarioJson(R"(, "preset": "huge")", kConstant) << "preset";
    QTest::addRow("line break in the name")
        << QByteArray(R"({"name": "two\nlines", "duration_s": 100, "segments": [)" + kConstant + "]}")
        << "name";
    QTest::addRow("next-line control in the name")
        << QByteArray(R"({"name": "a\u0085b", "duration_s": 100, "segments": [)" + kConstant + "]}")
        << "name";
    QTest::addRow("right-to-left override in the name")
        << QByteArray(R"({"name": "a\u202eb", "duration_s": 100, "segments": [)" + kConstant + "]}")
        << "name";
    QTest::addRow("name past 100 bytes")
        << QByteArray(R"({"name": ")" + QByteArray(101, 'x') + R"(", "duration_s": 100, "segments": [)" + kConstant + "]}")
        << "name";
    QTest::addRow("name of a hidden file")
        << QByteArray(R"({"name": "..", "duration_s": 100, "segments": [)" + kConstant + "]}")
        << "name";
    QTest::addRow("description not text")
        << scenarioJson(R"(, "description": 3)", kConstant) << "description";
    QTest::addRow("duplicate key")
        << scenarioJson(R"(, "seed": 1, "seed": 2)", kConstant) << "seed";
    QTest::addRow("cluster typo") << scenarioJson(R"(, "cluster": {"pod_slot": 2})", kConstant)
                                  << "cluster.pod_slot";
    QTest::addRow("cluster past 1000 pods")
        << scenarioJson(R"(, "cluster": {"min_replicas": 1000000, "max_replicas": 1000000})",
               kConstant)
        << "cluster.min_replicas";
    QTest::addRow("cluster zero slots")
        << scenarioJson(R"(, "cluster": {"pod_slots": 0})", kConstant) << "cluster.pod_slots";
    QTest::addRow("cluster negative service")
        << scenarioJson(R"(, "cluster": {"service_mean_ms": -5})", kConstant)
        << "cluster.service_mean_ms";
    QTest::addRow("readiness without a pod queue")
        << scenarioJson(R"(, "cluster": {"readiness_max_queue_delay_ms": 1})", kConstant)
        << "cluster.readiness_max_queue_delay_ms";
    QTest::addRow("cluster min above max")
        << scenarioJson(R"(, "cluster": {"min_replicas": 5, "max_replicas": 3})", kConstant)
        << "cluster.max_replicas";
    QTest::addRow("hpa allowed more pods than the cluster has")
        << scenarioJson(R"(, "cluster": {"max_replicas": 10}, "hpa": {"max_replicas": 50})", kConstant)
        << "hpa.max_replicas";
    QTest::addRow("cluster not object")
        << scenarioJson(R"(, "cluster": 4)", kConstant) << "cluster";
    QTest::addRow("segments missing") << QByteArray(R"({"duration_s": 10})") << "segments";
    QTest::addRow("segments empty") << scenarioJson("", "") << "segments";
    QTest::addRow("segment not object") << seg("5") << "segments[0]";
    QTest::addRow("segment type unknown")
        << seg(R"({"type": "square", "start_s": 0, "end_s": 10})") << "segments[0].type";
    QTest::addRow("segment type missing")
        << seg(R"({"start_s": 0, "end_s": 10, "rate": 1})") << "segments[0].type";
    QTest::addRow("segment key typo")
        << seg(R"({"type": "constant", "start_s": 0, "end_s": 10, "rat": 1})") << "segments[0].rat";
    QTest::addRow("rate missing") << seg(R"({"type": "constant", "start_s": 0, "end_s": 10})")
                                  << "segments[0].rate";
    QTest::addRow("negative rate")
        << seg(R"({"type": "constant", "start_s": 0, "end_s": 10, "rate": -1})")
        << "segments[0].rate";
    QTest::addRow("rate as bool") << seg(
        R"({"type": "constant", "start_s": 0, "end_s": 10, "rate": true})")
                                  << "segments[0].rate";
    QTest::addRow("end before start")
        << seg(kConstant + R"(, {"type": "spike", "start_s": 50, "end_s": 40, "rate": 9})")
        << "segments[1].end_s";
    QTest::addRow("end equals start")
        << seg(R"({"type": "constant", "start_s": 10, "end_s": 10, "rate": 1})")
        << "segments[0].end_s";
    QTest::addRow("negative start")
        << seg(R"({"type": "constant", "start_s": -1, "end_s": 10, "rate": 1})")
        << "segments[0].start_s";
    QTest::addRow("start after the run")
        << seg(R"({"type": "constant", "start_s": 100, "end_s": 110, "rate": 1})")
        << "segments[0].start_s";
    QTest::addRow("ramp negative to")
        << seg(R"({"type": "ramp", "start_s": 0, "end_s": 10, "from": 1, "to": -3})")
        << "segments[0].to";
    QTest::addRow("amplitude above mean") << seg(
        R"({"type": "periodic", "start_s": 0, "end_s": 10, "mean": 5, "amplitude": 6,
                   "period_s": 60})") << "segments[0].amplitude";
    QTest::addRow("period zero") << seg(
        R"({"type": "periodic", "start_s": 0, "end_s": 10, "mean": 5, "amplitude": 1,
                   "period_s": 0})")
                                 << "segments[0].period_s";
    QTest::addRow("spike ramps too long") << seg(
        kConstant + R"(, {"type": "spike", "start_s": 20, "end_s": 30, "rate": 9, "ramp_s": 6})")
                                          << "segments[1].ramp_s";
    QTest::addRow("overlapping base segments")
        << seg(kConstant + R"(, {"type": "ramp", "start_s": 50, "end_s": 60, "from": 1, "to": 2})")
        << "segments[1].start_s";
    QTest::addRow("overlapping spikes")
        << seg(kConstant + R"(, {"type": "spike", "start_s": 20, "end_s": 40, "rate": 9},
                          {"type": "spike", "start_s": 30, "end_s": 50, "rate": 9})")
        << "segments[2].start_s";
}

void TestScenario::badScenarioNamesTheField()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    const auto error = inputErrorOf([&] { parseScenario(json.toStdString(), "bad.json"); });
    QVERIFY2(error, "no InputError");
    QCOMPARE(QString::fromStdString(error->field()), field);
    QCOMPARE(QString::fromStdString(error->file()), QStringLiteral("bad.json"));
    const QString message = QString::fromUtf8(error->what());
    QVERIFY2(message.contains("'" + field + "'"), qPrintable(message));
}

void TestScenario::malformedJsonGivesTheBytePosition()
{
    // The second comma is the 19th byte.
    const auto error
        = inputErrorOf([] { parseScenario(R"({"duration_s": 10,, })", "broken.json"); });
    QVERIFY(error);
    const QString message = QString::fromUtf8(error->what());
    QVERIFY2(message.startsWith("broken.json") && message.contains("byte 19"), qPrintable(message));

    const auto notObject = inputErrorOf([] { parseScenario("[1, 2]", "array.json"); });
    QVERIFY(notObject);
    QVERIFY(QString::fromUtf8(notObject->what()).contains("JSON object"));

    // Nested 50,000 deep in the hpa block: refused at 64 levels, naming the field. Its
    // walk through the block overflowed the stack (a new-user trial).
    const std::string deep = R"({"duration_s": 10, "hpa": )" + std::string(50000, '[') + std::string(50000, ']') + "}";
    const auto nested = inputErrorOf([&] { parseScenario(deep, "deep.json"); });
    QVERIFY(nested);
    QCOMPARE(nested->problem(), std::string("nested more than 64 levels deep"));
    QVERIFY(nested->field().rfind("hpa[0][0]", 0) == 0);
    // 64 levels are read (and then refused for what they hold, not for their depth).
    const std::string deepest = R"({"duration_s": 10, "hpa": )" + std::string(63, '[') + std::string(63, ']') + "}";
    const auto held = inputErrorOf([&] { parseScenario(deepest, "deepest.json"); });
    QVERIFY(held && held->problem() != "nested more than 64 levels deep");
}

void TestScenario::missingFileNamesThePath()
{
    const std::string path = "/tmp/headroom-no-such-dir/missing-scenario.json";
    const auto error = inputErrorOf([&] { loadScenarioFile(path); });
    QVERIFY(error);
    QCOMPARE(error->file(), path);
    QVERIFY(QString::fromUtf8(error->what()).contains(QString::fromStdString(path)));
}

void TestScenario::resolveTakesNamesThenPaths()
{
    QCOMPARE(resolveScenario("ramp").name, std::string("ramp"));

    QTemporaryDir dir;
    const std::string path = dir.filePath("mine.json").toStdString();
    std::ofstream(path) << R"({"description": "custom", "duration_s": 30, "segments": [
        {"type": "constant", "start_s": 0, "end_s": 30, "rate": 2}]})";
    const Scenario custom = resolveScenario(path);
    QCOMPARE(custom.name, std::string("mine")); // no "name": the file's stem
    QCOMPARE(custom.source, path);
    QCOMPARE(custom.rateAt(10.0), 2.0);

    const auto error = inputErrorOf([] { resolveScenario("seed-spik"); });
    QVERIFY(error);
    const QString message = QString::fromUtf8(error->what());
    QVERIFY2(message.contains("seed-spike") && message.contains("bursts"), qPrintable(message));
}

QTEST_GUILESS_MAIN(TestScenario)
#include "tst_scenario.moc"
