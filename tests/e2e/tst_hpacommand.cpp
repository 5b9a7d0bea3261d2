// headroom-cli hpa: the hand-computed cases in tests/data/hpa, bad inputs and the command line.
#include "clirun.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>

using Json = nlohmann::json;

namespace {

using headroom::test::cliPath;
using headroom::test::sourcePath;

// Every case file needs a companion; fewer than this many cases means the glob went wrong.
constexpr int kMinCases = 20;

QString casesDir()
{
    return sourcePath(QStringLiteral("tests/data/hpa"));
}

using Run = headroom::test::CliRun;

Run hpa(const QStringList &args)
{
    return headroom::test::runCli(QStringList {QStringLiteral("hpa")} + args, 30000);
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

QStringList caseFiles()
{
    QStringList files;
    const QStringList all
        = QDir(casesDir()).entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    for (const QString &name : all) {
        if (!name.endsWith(QStringLiteral(".expected.json")))
            files << name;
    }
    return files;
}

QString expectedPath(const QString &caseFile)
{
    QString name = caseFile;
    name.chop(int(std::strlen(".json")));
    return casesDir() + QLatin1Char('/') + name + QStringLiteral(".expected.json");
}

// "Type:Status:Reason" for each condition, in the order printed.
Json conditionKeys(const Json &conditions)
{
    Json keys = Json::array();
    for (const Json &c : conditions) {
        keys.push_back(c.at("type").get<std::string>() + ":" + c.at("status").get<std::string>()
            + ":" + c.at("reason").get<std::string>());
    }
    return keys;
}

std::string text(const Json &value)
{
    return value.dump();
}

// A valid input touching every object kind; the bad-input rows each break one field of it.
constexpr const char *kBase = R"({
  "_comment": "valid",
  "hpa": {
    "target_cpu_utilization_percent": 50, "tolerance": 0.1, "min_replicas": 1, "max_replicas": 10,
    "downscale_stabilization_s": 300, "cpu_initialization_period_s": 300,
    "initial_readiness_delay_s": 30,
    "behavior": {
      "scale_up": {"stabilization_window_s": 0, "select_policy": "Max",
                   "policies": [{"type": "Pods", "value": 4, "period_s": 15}]},
      "scale_down": {"policies": [{"type": "Percent", "value": 100, "period_s": 15}]}
    }
  },
  "current_replicas": 3,
  "pods": [
    {"name": "web-0", "phase": "Running", "ready": true, "deleting": false, "cpu_request_m": 500,
     "cpu_usage_m": 400, "start_s_ago": 3600, "ready_transition_s_ago": 3570, "metric_age_s": 5,
     "metric_window_s": 15},
    {"name": "web-1", "phase": "Running", "ready": true, "cpu_request_m": 500, "cpu_usage_m": 400,
     "start_s_ago": 3600, "ready_transition_s_ago": 3570, "metric_age_s": 5},
    {"name": "web-2", "phase": "Pending", "ready": false, "cpu_request_m": 500,
     "start_s_ago": 10, "ready_transition_s_ago": 10}
  ],
  "history": {
    "recommendations": [{"s_ago": 30, "replicas": 3}],
    "scale_events": [{"s_ago": 60, "change": 1}]
  }
})";

QByteArray mutated(const std::function<void(Json &)> &change)
{
    Json doc = Json::parse(kBase);
    change(doc);
    return QByteArray::fromStdString(doc.dump());
}

} // namespace

class TestHpaCommand : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void everyCaseHasAnExpectationAndAComment();
    void cases_data();
    void cases();
    void outputHasTheDocumentedFields();
    void docsExamplesAreTheCommandsOutput();
    void baseDocumentIsValid();
    void readyInTheStartSecondIsAccepted();
    void badInput_data();
    void badInput();
    void commandLine_data();
    void commandLine();

private:
    static void bad(
        const char *name, const QByteArray &json, const char *field, const char *problem);
    QTemporaryDir m_dir;
};

void TestHpaCommand::initTestCase()
{
    QVERIFY2(QFile::exists(cliPath()), qPrintable(cliPath()));
    QVERIFY(m_dir.isValid());
}

void TestHpaCommand::everyCaseHasAnExpectationAndAComment()
{
    const QStringList files = caseFiles();
    QVERIFY2(files.size() >= kMinCases, qPrintable(QString::number(files.size()) + " cases"));
    for (const QString &name : files) {
        QVERIFY2(QFile::exists(expectedPath(name)), qPrintable(name + ": no .expected.json"));
        const Json input
            = Json::parse(readFile(casesDir() + QLatin1Char('/') + name).toStdString());
        QVERIFY2(input.contains("_comment") && !input["_comment"].empty(),
            qPrintable(name + ": no _comment with the hand computation"));
    }
}

