#include "traffic/tracefile.h"

#include "io/inputerror.h"
#include "traffic/textfile.h"

#include <algorithm>
#include <cctype>
#include <set>

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

// "'a', 'b' and 'c'" (or "'a', 'b', 'c'" with lastJoin ", ").
std::string quotedList(
    const CsvHeader &header, const std::vector<int> &columns, const char *lastJoin = " and ")
{
    std::string text;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        text += i == 0 ? "" : (i + 1 == columns.size() ? lastJoin : ", ");
        text += "'" + header.name(columns[i]) + "'";
    }
    return text;
}

// More than one column for a role: a reader that took the first would ignore the rest
// without a word, so the header is refused instead.
std::optional<HeaderConflict> roleConflict(
    const CsvHeader &header, const std::vector<int> &columns, const std::string &role)
{
    if (columns.size() < 2)
        return std::nullopt;
    const std::string &first = header.name(columns.front());
    const bool sameName = std::all_of(
        columns.begin(), columns.end(), [&](int column) { return header.name(column) == first; });
    if (sameName) {
        const std::string times
            = columns.size() == 2 ? "twice" : std::to_string(columns.size()) + " times";
        return HeaderConflict {columns[1], "'" + first + "' appears " + times};
    }
    return HeaderConflict {columns[1],
        quotedList(header, columns) + (columns.size() == 2 ? " both" : " all") + " name the " + role
            + " column"};
}

// A per-request time column next to per-interval columns: read as per-request, the counts
// would be dropped; read as counts, every request row would be an interval.
HeaderConflict kindConflict(const CsvHeader &header, const std::vector<int> &requestTimes,
    const std::vector<int> &intervalColumns)
{
    std::vector<int> all = requestTimes;
    all.insert(all.end(), intervalColumns.begin(), intervalColumns.end());
    std::sort(all.begin(), all.end());
    const auto plural
        = [](const std::vector<int> &columns) { return columns.size() == 1 ? "" : "s"; };
    return HeaderConflict {all[1],
        std::string("both a per-request time column") + plural(requestTimes) + " ("
            + quotedList(header, requestTimes, ", ") + ") and per-interval column"
            + plural(intervalColumns) + " (" + quotedList(header, intervalColumns, ", ")
            + "): which kind is it?"};
}

// The first of the roles, in order, that more than one column claims.
std::optional<HeaderConflict> firstRoleConflict(const CsvHeader &header,
    std::initializer_list<std::pair<const std::vector<int> *, const char *>> roles)
{
    for (const auto &[columns, role] : roles) {
        if (auto conflict = roleConflict(header, *columns, role))
            return conflict;
    }
    return std::nullopt;
}

// The column names each kind reads, as the accepted headers spell them.
const std::vector<std::string> &knownColumns(TraceKind kind)
{
    static const std::vector<std::string> perRequest {"TIMESTAMP", "timestamp_ms",
        "ContextTokens", "GeneratedTokens", "input_length", "output_length"};
    static const std::vector<std::string> perInterval {
        "unix_time_s", "time_s", "unix_time", "epoch_s", "start_s", "requests", "count"};
    return kind == TraceKind::PerRequest ? perRequest : perInterval;
}

std::string lowered(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(),
        [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return text;
}

// Edits (insert, delete, replace) between two names, ignoring case.
std::size_t editDistance(const std::string &a, const std::string &b)
{
    const std::string x = lowered(a);
    const std::string y = lowered(b);
    std::vector<std::size_t> row(y.size() + 1);
    for (std::size_t j = 0; j <= y.size(); ++j)
        row[j] = j;
    for (std::size_t i = 1; i <= x.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= y.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (x[i - 1] != y[j - 1])});
            diagonal = above;
        }
    }
    return row[y.size()];
}

// The known column a name is a likely typo of (two edits at most, fewer than half its
// letters: "GeneratedToken", "reqests"), or empty.
std::string resembledColumn(const std::string &name, TraceKind kind)
{
    std::string best;
    std::size_t bestDistance = 3;
    for (const std::string &known : knownColumns(kind)) {
        const std::size_t d = editDistance(name, known);
        if (d < bestDistance && 2 * d < known.size()) {
            best = known;
            bestDistance = d;
        }
    }
    return best;
}

} // namespace

