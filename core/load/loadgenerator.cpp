#include "load/loadgenerator.h"

#include "cluster/tls.h"
#include "io/inputerror.h"
#include "logging.h"
#include "sim/clusteroverrides.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <optional>
#include <sstream>

#include <sys/resource.h>

namespace headroom::load {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// How often a run looks at its stop flag (Ctrl-C).
constexpr auto kStopPoll = std::chrono::milliseconds(50);
// The largest answer read; a larger one is an error, not a memory exhaustion.
constexpr std::uint64_t kMaxAnswerBytes = 16 * 1024 * 1024;
// Files kept free of connections: the CSV written at the end, the resolver, TLS's reads.
constexpr long kSpareFiles = 16;

// Files this process has open now.
long openFiles()
{
    std::error_code ec;
    long n = 0;
    for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec))
        ++n;
    return n;
}

// How many connections the open-file limit leaves room for, raising its soft limit towards
// the hard one when `wanted` needs more; `limit` gets the soft limit.
long connectionRoom(long wanted, rlim_t &limit)
{
    rlimit l {};
    if (::getrlimit(RLIMIT_NOFILE, &l) != 0 || l.rlim_cur == RLIM_INFINITY)
        return wanted;
    const long open = openFiles();
    const rlim_t needed = static_cast<rlim_t>(open + kSpareFiles + wanted);
    if (l.rlim_cur < needed) {
        rlimit raised = l;
        raised.rlim_cur = l.rlim_max == RLIM_INFINITY ? needed : std::min(needed, l.rlim_max);
        if (::setrlimit(RLIMIT_NOFILE, &raised) == 0)
            l = raised;
    }
    limit = l.rlim_cur;
    return std::clamp(static_cast<long>(l.rlim_cur) - open - kSpareFiles, 1L, wanted);
}

// An error as a person reads it; a timeout names the option that sets it.
std::string describe(const beast::error_code &ec, bool answering)
{
    if (ec == http::error::body_limit)
        return "the answer is larger than " + std::to_string(kMaxAnswerBytes >> 20) + " MB";
    if (ec == beast::error::timeout)
        return "no answer within the timeout (--timeout)";
    if (ec == http::error::end_of_stream || ec == asio::error::eof)
        return answering ? "the server closed the connection before answering"
                         : "the server closed the connection";
    if (ec == http::error::partial_message)
        return "the server closed the connection in the middle of its answer";
    if (ec.category() == http::make_error_code(http::error::bad_version).category())
        return "the answer is not HTTP (" + ec.message() + ")";
    return ec.message();
}

// "latency_ms" of a JSON object answer, or NaN.
double serverLatency(const std::string &body)
{
    const auto json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
    if (!json.is_object())
        return RequestRecord::kNone;
    const auto it = json.find("latency_ms");
    if (it == json.end() || !it->is_number())
        return RequestRecord::kNone;
    // A time, as serve writes it: from 0 to a day (anything else is not one: 1e308 was
    // written to the CSV as a number of 309 digits).
    constexpr double kMostMs = 86'400'000.0;
    const double ms = it->get<double>();
    return std::isfinite(ms) && ms >= 0.0 && ms <= kMostMs ? ms : RequestRecord::kNone;
}

} // namespace

LoadTarget parseLoadUrl(const std::string &option, const std::string &url)
{
    const bool https = url.rfind("https://", 0) == 0;
    if (!https && url.rfind("http://", 0) != 0)
        throw sim::badOption(option, "'" + url + "' is not an http:// or https:// URL");
    const std::size_t hostAt = https ? 8 : 7;
    const std::size_t slash = url.find('/', hostAt);
    const std::size_t query = url.find('?', hostAt);
    const std::size_t split = std::min(slash, query);
    LoadTarget target;
    target.endpoint = cluster::parseHttpUrl(option, url.substr(0, split));
    target.path = split == std::string::npos ? "/" : url.substr(split);
    if (target.path.front() == '?')
        target.path.insert(0, "/");
    if (target.path.find('#') != std::string::npos)
        throw sim::badOption(option, "'" + url + "': a #fragment is never sent to a server: leave it out");
    for (const unsigned char c : target.path) {
        if (c <= 0x20 || c == 0x7f)
            throw sim::badOption(option, "'" + url + "': a URL holds no spaces or control characters");
    }
    return target;
}

// One connection to the target: plain, or TLS over TCP.
struct Connection
{
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<cluster::TlsStream> secure;

    beast::tcp_stream &lowest() { return secure ? beast::get_lowest_layer(*secure) : *plain; }
    // Calls `f` with the stream requests go over.
    template <class F>
    void on(F &&f)
    {
        if (secure)
            f(*secure);
        else
            f(*plain);
    }
};

