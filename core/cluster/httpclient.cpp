#include "cluster/httpclient.h"

#include "cluster/execcredential.h"
#include "cluster/tls.h"
#include "io/inputerror.h"
#include "io/smallfile.h"
#include "sim/clusteroverrides.h"
#include "traffic/timestamp.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <openssl/ssl.h>

#include <cctype>
#include <charconv>

namespace headroom::cluster {

std::string percentEncode(const std::string &text)
{
    static const char *hex = "0123456789ABCDEF";
    std::string out;
    for (const unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}


namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::optional<std::int64_t> parseApiTime(const std::string &text, std::string &problem)
{
    const bool apiForm = text.size() >= 20 && text[10] == 'T' && text.back() == 'Z';
    if (apiForm) {
        if (const auto ns = traffic::parseUtcTimestamp(text))
            return ns;
        if (const auto year = traffic::outOfRangeTimestampYear(text)) {
            problem = "an RFC 3339 time, but of the year " + std::to_string(*year)
                + ", outside the times this reader takes (" + traffic::supportedTimestampRange() + ")";
            return std::nullopt;
        }
    }
    problem = "not an RFC 3339 time in UTC (YYYY-MM-DDTHH:MM:SS, a fraction allowed, then Z)";
    return std::nullopt;
}

void checkBearerToken(const std::string &token, const std::string &source)
{
    for (const unsigned char c : token) {
        if (c < 0x20 || c == 0x7f)
            throw InputError(source, std::nullopt, "token", "holds a line break or another control character");
    }
}

HttpEndpoint parseHttpUrl(const std::string &option, const std::string &url, bool allowPath)
{
    HttpEndpoint e;
    std::string rest;
    if (url.rfind("https://", 0) == 0) {
        e.https = true;
        rest = url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
        rest = url.substr(7);
    } else {
        throw sim::badOption(option, "'" + url + "' is not an http:// or https:// URL");
    }
    while (!rest.empty() && rest.back() == '/')
        rest.pop_back();
    if (const std::size_t slash = rest.find('/'); slash != std::string::npos) {
        if (!allowPath)
            throw sim::badOption(option, "'" + url + "': give the server's address alone, no path");
        e.pathPrefix = rest.substr(slash);
        if (e.pathPrefix.find_first_of("?#% \t") != std::string::npos)
            throw sim::badOption(option, "'" + url + "': the path takes no query (?), fragment (#), escapes (%) or spaces");
        rest = rest.substr(0, slash);
    }
    // user:password@host is neither sent nor to be printed in messages.
    if (rest.find('@') != std::string::npos)
        throw sim::badOption(option, "a URL with credentials (user@host) is not taken: they would not be sent, "
            "and messages would show them; give a token file instead");
    e.url = (e.https ? "https://" : "http://") + rest + e.pathPrefix;
    // [v6]:port, host:port or host.
    std::size_t colon = rest.rfind(':');
    if (!rest.empty() && rest.front() == '[') {
        const std::size_t close = rest.find(']');
        if (close == std::string::npos || (close + 1 < rest.size() && rest[close + 1] != ':'))
            throw sim::badOption(option, "'" + url + "': an IPv6 address is written [address]:port");
        colon = close + 1 < rest.size() ? close + 1 : std::string::npos;
        e.host = rest.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    } else {
        e.host = colon == std::string::npos ? rest : rest.substr(0, colon);
    }
    e.port = colon == std::string::npos ? (e.https ? "443" : "80") : rest.substr(colon + 1);
    unsigned port = 0;
    const auto [end, ec] = std::from_chars(e.port.data(), e.port.data() + e.port.size(), port);
    if (e.host.empty() || ec != std::errc() || end != e.port.data() + e.port.size() || port == 0
        || port > 65535)
        throw sim::badOption(option, "'" + url + "' has no host, or no port from 1 to 65535");
    return e;
}

HttpClient::HttpClient(HttpEndpoint endpoint, std::string bearerToken, TlsSettings tls,
                       std::chrono::milliseconds timeout)
    : m_endpoint(std::move(endpoint))
    , m_token(std::move(bearerToken))
    , m_tlsSettings(std::move(tls))
    , m_verify(!m_tlsSettings.insecureSkipVerify)
    , m_timeout(timeout)
{
    useTls(m_tlsSettings.clientCertPem, m_tlsSettings.clientKeyPem, m_tlsSettings.source);
}

void HttpClient::useTls(const std::string &clientCertPem, const std::string &clientKeyPem, const std::string &source)
{
    if (!m_endpoint.https)
        return;
    TlsSettings tls = m_tlsSettings;
    tls.clientCertPem = clientCertPem;
    tls.clientKeyPem = clientKeyPem;
    tls.source = source;
    m_tls = makeTlsContext(tls);
}

std::string readPemOption(const std::string &option, const std::string &path)
{
    std::string text;
    if (const io::SmallFile read = io::readSmallFile(path, io::kMaxSmallFileBytes, text); read != io::SmallFile::Read)
        throw InputError(path, std::nullopt, option, io::smallFileProblem(read, io::kMaxSmallFileBytes));
    if (text.empty())
        throw InputError(path, std::nullopt, option, "empty");
    return text;
}

std::shared_ptr<asio::ssl::context> makeTlsContext(const TlsSettings &tls)
{
    auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                         | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                         | asio::ssl::context::no_tlsv1_1);
    beast::error_code ec;
    const auto check = [&](const std::string &what) {
        if (ec)
            throw InputError(tls.source, std::nullopt, what, "cannot be used: " + ec.message());
    };
    if (tls.caPem.empty())
        context->set_default_verify_paths(ec);
    else
        context->add_certificate_authority(asio::buffer(tls.caPem), ec);
    check(tls.caField);
    if (!tls.clientCertPem.empty() || !tls.clientKeyPem.empty()) {
        if (tls.clientCertPem.empty() || tls.clientKeyPem.empty())
            throw InputError(tls.source, std::nullopt, tls.certField,
                             "a client certificate needs its key, and a key its certificate");
        context->use_certificate_chain(asio::buffer(tls.clientCertPem), ec);
        check(tls.certField);
        context->use_private_key(asio::buffer(tls.clientKeyPem), asio::ssl::context::pem, ec);
        check(tls.keyField);
    }
    return context;
}

void prepareTlsStream(TlsStream &stream, const std::string &host, bool verify)
{
    beast::error_code notAddress;
    asio::ip::make_address(host, notAddress);
    if (notAddress) // SNI for a name, not for an address
        SSL_set_tlsext_host_name(stream.native_handle(), host.c_str());
    if (verify) {
        stream.set_verify_mode(asio::ssl::verify_peer);
        stream.set_verify_callback(asio::ssl::host_name_verification(host));
    } else {
        stream.set_verify_mode(asio::ssl::verify_none);
    }
}

bool isTlsFailure(const beast::error_code &failure)
{
    return failure
        && (failure.category() == asio::error::get_ssl_category() || failure == asio::ssl::error::stream_truncated);
}

std::string describeTlsFailure(const beast::error_code &failure, TlsStream *stream, const std::string &host)
{
    if (!isTlsFailure(failure))
        return {};
    std::string why = "TLS: " + failure.message();
    const long verify = stream ? SSL_get_verify_result(stream->native_handle()) : X509_V_OK;
    if (verify == X509_V_ERR_UNSPECIFIED || verify == X509_V_ERR_HOSTNAME_MISMATCH
        || verify == X509_V_ERR_IP_ADDRESS_MISMATCH)
        why += " (the server's certificate does not name " + host + ")";
    else if (verify != X509_V_OK)
        why += " (" + std::string(X509_verify_cert_error_string(verify)) + ")";
    return why;
}

struct HttpClient::Connection
{
    asio::io_context io;
    std::unique_ptr<beast::tcp_stream> plain;                     // http
    std::unique_ptr<TlsStream> secure; // https
    beast::flat_buffer buffer;
    bool open = false;

