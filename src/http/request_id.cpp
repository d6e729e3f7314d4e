#include "http/request_id.hpp"

#include <cstdint>
#include <random>

namespace dynamo::http::detail {

std::string new_client_request_id() {
  // One generator per thread: no lock on the call path, and ids from different threads
  // still differ because each generator is seeded from random_device.
  thread_local std::mt19937_64 generator{(std::uint64_t{std::random_device{}()} << 32U) ^ std::random_device{}()};
  std::uint64_t high = generator();
  std::uint64_t low = generator();
  high = (high & ~std::uint64_t{0xF000}) | 0x4000;                          // version 4
  low = (low & ~(std::uint64_t{0xC} << 60U)) | (std::uint64_t{0x8} << 60U);  // RFC 4122 variant

  static constexpr char hex[] = "0123456789abcdef";
  std::string id;
  id.reserve(36);
  const auto put = [&](std::uint64_t value, int digits) {
    for (int shift = (digits - 1) * 4; shift >= 0; shift -= 4) {
      id.push_back(hex[(value >> static_cast<unsigned>(shift)) & 0xFU]);
    }
  };
  put(high >> 32U, 8);
  id.push_back('-');
  put(high >> 16U, 4);
  id.push_back('-');
  put(high, 4);
  id.push_back('-');
  put(low >> 48U, 4);
  id.push_back('-');
  put(low, 12);
  return id;
}

}  // namespace dynamo::http::detail
