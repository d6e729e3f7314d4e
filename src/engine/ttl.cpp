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

// Items examined per hold of a table's shared lock, and expired items deleted per hold of its
// exclusive lock: a sweep over a large table keeps that table's writers waiting for about a
// millisecond at a time, not for the whole table.
constexpr std::size_t ttl_sweep_chunk = 4096;
constexpr std::size_t ttl_delete_chunk = 100;

bool expired(const StoredItem& stored, const std::string& attribute, const Number& now, const Number& oldest) {
  const std::optional<Number> seconds = stored.packed.number_of(attribute);
  return seconds && *seconds <= now && *seconds >= oldest;
}

}  // namespace

std::size_t Engine::sweep_expired_items() {
  const auto now_seconds =
      std::chrono::duration_cast<std::chrono::seconds>(state_->now().time_since_epoch()).count();
  const Number now(static_cast<std::int64_t>(now_seconds));
  const Number oldest(static_cast<std::int64_t>(now_seconds) - five_years_seconds);
  std::size_t deleted = 0;
  for (const auto& table : state_->all_tables()) {
    std::string attribute;
    {
      std::shared_lock lock(table->mutex);
      if (table->deleted || !table->ttl_attribute) continue;
      attribute = *table->ttl_attribute;
    }
    // The table is examined in chunks, each under its shared lock (readers go on meanwhile;
    // writers wait for one chunk at most), resuming at the first item not yet examined.
    std::optional<PrimaryKey> resume;  // the first item not yet examined
    bool finished = false;
    while (!finished) {
      std::vector<PrimaryKey> candidates;
      {
        std::shared_lock lock(table->mutex);
        if (table->deleted || table->ttl_attribute != attribute) break;
        const PartitionMap<TableRows>& partitions = table->rows;
        auto partition = resume ? partitions.lower_bound(resume->partition) : partitions.begin();
        std::size_t examined = 0;
        std::optional<PrimaryKey> next;
        for (; partition != partitions.end() && !next; ++partition) {
          const TableRows& rows = partition->rows;
          auto row = rows.begin();
          // In the partition the last chunk stopped in, from the item it stopped at.
          if (resume && compare_keys(resume->partition, partition->key) == 0) row = rows.lower_bound(resume->sort);
          resume.reset();
          for (; row != rows.end(); ++row) {
            if (examined == ttl_sweep_chunk) {
              next = PrimaryKey{partition->key, row->first};
              break;
            }
            ++examined;
            if (expired(row->second, attribute, now, oldest)) {
              candidates.push_back(PrimaryKey{partition->key, row->first});
            }
          }
        }
        resume = std::move(next);
        finished = !resume;
      }
      // Expired items are deleted under the exclusive lock, a chunk at a time, each re-checked:
      // a writer may have extended or removed its TTL since.
      for (std::size_t first = 0; first < candidates.size(); first += ttl_delete_chunk) {
        std::unique_lock lock(table->mutex);
        if (table->deleted || table->ttl_attribute != attribute) break;
        std::vector<PendingWrite> writes;
        const std::size_t last = std::min(candidates.size(), first + ttl_delete_chunk);
        for (std::size_t i = first; i < last; ++i) {
          PrimaryKey& key = candidates[i];
          const StoredItem* stored = table->find_item(key.partition, key.sort);
          if (stored == nullptr || !expired(*stored, attribute, now, oldest)) continue;
          writes.push_back(
              PendingWrite{.table = table.get(), .key = std::move(key), .item = std::nullopt, .size = 0, .by_service = true});
        }
        deleted += writes.size();
        commit(*state_, writes);
      }
    }
  }
  return deleted;
}

}  // namespace dynamo::engine
