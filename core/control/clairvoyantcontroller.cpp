#include "control/clairvoyantcontroller.h"

#include "sim/cluster.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <deque>
#include <queue>
#include <set>
#include <sstream>

namespace headroom::control {

namespace {

// Seconds of arrivals before the planned one that still occupy its servers.
constexpr std::size_t kContextSeconds = 2;

// Whether `servers` slots serve the arrivals from fromS on, first come first served, each
// within the budget and none turned away: at most `waitingRoom` requests wait at once (with
// no router queue, every wait is a rejection, however short; a plan that let requests wait
// within the SLO there lost to a causal lane, found by a new-user trial).
bool meetsBudget(const std::vector<traffic::Arrival> &arrivals, double fromS, double budgetS,
                 int servers, long waitingRoom)
{
    std::priority_queue<double, std::vector<double>, std::greater<>> freeAt;
    for (int i = 0; i < servers; ++i)
        freeAt.push(-1e300);
    std::deque<double> waitingUntil; // the starts of requests still waiting (in order: FIFO)
    for (const traffic::Arrival &a : arrivals) {
        const double start = std::max(a.tS, freeAt.top());
        freeAt.pop();
        const double done = start + a.serviceS;
        freeAt.push(done);
        while (!waitingUntil.empty() && waitingUntil.front() <= a.tS)
            waitingUntil.pop_front();
        if (start > a.tS + 1e-9) {
            if (a.tS >= fromS && static_cast<long>(waitingUntil.size()) >= waitingRoom)
                return false;
            waitingUntil.push_back(start);
        }
        // A request slower than the budget by itself can only be asked not to wait.
        if (a.tS >= fromS && start - a.tS > std::max(0.0, budgetS - a.serviceS) + 1e-9)
            return false;
    }
    return true;
}

// Whether `pods` pods of `slots` serve the arrivals from fromS on within the budget, none
// turned away, routed as the simulator routes them (sim::Cluster): a request goes to the pod
// with the least work outstanding (in its slots and its own queue) among those with room, and
// waits there behind that pod's requests even when another pod frees first; with no pod
// with room, or requests already waiting there, it waits in the router's queue, which hands
// its oldest to a pod as soon as one has room. Planning the pods' queues as one shared queue
// fell short with very uneven service times: the clairvoyant lane had more violations than a
// causal lane (323 against 293, pod_queue_capacity 50, service_cv 3; a second trial).
bool meetsBudgetRouted(const std::vector<traffic::Arrival> &arrivals, double fromS, double budgetS,
                       int pods, const WaitingRoom &room)
{
    struct PodState
    {
        int busy = 0;
        std::deque<const traffic::Arrival *> queue;
    };
    std::vector<PodState> state(static_cast<std::size_t>(std::max(pods, 0)));
    using Completion = std::pair<double, std::size_t>; // when, which pod
    std::priority_queue<Completion, std::vector<Completion>, std::greater<>> completions;
    std::deque<const traffic::Arrival *> router;
    const auto hasRoom = [&](const PodState &p) {
        return p.busy < room.slots || static_cast<long>(p.queue.size()) < room.perPod;
    };
    const auto outstanding = [&](std::size_t k) { return state[k].busy + static_cast<long>(state[k].queue.size()); };
    // The pods with room by (outstanding, index): the first is the one Cluster::dispatch picks.
    // Scanning every pod per request took 1,500 req/s on 1,000 pods from 1.7 s to 14.5 s.
    std::set<std::pair<long, std::size_t>> withRoom;
    for (std::size_t i = 0; i < state.size(); ++i)
        withRoom.emplace(0, i);
    // Around any change to a pod: out of the set before, back in after if it has room.
    const auto leave = [&](std::size_t k) { withRoom.erase({outstanding(k), k}); };
    const auto rejoin = [&](std::size_t k) {
        if (hasRoom(state[k]))
            withRoom.emplace(outstanding(k), k);
    };
    bool met = true;
    const auto start = [&](std::size_t pod, const traffic::Arrival &a, double now) {
        ++state[pod].busy;
        completions.emplace(now + a.serviceS, pod);
        if (a.tS >= fromS && now - a.tS > std::max(0.0, budgetS - a.serviceS) + 1e-9)
            met = false;
    };
    // One request to the least loaded pod with room, as Cluster::dispatch: false when none has.
    const auto dispatch = [&](const traffic::Arrival &a, double now) {
        if (withRoom.empty())
            return false;
        const std::size_t best = withRoom.begin()->second;
        leave(best);
        if (state[best].busy < room.slots)
            start(best, a, now);
        else
            state[best].queue.push_back(&a);
        rejoin(best);
        return true;
    };
    const auto completeUntil = [&](double t) {
        while (met && !completions.empty() && completions.top().first <= t) {
            const auto [now, pod] = completions.top();
            completions.pop();
            leave(pod);
            PodState &p = state[pod];
            --p.busy;
            while (!p.queue.empty() && p.busy < room.slots) {
                const traffic::Arrival *next = p.queue.front();
                p.queue.pop_front();
                start(pod, *next, now);
            }
            rejoin(pod);
            while (!router.empty() && dispatch(*router.front(), now))
                router.pop_front();
        }
    };
    for (const traffic::Arrival &a : arrivals) {
        completeUntil(a.tS);
        if (!met)
            return false;
        if (router.empty() && dispatch(a, a.tS))
            continue;
        if (static_cast<long>(router.size()) >= room.router) {
            if (a.tS >= fromS)
                return false; // rejected
            continue;
        }
        router.push_back(&a);
    }
    completeUntil(std::numeric_limits<double>::infinity());
    return met && router.empty();
}

// The fewest n from 1 to `most` for which meets(n) holds, or `most` when none does: doubling,
// then bisection (feasibility only grows with n).
template <typename Meets>
int fewest(int most, const Meets &meets)
{
    int low = 0, high = 1;
    while (high < most && !meets(high)) {
        low = high;
        high = std::min(most, high * 2);
    }
    if (!meets(high))
        return most;
    while (high - low > 1) {
        const int mid = (low + high) / 2;
        (meets(mid) ? high : low) = mid;
    }
    return high;
}

} // namespace

ClairvoyantController::ClairvoyantController(const ClairvoyantSettings &settings, double podStartS,
                                             int podSlots, double sloLatencyS)
    : m_settings(settings)
    , m_horizon(static_cast<std::size_t>(std::ceil(podStartS)) + 1)
    , m_slots(std::max(1, podSlots))
    , m_budgetS(sloLatencyS * settings.sloFraction)
{
}

int ClairvoyantController::serversNeeded(const std::vector<traffic::Arrival> &arrivals,
                                         double fromS, double budgetS, int maxServers,
                                         const WaitingRoom &room)
{
    if (std::none_of(arrivals.begin(), arrivals.end(),
                     [&](const traffic::Arrival &a) { return a.tS >= fromS; }))
        return 0;
    // With pods' own queues, where a request waits depends on the pod it was sent to.
    if (room.perPod > 0) {
        const int slots = std::max(room.slots, 1);
        return slots * fewest(std::max(1, maxServers / slots), [&](int pods) {
            return meetsBudgetRouted(arrivals, fromS, budgetS, pods, room);
        });
    }
    return fewest(maxServers, [&](int servers) {
        return meetsBudget(arrivals, fromS, budgetS, servers, room.router);
    });
}

int ClairvoyantController::podsFor(const FutureSeconds &future,
                                   std::size_t second) const
{
    if (second >= future.size() || future[second].empty())
        return m_settings.minReplicas;
    std::vector<traffic::Arrival> window;
    const std::size_t first = second >= kContextSeconds ? second - kContextSeconds : 0;
    // Earlier requests still in service then hold a slot each: with service times of
    // seconds (the llm preset's 2.4 s mean, up to 10 s) the two seconds of context left
    // most of them out, and at 45 req/s the plan fell 40 % short of the slots in use.
    const std::size_t lookBack = static_cast<std::size_t>(std::ceil(m_longestServiceS));
    const double windowStartS = std::floor(future[second].front().tS) - static_cast<double>(second - first);
    // Before the look-ahead: the seconds already past.
    for (std::size_t back = std::min(lookBack > first ? lookBack - first : 0, m_past.size()); back > 0; --back) {
        for (const traffic::Arrival &a : m_past[m_past.size() - back]) {
            if (a.tS + a.serviceS > windowStartS)
                window.push_back(a);
        }
    }
    for (std::size_t i = first > lookBack ? first - lookBack : 0; i < first; ++i) {
        for (const traffic::Arrival &a : future[i]) {
            if (a.tS + a.serviceS > windowStartS)
                window.push_back(a);
        }
    }
    for (std::size_t i = first; i <= second && i < future.size(); ++i)
        window.insert(window.end(), future[i].begin(), future[i].end());
    const double fromS = future[second].front().tS;
    const int servers = serversNeeded(window, fromS, m_budgetS, m_settings.maxReplicas * m_slots,
        {m_settings.routerQueueCapacity, m_settings.podQueueCapacity, m_slots});
    return (servers + m_slots - 1) / m_slots;
}

ClairvoyantController::SecondPlan ClairvoyantController::planSecond(
    const FutureSeconds &future, std::size_t second) const
{
    SecondPlan plan;
    for (const traffic::Arrival &a : future[second]) {
        plan.workS += a.serviceS;
        m_longestServiceS = std::max(m_longestServiceS, a.serviceS);
    }
    plan.pods = podsFor(future, second);
    plan.arrivals = future[second].size();
    plan.seen = future[second];
    return plan;
}

ClairvoyantController::Backlog ClairvoyantController::projectBacklog(
    const ControlContext &context) const
{
    // Work (slot-seconds) waiting in each coming second: today's queue plus each
    // second's arrivals beyond the slots of the pods that are ready by then.
    const sim::ClusterView &cluster = context.cluster;
    const double serviceS = std::max(cluster.observedServiceS(), 1e-6);
    Backlog b;
    double backlog = cluster.queueLength() * serviceS;
    for (std::size_t i = 0; i < m_horizon && i < m_plan.size(); ++i) {
        const double t = context.nowS + i;
        int pods = 0;
        for (const sim::Pod &pod : cluster.pods())
            pods += pod.serving() || (pod.starting() && pod.readyS <= t);
        backlog = std::max(0.0, backlog + m_plan[i].workS - pods * m_slots);
        b.highestS = std::max(b.highestS, backlog);
    }
    b.atHorizonS = backlog;
    return b;
}

std::optional<int> ClairvoyantController::onSecond(const ControlContext &context,
                                                   std::vector<metrics::LaneEvent> &events)
{
    if (!context.future)
        return std::nullopt;
    const auto &future = *context.future;
    // The run's last second: no second follows to plan for, and the requests still in the
    // system are served out after the end by the pods there are (scaling down to the
    // minimum here left 3,000 req/s's last queue to one pod: 63 violations after the end).
    if (future.size() == 0)
        return std::nullopt;

    // Plan each second when it enters the look-ahead; the plan then serves
    // every later decision.
    for (; m_planFromS < context.nowS && !m_plan.empty(); m_planFromS += 1.0) {
        m_past.push_back(std::move(m_plan.front().seen));
        m_plan.pop_front();
    }
    const std::size_t keep = static_cast<std::size_t>(std::ceil(m_longestServiceS)) + kContextSeconds + 1;
    while (m_past.size() > keep)
        m_past.pop_front();
    m_planFromS = context.nowS;
    // A spike fired since adds arrivals to seconds already planned: plan them again.
    for (std::size_t i = 0; i < m_plan.size() && i < future.size(); ++i) {
        if (m_plan[i].arrivals != future[i].size())
            m_plan[i] = planSecond(future, i);
    }
    while (m_plan.size() < std::min(m_horizon + 1, future.size()))
        m_plan.push_back(planSecond(future, m_plan.size()));

    // Pods asked for now are ready after the start time: hold what every
    // second up to then needs, plus what drains the backlog that will have
    // built up by then (a load that comes sooner than any pod can start).
    int desired = m_settings.minReplicas;
    for (const SecondPlan &plan : m_plan)
        desired = std::max(desired, plan.pods);
    const sim::ClusterView &cluster = context.cluster;
    // A hole in the source ahead is unknown load, not none: every lane holds its replicas
    // through it, and so does this one, from before it, so that it is not caught short when
    // the data comes back (it would not know, any more than the others, what the hole hid).
    const std::size_t ahead = std::min(m_plan.size(), future.size());
    for (std::size_t i = 0; i < ahead; ++i) {
        if (future.noData(i)) {
            desired = std::max(desired, cluster.desiredReplicas());
            break;
        }
    }
    const Backlog backlog = projectBacklog(context);
    desired += static_cast<int>(std::ceil(backlog.atHorizonS / (m_slots * m_settings.drainS) - 1e-9));
    // While a backlog is coming, keep the pods already on their way to drain it:
    // cancelling them would only make the next decision start them again.
    if (backlog.highestS > 0.0)
        desired = std::max(desired, cluster.desiredReplicas());
    desired = std::clamp(desired, m_settings.minReplicas, m_settings.maxReplicas);

    const int current = cluster.desiredReplicas();
    if (desired == current)
        return std::nullopt;
    std::ostringstream text;
    text << "clairvoyant " << current << " -> " << desired;
    events.push_back({context.nowS, "scale", text.str()});
    return desired;
}

} // namespace headroom::control
