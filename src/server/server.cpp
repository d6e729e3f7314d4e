// The HTTP side of dynamo-server: Boost.Beast/Asio sockets around RequestHandler.
//
// One io_context per serving thread, each run by its thread alone; accepted connections
// are dealt round-robin to them. A connection lives on one thread, so its handlers need no
// strand and no locks, and connections on different threads are served in parallel. (A
// shared io_context with a strand per connection measured ~25% slower: the type-erased
// strand executor and its reference counting showed at the top of the profile.)
// All of Beast lives in this file so that only one translation unit pays for its templates.
#include "dynamo/server/server.hpp"

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <thread>
#include <unordered_map>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace dynamo::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
// Sockets bound to one io_context's executor type, not the type-erased any_io_executor.
using Socket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;

// Header blocks of real SDK requests are well under 2 KB.
constexpr std::uint32_t max_header_bytes = 64U * 1024U;
constexpr std::size_t initial_read_buffer = 16U * 1024U;
// After an error answer the client may still be sending a body we will not read; draining
// it for a moment before closing keeps the kernel from resetting the connection under the
// answer (which the client would then never see).
constexpr auto linger_time = std::chrono::seconds(2);
constexpr std::size_t max_linger_bytes = 64U * 1024U * 1024U;

bool is_http_parse_error(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_target).category();
}

}  // namespace

class Session;

class Server::Impl {
 public:
  explicit Impl(ServerOptions server_options)
      : options(std::move(server_options)),
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

  ServerOptions options;
  std::shared_ptr<Namespaces> namespaces;
  engine::Engine* engine;  // the default region's (or the shared one), owned by namespaces
  RequestHandler handler;
  std::atomic<bool> started{false};
  std::atomic<bool> stopping{false};
  std::atomic<std::uint16_t> bound_port{0};
  std::atomic<std::size_t> open{0};

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
class Session : public std::enable_shared_from_this<Session> {
 public:
  using Stream = beast::basic_stream<tcp, asio::io_context::executor_type>;

  Session(Socket socket, Server::Impl& server) : stream_(std::move(socket)), server_(server) {
    // Room for a whole typical request, so one read gets it.
    buffer_.reserve(initial_read_buffer);
  }
  ~Session() { server_.session_closed(this); }
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_request(); });
  }

  // From stop(): a connection waiting for its next request is closed now; one in the middle
  // of a request finishes it (and then closes, because the server is stopping).
  void close_if_idle() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      if (self->waiting_ && self->buffer_.size() == 0 && !(self->parser_ && self->parser_->got_some())) {
        beast::error_code ignored;
        self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
        self->stream_.socket().close(ignored);
      }
    });
  }

 private:
  void read_request() {
    if (server_.stopping) return close();
    parser_.emplace();
    parser_->header_limit(max_header_bytes);
    parser_->body_limit(std::uint64_t{server_.options.max_body_bytes});
    waiting_ = true;
    stream_.expires_after(server_.options.idle_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Session::on_header, shared_from_this()));
  }

  void on_header(beast::error_code error, std::size_t) {
    if (error) return on_read(error, 0);
    // Some clients (curl, for bodies over 1 MB) wait for "100 Continue" before the body.
    const auto expect = parser_->get().find(http::field::expect);
    if (expect != parser_->get().end() && beast::iequals(expect->value(), "100-continue")) {
      auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, parser_->get().version());
      http::async_write(stream_, *interim,
                        [self = shared_from_this(), interim](beast::error_code write_error, std::size_t) {
                          if (write_error) return self->close();
                          self->read_body();
                        });
      return;
    }
    read_body();
  }

  void read_body() {
    http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code error, std::size_t) {
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
    if (error == http::error::end_of_stream || error == http::error::partial_message) return close();
    if (is_http_parse_error(error)) return send(server_.handler.malformed_http(error.message()), false, 11);
    if (error) return close();  // reset, timeout, or closed by stop()

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
    send(response, message.keep_alive() && !server_.stopping, message.version());
  }

  // Writes the answer as one contiguous buffer formatted here: for these small, fixed-shape
  // responses that costs less than Beast's serializer walking its buffer sequences (which
  // was ~7% of the server's CPU under load).
  void send(const Response& answer, bool keep_alive, unsigned version) {
    format_response(answer, keep_alive, version, out_);
    stream_.expires_after(server_.options.idle_timeout);
    asio::async_write(stream_, asio::buffer(out_),
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
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.socket().close(ignored);
  }

  // Half-close, then discard what the client still sends until it closes too (or time runs
  // out), so that our last answer is not lost to a reset.
  void linger_close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(linger_time);
    drain();
  }

  void drain() {
    if (!scratch_) scratch_ = std::make_unique<std::array<char, 16384>>();
    stream_.async_read_some(asio::buffer(*scratch_), [self = shared_from_this()](beast::error_code error, std::size_t n) {
      self->drained_ += n;
      if (error || self->drained_ > max_linger_bytes) return self->close();
      self->drain();
    });
  }

  Stream stream_;
  Server::Impl& server_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::string out_;  // the response being written
  auth::Headers headers_;
  std::unique_ptr<std::array<char, 16384>> scratch_;
  std::size_t drained_ = 0;
  bool waiting_ = false;  // between answering one request and having the next one
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

}  // namespace dynamo::server
