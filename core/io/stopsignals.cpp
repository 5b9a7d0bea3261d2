#include "stopsignals.h"

#include <csignal>
#include <cstring>

#include <unistd.h>

namespace headroom::io {

namespace {

std::atomic<int> g_received {0};
const char *g_message = "";
std::size_t g_messageLength = 0;

extern "C" void onStopSignal(int signal)
{
    int none = 0;
    if (!g_received.compare_exchange_strong(none, signal)) {
        std::signal(signal, SIG_DFL);
        std::raise(signal);
        return;
    }
    [[maybe_unused]] const auto n = ::write(STDERR_FILENO, g_message, g_messageLength);
}

} // namespace

StopSignals::StopSignals(const char *message)
{
    g_message = message;
    g_messageLength = std::strlen(message);
    g_received = 0;
    std::signal(SIGINT, onStopSignal);
    std::signal(SIGTERM, onStopSignal);
}

StopSignals::~StopSignals()
{
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
}

const std::atomic<int> &StopSignals::received()
{
    return g_received;
}

const char *signalName(int signal)
{
    return signal == SIGINT ? "SIGINT" : signal == SIGTERM ? "SIGTERM" : "a signal";
}

} // namespace headroom::io
