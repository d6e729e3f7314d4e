// libFuzzer target for the expression parser.
//
// The first byte picks the grammar (condition, key condition, update, projection); the rest
// is the expression text. Any input must parse or throw dynamo::Error — never crash, hang or
// throw anything else. When it parses, rendering the tree and parsing the result must give
// the same tree back (render and parse are inverse), and evaluating it on a sample item may
// only throw dynamo::Error.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "dynamo/expr.hpp"

namespace {

using namespace dynamo::expr;

ExpressionAttributes attributes() {
  ExpressionAttributes attrs;
  attrs.add_name("#a", "a");
  attrs.add_name("#b", "b.c");
  attrs.add_value(":a", dynamo::AttributeValue(1));
  attrs.add_value(":b", dynamo::AttributeValue("x"));
  attrs.add_value(":c", dynamo::AttributeValue(dynamo::List{1, "y"}));
  attrs.add_value(":d", dynamo::AttributeValue(dynamo::StringSet{"x"}));
  attrs.add_value(":e", dynamo::AttributeValue(dynamo::NumberSet{2}));
  return attrs;
}

const dynamo::Item& sample_item() {
  static const dynamo::Item item{
      {"a", 5},
      {"b", dynamo::AttributeMap{{"c", dynamo::List{1, "x", dynamo::StringSet{"x"}}}}},
      {"s", "xyz"},
      {"l", dynamo::List{1, 2, 3}},
  };
  return item;
}

template <class Tree, class Parse>
void round_trip(const Tree& tree, Parse parse) {
  Placeholders ph;
  const std::string text = render(tree, ph);
  if (text.empty()) return;
  ExpressionAttributes again;
  for (const auto& [key, name] : ph.names()) again.add_name(key, name);
  for (const auto& [key, v] : ph.values()) again.add_value(key, v);
  if (!(parse(text, again) == tree)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  auto attrs = attributes();
  try {
    switch (data[0] % 4) {
      case 0: {
        const Condition c = parse_condition(text, attrs);
        round_trip(c, [](std::string_view t, ExpressionAttributes& a) { return parse_condition(t, a); });
        (void)evaluate(c, sample_item());
        break;
      }
      case 1: {
        const Condition c = parse_condition(text, attrs, ExpressionKind::key_condition);
        (void)analyze_key_condition(c, "a", std::optional<std::string_view>("s"));
        break;
      }
      case 2: {
        const Update u = parse_update(text, attrs);
        round_trip(u, [](std::string_view t, ExpressionAttributes& a) { return parse_update(t, a); });
        (void)apply_update(u, sample_item(), std::vector<std::string>{"s"});
        break;
      }
      default: {
        const Projection p = parse_projection(text, attrs);
        round_trip(p, [](std::string_view t, ExpressionAttributes& a) { return parse_projection(t, a); });
        (void)project(p, sample_item());
        break;
      }
    }
  } catch (const dynamo::Error&) {
  }
  return 0;
}
