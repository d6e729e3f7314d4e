// The default credentials chain: which source applies, in the AWS SDKs' order.
//
// The order is botocore's (create_credential_resolver): environment, assume role (role_arn
// with source_profile or credential_source), web identity, SSO, the shared credentials
// file, credential_process, the config file, the container endpoint, instance metadata.
// A source that is configured but fails is an error, not a reason to try the next one
// (credentials from an unexpected account are worse than none), except instance metadata,
// which is the last resort and only says "not on EC2" when nothing answers.
//
// Why this lives in the auth layer and the HTTP client does not: ordering, profile rules
// and caching are policy that tests pin without sockets, and the auth layer must not link
// libcurl (the server, which only verifies signatures, links auth). The network sources
// receive an HttpFetch; dynamo::http::credentials_from_environment() passes libcurl.
#include "dynamo/auth/credential_chain.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>
#include <vector>

#include "auth/aws_config.hpp"
#include "auth/credential_sources.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

using detail::fail;
using detail::IniSection;
using detail::non_empty;
using detail::setting;
using detail::SharedFiles;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return text;
}

bool is_true(const std::optional<std::string>& value) { return value && lower(*value) == "true"; }

std::string checked_url(std::string url, const std::string& where) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    fail(error_code::invalid_configuration,
         where + " is '" + url + "', which is not a URL starting with http:// or https://");
  }
  while (url.size() > 8 && url.back() == '/') url.pop_back();
  return url;
}

std::shared_ptr<RefreshingCredentials> fixed(Credentials credentials, const RefreshTiming& timing) {
  return std::make_shared<RefreshingCredentials>(
      [credentials = std::move(credentials)] { return ExpiringCredentials{.credentials = credentials, .expiration = {}}; },
      timing);
}

// The regions where AWS_STS_REGIONAL_ENDPOINTS=legacy means the global endpoint.
constexpr std::array<std::string_view, 16> legacy_sts_regions = {
    "ap-northeast-1", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "aws-global", "ca-central-1",
    "eu-central-1",   "eu-north-1", "eu-west-1",      "eu-west-2",      "eu-west-3",  "sa-east-1",
    "us-east-1",      "us-east-2",  "us-west-1",      "us-west-2"};

std::string default_session_name() {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return "dynamo-cpp-" + std::to_string(seconds);
}

class Chain {
 public:
  Chain(const AwsConfigOverrides& given, const Environment& env, const CredentialChainOptions& options)
      : given_(given),
        env_(env),
        options_(options),
        profile_(resolve_profile(given, env)),
        named_in_code_(given.profile && !given.profile->empty()) {}

  std::shared_ptr<RefreshingCredentials> resolve();

 private:
  std::shared_ptr<RefreshingCredentials> make(CredentialsCallback fetch, std::string source) const {
    return std::make_shared<RefreshingCredentials>(std::move(fetch), options_.timing, std::move(source));
  }
  const HttpFetch& network(const std::string& what) const;
  detail::StsEndpoint sts_endpoint(const IniSection& settings) const;
  std::optional<Credentials> static_keys(const std::string& profile) const;

  std::shared_ptr<RefreshingCredentials> assume_role(const std::string& profile, const IniSection& settings,
                                                     std::vector<std::string> visited);
  std::shared_ptr<RefreshingCredentials> source_profile(const std::string& profile, const std::string& user,
                                                        std::vector<std::string> visited);
  std::shared_ptr<RefreshingCredentials> credential_source(const std::string& kind, const std::string& user);
  std::shared_ptr<RefreshingCredentials> web_identity(const IniSection& settings, bool use_environment);
  std::shared_ptr<RefreshingCredentials> sso(const std::string& profile, const IniSection& settings);
  std::shared_ptr<RefreshingCredentials> process(const std::string& profile, const IniSection& settings);
  std::shared_ptr<RefreshingCredentials> container();
  std::shared_ptr<RefreshingCredentials> instance_metadata();

  static bool is_sso(const IniSection& settings) {
    return setting(settings, "sso_session") || setting(settings, "sso_start_url") ||
           setting(settings, "sso_account_id") || setting(settings, "sso_role_name");
  }

  const AwsConfigOverrides& given_;
  const Environment& env_;
  const CredentialChainOptions& options_;
  const std::string profile_;
  const bool named_in_code_;
  SharedFiles files_{};
  std::vector<std::string> searched_;
};

