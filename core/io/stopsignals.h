#pragma once

#include <atomic>

namespace headroom::io {

// Ctrl+C and TERM in two steps, for a command that writes the files of what it has done when
// stopped: the first signal is only recorded (received() returns it from then on) and
// `message` is said on stderr; the same again quits at once, with the signal's default
// action, without the files not yet written. Held for the object's lifetime, one at a time;
// the default actions come back after it.
class StopSignals
{
public:
    // `message`: a string literal (it is written from the signal handler as it is).
    explicit StopSignals(const char *message);
    ~StopSignals();
    StopSignals(const StopSignals &) = delete;
    StopSignals &operator=(const StopSignals &) = delete;

    // The first signal received (SIGINT or SIGTERM), 0 while none; readable from any thread.
    static const std::atomic<int> &received();
};

// "SIGINT", "SIGTERM", or "a signal".
const char *signalName(int signal);

} // namespace headroom::io
