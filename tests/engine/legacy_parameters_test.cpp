// The legacy (non-expression) parameters: Expected with ConditionalOperator on PutItem,
// UpdateItem and DeleteItem; AttributeUpdates; KeyConditions, QueryFilter, ScanFilter; the
// mixing rule; and the service's messages for malformed input.
#include <set>

#include "engine_test_support.hpp"

namespace dynamo::engine::test {
namespace {

using Op = ComparisonOperator;

Condition cond(Op op, AttributeValueList values = {}) {
  Condition c{.comparison_operator = op};
  if (!values.empty()) c.attribute_value_list = std::move(values);
  return c;
}

ExpectedAttributeValue expect(Op op, AttributeValueList values = {}) {
  ExpectedAttributeValue e{.comparison_operator = op};
  if (!values.empty()) e.attribute_value_list = std::move(values);
  return e;
}

constexpr const char* failed = "ConditionalCheckFailedException";
constexpr const char* failed_message = "The conditional request failed";

class EngineLegacy : public ::testing::Test {
 protected:
  void SetUp() override {
    (void)engine.create_table(table_request("Hash"));
    (void)engine.create_table(table_request("Tbl", ScalarAttributeType::n));
    put(engine, "Hash",
        {{"pk", "a"},
         {"n", 5},
         {"s", "hello"},
         {"b", Binary("cat")},
         {"ns", NumberSet{2, 4, 7}},
         {"l", List{AttributeValue(2), AttributeValue("x")}},
         {"m", AttributeMap{{"k", 1}}}});
  }

  // Whether `expected` holds for item "a": checked by a PutItem that rewrites the item as is.
  bool passes(ExpectedMap expected, std::optional<ConditionalOperator> op = std::nullopt) {
    const Item item = *engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item;
    try {
      (void)engine.put_item({.table_name = "Hash", .item = item, .expected = std::move(expected), .conditional_operator = op});
      return true;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), failed) << e.what();
      return false;
    }
  }

  std::set<int> scan_ids(ConditionMap filter, std::optional<ConditionalOperator> op = std::nullopt) {
    const auto page = engine.scan({.table_name = "Tbl", .scan_filter = std::move(filter), .conditional_operator = op});
    std::set<int> ids;
    for (const auto& item : *page.items) ids.insert(item.at("sk").as_number().to<int>());
    return ids;
  }

  void fill_tbl() {
    for (int i = 1; i <= 6; ++i) {
      Item item{{"pk", "p"}, {"sk", i}, {"v", i * 10}, {"name", std::string(i % 2 == 0 ? "even" : "odd") + std::to_string(i)}};
      if (i <= 3) item.insert_or_assign("tags", StringSet{"t" + std::to_string(i), "all"});
      put(engine, "Tbl", std::move(item));
    }
    put(engine, "Tbl", {{"pk", "q"}, {"sk", 100}, {"v", 1000}});
  }

  Engine engine{quiet_options()};
};

// Value / Exists: equality with Value (Exists true or absent), absence with Exists false.
TEST_F(EngineLegacy, ExpectedValueAndExists) {
  EXPECT_TRUE(passes({{"n", {.value = AttributeValue(5)}}}));
  EXPECT_TRUE(passes({{"n", {.value = AttributeValue(5), .exists = true}}}));
  EXPECT_FALSE(passes({{"n", {.value = AttributeValue(6)}}}));
  EXPECT_FALSE(passes({{"n", {.value = AttributeValue("5")}}}));  // another type is not equal
  EXPECT_FALSE(passes({{"missing", {.value = AttributeValue(1)}}}));
  EXPECT_TRUE(passes({{"missing", {.exists = false}}}));
  EXPECT_FALSE(passes({{"n", {.exists = false}}}));
  EXPECT_TRUE(passes({}));  // an empty Expected always holds
}

