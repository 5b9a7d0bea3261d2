#include "traffic/csvtext.h"

#include <algorithm>

namespace headroom::traffic {

namespace {

std::string_view trimmed(std::string_view text)
{
    const auto blank = [](char ch) { return ch == ' ' || ch == '\t'; };
    while (!text.empty() && blank(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && blank(text.back()))
        text.remove_suffix(1);
    return text;
}

std::string_view unquoted(std::string_view text)
{
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"')
        return trimmed(text.substr(1, text.size() - 2));
    return text;
}

} // namespace

std::string lowerCase(std::string_view text)
{
    std::string lower(text);
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char ch) {
        return static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    });
    return lower;
}

CsvLines::CsvLines(std::string_view text)
    : m_text(text)
{
    if (m_text.substr(0, 3) == "\xEF\xBB\xBF")
        m_pos = 3;
}

bool CsvLines::next(std::string_view &line)
{
    if (m_pos >= m_text.size())
        return false;
    std::size_t end = m_text.find('\n', m_pos);
    if (end == std::string_view::npos)
        end = m_text.size();
    line = m_text.substr(m_pos, end - m_pos);
    if (!line.empty() && line.back() == '\r')
        line.remove_suffix(1);
    m_pos = end + 1;
    ++m_lineNumber;
    return true;
}

void splitCsvFields(std::string_view line, std::vector<std::string_view> &fields)
{
    fields.clear();
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = line.find(',', start);
        const std::size_t end = comma == std::string_view::npos ? line.size() : comma;
        fields.push_back(unquoted(trimmed(line.substr(start, end - start))));
        if (comma == std::string_view::npos)
            return;
        start = comma + 1;
    }
}

bool isBlankLine(std::string_view line)
{
    return trimmed(line).empty();
}

std::string_view quotedSpanWithComma(std::string_view line)
{
    std::size_t open = line.find('"');
    while (open != std::string_view::npos) {
        const std::size_t close = line.find('"', open + 1);
        if (close == std::string_view::npos)
            return {};
        const std::string_view span = line.substr(open, close - open + 1);
        if (span.find(',') != std::string_view::npos)
            return span;
        open = line.find('"', close + 1);
    }
    return {};
}

std::string quotesNotReadNote(std::string_view text)
{
    if (text.find('"') == std::string_view::npos)
        return {};
    return " (double quotes are not read: CSV quoting is not supported, only one pair around a "
           "whole field is trimmed off)";
}

CsvHeader::CsvHeader(std::string_view line)
{
    std::vector<std::string_view> fields;
    splitCsvFields(line, fields);
    for (std::string_view field : fields) {
        m_names.emplace_back(field);
        m_lowerNames.push_back(lowerCase(field));
    }
}

int CsvHeader::find(std::initializer_list<std::string_view> names) const
{
    for (std::string_view name : names) {
        const auto it = std::find(m_lowerNames.begin(), m_lowerNames.end(), name);
        if (it != m_lowerNames.end())
            return static_cast<int>(it - m_lowerNames.begin());
    }
    return -1;
}

std::vector<int> CsvHeader::findAll(std::initializer_list<std::string_view> names) const
{
    std::vector<int> columns;
    for (std::size_t i = 0; i < m_lowerNames.size(); ++i) {
        if (std::find(names.begin(), names.end(), m_lowerNames[i]) != names.end())
            columns.push_back(static_cast<int>(i));
    }
    return columns;
}

std::string CsvHeader::joined() const
{
    std::string text;
    for (const std::string &name : m_names)
        text += (text.empty() ? "" : ",") + name;
    return text;
}

} // namespace headroom::traffic
