// A store that cannot write (a full disk, an I/O error) as a client and an operator see it:
// the client gets DynamoDB's 500 InternalServerError "Internal server error", never the
// store's message (it names the data directory); the server logs every 5xx with its cause;
// the failed write leaves nothing behind; and writing works again once space is back.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "dynamo/api/errors_wire.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/log.hpp"
#include "dynamo/server/handler.hpp"
#include "dynamo/server/server.hpp"
#include "dynamo/store/store.hpp"
#include "store/file_size_limit.hpp"

namespace dynamo::server {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view secret_dir = "/var/lib/secret-data-dir";

// Log lines, collected from any thread.
struct Lines {
  std::mutex mutex;
  std::vector<std::string> lines;
  void add(std::string_view line) {
    const std::lock_guard lock(mutex);
    lines.emplace_back(line);
  }
  std::vector<std::string> taken() {
    const std::lock_guard lock(mutex);
    return std::exchange(lines, {});
  }
};

// Stores tables; refuses every item write as LMDB does on a full disk.
class FullStore final : public engine::DurableStore {
 public:
  void put_table(const engine::StoredTable&) override {}
  void delete_table(std::string_view) override {}
  void apply(std::span<const engine::StoredItemChange>) override {
    throw Error("StoreError", "LMDB store " + std::string(secret_dir) + ": committing: No space left on device", 500);
  }
  void load(Loader&) override {}
};

constexpr std::string_view fake_authorization =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123";

Response call(const RequestHandler& handler, std::string_view operation, std::string_view body) {
  const auth::Headers headers = {{"Host", "127.0.0.1:8000"},
                                 {"Content-Type", "application/x-amz-json-1.0"},
                                 {"X-Amz-Target", "DynamoDB_20120810." + std::string(operation)},
                                 {"X-Amz-Date", "20240101T000000Z"},
                                 {"Authorization", std::string(fake_authorization)}};
  return handler.handle({.headers = headers, .body = body});
}

class StoreErrorAnswer : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(call(RequestHandler(engine_, {}), "CreateTable", R"({"TableName":"Thread","BillingMode":"PAY_PER_REQUEST",
        "AttributeDefinitions":[{"AttributeName":"forum","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"forum","KeyType":"HASH"}]})")
                  .status,
              200);
  }
  // The answer to a PutItem the store refuses; its body must not name the directory.
  static void expect_internal_server_error(const Response& r) {
    EXPECT_EQ(r.status, 500);
    const api::ErrorBody body = api::decode_error(r.body);
    EXPECT_EQ(body.code, "InternalServerError");
    EXPECT_EQ(body.message, "Internal server error");
    EXPECT_EQ(r.body.find(secret_dir), std::string::npos) << r.body;
    EXPECT_EQ(r.body.find("StoreError"), std::string::npos) << r.body;
  }
  static constexpr std::string_view put = R"({"TableName":"Thread","Item":{"forum":{"S":"C++"}}})";

  engine::Engine engine_{{.ttl_sweep_interval = 0ms, .store = std::make_shared<FullStore>()}};
};

// The client sees InternalServerError; the handler's log hears the operation and the cause;
// the refused item is not in the table.
TEST_F(StoreErrorAnswer, HidesTheCauseFromTheClientAndLogsIt) {
  Lines log;
  const RequestHandler handler(engine_, {.log_internal_error = [&](std::string_view line) { log.add(line); }});
  expect_internal_server_error(call(handler, "PutItem", put));
  const std::vector<std::string> lines = log.taken();
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_EQ(lines[0],
            "500 answered to DynamoDB_20120810.PutItem: StoreError: LMDB store /var/lib/secret-data-dir: committing: "
            "No space left on device");
  const Response got = call(handler, "GetItem", R"({"TableName":"Thread","Key":{"forum":{"S":"C++"}}})");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, "{}");
}

// Without a log callback the line goes to the library log at ERROR (component "server").
TEST_F(StoreErrorAnswer, WithoutACallbackLogsToTheLibraryLog) {
  Lines log;
  const LogLevel level = log_level();
  set_log_level(LogLevel::error);
  set_log_sink([&](const LogRecord& record) {
    if (record.level == LogLevel::error && record.component == "server") log.add(record.message);
  });
  expect_internal_server_error(call(RequestHandler(engine_, {}), "PutItem", put));
  set_log_sink({});
  set_log_level(level);
  const std::vector<std::string> lines = log.taken();
  ASSERT_EQ(lines.size(), 1U);
  EXPECT_NE(lines[0].find("No space left on device"), std::string::npos) << lines[0];
}

