// Exact decimal arithmetic for dynamo::Number. The coefficient of a valid number has at
// most 38 digits, which always fits an unsigned 128-bit integer (10^38 < 2^128), so the
// common paths are plain integer operations; only additions whose operands are far apart
// in scale fall back to digit-by-digit arithmetic on text.
#include "dynamo/value/number.hpp"

#include "detail/quote.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <ostream>

namespace dynamo {
namespace {

__extension__ using uint128 = unsigned __int128;

constexpr std::array<uint128, 39> make_powers_of_ten() {
  std::array<uint128, 39> powers{};
  uint128 p = 1;
  for (auto& entry : powers) {
    entry = p;
    p *= 10;
  }
  return powers;
}
constexpr auto pow10 = make_powers_of_ten();

// Number of decimal digits of v (1 for zero).
int digit_count(uint128 v) noexcept {
  int n = 1;
  while (n < 39 && v >= pow10[static_cast<std::size_t>(n)]) ++n;
  return n;
}

// Writes the decimal digits of v (no sign) into `out`, most significant first.
void append_digits(std::string& out, uint128 v) {
  char buf[40];
  char* end = buf + sizeof buf;
  char* p = end;
  constexpr std::uint64_t chunk = 10'000'000'000'000'000'000ULL;  // 10^19
  // Peel 19-digit chunks with one 128-bit division each, then format 64-bit parts.
  while (v >= chunk) {
    auto part = static_cast<std::uint64_t>(v % chunk);
    v /= chunk;
    for (int i = 0; i < 19; ++i) {
      *--p = static_cast<char>('0' + part % 10);
      part /= 10;
    }
  }
  auto rest = static_cast<std::uint64_t>(v);
  do {
    *--p = static_cast<char>('0' + rest % 10);
    rest /= 10;
  } while (rest != 0);
  out.append(p, end);
}

Error problem_error(std::string_view subject, Number::Problem problem) {
  std::string message = detail::quote_for_message(subject);
  switch (problem) {
    case Number::Problem::syntax: message += " is not a number"; break;
    case Number::Problem::too_many_digits:
      message += " has more than 38 significant digits";
      break;
    case Number::Problem::overflow:
    case Number::Problem::underflow:
      message += " is out of range: ";
      message += Number::describe(problem);
      break;
  }
  return Error::validation(std::move(message));
}

}  // namespace

std::string_view Number::describe(Problem problem) noexcept {
  switch (problem) {
    case Problem::syntax: return "not a decimal number";
    case Problem::too_many_digits: return "more than 38 significant digits";
    case Problem::overflow:
      return "magnitude larger than 9.9999999999999999999999999999999999999E+125";
    case Problem::underflow: return "magnitude smaller than 1E-130";
  }
  return "invalid number";
}

void Number::normalize() noexcept {
  if (coefficient_ == 0) {
    exponent_ = 0;
    negative_ = false;
    return;
  }
  if (coefficient_ <= std::numeric_limits<std::uint64_t>::max()) {
    // Most coefficients fit 64 bits, where dividing by 10 is a multiplication, not a call.
    auto small = static_cast<std::uint64_t>(coefficient_);
    if (small % 10 != 0) return;
    do {
      small /= 10;
      ++exponent_;
    } while (small % 10 == 0);
    coefficient_ = small;
    return;
  }
  while (coefficient_ % 10 == 0) {
    coefficient_ /= 10;
    ++exponent_;
  }
}

int Number::significant_digits() const noexcept { return digit_count(coefficient_); }

std::optional<Number> Number::try_parse(std::string_view text, Problem* problem) noexcept {
  auto fail = [problem](Problem p) -> std::optional<Number> {
    if (problem) *problem = p;
    return std::nullopt;
  };
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  uint128 coefficient = 0;
  int digits = 0;                 // significant digits folded into `coefficient`
  std::int64_t pending_zeros = 0; // zeros after the last non-zero digit, not yet folded
  std::int64_t fraction_digits = 0;
  bool seen_digit = false;
  bool seen_point = false;
  bool too_many = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (c >= '0' && c <= '9') {
      seen_digit = true;
      if (seen_point) ++fraction_digits;
      if (c == '0') {
        if (digits != 0) ++pending_zeros;  // leading zeros are not significant
        continue;
      }
      if (too_many || digits + pending_zeros + 1 > max_significant_digits) {
        too_many = true;  // keep scanning: a syntax error is reported in preference
        continue;
      }
      coefficient = coefficient * pow10[static_cast<std::size_t>(pending_zeros + 1)] +
                    static_cast<unsigned>(c - '0');
      digits += static_cast<int>(pending_zeros) + 1;
      pending_zeros = 0;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (!seen_digit) return fail(Problem::syntax);
  std::int64_t exponent_part = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exponent_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exponent_negative = text[i] == '-';
      ++i;
    }
    const std::size_t first = i;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i) {
      // Saturate: any exponent this large is out of range (or irrelevant for zero).
      if (exponent_part < 1'000'000'000) exponent_part = exponent_part * 10 + (text[i] - '0');
    }
    if (i == first) return fail(Problem::syntax);
    if (exponent_negative) exponent_part = -exponent_part;
  }
  if (i != n) return fail(Problem::syntax);
  if (too_many) return fail(Problem::too_many_digits);
  if (coefficient == 0) return Number{};