// Each comparison operator, true and false, with DynamoDB's treatment of missing attributes
// and of values of another type.
TEST_F(EngineLegacy, ExpectedComparisonOperators) {
  EXPECT_TRUE(passes({{"n", expect(Op::eq, {5})}}));
  EXPECT_FALSE(passes({{"n", expect(Op::eq, {"5"})}}));
  EXPECT_TRUE(passes({{"ns", expect(Op::eq, {NumberSet{7, 2, 4}})}}));  // sets compare unordered
  EXPECT_TRUE(passes({{"m", expect(Op::eq, {AttributeMap{{"k", 1}}})}}));
  EXPECT_TRUE(passes({{"n", expect(Op::ne, {6})}}));
  EXPECT_TRUE(passes({{"n", expect(Op::ne, {"5"})}}));
  EXPECT_TRUE(passes({{"missing", expect(Op::ne, {1})}}));  // NE holds for a missing attribute
  EXPECT_FALSE(passes({{"n", expect(Op::ne, {5})}}));
  EXPECT_TRUE(passes({{"n", expect(Op::le, {5})}}));
  EXPECT_FALSE(passes({{"n", expect(Op::le, {4})}}));
  EXPECT_TRUE(passes({{"n", expect(Op::lt, {6})}}));
  EXPECT_FALSE(passes({{"n", expect(Op::lt, {5})}}));
  EXPECT_FALSE(passes({{"n", expect(Op::lt, {"9"})}}));  // another type: false, not an error
  EXPECT_TRUE(passes({{"s", expect(Op::ge, {"hello"})}}));
  EXPECT_FALSE(passes({{"s", expect(Op::ge, {"world"})}}));
  EXPECT_TRUE(passes({{"b", expect(Op::gt, {Binary("car")})}}));
  EXPECT_FALSE(passes({{"missing", expect(Op::gt, {0})}}));
  EXPECT_TRUE(passes({{"n", expect(Op::not_null)}}));
  EXPECT_FALSE(passes({{"missing", expect(Op::not_null)}}));
  EXPECT_TRUE(passes({{"missing", expect(Op::null)}}));
  EXPECT_FALSE(passes({{"n", expect(Op::null)}}));
  EXPECT_TRUE(passes({{"s", expect(Op::contains, {"ell"})}}));
  EXPECT_TRUE(passes({{"ns", expect(Op::contains, {4})}}));
  EXPECT_TRUE(passes({{"l", expect(Op::contains, {"x"})}}));
  EXPECT_TRUE(passes({{"b", expect(Op::contains, {Binary("at")})}}));
  EXPECT_FALSE(passes({{"ns", expect(Op::contains, {5})}}));
  EXPECT_FALSE(passes({{"missing", expect(Op::contains, {1})}}));
  EXPECT_TRUE(passes({{"s", expect(Op::not_contains, {"xyz"})}}));
  EXPECT_TRUE(passes({{"ns", expect(Op::not_contains, {5})}}));
  EXPECT_FALSE(passes({{"ns", expect(Op::not_contains, {4})}}));
  EXPECT_FALSE(passes({{"missing", expect(Op::not_contains, {1})}}));  // false, unlike NE
  EXPECT_TRUE(passes({{"s", expect(Op::begins_with, {"he"})}}));
  EXPECT_TRUE(passes({{"b", expect(Op::begins_with, {Binary("ca")})}}));
  EXPECT_FALSE(passes({{"s", expect(Op::begins_with, {"lo"})}}));
  EXPECT_FALSE(passes({{"n", expect(Op::begins_with, {"5"})}}));
  EXPECT_TRUE(passes({{"n", expect(Op::in, {1, 5, 9})}}));
  EXPECT_FALSE(passes({{"n", expect(Op::in, {1, 9})}}));
  EXPECT_FALSE(passes({{"ns", expect(Op::in, {2})}}));  // IN compares the value, not set members
  EXPECT_TRUE(passes({{"n", expect(Op::between, {5, 6})}}));
  EXPECT_TRUE(passes({{"s", expect(Op::between, {"a", "z"})}}));
  EXPECT_FALSE(passes({{"n", expect(Op::between, {6, 9})}}));
  EXPECT_FALSE(passes({{"missing", expect(Op::between, {0, 9})}}));
  // A single Value may stand for the AttributeValueList.
  EXPECT_TRUE(passes({{"n", {.value = AttributeValue(4), .comparison_operator = Op::gt}}}));
}

