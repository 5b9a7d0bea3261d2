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

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <functional>
#include <optional>
#include <string_view>
#include <type_traits>
#include <unordered_map>

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
// While inference requests wait, the simulation also wakes at their next possible end, but
// no more often than this.
constexpr auto kShortestTick = std::chrono::milliseconds(1);
// Answers written before the server stops (the last inference answers).
constexpr auto kStopGrace = std::chrono::milliseconds(200);

// The token of an Authorization header, read as the Kubernetes API server reads it: the
// header trimmed, the scheme "Bearer" in any case ("bearer TOKEN" was refused 401), the token
// up to the next space. Empty when the header holds no bearer token.
std::string bearerToken(std::string_view header)
{
    const auto space = [](char c) { return c == ' ' || c == '\t'; };
    while (!header.empty() && space(header.front()))
        header.remove_prefix(1);
    while (!header.empty() && space(header.back()))
        header.remove_suffix(1);
    const std::size_t gap = header.find(' ');
    if (gap == std::string_view::npos)
        return {};
    std::string scheme(header.substr(0, gap));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (scheme != "bearer")
        return {};
    const std::string_view rest = header.substr(gap + 1);
    return std::string(rest.substr(0, rest.find(' ')));
}

// The inference requests waiting for their answers, each with the way to send it: the
// cluster decides the answer, this hands it to the connection that asked.
class InferenceDesk
{
public:
    using Reply = std::function<void(const HttpResponse &)>;

    InferenceDesk(SimulatedCluster &cluster, std::function<void()> catchUp)
        : m_cluster(cluster), m_catchUp(std::move(catchUp))
    {
    }

    // Brings the cluster to the present, joins the request and answers it when it ends.
    void submit(const std::string &body, Reply reply)
    {
        if (m_closed)
            return reply(stopping());
        m_catchUp();
        auto joined = m_cluster.submitInference(body);
        if (const auto *refused = std::get_if<HttpResponse>(&joined))
            return reply(*refused);
        m_waiting.emplace(std::get<std::uint32_t>(joined), std::move(reply));
        deliver(); // rejected at once by a full router queue
    }

    // Sends the answers the cluster has come to. Returns how many it sent.
    std::size_t deliver()
    {
        const auto answers = m_cluster.takeInferenceAnswers();
        for (const auto &[tag, answer] : answers) {
            const auto it = m_waiting.find(tag);
            if (it == m_waiting.end())
                continue;
            const Reply reply = std::move(it->second);
            m_waiting.erase(it);
            reply(answer);
        }
        return answers.size();
    }

    bool waiting() const { return !m_waiting.empty(); }

    // The server stops: every request still waiting is answered 503.
    void closeAll()
    {
        m_closed = true;
        auto waiting = std::move(m_waiting);
        m_waiting.clear();
        for (auto &[tag, reply] : waiting)
            reply(stopping());
    }

private:
    static HttpResponse stopping()
    {
        return {503, "application/json", R"({"outcome":"rejected","message":"the server is stopping"})"};
    }

    SimulatedCluster &m_cluster;
    std::function<void()> m_catchUp;
    std::unordered_map<std::uint32_t, Reply> m_waiting;
    bool m_closed = false;
};

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
    // After io: the replies it holds own sessions whose sockets belong to io.
    std::unique_ptr<InferenceDesk> desk;
    bool stopping = false;

    void accept();
    void catchUp();
    void onTick();
    void scheduleTick();
    void shutdown();
};

