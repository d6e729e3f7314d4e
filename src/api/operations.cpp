#include "dynamo/api/operations.hpp"

namespace dynamo::api {
namespace {

constexpr std::array<std::string_view, operation_count> names = {
    "CreateTable", "DeleteTable", "DescribeTable", "ListTables",  "UpdateTable",  "UpdateTimeToLive",
    "DescribeTimeToLive", "GetItem", "PutItem",     "UpdateItem", "DeleteItem",   "Query",
    "Scan",        "BatchGetItem", "BatchWriteItem", "TransactGetItems", "TransactWriteItems",
};

}  // namespace

std::string_view operation_name(Operation operation) noexcept {
  const auto index = static_cast<std::size_t>(operation);
  return index < names.size() ? names[index] : std::string_view{};
}

std::optional<Operation> operation_from_name(std::string_view name) noexcept {
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return static_cast<Operation>(i);
  }
  return std::nullopt;
}

std::optional<Operation> operation_from_target(std::string_view target) noexcept {
  if (!target.starts_with(target_prefix)) return std::nullopt;
  return operation_from_name(target.substr(target_prefix.size()));
}

std::string target_of(Operation operation) {
  std::string target(target_prefix);
  target.append(operation_name(operation));
  return target;
}

bool is_read_only(Operation operation) noexcept {
  switch (operation) {
    case Operation::describe_table:
    case Operation::list_tables:
    case Operation::describe_time_to_live:
    case Operation::get_item:
    case Operation::query:
    case Operation::scan:
    case Operation::batch_get_item:
    case Operation::transact_get_items: return true;
    default: return false;
  }
}

}  // namespace dynamo::api
