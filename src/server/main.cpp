// dynamo-server: the embedded engine as a DynamoDB-compatible HTTP endpoint.
//
//   dynamo-server --port 8000
//   aws dynamodb list-tables --endpoint-url http://127.0.0.1:8000
//
// SIGINT and SIGTERM stop it gracefully (no new connections, requests in flight answered)
// and it exits 0. docs/server.md describes every option.
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <pthread.h>

#include <CLI/CLI.hpp>

#include "dynamo/server/server.hpp"
#include "dynamo/version.hpp"
#ifdef DYNAMO_SERVER_HAVE_STORE
#include "dynamo/store/store.hpp"
#endif

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

int main(int argc, char** argv) {
  dynamo::server::ServerOptions options;
  std::string data_dir;
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  long long ttl_sweep_ms = 1000;
  bool quiet = false;
  bool sync_every_write = false;

  CLI::App app{
      "dynamo-server: a DynamoDB-compatible HTTP endpoint backed by dynamo's embedded engine.\n"
      "Point any AWS SDK at it with endpoint_url=http://<host>:<port> (see docs/server.md)."};
  app.set_version_flag("--version", "dynamo-server " + std::string(dynamo::version()));
  app.add_option("--host", options.address, "Address to listen on (0.0.0.0 for every interface)")
      ->capture_default_str();
  app.add_option("--port", options.port, "TCP port to listen on (0 picks a free one)")->capture_default_str();
  auto* data_dir_option = app.add_option(
      "--data-dir", data_dir,
      "Directory of the persistent store (LMDB; created when missing); in memory only when absent. "
      "Every acknowledged write survives the process being killed");
  app.add_flag("--sync", sync_every_write,
               "With --data-dir: flush every write to the disk (fsync), so acknowledged writes also survive "
               "power loss; slower")
      ->needs(data_dir_option);
  app.add_option("--threads", options.threads, "Serving threads (0 = one per hardware thread)")
      ->capture_default_str();
  app.add_option("--max-body-bytes", options.max_body_bytes,
                 "Largest accepted request body; larger ones get HTTP 413")
      ->capture_default_str();
  app.add_option("--max-connections", options.max_connections,
                 "Connections served at once; more clients wait to be accepted")
      ->capture_default_str();
  auto* key = app.add_option("--access-key-id", access_key_id,
                             "With --secret-access-key: verify SigV4 signatures against this key pair "
                             "(default: accept any well-formed signature)");
  auto* secret = app.add_option("--secret-access-key", secret_access_key,
                                "Secret of --access-key-id (or set DYNAMO_SERVER_SECRET_ACCESS_KEY)")
                     ->envname("DYNAMO_SERVER_SECRET_ACCESS_KEY");
  key->needs(secret);
  secret->needs(key);
  app.add_option("--session-token", session_token,
                 "With --access-key-id: also require this X-Amz-Security-Token")
      ->needs(key);
  app.add_option("--region", options.engine.region, "Region shown in table ARNs")->capture_default_str();
  app.add_option("--ttl-sweep-ms", ttl_sweep_ms,
                 "Milliseconds between deletions of expired (TTL) items; 0 disables them")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  app.add_flag("--quiet", quiet, "Print nothing, not even the listening address");
  CLI11_PARSE(app, argc, argv);

  if (!data_dir.empty()) {
#ifdef DYNAMO_SERVER_HAVE_STORE
    try {
      options.engine.store = dynamo::store::open(
          data_dir, {.durability = sync_every_write ? dynamo::store::Durability::power : dynamo::store::Durability::process});
    } catch (const std::exception& error) {
      std::cerr << "dynamo-server: cannot open --data-dir " << data_dir << ": " << error.what() << '\n';
      return 1;
    }
#else
    std::cerr << "dynamo-server: --data-dir is not supported by this build (configured without the store layer); "
                 "run without --data-dir for an in-memory server\n";
    return 2;
#endif
  }
  options.engine.ttl_sweep_interval = std::chrono::milliseconds(ttl_sweep_ms);
  if (!access_key_id.empty()) {
    options.credentials.push_back(dynamo::auth::Credentials{.access_key_id = access_key_id,
                                                            .secret_access_key = secret_access_key,
                                                            .session_token = session_token,
                                                            .source = "command line"});
  }
  static std::mutex log_mutex;
  options.log = [](std::string_view message) {
    const std::lock_guard lock(log_mutex);
    std::cerr << "dynamo-server: " << message << '\n';
  };

  const sigset_t stop_signals = block_stop_signals();
  try {
    dynamo::server::Server server(std::move(options));
    server.start();
    if (!quiet) std::cerr << "dynamo-server listening on " << server.endpoint() << std::endl;
    int received = 0;
    sigwait(&stop_signals, &received);
    server.stop();
  } catch (const std::exception& error) {
    std::cerr << "dynamo-server: " << error.what() << '\n';
    return 1;
  }
  return 0;
}
