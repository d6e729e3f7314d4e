// DynamoDB's error bodies on the wire, in both directions.
//
//   HTTP/1.1 400 Bad Request
//   {"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException",
//    "message":"The conditional request failed"}
//
// The server encodes an ErrorBody from the dynamo::Error the engine raised; the client
// decodes the body of a non-2xx answer and turns it into an exception.
//
//   dynamo::api::ErrorBody body = dynamo::api::decode_error(http_body);
//   if (body.code == "TransactionCanceledException")
//     for (const auto& reason : body.cancellation_reasons.value_or({})) ...
//   throw dynamo::api::to_error(body, http_status, request_id);
//
// Matching is on `code`, the part of __type after '#': the namespace before it varies by
// error (com.amazonaws.dynamodb.v20120810 for DynamoDB's own errors, com.amazon.coral.validate
// for ValidationException, com.amazon.coral.service for SerializationException and the
// authentication errors) and some servers send the bare code. The message travels as
// "message" for most errors and as "Message" for some (SerializationException,
// TransactionCanceledException); decoding accepts either.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/codec/json.hpp"
#include "dynamo/error.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::api {

// Why one action of a cancelled transaction failed, in request order. Code is "None" for an
// action that did not cause the cancellation; Item is the old item when the action asked for
// ReturnValuesOnConditionCheckFailure=ALL_OLD and its condition failed.
struct CancellationReason {
  std::optional<std::string> code{};
  std::optional<std::string> message{};
  std::optional<Item> item{};
  friend bool operator==(const CancellationReason&, const CancellationReason&) = default;
};

// A decoded (or to-be-encoded) error body.
struct ErrorBody {
  // "ConditionalCheckFailedException": the part of __type after '#'.
  std::string code{};
  // The namespace before '#' as received (empty when __type had none). When encoding, empty
  // means "the one the service uses for this code" (error_namespace()).
  std::string type_namespace{};
  std::string message{};
  // ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure=ALL_OLD.
  std::optional<Item> item{};
  // TransactionCanceledException.
  std::optional<std::vector<CancellationReason>> cancellation_reasons{};
  friend bool operator==(const ErrorBody&, const ErrorBody&) = default;
};

// The namespace the service puts before '#' for `code`.
[[nodiscard]] std::string_view error_namespace(std::string_view code) noexcept;
// "message", or "Message" for the codes the service spells so.
[[nodiscard]] std::string_view error_message_key(std::string_view code) noexcept;
// The HTTP status the service answers `code` with: 500 for InternalServerError (and
// InternalFailure), 503 for ServiceUnavailable(Exception), 400 otherwise.
[[nodiscard]] int error_http_status(std::string_view code) noexcept;

// {"__type":"<namespace>#<code>","message":"...",...}. Throws JsonError when the item of
// the body cannot be encoded (invalid UTF-8).
[[nodiscard]] std::string encode_error(const ErrorBody& body);
// The body of `error` (code and message; no item or reasons).
[[nodiscard]] ErrorBody error_body(const Error& error);

// Decodes an error body. Unknown members are ignored; a missing __type leaves `code` empty
// (the caller then goes by the HTTP status). Throws JsonError (SerializationException) when
// the text is not a JSON object or a known member has the wrong JSON type.
[[nodiscard]] ErrorBody decode_error(std::string_view text);

// The dynamo::Error for a decoded body (the item and reasons stay in the body).
[[nodiscard]] Error to_error(const ErrorBody& body, int http_status, std::string request_id = {});

// The service's message for a cancelled transaction:
// "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]".
[[nodiscard]] std::string transaction_canceled_message(const std::vector<CancellationReason>& reasons);

}  // namespace dynamo::api
