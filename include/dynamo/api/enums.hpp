// The enumerations of DynamoDB's API as C++ enum classes, with their wire spellings.
//
//   using namespace dynamo::api;
//   std::string_view text = to_string(ReturnValue::all_old);          // "ALL_OLD"
//   std::optional<Select> s = parse_enum<Select>("COUNT");            // Select::count
//   std::optional<KeyType> bad = parse_enum<KeyType>("hash");         // nullopt: case matters
//
// Each enum has three overloads: to_string(E) gives the wire spelling; from_string(text, E&)
// parses it (case-sensitive, as the service is); enum_value_set(E{}) gives the bracketed
// list the service prints in a ValidationException ("[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE,
// UPDATED_NEW]"), in the service's own order, which is not the documentation's.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace dynamo::api {

// ReturnValues of PutItem, UpdateItem, DeleteItem (PutItem/DeleteItem accept NONE|ALL_OLD).
enum class ReturnValue : std::uint8_t { none, all_old, updated_old, all_new, updated_new };
// ReturnValuesOnConditionCheckFailure.
enum class ReturnValuesOnConditionCheckFailure : std::uint8_t { none, all_old };
// ReturnConsumedCapacity.
enum class ReturnConsumedCapacity : std::uint8_t { none, total, indexes };
// ReturnItemCollectionMetrics.
enum class ReturnItemCollectionMetrics : std::uint8_t { none, size };
// Select of Query and Scan.
enum class Select : std::uint8_t { all_attributes, all_projected_attributes, specific_attributes, count };
// The legacy ConditionalOperator (AND/OR between Expected, QueryFilter or ScanFilter entries).
enum class ConditionalOperator : std::uint8_t { and_, or_ };
// BillingMode of CreateTable and UpdateTable.
enum class BillingMode : std::uint8_t { provisioned, pay_per_request };
// ProjectionType of a secondary index.
enum class ProjectionType : std::uint8_t { all, keys_only, include };
// KeyType of a KeySchemaElement: HASH (partition key) or RANGE (sort key).
enum class KeyType : std::uint8_t { hash, range };
// AttributeType of an AttributeDefinition: key attributes are S, N or B.
enum class ScalarAttributeType : std::uint8_t { s, n, b };
// TableStatus of a TableDescription.
enum class TableStatus : std::uint8_t {
  creating,
  updating,
  deleting,
  active,
  inaccessible_encryption_credentials,
  archiving,
  archived,
};
// IndexStatus of a GlobalSecondaryIndexDescription.
enum class IndexStatus : std::uint8_t { creating, updating, deleting, active };
// StreamViewType of a StreamSpecification.
enum class StreamViewType : std::uint8_t { new_image, old_image, new_and_old_images, keys_only };
// TimeToLiveStatus of a TimeToLiveDescription.
enum class TimeToLiveStatus : std::uint8_t { enabling, disabling, enabled, disabled };
// TableClass of CreateTable/UpdateTable and TableClassSummary.
enum class TableClass : std::uint8_t { standard, standard_infrequent_access };
// SSEType of SSESpecification/SSEDescription.
enum class SSEType : std::uint8_t { aes256, kms };
// StreamStatus of a DynamoDB Streams StreamDescription.
enum class StreamStatus : std::uint8_t { enabling, enabled, disabling, disabled };
// ShardIteratorType of GetShardIterator: where in the shard reading starts.
enum class ShardIteratorType : std::uint8_t { trim_horizon, latest, at_sequence_number, after_sequence_number };
// The eventName of a stream record: the kind of change.
enum class OperationType : std::uint8_t { insert, modify, remove };
// SSEStatus of SSEDescription.
enum class SSEStatus : std::uint8_t { enabling, enabled, disabling, disabled, updating };

#define DYNAMO_API_ENUM_FUNCTIONS(E)                                         \
  [[nodiscard]] std::string_view to_string(E value) noexcept;                \
  [[nodiscard]] bool from_string(std::string_view text, E& out) noexcept;    \
  [[nodiscard]] std::string_view enum_value_set(E) noexcept;

DYNAMO_API_ENUM_FUNCTIONS(ReturnValue)
DYNAMO_API_ENUM_FUNCTIONS(ReturnValuesOnConditionCheckFailure)
DYNAMO_API_ENUM_FUNCTIONS(ReturnConsumedCapacity)
DYNAMO_API_ENUM_FUNCTIONS(ReturnItemCollectionMetrics)
DYNAMO_API_ENUM_FUNCTIONS(Select)
DYNAMO_API_ENUM_FUNCTIONS(ConditionalOperator)
DYNAMO_API_ENUM_FUNCTIONS(BillingMode)
DYNAMO_API_ENUM_FUNCTIONS(ProjectionType)
DYNAMO_API_ENUM_FUNCTIONS(KeyType)
DYNAMO_API_ENUM_FUNCTIONS(ScalarAttributeType)
DYNAMO_API_ENUM_FUNCTIONS(TableStatus)
DYNAMO_API_ENUM_FUNCTIONS(IndexStatus)
DYNAMO_API_ENUM_FUNCTIONS(StreamViewType)
DYNAMO_API_ENUM_FUNCTIONS(TimeToLiveStatus)
DYNAMO_API_ENUM_FUNCTIONS(TableClass)
DYNAMO_API_ENUM_FUNCTIONS(SSEType)
DYNAMO_API_ENUM_FUNCTIONS(SSEStatus)
DYNAMO_API_ENUM_FUNCTIONS(StreamStatus)
DYNAMO_API_ENUM_FUNCTIONS(ShardIteratorType)
DYNAMO_API_ENUM_FUNCTIONS(OperationType)

#undef DYNAMO_API_ENUM_FUNCTIONS

// The enumerator spelled `text`, or nullopt when no enumerator of E is spelled so.
template <class E>
[[nodiscard]] std::optional<E> parse_enum(std::string_view text) noexcept {
  E value{};
  if (from_string(text, value)) return value;
  return std::nullopt;
}

}  // namespace dynamo::api
