// Capacity accounting by the Developer Guide's rules ("Read/write capacity mode"):
//   * one read capacity unit is a strongly consistent read of up to 4 KB; an eventually
//     consistent read costs half; transactional reads cost double;
//   * one write capacity unit is a write of up to 1 KB; transactional writes cost double;
//   * Query and Scan charge the summed size of the items read, rounded up to 4 KB;
//   * a write to a table also writes each index the item enters, leaves or changes in,
//     and a change of an index key value is a delete plus a put there (two writes).
#include <algorithm>
#include <cmath>
#include <map>

#include "engine/state.hpp"

namespace dynamo::engine::detail {

double read_units(std::size_t bytes, bool consistent) noexcept {
  const std::size_t units = std::max<std::size_t>(1, (bytes + 4095) / 4096);
  return consistent ? static_cast<double>(units) : static_cast<double>(units) / 2.0;
}

double write_units(std::size_t bytes) noexcept {
  return static_cast<double>(std::max<std::size_t>(1, (bytes + 1023) / 1024));
}

double CapacityTally::total() const noexcept {
  double sum = table;
  for (const auto& [name, units] : global_indexes) sum += units;
  for (const auto& [name, units] : local_indexes) sum += units;
  return sum;
}

std::optional<api::ConsumedCapacity> consumed_capacity(const std::optional<api::ReturnConsumedCapacity>& mode,
                                                       const std::string& table_name, const CapacityTally& tally,
                                                       bool read) {
  if (!mode || *mode == api::ReturnConsumedCapacity::none) return std::nullopt;
  api::ConsumedCapacity consumed;
  consumed.table_name = table_name;
  consumed.capacity_units = tally.total();
  (read ? consumed.read_capacity_units : consumed.write_capacity_units) = tally.total();
  if (*mode == api::ReturnConsumedCapacity::indexes) {
    const auto capacity = [read](double units) {
      api::Capacity c;
      c.capacity_units = units;
      (read ? c.read_capacity_units : c.write_capacity_units) = units;
      return c;
    };
    consumed.table = capacity(tally.table);
    if (!tally.global_indexes.empty()) {
      std::map<std::string, api::Capacity> indexes;
      for (const auto& [name, units] : tally.global_indexes) indexes.emplace(name, capacity(units));
      consumed.global_secondary_indexes = std::move(indexes);
    }
    if (!tally.local_indexes.empty()) {
      std::map<std::string, api::Capacity> indexes;
      for (const auto& [name, units] : tally.local_indexes) indexes.emplace(name, capacity(units));
      consumed.local_secondary_indexes = std::move(indexes);
    }
  }
  return consumed;
}

Item project_for_index(const Table& table, const Index& index, const Item& item) {
  if (index.projection == api::ProjectionType::all) return item;
  Item projected;
  const auto copy = [&](const std::string& name) {
    if (const auto* value = item.find(name)) projected.insert_or_assign(name, *value);
  };
  copy(table.key.partition.name);
  if (table.key.sort) copy(table.key.sort->name);
  copy(index.key.partition.name);
  if (index.key.sort) copy(index.key.sort->name);
  if (index.projection == api::ProjectionType::include) {
    for (const auto& name : index.included) copy(name);
  }
  return projected;
}

std::size_t projected_size(const Table& table, const Index& index, const Item& item, std::size_t size) {
  if (index.projection == api::ProjectionType::all) return size;
  return item_size(project_for_index(table, index, item));
}

void tally_index_writes(const Table& table, ReplacedItem& old, const Item* new_item, CapacityTally& tally,
                        double factor) {
  if (table.indexes.empty()) return;
  const Item* old_item = old.get();
  for (const auto& index : table.indexes) {
    const bool in_old = old_item != nullptr && index->covers(*old_item);
    const bool in_new = new_item != nullptr && index->covers(*new_item);
    if (!in_old && !in_new) continue;
    double units = 0;
    if (in_old && !in_new) {
      units = write_units(item_size(project_for_index(table, *index, *old_item)));
    } else if (!in_old) {
      units = write_units(item_size(project_for_index(table, *index, *new_item)));
    } else {
      const Item before = project_for_index(table, *index, *old_item);
      const Item after = project_for_index(table, *index, *new_item);
      const bool key_changed =
          !(*old_item->find(index->key.partition.name) == *new_item->find(index->key.partition.name)) ||
          (index->key.sort && !(*old_item->find(index->key.sort->name) == *new_item->find(index->key.sort->name)));
      if (key_changed) {
        units = write_units(item_size(before)) + write_units(item_size(after));
      } else if (!(before == after)) {
        units = write_units(std::max(item_size(before), item_size(after)));
      }
    }
    if (units == 0) continue;
    auto& bucket = index->global ? tally.global_indexes : tally.local_indexes;
    bucket[index->name] += units * factor;
  }
}

namespace {

bool has_local_index(const Table& table) noexcept {
  return std::any_of(table.indexes.begin(), table.indexes.end(), [](const auto& index) { return !index->global; });
}

}  // namespace

namespace {

// What an item adds to its collection: itself and its rows in the table's local indexes.
std::size_t collection_share(const Table& table, const Item& item, std::size_t size) {
  std::size_t bytes = size;
  for (const auto& index : table.indexes) {
    if (!index->global && index->covers(item)) bytes += projected_size(table, *index, item, size);
  }
  return bytes;
}

// The size of the collection `partition` as it stands.
std::size_t collection_bytes(const Table& table, const AttributeValue& partition) {
  std::size_t bytes = 0;
  if (const TableRows* rows = table.rows.find(partition)) {
    for (const auto& [sort, stored] : *rows) bytes += collection_share(table, stored.unpack(), stored.size);
  }
  return bytes;
}

api::ItemCollectionMetrics metrics_of(const Table& table, const AttributeValue& partition, std::size_t bytes) {
  // DynamoDB gives a range of whole gigabytes around the estimate: [0, 1] for a small collection.
  const double lower = std::floor(static_cast<double>(bytes) / (1024.0 * 1024.0 * 1024.0));
  api::ItemCollectionMetrics metrics;
  metrics.item_collection_key = Item{{table.key.partition.name, partition}};
  metrics.size_estimate_range_gb = std::vector<double>{lower, lower + 1};
  return metrics;
}

bool size_mode(const std::optional<api::ReturnItemCollectionMetrics>& mode) noexcept {
  return mode.value_or(api::ReturnItemCollectionMetrics::none) == api::ReturnItemCollectionMetrics::size;
}

}  // namespace

std::optional<api::ItemCollectionMetrics> item_collection_metrics(
    const std::optional<api::ReturnItemCollectionMetrics>& mode, const Table& table, const AttributeValue& partition) {
  if (!size_mode(mode) || !has_local_index(table)) return std::nullopt;
  return metrics_of(table, partition, collection_bytes(table, partition));
}

std::optional<std::map<std::string, std::vector<api::ItemCollectionMetrics>>> item_collection_metrics(
    const std::optional<api::ReturnItemCollectionMetrics>& mode, const std::vector<PendingWrite>& writes) {
  if (!size_mode(mode)) return std::nullopt;  // the common case: nothing to compute
  // Each collection's size as it stands, less the items the writes replace, plus the items
  // they write (the writes of one call have distinct keys). In the order the writes name them.
  struct Collection {
    const Table* table;
    AttributeValue partition;
    std::size_t bytes;
  };
  std::vector<Collection> collections;
  std::map<std::pair<const Table*, AttributeValue>, std::size_t, decltype([](const auto& a, const auto& b) {
             if (a.first != b.first) return a.first < b.first;
             return compare_keys(a.second, b.second) < 0;
           })>
      position;
  for (const PendingWrite& write : writes) {
    const Table& table = *write.table;
    if (!has_local_index(table)) continue;
    auto [it, inserted] = position.try_emplace({&table, write.key.partition}, collections.size());
    if (inserted) collections.push_back({&table, write.key.partition, collection_bytes(table, write.key.partition)});
    std::size_t& bytes = collections[it->second].bytes;
    if (const StoredItem* old = table.find_item(write.key.partition, write.key.sort)) {
      bytes -= std::min(bytes, collection_share(table, old->unpack(), old->size));
    }
    if (write.item) bytes += collection_share(table, *write.item, write.size);
  }
  if (collections.empty()) return std::nullopt;
  std::map<std::string, std::vector<api::ItemCollectionMetrics>> by_table;
  for (const Collection& c : collections) by_table[c.table->name].push_back(metrics_of(*c.table, c.partition, c.bytes));
  return by_table;
}

}  // namespace dynamo::engine::detail
