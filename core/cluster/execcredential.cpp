#include "cluster/execcredential.h"

#include "cluster/httpclient.h"
#include "io/inputerror.h"
#include "logging.h"
#include "traffic/timestamp.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

namespace headroom::cluster {

namespace {

using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr std::size_t kMaxStdout = 1u << 20; // an ExecCredential is a few KB
constexpr std::size_t kMaxStderrShown = 500;

// What a run of the command gave.
struct Ran
{
    int spawnError = 0; // errno when it could not be started
    bool timedOut = false;
    int exitCode = 0;
    int signal = 0;     // the signal that ended it, if one did
    std::string out;
    std::string err;
};

// Runs `argv` with `env` (name=value texts), stdin from /dev/null, reading its stdout and
// stderr until it ends or `timeout` passes (then it is killed).
Ran runCommand(const std::vector<std::string> &argv, const std::vector<std::string> &env,
               std::chrono::milliseconds timeout)
{
    Ran ran;
    int outPipe[2];
    int errPipe[2];
    if (pipe2(outPipe, O_CLOEXEC) != 0) {
        ran.spawnError = errno;
        return ran;
    }
    if (pipe2(errPipe, O_CLOEXEC) != 0) {
        ran.spawnError = errno;
        close(outPipe[0]);
        close(outPipe[1]);
        return ran;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1);
    posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
    std::vector<char *> args;
    for (const std::string &a : argv)
        args.push_back(const_cast<char *>(a.c_str()));
    args.push_back(nullptr);
    std::vector<char *> envp;
    for (const std::string &e : env)
        envp.push_back(const_cast<char *>(e.c_str()));
    envp.push_back(nullptr);
    pid_t pid = -1;
    // posix_spawnp looks the name up on this process's $PATH, as kubectl does.
    // A process group of its own: a plugin stopped at the timeout takes what it started along.
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attributes, 0);
    ran.spawnError = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), envp.data());
    posix_spawnattr_destroy(&attributes);
    posix_spawn_file_actions_destroy(&actions);
    close(outPipe[1]);
    close(errPipe[1]);
    if (ran.spawnError != 0) {
        close(outPipe[0]);
        close(errPipe[0]);
        return ran;
    }
    const auto deadline = Clock::now() + timeout;
    pollfd fds[2] = {{outPipe[0], POLLIN, 0}, {errPipe[0], POLLIN, 0}};
    std::string *texts[2] = {&ran.out, &ran.err};
    int open = 2;
    while (open > 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0) {
            ran.timedOut = true;
            break;
        }
        const int n = poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
        if (n < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buffer[4096];
            const ssize_t got = read(fds[i].fd, buffer, sizeof buffer);
            if (got > 0) {
                if (texts[i]->size() < kMaxStdout)
                    texts[i]->append(buffer, static_cast<std::size_t>(got));
            } else if (got == 0 || (errno != EINTR && errno != EAGAIN)) {
                close(fds[i].fd);
                fds[i].fd = -1;
                --open;
            }
        }
    }
    for (const pollfd &p : fds) {
        if (p.fd >= 0)
            close(p.fd);
    }
    // A plugin that closed its output but runs on is waited for until the deadline too.
    int status = 0;
    while (!ran.timedOut) {
        const pid_t done = waitpid(pid, &status, WNOHANG);
        if (done == pid || (done < 0 && errno != EINTR))
            break;
        if (Clock::now() >= deadline)
            ran.timedOut = true;
        else if (done == 0)
            usleep(10000);
    }
    if (ran.timedOut) {
        kill(-pid, SIGKILL); // the plugin's process group: it and the children it left running
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    ran.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    ran.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    return ran;
}

// The plugin's stderr for a message: trimmed, its last lines when long.
std::string stderrShown(std::string err)
{
    while (!err.empty() && std::isspace(static_cast<unsigned char>(err.back())))
        err.pop_back();
    std::size_t start = 0;
    while (start < err.size() && std::isspace(static_cast<unsigned char>(err[start])))
        ++start;
    err = err.substr(start);
    if (err.size() > kMaxStderrShown)
        err = "..." + err.substr(err.size() - kMaxStderrShown);
    return err;
}

} // namespace

CredentialPlugin::CredentialPlugin(ExecPluginConfig config) : m_config(std::move(config)) { }

long CredentialPlugin::runs() const
{
    std::lock_guard lock(m_mutex);
    return m_runs;
}

void CredentialPlugin::invalidate(long generation)
{
    std::lock_guard lock(m_mutex);
    if (m_cached && m_cached->generation == generation) {
        qCInfo(lcCluster, "the server refused the credential of plugin %s for user %s (%s): running it again",
               m_config.command.c_str(), m_config.user.c_str(), m_config.kubeconfig.c_str());
        m_cached.reset();
    }
}

Credentials CredentialPlugin::credentials()
{
    std::lock_guard lock(m_mutex);
    if (m_cached && m_expires && std::chrono::system_clock::now() >= *m_expires) {
        qCInfo(lcCluster, "the credential of plugin %s for user %s has expired: running it again",
               m_config.command.c_str(), m_config.user.c_str());
        m_cached.reset();
    }
    if (!m_cached)
        m_cached = run();
    return *m_cached;
}

