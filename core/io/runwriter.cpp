#include "io/runwriter.h"

#include "logging.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace headroom::io {

namespace {

nlohmann::json numberOrNull(double value)
{
    return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr);
}

} // namespace

nlohmann::json laneSummaryJson(const metrics::LaneSummary &lane)
{
    nlohmann::json j;
    j["controller"] = lane.controller;
    j["available"] = lane.available;
    if (!lane.available)
        j["unavailable_reason"] = lane.unavailableReason;
    if (!lane.modelError.empty())
        j["model_error"] = lane.modelError;
    j["requests"] = lane.requests;
    j["completed"] = lane.completed;
    j["dropped"] = lane.dropped;
    j["slo_violations"] = lane.sloViolations;
    j["latency_ms"] = {{"p50", numberOrNull(lane.latencyP50Ms)},
                       {"p95", numberOrNull(lane.latencyP95Ms)},
                       {"p99", numberOrNull(lane.latencyP99Ms)},
                       {"max", numberOrNull(lane.latencyMaxMs)}};
    j["pod_seconds"] = lane.podSeconds;
    j["peak_pods"] = lane.peakPods;
    if (lane.available) {
        j["violation_seconds"] = lane.violationSeconds;
        j["spikes"] = lane.spikes;
        j["time_to_scale_s"] = lane.meanScaleS ? nlohmann::json(*lane.meanScaleS) : nlohmann::json(nullptr);
        j["spikes_missed"] = lane.spikesMissed;
        // The reference lane is not compared with itself: null, as the dashboard's table
        // shows a dash, where 0 would read as a lane exactly on its reference.
        const auto compared = [&lane](double podSeconds) {
            return lane.isProvisioningReference ? nlohmann::json(nullptr)
                                                : nlohmann::json(podSeconds);
        };
        j["provisioning"] = {{"reference", lane.provisioningReference},
                             {"over_pod_seconds", compared(lane.overPodSeconds)},
                             {"under_pod_seconds", compared(lane.underPodSeconds)},
                             {"reference_pod_seconds", compared(lane.referencePodSeconds)}};
        // The clairvoyant reference held at max_replicas while the load needed more: null when
        // it never was (or the reference is the load line).
        j["provisioning"]["reference_capped"] = lane.referenceCappedSeconds > 0.0
            ? nlohmann::json {{"pods", lane.referenceCapPods}, {"seconds", lane.referenceCappedSeconds}}
            : nlohmann::json(nullptr);
    }
    if (lane.forecasts) {
        // Scores need a forecast whose target has passed; before that they are unknown.
        const metrics::ForecastAccuracy &f = lane.forecast;
        const auto score = [&f](double value) {
            return f.forecasts > 0 ? numberOrNull(value) : nlohmann::json(nullptr);
        };
        j["forecast"] = {{"forecasts", f.forecasts}, {"mae_req_per_s", score(f.maeRatePerS)},
                         {"relative_mae", score(f.relativeMae)},
                         {"coverage_p90", score(f.coverageP90)}};
        j["fallback_s"] = lane.fallbackSeconds;
    }
    return j;
}

namespace {

// Compact and locale-free: "%.6g" never writes a decimal comma. Whole numbers (times,
// pods, counts) are written whole, so the seconds of a month-long run stay exact.
void appendNumber(std::string &out, double value)
{
    if (!std::isfinite(value))
        return;
    char buf[32];
    if (value == std::round(value) && std::abs(value) < 1e15)
        std::snprintf(buf, sizeof buf, "%.0f", value);
    else
        std::snprintf(buf, sizeof buf, "%.6g", value);
    out += buf;
}

} // namespace

std::string summaryJson(const metrics::RunSummary &summary)
{
    nlohmann::json j;
    j["scenario"] = summary.scenario;
    j["source"] = summary.source;
    j["seed"] = summary.seed;
    j["duration_s"] = summary.durationS;
    j["slo_latency_ms"] = summary.sloLatencyMs;
    if (!summary.preset.empty())
        j["preset"] = summary.preset;
    if (!summary.cluster.empty()) {
        nlohmann::json cluster = nlohmann::json::object();
        for (const auto &[key, value] : summary.cluster) {
            // Whole numbers (counts, most times) as a scenario file writes them.
            if (value == std::round(value) && std::abs(value) < 1e15)
                cluster[key] = static_cast<long long>(value);
            else
                cluster[key] = value;
        }
        j["cluster"] = cluster;
    }
    j["lanes"] = nlohmann::json::array();
    for (const auto &lane : summary.lanes)
        j["lanes"].push_back(laneSummaryJson(lane));
    return j.dump(2) + "\n";
}

