#include "io/kpajson.h"

#include "io/inputerror.h"
#include "traffic/jsonfields.h"

#include <cmath>
#include <initializer_list>
#include <limits>
#include <nlohmann/json.hpp>
#include <string_view>

namespace headroom::io {

namespace {

using Json = nlohmann::json;
using control::kpa::Aggregation;
using traffic::numberText;

constexpr double kInf = std::numeric_limits<double>::infinity();

std::string got(const Json &value)
{
    return "got " + (value.is_number() ? "the number " + value.dump()
                                       : std::string(value.type_name()));
}

// One JSON object's fields; every error names the source and the field's path.
class Fields
{
public:
    Fields(const Json &object, std::string path, std::string source)
        : m_object(object), m_path(std::move(path)), m_source(std::move(source))
    {
        if (!m_object.is_object())
            throw InputError(m_source, std::nullopt, m_path,
                             "must be a JSON object, " + got(object));
    }

    void allowOnly(std::initializer_list<std::string_view> keys) const
    {
        for (const auto &item : m_object.items()) {
            if (item.key() == "_comment") {
                checkComment(item.value());
                continue;
            }
            bool known = false;
            std::string allowed;
            for (std::string_view key : keys) {
                known = known || key == item.key();
                allowed += (allowed.empty() ? "" : ", ") + std::string(key);
            }
            if (!known)
                fail(item.key(), "unknown key (a typo?); allowed here: " + allowed);
        }
    }

    bool has(std::string_view key) const { return m_object.contains(std::string(key)); }
    const Json &at(std::string_view key) const
    {
        if (!has(key))
            fail(key, "is missing");
        return m_object.at(std::string(key));
    }

    double number(std::string_view key, double fallback, double lo, double hi) const
    {
        if (!has(key))
            return fallback;
        const Json &v = at(key);
        require(v.is_number(), key, "must be a number, " + got(v));
        const double x = v.get<double>();
        require(std::isfinite(x), key, "must be a finite number");
        require(x >= 0.0 || lo < 0.0, key, "must not be negative, " + got(v));
        require(x >= lo && x <= hi, key, "must be " + range(lo, hi) + ", " + got(v));
        return x;
    }

    int integer(std::string_view key, int fallback, int lo, int hi) const
    {
        if (!has(key))
            return fallback;
        const double x = number(key, fallback, lo, hi);
        require(x == std::floor(x), key, "must be a whole number, " + got(at(key)));
        return static_cast<int>(x);
    }

    bool boolean(std::string_view key, bool fallback) const
    {
        if (!has(key))
            return fallback;
        const Json &v = at(key);
        require(v.is_boolean(), key, "must be true or false, " + got(v));
        return v.get<bool>();
    }

    std::string text(std::string_view key, const std::string &fallback) const
    {
        if (!has(key))
            return fallback;
        const Json &v = at(key);
        require(v.is_string(), key, "must be a string, " + got(v));
        return v.get<std::string>();
    }

    std::string path(std::string_view key) const
    {
        return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
    }
    const std::string &source() const { return m_source; }

    void require(bool ok, std::string_view key, const std::string &problem) const
    {
        if (!ok)
            fail(key, problem);
    }
    [[noreturn]] void fail(std::string_view key, const std::string &problem) const
    {
        throw InputError(m_source, std::nullopt, path(key), problem);
    }

private:
    void checkComment(const Json &v) const
    {
        bool ok = v.is_string() || v.is_array();
        for (std::size_t i = 0; ok && v.is_array() && i < v.size(); ++i)
            ok = v[i].is_string();
        require(ok, "_comment", "must be a string or an array of strings, " + got(v));
    }

    static std::string range(double lo, double hi)
    {
        if (hi == kInf)
            return "at least " + numberText(lo);
        return "between " + numberText(lo) + " and " + numberText(hi);
    }

