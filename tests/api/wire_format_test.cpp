// The JSON text itself: pinned encodings of representative requests and responses (as the
// service and botocore write them), and decoding of bodies shaped like the examples of
// DynamoDB's API reference.
#include <gtest/gtest.h>

#include "dynamo/api.hpp"

namespace dynamo::api {
namespace {

// A PutItem body is exactly what botocore sends for put_item(TableName=..., Item=...).
TEST(ApiWireFormat, PutItemMinimalBodyIsPinned) {
  const PutItemRequest put{.table_name = "Thread", .item = {{"ForumName", "Amazon DynamoDB"}, {"Views", 0}}};
  EXPECT_EQ(encode(put), R"({"TableName":"Thread","Item":{"ForumName":{"S":"Amazon DynamoDB"},"Views":{"N":"0"}}})");
}

// A conditional PutItem writes its members in one fixed order, enums in wire spelling.
TEST(ApiWireFormat, ConditionalPutItemBodyIsPinned) {
  const PutItemRequest put{
      .table_name = "Thread",
      .item = {{"ForumName", "C++"}},
      .return_values = ReturnValue::all_old,
      .return_consumed_capacity = ReturnConsumedCapacity::total,
      .condition_expression = "attribute_not_exists(#f)",
      .expression_attribute_names = ExpressionAttributeNames{{"#f", "ForumName"}},
      .return_values_on_condition_check_failure = ReturnValuesOnConditionCheckFailure::all_old,
  };
  EXPECT_EQ(encode(put),
            R"({"TableName":"Thread","Item":{"ForumName":{"S":"C++"}},"ReturnValues":"ALL_OLD",)"
            R"j("ReturnConsumedCapacity":"TOTAL","ConditionExpression":"attribute_not_exists(#f)",)j"
            R"("ExpressionAttributeNames":{"#f":"ForumName"},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"})");
}

// A Query body with paging and a descending scan.
TEST(ApiWireFormat, QueryBodyIsPinned) {
  const QueryRequest query{
      .table_name = "Reply",
      .limit = 2,
      .scan_index_forward = false,
      .exclusive_start_key = Item{{"Id", "a"}, {"ReplyDateTime", "2015"}},
      .key_condition_expression = "Id = :v1",
      .expression_attribute_values = ExpressionAttributeValues{{":v1", "Amazon DynamoDB#DynamoDB Thread 1"}},
  };
  EXPECT_EQ(encode(query),
            R"({"TableName":"Reply","Limit":2,"ScanIndexForward":false,)"
            R"("ExclusiveStartKey":{"Id":{"S":"a"},"ReplyDateTime":{"S":"2015"}},"KeyConditionExpression":"Id = :v1",)"
            R"("ExpressionAttributeValues":{":v1":{"S":"Amazon DynamoDB#DynamoDB Thread 1"}}})");
}

// CreateTable writes key schema and attribute definitions as lists of small objects.
TEST(ApiWireFormat, CreateTableBodyIsPinned) {
  const CreateTableRequest create{
      .table_name = "Thread",
      .attribute_definitions = {{"ForumName", ScalarAttributeType::s}},
      .key_schema = {{"ForumName", KeyType::hash}},
      .billing_mode = BillingMode::pay_per_request,
  };
  EXPECT_EQ(encode(create),
            R"({"TableName":"Thread","AttributeDefinitions":[{"AttributeName":"ForumName","AttributeType":"S"}],)"
            R"("KeySchema":[{"AttributeName":"ForumName","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"})");
}

// Capacities are written the way the service writes them: 1.0, not 1.
TEST(ApiWireFormat, CapacityKeepsItsDecimalPoint) {
  const GetItemResponse got{.consumed_capacity = ConsumedCapacity{.table_name = "Thread", .capacity_units = 1.0}};
  EXPECT_EQ(encode(got), R"({"ConsumedCapacity":{"TableName":"Thread","CapacityUnits":1.0}})");
  const GetItemResponse half{.consumed_capacity = ConsumedCapacity{.capacity_units = 0.5}};
  EXPECT_EQ(encode(half), R"({"ConsumedCapacity":{"CapacityUnits":0.5}})");
}

// The TransactWriteItems body nests each action under its kind.
TEST(ApiWireFormat, TransactWriteItemsBodyIsPinned) {
  const TransactWriteItemsRequest tx{
      .transact_items = {{.delete_ = TransactDelete{.key = {{"id", "1"}}, .table_name = "T"}},
                         {.update = TransactUpdate{.key = {{"id", "2"}}, .update_expression = "REMOVE a", .table_name = "T"}}},
      .client_request_token = "abc",
  };
  EXPECT_EQ(encode(tx),
            R"({"TransactItems":[{"Delete":{"Key":{"id":{"S":"1"}},"TableName":"T"}},)"
            R"({"Update":{"Key":{"id":{"S":"2"}},"UpdateExpression":"REMOVE a","TableName":"T"}}],"ClientRequestToken":"abc"})");
}

// A PutItem request as in the API reference's example (pretty-printed, any member order).
TEST(ApiWireFormat, DecodesReferencePutItemRequest) {
  const auto put = decode<PutItemRequest>(R"({
      "TableName": "Thread",
      "Item": {
          "LastPostDateTime": {"S": "201303190422"},
          "Tags": {"SS": ["Update", "Multiple Items", "HelpMe"]},
          "ForumName": {"S": "Amazon DynamoDB"},
          "Subject": {"S": "How do I update multiple items?"},
          "LastPostedBy": {"S": "fred@example.com"}
      },
      "ConditionExpression": "ForumName <> :f and Subject <> :s",
      "ExpressionAttributeValues": {
          ":f": {"S": "Amazon DynamoDB"},
          ":s": {"S": "How do I update multiple items?"}
      }
  })");
  EXPECT_EQ(put.table_name, "Thread");
  EXPECT_EQ(put.item.size(), 5u);
  EXPECT_EQ(put.item.at("Tags").as_string_set().size(), 3u);
  EXPECT_EQ(put.condition_expression, "ForumName <> :f and Subject <> :s");
  ASSERT_TRUE(put.expression_attribute_values);
  EXPECT_EQ(put.expression_attribute_values->at(":s").as_string(), "How do I update multiple items?");
  EXPECT_FALSE(put.return_values);
  EXPECT_FALSE(put.expression_attribute_names);
}

// A Query response with items, counts, a LastEvaluatedKey and capacity, as the service sends it.
TEST(ApiWireFormat, DecodesServiceQueryResponse) {
  const auto page = decode<QueryResponse>(R"({
      "ConsumedCapacity": {"CapacityUnits": 1, "TableName": "Reply"},
      "Count": 2,
      "Items": [
          {"ReplyDateTime": {"S": "2015-02-18T20:27:36.165Z"}, "Id": {"S": "Amazon DynamoDB#DynamoDB Thread 1"}},
          {"ReplyDateTime": {"S": "2015-02-25T20:27:36.165Z"}, "Id": {"S": "Amazon DynamoDB#DynamoDB Thread 1"}}
      ],
      "LastEvaluatedKey": {"ReplyDateTime": {"S": "2015-02-25T20:27:36.165Z"}, "Id": {"S": "Amazon DynamoDB#DynamoDB Thread 1"}},
      "ScannedCount": 2
  })");
  ASSERT_TRUE(page.items);
  EXPECT_EQ(page.items->size(), 2u);
  EXPECT_EQ(page.count, 2);
  EXPECT_EQ(page.scanned_count, 2);
  ASSERT_TRUE(page.last_evaluated_key);
  EXPECT_EQ(page.last_evaluated_key->at("Id").as_string(), "Amazon DynamoDB#DynamoDB Thread 1");
  ASSERT_TRUE(page.consumed_capacity);
  EXPECT_EQ(page.consumed_capacity->capacity_units, 1.0);
}

// A DescribeTable response with exponent timestamps, a GSI being backfilled, and members
// dynamo does not model (Replicas, ArchivalSummary), which are ignored.
TEST(ApiWireFormat, DecodesServiceDescribeTableResponse) {
  const auto described = decode<DescribeTableResponse>(R"({"Table":{
      "AttributeDefinitions":[{"AttributeName":"ForumName","AttributeType":"S"},{"AttributeName":"Views","AttributeType":"N"}],
      "TableName":"Thread",
      "KeySchema":[{"AttributeName":"ForumName","KeyType":"HASH"}],
      "TableStatus":"ACTIVE",
      "CreationDateTime":1.309988345372E9,
      "ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},
      "TableSizeBytes":0,"ItemCount":0,
      "TableArn":"arn:aws:dynamodb:us-west-2:123456789012:table/Thread",
      "TableId":"e1a2b3c4-0000-1111-2222-333344445555",
      "BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":1.7E9},
      "GlobalSecondaryIndexes":[{"IndexName":"ByViews","KeySchema":[{"AttributeName":"Views","KeyType":"HASH"}],
          "Projection":{"ProjectionType":"KEYS_ONLY"},"IndexStatus":"CREATING","Backfilling":true,
          "ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},
          "IndexSizeBytes":0,"ItemCount":0,"IndexArn":"arn:aws:dynamodb:us-west-2:123456789012:table/Thread/index/ByViews"}],
      "TableClassSummary":{"TableClass":"STANDARD"},
      "DeletionProtectionEnabled":false,
      "Replicas":[{"RegionName":"eu-west-1"}],
      "ArchivalSummary":{"ArchivalReason":"x"}
  }})");
  ASSERT_TRUE(described.table);
  const TableDescription& t = *described.table;
  EXPECT_EQ(t.table_status, TableStatus::active);
  EXPECT_EQ(t.creation_date_time, 1309988345.372);
  ASSERT_TRUE(t.billing_mode_summary);
  EXPECT_EQ(t.billing_mode_summary->billing_mode, BillingMode::pay_per_request);
  ASSERT_TRUE(t.global_secondary_indexes);
  const auto& gsi = t.global_secondary_indexes->at(0);
  EXPECT_EQ(gsi.index_status, IndexStatus::creating);
  EXPECT_EQ(gsi.backfilling, true);
  EXPECT_EQ(gsi.projection->projection_type, ProjectionType::keys_only);
  EXPECT_EQ(t.deletion_protection_enabled, false);
}

