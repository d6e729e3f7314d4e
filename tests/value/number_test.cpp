// Number: DynamoDB's parsing rules, canonical text, ordering, exact arithmetic, conversions.
#include "dynamo/value/number.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>

namespace dynamo {
namespace {

std::string canonical(std::string_view text) { return Number::parse(text).to_string(); }

// DynamoDB returns numbers in plain notation with leading/trailing zeros and '+' removed;
// the cases mirror what the service answers for each input.
TEST(Number, CanonicalTextMatchesDynamoDB) {
  const std::pair<const char*, const char*> cases[] = {
      {"1", "1"},       {"123", "123"},     {"-5", "-5"},       {"0", "0"},         {"10", "10"},
      {"007", "7"},     {"001.23", "1.23"}, {"00", "0"},        {"+3", "3"},        {"+0", "0"},
      {"-0", "0"},      {"-0.000", "0"},    {"+1.5", "1.5"},    {"1.0", "1"},       {"1.10", "1.1"},
      {"100.000", "100"}, {"0.10", "0.1"},  {"1e3", "1000"},    {"1E+3", "1000"},   {"-3e2", "-300"},
      {"1.5e2", "150"}, {"1.23e4", "12300"}, {"1e-3", "0.001"}, {"5e-1", "0.5"},    {"123e-2", "1.23"},
      {"1.0e3", "1000"}, {".5", "0.5"},     {"5.", "5"},        {"0e999999999", "0"},
      {"1e20", "100000000000000000000"},    {"1e-20", "0.00000000000000000001"},
      {"-273.15", "-273.15"},               {"3.14159", "3.14159"},
  };
  for (const auto& [input, expected] : cases) EXPECT_EQ(canonical(input), expected) << input;
  EXPECT_EQ(canonical("1e125"), "1" + std::string(125, '0'));
  EXPECT_EQ(canonical("1e-130"), "0." + std::string(129, '0') + "1");
}

// Text that is not a decimal number is rejected with a message quoting it.
TEST(Number, RejectsNonNumbers) {
  for (const char* bad : {"", "-", "+", ".", "-.", "e5", "1e", "1e+", "1.2.3", " 1", "1 ", "0x10", "inf", "NaN",
                          "1,5", "1e5.5", "--1", "+-1", "1_000", "١"}) {
    Number::Problem problem{};
    EXPECT_FALSE(Number::try_parse(bad, &problem)) << bad;
    EXPECT_EQ(problem, Number::Problem::syntax) << bad;
    try {
      (void)Number::parse(bad);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "ValidationException");
      EXPECT_EQ(std::string(e.what()), "\"" + std::string(bad) + "\" is not a number");
    }
  }
}

// 38 significant digits are accepted; 39 are not, while zeros that are not significant
// do not count toward the limit.
TEST(Number, SignificantDigitLimit) {
  const std::string digits38(38, '9');
  EXPECT_EQ(canonical(digits38), digits38);
  EXPECT_EQ(canonical("0.000" + digits38), "0.000" + digits38);
  Number::Problem problem{};
  EXPECT_FALSE(Number::try_parse(digits38 + "1", &problem));
  EXPECT_EQ(problem, Number::Problem::too_many_digits);
  EXPECT_FALSE(Number::try_parse("1." + std::string(37, '0') + "1", &problem));
  EXPECT_EQ(problem, Number::Problem::too_many_digits);
  // 1 followed by 100 zeros has one significant digit.
  EXPECT_EQ(canonical("1" + std::string(100, '0')), "1" + std::string(100, '0'));
  EXPECT_EQ(canonical("12" + std::string(60, '0') + ".000"), "12" + std::string(60, '0'));
  EXPECT_THROW((void)Number::parse(std::string(40, '1')), Error);
}

// The range is 1E-130 to 9.99...E+125 in magnitude, either sign; beyond it is an error.
TEST(Number, RangeLimits) {
  const std::string max = "9." + std::string(37, '9') + "E+125";
  EXPECT_EQ(Number::parse(max).adjusted_exponent(), 125);
  EXPECT_EQ(Number::parse("-" + max).adjusted_exponent(), 125);
  EXPECT_EQ(Number::parse("1E-130").adjusted_exponent(), -130);
  Number::Problem problem{};
  EXPECT_FALSE(Number::try_parse("1E126", &problem));
  EXPECT_EQ(problem, Number::Problem::overflow);
  EXPECT_FALSE(Number::try_parse("-10E125", &problem));
  EXPECT_EQ(problem, Number::Problem::overflow);
  EXPECT_FALSE(Number::try_parse("9.9E-131", &problem));
  EXPECT_EQ(problem, Number::Problem::underflow);
  EXPECT_FALSE(Number::try_parse("1e99999999999999999999", &problem));
  EXPECT_EQ(problem, Number::Problem::overflow);
  EXPECT_FALSE(Number::try_parse("1e-99999999999999999999", &problem));
  EXPECT_EQ(problem, Number::Problem::underflow);
  try {
    (void)Number::parse("1E126");
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "\"1E126\" is out of range: magnitude larger than 9.9999999999999999999999999999999999999E+125");
  }
}

