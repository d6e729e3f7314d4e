#include "http/plain_event_loop.hpp"

#include <sys/socket.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "dynamo/log.hpp"
#include "http/response_reader.hpp"

namespace dynamo::http::detail {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using Executor = asio::io_context::executor_type;
// Bound to the io_context's own executor type, not the type-erased any_io_executor.
using Socket = asio::basic_stream_socket<tcp, Executor>;
using Timer = asio::basic_waitable_timer<Clock, asio::wait_traits<Clock>, Executor>;
using Resolver = asio::ip::basic_resolver<tcp, Executor>;
using ErrorCode = boost::system::error_code;

constexpr std::size_t read_size = 64 * 1024;

// A request waiting for a connection, or on one.
struct Attempt {
  const auth::Headers* headers = nullptr;
  std::string_view body{};
  AttemptLimits limits{};
  PlainEventLoop::AttemptDone done{};
  bool sent_again = false;  // already sent once more after a reused connection closed unused
};

// When an attempt started at `now` must have ended, whatever else happens.
Clock::time_point cap_for(const AttemptLimits& limits, Clock::time_point now) {
  return limits.timeout_cap_ms > 0 ? now + std::chrono::milliseconds(limits.timeout_cap_ms) : Clock::time_point::max();
}

AttemptResult failure(std::string text, bool retryable) {
  AttemptResult result;
  result.failed = true;
  result.failure_retryable = retryable;
  result.failure_text = std::move(text);
  return result;
}

}  // namespace

struct PlainEventLoop::State {
  // One connection and the attempt on it. Completions hold it by shared_ptr, so it lives
  // until the last of them has run; `generation` changes whenever an exchange or the
  // connection ends, and a completion that finds another generation does nothing.
  //
  // An open connection always has a wait for readable bytes pending, between attempts too:
  // what arrives on an idle connection (the server closing it, or a 408 before closing) ends
  // it there, so an attempt never takes a connection the server has already given up, and
  // no check costs a system call when one is taken.
  struct Connection {
    explicit Connection(asio::io_context& io) : socket(io.get_executor()), timer(io.get_executor()) {}
    enum class Phase { connecting, sending, receiving };
    Socket socket;
    Timer timer;
    std::optional<Resolver> resolver{};  // while a host name is being resolved
    std::uint64_t generation = 0;
    bool busy = false;    // an attempt is on it
    bool reused = false;  // that attempt found it open from an earlier one
    bool read_wait_pending = false;
    bool readable_early = false;  // bytes arrived while the request was still being sent
    Phase phase = Phase::connecting;
    Attempt attempt{};
    long connect_ms = 0;
    long read_ms = 0;
    Clock::time_point connect_deadline{};
    Clock::time_point cap = Clock::time_point::max();
    Clock::time_point last_activity{};
    // The timer has one wait pending at most; it may end earlier than the attempt's deadline,
    // and then looks again (activity moves the read deadline without touching the timer).
    bool timer_armed = false;
    Clock::time_point timer_expiry{};
    std::string head{};
    std::size_t sent = 0;  // bytes of head and body written
    std::optional<ResponseReader> reader{};
  };
  using ConnectionPtr = std::shared_ptr<Connection>;

  State(std::shared_ptr<const PlainTarget> given_target, const ChannelConfig& config, std::size_t max)
      : target(std::move(given_target)),
        connect_timeout_ms(config.connect_timeout_ms),
        read_timeout_ms(config.read_timeout_ms),
        max_connections(max),
        read_buffer(std::make_unique<char[]>(read_size)) {}

  void start_thread();
  void stop_thread();

  void send(Attempt attempt);
  void open_new(Attempt attempt);
  void connect_to(const ConnectionPtr& connection, const Resolver::results_type& addresses);
  void start_exchange(const ConnectionPtr& connection, Attempt attempt, bool reused);
  void begin_exchange(const ConnectionPtr& connection);
  void write_some(const ConnectionPtr& connection);
  void wait_until_writable(const ConnectionPtr& connection);
  void watch_readable(const ConnectionPtr& connection);
  void on_readable(const ConnectionPtr& connection, const ErrorCode& code);
  void read_some(const ConnectionPtr& connection);
  void complete_exchange(const ConnectionPtr& connection);
  void fail_exchange(const ConnectionPtr& connection, std::string text, bool retryable, bool unused);
  void fail_connect(const ConnectionPtr& connection, std::string text);
  void release(const ConnectionPtr& connection);
  void close_connection(const ConnectionPtr& connection) noexcept;
  void serve_waiting();
  void keep_deadline(const ConnectionPtr& connection, Clock::time_point deadline);
  void on_timer(const ConnectionPtr& connection);

