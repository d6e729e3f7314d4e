// TransactWrite / TransactGet: model actions as TransactWriteItems / TransactGetItems
// (include/dynamo/model/transaction.hpp).
#include "dynamo/model/transaction.hpp"

#include <atomic>
#include <iostream>
#include <sstream>

#include "model/placeholders.hpp"

namespace dynamo::detail {
namespace {

constexpr std::size_t max_transaction_actions = 100;

std::optional<api::ReturnValuesOnConditionCheckFailure> on_failure(bool all_old, bool has_condition) {
  if (!all_old || !has_condition) return std::nullopt;
  return api::ReturnValuesOnConditionCheckFailure::all_old;
}

// A transaction action holding what every write shares with its single-item request: the
// table, the condition and its placeholders (moved out of `request`).
template <class Action, class Request>
Action write_action(Request& request, bool all_old_on_failure) {
  Action action;
  action.table_name = std::move(request.table_name);
  action.return_values_on_condition_check_failure =
      on_failure(all_old_on_failure, request.condition_expression.has_value());
  action.condition_expression = std::move(request.condition_expression);
  action.expression_attribute_names = std::move(request.expression_attribute_names);
  action.expression_attribute_values = std::move(request.expression_attribute_values);
  return action;
}

}  // namespace

namespace {

void print_uncommitted(std::size_t dropped_actions) {
  std::cerr << "dynamo: a write transaction (TransactWrite or StatementTransaction) with " << dropped_actions
            << " actions was destroyed without commit(); none of them was sent\n";
}

std::atomic<UncommittedTransactionHandler> uncommitted_handler{&print_uncommitted};

}  // namespace

void report_uncommitted_transaction(std::size_t dropped_actions) noexcept {
  try {
    uncommitted_handler.load()(dropped_actions);
  } catch (...) {  // called from a destructor: nothing may escape
  }
}

TransactWriteCore::TransactWriteCore(Connection connection, TransactWriteOptions options)
    : connection_(std::move(connection)), options_(std::move(options)) {}

void TransactWriteCore::check_open_with_room() const {
  if (committed_) throw ModelUsageError("this TransactWrite was already committed: start a new one");
  if (actions_.size() >= max_transaction_actions) {
    throw ModelUsageError("a transaction holds at most 100 actions (DynamoDB's limit)");
  }
}

void TransactWriteCore::add_put(api::PutItemRequest request, std::function<void()> after_commit) {
  check_open_with_room();
  auto put = write_action<api::TransactPut>(request, options_.return_old_items_on_condition_failure);
  put.item = std::move(request.item);
  actions_.push_back({.put = std::move(put)});
  if (after_commit) after_commit_.push_back(std::move(after_commit));
}

void TransactWriteCore::add_delete(api::DeleteItemRequest request) {
  check_open_with_room();
  auto removal = write_action<api::TransactDelete>(request, options_.return_old_items_on_condition_failure);
  removal.key = std::move(request.key);
  actions_.push_back({.delete_ = std::move(removal)});
}

void TransactWriteCore::add_update(api::UpdateItemRequest request, std::function<void()> after_commit) {
  check_open_with_room();
  if (!request.update_expression) throw ModelUsageError("an update in a transaction needs at least one action");
  auto update = write_action<api::TransactUpdate>(request, options_.return_old_items_on_condition_failure);
  update.key = std::move(request.key);
  update.update_expression = std::move(*request.update_expression);
  actions_.push_back({.update = std::move(update)});
  if (after_commit) after_commit_.push_back(std::move(after_commit));
}

void TransactWriteCore::add_condition_check(const std::string& table_name, Item key, const expr::Condition& condition) {
  check_open_with_room();
  if (condition.empty()) throw ModelUsageError("a condition check needs a condition");
  expr::Placeholders placeholders;
  api::TransactConditionCheck check{.key = std::move(key),
                                    .table_name = table_name,
                                    .condition_expression = expr::render(condition, placeholders)};
  set_placeholders(check, placeholders);
  check.return_values_on_condition_check_failure = on_failure(options_.return_old_items_on_condition_failure, true);
  actions_.push_back({.condition_check = std::move(check)});
}

void TransactWriteCore::refuse(const SchemaCore& schema, std::vector<Violation> violations) {
  ValidationError error(schema.subject(), std::move(violations));
  if (!refused_) refused_ = std::make_shared<const ValidationError>(error);
  throw error;
}

void TransactWriteCore::commit() {
  if (committed_) throw ModelUsageError("this TransactWrite was already committed: start a new one");
  commit_attempted_ = true;
  // An action refused by validation refuses the transaction: nothing is sent.
  if (refused_) throw *refused_;
  if (actions_.empty()) {
    committed_ = true;
    return;
  }
  api::TransactWriteItemsRequest request{.transact_items = actions_,
                                         .client_request_token = options_.client_request_token};
  (void)connection_.transact_write_items(request);
  committed_ = true;
  for (const auto& after : after_commit_) after();
}

std::size_t TransactGetCore::add(const std::string& table_name, Item key,
                                 const std::vector<std::string>& attributes_to_get) {
  if (committed_) throw ModelUsageError("this TransactGet was already committed: start a new one");
  if (gets_.size() >= max_transaction_actions) {
    throw ModelUsageError("a transaction holds at most 100 actions (DynamoDB's limit)");
  }
  api::TransactGet get{.key = std::move(key), .table_name = table_name};
  expr::Placeholders placeholders;
  get.projection_expression = projection_of(attributes_to_get, placeholders);
  set_placeholders(get, placeholders);
  gets_.push_back({.get = std::move(get)});
  return gets_.size() - 1;
}

void TransactGetCore::commit() {
  if (committed_) throw ModelUsageError("this TransactGet was already committed: start a new one");
  results_.assign(gets_.size(), std::nullopt);
  if (!gets_.empty()) {
    auto response = connection_.transact_get_items({.transact_items = gets_});
    if (response.responses) {
      for (std::size_t i = 0; i < response.responses->size() && i < results_.size(); ++i) {
        results_[i] = std::move((*response.responses)[i].item);
      }
    }
  }
  committed_ = true;
}

const std::optional<Item>& TransactGetCore::result(std::size_t index) const {
  if (!committed_) throw ModelUsageError("a TransactGet result was read before commit()");
  return results_.at(index);
}

std::string TransactGetCore::describe(std::size_t index) const {
  std::ostringstream out;
  out << gets_.at(index).get.table_name << " item " << gets_.at(index).get.key;
  return out.str();
}

}  // namespace dynamo::detail

namespace dynamo {

UncommittedTransactionHandler set_uncommitted_transaction_handler(UncommittedTransactionHandler handler) noexcept {
  return detail::uncommitted_handler.exchange(handler ? handler : &detail::print_uncommitted);
}

}  // namespace dynamo
