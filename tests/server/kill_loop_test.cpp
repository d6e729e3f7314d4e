// Kill loop: a server with a data directory is killed with SIGKILL at random moments while
// eight writers (one HTTP Connection each, no retries) run PutItem, UpdateItem (ADD to a
// counter), DeleteItem, 25-item BatchWriteItem, TransactWriteItems and CreateTable /
// DeleteTable. Each writer owns its keys and its table, so it knows what every one of them
// must hold: after each restart, every acknowledged write is there, the one write each
// writer had in flight is there whole or not at all (never part of a batch or a
// transaction), and the server opened its store. Prints the counts and the restart times
// (from spawning the process to its first answered call).
//
// LMDB runs the dynamo-server binary (--data-dir); SQLite, which the binary does not offer,
// runs dynamo::server::Server in a forked child with a SQLite store. Environment:
// DYNAMO_KILL_ROUNDS (kills per store kind, default 5), DYNAMO_KILL_DURABILITY (process,
// consistent or power; default consistent), DYNAMO_KILL_MAX_MS (longest run before a kill,
// default 300).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/client/connection.hpp"
#include "dynamo/server/server.hpp"
#include "dynamo/store/store.hpp"
#include "support/peer_server.hpp"

namespace dynamo::server {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr int writer_count = 8;
constexpr int keys_per_writer = 60;
constexpr std::string_view main_table = "Kill";

int env_int(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::atoi(text) : fallback;
}

std::string env_text(const char* name, std::string fallback) {
  const char* text = std::getenv(name);
  return text != nullptr && *text != '\0' ? std::string(text) : fallback;
}

std::string key_name(int writer, int key) { return "w" + std::to_string(writer) + "-k" + std::to_string(key); }
std::string side_table(int writer) { return "Side" + std::to_string(writer); }

api::CreateTableRequest table_request(std::string name) {
  return {.table_name = std::move(name),
          .attribute_definitions = {{"pk", api::ScalarAttributeType::s}},
          .key_schema = {{"pk", api::KeyType::hash}},
          .billing_mode = api::BillingMode::pay_per_request};
}

// A server process on a data directory.
class ServerProcess {
 public:
  // `sqlite`: a forked child running Server with a SQLite store; otherwise dynamo-server.
  ServerProcess(const std::string& dir, bool sqlite, const std::string& durability)
      : port_(testing::free_loopback_port()) {
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork");
    if (pid_ != 0) return;
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(devnull, STDERR_FILENO);
    if (!sqlite) {
      std::vector<std::string> args = {DYNAMO_SERVER_BINARY, "--port",  std::to_string(port_), "--data-dir", dir,
                                       "--durability",       durability, "--shared-db",        "--threads",  "2",
                                       "--ttl-sweep-ms",     "0",        "--quiet"};
      std::vector<char*> argv;
      for (auto& arg : args) argv.push_back(arg.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    try {
      const store::StoreOptions store_options{.kind = store::Kind::sqlite,
                                              .durability = *store::parse_durability(durability)};
      ServerOptions options;
      options.port = static_cast<std::uint16_t>(port_);
      options.threads = 2;
      options.engine.ttl_sweep_interval = 0ms;
      options.shared_db = true;
      options.data_dir = dir;
      options.open_store = [store_options](const std::string& d) { return store::open(d, store_options); };
      options.log = [](std::string_view) {};
      Server server(std::move(options));
      server.start();
      for (;;) ::pause();
    } catch (...) {
      ::_exit(1);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0) kill(SIGKILL);
  }
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  // Sends `signal` and waits for the process; returns its wait status.
  int kill(int signal) {
    ::kill(pid_, signal);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
  }
  // True while the process runs.
  bool running() {
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) pid_ = -1;
    return pid_ > 0;
  }

 private:
  int port_;
  pid_t pid_{-1};
};

Connection connect(const std::string& endpoint) {
  return Connection::connect({.endpoint = endpoint,
                              .region = "us-east-1",
                              .access_key_id = "local",
                              .secret_access_key = auth::SecretString("local"),
                              .settings = {.connect_timeout_seconds = 5,
                                           .read_timeout_seconds = 20,
                                           .max_retry_attempts = 0}});
}

// One write and what it leaves in the writer's keys (nullopt: no item) and table.
struct Write {
  std::string operation;
  long op = 0;  // the writer's sequence number, stored in the items it writes
  std::map<int, std::optional<Item>> after;
  std::map<int, char> actions;  // TransactWriteItems: 'p'ut, 'u'pdate or 'd'elete per key
  std::optional<bool> table_after;  // set for CreateTable / DeleteTable
};

// What a writer knows: the acknowledged state of its keys and of its table.
struct Model {
  std::map<int, Item> items;
  bool table_exists = false;
};

struct Figures {
  std::map<std::string, long> acknowledged;  // per operation
  long in_flight_present = 0;                // unacknowledged writes found applied
  long in_flight_absent = 0;                 // ... and found not applied
  long lost = 0;                             // keys or tables differing from what was acknowledged
  long torn = 0;                             // in-flight writes found partly applied
  long failed_reopens = 0;
  std::vector<double> restart_ms;
  std::vector<std::string> errors;  // unexpected failures of calls (while the server ran)
};

class Writer {
 public:
  Writer(int id, unsigned seed) : id_(id), rng_(seed) {}

