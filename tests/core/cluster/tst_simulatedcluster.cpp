// The simulated cluster's Kubernetes API subset and metrics, stepped in simulated time.
#include "cluster/simserver.h"
#include "cluster/simulatedcluster.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <QTest>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstring>
#include <map>
#include <sstream>
#include <utility>
#include <vector>

using namespace headroom;
using Json = nlohmann::json;

namespace {

// 20 req/s for 60 s on pods that take 1 s + 4 s to start, 150 ms a request.
std::unique_ptr<cluster::SimulatedCluster> make(int initialReplicas = 3, bool hpa = false)
{
    const traffic::Scenario scenario = traffic::parseScenario(
        R"({"name": "steady", "duration_s": 60, "seed": 7,
            "cluster": {"pod_pending_s": 1, "pod_starting_s": 4},
            "segments": [{"type": "constant", "start_s": 0, "end_s": 60, "rate": 20}]})",
        "steady.json");
    cluster::SimulatedClusterOptions options;
    options.epochUnixS = 1764950400.0; // 2025-12-05T16:00:00Z
    options.hpa = hpa;
    return std::make_unique<cluster::SimulatedCluster>(options, scenario.cluster, scenario.seed,
        std::make_unique<traffic::ScenarioArrivals>(scenario), initialReplicas, 60.0);
}

cluster::HttpResponse call(cluster::SimulatedCluster &c, const std::string &method,
                           const std::string &target, const std::string &body = {},
                           const std::string &contentType = "application/json",
                           const std::string &accept = "application/json")
{
    return c.handle({method, target, contentType, accept, body});
}

Json get(cluster::SimulatedCluster &c, const std::string &target, int status = 200)
{
    const cluster::HttpResponse r = call(c, "GET", target);
    if (r.status != status)
        qWarning() << target.c_str() << r.status << r.body.c_str();
    [&] { QCOMPARE(r.status, status); }();
    return Json::parse(r.body);
}

// QCOMPARE-friendly views of a JSON value.
QString text(const Json &j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QString::fromStdString(j.dump());
}
long long whole(const Json &j)
{
    return j.is_number_integer() ? j.get<long long>() : -999999;
}

const std::string kDeployment = "/apis/apps/v1/namespaces/default/deployments/inference";

// The value of one sample line of a Prometheus exposition ("name{labels} value").
double sampleValue(const std::string &text, const std::string &nameAndLabels)
{
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(nameAndLabels + " ", 0) == 0)
            return std::stod(line.substr(nameAndLabels.size() + 1));
    }
    return std::nan("");
}

} // namespace