// Entries are ANDed by default and with AND; OR needs one to hold.
TEST_F(EngineLegacy, ConditionalOperatorAndOr) {
  const ExpectedMap one_false{{"n", {.value = AttributeValue(5)}}, {"s", {.value = AttributeValue("nope")}}};
  EXPECT_FALSE(passes(one_false));
  EXPECT_FALSE(passes(one_false, ConditionalOperator::and_));
  EXPECT_TRUE(passes(one_false, ConditionalOperator::or_));
  const ExpectedMap none_true{{"n", {.value = AttributeValue(1)}}, {"s", {.exists = false}}};
  EXPECT_FALSE(passes(none_true, ConditionalOperator::or_));
}

// Expected works on UpdateItem and DeleteItem too, and a failed check keeps the item.
TEST_F(EngineLegacy, ExpectedOnUpdateAndDelete) {
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}},
                                          .expected = ExpectedMap{{"n", {.value = AttributeValue(4)}}}}),
                      failed, failed_message);
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash", .key = {{"pk", "a"}},
                                          .attribute_updates = AttributeUpdateMap{{"z", {.value = AttributeValue(1)}}},
                                          .expected = ExpectedMap{{"n", expect(Op::gt, {5})}}}),
                      failed, failed_message);
  (void)engine.update_item({.table_name = "Hash", .key = {{"pk", "a"}},
                            .attribute_updates = AttributeUpdateMap{{"z", {.value = AttributeValue(1)}}},
                            .expected = ExpectedMap{{"n", expect(Op::ge, {5})}}});
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item->at("z"), AttributeValue(1));
  (void)engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}},
                            .expected = ExpectedMap{{"n", {.value = AttributeValue(5)}}}});
  EXPECT_FALSE(engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item);
  // Against an absent item every attribute is missing.
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}},
                                       .expected = ExpectedMap{{"n", expect(Op::not_null)}}}),
                      failed, failed_message);
  (void)engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}}, .expected = ExpectedMap{{"pk", {.exists = false}}}});
}

// AttributeUpdates: PUT (the default) replaces; ADD adds numbers, unions sets, appends to
// lists and creates what is missing; DELETE removes an attribute or set elements, dropping
// a set left empty. ReturnValues sees the updated attributes.
TEST_F(EngineLegacy, AttributeUpdatesActions) {
  const auto updated = engine.update_item(
      {.table_name = "Hash",
       .key = {{"pk", "a"}},
       .attribute_updates = AttributeUpdateMap{{"s", {.value = AttributeValue("bye")}},
                                               {"n", {.value = AttributeValue(-7), .action = AttributeAction::add}},
                                               {"ns", {.value = AttributeValue(NumberSet{1, 2}), .action = AttributeAction::add}},
                                               {"l", {.value = AttributeValue(List{AttributeValue(true)}),
                                                      .action = AttributeAction::add}},
                                               {"count", {.value = AttributeValue(3), .action = AttributeAction::add}},
                                               {"set", {.value = AttributeValue(StringSet{"x"}), .action = AttributeAction::add}},
                                               {"m", {.action = AttributeAction::delete_}},
                                               {"b", {.value = AttributeValue(Binary("z")), .action = AttributeAction::put}}},
       .return_values = ReturnValue::updated_new});
  const Item expected_new{{"s", "bye"},
                          {"n", -2},
                          {"ns", NumberSet{1, 2, 4, 7}},
                          {"l", List{AttributeValue(2), AttributeValue("x"), AttributeValue(true)}},
                          {"count", 3},
                          {"set", StringSet{"x"}},
                          {"b", Binary("z")}};
  EXPECT_EQ(updated.attributes, expected_new);
  Item item = *engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item;
  EXPECT_FALSE(item.find("m"));
  EXPECT_EQ(item.at("n"), AttributeValue(-2));

  const auto old = engine.update_item(
      {.table_name = "Hash",
       .key = {{"pk", "a"}},
       .attribute_updates = AttributeUpdateMap{{"ns", {.value = AttributeValue(NumberSet{1, 7, 99}), .action = AttributeAction::delete_}},
                                               {"set", {.value = AttributeValue(StringSet{"x"}), .action = AttributeAction::delete_}},
                                               {"absent", {.value = AttributeValue(StringSet{"x"}), .action = AttributeAction::delete_}}},
       .return_values = ReturnValue::updated_old});
  EXPECT_EQ(old.attributes, (Item{{"ns", NumberSet{1, 2, 4, 7}}, {"set", StringSet{"x"}}}));
  item = *engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item;
  EXPECT_EQ(item.at("ns"), AttributeValue(NumberSet{2, 4}));
  EXPECT_FALSE(item.find("set"));
  EXPECT_FALSE(item.find("absent"));

  // An absent item starts as its key.
  (void)engine.update_item({.table_name = "Hash", .key = {{"pk", "new"}},
                            .attribute_updates = AttributeUpdateMap{{"c", {.value = AttributeValue(1), .action = AttributeAction::add}}}});
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "new"}}}).item, (Item{{"pk", "new"}, {"c", 1}}));
}

