#include "metrics/lanecomparison.h"

#include <algorithm>
#include <cmath>

namespace headroom::metrics {

namespace {

// Enough to tell a sample of a new run from the one seen at the same place before.
bool sameSample(const LaneSample &a, const LaneSample &b)
{
    return a.tS == b.tS && a.arrivalsPerS == b.arrivalsPerS && a.podsReady == b.podsReady
        && a.podsDesired == b.podsDesired && a.completedPerS == b.completedPerS;
}

} // namespace

std::optional<double> LaneComparison::meanScaleS() const
{
    double sum = 0.0;
    int reached = 0;
    for (const SpikeResponse &spike : spikes) {
        if (spike.scaleS) {
            sum += *spike.scaleS;
            ++reached;
        }
    }
    if (reached == 0)
        return std::nullopt;
    return sum / reached;
}

int LaneComparison::startedSpikes() const
{
    return static_cast<int>(std::count_if(spikes.begin(), spikes.end(),
        [](const auto &spike) { return spike.neededPods > 0; }));
}

int LaneComparison::missedSpikes() const
{
    return static_cast<int>(std::count_if(spikes.begin(), spikes.end(), [](const auto &spike) {
        return spike.closed && !spike.scaleS && spike.neededPods > 0;
    }));
}

// serviceMeanS is the source's mean service time (Experiment::serviceMeanS: from a trace's
// token counts where it has them), so traces with tokens are not understated.
double loadPods(const LaneSample &sample, double serviceMeanS, int podSlots)
{
    return sample.arrivalsPerS * serviceMeanS / std::max(podSlots, 1);
}

int podsMeetingSlo(double ratePerS, double serviceS, int podSlots, double sloS, int maxPods)
{
    if (!(ratePerS > 0.0) || !(serviceS > 0.0))
        return 1;
    const int slots = std::max(podSlots, 1);
    const double offered = ratePerS * serviceS; // slots the load keeps busy on average
    const double budget = std::max(0.0, sloS - serviceS);
    // Erlang B by its recursion, one server at a time (stable for any count), then Erlang C:
    // the chance a request waits, and a wait past t decays as exp(-(c mu - lambda) t).
    double erlangB = 1.0;
    int servers = 0;
    for (int pods = 1; pods <= maxPods; ++pods) {
        for (; servers < pods * slots; ++servers)
            erlangB = offered * erlangB / (servers + 1 + offered * erlangB);
        const double c = servers;
        if (c <= offered)
            continue;
        const double waits = c * erlangB / (c - offered * (1.0 - erlangB));
        if (waits * std::exp(-(c / serviceS - ratePerS) * budget) <= 0.05)
            return pods;
    }
    return std::max(maxPods, 1);
}

int referenceLane(const std::vector<std::pair<std::string, bool>> &namesAndAvailability)
{
    for (std::size_t i = 0; i < namesAndAvailability.size(); ++i) {
        const auto &[name, available] = namesAndAvailability[i];
        if (name == "clairvoyant" && available)
            return static_cast<int>(i);
    }
    return -1;
}

void ComparisonTracker::reset(const ComparisonSettings &settings)
{
    m_settings = settings;
    m_spikes.clear();
    m_lanes.clear();
    m_results.clear();
}

bool ComparisonTracker::continues(const std::vector<const std::vector<LaneSample> *> &lanes,
    const std::vector<SpikeWindow> &spikes) const
{
    if (lanes.size() != m_lanes.size() || spikes.size() < m_spikes.size())
        return false;
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        const LaneState &lane = m_lanes[i];
        if (lanes[i]->size() < lane.seen)
            return false;
        if (lane.seen > 0 && !sameSample((*lanes[i])[lane.seen - 1], lane.last))
            return false;
    }
    for (std::size_t j = 0; j < m_spikes.size(); ++j) {
        if (spikes[j].startS != m_spikes[j].startS || spikes[j].endS != m_spikes[j].endS)
            return false;
    }
    return true;
}

void ComparisonTracker::update(const std::vector<const std::vector<LaneSample> *> &lanes,
    const std::vector<SpikeWindow> &spikes)
{
    if (!continues(lanes, spikes)) {
        m_spikes.clear();
        m_lanes.assign(lanes.size(), {});
        m_results.assign(lanes.size(), {});
    }
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        for (std::size_t j = m_lanes[i].spikes.size(); j < spikes.size(); ++j) {
            m_lanes[i].spikes.emplace_back();
            m_results[i].spikes.push_back({spikes[j].startS, spikes[j].endS});
        }
    }
    m_spikes = spikes;

    const int ref = m_settings.referenceLane;
    const bool hasReference = ref >= 0 && static_cast<std::size_t>(ref) < lanes.size();
    for (std::size_t i = 0; i < lanes.size(); ++i) {
        m_results[i].isReference = hasReference && static_cast<int>(i) == ref;
        addSamples(i, *lanes[i], hasReference ? lanes[static_cast<std::size_t>(ref)] : nullptr);
        for (std::size_t j = 0; j < m_spikes.size(); ++j)
            followSpike(i, j, *lanes[i]);
    }
}

