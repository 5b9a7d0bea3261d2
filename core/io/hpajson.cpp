#include "io/hpajson.h"

#include "io/inputerror.h"
#include "traffic/jsonfields.h"

#include <cmath>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

// Field names and limits are documented in docs/hpa-cli.md.
namespace headroom::io {

namespace {

namespace hpa = control::hpa;
using Json = nlohmann::json;
using traffic::JsonFields;
using traffic::numberText;

constexpr const char *kComment = "_comment";
// Replica counts stay far from int overflow in the calculator's 2 * current and sums.
constexpr long long kMaxReplicas = 1'000'000;
constexpr double kMaxCpuM = 1e9;
constexpr double kMaxTargetPercent = 1e6;
constexpr long long kMaxPolicyValue = 2'147'483'647; // int32, as upstream
// The API server's limits on behaviour fields (autoscaling/v2 validation).
constexpr double kMaxPeriodS = 1800.0;
constexpr double kMaxWindowS = 3600.0;

std::string childPath(const std::string &path, const std::string &key)
{
    return path.empty() ? key : path + "." + key;
}

bool isCommentText(const Json &value)
{
    if (value.is_string())
        return true;
    if (!value.is_array())
        return false;
    for (const Json &line : value) {
        if (!line.is_string())
            return false;
    }
    return true;
}

// "_comment" (a string or an array of strings) is allowed in every object: it is checked and
// removed before the fields are read, so the strict key checks below never see it.
void stripComments(Json &value, const std::string &path, const std::string &source)
{
    if (value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i)
            stripComments(value[i], path + "[" + std::to_string(i) + "]", source);
        return;
    }
    if (!value.is_object())
        return;
    if (const auto comment = value.find(kComment); comment != value.end()) {
        if (!isCommentText(*comment))
            throw InputError(source, std::nullopt, childPath(path, kComment),
                "must be a string or an array of strings");
        value.erase(comment);
    }
    for (auto &item : value.items())
        stripComments(item.value(), childPath(path, item.key()), source);
}

std::string typeText(const Json &value)
{
    return std::string("got ")
        + (value.is_number() ? "the number " + value.dump() : value.type_name());
}

// JsonFields plus what it lacks here: booleans, nullable numbers, bounds, nested readers.
class Fields : public JsonFields
{
public:
    Fields(const Json &object, std::string path, std::string source)
        : JsonFields(object, std::move(path), source)
        , m_raw(object)
        , m_source(std::move(source))
    { }

    bool flag(std::string_view key, std::optional<bool> fallback = {}) const
    {
        if (fallback && !has(key))
            return *fallback;
        const Json &v = raw(key);
        require(v.is_boolean(), key, "must be true or false, " + typeText(v));
        return v.get<bool>();
    }

    // Non-negative and finite; without a fallback the key is required.
    double amount(std::string_view key, std::optional<double> fallback = {}) const
    {
        const double v = number(key, fallback);
        require(v >= 0.0, key, "must not be negative, got " + numberText(v));
        return v;
    }

    double positive(std::string_view key, std::optional<double> fallback = {}) const
    {
        const double v = number(key, fallback);
        require(v > 0.0, key, "must be greater than 0, got " + numberText(v));
        return v;
    }

    double bounded(std::string_view key, double low, bool lowInclusive, double high) const
    {
        const double v = number(key);
        const bool ok = (lowInclusive ? v >= low : v > low) && v <= high;
        require(ok, key,
            "must be " + std::string(lowInclusive ? "at least " : "greater than ") + numberText(low)
                + " and at most " + numberText(high) + ", got " + numberText(v));
        return v;
    }

    // A non-negative amount, or nothing when the key is absent or null.
    std::optional<double> optionalAmount(std::string_view key) const
    {
        if (!has(key) || raw(key).is_null())
            return std::nullopt;
        return amount(key);
    }

    // A whole number in [min, max]; without a fallback the key is required.
    int count(std::string_view key, std::optional<long long> fallback, long long min,
        long long max = kMaxReplicas) const
    {
        require(fallback || has(key), key, "is missing");
        return static_cast<int>(integer(key, fallback.value_or(0), min, max));
    }

    template <typename Enum>
    Enum choice(std::string_view key, const std::vector<std::pair<std::string, Enum>> &options,
        std::optional<Enum> fallback = {}) const
    {
        if (fallback && !has(key))
            return *fallback;
        const std::string name = text(key);
        std::string allowed;
        for (const auto &[option, value] : options) {
            if (option == name)
                return value;
            allowed += (allowed.empty() ? "" : ", ") + option;
        }
        fail(key, "must be one of " + allowed + ", got \"" + name + "\"");
    }

    Fields child(std::string_view key) const { return Fields(raw(key), fieldPath(key), m_source); }

