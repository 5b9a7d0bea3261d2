#include "cluster/remotecluster.h"

#include "io/inputerror.h"
#include "logging.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <ctime>
#include <limits>

namespace headroom::cluster {

namespace {

using Json = nlohmann::json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// Weight of a new second in the observed service time (as the simulated cluster's).
constexpr double kServiceEwma = 0.2;
// The latency quantiles of a sample cover this many trailing seconds (as the simulator's).
constexpr std::size_t kLatencyWindowS = 5;

double unixNow()
{
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// "2026-12-05T15:09:37Z" or with a fraction ("...:37.250Z"): Unix seconds; NaN otherwise.
double parseTimestamp(const std::string &text)
{
    std::tm tm {};
    int consumed = 0;
    if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
                    &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &consumed) != 6)
        return kNaN;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    double fraction = 0.0;
    std::size_t i = static_cast<std::size_t>(consumed);
    if (i < text.size() && text[i] == '.') {
        double scale = 0.1;
        for (++i; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
            fraction += scale * (text[i] - '0');
            scale /= 10.0;
        }
    }
    if (i + 1 != text.size() || text[i] != 'Z')
        return kNaN;
    return static_cast<double>(timegm(&tm)) + fraction;
}

std::string statusMessage(const HttpResponse &r)
{
    try {
        const Json j = Json::parse(r.body);
        if (j.is_object() && j.contains("message") && j["message"].is_string())
            return j["message"].get<std::string>();
    } catch (const nlohmann::json::exception &) {
    }
    return r.body.substr(0, 200);
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
    double latencySum = 0.0;
    double latencyCount = 0.0;
    std::vector<std::pair<double, double>> buckets; // (le, cumulative count), le ascending
    double inFlight = 0.0;
    std::optional<double> concurrencySeconds; // the integral, when the router publishes it
};

RemoteCluster::RemoteCluster(RemoteClusterOptions options, HttpClient api, HttpClient metrics)
    : m_options(std::move(options))
    , m_api(std::move(api))
    , m_metrics(std::move(metrics))
    , m_observedServiceS(m_options.config.serviceMeanS)
{
}

RemoteCluster::~RemoteCluster() = default;

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

double RemoteCluster::secondsUnreachable() const
{
    return m_lastGoodWallS < 0.0 ? 0.0 : unixNow() - m_lastGoodWallS;
}

bool RemoteCluster::read(Reading &r)
{
    m_lastErrorTransient = false;
    const std::string ns = m_options.ns;
    const std::string name = m_options.deployment;
    const std::string deploymentPath = "/apis/apps/v1/namespaces/" + ns + "/deployments/" + name;
    try {
        const HttpResponse d = m_api.request("GET", deploymentPath);
        if (d.status != 200) {
            m_lastError = "GET " + m_api.endpoint().url + deploymentPath + ": HTTP "
                + std::to_string(d.status) + ": " + statusMessage(d);
            return false;
        }
        const Json deployment = Json::parse(d.body);
        const Json &replicas = deployment["spec"]["replicas"];
        if (!replicas.is_number_integer())
            throw InputError(m_api.endpoint().url + deploymentPath, std::nullopt, "spec.replicas",
                             "not a whole number");
        // The pods the Deployment selects.
        std::string selector;
        if (deployment["spec"].contains("selector") && deployment["spec"]["selector"].contains("matchLabels")) {
            for (const auto &[k, v] : deployment["spec"]["selector"]["matchLabels"].items())
                selector += (selector.empty() ? "" : ",") + k + "%3D" + (v.is_string() ? v.get<std::string>() : v.dump());
        }
        const std::string podsPath = "/api/v1/namespaces/" + ns + "/pods"
            + (selector.empty() ? std::string() : "?labelSelector=" + selector);
        const HttpResponse p = m_api.request("GET", podsPath);
        if (p.status != 200) {
            m_lastError = "GET " + m_api.endpoint().url + podsPath + ": HTTP " + std::to_string(p.status)
                + ": " + statusMessage(p);
            return false;
        }
        const Json pods = Json::parse(p.body);
        const HttpResponse m = m_metrics.request("GET", "/metrics", {}, {}, "text/plain");
        if (m.status != 200) {
            m_lastError = "GET " + m_metrics.endpoint().url + "/metrics: HTTP " + std::to_string(m.status);
            return false;
        }
        const Exposition e = Exposition::parse(m.body, m_metrics.endpoint().url + "/metrics");

        // The clock: the simulator's, when it publishes one.
        const std::map<std::string, std::string> labels {{"namespace", ns}, {"deployment", name}};
        if (const auto simulated = e.value("headroom_simulated_time_seconds", labels)) {
            r.clockS = *simulated;
            m_epochUnixS = e.value("headroom_simulation_start_time_seconds", labels).value_or(m_wallStartS);
            m_speed = e.value("headroom_simulation_speed", labels).value_or(1.0);
        } else {
            r.clockS = r.wallS - m_wallStartS;
            m_epochUnixS = m_wallStartS;
            m_speed = 1.0;
        }
        r.requests = e.value("headroom_requests_total", labels).value_or(0.0);
        r.completed = e.value("headroom_requests_completed_total", labels).value_or(0.0);
        r.dropped = e.value("headroom_requests_dropped_total", labels).value_or(0.0);
        r.violations = e.value("headroom_slo_violations_total", labels).value_or(0.0);
        r.latencySum = e.value("headroom_request_duration_seconds_sum", labels).value_or(0.0);
        r.latencyCount = e.value("headroom_request_duration_seconds_count", labels).value_or(0.0);
        for (const MetricSample *s : e.all("headroom_request_duration_seconds_bucket", labels)) {
            const auto le = s->labels.find("le");
            if (le == s->labels.end())
                continue;
            const double bound = le->second == "+Inf" ? HUGE_VAL : std::strtod(le->second.c_str(), nullptr);
            r.buckets.emplace_back(bound, s->value);
        }
        std::sort(r.buckets.begin(), r.buckets.end());
        r.inFlight = e.value("headroom_in_flight", labels).value_or(0.0);
        r.concurrencySeconds = e.value("headroom_request_concurrency_seconds_total", labels);

        // Everything read: now the state changes.
        m_desired = replicas.get<int>();
        m_queueLength = static_cast<int>(e.value("headroom_queue_length", labels).value_or(0.0));
        m_cpu.clear();
        for (const MetricSample *s : e.all("container_cpu_usage_seconds_total", {{"namespace", ns}})) {
            const auto pod = s->labels.find("pod");
            if (pod != s->labels.end())
                m_cpu[pod->second] += s->value;
        }
        // Pods, numbered in the order they were created (the predictive controller learns
        // start times from pods newer than the last it saw).
        std::vector<std::pair<double, const Json *>> items;
        for (const Json &item : pods["items"])
            items.emplace_back(parseTimestamp(item["metadata"].value("creationTimestamp", "")), &item);
        std::stable_sort(items.begin(), items.end(),
                         [](const auto &a, const auto &b) { return a.first < b.first; });
        m_pods.clear();
        for (const auto &[created, itemPtr] : items) {
            const Json &item = *itemPtr;
            const std::string podName = item["metadata"].value("name", "");
            auto [it, isNew] = m_podIds.try_emplace(podName, static_cast<int>(m_podIds.size()) + 1);
            if (isNew)
                m_podNames[it->second] = podName;
            sim::Pod pod;
            pod.id = it->second;
            pod.createdS = clockOf(item["metadata"].value("creationTimestamp", ""));
            pod.startedS = pod.createdS;
            bool ready = false;
            double readySince = kNaN;
            const Json &status = item.contains("status") ? item["status"] : Json::object();
            for (const Json &c : status.value("conditions", Json::array())) {
                if (c.value("type", "") == "Ready") {
                    ready = c.value("status", "") == "True";
                    readySince = clockOf(c.value("lastTransitionTime", ""));
                }
            }
            for (const Json &cs : status.value("containerStatuses", Json::array())) {
                if (cs.contains("state") && cs["state"].contains("running"))
                    pod.startedS = clockOf(cs["state"]["running"].value("startedAt", ""));
            }
            bool &everReady = m_everReady[podName];
            everReady = everReady || ready;
            using Phase = sim::Pod::Phase;
            if (item["metadata"].contains("deletionTimestamp"))
                pod.phase = Phase::Terminating;
            else if (status.value("phase", "") == "Pending")
                pod.phase = Phase::Pending;
            else if (ready || everReady)
                pod.phase = Phase::Ready;
            else
                pod.phase = Phase::Starting;
            pod.probeFailing = pod.phase == Phase::Ready && !ready;
            pod.readyS = ready && !std::isnan(readySince) ? readySince : pod.createdS;
            pod.readyTransitionS = std::isnan(readySince) ? pod.createdS : readySince;
            if (std::isnan(pod.createdS)) {
                throw InputError(m_api.endpoint().url + podsPath, std::nullopt,
                    "items[" + podName + "].metadata.creationTimestamp", "not an RFC 3339 time");
            }
            m_pods.push_back(pod);
        }
        r.ok = true;
        m_lastError.clear();
        return true;
    } catch (const UnreachableError &e) {
        m_lastError = e.what();
        m_lastErrorTransient = e.transient();
        return false;
    } catch (const InputError &e) {
        m_lastError = e.what();
    } catch (const nlohmann::json::exception &e) {
        m_lastError = std::string("a response is not the JSON expected: ") + e.what();
    }
    return false;
}

metrics::LaneSample RemoteCluster::sampleBetween(const Reading &from, const Reading &to, double tS) const
{
    metrics::LaneSample s;
    s.tS = tS;
    const double span = std::max(1e-9, to.clockS - from.clockS);
    s.arrivalsPerS = std::max(0.0, to.requests - from.requests) / span;
    s.completedPerS = std::max(0.0, to.completed - from.completed) / span;
    s.droppedPerS = std::max(0.0, to.dropped - from.dropped) / span;
    s.sloViolationsPerS = std::max(0.0, to.violations - from.violations) / span;
    // Latency quantiles over the trailing window, from the histogram's buckets, linear within
    // a bucket (as Prometheus's histogram_quantile).
    const Reading &windowStart = *m_readings.front();
    const auto quantileMs = [&](double q) {
        if (windowStart.buckets.size() != to.buckets.size() || to.buckets.empty())
            return kNaN;
        const double total = to.buckets.back().second - windowStart.buckets.back().second;
        if (total <= 0.0)
            return kNaN;
        const double rank = q * total;
        double below = 0.0;
        double lower = 0.0;
        for (std::size_t i = 0; i < to.buckets.size(); ++i) {
            const double upper = to.buckets[i].first;
            const double count = to.buckets[i].second - windowStart.buckets[i].second;
            if (count >= rank) {
                if (std::isinf(upper))
                    return 1000.0 * lower;
                return 1000.0 * (lower + (upper - lower) * (rank - below) / std::max(1e-12, count - below));
            }
            below = count;
            lower = upper;
        }
        return 1000.0 * lower;
    };
    s.latencyP50Ms = quantileMs(0.50);
    s.latencyP95Ms = quantileMs(0.95);
    s.latencyP99Ms = quantileMs(0.99);
    s.podsDesired = m_desired;
    // TODO: cpuUtilization stays 0: the sample would need each pod's CPU counter at the
    // previous reading; the HPA reads the counters themselves (cumulativeCpuCoreSeconds).
    for (const sim::Pod &pod : m_pods) {
        s.podsReady += pod.serving();
        s.podsStarting += pod.starting();
        s.podsUnready += pod.unready();
    }
    s.queueLength = m_queueLength;
    // The mean concurrency over the span where the router integrates it; else the moment's.
    s.concurrency = to.concurrencySeconds && from.concurrencySeconds
            && to.concurrencySeconds > from.concurrencySeconds
        ? (*to.concurrencySeconds - *from.concurrencySeconds) / span
        : to.inFlight;
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
        m_lastGoodWallS = reading->wallS;
    else if (m_last) // the clock runs on while the cluster cannot be read
        reading->clockS = m_last->clockS + (reading->wallS - m_last->wallS) * m_speed;
    if (!m_last) {
        if (ok) {
            m_nowS = std::floor(reading->clockS);
            m_readings.push_back(std::make_unique<Reading>(*reading));
            m_last = std::move(reading);
        }
        return {};
    }
    if (ok && reading->clockS < m_last->clockS - 1e-6) {
        // A simulator started again (its clock restarts at 0): the history no longer lines up.
        throw std::runtime_error("the cluster's clock went back from "
            + std::to_string(std::lround(m_last->clockS)) + " s to " + std::to_string(std::lround(reading->clockS))
            + " s (the server restarted?): start control again");
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
            // The service time: the mean latency of the seconds nothing queued.
            const double count = reading->latencyCount - from.latencyCount;
            if (m_queueLength == 0 && count > 0.0 && t == lastSecond) {
                const double mean = (reading->latencySum - from.latencySum) / count;
                m_observedServiceS += kServiceEwma * (mean - m_observedServiceS);
            }
        } else {
            s.tS = t;
            s.noData = true; // no reading: unknown load, not zero; controllers hold
            s.podsDesired = m_desired;
            s.latencyP50Ms = s.latencyP95Ms = s.latencyP99Ms = kNaN;
        }
        m_samples.push_back(s);
        seconds.push_back(t);
        m_nowS = t;
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

void RemoteCluster::scale(int replicas)
{
    const std::string path = "/apis/apps/v1/namespaces/" + m_options.ns + "/deployments/"
        + m_options.deployment + "/scale";
    const HttpResponse r = m_api.request("PATCH", path,
        "{\"spec\":{\"replicas\":" + std::to_string(replicas) + "}}", "application/merge-patch+json");
    if (r.status != 200) {
        throw std::runtime_error("PATCH " + m_api.endpoint().url + path + " to " + std::to_string(replicas)
            + " replicas: HTTP " + std::to_string(r.status) + ": " + statusMessage(r));
    }
    m_desired = replicas;
    qCInfo(lcCluster) << "scaled" << m_options.deployment.c_str() << "to" << replicas << "replicas at"
                      << m_nowS << "s";
}

} // namespace headroom::cluster
