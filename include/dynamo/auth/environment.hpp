// Where credential, region and settings lookups read the outside world from.
//
// Resolution code never calls getenv() or reads $HOME itself; it asks an Environment. The
// default, process_environment(), reads the real process. Tests inject a MapEnvironment so
// they do not depend on (or disturb) the machine they run on.
//
//   dynamo::auth::MapEnvironment env({{"AWS_REGION", "eu-west-1"}}, "/tmp/fake-home");
//   std::string region = dynamo::auth::resolve_region({}, env);   // "eu-west-1"
#pragma once

#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace dynamo::auth {

class Environment {
 public:
  virtual ~Environment() = default;

  // The value of an environment variable, or nullopt when it is not set. An empty value is
  // returned as an empty string; callers decide whether empty means "unset" (the AWS
  // lookups below treat it so, as the AWS SDKs do).
  [[nodiscard]] virtual std::optional<std::string> variable(std::string_view name) const = 0;

  // The user's home directory (where ~/.aws lives), or nullopt when none can be found.
  [[nodiscard]] virtual std::optional<std::filesystem::path> home_directory() const = 0;
};

// The running process: getenv(), and $HOME falling back to the password database.
[[nodiscard]] const Environment& process_environment();

// A fixed set of variables and a home directory, for tests and for embedding applications
// that keep their configuration elsewhere. When `home` is not given, the "HOME" entry of
// `variables` (if any) is the home directory.
class MapEnvironment final : public Environment {
 public:
  using Variables = std::map<std::string, std::string, std::less<>>;

  explicit MapEnvironment(Variables variables = {}, std::optional<std::filesystem::path> home = std::nullopt);
  // So that MapEnvironment({{"AWS_REGION", "eu-west-1"}}) is not ambiguous with copying.
  MapEnvironment(std::initializer_list<Variables::value_type> variables,
                 std::optional<std::filesystem::path> home = std::nullopt);

  [[nodiscard]] std::optional<std::string> variable(std::string_view name) const override;
  [[nodiscard]] std::optional<std::filesystem::path> home_directory() const override;

 private:
  Variables variables_;
  std::optional<std::filesystem::path> home_;
};

}  // namespace dynamo::auth
