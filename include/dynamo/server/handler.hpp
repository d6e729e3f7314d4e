// dynamo::server::RequestHandler — DynamoDB's JSON 1.0 protocol as a pure function from one
// HTTP request (method, target, headers, body) to one HTTP response, in front of an Engine.
//
// No sockets here: the HTTP server (server.hpp) parses bytes into a Request and writes the
// Response back, so the whole protocol (routing, authentication, decoding, error bodies,
// headers) can be unit-tested and fuzzed without a network.
//
//   dynamo::engine::Engine engine;
//   dynamo::server::RequestHandler handler(engine, {});
//   dynamo::auth::Headers headers = {
//       {"Content-Type", "application/x-amz-json-1.0"},
//       {"X-Amz-Target", "DynamoDB_20120810.ListTables"},
//       {"X-Amz-Date", "20240101T000000Z"},
//       {"Authorization", "AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/dynamodb/aws4_request, "
//                         "SignedHeaders=host;x-amz-date, Signature=00"}};
//   dynamo::server::Response r = handler.handle({.headers = headers, .body = "{}"});
//   // r.status == 200, r.body == R"({"TableNames":[]})", r.header("x-amz-crc32") is set
//
// Every response, errors included, carries Content-Type, x-amzn-RequestId (unique per
// request) and x-amz-crc32 (CRC32 of the body). handle() never throws: every failure,
// including one the engine did not foresee, becomes a DynamoDB error body.
//
// Tables belong to a region, as on AWS: a handler made from a Namespaces in per-region mode
// runs each request on the engine of the region named in its SigV4 credential scope
// (Credential=AKID/20240101/<region>/dynamodb/aws4_request), so a table created through
// us-east-2 is not found through us-east-1. A handler made from one Engine serves every
// region from it (dynamo-server --shared-db).
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <shared_mutex>
#include <span>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/auth/credentials.hpp"
#include "dynamo/auth/sigv4.hpp"

namespace dynamo::engine {
class Engine;
}

namespace dynamo::server {

// At most this many regions are served at once in per-region mode: AWS has about 35, and
// every region costs an engine (and its TTL sweeper thread), so a client naming endless
// made-up regions cannot exhaust the server.
inline constexpr std::size_t default_max_regions = 64;

// A name that may name a region's tables: 1 to 64 ASCII letters, digits, '-' or '_'. AWS's
// names (us-east-1, eu-central-2) are of this form, and so are the made-up ones local
// setups use ("local", "fakeRegion"). Nothing else, because the name is also the
// directory of the region's tables on disk.
[[nodiscard]] bool is_valid_region_name(std::string_view region) noexcept;

// Where each request's tables live: one engine per region (made on first use), or one
// engine for every region. Thread-safe.
class Namespaces {
 public:
  // Makes the engine of a region; called once per region, under a lock. May throw (a store
  // that cannot be opened): the request naming the region then fails.
  using EngineFactory = std::function<std::shared_ptr<engine::Engine>(const std::string& region)>;

  // One engine for every region (DynamoDB Local's -sharedDb).
  explicit Namespaces(std::shared_ptr<engine::Engine> shared);
  // One engine per region, made by `make` the first time a request names the region.
  explicit Namespaces(EngineFactory make, std::size_t max_regions = default_max_regions);
  Namespaces(const Namespaces&) = delete;
  Namespaces& operator=(const Namespaces&) = delete;
  ~Namespaces();

  [[nodiscard]] bool shared() const noexcept { return shared_ != nullptr; }
  // The engine holding `region`'s tables (the shared one in shared mode), made when
  // missing. Throws dynamo::Error InvalidSignatureException "Credential should be scoped to
  // a valid region, not '<region>'. " when the name is not valid (is_valid_region_name) or
  // max_regions regions exist already.
  [[nodiscard]] engine::Engine& engine(std::string_view region);
  // The regions whose engine exists, sorted; empty in shared mode.
  [[nodiscard]] std::vector<std::string> regions() const;

