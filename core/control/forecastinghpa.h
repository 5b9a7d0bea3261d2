#pragma once

#include "control/hpacontroller.h"

#include <deque>

namespace headroom::control {

// Classical predictive baselines in the style of
// jthomperoo/predictive-horizontal-pod-autoscaler: the HPA runs as usual, each
// sync's replica count joins a model's history, and the larger of the HPA's
// count and the model's forecast goes through the HPA's behaviour and limits.
// They show what the network adds over classical forecasting.

// Ordinary least squares over the last `historySize` counts, evaluated
// `lookAheadS` after now and rounded up (PHPA's example: 6 points, 10 s).
class LinearHpaController : public HpaController
{
public:
    LinearHpaController(const HpaSettings &settings, std::uint64_t seed, int initialReplicas,
                        int historySize = 6, double lookAheadS = 10.0);

    std::string name() const override { return "linear"; }
    // The forecast for `atS` from (time, replicas) points; one point forecasts itself.
    static double fit(const std::deque<std::pair<double, int>> &points, double atS);

protected:
    std::string label() const override { return "linear"; }
    int candidate(double nowS, int proposal) override;

private:
    int m_historySize;
    double m_lookAheadS;
    std::deque<std::pair<double, int>> m_points;
};

// Additive Holt-Winters over the sync history (PHPA's example: alpha, beta and
// gamma 0.9, a season of 6 syncs, 4 seasons stored), as PHPA runs statsmodels'
// ExponentialSmoothing: its recursion, and initial states estimated from the history
// (least squares, initialization_method "estimated"). Until it holds enough
// points (2 seasons, and 10 + 2 * floor(season / 2)) it offers no forecast and
// the HPA's count stands alone (PHPA issue #74: never a forecast of 0).
class HoltWintersHpaController : public HpaController
{
public:
    struct Params
    {
        double alpha = 0.9;
        double beta = 0.9;
        double gamma = 0.9;
        int season = 6;
        int storedSeasons = 4;
    };
    HoltWintersHpaController(const HpaSettings &settings, std::uint64_t seed, int initialReplicas,
                             Params params);

    std::string name() const override { return "holt-winters"; }
    // The one-step-ahead forecast, or a negative value while history is short.
    static double forecast(const std::deque<int> &values, const Params &params);

protected:
    std::string label() const override { return "holt-winters"; }
    int candidate(double nowS, int proposal) override;

private:
    Params m_params;
    std::deque<int> m_values;
};

} // namespace headroom::control
