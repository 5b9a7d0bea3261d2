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

#include <csignal>
#include <sstream>

namespace headroom::test {

namespace beast = boost::beast;
namespace http = beast::http;

struct Reply
{
    int status = 0;
    std::string body;
};

inline Reply request(int port, http::verb verb, const std::string &target, const std::string &body = {},
              const std::string &contentType = "application/json")
{
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve("127.0.0.1", std::to_string(port)));
    http::request<http::string_body> req {verb, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.set(http::field::content_type, contentType);
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    beast::error_code ec;
    stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    return {static_cast<int>(res.result_int()), res.body()};
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
