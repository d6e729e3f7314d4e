// The operation registry and the enums' wire spellings.
#include <gtest/gtest.h>

#include <set>

#include "dynamo/api.hpp"

namespace dynamo::api {
namespace {

// Every operation has a distinct name that maps back to it, by name and by X-Amz-Target.
TEST(Operations, NamesRoundTrip) {
  std::set<std::string_view> names;
  for (Operation op : all_operations) {
    const auto name = operation_name(op);
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(operation_from_name(name, protocol_of(op)), op);
    EXPECT_EQ(operation_from_target(target_of(op)), op);
  }
  EXPECT_EQ(names.size(), operation_count);
  EXPECT_GE(operation_count, 22u);
}

// Targets are spelled as the service expects; wrong prefixes and cases are refused.
TEST(Operations, TargetSpelling) {
  EXPECT_EQ(target_of(Operation::transact_write_items), "DynamoDB_20120810.TransactWriteItems");
  EXPECT_EQ(operation_from_target("DynamoDB_20120810.UpdateTimeToLive"), Operation::update_time_to_live);
  EXPECT_FALSE(operation_from_target("DynamoDB_20111205.GetItem"));
  EXPECT_FALSE(operation_from_target("DynamoDB_20120810.getitem"));
  EXPECT_FALSE(operation_from_target("DynamoDB_20120810.CreateBackup"));
  EXPECT_FALSE(operation_from_name(""));
  // The Streams API has its own prefix, and its names are not DynamoDB's.
  EXPECT_EQ(target_of(Operation::get_records), "DynamoDBStreams_20120810.GetRecords");
  EXPECT_EQ(operation_from_target("DynamoDBStreams_20120810.DescribeStream"), Operation::describe_stream);
  EXPECT_FALSE(operation_from_target("DynamoDB_20120810.GetRecords"));
  EXPECT_FALSE(operation_from_target("DynamoDBStreams_20120810.GetItem"));
  EXPECT_FALSE(operation_from_name("ListStreams"));
  EXPECT_EQ(operation_from_name("ListStreams", Protocol::streams), Operation::list_streams);
}

// Reads are flagged read-only; writes are not.
TEST(Operations, ReadOnlyFlag) {
  EXPECT_TRUE(is_read_only(Operation::query));
  EXPECT_TRUE(is_read_only(Operation::transact_get_items));
  EXPECT_FALSE(is_read_only(Operation::put_item));
  EXPECT_FALSE(is_read_only(Operation::transact_write_items));
  EXPECT_TRUE(is_read_only(Operation::list_tags_of_resource));
  EXPECT_FALSE(is_read_only(Operation::tag_resource));
}

// Both protocols have their own prefix; a name is only found under its own protocol.
TEST(Operations, Protocols) {
  EXPECT_EQ(protocol_of(Operation::get_item), Protocol::dynamodb);
  EXPECT_EQ(target_prefix_of(Protocol::streams), "DynamoDBStreams_20120810.");
  EXPECT_FALSE(operation_from_target("DynamoDBStreams_20120810.GetItem"));
  EXPECT_FALSE(operation_from_name("GetItem", Protocol::streams));
  EXPECT_EQ(operation_from_target("DynamoDB_20120810.TagResource"), Operation::tag_resource);
}

// The new account-level messages round-trip through the codec with the service's names.
TEST(Operations, TagAndLimitMessages) {
  const TagResourceRequest tag{.resource_arn = "arn:aws:dynamodb:us-east-1:000000000000:table/T",
                               .tags = {{.key = "team", .value = "db"}}};
  EXPECT_EQ(encode(tag), R"({"ResourceArn":"arn:aws:dynamodb:us-east-1:000000000000:table/T","Tags":[{"Key":"team","Value":"db"}]})");
  EXPECT_EQ(decode<TagResourceRequest>(encode(tag)), tag);
  EXPECT_THROW((void)decode<UntagResourceRequest>(R"({"ResourceArn":"x"})"), dynamo::Error);
  const auto limits = decode<DescribeLimitsResponse>(R"({"TableMaxReadCapacityUnits":40000})");
  EXPECT_EQ(limits.table_max_read_capacity_units, 40000);
  const auto endpoints =
      decode<DescribeEndpointsResponse>(R"({"Endpoints":[{"Address":"dynamodb.us-east-1.amazonaws.com","CachePeriodInMinutes":1440}]})");
  ASSERT_EQ(endpoints.endpoints.size(), 1u);
  EXPECT_EQ(endpoints.endpoints[0].cache_period_in_minutes, 1440);
}

// The request type names its operation and response type.
TEST(Operations, RequestTraits) {
  static_assert(OperationOf<BatchGetItemRequest>::operation == Operation::batch_get_item);
  static_assert(std::is_same_v<OperationOf<QueryRequest>::response, QueryResponse>);
  SUCCEED();
}

template <class E>
void expect_spellings(std::initializer_list<std::pair<E, std::string_view>> spellings) {
  for (const auto& [value, text] : spellings) {
    EXPECT_EQ(to_string(value), text);
    EXPECT_EQ(parse_enum<E>(text), value) << text;
  }
}

// Every enumerator has its wire spelling and parses back from it.
TEST(Enums, WireSpellings) {
  expect_spellings<ReturnValue>({{ReturnValue::none, "NONE"},
                                 {ReturnValue::all_old, "ALL_OLD"},
                                 {ReturnValue::updated_old, "UPDATED_OLD"},
                                 {ReturnValue::all_new, "ALL_NEW"},
                                 {ReturnValue::updated_new, "UPDATED_NEW"}});
  expect_spellings<Select>({{Select::all_attributes, "ALL_ATTRIBUTES"},
                            {Select::all_projected_attributes, "ALL_PROJECTED_ATTRIBUTES"},
                            {Select::specific_attributes, "SPECIFIC_ATTRIBUTES"},
                            {Select::count, "COUNT"}});
  expect_spellings<ScalarAttributeType>(
      {{ScalarAttributeType::s, "S"}, {ScalarAttributeType::n, "N"}, {ScalarAttributeType::b, "B"}});
  expect_spellings<KeyType>({{KeyType::hash, "HASH"}, {KeyType::range, "RANGE"}});
  expect_spellings<ProjectionType>(
      {{ProjectionType::all, "ALL"}, {ProjectionType::keys_only, "KEYS_ONLY"}, {ProjectionType::include, "INCLUDE"}});
  expect_spellings<BillingMode>({{BillingMode::provisioned, "PROVISIONED"}, {BillingMode::pay_per_request, "PAY_PER_REQUEST"}});
  expect_spellings<TableStatus>({{TableStatus::creating, "CREATING"},
                                 {TableStatus::inaccessible_encryption_credentials, "INACCESSIBLE_ENCRYPTION_CREDENTIALS"},
                                 {TableStatus::archived, "ARCHIVED"}});
  expect_spellings<IndexStatus>({{IndexStatus::active, "ACTIVE"}, {IndexStatus::deleting, "DELETING"}});
  expect_spellings<StreamViewType>({{StreamViewType::new_and_old_images, "NEW_AND_OLD_IMAGES"},
                                    {StreamViewType::keys_only, "KEYS_ONLY"}});
  expect_spellings<TimeToLiveStatus>({{TimeToLiveStatus::enabling, "ENABLING"}, {TimeToLiveStatus::disabled, "DISABLED"}});
  expect_spellings<ReturnConsumedCapacity>({{ReturnConsumedCapacity::indexes, "INDEXES"},
                                            {ReturnConsumedCapacity::total, "TOTAL"},
                                            {ReturnConsumedCapacity::none, "NONE"}});
  expect_spellings<ReturnItemCollectionMetrics>(
      {{ReturnItemCollectionMetrics::size, "SIZE"}, {ReturnItemCollectionMetrics::none, "NONE"}});
  expect_spellings<ReturnValuesOnConditionCheckFailure>({{ReturnValuesOnConditionCheckFailure::all_old, "ALL_OLD"},
                                                         {ReturnValuesOnConditionCheckFailure::none, "NONE"}});
  expect_spellings<ConditionalOperator>({{ConditionalOperator::and_, "AND"}, {ConditionalOperator::or_, "OR"}});
  expect_spellings<TableClass>({{TableClass::standard_infrequent_access, "STANDARD_INFREQUENT_ACCESS"}});
  expect_spellings<SSEType>({{SSEType::aes256, "AES256"}, {SSEType::kms, "KMS"}});
  expect_spellings<SSEStatus>({{SSEStatus::updating, "UPDATING"}});
}

// Parsing is case-sensitive and exact, as the service's is.
TEST(Enums, ParsingIsExact) {
  EXPECT_FALSE(parse_enum<ReturnValue>("all_old"));
  EXPECT_FALSE(parse_enum<ReturnValue>("ALL_OLD "));
  EXPECT_FALSE(parse_enum<KeyType>(""));
  EXPECT_EQ(enum_value_set(ReturnValue{}), "[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]");
}

}  // namespace
}  // namespace dynamo::api
