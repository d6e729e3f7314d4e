// Shared set-up for the http tests: credentials, a transport aimed at a ScriptedServer,
// and a recorder for backoff sleeps so retry tests run without waiting.
#pragma once

#include <cstdlib>
#include <mutex>
#include <vector>

#include "dynamo/http/transport.hpp"
#include "scripted_server.hpp"

namespace dynamo::http::testing {

inline constexpr const char* test_access_key = "AKIDEXAMPLE";
inline constexpr const char* test_secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
inline constexpr const char* test_session_token = "SESSIONTOKEN/secret+value=";

inline auth::Credentials test_credentials(bool with_token = false) {
  auth::Credentials credentials;
  credentials.access_key_id = test_access_key;
  credentials.secret_access_key = test_secret;
  if (with_token) credentials.session_token = test_session_token;
  credentials.source = "test";
  return credentials;
}

// Tests talk to 127.0.0.1; a developer's http_proxy must not route them elsewhere.
inline void keep_loopback_off_proxies() {
  ::setenv("no_proxy", "127.0.0.1,localhost", 1);
  ::setenv("NO_PROXY", "127.0.0.1,localhost", 1);
}

// Records each backoff instead of sleeping.
class SleepRecorder {
 public:
  std::function<void(std::chrono::milliseconds)> function() {
    return [this](std::chrono::milliseconds delay) {
      std::lock_guard lock(mutex_);
      delays_.push_back(delay);
    };
  }
  std::vector<std::chrono::milliseconds> delays() const {
    std::lock_guard lock(mutex_);
    return delays_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::chrono::milliseconds> delays_;
};

// Quick timeouts and PynamoDB's retry settings; tests change what they need.
inline auth::ClientSettings fast_settings() {
  auth::ClientSettings settings;
  settings.connect_timeout_seconds = 2;
  settings.read_timeout_seconds = 5;
  settings.max_retry_attempts = 3;
  settings.base_backoff_ms = 25;
  settings.max_pool_connections = 10;
  return settings;
}

inline TransportConfig config_for(const std::string& endpoint, auth::ClientSettings settings = fast_settings(),
                                  bool with_token = false) {
  return {.settings = std::move(settings),
          .credentials = fixed_credentials(test_credentials(with_token)),
          .region = "us-east-1",
          .endpoint = endpoint};
}

// A jitter source answering the ceiling, so the delays are exactly 25, 50, 100 ms...
inline std::uint64_t jitter_at_ceiling(std::uint64_t upper) { return upper; }

}  // namespace dynamo::http::testing
