#pragma once

#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

// headroom-cli run: one headless experiment, written to --out DIR.
int runRunCommand(const std::vector<std::string> &args, std::ostream &out, std::ostream &err);
// Whether `path` is one of the files run writes, as run wrote it (by its contents, not its
// name alone): a run's summary.json, a timeseries.csv with its header, a comparison chart.
bool isEarlierRunFile(const std::filesystem::path &path);
// headroom-cli scenarios: the built-in scenarios with their descriptions.
int runScenariosCommand(const std::vector<std::string> &args, std::ostream &out,
                        std::ostream &err);
