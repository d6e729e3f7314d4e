// Corrupted store files: a known data set is written to a store directory (LMDB and SQLite)
// and closed; then, many times, a copy of the directory has its data file damaged (cut short
// at a random length or at a random page boundary, random bits flipped, a run of random bytes
// written, a page zeroed)
// and is opened and loaded by the engine in a forked child, so that a crash is counted
// instead of ending the test. Each attempt ends one of four ways: a crash (a signal, an
// abort, or no answer within 20 s), a clean refusal (dynamo::Error with a message), the
// original data exactly, or silently wrong data (an item missing, extra or different,
// without an error). Silently wrong data fails the test: every stored entry carries a
// checksum, and a store refuses entries that no table owns. A crash must never happen
// outside LMDB; a SIGSEGV or SIGBUS inside liblmdb (it does not check the page numbers it
// follows) is counted apart and reported, not failed.
// Prints the counts and a sample of refusal messages.
// DYNAMO_CORRUPT_ROUNDS sets the attempts per store kind and kind of damage (default 50);
// DYNAMO_CORRUPT_KEEP=<dir> keeps the damaged copies that crashed there.
#include <dlfcn.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <ucontext.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/engine/engine.hpp"
#include "dynamo/store/store.hpp"
#include "fork_child.hpp"
#include "temp_dir.hpp"

namespace dynamo::store {
namespace {

using namespace api;
using namespace std::chrono_literals;

// Every item of every table, by "table/pk/sk".
using Contents = std::map<std::string, Item>;

std::unique_ptr<engine::Engine> open_engine(const std::string& dir, Kind kind) {
  return std::make_unique<engine::Engine>(engine::EngineOptions{.ttl_sweep_interval = 0ms, .store = open(dir, {.kind = kind})});
}

Contents contents(engine::Engine& engine) {
  Contents all;
  for (const std::string& table : engine.list_tables({}).table_names.value_or(std::vector<std::string>{})) {
    std::optional<Item> start;
    do {
      auto page = engine.scan({.table_name = table, .exclusive_start_key = start});
      for (Item& item : page.items.value_or(std::vector<Item>{})) {
        std::string name = table + "/" + std::string(item.at("pk").as_string());
        if (const AttributeValue* sk = item.find("sk")) name += "/" + sk->as_number().to_string();
        all.emplace(std::move(name), std::move(item));
      }
      start = page.last_evaluated_key;
    } while (start);
  }
  return all;
}

// Three tables (hash key; hash and range key; one with a global secondary index), 700 items
// of 10 bytes to 3 KB and ten of 20 KB (LMDB keeps those on overflow pages), some items
// rewritten and some deleted so that free pages exist.
void write_data_set(const std::string& dir, Kind kind) {
  auto engine = open_engine(dir, kind);
  std::mt19937 rng(42);
  const auto text = [&](std::size_t max) {
    std::string s(std::uniform_int_distribution<std::size_t>(1, max)(rng), ' ');
    for (char& c : s) c = static_cast<char>(std::uniform_int_distribution<int>('a', 'z')(rng));
    return s;
  };
  (void)engine->create_table({.table_name = "Plain",
                              .attribute_definitions = {{"pk", ScalarAttributeType::s}},
                              .key_schema = {{"pk", KeyType::hash}},
                              .billing_mode = BillingMode::pay_per_request});
  (void)engine->create_table({.table_name = "Sorted",
                              .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"sk", ScalarAttributeType::n}},
                              .key_schema = {{"pk", KeyType::hash}, {"sk", KeyType::range}},
                              .billing_mode = BillingMode::pay_per_request});
  (void)engine->create_table(
      {.table_name = "Indexed",
       .attribute_definitions = {{"pk", ScalarAttributeType::s}, {"group", ScalarAttributeType::s}},
       .key_schema = {{"pk", KeyType::hash}},
       .global_secondary_indexes = std::vector<GlobalSecondaryIndex>{{.index_name = "ByGroup",
                                                                      .key_schema = {{"group", KeyType::hash}},
                                                                      .projection = {.projection_type = ProjectionType::all}}},
       .billing_mode = BillingMode::pay_per_request});
  for (int i = 0; i < 300; ++i) {
    (void)engine->put_item({.table_name = "Plain", .item = {{"pk", "p" + std::to_string(i)}, {"text", text(3000)}}});
    (void)engine->put_item(
        {.table_name = "Sorted", .item = {{"pk", "s" + std::to_string(i % 7)}, {"sk", i}, {"n", i * 3}, {"text", text(200)}}});
  }
  for (int i = 0; i < 100; ++i) {
    (void)engine->put_item({.table_name = "Indexed",
                            .item = {{"pk", "i" + std::to_string(i)}, {"group", "g" + std::to_string(i % 5)}, {"text", text(50)}}});
  }
  for (int i = 0; i < 10; ++i) {
    (void)engine->put_item({.table_name = "Plain", .item = {{"pk", "big" + std::to_string(i)}, {"text", std::string(20000, 'b')}}});
  }
  for (int i = 0; i < 300; i += 3) (void)engine->delete_item({.table_name = "Plain", .key = {{"pk", "p" + std::to_string(i)}}});
  for (int i = 1; i < 300; i += 5) {
    (void)engine->put_item({.table_name = "Plain", .item = {{"pk", "p" + std::to_string(i)}, {"text", text(100)}}});
  }
}