struct LoadGenerator::Impl : std::enable_shared_from_this<LoadGenerator::Impl>
{
    struct Exchange;

    LoadTarget target;
    LoadSettings settings;
    std::vector<double> schedule;
    std::vector<RequestRecord> records;
    asio::io_context io;
    std::shared_ptr<asio::ssl::context> tls; // for https
    tcp::resolver::results_type endpoints;
    asio::steady_timer sendTimer {io};
    asio::steady_timer stopTimer {io};
    Clock::time_point start;
    std::size_t next = 0; // the first request not due yet
    int outstanding = 0;
    int maxOutstanding = 0; // settings.maxOutstanding, or fewer when the open-file limit says so
    std::string openFileNote; // why it is fewer
    bool stopped = false;
    std::vector<std::unique_ptr<Connection>> idle; // answered, kept alive
    std::map<std::size_t, std::weak_ptr<Exchange>> active;

    double elapsedS() const { return std::chrono::duration<double>(Clock::now() - start).count(); }
    void resolve();
    void sendDue();
    void send(std::size_t index);
    void finished(std::size_t index);
    void interrupt();
    void pollStop(const std::atomic<bool> &stop);
    bool done() const { return next == schedule.size() && outstanding == 0; }
    std::unique_ptr<Connection> newConnection()
    {
        auto c = std::make_unique<Connection>();
        if (tls) {
            c->secure = std::make_unique<cluster::TlsStream>(io, *tls);
            cluster::prepareTlsStream(*c->secure, target.endpoint.host, !target.tls.insecureSkipVerify);
        } else {
            c->plain = std::make_unique<beast::tcp_stream>(io);
        }
        return c;
    }
    // What went wrong, for a record: a TLS failure says why the server was not trusted.
    std::string why(const beast::error_code &ec, Connection *c, bool answering) const
    {
        const std::string tlsWhy = cluster::describeTlsFailure(ec, c ? c->secure.get() : nullptr,
                                                                target.endpoint.host);
        return tlsWhy.empty() ? describe(ec, answering) : tlsWhy;
    }
};

// One request: connect (or reuse a kept connection), write, read; then the record.
struct LoadGenerator::Impl::Exchange : std::enable_shared_from_this<Exchange>
{
    Impl &g;
    std::size_t index;
    std::unique_ptr<Connection> stream;
    bool reused = false;
    bool retried = false;
    Clock::time_point deadline;
    Clock::time_point sentAt;
    http::request<http::string_body> request;
    std::optional<http::response_parser<http::string_body>> parser;
    beast::flat_buffer buffer;

    Exchange(Impl &generator, std::size_t i) : g(generator), index(i) { }

    void begin()
    {
        sentAt = Clock::now();
        deadline = sentAt + g.settings.timeout;
        g.records[index].sentS = std::chrono::duration<double>(sentAt - g.start).count();
        request.method(http::string_to_verb(g.target.method));
        request.target(g.target.path);
        request.version(11);
        const std::string &url = g.target.endpoint.url;
        request.set(http::field::host, url.substr(url.find("://") + 3)); // "host:port"
        request.set(http::field::user_agent, "headroom-cli load");
        request.set(http::field::content_type, "application/json");
        if (!g.target.bearerToken.empty())
            request.set(http::field::authorization, "Bearer " + g.target.bearerToken);
        request.body() = g.target.bodyOf ? g.target.bodyOf(index) : g.target.body;
        request.keep_alive(true);
        request.prepare_payload();
        if (!g.idle.empty()) {
            stream = std::move(g.idle.back());
            g.idle.pop_back();
            reused = true;
            return write();
        }
        connect();
    }

    void connect()
    {
        reused = false;
        stream = g.newConnection();
        stream->lowest().expires_at(deadline);
        stream->lowest().async_connect(g.endpoints,
            [self = shared_from_this()](beast::error_code ec, const tcp::endpoint &) {
                if (ec)
                    return self->fail(ec, false);
                if (!self->stream->secure)
                    return self->write();
                self->stream->secure->async_handshake(asio::ssl::stream_base::client,
                    [self](beast::error_code ec2) {
                        if (ec2)
                            return self->fail(ec2, false);
                        self->write();
                    });
            });
    }

