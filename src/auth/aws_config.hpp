// Reading the AWS shared files and environment the way every lookup of the auth layer
// does. Internal: credentials.cpp (region, endpoint) and credential_chain.cpp (credentials)
// share it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/ini.hpp"
#include "dynamo/auth/credentials.hpp"
#include "dynamo/auth/environment.hpp"

namespace dynamo::auth::detail {

inline constexpr std::string_view default_profile = "default";

[[noreturn]] void fail(std::string_view code, std::string message);

// The variable's value; the AWS SDKs treat a variable set to "" as not set.
[[nodiscard]] std::optional<std::string> non_empty(const Environment& env, std::string_view name);

[[nodiscard]] std::optional<std::filesystem::path> credentials_file_path(const Environment& env);
[[nodiscard]] std::optional<std::filesystem::path> config_file_path(const Environment& env);

[[nodiscard]] const IniSection* find_section(const IniFile& file, const std::string& name);
// "[profile name]", or "[default]" for the default profile.
[[nodiscard]] const IniSection* config_profile_section(const IniFile& config, const std::string& profile);
// A key's value, nullopt when absent or empty.
[[nodiscard]] std::optional<std::string> setting(const IniSection& section, const std::string& key);

// Keys written in one profile section, if it holds any; half a pair is an error naming
// `where`.
[[nodiscard]] std::optional<Credentials> credentials_in_section(const IniSection& section, const std::string& where);

[[nodiscard]] std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Both shared files, read once, and the merged view of one profile that botocore calls
// the "full config": the config file's section with the credentials file's keys on top.
struct SharedFiles {
  std::optional<std::filesystem::path> credentials_path;
  std::optional<std::filesystem::path> config_path;
  std::optional<IniFile> credentials;
  std::optional<IniFile> config;

  // Throws invalid_configuration for a malformed file.
  [[nodiscard]] static SharedFiles read(const Environment& env);
  [[nodiscard]] const IniSection* credentials_section(const std::string& profile) const;
  [[nodiscard]] const IniSection* config_section(const std::string& profile) const;
  [[nodiscard]] bool defines(const std::string& profile) const;
  [[nodiscard]] IniSection merged(const std::string& profile) const;
  // A non-profile config section such as "sso-session corp" or "services local".
  [[nodiscard]] const IniSection* config_named(const std::string& name) const;
};

}  // namespace dynamo::auth::detail
