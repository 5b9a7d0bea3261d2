#include "sim/cluster.h"

#include "logging.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace headroom::sim {

std::string ClusterView::podName(const Pod &pod) const
{
    return "pod-" + std::to_string(pod.id);
}

namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
// Warm pods at t = 0 started long before, outside the HPA's CPU initialization period.
constexpr double kWarmStartS = -600.0;
// Weight of each completion in the observed service-time average.
constexpr double kServiceEwma = 0.02;

double msOrNan(double seconds)
{
    return std::isnan(seconds) ? seconds : seconds * 1000.0;
}

} // namespace

Cluster::Cluster(const ClusterConfig &config, std::uint64_t seed, int initialReplicas)
    : m_config(config)
    , m_podRng(seed ^ 0x9e3779b97f4a7c15ULL)
    , m_jitter(1.0 - config.podStartJitter, 1.0 + config.podStartJitter)
    , m_observedServiceS(config.serviceMeanS)
    , m_nextPhaseChangeS(kInfinity)
{
    m_desired = initialReplicas;
    for (int i = 0; i < initialReplicas; ++i)
        addPod(/*warm=*/true);
}

void Cluster::advance(const traffic::Arrival *begin, const traffic::Arrival *end, double untilS)
{
    for (const traffic::Arrival *a = begin; a != end; ++a) {
        processUntil(a->tS);
        m_now = std::max(m_now, a->tS);
        arrive({a->tS, a->serviceS});
    }
    processUntil(untilS);
    m_now = untilS;
}

void Cluster::processUntil(double t)
{
    for (;;) {
        const double nextCompletion = m_completions.empty() ? kInfinity : m_completions.front().atS;
        const double next = std::min(nextCompletion, m_nextPhaseChangeS);
        if (next > t || next == kInfinity)
            return;
        m_now = next;
        if (nextCompletion <= m_nextPhaseChangeS) {
            std::pop_heap(m_completions.begin(), m_completions.end(), std::greater<> {});
            const Completion c = m_completions.back();
            m_completions.pop_back();
            complete(c);
        } else {
            runPhaseChanges(next);
        }
    }
}

void Cluster::runPhaseChanges(double t)
{
    bool becameReady = false;
    for (Pod &pod : m_pods) {
        if (!pod.starting() || pod.phaseEndS > t)
            continue;
        if (pod.phase == Pod::Phase::Pending) {
            pod.phase = Pod::Phase::Starting;
            pod.startedS = pod.phaseEndS;
            pod.phaseEndS = pod.startedS + m_config.podStartingS * m_jitter(m_podRng);
            pod.readyS = pod.phaseEndS;
        } else {
            pod.phase = Pod::Phase::Ready;
            pod.readyTransitionS = t;
            pod.lastChangeS = t;
            becameReady = true;
            qCDebug(lcSim) << "pod" << pod.id << "ready at" << t;
        }
    }
    updateNextPhaseChange();
    if (becameReady)
        drainQueue();
}

void Cluster::arrive(const Request &request)
{
    ++m_requests;
    ++m_secArrivals;
    changeInSystem(+1);
    if (m_queue.empty() && dispatch(request))
        return;
    if (static_cast<int>(m_queue.size()) >= m_config.routerQueueCapacity) {
        changeInSystem(-1);
        recordDrop(); // rejected with a 503
        if (request.tag) [[unlikely]]
            reportTagged(request, TaggedOutcome::Kind::Rejected, m_now, 0);
        return;
    }
    m_queue.push_back(request);
}

void Cluster::arriveTagged(double serviceS, std::uint32_t tag)
{
    arrive({m_now, serviceS, tag});
}

void Cluster::reportTagged(const Request &request, TaggedOutcome::Kind kind, double startS, int podId)
{
    TaggedOutcome o;
    o.tag = request.tag;
    o.kind = kind;
    o.arrivalS = request.arrivalS;
    o.endS = m_now;
    o.queueWaitS = startS - request.arrivalS;
    o.serviceS = request.serviceS;
    o.podId = podId;
    m_taggedOutcomes.push_back(o);
}

