#include "dynamo/auth/credentials.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "auth/ini.hpp"
#include "auth/temp_dir.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

using testing::TempDir;

constexpr const char* kEnvSecret = "ENVsecretENVsecretENVsecret";
constexpr const char* kFileSecret = "FILEsecretFILEsecretFILE";

// A fake home with both shared files, and an environment pointing HOME at it.
struct FakeHome {
  TempDir dir;
  std::map<std::string, std::string, std::less<>> variables;

  FakeHome() { variables["HOME"] = dir.path().string(); }

  void write_credentials(std::string_view text) const { dir.write(".aws/credentials", text); }
  void write_config(std::string_view text) const { dir.write(".aws/config", text); }
  void set_env_credentials() {
    variables["AWS_ACCESS_KEY_ID"] = "AKIDENV";
    variables["AWS_SECRET_ACCESS_KEY"] = kEnvSecret;
  }
  [[nodiscard]] MapEnvironment env() const { return MapEnvironment(variables); }
};

std::string error_code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.code();
  }
  return "no error";
}

std::string error_message_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.what();
  }
  return "no error";
}

template <typename T>
std::string printed(const T& value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

// Explicit credentials win over the environment and the files.
TEST(Credentials, ExplicitValuesWinOverEverything) {
  FakeHome home;
  home.set_env_credentials();
  home.write_credentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = x\n");
  const auto credentials = resolve_credentials(
      {.access_key_id = "AKIDCODE", .secret_access_key = "codesecret", .session_token = "tok"}, home.env());
  EXPECT_EQ(credentials.access_key_id, "AKIDCODE");
  EXPECT_EQ(credentials.secret_access_key.reveal(), "codesecret");
  EXPECT_EQ(credentials.session_token.reveal(), "tok");
  EXPECT_EQ(credentials.source, "explicit");
}

// Environment variables win over the shared files, and carry the session token.
TEST(Credentials, EnvironmentWinsOverFiles) {
  FakeHome home;
  home.set_env_credentials();
  home.variables["AWS_SESSION_TOKEN"] = "envtoken";
  home.write_credentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = x\n");
  const auto credentials = resolve_credentials({}, home.env());
  EXPECT_EQ(credentials.access_key_id, "AKIDENV");
  EXPECT_EQ(credentials.session_token.reveal(), "envtoken");
  EXPECT_EQ(credentials.source, "environment");
}

// With no environment credentials, ~/.aws/credentials [default] is read (comments, colons
// and upper-case keys included), and its token too.
TEST(Credentials, SharedCredentialsFileDefaultProfile) {
  FakeHome home;
  home.write_credentials(
      "# comment\n; another\n[default]\nAWS_ACCESS_KEY_ID = AKIDFILE\naws_secret_access_key: " +
      std::string(kFileSecret) +
      "\naws_session_token = filetoken\n[other]\naws_access_key_id = AKIDOTHER\naws_secret_access_key = o\n");
  const auto credentials = resolve_credentials({}, home.env());
  EXPECT_EQ(credentials.access_key_id, "AKIDFILE");
  EXPECT_EQ(credentials.secret_access_key.reveal(), kFileSecret);
  EXPECT_EQ(credentials.session_token.reveal(), "filetoken");
  EXPECT_NE(credentials.source.find(".aws/credentials [default]"), std::string::npos);
}

// Empty variables count as unset, as in the AWS SDKs.
TEST(Credentials, EmptyEnvironmentVariablesAreIgnored) {
  FakeHome home;
  home.variables["AWS_ACCESS_KEY_ID"] = "";
  home.variables["AWS_SECRET_ACCESS_KEY"] = "";
  home.write_credentials("[default]\naws_access_key_id = AKIDFILE\naws_secret_access_key = s\n");
  EXPECT_EQ(resolve_credentials({}, home.env()).access_key_id, "AKIDFILE");
}

// The config file is used after the credentials file, with "[profile name]" sections.
TEST(Credentials, ConfigFileProfiles) {
  FakeHome home;
  home.write_credentials("[default]\nregion = only-settings-here\n");
  home.write_config(
      "[default]\naws_access_key_id = AKIDCONFIGDEFAULT\naws_secret_access_key = d\n"
      "[profile dev]\naws_access_key_id = AKIDCONFIGDEV\naws_secret_access_key = v\n"
      "[dev]\naws_access_key_id = WRONG\naws_secret_access_key = w\n");
  EXPECT_EQ(resolve_credentials({}, home.env()).access_key_id, "AKIDCONFIGDEFAULT");
  EXPECT_EQ(resolve_credentials({.profile = "dev"}, home.env()).access_key_id, "AKIDCONFIGDEV");
}

// The credentials file wins over the config file for the same profile.
TEST(Credentials, CredentialsFileWinsOverConfigFile) {
  FakeHome home;
  home.write_credentials("[dev]\naws_access_key_id = AKIDCREDS\naws_secret_access_key = c\n");
  home.write_config("[profile dev]\naws_access_key_id = AKIDCONFIG\naws_secret_access_key = v\n");
  EXPECT_EQ(resolve_credentials({.profile = "dev"}, home.env()).access_key_id, "AKIDCREDS");
}

// AWS_PROFILE picks the section, but environment keys still win over it.
TEST(Credentials, AwsProfileSelectsProfileButNotOverEnvironmentKeys) {
  FakeHome home;
  home.variables["AWS_PROFILE"] = "prod";
  home.write_credentials(
      "[default]\naws_access_key_id = AKIDDEFAULT\naws_secret_access_key = d\n"
      "[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = p\n");
  EXPECT_EQ(resolve_credentials({}, home.env()).access_key_id, "AKIDPROD");
  home.set_env_credentials();
  EXPECT_EQ(resolve_credentials({}, home.env()).access_key_id, "AKIDENV");
}

// A profile named in code skips the environment keys, as botocore does.
TEST(Credentials, ProfileNamedInCodeSkipsEnvironment) {
  FakeHome home;
  home.set_env_credentials();
  home.write_credentials("[prod]\naws_access_key_id = AKIDPROD\naws_secret_access_key = p\n");
  EXPECT_EQ(resolve_credentials({.profile = "prod"}, home.env()).access_key_id, "AKIDPROD");
}

// AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE replace the default paths ("~" expanded).
TEST(Credentials, FileLocationOverrides) {
  FakeHome home;
  home.write_credentials("[default]\naws_access_key_id = AKIDDEFAULTPATH\naws_secret_access_key = d\n");
  home.dir.write("elsewhere/creds", "[default]\naws_access_key_id = AKIDMOVED\naws_secret_access_key = m\n");
  home.dir.write("elsewhere/conf",
                 "[profile x]\naws_access_key_id = AKIDMOVEDCONFIG\naws_secret_access_key = c\n");
  home.variables["AWS_SHARED_CREDENTIALS_FILE"] = "~/elsewhere/creds";
  home.variables["AWS_CONFIG_FILE"] = (home.dir.path() / "elsewhere/conf").string();
  EXPECT_EQ(resolve_credentials({}, home.env()).access_key_id, "AKIDMOVED");
  EXPECT_EQ(resolve_credentials({.profile = "x"}, home.env()).access_key_id, "AKIDMOVEDCONFIG");
}

// Nothing anywhere: MissingAuthenticationTokenException naming every place searched.
TEST(Credentials, MissingCredentialsNameWhereTheSearchLooked) {
  FakeHome home;
  const std::string message = error_message_of([&] { (void)resolve_credentials({}, home.env()); });
  EXPECT_EQ(error_code_of([&] { (void)resolve_credentials({}, home.env()); }),
            "MissingAuthenticationTokenException");
  EXPECT_NE(message.find("AWS_ACCESS_KEY_ID"), std::string::npos) << message;
  EXPECT_NE(message.find((home.dir.path() / ".aws/credentials").string()), std::string::npos) << message;
  EXPECT_NE(message.find((home.dir.path() / ".aws/config").string()), std::string::npos) << message;
}

// Half a key pair is an error, not a silent fall-through to another source.
TEST(Credentials, PartialCredentialsAreErrors) {
  FakeHome home;
  home.variables["AWS_ACCESS_KEY_ID"] = "AKIDONLY";
  EXPECT_EQ(error_code_of([&] { (void)resolve_credentials({}, home.env()); }),
            "MissingAuthenticationTokenException");
  EXPECT_EQ(error_code_of([&] { (void)resolve_credentials({.access_key_id = "A"}, MapEnvironment{}); }),
            "MissingAuthenticationTokenException");
}

// A profile that no file defines is a configuration error naming the profile.
TEST(Credentials, UnknownProfileIsAConfigurationError) {
  FakeHome home;
  home.variables["AWS_PROFILE"] = "typo";
  home.write_credentials("[default]\naws_access_key_id = A\naws_secret_access_key = s\n");
  EXPECT_EQ(error_code_of([&] { (void)resolve_credentials({}, home.env()); }), "InvalidConfiguration");
  EXPECT_NE(
      error_message_of([&] { (void)resolve_credentials({}, home.env()); }).find("'typo' (from AWS_PROFILE)"),
      std::string::npos);
}

// Printing credentials shows the key id and "secret ****", never the secret or token.
TEST(Credentials, PrintingHidesSecrets) {
  const Credentials credentials{.access_key_id = "AKIDPRINT",
                                .secret_access_key = kEnvSecret,
                                .session_token = "TOKENVALUE",
                                .source = "explicit"};
  const std::string text = printed(credentials);
  EXPECT_NE(text.find("AKIDPRINT"), std::string::npos);
  EXPECT_NE(text.find("secret ****"), std::string::npos);
  EXPECT_EQ(text.find(kEnvSecret), std::string::npos);
  EXPECT_EQ(text.find("TOKENVALUE"), std::string::npos);
  EXPECT_EQ(printed(SecretString("hidden")), "****");
}

// Error messages from malformed or partial files never quote the secret they hold.
TEST(Credentials, ErrorsNeverContainSecrets) {
  FakeHome home;
  home.write_credentials(std::string("[default]\naws_secret_access_key = ") + kFileSecret + "\n");
  EXPECT_EQ(error_message_of([&] { (void)resolve_credentials({}, home.env()); }).find(kFileSecret),
            std::string::npos);
  home.write_credentials(std::string("[default]\n") + kFileSecret + "\n");  // a line with no '='
  const std::string message = error_message_of([&] { (void)resolve_credentials({}, home.env()); });
  EXPECT_NE(message.find("credentials:2"), std::string::npos) << message;
  EXPECT_EQ(message.find(kFileSecret), std::string::npos) << message;
  home.set_env_credentials();
  home.variables.erase("AWS_ACCESS_KEY_ID");
  EXPECT_EQ(error_message_of([&] { (void)resolve_credentials({}, home.env()); }).find(kEnvSecret),
            std::string::npos);
}

// A moved-from SecretString is empty, and the moved-to one holds the value.
TEST(Credentials, SecretStringMoves) {
  SecretString source("short");
  SecretString target(std::move(source));
  EXPECT_EQ(target.reveal(), "short");
  EXPECT_TRUE(source.empty());  // NOLINT(bugprone-use-after-move): checking the wipe on purpose
}

// Nested (indented) settings in the config file are skipped, not misread.
TEST(Credentials, IniSkipsNestedSettings) {
  const auto file =
      detail::parse_ini("[profile a]\ns3 =\n  max_concurrent_requests = 20\nregion = eu-west-3\n", "test");
  ASSERT_EQ(file.count("profile a"), 1U);
  EXPECT_EQ(file.at("profile a").count("max_concurrent_requests"), 0U);
  EXPECT_EQ(file.at("profile a").at("region"), "eu-west-3");
}

// Region: explicit > AWS_REGION > AWS_DEFAULT_REGION > config profile > us-east-1.
TEST(Region, ResolutionChain) {
  FakeHome home;
  EXPECT_EQ(resolve_region({}, home.env()), "us-east-1");
  home.write_config("[default]\nregion = eu-central-1\n[profile tokyo]\nregion = ap-northeast-1\n");
  EXPECT_EQ(resolve_region({}, home.env()), "eu-central-1");
  EXPECT_EQ(resolve_region({.profile = "tokyo"}, home.env()), "ap-northeast-1");
  home.variables["AWS_PROFILE"] = "tokyo";
  EXPECT_EQ(resolve_region({}, home.env()), "ap-northeast-1");
  home.variables["AWS_DEFAULT_REGION"] = "us-west-1";
  EXPECT_EQ(resolve_region({}, home.env()), "us-west-1");
  home.variables["AWS_REGION"] = "us-west-2";
  EXPECT_EQ(resolve_region({}, home.env()), "us-west-2");
  EXPECT_EQ(resolve_region({.region = "sa-east-1"}, home.env()), "sa-east-1");
}

// A region that cannot be part of a host name is refused, naming where it came from.
TEST(Region, ImplausibleRegionIsRefused) {
  const MapEnvironment env({{"AWS_REGION", "us-east-1/../evil"}});
  EXPECT_EQ(error_code_of([&] { (void)resolve_region({}, env); }), "InvalidConfiguration");
  EXPECT_NE(error_message_of([&] { (void)resolve_region({}, env); }).find("AWS_REGION"), std::string::npos);
}

// Endpoint: the explicit override as given, else AWS's regional endpoint.
TEST(Endpoint, OverrideOrRegionalDefault) {
  EXPECT_EQ(resolve_endpoint({}, "eu-west-1"), "https://dynamodb.eu-west-1.amazonaws.com");
  EXPECT_EQ(resolve_endpoint({}, "cn-north-1"), "https://dynamodb.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(resolve_endpoint({.endpoint = "http://localhost:8000"}, "eu-west-1"), "http://localhost:8000");
  EXPECT_EQ(error_code_of([] { (void)resolve_endpoint({.endpoint = "localhost:8000"}, "us-east-1"); }),
            "InvalidConfiguration");
}

// The default environment reads the real process environment.
TEST(EnvironmentTest, ProcessEnvironmentReadsRealVariables) {
  ASSERT_EQ(setenv("DYNAMO_AUTH_TEST_VARIABLE", "present", 1), 0);
  EXPECT_EQ(process_environment().variable("DYNAMO_AUTH_TEST_VARIABLE"), "present");
  unsetenv("DYNAMO_AUTH_TEST_VARIABLE");
  EXPECT_EQ(process_environment().variable("DYNAMO_AUTH_TEST_VARIABLE"), std::nullopt);
  EXPECT_TRUE(process_environment().home_directory().has_value());
}

}  // namespace
}  // namespace dynamo::auth
