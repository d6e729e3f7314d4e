// Parsing: valid expressions give the trees the builder makes; invalid ones give the
// service's ValidationException messages (tables of expression -> message).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dynamo/expr.hpp"

namespace {

using namespace dynamo::expr;
using dynamo::AttributeValue;

// Attributes used by most tests: #a -> a, #b -> b, #c -> c, #d -> "[3]", and a few values.
ExpressionAttributes standard_attributes() {
  ExpressionAttributes attrs;
  attrs.add_name("#a", "a");
  attrs.add_name("#b", "b");
  attrs.add_name("#c", "c");
  attrs.add_name("#d", "[3]");
  attrs.add_value(":s", AttributeValue("text"));
  attrs.add_value(":n", AttributeValue(1));
  attrs.add_value(":m", AttributeValue(5));
  attrs.add_value(":l", AttributeValue(dynamo::List{1}));
  attrs.add_value(":ss", AttributeValue(dynamo::StringSet{"x"}));
  attrs.add_value(":b", AttributeValue(dynamo::Binary{1, 2}));
  attrs.add_value(":t", AttributeValue("S"));
  return attrs;
}

std::string error_of(auto&& parse_call) {
  try {
    parse_call();
  } catch (const dynamo::Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    return std::string(e.message());
  }
  return "(no error)";
}

std::string condition_error(std::string_view text, ExpressionKind kind = ExpressionKind::condition) {
  auto attrs = standard_attributes();
  return error_of([&] { (void)parse_condition(text, attrs, kind); });
}
std::string update_error(std::string_view text) {
  auto attrs = standard_attributes();
  return error_of([&] { (void)parse_update(text, attrs); });
}

// Precedence is NOT > AND > OR, keywords are case-insensitive, placeholders resolve.
TEST(Parse, ConditionPrecedence) {
  auto attrs = standard_attributes();
  const Condition parsed = parse_condition("a = :n OR NOT #b < :m and c > :n", attrs);
  const Condition expected = path("a") == 1 || (!(path("b") < 5) && path("c") > 1);
  EXPECT_EQ(parsed, expected);
}

// Parentheses regroup; BETWEEN, IN and the functions parse into the builder's nodes.
TEST(Parse, ConditionForms) {
  auto attrs = standard_attributes();
  EXPECT_EQ(parse_condition("(a = :n OR b = :n) AND c = :n", attrs),
            (path("a") == 1 || path("b") == 1) && path("c") == 1);
  EXPECT_EQ(parse_condition("a BETWEEN :n AND :m", attrs), path("a").between(1, 5));
  EXPECT_EQ(parse_condition("a IN (:n, :m)", attrs), path("a").is_in({1, 5}));
  EXPECT_EQ(parse_condition("attribute_exists(a.b[2])", attrs), path("a").field("b").index(2).exists());
  EXPECT_EQ(parse_condition("attribute_not_exists(#a)", attrs), path("a").does_not_exist());
  EXPECT_EQ(parse_condition("attribute_type(a, :t)", attrs), path("a").is_type(dynamo::Type::string));
  EXPECT_EQ(parse_condition("begins_with(a, :s)", attrs), path("a").begins_with("text"));
  EXPECT_EQ(parse_condition("contains(a, :s)", attrs), path("a").contains("text"));
  EXPECT_EQ(parse_condition("size(a) > :n", attrs), size(path("a")) > 1);
  EXPECT_EQ(parse_condition("#d = :n", attrs), path("[3]") == 1);
}

// Update clauses in any order and case parse into the grouped builder form.
TEST(Parse, UpdateForms) {
  auto attrs = standard_attributes();
  const Update parsed = parse_update(
      "remove c[1] set a = a + :n, b = list_append(:l, b), q = if_not_exists(q, :s)  ADD d :ss delete x :ss",
      attrs);
  const Update expected{
      path("a").set(path("a") + 1),          path("b").prepend(dynamo::List{1}),
      path("q").set_if_not_exists("text"),   path("c")[1].remove(),
      path("d").add(dynamo::StringSet{"x"}), path("x").remove_from_set(dynamo::StringSet{"x"}),
  };
  EXPECT_EQ(parsed, expected);
}

// A projection is a comma-separated list of paths.
TEST(Parse, Projection) {
  auto attrs = standard_attributes();
  EXPECT_EQ(parse_projection("a, #b.c[0], #d", attrs),
            (Projection{path("a"), path("b").field("c").index(0), path("[3]")}));
}

// Syntax errors quote the token and its neighbours, as the service does.
TEST(Parse, SyntaxErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ADD hits : incr", "Invalid UpdateExpression: Syntax error; token: \":\", near: \"hits : incr\""},
      {"INVALID SYNTAX HERE", "Invalid UpdateExpression: Syntax error; token: \"INVALID\", near: \"INVALID SYNTAX\""},
      {"SET a = :n, updated", "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"updated\""},
      {"SET a", "Invalid UpdateExpression: Syntax error; token: \"<EOF>\", near: \"a\""},
  };
  for (const auto& [text, message] : cases) EXPECT_EQ(update_error(text), message) << text;
  EXPECT_EQ(condition_error("a-b"), "Invalid ConditionExpression: Syntax error; token: \"-\", near: \"a-b\"");
  EXPECT_EQ(condition_error("a = :n AND __x = :n", ExpressionKind::key_condition),
            "Invalid KeyConditionExpression: Syntax error; token: \"_\", near: \"AND __\"");
  // dynalite's list of update expressions the service rejects as syntax errors.
  for (const char* text : {"whatever", "set a", "add a", "delete a", "set a=set", "remove a = b", "add a = b",
                           "delete a = b", "delete a b", "delete a if_not_exist(b)", "add abort b",
                           "add a if_not_exist(b)", "remove a b", "set a b", "set :a = b", "add :a b",
                           "delete :a b", "remove :a", "set a = b / c", "set a = b * c", "set a[1] = \"eight\"",
                           "set a[1] = 1", "SET a = if_not_exist(a, 100)", "SET if_not_exist(a, b) = a",
                           "set (a = (b + c))", "set a = b + c + d"}) {
    EXPECT_EQ(update_error(text).rfind("Invalid UpdateExpression: Syntax error; ", 0), 0u) << text;
  }
  for (const char* text : {"a =", "a = :n AND", "(a = :n", "a = :n)", "a BETWEEN :n", "a IN ()", "a IN :n",
                           "NOT", "a", "a.", "a[x] = :n", "a = AND", "a = :n :m"}) {
    EXPECT_EQ(condition_error(text).rfind("Invalid ConditionExpression: Syntax error; ", 0), 0u) << text;
  }
}

