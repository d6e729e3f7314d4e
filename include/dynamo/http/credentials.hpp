// The AWS credentials chain with libcurl: what the transport's from_environment() uses.
//
// The auth layer decides the chain's order, reads the profiles, builds and signs the STS,
// SSO, container and instance metadata requests and caches what they return
// (dynamo/auth/credential_chain.hpp); it has no HTTP client. This header gives it one:
// curl_fetch() performs those requests with libcurl, and credentials_from_environment()
// runs the chain with it.
//
//   auto credentials = dynamo::http::credentials_from_environment({.profile = "ci"});
//   std::clog << *credentials->current() << '\n';   // source=web identity (role arn:...)
//   dynamo::http::HttpTransport transport({.settings = {},
//                                          .credentials = {},
//                                          .region = "eu-west-1",
//                                          .endpoint = "https://dynamodb.eu-west-1.amazonaws.com",
//                                          .refreshing_credentials = credentials});
#pragma once

#include <memory>

#include "dynamo/auth/credential_chain.hpp"
#include "dynamo/auth/credentials.hpp"
#include "dynamo/auth/environment.hpp"
#include "dynamo/auth/refreshing_credentials.hpp"

namespace dynamo::http {

// An auth::HttpFetch over libcurl: one short-lived handle per exchange (credentials are
// fetched rarely), the request's timeouts, no redirects, TLS verified, proxies from the
// environment unless the request says not to. Thread-safe.
[[nodiscard]] auth::HttpFetch curl_fetch();

// auth::resolve_credentials_provider() with curl_fetch() when `options.fetch` is empty.
// Throws as that function does.
[[nodiscard]] std::shared_ptr<auth::RefreshingCredentials> credentials_from_environment(
    const auth::AwsConfigOverrides& aws = {}, const auth::Environment& env = auth::process_environment(),
    auth::CredentialChainOptions options = {});

}  // namespace dynamo::http
