#include "cluster/exposition.h"

#include "io/inputerror.h"

#include <cctype>
#include <cmath>
#include <charconv>
#include <cstdlib>
#include <map>
#include <utility>
#include <sstream>

namespace headroom::cluster {

namespace {

bool nameChar(char c, bool first)
{
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'
        || (!first && std::isdigit(static_cast<unsigned char>(c)));
}

bool matches(const MetricSample &s, const std::map<std::string, std::string> &labels)
{
    for (const auto &[k, v] : labels) {
        const auto it = s.labels.find(k);
        if (it == s.labels.end() || it->second != v)
            return false;
    }
    return true;
}

} // namespace

std::optional<double> parseSampleValue(const std::string &text)
{
    if (text == "+Inf" || text == "Inf")
        return HUGE_VAL;
    if (text == "-Inf")
        return -HUGE_VAL;
    if (text == "NaN")
        return std::nan("");
    // [+-] digits [. digits] [e [+-] digits], with a digit before or after the point.
    std::size_t i = 0;
    const auto digits = [&] {
        const std::size_t start = i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i;
        return i - start;
    };
    if (i < text.size() && (text[i] == '+' || text[i] == '-'))
        ++i;
    const std::size_t numberStart = i;
    std::size_t mantissa = digits();
    if (i < text.size() && text[i] == '.') {
        ++i;
        mantissa += digits();
    }
    if (mantissa == 0)
        return std::nullopt;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-'))
            ++i;
        if (digits() == 0)
            return std::nullopt;
    }
    if (i != text.size())
        return std::nullopt;
    double v = 0.0;
    const auto [end, error] = std::from_chars(text.data() + numberStart, text.data() + text.size(), v);
    if (error != std::errc() || end != text.data() + text.size())
        return std::nullopt; // past a double's range too ("1e999")
    return text[0] == '-' ? -v : v;
}

Exposition Exposition::parse(const std::string &text, const std::string &source)
{
    Exposition e;
    std::istringstream lines(text);
    long lineNo = 0;
    std::map<std::pair<std::string, std::map<std::string, std::string>>, long> seen; // series -> its row
    for (std::string line; std::getline(lines, line);) {
        ++lineNo;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        std::size_t i = 0;
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i == line.size() || line[i] == '#')
            continue;
        const auto bad = [&](const std::string &what) {
            return InputError(source, lineNo, {}, what + ": " + line.substr(0, 200));
        };
        MetricSample s;
        const std::size_t nameStart = i;
        while (i < line.size() && nameChar(line[i], i == nameStart))
            ++i;
        if (i == nameStart)
            throw bad("no metric name");
        s.name = line.substr(nameStart, i - nameStart);
        if (i < line.size() && line[i] == '{') {
            ++i;
            while (true) {
                while (i < line.size() && (line[i] == ' ' || line[i] == ','))
                    ++i;
                if (i < line.size() && line[i] == '}') {
                    ++i;
                    break;
                }
                const std::size_t keyStart = i;
                while (i < line.size() && nameChar(line[i], i == keyStart))
                    ++i;
                if (i == keyStart || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"')
                    throw bad("a label is not name=\"value\"");
                const std::string key = line.substr(keyStart, i - keyStart);
                i += 2;
                std::string value;
                bool closed = false;
                for (; i < line.size(); ++i) {
                    if (line[i] == '\\' && i + 1 < line.size()) {
                        const char next = line[++i];
                        value += next == 'n' ? '\n' : next;
                    } else if (line[i] == '"') {
                        closed = true;
                        ++i;
                        break;
                    } else {
                        value += line[i];
                    }
                }
                if (!closed)
                    throw bad("a label value has no closing quote");
                s.labels[key] = value;
            }
        }
        std::istringstream rest(line.substr(i));
        std::string valueText;
        rest >> valueText;
        const auto value = parseSampleValue(valueText);
        if (!value)
            throw bad("the value '" + valueText + "' is not a number");
        s.value = *value;
        // One value a series: which of two lines for it is right is not known, so the
        // scrape is refused, as Prometheus refuses it.
        const auto [first, isNew] = seen.try_emplace({s.name, s.labels}, lineNo);
        if (!isNew) {
            std::string series = s.name;
            for (const auto &[k, v] : s.labels)
                series += (series.size() == s.name.size() ? "{" : ",") + k + "=\"" + v + "\"";
            if (!s.labels.empty())
                series += "}";
            throw bad("the series " + series + " is given twice (row " + std::to_string(first->second) + " too)");
        }
        e.m_samples.push_back(std::move(s));
    }
    return e;
}

std::optional<double> Exposition::value(const std::string &name,
                                        const std::map<std::string, std::string> &labels) const
{
    for (const MetricSample &s : m_samples) {
        if (s.name == name && matches(s, labels))
            return s.value;
    }
    return std::nullopt;
}

std::optional<double> Exposition::sum(const std::string &name,
                                      const std::map<std::string, std::string> &labels) const
{
    std::optional<double> total;
    for (const MetricSample &s : m_samples) {
        if (s.name == name && matches(s, labels))
            total = total.value_or(0.0) + s.value;
    }
    return total;
}

std::vector<const MetricSample *> Exposition::all(const std::string &name,
                                                  const std::map<std::string, std::string> &labels) const
{
    std::vector<const MetricSample *> found;
    for (const MetricSample &s : m_samples) {
        if (s.name == name && matches(s, labels))
            found.push_back(&s);
    }
    return found;
}

} // namespace headroom::cluster