  // Runs writes until one fails; `killing` tells whether a failure is expected.
  void run(const std::string& endpoint, const std::atomic<bool>& killing) {
    in_flight_.reset();
    acked_this_round_ = 0;
    const Connection db = connect(endpoint);
    for (;;) {
      Write write = next_write();
      try {
        perform(db, write);
      } catch (const std::exception& e) {
        const auto* failure = dynamic_cast<const OperationError*>(&e);
        if (!killing.load() || failure == nullptr || !failure->is_connection_failure()) {
          errors_.push_back("writer " + std::to_string(id_) + ": " + write.operation +
                            " failed other than by the kill: " + e.what());
        }
        in_flight_ = std::move(write);
        return;
      }
      apply(write);
      ++acknowledged_[write.operation];
      acked_this_round_.fetch_add(1);
    }
  }

  [[nodiscard]] int acked_this_round() const { return acked_this_round_.load(); }

  // Compares the state found after a restart with the model; adopts what was found.
  void check(const std::map<int, Item>& found, bool table_found, bool table_active, Figures& figures) {
    for (auto& [operation, count] : acknowledged_) figures.acknowledged[operation] += count;
    acknowledged_.clear();
    for (auto& error : errors_) figures.errors.push_back(std::move(error));
    errors_.clear();
    const auto found_at = [&](int key) -> std::optional<Item> {
      const auto it = found.find(key);
      return it == found.end() ? std::nullopt : std::optional<Item>(it->second);
    };
    const auto acked_at = [&](int key) -> std::optional<Item> {
      const auto it = model_.items.find(key);
      return it == model_.items.end() ? std::nullopt : std::optional<Item>(it->second);
    };
    for (int key = 0; key < keys_per_writer; ++key) {
      if (in_flight_ && in_flight_->after.contains(key)) continue;
      if (found_at(key) != acked_at(key)) {
        ++figures.lost;
        ADD_FAILURE() << key_name(id_, key) << " differs from its acknowledged state ("
                      << (acked_at(key) ? "an item" : "no item") << " acknowledged, "
                      << (found_at(key) ? "an item" : "no item") << " found)";
      }
    }
    if (!(in_flight_ && in_flight_->table_after) && table_found != model_.table_exists) {
      ++figures.lost;
      ADD_FAILURE() << side_table(id_) << (model_.table_exists ? " was created" : " was deleted")
                    << " (acknowledged) but is " << (table_found ? "there" : "missing");
    }
    if (table_found && !table_active) {
      ++figures.lost;
      ADD_FAILURE() << side_table(id_) << " is not ACTIVE after the restart";
    }
    if (in_flight_) {
      bool all_old = true;
      bool all_new = true;
      for (const auto& [key, after] : in_flight_->after) {
        all_old = all_old && found_at(key) == acked_at(key);
        all_new = all_new && found_at(key) == after;
      }
      if (in_flight_->table_after) {
        all_old = all_old && table_found == model_.table_exists;
        all_new = all_new && table_found == *in_flight_->table_after;
      }
      if (!all_old && !all_new) {
        ++figures.torn;
        ADD_FAILURE() << "writer " << id_ << ": the " << in_flight_->operation
                      << " in flight at the kill is neither whole nor absent";
      } else if (all_new && !all_old) {
        ++figures.in_flight_present;
      } else {
        ++figures.in_flight_absent;  // including writes that change nothing
      }
    }
    model_.items = found;
    model_.table_exists = table_found;
    in_flight_.reset();
  }

