#include "dynamo/client/connection.hpp"

#include <atomic>
#include <cstdio>
#include <mutex>
#include <random>
#include <type_traits>

#include "dynamo/api/operations.hpp"
#include "dynamo/auth/settings.hpp"
#include "dynamo/client/table_connection.hpp"
#include "dynamo/log.hpp"

#include "call_attempts.hpp"

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
  if (cause.code() == error_code::resource_not_found) throw MissingTableError<ErrorType>(operation, table, cause);
  throw ErrorType(operation, table, cause);
}

// The units a response reports, and their effect on the connection's totals.
void add_capacity(CapacityTotals& totals, const api::ConsumedCapacity& consumed, bool read_only) {
  const double units = consumed.capacity_units.value_or(0);
  // Transactions and batches split reads from writes themselves; otherwise the operation says.
  const double read = consumed.read_capacity_units.value_or(read_only ? units : 0);
  const double write = consumed.write_capacity_units.value_or(read_only ? 0 : units);
  totals.read_units += read;
  totals.write_units += write;
  TableCapacityTotals& table = totals.tables[consumed.table_name.value_or("")];
  table.read_units += read;
  table.write_units += write;
  for (const auto* indexes : {&consumed.local_secondary_indexes, &consumed.global_secondary_indexes}) {
    if (!*indexes) continue;
    for (const auto& [name, capacity] : **indexes) table.indexes[name] += capacity.capacity_units.value_or(0);
  }
}

template <class Response>
const api::ConsumedCapacity* consumed_begin(const Response& response, std::size_t& count) {
  count = 0;
  if constexpr (requires { response.consumed_capacity; }) {
    const auto& consumed = response.consumed_capacity;
    if (!consumed) return nullptr;
    if constexpr (std::is_same_v<std::decay_t<decltype(*consumed)>, api::ConsumedCapacity>) {
      count = 1;
      return &*consumed;
    } else {
      count = consumed->size();
      return consumed->data();
    }
  }
  return nullptr;
}

}  // namespace

struct Connection::State {
  CallDefaults defaults;
  mutable std::mutex mutex;
  CapacityTotals totals;  // guarded by mutex

  // Adds what `response` consumed to the totals and returns its units.
  template <class Response>
  double record(const Response& response, bool read_only) {
    std::size_t count = 0;
    const api::ConsumedCapacity* consumed = consumed_begin(response, count);
    if (count == 0) return 0;
    double units = 0;
    const std::lock_guard lock(mutex);
    for (std::size_t i = 0; i < count; ++i) {
      units += consumed[i].capacity_units.value_or(0);
      add_capacity(totals, consumed[i], read_only);
    }
    return units;
  }

  // `request` with the connection's ReturnConsumedCapacity when it sets none; null when
  // nothing needs to change (the request is then used as it is, without a copy).
  template <class Request>
  std::optional<Request> with_defaults(const Request& request) const {
    if constexpr (requires { request.return_consumed_capacity; }) {
      if (defaults.return_consumed_capacity && !request.return_consumed_capacity) {
        std::optional<Request> copy(request);
        copy->return_consumed_capacity = defaults.return_consumed_capacity;
        return copy;
      }
    }
    return std::nullopt;
  }
};

namespace {

// Times one call and reports it to the hooks and the log. Does nothing when no hook is set
// and DEBUG logging is off, so the embedded backend's hot path pays nothing for the feature.
class CallReport {
 public:
  CallReport(std::shared_ptr<const CallHooks> hooks, std::string_view operation, std::string_view table,
             const Backend& backend)
      : hooks_(std::move(hooks)), logging_(log_enabled(LogLevel::debug)),
        active_(hooks_->before || hooks_->after || logging_), operation_(operation) {
    if (!active_) return;
    table_ = table;
    id_ = next_call_id();
    if (logging_) backend_ = backend.describe();
    start_ = std::chrono::steady_clock::now();
    if (hooks_->before) {
      try {
        hooks_->before(CallInfo{operation_, table_, id_});
      } catch (...) {  // a hook must not break the call (see hooks.hpp)
      }
    }
  }

  // Reports the outcome of the call on `table`; `attempts` is what the backend left
  // (call_attempts.hpp).
  void finish(std::string_view table, int attempts, double units, std::string_view error_code = {},
              std::string_view service_request_id = {}) {
    const bool warn = is_warning(error_code) && log_enabled(LogLevel::warn);
    if (!active_ && !warn) return;
    if (!active_) table_ = table;  // only now needed: the line of a warning
    const auto elapsed = active_ ? std::chrono::duration_cast<std::chrono::microseconds>(
                                       std::chrono::steady_clock::now() - start_)
                                 : std::chrono::microseconds{};
    const CallOutcome outcome{elapsed, error_code, service_request_id, attempts, units};
    if (hooks_->after) {
      try {
        hooks_->after(CallInfo{operation_, table_, id_}, outcome);
      } catch (...) {  // a hook must not break the call (see hooks.hpp)
      }
    }
    if (logging_ || warn) log(warn ? LogLevel::warn : LogLevel::debug, "client", describe(outcome));
  }

