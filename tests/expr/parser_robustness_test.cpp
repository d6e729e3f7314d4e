// The parser never crashes, hangs or throws anything but dynamo::Error, whatever the input:
// random token soup, random bytes, and mutations of valid expressions. (The libFuzzer target
// fuzz/expr/expr_parse_fuzz.cpp explores further; this keeps a deterministic slice of it in
// every test run.)
#include <gtest/gtest.h>

#include <random>

#include "random_expr.hpp"

namespace {

using namespace dynamo::expr;
using dynamo::expr::testing::attributes_of;
using dynamo::expr::testing::RandomExpressions;

// Parses `text` every way; only dynamo::Error may escape the parser and evaluator.
void exercise(std::string_view text, const dynamo::Item& item) {
  const auto attributes = [] {
    ExpressionAttributes attrs;
    attrs.add_name("#a", "a");
    attrs.add_name("#b", "b.c");
    attrs.add_value(":a", dynamo::AttributeValue(1));
    attrs.add_value(":b", dynamo::AttributeValue("x"));
    attrs.add_value(":c", dynamo::AttributeValue(dynamo::List{1}));
    attrs.add_value(":d", dynamo::AttributeValue(dynamo::StringSet{"x"}));
    return attrs;
  };
  try {
    auto attrs = attributes();
    (void)evaluate(parse_condition(text, attrs), item);
  } catch (const dynamo::Error&) {
  }
  try {
    auto attrs = attributes();
    (void)apply_update(parse_update(text, attrs), item, std::vector<std::string>{"a"});
  } catch (const dynamo::Error&) {
  }
  try {
    auto attrs = attributes();
    (void)project(parse_projection(text, attrs), item);
  } catch (const dynamo::Error&) {
  }
  try {
    auto attrs = attributes();
    (void)analyze_key_condition(parse_condition(text, attrs, ExpressionKind::key_condition), "a",
                                std::optional<std::string_view>("b"));
  } catch (const dynamo::Error&) {
  }
}

// Random sequences of the grammar's tokens.
TEST(ParserRobustness, TokenSoup) {
  static const char* const tokens[] = {"a", "#a", "#b", ":a", ":b", ":c", ":d", "(", ")", "[", "]", "[1]", ".",
                                       ",", "=", "<>", "<", "<=", ">", ">=", "+", "-", "AND", "OR", "NOT",
                                       "BETWEEN", "IN", "SET", "REMOVE", "ADD", "DELETE", "size", "contains",
                                       "begins_with", "attribute_exists", "list_append", "if_not_exists", "#x",
                                       ":x", "b", "0", " ", "_", "%"};
  std::mt19937 rng(7);
  RandomExpressions random(8);
  const dynamo::Item item = random.item();
  for (int i = 0; i < 20000; ++i) {
    std::string text;
    const int length = std::uniform_int_distribution<int>(1, 12)(rng);
    for (int j = 0; j < length; ++j) {
      text += tokens[std::uniform_int_distribution<std::size_t>(0, std::size(tokens) - 1)(rng)];
      text += ' ';
    }
    exercise(text, item);
  }
}

// Random bytes, including NUL and invalid UTF-8, and deep nesting.
TEST(ParserRobustness, RandomBytesAndNesting) {
  std::mt19937 rng(9);
  const dynamo::Item item;
  for (int i = 0; i < 5000; ++i) {
    std::string text(std::uniform_int_distribution<std::size_t>(0, 64)(rng), '\0');
    for (auto& c : text) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    exercise(text, item);
  }
  exercise(std::string(4096, '('), item);
  exercise(std::string(2000, '(') + "a = :a" + std::string(2000, ')'), item);
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "NOT ";
  exercise(nots + "a = :a", item);
  exercise(std::string(5000, 'a'), item);
}

// Valid rendered expressions with one character deleted, duplicated or replaced.
TEST(ParserRobustness, MutatedValidExpressions) {
  RandomExpressions random(10);
  std::mt19937 rng(11);
  const dynamo::Item item = random.item();
  for (int i = 0; i < 3000; ++i) {
    Placeholders ph;
    std::string text = i % 2 ? render(random.condition(), ph) : render(random.update(), ph);
    if (text.empty()) continue;
    const std::size_t at = std::uniform_int_distribution<std::size_t>(0, text.size() - 1)(rng);
    switch (i % 3) {
      case 0: text.erase(at, 1); break;
      case 1: text.insert(at, 1, text[at]); break;
      default: text[at] = "()[].,:#=<> "[std::uniform_int_distribution<int>(0, 11)(rng)]; break;
    }
    exercise(text, item);
  }
}

}  // namespace