const HttpFetch& Chain::network(const std::string& what) const {
  if (!options_.fetch) {
    fail(error_code::invalid_configuration,
         what + " needs to call a service, and the auth layer has no HTTP client: resolve credentials with "
                "dynamo::http::credentials_from_environment() (or give CredentialChainOptions::fetch)");
  }
  return options_.fetch;
}

detail::StsEndpoint Chain::sts_endpoint(const IniSection& settings) const {
  const std::string region = options_.region.empty() ? resolve_region(given_, env_) : options_.region;
  if (auto configured = configured_endpoint("STS", given_, env_)) return {*configured, region};
  std::string mode = "regional";
  std::string where = "the default";
  if (auto from_env = non_empty(env_, "AWS_STS_REGIONAL_ENDPOINTS")) {
    mode = lower(*from_env);
    where = "AWS_STS_REGIONAL_ENDPOINTS";
  } else if (auto from_profile = setting(settings, "sts_regional_endpoints")) {
    mode = lower(*from_profile);
    where = "sts_regional_endpoints of profile '" + profile_ + "'";
  }
  if (mode != "regional" && mode != "legacy") {
    fail(error_code::invalid_configuration, where + " is '" + mode + "'; it must be 'regional' or 'legacy'");
  }
  if (mode == "legacy" &&
      std::find(legacy_sts_regions.begin(), legacy_sts_regions.end(), region) != legacy_sts_regions.end()) {
    return {"https://sts.amazonaws.com", "us-east-1"};
  }
  const std::string_view suffix = region.starts_with("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com";
  return {"https://sts." + region + std::string(suffix), region};
}

std::optional<Credentials> Chain::static_keys(const std::string& profile) const {
  if (const auto* section = files_.credentials_section(profile)) {
    if (auto keys = detail::credentials_in_section(
            *section, "shared credentials file " + files_.credentials_path->string() + " [" + profile + "]")) {
      return keys;
    }
  }
  if (const auto* section = files_.config_section(profile)) {
    return detail::credentials_in_section(*section,
                                          "config file " + files_.config_path->string() + " [" + profile + "]");
  }
  return std::nullopt;
}

std::shared_ptr<RefreshingCredentials> Chain::assume_role(const std::string& profile, const IniSection& settings,
                                                          std::vector<std::string> visited) {
  const std::string who = "profile '" + profile + "'";
  if (std::find(visited.begin(), visited.end(), profile) != visited.end()) {
    visited.push_back(profile);
    fail(error_code::invalid_configuration, "source_profile settings form a cycle: " + detail::join(visited, " -> "));
  }
  visited.push_back(profile);
  const std::string role_arn = *setting(settings, "role_arn");
  if (setting(settings, "mfa_serial")) {
    fail(error_code::invalid_configuration,
         who + " sets mfa_serial: assuming " + role_arn +
             " needs an MFA code typed by a person, which a library cannot ask for. Get temporary credentials "
             "first (for example `aws sts get-session-token --serial-number ... --token-code ...`), or use a "
             "credential_process that prompts");
  }
  const auto source_name = setting(settings, "source_profile");
  const auto source_kind = setting(settings, "credential_source");
  if (source_name && source_kind) {
    fail(error_code::invalid_configuration, who + " sets both source_profile and credential_source; keep one");
  }
  if (!source_name && !source_kind) {
    fail(error_code::invalid_configuration,
         who + " sets role_arn but neither source_profile, credential_source nor web_identity_token_file, so "
               "there are no credentials to assume the role with");
  }
  detail::AssumeRoleConfig config{.role_arn = role_arn,
                                  .session_name = setting(settings, "role_session_name").value_or(default_session_name()),
                                  .external_id = setting(settings, "external_id"),
                                  .duration_seconds = std::nullopt,
                                  .sts = sts_endpoint(settings)};
  if (auto duration = setting(settings, "duration_seconds")) {
    int seconds = 0;
    const auto [end, error] = std::from_chars(duration->data(), duration->data() + duration->size(), seconds);
    if (error != std::errc() || end != duration->data() + duration->size() || seconds < 900 || seconds > 43'200) {
      fail(error_code::invalid_configuration,
           who + " has duration_seconds '" + *duration + "'; it must be a whole number from 900 to 43200");
    }
    config.duration_seconds = seconds;
  }
  std::shared_ptr<RefreshingCredentials> source;
  if (source_name && *source_name == profile) {
    // A profile may name itself: its own keys assume its role.
    auto keys = static_keys(profile);
    if (!keys) fail(error_code::invalid_configuration, who + " is its own source_profile but holds no keys");
    source = fixed(std::move(*keys), options_.timing);
  } else if (source_name) {
    source = source_profile(*source_name, profile, std::move(visited));
  } else {
    source = credential_source(*source_kind, profile);
  }
  const HttpFetch& fetch = network("assuming " + role_arn + " for " + who);
  return make(detail::assume_role_source(std::move(config), std::move(source), fetch), "assume role " + role_arn);
}

std::shared_ptr<RefreshingCredentials> Chain::source_profile(const std::string& profile, const std::string& user,
                                                             std::vector<std::string> visited) {
  if (!files_.defines(profile)) {
    fail(error_code::invalid_configuration, "source_profile '" + profile + "' of profile '" + user +
                                                "' is defined in neither the shared credentials file nor the config file");
  }
  const IniSection settings = files_.merged(profile);
  if (setting(settings, "role_arn") && !setting(settings, "web_identity_token_file")) {
    return assume_role(profile, settings, std::move(visited));
  }
  if (auto provider = web_identity(settings, /*use_environment=*/false)) return provider;
  if (is_sso(settings)) return sso(profile, settings);
  if (auto keys = static_keys(profile)) return fixed(std::move(*keys), options_.timing);
  if (setting(settings, "credential_process")) return process(profile, settings);
  fail(error_code::invalid_configuration,
       "source_profile '" + profile + "' of profile '" + user +
           "' has no credentials: no keys, role_arn, web_identity_token_file, SSO settings or credential_process");
}

std::shared_ptr<RefreshingCredentials> Chain::credential_source(const std::string& kind, const std::string& user) {
  const std::string who = "credential_source " + kind + " of profile '" + user + "'";
  if (kind == "Environment") {
    auto access_key_id = non_empty(env_, "AWS_ACCESS_KEY_ID");
    auto secret = non_empty(env_, "AWS_SECRET_ACCESS_KEY");
    if (!access_key_id || !secret) {
      fail(error_code::missing_authentication_token, who + ": AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not both set");
    }
    Credentials credentials{.access_key_id = std::move(*access_key_id),
                            .secret_access_key = std::move(*secret),
                            .session_token = non_empty(env_, "AWS_SESSION_TOKEN").value_or(std::string()),
                            .source = "environment"};
    return fixed(std::move(credentials), options_.timing);
  }
  if (kind == "Ec2InstanceMetadata") {
    if (auto provider = instance_metadata()) return provider;
    fail(error_code::invalid_configuration, who + ": instance metadata is disabled (AWS_EC2_METADATA_DISABLED) "
                                                   "or unreachable without an HTTP client");
  }
  if (kind == "EcsContainer") {
    if (auto provider = container()) return provider;
    fail(error_code::invalid_configuration,
         who + ": neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor AWS_CONTAINER_CREDENTIALS_FULL_URI is set");
  }
  fail(error_code::invalid_configuration,
       who + " is not one of Environment, Ec2InstanceMetadata and EcsContainer");
}

std::shared_ptr<RefreshingCredentials> Chain::web_identity(const IniSection& settings, bool use_environment) {
  const auto pick = [&](std::string_view variable, const std::string& key) -> std::optional<std::string> {
    if (use_environment) {
      if (auto value = non_empty(env_, variable)) return value;
    }
    return setting(settings, key);
  };
  const auto token_file = pick("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file");
  if (!token_file) return nullptr;
  const auto role_arn = pick("AWS_ROLE_ARN", "role_arn");
  if (!role_arn) {
    fail(error_code::invalid_configuration, "a web identity token file (" + *token_file +
                                                ") is configured without a role to assume: set AWS_ROLE_ARN or "
                                                "role_arn in the profile");
  }
  detail::WebIdentityConfig config{
      .token_file = *token_file,
      .role_arn = *role_arn,
      .session_name = pick("AWS_ROLE_SESSION_NAME", "role_session_name").value_or(default_session_name()),
      .sts = sts_endpoint(settings)};
  const HttpFetch& fetch = network("web identity for " + *role_arn);
  return make(detail::web_identity_source(std::move(config), fetch), "web identity (role " + *role_arn + ")");
}

std::shared_ptr<RefreshingCredentials> Chain::sso(const std::string& profile, const IniSection& settings) {
  const std::string who = "profile '" + profile + "'";
  std::optional<std::string> start_url;
  std::optional<std::string> region;
  std::string cache_key;
  std::string description;
  std::vector<std::string> missing;
  if (auto session = setting(settings, "sso_session")) {
    const IniSection* section = files_.config_named("sso-session " + *session);
    if (section == nullptr) {
      fail(error_code::invalid_configuration,
           who + " names sso_session '" + *session + "', but the config file has no [sso-session " + *session + "]");
    }
    start_url = setting(*section, "sso_start_url");
    region = setting(*section, "sso_region");
    cache_key = *session;
    description = "sso-session '" + *session + "'";
  } else {
    start_url = setting(settings, "sso_start_url");
    region = setting(settings, "sso_region");
    cache_key = start_url.value_or("");
    description = "sso_start_url " + start_url.value_or("");
  }
  const auto account_id = setting(settings, "sso_account_id");
  const auto role_name = setting(settings, "sso_role_name");
  if (!start_url) missing.emplace_back("sso_start_url");
  if (!region) missing.emplace_back("sso_region");
  if (!account_id) missing.emplace_back("sso_account_id");
  if (!role_name) missing.emplace_back("sso_role_name");
  if (!missing.empty()) {
    fail(error_code::invalid_configuration, who + " is an SSO profile without " + detail::join(missing, ", "));
  }
  const auto home = env_.home_directory();
  if (!home) fail(error_code::invalid_configuration, who + " uses SSO, but there is no home directory for ~/.aws/sso");
  detail::SsoConfig config{
      .cache_file = *home / ".aws" / "sso" / "cache" / detail::sso_cache_file_name(cache_key),
      .account_id = *account_id,
      .role_name = *role_name,
      .portal_url = configured_endpoint("SSO", given_, env_).value_or("https://portal.sso." + *region + ".amazonaws.com"),
      .description = description};
  const HttpFetch& fetch = network("SSO for " + who);
  return make(detail::sso_source(std::move(config), fetch), "SSO (" + description + ")");
}

std::shared_ptr<RefreshingCredentials> Chain::process(const std::string& profile, const IniSection& settings) {
  return make(detail::process_source(*setting(settings, "credential_process"), profile),
              "credential_process of profile '" + profile + "'");
}

std::shared_ptr<RefreshingCredentials> Chain::container() {
  const auto relative = non_empty(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
  const auto full = non_empty(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
  if (!relative && !full) {
    searched_.emplace_back("container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and _FULL_URI not set)");
    return nullptr;
  }
  detail::ContainerConfig config;
  if (relative) {
    // ECS: always its fixed link-local host; no authorization token.
    config.url = options_.container_host + (relative->starts_with('/') ? "" : "/") + *relative;
  } else {
    if (!detail::container_url_allowed(*full)) {
      fail(error_code::invalid_configuration,
           "AWS_CONTAINER_CREDENTIALS_FULL_URI is " + *full +
               "; a plain http:// URL may only name a loopback address, 169.254.170.2 (ECS) or 169.254.170.23 / "
               "fd00:ec2::23 (EKS Pod Identity)");
    }
    config.url = *full;
    if (auto file = non_empty(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      config.token_file = *file;
    } else {
      config.token = non_empty(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
  }
  const HttpFetch& fetch = network("the container credentials endpoint");
  return make(detail::container_source(std::move(config), fetch), "container endpoint");
}

std::shared_ptr<RefreshingCredentials> Chain::instance_metadata() {
  if (is_true(non_empty(env_, "AWS_EC2_METADATA_DISABLED"))) {
    searched_.emplace_back("instance metadata (disabled by AWS_EC2_METADATA_DISABLED)");
    return nullptr;
  }
  if (!options_.fetch) {
    searched_.emplace_back("instance metadata (not tried: the auth layer alone has no HTTP client)");
    return nullptr;
  }
  const IniSection settings = files_.merged(profile_);
  const auto pick = [&](std::string_view variable, const std::string& key) -> std::optional<std::string> {
    if (auto value = non_empty(env_, variable)) return value;
    return setting(settings, key);
  };
  detail::ImdsConfig config;
  if (auto endpoint = pick("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint")) {
    config.endpoint = checked_url(*endpoint, "the instance metadata endpoint");
  } else {
    const std::string mode = lower(pick("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode")
                                       .value_or("ipv4"));
    if (mode != "ipv4" && mode != "ipv6") {
      fail(error_code::invalid_configuration,
           "the instance metadata endpoint mode is '" + mode + "'; it must be IPv4 or IPv6");
    }
    config.endpoint = mode == "ipv6" ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
  }
  if (auto timeout = pick("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout")) {
    double seconds = 0;
    const auto [end, error] = std::from_chars(timeout->data(), timeout->data() + timeout->size(), seconds);
    if (error != std::errc() || end != timeout->data() + timeout->size() || !(seconds > 0) || seconds > 60) {
      fail(error_code::invalid_configuration,
           "the metadata service timeout is '" + *timeout + "'; it must be a number of seconds in (0, 60]");
    }
    config.timeout = std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  }
  if (auto attempts = pick("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts")) {
    const auto [end, error] = std::from_chars(attempts->data(), attempts->data() + attempts->size(), config.attempts);
    if (error != std::errc() || end != attempts->data() + attempts->size() || config.attempts < 1 ||
        config.attempts > 10) {
      fail(error_code::invalid_configuration,
           "the metadata service attempt count is '" + *attempts + "'; it must be a whole number from 1 to 10");
    }
  }
  config.v1_disabled = is_true(pick("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled"));
  return make(detail::imds_source(std::move(config), options_.fetch), "instance metadata");
}

std::shared_ptr<RefreshingCredentials> Chain::resolve() {
  if (given_.credentials_provider) return make(given_.credentials_provider, "custom provider");

  const bool explicit_key = given_.access_key_id && !given_.access_key_id->empty();
  const bool explicit_secret = given_.secret_access_key && !given_.secret_access_key->empty();
  if (explicit_key || explicit_secret) {
    if (!explicit_key || !explicit_secret) {
      fail(error_code::missing_authentication_token, explicit_key
                                                ? "an access key id was given without its secret access key"
                                                : "a secret access key was given without its access key id");
    }
    return fixed({.access_key_id = *given_.access_key_id,
                  .secret_access_key = *given_.secret_access_key,
                  .session_token = given_.session_token.value_or(SecretString{}),
                  .source = "explicit"},
                 options_.timing);
  }
  searched_.emplace_back("explicit values (none given)");

  if (named_in_code_) {
    searched_.push_back("environment variables (skipped: profile '" + profile_ + "' was named in code)");
  } else {
    auto access_key_id = non_empty(env_, "AWS_ACCESS_KEY_ID");
    auto secret = non_empty(env_, "AWS_SECRET_ACCESS_KEY");
    if (access_key_id && secret) {
      return fixed({.access_key_id = std::move(*access_key_id),
                    .secret_access_key = std::move(*secret),
                    .session_token = non_empty(env_, "AWS_SESSION_TOKEN").value_or(std::string()),
                    .source = "environment"},
                   options_.timing);
    }
    if (access_key_id || secret) {
      fail(error_code::missing_authentication_token, access_key_id ? "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not"
                                                          : "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not");
    }
    searched_.emplace_back("environment variables AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (not set)");
  }

  files_ = SharedFiles::read(env_);
  const auto describe_file = [&](const std::optional<std::filesystem::path>& path, const std::optional<detail::IniFile>& file,
                                 std::string_view kind, bool has_section) {
    if (!path) return std::string(kind) + " (no home directory to find it in)";
    const std::string where = std::string(kind) + " " + path->string() + " [" + profile_ + "]";
    if (!file) return where + " (file not found)";
    return where + (has_section ? " (profile has no keys)" : " (no such profile)");
  };
  const std::string credentials_file_note = describe_file(files_.credentials_path, files_.credentials,
                                                          "shared credentials file",
                                                          files_.credentials_section(profile_) != nullptr);
  const std::string config_file_note =
      describe_file(files_.config_path, files_.config, "config file", files_.config_section(profile_) != nullptr);
  if (!files_.defines(profile_) && profile_ != detail::default_profile) {
    fail(error_code::invalid_configuration,
         "profile '" + profile_ + "' (" + (named_in_code_ ? "named in code" : "from AWS_PROFILE") +
             ") is defined in neither the shared credentials file nor the config file; looked in: " +
             credentials_file_note + "; " + config_file_note);
  }
  const IniSection settings = files_.merged(profile_);

  if (setting(settings, "role_arn") && !setting(settings, "web_identity_token_file")) {
    return assume_role(profile_, settings, {});
  }
  if (auto provider = web_identity(settings, /*use_environment=*/!named_in_code_)) return provider;
  searched_.emplace_back("web identity (AWS_WEB_IDENTITY_TOKEN_FILE and web_identity_token_file not set)");
  if (is_sso(settings)) return sso(profile_, settings);

  if (const auto* section = files_.credentials_section(profile_)) {
    if (auto keys = detail::credentials_in_section(
            *section, "shared credentials file " + files_.credentials_path->string() + " [" + profile_ + "]")) {
      return fixed(std::move(*keys), options_.timing);
    }
  }
  searched_.push_back(credentials_file_note);
  if (setting(settings, "credential_process")) return process(profile_, settings);
  if (const auto* section = files_.config_section(profile_)) {
    if (auto keys = detail::credentials_in_section(
            *section, "config file " + files_.config_path->string() + " [" + profile_ + "]")) {
      return fixed(std::move(*keys), options_.timing);
    }
  }
  searched_.push_back(config_file_note);

  if (auto provider = container()) return provider;
  try {
    if (auto provider = instance_metadata()) return provider;
  } catch (const Error& error) {
    // The last resort: "not on EC2" is a reason to report no credentials, not an error.
    if (error.code() != error_code::credential_retrieval) throw;
    searched_.push_back(std::string("instance metadata (") + error.what() + ")");
  }
  fail(error_code::missing_authentication_token,
       "no AWS credentials found; looked in: " + detail::join(searched_, "; ") +
           ". Pass them explicitly, set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or add them to "
           "~/.aws/credentials");
}

}  // namespace

std::shared_ptr<RefreshingCredentials> resolve_credentials_provider(const AwsConfigOverrides& given,
                                                                    const Environment& env,
                                                                    const CredentialChainOptions& options) {
  return Chain(given, env, options).resolve();
}

Credentials resolve_credentials(const AwsConfigOverrides& given, const Environment& env) {
  return *resolve_credentials_provider(given, env, {})->current();
}

std::optional<std::string> configured_endpoint(std::string_view service_id, const AwsConfigOverrides& given,
                                               const Environment& env) {
  std::string variable_suffix(service_id);
  std::replace(variable_suffix.begin(), variable_suffix.end(), ' ', '_');
  std::transform(variable_suffix.begin(), variable_suffix.end(), variable_suffix.begin(),
                 [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
  std::string config_key = lower(variable_suffix);

  std::optional<detail::IniFile> config;
  if (auto path = detail::config_file_path(env)) config = detail::read_ini_file(*path);
  const std::string profile = resolve_profile(given, env);
  const IniSection* section = config ? detail::config_profile_section(*config, profile) : nullptr;

  if (is_true(non_empty(env, "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))) return std::nullopt;
  if (section != nullptr && is_true(setting(*section, "ignore_configured_endpoint_urls"))) return std::nullopt;

  const std::string service_variable = "AWS_ENDPOINT_URL_" + variable_suffix;
  if (auto url = non_empty(env, service_variable)) return checked_url(*url, service_variable);
  if (auto url = non_empty(env, "AWS_ENDPOINT_URL")) return checked_url(*url, "AWS_ENDPOINT_URL");
  if (section == nullptr) return std::nullopt;
  if (auto services = setting(*section, "services")) {
    if (const auto* block = detail::find_section(*config, "services " + *services)) {
      if (auto url = setting(*block, config_key + ".endpoint_url")) {
        return checked_url(*url, "endpoint_url of " + config_key + " in [services " + *services + "]");
      }
    }
  }
  if (auto url = setting(*section, "endpoint_url")) {
    return checked_url(*url, "endpoint_url of profile '" + profile + "'");
  }
  return std::nullopt;
}

}  // namespace dynamo::auth