void Cluster::reportTaggedCompletion(const Completion &c, bool late)
{
    for (auto it = m_taggedInService.begin(); it != m_taggedInService.end(); ++it) {
        if (it->podId == c.podId && it->atS == c.atS && it->request.arrivalS == c.arrivalS
            && it->request.serviceS == c.serviceS) {
            reportTagged(it->request, late ? TaggedOutcome::Kind::TimedOut : TaggedOutcome::Kind::Completed,
                c.atS - c.serviceS, c.podId);
            m_taggedInService.erase(it);
            return;
        }
    }
}

std::optional<TaggedOutcome> Cluster::taggedInService(std::uint32_t tag) const
{
    for (const TaggedInService &t : m_taggedInService) {
        if (t.request.tag != tag)
            continue;
        TaggedOutcome o;
        o.tag = tag;
        o.arrivalS = t.request.arrivalS;
        o.queueWaitS = std::max(0.0, t.atS - t.request.serviceS - t.request.arrivalS);
        o.serviceS = t.request.serviceS;
        o.podId = t.podId;
        return o;
    }
    return std::nullopt;
}

std::vector<TaggedOutcome> Cluster::takeTaggedOutcomes()
{
    std::vector<TaggedOutcome> taken;
    taken.swap(m_taggedOutcomes);
    return taken;
}

double Cluster::nextCompletionS() const
{
    return m_completions.empty() ? kInfinity : m_completions.front().atS;
}

void Cluster::complete(const Completion &c)
{
    Pod *pod = findPod(c.podId);
    if (pod) {
        touch(*pod);
        --pod->busy;
    }
    changeInSystem(-1);
    const double latency = m_now - c.arrivalS;
    const bool late = latency > m_config.clientTimeoutS;
    if (late) {
        recordDrop(); // the client gave up before the answer came
    } else {
        recordLatency(latency);
        m_runServiceS += c.serviceS;
        m_observedServiceS += kServiceEwma * (c.serviceS - m_observedServiceS);
    }
    if (!m_taggedInService.empty()) [[unlikely]]
        reportTaggedCompletion(c, late);
    if (pod) {
        startQueued(*pod);
        removeIfDrained(*pod);
    }
    drainQueue();
}

bool Cluster::dispatch(const Request &request)
{
    Pod *pod = leastLoadedServingPod();
    if (!pod)
        return false;
    if (pod->busy < m_config.podSlots)
        start(*pod, request);
    else
        pod->queue.push_back(request);
    return true;
}

void Cluster::start(Pod &pod, const Request &request)
{
    touch(pod);
    ++pod.busy;
    m_completions.push_back({m_now + request.serviceS, pod.id, request.arrivalS, request.serviceS});
    if (request.tag) [[unlikely]]
        m_taggedInService.push_back({pod.id, m_now + request.serviceS, request});
    std::push_heap(m_completions.begin(), m_completions.end(), std::greater<> {});
}

void Cluster::startQueued(Pod &pod)
{
    while (!pod.queue.empty() && pod.busy < m_config.podSlots) {
        const Request next = pod.queue.front();
        pod.queue.pop_front();
        if (expired(next)) {
            changeInSystem(-1);
            recordDrop();
            if (next.tag) [[unlikely]]
                reportTagged(next, TaggedOutcome::Kind::TimedOut, m_now, 0);
        } else {
            start(pod, next);
        }
    }
}

bool Cluster::expired(const Request &request) const
{
    return m_now - request.arrivalS > m_config.clientTimeoutS;
}

void Cluster::removeIfDrained(Pod &pod)
{
    if (pod.phase == Pod::Phase::Terminating && pod.busy == 0 && pod.queue.empty())
        removePod(static_cast<std::size_t>(&pod - m_pods.data()));
}