std::string data_file(Kind kind) { return kind == Kind::lmdb ? "data.mdb" : "dynamo.sqlite3"; }

enum class Damage { truncate, truncate_at_page, flip_bits, random_bytes, zero_page };
const std::vector<std::pair<Damage, std::string>> damages = {{Damage::truncate, "cut to a random length"},
                                                             {Damage::truncate_at_page, "cut at a page boundary"},
                                                             {Damage::flip_bits, "1 to 8 random bits flipped"},
                                                             {Damage::random_bytes, "1 to 16 random bytes written"},
                                                             {Damage::zero_page, "one 4 KiB page zeroed"}};

void corrupt(const std::string& file, Damage damage, std::mt19937& rng) {
  const auto size = static_cast<std::size_t>(std::filesystem::file_size(file));
  if (damage == Damage::truncate) {
    // Not at a page boundary (that is the next kind of damage).
    std::size_t length = 0;
    do {
      length = std::uniform_int_distribution<std::size_t>(0, size - 1)(rng);
    } while (length % 4096 == 0);
    std::filesystem::resize_file(file, length);
    return;
  }
  if (damage == Damage::truncate_at_page) {
    std::filesystem::resize_file(file, std::uniform_int_distribution<std::size_t>(0, size / 4096 - 1)(rng) * 4096);
    return;
  }
  std::fstream stream(file, std::ios::in | std::ios::out | std::ios::binary);
  const auto write_at = [&](std::size_t offset, const std::string& bytes) {
    stream.seekp(static_cast<std::streamoff>(offset));
    stream.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  };
  const auto random_offset = [&](std::size_t length) {
    return std::uniform_int_distribution<std::size_t>(0, size - length)(rng);
  };
  switch (damage) {
    case Damage::flip_bits:
      for (int n = std::uniform_int_distribution<int>(1, 8)(rng); n > 0; --n) {
        const std::size_t offset = random_offset(1);
        char byte = 0;
        stream.seekg(static_cast<std::streamoff>(offset));
        stream.read(&byte, 1);
        byte = static_cast<char>(byte ^ (1 << std::uniform_int_distribution<int>(0, 7)(rng)));
        write_at(offset, std::string(1, byte));
      }
      break;
    case Damage::random_bytes: {
      std::string bytes(std::uniform_int_distribution<std::size_t>(1, 16)(rng), '\0');
      for (char& c : bytes) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
      write_at(random_offset(bytes.size()), bytes);
      break;
    }
    case Damage::zero_page: {
      const std::size_t pages = size / 4096;
      write_at(std::uniform_int_distribution<std::size_t>(0, pages - 1)(rng) * 4096, std::string(4096, '\0'));
      break;
    }
    case Damage::truncate:
    case Damage::truncate_at_page: break;
  }
}

enum class Outcome { crash, crash_in_lmdb, refused, intact, wrong };

