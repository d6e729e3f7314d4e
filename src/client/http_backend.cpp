// The HTTP backend: api request structs encoded to DynamoDB JSON, sent by the http layer's
// transport (signing, pooling, retries), and the answers decoded back into response structs
// or into api::ServiceError.
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <optional>
#include <random>
#include <type_traits>
#include <utility>

#include "dynamo/api/codec.hpp"
#include "dynamo/api/service_error.hpp"
#include "dynamo/auth/credential_chain.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/http/service_error.hpp"
#include "dynamo/http/transport.hpp"
#include "call_attempts.hpp"

namespace dynamo {
namespace {

template <class Request>
std::string table_of(const Request& request) {
  if constexpr (requires { request.table_name; }) {
    if constexpr (std::is_convertible_v<decltype(request.table_name), std::string>) return request.table_name;
  }
  return {};
}

// The error a non-2xx response stands for. A DynamoDB error body keeps everything it carries
// (the old item, cancellation reasons); anything else (a proxy's HTML page) still becomes an
// error with the status and the start of the body.
[[noreturn]] void throw_response_error(const http::HttpResponse& response) {
  api::ErrorBody body;
  try {
    body = api::decode_error(response.body);
  } catch (const Error&) {
    throw http::parse_service_error(response);
  }
  if (body.code.empty()) throw http::parse_service_error(response);
  throw api::ServiceError(std::move(body), response.status, response.request_id);
}

template <class Response>
Response decode_response(const http::HttpResponse& response) {
  if (!response.ok()) throw_response_error(response);
  Response decoded;
  try {
    api::decode_into(response.body, decoded);
  } catch (const Error& e) {
    // A 200 whose body we cannot read is the endpoint's fault, not the caller's.
    throw Error(std::string(error_code::invalid_response), "the endpoint's response could not be decoded: " + std::string(e.message()), 500,
                response.request_id);
  }
  return decoded;
}

// A fresh idempotency token: a random (version 4) UUID.
std::string new_idempotency_token() {
  thread_local std::mt19937_64 generator{std::random_device{}()};
  const std::uint64_t high = (generator() & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;
  const std::uint64_t low = (generator() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  char text[37];
  std::snprintf(text, sizeof text, "%08llx-%04llx-%04llx-%04llx-%012llx", static_cast<unsigned long long>(high >> 32),
                static_cast<unsigned long long>((high >> 16) & 0xFFFF), static_cast<unsigned long long>(high & 0xFFFF),
                static_cast<unsigned long long>(low >> 48), static_cast<unsigned long long>(low & 0xFFFFFFFFFFFFULL));
  return text;
}

// The AWS SDKs give every TransactWriteItems request without a ClientRequestToken one of
// their own, so that when an attempt times out after DynamoDB applied it, the retry is
// recognised as the same transaction (for ten minutes) instead of being applied twice.
// Returns the request to send: `request` itself, or `copy` holding it with a token.
template <class Request>
const Request& with_idempotency_token(const Request& request, std::optional<Request>& copy) {
  if constexpr (std::is_same_v<Request, api::TransactWriteItemsRequest>) {
    if (!request.client_request_token) {
      copy.emplace(request);
      copy->client_request_token = new_idempotency_token();
      return *copy;
    }
  }
  (void)copy;
  return request;
}

// Where the Streams API is served for a client of `endpoint` (see ConnectionOptions).
std::string streams_endpoint_for(const ConnectionOptions& options, const auth::AwsConfigOverrides& aws,
                                 const http::HttpTransport& transport) {
  if (options.streams_endpoint) return *options.streams_endpoint;
  const auth::Environment& env = auth::process_environment();
  if (auto configured = auth::configured_endpoint("DynamoDB Streams", aws, env)) return *configured;
  if (transport.endpoint() != auth::resolve_endpoint({}, transport.region())) return transport.endpoint();
  std::string url = transport.endpoint();
  const std::string::size_type host = url.find("://dynamodb.");
  if (host != std::string::npos) url.insert(host + 3, "streams.");
  return url;
}

// The transports of one connection, shared by the backends of its with_settings() copies.
struct HttpTransports {
  HttpTransports(http::HttpTransport dynamodb_transport, std::string endpoint_url, std::string streams_endpoint_url)
      : dynamodb(std::move(dynamodb_transport)),
        endpoint(std::move(endpoint_url)),
        streams_endpoint(std::move(streams_endpoint_url)) {}

  // The transport of the operation's protocol. The Streams one is made on first use: most
  // clients never read a stream, and it has connections of its own.
  const http::HttpTransport& for_operation(api::Operation operation) {
    if (api::protocol_of(operation) != api::Protocol::streams) return dynamodb;
    std::lock_guard lock(streams_mutex);
    if (!streams) streams.emplace(dynamodb.sibling(streams_endpoint, std::string(api::streams_target_prefix)));
    return *streams;
  }

  http::HttpTransport dynamodb;
  std::string endpoint;
  std::string streams_endpoint;
  std::mutex streams_mutex;
  std::optional<http::HttpTransport> streams;
};

class HttpBackend final : public Backend {
 public:
  HttpBackend(std::shared_ptr<HttpTransports> transports, std::shared_ptr<const auth::OperationSettings> settings)
      : transports_(std::move(transports)), settings_(std::move(settings)) {}

#define DYNAMO_HTTP_METHOD(method, Name, ...)                                                            \
  api::Name##Response method(const api::Name##Request& request) override {                              \
    std::optional<api::Name##Request> with_token;                                                        \
    std::string body;                                                                                    \
    api::encode_to(body, with_idempotency_token(request, with_token));                                   \
    return decode_response<api::Name##Response>(call(transport_for(api::Operation::method), #Name,       \
                                                     std::move(body), context_of(request)));             \
  }                                                                                                      \
  void method##_async(api::Name##Request request, Completion<api::Name##Response> done) override {      \
    std::optional<api::Name##Request> with_token;                                                        \
    std::string body;                                                                                    \
    try {                                                                                                \
      api::encode_to(body, with_idempotency_token(request, with_token));                                 \
    } catch (...) {                                                                                      \
      done(std::nullopt, std::current_exception());                                                      \
      return;                                                                                            \
    }                                                                                                    \
    const http::HttpTransport* transport = nullptr;                                                      \
    try {                                                                                                \
      transport = &transport_for(api::Operation::method);                                                \
    } catch (...) {                                                                                      \
      done(std::nullopt, std::current_exception());                                                      \
      return;                                                                                            \
    }                                                                                                    \
    transport->call_async(#Name, std::move(body), context_of(request),                                   \
                          [done = std::move(done)](std::exception_ptr error, http::HttpResponse response) { \
                            detail::completing_call_attempts = error ? 0 : response.attempts;            \
                            if (error) return done(std::nullopt, error);                                 \
                            std::optional<api::Name##Response> decoded;                                  \
                            try {                                                                        \
                              decoded.emplace(decode_response<api::Name##Response>(response));           \
                            } catch (...) {                                                              \
                              return done(std::nullopt, std::current_exception());                       \
                            }                                                                            \
                            done(std::move(decoded), nullptr);                                           \
                          });                                                                            \
  }
  DYNAMO_OPERATIONS(DYNAMO_HTTP_METHOD)
#undef DYNAMO_HTTP_METHOD

