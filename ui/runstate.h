#pragma once

#include <QString>

namespace headroom::ui {

// Where a run stands, as the status bar and the summary table say it.
enum class RunState { Ready, Running, Paused, Finished };

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
    }
    return {};
}

} // namespace headroom::ui
