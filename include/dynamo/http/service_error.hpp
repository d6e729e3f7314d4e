// Turning a DynamoDB error response into a dynamo::Error.
//
// DynamoDB answers a failed call with HTTP 400 or 5xx and a body such as
// {"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"..."}.
// parse_service_error() keeps the part of `__type` after '#' as the code, the "message"
// (or "Message") as the message, and x-amzn-RequestId as the request id. Bodies that are
// not a DynamoDB error (an HTML 502 page from a proxy, an empty 503) still give a usable
// Error: code error_code::unrecognized_error, a message quoting the start of the body.
// Richer bodies (CancellationReasons, the Item of a failed condition) are the api layer's
// business; this stays minimal.
//
//   dynamo::http::HttpResponse response = transport.call("PutItem", body);
//   if (!response.ok()) throw dynamo::http::parse_service_error(response);
#pragma once

#include <string>
#include <string_view>

#include "dynamo/error.hpp"
#include "dynamo/http/transport.hpp"

namespace dynamo::http {

// An error response whose body carries no `__type` (not JSON, or JSON of another shape)
// becomes error_code::unrecognized_error ("HttpError"); http_status() still tells the status.
namespace error_code = dynamo::error_code;

// The error for a response with status >= 400 (for a 2xx or 3xx the result says the
// response was not an error, with code unrecognized_error). Never throws.
[[nodiscard]] Error parse_service_error(const HttpResponse& response);

// The error code of an error body: the part of `__type` after the last '#' ("Throttling-
// Exception"), or the whole `__type` when it has no '#'. Empty when the body is not JSON or
// has no string `__type`. Never throws.
[[nodiscard]] std::string service_error_code(std::string_view body);

}  // namespace dynamo::http
