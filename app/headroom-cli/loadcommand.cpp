#include "loadcommand.h"

#include "cliargs.h"

#include "cluster/httpclient.h"
#include "cluster/kubeconfig.h"
#include "cluster/tls.h"
#include "io/inputerror.h"
#include "io/paths.h"
#include "load/loadgenerator.h"
#include "sim/experiment.h"
#include "sim/limits.h"
#include "traffic/arrivalsource.h"
#include "traffic/jsonfields.h"
#include "traffic/scenario.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

using namespace headroom;

namespace {

constexpr const char *kUsage = R"(usage: headroom-cli load --url URL
                         (--scenario NAME|FILE | --trace FILE[@...] [--compression X] | --rate R --duration S)
                         [--duration S] [--seed N] [--speed X] [--body JSON] [--token-file FILE]
                         [--max-outstanding N] [--timeout S] [--slo-ms MS]
                         [--preset default|llm] [--out FILE]
                         [--certificate-authority FILE] [--client-certificate FILE
                          --client-key FILE] [--insecure-skip-tls-verify]

Sends HTTP requests (POST, the --body, default {}) to URL open-loop: each at its
scheduled time whether or not earlier ones were answered, and times each answer
client-side. The schedule is a scenario's Poisson arrivals at its rate, a trace's
arrivals (--compression X as run takes it), or Poisson arrivals at a constant --rate
R req/s for --duration S; --speed X plays it X times faster (as serve --speed X plays
its simulated time). A trace with token columns fills $prompt_tokens and
$output_tokens in the body from each request's row (the default body is then
{"prompt_tokens":$prompt_tokens,"output_tokens":$output_tokens}, as serve reads it).
Aimed at headroom-cli serve:
  headroom-cli serve --no-load --speed 5 &
  headroom-cli load --url http://127.0.0.1:8080/v1/infer --rate 20 --duration 60 --speed 5
It prints what came back (statuses, errors, client latency p50/p95/p99, SLO
violations against --slo-ms, default the preset's SLO, counted in schedule time)
and with --out FILE writes one CSV row per request, however the run ends (Ctrl-C
too). An https:// URL's certificate is checked against the system's CAs, or
--certificate-authority; --client-certificate and --client-key answer a server that
asks for one (serve --client-ca), as kubectl's options of those names do. Exit 1
when the URL cannot be reached or a request got no HTTP answer.
See docs/serve.md.
)";

std::atomic<bool> g_stop {false};

extern "C" void onLoadSignal(int)
{
    g_stop = true;
}

struct LoadOptions
{
    std::string url;
    std::string scenario;
    std::string trace;
    double compression = 1.0;
    bool compressionGiven = false;
    std::optional<double> rate;
    std::optional<double> duration;
    std::optional<std::uint64_t> seed;
    double speed = 1.0;
    std::optional<std::string> body;
    std::string token;
    cluster::TlsSettings tls;
    std::string certFile, keyFile; // for messages
    bool tlsGiven = false;
    std::string out;
    std::optional<double> sloMs;
    load::LoadSettings settings;
    ClusterOverrides cluster;
};


// --out: a file that can be written now (not found out after the run, with its records lost),
// and not one of the user's other files: an existing file is replaced only when it is an
// earlier load CSV (the trace being played, a shipped scenario, any data file is refused,
// however it is reached: a relative name, a link, the shipped copy).
void checkOutFile(const std::string &path)
{
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
        if (!std::filesystem::is_regular_file(path, ec))
            throw InputError(path, std::nullopt, "--out", "not a regular file: give the CSV file to write");
        std::ifstream in(path);
        std::string header(std::strlen(load::kRecordsCsvHeader) + 1, '\0');
        in.read(header.data(), static_cast<std::streamsize>(header.size()));
        header.resize(static_cast<std::size_t>(in.gcount()));
        if (!header.empty() && header.back() == '\n')
            header.pop_back();
        if (header != load::kRecordsCsvHeader)
            throw InputError(path, std::nullopt, "--out",
                "exists and is not an earlier load CSV: not overwritten (give a new file)");
    }
    const std::filesystem::path parent = std::filesystem::absolute(path, ec).parent_path();
    if (!std::filesystem::is_directory(parent, ec))
        throw InputError(path, std::nullopt, "--out", "its folder " + parent.string() + " does not exist");
    const bool writable = std::filesystem::exists(path, ec) ? ::access(path.c_str(), W_OK) == 0
                                                            : ::access(parent.c_str(), W_OK) == 0;
    if (!writable)
        throw InputError(path, std::nullopt, "--out", "cannot be written (permission denied)");
}

