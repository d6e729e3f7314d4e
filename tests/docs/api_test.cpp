// docs/api.md's code, compiled and run. ApiPage.PageShowsOnlyCodeFromHere checks that every
// C++ block of the page appears below, so a snippet cannot change in the page without this
// file changing too.
#include <gtest/gtest.h>

#include <string>

#include "docs/snippets.hpp"

// The page's blocks include this header; with it included here first, their #include lines
// add nothing where they stand inside a function.
#include <dynamo/api.hpp>

namespace {

// "Shapes": a request encoded as the client sends it and decoded as the server reads it.
TEST(ApiPage, ShapesRoundTrip) {
  #include <dynamo/api.hpp>
  using namespace dynamo::api;

  UpdateItemRequest update{
      .table_name = "Thread",
      .key = {{"ForumName", "C++"}, {"Subject", "Modules"}},
      .return_values = ReturnValue::updated_new,
      .update_expression = "SET #v = #v + :one",
      .expression_attribute_names = ExpressionAttributeNames{{"#v", "Views"}},
      .expression_attribute_values = ExpressionAttributeValues{{":one", 1}},
  };
  std::string body = encode(update);          // client: POST with X-Amz-Target target_of(Operation::update_item)
  auto same = decode<UpdateItemRequest>(body); // server: same == update
  EXPECT_EQ(same, update);
  EXPECT_EQ(target_of(Operation::update_item), "DynamoDB_20120810.UpdateItem");
  EXPECT_NE(body.find(R"("ReturnValues":"UPDATED_NEW")"), std::string::npos);
}

// "Legacy parameters": KeyConditions as a ConditionMap.
TEST(ApiPage, LegacyKeyConditions) {
  using namespace dynamo::api;
  QueryRequest q{
      .table_name = "Thread",
      .key_conditions = ConditionMap{
          {"forum", {.attribute_value_list = AttributeValueList{"C++"}, .comparison_operator = ComparisonOperator::eq}},
          {"subject", {.attribute_value_list = AttributeValueList{"a", "m"},
                       .comparison_operator = ComparisonOperator::between}}},
  };
  const std::string body = encode(q);
  EXPECT_NE(body.find(R"("ComparisonOperator":"BETWEEN")"), std::string::npos);
  EXPECT_EQ(decode<QueryRequest>(body), q);
}

// Every ```cpp block of docs/api.md is in this file.
TEST(ApiPage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/api.md", DYNAMO_SOURCE_DIR "/tests/docs/api_test.cpp"), "");
}

}  // namespace