Credentials CredentialPlugin::run()
{
    const ExecPluginConfig &c = m_config;
    const std::string field = "users[" + c.user + "].user.exec";
    const auto fail = [&](const std::string &problem) {
        return InputError(c.kubeconfig, std::nullopt, field, "credential plugin '" + c.command + "' " + problem);
    };
    Json request = {{"apiVersion", c.apiVersion}, {"kind", "ExecCredential"}, {"spec", {{"interactive", false}}}};
    if (!c.clusterInfo.empty())
        request["spec"]["cluster"] = Json::parse(c.clusterInfo);
    // This process's environment, the plugin's env entries over it, and the request.
    std::vector<std::pair<std::string, std::string>> added = c.env;
    added.emplace_back("KUBERNETES_EXEC_INFO", request.dump());
    std::vector<std::string> env;
    for (char **e = environ; e && *e; ++e) {
        const std::string entry = *e;
        const std::string name = entry.substr(0, entry.find('='));
        if (std::none_of(added.begin(), added.end(), [&](const auto &a) { return a.first == name; }))
            env.push_back(entry);
    }
    for (const auto &[name, value] : added)
        env.push_back(name + "=" + value);
    std::vector<std::string> argv {c.command};
    argv.insert(argv.end(), c.args.begin(), c.args.end());

    const Ran ran = runCommand(argv, env, c.timeout);
    ++m_runs;
    if (ran.spawnError == ENOENT) {
        throw fail("was not found" + std::string(c.command.find('/') == std::string::npos ? " on $PATH" : "")
            + (c.installHint.empty() ? std::string() : ": " + c.installHint));
    }
    if (ran.spawnError != 0)
        throw fail("cannot be run: " + std::string(std::strerror(ran.spawnError)));
    const std::string err = stderrShown(ran.err);
    const std::string says = err.empty() ? std::string() : ": " + err;
    if (ran.timedOut) {
        throw fail("gave no answer within " + std::to_string(c.timeout.count() / 1000) + " s (stopped)" + says);
    }
    if (ran.signal != 0)
        throw fail("was ended by signal " + std::to_string(ran.signal) + " (" + strsignal(ran.signal) + ")" + says);
    if (ran.exitCode != 0)
        throw fail("failed (exit code " + std::to_string(ran.exitCode) + ")" + says);

    Json answer;
    try {
        answer = Json::parse(ran.out);
    } catch (const Json::exception &) {
        throw fail("printed no JSON (an ExecCredential was expected on its standard output)");
    }
    const auto text = [](const Json &o, const char *key) {
        const auto it = o.is_object() ? o.find(key) : o.end();
        return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (text(answer, "kind") != "ExecCredential" || text(answer, "apiVersion") != c.apiVersion) {
        throw fail("printed a " + (text(answer, "apiVersion").empty() ? std::string("(no apiVersion)") : text(answer, "apiVersion"))
            + " " + (text(answer, "kind").empty() ? std::string("(no kind)") : text(answer, "kind"))
            + ", not the " + c.apiVersion + " ExecCredential asked for");
    }
    const Json status = answer.contains("status") && answer["status"].is_object() ? answer["status"] : Json::object();
    Credentials credentials;
    credentials.token = text(status, "token");
    credentials.clientCertPem = text(status, "clientCertificateData");
    credentials.clientKeyPem = text(status, "clientKeyData");
    credentials.generation = m_runs;
    if (credentials.token.empty() && (credentials.clientCertPem.empty() || credentials.clientKeyPem.empty())) {
        throw fail(credentials.clientCertPem.empty() != credentials.clientKeyPem.empty()
                ? "gave a client certificate without its key, or a key without its certificate"
                : "gave neither status.token nor status.clientCertificateData and clientKeyData");
    }
    checkBearerToken(credentials.token, c.kubeconfig + ", " + field + ": the token of '" + c.command + "'");
    m_expires.reset();
    if (const std::string expires = text(status, "expirationTimestamp"); !expires.empty()) {
        std::string problem;
        const auto ns = parseApiTime(expires, problem);
        if (!ns)
            throw fail("gave status.expirationTimestamp '" + expires + "': " + problem);
        m_expires = std::chrono::system_clock::time_point(
            std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::nanoseconds(*ns)));
        // Already past: every request runs the plugin again. Said once, not on every run.
        if (*m_expires <= std::chrono::system_clock::now() && !m_saidExpired) {
            m_saidExpired = true;
            qCWarning(lcCluster, "credential plugin %s for user %s (%s) gave a credential that had already "
                                 "expired (%s): it runs again for every request; is this machine's clock right?",
                      c.command.c_str(), c.user.c_str(), c.kubeconfig.c_str(), expires.c_str());
        }
    }
    qCInfo(lcCluster, "ran credential plugin %s for user %s (%s): %s%s", c.command.c_str(), c.user.c_str(),
           c.kubeconfig.c_str(), credentials.token.empty() ? "a client certificate" : "a token",
           m_expires ? (", until " + text(status, "expirationTimestamp")).c_str() : "");
    return credentials;
}

} // namespace headroom::cluster
