#pragma once

#include "control/controller.h"
#include "control/kpacalculator.h"

#include <deque>

namespace headroom::control {

struct KpaSettings
{
    kpa::Config config;
    int tickS = 2; // multiscaler.go tickInterval
};

// Knative's KPA on request concurrency. It keeps its own per-second history of the concurrency
// the queue-proxies and the activator report (the lane's router queue plus requests in service),
// decides every tick, and at once when requests arrive while it is at zero (upstream's Poke).
// The decision itself is kpa::decide().
class KpaController : public Controller
{
public:
    KpaController(const KpaSettings &settings, int initialReplicas);

    std::string name() const override { return "kpa"; }
    std::optional<int> onSecond(const ControlContext &context,
                                std::vector<metrics::LaneEvent> &events) override;

    const kpa::State &state() const { return m_state; }
    const kpa::Decision &lastDecision() const { return m_last; }

private:
    void record(const ControlContext &context);
    bool isDecisionPoint(double nowS, double concurrency) const;
    void reportPanic(double nowS, const kpa::Decision &d, std::vector<metrics::LaneEvent> &events);
    void reportScale(double nowS, const kpa::Decision &d,
                     std::vector<metrics::LaneEvent> &events) const;

    KpaSettings m_settings;
    kpa::State m_state;
    kpa::Decision m_last;
    std::deque<double> m_history; // per-second concurrency, oldest first
    double m_idleS = 0.0;
    int m_lastDesired;
    bool m_reportedStart = false;
};

} // namespace headroom::control
