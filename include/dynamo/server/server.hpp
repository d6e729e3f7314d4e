// dynamo::server::Server — the embedded engine behind DynamoDB's HTTP endpoint protocol, so
// boto3, the AWS CLI, any AWS SDK and dynamo's own HTTP Connection can use it.
//
//   dynamo::server::Server server({.port = 0});   // 0: any free port
//   server.start();                                // listening when this returns
//   auto db = dynamo::Connection::connect({.endpoint = server.endpoint()});
//   ...
//   server.stop();   // stops accepting, finishes in-flight requests, closes connections
//
// HTTP/1.1 with keep-alive; `threads` threads run the connections (engine calls are
// synchronous and short, so they run on those threads too). At most `max_connections`
// connections are served at once; further clients wait in the kernel's accept queue.
// The protocol itself lives in RequestHandler (handler.hpp); docs/server.md has the
// details and the dynamo-server command line.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/auth/credentials.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/server/handler.hpp"

namespace dynamo::server {

struct ServerOptions {
  // The address to listen on; "0.0.0.0" or "::" for every interface.
  std::string address{"127.0.0.1"};
  // 0 picks a free port; port() tells which.
  std::uint16_t port{8000};
  // Threads serving connections; 0 = one per hardware thread.
  unsigned threads{0};
  std::size_t max_body_bytes{default_max_body_bytes};
  std::size_t max_connections{1024};
  // Key pairs whose signatures are verified; empty accepts any well-formed signature.
  std::vector<auth::Credentials> credentials{};
  // A keep-alive connection idle (or a request arriving) for longer than this is closed.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // How long stop() lets in-flight requests finish before it closes everything.
  std::chrono::milliseconds shutdown_timeout{std::chrono::seconds(10)};
  // The engine's options: region, TTL sweep interval, persistent store.
  engine::EngineOptions engine{};
  // Serve this engine instead of creating one from `engine` (tests inspect it directly).
  std::shared_ptr<engine::Engine> shared_engine{};
  // Receives diagnostics (unexpected internal errors, accept failures); may be empty.
  std::function<void(std::string_view)> log{};
};

class Server {
 public:
  explicit Server(ServerOptions options = {});
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the serving threads. Throws std::system_error when the
  // address cannot be bound (in use, not local) and std::logic_error when called twice.
  void start();
  // Graceful stop: no new connections, idle keep-alive connections closed, requests in
  // flight answered (within shutdown_timeout), threads joined. Idempotent.
  void stop();

  // The port listened on (the chosen one when ServerOptions::port was 0); 0 before start().
  [[nodiscard]] std::uint16_t port() const noexcept;
  // "http://<address>:<port>", for endpoint_url / ConnectionOptions::endpoint.
  [[nodiscard]] std::string endpoint() const;
  [[nodiscard]] engine::Engine& engine() noexcept;
  // Connections open right now (for tests and monitoring).
  [[nodiscard]] std::size_t open_connections() const noexcept;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynamo::server
