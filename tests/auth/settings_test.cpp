#include "dynamo/auth/settings.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "auth/temp_dir.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

using testing::TempDir;

// An environment whose DYNAMO_SETTINGS_FILE names a file holding `json`.
struct SettingsFile {
  TempDir dir;
  std::filesystem::path path;

  explicit SettingsFile(std::string_view json) : path(dir.write("settings.json", json)) {}
  [[nodiscard]] MapEnvironment env() const {
    return MapEnvironment({{"DYNAMO_SETTINGS_FILE", path.string()}});
  }
};

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& error) {
    return error.code() + ": " + error.what();
  }
  return "no error";
}

bool contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

// Without a file or overrides, the settings are PynamoDB's defaults.
TEST(Settings, DefaultsArePynamoDBs) {
  const ClientSettings settings = resolve_client_settings({}, MapEnvironment{});
  EXPECT_EQ(settings.connect_timeout_seconds, 15);
  EXPECT_EQ(settings.read_timeout_seconds, 30);
  EXPECT_EQ(settings.max_retry_attempts, 3);
  EXPECT_EQ(settings.base_backoff_ms, 25);
  EXPECT_EQ(settings.max_pool_connections, 10);
  EXPECT_FALSE(settings.region.has_value());
  EXPECT_FALSE(settings.endpoint.has_value());
  EXPECT_TRUE(settings.extra_headers.empty());
}

// Every key of a settings file is read, integers accepted for seconds.
TEST(Settings, FileSetsEveryKey) {
  const SettingsFile file(
      R"({"connect_timeout_seconds": 2, "read_timeout_seconds": 4.5, "max_retry_attempts": 7,
      "base_backoff_ms": 50, "region": "eu-west-1", "max_pool_connections": 32,
      "extra_headers": {"X-Proxy-Auth": "abc"}, "endpoint": "http://localhost:8000"})");
  const ClientSettings settings = resolve_client_settings({}, file.env());
  EXPECT_EQ(settings.connect_timeout_seconds, 2);
  EXPECT_EQ(settings.read_timeout_seconds, 4.5);
  EXPECT_EQ(settings.max_retry_attempts, 7);
  EXPECT_EQ(settings.base_backoff_ms, 50);
  EXPECT_EQ(settings.region, "eu-west-1");
  EXPECT_EQ(settings.max_pool_connections, 32);
  EXPECT_EQ(settings.extra_headers, (std::map<std::string, std::string>{{"X-Proxy-Auth", "abc"}}));
  EXPECT_EQ(settings.endpoint, "http://localhost:8000");
}

// Explicit values beat the file, the file beats the defaults, untouched keys keep defaults.
TEST(Settings, ExplicitBeatsFileBeatsDefaults) {
  const SettingsFile file(
      R"({"read_timeout_seconds": 10, "max_retry_attempts": 1, "extra_headers": {"A": "1"}})");
  const ClientSettings settings = resolve_client_settings(
      {.max_retry_attempts = 5, .extra_headers = std::map<std::string, std::string>{{"B", "2"}}}, file.env());
  EXPECT_EQ(settings.read_timeout_seconds, 10);                                         // file
  EXPECT_EQ(settings.max_retry_attempts, 5);                                            // explicit over file
  EXPECT_EQ(settings.connect_timeout_seconds, 15);                                      // default
  EXPECT_EQ(settings.extra_headers, (std::map<std::string, std::string>{{"B", "2"}}));  // replaced whole
}