  // Text length bounds fraction_digits and pending_zeros, so this cannot overflow int64.
  const std::int64_t exponent = exponent_part - fraction_digits + pending_zeros;
  const std::int64_t adjusted = exponent + digits - 1;
  if (adjusted > max_exponent) return fail(Problem::overflow);
  if (adjusted < min_exponent) return fail(Problem::underflow);
  return Number(negative, coefficient, static_cast<int>(exponent));
}

Number Number::parse(std::string_view text) {
  Problem problem{};
  if (auto number = try_parse(text, &problem)) return *number;
  throw problem_error(text, problem);
}

Number Number::from_double(double value) {
  if (std::isnan(value)) throw Error::validation("NaN cannot be stored as a DynamoDB number");
  if (std::isinf(value)) throw Error::validation("infinity cannot be stored as a DynamoDB number");
  char buf[64];
  const auto result = std::to_chars(buf, buf + sizeof buf, value);  // shortest round trip
  return parse(std::string_view(buf, static_cast<std::size_t>(result.ptr - buf)));
}

void Number::append_to(std::string& out) const {
  if (negative_) out.push_back('-');
  if (exponent_ >= 0) {
    append_digits(out, coefficient_);
    out.append(static_cast<std::size_t>(exponent_), '0');
    return;
  }
  std::string digits;
  append_digits(digits, coefficient_);
  const auto scale = static_cast<std::size_t>(-exponent_);
  if (digits.size() > scale) {
    const std::size_t point = digits.size() - scale;
    out.append(digits, 0, point);
    out.push_back('.');
    out.append(digits, point);
  } else {
    out.append("0.");
    out.append(scale - digits.size(), '0');
    out.append(digits);
  }
}

