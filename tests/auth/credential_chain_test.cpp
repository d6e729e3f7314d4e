// The credentials chain's network-free parts: RefreshingCredentials' timing and
// single-flight refresh, credential_process, profile rules and endpoint configuration.
// (The sources that call a service are tested against loopback fakes in tests/http.)
#include "dynamo/auth/credential_chain.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "auth/credential_sources.hpp"
#include "auth/ini.hpp"
#include "auth/temp_dir.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

using namespace std::chrono_literals;
using testing::TempDir;
using Clock = std::chrono::system_clock;

constexpr const char* kProcessSecret = "PROCESSsecretPROCESSsecret";

template <typename Action>
Error error_of(Action action) {
  try {
    action();
  } catch (const Error& error) {
    return error;
  }
  ADD_FAILURE() << "no dynamo::Error thrown";
  return Error("none", "none");
}

bool has(std::string_view text, std::string_view part) { return text.find(part) != std::string_view::npos; }

// A clock the test moves.
struct ManualClock {
  std::atomic<Clock::rep> ticks{Clock::now().time_since_epoch().count()};
  [[nodiscard]] Clock::time_point now() const { return Clock::time_point(Clock::duration(ticks.load())); }
  void set(Clock::time_point at) { ticks = at.time_since_epoch().count(); }
  std::function<Clock::time_point()> function() {
    return [this] { return now(); };
  }
};

// A source handing out numbered credentials that expire an hour after they are made.
struct CountingSource {
  ManualClock& clock;
  std::atomic<int> calls{0};
  std::atomic<bool> failing{false};
  CredentialsCallback function() {
    return [this] {
      const int n = ++calls;
      if (failing) throw Error("Unavailable", "source down", 0);
      ExpiringCredentials fresh;
      fresh.credentials.access_key_id = "ASIA" + std::to_string(n);
      fresh.credentials.secret_access_key = "secret";
      fresh.expiration = clock.now() + 1h;
      return fresh;
    };
  }
};

// Nothing is fetched again while the credentials are far from expiring; from five minutes
// before, one caller fetches early; a failed early fetch keeps the still-valid credentials.
TEST(RefreshingCredentials, RefreshesAheadOfExpiry) {
  ManualClock clock;
  CountingSource source{clock};
  const auto start = clock.now();
  RefreshingCredentials provider(source.function(), {.clock = clock.function()}, "counting");
  EXPECT_EQ(provider.current()->access_key_id, "ASIA1");
  EXPECT_EQ(provider.current()->source, "counting");
  clock.set(start + 50min);
  EXPECT_EQ(provider.current()->access_key_id, "ASIA1");
  EXPECT_EQ(source.calls.load(), 1);

  clock.set(start + 56min);  // inside the 5-minute prefetch window
  source.failing = true;
  EXPECT_EQ(provider.current()->access_key_id, "ASIA1");  // failure hidden: still valid
  EXPECT_EQ(source.calls.load(), 2);
  EXPECT_EQ(provider.current()->access_key_id, "ASIA1");  // not retried at once
  EXPECT_EQ(source.calls.load(), 2);

  source.failing = false;
  clock.set(start + 56min + 11s);  // after retry_interval
  EXPECT_EQ(provider.current()->access_key_id, "ASIA3");
  EXPECT_EQ(provider.fetch_count(), 3U);
}

// Past the stale point a failing source is an error for the caller.
TEST(RefreshingCredentials, StaleCredentialsReportTheFailure) {
  ManualClock clock;
  CountingSource source{clock};
  const auto start = clock.now();
  RefreshingCredentials provider(source.function(), {.clock = clock.function()});
  source.failing = true;
  clock.set(start + 1h + 1s);
  EXPECT_EQ(error_of([&] { (void)provider.current(); }).code(), "Unavailable");
}