int Cluster::queueLength() const
{
    std::size_t n = m_queue.size();
    for (const Pod &pod : m_pods)
        n += pod.queue.size();
    return static_cast<int>(n);
}

void Cluster::probeReadiness()
{
    // A readiness probe on queueing delay: a pod whose oldest queued request
    // has waited too long leaves the endpoints until its queue catches up.
    if (m_config.readinessMaxQueueDelayS <= 0.0)
        return;
    bool recovered = false;
    for (Pod &pod : m_pods) {
        if (pod.phase != Pod::Phase::Ready)
            continue;
        const double delay = pod.queue.empty() ? 0.0 : m_now - pod.queue.front().arrivalS;
        const bool failing = delay > m_config.readinessMaxQueueDelayS;
        if (failing == pod.probeFailing)
            continue;
        pod.probeFailing = failing;
        pod.readyTransitionS = m_now;
        recovered = recovered || !failing;
        qCDebug(lcSim) << "pod" << pod.id << (failing ? "failed" : "passed") << "readiness at"
                       << m_now;
    }
    if (recovered)
        drainQueue();
}

void Cluster::drainQueue()
{
    while (!m_queue.empty()) {
        const Request front = m_queue.front();
        if (m_now - front.arrivalS > m_config.clientTimeoutS) {
            m_queue.pop_front();
            changeInSystem(-1);
            recordDrop();
            if (front.tag) [[unlikely]]
                reportTagged(front, TaggedOutcome::Kind::TimedOut, m_now, 0);
            continue;
        }
        if (!dispatch(front))
            return;
        m_queue.pop_front();
    }
}

void Cluster::expireQueue()
{
    auto expireFront = [this](std::deque<Request> &queue) {
        while (!queue.empty() && expired(queue.front())) {
            if (queue.front().tag) [[unlikely]]
                reportTagged(queue.front(), TaggedOutcome::Kind::TimedOut, m_now, 0);
            queue.pop_front();
            changeInSystem(-1);
            recordDrop();
        }
    };
    expireFront(m_queue);
    for (Pod &pod : m_pods)
        expireFront(pod.queue);
}

Pod *Cluster::findPod(int id)
{
    for (Pod &pod : m_pods) {
        if (pod.id == id)
            return &pod;
    }
    return nullptr;
}

Pod *Cluster::leastLoadedServingPod()
{
    Pod *best = nullptr;
    // Least outstanding among the pods that can take one more, in a slot or their own queue.
    auto outstanding = [](const Pod &p) { return p.busy + static_cast<int>(p.queue.size()); };
    for (Pod &pod : m_pods) {
        const bool room = pod.busy < m_config.podSlots
            || static_cast<int>(pod.queue.size()) < m_config.podQueueCapacity;
        if (pod.serving() && room && (!best || outstanding(pod) < outstanding(*best)))
            best = &pod;
    }
    return best;
}

void Cluster::touch(Pod &pod)
{
    pod.busySlotSeconds += pod.busy * (m_now - pod.lastChangeS);
    pod.lastChangeS = m_now;
}

void Cluster::addPod(bool warm)
{
    Pod pod;
    pod.id = m_nextPodId++;
    pod.createdS = m_now;
    pod.lastChangeS = m_now;
    if (warm) {
        pod.phase = Pod::Phase::Ready;
        pod.startedS = kWarmStartS;
        pod.readyS = kWarmStartS + m_config.podStartingS;
        pod.readyTransitionS = pod.readyS;
    } else {
        pod.phaseEndS = m_now + m_config.podPendingS * m_jitter(m_podRng);
        pod.startedS = pod.phaseEndS;
        pod.readyS = kInfinity;
        pod.readyTransitionS = pod.startedS;
    }
    m_pods.push_back(pod);
    m_peakPods = std::max(m_peakPods, livePodCount());
    updateNextPhaseChange();
}

void Cluster::setDesiredReplicas(int replicas)
{
    replicas = std::max(0, replicas);
    m_desired = replicas;
    const int live = livePodCount();
    for (int i = live; i < replicas; ++i)
        addPod(/*warm=*/false);
    if (replicas < live)
        removePods(live - replicas);
}