DetectedLayout detectLayout(const CsvHeader &header)
{
    const std::vector<int> requestTimes = header.findAll({"timestamp", "timestamp_ms"});
    const std::vector<int> intervalTimes
        = header.findAll({"unix_time_s", "time_s", "unix_time", "epoch_s", "start_s"});
    const std::vector<int> counts = header.findAll({"requests", "count"});
    DetectedLayout detected;
    if (!requestTimes.empty()) {
        std::vector<int> intervalColumns = intervalTimes;
        intervalColumns.insert(intervalColumns.end(), counts.begin(), counts.end());
        std::sort(intervalColumns.begin(), intervalColumns.end());
        if (!intervalColumns.empty()) {
            detected.conflict = kindConflict(header, requestTimes, intervalColumns);
            return detected;
        }
        const std::vector<int> contextTokens = header.findAll({"contexttokens", "input_length"});
        const std::vector<int> generatedTokens
            = header.findAll({"generatedtokens", "output_length"});
        detected.conflict = firstRoleConflict(header,
            {{&requestTimes, "time"}, {&contextTokens, "context token"},
                {&generatedTokens, "generated token"}});
        if (detected.conflict)
            return detected;
        TraceLayout layout;
        layout.time = requestTimes.front();
        layout.timeInMs = header.find({"timestamp_ms"}) == layout.time;
        layout.contextTokens = contextTokens.empty() ? -1 : contextTokens.front();
        layout.generatedTokens = generatedTokens.empty() ? -1 : generatedTokens.front();
        detected.layout = layout;
        return detected;
    }
    if (intervalTimes.empty() || counts.empty())
        return detected;
    detected.conflict = firstRoleConflict(header, {{&intervalTimes, "time"}, {&counts, "count"}});
    if (detected.conflict)
        return detected;
    TraceLayout layout;
    layout.kind = TraceKind::PerInterval;
    layout.time = intervalTimes.front();
    layout.count = counts.front();
    detected.layout = layout;
    return detected;
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
        if (isBlankLine(text)) {
            m_firstBlankLine = m_firstBlankLine ? m_firstBlankLine : line();
            ++m_blankLines;
            continue;
        }
        // Read as it stands, "time, ms" would be two columns and every row a field short.
        const std::string_view quotedComma = quotedSpanWithComma(text);
        if (!quotedComma.empty())
            throw InputError(m_path, line(), {},
                "the header row's quoted field " + std::string(quotedComma)
                    + " holds a comma: quoted fields are not supported (a comma always "
                      "separates fields); name the column without the comma");
        return text;
    }
    throw InputError(m_path, std::nullopt, {}, "the file is empty: no header row");
}

TraceLayout TraceFile::checkedLayout(std::optional<TraceKind> expected) const
{
    const DetectedLayout detected = detectLayout(m_header);
    if (detected.conflict)
        fail(detected.conflict->column, detected.conflict->problem);
    const std::optional<TraceLayout> &layout = detected.layout;
    if (!layout)
        fail(-1,
            "unrecognised header '" + m_header.joined() + "'" + quotesNotReadNote(m_header.joined())
                + "; " + kAcceptedHeaders);
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
        if (static_cast<int>(m_fields.size()) != m_header.size()) {
            const std::string_view quotedComma = quotedSpanWithComma(text);
            fail(-1,
                "the row has " + std::to_string(m_fields.size())
                    + (m_fields.size() == 1 ? " field" : " fields") + ", the header has "
                    + std::to_string(m_header.size())
                    + (quotedComma.empty() ? quotesNotReadNote(text)
                                           : " (quoted fields are not supported: the comma in "
                                               + std::string(quotedComma) + " separates fields)"));
        }
        return true;
    }
    return false;
}

std::optional<std::string> TraceFile::unusedColumnsNote() const
{
    // A lone token column is not read either, but partialTokensNote() says why.
    const std::set<int> read {m_layout.time, m_layout.count, m_layout.contextTokens,
        m_layout.generatedTokens};
    std::vector<std::string> unused;
    for (int column = 0; column < m_header.size(); ++column) {
        if (read.count(column))
            continue;
        const std::string &name = m_header.name(column);
        // The shipped count traces carry the same instant in the log's own zone, for people
        // (resources/traces/README.md): documented, and nothing to warn about.
        if (m_layout.kind == TraceKind::PerInterval && name == "local_time")
            continue;
        const std::string like = resembledColumn(name, m_layout.kind);
        unused.push_back("'" + name + "'" + (like.empty() ? "" : " (like '" + like + "'?)"));
    }
    if (unused.empty())
        return std::nullopt;
    std::string list;
    for (std::size_t i = 0; i < unused.size(); ++i)
        list += (i == 0 ? "" : i + 1 == unused.size() ? " and " : ", ") + unused[i];
    std::string known;
    for (const std::string &name : knownColumns(m_layout.kind))
        known += (known.empty() ? "" : ", ") + name;
    return (unused.size() == 1 ? "column " : "columns ") + list
        + (unused.size() == 1 ? " is" : " are") + " not used (known to "
        + kindName(m_layout.kind) + ": " + known + ")";
}

std::optional<std::string> TraceFile::blankLinesNote() const
{
    if (m_blankLines == 0)
        return std::nullopt;
    return std::to_string(m_blankLines) + " blank line" + (m_blankLines == 1 ? "" : "s")
        + " skipped in the file (first at line " + std::to_string(m_firstBlankLine) + ")";
}

void TraceFile::fail(int column, const std::string &problem) const
{
    // A field the row's quotes left a quote in ("5, or a""b) reads as no number or date: the
    // reason is said with the problem.
    const bool inRow = column >= 0 && static_cast<std::size_t>(column) < m_fields.size();
    failAt(line(), column, problem + (inRow ? quotesNotReadNote(field(column)) : std::string()));
}

void TraceFile::failAt(long line, int column, const std::string &problem) const
{
    throw InputError(m_path, line, column >= 0 ? m_header.name(column) : std::string(), problem);
}

} // namespace headroom::traffic
