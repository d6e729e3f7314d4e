// DynamoDB's limits, in one place: the engine enforces them, the model layer splits its
// batches and transactions by them, and users can read them instead of repeating numbers.
// Each is the service's documented quota ("Service, account, and table quotas in Amazon
// DynamoDB" in the Developer Guide) or API constraint.
//
//   for (std::size_t i = 0; i < keys.size(); i += dynamo::limits::batch_get_keys) { ... }
#pragma once

#include <cstddef>
#include <cstdint>

namespace dynamo::limits {

// Items.
inline constexpr std::size_t item_bytes = 400 * 1024;   // one item, names and values
inline constexpr int nesting_depth = 32;                // levels, the attribute itself being level 1:
                                                        // at most 31 levels of M/L inside an item
inline constexpr std::size_t partition_key_bytes = 2048;
inline constexpr std::size_t sort_key_bytes = 1024;

// Requests.
inline constexpr std::size_t batch_write_items = 25;    // BatchWriteItem, all tables together
inline constexpr std::size_t batch_get_keys = 100;      // BatchGetItem, all tables together
inline constexpr std::size_t batch_get_response_bytes = 16 * 1024 * 1024;
inline constexpr std::size_t transaction_actions = 100; // TransactWriteItems, TransactGetItems
inline constexpr std::size_t transaction_bytes = 4 * 1024 * 1024;
inline constexpr std::size_t page_bytes = 1024 * 1024;  // one Query or Scan page, before filtering
inline constexpr std::size_t list_tables_page = 100;    // ListTables' largest Limit

// Expressions.
inline constexpr std::size_t expression_bytes = 4096;   // any one expression string
inline constexpr std::size_t in_operands = 100;         // the list of an IN
inline constexpr std::size_t expression_operators = 300;

// Tables and names.
inline constexpr std::size_t table_name_min = 3;
inline constexpr std::size_t table_name_max = 255;
// The TableName of the item operations (GetItem ... Scan, batches), which may also be the
// table's ARN: 1 to 1024 characters (API reference, e.g. the Get and Put shapes).
inline constexpr std::size_t table_name_or_arn_max = 1024;

// Tags of a resource (TagResource).
inline constexpr std::size_t tags_per_resource = 50;
inline constexpr std::size_t tag_key_max = 128;         // characters, at least 1
inline constexpr std::size_t tag_value_max = 256;       // characters, may be empty

// Provisioned-capacity quotas of an account per region, as DescribeLimits reports them.
inline constexpr std::int64_t account_max_read_capacity_units = 80'000;
inline constexpr std::int64_t account_max_write_capacity_units = 80'000;
inline constexpr std::int64_t table_max_read_capacity_units = 40'000;
inline constexpr std::int64_t table_max_write_capacity_units = 40'000;

}  // namespace dynamo::limits
