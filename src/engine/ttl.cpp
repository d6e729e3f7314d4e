// Time to Live: the sweep that deletes expired items.
//
// The Developer Guide ("Time to Live"): the TTL attribute holds a Number of seconds since
// the Unix epoch; an item whose value is in the past is expired and deleted in the
// background, like any delete (indexes follow). Items whose value is more than five years
// in the past, and items whose TTL attribute is not a Number, are never expired. Until the
// sweep reaches it, an expired item is still returned by reads, as on AWS.
#include "engine/state.hpp"

namespace dynamo::engine {

using namespace detail;

namespace {

constexpr std::int64_t five_years_seconds = 5LL * 365 * 24 * 3600;

bool expired(const Item& item, const std::string& attribute, const Number& now, const Number& oldest) {
  const AttributeValue* value = item.find(attribute);
  if (value == nullptr) return false;
  const Number* seconds = value->get_if<Number>();
  return seconds != nullptr && *seconds <= now && *seconds >= oldest;
}

}  // namespace

std::size_t Engine::sweep_expired_items() {
  const auto now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(state_->now().time_since_epoch()).count();
  const Number now(static_cast<std::int64_t>(now_seconds));
  const Number oldest(static_cast<std::int64_t>(now_seconds) - five_years_seconds);
  std::size_t deleted = 0;
  for (const auto& table : state_->all_tables()) {
    // Find candidates under the shared lock so that readers are not blocked meanwhile...
    std::vector<PrimaryKey> candidates;
    std::string attribute;
    {
      std::shared_lock lock(table->mutex);
      if (table->deleted || !table->ttl_attribute) continue;
      attribute = *table->ttl_attribute;
      for (const auto& [order, partition] : table->rows.ordered()) {
        for (const auto& [sort, stored] : partition) {
          if (expired(stored.item, attribute, now, oldest)) candidates.push_back(PrimaryKey{order.key, sort});
        }
      }
    }
    if (candidates.empty()) continue;
    // ...then delete them under the exclusive lock, re-checking each: a writer may have
    // extended or removed its TTL in between.
    std::unique_lock lock(table->mutex);
    if (table->deleted || table->ttl_attribute != attribute) continue;
    std::vector<PendingWrite> writes;
    for (auto& key : candidates) {
      const StoredItem* stored = table->find_item(key.partition, key.sort);
      if (stored == nullptr || !expired(stored->item, attribute, now, oldest)) continue;
      writes.push_back(PendingWrite{.table = table.get(), .key = std::move(key), .item = std::nullopt, .size = 0, .by_service = true});
    }
    deleted += writes.size();
    commit(*state_, writes);
  }
  return deleted;
}

}  // namespace dynamo::engine
