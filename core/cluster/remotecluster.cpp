#include "cluster/remotecluster.h"

#include "io/inputerror.h"
#include "io/listtext.h"
#include "logging.h"
#include "traffic/jsonfields.h"
#include "traffic/timestamp.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <chrono>
#include <cmath>
#include <limits>
#include <tuple>

namespace headroom::cluster {

namespace {

using Json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// The most a count or rate may be (requests a second, in flight, waiting), read from a
// Prometheus server or from the router's exposition: past it the answer is no cluster's.
constexpr double kMaxCount = 1e9;
// The most a counter's total may be: past 2^53 a double no longer counts by ones (1e300 + 1
// is 1e300), so the rates taken from it would be made up (a trial's requests counter held at
// 1e300 read as no arrivals while completions ran at 5/s).
constexpr double kMaxCounter = 9007199254740992.0;
// Weight of a new second in the observed service time (as the simulated cluster's).
constexpr double kServiceEwma = 0.2;
// The latency quantiles of a sample cover this many trailing seconds (as the simulator's).
constexpr std::size_t kLatencyWindowS = 5;

double unixNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// "2026-12-05T15:09:37Z" or with a fraction ("...:37.250Z"), as the API server writes
// times (RFC 3339 in UTC): Unix seconds; NaN otherwise. The traces' UTC reader does the
// reading; the API's form also needs the 'T' and the 'Z'.
double parseTimestamp(const std::string &text)
{
    if (text.size() < 20 || text[10] != 'T' || text.back() != 'Z')
        return kNaN;
    const auto ns = traffic::parseUtcTimestamp(text);
    return ns ? static_cast<double>(*ns) / static_cast<double>(traffic::kNsPerSecond) : kNaN;
}

// A query's one value; none when it matched nothing. More than one series is a query that
// forgot to aggregate.
std::optional<double> singleValue(const QueryResult &result, const std::string &url, const std::string &key)
{
    if (result.empty())
        return std::nullopt;
    if (result.size() > 1)
        throw InputError(url, std::nullopt, key, "the query gives " + std::to_string(result.size())
            + " series, not one: aggregate them (sum(...))");
    return result.front().value;
}

// A clock's seconds as a message gives them: whole ("1000000000000"), or compact where
// rounding to a whole number would overflow (1e+300 printed as -9223372036854775808).
std::string secondsText(double s)
{
    return std::fabs(s) < 1e15 ? std::to_string(std::llround(s)) : traffic::numberText(s);
}

// An answer's content type as a message names it: "text/html", or "no content type".
std::string contentTypeText(const HttpResponse &r)
{
    const std::string type = r.contentType.substr(0, r.contentType.find(';'));
    return type.empty() ? std::string("no content type") : type;
}

// What an answer that is not a Kubernetes Status says: a page (a proxy's 502, a login page)
// by its kind and title, not its markup; other text as it is, to 200 bytes.
std::string otherAnswer(const HttpResponse &r)
{
    std::string lower = r.body.substr(0, 4096);
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (contentTypeText(r) == "text/html" || lower.find("<html") != std::string::npos
        || lower.find("<!doctype html") != std::string::npos) {
        std::string title;
        if (const std::size_t open = lower.find("<title>"); open != std::string::npos) {
            const std::size_t close = lower.find("</title>", open);
            title = r.body.substr(open + 7, close == std::string::npos ? 80 : std::min<std::size_t>(close - open - 7, 80));
        }
        return "an HTML page (" + contentTypeText(r) + ")" + (title.empty() ? std::string() : ": " + title)
            + ", not an answer of the Kubernetes API (a proxy or a login page in between?)";
    }
    return r.body.substr(0, 200);
}

std::string statusMessage(const HttpResponse &r)
{
    try {
        const Json j = Json::parse(r.body);
        if (j.is_object() && j.contains("message") && j["message"].is_string())
            return j["message"].get<std::string>();
    } catch (const nlohmann::json::exception &) {
    }
    return otherAnswer(r);
}

// A 200 answer's body as JSON; an InputError naming the URL (with its path), the status and
// the content type otherwise: "an answer is not the JSON expected (http://host:port)" named
// none of them, and a proxy's HTML page read as malformed JSON.
Json jsonAnswer(const HttpResponse &r, const std::string &url)
{
    try {
        return Json::parse(r.body);
    } catch (const nlohmann::json::exception &e) {
        const bool page = otherAnswer(r).rfind("an HTML page", 0) == 0;
        throw InputError("GET " + url, std::nullopt, {}, "HTTP " + std::to_string(r.status) + " (" + contentTypeText(r)
            + "), not the JSON expected: " + (page ? otherAnswer(r) : std::string(e.what())));
    }
}

// For a 401: what was sent, since a wrong token and a missing one get the same answer.
std::string unauthorized(const HttpResponse &r, const std::string &credentials)
{
    return r.status == 401 && !credentials.empty() ? "; sent " + credentials : std::string();
}

// The q-quantile in ms of the latencies counted between two readings of a histogram's
// cumulative buckets ((le, count), le ascending), linear within a bucket as Prometheus's
// histogram_quantile; NaN when nothing was counted or the buckets differ.
double bucketQuantileMs(const std::vector<std::pair<double, double>> &from,
                        const std::vector<std::pair<double, double>> &to, double q)
{
    if (from.size() != to.size() || to.empty())
        return kNaN;
    const double total = to.back().second - from.back().second;
    if (total <= 0.0)
        return kNaN;
    const double rank = q * total;
    double below = 0.0;
    double lower = 0.0;
    for (std::size_t i = 0; i < to.size(); ++i) {
        const double upper = to[i].first;
        const double count = to[i].second - from[i].second;
        if (count >= rank) {
            if (std::isinf(upper))
                return 1000.0 * lower;
            return 1000.0 * (lower + (upper - lower) * (rank - below) / std::max(1e-12, count - below));
        }
        below = count;
        lower = upper;
    }
    return 1000.0 * lower;
}

} // namespace

struct RemoteCluster::Reading
{
    double clockS = 0.0;
    double wallS = 0.0;
    bool ok = false;
    double requests = 0.0;
    double completed = 0.0;
    double dropped = 0.0;
    double violations = 0.0;
    double latencySum = 0.0;   // NaN (and the count too): not published
    double latencyCount = 0.0;
    // The answered requests' service seconds and count, when the router publishes them
    // (serve's headroom_request_service_seconds): the service time without the wait.
    std::optional<double> serviceSum;
    std::optional<double> serviceCount;
    std::vector<std::pair<double, double>> buckets; // (le, cumulative count), le ascending
    double inFlight = 0.0;
    std::optional<double> concurrencySeconds; // the integral, when the router publishes it
    std::map<std::string, double> cpu;        // each pod's CPU counter, core-seconds
    double queue = 0.0;
    // Read from a Prometheus server: the rates and moments its queries give (each sample's
    // own values), not counters.
    struct Rates
    {
        double arrivals = 0.0, completed = 0.0, dropped = 0.0, violations = 0.0;
        double p50S = kNaN, p95S = kNaN, p99S = kNaN; // NaN: no value
        double serviceS = kNaN;
        double concurrency = 0.0;
    };
    std::optional<Rates> rates;
};

RemoteCluster::RemoteCluster(RemoteClusterOptions options, HttpClient api, HttpClient metrics)
    : m_options(std::move(options))
    , m_api(std::move(api))
    , m_metrics(std::move(metrics))
    , m_observedServiceS(m_options.config.serviceMeanS)
    , m_runLatencyS {kNaN, kNaN, kNaN}
{
    if (m_options.prometheus)
        m_prometheus.emplace(m_metrics);
}

RemoteCluster::~RemoteCluster() = default;

std::optional<double> RemoteCluster::measuredServiceS() const
{
    if (!(m_quietCompleted > 0.0))
        return std::nullopt;
    return m_quietLatencySum / m_quietCompleted;
}

double RemoteCluster::clockOf(const std::string &timestamp) const
{
    const double unix = parseTimestamp(timestamp);
    return std::isnan(unix) ? kNaN : (unix - m_epochUnixS) * m_speed;
}

double RemoteCluster::cumulativeCpuCoreSeconds(const sim::Pod &pod) const
{
    const auto name = m_podNames.find(pod.id);
    if (name == m_podNames.end())
        return 0.0;
    const auto cpu = m_cpu.find(name->second);
    return cpu == m_cpu.end() ? 0.0 : cpu->second;
}

std::string RemoteCluster::podName(const sim::Pod &pod) const
{
    const auto name = m_podNames.find(pod.id);
    return name == m_podNames.end() ? ClusterView::podName(pod) : name->second;
}

double RemoteCluster::secondsUnreachable() const
{
    return m_lastGoodWallS < 0.0 ? 0.0 : unixNow() - m_lastGoodWallS;
}

double RemoteCluster::secondsFrozen() const
{
    // Readings that work while the clock stays inside one second, beyond what its speed
    // explains (a simulator at 0.01x takes 100 s a second).
    if (m_lastSecondWallS < 0.0 || secondsUnreachable() > 0.5)
        return 0.0;
    return std::max(0.0, unixNow() - m_lastSecondWallS - 1.0 / m_speed);
}

namespace {

// The member `key` of `object` when it has one of the wanted kind; a missing or mistyped
// member is an InputError naming the answer's URL and the field.
const Json &member(const Json &object, const std::string &key, Json::value_t kind,
                   const std::string &url, const std::string &field)
{
    if (!object.is_object())
        throw InputError(url, std::nullopt, field, "not an object");
    const auto it = object.find(key);
    const bool sameKind = it != object.end()
        && (it->type() == kind || (kind == Json::value_t::number_integer && it->is_number_integer()));
    if (!sameKind) {
        throw InputError(url, std::nullopt, field + "." + key,
            it == object.end() ? "missing" : "not of the kind expected (" + std::string(it->type_name()) + ")");
    }
    return *it;
}

// A string member, or "" when it is missing or not a string.
std::string stringOr(const Json &object, const char *key)
{
    if (!object.is_object())
        return {};
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A sample's value that must be a finite number: NaN or an infinity is no reading. A series
// that is not there is no value (nullopt), never 0: a router's counter read as 0 for want of
// its series was a cluster with no traffic (a trial's node exporter at --metrics gave a run of
// 0 req/s, exit 0, without a word).
std::optional<double> finiteIfThere(const Exposition &e, const std::string &name,
                                    const std::map<std::string, std::string> &labels, const std::string &source)
{
    const auto v = e.value(name, labels);
    if (v && !std::isfinite(*v))
        throw InputError(source, std::nullopt, name, "not a finite number");
    return v;
}

// As finiteIfThere, with `fallback` where the series is not there.
double finite(const Exposition &e, const std::string &name, const std::map<std::string, std::string> &labels,
              const std::string &source, double fallback)
{
    return finiteIfThere(e, name, labels, source).value_or(fallback);
}

// As finiteIfThere, where the series must be there.
double finite(const Exposition &e, const std::string &name, const std::map<std::string, std::string> &labels,
              const std::string &source)
{
    const auto v = finiteIfThere(e, name, labels, source);
    if (!v)
        throw InputError(source, std::nullopt, name, "missing");
    return *v;
}

// A counter's total or a gauge of requests: a finite number, not below 0 and not past its
// bound. A queue of -50 is no queue, and reading it as 0 would hide that the router's metrics
// are wrong; nor is one of 1e300 (a trial's KPA asked for every pod it could on 1e300
// requests in flight), which was clamped to 1e9 without a word.
enum class CountKind { Counter, Gauge };

void checkCount(double v, CountKind kind, const std::string &source, const std::string &name)
{
    if (v < 0.0)
        throw InputError(source, std::nullopt, name, QString::number(v, 'g', 12).toStdString() + " is below 0: not a count");
    if (kind == CountKind::Gauge && v > kMaxCount)
        throw InputError(source, std::nullopt, name, QString::number(v, 'g', 12).toStdString()
            + " is not a count (a finite number from 0 to 1e9)");
    if (kind == CountKind::Counter && v > kMaxCounter)
        throw InputError(source, std::nullopt, name, QString::number(v, 'g', 12).toStdString()
            + " is past 2^53 (9007199254740992), where a counter no longer counts by ones: not a counter's total");
}

// A count's value; nullopt when its series is not there.
std::optional<double> count(const Exposition &e, const std::string &name, const std::map<std::string, std::string> &labels,
                            const std::string &source, CountKind kind = CountKind::Counter)
{
    const auto v = finiteIfThere(e, name, labels, source);
    if (v)
        checkCount(*v, kind, source, name);
    return v;
}

// A histogram's bound as its le label reads: "0.25", "+Inf".
std::string boundText(double le)
{
    return std::isinf(le) ? std::string("+Inf") : QString::number(le, 'g', 12).toStdString();
}

} // namespace

bool RemoteCluster::read(Reading &r)
{
    m_lastErrorTransient = false;
    const std::string ns = m_options.ns;
    const std::string name = m_options.deployment;
    const std::string deploymentPath = "/apis/apps/v1/namespaces/" + percentEncode(ns) + "/deployments/" + percentEncode(name);
    // One GET that must answer 200: another status is a refusal (thrown as one), though
    // the 5xx ones (a server restarting, overloaded) may pass.
    struct Refused { };
    const auto fetch = [&](const HttpClient &client, const std::string &path, const std::string &accept) {
        const HttpResponse answer = client.request("GET", path, {}, {}, accept);
        if (answer.status != 200) {
            m_lastError = "GET " + client.endpoint().origin() + path + ": HTTP " + std::to_string(answer.status)
                + ": " + statusMessage(answer)
                + unauthorized(answer, &client == &m_api ? m_options.apiCredentials : m_options.metricsCredentials);
            m_lastErrorTransient = answer.status >= 500;
            throw Refused {};
        }
        return answer;
    };
    try {
        const std::string deploymentUrl = m_api.endpoint().url + deploymentPath;
        const Json deployment = jsonAnswer(fetch(m_api, deploymentPath, "application/json"), deploymentUrl);
        const Json &spec = member(deployment, "spec", Json::value_t::object, deploymentUrl, "Deployment");
        const Json &replicas = member(spec, "replicas", Json::value_t::number_integer, deploymentUrl, "spec");
        if (replicas.is_number_unsigned() ? replicas.get<std::uint64_t>() > 1000000u
                                          : (replicas.get<long long>() < 0 || replicas.get<long long>() > 1000000)) {
            throw InputError(deploymentUrl, std::nullopt, "spec.replicas",
                             replicas.dump() + " is not a replica count (0 to 1000000)");
        }
        // The pods the Deployment selects.
        std::string selector;
        const auto sel = spec.find("selector");
        if (sel != spec.end() && sel->is_object() && sel->contains("matchLabels") && (*sel)["matchLabels"].is_object()) {
            for (const auto &[k, v] : (*sel)["matchLabels"].items())
                selector += (selector.empty() ? "" : "%2C") + percentEncode(k) + "%3D"
                    + percentEncode(v.is_string() ? v.get<std::string>() : v.dump());
        }
        const std::string podsPath = "/api/v1/namespaces/" + percentEncode(ns) + "/pods"
            + (selector.empty() ? std::string() : "?labelSelector=" + selector);
        const std::string podsUrl = m_api.endpoint().url + podsPath;
        const Json pods = jsonAnswer(fetch(m_api, podsPath, "application/json"), podsUrl);
        const Json &podItems = member(pods, "items", Json::value_t::array, podsUrl, "PodList");
        if (m_prometheus) {
            readPrometheus(r);
        } else {
            // --metrics http://host:port/path is the exposition's own address; a bare address
            // serves it at /metrics.
            const HttpEndpoint &at = m_metrics.endpoint();
            const std::string metricsPath = at.pathPrefix.empty() ? std::string("/metrics") : at.pathPrefix;
            const std::string metricsUrl = at.pathPrefix.empty() ? at.url + metricsPath : at.url;
            readExposition(r, fetch(m_metrics, metricsPath, "text/plain").body, metricsUrl);
        }
        // Pods, numbered in the order they were created (the predictive controller learns
        // start times from pods newer than the last it saw). Every field is checked before
        // anything changes.
        std::vector<std::pair<double, const Json *>> items;
        std::map<std::string, std::size_t> seen; // pod name -> its item
        for (std::size_t i = 0; i < podItems.size(); ++i) {
            const std::string field = "items[" + std::to_string(i) + "]";
            const Json &metadata = member(podItems[i], "metadata", Json::value_t::object, podsUrl, field);
            const std::string podName = stringOr(metadata, "name");
            if (podName.empty())
                throw InputError(podsUrl, std::nullopt, field + ".metadata.name", "missing");
            // A pod listed twice would count twice (pods ready past the replicas, each pod's
            // share of the load halved): a namespace has one pod of a name.
            const auto [first, isNew] = seen.try_emplace(podName, i);
            if (!isNew) {
                throw InputError(podsUrl, std::nullopt, field + ".metadata.name", "the pod " + podName
                    + " is listed twice (items[" + std::to_string(first->second) + "] too)");
            }
            std::string problem;
            const std::string stamp = stringOr(metadata, "creationTimestamp");
            const auto createdNs = parseApiTime(stamp, problem);
            if (!createdNs)
                throw InputError(podsUrl, std::nullopt, field + ".metadata.creationTimestamp", "'" + stamp + "': " + problem);
            const double created = static_cast<double>(*createdNs) / static_cast<double>(traffic::kNsPerSecond);
            items.emplace_back(created, &podItems[i]);
        }
        std::stable_sort(items.begin(), items.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });

        // Everything read: now the state changes.
        if (!m_prometheus)
            countAcrossRestarts(r);
        m_desired = static_cast<int>(replicas.get<long long>());
        m_queueLength = static_cast<int>(r.queue); // a count from 0 to 1e9, checked as read
        m_cpu = r.cpu;
        m_cpuWallS = r.wallS;
        m_pods.clear();
        for (const auto &[created, itemPtr] : items) {
            const Json &item = *itemPtr;
            const Json &metadata = item["metadata"];
            const std::string podName = stringOr(metadata, "name");
            auto [it, isNew] = m_podIds.try_emplace(podName, static_cast<int>(m_podIds.size()) + 1);
            if (isNew)
                m_podNames[it->second] = podName;
            sim::Pod pod;
            pod.id = it->second;
            pod.createdS = clockOf(stringOr(metadata, "creationTimestamp"));
            pod.startedS = pod.createdS;
            bool ready = false;
            double readySince = kNaN;
            const auto statusIt = item.find("status");
            const Json status = statusIt != item.end() && statusIt->is_object() ? *statusIt : Json::object();
            const auto conditions = status.find("conditions");
            if (conditions != status.end() && conditions->is_array()) {
                for (const Json &c : *conditions) {
                    if (stringOr(c, "type") == "Ready") {
                        ready = stringOr(c, "status") == "True";
                        readySince = clockOf(stringOr(c, "lastTransitionTime"));
                    }
                }
            }
            const auto containers = status.find("containerStatuses");
            if (containers != status.end() && containers->is_array()) {
                for (const Json &cs : *containers) {
                    const auto state = cs.is_object() ? cs.find("state") : cs.end();
                    if (cs.is_object() && state != cs.end() && state->is_object() && state->contains("running")) {
                        const double started = clockOf(stringOr((*state)["running"], "startedAt"));
                        if (!std::isnan(started))
                            pod.startedS = started;
                    }
                }
            }
            bool &everReady = m_everReady[podName];
            everReady = everReady || ready;
            using Phase = sim::Pod::Phase;
            if (metadata.contains("deletionTimestamp"))
                pod.phase = Phase::Terminating;
            else if (stringOr(status, "phase") == "Pending")
                pod.phase = Phase::Pending;
            else if (ready || everReady)
                pod.phase = Phase::Ready;
            else
                pod.phase = Phase::Starting;
            pod.probeFailing = pod.phase == Phase::Ready && !ready;
            pod.readyS = ready && !std::isnan(readySince) ? readySince : pod.createdS;
            pod.readyTransitionS = std::isnan(readySince) ? pod.createdS : readySince;
            m_pods.push_back(pod);
        }
        r.ok = true;
        m_lastError.clear();
        return true;
    } catch (const Refused &) {
        return false; // m_lastError says which and why
    } catch (const UnreachableError &e) {
        m_lastError = e.what();
        m_lastErrorTransient = e.transient();
        return false;
    } catch (const InputError &e) {
        m_lastError = e.what();
    } catch (const nlohmann::json::exception &e) {
        m_lastError = std::string("an answer is not the JSON expected (") + m_api.endpoint().url + "): " + e.what();
    }
    return false;
}

void RemoteCluster::readExposition(Reading &r, const std::string &text, const std::string &metricsUrl)
{
    const Exposition e = Exposition::parse(text, metricsUrl);

    // The clock: the simulator's, when it publishes one.
    const std::map<std::string, std::string> labels {{"namespace", m_options.ns}, {"deployment", m_options.deployment}};
    if (e.value("headroom_simulated_time_seconds", labels)) {
        r.clockS = finite(e, "headroom_simulated_time_seconds", labels, metricsUrl);
        m_epochUnixS = finite(e, "headroom_simulation_start_time_seconds", labels, metricsUrl, m_wallStartS);
        m_speed = finite(e, "headroom_simulation_speed", labels, metricsUrl, 1.0);
        if (!(m_speed > 0.0))
            throw InputError(metricsUrl, std::nullopt, "headroom_simulation_speed", "not above 0");
    } else {
        r.clockS = r.wallS - m_wallStartS;
        m_epochUnixS = m_wallStartS;
        m_speed = 1.0;
    }
    // The SLO the violation counter counts against, when the router publishes it: the one the
    // charts draw and the comparison measures by, rather than the controller's assumption.
    if (e.value("headroom_slo_latency_seconds", labels))
        usePublishedSlo(finite(e, "headroom_slo_latency_seconds", labels, metricsUrl), metricsUrl,
                        "headroom_slo_latency_seconds");
    // What every second's sample holds as a number (the load the controllers scale on, what
    // was answered, dropped and late, the queue and the requests in flight): a series missing
    // refuses the reading, all of them named once every value read is checked. Read as 0 they
    // made up a cluster with no traffic (a trial's --metrics at a node exporter ran 20 s of
    // 0 req/s, exit 0), or one with no arrivals while it answered 5 a second.
    std::vector<std::string> missing;
    const auto needed = [&](const std::string &metric, CountKind kind) {
        const std::optional<double> v = count(e, metric, labels, metricsUrl, kind);
        if (!v)
            missing.push_back(metric);
        return v.value_or(0.0); // refused below when missing
    };
    // A sum and its count, both or neither: a count without its sum is no mean.
    const auto pair = [&](const std::string &metric) -> std::optional<std::pair<double, double>> {
        const std::optional<double> sum = count(e, metric + "_sum", labels, metricsUrl);
        const std::optional<double> n = count(e, metric + "_count", labels, metricsUrl);
        if (sum.has_value() != n.has_value())
            throw InputError(metricsUrl, std::nullopt, metric + (sum ? "_count" : "_sum"),
                             "missing, though its " + std::string(sum ? "_sum" : "_count") + " is there: the mean is not known");
        return sum ? std::optional(std::pair(*sum, *n)) : std::nullopt;
    };
    r.requests = needed("headroom_requests_total", CountKind::Counter);
    r.completed = needed("headroom_requests_completed_total", CountKind::Counter);
    r.dropped = needed("headroom_requests_dropped_total", CountKind::Counter);
    r.violations = needed("headroom_slo_violations_total", CountKind::Counter);
    // The latency's sum and count measure the service time where the router publishes no
    // service metric: without them it is the one assumed (NaN: no mean, not one of 0 s).
    if (const auto latency = pair("headroom_request_duration_seconds"))
        std::tie(r.latencySum, r.latencyCount) = *latency;
    else
        r.latencySum = r.latencyCount = kNaN;
    if (const auto service = pair("headroom_request_service_seconds")) {
        r.serviceSum = service->first;
        r.serviceCount = service->second;
    }
    const std::string bucketName = "headroom_request_duration_seconds_bucket";
    for (const MetricSample *s : e.all(bucketName, labels)) {
        const auto le = s->labels.find("le");
        if (le == s->labels.end() || !std::isfinite(s->value) || s->value < 0.0)
            throw InputError(metricsUrl, std::nullopt, bucketName,
                             "a bucket without le, or a count that is not a finite number from 0");
        checkCount(s->value, CountKind::Counter, metricsUrl, bucketName + "{le=\"" + le->second + "\"}");
        // A bound read as 0 would move the bucket's requests into the fastest one.
        const auto bound = parseSampleValue(le->second);
        if (!bound || std::isnan(*bound) || *bound < 0.0)
            throw InputError(metricsUrl, std::nullopt, "headroom_request_duration_seconds_bucket",
                             "le=\"" + le->second + "\" is not a bound in seconds from 0 (a number or +Inf)");
        r.buckets.emplace_back(*bound, s->value);
    }
    std::sort(r.buckets.begin(), r.buckets.end());
    // Cumulative buckets up to +Inf, as Prometheus's histogram_quantile needs them: a bucket
    // counting fewer than a lower one's, or no +Inf bucket, gave made-up quantiles (a trial's
    // p95 of 483 ms) without a word.
    for (std::size_t i = 1; i < r.buckets.size(); ++i) {
        const auto &[lower, below] = r.buckets[i - 1];
        const auto &[upper, counted] = r.buckets[i];
        if (upper == lower)
            throw InputError(metricsUrl, std::nullopt, bucketName,
                             "the bound le=\"" + boundText(upper) + "\" is given twice");
        if (counted < below) {
            throw InputError(metricsUrl, std::nullopt, bucketName + "{le=\"" + boundText(upper) + "\"}",
                QString::number(counted, 'g', 12).toStdString() + " is fewer than le=\"" + boundText(lower) + "\"'s "
                    + QString::number(below, 'g', 12).toStdString()
                    + ": a histogram's buckets are cumulative (each counts every request up to its bound)");
        }
    }
    if (!r.buckets.empty() && !std::isinf(r.buckets.back().first))
        throw InputError(metricsUrl, std::nullopt, bucketName,
                         "no le=\"+Inf\" bucket: a histogram's last bucket counts every request, and without it"
                         " the quantiles past le=\"" + boundText(r.buckets.back().first) + "\" are not known");
    r.inFlight = needed("headroom_in_flight", CountKind::Gauge);
    r.concurrencySeconds = count(e, "headroom_request_concurrency_seconds_total", labels, metricsUrl);
    r.queue = needed("headroom_queue_length", CountKind::Gauge);
    for (const MetricSample *s : e.all("container_cpu_usage_seconds_total", {{"namespace", m_options.ns}})) {
        const auto pod = s->labels.find("pod");
        if (!std::isfinite(s->value) || s->value < 0.0)
            throw InputError(metricsUrl, std::nullopt, "container_cpu_usage_seconds_total",
                             "not a finite number from 0");
        checkCount(s->value, CountKind::Counter, metricsUrl, "container_cpu_usage_seconds_total");
        if (pod != s->labels.end())
            r.cpu[pod->second] += s->value;
    }
    if (!missing.empty()) {
        throw InputError(metricsUrl, std::nullopt, io::listedItems(missing),
            "missing (no series labelled namespace=\"" + m_options.ns + "\", deployment=\"" + m_options.deployment
                + "\": is this the router's exposition?): every second's sample holds " + (missing.size() > 1 ? "them" : "it")
                + ", and 0 in " + (missing.size() > 1 ? "their" : "its") + " place would be made up");
    }
    // A counter that rose by more than 1e9 a second is no cluster's either, as a rate past 1e9
    // from a Prometheus server is not. Measured from a reading at least a second back (spans
    // under a second are taken as one): the exposition is read many times a second, and
    // against the last reading alone 3e9 a second passed as 1.6e8 a read.
    if (m_rateBase && r.clockS >= m_rateBase->clockS) {
        const Reading &base = *m_rateBase;
        const double elapsed = r.clockS - base.clockS;
        const auto rate = [&](const std::string &counter, double before, double after) {
            const double increase = after >= before ? after - before : after; // a restart counts from 0
            if (increase / std::max(1.0, elapsed) > kMaxCount)
                throw InputError(metricsUrl, std::nullopt, counter, "rose by " + QString::number(increase, 'g', 12).toStdString()
                    + " in " + traffic::numberText(elapsed) + " s of the clock: more than 1e9 a second, no cluster's rate");
        };
        rate("headroom_requests_total", base.requests, r.requests);
        rate("headroom_requests_completed_total", base.completed, r.completed);
        rate("headroom_requests_dropped_total", base.dropped, r.dropped);
        rate("headroom_slo_violations_total", base.violations, r.violations);
        if (base.concurrencySeconds && r.concurrencySeconds)
            rate("headroom_request_concurrency_seconds_total", *base.concurrencySeconds, *r.concurrencySeconds);
        if (elapsed >= 1.0)
            m_rateBase = std::make_unique<Reading>(r);
    } else {
        m_rateBase = std::make_unique<Reading>(r); // the first reading, or the clock went back (a restarted router)
    }
}

void RemoteCluster::readPrometheus(Reading &r)
{
    const PrometheusQueries &q = *m_options.prometheus;
    const std::string url = m_prometheus->endpoint().url + "/api/v1/query";
    r.clockS = r.wallS - m_wallStartS; // rates are per wall-clock second
    m_epochUnixS = m_wallStartS;
    m_speed = 1.0;
    // One value from a query: a series (or a scalar), or `none` when it matched nothing. More
    // than one series is a query that forgot to aggregate.
    const auto one = [&](const std::string &promql, const char *key, double none) {
        if (promql.empty())
            return none;
        const QueryResult result = m_prometheus->query(promql, key);
        if (result.empty() && std::string(key) == "rate") {
            // The load itself: nothing matched is no reading, not a load of 0 (Prometheus has
            // not scraped the target yet, or the query names what is not there).
            throw UnreachableError("the rate query matched no series at " + url + ": " + promql
                + " (Prometheus has not scraped the router yet, its window holds fewer than two"
                  " scrapes, or the query names nothing there)", true);
        }
        if (result.empty()) {
            if (m_emptyQueries.insert(key).second)
                qCWarning(lcCluster) << "the" << key << "query matched no series at" << url.c_str()
                                     << "(read as no value, or 0 for counts):" << promql.c_str();
            return none;
        }
        return *singleValue(result, url, key);
    };
    // A count per second or a moment's count: a finite number, not below 0.
    const auto count = [&](const std::string &promql, const char *key) {
        const double v = one(promql, key, 0.0);
        if (!std::isfinite(v) || v < 0.0 || v > kMaxCount)
            throw InputError(url, std::nullopt, key, "the query's value " + traffic::numberText(v)
                + " is not a count (a finite number from 0 to 1e9)");
        return v;
    };
    // A time in seconds; NaN (no requests in the window) and +Inf (past the last bucket) are
    // no value.
    const auto seconds = [&](const std::string &promql, const char *key) {
        const double v = one(promql, key, kNaN);
        if (v < 0.0)
            throw InputError(url, std::nullopt, key, "the query's value " + traffic::numberText(v) + " s is below 0");
        return std::isfinite(v) ? v : kNaN;
    };
    Reading::Rates rates;
    rates.arrivals = count(q.rate, "rate");
    rates.completed = count(q.completed, "completed");
    rates.dropped = count(q.dropped, "dropped");
    rates.violations = count(q.violations, "violations");
    if (!q.latency.empty()) {
        rates.p50S = seconds(expandQuery(q.latency, {{"quantile", "0.5"}}), "latency");
        rates.p95S = seconds(expandQuery(q.latency, {{"quantile", "0.95"}}), "latency");
        rates.p99S = seconds(expandQuery(q.latency, {{"quantile", "0.99"}}), "latency");
    }
    if (m_runLatencyWallS < 0.0 || r.wallS - m_runLatencyWallS >= 10.0) {
        m_runLatencyWallS = r.wallS;
        if (!m_options.runLatencyQuery.empty())
            readRunLatency(r.wallS);
        if (!q.slo.empty())
            readSlo(q.slo, url);
    }
    rates.serviceS = seconds(q.serviceTime, "service-time");
    rates.concurrency = count(q.concurrency, "concurrency");
    r.queue = count(q.queue, "queue");
    // Each pod's CPU counter, integrated from the cores the query gives since the last reading
    // (the HPA reads counters, as it reads cAdvisor's).
    r.cpu = m_cpu;
    if (!q.cpu.empty()) {
        const double elapsed = m_cpuWallS < 0.0 ? 0.0 : std::max(0.0, r.wallS - m_cpuWallS);
        for (const MetricSample &s : m_prometheus->query(q.cpu, "cpu")) {
            const auto pod = s.labels.find("pod");
            if (pod == s.labels.end())
                throw InputError(url, std::nullopt, "cpu", "a series without a pod label: give one per pod (sum by (pod) (...))");
            if (!std::isfinite(s.value) || s.value < 0.0)
                throw InputError(url, std::nullopt, "cpu", "pod " + pod->second + ": " + traffic::numberText(s.value)
                    + " cores is not a finite number, not below 0");
            // Several series for one pod (a query by container) add up, as the HPA adds a
            // pod's containers.
            r.cpu[pod->second] += s.value * elapsed;
        }
    }
    r.rates = rates;
}

void RemoteCluster::addTotals(Reading &to, const Reading &from)
{
    to.requests += from.requests;
    to.completed += from.completed;
    to.dropped += from.dropped;
    to.violations += from.violations;
    // The latency's sum and count are NaN where the router did not publish them: what it
    // counted before a restart is then not known, and nothing is added.
    if (!std::isnan(from.latencyCount)) {
        to.latencySum += from.latencySum;
        to.latencyCount += from.latencyCount;
    }
    if (to.serviceSum && from.serviceSum)
        *to.serviceSum += *from.serviceSum;
    if (to.serviceCount && from.serviceCount)
        *to.serviceCount += *from.serviceCount;
}

void RemoteCluster::countAcrossRestarts(Reading &r)
{
    // What the router publishes, before anything is added to it.
    auto published = std::make_unique<Reading>(r);
    if (!m_restartBase)
        m_restartBase = std::make_unique<Reading>();
    if (m_published) {
        // A counter that went down: the router restarted, and its counters with it. As
        // Prometheus's increase() reads a counter reset, each started again from 0, so what
        // it counted before is added to what it counts now: the increase over the interval
        // is the new value (less what was counted between the last reading and the restart,
        // which nobody read). Every counter of the router restarts with it, so each one's
        // last value is added back, not only those seen going down.
        const Reading &last = *m_published;
        std::string fell;
        const auto check = [&](const std::string &name, double before, double now) {
            if (now < before) {
                fell += (fell.empty() ? "" : ", ") + name + " " + QString::number(before, 'g', 12).toStdString()
                    + " -> " + QString::number(now, 'g', 12).toStdString();
            }
        };
        check("headroom_requests_total", last.requests, r.requests);
        check("headroom_requests_completed_total", last.completed, r.completed);
        check("headroom_requests_dropped_total", last.dropped, r.dropped);
        check("headroom_slo_violations_total", last.violations, r.violations);
        check("headroom_request_duration_seconds_sum", last.latencySum, r.latencySum);
        check("headroom_request_duration_seconds_count", last.latencyCount, r.latencyCount);
        if (last.serviceCount && r.serviceCount) {
            check("headroom_request_service_seconds_sum", *last.serviceSum, *r.serviceSum);
            check("headroom_request_service_seconds_count", *last.serviceCount, *r.serviceCount);
        }
        if (last.concurrencySeconds && r.concurrencySeconds)
            check("headroom_request_concurrency_seconds_total", *last.concurrencySeconds, *r.concurrencySeconds);
        for (const auto &[le, count] : r.buckets) {
            const auto before = std::find_if(last.buckets.begin(), last.buckets.end(),
                                             [le = le](const auto &b) { return b.first == le; });
            if (before != last.buckets.end())
                check("headroom_request_duration_seconds_bucket{le=\"" + QString::number(le, 'g', 12).toStdString()
                          + "\"}", before->second, count);
        }
        if (!fell.empty()) {
            Reading &base = *m_restartBase;
            addTotals(base, last);
            if (last.concurrencySeconds)
                base.concurrencySeconds = base.concurrencySeconds.value_or(0.0) + *last.concurrencySeconds;
            for (const auto &[le, count] : last.buckets)
                m_bucketBase[le] += count;
            const std::string note = "the router's counters went down at " + std::to_string(std::lround(r.clockS))
                + " s (" + fell + "): read as a restart from 0, as Prometheus's increase() does;"
                  " what it counted between the last reading and the restart is not known";
            qCWarning(lcCluster).noquote() << QString::fromStdString(note);
            m_notes.push_back(note);
        }
    }
    const Reading &base = *m_restartBase;
    addTotals(r, base);
    if (r.concurrencySeconds)
        *r.concurrencySeconds += base.concurrencySeconds.value_or(0.0);
    for (auto &[le, count] : r.buckets) {
        const auto added = m_bucketBase.find(le);
        if (added != m_bucketBase.end())
            count += added->second;
    }
    m_published = std::move(published);
}

metrics::LaneSample RemoteCluster::sampleBetween(const Reading &from, const Reading &to, double tS) const
{
    metrics::LaneSample s;
    s.tS = tS;
    const double span = std::max(1e-9, to.clockS - from.clockS);
    if (to.rates) {
        s.arrivalsPerS = to.rates->arrivals;
        s.completedPerS = to.rates->completed;
        s.droppedPerS = to.rates->dropped;
        s.sloViolationsPerS = to.rates->violations;
        s.latencyP50Ms = 1000.0 * to.rates->p50S;
        s.latencyP95Ms = 1000.0 * to.rates->p95S;
        s.latencyP99Ms = 1000.0 * to.rates->p99S;
        s.concurrency = to.rates->concurrency;
    } else {
        s.arrivalsPerS = std::max(0.0, to.requests - from.requests) / span;
        s.completedPerS = std::max(0.0, to.completed - from.completed) / span;
        s.droppedPerS = std::max(0.0, to.dropped - from.dropped) / span;
        s.sloViolationsPerS = std::max(0.0, to.violations - from.violations) / span;
    }
    // Latency quantiles over the trailing window, from the histogram's buckets.
    const Reading &windowStart = *m_readings.front();
    const auto quantileMs = [&](double q) { return bucketQuantileMs(windowStart.buckets, to.buckets, q); };
    if (!to.rates) {
        s.latencyP50Ms = quantileMs(0.50);
        s.latencyP95Ms = quantileMs(0.95);
        s.latencyP99Ms = quantileMs(0.99);
    }
    s.podsDesired = m_desired;
    // CPU use of the pods serving now that both readings counted, as a share of the request
    // (the simulated lanes' cpu_utilization), over the readings' span.
    double cpuShare = 0.0;
    int cpuPods = 0;
    const double request = m_options.config.podCpuRequestM / 1000.0;
    for (const sim::Pod &pod : m_pods) {
        const auto name = m_podNames.find(pod.id);
        if (!pod.serving() || name == m_podNames.end() || request <= 0.0)
            continue;
        const auto before = from.cpu.find(name->second);
        const auto after = to.cpu.find(name->second);
        if (before != from.cpu.end() && after != to.cpu.end() && after->second >= before->second) {
            cpuShare += (after->second - before->second) / span / request;
            ++cpuPods;
        }
    }
    s.cpuUtilization = cpuPods > 0 ? cpuShare / cpuPods : 0.0;
    for (const sim::Pod &pod : m_pods) {
        s.podsReady += pod.serving();
        s.podsStarting += pod.starting();
        s.podsUnready += pod.unready();
    }
    s.queueLength = m_queueLength;
    // The mean concurrency where the router integrates it: its counter moves at whole seconds
    // of its clock, so it is divided by the whole seconds between the readings, not by their
    // span (a reading at 2.9 s and one at 4.05 s hold two seconds' worth, not 1.15 s).
    // Without the counter, the moment's requests in flight.
    const double wholeSeconds = std::floor(to.clockS + 1e-9) - std::floor(from.clockS + 1e-9);
    if (!to.rates)
        s.concurrency = to.concurrencySeconds && from.concurrencySeconds && wholeSeconds >= 1.0
        ? std::max(0.0, *to.concurrencySeconds - *from.concurrencySeconds) / wholeSeconds
        : to.inFlight;
    return s;
}

metrics::LaneSample RemoteCluster::unreadSample(double tS) const
{
    // Nothing was read for this second: its rates, latency and CPU are unknown (gaps on the
    // charts, empty in the CSV), not 0. The pods, replicas and queue are the last read, which
    // is what the controllers hold on.
    metrics::LaneSample s;
    s.tS = tS;
    s.noData = true;
    s.podsDesired = m_desired;
    for (const sim::Pod &pod : m_pods) {
        s.podsReady += pod.serving();
        s.podsStarting += pod.starting();
        s.podsUnready += pod.unready();
    }
    s.queueLength = m_queueLength;
    s.completedPerS = s.droppedPerS = s.sloViolationsPerS = kNaN;
    s.latencyP50Ms = s.latencyP95Ms = s.latencyP99Ms = kNaN;
    s.cpuUtilization = s.concurrency = kNaN;
    return s;
}

std::vector<double> RemoteCluster::poll()
{
    auto reading = std::make_unique<Reading>();
    reading->wallS = unixNow();
    if (m_wallStartS < 0.0)
        m_wallStartS = reading->wallS;
    const bool ok = read(*reading);
    if (ok)
        m_lastGoodWallS = unixNow(); // when the reading ended: a slow answer is still one
    else if (m_last) // the clock runs on while the cluster cannot be read
        reading->clockS = m_last->clockS + (reading->wallS - m_last->wallS) * m_speed;
    if (!m_last) {
        if (ok) {
            m_nowS = std::floor(reading->clockS);
            m_readings.push_back(std::make_unique<Reading>(*reading));
            m_first = std::make_unique<Reading>(*reading);
            m_last = std::move(reading);
        }
        return {};
    }
    if (m_resync) {
        if (!ok)
            return {}; // still no reading: the hole is filled when one works
        if (reading->clockS - m_last->clockS > 86400.0 || reading->clockS < m_last->clockS - 1e-6) {
            throw std::runtime_error("the cluster's clock moved from " + secondsText(m_last->clockS)
                + " s to " + secondsText(reading->clockS) + " s while paused: start again");
        }
        // The seconds nobody read have no data; this reading is the new baseline.
        std::vector<double> seconds;
        for (double t = std::floor(m_last->clockS + 1e-9) + 1.0; t <= std::floor(reading->clockS + 1e-9); t += 1.0) {
            m_samples.push_back(unreadSample(t));
            seconds.push_back(t);
            m_nowS = t;
        }
        m_readings.clear();
        m_readings.push_back(std::make_unique<Reading>(*reading));
        m_lastSecondWallS = reading->wallS;
        m_last = std::move(reading);
        m_resync = false;
        return seconds;
    }
    if (ok && reading->clockS - m_last->clockS > 3600.0) {
        // An hour in one reading is no clock: the history would be an hour of made-up seconds.
        throw std::runtime_error("the cluster's clock jumped from " + secondsText(m_last->clockS)
            + " s to " + secondsText(reading->clockS) + " s in one reading");
    }
    if (ok && reading->clockS < m_last->clockS - 1e-6) {
        // A simulator started again (its clock restarts at 0): the history no longer lines up.
        throw std::runtime_error("the cluster's clock went back from "
            + secondsText(m_last->clockS) + " s to " + secondsText(reading->clockS)
            + " s (the server restarted?): start again");
    }
    std::vector<double> seconds;
    const double firstSecond = std::floor(m_last->clockS + 1e-9) + 1.0;
    const double lastSecond = std::floor(reading->clockS + 1e-9);
    for (double t = firstSecond; t <= lastSecond; t += 1.0) {
        metrics::LaneSample s;
        // Counted from the reading at the last whole second that had one (the seconds in
        // between share what was counted since, evenly: one reading spans them).
        const Reading &from = *m_readings.back();
        if (ok && m_last->ok && reading->clockS > from.clockS) {
            s = sampleBetween(from, *reading, t);
            // The service time: what the router publishes of it (every second, as the
            // requests' own), else the mean latency of the seconds nothing queued. (The
            // latency of a second whose queue had just drained held the wait of a backlog:
            // seed-spike's 150 ms measured 243.)
            const double count = reading->latencyCount - from.latencyCount;
            const bool published = !reading->rates && reading->serviceCount && from.serviceCount;
            const double served = published ? *reading->serviceCount - *from.serviceCount : 0.0;
            const double mean = reading->rates ? reading->rates->serviceS
                : published ? (served > 0.0 ? (*reading->serviceSum - *from.serviceSum) / served : kNaN)
                : count > 0.0 ? (reading->latencySum - from.latencySum) / count : kNaN;
            if ((published || m_queueLength == 0) && std::isfinite(mean) && mean > 0.0 && t == lastSecond) {
                m_observedServiceS += kServiceEwma * (mean - m_observedServiceS);
                // Each request once: a Prometheus rate is per second, over the reading's span.
                const double answered = reading->rates
                    ? reading->rates->completed * (reading->clockS - from.clockS) : published ? served : count;
                if (std::isfinite(answered) && answered > 0.0) {
                    m_quietLatencySum += mean * answered;
                    m_quietCompleted += answered;
                }
            }
        } else {
            s = unreadSample(t); // no reading: unknown load, not zero; controllers hold
        }
        m_samples.push_back(s);
        seconds.push_back(t);
        m_nowS = t;
    }
    if (!seconds.empty() || m_lastSecondWallS < 0.0)
        m_lastSecondWallS = reading->wallS;
    // An HPA on the same Deployment: looked for every 5 s of the clock.
    if (ok && m_hpaReadable && !seconds.empty() && seconds.back() - m_hpaReadAtS >= 5.0) {
        m_hpaReadAtS = seconds.back();
        readHpa();
    }
    if (!seconds.empty() && ok) {
        m_readings.push_back(std::make_unique<Reading>(*reading));
        while (m_readings.size() > kLatencyWindowS + 1)
            m_readings.pop_front();
    }
    if (!seconds.empty() || ok)
        m_last = std::move(reading);
    return seconds;
}

void RemoteCluster::readHpa()
{
    const std::string path = "/apis/autoscaling/v2/namespaces/" + percentEncode(m_options.ns) + "/horizontalpodautoscalers";
    const std::string url = m_api.endpoint().url + path;
    try {
        const HttpResponse answer = m_api.request("GET", path, {}, {}, "application/json");
        if (answer.status == 404) {
            m_hpaReadable = false; // no autoscaling/v2 here (headroom-cli serve): asked once
            return;
        }
        if (answer.status == 403 || answer.status == 401) {
            m_hpaReadable = false;
            m_hpaProblem = "cannot list HPAs (GET " + url + ": HTTP " + std::to_string(answer.status) + ": "
                + statusMessage(answer) + unauthorized(answer, m_options.apiCredentials) + "): whether one scales " + m_options.deployment + " too is not known";
            return;
        }
        if (answer.status != 200)
            return; // tried again in 5 s
        const Json list = Json::parse(answer.body);
        const auto items = list.is_object() ? list.find("items") : list.end();
        if (items == list.end() || !items->is_array())
            return;
        std::optional<HpaStatus> found;
        for (const Json &item : *items) {
            const Json spec = item.is_object() && item.contains("spec") && item["spec"].is_object() ? item["spec"] : Json::object();
            const Json target = spec.contains("scaleTargetRef") && spec["scaleTargetRef"].is_object() ? spec["scaleTargetRef"] : Json::object();
            if (stringOr(target, "kind") != "Deployment" || stringOr(target, "name") != m_options.deployment)
                continue;
            const Json status = item.contains("status") && item["status"].is_object() ? item["status"] : Json::object();
            const auto count = [](const Json &o, const char *key, int fallback) {
                const auto it = o.find(key);
                return it != o.end() && it->is_number_integer() ? static_cast<int>(std::clamp<long long>(it->get<long long>(), 0, 1000000)) : fallback;
            };
            HpaStatus h;
            h.name = item.contains("metadata") ? stringOr(item["metadata"], "name") : std::string();
            h.minReplicas = count(spec, "minReplicas", 1);
            h.maxReplicas = count(spec, "maxReplicas", 0);
            h.currentReplicas = count(status, "currentReplicas", 0);
            h.desiredReplicas = count(status, "desiredReplicas", 0);
            // Resource metrics, current against target: "cpu 87% (target 50%)".
            std::map<std::string, std::string> targets;
            if (spec.contains("metrics") && spec["metrics"].is_array()) {
                for (const Json &m : spec["metrics"]) {
                    if (m.is_object() && m.contains("resource") && m["resource"].is_object()) {
                        const Json &r = m["resource"];
                        if (r.contains("target") && r["target"].is_object() && r["target"].contains("averageUtilization"))
                            targets[stringOr(r, "name")] = r["target"]["averageUtilization"].dump() + "%";
                    }
                }
            }
            // Lists a server sends, named to the first few (io::listedItems): an HPA's line is one line.
            std::vector<std::string> metrics;
            std::vector<std::string> conditions;
            if (status.contains("currentMetrics") && status["currentMetrics"].is_array()) {
                for (const Json &m : status["currentMetrics"]) {
                    if (!m.is_object() || !m.contains("resource") || !m["resource"].is_object())
                        continue;
                    const Json &r = m["resource"];
                    const std::string name = stringOr(r, "name");
                    if (!r.contains("current") || !r["current"].is_object() || !r["current"].contains("averageUtilization"))
                        continue;
                    metrics.push_back(name + " " + r["current"]["averageUtilization"].dump() + "%"
                        + (targets.count(name) ? " (target " + targets[name] + ")" : std::string()));
                }
            }
            // Conditions not as a working HPA has them (AbleToScale and ScalingActive True,
            // ScalingLimited False).
            if (status.contains("conditions") && status["conditions"].is_array()) {
                for (const Json &c : status["conditions"]) {
                    const std::string type = stringOr(c, "type");
                    const bool good = stringOr(c, "status") == (type == "ScalingLimited" ? "False" : "True");
                    if (!good && !type.empty())
                        conditions.push_back(type + ": " + stringOr(c, "reason"));
                }
            }
            h.metrics = io::listedItems(metrics);
            h.conditions = io::listedItems(conditions);
            found = h;
            break;
        }
        m_hpa = found;
    } catch (const UnreachableError &) {
    } catch (const InputError &) {
        // A credential plugin that failed: the next reading says so.
    } catch (const nlohmann::json::exception &) {
        // A malformed list is no HPA news: the next look may read.
    }
}

void RemoteCluster::resumeAfterPause()
{
    if (!m_last)
        return; // no baseline yet: the next reading is the first
    m_resync = true;
    m_lastGoodWallS = unixNow(); // the pause is no time unreachable, nor a clock standing still
    m_lastSecondWallS = m_lastGoodWallS;
}

void RemoteCluster::usePublishedSlo(double slo, const std::string &source, const std::string &field)
{
    if (!(slo > 0.0) || slo > 3600.0)
        throw InputError(source, std::nullopt, field,
                         "not a latency from above 0 to 3600 s (" + traffic::numberText(slo) + " s)");
    if (std::abs(slo - m_options.config.sloLatencyS) > 1e-9)
        qCInfo(lcCluster).nospace() << "the router counts violations against an SLO of " << slo * 1000.0
            << " ms (" << source.c_str() << "), not the " << m_options.config.sloLatencyS * 1000.0
            << " ms assumed: using it";
    m_publishedSloS = slo;
    m_options.config.sloLatencyS = slo;
}

void RemoteCluster::readSlo(const std::string &query, const std::string &url)
{
    // As serve's exposition publishes it (readExposition), through Prometheus: the SLO line at
    // the preset's 500 ms sat above the router's violations counted at 300 ms (a trial). None
    // (a router that publishes no SLO) keeps the one assumed; a failure is said once.
    try {
        if (const std::optional<double> slo = singleValue(m_prometheus->query(query, "slo"), url, "slo"))
            usePublishedSlo(*slo, url, "slo");
    } catch (const std::exception &e) {
        if (!std::exchange(m_sloWarned, true))
            qCWarning(lcCluster).noquote() << "the SLO could not be read (the one assumed is kept):" << e.what();
    }
}

void RemoteCluster::readRunLatency(double wallS)
{
    // The run so far, in whole seconds: Prometheus's histogram over it, as the exposition's
    // is read from the first reading on. A failure leaves the last quantiles; the reading
    // goes on (the run's quantiles are the summary's, not the controller's).
    const std::string window = std::to_string(std::max<long long>(1, std::llround(std::ceil(wallS - m_wallStartS)))) + "s";
    std::array<double, 3> quantiles {kNaN, kNaN, kNaN};
    const char *levels[] = {"0.5", "0.95", "0.99"};
    try {
        for (std::size_t i = 0; i < quantiles.size(); ++i) {
            const double v = singleValue(m_prometheus->query(expandQuery(m_options.runLatencyQuery,
                                               {{"window", window}, {"quantile", levels[i]}}), "latency"),
                                 m_prometheus->endpoint().url, "latency")
                                 .value_or(kNaN);
            if (v < 0.0)
                throw InputError(m_prometheus->endpoint().url, std::nullopt, "latency",
                    "the run's " + std::string(levels[i]) + " quantile is " + traffic::numberText(v) + " s, below 0");
            quantiles[i] = std::isfinite(v) ? v : kNaN;
        }
    } catch (const std::exception &e) {
        if (!std::exchange(m_runLatencyWarned, true))
            qCWarning(lcCluster).noquote() << "the run's latency quantiles could not be read over"
                << window.c_str() << "(kept as they were):" << e.what();
        return;
    }
    m_runLatencyS = quantiles;
}

std::array<double, 3> RemoteCluster::runLatencyQuantilesMs() const
{
    if (m_prometheus)
        return {m_runLatencyS[0] * 1000.0, m_runLatencyS[1] * 1000.0, m_runLatencyS[2] * 1000.0};
    if (!m_first || m_readings.empty())
        return {kNaN, kNaN, kNaN};
    const Reading &last = *m_readings.back(); // the latest that worked
    return {bucketQuantileMs(m_first->buckets, last.buckets, 0.50),
            bucketQuantileMs(m_first->buckets, last.buckets, 0.95),
            bucketQuantileMs(m_first->buckets, last.buckets, 0.99)};
}

void RemoteCluster::scale(int replicas)
{
    const std::string path = "/apis/apps/v1/namespaces/" + percentEncode(m_options.ns) + "/deployments/"
        + percentEncode(m_options.deployment) + "/scale";
    const HttpResponse r = m_api.request("PATCH", path,
        "{\"spec\":{\"replicas\":" + std::to_string(replicas) + "}}", "application/merge-patch+json");
    if (r.status != 200) {
        throw std::runtime_error("PATCH " + m_api.endpoint().url + path + " to " + std::to_string(replicas)
            + " replicas: HTTP " + std::to_string(r.status) + ": " + statusMessage(r)
            + unauthorized(r, m_options.apiCredentials));
    }
    m_desired = replicas;
    qCDebug(lcCluster) << "scaled" << m_options.deployment.c_str() << "to" << replicas << "replicas at"
                       << m_nowS << "s";
}

} // namespace headroom::cluster
