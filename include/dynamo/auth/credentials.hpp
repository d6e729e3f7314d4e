// AWS credentials, region and endpoint, found the way the AWS SDKs find them.
//
// Credentials: explicit values; else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
// AWS_SESSION_TOKEN; else the profile's section of the shared credentials file
// (~/.aws/credentials, or AWS_SHARED_CREDENTIALS_FILE); else the profile's section of the
// config file (~/.aws/config, or AWS_CONFIG_FILE, where sections read `[profile name]`
// except `[default]`). The profile is the explicit one, else AWS_PROFILE, else "default".
// As in botocore, a profile named in code skips the environment variables (the caller
// asked for that profile), while AWS_PROFILE does not.
//
// Region: explicit, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region` in the config
// file, else "us-east-1". Endpoint: explicit (PynamoDB's `host`), else
// https://dynamodb.<region>.amazonaws.com (".com.cn" for the China regions).
//
// Secrets are held in SecretString, which prints as "****": a Credentials object can be
// logged safely, and no error message built here ever contains a secret.
//
//   auto creds = dynamo::auth::resolve_credentials({.profile = "staging"});
//   std::clog << creds << '\n';  // Credentials{access_key_id=AKIA..., secret ****, source=...}
//   std::string region = dynamo::auth::resolve_region({.profile = "staging"});
//   std::string endpoint = dynamo::auth::resolve_endpoint({}, region);
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "dynamo/auth/environment.hpp"

namespace dynamo::auth {

// Error codes raised by this header (dynamo::Error::code()).
namespace error_code {
// No credentials anywhere, or only half of a key pair. The same code DynamoDB answers a
// request that carries no credentials with, so callers handle both cases with one check;
// the message says which places were searched.
inline constexpr std::string_view missing_credentials = "MissingAuthenticationTokenException";
// A configuration source (AWS config/credentials file, settings file, explicit value) is
// malformed or names something that does not exist. Never sent by DynamoDB: a client-side
// code, raised before any request is made.
inline constexpr std::string_view invalid_configuration = "InvalidConfiguration";
}  // namespace error_code

// A string that must not be printed: operator<< writes "****", and the bytes are wiped
// when the object dies. reveal() is the one deliberate way to read it.
class SecretString {
 public:
  SecretString() = default;
  SecretString(std::string value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  SecretString(const char* value) : value_(value) {}             // NOLINT: implicit on purpose
  SecretString(const SecretString&) = default;
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString();

  [[nodiscard]] const std::string& reveal() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

  friend std::ostream& operator<<(std::ostream& out, const SecretString& secret);

 private:
  void wipe() noexcept;
  std::string value_;
};

// One set of AWS credentials. An empty session_token means long-term credentials.
struct Credentials {
  std::string access_key_id{};
  SecretString secret_access_key{};
  SecretString session_token{};
  // Where these came from ("explicit", "environment", "shared credentials file <path> [p]"),
  // so a wrong-account problem can be traced without printing a secret.
  std::string source{};

  [[nodiscard]] bool has_session_token() const noexcept { return !session_token.empty(); }

  // Prints the access key id and the source; the secret and token show as "****".
  friend std::ostream& operator<<(std::ostream& out, const Credentials& credentials);
};

// What the caller stated in code; every field is optional and wins over every other source.
struct AwsConfigOverrides {
  std::optional<std::string> access_key_id{};
  std::optional<SecretString> secret_access_key{};
  std::optional<SecretString> session_token{};
  std::optional<std::string> profile{};
  std::optional<std::string> region{};
  // A full URL such as "http://localhost:8000" (PynamoDB's `host` setting).
  std::optional<std::string> endpoint{};
};

// The profile in use: explicit, else AWS_PROFILE, else "default".
[[nodiscard]] std::string resolve_profile(const AwsConfigOverrides& given = {},
                                          const Environment& env = process_environment());

// The credentials to sign with, by the chain above. Throws dynamo::Error with
// error_code::missing_credentials (naming every place searched) when none are found or only
// half a key pair is, and error_code::invalid_configuration for a malformed file or a
// profile (from code or AWS_PROFILE) that neither file defines.
[[nodiscard]] Credentials resolve_credentials(const AwsConfigOverrides& given = {},
                                              const Environment& env = process_environment());

// The region, by the chain above. Throws dynamo::Error (invalid_configuration) when the
// chosen value is not a plausible region name (letters, digits and '-'), since it becomes
// part of a host name.
[[nodiscard]] std::string resolve_region(const AwsConfigOverrides& given = {},
                                         const Environment& env = process_environment());

// The endpoint URL for `region`, or the explicit override. Throws dynamo::Error
// (invalid_configuration) when an override lacks its http:// or https:// scheme.
[[nodiscard]] std::string resolve_endpoint(const AwsConfigOverrides& given, std::string_view region);

}  // namespace dynamo::auth
