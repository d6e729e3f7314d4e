// The HTTP client under network and server faults, proven with figures. A fault-injecting
// TCP proxy on loopback sits between dynamo::Connection and a real dynamo::server::Server
// (persistent LMDB store, restarted on the same port as one of the faults). With a fixed
// seed the proxy drops requests before and after forwarding them, delays answers past the
// client's timeout, corrupts bodies (x-amz-crc32 mismatch), resets mid-response, answers
// bursts of 503 and restarts the server. Several threads run counters (UpdateItem ADD, not
// idempotent), conditional puts, TransactWriteItems (with the token the HTTP client adds)
// and BatchWriteItem; afterwards the state is read from the server directly and checked:
// no acknowledged write lost, no tokened transaction applied twice (counters applied twice
// are counted and printed, as with every AWS SDK), every batch-written item present.
//
// DYNAMO_FAULT_SECONDS (default 3) sets how long the mixed workload runs, DYNAMO_FAULT_ITEMS
// (default 5000) how many items the batch phase writes; DYNAMO_FAULT_SEED changes the seed.
// The long form: DYNAMO_FAULT_SECONDS=120 DYNAMO_FAULT_ITEMS=1000000 (docs/reliability.md).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/client/connection.hpp"
#include "dynamo/error_codes.hpp"
#include "dynamo/server/server.hpp"
#include "dynamo/store/store.hpp"

namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

long env_number(const char* name, long fallback) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return fallback;
  return std::strtol(text, nullptr, 10);
}

