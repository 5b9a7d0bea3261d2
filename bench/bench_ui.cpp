// The live dashboard's frame time at maximum speed with 4 lanes (predictive, hpa, kpa,
// clairvoyant) and an hour of simulated data on record (issue 5). Printed, never asserted.
//
// A SimulationWorker runs the experiment flat out on its own thread, exactly as the dashboard
// runs it. The run is first taken to kWarmUpS (one hour) without drawing. Then every frame
// takes the snapshots of the next kStepS simulated seconds and does what the dashboard does
// with them: appends them to the history and the events list (MainWindow::onSnapshot), moves
// the shared time axis and redraws every lane (MainWindow::redraw: LinkedTimeAxis::setExtent,
// ComparisonView::showData), delivers the posted events (layout requests), then paints the
// whole view, charts, table and events list, into an image (what the screen's paint would
// do). A frame's time is all of that; the wait for the next snapshot is not in it. The worker
// simulates the next step on its own thread while a frame is drawn, as in the dashboard.
//
// Build with -DHEADROOM_BUILD_BENCH=ON; run
//   QT_QPA_PLATFORM=offscreen build/bench/bench_ui
// (bench/README.md has the numbers).
#include "comparisonview.h"
#include "eventmodel.h"
#include "eventspanel.h"
#include "lanecolumn.h"
#include "linkedtimeaxis.h"
#include "simulationworker.h"
#include "summarymodel.h"

#include <benchmark/benchmark.h>

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <numeric>

using namespace headroom;

