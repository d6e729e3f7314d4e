// The paging behind StatementResults, and the schema check of every typed statement
// (dynamo/model/statement.hpp).
#include <algorithm>
#include <set>
#include <span>
#include <utility>

#include "dynamo/model/errors.hpp"
#include "dynamo/model/statement.hpp"
#include "partiql/statement.hpp"

namespace dynamo::detail {
namespace {

void collect(const expr::Path& path, std::set<std::string>& names) {
  if (!path.empty() && std::holds_alternative<std::string>(path.elements().front())) {
    names.insert(std::get<std::string>(path.elements().front()));
  }
}

void collect(const expr::Operand& operand, std::set<std::string>& names) {
  if (operand.kind() == expr::Operand::Kind::path || operand.kind() == expr::Operand::Kind::size) {
    collect(operand.path(), names);
  }
  for (const auto& arg : operand.args()) collect(arg, names);
}

void collect(const expr::Condition& condition, std::set<std::string>& names) {
  for (const auto& operand : condition.operands()) collect(operand, names);
  for (const auto& child : condition.children()) collect(child, names);
}

void collect(const partiql::Select& select, std::set<std::string>& names) {
  collect(select.where, names);
  for (const auto& path : select.projection.paths()) collect(path, names);
  if (select.order_by) collect(select.order_by->path, names);
}

// The top-level attribute names `statement` reads or writes.
std::set<std::string> names_of(const partiql::Statement& statement) {
  std::set<std::string> names;
  if (const auto* select = std::get_if<partiql::Select>(&statement)) {
    collect(*select, names);
  } else if (const auto* insert = std::get_if<partiql::Insert>(&statement)) {
    for (const auto& [name, value] : insert->item) names.insert(name);
  } else if (const auto* update = std::get_if<partiql::Update>(&statement)) {
    for (const auto& action : update->actions.actions()) {
      collect(action.target, names);
      collect(action.operand, names);
    }
    collect(update->where, names);
  } else if (const auto* removal = std::get_if<partiql::Delete>(&statement)) {
    collect(removal->where, names);
  } else if (const auto* exists = std::get_if<partiql::Exists>(&statement)) {
    collect(exists->select, names);
  }
  return names;
}

}  // namespace

std::string partiql_name(std::string_view name) {
  std::string out = "\"";
  for (const char c : name) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

void check_statement_names(const SchemaCore& schema, std::string_view statement,
                           std::span<const AttributeValue> parameters) {
  if (schema.keeps_unknown_attributes()) return;
  std::set<std::string> names;
  try {
    names = names_of(partiql::parse(statement, parameters));
  } catch (const Error&) {
    return;
  }
  for (const auto& name : names) {
    const auto& fields = schema.fields();
    const bool declared = std::any_of(fields.begin(), fields.end(), [&](const FieldCore& f) { return f.name == name; });
    const bool discriminator = schema.discriminator() && schema.discriminator()->attribute == name;
    if (!declared && !discriminator) {
      throw ModelUsageError("the statement names attribute '" + name + "', which the model of table " +
                            schema.table_name + " does not declare: " + std::string(statement));
    }
  }
}

StatementReader::StatementReader(Connection connection, const SchemaCore& schema, api::ExecuteStatementRequest request)
    : connection_(std::move(connection)), schema_(&schema), request_(std::move(request)) {
  check_statement_names(*schema_, request_.statement,
                        request_.parameters ? std::span<const AttributeValue>(*request_.parameters)
                                            : std::span<const AttributeValue>());
}

const Item* StatementReader::next() {
  while (true) {
    while (position_ < page_.size()) {
      const Item& item = page_[position_++];
      const auto& discriminator = schema_->discriminator();
      if (!discriminator || schema_->accepts_discriminator(item.find(discriminator->attribute))) return &item;
    }
    if (!fetch()) return nullptr;
  }
}

bool StatementReader::fetch() {
  if (exhausted_) return false;
  api::ExecuteStatementResponse response = connection_.execute_statement(request_);
  ++pages_;
  page_ = response.items ? std::move(*response.items) : std::vector<Item>{};
  position_ = 0;
  request_.next_token = std::move(response.next_token);
  if (!request_.next_token) exhausted_ = true;
  return true;
}

}  // namespace dynamo::detail
