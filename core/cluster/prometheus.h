#pragma once

#include "cluster/exposition.h"
#include "cluster/httpclient.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace headroom::cluster {

// The result of one instant query: each series' labels and value (a scalar result is one
// series without labels). Values may be NaN or infinite, as Prometheus writes them.
using QueryResult = std::vector<MetricSample>;

// Reads an answer of Prometheus's HTTP API (GET /api/v1/query): {"status":"success",
// "data":{"resultType":"vector"|"scalar",...}}. Throws InputError naming `source` (the URL)
// and `field` (which query) for an error status, a range vector, JSON of another shape, a
// value that is not a decimal number (or NaN, +Inf, -Inf), or, given `askedAtS` (Unix
// seconds when the query was sent), a sample more than 5 minutes older or a minute newer.
QueryResult parseQueryAnswer(const std::string &body, int httpStatus, const std::string &source,
                             const std::string &field, std::optional<double> askedAtS = std::nullopt);

// What control reads from a Prometheus server, one PromQL query each. `$namespace`,
// `$deployment` and `$window` are replaced before they are sent; latency's `$quantile` by
// 0.5, 0.95 and 0.99 in turn. Only `rate` is needed: an empty query is not asked.
struct PrometheusQueries
{
    std::string rate;        // requests arriving, per second
    std::string completed;   // requests answered, per second
    std::string dropped;     // requests refused (router queue full, timed out), per second
    std::string violations;  // requests past the SLO, per second
    std::string latency;     // the $quantile latency, seconds
    std::string serviceTime; // the mean latency, seconds (read as the service time while nothing queues)
    std::string concurrency; // requests in flight now (KPA's input)
    std::string queue;       // requests waiting for a slot now
    std::string cpu;         // CPU cores each pod uses, one series per pod with a `pod` label (HPA's input)
    std::string slo;         // the latency SLO the violations count against, seconds (asked every 10 s)

    // The names headroom-cli serve publishes (docs/serve.md), rates over $window.
    static PrometheusQueries forServe();
    // The query called `key` ("rate", "latency", ..., as `--query KEY=PROMQL` names them);
    // nullptr for an unknown key.
    std::string *find(const std::string &key);
    static std::vector<std::string> keys();
};

// Replaces every `$name` of `values` in `query` (longest names first).
std::string expandQuery(std::string query, const std::map<std::string, std::string> &values);

// Instant queries against a Prometheus server's HTTP API.
class PrometheusApi
{
public:
    explicit PrometheusApi(HttpClient client) : m_client(std::move(client)) { }

    // Throws UnreachableError (nothing answered) or InputError (an error answer, naming the
    // query's `field`).
    QueryResult query(const std::string &promql, const std::string &field) const;
    const HttpEndpoint &endpoint() const { return m_client.endpoint(); }

private:
    HttpClient m_client;
};

} // namespace headroom::cluster
