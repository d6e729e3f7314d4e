#include "server/serve_command.hpp"

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <iostream>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <pthread.h>

#include <CLI/CLI.hpp>

#include "dynamo/log.hpp"

#ifdef DYNAMO_SERVER_HAVE_STORE
#include "dynamo/store/store.hpp"
#endif

namespace dynamo::server {
namespace {

// Blocks SIGINT/SIGTERM in the calling thread (and in every thread it starts afterwards),
// so that the signals wait for sigwait() instead of killing the process mid-request.
sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

}  // namespace

void add_serve_options(CLI::App& app, ServeSettings& s) {
  app.add_option("--host", s.options.address, "Address to listen on (0.0.0.0 for every interface)")
      ->capture_default_str();
  app.add_option("--port", s.options.port, "TCP port to listen on (0 picks a free one)")->capture_default_str();
  auto* data_dir_option = app.add_option(
      "--data-dir", s.data_dir,
      "Directory of the persistent store (LMDB; created when missing); in memory only when absent");
  auto* durability_option =
      app.add_option("--durability", s.durability,
                     "With --data-dir: what an acknowledged write survives. process: the process being killed "
                     "(an OS crash or power loss may corrupt the store); consistent: also an OS crash or power "
                     "loss, which may undo the last write but never corrupts; power: loses nothing to either "
                     "(fsync per write, slowest)")
          ->capture_default_str()
          ->check(CLI::IsMember({"process", "consistent", "power"}))
          ->needs(data_dir_option);
  app.add_flag("--sync", s.sync_every_write, "Same as --durability power")
      ->needs(data_dir_option)
      ->excludes(durability_option);
  app.add_option("--lmdb-map-size", s.lmdb_map_size,
                 "With --data-dir: address space first reserved for each store file (e.g. 64GiB, 512MiB); "
                 "a store that fills it is enlarged automatically")
      ->capture_default_str()
      ->transform(CLI::AsSizeValue(false))
      ->check(CLI::PositiveNumber)
      ->needs(data_dir_option);
  app.add_option("--threads", s.options.threads, "Serving threads (0 = one per hardware thread)")
      ->capture_default_str();
  app.add_option("--max-body-bytes", s.options.max_body_bytes,
                 "Largest accepted request body; larger ones get HTTP 413")
      ->capture_default_str();
  app.add_option("--max-connections", s.options.max_connections,
                 "Connections served at once; more clients wait to be accepted")
      ->capture_default_str();
  app.add_option("--max-header-bytes", s.options.max_header_bytes,
                 "Largest request header (start line and fields); larger ones get HTTP 431")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{std::numeric_limits<std::uint32_t>::max()}));
  app.add_option("--max-read-buffer-bytes", s.options.max_read_buffer_bytes,
                 "Bytes one connection's read buffer may hold (at least --max-header-bytes)")
      ->capture_default_str();
  app.add_option("--max-body-bytes-in-flight", s.max_body_bytes_in_flight,
                 "Bytes of request bodies held at once across all connections; a large request past it gets "
                 "HTTP 503 ThrottlingException (default: 134217728, or --max-body-bytes when larger)")
      ->check(CLI::PositiveNumber);
  app.add_option("--header-timeout-ms", s.header_timeout_ms,
                 "Milliseconds a request's header may take to arrive; a slower connection is closed")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--idle-timeout-ms", s.idle_timeout_ms,
                 "Milliseconds a keep-alive connection may wait for its next request (and a body may take "
                 "after its header) before it is closed")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  app.add_option("--allow-host", s.options.allowed_hosts,
                 "Without --access-key-id on a loopback address, requests must name localhost, 127.0.0.1 or "
                 "[::1] in their Host header (DNS rebinding guard); also accept this name (repeatable)");
  app.add_flag("--allow-any-host", s.options.allow_any_host,
               "Turn the Host check above off (it is off anyway with --access-key-id or a non-loopback --host)");
  auto* key = app.add_option("--access-key-id", s.access_key_id,
                             "With --secret-access-key: verify SigV4 signatures against this key pair "
                             "(default: accept any well-formed signature)");
  auto* secret = app.add_option("--secret-access-key", s.secret_access_key,
                                "Secret of --access-key-id (or set DYNAMO_SERVER_SECRET_ACCESS_KEY)")
                     ->envname("DYNAMO_SERVER_SECRET_ACCESS_KEY");
  key->needs(secret);
  secret->needs(key);
  app.add_option("--session-token", s.session_token, "With --access-key-id: also require this X-Amz-Security-Token")
      ->needs(key);
  app.add_option("--region", s.options.engine.region,
                 "Default region: the health check's, and with --shared-db the one in every table ARN "
                 "(otherwise each request's SigV4 scope names its region)")
      ->capture_default_str();
  app.add_option("--account-id", s.options.engine.account_id, "Account id in table ARNs (12 digits)")
      ->capture_default_str()
      ->check(CLI::Validator(
          [](const std::string& id) {
            const bool digits = id.size() == 12 && id.find_first_not_of("0123456789") == std::string::npos;
            return digits ? std::string() : std::string("an account id is 12 digits");
          },
          "12 digits"));
  app.add_flag("--shared-db", s.options.shared_db,
               "One set of tables for every region (DynamoDB Local's -sharedDb); by default each region named "
               "by a request's SigV4 scope has its own tables");
  app.add_option("--ttl-sweep-ms", s.ttl_sweep_ms, "Milliseconds between deletions of expired (TTL) items; 0 disables them")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--quiet", s.quiet, "Print nothing, not even the listening address");
  app.add_option("--log-level", s.log_level,
                 "debug: one line per request; warn: refused credentials and retries; error; off "
                 "(default: DYNAMO_LOG when set, else warn)")
      ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
}

