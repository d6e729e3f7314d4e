// AWS credentials, region and endpoint, found the way the AWS SDKs find them.
//
// Credentials come from the first of these that has them (the AWS SDKs' default chain;
// docs/settings.md lists it with every setting each step reads):
//   1. a provider function or explicit keys given in code (AwsConfigOverrides);
//   2. AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (skipped when the
//      profile is named in code, as botocore does; AWS_PROFILE does not skip them);
//   3. the profile's role_arn with source_profile or credential_source (STS AssumeRole);
//   4. web identity: web_identity_token_file + role_arn of the profile, or
//      AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (STS AssumeRoleWithWebIdentity, EKS IRSA);
//   5. IAM Identity Center (SSO): sso_session or the legacy sso_start_url profile keys;
//   6. keys in the profile's section of ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE);
//   7. the profile's credential_process;
//   8. keys in the profile's section of ~/.aws/config (AWS_CONFIG_FILE; "[profile name]",
//      except "[default]");
//   9. the container credentials endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI:
//      ECS, EKS Pod Identity);
//  10. EC2 instance metadata (IMDSv2), unless AWS_EC2_METADATA_DISABLED=true.
// The profile is the explicit one, else AWS_PROFILE, else "default".
//
// resolve_credentials() below walks the steps that need no network (1, 2, 6, 7, 8) and
// refuses the others with a message saying so: the auth layer has no HTTP client. The
// whole chain, with temporary credentials kept fresh, is resolve_credentials_provider() in
// credential_chain.hpp, to which dynamo::http::credentials_from_environment() hands
// libcurl (the transport's from_environment() uses that).
//
// Region: explicit, AWS_REGION, AWS_DEFAULT_REGION, the profile's `region` in the config
// file, else "us-east-1". Endpoint: explicit (PynamoDB's `host`), else AWS_ENDPOINT_URL_DYNAMODB,
// AWS_ENDPOINT_URL, the profile's `services` section, the profile's `endpoint_url`, else
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

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "dynamo/auth/credential_types.hpp"
#include "dynamo/auth/environment.hpp"
#include "dynamo/error_codes.hpp"

namespace dynamo::auth {

// Error codes raised here (dynamo::Error::code()), from the one list in
// dynamo/error_codes.hpp: missing_authentication_token when no credentials exist anywhere
// or only half of a key pair (the code DynamoDB answers a request without credentials
// with, so one check covers both; the message says which places were searched);
// invalid_configuration for a malformed configuration source; credential_retrieval when a
// configured source failed (credential_process, a metadata endpoint, the SSO token cache).
// Errors answered by STS keep STS's own code (AccessDenied, InvalidIdentityToken, ...).
namespace error_code = dynamo::error_code;

// What the caller stated in code; every field is optional and wins over every other source.
struct AwsConfigOverrides {
  std::optional<std::string> access_key_id{};
  std::optional<SecretString> secret_access_key{};
  std::optional<SecretString> session_token{};
  // A provider of its own: wins over everything else, explicit keys included. The
  // credentials it returns are used until shortly before their expiration. Credentials::
  // source is "custom provider" unless the callback sets it.
  CredentialsCallback credentials_provider{};
  std::optional<std::string> profile{};
  std::optional<std::string> region{};
  // A full URL such as "http://localhost:8000" (PynamoDB's `host` setting).
  std::optional<std::string> endpoint{};
};

// The profile in use: explicit, else AWS_PROFILE, else "default".
[[nodiscard]] std::string resolve_profile(const AwsConfigOverrides& given = {},
                                          const Environment& env = process_environment());

// The credentials to sign with, by the network-free steps of the chain above (a step that
// needs the network, when configured, is an invalid_configuration error saying to use
// resolve_credentials_provider() with an HTTP fetcher). Temporary credentials returned here
// are not refreshed. Throws dynamo::Error with
// error_code::missing_authentication_token (naming every place searched) when none are found or only
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
// (invalid_configuration) when an override lacks its http:// or https:// scheme. Reads no
// environment: the overload below also honours the AWS_ENDPOINT_URL settings.
[[nodiscard]] std::string resolve_endpoint(const AwsConfigOverrides& given, std::string_view region);

// The same, between the explicit override and the regional default also looking at
// AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL and the profile's endpoint settings (see
// configured_endpoint() in credential_chain.hpp).
[[nodiscard]] std::string resolve_endpoint(const AwsConfigOverrides& given, std::string_view region,
                                           const Environment& env);

}  // namespace dynamo::auth
