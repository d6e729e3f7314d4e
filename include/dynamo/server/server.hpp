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
// Tables belong to the region named by each request's SigV4 credential scope (one engine
// per region, made on first use), unless shared_db serves one set of tables for all.
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
  // The engines' options: the default region (health check; with shared_db, the region of
  // every table), the account id in ARNs, TTL sweep interval. Each region's engine is made
  // from these with its own region. engine.store (one store) requires shared_db; per
  // region, persistence comes from data_dir and open_store.
  engine::EngineOptions engine{};
  // One set of tables for every region (DynamoDB Local's -sharedDb) instead of one per
  // region named by the request's SigV4 credential scope.
  bool shared_db{false};
  // Persistence: a directory, and the function that opens a store in a directory
  // (dynamo::store::open, with the durability wanted). With shared_db the store is
  // data_dir itself; otherwise each region's tables are in data_dir/regions/<region>, and
  // every region found there is opened by the constructor. Empty: in memory.
  std::string data_dir{};
  std::function<std::shared_ptr<engine::DurableStore>(const std::string& directory)> open_store{};
  // Per region: at most this many regions at once.
  std::size_t max_regions{default_max_regions};
  // Serve this engine for every region instead of creating any (tests inspect it directly).
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
  // The engine of the default region (ServerOptions::engine.region), or the shared one.
  [[nodiscard]] engine::Engine& engine() noexcept;
  // The engine of `region` (made when missing; the shared one with shared_db). Throws as
  // Namespaces::engine does.
  [[nodiscard]] engine::Engine& engine(std::string_view region);
  // The regions whose tables are served so far (sorted); empty with shared_db.
  [[nodiscard]] std::vector<std::string> regions() const;
  // Connections open right now (for tests and monitoring).
  [[nodiscard]] std::size_t open_connections() const noexcept;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynamo::server
