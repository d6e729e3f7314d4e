// TransactGetItems and TransactWriteItems (API references, "Managing complex workflows with
// DynamoDB transactions"): up to 100 actions, no two on one item, all-or-nothing.
//
// Isolation: a transaction locks every table it touches, in table-name order (so that two
// transactions cannot deadlock), exclusively for writes and shared for reads; it then checks
// every condition, computes every new item, and commits them as one batch. Single-item
// operations take the same per-table locks, so no reader ever sees half a transaction and
// transactions are serializable. Because conflicting callers wait instead of failing, the
// engine never raises TransactionConflictException.
#include <set>

#include "dynamo/api/codec.hpp"
#include "dynamo/expr/evaluate.hpp"
#include "dynamo/value/item_size.hpp"
#include "engine/state.hpp"

namespace dynamo::engine {

using namespace detail;

namespace {

constexpr std::size_t max_transaction_actions = limits::transaction_actions;
constexpr std::size_t max_transaction_bytes = limits::transaction_bytes;

void check_action_count(std::size_t count) {
  ConstraintErrors errors;
  if (count == 0) errors.add("[]", "transactItems", "Member must have length greater than or equal to 1");
  if (count > max_transaction_actions) {
    errors.add("[...]", "transactItems", "Member must have length less than or equal to 100");
  }
  errors.throw_if_any();
}

struct ItemRef {
  const Table* table;
  PrimaryKey key;
};
struct ItemRefOrder {
  bool operator()(const ItemRef& a, const ItemRef& b) const noexcept {
    if (a.table != b.table) return std::less<const Table*>{}(a.table, b.table);
    if (int c = compare_keys(a.key.partition, b.key.partition)) return c < 0;
    return compare_keys(a.key.sort, b.key.sort) < 0;
  }
};

// The distinct tables of a request, sorted by name: the locking order.
std::vector<std::shared_ptr<Table>> tables_in_lock_order(const Engine::State& state,
                                                         const std::vector<std::string>& names) {
  std::set<std::string> unique(names.begin(), names.end());
  std::vector<std::shared_ptr<Table>> tables;
  for (const auto& name : unique) tables.push_back(state.table(name, table_not_found));
  return tables;
}

// The table of `name_or_arn` among the locked ones.
std::shared_ptr<Table> find_locked(const Engine::State& state, const std::vector<std::shared_ptr<Table>>& tables,
                                   std::string_view name_or_arn) {
  const std::string_view name = state.table_name_of(name_or_arn, table_not_found);
  for (const auto& table : tables) {
    if (table->name == name) return table;
  }
  throw_not_found(std::string(table_not_found));
}

}  // namespace

api::TransactGetItemsResponse Engine::transact_get_items(const api::TransactGetItemsRequest& request) {
  check_action_count(request.transact_items.size());
  std::vector<std::string> names;
  std::vector<std::optional<expr::Projection>> projections;
  for (const auto& action : request.transact_items) {
    check_table_name_or_arn(action.get.table_name);
    names.emplace_back(state_->table_name_of(action.get.table_name, table_not_found));
    const bool has_projection = action.get.projection_expression.has_value();
    auto attributes = expression_attributes(action.get.expression_attribute_names, std::nullopt, has_projection, false);
    projections.push_back(read_projection(action.get.projection_expression, std::nullopt, attributes));
    attributes.check_all_used();
  }
  auto tables = tables_in_lock_order(*state_, names);
  std::vector<std::shared_lock<std::shared_mutex>> locks;
  for (const auto& table : tables) {
    locks.emplace_back(table->mutex);
    if (table->deleted) throw_not_found(std::string(table_not_found));
  }
  std::set<ItemRef, ItemRefOrder> seen;
  std::vector<std::pair<const Table*, PrimaryKey>> keys;
  // A key of the wrong shape or type cancels the transaction, as DynamoDB answers it: a
  // ValidationError reason on that action, None on the others.
  std::vector<api::CancellationReason> reasons(request.transact_items.size());
  bool canceled = false;
  for (std::size_t i = 0; i < request.transact_items.size(); ++i) {
    const auto& action = request.transact_items[i];
    auto table = find_locked(*state_, tables, action.get.table_name);
    PrimaryKey key;
    try {
      key = key_from_request(*table, action.get.key);
    } catch (const KeyTypeMismatch& e) {
      reasons[i].code = std::string(short_error_code(error_code::validation));
      reasons[i].message = std::string(e.what());
      canceled = true;
      continue;
    }
    if (!seen.insert(ItemRef{table.get(), key}).second) {
      throw_validation("Transaction request cannot include multiple operations on one item");
    }
    keys.emplace_back(table.get(), std::move(key));
  }
  if (canceled) {
    for (auto& reason : reasons) {
      if (!reason.code) reason.code = "None";
    }
    throw TransactionCanceled(std::move(reasons));
  }
  api::TransactGetItemsResponse response;
  std::vector<api::ItemResponse> responses;
  std::map<std::string, CapacityTally> tallies;
  // Every item is found before any is decoded, as BatchGetItem does: the memory misses of
  // independent items then overlap.
  std::vector<ItemLookup> lookups;
  lookups.reserve(keys.size());
  for (const auto& [table, key] : keys) lookups.push_back({table, &key});
  const std::vector<const StoredItem*> found = find_items_to_read(lookups);
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const Table* table = keys[i].first;
    const StoredItem* stored = found[i];
    // Transactional reads cost two strongly consistent reads.
    tallies[table->name].table += 2 * read_units(stored != nullptr ? stored->size : 0, true);
    api::ItemResponse item;
    if (stored != nullptr) item.item = projections[i] ? expr::project(*projections[i], stored->unpack()) : stored->unpack();
    responses.push_back(std::move(item));
  }
  response.responses = std::move(responses);
  if (request.return_consumed_capacity && *request.return_consumed_capacity != api::ReturnConsumedCapacity::none) {
    std::vector<api::ConsumedCapacity> consumed;
    for (const auto& [name, tally] : tallies) {
      consumed.push_back(*consumed_capacity(request.return_consumed_capacity, name, tally, true));
    }
    response.consumed_capacity = std::move(consumed);
  }
  return response;
}

