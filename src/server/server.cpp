// The HTTP side of dynamo-server: Boost.Beast/Asio sockets around RequestHandler.
//
// One io_context per serving thread, each run by its thread alone; accepted connections
// are dealt round-robin to them. A connection lives on one thread, so its handlers need no
// strand and no locks, and connections on different threads are served in parallel. (A
// shared io_context with a strand per connection measured ~25% slower: the type-erased
// strand executor and its reference counting showed at the top of the profile.)
// All of Beast lives in this file so that only one translation unit pays for its templates.
//
// Before a client has authenticated it may be hostile, so every resource it can make the
// server hold is bounded here: header bytes (parser limit), body bytes (parser limit from
// Content-Length), the read buffer (its max_size), bodies held across all connections (a
// counter every request's Content-Length must fit in, checked before its body is read), and
// time (a deadline for each request's header, another for idle keep-alive connections).
// Chunked bodies are refused: Beast 1.74 bounds neither chunk extensions nor trailers, and
// no AWS SDK sends them. docs/server.md, "Hostile clients", has the reasons for each choice.
#include "dynamo/server/server.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "dynamo/api/errors_wire.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/log.hpp"

namespace dynamo::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
// Sockets bound to one io_context's executor type, not the type-erased any_io_executor.
using Socket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;
using Timer = asio::basic_waitable_timer<std::chrono::steady_clock, asio::wait_traits<std::chrono::steady_clock>,
                                         asio::io_context::executor_type>;

constexpr std::size_t initial_read_buffer = 16U * 1024U;
// After an error answer the client may still be sending a body we will not read; draining
// it for a moment before closing keeps the kernel from resetting the connection under the
// answer (which the client would then never see).
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::size_t max_linger_bytes = 64U * 1024U * 1024U;

bool is_http_parse_error(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_target).category();
}

// Client-supplied text quoted in an answer: printable ASCII only, and not too long.
std::string printable(std::string_view text) {
  constexpr std::size_t max_quoted = 100;
  std::string out;
  for (char c : text.substr(0, max_quoted)) out.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  if (text.size() > max_quoted) out.append("...");
  return out;
}

// An answer the transport gives by itself, without the handler: the same shape as the
// handler's error answers (JSON error body, request id, CRC32), so SDKs parse it as one.
Response transport_error(int status, std::string_view type_namespace, std::string code, std::string message) {
  Response response;
  response.status = status;
  response.body = api::encode_error(
      api::ErrorBody{.code = std::move(code), .type_namespace = std::string(type_namespace), .message = std::move(message)});
  response.headers.push_back({"Content-Type", "application/x-amz-json-1.0"});
  response.headers.push_back({"x-amzn-RequestId", new_request_id()});
  response.headers.push_back({"x-amz-crc32", std::to_string(auth::crc32(response.body))});
  return response;
}

constexpr std::string_view coral_service = "com.amazon.coral.service";

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// The host of a Host header value (or of an --allow-host name), lowercase, without the port
// and without a final dot: "LocalHost:8000" -> "localhost", "[::1]:8000" -> "[::1]". A bare
// IPv6 address (more than one colon, no brackets; only from configuration) gets brackets.
std::string host_name_of(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  std::string host;
  if (!value.empty() && value.front() == '[') {
    const auto close = value.find(']');
    host = value.substr(0, close == std::string_view::npos ? value.size() : close + 1);
  } else if (std::count(value.begin(), value.end(), ':') > 1) {
    host = "[" + std::string(value) + "]";
  } else {
    host = value.substr(0, value.find(':'));
  }
  std::transform(host.begin(), host.end(), host.begin(), ascii_lower);
  if (host.size() > 1 && host.back() == '.') host.pop_back();
  return host;
}

// localhost, an IPv4 address in 127.0.0.0/8, or [::1]: names that only ever mean this
// machine, whatever a DNS server says.
bool is_loopback_name(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code error;
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    const auto address = asio::ip::make_address_v6(host.substr(1, host.size() - 2), error);
    return !error && address.is_loopback();
  }
  const auto address = asio::ip::make_address_v4(host, error);
  return !error && address.is_loopback();
}

