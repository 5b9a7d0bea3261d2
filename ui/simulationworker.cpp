#include "simulationworker.h"

#include "control/controllerfactory.h"
#include "forecast/forecaster.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "logging.h"
#include "sim/clusteroverrides.h"
#include "sim/experiment.h"
#include "sim/limits.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"
#include "traffic/spike.h"
#include "traffic/traceslice.h"

#include <QFileInfo>
#include <QTimer>
#include <algorithm>
#include <cmath>

namespace headroom::ui {

namespace {

// The GUI redraws from snapshots: 40 ms apart is 25 a second at most.
constexpr qint64 kSnapshotIntervalMs = 40;
// Compute per timer tick before the event loop gets a turn (commands, quit).
constexpr qint64 kChunkMs = 30;
constexpr int kRealTimeTickMs = 10;
// At Max, simulated seconds are advanced in steps of about this long, of at most so many.
constexpr double kFlatOutStepMs = 5.0;
constexpr double kMaxFlatOutStepS = 256.0;
// A live cluster is read this often (its API and metrics; a second is counted when its
// clock passes one).
constexpr int kClusterPollMs = 100;
// A live cluster that gives no reading for this long ends the run, as control ends.
constexpr double kClusterUnreachableS = 10.0;
// ... and one whose last good reading is younger than this is answering.
constexpr double kClusterAnsweringS = 1.0;

std::vector<std::string> toStdStrings(const QStringList &list)
{
    std::vector<std::string> out;
    for (const QString &s : list)
        out.push_back(s.toStdString());
    return out;
}

// The source's maxReplicas on its cluster, as headroom-cli's --max-replicas does it. Throws
// InputError naming --max-replicas (a maximum below the cluster's min_replicas).
void applyMaxReplicas(const SimulationSource &source, sim::ClusterConfig &cluster)
{
    sim::ClusterOverrides overrides;
    overrides.maxReplicas = source.maxReplicas;
    overrides.applyTo(cluster);
}

bool isMaxReplicasProblem(const InputError &e)
{
    return e.file() == "command line" && e.field() == "--max-replicas";
}

} // namespace

QString sourceProblem(const SimulationSource &source, QString *option)
{
    // Read it, and hold it to the simulator's limits as a run would: a source past them is
    // refused here, with its reason, not left for a run that never starts.
    if (source.kind == SimulationSource::Kind::Cluster)
        return {}; // read when it connects: its problems are the cluster's answers
    try {
        std::unique_ptr<traffic::ArrivalSource> arrivals;
        if (source.kind == SimulationSource::Kind::Scenario) {
            traffic::Scenario scenario = traffic::resolveScenario(source.scenario.toStdString());
            applyMaxReplicas(source, scenario.cluster);
            arrivals = std::make_unique<traffic::ScenarioArrivals>(scenario);
        } else {
            sim::ClusterConfig cluster;
            applyMaxReplicas(source, cluster);
            arrivals = traceArrivals(source, cluster, source.seed.value_or(1));
        }
        sim::Experiment::checkLimits(*arrivals, arrivals->durationS());
    } catch (const InputError &e) {
        if (!isMaxReplicasProblem(e))
            return QString::fromUtf8(e.what());
        if (option) {
            *option = QStringLiteral("max-replicas");
            return QString::fromStdString(e.problem());
        }
        return QStringLiteral("max_replicas ") + QString::number(*source.maxReplicas)
            + QLatin1Char(' ') + QString::fromStdString(e.problem());
    } catch (const std::exception &e) {
        return QString::fromUtf8(e.what());
    }
    return {};
}

std::unique_ptr<traffic::ArrivalSource> traceArrivals(const SimulationSource &source,
    const sim::ClusterConfig &cluster, std::uint64_t seed)
{
    // The slice's options read on their own: the file's name may hold an '@' (one opened in
    // the dialog), which a spec would take for an option.
    traffic::TraceSpec spec = traffic::parseTraceSpec("trace" + source.traceSlice.toStdString());
    spec.path = source.tracePath.toStdString();
    spec.text = spec.path + spec.options;
    spec.compression = source.compression;
    return traffic::makeArrivals(traffic::loadTrace(spec), cluster, seed);
}

QString SimulationSource::describe() const
{
    // A scenario file reads by its name: the full path crowds the pickers and the status bar.
    if (kind == Kind::Scenario)
        return QStringLiteral("scenario ") + QFileInfo(scenario).fileName();
    if (kind == Kind::Cluster)
        return QStringLiteral("live ") + QString::fromStdString(target.describe());
    return QStringLiteral("trace ") + QFileInfo(tracePath).fileName() + traceSlice + QStringLiteral(" (x")
        + QString::number(compression) + QStringLiteral(" compression)");
}

SimulationWorker::SimulationWorker(QObject *parent)
    : QObject(parent)
    , m_timer(new QTimer(this))
{
    m_timer->setInterval(kRealTimeTickMs);
    connect(m_timer, &QTimer::timeout, this, &SimulationWorker::onTick);
    m_sinceSnapshot.start();
}

SimulationWorker::~SimulationWorker() = default;

void SimulationWorker::registerMetaTypes()
{
    qRegisterMetaType<SimulationSource>();
    qRegisterMetaType<SimulationSnapshot>();
    qRegisterMetaType<ComparisonData>();
}

std::unique_ptr<sim::Experiment> SimulationWorker::buildExperiment(
    const SimulationSource &source) const
{
    if (source.kind == SimulationSource::Kind::Scenario) {
        traffic::Scenario scenario = traffic::resolveScenario(source.scenario.toStdString());
        scenario.seed = source.seed.value_or(scenario.seed);
        applyMaxReplicas(source, scenario.cluster);
        return sim::scenarioExperiment(scenario, toStdStrings(source.controllers));
    }
    sim::ExperimentConfig config;
    config.controllers = toStdStrings(source.controllers);
    config.cluster = sim::ClusterConfig {};
    applyMaxReplicas(source, config.cluster);
    config.seed = source.seed.value_or(1);
    // Named as a sweep names its sources: the file, its slice and its compression.
    config.name = QString(QFileInfo(source.tracePath).fileName() + source.traceSlice
        + (source.compression != 1.0 ? QStringLiteral("@x") + QString::number(source.compression) : QString()))
                      .toStdString();
    config.durationS = 0.0;
    auto arrivals = traceArrivals(source, config.cluster, config.seed);
    return std::make_unique<sim::Experiment>(config, std::move(arrivals));
}

void SimulationWorker::load(const SimulationSource &source)
{
    setRunning(false);
    if (source.kind == SimulationSource::Kind::Cluster) {
        loadCluster(source);
        return;
    }
    std::unique_ptr<sim::Experiment> experiment;
    try {
        experiment = buildExperiment(source);
    } catch (const std::exception &e) {
        // The previous run stays loaded, so nothing recorded is lost.
        qCWarning(lcUi) << "cannot load" << source.describe() << ":" << e.what();
        Q_EMIT loadFailed(QString::fromStdString(e.what()));
        return;
    }
    m_experiment = std::move(experiment);
    m_remote.reset();
    m_source = source;
    m_flatOutStepS = 1.0;
    m_sentSamples.assign(m_experiment->lanes().size(), 0);
    m_sentEvents.assign(m_experiment->lanes().size(), 0);
    qCInfo(lcUi) << "loaded" << source.describe() << "for" << m_experiment->durationS() << "s";
    Q_EMIT loaded(skeleton(), source.describe());
    emitSnapshot();
}

ComparisonData SimulationWorker::skeleton() const
{
    ComparisonData data = comparisonFromExperiment(*m_experiment);
    for (ComparisonData::Lane &lane : data.lanes) {
        lane.samples.clear();
        lane.events.clear();
    }
    data.spikes.clear();
    return data;
}

void SimulationWorker::reset()
{
    const bool wasRunning = m_running;
    load(m_source);
    if (wasRunning)
        start();
}

void SimulationWorker::start()
{
    if (m_remote) {
        if (!clusterFinished()) {
            if (m_remotePaused)
                m_remote->cluster().resumeAfterPause();
            m_remotePaused = false;
            if (m_remote->cluster().nowS() >= m_pauseAtS)
                m_pauseAtS = std::numeric_limits<double>::infinity(); // resuming past the pause point
            setRunning(true);
        }
        return;
    }
    if (m_experiment && !m_experiment->finished()) {
        if (!mayAdvance())
            m_pauseAtS = std::numeric_limits<double>::infinity(); // resuming past the pause point
        setRunning(true);
    }
}

void SimulationWorker::pause()
{
    setRunning(false);
    if (m_remote) {
        m_remotePaused = true; // the cluster goes on: its seconds until the resume have no data
        emitClusterSnapshot();
    } else if (m_experiment) {
        emitSnapshot();
    }
}

void SimulationWorker::setSpeed(double speed)
{
    m_speed = std::max(speed, 0.0);
    if (m_remote)
        return; // a live cluster keeps its own pace: it is read every kClusterPollMs
    m_timer->setInterval(m_speed > 0.0 ? kRealTimeTickMs : 0);
    restartClock();
}

void SimulationWorker::fireSpike(double multiplier, double durationS, const QString &shape)
{
    if (m_remote || !m_experiment || m_experiment->finished()) // a live cluster's load is its own
        return;
    const traffic::SpikeShape preset
        = traffic::parseSpikeShape(shape.toStdString()).value_or(traffic::SpikeShape::Step);
    m_experiment->fireSpike(
        traffic::Spike::withShape(preset, m_experiment->nowS(), durationS, multiplier));
    emitSnapshot();
}

void SimulationWorker::setPauseAt(double tS)
{
    m_pauseAtS = tS;
}

bool SimulationWorker::mayAdvance() const
{
    return !m_experiment->finished() && m_experiment->nowS() + 1.0 <= m_pauseAtS;
}

void SimulationWorker::setRunning(bool running)
{
    if (running == m_running)
        return;
    m_running = running;
    if (running) {
        restartClock();
        m_timer->start();
    } else {
        m_timer->stop();
    }
    Q_EMIT runningChanged(running);
}

void SimulationWorker::restartClock()
{
    m_clock.start();
    m_simAtClockStart = m_experiment ? m_experiment->nowS() : 0.0;
}

void SimulationWorker::onTick()
{
    if (m_remote) {
        if (m_running)
            stepCluster();
        return;
    }
    if (!m_experiment || !m_running)
        return;
    try {
        if (m_speed > 0.0)
            advanceRealTime();
        else
            advanceFlatOut();
    } catch (const std::exception &e) {
        setRunning(false);
        emitSnapshot();
        Q_EMIT runFailed(QString::fromStdString(e.what()));
        return;
    }
    if (!mayAdvance()) {
        setRunning(false);
        emitSnapshot();
    } else if (m_sinceSnapshot.elapsed() >= kSnapshotIntervalMs
        && m_experiment->nowS() > m_snapshotS) {
        emitSnapshot();
    }
}

void SimulationWorker::advanceRealTime()
{
    const double target = m_simAtClockStart + m_clock.elapsed() / 1000.0 * m_speed;
    QElapsedTimer budget;
    budget.start();
    while (m_experiment->nowS() + 1.0 <= target && mayAdvance()) {
        m_experiment->advanceTo(m_experiment->nowS() + 1.0);
        if (budget.elapsed() >= kChunkMs) {
            // Slower than asked: run at what the machine manages, with no catch-up burst.
            restartClock();
            return;
        }
    }
}

void SimulationWorker::advanceFlatOut()
{
    QElapsedTimer budget;
    budget.start();
    while (mayAdvance() && budget.elapsed() < kChunkMs) {
        const double before = m_experiment->nowS();
        QElapsedTimer step;
        step.start();
        m_experiment->advanceTo(std::min(before + m_flatOutStepS, m_pauseAtS));
        // Steps of a few milliseconds: long enough for the lanes to run side by side on the
        // cores, short enough that the event loop still gets its turn every chunk.
        const double msPerSecond = static_cast<double>(step.nsecsElapsed()) / 1e6
            / std::max(m_experiment->nowS() - before, 1.0);
        m_flatOutStepS = std::clamp(
            std::floor(kFlatOutStepMs / std::max(msPerSecond, 1e-3)), 1.0, kMaxFlatOutStepS);
    }
}

void SimulationWorker::emitSnapshot()
{
    SimulationSnapshot snapshot;
    snapshot.nowS = m_experiment->nowS();
    snapshot.durationS = m_experiment->durationS();
    snapshot.finished = m_experiment->finished();
    const auto &lanes = m_experiment->lanes();
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        const auto &samples = lanes[i]->samples();
        const auto &events = lanes[i]->events();
        SimulationSnapshot::LaneDelta delta;
        if (!m_samplesHeldBack)
            delta.samples.assign(samples.begin() + m_sentSamples[i], samples.end());
        delta.events.assign(events.begin() + m_sentEvents[i], events.end());
        delta.summary = lanes[i]->summary();
        if (!snapshot.finished)
            delta.forecastCurve = lanes[i]->forecastCurve();
        m_sentSamples[i] = samples.size();
        m_sentEvents[i] = events.size();
        snapshot.lanes.push_back(std::move(delta));
    }
    for (const traffic::Spike &spike : m_experiment->arrivals().allSpikes())
        snapshot.spikes.push_back({spike.startS, spike.endS(), spike.multiplier,
            std::string(traffic::spikeShapeName(spike.shape))});
    m_sinceSnapshot.restart();
    m_snapshotS = snapshot.nowS;
    Q_EMIT snapshotReady(snapshot);
}

