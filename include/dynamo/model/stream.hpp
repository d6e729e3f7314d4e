// dynamo::ChangeStream<Model> — a table's DynamoDB Stream read as typed change records.
//
//   dynamo::ChangeStream<Thread> changes(db);                  // the table of Thread's schema
//   for (;;) {
//     for (const dynamo::Change<Thread>& change : changes.next(std::chrono::seconds(5))) {
//       if (change.kind == dynamo::api::OperationType::remove) forget(change.keys);
//       else remember(*change.new_image);                      // a Thread (NEW_IMAGE streams)
//     }
//     save_somewhere(changes.position());                      // resume from here later
//   }
//
// The reader follows the stream's shards in order (a child shard only after its parent has
// been read to its end, as DynamoDB requires for per-item order), remembers how far it has
// read in each shard, and picks up where a saved position left off. next() returns as soon
// as changes are there; with none, it waits up to the given time: on the embedded engine
// without polling (it sleeps until a write appends a record), over HTTP by polling
// GetRecords with exponential backoff. Expired shard iterators are renewed from the
// position; when records the position points at have expired (older than 24 hours), reading
// restarts at the oldest record kept and records_lost() says so.
//
// For a polymorphic table, read it as ChangeStream<std::variant<Foo, Bar>>: each image comes
// back as the model its discriminator names. Images are decoded only when the stream's view
// type carries them (new_image for NEW_IMAGE and NEW_AND_OLD_IMAGES, old_image for OLD_IMAGE
// and NEW_AND_OLD_IMAGES); keys are always there, as an Item.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "dynamo/api/streams.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/model/serialize.hpp"

namespace dynamo {

// One change of one item.
template <class Model>
struct Change {
  api::OperationType kind{};  // insert, modify or remove
  Item keys{};
  std::optional<Model> new_image{};
  std::optional<Model> old_image{};
  std::string shard_id{};
  std::string sequence_number{};
  std::chrono::system_clock::time_point approximate_time{};
  bool by_time_to_live = false;  // a Time to Live deletion rather than a request
  api::StreamRecord record{};    // the record as DynamoDB returned it
};

// How far a reader has read: per shard id, the sequence number of the last record read.
using StreamPosition = std::map<std::string, std::string>;

struct ChangeStreamOptions {
  // Where reading starts in the shards open when the reader starts and absent from its
  // position: TRIM_HORIZON (every record kept, the default) or LATEST (only later changes).
  api::ShardIteratorType start = api::ShardIteratorType::trim_horizon;
  // A stream other than the table's latest one (e.g. a stream closed by disabling it).
  std::optional<std::string> stream_arn{};
  // The position to resume from (from position() of an earlier reader).
  StreamPosition position{};
  // Records per GetRecords call (1 to 1000).
  int records_per_call = 1000;
  // Polling delays over HTTP when a shard has nothing new: doubling from the first to the last.
  std::chrono::milliseconds first_backoff{50};
  std::chrono::milliseconds last_backoff{2000};
};

namespace detail {

// The untyped reader behind ChangeStream: shards, iterators, position, waiting.
class StreamCursor {
 public:
  StreamCursor(Connection connection, const std::string& table_name, ChangeStreamOptions options);
  ~StreamCursor();
  StreamCursor(StreamCursor&&) noexcept;
  StreamCursor& operator=(StreamCursor&&) noexcept;

  // Records with the shard each came from, oldest first; empty when `wait` passed first.
  struct Batch {
    std::vector<std::pair<std::string, api::StreamRecord>> records;
  };
  [[nodiscard]] Batch next(std::chrono::milliseconds wait);
  [[nodiscard]] const StreamPosition& position() const noexcept;
  [[nodiscard]] const std::string& stream_arn() const noexcept;
  [[nodiscard]] bool records_lost() const noexcept;
  [[nodiscard]] bool finished() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

template <class Model>
struct FirstModel {
  using type = Model;
};
template <class First, class... Rest>
struct FirstModel<std::variant<First, Rest...>> {
  using type = First;
};

}  // namespace detail

template <class Model>
class ChangeStream {
 public:
  // The stream of the table of Model's schema (of the first alternative for a variant).
  explicit ChangeStream(Connection connection, ChangeStreamOptions options = {})
      : cursor_(std::move(connection), schema_of<typename detail::FirstModel<Model>::type>().core().table_name,
                std::move(options)) {}

  // The changes that follow the position, oldest first (up to one GetRecords page per shard
  // read); waits up to `wait` for one when there are none yet, then returns empty.
  [[nodiscard]] std::vector<Change<Model>> next(std::chrono::milliseconds wait = std::chrono::milliseconds(0)) {
    std::vector<Change<Model>> changes;
    auto batch = cursor_.next(wait);
    changes.reserve(batch.records.size());
    for (auto& [shard, record] : batch.records) {
      Change<Model> change;
      change.kind = record.event_name.value_or(api::OperationType::modify);
      change.shard_id = shard;
      if (record.dynamodb) {
        const api::StreamRecordData& data = *record.dynamodb;
        change.keys = data.keys.value_or(Item{});
        if (data.new_image) change.new_image = deserialize<Model>(*data.new_image);
        if (data.old_image) change.old_image = deserialize<Model>(*data.old_image);
        change.sequence_number = data.sequence_number.value_or("");
        change.approximate_time = std::chrono::system_clock::time_point(std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::duration<double>(data.approximate_creation_date_time.value_or(0))));
      }
      change.by_time_to_live = record.user_identity && record.user_identity->type == "Service";
      change.record = std::move(record);
      changes.push_back(std::move(change));
    }
    return changes;
  }

  // How far this reader has read; pass it as ChangeStreamOptions::position to resume.
  [[nodiscard]] const StreamPosition& position() const noexcept { return cursor_.position(); }
  [[nodiscard]] const std::string& stream_arn() const noexcept { return cursor_.stream_arn(); }
  // True once records the reader had not read expired before it got to them.
  [[nodiscard]] bool records_lost() const noexcept { return cursor_.records_lost(); }
  // True when the stream is closed (disabled, or its table deleted) and every record read.
  [[nodiscard]] bool finished() const { return cursor_.finished(); }

 private:
  detail::StreamCursor cursor_;
};

}  // namespace dynamo