  [[nodiscard]] std::shared_ptr<Backend> with_settings(const auth::OperationSettings& settings) override {
    return std::make_shared<HttpBackend>(transports_, std::make_shared<const auth::OperationSettings>(settings));
  }

  [[nodiscard]] std::string describe() const override { return transports_->endpoint; }

 private:
  const http::HttpTransport& transport_for(api::Operation operation) { return transports_->for_operation(operation); }

  template <class Request>
  http::CallContext context_of(const Request& request) const {
    return {.table_name = table_of(request), .settings = settings_};
  }

  // One synchronous call; leaves its number of attempts for the Connection (call_attempts.hpp).
  static http::HttpResponse call(const http::HttpTransport& transport, std::string_view operation, std::string body,
                                 const http::CallContext& context) {
    try {
      http::HttpResponse response = transport.call(operation, std::move(body), context);
      detail::completing_call_attempts = response.attempts;
      return response;
    } catch (...) {
      detail::completing_call_attempts = 0;
      throw;
    }
  }

  std::shared_ptr<HttpTransports> transports_;
  std::shared_ptr<const auth::OperationSettings> settings_;  // null: the connection's own
};

}  // namespace

Connection Connection::connect(const ConnectionOptions& options) {
  auth::AwsConfigOverrides aws{
      .access_key_id = options.access_key_id,
      .secret_access_key = options.secret_access_key,
      .session_token = options.session_token,
      .profile = options.profile,
      .region = options.region,
      .endpoint = options.endpoint,
  };
  aws.credentials_provider = options.credentials_provider;
  auto transport = http::HttpTransport::from_environment(options.settings, aws,
                                                         http::TransportOptions{.hooks = options.transport_hooks});
  std::string endpoint = transport.endpoint();
  std::string streams_endpoint = streams_endpoint_for(options, aws, transport);
  auto transports = std::make_shared<HttpTransports>(std::move(transport), std::move(endpoint), std::move(streams_endpoint));
  return Connection(std::make_shared<HttpBackend>(std::move(transports), nullptr),
                    options.hooks,
                    {.return_consumed_capacity = options.return_consumed_capacity});
}

}  // namespace dynamo
