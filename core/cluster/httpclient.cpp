#include "cluster/httpclient.h"

#include "io/inputerror.h"
#include "sim/clusteroverrides.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <charconv>

namespace headroom::cluster {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

HttpEndpoint parseHttpUrl(const std::string &option, const std::string &url)
{
    const std::string scheme = "http://";
    if (url.rfind("https://", 0) == 0) {
        throw sim::badOption(option, url + ": https is not supported yet (TLS and a cluster's "
            "certificates are still to come); give an http:// URL");
    }
    if (url.rfind(scheme, 0) != 0)
        throw sim::badOption(option, "'" + url + "' is not an http:// URL");
    std::string rest = url.substr(scheme.size());
    while (!rest.empty() && rest.back() == '/')
        rest.pop_back();
    if (rest.find('/') != std::string::npos)
        throw sim::badOption(option, "'" + url + "': give the server's address alone, no path");
    HttpEndpoint e;
    e.url = scheme + rest;
    const std::size_t colon = rest.rfind(':');
    e.host = colon == std::string::npos ? rest : rest.substr(0, colon);
    e.port = colon == std::string::npos ? "80" : rest.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(e.port.data(), e.port.data() + e.port.size(), port);
    if (e.host.empty() || ec != std::errc() || end != e.port.data() + e.port.size() || port == 0
        || port > 65535)
        throw sim::badOption(option, "'" + url + "' has no host, or no port from 1 to 65535");
    return e;
}

HttpClient::HttpClient(HttpEndpoint endpoint, std::string bearerToken,
                       std::chrono::milliseconds timeout)
    : m_endpoint(std::move(endpoint))
    , m_token(std::move(bearerToken))
    , m_timeout(timeout)
{
}

HttpResponse HttpClient::request(const std::string &method, const std::string &target,
                                 const std::string &body, const std::string &contentType,
                                 const std::string &accept) const
{
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    http::request<http::string_body> req {http::string_to_verb(method), target, 11};
    req.set(http::field::host, m_endpoint.host);
    req.set(http::field::user_agent, "headroom");
    req.set(http::field::accept, accept);
    if (!contentType.empty())
        req.set(http::field::content_type, contentType);
    if (!m_token.empty())
        req.set(http::field::authorization, "Bearer " + m_token);
    req.body() = body;
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    beast::error_code failure;
    bool done = false;

    stream.expires_after(m_timeout);
    resolver.async_resolve(m_endpoint.host, m_endpoint.port,
        [&](beast::error_code ec, tcp::resolver::results_type results) {
            if (ec)
                return void(failure = ec);
            stream.async_connect(results, [&](beast::error_code ec2, const tcp::endpoint &) {
                if (ec2)
                    return void(failure = ec2);
                http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
                    if (ec3)
                        return void(failure = ec3);
                    http::async_read(stream, buffer, res, [&](beast::error_code ec4, std::size_t) {
                        if (ec4)
                            return void(failure = ec4);
                        done = true;
                    });
                });
            });
        });
    io.run_for(m_timeout + std::chrono::milliseconds(100));
    if (!done) {
        const std::string why = failure ? failure.message() : std::string("no answer in time");
        throw UnreachableError(method + " " + m_endpoint.url + target + ": " + why);
    }
    beast::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    return {static_cast<int>(res.result_int()), std::string(res[http::field::content_type]), res.body()};
}

} // namespace headroom::cluster
