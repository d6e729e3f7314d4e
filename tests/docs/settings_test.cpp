// docs/settings.md's code, compiled and run. SettingsPage.PageShowsOnlyCodeFromHere checks
// that every C++ block of the page appears below, so a snippet cannot change in the page
// without this file changing too.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <string>

#include <dynamo/client/connection.hpp>
#include <dynamo/http/transport.hpp>

#include "docs/snippets.hpp"

// The page's first block includes this header; with it included here first, its #include
// line adds nothing where it stands inside a function.
#include <dynamo/auth/settings.hpp>

namespace {

int vault_reads = 0;

// Stands for the application's own secret store.
dynamo::auth::Credentials fetch_from_vault() {
  ++vault_reads;
  return {.access_key_id = "AKIDVAULT", .secret_access_key = dynamo::auth::SecretString("vault-secret")};
}

// No settings file, no AWS files or variables of the machine running the test.
void isolate_environment() {
  ::unsetenv("DYNAMO_SETTINGS_FILE");
  ::unsetenv("AWS_PROFILE");
  ::setenv("AWS_CONFIG_FILE", "/nonexistent/dynamo-docs-test/config", 1);
  ::setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent/dynamo-docs-test/credentials", 1);
  ::setenv("AWS_REGION", "eu-west-1", 1);
  ::unsetenv("AWS_ENDPOINT_URL");
  ::unsetenv("AWS_ENDPOINT_URL_DYNAMODB");
}

// "Way 1: per connection, in code"
TEST(SettingsPage, PerConnectionInCode) {
  isolate_environment();

  #include <dynamo/auth/settings.hpp>

  dynamo::auth::ClientSettings settings = dynamo::auth::resolve_client_settings({
      .read_timeout_seconds = 5,
      .max_retry_attempts = 8,
      .endpoint = "http://localhost:8000",
  });

  EXPECT_EQ(settings.read_timeout_seconds, 5);
  EXPECT_EQ(settings.max_retry_attempts, 8);
  EXPECT_EQ(settings.endpoint, "http://localhost:8000");
  EXPECT_EQ(settings.connect_timeout_seconds, 15);  // the default, as the page's table says
  EXPECT_EQ(settings.base_backoff_ms, 25);
  EXPECT_EQ(settings.max_pool_connections, 10);
}

// "Your own provider": the provider is the credentials' source; building the transport
// sends nothing.
TEST(SettingsPage, OwnCredentialsProvider) {
  isolate_environment();
  vault_reads = 0;

  dynamo::auth::AwsConfigOverrides aws;
  aws.credentials_provider = [] {
    dynamo::auth::ExpiringCredentials fresh;
    fresh.credentials = fetch_from_vault();   // access key id, secret, session token
    fresh.expiration = std::chrono::system_clock::now() + std::chrono::minutes(30);
    return fresh;
  };
  auto transport = dynamo::http::HttpTransport::from_environment({}, aws);

  EXPECT_EQ(transport.region(), "eu-west-1");
  EXPECT_EQ(transport.endpoint(), "https://dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(vault_reads, 1);
}

// "Settings of one call": on the embedded engine the settings change nothing, and the
// write goes to the same table.
TEST(SettingsPage, SettingsOfOneCall) {
  dynamo::Connection db = dynamo::Connection::embedded();
  (void)db.create_table({.table_name = "Thread",
                         .attribute_definitions = {{"forum_name", dynamo::api::ScalarAttributeType::s},
                                                   {"subject", dynamo::api::ScalarAttributeType::s}},
                         .key_schema = {{"forum_name", dynamo::api::KeyType::hash},
                                        {"subject", dynamo::api::KeyType::range}},
                         .billing_mode = dynamo::api::BillingMode::pay_per_request});

  dynamo::Connection careful = db.with_settings({
      .max_retry_attempts = 0,
      .call_timeout_seconds = 2,
      .extra_headers = {{"X-Request-Source", "checkout"}},
  });
  (void)careful.put_item({.table_name = "Thread", .item = {{"forum_name", "C++"}, {"subject", "Modules"}}});

  EXPECT_TRUE(db.get_item({.table_name = "Thread", .key = {{"forum_name", "C++"}, {"subject", "Modules"}}}).item);
  EXPECT_THROW((void)db.with_settings({.max_retry_attempts = -1}), dynamo::Error);
}

// Every ```cpp block of docs/settings.md is in this file.
TEST(SettingsPage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/settings.md", DYNAMO_SOURCE_DIR "/tests/docs/settings_test.cpp"), "");
}

}  // namespace
