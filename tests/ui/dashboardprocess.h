#pragma once

// The dashboard binary run as a process, as a user runs it, for the command-line tests.
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

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
// `timeoutMs` is killed and reported unfinished. Its recorded runs go under `dataHome`
// (XDG_DATA_HOME) when given, else to a temporary folder.
inline DashboardRun runDashboard(
    const QStringList &args, bool display, int timeoutMs, const QString &dataHome = {})
{
    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    // The runs it records and its settings go to a folder of its own, not the user's.
    const QTemporaryDir home;
    env.insert(QStringLiteral("XDG_DATA_HOME"),
        dataHome.isEmpty() ? home.path() + QStringLiteral("/data") : dataHome);
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.path() + QStringLiteral("/config"));
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