// Equality and ordering are numeric, whatever the spelling.
TEST(Number, NumericOrdering) {
  EXPECT_EQ(Number::parse("1"), Number::parse("1.000"));
  EXPECT_EQ(Number::parse("1e2"), Number(100));
  EXPECT_EQ(Number::parse("-0"), Number(0));
  EXPECT_LT(Number::parse("-1"), Number::parse("0.5"));
  EXPECT_LT(Number::parse("-2"), Number::parse("-1.5"));
  EXPECT_LT(Number::parse("9"), Number::parse("10"));
  EXPECT_LT(Number::parse("0.099"), Number::parse("0.1"));
  EXPECT_LT(Number::parse("1.2"), Number::parse("1.25"));
  EXPECT_GT(Number::parse("1.25"), Number::parse("1.2"));
  EXPECT_LT(Number::parse("-1.25"), Number::parse("-1.2"));
  EXPECT_LT(Number::parse("1e-130"), Number::parse("2e-130"));
  EXPECT_LT(Number::parse("0"), Number::parse("1e-130"));
  EXPECT_LT(Number::parse("-1e-130"), Number::parse("0"));
  EXPECT_EQ(std::hash<Number>{}(Number::parse("1.50")), std::hash<Number>{}(Number::parse("15e-1")));
}

// Ordering agrees with the order of the doubles for random values that doubles hold exactly.
TEST(Number, OrderingAgreesWithIntegersAtRandom) {
  std::mt19937_64 rng(42);
  std::uniform_int_distribution<std::int64_t> value(-1'000'000, 1'000'000);
  std::uniform_int_distribution<int> scale(-6, 6);
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t a = value(rng);
    const std::int64_t b = value(rng);
    const int s = scale(rng);
    const auto na = Number::parse(std::to_string(a) + "e" + std::to_string(s));
    const auto nb = Number::parse(std::to_string(b) + "e" + std::to_string(s));
    EXPECT_EQ(na < nb, a < b);
    EXPECT_EQ(na == nb, a == b);
  }
}

// Addition and subtraction are exact, including across very different scales.
TEST(Number, ExactArithmetic) {
  EXPECT_EQ((Number::parse("0.1") + Number::parse("0.2")).to_string(), "0.3");
  EXPECT_EQ((Number::parse("1.5") - Number::parse("1.5")).to_string(), "0");
  EXPECT_EQ((Number::parse("10") - Number::parse("0.001")).to_string(), "9.999");
  EXPECT_EQ((Number::parse("-5") + Number::parse("3")).to_string(), "-2");
  EXPECT_EQ((Number::parse("5") - Number::parse("-3")).to_string(), "8");
  EXPECT_EQ((-Number::parse("2.5")).to_string(), "-2.5");
  EXPECT_EQ((-Number(0)).to_string(), "0");
  const std::string nines(38, '9');
  EXPECT_EQ((Number::parse(nines) + Number(1)).to_string(), "1" + std::string(38, '0'));
  // 10 - 9.99...9 (38 digits) = 1E-37: the operands are 38 digits apart in scale.
  EXPECT_EQ((Number(10) - Number::parse("9." + std::string(37, '9'))).to_string(), "0." + std::string(36, '0') + "1");
  EXPECT_EQ((Number::parse("1e100") - Number::parse("1e100")).to_string(), "0");
  EXPECT_EQ((Number::parse("1e100") + Number::parse("1e100")).to_string(), "2" + std::string(100, '0'));
  EXPECT_EQ((Number::parse("1e100") + Number::parse("-1e99")).to_string(), "9" + std::string(99, '0'));
}

