#include "cluster/simserver.h"

#include "io/inputerror.h"
#include "logging.h"
#include "sim/clusteroverrides.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <type_traits>

namespace headroom::cluster {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

// How often the simulation catches up with the wall clock.
constexpr auto kTick = std::chrono::milliseconds(20);
// A connection idle this long is closed (kubectl and Prometheus reconnect).
constexpr auto kIdle = std::chrono::seconds(60);

} // namespace

struct SimulatorServer::State
{
    ServerOptions options;
    std::unique_ptr<SimulatedCluster> cluster;
    std::unique_ptr<asio::ssl::context> tls; // set for HTTPS; outlives io's sessions
    asio::io_context io;
    tcp::acceptor acceptor {io};
    asio::steady_timer tick {io};
    std::chrono::steady_clock::time_point start;

    void accept();
    void onTick();
};

namespace {

// One connection: requests answered in order, kept alive as the client asks. `Stream` is
// a beast::tcp_stream, or an ssl_stream over one for HTTPS.
template<class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>>
{
public:
    template<class... Args>
    Session(SimulatedCluster &cluster, const std::string &token, Args &&...streamArgs)
        : m_stream(std::forward<Args>(streamArgs)...)
        , m_cluster(cluster)
        , m_token(token)
    {
    }

    void start()
    {
        if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
            read();
        } else {
            beast::get_lowest_layer(m_stream).expires_after(kIdle);
            m_stream.async_handshake(asio::ssl::stream_base::server,
                [self = this->shared_from_this()](beast::error_code ec) {
                    if (ec) {
                        // No certificate, or one the client CA did not sign: the client is told
                        // by the handshake itself.
                        qCInfo(lcCluster) << "TLS handshake refused:" << ec.message().c_str();
                        return;
                    }
                    self->read();
                });
        }
    }

private:
    void read()
    {
        m_request = {};
        beast::get_lowest_layer(m_stream).expires_after(kIdle);
        http::async_read(m_stream, m_buffer, m_request,
            [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
    }

    void close()
    {
        beast::error_code ignored;
        beast::get_lowest_layer(m_stream).socket().shutdown(tcp::socket::shutdown_send, ignored);
    }

    HttpResponse answer() const
    {
        HttpRequest request;
        request.method = std::string(m_request.method_string());
        request.target = std::string(m_request.target());
        request.contentType = std::string(m_request[http::field::content_type]);
        request.accept = std::string(m_request[http::field::accept]);
        request.body = m_request.body();
        const std::string path = request.target.substr(0, request.target.find('?'));
        const bool probe = path == "/healthz" || path == "/readyz" || path == "/livez";
        if (!m_token.empty() && !probe
            && std::string(m_request[http::field::authorization]) != "Bearer " + m_token) {
            return {401, "application/json",
                R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
                R"("message":"Unauthorized: this server wants a bearer token","reason":"Unauthorized","code":401})"};
        }
        return m_cluster.handle(request);
    }

    void onRead(beast::error_code ec)
    {
        if (ec == http::error::end_of_stream)
            return close();
        if (ec) {
            // A request that is not HTTP or too large is answered with its status, then the
            // connection closes; a client gone needs nothing.
            const int status = ec == http::error::body_limit ? 413
                : ec == http::error::header_limit          ? 431
                : ec.category() == http::make_error_code(http::error::bad_target).category() ? 400
                                                             : 0;
            qCDebug(lcCluster) << "closed a connection:" << ec.message().c_str();
            if (status == 0)
                return;
            auto response = std::make_shared<http::response<http::string_body>>(
                static_cast<http::status>(status), 11);
            response->set(http::field::server, "headroom-sim");
            response->set(http::field::content_type, "text/plain");
            response->keep_alive(false);
            response->body() = ec.message() + "\n";
            response->prepare_payload();
            http::async_write(m_stream, *response,
                [self = this->shared_from_this(), response](beast::error_code, std::size_t) { self->close(); });
            return;
        }
        const HttpResponse a = answer();
        auto response = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(a.status), m_request.version());
        response->set(http::field::server, "headroom-sim");
        response->set(http::field::content_type, a.contentType);
        response->keep_alive(m_request.keep_alive());
        if (m_request.method() == http::verb::head) {
            response->content_length(a.body.size()); // the GET's length, without its body
        } else {
            response->body() = a.body;
            response->prepare_payload();
        }
        http::async_write(m_stream, *response,
            [self = this->shared_from_this(), response](beast::error_code writeEc, std::size_t) {
                if (writeEc)
                    return;
                if (response->need_eof())
                    return self->close();
                self->read();
            });
    }

    Stream m_stream;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_request;
    SimulatedCluster &m_cluster;
    const std::string &m_token;
};

} // namespace

