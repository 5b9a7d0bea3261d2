#pragma once

#include "cluster/exposition.h"
#include "cluster/httpclient.h"
#include "cluster/prometheus.h"
#include "metrics/lanesample.h"
#include "sim/cluster.h"
#include "sim/clusterview.h"

#include <array>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace headroom::cluster {

struct RemoteClusterOptions
{
    std::string ns = "default";
    std::string deployment = "inference";
    // What the controller assumes of the service (slots a pod serves at once, the SLO, the
    // replica bounds, the CPU request, a first guess of the pod start): a real cluster does
    // not publish these, so they come from the command line (its preset).
    sim::ClusterConfig config;
    // Set: the metrics client is a Prometheus server, asked these queries (already expanded
    // for the namespace, deployment and window) once a reading, and time is the wall clock.
    // Unset: it serves a Prometheus exposition in serve's names at /metrics.
    std::optional<PrometheusQueries> prometheus;
    // With prometheus: its latency query with $window left in, asked every 10 s over the run
    // so far for the run's quantiles (runLatencyQuantilesMs()); empty: none asked.
    std::string runLatencyQuery;
    // What each client sends to prove who it is ("the token in FILE (--token-file)", "no
    // credentials ..."): a 401 answer says it, since a wrong and a missing token read alike.
    std::string apiCredentials;
    std::string metricsCredentials;
};

// An HorizontalPodAutoscaler that targets the Deployment, as its status says (autoscaling/v2).
struct HpaStatus
{
    std::string name;
    int minReplicas = 1;
    int maxReplicas = 0;
    int currentReplicas = 0;
    int desiredReplicas = 0;
    std::string metrics;    // "cpu 87% (target 50%)", from status.currentMetrics and spec.metrics
    std::string conditions; // the conditions that are not as they should be: "ScalingLimited: TooManyReplicas"
};

// A cluster read through its Kubernetes API (the Deployment and its pods) and its metrics,
// once a second, as the same ClusterView the simulated lanes give their controllers. The
// metrics are the router's Prometheus exposition (headroom-cli serve's /metrics names:
// docs/serve.md), or the answers of a Prometheus server to configurable queries. Time is the
// server's simulated clock when an exposition publishes one (headroom-cli serve, sped up or
// not), else the wall clock since the first reading.
class RemoteCluster : public sim::ClusterView
{
public:
    RemoteCluster(RemoteClusterOptions options, HttpClient api, HttpClient metrics);
    ~RemoteCluster() override;

    // Reads the Deployment, its pods and the metrics. Returns the whole seconds of the
    // clock that ended since the last call, each with its sample (appended to samples());
    // a second whose readings failed has noData set, and its failure is in lastError().
    // The first call only sets the baseline and returns none. Throws std::runtime_error when
    // the cluster's clock goes back (a simulator that started again).
    std::vector<double> poll();
    // The HPA that targets the Deployment, as of the last look (every 5 s of the clock);
    // none when there is none, the API has no autoscaling/v2 or may not be read.
    const std::optional<HpaStatus> &hpa() const { return m_hpa; }
    // Why HPAs cannot be read (HTTP 403: the Role lacks `list` on them), once; empty otherwise.
    const std::string &hpaProblem() const { return m_hpaProblem; }

    // After readings stopped for a while (a paused dashboard): the next reading that works is
    // a new baseline, and the seconds since the last one are seconds without data (no
    // controller acts on them), not its counts spread over them.
    void resumeAfterPause();
    // Patches the Deployment's scale subresource. Throws UnreachableError, or
    // std::runtime_error with the server's own message when it refuses.
    void scale(int replicas);

    const std::vector<metrics::LaneSample> &samples() const { return m_samples; }
    // The latency quantiles (p50, p95, p99, ms) of every request answered since the first
    // reading, from the exposition's histogram, or from a Prometheus server's latency query
    // over the run so far (asked every 10 s); NaN where none was counted.
    std::array<double, 3> runLatencyQuantilesMs() const;
    // One second's sample (an index into samples()), for the controller's own columns (its
    // forecast, its fallback).
    metrics::LaneSample &sampleAt(std::size_t i) { return m_samples.at(i); }
    // What the readings since the last call noticed that is no failure but changes how they
    // are read (the router's counters went down: it restarted), a line each; once.
    std::vector<std::string> takeNotes() { return std::exchange(m_notes, {}); }
    // The last reading's failure; empty when it worked.
    const std::string &lastError() const { return m_lastError; }
    // Whether a reading has worked yet.
    bool hasReading() const { return m_last != nullptr; }
    // Whether the last failed reading may succeed if tried again (nothing answered), rather
    // than being refused (TLS, an HTTP error status, a malformed answer).
    bool lastErrorTransient() const { return m_lastErrorTransient; }
    // The latency SLO the router publishes (headroom-cli serve's headroom_slo_latency_seconds,
    // which its violation counter counts against; through Prometheus, the slo query's answer,
    // asked every 10 s); none from a router that does not publish one, where the SLO is the
    // one the controller assumes.
    std::optional<double> publishedSloS() const { return m_publishedSloS; }
    // The mean service time measured so far: the router's published service seconds
    // (headroom_request_service_seconds) when it has them, else the mean latency of the
    // requests answered in the seconds nothing was queued (weighted by their count); none
    // until such a request.
    std::optional<double> measuredServiceS() const;
    // Wall-clock seconds since the last reading that worked (0 after one that did).
    double secondsUnreachable() const;
    // Wall-clock seconds that readings have worked while the cluster's clock stood still,
    // beyond one of its seconds (a simulator that stopped its clock).
    double secondsFrozen() const;

