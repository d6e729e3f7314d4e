// libFuzzer target for the api codec: decodes arbitrary bytes as one of the request and
// response types of every operation (picked by the first byte) or as an error body.
//
// Any input must decode or throw dynamo::Error (JsonError included) — never crash, hang or
// throw anything else. When it decodes, encoding the struct and decoding that again must give
// an equal struct and the same text (the codec is its own inverse on what it accepts).
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <string_view>

#include "dynamo/api.hpp"

namespace {

using namespace dynamo::api;

template <class T>
void check(std::string_view text) {
  T message;
  try {
    message = decode<T>(text);
  } catch (const dynamo::Error&) {
    return;
  }
  const std::string encoded = encode(message);
  const T again = decode<T>(encoded);
  if (!(again == message) || encode(again) != encoded) std::abort();
}

void check_error_body(std::string_view text) {
  ErrorBody body;
  try {
    body = decode_error(text);
  } catch (const dynamo::Error&) {
    return;
  }
  const ErrorBody again = decode_error(encode_error(body));
  // The namespace is filled in on encoding when it was absent, so compare the rest.
  if (again.code != body.code || again.message != body.message || again.item != body.item ||
      again.cancellation_reasons != body.cancellation_reasons) {
    std::abort();
  }
}

// One entry per request and response type of dynamo/api/operation_list.hpp, then error bodies.
using Check = void (*)(std::string_view);
constexpr Check checks[] = {
#define DYNAMO_FUZZ_CHECKS(method, Name, ...) &check<Name##Request>, &check<Name##Response>,
    DYNAMO_OPERATIONS(DYNAMO_FUZZ_CHECKS)
#undef DYNAMO_FUZZ_CHECKS
    &check_error_body,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  checks[data[0] % std::size(checks)](text);
  return 0;
}
