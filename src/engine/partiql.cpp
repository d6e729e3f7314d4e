// ExecuteStatement, BatchExecuteStatement and ExecuteTransaction (AWS's "PartiQL for
// DynamoDB" reference).
//
// A statement is parsed (src/partiql) and translated to the request of an operation the
// engine already serves, which is then run through that operation's own method:
//   SELECT  -> Query when the WHERE pins the partition key with = or IN (one Query per IN
//              value), Scan otherwise; in batches and transactions, GetItem on a full key;
//   INSERT  -> PutItem with attribute_not_exists(partition key) (DuplicateItemException);
//   UPDATE  -> UpdateItem with attribute_exists(partition key) and the rest of the WHERE;
//   DELETE  -> DeleteItem with the rest of the WHERE as its condition;
//   EXISTS  -> a ConditionCheck (transactions only).
// So validation, capacity, limits, locking and persistence stay in the one place each
// operation has them; the translation renders the statement's expr trees into expression
// strings with placeholders, exactly as a client would send them.
#include <map>
#include <utility>

#include "codec/base64.hpp"
#include "dynamo/codec/json.hpp"
#include "dynamo/expr/render.hpp"
#include "engine/state.hpp"
#include "partiql/statement.hpp"

namespace dynamo::engine {

using namespace detail;

namespace {

constexpr std::size_t max_batch_statements = 25;
constexpr std::size_t max_transaction_statements = limits::transaction_actions;

// A statement's placeholders, turned into a request's ExpressionAttributeNames/Values.
class Expressions {
 public:
  std::optional<std::string> render(const expr::Condition& c) {
    if (c.empty()) return std::nullopt;
    return expr::render(c, placeholders_);
  }
  std::string render(const expr::Update& u) { return expr::render(u, placeholders_); }
  std::optional<std::string> render(const expr::Projection& p) {
    if (p.empty()) return std::nullopt;
    return expr::render(p, placeholders_);
  }

  template <class Request>
  void fill(Request& request) const {
    if (!placeholders_.names().empty()) {
      api::ExpressionAttributeNames names;
      for (const auto& [key, name] : placeholders_.names()) names.emplace(key, name);
      request.expression_attribute_names = std::move(names);
    }
    if constexpr (requires { request.expression_attribute_values; }) {
      fill_values(request.expression_attribute_values);
    }
  }

 private:
  void fill_values(std::optional<api::ExpressionAttributeValues>& out) const {
    if (!placeholders_.values().empty()) {
      api::ExpressionAttributeValues values;
      for (const auto& [key, v] : placeholders_.values()) values.insert_or_assign(key, v);
      out = std::move(values);
    }
  }

