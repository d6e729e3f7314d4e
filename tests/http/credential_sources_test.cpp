// The credentials chain's network sources against loopback fakes: STS (web identity and
// assume role), the container endpoint, instance metadata and the SSO portal, each a
// ScriptedServer the test starts; plus the transport's retry after ExpiredTokenException.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <ctime>
#include <sstream>
#include <thread>

#include "auth/temp_dir.hpp"
#include "dynamo/auth/credential_chain.hpp"
#include "dynamo/error.hpp"
#include "dynamo/http/credentials.hpp"
#include "dynamo/http/transport.hpp"
#include "scripted_server.hpp"
#include "test_environment.hpp"

namespace dynamo::http::testing {
namespace {

using namespace std::chrono_literals;
using auth::testing::TempDir;

constexpr const char* kRoleSecret = "ROLEsecretROLEsecretROLEsecret";
constexpr const char* kRoleToken = "ROLEtokenROLEtokenROLEtoken";
constexpr const char* kSourceSecret = "SOURCEsecretSOURCEsecret";
constexpr const char* kWebToken = "eyJ-web-identity-token-one";

std::string sts_answer(std::string_view action, std::string_view key_id, std::string_view expiration,
                       std::string_view secret = kRoleSecret) {
  std::ostringstream xml;
  xml << "<" << action << "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" << action << "Result>"
      << "<Credentials><AccessKeyId>" << key_id << "</AccessKeyId><SecretAccessKey>" << secret
      << "</SecretAccessKey><SessionToken>" << kRoleToken << "</SessionToken><Expiration>" << expiration
      << "</Expiration></Credentials></" << action << "Result></" << action << "Response>";
  return xml.str();
}

std::string sts_error(std::string_view code, std::string_view message) {
  return "<ErrorResponse><Error><Type>Sender</Type><Code>" + std::string(code) + "</Code><Message>" +
         std::string(message) + "</Message></Error><RequestId>req-1</RequestId></ErrorResponse>";
}

std::string metadata_answer(std::string_view key_id, std::string_view expiration) {
  return R"({"Code":"Success","AccessKeyId":")" + std::string(key_id) + R"(","SecretAccessKey":")" + kRoleSecret +
         R"(","Token":")" + kRoleToken + R"(","Expiration":")" + std::string(expiration) + R"("})";
}

std::string iso(std::chrono::system_clock::time_point at) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(at);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

// A fake HOME and environment, with instance metadata off unless a test turns it on.
struct Sandbox {
  TempDir home;
  auth::MapEnvironment::Variables variables;
  Sandbox() {
    variables["HOME"] = home.path().string();
    variables["AWS_EC2_METADATA_DISABLED"] = "true";
    variables["AWS_REGION"] = "eu-west-1";
  }
  [[nodiscard]] auth::MapEnvironment env() const { return auth::MapEnvironment(variables); }
};

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

class CredentialSourcesTest : public ::testing::Test {
 protected:
  void SetUp() override { keep_loopback_off_proxies(); }
  ScriptedServer sts;
  Sandbox sandbox;
};

