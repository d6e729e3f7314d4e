// The operations of DynamoDB's JSON 1.0 API that dynamo speaks, and their names.
//
// A request names its operation in the X-Amz-Target header, "DynamoDB_20120810.<Name>".
// The server routes on it; the client labels calls (logs, metrics, retries) with it.
//
//   using dynamo::api::Operation;
//   auto op = dynamo::api::operation_from_target("DynamoDB_20120810.PutItem");  // Operation::put_item
//   std::string target = dynamo::api::target_of(Operation::query);  // "DynamoDB_20120810.Query"
//   for (Operation each : dynamo::api::all_operations) std::cout << operation_name(each);
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dynamo::api {

enum class Operation : std::uint8_t {
  create_table,
  delete_table,
  describe_table,
  list_tables,
  update_table,
  update_time_to_live,
  describe_time_to_live,
  get_item,
  put_item,
  update_item,
  delete_item,
  query,
  scan,
  batch_get_item,
  batch_write_item,
  transact_get_items,
  transact_write_items,
};

inline constexpr std::size_t operation_count = 17;

// Every operation, in enumerator order.
inline constexpr std::array<Operation, operation_count> all_operations = {
    Operation::create_table,        Operation::delete_table,         Operation::describe_table,
    Operation::list_tables,         Operation::update_table,         Operation::update_time_to_live,
    Operation::describe_time_to_live, Operation::get_item,           Operation::put_item,
    Operation::update_item,         Operation::delete_item,          Operation::query,
    Operation::scan,                Operation::batch_get_item,       Operation::batch_write_item,
    Operation::transact_get_items,  Operation::transact_write_items,
};

// The X-Amz-Target prefix of DynamoDB's 2012-08-10 API version.
inline constexpr std::string_view target_prefix = "DynamoDB_20120810.";

// "PutItem" and the like, as in the API reference and X-Amz-Target.
[[nodiscard]] std::string_view operation_name(Operation operation) noexcept;
// The operation called `name` ("PutItem"), or nullopt. Case-sensitive, as the service is.
[[nodiscard]] std::optional<Operation> operation_from_name(std::string_view name) noexcept;
// The operation of an X-Amz-Target value ("DynamoDB_20120810.PutItem"), or nullopt when the
// prefix or the name is not one dynamo knows.
[[nodiscard]] std::optional<Operation> operation_from_target(std::string_view target) noexcept;
// "DynamoDB_20120810.PutItem".
[[nodiscard]] std::string target_of(Operation operation);
// True for operations that only read (GetItem, Query, Scan, BatchGetItem, TransactGetItems,
// DescribeTable, ListTables, DescribeTimeToLive): safe to retry after any failure.
[[nodiscard]] bool is_read_only(Operation operation) noexcept;

}  // namespace dynamo::api
