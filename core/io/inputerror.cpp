#include "io/inputerror.h"

#include <sstream>

namespace headroom {

namespace {

// The code point of the valid UTF-8 sequence of `length` bytes at `at`.
char32_t codePoint(const std::string &text, std::size_t at, std::size_t length)
{
    const auto lead = static_cast<unsigned char>(text[at]);
    char32_t cp = length == 2 ? lead & 0x1f : length == 3 ? lead & 0x0f : lead & 0x07;
    for (std::size_t k = 1; k < length; ++k)
        cp = (cp << 6) | (static_cast<unsigned char>(text[at + k]) & 0x3f);
    return cp;
}

// Input quoted back in a message can be anything: NUL bytes cut a C string short, control
// characters (C0, C1, bidirectional overrides) and invalid UTF-8 garble a terminal. Those
// become \xNN; other valid UTF-8 stays; more than kMaxBytes is cut, with a mark.
std::string printable(const std::string &text)
{
    constexpr std::size_t kMaxBytes = 1000;
    std::string out;
    const auto escape = [&](unsigned char c) {
        static const char *digits = "0123456789abcdef";
        out += "\\x";
        out += digits[c >> 4];
        out += digits[c & 15];
    };
    std::size_t i = 0;
    while (i < text.size() && out.size() < kMaxBytes) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (isHiddenControl(c))
                escape(c);
            else
                out += static_cast<char>(c);
            ++i;
            continue;
        }
        // A UTF-8 sequence: its lead byte says how long, and the rest are 10xxxxxx.
        const std::size_t length = c >= 0xc2 && c <= 0xdf ? 2
            : c >= 0xe0 && c <= 0xef                   ? 3
            : c >= 0xf0 && c <= 0xf4                   ? 4
                                                       : 0; // 0x80-0xc1, 0xf5-0xff never lead
        bool valid = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k)
            valid = (static_cast<unsigned char>(text[i + k]) & 0xc0) == 0x80;
        if (valid && isHiddenControl(codePoint(text, i, length))) {
            // Valid, but a C1 control (U+0080-U+009F: ESC-like codes to a terminal) or a
            // bidirectional override that reorders the text around it: escaped as bytes.
            for (std::size_t k = 0; k < length; ++k)
                escape(static_cast<unsigned char>(text[i + k]));
            i += length;
        } else if (valid) {
            out.append(text, i, length);
            i += length;
        } else {
            escape(c);
            ++i;
        }
    }
    if (i < text.size())
        out += "... (cut)";
    return out;
}

std::string describe(const std::string &file, std::optional<long> row, const std::string &field,
                     const std::string &problem)
{
    std::ostringstream text;
    text << (file.empty() ? std::string("input") : file);
    if (row)
        text << ", row " << *row;
    if (!field.empty())
        text << ", field '" << field << "'";
    text << ": " << problem;
    return text.str();
}

} // namespace

bool isHiddenControl(char32_t cp)
{
    return (cp < 0x20 && cp != U'\n' && cp != U'\t') || (cp >= 0x7f && cp <= 0x9f) || cp == 0x200e
        || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028
        || cp == 0x2029;
}

InputError::InputError(std::string file, std::optional<long> row, std::string field,
                       std::string problem)
    : InputError(Printable {}, printable(file), row, printable(field), printable(problem))
{
}

InputError::InputError(Printable, std::string file, std::optional<long> row, std::string field,
                       std::string problem)
    : std::runtime_error(describe(file, row, field, problem))
    , m_file(std::move(file))
    , m_row(row)
    , m_field(std::move(field))
    , m_problem(std::move(problem))
{
}

} // namespace headroom