// Writes the CSV to a file of its own in FILE's folder and renames it over FILE, so that a run
// killed while writing leaves the earlier results whole, not a truncated file. A link is
// followed, as writing through it did; where no file can be made beside FILE (a folder not
// writable, a file that is), FILE is written in place, as before: the records are not lost.
void writeCsvReplacing(const std::vector<load::RequestRecord> &records, const std::string &path)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool existed = fs::exists(path, ec);
    const fs::path target = existed ? fs::canonical(path, ec) : fs::path(path);
    if (ec) {
        load::writeRecordsCsv(records, path);
        return;
    }
    std::string temp;
    for (int attempt = 0; attempt < 100 && temp.empty(); ++attempt) {
        // O_EXCL: never a file that is already there, however it came to be.
        const std::string name = target.string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(attempt);
        const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            ::close(fd);
            temp = name;
        } else if (errno != EEXIST) {
            break;
        }
    }
    if (temp.empty()) {
        load::writeRecordsCsv(records, path);
        return;
    }
    try {
        if (existed) // the earlier file's permissions, not the umask's
            fs::permissions(temp, fs::status(target).permissions(), ec);
        load::writeRecordsCsv(records, temp);
        fs::rename(temp, target);
    } catch (const std::exception &) {
        fs::remove(temp, ec);
        throw;
    }
}

