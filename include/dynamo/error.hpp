// The one error vocabulary of dynamo.
//
// Every failure that DynamoDB itself could report is a dynamo::Error carrying the
// service's error code (the part of `__type` after '#', e.g. "ValidationException"),
// its message, and the HTTP status the service would answer with. The client builds one
// when it parses a service error; the embedded engine and the server raise the same type,
// so `e.code() == "ConditionalCheckFailedException"` works whichever backend ran the call.
// Model-level exceptions (PutError, QueryError, ...) derive from it, so the code is always
// at hand. Every code is listed, with its meaning, in dynamo/error_codes.hpp.
//
//   try { auto n = dynamo::Number::parse("12e"); }
//   catch (const dynamo::Error& e) { std::cerr << e.code() << ": " << e.what(); }
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

#include "dynamo/error_codes.hpp"

namespace dynamo {

class Error : public std::runtime_error {
 public:
  Error(std::string code, std::string message, int http_status = 400, std::string request_id = {});

  // A ValidationException (HTTP 400): the request broke one of DynamoDB's rules.
  [[nodiscard]] static Error validation(std::string message);
  // A SerializationException (HTTP 400): the request's JSON is not of the expected shape.
  [[nodiscard]] static Error serialization(std::string message);

  // The service's error code, e.g. "ValidationException".
  [[nodiscard]] const std::string& code() const noexcept { return code_; }
  // The human-readable message (the same text what() returns).
  [[nodiscard]] std::string_view message() const noexcept { return what(); }
  // The HTTP status DynamoDB answers with for this error (400 client fault, 500 server).
  [[nodiscard]] int http_status() const noexcept { return http_status_; }
  // The x-amzn-RequestId of the failed call, when one was made; empty otherwise.
  [[nodiscard]] const std::string& request_id() const noexcept { return request_id_; }

 private:
  std::string code_;
  int http_status_;
  std::string request_id_;
};

}  // namespace dynamo