namespace {

// The hour on screen when measuring starts.
constexpr double kWarmUpS = 3600.0;
// Frames measured per case.
constexpr int kFrames = 200;
// Simulated seconds each frame brings. At Max the worker simulates these 4 lanes far faster
// than a frame is drawn (an hour in about a tenth of a second here), so a live run at Max
// would leave the one-hour mark within a frame or two; to keep about an hour on screen over
// many frames, each frame brings kStepS, simulated flat out on the worker's thread while the
// previous frame is drawn. The frame's cost hardly depends on the step: every chart is
// decimated to about a point per pixel, and the new samples are a few per lane.
constexpr double kStepS = 5.0;
// The view's size: the dashboard's central widget in its default 1600x1000 window.
constexpr int kViewWidth = 1600;
constexpr int kViewHeight = 900;

// Three hours of a daily-style cycle with a spike every 15 minutes, so every lane scales
// up and down all the time (scale events, markers, KPA panics, forecast bands).
QString writeScenario(const QTemporaryDir &dir)
{
    const QString path = dir.filePath(QStringLiteral("bench-hour.json"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return {};
    QByteArray json = R"({
    "name": "bench-hour",
    "description": "Three hours: 5 to 25 req/s in 10-minute cycles, a 60 s spike every 15 minutes.",
    "duration_s": 10800,
    "seed": 1,
    "preset": "default",
    "cluster": {"pod_pending_s": 1, "pod_starting_s": 4},
    "segments": [
        {"type": "periodic", "start_s": 0, "end_s": 10800, "mean": 15, "amplitude": 10,
         "period_s": 600, "phase_s": 0})";
    for (int t = 450; t + 60 < 10800; t += 900)
        json += QStringLiteral(R"(,
        {"type": "spike", "start_s": %1, "end_s": %2, "rate": 40, "ramp_s": 5})")
                    .arg(t)
                    .arg(t + 60)
                    .toUtf8();
    json += "\n    ]\n}\n";
    file.write(json);
    return path;
}

double percentile(std::vector<double> sorted, double p)
{
    if (sorted.empty())
        return 0.0;
    std::sort(sorted.begin(), sorted.end());
    // Nearest rank.
    const auto rank = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted[std::clamp<std::size_t>(rank, 1, sorted.size()) - 1];
}

// One live run, shared by the cases in the order they run: the worker on its thread, the
// history the dashboard keeps, and the view it draws.
class LiveRun : public QObject
{
public:
    LiveRun()
    {
        ui::SimulationWorker::registerMetaTypes();
        m_worker = new ui::SimulationWorker;
        m_worker->moveToThread(&m_thread);
        connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
        connect(m_worker, &ui::SimulationWorker::loaded, this,
            [this](const ui::ComparisonData &skeleton, const QString &) {
                m_history = skeleton;
                m_loaded = true;
            });
        connect(m_worker, &ui::SimulationWorker::loadFailed, this, [this](const QString &m) {
            m_error = m;
            m_loaded = true;
        });
        connect(m_worker, &ui::SimulationWorker::runFailed, this,
            [this](const QString &m) { m_error = m; });
        connect(m_worker, &ui::SimulationWorker::snapshotReady, this,
            [this](const ui::SimulationSnapshot &s) { m_pending.push_back(s); });
        connect(m_worker, &ui::SimulationWorker::runningChanged, this,
            [this](bool running) { m_running = running; });
        m_thread.start();

        m_events = new ui::EventModel(this);
        m_view = std::make_unique<ui::ComparisonView>();
        m_view->setTableCompanion(new ui::EventsPanel(m_events));
        m_axis = new ui::LinkedTimeAxis(this);
        m_view->setTimeAxis(m_axis);
        m_view->resize(kViewWidth, kViewHeight);
        m_view->show();
    }

    ~LiveRun() override
    {
        m_thread.quit();
        m_thread.wait();
    }

    // Loads the run and takes it to kWarmUpS, keeping every snapshot, drawing nothing.
    bool warmUp()
    {
        const QString path = writeScenario(m_dir);
        if (path.isEmpty()) {
            m_error = QStringLiteral("cannot write the scenario into ") + m_dir.path();
            return false;
        }
        ui::SimulationSource source;
        source.scenario = path;
        source.controllers = {QStringLiteral("predictive"), QStringLiteral("hpa"),
            QStringLiteral("kpa"), QStringLiteral("clairvoyant")};
        QMetaObject::invokeMethod(m_worker, [w = m_worker] { w->setSpeed(0.0); });
        QMetaObject::invokeMethod(m_worker, [w = m_worker, source] { w->load(source); });
        while (!m_loaded)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        if (!m_error.isEmpty())
            return false;
        QElapsedTimer clock;
        clock.start();
        runUntil(kWarmUpS);
        while (m_history.lanes.empty() || m_nowS < kWarmUpS) {
            if (!m_error.isEmpty())
                return false;
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
            applyPending();
        }
        std::printf("bench_ui: simulated %.0f s of 4 lanes in %.1f s (not drawn)\n", m_nowS,
            clock.elapsed() / 1000.0);
        std::fflush(stdout);
        return true;
    }

    void setWindow(double windowS) { m_axis->setWindow(windowS); }
    // As MainWindow at Max: aliased charts; off, the antialiased picture of a slower run.
    void setFastRendering(bool fast) { m_view->setFastRendering(fast); }

    // The worker runs flat out (speed Max) up to `tS` and pauses there, on its thread.
    void runTo(double tS)
    {
        runUntil(tS);
        m_targetS = tS;
    }

    // Waits (untimed) until the snapshots up to the last runTo() target are in; false when
    // the run failed or ended first.
    bool waitForTarget()
    {
        for (;;) {
            if (!m_error.isEmpty())
                return false;
            if (!m_pending.empty()) {
                const ui::SimulationSnapshot &last = m_pending.back();
                if (last.nowS >= m_targetS)
                    return true;
                if (last.finished)
                    return false;
            }
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents);
        }
    }

    struct FrameTimes
    {
        double updateMs = 0.0; // snapshots applied and charts redrawn (showData)
        double paintMs = 0.0; // layouts and painting
    };

    // One frame, as the dashboard does it after a snapshot.
    FrameTimes frame()
    {
        QElapsedTimer timer;
        timer.start();
        applyPending();
        m_axis->setExtent(m_nowS, ui::forecastLookaheadS(m_history, m_nowS));
        m_view->showData(m_history, m_axis->x0(), m_axis->x1());
        FrameTimes t;
        t.updateMs = timer.nsecsElapsed() / 1e6;
        timer.restart();
        // What the event loop does next: layout requests, then the shown window's repaint of
        // what changed into its backing store (the platform's, offscreen here), as on screen.
        // (Snapshots that arrive meanwhile only queue up for the next frame.)
        QCoreApplication::sendPostedEvents();
        t.paintMs = timer.nsecsElapsed() / 1e6;
        return t;
    }

    double nowS() const { return m_nowS; }
    double targetS() const { return m_targetS; }
    QString error() const { return m_error; }
    int chartRedraws() const { return m_view->chartRedraws(); }
    std::size_t samplesPerLane() const
    {
        return m_history.lanes.empty() ? 0 : m_history.lanes.front().samples.size();
    }
    std::size_t events() const
    {
        std::size_t n = 0;
        for (const auto &lane : m_history.lanes)
            n += lane.events.size();
        return n;
    }
    QImage image() const { return m_view->grab().toImage(); }

private:
    void runUntil(double tS)
    {
        QMetaObject::invokeMethod(m_worker, [w = m_worker, tS] {
            w->setPauseAt(tS);
            w->start();
        });
        m_running = true; // the worker says so too, queued
    }

    // MainWindow::onSnapshot and the state part of MainWindow::updateStatus.
    void applyPending()
    {
        for (const ui::SimulationSnapshot &snapshot : m_pending) {
            const std::size_t lanes = std::min(snapshot.lanes.size(), m_history.lanes.size());
            std::vector<ui::EventModel::Entry> entries;
            for (std::size_t i = 0; i < lanes; ++i) {
                const auto &delta = snapshot.lanes[i];
                auto &lane = m_history.lanes[i];
                lane.samples.insert(lane.samples.end(), delta.samples.begin(), delta.samples.end());
                lane.events.insert(lane.events.end(), delta.events.begin(), delta.events.end());
                lane.summary = delta.summary;
                lane.forecastCurve = delta.forecastCurve;
                const QString name = QString::fromStdString(lane.controller);
                for (const metrics::LaneEvent &event : delta.events)
                    entries.push_back({name, event});
            }
            m_events->append(std::move(entries), static_cast<int>(lanes));
            m_history.spikes = snapshot.spikes;
            m_nowS = snapshot.nowS;
            m_history.state = snapshot.finished ? ui::RunState::Finished : ui::RunState::Running;
            m_view->summaryModel()->setRunState(m_history.state);
        }
        m_pending.clear();
    }

    QTemporaryDir m_dir;
    QThread m_thread;
    ui::SimulationWorker *m_worker = nullptr;
    ui::EventModel *m_events = nullptr;
    std::unique_ptr<ui::ComparisonView> m_view;
    ui::LinkedTimeAxis *m_axis = nullptr;
    ui::ComparisonData m_history;
    std::deque<ui::SimulationSnapshot> m_pending;
    double m_nowS = 0.0;
    double m_targetS = 0.0;
    bool m_loaded = false;
    bool m_running = false;
    QString m_error;
};

LiveRun *g_run = nullptr;
bool g_warm = false;

// One case: the window followed (0: the whole run). Each iteration is one frame.
void BM_LiveFrame(benchmark::State &state)
{
    const double windowS = static_cast<double>(state.range(0));
    const bool aliased = state.range(1) != 0;
    if (!g_warm) {
        if (!g_run->warmUp()) {
            // Nothing else can run either: say why and stop.
            std::fprintf(stderr, "bench_ui: the run failed: %s\n", qPrintable(g_run->error()));
            std::exit(1);
        }
        g_warm = true;
    }
    g_run->setWindow(windowS);
    g_run->setFastRendering(aliased);
    const double fromS = g_run->nowS();
    const int redrawsBefore = g_run->chartRedraws();
    // The first frame of a case (lanes' columns built, a new window) is a one-off: apart.
    double firstMs = 0.0;
    g_run->runTo(fromS + kStepS);
    if (g_run->waitForTarget()) {
        g_run->runTo(g_run->targetS() + kStepS); // simulated while the frame is drawn
        const LiveRun::FrameTimes t = g_run->frame();
        firstMs = t.updateMs + t.paintMs;
    }
    std::vector<double> frames, updates, paints;
    for (auto _ : state) {
        if (!g_run->waitForTarget()) {
            state.SkipWithError("the run ended before the frames were measured");
            break;
        }
        g_run->runTo(g_run->targetS() + kStepS);
        const LiveRun::FrameTimes t = g_run->frame();
        const double ms = t.updateMs + t.paintMs;
        state.SetIterationTime(ms / 1000.0);
        frames.push_back(ms);
        updates.push_back(t.updateMs);
        paints.push_back(t.paintMs);
    }
    g_run->waitForTarget();
    g_run->frame(); // the rest, untimed: the next case starts from a drawn state
    if (frames.empty())
        return;
    const auto mean = [](const std::vector<double> &v) {
        return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    };
    state.counters["mean_ms"] = mean(frames);
    state.counters["median_ms"] = percentile(frames, 0.5);
    state.counters["p99_ms"] = percentile(frames, 0.99);
    state.counters["max_ms"] = *std::max_element(frames.begin(), frames.end());
    state.counters["first_ms"] = firstMs;
    state.counters["update_ms"] = mean(updates);
    state.counters["paint_ms"] = mean(paints);
    state.counters["redrawn"] = g_run->chartRedraws() - redrawsBefore;
    state.counters["from_s"] = fromS;
    state.counters["to_s"] = g_run->nowS();
    state.counters["events"] = static_cast<double>(g_run->events());
    std::printf("bench_ui: window %-9s %-11s %3zu frames, run %.0f s -> %.0f s: mean %.1f ms, median "
                "%.1f ms, p99 %.1f ms, max %.1f ms (update %.1f + paint %.1f; first frame, untimed: %.1f ms)\n",
        windowS > 0 ? qPrintable(QStringLiteral("%1 s").arg(windowS)) : "whole run",
        aliased ? "aliased" : "antialiased", frames.size(), fromS, g_run->nowS(), mean(frames), percentile(frames, 0.5),
        percentile(frames, 0.99), *std::max_element(frames.begin(), frames.end()),
        mean(updates), mean(paints), firstMs);
    std::fflush(stdout);
    const QString shot = qEnvironmentVariable("HEADROOM_BENCH_SCREENSHOTS");
    if (!shot.isEmpty())
        g_run->image().save(
            QStringLiteral("%1/bench_ui_%2%3.png").arg(shot).arg(windowS).arg(aliased ? "_aliased" : ""));
}
BENCHMARK(BM_LiveFrame)
    ->ArgNames({"window_s", "aliased"})
    ->Args({0, 1}) // the whole run, an hour on screen, as the dashboard draws it at Max
    ->Args({0, 0}) // the same, antialiased (the dashboard below Max, and when paused)
    ->Args({300, 1}) // the last 5 minutes of the hour
    ->Args({300, 0})
    ->Iterations(kFrames)
    ->UseManualTime()
    ->Unit(benchmark::kMillisecond);

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    LiveRun run;
    g_run = &run;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    g_run = nullptr;
    return 0;
}