  const std::shared_ptr<const PlainTarget> target;
  const long connect_timeout_ms;
  const long read_timeout_ms;
  const std::size_t max_connections;

  asio::io_context io{1};
  std::optional<asio::executor_work_guard<Executor>> work{};
  std::once_flag started{};
  std::thread thread{};

  // Event thread only, from here on.
  std::size_t open = 0;                // connections open or opening
  std::vector<ConnectionPtr> idle{};   // open, between attempts; the most recent last
  std::deque<Attempt> waiting{};       // for a connection, in order of sending
  bool closing = false;                // the loop is being destroyed: idle connections close
  std::unique_ptr<char[]> read_buffer;  // what one recv() fills; one read runs at a time
};

void PlainEventLoop::State::start_thread() {
  std::call_once(started, [this] {
    work.emplace(io.get_executor());
    thread = std::thread([this] {
      for (;;) {
        try {
          io.run();
          return;
        } catch (const std::exception& error) {
          // Only allocation can fail in the handlers here; the call concerned cannot finish.
          log(LogLevel::error, "http", std::string("asynchronous call failed on the event thread: ") + error.what());
        }
      }
    });
  });
}

void PlainEventLoop::State::stop_thread() {
  if (!thread.joinable()) return;
  asio::post(io, [this] {
    closing = true;
    for (const ConnectionPtr& connection : idle) close_connection(connection);
    idle.clear();
  });
  // run() returns once nothing is pending: every attempt has ended and every timer run.
  work.reset();
  thread.join();
}

void PlainEventLoop::State::send(Attempt attempt) {
  if (!idle.empty()) {
    ConnectionPtr connection = std::move(idle.back());
    idle.pop_back();
    start_exchange(connection, std::move(attempt), true);
    return;
  }
  if (open < max_connections) {
    open_new(std::move(attempt));
  } else {
    waiting.push_back(std::move(attempt));
  }
}

void PlainEventLoop::State::open_new(Attempt attempt) {
  ++open;
  auto connection = std::make_shared<Connection>(io);
  connection->busy = true;
  connection->reused = false;
  connection->phase = Connection::Phase::connecting;
  connection->connect_ms = attempt.limits.connect_timeout_ms > 0 ? attempt.limits.connect_timeout_ms : connect_timeout_ms;
  const auto now = Clock::now();
  connection->cap = cap_for(attempt.limits, now);
  connection->connect_deadline = std::min(now + std::chrono::milliseconds(connection->connect_ms), connection->cap);
  connection->attempt = std::move(attempt);
  keep_deadline(connection, connection->connect_deadline);

  ErrorCode error;
  const auto address = asio::ip::make_address(target->host, error);
  const unsigned long port = std::stoul(target->port);  // digits only (plain_target_for)
  if (!error && port <= 65535) {  // a literal address needs no resolver
    connect_to(connection, Resolver::results_type::create(tcp::endpoint(address, static_cast<unsigned short>(port)),
                                                          target->host, target->port));
    return;
  }
  connection->resolver.emplace(io.get_executor());
  connection->resolver->async_resolve(
      target->host, target->port,
      [this, connection, generation = connection->generation](const ErrorCode& code,
                                                              const Resolver::results_type& addresses) {
        if (generation != connection->generation) return;
        if (code) return fail_connect(connection, resolve_failure_text(*target, code.message()));
        connect_to(connection, addresses);
      });
}

void PlainEventLoop::State::connect_to(const ConnectionPtr& connection, const Resolver::results_type& addresses) {
  asio::async_connect(connection->socket, addresses,
                      [this, connection, generation = connection->generation](const ErrorCode& code, const tcp::endpoint&) {
                        if (generation != connection->generation) return;
                        if (code) return fail_connect(connection, connect_failure_text(*target, code.message()));
                        ErrorCode ignored;
                        connection->socket.non_blocking(true, ignored);
                        tune_connected_socket(connection->socket.native_handle());
                        begin_exchange(connection);
                      });
}

void PlainEventLoop::State::start_exchange(const ConnectionPtr& connection, Attempt attempt, bool reused) {
  connection->busy = true;
  connection->reused = reused;
  connection->cap = cap_for(attempt.limits, Clock::now());
  connection->attempt = std::move(attempt);
  begin_exchange(connection);
}