LoadOptions parseLoadOptions(const std::vector<std::string> &written)
{
    OptionReader options(written);
    LoadOptions o;
    while (options.next()) {
        const std::string &a = options.option();
        const auto value = [&]() -> const std::string & { return options.value(); };
        if (a == "--url") {
            o.url = nonEmpty(a, value());
        } else if (a == "--scenario") {
            o.scenario = nonEmpty(a, value());
        } else if (a == "--trace") {
            o.trace = nonEmpty(a, value());
        } else if (a == "--compression") {
            o.compression = parseNumber(a, value());
            o.compressionGiven = true;
        } else if (a == "--rate") {
            o.rate = parsePositive(a, value());
            if (*o.rate > sim::kMaxRatePerS)
                throw badOption(a, "at most " + traffic::numberText(sim::kMaxRatePerS)
                    + " requests per second, as a scenario's rate");
        } else if (a == "--duration") {
            o.duration = parseDuration(a, value());
        } else if (a == "--seed") {
            o.seed = parseSeed(a, value());
        } else if (a == "--speed") {
            o.speed = parsePositive(a, value());
            if (o.speed < 0.01 || o.speed > 1000.0)
                throw badOption(a, "from 0.01 to 1000 (schedule seconds per second)");
        } else if (a == "--body") {
            o.body = value();
        } else if (a == "--token-file") {
            o.token = cluster::readTokenFile(a, nonEmpty(a, value()));
            cluster::checkBearerToken(o.token, a);
        } else if (a == "--certificate-authority") {
            const std::string &path = nonEmpty(a, value());
            o.tls.caPem = cluster::readPemOption(a, path);
            // Checked alone, so that a bad file is named with its option.
            cluster::makeTlsContext({o.tls.caPem, {}, {}, false, path + " (" + a + ")"});
            o.tlsGiven = true;
        } else if (a == "--client-certificate") {
            o.certFile = nonEmpty(a, value());
            o.tls.clientCertPem = cluster::readPemOption(a, o.certFile);
            o.tlsGiven = true;
        } else if (a == "--client-key") {
            o.keyFile = nonEmpty(a, value());
            o.tls.clientKeyPem = cluster::readPemOption(a, o.keyFile);
            o.tlsGiven = true;
        } else if (a == "--insecure-skip-tls-verify") {
            o.tls.insecureSkipVerify = true;
            o.tlsGiven = true;
        } else if (a == "--max-outstanding") {
            o.settings.maxOutstanding = parseCount(a, value(), 1, 100000);
        } else if (a == "--timeout") {
            const double s = parsePositive(a, value());
            if (s > 3600.0)
                throw badOption(a, "at most 3600 s");
            o.settings.timeout = std::chrono::milliseconds(std::max(1L, std::lround(s * 1000.0)));
        } else if (a == "--slo-ms") {
            o.sloMs = parsePositive(a, value());
        } else if (a == "--out") {
            o.out = nonEmpty(a, value());
        } else if (a == "--preset" || a == "--max-replicas") {
            o.cluster.read(a, value());
        } else {
            throw badOption(a, "unknown option (see headroom-cli load --help)");
        }
    }
    if (o.url.empty())
        throw badOption(
            "--url", "give the URL to send the requests to, e.g. http://127.0.0.1:8080/v1/infer");
    const int sources = !o.scenario.empty() + !o.trace.empty() + o.rate.has_value();
    if (sources != 1)
        throw badOption("--scenario", "give one of --scenario, --trace or --rate");
    if (o.rate && !o.duration)
        throw badOption("--rate", "give --duration S too: how long to send at that rate");
    if (const auto problem = traffic::compressionProblem(o.compression))
        throw badOption("--compression", *problem);
    if (o.tls.insecureSkipVerify && !o.tls.caPem.empty())
        throw badOption("--insecure-skip-tls-verify", "not with --certificate-authority (as kubectl): "
            "either the server is checked against the CA, or not at all");
    if (!o.certFile.empty() || !o.keyFile.empty()) {
        o.tls.source = o.certFile.empty() ? o.keyFile + " (--client-key)"
            : o.keyFile.empty()         ? o.certFile + " (--client-certificate)"
                                        : o.certFile + " and " + o.keyFile + " (--client-certificate, --client-key)";
        cluster::makeTlsContext({{}, o.tls.clientCertPem, o.tls.clientKeyPem, false, o.tls.source});
    }
    if (o.compressionGiven && o.trace.empty())
        throw badOption("--compression", "applies to --trace only");
    if (!o.out.empty() && std::filesystem::is_directory(o.out))
        throw InputError(o.out, std::nullopt, "--out", "a folder: give the CSV file to write");
    if (!o.out.empty())
        checkOutFile(o.out);
    return o;
}

// The send times (wall-clock seconds from the start) and the SLO (schedule seconds).
struct Schedule
{
    std::vector<double> timesS;
    // Each request's (prompt, output) token counts, from a trace's token columns; empty
    // when the source has none.
    std::vector<std::pair<int, int>> tokens;
    std::vector<std::string> notes; // what the trace's reading did, as run prints it
    double sloS = 0.5;
    std::string describe;
};

// The most requests one run sends: their records are kept until the CSV is written.
constexpr std::size_t kMaxRequests = 5'000'000;

constexpr const char *kPromptTokens = "$prompt_tokens";
constexpr const char *kOutputTokens = "$output_tokens";
// What serve's /v1/infer reads (docs/serve.md).
constexpr const char *kTokenBody = R"({"prompt_tokens":$prompt_tokens,"output_tokens":$output_tokens})";

bool hasTokenFields(const std::string &body)
{
    return body.find(kPromptTokens) != std::string::npos || body.find(kOutputTokens) != std::string::npos;
}

