// The HTTP transport: sends one DynamoDB JSON 1.0 call and hands back the raw response.
//
// HttpTransport POSTs a JSON body to the endpoint with the protocol's headers
// (Content-Type application/x-amz-json-1.0, X-Amz-Target DynamoDB_20120810.<operation>),
// the configured extra headers and a SigV4 signature made afresh for every attempt. It keeps
// keep-alive connections in a pool of at most max_pool_connections (callers beyond that
// wait their turn), retries what RetryPolicy calls retryable (throttling codes, 5xx,
// connection failures, x-amz-crc32 mismatches) with exponential backoff and full jitter,
// and returns the final response, success or service error alike. It does not interpret
// bodies: the Connection layer above decodes them (parse_service_error() in
// service_error.hpp turns an error response into a dynamo::Error).
//
// It throws dynamo::Error only when no usable response was obtained: error_code::
// connection_error (nothing came back, after every retry) or error_code::checksum_error
// (every response failed its x-amz-crc32 check). Nothing it throws or reports to hooks
// contains a secret or the Authorization header.
//
// One HttpTransport is safe to share between threads. call_async() runs calls on one event
// thread for plain-HTTP endpoints, on a small worker pool over libcurl (docs/http.md).
//
//   auto transport = dynamo::http::HttpTransport::from_environment({.max_retry_attempts = 5});
//   dynamo::http::HttpResponse response =
//       transport.call("GetItem", R"({"TableName":"Thread","Key":{"id":{"S":"a"}}})",
//                      {.table_name = "Thread"});
//   if (response.status >= 400) throw dynamo::http::parse_service_error(response);
//
//   std::future<dynamo::http::HttpResponse> later = transport.call_async("ListTables", "{}");
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include "dynamo/auth/credentials.hpp"
#include "dynamo/auth/environment.hpp"
#include "dynamo/auth/refreshing_credentials.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/auth/settings.hpp"
#include "dynamo/auth/sigv4.hpp"
#include "dynamo/error_codes.hpp"
#include "dynamo/http/transport_hooks.hpp"

namespace dynamo::http {

// Failures raised on the client side carry codes of the one list (dynamo/error_codes.hpp):
// connection_error when no response arrived after every allowed attempt (connect refused or
// timed out, reset, read timeout, DNS failure) or retrying cannot help (TLS certificate
// rejected, malformed URL), naming the endpoint, libcurl's reason and the attempts;
// checksum_error when every attempt's body failed its x-amz-crc32 check.
namespace error_code = dynamo::error_code;

// What one call produced: the last attempt's response.
struct HttpResponse {
  int status = 0;
  std::string body{};
  std::string request_id{};  // x-amzn-RequestId, empty when the response had none
  auth::Headers headers{};   // as received (names as the server spelled them), in order
  int attempts = 0;          // attempts made, the first included

