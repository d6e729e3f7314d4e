// The embedded backend: Connection's calls go straight to an in-process engine — no JSON,
// no sockets. The engine's errors already are what the HTTP backend produces (dynamo::Error,
// or api::ServiceError when they carry an old item or cancellation reasons), so they pass
// through unchanged.
#include <utility>

#include "dynamo/client/connection.hpp"
#include "dynamo/engine/engine.hpp"
#ifdef DYNAMO_HAVE_STORE
#include "dynamo/store/store.hpp"
#endif

namespace dynamo {
namespace {

class EmbeddedBackend final : public Backend {
 public:
  EmbeddedBackend(std::shared_ptr<engine::Engine> engine, std::string description)
      : engine_(std::move(engine)), description_(std::move(description)) {}

#define DYNAMO_EMBEDDED_METHOD(method, Name, ...)                           \
  api::Name##Response method(const api::Name##Request& request) override { \
    return engine_->method(request);                                        \
  }
  DYNAMO_OPERATIONS(DYNAMO_EMBEDDED_METHOD)
#undef DYNAMO_EMBEDDED_METHOD

  [[nodiscard]] bool wait_for_stream_records(const std::string& shard_iterator,
                                             std::chrono::milliseconds timeout) override {
    return engine_->wait_for_records(shard_iterator, timeout);
  }

  [[nodiscard]] std::string describe() const override { return description_; }

 private:
  std::shared_ptr<engine::Engine> engine_;
  std::string description_;
};

}  // namespace

Connection Connection::embedded(const EmbeddedOptions& options) {
  engine::EngineOptions engine_options{
      .region = options.region, .account_id = options.account_id, .ttl_sweep_interval = options.ttl_sweep_interval};
  std::string description = "embedded (in memory)";
  if (!options.path.empty()) {
#ifdef DYNAMO_HAVE_STORE
    engine_options.store = store::open(options.path, {.durability = options.durability});
#else
    throw Error(std::string(error_code::invalid_configuration), "this build has no persistent store (path \"" + options.path + "\")", 400);
#endif
    description = "embedded (" + options.path + ")";
  }
  auto engine = std::make_shared<engine::Engine>(std::move(engine_options));
  return Connection(std::make_shared<EmbeddedBackend>(std::move(engine), std::move(description)), options.hooks,
                    {.return_consumed_capacity = options.return_consumed_capacity});
}

}  // namespace dynamo
