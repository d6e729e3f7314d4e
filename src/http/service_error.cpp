#include "dynamo/http/service_error.hpp"

#include <simdjson.h>

#include <optional>
#include <string>

namespace dynamo::http {
namespace {

// The start of a body, made safe to put in a message: at most 200 bytes, control bytes
// and non-ASCII replaced, so an HTML page or binary junk cannot garble a log line.
std::string quote_start_of(std::string_view body) {
  constexpr std::size_t limit = 200;
  std::string quoted = "\"";
  for (const char c : body.substr(0, limit)) {
    const auto byte = static_cast<unsigned char>(c);
    quoted.push_back(byte >= 0x20 && byte < 0x7F ? c : (c == '\n' || c == '\r' || c == '\t' ? ' ' : '?'));
  }
  quoted.push_back('"');
  if (body.size() > limit) quoted.append(" (").append(std::to_string(body.size())).append(" bytes in all)");
  return quoted;
}

std::string_view after_hash(std::string_view type) {
  if (const auto hash = type.rfind('#'); hash != std::string_view::npos) type.remove_prefix(hash + 1);
  return type;
}

// The string member `name` of an object, or nullopt.
std::optional<std::string_view> string_member(simdjson::dom::element object, std::string_view name) {
  std::string_view value;
  if (object[name].get_string().get(value) != simdjson::SUCCESS) return std::nullopt;
  return value;
}

}  // namespace

std::string service_error_code(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(body.data(), body.size()).get(document) != simdjson::SUCCESS) return {};
  if (!document.is_object()) return {};
  const auto type = string_member(document, "__type");
  return type ? std::string(after_hash(*type)) : std::string();
}

Error parse_service_error(const HttpResponse& response) {
  const int status = response.status;
  if (status < 400) {
    return Error(std::string(error_code::unrecognized_error),
                 "HTTP " + std::to_string(status) + " is not an error response", status, response.request_id);
  }
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  const bool is_json_object = parser.parse(response.body.data(), response.body.size()).get(document) ==
                                  simdjson::SUCCESS &&
                              document.is_object();
  if (is_json_object) {
    const auto type = string_member(document, "__type");
    // DynamoDB spells it "message"; a few codes (and some compatible servers) use "Message".
    auto message = string_member(document, "message");
    if (!message) message = string_member(document, "Message");
    if (type && !after_hash(*type).empty()) {
      return Error(std::string(after_hash(*type)), message ? std::string(*message) : std::string(after_hash(*type)),
                   status, response.request_id);
    }
    if (message) {
      return Error(std::string(error_code::unrecognized_error),
                   "HTTP " + std::to_string(status) + " without an error type: " + std::string(*message), status,
                   response.request_id);
    }
  }
  std::string message = "HTTP " + std::to_string(status) + " response that is not a DynamoDB error";
  if (response.body.empty()) {
    message += " (empty body)";
  } else {
    message += ", body " + quote_start_of(response.body);
  }
  if (const std::string* content_type = response.header("Content-Type")) {
    message += ", Content-Type " + *content_type;
  }
  message += "; a proxy or load balancer may have answered instead of DynamoDB";
  return Error(std::string(error_code::unrecognized_error), std::move(message), status, response.request_id);
}

}  // namespace dynamo::http
