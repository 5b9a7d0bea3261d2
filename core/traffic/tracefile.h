#pragma once

#include "traffic/csvtext.h"
#include "traffic/trace.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace headroom::traffic {

// Which columns of a trace's header the readers use (-1: absent).
struct TraceLayout
{
    TraceKind kind = TraceKind::PerRequest;
    int time = -1;
    bool timeInMs = false; // per-request: timestamp_ms instead of a date and time
    int contextTokens = -1;
    int generatedTokens = -1;
    int count = -1;
};

// Why a header that fits a kind still cannot be read: more than one column could fill a
// role (or both kinds' columns are there), and picking one would silently drop the other.
struct HeaderConflict
{
    int column = -1; // the second of the competing columns, in header order
    std::string problem;
};

// What the header's column names say: a layout, a conflict, or neither (no kind fits).
struct DetectedLayout
{
    std::optional<TraceLayout> layout;
    std::optional<HeaderConflict> conflict;
};

DetectedLayout detectLayout(const CsvHeader &header);

// A trace file read at once: its header, then its data rows one by one, with
// blank lines skipped and counted. Errors name the file and the current line.
class TraceFile
{
public:
    // Throws InputError if the header fits no kind, or not `expected` when given.
    TraceFile(const std::string &path, std::optional<TraceKind> expected);
    TraceFile(const TraceFile &) = delete;
    TraceFile &operator=(const TraceFile &) = delete;

    // Splits the next non-blank row into fields(); false at the end of the file.
    bool nextRow();
    const std::vector<std::string_view> &fields() const { return m_fields; }
    std::string_view field(int column) const { return m_fields[static_cast<std::size_t>(column)]; }
    long line() const { return m_lines.lineNumber(); }

    const std::string &path() const { return m_path; }
    const TraceLayout &layout() const { return m_layout; }
    const CsvHeader &header() const { return m_header; }
    std::optional<std::string> blankLinesNote() const;
    // The header's columns the reader does not use, each named (with the known column it
    // resembles, if any): a typo such as 'GeneratedToken' would otherwise go unmentioned.
    std::optional<std::string> unusedColumnsNote() const;

    // InputError at the current line, naming the column (none if column < 0).
    [[noreturn]] void fail(int column, const std::string &problem) const;
    [[noreturn]] void failAt(long line, int column, const std::string &problem) const;

private:
    std::string_view headerLine();
    TraceLayout checkedLayout(std::optional<TraceKind> expected) const;

    // Declared before the header and layout: headerLine() counts blank lines and
    // checkedLayout() may fail(), which looks at the fields, while those two are made.
    std::vector<std::string_view> m_fields;
    long m_blankLines = 0;
    long m_firstBlankLine = 0;
    std::string m_path;
    std::string m_text;
    CsvLines m_lines;
    CsvHeader m_header;
    TraceLayout m_layout;
};

} // namespace headroom::traffic