// Web identity (EKS IRSA): the token file's contents go to STS AssumeRoleWithWebIdentity,
// unsigned, to the configured STS endpoint; the answer's credentials and expiry are used.
TEST_F(CredentialSourcesTest, WebIdentityFromEnvironment) {
  const auto token_file = sandbox.home.write("token", std::string(kWebToken) + "\n");
  sandbox.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = token_file.string();
  sandbox.variables["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/app";
  sandbox.variables["AWS_ROLE_SESSION_NAME"] = "pod-7";
  sandbox.variables["AWS_ENDPOINT_URL_STS"] = sts.endpoint();
  const auto expires = std::chrono::system_clock::now() + 1h;
  sts.script({{.status = 200, .body = sts_answer("AssumeRoleWithWebIdentity", "ASIAWEB1", iso(expires))}});

  const auto provider = credentials_from_environment({}, sandbox.env());
  const auto credentials = provider->current();

  EXPECT_EQ(credentials->access_key_id, "ASIAWEB1");
  EXPECT_EQ(credentials->secret_access_key.reveal(), kRoleSecret);
  EXPECT_EQ(credentials->session_token.reveal(), kRoleToken);
  EXPECT_EQ(credentials->source, "web identity (role arn:aws:iam::123456789012:role/app)");
  ASSERT_TRUE(provider->expiration().has_value());
  EXPECT_EQ(std::chrono::floor<std::chrono::seconds>(*provider->expiration()),
            std::chrono::floor<std::chrono::seconds>(expires));
  const auto requests = sts.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_TRUE(has(requests[0].body, "Action=AssumeRoleWithWebIdentity")) << requests[0].body;
  EXPECT_TRUE(has(requests[0].body, "RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fapp"));
  EXPECT_TRUE(has(requests[0].body, "RoleSessionName=pod-7"));
  EXPECT_TRUE(has(requests[0].body, std::string("WebIdentityToken=") + kWebToken));
  EXPECT_EQ(requests[0].header("Authorization"), nullptr);  // unsigned by the API's design
}

// The token file is read again on every refresh (EKS rotates it), and the refresh happens
// shortly before the expiry, once.
TEST_F(CredentialSourcesTest, WebIdentityRefreshReadsTheRotatedTokenFile) {
  const auto token_file = sandbox.home.write("token", "token-one");
  sandbox.home.write(".aws/config", "[default]\nrole_arn = arn:aws:iam::1:role/r\nweb_identity_token_file = " +
                                        token_file.string() + "\nendpoint_url = http://unused.invalid\n");
  sandbox.variables["AWS_ENDPOINT_URL_STS"] = sts.endpoint();
  const auto start = std::chrono::system_clock::now();
  std::atomic<std::chrono::system_clock::rep> now{start.time_since_epoch().count()};
  auth::CredentialChainOptions options;
  options.timing.clock = [&] { return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now.load())); };
  sts.script({{.status = 200, .body = sts_answer("AssumeRoleWithWebIdentity", "ASIAONE", iso(start + 1h))},
              {.status = 200, .body = sts_answer("AssumeRoleWithWebIdentity", "ASIATWO", iso(start + 2h))}});

  const auto provider = credentials_from_environment({}, sandbox.env(), options);
  EXPECT_EQ(provider->current()->access_key_id, "ASIAONE");
  sandbox.home.write("token", "token-two");
  now = (start + 30min).time_since_epoch().count();  // far from the expiry: no fetch
  EXPECT_EQ(provider->current()->access_key_id, "ASIAONE");
  now = (start + 1h - 30s).time_since_epoch().count();  // inside the last minute: fetch
  EXPECT_EQ(provider->current()->access_key_id, "ASIATWO");
  EXPECT_EQ(provider->current()->access_key_id, "ASIATWO");

  const auto requests = sts.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_TRUE(has(requests[0].body, "WebIdentityToken=token-one"));
  EXPECT_TRUE(has(requests[1].body, "WebIdentityToken=token-two"));
  EXPECT_EQ(provider->fetch_count(), 2U);
}

// Many threads asking at the moment of expiry cause one fetch, and all get its result.
TEST_F(CredentialSourcesTest, ConcurrentCallersShareOneRefresh) {
  const auto token_file = sandbox.home.write("token", "token");
  sandbox.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = token_file.string();
  sandbox.variables["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  sandbox.variables["AWS_ENDPOINT_URL_STS"] = sts.endpoint();
  const auto start = std::chrono::system_clock::now();
  std::atomic<std::chrono::system_clock::rep> now{start.time_since_epoch().count()};
  auth::CredentialChainOptions options;
  options.timing.clock = [&] { return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now.load())); };
  sts.script({{.status = 200, .body = sts_answer("AssumeRoleWithWebIdentity", "ASIAOLD", iso(start + 1h))},
              {.status = 200,
               .body = sts_answer("AssumeRoleWithWebIdentity", "ASIANEW", iso(start + 2h)),
               .delay = 100ms}});  // slow, so that the threads pile up behind it
  const auto provider = credentials_from_environment({}, sandbox.env(), options);
  now = (start + 1h + 1s).time_since_epoch().count();  // expired

  std::vector<std::thread> threads;
  std::atomic<int> fresh{0};
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 20; ++j) {
        if (provider->current()->access_key_id == "ASIANEW") ++fresh;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(fresh.load(), 16 * 20);
  EXPECT_EQ(sts.requests().size(), 2U);  // the first fetch and exactly one refresh
  EXPECT_EQ(provider->fetch_count(), 2U);
}

