#include "controlcommand.h"

#include "cliargs.h"
#include "runcommand.h"

#include "cluster/kubeconfig.h"
#include "cluster/remotelane.h"
#include "control/controllerfactory.h"
#include "forecast/forecaster.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "io/runwriter.h"
#include "traffic/jsonfields.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <cmath>
#include <filesystem>
#include <iomanip>
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
kubeconfig's current context (or --context; --kubeconfig FILE, else the files of
$KUBECONFIG merged as kubectl merges them, else ~/.kube/config; a user's exec
credential plugin runs as kubectl runs it), --server URL (http or https), or a pod's
service account with --in-cluster. Every second it reads the Deployment, its pods
and the router's metrics (--metrics URL: an address's /metrics, or a URL with a
path read as it is; default the API server's own /metrics, as headroom-cli serve has
them; or --prometheus URL, a Prometheus server's HTTP API
asked one PromQL query per reading: rate, completed, dropped, violations, latency,
service-time, concurrency, queue and cpu, each replaced with --query KEY=PROMQL,
where $namespace, $deployment, $window and latency's $quantile are filled in;
--query KEY= asks nothing for KEY), and scales the Deployment through its scale
subresource. On headroom-cli serve it follows the server's simulated clock. Every
decision is printed; it stops after --duration seconds (of that clock) or on Ctrl-C.
With --out DIR it writes the run's seconds to DIR/timeseries.csv (run's columns),
whenever and however it stops. See docs/serve.md.
)";

std::atomic<bool> g_stop {false};

extern "C" void onSignal(int)
{
    g_stop = true;
}

struct ControlOptions
{
    cluster::RemoteTarget target;
    std::string controller = "predictive";
    std::optional<double> duration;
    std::string model;
    std::string out;
    bool replacesEarlier = false; // --out holds an earlier timeseries.csv, replaced
    ClusterOverrides cluster;
};

ControlOptions parseControlOptions(const std::vector<std::string> &written)
{
    OptionReader options(written, {"--query"});
    ControlOptions o;
    std::vector<std::string> given;
    while (options.next()) {
        const std::string &a = options.option();
        given.push_back(a);
        if (a == "--in-cluster")
            cluster::readTargetOption(o.target, a, {});
        else if (std::find(cluster::targetOptions().begin(), cluster::targetOptions().end(), a)
                 != cluster::targetOptions().end())
            cluster::readTargetOption(o.target, a, options.value());
        else if (a == "--controller")
            o.controller = nonEmpty(a, options.value());
        else if (a == "--out")
            o.out = nonEmpty(a, options.value());
        else if (a == "--duration")
            o.duration = parseDuration(a, options.value());
        else if (a == "--model")
            o.model = nonEmpty(a, options.value());
        else if (a == "--preset" || a == "--max-replicas")
            o.cluster.read(a, options.value());
        else
            throw badOption(a, "unknown option (see headroom-cli control --help)");
    }
    if (std::error_code ec; !o.out.empty() && std::filesystem::exists(o.out, ec)
        && !std::filesystem::is_directory(o.out, ec))
        throw badOption("--out", o.out + ": not a folder (a file has that name)");
    // control writes timeseries.csv alone: it replaces an earlier control's, but not the user's
    // own file of that name, and it writes into no folder holding anything else (a run's
    // folder would keep a summary and charts of another run beside it).
    if (std::error_code ec; !o.out.empty() && std::filesystem::is_directory(o.out, ec)) {
        for (const auto &entry : std::filesystem::directory_iterator(o.out, ec)) {
            const std::string name = entry.path().filename().string();
            if (name == "timeseries.csv" && isEarlierRunFile(entry.path())) {
                o.replacesEarlier = true;
                continue;
            }
            throw badOption("--out", o.out + ": already holds " + name
                    + (name == "timeseries.csv" ? ", which Headroom did not write"
                                                : ", which control does not write")
                    + ": give a new or empty folder (or one with an earlier control's "
                      "timeseries.csv alone, which is replaced)");
        }
    }
    cluster::checkTarget(o.target, given);
    cluster::checkTargetFor(o.target, o.controller);
    cluster::checkRemoteController("--controller", o.controller, false);
    return o;
}

} // namespace

int runControlCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (asksForHelp(args)) {
        out << kUsage;
        return 0;
    }
    ControlOptions o;
    std::unique_ptr<cluster::RemoteCluster> remote;
    control::ControllerEnvironment env;
    try {
        o = parseControlOptions(args);
        o.cluster.applyTo(env.cluster);
        if (o.controller.rfind("predictive", 0) == 0) {
            const std::string path = o.model.empty() ? io::defaultModelPath() : o.model;
            env.model = std::make_shared<const forecast::Forecaster>(
                forecast::Forecaster::load(io::resolveDataPath(path, io::DataKind::Model)));
        }
        remote = cluster::openRemoteCluster(o.target, env.cluster);
    } catch (const InputError &e) {
        err << "headroom-cli control: " << e.what() << "\n";
        return 2;
    }

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    std::unique_ptr<cluster::RemoteLane> lane;
    try {
        lane = cluster::startRemoteLane(std::move(remote), o.controller, env, &g_stop);
    } catch (const std::runtime_error &e) {
        err << "headroom-cli control: " << e.what() << "\n";
        return 1;
    }
    if (o.replacesEarlier)
        err << "note: replacing the earlier timeseries.csv in " << o.out << "\n";
    out << "controlling " << o.target.describe() << " with " << o.controller << " ("
        << traffic::counted(lane->cluster().desiredReplicas(), "replica") << " at " << lane->cluster().nowS() << " s)\n"
        << std::flush;

    // What was recorded is written however the run ends. A run ended by a cluster that
    // stopped answering (`failed`) ends at its last second read: the seconds after it are
    // no data by control's own clock, not the cluster's (at 100x, a served cluster that had
    // ended at 600 s was written to 1601 s), as the dashboard's live batch export trims them.
    // Seconds of no data within the run (a pause, a blip) stay.
    const auto record = [&](bool failed = false) {
        if (o.out.empty())
            return true;
        try {
            std::filesystem::create_directories(o.out);
            const std::string path = (std::filesystem::path(o.out) / "timeseries.csv").string();
            std::vector<metrics::LaneSample> samples = lane->samples();
            std::size_t trimmed = 0;
            while (failed && !samples.empty() && samples.back().noData) {
                samples.pop_back();
                ++trimmed;
            }
            io::writeTimeseriesCsv({{o.controller, &samples}}, path);
            out << "wrote " << path << " (" << samples.size() << " s"
                << (trimmed ? "; the " + std::to_string(trimmed) + " s of no data after the last reading left out"
                            : std::string())
                << ")\n";
            return true;
        } catch (const std::exception &e) {
            err << "headroom-cli control: cannot write the run to " << o.out << ": " << e.what() << "\n";
            return false;
        }
    };
    const double startS = lane->cluster().nowS();
    std::size_t printed = 0;
    while (!g_stop) {
        std::vector<double> seconds;
        try {
            seconds = lane->step();
        } catch (const std::runtime_error &e) {
            err << "headroom-cli control: " << e.what() << "\n";
            record(true);
            return 1;
        }
        for (; printed < lane->events().size(); ++printed) {
            const metrics::LaneEvent &event = lane->events()[printed];
            out << std::setw(6) << std::lround(event.tS) << " s  " << event.text << "\n";
        }
        out << std::flush;
        if (!seconds.empty() && o.duration && seconds.back() - startS >= *o.duration)
            g_stop = true;
        const cluster::RemoteCluster &remote = lane->cluster();
        if (remote.secondsUnreachable() > 10.0) {
            err << "headroom-cli control: no reading of the cluster for 10 s: " << remote.lastError() << "\n";
            record(true);
            return 1;
        }
        if (remote.secondsFrozen() > 10.0) {
            err << "headroom-cli control: the cluster's clock has stood at " << remote.nowS()
                << " s for 10 s while it answers: nothing to control\n";
            record(true);
            return 1;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    const int scaled = lane->scaleChanges();
    const int failedScales = lane->refusedScales();
    out << "stopped at " << std::lround(lane->cluster().nowS()) << " s after "
        << std::lround(lane->cluster().nowS() - startS) << " s: " << scaled
        << (scaled == 1 ? " scale change" : " scale changes")
        << (failedScales ? ", " + std::to_string(failedScales) + " refused" : "") << "\n";
    return record() ? 0 : 1;
}
