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

// The years parseUtcTimestamp() reads, first and last.
inline constexpr int kMinTimestampYear = 1900;
inline constexpr int kMaxTimestampYear = 2199;

// "YYYY-MM-DD HH:MM:SS" ('T' also accepted), then an optional fraction of 1 to
// 9 digits and an optional 'Z'; read as UTC. Years 1900-2199. nullopt if invalid.
std::optional<UnixNs> parseUtcTimestamp(std::string_view text);

// The year of `text` when it is a well-formed date and time that parseUtcTimestamp()
// refuses only for that year (outside kMinTimestampYear to kMaxTimestampYear); else nullopt.
std::optional<int> outOfRangeTimestampYear(std::string_view text);

// "1900-01-01 00:00:00 to 2199-12-31 23:59:59 UTC": what parseUtcTimestamp() reads.
std::string supportedTimestampRange();

// "YYYY-MM-DD HH:MM:SS.mmm" (UTC).
std::string formatUtc(UnixNs ns);

// A span in words, rounded down to its largest unit: "4 years", "12 days", "5 hours",
// "10 minutes" (from 2 minutes), "90 seconds".
std::string describeSpan(double seconds);

} // namespace headroom::traffic