// Semantic errors, in the service's words.
TEST(Parse, SemanticErrors) {
  const std::vector<std::pair<std::string, std::string>> conditions = {
      {"size = :n", "Attribute name is a reserved keyword; reserved keyword: size"},
      {"a = :n AND Status = :n", "Attribute name is a reserved keyword; reserved keyword: Status"},
      {"#x = :n", "An expression attribute name used in the document path is not defined; attribute name: #x"},
      {"a = :x", "An expression attribute value used in expression is not defined; attribute value: :x"},
      {"foo(a)", "Invalid function name; function: foo"},
      {"attribute_exists(a) = :n", "The function is not allowed to be used this way in an expression; function: attribute_exists"},
      {"size(a)", "The function is not allowed to be used this way in an expression; function: size"},
      {"attribute_exists(a, b)", "Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
      {"attribute_exists(:n)", "Operator or function requires a document path; operator or function: attribute_exists"},
      {"a = a", "The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]"},
      {"begins_with(a, :n)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
      {"attribute_type(a, :s)", "Invalid attribute type name found; type: text, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"},
      {"a BETWEEN :m AND :n", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}"},
      {"a BETWEEN :n AND :s", "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:text}"},
      {"((a = :n))", "The expression has redundant parentheses;"},
  };
  for (const auto& [text, message] : conditions) {
    EXPECT_EQ(condition_error(text), "Invalid ConditionExpression: " + message) << text;
  }
  const std::vector<std::pair<std::string, std::string>> updates = {
      {"set a = #a set c = :n", "The \"SET\" section can only be used once in an update expression;"},
      {" set #c = :n set abOrt = true ", "Attribute name is a reserved keyword; reserved keyword: abOrt"},
      {"SET a = if_not_exists(:n, c)", "Operator or function requires a document path; operator or function: if_not_exists"},
      {"SET a = list_append(c)", "Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"},
      {"SET a = foo(c)", "Invalid function name; function: foo"},
      {"SET a = a + :s", "Incorrect operand type for operator or function; operator or function: +, operand type: S"},
      {"SET a = list_append(:n, a)", "Incorrect operand type for operator or function; operator or function: list_append, operand type: N"},
      {"ADD a :s", "Incorrect operand type for operator or function; operator: ADD, operand type: STRING"},
      {"DELETE a :n", "Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER"},
      {"SET c[1].a = :n, #c = :n", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [1], a], path two: [c]"},
      {"set #c[3].#d = :n, #c[3] = :n", "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]"},
      {"remove a.#c set a[1] = :n", "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]"},
  };
  for (const auto& [text, message] : updates) {
    EXPECT_EQ(update_error(text), "Invalid UpdateExpression: " + message) << text;
  }
  auto attrs = standard_attributes();
  EXPECT_EQ(error_of([&] { (void)parse_projection("a, a.b", attrs); }),
            "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or "
            "rewrite one of these paths; path one: [a], path two: [a, b]");
}

// Limits: empty text, 4 KB, 100 IN operands, 300 operators.
TEST(Parse, Limits) {
  EXPECT_EQ(condition_error(""), "Invalid ConditionExpression: The expression can not be empty;");
  EXPECT_EQ(update_error(""), "Invalid UpdateExpression: The expression can not be empty;");
  std::string big = "a = :n";
  while (big.size() <= max_expression_bytes) big += " OR a = :n";
  EXPECT_EQ(condition_error(big, ExpressionKind::filter),
            "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: " +
                std::to_string(big.size()));
  std::string in = "a IN (:n";
  for (int i = 1; i < 101; ++i) in += ", :n";
  EXPECT_EQ(condition_error(in + ")"),
            "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101");
  std::string many = "a = :n";
  for (int i = 0; i < 150; ++i) many += " OR a = :n";
  EXPECT_EQ(condition_error(many),
            "Invalid ConditionExpression: The expression contains too many operators; operator count: 301");
  std::string deep(200, '(');
  EXPECT_EQ(condition_error(deep + "a = :n" + std::string(200, ')')).rfind("Invalid ConditionExpression: Syntax error", 0), 0u);
}

// Every supplied placeholder must be used, across all expressions of the request.
TEST(Parse, UnusedPlaceholders) {
  ExpressionAttributes attrs;
  attrs.add_name("#a", "a");
  attrs.add_name("#b", "b");
  attrs.add_value(":a", AttributeValue("a"));
  attrs.add_value(":b", AttributeValue("b"));
  attrs.add_value(":c", AttributeValue("c"));
  (void)parse_update("remove #a", attrs);
  EXPECT_EQ(error_of([&] { attrs.check_all_used(); }),
            "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}");
  (void)parse_condition("#b = :b", attrs);
  EXPECT_EQ(error_of([&] { attrs.check_all_used(); }),
            "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a, :c}");
  (void)parse_projection("#a", attrs);
  (void)parse_condition("x IN (:a, :c)", attrs, ExpressionKind::filter);
  EXPECT_NO_THROW(attrs.check_all_used());
}

// Placeholder keys must be '#'/':' followed by word characters.
TEST(Parse, PlaceholderKeys) {
  ExpressionAttributes attrs;
  EXPECT_EQ(error_of([&] { attrs.add_name("a", "a"); }),
            "ExpressionAttributeNames contains invalid key: Syntax error; key: \"a\"");
  EXPECT_EQ(error_of([&] { attrs.add_value("b", AttributeValue("a")); }),
            "ExpressionAttributeValues contains invalid key: Syntax error; key: \"b\"");
}

// The reserved-word list is the documented one: 573 words, sorted, case-insensitive lookup.
TEST(Parse, ReservedWords) {
  const auto words = reserved_words();
  EXPECT_EQ(words.size(), 573u);
  EXPECT_TRUE(std::is_sorted(words.begin(), words.end()));
  EXPECT_EQ(words.front(), "ABORT");
  EXPECT_EQ(words.back(), "ZONE");
  for (const char* w : {"size", "Status", "NAME", "data", "ttl", "FLATTERN", "INNTER", "LOGED", "value", "year"}) {
    EXPECT_TRUE(is_reserved_word(w)) << w;
  }
  for (const char* w : {"remove", "forum", "thread", "subject", "", "abortx", "if_not_exists"}) {
    EXPECT_FALSE(is_reserved_word(w)) << w;
  }
}

}  // namespace