// ---------------------------------------------------------------------------------------
// Sockets

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Closes with a TCP reset rather than an orderly FIN.
void reset_and_close(int fd) {
  const linger hard{.l_onoff = 1, .l_linger = 0};
  ::setsockopt(fd, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
  ::close(fd);
}

int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// One HTTP/1.1 message with a Content-Length body (all the client and the server send).
struct Message {
  std::string head;  // start line and header fields, with the blank line
  std::string body;
  [[nodiscard]] std::string bytes() const { return head + body; }
};

// Reads one message from `fd` into `out`; `buffer` keeps bytes read past it. False on EOF,
// error, `stop`, or no complete message within `limit`.
bool read_message(int fd, std::string& buffer, Message& out, const std::atomic<bool>& stop,
                  std::chrono::milliseconds limit) {
  const auto deadline = Clock::now() + limit;
  std::size_t head_end = std::string::npos;
  std::size_t length = 0;
  for (;;) {
    if (head_end == std::string::npos) {
      head_end = buffer.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        head_end += 4;
        std::string lower = buffer.substr(0, head_end);
        std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (const std::size_t at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
          length = static_cast<std::size_t>(std::strtoull(lower.c_str() + at + 17, nullptr, 10));
        }
      }
    }
    if (head_end != std::string::npos && buffer.size() >= head_end + length) {
      out.head = buffer.substr(0, head_end);
      out.body = buffer.substr(head_end, length);
      buffer.erase(0, head_end + length);
      return true;
    }
    if (stop || Clock::now() >= deadline) return false;
    pollfd waiting{.fd = fd, .events = POLLIN, .revents = 0};
    if (::poll(&waiting, 1, 50) <= 0) continue;
    char chunk[16384];
    const ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
}

// ---------------------------------------------------------------------------------------
// The server, restartable on its port over the same data directory

class RestartableServer {
 public:
  explicit RestartableServer(std::filesystem::path dir) : dir_(std::move(dir)) { start(0); }
  ~RestartableServer() {
    const std::lock_guard lock(mutex_);
    server_.reset();
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] int generation() const { return generation_; }
  // Returns once no restart is under way.
  void wait_until_up() { const std::lock_guard lock(mutex_); }

  // Stops the server (in-flight requests are answered) and starts it again on its port.
  void restart() {
    const std::lock_guard lock(mutex_);
    server_->stop();
    server_.reset();
    ++generation_;
    for (int tries = 0;; ++tries) {
      try {
        start(port_);
        return;
      } catch (const std::system_error&) {
        if (tries > 50) throw;
        std::this_thread::sleep_for(20ms);
      }
    }
  }

 private:
  void start(std::uint16_t port) {
    dynamo::server::ServerOptions options;
    options.port = port;
    options.threads = 2;
    options.idle_timeout = 5s;
    options.shutdown_timeout = 5s;
    options.engine.ttl_sweep_interval = 0ms;
    options.shared_db = true;
    options.data_dir = dir_.string();
    options.open_store = [](const std::string& directory) { return dynamo::store::open(directory); };
    auto server = std::make_unique<dynamo::server::Server>(std::move(options));
    server->start();
    port_ = server->port();
    server_ = std::move(server);
  }

  std::filesystem::path dir_;
  std::mutex mutex_;
  std::unique_ptr<dynamo::server::Server> server_;
  std::uint16_t port_ = 0;
  std::atomic<int> generation_{0};
};

// ---------------------------------------------------------------------------------------
// The proxy

enum Fault : std::size_t {
  none,
  drop_before,    // the client connection is closed; nothing forwarded
  drop_after,     // forwarded and answered; the client gets a reset instead of the answer
  delay,          // the answer comes after the client's timeout
  corrupt,        // one byte of the body changed: x-amz-crc32 no longer matches
  reset_mid,      // half the answer, then a reset
  burst_503,      // 503 ServiceUnavailable without forwarding, for a few requests in a row
  restart,        // the server is stopped and started again before the request is forwarded
  fault_kinds
};
constexpr const char* fault_names[] = {"none",      "drop before forwarding", "drop after forwarding",
                                       "delay past the timeout", "corrupt body (CRC)", "reset mid-response",
                                       "503 (bursts)",          "server restart"};

class FaultProxy {
 public:
  FaultProxy(RestartableServer& server, std::uint64_t seed, std::chrono::milliseconds delay)
      : server_(server), random_(seed), delay_(delay) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0 ||
        ::listen(listener_, 128) != 0) {
      throw std::runtime_error("proxy: cannot listen");
    }
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    acceptor_ = std::thread([this] { accept_loop(); });
  }
  ~FaultProxy() {
    stop_ = true;
    acceptor_.join();
    ::close(listener_);
    std::vector<Connection> connections;
    {
      const std::lock_guard lock(mutex_);
      connections = std::move(connections_);
    }
    for (Connection& c : connections) c.thread.join();  // they take mutex_ too
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }
  // Faults on (the workload) or off (setting up).
  void set_enabled(bool on) { enabled_ = on; }
  // Percent of requests given each fault.
  void set_rates(std::map<Fault, double> rates) {
    const std::lock_guard lock(mutex_);
    rates_ = std::move(rates);
  }
  [[nodiscard]] std::uint64_t injected(Fault fault) const { return injected_[fault]; }
  [[nodiscard]] std::uint64_t requests() const { return requests_; }
  [[nodiscard]] double longest_restart_seconds() const {
    const std::lock_guard lock(mutex_);
    return std::chrono::duration<double>(longest_restart_).count();
  }
  // The server generations each transaction (by its first key) was forwarded to.
  [[nodiscard]] std::map<std::string, std::set<int>> transaction_generations() const {
    const std::lock_guard lock(mutex_);
    return transactions_;
  }

 private:
  void accept_loop() {
    while (!stop_) {
      pollfd waiting{.fd = listener_, .events = POLLIN, .revents = 0};
      if (::poll(&waiting, 1, 50) <= 0) continue;
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      const int one = 1;
      ::setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      const std::lock_guard lock(mutex_);
      // Threads of connections that ended are joined as new ones come: a long run makes
      // tens of thousands of connections (every fault closes one).
      std::erase_if(connections_, [](Connection& c) {
        if (!*c.done) return false;
        c.thread.join();
        return true;
      });
      auto done = std::make_shared<std::atomic<bool>>(false);
      connections_.push_back({std::thread([this, client, done] {
                                serve(client);
                                *done = true;
                              }),
                              done});
    }
  }

  Fault choose() {
    if (!enabled_) return none;
    const std::lock_guard lock(mutex_);
    if (burst_left_ > 0) {
      --burst_left_;
      return burst_503;
    }
    const double roll = std::uniform_real_distribution<double>(0, 100)(random_);
    double at = 0;
    for (const auto& [fault, rate] : rates_) {
      at += rate;
      if (roll < at) {
        if (fault == burst_503) burst_left_ = std::uniform_int_distribution<int>(0, 3)(random_);
        if (fault == restart) {
          // One restart at a time, and the server up at least 300 ms and three times as long
          // as its last restart took (a restart loads every item: seconds for a million).
          if (restarting_ || Clock::now() - last_restart_end_ < std::max<Clock::duration>(300ms, 3 * last_restart_took_))
            return none;
          restarting_ = true;
        }
        return fault;
      }
    }
    return none;
  }

  void note_transaction(const Message& request) {
    if (request.head.find("TransactWriteItems") == std::string::npos) return;
    const std::size_t at = request.body.find(R"({"S":"t-)");
    if (at == std::string::npos) return;
    const std::size_t start = at + 6;
    const std::string key = request.body.substr(start, request.body.find('"', start) - start);
    const std::lock_guard lock(mutex_);
    transactions_[key].insert(server_.generation());
  }

  void serve(int client) {
    int upstream = -1;
    std::string client_buffer;
    std::string upstream_buffer;
    const auto close_all = [&](bool reset) {
      if (reset) reset_and_close(client);
      else ::close(client);
      if (upstream >= 0) ::close(upstream);
    };
    for (;;) {
      Message request;
      if (!read_message(client, client_buffer, request, stop_, std::chrono::hours(1))) return close_all(false);
      ++requests_;
      const Fault fault = choose();
      ++injected_[fault];
      if (fault == drop_before) return close_all(true);
      if (fault == burst_503) {
        const std::string body =
            R"({"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable","message":"The service is unavailable: fault proxy"})";
        const std::string answer = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/x-amz-json-1.0\r\n"
                                   "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        if (!write_all(client, answer)) return close_all(false);
        continue;
      }
      if (fault == restart) {
        const auto started = Clock::now();
        server_.restart();
        {
          const std::lock_guard lock(mutex_);
          restarting_ = false;
          last_restart_end_ = Clock::now();
          last_restart_took_ = last_restart_end_ - started;
          longest_restart_ = std::max(longest_restart_, last_restart_took_);
        }
        if (upstream >= 0) ::close(upstream);
        upstream = -1;
        upstream_buffer.clear();
      }
      // Forward; a keep-alive connection the server closed is opened again once.
      Message response;
      bool answered = false;
      for (int tries = 0; tries < 2 && !answered; ++tries) {
        if (upstream < 0) {
          upstream = connect_loopback(server_.port());
          if (upstream < 0) break;
          upstream_buffer.clear();
        }
        note_transaction(request);
        if (write_all(upstream, request.bytes()) &&
            read_message(upstream, upstream_buffer, response, stop_, std::chrono::seconds(30))) {
          answered = true;
        } else {
          ::close(upstream);
          upstream = -1;
        }
      }
      if (!answered) return close_all(true);  // the server is away (restarting): as a dead network
      switch (fault) {
        case drop_after:
          return close_all(true);
        case delay:
          std::this_thread::sleep_for(delay_);
          (void)write_all(client, response.bytes());
          return close_all(false);
        case corrupt:
          if (!response.body.empty()) response.body[response.body.size() / 2] ^= 0x20;
          break;
        case reset_mid: {
          const std::string bytes = response.bytes();
          (void)write_all(client, std::string_view(bytes).substr(0, bytes.size() / 2));
          std::this_thread::sleep_for(1ms);
          return close_all(true);
        }
        default:
          break;
      }
      if (!write_all(client, response.bytes())) return close_all(false);
    }
  }

  RestartableServer& server_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<bool> enabled_{false};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  struct Connection {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Connection> connections_;
  std::mt19937_64 random_;
  std::map<Fault, double> rates_;
  int burst_left_ = 0;
  bool restarting_ = false;
  Clock::time_point last_restart_end_{};
  Clock::duration last_restart_took_{};
  Clock::duration longest_restart_{};
  std::chrono::milliseconds delay_;
  std::atomic<std::uint64_t> injected_[fault_kinds]{};
  std::atomic<std::uint64_t> requests_{0};
  std::map<std::string, std::set<int>> transactions_;
};

