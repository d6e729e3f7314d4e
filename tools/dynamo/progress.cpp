#include "progress.hpp"

#include <algorithm>
#include <cstdio>

namespace dynamo::cli {

std::string group_digits(std::uint64_t value) {
  std::string digits = std::to_string(value);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

std::string human_bytes(std::uint64_t bytes) {
  static constexpr const char* units[] = {"B", "KB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  std::size_t unit = 0;
  while (value >= 1000 && unit + 1 < std::size(units)) {
    value /= 1000;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

Progress::Progress(bool enabled, std::string label, std::uint64_t total)
    : enabled_(enabled),
      label_(std::move(label)),
      total_(total),
      start_(std::chrono::steady_clock::now()) {}

void Progress::update(std::uint64_t items, std::uint64_t bytes, std::uint64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(items, bytes, done);
}

void Progress::finish(std::uint64_t items, std::uint64_t bytes, std::uint64_t done) {
  if (!enabled_) return;
  draw(items, bytes, std::max(done, total_));
  std::fputc('\n', stderr);
  std::fflush(stderr);
}

void Progress::draw(std::uint64_t items, std::uint64_t bytes, std::uint64_t done) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::string line = "\r" + label_ + " ";
  if (total_ > 0) {
    const double fraction = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    constexpr int width = 20;
    const int filled = static_cast<int>(fraction * width);
    line += "[" + std::string(static_cast<std::size_t>(filled), '#') + std::string(static_cast<std::size_t>(width - filled), '.') + "] ";
    char percent[16];
    std::snprintf(percent, sizeof percent, "%3d%%  ", static_cast<int>(fraction * 100));
    line += percent;
  }
  line += group_digits(items) + " items  " + human_bytes(bytes);
  if (seconds > 0.05) {
    line += "  " + group_digits(static_cast<std::uint64_t>(static_cast<double>(items) / seconds)) + " items/s";
    const double rate = static_cast<double>(done) / seconds;
    if (total_ > done && rate > 0) {
      const auto left = static_cast<std::uint64_t>(static_cast<double>(total_ - done) / rate);
      char eta[32];
      std::snprintf(eta, sizeof eta, "  ETA %llu:%02llu", static_cast<unsigned long long>(left / 60),
                    static_cast<unsigned long long>(left % 60));
      line += eta;
    }
  }
  line += "\033[K";  // clear what a longer previous line left
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace dynamo::cli
