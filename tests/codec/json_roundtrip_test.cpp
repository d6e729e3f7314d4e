// Randomized round trips: value -> DynamoDB JSON -> value gives back an equal value, and
// re-encoding gives identical text.
#include <gtest/gtest.h>

#include "dynamo/codec/json.hpp"
#include "support/random_values.hpp"

namespace dynamo {
namespace {

// Random items of every type and nesting survive encode/decode unchanged.
TEST(JsonRoundTrip, RandomItems) {
  testing::RandomValues random(2026);
  for (int i = 0; i < 3000; ++i) {
    const Item item = random.item();
    const std::string text = json::encode(item);
    const Item back = json::decode_item(text);
    ASSERT_EQ(back, item) << text;
    ASSERT_EQ(json::encode(back), text);
  }
}

// Random single values survive too, including scalars at the top level.
TEST(JsonRoundTrip, RandomValues) {
  testing::RandomValues random(99);
  for (int i = 0; i < 3000; ++i) {
    const AttributeValue value = random.value();
    ASSERT_EQ(json::decode_value(json::encode(value)), value);
  }
}

}  // namespace
}  // namespace dynamo