 private:
  // Failures an operator should hear about even when calls are not logged one by one:
  // throttling that outlasted the retries, and an endpoint that could not be reached.
  static bool is_warning(std::string_view code) {
    if (code.empty()) return false;  // a success: no lookup on the common path
    if (code == error_code::connection_error || code == error_code::checksum_error) return true;
    const ErrorCodeInfo* info = find_error_code(code);
    return info != nullptr && info->retry == ErrorRetry::throttling;
  }

  // "PutItem table=Thread backend=... ok attempts=1 latency=0.021ms consumed=1 id=...":
  // names, ids, counts and times only, never a key, an item or a credential.
  std::string describe(const CallOutcome& outcome) const {
    std::string line(operation_);
    if (!table_.empty()) line.append(" table=").append(table_);
    if (!backend_.empty()) line.append(" backend=").append(backend_);
    if (outcome.error_code.empty()) {
      line.append(" ok");
    } else {
      line.append(" error=").append(outcome.error_code);
    }
    char numbers[96];
    std::snprintf(numbers, sizeof numbers, " attempts=%d latency=%.3fms consumed=%g", outcome.attempts,
                  static_cast<double>(outcome.duration.count()) / 1000.0, outcome.consumed_capacity_units);
    line.append(numbers);
    if (!outcome.service_request_id.empty()) line.append(" request_id=").append(outcome.service_request_id);
    if (!id_.empty()) line.append(" client_request_id=").append(id_);
    return line;
  }

  std::shared_ptr<const CallHooks> hooks_;
  bool logging_;
  bool active_;
  std::string_view operation_;  // an operation's name: a literal
  std::string table_;
  std::string id_;
  std::string backend_;
  std::chrono::steady_clock::time_point start_{};
};

template <class ErrorType, class Request, class Call>
auto invoke(const std::shared_ptr<const CallHooks>& hooks, const Backend& backend, Connection::State& state,
            std::string_view operation, bool read_only, const Request& request, Call&& call) {
  const std::optional<Request> adjusted = state.with_defaults(request);
  const Request& sent = adjusted ? *adjusted : request;
  const std::string_view table = table_of(sent);
  CallReport report(hooks, operation, table, backend);
  detail::completing_call_attempts = 1;
  try {
    auto response = call(sent);
    const int attempts = detail::take_call_attempts();
    report.finish(table, attempts, state.record(response, read_only));
    return response;
  } catch (const Error& e) {
    report.finish(table, detail::take_call_attempts(), 0, e.code(), e.request_id());
    throw_as<ErrorType>(operation, table, e);
  }
}

// Starts an asynchronous call and hands its outcome to `deliver(response, error)` once,
// on the thread the backend completes on, after the hooks and the log have seen it; the
// error is already of the operation's type (ErrorType), as the blocking form throws it.
template <class ErrorType, class Response, class Request, class Start, class Deliver>
void invoke_async(const std::shared_ptr<const CallHooks>& hooks, const Backend& backend,
                  const std::shared_ptr<Connection::State>& state, std::string_view operation, bool read_only,
                  Request request, Start&& start, Deliver deliver) {
  if (auto adjusted = state->with_defaults(request)) request = std::move(*adjusted);
  std::string table(table_of(request));
  auto report = std::make_shared<CallReport>(hooks, operation, table, backend);
  auto done = [deliver = std::move(deliver), report, state, operation, read_only, table = std::move(table)](
                  std::optional<Response> response, std::exception_ptr error) mutable {
    // Taken at once, on the thread the backend completes on (call_attempts.hpp).
    const int attempts = detail::take_call_attempts();
    if (!error) {
      report->finish(table, attempts, state->record(*response, read_only));
      deliver(std::move(response), nullptr);
      return;
    }
    try {
      std::rethrow_exception(error);
    } catch (const Error& e) {
      report->finish(table, attempts, 0, e.code(), e.request_id());
      try {
        throw_as<ErrorType>(operation, table, e);
      } catch (...) {
        error = std::current_exception();
      }
    } catch (...) {
      report->finish(table, attempts, 0, std::string(error_code::unexpected));
    }
    deliver(std::nullopt, std::move(error));
  };
  start(std::move(request), Completion<Response>(std::move(done)));
}

// The outcome of a call returning a future: into its promise.
template <class Response>
struct Fulfil {
  std::shared_ptr<std::promise<Response>> promise;
  void operator()(std::optional<Response> response, std::exception_ptr error) const {
    if (error) {
      promise->set_exception(std::move(error));
    } else {
      promise->set_value(std::move(*response));
    }
  }
};

// The outcome of a call with a completion handler: to the handler, which may not throw
// into the backend (an escaping exception is logged).
template <class Response>
struct Hand {
  CompletionHandler<Response> handler;
  std::string_view operation;
  void operator()(std::optional<Response> response, std::exception_ptr error) const {
    try {
      handler(error ? Outcome<Response>(std::move(error)) : Outcome<Response>(std::move(*response)));
    } catch (const std::exception& e) {
      log(LogLevel::error, "client",
          "the completion handler of " + std::string(operation) + " threw, and its exception was dropped: " + e.what());
    } catch (...) {
      log(LogLevel::error, "client",
          "the completion handler of " + std::string(operation) + " threw, and its exception was dropped");
    }
  }
};

}  // namespace