// AttributeUpdates errors, worded as the service words them.
TEST_F(EngineLegacy, AttributeUpdatesErrors) {
  auto update = [&](AttributeUpdateMap updates) {
    return engine.update_item({.table_name = "Hash", .key = {{"pk", "a"}}, .attribute_updates = std::move(updates)});
  };
  EXPECT_DYNAMO_ERROR(update({{"x", {.action = AttributeAction::put}}}), validation,
                      "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value "
                      "is specified");
  EXPECT_DYNAMO_ERROR(update({{"x", {.action = AttributeAction::add}}}), validation,
                      "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value "
                      "is specified");
  EXPECT_DYNAMO_ERROR(update({{"x", {.value = AttributeValue("s"), .action = AttributeAction::add}}}), validation,
                      "One or more parameter values were invalid: ADD action is not supported for the type S");
  EXPECT_DYNAMO_ERROR(update({{"x", {.value = AttributeValue(1), .action = AttributeAction::delete_}}}), validation,
                      "One or more parameter values were invalid: DELETE action with value is not supported for the type N");
  EXPECT_DYNAMO_ERROR(update({{"s", {.value = AttributeValue(1), .action = AttributeAction::add}}}), validation,
                      "Type mismatch for attribute to update");
  EXPECT_DYNAMO_ERROR(update({{"ns", {.value = AttributeValue(StringSet{"2"}), .action = AttributeAction::delete_}}}),
                      validation, "Type mismatch for attribute to update");
  EXPECT_DYNAMO_ERROR(update({{"pk", {.value = AttributeValue("b")}}}), validation,
                      "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of "
                      "the key");
  EXPECT_EQ(engine.get_item({.table_name = "Hash", .key = {{"pk", "a"}}}).item->at("n"), AttributeValue(5));
}

