#include "cluster/simserver.h"

#include "io/inputerror.h"
#include "logging.h"
#include "sim/clusteroverrides.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <chrono>

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
    asio::io_context io;
    tcp::acceptor acceptor {io};
    asio::steady_timer tick {io};
    std::chrono::steady_clock::time_point start;

    void accept();
    void onTick();
};

namespace {

class Session : public std::enable_shared_from_this<Session>
{
public:
    Session(tcp::socket socket, SimulatedCluster &cluster)
        : m_stream(std::move(socket))
        , m_cluster(cluster)
    {
    }

    void read()
    {
        m_request = {};
        m_stream.expires_after(kIdle);
        http::async_read(m_stream, m_buffer, m_request,
            [self = shared_from_this()](beast::error_code ec, std::size_t) { self->onRead(ec); });
    }

private:
    void onRead(beast::error_code ec)
    {
        if (ec == http::error::end_of_stream) {
            m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
            return;
        }
        if (ec) {
            // A request that is not HTTP, too large, or a client gone: nothing to answer.
            if (ec != beast::error::timeout && ec != asio::error::operation_aborted)
                qCInfo(lcCluster) << "closed a connection:" << ec.message().c_str();
            return;
        }
        HttpRequest request;
        request.method = std::string(m_request.method_string());
        request.target = std::string(m_request.target());
        request.contentType = std::string(m_request[http::field::content_type]);
        request.accept = std::string(m_request[http::field::accept]);
        request.body = m_request.body();
        const HttpResponse answer = m_cluster.handle(request);

        auto response = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(answer.status), m_request.version());
        response->set(http::field::server, "headroom-sim");
        response->set(http::field::content_type, answer.contentType);
        response->keep_alive(m_request.keep_alive());
        response->body() = answer.body;
        response->prepare_payload();
        http::async_write(m_stream, *response,
            [self = shared_from_this(), response](beast::error_code writeEc, std::size_t) {
                if (writeEc)
                    return;
                if (response->need_eof()) {
                    beast::error_code ignored;
                    self->m_stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
                    return;
                }
                self->read();
            });
    }

    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    http::request<http::string_body> m_request;
    SimulatedCluster &m_cluster;
};

} // namespace

void SimulatorServer::State::accept()
{
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec)
            return; // the acceptor closed: the server is stopping
        std::make_shared<Session>(std::move(socket), *cluster)->read();
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
    const tcp::endpoint endpoint(address, s.options.port);
    s.acceptor.open(endpoint.protocol(), ec);
    if (!ec)
        s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec)
        s.acceptor.bind(endpoint, ec);
    if (!ec)
        s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        throw sim::badOption("--port", "cannot listen on " + s.options.address + ":"
            + std::to_string(s.options.port) + ": " + ec.message());
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
    asio::signal_set signals(s.io, SIGINT, SIGTERM);
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
