#include "cluster/simulatedcluster.h"

#include "control/controllerfactory.h"
#include "control/hpacontroller.h"

#include "io/inputerror.h"
#include "logging.h"
#include "traffic/arrivalsource.h"
#include "traffic/jsonfields.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <cmath>
#include <ctime>
#include <iomanip>
#include <limits>
#include <sstream>

namespace headroom::cluster {

namespace {

using Json = nlohmann::ordered_json;

// Samples kept for /metrics and samples(): an hour of seconds (the server may run for days).
constexpr std::size_t kKeptSamples = 3600;
// The latency buckets of headroom_request_duration_seconds, in seconds: every 50 ms to 1 s,
// where the default preset's quantiles and SLO (500 ms) are, then coarser to the llm
// preset's (5 s) and past the client timeout. Quantiles are read from them as Prometheus's
// histogram_quantile reads them, linear within a bucket: with 0.25, 0.5 and 1 a calm
// seed-spike's p95 of 334 ms read 410-435 ms and its p99 of 355 ms 485 ms, right at the SLO.
constexpr double kLatencyBuckets[] = {0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65,
    0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 7.5, 10.0, 30.0, 60.0};

// RFC 3339 in UTC, to the millisecond when the time has a fraction (a sped-up cluster's
// pods start within a wall-clock second; clients parse fractions as Kubernetes's own do).
std::string rfc3339(double unixS)
{
    const double whole = std::floor(unixS);
    const long millis = std::lround((unixS - whole) * 1000.0);
    const std::time_t t = static_cast<std::time_t>(whole) + (millis == 1000 ? 1 : 0);
    std::tm tm {};
    gmtime_r(&t, &tm);
    std::ostringstream text;
    text << std::put_time(&tm, "%Y-%m-%dT%H:%M:%S");
    if (millis % 1000 != 0)
        text << "." << std::setw(3) << std::setfill('0') << millis % 1000;
    text << "Z";
    return text.str();
}

// An age as kubectl prints one ("45s", "3m20s", "2h5m", "3d4h").
std::string humanAge(double seconds)
{
    const long s = std::max(0L, std::lround(std::floor(seconds)));
    std::ostringstream text;
    if (s < 120)
        text << s << "s";
    else if (s < 600)
        text << s / 60 << "m" << (s % 60 ? std::to_string(s % 60) + "s" : "");
    else if (s < 3 * 3600)
        text << s / 60 << "m";
    else if (s < 8 * 3600)
        text << s / 3600 << "h" << (s / 60 % 60 ? std::to_string(s / 60 % 60) + "m" : "");
    else if (s < 48 * 3600)
        text << s / 3600 << "h";
    else
        text << s / 86400 << "d" << (s / 3600 % 24 ? std::to_string(s / 3600 % 24) + "h" : "");
    return text.str();
}

// A pod's name: the deployment's and the pod's number, as "inference-00003".
std::string podName(const std::string &deployment, int id)
{
    std::ostringstream name;
    name << deployment << "-" << std::setw(5) << std::setfill('0') << id;
    return name.str();
}

// A stable UUID per object: `kind` 1 for the deployment, 2 for pods, 3 for the HPA.
std::string uid(int kind, int id)
{
    std::ostringstream text;
    text << kind << "0000000-0000-4000-8000-" << std::setw(12) << std::setfill('0') << id;
    return text.str();
}

HttpResponse json(int status, const Json &body)
{
    // Bytes that are not UTF-8 (from a request's path or body, quoted in a message) are
    // replaced, not thrown over.
    return {status, "application/json", body.dump(-1, ' ', false, Json::error_handler_t::replace)};
}

// "%41" -> "A"; in a query (`plus`) "+" is a space too.
std::string percentDecode(const std::string &text, bool plus)
{
    std::string out;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size() && std::isxdigit(static_cast<unsigned char>(text[i + 1]))
            && std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
            out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
            i += 2;
        } else {
            out += plus && text[i] == '+' ? ' ' : text[i];
        }
    }
    return out;
}

// The query's parameters: "?a=1&b=x%3Dy" -> {a: 1, b: x=y}.
std::map<std::string, std::string> queryParameters(const std::string &target)
{
    std::map<std::string, std::string> params;
    const std::size_t q = target.find('?');
    if (q == std::string::npos)
        return params;
    const auto decode = [](const std::string &text) { return percentDecode(text, true); };
    std::size_t start = q + 1;
    while (start <= target.size()) {
        const std::size_t end = std::min(target.find('&', start), target.size());
        const std::string pair = target.substr(start, end - start);
        const std::size_t eq = pair.find('=');
        if (!pair.empty())
            params[decode(pair.substr(0, eq))] = eq == std::string::npos ? std::string() : decode(pair.substr(eq + 1));
        start = end + 1;
    }
    return params;
}

// An equality selector ("app=inference,tier!=web", "metadata.name==x") as (key, value, equal)
// terms; nullopt when a term is not of that form (set-based selectors are not read).
std::optional<std::vector<std::tuple<std::string, std::string, bool>>> parseSelector(const std::string &text)
{
    std::vector<std::tuple<std::string, std::string, bool>> terms;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t end = std::min(text.find(',', start), text.size());
        const std::string term = text.substr(start, end - start);
        start = end + 1;
        if (term.empty())
            continue;
        std::size_t op = term.find("!=");
        bool equal = op == std::string::npos;
        std::size_t width = 2;
        if (equal) {
            op = term.find("==");
            if (op == std::string::npos) {
                op = term.find('=');
                width = 1;
            }
        }
        if (op == std::string::npos || op == 0)
            return std::nullopt;
        terms.emplace_back(term.substr(0, op), term.substr(op + width), equal);
    }
    return terms;
}

// How deeply a JSON text nests arrays and objects (strings skipped).
int nestingDepth(const std::string &text)
{
    int depth = 0;
    int deepest = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
        } else if (c == '"') {
            inString = true;
        } else if (c == '[' || c == '{') {
            deepest = std::max(deepest, ++depth);
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return deepest;
}

