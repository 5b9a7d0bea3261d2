#pragma once

#include <memory>
#include <optional>
#include <string>

class QLockFile;

namespace headroom::io {

// The lock a command holds on what it writes while it writes it: `run` and `sweep` on their
// --out folder (kRunLockFile, runwriter.h, so a run and a sweep exclude each other too), `train`
// on its model (trainLockPath). A second command given the same refuses it rather than mixing
// its files with the first's (new-user trials: two runs, two sweeps and two trains all wrote
// over each other and exited 0). The lock goes with its process: a killed holder's is stale and
// taken over, however long the holder has run, and so is one written on another machine (a
// Kubernetes Job pod's, retried under another host name; see tryLock()).
class WriteLock
{
public:
    explicit WriteLock(const std::string &lockPath);
    ~WriteLock();
    WriteLock(const WriteLock &) = delete;
    WriteLock &operator=(const WriteLock &) = delete;

    // Takes the lock without waiting; false while another live process holds it, or when the
    // lock file cannot be written.
    bool tryLock();
    // After a failed tryLock(): whether another process holds it. False when the lock file
    // could not be written (a read-only folder): no other writer, so the command goes on to
    // the write check that says so, rather than blaming another run.
    bool heldByAnother() const;
    // After a failed tryLock(): " (process N)" naming the holder, or empty when unknown.
    std::string holder() const;
    // Whether a live process of this machine holds the lock at lockPath, found without writing
    // anything there (a merge's inputs are only read).
    static bool isHeld(const std::string &lockPath);
    // The same, with " (process N)" naming the holder when held; nullopt when not.
    static std::optional<std::string> holderOf(const std::string &lockPath);

private:
    std::unique_ptr<QLockFile> m_lock;
};

// The lock train holds on `modelPath` (FILE.pt) from before it checks the file until both the
// model and its metadata are written: a hidden file beside it, per model, so that two trains
// of other models in one folder do not wait for each other.
std::string trainLockPath(const std::string &modelPath);

} // namespace headroom::io
