#include "hpacommand.h"

#include "control/hpacalculator.h"
#include "io/hpajson.h"
#include "io/inputerror.h"
#include "traffic/textfile.h"

#include <optional>

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

struct UsageError
{
    std::string message;
};

struct Options
{
    bool help = false;
    std::string inputPath;
};

void setInput(Options &options, const std::string &value)
{
    if (!options.inputPath.empty())
        throw UsageError {"option --input is given twice"};
    if (value.empty())
        throw UsageError {"option --input: the file name is empty"};
    options.inputPath = value;
}

// Accepts `--input FILE`, `--input=FILE` and `--help` / `-h`.
Options parseArgs(const std::vector<std::string> &args)
{
    Options options;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string &arg = args[i];
        if (arg == "--help" || arg == "-h")
            options.help = true;
        else if (arg.starts_with("--input="))
            setInput(options, arg.substr(std::string("--input=").size()));
        else if (arg == "--input" && i + 1 < args.size())
            setInput(options, args[++i]);
        else if (arg == "--input")
            throw UsageError {"option --input needs a value"};
        else if (arg.starts_with("-"))
            throw UsageError {"unknown option '" + arg + "'"};
        else
            throw UsageError {"unexpected argument '" + arg + "'"};
    }
    if (!options.help && options.inputPath.empty())
        throw UsageError {"missing --input FILE"};
    return options;
}

} // namespace

int runHpaCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    Options options;
    try {
        options = parseArgs(args);
    } catch (const UsageError &e) {
        err << "headroom-cli hpa: " << e.message << '\n' << kUsage;
        return kExitUsage;
    }
    if (options.help) {
        out << kUsage;
        return kExitOk;
    }
    try {
        const std::string text = headroom::traffic::readTextFile(options.inputPath);
        const headroom::io::HpaInput input = headroom::io::parseHpaInput(text, options.inputPath);
        const hpa::Decision decision
            = hpa::decide(input.spec, input.currentReplicas, input.pods, input.history);
        out << headroom::io::hpaDecisionJson(decision) << '\n';
    } catch (const headroom::InputError &e) {
        err << "headroom-cli hpa: " << e.what() << '\n';
        return kExitUsage;
    }
    return kExitOk;
}