// Scientific text puts one digit before the point.
TEST(Number, ScientificText) {
  EXPECT_EQ(Number::parse("150").to_scientific_string(), "1.5E+2");
  EXPECT_EQ(Number::parse("-0.00012").to_scientific_string(), "-1.2E-4");
  EXPECT_EQ(Number::parse("1e-130").to_scientific_string(), "1E-130");
  EXPECT_EQ(Number(0).to_scientific_string(), "0E+0");
  EXPECT_EQ(Number::parse(Number::parse("-9.87e100").to_scientific_string()), Number::parse("-9.87e100"));
}

// A result that would need rounding is an error, never silently rounded.
TEST(Number, ArithmeticNeverRounds) {
  EXPECT_THROW((void)(Number::parse("1e100") + Number(1)), Error);
  EXPECT_THROW((void)(Number::parse(std::string(38, '9')) + Number::parse("0.1")), Error);
  const Number max = Number::parse("9." + std::string(37, '9') + "E+125");
  EXPECT_THROW((void)(max + max), Error);
  // 2E-130 - 1.5E-130 = 5E-131, below the smallest magnitude.
  EXPECT_THROW((void)(Number::parse("2e-130") - Number::parse("1.5e-130")), Error);
  try {
    (void)(Number::parse("1e100") + Number(1));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_EQ(std::string(e.what()), "the exact result of 1E+100 + 1 has more than 38 significant digits");
  }
}

// Random additions agree with 64-bit integer arithmetic.
TEST(Number, ArithmeticAgreesWithIntegersAtRandom) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<std::int64_t> value(-(std::int64_t{1} << 60), std::int64_t{1} << 60);
  for (int i = 0; i < 20000; ++i) {
    const std::int64_t a = value(rng);
    const std::int64_t b = value(rng);
    EXPECT_EQ((Number(a) + Number(b)).to<std::int64_t>(), a + b);
    EXPECT_EQ((Number(a) - Number(b)).to<std::int64_t>(), a - b);
  }
}

