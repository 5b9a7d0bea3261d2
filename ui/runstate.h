#pragma once

#include <QString>

namespace headroom::ui {

// Where a run stands, as the status bar and the summary table say it.
// Stopped: the run ended on an error before its end (what it recorded is kept; Start tries
// again from there).
enum class RunState { Ready, Running, Paused, Finished, Stopped };

inline QString runStateText(RunState state)
{
    switch (state) {
    case RunState::Ready:
        return QStringLiteral("ready");
    case RunState::Running:
        return QStringLiteral("running");
    case RunState::Paused:
        return QStringLiteral("paused");
    case RunState::Finished:
        return QStringLiteral("finished");
    case RunState::Stopped:
        return QStringLiteral("stopped on error");
    }
    return {};
}

} // namespace headroom::ui