// A BatchWriteItem request with puts and deletes for two tables, as boto3 sends it.
TEST(ApiWireFormat, DecodesBatchWriteItemRequest) {
  const auto batch = decode<BatchWriteItemRequest>(R"({"RequestItems":{
      "Forum":[{"PutRequest":{"Item":{"Name":{"S":"Amazon DynamoDB"},"Category":{"S":"Amazon Web Services"}}}},
               {"DeleteRequest":{"Key":{"Name":{"S":"Amazon S3"}}}}],
      "Thread":[{"PutRequest":{"Item":{"ForumName":{"S":"Amazon RDS"},"Subject":{"S":"x"}}}}]},
      "ReturnConsumedCapacity":"TOTAL"})");
  ASSERT_EQ(batch.request_items.size(), 2u);
  const auto& forum = batch.request_items.at("Forum");
  ASSERT_EQ(forum.size(), 2u);
  EXPECT_TRUE(forum[0].put_request);
  EXPECT_TRUE(forum[1].delete_request);
  EXPECT_EQ(batch.return_consumed_capacity, ReturnConsumedCapacity::total);
}

// A BatchGetItem response with UnprocessedKeys and a ConsumedCapacity list.
TEST(ApiWireFormat, DecodesBatchGetItemResponse) {
  const auto got = decode<BatchGetItemResponse>(R"({
      "Responses":{"Forum":[{"Name":{"S":"Amazon DynamoDB"},"Threads":{"N":"5"}}]},
      "UnprocessedKeys":{"Forum":{"Keys":[{"Name":{"S":"Amazon S3"}}],"ProjectionExpression":"Threads"}},
      "ConsumedCapacity":[{"TableName":"Forum","CapacityUnits":3}]})");
  ASSERT_TRUE(got.responses);
  EXPECT_EQ(got.responses->at("Forum").at(0).at("Threads").as_number(), Number(5));
  ASSERT_TRUE(got.unprocessed_keys);
  EXPECT_EQ(got.unprocessed_keys->at("Forum").keys.size(), 1u);
  ASSERT_TRUE(got.consumed_capacity);
  EXPECT_EQ(got.consumed_capacity->at(0).capacity_units, 3.0);
}

