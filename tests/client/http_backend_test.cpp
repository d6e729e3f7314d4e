// The HTTP backend's own duties: a ClientRequestToken for every TransactWriteItems that has
// none, kept across retries, as the AWS SDKs do; settings of one call (with_settings).
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <future>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/client/connection.hpp"
#include "scripted_server.hpp"
#include "test_environment.hpp"

namespace dynamo {
namespace {

Connection connect_to(const http::testing::ScriptedServer& server, auth::ClientSettingsOverrides settings = {
                                                                       .max_retry_attempts = 2, .base_backoff_ms = 1}) {
  return Connection::connect({.endpoint = server.endpoint(),
                              .region = "us-east-1",
                              .access_key_id = http::testing::test_access_key,
                              .secret_access_key = auth::SecretString(http::testing::test_secret),
                              .settings = std::move(settings)});
}

const std::string unavailable_body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable"})";

// How many values a header has in a request, whatever the case of its name.
int header_count(const http::testing::ReceivedRequest& request, std::string_view name) {
  int count = 0;
  for (const auto& header : request.headers) {
    if (header.name.size() == name.size() &&
        std::equal(name.begin(), name.end(), header.name.begin(),
                   [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); })) {
      ++count;
    }
  }
  return count;
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

// Over HTTP, a completion handler runs on the client's event thread, not the caller's, and
// may start the next call from there: the chain of three calls reaches the server in order
// while the caller only waits for the last handler.
TEST(HttpBackend, HandlersRunOnTheEventThreadAndMayStartCalls) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  server.script({{.status = 200, .body = R"({"Item":{"id":{"S":"1"}}})"},
                 {.status = 200, .body = R"({"Item":{"id":{"S":"2"}}})"},
                 {.status = 400, .body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
                                         R"("message":"Requested resource not found"})"}});
  auto db = connect_to(server);
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::string> seen;  // touched by the handlers only, one after another
  std::vector<std::thread::id> threads;
  std::promise<void> last;
  std::function<void(int)> get = [&](int n) {
    db.get_item_async({.table_name = "T", .key = {{"id", std::to_string(n)}}}, [&, n](Outcome<api::GetItemResponse> got) {
      threads.push_back(std::this_thread::get_id());
      if (!got) {
        try {
          (void)got.get();
        } catch (const GetError& e) {
          seen.push_back(n == 3 ? std::string(e.code()) : "unexpected error");
        }
        last.set_value();
        return;
      }
      seen.push_back(got.get().item ? got.get().item->at("id").as_string() : "none");
      get(n + 1);
    });
  };
  get(1);
  ASSERT_EQ(last.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);
  EXPECT_EQ(seen, (std::vector<std::string>{"1", "2", "ResourceNotFoundException"}));
  ASSERT_EQ(threads.size(), 3U);
  for (const auto& thread : threads) EXPECT_NE(thread, caller);
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3U);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NE(requests[i].body.find("\"S\":\"" + std::to_string(i + 1) + "\""), std::string::npos) << requests[i].body;
  }
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

// A call's extra headers are sent besides the connection's, replacing one of the same name
// in any case, on synchronous and asynchronous calls; the connection itself keeps its own.
TEST(HttpBackendSettings, ExtraHeadersOfOneCall) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  auto db = connect_to(server, {.extra_headers = std::map<std::string, std::string>{{"X-Base", "a"}}});
  const Connection traced = db.with_settings({.extra_headers = {{"x-base", "b"}, {"X-Call", "c"}}});
  (void)traced.put_item({.table_name = "T", .item = {{"id", "1"}}});
  (void)traced.get_item_async({.table_name = "T", .key = {{"id", "1"}}}).get();
  (void)db.get_item({.table_name = "T", .key = {{"id", "1"}}});

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3U);
  for (std::size_t i : {std::size_t{0}, std::size_t{1}}) {
    EXPECT_EQ(header_count(requests[i], "X-Base"), 1) << i;
    ASSERT_NE(requests[i].header("X-Base"), nullptr);
    EXPECT_EQ(*requests[i].header("X-Base"), "b");
    ASSERT_NE(requests[i].header("X-Call"), nullptr);
    EXPECT_EQ(*requests[i].header("X-Call"), "c");
  }
  ASSERT_NE(requests[2].header("X-Base"), nullptr);
  EXPECT_EQ(*requests[2].header("X-Base"), "a");
  EXPECT_EQ(requests[2].header("X-Call"), nullptr);
  // The signature covers the call's headers (the server would refuse it otherwise).
  const auth::AuthorizationHeader authorization = auth::verify_signature(
      {.method = requests[0].method, .url = requests[0].target, .headers = requests[0].headers, .body = requests[0].body},
      http::testing::test_secret);
  EXPECT_NE(authorization.signed_headers.find("x-call"), std::string::npos) << authorization.signed_headers;
}

