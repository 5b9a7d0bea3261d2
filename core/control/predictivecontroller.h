#pragma once

#include "control/controller.h"

#include <memory>

namespace headroom::forecast {
class Forecaster;
}

namespace headroom::control {

struct PredictiveSettings
{
    double periodS = 1.0;            // decision period
    double targetUtilization = 0.7;  // planned busy share of each pod's slots
    double drainS = 10.0;            // a built-up queue is sized to drain in this long
    double scaleDownHoldS = 30.0;    // scale down only to the highest recommendation of this window
    int minReplicas = 1;
    int maxReplicas = 20;
};

// The learned predictive controller. Every period it reads the router's last
// five steps of request rate and p95 latency, forecasts the rate over the time a
// pod started now needs to become ready, and sizes replicas through a per-pod
// capacity model. It never goes below what the current load needs.
class PredictiveController : public Controller
{
public:
    PredictiveController(std::shared_ptr<const forecast::Forecaster> model,
                         const PredictiveSettings &settings, double podStartS,
                         int initialReplicas);

    std::string name() const override { return "predictive"; }
    std::optional<int> onSecond(const ControlContext &context,
                                std::vector<metrics::LaneEvent> &events) override;

    // The latest forecast: the rate the controller planned for, req/s.
    double lastForecast() const { return m_lastForecast; }

private:
    struct Plan
    {
        double currentRate = 0.0;
        double forecastRate = 0.0;
        int replicas = 0;
    };
    Plan plan(const ControlContext &context) const;
    int holdScaleDown(double nowS, int recommendation);

    std::shared_ptr<const forecast::Forecaster> m_model;
    PredictiveSettings m_settings;
    double m_lookaheadS;
    double m_lastForecast = 0.0;
    std::vector<std::pair<double, int>> m_recommendations; // (time, replicas)
};

} // namespace headroom::control