// Malformed Expected entries, each with the service's message, envelope included.
TEST_F(EngineLegacy, ExpectedErrors) {
  auto put_with = [&](ExpectedMap expected) {
    return engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}}, .expected = std::move(expected)});
  };
  const std::string prefix = "1 validation error detected: One or more parameter values were invalid: ";
  EXPECT_DYNAMO_ERROR(put_with({{"a", {.exists = true}}}), validation,
                      prefix + "Value must be provided when Exists is true for Attribute: a");
  EXPECT_DYNAMO_ERROR(put_with({{"a", {}}}), validation, prefix + "Value must be provided when Exists is null for Attribute: a");
  EXPECT_DYNAMO_ERROR(put_with({{"a", {.value = AttributeValue("x"), .exists = false}}}), validation,
                      prefix + "Value cannot be used when Exists is false for Attribute: a");
  EXPECT_DYNAMO_ERROR(put_with({{"a", {.value = AttributeValue("x"), .comparison_operator = Op::eq,
                                       .attribute_value_list = AttributeValueList{"x"}}}}),
                      validation, prefix + "Value and AttributeValueList cannot be used together for Attribute: a");
  EXPECT_DYNAMO_ERROR(put_with({{"a", {.exists = true, .comparison_operator = Op::eq,
                                       .attribute_value_list = AttributeValueList{"x"}}}}),
                      validation, prefix + "Exists and ComparisonOperator cannot be used together for Attribute: a");
  EXPECT_DYNAMO_ERROR(put_with({{"a", {.comparison_operator = Op::eq}}}), validation,
                      prefix + "Value or AttributeValueList must be used with ComparisonOperator: EQ for Attribute: a");
  EXPECT_DYNAMO_ERROR(put_with({{"a", {.attribute_value_list = AttributeValueList{"x"}}}}), validation,
                      prefix + "AttributeValueList can only be used with a ComparisonOperator for Attribute: a");
  EXPECT_DYNAMO_ERROR(put_with({{"a", expect(Op::between, {"x"})}}), validation,
                      prefix + "Invalid number of argument(s) for the BETWEEN ComparisonOperator");
  EXPECT_DYNAMO_ERROR(put_with({{"a", {.value = AttributeValue("x"), .comparison_operator = Op::null}}}), validation,
                      prefix + "Invalid number of argument(s) for the NULL ComparisonOperator");
  EXPECT_DYNAMO_ERROR(put_with({{"a", expect(Op::in, {"x", 1})}}), validation,
                      "One or more parameter values were invalid: AttributeValues inside AttributeValueList must be of "
                      "same type");
  EXPECT_DYNAMO_ERROR(put_with({{"a", expect(Op::contains, {AttributeValue(List{AttributeValue(1)})})}}), validation,
                      "One or more parameter values were invalid: ComparisonOperator CONTAINS is not valid for L "
                      "AttributeValue type");
  EXPECT_DYNAMO_ERROR(put_with({{"a", expect(Op::between, {4, 3})}}), validation,
                      "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
}

// ConditionalOperator needs two or more entries; legacy and expression parameters never mix.
TEST_F(EngineLegacy, ConditionalOperatorAndMixingErrors) {
  EXPECT_DYNAMO_ERROR(engine.put_item({.table_name = "Hash", .item = {{"pk", "a"}},
                                       .conditional_operator = ConditionalOperator::and_}),
                      validation, "ConditionalOperator cannot be used without Filter or Expected");
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}}, .expected = ExpectedMap{},
                                          .conditional_operator = ConditionalOperator::or_}),
                      validation, "ConditionalOperator cannot be used without Filter or Expected");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Tbl", .scan_filter = ConditionMap{{"v", cond(Op::not_null)}},
                                   .conditional_operator = ConditionalOperator::or_}),
                      validation, "ConditionalOperator can only be used when Filter or Expected has two or more elements");
  EXPECT_DYNAMO_ERROR(engine.delete_item({.table_name = "Hash", .key = {{"pk", "a"}},
                                          .expected = ExpectedMap{{"n", {.exists = false}}},
                                          .condition_expression = "attribute_exists(pk)"}),
                      validation,
                      "Can not use both expression and non-expression parameters in the same request: Non-expression "
                      "parameters: {Expected} Expression parameters: {ConditionExpression}");
  EXPECT_DYNAMO_ERROR(engine.update_item({.table_name = "Hash", .key = {{"pk", "a"}},
                                          .attribute_updates = AttributeUpdateMap{{"x", {.value = AttributeValue(1)}}},
                                          .expected = ExpectedMap{{"n", {.exists = false}}},
                                          .conditional_operator = ConditionalOperator::and_,
                                          .update_expression = "SET x = :v",
                                          .condition_expression = "attribute_exists(pk)",
                                          .expression_attribute_values = ExpressionAttributeValues{{":v", 1}}}),
                      validation,
                      "Can not use both expression and non-expression parameters in the same request: Non-expression "
                      "parameters: {AttributeUpdates, Expected, ConditionalOperator} Expression parameters: "
                      "{UpdateExpression, ConditionExpression}");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Tbl", .attributes_to_get = std::vector<std::string>{"v"},
                                   .scan_filter = ConditionMap{{"v", cond(Op::not_null)}},
                                   .projection_expression = "v", .filter_expression = "attribute_exists(v)"}),
                      validation,
                      "Can not use both expression and non-expression parameters in the same request: Non-expression "
                      "parameters: {AttributesToGet, ScanFilter} Expression parameters: {ProjectionExpression, "
                      "FilterExpression}");
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Tbl", .key_conditions = ConditionMap{{"pk", cond(Op::eq, {"p"})}},
                                    .query_filter = ConditionMap{{"v", cond(Op::not_null)}},
                                    .key_condition_expression = "pk = :p",
                                    .expression_attribute_values = ExpressionAttributeValues{{":p", "p"}}}),
                      validation,
                      "Can not use both expression and non-expression parameters in the same request: Non-expression "
                      "parameters: {QueryFilter, KeyConditions} Expression parameters: {KeyConditionExpression}");
}

