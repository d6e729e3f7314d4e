// Key order, key hashing, row maintenance, the engine's errors and the commit path.
#include <algorithm>
#include <cstring>

#include "dynamo/codec/json.hpp"
#include "engine/state.hpp"

namespace dynamo::engine {

ConditionalCheckFailed::ConditionalCheckFailed(std::optional<Item> old_item)
    : api::ServiceError(api::ServiceError::conditional_check_failed(old_item)), item(std::move(old_item)) {}

TransactionCanceled::TransactionCanceled(std::vector<api::CancellationReason> cancellation_reasons)
    : api::ServiceError(api::ServiceError::transaction_canceled(cancellation_reasons)),
      reasons(std::move(cancellation_reasons)) {}

api::ErrorBody error_body_of(const Error& error) {
  if (const auto* service = dynamic_cast<const api::ServiceError*>(&error)) return service->body();
  return api::error_body(error);
}

}  // namespace dynamo::engine

namespace dynamo::engine::detail {

int compare_keys(const AttributeValue& a, const AttributeValue& b) noexcept {
  if (a.type() != b.type()) return a.type() < b.type() ? -1 : 1;
  // S by UTF-8 bytes, N numerically, B by bytes: DynamoDB's key order (value layer).
  const auto order = scalar_order(a, b);
  if (!order) return 0;  // NULL (the absent sort key) equals itself; other types are never keys
  return *order < 0 ? -1 : (*order > 0 ? 1 : 0);
}

namespace {

std::uint64_t mix(std::uint64_t h) noexcept {  // splitmix64's finaliser
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

std::uint64_t fnv1a(std::string_view bytes, std::uint64_t seed) noexcept {
  std::uint64_t h = 0xcbf29ce484222325ULL ^ seed;
  for (char c : bytes) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

std::uint64_t hash_key(const AttributeValue& v) noexcept {
  switch (v.type()) {
    case Type::string:
      return mix(fnv1a(v.as_string(), 1));
    case Type::binary:
      return mix(fnv1a(v.as_binary().view(), 2));
    case Type::number:
      return mix(static_cast<std::uint64_t>(v.as_number().hash()) ^ 3);
    default:
      return 0;
  }
}

bool Index::covers(const Item& item) const noexcept {
  // Writes refuse an index key of another type or an empty one; items stored before the
  // index existed may hold either, and are then not in the index (as DynamoDB's backfill).
  const auto usable = [&item](const KeyAttribute& attribute) {
    const AttributeValue* value = item.find(attribute.name);
    if (value == nullptr || value->type() != attribute.type) return false;
    if (value->is(Type::string)) return !value->as_string().empty();
    if (value->is(Type::binary)) return !value->as_binary().empty();
    return true;
  };
  return usable(key.partition) && (!key.sort || usable(*key.sort));
}

const Index* Table::find_index(std::string_view index_name) const noexcept {
  for (const auto& index : indexes) {
    if (index->name == index_name) return index.get();
  }
  return nullptr;
}

AttributeValue Table::sort_value_of(const Item& item) const {
  if (!key.sort) return AttributeValue();
  return item.at(key.sort->name);
}

const StoredItem* Table::find_item(const AttributeValue& pk, const AttributeValue& sk) const {
  return find_item(pk, sk, hash_key(pk));
}

const StoredItem* Table::find_item(const AttributeValue& pk, const AttributeValue& sk, std::uint64_t pk_hash) const {
  const TableRows* partition = rows.find(pk, pk_hash);
  return partition != nullptr ? partition->find(sk) : nullptr;
}

const StoredItem* Table::find_item_to_read(const AttributeValue& pk, const AttributeValue& sk) const {
  const TableRows* partition = rows.find_to_read(pk, hash_key(pk));
  const StoredItem* stored = partition != nullptr ? partition->find(sk) : nullptr;
  if (stored != nullptr) stored->prefetch();
  return stored;
}

std::vector<std::uint64_t> start_lookups(const std::vector<ItemLookup>& lookups) {
  std::vector<std::uint64_t> hashes;
  hashes.reserve(lookups.size());
  for (const ItemLookup& lookup : lookups) {
    hashes.push_back(hash_key(lookup.key->partition));
    lookup.table->rows.prefetch_slot(hashes.back());
  }
  for (std::size_t i = 0; i < lookups.size(); ++i) lookups[i].table->rows.prefetch_partition(hashes[i]);
  return hashes;
}

std::vector<const StoredItem*> find_items_to_read(const std::vector<ItemLookup>& lookups) {
  const std::vector<std::uint64_t> hashes = start_lookups(lookups);
  std::vector<const StoredItem*> found;
  found.reserve(lookups.size());
  for (std::size_t i = 0; i < lookups.size(); ++i) {
    const StoredItem* stored = lookups[i].table->find_item(lookups[i].key->partition, lookups[i].key->sort, hashes[i]);
    if (stored != nullptr) stored->prefetch();
    found.push_back(stored);
  }
  return found;
}

namespace {

// The row of `item` in `index` (which covers it), and the index partition key it is under.
IndexRowKey index_row_of(const Table& table, const Index& index, const Item& item) {
  return IndexRowKey{index.key.sort ? *item.find(index.key.sort->name) : AttributeValue(),
                     *item.find(table.key.partition.name), table.sort_value_of(item)};
}

}  // namespace

void Table::index_item(Index& index, const StoredItem& stored, const Item& item) {
  if (!index.covers(item)) return;
  index.rows.get_or_create(*item.find(index.key.partition.name))
      .insert_or_assign(index_row_of(*this, index, item), &stored);
  ++index.item_count;
  index.size_bytes += projected_size(*this, index, item, stored.size);
}

void Table::unindex_item(Index& index, const StoredItem& stored, const Item& item) {
  if (!index.covers(item)) return;
  const AttributeValue& ipk = *item.find(index.key.partition.name);
  IndexRows* partition = index.rows.find(ipk);
  if (partition == nullptr) return;
  if (partition->erase(index_row_of(*this, index, item)) == 0) return;
  --index.item_count;
  index.size_bytes -= std::min(index.size_bytes, projected_size(*this, index, item, stored.size));
  index.rows.erase_if_empty(ipk);
}

void Table::index_item(Index& index, const StoredItem& stored) { index_item(index, stored, stored.unpack()); }

void Table::unindex_all(const StoredItem& stored) {
  if (indexes.empty()) return;
  const Item item = stored.unpack();
  for (auto& index : indexes) unindex_item(*index, stored, item);
}

void Table::store_item(const AttributeValue& pk, const AttributeValue& sk, const Item& item, std::size_t size) {
  const std::uint64_t pk_hash = hash_key(pk);
  TableRows& partition = rows.get_or_create(pk, pk_hash);
  StoredItem* stored = partition.find(sk);
  if (stored != nullptr) {
    unindex_all(*stored);
    size_bytes -= stored->size;
    stored->packed = PackedItem(item);
    stored->size = size;
  } else {
    stored = &partition.insert(sk, StoredItem{PackedItem(item), size});
    ++item_count;
  }
  size_bytes += size;
  rows.refresh_front(pk, pk_hash);
  for (auto& index : indexes) index_item(*index, *stored, item);
}

void Table::remove_item(const AttributeValue& pk, const AttributeValue& sk) {
  TableRows* partition = rows.find(pk);
  if (partition == nullptr) return;
  const StoredItem* stored = partition->find(sk);
  if (stored == nullptr) return;
  unindex_all(*stored);
  size_bytes -= stored->size;
  --item_count;
  partition->erase(sk);
  rows.erase_if_empty(pk);
}

void throw_validation(std::string message) { throw Error::validation(std::move(message)); }

void throw_not_found(std::string message) {
  throw Error(std::string(dynamo::error_code::resource_not_found), std::move(message));
}

std::string table_not_found_named(std::string_view name) {
  return "Requested resource not found: Table: " + std::string(name) + " not found";
}

void ConstraintErrors::add(std::string_view value, std::string_view member, std::string_view constraint) {
  problems_.push_back("Value '" + std::string(value) + "' at '" + std::string(member) +
                      "' failed to satisfy constraint: " + std::string(constraint));
}

void ConstraintErrors::add_null(std::string_view member) {
  problems_.push_back("Value null at '" + std::string(member) +
                      "' failed to satisfy constraint: Member must not be null");
}

void ConstraintErrors::throw_if_any() const {
  if (problems_.empty()) return;
  std::string message = std::to_string(problems_.size()) +
                        (problems_.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  for (std::size_t i = 0; i < problems_.size(); ++i) {
    if (i > 0) message += "; ";
    message += problems_[i];
  }
  throw_validation(std::move(message));
}

std::string encode_key(const Table& table, const AttributeValue& pk, const AttributeValue& sk) {
  Item key;
  key.insert_or_assign(table.key.partition.name, pk);
  if (table.key.sort) key.insert_or_assign(table.key.sort->name, sk);
  return json::encode(key);
}

void commit(const Engine::State& state, std::vector<PendingWrite>& writes, const StoredToken* token) {
  if (writes.empty() && (token == nullptr || !state.options.store)) return;
  if (writes.size() > 1) {
    std::vector<ItemLookup> lookups;
    lookups.reserve(writes.size());
    for (const PendingWrite& write : writes) lookups.push_back({write.table, &write.key});
    (void)start_lookups(lookups);  // the loads overlap the store's work, if any
  }
  // The stream records are made from the items as they are before the change.
  std::vector<PendingRecord> records = stream_records_of(state, writes);
  if (state.options.store) {
    // Write-ahead: the store sees the batch before memory changes, so a store failure
    // leaves the engine as it was (durable_store.hpp's contract).
    std::vector<std::string> keys;
    std::vector<std::string> items;
    keys.reserve(writes.size());
    items.reserve(writes.size());
    std::vector<StoredItemChange> changes;
    changes.reserve(writes.size());
    for (const auto& write : writes) {
      keys.push_back(encode_key(*write.table, write.key.partition, write.key.sort));
      items.push_back(write.item ? json::encode(*write.item) : std::string());
    }
    for (std::size_t i = 0; i < writes.size(); ++i) {
      StoredItemChange change{.table = writes[i].table->name, .key = keys[i], .item = std::nullopt};
      if (writes[i].item) change.item = std::string_view(items[i]);
      changes.push_back(change);
    }
    std::vector<StoredStreamRecord> stored;
    stored.reserve(records.size());
    for (const auto& record : records) {
      stored.push_back({.stream_arn = record.stream->arn, .sequence_number = record.sequence, .record_json = record.json});
    }
    if (token != nullptr) {
      state.options.store->apply_with_token(changes, stored, *token);
    } else if (stored.empty()) {
      state.options.store->apply(changes);
    } else {
      state.options.store->apply_with_records(changes, stored);
    }
  }
  for (auto& write : writes) {
    if (write.item) {
      write.table->store_item(write.key.partition, write.key.sort, *write.item, write.size);
    } else {
      write.table->remove_item(write.key.partition, write.key.sort);
    }
  }
  append_stream_records(records);
}

}  // namespace dynamo::engine::detail
