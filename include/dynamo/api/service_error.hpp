// dynamo::api::ServiceError — a DynamoDB error that carries more than a code and a message.
//
// Two errors carry data: ConditionalCheckFailedException holds the item as it was when the
// request asked for ReturnValuesOnConditionCheckFailure=ALL_OLD, and
// TransactionCanceledException holds one CancellationReason per action. The embedded engine
// throws a ServiceError for them, the HTTP client builds one from the response body, and
// the server encodes one back into a body: one type on every path.
//
//   try { engine.put_item(request); }
//   catch (const dynamo::api::ServiceError& e) {
//     if (e.code() == "ConditionalCheckFailedException" && e.item()) use(*e.item());
//   }
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "dynamo/api/errors_wire.hpp"
#include "dynamo/error.hpp"

namespace dynamo::api {

class ServiceError : public Error {
 public:
  ServiceError(ErrorBody body, int http_status, std::string request_id = {})
      : Error(body.code, body.message, http_status, std::move(request_id)),
        item_(std::move(body.item)),
        reasons_(std::move(body.cancellation_reasons).value_or(std::vector<CancellationReason>{})) {}

  // A ConditionalCheckFailedException with the item it found (ALL_OLD).
  [[nodiscard]] static ServiceError conditional_check_failed(std::optional<Item> old_item) {
    return ServiceError(ErrorBody{.code = "ConditionalCheckFailedException",
                                  .message = "The conditional request failed",
                                  .item = std::move(old_item)},
                        400);
  }
  // A TransactionCanceledException with one reason per action, in request order.
  [[nodiscard]] static ServiceError transaction_canceled(std::vector<CancellationReason> reasons) {
    std::string message = transaction_canceled_message(reasons);
    return ServiceError(ErrorBody{.code = "TransactionCanceledException",
                                  .message = std::move(message),
                                  .cancellation_reasons = std::move(reasons)},
                        400);
  }

  // The old item of a failed condition, when requested with ALL_OLD.
  [[nodiscard]] const std::optional<Item>& item() const noexcept { return item_; }
  // One entry per action of a cancelled transaction (empty for other errors).
  [[nodiscard]] const std::vector<CancellationReason>& cancellation_reasons() const noexcept { return reasons_; }

  // The wire body of this error.
  [[nodiscard]] ErrorBody body() const {
    ErrorBody b{.code = code(), .message = std::string(message()), .item = item_};
    if (!reasons_.empty()) b.cancellation_reasons = reasons_;
    return b;
  }

 private:
  std::optional<Item> item_;
  std::vector<CancellationReason> reasons_;
};

}  // namespace dynamo::api
