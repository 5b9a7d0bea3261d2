#include "control/kpacontroller.h"

#include "logging.h"
#include "sim/cluster.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace headroom::control {

namespace {

std::string oneDecimal(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f", value);
    return buffer;
}

// Panic is a state that lasts: its events open and close a span the charts shade.
constexpr const char *kPanicRegion = "KPA panic";

metrics::LaneEvent event(double tS, const char *kind, std::string text)
{
    metrics::LaneEvent e;
    e.tS = tS;
    e.kind = kind;
    e.text = std::move(text);
    return e;
}

metrics::LaneEvent panicEvent(double tS, std::string text, bool opens)
{
    metrics::LaneEvent e = event(tS, "condition", std::move(text));
    e.region = kPanicRegion;
    e.regionOpens = opens;
    return e;
}

int readyPods(const sim::ClusterView &cluster)
{
    const auto &pods = cluster.pods();
    return static_cast<int>(std::count_if(pods.begin(), pods.end(),
                                          [](const sim::Pod &p) { return p.serving(); }));
}

} // namespace

KpaController::KpaController(const KpaSettings &settings, int initialReplicas)
    : m_settings(settings)
    // A new autoscaler has no history: with more than one pod ready it starts in panic,
    // holding the current count (autoscaler.go newAutoscaler, knative/serving#4795).
    , m_state(kpa::startState(initialReplicas))
    , m_lastDesired(initialReplicas)
{
}

std::optional<int> KpaController::onSecond(const ControlContext &context,
                                           std::vector<metrics::LaneEvent> &events)
{
    if (!m_reportedStart && m_state.panicking)
        events.push_back(panicEvent(context.nowS, "KPA starts in panic holding "
                                    + std::to_string(m_state.maxPanicPods)
                                    + " pods (no history yet)", true));
    m_reportedStart = true;
    record(context);
    const double concurrency = m_history.empty() ? 0.0 : m_history.back();
    m_lastDesired = context.cluster.desiredReplicas();
    if (!isDecisionPoint(context.nowS, concurrency))
        return std::nullopt;

    kpa::Inputs inputs;
    inputs.concurrency.assign(m_history.begin(), m_history.end());
    inputs.readyPods = readyPods(context.cluster);
    inputs.idleS = m_idleS;
    inputs.state = m_state;
    const kpa::Decision d = kpa::decide(m_settings.config, inputs);
    if (!d.valid)
        return std::nullopt;
    m_last = d;
    m_state = d.next;
    reportPanic(context.nowS, d, events);
    if (d.desiredPods == m_lastDesired)
        return std::nullopt;
    reportScale(context.nowS, d, events);
    m_lastDesired = d.desiredPods;
    return d.desiredPods;
}

void KpaController::reportScale(double nowS, const kpa::Decision &d,
                                std::vector<metrics::LaneEvent> &events) const
{
    const double shown = d.panicking ? d.panicConcurrency : d.stableConcurrency;
    const std::string text = "KPA " + std::to_string(m_lastDesired) + " -> "
        + std::to_string(d.desiredPods) + " (" + (d.panicking ? "panic" : "stable")
        + ", concurrency " + oneDecimal(shown) + ")";
    events.push_back(event(nowS, "scale", text));
    qCDebug(lcControl) << text.c_str();
}

void KpaController::record(const ControlContext &context)
{
    if (m_state.panicking)
        m_state.panicStartedSAgo += 1.0;
    if (context.samples.empty())
        return;
    const double concurrency = context.samples.back().concurrency;
    m_history.push_back(concurrency);
    while (m_history.size() > static_cast<std::size_t>(m_settings.config.stableBuckets()))
        m_history.pop_front();
    m_idleS = concurrency > 0.0 ? 0.0 : m_idleS + 1.0;
}

bool KpaController::isDecisionPoint(double nowS, double concurrency) const
{
    // multiscaler.go Poke: a revision at zero is decided at once when the activator reports
    // demand, not at the next tick.
    if (m_lastDesired == 0 && concurrency > 0.0)
        return true;
    return std::lround(nowS) % m_settings.tickS == 0;
}

void KpaController::reportPanic(double nowS, const kpa::Decision &d,
                                std::vector<metrics::LaneEvent> &events)
{
    const kpa::Config &c = m_settings.config;
    if (d.enteringPanic)
        events.push_back(panicEvent(nowS, "KPA entering panic: panic concurrency "
                                    + oneDecimal(d.panicConcurrency) + " wants "
                                    + std::to_string(d.panicDesired) + " pods, over "
                                    + oneDecimal(c.panicThresholdPercentage) + " % of ready",
                                    true));
    if (d.leavingPanic)
        events.push_back(panicEvent(nowS, "KPA leaving panic: a stable window ("
                                    + oneDecimal(c.stableWindowS) + " s) under the threshold",
                                    false));
}

} // namespace headroom::control