void PlainEventLoop::State::begin_exchange(const ConnectionPtr& connection) {
  const Attempt& attempt = connection->attempt;
  connection->read_ms = attempt.limits.read_timeout_ms > 0 ? attempt.limits.read_timeout_ms : read_timeout_ms;
  write_request_head(connection->head, *target, *attempt.headers, attempt.body.size());
  connection->phase = Connection::Phase::sending;
  connection->readable_early = false;
  connection->sent = 0;
  connection->reader.emplace();
  connection->last_activity = Clock::now();
  keep_deadline(connection,
                std::min(connection->last_activity + std::chrono::milliseconds(connection->read_ms), connection->cap));
  write_some(connection);
}

void PlainEventLoop::State::write_some(const ConnectionPtr& connection) {
  const std::string_view head = connection->head;
  const std::string_view body = connection->attempt.body;
  const std::size_t total = head.size() + body.size();
  while (connection->sent < total) {
    const ssize_t written = send_rest(connection->socket.native_handle(), head, body, connection->sent);
    if (written > 0) {
      connection->sent += static_cast<std::size_t>(written);
      connection->last_activity = Clock::now();
      continue;
    }
    if (written < 0 && errno == EINTR) continue;
    if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return wait_until_writable(connection);
    return fail_exchange(connection, "Send failure: " + std::string(std::strerror(errno)), true, true);
  }
  connection->phase = Connection::Phase::receiving;
  if (connection->readable_early) return read_some(connection);
  watch_readable(connection);
}

void PlainEventLoop::State::wait_until_writable(const ConnectionPtr& connection) {
  connection->socket.async_wait(Socket::wait_write,
                                [this, connection, generation = connection->generation](const ErrorCode& code) {
                                  if (generation != connection->generation) return;
                                  if (code) return fail_exchange(connection, "Send failure: " + code.message(), true, true);
                                  write_some(connection);
                                });
}

void PlainEventLoop::State::watch_readable(const ConnectionPtr& connection) {
  if (connection->read_wait_pending) return;
  connection->read_wait_pending = true;
  connection->socket.async_wait(Socket::wait_read, [this, connection](const ErrorCode& code) {
    connection->read_wait_pending = false;
    if (!connection->socket.is_open()) return;  // closed since
    on_readable(connection, code);
  });
}

void PlainEventLoop::State::on_readable(const ConnectionPtr& connection, const ErrorCode& code) {
  if (!connection->busy) {  // idle: the server closed it or wrote out of turn
    std::erase(idle, connection);
    close_connection(connection);
    return;
  }
  if (connection->phase == Connection::Phase::sending) {
    connection->readable_early = true;  // read once the request is out
    return;
  }
  if (code) return fail_exchange(connection, "Recv failure: " + code.message(), true, !connection->reader->started());
  read_some(connection);
}

