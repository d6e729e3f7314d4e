// The engine's exceptions that carry more than a code and a message.
//
// Every failure of dynamo::engine::Engine is a dynamo::Error with DynamoDB's error code.
// Two of them carry data the service returns in the error body, so they are subclasses:
//
//   try { engine.put_item(request); }
//   catch (const dynamo::engine::ConditionalCheckFailed& e) {
//     if (e.item) use(*e.item);   // the old item, with ReturnValuesOnConditionCheckFailure=ALL_OLD
//   }
//   catch (const dynamo::engine::TransactionCanceled& e) {
//     for (const auto& reason : e.reasons) std::cout << reason.code.value_or("None");
//   }
//
// Both derive from dynamo::api::ServiceError (whose body() carries the same data), so code
// written against the HTTP backend's errors works unchanged on the engine. Catching
// dynamo::Error catches them too; e.code() is then "ConditionalCheckFailedException" or
// "TransactionCanceledException".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/api/errors_wire.hpp"
#include "dynamo/api/service_error.hpp"
#include "dynamo/error.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::engine {

// The engine's codes are those of the one list (dynamo/error_codes.hpp).
namespace error_code = dynamo::error_code;

// ConditionalCheckFailedException: "The conditional request failed". `item` holds the item
// as it was when the request asked for ReturnValuesOnConditionCheckFailure=ALL_OLD and an
// item existed (DynamoDB returns it in the error body as "Item").
class ConditionalCheckFailed : public api::ServiceError {
 public:
  explicit ConditionalCheckFailed(std::optional<Item> old_item = std::nullopt);

  std::optional<Item> item;
};

// TransactionCanceledException with one reason per action of the request, in request order:
// Code "None" for actions that did not cause the cancellation, "ConditionalCheckFailed"
// (with Item when that action asked for ALL_OLD), "ValidationError", ...
class TransactionCanceled : public api::ServiceError {
 public:
  explicit TransactionCanceled(std::vector<api::CancellationReason> cancellation_reasons);

  std::vector<api::CancellationReason> reasons;
};

// The wire body of an engine error, with Item / CancellationReasons filled in when the error
// is one of the subclasses above (for the HTTP server and the embedded backend).
[[nodiscard]] api::ErrorBody error_body_of(const Error& error);

}  // namespace dynamo::engine
