#pragma once

#include <span>
#include <string_view>

namespace headroom::traffic {

// One resources/scenarios/*.json file, compiled in by core/traffic/CMakeLists.txt.
struct BuiltinScenarioText
{
    std::string_view name; // the file name without ".json"
    std::string_view json;
};

// In file-name order. Defined in the generated builtinscenarios.cpp.
std::span<const BuiltinScenarioText> builtinScenarioTexts();

} // namespace headroom::traffic