// A JSON value as a message may quote it: scalars as they are, containers by their kind.
std::string quoted(const Json &value)
{
    if (value.is_object())
        return "an object";
    if (value.is_array())
        return "an array";
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// A Kubernetes Status: what kubectl prints as "Error from server (REASON): MESSAGE".
HttpResponse failure(int status, const std::string &reason, const std::string &message)
{
    return json(status, Json {{"kind", "Status"}, {"apiVersion", "v1"}, {"metadata", Json::object()},
        {"status", "Failure"}, {"message", message}, {"reason", reason}, {"code", status}});
}

// A method the path does not take: 405 with the Allow header HTTP asks of one, naming those
// it does.
HttpResponse methodNotAllowed(const std::string &allow, const std::string &message)
{
    HttpResponse r = failure(405, "MethodNotAllowed", message);
    r.allow = allow;
    return r;
}

HttpResponse notFound(const std::string &what)
{
    return failure(404, "NotFound", what + " not found");
}

std::vector<std::string> splitPath(const std::string &path)
{
    std::vector<std::string> parts;
    std::size_t start = 1;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        if (end > start)
            parts.push_back(percentDecode(path.substr(start, end - start), false));
        start = end + 1;
    }
    return parts;
}

bool wantsTable(const HttpRequest &request)
{
    return request.accept.find("as=Table") != std::string::npos;
}

Json resourceList(const std::string &groupVersion, Json resources)
{
    return Json {{"kind", "APIResourceList"}, {"apiVersion", "v1"}, {"groupVersion", groupVersion},
        {"resources", std::move(resources)}};
}

Json column(const std::string &name, const std::string &type, const std::string &description,
            const std::string &format = {})
{
    Json c {{"name", name}, {"type", type}, {"format", format}, {"description", description},
        {"priority", 0}};
    return c;
}

// kubectl's server-side table (meta.k8s.io/v1 Table): the columns, then a row per object.
Json table(Json columns, const std::vector<Json> &rows, long long resourceVersion)
{
    return Json {{"kind", "Table"}, {"apiVersion", "meta.k8s.io/v1"},
        {"metadata", {{"resourceVersion", std::to_string(resourceVersion)}}},
        {"columnDefinitions", std::move(columns)}, {"rows", rows}};
}

// A list of objects (PodList, DeploymentList).
Json list(const std::string &kind, const std::string &apiVersion, const std::vector<Json> &items,
          long long resourceVersion)
{
    return Json {{"kind", kind}, {"apiVersion", apiVersion},
        {"metadata", {{"resourceVersion", std::to_string(resourceVersion)}}}, {"items", items}};
}

} // namespace

SimulatedCluster::SimulatedCluster(SimulatedClusterOptions options, const sim::ClusterConfig &config,
                                   std::uint64_t seed,
                                   std::unique_ptr<traffic::ArrivalSource> arrivals,
                                   int initialReplicas, double durationS)
    : m_options(std::move(options))
    , m_cluster(config, seed, initialReplicas)
    , m_arrivals(std::move(arrivals))
    , m_durationS(durationS)
    , m_inferenceRng(seed ^ 0x5eed1f0e11a7e5ULL)
    , m_serviceTimes(std::make_unique<traffic::ServiceTimes>(config))
{
    m_scaleHistory.emplace_back(0.0, initialReplicas);
    if (m_options.hpa) {
        control::ControllerEnvironment env;
        env.cluster = config;
        env.seed = seed;
        env.initialReplicas = initialReplicas;
        std::string unused;
        m_hpa.reset(static_cast<control::HpaController *>(control::makeController("hpa", env, unused).release()));
    }
}

SimulatedCluster::~SimulatedCluster() = default;

void SimulatedCluster::advanceTo(double tS)
{
    tS = std::min(tS, m_durationS);
    while (nowS() < tS - 1e-9) {
        const double nextWhole = std::floor(nowS() + 1e-9) + 1.0;
        const double until = std::min(tS, nextWhole);
        // Whole seconds, as a run draws them: a Poisson source's draws depend on where its
        // spans are cut, and spans cut at the wall clock's ticks would bring other arrivals
        // and service times than `run`'s for the same seed, and others on every serve.
        while (m_arrivals && m_generatedToS < until) {
            m_arrivals->generate(m_generatedToS, m_generatedToS + 1.0, m_pending);
            m_generatedToS += 1.0;
        }
        const auto end = std::lower_bound(m_pending.begin(), m_pending.end(), until,
            [](const traffic::Arrival &a, double t) { return a.tS < t; });
        m_cluster.advance(m_pending.data(), m_pending.data() + (end - m_pending.begin()), until);
        m_pending.erase(m_pending.begin(), end);
        if (until >= nextWhole - 1e-9) {
            m_samples.push_back(m_cluster.takeSample());
            m_samples.back().podsDesired = m_cluster.desiredReplicas();
            m_concurrencySeconds += m_samples.back().concurrency;
            if (m_hpa) {
                // The cluster's own HPA, each second as the hpa lane runs it.
                const control::ControlContext context {nextWhole, m_cluster, m_samples, nullptr};
                if (const auto replicas = m_hpa->onSecond(context, m_hpaEvents)) {
                    m_cluster.setDesiredReplicas(*replicas);
                    ++m_resourceVersion;
                    ++m_hpaScales;
                    qCInfo(lcCluster) << "the HPA scaled" << m_options.deployment.c_str() << "to" << *replicas
                                      << "replicas at" << nextWhole << "s (simulated)";
                }
                if (m_hpaEvents.size() > 1000)
                    m_hpaEvents.erase(m_hpaEvents.begin(), m_hpaEvents.end() - 100);
            }
            if (m_samples.size() > 2 * kKeptSamples)
                m_samples.erase(m_samples.begin(), m_samples.end() - kKeptSamples);
        }
    }
}

