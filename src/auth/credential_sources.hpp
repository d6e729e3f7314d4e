// The credentials sources that fetch: STS, credential_process, SSO, the container endpoint
// and instance metadata. Internal to the auth layer; credential_chain.cpp decides which one
// applies and wraps it in a RefreshingCredentials.
//
// Each factory checks what it can up front and returns a CredentialsCallback that performs
// one fetch. Everything a fetch needs is copied into it, so it may outlive the Environment.
// Files named by the configuration (web identity token, container token, SSO cache) are
// read on every fetch, because they are rotated while the process runs.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamo/auth/credential_chain.hpp"
#include "dynamo/auth/refreshing_credentials.hpp"

namespace dynamo::auth::detail {

[[noreturn]] void fail_retrieval(std::string message);

// "2019-11-09T13:34:41Z", with optional fractional seconds and a "Z", "UTC", "+hh:mm" or
// "+hhmm" zone. nullopt for anything else.
[[nodiscard]] std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text);

// Reads a whole small file (a token), without its trailing line break. Throws
// credential_retrieval naming `what` and the path when it cannot be read.
[[nodiscard]] std::string read_token_file(const std::filesystem::path& path, std::string_view what);

// ---- STS (sts.cpp) --------------------------------------------------------------------

struct StsEndpoint {
  std::string url;            // "https://sts.eu-west-1.amazonaws.com"
  std::string signing_region;
};

struct WebIdentityConfig {
  std::filesystem::path token_file;
  std::string role_arn;
  std::string session_name;
  StsEndpoint sts;
};

struct AssumeRoleConfig {
  std::string role_arn;
  std::string session_name;
  std::optional<std::string> external_id;
  std::optional<int> duration_seconds;
  StsEndpoint sts;
};

[[nodiscard]] CredentialsCallback web_identity_source(WebIdentityConfig config, HttpFetch fetch);
// Signs with whatever `source` currently holds, so a refreshing source keeps working.
[[nodiscard]] CredentialsCallback assume_role_source(AssumeRoleConfig config,
                                                     std::shared_ptr<RefreshingCredentials> source,
                                                     HttpFetch fetch);

// ---- credential_process (credential_process.cpp) -----------------------------------------

// Splits `command` as a POSIX shell would split words (quotes, backslashes; no expansion),
// which is what botocore does before running it without a shell.
[[nodiscard]] std::vector<std::string> split_command(std::string_view command);

[[nodiscard]] CredentialsCallback process_source(std::string command, std::string profile);

// ---- SSO, container endpoint, instance metadata (remote_sources.cpp) --------------------

struct SsoConfig {
  std::filesystem::path cache_file;  // ~/.aws/sso/cache/<sha1>.json
  std::string account_id;
  std::string role_name;
  std::string portal_url;   // "https://portal.sso.<region>.amazonaws.com"
  std::string description;  // "sso-session 'corp'" or "sso_start_url https://..."
};
[[nodiscard]] CredentialsCallback sso_source(SsoConfig config, HttpFetch fetch);
// The cache file name the AWS CLI writes for a session name or legacy start URL.
[[nodiscard]] std::string sso_cache_file_name(std::string_view key);

struct ContainerConfig {
  std::string url;
  std::optional<std::filesystem::path> token_file;  // wins over `token`
  std::optional<std::string> token;
};
[[nodiscard]] CredentialsCallback container_source(ContainerConfig config, HttpFetch fetch);
// Whether AWS_CONTAINER_CREDENTIALS_FULL_URI may name this URL: https anywhere; plain http
// only to loopback or the ECS (169.254.170.2) and EKS (169.254.170.23, fd00:ec2::23) hosts.
[[nodiscard]] bool container_url_allowed(std::string_view url);

struct ImdsConfig {
  std::string endpoint;  // "http://169.254.169.254"
  std::chrono::milliseconds timeout{1000};
  int attempts = 1;
  bool v1_disabled = false;
};
[[nodiscard]] CredentialsCallback imds_source(ImdsConfig config, HttpFetch fetch);

}  // namespace dynamo::auth::detail
