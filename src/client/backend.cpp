// The defaults of dynamo::Backend: asynchronous calls run at once on the calling thread, no
// waiting for stream records, no per-call settings. Kept here rather than in the header so
// that a translation unit including the Backend does not instantiate a completion for every
// operation.
#include "dynamo/client/backend.hpp"

#include <utility>

namespace dynamo {

namespace {

template <class Response, class Call>
void run_inline(const Completion<Response>& done, Call&& call) {
  std::optional<Response> response;
  std::exception_ptr error;
  try {
    response.emplace(std::forward<Call>(call)());
  } catch (...) {
    error = std::current_exception();
  }
  done(std::move(response), error);
}

}  // namespace

Backend::~Backend() = default;

#define DYNAMO_BACKEND_ASYNC_DEFAULT(method, Name, ...)                                            \
  void Backend::method##_async(api::Name##Request request, Completion<api::Name##Response> done) { \
    run_inline(done, [&] { return this->method(request); });                                      \
  }
DYNAMO_OPERATIONS(DYNAMO_BACKEND_ASYNC_DEFAULT)
#undef DYNAMO_BACKEND_ASYNC_DEFAULT

bool Backend::wait_for_stream_records(const std::string& shard_iterator, std::chrono::milliseconds timeout) {
  (void)shard_iterator;
  (void)timeout;
  return false;
}

std::shared_ptr<Backend> Backend::with_settings(const auth::OperationSettings& settings) {
  (void)settings;
  return nullptr;
}

}  // namespace dynamo
