// Wire spellings of the API's enumerations. Each table lists the spellings in enumerator
// order (so to_string is an index) and, separately, the value set as the service prints it
// in a ValidationException: the service's order comes from its model, not from ours.
#include "dynamo/api/enums.hpp"

#include <array>
#include <cstddef>

namespace dynamo::api {
namespace {

template <class E, std::size_t N>
struct EnumSpelling {
  std::array<std::string_view, N> names;
  std::string_view value_set;

  [[nodiscard]] std::string_view name(E value) const noexcept {
    const auto index = static_cast<std::size_t>(value);
    return index < N ? names[index] : std::string_view{};
  }
  [[nodiscard]] bool parse(std::string_view text, E& out) const noexcept {
    for (std::size_t i = 0; i < N; ++i) {
      if (names[i] == text) {
        out = static_cast<E>(i);
        return true;
      }
    }
    return false;
  }
};

template <class E, class... Names>
constexpr EnumSpelling<E, sizeof...(Names)> spell(std::string_view value_set, Names... names) {
  return {{std::string_view(names)...}, value_set};
}

constexpr auto return_value = spell<ReturnValue>("[ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]", "NONE",
                                                 "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW");
constexpr auto return_values_on_ccf =
    spell<ReturnValuesOnConditionCheckFailure>("[ALL_OLD, NONE]", "NONE", "ALL_OLD");
constexpr auto return_consumed_capacity =
    spell<ReturnConsumedCapacity>("[INDEXES, TOTAL, NONE]", "NONE", "TOTAL", "INDEXES");
constexpr auto return_item_collection_metrics =
    spell<ReturnItemCollectionMetrics>("[SIZE, NONE]", "NONE", "SIZE");
constexpr auto select = spell<Select>("[SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]",
                                      "ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT");
constexpr auto conditional_operator = spell<ConditionalOperator>("[AND, OR]", "AND", "OR");
constexpr auto billing_mode =
    spell<BillingMode>("[PROVISIONED, PAY_PER_REQUEST]", "PROVISIONED", "PAY_PER_REQUEST");
constexpr auto projection_type =
    spell<ProjectionType>("[ALL, INCLUDE, KEYS_ONLY]", "ALL", "KEYS_ONLY", "INCLUDE");
constexpr auto key_type = spell<KeyType>("[HASH, RANGE]", "HASH", "RANGE");
constexpr auto scalar_attribute_type = spell<ScalarAttributeType>("[B, N, S]", "S", "N", "B");
constexpr auto table_status = spell<TableStatus>(
    "[CREATING, UPDATING, DELETING, ACTIVE, INACCESSIBLE_ENCRYPTION_CREDENTIALS, ARCHIVING, ARCHIVED]", "CREATING",
    "UPDATING", "DELETING", "ACTIVE", "INACCESSIBLE_ENCRYPTION_CREDENTIALS", "ARCHIVING", "ARCHIVED");
constexpr auto index_status =
    spell<IndexStatus>("[CREATING, UPDATING, DELETING, ACTIVE]", "CREATING", "UPDATING", "DELETING", "ACTIVE");
constexpr auto stream_view_type =
    spell<StreamViewType>("[NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]", "NEW_IMAGE", "OLD_IMAGE",
                          "NEW_AND_OLD_IMAGES", "KEYS_ONLY");
constexpr auto time_to_live_status = spell<TimeToLiveStatus>("[ENABLING, DISABLING, ENABLED, DISABLED]", "ENABLING",
                                                             "DISABLING", "ENABLED", "DISABLED");
constexpr auto table_class =
    spell<TableClass>("[STANDARD, STANDARD_INFREQUENT_ACCESS]", "STANDARD", "STANDARD_INFREQUENT_ACCESS");
constexpr auto sse_type = spell<SSEType>("[AES256, KMS]", "AES256", "KMS");
constexpr auto sse_status = spell<SSEStatus>("[ENABLING, ENABLED, DISABLING, DISABLED, UPDATING]", "ENABLING",
                                             "ENABLED", "DISABLING", "DISABLED", "UPDATING");
constexpr auto stream_status =
    spell<StreamStatus>("[ENABLING, ENABLED, DISABLING, DISABLED]", "ENABLING", "ENABLED", "DISABLING", "DISABLED");
constexpr auto shard_iterator_type =
    spell<ShardIteratorType>("[TRIM_HORIZON, LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER]", "TRIM_HORIZON",
                             "LATEST", "AT_SEQUENCE_NUMBER", "AFTER_SEQUENCE_NUMBER");
constexpr auto operation_type = spell<OperationType>("[INSERT, MODIFY, REMOVE]", "INSERT", "MODIFY", "REMOVE");

}  // namespace

#define DYNAMO_API_DEFINE_ENUM(E, table)                                                            \
  std::string_view to_string(E value) noexcept { return table.name(value); }                        \
  bool from_string(std::string_view text, E& out) noexcept { return table.parse(text, out); }       \
  std::string_view enum_value_set(E) noexcept { return table.value_set; }

DYNAMO_API_DEFINE_ENUM(ReturnValue, return_value)
DYNAMO_API_DEFINE_ENUM(ReturnValuesOnConditionCheckFailure, return_values_on_ccf)
DYNAMO_API_DEFINE_ENUM(ReturnConsumedCapacity, return_consumed_capacity)
DYNAMO_API_DEFINE_ENUM(ReturnItemCollectionMetrics, return_item_collection_metrics)
DYNAMO_API_DEFINE_ENUM(Select, select)
DYNAMO_API_DEFINE_ENUM(ConditionalOperator, conditional_operator)
DYNAMO_API_DEFINE_ENUM(BillingMode, billing_mode)
DYNAMO_API_DEFINE_ENUM(ProjectionType, projection_type)
DYNAMO_API_DEFINE_ENUM(KeyType, key_type)
DYNAMO_API_DEFINE_ENUM(ScalarAttributeType, scalar_attribute_type)
DYNAMO_API_DEFINE_ENUM(TableStatus, table_status)
DYNAMO_API_DEFINE_ENUM(IndexStatus, index_status)
DYNAMO_API_DEFINE_ENUM(StreamViewType, stream_view_type)
DYNAMO_API_DEFINE_ENUM(TimeToLiveStatus, time_to_live_status)
DYNAMO_API_DEFINE_ENUM(TableClass, table_class)
DYNAMO_API_DEFINE_ENUM(SSEType, sse_type)
DYNAMO_API_DEFINE_ENUM(SSEStatus, sse_status)
DYNAMO_API_DEFINE_ENUM(StreamStatus, stream_status)
DYNAMO_API_DEFINE_ENUM(ShardIteratorType, shard_iterator_type)
DYNAMO_API_DEFINE_ENUM(OperationType, operation_type)

#undef DYNAMO_API_DEFINE_ENUM

}  // namespace dynamo::api
