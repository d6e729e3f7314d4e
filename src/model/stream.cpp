// The untyped reader behind ChangeStream: which shards to read in which order, the
// iterator of each, the position, and waiting for records without busy polling.
#include <algorithm>
#include <thread>

#include "dynamo/log.hpp"
#include "dynamo/model/errors.hpp"
#include "dynamo/model/stream.hpp"

namespace dynamo::detail {

namespace {

// Sequence numbers are decimal strings of any length: compare them as numbers.
bool sequence_less(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return a.size() < b.size();
  return a < b;
}

bool is_error(const Error& e, std::string_view code) { return e.code() == code; }

}  // namespace

struct StreamCursor::State {
  struct ShardState {
    std::string id;
    std::string parent;
    std::optional<std::string> ending;  // set once the shard is closed
    std::optional<std::string> iterator;
    bool drained = false;
    bool initial = false;  // listed when the reader started
  };

  Connection connection;
  ChangeStreamOptions options;
  std::string arn;
  StreamPosition position;
  bool lost = false;
  bool closed = false;
  bool described = false;
  std::vector<ShardState> shards;  // in DescribeStream order: parents before children
  std::chrono::milliseconds backoff{0};

  State(Connection c, ChangeStreamOptions o) : connection(std::move(c)), options(std::move(o)) {
    position = options.position;
  }

  ShardState* find(const std::string& id) {
    auto it = std::find_if(shards.begin(), shards.end(), [&](const ShardState& s) { return s.id == id; });
    return it == shards.end() ? nullptr : &*it;
  }

  // Reads the stream's shards, adding new ones; the first time, shards closed before the
  // reader started are skipped when it starts at LATEST.
  void describe() {
    std::optional<std::string> start;
    do {
      auto response = connection.describe_stream({.stream_arn = arn, .exclusive_start_shard_id = start});
      const api::StreamDescription& description = *response.stream_description;
      closed = description.stream_status == api::StreamStatus::disabled;
      for (const api::Shard& shard : description.shards.value_or(std::vector<api::Shard>{})) {
        const std::string& id = shard.shard_id.value_or("");
        ShardState* known = find(id);
        if (known == nullptr) {
          shards.push_back(ShardState{.id = id, .parent = shard.parent_shard_id.value_or(""), .ending = std::nullopt,
                                      .iterator = std::nullopt, .drained = false, .initial = !described});
          known = &shards.back();
          if (!described && options.start == api::ShardIteratorType::latest && shard.sequence_number_range &&
              shard.sequence_number_range->ending_sequence_number && position.count(id) == 0) {
            known->drained = true;  // closed before we started: nothing "latest" in it
          }
        }
        if (shard.sequence_number_range && shard.sequence_number_range->ending_sequence_number) {
          known->ending = shard.sequence_number_range->ending_sequence_number;
          auto read = position.find(id);
          if (read != position.end() && !sequence_less(read->second, *known->ending)) known->drained = true;
        }
      }
      start = description.last_evaluated_shard_id;
    } while (start);
    described = true;
  }

  // A shard may be read once its parent is read to its end (or is no longer described).
  bool readable(const ShardState& shard) {
    if (shard.drained) return false;
    if (shard.parent.empty()) return true;
    const ShardState* parent = find(shard.parent);
    return parent == nullptr || parent->drained;
  }

