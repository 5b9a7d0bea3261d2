#include "cluster/remotelane.h"

#include "cluster/kubeconfig.h"
#include "io/inputerror.h"
#include "logging.h"
#include "sim/clusteroverrides.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <regex>
#include <thread>

namespace headroom::cluster {

std::string RemoteTarget::describe() const
{
    return "deployment " + ns + "/" + deployment + " at " + server;
}

namespace {

using sim::badOption;

const std::string &nonEmpty(const std::string &option, const std::string &value)
{
    if (value.empty())
        throw badOption(option, "is empty");
    return value;
}

// A Prometheus duration, as a range selector takes it: "30s", "1m", "1m30s", "500ms".
const std::string &promDuration(const std::string &option, const std::string &text)
{
    static const std::regex form("([0-9]+(ms|s|m|h|d|w|y))+");
    if (!std::regex_match(text, form) || text.find_first_not_of("0ms") == std::string::npos)
        throw badOption(option, "'" + text + "' is not a Prometheus duration (30s, 1m, 1m30s)");
    return text;
}

// KEY=PROMQL, KEY one of PrometheusQueries::keys(); an empty PROMQL asks nothing for KEY.
std::pair<std::string, std::string> queryOption(const std::string &option, const std::string &text)
{
    const auto eq = text.find('=');
    const std::string key = text.substr(0, eq);
    PrometheusQueries known;
    if (eq == std::string::npos || !known.find(key)) {
        std::string keys;
        for (const std::string &k : PrometheusQueries::keys())
            keys += (keys.empty() ? "" : ", ") + k;
        throw badOption(option, "'" + text.substr(0, 60) + "' is not KEY=PROMQL with KEY one of " + keys);
    }
    if (key == "rate" && eq + 1 == text.size())
        throw badOption(option, "rate is needed: its query cannot be empty");
    return {key, text.substr(eq + 1)};
}

// What the cluster's client sends to prove who it is, for a 401's message.
std::string describeCredentials(const ClusterAccess &access, const std::string &tokenFile)
{
    const std::string from = access.describe.empty() ? std::string("--server") : access.describe;
    if (!tokenFile.empty())
        return "the token in " + tokenFile + " (--token-file)";
    if (access.plugin)
        return "the exec credential plugin's credentials (" + from + ")";
    if (!access.token.empty())
        return "the bearer token of " + from;
    if (!access.tls.clientCertPem.empty())
        return "the client certificate of " + from;
    return "no credentials (" + from + " gives no token, client certificate or exec plugin; give --token-file)";
}

} // namespace

const std::vector<std::string> &targetOptions()
{
    static const std::vector<std::string> names {"--server", "--kubeconfig", "--context", "--in-cluster",
        "--token-file", "--namespace", "--deployment", "--metrics", "--prometheus", "--prometheus-window",
        "--prometheus-token-file", "--query"};
    return names;
}

bool readTargetOption(RemoteTarget &t, const std::string &a, const std::string &value)
{
    if (a == "--server")
        t.server = nonEmpty(a, value);
    else if (a == "--kubeconfig")
        t.kubeconfig = nonEmpty(a, value);
    else if (a == "--context")
        t.context = nonEmpty(a, value);
    else if (a == "--in-cluster")
        t.inCluster = true;
    else if (a == "--token-file")
        t.tokenFile = nonEmpty(a, value);
    else if (a == "--namespace")
        t.ns = kubernetesNameOption(a, value), t.namespaceGiven = true;
    else if (a == "--deployment")
        t.deployment = kubernetesNameOption(a, value);
    else if (a == "--metrics")
        t.metrics = nonEmpty(a, value);
    else if (a == "--prometheus")
        t.prometheus = nonEmpty(a, value);
    else if (a == "--prometheus-window")
        t.prometheusWindow = promDuration(a, value);
    else if (a == "--prometheus-token-file")
        t.prometheusTokenFile = nonEmpty(a, value);
    else if (a == "--query") {
        auto query = queryOption(a, value);
        for (const auto &[key, promql] : t.queries) {
            if (key == query.first)
                throw badOption(a, "the " + key + " query is given twice");
        }
        t.queries.push_back(std::move(query));
    }
    else
        return false;
    return true;
}

void checkTarget(const RemoteTarget &t, const std::vector<std::string> &given)
{
    const auto has = [&](const char *option) { return std::find(given.begin(), given.end(), option) != given.end(); };
    if (!t.prometheus.empty() && !t.metrics.empty())
        throw badOption("--prometheus", "the metrics come from --metrics or from --prometheus, not both");
    if (t.prometheus.empty()) {
        for (const char *only : {"--query", "--prometheus-window", "--prometheus-token-file"}) {
            if (has(only))
                throw badOption(only, "asks a Prometheus server: give --prometheus URL");
        }
    }
    if (t.inCluster && (!t.server.empty() || !t.kubeconfig.empty() || !t.context.empty()))
        throw badOption("--in-cluster", "takes the pod's own API and credentials: no --server, --kubeconfig or --context");
    // The URLs given, read now: a bad one is a bad command line, not a cluster that failed.
    for (const auto &[option, url] : {std::pair<const char *, const std::string *> {"--server", &t.server},
             {"--metrics", &t.metrics}, {"--prometheus", &t.prometheus}}) {
        if (!url->empty())
            parseHttpUrl(option, *url, url != &t.server);
    }
}

void checkRemoteController(const std::string &option, const std::string &name, bool watchAllowed)
{
    if (name == "clairvoyant")
        throw badOption(option, "clairvoyant needs the future arrivals, which only the simulator has");
    if (!(watchAllowed && name == "watch") && !control::isKnownController(name))
        throw badOption(option, "'" + name + "' is not one of " + (watchAllowed ? "watch, " : "")
            + "predictive, hpa, kpa, linear, holt-winters");
}

void checkTargetFor(const RemoteTarget &t, const std::string &controller)
{
    if (t.prometheus.empty())
        return;
    const auto query = [&](const std::string &key) -> std::optional<std::string> {
        for (const auto &[k, promql] : t.queries) {
            if (k == key)
                return promql;
        }
        return std::nullopt; // the default
    };
    const bool hpaLike = controller == "hpa" || controller == "linear" || controller == "holt-winters";
    if (hpaLike && query("cpu") == std::string())
        throw badOption("--query", "cpu= leaves " + controller + " without the pods' CPU, which it scales on");
    if (controller == "kpa" && query("concurrency") == std::string())
        throw badOption("--query", "concurrency= leaves kpa without the concurrency it scales on");
    if (const auto latency = query("latency"); latency && !latency->empty() && latency->find("$quantile") == std::string::npos)
        qCWarning(lcCluster) << "the latency query has no $quantile: p50, p95 and p99 will all be its one value";
}

std::unique_ptr<RemoteCluster> openRemoteCluster(RemoteTarget &t, const sim::ClusterConfig &config)
{
    // Where the API is and how to talk to it, as kubectl finds it.
    ClusterAccess access;
    if (t.inCluster) {
        access = inClusterAccess();
    } else if (!t.kubeconfig.empty() || !t.context.empty() || t.server.empty()) {
        access = t.kubeconfig.empty() ? readDefaultKubeconfig(t.context) : readKubeconfig(t.kubeconfig, t.context);
    }
    if (!t.server.empty()) {
        access.server = parseHttpUrl("--server", t.server);
        access.describe = access.describe.empty() ? "--server" : access.describe + ", --server";
    }
    if (!t.tokenFile.empty()) {
        access.token = readTokenFile("--token-file", t.tokenFile);
        access.plugin.reset(); // the token given on the command line, not the plugin's
    }
    if (!t.namespaceGiven && !access.ns.empty()) {
        // The context's namespace goes into the API's paths: a Kubernetes name only.
        if (!isKubernetesName(access.ns))
            throw InputError(access.describe, std::nullopt, "namespace",
                             "'" + access.ns + "' is not a Kubernetes name (lower-case letters, digits and -)");
        t.ns = access.ns;
    }
    checkBearerToken(access.token, access.describe.empty() ? "--token-file" : access.describe);
    t.server = access.server.url;
    const HttpEndpoint metrics = !t.prometheus.empty() ? parseHttpUrl("--prometheus", t.prometheus, true)
        : t.metrics.empty() ? access.server : parseHttpUrl("--metrics", t.metrics, true);
    // The cluster's credentials go to the cluster alone, not to another metrics server (the
    // same scheme, host and port are the same server, whatever path its metrics are at).
    const bool sameServer = metrics.https == access.server.https && metrics.host == access.server.host
        && metrics.port == access.server.port && t.prometheus.empty();
    const std::string metricsToken
        = t.prometheusTokenFile.empty() ? std::string() : readTokenFile("--prometheus-token-file", t.prometheusTokenFile);
    RemoteClusterOptions options;
    options.apiCredentials = describeCredentials(access, t.tokenFile);
    options.metricsCredentials = sameServer ? options.apiCredentials
        : !metricsToken.empty()            ? "the token in " + t.prometheusTokenFile + " (--prometheus-token-file)"
                                           : "no credentials (give --prometheus-token-file)";
    options.ns = t.ns;
    options.deployment = t.deployment;
    options.config = config;
    if (!t.prometheus.empty()) {
        PrometheusQueries queries = PrometheusQueries::forServe();
        for (const auto &[key, promql] : t.queries) {
            std::string *query = queries.find(key);
            if (!query)
                throw InputError("command line", std::nullopt, "--query", "'" + key + "' is not a query's key");
            *query = promql;
        }
        // The run's quantiles: the latency query over the run so far, where it has a window to
        // set (one without asks the same window every time: no run's quantiles).
        if (queries.latency.find("$window") != std::string::npos)
            options.runLatencyQuery = expandQuery(queries.latency, {{"namespace", t.ns}, {"deployment", t.deployment}});
        const std::map<std::string, std::string> values {
            {"namespace", t.ns}, {"deployment", t.deployment}, {"window", t.prometheusWindow}};
        for (const std::string &key : PrometheusQueries::keys()) {
            std::string &q = *queries.find(key);
            q = expandQuery(q, values);
        }
        options.prometheus = queries;
    }
    // One plugin for both clients of the cluster: it runs once for them.
    HttpClient api(access.server, access.token, access.tls);
    api.setCredentialPlugin(access.plugin);
    HttpClient metricsClient = sameServer ? HttpClient(metrics, access.token, access.tls) : HttpClient(metrics, metricsToken);
    if (sameServer)
        metricsClient.setCredentialPlugin(access.plugin);
    return std::make_unique<RemoteCluster>(options, std::move(api), std::move(metricsClient));
}

bool readFirstTime(RemoteCluster &cluster, std::chrono::milliseconds patience, const std::atomic<bool> *stop)
{
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (!(stop && *stop)) {
        cluster.poll();
        // Try again only while nothing answers (a server still starting); a refusal stays one.
        if (cluster.hasReading() || !cluster.lastErrorTransient() || std::chrono::steady_clock::now() >= deadline)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return cluster.hasReading();
}

std::unique_ptr<RemoteLane> startRemoteLane(std::unique_ptr<RemoteCluster> cluster, const std::string &controller,
                                            control::ControllerEnvironment env, const std::atomic<bool> *stop)
{
    // The Deployment must be there before any controller is built.
    if (!readFirstTime(*cluster, std::chrono::seconds(5), stop))
        throw std::runtime_error("cannot read the cluster: " + cluster->lastError());
    env.initialReplicas = cluster->desiredReplicas();
    std::unique_ptr<control::Controller> ctl;
    if (controller != "watch") {
        std::string unavailable;
        ctl = control::makeController(controller, env, unavailable);
        if (!ctl)
            throw std::runtime_error(controller + " cannot run: " + unavailable);
    }
    return std::make_unique<RemoteLane>(controller, std::move(cluster), std::move(ctl));
}

RemoteLane::RemoteLane(std::string name, std::unique_ptr<RemoteCluster> cluster,
                       std::unique_ptr<control::Controller> ctl)
    : m_name(std::move(name))
    , m_cluster(std::move(cluster))
    , m_ctl(std::move(ctl))
{
}

std::vector<double> RemoteLane::step()
{
    const std::vector<double> seconds = m_cluster->poll();
    // Replicas changed by another hand (the cluster's own HPA, kubectl scale) since the last
    // reading: an event, as the charts' scale markers show the lane's own.
    if (!seconds.empty() && m_lastDesired >= 0 && m_cluster->desiredReplicas() != m_lastDesired) {
        m_events.push_back({seconds.front(), "scale", "replicas " + std::to_string(m_lastDesired) + " -> "
            + std::to_string(m_cluster->desiredReplicas()) + (m_ctl ? ", not by " + m_name : std::string())
            + " (the cluster's own autoscaler, or by hand)"});
    }
    if (m_cluster->hasReading())
        m_lastDesired = m_cluster->desiredReplicas();
    // A router that restarted (its counters went down): said where the run's events are.
    for (const std::string &note : m_cluster->takeNotes())
        m_events.push_back({seconds.empty() ? m_cluster->nowS() : seconds.front(), "condition", note});
    for (std::size_t i = 0; i < seconds.size(); ++i) {
        const double t = seconds[i];
        const std::vector<metrics::LaneSample> &samples = m_cluster->samples();
        // This second's sample: a reading can bring several (a cluster sped up, or one read
        // late), and each is annotated with what the controller decided in it. Only the
        // latest was, so a predictive lane's fallback seconds counted its decisions but its
        // samples flagged one second a reading (a recording of it was refused).
        const std::size_t at = samples.size() - seconds.size() + i;
        // Seconds nothing was read (the cluster or its metrics did not answer, or the lane was
        // paused) are a span of no data on the charts, as a trace's holes are.
        if (samples.back().noData != m_inHole) {
            m_inHole = samples.back().noData;
            m_events.push_back({t - 1.0, "condition",
                m_inHole ? "no data: nothing read from here (" + (m_cluster->lastError().empty()
                        ? std::string("paused") : m_cluster->lastError()) + "); " + m_name + " holds"
                         : "data again: " + m_name + (m_ctl ? " decides again" : " reads again"),
                "no data", m_inHole});
        }
        if (m_ctl && (!samples.back().noData || m_ctl->decidesInHoles())) {
            const control::ControlContext context {t, *m_cluster, samples, nullptr};
            if (const auto replicas = m_ctl->onSecond(context, m_events)) {
                try {
                    m_cluster->scale(*replicas);
                    m_lastDesired = *replicas;
                    ++m_scaled;
                } catch (const std::exception &e) {
                    ++m_refused;
                    m_events.push_back({t, "condition", std::string("scale refused: ") + e.what()});
                }
            }
            m_ctl->annotate(m_cluster->sampleAt(at));
        }
    }
    // Scored once every second of the reading is annotated: scored in the loop, a reading's
    // later seconds were counted before their fallback and forecast were set.
    m_scorer.update(m_cluster->samples());
    if (!seconds.empty())
        reportHpa(seconds.back());
    return seconds;
}

void RemoteLane::reportHpa(double tS)
{
    const std::optional<HpaStatus> &hpa = m_cluster->hpa();
    if (!m_cluster->hpaProblem().empty() && !m_hpaProblemSaid) {
        m_hpaProblemSaid = true;
        m_events.push_back({tS, "condition", m_cluster->hpaProblem()});
    }
    // Said when what it decides or how it stands changes, not each time its metrics move.
    const auto same = [](const std::optional<HpaStatus> &a, const std::optional<HpaStatus> &b) {
        return a.has_value() == b.has_value()
            && (!a || (a->name == b->name && a->desiredReplicas == b->desiredReplicas
                       && a->minReplicas == b->minReplicas && a->maxReplicas == b->maxReplicas
                       && a->conditions == b->conditions));
    };
    if (same(hpa, m_hpaSeen))
        return;
    if (hpa && (!m_hpaSeen || m_hpaSeen->name != hpa->name) && m_ctl) {
        // Two autoscalers on one Deployment undo each other's changes.
        m_events.push_back({tS, "condition", "the HPA " + hpa->name + " scales this Deployment too: it and "
            + m_name + " will fight over its replicas (delete the HPA, or only watch)"});
        qCWarning(lcCluster) << "the HPA" << hpa->name.c_str() << "also scales the deployment" << m_name.c_str()
                             << "controls";
    }
    if (hpa) {
        const bool moved = !m_hpaSeen || m_hpaSeen->desiredReplicas != hpa->desiredReplicas;
        std::string text = "HPA " + hpa->name + ": " + (moved && m_hpaSeen
                ? std::to_string(m_hpaSeen->desiredReplicas) + " -> " + std::to_string(hpa->desiredReplicas)
                : std::to_string(hpa->desiredReplicas)) + " desired of " + std::to_string(hpa->minReplicas) + "-"
            + std::to_string(hpa->maxReplicas);
        if (!hpa->metrics.empty())
            text += " (" + hpa->metrics + ")";
        if (!hpa->conditions.empty())
            text += "; " + hpa->conditions;
        m_events.push_back({tS, moved ? "scale" : "condition", text});
    } else if (m_hpaSeen) {
        m_events.push_back({tS, "condition", "the HPA " + m_hpaSeen->name + " is gone"});
    }
    m_hpaSeen = hpa;
}

metrics::LaneSummary RemoteLane::summary() const
{
    metrics::LaneSummary s;
    s.controller = m_name;
    double requests = 0.0, completed = 0.0, dropped = 0.0, violations = 0.0;
    for (const metrics::LaneSample &x : samples()) {
        if (x.noData)
            continue;
        requests += x.arrivalsPerS;
        completed += x.completedPerS;
        dropped += x.droppedPerS;
        violations += x.sloViolationsPerS;
        s.violationSeconds += x.sloViolationsPerS > 0.0;
        const int pods = x.podsReady + x.podsStarting + x.podsUnready;
        s.podSeconds += pods;
        s.peakPods = std::max(s.peakPods, pods);
    }
    s.requests = std::llround(requests);
    s.completed = std::llround(completed);
    s.dropped = std::llround(dropped);
    s.sloViolations = std::llround(violations);
    const auto latency = m_cluster->runLatencyQuantilesMs();
    s.latencyP50Ms = latency[0];
    s.latencyP95Ms = latency[1];
    s.latencyP99Ms = latency[2];
    s.latencyMaxMs = std::numeric_limits<double>::quiet_NaN(); // a histogram keeps no maximum
    if (m_ctl)
        control::addForecastScores(s, *m_ctl, m_scorer);
    return s;
}

std::optional<metrics::ForecastCurve> RemoteLane::forecastCurve() const
{
    return m_ctl ? m_ctl->latestForecast() : std::nullopt;
}

} // namespace headroom::cluster
