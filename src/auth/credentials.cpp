#include "dynamo/auth/credentials.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <ostream>
#include <vector>

#include "auth/ini.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {

// ---- SecretString -------------------------------------------------------------------

SecretString::SecretString(SecretString&& other) noexcept : value_(std::move(other.value_)) { other.wipe(); }

SecretString& SecretString::operator=(const SecretString& other) {
  if (this != &other) {
    wipe();
    value_ = other.value_;
  }
  return *this;
}

SecretString& SecretString::operator=(SecretString&& other) noexcept {
  if (this != &other) {
    wipe();
    value_ = std::move(other.value_);
    other.wipe();
  }
  return *this;
}

SecretString::~SecretString() { wipe(); }

void SecretString::wipe() noexcept {
  // Over the whole capacity: a moved-from short string keeps its old bytes in the inline
  // buffer beyond size(). Growing within capacity never reallocates, so this cannot throw.
  value_.resize(value_.capacity());
  OPENSSL_cleanse(value_.data(), value_.size());
  value_.clear();
}

std::ostream& operator<<(std::ostream& out, const SecretString& /*secret*/) { return out << "****"; }

std::ostream& operator<<(std::ostream& out, const Credentials& credentials) {
  out << "Credentials{access_key_id=" << credentials.access_key_id << ", secret ****";
  if (credentials.has_session_token()) out << ", session_token ****";
  if (!credentials.source.empty()) out << ", source=" << credentials.source;
  return out << '}';
}

// ---- resolution ---------------------------------------------------------------------

