#include "commands.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>

#include "dynamo/api/codec.hpp"
#include "dynamo/codec/json.hpp"
#include "progress.hpp"

namespace dynamo::cli {
namespace {

std::string upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// "name:TYPE" of --hash, --range and --gsi.
KeyAttribute parse_attribute(const std::string& text, const std::string& option) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw InputError(option + " " + text + ": expected NAME:TYPE with TYPE one of S, N, B (e.g. id:S)");
  api::ScalarAttributeType type{};
  if (!api::from_string(upper(text.substr(colon + 1)), type))
    throw InputError(option + " " + text + ": the type must be S, N or B");
  return {.name = text.substr(0, colon), .type = type};
}

void define(std::vector<api::AttributeDefinition>& definitions, const KeyAttribute& key) {
  for (const auto& definition : definitions) {
    if (definition.attribute_name != key.name) continue;
    if (definition.attribute_type != key.type)
      throw InputError("attribute " + key.name + " is given two types (" + std::string(api::to_string(definition.attribute_type)) +
                       " and " + std::string(api::to_string(key.type)) + ")");
    return;
  }
  definitions.push_back({.attribute_name = key.name, .attribute_type = key.type});
}

std::vector<api::KeySchemaElement> key_schema(const KeyAttribute& hash, const std::optional<KeyAttribute>& range) {
  std::vector<api::KeySchemaElement> schema{{.attribute_name = hash.name, .key_type = api::KeyType::hash}};
  if (range) schema.push_back({.attribute_name = range->name, .key_type = api::KeyType::range});
  return schema;
}

std::optional<api::ExpressionAttributeNames> names_of(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return parse_names(argument_text(text, "--names"));
}

std::optional<api::ExpressionAttributeValues> values_of(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    return parse_item(argument_text(text, "--values"), JsonFlavor::automatic);
  } catch (const InputError& error) {
    throw InputError(std::string("--values: ") + error.what());
  }
}

std::optional<std::string> text_of(const std::string& text) {
  if (text.empty()) return std::nullopt;
  return text;
}

template <class E>
std::optional<E> enum_of(const std::string& text, const std::string& option) {
  if (text.empty()) return std::nullopt;
  E value{};
  if (!api::from_string(upper(text), value))
    throw InputError(option + " " + text + ": expected one of " + std::string(api::enum_value_set(E{})));
  return value;
}

std::vector<std::string> column_names(const std::vector<KeyAttribute>& keys) {
  std::vector<std::string> names;
  for (const auto& key : keys) names.push_back(key.name);
  return names;
}

void print_item(Session& session, const std::string& table, const Item& item) {
  ItemPrinter printer(std::cout, session.output_format(), column_names(session.key_schema(table)));
  printer.add(item);
  printer.finish();
}

std::string describe_key(const std::vector<api::KeySchemaElement>& schema,
                         const std::vector<api::AttributeDefinition>& definitions) {
  std::string text;
  for (const auto& element : schema) {
    if (!text.empty()) text += ", ";
    text += element.attribute_name + " (";
    for (const auto& definition : definitions)
      if (definition.attribute_name == element.attribute_name) text += std::string(api::to_string(definition.attribute_type)) + ", ";
    text += element.key_type == api::KeyType::hash ? "hash)" : "range)";
  }
  return text;
}

// Both query and scan: pages until the end or --limit, printing as items arrive.
template <class Request, class Call>
std::uint64_t read_pages(Request request, long long limit, Call&& call, const std::function<void(const Item&)>& emit,
                         std::atomic<long long>* remaining) {
  std::uint64_t count = 0;
  for (;;) {
    if (remaining != nullptr) {
      const long long left = remaining->load();
      if (left <= 0) break;
      request.limit = static_cast<int>(std::min<long long>(left, 1000000));
    } else if (limit > 0) {
      request.limit = static_cast<int>(std::min<long long>(limit, 1000000));
    }
    auto page = call(request);
    if (request.select == api::Select::count) {
      count += static_cast<std::uint64_t>(page.count.value_or(0));
    } else {
      for (Item& item : page.items.value_or(std::vector<Item>{})) {
        if (remaining != nullptr && remaining->fetch_sub(1) <= 0) return count;
        emit(item);
        ++count;
      }
    }
    if (!page.last_evaluated_key) break;
    request.exclusive_start_key = std::move(page.last_evaluated_key);
  }
  return count;
}

