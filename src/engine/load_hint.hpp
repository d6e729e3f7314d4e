// Asking the processor to start loading memory a read is about to use, so that the cache
// lines of a block out of the cache arrive together rather than one after another.
//
// A LoadHint is such a request kept for later in one word (a hash slot carries one for its
// partition's item block, so that a lookup starts the block together with the partition).
// Hints only: a prefetch never faults, so a hint that outlived its memory costs a wasted
// load and nothing else.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace dynamo::engine::detail {

inline constexpr std::size_t cache_line_bytes = 64;
// Past the first few KB of a large block the processor's own prefetcher, which follows a
// sequential read, keeps ahead of the reader.
inline constexpr std::size_t most_prefetched_bytes = 4096;

// Starts loading the first `bytes` at `at`, up to most_prefetched_bytes.
inline void prefetch_bytes(const void* at, std::size_t bytes) noexcept {
  const auto* first = static_cast<const char*>(at);
  for (std::size_t offset = 0; offset < std::min(bytes, most_prefetched_bytes); offset += cache_line_bytes) {
    __builtin_prefetch(first + offset);
  }
}

class LoadHint {
 public:
  LoadHint() = default;  // none
  // `bytes` at `at` (only the first most_prefetched_bytes are kept). An address beyond 48
  // bits, which no x86-64 or common arm64 process is given, leaves the hint empty.
  LoadHint(const void* at, std::size_t bytes) noexcept {
    const auto address = reinterpret_cast<std::uintptr_t>(at);
    const std::uintptr_t lines = (std::min(bytes, most_prefetched_bytes) + cache_line_bytes - 1) / cache_line_bytes;
    if (address != 0 && (address >> address_bits) == 0) word_ = address | (lines << address_bits);
  }

  void prefetch() const noexcept {
    if (word_ == 0) return;
    prefetch_bytes(reinterpret_cast<const void*>(word_ & address_mask), (word_ >> address_bits) * cache_line_bytes);
  }
  friend bool operator==(const LoadHint&, const LoadHint&) = default;

 private:
  static constexpr unsigned address_bits = 48;
  static constexpr std::uintptr_t address_mask = (std::uintptr_t{1} << address_bits) - 1;
  std::uintptr_t word_ = 0;  // the address, and the lines to load in the top 16 bits
};

}  // namespace dynamo::engine::detail
