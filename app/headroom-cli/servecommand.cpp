#include "servecommand.h"

#include "cliargs.h"

#include "cluster/kubeconfig.h"

#include "cluster/simserver.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "sim/experiment.h"
#include "traffic/arrivalsource.h"
#include "traffic/jsonfields.h"
#include "traffic/scenario.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iomanip>
#include <optional>
#include <set>
#include <sstream>

using namespace headroom;

namespace {

constexpr const char *kUsage = R"(usage: headroom-cli serve (--scenario NAME|FILE | --trace FILE[@...] [--compression X])
                          [--no-load] [--replicas N] [--hpa]
                          [--speed X] [--port N] [--address IP] [--seed N] [--duration S]
                          [--namespace NS] [--deployment NAME] [--preset default|llm]
                          [--max-replicas N] [--tls-cert FILE --tls-key FILE [--client-ca FILE]]
                          [--token-file FILE]
       headroom-cli serve --no-load [--replicas N] [--preset default|llm] [--duration S] ...

Runs the simulated cluster in real time (times --speed) behind a subset of the
Kubernetes API and a Prometheus /metrics endpoint, on http://IP:N (default
127.0.0.1:8080; --port 0 takes any free port). The load is the scenario's or the
trace's, plus the inference requests POSTed to /v1/infer, each answered when the
simulated cluster has served it (with --no-load they are the only load; the
scenario or trace, if given, sets the cluster and the opening replicas). The
deployment's replicas change only when a client scales it, as an external
autoscaler does, or, with --hpa, when the cluster's own HPA (Headroom's, on the
scenario's HPA settings; kubectl get hpa shows it) does:
  kubectl --server http://127.0.0.1:8080 get deployments,pods
  kubectl --server http://127.0.0.1:8080 scale deployment inference --replicas 5
  curl -d '{"prompt_tokens":200,"output_tokens":50}' http://127.0.0.1:8080/v1/infer
With --tls-cert and --tls-key it serves HTTPS (--client-ca: client certificates
required, signed by that CA); with --token-file every request must carry that bearer
token (the whole file, trimmed, on one line). Listening on an address
other than a loopback one with neither warns. It stops at the source's end (or --duration, simulated
seconds; with --no-load and no source, only when given), or on Ctrl-C.
See docs/serve.md.
)";

struct ServeOptions
{
    std::string scenario;
    std::string trace;
    double compression = 1.0;
    bool compressionGiven = false;
    bool hpa = false;
    std::optional<std::uint64_t> seed;
    std::optional<double> duration;
    bool noLoad = false;
    std::optional<int> replicas;
    cluster::ServerOptions server;
    std::string ns = "default";
    std::string deployment = "inference";
    ClusterOverrides cluster;
};

