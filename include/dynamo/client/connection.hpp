// dynamo::Connection — PynamoDB's low-level Connection: every DynamoDB operation, on raw
// items, against any backend.
//
//   auto db = dynamo::Connection::connect({.endpoint = "http://localhost:8000"});  // HTTP
//   auto db = dynamo::Connection::embedded();                                      // in process
//
//   db.put_item({.table_name = "Thread", .item = {{"forum", "C++"}, {"subject", "Modules"}}});
//   auto got = db.get_item({.table_name = "Thread", .key = {{"forum", "C++"}, {"subject", "Modules"}}});
//   std::future<dynamo::api::QueryResponse> page = db.query_async({...});
//
// Requests and responses are the api layer's structs (dynamo/api/*.hpp), written with
// designated initializers. Failures raise the exceptions of dynamo/client/errors.hpp
// (PutError, QueryError, TableDoesNotExist, ...), each carrying DynamoDB's error code.
//
// A Connection is a cheap handle (copies share the backend) and is safe to use from many
// threads at once. Every operation also has `_async` forms, returning a std::future or
// calling a completion handler, so many calls can be in flight over the HTTP connection
// pool.
#pragma once

#include <chrono>
#include <future>
#include <memory>
#include <optional>
#include <string>

#include "dynamo/auth/client_settings.hpp"
#include "dynamo/auth/credential_types.hpp"
#include "dynamo/client/backend.hpp"
#include "dynamo/client/consumed_capacity.hpp"
#include "dynamo/client/errors.hpp"
#include "dynamo/client/hooks.hpp"
#include "dynamo/client/outcome.hpp"
#include "dynamo/http/transport_hooks.hpp"
#include "dynamo/store/durability.hpp"

namespace dynamo {

// Timeouts, retries and extra headers of calls made through Connection::with_settings().
using OperationSettings = auth::OperationSettings;

class TableConnection;
template <class T>
class ModelTable;  // dynamo/model/table.hpp

// How to reach a DynamoDB endpoint over HTTP. Unset values are found the way AWS SDKs find
// them (environment, ~/.aws files; see docs/settings.md).
struct ConnectionOptions {
  std::optional<std::string> endpoint{};  // PynamoDB's `host`, e.g. "http://localhost:8000"
  // Where the DynamoDB Streams calls go. When unset: AWS_ENDPOINT_URL_DYNAMODB_STREAMS (and the
  // other AWS endpoint settings) if configured; else, for AWS's own DynamoDB endpoint,
  // https://streams.dynamodb.<region>.amazonaws.com; else the DynamoDB endpoint itself
  // (dynamo-server and the local DynamoDB servers answer both APIs on one port).
  std::optional<std::string> streams_endpoint{};
  std::optional<std::string> region{};
  std::optional<std::string> profile{};
  std::optional<std::string> access_key_id{};
  std::optional<auth::SecretString> secret_access_key{};  // never printed or logged
  std::optional<auth::SecretString> session_token{};
  // Your own source of credentials (a callable returning credentials and an optional
  // expiry); it wins over every other source and is called again before they expire.
  auth::CredentialsCallback credentials_provider{};
  auth::ClientSettingsOverrides settings{};  // timeouts, retries, pool size, extra headers
  CallHooks hooks{};
  // Asks every call that can report consumed capacity for it (TOTAL or INDEXES) unless the
  // request says otherwise; Connection::consumed_capacity() adds it up.
  std::optional<api::ReturnConsumedCapacity> return_consumed_capacity{};
  // Hooks of the HTTP layer itself: they also see the HTTP status, the number of attempts
  // (retries) and the service's request id of each call — PynamoDB's logging of
  // operation, table, duration and retries (see dynamo/http/transport.hpp).
  http::TransportHooks transport_hooks{};
};

// How to run the embedded engine.
struct EmbeddedOptions {
  // Empty: in memory, gone when the last Connection sharing it goes. Otherwise a directory
  // holding a persistent database (LMDB; created when missing; one process at a time).
  std::string path{};
  // With a path: what an acknowledged write survives (dynamo/store/store.hpp). consistent
  // (default): the process being killed, and an OS crash or power loss without corruption
  // (the last write may be undone); power: loses nothing to either, a disk flush per write;
  // process: fastest, but an OS crash or power loss may corrupt the store.
  store::Durability durability{store::Durability::consistent};
  // How often the TTL sweeper looks for expired items.
  std::chrono::milliseconds ttl_sweep_interval{1000};
  // The region and account id in table ARNs (arn:aws:dynamodb:<region>:<account>:table/…),
  // as ConnectionOptions::region names the region of a connection to AWS. A tag operation
  // naming another region's ARN finds no table, as on AWS. One embedded engine is one
  // region; open one per region to keep regions apart.
  std::string region{"us-east-1"};
  std::string account_id{"000000000000"};
  CallHooks hooks{};
  // As ConnectionOptions::return_consumed_capacity.
  std::optional<api::ReturnConsumedCapacity> return_consumed_capacity{};
};

// What a Connection does for every call, whatever the backend.
struct CallDefaults {
  // ReturnConsumedCapacity for requests that do not set it.
  std::optional<api::ReturnConsumedCapacity> return_consumed_capacity{};
};

class Connection {
 public:
  explicit Connection(std::shared_ptr<Backend> backend, CallHooks hooks = {}, CallDefaults defaults = {});

