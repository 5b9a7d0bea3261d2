// headroom-cli: headless experiments for scripts and CI.
#include "apptheme.h"
#include "cliargs.h"
#include "controlcommand.h"
#include "hpacommand.h"
#include "kpacommand.h"
#include "loadcommand.h"
#include "runcommand.h"
#include "servecommand.h"
#include "sweepcommand.h"
#include "traincommand.h"

#include <QApplication>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

constexpr const char *kUsage = R"(usage:
  headroom-cli run (--scenario NAME|FILE | --trace FILE[@...] [--compression X] | both)
                   [--controllers LIST] [--seed N] [--duration SECONDS]
                   [--model FILE] [--models LABEL=FILE,...]
                   [--preset default|llm] [--max-replicas N] --out DIR
  headroom-cli sweep [--scenarios LIST] [--traces LIST] [--controllers LIST] --seeds N
                     [--jobs N] [--duration S] [--model FILE] [--models LABEL=FILE,...]
                     [--preset default|llm] [--max-replicas N] [--index K]
                     [--emit-k8s-job [--parallelism N] [--image NAME]] --out DIR
                     (entries take @preset=NAME and @max-replicas=N; docs/sweep.md)
  headroom-cli sweep --merge DIR... --out DIR
  headroom-cli train [--samples N] [--seed N] [--epochs N] [--trace FILE[@...]] --out FILE
  headroom-cli train --evaluate MODEL.pt --trace FILE[@...]   a model on a trace's held-out tail
  headroom-cli serve (--scenario NAME|FILE | --trace FILE[@...] | --no-load) [--speed X] [--port N] ...
                     the simulated cluster behind a Kubernetes API subset, answering
                     inference requests at POST /v1/infer (docs/serve.md)
  headroom-cli load --url URL (--scenario NAME|FILE | --trace FILE[@...] | --rate R --duration S) ...
                     open-loop HTTP load on a service, timed client-side (docs/serve.md)
  headroom-cli control [--kubeconfig FILE | --server URL | --in-cluster] [--controller NAME] ...
                     one controller scaling a cluster through its API (docs/serve.md)
  headroom-cli hpa --input FILE    one Kubernetes HPA sync, explained (docs/hpa-cli.md)
  headroom-cli kpa --input FILE    one Knative KPA decision, explained (docs/kpa-cli.md)
  headroom-cli scenarios
  headroom-cli --help | --version

run takes a scenario, a trace, or both (the trace on the scenario's cluster and seed).
A trace is FILE or a slice as sweep takes it, FILE@x60@from=72h@hours=72 (run, serve, load).
Controllers: predictive, hpa, kpa, linear, holt-winters, clairvoyant, and
predictive-LABEL for each --models LABEL=FILE (the predictive lane on that model).
Exit codes: 0 success, 1 run failed, 2 bad command line or bad input file;
run stopped by Ctrl+C or TERM: 130 or 143, with the files of what ran.
)";

} // namespace

int dispatch(int argc, char **argv);

// Whatever a command did not catch (memory running out on a huge input) ends with a message
// and exit 1, not an abort.
int main(int argc, char **argv)
{
    try {
        return dispatch(argc, argv);
    } catch (const std::bad_alloc &) {
        std::cerr << "headroom-cli: out of memory (an input too large for this machine?)\n";
    } catch (const std::exception &e) {
        std::cerr << "headroom-cli: " << e.what() << "\n";
    }
    return 1;
}

int dispatch(int argc, char **argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        std::cout << kUsage;
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << "headroom-cli " << HEADROOM_VERSION << "\n";
        return 0;
    }
    const std::string command = args[0];
    args.erase(args.begin());
    const bool wantsHelp = asksForHelp(args);
    // train, serve, load, control, hpa and kpa print their own usage; sweep's is in the summary above.
    if (wantsHelp && (command == "run" || command == "sweep" || command == "scenarios")) {
        std::cout << kUsage;
        return 0;
    }
    if (command == "train")
        return runTrainCommand(args, std::cout, std::cerr);
    if (command == "hpa")
        return runHpaCommand(args, std::cout, std::cerr);
    if (command == "kpa")
        return runKpaCommand(args, std::cout, std::cerr);
    if (command == "control")
        return runControlCommand(args, std::cout, std::cerr);
    if (command == "serve")
        return runServeCommand(args, std::cout, std::cerr);
    if (command == "load")
        return runLoadCommand(args, std::cout, std::cerr);
    if (command == "scenarios")
        return runScenariosCommand(args, std::cout, std::cerr);
    if (command == "run") {
        // The comparison charts are drawn with Qt Charts: no display needed.
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        headroom::ui::muteOffscreenPlatformNotices();
        QApplication app(argc, argv);
        return runRunCommand(args, std::cout, std::cerr);
    }
    if (command == "sweep") {
        // The sweep's comparison charts are drawn with QPainter: no display needed.
        if (!qEnvironmentVariableIsSet("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        headroom::ui::muteOffscreenPlatformNotices();
        QApplication app(argc, argv);
        return runSweepCommand(args, std::cout, std::cerr);
    }
    std::cerr << "headroom-cli: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
}