std::vector<std::vector<metrics::LaneSample>> SimulationWorker::takeSamples()
{
    std::vector<std::vector<metrics::LaneSample>> taken;
    if (!m_experiment)
        return taken;
    setRunning(false);
    const auto &lanes = m_experiment->lanes();
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        taken.push_back(lanes[i]->takeSamples());
        // Those the last snapshot would have carried, no more: the same data as sent.
        taken.back().resize(std::min(taken.back().size(), m_sentSamples[i]));
    }
    m_experiment.reset();
    return taken;
}

std::unique_ptr<cluster::RemoteLane> SimulationWorker::connectLane(SimulationSource &source) const
{
    control::ControllerEnvironment env;
    applyMaxReplicas(source, env.cluster);
    const QString controller = source.controllers.value(0, QStringLiteral("watch"));
    const bool watching = controller == QLatin1String("watch");
    if (controller.startsWith(QLatin1String("predictive")))
        env.model = std::make_shared<const forecast::Forecaster>(
            forecast::Forecaster::load(io::resolveDataPath(io::defaultModelPath(), io::DataKind::Model)));
    cluster::RemoteTarget &target = source.target; // its server and namespace filled in
    auto lane = cluster::startRemoteLane(cluster::openRemoteCluster(target, env.cluster), controller.toStdString(), env);
    qCInfo(lcUi).noquote() << "following" << target.describe().c_str()
                           << (watching ? QStringLiteral("(watching only)") : QStringLiteral("with ") + controller);
    return lane;
}

