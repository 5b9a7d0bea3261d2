#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace headroom::traffic {

// Nanoseconds since 1970-01-01 00:00:00 UTC: exact for 9 fractional digits.
using UnixNs = std::int64_t;

inline constexpr UnixNs kNsPerSecond = 1'000'000'000;

// Days since 1970-01-01 of a proleptic Gregorian date.
std::int64_t daysFromCivil(int year, int month, int day);

// "YYYY-MM-DD HH:MM:SS" ('T' also accepted), then an optional fraction of 1 to
// 9 digits and an optional 'Z'; read as UTC. Years 1900-2199. nullopt if invalid.
std::optional<UnixNs> parseUtcTimestamp(std::string_view text);

// "YYYY-MM-DD HH:MM:SS.mmm" (UTC).
std::string formatUtc(UnixNs ns);

// A long span in words: "4 years", "12 days", "5 hours".
std::string describeSpan(double seconds);

} // namespace headroom::traffic