void PlainEventLoop::State::read_some(const ConnectionPtr& connection) {
  ResponseReader& reader = *connection->reader;
  for (;;) {
    const ssize_t got = ::recv(connection->socket.native_handle(), read_buffer.get(), read_size, 0);
    if (got > 0) {
      connection->last_activity = Clock::now();
      const auto state = reader.add(std::string_view(read_buffer.get(), static_cast<std::size_t>(got)));
      if (state == ResponseReader::State::malformed) {
        return fail_exchange(connection, "Weird server reply (" + reader.error() + ")", false, false);
      }
      if (state == ResponseReader::State::complete) return complete_exchange(connection);
      continue;
    }
    if (got == 0) {  // the server closed the connection
      if (!reader.started()) return fail_exchange(connection, "Empty reply from server", true, true);
      if (!reader.end_of_stream()) {
        return fail_exchange(connection, "Connection closed before the whole response arrived", true, false);
      }
      return complete_exchange(connection);
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return watch_readable(connection);
    return fail_exchange(connection, "Recv failure: " + std::string(std::strerror(errno)), true, !reader.started());
  }
}

void PlainEventLoop::State::complete_exchange(const ConnectionPtr& connection) {
  AttemptResult result;
  connection->reader->take(result);
  const bool reusable = connection->reader->reusable();
  connection->reader.reset();
  AttemptDone done = std::move(connection->attempt.done);
  connection->attempt = {};
  connection->busy = false;
  ++connection->generation;
  if (reusable) {
    release(connection);
  } else {
    close_connection(connection);
    serve_waiting();
  }
  done(std::move(result));
}

// `unused`: no byte of an answer came back, so the request may not have reached the server.
void PlainEventLoop::State::fail_exchange(const ConnectionPtr& connection, std::string text, bool retryable,
                                          bool unused) {
  Attempt attempt = std::move(connection->attempt);
  const bool reused = connection->reused;
  close_connection(connection);
  // As libcurl does: a reused connection that the server closed before answering may simply
  // have timed out while idle; the request goes once more on a new connection, in the slot
  // this one freed.
  if (unused && reused && !attempt.sent_again) {
    attempt.sent_again = true;
    return open_new(std::move(attempt));
  }
  serve_waiting();
  attempt.done(failure(std::move(text), retryable));
}

void PlainEventLoop::State::fail_connect(const ConnectionPtr& connection, std::string text) {
  Attempt attempt = std::move(connection->attempt);
  close_connection(connection);
  serve_waiting();
  attempt.done(failure(std::move(text), true));
}

void PlainEventLoop::State::release(const ConnectionPtr& connection) {
  if (!waiting.empty()) {
    Attempt next = std::move(waiting.front());
    waiting.pop_front();
    return start_exchange(connection, std::move(next), true);
  }
  if (closing) {
    close_connection(connection);
    return;
  }
  idle.push_back(connection);
  watch_readable(connection);
}

void PlainEventLoop::State::close_connection(const ConnectionPtr& connection) noexcept {
  ++connection->generation;
  connection->busy = false;
  connection->reader.reset();
  ErrorCode ignored;
  connection->socket.close(ignored);
  connection->timer.cancel(ignored);
  connection->timer_armed = false;
  if (connection->resolver) connection->resolver->cancel();
  --open;
}

// A slot freed: the longest-waiting request gets a new connection.
void PlainEventLoop::State::serve_waiting() {
  if (waiting.empty() || open >= max_connections) return;
  Attempt next = std::move(waiting.front());
  waiting.pop_front();
  open_new(std::move(next));
}

// Makes sure the timer looks at the connection no later than `deadline`.
void PlainEventLoop::State::keep_deadline(const ConnectionPtr& connection, Clock::time_point deadline) {
  if (connection->timer_armed && connection->timer_expiry <= deadline) return;
  connection->timer_armed = true;
  connection->timer_expiry = deadline;
  connection->timer.expires_at(deadline);
  connection->timer.async_wait([this, connection](const ErrorCode& code) {
    if (code == asio::error::operation_aborted) return;  // re-armed or closed
    on_timer(connection);
  });
}

void PlainEventLoop::State::on_timer(const ConnectionPtr& connection) {
  connection->timer_armed = false;
  if (!connection->busy) return;
  const auto now = Clock::now();
  if (connection->phase == Connection::Phase::connecting) {
    if (now < connection->connect_deadline) return keep_deadline(connection, connection->connect_deadline);
    return fail_connect(connection, connect_timeout_text(*target, connection->connect_ms));
  }
  const auto silence_ends = connection->last_activity + std::chrono::milliseconds(connection->read_ms);
  const auto deadline = std::min(silence_ends, connection->cap);
  if (now < deadline) return keep_deadline(connection, deadline);
  fail_exchange(connection,
                connection->cap < silence_ends
                    ? "Timeout was reached (the attempt's time limit, set by the call's deadline)"
                    : read_timeout_text(connection->read_ms),
                true, false);
}

PlainEventLoop::PlainEventLoop(std::shared_ptr<const PlainTarget> target, const ChannelConfig& config,
                               std::size_t max_connections)
    : state_(std::make_unique<State>(std::move(target), config, max_connections)) {}

PlainEventLoop::~PlainEventLoop() { state_->stop_thread(); }

void PlainEventLoop::post(std::function<void()> job) {
  state_->start_thread();
  asio::post(state_->io, std::move(job));
}

void PlainEventLoop::send(const auth::Headers& headers, std::string_view body, const AttemptLimits& limits,
                          AttemptDone done) {
  state_->send({.headers = &headers, .body = body, .limits = limits, .done = std::move(done), .sent_again = false});
}

void PlainEventLoop::after(std::chrono::milliseconds delay, std::function<void()> then) {
  auto timer = std::make_shared<Timer>(state_->io.get_executor());
  timer->expires_after(delay);
  timer->async_wait([timer, then = std::move(then)](const ErrorCode&) { then(); });
}

}  // namespace dynamo::http::detail
