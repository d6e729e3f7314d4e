// dynamo::api::ServiceError: a dynamo::Error that also keeps what a DynamoDB error body
// carries beyond code and message — the old item of a failed condition
// (ReturnValuesOnConditionCheckFailure=ALL_OLD) and a cancelled transaction's reasons.
//
// Both backends throw it: the HTTP backend from a decoded error body, the embedded backend
// from the engine's error; the model layer's exceptions copy item() and
// cancellation_reasons() from it.
//
//   try { backend.transact_write_items(request); }
//   catch (const dynamo::api::ServiceError& e) {
//     for (const auto& reason : e.cancellation_reasons()) std::cout << reason.code.value_or("None");
//   }
//   throw dynamo::api::ServiceError::transaction_canceled({{.code = "None"}, {.code = "ConditionalCheckFailed"}});
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "dynamo/api/errors_wire.hpp"
#include "dynamo/error.hpp"

namespace dynamo::api {

class ServiceError : public Error {
 public:
  ServiceError(ErrorBody body, int http_status, std::string request_id = {});

  // A TransactionCanceledException with the service's message for `reasons`.
  [[nodiscard]] static ServiceError transaction_canceled(std::vector<CancellationReason> reasons);
  // A ConditionalCheckFailedException, with the old item when the caller asked for it.
  [[nodiscard]] static ServiceError conditional_check_failed(std::optional<Item> old_item = std::nullopt);

  // The whole body (code, namespace, message, item, reasons).
  [[nodiscard]] const ErrorBody& body() const noexcept { return body_; }
  // The old item of a failed condition, when the request asked for ALL_OLD.
  [[nodiscard]] const std::optional<Item>& item() const noexcept { return body_.item; }
  // One reason per action of a cancelled transaction; empty for other errors.
  [[nodiscard]] const std::vector<CancellationReason>& cancellation_reasons() const noexcept;

 private:
  ErrorBody body_;
};

}  // namespace dynamo::api
