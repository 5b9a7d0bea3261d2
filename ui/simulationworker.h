#pragma once

#include "cluster/remotelane.h"
#include "comparisonexport.h"
#include "metrics/lanesample.h"

#include <QElapsedTimer>
#include <QMetaType>
#include <QObject>
#include <QString>
#include <QStringList>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

class QTimer;

namespace headroom::sim {
class Experiment;
struct ClusterConfig;
}
namespace headroom::traffic {
class ArrivalSource;
}

namespace headroom::ui {

// What drives the arrivals: a scenario (built-in name or file) or a trace file; or a live
// cluster, read through its API and metrics, which one controller scales (or none: the
// dashboard only watches).
struct SimulationSource
{
    enum class Kind { Scenario, Trace, Cluster };
    Kind kind = Kind::Scenario;
    QString scenario = QStringLiteral("seed-spike");
    QString tracePath;
    // A slice of the trace, as sweep writes it ("@from=72h@hours=72"); empty: all of it.
    QString traceSlice;
    double compression = 1.0;
    std::optional<std::uint64_t> seed; // unset: the scenario's own seed (traces: 1)
    QStringList controllers {QStringLiteral("predictive"), QStringLiteral("hpa")};
    // The cluster's most pods (every lane's), as --max-replicas sets it; unset: the
    // scenario's (a trace's: the default cluster's).
    std::optional<int> maxReplicas;
    // Kind::Cluster: where it is, and how long to follow it (seconds of its clock).
    cluster::RemoteTarget target;
    double followS = 3600.0;

    QString describe() const;
};

// The trace of a Kind::Trace source, read and sliced at its compression. Throws InputError.
std::unique_ptr<traffic::ArrivalSource> traceArrivals(const SimulationSource &source,
    const sim::ClusterConfig &cluster, std::uint64_t seed);

// Reads the source's scenario or trace as a run would; empty when it loads, else the
// problem (naming the file, row or field). For the command line: fail before any window.
// A maxReplicas the cluster cannot take (below its min_replicas) is a problem too: with
// `option`, that is set to "max-replicas" and the problem is worded as headroom-cli's
// --max-replicas; without, the problem names max_replicas.
QString sourceProblem(const SimulationSource &source, QString *option = nullptr);

// What changed since the previous snapshot: only new samples and events travel.
struct SimulationSnapshot
{
    struct LaneDelta
    {
        std::vector<metrics::LaneSample> samples;
        std::vector<metrics::LaneEvent> events;
        metrics::LaneSummary summary;
        // The latest forecast (11 horizons), replacing the previous one; none once finished.
        std::optional<metrics::ForecastCurve> forecastCurve;
    };
    double nowS = 0.0;
    double durationS = 0.0;
    bool finished = false;
    std::vector<LaneDelta> lanes;
    std::vector<ComparisonData::SpikeSpan> spikes; // all so far: there are few
    // A live cluster's settings as now known (its SLO, the service time measured so far),
    // replacing the run's; none for a simulated run, whose settings are fixed.
    struct LiveSettings
    {
        double sloLatencyMs = 0.0;
        double serviceMeanS = 0.0;
        std::vector<std::pair<std::string, std::string>> settings;
    };
    std::optional<LiveSettings> live;
};

// Adds a snapshot's new samples, events and spikes to `data`, as the dashboard's history
// grows. The lanes are those of the run `data` was loaded for.
void appendSnapshot(ComparisonData &data, const SimulationSnapshot &snapshot);

// Owns the experiment and runs it on its own thread: advances it to wall
// clock x speed (or as fast as it goes) and reports at most ~25 snapshots a
// second, whatever the speed. Every public slot is meant for queued calls.
class SimulationWorker : public QObject
{
    Q_OBJECT

public:
    explicit SimulationWorker(QObject *parent = nullptr);
    ~SimulationWorker() override;

    static void registerMetaTypes();

    // For a caller on the worker's own thread that needs the samples only at the run's end
    // (batch export): snapshots carry none, and takeSamples() hands over, per lane, those they
    // would have carried, moved out of the experiment, which is then gone. A month-long run's
    // samples are held once, not twice. A live cluster's snapshots carry theirs all the same.
    void setSamplesHeldBack(bool heldBack) { m_samplesHeldBack = heldBack; }
    std::vector<std::vector<metrics::LaneSample>> takeSamples();

public Q_SLOTS:
    void load(const headroom::ui::SimulationSource &source);
    void reset();
    void start();
    void pause();
    // Simulated seconds per wall-clock second; 0 runs as fast as possible.
    void setSpeed(double speed);
    // `shape`: a preset of traffic::SpikeShape by name ("step", "ramp", "triangle", "decay").
    void fireSpike(double multiplier, double durationS, const QString &shape = QStringLiteral("step"));
    // Pauses the run when it reaches tS (whole seconds), whatever the speed; infinity: never.
    void setPauseAt(double tS);

Q_SIGNALS:
    // A new run: its lanes (no samples yet), title and constants.
    void loaded(const headroom::ui::ComparisonData &skeleton, const QString &source);
    void loadFailed(const QString &message);
    void snapshotReady(const headroom::ui::SimulationSnapshot &snapshot);
    void runningChanged(bool running);
    void runFailed(const QString &message);

private:
    void onTick();
    void advanceRealTime();
    void advanceFlatOut();
    void setRunning(bool running);
    bool mayAdvance() const;
    void emitSnapshot();
    void restartClock();
    std::unique_ptr<sim::Experiment> buildExperiment(const SimulationSource &source) const;
    // Kind::Cluster: connects, reads it once and builds its controller. Throws
    // std::exception with the reason.
    std::unique_ptr<cluster::RemoteLane> connectLane(SimulationSource &source) const;
    void loadCluster(const SimulationSource &source);
    void stepCluster();
    void emitClusterSnapshot();
    bool clusterFinished() const;
    ComparisonData clusterSkeleton() const;
    void followMeasuredService();
    SimulationSnapshot::LiveSettings liveSettings() const;
    ComparisonData skeleton() const;

    SimulationSource m_source;
    std::unique_ptr<sim::Experiment> m_experiment;
    QTimer *m_timer = nullptr;
    QElapsedTimer m_clock; // wall time since the last start or speed change
    QElapsedTimer m_sinceSnapshot;
    double m_simAtClockStart = 0.0;
    double m_snapshotS = -1.0; // simulated time of the last snapshot
    double m_speed = 1.0;
    double m_pauseAtS = std::numeric_limits<double>::infinity();
    double m_flatOutStepS = 1.0; // seconds per advance at Max, fitted to the run's pace
    bool m_running = false;
    std::unique_ptr<cluster::RemoteLane> m_remote; // Kind::Cluster's lane
    double m_remoteStartS = 0.0;                   // its clock at the first reading
    double m_liveServiceS = 0.0;                   // the service time the charts use (liveSettings())
    bool m_remotePaused = false;                   // readings stopped since the last
    std::vector<std::size_t> m_sentSamples; // the samples snapshots have carried (or held back)
    bool m_samplesHeldBack = false;
    std::vector<std::size_t> m_sentEvents;
};

} // namespace headroom::ui

Q_DECLARE_METATYPE(headroom::ui::SimulationSource)
Q_DECLARE_METATYPE(headroom::ui::SimulationSnapshot)
Q_DECLARE_METATYPE(headroom::ui::ComparisonData)