 private:
  Item put_item(int key, long op, std::optional<long> batch = std::nullopt) {
    Item item{{"pk", key_name(id_, key)}, {"op", op}};
    if (batch) item.insert_or_assign("batch", *batch);
    item.insert_or_assign("pad", std::string(std::uniform_int_distribution<std::size_t>(0, 300)(rng_), 'p'));
    return item;
  }
  // The item after ADD count :one SET op = :op.
  Item added(const std::optional<Item>& before, int key, long op) const {
    Item item = before.value_or(Item{{"pk", key_name(id_, key)}});
    const AttributeValue* count = item.find("count");
    item.insert_or_assign("count", (count != nullptr ? count->as_number().to<long>() : 0L) + 1);
    item.insert_or_assign("op", op);
    return item;
  }
  std::optional<Item> current(int key, const Write& write) const {
    if (const auto it = write.after.find(key); it != write.after.end()) return it->second;
    const auto it = model_.items.find(key);
    return it == model_.items.end() ? std::nullopt : std::optional<Item>(it->second);
  }
  std::vector<int> distinct_keys(std::size_t n) {
    std::vector<int> keys(keys_per_writer);
    for (int i = 0; i < keys_per_writer; ++i) keys[static_cast<std::size_t>(i)] = i;
    std::shuffle(keys.begin(), keys.end(), rng_);
    keys.resize(n);
    return keys;
  }

  Write next_write() {
    const long op = ++sequence_;
    const int choice = std::uniform_int_distribution<int>(0, 99)(rng_);
    const int key = std::uniform_int_distribution<int>(0, keys_per_writer - 1)(rng_);
    Write write;
    write.op = op;
    if (choice < 25) {
      write.operation = "PutItem";
      write.after[key] = put_item(key, op);
    } else if (choice < 45) {
      write.operation = "UpdateItem";
      write.after[key] = added(current(key, write), key, op);
    } else if (choice < 57) {
      write.operation = "DeleteItem";
      write.after[key] = std::nullopt;
    } else if (choice < 77) {
      write.operation = "BatchWriteItem";
      for (const int k : distinct_keys(25)) {
        if (std::uniform_int_distribution<int>(0, 4)(rng_) == 0) {
          write.after[k] = std::nullopt;
        } else {
          write.after[k] = put_item(k, op, op);
        }
      }
    } else if (choice < 97) {
      write.operation = "TransactWriteItems";
      for (const int k : distinct_keys(std::uniform_int_distribution<std::size_t>(2, 10)(rng_))) {
        const char action = "pud"[std::uniform_int_distribution<int>(0, 2)(rng_)];
        write.actions[k] = action;
        if (action == 'p') {
          write.after[k] = put_item(k, op, op);
        } else if (action == 'u') {
          write.after[k] = added(current(k, write), k, op);
        } else {
          write.after[k] = std::nullopt;
        }
      }
    } else {
      write.operation = model_.table_exists ? "DeleteTable" : "CreateTable";
      write.table_after = !model_.table_exists;
    }
    return write;
  }