void TestHpaCommand::cases_data()
{
    QTest::addColumn<QString>("file");
    for (const QString &name : caseFiles())
        QTest::newRow(qPrintable(name)) << name;
}

// Every key in the companion must match the output; conditions as "Type:Status:Reason", in order.
void TestHpaCommand::cases()
{
    QFETCH(QString, file);
    const Run run = hpa({QStringLiteral("--input"), casesDir() + QLatin1Char('/') + file});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
    const Json actual = Json::parse(run.out.toStdString());
    const Json expected = Json::parse(readFile(expectedPath(file)).toStdString());
    QVERIFY(!expected.empty());
    for (const auto &[key, want] : expected.items()) {
        QVERIFY2(actual.contains(key), key.c_str());
        const Json got = key == "conditions" ? conditionKeys(actual[key]) : actual[key];
        if (key == "utilization_percent" && want.is_number() && got.is_number()) {
            QVERIFY2(std::abs(got.get<double>() - want.get<double>()) < 1e-9,
                (text(got) + " != " + text(want)).c_str());
            continue;
        }
        QVERIFY2(got == want, (key + ": got " + text(got) + ", expected " + text(want)).c_str());
    }
}

void TestHpaCommand::outputHasTheDocumentedFields()
{
    for (const char *name :
        {"06-unready-as-zero-on-scale-up.json", "11-no-metrics-no-action.json"}) {
        const Run run
            = hpa({QStringLiteral("--input"), casesDir() + QLatin1Char('/') + QLatin1String(name)});
        QCOMPARE(run.exitCode, 0);
        QVERIFY(run.err.isEmpty());
        QVERIFY(run.out.endsWith("}\n"));
        QVERIFY2(run.out.contains("\n  \"desired_replicas\": "), run.out.constData()); // pretty
        const nlohmann::ordered_json out = nlohmann::ordered_json::parse(run.out.toStdString());
        std::vector<std::string> keys;
        for (const auto &item : out.items())
            keys.push_back(item.key());
        const std::vector<std::string> documented {"desired_replicas", "proposed_replicas",
            "utilization_percent", "ready_pods_counted", "metrics_available", "conditions"};
        QVERIFY(keys == documented);
        QCOMPARE(out["utilization_percent"].is_null(), !out["metrics_available"].get<bool>());
        for (const auto &condition : out["conditions"]) {
            QCOMPARE(int(condition.size()), 4);
            for (const char *field : {"type", "status", "reason", "message"})
                QVERIFY(condition[field].is_string());
        }
    }
}

// docs/hpa-cli.md shows these cases' inputs and the command's outputs verbatim.
void TestHpaCommand::docsExamplesAreTheCommandsOutput()
{
    const QByteArray doc = readFile(sourcePath(QStringLiteral("docs/hpa-cli.md")));
    QVERIFY(!doc.isEmpty());
    for (const char *name :
        {"06-unready-as-zero-on-scale-up.json", "30-up-stabilization-101371-not-a-cooldown.json"}) {
        const QString example = casesDir() + QLatin1Char('/') + QLatin1String(name);
        QVERIFY2(doc.contains(readFile(example)), name);
        const Run run = hpa({QStringLiteral("--input"), example});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(doc.contains(run.out),
            QByteArray("docs/hpa-cli.md: example output differs:\n" + run.out).constData());
    }
}

void TestHpaCommand::baseDocumentIsValid()
{
    const QString path = m_dir.filePath(QStringLiteral("base.json"));
    QVERIFY(writeFile(path, kBase));
    const Run run = hpa({QStringLiteral("--input"), path});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

// The kubelet stamps a pod's first Ready transition just before its start time, and the API
// keeps whole seconds: a transition 1 s before the start is real data, not a mistake.
void TestHpaCommand::readyInTheStartSecondIsAccepted()
{
    const QString path = m_dir.filePath(QStringLiteral("ready-at-start.json"));
    QVERIFY(writeFile(path, mutated([](Json &d) {
        d["pods"][0]["ready_transition_s_ago"] = 3601;
        d["pods"][2]["start_s_ago"] = 0;
        d["pods"][2]["ready_transition_s_ago"] = 1;
    })));
    const Run run = hpa({QStringLiteral("--input"), path});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));
}