    beast::tcp_stream &lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
    void close()
    {
        if (plain || secure) {
            beast::error_code ignored;
            lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
            lowest().socket().close(ignored);
        }
        secure.reset();
        plain.reset();
        buffer.clear();
        open = false;
    }
};

namespace {

constexpr std::uint64_t kMaxAnswerBytes = 32ull << 20;

// Sends `req` over `stream` (connected) and reads the answer, within the io_context's run.
template<class Stream>
void exchange(Stream &stream, http::request<http::string_body> &req, beast::flat_buffer &buffer,
              http::response_parser<http::string_body> &res, beast::error_code &failure, bool &done)
{
    http::async_write(stream, req, [&](beast::error_code ec, std::size_t) {
        if (ec)
            return void(failure = ec);
        // The header first: a Content-Length past the limit is refused before the body is read
        // (Boost 1.74's parser let such a body through in one piece).
        http::async_read_header(stream, buffer, res, [&](beast::error_code ec2, std::size_t) {
            if (ec2)
                return void(failure = ec2);
            if (res.content_length() && *res.content_length() > kMaxAnswerBytes)
                return void(failure = http::error::body_limit);
            http::async_read(stream, buffer, res, [&](beast::error_code ec3, std::size_t) {
                if (ec3)
                    return void(failure = ec3);
                done = true;
            });
        });
    });
}

} // namespace

HttpResponse HttpClient::request(const std::string &method, const std::string &target,
                                 const std::string &body, const std::string &contentType,
                                 const std::string &accept) const
{
    if (!m_plugin)
        return send(method, target, body, contentType, accept, m_token);
    auto &self = const_cast<HttpClient &>(*this);
    for (int attempt = 0;; ++attempt) {
        const Credentials credentials = m_plugin->credentials();
        const bool certificate = !credentials.clientCertPem.empty();
        if (credentials.generation != m_pluginGeneration && (certificate || m_pluginCertificate)) {
            // A new client certificate (or none after one): a new TLS context, and a new
            // connection to show it.
            if (certificate) {
                self.useTls(credentials.clientCertPem, credentials.clientKeyPem,
                            m_plugin->config().kubeconfig + ", users[" + m_plugin->config().user
                                + "].user.exec: the client certificate of '" + m_plugin->config().command + "'");
            } else {
                self.useTls(m_tlsSettings.clientCertPem, m_tlsSettings.clientKeyPem, m_tlsSettings.source);
            }
            self.m_pluginCertificate = certificate;
            if (m_connection)
                m_connection->close();
            self.m_pluginGeneration = credentials.generation;
        }
        HttpResponse answer = send(method, target, body, contentType, accept,
                                   credentials.token.empty() ? m_token : credentials.token);
        if (answer.status != 401 || attempt > 0)
            return answer;
        // kubectl's way: a refused plugin credential is asked for anew, once.
        m_plugin->invalidate(credentials.generation);
    }
}

HttpResponse HttpClient::send(const std::string &method, const std::string &target, const std::string &body,
                              const std::string &contentType, const std::string &accept,
                              const std::string &token) const
{
    http::request<http::string_body> req {http::string_to_verb(method), target, 11};
    const bool defaultPort = m_endpoint.port == (m_endpoint.https ? "443" : "80");
    const bool v6 = m_endpoint.host.find(':') != std::string::npos;
    req.set(http::field::host, (v6 ? "[" + m_endpoint.host + "]" : m_endpoint.host)
        + (defaultPort ? std::string() : ":" + m_endpoint.port));
    req.set(http::field::user_agent, "headroom");
    req.set(http::field::accept, accept);
    if (!contentType.empty())
        req.set(http::field::content_type, contentType);
    if (!token.empty())
        req.set(http::field::authorization, "Bearer " + token);
    req.keep_alive(true);
    req.body() = body;
    req.prepare_payload();

    auto &self = const_cast<HttpClient &>(*this);
    if (!self.m_connection)
        self.m_connection = std::make_shared<Connection>();
    Connection &c = *self.m_connection;
    const auto run = [&] {
        c.io.restart();
        c.io.run_for(m_timeout + std::chrono::milliseconds(100));
    };
    const auto fail = [&](const beast::error_code &failure) -> UnreachableError {
        const bool tlsFailure = isTlsFailure(failure);
        const std::string why = tlsFailure ? describeTlsFailure(failure, c.secure.get(), m_endpoint.host)
            : failure                     ? failure.message()
                                          : std::string("no answer in time");
        c.close();
        return UnreachableError(method + " " + m_endpoint.origin() + target + ": " + why, !tlsFailure);
    };

    // A kept connection may have been closed by the server since: then once more, anew.
    for (int attempt = 0; attempt < 2; ++attempt) {
        const bool reused = c.open;
        beast::error_code failure;
        if (!c.open) {
            tcp::resolver resolver(c.io);
            c.close();
            if (!m_endpoint.https)
                c.plain = std::make_unique<beast::tcp_stream>(c.io);
            if (m_endpoint.https) {
                c.secure = std::make_unique<TlsStream>(c.io, *m_tls);
                prepareTlsStream(*c.secure, m_endpoint.host, m_verify);
            }
            bool connected = false;
            c.lowest().expires_after(m_timeout);
            resolver.async_resolve(m_endpoint.host, m_endpoint.port,
                [&](beast::error_code ec, tcp::resolver::results_type results) {
                    if (ec)
                        return void(failure = ec);
                    c.lowest().async_connect(results, [&](beast::error_code ec2, const tcp::endpoint &) {
                        if (ec2)
                            return void(failure = ec2);
                        if (!c.secure)
                            return void(connected = true);
                        c.secure->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code ec3) {
                            if (ec3)
                                return void(failure = ec3);
                            connected = true;
                        });
                    });
                });
            run();
            if (!connected)
                throw fail(failure);
            c.open = true;
        }
        // An answer past kMaxAnswerBytes is refused, not read into memory whole (a list of
        // every pod in a large namespace stays well under it).
        http::response_parser<http::string_body> parser;
        parser.body_limit(kMaxAnswerBytes);
        bool done = false;
        c.lowest().expires_after(m_timeout);
        if (c.secure)
            exchange(*c.secure, req, c.buffer, parser, failure, done);
        else
            exchange(*c.plain, req, c.buffer, parser, failure, done);
        run();
        if (failure == http::error::body_limit) {
            c.close();
            throw UnreachableError(method + " " + m_endpoint.origin() + target + ": the answer is larger than "
                + std::to_string(kMaxAnswerBytes >> 20) + " MB", false);
        }
        if (done) {
            const http::response<http::string_body> &res = parser.get();
            if (res.need_eof())
                c.close();
            return {static_cast<int>(res.result_int()), std::string(res[http::field::content_type]), res.body()};
        }
        if (!reused || !failure || failure == beast::error::timeout)
            throw fail(failure);
        c.close(); // the server closed the kept connection: open a new one
    }
    throw fail({});
}

} // namespace headroom::cluster
