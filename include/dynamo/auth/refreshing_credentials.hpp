// Temporary credentials kept fresh: a cache in front of any function that fetches them.
//
// STS, the container endpoint, instance metadata, SSO and credential_process all hand out
// credentials that expire. RefreshingCredentials fetches once when built, then again
// shortly before the expiry: from `prefetch` ahead (default 5 minutes) one caller fetches
// while the others keep signing with the current, still valid credentials; from `stale`
// ahead (default 1 minute) every caller waits for the new ones. Either way exactly one fetch
// is in flight however many threads ask, and callers that waited for a failed fetch all
// receive that fetch's error rather than each trying again.
//
// A user-supplied source is just a CredentialsCallback:
//
//   auto provider = std::make_shared<dynamo::auth::RefreshingCredentials>([] {
//     dynamo::auth::ExpiringCredentials fresh;
//     fresh.credentials = my_vault_lookup();                 // key id, secret, token
//     fresh.expiration = std::chrono::system_clock::now() + std::chrono::hours(1);
//     return fresh;
//   });
//   std::shared_ptr<const dynamo::auth::Credentials> now = provider->current();
//
// ExpiringCredentials and CredentialsCallback are declared in credentials.hpp, because
// AwsConfigOverrides::credentials_provider takes one.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "dynamo/auth/credentials.hpp"

namespace dynamo::auth {

struct RefreshTiming {
  // From this long before the expiry, the first caller fetches new credentials while the
  // others go on with the current ones. A failed early fetch is not reported: the current
  // credentials still work, and the next caller after `retry_interval` tries again.
  std::chrono::seconds prefetch{std::chrono::minutes(5)};
  // From this long before the expiry, callers wait for new credentials; a failure is thrown.
  std::chrono::seconds stale{std::chrono::minutes(1)};
  // The least time between two fetches while the current credentials are still valid, so
  // that a source handing out short-lived credentials (expiring within `prefetch`) is not
  // asked on every call.
  std::chrono::seconds retry_interval{10};
  // The clock; tests move it. Empty: std::chrono::system_clock::now.
  std::function<std::chrono::system_clock::time_point()> clock{};
};

class RefreshingCredentials {
 public:
  // Fetches at once, so that a source that does not work is found out here; throws what
  // `fetch` throws. `source` names the source when the fetched credentials leave their
  // own `source` empty.
  explicit RefreshingCredentials(CredentialsCallback fetch, RefreshTiming timing = {}, std::string source = {});

  RefreshingCredentials(const RefreshingCredentials&) = delete;
  RefreshingCredentials& operator=(const RefreshingCredentials&) = delete;

  // The credentials to sign with now, refreshed first when they are (nearly) expired, as
  // described at the top. Thread-safe.
  [[nodiscard]] std::shared_ptr<const Credentials> current();

  // For a request the service rejected with ExpiredTokenException: fetches new credentials
  // unless another thread already replaced `rejected`, and returns the ones to retry with.
  // Thread-safe; concurrent callers with the same `rejected` share one fetch.
  [[nodiscard]] std::shared_ptr<const Credentials> refresh_rejected(const Credentials& rejected);

  // When the current credentials expire; nullopt for credentials that do not.
  [[nodiscard]] std::optional<std::chrono::system_clock::time_point> expiration() const;

  // How many fetches ran (successful or not), the first included. For tests and metrics.
  [[nodiscard]] std::uint64_t fetch_count() const;

 private:
  enum class Need { nothing, early, now };
  [[nodiscard]] Need need(std::chrono::system_clock::time_point now) const;
  [[nodiscard]] std::chrono::system_clock::time_point now() const;
  // Runs one fetch with the lock released; `lock` is held on entry and on return.
  void fetch_locked(std::unique_lock<std::mutex>& lock, bool report_failure);

  CredentialsCallback fetch_;
  RefreshTiming timing_;
  std::string source_;

  mutable std::mutex mutex_;
  std::condition_variable fetched_;
  std::shared_ptr<const Credentials> credentials_;
  std::optional<std::chrono::system_clock::time_point> expiration_;
  std::chrono::system_clock::time_point last_fetch_{};
  bool fetching_ = false;
  std::uint64_t generation_ = 0;  // counts finished fetches
  std::exception_ptr last_failure_;
  std::uint64_t fetches_ = 0;
};

}  // namespace dynamo::auth
