// Property test: for randomly built expressions, render -> parse gives back the same tree,
// every placeholder the renderer allocated is used, and evaluating the parsed form on random
// items gives what evaluating the built form gives.
#include <gtest/gtest.h>

#include "random_expr.hpp"

namespace {

using namespace dynamo::expr;
using dynamo::expr::testing::attributes_of;
using dynamo::expr::testing::RandomExpressions;

constexpr int iterations = 2000;

// Conditions survive the round trip and evaluate identically.
TEST(RoundTrip, Conditions) {
  RandomExpressions random(1);
  for (int i = 0; i < iterations; ++i) {
    const Condition built = random.condition();
    Placeholders ph;
    const std::string text = render(built, ph);
    auto attrs = attributes_of(ph);
    Condition parsed;
    ASSERT_NO_THROW(parsed = parse_condition(text, attrs, ExpressionKind::filter)) << text;
    ASSERT_EQ(parsed, built) << text;
    ASSERT_NO_THROW(attrs.check_all_used()) << text;
    for (int j = 0; j < 5; ++j) {
      const dynamo::Item item = random.item();
      ASSERT_EQ(evaluate(parsed, item), evaluate(built, item)) << text;
    }
  }
}

// Updates survive the round trip and apply identically (same item, or the same error).
TEST(RoundTrip, Updates) {
  RandomExpressions random(2);
  const auto outcome = [](const Update& u, const dynamo::Item& item) -> std::string {
    try {
      const dynamo::Item result = apply_update(u, item);
      Placeholders ph;
      std::string shape;
      for (const auto& [name, v] : result) shape += name + ";";
      return "ok " + shape + std::to_string(result == item);
    } catch (const dynamo::Error& e) {
      return std::string(e.message());
    }
  };
  for (int i = 0; i < iterations; ++i) {
    const Update built = random.update();
    Placeholders ph;
    const std::string text = render(built, ph);
    auto attrs = attributes_of(ph);
    Update parsed;
    ASSERT_NO_THROW(parsed = parse_update(text, attrs)) << text;
    ASSERT_EQ(parsed, built) << text;
    ASSERT_NO_THROW(attrs.check_all_used()) << text;
    const dynamo::Item item = random.item();
    ASSERT_EQ(outcome(parsed, item), outcome(built, item)) << text;
  }
}

// Projections survive the round trip, sharing one context with a condition.
TEST(RoundTrip, ProjectionsWithSharedPlaceholders) {
  RandomExpressions random(3);
  for (int i = 0; i < iterations; ++i) {
    const Projection built = random.projection();
    const Condition filter = random.condition();
    Placeholders ph;
    const std::string projection_text = render(built, ph);
    const std::string filter_text = render(filter, ph);
    auto attrs = attributes_of(ph);
    ASSERT_EQ(parse_projection(projection_text, attrs), built) << projection_text;
    ASSERT_EQ(parse_condition(filter_text, attrs, ExpressionKind::filter), filter) << filter_text;
    ASSERT_NO_THROW(attrs.check_all_used());
    const dynamo::Item item = random.item();
    ASSERT_EQ(project(built, item), project(parse_projection(projection_text, attrs), item));
  }
}

}  // namespace