    void write()
    {
        stream->lowest().expires_at(deadline);
        stream->on([&](auto &s) {
            http::async_write(s, request, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec)
                    return self->fail(ec, false);
                self->read();
            });
        });
    }

    void read()
    {
        parser.emplace();
        parser->body_limit(kMaxAnswerBytes);
        stream->lowest().expires_at(deadline);
        // The header first: a Content-Length past the limit is refused before the body is
        // read (Boost 1.74's parser let such a body through in one piece).
        stream->on([&](auto &s) {
            http::async_read_header(s, buffer, *parser,
                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                    if (ec)
                        return self->fail(ec, n == 0);
                    const auto length = self->parser->content_length();
                    if (length && *length > kMaxAnswerBytes)
                        return self->fail(http::error::body_limit, false);
                    self->readBody();
                });
        });
    }

    void readBody()
    {
        stream->on([&](auto &s) {
            http::async_read(s, buffer, *parser, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec)
                    return self->fail(ec, false);
                self->answered();
            });
        });
    }

    void answered()
    {
        RequestRecord &r = g.records[index];
        if (!r.error.empty())
            return; // interrupted meanwhile
        const auto &response = parser->get();
        r.status = static_cast<int>(response.result_int());
        r.latencyMs = std::chrono::duration<double, std::milli>(Clock::now() - sentAt).count();
        r.serverLatencyMs = serverLatency(response.body());
        if (response.keep_alive() && !g.stopped) {
            stream->lowest().expires_never();
            g.idle.push_back(std::move(stream));
        }
        g.finished(index);
    }

    void fail(const beast::error_code &ec, bool nothingRead)
    {
        RequestRecord &r = g.records[index];
        if (!r.error.empty() || g.stopped)
            return; // interrupted meanwhile: recorded so already
        // A kept connection the server closed while idle: once more on a new one.
        const bool stale = ec == http::error::end_of_stream || ec == asio::error::eof
            || ec == asio::error::connection_reset || ec == asio::error::broken_pipe;
        if (reused && !retried && stale && nothingRead) {
            retried = true;
            buffer.clear();
            return connect();
        }
        beast::error_code cause = ec;
        if (ec == asio::error::operation_aborted) {
            // Not stopped, so not cancelled: asio says so of a socket it could not open. Opening
            // one says why (too many open files).
            tcp::socket probe(g.io);
            beast::error_code why;
            probe.open(g.endpoints.empty() ? tcp::v4() : g.endpoints.begin()->endpoint().protocol(), why);
            if (why)
                cause = why;
        }
        r.error = g.why(cause, stream.get(), nothingRead);
        qCDebug(lcLoad) << "request" << index << "failed:" << r.error.c_str();
        g.finished(index);
    }

    void cancel()
    {
        if (!stream)
            return;
        beast::error_code ignored;
        stream->lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
        stream->lowest().close();
    }
};

void LoadGenerator::Impl::resolve()
{
    tcp::resolver resolver(io);
    beast::error_code ec;
    endpoints = resolver.resolve(target.endpoint.host, target.endpoint.port, ec);
    if (ec) {
        throw cluster::UnreachableError("cannot resolve the host of " + target.endpoint.url + ": "
            + ec.message(), false);
    }
}

void LoadGenerator::Impl::sendDue()
{
    if (stopped)
        return;
    const double now = elapsedS();
    while (next < schedule.size() && schedule[next] <= now)
        send(next++);
    if (next < schedule.size()) {
        sendTimer.expires_at(start + std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(schedule[next])));
        sendTimer.async_wait([this](beast::error_code ec) {
            if (!ec)
                sendDue();
        });
    } else if (done()) {
        io.stop();
    }
}

void LoadGenerator::Impl::send(std::size_t index)
{
    RequestRecord &r = records[index];
    r.scheduledS = schedule[index];
    if (outstanding >= maxOutstanding) {
        r.error = "not sent: " + std::to_string(outstanding) + " requests outstanding ("
            + (maxOutstanding < settings.maxOutstanding ? "the open-file limit, ulimit -n" : "--max-outstanding") + ")";
        return;
    }
    ++outstanding;
    auto exchange = std::make_shared<Exchange>(*this, index);
    active[index] = exchange;
    exchange->begin();
}

void LoadGenerator::Impl::finished(std::size_t index)
{
    --outstanding;
    active.erase(index);
    if (done())
        io.stop();
}

void LoadGenerator::Impl::interrupt()
{
    stopped = true;
    sendTimer.cancel();
    for (const auto &[index, weak] : active) {
        if (records[index].error.empty() && !records[index].answered())
            records[index].error = "interrupted before the answer";
        if (const auto exchange = weak.lock())
            exchange->cancel();
    }
    active.clear();
    outstanding = 0;
    io.stop();
}

void LoadGenerator::Impl::pollStop(const std::atomic<bool> &stop)
{
    if (stop)
        return interrupt();
    stopTimer.expires_after(kStopPoll);
    stopTimer.async_wait([this, &stop](beast::error_code ec) {
        if (!ec)
            pollStop(stop);
    });
}