// STS's refusal becomes a dynamo::Error with STS's code, message and request id.
TEST_F(CredentialSourcesTest, StsErrorKeepsItsCode) {
  const auto token_file = sandbox.home.write("token", kWebToken);
  sandbox.variables["AWS_WEB_IDENTITY_TOKEN_FILE"] = token_file.string();
  sandbox.variables["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  sandbox.variables["AWS_ENDPOINT_URL_STS"] = sts.endpoint();
  sts.script({{.status = 400, .body = sts_error("InvalidIdentityToken", "Token audience is wrong")}});
  const Error error = error_of([&] { (void)credentials_from_environment({}, sandbox.env()); });
  EXPECT_EQ(error.code(), "InvalidIdentityToken");
  EXPECT_EQ(error.request_id(), "req-1");
  EXPECT_TRUE(has(error.what(), "Token audience is wrong")) << error.what();
  EXPECT_TRUE(has(error.what(), "arn:aws:iam::1:role/r")) << error.what();
  EXPECT_FALSE(has(error.what(), kWebToken));
}

// role_arn + source_profile chains: C's keys sign the AssumeRole for B, whose temporary
// credentials sign the AssumeRole for A; external_id, duration_seconds and
// role_session_name are sent.
TEST_F(CredentialSourcesTest, AssumeRoleChainThroughSourceProfiles) {
  sandbox.home.write(".aws/credentials", std::string("[c]\naws_access_key_id = AKIDSOURCE\naws_secret_access_key = ") +
                                             kSourceSecret + "\n");
  sandbox.home.write(".aws/config",
                     "[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\nexternal_id = ext-9\n"
                     "duration_seconds = 1800\nrole_session_name = sess-a\n"
                     "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n");
  sandbox.variables["AWS_PROFILE"] = "a";
  sandbox.variables["AWS_ENDPOINT_URL_STS"] = sts.endpoint();
  const auto expires = iso(std::chrono::system_clock::now() + 1h);
  sts.script({{.status = 200, .body = sts_answer("AssumeRole", "ASIAB", expires, "secret-of-b")},
              {.status = 200, .body = sts_answer("AssumeRole", "ASIAA", expires)}});

  const auto credentials = credentials_from_environment({}, sandbox.env())->current();
  EXPECT_EQ(credentials->access_key_id, "ASIAA");
  EXPECT_TRUE(has(credentials->source, "assume role arn:aws:iam::1:role/a")) << credentials->source;
  EXPECT_TRUE(has(credentials->source, "assume role arn:aws:iam::1:role/b")) << credentials->source;

  const auto requests = sts.requests();
  ASSERT_EQ(requests.size(), 2U);
  const auto verify = [](const ReceivedRequest& request, const char* secret) {
    return auth::verify_signature(
        {.method = request.method, .url = request.target, .headers = request.headers, .body = request.body}, secret);
  };
  const auto first = verify(requests[0], kSourceSecret);
  EXPECT_EQ(first.access_key_id, "AKIDSOURCE");
  EXPECT_EQ(first.service, "sts");
  EXPECT_EQ(first.region, "eu-west-1");
  EXPECT_TRUE(has(requests[0].body, "RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fb"));
  EXPECT_EQ(verify(requests[1], "secret-of-b").access_key_id, "ASIAB");
  ASSERT_NE(requests[1].header("X-Amz-Security-Token"), nullptr);
  EXPECT_TRUE(has(requests[1].body, "ExternalId=ext-9"));
  EXPECT_TRUE(has(requests[1].body, "DurationSeconds=1800"));
  EXPECT_TRUE(has(requests[1].body, "RoleSessionName=sess-a"));
}

// The container endpoint by full URI (EKS Pod Identity): the token file's contents as
// Authorization, read again for each fetch.
TEST_F(CredentialSourcesTest, ContainerFullUriWithTokenFile) {
  ScriptedServer agent;
  const auto token_file = sandbox.home.write("pod-token", "pod-token-1\n");
  sandbox.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = agent.endpoint() + "/v1/credentials";
  sandbox.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = token_file.string();
  sandbox.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "ignored-when-a-file-is-given";
  agent.script({{.status = 200, .body = metadata_answer("ASIACONT", iso(std::chrono::system_clock::now() + 1h))}});

  const auto provider = credentials_from_environment({}, sandbox.env());
  EXPECT_EQ(provider->current()->access_key_id, "ASIACONT");
  EXPECT_EQ(provider->current()->source, "container endpoint");
  const auto requests = agent.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].method, "GET");
  EXPECT_EQ(requests[0].target, "/v1/credentials");
  ASSERT_NE(requests[0].header("Authorization"), nullptr);
  EXPECT_EQ(*requests[0].header("Authorization"), "pod-token-1");
}

