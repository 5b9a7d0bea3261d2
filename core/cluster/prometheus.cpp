#include "cluster/prometheus.h"

#include "io/inputerror.h"
#include "traffic/jsonfields.h"

#include <nlohmann/json.hpp>

#include <QString>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>

namespace headroom::cluster {

namespace {

using Json = nlohmann::json;

// How far a sample's time may be from when it was asked for. An instant query's samples
// carry its evaluation time, which is when it was asked, give or take the two clocks'
// difference and the answer's way back: a sample minutes old is a stale answer (a cache, a
// server whose clock is off), not this second's load.
constexpr double kSampleOlderS = 300.0;
constexpr double kSampleNewerS = 60.0;

// A sample value as the API writes it: [<unix time>, "<value>"], the value a Go float's
// text ("1.5", "NaN", "+Inf", "-Inf", "1e+06"); its time within the bounds above of
// `askedAtS` when given.
double sampleValue(const Json &pair, const std::string &source, const std::string &field,
                   std::optional<double> askedAtS)
{
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_number() || !pair[1].is_string())
        throw InputError(source, std::nullopt, field, "a sample is not [time, \"value\"]: " + pair.dump().substr(0, 120));
    const std::string text = pair[1].get<std::string>();
    const auto v = parseSampleValue(text);
    if (!v) {
        throw InputError(source, std::nullopt, field, "a sample's value \"" + text.substr(0, 60)
            + "\" is not a number (a decimal one, NaN, +Inf or -Inf)");
    }
    const double at = pair[0].get<double>();
    if (askedAtS && !(at >= *askedAtS - kSampleOlderS && at <= *askedAtS + kSampleNewerS)) {
        const double off = at - *askedAtS;
        // Compact numbers: a time of 1e300 was 301 digits.
        throw InputError(source, std::nullopt, field, "a sample's time " + traffic::numberText(at)
            + " is " + traffic::numberText(std::round(std::fabs(off))) + " s "
            + (off < 0.0 ? "before" : "after") + " it was asked for (at "
            + traffic::numberText(*askedAtS) + "): not this moment's value (more than "
            + std::to_string(static_cast<int>(kSampleOlderS)) + " s old or "
            + std::to_string(static_cast<int>(kSampleNewerS)) + " s ahead; is a clock off?)");
    }
    return *v;
}

} // namespace

QueryResult parseQueryAnswer(const std::string &body, int httpStatus, const std::string &source,
                             const std::string &field, std::optional<double> askedAtS)
{
    Json answer;
    try {
        answer = Json::parse(body);
    } catch (const nlohmann::json::exception &) {
        throw InputError(source, std::nullopt, field,
            "HTTP " + std::to_string(httpStatus) + ", not a Prometheus API answer (JSON): " + body.substr(0, 120));
    }
    const auto text = [&](const char *key) {
        const auto it = answer.is_object() ? answer.find(key) : answer.end();
        return it != answer.end() && it->is_string() ? it->get<std::string>() : std::string();
    };
    if (text("status") == "error" || httpStatus != 200) {
        const std::string why = text("error").empty() ? body.substr(0, 120) : text("errorType") + ": " + text("error");
        throw InputError(source, std::nullopt, field, "HTTP " + std::to_string(httpStatus) + ": " + why);
    }
    if (text("status") != "success")
        throw InputError(source, std::nullopt, field, "the answer's status is not \"success\"");
    const auto data = answer.find("data");
    if (data == answer.end() || !data->is_object() || !data->contains("resultType") || !data->contains("result")
        || !(*data)["resultType"].is_string())
        throw InputError(source, std::nullopt, field, "the answer has no data.resultType and data.result");
    const std::string type = (*data)["resultType"].get<std::string>();
    const Json &result = (*data)["result"];
    QueryResult out;
    if (type == "scalar") {
        out.push_back({field, {}, sampleValue(result, source, field, askedAtS)});
        return out;
    }
    if (type == "matrix")
        throw InputError(source, std::nullopt, field,
            "the query gives a range vector (a selector with [window]): give an instant one, e.g. rate(...[window])");
    if (type != "vector" || !result.is_array())
        throw InputError(source, std::nullopt, field, "a result of type \"" + type + "\", not a vector or a scalar");
    for (const Json &series : result) {
        const auto metric = series.is_object() ? series.find("metric") : series.end();
        const auto value = series.is_object() ? series.find("value") : series.end();
        if (metric == series.end() || !metric->is_object() || value == series.end())
            throw InputError(source, std::nullopt, field, "a series without metric and value");
        MetricSample sample;
        sample.name = field;
        for (const auto &[k, v] : metric->items()) {
            if (!v.is_string())
                throw InputError(source, std::nullopt, field, "the label " + k + " is not a string");
            sample.labels[k] = v.get<std::string>();
        }
        sample.value = sampleValue(*value, source, field, askedAtS);
        out.push_back(std::move(sample));
    }
    return out;
}