// Credentials without an expiration are fetched once, however long the process runs.
TEST(RefreshingCredentials, LongTermCredentialsAreFetchedOnce) {
  std::atomic<int> calls{0};
  RefreshingCredentials provider([&] {
    ++calls;
    return ExpiringCredentials{.credentials = {.access_key_id = "AKID", .secret_access_key = "s", .session_token = {},
                                               .source = "static"},
                               .expiration = {}};
  });
  for (int i = 0; i < 5; ++i) (void)provider.current();
  EXPECT_EQ(calls.load(), 1);
  EXPECT_FALSE(provider.expiration().has_value());
}

// Many threads finding the credentials expired cause exactly one fetch.
TEST(RefreshingCredentials, ManyThreadsOneFetch) {
  ManualClock clock;
  std::atomic<int> calls{0};
  RefreshingCredentials provider(
      [&] {
        const int n = ++calls;
        std::this_thread::sleep_for(20ms);  // let the others arrive meanwhile
        ExpiringCredentials fresh;
        fresh.credentials.access_key_id = "ASIA" + std::to_string(n);
        fresh.credentials.secret_access_key = "secret";
        fresh.expiration = clock.now() + 1h;
        return fresh;
      },
      {.clock = clock.function()});
  clock.set(clock.now() + 2h);
  std::vector<std::thread> threads;
  std::atomic<int> saw_new{0};
  for (int i = 0; i < 32; ++i) {
    threads.emplace_back([&] {
      if (provider.current()->access_key_id == "ASIA2") ++saw_new;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(saw_new.load(), 32);
}

// refresh_rejected fetches only when the rejected credentials are still the current ones.
TEST(RefreshingCredentials, RefreshRejectedOnlyOnce) {
  ManualClock clock;
  CountingSource source{clock};
  RefreshingCredentials provider(source.function(), {.clock = clock.function()});
  const auto rejected = provider.current();
  EXPECT_EQ(provider.refresh_rejected(*rejected)->access_key_id, "ASIA2");
  EXPECT_EQ(provider.refresh_rejected(*rejected)->access_key_id, "ASIA2");  // already replaced
  EXPECT_EQ(source.calls.load(), 2);
}

// ---- credential_process ------------------------------------------------------------------

struct ProcessHome {
  TempDir dir;
  std::filesystem::path script(std::string_view name, std::string_view body) const {
    const auto path = dir.write(name, "#!/bin/sh\n" + std::string(body));
    std::filesystem::permissions(path, std::filesystem::perms::owner_all);
    return path;
  }
  void config(std::string_view text) const { dir.write(".aws/config", text); }
  [[nodiscard]] MapEnvironment env() const { return MapEnvironment({{"HOME", dir.path().string()}}); }
};

// The documented JSON contract, Expiration honoured; arguments are split like a shell's.
TEST(CredentialProcess, ReadsTheJsonContract) {
  ProcessHome home;
  const auto script = home.script("creds.sh", std::string("[ \"$1\" = 'two words' ] || exit 7\n") +
                                                  "echo '{\"Version\": 1, \"AccessKeyId\": \"ASIAPROC\", "
                                                  "\"SecretAccessKey\": \"" + kProcessSecret +
                                                  "\", \"SessionToken\": \"tok\", \"Expiration\": "
                                                  "\"2099-01-02T03:04:05Z\"}'\n");
  home.config("[profile p]\ncredential_process = " + script.string() + " 'two words'\n");
  const auto provider = resolve_credentials_provider({.profile = "p"}, home.env());
  const auto credentials = provider->current();
  EXPECT_EQ(credentials->access_key_id, "ASIAPROC");
  EXPECT_EQ(credentials->secret_access_key.reveal(), kProcessSecret);
  EXPECT_EQ(credentials->session_token.reveal(), "tok");
  EXPECT_EQ(credentials->source, "credential_process of profile 'p'");
  ASSERT_TRUE(provider->expiration());
  EXPECT_EQ(*provider->expiration(), Clock::time_point(std::chrono::sys_days(std::chrono::year(2099) / 1 / 2) +
                                                       3h + 4min + 5s));
}

// A failing command: its status and stderr in the message, nothing of its stdout.
TEST(CredentialProcess, FailureQuotesStderrNotStdout) {
  ProcessHome home;
  const auto script = home.script("fail.sh", std::string("echo '") + kProcessSecret +
                                                 "'\necho 'vault is sealed' >&2\nexit 3\n");
  home.config("[default]\ncredential_process = " + script.string() + "\n");
  const Error error = error_of([&] { (void)resolve_credentials({}, home.env()); });
  EXPECT_EQ(error.code(), "CredentialRetrievalError");
  EXPECT_TRUE(has(error.what(), "exited with status 3")) << error.what();
  EXPECT_TRUE(has(error.what(), "vault is sealed")) << error.what();
  EXPECT_FALSE(has(error.what(), kProcessSecret)) << error.what();
}

// Already-expired credentials, a wrong Version and non-JSON output are refused.
TEST(CredentialProcess, RefusesExpiredOrMalformedOutput) {
  ProcessHome home;
  const auto expired = home.script("expired.sh", std::string("echo '{\"Version\":1,\"AccessKeyId\":\"A\","
                                                             "\"SecretAccessKey\":\"") +
                                                     kProcessSecret + "\",\"Expiration\":\"2001-01-01T00:00:00Z\"}'\n");
  const auto version = home.script("version.sh", "echo '{\"Version\":2,\"AccessKeyId\":\"A\",\"SecretAccessKey\":\"S\"}'\n");
  const auto garbage = home.script("garbage.sh", std::string("echo 'secret=") + kProcessSecret + "'\n");
  home.config("[profile expired]\ncredential_process = " + expired.string() + "\n[profile version]\ncredential_process = " +
              version.string() + "\n[profile garbage]\ncredential_process = " + garbage.string() + "\n");
  const Error was_expired = error_of([&] { (void)resolve_credentials({.profile = "expired"}, home.env()); });
  EXPECT_TRUE(has(was_expired.what(), "already expired")) << was_expired.what();
  const Error bad_version = error_of([&] { (void)resolve_credentials({.profile = "version"}, home.env()); });
  EXPECT_TRUE(has(bad_version.what(), "Version")) << bad_version.what();
  const Error not_json = error_of([&] { (void)resolve_credentials({.profile = "garbage"}, home.env()); });
  EXPECT_TRUE(has(not_json.what(), "not a JSON object")) << not_json.what();
  for (const auto* error : {&was_expired, &bad_version, &not_json}) {
    EXPECT_EQ(error->code(), "CredentialRetrievalError");
    EXPECT_FALSE(has(error->what(), kProcessSecret)) << error->what();
  }
}

TEST(CredentialProcess, SplitsLikeAShell) {
  EXPECT_EQ(detail::split_command(R"(tool --flag "a b" 'c d' e\ f "g\"h")"),
            (std::vector<std::string>{"tool", "--flag", "a b", "c d", "e f", "g\"h"}));
  EXPECT_EQ(error_of([] { (void)detail::split_command("tool 'open"); }).code(), "InvalidConfiguration");
}

// ---- profile rules -------------------------------------------------------------------------

struct ConfigHome {
  TempDir dir;
  MapEnvironment::Variables variables;
  ConfigHome() { variables["HOME"] = dir.path().string(); }
  void config(std::string_view text) const { dir.write(".aws/config", text); }
  [[nodiscard]] MapEnvironment env() const { return MapEnvironment(variables); }
};

// A role profile wins over keys in the same profile (botocore's order), and without an HTTP
// client the auth layer says where the whole chain is.
TEST(CredentialChain, RoleNeedsTheHttpLayer) {
  ConfigHome home;
  home.config("[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n"
              "aws_access_key_id = AKIDSAME\naws_secret_access_key = s\n[profile base]\naws_access_key_id = B\n"
              "aws_secret_access_key = s\n");
  const Error error = error_of([&] { (void)resolve_credentials({}, home.env()); });
  EXPECT_EQ(error.code(), "InvalidConfiguration");
  EXPECT_TRUE(has(error.what(), "credentials_from_environment")) << error.what();
}

// mfa_serial, a missing source, both sources, an unknown credential_source, a cycle and a
// bad duration are configuration errors naming the profile.
TEST(CredentialChain, RoleProfileErrors) {
  ConfigHome home;
  home.config(
      "[profile mfa]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nmfa_serial = arn:aws:iam::1:mfa/u\n"
      "[profile nosource]\nrole_arn = arn:aws:iam::1:role/r\n"
      "[profile both]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\ncredential_source = Environment\n"
      "[profile unknown]\nrole_arn = arn:aws:iam::1:role/r\ncredential_source = Laptop\n"
      "[profile loop1]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = loop2\n"
      "[profile loop2]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = loop1\n"
      "[profile long]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nduration_seconds = 99999\n"
      "[profile base]\naws_access_key_id = B\naws_secret_access_key = s\n");
  const auto message = [&](const char* profile) {
    const Error error = error_of([&] { (void)resolve_credentials({.profile = profile}, home.env()); });
    EXPECT_EQ(error.code(), "InvalidConfiguration") << profile;
    return std::string(error.what());
  };
  EXPECT_TRUE(has(message("mfa"), "mfa_serial"));
  EXPECT_TRUE(has(message("nosource"), "neither source_profile"));
  EXPECT_TRUE(has(message("both"), "both source_profile and credential_source"));
  EXPECT_TRUE(has(message("unknown"), "Laptop"));
  EXPECT_TRUE(has(message("loop1"), "loop1 -> loop2 -> loop1"));
  EXPECT_TRUE(has(message("long"), "duration_seconds '99999'"));
}

// Web identity without a role, and SSO profiles missing keys, are refused clearly.
TEST(CredentialChain, IncompleteWebIdentityAndSso) {
  ConfigHome home;
  home.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/token";
  EXPECT_TRUE(has(error_of([&] { (void)resolve_credentials({}, home.env()); }).what(), "AWS_ROLE_ARN"));
  home.variables.erase("AWS_WEB_IDENTITY_TOKEN_FILE");
  home.config("[default]\nsso_session = corp\nsso_account_id = 1\n[sso-session corp]\nsso_region = eu-west-1\n");
  const std::string message = error_of([&] { (void)resolve_credentials({}, home.env()); }).what();
  EXPECT_TRUE(has(message, "sso_start_url")) << message;
  EXPECT_TRUE(has(message, "sso_role_name")) << message;
}

// A custom provider wins over everything, and its expiry is honoured.
TEST(CredentialChain, CustomProviderWins) {
  ConfigHome home;
  home.variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
  home.variables["AWS_SECRET_ACCESS_KEY"] = "env-secret";
  const auto provider = resolve_credentials_provider(
      {.access_key_id = "AKIDEXPLICIT",
       .secret_access_key = SecretString("explicit"),
       .credentials_provider =
           [] {
             return ExpiringCredentials{
                 .credentials = {.access_key_id = "ASIAVAULT", .secret_access_key = "v", .session_token = "t", .source = {}},
                 .expiration = Clock::now() + 1h};
           }},
      home.env());
  EXPECT_EQ(provider->current()->access_key_id, "ASIAVAULT");
  EXPECT_EQ(provider->current()->source, "custom provider");
  EXPECT_TRUE(provider->expiration().has_value());
}

// Without any source, the search list includes the network steps' state.
TEST(CredentialChain, NothingFoundListsEverySkippedStep) {
  ConfigHome home;
  const std::string message = error_of([&] { (void)resolve_credentials({}, home.env()); }).what();
  EXPECT_TRUE(has(message, "web identity")) << message;
  EXPECT_TRUE(has(message, "container endpoint")) << message;
  EXPECT_TRUE(has(message, "instance metadata")) << message;
}

// ---- endpoints -----------------------------------------------------------------------------

// The SDKs' precedence: AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL, the services section,
// the profile's endpoint_url; ignore_configured_endpoint_urls turns all of it off.
TEST(ConfiguredEndpoint, Precedence) {
  ConfigHome home;
  home.config("[default]\nendpoint_url = http://profile:1\nservices = local\n"
              "[services local]\ndynamodb =\n  endpoint_url = http://services-ddb:2\n"
              "sts =\n  endpoint_url = http://services-sts:3/\n");
  EXPECT_EQ(configured_endpoint("DynamoDB", {}, home.env()), "http://services-ddb:2");
  EXPECT_EQ(configured_endpoint("STS", {}, home.env()), "http://services-sts:3");
  EXPECT_EQ(configured_endpoint("SSO", {}, home.env()), "http://profile:1");
  home.variables["AWS_ENDPOINT_URL"] = "http://global-env:4";
  EXPECT_EQ(configured_endpoint("DynamoDB", {}, home.env()), "http://global-env:4");
  home.variables["AWS_ENDPOINT_URL_DYNAMODB"] = "http://ddb-env:5";
  EXPECT_EQ(configured_endpoint("DynamoDB", {}, home.env()), "http://ddb-env:5");
  EXPECT_EQ(resolve_endpoint({}, "eu-west-1", home.env()), "http://ddb-env:5");
  EXPECT_EQ(resolve_endpoint({.endpoint = "http://explicit:6"}, "eu-west-1", home.env()), "http://explicit:6");
  home.variables["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_EQ(configured_endpoint("DynamoDB", {}, home.env()), std::nullopt);
  EXPECT_EQ(resolve_endpoint({}, "eu-west-1", home.env()), "https://dynamodb.eu-west-1.amazonaws.com");
}

// The config file example in docs/settings.md means what the page says.
TEST(ConfiguredEndpoint, DocumentationExample) {
  std::ifstream doc(DYNAMO_SETTINGS_DOC_PATH);
  std::stringstream text;
  text << doc.rdbuf();
  const std::string markdown = text.str();
  const auto start = markdown.find("```ini\n");
  ASSERT_NE(start, std::string::npos) << "docs/settings.md has no ```ini block";
  const auto end = markdown.find("```", start + 7);
  ConfigHome home;
  home.config(std::string_view(markdown).substr(start + 7, end - start - 7));
  home.variables["AWS_PROFILE"] = "local";
  EXPECT_EQ(configured_endpoint("DynamoDB", {}, home.env()), "http://localhost:8000");
  EXPECT_EQ(configured_endpoint("STS", {}, home.env()), "http://localhost:4566");
  EXPECT_EQ(configured_endpoint("SSO", {}, home.env()), "http://localhost:4566");
}

TEST(ConfiguredEndpoint, MalformedUrlNamesItsOrigin) {
  ConfigHome home;
  home.variables["AWS_ENDPOINT_URL_STS"] = "localhost:9000";
  const Error error = error_of([&] { (void)configured_endpoint("STS", {}, home.env()); });
  EXPECT_EQ(error.code(), "InvalidConfiguration");
  EXPECT_TRUE(has(error.what(), "AWS_ENDPOINT_URL_STS")) << error.what();
}

TEST(Iso8601, Forms) {
  const auto base = Clock::time_point(std::chrono::sys_days(std::chrono::year(2024) / 5 / 6) + 7h + 8min + 9s);
  EXPECT_EQ(detail::parse_iso8601("2024-05-06T07:08:09Z"), base);
  EXPECT_EQ(detail::parse_iso8601("2024-05-06T07:08:09UTC"), base);
  EXPECT_EQ(detail::parse_iso8601("2024-05-06T09:08:09+02:00"), base);
  EXPECT_EQ(detail::parse_iso8601("2024-05-06T07:08:09.500Z"), base + 500ms);
  EXPECT_EQ(detail::parse_iso8601("2024-05-06T07:08:09"), std::nullopt);  // no zone
  EXPECT_EQ(detail::parse_iso8601("2024-13-06T07:08:09Z"), std::nullopt);
}

}  // namespace
}  // namespace dynamo::auth
