// GetItem, PutItem, UpdateItem and DeleteItem.
//
// Each write runs in phases, as in ScyllaDB Alternator: parse and resolve the expressions
// (no lock held), then under the table's exclusive lock read the current item, check the
// condition, compute the new item, validate it, and commit (store first, then memory).
#include <algorithm>
#include <string>
#include <type_traits>

#include "dynamo/codec/json.hpp"
#include "dynamo/expr/evaluate.hpp"
#include "engine/legacy.hpp"
#include "engine/state.hpp"

namespace dynamo::engine {

using namespace detail;

namespace {

void check_put_delete_return_values(const std::optional<api::ReturnValue>& return_values) {
  if (return_values && *return_values != api::ReturnValue::none && *return_values != api::ReturnValue::all_old) {
    throw_validation("ReturnValues can only be ALL_OLD or NONE");
  }
}

[[noreturn]] void condition_failed(const std::optional<api::ReturnValuesOnConditionCheckFailure>& mode,
                                   ReplacedItem& old) {
  std::optional<Item> item;
  if (mode == api::ReturnValuesOnConditionCheckFailure::all_old && old.exists()) item = *old.get();
  throw ConditionalCheckFailed(std::move(item));
}

// The list commit() takes, of one write. (A braced list would copy the write, item and all:
// an initializer_list's elements are const.)
std::vector<PendingWrite> one_write(PendingWrite write) {
  std::vector<PendingWrite> writes;
  writes.push_back(std::move(write));
  return writes;
}

bool wants_capacity(const std::optional<api::ReturnConsumedCapacity>& mode) {
  return mode && *mode != api::ReturnConsumedCapacity::none;
}

// The validation PutItem and DeleteItem share (their requests have the same fields): table
// name, no mixing of Expected with ConditionExpression, ReturnValues, and the condition
// (parsed with every placeholder used, or translated from Expected). Returns the condition,
// if any.
template <class Request>
std::optional<expr::Condition> check_put_or_delete(const Request& request) {
  check_item_table_name(request.table_name);
  const bool has_condition = request.condition_expression.has_value();
  check_no_mixing({{"Expected", request.expected.has_value()},
                   {"ConditionalOperator", request.conditional_operator.has_value()}},
                  {{"ConditionExpression", has_condition}});
  check_conditional_operator(request.conditional_operator, request.expected ? request.expected->size() : 0);
  check_put_delete_return_values(request.return_values);
  if (request.expression_attribute_values) check_nesting(*request.expression_attribute_values);
  auto attributes = expression_attributes(request.expression_attribute_names, request.expression_attribute_values,
                                          has_condition, has_condition, "ConditionExpression is null");
  std::optional<expr::Condition> condition;
  if (has_condition) condition = expr::parse_condition(*request.condition_expression, attributes);
  if (request.expected) condition = expected_condition(*request.expected, request.conditional_operator);
  attributes.check_all_used();
  return condition;
}

// True when the update has actions and every one of them removes: REMOVE or DELETE in an
// UpdateExpression, DELETE (with or without a Value) in AttributeUpdates.
bool only_removes(const api::UpdateItemRequest& request, const expr::Update& update) {
  if (request.attribute_updates) {
    const auto& updates = *request.attribute_updates;
    return !updates.empty() && std::all_of(updates.begin(), updates.end(), [](const auto& entry) {
      return entry.second.action == api::AttributeAction::delete_;
    });
  }
  return update_only_removes(update);
}

}  // namespace

bool detail::update_only_removes(const expr::Update& update) {
  const auto& actions = update.actions();
  return !actions.empty() && std::all_of(actions.begin(), actions.end(), [](const expr::UpdateAction& action) {
    return action.kind == expr::UpdateAction::Kind::remove ||
           action.kind == expr::UpdateAction::Kind::delete_elements;
  });
}

namespace {

// GetItem's work, handing the item found to `use`: as `const StoredItem&` when it is the
// stored item (valid only under the lock), as `Item&&` when it is a projection made for
// the call; is_stored tells the two apart.
template <class Found>
constexpr bool is_stored = std::is_same_v<std::decay_t<Found>, StoredItem>;

template <class Use>
api::GetItemResponse get_item_with(Engine::State& state, const api::GetItemRequest& request, Use&& use) {
  check_item_table_name(request.table_name);
  const bool has_projection = request.projection_expression.has_value();
  auto attributes = expression_attributes(request.expression_attribute_names, std::nullopt, has_projection, false);
  auto projection = read_projection(request.projection_expression, request.attributes_to_get, attributes);
  attributes.check_all_used();

  auto table = state.table(request.table_name, table_not_found);
  std::shared_lock lock(table->mutex);
  if (table->deleted) throw_not_found(std::string(table_not_found));
  const KeyView key = key_view_from_request(*table, request.key);
  const StoredItem* stored = table->find_item_to_read(key.partition, key.sort);
  api::GetItemResponse response;
  if (stored != nullptr) {
    if (projection) {
      use(expr::project(*projection, stored->unpack()));
    } else {
      use(*stored);
    }
  }
  if (wants_capacity(request.return_consumed_capacity)) {
    CapacityTally tally;
    tally.table = read_units(stored != nullptr ? stored->size : 0, request.consistent_read.value_or(false));
    response.consumed_capacity = consumed_capacity(request.return_consumed_capacity, table->name, tally, true);
  }
  return response;
}

}  // namespace

api::GetItemResponse Engine::get_item(const api::GetItemRequest& request) {
  std::optional<Item> item;
  api::GetItemResponse response = get_item_with(*state_, request, [&](auto&& found) {
    if constexpr (is_stored<decltype(found)>) {
      item.emplace(found.unpack());
    } else {
      item.emplace(std::move(found));  // a projection, made for the call
    }
  });
  response.item = std::move(item);
  return response;
}

api::GetItemResponse Engine::visit_item(const api::GetItemRequest& request,
                                        const std::function<void(const Item&)>& read) {
  return get_item_with(*state_, request, [&](auto&& found) {
    if constexpr (is_stored<decltype(found)>) {
      read(found.unpack());
    } else {
      read(found);
    }
  });
}

api::GetItemResponse Engine::visit_item_json(const api::GetItemRequest& request,
                                             const std::function<void(std::string_view)>& read) {
  return get_item_with(*state_, request, [&](auto&& found) {
    if constexpr (is_stored<decltype(found)>) {
      thread_local std::string text;  // kept between calls: one allocation per thread, not per item
      text.clear();
      found.packed.append_json(text);
      read(text);
    } else {
      read(json::encode(found));
    }
  });
}

namespace {

// PutItem's work. The item stored is a copy of the request's, or, with `owned` (the
// request's own item, which the caller gives up), the item itself, moved.
api::PutItemResponse put_item_with(Engine::State& state, const api::PutItemRequest& request, Item* owned) {
  const std::optional<expr::Condition> condition = check_put_or_delete(request);

  auto table = state.table(request.table_name, table_not_found);
  return with_table_write(*table, [&] {
    auto [key, size] = validate_item_for_write(*table, request.item);
    ReplacedItem old(table->find_item(key.partition, key.sort));
    if (condition && !expr::evaluate(*condition, old.or_empty())) {
      condition_failed(request.return_values_on_condition_check_failure, old);
    }
    api::PutItemResponse response;
    if (wants_capacity(request.return_consumed_capacity)) {
      CapacityTally tally;
      tally.table = write_units(std::max(size, old.size()));
      tally_index_writes(*table, old, &request.item, tally, 1);
      response.consumed_capacity = consumed_capacity(request.return_consumed_capacity, table->name, tally, false);
    }
    if (request.return_values == api::ReturnValue::all_old && old.exists()) response.attributes = *old.get();
    std::vector<PendingWrite> writes =
        one_write({table.get(), std::move(key), owned != nullptr ? std::move(*owned) : request.item, size});
    commit(state, writes);
    response.item_collection_metrics =
        item_collection_metrics(request.return_item_collection_metrics, *table, writes.front().key.partition);
    return response;
  });
}

}  // namespace

api::PutItemResponse Engine::put_item(const api::PutItemRequest& request) {
  return put_item_with(*state_, request, nullptr);
}

api::PutItemResponse Engine::put_item(api::PutItemRequest&& request) {
  return put_item_with(*state_, request, &request.item);
}

api::DeleteItemResponse Engine::delete_item(const api::DeleteItemRequest& request) {
  const std::optional<expr::Condition> condition = check_put_or_delete(request);

  auto table = state_->table(request.table_name, table_not_found);
  return with_table_write(*table, [&] {
    PrimaryKey key = key_from_request(*table, request.key);
    ReplacedItem old(table->find_item(key.partition, key.sort));
    if (condition && !expr::evaluate(*condition, old.or_empty())) {
      condition_failed(request.return_values_on_condition_check_failure, old);
    }
    api::DeleteItemResponse response;
    if (wants_capacity(request.return_consumed_capacity)) {
      CapacityTally tally;
      tally.table = write_units(old.size());
      tally_index_writes(*table, old, nullptr, tally, 1);
      response.consumed_capacity = consumed_capacity(request.return_consumed_capacity, table->name, tally, false);
    }
    if (old.exists()) {  // deleting an absent item succeeds and changes nothing
      if (request.return_values == api::ReturnValue::all_old) response.attributes = *old.get();
      std::vector<PendingWrite> writes = one_write({table.get(), key, std::nullopt, 0});
      commit(*state_, writes);
    }
    response.item_collection_metrics =
        item_collection_metrics(request.return_item_collection_metrics, *table, key.partition);
    return response;
  });
}

api::UpdateItemResponse Engine::update_item(const api::UpdateItemRequest& request) {
  check_item_table_name(request.table_name);
  const bool has_update = request.update_expression.has_value();
  bool has_condition = request.condition_expression.has_value();
  check_no_mixing({{"AttributeUpdates", request.attribute_updates.has_value()},
                   {"Expected", request.expected.has_value()},
                   {"ConditionalOperator", request.conditional_operator.has_value()}},
                  {{"UpdateExpression", has_update}, {"ConditionExpression", has_condition}});
  check_conditional_operator(request.conditional_operator, request.expected ? request.expected->size() : 0);
  if (request.expression_attribute_values) check_nesting(*request.expression_attribute_values);
  auto attributes = expression_attributes(request.expression_attribute_names, request.expression_attribute_values,
                                          has_update || has_condition, has_update || has_condition,
                                          "UpdateExpression and ConditionExpression are null");
  expr::Update update;
  if (has_update) update = expr::parse_update(*request.update_expression, attributes);
  expr::Condition condition;
  if (has_condition) condition = expr::parse_condition(*request.condition_expression, attributes);
  if (request.expected) {
    condition = expected_condition(*request.expected, request.conditional_operator);
    has_condition = true;
  }
  if (request.attribute_updates) check_attribute_updates(*request.attribute_updates);
  attributes.check_all_used();

  auto table = state_->table(request.table_name, table_not_found);
  if (request.attribute_updates) check_updates_avoid_keys(*request.attribute_updates, table->key_names);
  return with_table_write(*table, [&] {
    PrimaryKey key = key_from_request(*table, request.key);
    ReplacedItem old(table->find_item(key.partition, key.sort));
    if (has_condition && !expr::evaluate(condition, old.or_empty())) {
      condition_failed(request.return_values_on_condition_check_failure, old);
    }
    // UpdateItem is an upsert: an absent item starts as its key.
    const Item& start = old.exists() ? *old.get() : request.key;
    Item updated = request.attribute_updates ? apply_attribute_updates(*request.attribute_updates, start)
                                             : expr::apply_update(update, start, table->key_names, old.exists());
    const std::size_t size = validate_updated_item(*table, updated);
    // An update that only removes (REMOVE and DELETE actions, or AttributeUpdates that are
    // all DELETE) does not create an absent item, where any other update, even an empty
    // one, does (ScyllaDB Alternator's test_update_item_non_existent, checked against
    // DynamoDB; the API reference's AttributeUpdates: "DELETE - Nothing happens").
    const bool creates = old.exists() || !only_removes(request, update);

    api::UpdateItemResponse response;
    if (wants_capacity(request.return_consumed_capacity)) {
      CapacityTally tally;
      tally.table = write_units(std::max(size, old.size()));
      tally_index_writes(*table, old, creates ? &updated : nullptr, tally, 1);
      response.consumed_capacity = consumed_capacity(request.return_consumed_capacity, table->name, tally, false);
    }
    const auto return_values = request.return_values.value_or(api::ReturnValue::none);
    const bool updates_something =
        request.attribute_updates ? !request.attribute_updates->empty() : !update.empty();
    const auto updated_paths = [&] {
      expr::Projection paths;
      if (request.attribute_updates) {
        for (const auto& [name, unused] : *request.attribute_updates) paths.push_back(expr::Path(name));
      }
      for (const auto& action : update.actions()) paths.push_back(action.target);
      return paths;
    };
    switch (return_values) {
      case api::ReturnValue::none:
        break;
      case api::ReturnValue::all_old:
        if (old.exists()) response.attributes = *old.get();
        break;
      case api::ReturnValue::all_new:
        if (creates) response.attributes = updated;
        break;
      case api::ReturnValue::updated_old:
        if (old.exists() && updates_something) {
          Item before = expr::project(updated_paths(), *old.get());
          if (!before.empty()) response.attributes = std::move(before);
        }
        break;
      case api::ReturnValue::updated_new:
        if (updates_something) {
          Item after = expr::project(updated_paths(), updated);
          if (!after.empty()) response.attributes = std::move(after);
        }
        break;
    }
    if (!creates) {
      response.item_collection_metrics =
          item_collection_metrics(request.return_item_collection_metrics, *table, key.partition);
      return response;
    }
    std::vector<PendingWrite> writes = one_write({table.get(), std::move(key), std::move(updated), size});
    commit(*state_, writes);
    response.item_collection_metrics =
        item_collection_metrics(request.return_item_collection_metrics, *table, writes.front().key.partition);
    return response;
  });
}

}  // namespace dynamo::engine