int run_read(Session& session, const ReadOptions& options, bool is_query) {
  const auto index = text_of(options.index);
  auto keys = session.key_schema(options.table, index);
  auto table_keys = session.key_schema(options.table);
  std::vector<std::string> columns = column_names(keys);
  for (const auto& key : table_keys)
    if (std::find(columns.begin(), columns.end(), key.name) == columns.end()) columns.push_back(key.name);

  auto names = names_of(options.names);
  auto values = values_of(options.values);
  std::optional<std::string> key_condition = text_of(options.key_condition);
  if (is_query && !options.key.empty()) {
    if (key_condition) throw InputError("give the key either as name=value pairs or as --key-condition, not both");
    // name=value pairs: equality on the hash key, and on the range key when given.
    std::string condition;
    int n = 0;
    for (const std::string& pair : options.key) {
      const auto equals = pair.find('=');
      if (equals == std::string::npos || equals == 0) throw InputError("\"" + pair + "\" is not a key as name=value");
      const std::string name = pair.substr(0, equals);
      auto key = std::find_if(keys.begin(), keys.end(), [&](const KeyAttribute& k) { return k.name == name; });
      if (key == keys.end())
        throw InputError("\"" + name + "\" is not a key attribute of " + options.table + (index ? " index " + *index : ""));
      const std::string placeholder = "k" + std::to_string(n++);
      if (!names) names.emplace();
      if (!values) values.emplace();
      (*names)["#" + placeholder] = name;
      values->insert_or_assign(":" + placeholder, parse_key_value(std::string_view(pair).substr(equals + 1), key->type, name));
      condition += (condition.empty() ? "" : " AND ") + ("#" + placeholder + " = :" + placeholder);
    }
    const std::string& hash = keys.front().name;
    if (std::none_of(options.key.begin(), options.key.end(), [&](const std::string& p) { return p.starts_with(hash + "="); }))
      throw InputError("a query needs the hash key: " + hash + "=...");
    key_condition = condition;
  }
  if (is_query && !key_condition)
    throw InputError("query " + options.table + ": give the key as name=value (e.g. " + keys.front().name +
                     "=...) or --key-condition");

  OutputFormat format = session.output_format();
  ItemPrinter printer(std::cout, format, columns);
  std::mutex printer_mutex;
  auto emit = [&](const Item& item) {
    const std::lock_guard lock(printer_mutex);
    printer.add(item);
  };
  const std::optional<api::Select> select = options.count ? std::optional(api::Select::count) : std::nullopt;
  std::uint64_t counted = 0;
  if (is_query) {
    api::QueryRequest request{.table_name = options.table,
                              .index_name = index,
                              .select = select,
                              .consistent_read = options.consistent ? std::optional(true) : std::nullopt,
                              .scan_index_forward = options.descending ? std::optional(false) : std::nullopt,
                              .projection_expression = text_of(options.projection),
                              .filter_expression = text_of(options.filter),
                              .key_condition_expression = key_condition,
                              .expression_attribute_names = names,
                              .expression_attribute_values = values};
    const Connection& db = session.db();
    std::atomic<long long> remaining{options.limit};
    counted = read_pages(
        request, options.limit, [&](const api::QueryRequest& r) { return db.query(r); }, emit,
        options.limit > 0 && !options.count ? &remaining : nullptr);
  } else {
    if (options.segments < 1 || options.segments > 1000000) throw InputError("--segments must be between 1 and 1000000");
    api::ScanRequest request{.table_name = options.table,
                             .index_name = index,
                             .select = select,
                             .projection_expression = text_of(options.projection),
                             .filter_expression = text_of(options.filter),
                             .expression_attribute_names = names,
                             .expression_attribute_values = values,
                             .consistent_read = options.consistent ? std::optional(true) : std::nullopt};
    const Connection& db = session.db();
    std::atomic<long long> remaining{options.limit};
    std::atomic<long long>* shared_limit = options.limit > 0 && !options.count ? &remaining : nullptr;
    auto call = [&](const api::ScanRequest& r) { return db.scan(r); };
    if (options.segments == 1) {
      counted = read_pages(request, options.limit, call, emit, shared_limit);
    } else {
      std::vector<std::thread> threads;
      std::vector<std::exception_ptr> errors(static_cast<std::size_t>(options.segments));
      std::atomic<std::uint64_t> total{0};
      for (int segment = 0; segment < options.segments; ++segment) {
        threads.emplace_back([&, segment] {
          try {
            api::ScanRequest part = request;
            part.segment = segment;
            part.total_segments = options.segments;
            total += read_pages(part, options.limit, call, emit, shared_limit);
          } catch (...) {
            errors[static_cast<std::size_t>(segment)] = std::current_exception();
          }
        });
      }
      for (auto& thread : threads) thread.join();
      for (const auto& error : errors)
        if (error) std::rethrow_exception(error);
      counted = total.load();
    }
  }
  if (options.count) {
    std::cout << counted << '\n';
    return 0;
  }
  printer.finish();
  return 0;
}

}  // namespace

