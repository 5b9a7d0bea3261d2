#include "hpacommand.h"

#include "cliargs.h"

#include "control/hpacalculator.h"
#include "io/hpajson.h"
#include "io/inputerror.h"
#include "traffic/textfile.h"


namespace {

namespace hpa = headroom::control::hpa;

// Exit codes.
constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;

constexpr const char *kUsage = R"(usage: headroom-cli hpa --input FILE

One Kubernetes HPA (autoscaling/v2, CPU utilization) sync computed from FILE, printed as JSON:
desired and proposed replicas, the utilization, and the conditions that explain them.
The input format and the rules are described in docs/hpa-cli.md.
Exit codes: 0 success, 2 bad command line or bad input file.
)";

} // namespace

int runHpaCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (asksForHelp(args)) {
        out << kUsage;
        return kExitOk;
    }
    std::string inputPath;
    try {
        inputPath = readInputOption(args, "hpa");
    } catch (const headroom::InputError &e) {
        err << "headroom-cli hpa: " << e.what() << '\n' << kUsage;
        return kExitUsage;
    }
    try {
        const std::string text = headroom::traffic::readTextFile(inputPath);
        const headroom::io::HpaInput input = headroom::io::parseHpaInput(text, inputPath);
        const hpa::Decision decision
            = hpa::decide(input.spec, input.currentReplicas, input.pods, input.history);
        out << headroom::io::hpaDecisionJson(decision) << '\n';
    } catch (const headroom::InputError &e) {
        err << "headroom-cli hpa: " << e.what() << '\n';
        return kExitUsage;
    }
    return kExitOk;
}