// ScanFilter: each operator as a filter, AND and OR; Count and ScannedCount.
TEST_F(EngineLegacy, ScanFilter) {
  fill_tbl();
  EXPECT_EQ(scan_ids({{"v", cond(Op::gt, {30})}}), (std::set<int>{4, 5, 6, 100}));
  EXPECT_EQ(scan_ids({{"v", cond(Op::between, {20, 40})}}), (std::set<int>{2, 3, 4}));
  EXPECT_EQ(scan_ids({{"v", cond(Op::in, {10, 60})}}), (std::set<int>{1, 6}));
  EXPECT_EQ(scan_ids({{"name", cond(Op::begins_with, {"even"})}}), (std::set<int>{2, 4, 6}));
  EXPECT_EQ(scan_ids({{"tags", cond(Op::contains, {"t2"})}}), (std::set<int>{2}));
  EXPECT_EQ(scan_ids({{"tags", cond(Op::not_contains, {"t2"})}}), (std::set<int>{1, 3}));  // not the tagless
  EXPECT_EQ(scan_ids({{"tags", cond(Op::null)}}), (std::set<int>{4, 5, 6, 100}));
  EXPECT_EQ(scan_ids({{"name", cond(Op::not_null)}}), (std::set<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(scan_ids({{"v", cond(Op::ne, {10})}, {"tags", cond(Op::not_null)}}), (std::set<int>{2, 3}));
  EXPECT_EQ(scan_ids({{"v", cond(Op::le, {10})}, {"name", cond(Op::eq, {"even6"})}}, ConditionalOperator::or_),
            (std::set<int>{1, 6}));
  const auto page = engine.scan({.table_name = "Tbl", .scan_filter = ConditionMap{{"v", cond(Op::lt, {30})}}});
  EXPECT_EQ(page.count, 2);
  EXPECT_EQ(page.scanned_count, 7);
}

// Malformed filter conditions: argument counts, mixed types, types an operator refuses,
// BETWEEN's bounds.
TEST_F(EngineLegacy, FilterErrors) {
  auto scan_with = [&](Condition c) { return engine.scan({.table_name = "Tbl", .scan_filter = ConditionMap{{"v", std::move(c)}}}); };
  const std::string invalid = "One or more parameter values were invalid: ";
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::eq)), validation, invalid + "Invalid number of argument(s) for the EQ ComparisonOperator");
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::not_null, {1})), validation,
                      invalid + "Invalid number of argument(s) for the NOT_NULL ComparisonOperator");
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::between, {1, 2, 3})), validation,
                      invalid + "Invalid number of argument(s) for the BETWEEN ComparisonOperator");
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::in)), validation, invalid + "Invalid number of argument(s) for the IN ComparisonOperator");
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::between, {1, "z"})), validation,
                      invalid + "AttributeValues inside AttributeValueList must be of same type");
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::lt, {AttributeValue(List{})})), validation,
                      invalid + "ComparisonOperator LT is not valid for L AttributeValue type");
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::in, {true})), validation,
                      invalid + "ComparisonOperator IN is not valid for BOOL AttributeValue type");
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::begins_with, {1})), validation,
                      invalid + "ComparisonOperator BEGINS_WITH is not valid for N AttributeValue type");
  EXPECT_DYNAMO_ERROR(scan_with(cond(Op::between, {"b", "a"})), validation,
                      "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound");
}

