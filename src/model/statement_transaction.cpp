// StatementTransaction / SelectTransaction: model statements as one ExecuteTransaction
// (include/dynamo/model/statement_transaction.hpp).
#include "dynamo/model/statement_transaction.hpp"

#include <span>

#include "dynamo/limits.hpp"
#include "dynamo/model/errors.hpp"

namespace dynamo::detail {
namespace {

std::span<const AttributeValue> parameters_of(const api::ParameterizedStatement& statement) {
  if (!statement.parameters) return {};
  return *statement.parameters;
}

// A name as a key of a PartiQL map literal: 'name', a `'` inside doubled.
std::string partiql_string(std::string_view text) {
  std::string out = "'";
  for (const char c : text) {
    if (c == '\'') out.push_back('\'');
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

void check_room(std::size_t size) {
  if (size >= limits::transaction_actions) {
    throw ModelUsageError("a transaction holds at most " + std::to_string(limits::transaction_actions) +
                          " statements (DynamoDB's limit)");
  }
}

}  // namespace

StatementTransactionCore::StatementTransactionCore(Connection connection, TransactWriteOptions options)
    : connection_(std::move(connection)), options_(std::move(options)) {}

void StatementTransactionCore::check_open_with_room() const {
  if (committed_) throw ModelUsageError("this StatementTransaction was already committed: start a new one");
  check_room(statements_.size());
}

void StatementTransactionCore::push(const SchemaCore& schema, api::ParameterizedStatement statement) {
  check_open_with_room();
  // A statement refused for its names refuses the transaction: sending the others without
  // it would apply a part of what was meant to be all or nothing.
  try {
    check_statement_names(schema, statement.statement, parameters_of(statement));
  } catch (const ModelUsageError&) {
    if (!refused_) refused_ = std::current_exception();
    throw;
  }
  if (options_.return_old_items_on_condition_failure) {
    statement.return_values_on_condition_check_failure = api::ReturnValuesOnConditionCheckFailure::all_old;
  }
  statements_.push_back(std::move(statement));
}

void StatementTransactionCore::add(const SchemaCore& schema, std::string_view prefix, std::string_view clause,
                                   std::string_view suffix, std::optional<std::vector<AttributeValue>> parameters) {
  std::string text;
  text.reserve(prefix.size() + clause.size() + suffix.size());
  text.append(prefix).append(clause).append(suffix);
  push(schema, {.statement = std::move(text), .parameters = std::move(parameters)});
}

void StatementTransactionCore::add_insert(const SchemaCore& schema, Item item, std::function<void()> after_commit) {
  // A new item: its version is 1.
  if (const FieldCore* version = schema.version_field()) item.insert_or_assign(version->name, Number(1));
  std::string text = "INSERT INTO " + partiql_name(schema.table_name) + " VALUE {";
  std::vector<AttributeValue> parameters;
  parameters.reserve(item.size());
  bool first = true;
  for (auto& [name, value] : item) {
    if (!first) text += ", ";
    first = false;
    text += partiql_string(name) + ": ?";
    parameters.push_back(std::move(value));
  }
  text += "}";
  push(schema, {.statement = std::move(text), .parameters = std::move(parameters)});
  if (after_commit) after_commit_.push_back(std::move(after_commit));
}

void StatementTransactionCore::add_delete(const SchemaCore& schema, Item key, KnownVersion version) {
  std::string text = "DELETE FROM " + partiql_name(schema.table_name) + " WHERE ";
  std::vector<AttributeValue> parameters;
  bool first = true;
  for (auto& [name, value] : key) {
    if (!first) text += " AND ";
    first = false;
    text += partiql_name(name) + " = ?";
    parameters.push_back(std::move(value));
  }
  // The optimistic-locking condition of ModelTable::remove: the stored version is the
  // object's, or, for an object never written (0), the item has none.
  if (const FieldCore* field = schema.version_field(); field && version) {
    if (*version == 0) {
      text += " AND " + partiql_name(field->name) + " IS MISSING";
    } else {
      text += " AND " + partiql_name(field->name) + " = ?";
      parameters.emplace_back(Number(*version));
    }
  }
  push(schema, {.statement = std::move(text), .parameters = std::move(parameters)});
}

void StatementTransactionCore::refuse(const SchemaCore& schema, std::vector<Violation> violations) {
  ValidationError error(schema.subject(), std::move(violations));
  if (!refused_) refused_ = std::make_exception_ptr(error);
  throw error;
}

void StatementTransactionCore::commit() {
  if (committed_) throw ModelUsageError("this StatementTransaction was already committed: start a new one");
  commit_attempted_ = true;
  if (refused_) std::rethrow_exception(refused_);
  if (statements_.empty()) {
    committed_ = true;
    return;
  }
  (void)connection_.execute_transaction(
      {.transact_statements = statements_, .client_request_token = options_.client_request_token});
  committed_ = true;
  for (const auto& after : after_commit_) after();
}

std::size_t SelectTransactionCore::add(const SchemaCore& schema, std::string_view clause,
                                       std::optional<std::vector<AttributeValue>> parameters) {
  if (committed_) throw ModelUsageError("this SelectTransaction was already committed: start a new one");
  check_room(statements_.size());
  api::ParameterizedStatement statement{
      .statement = "SELECT * FROM " + partiql_name(schema.table_name) + " " + std::string(clause),
      .parameters = std::move(parameters)};
  check_statement_names(schema, statement.statement, parameters_of(statement));
  statements_.push_back(std::move(statement));
  return statements_.size() - 1;
}

void SelectTransactionCore::commit() {
  if (committed_) throw ModelUsageError("this SelectTransaction was already committed: start a new one");
  results_.assign(statements_.size(), std::nullopt);
  if (!statements_.empty()) {
    auto response = connection_.execute_transaction({.transact_statements = statements_});
    if (response.responses) {
      for (std::size_t i = 0; i < response.responses->size() && i < results_.size(); ++i) {
        results_[i] = std::move((*response.responses)[i].item);
      }
    }
  }
  committed_ = true;
}

const std::optional<Item>& SelectTransactionCore::result(std::size_t index) const {
  if (!committed_) throw ModelUsageError("a SelectTransaction result was read before commit()");
  return results_.at(index);
}

std::string SelectTransactionCore::describe(std::size_t index) const {
  return "the item of " + statements_.at(index).statement;
}

}  // namespace dynamo::detail