    // sim::ClusterView
    double nowS() const override { return m_nowS; }
    const sim::ClusterConfig &config() const override { return m_options.config; }
    int desiredReplicas() const override { return m_desired; }
    const std::vector<sim::Pod> &pods() const override { return m_pods; }
    int queueLength() const override { return m_queueLength; }
    double observedServiceS() const override { return m_observedServiceS; }
    double cumulativeCpuCoreSeconds(const sim::Pod &pod) const override;
    std::string podName(const sim::Pod &pod) const override;

private:
    struct Reading; // the counters at one instant
    bool read(Reading &reading);
    void readExposition(Reading &reading, const std::string &text, const std::string &url);
    void readPrometheus(Reading &reading);
    void readRunLatency(double wallS);
    void readSlo(const std::string &query, const std::string &url);
    // The SLO the router published (checked: above 0, at most an hour), used from now on.
    void usePublishedSlo(double slo, const std::string &source, const std::string &field);
    double clockOf(const std::string &timestamp) const;
    metrics::LaneSample sampleBetween(const Reading &from, const Reading &to, double tS) const;
    metrics::LaneSample unreadSample(double tS) const;
    void countAcrossRestarts(Reading &reading);
    // Adds the router's counters' totals of `from` (not the histogram's buckets or the
    // concurrency total) to `to`'s.
    static void addTotals(Reading &to, const Reading &from);

    RemoteClusterOptions m_options;
    HttpClient m_api;
    HttpClient m_metrics;
    double m_nowS = 0.0;
    int m_desired = 0;
    std::vector<sim::Pod> m_pods;
    std::map<std::string, int> m_podIds; // name -> id, in the order first seen
    std::map<int, std::string> m_podNames;
    std::map<std::string, bool> m_everReady;
    std::map<std::string, double> m_cpu; // pod name -> core-seconds
    double m_cpuWallS = -1.0;            // Prometheus: when m_cpu was last integrated
    std::optional<PrometheusApi> m_prometheus;
    std::set<std::string> m_emptyQueries; // queries that matched nothing, warned of once
    int m_queueLength = 0;
    double m_observedServiceS;
    double m_quietLatencySum = 0.0;   // measuredServiceS(): seconds of latency, and
    double m_quietCompleted = 0.0;    // the requests they were measured over
    std::optional<double> m_publishedSloS;
    std::array<double, 3> m_runLatencyS; // Prometheus: the run's quantiles as last asked
    double m_runLatencyWallS = -1.0;     // when they were asked
    bool m_runLatencyWarned = false;     // a failure to ask them was logged
    bool m_sloWarned = false;            // a failure to read the SLO was logged
    std::vector<metrics::LaneSample> m_samples;
    std::deque<std::unique_ptr<Reading>> m_readings; // one per whole second, the last 6
    std::unique_ptr<Reading> m_last;
    std::unique_ptr<Reading> m_first; // the first reading that worked
    std::string m_lastError;
    bool m_lastErrorTransient = false;
    double m_wallStartS = -1.0; // Unix time of the first reading (the wall clock's zero)
    double m_lastGoodWallS = -1.0;
    double m_lastSecondWallS = -1.0; // when the clock last passed a whole second
    double m_epochUnixS = 0.0;  // the clock's zero, Unix seconds (for the objects' timestamps)
    double m_speed = 1.0;
    bool m_resync = false; // resumeAfterPause() was called
    // The router's counters as it last published them, and what its restarts took off them
    // (added back to every later reading, as Prometheus's increase() does): the readings'
    // counters never go down.
    std::unique_ptr<Reading> m_published;
    std::unique_ptr<Reading> m_restartBase;
    std::map<double, double> m_bucketBase; // the histogram's, by le
    // The exposition as read a second or more back: its counters' rise is checked against it
    // (readExposition).
    std::unique_ptr<Reading> m_rateBase;
    std::vector<std::string> m_notes;      // not yet taken by takeNotes()
    void readHpa();
    std::optional<HpaStatus> m_hpa;
    std::string m_hpaProblem;
    bool m_hpaReadable = true;    // no 404 or 403 yet
    double m_hpaReadAtS = -1e18;  // clock of the last look
};

} // namespace headroom::cluster
