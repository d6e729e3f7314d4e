// dynamo::Number — DynamoDB's exact decimal number type.
//
// DynamoDB numbers are decimals with up to 38 significant digits and a magnitude between
// 1E-130 and 9.9999999999999999999999999999999999999E+125 (or zero). Number stores one
// exactly — coefficient × 10^exponent, never a binary double — so what an application
// writes is what DynamoDB stores and returns.
//
//   auto price = dynamo::Number::parse("19.990");   // canonical text "19.99"
//   auto total = price + dynamo::Number(1);          // exactly 20.99
//   std::int64_t n = dynamo::Number::parse("1e3").to<std::int64_t>();  // 1000
//
// Errors: parse() rejects text that is not a number, or breaks one of DynamoDB's rules,
// with a dynamo::Error (code ValidationException) naming the text and the rule; the same
// happens when arithmetic produces a result that does not fit — there is no silent rounding.
// Conversions that can lose information say so in their names (to_double_lossy()).
#pragma once

#include <compare>
#include <concepts>
#include <cstdint>
#include <iosfwd>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

#include "dynamo/error.hpp"

namespace dynamo {

class Number {
 public:
  // The limits DynamoDB enforces.
  static constexpr int max_significant_digits = 38;
  static constexpr int max_exponent = 125;   // largest magnitude: 9.99…(38 digits)E+125
  static constexpr int min_exponent = -130;  // smallest non-zero magnitude: 1E-130

  // Why a text or a result is not a valid Number.
  enum class Problem {
    syntax,          // not a decimal number at all
    too_many_digits, // more than 38 significant digits
    overflow,        // magnitude above 9.99…E+125
    underflow,       // non-zero magnitude below 1E-130
  };

  // Zero.
  constexpr Number() noexcept = default;

  // Exact conversion from any integral type (bool excluded: it is not a number).
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  Number(T value) noexcept {  // NOLINT(google-explicit-constructor): integers are numbers
    using U = std::make_unsigned_t<T>;
    U magnitude = static_cast<U>(value);
    if constexpr (std::is_signed_v<T>) {
      negative_ = value < 0;
      // Negate in the unsigned type (cast back: small types promote to int on the way).
      if (negative_) magnitude = static_cast<U>(U{0} - magnitude);
    }
    if constexpr (sizeof(U) <= sizeof(std::uint64_t)) {
      // normalize() inline, in 64 bits: the common case builds the number in registers.
      if (magnitude == 0) {
        negative_ = false;
        return;
      }
      while (magnitude % 10 == 0) {
        magnitude = static_cast<U>(magnitude / 10);
        ++exponent_;
      }
      coefficient_ = static_cast<uint128>(magnitude);
    } else {
      coefficient_ = static_cast<uint128>(magnitude);
      normalize();
    }
  }

  // Parses DynamoDB number text: an optional sign, digits with an optional decimal point,
  // and an optional exponent (`-12.5`, `+3`, `.5`, `1e-3`, `00042`). Whitespace, `inf`,
  // `NaN` and hexadecimal are rejected. Throws dynamo::Error (ValidationException).
  [[nodiscard]] static Number parse(std::string_view text);
  // As parse(), but reports the problem instead of throwing.
  [[nodiscard]] static std::optional<Number> try_parse(std::string_view text,
                                                       Problem* problem = nullptr) noexcept;

  // The shortest decimal that converts back to exactly `value` (0.1 becomes 0.1, not
  // 0.1000000000000000055…). Throws for NaN, infinities and values out of DynamoDB's range.
  [[nodiscard]] static Number from_double(double value);

  // Canonical text, as DynamoDB returns it: plain decimal notation, no exponent, no
  // leading or trailing zeros, no plus sign, "0" for zero (e.g. "1.5e2" -> "150").
  [[nodiscard]] std::string to_string() const;
  // Scientific notation with one digit before the point: "1.5E+2", "-1E-130", "0E+0".
  // Handy for very large or small numbers, whose canonical text is long.
  [[nodiscard]] std::string to_scientific_string() const;
  // Appends to_string() to `out` without a temporary.
  void append_to(std::string& out) const;