// ---------------------------------------------------------------------------------------
// What the client reported

// The final outcome of one call as the client saw it.
enum class Outcome { ok, condition_failed, unknown, refused };

Outcome classify(const dynamo::Error& e) {
  if (e.code() == dynamo::error_code::conditional_check_failed) return Outcome::condition_failed;
  // No usable answer, or a 5xx after the retries: an earlier attempt may have been applied.
  if (e.code() == dynamo::error_code::connection_error || e.code() == dynamo::error_code::checksum_error ||
      e.http_status() >= 500) {
    return Outcome::unknown;
  }
  return Outcome::refused;
}

struct Calls {
  std::mutex mutex;
  std::set<std::string> ok, condition_failed, unknown, refused;
  std::map<std::string, int> final_errors;  // code -> calls that ended with it

  void record(const std::string& id, Outcome outcome, const std::string& code = {}) {
    const std::lock_guard lock(mutex);
    switch (outcome) {
      case Outcome::ok: ok.insert(id); break;
      case Outcome::condition_failed: condition_failed.insert(id); break;
      case Outcome::unknown: unknown.insert(id); break;
      case Outcome::refused: refused.insert(id); break;
    }
    if (!code.empty()) ++final_errors[code];
  }
  [[nodiscard]] std::size_t total() const { return ok.size() + condition_failed.size() + unknown.size() + refused.size(); }
};

