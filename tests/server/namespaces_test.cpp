// Tables belong to a region: dynamo-server keeps one set of tables per region named by the
// request's SigV4 credential scope (or one for all with shared_db), persists each region in
// its own directory, checks the scope's service and region when it verifies signatures, and
// writes the region and account id into ARNs; the embedded connection takes a region too.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

#include "dynamo/api/errors_wire.hpp"
#include "dynamo/auth/sigv4.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/server/handler.hpp"
#include "dynamo/server/server.hpp"
#include "dynamo/store/store.hpp"

namespace dynamo::server {
namespace {

using namespace std::chrono_literals;

api::CreateTableRequest thread_table(std::string name = "Thread") {
  return {.table_name = std::move(name),
          .attribute_definitions = {{"forum", api::ScalarAttributeType::s}},
          .key_schema = {{"forum", api::KeyType::hash}},
          .billing_mode = api::BillingMode::pay_per_request};
}

Connection connect(const Server& server, std::string region, std::string key = "local") {
  return Connection::connect({.endpoint = server.endpoint(),
                              .region = std::move(region),
                              .access_key_id = std::move(key),
                              .secret_access_key = auth::SecretString("local")});
}

std::vector<std::string> table_names(const Connection& db) {
  return db.list_tables({}).table_names.value_or(std::vector<std::string>{});
}

// The error code a call fails with ("" when it succeeds).
template <class Call>
std::string error_code_of(Call&& call) {
  try {
    call();
  } catch (const Error& error) {
    return error.code();
  }
  return {};
}

// A directory removed at the end of the test.
struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("dynamo-namespaces-" + std::to_string(::getpid()) + "-" +
                                                ::testing::UnitTest::GetInstance()->current_test_info()->name());
  TempDir() { std::filesystem::remove_all(path); }
  ~TempDir() { std::filesystem::remove_all(path); }
};

// A table created through us-east-2 is listed and found there only; us-east-1 has its own
// tables, under the same name too; ARNs carry each region and the configured account id.
TEST(Regions, SeparateTablesPerRegionWithTheirArns) {
  engine::EngineOptions engine_options{.account_id = "123456789012", .ttl_sweep_interval = 0ms};
  Server server({.port = 0, .threads = 1, .engine = engine_options});
  server.start();
  const Connection east2 = connect(server, "us-east-2");
  const Connection east1 = connect(server, "us-east-1");

  const auto created = east2.create_table(thread_table());
  EXPECT_EQ(created.table_description->table_arn, "arn:aws:dynamodb:us-east-2:123456789012:table/Thread");
  EXPECT_EQ(table_names(east2), std::vector<std::string>{"Thread"});
  EXPECT_TRUE(table_names(east1).empty());
  EXPECT_EQ(error_code_of([&] { (void)east1.describe_table({.table_name = "Thread"}); }), "ResourceNotFoundException");

  // The same name in another region is another table.
  const auto other = east1.create_table(thread_table());
  EXPECT_EQ(other.table_description->table_arn, "arn:aws:dynamodb:us-east-1:123456789012:table/Thread");
  east1.put_item({.table_name = "Thread", .item = {{"forum", "one"}}});
  EXPECT_FALSE(east2.get_item({.table_name = "Thread", .key = {{"forum", "one"}}}).item.has_value());
  EXPECT_TRUE(east1.get_item({.table_name = "Thread", .key = {{"forum", "one"}}}).item.has_value());

  // Another access key sees the same tables: keys of one account share its regions.
  EXPECT_EQ(table_names(connect(server, "us-east-2", "another-key")), std::vector<std::string>{"Thread"});
  EXPECT_EQ(server.regions(), (std::vector<std::string>{"us-east-1", "us-east-2"}));
  EXPECT_EQ(server.engine("us-east-2").describe_table({.table_name = "Thread"}).table->table_arn,
            "arn:aws:dynamodb:us-east-2:123456789012:table/Thread");
  server.stop();
}

// shared_db (DynamoDB Local's -sharedDb): every region sees one set of tables, whose ARNs
// name the server's region.
TEST(Regions, SharedDbServesOneSetOfTablesToEveryRegion) {
  Server server({.port = 0, .threads = 1, .engine = {.region = "eu-west-1", .ttl_sweep_interval = 0ms}, .shared_db = true});
  server.start();
  const auto created = connect(server, "us-east-2").create_table(thread_table());
  EXPECT_EQ(created.table_description->table_arn, "arn:aws:dynamodb:eu-west-1:000000000000:table/Thread");
  EXPECT_EQ(table_names(connect(server, "us-east-1")), std::vector<std::string>{"Thread"});
  EXPECT_EQ(table_names(connect(server, "localhost")), std::vector<std::string>{"Thread"});
  EXPECT_TRUE(server.regions().empty());
  server.stop();
}

// With a data directory each region persists in data_dir/regions/<region>; a restarted
// server finds both regions (opened at start) with their tables and items, still apart.
TEST(Regions, EachRegionPersistsInItsOwnDirectory) {
  const TempDir dir;
  const auto options = [&] {
    return ServerOptions{.port = 0,
                         .threads = 1,
                         .engine = {.ttl_sweep_interval = 0ms},
                         .data_dir = dir.path.string(),
                         .open_store = [](const std::string& directory) { return store::open(directory); }};
  };
  {
    Server server(options());
    server.start();
    const Connection west = connect(server, "us-west-2");
    west.create_table(thread_table("West"));
    west.put_item({.table_name = "West", .item = {{"forum", "w"}}});
    const Connection south = connect(server, "sa-east-1");
    south.create_table(thread_table("South"));
    south.put_item({.table_name = "South", .item = {{"forum", "s"}}});
    server.stop();
  }
  EXPECT_TRUE(std::filesystem::is_directory(dir.path / "regions" / "us-west-2"));
  EXPECT_TRUE(std::filesystem::is_directory(dir.path / "regions" / "sa-east-1"));

  Server server(options());
  // Both regions are open before any request names them (and the default region exists).
  EXPECT_EQ(server.regions(), (std::vector<std::string>{"sa-east-1", "us-east-1", "us-west-2"}));
  server.start();
  const Connection west = connect(server, "us-west-2");
  const Connection south = connect(server, "sa-east-1");
  EXPECT_EQ(table_names(west), std::vector<std::string>{"West"});
  EXPECT_EQ(table_names(south), std::vector<std::string>{"South"});
  EXPECT_TRUE(west.get_item({.table_name = "West", .key = {{"forum", "w"}}}).item.has_value());
  EXPECT_TRUE(south.get_item({.table_name = "South", .key = {{"forum", "s"}}}).item.has_value());
  EXPECT_EQ(west.describe_table({.table_name = "West"}).table->table_arn,
            "arn:aws:dynamodb:us-west-2:000000000000:table/West");
  server.stop();
}

// A shared database in the data directory itself is served by shared_db and, in per-region
// mode, reported rather than silently ignored.
TEST(Regions, SharedDatabaseOnDiskIsReportedInPerRegionMode) {
  const TempDir dir;
  const auto open_store = [](const std::string& directory) { return store::open(directory); };
  {
    Server server({.port = 0, .threads = 1, .engine = {.ttl_sweep_interval = 0ms}, .shared_db = true,
                   .data_dir = dir.path.string(), .open_store = open_store});
    server.start();
    connect(server, "us-east-1").create_table(thread_table());
    server.stop();
  }
  std::vector<std::string> logged;
  Server per_region({.port = 0, .threads = 1, .engine = {.ttl_sweep_interval = 0ms}, .data_dir = dir.path.string(),
                     .open_store = open_store, .log = [&](std::string_view line) { logged.emplace_back(line); }});
  ASSERT_EQ(logged.size(), 1U);
  EXPECT_NE(logged[0].find("Start with --shared-db to serve it"), std::string::npos) << logged[0];
  EXPECT_TRUE(per_region.engine().list_tables({}).table_names.value_or(std::vector<std::string>{}).empty());
}

// Region names become directory names: only letters, digits, '-' and '_'.
TEST(Regions, RegionNames) {
  EXPECT_TRUE(is_valid_region_name("us-east-1"));
  EXPECT_TRUE(is_valid_region_name("fakeRegion"));
  EXPECT_TRUE(is_valid_region_name("local_test"));
  EXPECT_FALSE(is_valid_region_name(""));
  EXPECT_FALSE(is_valid_region_name(".."));
  EXPECT_FALSE(is_valid_region_name("us/east"));
  EXPECT_FALSE(is_valid_region_name("us east"));
  EXPECT_FALSE(is_valid_region_name(std::string(65, 'a')));
  EXPECT_TRUE(is_valid_region_name(std::string(64, 'a')));
}

// ---- The handler, without sockets -----------------------------------------------------

std::pair<std::string, std::string> error_of(const Response& r) {
  const api::ErrorBody body = api::decode_error(r.body);
  return {body.code.substr(body.code.find('#') + 1), body.message};
}

// Headers of a ListTables request signed now for `region` and `service`.
auth::Headers signed_headers(std::string_view region, std::string_view service = "dynamodb",
                             std::string_view secret = "secret-example", std::string_view token = "") {
  auth::Headers headers = {{"Host", "127.0.0.1:8000"},
                           {"Content-Type", "application/x-amz-json-1.0"},
                           {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
  const auto signing = auth::sign_request(
      {.url = "http://127.0.0.1:8000/", .headers = headers, .body = "{}"},
      auth::Credentials{.access_key_id = "AKIDEXAMPLE", .secret_access_key = std::string(secret),
                        .session_token = std::string(token)},
      {.region = region, .service = service, .timestamp = auth::current_time()});
  signing.add_headers_to(headers);
  return headers;
}

std::shared_ptr<Namespaces> per_region_namespaces(std::size_t max_regions = default_max_regions) {
  return std::make_shared<Namespaces>(
      [](const std::string& region) {
        return std::make_shared<engine::Engine>(engine::EngineOptions{.region = region, .ttl_sweep_interval = 0ms});
      },
      max_regions);
}

HandlerOptions verifying(std::string session_token = {}) {
  return {.credentials = {auth::Credentials{.access_key_id = "AKIDEXAMPLE",
                                            .secret_access_key = "secret-example",
                                            .session_token = std::move(session_token)}}};
}

// Verification refuses a scope for another service with AWS's words; in per-region mode
// any region name is served, and a scope naming no valid region is refused.
TEST(ScopeChecks, ServiceAndRegionInPerRegionMode) {
  const RequestHandler handler(per_region_namespaces(), verifying());
  EXPECT_EQ(handler.handle({.headers = signed_headers("ap-south-1"), .body = "{}"}).status, 200);
  EXPECT_EQ(handler.handle({.headers = signed_headers("local"), .body = "{}"}).status, 200);

  Response r = handler.handle({.headers = signed_headers("us-east-1", "s3"), .body = "{}"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_of(r), std::make_pair(std::string("InvalidSignatureException"),
                                        std::string("Credential should be scoped to correct service: 'dynamodb'. ")));

  r = handler.handle({.headers = signed_headers("us.east.1"), .body = "{}"});
  EXPECT_EQ(error_of(r), std::make_pair(std::string("InvalidSignatureException"),
                                        std::string("Credential should be scoped to a valid region, not 'us.east.1'. ")));
  EXPECT_EQ(handler.namespaces().regions(), (std::vector<std::string>{"ap-south-1", "local"}));
}

// With one set of tables for all regions, a verifying server accepts only its own region,
// as an AWS endpoint does.
TEST(ScopeChecks, SharedModeAcceptsOnlyTheServersRegion) {
  engine::Engine engine(engine::EngineOptions{.region = "eu-central-1", .ttl_sweep_interval = 0ms});
  HandlerOptions options = verifying();
  options.region = "eu-central-1";
  const RequestHandler handler(engine, options);
  EXPECT_EQ(handler.handle({.headers = signed_headers("eu-central-1"), .body = "{}"}).status, 200);
  const Response r = handler.handle({.headers = signed_headers("us-east-1"), .body = "{}"});
  EXPECT_EQ(error_of(r), std::make_pair(std::string("InvalidSignatureException"),
                                        std::string("Credential should be scoped to a valid region, not 'us-east-1'. ")));
}

// Without verification, per-region mode still refuses a region that cannot name a
// directory, and the number of regions is bounded.
TEST(ScopeChecks, UnverifiedRegionsAreNamesAndBounded) {
  const RequestHandler handler(per_region_namespaces(2), {});
  const auto unsigned_for = [](std::string_view region) {
    return auth::Headers{{"Content-Type", "application/x-amz-json-1.0"},
                         {"X-Amz-Target", "DynamoDB_20120810.ListTables"},
                         {"X-Amz-Date", "20240101T000000Z"},
                         {"Authorization", "AWS4-HMAC-SHA256 Credential=k/20240101/" + std::string(region) +
                                               "/dynamodb/aws4_request, SignedHeaders=host, Signature=00"}};
  };
  EXPECT_EQ(handler.handle({.headers = unsigned_for("one"), .body = "{}"}).status, 200);
  EXPECT_EQ(handler.handle({.headers = unsigned_for("two"), .body = "{}"}).status, 200);
  Response r = handler.handle({.headers = unsigned_for("three"), .body = "{}"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_of(r).first, "InvalidSignatureException");
  EXPECT_NE(error_of(r).second.find("at most 2 regions"), std::string::npos) << r.body;
  r = handler.handle({.headers = unsigned_for(".."), .body = "{}"});
  EXPECT_EQ(error_of(r).first, "InvalidSignatureException");
  EXPECT_EQ(handler.handle({.headers = unsigned_for("one"), .body = "{}"}).status, 200);
}

// The session token must match exactly (compared in constant time); a missing, shorter,
// longer or different token is refused.
TEST(ScopeChecks, SessionToken) {
  const RequestHandler handler(per_region_namespaces(), verifying("token-123"));
  EXPECT_EQ(handler.handle({.headers = signed_headers("us-east-1", "dynamodb", "secret-example", "token-123"),
                            .body = "{}"})
                .status,
            200);
  for (const std::string_view wrong : {"", "token-12", "token-1234", "token-124"}) {
    const Response r =
        handler.handle({.headers = signed_headers("us-east-1", "dynamodb", "secret-example", wrong), .body = "{}"});
    EXPECT_EQ(error_of(r).first, "UnrecognizedClientException") << wrong;
  }
}

// GET / (no credential scope) answers with the server's default region.
TEST(ScopeChecks, HealthCheckNamesTheDefaultRegion) {
  const RequestHandler handler(per_region_namespaces(), {.region = "eu-north-1"});
  const Response r = handler.handle({.method = "GET", .target = "/"});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "healthy: dynamodb.eu-north-1.amazonaws.com ");
  EXPECT_TRUE(handler.namespaces().regions().empty());
}

// ---- The embedded connection ------------------------------------------------------------

// EmbeddedOptions::region and account_id go into ARNs; a tag call naming another region's
// ARN finds no table.
TEST(EmbeddedRegion, ArnsCarryTheRegionAndAccount) {
  const Connection db = Connection::embedded({.ttl_sweep_interval = 0ms, .region = "ap-northeast-1",
                                              .account_id = "111122223333"});
  const auto created = db.create_table(thread_table());
  const std::string arn = "arn:aws:dynamodb:ap-northeast-1:111122223333:table/Thread";
  EXPECT_EQ(created.table_description->table_arn, arn);
  EXPECT_NO_THROW((void)db.list_tags_of_resource({.resource_arn = arn}));
  EXPECT_EQ(error_code_of([&] {
              (void)db.list_tags_of_resource({.resource_arn = "arn:aws:dynamodb:us-east-1:111122223333:table/Thread"});
            }),
            "ResourceNotFoundException");
  // The default stays us-east-1 with the local account id.
  EXPECT_EQ(Connection::embedded({.ttl_sweep_interval = 0ms}).create_table(thread_table()).table_description->table_arn,
            "arn:aws:dynamodb:us-east-1:000000000000:table/Thread");
}

}  // namespace
}  // namespace dynamo::server