    std::vector<Fields> children(std::string_view key) const
    {
        const Json &array = raw(key);
        require(array.is_array(), key, "must be an array of objects, " + typeText(array));
        std::vector<Fields> result;
        for (std::size_t i = 0; i < array.size(); ++i)
            result.emplace_back(array[i], fieldPath(key) + "[" + std::to_string(i) + "]", m_source);
        return result;
    }

private:
    const Json &raw(std::string_view key) const
    {
        const auto it = m_raw.find(std::string(key));
        if (it == m_raw.end())
            fail(key, "is missing");
        return *it;
    }

    const Json &m_raw;
    std::string m_source;
};

hpa::Policy parsePolicy(const Fields &fields)
{
    fields.allowOnly({"type", "value", "period_s"});
    hpa::Policy policy;
    policy.type = fields.choice<hpa::Policy::Type>(
        "type", {{"Pods", hpa::Policy::Type::Pods}, {"Percent", hpa::Policy::Type::Percent}});
    policy.value = fields.count("value", std::nullopt, 1, kMaxPolicyValue);
    policy.periodS = fields.bounded("period_s", 0.0, false, kMaxPeriodS);
    return policy;
}

// Fields present replace the corresponding default; the rest keep it (upstream
// copyHPAScalingRules). A given "policies" list replaces the default list as a whole.
hpa::ScalingRules parseRules(const Fields &fields, hpa::ScalingRules rules)
{
    using Select = hpa::ScalingRules::Select;
    fields.allowOnly({"stabilization_window_s", "select_policy", "policies"});
    if (fields.has("stabilization_window_s"))
        rules.stabilizationWindowS = fields.bounded("stabilization_window_s", 0, true, kMaxWindowS);
    rules.select = fields.choice<Select>("select_policy",
        {{"Max", Select::Max}, {"Min", Select::Min}, {"Disabled", Select::Disabled}}, rules.select);
    if (fields.has("policies")) {
        rules.policies.clear();
        for (const Fields &policy : fields.children("policies"))
            rules.policies.push_back(parsePolicy(policy));
        fields.require(!rules.policies.empty(), "policies", "must list at least one policy");
    }
    return rules;
}

hpa::Behavior parseBehavior(const Fields &fields, double downscaleStabilizationS)
{
    fields.allowOnly({"scale_up", "scale_down"});
    hpa::Behavior behavior = hpa::defaultBehavior(downscaleStabilizationS);
    if (fields.has("scale_up"))
        behavior.scaleUp = parseRules(fields.child("scale_up"), behavior.scaleUp);
    if (fields.has("scale_down"))
        behavior.scaleDown = parseRules(fields.child("scale_down"), behavior.scaleDown);
    return behavior;
}

hpa::Spec parseSpec(const Fields &fields)
{
    fields.allowOnly({"target_cpu_utilization_percent", "tolerance", "min_replicas", "max_replicas",
        "behavior", "downscale_stabilization_s", "cpu_initialization_period_s",
        "initial_readiness_delay_s"});
    hpa::Spec spec;
    // Upstream's averageUtilization is a whole percent from 1; past a million the ratio it
    // divides would leave every count past int32.
    spec.targetUtilizationPercent
        = fields.bounded("target_cpu_utilization_percent", 1.0, true, kMaxTargetPercent);
    spec.tolerance = fields.amount("tolerance", 0.1);
    spec.minReplicas = fields.count("min_replicas", 1, 1);
    spec.maxReplicas = fields.count("max_replicas", std::nullopt, 1);
    fields.require(spec.minReplicas <= spec.maxReplicas, "min_replicas",
        "must not exceed max_replicas (" + std::to_string(spec.maxReplicas) + "), got "
            + std::to_string(spec.minReplicas));
    spec.downscaleStabilizationS = fields.amount("downscale_stabilization_s", 300.0);
    spec.cpuInitializationPeriodS = fields.amount("cpu_initialization_period_s", 300.0);
    spec.initialReadinessDelayS = fields.amount("initial_readiness_delay_s", 30.0);
    if (fields.has("behavior"))
        spec.behavior = parseBehavior(fields.child("behavior"), spec.downscaleStabilizationS);
    return spec;
}

hpa::PodInfo parsePod(const Fields &fields)
{
    using Phase = hpa::PodInfo::Phase;
    fields.allowOnly({"name", "phase", "ready", "deleting", "cpu_request_m", "cpu_usage_m",
        "start_s_ago", "ready_transition_s_ago", "metric_age_s", "metric_window_s"});
    hpa::PodInfo pod;
    pod.name = fields.text("name");
    fields.require(!pod.name.empty(), "name", "must not be empty");
    pod.phase = fields.choice<Phase>("phase",
        {{"Running", Phase::Running}, {"Pending", Phase::Pending}, {"Failed", Phase::Failed}});
    pod.ready = fields.flag("ready");
    pod.deleting = fields.flag("deleting", false);
    // Upstream refuses to compute a utilization for a pod without a CPU request.
    // CPU quantities are millicores (1m is the finest upstream keeps) up to a million cores;
    // past that, sums of them overflow to infinity and the utilization with them.
    pod.cpuRequestM = fields.bounded("cpu_request_m", 1.0, true, kMaxCpuM);
    pod.cpuUsageM = fields.optionalAmount("cpu_usage_m");
    if (pod.cpuUsageM)
        fields.bounded("cpu_usage_m", 0.0, true, kMaxCpuM);
    pod.startSAgo = fields.amount("start_s_ago");
    pod.readyTransitionSAgo = fields.amount("ready_transition_s_ago");
    // A pod's Ready condition cannot change before the pod started. The kubelet stamps the
    // condition's first transition just before the start time, in the same status update, and
    // the API keeps whole seconds: the transition can read up to 1 s before the start, no more.
    fields.require(pod.readyTransitionSAgo <= pod.startSAgo + 1.0, "ready_transition_s_ago",
        "must be at most start_s_ago + 1 (" + numberText(pod.startSAgo + 1.0)
            + "): the Ready condition cannot change before the pod started, got "
            + numberText(pod.readyTransitionSAgo));
    // The sample's age matters only when there is a sample.
    pod.metricAgeS
        = pod.cpuUsageM ? fields.amount("metric_age_s") : fields.amount("metric_age_s", 0.0);
    pod.metricWindowS = fields.amount("metric_window_s", 15.0);
    return pod;
}

std::vector<hpa::PodInfo> parsePods(const Fields &fields)
{
    std::vector<hpa::PodInfo> pods;
    std::map<std::string, std::size_t> seen;
    for (const Fields &podFields : fields.children("pods")) {
        pods.push_back(parsePod(podFields));
        const auto [it, added] = seen.emplace(pods.back().name, pods.size() - 1);
        podFields.require(added, "name",
            "duplicates pods[" + std::to_string(it->second) + "].name \"" + it->first + "\"");
    }
    return pods;
}

hpa::History parseHistory(const Fields &fields)
{
    fields.allowOnly({"recommendations", "scale_events"});
    hpa::History history;
    if (fields.has("recommendations")) {
        for (const Fields &rec : fields.children("recommendations")) {
            rec.allowOnly({"s_ago", "replicas"});
            history.recommendations.push_back(
                {rec.amount("s_ago"),
                    rec.count("replicas", std::nullopt, 0, std::numeric_limits<int>::max())});
        }
    }
    if (fields.has("scale_events")) {
        for (const Fields &event : fields.children("scale_events")) {
            event.allowOnly({"s_ago", "change"});
            history.scaleEvents.push_back(
                {event.amount("s_ago"), event.count("change", std::nullopt, -kMaxReplicas)});
        }
    }
    return history;
}

} // namespace

