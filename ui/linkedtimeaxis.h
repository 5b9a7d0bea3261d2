#pragma once

#include <QObject>
#include <QString>
#include <limits>

namespace headroom::ui {

// The one time range every chart of every lane shows. It either follows the run (the last
// N seconds, or the whole run, moving with each new sample) or holds a range the user zoomed
// or panned to, while data keeps arriving. No Qt Charts here: charts report gestures as times
// or fractions of their plot width, and the dashboard draws whatever range() says.
class LinkedTimeAxis : public QObject
{
    Q_OBJECT

public:
    // The window that shows the whole run so far.
    static constexpr double kWholeRun = 0.0;
    // Zooming in stops at this span: a few samples still read as a line.
    static constexpr double kMinSpanS = 5.0;
    // The whole-run view (and the end of the axis early in a run) spans at least this much,
    // or the whole run when it is shorter (setRunLength).
    static constexpr double kMinExtentS = 60.0;

    explicit LinkedTimeAxis(QObject *parent = nullptr);

    // What there is to show: the run up to `nowS`, and `lookaheadS` of room ahead of it for a
    // forecast band. Following views move with it; a held view stays where it is.
    void setExtent(double nowS, double lookaheadS);
    // How long the run lasts, when known: a 30 s run's whole-run view ends at 30 s, not at
    // kMinExtentS with half of every chart empty. Infinity (the default): not known.
    void setRunLength(double seconds);
    // Where the run begins (startOfData()): 0 for a simulated run, a live cluster's first
    // reading. The whole-run view, a window early in the run and a held range start no
    // earlier: the seconds before it were never read.
    void setStart(double startS);
    double startS() const { return m_startS; }
    double nowS() const { return m_nowS; }
    // The end of everything there is to show: now plus the look-ahead, at least kMinExtentS
    // past the start (or the run's length, when shorter).
    double extentEnd() const;

    double x0() const;
    double x1() const;
    bool following() const { return m_following; }
    // The window followed (or returned to by followLive()); kWholeRun for the whole run.
    double windowS() const { return m_windowS; }
    // One line for the status bar: "live, last 5 min" or "held at 300 s - 900 s".
    QString describe() const;

    // Follow the run with the last `windowS` seconds (kWholeRun: all of it).
    void setWindow(double windowS);
    // Follow again, with the window last chosen.
    void followLive();
    // Stop following, keeping the range shown now.
    void hold();
    // Back to the whole run, following.
    void reset();
    // Hold [t0, t1] (ordered, kept within the extent, at least kMinSpanS).
    void zoomTo(double t0, double t1);
    // Zoom by `factor` (below 1 zooms in) keeping the time at `fraction` of the range (0 the
    // left edge, 1 the right) where it is.
    void zoomAt(double fraction, double factor);
    // Move the range by `fraction` of its span: positive shows later times.
    void panBy(double fraction);

Q_SIGNALS:
    // The range moved because of the user (a zoom, a pan, a preset, following again); new data
    // moving a following view does not emit it.
    void rangeChanged();
    void followingChanged(bool following);

private:
    void holdAt(double t0, double t1);
    void setFollowing(bool following);

    double m_startS = 0.0;
    double m_nowS = 0.0;
    double m_lookaheadS = 0.0;
    double m_windowS = kWholeRun;
    bool m_following = true;
    double m_heldX0 = 0.0;
    double m_runLengthS = std::numeric_limits<double>::infinity();
    double m_heldX1 = kMinExtentS;
};

// Short name of a window: "1 min", "90 s", "1 h", "whole run".
QString windowText(double windowS);

} // namespace headroom::ui