namespace {

enum class ActionKind { condition_check, put, delete_, update };

// One action, parsed and resolved.
struct Action {
  ActionKind kind = ActionKind::put;
  const std::string* table_name = nullptr;
  const Item* key_or_item = nullptr;  // Key, or Item for a Put
  expr::Condition condition;
  bool has_condition = false;
  expr::Update update;
  bool all_old_on_failure = false;
};

Action parse_action(const api::TransactWriteItem& item) {
  const int set = int(item.condition_check.has_value()) + int(item.put.has_value()) + int(item.delete_.has_value()) +
                  int(item.update.has_value());
  if (set != 1) throw_validation("TransactItems can only contain one of Check, Put, Update or Delete");
  Action action;
  const auto parse = [&](const std::string& table_name, const std::optional<std::string>& condition,
                         const std::optional<api::ExpressionAttributeNames>& names,
                         const std::optional<api::ExpressionAttributeValues>& values,
                         const std::optional<api::ReturnValuesOnConditionCheckFailure>& on_failure,
                         const std::string* update_expression) {
    check_table_name_or_arn(table_name);
    action.table_name = &table_name;
    const bool has_expression = condition.has_value() || update_expression != nullptr;
    auto attributes = expression_attributes(names, values, has_expression, has_expression);
    if (update_expression != nullptr) action.update = expr::parse_update(*update_expression, attributes);
    if (condition) {
      action.condition = expr::parse_condition(*condition, attributes);
      action.has_condition = true;
    }
    attributes.check_all_used();
    action.all_old_on_failure = on_failure == api::ReturnValuesOnConditionCheckFailure::all_old;
  };
  if (item.condition_check) {
    const auto& c = *item.condition_check;
    action.kind = ActionKind::condition_check;
    action.key_or_item = &c.key;
    parse(c.table_name, c.condition_expression, c.expression_attribute_names, c.expression_attribute_values,
          c.return_values_on_condition_check_failure, nullptr);
  } else if (item.put) {
    const auto& p = *item.put;
    action.kind = ActionKind::put;
    action.key_or_item = &p.item;
    parse(p.table_name, p.condition_expression, p.expression_attribute_names, p.expression_attribute_values,
          p.return_values_on_condition_check_failure, nullptr);
  } else if (item.delete_) {
    const auto& d = *item.delete_;
    action.kind = ActionKind::delete_;
    action.key_or_item = &d.key;
    parse(d.table_name, d.condition_expression, d.expression_attribute_names, d.expression_attribute_values,
          d.return_values_on_condition_check_failure, nullptr);
  } else {
    const auto& u = *item.update;
    action.kind = ActionKind::update;
    action.key_or_item = &u.key;
    parse(u.table_name, u.condition_expression, u.expression_attribute_names, u.expression_attribute_values,
          u.return_values_on_condition_check_failure, &u.update_expression);
  }
  return action;
}

}  // namespace

