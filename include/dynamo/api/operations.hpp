// The operations dynamo speaks, and what is known about each: its wire name, its protocol
// (and so its X-Amz-Target), whether it only reads. All of it comes from the one list in
// dynamo/api/operation_list.hpp.
//
// A request names its operation in the X-Amz-Target header, "DynamoDB_20120810.<Name>"
// (or "DynamoDBStreams_20120810.<Name>" for the Streams API). The server routes on it; the
// client labels calls (logs, metrics, retries) with it.
//
//   using dynamo::api::Operation;
//   auto op = dynamo::api::operation_from_target("DynamoDB_20120810.PutItem");  // Operation::put_item
//   std::string target = dynamo::api::target_of(Operation::query);  // "DynamoDB_20120810.Query"
//   for (Operation each : dynamo::api::all_operations) std::cout << operation_name(each);
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "dynamo/api/operation_list.hpp"

namespace dynamo::api {

enum class Operation : std::uint8_t {
#define DYNAMO_OPERATION_ENUMERATOR(method, Name, protocol, access, scope, error) method,
  DYNAMO_OPERATIONS(DYNAMO_OPERATION_ENUMERATOR)
#undef DYNAMO_OPERATION_ENUMERATOR
};

// Every operation, in enumerator order.
inline constexpr std::array all_operations = {
#define DYNAMO_OPERATION_VALUE(method, Name, protocol, access, scope, error) Operation::method,
    DYNAMO_OPERATIONS(DYNAMO_OPERATION_VALUE)
#undef DYNAMO_OPERATION_VALUE
};

inline constexpr std::size_t operation_count = all_operations.size();

// The two JSON 1.0 protocols of DynamoDB: its own API and DynamoDB Streams, which AWS serves
// from a separate endpoint (streams.dynamodb.<region>.amazonaws.com) with its own
// X-Amz-Target prefix, signed for the same service name ("dynamodb").
enum class Protocol : std::uint8_t { dynamodb, streams };

// The X-Amz-Target prefixes of the two protocols' 2012-08-10 API versions.
inline constexpr std::string_view target_prefix = "DynamoDB_20120810.";
inline constexpr std::string_view streams_target_prefix = "DynamoDBStreams_20120810.";

[[nodiscard]] constexpr std::string_view target_prefix_of(Protocol protocol) noexcept {
  return protocol == Protocol::streams ? streams_target_prefix : target_prefix;
}

namespace detail {
struct OperationFacts {
  std::string_view name;
  Protocol protocol;
  bool read_only;
};
inline constexpr bool operation_reads_read = true;
inline constexpr bool operation_reads_write = false;

inline constexpr std::array<OperationFacts, operation_count> operation_facts = {{
#define DYNAMO_OPERATION_FACTS(method, Name, protocol, access, scope, error) \
  {#Name, Protocol::protocol, operation_reads_##access},
    DYNAMO_OPERATIONS(DYNAMO_OPERATION_FACTS)
#undef DYNAMO_OPERATION_FACTS
}};
}  // namespace detail

// "PutItem" and the like, as in the API reference and X-Amz-Target.
[[nodiscard]] constexpr std::string_view operation_name(Operation operation) noexcept {
  const auto index = static_cast<std::size_t>(operation);
  return index < operation_count ? detail::operation_facts[index].name : std::string_view{};
}

// The protocol an operation belongs to.
[[nodiscard]] constexpr Protocol protocol_of(Operation operation) noexcept {
  const auto index = static_cast<std::size_t>(operation);
  return index < operation_count ? detail::operation_facts[index].protocol : Protocol::dynamodb;
}

// True for operations that only read (GetItem, Query, Scan, BatchGetItem, TransactGetItems,
// DescribeTable, ListTables, ...): safe to retry after any failure.
[[nodiscard]] constexpr bool is_read_only(Operation operation) noexcept {
  const auto index = static_cast<std::size_t>(operation);
  return index < operation_count && detail::operation_facts[index].read_only;
}

// The operation called `name` ("PutItem") in `protocol`, or nullopt. Case-sensitive, as the
// service is.
[[nodiscard]] std::optional<Operation> operation_from_name(std::string_view name,
                                                           Protocol protocol = Protocol::dynamodb) noexcept;
// The operation of an X-Amz-Target value ("DynamoDB_20120810.PutItem",
// "DynamoDBStreams_20120810.GetRecords"), or nullopt when the prefix or the name is not one
// dynamo knows, or the name belongs to the other protocol.
[[nodiscard]] std::optional<Operation> operation_from_target(std::string_view target) noexcept;
// "DynamoDB_20120810.PutItem".
[[nodiscard]] std::string target_of(Operation operation);

}  // namespace dynamo::api