// Throws std::invalid_argument for limits that contradict each other.
ServerOptions validated(ServerOptions options) {
  const auto fail = [](const std::string& why) { throw std::invalid_argument("ServerOptions: " + why); };
  if (options.max_header_bytes == 0 || options.max_header_bytes > std::numeric_limits<std::uint32_t>::max()) {
    fail("max_header_bytes must be between 1 and 4294967295");
  }
  if (options.max_read_buffer_bytes < options.max_header_bytes) {
    fail("max_read_buffer_bytes (" + std::to_string(options.max_read_buffer_bytes) +
         ") must hold a whole header of max_header_bytes (" + std::to_string(options.max_header_bytes) + ")");
  }
  if (options.max_body_bytes_in_flight < options.max_body_bytes) {
    fail("max_body_bytes_in_flight (" + std::to_string(options.max_body_bytes_in_flight) +
         ") is smaller than max_body_bytes (" + std::to_string(options.max_body_bytes) +
         "): the largest request allowed could never be served");
  }
  if (options.header_timeout <= std::chrono::milliseconds::zero() ||
      options.idle_timeout <= std::chrono::milliseconds::zero()) {
    fail("header_timeout and idle_timeout must be positive");
  }
  for (std::string& name : options.allowed_hosts) name = host_name_of(name);
  return options;
}

}  // namespace

class Session;

class Server::Impl {
 public:
  explicit Impl(ServerOptions server_options)
      : options(validated(std::move(server_options))),
        namespaces(make_namespaces(options)),
        engine(&namespaces->engine(options.engine.region)),
        handler(namespaces, HandlerOptions{.credentials = options.credentials,
                                           .max_body_bytes = options.max_body_bytes,
                                           .check_clock_skew = true,
                                           .region = options.engine.region,
                                           .log_internal_error = options.log}),
        contexts(make_contexts(thread_count())),
        acceptor(*contexts.front()),
        retry_timer(*contexts.front()) {}