// Integral conversions are exact in both directions and refuse what does not fit.
TEST(Number, IntegralConversions) {
  EXPECT_EQ(Number(std::numeric_limits<std::int64_t>::min()).to_string(), "-9223372036854775808");
  EXPECT_EQ(Number(std::numeric_limits<std::uint64_t>::max()).to_string(), "18446744073709551615");
  EXPECT_EQ(Number::parse("-9223372036854775808").to<std::int64_t>(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(Number::parse("18446744073709551615").to<std::uint64_t>(), std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(Number::parse("1.27e2").to<std::int8_t>(), 127);
  EXPECT_EQ(Number::parse("-128").to<std::int8_t>(), -128);
  EXPECT_FALSE(Number::parse("128").try_to<std::int8_t>());
  EXPECT_FALSE(Number::parse("-129").try_to<std::int8_t>());
  EXPECT_FALSE(Number::parse("-1").try_to<unsigned>());
  EXPECT_FALSE(Number::parse("1.5").try_to<int>());
  EXPECT_FALSE(Number::parse("1e30").try_to<std::uint64_t>());
  EXPECT_EQ(Number::parse("0").to<unsigned short>(), 0);
  EXPECT_EQ(Number(std::int16_t{-300}).to<std::int16_t>(), -300);
  try {
    (void)Number::parse("1.5").to<int>();
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "number 1.5 is not an integer");
  }
  try {
    (void)Number::parse("300").to<std::uint8_t>();
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "number 300 does not fit in an unsigned 8-bit integer");
  }
}

// from_double takes the shortest decimal that reads back as the same double; the lossy
// conversions back round correctly.
TEST(Number, FloatingPointConversions) {
  EXPECT_EQ(Number::from_double(0.1).to_string(), "0.1");
  EXPECT_EQ(Number::from_double(-2.5e-7).to_string(), "-0.00000025");
  EXPECT_EQ(Number::from_double(1e21).to_string(), "1000000000000000000000");
  EXPECT_EQ(Number::from_double(0.0).to_string(), "0");
  EXPECT_EQ(Number::from_double(-0.0).to_string(), "0");
  EXPECT_THROW((void)Number::from_double(std::nan("")), Error);
  EXPECT_THROW((void)Number::from_double(std::numeric_limits<double>::infinity()), Error);
  EXPECT_THROW((void)Number::from_double(1e300), Error);
  EXPECT_THROW((void)Number::from_double(5e-324), Error);
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> dist(-1e12, 1e12);
  for (int i = 0; i < 10000; ++i) {
    const double d = dist(rng);
    EXPECT_EQ(Number::from_double(d).to_double_lossy(), d);
  }
  EXPECT_EQ(Number::parse("0.1").to_float_lossy(), 0.1f);
  EXPECT_EQ(Number::parse("1e100").to_float_lossy(), std::numeric_limits<float>::infinity());
  EXPECT_EQ(Number::parse("-1e-100").to_float_lossy(), -0.0f);
  EXPECT_DOUBLE_EQ(Number::parse("123456789012345678901234567890").to_double_lossy(), 1.2345678901234568e29);
}

// Integers strip their trailing zeros into the exponent, at every width and sign.
TEST(Number, IntegersAreNormalized) {
  EXPECT_EQ(Number(1000), Number::parse("1e3"));
  EXPECT_EQ(Number(1000).to_string(), "1000");
  EXPECT_EQ(Number(-120).to_string(), "-120");
  EXPECT_EQ(Number(0), Number());
  EXPECT_FALSE(Number(std::int64_t{0}).is_negative());
  EXPECT_EQ(Number(std::int8_t{-128}).to_string(), "-128");
  EXPECT_EQ(Number(std::uint64_t{18446744073709551610ULL}).to_string(), "18446744073709551610");
  EXPECT_EQ(Number(std::uint64_t{18446744073709551610ULL}).significant_digits(), 19);
  EXPECT_EQ(Number(std::int64_t{-9000000000000000000}).significant_digits(), 1);
  EXPECT_EQ(Number(std::int64_t{-9000000000000000000}).to<std::int64_t>(), -9000000000000000000);
  std::mt19937_64 rng(5);
  for (int i = 0; i < 10000; ++i) {
    const auto value = static_cast<std::int64_t>(rng()) >> (rng() % 64);
    const std::int64_t rounded = value - value % 1000;
    EXPECT_EQ(Number(rounded), Number::parse(std::to_string(rounded))) << rounded;
    EXPECT_EQ(Number(rounded).to<std::int64_t>(), rounded);
  }
}

// to_double_lossy rounds as from_chars does, whether the number takes the exact fast path
// (a coefficient below 2^53 and a power of ten up to 22) or not.
TEST(Number, DoubleConversionAgreesWithFromChars) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> exponent(-40, 40);
  for (int i = 0; i < 20000; ++i) {
    const int digits = 1 + static_cast<int>(rng() % 20);
    std::string text = (rng() & 1) ? "-" : "";
    text.push_back(static_cast<char>('1' + rng() % 9));
    for (int d = 1; d < digits; ++d) text.push_back(static_cast<char>('0' + rng() % 10));
    text += "e" + std::to_string(exponent(rng));
    double expected = 0;
    std::from_chars(text.data(), text.data() + text.size(), expected);
    EXPECT_EQ(Number::parse(text).to_double_lossy(), expected) << text;
  }
  EXPECT_EQ(Number::parse("9007199254740993").to_double_lossy(), 9007199254740992.0);  // 2^53 + 1
  EXPECT_EQ(Number::parse("19.99").to_double_lossy(), 19.99);
  EXPECT_EQ(Number::parse("-0.0000001").to_double_lossy(), -1e-7);
  EXPECT_EQ(Number::parse("1e22").to_double_lossy(), 1e22);
  EXPECT_EQ(Number::parse("1e23").to_double_lossy(), 1e23);
  EXPECT_EQ(Number().to_double_lossy(), 0.0);
  EXPECT_FALSE(std::signbit(Number().to_double_lossy()));
}

// Canonical text parses back to the same number (a fixed point of parse/to_string).
TEST(Number, CanonicalTextRoundTripsAtRandom) {
  std::mt19937_64 rng(11);
  std::uniform_int_distribution<int> digit(0, 9);
  std::uniform_int_distribution<int> length(1, 38);
  std::uniform_int_distribution<int> exponent(-120, 80);
  for (int i = 0; i < 5000; ++i) {
    std::string text = (rng() & 1) ? "-" : "";
    const int n = length(rng);
    for (int d = 0; d < n; ++d) text.push_back(static_cast<char>('0' + digit(rng)));
    text += "e" + std::to_string(exponent(rng));
    const auto number = Number::parse(text);
    EXPECT_EQ(Number::parse(number.to_string()), number) << text;
    EXPECT_EQ(Number::parse(number.to_string()).to_string(), number.to_string()) << text;
  }
}

}  // namespace
}  // namespace dynamo
