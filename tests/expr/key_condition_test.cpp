// Key conditions: the shapes DynamoDB accepts, the sort-key operators' semantics, and the
// service's messages for the shapes it rejects.
#include <gtest/gtest.h>

#include "dynamo/expr.hpp"

namespace {

using namespace dynamo::expr;
using dynamo::AttributeValue;

KeyCondition analyze(std::string_view text) {
  ExpressionAttributes attrs;
  attrs.add_value(":p", AttributeValue("C++"));
  attrs.add_value(":a", AttributeValue("M"));
  attrs.add_value(":b", AttributeValue("P"));
  return analyze_key_condition(parse_condition(text, attrs, ExpressionKind::key_condition), "forum",
                               std::optional<std::string_view>("subject"));
}

std::string error_of(std::string_view text) {
  try {
    (void)analyze(text);
  } catch (const dynamo::Error& e) {
    return std::string(e.message());
  }
  return "(no error)";
}

// Partition equality alone, or with one sort-key condition on either side of the operator.
TEST(KeyCondition, AcceptedShapes) {
  const KeyCondition only = analyze("forum = :p");
  EXPECT_EQ(only.partition_value, AttributeValue("C++"));
  EXPECT_FALSE(only.sort);

  const KeyCondition prefix = analyze("forum = :p AND begins_with(subject, :a)");
  ASSERT_TRUE(prefix.sort);
  EXPECT_EQ(prefix.sort->op, SortKeyCondition::Op::begins_with);
  EXPECT_TRUE(prefix.sort->matches(AttributeValue("Modules")));
  EXPECT_FALSE(prefix.sort->matches(AttributeValue("Lambdas")));

  const KeyCondition flipped = analyze(":a < subject AND :p = forum");
  ASSERT_TRUE(flipped.sort);
  EXPECT_EQ(flipped.sort->op, SortKeyCondition::Op::gt);
  EXPECT_TRUE(flipped.sort->matches(AttributeValue("N")));

  const KeyCondition range = analyze("forum = :p AND subject BETWEEN :a AND :b");
  EXPECT_TRUE(range.sort->matches(AttributeValue("M")));
  EXPECT_TRUE(range.sort->matches(AttributeValue("P")));
  EXPECT_FALSE(range.sort->matches(AttributeValue("Pa")));
  EXPECT_FALSE(range.sort->matches(AttributeValue(5)));  // another type never matches

  // Built key conditions analyse the same way.
  const KeyCondition built = analyze_key_condition(path("forum") == "C++" && path("subject") <= "M", "forum",
                                                   std::optional<std::string_view>("subject"));
  EXPECT_EQ(built.sort->op, SortKeyCondition::Op::le);
}

// Each rejected shape gives the service's message.
TEST(KeyCondition, RejectedShapes) {
  EXPECT_EQ(error_of("forum = :p OR subject = :a"), "Invalid operator used in KeyConditionExpression: OR");
  EXPECT_EQ(error_of("NOT forum = :p"), "Invalid operator used in KeyConditionExpression: NOT");
  EXPECT_EQ(error_of("forum IN (:p, :a)"), "Invalid operator used in KeyConditionExpression: IN");
  EXPECT_EQ(error_of("forum <> :p"), "Invalid operator used in KeyConditionExpression: <>");
  EXPECT_EQ(error_of("forum = :p AND attribute_exists(subject)"),
            "Invalid operator used in KeyConditionExpression: attribute_exists");
  EXPECT_EQ(error_of("forum = :p AND contains(subject, :a)"), "Invalid operator used in KeyConditionExpression: contains");
  EXPECT_EQ(error_of("forum = :p AND forum = :a"), "KeyConditionExpressions must only contain one condition per key");
  EXPECT_EQ(error_of("forum.x = :p"), "KeyConditionExpressions cannot have conditions on nested attributes");
  EXPECT_EQ(error_of("subject = :a"), "Query condition missed key schema element: forum");
  // A condition outside the key schema names the sort key left out (moto's tests, run on AWS).
  EXPECT_EQ(error_of("forum = :p AND thread = :a"), "Query condition missed key schema element: subject");
  EXPECT_EQ(error_of("thread = :a AND subject = :p"), "Query condition missed key schema element: forum");
  EXPECT_EQ(error_of("forum > :p"), "Query key condition not supported");
  EXPECT_EQ(error_of("forum = subject"),
            "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition");
  EXPECT_EQ(error_of(":p = :a"), "Invalid condition in KeyConditionExpression: No key attribute specified");
  EXPECT_EQ(error_of("forum = :p AND size(subject) > :a"), "KeyConditionExpressions cannot contain nested operations");
}

}  // namespace