std::string fillTokens(std::string body, int prompt, int output)
{
    for (const auto &[field, value] : {std::pair {kPromptTokens, prompt}, std::pair {kOutputTokens, output}}) {
        const std::string token = field;
        const std::string text = std::to_string(value);
        for (std::size_t at = body.find(token); at != std::string::npos; at = body.find(token, at + text.size()))
            body.replace(at, token.size(), text);
    }
    return body;
}

Schedule buildSchedule(const LoadOptions &o)
{
    Schedule schedule;
    sim::ClusterConfig config;
    std::unique_ptr<traffic::ArrivalSource> arrivals;
    double duration = 0.0;
    std::ostringstream text;
    if (!o.trace.empty()) {
        o.cluster.applyTo(config);
        const traffic::LoadedTrace trace
            = readTraceOption(o.trace, o.compressionGiven ? std::optional(o.compression) : std::nullopt);
        if (trace.kind == traffic::TraceKind::PerRequest && trace.requests.hasTokens) {
            for (const traffic::TraceRequest &r : trace.requests.requests)
                schedule.tokens.emplace_back(r.contextTokens, r.generatedTokens);
        }
        arrivals = traffic::makeArrivals(trace, config, o.seed.value_or(1));
        duration = o.duration.value_or(arrivals->durationS());
        text << "trace " << std::filesystem::path(trace.spec.path).filename().string() << trace.spec.options;
    } else {
        traffic::Scenario scenario;
        if (o.rate) {
            o.cluster.applyTo(scenario.cluster);
            scenario.name = "constant";
            scenario.source = "--rate";
            scenario.durationS = *o.duration;
            scenario.segments.push_back({traffic::Segment::Kind::Constant, 0.0, *o.duration, *o.rate});
            text << *o.rate << " req/s";
        } else {
            scenario = traffic::resolveScenario(o.scenario);
            checkDurationWithin(o.duration, scenario);
            traffic::applyOverrides(o.cluster, scenario);
            text << "scenario " << scenario.name;
        }
        scenario.seed = o.seed.value_or(scenario.seed);
        config = scenario.cluster;
        duration = o.duration.value_or(scenario.durationS);
        arrivals = std::make_unique<traffic::ScenarioArrivals>(scenario);
    }
    sim::Experiment::checkLimits(*arrivals, duration);
    schedule.notes = arrivals->notes();
    std::vector<traffic::Arrival> drawn;
    // A second at a time: the traffic code hands arrivals out in consecutive slices.
    for (double t = 0.0; t < duration; t += 1.0) {
        if (schedule.timesS.size() > kMaxRequests)
        {
            // With --rate alone there is no file to name: the command line is the input.
            const std::string problem = "more than " + std::to_string(kMaxRequests)
                + " requests in one run (each keeps a record of about 120 bytes until the CSV is "
                  "written): give a shorter --duration";
            if (o.trace.empty() && o.scenario.empty())
                throw badOption("--duration", problem);
            throw InputError(o.trace.empty() ? o.scenario : o.trace, std::nullopt, "--duration", problem);
        }
        drawn.clear();
        arrivals->generate(t, std::min(t + 1.0, duration), drawn);
        // A per-request trace's arrivals are its rows in order (no spikes reach `load`), so
        // request i's token counts are row i's.
        for (const traffic::Arrival &a : drawn)
            schedule.timesS.push_back(a.tS / o.speed);
    }
    schedule.tokens.resize(std::min(schedule.tokens.size(), schedule.timesS.size()));
    schedule.sloS = config.sloLatencyS;
    text << " for " << duration << " s";
    if (o.speed != 1.0)
        text << " at " << o.speed << "x";
    schedule.describe = text.str();
    return schedule;
}

