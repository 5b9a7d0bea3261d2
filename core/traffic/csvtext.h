#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace headroom::traffic {

// Walks the lines of a whole CSV text without copying: skips a UTF-8 BOM,
// accepts \n and \r\n, and keeps a last line that has no newline.
class CsvLines
{
public:
    explicit CsvLines(std::string_view text);

    // The next line without its line end; false at the end of the text.
    bool next(std::string_view &line);
    // 1-based number of the line last returned.
    long lineNumber() const { return m_lineNumber; }

private:
    std::string_view m_text;
    std::size_t m_pos = 0;
    long m_lineNumber = 0;
};

// ASCII letters lowered, as header names are matched.
std::string lowerCase(std::string_view text);

// Splits a line at commas; each field is trimmed of blanks and one pair of
// surrounding double quotes. `fields` is reused to avoid allocating per row.
void splitCsvFields(std::string_view line, std::vector<std::string_view> &fields);

bool isBlankLine(std::string_view line);

// The first double-quoted span of `line` ("time, ms", quotes included) that holds a comma,
// which splitCsvFields() would cut in two: CSV quoting is not read, a quote pair is only
// trimmed off a field. Empty when there is none.
std::string_view quotedSpanWithComma(std::string_view line);

// What a double quote left in `text` (a field, a header name or a whole row) means to a
// reader that does not read CSV quoting, as a clause to append to its problem: " (double
// quotes are not read: ...)". Empty when `text` has no double quote.
std::string quotesNotReadNote(std::string_view text);

// The header row's column names, matched case-insensitively.
class CsvHeader
{
public:
    explicit CsvHeader(std::string_view line);

    // Index of the first column named like one of `names` (lower case), or -1.
    int find(std::initializer_list<std::string_view> names) const;
    // Every column named like one of `names`, in column order: more than one means
    // the header gives a role to several columns, which a reader must not choose between.
    std::vector<int> findAll(std::initializer_list<std::string_view> names) const;
    const std::string &name(int column) const { return m_names[static_cast<std::size_t>(column)]; }
    int size() const { return static_cast<int>(m_names.size()); }
    std::string joined() const;

private:
    std::vector<std::string> m_names;
    std::vector<std::string> m_lowerNames;
};

} // namespace headroom::traffic
