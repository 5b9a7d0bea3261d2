#pragma once

#include "cluster/remotecluster.h"
#include "control/controller.h"
#include "control/controllerfactory.h"
#include "metrics/lanesample.h"

#include <atomic>
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace headroom::forecast {
class Forecaster;
}

namespace headroom::cluster {

// Where a cluster is and how its metrics are read, as `headroom-cli control` and the
// dashboard's --server take it (docs/serve.md).
struct RemoteTarget
{
    std::string server;     // http[s]://HOST:PORT; empty: the kubeconfig's
    std::string kubeconfig; // this one file; empty: $KUBECONFIG's files merged, else ~/.kube/config
    std::string context;    // empty: its current-context
    bool inCluster = false; // the pod's service account
    std::string tokenFile;
    std::string ns = "default";
    bool namespaceGiven = false; // else the context's namespace, when it names one
    std::string deployment = "inference";
    std::string metrics;    // the exposition's server; empty: the API server
    std::string prometheus; // a Prometheus server's URL, instead of an exposition
    std::string prometheusWindow = "30s";
    std::string prometheusTokenFile;
    std::vector<std::pair<std::string, std::string>> queries; // KEY=PROMQL overrides

    // "deployment default/inference at http://127.0.0.1:8080"; the server once opened.
    std::string describe() const;
};

// The options that say where a cluster is and how its metrics are read, as control and the
// dashboard take them: --server, --kubeconfig, --context, --in-cluster (no value),
// --token-file, --namespace, --deployment, --metrics, --prometheus, --prometheus-window,
// --prometheus-token-file and --query KEY=PROMQL (repeated).
const std::vector<std::string> &targetOptions();
// Reads one of them into `target` (`value` is its value); throws InputError naming the
// option when the value is not one it takes. False for another option.
bool readTargetOption(RemoteTarget &target, const std::string &option, const std::string &value);
// What no single option shows: --in-cluster beside --server, --metrics beside --prometheus,
// --query without --prometheus. `given`: the options given.
void checkTarget(const RemoteTarget &target, const std::vector<std::string> &given);

// A controller a remote cluster can have: predictive, hpa, kpa, linear or holt-winters (and
// `watch`, none, where `watchAllowed`). clairvoyant needs the simulator's future. Throws
// InputError naming the command line's `option` otherwise.
void checkRemoteController(const std::string &option, const std::string &name, bool watchAllowed);

// What `controller` cannot run without, asked of the Prometheus queries: the HPA reads the
// pods' CPU, the KPA the concurrency. Throws InputError naming --query when its query is
// emptied. Says (a warning) when the latency query has no $quantile.
void checkTargetFor(const RemoteTarget &target, const std::string &controller);

// Finds the cluster as kubectl does and sets up its readers: `target.server` and `.ns` are
// filled in from the kubeconfig or the pod. Throws InputError naming the option, file or
// field (nothing is asked of the cluster yet).
std::unique_ptr<RemoteCluster> openRemoteCluster(RemoteTarget &target, const sim::ClusterConfig &config);

// The first reading: tried for `patience` of wall clock while nothing answers (a server
// still starting) and `stop` is not set; a refusal ends it at once. False with the
// cluster's lastError() when no reading worked.
bool readFirstTime(RemoteCluster &cluster, std::chrono::milliseconds patience = std::chrono::seconds(5),
                   const std::atomic<bool> *stop = nullptr);

class RemoteLane;

// The lane of `controller` (`watch`: none) on `cluster`, once it has been read: the first
// reading (readFirstTime), then the controller built from `env` with the cluster's replicas.
// Throws std::runtime_error saying why not ("cannot read the cluster: ...", "hpa cannot run: ...").
std::unique_ptr<RemoteLane> startRemoteLane(std::unique_ptr<RemoteCluster> cluster, const std::string &controller,
                                            control::ControllerEnvironment env,
                                            const std::atomic<bool> *stop = nullptr);

// One controller scaling a remote cluster, and what it recorded: the remote counterpart of
// a simulated lane (sim::Lane), for `headroom-cli control` and the dashboard's live lane.
// A null controller only watches (the cluster's own autoscaler, if any, scales it).
class RemoteLane
{
public:
    RemoteLane(std::string name, std::unique_ptr<RemoteCluster> cluster, std::unique_ptr<control::Controller> ctl);

    // Reads the cluster; for each whole second its clock passed, the controller decides and
    // a new replica count is patched. Returns those seconds. Throws std::runtime_error when
    // the cluster's clock goes back or jumps (RemoteCluster::poll()).
    std::vector<double> step();

    const std::string &name() const { return m_name; }
    RemoteCluster &cluster() { return *m_cluster; }
    const RemoteCluster &cluster() const { return *m_cluster; }
    const std::vector<metrics::LaneSample> &samples() const { return m_cluster->samples(); }
    const std::vector<metrics::LaneEvent> &events() const { return m_events; }
    // Totals over the seconds read: requests, completions, drops and violations summed from
    // the seconds' rates; pod-seconds and peak from the pods counted each second (Ready,
    // starting or failing readiness); latency quantiles from the exposition's histogram since
    // the first reading (none from Prometheus queries, none for the maximum).
    metrics::LaneSummary summary() const;
    std::optional<metrics::ForecastCurve> forecastCurve() const;
    int scaleChanges() const { return m_scaled; }
    int refusedScales() const { return m_refused; }

private:
    // Events for an HPA on the same Deployment: its desired replicas and what it reads as
    // they change (what scales a watched cluster), and a warning when we scale it too.
    void reportHpa(double tS);

    std::string m_name;
    std::unique_ptr<RemoteCluster> m_cluster;
    std::unique_ptr<control::Controller> m_ctl;
    std::vector<metrics::LaneEvent> m_events;
    metrics::ForecastScorer m_scorer;
    std::optional<HpaStatus> m_hpaSeen; // the HPA as last reported in the events
    bool m_hpaProblemSaid = false;
    bool m_inHole = false; // the last second had no data
    int m_lastDesired = -1; // spec.replicas as last read or set by us
    int m_scaled = 0;
    int m_refused = 0;
};

} // namespace headroom::cluster
