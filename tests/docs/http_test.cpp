// docs/http.md's code, compiled, and the same calls run against an in-process dynamo-server.
// HttpPage.PageShowsOnlyCodeFromHere checks that every C++ block of the page appears below,
// so a snippet cannot change in the page without this file changing too.
#include <gtest/gtest.h>

#include <future>
#include <string>

#include <dynamo/server/server.hpp>

#include "docs/snippets.hpp"

// The page's block includes these headers; with them included here first, its #include
// lines add nothing where they stand inside a function.
#include <dynamo/http/service_error.hpp>
#include <dynamo/http/transport.hpp>

namespace http_page {

// The page's block, compiled only: it talks to a server on localhost:8000.
[[maybe_unused]] void call_local_server(const std::string& body) {
  #include <dynamo/http/service_error.hpp>
  #include <dynamo/http/transport.hpp>

  auto transport = dynamo::http::HttpTransport::from_environment(
      {.max_retry_attempts = 5}, {.endpoint = "http://localhost:8000"});

  dynamo::http::HttpResponse r = transport.call("GetItem", body, {.table_name = "Thread"});
  if (!r.ok()) throw dynamo::http::parse_service_error(r);   // code, message, request id

  std::future<dynamo::http::HttpResponse> f = transport.call_async("ListTables", "{}");
}

}  // namespace http_page

namespace {

// The same calls against a server on a free port: a GetItem on a missing table is a
// service error with DynamoDB's code, ListTables answers asynchronously.
TEST(HttpPage, CallsReachAServer) {
  dynamo::server::Server server({.port = 0});
  server.start();
  auto transport = dynamo::http::HttpTransport::from_environment(
      {.max_retry_attempts = 5},
      {.access_key_id = "local", .secret_access_key = dynamo::auth::SecretString("local"), .region = "us-east-1",
       .endpoint = server.endpoint()});

  const std::string body = R"({"TableName":"Thread","Key":{"forum":{"S":"C++"},"subject":{"S":"Modules"}}})";
  dynamo::http::HttpResponse r = transport.call("GetItem", body, {.table_name = "Thread"});
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status, 400);
  const dynamo::Error error = dynamo::http::parse_service_error(r);
  EXPECT_EQ(error.code(), "ResourceNotFoundException");
  EXPECT_EQ(error.request_id(), r.request_id);
  EXPECT_FALSE(r.request_id.empty());

  std::future<dynamo::http::HttpResponse> f = transport.call_async("ListTables", "{}");
  const dynamo::http::HttpResponse tables = f.get();
  EXPECT_TRUE(tables.ok());
  EXPECT_EQ(tables.body, R"({"TableNames":[]})");
}

// Every ```cpp block of docs/http.md is in this file.
TEST(HttpPage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/http.md", DYNAMO_SOURCE_DIR "/tests/docs/http_test.cpp"), "");
}

}  // namespace