    const Json &m_object;
    std::string m_path;
    std::string m_source;
};

void readWindows(const Fields &f, control::kpa::Config &c)
{
    c.stableWindowS = f.number("stable_window_s", c.stableWindowS, 6.0, 3600.0);
    f.require(c.stableWindowS == std::floor(c.stableWindowS), "stable_window_s",
              "must be whole seconds (upstream's stable-window precision)");
    c.panicWindowPercentage = f.number("panic_window_percentage", c.panicWindowPercentage,
                                       1.0, 100.0);
    c.panicThresholdPercentage = f.number("panic_threshold_percentage",
                                          c.panicThresholdPercentage, 110.0, 1000.0);
    const std::string aggregation = f.text("aggregation", "linear");
    f.require(aggregation == "linear" || aggregation == "weighted-exponential", "aggregation",
              "must be \"linear\" or \"weighted-exponential\", got \"" + aggregation + "\"");
    c.aggregation = aggregation == "linear" ? Aggregation::Linear
                                            : Aggregation::WeightedExponential;
}

void readTarget(const Fields &f, control::kpa::Config &c)
{
    c.containerConcurrency = f.integer("container_concurrency", c.containerConcurrency, 0, 1000);
    c.containerConcurrencyTargetDefault = f.number("container_concurrency_target_default",
                                                   c.containerConcurrencyTargetDefault, 0.01, kInf);
    double percent = f.number("container_concurrency_target_percentage",
                              c.targetUtilizationPercentage, 0.0, 100.0);
    f.require(percent > 0.0, "container_concurrency_target_percentage", "must be above 0");
    // config.go: values in (0, 1] are a fraction, for legacy reasons.
    c.targetUtilizationPercentage = percent <= 1.0 ? percent * 100.0 : percent;
    c.target = f.number("target", c.target, 0.0, kInf);
    f.require(c.target == 0.0 || c.target >= 0.01, "target",
              "must be 0 (not set) or at least 0.01");
    c.targetBurstCapacity = f.number("target_burst_capacity", c.targetBurstCapacity, -1.0, kInf);
    f.require(c.targetBurstCapacity >= 0.0 || c.targetBurstCapacity == -1.0,
              "target_burst_capacity", "must not be negative, except -1 (unlimited)");
}

void readRates(const Fields &f, control::kpa::Config &c)
{
    c.maxScaleUpRate = f.number("max_scale_up_rate", c.maxScaleUpRate, 0.0, kInf);
    f.require(c.maxScaleUpRate > 1.0, "max_scale_up_rate", "must be greater than 1");
    c.maxScaleDownRate = f.number("max_scale_down_rate", c.maxScaleDownRate, 0.0, kInf);
    f.require(c.maxScaleDownRate > 1.0, "max_scale_down_rate", "must be greater than 1");
    c.minScale = f.integer("min_scale", c.minScale, 0, 100000);
    c.maxScale = f.integer("max_scale", c.maxScale, 0, 100000);
    f.require(c.maxScale == 0 || c.maxScale >= c.minScale, "max_scale",
              "must be 0 (unbounded) or at least min_scale");
}

void readScaleToZero(const Fields &f, control::kpa::Config &c)
{
    c.enableScaleToZero = f.boolean("enable_scale_to_zero", c.enableScaleToZero);
    c.scaleToZeroGracePeriodS = f.number("scale_to_zero_grace_period_s",
                                         c.scaleToZeroGracePeriodS, 0.0, kInf);
    f.require(c.scaleToZeroGracePeriodS > 0.0, "scale_to_zero_grace_period_s", "must be positive");
    c.scaleToZeroPodRetentionPeriodS = f.number("scale_to_zero_pod_retention_period_s",
                                                c.scaleToZeroPodRetentionPeriodS, 0.0, kInf);
    c.reachable = f.boolean("reachable", c.reachable);
}

control::kpa::Config readConfig(const Fields &f)
{
    f.allowOnly({"stable_window_s", "panic_window_percentage", "panic_threshold_percentage",
                 "aggregation", "container_concurrency", "container_concurrency_target_default",
                 "container_concurrency_target_percentage", "target", "target_burst_capacity",
                 "max_scale_up_rate", "max_scale_down_rate", "min_scale", "max_scale",
                 "enable_scale_to_zero", "scale_to_zero_grace_period_s",
                 "scale_to_zero_pod_retention_period_s", "reachable"});
    control::kpa::Config c;
    readWindows(f, c);
    readTarget(f, c);
    readRates(f, c);
    readScaleToZero(f, c);
    return c;
}

void readState(const Fields &f, KpaInput &input)
{
    f.allowOnly({"ready_pods", "panicking", "panic_started_s_ago", "max_panic_pods", "idle_s",
                 "activator_requests", "restarted"});
    control::kpa::Inputs &in = input.inputs;
    f.at("ready_pods");
    in.readyPods = f.integer("ready_pods", 0, 0, 100000);
    input.restarted = f.boolean("restarted", false);
    for (const char *key : {"panicking", "panic_started_s_ago", "max_panic_pods"})
        f.require(!input.restarted || !f.has(key), key,
                  "conflicts with \"restarted\": a restarted autoscaler starts from ready_pods");
    control::kpa::State &s = in.state;
    s.panicking = f.boolean("panicking", false);
    for (const char *key : {"panic_started_s_ago", "max_panic_pods"})
        f.require(s.panicking || !f.has(key), key, "is only meaningful while panicking");
    s.panicStartedSAgo = f.number("panic_started_s_ago", 0.0, 0.0, kInf);
    s.maxPanicPods = f.integer("max_panic_pods", 0, 0, 100000);
    if (input.restarted)
        s = control::kpa::startState(in.readyPods);
    if (f.has("idle_s"))
        in.idleS = f.number("idle_s", 0.0, 0.0, kInf);
    // Added to each concurrency sample: held to the samples' own bound, or 1e308 summed to
    // infinity and the output printed null concurrencies.
    in.activatorRequests = f.number("activator_requests", 0.0, 0.0, 1e9);
}

std::vector<double> readSamples(const Fields &root)
{
    const Json &array = root.at("concurrency");
    root.require(array.is_array(), "concurrency", "must be an array of numbers, " + got(array));
    root.require(!array.empty(), "concurrency",
                 "needs at least one per-second sample (upstream makes no decision without data)");
    std::vector<double> samples;
    for (std::size_t i = 0; i < array.size(); ++i) {
        const std::string key = "concurrency[" + std::to_string(i) + "]";
        const Json &v = array[i];
        // A million pods of 1000 slots each is far past any deployment.
        if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < 0.0
            || v.get<double>() > 1e9)
            throw InputError(root.source(), std::nullopt, key,
                             "must be a finite number from 0 to 1e9, " + got(v));
        samples.push_back(v.get<double>());
    }
    return samples;
}

nlohmann::ordered_json stateJson(const control::kpa::State &s, double idleS)
{
    nlohmann::ordered_json j = nlohmann::ordered_json::object();
    j["panicking"] = s.panicking;
    j["panic_started_s_ago"] = s.panicStartedSAgo;
    j["max_panic_pods"] = s.maxPanicPods;
    j["idle_s"] = idleS;
    return j;
}

} // namespace

