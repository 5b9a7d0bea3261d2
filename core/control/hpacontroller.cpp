#include "control/hpacontroller.h"

#include "io/listtext.h"

#include "logging.h"
#include "sim/cluster.h"

#include <cmath>
#include <sstream>

namespace headroom::control {

namespace {

bool onPeriod(double nowS, int phaseS, double periodS)
{
    const long t = std::lround(nowS) - phaseS;
    return t >= 0 && t % std::lround(periodS) == 0;
}

// History older than every window the decision can look at is dropped.
constexpr double kHistoryKeepS = 3600.0;

} // namespace

hpa::Spec HpaSettings::defaultSpec()
{
    hpa::Spec spec;
    spec.behavior = hpa::defaultBehavior(spec.downscaleStabilizationS);
    return spec;
}

HpaController::HpaController(const HpaSettings &settings, std::uint64_t seed, int initialReplicas)
    : m_settings(settings)
    , m_rng(seed ^ 0x48504121ULL)
    , m_currentReplicas(initialReplicas)
{
    // Each HPA and the metrics-server run on their own random phase.
    m_scrapePhaseS = std::uniform_int_distribution<int>(
        1, static_cast<int>(settings.scrapePeriodS))(m_rng);
    m_syncPhaseS = std::uniform_int_distribution<int>(
        1, static_cast<int>(settings.syncPeriodS))(m_rng);
    // A new HPA seeds its stabilization window with the current count.
    m_recommendations.emplace_back(0.0, initialReplicas);
}

std::optional<int> HpaController::onSecond(const ControlContext &context,
                                           std::vector<metrics::LaneEvent> &events)
{
    recordCounters(context);
    // The first call takes metrics-server's baseline scrape.
    if (!m_scrapedOnce || onPeriod(context.nowS, m_scrapePhaseS, m_settings.scrapePeriodS))
        scrape(context);
    if (!onPeriod(context.nowS, m_syncPhaseS, m_settings.syncPeriodS))
        return std::nullopt;

    m_currentReplicas = context.cluster.desiredReplicas();
    const std::vector<hpa::PodInfo> pods = podInfos(context);
    const hpa::History past = history(context.nowS);
    hpa::Decision decision = hpa::decide(m_settings.spec, m_currentReplicas, pods, past);
    // The metric's own proposal when a forecast replaced it, for the event to give both.
    std::optional<int> metricProposal;
    if (decision.metricsAvailable) {
        const int chosen = candidate(context.nowS, decision.proposedReplicas);
        if (chosen != decision.proposedReplicas) {
            metricProposal = decision.proposedReplicas;
            hpa::Decision adjusted = hpa::normalizeProposal(m_settings.spec, m_currentReplicas,
                                                            chosen, past);
            adjusted.utilizationPercent = decision.utilizationPercent;
            adjusted.readyPodsCounted = decision.readyPodsCounted;
            decision = adjusted;
        }
    }
    reportConditions(context.nowS, decision, events);
    reportMissingMetrics(context.nowS, pods, events);
    m_lastDecision = decision;
    if (!decision.metricsAvailable)
        return std::nullopt;
    m_recommendations.emplace_back(context.nowS, decision.proposedReplicas);
    std::erase_if(m_recommendations,
                  [&](const auto &r) { return context.nowS - r.first > kHistoryKeepS; });
    if (decision.desiredReplicas == m_currentReplicas)
        return std::nullopt;

    std::ostringstream text;
    text << label() << " " << m_currentReplicas << " -> " << decision.desiredReplicas << " (";
    // A forecast that won over the metric drove the decision: the CPU alone would not say why.
    if (metricProposal)
        text << label() << " forecast of replicas: " << decision.proposedReplicas
             << "; HPA alone: " << *metricProposal << ", ";
    text << "CPU " << std::lround(decision.utilizationPercent.value_or(0.0))
         << " % of request, target " << m_settings.spec.targetUtilizationPercent << " %)";
    events.push_back({context.nowS, "scale", text.str()});
    qCDebug(lcControl) << text.str().c_str();
    m_scaleEvents.emplace_back(context.nowS, decision.desiredReplicas - m_currentReplicas);
    std::erase_if(m_scaleEvents,
                  [&](const auto &e) { return context.nowS - e.first > kHistoryKeepS; });
    m_currentReplicas = decision.desiredReplicas;
    m_lastScaleS = context.nowS;
    return decision.desiredReplicas;
}

void HpaController::recordCounters(const ControlContext &context)
{
    std::map<int, Kubelet> kept;
    for (const sim::Pod &pod : context.cluster.pods()) {
        if (pod.phase == sim::Pod::Phase::Pending)
            continue;
        auto it = m_kubelets.find(pod.id);
        Kubelet kubelet;
        if (it != m_kubelets.end()) {
            kubelet = std::move(it->second);
        } else {
            kubelet.intervalS = std::uniform_int_distribution<int>(10, 15)(m_rng);
            kubelet.phaseS = std::uniform_int_distribution<int>(0, kubelet.intervalS - 1)(m_rng);
        }
        kubelet.counters.push_back({context.nowS, context.cluster.cumulativeCpuCoreSeconds(pod)});
        while (kubelet.counters.size() > 30)
            kubelet.counters.pop_front();
        kept[pod.id] = std::move(kubelet);
    }
    m_kubelets = std::move(kept);
}

std::optional<HpaController::Scrape> HpaController::latestKubeletSample(const Kubelet &kubelet,
                                                                        double nowS) const
{
    for (auto it = kubelet.counters.rbegin(); it != kubelet.counters.rend(); ++it) {
        const long t = std::lround(it->atS);
        if (it->atS <= nowS && (t - kubelet.phaseS) % kubelet.intervalS == 0)
            return *it;
    }
    return std::nullopt;
}

void HpaController::scrape(const ControlContext &context)
{
    // metrics-server: at each scrape it takes every pod's latest kubelet sample
    // and reports the counter's difference from the previous scrape's sample
    // over their gap. A pod needs two samples before it has a value.
    const sim::ClusterConfig &config = context.cluster.config();
    std::map<int, PodMetric> next;
    for (const sim::Pod &pod : context.cluster.pods()) {
        if (pod.phase == sim::Pod::Phase::Pending
            || context.nowS - pod.startedS < config.metricsStartDelayS)
            continue; // no container running yet, or cAdvisor has no sample for it yet
        PodMetric metric = m_metrics.count(pod.id) ? m_metrics.at(pod.id) : PodMetric {};
        if (config.scrapeMissProbability > 0.0 && m_miss(m_rng) < config.scrapeMissProbability) {
            // A failed scrape: absent from the metrics API until the next one.
            metric.hasValue = false;
            next[pod.id] = metric;
            continue;
        }
        const auto kubelet = m_kubelets.find(pod.id);
        const std::optional<Scrape> sample = kubelet == m_kubelets.end()
            ? std::nullopt
            : latestKubeletSample(kubelet->second, context.nowS);
        if (!sample) {
            next[pod.id] = metric; // the kubelet has no sample of this pod yet
            continue;
        }
        const Scrape now = *sample;
        if (metric.hasPrevious && now.atS > metric.previous.atS) {
            metric.windowS = now.atS - metric.previous.atS;
            metric.usageM = (now.cumulativeCpu - metric.previous.cumulativeCpu) / metric.windowS
                * 1000.0;
            metric.timestampS = now.atS;
            metric.hasValue = true;
        }
        metric.previous = now;
        metric.hasPrevious = true;
        next[pod.id] = metric;
    }
    m_metrics = std::move(next);
    m_scrapedOnce = true;
}

std::vector<hpa::PodInfo> HpaController::podInfos(const ControlContext &context) const
{
    const double now = context.nowS;
    std::vector<hpa::PodInfo> infos;
    for (const sim::Pod &pod : context.cluster.pods()) {
        hpa::PodInfo info;
        info.name = context.cluster.podName(pod);
        info.phase = pod.phase == sim::Pod::Phase::Pending ? hpa::PodInfo::Phase::Pending
                                                           : hpa::PodInfo::Phase::Running;
        info.ready = pod.serving();
        info.deleting = pod.phase == sim::Pod::Phase::Terminating;
        info.cpuRequestM = context.cluster.config().podCpuRequestM;
        info.startSAgo = now - pod.startedS;
        info.readyTransitionSAgo = now - pod.readyTransitionS;
        const auto it = m_metrics.find(pod.id);
        if (it != m_metrics.end() && it->second.hasValue) {
            info.cpuUsageM = it->second.usageM;
            info.metricAgeS = now - it->second.timestampS;
            info.metricWindowS = it->second.windowS;
        }
        infos.push_back(info);
    }
    return infos;
}

hpa::History HpaController::history(double nowS) const
{
    hpa::History h;
    for (const auto &[t, replicas] : m_recommendations)
        h.recommendations.push_back({nowS - t, replicas});
    for (const auto &[t, change] : m_scaleEvents)
        h.scaleEvents.push_back({nowS - t, change});
    return h;
}

void HpaController::reportMissingMetrics(double nowS, const std::vector<hpa::PodInfo> &pods,
                                         std::vector<metrics::LaneEvent> &events)
{
    std::vector<std::string> missing;
    for (const hpa::PodInfo &pod : pods) {
        if (pod.phase == hpa::PodInfo::Phase::Running && !pod.deleting && !pod.cpuUsageM)
            missing.push_back(pod.name);
    }
    if (missing == m_lastMissing)
        return;
    m_lastMissing = missing;
    if (!missing.empty()) {
        // The first few named, the rest counted (the count says how many).
        const std::size_t count = missing.size();
        events.push_back({nowS, "condition",
                          label() + ": no CPU metric for " + std::to_string(count) + " pod"
                              + (count > 1 ? "s" : "") + " (" + io::listedItems(missing)
                              + "): 100 % on scale-down, 0 % on scale-up"});
    }
}

void HpaController::reportConditions(double nowS, const hpa::Decision &decision,
                                     std::vector<metrics::LaneEvent> &events)
{
    for (const hpa::Condition &c : decision.conditions) {
        auto &last = m_conditionReasons[c.type];
        if (last == c.reason)
            continue;
        last = c.reason;
        events.push_back({nowS, "condition", label() + " " + c.type + "=" + c.status + " " + c.reason});
    }
}

} // namespace headroom::control