  // Shared: one engine (given, or made with the one store). Per region: a factory giving
  // each region an engine with its own region in ARNs and its own store directory; the
  // regions already on disk are opened now, so that a store that cannot be opened stops the
  // server at start rather than failing requests, and their TTL sweepers run from the start.
  static std::shared_ptr<Namespaces> make_namespaces(const ServerOptions& options) {
    if (!options.data_dir.empty() && !options.open_store) {
      throw std::invalid_argument("ServerOptions: data_dir needs open_store");
    }
    if (!is_valid_region_name(options.engine.region)) {
      throw std::invalid_argument("ServerOptions: '" + options.engine.region + "' is not a region name");
    }
    if (options.shared_engine) return std::make_shared<Namespaces>(options.shared_engine);
    if (options.shared_db) {
      engine::EngineOptions engine_options = options.engine;
      if (!options.data_dir.empty()) engine_options.store = options.open_store(options.data_dir);
      return std::make_shared<Namespaces>(std::make_shared<engine::Engine>(std::move(engine_options)));
    }
    if (options.engine.store) {
      throw std::invalid_argument(
          "ServerOptions: engine.store holds one set of tables; set shared_db, or data_dir and open_store for a "
          "store per region");
    }
    const std::string regions_dir = options.data_dir.empty() ? std::string() : options.data_dir + "/regions";
    auto made = std::make_shared<Namespaces>(
        [engine_template = options.engine, regions_dir, open_store = options.open_store](const std::string& region) {
          engine::EngineOptions engine_options = engine_template;
          engine_options.region = region;
          if (!regions_dir.empty()) engine_options.store = open_store(regions_dir + "/" + region);
          return std::make_shared<engine::Engine>(std::move(engine_options));
        },
        options.max_regions);
    if (!regions_dir.empty()) {
      std::error_code error;
      for (const auto& entry : std::filesystem::directory_iterator(regions_dir, error)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_directory(error) && is_valid_region_name(name)) (void)made->engine(name);
      }
      // A database written by --shared-db (or before tables had regions) is not lost, only
      // not served in this mode: say so.
      if (options.log && (std::filesystem::exists(options.data_dir + "/data.mdb", error) ||
                          std::filesystem::exists(options.data_dir + "/dynamo.sqlite3", error))) {
        options.log("warning: " + options.data_dir +
                    " holds a database shared by every region (written with --shared-db); this server keeps "
                    "each region's tables in " +
                    regions_dir + "/<region> instead. Start with --shared-db to serve it");
      }
    }
    return made;
  }

  static std::vector<std::unique_ptr<asio::io_context>> make_contexts(unsigned count) {
    std::vector<std::unique_ptr<asio::io_context>> made;
    for (unsigned i = 0; i < count; ++i) made.push_back(std::make_unique<asio::io_context>(1));
    return made;
  }

  unsigned thread_count() const {
    if (options.threads > 0) return options.threads;
    return std::max(1U, std::thread::hardware_concurrency());
  }

  void log(std::string_view message) const {
    if (options.log) options.log(message);
  }

  void start();
  void stop();
  void accept_next();
  void on_accept(const beast::error_code& error, Socket socket);
  void session_opened(const std::shared_ptr<Session>& session);
  void session_closed(Session* session) noexcept;

  // Counts `bytes` of a request body as held, unless that would pass max_body_bytes_in_flight
  // (bodies of at most always_admitted_body_bytes always pass); false when refused.
  bool admit_body(std::size_t bytes) noexcept {
    if (bytes == 0) return true;
    std::size_t current = body_bytes_in_flight.load(std::memory_order_relaxed);
    do {
      if (bytes > always_admitted_body_bytes && current + bytes > options.max_body_bytes_in_flight) return false;
    } while (!body_bytes_in_flight.compare_exchange_weak(current, current + bytes, std::memory_order_relaxed));
    const std::size_t now = current + bytes;
    std::size_t peak = peak_body_bytes_in_flight.load(std::memory_order_relaxed);
    while (now > peak && !peak_body_bytes_in_flight.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
    }
    return true;
  }

  void release_body(std::size_t bytes) noexcept { body_bytes_in_flight.fetch_sub(bytes, std::memory_order_relaxed); }

  // The requests refused before their body is read, each logged at WARN.
  enum class Refusal : std::size_t { busy, chunked, foreign_host, kinds };

  // Logs a refusal at WARN, at most one line a second of each kind, the next line counting
  // those left out: a client sending thousands cannot flood the log as well.
  void log_refusal(Refusal kind, const std::string& message) {
    if (!log_enabled(LogLevel::warn)) return;
    const auto now = std::chrono::steady_clock::now();
    std::size_t left_out = 0;
    {
      const std::lock_guard lock(refusal_log_mutex);
      RefusalLogState& state = refusal_log[static_cast<std::size_t>(kind)];
      if (state.logged && now - state.last < std::chrono::seconds(1)) {
        ++state.left_out;
        return;
      }
      state.logged = true;
      state.last = now;
      left_out = std::exchange(state.left_out, 0);
    }
    dynamo::log(LogLevel::warn, "server",
                left_out == 0 ? message
                              : message + " (and " + std::to_string(left_out) + " more like it in the last second)");
  }

  // The first Host header value the DNS rebinding guard refuses, if any. A request without a
  // Host header passes: browsers, the only clients a rebinding page can drive, always send one.
  std::optional<std::string> foreign_host(const http::fields& fields) const {
    if (!check_host) return std::nullopt;
    for (auto [field, end] = fields.equal_range(http::field::host); field != end; ++field) {
      const std::string host = host_name_of(field->value());
      if (is_loopback_name(host)) continue;
      if (std::find(options.allowed_hosts.begin(), options.allowed_hosts.end(), host) != options.allowed_hosts.end()) {
        continue;
      }
      return std::string(field->value());
    }
    return std::nullopt;
  }

  ServerOptions options;
  std::shared_ptr<Namespaces> namespaces;
  engine::Engine* engine;  // the default region's (or the shared one), owned by namespaces
  RequestHandler handler;
  std::atomic<bool> started{false};
  std::atomic<bool> stopping{false};
  std::atomic<std::uint16_t> bound_port{0};
  std::atomic<std::size_t> open{0};
  // The DNS rebinding guard; decided by start() from the credentials and the bound address.
  std::atomic<bool> check_host{false};
  std::atomic<std::size_t> body_bytes_in_flight{0};
  std::atomic<std::size_t> peak_body_bytes_in_flight{0};
  struct RefusalLogState {
    bool logged = false;
    std::chrono::steady_clock::time_point last{};
    std::size_t left_out = 0;
  };
  std::mutex refusal_log_mutex;
  std::array<RefusalLogState, static_cast<std::size_t>(Refusal::kinds)> refusal_log{};
  std::atomic<std::uint64_t> header_timeouts{0};
  std::atomic<std::uint64_t> refused_busy{0};
  std::atomic<std::uint64_t> refused_host{0};
  std::atomic<std::uint64_t> refused_chunked{0};
  std::atomic<std::uint64_t> refused_header_too_large{0};

  // Declared before the io_context: handlers destroyed with it end sessions, whose
  // destructors report here.
  std::mutex sessions_mutex;
  std::condition_variable sessions_drained;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

  std::vector<std::unique_ptr<asio::io_context>> contexts;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::size_t next_context = 0;
  tcp::acceptor acceptor;  // on contexts[0]; so are accept_paused and next_context
  asio::steady_timer retry_timer;
  bool accept_paused = false;
  std::vector<std::thread> threads;
  std::mutex stop_mutex;
};

