// dynamo::Outcome — what a completion handler of an asynchronous call receives: the
// response, or the exception the blocking form of the call would have thrown.
//
//   db.get_item_async({.table_name = "Thread", .key = key}, [](dynamo::Outcome<dynamo::api::GetItemResponse> got) {
//     if (got) use(got.get().item);   // or just got.get(), which throws the call's error
//   });
//
// Errors keep their types: get() rethrows the same GetError, TableDoesNotExist, ... that
// Connection::get_item would have thrown, so one catch clause serves both forms.
#pragma once

#include <exception>
#include <functional>
#include <optional>
#include <utility>

namespace dynamo {

template <class Response>
class Outcome {
 public:
  explicit Outcome(Response response) : response_(std::move(response)) {}
  explicit Outcome(std::exception_ptr error) : error_(std::move(error)) {}

  // True when the call succeeded.
  [[nodiscard]] bool ok() const noexcept { return error_ == nullptr; }
  explicit operator bool() const noexcept { return ok(); }

  // The response; rethrows the call's exception when it failed.
  Response& get() & {
    if (error_) std::rethrow_exception(error_);
    return *response_;
  }
  Response&& get() && { return std::move(get()); }

  // The call's exception, or null when it succeeded.
  [[nodiscard]] const std::exception_ptr& error() const noexcept { return error_; }

 private:
  std::optional<Response> response_;
  std::exception_ptr error_;
};

// Called once with the outcome of an asynchronous call. Where it runs depends on the
// backend (docs/untyped-items.md, "Many calls at once"); an exception it lets escape is
// logged and dropped.
template <class Response>
using CompletionHandler = std::function<void(Outcome<Response>)>;

}  // namespace dynamo
