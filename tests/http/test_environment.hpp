// Shared set-up for the http tests: credentials, a transport aimed at a ScriptedServer,
// and a recorder for backoff sleeps so retry tests run without waiting.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>
#include <string_view>
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

// One call through `client`: call(), or call_async() waited for when the environment sets
// DYNAMO_TEST_ASYNC_CALLS=1, so that the same tests also hold for asynchronous calls (on
// the event thread for plain-HTTP endpoints, on the workers over libcurl).
inline HttpResponse send_call(const HttpTransport& client, std::string_view operation, std::string body,
                              const CallContext& context = {}) {
  static const bool async = [] {
    const char* value = std::getenv("DYNAMO_TEST_ASYNC_CALLS");
    return value != nullptr && std::string_view(value) == "1";
  }();
  if (!async) return client.call(operation, std::move(body), context);
  return client.call_async(std::string(operation), std::move(body), context).get();
}

// A TCP socket listening on 127.0.0.1, on a port the kernel picked (test servers' side).
struct LoopbackListener {
  int socket = -1;  // -1 when binding or listening failed
  std::uint16_t port = 0;
};

inline LoopbackListener listen_on_loopback(int backlog) {
  const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(socket, backlog) != 0) {
    ::close(socket);
    return {};
  }
  socklen_t length = sizeof address;
  ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length);
  return {.socket = socket, .port = ntohs(address.sin_port)};
}

// Reads one request's head and Content-Length body from `socket` (a test server's side of
// a connection); false when the client went away first.
inline bool read_http_request(int socket) {
  std::string received;
  char buffer[4096];
  for (;;) {
    const auto end = received.find("\r\n\r\n");
    if (end != std::string::npos) {
      const auto length_at = received.find("Content-Length: ");
      const std::size_t length = length_at == std::string::npos ? 0 : std::stoul(received.substr(length_at + 16));
      if (received.size() >= end + 4 + length) return true;
    }
    const ssize_t got = ::recv(socket, buffer, sizeof buffer, 0);
    if (got <= 0) return false;
    received.append(buffer, static_cast<std::size_t>(got));
  }
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