// The relative URI (ECS) is resolved against the fixed ECS host, which tests move.
TEST_F(CredentialSourcesTest, ContainerRelativeUri) {
  ScriptedServer agent;
  sandbox.variables["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  agent.script({{.status = 200, .body = metadata_answer("ASIAECS", iso(std::chrono::system_clock::now() + 1h))}});
  auth::CredentialChainOptions options;
  options.container_host = agent.endpoint();
  EXPECT_EQ(credentials_from_environment({}, sandbox.env(), options)->current()->access_key_id, "ASIAECS");
  ASSERT_EQ(agent.requests().size(), 1U);
  EXPECT_EQ(agent.requests()[0].target, "/v2/credentials/abc");
}

// A plain-http full URI to an arbitrary host is refused before any request, as the SDKs do.
TEST_F(CredentialSourcesTest, ContainerFullUriHostRestriction) {
  sandbox.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://metadata.example.com/creds";
  const Error error = error_of([&] { (void)credentials_from_environment({}, sandbox.env()); });
  EXPECT_EQ(error.code(), "InvalidConfiguration");
  EXPECT_TRUE(has(error.what(), "http://metadata.example.com/creds")) << error.what();
}

// IMDSv2: PUT for a session token with its TTL header, then the role name and the role's
// credentials with that token.
TEST_F(CredentialSourcesTest, InstanceMetadataV2) {
  ScriptedServer imds;
  sandbox.variables.erase("AWS_EC2_METADATA_DISABLED");
  sandbox.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.endpoint();
  imds.script({{.status = 200, .body = "imds-session-token"},
               {.status = 200, .body = "web-role\n"},
               {.status = 200, .body = metadata_answer("ASIAEC2", iso(std::chrono::system_clock::now() + 6h))}});

  const auto credentials = credentials_from_environment({}, sandbox.env())->current();
  EXPECT_EQ(credentials->access_key_id, "ASIAEC2");
  EXPECT_EQ(credentials->source, "instance metadata (role web-role)");
  const auto requests = imds.requests();
  ASSERT_EQ(requests.size(), 3U);
  EXPECT_EQ(requests[0].method, "PUT");
  EXPECT_EQ(requests[0].target, "/latest/api/token");
  ASSERT_NE(requests[0].header("X-aws-ec2-metadata-token-ttl-seconds"), nullptr);
  EXPECT_EQ(*requests[0].header("X-aws-ec2-metadata-token-ttl-seconds"), "21600");
  EXPECT_EQ(requests[1].method, "GET");
  EXPECT_EQ(requests[1].target, "/latest/meta-data/iam/security-credentials/");
  EXPECT_EQ(requests[2].target, "/latest/meta-data/iam/security-credentials/web-role");
  for (std::size_t i = 1; i < 3; ++i) {
    ASSERT_NE(requests[i].header("X-aws-ec2-metadata-token"), nullptr);
    EXPECT_EQ(*requests[i].header("X-aws-ec2-metadata-token"), "imds-session-token");
  }
}

// Off EC2 nothing answers: the chain gives up within about the one-second timeout and
// reports no credentials, naming instance metadata among the places searched.
TEST_F(CredentialSourcesTest, InstanceMetadataUnavailableGivesUpFast) {
  ScriptedServer silent;
  silent.set_fallback({.status = 200, .body = "late", .delay = 10s});
  sandbox.variables.erase("AWS_EC2_METADATA_DISABLED");
  sandbox.variables["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = silent.endpoint();
  const auto started = std::chrono::steady_clock::now();
  const Error error = error_of([&] { (void)credentials_from_environment({}, sandbox.env()); });
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(error.code(), "MissingAuthenticationTokenException");
  EXPECT_TRUE(has(error.what(), "instance metadata")) << error.what();
  EXPECT_LT(took, 2500ms);
  EXPECT_EQ(silent.requests().size(), 1U);  // one attempt, no retries
}

// SSO: the cached token of the sso-session goes to the portal's GetRoleCredentials.
TEST_F(CredentialSourcesTest, SsoSessionUsesCachedToken) {
  ScriptedServer portal;
  sandbox.home.write(".aws/config",
                     "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n"
                     "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n");
  sandbox.variables["AWS_ENDPOINT_URL_SSO"] = portal.endpoint();
  const auto expires_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              (std::chrono::system_clock::now() + 1h).time_since_epoch())
                              .count();
  portal.script({{.status = 200,
                  .body = R"({"roleCredentials":{"accessKeyId":"ASIASSO","secretAccessKey":")" +
                          std::string(kRoleSecret) + R"(","sessionToken":"t","expiration":)" +
                          std::to_string(expires_ms) + "}}"}});
  // sha1("corp"): the name the AWS CLI gives this session's token cache.
  sandbox.home.write(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json",
                     R"({"accessToken":"sso-access-token","expiresAt":")" +
                         iso(std::chrono::system_clock::now() + 1h) + R"(","region":"eu-west-1"})");

  const auto credentials = credentials_from_environment({.profile = "dev"}, sandbox.env())->current();
  EXPECT_EQ(credentials->access_key_id, "ASIASSO");
  const auto requests = portal.requests();
  ASSERT_EQ(requests.size(), 1U);
  EXPECT_EQ(requests[0].target, "/federation/credentials?account_id=111122223333&role_name=Dev");
  ASSERT_NE(requests[0].header("x-amz-sso_bearer_token"), nullptr);
  EXPECT_EQ(*requests[0].header("x-amz-sso_bearer_token"), "sso-access-token");
  EXPECT_EQ(credentials->source, "SSO (sso-session 'corp') account 111122223333 role Dev");
}

