// docs/engine.md's code, compiled and run. EnginePage.PageShowsOnlyCodeFromHere checks that
// every C++ block of the page appears below, so a snippet cannot change in the page without
// this file changing too.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>

#include "docs/snippets.hpp"

// The page's block includes this header; with it included here first, its #include line
// adds nothing where it stands inside a function.
#include <dynamo/engine.hpp>

namespace {

TEST(EnginePage, OverviewRuns) {
  #include <dynamo/engine.hpp>
  using namespace dynamo::api;

  dynamo::engine::Engine engine;   // in memory; TTL sweeper every second
  CreateTableResponse created = engine.create_table({
      .table_name = "Thread",
      .attribute_definitions = {{"forum", ScalarAttributeType::s}, {"subject", ScalarAttributeType::s}},
      .key_schema = {{"forum", KeyType::hash}, {"subject", KeyType::range}},
      .billing_mode = BillingMode::pay_per_request});   // created.table_description: ACTIVE at once
  PutItemResponse put = engine.put_item({.table_name = "Thread", .item = {{"forum", "C++"}, {"subject", "Modules"}, {"views", 0}}});
  try {
    UpdateItemResponse updated = engine.update_item({
        .table_name = "Thread", .key = {{"forum", "C++"}, {"subject", "Modules"}},
        .return_values = ReturnValue::updated_new,
        .update_expression = "SET #v = #v + :one", .condition_expression = "#v < :max",
        .expression_attribute_names = ExpressionAttributeNames{{"#v", "views"}},   // VIEWS is a reserved word
        .expression_attribute_values = ExpressionAttributeValues{{":one", 1}, {":max", 100}}});   // updated.attributes: views 1
  } catch (const dynamo::engine::ConditionalCheckFailed& e) { /* e.item with ALL_OLD */ }

  ASSERT_TRUE(created.table_description.has_value());
  EXPECT_EQ(created.table_description->table_status, TableStatus::active);
  EXPECT_FALSE(put.attributes.has_value());
  const dynamo::Item key{{"forum", "C++"}, {"subject", "Modules"}};
  auto got = engine.get_item({.table_name = "Thread", .key = key});
  ASSERT_TRUE(got.item.has_value());
  EXPECT_EQ(got.item->at("views").as_number(), dynamo::Number(1));

  // The same update when the condition fails, asking for the old item.
  (void)engine.put_item({.table_name = "Thread", .item = {{"forum", "C++"}, {"subject", "Modules"}, {"views", 100}}});
  std::optional<dynamo::Item> old_item;
  try {
    (void)engine.update_item({.table_name = "Thread", .key = key,
                        .update_expression = "SET #v = #v + :one", .condition_expression = "#v < :max",
                        .expression_attribute_names = ExpressionAttributeNames{{"#v", "views"}},
                        .expression_attribute_values = ExpressionAttributeValues{{":one", 1}, {":max", 100}},
                        .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old});
  } catch (const dynamo::engine::ConditionalCheckFailed& e) {
    EXPECT_EQ(e.code(), "ConditionalCheckFailedException");
    EXPECT_STREQ(e.what(), "The conditional request failed");
    old_item = e.item;
    EXPECT_TRUE(dynamo::engine::error_body_of(e).item.has_value());
  }
  ASSERT_TRUE(old_item.has_value());
  EXPECT_EQ(old_item->at("views").as_number(), dynamo::Number(100));
}

// Every ```cpp block of docs/engine.md is in this file.
TEST(EnginePage, VisitQueryRuns) {
  using namespace dynamo::api;
  dynamo::engine::Engine engine;
  (void)engine.create_table({.table_name = "Thread",
                             .attribute_definitions = {{"forum", ScalarAttributeType::s}, {"subject", ScalarAttributeType::s}},
                             .key_schema = {{"forum", KeyType::hash}, {"subject", KeyType::range}},
                             .billing_mode = BillingMode::pay_per_request});
  (void)engine.put_item({.table_name = "Thread", .item = {{"forum", "C++"}, {"subject", "Modules"}, {"views", 3}}});
  (void)engine.put_item({.table_name = "Thread", .item = {{"forum", "C++"}, {"subject", "Ranges"}, {"views", 4}}});
  (void)engine.put_item({.table_name = "Thread", .item = {{"forum", "Rust"}, {"subject", "Traits"}, {"views", 50}}});

  // The views of a forum's threads, summed as the page is read: no response holds the items.
  std::int64_t views = 0;
  QueryResponse page = engine.visit_query(
      {.table_name = "Thread", .key_condition_expression = "forum = :f",
       .expression_attribute_values = ExpressionAttributeValues{{":f", "C++"}}},
      [&](const dynamo::Item& item) {
        if (const dynamo::AttributeValue* v = item.find("views")) views += v->as_number().to<std::int64_t>();
      });   // page.count: the items read; page.items: present and empty

  EXPECT_EQ(views, 7);
  EXPECT_EQ(page.count, 2);
  ASSERT_TRUE(page.items.has_value());
  EXPECT_TRUE(page.items->empty());
}

TEST(EnginePage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/engine.md", DYNAMO_SOURCE_DIR "/tests/docs/engine_test.cpp"), "");
}

}  // namespace