  // Exact conversion to an integral type; nullopt when the number has a fractional part
  // or does not fit in T.
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  [[nodiscard]] std::optional<T> try_to() const noexcept {
    const auto magnitude = integral_magnitude();
    if (!magnitude) return std::nullopt;
    using U = std::make_unsigned_t<T>;
    // The largest magnitude T can hold with this sign: |min| = max + 1 for signed types.
    const uint128 max_magnitude = static_cast<uint128>(static_cast<U>(std::numeric_limits<T>::max()));
    const uint128 limit = !negative_ ? max_magnitude : std::is_signed_v<T> ? max_magnitude + 1 : 0;
    if (*magnitude > limit) return std::nullopt;
    const U bits = static_cast<U>(*magnitude);
    return negative_ ? static_cast<T>(U{0} - bits) : static_cast<T>(bits);
  }
  // As try_to(), but throws dynamo::Error (ValidationException) naming the number and T's
  // limits when the conversion would not be exact.
  template <std::integral T>
    requires(!std::same_as<T, bool>)
  [[nodiscard]] T to() const {
    if (auto v = try_to<T>()) return *v;
    throw_not_integral(std::numeric_limits<T>::is_signed, sizeof(T));
  }

  // The nearest double / float. Lossy: doubles hold about 16 significant digits.
  [[nodiscard]] double to_double_lossy() const noexcept;
  [[nodiscard]] float to_float_lossy() const noexcept;

  // Exact arithmetic. Throws dynamo::Error (ValidationException) when the exact result
  // needs more than 38 significant digits or leaves DynamoDB's range.
  [[nodiscard]] Number operator+(const Number& other) const;
  [[nodiscard]] Number operator-(const Number& other) const;
  [[nodiscard]] Number operator-() const noexcept;
  Number& operator+=(const Number& other) { return *this = *this + other; }
  Number& operator-=(const Number& other) { return *this = *this - other; }

  // Numeric comparison: "1" == "1.0" == "1e0", "-1" < "0.5".
  [[nodiscard]] friend bool operator==(const Number&, const Number&) noexcept = default;
  [[nodiscard]] friend std::strong_ordering operator<=>(const Number& a, const Number& b) noexcept {
    return a.compare(b);
  }

  [[nodiscard]] bool is_zero() const noexcept { return coefficient_ == 0; }
  [[nodiscard]] bool is_negative() const noexcept { return negative_; }
  [[nodiscard]] bool is_integer() const noexcept { return exponent_ >= 0; }
  // Number of significant digits (1 for zero).
  [[nodiscard]] int significant_digits() const noexcept;
  // Power of ten of the leading digit: 2 for 150, -3 for 0.00125 (0 for zero).
  [[nodiscard]] int adjusted_exponent() const noexcept { return exponent_ + significant_digits() - 1; }

  // A hash consistent with ==.
  [[nodiscard]] std::size_t hash() const noexcept;

  // Human-readable explanation of a Problem, e.g. "more than 38 significant digits".
  [[nodiscard]] static std::string_view describe(Problem problem) noexcept;

 private:
  __extension__ using uint128 = unsigned __int128;

  Number(bool negative, uint128 coefficient, int exponent) noexcept
      : coefficient_(coefficient), exponent_(exponent), negative_(negative) {}

  // Strips trailing zeros of the coefficient into the exponent; zero becomes canonical +0.
  void normalize() noexcept;
  [[nodiscard]] std::strong_ordering compare(const Number& other) const noexcept;
  [[nodiscard]] std::strong_ordering compare_magnitude(const Number& other) const noexcept;
  [[nodiscard]] std::optional<uint128> integral_magnitude() const noexcept;
  [[noreturn]] void throw_not_integral(bool is_signed, std::size_t bytes) const;
  [[nodiscard]] std::string coefficient_exponent_text() const;
  [[nodiscard]] static Number add(const Number& a, const Number& b, bool negate_b);

  // value = (negative_ ? -1 : 1) × coefficient_ × 10^exponent_. Invariant: coefficient_
  // has no trailing decimal zeros (so each value has exactly one representation) and at
  // most 38 digits; zero is {false, 0, 0}.
  uint128 coefficient_ = 0;
  int exponent_ = 0;
  bool negative_ = false;
};

std::ostream& operator<<(std::ostream& out, const Number& number);

}  // namespace dynamo

template <>
struct std::hash<dynamo::Number> {
  std::size_t operator()(const dynamo::Number& n) const noexcept { return n.hash(); }
};