LoadGenerator::LoadGenerator(LoadTarget target, LoadSettings settings, std::vector<double> scheduleS)
    : m_impl(std::make_shared<Impl>())
{
    m_impl->target = std::move(target);
    if (m_impl->target.endpoint.https)
        m_impl->tls = cluster::makeTlsContext(m_impl->target.tls);
    m_impl->settings = settings;
    rlim_t limit = 0;
    m_impl->maxOutstanding = static_cast<int>(connectionRoom(settings.maxOutstanding, limit));
    if (m_impl->maxOutstanding < settings.maxOutstanding) {
        m_impl->openFileNote = "at most " + std::to_string(m_impl->maxOutstanding)
            + " requests outstanding, not " + std::to_string(settings.maxOutstanding)
            + " (--max-outstanding): the open-file limit (ulimit -n) is " + std::to_string(limit)
            + " and each request holds a connection";
    }
    m_impl->schedule = std::move(scheduleS);
    m_impl->records.resize(m_impl->schedule.size());
    for (std::size_t i = 0; i < m_impl->schedule.size(); ++i)
        m_impl->records[i].scheduledS = m_impl->schedule[i];
}

LoadGenerator::~LoadGenerator()
{
    // Handlers hold the exchanges, the exchanges hold the streams: all go with the io_context.
    Impl &g = *m_impl;
    g.active.clear();
    g.idle.clear();
}

void LoadGenerator::checkReachable()
{
    Impl &g = *m_impl;
    g.resolve();
    const std::unique_ptr<Connection> probe = g.newConnection();
    beast::error_code result = asio::error::would_block;
    const auto patience = std::min(g.settings.timeout, std::chrono::milliseconds(5000));
    probe->lowest().expires_after(patience);
    probe->lowest().async_connect(g.endpoints, [&](beast::error_code ec, const tcp::endpoint &) {
        if (ec || !probe->secure)
            return void(result = ec);
        // https: a certificate the client does not trust fails here, once, not on every request.
        probe->secure->async_handshake(asio::ssl::stream_base::client, [&](beast::error_code ec2) { result = ec2; });
    });
    g.io.run();
    g.io.restart();
    if (result) {
        const bool tlsFailure = cluster::isTlsFailure(result);
        // The check waits at most 5 s, not --timeout: say how long it did.
        std::ostringstream waited;
        waited << std::chrono::duration<double>(patience).count() << " s";
        const std::string why = result == beast::error::timeout
            ? (probe->secure ? "no connection and TLS handshake within " : "no connection within ") + waited.str()
            : g.why(result, probe.get(), false);
        throw cluster::UnreachableError("cannot connect to " + g.target.endpoint.url + g.target.path + ": " + why,
            !tlsFailure);
    }
    beast::error_code ignored;
    probe->lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    probe->lowest().close();
}

void LoadGenerator::run(const std::atomic<bool> &stop)
{
    Impl &g = *m_impl;
    if (g.endpoints.empty())
        g.resolve();
    g.start = Clock::now();
    if (g.schedule.empty())
        return;
    g.pollStop(stop);
    g.sendDue();
    if (!g.stopped && !g.done())
        g.io.run();
    g.stopTimer.cancel();
    g.sendTimer.cancel();
    qCDebug(lcLoad) << "load run ended:" << g.next << "of" << g.schedule.size() << "requests due"
                   << (g.stopped ? "(interrupted)" : "");
}

std::vector<RequestRecord> LoadGenerator::records() const
{
    const Impl &g = *m_impl;
    return {g.records.begin(), g.records.begin() + static_cast<long>(g.next)};
}

bool LoadGenerator::interrupted() const
{
    return m_impl->stopped;
}

std::string LoadGenerator::openFileNote() const
{
    return m_impl->openFileNote;
}

std::string LoadGenerator::url() const
{
    return m_impl->target.endpoint.url + m_impl->target.path;
}

void writeRecordsCsv(const std::vector<RequestRecord> &records, const std::string &path)
{
    std::ofstream out(path, std::ios::trunc);
    if (!out)
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    const auto number = [&](double value, int decimals) {
        if (!std::isnan(value))
            out << std::fixed << std::setprecision(decimals) << value;
    };
    out << kRecordsCsvHeader << "\n";
    for (const RequestRecord &r : records) {
        number(r.scheduledS, 6);
        out << ",";
        number(r.sentS, 6);
        out << ",";
        if (r.answered())
            out << r.status;
        out << ",";
        number(r.latencyMs, 3);
        out << ",";
        number(r.serverLatencyMs, 3);
        out << ",";
        if (!r.error.empty()) {
            std::string quoted = r.error;
            for (std::size_t i = 0; (i = quoted.find('"', i)) != std::string::npos; i += 2)
                quoted.insert(i, "\"");
            out << '"' << quoted << '"';
        }
        out << "\n";
    }
    out.flush();
    if (!out)
        throw std::runtime_error("cannot write " + path);
}

} // namespace headroom::load