std::string Number::to_scientific_string() const {
  std::string out;
  if (negative_) out.push_back('-');
  std::string digits;
  append_digits(digits, coefficient_);
  out.push_back(digits[0]);
  if (digits.size() > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  const int exponent = adjusted_exponent();
  out += exponent < 0 ? "E-" : "E+";
  out += std::to_string(exponent < 0 ? -exponent : exponent);
  return out;
}

std::string Number::to_string() const {
  std::string out;
  append_to(out);
  return out;
}

std::optional<Number::uint128> Number::integral_magnitude() const noexcept {
  if (exponent_ == 0) return coefficient_;  // the usual integer; at most 38 digits already
  if (exponent_ < 0) return std::nullopt;
  if (significant_digits() + exponent_ > max_significant_digits) return std::nullopt;
  return coefficient_ * pow10[static_cast<std::size_t>(exponent_)];
}

void Number::throw_not_integral(bool is_signed, std::size_t bytes) const {
  std::string message = "number " + to_string();
  if (!is_integer()) {
    message += " is not an integer";
  } else {
    message += " does not fit in ";
    message += is_signed ? "a signed " : "an unsigned ";
    message += std::to_string(bytes * 8);
    message += "-bit integer";
  }
  throw Error::validation(std::move(message));
}

// "<sign><coefficient>e<exponent>": what from_chars reads to round a Number to binary.
std::string Number::coefficient_exponent_text() const {
  std::string text;
  if (negative_) text.push_back('-');
  append_digits(text, coefficient_);
  text.push_back('e');
  text += std::to_string(exponent_);
  return text;
}

double Number::to_double_lossy() const noexcept {
  // A coefficient below 2^53 and a power of ten up to 10^22 are both exact doubles, so one
  // multiplication or division by it rounds correctly, as from_chars would (Clinger's fast
  // path): 19.99 is 1999 / 100.
  static constexpr double exact_powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  if (coefficient_ < (uint128{1} << 53) && exponent_ >= -22 && exponent_ <= 22) {
    const auto magnitude = static_cast<double>(static_cast<std::uint64_t>(coefficient_));
    const double value = exponent_ >= 0 ? magnitude * exact_powers[static_cast<std::size_t>(exponent_)]
                                         : magnitude / exact_powers[static_cast<std::size_t>(-exponent_)];
    return negative_ ? -value : value;
  }
  // from_chars rounds correctly, which summing digits in floating point would not.
  const std::string text = coefficient_exponent_text();
  double value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

float Number::to_float_lossy() const noexcept {
  const std::string text = coefficient_exponent_text();
  float value = 0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), value);
  if (result.ec == std::errc::result_out_of_range) {
    // from_chars leaves the value untouched on overflow/underflow; saturate like a cast.
    const bool huge = adjusted_exponent() > 0;
    value = huge ? std::numeric_limits<float>::infinity() : 0.0f;
    if (negative_) value = -value;
  }
  return value;
}

std::strong_ordering Number::compare_magnitude(const Number& other) const noexcept {
  if (coefficient_ == 0 || other.coefficient_ == 0) {
    return (coefficient_ != 0) <=> (other.coefficient_ != 0);
  }
  const int a_digits = significant_digits();
  const int b_digits = other.significant_digits();
  const int a_adjusted = exponent_ + a_digits - 1;
  const int b_adjusted = other.exponent_ + b_digits - 1;
  if (a_adjusted != b_adjusted) return a_adjusted <=> b_adjusted;
  // Same leading power of ten: compare the coefficients padded to the same length.
  uint128 a = coefficient_;
  uint128 b = other.coefficient_;
  if (a_digits < b_digits) a *= pow10[static_cast<std::size_t>(b_digits - a_digits)];
  if (b_digits < a_digits) b *= pow10[static_cast<std::size_t>(a_digits - b_digits)];
  return a <=> b;
}

std::strong_ordering Number::compare(const Number& other) const noexcept {
  if (negative_ != other.negative_) return negative_ ? std::strong_ordering::less : std::strong_ordering::greater;
  const auto magnitude = compare_magnitude(other);
  return negative_ ? 0 <=> magnitude : magnitude;
}

Number Number::operator-() const noexcept {
  Number result = *this;
  if (result.coefficient_ != 0) result.negative_ = !result.negative_;
  return result;
}

Number Number::operator+(const Number& other) const { return add(*this, other, false); }
Number Number::operator-(const Number& other) const { return add(*this, other, true); }

namespace {

// Digit-string arithmetic for the rare additions whose aligned operands do not fit 128
// bits (e.g. 1E+100 + 1). Strings hold decimal digits, most significant first, equal length.
std::string add_digit_strings(const std::string& a, const std::string& b) {
  std::string sum(a.size() + 1, '0');
  int carry = 0;
  for (std::size_t i = a.size(); i-- > 0;) {
    const int d = (a[i] - '0') + (b[i] - '0') + carry;
    sum[i + 1] = static_cast<char>('0' + d % 10);
    carry = d / 10;
  }
  sum[0] = static_cast<char>('0' + carry);
  return sum;
}

// a - b where a >= b.
std::string subtract_digit_strings(const std::string& a, const std::string& b) {
  std::string difference(a.size(), '0');
  int borrow = 0;
  for (std::size_t i = a.size(); i-- > 0;) {
    int d = (a[i] - '0') - (b[i] - '0') - borrow;
    borrow = d < 0 ? 1 : 0;
    if (d < 0) d += 10;
    difference[i] = static_cast<char>('0' + d);
  }
  return difference;
}

}  // namespace