  // Sends `write`; throws when it is not acknowledged.
  void perform(const Connection& db, const Write& write) {
    const std::string table(main_table);
    const auto key_of = [&](int k) { return Item{{"pk", key_name(id_, k)}}; };
    const auto add_update = [&](int k) {
      return api::TransactUpdate{
          .key = key_of(k),
          .update_expression = "ADD #c :one SET #o = :op",
          .table_name = table,
          .expression_attribute_names = api::ExpressionAttributeNames{{"#c", "count"}, {"#o", "op"}},
          .expression_attribute_values = api::ExpressionAttributeValues{{":one", 1}, {":op", write.op}}};
    };
    if (write.operation == "CreateTable") {
      db.create_table(table_request(side_table(id_)));
    } else if (write.operation == "DeleteTable") {
      db.delete_table({.table_name = side_table(id_)});
    } else if (write.operation == "PutItem") {
      db.put_item({.table_name = table, .item = *write.after.begin()->second});
    } else if (write.operation == "DeleteItem") {
      db.delete_item({.table_name = table, .key = key_of(write.after.begin()->first)});
    } else if (write.operation == "UpdateItem") {
      const api::TransactUpdate update = add_update(write.after.begin()->first);
      db.update_item({.table_name = table,
                      .key = update.key,
                      .update_expression = update.update_expression,
                      .expression_attribute_names = update.expression_attribute_names,
                      .expression_attribute_values = update.expression_attribute_values});
    } else if (write.operation == "BatchWriteItem") {
      std::vector<api::WriteRequest> requests;
      for (const auto& [k, after] : write.after) {
        if (after) {
          requests.push_back({.put_request = api::PutRequest{.item = *after}});
        } else {
          requests.push_back({.delete_request = api::DeleteRequest{.key = key_of(k)}});
        }
      }
      const auto response = db.batch_write_item({.request_items = {{table, std::move(requests)}}});
      if (response.unprocessed_items && !response.unprocessed_items->empty()) {
        throw std::runtime_error("BatchWriteItem left items unprocessed");
      }
    } else {
      std::vector<api::TransactWriteItem> actions;
      for (const auto& [k, after] : write.after) {
        const char action = write.actions.at(k);
        if (action == 'd') {
          actions.push_back({.delete_ = api::TransactDelete{.key = key_of(k), .table_name = table}});
        } else if (action == 'u') {
          actions.push_back({.update = add_update(k)});
        } else {
          actions.push_back({.put = api::TransactPut{.item = *after, .table_name = table}});
        }
      }
      db.transact_write_items({.transact_items = std::move(actions)});
    }
  }

  void apply(const Write& write) {
    for (const auto& [key, after] : write.after) {
      if (after) {
        model_.items[key] = *after;
      } else {
        model_.items.erase(key);
      }
    }
    if (write.table_after) model_.table_exists = *write.table_after;
  }

  int id_;
  std::mt19937 rng_;
  Model model_;
  long sequence_ = 0;
  std::optional<Write> in_flight_;
  std::map<std::string, long> acknowledged_;
  std::atomic<int> acked_this_round_{0};
  std::vector<std::string> errors_;
};

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const auto at = static_cast<std::size_t>(p / 100.0 * static_cast<double>(values.size() - 1) + 0.5);
  return values[std::min(at, values.size() - 1)];
}

// Spawns the server and waits for its first answered call; nullopt when it does not answer
// within 30 s or exits.
std::unique_ptr<ServerProcess> restart(const std::string& dir, bool sqlite, const std::string& durability,
                                       Figures& figures) {
  const auto spawned = Clock::now();
  auto server = std::make_unique<ServerProcess>(dir, sqlite, durability);
  const Connection db = connect(server->endpoint());
  while (Clock::now() - spawned < 30s && server->running()) {
    try {
      (void)db.list_tables({});
      figures.restart_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - spawned).count());
      return server;
    } catch (const Error&) {
      std::this_thread::sleep_for(1ms);
    }
  }
  ++figures.failed_reopens;
  return nullptr;
}

class KillLoop : public ::testing::TestWithParam<store::Kind> {};

