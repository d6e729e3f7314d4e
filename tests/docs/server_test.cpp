// docs/server.md's code, compiled, and run against an in-process server where the page's
// block starts one. ServerPage.PageShowsOnlyCodeFromHere checks that every C++ block of the
// page appears below, so a snippet cannot change in the page without this file changing too.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <dynamo/dynamo.hpp>

#include "docs/snippets.hpp"

// The page's second block includes this header; with it included here first, its #include
// line adds nothing where it stands inside a function.
#include <dynamo/server/server.hpp>

namespace server_page {

// "Pointing clients at it": compiled only, it needs a server on port 8000.
[[maybe_unused]] dynamo::Connection connect_to_port_8000() {
  auto db = dynamo::Connection::connect({.endpoint = "http://127.0.0.1:8000",
                                         .region = "us-east-1",
                                         .access_key_id = "local",
                                         .secret_access_key = dynamo::auth::SecretString("local")});
  return db;
}

}  // namespace server_page

namespace {

// "In-process, tests can run the same server on a free port". The connection takes its
// region and credentials from the environment, as the page says every client needs them.
TEST(ServerPage, InProcessServer) {
  ::setenv("AWS_ACCESS_KEY_ID", "local", 1);
  ::setenv("AWS_SECRET_ACCESS_KEY", "local", 1);
  ::unsetenv("AWS_SESSION_TOKEN");
  ::unsetenv("AWS_PROFILE");
  ::unsetenv("AWS_ENDPOINT_URL");
  ::unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
  ::setenv("AWS_REGION", "us-east-1", 1);
  ::setenv("AWS_CONFIG_FILE", "/nonexistent/dynamo-docs-test/config", 1);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/dynamo-docs-test/credentials", 1);
  ::unsetenv("DYNAMO_SETTINGS_FILE");

  #include <dynamo/server/server.hpp>
  dynamo::server::Server server({.port = 0});
  server.start();
  auto db = dynamo::Connection::connect({.endpoint = server.endpoint()});

  EXPECT_NE(server.port(), 0);
  db.create_table({.table_name = "Orders",
                   .attribute_definitions = {{"id", dynamo::api::ScalarAttributeType::s}},
                   .key_schema = {{"id", dynamo::api::KeyType::hash}},
                   .billing_mode = dynamo::api::BillingMode::pay_per_request});
  EXPECT_EQ(db.list_tables({}).table_names.value_or(std::vector<std::string>{}), std::vector<std::string>{"Orders"});
  EXPECT_EQ(server.engine("us-east-1").list_tables({}).table_names.value_or(std::vector<std::string>{}),
            std::vector<std::string>{"Orders"});
}

// Every ```cpp block of docs/server.md is in this file.
TEST(ServerPage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/server.md", DYNAMO_SOURCE_DIR "/tests/docs/server_test.cpp"), "");
}

}  // namespace
