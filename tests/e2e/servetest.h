#pragma once

// A running `headroom-cli serve` and a Boost.Beast client for the end-to-end suites.
#include "clirun.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <functional>
#include <thread>
#include <sstream>

namespace headroom::test {

namespace beast = boost::beast;
namespace http = beast::http;

struct Reply
{
    int status = 0;
    std::string body;
    std::string allow; // the Allow header, a 405's
};

inline Reply request(int port, http::verb verb, const std::string &target, const std::string &body = {},
              const std::string &contentType = "application/json",
              const std::vector<std::pair<std::string, std::string>> &headers = {})
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
    http::request<http::string_body> req {verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, contentType);
    for (const auto &[name, value] : headers)
        req.set(name, value);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ec;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    return {static_cast<int>(res.result_int()), res.body(), std::string(res[http::field::allow])};
}

// One metric's value in an exposition, by the start of its line.
inline double metric(const std::string &text, const std::string &start)
{
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind(start, 0) == 0)
            return std::stod(line.substr(line.rfind(' ') + 1));
    }
    return -1.0;
}

// A running `headroom-cli serve`, its port read from its first line.
struct Server
{
    QProcess process;
    int port = 0;
    QByteArray firstLine;

    bool start(const QStringList &args)
    {
        process.start(cliPath(), QStringList {"serve", "--port", "0"} + args);
        if (!process.waitForStarted(10000) || !process.waitForReadyRead(20000))
            return false;
        firstLine = process.readLine();
        const auto match = QRegularExpression(QStringLiteral("https?://127\\.0\\.0\\.1:(\\d+)"))
                               .match(QString::fromUtf8(firstLine));
        port = match.hasMatch() ? match.captured(1).toInt() : 0;
        return port > 0;
    }
    ~Server()
    {
        if (process.state() != QProcess::NotRunning) {
            process.kill();
            process.waitForFinished(5000);
        }
    }
};

} // namespace headroom::test

namespace headroom::test {

// A stand-in for a cluster's API that misbehaves on purpose, on a free loopback port: each
// request's answer comes from `answer(target)` (status, body), of `contentType`; with `hang`
// set it accepts connections and never answers.
class MockApi
{
public:
    using Answer = std::function<std::pair<int, std::string>(const std::string &target)>;

    explicit MockApi(Answer answer, bool hang = false, std::string contentType = "application/json")
        : m_answer(std::move(answer)), m_hang(hang), m_contentType(std::move(contentType)), m_acceptor(m_io, {boost::asio::ip::make_address("127.0.0.1"), 0})
    {
        m_thread = std::thread([this] { serve(); });
    }
    ~MockApi()
    {
        m_stop = true;
        boost::beast::error_code ec;
        {
            // A connection of our own wakes the accepting thread, which then sees m_stop.
            boost::asio::io_context io;
            boost::asio::ip::tcp::socket wake(io);
            wake.connect({boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(port())}, ec);
        }
        if (m_thread.joinable())
            m_thread.join();
        m_acceptor.close(ec);
        for (const auto &socket : m_sockets) {
            socket->shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
            socket->close(ec);
        }
        for (std::thread &t : m_workers)
            t.join();
    }
    int port() const { return m_acceptor.local_endpoint().port(); }
    QString url() const { return QStringLiteral("http://127.0.0.1:%1").arg(port()); }

private:
    void serve()
    {
        while (!m_stop) {
            auto socket = std::make_shared<boost::asio::ip::tcp::socket>(m_io);
            boost::beast::error_code ec;
            m_acceptor.accept(*socket, ec);
            if (ec || m_stop)
                break;
            m_sockets.push_back(socket);
            if (m_hang)
                continue; // held open, never answered
            // A thread per connection: the client keeps two open at once (API and metrics).
            m_workers.emplace_back([this, socket] {
                boost::beast::flat_buffer buffer;
                boost::beast::error_code rec;
                for (;;) {
                    http::request<http::string_body> req;
                    http::read(*socket, buffer, req, rec);
                    if (rec)
                        return;
                    const auto [status, body] = m_answer(std::string(req.target()));
                    http::response<http::string_body> res {static_cast<http::status>(status), 11};
                    res.set(http::field::content_type, m_contentType);
                    res.body() = body;
                    res.keep_alive(req.keep_alive());
                    res.prepare_payload();
                    http::write(*socket, res, rec);
                    if (rec || !req.keep_alive())
                        return;
                }
            });
        }
    }

    Answer m_answer;
    bool m_hang;
    std::string m_contentType;
    boost::asio::io_context m_io;
    boost::asio::ip::tcp::acceptor m_acceptor;
    std::atomic<bool> m_stop {false};
    std::vector<std::shared_ptr<boost::asio::ip::tcp::socket>> m_sockets;
    std::vector<std::thread> m_workers;
    std::thread m_thread;
};

// A well-formed answer for each path control reads; `tweak` changes one of them.
// What a router publishes besides its requests and its clock, at rest: the series control
// needs every second (a reading without one is refused).
inline std::string idleRouterLines()
{
    const std::string l = R"({namespace="default",deployment="inference"})";
    return "headroom_requests_completed_total" + l + " 10\nheadroom_requests_dropped_total" + l + " 0\n"
        + "headroom_slo_violations_total" + l + " 0\nheadroom_in_flight" + l + " 1\nheadroom_queue_length" + l + " 0\n";
}

inline std::pair<int, std::string> healthyAnswer(const std::string &target, double clockS = 5.0)
{
    if (target.rfind("/apis/apps/v1/namespaces/default/deployments/inference", 0) == 0)
        return {200, R"({"spec":{"replicas":2,"selector":{"matchLabels":{"app":"inference"}}}})"};
    if (target.rfind("/api/v1/namespaces/default/pods", 0) == 0)
        return {200, R"({"items":[{"metadata":{"name":"inference-00001","creationTimestamp":"2026-12-05T00:00:00Z"},)"
                     R"("status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}]})"};
    if (target == "/metrics") {
        const std::string l = R"({namespace="default",deployment="inference"})";
        return {200, "headroom_requests_total" + l + " 10\n" + idleRouterLines() + "headroom_simulated_time_seconds" + l
                + " " + std::to_string(clockS) + "\n"};
    }
    return {404, "{}"};
}

} // namespace headroom::test