std::string argument_text(const std::string& argument, const std::string& what) {
  // stdio rather than iostreams: GCC 12 warns (wrongly) of a null dereference inside
  // istreambuf_iterator after inlining.
  auto read_all = [&](std::FILE* file, const std::string& name) {
    std::string text;
    char chunk[65536];
    std::size_t got = 0;
    while ((got = std::fread(chunk, 1, sizeof chunk, file)) > 0) text.append(chunk, got);
    if (std::ferror(file)) throw InputError(what + ": cannot read " + name);
    return text;
  };
  if (argument == "-") {
    if (is_terminal(STDIN_FILENO)) std::cerr << "dynamo: reading " << what << " from standard input (end with Ctrl-D)\n";
    return read_all(stdin, "standard input");
  }
  if (argument.starts_with("@")) {
    const std::string path = argument.substr(1);
    std::FILE* file = std::fopen(path.c_str(), "rb");
    if (file == nullptr) throw InputError(what + ": cannot open " + path + ": " + std::strerror(errno));
    std::string text;
    try {
      text = read_all(file, path);
    } catch (...) {
      std::fclose(file);
      throw;
    }
    std::fclose(file);
    return text;
  }
  return argument;
}

int list_tables(Session& session) {
  const Connection& db = session.db();
  api::ListTablesRequest request;
  for (;;) {
    auto page = db.list_tables(request);
    for (const std::string& name : page.table_names.value_or(std::vector<std::string>{})) std::cout << name << '\n';
    if (!page.last_evaluated_table_name) break;
    request.exclusive_start_table_name = page.last_evaluated_table_name;
  }
  return 0;
}

int describe_table(Session& session, const std::string& table) {
  const api::TableDescription& d = session.describe(table);
  if (session.output_format() != OutputFormat::table) {
    std::cout << api::encode(api::DescribeTableResponse{.table = d}) << '\n';
    return 0;
  }
  const auto definitions = d.attribute_definitions.value_or(std::vector<api::AttributeDefinition>{});
  auto row = [](std::string_view label, const std::string& value) {
    std::cout << label << std::string(10 - label.size(), ' ') << value << '\n';
  };
  row("Table", d.table_name.value_or(table));
  if (d.table_status) row("Status", std::string(api::to_string(*d.table_status)));
  row("Key", describe_key(d.key_schema.value_or(std::vector<api::KeySchemaElement>{}), definitions));
  if (d.item_count) row("Items", group_digits(static_cast<std::uint64_t>(*d.item_count)));
  if (d.table_size_bytes) row("Size", human_bytes(static_cast<std::uint64_t>(*d.table_size_bytes)));
  if (d.billing_mode_summary && d.billing_mode_summary->billing_mode)
    row("Billing", std::string(api::to_string(*d.billing_mode_summary->billing_mode)));
  for (const auto& gsi : d.global_secondary_indexes.value_or(std::vector<api::GlobalSecondaryIndexDescription>{}))
    row("GSI", gsi.index_name.value_or("?") + ": " +
                   describe_key(gsi.key_schema.value_or(std::vector<api::KeySchemaElement>{}), definitions) +
                   (gsi.index_status ? "  " + std::string(api::to_string(*gsi.index_status)) : ""));
  for (const auto& lsi : d.local_secondary_indexes.value_or(std::vector<api::LocalSecondaryIndexDescription>{}))
    row("LSI", lsi.index_name.value_or("?") + ": " +
                   describe_key(lsi.key_schema.value_or(std::vector<api::KeySchemaElement>{}), definitions));
  if (d.table_arn) row("ARN", *d.table_arn);
  return 0;
}