  expr::Placeholders placeholders_;
};

// The top-level AND terms of a WHERE.
std::vector<expr::Condition> conjuncts(const expr::Condition& where) {
  if (where.empty()) return {};
  if (where.kind() == expr::Condition::Kind::all_of) return where.children();
  return {where};
}

bool is_attribute(const expr::Operand& o, std::string_view name) {
  return o.kind() == expr::Operand::Kind::path && o.path().size() == 1 &&
         std::holds_alternative<std::string>(o.path().elements().front()) &&
         std::get<std::string>(o.path().elements().front()) == name;
}

// The value of a `name = value` (or `value = name`) term, or nullptr.
const AttributeValue* equality_on(const expr::Condition& c, std::string_view name) {
  if (c.kind() != expr::Condition::Kind::compare || c.comparator() != expr::Comparator::eq) return nullptr;
  const auto& ops = c.operands();
  if (is_attribute(ops[0], name) && ops[1].kind() == expr::Operand::Kind::value) return &ops[1].value();
  if (is_attribute(ops[1], name) && ops[0].kind() == expr::Operand::Kind::value) return &ops[0].value();
  return nullptr;
}

// The values of a `name IN [values...]` term, or nullopt.
std::optional<std::vector<AttributeValue>> in_on(const expr::Condition& c, std::string_view name) {
  if (c.kind() != expr::Condition::Kind::in || !is_attribute(c.operands()[0], name)) return std::nullopt;
  std::vector<AttributeValue> values;
  for (std::size_t i = 1; i < c.operands().size(); ++i) {
    if (c.operands()[i].kind() != expr::Operand::Kind::value) return std::nullopt;
    values.push_back(c.operands()[i].value());
  }
  return values;
}

// True for a term a KeyConditionExpression accepts on the sort key `name`.
bool is_sort_key_term(const expr::Condition& c, std::string_view name) {
  const auto values_after_first = [&] {
    for (std::size_t i = 1; i < c.operands().size(); ++i) {
      if (c.operands()[i].kind() != expr::Operand::Kind::value) return false;
    }
    return true;
  };
  switch (c.kind()) {
    case expr::Condition::Kind::compare:
      return c.comparator() != expr::Comparator::ne && is_attribute(c.operands()[0], name) && values_after_first();
    case expr::Condition::Kind::between:
    case expr::Condition::Kind::begins_with:
      return is_attribute(c.operands()[0], name) && values_after_first();
    default:
      return false;
  }
}

KeySchema key_schema_of(const Engine::State& state, const std::string& table_name,
                        const std::optional<std::string>& index_name) {
  check_table_name(table_name);
  auto table = state.table(table_name, table_not_found);
  return with_table_read(*table, [&] {
    if (!index_name) return table->key;
    const Index* index = table->find_index(*index_name);
    if (index == nullptr) {
      throw_validation("The table does not have the specified index: " + *index_name);
    }
    return index->key;
  });
}

[[noreturn]] void missing_key_equality() {
  throw_validation("Where clause does not contain a mandatory equality on all key attributes");
}

// A write's WHERE split into the item's full key and the rest (a condition).
struct KeyedWhere {
  Item key;
  expr::Condition rest;
};

KeyedWhere split_full_key(const KeySchema& schema, const expr::Condition& where) {
  KeyedWhere out;
  std::vector<expr::Condition> rest;
  bool have_partition = false;
  bool have_sort = false;
  for (auto& term : conjuncts(where)) {
    if (!have_partition) {
      if (const AttributeValue* v = equality_on(term, schema.partition.name)) {
        out.key.insert_or_assign(schema.partition.name, *v);
        have_partition = true;
        continue;
      }
    }
    if (schema.sort && !have_sort) {
      if (const AttributeValue* v = equality_on(term, schema.sort->name)) {
        out.key.insert_or_assign(schema.sort->name, *v);
        have_sort = true;
        continue;
      }
    }
    rest.push_back(std::move(term));
  }
  if (!have_partition || (schema.sort && !have_sort)) missing_key_equality();
  out.rest = expr::Condition::all_of(std::move(rest));
  return out;
}

api::ReturnValue return_value_of(partiql::Returning r) {
  switch (r) {
    case partiql::Returning::none: return api::ReturnValue::none;
    case partiql::Returning::all_old: return api::ReturnValue::all_old;
    case partiql::Returning::modified_old: return api::ReturnValue::updated_old;
    case partiql::Returning::all_new: return api::ReturnValue::all_new;
    case partiql::Returning::modified_new: return api::ReturnValue::updated_new;
  }
  return api::ReturnValue::none;
}

std::span<const AttributeValue> parameters_of(const std::optional<std::vector<AttributeValue>>& parameters) {
  if (!parameters) return {};
  return *parameters;
}

// Adds `part` into `total` (both for one table).
void add_capacity(std::optional<api::ConsumedCapacity>& total, const std::optional<api::ConsumedCapacity>& part) {
  if (!part) return;
  if (!total) {
    total = part;
    return;
  }
  const auto add = [](std::optional<double>& into, const std::optional<double>& more) {
    if (more) into = into.value_or(0) + *more;
  };
  add(total->capacity_units, part->capacity_units);
  add(total->read_capacity_units, part->read_capacity_units);
  add(total->write_capacity_units, part->write_capacity_units);
  if (part->table) {
    if (!total->table) total->table = api::Capacity{};
    add(total->table->capacity_units, part->table->capacity_units);
    add(total->table->read_capacity_units, part->table->read_capacity_units);
    add(total->table->write_capacity_units, part->table->write_capacity_units);
  }
  const auto add_indexes = [&](std::optional<std::map<std::string, api::Capacity>>& into,
                               const std::optional<std::map<std::string, api::Capacity>>& more) {
    if (!more) return;
    if (!into) into.emplace();
    for (const auto& [name, capacity] : *more) {
      api::Capacity& c = (*into)[name];
      add(c.capacity_units, capacity.capacity_units);
      add(c.read_capacity_units, capacity.read_capacity_units);
      add(c.write_capacity_units, capacity.write_capacity_units);
    }
  };
  add_indexes(total->global_secondary_indexes, part->global_secondary_indexes);
  add_indexes(total->local_secondary_indexes, part->local_secondary_indexes);
}

// ---- SELECT --------------------------------------------------------------------------------

// Where a paged SELECT resumes: which of its Queries (one per IN value; 0 for a Scan) and
// after which key. NextToken is this, as base64 of DynamoDB JSON.
struct Resume {
  std::size_t query = 0;
  std::optional<Item> after;
};

std::string encode_token(const Resume& resume) {
  Item token;
  token.insert_or_assign("q", AttributeValue(Number(static_cast<std::int64_t>(resume.query))));
  if (resume.after) token.insert_or_assign("k", AttributeValue(*resume.after));
  std::string out;
  dynamo::detail::base64_encode(json::encode(token), out);
  return out;
}

Resume decode_token(const std::string& text, std::size_t queries) {
  const auto invalid = [] { throw_validation("Invalid NextToken: it was not returned by a previous call"); };
  std::string json_text;
  if (dynamo::detail::base64_decode(text, json_text)) invalid();
  Item token;
  try {
    token = json::decode_item(json_text, "NextToken");
  } catch (const Error&) {
    invalid();
  }
  Resume resume;
  const AttributeValue* q = token.find("q");
  if (q == nullptr || !q->is(Type::number)) invalid();
  const auto index = q->as_number().try_to<std::int64_t>();
  if (!index || *index < 0 || static_cast<std::uint64_t>(*index) >= queries) invalid();
  resume.query = static_cast<std::size_t>(*index);
  if (const AttributeValue* k = token.find("k")) {
    if (!k->is(Type::map)) invalid();
    resume.after = k->as_map();
  }
  return resume;
}

// How a SELECT runs: the partition values to Query (none: a Scan), the key condition on
// the sort key, and the filter.
struct SelectPlan {
  KeySchema schema;
  std::vector<AttributeValue> partitions;  // empty: Scan
  expr::Condition sort_term;
  expr::Condition filter;
};

SelectPlan plan_select(const Engine::State& state, const partiql::Select& s) {
  SelectPlan plan{key_schema_of(state, s.table, s.index), {}, {}, {}};
  std::vector<expr::Condition> rest;
  bool pinned = false;
  bool have_sort_term = false;
  for (auto& term : conjuncts(s.where)) {
    if (!pinned) {
      if (const AttributeValue* v = equality_on(term, plan.schema.partition.name)) {
        plan.partitions.push_back(*v);
        pinned = true;
        continue;
      }
      if (auto values = in_on(term, plan.schema.partition.name)) {
        // Each value once, in the order given: one Query per partition.
        for (auto& v : *values) {
          if (std::find(plan.partitions.begin(), plan.partitions.end(), v) == plan.partitions.end()) {
            plan.partitions.push_back(std::move(v));
          }
        }
        pinned = true;
        continue;
      }
    }
    if (plan.schema.sort && !have_sort_term && is_sort_key_term(term, plan.schema.sort->name)) {
      plan.sort_term = std::move(term);
      have_sort_term = true;
      continue;
    }
    rest.push_back(std::move(term));
  }
  if (!pinned && have_sort_term) {  // without a Query the sort key term is just a filter
    rest.push_back(std::move(plan.sort_term));
    plan.sort_term = {};
  }
  plan.filter = expr::Condition::all_of(std::move(rest));
  if (s.order_by) {
    if (!plan.schema.sort || !is_attribute(expr::Operand(s.order_by->path), plan.schema.sort->name)) {
      throw_validation("ORDER BY is supported only on the sort key of the table or index" +
                       (plan.schema.sort ? " (" + plan.schema.sort->name + ")" : std::string()) + ", not " +
                       s.order_by->path.to_string());
    }
    if (plan.partitions.empty()) {
      throw_validation("ORDER BY needs a WHERE clause with an equality (or IN) on the partition key " +
                       plan.schema.partition.name);
    }
  }
  return plan;
}

api::ExecuteStatementResponse run_select(Engine& engine, const Engine::State& state, const partiql::Select& s,
                                         const api::ExecuteStatementRequest& request) {
  const SelectPlan plan = plan_select(state, s);
  api::ExecuteStatementResponse response;
  response.items.emplace();
  std::optional<api::ConsumedCapacity> capacity;

  if (plan.partitions.empty()) {
    api::ScanRequest scan;
    scan.table_name = s.table;
    scan.index_name = s.index;
    scan.limit = request.limit;
    scan.consistent_read = request.consistent_read;
    scan.return_consumed_capacity = request.return_consumed_capacity;
    if (request.next_token) scan.exclusive_start_key = decode_token(*request.next_token, 1).after;
    Expressions e;
    scan.filter_expression = e.render(plan.filter);
    scan.projection_expression = e.render(s.projection);
    e.fill(scan);
    auto page = engine.scan(scan);
    if (page.items) response.items = std::move(*page.items);
    response.consumed_capacity = std::move(page.consumed_capacity);
    if (page.last_evaluated_key) {
      response.next_token = encode_token({0, page.last_evaluated_key});
      response.last_evaluated_key = std::move(page.last_evaluated_key);
    }
    return response;
  }

  Resume resume;
  if (request.next_token) resume = decode_token(*request.next_token, plan.partitions.size());
  std::optional<int> remaining = request.limit;
  for (std::size_t q = resume.query; q < plan.partitions.size(); ++q) {
    if (remaining && *remaining <= 0) {
      response.next_token = encode_token({q, std::nullopt});
      break;
    }
    api::QueryRequest query;
    query.table_name = s.table;
    query.index_name = s.index;
    query.limit = remaining;
    query.consistent_read = request.consistent_read;
    query.return_consumed_capacity = request.return_consumed_capacity;
    if (s.order_by && s.order_by->descending) query.scan_index_forward = false;
    if (q == resume.query) query.exclusive_start_key = resume.after;
    Expressions e;
    query.key_condition_expression =
        e.render(expr::Condition::all_of({expr::compare(expr::path(plan.schema.partition.name), expr::Comparator::eq,
                                                        plan.partitions[q]),
                                          plan.sort_term}));
    query.filter_expression = e.render(plan.filter);
    query.projection_expression = e.render(s.projection);
    e.fill(query);
    auto page = engine.query(query);
    if (page.items) {
      for (auto& item : *page.items) response.items->push_back(std::move(item));
    }
    add_capacity(capacity, page.consumed_capacity);
    if (remaining) *remaining -= page.scanned_count.value_or(0);
    if (page.last_evaluated_key) {
      response.next_token = encode_token({q, page.last_evaluated_key});
      response.last_evaluated_key = std::move(page.last_evaluated_key);
      break;
    }
  }
  response.consumed_capacity = std::move(capacity);
  return response;
}

// ---- writes ---------------------------------------------------------------------------------

// The translated request of one write statement (or a transaction's condition check).
struct WritePlan {
  std::string table;
  std::optional<api::PutItemRequest> put;
  std::optional<api::UpdateItemRequest> update;
  std::optional<api::DeleteItemRequest> delete_;
  std::optional<api::TransactConditionCheck> check;
};

WritePlan plan_write(const Engine::State& state, const partiql::Statement& statement,
                     const std::optional<api::ReturnValuesOnConditionCheckFailure>& on_failure) {
  WritePlan plan;
  plan.table = partiql::table_of(statement);
  const KeySchema schema = key_schema_of(state, plan.table, std::nullopt);
  const expr::Condition item_exists = expr::path(schema.partition.name).exists();

  if (const auto* insert = std::get_if<partiql::Insert>(&statement)) {
    api::PutItemRequest put;
    put.table_name = insert->table;
    put.item = insert->item;
    Expressions e;
    put.condition_expression = e.render(expr::path(schema.partition.name).does_not_exist());
    e.fill(put);
    put.return_values_on_condition_check_failure = on_failure;
    plan.put = std::move(put);
  } else if (const auto* update = std::get_if<partiql::Update>(&statement)) {
    KeyedWhere where = split_full_key(schema, update->where);
    api::UpdateItemRequest u;
    u.table_name = update->table;
    u.key = std::move(where.key);
    Expressions e;
    u.update_expression = e.render(update->actions);
    u.condition_expression = e.render(expr::Condition::all_of({item_exists, std::move(where.rest)}));
    e.fill(u);
    if (update->returning != partiql::Returning::none) u.return_values = return_value_of(update->returning);
    u.return_values_on_condition_check_failure = on_failure;
    plan.update = std::move(u);
  } else if (const auto* del = std::get_if<partiql::Delete>(&statement)) {
    KeyedWhere where = split_full_key(schema, del->where);
    api::DeleteItemRequest d;
    d.table_name = del->table;
    d.key = std::move(where.key);
    Expressions e;
    d.condition_expression = e.render(where.rest);
    e.fill(d);
    if (del->returning != partiql::Returning::none) d.return_values = return_value_of(del->returning);
    d.return_values_on_condition_check_failure = on_failure;
    plan.delete_ = std::move(d);
  } else if (const auto* exists = std::get_if<partiql::Exists>(&statement)) {
    if (exists->select.index) throw_validation("EXISTS must select from a table, not an index");
    if (!exists->select.projection.empty() || exists->select.order_by) {
      throw_validation("EXISTS takes SELECT * FROM a table WHERE the full primary key and a condition");
    }
    KeyedWhere where = split_full_key(schema, exists->select.where);
    api::TransactConditionCheck c;
    c.table_name = exists->select.table;
    c.key = std::move(where.key);
    Expressions e;
    c.condition_expression = e.render(expr::Condition::all_of({item_exists, std::move(where.rest)})).value_or("");
    e.fill(c);
    c.return_values_on_condition_check_failure = on_failure;
    plan.check = std::move(c);
  }
  return plan;
}

api::ExecuteStatementResponse run_write(Engine& engine, const WritePlan& plan,
                                        const std::optional<api::ReturnConsumedCapacity>& capacity_mode) {
  api::ExecuteStatementResponse response;
  response.items.emplace();
  if (plan.put) {
    api::PutItemRequest put = *plan.put;
    put.return_consumed_capacity = capacity_mode;
    try {
      response.consumed_capacity = engine.put_item(put).consumed_capacity;
    } catch (const ConditionalCheckFailed&) {
      throw Error(std::string(error_code::duplicate_item), "Duplicate primary key exists in table");
    }
  } else if (plan.update) {
    api::UpdateItemRequest update = *plan.update;
    update.return_consumed_capacity = capacity_mode;
    auto result = engine.update_item(update);
    if (result.attributes) response.items->push_back(std::move(*result.attributes));
    response.consumed_capacity = std::move(result.consumed_capacity);
  } else if (plan.delete_) {
    api::DeleteItemRequest del = *plan.delete_;
    del.return_consumed_capacity = capacity_mode;
    auto result = engine.delete_item(del);
    if (result.attributes) response.items->push_back(std::move(*result.attributes));
    response.consumed_capacity = std::move(result.consumed_capacity);
  } else {
    throw_validation("EXISTS can be used only in ExecuteTransaction");
  }
  return response;
}

// ---- single-item reads (batches and transactions) ----------------------------------------------

api::GetItemRequest plan_get(const Engine::State& state, const partiql::Select& s, std::string_view where_used) {
  if (s.index) throw_validation("A SELECT in " + std::string(where_used) + " must read a table, not an index");
  if (s.order_by) throw_validation("ORDER BY is not supported in " + std::string(where_used));
  const KeySchema schema = key_schema_of(state, s.table, std::nullopt);
  KeyedWhere where = split_full_key(schema, s.where);
  if (!where.rest.empty()) {
    throw_validation("A SELECT in " + std::string(where_used) +
                     " may only name the full primary key in its WHERE clause");
  }
  api::GetItemRequest get;
  get.table_name = s.table;
  get.key = std::move(where.key);
  Expressions e;
  get.projection_expression = e.render(s.projection);
  e.fill(get);
  return get;
}

// BatchStatementError's code for an error the operations raise.
std::string batch_error_code(std::string_view code) {
  const std::string_view short_code = short_error_code(code);
  return std::string(short_code.empty() ? short_error_code(error_code::internal_server_error) : short_code);
}

void add_table_capacity(std::vector<api::ConsumedCapacity>& totals, std::optional<api::ConsumedCapacity> part) {
  if (!part) return;
  for (auto& total : totals) {
    if (total.table_name == part->table_name) {
      std::optional<api::ConsumedCapacity> merged = total;
      add_capacity(merged, part);
      total = std::move(*merged);
      return;
    }
  }
  totals.push_back(std::move(*part));
}

}  // namespace

api::ExecuteStatementResponse Engine::execute_statement(const api::ExecuteStatementRequest& request) {
  ConstraintErrors errors;
  if (request.statement.empty() || request.statement.size() > 8192) {
    errors.add(request.statement.size() > 8192 ? "..." : "", "statement",
               request.statement.empty() ? "Member must have length greater than or equal to 1"
                                         : "Member must have length less than or equal to 8192");
  }
  if (request.parameters && request.parameters->empty()) {
    errors.add("[]", "parameters", "Member must have length greater than or equal to 1");
  }
  check_limit(request.limit, errors);
  errors.throw_if_any();

  const partiql::Statement statement = partiql::parse(request.statement, parameters_of(request.parameters));
  if (const auto* select = std::get_if<partiql::Select>(&statement)) {
    return run_select(*this, *state_, *select, request);
  }
  if (request.next_token) throw_validation("NextToken is only valid for SELECT statements");
  return run_write(*this, plan_write(*state_, statement, request.return_values_on_condition_check_failure),
                   request.return_consumed_capacity);
}

api::BatchExecuteStatementResponse Engine::batch_execute_statement(const api::BatchExecuteStatementRequest& request) {
  ConstraintErrors errors;
  if (request.statements.empty()) errors.add("[]", "statements", "Member must have length greater than or equal to 1");
  if (request.statements.size() > max_batch_statements) {
    errors.add("[...]", "statements", "Member must have length less than or equal to 25");
  }
  errors.throw_if_any();

  // Parse everything first: a batch is all reads or all writes.
  std::vector<std::optional<partiql::Statement>> statements;
  std::vector<std::optional<Error>> parse_errors;
  bool any_read = false;
  bool any_write = false;
  for (const auto& s : request.statements) {
    try {
      statements.emplace_back(partiql::parse(s.statement, parameters_of(s.parameters)));
      parse_errors.emplace_back();
      (partiql::is_read(*statements.back()) ? any_read : any_write) = true;
    } catch (const Error& e) {
      statements.emplace_back();
      parse_errors.emplace_back(e);
    }
  }
  if (any_read && any_write) {
    throw_validation("BatchExecuteStatement must contain only reads (SELECT) or only writes (INSERT, UPDATE, DELETE)");
  }

  api::BatchExecuteStatementResponse response;
  response.responses.emplace();
  std::vector<api::ConsumedCapacity> capacity;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    api::BatchStatementResponse& out = response.responses->emplace_back();
    if (!statements[i]) {
      out.error = api::BatchStatementError{.code = std::string(short_error_code(error_code::validation)), .message = std::string(parse_errors[i]->message()), .item = {}};
      continue;
    }
    const partiql::Statement& statement = *statements[i];
    out.table_name = partiql::table_of(statement);
    try {
      if (const auto* select = std::get_if<partiql::Select>(&statement)) {
        api::GetItemRequest get = plan_get(*state_, *select, "BatchExecuteStatement");
        get.consistent_read = request.statements[i].consistent_read;
        get.return_consumed_capacity = request.return_consumed_capacity;
        auto result = get_item(get);
        out.item = std::move(result.item);
        add_table_capacity(capacity, std::move(result.consumed_capacity));
      } else {
        const WritePlan plan = plan_write(*state_, statement, request.statements[i].return_values_on_condition_check_failure);
        auto result = run_write(*this, plan, request.return_consumed_capacity);
        add_table_capacity(capacity, std::move(result.consumed_capacity));
      }
    } catch (const ConditionalCheckFailed& e) {
      out.error = api::BatchStatementError{.code = "ConditionalCheckFailed", .message = std::string(e.message()), .item = e.item};
    } catch (const Error& e) {
      out.error = api::BatchStatementError{.code = batch_error_code(e.code()), .message = std::string(e.message()), .item = {}};
    }
  }
  if (!capacity.empty()) response.consumed_capacity = std::move(capacity);
  return response;
}