// Attempts per call, by operation, from the transport's hooks.
struct Attempts {
  std::mutex mutex;
  std::map<std::string, std::map<int, std::uint64_t>> histogram;
  void add(std::string_view operation, int attempts) {
    const std::lock_guard lock(mutex);
    ++histogram[std::string(operation)][attempts];
  }
};

template <class F>
void call_recording(Calls& calls, const std::string& id, F&& f) {
  try {
    f();
    calls.record(id, Outcome::ok);
  } catch (const dynamo::Error& e) {
    calls.record(id, classify(e), e.code());
  }
}

dynamo::Item key_of(const std::string& pk) { return dynamo::Item{{"pk", pk}}; }

std::int64_t number_of(const dynamo::Item& item, const char* name) {
  const dynamo::AttributeValue* value = item.find(name);
  return value ? value->as_number().to<std::int64_t>() : 0;
}

// Every item of the table, read from `db` (the server itself, not the proxy).
std::map<std::string, dynamo::Item> read_all(const dynamo::Connection& db) {
  std::map<std::string, dynamo::Item> items;
  std::optional<dynamo::Item> start;
  do {
    auto page = db.scan({.table_name = "Faults", .exclusive_start_key = start, .consistent_read = true});
    for (dynamo::Item& item : page.items.value_or(std::vector<dynamo::Item>{})) {
      std::string pk = item.at("pk").as_string();
      const bool fresh = items.emplace(std::move(pk), std::move(item)).second;
      EXPECT_TRUE(fresh) << "a key scanned twice";
    }
    start = std::move(page.last_evaluated_key);
  } while (start);
  return items;
}

