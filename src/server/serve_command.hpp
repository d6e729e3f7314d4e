// `dynamo-server` and `dynamo serve`: one set of options and one serving loop, shared by
// both programs so that their flags cannot drift apart (docs/server.md lists them).
//
//   CLI::App app{"..."};
//   dynamo::server::ServeSettings settings;
//   dynamo::server::add_serve_options(app, settings);
//   CLI11_PARSE(app, argc, argv);
//   return dynamo::server::run_serve(settings, "dynamo-server");
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "dynamo/server/server.hpp"

namespace CLI {
class App;
}

namespace dynamo::server {

// What the command line sets; run_serve() turns it into ServerOptions.
struct ServeSettings {
  ServerOptions options{};
  std::string data_dir{};
  std::string access_key_id{};
  std::string secret_access_key{};
  std::string session_token{};
  long long ttl_sweep_ms = 1000;
  long long header_timeout_ms = 10000;
  long long idle_timeout_ms = 60000;
  // --max-body-bytes-in-flight; 0 (absent): the default, or --max-body-bytes when larger.
  std::size_t max_body_bytes_in_flight = 0;
  bool quiet = false;
  // --durability: "process", "consistent" or "power" (dynamo/store/store.hpp); --sync
  // (sync_every_write) is the same as "power".
  std::string durability{"consistent"};
  bool sync_every_write = false;
  // --lmdb-map-size: StoreOptions::lmdb_map_size.
  std::size_t lmdb_map_size = std::size_t{64} << 30;
  // --log-level; empty: DYNAMO_LOG when set, else "warn".
  std::string log_level{};
};

// Adds every option of dynamo-server to `app` (not --version: each program names itself).
void add_serve_options(CLI::App& app, ServeSettings& settings);

// Opens the data directory, starts the server, prints its address (unless quiet) and serves
// until SIGINT or SIGTERM; returns the process's exit status. `program` prefixes messages.
// Must be called before the process starts any thread: it blocks SIGINT and SIGTERM, so that
// they wait for sigwait() instead of killing the process mid-request.
[[nodiscard]] int run_serve(ServeSettings settings, std::string_view program);

}  // namespace dynamo::server
