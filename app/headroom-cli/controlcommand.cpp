#include "controlcommand.h"

#include "cliargs.h"

#include "cluster/kubeconfig.h"
#include "cluster/remotecluster.h"
#include "control/controllerfactory.h"
#include "forecast/forecaster.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "io/runwriter.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <regex>
#include <set>
#include <thread>

using namespace headroom;

namespace {

constexpr const char *kUsage = R"(usage: headroom-cli control [--kubeconfig FILE] [--context NAME] [--server URL]
                            [--in-cluster] [--token-file FILE] [--controller NAME]
                            [--metrics URL | --prometheus URL [--prometheus-window D]
                             [--prometheus-token-file FILE] [--query KEY=PROMQL]...]
                            [--namespace NS] [--deployment NAME]
                            [--duration S] [--model FILE] [--preset default|llm]
                            [--max-replicas N] [--out DIR]

Runs one controller (predictive, hpa, kpa, linear or holt-winters; default
predictive) against a cluster's Kubernetes API, found as kubectl finds it: the
kubeconfig's current context (or --context; --kubeconfig, else $KUBECONFIG, else
~/.kube/config), --server URL (http or https), or a pod's service account with
--in-cluster. Every second it reads the Deployment, its pods and the router's metrics
(--metrics URL, default the API server's own /metrics, as headroom-cli serve has them;
or --prometheus URL, a Prometheus server's HTTP API asked one PromQL query per reading:
rate, completed, dropped, violations, latency, service-time, concurrency, queue and
cpu, each replaced with --query KEY=PROMQL, where $namespace, $deployment, $window and
latency's $quantile are filled in; --query KEY= asks nothing for KEY), and scales the Deployment through its scale subresource. On headroom-cli serve it
follows the server's simulated clock. Every decision is printed; it stops after
--duration seconds (of that clock) or on Ctrl-C. With --out DIR it writes the run's
seconds to DIR/timeseries.csv (run's columns), whenever and however it stops. See
docs/serve.md.
)";

std::atomic<bool> g_stop {false};

extern "C" void onSignal(int)
{
    g_stop = true;
}

struct ControlOptions
{
    std::string server;
    std::string metrics;
    std::string prometheus;
    std::string prometheusWindow = "30s";
    std::string prometheusTokenFile;
    std::vector<std::pair<std::string, std::string>> queries; // --query KEY=PROMQL, in order
    std::string controller = "predictive";
    std::string ns = "default";
    std::string deployment = "inference";
    std::optional<double> duration;
    std::string model;
    std::string tokenFile;
    std::string kubeconfig;
    std::string context;
    bool inCluster = false;
    bool namespaceGiven = false;
    std::string out;
    ClusterOverrides cluster;
};

// A Prometheus duration, as a range selector takes it: "30s", "1m", "1m30s", "500ms".
std::string promDuration(const std::string &option, const std::string &text)
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
    cluster::PrometheusQueries known;
    if (eq == std::string::npos || !known.find(key)) {
        std::string keys;
        for (const std::string &k : cluster::PrometheusQueries::keys())
            keys += (keys.empty() ? "" : ", ") + k;
        throw badOption(option, "'" + text.substr(0, 60) + "' is not KEY=PROMQL with KEY one of " + keys);
    }
    if (key == "rate" && eq + 1 == text.size())
        throw badOption(option, "rate is needed: its query cannot be empty");
    return {key, text.substr(eq + 1)};
}

