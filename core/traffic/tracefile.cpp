#include "traffic/tracefile.h"

#include "io/inputerror.h"
#include "traffic/textfile.h"

namespace headroom::traffic {

namespace {

constexpr const char *kAcceptedHeaders
    = "accepted headers: per-request 'TIMESTAMP' (YYYY-MM-DD HH:MM:SS[.fraction], UTC) or "
      "'timestamp_ms', optionally with 'ContextTokens,GeneratedTokens' or "
      "'input_length,output_length'; per-interval counts: a time column in seconds "
      "('unix_time_s', 'time_s', 'unix_time', 'epoch_s' or 'start_s') and a count column "
      "('requests' or 'count')";

const char *kindName(TraceKind kind)
{
    return kind == TraceKind::PerRequest ? "a per-request trace" : "a per-interval count trace";
}

} // namespace

std::optional<TraceLayout> detectLayout(const CsvHeader &header)
{
    TraceLayout layout;
    layout.contextTokens = header.find({"contexttokens", "input_length"});
    layout.generatedTokens = header.find({"generatedtokens", "output_length"});
    layout.time = header.find({"timestamp"});
    if (layout.time < 0) {
        layout.time = header.find({"timestamp_ms"});
        layout.timeInMs = layout.time >= 0;
    }
    if (layout.time >= 0)
        return layout;
    layout.kind = TraceKind::PerInterval;
    layout.time = header.find({"unix_time_s", "time_s", "unix_time", "epoch_s", "start_s"});
    layout.count = header.find({"requests", "count"});
    if (layout.time >= 0 && layout.count >= 0)
        return layout;
    return std::nullopt;
}

TraceFile::TraceFile(const std::string &path, std::optional<TraceKind> expected)
    : m_path(path)
    , m_text(readTextFile(path))
    , m_lines(m_text)
    , m_header(headerLine())
    , m_layout(checkedLayout(expected))
{
    m_fields.reserve(static_cast<std::size_t>(m_header.size()) + 1);
}

std::string_view TraceFile::headerLine()
{
    std::string_view text;
    while (m_lines.next(text)) {
        if (!isBlankLine(text))
            return text;
        m_firstBlankLine = m_firstBlankLine ? m_firstBlankLine : line();
        ++m_blankLines;
    }
    throw InputError(m_path, std::nullopt, {}, "the file is empty: no header row");
}

TraceLayout TraceFile::checkedLayout(std::optional<TraceKind> expected) const
{
    const std::optional<TraceLayout> layout = detectLayout(m_header);
    if (!layout)
        fail(-1, "unrecognised header '" + m_header.joined() + "'; " + kAcceptedHeaders);
    if (expected && layout->kind != *expected)
        fail(-1,
            std::string("the header says this is ") + kindName(layout->kind) + ", not "
                + kindName(*expected));
    return *layout;
}

bool TraceFile::nextRow()
{
    std::string_view text;
    while (m_lines.next(text)) {
        if (isBlankLine(text)) {
            m_firstBlankLine = m_firstBlankLine ? m_firstBlankLine : line();
            ++m_blankLines;
            continue;
        }
        splitCsvFields(text, m_fields);
        if (static_cast<int>(m_fields.size()) != m_header.size())
            fail(-1,
                "the row has " + std::to_string(m_fields.size()) + " fields, the header has "
                    + std::to_string(m_header.size()));
        return true;
    }
    return false;
}

std::optional<std::string> TraceFile::blankLinesNote() const
{
    if (m_blankLines == 0)
        return std::nullopt;
    return std::to_string(m_blankLines) + " blank line" + (m_blankLines == 1 ? "" : "s")
        + " skipped (first at line " + std::to_string(m_firstBlankLine) + ")";
}

void TraceFile::fail(int column, const std::string &problem) const
{
    failAt(line(), column, problem);
}

void TraceFile::failAt(long line, int column, const std::string &problem) const
{
    throw InputError(m_path, line, column >= 0 ? m_header.name(column) : std::string(), problem);
}

} // namespace headroom::traffic
