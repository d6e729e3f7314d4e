#include "transfer.hpp"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <mutex>
#include <set>
#include <thread>

#include <zlib.h>

#include "dynamo/codec/json.hpp"
#include "dynamo/value/item_size.hpp"
#include "line_file.hpp"
#include "output.hpp"
#include "progress.hpp"

namespace dynamo::cli {
namespace {

constexpr std::size_t batch_limit = 25;  // BatchWriteItem's most requests per call

// ---- export ----------------------------------------------------------------------------

struct ExportTotals {
  std::atomic<std::uint64_t> items{0};   // items the scan returned (its Count)
  std::atomic<std::uint64_t> written{0}; // lines written
  std::atomic<std::uint64_t> bytes{0};
};

void export_segment(const Connection& db, const ExportOptions& options, int segment, LineWriter& writer,
                    std::mutex& writer_mutex, ExportTotals& totals) {
  api::ScanRequest request{.table_name = options.table};
  if (options.segments > 1) {
    request.segment = segment;
    request.total_segments = options.segments;
  }
  const bool plain = options.format == "json";
  std::string lines;
  for (;;) {
    auto page = db.scan(request);
    lines.clear();
    std::uint64_t written = 0;
    for (const Item& item : page.items.value_or(std::vector<Item>{})) {
      if (plain) {
        append_plain_json(lines, item);
      } else {
        lines += "{\"Item\":";
        json::encode_to(lines, item);
        lines += "}";
      }
      lines += '\n';
      ++written;
    }
    totals.items += static_cast<std::uint64_t>(page.count.value_or(0));
    {
      const std::lock_guard lock(writer_mutex);
      writer.write(lines);
    }
    totals.written += written;
    totals.bytes += lines.size();
    if (!page.last_evaluated_key) break;
    request.exclusive_start_key = std::move(page.last_evaluated_key);
  }
}

// ---- import ----------------------------------------------------------------------------

std::atomic<bool> interrupted{false};
extern "C" void on_interrupt(int) { interrupted.store(true); }

// FILE.import-state: where an interrupted import of FILE into TABLE stopped.
struct ImportState {
  std::string table;
  std::uint64_t prefix_crc = 0;  // CRC-32 of lines 1..line (each with its '\n'): the same file?
  std::uint64_t line = 0;   // every item on lines 1..line is written
  std::uint64_t items = 0;  // how many items those lines held
};

std::string state_path(const std::string& file) { return file + ".import-state"; }

std::optional<ImportState> read_state(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  ImportState state;
  std::string word;
  bool complete = false;
  while (in >> word) {
    if (word == "table") in >> state.table;
    else if (word == "prefix_crc32") in >> state.prefix_crc;
    else if (word == "line") in >> state.line;
    else if (word == "items") {
      in >> state.items;
      complete = true;
    }
  }
  if (!complete) throw InputError(path + ": unreadable import state; remove it or pass --restart");
  return state;
}

// Written to a temporary file and renamed over the old one, so a crash leaves either.
void write_state(const std::string& path, const ImportState& state) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << "table " << state.table << "\nprefix_crc32 " << state.prefix_crc << "\nline " << state.line << "\nitems "
        << state.items << '\n';
    out.flush();
    if (!out) throw InputError(temporary + ": cannot write the import state");
  }
  std::error_code error;
  std::filesystem::rename(temporary, path, error);
  if (error) throw InputError(path + ": cannot write the import state: " + error.message());
}

struct Batch {
  std::vector<api::WriteRequest> writes;
  std::vector<std::string> keys;  // encoded keys, to keep one key out of two batches in flight
  std::uint64_t first_line = 0;
  std::uint64_t last_line = 0;
  std::uint64_t crc = 0;  // of lines 1..last_line
};

// Writes every request of the batch, retrying the unprocessed ones with growing pauses.
void write_batch(const Connection& db, const std::string& table, std::vector<api::WriteRequest> writes,
                 std::uint64_t first_line, std::uint64_t last_line) {
  int idle_rounds = 0;
  auto pause = std::chrono::milliseconds(25);
  while (!writes.empty()) {
    api::BatchWriteItemRequest request;
    const std::size_t sent = writes.size();
    request.request_items.emplace(table, std::move(writes));
    api::BatchWriteItemResponse response;
    try {
      response = db.batch_write_item(request);
    } catch (const OperationError& error) {
      throw InputError("lines " + std::to_string(first_line) + "-" + std::to_string(last_line) + ": BatchWriteItem failed: " +
                       error.code() + ": " + error.cause_message());
    }
    writes.clear();
    if (response.unprocessed_items) {
      if (auto left = response.unprocessed_items->find(table); left != response.unprocessed_items->end())
        writes = std::move(left->second);
    }
    if (writes.empty()) return;
    idle_rounds = writes.size() < sent ? 0 : idle_rounds + 1;
    if (idle_rounds > 12)
      throw InputError("lines " + std::to_string(first_line) + "-" + std::to_string(last_line) + ": " +
                       std::to_string(writes.size()) + " items stay unprocessed after 12 retries (throttled?)");
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(2000));
  }
}