TEST_P(KillLoop, AcknowledgedWritesSurviveAndNothingIsTorn) {
  const bool sqlite = GetParam() == store::Kind::sqlite;
  const int rounds = env_int("DYNAMO_KILL_ROUNDS", 5);
  const int max_ms = std::max(env_int("DYNAMO_KILL_MAX_MS", 300), 2);
  const std::string durability = env_text("DYNAMO_KILL_DURABILITY", "consistent");
  ASSERT_TRUE(store::parse_durability(durability)) << "DYNAMO_KILL_DURABILITY=" << durability;
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("dynamo-kill-loop-" + std::to_string(::getpid()) + (sqlite ? "-sqlite" : "-lmdb"));
  std::filesystem::remove_all(dir);
  std::mt19937 rng(static_cast<unsigned>(::getpid()));
  Figures figures;
  std::vector<std::unique_ptr<Writer>> writers;
  for (int w = 0; w < writer_count; ++w) writers.push_back(std::make_unique<Writer>(w, rng()));

  std::unique_ptr<ServerProcess> server = restart(dir.string(), sqlite, durability, figures);
  ASSERT_TRUE(server) << "the server did not start on an empty directory";
  figures.restart_ms.clear();  // the first start is not a restart
  connect(server->endpoint()).create_table(table_request(std::string(main_table)));
  const auto started = Clock::now();

  for (int round = 0; round < rounds; ++round) {
    std::atomic<bool> killing{false};
    std::vector<std::thread> threads;
    for (auto& writer : writers) {
      threads.emplace_back([&, endpoint = server->endpoint(), w = writer.get()] { w->run(endpoint, killing); });
    }
    // Kill once every writer has been acknowledged at least once, after a random delay.
    const auto deadline = Clock::now() + 10s;
    while (Clock::now() < deadline &&
           std::any_of(writers.begin(), writers.end(), [](const auto& w) { return w->acked_this_round() == 0; })) {
      std::this_thread::sleep_for(1ms);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(1, max_ms)(rng)));
    killing = true;
    const int status = server->kill(SIGKILL);
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "round " << round << ": the server died on its own";
    for (auto& thread : threads) thread.join();

    server = restart(dir.string(), sqlite, durability, figures);
    ASSERT_TRUE(server) << "round " << round << ": the server did not reopen its store";
    const Connection db = connect(server->endpoint());
    std::vector<std::map<int, Item>> found(writer_count);
    std::optional<Item> start_key;
    do {
      const auto page =
          db.scan({.table_name = std::string(main_table), .exclusive_start_key = start_key, .consistent_read = true});
      for (const Item& item : page.items.value_or(std::vector<Item>{})) {
        int w = -1;
        int k = -1;
        const std::string pk = item.at("pk").as_string();
        ASSERT_EQ(std::sscanf(pk.c_str(), "w%d-k%d", &w, &k), 2) << pk;
        ASSERT_TRUE(w >= 0 && w < writer_count && k >= 0 && k < keys_per_writer) << pk;
        found[static_cast<std::size_t>(w)][k] = item;
      }
      start_key = page.last_evaluated_key;
    } while (start_key);
    const std::vector<std::string> tables = db.list_tables({}).table_names.value_or(std::vector<std::string>{});
    for (int w = 0; w < writer_count; ++w) {
      const bool exists = std::find(tables.begin(), tables.end(), side_table(w)) != tables.end();
      const bool active =
          exists && db.describe_table({.table_name = side_table(w)}).table->table_status == api::TableStatus::active;
      writers[static_cast<std::size_t>(w)]->check(found[static_cast<std::size_t>(w)], exists, active, figures);
    }
    ASSERT_TRUE(figures.errors.empty()) << "round " << round << ": " << figures.errors.front();
    ASSERT_EQ(figures.lost + figures.torn, 0) << "round " << round;
  }
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  server->kill(SIGTERM);
  std::filesystem::remove_all(dir);

  long acknowledged = 0;
  std::string per_operation;
  for (const auto& [operation, count] : figures.acknowledged) {
    acknowledged += count;
    per_operation += " " + operation + "=" + std::to_string(count);
  }
  std::printf(
      "kill loop (%s, durability %s): %d kills in %.1f s, %d writers\n"
      "  acknowledged writes: %ld (%s )\n"
      "  in flight at the kill: %ld found applied, %ld not applied\n"
      "  acknowledged writes lost: %ld, torn batches/transactions: %ld, failed reopens: %ld\n"
      "  restart (spawn to first answered call): p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      sqlite ? "SQLite, Server in a child process" : "LMDB, dynamo-server", durability.c_str(), rounds, seconds,
      writer_count, acknowledged, per_operation.c_str(), figures.in_flight_present, figures.in_flight_absent,
      figures.lost, figures.torn, figures.failed_reopens, percentile(figures.restart_ms, 50),
      percentile(figures.restart_ms, 99), figures.restart_ms.empty() ? 0.0 : *std::max_element(figures.restart_ms.begin(), figures.restart_ms.end()));
  EXPECT_EQ(figures.failed_reopens, 0);
  EXPECT_GT(acknowledged, 0);
}

INSTANTIATE_TEST_SUITE_P(Kinds, KillLoop, ::testing::Values(store::Kind::lmdb, store::Kind::sqlite),
                         [](const ::testing::TestParamInfo<store::Kind>& row) {
                           return std::string(row.param == store::Kind::lmdb ? "lmdb" : "sqlite");
                         });

}  // namespace
}  // namespace dynamo::server
