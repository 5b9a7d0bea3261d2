#include "traffic/jsonfields.h"

#include "io/inputerror.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>

namespace headroom::traffic {

namespace {

using Json = nlohmann::json;

// The deepest nesting read (scenarios, HPA and KPA inputs, recorded runs, workspaces).
constexpr std::size_t kMaxJsonDepth = 64;

// A first, validating pass over the text: nlohmann's DOM parser keeps the last
// of two equal keys silently and reports an overflowing number without a path.

class StrictChecker : public nlohmann::json_sax<Json>
{
public:
    bool null() override { return value(); }
    bool boolean(bool) override { return value(); }
    bool number_integer(number_integer_t) override { return value(); }
    bool number_unsigned(number_unsigned_t) override { return value(); }
    bool number_float(number_float_t, const string_t &) override { return value(); }
    bool string(string_t &) override { return value(); }
    bool binary(binary_t &) override { return value(); }
    bool start_object(std::size_t) override { return open(false); }
    bool start_array(std::size_t) override { return open(true); }
    bool end_object() override { return close(); }
    bool end_array() override { return close(); }
    bool key(string_t &key) override;
    bool parse_error(std::size_t position, const std::string &,
        const nlohmann::detail::exception &error) override;

    std::string path() const;

    std::string problem;
    std::string problemPath;

private:
    struct Frame
    {
        bool isArray = false;
        long index = -1;
        std::string key;
        std::set<std::string> keys;
    };

    bool value();
    bool open(bool isArray);
    bool close();

    std::vector<Frame> m_frames;
};

bool StrictChecker::value()
{
    if (!m_frames.empty() && m_frames.back().isArray)
        ++m_frames.back().index;
    return true;
}

bool StrictChecker::open(bool isArray)
{
    value();
    // Walking a value nested thousands deep (to strip comments, to copy or print it) would
    // overflow the stack; no file Headroom reads nests more than a few levels.
    if (m_frames.size() >= kMaxJsonDepth) {
        problemPath = path();
        problem = "nested more than " + std::to_string(kMaxJsonDepth) + " levels deep";
        return false;
    }
    m_frames.push_back({isArray, -1, {}, {}});
    return true;
}

bool StrictChecker::close()
{
    m_frames.pop_back();
    return true;
}

bool StrictChecker::key(string_t &key)
{
    Frame &frame = m_frames.back();
    frame.key = key;
    if (frame.keys.insert(key).second)
        return true;
    problem = "the key appears twice in one object";
    problemPath = path();
    return false;
}

bool StrictChecker::parse_error(
    std::size_t position, const std::string &, const nlohmann::detail::exception &error)
{
    problem = "malformed JSON at byte " + std::to_string(position) + ": " + error.what();
    // 406 is a number out of double range: name its field, the rest is syntax.
    if (error.id == 406)
        problemPath = path();
    return false;
}

std::string StrictChecker::path() const
{
    std::string text;
    for (const Frame &frame : m_frames) {
        if (frame.isArray && frame.index >= 0)
            text.append(1, '[').append(std::to_string(frame.index)).append(1, ']');
        else if (!frame.isArray && !frame.key.empty())
            text += (text.empty() ? "" : ".") + frame.key;
    }
    return text;
}

std::string typeText(const Json &value)
{
    return std::string("got ")
        + (value.is_number() ? "the number " + value.dump() : value.type_name());
}

} // namespace

std::string numberText(double value)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", value);
    // Six digits unless they round the value: "got 1e+09" against "at most 1e+09" for
    // 1000000001 contradicted itself. Then the shortest text that reads back exactly.
    if (!std::isfinite(value) || std::strtod(buffer, nullptr) == value)
        return buffer;
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value);
    return ec == std::errc() ? std::string(buffer, end) : std::string(buffer);
}

std::string counted(long long n, const char *noun)
{
    return std::to_string(n) + " " + noun + (n == 1 ? "" : "s");
}

Json parseStrictJson(const std::string &text, const std::string &source)
{
    StrictChecker checker;
    if (!Json::sax_parse(text, &checker))
        throw InputError(source, std::nullopt, checker.problemPath, checker.problem);
    return Json::parse(text);
}