std::variant<std::uint32_t, HttpResponse> SimulatedCluster::submitInference(const std::string &body)
{
    const auto refuse = [](const std::string &message) {
        return json(400, Json {{"outcome", "refused"}, {"message", message}});
    };
    if (finished()) {
        return json(503, Json {{"outcome", "rejected"}, {"message",
            "the simulated cluster's run is over"}});
    }
    // Nesting this deep is no request, and parsing it could exhaust the stack.
    if (nestingDepth(body) > 32)
        return refuse("the body nests deeper than 32 levels");
    Json request = Json::object();
    if (body.find_first_not_of(" \t\r\n") != std::string::npos) {
        // Strictly, as every JSON input here: a key given twice took its last value.
        try {
            request = traffic::parseStrictJson(body, "the body");
        } catch (const InputError &e) {
            return refuse(e.problem().find("twice") != std::string::npos
                    ? "the body gives " + e.field() + " twice"
                    : "the body is not JSON");
        }
        if (!request.is_object())
            return refuse("the body must be a JSON object, such as "
                          "{\"prompt_tokens\": 200, \"output_tokens\": 50}");
    }
    // Token counts: whole numbers from 0 to kMaxInferenceTokens, each optional.
    constexpr long long kMaxTokens = kMaxInferenceTokens;
    std::optional<long long> tokens[2];
    const char *fields[2] = {"prompt_tokens", "output_tokens"};
    for (int i = 0; i < 2; ++i) {
        const auto it = request.find(fields[i]);
        if (it == request.end() || it->is_null())
            continue;
        const double asDouble = it->is_number() ? it->get<double>() : 0.0;
        const bool whole = it->is_number_integer()
            || (it->is_number_float() && std::isfinite(asDouble) && asDouble == std::floor(asDouble)
                && std::fabs(asDouble) < 1e15);
        if (!whole)
            return refuse(std::string(fields[i]) + " must be a whole number, not " + quoted(*it));
        const long long n = it->is_number_unsigned() && it->get<unsigned long long>() > LLONG_MAX
            ? LLONG_MAX
            : it->is_number_integer() ? it->get<long long>()
                                      : static_cast<long long>(asDouble);
        if (n < 0 || n > kMaxTokens) {
            return refuse(std::string(fields[i]) + " must be from 0 to " + std::to_string(kMaxTokens)
                + ", not " + quoted(*it));
        }
        tokens[i] = n;
    }
    const double serviceS = tokens[0] || tokens[1]
        ? m_serviceTimes->fromTokens(static_cast<int>(tokens[0].value_or(0)),
                                     static_cast<int>(tokens[1].value_or(0)))
        : m_serviceTimes->draw(m_inferenceRng);
    const std::uint32_t tag = m_nextTag;
    m_nextTag = m_nextTag == UINT32_MAX ? 1 : m_nextTag + 1;
    m_inferenceWaiting[tag] = nowS();
    ++m_inferenceRequests;
    m_cluster.arriveTagged(serviceS, tag);
    return tag;
}

HttpResponse SimulatedCluster::inferenceAnswer(const sim::TaggedOutcome &o) const
{
    using Kind = sim::TaggedOutcome::Kind;
    const sim::ClusterConfig &config = m_cluster.config();
    const char *outcome = o.kind == Kind::Completed ? "completed"
        : o.kind == Kind::Rejected                  ? "rejected"
                                                    : "timed_out";
    Json body {{"outcome", outcome}};
    const double latencyS = o.kind == Kind::TimedOut ? config.clientTimeoutS : o.endS - o.arrivalS;
    // To the microsecond: the simulator's sums leave digits no one measured.
    const auto ms = [](double seconds) { return std::round(seconds * 1e6) / 1000.0; };
    body["latency_ms"] = ms(latencyS);
    body["queue_wait_ms"] = ms(std::min(o.queueWaitS, latencyS));
    if (o.podId != 0) {
        body["service_ms"] = ms(o.serviceS);
        body["pod"] = podName(m_options.deployment, o.podId);
    }
    body["arrived_s"] = o.arrivalS;
    body["slo_ms"] = config.sloLatencyS * 1000.0;
    body["speed"] = m_options.speed;
    if (o.kind == Kind::Completed)
        return json(200, body);
    if (o.kind == Kind::Rejected) {
        body["message"] = "the router's queue is full (" + std::to_string(config.routerQueueCapacity)
            + " requests): rejected";
        return json(503, body);
    }
    std::ostringstream message;
    message << "no answer within the client timeout (" << config.clientTimeoutS << " simulated s)";
    body["message"] = message.str();
    return json(504, body);
}

std::vector<std::pair<std::uint32_t, HttpResponse>> SimulatedCluster::takeInferenceAnswers()
{
    std::vector<std::pair<std::uint32_t, HttpResponse>> answers;
    for (const sim::TaggedOutcome &o : m_cluster.takeTaggedOutcomes()) {
        // One answered already (its client timed out) is ended in the cluster later: not again.
        if (m_inferenceWaiting.erase(o.tag))
            answers.emplace_back(o.tag, inferenceAnswer(o));
    }
    // The client gives up at the timeout, whether or not the cluster has noticed yet.
    const double timeoutS = m_cluster.config().clientTimeoutS;
    for (auto it = m_inferenceWaiting.begin(); it != m_inferenceWaiting.end();) {
        if (finished() || nowS() - it->second > timeoutS) {
            // In service when its client gave up: its wait was for the slot, and the pod is
            // named (a request started at once on an idle pod read as 10 s of queue wait).
            sim::TaggedOutcome o = m_cluster.taggedInService(it->first).value_or(sim::TaggedOutcome {});
            if (o.podId == 0)
                o.queueWaitS = nowS() - it->second;
            o.tag = it->first;
            o.kind = sim::TaggedOutcome::Kind::TimedOut;
            o.arrivalS = it->second;
            o.endS = nowS();
            HttpResponse answer = inferenceAnswer(o);
            if (nowS() - it->second <= timeoutS) {
                answer = json(503, Json {{"outcome", "rejected"}, {"arrived_s", it->second},
                    {"message", "the simulated cluster's run ended before the answer"}});
            }
            answers.emplace_back(it->first, std::move(answer));
            it = m_inferenceWaiting.erase(it);
        } else {
            ++it;
        }
    }
    return answers;
}

double SimulatedCluster::nextInferenceEventS() const
{
    if (m_inferenceWaiting.empty())
        return std::numeric_limits<double>::infinity();
    double earliestArrival = std::numeric_limits<double>::infinity();
    for (const auto &[tag, arrivalS] : m_inferenceWaiting)
        earliestArrival = std::min(earliestArrival, arrivalS);
    return std::min(m_cluster.nextCompletionS(), earliestArrival + m_cluster.config().clientTimeoutS);
}

HttpResponse SimulatedCluster::handle(const HttpRequest &request)
{
    const std::string path = request.target.substr(0, request.target.find('?'));
    HttpResponse response;
    try {
        // HEAD is GET without the body (the server leaves the body out).
        if (request.method == "HEAD") {
            HttpRequest get = request;
            get.method = "GET";
            response = route(get, path);
        } else {
            response = route(request, path);
        }
    } catch (const std::exception &e) {
        // Whatever a request did, the server and its cluster go on.
        response = failure(500, "InternalError", std::string("the request could not be handled: ") + e.what());
        qCWarning(lcCluster) << request.method.c_str() << "failed:" << e.what();
    }
    qCDebug(lcCluster) << request.method.c_str() << request.target.c_str() << "->" << response.status;
    return response;
}