int create_table(Session& session, const CreateOptions& options) {
  api::CreateTableRequest request;
  if (!options.json_file.empty()) {
    if (!options.hash.empty() || !options.range.empty() || !options.gsis.empty())
      throw InputError("--json excludes --hash, --range and --gsi: the file describes the whole table");
    const std::string text = argument_text(options.json_file == "-" ? "-" : "@" + options.json_file, "--json");
    try {
      api::decode_into(text, request);
    } catch (const Error& error) {
      throw InputError("--json " + options.json_file + ": " + error.what());
    }
    if (!options.table.empty()) request.table_name = options.table;
    if (request.table_name.empty()) throw InputError("--json " + options.json_file + ": no TableName, and no TABLE argument");
    if (!request.billing_mode && !request.provisioned_throughput) request.billing_mode = api::BillingMode::pay_per_request;
  } else {
    if (options.table.empty()) throw InputError("create: the TABLE argument is required");
    if (options.hash.empty()) throw InputError("create " + options.table + ": --hash NAME:TYPE is required (or --json FILE)");
    request.table_name = options.table;
    request.billing_mode = api::BillingMode::pay_per_request;
    const KeyAttribute hash = parse_attribute(options.hash, "--hash");
    std::optional<KeyAttribute> range;
    if (!options.range.empty()) range = parse_attribute(options.range, "--range");
    define(request.attribute_definitions, hash);
    if (range) define(request.attribute_definitions, *range);
    request.key_schema = key_schema(hash, range);
    for (const std::string& gsi : options.gsis) {
      const auto equals = gsi.find('=');
      if (equals == std::string::npos || equals == 0)
        throw InputError("--gsi " + gsi + ": expected NAME=HASH:TYPE[,RANGE:TYPE] (e.g. by_views=views:N)");
      const std::string spec = gsi.substr(equals + 1);
      const auto comma = spec.find(',');
      const KeyAttribute gsi_hash = parse_attribute(spec.substr(0, comma), "--gsi");
      std::optional<KeyAttribute> gsi_range;
      if (comma != std::string::npos) gsi_range = parse_attribute(spec.substr(comma + 1), "--gsi");
      define(request.attribute_definitions, gsi_hash);
      if (gsi_range) define(request.attribute_definitions, *gsi_range);
      if (!request.global_secondary_indexes) request.global_secondary_indexes.emplace();
      request.global_secondary_indexes->push_back({.index_name = gsi.substr(0, equals),
                                                   .key_schema = key_schema(gsi_hash, gsi_range),
                                                   .projection = {.projection_type = api::ProjectionType::all}});
    }
  }
  session.db().create_table(request);
  if (options.wait) wait_until(session, request.table_name, false, 300);
  std::cerr << "dynamo: created table " << request.table_name << '\n';
  return 0;
}

