// BatchGetItem and BatchWriteItem (API references): at most 100 keys / 25 writes per call,
// no key twice, every table must exist. The engine never throttles, so UnprocessedItems is
// always empty and UnprocessedKeys holds only what did not fit in the 16 MB response.
#include <algorithm>
#include <set>
#include <type_traits>

#include "dynamo/expr/evaluate.hpp"
#include "engine/state.hpp"

namespace dynamo::engine {

using namespace detail;

namespace {

constexpr std::size_t max_batch_writes = limits::batch_write_items;
constexpr std::size_t max_batch_keys = limits::batch_get_keys;
constexpr std::size_t max_batch_response_bytes = limits::batch_get_response_bytes;

struct KeyOrder {
  bool operator()(const PrimaryKey& a, const PrimaryKey& b) const noexcept {
    if (int c = compare_keys(a.partition, b.partition)) return c < 0;
    return compare_keys(a.sort, b.sort) < 0;
  }
};

// Locks the tables in name order (the callers' maps are sorted), so that two batches or
// transactions never wait on each other in a cycle.
template <class Lock>
std::vector<Lock> lock_all(const std::vector<std::shared_ptr<Table>>& tables) {
  std::vector<Lock> locks;
  locks.reserve(tables.size());
  for (const auto& table : tables) {
    locks.emplace_back(table->mutex);
    if (table->deleted) throw_not_found(std::string(table_not_found));
  }
  return locks;
}

}  // namespace

namespace {

// BatchWriteItem's work. `Request` is const api::BatchWriteItemRequest, whose items are
// copied into the tables, or api::BatchWriteItemRequest, given up by the caller, whose
// items are moved there.
template <class Request>
api::BatchWriteItemResponse batch_write_with(Engine::State& state, Request& request) {
  if (request.request_items.empty()) {
    ConstraintErrors errors;
    errors.add("{}", "requestItems", "Member must have length greater than or equal to 1");
    errors.throw_if_any();
  }
  // Each table's list holds 1 to 25 requests: a shape constraint, reported before the
  // 25-request limit on the whole call ("Too many items requested for the BatchWriteItem
  // call"), in the service's words for a map's values.
  const bool table_list_out_of_range = std::any_of(
      request.request_items.begin(), request.request_items.end(),
      [](const auto& entry) { return entry.second.empty() || entry.second.size() > max_batch_writes; });
  if (table_list_out_of_range) {
    std::string lists = "{";
    for (const auto& [name, writes] : request.request_items) {
      if (lists.size() > 1) lists += ", ";
      lists += name + (writes.empty() ? "=[]" : "=[...]");
    }
    ConstraintErrors errors;
    errors.add(lists + "}", "requestItems",
               "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have "
               "length greater than or equal to 1]");
    errors.throw_if_any();
  }
  std::size_t total = 0;
  for (const auto& [name, writes] : request.request_items) {
    check_table_name_or_arn(name);
    total += writes.size();
    for (const auto& write : writes) {
      if (write.put_request.has_value() == write.delete_request.has_value()) {
        throw_validation("Supplied WriteRequest must contain exactly one of PutRequest or DeleteRequest");
      }
    }
  }
  if (total > max_batch_writes) throw_validation("Too many items requested for the BatchWriteItem call");

  std::vector<std::shared_ptr<Table>> tables;
  for (const auto& [name, writes] : request.request_items) tables.push_back(state.table(name, table_not_found));
  auto locks = lock_all<std::unique_lock<std::shared_mutex>>(tables);

  const bool capacity = request.return_consumed_capacity &&
                        *request.return_consumed_capacity != api::ReturnConsumedCapacity::none;
  api::BatchWriteItemResponse response;
  std::vector<PendingWrite> pending;
  std::vector<api::ConsumedCapacity> consumed;
  std::size_t table_index = 0;
  for (auto& [name, writes] : request.request_items) {
    Table& table = *tables[table_index++];
    std::set<PrimaryKey, KeyOrder> seen;
    CapacityTally tally;
    for (auto& write : writes) {
      PendingWrite change{&table, {}, std::nullopt, 0};
      if (write.put_request) {
        auto [key, size] = validate_item_for_write(table, write.put_request->item);
        change.key = std::move(key);
        if constexpr (std::is_const_v<Request>) {
          change.item = write.put_request->item;
        } else {
          change.item = std::move(write.put_request->item);
        }
        change.size = size;
      } else {
        change.key = key_from_request(table, write.delete_request->key);
      }
      if (!seen.insert(change.key).second) throw_validation("Provided list of item keys contains duplicates");
      if (capacity) {
        ReplacedItem old(table.find_item(change.key.partition, change.key.sort));
        tally.table += write_units(std::max(change.size, old.size()));
        tally_index_writes(table, old, change.item ? &*change.item : nullptr, tally, 1);
      }
      pending.push_back(std::move(change));
    }
    if (capacity) consumed.push_back(*consumed_capacity(request.return_consumed_capacity, name, tally, false));
  }
  response.item_collection_metrics = item_collection_metrics(request.return_item_collection_metrics, pending);
  commit(state, pending);
  response.unprocessed_items.emplace();
  if (capacity) response.consumed_capacity = std::move(consumed);
  return response;
}

}  // namespace

api::BatchWriteItemResponse Engine::batch_write_item(const api::BatchWriteItemRequest& request) {
  return batch_write_with(*state_, request);
}

api::BatchWriteItemResponse Engine::batch_write_item(api::BatchWriteItemRequest&& request) {
  return batch_write_with(*state_, request);
}

api::BatchGetItemResponse Engine::batch_get_item(const api::BatchGetItemRequest& request) {
  if (request.request_items.empty()) {
    ConstraintErrors errors;
    errors.add("{}", "requestItems", "Member must have length greater than or equal to 1");
    errors.throw_if_any();
  }
  std::size_t total = 0;
  std::vector<std::optional<expr::Projection>> projections;
  for (const auto& [name, keys] : request.request_items) {
    check_table_name_or_arn(name);
    if (keys.keys.empty() || keys.keys.size() > max_batch_keys) {
      ConstraintErrors errors;
      errors.add(keys.keys.empty() ? "[]" : "[...]", "requestItems." + name + ".member.keys",
                 keys.keys.empty() ? "Member must have length greater than or equal to 1"
                                   : "Member must have length less than or equal to 100");
      errors.throw_if_any();
    }
    total += keys.keys.size();
    const bool has_projection = keys.projection_expression.has_value();
    auto attributes = expression_attributes(keys.expression_attribute_names, std::nullopt, has_projection, false);
    projections.push_back(read_projection(keys.projection_expression, keys.attributes_to_get, attributes));
    attributes.check_all_used();
  }
  if (total > max_batch_keys) throw_validation("Too many items requested for the BatchGetItem call");

  std::vector<std::shared_ptr<Table>> tables;
  for (const auto& [name, keys] : request.request_items) tables.push_back(state_->table(name, table_not_found));
  auto locks = lock_all<std::shared_lock<std::shared_mutex>>(tables);

  // Validate every key before reading any.
  std::vector<std::vector<PrimaryKey>> keys_by_table;
  std::size_t table_index = 0;
  for (const auto& [name, keys] : request.request_items) {
    const Table& table = *tables[table_index++];
    std::set<PrimaryKey, KeyOrder> seen;
    std::vector<PrimaryKey> parsed;
    for (const auto& key : keys.keys) {
      parsed.push_back(key_from_request(table, key));
      if (!seen.insert(parsed.back()).second) throw_validation("Provided list of item keys contains duplicates");
    }
    keys_by_table.push_back(std::move(parsed));
  }

  // Find every item before decoding any: in a table larger than the cache each lookup and
  // each block is a miss to memory, and the misses of independent keys overlap when nothing
  // waits on one before the next is asked for.
  std::vector<ItemLookup> lookups;
  for (std::size_t t = 0; t < tables.size(); ++t) {
    for (const PrimaryKey& key : keys_by_table[t]) lookups.push_back({tables[t].get(), &key});
  }
  const std::vector<const StoredItem*> found_all = find_items_to_read(lookups);
  std::vector<std::vector<const StoredItem*>> found_by_table;
  for (std::size_t t = 0, at = 0; t < tables.size(); at += keys_by_table[t].size(), ++t) {
    const auto first = found_all.begin() + static_cast<std::ptrdiff_t>(at);
    found_by_table.emplace_back(first, first + static_cast<std::ptrdiff_t>(keys_by_table[t].size()));
  }

  const bool capacity = request.return_consumed_capacity &&
                        *request.return_consumed_capacity != api::ReturnConsumedCapacity::none;
  api::BatchGetItemResponse response;
  response.responses.emplace();
  response.unprocessed_keys.emplace();
  std::vector<api::ConsumedCapacity> consumed;
  std::size_t response_bytes = 0;
  table_index = 0;
  for (const auto& [name, keys] : request.request_items) {
    const auto& projection = projections[table_index];
    const auto& found = found_by_table[table_index];
    ++table_index;
    const bool consistent = keys.consistent_read.value_or(false);
    auto& items = (*response.responses)[name];
    CapacityTally tally;
    for (std::size_t i = 0; i < found.size(); ++i) {
      if (response_bytes >= max_batch_response_bytes) {
        // What does not fit in the 16 MB response comes back to be asked again.
        auto& unprocessed = (*response.unprocessed_keys)[name];
        if (unprocessed.keys.empty()) {
          unprocessed = keys;
          unprocessed.keys.clear();
        }
        unprocessed.keys.push_back(keys.keys[i]);
        continue;
      }
      const StoredItem* stored = found[i];
      tally.table += read_units(stored != nullptr ? stored->size : 0, consistent);
      if (stored == nullptr) continue;
      response_bytes += stored->size;
      items.push_back(projection ? expr::project(*projection, stored->unpack()) : stored->unpack());
    }
    if (capacity) consumed.push_back(*consumed_capacity(request.return_consumed_capacity, name, tally, true));
  }
  if (capacity) response.consumed_capacity = std::move(consumed);
  return response;
}

}  // namespace dynamo::engine
