#include "io/writelock.h"

#include <QLockFile>
#include <QString>

#include <filesystem>

namespace headroom::io {

WriteLock::WriteLock(const std::string &lockPath)
    : m_lock(std::make_unique<QLockFile>(QString::fromStdString(lockPath)))
{
    m_lock->setStaleLockTime(0); // only a dead holder's lock is stale, however long it writes
}

WriteLock::~WriteLock() = default;

bool WriteLock::tryLock()
{
    return m_lock->tryLock(0);
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
