#pragma once

// The dashboard binary run as a process, as a user runs it, for the command-line tests.
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

namespace headroom::testing {

struct DashboardRun
{
    bool finished = false;
    int exitCode = -1;
    QString out;
    QString err;
};

inline QString dashboardBinary()
{
    return qEnvironmentVariable("HEADROOM_BINARY_DIR") + QStringLiteral("/app/headroom/headroom");
}

// `display`: true gives it the offscreen platform; false runs it as on a machine with no
// display at all (no QT_QPA_PLATFORM, DISPLAY or WAYLAND_DISPLAY). A run longer than
// `timeoutMs` is killed and reported unfinished.
inline DashboardRun runDashboard(const QStringList &args, bool display, int timeoutMs)
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    if (display) {
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    } else {
        for (const char *name : {"QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"})
            env.remove(QLatin1String(name));
    }
    process.setProcessEnvironment(env);
    process.start(dashboardBinary(), args);
    DashboardRun run;
    run.finished = process.waitForFinished(timeoutMs);
    if (!run.finished) {
        process.kill();
        process.waitForFinished();
    }
    run.exitCode = process.exitCode();
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace headroom::testing
