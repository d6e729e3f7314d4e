// The hooks of the HTTP layer: what it reports before and after every call (operation,
// table, HTTP status, attempts, the service's request id, duration). Kept apart from
// transport.hpp so that ConnectionOptions can carry them without the transport's
// declarations.
//
//   dynamo::http::TransportHooks hooks{
//       .log_call = [](const dynamo::http::CallFinished& call) {
//         std::clog << call.operation << ' ' << call.http_status << ' ' << call.retries() << '\n';
//       }};
#pragma once

#include <chrono>
#include <functional>
#include <string_view>

namespace dynamo::http {

// Given to the before-call hook.
struct CallStarted {
  std::string_view operation{};
  std::string_view table_name{};
  // Made on the client for this call (a random UUID), so that a before and an after
  // event can be matched; unrelated to DynamoDB's x-amzn-RequestId.
  std::string_view client_request_id{};
};

// Given to the after-call and logging hooks, once per call whatever its outcome.
struct CallFinished {
  std::string_view operation{};
  std::string_view table_name{};
  std::string_view client_request_id{};
  int http_status = 0;                  // the final status; 0 when the call threw
  std::string_view error_code{};        // service or client-side code; empty on success
  std::string_view service_request_id{};  // x-amzn-RequestId of the final response, if any
  int attempts = 0;                     // 1 + retries
  std::chrono::nanoseconds duration{};  // first byte of work to outcome, backoff included

  [[nodiscard]] int retries() const noexcept { return attempts > 0 ? attempts - 1 : 0; }
};

// PynamoDB's pre/post_dynamodb_send signals, plus a logging hook. Hooks run on the thread
// making the call (the event thread or a worker for call_async), so they should be quick;
// the views they receive are valid only during the hook. An exception a hook throws is swallowed:
// a broken logger must not fail a write that succeeded.
struct TransportHooks {
  std::function<void(const CallStarted&)> before_call{};
  std::function<void(const CallFinished&)> after_call{};
  // Meant for a log line or a metric; called after after_call with the same record.
  std::function<void(const CallFinished&)> log_call{};
};

}  // namespace dynamo::http
