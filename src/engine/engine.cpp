// Engine construction (loading from a DurableStore) and destruction (stopping the sweeper).
#include <algorithm>

#include "dynamo/api/codec.hpp"
#include "dynamo/codec/json.hpp"
#include "dynamo/value/item_size.hpp"
#include "engine/state.hpp"

namespace dynamo::engine {

using namespace detail;

namespace {

// Rebuilds tables and items from a store at open.
class StateLoader final : public DurableStore::Loader {
 public:
  explicit StateLoader(Engine::State& state) : state_(state), now_(state.now()) {}

  void on_table(const StoredTable& stored) override {
    auto response = api::decode<api::DescribeTableResponse>(stored.description_json);
    check_stored_key_schemas(response.table.value_or(api::TableDescription{}));
    auto table = build_table(response.table.value_or(api::TableDescription{}));
    if (!stored.ttl_attribute.empty()) table->ttl_attribute = stored.ttl_attribute;
    // Tags travel in the same text (Engine::State::persist_table).
    const auto tags = api::decode<api::ListTagsOfResourceResponse>(stored.description_json);
    for (const api::Tag& tag : tags.tags.value_or(std::vector<api::Tag>{})) table->tags[tag.key] = tag.value;
    state_.tables[table->name] = std::move(table);
  }

  void on_item(std::string_view table_name, std::string_view item_json) override {
    auto it = state_.tables.find(table_name);
    if (it == state_.tables.end()) {
      throw Error(std::string(dynamo::error_code::internal_server_error),
                  "DurableStore reported an item of unknown table " + std::string(table_name), 500);
    }
    Table& table = *it->second;
    Item item = json::decode_item(item_json);
    // Only the primary key is checked: every item was validated when it was written, and an
    // index added since may name attributes some items hold with another type or empty. Such
    // items are not in that index, exactly as UpdateTable's backfill left them out
    // (Index::covers), so the data directory always reopens.
    const AttributeValue* partition = stored_key(table, item, table.key.partition);
    const AttributeValue* sort = table.key.sort ? stored_key(table, item, *table.key.sort) : nullptr;
    const std::size_t size = item_size(item);
    table.store_item(*partition, sort ? *sort : AttributeValue(), item, size);
  }

  void on_stream(const StoredStream& stored) override {
    auto stream = decode_stream(stored.description_json);
    state_.streams[stream->arn] = std::move(stream);
  }

  void on_stream_record(std::string_view stream_arn, std::string_view record_json) override {
    auto it = state_.streams.find(stream_arn);
    if (it == state_.streams.end()) {
      throw Error(std::string(dynamo::error_code::internal_server_error),
                  "DurableStore reported a record of unknown stream " + std::string(stream_arn), 500);
    }
    Stream& stream = *it->second;
    auto response = api::decode<api::GetRecordsResponse>(record_json);
    if (!response.records || response.records->size() != 1 || !response.records->front().dynamodb) {
      throw Error(std::string(dynamo::error_code::internal_server_error),
                  "DurableStore holds a malformed record of stream " + stream.arn, 500);
    }
    StreamEntry entry;
    entry.record = std::move(response.records->front());
    const api::StreamRecordData& data = *entry.record.dynamodb;
    const auto sequence = parse_sequence(data.sequence_number.value_or(""));
    // The shard a record belongs to is the last one starting at or before it.
    auto shard = std::find_if(stream.shards.rbegin(), stream.shards.rend(),
                              [&](const StreamShard& s) { return sequence && s.first <= *sequence; });
    if (!sequence || shard == stream.shards.rend()) {
      throw Error(std::string(dynamo::error_code::internal_server_error),
                  "DurableStore holds a record outside every shard of stream " + stream.arn, 500);
    }
    entry.sequence = *sequence;
    // The stored state's counter is written when shards change, not at every record.
    stream.next_sequence = std::max(stream.next_sequence, entry.sequence + 1);
    entry.bytes = static_cast<std::size_t>(data.size_bytes.value_or(0));
    entry.at = std::chrono::system_clock::time_point(std::chrono::milliseconds(
        static_cast<std::int64_t>(data.approximate_creation_date_time.value_or(0) * 1000)));
    // Records trimmed before the restart leave a gap at the front of the shard.
    if (shard->entries.empty() && shard->first < entry.sequence) shard->dropped_through = entry.sequence - 1;
    shard->entries.push_back(std::move(entry));
  }

  // Tokens younger than 10 minutes come back; older ones are left for Engine::State::expire_tokens.
  void on_token(const StoredToken& stored) override { (void)state_.idempotency.restore(stored, now_); }

  // After loading: each table with an enabled stream gets its open stream back.
  void link_streams() {
    for (auto& [name, table] : state_.tables) {
      const auto& spec = table->meta.stream_specification;
      if (!spec || !spec->stream_enabled || !table->meta.latest_stream_arn) continue;
      auto it = state_.streams.find(*table->meta.latest_stream_arn);
      if (it != state_.streams.end() && !it->second->closed) table->stream = it->second;
    }
  }

 private:
  // The stored item's key attribute; a store whose item lacks it (or holds another type) is
  // damaged, which is reported rather than guessed around.
  static const AttributeValue* stored_key(const Table& table, const Item& item, const KeyAttribute& attribute) {
    const AttributeValue* value = item.find(attribute.name);
    if (value == nullptr || value->type() != attribute.type) {
      throw Error(std::string(dynamo::error_code::internal_server_error),
                  "DurableStore holds an item of table " + table.name + " without a valid key attribute " +
                      attribute.name,
                  500);
    }
    return value;
  }

  Engine::State& state_;
  const std::chrono::system_clock::time_point now_;
};

}  // namespace

Engine::Engine() : Engine(EngineOptions{}) {}

Engine::Engine(EngineOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
  if (state_->options.store) {
    StateLoader loader(*state_);
    state_->options.store->load(loader);
    loader.link_streams();
    try {
      state_->expire_tokens();  // drops the expired tokens the store still held
    } catch (const Error&) {
      // Not a reason to refuse opening: the sweeper tries again.
    }
  }
  if (state_->options.ttl_sweep_interval.count() > 0) {
    state_->sweeper = std::thread([this] {
      std::unique_lock lock(state_->sweeper_mutex);
      while (!state_->stopping) {
        state_->sweeper_wake.wait_for(lock, state_->options.ttl_sweep_interval, [this] { return state_->stopping; });
        if (state_->stopping) break;
        lock.unlock();
        try {
          (void)sweep_expired_items();
          (void)trim_streams();
          state_->expire_tokens();
        } catch (...) {
          // A failing store must not end the sweeper: the items stay and the next sweep retries.
        }
        lock.lock();
      }
    });
  }
}

Engine::~Engine() {
  if (state_->sweeper.joinable()) {
    {
      std::lock_guard lock(state_->sweeper_mutex);
      state_->stopping = true;
    }
    state_->sweeper_wake.notify_all();
    state_->sweeper.join();
  }
}

}  // namespace dynamo::engine
