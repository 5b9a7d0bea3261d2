#include "sim/experiment.h"

#include "traffic/jsonfields.h"

#include "control/controllerfactory.h"
#include "forecast/forecaster.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "logging.h"
#include "metrics/lanecomparison.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <thread>

namespace headroom::sim {

namespace {

// Arrivals drawn ahead of the lanes, beyond a second's look-ahead, before they step.
constexpr std::size_t kChunkArrivals = 1'000'000;
// And at most this many seconds.
constexpr double kChunkMaxS = 3600.0;
// Fewer seconds and arrivals than these are stepped on the calling thread.
constexpr std::size_t kParallelMinS = 32;
constexpr std::size_t kParallelMinArrivals = 5'000;

} // namespace

Lane::Lane(std::string controller, std::unique_ptr<Cluster> cluster,
           std::unique_ptr<control::Controller> ctl, std::string unavailableReason)
    : m_controller(std::move(controller))
    , m_cluster(std::move(cluster))
    , m_ctl(std::move(ctl))
    , m_unavailableReason(std::move(unavailableReason))
{
}

void Lane::step(const std::vector<traffic::Arrival> &arrivals, double untilS,
                const control::FutureSeconds &future, bool noData)
{
    m_cluster->advance(arrivals.data(), arrivals.data() + arrivals.size(), untilS);
    m_samples.push_back(m_cluster->takeSample());
    m_samples.back().noData = noData;
    if (noData != m_inHole) {
        m_inHole = noData;
        const double startS = untilS - 1.0;
        m_events.push_back({startS, "condition",
            noData ? "no data: the trace has no record from here; " + m_controller
                    + " holds its replicas (missing load is not zero load)"
                   : "data again: " + m_controller + " decides again",
            "no data", noData});
        qCInfo(lcSim) << m_controller.c_str() << (noData ? "holds: no data from" : "data again at")
                      << startS << "s";
    }
    // A second the source has no record of is not zero load: the controller does not act
    // on it (as a real one holds on a metrics gap) and makes no forecast of it. The
    // clairvoyant lane does, holding through the hole and starting the pods the load after
    // it needs, which it sees coming.
    if (!noData || m_ctl->decidesInHoles()) {
        const control::ControlContext context {untilS, *m_cluster, m_samples, &future};
        if (const auto replicas = m_ctl->onSecond(context, m_events))
            m_cluster->setDesiredReplicas(*replicas);
        m_ctl->annotate(m_samples.back());
    }
    m_scorer.update(m_samples);
}

std::optional<metrics::ForecastCurve> Lane::forecastCurve() const
{
    return m_ctl ? m_ctl->latestForecast() : std::nullopt;
}

metrics::LaneSummary Lane::summary() const
{
    // A lane that never ran reports no numbers of a cluster it did not drive.
    metrics::LaneSummary s = available() ? m_cluster->summary() : metrics::LaneSummary {};
    s.controller = m_controller;
    s.available = available();
    s.unavailableReason = m_unavailableReason;
    if (m_ctl)
        control::addForecastScores(s, *m_ctl, m_scorer);
    return s;
}

Experiment::Experiment(ExperimentConfig config, std::unique_ptr<traffic::ArrivalSource> arrivals)
    : m_config(std::move(config))
    , m_arrivals(std::move(arrivals))
{
    checkControllerNames(m_config.controllers, m_config.models);
    const double asked = m_config.durationS > 0.0 ? m_config.durationS : m_arrivals->durationS();
    m_duration = std::ceil(asked);
    // The simulator steps whole seconds: a length asked for in between is said, where it was
    // asked for (a trace's own span is no length anyone asked for).
    if (m_duration != asked) {
        const bool overridden = m_config.durationS > 0.0 && asked != m_arrivals->durationS();
        if (overridden)
            m_notes.push_back("a run of " + traffic::numberText(asked) + " s was asked for: it runs "
                + traffic::numberText(m_duration) + " s, as the simulator steps whole seconds");
        else if (m_arrivals->endSite().field == "duration_s")
            m_notes.push_back("duration_s " + traffic::numberText(asked) + " s runs "
                + traffic::numberText(m_duration) + " s: the simulator steps whole seconds");
    }
    checkLimits(*m_arrivals, m_duration);
    const ClusterConfig &c = m_config.cluster;
    // A cluster no controller can keep within its SLO: every lane reads as failing (a trial's
    // scenario of 250 ms over 400 ms requests ran without a word).
    if (std::string note = unmeetableSloNote(c); !note.empty())
        m_notes.push_back(std::move(note));
    m_lookaheadS = std::ceil(2.0 * (c.podPendingS + c.podStartingS) * (1.0 + c.podStartJitter)) + 30.0;
    m_initialReplicas = m_config.cluster.initialReplicas > 0 ? m_config.cluster.initialReplicas
                                                             : autoInitialReplicas();

    control::ControllerEnvironment env;
    env.cluster = m_config.cluster;
    env.seed = m_config.seed;
    env.initialReplicas = m_initialReplicas;
    // Each file is read once, however many lanes use it.
    std::map<std::string, control::LoadedModel> loaded;
    auto load = [&](const std::string &path, const std::string &lane) {
        auto it = loaded.find(path);
        if (it == loaded.end()) {
            control::LoadedModel m;
            const auto given = m_config.loadedModels.find(path);
            if (given != m_config.loadedModels.end() && given->second) {
                m.model = given->second;
            } else {
                try {
                    m.model = std::make_shared<forecast::Forecaster>(forecast::Forecaster::load(path));
                } catch (const std::exception &e) {
                    m.error = e.what();
                }
            }
            it = loaded.emplace(path, std::move(m)).first;
        }
        if (!it->second.model)
            qCWarning(lcSim).noquote() << lane.c_str() << "lane runs its reactive rule, no model:"
                                       << it->second.error.c_str();
        return it->second;
    };
    for (const std::string &name : m_config.controllers) {
        if (name == "predictive") {
            const control::LoadedModel m = load(
                m_config.modelPath.empty() ? io::defaultModelPath() : m_config.modelPath, name);
            env.model = m.model;
            env.modelError = m.error;
        } else if (const auto label = control::predictiveModelLabel(name)) {
            env.labelledModels[*label] = load(m_config.models.at(*label), name);
        }
    }
    for (const std::string &name : m_config.controllers) {
        std::string reason;
        auto ctl = control::makeController(name, env, reason);
        auto cluster = std::make_unique<Cluster>(m_config.cluster, m_config.seed,
                                                 m_initialReplicas);
        m_lanes.push_back(std::make_unique<Lane>(name, std::move(cluster), std::move(ctl),
                                                 reason));
        // A sample a second, whose number is known: grown by doubling, a month-long run's
        // vector was copied whole as it grew, old and new held at once (a lane's 300 MB
        // twice). The space reserved and not yet reached costs no memory until written.
        if (m_lanes.back()->available())
            m_lanes.back()->m_samples.reserve(static_cast<std::size_t>(m_duration));
    }
}

Experiment::~Experiment() = default;

std::vector<std::string> Experiment::notes() const
{
    std::vector<std::string> notes = m_arrivals->notes();
    notes.insert(notes.end(), m_notes.begin(), m_notes.end());
    return notes;
}

void Experiment::checkLimits(const traffic::ArrivalSource &arrivals, double durationS)
{
    // Memory grows with the arrivals held ahead (a minute or more) and the
    // samples kept (one per lane-second): refuse runs that would exhaust it.
    if (!(durationS <= kMaxDurationS))
        traffic::failTooLong(arrivals.endSite(), durationS);
    if (!(arrivals.peakRate(durationS) <= kMaxRatePerS)) {
        const traffic::SourceSite site = arrivals.peakSite(durationS);
        throw InputError(site.file, site.row, site.field,
            site.detail + "; the simulator takes at most "
                + std::to_string(std::lround(kMaxRatePerS)) + " req/s");
    }
}

int openingReplicas(const traffic::ArrivalSource &arrivals, const ClusterConfig &cluster)
{
    double rate = 0.0;
    for (int t = 0; t < 10; ++t)
        rate += arrivals.baseRateAt(t + 0.5) / 10.0;
    const int pods = static_cast<int>(
        std::ceil(rate * arrivals.meanServiceS() / (cluster.podSlots * 0.5)));
    return std::clamp(pods, cluster.minReplicas, cluster.maxReplicas);
}

int Experiment::autoInitialReplicas() const
{
    return openingReplicas(*m_arrivals, m_config.cluster);
}

// Every lane steps every simulated second (a sample with three latency quantiles, a
// controller decision). NASA July at its own pace (2.4 M seconds, 4 lanes) takes about
// 9 s on two cores (bench/README.md).
void Experiment::advanceTo(double tS)
{
    const double target = std::min(std::floor(tS), m_duration);
    while (m_now < target) {
        // A chunk at a time: the lanes step through it side by side, each on its own.
        const Chunk chunk = drawAhead(target - m_now);
        stepLanes(chunk);
        for (std::size_t i = 0; i < chunk.seconds; ++i) {
            m_future.pop_front();
            m_futureNoData.pop_front();
        }
        m_now += static_cast<double>(chunk.seconds);
    }
    if (finished()) {
        for (auto &lane : m_lanes)
            lane->m_cluster->finish();
    }
}

void Experiment::stopHere()
{
    m_duration = m_now;
    advanceTo(m_now); // nothing left to simulate: the lanes finish as at any run's end
}

Experiment::Chunk Experiment::drawAhead(double maxSeconds)
{
    std::size_t held = 0;
    for (const auto &second : m_future)
        held += second.size();
    // In order of time, one second after another, however the run is chunked: a run's
    // arrivals are the same at every speed and thread count. A busy source draws a
    // shorter chunk, so memory stays bounded; the next second's look-ahead always comes.
    const double last = std::min(m_now + std::min(maxSeconds, kChunkMaxS) + m_lookaheadS, m_duration);
    for (double t = m_now + static_cast<double>(m_future.size()); t < last; t += 1.0) {
        if (t >= m_now + 1.0 + m_lookaheadS && held > kChunkArrivals)
            break;
        m_future.emplace_back();
        m_arrivals->generate(t, t + 1.0, m_future.back());
        m_futureNoData.push_back(!m_arrivals->hasDataAt(t + 0.5));
        held += m_future.back().size();
    }
    // The seconds whose look-ahead is all drawn (or runs to the end).
    const double drawnUntil = m_now + static_cast<double>(m_future.size());
    const double ready = drawnUntil >= m_duration ? m_duration - m_now
                                                  : drawnUntil - m_lookaheadS - m_now;
    return {static_cast<std::size_t>(std::max(1.0, std::min({maxSeconds, kChunkMaxS, ready}))),
        held};
}

void Experiment::stepLanes(const Chunk &chunk)
{
    const std::size_t seconds = chunk.seconds;
    const auto lookahead = static_cast<std::size_t>(m_lookaheadS);
    const auto stepLane = [&](Lane &lane) {
        for (std::size_t k = 0; k < seconds; ++k) {
            const double until = m_now + static_cast<double>(k + 1);
            // The seconds after this one, as many as are drawn ahead of it (fewer at the end).
            const auto ahead = std::min(lookahead, static_cast<std::size_t>(m_duration - until));
            const control::FutureSeconds future(m_future, m_futureNoData, k + 1, ahead);
            lane.step(m_future[k], until, future, m_futureNoData[k]);
        }
    };
    std::vector<Lane *> lanes;
    for (auto &lane : m_lanes) {
        if (lane->available())
            lanes.push_back(lane.get());
    }
    const unsigned cores = std::max(1U, std::thread::hardware_concurrency());
    const auto threads = std::min<std::size_t>(
        lanes.size(), m_config.threads > 0 ? static_cast<unsigned>(m_config.threads) : cores);
    // Threads cost more than a few quiet seconds' steps: the live dashboard's small
    // advances stay on the calling thread.
    if (threads <= 1 || (seconds < kParallelMinS && chunk.arrivals < kParallelMinArrivals)) {
        for (Lane *lane : lanes)
            stepLane(*lane);
        return;
    }
    // Each thread takes the next lane not yet taken, so a slow lane (the predictive one)
    // does not hold up the others' thread.
    std::atomic<std::size_t> next {0};
    std::vector<std::exception_ptr> failures(threads);
    const auto work = [&](std::size_t worker) {
        try {
            for (std::size_t i = next++; i < lanes.size(); i = next++)
                stepLane(*lanes[i]);
        } catch (...) {
            failures[worker] = std::current_exception();
        }
    };
    {
        std::vector<std::jthread> pool;
        for (std::size_t w = 1; w < threads; ++w)
            pool.emplace_back(work, w);
        work(0);
    }
    for (const std::exception_ptr &failure : failures) {
        if (failure)
            std::rethrow_exception(failure);
    }
}

void Experiment::fireSpike(traffic::Spike spike)
{
    spike.startS = std::max(spike.startS, m_now);
    m_arrivals->addSpike(spike);
    for (std::size_t i = 0; i < m_future.size(); ++i)
        m_arrivals->generateNewestSpike(m_now + i, m_now + i + 1.0, m_future[i]);
    for (auto &lane : m_lanes) {
        lane->m_events.push_back({spike.startS, "spike",
                                  "spike x" + traffic::numberText(spike.multiplier)
                                      + " for " + std::to_string(std::lround(spike.durationS))
                                      + " s"
                                      + (spike.shape == traffic::SpikeShape::Step
                                              ? std::string()
                                              : " (" + std::string(traffic::spikeShapeName(spike.shape)) + ")")});
    }
}

metrics::RunSummary Experiment::summary() const
{
    metrics::RunSummary s;
    s.scenario = m_config.name;
    s.source = m_arrivals->describe();
    s.seed = m_config.seed;
    s.durationS = m_duration;
    s.sloLatencyMs = m_config.cluster.sloLatencyS * 1000.0;
    s.preset = m_config.cluster.preset;
    s.cluster = clusterFields(m_config.cluster);
    for (const auto &lane : m_lanes)
        s.lanes.push_back(lane->summary());

    // The dashboard table's comparison across lanes, over the whole run.
    std::vector<std::pair<std::string, bool>> names;
    std::vector<const std::vector<metrics::LaneSample> *> samples;
    for (const auto &lane : m_lanes) {
        names.emplace_back(lane->controller(), lane->available());
        samples.push_back(&lane->samples());
    }
    metrics::ComparisonSettings settings;
    settings.sloLatencyMs = s.sloLatencyMs;
    settings.serviceMeanS = serviceMeanS();
    settings.podSlots = m_config.cluster.podSlots;
    settings.durationS = m_duration;
    settings.referenceLane = metrics::referenceLane(names);
    settings.maxReplicas = m_config.cluster.maxReplicas;
    std::vector<metrics::SpikeWindow> spikes;
    for (const traffic::Spike &spike : m_arrivals->allSpikes())
        spikes.push_back({spike.startS, spike.endS()});
    metrics::ComparisonTracker tracker;
    tracker.reset(settings);
    tracker.update(samples, spikes);
    const auto &results = tracker.results();
    for (std::size_t i = 0; i < s.lanes.size() && i < results.size(); ++i)
        metrics::applyComparison(s.lanes[i], results[i], settings);
    return s;
}

void checkControllerNames(const std::vector<std::string> &names,
                          const std::map<std::string, std::string> &models)
{
    if (names.empty())
        throw InputError("command line", std::nullopt, "--controllers", "no controller given");
    for (std::size_t i = 0; i < names.size(); ++i) {
        const std::string &name = names[i];
        if (std::find(names.begin(), names.begin() + static_cast<long>(i), name)
            != names.begin() + static_cast<long>(i))
            throw InputError("command line", std::nullopt, "--controllers",
                             "'" + name + "' given twice: each controller is one lane");
        if (control::isKnownController(name))
            continue;
        if (const auto label = control::predictiveModelLabel(name)) {
            if (!control::isValidModelLabel(*label))
                throw InputError("command line", std::nullopt, "--controllers",
                                 "'" + name + "': after 'predictive-' comes a model label "
                                 "(letters, digits and _) defined by --models LABEL=FILE");
            if (models.count(*label) == 0)
                throw InputError("command line", std::nullopt, "--controllers",
                                 "'" + name + "' has no model: give --models " + *label
                                     + "=FILE");
            continue;
        }
        std::string known;
        for (const std::string &k : control::availableControllers())
            known += (known.empty() ? "" : ", ") + k;
        throw InputError("command line", std::nullopt, "--controllers",
                         "unknown controller '" + name + "' (available: " + known
                             + ", predictive-LABEL with --models LABEL=FILE)");
    }
}

ExperimentConfig scenarioConfig(const traffic::Scenario &scenario, std::vector<std::string> controllers)
{
    ExperimentConfig config;
    config.name = scenario.name;
    config.seed = scenario.seed;
    config.durationS = scenario.durationS;
    config.cluster = scenario.cluster;
    config.controllers = std::move(controllers);
    return config;
}

std::unique_ptr<Experiment> scenarioExperiment(
    const traffic::Scenario &scenario, std::vector<std::string> controllers)
{
    return std::make_unique<Experiment>(scenarioConfig(scenario, std::move(controllers)),
        std::make_unique<traffic::ScenarioArrivals>(scenario));
}

} // namespace headroom::sim