std::string encoded_key(const Item& item, const std::vector<KeyAttribute>& keys) {
  Item key;
  for (const KeyAttribute& attribute : keys)
    if (const AttributeValue* value = item.find(attribute.name)) key.insert_or_assign(attribute.name, *value);
  return json::encode(key);
}

// Why `item` cannot be written to a table with `keys`, or empty.
std::string check_item(const Item& item, const std::vector<KeyAttribute>& keys) {
  for (const KeyAttribute& key : keys) {
    const AttributeValue* value = item.find(key.name);
    if (value == nullptr) return "the item has no key attribute " + key.name;
    const Type expected = key.type == api::ScalarAttributeType::s   ? Type::string
                          : key.type == api::ScalarAttributeType::n ? Type::number
                                                                    : Type::binary;
    if (value->type() != expected)
      return "key attribute " + key.name + " is of type " + std::string(type_tag(value->type())) + ", the table wants " +
             std::string(type_tag(expected));
    if ((expected == Type::string && value->as_string().empty()) || (expected == Type::binary && value->as_binary().empty()))
      return "key attribute " + key.name + " is empty";
  }
  const std::size_t size = item_size(item);
  if (size > max_item_size)
    return "the item is " + std::to_string(size) + " bytes, over DynamoDB's limit of " + std::to_string(max_item_size) +
           " bytes (400 KB)";
  return {};
}

}  // namespace

