// The AWS SDKs' whole default credentials chain, with temporary credentials kept fresh.
//
// resolve_credentials_provider() walks the chain listed at the top of credentials.hpp (and
// in docs/settings.md) and returns a RefreshingCredentials for the first step that yields
// credentials, already holding them. Steps that talk to a service (STS, SSO, the container
// endpoint, instance metadata) do so through an HttpFetch: this layer builds the requests,
// signs them, parses the answers and decides the order, but has no HTTP client of its own;
// the http layer passes libcurl (dynamo::http::credentials_from_environment()), tests may
// pass anything. Without a fetch, those steps are refused when configured and the
// instance metadata step is skipped.
//
//   auto provider = dynamo::auth::resolve_credentials_provider({.profile = "ci"},
//                                                               dynamo::auth::process_environment(),
//                                                               {.fetch = my_fetch});
//   std::clog << *provider->current() << '\n';
//   // Credentials{access_key_id=ASIA..., secret ****, session_token ****,
//   //             source=assume role arn:aws:iam::123456789012:role/ci (with environment)}
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamo/auth/credentials.hpp"
#include "dynamo/auth/environment.hpp"
#include "dynamo/auth/refreshing_credentials.hpp"
#include "dynamo/auth/sigv4.hpp"

namespace dynamo::auth {

// One HTTP exchange a credentials source needs.
struct FetchRequest {
  std::string method = "GET";
  std::string url{};  // absolute
  Headers headers{};
  std::string body{};
  std::chrono::milliseconds connect_timeout{1000};
  std::chrono::milliseconds timeout{5000};  // the whole exchange
  // False for the link-local metadata endpoints, which a proxy cannot reach.
  bool use_proxy = true;
};

struct FetchResponse {
  bool failed = false;         // no response arrived (refused, timed out, DNS failure)
  std::string failure_text{};  // why, when failed
  int status = 0;
  std::string body{};
  Headers headers{};
};

// Performs one exchange. Reports network trouble in the response rather than throwing.
using HttpFetch = std::function<FetchResponse(const FetchRequest&)>;

struct CredentialChainOptions {
  // Empty: the steps that need a service are unavailable (see the top).
  HttpFetch fetch{};
  RefreshTiming timing{};
  // The region STS is called in. Empty: resolve_region(given, env).
  std::string region{};
  // The container endpoint that AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is relative to.
  // Fixed by ECS; tests point it at a fake.
  std::string container_host = "http://169.254.170.2";
};

// The provider of the first step of the chain that has credentials. Throws dynamo::Error:
// missing_authentication_token naming every place searched when no step has any;
// invalid_configuration for a malformed or contradictory profile (unknown profile,
// role_arn without a source, mfa_serial, a source_profile cycle, a bad duration);
// credential_retrieval when a configured source fails; STS's own code when STS refuses.
[[nodiscard]] std::shared_ptr<RefreshingCredentials> resolve_credentials_provider(
    const AwsConfigOverrides& given = {}, const Environment& env = process_environment(),
    const CredentialChainOptions& options = {});

// The endpoint configured for one service outside code, by the SDKs' rules, first found:
// AWS_ENDPOINT_URL_<SERVICE> (the service id in upper case, spaces as '_'), AWS_ENDPOINT_URL,
// the `endpoint_url` under the service's key (lower case, spaces as '_') in the
// "[services name]" section the profile's `services` names, the profile's `endpoint_url`.
// All of it is ignored when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or the profile's
// ignore_configured_endpoint_urls is "true". `service_id` is "DynamoDB", "STS" or "SSO".
// Throws dynamo::Error (invalid_configuration) for a value that is not an http(s) URL,
// naming where it was set.
[[nodiscard]] std::optional<std::string> configured_endpoint(std::string_view service_id,
                                                             const AwsConfigOverrides& given = {},
                                                             const Environment& env = process_environment());

}  // namespace dynamo::auth
