#include "dynamo/auth/environment.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <utility>
#include <vector>

namespace dynamo::auth {
namespace {

class ProcessEnvironment final : public Environment {
 public:
  [[nodiscard]] std::optional<std::string> variable(std::string_view name) const override {
    const std::string key(name);
    const char* value = std::getenv(key.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  }

  [[nodiscard]] std::optional<std::filesystem::path> home_directory() const override {
    if (auto home = variable("HOME"); home && !home->empty()) return std::filesystem::path(*home);
    // No $HOME (daemons, some containers): the password database still knows.
    std::vector<char> buffer(16384);
    passwd entry{};
    passwd* found = nullptr;
    if (getpwuid_r(getuid(), &entry, buffer.data(), buffer.size(), &found) == 0 && found != nullptr &&
        found->pw_dir != nullptr) {
      return std::filesystem::path(found->pw_dir);
    }
    return std::nullopt;
  }
};

}  // namespace

const Environment& process_environment() {
  static const ProcessEnvironment environment;
  return environment;
}

MapEnvironment::MapEnvironment(Variables variables, std::optional<std::filesystem::path> home)
    : variables_(std::move(variables)), home_(std::move(home)) {}

MapEnvironment::MapEnvironment(std::initializer_list<Variables::value_type> variables,
                               std::optional<std::filesystem::path> home)
    : variables_(variables), home_(std::move(home)) {}

std::optional<std::string> MapEnvironment::variable(std::string_view name) const {
  auto it = variables_.find(name);
  if (it == variables_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::filesystem::path> MapEnvironment::home_directory() const {
  if (home_) return home_;
  if (auto home = variable("HOME"); home && !home->empty()) return std::filesystem::path(*home);
  return std::nullopt;
}

}  // namespace dynamo::auth
