#pragma once

#include "sim/cluster.h"
#include "traffic/arrival.h"

#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace headroom::control {
class HpaController;
}

namespace headroom::traffic {
class ArrivalSource;
class ServiceTimes;
}

namespace headroom::cluster {

// The most tokens (prompt or output) an inference request to serve may carry.
inline constexpr long long kMaxInferenceTokens = 1'000'000;

// One HTTP exchange, as the API sees it (the socket is the server's business).
struct HttpRequest
{
    std::string method; // "GET", "PUT", "PATCH", ...
    std::string target; // path and query, e.g. "/api/v1/namespaces/default/pods?limit=500"
    std::string contentType;
    std::string accept;
    std::string body;
};

struct HttpResponse
{
    int status = 200;
    std::string contentType = "application/json";
    std::string body;
    // A 405's Allow header: the methods the path takes ("GET, HEAD"); empty otherwise.
    std::string allow;
};

struct SimulatedClusterOptions
{
    std::string ns = "default";
    std::string deployment = "inference";
    // Wall-clock time (Unix seconds) of simulated second 0, and simulated seconds per wall
    // second: the objects' timestamps are wall-clock times, as a real API server's are.
    double epochUnixS = 0.0;
    double speed = 1.0;
    // The cluster runs its own HPA on the Deployment (Headroom's, as the hpa lane has it,
    // from the cluster's settings), served as autoscaling/v2 HorizontalPodAutoscaler `NAME-hpa`.
    bool hpa = false;
};

// A simulated cluster behind the subset of the Kubernetes API that autoscalers and kubectl
// use for one Deployment: discovery, the Deployment, its Pods and its `scale` subresource
// (read, replaced or patched: this is how an external controller scales it), plus a
// Prometheus exposition of the service's metrics at /metrics. The load comes from a
// scenario's or trace's arrivals (none when `arrivals` is null) and from inference requests
// submitted one by one (submitInference); time moves only when the owner calls advanceTo(), so the
// API is the same whether a server drives it in real time or a test steps it.
class SimulatedCluster
{
public:
    SimulatedCluster(SimulatedClusterOptions options, const sim::ClusterConfig &config,
                     std::uint64_t seed, std::unique_ptr<traffic::ArrivalSource> arrivals,
                     int initialReplicas, double durationS);
    ~SimulatedCluster();

    // Simulates up to min(tS, durationS()): the source's arrivals, the pods' lives, and a
    // sample at each whole second.
    void advanceTo(double tS);
    double nowS() const { return m_cluster.nowS(); }
    double durationS() const { return m_durationS; }
    bool finished() const { return nowS() >= m_durationS; }

    HttpResponse handle(const HttpRequest &request);

    // An inference request (POST /v1/infer, docs/serve.md) joining the cluster at nowS() as
    // one more arrival: its body ({} or {"prompt_tokens": N, "output_tokens": N}) read, its
    // service time computed from the tokens or drawn as the source's are. Returns its tag,
    // or the answer (400, or 503 once the run is over) for one that does not join.
    std::variant<std::uint32_t, HttpResponse> submitInference(const std::string &body);
    // The inference requests that ended since the last call, with their answers: 200 when
    // served, 503 when the router rejected it, 504 once it has waited past the client
    // timeout (when the cluster has not served it by then). After the run's end every one
    // still waiting is answered 503.
    std::vector<std::pair<std::uint32_t, HttpResponse>> takeInferenceAnswers();
    // Simulated time of the next event that may end a waiting inference request (a
    // completion in the cluster, a client timeout); infinity when none waits.
    double nextInferenceEventS() const;
    long long inferenceRequests() const { return m_inferenceRequests; }

    const sim::Cluster &cluster() const { return m_cluster; }
    // The per-second samples so far.
    const std::vector<metrics::LaneSample> &samples() const { return m_samples; }
    // Replica changes the cluster's own HPA made (options.hpa).
    int hpaScaleChanges() const { return m_hpaScales; }
    // Replica changes made through the API, in order: (simulated time, replicas).
    const std::vector<std::pair<double, int>> &scaleHistory() const { return m_scaleHistory; }

private:
    HttpResponse route(const HttpRequest &request, const std::string &path);
    HttpResponse scale(const HttpRequest &request);
    HttpResponse setReplicas(long long replicas, const std::string &field, bool dryRun);
    std::string metricsText() const;
    HttpResponse inferenceAnswer(const sim::TaggedOutcome &outcome) const;

    SimulatedClusterOptions m_options;
    sim::Cluster m_cluster;
    std::unique_ptr<traffic::ArrivalSource> m_arrivals;
    double m_durationS;
    double m_generatedToS = 0.0;
    std::vector<traffic::Arrival> m_pending; // drawn, not yet fed to the cluster
    std::vector<metrics::LaneSample> m_samples;
    std::vector<std::pair<double, int>> m_scaleHistory;
    double m_concurrencySeconds = 0.0; // request-seconds in the system, whole seconds so far
    long long m_generation = 1;
    long long m_resourceVersion = 1;
    // Inference requests: the next tag, the arrival time of each one waiting for its answer,
    // and the draws of their service times (their own stream: the source's stays as it is).
    std::uint32_t m_nextTag = 1;
    std::map<std::uint32_t, double> m_inferenceWaiting;
    HttpResponse hpaRoute(const HttpRequest &request, const std::vector<std::string> &path);
    std::unique_ptr<control::HpaController> m_hpa; // options.hpa: the cluster's own HPA
    std::vector<metrics::LaneEvent> m_hpaEvents;
    int m_hpaScales = 0;
    std::mt19937_64 m_inferenceRng;
    std::unique_ptr<traffic::ServiceTimes> m_serviceTimes;
    long long m_inferenceRequests = 0;
};

} // namespace headroom::cluster