void TestHpaCommand::bad(
    const char *name, const QByteArray &json, const char *field, const char *problem)
{
    QTest::newRow(name) << json << QString::fromLatin1(field) << QString::fromLatin1(problem);
}

void TestHpaCommand::badInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("field"); // empty: the problem has no field
    QTest::addColumn<QString>("problem");

    // Unknown keys (typos), at each level.
    bad("typo at top level", mutated([](Json &d) { d["curent_replicas"] = 3; }), "curent_replicas",
        "unknown key");
    bad("typo in hpa", mutated([](Json &d) { d["hpa"]["max_replica"] = 3; }), "hpa.max_replica",
        "unknown key");
    bad("typo in a pod", mutated([](Json &d) { d["pods"][1]["cpu_usage"] = 3; }),
        "pods[1].cpu_usage", "unknown key");
    bad("typo in behavior",
        mutated([](Json &d) { d["hpa"]["behavior"]["scaleUp"] = Json::object(); }),
        "hpa.behavior.scaleUp", "unknown key");
    bad("typo in rules",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_up"]["stabilization_window"] = 0; }),
        "hpa.behavior.scale_up.stabilization_window", "unknown key");
    bad("typo in a policy",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_down"]["policies"][0]["period"] = 15; }),
        "hpa.behavior.scale_down.policies[0].period", "unknown key");
    bad("typo in history", mutated([](Json &d) { d["history"]["events"] = Json::array(); }),
        "history.events", "unknown key");
    bad("typo in a recommendation",
        mutated([](Json &d) { d["history"]["recommendations"][0]["replica"] = 3; }),
        "history.recommendations[0].replica", "unknown key");

    // Wrong types.
    bad("string for a count", mutated([](Json &d) { d["current_replicas"] = "3"; }),
        "current_replicas", "must be a number");
    bad("string with a unit", mutated([](Json &d) { d["pods"][2]["cpu_request_m"] = "500m"; }),
        "pods[2].cpu_request_m", "must be a number");
    bad("string for a bool", mutated([](Json &d) { d["pods"][0]["ready"] = "yes"; }),
        "pods[0].ready", "must be true or false");
    bad("number for a bool", mutated([](Json &d) { d["pods"][0]["deleting"] = 0; }),
        "pods[0].deleting", "must be true or false");
    bad("pods not an array", mutated([](Json &d) { d["pods"] = Json::object(); }), "pods",
        "must be an array");
    bad("pod not an object", mutated([](Json &d) { d["pods"][1] = "web-1"; }), "pods[1]",
        "must be a JSON object");
    bad("hpa not an object", mutated([](Json &d) { d["hpa"] = Json::array(); }), "hpa",
        "must be a JSON object");
    bad("behavior null", mutated([](Json &d) { d["hpa"]["behavior"] = nullptr; }), "hpa.behavior",
        "must be a JSON object");
    bad("fractional count", mutated([](Json &d) { d["current_replicas"] = 2.5; }),
        "current_replicas", "whole number");
    bad("fractional change",
        mutated([](Json &d) { d["history"]["scale_events"][0]["change"] = 0.5; }),
        "history.scale_events[0].change", "whole number");
    bad("comment not text", mutated([](Json &d) { d["pods"][0]["_comment"] = 7; }),
        "pods[0]._comment", "string");

    // Past what any cluster holds: sums of these overflowed to infinity, and the output
    // said metrics were available with a null utilization.
    bad("usage past a million cores",
        mutated([](Json &d) { d["pods"][0]["cpu_usage_m"] = 1.7e308; }), "pods[0].cpu_usage_m",
        "at most 1e+09");
    bad("usage a millicore past the bound",
        mutated([](Json &d) { d["pods"][0]["cpu_usage_m"] = 1000000001; }), "pods[0].cpu_usage_m",
        "got 1000000001");
    bad("request below a millicore",
        mutated([](Json &d) { d["pods"][0]["cpu_request_m"] = 5e-324; }),
        "pods[0].cpu_request_m", "at least 1");
    bad("target below one percent",
        mutated([](Json &d) { d["hpa"]["target_cpu_utilization_percent"] = 1e-300; }),
        "hpa.target_cpu_utilization_percent", "at least 1");

    // Missing required fields.
    bad("no hpa", mutated([](Json &d) { d.erase("hpa"); }), "hpa", "is missing");
    bad("no max_replicas", mutated([](Json &d) { d["hpa"].erase("max_replicas"); }),
        "hpa.max_replicas", "is missing");
    bad("no target", mutated([](Json &d) { d["hpa"].erase("target_cpu_utilization_percent"); }),
        "hpa.target_cpu_utilization_percent", "is missing");
    bad("no current_replicas", mutated([](Json &d) { d.erase("current_replicas"); }),
        "current_replicas", "is missing");
    bad("no pods", mutated([](Json &d) { d.erase("pods"); }), "pods", "is missing");
    bad("no pod name", mutated([](Json &d) { d["pods"][1].erase("name"); }), "pods[1].name",
        "is missing");
    bad("no ready", mutated([](Json &d) { d["pods"][1].erase("ready"); }), "pods[1].ready",
        "is missing");
    bad("no metric age with a sample", mutated([](Json &d) { d["pods"][0].erase("metric_age_s"); }),
        "pods[0].metric_age_s", "is missing");
    bad("no policy value",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_up"]["policies"][0].erase("value"); }),
        "hpa.behavior.scale_up.policies[0].value", "is missing");
    bad("no recommendation replicas",
        mutated([](Json &d) { d["history"]["recommendations"][0].erase("replicas"); }),
        "history.recommendations[0].replicas", "is missing");

    // Negative, zero and out-of-range numbers.
    bad("negative request", mutated([](Json &d) { d["pods"][2]["cpu_request_m"] = -500; }),
        "pods[2].cpu_request_m", "at least 1");
    bad("zero request", mutated([](Json &d) { d["pods"][2]["cpu_request_m"] = 0; }),
        "pods[2].cpu_request_m", "at least 1");
    bad("negative usage", mutated([](Json &d) { d["pods"][1]["cpu_usage_m"] = -1; }),
        "pods[1].cpu_usage_m", "must not be negative");
    bad("negative start", mutated([](Json &d) { d["pods"][0]["start_s_ago"] = -1; }),
        "pods[0].start_s_ago", "must not be negative");
    // Ready an hour before it started: impossible (up to 1 s is the API's whole seconds).
    bad("ready before start", mutated([](Json &d) {
        d["pods"][2]["start_s_ago"] = 10;
        d["pods"][2]["ready_transition_s_ago"] = 3600;
    }), "pods[2].ready_transition_s_ago", "cannot change before the pod started");
    bad("ready over a second before start", mutated([](Json &d) {
        d["pods"][1]["ready_transition_s_ago"] = 3601.5;
    }), "pods[1].ready_transition_s_ago", "at most start_s_ago + 1 (3601)");
    bad("negative tolerance", mutated([](Json &d) { d["hpa"]["tolerance"] = -0.1; }),
        "hpa.tolerance", "must not be negative");
    bad("negative replicas", mutated([](Json &d) { d["current_replicas"] = -1; }),
        "current_replicas", "between 0 and");
    bad("negative event age",
        mutated([](Json &d) { d["history"]["scale_events"][0]["s_ago"] = -5; }),
        "history.scale_events[0].s_ago", "must not be negative");
    bad("zero target", mutated([](Json &d) { d["hpa"]["target_cpu_utilization_percent"] = 0; }),
        "hpa.target_cpu_utilization_percent", "at least 1");
    bad("min replicas 0", mutated([](Json &d) { d["hpa"]["min_replicas"] = 0; }),
        "hpa.min_replicas", "between 1 and");
    bad("min above max", mutated([](Json &d) { d["hpa"]["min_replicas"] = 11; }),
        "hpa.min_replicas", "must not exceed max_replicas");
    bad("policy value 0",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_up"]["policies"][0]["value"] = 0; }),
        "hpa.behavior.scale_up.policies[0].value", "between 1 and");
    bad("period 0",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_up"]["policies"][0]["period_s"] = 0; }),
        "hpa.behavior.scale_up.policies[0].period_s", "greater than 0");
    bad("period above 1800", mutated([](Json &d) {
        d["hpa"]["behavior"]["scale_down"]["policies"][0]["period_s"] = 1801;
    }),
        "hpa.behavior.scale_down.policies[0].period_s", "at most 1800");
    bad("window above 3600",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_up"]["stabilization_window_s"] = 3601; }),
        "hpa.behavior.scale_up.stabilization_window_s", "at most 3600");
    bad("no policies",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_up"]["policies"] = Json::array(); }),
        "hpa.behavior.scale_up.policies", "at least one policy");
    // JSON has no NaN or Infinity; a number beyond double range is the non-finite case.
    bad("overflowing number", R"({"hpa": {"target_cpu_utilization_percent": 50, "max_replicas": 9},
        "current_replicas": 1, "pods": [{"name": "a", "cpu_usage_m": 1e999}]})",
        "pods[0].cpu_usage_m", "malformed JSON");

    // Bad enum strings.
    bad("phase lower case", mutated([](Json &d) { d["pods"][1]["phase"] = "running"; }),
        "pods[1].phase", "must be one of Running, Pending, Failed");
    bad("select policy lower case",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_up"]["select_policy"] = "max"; }),
        "hpa.behavior.scale_up.select_policy", "must be one of Max, Min, Disabled");
    bad("policy type",
        mutated([](Json &d) { d["hpa"]["behavior"]["scale_down"]["policies"][0]["type"] = "Pod"; }),
        "hpa.behavior.scale_down.policies[0].type", "must be one of Pods, Percent");

    // Duplicates and malformed documents.
    bad("duplicate pod name", mutated([](Json &d) { d["pods"][2]["name"] = "web-0"; }),
        "pods[2].name", "duplicates pods[0].name");
    bad("duplicate key", R"({"hpa": {"max_replicas": 3, "max_replicas": 4}})", "hpa.max_replicas",
        "twice");
    bad("malformed", R"({"hpa": )", "", "malformed JSON");
    bad("top level array", "[]", "", "must be a JSON object");
}