// Unknown members are ignored and JSON null counts as absent, as the service does.
TEST(ApiWireFormat, IgnoresUnknownMembersAndNulls) {
  const auto get = decode<GetItemRequest>(
      R"({"TableName":"T","Key":{"id":{"S":"1"}},"NoSuchParameter":{"x":[1,2]},"ConsistentRead":null})");
  EXPECT_EQ(get.table_name, "T");
  EXPECT_FALSE(get.consistent_read);
}

// A fractional number for an integer member is truncated, as the service does.
TEST(ApiWireFormat, TruncatesFractionalIntegers) {
  EXPECT_EQ(decode<ScanRequest>(R"({"TableName":"T","Limit":2.9})").limit, 2);
}

// Legacy parameters are typed: ScanFilter decodes to Conditions and encodes back in the
// service's member order (AttributeValueList before ComparisonOperator).
TEST(ApiWireFormat, LegacyParametersAreTyped) {
  const auto scan = decode<ScanRequest>(
      R"({"TableName":"T","ScanFilter":{ "Views" : {"ComparisonOperator":"GT","AttributeValueList":[{"N":"1"}]}},"ConditionalOperator":"OR"})");
  ASSERT_TRUE(scan.scan_filter);
  ASSERT_EQ(scan.scan_filter->size(), 1u);
  const Condition& views = scan.scan_filter->at("Views");
  EXPECT_EQ(views.comparison_operator, ComparisonOperator::gt);
  EXPECT_EQ(views.attribute_value_list, AttributeValueList{AttributeValue(1)});
  EXPECT_EQ(scan.conditional_operator, ConditionalOperator::or_);
  EXPECT_EQ(encode(scan),
            R"({"TableName":"T","ScanFilter":{"Views":{"AttributeValueList":[{"N":"1"}],"ComparisonOperator":"GT"}},"ConditionalOperator":"OR"})");
  const auto put = decode<PutItemRequest>(
      R"({"TableName":"T","Item":{"k":{"S":"a"}},"Expected":{"k":{"Exists":false},"v":{"Value":{"N":"2"}}}})");
  ASSERT_TRUE(put.expected);
  EXPECT_EQ(put.expected->at("k"), ExpectedAttributeValue{.exists = false});
  EXPECT_EQ(put.expected->at("v"), ExpectedAttributeValue{.value = AttributeValue(2)});
}