void Cluster::removePods(int count)
{
    // Like a ReplicaSet: pods not yet ready go first (newest first), then the
    // ready pods with the least work in flight.
    auto rank = [](const Pod &p) {
        const int phaseRank = p.phase == Pod::Phase::Pending ? 0 : p.starting() ? 1 : 2;
        return std::make_tuple(phaseRank, p.busy + static_cast<int>(p.queue.size()), -p.id);
    };
    for (int n = 0; n < count; ++n) {
        std::size_t victim = m_pods.size();
        for (std::size_t i = 0; i < m_pods.size(); ++i) {
            if (m_pods[i].phase == Pod::Phase::Terminating)
                continue;
            if (victim == m_pods.size() || rank(m_pods[i]) < rank(m_pods[victim]))
                victim = i;
        }
        if (victim == m_pods.size())
            return;
        Pod &pod = m_pods[victim];
        if (pod.phase == Pod::Phase::Ready && (pod.busy > 0 || !pod.queue.empty())) {
            touch(pod);
            pod.phase = Pod::Phase::Terminating; // drains its in-flight requests
        } else {
            removePod(victim);
        }
    }
    updateNextPhaseChange();
}

void Cluster::removePod(std::size_t index)
{
    m_podSecondsClosed += m_now - m_pods[index].createdS;
    m_pods.erase(m_pods.begin() + static_cast<long>(index));
}

void Cluster::recordLatency(double latencyS)
{
    ++m_completed;
    ++m_secCompleted;
    if (latencyS > m_config.sloLatencyS) {
        ++m_lateCompletions;
        ++m_secViolations;
    }
    m_window[m_windowSlot].add(latencyS);
    m_runLatency.add(latencyS);
}

void Cluster::changeInSystem(int delta)
{
    m_inSystemIntegral += m_inSystem * (m_now - m_inSystemSinceS);
    m_inSystemSinceS = m_now;
    m_inSystem += delta;
}

void Cluster::recordDrop()
{
    ++m_dropped;
    ++m_secDropped;
    ++m_secViolations;
}

int Cluster::livePodCount() const
{
    return static_cast<int>(std::count_if(m_pods.begin(), m_pods.end(), [](const Pod &p) {
        return p.phase != Pod::Phase::Terminating;
    }));
}

void Cluster::updateNextPhaseChange()
{
    m_nextPhaseChangeS = kInfinity;
    for (const Pod &pod : m_pods) {
        if (pod.starting())
            m_nextPhaseChangeS = std::min(m_nextPhaseChangeS, pod.phaseEndS);
    }
}

double Cluster::cumulativeCpuCoreSeconds(const Pod &pod) const
{
    // Idle use all the time, plus the busy share of the rest of the request,
    // so a fully busy pod uses exactly its request (the CPU limit).
    const double busy = pod.busySlotSeconds + pod.busy * (m_now - pod.lastChangeS);
    const double idle = m_config.podIdleCpuM / 1000.0;
    const double request = m_config.podCpuRequestM / 1000.0;
    // Boot CPU (JIT, model load) from the container's start, not counting any
    // that happened before the pod was created here (warm pods).
    const double bootFrom = std::max(pod.startedS, pod.createdS);
    const double bootTo = std::min(m_now, pod.startedS + m_config.bootCpuS);
    const double boot = std::max(0.0, bootTo - bootFrom)
        * std::max(0.0, m_config.bootCpuM / 1000.0 - idle);
    return idle * (m_now - pod.createdS) + (request - idle) * busy / m_config.podSlots + boot;
}