PrometheusQueries PrometheusQueries::forServe()
{
    const std::string sel = R"({namespace="$namespace",deployment="$deployment"})";
    PrometheusQueries q;
    q.rate = "sum(rate(headroom_requests_total" + sel + "[$window]))";
    q.completed = "sum(rate(headroom_requests_completed_total" + sel + "[$window]))";
    q.dropped = "sum(rate(headroom_requests_dropped_total" + sel + "[$window]))";
    q.violations = "sum(rate(headroom_slo_violations_total" + sel + "[$window]))";
    q.latency = "histogram_quantile($quantile, sum by (le) (rate(headroom_request_duration_seconds_bucket" + sel
        + "[$window])))";
    q.serviceTime = "sum(rate(headroom_request_service_seconds_sum" + sel + "[$window])) / sum(rate("
        "headroom_request_service_seconds_count" + sel + "[$window]))";
    q.concurrency = "sum(headroom_in_flight" + sel + ")";
    q.queue = "sum(headroom_queue_length" + sel + ")";
    q.cpu = R"(sum by (pod) (rate(container_cpu_usage_seconds_total{namespace="$namespace"}[$window])))";
    q.slo = "max(headroom_slo_latency_seconds" + sel + ")";
    return q;
}

std::vector<std::string> PrometheusQueries::keys()
{
    return {"rate", "completed", "dropped", "violations", "latency", "service-time", "concurrency", "queue", "cpu", "slo"};
}

std::string *PrometheusQueries::find(const std::string &key)
{
    if (key == "rate") return &rate;
    if (key == "completed") return &completed;
    if (key == "dropped") return &dropped;
    if (key == "violations") return &violations;
    if (key == "latency") return &latency;
    if (key == "service-time") return &serviceTime;
    if (key == "concurrency") return &concurrency;
    if (key == "queue") return &queue;
    if (key == "cpu") return &cpu;
    if (key == "slo") return &slo;
    return nullptr;
}

std::string expandQuery(std::string query, const std::map<std::string, std::string> &values)
{
    std::vector<std::pair<std::string, std::string>> byLength(values.begin(), values.end());
    std::sort(byLength.begin(), byLength.end(),
              [](const auto &a, const auto &b) { return a.first.size() > b.first.size(); });
    for (const auto &[name, value] : byLength) {
        const std::string token = "$" + name;
        for (std::size_t at = query.find(token); at != std::string::npos; at = query.find(token, at + value.size()))
            query.replace(at, token.size(), value);
    }
    return query;
}

QueryResult PrometheusApi::query(const std::string &promql, const std::string &field) const
{
    const std::string target = m_client.endpoint().pathPrefix + "/api/v1/query?query=" + percentEncode(promql);
    const double askedAtS
        = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    const HttpResponse answer = m_client.request("GET", target, {}, {}, "application/json");
    return parseQueryAnswer(answer.body, answer.status, m_client.endpoint().url + "/api/v1/query", field, askedAtS);
}

} // namespace headroom::cluster
