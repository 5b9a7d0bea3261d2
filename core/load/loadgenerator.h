#pragma once

#include "cluster/httpclient.h"

#include <atomic>
#include <chrono>
#include <cmath>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <vector>

namespace headroom::load {

// Where the load goes: one URL; every request's body the same, or each its own.
struct LoadTarget
{
    cluster::HttpEndpoint endpoint; // http:// or https://
    cluster::TlsSettings tls;       // for https: whom to trust, and the client certificate
    std::string path = "/";         // path and query, as sent
    std::string method = "POST";
    std::string body;               // sent with each request (application/json)
    // The body of the schedule's request i, when set (a trace row's token counts filled in
    // a template); `body` is then unused.
    std::function<std::string(std::size_t)> bodyOf;
    std::string bearerToken;        // empty: no Authorization header
};

// Reads http[s]://HOST[:PORT][/PATH[?QUERY]]: the endpoint and the path ("/" when none).
// Throws InputError naming `option` for anything else.
LoadTarget parseLoadUrl(const std::string &option, const std::string &url);

struct LoadSettings
{
    // Requests sent and not answered yet, at most; one due past it is not sent, and
    // recorded so.
    int maxOutstanding = 1000;
    // A request not answered within this (connect, send and read) ends with an error.
    std::chrono::milliseconds timeout {std::chrono::seconds(60)};
};

// One request, as the client saw it. Times are wall-clock seconds since the run's start.
struct RequestRecord
{
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    double scheduledS = 0.0;
    double sentS = kNone;          // NaN: not sent
    int status = 0;                // the HTTP status; 0: no answer
    double latencyMs = kNone;      // from sending to the whole answer read
    double serverLatencyMs = kNone; // the answer's "latency_ms", when it is JSON with one from 0 to a day
    std::string error;             // why there is no answer, or why it was not sent

    bool answered() const { return status != 0; }
    bool sent() const { return !std::isnan(sentS); }
};

// An open-loop HTTP(S) load generator (Boost.Beast, one thread): each request is sent at its
// scheduled time whether or not earlier ones were answered, each on a connection of its own
// (kept alive and reused once answered), and timed from sending to the answer read whole.
class LoadGenerator
{
public:
    // `scheduleS`: the requests' send times, seconds from the start, in order. Throws
    // InputError naming target.tls.source when its certificates cannot be used.
    LoadGenerator(LoadTarget target, LoadSettings settings, std::vector<double> scheduleS);
    ~LoadGenerator();

    // Resolves the host and opens one connection (with its TLS handshake, for https) to check
    // that something listens; throws cluster::UnreachableError naming the URL and why when not.
    void checkReachable();
    // Sends the schedule and waits for every answer (or its timeout). Returns early when
    // `stop` turns true: the requests outstanding then are recorded as interrupted.
    void run(const std::atomic<bool> &stop);
    // The records of the requests due so far, in schedule order (all of them after a run
    // that was not stopped).
    std::vector<RequestRecord> records() const;
    bool interrupted() const;
    std::string url() const;
    // Each outstanding request holds a socket, which is a file. When the process's limit on
    // open files (ulimit -n; its soft limit is raised towards the hard one as far as
    // maxOutstanding needs) leaves room for fewer, the requests past that are not sent and
    // recorded so, and this says so (empty otherwise): the last files stay free for the CSV.
    std::string openFileNote() const;

private:
    struct Impl;
    std::shared_ptr<Impl> m_impl;
};

// The CSV's header line.
inline constexpr const char *kRecordsCsvHeader = "scheduled_s,sent_s,status,latency_ms,server_latency_ms,error";

// The results as CSV: scheduled_s, sent_s, status, latency_ms, server_latency_ms, error.
// Not sent or unanswered requests have empty cells. Throws std::runtime_error when the
// file cannot be written.
void writeRecordsCsv(const std::vector<RequestRecord> &records, const std::string &path);

} // namespace headroom::load
