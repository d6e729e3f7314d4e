// libFuzzer target for the DynamoDB JSON decoder.
//
// Any input must either decode or throw dynamo::JsonError — never crash, hang, leak or
// throw anything else. When it decodes, re-encoding and decoding again must give back an
// equal item and the same text (the codec is its own inverse on valid data).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dynamo/codec/json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  dynamo::Item item;
  try {
    item = dynamo::json::decode_item(text);
  } catch (const dynamo::JsonError&) {
    return 0;
  }
  const std::string encoded = dynamo::json::encode(item);
  const dynamo::Item again = dynamo::json::decode_item(encoded);
  if (!(again == item) || dynamo::json::encode(again) != encoded) std::abort();
  return 0;
}