TEST(ClientUnderFaults, NoAcknowledgedWriteLostNoTokenedTransactionAppliedTwice) {
  const long seconds = env_number("DYNAMO_FAULT_SECONDS", 3);
  const long batch_items = env_number("DYNAMO_FAULT_ITEMS", 5000);
  const auto seed = static_cast<std::uint64_t>(env_number("DYNAMO_FAULT_SEED", 20261201));
  constexpr int threads = 4;

  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("dynamo-fault-proxy-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  RestartableServer server(dir);
  // An attempt may last connect + read timeout (docs/http.md): 0.25 + 0.5 s; a delayed
  // answer comes later than that.
  FaultProxy proxy(server, seed, 1000ms);
  const std::map<Fault, double> rates = {{drop_before, 1.5},
                   {drop_after, 1.5},
                   {delay, 0.4},
                   {corrupt, 1.5},
                   {reset_mid, 1.5},
                   {burst_503, 1.0},
                   {restart, 0.4}};
  proxy.set_rates(rates);

  Attempts attempts;
  dynamo::ConnectionOptions options{
      .endpoint = "http://127.0.0.1:" + std::to_string(proxy.port()),
      .region = "us-east-1",
      .access_key_id = "local",
      .secret_access_key = dynamo::auth::SecretString("local"),
      .settings = {.connect_timeout_seconds = 0.25, .read_timeout_seconds = 0.5, .max_retry_attempts = 6,
                   .base_backoff_ms = 10, .max_pool_connections = threads * 2}};
  options.transport_hooks.after_call = [&](const dynamo::http::CallFinished& finished) {
    attempts.add(finished.operation, finished.attempts);
  };
  const dynamo::Connection db = dynamo::Connection::connect(options);
  // Half the workload threads retry once only: their calls end in doubt far more often.
  options.settings.max_retry_attempts = 1;
  const dynamo::Connection db_one_retry = dynamo::Connection::connect(options);
  db.create_table({.table_name = "Faults",
                   .attribute_definitions = {{"pk", dynamo::api::ScalarAttributeType::s}},
                   .key_schema = {{"pk", dynamo::api::KeyType::hash}},
                   .billing_mode = dynamo::api::BillingMode::pay_per_request});
  proxy.set_enabled(true);

  Calls counters, puts, transactions, batches;
  // One BatchWriteItem call of `keys`: every write applied or handed back, or the call failed.
  const auto batch_write = [&](const dynamo::Connection& client, const std::vector<std::string>& keys,
                               const std::string& id) -> bool {
    std::vector<dynamo::api::WriteRequest> writes;
    for (const std::string& pk : keys) {
      writes.push_back({.put_request = dynamo::api::PutRequest{.item = {{"pk", pk}, {"v", pk.size()}}}});
    }
    // Sent again until acknowledged, for up to two minutes: a restart over a million items
    // keeps the server away for seconds, and the client's retry quota runs dry meanwhile.
    const auto give_up = Clock::now() + 120s;
    for (int round = 0; Clock::now() < give_up && !writes.empty(); ++round) {
      dynamo::api::BatchWriteItemRequest request;
      request.request_items.emplace("Faults", writes);
      try {
        auto response = client.batch_write_item(request);
        writes.clear();
        if (response.unprocessed_items && response.unprocessed_items->contains("Faults"))
          writes = std::move(response.unprocessed_items->at("Faults"));
      } catch (const dynamo::Error& e) {
        batches.record(id + "#" + std::to_string(round), classify(e), e.code());
        std::this_thread::sleep_for(50ms);
        continue;  // puts are idempotent: send the same writes again
      }
    }
    if (writes.empty()) batches.record(id, Outcome::ok);
    return writes.empty();
  };

  // The mixed workload.
  const auto deadline = Clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      const dynamo::Connection& client = t % 2 == 0 ? db : db_one_retry;
      std::mt19937 random(static_cast<std::uint32_t>(seed) + static_cast<std::uint32_t>(t));
      for (int i = 0; Clock::now() < deadline; ++i) {
        const std::string id = std::to_string(t) + "-" + std::to_string(i);
        const int pick = std::uniform_int_distribution<int>(0, 99)(random);
        if (pick < 35) {
          // Counter: ADD n 1 (not idempotent) and the call's id to a set (idempotent): the
          // set says which calls were applied, n how many times.
          const std::string pk = "c-" + std::to_string(t) + "-" + std::to_string(i / 500);
          call_recording(counters, id, [&] {
            client.update_item({.table_name = "Faults",
                            .key = key_of(pk),
                            .update_expression = "ADD n :one, ids :id",
                            .expression_attribute_values = dynamo::AttributeMap{
                                {":one", 1}, {":id", dynamo::StringSet{id}}}});
          });
        } else if (pick < 60) {
          call_recording(puts, id, [&] {
            client.put_item({.table_name = "Faults",
                         .item = {{"pk", "p-" + id}, {"v", i}},
                         .condition_expression = "attribute_not_exists(pk)"});
          });
        } else if (pick < 85) {
          // Two items at once; the HTTP client adds a ClientRequestToken.
          call_recording(transactions, id, [&] {
            client.transact_write_items(
                {.transact_items = {
                     {.update = dynamo::api::TransactUpdate{.key = key_of("t-" + id),
                                                            .update_expression = "ADD n :one",
                                                            .table_name = "Faults",
                                                            .expression_attribute_values = dynamo::AttributeMap{{":one", 1}}}},
                     {.put = dynamo::api::TransactPut{.item = {{"pk", "tp-" + id}, {"v", i}}, .table_name = "Faults"}}}});
          });
        } else {
          std::vector<std::string> keys;
          for (int k = 0; k < 25; ++k) keys.push_back("m-" + id + "-" + std::to_string(k));
          (void)batch_write(client, keys, id);
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  const auto mixed_done = Clock::now();

  // The batch phase: `batch_items` items, 25 per request, every one retried until acknowledged.
  std::atomic<long> next_chunk{0};
  std::atomic<long> batch_given_up{0};
  workers.clear();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (;;) {
        const long first = next_chunk.fetch_add(25);
        if (first >= batch_items) return;
        std::vector<std::string> keys;
        for (long k = first; k < std::min(first + 25, batch_items); ++k) keys.push_back("B" + std::to_string(k));
        if (!batch_write(db, keys, "B" + std::to_string(first))) ++batch_given_up;
      }
    });
  }
  for (std::thread& w : workers) w.join();
  const auto batch_done = Clock::now();
  proxy.set_enabled(false);

  // The state, from the server itself (once a restart the last requests started is over).
  server.wait_until_up();
  const dynamo::Connection direct = dynamo::Connection::connect(
      {.endpoint = "http://127.0.0.1:" + std::to_string(server.port()),
       .region = "us-east-1",
       .access_key_id = "local",
       .secret_access_key = dynamo::auth::SecretString("local"),
       .settings = {.read_timeout_seconds = 120}});
  const std::map<std::string, dynamo::Item> items = read_all(direct);
  const auto present = [&](const std::string& pk) { return items.find(pk); };

  // Counters.
  std::map<std::string, std::int64_t> counter_sum;
  std::set<std::string> counter_applied;
  for (const auto& [pk, item] : items) {
    if (!pk.starts_with("c-")) continue;
    counter_sum[pk] = number_of(item, "n");
    if (const dynamo::AttributeValue* ids = item.find("ids")) {
      for (const std::string& id : ids->as_string_set()) counter_applied.insert(id);
    }
  }
  std::int64_t counter_total = 0;
  for (const auto& [pk, n] : counter_sum) counter_total += n;
  std::size_t counters_lost = 0, counters_unknown_applied = 0, counters_refused_applied = 0;
  for (const std::string& id : counters.ok) if (!(counter_applied.contains(id))) ++counters_lost;
  for (const std::string& id : counters.unknown) if (counter_applied.contains(id)) ++counters_unknown_applied;
  for (const std::string& id : counters.refused) if (counter_applied.contains(id)) ++counters_refused_applied;
  const std::int64_t counters_twice = counter_total - static_cast<std::int64_t>(counter_applied.size());

  // Conditional puts.
  std::size_t puts_lost = 0, puts_unknown_applied = 0;
  for (const std::string& id : puts.ok) if (present("p-" + id) == items.end()) ++puts_lost;
  for (const std::string& id : puts.condition_failed) if (present("p-" + id) == items.end()) ++puts_lost;
  for (const std::string& id : puts.unknown) if (present("p-" + id) != items.end()) ++puts_unknown_applied;

  // Transactions: n counts how often each was applied; both items or neither.
  std::size_t tx_lost = 0, tx_twice = 0, tx_twice_across_restart = 0, tx_torn = 0, tx_unknown_applied = 0,
              tx_refused_applied = 0;
  const std::map<std::string, std::set<int>> generations = proxy.transaction_generations();
  const auto applied_times = [&](const std::string& id) {
    const auto it = present("t-" + id);
    const std::int64_t n = it == items.end() ? 0 : number_of(it->second, "n");
    if ((n > 0) != (present("tp-" + id) != items.end())) ++tx_torn;
    if (n > 1) {
      const auto g = generations.find("t-" + id);
      if (g != generations.end() && g->second.size() > 1) ++tx_twice_across_restart;
      else ++tx_twice;
    }
    return n;
  };
  for (const std::string& id : transactions.ok) if (applied_times(id) == 0) ++tx_lost;
  for (const std::string& id : transactions.unknown) if (applied_times(id) > 0) ++tx_unknown_applied;
  for (const std::string& id : transactions.refused) if (applied_times(id) > 0) ++tx_refused_applied;

  // Batches: every acknowledged item present; the batch phase's items all present, once.
  std::size_t batch_lost = 0;
  std::size_t mixed_batch_items = 0;
  for (const std::string& id : batches.ok) {
    if (id.starts_with("B")) continue;
    for (int k = 0; k < 25; ++k) {
      ++mixed_batch_items;
      if (present("m-" + id + "-" + std::to_string(k)) == items.end()) ++batch_lost;
    }
  }
  long batch_phase_present = 0;
  for (long k = 0; k < batch_items; ++k) {
    const auto it = present("B" + std::to_string(k));
    if (it != items.end() && number_of(it->second, "v") == static_cast<std::int64_t>(("B" + std::to_string(k)).size()))
      ++batch_phase_present;
  }
  long batch_phase_keys = 0;
  for (const auto& [pk, item] : items) if (pk.starts_with("B")) ++batch_phase_keys;

  // The figures.
  std::printf("\n== client under faults: seed %llu, %d threads, mixed workload %.1f s, batch phase %.1f s\n",
              static_cast<unsigned long long>(seed), threads,
              std::chrono::duration<double>(mixed_done - (deadline - std::chrono::seconds(seconds))).count(),
              std::chrono::duration<double>(batch_done - mixed_done).count());
  std::printf("requests through the proxy: %llu; longest server restart %.2f s; faults injected:\n",
              static_cast<unsigned long long>(proxy.requests()), proxy.longest_restart_seconds());
  for (std::size_t f = 1; f < fault_kinds; ++f) {
    std::printf("  %-24s %llu\n", fault_names[f], static_cast<unsigned long long>(proxy.injected(static_cast<Fault>(f))));
  }
  const auto line = [](const char* what, const Calls& c) {
    std::printf("  %-22s %6zu calls: %zu ok, %zu condition failed (outcome known), %zu outcome unknown, %zu refused\n",
                what, c.total(), c.ok.size(), c.condition_failed.size(), c.unknown.size(), c.refused.size());
  };
  std::printf("calls as the client reported them:\n");
  line("counters (ADD)", counters);
  line("conditional puts", puts);
  line("transactions", transactions);
  line("batch writes (tries)", batches);
  std::map<std::string, int> final_errors;
  for (Calls* c : {&counters, &puts, &transactions, &batches})
    for (const auto& [code, n] : c->final_errors) final_errors[code] += n;
  std::printf("final errors by code:");
  for (const auto& [code, n] : final_errors) std::printf(" %s=%d", code.c_str(), n);
  std::printf("\nchecked on the server:\n");
  std::printf("  acknowledged writes lost: %zu (counters %zu, puts %zu, transactions %zu, batch items %zu of %zu)\n",
              counters_lost + puts_lost + tx_lost + batch_lost, counters_lost, puts_lost, tx_lost, batch_lost,
              mixed_batch_items);
  std::printf("  counters applied twice: %lld (of %zu calls applied; not idempotent, as in every AWS SDK)\n",
              static_cast<long long>(counters_twice), counter_applied.size());
  std::printf("  transactions applied twice: %zu; across a server restart: %zu; torn: %zu\n", tx_twice,
              tx_twice_across_restart, tx_torn);
  std::printf("  outcome unknown that were applied: counters %zu/%zu, puts %zu/%zu, transactions %zu/%zu\n",
              counters_unknown_applied, counters.unknown.size(), puts_unknown_applied, puts.unknown.size(),
              tx_unknown_applied, transactions.unknown.size());
  std::printf("  transactions the proxy forwarded: %zu, of which to more than one server generation: %zu\n",
              generations.size(),
              static_cast<std::size_t>(std::count_if(generations.begin(), generations.end(),
                                                     [](const auto& g) { return g.second.size() > 1; })));
  std::printf("  batch phase: %ld of %ld items present (%ld keys B*), %ld chunks given up\n", batch_phase_present,
              batch_items, batch_phase_keys, batch_given_up.load());
  std::printf("attempts per call:\n");
  for (const auto& [operation, histogram] : attempts.histogram) {
    std::uint64_t calls = 0, sum = 0;
    int most = 0;
    for (const auto& [n, count] : histogram) {
      calls += count;
      sum += count * static_cast<std::uint64_t>(n);
      most = std::max(most, n);
    }
    std::printf("  %-20s %7llu calls, %.3f attempts per call, at most %d:", operation.c_str(),
                static_cast<unsigned long long>(calls), static_cast<double>(sum) / static_cast<double>(calls), most);
    for (const auto& [n, count] : histogram) std::printf(" %dx%llu", n, static_cast<unsigned long long>(count));
    std::printf("\n");
  }
  std::fflush(stdout);

  EXPECT_GT(counters.total() + puts.total() + transactions.total(), 0U);
  EXPECT_EQ(counters_lost, 0U);
  EXPECT_EQ(puts_lost, 0U);
  EXPECT_EQ(tx_lost, 0U);
  EXPECT_EQ(batch_lost, 0U);
  EXPECT_EQ(tx_twice, 0U) << "a transaction with a ClientRequestToken applied twice";
  // The server stores each token with its transaction: a retry that reaches the restarted
  // server gets the first answer, as with DynamoDB.
  EXPECT_EQ(tx_twice_across_restart, 0U) << "a transaction applied again after a server restart";
  EXPECT_EQ(tx_torn, 0U);
  EXPECT_EQ(counters_refused_applied + tx_refused_applied, 0U);
  EXPECT_EQ(batch_phase_present, batch_items);
  EXPECT_EQ(batch_phase_keys, batch_items);
  EXPECT_EQ(batch_given_up.load(), 0);
  for (std::size_t f = 1; f < fault_kinds; ++f) {
    // Every kind is injected when the run is long enough to expect at least 8 of it.
    if (rates.at(static_cast<Fault>(f)) * static_cast<double>(proxy.requests()) / 100 >= 8) {
      EXPECT_GT(proxy.injected(static_cast<Fault>(f)), 0U) << fault_names[f] << " never injected";
    }
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