void SimulationWorker::loadCluster(const SimulationSource &asked)
{
    SimulationSource source = asked;
    std::unique_ptr<cluster::RemoteLane> lane;
    try {
        lane = connectLane(source);
    } catch (const std::exception &e) {
        // The previous run stays loaded, so nothing recorded is lost.
        qCWarning(lcUi) << "cannot follow" << source.describe() << ":" << e.what();
        Q_EMIT loadFailed(QString::fromStdString(e.what()));
        return;
    }
    m_remote = std::move(lane);
    m_experiment.reset();
    m_source = source;
    m_remoteStartS = m_remote->cluster().nowS();
    m_liveServiceS = m_remote->cluster().config().serviceMeanS;
    followMeasuredService();
    m_remotePaused = false;
    m_sentSamples.assign(1, 0);
    m_sentEvents.assign(1, 0);
    m_timer->setInterval(kClusterPollMs);
    Q_EMIT loaded(clusterSkeleton(), source.describe());
    emitClusterSnapshot();
}

void SimulationWorker::followMeasuredService()
{
    // The load line and the comparison follow the service time measured on the cluster, to
    // three digits, and only past a 2 % change: each one recomputes the whole run's.
    const std::optional<double> measured = m_remote->cluster().measuredServiceS();
    if (!measured || !(*measured > 0.0))
        return;
    const double rounded = QString::number(*measured, 'g', 3).toDouble();
    if (std::abs(rounded - m_liveServiceS) > 0.02 * m_liveServiceS)
        m_liveServiceS = rounded;
}

