#pragma once

#include "cluster/simulatedcluster.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace boost::asio::ssl {
class context;
}

namespace headroom::cluster {

class CredentialPlugin;

// A server's address from its URL: "https://10.0.0.1:6443", "http://127.0.0.1:8080"
// (port 443 or 80 when none).
struct HttpEndpoint
{
    std::string host;
    std::string port;
    std::string url; // as given, without a trailing '/'
    bool https = false;
    std::string pathPrefix; // "/prometheus" for a server behind a path; empty for most
    // The scheme, host and port as given, without the path: what a request's target (which
    // holds the path) is written after in messages.
    std::string origin() const { return url.substr(0, url.size() - pathPrefix.size()); }
};

// A bearer token goes into a header line: refused (InputError naming `source`) when it holds
// a line break or another control character.
void checkBearerToken(const std::string &token, const std::string &source);

// A time as the Kubernetes API writes one, RFC 3339 in UTC ("2026-12-05T15:09:37Z", a fraction
// allowed), in Unix nanoseconds; nullopt otherwise, with `problem` saying what is wrong (to
// follow the quoted text): not such a time at all, or one outside the years the reader takes
// ("2999-01-01T00:00:00Z" is RFC 3339, and was said not to be).
std::optional<std::int64_t> parseApiTime(const std::string &text, std::string &problem);

// A URL path segment or query value: letters, digits and -_.~ as they are, every other byte
// %-encoded.
std::string percentEncode(const std::string &text);

// Throws InputError naming `option` for anything but http[s]://HOST[:PORT][/] (with
// `allowPath`, also http[s]://HOST[:PORT]/PREFIX, a server behind a path). Credentials in the
// URL (user:password@) are refused.
HttpEndpoint parseHttpUrl(const std::string &option, const std::string &url, bool allowPath = false);

// How an https client trusts the server and shows who it is (a kubeconfig's cluster and
// user, or a pod's service account). PEM texts; `source` names where they came from, for
// errors.
struct TlsSettings
{
    std::string caPem; // empty: the system's trusted CAs
    std::string clientCertPem;
    std::string clientKeyPem;
    bool insecureSkipVerify = false;
    std::string source;
    // What the source calls each PEM text, for errors ("clusters[k].cluster.certificate-authority").
    std::string caField = "certificate authority";
    std::string certField = "client certificate";
    std::string keyField = "client key";
};

// A server that could not be reached or did not answer in time: says which URL and why.
class UnreachableError : public std::runtime_error
{
public:
    // `transient`: nothing answered (refused, unreachable, too slow), so trying again may
    // help; a TLS failure (an untrusted certificate, a refused handshake) will not change.
    UnreachableError(const std::string &what, bool transient)
        : std::runtime_error(what), m_transient(transient)
    {
    }
    bool transient() const { return m_transient; }

private:
    bool m_transient;
};

// One HTTP/1.1 request at a time over Boost.Beast, within a timeout, on a connection kept
// open between requests (once a second, three requests each: a TLS handshake each would
// cost more than the requests). A kept connection the server has closed is opened again.
class HttpClient
{
public:
    // Throws InputError naming tls.source when a PEM text cannot be used.
    explicit HttpClient(HttpEndpoint endpoint, std::string bearerToken = {}, TlsSettings tls = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // Credentials from a kubeconfig's exec plugin, asked for each request (the plugin keeps
    // them until they expire): its token replaces the bearer token, its client certificate
    // and key the TLS settings' ones. A 401 answer to them runs the plugin again and sends
    // the request once more.
    void setCredentialPlugin(std::shared_ptr<CredentialPlugin> plugin) { m_plugin = std::move(plugin); }

    // Throws UnreachableError when the connection fails or the answer does not come in time;
    // InputError when the credential plugin fails.
    HttpResponse request(const std::string &method, const std::string &target,
                         const std::string &body = {}, const std::string &contentType = {},
                         const std::string &accept = "application/json") const;
    const HttpEndpoint &endpoint() const { return m_endpoint; }

private:
    HttpResponse send(const std::string &method, const std::string &target, const std::string &body,
                      const std::string &contentType, const std::string &accept, const std::string &token) const;
    // The TLS context for `clientCertPem` and `clientKeyPem` (the settings' or a plugin's);
    // InputError naming `source` when they cannot be used.
    void useTls(const std::string &clientCertPem, const std::string &clientKeyPem, const std::string &source);

    HttpEndpoint m_endpoint;
    std::string m_token;
    TlsSettings m_tlsSettings;
    std::shared_ptr<CredentialPlugin> m_plugin;
    long m_pluginGeneration = 0;     // the plugin's run whose client certificate m_tls holds
    bool m_pluginCertificate = false; // whether m_tls holds one of the plugin's
    std::shared_ptr<boost::asio::ssl::context> m_tls; // for https
    bool m_verify = true;
    std::chrono::milliseconds m_timeout;
    struct Connection;
    std::shared_ptr<Connection> m_connection; // the open connection, if any
};

} // namespace headroom::cluster
