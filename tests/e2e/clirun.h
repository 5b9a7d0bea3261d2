#pragma once

// Running headroom-cli as a script would, for the end-to-end suites.
#include <QProcess>
#include <QString>
#include <QStringList>

namespace headroom::test {

inline QString cliPath()
{
    return qEnvironmentVariable("HEADROOM_BINARY_DIR")
        + QStringLiteral("/app/headroom-cli/headroom-cli");
}

inline QString sourcePath(const QString &relative)
{
    return qEnvironmentVariable("HEADROOM_SOURCE_DIR") + QLatin1Char('/') + relative;
}

struct CliRun
{
    int exitCode = -1; // -1: crashed or timed out
    QByteArray out;
    QString err;
};

inline CliRun runCli(const QStringList &args, int timeoutMs = 240000,
    const QString &workingDirectory = {})
{
    QProcess process;
    if (!workingDirectory.isEmpty())
        process.setWorkingDirectory(workingDirectory);
    process.start(cliPath(), args);
    CliRun run;
    if (!process.waitForFinished(timeoutMs))
        return run;
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = process.readAllStandardOutput();
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

} // namespace headroom::test