// An expired SSO token is a clear error telling the user to sign in again; the portal is
// not called. (Legacy profile: the cache is named after sha1 of the start URL.)
TEST_F(CredentialSourcesTest, SsoExpiredTokenSaysToLogIn) {
  ScriptedServer portal;
  sandbox.home.write(".aws/config",
                     "[default]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = eu-west-1\n"
                     "sso_account_id = 111122223333\nsso_role_name = Dev\n");
  sandbox.home.write(".aws/sso/cache/a51746d4aa793ae07b25e90c3a5db96fc7832bd7.json",
                     R"({"accessToken":"stale-sso-token","expiresAt":"2020-01-01T00:00:00Z"})");
  sandbox.variables["AWS_ENDPOINT_URL_SSO"] = portal.endpoint();
  const Error error = error_of([&] { (void)credentials_from_environment({}, sandbox.env()); });
  EXPECT_EQ(error.code(), "CredentialRetrievalError");
  EXPECT_TRUE(has(error.what(), "aws sso login")) << error.what();
  EXPECT_TRUE(has(error.what(), "expired")) << error.what();
  EXPECT_FALSE(has(error.what(), "stale-sso-token"));
  EXPECT_TRUE(portal.requests().empty());
}

// A request answered ExpiredTokenException is sent again at once with fetched credentials,
// without a backoff and without using a retry.
TEST_F(CredentialSourcesTest, TransportRefreshesOnExpiredToken) {
  ScriptedServer dynamodb;
  dynamodb.script(
      {{.status = 400,
        .body = R"({"__type":"com.amazon.coral.service#ExpiredTokenException","message":"The security token included in the request is expired"})"},
       {.status = 200, .body = "{}"}});
  std::atomic<int> fetches{0};
  auto provider = std::make_shared<auth::RefreshingCredentials>([&] {
    auth::ExpiringCredentials fresh;
    fresh.credentials = test_credentials(true);
    fresh.credentials.access_key_id = "ASIAFETCH" + std::to_string(++fetches);
    fresh.expiration = std::chrono::system_clock::now() + 1h;
    return fresh;
  });
  SleepRecorder sleeps;
  auto settings = fast_settings();
  settings.max_retry_attempts = 0;
  const HttpTransport transport({.settings = settings,
                                 .credentials = {},
                                 .region = "us-east-1",
                                 .endpoint = dynamodb.endpoint(),
                                 .refreshing_credentials = provider},
                                {.hooks = {}, .jitter = &jitter_at_ceiling, .sleep = sleeps.function()});
  const HttpResponse response = transport.call("ListTables", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(fetches.load(), 2);
  EXPECT_TRUE(sleeps.delays().empty());
  const auto requests = dynamodb.requests();
  ASSERT_EQ(requests.size(), 2U);
  const auto key_of = [](const ReceivedRequest& request) {
    return auth::parse_authorization_header(*request.header("Authorization")).access_key_id;
  };
  EXPECT_EQ(key_of(requests[0]), "ASIAFETCH1");
  EXPECT_EQ(key_of(requests[1]), "ASIAFETCH2");
}

// A second ExpiredTokenException in a row is returned, not looped on.
TEST_F(CredentialSourcesTest, TransportRefreshesOnlyOnce) {
  ScriptedServer dynamodb;
  dynamodb.set_fallback({.status = 400, .body = R"({"__type":"ExpiredTokenException","message":"expired"})"});
  std::atomic<int> fetches{0};
  auto provider = std::make_shared<auth::RefreshingCredentials>([&] {
    ++fetches;
    return auth::ExpiringCredentials{.credentials = test_credentials(true), .expiration = {}};
  });
  auto settings = fast_settings();
  settings.max_retry_attempts = 0;
  const HttpTransport transport(
      {.settings = settings, .credentials = {}, .region = "us-east-1", .endpoint = dynamodb.endpoint(),
       .refreshing_credentials = provider});
  const HttpResponse response = transport.call("ListTables", "{}");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(fetches.load(), 2);
}

// No secret of any source reaches an error message or printed credentials.
TEST_F(CredentialSourcesTest, NoSecretInErrorsOrPrintedCredentials) {
  ScriptedServer agent;
  sandbox.variables["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = agent.endpoint() + "/creds";
  sandbox.variables["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "AUTHtokenAUTHtoken";
  // A body that has the secret but is not the expected shape: the error must not quote it.
  agent.script({{.status = 200, .body = std::string(R"({"AccessKeyId":"A","SecretAccessKey":")") + kRoleSecret + R"("})"},
                {.status = 200, .body = metadata_answer("ASIAOK", iso(std::chrono::system_clock::now() + 1h))}});
  const Error error = error_of([&] { (void)credentials_from_environment({}, sandbox.env()); });
  EXPECT_EQ(error.code(), "CredentialRetrievalError");
  EXPECT_FALSE(has(error.what(), kRoleSecret)) << error.what();
  EXPECT_FALSE(has(error.what(), "AUTHtokenAUTHtoken")) << error.what();

  std::ostringstream printed;
  printed << *credentials_from_environment({}, sandbox.env())->current();
  EXPECT_FALSE(has(printed.str(), kRoleSecret)) << printed.str();
  EXPECT_FALSE(has(printed.str(), kRoleToken)) << printed.str();
  EXPECT_TRUE(has(printed.str(), "ASIAOK")) << printed.str();
}

}  // namespace
}  // namespace dynamo::http::testing