KpaInput parseKpaInput(const std::string &json, const std::string &source)
{
    const Json doc = traffic::parseStrictJson(json, source);
    const Fields root(doc, "", source);
    root.allowOnly({"kpa", "state", "concurrency"});
    KpaInput input;
    if (root.has("kpa"))
        input.config = readConfig(Fields(root.at("kpa"), "kpa", source));
    readState(Fields(root.at("state"), "state", source), input);
    input.inputs.concurrency = readSamples(root);
    return input;
}

std::string kpaDecisionJson(const control::kpa::Decision &d)
{
    nlohmann::ordered_json j;
    j["desired_pods"] = d.desiredPods;
    j["decider_pods"] = d.deciderPods;
    j["stable_concurrency"] = d.stableConcurrency;
    j["panic_concurrency"] = d.panicConcurrency;
    j["target_per_pod"] = d.targetPerPod;
    j["stable_desired"] = d.stableDesired;
    j["panic_desired"] = d.panicDesired;
    j["max_scale_up"] = d.maxScaleUp;
    j["max_scale_down"] = d.maxScaleDown;
    j["panicking"] = d.panicking;
    j["entering_panic"] = d.enteringPanic;
    j["leaving_panic"] = d.leavingPanic;
    j["excess_burst_capacity"] = d.excessBurstCapacity;
    j["next_state"] = stateJson(d.next, d.idleS);
    j["reasons"] = d.reasons;
    return j.dump(2);
}

} // namespace headroom::io
