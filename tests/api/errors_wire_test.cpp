// Error bodies: encoding with the service's namespaces and message keys, decoding both
// spellings of the message key and every namespace, cancellation reasons and old items.
#include <gtest/gtest.h>

#include "dynamo/api.hpp"

namespace dynamo::api {
namespace {

// A DynamoDB error is written under its namespace with a lower-case "message".
TEST(ErrorsWire, EncodesDynamoDbError) {
  EXPECT_EQ(encode_error({.code = "ResourceNotFoundException", .message = "Requested resource not found"}),
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
            R"("message":"Requested resource not found"})");
}

// ValidationException uses the coral validate namespace; SerializationException the coral
// service namespace and a capitalised "Message".
TEST(ErrorsWire, EncodesCoralErrors) {
  EXPECT_EQ(encode_error(error_body(Error::validation("bad"))),
            R"({"__type":"com.amazon.coral.validate#ValidationException","message":"bad"})");
  EXPECT_EQ(encode_error(error_body(Error::serialization("Start of list found where not expected"))),
            R"({"__type":"com.amazon.coral.service#SerializationException","Message":"Start of list found where not expected"})");
}

// TransactionCanceledException carries one reason per action and a capitalised "Message".
TEST(ErrorsWire, EncodesTransactionCanceled) {
  const std::vector<CancellationReason> reasons{
      {.code = "None"},
      {.code = "ConditionalCheckFailed", .message = "The conditional request failed", .item = Item{{"id", "1"}}}};
  const ErrorBody body{.code = "TransactionCanceledException",
                       .message = transaction_canceled_message(reasons),
                       .cancellation_reasons = reasons};
  EXPECT_EQ(encode_error(body),
            R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
            R"("CancellationReasons":[{"Code":"None"},{"Item":{"id":{"S":"1"}},"Code":"ConditionalCheckFailed",)"
            R"("Message":"The conditional request failed"}],)"
            R"("Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"})");
  EXPECT_TRUE(decode_error(encode_error(body)) ==
              (ErrorBody{.code = body.code,
                         .type_namespace = "com.amazonaws.dynamodb.v20120810",
                         .message = body.message,
                         .cancellation_reasons = reasons}));
}

// ConditionalCheckFailedException with ReturnValuesOnConditionCheckFailure=ALL_OLD has the old item.
TEST(ErrorsWire, ConditionalCheckFailedCarriesItem) {
  const ErrorBody body{.code = "ConditionalCheckFailedException",
                       .message = "The conditional request failed",
                       .item = Item{{"id", "1"}, {"views", 3}}};
  const ErrorBody back = decode_error(encode_error(body));
  EXPECT_EQ(back.code, body.code);
  EXPECT_EQ(back.message, body.message);
  EXPECT_TRUE(back.item == body.item);
}

// A body as the service sends it for a cancelled transaction (boto3 issue 2657's shape).
TEST(ErrorsWire, DecodesServiceTransactionCanceledBody) {
  const ErrorBody body = decode_error(
      R"({"__type":"com.amazonaws.dynamodb.v20120810#TransactionCanceledException",)"
      R"("CancellationReasons":[{"Code":"None"},{"Code":"ConditionalCheckFailed","Item":{"pk":{"S":"a"}},)"
      R"("Message":"The conditional request failed"}],"Message":"Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"})");
  EXPECT_EQ(body.code, "TransactionCanceledException");
  ASSERT_TRUE(body.cancellation_reasons);
  ASSERT_EQ(body.cancellation_reasons->size(), 2u);
  EXPECT_EQ((*body.cancellation_reasons)[0].code, "None");
  EXPECT_FALSE((*body.cancellation_reasons)[0].item);
  EXPECT_EQ((*body.cancellation_reasons)[1].item->at("pk").as_string(), "a");
  EXPECT_EQ(body.message,
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
}

// Both message keys are accepted, with any namespace or none; the code is the part after '#'.
TEST(ErrorsWire, DecodesEitherMessageKeyAndAnyNamespace) {
  const ErrorBody lower = decode_error(R"({"__type":"com.amazon.coral.validate#ValidationException","message":"m1"})");
  EXPECT_EQ(lower.code, "ValidationException");
  EXPECT_EQ(lower.type_namespace, "com.amazon.coral.validate");
  EXPECT_EQ(lower.message, "m1");

  const ErrorBody upper = decode_error(R"({"__type":"com.amazon.coral.service#SerializationException","Message":"m2"})");
  EXPECT_EQ(upper.code, "SerializationException");
  EXPECT_EQ(upper.message, "m2");

  const ErrorBody bare = decode_error(R"({"__type":"ThrottlingException","message":"slow down"})");
  EXPECT_EQ(bare.code, "ThrottlingException");
  EXPECT_EQ(bare.type_namespace, "");

  const ErrorBody untyped = decode_error(R"({"message":"no type"})");
  EXPECT_EQ(untyped.code, "");
  EXPECT_EQ(untyped.message, "no type");

  const ErrorBody silent = decode_error(R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"})");
  EXPECT_EQ(silent.code, "InternalServerError");
  EXPECT_EQ(silent.message, "");
}

// A decoded body becomes a dynamo::Error with the status and request id of the call.
TEST(ErrorsWire, ToErrorKeepsCodeStatusAndRequestId) {
  const Error e = to_error(decode_error(R"({"__type":"x#ProvisionedThroughputExceededException","message":"slow"})"),
                           400, "REQ1");
  EXPECT_EQ(e.code(), "ProvisionedThroughputExceededException");
  EXPECT_EQ(std::string(e.message()), "slow");
  EXPECT_EQ(e.http_status(), 400);
  EXPECT_EQ(e.request_id(), "REQ1");
}

// A body that is not a JSON object is a SerializationException, not a crash.
TEST(ErrorsWire, RejectsNonObjectBodies) {
  EXPECT_THROW((void)decode_error("<html>Bad Gateway</html>"), JsonError);
  EXPECT_THROW((void)decode_error(R"(["x"])"), JsonError);
  EXPECT_THROW((void)decode_error(R"({"__type":5})"), JsonError);
}

// HTTP statuses per code: server faults are 5xx, everything else 400.
TEST(ErrorsWire, HttpStatusPerCode) {
  EXPECT_EQ(error_http_status("InternalServerError"), 500);
  EXPECT_EQ(error_http_status("ServiceUnavailable"), 503);
  EXPECT_EQ(error_http_status("ConditionalCheckFailedException"), 400);
}

}  // namespace
}  // namespace dynamo::api

namespace dynamo::api {
namespace {

// ServiceError keeps the body's item and reasons beside the usual code and message.
TEST(ServiceErrorType, KeepsItemAndReasons) {
  const ServiceError canceled = ServiceError::transaction_canceled(
      {{.code = "None"}, {.code = "ConditionalCheckFailed", .item = Item{{"id", "1"}}}});
  EXPECT_EQ(canceled.code(), "TransactionCanceledException");
  EXPECT_EQ(std::string(canceled.message()),
            "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]");
  ASSERT_EQ(canceled.cancellation_reasons().size(), 2u);
  EXPECT_EQ(canceled.cancellation_reasons()[1].item, (Item{{"id", "1"}}));

  const ServiceError failed = ServiceError::conditional_check_failed(Item{{"id", "2"}});
  EXPECT_EQ(failed.code(), "ConditionalCheckFailedException");
  EXPECT_EQ(failed.item(), (Item{{"id", "2"}}));
  EXPECT_TRUE(failed.cancellation_reasons().empty());

  const ServiceError decoded(decode_error(encode_error(failed.body())), 400, "req");
  EXPECT_EQ(decoded.item(), failed.item());
  EXPECT_EQ(decoded.request_id(), "req");
}

}  // namespace
}  // namespace dynamo::api