namespace {

// One connection: requests answered in order, kept alive as the client asks. `Stream` is
// a beast::tcp_stream, or an ssl_stream over one for HTTPS.
template<class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>>
{
public:
    template<class... Args>
    Session(SimulatedCluster &cluster, InferenceDesk &desk, const std::string &token,
            Args &&...streamArgs)
        : m_stream(std::forward<Args>(streamArgs)...)
        , m_cluster(cluster)
        , m_desk(desk)
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

    // The request's answer, or nullopt when it is an inference request, answered later.
    std::optional<HttpResponse> answer()
    {
        HttpRequest request;
        request.method = std::string(m_request.method_string());
        request.target = std::string(m_request.target());
        request.contentType = std::string(m_request[http::field::content_type]);
        request.accept = std::string(m_request[http::field::accept]);
        request.body = m_request.body();
        const std::string path = request.target.substr(0, request.target.find('?'));
        const bool probe = path == "/healthz" || path == "/readyz" || path == "/livez";
        if (!m_token.empty() && !probe && bearerToken(std::string(m_request[http::field::authorization])) != m_token) {
            return HttpResponse {401, "application/json",
                R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",)"
                R"("message":"Unauthorized: this server wants a bearer token","reason":"Unauthorized","code":401})"};
        }
        if (request.method == "POST" && path == "/v1/infer") {
            m_desk.submit(request.body, [self = this->shared_from_this()](const HttpResponse &a) {
                self->respond(a);
            });
            return std::nullopt;
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
        if (const std::optional<HttpResponse> a = answer())
            respond(*a);
    }

    void respond(const HttpResponse &a)
    {
        auto response = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(a.status), m_request.version());
        response->set(http::field::server, "headroom-sim");
        response->set(http::field::content_type, a.contentType);
        if (!a.allow.empty())
            response->set(http::field::allow, a.allow);
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
    InferenceDesk &m_desk;
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
                *cluster, *desk, options.bearerToken, std::move(socket), *tls)->start();
        } else {
            std::make_shared<Session<beast::tcp_stream>>(*cluster, *desk, options.bearerToken,
                std::move(socket))->start();
        }
        accept();
    });
}

void SimulatorServer::State::catchUp()
{
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
    cluster->advanceTo(wall.count() * options.speed);
}

void SimulatorServer::State::onTick()
{
    if (stopping)
        return;
    catchUp();
    desk->deliver();
    if (cluster->finished()) {
        qCInfo(lcCluster) << "simulated" << cluster->nowS() << "s: the source's run is over";
        shutdown();
        return;
    }
    scheduleTick();
}

void SimulatorServer::State::scheduleTick()
{
    // Every 20 ms; sooner when an inference request may end before then, so that its answer
    // leaves close to its simulated moment.
    auto wait = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kTick);
    const double eventS = cluster->nextInferenceEventS();
    if (std::isfinite(eventS)) {
        const std::chrono::duration<double> untilEvent((eventS - cluster->nowS()) / options.speed);
        const auto soon = std::chrono::duration_cast<std::chrono::steady_clock::duration>(untilEvent);
        const auto shortest
            = std::chrono::duration_cast<std::chrono::steady_clock::duration>(kShortestTick);
        wait = std::clamp(soon, shortest, wait);
    }
    tick.expires_after(wait);
    tick.async_wait([this](beast::error_code ec) {
        if (!ec)
            onTick();
    });
}

void SimulatorServer::State::shutdown()
{
    if (stopping)
        return;
    stopping = true;
    beast::error_code ignored;
    acceptor.close(ignored);
    tick.cancel();
    // The requests that ended with the run get their answers; any still waiting hear why.
    const bool answered = desk->deliver() > 0 || desk->waiting();
    desk->closeAll();
    if (!answered)
        return io.stop();
    tick.expires_after(kStopGrace);
    tick.async_wait([this](beast::error_code) { io.stop(); });
}

std::string exposureWarning(const ServerOptions &options)
{
    beast::error_code ec;
    asio::ip::address address = asio::ip::make_address(options.address, ec);
    if (ec || !options.bearerToken.empty() || !options.clientCaFile.empty())
        return {};
    // An IPv4 address written as IPv6 (::ffff:127.0.0.1) is the IPv4 one.
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
    if (address.is_loopback())
        return {};
    return "listening on " + options.address + ", not a loopback address, with neither --token-file nor "
        "--client-ca: anyone who can reach it can read the cluster and scale its deployment";
}

SimulatorServer::SimulatorServer(ServerOptions options, std::unique_ptr<SimulatedCluster> cluster)
    : m_state(std::make_unique<State>())
{
    State &s = *m_state;
    s.options = std::move(options);
    s.cluster = std::move(cluster);
    s.desk = std::make_unique<InferenceDesk>(*s.cluster, [&s] { s.catchUp(); });
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
        s.shutdown();
    });
    s.accept();
    s.onTick();
    s.io.run();
}

void SimulatorServer::stop()
{
    asio::post(m_state->io, [this] { m_state->shutdown(); });
}

} // namespace headroom::cluster