Number Number::add(const Number& a, const Number& b, bool negate_b) {
  const bool b_negative = b.coefficient_ != 0 && (b.negative_ != negate_b);
  if (b.coefficient_ == 0) return a;
  if (a.coefficient_ == 0) return Number(b_negative, b.coefficient_, b.exponent_);

  const int exponent = std::min(a.exponent_, b.exponent_);
  const int a_shift = a.exponent_ - exponent;
  const int b_shift = b.exponent_ - exponent;
  const int a_digits = a.significant_digits();
  const int b_digits = b.significant_digits();

  bool negative = a.negative_;
  uint128 coefficient = 0;
  int result_exponent = exponent;
  bool too_many_digits = false;

  if (a_digits + a_shift <= max_significant_digits && b_digits + b_shift <= max_significant_digits) {
    // Both aligned coefficients are below 10^38, so their sum stays below 2^128.
    const uint128 x = a.coefficient_ * pow10[static_cast<std::size_t>(a_shift)];
    const uint128 y = b.coefficient_ * pow10[static_cast<std::size_t>(b_shift)];
    if (a.negative_ == b_negative) {
      coefficient = x + y;
    } else if (x >= y) {
      coefficient = x - y;
    } else {
      coefficient = y - x;
      negative = b_negative;
    }
    if (coefficient == 0) return Number{};
    while (coefficient % 10 == 0) {
      coefficient /= 10;
      ++result_exponent;
    }
    too_many_digits = coefficient >= pow10[38];
  } else {
    const auto width = static_cast<std::size_t>(std::max(a_digits + a_shift, b_digits + b_shift));
    auto aligned = [width](uint128 c, int shift) {
      std::string digits;
      append_digits(digits, c);
      digits.append(static_cast<std::size_t>(shift), '0');
      digits.insert(0, width - digits.size(), '0');
      return digits;
    };
    const std::string x = aligned(a.coefficient_, a_shift);
    const std::string y = aligned(b.coefficient_, b_shift);
    std::string result;
    if (a.negative_ == b_negative) {
      result = add_digit_strings(x, y);
    } else if (x >= y) {  // equal-length digit strings compare like the numbers they spell
      result = subtract_digit_strings(x, y);
    } else {
      result = subtract_digit_strings(y, x);
      negative = b_negative;
    }
    const auto first = result.find_first_not_of('0');
    if (first == std::string::npos) return Number{};
    const auto last = result.find_last_not_of('0');
    result_exponent += static_cast<int>(result.size() - 1 - last);
    const std::string_view significant(result.data() + first, last - first + 1);
    if (significant.size() > static_cast<std::size_t>(max_significant_digits)) {
      too_many_digits = true;
    } else {
      for (const char c : significant) coefficient = coefficient * 10 + static_cast<unsigned>(c - '0');
    }
  }

  // Only built on failure: the successful path must stay allocation-free.
  auto operation = [&] {
    // Operands with very long plain text read better in scientific notation.
    auto text = [](const Number& n) {
      std::string plain = n.to_string();
      return plain.size() > 40 ? n.to_scientific_string() : plain;
    };
    return text(a) + (negate_b ? " - " : " + ") + text(b);
  };
  if (too_many_digits) {
    throw Error::validation("the exact result of " + operation() + " has more than 38 significant digits");
  }
  Number result(negative, coefficient, result_exponent);
  const int adjusted = result.adjusted_exponent();
  if (adjusted > max_exponent || adjusted < min_exponent) {
    throw Error::validation("the result of " + operation() + " is out of range: " +
                            std::string(describe(adjusted > max_exponent ? Problem::overflow : Problem::underflow)));
  }
  return result;
}

std::size_t Number::hash() const noexcept {
  const auto low = static_cast<std::uint64_t>(coefficient_);
  const auto high = static_cast<std::uint64_t>(coefficient_ >> 64);
  std::size_t h = std::hash<std::uint64_t>{}(low);
  h ^= std::hash<std::uint64_t>{}(high) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= std::hash<int>{}(exponent_ * 2 + (negative_ ? 1 : 0)) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}

std::ostream& operator<<(std::ostream& out, const Number& number) { return out << number.to_string(); }

}  // namespace dynamo