SimulationSnapshot::LiveSettings SimulationWorker::liveSettings() const
{
    const cluster::RemoteCluster &remote = m_remote->cluster();
    const sim::ClusterConfig &config = remote.config();
    return {config.sloLatencyS * 1000.0, m_liveServiceS,
        liveClusterSettings(config, remote.publishedSloS().has_value(), m_liveServiceS,
            remote.measuredServiceS().has_value())};
}

ComparisonData SimulationWorker::clusterSkeleton() const
{
    const sim::ClusterConfig &config = m_remote->cluster().config();
    ComparisonData data;
    data.title = m_source.target.deployment + " (live)";
    const SimulationSnapshot::LiveSettings live = liveSettings();
    data.sloLatencyMs = live.sloLatencyMs;
    data.durationS = m_remoteStartS + m_source.followS;
    data.serviceMeanS = live.serviceMeanS;
    data.podSlots = config.podSlots;
    data.maxReplicas = config.maxReplicas;
    data.source = m_source.describe().toStdString();
    data.settings = live.settings;
    data.state = RunState::Paused;
    data.live = true;
    metrics::LaneSummary summary = m_remote->summary();
    data.lanes.push_back({m_remote->name(), true, {}, {}, {}, summary, std::nullopt});
    return data;
}

bool SimulationWorker::clusterFinished() const
{
    return m_remote->cluster().nowS() >= m_remoteStartS + m_source.followS;
}