ServeOptions parseServeOptions(const std::vector<std::string> &written)
{
    OptionReader options(written);
    ServeOptions o;
    while (options.next()) {
        const std::string &a = options.option();
        const auto value = [&]() -> const std::string & { return options.value(); };
        if (a == "--scenario") {
            o.scenario = nonEmpty(a, value());
        } else if (a == "--trace") {
            o.trace = nonEmpty(a, value());
        } else if (a == "--compression") {
            o.compression = parseNumber(a, value());
            o.compressionGiven = true;
        } else if (a == "--speed") {
            o.server.speed = parsePositive(a, value());
            if (o.server.speed < 0.01 || o.server.speed > 1000.0)
                throw badOption(a, "from 0.01 to 1000 (simulated seconds per second)");
        } else if (a == "--port") {
            const std::string &text = value();
            unsigned port = 0;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
            if (ec != std::errc() || end != text.data() + text.size() || port > 65535)
                throw badOption(a, "'" + text + "' is not a port from 0 to 65535");
            o.server.port = static_cast<unsigned short>(port);
        } else if (a == "--address") {
            o.server.address = nonEmpty(a, value());
        } else if (a == "--no-load") {
            o.noLoad = true;
        } else if (a == "--hpa") {
            o.hpa = true;
        } else if (a == "--replicas") {
            const std::string &text = value();
            int replicas = -1;
            const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), replicas);
            if (ec != std::errc() || end != text.data() + text.size() || replicas < 0)
                throw badOption(a, "'" + text + "' is not a whole number of replicas from 0");
            o.replicas = replicas;
        } else if (a == "--seed") {
            o.seed = parseSeed(a, value());
        } else if (a == "--duration") {
            o.duration = parseDuration(a, value());
        } else if (a == "--namespace") {
            o.ns = cluster::kubernetesNameOption(a, value());
        } else if (a == "--deployment") {
            o.deployment = cluster::kubernetesNameOption(a, value());
        } else if (a == "--preset" || a == "--max-replicas") {
            o.cluster.read(a, value());
        } else if (a == "--tls-cert") {
            o.server.tlsCertFile = nonEmpty(a, value());
        } else if (a == "--tls-key") {
            o.server.tlsKeyFile = nonEmpty(a, value());
        } else if (a == "--client-ca") {
            o.server.clientCaFile = nonEmpty(a, value());
        } else if (a == "--token-file") {
            o.server.bearerToken = cluster::readTokenFile(a, nonEmpty(a, value()));
        } else {
            throw badOption(a, "unknown option (see headroom-cli serve --help)");
        }
    }
    if (!o.scenario.empty() && !o.trace.empty())
        throw badOption("--scenario", "give a scenario or a trace (--trace FILE), one of them");
    if (o.scenario.empty() && o.trace.empty() && !o.noLoad) {
        throw badOption("--scenario", "give a scenario or a trace (--trace FILE), one of them, "
            "or --no-load for inference requests alone");
    }
    if (const auto problem = traffic::compressionProblem(o.compression))
        throw badOption("--compression", *problem);
    if (o.compressionGiven && o.trace.empty())
        throw badOption("--compression", "applies to --trace only; a scenario's times are its own");
    return o;
}

std::unique_ptr<cluster::SimulatedCluster> buildCluster(const ServeOptions &o, std::string &name,
                                                        std::vector<std::string> &notes)
{
    sim::ClusterConfig config;
    std::uint64_t seed = 1;
    std::unique_ptr<traffic::ArrivalSource> arrivals;
    double duration = 0.0;
    if (o.scenario.empty() && o.trace.empty()) {
        // --no-load alone: the preset's cluster, until --duration or Ctrl-C.
        o.cluster.applyTo(config);
        seed = o.seed.value_or(1);
        name = "preset " + o.cluster.preset.value_or("default");
        duration = o.duration.value_or(sim::Experiment::kMaxDurationS);
    } else if (!o.scenario.empty()) {
        traffic::Scenario scenario = traffic::resolveScenario(o.scenario);
        checkDurationWithin(o.duration, scenario);
        name = "scenario " + scenario.name;
        seed = o.seed.value_or(scenario.seed);
        traffic::applyOverrides(o.cluster, scenario);
        scenario.seed = seed;
        config = scenario.cluster;
        duration = scenario.durationS;
        arrivals = std::make_unique<traffic::ScenarioArrivals>(scenario);
    } else {
        seed = o.seed.value_or(1);
        o.cluster.applyTo(config);
        const traffic::LoadedTrace trace
            = readTraceOption(o.trace, o.compressionGiven ? std::optional(o.compression) : std::nullopt);
        name = "trace " + std::filesystem::path(trace.spec.path).filename().string() + trace.spec.options;
        arrivals = traffic::makeArrivals(trace, config, seed);
        duration = arrivals->durationS();
    }
    const bool scenarioLength = !o.duration && !o.scenario.empty();
    if (o.duration)
        duration = *o.duration;
    // The simulator steps whole seconds: a length in between is said where it was asked for,
    // as run says it (--duration 0.5 served 1 s without a word).
    if (std::ceil(duration) != duration) {
        if (o.duration)
            notes.push_back("--duration " + traffic::numberText(duration) + " s was asked for: it serves "
                + traffic::numberText(std::ceil(duration)) + " s, as the simulator steps whole seconds");
        else if (scenarioLength)
            notes.push_back("duration_s " + traffic::numberText(duration) + " s runs "
                + traffic::numberText(std::ceil(duration)) + " s: the simulator steps whole seconds");
    }
    duration = std::ceil(duration);
    int initial = config.initialReplicas > 0 ? config.initialReplicas : config.minReplicas;
    if (arrivals) {
        sim::Experiment::checkLimits(*arrivals, duration);
        if (config.initialReplicas <= 0)
            initial = sim::openingReplicas(*arrivals, config);
    }
    if (o.replicas) {
        if (*o.replicas > config.maxReplicas) {
            throw badOption("--replicas", std::to_string(*o.replicas) + " is past the cluster's "
                "max_replicas (" + std::to_string(config.maxReplicas) + "; --max-replicas raises it)");
        }
        initial = *o.replicas;
    }
    if (o.noLoad)
        arrivals.reset(); // the source set the cluster; the load is the inference requests alone
    cluster::SimulatedClusterOptions options;
    options.ns = o.ns;
    options.deployment = o.deployment;
    options.speed = o.server.speed;
    options.hpa = o.hpa;
    options.epochUnixS = std::chrono::duration<double>(
        std::chrono::system_clock::now().time_since_epoch()).count();
    return std::make_unique<cluster::SimulatedCluster>(
        options, config, seed, std::move(arrivals), initial, duration);
}

} // namespace

int runServeCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (asksForHelp(args)) {
        out << kUsage;
        return 0;
    }
    std::unique_ptr<cluster::SimulatorServer> server;
    std::string name;
    std::vector<std::string> notes;
    ServeOptions options;
    try {
        options = parseServeOptions(args);
        server = std::make_unique<cluster::SimulatorServer>(options.server, buildCluster(options, name, notes));
    } catch (const InputError &e) {
        err << "headroom-cli serve: " << e.what() << "\n";
        return 2;
    }
    for (const std::string &note : notes)
        err << "note: " << note << "\n";
    if (const std::string note = sim::unmeetableSloNote(server->cluster().cluster().config()); !note.empty())
        err << "note: " << note << "\n";
    // Reachable from other machines and guarded by nothing: anyone there can scale the
    // deployment. Said, not refused (a lab network may be the point), as docs/serve.md says.
    if (const std::string warning = cluster::exposureWarning(options.server); !warning.empty())
        err << "headroom-cli serve: warning: " << warning << "\n" << std::flush;
    const cluster::SimulatedCluster &c = server->cluster();
    const auto counted = [](long long n, const std::string &what) {
        return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
    };
    const bool v6 = options.server.address.find(':') != std::string::npos;
    std::ostringstream lasting;
    if (c.durationS() >= sim::Experiment::kMaxDurationS)
        lasting << "until Ctrl-C";
    else
        lasting << c.durationS() << " simulated s";
    out << "serving the simulated cluster of " << name
        << (options.noLoad ? " (no load but inference requests)" : "") << " on "
        << (options.server.tlsCertFile.empty() ? "http://" : "https://") << (v6 ? "[" : "")
        << options.server.address << (v6 ? "]" : "") << ":" << server->port() << " (deployment "
        << options.ns << "/" << options.deployment << ", " << counted(c.cluster().desiredReplicas(), "replica")
        << "; " << lasting.str() << " at " << options.server.speed << "x)\n"
        << std::flush;
    server->run();
    const metrics::LaneSummary s = c.cluster().summary();
    out << "stopped at " << c.nowS() << " simulated s: " << counted(s.requests, "request") << ", "
        << counted(s.sloViolations, "SLO violation") << ", " << std::fixed << std::setprecision(0)
        << s.podSeconds << " pod-seconds, "
        << counted(static_cast<long long>(c.scaleHistory().size()) - 1, "scale change")
        << " through the API"
        << (options.hpa ? ", " + counted(c.hpaScaleChanges(), "change") + " by its HPA" : "")
        << (c.inferenceRequests() > 0 ? "; " + counted(c.inferenceRequests(), "inference request") : "")
        << "\n";
    return 0;
}
