// The paging and schema check behind StatementResults (dynamo/model/statement.hpp).
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

// Throws ModelUsageError when the statement names an attribute the model does not declare.
// A statement that does not parse is left for the service to refuse with its own message.
void check_names(const SchemaCore& schema, const api::ExecuteStatementRequest& request) {
  if (schema.keeps_unknown_attributes()) return;
  std::set<std::string> names;
  try {
    const std::span<const AttributeValue> parameters =
        request.parameters ? std::span<const AttributeValue>(*request.parameters) : std::span<const AttributeValue>();
    const auto statement = partiql::parse(request.statement, parameters);
    const auto* select = std::get_if<partiql::Select>(&statement);
    if (select == nullptr) return;
    collect(select->where, names);
    for (const auto& path : select->projection.paths()) collect(path, names);
    if (select->order_by) collect(select->order_by->path, names);
  } catch (const Error&) {
    return;
  }
  for (const auto& name : names) {
    const auto& fields = schema.fields();
    const bool declared = std::any_of(fields.begin(), fields.end(), [&](const FieldCore& f) { return f.name == name; });
    const bool discriminator = schema.discriminator() && schema.discriminator()->attribute == name;
    if (!declared && !discriminator) {
      throw ModelUsageError("the statement names attribute '" + name + "', which the model of table " +
                            schema.table_name + " does not declare: " + request.statement);
    }
  }
}

}  // namespace

StatementReader::StatementReader(Connection connection, const SchemaCore& schema, api::ExecuteStatementRequest request)
    : connection_(std::move(connection)), schema_(&schema), request_(std::move(request)) {
  check_names(*schema_, request_);
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