// One client connection: read a request, answer it, repeat while keep-alive holds.
//
// Deadlines: a connection's first request header must be complete within header_timeout of
// the accept; between requests the connection may sit idle for idle_timeout, and from the
// next request's first byte its header again has header_timeout; a body has idle_timeout
// from the end of its header. (Go's net/http splits ReadHeaderTimeout and IdleTimeout the
// same way.) Waiting for the first byte separately costs no extra system call: the header
// read then parses the bytes already in the buffer.
//
// The deadline is a time stamp that each phase moves; one timer per connection checks it.
// The timer is armed at most `tick` (the shorter of the two timeouts) ahead, so no deadline
// a phase sets can fall before it, and it only needs re-arming for the rare shorter one (the
// linger after an error answer). Moving a deadline therefore costs a clock read, not a timer
// cancellation and re-arm: those cost more than parsing the request did. When the deadline
// passes the socket is closed, and the operation it interrupts ends with beast's timeout.
class Session : public std::enable_shared_from_this<Session> {
 public:
  using Clock = std::chrono::steady_clock;

  Session(Socket socket, Server::Impl& server)
      : socket_(std::move(socket)),
        timer_(socket_.get_executor()),
        server_(server),
        buffer_(server.options.max_read_buffer_bytes),
        tick_(std::min(server.options.header_timeout, server.options.idle_timeout)) {
    // Room for a whole typical request, so one read gets it.
    buffer_.reserve(std::min(initial_read_buffer, server.options.max_read_buffer_bytes));
  }
  ~Session() {
    release_body();
    server_.session_closed(this);
  }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    asio::dispatch(socket_.get_executor(), [self = shared_from_this()] { self->read_request(); });
  }

  // From stop(): a connection waiting for its next request is closed now; one in the middle
  // of a request finishes it (and then closes, because the server is stopping).
  void close_if_idle() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] {
      if (self->waiting_ && self->buffer_.size() == 0 && !(self->parser_ && self->parser_->got_some())) {
        beast::error_code ignored;
        self->socket_.shutdown(tcp::socket::shutdown_both, ignored);
        self->socket_.close(ignored);
      }
    });
  }

 private:
  enum class Phase { idle, header, body };

  // `timeout` after `now`; a timeout too long to represent never comes.
  static Clock::time_point after(Clock::time_point now, std::chrono::milliseconds timeout) {
    const auto room = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::time_point::max() - now);
    return timeout >= room ? Clock::time_point::max() : now + timeout;
  }

  // The operations started from now on must be done within `timeout`.
  void set_deadline(std::chrono::milliseconds timeout) {
    const auto now = Clock::now();
    deadline_ = after(now, timeout);
    if (!timer_armed_) return arm_timer(std::min(deadline_, after(now, tick_)));
    if (deadline_ < timer_expiry_) arm_timer(deadline_);  // only a deadline shorter than tick_
  }

  void arm_timer(Clock::time_point at) {
    timer_armed_ = true;
    timer_expiry_ = at;
    timer_.expires_at(at);
    // A weak reference: a connection with nothing left to do but wait for its timer ends now.
    timer_.async_wait([weak = weak_from_this()](const beast::error_code& error) {
      const auto self = weak.lock();
      if (!self || error == asio::error::operation_aborted) return;
      self->on_timer();
    });
  }

  void on_timer() {
    timer_armed_ = false;
    const auto now = Clock::now();
    if (now < deadline_) return arm_timer(std::min(deadline_, after(now, tick_)));
    timed_out_ = true;
    beast::error_code ignored;
    socket_.close(ignored);
  }

  // An operation's error, as beast::basic_stream reports it when the deadline closed the socket.
  beast::error_code checked(beast::error_code error) const {
    return timed_out_ && error ? beast::error_code(beast::error::timeout) : error;
  }

  void read_request() {
    if (server_.stopping) return close();
    release_body();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(std::uint64_t{server_.options.max_body_bytes});
    waiting_ = true;
    if (buffer_.size() == 0 && answered_ > 0) {
      // Keep-alive: wait up to idle_timeout for the next request to begin.
      phase_ = Phase::idle;
      set_deadline(server_.options.idle_timeout);
      socket_.async_read_some(buffer_.prepare(beast::read_size(buffer_, 65536)),
                              beast::bind_front_handler(&Session::on_first_bytes, shared_from_this()));
      return;
    }
    read_header();
  }

  void on_first_bytes(beast::error_code error, std::size_t bytes) {
    buffer_.commit(bytes);
    if (error) return close();  // idle too long, closed by the client, or by stop()
    read_header();
  }

  void read_header() {
    phase_ = Phase::header;
    set_deadline(server_.options.header_timeout);
    beast::error_code error;
    if (parse_buffered(false, error)) return on_header(error, 0);
    http::async_read_header(socket_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  // Parses the bytes already in the buffer, as beast's read operations would before reading
  // more; true when that finished the header (or with `eager`, the message), or failed.
  // A request that arrived whole (the usual case) so needs no asynchronous operation, whose
  // completion Asio would post through the scheduler.
  bool parse_buffered(bool eager, beast::error_code& error) {
    parser_->eager(eager);
    const auto finished = [&] { return eager ? parser_->is_done() : parser_->is_header_done(); };
    while (!finished() && buffer_.size() > 0) {
      const std::size_t used = parser_->put(buffer_.data(), error);
      buffer_.consume(used);
      if (error == http::error::need_more) {
        error = {};
        return false;
      }
      if (error) return true;
      if (used == 0) return false;  // no progress: leave it to beast's read
    }
    return finished();
  }

  // The header is in: the checks that need no body run before a byte of it is read, so a
  // refused body never occupies memory (what the client still sends is drained and dropped).
  void on_header(beast::error_code error, std::size_t) {
    if (error) return on_read(error, 0);  // on_read applies checked()
    phase_ = Phase::body;
    const auto& message = parser_->get();
    if (const auto host = server_.foreign_host(message)) {
      ++server_.refused_host;
      server_.log_refusal(Server::Impl::Refusal::foreign_host,
                          "403 to a request for Host '" + printable(*host) +
                              "', which is not a loopback name (--allow-host accepts it)");
      return send(transport_error(403, coral_service, std::string(error_code::access_denied),
                                  "Host '" + printable(*host) +
                                      "' does not name this machine. A dynamo-server that verifies no signatures "
                                      "and listens on loopback only answers requests addressed to localhost, "
                                      "127.0.0.1 or [::1], so that no web page can reach it through DNS "
                                      "rebinding; start it with --allow-host <name> to accept this name"),
                  false, message.version());
    }
    if (message.find(http::field::transfer_encoding) != message.end()) {
      ++server_.refused_chunked;
      server_.log_refusal(Server::Impl::Refusal::chunked,
                          "411 to a request with Transfer-Encoding (chunked bodies are refused)");
      return send(transport_error(411, coral_service, std::string(error_code::length_required),
                                  "Transfer-Encoding is not accepted; send the body with a Content-Length, as "
                                  "every AWS SDK does"),
                  false, message.version());
    }
    const auto declared = parser_->content_length();
    const std::size_t body_bytes = declared ? static_cast<std::size_t>(*declared) : 0;
    if (!server_.admit_body(body_bytes)) {
      ++server_.refused_busy;
      server_.log_refusal(Server::Impl::Refusal::busy,
                          "503 to a request of " + std::to_string(body_bytes) + " body bytes: " +
                              std::to_string(server_.body_bytes_in_flight.load(std::memory_order_relaxed)) +
                              " bytes of request bodies already held, max_body_bytes_in_flight is " +
                              std::to_string(server_.options.max_body_bytes_in_flight));
      return send(transport_error(503, "com.amazon.coral.availability", std::string(error_code::throttling),
                                  "The server is reading too many large requests at once; retry with backoff"),
                  false, message.version());
    }
    held_ = body_bytes;
    set_deadline(server_.options.idle_timeout);
    // Some clients (curl, for bodies over 1 MB) wait for "100 Continue" before the body.
    const auto expect = message.find(http::field::expect);
    if (expect != message.end() && beast::iequals(expect->value(), "100-continue")) {
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, message.version());
      http::async_write(socket_, *interim,
                        [self = shared_from_this(), interim](beast::error_code write_error, std::size_t) {
                          if (write_error) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    beast::error_code error;
    if (parse_buffered(true, error)) return on_read(error, 0);
    http::async_read(socket_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code error, std::size_t) {
    error = checked(error);
    waiting_ = false;
    if (error == http::error::body_limit) {
      // Beast may stop at the Content-Length field itself, before the header is complete;
      // content_length() may only be asked once it is (Beast asserts so).
      std::optional<std::size_t> length;
      if (parser_->is_header_done()) {
        if (const auto declared = parser_->content_length()) length = static_cast<std::size_t>(*declared);
      }
      return send(server_.handler.body_too_large(length), false, 11);
    }
    // A header longer than the limit, or one that does not fit in the read buffer.
    if ((error == http::error::header_limit || error == http::error::buffer_overflow) && !parser_->is_header_done()) {
      ++server_.refused_header_too_large;
      return send(transport_error(431, coral_service, std::string(error_code::request_header_fields_too_large),
                                  "Request header exceeds the limit of " +
                                      std::to_string(server_.options.max_header_bytes) + " bytes"),
                  false, 11);
    }
    if (error == beast::error::timeout) {
      if (phase_ == Phase::header) ++server_.header_timeouts;
      return close();  // no answer: a client this slow is unlikely to read one
    }
    if (error == http::error::end_of_stream || error == http::error::partial_message) return close();
    if (is_http_parse_error(error)) return send(server_.handler.malformed_http(error.message()), false, 11);
    if (error) return close();  // reset, or closed by stop()

    const auto& message = parser_->get();
    // Reuses the strings of the previous request's headers: no allocation once warm.
    std::size_t count = 0;
    for (const auto& field : message) {
      if (count == headers_.size()) headers_.emplace_back();
      auth::Header& header = headers_[count++];
      header.name.assign(field.name_string().data(), field.name_string().size());
      header.value.assign(field.value().data(), field.value().size());
    }
    headers_.resize(count);
    const Request request{.method = std::string_view(message.method_string()),
                          .target = std::string_view(message.target()),
                          .headers = headers_,
                          .body = message.body()};
    Response response = server_.handler.handle(request);
    const bool keep_alive = message.keep_alive() && !server_.stopping;
    const unsigned version = message.version();
    release_body();  // answered: the body leaves memory and the in-flight count
    ++answered_;
    send(response, keep_alive, version);
  }

  // Frees the request (and its body) and returns its bytes to the in-flight count.
  void release_body() noexcept {
    parser_.reset();
    if (held_ != 0) {
      server_.release_body(held_);
      held_ = 0;
    }
  }

  // Writes the answer as one contiguous buffer formatted here: for these small, fixed-shape
  // responses that costs less than Beast's serializer walking its buffer sequences (which
  // was ~7% of the server's CPU under load).
  void send(const Response& answer, bool keep_alive, unsigned version) {
    format_response(answer, keep_alive, version, out_);
    set_deadline(server_.options.idle_timeout);
    asio::async_write(socket_, asio::buffer(out_),
                      [self = shared_from_this(), keep_alive](beast::error_code error, std::size_t) {
                        if (error) return self->close();
                        if (!keep_alive) return self->linger_close();
                        self->read_request();
                      });
  }

  static void format_response(const Response& answer, bool keep_alive, unsigned version, std::string& out) {
    const auto status = static_cast<http::status>(answer.status);
    out.clear();
    out += version == 10 ? "HTTP/1.0 " : "HTTP/1.1 ";
    out += std::to_string(answer.status);
    out += ' ';
    const beast::string_view reason = http::obsolete_reason(status);
    out.append(reason.data(), reason.size());
    out += "\r\n";
    for (const auto& header : answer.headers) {
      out += header.name;
      out += ": ";
      out += header.value;
      out += "\r\n";
    }
    out += "Content-Length: ";
    out += std::to_string(answer.body.size());
    out += "\r\n";
    // HTTP/1.1 keeps the connection unless told to close; HTTP/1.0 closes unless told to keep.
    if (version == 10 && keep_alive) out += "Connection: keep-alive\r\n";
    if (version != 10 && !keep_alive) out += "Connection: close\r\n";
    out += "\r\n";
    out += answer.body;
  }

  void close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    timer_.cancel();
  }

  // Half-close, then discard what the client still sends until it closes too (or time runs
  // out), so that our last answer is not lost to a reset.
  void linger_close() {
    beast::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_send, ignored);
    set_deadline(linger_time);
    drain();
  }

  void drain() {
    if (!scratch_) scratch_ = std::make_unique<std::array<char, 16384>>();
    socket_.async_read_some(asio::buffer(*scratch_), [self = shared_from_this()](beast::error_code error, std::size_t n) {
      self->drained_ += n;
      if (error || self->drained_ > max_linger_bytes) return self->close();
      self->drain();
    });
  }

  Socket socket_;
  Timer timer_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;  // the response being written
  auth::Headers headers_;
  std::unique_ptr<std::array<char, 16384>> scratch_;
  std::size_t drained_ = 0;
  std::size_t held_ = 0;       // body bytes this connection counts in the server's in-flight sum
  std::uint64_t answered_ = 0;  // requests answered on this connection
  Phase phase_ = Phase::header;
  bool waiting_ = false;  // between answering one request and having the next one
  std::chrono::milliseconds tick_;  // the timer is never armed further ahead than this
  Clock::time_point deadline_{};
  Clock::time_point timer_expiry_{};
  bool timer_armed_ = false;
  bool timed_out_ = false;
};

void Server::Impl::start() {
  if (started.exchange(true)) throw std::logic_error("dynamo::server::Server::start() called twice");
  tcp::resolver resolver(*contexts.front());
  const auto endpoints = resolver.resolve(options.address, std::to_string(options.port),
                                          tcp::resolver::numeric_service | tcp::resolver::passive);
  const tcp::endpoint endpoint = endpoints.begin()->endpoint();
  acceptor.open(endpoint.protocol());
  acceptor.set_option(asio::socket_base::reuse_address(true));
  acceptor.bind(endpoint);
  acceptor.listen(asio::socket_base::max_listen_connections);
  bound_port = acceptor.local_endpoint().port();
  // Without signature checks, anyone who can send the server a request owns its tables; on
  // loopback that is meant to be this machine's programs only, and a browser visiting a page
  // whose name was rebound to 127.0.0.1 must not count as one of them.
  check_host = options.credentials.empty() && !options.allow_any_host && acceptor.local_endpoint().address().is_loopback();
  for (auto& context : contexts) work.push_back(asio::make_work_guard(*context));
  asio::dispatch(acceptor.get_executor(), [this] { accept_next(); });
  threads.reserve(contexts.size());
  for (auto& context : contexts) threads.emplace_back([&io = *context] { io.run(); });
}

void Server::Impl::accept_next() {
  asio::io_context& context = *contexts[next_context++ % contexts.size()];
  acceptor.async_accept(context, [this](const beast::error_code& error, Socket socket) {
    on_accept(error, std::move(socket));
  });
}

void Server::Impl::on_accept(const beast::error_code& error, Socket socket) {
  if (stopping || !acceptor.is_open()) return;
  if (error) {
    // Typically EMFILE: wait a little instead of spinning, then accept again.
    log("accept failed: " + error.message());
    retry_timer.expires_after(std::chrono::milliseconds(50));
    retry_timer.async_wait([this](const beast::error_code& timer_error) {
      if (!timer_error && !stopping) accept_next();
    });
    return;
  }
  beast::error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);  // small answers must not wait for Nagle
  auto session = std::make_shared<Session>(std::move(socket), *this);
  session_opened(session);
  session->start();
  if (open >= options.max_connections) {
    accept_paused = true;  // resumed by session_closed
    return;
  }
  accept_next();
}

void Server::Impl::session_opened(const std::shared_ptr<Session>& session) {
  const std::lock_guard lock(sessions_mutex);
  sessions.emplace(session.get(), session);
  ++open;
}

void Server::Impl::session_closed(Session* session) noexcept {
  {
    const std::lock_guard lock(sessions_mutex);
    sessions.erase(session);
    --open;
  }
  sessions_drained.notify_all();
  if (stopping) return;
  asio::post(acceptor.get_executor(), [this] {
    if (accept_paused && !stopping && acceptor.is_open()) {
      accept_paused = false;
      accept_next();
    }
  });
}

void Server::Impl::stop() {
  const std::lock_guard stop_lock(stop_mutex);
  if (stopping.exchange(true) || !started) return;
  asio::post(acceptor.get_executor(), [this] {
    beast::error_code ignored;
    acceptor.close(ignored);
    retry_timer.cancel();
  });
  std::vector<std::shared_ptr<Session>> live;
  {
    const std::lock_guard lock(sessions_mutex);
    for (auto& [key, weak] : sessions) {
      if (auto session = weak.lock()) live.push_back(std::move(session));
    }
  }
  for (const auto& session : live) session->close_if_idle();
  live.clear();  // our references must not keep sessions open
  {
    std::unique_lock lock(sessions_mutex);
    sessions_drained.wait_for(lock, options.shutdown_timeout, [this] { return open == 0; });
  }
  work.clear();
  for (auto& context : contexts) context->stop();  // what is still open after the timeout is abandoned
  for (std::thread& thread : threads) thread.join();
  threads.clear();
}

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Server::~Server() { stop(); }

void Server::start() { impl_->start(); }

void Server::stop() { impl_->stop(); }

std::uint16_t Server::port() const noexcept { return impl_->bound_port; }

std::string Server::endpoint() const {
  std::string host = impl_->options.address;
  if (host == "0.0.0.0") host = "127.0.0.1";
  if (host == "::") host = "::1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return "http://" + host + ":" + std::to_string(port());
}

engine::Engine& Server::engine() noexcept { return *impl_->engine; }

engine::Engine& Server::engine(std::string_view region) { return impl_->namespaces->engine(region); }

std::vector<std::string> Server::regions() const { return impl_->namespaces->regions(); }

std::size_t Server::open_connections() const noexcept { return impl_->open; }

ServerCounters Server::counters() const noexcept {
  const Impl& impl = *impl_;
  return ServerCounters{.body_bytes_in_flight = impl.body_bytes_in_flight.load(),
                        .peak_body_bytes_in_flight = impl.peak_body_bytes_in_flight.load(),
                        .header_timeouts = impl.header_timeouts.load(),
                        .refused_busy = impl.refused_busy.load(),
                        .refused_host = impl.refused_host.load(),
                        .refused_chunked = impl.refused_chunked.load(),
                        .refused_header_too_large = impl.refused_header_too_large.load()};
}

bool Server::checks_host() const noexcept { return impl_->check_host; }

}  // namespace dynamo::server