void writeSummaryJson(const metrics::RunSummary &summary, const std::string &path)
{
    writeFileAtomically(path, summaryJson(summary));
}

namespace {

constexpr const char *kTimeseriesHeader
    = "t_s,lane,arrivals_per_s,completed_per_s,dropped_per_s,latency_p50_ms,"
      "latency_p95_ms,latency_p99_ms,pods_desired,pods_ready,pods_starting,"
      "cpu_utilization,queue_length,forecast_horizon_s,forecast_p50,forecast_p90,"
      "fallback,no_data,slo_violations_per_s,pods_unready,concurrency\n";

void appendTimeseriesRow(std::string &out, const std::string &lane, const metrics::LaneSample &s)
{
    appendNumber(out, s.tS);
    out += ',' + lane;
    // A second the source has no record of: its arrivals are unknown, not 0.
    const double arrivals = s.noData ? std::nan("") : s.arrivalsPerS;
    for (double v : {arrivals, s.completedPerS, s.droppedPerS, s.latencyP50Ms,
                     s.latencyP95Ms, s.latencyP99Ms, double(s.podsDesired),
                     double(s.podsReady), double(s.podsStarting), s.cpuUtilization,
                     double(s.queueLength), s.forecastHorizonS, s.forecastP50,
                     s.forecastP90}) {
        out += ',';
        appendNumber(out, v);
    }
    out += s.fallback ? ",1" : ",0";
    out += s.noData ? ",1" : ",0";
    for (double v : {s.sloViolationsPerS, double(s.podsUnready), s.concurrency}) {
        out += ',';
        appendNumber(out, v);
    }
    out += '\n';
}

} // namespace

std::string timeseriesCsv(const std::vector<LaneSeries> &lanes)
{
    std::string out = kTimeseriesHeader;
    for (const LaneSeries &lane : lanes) {
        for (const metrics::LaneSample &s : *lane.samples)
            appendTimeseriesRow(out, lane.lane, s);
    }
    return out;
}

bool writeTimeseriesCsv(const std::vector<LaneSeries> &lanes,
    const std::function<bool(std::string_view)> &write, std::size_t pieceBytes)
{
    std::string piece = kTimeseriesHeader;
    piece.reserve(pieceBytes + 1024);
    for (const LaneSeries &lane : lanes) {
        for (const metrics::LaneSample &s : *lane.samples) {
            appendTimeseriesRow(piece, lane.lane, s);
            if (piece.size() >= pieceBytes) {
                if (!write(piece))
                    return false;
                piece.clear();
            }
        }
    }
    return piece.empty() || write(piece);
}

void writeTimeseriesCsv(const std::vector<LaneSeries> &lanes, const std::string &path)
{
    // Streamed: a month-long run's file is 750 MB for four lanes, which held whole (and grown by
    // doubling) took as much memory again as the samples it was made of.
    writeFileAtomically(path, [&lanes](std::ostream &file) {
        return writeTimeseriesCsv(lanes, [&file](std::string_view piece) {
            const auto size = static_cast<std::streamsize>(piece.size());
            return static_cast<bool>(file.write(piece.data(), size));
        });
    });
}

void writeFileAtomically(const std::string &path, const std::string &text)
{
    writeFileAtomically(path, [&text](std::ostream &file) { return static_cast<bool>(file << text); });
}

void writeFileAtomically(const std::string &path, const std::function<bool(std::ostream &)> &write)
{
    const std::string temp = path + ".part";
    std::error_code ec;
    bool written = false;
    {
        std::ofstream file(temp, std::ios::binary | std::ios::trunc);
        written = write(file) && static_cast<bool>(file.flush());
    }
    if (written)
        std::filesystem::rename(temp, path, ec);
    if (!written || ec) {
        // No half-written file is left behind (a full disk, a folder named like the file).
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        throw std::runtime_error(
            path + ": cannot write" + (ec ? " (" + ec.message() + ")" : std::string()));
    }
    qCInfo(lcIo) << "wrote" << path.c_str();
}

} // namespace headroom::io