class TestSimulatedCluster : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void discoveryNamesWhatIsServed()
    {
        auto c = make();
        QCOMPARE(text(get(*c, "/api")["versions"][0]), QStringLiteral("v1"));
        const Json groups = get(*c, "/apis")["groups"];
        QCOMPARE(groups.size(), std::size_t(1));
        QCOMPARE(text(groups[0]["name"]), QStringLiteral("apps"));
        const Json apps = get(*c, "/apis/apps/v1")["resources"];
        QCOMPARE(text(apps[0]["name"]), QStringLiteral("deployments"));
        QCOMPARE(text(apps[1]["name"]), QStringLiteral("deployments/scale"));
        QCOMPARE(text(apps[1]["kind"]), QStringLiteral("Scale"));
        QCOMPARE(text(get(*c, "/api/v1")["resources"][0]["name"]), QStringLiteral("pods"));
        QCOMPARE(text(get(*c, "/version")["major"]), QStringLiteral("1"));
    }

    void deploymentAndPodsFollowTheCluster()
    {
        auto c = make(3);
        c->advanceTo(2.0);
        const Json d = get(*c, kDeployment);
        QCOMPARE(text(d["kind"]), QStringLiteral("Deployment"));
        QCOMPARE(whole(d["spec"]["replicas"]), 3LL);
        QCOMPARE(whole(d["status"]["readyReplicas"]), 3LL);
        QCOMPARE(text(d["metadata"]["creationTimestamp"]), QStringLiteral("2025-12-05T16:00:00Z"));
        const Json pods = get(*c, "/api/v1/namespaces/default/pods?limit=500")["items"];
        QCOMPARE(pods.size(), std::size_t(3));
        QCOMPARE(text(pods[0]["metadata"]["name"]), QStringLiteral("inference-00001"));
        QCOMPARE(text(pods[0]["status"]["phase"]), QStringLiteral("Running"));
        QCOMPARE(text(pods[0]["status"]["conditions"][1]["status"]), QStringLiteral("True"));
        // One pod by name; a name that is not there is a NotFound Status.
        QCOMPARE(text(get(*c, "/api/v1/namespaces/default/pods/inference-00002")["metadata"]["name"]),
                 QStringLiteral("inference-00002"));
        // A name written with %-escapes is the same name.
        QCOMPARE(text(get(*c, "/apis/apps/v1/namespaces/default/deployments/inf%65rence")["metadata"]["name"]),
                 QStringLiteral("inference"));
        const Json missing = get(*c, "/api/v1/namespaces/default/pods/inference-09999", 404);
        QCOMPARE(text(missing["kind"]), QStringLiteral("Status"));
        QCOMPARE(text(missing["reason"]), QStringLiteral("NotFound"));
        // Another namespace has nothing; every namespace has the one deployment.
        QCOMPARE(get(*c, "/api/v1/namespaces/other/pods")["items"].size(), std::size_t(0));
        QCOMPARE(get(*c, "/apis/apps/v1/deployments")["items"].size(), std::size_t(1));
        QCOMPARE(text(get(*c, "/apis/apps/v1/namespaces/default/deployments/other", 404)["message"]),
                 QStringLiteral("deployments.apps \"other\" not found"));
    }

    void scalingThroughTheSubresourceStartsPods()
    {
        auto c = make(3);
        c->advanceTo(10.0);
        const cluster::HttpResponse r = call(*c, "PATCH", kDeployment + "/scale",
            R"({"spec":{"replicas":6}})", "application/merge-patch+json");
        QCOMPARE(r.status, 200);
        QCOMPARE(whole(Json::parse(r.body)["spec"]["replicas"]), 6LL);
        // The new pods are created now and start like any: Pending (1 s), then Starting (4 s).
        c->advanceTo(10.5);
        Json pods = get(*c, "/api/v1/namespaces/default/pods")["items"];
        QCOMPARE(pods.size(), std::size_t(6));
        QCOMPARE(text(pods[5]["status"]["phase"]), QStringLiteral("Pending"));
        QCOMPARE(text(pods[5]["status"]["containerStatuses"][0]["state"]["waiting"]["reason"]),
                 QStringLiteral("ContainerCreating"));
        c->advanceTo(13.0);
        pods = get(*c, "/api/v1/namespaces/default/pods")["items"];
        QCOMPARE(text(pods[5]["status"]["phase"]), QStringLiteral("Running"));
        QCOMPARE(text(pods[5]["status"]["conditions"][1]["status"]), QStringLiteral("False")); // still loading
        QCOMPARE(whole(get(*c, kDeployment)["status"]["readyReplicas"]), 3LL);
        c->advanceTo(20.0);
        QCOMPARE(whole(get(*c, kDeployment)["status"]["readyReplicas"]), 6LL);
        QCOMPARE(whole(get(*c, kDeployment)["metadata"]["generation"]), 2LL);
        // Down again with a JSON patch: the extra pods terminate.
        const cluster::HttpResponse down = call(*c, "PATCH", kDeployment + "/scale",
            R"([{"op":"replace","path":"/spec/replicas","value":2}])", "application/json-patch+json");
        QCOMPARE(down.status, 200);
        QCOMPARE(whole(get(*c, kDeployment)["spec"]["replicas"]), 2LL);
        QCOMPARE(c->scaleHistory().size(), std::size_t(3));
        QCOMPARE(c->scaleHistory()[1], std::make_pair(10.0, 6));
        QCOMPARE(c->scaleHistory()[2], std::make_pair(20.0, 2));
    }

    void aReplacedScaleChecksItsResourceVersion()
    {
        auto c = make(3);
        Json scale = get(*c, kDeployment + "/scale");
        QCOMPARE(whole(scale["spec"]["replicas"]), 3LL);
        scale["spec"]["replicas"] = 4;
        QCOMPARE(call(*c, "PUT", kDeployment + "/scale", scale.dump()).status, 200);
        // The same read, replaced again: another client changed it since.
        scale["spec"]["replicas"] = 5;
        const cluster::HttpResponse conflict = call(*c, "PUT", kDeployment + "/scale", scale.dump());
        QCOMPARE(conflict.status, 409);
        QCOMPARE(text(Json::parse(conflict.body)["reason"]), QStringLiteral("Conflict"));
        QCOMPARE(whole(get(*c, kDeployment)["spec"]["replicas"]), 4LL);
    }

    void badScaleRequestsSayWhatIsWrong_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QString>("contentType");
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("message");
        QTest::newRow("not json") << "PATCH" << "application/merge-patch+json" << "{spec:" << 400 << "not JSON";
        QTest::newRow("not a number") << "PATCH" << "application/merge-patch+json"
                                      << R"({"spec":{"replicas":"five"}})" << 422 << "must be a whole number";
        QTest::newRow("fraction") << "PATCH" << "application/merge-patch+json"
                                  << R"({"spec":{"replicas":2.5}})" << 422 << "Invalid value: 2.5";
        QTest::newRow("negative") << "PATCH" << "application/merge-patch+json"
                                  << R"({"spec":{"replicas":-1}})" << 422 << "must be from 0 to 20";
        QTest::newRow("past max") << "PUT" << "application/json"
                                  << R"({"kind":"Scale","spec":{"replicas":500}})" << 422
                                  << "Invalid value: 500: must be from 0 to 20 (the simulated cluster's max_replicas)";
        QTest::newRow("no replicas") << "PUT" << "application/json" << R"({"kind":"Scale","spec":{}})"
                                     << 422 << "spec.replicas: Required value";
        QTest::newRow("other kind") << "PUT" << "application/json" << R"({"kind":"Deployment"})"
                                    << 400 << "kind is \"Deployment\", not Scale";
        QTest::newRow("json patch elsewhere") << "PATCH" << "application/json-patch+json"
            << R"([{"op":"replace","path":"/spec/selector","value":"x"}])" << 422 << "only /spec/replicas";
        QTest::newRow("delete") << "DELETE" << "application/json" << "" << 405 << "GET, PUT and PATCH";
        // A new-user trial's requests that ended the server (5 December): fields of the wrong
        // type, bytes that are not UTF-8, and nesting deep enough to exhaust the stack.
        QTest::newRow("kind a number") << "PUT" << "application/json" << R"({"kind":5,"spec":{"replicas":3}})"
                                       << 400 << "kind is 5, not Scale";
        QTest::newRow("kind null") << "PUT" << "application/json" << R"({"kind":null,"spec":{"replicas":3}})"
                                   << 400 << "kind is null, not Scale";
        QTest::newRow("op a number") << "PATCH" << "application/json-patch+json"
                                     << R"([{"op":7,"path":"/spec/replicas","value":3}])" << 422 << "only replace";
        QTest::newRow("path a number") << "PATCH" << "application/json-patch+json"
                                       << R"([{"op":"replace","path":5,"value":3}])" << 422 << "only /spec/replicas";
        QTest::newRow("deep") << "PATCH" << "application/merge-patch+json"
                              << (R"({"spec":{"replicas":)" + QString(100000, '[') + QString(100000, ']') + "}}")
                              << 400 << "nests deeper than 32 levels";
        QTest::newRow("array replicas") << "PATCH" << "application/merge-patch+json"
                                        << R"({"spec":{"replicas":[[1]]}})" << 422 << "Invalid value: an array";
        QTest::newRow("huge") << "PATCH" << "application/merge-patch+json"
                              << R"({"spec":{"replicas":18446744073709551615}})" << 422 << "must be from 0 to 20";
        QTest::newRow("numeric version") << "PUT" << "application/json"
                                         << R"({"kind":"Scale","metadata":{"resourceVersion":1},"spec":{"replicas":4}})"
                                         << 400 << "resourceVersion must be a string";
        QTest::newRow("plain text") << "PATCH" << "text/plain" << R"({"spec":{"replicas":4}})" << 415
                                    << "is not a patch";
        // A new-user trial's: a Scale named "other" scaled inference, and a key given twice took
        // its last value; the API server answers 400 to both, as /v1/infer does to the second.
        QTest::newRow("other name") << "PUT" << "application/json"
            << R"({"kind":"Scale","metadata":{"name":"other"},"spec":{"replicas":6}})" << 400
            << "the name of the object (other) does not match the name on the URL (inference)";
        QTest::newRow("other namespace") << "PUT" << "application/json"
            << R"({"kind":"Scale","metadata":{"name":"inference","namespace":"prod"},"spec":{"replicas":6}})" << 400
            << "the namespace of the object (prod) does not match the namespace on the URL (default)";
        QTest::newRow("renaming patch") << "PATCH" << "application/merge-patch+json"
            << R"({"metadata":{"name":"other"},"spec":{"replicas":6}})" << 400
            << "the name of the object (other) does not match";
        QTest::newRow("name a number") << "PUT" << "application/json"
            << R"({"kind":"Scale","metadata":{"name":5},"spec":{"replicas":6}})" << 400
            << "metadata.name must be a string, not 5";
        QTest::newRow("key twice") << "PATCH" << "application/merge-patch+json"
            << R"({"spec":{"replicas":6},"spec":{"replicas":9}})" << 400 << "the request body gives spec twice";
        QTest::newRow("replicas twice") << "PUT" << "application/json"
            << R"({"kind":"Scale","spec":{"replicas":6,"replicas":9}})" << 400
            << "the request body gives spec.replicas twice";
        QTest::newRow("json patch key twice") << "PATCH" << "application/json-patch+json"
            << R"([{"op":"replace","path":"/spec/replicas","value":6,"value":9}])" << 400
            << "the request body gives [0].value twice";
    }

    void badScaleRequestsSayWhatIsWrong()
    {
        QFETCH(QString, method);
        QFETCH(QString, contentType);
        QFETCH(QString, body);
        QFETCH(int, status);
        QFETCH(QString, message);
        auto c = make(3);
        const cluster::HttpResponse r = call(*c, method.toStdString(), kDeployment + "/scale",
                                             body.toStdString(), contentType.toStdString());
        QCOMPARE(r.status, status);
        const Json s = Json::parse(r.body);
        QCOMPARE(text(s["kind"]), QStringLiteral("Status"));
        QCOMPARE(whole(s["code"]), static_cast<long long>(status));
        QVERIFY2(s["message"].get<std::string>().find(message.toStdString()) != std::string::npos,
                 s["message"].get<std::string>().c_str());
        // Nothing changed.
        QCOMPARE(whole(get(*c, kDeployment)["spec"]["replicas"]), 3LL);
        QCOMPARE(c->scaleHistory().size(), std::size_t(1));
    }

    void notUtf8InAPathIsReplacedNotThrown()
    {
        auto c = make();
        const cluster::HttpResponse r = call(*c, "GET", "/apis/apps/v1/namespaces/default/deployments/\xc3");
        QCOMPARE(r.status, 404);
        QVERIFY(Json::parse(r.body)["message"].get<std::string>().find("\xef\xbf\xbd") != std::string::npos);
        // In a body the JSON parser quotes back.
        const cluster::HttpResponse body = call(*c, "PATCH", kDeployment + "/scale", "\xff", "application/merge-patch+json");
        QCOMPARE(body.status, 400);
        QVERIFY(Json::parse(body.body)["message"].get<std::string>().find("not JSON") != std::string::npos);
    }

    // The name and namespace the URL has, given in the body, are taken (kubectl's PUT of a
    // read Scale sends them); an empty namespace is the URL's.
    void aScaleNamedAsTheUrlIsTaken()
    {
        auto c = make(3);
        QCOMPARE(call(*c, "PUT", kDeployment + "/scale",
                      R"({"kind":"Scale","metadata":{"name":"inference","namespace":""},"spec":{"replicas":5}})").status, 200);
        QCOMPARE(call(*c, "PATCH", kDeployment + "/scale",
                      R"({"metadata":{"name":"inference","namespace":"default"},"spec":{"replicas":6}})",
                      "application/merge-patch+json").status, 200);
        QCOMPARE(whole(get(*c, kDeployment)["spec"]["replicas"]), 6LL);
    }

    // serve on an address other machines reach, guarded by nothing, warns (a new-user trial's
    // --address 0.0.0.0 said nothing, though the docs said it is a write API for anyone).
    void anUnguardedServerOffLoopbackIsWarnedOf()
    {
        const auto warning = [](const std::string &address, const std::string &token = {},
                                const std::string &clientCa = {}) {
            cluster::ServerOptions o;
            o.address = address;
            o.bearerToken = token;
            o.clientCaFile = clientCa;
            return cluster::exposureWarning(o);
        };
        for (const char *open : {"0.0.0.0", "::", "192.168.1.5", "fd00::1"}) {
            const std::string w = warning(open);
            QVERIFY2(w.find(std::string("listening on ") + open + ", not a loopback address, with neither "
                            "--token-file nor --client-ca") != std::string::npos, (open + (": " + w)).c_str());
        }
        for (const char *local : {"127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"})
            QVERIFY2(warning(local).empty(), local);
        QVERIFY(warning("0.0.0.0", "token").empty());
        QVERIFY(warning("0.0.0.0", {}, "ca.crt").empty());
        QVERIFY(warning("not-an-address").empty()); // refused by the server, not warned of
    }

    void anEmptyJsonPatchChangesNothing()
    {
        auto c = make(3);
        const cluster::HttpResponse r = call(*c, "PATCH", kDeployment + "/scale", "[]", "application/json-patch+json");
        QCOMPARE(r.status, 200);
        QCOMPARE(whole(Json::parse(r.body)["spec"]["replicas"]), 3LL);
    }

    void aDryRunChangesNothing()
    {
        auto c = make(3);
        const cluster::HttpResponse r = call(*c, "PATCH", kDeployment + "/scale?dryRun=All",
                                             R"({"spec":{"replicas":7}})", "application/merge-patch+json");
        QCOMPARE(r.status, 200);
        QCOMPARE(whole(Json::parse(r.body)["spec"]["replicas"]), 7LL); // what it would be
        QCOMPARE(whole(get(*c, kDeployment)["spec"]["replicas"]), 3LL); // what it is
        QCOMPARE(c->scaleHistory().size(), std::size_t(1));
        // A dry run is checked like the real thing.
        QCOMPARE(call(*c, "PATCH", kDeployment + "/scale?dryRun=All", R"({"spec":{"replicas":70}})",
                      "application/merge-patch+json").status, 422);
    }

    void selectorsPickPods()
    {
        auto c = make(3);
        c->advanceTo(2.0);
        call(*c, "PATCH", kDeployment + "/scale", R"({"spec":{"replicas":5}})", "application/merge-patch+json");
        c->advanceTo(2.5);
        const std::string pods = "/api/v1/namespaces/default/pods";
        // kubectl wait pod/NAME lists with a field selector on the name: that pod alone.
        Json items = get(*c, pods + "?fieldSelector=metadata.name%3Dinference-00005")["items"];
        QCOMPARE(items.size(), std::size_t(1));
        QCOMPARE(text(items[0]["metadata"]["name"]), QStringLiteral("inference-00005"));
        QCOMPARE(get(*c, pods + "?fieldSelector=status.phase==Pending")["items"].size(), std::size_t(2));
        QCOMPARE(get(*c, pods + "?labelSelector=app%3Dinference")["items"].size(), std::size_t(5));
        QCOMPARE(get(*c, pods + "?labelSelector=app%3Dother")["items"].size(), std::size_t(0));
        QCOMPARE(get(*c, pods + "?labelSelector=app!%3Dinference")["items"].size(), std::size_t(0));
        QCOMPARE(get(*c, "/apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name%3Dx")["items"].size(),
                 std::size_t(0));
        // What is not read is refused, not ignored.
        QCOMPARE(call(*c, "GET", pods + "?labelSelector=app+in+(a,b)").status, 400);
        QCOMPARE(call(*c, "GET", pods + "?fieldSelector=spec.nodeName%3Dx").status, 400);
    }

    void headIsGetWithoutItsBody()
    {
        auto c = make();
        QCOMPARE(call(*c, "HEAD", "/healthz").status, 200);
        QCOMPARE(call(*c, "HEAD", "/metrics").status, 200);
    }

    void otherPathsAndMethodsAreRefused()
    {
        auto c = make();
        QCOMPARE(call(*c, "GET", "/apis/batch/v1/jobs").status, 404);
        QCOMPARE(call(*c, "GET", "/api/v1/namespaces/default/services").status, 404);
        QCOMPARE(call(*c, "DELETE", "/api/v1/namespaces/default/pods/inference-00001").status, 405);
        QCOMPARE(call(*c, "GET", "/api/v1/namespaces/default/pods?watch=true").status, 405);
        QCOMPARE(call(*c, "GET", "/api/v1/namespaces/default/pods?watch=TRUE").status, 405);
        QCOMPARE(call(*c, "GET", "/api/v1/namespaces/default/pods?watch=false").status, 200);
        QCOMPARE(call(*c, "GET", kDeployment + "/status").status, 404);
    }

    // Inference requests join the cluster's own load and end as the simulator decides: 200
    // with the simulated latency, 503 when the router's queue is full, 504 past the timeout.
    void inferenceRequestsEndAsTheClusterDecides()
    {
        const traffic::Scenario scenario = traffic::parseScenario(
            R"({"name": "tiny", "duration_s": 60, "seed": 7,
                "cluster": {"router_queue_capacity": 1, "client_timeout_s": 3},
                "segments": [{"type": "constant", "start_s": 0, "end_s": 60, "rate": 1}]})",
            "tiny.json");
        cluster::SimulatedClusterOptions options;
        options.speed = 4.0;
        cluster::SimulatedCluster c(options, scenario.cluster, 7, nullptr, 1, 60.0);
        c.advanceTo(1.0);
        const auto first = c.submitInference(R"({"prompt_tokens": 0, "output_tokens": 1980})");
        QVERIFY(std::holds_alternative<std::uint32_t>(first)); // 1 s of service: 10 ms + 1980 x 0.5 ms
        const auto second = c.submitInference("{}");         // waits at the router
        const auto third = c.submitInference("");            // the queue is full
        QVERIFY(std::holds_alternative<std::uint32_t>(third));
        auto answers = c.takeInferenceAnswers();
        QCOMPARE(answers.size(), std::size_t(1));
        QCOMPARE(answers[0].first, std::get<std::uint32_t>(third));
        QCOMPARE(answers[0].second.status, 503);
        QVERIFY(answers[0].second.body.find("router's queue is full") != std::string::npos);
        QVERIFY(std::fabs(c.nextInferenceEventS() - 2.0) < 1e-9);

        c.advanceTo(2.0 + 1e-6);
        answers = c.takeInferenceAnswers();
        QCOMPARE(answers.size(), std::size_t(1));
        QCOMPARE(answers[0].first, std::get<std::uint32_t>(first));
        QCOMPARE(answers[0].second.status, 200);
        const Json served = Json::parse(answers[0].second.body);
        QCOMPARE(text(served["outcome"]), QStringLiteral("completed"));
        QVERIFY(std::fabs(served["latency_ms"].get<double>() - 1000.0) < 1e-6);
        QCOMPARE(served["queue_wait_ms"].get<double>(), 0.0);
        QCOMPARE(text(served["pod"]), QStringLiteral("inference-00001"));
        QCOMPARE(served["speed"].get<double>(), 4.0);
        // The second waited at the router for the pod's slot, then was served.
        c.advanceTo(3.5);
        answers = c.takeInferenceAnswers();
        QCOMPARE(answers.size(), std::size_t(1));
        QCOMPARE(answers[0].first, std::get<std::uint32_t>(second));
        QCOMPARE(answers[0].second.status, 200);
        QVERIFY(std::fabs(Json::parse(answers[0].second.body)["queue_wait_ms"].get<double>() - 1000.0) < 1e-3);

        // No pod from now on: the one waiting is answered 504 at its timeout.
        call(c, "PATCH", kDeployment + "/scale", R"({"spec":{"replicas":0}})", "application/merge-patch+json");
        const auto fourth = c.submitInference("{}");
        c.advanceTo(7.0);
        answers = c.takeInferenceAnswers();
        QCOMPARE(answers.size(), std::size_t(1));
        QCOMPARE(answers[0].first, std::get<std::uint32_t>(fourth));
        QCOMPARE(answers[0].second.status, 504);
        QCOMPARE(Json::parse(answers[0].second.body)["latency_ms"].get<double>(), 3000.0);

        const std::string m = call(c, "GET", "/metrics").body;
        const std::string l = "{namespace=\"default\",deployment=\"inference\"}";
        QCOMPARE(sampleValue(m, "headroom_requests_total" + l), 4.0);
        QCOMPARE(sampleValue(m, "headroom_inference_requests_total" + l), 4.0);
        QCOMPARE(call(c, "GET", "/v1/infer").status, 405);
        QCOMPARE(std::get<cluster::HttpResponse>(c.submitInference("{\"prompt_tokens\": -1}")).status, 400);
    }

    // serve --hpa: the cluster's own HPA scales the Deployment (20 req/s of 150 ms keep 1 pod
    // busy, 100 % CPU against a 50 % target) and is served as autoscaling/v2, with its status.
    void theClustersOwnHpaScalesAndIsServed()
    {
        auto c = make(1, true);
        const Json groups = get(*c, "/apis")["groups"];
        QCOMPARE(text(groups[1]["name"]), QStringLiteral("autoscaling"));
        QCOMPARE(text(get(*c, "/apis/autoscaling/v2")["resources"][0]["name"]), QStringLiteral("horizontalpodautoscalers"));
        c->advanceTo(60.0);
        QVERIFY2(c->cluster().desiredReplicas() >= 2, qPrintable(QString::number(c->cluster().desiredReplicas())));
        QVERIFY(c->hpaScaleChanges() >= 1);
        QCOMPARE(c->scaleHistory().size(), std::size_t(1)); // none through the API
        const Json list = get(*c, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers");
        QCOMPARE(text(list["kind"]), QStringLiteral("HorizontalPodAutoscalerList"));
        QCOMPARE(list["items"].size(), std::size_t(1));
        const Json &hpa = list["items"][0];
        QCOMPARE(text(hpa["metadata"]["name"]), QStringLiteral("inference-hpa"));
        QCOMPARE(text(hpa["spec"]["scaleTargetRef"]["name"]), QStringLiteral("inference"));
        QCOMPARE(whole(hpa["spec"]["metrics"][0]["resource"]["target"]["averageUtilization"]), 50LL);
        QCOMPARE(whole(hpa["status"]["desiredReplicas"]), static_cast<long long>(c->cluster().desiredReplicas()));
        QVERIFY(hpa["status"].contains("lastScaleTime"));
        const long long cpu = whole(hpa["status"]["currentMetrics"][0]["resource"]["current"]["averageUtilization"]);
        QVERIFY2(cpu > 0 && cpu <= 100, qPrintable(QString::number(cpu)));
        QCOMPARE(text(hpa["status"]["conditions"][0]["type"]), QStringLiteral("AbleToScale"));
        QCOMPARE(text(get(*c, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/inference-hpa")["kind"]),
                 QStringLiteral("HorizontalPodAutoscaler"));
        get(*c, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/other", 404);
        QCOMPARE(get(*c, "/apis/autoscaling/v2/namespaces/prod/horizontalpodautoscalers")["items"].size(), std::size_t(0));
        QCOMPARE(call(*c, "DELETE", "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/inference-hpa").status, 405);
        // Without --hpa there is none: autoscaling/v2 is not served.
        auto plain = make(1, false);
        get(*plain, "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers", 404);
        plain->advanceTo(60.0);
        QCOMPARE(plain->cluster().desiredReplicas(), 1);
    }

    void kubectlTablesHaveItsColumns()
    {
        auto c = make(2);
        c->advanceTo(125.0); // past the run's 60 s: stays at its end
        QCOMPARE(c->nowS(), 60.0);
        const std::string table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        const Json pods = Json::parse(call(*c, "GET", "/api/v1/namespaces/default/pods", {}, {}, table).body);
        QCOMPARE(text(pods["kind"]), QStringLiteral("Table"));
        QCOMPARE(pods["columnDefinitions"].size(), std::size_t(5));
        QCOMPARE(pods["rows"].size(), std::size_t(2));
        QVERIFY2(pods["rows"][0]["cells"] == Json({"inference-00001", "1/1", "Running", 0, "60s"}), pods["rows"][0]["cells"].dump().c_str());
        const Json d = Json::parse(call(*c, "GET", kDeployment, {}, {}, table).body);
        QVERIFY2(d["rows"][0]["cells"] == Json({"inference", "2/2", 2, 2, "60s"}), d["rows"][0]["cells"].dump().c_str());
    }

    // The latency quantiles read from /metrics as Prometheus's histogram_quantile (and control)
    // reads them, linear within a bucket, are the simulator's own for the same requests, to
    // within 10 %. With buckets at 0.25, 0.5 and 1 s a fourth trial's calm seed-spike read a
    // p95 of 410-435 ms and a p99 of 485 ms where the simulator's were 334 and 355 ms: a calm
    // lane looked right at the 500 ms SLO.
    void metricsQuantilesAreTheSimulatorsOwn_data()
    {
        QTest::addColumn<int>("replicas");
        QTest::newRow("50 % busy") << 6;
        QTest::newRow("60 % busy") << 5;
        QTest::newRow("75 % busy") << 4;
    }

    void metricsQuantilesAreTheSimulatorsOwn()
    {
        QFETCH(int, replicas);
        auto c = make(replicas);
        c->advanceTo(60.0);
        const std::string m = call(*c, "GET", "/metrics").body;
        // The cumulative buckets, (le, count) ascending, as the exposition gives them.
        const std::string prefix = "headroom_request_duration_seconds_bucket{namespace=\"default\",deployment=\"inference\",le=\"";
        std::vector<std::pair<double, double>> buckets;
        std::istringstream lines(m);
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind(prefix, 0) != 0)
                continue;
            const std::string le = line.substr(prefix.size(), line.find('"', prefix.size()) - prefix.size());
            buckets.emplace_back(le == "+Inf" ? INFINITY : std::stod(le), std::stod(line.substr(line.rfind(' ') + 1)));
        }
        QVERIFY(buckets.size() >= 20 && buckets.size() <= 32); // fine, and still a few series
        QVERIFY(std::isinf(buckets.back().first));
        // Prometheus's histogram_quantile.
        const auto quantile = [&](double q) {
            const double rank = q * buckets.back().second;
            double lower = 0.0;
            double below = 0.0;
            for (const auto &[le, count] : buckets) {
                if (count >= rank)
                    return std::isinf(le) ? lower : lower + (le - lower) * (rank - below) / (count - below);
                lower = le;
                below = count;
            }
            return lower;
        };
        const metrics::LatencyHistogram &own = c->cluster().runLatency();
        QVERIFY(own.count() > 1000);
        for (const double q : {0.5, 0.95, 0.99}) {
            const double served = quantile(q);
            const double simulated = own.quantile(q);
            QVERIFY2(std::abs(served - simulated) <= 0.10 * simulated,
                qPrintable(QStringLiteral("q %1: %2 s from /metrics, %3 s simulated").arg(q).arg(served).arg(simulated)));
        }
    }

    void metricsCountWhatTheClusterDid()
    {
        auto c = make(6); // 50 % busy
        c->advanceTo(30.0);
        QCOMPARE(c->samples().size(), std::size_t(30));
        double arrivals = 0.0;
        for (const auto &s : c->samples())
            arrivals += s.arrivalsPerS;
        const cluster::HttpResponse r = call(*c, "GET", "/metrics");
        QCOMPARE(r.status, 200);
        QVERIFY(r.contentType.starts_with("text/plain; version=0.0.4"));
        const std::string &m = r.body;
        const std::string l = "{namespace=\"default\",deployment=\"inference\"";
        QCOMPARE(sampleValue(m, "headroom_requests_total" + l + "}"), arrivals);
        QVERIFY(arrivals > 500.0 && arrivals < 700.0); // 20 req/s for 30 s
        const double completed = sampleValue(m, "headroom_requests_completed_total" + l + "}");
        QCOMPARE(sampleValue(m, "headroom_request_duration_seconds_count" + l + "}"), completed);
        QCOMPARE(sampleValue(m, "headroom_request_duration_seconds_bucket" + l + ",le=\"+Inf\"}"), completed);
        // Cumulative buckets: never fewer at a larger bound; 150 ms requests on half-busy pods
        // mostly under 0.25 s, all under 1 s.
        double previous = 0.0;
        for (const char *le : {"0.05", "0.1", "0.15", "0.2", "0.25", "0.3", "0.35", "0.4", "0.45", "0.5", "0.55",
                 "0.6", "0.65", "0.7", "0.75", "0.8", "0.85", "0.9", "0.95", "1", "1.5", "2", "2.5", "3", "4", "5",
                 "7.5", "10", "30", "60"}) {
            const double n = sampleValue(m, "headroom_request_duration_seconds_bucket" + l + ",le=\"" + le + "\"}");
            QVERIFY2(n >= previous, le);
            previous = n;
        }
        QVERIFY(sampleValue(m, "headroom_request_duration_seconds_bucket" + l + ",le=\"0.25\"}") > 0.5 * completed);
        QCOMPARE(sampleValue(m, "headroom_request_duration_seconds_bucket" + l + ",le=\"1\"}"), completed);
        const double sum = sampleValue(m, "headroom_request_duration_seconds_sum" + l + "}");
        QVERIFY2(sum / completed > 0.1 && sum / completed < 0.3, std::to_string(sum / completed).c_str());
        QCOMPARE(sampleValue(m, "headroom_pods" + l + ",phase=\"ready\"}"), 6.0);
        QCOMPARE(sampleValue(m, "headroom_replicas_desired" + l + "}"), 6.0);
        QCOMPARE(sampleValue(m, "headroom_simulated_time_seconds" + l + "}"), 30.0);
        QCOMPARE(sampleValue(m, "headroom_pod_seconds_total" + l + "}"), 180.0);
        // Every sample line belongs to a declared metric.
        std::istringstream lines(m);
        std::map<std::string, std::string> types;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("# TYPE ", 0) == 0) {
                const auto name = line.substr(7, line.find(' ', 7) - 7);
                types[name] = line.substr(line.rfind(' ') + 1);
            } else if (!line.starts_with('#')) {
                std::string name = line.substr(0, line.find('{'));
                for (const char *suffix : {"_bucket", "_sum", "_count"}) {
                    if (name.ends_with(suffix) && types.count(name.substr(0, name.size() - std::strlen(suffix))))
                        name = name.substr(0, name.size() - std::strlen(suffix));
                }
                QVERIFY2(types.count(name), line.c_str());
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestSimulatedCluster)
#include "tst_simulatedcluster.moc"