// KeyConditions: the partition key with EQ, the sort key with each operator it allows, in
// both directions; QueryFilter filters what the key selects.
TEST_F(EngineLegacy, KeyConditionsAndQueryFilter) {
  fill_tbl();
  auto query_ids = [&](std::optional<Condition> sort, std::optional<ConditionMap> filter = std::nullopt,
                       bool forward = true) {
    ConditionMap keys{{"pk", cond(Op::eq, {"p"})}};
    if (sort) keys.emplace("sk", *sort);
    const auto page = engine.query({.table_name = "Tbl", .key_conditions = keys, .query_filter = std::move(filter),
                                    .scan_index_forward = forward});
    std::vector<int> ids;
    for (const auto& item : *page.items) ids.push_back(item.at("sk").as_number().to<int>());
    return ids;
  };
  EXPECT_EQ(query_ids(std::nullopt), (std::vector<int>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(query_ids(std::nullopt, std::nullopt, false), (std::vector<int>{6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(query_ids(cond(Op::eq, {3})), (std::vector<int>{3}));
  EXPECT_EQ(query_ids(cond(Op::lt, {3})), (std::vector<int>{1, 2}));
  EXPECT_EQ(query_ids(cond(Op::le, {3})), (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(query_ids(cond(Op::gt, {4})), (std::vector<int>{5, 6}));
  EXPECT_EQ(query_ids(cond(Op::ge, {4})), (std::vector<int>{4, 5, 6}));
  EXPECT_EQ(query_ids(cond(Op::between, {2, 4})), (std::vector<int>{2, 3, 4}));
  EXPECT_EQ(query_ids(cond(Op::between, {2, 4}), ConditionMap{{"name", cond(Op::begins_with, {"odd"})}}),
            (std::vector<int>{3}));
  // KeyConditions with a FilterExpression is allowed (only KeyConditionExpression clashes).
  const auto mixed = engine.query({.table_name = "Tbl", .key_conditions = ConditionMap{{"pk", cond(Op::eq, {"p"})}},
                                   .filter_expression = "v > :v",
                                   .expression_attribute_values = ExpressionAttributeValues{{":v", 50}}});
  EXPECT_EQ(mixed.count, 1);
}

// BEGINS_WITH on a string sort key.
TEST_F(EngineLegacy, KeyConditionsBeginsWith) {
  (void)engine.create_table(table_request("Str", ScalarAttributeType::s));
  for (const char* sk : {"apple", "apricot", "banana", "ap"}) put(engine, "Str", {{"pk", "p"}, {"sk", sk}});
  const auto page = engine.query({.table_name = "Str",
                                  .key_conditions = ConditionMap{{"pk", cond(Op::eq, {"p"})},
                                                                 {"sk", cond(Op::begins_with, {"ap"})}}});
  ASSERT_EQ(page.count, 3);
  EXPECT_EQ(page.items->at(0).at("sk"), AttributeValue("ap"));
  EXPECT_EQ(page.items->at(2).at("sk"), AttributeValue("apricot"));
}

// KeyConditions read an index by its own key schema; QueryFilter ORs its entries;
// AttributesToGet projects; ExpressionAttributeValues need an expression to belong to.
TEST_F(EngineLegacy, KeyConditionsOnIndexAndFilterOr) {
  CreateTableRequest request = table_request("Indexed", ScalarAttributeType::n);
  request.attribute_definitions.push_back({"status", ScalarAttributeType::s});
  request.global_secondary_indexes = std::vector<GlobalSecondaryIndex>{
      {.index_name = "by_status",
       .key_schema = {{"status", KeyType::hash}, {"sk", KeyType::range}},
       .projection = {.projection_type = ProjectionType::all}}};
  (void)engine.create_table(request);
  for (int i = 1; i <= 7; ++i) {
    Item item{{"pk", "p"}, {"sk", i}, {"status", i % 2 ? "open" : "closed"}, {"v", i}};
    if (i == 5) item.insert_or_assign("w", true);
    put(engine, "Indexed", std::move(item));
  }
  const auto page = engine.query({.table_name = "Indexed",
                                  .index_name = "by_status",
                                  .attributes_to_get = std::vector<std::string>{"sk"},
                                  .key_conditions = ConditionMap{{"status", cond(Op::eq, {"open"})},
                                                                 {"sk", cond(Op::ge, {2})}},
                                  .query_filter = ConditionMap{{"v", cond(Op::eq, {3})}, {"w", cond(Op::not_null)}},
                                  .conditional_operator = ConditionalOperator::or_});
  ASSERT_TRUE(page.items);
  EXPECT_EQ(*page.items, (std::vector<Item>{{{"sk", 3}}, {{"sk", 5}}}));
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Indexed", .index_name = "by_status",
                                    .key_conditions = ConditionMap{{"pk", cond(Op::eq, {"p"})}}}),
                      validation, "Query condition missed key schema element: status");
  EXPECT_DYNAMO_ERROR(engine.scan({.table_name = "Indexed", .scan_filter = ConditionMap{{"v", cond(Op::eq, {1})}},
                                   .expression_attribute_values = ExpressionAttributeValues{{":v", 1}}}),
                      validation,
                      "ExpressionAttributeValues can only be specified when using expressions: FilterExpression is null");
  const auto sets = engine.update_item(
      {.table_name = "Indexed", .key = {{"pk", "p"}, {"sk", 1}},
       .attribute_updates = AttributeUpdateMap{{"bs", {.value = AttributeValue(BinarySet{Binary("a"), Binary("b")}),
                                                       .action = AttributeAction::add}}},
       .return_values = ReturnValue::updated_new});
  EXPECT_EQ(sets.attributes, (Item{{"bs", BinarySet{Binary("a"), Binary("b")}}}));
}

// KeyConditions errors, each with the service's message.
TEST_F(EngineLegacy, KeyConditionsErrors) {
  auto query_with = [&](ConditionMap keys, std::optional<ConditionMap> filter = std::nullopt) {
    return engine.query({.table_name = "Tbl", .key_conditions = std::move(keys), .query_filter = std::move(filter)});
  };
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Tbl"}), validation,
                      "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  EXPECT_DYNAMO_ERROR(query_with({}), validation, "Conditions can be of length 1 or 2 only");
  EXPECT_DYNAMO_ERROR(query_with({{"pk", cond(Op::eq, {"p"})}, {"sk", cond(Op::eq, {1})}, {"v", cond(Op::eq, {1})}}),
                      validation, "Conditions can be of length 1 or 2 only");
  EXPECT_DYNAMO_ERROR(query_with({{"sk", cond(Op::eq, {1})}}), validation,
                      "Query condition missed key schema element: pk");
  EXPECT_DYNAMO_ERROR(query_with({{"pk", cond(Op::eq, {"p"})}, {"v", cond(Op::eq, {1})}}), validation,
                      "Query condition missed key schema element: sk");
  EXPECT_DYNAMO_ERROR(query_with({{"pk", cond(Op::eq, {"p"})}, {"sk", cond(Op::ne, {1})}}), validation,
                      "Attempted conditional constraint is not an indexable operation");
  EXPECT_DYNAMO_ERROR(query_with({{"pk", cond(Op::begins_with, {"p"})}}), validation, "Query key condition not supported");
  EXPECT_DYNAMO_ERROR(query_with({{"pk", cond(Op::eq, {1})}}), validation,
                      "One or more parameter values were invalid: Condition parameter type does not match schema type");
  EXPECT_DYNAMO_ERROR(query_with({{"pk", cond(Op::eq, {"p"})}}, ConditionMap{{"sk", cond(Op::gt, {1})}}), validation,
                      "QueryFilter can only contain non-primary key attributes: Primary key attribute: sk");
  EXPECT_DYNAMO_ERROR(engine.query({.table_name = "Hash",
                                    .key_conditions = ConditionMap{{"pk", cond(Op::eq, {"a"})}, {"n", cond(Op::eq, {5})}}}),
                      validation, "Query key condition not supported");
}

}  // namespace
}  // namespace dynamo::engine::test