int export_table(Session& session, const ExportOptions& options) {
  if (options.format != "dynamodb-json" && options.format != "json")
    throw InputError("--format " + options.format + ": expected dynamodb-json or json");
  if (options.segments < 1 || options.segments > 1000) throw InputError("--segments must be between 1 and 1000");
  const auto& description = session.describe(options.table);
  const Connection& db = session.db();
  // Written under a temporary name and renamed at the end: a failed export leaves no file
  // that looks complete.
  const std::string temporary = options.file + ".partial";
  ExportTotals totals;
  {
    LineWriter writer(temporary, is_gzip_name(options.file));
    std::mutex writer_mutex;
    Progress progress(!options.quiet && is_terminal(STDERR_FILENO), "export " + options.table,
                      static_cast<std::uint64_t>(description.item_count.value_or(0)));
    std::vector<std::thread> threads;
    std::vector<std::exception_ptr> errors(static_cast<std::size_t>(options.segments));
    std::atomic<int> running{options.segments};
    for (int segment = 0; segment < options.segments; ++segment) {
      threads.emplace_back([&, segment] {
        try {
          export_segment(db, options, segment, writer, writer_mutex, totals);
        } catch (...) {
          errors[static_cast<std::size_t>(segment)] = std::current_exception();
        }
        --running;
      });
    }
    while (running.load() > 0) {
      progress.update(totals.written, totals.bytes, totals.written);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (auto& thread : threads) thread.join();
    for (const auto& error : errors) {
      if (!error) continue;
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      std::rethrow_exception(error);
    }
    writer.close();
    progress.finish(totals.written, totals.bytes, totals.written);
  }
  if (totals.written.load() != totals.items.load()) {
    std::error_code ignored;
    std::filesystem::remove(temporary, ignored);
    throw InputError("export " + options.table + ": wrote " + std::to_string(totals.written.load()) +
                     " items but the scan counted " + std::to_string(totals.items.load()));
  }
  std::error_code error;
  std::filesystem::rename(temporary, options.file, error);
  if (error) throw InputError(options.file + ": cannot rename " + temporary + " to it: " + error.message());
  if (!options.quiet)
    std::cerr << "dynamo: exported " << group_digits(totals.written) << " items of " << options.table << " to " << options.file
              << " (" << human_bytes(totals.bytes) << ")\n";
  return 0;
}

int import_table(Session& session, const ImportOptions& options) {
  if (options.parallel < 1 || options.parallel > 64) throw InputError("--parallel must be between 1 and 64");
  if (options.rate < 0) throw InputError("--rate must not be negative");
  const std::vector<KeyAttribute> keys = session.key_schema(options.table);
  const Connection& db = session.db();
  LineReader reader(options.file);
  const std::string state_file = state_path(options.file);

  ImportState state{.table = options.table};
  if (options.restart) {
    std::error_code ignored;
    std::filesystem::remove(state_file, ignored);
  } else if (auto previous = read_state(state_file)) {
    if (previous->table != options.table)
      throw InputError(state_file + " records an import into table " + previous->table +
                       ", not " + options.table + ": it does not match this one: remove it or pass --restart");
    state = *previous;
    if (!options.quiet)
      std::cerr << "dynamo: resuming the import of " << options.file << " after line " << group_digits(state.line) << " ("
                << group_digits(state.items) << " items already written)\n";
  }
  const std::uint64_t resumed_items = state.items;
  const std::uint64_t resume_after = state.line;
  uLong crc = crc32(0L, nullptr, 0);

  struct InFlight {
    std::future<void> done;
    std::uint64_t last_line;
    std::uint64_t crc;
    std::uint64_t items;
    std::vector<std::string> keys;
  };
  std::deque<InFlight> in_flight;
  std::multiset<std::string> keys_in_flight;
  Batch batch;
  std::uint64_t items_read = 0;   // items on the lines read by this run
  std::uint64_t bytes_read = 0;
  const auto started = std::chrono::steady_clock::now();
  auto last_state_write = started;
  // How far through the file: bytes of lines for a plain file; for gzip, the compressed
  // bytes consumed (the file's size is all that is known of it).
  const bool gzip_input = is_gzip_name(options.file);
  Progress progress(!options.quiet && is_terminal(STDERR_FILENO), "import " + options.table, reader.file_size());

  // Once a batch fails, the state stays before its lines even if later batches succeed.
  bool failed = false;
  // Waits for the oldest batch in flight and moves the state past its lines.
  auto retire_one = [&] {
    InFlight front = std::move(in_flight.front());
    in_flight.pop_front();
    for (const std::string& key : front.keys) keys_in_flight.erase(keys_in_flight.find(key));
    try {
      front.done.get();
    } catch (...) {
      failed = true;
      throw;
    }
    if (failed) return;
    state.line = front.last_line;
    state.prefix_crc = front.crc;
    state.items += front.items;
  };
  auto submit = [&] {
    if (batch.writes.empty()) return;
    while (in_flight.size() >= static_cast<std::size_t>(options.parallel)) retire_one();
    for (const std::string& key : batch.keys) keys_in_flight.insert(key);
    const std::uint64_t count = batch.writes.size();
    in_flight.push_back({.done = std::async(std::launch::async, write_batch, std::cref(db), options.table,
                                            std::move(batch.writes), batch.first_line, batch.last_line),
                         .last_line = batch.last_line,
                         .crc = batch.crc,
                         .items = count,
                         .keys = std::move(batch.keys)});
    batch = Batch{};
  };
  // Everything read so far written, and the state saying so.
  auto drain = [&] {
    std::exception_ptr first_error;
    try {
      if (!failed) submit();
    } catch (...) {
      first_error = std::current_exception();
    }
    while (!in_flight.empty()) {
      try {
        retire_one();
      } catch (...) {
        if (!first_error) first_error = std::current_exception();
      }
    }
    write_state(state_file, state);
    if (first_error) std::rethrow_exception(first_error);
  };
  auto stop_message = [&](const std::string& why) {
    return why + "; " + group_digits(state.items) + " items up to line " + group_digits(state.line) +
           " are written: run the same command again to continue from there";
  };

  interrupted.store(false);
  struct sigaction action{};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  struct sigaction previous_int{};
  struct sigaction previous_term{};
  sigaction(SIGINT, &action, &previous_int);
  sigaction(SIGTERM, &action, &previous_term);
  struct RestoreSignals {
    struct sigaction* int_action;
    struct sigaction* term_action;
    ~RestoreSignals() {
      sigaction(SIGINT, int_action, nullptr);
      sigaction(SIGTERM, term_action, nullptr);
    }
  } restore{&previous_int, &previous_term};

  bool reported = false;  // the error thrown already says how far the import got
  try {
    while (auto line = reader.next()) {
      const std::uint64_t number = reader.line_number();
      bytes_read += line->size() + 1;
      crc = crc32_z(crc, reinterpret_cast<const Bytef*>(line->data()), line->size());
      crc = crc32(crc, reinterpret_cast<const Bytef*>("\n"), 1);
      if (number < resume_after) continue;
      if (number == resume_after) {
        // The lines written before must be the lines of this file, unchanged; lines after
        // them may differ (a bad line fixed by hand).
        if (crc != state.prefix_crc)
          throw InputError("lines 1-" + std::to_string(number) + " of " + options.file +
                           " are not the ones the interrupted import wrote (" + state_file +
                           "): remove it or pass --restart");
        continue;
      }
      if (interrupted.load()) {
        drain();
        std::cerr << "dynamo: import interrupted" << '\n' << "dynamo: " << stop_message("interrupted") << '\n';
        return 130;
      }
      if (line->find_first_not_of(" \t\r") == std::string_view::npos) {
        // A blank line holds no item; it only moves the line count on.
        if (batch.writes.empty() && in_flight.empty()) {
          state.line = number;
          state.prefix_crc = crc;
        }
        continue;
      }
      Item item;
      std::string problem;
      try {
        item = parse_import_line(*line);
        problem = check_item(item, keys);
      } catch (const InputError& error) {
        problem = error.what();
        if (reader.last_line_unterminated()) problem += " (the file's last line is cut short)";
      }
      if (!problem.empty()) {
        std::string message = options.file + ":" + std::to_string(number) + ": " + problem;
        reported = true;
        try {
          drain();
        } catch (const std::exception& error) {
          throw InputError(message + "; also: " + error.what() + "\ndynamo: " +
                           stop_message("import stopped at line " + std::to_string(number)));
        }
        throw InputError(message + "\ndynamo: " + stop_message("import stopped at line " + std::to_string(number)));
      }
      ++items_read;
      if (options.rate > 0) {
        // At most `rate` items a second: item k of this run waits until k / rate seconds in.
        const auto due = started + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       std::chrono::duration<double>(static_cast<double>(items_read - 1) / options.rate));
        std::this_thread::sleep_until(due);
      }
      std::string key = encoded_key(item, keys);
      // BatchWriteItem refuses one key twice in a call, and two calls in flight with one
      // key could land in either order: wait until the earlier write of the key is done.
      if (std::find(batch.keys.begin(), batch.keys.end(), key) != batch.keys.end()) submit();
      while (keys_in_flight.contains(key)) retire_one();
      if (batch.writes.empty()) batch.first_line = number;
      batch.last_line = number;
      batch.crc = crc;
      batch.writes.push_back({.put_request = api::PutRequest{.item = std::move(item)}});
      batch.keys.push_back(std::move(key));
      if (batch.writes.size() == batch_limit) submit();
      while (!in_flight.empty() && in_flight.front().done.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        retire_one();
      const auto now = std::chrono::steady_clock::now();
      if (now - last_state_write > std::chrono::milliseconds(500)) {
        write_state(state_file, state);
        last_state_write = now;
      }
      progress.update(state.items - resumed_items, bytes_read, gzip_input ? reader.position() : bytes_read);
    }
    drain();
  } catch (const std::exception& error) {
    if (reported) throw;
    const std::string why = error.what();
    try {
      drain();
    } catch (...) {
      // The first failure is the one to report; drain() only settles the state.
    }
    throw InputError(why + "\ndynamo: " + stop_message("import stopped"));
  }
  if (reader.line_number() < resume_after)
    throw InputError(options.file + " has " + std::to_string(reader.line_number()) + " lines, but " + state_file +
                     " records " + std::to_string(resume_after) + " written: remove it or pass --restart");
  progress.finish(state.items - resumed_items, bytes_read, gzip_input ? reader.position() : bytes_read);

  const std::uint64_t written = state.items - resumed_items;
  if (written != items_read)
    throw InputError("import " + options.file + ": read " + std::to_string(items_read) + " items but wrote " +
                     std::to_string(written) + "; " + state_file + " is kept");
  std::error_code ignored;
  std::filesystem::remove(state_file, ignored);
  if (!options.quiet)
    std::cerr << "dynamo: imported " << group_digits(state.items) << " items from " << options.file << " into "
              << options.table << (resumed_items > 0 ? " (" + group_digits(resumed_items) + " of them before resuming)" : "")
              << '\n';
  return 0;
}

}  // namespace dynamo::cli
