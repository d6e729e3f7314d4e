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
// Clients are not trusted before they authenticate: header bytes, body bytes, the read
// buffer and the bodies held across all connections are bounded, a header must arrive within
// `header_timeout`, chunked bodies are refused, and a loopback server that checks no
// signatures answers only requests addressed to a loopback name (DNS rebinding). The limits
// and why they are what they are: docs/server.md, "Hostile clients".
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

// Header blocks of SDK requests are about 1 KiB; 16 KiB leaves room for long proxies' and
// tracing headers.
inline constexpr std::size_t default_max_header_bytes = 16U * 1024U;
inline constexpr std::size_t default_max_read_buffer_bytes = 64U * 1024U;
// Six bodies of the default maximum size at once.
inline constexpr std::size_t default_max_body_bytes_in_flight = 128U * 1024U * 1024U;
// Bodies up to this size are admitted even when max_body_bytes_in_flight is reached (every
// GetItem and almost every PutItem is far smaller), so large requests cannot lock out small
// ones. Such bodies add at most max_connections times this to the bound.
inline constexpr std::size_t always_admitted_body_bytes = 64U * 1024U;

// What the server has held and refused since start() (for tests and monitoring).
struct ServerCounters {
  // Declared bodies of requests being read or answered now, and the most at once.
  std::size_t body_bytes_in_flight{0};
  std::size_t peak_body_bytes_in_flight{0};
  // Connections closed because a request header was not complete within header_timeout.
  std::uint64_t header_timeouts{0};
  // Requests answered 503 because max_body_bytes_in_flight was reached.
  std::uint64_t refused_busy{0};
  // Requests answered 403 by the DNS rebinding guard.
  std::uint64_t refused_host{0};
  // Requests answered 411 because they had a Transfer-Encoding (chunked) body.
  std::uint64_t refused_chunked{0};
  // Requests answered 431 because their header exceeded max_header_bytes.
  std::uint64_t refused_header_too_large{0};
};

struct ServerOptions {
  // The address to listen on; "0.0.0.0" or "::" for every interface.
  std::string address{"127.0.0.1"};
  // 0 picks a free port; port() tells which.
  std::uint16_t port{8000};
  // Threads serving connections; 0 = one per hardware thread.
  unsigned threads{0};
  // A request whose Content-Length is larger is answered 413 before its body is read.
  std::size_t max_body_bytes{default_max_body_bytes};
  std::size_t max_connections{1024};
  // Key pairs whose signatures are verified; empty accepts any well-formed signature.
  std::vector<auth::Credentials> credentials{};
  // A keep-alive connection that has not begun its next request within this long is closed;
  // once a request's header is in, its body must arrive within this long too.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // A request's start line and header fields must be complete within this long of its first
  // byte (of the connection being accepted, for a connection's first request); otherwise the
  // connection is closed without an answer. Slow-header clients (slowloris) cannot hold a
  // connection slot longer than this.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  // Bytes of a request's start line and header fields; more is answered 431. SDK requests
  // carry about 1 KiB.
  std::size_t max_header_bytes{default_max_header_bytes};
  // Bytes one connection's read buffer may hold (body bytes pass through it into the body;
  // a header must fit in it whole). At least max_header_bytes.
  std::size_t max_read_buffer_bytes{default_max_read_buffer_bytes};
  // Bytes of request bodies held at once across every connection: a request is counted
  // from its header (by its Content-Length) until it has been answered. A request that would
  // take the sum past this is answered 503 ThrottlingException (which every SDK retries)
  // without its body being read. Bodies of at most always_admitted_body_bytes are always
  // admitted, so that small requests are served while large ones wait. At least
  // max_body_bytes.
  std::size_t max_body_bytes_in_flight{default_max_body_bytes_in_flight};
  // DNS rebinding guard. When no credentials are verified and the server listens on a
  // loopback address, a request whose Host header names anything but localhost, 127.x.x.x
  // or [::1] (any port) is answered 403: a web page whose name was rebound to 127.0.0.1
  // cannot reach the tables through the visitor's browser. Names listed here are accepted
  // too (case-insensitive, without the port); allow_any_host turns the check off. Listening
  // on a non-loopback address turns it off as well (clients then name the machine freely).
  std::vector<std::string> allowed_hosts{};
  bool allow_any_host{false};
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
  // Throws std::invalid_argument when the options contradict each other (a read buffer
  // smaller than the header limit, an in-flight bound smaller than one body, ...).
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
  // Bodies held and requests refused so far (for tests and monitoring).
  [[nodiscard]] ServerCounters counters() const noexcept;
  // Whether the DNS rebinding guard is on (known after start(): it depends on the address
  // bound).
  [[nodiscard]] bool checks_host() const noexcept;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace dynamo::server