void wait_until(Session& session, const std::string& table, bool deleted, double timeout_seconds) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  for (;;) {
    std::string state;
    try {
      auto response = session.db().describe_table({.table_name = table});
      const auto& d = response.table;
      bool ready = d && d->table_status == api::TableStatus::active;
      if (ready && d->global_secondary_indexes)
        for (const auto& gsi : *d->global_secondary_indexes) ready = ready && gsi.index_status == api::IndexStatus::active;
      if (ready && !deleted) return;
      state = d && d->table_status ? std::string(api::to_string(*d->table_status)) : "unknown";
    } catch (const TableDoesNotExist&) {
      if (deleted) return;
      state = "not existing";
    }
    if (std::chrono::steady_clock::now() > deadline)
      throw InputError("table " + table + " is still " + state + " after " + std::to_string(static_cast<long long>(timeout_seconds)) +
                       " seconds");
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

int wait_table(Session& session, const WaitOptions& options) {
  wait_until(session, options.table, options.deleted, options.timeout_seconds);
  return 0;
}

int delete_command_run(Session& session, const DeleteOptions& options) {
  if (options.key.empty()) {
    if (!options.condition.empty() || !options.return_values.empty())
      throw InputError("delete " + options.table + ": --condition and --return apply to an item; give its key as name=value");
    if (!options.yes) {
      if (!is_terminal(STDIN_FILENO))
        throw InputError("refusing to delete table " + options.table + " without --yes (no terminal to confirm on)");
      const auto& d = session.describe(options.table);
      std::cerr << "Delete table " << options.table << " and its " << group_digits(static_cast<std::uint64_t>(d.item_count.value_or(0)))
                << " items? Type the table name to confirm: " << std::flush;
      std::string answer;
      std::getline(std::cin, answer);
      if (answer != options.table) {
        std::cerr << "dynamo: not deleted\n";
        return 1;
      }
    }
    try {
      session.db().delete_table({.table_name = options.table});
    } catch (const TableDoesNotExist&) {
      throw InputError("table " + options.table + " does not exist");
    }
    std::cerr << "dynamo: deleted table " << options.table << '\n';
    return 0;
  }
  const auto keys = session.key_schema(options.table);
  api::DeleteItemRequest request{.table_name = options.table,
                                 .key = parse_key(options.key, keys, options.table),
                                 .return_values = enum_of<api::ReturnValue>(options.return_values, "--return"),
                                 .condition_expression = text_of(options.condition),
                                 .expression_attribute_names = names_of(options.names),
                                 .expression_attribute_values = values_of(options.values)};
  auto response = session.db().delete_item(request);
  if (response.attributes) print_item(session, options.table, *response.attributes);
  return 0;
}

int get_item(Session& session, const GetOptions& options) {
  const auto keys = session.key_schema(options.table);
  api::GetItemRequest request{.table_name = options.table,
                              .key = parse_key(options.key, keys, options.table),
                              .consistent_read = options.consistent ? std::optional(true) : std::nullopt,
                              .projection_expression = text_of(options.projection),
                              .expression_attribute_names = names_of(options.names)};
  auto response = session.db().get_item(request);
  if (!response.item) {
    std::string key_text;
    for (const auto& pair : options.key) key_text += (key_text.empty() ? "" : " ") + pair;
    std::cerr << "dynamo: no item in " << options.table << " with key " << key_text << '\n';
    return 1;
  }
  print_item(session, options.table, *response.item);
  return 0;
}

int put_item(Session& session, const PutOptions& options) {
  JsonFlavor flavor = JsonFlavor::automatic;
  if (options.input == "json") flavor = JsonFlavor::plain;
  else if (options.input == "dynamodb-json") flavor = JsonFlavor::dynamodb;
  else if (options.input != "auto") throw InputError("--input " + options.input + ": expected auto, json or dynamodb-json");
  Item item;
  try {
    item = parse_item(argument_text(options.item, "the item"), flavor);
  } catch (const InputError& error) {
    throw InputError(std::string("the item: ") + error.what());
  }
  api::PutItemRequest request{.table_name = options.table,
                              .item = std::move(item),
                              .return_values = enum_of<api::ReturnValue>(options.return_values, "--return"),
                              .condition_expression = text_of(options.condition),
                              .expression_attribute_names = names_of(options.names),
                              .expression_attribute_values = values_of(options.values)};
  auto response = session.db().put_item(request);
  if (response.attributes) print_item(session, options.table, *response.attributes);
  return 0;
}

int update_item(Session& session, const UpdateOptions& options) {
  const auto keys = session.key_schema(options.table);
  api::UpdateItemRequest request{.table_name = options.table,
                                 .key = parse_key(options.key, keys, options.table),
                                 .return_values = enum_of<api::ReturnValue>(options.return_values, "--return"),
                                 .update_expression = text_of(options.update),
                                 .condition_expression = text_of(options.condition),
                                 .expression_attribute_names = names_of(options.names),
                                 .expression_attribute_values = values_of(options.values)};
  auto response = session.db().update_item(request);
  if (response.attributes) print_item(session, options.table, *response.attributes);
  return 0;
}

int sql(Session& session, const SqlOptions& options) {
  api::ExecuteStatementRequest request{.statement = argument_text(options.statement, "the statement")};
  if (!options.parameters.empty()) request.parameters = parse_parameters(argument_text(options.parameters, "--parameters"));
  if (options.consistent) request.consistent_read = true;
  ItemPrinter printer(std::cout, session.output_format());
  long long printed = 0;
  for (;;) {
    auto page = session.db().execute_statement(request);
    for (const Item& item : page.items.value_or(std::vector<Item>{})) {
      if (options.limit > 0 && printed == options.limit) break;
      printer.add(item);
      ++printed;
    }
    if (!page.next_token || (options.limit > 0 && printed == options.limit)) break;
    request.next_token = std::move(page.next_token);
  }
  printer.finish();
  return 0;
}

int query(Session& session, const ReadOptions& options) { return run_read(session, options, true); }
int scan(Session& session, const ReadOptions& options) { return run_read(session, options, false); }

}  // namespace dynamo::cli