HpaInput parseHpaInput(const std::string &json, const std::string &source)
{
    Json document = traffic::parseStrictJson(json, source);
    stripComments(document, "", source);
    const Fields fields(document, "", source);
    fields.allowOnly({"hpa", "current_replicas", "pods", "history"});
    HpaInput input;
    input.spec = parseSpec(fields.child("hpa"));
    input.currentReplicas = fields.count("current_replicas", std::nullopt, 0);
    input.pods = parsePods(fields);
    if (fields.has("history"))
        input.history = parseHistory(fields.child("history"));
    return input;
}

hpa::Spec parseHpaSpec(const Json &block, const std::string &path, const std::string &source,
                       double defaultTargetPercent, int defaultMinReplicas, int defaultMaxReplicas)
{
    Json copy = block;
    stripComments(copy, path, source);
    if (copy.is_object()) {
        copy.emplace("target_cpu_utilization_percent", defaultTargetPercent);
        copy.emplace("min_replicas", defaultMinReplicas);
        copy.emplace("max_replicas", defaultMaxReplicas);
    }
    return parseSpec(Fields(copy, path, source));
}

std::string hpaDecisionJson(const hpa::Decision &decision)
{
    nlohmann::ordered_json out;
    out["desired_replicas"] = decision.desiredReplicas;
    out["proposed_replicas"] = decision.proposedReplicas;
    out["utilization_percent"] = decision.utilizationPercent
        ? nlohmann::ordered_json(*decision.utilizationPercent)
        : nlohmann::ordered_json(nullptr);
    out["ready_pods_counted"] = decision.readyPodsCounted;
    out["metrics_available"] = decision.metricsAvailable;
    out["conditions"] = nlohmann::ordered_json::array();
    for (const hpa::Condition &condition : decision.conditions) {
        out["conditions"].push_back({{"type", condition.type}, {"status", condition.status},
            {"reason", condition.reason}, {"message", condition.message}});
    }
    return out.dump(2);
}

} // namespace headroom::io
