// Model batches: chunking to DynamoDB's limits, duplicate handling, and the resending of
// unprocessed keys and writes with backoff (include/dynamo/model/batch.hpp).
#include "dynamo/model/batch.hpp"

#include <thread>
#include <unordered_set>

#include "dynamo/client/errors.hpp"
#include "dynamo/codec/json.hpp"
#include "model/placeholders.hpp"

namespace dynamo::detail {
namespace {

constexpr std::size_t max_get_keys = 100;   // BatchGetItem
constexpr std::size_t max_batch_writes = 25;  // BatchWriteItem

// Before sending what DynamoDB handed back unprocessed: false when `retries` rounds in a row
// made no progress already (give up); otherwise waits with backoff and returns true. A
// round that got anything done starts the count (and the backoff) again, so a large batch
// against a throttled table keeps going while it advances.
bool next_round(const auth::RetryPolicy& policy, int& retries, bool progress) {
  if (progress) retries = 0;
  else if (retries >= policy.max_retry_attempts) return false;
  std::this_thread::sleep_for(policy.backoff_delay(retries++, auth::system_jitter()));
  return true;
}

// The key attributes of `item` in canonical JSON: equal keys give equal strings.
std::string canonical_key(const Item& item, const std::vector<std::string>& key_names) {
  Item key;
  for (const std::string& name : key_names) {
    if (const AttributeValue* value = item.find(name)) key.insert_or_assign(name, *value);
  }
  return json::encode(key);
}

}  // namespace

std::vector<Item> batch_get(const Connection& connection, const std::string& table_name, std::vector<Item> keys,
                            const BatchGetOptions& options) {
  // DynamoDB refuses a request naming one key twice; a key asked for twice is read once.
  {
    std::unordered_set<std::string> seen;
    std::vector<Item> unique;
    unique.reserve(keys.size());
    for (Item& key : keys) {
      if (seen.insert(json::encode(key)).second) unique.push_back(std::move(key));
    }
    keys = std::move(unique);
  }
  api::KeysAndAttributes shape;
  if (options.consistent_read) shape.consistent_read = true;
  expr::Placeholders placeholders;
  shape.projection_expression = projection_of(options.attributes_to_get, placeholders);
  set_placeholders(shape, placeholders);

  std::vector<Item> found;
  std::vector<Item> waiting;  // unprocessed keys handed back, sent before the rest
  std::size_t next = 0;
  int retries = 0;  // rounds in a row in which DynamoDB read none of the keys sent
  while (next < keys.size() || !waiting.empty()) {
    api::KeysAndAttributes request_keys = shape;
    request_keys.keys = std::move(waiting);
    waiting.clear();
    while (request_keys.keys.size() < max_get_keys && next < keys.size()) request_keys.keys.push_back(std::move(keys[next++]));
    const std::size_t asked = request_keys.keys.size();
    api::BatchGetItemRequest request;
    request.request_items.emplace(table_name, std::move(request_keys));
    auto response = connection.batch_get_item(request);
    if (response.responses) {
      if (auto it = response.responses->find(table_name); it != response.responses->end()) {
        for (Item& item : it->second) found.push_back(std::move(item));
      }
    }
    if (response.unprocessed_keys) {
      if (auto it = response.unprocessed_keys->find(table_name); it != response.unprocessed_keys->end()) {
        waiting = std::move(it->second.keys);
      }
    }
    if (waiting.empty()) continue;
    if (!next_round(options.retry, retries, waiting.size() < asked)) {
      // Give back everything not read: the unprocessed keys and those never sent.
      for (std::size_t i = next; i < keys.size(); ++i) waiting.push_back(std::move(keys[i]));
      const std::size_t count = waiting.size();
      throw BatchIncomplete("BatchGetItem on " + table_name + ": " + std::to_string(count) +
                                " keys still unprocessed after " + std::to_string(retries) + " retries",
                            std::move(waiting), {});
    }
  }
  return found;
}

BatchWriteCore::BatchWriteCore(Connection connection, std::string table_name, std::vector<std::string> key_names,
                               BatchWriteOptions options)
    : connection_(std::move(connection)),
      table_name_(std::move(table_name)),
      key_names_(std::move(key_names)),
      options_(std::move(options)) {}

void BatchWriteCore::put(Item item) {
  std::string key = canonical_key(item, key_names_);
  add(api::WriteRequest{.put_request = api::PutRequest{.item = std::move(item)}}, std::move(key));
}

void BatchWriteCore::remove(Item key) {
  std::string canonical = canonical_key(key, key_names_);
  add(api::WriteRequest{.delete_request = api::DeleteRequest{.key = std::move(key)}}, std::move(canonical));
}

void BatchWriteCore::add(api::WriteRequest write, std::string key) {
  // DynamoDB refuses two writes to one key in a request: a repeated key starts the next one.
  if (pending_.empty() || pending_.back().size() == max_batch_writes || open_keys_.contains(key)) {
    if (options_.auto_commit) flush();
    pending_.emplace_back();
    open_keys_.clear();
  }
  open_keys_.insert(std::move(key));
  pending_.back().push_back(std::move(write));
  ++pending_count_;
  if (options_.auto_commit && pending_.back().size() == max_batch_writes) flush();
}

void BatchWriteCore::flush() {
  std::vector<std::vector<api::WriteRequest>> requests = std::move(pending_);
  pending_.clear();
  open_keys_.clear();
  pending_count_ = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    try {
      send(std::move(requests[i]));
    } catch (const BatchIncomplete& e) {
      if (i + 1 == requests.size()) throw;
      // What was never sent was not done either.
      std::vector<api::WriteRequest> left = e.unprocessed_writes();
      for (std::size_t j = i + 1; j < requests.size(); ++j)
        for (api::WriteRequest& write : requests[j]) left.push_back(std::move(write));
      const std::size_t count = left.size();
      throw BatchIncomplete("BatchWriteItem on " + table_name_ + ": " + std::to_string(count) +
                                " writes not applied (" + std::string(e.message()) + ")",
                            {}, std::move(left));
    }
  }
}

void BatchWriteCore::send(std::vector<api::WriteRequest> writes) {
  int retries = 0;  // rounds in a row in which DynamoDB applied none of the writes sent
  for (;;) {
    const std::size_t sent = writes.size();
    api::BatchWriteItemRequest request;
    request.request_items.emplace(table_name_, std::move(writes));
    auto response = connection_.batch_write_item(request);
    writes.clear();
    if (response.unprocessed_items) {
      if (auto it = response.unprocessed_items->find(table_name_); it != response.unprocessed_items->end()) {
        writes = std::move(it->second);
      }
    }
    written_ += sent - writes.size();
    if (writes.empty()) return;
    if (!next_round(options_.retry, retries, writes.size() < sent)) {
      const std::size_t count = writes.size();
      throw BatchIncomplete("BatchWriteItem on " + table_name_ + ": " + std::to_string(count) +
                                " writes still unprocessed after " + std::to_string(retries) + " retries",
                            {}, std::move(writes));
    }
  }
}

}  // namespace dynamo::detail