// Retries of one call: more or fewer than the connection's, which keeps its own.
TEST(HttpBackendSettings, RetriesOfOneCall) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  server.set_fallback({.status = 503, .body = unavailable_body});
  auto db = connect_to(server);  // 2 retries
  const auto attempts_of = [&](const Connection& connection) {
    const std::size_t before = server.requests().size();
    EXPECT_THROW((void)connection.get_item({.table_name = "T", .key = {{"id", "1"}}}), Error);
    return server.requests().size() - before;
  };
  EXPECT_EQ(attempts_of(db), 3U);
  EXPECT_EQ(attempts_of(db.with_settings({.max_retry_attempts = 0})), 1U);
  EXPECT_EQ(attempts_of(db.with_settings({.max_retry_attempts = 5, .base_backoff_ms = 1})), 6U);
  EXPECT_EQ(attempts_of(db), 3U);
}

// Timeouts of one call: short timeouts give up on a slow answer that the connection's own
// wait for; a call's deadline bounds its retries.
TEST(HttpBackendSettings, TimeoutsOfOneCall) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  server.script({{.status = 200, .body = "{}", .delay = std::chrono::milliseconds(700)},
                 {.status = 200, .body = "{}", .delay = std::chrono::milliseconds(300)}});
  auto db = connect_to(server, {.connect_timeout_seconds = 2, .read_timeout_seconds = 5, .max_retry_attempts = 0});
  auto started = std::chrono::steady_clock::now();
  try {
    // An attempt may take connect + read timeout in all (docs/http.md): 0.2 s here.
    (void)db.with_settings({.connect_timeout_seconds = 0.1, .read_timeout_seconds = 0.1})
        .get_item({.table_name = "T", .key = {{"id", "1"}}});
    ADD_FAILURE() << "a 700 ms answer outlasted the call's 0.2 s timeouts";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), error_code::connection_error);
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(2000));
  // The connection's own timeouts are back for its next call: a 300 ms answer arrives.
  (void)db.get_item({.table_name = "T", .key = {{"id", "1"}}});

  server.set_fallback({.status = 503, .body = unavailable_body, .delay = std::chrono::milliseconds(100)});
  started = std::chrono::steady_clock::now();
  EXPECT_THROW((void)db.with_settings({.max_retry_attempts = 20, .base_backoff_ms = 1, .call_timeout_seconds = 0.35})
                   .get_item({.table_name = "T", .key = {{"id", "1"}}}),
               Error);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1500));
}

// Settings that break a rule are refused when the connection is made, naming the problem.
TEST(HttpBackendSettings, InvalidSettingsAreRefused) {
  http::testing::keep_loopback_off_proxies();
  http::testing::ScriptedServer server;
  auto db = connect_to(server);
  const auto code_of = [&](const OperationSettings& settings) {
    try {
      (void)db.with_settings(settings);
      return std::string("accepted");
    } catch (const Error& error) {
      return error.code();
    }
  };
  EXPECT_EQ(code_of({.max_retry_attempts = -1}), "InvalidConfiguration");
  EXPECT_EQ(code_of({.read_timeout_seconds = 0}), "InvalidConfiguration");
  EXPECT_EQ(code_of({.call_timeout_seconds = -2}), "InvalidConfiguration");
  EXPECT_EQ(code_of({.extra_headers = {{"Authorization", "x"}}}), "InvalidConfiguration");
  EXPECT_EQ(code_of({.extra_headers = {{"X-Evil", "a\r\nInjected: yes"}}}), "InvalidConfiguration");
  EXPECT_EQ(code_of({.connect_timeout_seconds = 1}), "accepted");
  EXPECT_TRUE(server.requests().empty());
}

// On the embedded engine the settings have nothing to act on: calls work as before, on the
// same tables.
TEST(HttpBackendSettings, EmbeddedEngineIgnoresThem) {
  auto db = Connection::embedded();
  (void)db.create_table({.table_name = "Things",
                         .attribute_definitions = {{"id", api::ScalarAttributeType::s}},
                         .key_schema = {{"id", api::KeyType::hash}},
                         .billing_mode = api::BillingMode::pay_per_request});
  (void)db.with_settings({.max_retry_attempts = 0, .extra_headers = {{"X-Call", "c"}}})
      .put_item({.table_name = "Things", .item = {{"id", "1"}}});
  EXPECT_TRUE(db.get_item({.table_name = "Things", .key = {{"id", "1"}}}).item.has_value());
}

}  // namespace
}  // namespace dynamo
