#include "dynamo/error.hpp"

#include <array>
#include <utility>

#include "dynamo/error_codes.hpp"

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

namespace {

#define DYNAMO_ERROR_CODE_ROW(name, code, status, origin, retry, wire, short_code, meaning) \
  ErrorCodeInfo{#name,                                                                     \
                code,                                                                      \
                status,                                                                    \
                ErrorOrigin::origin,                                                       \
                ErrorRetry::retry,                                                         \
                ErrorNamespace::wire,                                                      \
                short_code,                                                                \
                meaning},
constexpr std::array all_codes{DYNAMO_ERROR_CODES(DYNAMO_ERROR_CODE_ROW)};
#undef DYNAMO_ERROR_CODE_ROW

}  // namespace

std::span<const ErrorCodeInfo> error_codes() noexcept { return all_codes; }

const ErrorCodeInfo* find_error_code(std::string_view code) noexcept {
  // A body's __type may come namespaced ("com.amazon.coral.validate#ValidationException").
  if (const auto hash = code.rfind('#'); hash != std::string_view::npos) code.remove_prefix(hash + 1);
  for (const ErrorCodeInfo& info : all_codes) {
    if (info.code == code) return &info;
  }
  return nullptr;
}

std::string_view short_error_code(std::string_view code) noexcept {
  const ErrorCodeInfo* info = find_error_code(code);
  return info == nullptr ? std::string_view() : info->short_code;
}

std::string_view wire_namespace_text(ErrorNamespace wire_namespace) noexcept {
  switch (wire_namespace) {
    case ErrorNamespace::coral_validate:
      return "com.amazon.coral.validate";
    case ErrorNamespace::coral_service:
      return "com.amazon.coral.service";
    case ErrorNamespace::coral_availability:
      return "com.amazon.coral.availability";
    case ErrorNamespace::dynamodb:
    case ErrorNamespace::none:
      break;
  }
  return "com.amazonaws.dynamodb.v20120810";
}

}  // namespace dynamo
