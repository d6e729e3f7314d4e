#include "dynamo/api/service_error.hpp"

#include <utility>

namespace dynamo::api {

ServiceError::ServiceError(ErrorBody body, int http_status, std::string request_id)
    : Error(body.code, body.message, http_status, std::move(request_id)), body_(std::move(body)) {}

ServiceError ServiceError::transaction_canceled(std::vector<CancellationReason> reasons) {
  ErrorBody body;
  body.code = error_code::transaction_canceled;
  body.message = transaction_canceled_message(reasons);
  body.cancellation_reasons = std::move(reasons);
  return ServiceError(std::move(body), 400);
}

ServiceError ServiceError::conditional_check_failed(std::optional<Item> old_item) {
  ErrorBody body;
  body.code = std::string(error_code::conditional_check_failed);
  body.message = "The conditional request failed";
  body.item = std::move(old_item);
  return ServiceError(std::move(body), 400);
}

const std::vector<CancellationReason>& ServiceError::cancellation_reasons() const noexcept {
  static const std::vector<CancellationReason> none;
  return body_.cancellation_reasons ? *body_.cancellation_reasons : none;
}

}  // namespace dynamo::api
