#include "dynamo/error.hpp"

#include <utility>

namespace dynamo {

Error::Error(std::string code, std::string message, int http_status, std::string request_id)
    : std::runtime_error(std::move(message)),
      code_(std::move(code)),
      http_status_(http_status),
      request_id_(std::move(request_id)) {}

Error Error::validation(std::string message) {
  return Error(std::string(error_code::validation), std::move(message), 400);
}

Error Error::serialization(std::string message) {
  return Error(std::string(error_code::serialization), std::move(message), 400);
}

}  // namespace dynamo