// A request's legacy enumerations are checked like the others: the service's message and
// member path, with its value set.
TEST(ApiWireFormat, LegacyEnumerationsAreValidated) {
  try {
    (void)decode<QueryRequest>(R"({"TableName":"T","QueryFilter":{"a":{"ComparisonOperator":"LIKE"}}})");
    ADD_FAILURE() << "decoded an unknown ComparisonOperator";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_STREQ(e.what(),
                 "1 validation error detected: Value 'LIKE' at 'queryFilter.a.member.comparisonOperator' failed to "
                 "satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, "
                 "GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]");
  }
  try {
    (void)decode<ScanRequest>(R"({"TableName":"T","ScanFilter":{"a":{"AttributeValueList":[{"S":"x"}]}}})");
    ADD_FAILURE() << "decoded a Condition without ComparisonOperator";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "1 validation error detected: Value null at 'scanFilter.a.member.comparisonOperator' failed to "
                 "satisfy constraint: Member must not be null");
  }
  try {
    (void)decode<UpdateItemRequest>(R"({"TableName":"T","Key":{},"AttributeUpdates":{"a":{"Action":"SET"}}})");
    ADD_FAILURE() << "decoded an unknown Action";
  } catch (const Error& e) {
    EXPECT_STREQ(e.what(),
                 "1 validation error detected: Value 'SET' at 'attributeUpdates.a.member.action' failed to satisfy "
                 "constraint: Member must satisfy enum value set: [ADD, DELETE, PUT]");
  }
}

// Responses keep working when the service adds an enum value: the unknown value is dropped.
TEST(ApiWireFormat, ResponsesDropUnknownEnumValues) {
  const auto described = decode<DescribeTableResponse>(R"({"Table":{"TableName":"T","TableStatus":"REPLICATING"}})");
  ASSERT_TRUE(described.table);
  EXPECT_EQ(described.table->table_name, "T");
  EXPECT_FALSE(described.table->table_status);
}

}  // namespace
}  // namespace dynamo::api