// An unknown key is an error naming the key and the file; "host" gets a hint.
TEST(Settings, UnknownKeyNamesKeyAndFile) {
  const SettingsFile file(R"({"read_timeout": 3})");
  const std::string error = error_of([&] { (void)resolve_client_settings({}, file.env()); });
  EXPECT_TRUE(contains(error, "InvalidConfiguration")) << error;
  EXPECT_TRUE(contains(error, "'read_timeout'")) << error;
  EXPECT_TRUE(contains(error, file.path.string())) << error;
  const SettingsFile host(R"({"host": "http://localhost:8000"})");
  EXPECT_TRUE(contains(error_of([&] { (void)read_settings_file(host.path); }), "'endpoint'"));
}

// A value of the wrong type is an error naming the key, what was expected and what was found.
TEST(Settings, WrongTypeNamesKey) {
  const auto error_for = [](std::string_view json) {
    const SettingsFile file(json);
    return error_of([&] { (void)read_settings_file(file.path); });
  };
  EXPECT_TRUE(contains(error_for(R"({"max_retry_attempts": "3"})"),
                       "'max_retry_attempts' must be an integer, not a string"));
  EXPECT_TRUE(
      contains(error_for(R"({"max_retry_attempts": 2.5})"), "'max_retry_attempts' must be an integer"));
  EXPECT_TRUE(contains(error_for(R"({"connect_timeout_seconds": true})"),
                       "'connect_timeout_seconds' must be a number"));
  EXPECT_TRUE(contains(error_for(R"({"region": 1})"), "'region' must be a string"));
  EXPECT_TRUE(
      contains(error_for(R"({"extra_headers": {"X-A": 1}})"), "'extra_headers.X-A' must be a string"));
  EXPECT_TRUE(contains(error_for(R"({"extra_headers": ["X-A"]})"), "'extra_headers' must be an object"));
}

// Out-of-range and unsafe values are refused, from the file and from code alike.
TEST(Settings, OutOfRangeValuesAreRefused) {
  const SettingsFile negative(R"({"base_backoff_ms": -1})");
  EXPECT_TRUE(contains(error_of([&] { (void)read_settings_file(negative.path); }),
                       "'base_backoff_ms' must be at least 0"));
  const SettingsFile huge(R"({"max_pool_connections": 99999999999})");
  EXPECT_TRUE(contains(error_of([&] { (void)read_settings_file(huge.path); }),
                       "'max_pool_connections' is out of range"));
  EXPECT_TRUE(
      contains(error_of([] { (void)resolve_client_settings({.read_timeout_seconds = 0}, MapEnvironment{}); }),
               "per-connection settings: key 'read_timeout_seconds'"));
  EXPECT_TRUE(
      contains(error_of([] {
                 (void)resolve_client_settings(
                     {.extra_headers = std::map<std::string, std::string>{{"X-A", "v\r\nInjected: 1"}}},
                     MapEnvironment{});
               }),
               "line break"));
}

// Without DYNAMO_SETTINGS_FILE, the user's ~/.config/dynamo/settings.json (or the one under
// XDG_CONFIG_HOME) is read when present; DYNAMO_SETTINGS_FILE="" turns files off, and a
// named file wins over it.
TEST(Settings, WellKnownFileInTheUsersConfigDirectory) {
  const TempDir home;
  const MapEnvironment without_file({}, home.path());
  if (std::filesystem::exists(system_settings_file)) GTEST_SKIP() << system_settings_file << " exists on this machine";
  EXPECT_EQ(settings_file_path(without_file), std::nullopt);
  EXPECT_EQ(resolve_client_settings({}, without_file).max_retry_attempts, 3);

  std::filesystem::create_directories(home.path() / ".config" / "dynamo");
  std::ofstream(home.path() / ".config" / "dynamo" / "settings.json") << R"({"max_retry_attempts": 7})";
  EXPECT_EQ(settings_file_path(without_file), home.path() / ".config" / "dynamo" / "settings.json");
  EXPECT_EQ(resolve_client_settings({}, without_file).max_retry_attempts, 7);

  const MapEnvironment files_off({{"DYNAMO_SETTINGS_FILE", ""}}, home.path());
  EXPECT_EQ(resolve_client_settings({}, files_off).max_retry_attempts, 3);
  const SettingsFile named(R"({"max_retry_attempts": 1})");
  const MapEnvironment with_named({{"DYNAMO_SETTINGS_FILE", named.path.string()}}, home.path());
  EXPECT_EQ(resolve_client_settings({}, with_named).max_retry_attempts, 1);

  const TempDir xdg;
  std::filesystem::create_directories(xdg.path() / "dynamo");
  std::ofstream(xdg.path() / "dynamo" / "settings.json") << R"({"base_backoff_ms": 99})";
  const MapEnvironment with_xdg({{"XDG_CONFIG_HOME", xdg.path().string()}}, home.path());
  const ClientSettings from_xdg = resolve_client_settings({}, with_xdg);
  EXPECT_EQ(from_xdg.base_backoff_ms, 99);
  EXPECT_EQ(from_xdg.max_retry_attempts, 3);  // ~/.config is not read when XDG_CONFIG_HOME is set
}

// Unreadable, non-JSON, non-object and duplicate-key files each give a clear error.
TEST(Settings, BadFilesAreClearErrors) {
  const MapEnvironment missing({{"DYNAMO_SETTINGS_FILE", "/nonexistent/dynamo-settings.json"}});
  const std::string unreadable = error_of([&] { (void)resolve_client_settings({}, missing); });
  EXPECT_TRUE(contains(unreadable, "/nonexistent/dynamo-settings.json: cannot be read")) << unreadable;
  const SettingsFile broken(R"({"max_retry_attempts": )");
  EXPECT_TRUE(contains(error_of([&] { (void)read_settings_file(broken.path); }), "is not valid JSON"));
  const SettingsFile array("[1, 2]");
  EXPECT_TRUE(contains(error_of([&] { (void)read_settings_file(array.path); }),
                       "must hold a JSON object, not an array"));
  const SettingsFile twice(R"({"region": "a", "region": "b"})");
  EXPECT_TRUE(contains(error_of([&] { (void)read_settings_file(twice.path); }), "'region' appears twice"));
}

// An empty DYNAMO_SETTINGS_FILE means no file, not an error.
TEST(Settings, EmptyVariableMeansNoFile) {
  EXPECT_EQ(resolve_client_settings({}, MapEnvironment({{"DYNAMO_SETTINGS_FILE", ""}})).max_retry_attempts,
            3);
}

// The JSON example in docs/settings.md is a valid settings file.
TEST(Settings, DocumentationExampleLoads) {
  std::ifstream doc(DYNAMO_SETTINGS_DOC_PATH);
  ASSERT_TRUE(doc) << "cannot open " << DYNAMO_SETTINGS_DOC_PATH;
  std::stringstream text;
  text << doc.rdbuf();
  const std::string markdown = text.str();
  const auto start = markdown.find("```json\n");
  ASSERT_NE(start, std::string::npos) << "docs/settings.md has no ```json block";
  const auto end = markdown.find("```", start + 8);
  const SettingsFile file(std::string_view(markdown).substr(start + 8, end - start - 8));
  const ClientSettings settings = resolve_client_settings({}, file.env());
  EXPECT_EQ(settings.read_timeout_seconds, 10);
  EXPECT_EQ(settings.endpoint, "http://localhost:8000");
}

}  // namespace
}  // namespace dynamo::auth
