// Model batches: chunking to DynamoDB's limits, duplicate handling, and the resending of
// unprocessed keys and writes with backoff (include/dynamo/model/batch.hpp).
#include "dynamo/model/batch.hpp"

#include <exception>
#include <string>
#include <thread>
#include <unordered_set>

#include "dynamo/client/errors.hpp"
#include "dynamo/codec/json.hpp"
#include "dynamo/limits.hpp"
#include "model/placeholders.hpp"

namespace dynamo::detail {
namespace {

constexpr std::size_t max_batch_writes = limits::batch_write_items;

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

// Whether a BatchWriteItem that failed with `error` may have been applied: no usable answer
// came back (the transport gave up on the connection or on the checksum, the answer could
// not be read) or the service failed on its side (5xx), as opposed to an answer refusing the
// request (4xx), which applied nothing.
bool outcome_unknown(const Error& error) {
  const std::string& code = error.code();
  return code == error_code::connection_error || code == error_code::checksum_error ||
         code == error_code::invalid_response || error.http_status() >= 500;
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

BatchGetReader::BatchGetReader(Connection connection, std::string table_name, std::vector<Item> keys,
                               const BatchGetOptions& options)
    : connection_(std::move(connection)), table_name_(std::move(table_name)), retry_(options.retry) {
  // DynamoDB refuses a request naming one key twice; a key asked for twice is read once.
  std::unordered_set<std::string> seen;
  keys_.reserve(keys.size());
  for (Item& key : keys) {
    if (seen.insert(json::encode(key)).second) keys_.push_back(std::move(key));
  }
  if (options.consistent_read) shape_.consistent_read = true;
  expr::Placeholders placeholders;
  shape_.projection_expression = projection_of(options.attributes_to_get, placeholders);
  set_placeholders(shape_, placeholders);
}

Item* BatchGetReader::next() {
  while (position_ >= page_.size()) {
    if (!fetch()) return nullptr;
  }
  return &page_[position_++];
}

bool BatchGetReader::fetch() {
  if (waiting_.empty() && next_ >= keys_.size()) return false;
  // The wait for keys the last response left is taken here, when the loop wants more, not
  // as that response arrives: its items are handed out without delay, and a loop that
  // stops there never waits.
  if (backoff_due_ && !waiting_.empty() && !next_round(retry_, retries_, progress_)) give_up();
  backoff_due_ = false;

  // Keys handed back go first, then new ones, up to DynamoDB's limit per request.
  api::KeysAndAttributes request_keys = shape_;
  request_keys.keys = std::move(waiting_);
  waiting_.clear();
  while (request_keys.keys.size() < limits::batch_get_keys && next_ < keys_.size()) {
    request_keys.keys.push_back(std::move(keys_[next_++]));
  }
  const std::size_t asked = request_keys.keys.size();
  api::BatchGetItemRequest request;
  auto& sent = request.request_items.emplace(table_name_, std::move(request_keys)).first->second.keys;
  api::BatchGetItemResponse response;
  try {
    response = connection_.batch_get_item(request);
  } catch (...) {
    // Nothing of this request was read: its keys wait for the next call.
    waiting_ = std::move(sent);
    throw;
  }
  ++requests_;
  page_.clear();
  position_ = 0;
  if (response.responses) {
    if (auto it = response.responses->find(table_name_); it != response.responses->end()) page_ = std::move(it->second);
  }
  if (response.unprocessed_keys) {
    if (auto it = response.unprocessed_keys->find(table_name_); it != response.unprocessed_keys->end()) {
      waiting_ = std::move(it->second.keys);
    }
  }
  backoff_due_ = !waiting_.empty();
  progress_ = waiting_.size() < asked;
  if (!backoff_due_) retries_ = 0;
  return true;
}

void BatchGetReader::give_up() {
  // Everything not read: the keys handed back and those never sent. They stay queued, and
  // a later call starts a fresh round of retries with them.
  std::vector<Item> left = waiting_;
  left.insert(left.end(), keys_.begin() + static_cast<std::ptrdiff_t>(next_), keys_.end());
  const int retries = retries_;
  retries_ = 0;
  const std::size_t count = left.size();
  throw BatchIncomplete("BatchGetItem on " + table_name_ + ": " + std::to_string(count) +
                            " keys still unprocessed after " + std::to_string(retries) + " retries",
                        std::move(left), {});
}

std::vector<Item> batch_get(const Connection& connection, const std::string& table_name, std::vector<Item> keys,
                            const BatchGetOptions& options) {
  BatchGetReader reader(connection, table_name, std::move(keys), options);
  std::vector<Item> found;
  while (Item* item = reader.next()) found.push_back(std::move(*item));
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
    if (options_.auto_commit && !pending_.empty()) {
      std::vector<std::vector<api::WriteRequest>> requests = std::move(pending_);
      pending_.clear();
      pending_count_ = 0;
      send_all(std::move(requests), {write});  // if they fail, `write` is not applied either
    }
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
  send_all(std::move(requests), {});
}

void BatchWriteCore::send_all(std::vector<std::vector<api::WriteRequest>> requests,
                              std::vector<api::WriteRequest> held_back) {
  for (std::size_t i = 0; i < requests.size(); ++i) {
    try {
      send(std::move(requests[i]));
    } catch (const BatchIncomplete& e) {
      if (i + 1 == requests.size() && held_back.empty()) throw;
      // What was never sent was not applied either.
      std::vector<api::WriteRequest> left = e.unprocessed_writes();
      for (std::size_t j = i + 1; j < requests.size(); ++j)
        for (api::WriteRequest& write : requests[j]) left.push_back(std::move(write));
      for (api::WriteRequest& write : held_back) left.push_back(std::move(write));
      const std::size_t count = left.size();
      throw BatchIncomplete("BatchWriteItem on " + table_name_ + ": " + std::to_string(count) + " writes not applied" +
                                (e.unknown_writes().empty()
                                     ? ""
                                     : ", " + std::to_string(e.unknown_writes().size()) + " in doubt") +
                                " (" + std::string(e.message()) + ")",
                            {}, std::move(left), e.unknown_writes(), e.cause(), e.cause_code());
    }
  }
}

void BatchWriteCore::send(std::vector<api::WriteRequest> writes) {
  int retries = 0;  // rounds in a row in which DynamoDB applied none of the writes sent
  for (;;) {
    const std::size_t sent = writes.size();
    api::BatchWriteItemRequest request;
    std::vector<api::WriteRequest>& sent_writes = request.request_items.emplace(table_name_, std::move(writes)).first->second;
    api::BatchWriteItemResponse response;
    // A request that failed: its writes were refused, or may or may not have been applied.
    const auto failed = [&](std::string code, std::string_view why, bool unknown) {
      const std::size_t count = sent_writes.size();
      std::string message = "BatchWriteItem on " + table_name_ + ": " + std::to_string(count) + " writes " +
                            (unknown ? "may or may not have been applied" : "not applied") + ": " + std::string(why);
      std::vector<api::WriteRequest> in_request = std::move(sent_writes);
      throw BatchIncomplete(std::move(message), {}, unknown ? std::vector<api::WriteRequest>{} : std::move(in_request),
                            unknown ? std::move(in_request) : std::vector<api::WriteRequest>{}, std::current_exception(),
                            std::move(code));
    };
    try {
      response = connection_.batch_write_item(request);
    } catch (const Error& e) {
      failed(e.code(), e.message(), outcome_unknown(e));
    } catch (const std::exception& e) {
      failed(std::string(error_code::unexpected), e.what(), true);
    } catch (...) {
      failed(std::string(error_code::unexpected), "an exception that is not a std::exception", true);
    }
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

namespace dynamo {

std::vector<Item> batch_get(const TableConnection& table, std::vector<Item> keys, const BatchGetOptions& options) {
  return detail::batch_get(table.connection(), table.table_name(), std::move(keys), options);
}

BatchGetResults<Item> batch_get_lazy(const TableConnection& table, std::vector<Item> keys,
                                     const BatchGetOptions& options) {
  return BatchGetResults<Item>(
      std::make_shared<detail::BatchGetReader>(table.connection(), table.table_name(), std::move(keys), options));
}

}  // namespace dynamo
