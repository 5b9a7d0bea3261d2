#pragma once

#include "control/controller.h"
#include "metrics/lanesample.h"
#include "sim/cluster.h"
#include "sim/limits.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace headroom::forecast {
class Forecaster;
}

namespace headroom::sim {

// One controller with its own copy of the cluster and everything it recorded.
class Lane
{
public:
    Lane(std::string controller, std::unique_ptr<Cluster> cluster,
         std::unique_ptr<control::Controller> ctl, std::string unavailableReason);

    const std::string &controller() const { return m_controller; }
    bool available() const { return m_ctl != nullptr; }
    const std::string &unavailableReason() const { return m_unavailableReason; }
    const std::vector<metrics::LaneSample> &samples() const { return m_samples; }
    const std::vector<metrics::LaneEvent> &events() const { return m_events; }
    const Cluster &cluster() const { return *m_cluster; }
    metrics::LaneSummary summary() const;
    // The controller's latest forecast over all horizons, if it forecasts.
    std::optional<metrics::ForecastCurve> forecastCurve() const;
    // Hands the samples over, leaving none: only for a caller done with the run (the
    // controller reads them as its history, Experiment::summary() compares them). A
    // month-long run's are 300 MB a lane, not to be held twice.
    std::vector<metrics::LaneSample> takeSamples() { return std::move(m_samples); }


private:
    friend class Experiment;
    // `noData`: the source has no record of this second's traffic (see LaneSample::noData).
    void step(const std::vector<traffic::Arrival> &arrivals, double untilS,
              const control::FutureSeconds &future, bool noData);

    std::string m_controller;
    std::unique_ptr<Cluster> m_cluster;
    std::unique_ptr<control::Controller> m_ctl;
    std::string m_unavailableReason;
    std::vector<metrics::LaneSample> m_samples;
    metrics::ForecastScorer m_scorer; // forecast accuracy, kept up to date per sample
    std::vector<metrics::LaneEvent> m_events;
    bool m_inHole = false; // the last second had no data
};

struct ExperimentConfig
{
    std::string name;  // scenario name, or the trace's file name
    std::uint64_t seed = 1;
    double durationS = 0.0; // 0: the arrival source's own duration
    ClusterConfig cluster;
    std::vector<std::string> controllers {"predictive", "hpa"};
    std::string modelPath; // empty: io::defaultModelPath()
    // The model file of each "predictive-LABEL" lane, by LABEL (--models LABEL=FILE).
    std::map<std::string, std::string> models;
    // Models the caller already read, by path (headroom-cli run checks its files by loading
    // them): used as they are, so a file is not read and logged twice. Others are loaded.
    std::map<std::string, std::shared_ptr<const forecast::Forecaster>> loadedModels;
    // Threads that step the lanes, each lane on one: 0 for one per core. Every count gives
    // the same results (a sweep, which runs experiments side by side, uses 1).
    int threads = 0;
};

// Drives the same arrivals through every lane, one simulated second at a time.
class Experiment
{
public:
    // Loads each model a lane needs, each file once; a model that fails to load
    // leaves the lanes that need it unavailable and the rest running.
    Experiment(ExperimentConfig config, std::unique_ptr<traffic::ArrivalSource> arrivals);
    ~Experiment();

    // Simulates whole seconds up to min(tS, durationS()).
    void advanceTo(double tS);
    void runToEnd() { advanceTo(durationS()); }
    // Ends the run at the second it has reached (a run stopped by Ctrl+C): its length becomes
    // nowS() and the lanes finish as at a run's end, so summary() and the charts are of what
    // ran, not of the whole length asked for.
    void stopHere();
    bool finished() const { return m_now >= m_duration; }
    double nowS() const { return m_now; }
    double durationS() const { return m_duration; }
    int initialReplicas() const { return m_initialReplicas; }

    // The operator's spike, starting now (or at spike.startS if later).
    void fireSpike(traffic::Spike spike);

    const ExperimentConfig &config() const { return m_config; }
    const traffic::ArrivalSource &arrivals() const { return *m_arrivals; }
    // What the user should know about how the run was made: the source's reading notes
    // (rows sorted, holes), then the run's own (a length rounded up to whole seconds).
    std::vector<std::string> notes() const;
    // The mean service time of the run's requests (a trace's token-driven ones when it has
    // them, else the cluster's): the pods a load needs are worked out with it.
    double serviceMeanS() const { return m_arrivals->meanServiceS(); }
    const std::vector<std::unique_ptr<Lane>> &lanes() const { return m_lanes; }
    metrics::RunSummary summary() const;

    // What one run may ask for: longer or busier runs are refused as bad input.
    static constexpr double kMaxDurationS = sim::kMaxDurationS;
    static constexpr double kMaxRatePerS = sim::kMaxRatePerS;
    // Throws InputError naming the source when a run of `durationS` on `arrivals` is past them.
    static void checkLimits(const traffic::ArrivalSource &arrivals, double durationS);

private:
    int autoInitialReplicas() const;

    ExperimentConfig m_config;
    std::unique_ptr<traffic::ArrivalSource> m_arrivals;
    std::vector<std::unique_ptr<Lane>> m_lanes;
    // The seconds the lanes may step (at least one), and the arrivals held drawn for them.
    struct Chunk
    {
        std::size_t seconds = 0;
        std::size_t arrivals = 0;
    };
    // Draws arrivals ahead for up to `maxSeconds` seconds (fewer for a busy source), each with
    // its look-ahead.
    Chunk drawAhead(double maxSeconds);
    // Steps every lane through the chunk's seconds, whose arrivals are drawn.
    void stepLanes(const Chunk &chunk);

    // Arrivals are drawn this far ahead, whoever looks, so a run's arrivals do
    // not depend on which lanes it has.
    double m_lookaheadS = 0.0;
    std::deque<std::vector<traffic::Arrival>> m_future; // [m_now + i, m_now + i + 1)
    std::deque<bool> m_futureNoData; // m_future[i] falls in a hole of the source
    double m_now = 0.0;
    double m_duration = 0.0;
    std::vector<std::string> m_notes;
    int m_initialReplicas = 1;
};

// The pods the opening load (its first 10 s) needs at the HPA's 50 % target, within the
// cluster's bounds: every lane starts from that steady state.
int openingReplicas(const traffic::ArrivalSource &arrivals, const ClusterConfig &cluster);

// A scenario run as written: its name, seed, duration and cluster, with these lanes.
ExperimentConfig scenarioConfig(const traffic::Scenario &scenario, std::vector<std::string> controllers);
// The experiment of scenarioConfig(), on the scenario's own arrivals.
std::unique_ptr<Experiment> scenarioExperiment(
    const traffic::Scenario &scenario, std::vector<std::string> controllers);

// Checks controller names; throws InputError naming the unknown one. A
// "predictive-LABEL" lane is accepted only when `models` has LABEL.
void checkControllerNames(const std::vector<std::string> &names,
                          const std::map<std::string, std::string> &models = {});

} // namespace headroom::sim
