#pragma once

#include <optional>
#include <stdexcept>
#include <string>

namespace headroom {

// Characters a terminal or a page acts on instead of showing: C0 controls but line feed and
// tab, DEL, C1 controls, bidirectional marks, embeddings, overrides and isolates, and line and
// paragraph separators. Messages (InputError) and reports show them as codes.
bool isHiddenControl(char32_t cp);

// Bad input (scenario, trace, model, command line): says which file, row and
// field is wrong. Callers show what() as is; the CLI maps it to exit code 2.
class InputError : public std::runtime_error
{
public:
    InputError(std::string file, std::optional<long> row, std::string field, std::string problem);

    const std::string &file() const { return m_file; }
    std::optional<long> row() const { return m_row; }
    const std::string &field() const { return m_field; }
    const std::string &problem() const { return m_problem; }

private:
    struct Printable { }; // the texts are already made printable
    InputError(Printable, std::string file, std::optional<long> row, std::string field,
               std::string problem);

    std::string m_file;
    std::optional<long> m_row;
    std::string m_field;
    std::string m_problem;
};

} // namespace headroom