double percentile(std::vector<double> sorted, double q)
{
    if (sorted.empty())
        return std::nan("");
    std::sort(sorted.begin(), sorted.end());
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// What the records amount to, printed. Returns the requests that got no HTTP answer for a
// reason of the run's (not sent, or an error; interruptions by Ctrl-C not counted).
long long summarize(const std::vector<load::RequestRecord> &records, double sloMs, double speed,
                    std::ostream &out)
{
    std::map<int, long long> byStatus;
    std::map<std::string, long long> errors;
    std::vector<double> latencies;
    long long sent = 0, notSent = 0, violations = 0, failed = 0;
    double lagMs = 0.0;
    for (const load::RequestRecord &r : records) {
        if (r.sent()) {
            ++sent;
            lagMs = std::max(lagMs, (r.sentS - r.scheduledS) * 1000.0);
        } else {
            ++notSent;
        }
        if (r.answered())
            ++byStatus[r.status];
        else
            ++errors[r.error];
        if (!r.answered() && r.error != "interrupted before the answer")
            ++failed;
        const bool ok = r.answered() && r.status >= 200 && r.status < 300;
        if (ok)
            latencies.push_back(r.latencyMs);
        // As the simulator counts them: late answers, and every request not answered.
        if (!ok || r.latencyMs * speed > sloMs)
            ++violations;
    }
    out << "sent " << sent << " of " << traffic::counted(static_cast<long long>(records.size()), "request");
    if (notSent > 0)
        out << " (" << notSent << " not sent: too many outstanding)";
    out << "; answered:";
    if (byStatus.empty())
        out << " none";
    for (const auto &[status, n] : byStatus)
        out << " " << n << " x " << status;
    out << "\n";
    for (const auto &[error, n] : errors)
        out << "  " << n << " x " << error << "\n";
    out << std::fixed << std::setprecision(1);
    if (!latencies.empty()) {
        out << "client latency of 2xx answers: p50 " << percentile(latencies, 0.50) << " ms, p95 "
            << percentile(latencies, 0.95) << " ms, p99 " << percentile(latencies, 0.99) << " ms";
    } else {
        out << "no 2xx answers";
    }
    out << "; sent at most " << lagMs << " ms behind schedule\n";
    out << "SLO violations: " << violations << " of " << records.size() << " (answered later than "
        << sloMs << " ms";
    if (speed != 1.0)
        out << " of schedule time, " << sloMs / speed << " ms of wall clock at " << speed << "x";
    out << ", or not answered 2xx)\n";
    out.unsetf(std::ios::floatfield);
    return failed;
}

} // namespace

int runLoadCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err)
{
    if (asksForHelp(args)) {
        out << kUsage;
        return 0;
    }
    LoadOptions o;
    Schedule schedule;
    std::unique_ptr<load::LoadGenerator> generator;
    try {
        o = parseLoadOptions(args);
        load::LoadTarget target = load::parseLoadUrl("--url", o.url);
        if (o.tlsGiven && !target.endpoint.https)
            throw badOption("--url", "'" + o.url + "': the TLS options apply to an https:// URL");
        target.tls = o.tls;
        target.bearerToken = o.token;
        schedule = buildSchedule(o);
        target.body = o.body.value_or(schedule.tokens.empty() ? "{}" : kTokenBody);
        if (!o.body && !schedule.tokens.empty()) {
            const auto past = std::count_if(schedule.tokens.begin(), schedule.tokens.end(), [](const auto &t) {
                return t.first > cluster::kMaxInferenceTokens || t.second > cluster::kMaxInferenceTokens;
            });
            if (past > 0)
                schedule.notes.push_back(std::to_string(past) + " of the trace's requests " + (past == 1 ? "carries" : "carry") + " more than "
                    + std::to_string(cluster::kMaxInferenceTokens) + " tokens, which serve refuses (400)");
        }
        // The body is sent as application/json: one that is not JSON ('{bad') was sent to every
        // request without a word, and a key given twice is refused by serve (400). Checked with
        // its token fields filled, as it is sent.
        try {
            traffic::parseStrictJson(fillTokens(target.body, 0, 0), "--body");
        } catch (const InputError &e) {
            throw badOption("--body", "'" + target.body.substr(0, 80) + (target.body.size() > 80 ? "..." : "")
                + "' is not JSON (it is sent as application/json): "
                + (e.field().empty() ? e.problem() : e.field() + ": " + e.problem()));
        }
        if (hasTokenFields(target.body)) {
            if (schedule.tokens.empty())
                throw badOption("--body", "$prompt_tokens and $output_tokens are filled from a trace's token "
                    "columns, and this schedule has none (give a trace with token columns, or the counts)");
            target.bodyOf = [body = target.body, tokens = schedule.tokens](std::size_t i) {
                return fillTokens(body, tokens[i].first, tokens[i].second);
            };
            schedule.describe += ", each with its trace row's token counts";
        } else if (!schedule.tokens.empty()) {
            schedule.describe += " (the trace's token counts are not sent: --body has no $prompt_tokens "
                                 "or $output_tokens)";
        }
        generator = std::make_unique<load::LoadGenerator>(target, o.settings, schedule.timesS);
    } catch (const InputError &e) {
        err << "headroom-cli load: " << e.what() << "\n";
        return 2;
    }
    const double sloMs = o.sloMs.value_or(schedule.sloS * 1000.0);

    // What was recorded is written however the run ends.
    const auto record = [&]() {
        if (o.out.empty())
            return true;
        try {
            const std::vector<load::RequestRecord> records = generator->records();
            std::error_code ec;
            // Nothing to record (the URL could not be reached, or a stop before the first
            // request was due): an earlier load CSV keeps its results rather than become a
            // header alone. A new file still gets the header, as docs/serve.md has it.
            if (records.empty() && std::filesystem::exists(o.out, ec)) {
                err << "note: no request was recorded: " << o.out << " is left as it was\n";
                return true;
            }
            writeCsvReplacing(records, o.out);
            out << "wrote " << o.out << " ("
                << traffic::counted(static_cast<long long>(records.size()), "request") << ")\n";
            return true;
        } catch (const std::exception &e) {
            err << "headroom-cli load: " << e.what() << "\n";
            return false;
        }
    };
    try {
        generator->checkReachable();
    } catch (const cluster::UnreachableError &e) {
        // Nothing answered: the URL is what to check. A TLS failure: what the client trusts.
        const char *check = e.transient() ? " (--url)"
            : !o.tls.caPem.empty()        ? " (--certificate-authority)"
                                          : " (--url; give the server's CA with --certificate-authority)";
        err << "headroom-cli load: " << e.what() << check << "\n";
        record();
        return 1;
    }
    if (const std::string note = generator->openFileNote(); !note.empty())
        schedule.notes.push_back(note);
    for (const std::string &note : schedule.notes)
        err << "note: " << note << "\n";
    out << "load on " << generator->url() << ": "
        << traffic::counted(static_cast<long long>(schedule.timesS.size()), "request") << ", "
        << schedule.describe << "\n"
        << std::flush;

    std::signal(SIGINT, onLoadSignal);
    std::signal(SIGTERM, onLoadSignal);
    try {
        generator->run(g_stop);
    } catch (const std::exception &e) {
        err << "headroom-cli load: " << e.what() << "\n";
        record();
        return 1;
    }
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (generator->interrupted())
        out << "interrupted: the requests due so far are counted\n";
    const long long failed = summarize(generator->records(), sloMs, o.speed, out);
    const bool written = record();
    if (failed > 0) {
        err << "headroom-cli load: " << traffic::counted(failed, "request") << " to " << generator->url()
            << " got no HTTP answer" << (o.out.empty() ? "" : " (see the error column of " + o.out + ")")
            << "\n";
        return 1;
    }
    return written ? 0 : 1;
}