namespace {

constexpr std::string_view default_profile = "default";
constexpr std::string_view default_region = "us-east-1";

[[noreturn]] void fail(std::string_view code, std::string message) {
  throw Error(std::string(code), std::move(message), 400);
}

// The AWS SDKs treat a variable set to "" as not set.
std::optional<std::string> non_empty(const Environment& env, std::string_view name) {
  auto value = env.variable(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

std::optional<std::filesystem::path> shared_file_path(const Environment& env,
                                                      std::string_view override_variable,
                                                      std::string_view default_name) {
  if (auto named = non_empty(env, override_variable)) {
    // The SDKs expand a leading "~" in these variables; shells do not when quoted.
    if (*named == "~" || named->starts_with("~/")) {
      if (auto home = env.home_directory())
        return *home / named->substr(std::min<std::size_t>(2, named->size()));
    }
    return std::filesystem::path(*named);
  }
  if (auto home = env.home_directory()) return *home / ".aws" / std::string(default_name);
  return std::nullopt;
}

std::optional<std::filesystem::path> credentials_file_path(const Environment& env) {
  return shared_file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

std::optional<std::filesystem::path> config_file_path(const Environment& env) {
  return shared_file_path(env, "AWS_CONFIG_FILE", "config");
}

const detail::IniSection* find_section(const detail::IniFile& file, const std::string& name) {
  auto it = file.find(name);
  return it == file.end() ? nullptr : &it->second;
}

// The config file writes "[profile name]", except that the default profile is "[default]"
// (botocore also accepts "[profile default]").
const detail::IniSection* config_profile_section(const detail::IniFile& config, const std::string& profile) {
  if (profile == default_profile) {
    if (const auto* section = find_section(config, profile)) return section;
  }
  return find_section(config, "profile " + profile);
}

std::optional<std::string> setting(const detail::IniSection& section, const std::string& key) {
  auto it = section.find(key);
  if (it == section.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

// Credentials written in one profile section, if it holds any.
std::optional<Credentials> credentials_in_section(const detail::IniSection& section,
                                                  const std::string& where) {
  auto access_key_id = setting(section, "aws_access_key_id");
  auto secret = setting(section, "aws_secret_access_key");
  if (!access_key_id && !secret) return std::nullopt;
  if (!access_key_id || !secret) {
    fail(error_code::missing_credentials,
         where + " has " +
             (access_key_id ? "aws_access_key_id but no aws_secret_access_key"
                            : "aws_secret_access_key but no aws_access_key_id"));
  }
  Credentials credentials{.access_key_id = std::move(*access_key_id),
                          .secret_access_key = std::move(*secret),
                          .session_token = {},
                          .source = where};
  // aws_security_token is the older spelling, still read by botocore.
  if (auto token = setting(section, "aws_session_token"))
    credentials.session_token = std::move(*token);
  else if (auto legacy = setting(section, "aws_security_token"))
    credentials.session_token = std::move(*legacy);
  return credentials;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) joined.append(separator);
    joined.append(part);
  }
  return joined;
}

bool is_plausible_region(std::string_view region) {
  return !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  });
}

std::string checked_region(std::string region, std::string_view source) {
  if (!is_plausible_region(region)) {
    fail(error_code::invalid_configuration, "region '" + region + "' from " + std::string(source) +
                                                " is not a region name (letters, digits and '-' only)");
  }
  return region;
}

std::string profile_origin(const AwsConfigOverrides& given) {
  return given.profile && !given.profile->empty() ? "named in code" : "from AWS_PROFILE";
}

}  // namespace

std::string resolve_profile(const AwsConfigOverrides& given, const Environment& env) {
  if (given.profile && !given.profile->empty()) return *given.profile;
  if (auto from_env = non_empty(env, "AWS_PROFILE")) return *from_env;
  return std::string(default_profile);
}

Credentials resolve_credentials(const AwsConfigOverrides& given, const Environment& env) {
  std::vector<std::string> searched;

  const bool explicit_key = given.access_key_id && !given.access_key_id->empty();
  const bool explicit_secret = given.secret_access_key && !given.secret_access_key->empty();
  if (explicit_key || explicit_secret) {
    if (!explicit_key || !explicit_secret) {
      fail(error_code::missing_credentials, explicit_key
                                                ? "an access key id was given without its secret access key"
                                                : "a secret access key was given without its access key id");
    }
    Credentials credentials{.access_key_id = *given.access_key_id,
                            .secret_access_key = *given.secret_access_key,
                            .session_token = given.session_token.value_or(SecretString{}),
                            .source = "explicit"};
    return credentials;
  }
  searched.emplace_back("explicit values (none given)");

  const std::string profile = resolve_profile(given, env);
  const bool profile_named_in_code = given.profile && !given.profile->empty();
  if (profile_named_in_code) {
    searched.push_back("environment variables (skipped: profile '" + profile + "' was named in code)");
  } else {
    auto access_key_id = non_empty(env, "AWS_ACCESS_KEY_ID");
    auto secret = non_empty(env, "AWS_SECRET_ACCESS_KEY");
    if (access_key_id && secret) {
      Credentials credentials{.access_key_id = std::move(*access_key_id),
                              .secret_access_key = std::move(*secret),
                              .session_token = {},
                              .source = "environment"};
      if (auto token = non_empty(env, "AWS_SESSION_TOKEN")) credentials.session_token = std::move(*token);
      return credentials;
    }
    if (access_key_id || secret) {
      fail(error_code::missing_credentials,
           access_key_id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                         : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    }
    searched.emplace_back("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set)");
  }

  bool profile_exists = false;
  const auto look_in = [&](const std::optional<std::filesystem::path>& path, std::string_view kind,
                           bool config_style) -> std::optional<Credentials> {
    if (!path) {
      searched.push_back(std::string(kind) + " (no home directory to find it in)");
      return std::nullopt;
    }
    const std::string where = std::string(kind) + " " + path->string() + " [" + profile + "]";
    auto file = detail::read_ini_file(*path);
    if (!file) {
      searched.push_back(where + " (file not found)");
      return std::nullopt;
    }
    const detail::IniSection* section =
        config_style ? config_profile_section(*file, profile) : find_section(*file, profile);
    if (section == nullptr) {
      searched.push_back(where + " (no such profile)");
      return std::nullopt;
    }
    profile_exists = true;
    auto credentials = credentials_in_section(*section, where);
    if (!credentials) searched.push_back(where + " (profile has no keys)");
    return credentials;
  };

  const auto credentials_path = credentials_file_path(env);
  const auto config_path = config_file_path(env);
  if (auto found = look_in(credentials_path, "shared credentials file", false)) return std::move(*found);
  if (auto found = look_in(config_path, "config file", true)) return std::move(*found);

  if (!profile_exists && profile != default_profile) {
    fail(error_code::invalid_configuration, "profile '" + profile + "' (" + profile_origin(given) +
                                                ") is defined in neither the shared credentials file nor the "
                                                "config file; looked in: " +
                                                join(searched, "; "));
  }
  fail(error_code::missing_credentials,
       "no AWS credentials found; looked in: " + join(searched, "; ") +
           ". Pass them explicitly, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add them to "
           "~/.aws/credentials");
}

std::string resolve_region(const AwsConfigOverrides& given, const Environment& env) {
  if (given.region && !given.region->empty()) return checked_region(*given.region, "the explicit setting");
  if (auto region = non_empty(env, "AWS_REGION")) return checked_region(*region, "AWS_REGION");
  if (auto region = non_empty(env, "AWS_DEFAULT_REGION"))
    return checked_region(*region, "AWS_DEFAULT_REGION");
  if (auto path = config_file_path(env)) {
    if (auto config = detail::read_ini_file(*path)) {
      const std::string profile = resolve_profile(given, env);
      if (const auto* section = config_profile_section(*config, profile)) {
        if (auto region = setting(*section, "region")) {
          return checked_region(*region, path->string() + " [" + profile + "]");
        }
      }
    }
  }
  return std::string(default_region);
}

std::string resolve_endpoint(const AwsConfigOverrides& given, std::string_view region) {
  if (given.endpoint && !given.endpoint->empty()) {
    const std::string& endpoint = *given.endpoint;
    if (!endpoint.starts_with("http://") && !endpoint.starts_with("https://")) {
      fail(error_code::invalid_configuration,
           "endpoint '" + endpoint + "' must be a URL starting with http:// or https://");
    }
    return endpoint;
  }
  const std::string checked = checked_region(std::string(region), "the region setting");
  // The China partition lives under its own top-level domain.
  const std::string_view suffix = checked.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return "https://dynamodb." + checked + std::string(suffix);
}

}  // namespace dynamo::auth
