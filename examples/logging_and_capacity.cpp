// Logging routed into the application's own logger, and the capacity a connection's calls
// consumed, per table, as PynamoDB's total_consumed_capacity reports it.
#include <dynamo/dynamo.hpp>

#include <cstdlib>
#include <iostream>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

struct Note {
  std::string owner{};  // hash key
  int number = 0;       // range key
  std::string text{};
};

template <>
struct dynamo::model<Note> {
  static auto schema() {
    return dynamo::table<Note>("logging-example-notes")
        .hash_key("owner", &Note::owner)
        .range_key("number", &Note::number)
        .attribute("text", &Note::text);
  }
};

// The application's logger: here it keeps the lines and prints them with its own prefix.
class AppLogger {
 public:
  void write(std::string_view level, std::string_view component, std::string_view message) {
    const std::lock_guard lock(mutex_);
    lines_.push_back(std::string(level) + " [dynamo/" + std::string(component) + "] " + std::string(message));
  }
  std::vector<std::string> lines() const {
    const std::lock_guard lock(mutex_);
    return lines_;
  }

 private:
  mutable std::mutex mutex_;
  std::vector<std::string> lines_;
};

void check(bool condition, const char* what) {
  if (!condition) throw std::runtime_error(std::string("check failed: ") + what);
}

// Every call asks for its consumed capacity: the connection adds it up.
dynamo::Connection make_connection() {
  const auto capacity = dynamo::api::ReturnConsumedCapacity::total;
  if (const char* endpoint = std::getenv("DYNAMO_ENDPOINT"); endpoint && *endpoint) {
    return dynamo::Connection::connect({.endpoint = std::string(endpoint),
                                        .region = "us-east-1",
                                        .access_key_id = "example",
                                        .secret_access_key = dynamo::auth::SecretString("example"),
                                        .return_consumed_capacity = capacity});
  }
  return dynamo::Connection::embedded({.return_consumed_capacity = capacity});
}

int main() {
  AppLogger app_logger;
  dynamo::set_log_sink([&](const dynamo::LogRecord& record) {
    app_logger.write(dynamo::to_string(record.level), record.component, record.message);
  });
  dynamo::set_log_level(dynamo::LogLevel::debug);

  auto db = make_connection();
  auto notes = db.table<Note>();
  if (notes.exists()) notes.delete_table({.wait = true});
  notes.create_table({.wait = true});
  for (int i = 1; i <= 3; ++i) notes.save(Note{.owner = "ada", .number = i, .text = "note " + std::to_string(i)});
  const Note first = notes.get("ada", 1, {.consistent_read = true});
  int listed = 0;
  for (const Note& note : notes.query("ada")) listed += note.number > 0 ? 1 : 0;
  dynamo::set_log_level(dynamo::LogLevel::off);

  std::cout << "what the application's logger received:\n";
  for (const auto& line : app_logger.lines()) std::cout << "  " << line << "\n";

  const dynamo::CapacityTotals used = db.consumed_capacity();
  const dynamo::TableCapacityTotals& table = used.tables.at("logging-example-notes");
  std::cout << "consumed: " << table.write_units << " write and " << table.read_units << " read units on "
            << "logging-example-notes\n";

  check(first.text == "note 1", "the note reads back");
  check(listed == 3, "the query lists three notes");
  check(table.write_units == 3, "three small puts cost one write unit each");
  check(table.read_units == 1.5, "one consistent get (1) and one eventually consistent query (0.5)");
  int put_lines = 0;
  for (const auto& line : app_logger.lines()) {
    check(line.find("note 1") == std::string::npos, "no item contents in the log");
    if (line.find("[dynamo/client] PutItem table=logging-example-notes") != std::string::npos) ++put_lines;
  }
  check(put_lines == 3, "one client line per put");
  notes.delete_table({.wait = true});
  return 0;
}
