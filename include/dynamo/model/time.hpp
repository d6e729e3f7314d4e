// Time attributes: dynamo::utc_time (PynamoDB's UTCDateTimeAttribute) and dynamo::Ttl
// (PynamoDB's TTLAttribute).
//
//   struct Session {
//     std::string id;
//     dynamo::utc_time created = dynamo::utc_now();          // "2024-05-01T12:00:00.000000+0000"
//     dynamo::Ttl expires = dynamo::Ttl::in(std::chrono::hours(1));   // N, epoch seconds
//   };
//
// utc_time is stored as a string in PynamoDB's format `%Y-%m-%dT%H:%M:%S.%f%z` (always
// six fraction digits and +0000), so that stored values sort as strings in time order and
// range-key conditions on dates work. Ttl is stored as a number of seconds since the epoch,
// which is what DynamoDB's time-to-live sweeper reads; a model with a Ttl attribute gets
// TTL enabled on that attribute by create_table().
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "dynamo/model/traits.hpp"

namespace dynamo {

// A UTC instant with microsecond precision (what the stored format keeps).
using utc_time = std::chrono::sys_time<std::chrono::microseconds>;

[[nodiscard]] inline utc_time utc_now() {
  return std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
}

// "2024-05-01T12:00:00.000000+0000".
[[nodiscard]] std::string format_utc_time(utc_time t);
// Reads the format above; also accepts a `Z` or `+00:00` suffix. Throws dynamo::Error
// (ValidationException) naming the text when it is not a UTC date-time.
[[nodiscard]] utc_time parse_utc_time(std::string_view text);

template <>
struct attribute_traits<utc_time> {
  static constexpr StoredAs stored_as = StoredAs::string;
  static AttributeValue to_attribute(utc_time t) { return AttributeValue(format_utc_time(t)); }
  static utc_time from_attribute(const AttributeValue& a) {
    if (const auto* s = a.get_if<std::string>()) return parse_utc_time(*s);
    detail::throw_wrong_type(stored_as, a);
  }
};

namespace detail {
template <>
struct attribute_source<utc_time> {
  static std::string get(utc_time t) { return format_utc_time(t); }
};
}  // namespace detail

// When an item expires. Set it from an absolute time or from a duration counted from now;
// it always reads back as an absolute time.
class Ttl {
 public:
  using time_point = std::chrono::sys_seconds;

  Ttl() = default;
  explicit Ttl(time_point expires_at) : expires_at_(expires_at) {}
  template <class Duration>
  explicit Ttl(std::chrono::sys_time<Duration> expires_at)
      : expires_at_(std::chrono::time_point_cast<std::chrono::seconds>(expires_at)) {}

  // Expires `delay` from now.
  template <class Rep, class Period>
  [[nodiscard]] static Ttl in(std::chrono::duration<Rep, Period> delay) {
    return Ttl(std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now() + delay));
  }

  [[nodiscard]] time_point expires_at() const noexcept { return expires_at_; }
  [[nodiscard]] std::int64_t epoch_seconds() const noexcept { return expires_at_.time_since_epoch().count(); }

  friend bool operator==(const Ttl&, const Ttl&) = default;
  friend auto operator<=>(const Ttl&, const Ttl&) = default;

 private:
  time_point expires_at_{};
};

template <>
struct attribute_traits<Ttl> {
  static constexpr StoredAs stored_as = StoredAs::number;
  static constexpr bool is_ttl = true;
  static AttributeValue to_attribute(const Ttl& t) { return AttributeValue(Number(t.epoch_seconds())); }
  static Ttl from_attribute(const AttributeValue& a) {
    if (const auto* n = a.get_if<Number>()) return Ttl(Ttl::time_point(std::chrono::seconds(n->to<std::int64_t>())));
    detail::throw_wrong_type(stored_as, a);
  }
};

}  // namespace dynamo
