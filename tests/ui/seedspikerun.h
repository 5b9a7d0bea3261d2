#pragma once

// A short real run the UI tests share: seed-spike to its end with an operator spike fired
// on top, as the dashboard holds it.
#include "comparisonexport.h"
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/scenario.h"

#include <memory>
#include <string>
#include <vector>

namespace headroom::testing {

// seed-spike (its own seed) with `controllers`, an operator spike of x3 for 10 s fired at
// `spikeAtS`, run to the end.
inline ui::ComparisonData seedSpikeWithOperatorSpike(
    std::vector<std::string> controllers, double spikeAtS)
{
    const traffic::Scenario scenario = traffic::resolveScenario("seed-spike");
    sim::Experiment experiment(sim::scenarioConfig(scenario, std::move(controllers)),
        std::make_unique<traffic::ScenarioArrivals>(scenario));
    experiment.advanceTo(spikeAtS);
    experiment.fireSpike(traffic::Spike {spikeAtS, 10.0, 3.0, 0.0});
    experiment.runToEnd();
    return ui::comparisonFromExperiment(experiment);
}

} // namespace headroom::testing