// The whole path on a real disk: dynamo-server's Server with an LMDB data directory, an
// HTTP client without retries, and a full disk simulated with RLIMIT_FSIZE (no file of this
// process may grow; see tests/store/file_size_limit.hpp). Writes the disk refuses are
// answered 500 InternalServerError without the path, each logged with its cause; refused
// items are absent; once space is back the same server writes again; and after a restart
// every acknowledged write is there.
TEST(FullDisk, ThroughTheServer) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("dynamo-full-disk-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  Lines log;
  const auto options = [&] {
    return ServerOptions{.port = 0,
                         .threads = 1,
                         .engine = {.ttl_sweep_interval = 0ms},
                         .shared_db = true,
                         .data_dir = dir.string(),
                         .open_store = [](const std::string& directory) { return store::open(directory); },
                         .log = [&](std::string_view line) { log.add(line); }};
  };
  const auto connect = [](const Server& server) {
    return Connection::connect({.endpoint = server.endpoint(),
                                .region = "us-east-1",
                                .access_key_id = "local",
                                .secret_access_key = auth::SecretString("local"),
                                .settings = {.max_retry_attempts = 0}});
  };
  const auto item = [](int i) { return Item{{"forum", "f" + std::to_string(i)}, {"blob", std::string(200 * 1024, 'x')}}; };
  const auto key = [](int i) { return Item{{"forum", "f" + std::to_string(i)}}; };
  std::vector<int> acknowledged;
  std::vector<int> refused;
  {
    Server server(options());
    server.start();
    const Connection db = connect(server);
    db.create_table({.table_name = "Thread",
                     .attribute_definitions = {{"forum", api::ScalarAttributeType::s}},
                     .key_schema = {{"forum", api::KeyType::hash}},
                     .billing_mode = api::BillingMode::pay_per_request});
    int i = 0;
    for (; i < 5; ++i) {
      db.put_item({.table_name = "Thread", .item = item(i)});
      acknowledged.push_back(i);
    }
    {
      testing::FileSizeLimit disk_full(testing::largest_file_size(dir.string()));
      for (; i < 60 && refused.size() < 3; ++i) {
        try {
          db.put_item({.table_name = "Thread", .item = item(i)});
          acknowledged.push_back(i);
        } catch (const Error& e) {
          EXPECT_EQ(e.http_status(), 500);
          EXPECT_EQ(e.code(), "InternalServerError");
          // The client prefixes the operation: "PutItem on table ... failed: InternalServerError:
          // Internal server error".
          EXPECT_TRUE(std::string(e.message()).ends_with(": Internal server error")) << e.message();
          EXPECT_EQ(std::string(e.message()).find(dir.string()), std::string::npos) << e.message();
          EXPECT_FALSE(db.get_item({.table_name = "Thread", .key = key(i)}).item) << "refused write " << i;
          refused.push_back(i);
        }
      }
      ASSERT_FALSE(refused.empty()) << "the file size limit refused no write";
      disk_full.lift();  // space freed
      db.put_item({.table_name = "Thread", .item = item(i)});
      acknowledged.push_back(i);
    }
    server.stop();
  }
  const std::vector<std::string> lines = log.taken();
  ASSERT_EQ(lines.size(), refused.size());
  for (const std::string& line : lines) {
    EXPECT_EQ(line.rfind("500 answered to DynamoDB_20120810.PutItem: StoreError: LMDB store " + dir.string(), 0), 0U)
        << line;
  }
  Server server(options());
  server.start();
  const Connection db = connect(server);
  for (const int i : acknowledged) {
    const auto got = db.get_item({.table_name = "Thread", .key = key(i)});
    ASSERT_TRUE(got.item) << "acknowledged write " << i << " was lost";
    EXPECT_EQ(*got.item, item(i));
  }
  for (const int i : refused) EXPECT_FALSE(db.get_item({.table_name = "Thread", .key = key(i)}).item) << i;
  std::printf("full disk: %zu writes acknowledged (all found after the restart), %zu refused with 500 and logged\n",
              acknowledged.size(), refused.size());
  server.stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace dynamo::server
