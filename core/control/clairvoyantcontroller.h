#pragma once

#include "control/controller.h"

#include <deque>
#include <limits>

namespace headroom::control {

struct ClairvoyantSettings
{
    double sloFraction = 0.9; // plan every request to finish within this share of the SLO
    double drainS = 10.0;     // a backlog no pod could start in time for is sized to drain in this long
    int minReplicas = 1;
    int maxReplicas = 20;
    // The waiting room: requests that find every slot busy wait in the router's queue (and
    // in the pods' own queues, when they have any) up to these, and are rejected beyond.
    int routerQueueCapacity = 1000;
    int podQueueCapacity = 0;
};

// Where requests that find every slot busy wait (ClairvoyantController::serversNeeded).
struct WaitingRoom
{
    long router = std::numeric_limits<long>::max(); // the router's queue
    long perPod = 0; // each pod's own queue
    int slots = 1;   // servers a pod has
};

// The limit no causal controller can reach: it sees every future arrival and
// starts pods ahead by their start time, so that each second has the fewest
// pods that serve its requests within the SLO. Comparisons are drawn against it.
class ClairvoyantController : public Controller
{
public:
    ClairvoyantController(const ClairvoyantSettings &settings, double podStartS, int podSlots,
                          double sloLatencyS);

    std::string name() const override { return "clairvoyant"; }
    bool decidesInHoles() const override { return true; }
    std::optional<int> onSecond(const ControlContext &context,
                                std::vector<metrics::LaneEvent> &events) override;

    // The fewest servers (pods * slots) with which service of `arrivals`, starting idle,
    // finishes every request that arrives at or after `fromS` within `budgetS` of its
    // arrival (or, when its service alone takes longer, starts it at once), and turns none
    // away: at most `room` requests wait at once. Without pods' own queues the slots serve
    // first come first served; with them, requests are routed as sim::Cluster routes them,
    // and a whole number of pods is returned. At most `maxServers`.
    static int serversNeeded(const std::vector<traffic::Arrival> &arrivals, double fromS,
                             double budgetS, int maxServers, const WaitingRoom &room = {});

private:
    // What one future second asks for, worked out once when it enters the look-ahead.
    struct SecondPlan
    {
        int pods = 0;       // the fewest pods that serve its arrivals within the budget
        double workS = 0.0; // slot-seconds of service its arrivals bring
        std::size_t arrivals = 0; // how many it was planned for
        std::vector<traffic::Arrival> seen; // its arrivals, kept once the second is past
    };
    SecondPlan planSecond(const FutureSeconds &future,
                          std::size_t second) const;
    int podsFor(const FutureSeconds &future, std::size_t second) const;
    struct Backlog
    {
        double highestS = 0.0;   // the most work waiting in any coming second
        double atHorizonS = 0.0; // waiting when a pod started now becomes ready
    };
    Backlog projectBacklog(const ControlContext &context) const;

    ClairvoyantSettings m_settings;
    std::size_t m_horizon; // seconds a pod needs from creation to Ready, at the worst jitter
    int m_slots;
    double m_budgetS;
    std::deque<SecondPlan> m_plan; // m_plan[i] for the second starting at m_planFromS + i
    // The arrivals of the seconds before m_planFromS (the latest at the back), as far back as
    // a request can still be in service: a second planned 1 s ahead (pods that start at once)
    // looked back only as far as the look-ahead, and missed a 3 s request that arrived before
    // it, still holding the one pod it kept (19 violations in a second at 5 req/s).
    std::deque<std::vector<traffic::Arrival>> m_past;
    // The longest service time of the arrivals planned for so far: how far back a planned
    // second looks for requests still in service.
    mutable double m_longestServiceS = 0.0;
    double m_planFromS = 0.0;
};

} // namespace headroom::control
