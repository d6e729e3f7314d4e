// utc_time text in PynamoDB's format, "%Y-%m-%dT%H:%M:%S.%f%z" with +0000.
#include <chrono>
#include <cstdio>
#include <string>

#include "dynamo/model/time.hpp"

namespace dynamo {
namespace {

// Writes the two digits of `value` (below 100).
void put_pair(char*& out, unsigned value) {
  static constexpr char pairs[] =
      "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
      "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
      "8081828384858687888990919293949596979899";
  out[0] = pairs[2 * value];
  out[1] = pairs[2 * value + 1];
  out += 2;
}

[[noreturn]] void bad_time(std::string_view text) {
  throw Error::validation("\"" + std::string(text) + "\" is not a UTC date-time like 2024-05-01T12:00:00.000000+0000");
}

// Reads `width` digits at text[pos].
long long digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) bad_time(text);
  long long value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') bad_time(text);
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

}  // namespace

std::string format_utc_time(utc_time t) {
  using namespace std::chrono;
  const auto day = floor<days>(t);
  const year_month_day ymd(day);
  const auto in_day = (t - day).count();  // microseconds since midnight
  const int y = static_cast<int>(ymd.year());
  if (y < 0 || y > 9999) throw Error::validation("utc_time year " + std::to_string(y) + " is outside 0000-9999");
  const auto second_of_day = static_cast<unsigned>(in_day / 1'000'000);
  const auto micros = static_cast<unsigned>(in_day % 1'000'000);
  std::string text(31, '\0');  // the length of the format; short enough to fill in place
  char* out = text.data();
  put_pair(out, static_cast<unsigned>(y) / 100);
  put_pair(out, static_cast<unsigned>(y) % 100);
  *out++ = '-';
  put_pair(out, static_cast<unsigned>(ymd.month()));
  *out++ = '-';
  put_pair(out, static_cast<unsigned>(ymd.day()));
  *out++ = 'T';
  put_pair(out, second_of_day / 3600);
  *out++ = ':';
  put_pair(out, second_of_day / 60 % 60);
  *out++ = ':';
  put_pair(out, second_of_day % 60);
  *out++ = '.';
  put_pair(out, micros / 10'000);
  put_pair(out, micros / 100 % 100);
  put_pair(out, micros % 100);
  for (char c : std::string_view("+0000")) *out++ = c;
  return text;
}

utc_time parse_utc_time(std::string_view text) {
  using namespace std::chrono;
  // 2024-05-01T12:00:00[.ffffff](+0000|Z|+00:00)
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' || text[16] != ':')
    bad_time(text);
  const auto y = static_cast<int>(digits(text, 0, 4));
  const auto mo = static_cast<unsigned>(digits(text, 5, 2));
  const auto d = static_cast<unsigned>(digits(text, 8, 2));
  const auto h = digits(text, 11, 2);
  const auto mi = digits(text, 14, 2);
  const auto s = digits(text, 17, 2);
  std::size_t pos = 19;
  long long micros = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    int n = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      if (n < 6) micros = micros * 10 + (text[pos] - '0');
      ++n;
      ++pos;
    }
    if (n == 0) bad_time(text);
    for (; n < 6; ++n) micros *= 10;
  }
  const std::string_view zone = text.substr(pos);
  if (zone != "+0000" && zone != "Z" && zone != "+00:00" && zone != "-0000") bad_time(text);
  const year_month_day ymd{year(y), month(mo), day(d)};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) bad_time(text);
  return sys_days(ymd) + hours(h) + minutes(mi) + seconds(s) + microseconds(micros);
}

}  // namespace dynamo
