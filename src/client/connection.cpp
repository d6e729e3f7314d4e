#include "dynamo/client/connection.hpp"

#include <atomic>
#include <random>
#include <type_traits>

#include "dynamo/client/table_connection.hpp"

namespace dynamo {

OperationError::OperationError(std::string_view operation, std::string_view table_name, const Error& cause)
    : Error(cause.code(),
            std::string(operation) + (table_name.empty() ? "" : " on table \"" + std::string(table_name) + "\"") +
                " failed: " + cause.code() + ": " + std::string(cause.message()),
            cause.http_status(), cause.request_id()),
      operation_(operation),
      table_name_(table_name),
      cause_message_(cause.message()) {
  if (const auto* service = dynamic_cast<const api::ServiceError*>(&cause)) {
    item_ = service->item();
    cancellation_reasons_ = service->cancellation_reasons();
    // On the wire an action that did not cause the cancellation has Code "None"; callers see
    // no code at all, so `if (reason.code)` means "this action failed".
    for (auto& reason : cancellation_reasons_) {
      if (reason.code == "None") reason.code.reset();
    }
  } else if (const auto* previous = dynamic_cast<const OperationError*>(&cause)) {
    item_ = previous->item_;
    cancellation_reasons_ = previous->cancellation_reasons_;
    cause_message_ = previous->cause_message_;
  }
}

namespace {

// Client-side call ids: a random per-process prefix and a counter, unique enough to
// correlate hook calls in logs without a system call per request.
std::string next_call_id() {
  static const std::uint64_t prefix = [] {
    std::random_device device;
    return (std::uint64_t{device()} << 32) ^ device();
  }();
  static std::atomic<std::uint64_t> counter{0};
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%016llx-%llu", static_cast<unsigned long long>(prefix),
                              static_cast<unsigned long long>(counter.fetch_add(1, std::memory_order_relaxed)));
  return std::string(buf, static_cast<std::size_t>(n));
}

template <class Request>
std::string_view table_of(const Request& request) {
  if constexpr (requires { request.table_name; }) {
    if constexpr (std::is_convertible_v<decltype(request.table_name), std::string_view>) {
      return request.table_name;
    }
  }
  return {};
}

// Turns the backend's error into the exception type of the operation.
template <class ErrorType>
[[noreturn]] void throw_as(std::string_view operation, std::string_view table, const Error& cause) {
  if constexpr (std::is_same_v<ErrorType, TableError>) {
    if (cause.code() == "ResourceNotFoundException") throw TableDoesNotExist(operation, table, cause);
  }
  throw ErrorType(operation, table, cause);
}

// Times one call and reports it to the hooks. Does nothing when no hook is set, so the
// embedded backend's hot path pays nothing for the feature.
class CallReport {
 public:
  CallReport(std::shared_ptr<const CallHooks> hooks, std::string_view operation, std::string_view table)
      : hooks_(std::move(hooks)), active_(hooks_->before || hooks_->after) {
    if (!active_) return;
    operation_ = operation;
    table_ = table;
    id_ = next_call_id();
    start_ = std::chrono::steady_clock::now();
    if (hooks_->before) {
      try {
        hooks_->before(CallInfo{operation_, table_, id_});
      } catch (...) {  // a hook must not break the call (see hooks.hpp)
      }
    }
  }

  void finish(std::string_view error_code = {}, std::string_view service_request_id = {}) const {
    if (!active_ || !hooks_->after) return;
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_);
    try {
      hooks_->after(CallInfo{operation_, table_, id_}, CallOutcome{elapsed, error_code, service_request_id});
    } catch (...) {  // a hook must not break the call (see hooks.hpp)
    }
  }

 private:
  std::shared_ptr<const CallHooks> hooks_;
  bool active_;
  std::string operation_;
  std::string table_;
  std::string id_;
  std::chrono::steady_clock::time_point start_{};
};

template <class ErrorType, class Call>
auto invoke(const std::shared_ptr<const CallHooks>& hooks, std::string_view operation, std::string_view table,
            Call&& call) {
  CallReport report(hooks, operation, table);
  try {
    auto response = call();
    report.finish();
    return response;
  } catch (const Error& e) {
    report.finish(e.code(), e.request_id());
    throw_as<ErrorType>(operation, table, e);
  }
}

template <class ErrorType, class Response, class Start>
std::future<Response> invoke_async(const std::shared_ptr<const CallHooks>& hooks, std::string_view operation,
                                   std::string table, Start&& start) {
  auto promise = std::make_shared<std::promise<Response>>();
  auto future = promise->get_future();
  auto report = std::make_shared<CallReport>(hooks, operation, table);
  auto done = [promise, report, operation, table = std::move(table)](std::optional<Response> response,
                                                                        std::exception_ptr error) {
    if (!error) {
      report->finish();
      promise->set_value(std::move(*response));
      return;
    }
    try {
      std::rethrow_exception(error);
    } catch (const Error& e) {
      report->finish(e.code(), e.request_id());
      try {
        throw_as<ErrorType>(operation, table, e);
      } catch (...) {
        promise->set_exception(std::current_exception());
      }
    } catch (...) {
      report->finish("InternalError");
      promise->set_exception(std::current_exception());
    }
  };
  start(Completion<Response>(std::move(done)));
  return future;
}

}  // namespace

Connection::Connection(std::shared_ptr<Backend> backend, CallHooks hooks)
    : backend_(std::move(backend)), hooks_(std::make_shared<const CallHooks>(std::move(hooks))) {
  if (!backend_) throw Error("InvalidConfiguration", "a Connection needs a backend", 400);
}

#define DYNAMO_CONNECTION_METHOD(method, Name, protocol, access, scope, ErrorType)                        \
  api::Name##Response Connection::method(const api::Name##Request& request) const {                         \
    return invoke<ErrorType>(hooks_, #Name, table_of(request), [&] { return backend_->method(request); });  \
  }                                                                                                         \
  std::future<api::Name##Response> Connection::method##_async(api::Name##Request request) const {           \
    std::string table(table_of(request));                                                                   \
    return invoke_async<ErrorType, api::Name##Response>(                                                    \
        hooks_, #Name, std::move(table), [&](Completion<api::Name##Response> done) {                        \
          backend_->method##_async(std::move(request), std::move(done));                                    \
        });                                                                                                 \
  }
DYNAMO_OPERATIONS(DYNAMO_CONNECTION_METHOD)
#undef DYNAMO_CONNECTION_METHOD

template <class Request>
Request TableConnection::bind(Request request) const {
  if (!request.table_name.empty() && request.table_name != table_name_) {
    throw Error::validation("request names table \"" + request.table_name + "\" but this TableConnection is bound to \"" +
                            table_name_ + "\"");
  }
  request.table_name = table_name_;
  return request;
}

#define DYNAMO_TABLE_METHOD(method, Name, protocol, access, scope, error)                              \
  DYNAMO_IF_TABLE_SCOPE_##scope(                                                                     \
      api::Name##Response TableConnection::method(api::Name##Request request) const {                \
        return connection_.method(bind(std::move(request)));                                         \
      }                                                                                              \
      std::future<api::Name##Response> TableConnection::method##_async(api::Name##Request request)   \
          const { return connection_.method##_async(bind(std::move(request))); })
DYNAMO_OPERATIONS(DYNAMO_TABLE_METHOD)
#undef DYNAMO_TABLE_METHOD

}  // namespace dynamo