void SimulationWorker::stepCluster()
{
    try {
        const std::vector<double> seconds = m_remote->step();
        const cluster::RemoteCluster &remote = m_remote->cluster();
        if (remote.secondsUnreachable() > kClusterUnreachableS)
            throw std::runtime_error("no reading of the cluster for 10 s: " + remote.lastError());
        if (remote.secondsFrozen() > kClusterUnreachableS)
            throw std::runtime_error("the cluster's clock has stood still for 10 s while it answers");
        // A pause point (a screenshot's) reached while the cluster does not answer waits for
        // its answer, or for the cut-off above: the picture is of a cluster, or of a failure.
        const bool answering = remote.secondsUnreachable() < kClusterAnsweringS && remote.secondsFrozen() < kClusterAnsweringS;
        if (clusterFinished() || (m_remote->cluster().nowS() >= m_pauseAtS && answering)) {
            setRunning(false);
            m_remotePaused = true;
            emitClusterSnapshot();
        } else if (!seconds.empty() && m_sinceSnapshot.elapsed() >= kSnapshotIntervalMs) {
            emitClusterSnapshot();
        }
    } catch (const std::exception &e) {
        setRunning(false);
        m_remotePaused = true;
        emitClusterSnapshot();
        Q_EMIT runFailed(QString::fromStdString(e.what()));
    }
}

void SimulationWorker::emitClusterSnapshot()
{
    SimulationSnapshot snapshot;
    snapshot.nowS = m_remote->cluster().nowS();
    snapshot.finished = clusterFinished();
    const auto &samples = m_remote->samples();
    // The run is as long as it was followed, and as the seconds read: the reading that ends
    // it can bring several at once (a cluster at 50x is 5 s a reading), past the follow's end.
    snapshot.durationS = std::max(m_remoteStartS + m_source.followS, samples.empty() ? 0.0 : samples.back().tS);
    const auto &events = m_remote->events();
    SimulationSnapshot::LaneDelta delta;
    delta.samples.assign(samples.begin() + m_sentSamples[0], samples.end());
    delta.events.assign(events.begin() + m_sentEvents[0], events.end());
    delta.summary = m_remote->summary();
    if (!snapshot.finished)
        delta.forecastCurve = m_remote->forecastCurve();
    m_sentSamples[0] = samples.size();
    m_sentEvents[0] = events.size();
    snapshot.lanes.push_back(std::move(delta));
    followMeasuredService();
    snapshot.live = liveSettings();
    m_sinceSnapshot.restart();
    m_snapshotS = snapshot.nowS;
    Q_EMIT snapshotReady(snapshot);
}

void appendSnapshot(ComparisonData &data, const SimulationSnapshot &snapshot)
{
    const std::size_t lanes = std::min(snapshot.lanes.size(), data.lanes.size());
    for (std::size_t i = 0; i < lanes; ++i) {
        const SimulationSnapshot::LaneDelta &delta = snapshot.lanes[i];
        ComparisonData::Lane &lane = data.lanes[i];
        // A simulated run has a sample a second, whose number is known: reserved once, not
        // grown by doubling, which copied a month-long lane's samples whole, old and new held
        // at once. The space not yet reached costs no memory until written.
        const std::size_t needed = lane.samples.size() + delta.samples.size();
        if (!data.live && lane.samples.capacity() < needed) {
            const double seconds
                = data.durationS > 0.0 ? std::ceil(std::min(data.durationS, sim::kMaxDurationS)) : 0.0;
            lane.samples.reserve(std::max(needed, static_cast<std::size_t>(seconds)));
        }
        lane.samples.insert(lane.samples.end(), delta.samples.begin(), delta.samples.end());
        lane.events.insert(lane.events.end(), delta.events.begin(), delta.events.end());
        lane.summary = delta.summary;
        lane.forecastCurve = delta.forecastCurve;
    }
    data.spikes = snapshot.spikes;
    if (snapshot.live) {
        // A live cluster is not bound by the max_replicas its controller assumes (20 unless
        // --max-replicas): scaled by hand or by its own autoscaler it has more. Its most pods
        // are at least those it had, so that a recording of it holds them (the reader refuses
        // pods past run.json's max_replicas).
        for (const SimulationSnapshot::LaneDelta &delta : snapshot.lanes) {
            for (const metrics::LaneSample &s : delta.samples)
                data.maxReplicas = std::max({data.maxReplicas, s.podsDesired,
                    s.podsReady + s.podsStarting + s.podsUnready});
        }
        data.durationS = std::max(data.durationS, snapshot.durationS);
        data.sloLatencyMs = snapshot.live->sloLatencyMs;
        data.serviceMeanS = snapshot.live->serviceMeanS;
        data.settings = snapshot.live->settings;
    }
}

} // namespace headroom::ui