metrics::LaneSample Cluster::takeSample()
{
    expireQueue();
    probeReadiness();
    metrics::LaneSample s;
    s.tS = m_now;
    s.arrivalsPerS = static_cast<double>(m_secArrivals);
    s.completedPerS = static_cast<double>(m_secCompleted);
    s.droppedPerS = static_cast<double>(m_secDropped);
    s.sloViolationsPerS = static_cast<double>(m_secViolations);
    if (m_secViolations > 0)
        ++m_violationSeconds;
    m_secArrivals = m_secCompleted = m_secDropped = m_secViolations = 0;

    metrics::LatencyHistogram window;
    for (const auto &h : m_window)
        window.merge(h);
    s.latencyP50Ms = msOrNan(window.quantile(0.50));
    s.latencyP95Ms = msOrNan(window.quantile(0.95));
    s.latencyP99Ms = msOrNan(window.quantile(0.99));
    m_windowSlot = (m_windowSlot + 1) % static_cast<int>(m_window.size());
    m_window[m_windowSlot].clear();

    double cpuSum = 0.0;
    const double idle = m_config.podIdleCpuM / m_config.podCpuRequestM;
    for (Pod &pod : m_pods) {
        touch(pod);
        if (pod.serving()) {
            const double busyShare = (pod.busySlotSeconds - pod.busyAtSample) / m_config.podSlots;
            cpuSum += idle + (1.0 - idle) * busyShare;
            ++s.podsReady;
        } else if (pod.starting()) {
            ++s.podsStarting;
        } else if (pod.unready()) {
            ++s.podsUnready;
        }
        pod.busyAtSample = pod.busySlotSeconds;
    }
    s.cpuUtilization = s.podsReady > 0 ? cpuSum / s.podsReady : 0.0;
    s.podsDesired = m_desired;
    s.queueLength = queueLength();
    changeInSystem(0);
    s.concurrency = m_inSystemIntegral; // over exactly one second
    m_inSystemIntegral = 0.0;
    return s;
}

long long Cluster::inFlight() const
{
    return static_cast<long long>(queueLength()) + static_cast<long long>(m_completions.size());
}

double Cluster::podSecondsSoFar() const
{
    double total = m_podSecondsClosed;
    for (const Pod &pod : m_pods)
        total += m_now - pod.createdS;
    return total;
}

void Cluster::finish()
{
    if (m_podSecondsAtEnd >= 0.0)
        return;
    m_podSecondsAtEnd = podSecondsSoFar();
    processUntil(kInfinity);
    if (!m_queue.empty()) {
        // No pod will ever serve these: their clients time out.
        m_now += m_config.clientTimeoutS + 1.0;
        expireQueue();
    }
}

metrics::LaneSummary Cluster::summary() const
{
    metrics::LaneSummary sum;
    sum.requests = m_requests;
    sum.completed = m_completed;
    sum.dropped = m_dropped;
    // Requests still queued or in service past the SLO are violations already,
    // whatever happens to them next; counting them now keeps a live table honest.
    long long lateInFlight = 0;
    const double lateBefore = m_now - m_config.sloLatencyS;
    for (const Request &r : m_queue)
        lateInFlight += r.arrivalS < lateBefore;
    for (const Pod &pod : m_pods) {
        for (const Request &r : pod.queue)
            lateInFlight += r.arrivalS < lateBefore;
    }
    for (const Completion &c : m_completions)
        lateInFlight += c.arrivalS < lateBefore;
    sum.sloViolations = m_lateCompletions + m_dropped + lateInFlight;
    sum.violationSeconds = static_cast<double>(m_violationSeconds);
    sum.latencyP50Ms = msOrNan(m_runLatency.quantile(0.50));
    sum.latencyP95Ms = msOrNan(m_runLatency.quantile(0.95));
    sum.latencyP99Ms = msOrNan(m_runLatency.quantile(0.99));
    sum.latencyMaxMs = m_runLatency.count() ? m_runLatency.max() * 1000.0 : std::nan("");
    sum.podSeconds = m_podSecondsAtEnd >= 0.0 ? m_podSecondsAtEnd : podSecondsSoFar();
    sum.peakPods = m_peakPods;
    return sum;
}

} // namespace headroom::sim
