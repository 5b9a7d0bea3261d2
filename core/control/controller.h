#pragma once

#include "metrics/lanesample.h"
#include "traffic/arrival.h"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace headroom::sim {
class ClusterView;
}

namespace headroom::control {

// The coming seconds' arrivals as a lane sees them: element i holds [nowS + i, nowS + i + 1),
// a window into the arrivals the experiment has drawn ahead (shared by every lane).
class FutureSeconds
{
public:
    using Seconds = std::deque<std::vector<traffic::Arrival>>;
    FutureSeconds(const Seconds &seconds, const std::deque<bool> &noData, std::size_t first,
                  std::size_t count)
        : m_seconds(&seconds), m_noData(&noData), m_first(first), m_count(count)
    { }

    std::size_t size() const { return m_count; }
    const std::vector<traffic::Arrival> &operator[](std::size_t i) const
    {
        return (*m_seconds)[m_first + i];
    }
    // True for a second the source has no record of (a hole in a trace), whose missing
    // load is unknown, not zero.
    bool noData(std::size_t i) const { return (*m_noData)[m_first + i]; }

private:
    const Seconds *m_seconds;
    const std::deque<bool> *m_noData;
    std::size_t m_first;
    std::size_t m_count;
};

// What a controller may look at when it runs: the lane's cluster (pods and
// their counters, as kubelet and metrics-server would expose them: simulated, or a
// remote one read through its API) and the router's per-second metrics so far.
struct ControlContext
{
    double nowS = 0.0;
    const sim::ClusterView &cluster;
    const std::vector<metrics::LaneSample> &samples;
    // The coming seconds' arrivals. Only the clairvoyant controller looks: no real
    // controller can.
    const FutureSeconds *future = nullptr;
};

// An autoscaling controller. The lane calls onSecond() once per simulated
// second, after that second's sample; the controller decides on its own period.
class Controller
{
public:
    virtual ~Controller() = default;

    // The name used on the command line and in files: "hpa", "predictive", ...
    virtual std::string name() const = 0;
    // A new replica count, or nothing when this second is not a decision point
    // or nothing changes. Events (scale, condition) go to `events`.
    virtual std::optional<int> onSecond(const ControlContext &context,
                                        std::vector<metrics::LaneEvent> &events) = 0;

    // Forecasting controllers: whether they forecast at all, what they forecast this
    // second (written into the second's sample after onSecond()), and the latest
    // forecast over all horizons.
    virtual bool forecasts() const { return false; }
    // Whether it decides in a hole of the source too. A real controller holds on a metrics
    // gap; one that sees the arrivals ahead knows what comes after the hole, and starts the
    // pods it will need before the hole ends.
    virtual bool decidesInHoles() const { return false; }
    // Why a forecasting controller runs without its model; empty when it has one.
    virtual std::string modelError() const { return {}; }
    virtual void annotate(metrics::LaneSample &) const { }
    virtual std::optional<metrics::ForecastCurve> latestForecast() const { return std::nullopt; }
};

// A forecasting controller's scores in a lane's summary: its forecasts' accuracy and the
// seconds it ran its fallback, as `scorer` kept them, and its model's error. Nothing for a
// controller that does not forecast.
inline void addForecastScores(metrics::LaneSummary &summary, const Controller &ctl, const metrics::ForecastScorer &scorer)
{
    if (!ctl.forecasts())
        return;
    summary.forecasts = true;
    summary.forecast = scorer.accuracy();
    summary.fallbackSeconds = scorer.fallbackSeconds();
    summary.modelError = ctl.modelError();
}

} // namespace headroom::control
