#include "dynamo/auth/credentials.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <ostream>
#include <vector>

#include "auth/aws_config.hpp"
#include "dynamo/auth/credential_chain.hpp"
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

// ---- shared helpers (aws_config.hpp) ----------------------------------------------------

namespace detail {

void fail(std::string_view code, std::string message) { throw Error(std::string(code), std::move(message), 400); }

std::optional<std::string> non_empty(const Environment& env, std::string_view name) {
  auto value = env.variable(name);
  if (!value || value->empty()) return std::nullopt;
  return value;
}

namespace {

std::optional<std::filesystem::path> shared_file_path(const Environment& env, std::string_view override_variable,
                                                      std::string_view default_name) {
  if (auto named = non_empty(env, override_variable)) {
    // The SDKs expand a leading "~" in these variables; shells do not when quoted.
    if (*named == "~" || named->starts_with("~/")) {
      if (auto home = env.home_directory()) return *home / named->substr(std::min<std::size_t>(2, named->size()));
    }
    return std::filesystem::path(*named);
  }
  if (auto home = env.home_directory()) return *home / ".aws" / std::string(default_name);
  return std::nullopt;
}

}  // namespace

std::optional<std::filesystem::path> credentials_file_path(const Environment& env) {
  return shared_file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials");
}

std::optional<std::filesystem::path> config_file_path(const Environment& env) {
  return shared_file_path(env, "AWS_CONFIG_FILE", "config");
}

const IniSection* find_section(const IniFile& file, const std::string& name) {
  auto it = file.find(name);
  return it == file.end() ? nullptr : &it->second;
}

// The config file writes "[profile name]", except that the default profile is "[default]"
// (botocore also accepts "[profile default]").
const IniSection* config_profile_section(const IniFile& config, const std::string& profile) {
  if (profile == default_profile) {
    if (const auto* section = find_section(config, profile)) return section;
  }
  return find_section(config, "profile " + profile);
}

std::optional<std::string> setting(const IniSection& section, const std::string& key) {
  auto it = section.find(key);
  if (it == section.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

std::optional<Credentials> credentials_in_section(const IniSection& section, const std::string& where) {
  auto access_key_id = setting(section, "aws_access_key_id");
  auto secret = setting(section, "aws_secret_access_key");
  if (!access_key_id && !secret) return std::nullopt;
  if (!access_key_id || !secret) {
    fail(error_code::missing_authentication_token,
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

SharedFiles SharedFiles::read(const Environment& env) {
  SharedFiles files;
  files.credentials_path = credentials_file_path(env);
  files.config_path = config_file_path(env);
  if (files.credentials_path) files.credentials = read_ini_file(*files.credentials_path);
  if (files.config_path) files.config = read_ini_file(*files.config_path);
  return files;
}

const IniSection* SharedFiles::credentials_section(const std::string& profile) const {
  return credentials ? find_section(*credentials, profile) : nullptr;
}

const IniSection* SharedFiles::config_section(const std::string& profile) const {
  return config ? config_profile_section(*config, profile) : nullptr;
}

bool SharedFiles::defines(const std::string& profile) const {
  return credentials_section(profile) != nullptr || config_section(profile) != nullptr;
}

IniSection SharedFiles::merged(const std::string& profile) const {
  IniSection result;
  if (const auto* section = config_section(profile)) result = *section;
  if (const auto* section = credentials_section(profile)) {
    for (const auto& [key, value] : *section) result[key] = value;
  }
  return result;
}

const IniSection* SharedFiles::config_named(const std::string& name) const {
  return config ? find_section(*config, name) : nullptr;
}

}  // namespace detail

// ---- region and endpoint ------------------------------------------------------------

namespace {

using detail::config_file_path;
using detail::config_profile_section;
using detail::fail;
using detail::non_empty;
using detail::setting;

constexpr std::string_view default_region = "us-east-1";

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

}  // namespace

std::string resolve_profile(const AwsConfigOverrides& given, const Environment& env) {
  if (given.profile && !given.profile->empty()) return *given.profile;
  if (auto from_env = non_empty(env, "AWS_PROFILE")) return *from_env;
  return std::string(detail::default_profile);
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

namespace dynamo::auth {

std::string resolve_endpoint(const AwsConfigOverrides& given, std::string_view region, const Environment& env) {
  if (given.endpoint && !given.endpoint->empty()) return resolve_endpoint(given, region);
  if (auto configured = configured_endpoint("DynamoDB", given, env)) return *configured;
  return resolve_endpoint(given, region);
}

}  // namespace dynamo::auth