ControlOptions parseControlOptions(const std::vector<std::string> &written)
{
    OptionReader options(written);
    ControlOptions o;
    while (options.next()) {
        const std::string &a = options.option();
        const auto value = [&]() -> const std::string & { return options.value(); };
        if (a == "--server")
            o.server = nonEmpty(a, value());
        else if (a == "--metrics")
            o.metrics = nonEmpty(a, value());
        else if (a == "--prometheus")
            o.prometheus = nonEmpty(a, value());
        else if (a == "--prometheus-window")
            o.prometheusWindow = promDuration(a, value());
        else if (a == "--prometheus-token-file")
            o.prometheusTokenFile = nonEmpty(a, value());
        else if (a == "--query")
            o.queries.push_back(queryOption(a, value()));
        else if (a == "--controller")
            o.controller = nonEmpty(a, value());
        else if (a == "--namespace")
            o.ns = kubernetesName(a, value()), o.namespaceGiven = true;
        else if (a == "--kubeconfig")
            o.kubeconfig = nonEmpty(a, value());
        else if (a == "--context")
            o.context = nonEmpty(a, value());
        else if (a == "--in-cluster")
            o.inCluster = true;
        else if (a == "--out")
            o.out = nonEmpty(a, value());
        else if (a == "--deployment")
            o.deployment = kubernetesName(a, value());
        else if (a == "--duration")
            o.duration = parseDuration(a, value());
        else if (a == "--model")
            o.model = nonEmpty(a, value());
        else if (a == "--token-file")
            o.tokenFile = nonEmpty(a, value());
        else if (a == "--preset" || a == "--max-replicas")
            o.cluster.read(a, value());
        else
            throw badOption(a, "unknown option (see headroom-cli control --help)");
    }
    if (std::error_code ec; !o.out.empty() && std::filesystem::exists(o.out, ec)
        && !std::filesystem::is_directory(o.out, ec))
        throw badOption("--out", o.out + ": not a folder (a file has that name)");
    if (!o.prometheus.empty() && !o.metrics.empty())
        throw badOption("--prometheus", "the metrics come from --metrics or from --prometheus, not both");
    if (o.prometheus.empty()) {
        for (const char *only : {"--query", "--prometheus-window", "--prometheus-token-file"}) {
            if (std::find(written.begin(), written.end(), only) != written.end())
                throw badOption(only, "asks a Prometheus server: give --prometheus URL");
        }
    }
    if (o.inCluster && (!o.server.empty() || !o.kubeconfig.empty() || !o.context.empty()))
        throw badOption("--in-cluster", "takes the pod's own API and credentials: no --server, --kubeconfig or --context");
    // The clairvoyant lane sees the simulator's future arrivals: no real cluster has them.
    if (o.controller == "clairvoyant")
        throw badOption("--controller", "clairvoyant needs the future arrivals, which only the simulator has");
    if (!control::isKnownController(o.controller)) {
        throw badOption("--controller", "'" + o.controller
            + "' is not one of predictive, hpa, kpa, linear, holt-winters");
    }
    return o;
}

} // namespace

int runControlCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    for (const std::string &a : args) {
        if (a == "--help" || a == "-h") {
            out << kUsage;
            return 0;
        }
    }
    ControlOptions o;
    std::unique_ptr<cluster::RemoteCluster> remote;
    control::ControllerEnvironment env;
    try {
        o = parseControlOptions(args);
        // Where the API is and how to talk to it, as kubectl finds it.
        cluster::ClusterAccess access;
        if (o.inCluster) {
            access = cluster::inClusterAccess();
        } else if (!o.kubeconfig.empty() || !o.context.empty() || o.server.empty()) {
            access = cluster::readKubeconfig(
                o.kubeconfig.empty() ? cluster::defaultKubeconfigPath() : o.kubeconfig, o.context);
        }
        if (!o.server.empty()) {
            access.server = cluster::parseHttpUrl("--server", o.server);
            access.describe = access.describe.empty() ? "--server" : access.describe + ", --server";
        }
        if (!o.tokenFile.empty())
            access.token = readTokenFile("--token-file", o.tokenFile);
        if (!o.namespaceGiven && !access.ns.empty())
            o.ns = kubernetesName("namespace of " + access.describe, access.ns);
        cluster::checkBearerToken(access.token, access.describe.empty() ? "--token-file" : access.describe);
        o.server = access.server.url;
        const cluster::HttpEndpoint metrics = !o.prometheus.empty() ? cluster::parseHttpUrl("--prometheus", o.prometheus)
            : o.metrics.empty() ? access.server : cluster::parseHttpUrl("--metrics", o.metrics);
        // The cluster's credentials go to the cluster alone, not to another metrics server.
        const bool sameServer = metrics.url == access.server.url && o.prometheus.empty();
        std::string metricsToken;
        if (!o.prometheusTokenFile.empty()) {
            metricsToken = readTokenFile("--prometheus-token-file", o.prometheusTokenFile);
            cluster::checkBearerToken(metricsToken, "--prometheus-token-file");
        }
        cluster::RemoteClusterOptions options;
        options.ns = o.ns;
        options.deployment = o.deployment;
        if (!o.prometheus.empty()) {
            cluster::PrometheusQueries queries = cluster::PrometheusQueries::forServe();
            for (const auto &[key, promql] : o.queries)
                *queries.find(key) = promql;
            const std::map<std::string, std::string> values {
                {"namespace", o.ns}, {"deployment", o.deployment}, {"window", o.prometheusWindow}};
            for (const std::string &key : cluster::PrometheusQueries::keys()) {
                std::string &q = *queries.find(key);
                q = cluster::expandQuery(q, values);
            }
            options.prometheus = queries;
        }
        o.cluster.applyTo(options.config);
        env.cluster = options.config;
        if (o.controller.rfind("predictive", 0) == 0 || o.controller == "predictive") {
            const std::string path = o.model.empty() ? io::defaultModelPath() : o.model;
            env.model = std::make_shared<const forecast::Forecaster>(
                forecast::Forecaster::load(io::resolveDataPath(path, io::DataKind::Model)));
        }
        remote = std::make_unique<cluster::RemoteCluster>(options,
            cluster::HttpClient(access.server, access.token, access.tls),
            sameServer ? cluster::HttpClient(metrics, access.token, access.tls) : cluster::HttpClient(metrics, metricsToken));
    } catch (const InputError &e) {
        err << "headroom-cli control: " << e.what() << "\n";
        return 2;
    }

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    // The first reading: the Deployment must be there before any controller is built.
    // Tried for 5 s of wall clock (a request waits up to 5 s itself).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!g_stop) {
        remote->poll();
        // Try again only while nothing answers (a server still starting); a refusal stays one.
        if (remote->hasReading() || !remote->lastErrorTransient()
            || std::chrono::steady_clock::now() >= deadline)
            break;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!remote->hasReading()) {
        err << "headroom-cli control: cannot read the cluster: " << remote->lastError() << "\n";
        return 1;
    }
    env.initialReplicas = remote->desiredReplicas();
    std::string unavailable;
    std::unique_ptr<control::Controller> ctl = control::makeController(o.controller, env, unavailable);
    if (!ctl) {
        err << "headroom-cli control: " << o.controller << " cannot run: " << unavailable << "\n";
        return 1;
    }
    out << "controlling deployment " << o.ns << "/" << o.deployment << " at " << o.server << " with "
        << o.controller << " (" << remote->desiredReplicas() << " replicas at " << remote->nowS()
        << " s)\n"
        << std::flush;

    // What was recorded is written however the run ends.
    const auto record = [&]() {
        if (o.out.empty())
            return true;
        try {
            std::filesystem::create_directories(o.out);
            const std::string path = (std::filesystem::path(o.out) / "timeseries.csv").string();
            io::writeTimeseriesCsv({{o.controller, &remote->samples()}}, path);
            out << "wrote " << path << " (" << remote->samples().size() << " s)\n";
            return true;
        } catch (const std::exception &e) {
            err << "headroom-cli control: cannot write the run to " << o.out << ": " << e.what() << "\n";
            return false;
        }
    };
    const double startS = remote->nowS();
    std::vector<metrics::LaneEvent> events;
    std::size_t printed = 0;
    int scaled = 0;
    int failedScales = 0;
    while (!g_stop) {
        std::vector<double> seconds;
        try {
            seconds = remote->poll();
        } catch (const std::runtime_error &e) {
            err << "headroom-cli control: " << e.what() << "\n";
            record();
            return 1;
        }
        for (const double t : seconds) {
            const std::vector<metrics::LaneSample> &samples = remote->samples();
            if (!samples.back().noData || ctl->decidesInHoles()) {
                const control::ControlContext context {t, *remote, samples, nullptr};
                if (const auto replicas = ctl->onSecond(context, events)) {
                    try {
                        remote->scale(*replicas);
                        ++scaled;
                    } catch (const std::exception &e) {
                        ++failedScales;
                        events.push_back({t, "condition", std::string("scale refused: ") + e.what()});
                    }
                }
                ctl->annotate(remote->latestSample());
            }
            for (; printed < events.size(); ++printed) {
                out << std::setw(6) << std::lround(events[printed].tS) << " s  " << events[printed].text << "\n";
            }
            out << std::flush;
            if (o.duration && t - startS >= *o.duration)
                g_stop = true;
        }
        if (remote->secondsUnreachable() > 10.0) {
            err << "headroom-cli control: no reading of the cluster for 10 s: " << remote->lastError() << "\n";
            record();
            return 1;
        }
        if (remote->secondsFrozen() > 10.0) {
            err << "headroom-cli control: the cluster's clock has stood at " << remote->nowS()
                << " s for 10 s while it answers: nothing to control\n";
            record();
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    out << "stopped at " << std::lround(remote->nowS()) << " s after " << std::lround(remote->nowS() - startS) << " s: "
        << scaled << (scaled == 1 ? " scale change" : " scale changes") << (failedScales ? ", " + std::to_string(failedScales) + " refused" : "")
        << "\n";
    return record() ? 0 : 1;
}