Connection::Connection(std::shared_ptr<Backend> backend, CallHooks hooks, CallDefaults defaults)
    : backend_(std::move(backend)),
      hooks_(std::make_shared<const CallHooks>(std::move(hooks))),
      state_(std::make_shared<State>()) {
  if (!backend_) throw Error(std::string(error_code::invalid_configuration), "a Connection needs a backend", 400);
  state_->defaults = std::move(defaults);
}

Connection Connection::with_settings(const auth::OperationSettings& settings) const {
  auth::check_operation_settings(settings);  // on every backend, so code behaves alike on each
  Connection copy = *this;
  if (std::shared_ptr<Backend> backend = backend_->with_settings(settings)) copy.backend_ = std::move(backend);
  return copy;
}

CapacityTotals Connection::consumed_capacity() const {
  const std::lock_guard lock(state_->mutex);
  return state_->totals;
}

void Connection::reset_consumed_capacity() const {
  const std::lock_guard lock(state_->mutex);
  state_->totals = {};
}

// Starts `request` on the backend's asynchronous form, its outcome to `deliver`.
#define DYNAMO_START_ASYNC(method, Name, ErrorType, deliver)                                                 \
  invoke_async<ErrorType, api::Name##Response>(                                                              \
      hooks_, *backend_, state_, #Name, api::is_read_only(api::Operation::method), std::move(request),        \
      [&](api::Name##Request sent, Completion<api::Name##Response> done) {                                   \
        backend_->method##_async(std::move(sent), std::move(done));                                          \
      },                                                                                                     \
      deliver)

#define DYNAMO_CONNECTION_METHOD(method, Name, protocol, access, scope, ErrorType)                         \
  api::Name##Response Connection::method(const api::Name##Request& request) const {                          \
    return invoke<ErrorType>(hooks_, *backend_, *state_, #Name, api::is_read_only(api::Operation::method),   \
                             request, [&](const api::Name##Request& sent) { return backend_->method(sent); }); \
  }                                                                                                          \
  std::future<api::Name##Response> Connection::method##_async(api::Name##Request request) const {            \
    auto promise = std::make_shared<std::promise<api::Name##Response>>();                                    \
    auto future = promise->get_future();                                                                     \
    DYNAMO_START_ASYNC(method, Name, ErrorType, (Fulfil<api::Name##Response>{std::move(promise)}));          \
    return future;                                                                                           \
  }                                                                                                          \
  void Connection::method##_async(api::Name##Request request, CompletionHandler<api::Name##Response> handler)  \
      const {                                                                                                \
    if (!handler) throw Error::validation(#method "_async: the completion handler is empty");                \
    DYNAMO_START_ASYNC(method, Name, ErrorType, (Hand<api::Name##Response>{std::move(handler), #Name}));     \
  }
DYNAMO_OPERATIONS(DYNAMO_CONNECTION_METHOD)
#undef DYNAMO_CONNECTION_METHOD
#undef DYNAMO_START_ASYNC

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
          const { return connection_.method##_async(bind(std::move(request))); }                     \
      void TableConnection::method##_async(api::Name##Request request,                               \
                                           CompletionHandler<api::Name##Response> handler) const {   \
        connection_.method##_async(bind(std::move(request)), std::move(handler));                    \
      })
DYNAMO_OPERATIONS(DYNAMO_TABLE_METHOD)
#undef DYNAMO_TABLE_METHOD

}  // namespace dynamo