// In the child: a SIGSEGV or SIGBUS whose faulting instruction is in liblmdb is reported
// through the pipe as "lmdb <signal>" (exit 3), so that a crash inside the library is told
// apart from one in our code. Any other crash is left to kill the child.
int report_fd = -1;
void on_fault(int signal, siginfo_t*, void* context) {
#if defined(__x86_64__)
  const auto* machine = static_cast<const ucontext_t*>(context);
  Dl_info where{};
  if (dladdr(reinterpret_cast<void*>(machine->uc_mcontext.gregs[REG_RIP]), &where) != 0 && where.dli_fname != nullptr &&
      std::strstr(where.dli_fname, "liblmdb") != nullptr) {
    const std::string line = "lmdb " + std::to_string(signal);
    (void)!::write(report_fd, line.data(), line.size());
    ::_exit(3);
  }
#else
  (void)context;
#endif
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

void report_lmdb_faults(int fd) {
  report_fd = fd;
  struct sigaction action{};
  action.sa_sigaction = on_fault;
  action.sa_flags = static_cast<int>(SA_SIGINFO | SA_RESETHAND);
  ::sigaction(SIGSEGV, &action, nullptr);
  ::sigaction(SIGBUS, &action, nullptr);
}

struct Tally {
  std::map<Outcome, int> outcomes;
  std::set<std::string> refusals;  // distinct messages, the directory replaced by <dir>
  std::set<std::string> crashes;  // distinct
  std::vector<std::string> wrong;
};

// Opens `dir` in a child process and tells what came of it. The child writes one line to
// the pipe: "refused <message>", "intact", or "wrong <what differs>".
Outcome try_open(const std::string& dir, Kind kind, const Contents& expected, std::string& detail) {
  const auto [pid, read_fd] = testing::fork_with_pipe([&](int write_fd) {
    report_lmdb_faults(write_fd);
    std::string answer;
    try {
      auto engine = open_engine(dir, kind);
      const Contents found = contents(*engine);
      int missing = 0;
      int extra = 0;
      int differ = 0;
      for (const auto& [name, item] : expected) {
        const auto it = found.find(name);
        if (it == found.end()) {
          ++missing;
        } else if (!(it->second == item)) {
          ++differ;
        }
      }
      for (const auto& entry : found) extra += expected.contains(entry.first) ? 0 : 1;
      answer = missing + extra + differ == 0 ? "intact"
                                             : "wrong " + std::to_string(missing) + " missing, " + std::to_string(extra) +
                                                   " extra, " + std::to_string(differ) + " different";
    } catch (const Error& e) {
      answer = "refused " + std::string(e.message());
    } catch (const std::exception& e) {
      answer = "crash: not a dynamo::Error: " + std::string(e.what());
    }
    const auto written = ::write(write_fd, answer.data(), answer.size());
    ::_exit(written == static_cast<ssize_t>(answer.size()) ? 0 : 1);
  });
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  int status = 0;
  while (::waitpid(pid, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ::close(read_fd);
      detail = "no answer within 20 s";
      return Outcome::crash;
    }
    std::this_thread::sleep_for(1ms);
  }
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = ::read(read_fd, buffer, sizeof buffer)) > 0;) answer.append(buffer, static_cast<std::size_t>(n));
  ::close(read_fd);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 3 && answer.starts_with("lmdb ")) {
    detail = "signal " + answer.substr(5) + " inside liblmdb";
    return Outcome::crash_in_lmdb;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    detail = WIFSIGNALED(status) ? "signal " + std::to_string(WTERMSIG(status)) : "exit " + std::to_string(WEXITSTATUS(status));
    return Outcome::crash;
  }
  detail = answer;
  if (answer == "intact") return Outcome::intact;
  if (answer.starts_with("refused ")) {
    detail = answer.substr(8);
    return Outcome::refused;
  }
  if (answer.starts_with("wrong ")) {
    detail = answer.substr(6);
    return Outcome::wrong;
  }
  return Outcome::crash;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) text.replace(at, from.size(), to);
  return text;
}

class Corruption : public ::testing::TestWithParam<Kind> {};

