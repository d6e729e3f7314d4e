// The event thread behind asynchronous calls to a plain-HTTP endpoint. Internal.
//
// A thread per call in flight costs two thread switches per call, more kernel time than
// the call's own sending and receiving. Here one thread runs a Boost.Asio io_context that
// drives every connection of the transport's asynchronous calls: an attempt's request is
// written and its answer read as the socket becomes ready, and waiting (a backoff, a
// timeout) is a timer, not a sleeping thread. The connections follow PlainConnection's
// rules: at most `max_connections` open, the same timeouts (connect; read as the longest
// silence; a cap on the whole attempt), the same failure texts, an idle connection the
// server closed is replaced, and a request that finds its reused connection closed before
// any answer goes once more on a new one.
//
// The thread starts on the first post(). send() and after() belong to that thread: call
// them from a job or a completion. Destruction waits until every attempt and timer still
// pending has run to its end.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string_view>

#include "http/channel.hpp"
#include "http/plain_connection.hpp"

namespace dynamo::http::detail {

class PlainEventLoop {
 public:
  using AttemptDone = std::function<void(AttemptResult)>;

  PlainEventLoop(std::shared_ptr<const PlainTarget> target, const ChannelConfig& config, std::size_t max_connections);
  ~PlainEventLoop();
  PlainEventLoop(const PlainEventLoop&) = delete;
  PlainEventLoop& operator=(const PlainEventLoop&) = delete;

  // Runs `job` on the event thread, starting the thread on first use. Any thread.
  void post(std::function<void()> job);

  // Event thread only. POSTs `body` with `headers` (as PlainConnection::post does) on a
  // pooled connection, opened when none is idle and the pool has room, else as soon as one
  // is free (in order of sending), and calls `done` on the event thread with the outcome.
  // `headers` and `body` must stay valid until then.
  void send(const auth::Headers& headers, std::string_view body, const AttemptLimits& limits, AttemptDone done);

  // Event thread only. Calls `then` on the event thread once `delay` has passed.
  void after(std::chrono::milliseconds delay, std::function<void()> then);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace dynamo::http::detail
