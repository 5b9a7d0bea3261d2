#include "io/inputerror.h"

#include <sstream>

namespace headroom {

namespace {

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
    : std::runtime_error(describe(file, row, field, problem))
    , m_file(std::move(file))
    , m_row(row)
    , m_field(std::move(field))
    , m_problem(std::move(problem))
{
}

} // namespace headroom