TEST_P(Corruption, DamagedFilesNeverCrashTheLoader) {
  const Kind kind = GetParam();
  const char* rounds_text = std::getenv("DYNAMO_CORRUPT_ROUNDS");
  const int rounds = rounds_text != nullptr && *rounds_text != '\0' ? std::atoi(rounds_text) : 50;
  const testing::TempDir original("dynamo-corruption-original");
  const testing::TempDir work("dynamo-corruption-copy");
  write_data_set(original.path(), kind);
  const Contents expected = contents(*open_engine(original.path(), kind));
  // 300 + 300 + 100 + 10 written, 100 deleted, 20 of those written again (i = 6 mod 15).
  ASSERT_EQ(expected.size(), 630U);
  // The clean copy opens intact: the harness itself is sound.
  std::filesystem::copy(original.path(), work.path(), std::filesystem::copy_options::recursive);
  std::string detail;
  ASSERT_EQ(try_open(work.path(), kind, expected, detail), Outcome::intact) << detail;
  std::filesystem::remove_all(work.path());

  const std::string name = kind == Kind::lmdb ? "LMDB" : "SQLite";
  const auto file_size = std::filesystem::file_size(original.path() + "/" + data_file(kind));
  // A fixed seed by default, so that the test command damages the same bytes on every run;
  // DYNAMO_CORRUPT_SEED picks others (long runs: a new seed each time).
  const char* seed_text = std::getenv("DYNAMO_CORRUPT_SEED");
  const unsigned seed = seed_text != nullptr && *seed_text != '\0'
                            ? static_cast<unsigned>(std::strtoul(seed_text, nullptr, 10))
                            : 1U;
  std::mt19937 rng(seed);
  std::printf("seed %u (DYNAMO_CORRUPT_SEED)\n", seed);
  std::printf("corrupted %s files (data file %s, %ju bytes, %zu items), %d attempts per kind of damage\n", name.c_str(),
              data_file(kind).c_str(), static_cast<std::uintmax_t>(file_size), expected.size(), rounds);
  std::map<Outcome, int> totals;
  // DYNAMO_CORRUPT_KEEP=<dir>: keep each copy whose opening crashed there, for a debugger.
  const char* keep = std::getenv("DYNAMO_CORRUPT_KEEP");
  int kept_count = 0;
  for (const auto& [damage, description] : damages) {
    Tally tally;
    for (int round = 0; round < rounds; ++round) {
      std::filesystem::copy(original.path(), work.path(), std::filesystem::copy_options::recursive);
      corrupt(work.path() + "/" + data_file(kind), damage, rng);
      const Outcome outcome = try_open(work.path(), kind, expected, detail);
      if ((outcome == Outcome::crash || outcome == Outcome::crash_in_lmdb) && keep != nullptr && *keep != '\0') {
        const std::string kept = std::string(keep) + "/" + name + "-" + std::to_string(++kept_count);
        std::filesystem::create_directories(keep);
        std::filesystem::rename(work.path(), kept);
        std::printf("      kept the copy that crashed as %s\n", kept.c_str());
      }
      std::filesystem::remove_all(work.path());
      ++tally.outcomes[outcome];
      ++totals[outcome];
      if (outcome == Outcome::refused) tally.refusals.insert(replace_all(detail, work.path(), "<dir>"));
      if (outcome == Outcome::crash || outcome == Outcome::crash_in_lmdb) tally.crashes.insert(detail);
      if (outcome == Outcome::wrong && tally.wrong.size() < 3) tally.wrong.push_back(detail);
    }
    std::printf("  %-30s crash %d (inside LMDB %d), refused %d, intact %d, silently wrong %d\n", description.c_str(),
                tally.outcomes[Outcome::crash] + tally.outcomes[Outcome::crash_in_lmdb],
                tally.outcomes[Outcome::crash_in_lmdb], tally.outcomes[Outcome::refused],
                tally.outcomes[Outcome::intact], tally.outcomes[Outcome::wrong]);
    int shown = 0;
    for (const std::string& message : tally.refusals) {
      if (shown++ == 4) break;
      std::printf("      refused: %s\n", message.c_str());
    }
    for (const std::string& what : tally.wrong) std::printf("      wrong: %s\n", what.c_str());
    for (const std::string& what : tally.crashes) std::printf("      CRASH: %s\n", what.c_str());
    std::fflush(stdout);  // a long run shows each kind of damage as it ends
    EXPECT_EQ(tally.outcomes[Outcome::crash], 0) << description << ": crashes outside LMDB";
    EXPECT_EQ(tally.outcomes[Outcome::wrong], 0) << description << ": loaded wrong data without an error";
  }
  std::printf("  total: crash %d (inside LMDB %d), refused %d, intact %d, silently wrong %d\n",
              totals[Outcome::crash] + totals[Outcome::crash_in_lmdb], totals[Outcome::crash_in_lmdb],
              totals[Outcome::refused], totals[Outcome::intact], totals[Outcome::wrong]);
}

INSTANTIATE_TEST_SUITE_P(Kinds, Corruption, ::testing::Values(Kind::lmdb, Kind::sqlite),
                         [](const ::testing::TestParamInfo<Kind>& row) {
                           return std::string(row.param == Kind::lmdb ? "lmdb" : "sqlite");
                         });

}  // namespace
}  // namespace dynamo::store