void ComparisonTracker::addSamples(
    std::size_t lane, const std::vector<LaneSample> &samples, const std::vector<LaneSample> *reference)
{
    LaneState &state = m_lanes[lane];
    LaneComparison &result = m_results[lane];
    // Lanes advance together; a reference a second behind holds the others back a second.
    const std::size_t end = reference ? std::min(samples.size(), reference->size()) : samples.size();
    for (; state.seen < end; ++state.seen) {
        const LaneSample &s = samples[state.seen];
        if (std::isfinite(s.latencyP95Ms) && s.latencyP95Ms > m_settings.sloLatencyMs)
            result.p95BreachSeconds += 1.0;
        if (reference && isCapped((*reference)[state.seen])) {
            result.referenceCappedSeconds += 1.0;
            result.referenceCapPods = m_settings.maxReplicas;
        }
        // A second the source has no record of (a hole in a trace) has unknown load: no
        // lane is over or under it.
        if (result.isReference || s.noData)
            continue;
        const double target = reference
            ? static_cast<double>((*reference)[state.seen].podsReady)
            : loadPods(s, m_settings.serviceMeanS, m_settings.podSlots);

        const double gap = s.podsReady - target;
        if (gap > 0.0)
            result.overPodSeconds += gap;
        else
            result.underPodSeconds -= gap;
        result.referencePodSeconds += target;
    }
    if (state.seen > 0)
        state.last = samples[state.seen - 1];
}

bool ComparisonTracker::isCapped(const LaneSample &reference) const
{
    const int cap = m_settings.maxReplicas;
    return cap > 0 && !reference.noData && reference.podsDesired >= cap
        && loadPods(reference, m_settings.serviceMeanS, m_settings.podSlots) > cap;
}

void ComparisonTracker::followSpike(
    std::size_t lane, std::size_t spike, const std::vector<LaneSample> &samples)
{
    SpikeState &state = m_lanes[lane].spikes[spike];
    SpikeResponse &result = m_results[lane].spikes[spike];
    const SpikeWindow &window = m_spikes[spike];
    if (result.closed || samples.empty())
        return;
    if (!state.started) {
        // A spike the operator fires starts at the newest second: few samples to skip.
        const auto first = std::lower_bound(samples.begin(), samples.end(), window.startS,
            [](const LaneSample &s, double t) { return s.tS < t; });
        state.next = static_cast<std::size_t>(first - samples.begin());
        state.started = true;
    }
    // A sample at t has the pods at t and the arrivals of [t - 1, t): the spike's load is in
    // the samples after its start, its pods in those from its start on.
    for (; state.next < samples.size(); ++state.next) {
        const LaneSample &s = samples[state.next];
        // A spike known before the run reaches it (the scenario's own): the samples before
        // its start, which came in after the start was looked for, are not part of it.
        if (s.tS < window.startS)
            continue;
        if (s.tS - 1.0 >= window.endS) {
            result.closed = true;
            break;
        }
        if (s.tS > window.startS) {
            state.loadSum += loadPods(s, m_settings.serviceMeanS, m_settings.podSlots);
            ++state.loadSeconds;
        }
        if (state.records.empty() || s.podsReady > state.records.back().second)
            state.records.emplace_back(s.tS, s.podsReady);
    }
    if (m_settings.durationS > 0.0 && samples.back().tS >= m_settings.durationS)
        result.closed = true;

    result.peakReadyPods = state.records.empty() ? 0 : state.records.back().second;
    result.neededPods = 0;
    result.scaleS.reset();
    if (state.loadSeconds == 0)
        return;
    const double meanLoad = state.loadSum / static_cast<double>(state.loadSeconds);
    if (m_settings.needMeetsSlo) {
        const int slots = std::max(m_settings.podSlots, 1);
        const double rate = meanLoad * slots / std::max(m_settings.serviceMeanS, 1e-9);
        const int most = m_settings.maxReplicas > 0 ? m_settings.maxReplicas : 100000;
        result.neededPods = podsMeetingSlo(rate, m_settings.serviceMeanS, slots,
                                           m_settings.sloLatencyMs / 1000.0, most);
    } else {
        result.neededPods = std::max(1, static_cast<int>(std::ceil(meanLoad - 1e-9)));
    }
    const auto reached = std::lower_bound(state.records.begin(), state.records.end(),
        result.neededPods, [](const auto &record, int pods) { return record.second < pods; });
    if (reached != state.records.end())
        result.scaleS = reached->first - window.startS;
}

void applyComparison(LaneSummary &lane, const LaneComparison &c, const ComparisonSettings &settings)
{
    if (!lane.available)
        return;
    lane.meanScaleS = c.meanScaleS();
    // The spikes the run reached: a scenario's spike past a shortened run's end is none.
    lane.spikes = c.startedSpikes();
    lane.spikesMissed = c.missedSpikes();
    lane.provisioningReference = settings.referenceLane >= 0 ? "clairvoyant" : "load";
    lane.isProvisioningReference = c.isReference;
    lane.overPodSeconds = c.overPodSeconds;
    lane.underPodSeconds = c.underPodSeconds;
    lane.referencePodSeconds = c.referencePodSeconds;
    lane.referenceCappedSeconds = c.referenceCappedSeconds;
    lane.referenceCapPods = c.referenceCapPods;
}

} // namespace headroom::metrics