namespace {

// A transaction applied: its response, and when it was committed (for its token's record).
struct AppliedTransaction {
  api::TransactWriteItemsResponse response;
  std::chrono::system_clock::time_point committed_at;
};

// Validates and applies one TransactWriteItems request. A ClientRequestToken in it goes to
// the store (if any) in the same batch as the writes; its checks are the caller's.
AppliedTransaction apply_transact_write(Engine::State& state, const api::TransactWriteItemsRequest& request) {
  std::vector<Action> actions;
  std::vector<std::string> names;
  for (const auto& item : request.transact_items) {
    actions.push_back(parse_action(item));
    names.emplace_back(state.table_name_of(*actions.back().table_name, table_not_found));
  }
  auto tables = tables_in_lock_order(state, names);
  std::vector<std::unique_lock<std::shared_mutex>> locks;
  for (const auto& table : tables) {
    locks.emplace_back(table->mutex);
    if (table->deleted) throw_not_found(std::string(table_not_found));
  }

  // Validate every key and item; refuse two actions on one item.
  struct Resolved {
    Table* table = nullptr;
    PrimaryKey key;
    std::size_t size = 0;
  };
  std::vector<Resolved> resolved;
  std::set<ItemRef, ItemRefOrder> seen;
  // A key value of the wrong type (of the table or of an index) cancels the transaction with
  // a ValidationError reason on its action; other invalid input refuses the whole request.
  std::vector<api::CancellationReason> mismatches(actions.size());
  bool mismatched = false;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const Action& action = actions[i];
    auto table = find_locked(state, tables, *action.table_name);
    Resolved r{table.get(), {}, 0};
    try {
      if (action.kind == ActionKind::put) {
        auto [key, size] = validate_item_for_write(*table, *action.key_or_item);
        r.key = std::move(key);
        r.size = size;
      } else {
        r.key = key_from_request(*table, *action.key_or_item);
      }
    } catch (const KeyTypeMismatch& e) {
      mismatches[i].code = std::string(short_error_code(error_code::validation));
      mismatches[i].message = std::string(e.what());
      mismatched = true;
      resolved.push_back(std::move(r));
      continue;
    }
    if (!seen.insert(ItemRef{table.get(), r.key}).second) {
      throw_validation("Transaction request cannot include multiple operations on one item");
    }
    resolved.push_back(std::move(r));
  }
  if (mismatched) {
    for (auto& reason : mismatches) {
      if (!reason.code) reason.code = "None";
    }
    throw TransactionCanceled(std::move(mismatches));
  }
  // "The aggregate size of the items in the transaction cannot exceed 4 MB" (API reference):
  // the items written by Puts, and the keys the other actions name.
  std::size_t aggregate = 0;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    aggregate += actions[i].kind == ActionKind::put ? resolved[i].size : item_size(*actions[i].key_or_item);
  }
  if (aggregate > max_transaction_bytes) {
    throw_validation("Transaction request size exceeds the 4 MB limit: the items of its actions add up to " +
                     std::to_string(aggregate) + " bytes");
  }

  // Check every condition and compute every new item before changing anything. The items
  // are found first, all together (find_items_to_read), and stay put until commit.
  std::vector<ItemLookup> lookups;
  lookups.reserve(resolved.size());
  for (const Resolved& r : resolved) lookups.push_back({r.table, &r.key});
  const std::vector<const StoredItem*> found = find_items_to_read(lookups);
  std::vector<api::CancellationReason> reasons(actions.size());
  bool canceled = false;
  std::vector<PendingWrite> writes;
  std::map<std::string, CapacityTally> tallies;
  for (std::size_t i = 0; i < actions.size(); ++i) {
    const Action& action = actions[i];
    Resolved& r = resolved[i];
    ReplacedItem old(found[i]);
    if (action.has_condition && !expr::evaluate(action.condition, old.or_empty())) {
      reasons[i].code = std::string(short_error_code(error_code::conditional_check_failed));
      reasons[i].message = "The conditional request failed";
      if (action.all_old_on_failure && old.exists()) reasons[i].item = *old.get();
      canceled = true;
      continue;
    }
    PendingWrite write{r.table, r.key, std::nullopt, 0};
    try {
      switch (action.kind) {
        case ActionKind::condition_check:
          tallies[r.table->name].table += 2 * read_units(old.size(), true);
          continue;
        case ActionKind::put:
          write.item = *action.key_or_item;
          write.size = r.size;
          break;
        case ActionKind::delete_:
          if (!old.exists()) {
            tallies[r.table->name].table += 2 * write_units(0);
            continue;
          }
          break;
        case ActionKind::update:
          // As UpdateItem: an absent item starts as its key, REMOVE under a missing parent is
          // invalid only on an existing item, and an update that only removes creates nothing.
          write.item = expr::apply_update(action.update, old.exists() ? *old.get() : *action.key_or_item,
                                          r.table->key_names, old.exists());
          write.size = validate_updated_item(*r.table, *write.item);
          if (!old.exists() && update_only_removes(action.update)) {
            tallies[r.table->name].table += 2 * write_units(0);
            continue;
          }
          break;
      }
    } catch (const Error& e) {
      reasons[i].code = std::string(short_error_code(error_code::validation));
      reasons[i].message = std::string(e.what());
      canceled = true;
      continue;
    }
    CapacityTally& tally = tallies[r.table->name];
    tally.table += 2 * write_units(std::max(write.size, old.size()));
    tally_index_writes(*r.table, old, write.item ? &*write.item : nullptr, tally, 2);
    writes.push_back(std::move(write));
  }
  if (canceled) {
    for (auto& reason : reasons) {
      if (!reason.code) reason.code = "None";
    }
    throw TransactionCanceled(std::move(reasons));
  }
  // The response is complete before the commit: a token is stored together with it.
  AppliedTransaction applied;
  api::TransactWriteItemsResponse& response = applied.response;
  response.item_collection_metrics = item_collection_metrics(request.return_item_collection_metrics, writes);
  if (request.return_consumed_capacity && *request.return_consumed_capacity != api::ReturnConsumedCapacity::none) {
    std::vector<api::ConsumedCapacity> consumed;
    for (const auto& [name, tally] : tallies) {
      consumed.push_back(*consumed_capacity(request.return_consumed_capacity, name, tally, false));
    }
    response.consumed_capacity = std::move(consumed);
  }
  applied.committed_at = IdempotencyRecords::stamp(state.now());
  if (request.client_request_token && state.options.store) {
    const std::string request_json = api::encode(request);
    const std::string response_json = api::encode(response);
    const StoredToken token{
        .token = *request.client_request_token,
        .request_json = request_json,
        .response_json = response_json,
        .written_at_ms = IdempotencyRecords::to_milliseconds(applied.committed_at),
    };
    commit(state, writes, &token);
  } else {
    commit(state, writes);
  }
  return applied;
}

}  // namespace

