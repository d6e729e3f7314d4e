// dynamo::Backend — the seam between the client and whatever executes DynamoDB requests.
//
// Two implementations: the HTTP backend (signs each request and sends it to AWS DynamoDB,
// ScyllaDB Alternator, dynalite, or dynamo's own server) and the embedded backend (calls the
// in-process engine, with no JSON and no network). Connection holds a Backend and never knows
// which one it has; a test can supply its own.
//
// Contract: every method executes one request and returns the service's response, or throws
// dynamo::Error carrying the service's error code (dynamo::api::ServiceError when the error
// carries an item or cancellation reasons), or a dynamo::Error with code "ConnectionError"
// when the service could not be reached. Implementations must be safe to call from many
// threads at once.
#pragma once

#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "dynamo/api/messages.hpp"
#include "dynamo/api/operation_list.hpp"
#include "dynamo/auth/client_settings.hpp"

namespace dynamo {

// Receives the outcome of an asynchronous call: a response, or the exception it raised.
template <class Response>
using Completion = std::function<void(std::optional<Response> response, std::exception_ptr error)>;

class Backend {
 public:
  virtual ~Backend();

#define DYNAMO_BACKEND_METHOD(method, Name, ...) \
  virtual api::Name##Response method(const api::Name##Request& request) = 0;
  DYNAMO_OPERATIONS(DYNAMO_BACKEND_METHOD)
#undef DYNAMO_BACKEND_METHOD

  // Asynchronous forms: start the call and report its end to `done` exactly once, with the
  // response or the exception it raised. The default runs the call at once on the calling
  // thread (right for the embedded engine, whose calls take microseconds); backends that
  // can keep many calls in flight (HTTP over a connection pool) override them.
#define DYNAMO_BACKEND_ASYNC_METHOD(method, Name, ...) \
  virtual void method##_async(api::Name##Request request, Completion<api::Name##Response> done);
  DYNAMO_OPERATIONS(DYNAMO_BACKEND_ASYNC_METHOD)
#undef DYNAMO_BACKEND_ASYNC_METHOD

  // Waits until the stream shard that `shard_iterator` reads has a record at the iterator's
  // position (or the shard closes), or `timeout` passes; true unless it timed out. The
  // embedded engine waits on the stream itself, so its readers need not poll; a remote
  // backend cannot, and answers false at once (its readers poll GetRecords with backoff).
  [[nodiscard]] virtual bool wait_for_stream_records(const std::string& shard_iterator,
                                                     std::chrono::milliseconds timeout);

  // A backend sending every call with `settings` over its own (timeouts, retries, extra
  // headers; auth::OperationSettings), sharing this one's connections and credentials; or
  // null when calls have no such settings (the embedded engine: no network, no headers).
  // Connection::with_settings has checked `settings` (auth::check_operation_settings).
  [[nodiscard]] virtual std::shared_ptr<Backend> with_settings(const auth::OperationSettings& settings);

  // A short description for logs and error messages ("embedded (memory)", "http://...").
  [[nodiscard]] virtual std::string describe() const = 0;
};

}  // namespace dynamo
