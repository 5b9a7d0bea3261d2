#include "io/inputerror.h"

#include <sstream>

namespace headroom {

namespace {

// Input quoted back in a message can be anything: NUL bytes cut a C string short, control
// characters and invalid UTF-8 garble a terminal. Those become \xNN; valid UTF-8 stays;
// more than kMaxBytes is cut, with a mark.
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
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
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
        if (valid) {
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
