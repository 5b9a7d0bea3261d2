#pragma once

#include "control/controller.h"
#include "control/hpacalculator.h"

#include <cstdint>
#include <deque>
#include <map>
#include <random>

namespace headroom::control {

struct HpaSettings
{
    hpa::Spec spec = defaultSpec();
    double syncPeriodS = 15.0;   // --horizontal-pod-autoscaler-sync-period
    double scrapePeriodS = 15.0; // metrics-server --metric-resolution, as its manifests deploy it

    static hpa::Spec defaultSpec();
};

// The Kubernetes HPA on CPU utilization, seeing only what the real one sees:
// per-pod CPU averaged by metrics-server over its scrape gap, read at the
// HPA's own sync phase. The decision itself is hpa::decide().
class HpaController : public Controller
{
public:
    HpaController(const HpaSettings &settings, std::uint64_t seed, int initialReplicas);

    std::string name() const override { return "hpa"; }
    std::optional<int> onSecond(const ControlContext &context,
                                std::vector<metrics::LaneEvent> &events) override;

    const hpa::Spec &spec() const { return m_settings.spec; }
    // The last sync's decision (its status, as the HPA object's status shows it), and when it
    // last changed the replicas; none before the first sync or change.
    const std::optional<hpa::Decision> &lastDecision() const { return m_lastDecision; }
    std::optional<double> lastScaleS() const { return m_lastScaleS; }
    int scrapePhaseS() const { return m_scrapePhaseS; }
    int syncPhaseS() const { return m_syncPhaseS; }

protected:
    // How events name this controller.
    virtual std::string label() const { return "HPA"; }
    // A forecasting HPA replaces the metric's proposal with its own candidate
    // (predictive-horizontal-pod-autoscaler style); behaviour then applies to it.
    virtual int candidate(double nowS, int proposal) { (void)nowS; return proposal; }

private:
    struct Scrape
    {
        double atS = 0.0;
        double cumulativeCpu = 0.0;
    };
    struct PodMetric
    {
        Scrape previous;
        bool hasPrevious = false;
        bool hasValue = false;
        double usageM = 0.0;
        double timestampS = 0.0;
        double windowS = 0.0;
    };

    // The kubelet's cAdvisor: each pod's cumulative CPU, sampled on its own
    // housekeeping interval (10 to 15 s) and phase; metrics-server reads the latest sample.
    struct Kubelet
    {
        int intervalS = 10;
        int phaseS = 0;
        std::deque<Scrape> counters; // the pod's counter each second, last 30 s
    };
    void recordCounters(const ControlContext &context);
    std::optional<Scrape> latestKubeletSample(const Kubelet &kubelet, double nowS) const;
    void scrape(const ControlContext &context);
    std::vector<hpa::PodInfo> podInfos(const ControlContext &context) const;
    hpa::History history(double nowS) const;
    void reportMissingMetrics(double nowS, const std::vector<hpa::PodInfo> &pods,
                              std::vector<metrics::LaneEvent> &events);
    void reportConditions(double nowS, const hpa::Decision &decision,
                          std::vector<metrics::LaneEvent> &events);

    HpaSettings m_settings;
    std::mt19937_64 m_rng;
    std::uniform_real_distribution<double> m_miss;
    int m_scrapePhaseS;
    int m_syncPhaseS;
    int m_currentReplicas;
    std::optional<hpa::Decision> m_lastDecision;
    std::optional<double> m_lastScaleS;
    bool m_scrapedOnce = false;
    std::map<int, PodMetric> m_metrics; // by pod id
    std::map<int, Kubelet> m_kubelets;  // by pod id
    std::vector<std::pair<double, int>> m_recommendations; // (time, proposal)
    std::vector<std::pair<double, int>> m_scaleEvents;     // (time, change)
    std::map<std::string, std::string> m_conditionReasons; // type -> last reason
    std::vector<std::string> m_lastMissing; // pods without a metric at the last sync
};

} // namespace headroom::control