  // A connection over HTTP to AWS DynamoDB or any compatible endpoint.
  [[nodiscard]] static Connection connect(const ConnectionOptions& options = {});
  // A connection to an embedded engine in this process.
  [[nodiscard]] static Connection embedded(const EmbeddedOptions& options = {});

  // Each operation in three forms: blocking, returning a future, and calling a completion
  // handler (dynamo/client/outcome.hpp) with the outcome.
#define DYNAMO_CONNECTION_METHOD(method, Name, ...)                                     \
  api::Name##Response method(const api::Name##Request& request) const;                  \
  [[nodiscard]] std::future<api::Name##Response> method##_async(api::Name##Request request) const; \
  void method##_async(api::Name##Request request, CompletionHandler<api::Name##Response> handler) const;
  DYNAMO_OPERATIONS(DYNAMO_CONNECTION_METHOD)
#undef DYNAMO_CONNECTION_METHOD

  // A connection bound to one table (PynamoDB's TableConnection).
  [[nodiscard]] TableConnection table(std::string table_name) const;
  // The typed table of model T (defined in dynamo/model/table.hpp, which must be included):
  //   auto threads = db.table<Thread>();
  template <class T>
  [[nodiscard]] ModelTable<T> table() const;

  // This connection with its own settings for every call made through the result, its
  // copies, and the tables and models made from them (PynamoDB's per-operation settings):
  //   auto traced = db.with_settings({.call_timeout_seconds = 2, .extra_headers = {{"X-Trace", id}}});
  //   traced.table<Thread>().save(thread);
  // It shares this connection's connections, credentials, hooks and consumed-capacity
  // totals, so making one per call is cheap. On the embedded engine, which has no network,
  // the settings have nothing to act on. Throws InvalidConfiguration for settings that
  // break a rule (dynamo/auth/settings.hpp).
  [[nodiscard]] Connection with_settings(const auth::OperationSettings& settings) const;

  [[nodiscard]] Backend& backend() const noexcept { return *backend_; }
  [[nodiscard]] const std::shared_ptr<Backend>& shared_backend() const noexcept { return backend_; }
  [[nodiscard]] const CallHooks& hooks() const noexcept { return *hooks_; }

  // The capacity consumed by this connection's calls (and its copies'), as reported by the
  // responses, since it was made or last reset.
  [[nodiscard]] CapacityTotals consumed_capacity() const;
  void reset_consumed_capacity() const;

  // Shared by a Connection and its copies: how it calls, and what its calls consumed.
  struct State;

 private:
  std::shared_ptr<Backend> backend_;
  std::shared_ptr<const CallHooks> hooks_;
  std::shared_ptr<State> state_;
};

}  // namespace dynamo
