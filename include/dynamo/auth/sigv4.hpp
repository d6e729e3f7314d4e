// AWS Signature Version 4: signing outgoing requests and verifying received ones.
//
// sign_request() computes the headers a request needs to be accepted by DynamoDB
// (Authorization, X-Amz-Date, X-Amz-Security-Token with temporary credentials, and Host
// when the request has none), and also returns the canonical request and string to sign,
// which is what to compare when a server answers InvalidSignatureException.
// verify_signature() is the server side: it recomputes the signature of a received request
// from the secret and compares it in constant time.
//
//   dynamo::auth::Headers headers = {{"Content-Type", "application/x-amz-json-1.0"},
//                                     {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
//   auto signing = dynamo::auth::sign_request(
//       {.url = "https://dynamodb.us-east-1.amazonaws.com/", .headers = headers, .body = body},
//       credentials,
//       {.region = "us-east-1", .timestamp = dynamo::auth::current_time()});
//   signing.add_headers_to(headers);   // now ready to send
#pragma once

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/auth/credentials.hpp"

namespace dynamo::auth {

// One HTTP header as sent or received. Names compare case-insensitively everywhere here.
struct Header {
  std::string name{};
  std::string value{};
};
using Headers = std::vector<Header>;

// A request to sign or verify. Nothing is copied: the viewed strings must outlive the call.
struct RequestView {
  std::string_view method = "POST";
  // For signing: the absolute URL ("https://host[:port]/path?query"). For verifying: the
  // request target as received ("/" or "/path?query"); the Host header supplies the host.
  std::string_view url{};
  std::span<const Header> headers{};
  std::string_view body{};
};

struct SigningParams {
  std::string_view region{};
  std::string_view service = "dynamodb";
  std::chrono::sys_seconds timestamp{};
};

struct SigningResult {
  std::string canonical_request{};
  std::string string_to_sign{};
  std::string signed_headers{};  // "content-type;host;x-amz-date;x-amz-target"
  std::string signature{};       // 64 lowercase hex digits
  // Authorization, X-Amz-Date, X-Amz-Security-Token (temporary credentials only) and Host
  // (only when the request had none), in that order.
  Headers headers_to_add{};

  // The value of one of headers_to_add, found case-insensitively; nullptr when absent.
  [[nodiscard]] const std::string* header(std::string_view name) const;
  // Puts headers_to_add into `headers`, replacing any earlier value of the same name (so a
  // retried request can be signed again with a fresh timestamp).
  void add_headers_to(Headers& headers) const;
};

// Signs `request`. Every header given is signed except those proxies and transports are
// known to change (User-Agent, Expect, X-Amzn-Trace-Id) and earlier signing headers
// (Authorization, X-Amz-Date, X-Amz-Security-Token), which are replaced. Throws
// dynamo::Error (ValidationException) when the URL cannot be parsed.
[[nodiscard]] SigningResult sign_request(const RequestView& request, const Credentials& credentials,
                                         const SigningParams& params);

// The fields of an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." header.
struct AuthorizationHeader {
  std::string access_key_id{};
  std::string date{};  // YYYYMMDD of the credential scope
  std::string region{};
  std::string service{};
  std::string signed_headers{};  // as written, ';'-separated
  std::string signature{};
};

// Parses an Authorization header. Throws dynamo::Error (IncompleteSignatureException) when
// the algorithm is not AWS4-HMAC-SHA256 or a part is missing or malformed.
[[nodiscard]] AuthorizationHeader parse_authorization_header(std::string_view value);

struct VerifyOptions {
  // When set, requests whose X-Amz-Date is further than max_clock_skew from `now` are
  // rejected, as AWS does. Unset skips the check: a local test server often replays
  // recorded requests, and tests pin the time.
  std::optional<std::chrono::sys_seconds> now{};
  std::chrono::seconds max_clock_skew{std::chrono::minutes(15)};
};

// Checks a received request against `secret_access_key` (look it up by
// parse_authorization_header(...).access_key_id). Returns the parsed Authorization header
// when the signature matches. Throws dynamo::Error with DynamoDB's codes otherwise:
// MissingAuthenticationTokenException (no Authorization header),
// IncompleteSignatureException (malformed header, no X-Amz-Date), InvalidSignatureException
// (mismatch, scope date not the request's date, Host not signed, clock skew).
[[nodiscard]] AuthorizationHeader verify_signature(const RequestView& received,
                                                   std::string_view secret_access_key,
                                                   const VerifyOptions& options = {});

// The current time, truncated to whole seconds as SigV4 needs.
[[nodiscard]] std::chrono::sys_seconds current_time();
// "20261121T123456Z" for X-Amz-Date.
[[nodiscard]] std::string format_amz_date(std::chrono::sys_seconds time);
// The inverse of format_amz_date; nullopt for anything not in exactly that form.
[[nodiscard]] std::optional<std::chrono::sys_seconds> parse_amz_date(std::string_view text);

}  // namespace dynamo::auth