// ClientRequestToken (API reference, TransactWriteItems): within 10 minutes, the same token
// with the same request returns the first call's result without applying it again; with a
// different request it is refused (IdempotentParameterMismatchException); while the first
// call is still running, a second one is refused with TransactionInProgressException, so two
// concurrent calls can never both apply. A call that fails leaves no record, and may be retried.
// With a store, the token is written in the same batch as the transaction's changes and read
// back at open, so a retry after a restart is recognised too.
api::TransactWriteItemsResponse Engine::transact_write_items(const api::TransactWriteItemsRequest& request) {
  check_action_count(request.transact_items.size());
  if (!request.client_request_token) return apply_transact_write(*state_, request).response;

  const std::string& token = *request.client_request_token;
  ConstraintErrors errors;
  if (token.empty()) errors.add(token, "clientRequestToken", "Member must have length greater than or equal to 1");
  if (token.size() > 36) errors.add(token, "clientRequestToken", "Member must have length less than or equal to 36");
  errors.throw_if_any();
  if (auto earlier = state_->idempotency.begin(token, request, state_->now())) return std::move(*earlier);
  try {
    AppliedTransaction applied = apply_transact_write(*state_, request);
    state_->idempotency.finish(token, applied.response, applied.committed_at);
    return std::move(applied.response);
  } catch (...) {
    state_->idempotency.abandon(token);
    throw;
  }
}

void Engine::State::expire_tokens() {
  const auto now = this->now();
  (void)idempotency.expire(now);
  if (!options.store || !idempotency.take_store_trim_due()) return;
  const auto before = now - IdempotencyRecords::window;
  try {
    options.store->trim_tokens(IdempotencyRecords::to_milliseconds(before));
  } catch (...) {
    idempotency.store_trim_failed();
    throw;
  }
}

}  // namespace dynamo::engine