HttpResponse SimulatedCluster::hpaRoute(const HttpRequest &request, const std::vector<std::string> &p)
{
    // /apis/autoscaling/v2[/namespaces/NS]/horizontalpodautoscalers[/NAME]
    const std::string &ns = m_options.ns;
    const std::string hpaName = m_options.deployment + "-hpa";
    if (request.method != "GET")
        return methodNotAllowed("GET, HEAD", "the simulated cluster's HPA is read only (GET)");
    if (p.size() == 3) {
        return json(200, resourceList("autoscaling/v2", {{{"name", "horizontalpodautoscalers"},
            {"singularName", "horizontalpodautoscaler"}, {"namespaced", true}, {"kind", "HorizontalPodAutoscaler"},
            {"verbs", {"get", "list"}}, {"shortNames", {"hpa"}}, {"categories", {"all"}}}}));
    }
    std::size_t i = 3;
    std::string inNs;
    if (p.size() >= i + 2 && p[i] == "namespaces") {
        inNs = p[i + 1];
        i += 2;
    }
    if (i >= p.size() || p[i] != "horizontalpodautoscalers" || i + 2 < p.size())
        return notFound("the resource /" + p[i < p.size() ? i : 0]);
    const std::string object = i + 1 < p.size() ? p[i + 1] : std::string();
    const bool here = inNs.empty() || inNs == ns;
    if (!object.empty() && (!here || object != hpaName))
        return notFound("horizontalpodautoscalers.autoscaling \"" + object + "\"");

    const control::hpa::Spec &spec = m_hpa->spec();
    const auto stamp = [&](double simS) { return rfc3339(m_options.epochUnixS + simS / m_options.speed); };
    const auto &decision = m_hpa->lastDecision();
    Json status {{"currentReplicas", m_cluster.desiredReplicas()},
        {"desiredReplicas", decision ? decision->desiredReplicas : m_cluster.desiredReplicas()}};
    if (const auto at = m_hpa->lastScaleS())
        status["lastScaleTime"] = stamp(*at);
    std::string targets = "<unknown>/" + std::to_string(std::lround(spec.targetUtilizationPercent)) + "%";
    if (decision && decision->utilizationPercent) {
        const long percent = std::lround(*decision->utilizationPercent);
        targets = "cpu: " + std::to_string(percent) + "%/" + std::to_string(std::lround(spec.targetUtilizationPercent)) + "%";
        const long millicores = std::lround(*decision->utilizationPercent / 100.0 * m_cluster.config().podCpuRequestM);
        status["currentMetrics"] = Json::array({{{"type", "Resource"}, {"resource", {{"name", "cpu"},
            {"current", {{"averageUtilization", percent}, {"averageValue", std::to_string(millicores) + "m"}}}}}}});
    }
    if (decision) {
        Json conditions = Json::array();
        for (const control::hpa::Condition &c : decision->conditions)
            conditions.push_back({{"type", c.type}, {"status", c.status}, {"reason", c.reason}, {"message", c.message}});
        status["conditions"] = conditions;
    }
    const Json hpa {{"apiVersion", "autoscaling/v2"}, {"kind", "HorizontalPodAutoscaler"},
        {"metadata", {{"name", hpaName}, {"namespace", ns}, {"uid", uid(3, 1)},
            {"resourceVersion", std::to_string(m_resourceVersion)}, {"creationTimestamp", stamp(0.0)}}},
        {"spec", {{"scaleTargetRef", {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", m_options.deployment}}},
            {"minReplicas", spec.minReplicas}, {"maxReplicas", spec.maxReplicas},
            {"metrics", Json::array({{{"type", "Resource"}, {"resource", {{"name", "cpu"},
                {"target", {{"type", "Utilization"}, {"averageUtilization", std::lround(spec.targetUtilizationPercent)}}}}}}})}}},
        {"status", status}};
    const std::vector<Json> items = here ? std::vector<Json> {hpa} : std::vector<Json> {};
    if (wantsTable(request)) {
        std::vector<Json> rows;
        for (const Json &h : items) {
            rows.push_back({{"cells", {hpaName, "Deployment/" + m_options.deployment, targets, spec.minReplicas,
                                 spec.maxReplicas, m_cluster.desiredReplicas(), humanAge(nowS())}},
                {"object", {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", h["metadata"]}}}});
        }
        return json(200, table({column("Name", "string", "The HPA's name.", "name"),
            column("Reference", "string", "What it scales."), column("Targets", "string", "Current and target metrics."),
            column("MinPods", "integer", "The fewest replicas."), column("MaxPods", "integer", "The most replicas."),
            column("Replicas", "integer", "The replicas now."), column("Age", "string", "Simulated time since it was made.")},
            rows, m_resourceVersion));
    }
    if (!object.empty())
        return json(200, hpa);
    return json(200, list("HorizontalPodAutoscalerList", "autoscaling/v2", items, m_resourceVersion));
}

HttpResponse SimulatedCluster::route(const HttpRequest &request, const std::string &path)
{
    const std::vector<std::string> p = splitPath(path);
    const bool get = request.method == "GET";
    const std::string &ns = m_options.ns;
    const std::string &name = m_options.deployment;
    const double age = nowS();
    const double epoch = m_options.epochUnixS;
    const auto stamp = [&](double simS) { return rfc3339(epoch + simS / m_options.speed); };

    // The paths that are read only: another method is refused naming them (POST /healthz
    // was a 404, as if the path were not there).
    static const std::set<std::string> readOnly {"/healthz", "/readyz", "/livez", "/metrics", "/version", "/api",
        "/apis", "/api/v1", "/apis/apps/v1"};
    if (!get && readOnly.count(path))
        return methodNotAllowed("GET, HEAD", path + " takes GET (and HEAD)");
    if (get && (path == "/healthz" || path == "/readyz" || path == "/livez"))
        return {200, "text/plain", "ok"};
    if (get && path == "/metrics")
        return {200, "text/plain; version=0.0.4; charset=utf-8", metricsText()};
    if (path == "/v1/infer") {
        // POST is the server's to answer, when the cluster has served the request.
        if (request.method == "POST") {
            return failure(501, "NotImplemented", "inference requests are answered by a running "
                "server (headroom-cli serve), not here");
        }
        return methodNotAllowed("POST", "/v1/infer takes POST (a JSON body, optionally "
            "{\"prompt_tokens\": N, \"output_tokens\": N})");
    }
    if (get && path == "/version") {
        return json(200, Json {{"major", "1"}, {"minor", "30"}, {"gitVersion", "v1.30.0-headroom-sim"},
            {"platform", "headroom simulated cluster"}});
    }
    // Discovery, the legacy form (kubectl asks for the aggregated one and falls back).
    if (get && path == "/api")
        return json(200, Json {{"kind", "APIVersions"}, {"versions", {"v1"}}});
    if (get && path == "/apis") {
        const Json appsV1 {{"groupVersion", "apps/v1"}, {"version", "v1"}};
        Json groups = Json::array({{{"name", "apps"}, {"versions", {appsV1}}, {"preferredVersion", appsV1}}});
        if (m_hpa) {
            const Json autoscalingV2 {{"groupVersion", "autoscaling/v2"}, {"version", "v2"}};
            groups.push_back({{"name", "autoscaling"}, {"versions", {autoscalingV2}}, {"preferredVersion", autoscalingV2}});
        }
        return json(200, Json {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}});
    }
    if (m_hpa && p.size() >= 3 && p[0] == "apis" && p[1] == "autoscaling" && p[2] == "v2")
        return hpaRoute(request, p);
    if (get && path == "/api/v1") {
        return json(200, resourceList("v1", {{{"name", "pods"}, {"singularName", "pod"},
            {"namespaced", true}, {"kind", "Pod"}, {"verbs", {"get", "list"}}, {"shortNames", {"po"}},
            {"categories", {"all"}}}}));
    }
    if (get && path == "/apis/apps/v1") {
        return json(200, resourceList("apps/v1",
            {{{"name", "deployments"}, {"singularName", "deployment"}, {"namespaced", true},
                 {"kind", "Deployment"}, {"verbs", {"get", "list"}}, {"shortNames", {"deploy"}},
                 {"categories", {"all"}}},
                {{"name", "deployments/scale"}, {"singularName", ""}, {"namespaced", true},
                    {"group", "autoscaling"}, {"version", "v1"}, {"kind", "Scale"},
                    {"verbs", {"get", "patch", "update"}}}}));
    }

    // /api/v1/[namespaces/NS/]pods[/NAME] and /apis/apps/v1/[namespaces/NS/]deployments[/NAME[/scale]]
    std::size_t i = 0;
    bool core = false;
    if (p.size() >= 2 && p[0] == "api" && p[1] == "v1") {
        core = true;
        i = 2;
    } else if (p.size() >= 3 && p[0] == "apis" && p[1] == "apps" && p[2] == "v1") {
        i = 3;
    } else {
        return failure(404, "NotFound", "the server could not find the requested resource (" + path
            + "): this simulated cluster serves pods and the deployment " + ns + "/" + name);
    }
    std::string inNs; // empty: every namespace
    if (p.size() >= i + 2 && p[i] == "namespaces") {
        inNs = p[i + 1];
        i += 2;
    }
    if (i >= p.size())
        return notFound(path);
    const std::string resource = p[i];
    const std::string object = i + 1 < p.size() ? p[i + 1] : std::string();
    const std::string sub = i + 2 < p.size() ? p[i + 2] : std::string();
    if (i + 3 < p.size() || (core && resource != "pods") || (!core && resource != "deployments"))
        return notFound("the resource " + path);
    const bool here = inNs.empty() || inNs == ns;

    if (resource == "deployments" && !sub.empty()) {
        if (sub != "scale")
            return notFound("the subresource " + sub);
        if (!here || object != name)
            return notFound("deployments.apps \"" + object + "\"");
        return scale(request);
    }
    const std::map<std::string, std::string> query = queryParameters(request.target);
    // A watch as the API server reads the parameter (strconv.ParseBool: 1, t, true, TRUE, ...).
    static const std::set<std::string> truths {"1", "t", "T", "true", "TRUE", "True"};
    if (const auto w = query.find("watch"); w != query.end() && truths.count(w->second)) {
        return failure(405, "MethodNotAllowed", "the simulated cluster does not serve watches; "
            "list " + resource + " again instead");
    }
    if (!get) {
        return methodNotAllowed("GET, HEAD", "the simulated cluster takes only GET on " + resource
            + "; scale the deployment through its scale subresource (kubectl scale, or kubectl patch "
              "--subresource=scale)");
    }
    // Selectors: equality terms on the labels (app=NAME) and on metadata.name,
    // metadata.namespace and status.phase; anything else is refused rather than ignored.
    std::vector<std::tuple<std::string, std::string, bool>> labelTerms;
    std::vector<std::tuple<std::string, std::string, bool>> fieldTerms;
    for (const auto &[param, terms] : {std::pair {"labelSelector", &labelTerms}, std::pair {"fieldSelector", &fieldTerms}}) {
        const auto it = query.find(param);
        if (it == query.end())
            continue;
        const auto parsed = parseSelector(it->second);
        if (!parsed)
            return failure(400, "BadRequest", std::string(param) + " '" + it->second
                + "': only equality terms (k=v, k==v, k!=v) are served");
        *terms = *parsed;
    }
    for (const auto &[key, value, equal] : fieldTerms) {
        if (key != "metadata.name" && key != "metadata.namespace" && key != "status.phase")
            return failure(400, "BadRequest", "field selector '" + key + "' is not served (metadata.name, "
                "metadata.namespace and status.phase are)");
    }
    // Whether an object with these labels and fields passes the selectors.
    const auto selected = [&](const std::map<std::string, std::string> &labels,
                              const std::map<std::string, std::string> &fields) {
        const auto holds = [](const auto &terms, const std::map<std::string, std::string> &values) {
            for (const auto &[key, value, equal] : terms) {
                const auto it = values.find(key);
                const bool same = it != values.end() && it->second == value;
                if (same != equal)
                    return false;
            }
            return true;
        };
        return holds(labelTerms, labels) && holds(fieldTerms, fields);
    };

    const sim::Cluster &c = m_cluster;
    int live = 0;
    int ready = 0;
    for (const sim::Pod &pod : c.pods()) {
        live += pod.phase != sim::Pod::Phase::Terminating;
        ready += pod.serving();
    }
    const Json labels {{"app", name}};

    if (resource == "deployments") {
        const Json deployment {{"apiVersion", "apps/v1"}, {"kind", "Deployment"},
            {"metadata", {{"name", name}, {"namespace", ns}, {"uid", uid(1, 1)},
                {"resourceVersion", std::to_string(m_resourceVersion)}, {"generation", m_generation},
                {"creationTimestamp", stamp(0.0)}, {"labels", labels}}},
            {"spec", {{"replicas", c.desiredReplicas()}, {"selector", {{"matchLabels", labels}}},
                {"template", {{"metadata", {{"labels", labels}}},
                    {"spec", {{"containers", {{{"name", "model-server"},
                        {"image", "headroom/simulated-model-server"}}}}}}}}}},
            {"status", {{"observedGeneration", m_generation}, {"replicas", live},
                {"updatedReplicas", live}, {"readyReplicas", ready}, {"availableReplicas", ready},
                {"unavailableReplicas", std::max(0, c.desiredReplicas() - ready)}}}};
        if (!object.empty() && (!here || object != name))
            return notFound("deployments.apps \"" + object + "\"");
        const bool shown = here
            && selected({{"app", name}}, {{"metadata.name", name}, {"metadata.namespace", ns}});
        const std::vector<Json> items = shown ? std::vector<Json> {deployment} : std::vector<Json> {};
        if (wantsTable(request)) {
            std::vector<Json> rows;
            for (const Json &d : items) {
                rows.push_back({{"cells", {name, std::to_string(ready) + "/" + std::to_string(c.desiredReplicas()),
                                    live, ready, humanAge(age)}},
                    {"object", {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"},
                        {"metadata", d["metadata"]}}}});
            }
            return json(200, table({column("Name", "string", "The deployment's name.", "name"),
                column("Ready", "string", "Ready pods of the desired replicas."),
                column("Up-to-date", "integer", "Pods of the current template."),
                column("Available", "integer", "Pods ready to serve."),
                column("Age", "string", "Simulated time since the deployment was made.")}, rows,
                m_resourceVersion));
        }
        if (!object.empty())
            return json(200, deployment);
        return json(200, list("DeploymentList", "apps/v1", items, m_resourceVersion));
    }

    // Pods: a simulated pod's phase as the kubelet would report it.
    std::vector<Json> pods;
    std::vector<Json> rows;
    for (const sim::Pod &pod : here ? c.pods() : std::vector<sim::Pod> {}) {
        const std::string thisPod = podName(m_options.deployment, pod.id);
        using Phase = sim::Pod::Phase;
        const bool running = pod.phase != Phase::Pending;
        const bool isReady = pod.serving();
        const std::string status = pod.phase == Phase::Terminating ? "Terminating"
            : pod.phase == Phase::Pending                         ? "ContainerCreating"
                                                                   : "Running";
        Json metadata {{"name", thisPod}, {"namespace", ns},
            {"uid", uid(2, pod.id)},
            {"creationTimestamp", stamp(pod.createdS)}, {"labels", labels}};
        if (pod.phase == Phase::Terminating)
            metadata["deletionTimestamp"] = stamp(pod.lastChangeS);
        // Pods there from the start (warm) were started before the run; they show its start.
        Json state = running ? Json {{"running", {{"startedAt", stamp(std::max(pod.startedS, pod.createdS))}}}}
                             : Json {{"waiting", {{"reason", "ContainerCreating"}}}};
        Json podJson {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", metadata},
            {"spec", {{"containers", {{{"name", "model-server"}, {"image", "headroom/simulated-model-server"}}}}}},
            {"status", {{"phase", running ? "Running" : "Pending"},
                {"conditions", {{{"type", "PodScheduled"}, {"status", "True"},
                                    {"lastTransitionTime", stamp(pod.createdS)}},
                    {{"type", "Ready"}, {"status", isReady ? "True" : "False"},
                        {"lastTransitionTime",
                            stamp(pod.phase == Phase::Ready ? std::max(pod.readyTransitionS, pod.createdS) : pod.createdS)}}}},
                {"containerStatuses", {{{"name", "model-server"}, {"ready", isReady}, {"restartCount", 0},
                    {"started", running}, {"state", state}, {"image", "headroom/simulated-model-server"},
                    {"imageID", ""}}}}}}};
        if ((!object.empty() && object != thisPod)
            || !selected({{"app", name}}, {{"metadata.name", thisPod}, {"metadata.namespace", ns},
                                          {"status.phase", running ? "Running" : "Pending"}}))
            continue;
        rows.push_back({{"cells", {thisPod, isReady ? "1/1" : "0/1", status, 0, humanAge(age - pod.createdS)}},
            {"object", {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", metadata}}}});
        pods.push_back(std::move(podJson));
    }
    if (!object.empty() && pods.empty())
        return notFound("pods \"" + object + "\"");
    if (wantsTable(request)) {
        return json(200, table({column("Name", "string", "The pod's name.", "name"),
            column("Ready", "string", "Ready containers of the pod's."),
            column("Status", "string", "The pod's phase, as kubectl words it."),
            column("Restarts", "integer", "Container restarts."),
            column("Age", "string", "Simulated time since the pod was created.")}, rows,
            m_resourceVersion));
    }
    if (!object.empty())
        return json(200, pods.front());
    return json(200, list("PodList", "v1", pods, m_resourceVersion));
}

HttpResponse SimulatedCluster::scale(const HttpRequest &request)
{
    const sim::Cluster &c = m_cluster;
    const auto scaleObject = [&] {
        int live = 0;
        for (const sim::Pod &pod : c.pods())
            live += pod.phase != sim::Pod::Phase::Terminating;
        return Json {{"kind", "Scale"}, {"apiVersion", "autoscaling/v1"},
            {"metadata", {{"name", m_options.deployment}, {"namespace", m_options.ns},
                {"uid", uid(1, 1)},
                {"resourceVersion", std::to_string(m_resourceVersion)},
                {"creationTimestamp", rfc3339(m_options.epochUnixS)}}},
            {"spec", {{"replicas", c.desiredReplicas()}}},
            {"status", {{"replicas", live}, {"selector", "app=" + m_options.deployment}}}};
    };
    if (request.method == "GET")
        return json(200, scaleObject());
    if (request.method != "PUT" && request.method != "PATCH")
        return methodNotAllowed("GET, HEAD, PUT, PATCH", "deployments/scale takes GET, PUT and PATCH");

    // What the body is, by its content type, as the API server reads it.
    const std::string type = request.contentType.substr(0, request.contentType.find(';'));
    const bool jsonPatch = type == "application/json-patch+json";
    const bool mergePatch = type == "application/merge-patch+json"
        || type == "application/strategic-merge-patch+json" || type == "application/apply-patch+yaml";
    if (request.method == "PATCH" && !jsonPatch && !mergePatch) {
        return failure(415, "UnsupportedMediaType", "the content type '" + request.contentType
            + "' is not a patch: application/merge-patch+json, application/strategic-merge-patch+json "
              "or application/json-patch+json");
    }
    if (request.method == "PUT" && !type.empty() && type != "application/json")
        return failure(415, "UnsupportedMediaType", "a Scale is replaced as application/json");
    // Nesting this deep is no Scale, and quoting it back could exhaust the stack.
    if (nestingDepth(request.body) > 32)
        return failure(400, "BadRequest", "the body nests deeper than 32 levels");
    Json body;
    try {
        // Strictly, as /v1/infer reads its body: a key given twice took its last value, so
        // {"spec":{"replicas":6},"spec":{"replicas":9}} scaled to 9 where the client may have
        // meant either.
        body = traffic::parseStrictJson(request.body, "the request body");
    } catch (const InputError &e) {
        if (e.problem().find("twice") != std::string::npos)
            return failure(400, "BadRequest", "the request body gives " + e.field() + " twice");
        return failure(400, "BadRequest", "the request body is not JSON: " + e.problem());
    }
    const auto stringAt = [](const Json &object, const char *key) -> std::optional<std::string> {
        const auto it = object.find(key);
        if (it == object.end() || !it->is_string())
            return std::nullopt;
        return it->get<std::string>();
    };
    // The replicas asked for, from a Scale (PUT), a merge or strategic merge patch
    // ({"spec": {"replicas": N}}) or a JSON patch ([{"op": "replace", "path": "/spec/replicas", ...}]).
    const Json *replicas = nullptr;
    const std::string field = "spec.replicas";
    if (request.method == "PATCH" && jsonPatch) {
        if (!body.is_array())
            return failure(400, "BadRequest", "a JSON patch is an array of operations");
        for (std::size_t k = 0; k < body.size(); ++k) {
            const Json &op = body[k];
            const std::string where = "operation " + std::to_string(k);
            if (!op.is_object() || stringAt(op, "path") != "/spec/replicas")
                return failure(422, "Invalid", where + ": the scale subresource takes only /spec/replicas");
            const auto verb = stringAt(op, "op");
            if (verb != "replace" && verb != "add")
                return failure(422, "Invalid", where + ": only replace (or add) of /spec/replicas");
            if (!op.contains("value"))
                return failure(422, "Invalid", where + ": no value");
            replicas = &op["value"];
        }
        if (!replicas)
            return json(200, scaleObject()); // an empty patch changes nothing
    } else {
        if (!body.is_object())
            return failure(400, "BadRequest", "the body is not a JSON object");
        // The object's name and namespace, where the body gives them, are the URL's: the API
        // server answers 400 to a Scale named "other" sent to inference's URL (it scaled
        // inference here), and to a patch that would rename it.
        if (const auto meta = body.find("metadata"); meta != body.end()) {
            if (!meta->is_object() && !meta->is_null())
                return failure(400, "BadRequest", "metadata must be an object, not " + quoted(*meta));
            for (const auto &[key, want] : {std::pair<std::string, std::string> {"name", m_options.deployment},
                     std::pair<std::string, std::string> {"namespace", m_options.ns}}) {
                if (!meta->is_object() || !meta->contains(key) || (*meta)[key].is_null())
                    continue;
                const auto given = stringAt(*meta, key.c_str());
                if (!given)
                    return failure(400, "BadRequest", "metadata." + key + " must be a string, not " + quoted((*meta)[key]));
                // An empty namespace is the URL's, as the API server takes it.
                if (*given != want && !(given->empty() && key == "namespace")) {
                    return failure(400, "BadRequest", "the " + key + " of the object (" + *given
                        + ") does not match the " + key + " on the URL (" + want + ")");
                }
            }
        }
        if (request.method == "PUT") {
            if (body.contains("kind") && stringAt(body, "kind") != "Scale")
                return failure(400, "BadRequest", "the body's kind is " + quoted(body["kind"]) + ", not Scale");
            const auto meta = body.find("metadata");
            if (meta != body.end() && meta->is_object() && meta->contains("resourceVersion")) {
                const auto version = stringAt(*meta, "resourceVersion");
                if (!version)
                    return failure(400, "BadRequest", "metadata.resourceVersion must be a string");
                if (!version->empty() && *version != std::to_string(m_resourceVersion)) {
                    return failure(409, "Conflict", "Operation cannot be fulfilled on deployments.apps \""
                        + m_options.deployment + "\": the object has been modified (resourceVersion "
                        + *version + ", now " + std::to_string(m_resourceVersion) + "); read it again and retry");
                }
            }
        }
        if (body.contains("spec") && body["spec"].is_object() && body["spec"].contains("replicas"))
            replicas = &body["spec"]["replicas"];
        else if (request.method == "PATCH")
            return json(200, scaleObject()); // a patch that changes nothing
        else
            return failure(422, "Invalid", "Scale.autoscaling \"" + m_options.deployment
                + "\" is invalid: spec.replicas: Required value");
    }
    const std::string invalid = "Scale.autoscaling \"" + m_options.deployment + "\" is invalid: " + field
        + ": Invalid value: " + quoted(*replicas);
    if (!replicas->is_number_integer())
        return failure(422, "Invalid", invalid + ": must be a whole number");
    if (replicas->is_number_unsigned() && replicas->get<std::uint64_t>() > static_cast<std::uint64_t>(INT32_MAX))
        return failure(422, "Invalid", invalid + ": must be from 0 to " + std::to_string(m_cluster.config().maxReplicas)
            + " (the simulated cluster's max_replicas)");
    // A dry run (kubectl --dry-run=server) checks everything and changes nothing.
    const auto dryRun = queryParameters(request.target);
    const bool dry = dryRun.count("dryRun") && dryRun.at("dryRun") == "All";
    if (dryRun.count("dryRun") && !dry)
        return failure(400, "BadRequest", "dryRun takes only All");
    const HttpResponse refused = setReplicas(replicas->get<long long>(), field, dry);
    if (refused.status != 200)
        return refused;
    Json answer = scaleObject();
    if (dry)
        answer["spec"]["replicas"] = replicas->get<long long>();
    return json(200, answer);
}

HttpResponse SimulatedCluster::setReplicas(long long replicas, const std::string &field, bool dryRun)
{
    const int most = m_cluster.config().maxReplicas;
    if (replicas < 0 || replicas > most) {
        return failure(422, "Invalid", "Scale.autoscaling \"" + m_options.deployment + "\" is invalid: "
            + field + ": Invalid value: " + std::to_string(replicas) + ": must be from 0 to "
            + std::to_string(most) + " (the simulated cluster's max_replicas)");
    }
    const int n = static_cast<int>(replicas);
    if (n != m_cluster.desiredReplicas() && !dryRun) {
        qCInfo(lcCluster) << "deployment" << m_options.deployment.c_str() << "scaled from"
                          << m_cluster.desiredReplicas() << "to" << n << "replicas at"
                          << nowS() << "s (simulated)";
        m_cluster.setDesiredReplicas(n);
        ++m_generation;
        ++m_resourceVersion;
        m_scaleHistory.emplace_back(nowS(), n);
    }
    return {200, "application/json", {}};
}

std::string SimulatedCluster::metricsText() const
{
    const sim::Cluster &c = m_cluster;
    const metrics::LaneSummary s = c.summary();
    const std::string labels = "{namespace=\"" + m_options.ns + "\",deployment=\"" + m_options.deployment + "\"";
    std::ostringstream out;
    out.precision(12);
    const auto metric = [&](const std::string &name, const std::string &type, const std::string &help,
                            const std::string &extraLabels, double value, bool header = true) {
        if (header)
            out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n";
        out << name << labels << extraLabels << "} " << value << "\n";
    };
    metric("headroom_requests_total", "counter", "Requests that reached the router.", "",
           static_cast<double>(s.requests));
    metric("headroom_inference_requests_total", "counter",
           "Requests sent to /v1/infer that joined the cluster (counted in headroom_requests_total "
           "too).", "", static_cast<double>(m_inferenceRequests));
    metric("headroom_requests_completed_total", "counter", "Requests answered.", "",
           static_cast<double>(s.completed));
    metric("headroom_requests_dropped_total", "counter",
           "Requests that timed out or were rejected.", "", static_cast<double>(s.dropped));
    metric("headroom_slo_violations_total", "counter",
           "Requests past the latency SLO: answered late, dropped, or still waiting past it.", "",
           static_cast<double>(s.sloViolations));
    const metrics::LatencyHistogram &h = c.runLatency();
    out << "# HELP headroom_request_duration_seconds Latency of answered requests (queue plus "
           "service), to the histogram's 1 % resolution.\n"
        << "# TYPE headroom_request_duration_seconds histogram\n";
    for (const double le : kLatencyBuckets) {
        out << "headroom_request_duration_seconds_bucket" << labels << ",le=\"" << le << "\"} "
            << h.countAtMost(le) << "\n";
    }
    out << "headroom_request_duration_seconds_bucket" << labels << ",le=\"+Inf\"} " << h.count() << "\n"
        << "headroom_request_duration_seconds_sum" << labels << "} " << h.sum() << "\n"
        << "headroom_request_duration_seconds_count" << labels << "} " << h.count() << "\n";
    // The same requests' service alone (a model server's inference time, without the wait
    // for a slot): what a pod takes per request, which the latency's mean is only while
    // nothing queues.
    out << "# HELP headroom_request_service_seconds Service time of answered requests, without the wait.\n"
        << "# TYPE headroom_request_service_seconds summary\n"
        << "headroom_request_service_seconds_sum" << labels << "} " << c.runServiceSeconds() << "\n"
        << "headroom_request_service_seconds_count" << labels << "} " << h.count() << "\n";
    metric("headroom_queue_length", "gauge", "Requests waiting for a slot.", "", c.queueLength());
    metric("headroom_in_flight", "gauge", "Requests queued or in service.",
           "", static_cast<double>(c.inFlight()));
    metric("headroom_request_concurrency_seconds_total", "counter",
           "Requests in the system integrated over time, to the last whole second: its rate is "
           "the mean concurrency (what Knative's queue-proxy reports).",
           "", m_concurrencySeconds);
    int pending = 0, starting = 0, ready = 0, unready = 0, terminating = 0;
    for (const sim::Pod &pod : c.pods()) {
        using Phase = sim::Pod::Phase;
        pending += pod.phase == Phase::Pending;
        starting += pod.phase == Phase::Starting;
        ready += pod.serving();
        unready += pod.unready();
        terminating += pod.phase == Phase::Terminating;
    }
    metric("headroom_pods", "gauge", "Pods by phase.", ",phase=\"pending\"", pending);
    metric("headroom_pods", "gauge", "", ",phase=\"starting\"", starting, false);
    metric("headroom_pods", "gauge", "", ",phase=\"ready\"", ready, false);
    metric("headroom_pods", "gauge", "", ",phase=\"unready\"", unready, false);
    metric("headroom_pods", "gauge", "", ",phase=\"terminating\"", terminating, false);
    metric("headroom_replicas_desired", "gauge", "The deployment's spec.replicas.", "",
           c.desiredReplicas());
    metric("headroom_pod_seconds_total", "counter", "Pod-seconds paid for since the start.", "",
           s.podSeconds);
    metric("headroom_slo_latency_seconds", "gauge", "The latency SLO.", "", c.config().sloLatencyS);
    metric("headroom_simulated_time_seconds", "gauge", "Simulated time since the start.", "", nowS());
    metric("headroom_simulation_speed", "gauge", "Simulated seconds per wall-clock second.", "",
           m_options.speed);
    metric("headroom_simulation_start_time_seconds", "gauge",
           "Wall-clock time (Unix) of simulated second 0: the objects' timestamps count from it.",
           "", m_options.epochUnixS);
    // cAdvisor's per-container CPU counter, as a real cluster's Prometheus has it: what the
    // HPA's metrics pipeline reads. Labelled by pod, without the deployment label.
    out << "# HELP container_cpu_usage_seconds_total CPU used by the container, core-seconds.\n"
        << "# TYPE container_cpu_usage_seconds_total counter\n";
    for (const sim::Pod &pod : c.pods()) {
        out << "container_cpu_usage_seconds_total{namespace=\"" << m_options.ns << "\",pod=\""
            << podName(m_options.deployment, pod.id) << "\",container=\"model-server\"} " << c.cumulativeCpuCoreSeconds(pod) << "\n";
    }
    return out.str();
}

} // namespace headroom::cluster
