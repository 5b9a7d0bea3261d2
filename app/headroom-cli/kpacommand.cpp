#include "kpacommand.h"

#include "cliargs.h"

#include "control/kpacalculator.h"
#include "io/inputerror.h"
#include "io/kpajson.h"
#include "traffic/textfile.h"

#include <exception>

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

constexpr const char *kUsage = "usage: headroom-cli kpa --input FILE   (or --input=FILE)\n"
                               "  one Knative KPA decision, explained (docs/kpa-cli.md)\n";

std::string restartReason(const headroom::io::KpaInput &input)
{
    const int ready = input.inputs.readyPods;
    if (ready > 1)
        return "restarted with " + std::to_string(ready)
            + " ready pods and no history: starts in panic holding them (knative/serving#4795)";
    return "restarted with " + std::to_string(ready) + " ready pods: starts in stable mode";
}

} // namespace

int runKpaCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (asksForHelp(args)) {
        out << kUsage;
        return kExitOk;
    }
    std::string path;
    try {
        path = readInputOption(args, "kpa");
    } catch (const headroom::InputError &e) {
        err << "headroom-cli kpa: " << e.what() << "\n" << kUsage;
        return kExitUsage;
    }
    try {
        const headroom::io::KpaInput input
            = headroom::io::parseKpaInput(headroom::traffic::readTextFile(path), path);
        headroom::control::kpa::Decision decision
            = headroom::control::kpa::decide(input.config, input.inputs);
        if (input.restarted)
            decision.reasons.insert(decision.reasons.begin(), restartReason(input));
        out << headroom::io::kpaDecisionJson(decision) << "\n";
        return kExitOk;
    } catch (const headroom::InputError &e) {
        err << "headroom-cli kpa: " << e.what() << "\n";
        return kExitUsage;
    } catch (const std::exception &e) {
        err << "headroom-cli kpa: " << e.what() << "\n";
        return kExitFailure;
    }
}
