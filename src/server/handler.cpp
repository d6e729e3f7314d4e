// DynamoDB's JSON 1.0 protocol in front of the engine: route → authenticate → decode →
// execute → encode, with one place (respond_error) that turns any failure into the
// service's error body. No sockets and no Boost here (see server.cpp).
#include "dynamo/server/handler.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <mutex>
#include <random>
#include <stdexcept>
#include <type_traits>

#include "detail/ascii.hpp"
#include "dynamo/api/codec.hpp"
#include "dynamo/api/errors_wire.hpp"
#include "dynamo/api/operations.hpp"
#include "dynamo/api/service_error.hpp"
#include "auth/crypto.hpp"
#include "codec/json_writer.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/engine/errors.hpp"
#include "dynamo/log.hpp"

namespace dynamo::server {
namespace {

constexpr std::string_view json_1_0 = "application/x-amz-json-1.0";
// Old SDKs (and DynamoDB itself, still) use plain JSON; the service answers in kind.
constexpr std::string_view plain_json = "application/json";

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

const auth::Header* find_header(std::span<const auth::Header> headers, std::string_view name) {
  for (const auth::Header& header : headers) {
    if (dynamo::detail::equals_ignoring_ascii_case(header.name, name)) return &header;
  }
  return nullptr;
}

// A failure detected by the protocol layer itself, before the engine is involved.
struct ProtocolError {
  int status;
  std::string code;
  std::string message;
};

[[noreturn]] void reject(int status, std::string_view code, std::string message) {
  throw ProtocolError{status, std::string(code), std::move(message)};
}

// ---- Dispatch: one entry per Operation, in enumerator order ---------------------------

using Dispatch = std::string (*)(engine::Engine&, std::string_view body);

// The request type of an engine method, taking its request as const& or as &&.
template <class Request, class Response>
struct RequestOf {
  using request = Request;
  static_assert(std::is_same_v<typename api::OperationOf<Request>::response, Response>);
};
template <class Method>
struct MethodTraits;
template <class Request, class Response>
struct MethodTraits<Response (engine::Engine::*)(const Request&)> : RequestOf<Request, Response> {};
template <class Request, class Response>
struct MethodTraits<Response (engine::Engine::*)(Request&&)> : RequestOf<Request, Response> {};

// The engine's forms of an operation: the one every operation has, and the one that takes
// the request's items over (PutItem, BatchWriteItem).
template <class Request>
using ReadingMethod = typename api::OperationOf<Request>::response (engine::Engine::*)(const Request&);
template <class Request>
using MovingMethod = typename api::OperationOf<Request>::response (engine::Engine::*)(Request&&);
constexpr MovingMethod<api::PutItemRequest> put_item_moving = &engine::Engine::put_item;
constexpr MovingMethod<api::BatchWriteItemRequest> batch_write_moving = &engine::Engine::batch_write_item;

// Decode the body as the operation's request, run it, encode the response.
template <auto Method>
std::string run(engine::Engine& engine, std::string_view body) {
  using Request = typename MethodTraits<decltype(Method)>::request;
  const Request request = api::decode<Request>(body);
  return api::encode((engine.*Method)(request));
}

// Operations whose requests carry items to store (PutItem, BatchWriteItem): the decoded
// request is the server's own, so its items are moved into the table rather than copied.
template <auto Method>
std::string run_moving(engine::Engine& engine, std::string_view body) {
  using Request = typename MethodTraits<decltype(Method)>::request;
  Request request = api::decode<Request>(body);
  return api::encode((engine.*Method)(std::move(request)));
}

// Joins what a visit_ form encoded in place (`out`: "{" and the response's first member,
// or empty when there was none) with the rest of the response's members.
std::string join_members(std::string out, const std::string& rest) {
  if (out.empty()) return rest;
  if (rest.size() > 2) {  // "{...}": more members follow
    out += ',';
    out.append(rest, 1);
  } else {
    out += '}';
  }
  return out;
}

// GetItem takes the item's JSON as the engine writes it from the table, under its read
// lock, instead of encoding a copy made for the response: the body is the one
// run<&Engine::get_item> gives, "Item" first.
std::string run_get_item(engine::Engine& engine, std::string_view body) {
  const auto request = api::decode<api::GetItemRequest>(body);
  std::string out;
  const api::GetItemResponse rest = engine.visit_item_json(request, [&out](std::string_view item) {
    out.reserve(item.size() + 16);
    out.append(R"({"Item":)");
    out.append(item);
  });
  return join_members(std::move(out), api::encode(rest));  // rest: "{}", or {"ConsumedCapacity":...}
}

// Query and Scan likewise take each item of the page as JSON written from the table:
// "Items" first, then the members run<&Engine::query> would give after it.
template <class Request, auto Visit>
std::string run_visiting_page(engine::Engine& engine, std::string_view body) {
  const auto request = api::decode<Request>(body);
  std::string out;
  detail::JsonWriter writer(out);
  std::size_t index = 0;
  auto rest = (engine.*Visit)(request, [&](std::string_view item) {
    if (index == 0) {
      out.reserve(1024);
      writer.start_object();
      writer.key("Items");
      writer.start_array();
    }
    ++index;
    writer.raw_json(item);
  });
  // No item read: the encoder writes the whole body ("Items":[] for an empty page, nothing
  // with Select COUNT).
  if (index == 0) return api::encode(rest);
  writer.end_array();
  rest.items.reset();
  return join_members(std::move(out), api::encode(rest));
}

struct Route {
  api::Operation operation;
  Dispatch dispatch;
};

template <auto Method>
constexpr Route route() {
  return {api::OperationOf<typename MethodTraits<decltype(Method)>::request>::operation, &run<Method>};
}

constexpr std::array<Route, api::operation_count> routes = [] {
  std::array<Route, api::operation_count> table = {
#define DYNAMO_SERVER_ROUTE(method, Name, ...) route<ReadingMethod<api::Name##Request>{&engine::Engine::method}>(),
      DYNAMO_OPERATIONS(DYNAMO_SERVER_ROUTE)
#undef DYNAMO_SERVER_ROUTE
  };
  table[static_cast<std::size_t>(api::Operation::get_item)].dispatch = &run_get_item;
  table[static_cast<std::size_t>(api::Operation::query)].dispatch =
      &run_visiting_page<api::QueryRequest, &engine::Engine::visit_query_json>;
  table[static_cast<std::size_t>(api::Operation::scan)].dispatch =
      &run_visiting_page<api::ScanRequest, &engine::Engine::visit_scan_json>;
  table[static_cast<std::size_t>(api::Operation::put_item)].dispatch = &run_moving<put_item_moving>;
  table[static_cast<std::size_t>(api::Operation::batch_write_item)].dispatch = &run_moving<batch_write_moving>;
  return table;
}();

// The table is indexed by the enum; this proves the order matches it.
constexpr bool routes_in_enum_order() {
  for (std::size_t i = 0; i < routes.size(); ++i) {
    if (static_cast<std::size_t>(routes[i].operation) != i) return false;
  }
  return true;
}
static_assert(routes_in_enum_order(), "routes must list the operations in api::Operation order");

// ---- Responses --------------------------------------------------------------------------

Response make_response(int status, std::string_view content_type, std::string body) {
  Response response;
  response.status = status;
  response.headers.reserve(3);
  response.headers.push_back({"Content-Type", std::string(content_type)});
  response.headers.push_back({"x-amzn-RequestId", new_request_id()});
  response.headers.push_back({"x-amz-crc32", std::to_string(auth::crc32(body))});
  response.body = std::move(body);
  return response;
}

// Client-supplied text quoted in a message: printable ASCII only (a header may hold any
// bytes, and a JSON string must be valid UTF-8), and not too long.
std::string printable(std::string_view text) {
  constexpr std::size_t max_quoted = 100;
  std::string out;
  for (char c : text.substr(0, max_quoted)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (text.size() > max_quoted) out.append("...");
  return out;
}

// AWS's words (with their trailing space) for a credential scoped to another region than
// the endpoint's.
std::string invalid_region_message(std::string_view region) {
  return "Credential should be scoped to a valid region, not '" + printable(region) + "'. ";
}

Response error_response(int status, std::string_view content_type, const api::ErrorBody& body) {
  std::string encoded;
  try {
    encoded = api::encode_error(body);
  } catch (const std::exception&) {
    // An Item or a message (quoting a header, say) that is not valid UTF-8: keep the code,
    // make the message safe.
    encoded = api::encode_error(api::ErrorBody{.code = printable(body.code), .message = printable(body.message)});
  }
  return make_response(status, content_type, std::move(encoded));
}

Response error_response(int status, std::string_view content_type, std::string code, std::string message) {
  return error_response(status, content_type, api::ErrorBody{.code = std::move(code), .message = std::move(message)});
}

int status_of(const Error& error) {
  const int status = error.http_status();
  return (status >= 400 && status <= 599) ? status : api::error_http_status(error.code());
}

// Every 5xx answer is logged with its cause: to HandlerOptions::log_internal_error when set
// (dynamo-server prints it to stderr), else to the library log at ERROR. The cause may name
// files and library errors (a full disk: "StoreError: LMDB store /var/lib/dynamo: committing
// (0 bytes free on its filesystem): Input/output error"), which is why it goes here and not
// into the answer.
void log_server_fault(const HandlerOptions& options, std::string_view target, int status, std::string_view cause) {
  try {
    const std::string line = std::to_string(status) + " answered to " +
                             (target.empty() ? std::string("a request") : printable(target)) + ": " +
                             std::string(cause);
    if (options.log_internal_error) {
      options.log_internal_error(line);
    } else {
      log(LogLevel::error, "server", line);
    }
  } catch (...) {  // a log line that cannot be made (out of memory) must not lose the answer
  }
}

// ---- The checks, in DynamoDB's order ----------------------------------------------------

// The media type without parameters ("application/json; charset=utf-8" → "application/json").
std::string_view media_type(std::string_view content_type) {
  return trim(content_type.substr(0, content_type.find(';')));
}

// The constant-time comparison of a received session token with the expected one. Both are
// hashed first, so the time taken does not depend on the token's length either.
bool same_token(std::string_view received, std::string_view expected) {
  const auth::detail::Sha256Digest a = auth::detail::sha256(received);
  const auth::detail::Sha256Digest b = auth::detail::sha256(expected);
  return auth::detail::constant_time_equal(std::string_view(reinterpret_cast<const char*>(a.data()), a.size()),
                                           std::string_view(reinterpret_cast<const char*>(b.data()), b.size()));
}

// Authenticates the request and returns its parsed Authorization header, whose scope names
// the region whose tables the request reads and writes.
auth::AuthorizationHeader check_authentication(const Request& request, const HandlerOptions& options,
                                               bool shared_namespace) {
  const auth::Header* authorization = find_header(request.headers, "authorization");
  if (authorization == nullptr || trim(authorization->value).substr(0, 5) != "AWS4-") {
    reject(400, error_code::missing_authentication_token, "Request is missing Authentication Token");
  }
  if (options.credentials.empty()) {
    // DynamoDB Local's mode: the header must be well formed, the signature is not checked.
    auth::AuthorizationHeader parsed = auth::parse_authorization_header(authorization->value);
    if (find_header(request.headers, "x-amz-date") == nullptr && find_header(request.headers, "date") == nullptr) {
      reject(400, error_code::incomplete_signature,
             "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
    }
    return parsed;
  }
  const auth::AuthorizationHeader parsed = auth::parse_authorization_header(authorization->value);
  const auth::Credentials* known = nullptr;
  for (const auth::Credentials& credentials : options.credentials) {
    if (credentials.access_key_id == parsed.access_key_id) known = &credentials;
  }
  if (known == nullptr) {
    log(LogLevel::warn, "server", "refused a request signed with unknown access key id " + printable(parsed.access_key_id));
    reject(400, error_code::unrecognized_client, "The security token included in the request is invalid.");
  }
  // The scope, checked before the signature: the service must be DynamoDB's, and the
  // region one this endpoint serves (any valid name in per-region mode, where the scope's
  // region picks the tables; only the server's region when one set of tables, whose ARNs
  // name that region, answers for all).
  const auto refuse_scope = [&](std::string message) {
    log(LogLevel::warn, "server",
        "refused a request from access key id " + printable(parsed.access_key_id) + ": " + message);
    reject(400, error_code::invalid_signature, std::move(message));
  };
  if (parsed.service != "dynamodb") {
    refuse_scope("Credential should be scoped to correct service: 'dynamodb'. ");
  }
  if (shared_namespace ? parsed.region != options.region : !is_valid_region_name(parsed.region)) {
    refuse_scope(invalid_region_message(parsed.region));
  }
  auth::VerifyOptions verify;
  if (options.check_clock_skew) verify.now = auth::current_time();
  try {
    (void)auth::verify_signature(
        {.method = request.method, .url = request.target, .headers = request.headers, .body = request.body},
        known->secret_access_key.reveal(), verify);
  } catch (const Error& error) {
    // The verifier's message says what did not match (signature, date, scope), never a secret.
    log(LogLevel::warn, "server",
        "refused a request from access key id " + printable(parsed.access_key_id) + ": " + error.code() + ": " +
            std::string(error.message()));
    throw;
  }
  if (known->has_session_token()) {
    const auth::Header* token = find_header(request.headers, "x-amz-security-token");
    if (token == nullptr || !same_token(trim(token->value), known->session_token.reveal())) {
      log(LogLevel::warn, "server",
          "refused a request from access key id " + printable(parsed.access_key_id) +
              (token == nullptr ? ": the session token is missing" : ": the session token does not match"));
      reject(400, error_code::unrecognized_client, "The security token included in the request is invalid.");
    }
  }
  return parsed;
}

// The DEBUG line of one request: "PutItem status=200 bytes=123/45 latency=0.052ms
// request_id=...", with the error code of a failure. No header, key or item.
std::string describe_exchange(const Request& request, const Response& response, std::chrono::nanoseconds took) {
  const auth::Header* target = find_header(request.headers, "x-amz-target");
  std::string line = request.method == "POST" ? printable(target == nullptr ? std::string_view("(no X-Amz-Target)")
                                                                             : trim(target->value))
                                              : printable(request.method) + " " + printable(request.target);
  line.append(" status=").append(std::to_string(response.status));
  if (response.status >= 400) {
    try {
      line.append(" error=").append(api::decode_error(response.body).code);
    } catch (const Error&) {  // not a JSON error body: the status says enough
    }
  }
  char numbers[96];
  std::snprintf(numbers, sizeof numbers, " bytes=%zu/%zu latency=%.3fms", request.body.size(), response.body.size(),
                std::chrono::duration<double, std::milli>(took).count());
  line.append(numbers);
  if (const std::string* id = response.header("x-amzn-RequestId")) line.append(" request_id=").append(*id);
  return line;
}

}  // namespace

const std::string* Response::header(std::string_view name) const {
  for (const auth::Header& each : headers) {
    if (dynamo::detail::equals_ignoring_ascii_case(each.name, name)) return &each.value;
  }
  return nullptr;
}

std::string new_request_id() {
  // A bijective mix of (random seed + counter) is unique for 2^64 requests; the rest of the
  // id is filler in the service's shape.
  static const std::uint64_t seed = [] {
    std::random_device device;
    return (std::uint64_t{device()} << 32) ^ device();
  }();
  static std::atomic<std::uint64_t> counter{0};
  const std::uint64_t n = counter.fetch_add(1, std::memory_order_relaxed);
  const auto mix = [](std::uint64_t h) {  // splitmix64's finaliser: a bijection
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
  };
  constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string id(52, 'A');
  const std::uint64_t unique = mix(seed + n);
  std::uint64_t word = unique;
  int bits_left = 64;
  std::uint64_t round = 0;
  for (char& c : id) {
    if (bits_left < 5) {
      word = mix(unique + ++round * 0x9e3779b97f4a7c15ULL);
      bits_left = 64;
    }
    c = alphabet[word & 31U];
    word >>= 5;
    bits_left -= 5;
  }
  return id;
}

bool is_valid_region_name(std::string_view region) noexcept {
  if (region.empty() || region.size() > 64) return false;
  for (const char c : region) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

Namespaces::Namespaces(std::shared_ptr<engine::Engine> shared) : shared_(std::move(shared)) {
  if (shared_ == nullptr) throw std::invalid_argument("Namespaces: the shared engine is null");
}

Namespaces::Namespaces(EngineFactory make, std::size_t max_regions)
    : make_(std::move(make)), max_regions_(max_regions) {
  if (!make_) throw std::invalid_argument("Namespaces: no engine factory");
}

Namespaces::~Namespaces() = default;

engine::Engine& Namespaces::engine(std::string_view region) {
  if (shared_ != nullptr) return *shared_;
  {
    const std::shared_lock lock(mutex_);
    if (const auto found = engines_.find(region); found != engines_.end()) return *found->second;
  }
  if (!is_valid_region_name(region)) throw Error(std::string(error_code::invalid_signature), invalid_region_message(region));
  const std::unique_lock lock(mutex_);
  if (const auto found = engines_.find(region); found != engines_.end()) return *found->second;
  if (engines_.size() >= max_regions_) {
    throw Error(std::string(error_code::invalid_signature),
                invalid_region_message(region) + "(this server serves at most " + std::to_string(max_regions_) +
                    " regions at once)");
  }
  std::shared_ptr<engine::Engine> made = make_(std::string(region));
  if (made == nullptr) throw std::logic_error("Namespaces: the engine factory returned null");
  engine::Engine& result = *made;
  engines_.emplace(std::string(region), std::move(made));
  return result;
}

std::vector<std::string> Namespaces::regions() const {
  const std::shared_lock lock(mutex_);
  std::vector<std::string> names;
  names.reserve(engines_.size());
  for (const auto& entry : engines_) names.push_back(entry.first);
  return names;
}

RequestHandler::RequestHandler(engine::Engine& engine, HandlerOptions options)
    // Not owned: the caller keeps `engine` alive (the aliasing constructor with no owner).
    : namespaces_(std::make_shared<Namespaces>(std::shared_ptr<engine::Engine>(std::shared_ptr<void>(), &engine))),
      options_(std::move(options)) {}

RequestHandler::RequestHandler(std::shared_ptr<Namespaces> namespaces, HandlerOptions options)
    : namespaces_(std::move(namespaces)), options_(std::move(options)) {
  if (namespaces_ == nullptr) throw std::invalid_argument("RequestHandler: no namespaces");
}

Response RequestHandler::handle(const Request& request) const noexcept {
  if (!log_enabled(LogLevel::debug)) return respond(request);
  const auto started = std::chrono::steady_clock::now();
  Response response = respond(request);
  try {
    log(LogLevel::debug, "server", describe_exchange(request, response, std::chrono::steady_clock::now() - started));
  } catch (...) {  // a log line that cannot be made (out of memory) must not lose the response
  }
  return response;
}

Response RequestHandler::respond(const Request& request) const noexcept {
  std::string_view response_type = json_1_0;
  std::string_view target_name;  // the X-Amz-Target, for the log of a server-side failure
  try {
    try {
      // GET answers a health check, as DynamoDB does (load balancers and docker-compose
      // health checks probe it).
      if (request.method == "GET") {
        return make_response(200, "text/plain", "healthy: dynamodb." + options_.region + ".amazonaws.com ");
      }
      const auth::Header* content_type = find_header(request.headers, "content-type");
      const std::string_view type = content_type == nullptr ? std::string_view{} : media_type(content_type->value);
      if (dynamo::detail::equals_ignoring_ascii_case(type, plain_json)) response_type = plain_json;
      // DynamoDB answers 404 UnknownOperationException to other methods, and to a body of any
      // other type (application/x-amz-json-1.1 included: that is the JSON 1.1 protocol of
      // other AWS services, not DynamoDB's).
      if (request.method != "POST") {
        reject(404, error_code::unknown_operation,
               "dynamo-server speaks DynamoDB's JSON 1.0 protocol: POST / with X-Amz-Target; GET / is a health check");
      }
      if (!request.body.empty() && !dynamo::detail::equals_ignoring_ascii_case(type, json_1_0) && !dynamo::detail::equals_ignoring_ascii_case(type, plain_json)) {
        reject(404, error_code::unknown_operation,
               "Content-Type must be application/x-amz-json-1.0, not '" + printable(type) + "'");
      }
      if (request.body.size() > options_.max_body_bytes) return body_too_large(request.body.size());

      const auth::Header* target = find_header(request.headers, "x-amz-target");
      if (target != nullptr) target_name = trim(target->value);
      const std::optional<api::Operation> operation =
          target == nullptr ? std::nullopt : api::operation_from_target(trim(target->value));
      if (!operation) {
        reject(400, error_code::unknown_operation,
               target == nullptr ? std::string("Missing X-Amz-Target header")
                                 : "Unknown operation '" + printable(trim(target->value)) + "'");
      }
      const auth::AuthorizationHeader scope = check_authentication(request, options_, namespaces_->shared());
      engine::Engine& engine = namespaces_->engine(scope.region);
      const Dispatch dispatch = routes[static_cast<std::size_t>(*operation)].dispatch;
      return make_response(200, response_type, dispatch(engine, request.body));
    } catch (const ProtocolError& error) {
      return error_response(error.status, response_type, error.code, error.message);
    } catch (const Error& error) {
      const int status = status_of(error);
      if (status >= 500) {
        log_server_fault(options_, target_name, status, error.code() + ": " + error.what());
        // A 500 is a failure inside the server (a store that cannot write, a corrupt
        // record): answered as DynamoDB does, without the message, which may name files.
        // SDKs retry it with backoff. Other 5xx codes are answers meant for the client.
        if (status == 500) return error_response(500, response_type, std::string(error_code::internal_server_error), "Internal server error");
      }
      return error_response(status, response_type, engine::error_body_of(error));  // Item, reasons included
    } catch (const std::exception& error) {
      // Not a DynamoDB error: a bug or resource exhaustion. The body must not show internals.
      log_server_fault(options_, target_name, 500, error.what());
      return error_response(500, response_type, std::string(error_code::internal_server_error), "Internal server error");
    } catch (...) {
      log_server_fault(options_, target_name, 500, "unknown exception");
      return error_response(500, response_type, std::string(error_code::internal_server_error), "Internal server error");
    }
  } catch (...) {
    // Building even the error response failed (out of memory): nothing sensible remains.
    std::terminate();
  }
}

Response RequestHandler::body_too_large(std::optional<std::size_t> body_bytes) const {
  const std::string size = body_bytes ? " of " + std::to_string(*body_bytes) + " bytes" : std::string();
  return error_response(413, json_1_0, std::string(error_code::request_entity_too_large),
                        "Request body" + size + " exceeds the limit of " + std::to_string(options_.max_body_bytes) +
                            " bytes");
}

Response RequestHandler::malformed_http(std::string_view reason) const {
  return error_response(400, json_1_0, std::string(error_code::serialization),
                        "Malformed HTTP request: " + std::string(reason));
}

}  // namespace dynamo::server
