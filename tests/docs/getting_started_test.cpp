// docs/getting-started.md's code, compiled and, where no server is needed, run.
// GettingStarted.PageShowsOnlyCodeFromHere checks that every C++ block of the page appears
// below, so a snippet cannot change in the page without this file changing with it.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "docs/snippets.hpp"

// "Define a model"
#include <dynamo/dynamo.hpp>
#include <dynamo/version.hpp>

#include <cstdint>
#include <iostream>
#include <string>

struct Task {
  std::string project{};
  std::string id{};
  std::string title{};
  bool done = false;
  std::int64_t priority = 0;
};

template <>
struct dynamo::model<Task> {
  static auto schema() {
    return dynamo::table<Task>("Tasks")
        .hash_key("project", &Task::project)
        .range_key("id", &Task::id)
        .attribute("title", &Task::title)
        .attribute("done", &Task::done)
        .attribute("priority", &Task::priority);
  }
};

// "Define a model": a header that only names dynamo's types.
#include <dynamo/fwd.hpp>

struct Task;

// tasks.hpp: what the rest of the program sees.
void mark_done(const dynamo::ModelTable<Task>& tasks, const dynamo::Item& key);

// tasks.cpp, with the full include above.
void mark_done(const dynamo::ModelTable<Task>& tasks, const dynamo::Item& key) {
  Task task = tasks.get(key.at("project").as_string(), key.at("id").as_string());
  task.done = true;
  tasks.save(task);
}

namespace getting_started {

// "Run it against dynamo-server" and "Run it against AWS": compiled only here; the
// conformance suite and the server tests run connections like these.
void connect_to_dynamo_server() {
  auto db = dynamo::Connection::connect({.endpoint = "http://127.0.0.1:8000",
                                         .region = "us-east-1",
                                         .access_key_id = "local",
                                         .secret_access_key = dynamo::auth::SecretString("local")});
  auto tasks = db.table<Task>();
}

void connect_to_aws() {
  auto db = dynamo::Connection::connect({.region = "eu-west-1"});
}

void connect_to_aws_with_profile() {
  auto db = dynamo::Connection::connect({.region = "eu-west-1", .profile = "production"});
}

// "Run it against DynamoDB Local"
dynamo::Connection open_database() {
  if (const char* endpoint = std::getenv("DYNAMO_ENDPOINT"); endpoint != nullptr && *endpoint != '\0') {
    return dynamo::Connection::connect({.endpoint = std::string(endpoint),
                                        .region = "us-east-1",
                                        .access_key_id = "local",
                                        .secret_access_key = dynamo::auth::SecretString("local")});
  }
  return dynamo::Connection::embedded();
}

// "When something fails"
void add_task(const dynamo::ModelTable<Task>& tasks, const Task& task) {
  using dynamo::field;
  try {
    tasks.save(task, field(&Task::id).does_not_exist());
  } catch (const dynamo::PutError& e) {
    if (e.code() == "ConditionalCheckFailedException") {
      std::cerr << "task " << task.id << " exists already\n";
    } else if (e.is_connection_failure()) {
      std::cerr << "DynamoDB could not be reached: " << e.what() << '\n';
    } else {
      throw;
    }
  } catch (const dynamo::Error& e) {
    std::cerr << e.code() << ": " << e.what() << " (request id " << e.request_id() << ")\n";
    throw;
  }
}

}  // namespace getting_started

namespace {

// "Run it on the embedded engine": prints the version and the one open task, and the
// update marked the first task done.
TEST(GettingStarted, EmbeddedEngineRuns) {
  testing::internal::CaptureStdout();
  {
    std::cout << "dynamo " << dynamo::version() << '\n';

    auto db = dynamo::Connection::embedded();
    auto tasks = db.table<Task>();
    tasks.create_table({.wait = true});

    tasks.save(Task{.project = "site", .id = "1", .title = "Write the docs", .priority = 2});
    tasks.save(Task{.project = "site", .id = "2", .title = "Ship it", .priority = 1});

    using dynamo::field;
    tasks.update({"site", "1"}, {field(&Task::done).set(true)});

    for (const Task& task : tasks.query("site", {}, field(&Task::done) == false)) {
      std::cout << task.id << ": " << task.title << '\n';   // 2: Ship it
    }
    Task first = tasks.get("site", "1");                   // first.done == true
    EXPECT_TRUE(first.done);
    EXPECT_EQ(first.priority, 2);
  }
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            "dynamo " + std::string(dynamo::version()) + "\n2: Ship it\n");
}

// The persistent embedded engine keeps what it stored after the connection is gone.
TEST(GettingStarted, EmbeddedEngineWithDirectoryPersists) {
  const auto previous = std::filesystem::current_path();
  const auto dir = std::filesystem::temp_directory_path() /
                   ("dynamo-getting-started-" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::filesystem::current_path(dir);
  {
    auto persistent = dynamo::Connection::embedded({.path = "tasks-data"});
    auto tasks = persistent.table<Task>();
    tasks.create_table({.wait = true});
    tasks.save(Task{.project = "site", .id = "1", .title = "Survive a restart"});
  }
  {
    auto reopened = dynamo::Connection::embedded({.path = "tasks-data"});
    EXPECT_EQ(reopened.table<Task>().get("site", "1").title, "Survive a restart");
  }
  std::filesystem::current_path(previous);
  std::filesystem::remove_all(dir);
}

// Without DYNAMO_ENDPOINT, open_database() is the embedded engine.
TEST(GettingStarted, OpenDatabaseDefaultsToEmbeddedEngine) {
  ::unsetenv("DYNAMO_ENDPOINT");
  auto tasks = getting_started::open_database().table<Task>();
  tasks.create_table({.wait = true});
  tasks.save(Task{.project = "p", .id = "1"});
  EXPECT_EQ(tasks.count("p"), 1);
}

// add_task() reports a duplicate instead of overwriting it.
TEST(GettingStarted, AddTaskReportsExistingTask) {
  auto db = dynamo::Connection::embedded();
  auto tasks = db.table<Task>();
  tasks.create_table({.wait = true});
  getting_started::add_task(tasks, Task{.project = "site", .id = "1", .title = "first"});
  testing::internal::CaptureStderr();
  getting_started::add_task(tasks, Task{.project = "site", .id = "1", .title = "second"});
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "task 1 exists already\n");
  EXPECT_EQ(tasks.get("site", "1").title, "first");
}

// Every ```cpp block of docs/getting-started.md is in this file.
TEST(GettingStarted, FunctionDeclaredWithForwardDeclarationsRuns) {
  auto tasks = dynamo::Connection::embedded().table<Task>();
  tasks.create_table({.wait = true});
  tasks.save(Task{.project = "docs", .id = "1", .title = "write"});
  mark_done(tasks, dynamo::Item{{"project", "docs"}, {"id", "1"}});
  EXPECT_TRUE(tasks.get("docs", "1").done);
}

TEST(GettingStarted, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/getting-started.md",
                                           DYNAMO_SOURCE_DIR "/tests/docs/getting_started_test.cpp"),
            "");
}

}  // namespace
