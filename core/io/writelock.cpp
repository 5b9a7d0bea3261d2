#include "io/writelock.h"

#include <QLockFile>
#include <QString>
#include <QSysInfo>

#include <cerrno>
#include <csignal>

#include <filesystem>

namespace headroom::io {

WriteLock::WriteLock(const std::string &lockPath)
    : m_lock(std::make_unique<QLockFile>(QString::fromStdString(lockPath)))
{
    m_lock->setStaleLockTime(0); // only a dead holder's lock is stale, however long it writes
}

WriteLock::~WriteLock() = default;

namespace {

// The machine a lock file was written on, empty when there is none or it names none.
QString lockHost(const QLockFile &lock)
{
    qint64 pid = 0;
    QString host, app;
    return lock.getLockInfo(&pid, &host, &app) ? host : QString();
}

// Whether a lock file was written on another machine (a shared volume): its holder cannot be
// checked from here, and QLockFile, told that only a dead holder's lock is stale, would keep
// it for ever.
bool fromAnotherHost(const QLockFile &lock)
{
    const QString host = lockHost(lock);
    return !host.isEmpty() && host != QSysInfo::machineHostName();
}

// Whether the process a lock names still runs it: alive, and (where /proc tells) the program
// that wrote the lock, as QLockFile judges its own. A pid reused after the holder died (a
// reboot, a long time) is another program's: merge had refused the folder for as long as
// that program lived, while sweep and run took it over.
bool holderRuns(qint64 pid, const QString &app)
{
    if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM)
        return false;
    std::error_code ec;
    const std::filesystem::path exe
        = std::filesystem::read_symlink("/proc/" + std::to_string(pid) + "/exe", ec);
    return ec || app.isEmpty() || QString::fromStdString(exe.filename().string()) == app;
}

} // namespace

bool WriteLock::tryLock()
{
    if (m_lock->tryLock(0))
        return true;
    // A lock file that names no holder (empty: its writer died, or the disk filled, between
    // making it and writing it) is no one's: QLockFile would keep it for ever, and every run,
    // sweep and train of it was told to wait for a writer there was not.
    qint64 pid = 0;
    QString host, app;
    if (m_lock->error() == QLockFile::LockFailedError && !m_lock->getLockInfo(&pid, &host, &app)
        && m_lock->removeStaleLockFile())
        return m_lock->tryLock(0);
    // A Job pod killed while it wrote (evicted, its node gone) leaves its lock in its index-K
    // folder on the volume, and the pod retried in its place has another host name: it takes
    // the folder over, as a run takes over a dead process's lock, or the retry would be
    // refused each time. So two machines writing one folder of a shared volume at once are not
    // told apart: a limit, where a retried pod that can never run again would be a failed Job.
    if (m_lock->error() == QLockFile::LockFailedError && fromAnotherHost(*m_lock)
        && m_lock->removeStaleLockFile())
        return m_lock->tryLock(0);
    return false;
}

bool WriteLock::isHeld(const std::string &lockPath)
{
    return holderOf(lockPath).has_value();
}

std::optional<std::string> WriteLock::holderOf(const std::string &lockPath)
{
    const QLockFile lock(QString::fromStdString(lockPath));
    qint64 pid = 0;
    QString host, app;
    if (!lock.getLockInfo(&pid, &host, &app) || pid <= 0)
        return std::nullopt;
    if (!host.isEmpty() && host != QSysInfo::machineHostName())
        return std::nullopt; // taken over by tryLock(), above
    if (!holderRuns(pid, app))
        return std::nullopt;
    return " (process " + std::to_string(pid) + ")";
}

bool WriteLock::heldByAnother() const
{
    return m_lock->error() == QLockFile::LockFailedError;
}

std::string WriteLock::holder() const
{
    qint64 pid = 0;
    QString host, app;
    m_lock->getLockInfo(&pid, &host, &app);
    return pid > 0 ? " (process " + std::to_string(pid) + ")" : std::string();
}

std::string trainLockPath(const std::string &modelPath)
{
    const std::filesystem::path path(modelPath);
    std::string name = path.filename().string();
    name.insert(name.begin(), '.');
    name += ".headroom-train.lock";
    return (path.parent_path() / name).string();
}

} // namespace headroom::io