void SimulatorServer::State::accept()
{
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open())
            return; // the acceptor closed: the server is stopping
        if (ec) {
            // Out of file descriptors, say: accept again a little later, not never.
            qCWarning(lcCluster) << "cannot accept a connection:" << ec.message().c_str()
                                 << "- trying again in 100 ms";
            auto retry = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(100));
            retry->async_wait([this, retry](beast::error_code) { accept(); });
            return;
        }
        if (tls) {
            std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
                *cluster, options.bearerToken, std::move(socket), *tls)->start();
        } else {
            std::make_shared<Session<beast::tcp_stream>>(*cluster, options.bearerToken, std::move(socket))
                ->start();
        }
        accept();
    });
}

void SimulatorServer::State::onTick()
{
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
    cluster->advanceTo(wall.count() * options.speed);
    if (cluster->finished()) {
        qCInfo(lcCluster) << "simulated" << cluster->nowS() << "s: the source's run is over";
        io.stop();
        return;
    }
    tick.expires_after(kTick);
    tick.async_wait([this](beast::error_code ec) {
        if (!ec)
            onTick();
    });
}

SimulatorServer::SimulatorServer(ServerOptions options, std::unique_ptr<SimulatedCluster> cluster)
    : m_state(std::make_unique<State>())
{
    State &s = *m_state;
    s.options = std::move(options);
    s.cluster = std::move(cluster);
    beast::error_code ec;
    const auto address = asio::ip::make_address(s.options.address, ec);
    if (ec)
        throw sim::badOption("--address", "'" + s.options.address + "' is not an IP address");
    if (s.options.tlsCertFile.empty() != s.options.tlsKeyFile.empty())
        throw sim::badOption("--tls-cert", "give --tls-cert and --tls-key together");
    if (!s.options.clientCaFile.empty() && s.options.tlsCertFile.empty())
        throw sim::badOption("--client-ca", "needs HTTPS (--tls-cert and --tls-key)");
    if (!s.options.tlsCertFile.empty()) {
        s.tls = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
        s.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2
                           | asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1
                           | asio::ssl::context::no_tlsv1_1);
        const auto load = [&](const std::string &option, const std::string &file, auto &&use) {
            beast::error_code loadEc;
            use(file, loadEc);
            if (loadEc)
                throw InputError(file, std::nullopt, option, "not a usable PEM file: " + loadEc.message());
        };
        load("--tls-cert", s.options.tlsCertFile, [&](const std::string &f, beast::error_code &e) {
            s.tls->use_certificate_chain_file(f, e);
        });
        load("--tls-key", s.options.tlsKeyFile, [&](const std::string &f, beast::error_code &e) {
            s.tls->use_private_key_file(f, asio::ssl::context::pem, e);
        });
        if (!s.options.clientCaFile.empty()) {
            load("--client-ca", s.options.clientCaFile, [&](const std::string &f, beast::error_code &e) {
                s.tls->load_verify_file(f, e);
            });
            s.tls->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
        }
    }
    const tcp::endpoint endpoint(address, s.options.port);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        s.acceptor.bind(endpoint, ec);
    if (!ec)
        s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        // An address this machine does not have is the address's fault, not the port's.
        const bool address = ec == boost::system::errc::address_not_available;
        throw sim::badOption(address ? "--address" : "--port", "cannot listen on " + s.options.address
            + ":" + std::to_string(s.options.port) + ": " + ec.message());
    }
    s.start = std::chrono::steady_clock::now();
}

SimulatorServer::~SimulatorServer() = default;

unsigned short SimulatorServer::port() const
{
    return m_state->acceptor.local_endpoint().port();
}

const SimulatedCluster &SimulatorServer::cluster() const
{
    return *m_state->cluster;
}

void SimulatorServer::run()
{
    State &s = *m_state;
    asio::signal_set signals(s.io, SIGINT, SIGTERM, SIGHUP);
    signals.async_wait([&s](beast::error_code ec, int signal) {
        if (ec)
            return;
        qCInfo(lcCluster) << "signal" << signal << "at" << s.cluster->nowS()
                          << "s (simulated): stopping";
        s.io.stop();
    });
    s.accept();
    s.onTick();
    s.io.run();
}

void SimulatorServer::stop()
{
    asio::post(m_state->io, [this] { m_state->io.stop(); });
}

} // namespace headroom::cluster