void TestHpaCommand::badInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, field);
    QFETCH(QString, problem);
    const QString path = m_dir.filePath(QStringLiteral("bad-input.json"));
    QVERIFY(writeFile(path, json));
    const Run run = hpa({QStringLiteral("--input"), path});
    QCOMPARE(run.exitCode, 2);
    QVERIFY(run.out.isEmpty());
    QVERIFY2(run.err.startsWith(QStringLiteral("headroom-cli hpa: ") + path), qPrintable(run.err));
    if (!field.isEmpty())
        QVERIFY2(run.err.contains(QStringLiteral("field '") + field + QStringLiteral("'")),
            qPrintable(run.err));
    QVERIFY2(run.err.contains(problem), qPrintable(run.err));
}

void TestHpaCommand::commandLine_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message"); // in stderr, or in stdout on success

    const auto row = [](const char *name, const QStringList &args, int code, const QString &text) {
        QTest::newRow(name) << args << code << text;
    };
    const QString valid = casesDir() + QStringLiteral("/01-tolerance-band-keeps-current.json");
    const QString absent = m_dir.filePath(QStringLiteral("no-such-file.json"));
    const QString dir = m_dir.path();
    const QString usage = QStringLiteral("usage: headroom-cli hpa --input FILE");
    // Worded as every other command words its options (found by a new-user trial).
    row("no arguments", {}, 2, QStringLiteral("'--input': give the file to read (--input FILE)"));
    row("--input without a value", {"--input"}, 2, QStringLiteral("'--input': needs a value"));
    row("empty file name", {"--input="}, 2, QStringLiteral("'--input': "));
    row("unknown option", {"--inptu", valid}, 2,
        QStringLiteral("'--inptu': unknown option (see headroom-cli hpa --help)"));
    row("stray argument", {valid}, 2, QStringLiteral("'") + valid + QStringLiteral("': unknown option"));
    row("--input twice", {"--input", valid, "--input", valid}, 2, QStringLiteral("'--input': given twice"));
    row("missing file", {"--input", absent}, 2, absent + QStringLiteral(": cannot read the file"));
    // Nested 50,000 deep: it crashed the process (a new-user trial).
    const QString deep = m_dir.filePath(QStringLiteral("deep.json"));
    {
        QFile file(deep);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(50000, '[') + QByteArray(50000, ']'));
    }
    row("nested deep", {"--input", deep}, 2, QStringLiteral("nested more than 64 levels deep"));
    row("directory", {"--input", dir}, 2, dir + QStringLiteral(": cannot read the file"));
    row("--help", {"--help"}, 0, usage);
    row("-h", {"-h"}, 0, usage);
    row("--input=FILE", {"--input=" + valid}, 0, QStringLiteral("\"desired_replicas\": 5"));
}

void TestHpaCommand::commandLine()
{
    QFETCH(QStringList, args);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run run = hpa(args);
    QCOMPARE(run.exitCode, exitCode);
    const QString shown = exitCode == 0 ? QString::fromUtf8(run.out) : run.err;
    QVERIFY2(shown.contains(message), qPrintable(shown));
    if (exitCode != 0)
        QVERIFY(run.out.isEmpty());
}

QTEST_GUILESS_MAIN(TestHpaCommand)
#include "tst_hpacommand.moc"