 private:
  std::shared_ptr<engine::Engine> shared_;
  EngineFactory make_;
  std::size_t max_regions_{default_max_regions};
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<engine::Engine>, std::less<>> engines_;
};

// DynamoDB caps a request at 16 MB (BatchWriteItem); JSON and base64 add overhead on top of
// the data, so the default limit leaves room for a full batch of binary items.
inline constexpr std::size_t default_max_body_bytes = 20U * 1024U * 1024U;

struct HandlerOptions {
  // Signature verification. Empty: any well-formed SigV4 request is accepted without
  // checking its signature (DynamoDB Local's behaviour). Otherwise a request must be signed
  // with one of these key pairs (and carry its session token, when one is given).
  std::vector<auth::Credentials> credentials{};
  // Requests whose body is longer are answered 413 without being decoded.
  std::size_t max_body_bytes{default_max_body_bytes};
  // With verification on: reject requests whose X-Amz-Date is more than 15 minutes away
  // from the server's clock, as AWS does. Tests replaying recorded requests turn it off.
  bool check_clock_skew{true};
  // The server's own region: shown in the GET / health answer ("healthy:
  // dynamodb.<region>.amazonaws.com "). With verification on and shared Namespaces, the
  // only region a credential scope may name (the shared tables' ARNs carry it); in
  // per-region mode any valid region name is accepted.
  std::string region{"us-east-1"};
  // Hears the details of unexpected failures (answered with InternalServerError, whose body
  // never shows them). Called from the serving threads; may be empty.
  std::function<void(std::string_view)> log_internal_error{};
};

// One received request. Nothing is copied: the viewed data must outlive handle().
struct Request {
  std::string_view method{"POST"};
  std::string_view target{"/"};  // the request target as received ("/" for DynamoDB)
  std::span<const auth::Header> headers{};
  std::string_view body{};
};

struct Response {
  int status{200};
  // Content-Type, x-amzn-RequestId and x-amz-crc32 always; Content-Length is the
  // transport's business.
  auth::Headers headers{};
  std::string body{};

  // The value of header `name` (case-insensitive), or nullptr.
  [[nodiscard]] const std::string* header(std::string_view name) const;
};

class RequestHandler {
 public:
  // Serves every region from `engine`, which must outlive the handler. handle() may be
  // called from many threads at once.
  RequestHandler(engine::Engine& engine, HandlerOptions options);
  // Serves each request from the engine of its credential scope's region.
  RequestHandler(std::shared_ptr<Namespaces> namespaces, HandlerOptions options);

  // Routes, authenticates, decodes, runs the operation and encodes the answer, in that
  // order (DynamoDB's: a request that fails several checks gets the error of the first).
  // At DEBUG (dynamo/log.hpp) each request is also logged, component "server".
  [[nodiscard]] Response handle(const Request& request) const noexcept;

  // The answer to a request whose body exceeds max_body_bytes; the server sends it without
  // reading the body (and then closes the connection).
  // `body_bytes` is the declared or received size, when known.
  [[nodiscard]] Response body_too_large(std::optional<std::size_t> body_bytes) const;

  // The answer to bytes that are not an HTTP/1.1 request at all; sent before closing.
  [[nodiscard]] Response malformed_http(std::string_view reason) const;

  [[nodiscard]] const HandlerOptions& options() const noexcept { return options_; }
  [[nodiscard]] Namespaces& namespaces() const noexcept { return *namespaces_; }

 private:
  [[nodiscard]] Response respond(const Request& request) const noexcept;

  std::shared_ptr<Namespaces> namespaces_;
  HandlerOptions options_;
};

// A fresh request id: 52 characters of [A-Z2-7], unique within the process (DynamoDB's
// x-amzn-RequestId has the same shape).
[[nodiscard]] std::string new_request_id();

}  // namespace dynamo::server