  std::string iterator_for(const ShardState& shard) {
    api::GetShardIteratorRequest request{.stream_arn = arn, .shard_id = shard.id};
    auto read = position.find(shard.id);
    if (read != position.end()) {
      request.shard_iterator_type = api::ShardIteratorType::after_sequence_number;
      request.sequence_number = read->second;
    } else {
      // A shard seen at the start begins where the options say; one that appeared later
      // (a child of a shard read) is read from its beginning.
      request.shard_iterator_type = shard.initial ? options.start : api::ShardIteratorType::trim_horizon;
    }
    try {
      return *connection.get_shard_iterator(request).shard_iterator;
    } catch (const Error& e) {
      if (!is_error(e, error_code::trimmed_data_access)) throw;
      lost = true;
      log(LogLevel::warn, "stream",
          "records of shard " + shard.id + " expired before they were read; reading from the oldest record kept");
      request.shard_iterator_type = api::ShardIteratorType::trim_horizon;
      request.sequence_number.reset();
      return *connection.get_shard_iterator(request).shard_iterator;
    }
  }
};

StreamCursor::StreamCursor(Connection connection, const std::string& table_name, ChangeStreamOptions options)
    : state_(std::make_unique<State>(std::move(connection), std::move(options))) {
  if (state_->options.records_per_call < 1 || state_->options.records_per_call > 1000) {
    throw ModelUsageError("ChangeStreamOptions::records_per_call must be 1 to 1000, not " +
                          std::to_string(state_->options.records_per_call));
  }
  if (state_->options.stream_arn) {
    state_->arn = *state_->options.stream_arn;
  } else {
    auto description = state_->connection.describe_table({.table_name = table_name});
    if (!description.table || !description.table->latest_stream_arn) {
      throw ModelUsageError("table " + table_name +
                            " has no stream: create or update it with a StreamSpecification to read its changes");
    }
    state_->arn = *description.table->latest_stream_arn;
  }
  state_->describe();
}

StreamCursor::~StreamCursor() = default;
StreamCursor::StreamCursor(StreamCursor&&) noexcept = default;
StreamCursor& StreamCursor::operator=(StreamCursor&&) noexcept = default;

const StreamPosition& StreamCursor::position() const noexcept { return state_->position; }
const std::string& StreamCursor::stream_arn() const noexcept { return state_->arn; }
bool StreamCursor::records_lost() const noexcept { return state_->lost; }
bool StreamCursor::finished() const {
  return state_->closed && std::all_of(state_->shards.begin(), state_->shards.end(),
                                       [](const State::ShardState& s) { return s.drained; });
}

StreamCursor::Batch StreamCursor::next(std::chrono::milliseconds wait) {
  State& s = *state_;
  const auto deadline = std::chrono::steady_clock::now() + wait;
  Batch batch;
  bool refreshed = false;
  for (;;) {
    bool progressed = false;
    std::optional<std::string> waiting_on;  // an open shard's iterator, to wait on
    for (std::size_t i = 0; i < s.shards.size(); ++i) {
      if (!s.readable(s.shards[i])) continue;
      State::ShardState& shard = s.shards[i];
      if (!shard.iterator) shard.iterator = s.iterator_for(shard);
      api::GetRecordsResponse page;
      try {
        page = s.connection.get_records({.shard_iterator = *shard.iterator, .limit = s.options.records_per_call});
      } catch (const Error& e) {
        if (!is_error(e, error_code::expired_iterator) && !is_error(e, error_code::trimmed_data_access)) throw;
        s.shards[i].iterator.reset();  // renewed from the position on the next pass
        progressed = true;
        continue;
      }
      State::ShardState& current = s.shards[i];
      for (api::StreamRecord& record : page.records.value_or(std::vector<api::StreamRecord>{})) {
        if (record.dynamodb && record.dynamodb->sequence_number) {
          s.position[current.id] = *record.dynamodb->sequence_number;
        }
        batch.records.emplace_back(current.id, std::move(record));
      }
      current.iterator = page.next_shard_iterator;
      if (!current.iterator) {
        current.drained = true;  // closed and read to its end: its children come next
        progressed = true;
      } else if (!current.ending) {
        waiting_on = current.iterator;
      }
    }
    if (!batch.records.empty()) {
      s.backoff = std::chrono::milliseconds(0);
      return batch;
    }
    if (progressed) {
      s.describe();  // a drained shard: its children may be listed now
      continue;
    }
    if (!waiting_on && !refreshed) {
      // No open shard is being read: the stream may have rolled over to a new shard, or
      // closed. Look once per call before waiting.
      refreshed = true;
      s.describe();
      continue;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return batch;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    // Embedded: sleep until a write appends a record. Remote: poll with backoff.
    if (waiting_on && s.connection.backend().wait_for_stream_records(*waiting_on, left)) continue;
    if (waiting_on && std::chrono::steady_clock::now() >= deadline) return batch;
    s.backoff = s.backoff.count() == 0 ? s.options.first_backoff : std::min(s.backoff * 2, s.options.last_backoff);
    std::this_thread::sleep_for(std::min(s.backoff, left));
    refreshed = false;
  }
}

}  // namespace dynamo::detail