  // The first header of that name, compared case-insensitively; nullptr when absent.
  [[nodiscard]] const std::string* header(std::string_view name) const;
  [[nodiscard]] bool ok() const noexcept { return status >= 200 && status < 300; }
};

// What the caller knows about a call that the transport cannot see in the body: the
// table, for hooks (the transport never parses the body to find it), and the call's own
// settings, if any.
struct CallContext {
  std::string table_name{};  // empty for calls without one (ListTables)
  // Timeouts, retries and headers of this call only (auth::OperationSettings); null: the
  // transport's. Invalid settings make the call throw InvalidConfiguration before sending.
  std::shared_ptr<const auth::OperationSettings> settings{};
};

// Where the credentials for each attempt come from. Called once per attempt, from any
// thread, so a provider that refreshes temporary credentials can swap them while calls run;
// it must be thread-safe.
using CredentialsProvider = std::function<std::shared_ptr<const auth::Credentials>()>;

// A provider that always answers `credentials`.
[[nodiscard]] CredentialsProvider fixed_credentials(auth::Credentials credentials);

// Everything already resolved: HttpTransport does no lookups of its own.
struct TransportConfig {
  // Timeouts, retries, pool size and extra headers are used; settings.region and
  // settings.endpoint are ignored in favour of the resolved values below.
  auth::ClientSettings settings{};
  // Where each attempt's credentials come from; ignored when refreshing_credentials is set.
  CredentialsProvider credentials{};
  std::string region{};    // e.g. "us-east-1"
  std::string endpoint{};  // e.g. "https://dynamodb.us-east-1.amazonaws.com" or "http://127.0.0.1:8000"
  // Temporary credentials kept fresh (dynamo/http/credentials.hpp makes them from the AWS
  // chain). When set, each attempt signs with current(), and a response with
  // ExpiredTokenException (credentials revoked or expired sooner than announced) makes the
  // transport fetch new ones and send the request once more at once, without using up a
  // retry; when fetching fails, that error (saying why, e.g. "run aws sso login") is thrown.
  std::shared_ptr<auth::RefreshingCredentials> refreshing_credentials{};
  // What X-Amz-Target starts with, before the operation's name: DynamoDB's API, or
  // "DynamoDBStreams_20120810." for a transport to the Streams endpoint
  // (streams.dynamodb.<region>.amazonaws.com). Both sign for the service "dynamodb".
  std::string target_prefix{"DynamoDB_20120810."};
};

// Things tests and embedders swap out. Empty members mean the real thing.
struct TransportOptions {
  TransportHooks hooks{};
  auth::JitterSource jitter{};                              // default auth::system_jitter()
  std::function<void(std::chrono::milliseconds)> sleep{};   // default std::this_thread::sleep_for
};

// Called once when an asynchronous call ends: `error` is null and `response` holds the
// result, or `error` holds what call() would have thrown.
using CompletionHandler = std::function<void(std::exception_ptr error, HttpResponse response)>;

class HttpTransport {
 public:
  // Throws dynamo::Error (code "InvalidConfiguration") when the endpoint is not an http(s)
  // URL, the target prefix is not of the form "Service_YYYYMMDD.", the region is empty, credentials and refreshing_credentials are both empty, a setting is out of range, or an extra
  // header would break the request (CR/LF in it, or a name the protocol sets itself:
  // Host, Content-Type, Content-Length, X-Amz-Target, Authorization, X-Amz-Date,
  // X-Amz-Security-Token).
  explicit HttpTransport(TransportConfig config, TransportOptions options = {});

  // Resolves everything the AWS way: settings by resolve_client_settings(), then region,
  // endpoint (with AWS_ENDPOINT_URL_DYNAMODB and friends) and credentials by the auth
  // layer's chains, where `aws` wins over what the settings say about region and endpoint.
  // Credentials come from the whole AWS chain (credentials_from_environment() in
  // credentials.hpp, fetched over libcurl), or from aws.credentials_provider when set, and
  // are refreshed before they expire. Throws what those chains throw.
  [[nodiscard]] static HttpTransport from_environment(
      const auth::ClientSettingsOverrides& settings = {}, const auth::AwsConfigOverrides& aws = {},
      TransportOptions options = {}, const auth::Environment& env = auth::process_environment());

  // A transport like this one (settings, credentials, region, hooks) for another endpoint
  // and target prefix, e.g. the DynamoDB Streams API at
  // https://streams.dynamodb.us-east-1.amazonaws.com with "DynamoDBStreams_20120810.".
  // Its connections are its own. Throws as the constructor does.
  [[nodiscard]] HttpTransport sibling(std::string endpoint, std::string target_prefix) const;

  HttpTransport(HttpTransport&&) noexcept;
  HttpTransport& operator=(HttpTransport&&) noexcept;
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;
  // Waits for asynchronous calls already submitted to finish (each is bounded by the
  // timeouts and the retry limit), so every future gets its outcome. Not to be run from a
  // completion handler or hook of this transport's own asynchronous calls.
  ~HttpTransport();

  // Sends `body` as DynamoDB operation `operation` ("GetItem") and returns the final
  // response: 2xx, or the 4xx/5xx service error left after retries. Throws dynamo::Error
  // with error_code::connection_error or error_code::checksum_error, see the top.
  [[nodiscard]] HttpResponse call(std::string_view operation, std::string body,
                                  const CallContext& context = {}) const;

  // The same call, run on the transport's event thread (plain-HTTP endpoints) or worker pool
  // (libcurl). At most max_pool_connections asynchronous calls are on the wire at once; the
  // rest wait in order of submission.
  [[nodiscard]] std::future<HttpResponse> call_async(std::string operation, std::string body,
                                                     CallContext context = {}) const;
  // The callback form: `done` runs on the event thread or a worker when the call ends. It
  // may start other calls but must not wait for one. An exception it throws is dropped.
  void call_async(std::string operation, std::string body, CallContext context, CompletionHandler done) const;

  [[nodiscard]] const std::string& endpoint() const noexcept;
  [[nodiscard]] const std::string& region() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynamo::http
