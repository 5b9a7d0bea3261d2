#pragma once

#include "metrics/lanesample.h"
#include "metrics/latencyhistogram.h"
#include "sim/clusterconfig.h"
#include "sim/clusterview.h"
#include "traffic/arrival.h"

#include <array>
#include <cstdint>
#include <deque>
#include <optional>
#include <random>
#include <vector>

namespace headroom::sim {

// A request waiting for a slot, at the router or in a pod's own queue.
struct QueuedRequest
{
    double arrivalS = 0.0;
    double serviceS = 0.0;
    std::uint32_t tag = 0; // 0: a request of the source's; else one whose end is reported
    // To 32 bytes: a power of two keeps std::deque::size() a shift, and the router reads
    // every pod's queue size for each request (24 bytes made the simulator 14 % slower).
    std::uint32_t padding[3] = {};
};
static_assert(sizeof(QueuedRequest) == 32);

// How a tagged request (Cluster::arriveTagged) ended, as its client saw it.
struct TaggedOutcome
{
    enum class Kind { Completed, Rejected, TimedOut };
    std::uint32_t tag = 0;
    Kind kind = Kind::Completed;
    double arrivalS = 0.0;
    double endS = 0.0;       // answered, rejected, or found past the client timeout
    double queueWaitS = 0.0; // until a slot took it; for one never served, until endS
    double serviceS = 0.0;   // its service time (drawn or given), served or not
    int podId = 0;           // the pod that served it; 0: none
};

// A pod's life: scheduled (Pending), pulling and loading (Starting), serving
// (Ready), draining after removal (Terminating), then gone. A Ready pod whose
// readiness probe fails stops receiving requests but works off its own queue.
struct Pod
{
    enum class Phase { Pending, Starting, Ready, Terminating };
    int id = 0;
    Phase phase = Phase::Pending;
    double createdS = 0.0;     // counted for cost from here
    double startedS = 0.0;     // the kubelet's start time (end of Pending)
    double readyS = 0.0;       // when it became (or becomes) Ready
    double phaseEndS = 0.0;    // end of Pending or Starting
    int busy = 0;              // requests in service
    double busySlotSeconds = 0.0;
    double lastChangeS = 0.0;
    double busyAtSample = 0.0; // busySlotSeconds at the last per-second sample
    bool probeFailing = false;
    double readyTransitionS = 0.0; // last change of the Ready condition
    std::deque<QueuedRequest> queue; // the pod's own FIFO queue beyond its slots

    bool serving() const { return phase == Phase::Ready && !probeFailing; }
    bool unready() const { return phase == Phase::Ready && probeFailing; }
    bool starting() const { return phase == Phase::Pending || phase == Phase::Starting; }
};

// One lane's cluster: the router, its queue and the pods, simulated request by
// request. The owner feeds arrivals in time order and advances time in steps.
class Cluster : public ClusterView
{
public:
    Cluster(const ClusterConfig &config, std::uint64_t seed, int initialReplicas);

    // Processes `arrivals` (sorted, all in [now, untilS)) and every internal
    // event up to untilS.
    void advance(const traffic::Arrival *begin, const traffic::Arrival *end, double untilS);
    // Closes the second ending at nowS() and returns its sample.
    metrics::LaneSample takeSample();

    // The controller's action: the scale's spec.replicas.
    void setDesiredReplicas(int replicas);
    int desiredReplicas() const override { return m_desired; }

    double nowS() const override { return m_now; }
    const ClusterConfig &config() const override { return m_config; }
    const std::vector<Pod> &pods() const override { return m_pods; }
    // Requests waiting for a slot: at the router and in the pods' own queues.
    int queueLength() const override;
    // CPU a pod has used since creation, in core-seconds (cAdvisor's counter).
    double cumulativeCpuCoreSeconds(const Pod &pod) const override;
    // Mean observed service time (latency minus queue wait) of recent completions.
    double observedServiceS() const override { return m_observedServiceS; }

