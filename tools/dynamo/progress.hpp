// A one-line progress bar on standard error: items, bytes, rate and, when the total is
// known, a bar and the time left.
//
//   [#########.........]  45%  45,000 items  12.3 MB  41,230 items/s  ETA 0:01
//
// Drawn only when standard error is a terminal and the user did not ask for quiet; redrawn
// at most ten times a second, so calling update() per item costs little.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace dynamo::cli {

class Progress {
 public:
  // `enabled` false makes every call a no-op. `total` is the expected amount of the unit
  // the bar measures (bytes of the input file, or the table's item count), 0 if unknown.
  Progress(bool enabled, std::string label, std::uint64_t total);

  // `done` is in the unit of `total`.
  void update(std::uint64_t items, std::uint64_t bytes, std::uint64_t done);
  // Draws the final state and ends the line.
  void finish(std::uint64_t items, std::uint64_t bytes, std::uint64_t done);

 private:
  void draw(std::uint64_t items, std::uint64_t bytes, std::uint64_t done);

  bool enabled_;
  std::string label_;
  std::uint64_t total_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
};

// "12,345"
[[nodiscard]] std::string group_digits(std::uint64_t value);
// "12.3 MB"
[[nodiscard]] std::string human_bytes(std::uint64_t bytes);

}  // namespace dynamo::cli
