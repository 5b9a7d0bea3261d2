#pragma once

#include "cluster/simulatedcluster.h"

#include <chrono>
#include <stdexcept>
#include <string>

namespace headroom::cluster {

// A server's address from an http:// URL: "http://127.0.0.1:8080" (port 80 when none).
struct HttpEndpoint
{
    std::string host;
    std::string port;
    std::string url; // as given, without a trailing '/'
};

// Throws InputError naming `option` for anything but http://HOST[:PORT][/]. (https, and
// with it a real cluster's TLS and client certificates, is not read yet: docs/serve.md.)
HttpEndpoint parseHttpUrl(const std::string &option, const std::string &url);

// A server that could not be reached or did not answer in time: says which URL and why.
class UnreachableError : public std::runtime_error
{
public:
    using std::runtime_error::runtime_error;
};

// One HTTP/1.1 request at a time over Boost.Beast, a connection each, within a timeout.
class HttpClient
{
public:
    explicit HttpClient(HttpEndpoint endpoint, std::string bearerToken = {},
                        std::chrono::milliseconds timeout = std::chrono::seconds(5));

    // Throws UnreachableError when the connection fails or the answer does not come in time.
    HttpResponse request(const std::string &method, const std::string &target,
                         const std::string &body = {}, const std::string &contentType = {},
                         const std::string &accept = "application/json") const;
    const HttpEndpoint &endpoint() const { return m_endpoint; }

private:
    HttpEndpoint m_endpoint;
    std::string m_token;
    std::chrono::milliseconds m_timeout;
};

} // namespace headroom::cluster