int run_serve(ServeSettings s, std::string_view program) {
  if (!s.log_level.empty()) {
    dynamo::set_log_level(*dynamo::parse_log_level(s.log_level));
  } else if (const char* variable = std::getenv("DYNAMO_LOG"); variable == nullptr || *variable == '\0') {
    dynamo::set_log_level(dynamo::LogLevel::warn);
  }
  ServerOptions options = std::move(s.options);
  if (!s.data_dir.empty()) {
#ifdef DYNAMO_SERVER_HAVE_STORE
    // The Server opens the stores: the directory itself with --shared-db, else one
    // subdirectory per region (docs/server.md, "Regions").
    options.data_dir = s.data_dir;
    const std::optional<dynamo::store::Durability> durability =
        s.sync_every_write ? dynamo::store::Durability::power : dynamo::store::parse_durability(s.durability);
    if (!durability) {
      std::cerr << program << ": --durability must be process, consistent or power, not '" << s.durability << "'\n";
      return 2;
    }
    const dynamo::store::StoreOptions store_options{.durability = *durability, .lmdb_map_size = s.lmdb_map_size};
    options.open_store = [store_options](const std::string& directory) {
      try {
        return dynamo::store::open(directory, store_options);
      } catch (const std::exception& error) {
        throw std::runtime_error("cannot open --data-dir " + directory + ": " + error.what());
      }
    };
#else
    std::cerr << program
              << ": --data-dir is not supported by this build (configured without the store layer); "
                 "run without --data-dir for an in-memory server\n";
    return 2;
#endif
  }
  options.engine.ttl_sweep_interval = std::chrono::milliseconds(s.ttl_sweep_ms);
  options.header_timeout = std::chrono::milliseconds(s.header_timeout_ms);
  options.idle_timeout = std::chrono::milliseconds(s.idle_timeout_ms);
  // Unless given, the in-flight bound grows with --max-body-bytes, so that raising the body
  // limit alone never makes the largest body impossible to serve.
  options.max_body_bytes_in_flight = s.max_body_bytes_in_flight != 0
                                         ? s.max_body_bytes_in_flight
                                         : std::max(default_max_body_bytes_in_flight, options.max_body_bytes);
  if (!s.access_key_id.empty()) {
    options.credentials.push_back(dynamo::auth::Credentials{.access_key_id = s.access_key_id,
                                                            .secret_access_key = s.secret_access_key,
                                                            .session_token = s.session_token,
                                                            .source = "command line"});
  }
  // One mutex for every server this process runs (one per process in practice).
  static std::mutex log_mutex;
  options.log = [prefix = std::string(program)](std::string_view message) {
    const std::lock_guard lock(log_mutex);
    std::cerr << prefix << ": " << message << '\n';
  };

  const sigset_t stop_signals = block_stop_signals();
  try {
    Server server(std::move(options));
    server.start();
    if (!s.quiet) std::cerr << program << " listening on " << server.endpoint() << std::endl;
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  } catch (const std::exception& error) {
    std::cerr << program << ": " << error.what() << '\n';
    return 1;
  }
  return 0;
}

}  // namespace dynamo::server
