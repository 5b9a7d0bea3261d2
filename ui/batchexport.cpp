#include "batchexport.h"

#include "logging.h"

#include <QDir>
#include <QEventLoop>
#include <QTimer>

#include <algorithm>
#include <limits>

namespace headroom::ui {

namespace {

// The run's time at its last sample (0 before any).
double lastSampleS(const ComparisonData &data)
{
    double t = 0.0;
    for (const ComparisonData::Lane &lane : data.lanes) {
        if (!lane.samples.empty())
            t = std::max(t, lane.samples.back().tS);
    }
    return t;
}

} // namespace

bool runBatchExport(const SimulationSource &source, const QString &dir,
    const std::vector<ExportFormat> &formats, QStringList *written, QString *error,
    const ComparisonLook &look, const std::atomic<int> *stop, double *stoppedAtS)
{
    if (stoppedAtS)
        *stoppedAtS = std::numeric_limits<double>::quiet_NaN();
    // The worker the dashboard runs on its own thread, here on this one: same run, same data.
    SimulationWorker worker;
    ComparisonData data;
    QString failure;
    bool finished = false;
    QEventLoop loop;
    QObject::connect(&worker, &SimulationWorker::loaded, &loop,
        [&](const ComparisonData &skeleton) { data = skeleton; });
    QObject::connect(
        &worker, &SimulationWorker::snapshotReady, &loop, [&](const SimulationSnapshot &snapshot) {
            appendSnapshot(data, snapshot);
            finished = snapshot.finished;
            if (finished)
                loop.quit();
        });
    const auto fail = [&](const QString &message) {
        failure = message;
        loop.quit();
    };
    QObject::connect(&worker, &SimulationWorker::loadFailed, &loop, fail);
    QObject::connect(&worker, &SimulationWorker::runFailed, &loop,
        [&](const QString &message) { fail(QStringLiteral("run stopped: ") + message); });

    // The samples stay in the experiment until the end, taken from it then: not copied
    // snapshot by snapshot into a second month of them.
    worker.setSamplesHeldBack(true);
    worker.load(source); // answers at once, with loaded or loadFailed
    if (!failure.isEmpty()) {
        if (error)
            *error = failure;
        return false;
    }
    // A signal is looked for between readings and simulated steps: the run stops there, and
    // what it recorded is written (a live cluster followed for an hour is not lost to Ctrl+C).
    bool stopped = false;
    QTimer watch;
    if (stop) {
        QObject::connect(&watch, &QTimer::timeout, &loop, [&] {
            if (!stop->load() || finished)
                return;
            stopped = true;
            worker.pause();
            loop.quit();
        });
        watch.start(100);
    }
    worker.setSpeed(0.0);
    worker.start();
    if (!finished && failure.isEmpty() && !(stop && stop->load()))
        loop.exec();
    watch.stop();
    if (source.kind != SimulationSource::Kind::Cluster) {
        std::vector<std::vector<metrics::LaneSample>> samples = worker.takeSamples();
        for (std::size_t i = 0; i < std::min(samples.size(), data.lanes.size()); ++i)
            data.lanes[i].samples = std::move(samples[i]);
    }
    if (!finished && stop && stop->load() && failure.isEmpty())
        stopped = true;
    if (stopped && stoppedAtS)
        *stoppedAtS = lastSampleS(data);
    data.state = finished ? RunState::Finished : failure.isEmpty() ? RunState::Paused : RunState::Stopped;
    if (!finished) {
        // A live cluster that stopped answering: the seconds after its last reading are no
        // data by the lane's clock, not the cluster's (at 20x, 200 s of them after a served
        // run had ended); the files hold the seconds read.
        if (source.kind == SimulationSource::Kind::Cluster && !failure.isEmpty()) {
            for (ComparisonData::Lane &lane : data.lanes) {
                while (!lane.samples.empty() && lane.samples.back().noData)
                    lane.samples.pop_back();
            }
        }
        // The whole-run axis of a run stopped early ends where it stopped, not at the hour
        // a live cluster was to be followed for.
        data.durationS = std::max(lastSampleS(data), 1.0);
    }
    qCInfo(lcUi) << "batch run of" << source.describe() << (finished ? "finished" : "stopped");

    // Whatever the run recorded is written, even after a failure.
    QString problem;
    const bool wroteAll = writeBatchExport(std::move(data), dir, formats, written, &problem, look);
    if (!wroteAll)
        failure = failure.isEmpty() ? problem : failure + QStringLiteral("; ") + problem;
    if (error)
        *error = failure;
    return failure.isEmpty();
}

bool writeBatchExport(ComparisonData data, const QString &dir,
    const std::vector<ExportFormat> &formats, QStringList *written, QString *error,
    const ComparisonLook &look)
{
    if (look.notes)
        data.notes = *look.notes;
    data.hiddenSeries = look.hiddenSeries;
    data.lockY = look.lockY;
    data.fixedY = look.fixedY;
    QString failure;
    for (const ExportFormat format : formats) {
        const QString path = QDir(dir).filePath(batchFileName(format));
        // Checked before the run, and again now: a live cluster is followed for an hour, and
        // a file the user put there meanwhile was replaced.
        if (holdsOthersFile(format, path)) {
            const QString problem = path + QStringLiteral(" appeared during the run and no export wrote it: not replaced");
            failure = failure.isEmpty() ? problem : failure + QStringLiteral("; ") + problem;
            continue;
        }
        QString problem;
        ExportRequest request;
        request.format = format;
        if (!exportComparison(data, path, request, std::nullopt, &problem)) {
            failure = failure.isEmpty() ? problem : failure + QStringLiteral("; ") + problem;
            continue;
        }
        if (written)
            written->append(path);
    }
    if (error)
        *error = failure;
    return failure.isEmpty();
}

} // namespace headroom::ui