    // Requests neither finished nor dropped yet (queued or in service).
    long long inFlight() const;
    // One request arriving at nowS() with its own service time, otherwise like the source's
    // (same router, queues, timeouts and counters). Its end is recorded for
    // takeTaggedOutcomes(); `tag` is the owner's (not 0). The owner keeps arrivals in time
    // order: advance() to nowS() first.
    void arriveTagged(double serviceS, std::uint32_t tag);
    // The tagged requests that ended since the last call, in the order they ended.
    std::vector<TaggedOutcome> takeTaggedOutcomes();
    // A tagged request in service now, as its outcome would read were it to end now: the pod
    // serving it, its wait for the slot and its service time; none while it waits or once over.
    std::optional<TaggedOutcome> taggedInService(std::uint32_t tag) const;
    // When the next request in service completes; infinity when none is.
    double nextCompletionS() const;

    // Ends the run at nowS(): cost stops counting, and every request still
    // queued or in service runs to completion or timeout, so that each request
    // ends completed, dropped or rejected.
    void finish();

    metrics::LaneSummary summary() const;
    // Every completed request's latency since the run began.
    const metrics::LatencyHistogram &runLatency() const { return m_runLatency; }
    // The service seconds of the requests runLatency() counts (each its own, without its wait).
    double runServiceSeconds() const { return m_runServiceS; }

private:
    using Request = QueuedRequest;
    struct Completion
    {
        double atS;
        int podId;
        double arrivalS;
        double serviceS;
        bool operator>(const Completion &o) const { return atS > o.atS; }
    };

    void processUntil(double t);
    void runPhaseChanges(double t);
    void arrive(const Request &request);
    void complete(const Completion &c);
    bool dispatch(const Request &request);
    void start(Pod &pod, const Request &request);
    void startQueued(Pod &pod);
    bool expired(const Request &request) const;
    void probeReadiness();
    void removeIfDrained(Pod &pod);
    void drainQueue();
    void expireQueue();
    Pod *findPod(int id);
    Pod *leastLoadedServingPod();
    void touch(Pod &pod);
    void addPod(bool warm);
    void removePods(int count);
    void removePod(std::size_t index);
    void recordLatency(double latencyS);
    void recordDrop();
    // Kept off the hot path: only tagged requests (rare) come here.
    [[gnu::cold, gnu::noinline]] void reportTagged(const Request &request, TaggedOutcome::Kind kind,
                                                   double startS, int podId);
    [[gnu::cold, gnu::noinline]] void reportTaggedCompletion(const Completion &c, bool late);
    void changeInSystem(int delta);
    int livePodCount() const;
    double podSecondsSoFar() const;
    void updateNextPhaseChange();

    ClusterConfig m_config;
    std::mt19937_64 m_podRng;
    std::uniform_real_distribution<double> m_jitter;
    double m_now = 0.0;
    int m_desired = 0;
    int m_nextPodId = 1;
    std::vector<Pod> m_pods;
    std::deque<Request> m_queue;
    // A min-heap on atS (std::push_heap with greater), kept as a vector so that
    // live summaries can look at the requests in service.
    std::vector<Completion> m_completions;
    double m_observedServiceS;
    double m_nextPhaseChangeS;

    // Per-second counters and the trailing 5 s latency window.
    long m_secArrivals = 0;
    long m_secCompleted = 0;
    long m_secDropped = 0;
    long m_secViolations = 0;       // late completions, timeouts and rejections
    int m_inSystem = 0;             // queued plus in service
    double m_inSystemIntegral = 0.0; // request-seconds since the last sample
    double m_inSystemSinceS = 0.0;
    std::array<metrics::LatencyHistogram, 5> m_window;
    int m_windowSlot = 0;

    // Run totals.
    long long m_requests = 0;
    long long m_completed = 0;
    long long m_dropped = 0;
    long long m_lateCompletions = 0;
    long long m_violationSeconds = 0;
    metrics::LatencyHistogram m_runLatency;
    double m_runServiceS = 0.0;
    double m_podSecondsClosed = 0.0;
    int m_peakPods = 0;
    double m_podSecondsAtEnd = -1.0; // set by finish()
    std::vector<TaggedOutcome> m_taggedOutcomes; // not yet taken by the owner
    // Tagged requests in service, beside the completion heap (a tag in Completion made every
    // completion a little slower): a completion is theirs when pod, end, arrival and service
    // time all match.
    struct TaggedInService
    {
        int podId;
        double atS;
        Request request;
    };
    std::vector<TaggedInService> m_taggedInService;
};

} // namespace headroom::sim
