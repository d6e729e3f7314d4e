// Internal: CRC-32 with the polynomial of zlib, gzip and x-amz-crc32, for every layer that
// checks bytes (the HTTP layer's x-amz-crc32, the stores' entries). Folded with carry-less
// multiplication on x86-64 processors that have it, several times faster than zlib's
// tables; zlib's crc32() elsewhere and for what is left over.
#pragma once

#include <zlib.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#endif

namespace dynamo::detail {
namespace crc32_parts {

inline std::uint32_t zlib_crc32(std::uint32_t crc, std::string_view data) noexcept {
  // zlib takes a 32-bit length; feed larger bodies in pieces.
  constexpr std::size_t chunk = std::numeric_limits<uInt>::max();
  uLong value = crc;
  while (!data.empty()) {
    const std::size_t length = std::min(data.size(), chunk);
    value = ::crc32(value, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(length));
    data.remove_prefix(length);
  }
  return static_cast<std::uint32_t>(value);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define DYNAMO_CRC32_FOLDING 1

#define DYNAMO_CRC32_TARGET __attribute__((target("pclmul,sse4.1")))

DYNAMO_CRC32_TARGET inline __m128i load(const char* at) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
}

// x folded forward by the distance k's constants stand for, onto `next`.
DYNAMO_CRC32_TARGET inline __m128i fold(__m128i x, __m128i k, __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x11), _mm_clmulepi64_si128(x, k, 0x00)), next);
}

// The CRC32 of `size` bytes (at least 64, a multiple of 16) by carry-less multiplication:
// Intel's "Fast CRC Computation for Generic Polynomials Using PCLMULQDQ Instruction" (2009),
// folding 64 bytes a step and then 16, with a Barrett reduction at the end; the constants
// are the paper's for the bit-reflected polynomial 0x04c11db7 (the same code is in Linux and
// Chromium's zlib). `crc` and the result are the running register, the complement of zlib's
// value. Several times faster than zlib's tables, for a checksum that the server computes on
// every response and the client on every answer it receives.
DYNAMO_CRC32_TARGET inline std::uint32_t folded_crc32(std::uint32_t crc, const char* data, std::size_t size) noexcept {
  const __m128i k1k2 = _mm_set_epi64x(0x01c6e41596LL, 0x0154442bd4LL);
  const __m128i k3k4 = _mm_set_epi64x(0x00ccaa009eLL, 0x01751997d0LL);
  const __m128i k5k0 = _mm_set_epi64x(0, 0x0163cd6124LL);
  const __m128i poly = _mm_set_epi64x(0x01f7011641LL, 0x01db710641LL);

  __m128i x1 = _mm_xor_si128(load(data), _mm_cvtsi32_si128(static_cast<int>(crc)));
  __m128i x2 = load(data + 16);
  __m128i x3 = load(data + 32);
  __m128i x4 = load(data + 48);
  data += 64;
  size -= 64;
  for (; size >= 64; data += 64, size -= 64) {
    x1 = fold(x1, k1k2, load(data));
    x2 = fold(x2, k1k2, load(data + 16));
    x3 = fold(x3, k1k2, load(data + 32));
    x4 = fold(x4, k1k2, load(data + 48));
  }
  x1 = fold(x1, k3k4, x2);
  x1 = fold(x1, k3k4, x3);
  x1 = fold(x1, k3k4, x4);
  for (; size >= 16; data += 16, size -= 16) x1 = fold(x1, k3k4, load(data));

  // 128 bits to 64, then to 32 by Barrett reduction.
  const __m128i mask32 = _mm_setr_epi32(~0, 0, ~0, 0);
  x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), _mm_clmulepi64_si128(x1, k3k4, 0x10));
  x1 = _mm_xor_si128(_mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k5k0, 0x00), _mm_srli_si128(x1, 4));
  __m128i reduced = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), poly, 0x10);
  reduced = _mm_clmulepi64_si128(_mm_and_si128(reduced, mask32), poly, 0x00);
  return static_cast<std::uint32_t>(_mm_extract_epi32(_mm_xor_si128(x1, reduced), 1));
}

inline bool has_folding_instructions() noexcept {
  static const bool has = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
  return has;
}
#endif

}  // namespace crc32_parts

// The CRC-32 of `data` continued from `crc`: 0 to start, or the CRC-32 of the bytes before
// `data` (as zlib's crc32() takes it), so that pieces can be summed one after another.
inline std::uint32_t crc32(std::uint32_t crc, std::string_view data) noexcept {
#ifdef DYNAMO_CRC32_FOLDING
  if (data.size() >= 64 && crc32_parts::has_folding_instructions()) {
    const std::size_t folded = data.size() & ~std::size_t{15};
    crc = ~crc32_parts::folded_crc32(~crc, data.data(), folded);
    data.remove_prefix(folded);
  }
#endif
  return crc32_parts::zlib_crc32(crc, data);
}

}  // namespace dynamo::detail
