// libFuzzer target for the server's protocol handler: raw bytes become one or more HTTP
// requests (method line, header lines, a blank line, the body; requests separated by a line
// "--next--") handed to RequestHandler::handle() against a fresh engine holding one table.
//
// For every input: handle() returns (never throws, crashes or hangs); every response has a
// status in 200..599, a 52-character request id, and an x-amz-crc32 matching its body; a
// non-2xx body is a DynamoDB error body that decodes and names a code. The same requests go
// through a verifying handler too, which must reject them (they are not signed with its key).
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/api/errors_wire.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/server/handler.hpp"

namespace {

using dynamo::server::Request;
using dynamo::server::RequestHandler;
using dynamo::server::Response;

void check(const Response& response, bool must_fail) {
  if (response.status < 200 || response.status > 599) std::abort();
  const std::string* id = response.header("x-amzn-RequestId");
  const std::string* crc = response.header("x-amz-crc32");
  if (id == nullptr || id->size() != 52 || crc == nullptr || response.header("Content-Type") == nullptr) std::abort();
  if (!dynamo::auth::crc32_matches(response.body, *crc)) std::abort();
  if (must_fail && response.status == 200 && response.header("Content-Type")->starts_with("application")) std::abort();
  if (response.status >= 300) {
    try {
      if (dynamo::api::decode_error(response.body).code.empty()) std::abort();
    } catch (const dynamo::Error&) {
      std::abort();  // we sent something that is not an error body
    }
  }
}

// "METHOD TARGET" line, "Name: value" lines, blank line, body.
struct ParsedRequest {
  std::string method = "POST";
  std::string target = "/";
  dynamo::auth::Headers headers;
  std::string body;
};

ParsedRequest parse(std::string_view text) {
  ParsedRequest request;
  bool first = true;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (line.empty()) break;
    if (first) {
      first = false;
      const std::size_t space = line.find(' ');
      if (space != std::string_view::npos && line.find(':') == std::string_view::npos) {
        request.method = std::string(line.substr(0, space));
        request.target = std::string(line.substr(space + 1));
        continue;
      }
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    request.headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  request.body = std::string(text);
  return request;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  using namespace dynamo::api;
  dynamo::engine::Engine engine(dynamo::engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0)});
  (void)engine.create_table({.table_name = "Tbl",
                             .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                             .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                             .billing_mode = BillingMode::pay_per_request});
  const RequestHandler open(engine, {.max_body_bytes = 1U << 16});
  const RequestHandler verifying(
      engine, {.credentials = {dynamo::auth::Credentials{.access_key_id = "AKIDFUZZ", .secret_access_key = "fuzz"}},
               .max_body_bytes = 1U << 16});
  constexpr std::string_view separator = "\n--next--\n";
  int requests = 0;
  while (requests++ < 8) {
    const std::size_t end = input.find(separator);
    const ParsedRequest parsed = parse(input.substr(0, end));
    const Request request{.method = parsed.method, .target = parsed.target, .headers = parsed.headers, .body = parsed.body};
    check(open.handle(request), false);
    check(verifying.handle(request), true);
    if (end == std::string_view::npos) break;
    input.remove_prefix(end + separator.size());
  }
  return 0;
}
