#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace headroom::cluster {

// A kubeconfig user's `exec` credential plugin, as kubectl runs it
// (client.authentication.k8s.io/v1 or v1beta1).
struct ExecPluginConfig
{
    std::string command; // as run: a name looked up on $PATH, or a path (a relative one
                         // holding '/' already resolved against the kubeconfig's folder)
    std::vector<std::string> args;
    std::vector<std::pair<std::string, std::string>> env; // added to the environment
    std::string apiVersion;   // client.authentication.k8s.io/v1 or /v1beta1
    std::string installHint;  // shown when the command is not found
    std::string clusterInfo;  // spec.cluster's JSON when provideClusterInfo is true, else empty
    std::string kubeconfig;   // the file the user came from, and the user's name: for messages
    std::string user;
    std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

// What a plugin gave: a bearer token, or a client certificate and its key (PEM texts).
struct Credentials
{
    std::string token;
    std::string clientCertPem;
    std::string clientKeyPem;
    long generation = 0; // which run of the plugin gave them (1 for the first)
};

// Runs the plugin (no shell, stdin closed, KUBERNETES_EXEC_INFO set to the ExecCredential
// request) when a credential is first wanted, again once status.expirationTimestamp has
// passed, and again when a server refused the last one (invalidate()). Shared by the
// clients that talk to one cluster, so they run it once between them. Thread-safe.
class CredentialPlugin
{
public:
    explicit CredentialPlugin(ExecPluginConfig config);

    // The cached credential, or a new one from a run of the plugin. Throws InputError naming
    // the kubeconfig, the user's exec field and the command when the plugin cannot be run,
    // fails (its exit code and stderr), runs past the timeout, or prints no ExecCredential
    // with a token or a client certificate and key.
    Credentials credentials();
    // A server answered 401 to the credential of run `generation`: the next credentials()
    // runs the plugin again (unless another client has already had it run again since).
    void invalidate(long generation);
    const ExecPluginConfig &config() const { return m_config; }
    // How many times the plugin has run.
    long runs() const;

private:
    Credentials run();

    ExecPluginConfig m_config;
    mutable std::mutex m_mutex;
    std::optional<Credentials> m_cached;
    std::optional<std::chrono::system_clock::time_point> m_expires;
    long m_runs = 0;
    bool m_saidExpired = false; // a credential expired when given has been warned of
};

} // namespace headroom::cluster
