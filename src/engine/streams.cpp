// DynamoDB Streams: the records a committed change appends, enabling and disabling a
// table's stream, retention, and the four operations of the Streams API (ListStreams,
// DescribeStream, GetShardIterator, GetRecords).
//
// The Streams API reference and the Developer Guide ("Change data capture for DynamoDB
// Streams") give the rules kept here: a write that changes nothing records nothing;
// records are kept 24 hours; a shard iterator is valid for 15 minutes; GetRecords returns
// at most 1,000 records or 1 MB; a closed shard, once read to its end, has no next
// iterator; disabling a stream closes it, enabling it again makes a new stream with a new
// ARN; a deleted table's stream stays readable until its records expire.
#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <ctime>

#include "dynamo/api/codec.hpp"
#include "dynamo/codec/json.hpp"
#include "engine/state.hpp"

namespace dynamo::engine {

using namespace detail;

namespace detail {

std::string format_sequence(std::uint64_t sequence) {
  char text[32];
  std::snprintf(text, sizeof text, "%021" PRIu64, sequence);
  return text;
}

std::optional<std::uint64_t> parse_sequence(std::string_view text) noexcept {
  if (text.empty() || text.size() > 21) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (UINT64_MAX - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

namespace {

using Clock = std::chrono::system_clock;

std::int64_t epoch_ms(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_epoch_ms(std::int64_t ms) { return Clock::time_point(std::chrono::milliseconds(ms)); }

// "2026-12-01T05:21:33.291": the label of a stream created at `t`, which ends its ARN.
std::string stream_label(Clock::time_point t) {
  const std::int64_t ms = epoch_ms(t);
  const std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[96];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03d", utc.tm_year + 1900, utc.tm_mon + 1,
                utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

// splitmix64: spreads a counter into well-mixed bits (event ids, shard id suffixes).
std::uint64_t mix(std::uint64_t x) noexcept {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t text_hash(std::string_view text) noexcept {
  std::uint64_t h = 1469598103934665603ULL;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  return h;
}

// "shardId-00000001764566493291-8f3a09c2": DynamoDB's shape, the creation time in
// milliseconds, then eight hex digits unique within the stream.
std::string shard_id(const Stream& stream, Clock::time_point created, std::uint64_t first) {
  char text[64];
  std::snprintf(text, sizeof text, "shardId-%020" PRId64 "-%08" PRIx64, epoch_ms(created),
                static_cast<std::uint64_t>(mix(text_hash(stream.arn) ^ first) & 0xffffffffU));
  return text;
}

std::string event_id(const Stream& stream, std::uint64_t sequence) {
  char text[40];
  const std::uint64_t salt = text_hash(stream.arn);
  std::snprintf(text, sizeof text, "%016" PRIx64 "%016" PRIx64, mix(salt ^ sequence), mix(salt + sequence));
  return text;
}

StreamShard& open_shard(Stream& stream, Clock::time_point now, const std::string& parent) {
  StreamShard shard;
  shard.parent_id = parent;
  shard.first = stream.next_sequence;
  shard.created = now;
  shard.id = shard_id(stream, now, shard.first);
  stream.shards.push_back(std::move(shard));
  return stream.shards.back();
}

// Closes the open shard: its range ends at the last sequence number taken (an empty shard
// takes one, so that every range is well formed).
void close_open_shard(Stream& stream) {
  if (stream.shards.empty() || stream.shards.back().last) return;
  StreamShard& shard = stream.shards.back();
  if (stream.next_sequence == shard.first) ++stream.next_sequence;
  shard.last = stream.next_sequence - 1;
}

// The shard records go to now, rolled over to a child shard when the open one has lived
// its four hours (the caller persists the stream when `rotated` comes back true).
StreamShard& writable_shard(Stream& stream, Clock::time_point now, bool& rotated) {
  StreamShard& current = stream.shards.back();
  if (now - current.created < shard_lifetime) return current;
  const std::string parent = current.id;
  close_open_shard(stream);
  rotated = true;
  return open_shard(stream, now, parent);
}

const Item& image_or_empty(const Item* item) {
  static const Item empty;
  return item != nullptr ? *item : empty;
}

}  // namespace

// The stored form: the engine's own DynamoDB JSON document of the stream, every shard
// with its range and creation time, and when the stream was closed.
std::string encode_stream(const Stream& stream) {
  Item out;
  out.insert_or_assign("arn", stream.arn);
  out.insert_or_assign("label", stream.label);
  out.insert_or_assign("table", stream.table_name);
  out.insert_or_assign("view", std::string(api::to_string(stream.view_type)));
  out.insert_or_assign("created", epoch_ms(stream.created));
  if (stream.closed) out.insert_or_assign("closed", epoch_ms(*stream.closed));
  out.insert_or_assign("next", stream.next_sequence);
  List keys;
  for (const auto& element : stream.key_schema) {
    Item key;
    key.insert_or_assign("name", element.attribute_name);
    key.insert_or_assign("type", std::string(api::to_string(element.key_type)));
    keys.emplace_back(std::move(key));
  }
  out.insert_or_assign("keys", std::move(keys));
  List shards;
  for (const auto& shard : stream.shards) {
    Item s;
    s.insert_or_assign("id", shard.id);
    if (!shard.parent_id.empty()) s.insert_or_assign("parent", shard.parent_id);
    s.insert_or_assign("first", shard.first);
    if (shard.last) s.insert_or_assign("last", *shard.last);
    s.insert_or_assign("created", epoch_ms(shard.created));
    shards.emplace_back(std::move(s));
  }
  out.insert_or_assign("shards", std::move(shards));
  return json::encode(out);
}

std::shared_ptr<Stream> decode_stream(std::string_view json) {
  const Item in = json::decode_item(json, "stream");
  auto text = [](const Item& item, std::string_view name) -> const std::string& {
    const AttributeValue* value = item.find(name);
    if (value == nullptr) throw Error(std::string(dynamo::error_code::internal_server_error), "stored stream lacks " + std::string(name), 500);
    return value->as_string();
  };
  auto number = [](const Item& item, std::string_view name) -> std::int64_t {
    const AttributeValue* value = item.find(name);
    if (value == nullptr) throw Error(std::string(dynamo::error_code::internal_server_error), "stored stream lacks " + std::string(name), 500);
    return value->as_number().to<std::int64_t>();
  };
  auto stream = std::make_shared<Stream>();
  stream->arn = text(in, "arn");
  stream->label = text(in, "label");
  stream->table_name = text(in, "table");
  if (!api::from_string(text(in, "view"), stream->view_type)) {
    throw Error(std::string(dynamo::error_code::internal_server_error), "stored stream has an unknown view type", 500);
  }
  stream->created = from_epoch_ms(number(in, "created"));
  if (in.find("closed") != nullptr) stream->closed = from_epoch_ms(number(in, "closed"));
  stream->next_sequence = static_cast<std::uint64_t>(number(in, "next"));
  if (const AttributeValue* keys = in.find("keys")) {
    for (const AttributeValue& key : keys->as_list()) {
      api::KeySchemaElement element{.attribute_name = text(key.as_map(), "name")};
      (void)api::from_string(text(key.as_map(), "type"), element.key_type);
      stream->key_schema.push_back(std::move(element));
    }
  }
  if (const AttributeValue* shards = in.find("shards")) {
    for (const AttributeValue& value : shards->as_list()) {
      const Item& s = value.as_map();
      StreamShard shard;
      shard.id = text(s, "id");
      if (s.find("parent") != nullptr) shard.parent_id = text(s, "parent");
      shard.first = static_cast<std::uint64_t>(number(s, "first"));
      if (s.find("last") != nullptr) shard.last = static_cast<std::uint64_t>(number(s, "last"));
      shard.created = from_epoch_ms(number(s, "created"));
      stream->shards.push_back(std::move(shard));
    }
  }
  return stream;
}

std::vector<PendingRecord> stream_records_of(const Engine::State& state, const std::vector<PendingWrite>& writes) {
  std::vector<PendingRecord> records;
  std::optional<Clock::time_point> stamp;  // read once, and only when a table has a stream
  for (const PendingWrite& write : writes) {
    Stream* stream = write.table->stream.get();
    if (stream == nullptr) continue;
    if (!stamp) stamp = state.now();
    const Clock::time_point now = *stamp;
    const StoredItem* old = write.table->find_item(write.key.partition, write.key.sort);
    if (old == nullptr && !write.item) continue;  // deleting nothing
    std::optional<Item> old_item;
    if (old != nullptr) old_item = old->unpack();
    if (old_item && write.item && *old_item == *write.item) continue;  // changing nothing

    PendingRecord pending;
    pending.stream = stream;
    StreamEntry& entry = pending.entry;
    entry.at = now;
    {
      std::lock_guard lock(stream->mutex);
      bool rotated = false;
      (void)writable_shard(*stream, now, rotated);
      if (rotated) state.persist_stream(*stream);
      entry.sequence = stream->next_sequence++;
    }
    pending.sequence = format_sequence(entry.sequence);

    const Item* new_item = write.item ? &*write.item : nullptr;
    api::StreamRecord& record = entry.record;
    record.event_id = event_id(*stream, entry.sequence);
    record.event_name = !old_item            ? api::OperationType::insert
                        : new_item == nullptr ? api::OperationType::remove
                                              : api::OperationType::modify;
    record.event_version = "1.1";
    record.event_source = "aws:dynamodb";
    record.aws_region = state.options.region;
    api::StreamRecordData data;
    data.approximate_creation_date_time =
        static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
    data.keys = key_item_of(*write.table, image_or_empty(new_item != nullptr ? new_item : old_item ? &*old_item : nullptr));
    std::size_t bytes = item_size(*data.keys);
    const auto view = stream->view_type;
    if (new_item != nullptr && (view == api::StreamViewType::new_image || view == api::StreamViewType::new_and_old_images)) {
      data.new_image = *new_item;
      bytes += write.size;
    }
    if (old_item && (view == api::StreamViewType::old_image || view == api::StreamViewType::new_and_old_images)) {
      data.old_image = std::move(*old_item);
      bytes += old->size;
    }
    data.sequence_number = pending.sequence;
    data.size_bytes = static_cast<std::int64_t>(bytes);
    data.stream_view_type = view;
    record.dynamodb = std::move(data);
    if (write.by_service) {
      record.user_identity = api::Identity{.principal_id = "dynamodb.amazonaws.com", .type = "Service"};
    }
    entry.bytes = bytes;
    if (state.options.store) {
      api::GetRecordsResponse one;
      one.records.emplace().push_back(record);
      pending.json = api::encode(one);
    }
    records.push_back(std::move(pending));
  }
  return records;
}

void append_stream_records(std::vector<PendingRecord>& records) {
  for (PendingRecord& pending : records) {
    Stream& stream = *pending.stream;
    {
      std::lock_guard lock(stream.mutex);
      stream.shards.back().entries.push_back(std::move(pending.entry));
    }
    stream.appended.notify_all();
  }
}

void check_stream_specification(const std::optional<api::StreamSpecification>& spec, const Table* table) {
  if (!spec) return;
  if (spec->stream_enabled && !spec->stream_view_type) {
    throw_validation("One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required");
  }
  if (table == nullptr) return;
  if (!spec->stream_enabled && spec->stream_view_type) {
    throw_validation("One or more parameter values were invalid: If stream is being disabled, then UpdateViewType must "
                     "not be specified");
  }
  if (spec->stream_enabled && table->stream) {
    throw_validation("Table already has an enabled stream: TableName: " + table->name);
  }
  if (!spec->stream_enabled && !table->stream) {
    throw_validation("Table has no stream to disable: TableName: " + table->name);
  }
}

namespace {

void close_stream(const Engine::State& state, Stream& stream) {
  {
    std::lock_guard lock(stream.mutex);
    if (stream.closed) return;
    close_open_shard(stream);
    stream.closed = state.now();
    state.persist_stream(stream);
  }
  stream.appended.notify_all();
}

}  // namespace

void apply_stream_specification(Engine::State& state, Table& table, api::TableDescription& meta,
                                const api::StreamSpecification& spec) {
  if (!spec.stream_enabled) {
    if (table.stream) close_stream(state, *table.stream);
    table.stream.reset();
    meta.stream_specification.reset();  // LatestStreamArn and LatestStreamLabel stay
    return;
  }
  auto stream = std::make_shared<Stream>();
  Clock::time_point created = state.now();
  stream->table_name = table.name;
  stream->view_type = spec.stream_view_type.value_or(api::StreamViewType::keys_only);
  stream->key_schema = meta.key_schema.value_or(std::vector<api::KeySchemaElement>{});
  {
    std::unique_lock lock(state.streams_mutex);
    // Two streams of one table created within a millisecond would share an ARN.
    for (;;) {
      stream->label = stream_label(created);
      stream->arn = meta.table_arn.value_or("") + "/stream/" + stream->label;
      if (state.streams.count(stream->arn) == 0) break;
      created += std::chrono::milliseconds(1);
    }
    stream->created = created;
    open_shard(*stream, created, {});
    {
      std::lock_guard stream_lock(stream->mutex);
      state.persist_stream(*stream);
    }
    state.streams.emplace(stream->arn, stream);
  }
  table.stream = stream;
  meta.stream_specification = spec;
  meta.latest_stream_arn = stream->arn;
  meta.latest_stream_label = stream->label;
}

void close_table_stream(const Engine::State& state, Table& table) {
  if (table.stream) close_stream(state, *table.stream);
  table.stream.reset();
}

}  // namespace detail

void Engine::State::persist_stream(const Stream& stream) const {
  if (options.store) options.store->put_stream(StoredStream{.arn = stream.arn, .description_json = encode_stream(stream)});
}

namespace {

using Clock = std::chrono::system_clock;

[[noreturn]] void stream_not_found(std::string_view arn) {
  throw_not_found("Requested resource not found: Stream: " + std::string(arn) + " not found");
}

std::shared_ptr<Stream> find_stream(const Engine::State& state, std::string_view arn) {
  std::shared_lock lock(state.streams_mutex);
  auto it = state.streams.find(arn);
  if (it == state.streams.end()) stream_not_found(arn);
  return it->second;
}

void check_stream_arn(std::string_view arn, ConstraintErrors& errors, std::string_view member) {
  if (arn.size() < 37) errors.add(arn, member, "Member must have length greater than or equal to 37");
  if (arn.size() > 1024) errors.add(arn, member, "Member must have length less than or equal to 1024");
}

void check_shard_id(std::string_view id, ConstraintErrors& errors, std::string_view member) {
  if (id.size() < 28) errors.add(id, member, "Member must have length greater than or equal to 28");
  if (id.size() > 65) errors.add(id, member, "Member must have length less than or equal to 65");
}

void check_range(const std::optional<int>& limit, int most, ConstraintErrors& errors) {
  if (!limit) return;
  if (*limit < 1) errors.add(std::to_string(*limit), "limit", "Member must have value greater than or equal to 1");
  if (*limit > most) {
    errors.add(std::to_string(*limit), "limit", "Member must have value less than or equal to " + std::to_string(most));
  }
}

// The oldest moment a record may have been written and still be kept.
Clock::time_point retention_horizon(const Engine::State& state) { return state.now() - stream_retention; }

// True when `shard` is still described: open, or holding records, or younger than retention.
bool shard_visible(const StreamShard& shard, Clock::time_point horizon) {
  return !shard.last || shard.created >= horizon ||
         std::any_of(shard.entries.begin(), shard.entries.end(), [&](const StreamEntry& e) { return e.at >= horizon; });
}

const StreamShard* find_shard(const Stream& stream, std::string_view id) {
  for (const auto& shard : stream.shards) {
    if (shard.id == id) return &shard;
  }
  return nullptr;
}

// The highest sequence number of `shard` whose record has been trimmed (or has aged past
// retention), or nullopt when none has.
std::optional<std::uint64_t> trimmed_through(const StreamShard& shard, Clock::time_point horizon) {
  std::optional<std::uint64_t> through;
  if (shard.dropped_through != 0) through = shard.dropped_through;
  for (const auto& entry : shard.entries) {
    if (entry.at >= horizon) break;
    through = entry.sequence;
  }
  return through;
}

// A shard iterator: "<stream arn>|<shard id>|<first sequence to read>|<created, ms>|<kind>",
// where kind is T for TRIM_HORIZON (which follows the horizon as records expire) and P for
// a fixed position. Opaque to callers, as DynamoDB's are.
struct ShardPosition {
  std::string arn;
  std::string shard;
  std::uint64_t from = 0;
  std::int64_t created_ms = 0;
  bool horizon = false;
};

std::string encode_iterator(const ShardPosition& p) {
  return p.arn + "|" + p.shard + "|" + std::to_string(p.from) + "|" + std::to_string(p.created_ms) + "|" +
         (p.horizon ? "T" : "P");
}

ShardPosition decode_iterator(std::string_view text) {
  auto invalid = [] { throw_validation("Invalid ShardIterator"); };
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t bar = text.find('|'); bar != std::string_view::npos; bar = text.find('|', start)) {
    parts.push_back(text.substr(start, bar - start));
    start = bar + 1;
  }
  parts.push_back(text.substr(start));
  if (parts.size() != 5 || (parts[4] != "T" && parts[4] != "P")) invalid();
  ShardPosition p;
  p.arn = std::string(parts[0]);
  p.shard = std::string(parts[1]);
  const auto from = parse_sequence(parts[2]);
  const auto created = parse_sequence(parts[3]);
  // A creation time after 2100 is no iterator of ours (and the clock, counting nanoseconds
  // in 64 bits, ends in 2262).
  constexpr std::uint64_t latest_ms = 4'102'444'800'000;
  if (!from || !created || *created > latest_ms) invalid();
  p.from = *from;
  p.created_ms = static_cast<std::int64_t>(*created);
  p.horizon = parts[4] == "T";
  return p;
}

std::string format_time(Clock::time_point t) {
  const std::time_t seconds = Clock::to_time_t(t);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a %b %d %H:%M:%S UTC %Y", &utc);
  return text;
}

}  // namespace

api::ListStreamsResponse Engine::list_streams(const api::ListStreamsRequest& request) {
  ConstraintErrors constraints;
  check_range(request.limit, 100, constraints);
  if (request.table_name) check_table_name(*request.table_name, constraints, "tableName");
  if (request.exclusive_start_stream_arn) {
    check_stream_arn(*request.exclusive_start_stream_arn, constraints, "exclusiveStartStreamArn");
  }
  constraints.throw_if_any();
  const auto limit = static_cast<std::size_t>(request.limit.value_or(100));
  api::ListStreamsResponse response;
  auto& streams = response.streams.emplace();
  std::shared_lock lock(state_->streams_mutex);
  auto it = request.exclusive_start_stream_arn ? state_->streams.upper_bound(*request.exclusive_start_stream_arn)
                                               : state_->streams.begin();
  for (; it != state_->streams.end(); ++it) {
    const Stream& stream = *it->second;
    if (request.table_name && stream.table_name != *request.table_name) continue;
    if (streams.size() == limit) {
      response.last_evaluated_stream_arn = streams.back().stream_arn;
      break;
    }
    streams.push_back({.stream_arn = stream.arn, .table_name = stream.table_name, .stream_label = stream.label});
  }
  return response;
}

api::DescribeStreamResponse Engine::describe_stream(const api::DescribeStreamRequest& request) {
  ConstraintErrors constraints;
  check_stream_arn(request.stream_arn, constraints, "streamArn");
  check_range(request.limit, 100, constraints);
  if (request.exclusive_start_shard_id) check_shard_id(*request.exclusive_start_shard_id, constraints, "exclusiveStartShardId");
  constraints.throw_if_any();
  const auto stream = find_stream(*state_, request.stream_arn);
  const auto limit = static_cast<std::size_t>(request.limit.value_or(100));
  const auto horizon = retention_horizon(*state_);

  api::StreamDescription description;
  description.stream_arn = stream->arn;
  description.stream_label = stream->label;
  description.stream_view_type = stream->view_type;
  description.creation_request_date_time = epoch_seconds(stream->created);
  description.table_name = stream->table_name;
  description.key_schema = stream->key_schema;
  auto& shards = description.shards.emplace();
  std::lock_guard lock(stream->mutex);
  description.stream_status = stream->closed ? api::StreamStatus::disabled : api::StreamStatus::enabled;
  auto it = stream->shards.begin();
  if (request.exclusive_start_shard_id) {
    it = std::find_if(stream->shards.begin(), stream->shards.end(),
                      [&](const StreamShard& s) { return s.id == *request.exclusive_start_shard_id; });
    if (it != stream->shards.end()) ++it;
  }
  for (; it != stream->shards.end(); ++it) {
    if (!shard_visible(*it, horizon)) continue;
    if (shards.size() == limit) {
      description.last_evaluated_shard_id = shards.back().shard_id;
      break;
    }
    api::Shard shard{.shard_id = it->id};
    shard.sequence_number_range = api::SequenceNumberRange{.starting_sequence_number = format_sequence(it->first)};
    if (it->last) shard.sequence_number_range->ending_sequence_number = format_sequence(*it->last);
    if (!it->parent_id.empty()) shard.parent_shard_id = it->parent_id;
    shards.push_back(std::move(shard));
  }
  return api::DescribeStreamResponse{.stream_description = std::move(description)};
}

api::GetShardIteratorResponse Engine::get_shard_iterator(const api::GetShardIteratorRequest& request) {
  ConstraintErrors constraints;
  check_stream_arn(request.stream_arn, constraints, "streamArn");
  check_shard_id(request.shard_id, constraints, "shardId");
  constraints.throw_if_any();
  const bool at_sequence = request.shard_iterator_type == api::ShardIteratorType::at_sequence_number ||
                           request.shard_iterator_type == api::ShardIteratorType::after_sequence_number;
  std::optional<std::uint64_t> sequence;
  if (at_sequence) {
    if (!request.sequence_number) {
      throw_validation("Must specify SequenceNumber for the ShardIteratorType " +
                       std::string(api::to_string(request.shard_iterator_type)));
    }
    sequence = parse_sequence(*request.sequence_number);
    if (!sequence) throw_validation("Invalid SequenceNumber: " + *request.sequence_number);
  }
  const auto stream = find_stream(*state_, request.stream_arn);
  const auto horizon = retention_horizon(*state_);
  std::lock_guard lock(stream->mutex);
  const StreamShard* shard = find_shard(*stream, request.shard_id);
  if (shard == nullptr || !shard_visible(*shard, horizon)) {
    throw_not_found("Requested resource not found: Shard does not exist");
  }
  ShardPosition position{.arn = stream->arn, .shard = shard->id, .from = shard->first,
                         .created_ms = epoch_ms(state_->now()), .horizon = false};
  switch (request.shard_iterator_type) {
    case api::ShardIteratorType::trim_horizon:
      position.horizon = true;
      break;
    case api::ShardIteratorType::latest:
      // Just after the newest record there is: a write committing right now (its number
      // taken, its record not yet appended) is read, not skipped.
      if (shard->last) {
        position.from = *shard->last + 1;
      } else if (!shard->entries.empty()) {
        position.from = shard->entries.back().sequence + 1;
      } else {
        position.from = std::max(shard->first, shard->dropped_through + 1);
      }
      break;
    case api::ShardIteratorType::at_sequence_number:
    case api::ShardIteratorType::after_sequence_number: {
      const std::uint64_t end = shard->last ? *shard->last : stream->next_sequence - 1;
      if (*sequence < shard->first || *sequence > end) {
        throw_validation("Invalid SequenceNumber " + *request.sequence_number + " for shard " + shard->id +
                         ": it is outside the shard's range");
      }
      const auto trimmed = trimmed_through(*shard, horizon);
      if (trimmed && *sequence <= *trimmed) {
        throw Error(std::string(error_code::trimmed_data_access),
                    "The record with SequenceNumber " + *request.sequence_number +
                        " is beyond the trim horizon of the shard: its data has expired");
      }
      position.from = request.shard_iterator_type == api::ShardIteratorType::at_sequence_number ? *sequence : *sequence + 1;
      break;
    }
  }
  return api::GetShardIteratorResponse{.shard_iterator = encode_iterator(position)};
}

api::GetRecordsResponse Engine::get_records(const api::GetRecordsRequest& request) {
  ConstraintErrors constraints;
  if (request.shard_iterator.empty()) constraints.add(request.shard_iterator, "shardIterator", "Member must have length greater than or equal to 1");
  if (request.shard_iterator.size() > 2048) {
    constraints.add(request.shard_iterator, "shardIterator", "Member must have length less than or equal to 2048");
  }
  check_range(request.limit, 1000, constraints);
  constraints.throw_if_any();
  ShardPosition position = decode_iterator(request.shard_iterator);
  const auto now = state_->now();
  const auto created = from_epoch_ms(position.created_ms);
  if (now - created > shard_iterator_lifetime) {
    throw Error(std::string(error_code::expired_iterator),
                "Iterator expired. The iterator was created at time " + format_time(created) + " while right now it is " +
                    format_time(now) + " which is further in the future than the tolerated delay of 900000 milliseconds.");
  }
  const auto stream = find_stream(*state_, position.arn);
  const auto horizon = now - stream_retention;
  const auto limit = static_cast<std::size_t>(request.limit.value_or(1000));
  constexpr std::size_t page_bytes = std::size_t{1} << 20;

  api::GetRecordsResponse response;
  auto& records = response.records.emplace();
  std::lock_guard lock(stream->mutex);
  const StreamShard* shard = find_shard(*stream, position.shard);
  if (shard == nullptr || !shard_visible(*shard, horizon)) {
    throw_not_found("Requested resource not found: Shard does not exist");
  }
  const auto trimmed = trimmed_through(*shard, horizon);
  if (trimmed && position.from <= *trimmed) {
    if (!position.horizon) {
      throw Error(std::string(error_code::trimmed_data_access),
                  "The shard iterator points at records beyond the trim horizon of the shard: their data has expired");
    }
    position.from = *trimmed + 1;
  }
  std::size_t bytes = 0;
  auto it = std::lower_bound(shard->entries.begin(), shard->entries.end(), position.from,
                             [](const StreamEntry& e, std::uint64_t s) { return e.sequence < s; });
  for (; it != shard->entries.end() && records.size() < limit; ++it) {
    if (!records.empty() && bytes + it->bytes > page_bytes) break;
    bytes += it->bytes;
    records.push_back(it->record);
    position.from = it->sequence + 1;
  }
  // A closed shard read to its end has no next iterator: its reader moves on to the children.
  const bool drained = shard->last && it == shard->entries.end();
  if (!drained) {
    position.horizon = false;
    position.created_ms = epoch_ms(now);
    response.next_shard_iterator = encode_iterator(position);
  }
  return response;
}

bool Engine::wait_for_records(std::string_view shard_iterator, std::chrono::milliseconds timeout) {
  const ShardPosition position = decode_iterator(shard_iterator);
  const auto stream = find_stream(*state_, position.arn);
  std::unique_lock lock(stream->mutex);
  auto ready = [&] {
    const StreamShard* shard = find_shard(*stream, position.shard);
    if (shard == nullptr || shard->last) return true;
    return !shard->entries.empty() && shard->entries.back().sequence >= position.from;
  };
  return stream->appended.wait_for(lock, timeout, ready);
}

std::size_t Engine::trim_streams() {
  const auto now = state_->now();
  const auto horizon = now - stream_retention;
  std::vector<std::shared_ptr<Stream>> streams;
  {
    std::shared_lock lock(state_->streams_mutex);
    for (const auto& [arn, stream] : state_->streams) streams.push_back(stream);
  }
  std::size_t trimmed = 0;
  std::vector<std::string> expired;
  for (const auto& stream : streams) {
    std::lock_guard lock(stream->mutex);
    std::optional<std::uint64_t> through;
    for (auto& shard : stream->shards) {
      while (!shard.entries.empty() && shard.entries.front().at < horizon) {
        through = shard.entries.front().sequence;
        shard.dropped_through = *through;
        shard.entries.pop_front();
        ++trimmed;
      }
    }
    const std::size_t before = stream->shards.size();
    std::erase_if(stream->shards, [&](const StreamShard& shard) { return !shard_visible(shard, horizon); });
    if (stream->closed && *stream->closed < horizon && stream->shards.empty()) {
      expired.push_back(stream->arn);
      continue;
    }
    // The state first: it keeps the stored sequence counter ahead of every number handed
    // out, which a reload could no longer learn from the records once they are trimmed.
    if (through || stream->shards.size() != before) state_->persist_stream(*stream);
    if (through && state_->options.store) state_->options.store->trim_stream(stream->arn, format_sequence(*through));
  }
  for (const auto& arn : expired) {
    if (state_->options.store) state_->options.store->delete_stream(arn);
    std::unique_lock lock(state_->streams_mutex);
    state_->streams.erase(arn);
  }
  return trimmed;
}

// ---- DurableStore's defaults: a store that keeps no streams ----------------------------------

namespace {
[[noreturn]] void store_without_streams() {
  throw Error(std::string(error_code::store_error), "this DurableStore does not persist DynamoDB Streams: override put_stream, "
                            "apply_with_records, trim_stream and delete_stream to enable streams on its tables",
              500);
}
}  // namespace

void DurableStore::apply_with_records(std::span<const StoredItemChange> changes,
                                      std::span<const StoredStreamRecord> records) {
  if (!records.empty()) store_without_streams();
  apply(changes);
}
void DurableStore::put_stream(const StoredStream& /*stream*/) { store_without_streams(); }
void DurableStore::trim_stream(std::string_view /*stream_arn*/, std::string_view /*last_sequence*/) {
  store_without_streams();
}
void DurableStore::delete_stream(std::string_view /*stream_arn*/) { store_without_streams(); }

}  // namespace dynamo::engine
