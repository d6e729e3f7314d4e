// ClientRequestToken records (idempotency.hpp), and DurableStore's defaults for a store
// that keeps no tokens.
#include "engine/idempotency.hpp"

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>

#include "dynamo/api/codec.hpp"
#include "dynamo/error.hpp"
#include "dynamo/error_codes.hpp"

namespace dynamo::engine::detail {

std::optional<api::TransactWriteItemsResponse> IdempotencyRecords::begin(const std::string& token,
                                                                         const api::TransactWriteItemsRequest& request,
                                                                         Clock::time_point now) {
  std::lock_guard lock(mutex_);
  expire_locked(now);
  auto it = records_.find(token);
  if (it == records_.end()) {
    records_.emplace(token, Record{request, {}, {}, false});
    return std::nullopt;
  }
  if (!(it->second.request == request)) {
    throw Error(std::string(error_code::idempotent_parameter_mismatch),
                "The request uses the same client token as a previous, but non-identical request.");
  }
  if (!it->second.finished) {
    throw Error(std::string(error_code::transaction_in_progress),
                "The transaction with the given request token is already in progress.");
  }
  return it->second.response;
}

void IdempotencyRecords::finish(const std::string& token, const api::TransactWriteItemsResponse& response,
                                Clock::time_point finished_at) {
  std::lock_guard lock(mutex_);
  Record& record = records_.at(token);
  record.response = response;
  record.finished_at = finished_at;
  record.finished = true;
  expiry_.push_back({finished_at, token});
}

void IdempotencyRecords::abandon(const std::string& token) {
  std::lock_guard lock(mutex_);
  records_.erase(token);
}

bool IdempotencyRecords::restore(const StoredToken& stored, Clock::time_point now) {
  // A time from 1970 to 2200: outside it a damaged record's time would overflow the clock's
  // nanoseconds (whose range ends in 2262) or the distance from now.
  constexpr std::int64_t latest_ms = 7'258'118'400'000;  // 2200-01-01T00:00:00Z
  if (stored.written_at_ms < 0 || stored.written_at_ms >= latest_ms) {
    throw Error(std::string(error_code::internal_server_error),
                "DurableStore holds a malformed ClientRequestToken record " + std::string(stored.token) +
                    ": its time, " + std::to_string(stored.written_at_ms) + " ms since 1970, is out of range",
                500);
  }
  const Clock::time_point finished_at = from_milliseconds(stored.written_at_ms);
  if (now - finished_at > window) {
    std::lock_guard lock(mutex_);
    store_trim_due_ = true;
    return false;
  }
  api::TransactWriteItemsRequest request;
  api::TransactWriteItemsResponse response;
  try {
    request = api::decode<api::TransactWriteItemsRequest>(stored.request_json);
    response = api::decode<api::TransactWriteItemsResponse>(stored.response_json);
  } catch (const Error& e) {
    throw Error(std::string(error_code::internal_server_error),
                "DurableStore holds a malformed ClientRequestToken record " + std::string(stored.token) + ": " + e.what(),
                500);
  }
  const std::string token(stored.token);
  std::lock_guard lock(mutex_);
  // A token used again after it expired may be stored twice until trimmed: the later use wins.
  auto [it, inserted] = records_.try_emplace(token);
  if (!inserted && it->second.finished_at >= finished_at) return true;
  it->second = Record{std::move(request), std::move(response), finished_at, true};
  // Stores report tokens roughly oldest first, so the place is nearly always the end.
  const auto place = std::upper_bound(expiry_.begin(), expiry_.end(), finished_at,
                                      [](Clock::time_point at, const Expiry& e) { return at < e.finished_at; });
  expiry_.insert(place, Expiry{finished_at, token});
  return true;
}

std::size_t IdempotencyRecords::expire(Clock::time_point now) {
  std::lock_guard lock(mutex_);
  const std::size_t before = records_.size();
  expire_locked(now);
  return before - records_.size();
}

void IdempotencyRecords::expire_locked(Clock::time_point now) {
  while (!expiry_.empty() && now - expiry_.front().finished_at > window) {
    auto it = records_.find(expiry_.front().token);
    // Only the record this entry was queued for: its token may have been used again since.
    if (it != records_.end() && it->second.finished && it->second.finished_at == expiry_.front().finished_at) {
      records_.erase(it);
      store_trim_due_ = true;
    }
    expiry_.pop_front();
  }
}

bool IdempotencyRecords::take_store_trim_due() {
  std::lock_guard lock(mutex_);
  return std::exchange(store_trim_due_, false);
}

void IdempotencyRecords::store_trim_failed() {
  std::lock_guard lock(mutex_);
  store_trim_due_ = true;
}

std::size_t IdempotencyRecords::size() const {
  std::lock_guard lock(mutex_);
  return records_.size();
}

}  // namespace dynamo::engine::detail

namespace dynamo::engine {

// ---- DurableStore's defaults: a store that keeps no tokens -----------------------------------

void DurableStore::Loader::on_token(const StoredToken& /*token*/) {}

void DurableStore::apply_with_token(std::span<const StoredItemChange> changes,
                                    std::span<const StoredStreamRecord> records, const StoredToken& /*token*/) {
  if (changes.empty() && records.empty()) return;
  apply_with_records(changes, records);
}

void DurableStore::trim_tokens(std::int64_t /*before_ms*/) {}

}  // namespace dynamo::engine
