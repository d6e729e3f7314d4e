// An in-process HTTP/1.1 server on loopback that answers a scripted sequence of
// responses and records what it received. Test support for the http layer (the benchmark
// uses it too).
//
// It listens on 127.0.0.1 with a port the kernel picks, keeps connections alive, and takes
// the next scripted step for each request in arrival order, whichever connection it came
// on; when the script runs out it answers `fallback` (200 "{}" unless changed). A step can
// also delay its answer, reset the connection, or close it without answering. Responses
// carry x-amzn-RequestId and, unless the step says otherwise, a correct x-amz-crc32.
//
//   dynamo::http::testing::ScriptedServer server;
//   server.script({{.status = 400, .body = throttling_body}, {.status = 200}});
//   ... transport.call(...) against server.endpoint() ...
//   EXPECT_EQ(server.requests().size(), 2U);
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/auth/sigv4.hpp"

namespace dynamo::http::testing {

struct ScriptedStep {
  enum class Action {
    respond,           // send the response below
    reset,             // read the request, then abort the connection (TCP RST)
    close_silently,    // read the request, then close without a byte of answer
  };
  Action action = Action::respond;
  int status = 200;
  std::string body = "{}";
  bool echo_request_body = false;            // answer with the request's body instead
  auth::Headers headers{};                   // added to the standard ones
  std::optional<std::string> crc32{};        // x-amz-crc32 to send instead of the right one
  bool send_crc32 = true;
  std::chrono::milliseconds delay{0};        // wait before acting
  std::chrono::milliseconds trickle{0};      // send the body a byte at a time, this long apart
};

struct ReceivedRequest {
  std::string method{};
  std::string target{};  // as on the request line: "/" or, through a proxy, an absolute URL
  auth::Headers headers{};
  std::string body{};
  int connection = 0;  // 1 for the first connection accepted, 2 for the next, ...

  [[nodiscard]] const std::string* header(std::string_view name) const;
};

class ScriptedServer {
 public:
  ScriptedServer();
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Appends steps to the script.
  void script(std::vector<ScriptedStep> steps);
  // What to answer when the script is used up.
  void set_fallback(ScriptedStep step);
  // Benchmarks turn recording off so that memory stays flat.
  void set_recording(bool on);

  [[nodiscard]] std::vector<ReceivedRequest> requests() const;
  [[nodiscard]] int connections_accepted() const;
  // The most connections that were open at the same moment.
  [[nodiscard]] int max_open_connections() const;
  // The most requests being answered (read but not yet answered) at the same moment.
  [[nodiscard]] int max_concurrent_requests() const;

 private:
  void accept_loop();
  void serve(int socket, int connection);
  ScriptedStep next_step();
  // Sleeps for `delay` unless the server stops first; false when it stopped.
  bool pause(std::chrono::milliseconds delay);

  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::thread acceptor_;

  mutable std::mutex mutex_;
  std::condition_variable stopped_;
  std::deque<ScriptedStep> script_;
  ScriptedStep fallback_{};
  bool recording_ = true;
  std::vector<ReceivedRequest> requests_;
  std::vector<std::thread> connections_;
  int accepted_ = 0;
  int open_ = 0;
  int max_open_ = 0;
  int answering_ = 0;
  int max_answering_ = 0;
  std::uint64_t responses_sent_ = 0;
};

}  // namespace dynamo::http::testing
