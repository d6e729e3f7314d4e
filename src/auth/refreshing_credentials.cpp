#include "dynamo/auth/refreshing_credentials.hpp"

#include <utility>

#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

bool same_credentials(const Credentials& a, const Credentials& b) {
  return a.access_key_id == b.access_key_id && a.session_token.reveal() == b.session_token.reveal();
}

}  // namespace

RefreshingCredentials::RefreshingCredentials(CredentialsCallback fetch, RefreshTiming timing, std::string source)
    : fetch_(std::move(fetch)), timing_(std::move(timing)), source_(std::move(source)) {
  if (!fetch_) {
    throw Error(std::string(error_code::invalid_configuration), "a credentials provider was given no function", 0);
  }
  std::unique_lock lock(mutex_);
  fetch_locked(lock, /*report_failure=*/true);
}

std::chrono::system_clock::time_point RefreshingCredentials::now() const {
  return timing_.clock ? timing_.clock() : std::chrono::system_clock::now();
}

RefreshingCredentials::Need RefreshingCredentials::need(std::chrono::system_clock::time_point at) const {
  if (!credentials_) return Need::now;
  if (!expiration_) return Need::nothing;
  // Right after a fetch, credentials that the source made short-lived are used as they
  // are until they actually expire, instead of asking the source on every call.
  const bool fetched_recently = at - last_fetch_ < timing_.retry_interval;
  if (at >= *expiration_ - timing_.stale) return fetched_recently && at < *expiration_ ? Need::nothing : Need::now;
  if (at >= *expiration_ - timing_.prefetch) return fetched_recently ? Need::nothing : Need::early;
  return Need::nothing;
}

void RefreshingCredentials::fetch_locked(std::unique_lock<std::mutex>& lock, bool report_failure) {
  fetching_ = true;
  ++fetches_;
  last_fetch_ = now();
  lock.unlock();
  ExpiringCredentials fresh;
  std::exception_ptr failure;
  try {
    fresh = fetch_();
    if (fresh.credentials.access_key_id.empty() || fresh.credentials.secret_access_key.empty()) {
      throw Error(std::string(error_code::missing_authentication_token),
                  "the credentials source " + (fresh.credentials.source.empty() ? source_ : fresh.credentials.source) +
                      " returned no access key id or no secret access key",
                  0);
    }
  } catch (...) {
    failure = std::current_exception();
  }
  lock.lock();
  fetching_ = false;
  ++generation_;
  if (failure) {
    last_failure_ = failure;
    fetched_.notify_all();
    if (report_failure) std::rethrow_exception(failure);
    return;
  }
  if (fresh.credentials.source.empty()) fresh.credentials.source = source_;
  credentials_ = std::make_shared<const Credentials>(std::move(fresh.credentials));
  expiration_ = fresh.expiration;
  last_failure_ = nullptr;
  fetched_.notify_all();
}

std::shared_ptr<const Credentials> RefreshingCredentials::current() {
  std::unique_lock lock(mutex_);
  const Need needed = need(now());
  if (needed == Need::nothing) return credentials_;
  if (fetching_) {
    // Early: the current credentials are still good, do not wait for the new ones.
    if (needed == Need::early && credentials_) return credentials_;
    const std::uint64_t waited_for = generation_;
    fetched_.wait(lock, [&] { return generation_ != waited_for; });
    if (last_failure_) std::rethrow_exception(last_failure_);
    return credentials_;
  }
  fetch_locked(lock, /*report_failure=*/needed == Need::now);
  return credentials_;
}

std::shared_ptr<const Credentials> RefreshingCredentials::refresh_rejected(const Credentials& rejected) {
  std::unique_lock lock(mutex_);
  if (credentials_ && !same_credentials(*credentials_, rejected)) return credentials_;  // already replaced
  if (fetching_) {
    const std::uint64_t waited_for = generation_;
    fetched_.wait(lock, [&] { return generation_ != waited_for; });
    if (last_failure_) std::rethrow_exception(last_failure_);
    return credentials_;
  }
  fetch_locked(lock, /*report_failure=*/true);
  return credentials_;
}

std::optional<std::chrono::system_clock::time_point> RefreshingCredentials::expiration() const {
  std::lock_guard lock(mutex_);
  return expiration_;
}

std::uint64_t RefreshingCredentials::fetch_count() const {
  std::lock_guard lock(mutex_);
  return fetches_;
}

}  // namespace dynamo::auth