JsonFields::JsonFields(const Json &object, std::string path, std::string source)
    : m_object(object)
    , m_path(std::move(path))
    , m_source(std::move(source))
{
    if (!m_object.is_object())
        throw InputError(
            m_source, std::nullopt, m_path, "must be a JSON object, " + typeText(object));
}

void JsonFields::allowOnly(std::initializer_list<std::string_view> keys) const
{
    for (const auto &item : m_object.items()) {
        if (std::find(keys.begin(), keys.end(), item.key()) != keys.end())
            continue;
        std::string allowed;
        for (std::string_view key : keys)
            allowed += (allowed.empty() ? "" : ", ") + std::string(key);
        fail(item.key(), "unknown key (a typo?); allowed here: " + allowed);
    }
}

bool JsonFields::has(std::string_view key) const
{
    return m_object.contains(std::string(key));
}

const Json &JsonFields::value(std::string_view key) const
{
    const auto it = m_object.find(std::string(key));
    if (it == m_object.end())
        fail(key, "is missing");
    return *it;
}

std::string JsonFields::text(std::string_view key, std::optional<std::string> fallback) const
{
    if (fallback && !has(key))
        return *fallback;
    const Json &v = value(key);
    require(v.is_string(), key, "must be a string, " + typeText(v));
    return v.get<std::string>();
}

double JsonFields::number(std::string_view key, std::optional<double> fallback) const
{
    if (fallback && !has(key))
        return *fallback;
    const Json &v = value(key);
    require(v.is_number(), key, "must be a number, " + typeText(v));
    const double result = v.get<double>();
    require(std::isfinite(result), key, "must be a finite number");
    return result;
}

long long JsonFields::integer(
    std::string_view key, long long fallback, long long min, long long max) const
{
    if (!has(key))
        return fallback;
    const double result = number(key);
    require(result == std::floor(result), key, "must be a whole number, " + typeText(value(key)));
    const std::string range = "between " + std::to_string(min) + " and " + std::to_string(max);
    require(result >= static_cast<double>(min) && result <= static_cast<double>(max), key,
        "must be " + range + ", " + typeText(value(key)));
    return value(key).is_number_unsigned()
        ? static_cast<long long>(value(key).get<unsigned long long>())
        : static_cast<long long>(result);
}

std::uint64_t JsonFields::seed(std::string_view key, std::uint64_t fallback) const
{
    if (!has(key))
        return fallback;
    const Json &v = value(key);
    if (v.is_number_unsigned())
        return v.get<std::uint64_t>();
    const std::string range = "a whole number from 0 to 18446744073709551615";
    require(v.is_number(), key, "must be " + range + ", " + typeText(v));
    const double d = v.get<double>();
    // Below 2^64 as a double: whole numbers written with an exponent (1e6).
    require(v.is_number_float() && d >= 0.0 && d < 18446744073709551616.0 && d == std::floor(d),
        key, "must be " + range + ", " + typeText(v));
    return static_cast<std::uint64_t>(d);
}

bool JsonFields::boolean(std::string_view key, bool fallback) const
{
    if (!has(key))
        return fallback;
    require(value(key).is_boolean(), key, "must be true or false, " + typeText(value(key)));
    return value(key).get<bool>();
}

JsonFields JsonFields::object(std::string_view key) const
{
    return JsonFields(value(key), fieldPath(key), m_source);
}

std::vector<JsonFields> JsonFields::objects(std::string_view key) const
{
    const Json &array = value(key);
    require(array.is_array(), key, "must be an array of objects, " + typeText(array));
    std::vector<JsonFields> result;
    for (std::size_t i = 0; i < array.size(); ++i)
        result.emplace_back(array[i], fieldPath(key) + "[" + std::to_string(i) + "]", m_source);
    return result;
}

std::string JsonFields::fieldPath(std::string_view key) const
{
    return m_path.empty() ? std::string(key) : m_path + "." + std::string(key);
}

void JsonFields::require(bool ok, std::string_view key, const std::string &problem) const
{
    if (!ok)
        fail(key, problem);
}

void JsonFields::fail(std::string_view key, const std::string &problem) const
{
    throw InputError(m_source, std::nullopt, fieldPath(key), problem);
}

} // namespace headroom::traffic
