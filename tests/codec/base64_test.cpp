// Base64: RFC 4648 vectors both ways, and strict rejection of malformed text.
#include "codec/base64.hpp"

#include <gtest/gtest.h>

#include <random>

namespace dynamo::detail {
namespace {

std::string encode(std::string_view bytes) {
  std::string out;
  base64_encode(bytes, out);
  return out;
}

// The RFC 4648 test vectors encode and decode exactly.
TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(encode(plain), encoded);
    std::string decoded;
    EXPECT_FALSE(base64_decode(encoded, decoded));
    EXPECT_EQ(decoded, plain);
  }
}

// Random byte strings survive encode then decode.
TEST(Base64, RandomRoundTrip) {
  std::mt19937 rng(5);
  for (int i = 0; i < 2000; ++i) {
    std::string bytes(static_cast<std::size_t>(rng() % 70), '\0');
    for (auto& b : bytes) b = static_cast<char>(rng());
    std::string decoded;
    ASSERT_FALSE(base64_decode(encode(bytes), decoded));
    EXPECT_EQ(decoded, bytes);
  }
}

// Text a lenient decoder would accept is refused, with the offset of the problem.
TEST(Base64, RejectsMalformedText) {
  const std::tuple<const char*, std::size_t, std::string_view> bad[] = {
      {"Zg=", 3, "length is not a multiple of 4"},
      {"Zm9v\n", 5, "length is not a multiple of 4"},
      {"Zm 9", 2, "invalid character"},
      {"Zm-v", 2, "invalid character"},
      {"Z===", 1, "padding '=' before the end"},
      {"Zg==Zg==", 2, "padding '=' before the end"},
      {"====", 0, "padding '=' before the end"},
      {"Zh==", 1, "non-zero bits after the last byte"},
      {"Zm9=", 2, "non-zero bits after the last byte"},
  };
  for (const auto& [text, offset, reason] : bad) {
    std::string out;
    const auto problem = base64_decode(text, out);
    ASSERT_TRUE(problem) << text;
    EXPECT_EQ(problem->offset, offset) << text;
    EXPECT_EQ(problem->reason, reason) << text;
  }
}

}  // namespace
}  // namespace dynamo::detail