api::ExecuteTransactionResponse Engine::execute_transaction(const api::ExecuteTransactionRequest& request) {
  ConstraintErrors errors;
  if (request.transact_statements.empty()) {
    errors.add("[]", "transactStatements", "Member must have length greater than or equal to 1");
  }
  if (request.transact_statements.size() > max_transaction_statements) {
    errors.add("[...]", "transactStatements", "Member must have length less than or equal to 100");
  }
  errors.throw_if_any();

  std::vector<partiql::Statement> statements;
  bool any_read = false;
  bool any_write = false;
  for (const auto& s : request.transact_statements) {
    statements.push_back(partiql::parse(s.statement, parameters_of(s.parameters)));
    (partiql::is_read(statements.back()) ? any_read : any_write) = true;
  }
  if (any_read && any_write) {
    throw_validation("ExecuteTransaction must contain only reads (SELECT) or only writes (INSERT, UPDATE, DELETE, "
                     "EXISTS)");
  }

  if (any_read) {
    api::TransactGetItemsRequest tx;
    tx.return_consumed_capacity = request.return_consumed_capacity;
    for (const auto& statement : statements) {
      api::GetItemRequest get = plan_get(*state_, std::get<partiql::Select>(statement), "ExecuteTransaction");
      api::TransactGet g;
      g.key = std::move(get.key);
      g.table_name = std::move(get.table_name);
      g.projection_expression = std::move(get.projection_expression);
      g.expression_attribute_names = std::move(get.expression_attribute_names);
      tx.transact_items.push_back(api::TransactGetItem{std::move(g)});
    }
    auto result = transact_get_items(tx);
    api::ExecuteTransactionResponse response;
    response.responses = std::move(result.responses);
    response.consumed_capacity = std::move(result.consumed_capacity);
    return response;
  }

  api::TransactWriteItemsRequest tx;
  tx.return_consumed_capacity = request.return_consumed_capacity;
  tx.client_request_token = request.client_request_token;
  std::vector<bool> is_insert;
  for (std::size_t i = 0; i < statements.size(); ++i) {
    const auto& statement = statements[i];
    const auto& on_failure = request.transact_statements[i].return_values_on_condition_check_failure;
    if (const auto* u = std::get_if<partiql::Update>(&statement); u && u->returning != partiql::Returning::none) {
      throw_validation("RETURNING is not supported in ExecuteTransaction");
    }
    if (const auto* d = std::get_if<partiql::Delete>(&statement); d && d->returning != partiql::Returning::none) {
      throw_validation("RETURNING is not supported in ExecuteTransaction");
    }
    WritePlan plan = plan_write(*state_, statement, on_failure);
    api::TransactWriteItem item;
    if (plan.put) {
      api::TransactPut p;
      p.item = std::move(plan.put->item);
      p.table_name = std::move(plan.put->table_name);
      p.condition_expression = std::move(plan.put->condition_expression);
      p.expression_attribute_names = std::move(plan.put->expression_attribute_names);
      p.expression_attribute_values = std::move(plan.put->expression_attribute_values);
      p.return_values_on_condition_check_failure = on_failure;
      item.put = std::move(p);
    } else if (plan.update) {
      api::TransactUpdate u;
      u.key = std::move(plan.update->key);
      u.update_expression = plan.update->update_expression.value_or("");
      u.table_name = std::move(plan.update->table_name);
      u.condition_expression = std::move(plan.update->condition_expression);
      u.expression_attribute_names = std::move(plan.update->expression_attribute_names);
      u.expression_attribute_values = std::move(plan.update->expression_attribute_values);
      u.return_values_on_condition_check_failure = on_failure;
      item.update = std::move(u);
    } else if (plan.delete_) {
      api::TransactDelete d;
      d.key = std::move(plan.delete_->key);
      d.table_name = std::move(plan.delete_->table_name);
      d.condition_expression = std::move(plan.delete_->condition_expression);
      d.expression_attribute_names = std::move(plan.delete_->expression_attribute_names);
      d.expression_attribute_values = std::move(plan.delete_->expression_attribute_values);
      d.return_values_on_condition_check_failure = on_failure;
      item.delete_ = std::move(d);
    } else {
      item.condition_check = std::move(plan.check);
    }
    is_insert.push_back(plan.put.has_value());
    tx.transact_items.push_back(std::move(item));
  }
  try {
    auto result = transact_write_items(tx);
    api::ExecuteTransactionResponse response;
    response.consumed_capacity = std::move(result.consumed_capacity);
    return response;
  } catch (const TransactionCanceled& e) {
    // An INSERT's only condition is that its key is free: its failure is a duplicate key.
    std::vector<api::CancellationReason> reasons = e.reasons;
    for (std::size_t i = 0; i < reasons.size() && i < is_insert.size(); ++i) {
      if (is_insert[i] && reasons[i].code == "ConditionalCheckFailed") {
        reasons[i] = api::CancellationReason{
            .code = "DuplicateItem", .message = "Duplicate primary key exists in table", .item = {}};
      }
    }
    throw TransactionCanceled(std::move(reasons));
  }
}

}  // namespace dynamo::engine
