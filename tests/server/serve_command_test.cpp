// dynamo-server's store flags: --durability and its alias --sync, --lmdb-map-size with
// units, and the refusals (an unknown mode, --sync with --durability, a store flag without
// --data-dir).
#include "server/serve_command.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace dynamo::server {
namespace {

// Parses `args` as dynamo-server's command line; nullopt when CLI11 refuses it.
std::optional<ServeSettings> parse(std::initializer_list<std::string> args) {
  CLI::App app{"test"};
  ServeSettings settings;
  add_serve_options(app, settings);
  std::vector<std::string> reversed(args);  // CLI11 takes the arguments last first
  std::reverse(reversed.begin(), reversed.end());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError&) {
    return std::nullopt;
  }
  return settings;
}

TEST(ServeCommand, DurabilityDefaultsToConsistent) {
  const auto settings = parse({"--data-dir", "/tmp/x"});
  ASSERT_TRUE(settings);
  EXPECT_EQ(settings->durability, "consistent");
  EXPECT_FALSE(settings->sync_every_write);
  EXPECT_EQ(settings->lmdb_map_size, std::size_t{64} << 30);
}

TEST(ServeCommand, DurabilityTakesEachMode) {
  for (const std::string mode : {"process", "consistent", "power"}) {
    const auto settings = parse({"--data-dir", "/tmp/x", "--durability", mode});
    ASSERT_TRUE(settings) << mode;
    EXPECT_EQ(settings->durability, mode);
  }
  EXPECT_FALSE(parse({"--data-dir", "/tmp/x", "--durability", "fsync"}));
  EXPECT_FALSE(parse({"--durability", "power"})) << "needs --data-dir";
}

// --sync is kept as the spelling of --durability power; giving both is refused.
TEST(ServeCommand, SyncIsAnAliasOfPower) {
  const auto settings = parse({"--data-dir", "/tmp/x", "--sync"});
  ASSERT_TRUE(settings);
  EXPECT_TRUE(settings->sync_every_write);
  EXPECT_FALSE(parse({"--data-dir", "/tmp/x", "--sync", "--durability", "process"}));
  EXPECT_FALSE(parse({"--sync"})) << "needs --data-dir";
}

TEST(ServeCommand, LmdbMapSizeTakesUnits) {
  EXPECT_EQ(parse({"--data-dir", "/tmp/x", "--lmdb-map-size", "1048576"})->lmdb_map_size, 1048576U);
  EXPECT_EQ(parse({"--data-dir", "/tmp/x", "--lmdb-map-size", "64KiB"})->lmdb_map_size, 65536U);
  EXPECT_EQ(parse({"--data-dir", "/tmp/x", "--lmdb-map-size", "2GiB"})->lmdb_map_size, std::size_t{2} << 30);
  EXPECT_FALSE(parse({"--data-dir", "/tmp/x", "--lmdb-map-size", "0"}));
  EXPECT_FALSE(parse({"--data-dir", "/tmp/x", "--lmdb-map-size", "lots"}));
  EXPECT_FALSE(parse({"--lmdb-map-size", "1GiB"})) << "needs --data-dir";
}

}  // namespace
}  // namespace dynamo::server
