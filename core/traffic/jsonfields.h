#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::traffic {

// Parses JSON strictly: a syntax error, an out-of-range number or a key given
// twice in one object throws InputError naming `source`, the byte position
// and, where known, the field path.
nlohmann::json parseStrictJson(const std::string &text, const std::string &source);

// Reads the fields of one JSON object; every error names the source and the
// field's path, e.g. "segments[2].end_s".
class JsonFields
{
public:
    // Throws InputError if `object` is not a JSON object.
    JsonFields(const nlohmann::json &object, std::string path, std::string source);

    // Throws InputError naming the first key not in `keys`.
    void allowOnly(std::initializer_list<std::string_view> keys) const;
    bool has(std::string_view key) const;

    // Without a fallback the key is required.
    std::string text(std::string_view key, std::optional<std::string> fallback = {}) const;
    double number(std::string_view key, std::optional<double> fallback = {}) const;
    long long integer(std::string_view key, long long fallback, long long min, long long max) const;
    // A seed: a whole number from 0 to 2^64 - 1, read exactly (not through a double).
    std::uint64_t seed(std::string_view key, std::uint64_t fallback) const;
    bool boolean(std::string_view key, bool fallback) const;
    JsonFields object(std::string_view key) const;
    std::vector<JsonFields> objects(std::string_view key) const;

    std::string fieldPath(std::string_view key) const;
    void require(bool ok, std::string_view key, const std::string &problem) const;
    [[noreturn]] void fail(std::string_view key, const std::string &problem) const;

private:
    const nlohmann::json &value(std::string_view key) const;

    const nlohmann::json &m_object;
    std::string m_path;
    std::string m_source;
};

// A number as a message shows it: "5", "0.25", "1e+06"; all its digits where six would
// round it ("1000000001", "50000.0001").
std::string numberText(double value);

// A count and its noun, singular for one: "1 request", "3 requests" (the noun takes an s).
std::string counted(long long n, const char *noun);

} // namespace headroom::traffic
