#include "dynamo/http/service_error.hpp"

#include <gtest/gtest.h>

namespace dynamo::http {
namespace {

HttpResponse response(int status, std::string body, auth::Headers headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  if (const std::string* id = r.header("x-amzn-RequestId")) r.request_id = *id;
  return r;
}

// The code is the part of __type after '#', with message and request id carried over.
TEST(ServiceError, ParsesDynamoDbErrorBodies) {
  const Error error = parse_service_error(
      response(400, R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"})",
               {{"x-amzn-RequestId", "ABC123"}}));
  EXPECT_EQ(error.code(), "ResourceNotFoundException");
  EXPECT_EQ(error.message(), "Requested resource not found");
  EXPECT_EQ(error.http_status(), 400);
  EXPECT_EQ(error.request_id(), "ABC123");
}

// "Message" (capitalised) is accepted, and a code without '#' is taken whole.
TEST(ServiceError, AcceptsCapitalisedMessageAndBareCode) {
  const Error error = parse_service_error(response(400, R"({"__type":"UnrecognizedClientException","Message":"bad key"})"));
  EXPECT_EQ(error.code(), "UnrecognizedClientException");
  EXPECT_EQ(error.message(), "bad key");
}

// An error body with no message still gives a non-empty message (the code).
TEST(ServiceError, MissingMessageFallsBackToCode) {
  const Error error = parse_service_error(response(500, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"})"));
  EXPECT_EQ(error.code(), "InternalServerError");
  EXPECT_EQ(error.message(), "InternalServerError");
  EXPECT_EQ(error.http_status(), 500);
}

// An HTML page from a proxy becomes HttpError with the status and a quoted, sanitised start.
TEST(ServiceError, ToleratesNonJsonBodies) {
  const Error error = parse_service_error(
      response(502, "<html>\r\n<body>Bad Gateway</body></html>", {{"Content-Type", "text/html"}}));
  EXPECT_EQ(error.code(), "HttpError");
  EXPECT_EQ(error.http_status(), 502);
  const std::string message = error.what();
  EXPECT_NE(message.find("HTTP 502"), std::string::npos) << message;
  EXPECT_NE(message.find("<html>  <body>Bad Gateway"), std::string::npos) << message;
  EXPECT_NE(message.find("text/html"), std::string::npos) << message;
}

// Empty bodies, long bodies and JSON of the wrong shape are handled too.
TEST(ServiceError, EmptyLongAndOddBodies) {
  EXPECT_NE(std::string(parse_service_error(response(503, "")).what()).find("empty body"), std::string::npos);
  const std::string long_body(5000, 'x');
  const std::string long_message = parse_service_error(response(500, long_body)).what();
  EXPECT_LT(long_message.size(), 400U);
  EXPECT_NE(long_message.find("5000 bytes"), std::string::npos);
  const Error array = parse_service_error(response(400, "[1,2]"));
  EXPECT_EQ(array.code(), "HttpError");
  const Error untyped = parse_service_error(response(400, R"({"message":"no type here"})"));
  EXPECT_EQ(untyped.code(), "HttpError");
  EXPECT_NE(std::string(untyped.what()).find("no type here"), std::string::npos);
  EXPECT_EQ(parse_service_error(response(200, "{}")).code(), "HttpError");
}

// service_error_code extracts just the code, and is empty for anything else.
TEST(ServiceError, ServiceErrorCode) {
  EXPECT_EQ(service_error_code(R"({"__type":"com.amazon.coral.service#ThrottlingException"})"), "ThrottlingException");
  EXPECT_EQ(service_error_code(R"({"__type":"ValidationException"})"), "ValidationException");
  EXPECT_EQ(service_error_code("{}"), "");
  EXPECT_EQ(service_error_code("not json"), "");
  EXPECT_EQ(service_error_code(R"({"__type":5})"), "");
  EXPECT_EQ(service_error_code(""), "");
}

}  // namespace
}  // namespace dynamo::http
