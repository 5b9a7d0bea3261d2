#include "traffic/timestamp.h"

#include <cmath>

#include <cstdio>

namespace headroom::traffic {

namespace {

constexpr std::int64_t kSecondsPerDay = 86400;

// Exactly `count` ASCII digits at `pos`.
bool readDigits(std::string_view text, std::size_t pos, std::size_t count, int &value)
{
    if (pos + count > text.size())
        return false;
    value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        if (text[i] < '0' || text[i] > '9')
            return false;
        value = value * 10 + (text[i] - '0');
    }
    return true;
}

bool isLeapYear(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month)
{
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

struct Civil
{
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
};

bool readCivil(std::string_view text, Civil &c)
{
    return readDigits(text, 0, 4, c.year) && text[4] == '-' && readDigits(text, 5, 2, c.month)
        && text[7] == '-' && readDigits(text, 8, 2, c.day) && (text[10] == ' ' || text[10] == 'T')
        && readDigits(text, 11, 2, c.hour) && text[13] == ':' && readDigits(text, 14, 2, c.minute)
        && text[16] == ':' && readDigits(text, 17, 2, c.second);
}

bool isInRange(const Civil &c)
{
    return c.year >= kMinTimestampYear && c.year <= kMaxTimestampYear;
}

// A real date and time of its year's calendar, whatever the year.
bool isValidCalendarTime(const Civil &c)
{
    return c.month >= 1 && c.month <= 12 && c.day >= 1 && c.day <= daysInMonth(c.year, c.month)
        && c.hour <= 23 && c.minute <= 59 && c.second <= 59;
}

// Hinnant's civil_from_days, the inverse of daysFromCivil.
Civil civilFromDays(std::int64_t days)
{
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    Civil c;
    c.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    c.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    c.year = static_cast<int>(yoe + era * 400 + (c.month <= 2 ? 1 : 0));
    return c;
}

// The fraction after the seconds ("", ".5", ".1234567"), scaled to nanoseconds.
std::optional<std::int64_t> readFraction(std::string_view rest)
{
    if (!rest.empty() && rest.back() == 'Z')
        rest.remove_suffix(1);
    if (rest.empty())
        return 0;
    if (rest.front() != '.' || rest.size() < 2 || rest.size() > 10)
        return std::nullopt;
    std::int64_t ns = 0;
    for (std::size_t i = 1; i < 10; ++i) {
        const char ch = i < rest.size() ? rest[i] : '0';
        if (ch < '0' || ch > '9')
            return std::nullopt;
        ns = ns * 10 + (ch - '0');
    }
    return ns;
}

} // namespace

std::int64_t daysFromCivil(int year, int month, int day)
{
    // Howard Hinnant's days_from_civil: eras of 400 years starting on 1 March.
    const std::int64_t y = year - (month <= 2 ? 1 : 0);
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yearOfEra = y - era * 400;
    const std::int64_t dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const std::int64_t dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
}

std::optional<UnixNs> parseUtcTimestamp(std::string_view text)
{
    Civil c;
    if (text.size() < 19 || !readCivil(text, c) || !isInRange(c) || !isValidCalendarTime(c))
        return std::nullopt;
    const std::optional<std::int64_t> fraction = readFraction(text.substr(19));
    if (!fraction)
        return std::nullopt;
    const std::int64_t seconds = daysFromCivil(c.year, c.month, c.day) * kSecondsPerDay
        + c.hour * 3600 + c.minute * 60 + c.second;
    return seconds * kNsPerSecond + *fraction;
}

std::optional<int> outOfRangeTimestampYear(std::string_view text)
{
    Civil c;
    if (text.size() < 19 || !readCivil(text, c) || isInRange(c) || !isValidCalendarTime(c)
        || !readFraction(text.substr(19)))
        return std::nullopt;
    return c.year;
}

std::string supportedTimestampRange()
{
    return std::to_string(kMinTimestampYear) + "-01-01 00:00:00 to "
        + std::to_string(kMaxTimestampYear) + "-12-31 23:59:59 UTC";
}

std::string formatUtc(UnixNs ns)
{
    const auto floorDiv
        = [](std::int64_t a, std::int64_t b) { return a / b - (a % b < 0 ? 1 : 0); };
    const std::int64_t seconds = floorDiv(ns, kNsPerSecond);
    const std::int64_t days = floorDiv(seconds, kSecondsPerDay);
    const std::int64_t secondOfDay = seconds - days * kSecondsPerDay;
    Civil c = civilFromDays(days);
    c.hour = static_cast<int>(secondOfDay / 3600);
    c.minute = static_cast<int>(secondOfDay / 60 % 60);
    c.second = static_cast<int>(secondOfDay % 60);
    const int millis = static_cast<int>((ns - seconds * kNsPerSecond) / 1'000'000);
    char buffer[48];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d %02d:%02d:%02d.%03d", c.year, c.month,
        c.day, c.hour, c.minute, c.second, millis);
    return buffer;
}

std::string describeSpan(double seconds)
{
    const auto plural = [](long n, const char *unit) {
        return std::to_string(n) + " " + unit + (n == 1 ? "" : "s");
    };
    const double days = seconds / kSecondsPerDay;
    // Past a billion years a count of years would overflow a long (1e300 s read as
    // -9223372036854775808 years): the number itself says it.
    if (!(days < 365.2425 * 1e9))
        return std::isfinite(days) ? "over a billion years" : "an unbounded time";
    if (days >= 365.2425)
        return plural(static_cast<long>(days / 365.2425), "year");
    if (days >= 1.0)
        return plural(static_cast<long>(days), "day");
    if (seconds >= 3600.0)
        return plural(static_cast<long>(seconds / 3600.0), "hour");
    if (seconds >= 120.0)
        return plural(static_cast<long>(seconds / 60.0), "minute");
    return plural(static_cast<long>(seconds), "second");
}

} // namespace headroom::traffic
