// The HTTP backend's own duties: a ClientRequestToken for every TransactWriteItems that has
// none, kept across retries, as the AWS SDKs do.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "dynamo/client/connection.hpp"
#include "scripted_server.hpp"
#include "test_environment.hpp"

namespace dynamo {
namespace {

Connection connect_to(const http::testing::ScriptedServer& server) {
  return Connection::connect({.endpoint = server.endpoint(),
                              .region = "us-east-1",
                              .access_key_id = http::testing::test_access_key,
                              .secret_access_key = auth::SecretString(http::testing::test_secret),
                              .settings = {.max_retry_attempts = 2, .base_backoff_ms = 1}});
}

std::string token_in(const std::string& body) {
  static const std::regex token(R"re("ClientRequestToken":"([^"]*)")re");
  std::smatch match;
  return std::regex_search(body, match, token) ? match[1].str() : std::string();
}

api::TransactWriteItemsRequest one_put() {
  return {.transact_items = {{.put = api::TransactPut{.item = {{"id", "1"}}, .table_name = "T"}}}};
}

// Without a token, one is made (a random UUID) and the retry after a 500 sends the same one,
// so that DynamoDB applies the transaction once even when the first attempt went through.
TEST(HttpBackend, TransactWriteGetsOneTokenForAllItsAttempts) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  server.script({{.status = 500, .body = R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"})"},
                 {.status = 200, .body = "{}"},
                 {.status = 200, .body = "{}"},
                 {.status = 200, .body = "{}"}});
  auto db = connect_to(server);
  (void)db.transact_write_items(one_put());
  (void)db.transact_write_items_async(one_put()).get();
  auto chosen = one_put();
  chosen.client_request_token = "order-9";
  (void)db.transact_write_items(chosen);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 4U);
  const std::string first = token_in(requests[0].body);
  EXPECT_TRUE(std::regex_match(first, std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << first;
  EXPECT_EQ(token_in(requests[1].body), first);  // the retry
  const std::string async_token = token_in(requests[2].body);
  EXPECT_FALSE(async_token.empty());
  EXPECT_NE(async_token, first);  // each call its own
  EXPECT_EQ(token_in(requests[3].body), "order-9");  // the caller's own is kept
}

// Other operations get no token.
TEST(HttpBackend, OtherOperationsGetNoToken) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  server.script({{.status = 200, .body = "{}"}});
  auto db = connect_to(server);
  (void)db.put_item({.table_name = "T", .item = {{"id", "1"}}});
  EXPECT_EQ(server.requests().at(0).body.find("ClientRequestToken"), std::string::npos);
}

}  // namespace
}  // namespace dynamo
