// dynamo: one command for dynamo's engine and any DynamoDB endpoint — serve the engine,
// look at tables, read and write items, move data in and out. docs/cli.md shows each
// command; `dynamo COMMAND --help` lists its options.
//
//   dynamo serve --port 8000 --data-dir ./data
//   dynamo --endpoint http://localhost:8000 create Thread --hash forum:S --range subject:S
//   dynamo --data-dir ./data scan Thread --filter "views > :v" --values '{":v": 10}'
//   dynamo --profile prod export Thread thread.jsonl.gz
#include <cstdlib>
#include <iostream>
#include <string>

#include <CLI/CLI.hpp>

#include "commands.hpp"
#include "completion.hpp"
#include "dynamo/client/errors.hpp"
#include "dynamo/version.hpp"
#include "server/serve_command.hpp"
#include "transfer.hpp"

namespace {

using namespace dynamo::cli;

// Options that several commands share, added with one call each.
void add_expression_options(CLI::App& command, std::string& names, std::string& values) {
  command.add_option("--names", names, "Expression attribute names as JSON: '{\"#n\": \"name\"}' (or @FILE, -)");
  command.add_option("--values", values,
                     "Expression attribute values as JSON, plain or DynamoDB JSON: '{\":v\": 1}' (or @FILE, -)");
}

CLI::App* add_table_argument(CLI::App& command, std::string& table) {
  command.add_option("TABLE", table, "Table name")->required();
  return &command;
}

void add_read_options(CLI::App& command, ReadOptions& o, bool is_query) {
  add_table_argument(command, o.table);
  if (is_query) {
    command.add_option("KEY", o.key, "The hash key (and range key) as name=value, e.g. forum=C++");
    command.add_option("--key-condition,-k", o.key_condition, "Key condition expression, e.g. \"forum = :f AND begins_with(subject, :s)\"");
    command.add_flag("--descending", o.descending, "Newest (highest range key) first");
  } else {
    command.add_option("--segments", o.segments, "Parallel scan segments, each read by its own thread")->capture_default_str();
  }
  command.add_option("--filter,-f", o.filter, "Filter expression, applied after reading");
  command.add_option("--index,-i", o.index, "Read this secondary index instead of the table");
  command.add_option("--projection,-p", o.projection, "Projection expression: the attributes to return");
  command.add_option("--limit,-l", o.limit, "Print at most this many items");
  command.add_flag("--consistent", o.consistent, "Strongly consistent reads");
  command.add_flag("--count", o.count, "Print only the number of matching items");
  add_expression_options(command, o.names, o.values);
}

int report(const std::string& message) {
  std::cerr << "dynamo: " << message << '\n';
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"dynamo: serve dynamo's engine, and inspect, query and move data in it or in any DynamoDB endpoint.\n"
               "Without --endpoint or --data-dir, commands go to AWS DynamoDB (region and credentials as the AWS CLI "
               "finds them)."};
  app.set_version_flag("--version", "dynamo " + std::string(dynamo::version()));
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the command

  GlobalOptions global;
  app.add_option("--endpoint,-e", global.endpoint, "Endpoint URL, e.g. http://localhost:8000 (or set DYNAMO_ENDPOINT)");
  app.add_option("--region", global.region, "AWS region (default: as the AWS CLI finds it)");
  app.add_option("--profile", global.profile, "Profile of ~/.aws/config and ~/.aws/credentials");
  app.add_option("--data-dir,-d", global.data_dir,
                 "Open the embedded engine's data directory directly (no server; one process at a time)");
  app.add_option("--output,-o", global.output, "table, json or dynamodb-json (default: a table on a terminal, json when piped)")
      ->check(CLI::IsMember({"table", "json", "dynamodb-json"}));

  // serve
  dynamo::server::ServeSettings serve_settings;
  auto* serve_command = app.add_subcommand("serve", "Serve the engine over DynamoDB's HTTP protocol (as dynamo-server)");
  dynamo::server::add_serve_options(*serve_command, serve_settings);
  serve_command->fallthrough(false);

  // tables
  auto* tables_command = app.add_subcommand("tables", "List the tables");
  std::string describe_name;
  auto* describe_command = app.add_subcommand("describe", "Show a table: key, indexes, item count, size");
  add_table_argument(*describe_command, describe_name);

  CreateOptions create;
  auto* create_command = app.add_subcommand("create", "Create a table (pay per request) from flags or a CreateTable JSON file");
  create_command->add_option("TABLE", create.table, "Table name (optional with --json)");
  create_command->add_option("--hash", create.hash, "Hash key as NAME:TYPE, TYPE one of S, N, B (e.g. forum:S)");
  create_command->add_option("--range", create.range, "Range key as NAME:TYPE (e.g. subject:S)");
  create_command->add_option("--gsi", create.gsis, "Global secondary index as NAME=HASH:TYPE[,RANGE:TYPE] (repeatable)");
  create_command->add_option("--json", create.json_file, "A JSON file in CreateTable's request shape (- for standard input)");
  create_command->add_flag("--wait", create.wait, "Wait until the table is ACTIVE");

  DeleteOptions remove;
  auto* delete_command = app.add_subcommand(
      "delete", "Delete an item (given its key) or, given no key, the table (asks first on a terminal)");
  add_table_argument(*delete_command, remove.table);
  delete_command->add_option("KEY", remove.key, "The item's key as name=value pairs, e.g. forum=C++ subject=Modules");
  delete_command->add_flag("--yes,-y", remove.yes, "Delete the table without asking");
  delete_command->add_option("--condition,-c", remove.condition, "Condition expression the item must meet");
  delete_command->add_option("--return", remove.return_values, "ALL_OLD prints the deleted item");
  add_expression_options(*delete_command, remove.names, remove.values);

  WaitOptions wait;
  auto* wait_command = app.add_subcommand("wait", "Wait until a table is ACTIVE (or, with --deleted, gone)");
  add_table_argument(*wait_command, wait.table);
  wait_command->add_flag("--deleted", wait.deleted, "Wait until the table no longer exists");
  wait_command->add_option("--timeout", wait.timeout_seconds, "Seconds to wait at most")->capture_default_str();

  // items
  GetOptions get;
  auto* get_command = app.add_subcommand("get", "Read one item by its key");
  add_table_argument(*get_command, get.table);
  get_command->add_option("KEY", get.key, "The key as name=value pairs, e.g. forum=C++ subject=Modules")->required();
  get_command->add_option("--projection,-p", get.projection, "Projection expression: the attributes to return");
  get_command->add_option("--names", get.names, "Expression attribute names as JSON");
  get_command->add_flag("--consistent", get.consistent, "Strongly consistent read");

  PutOptions put;
  auto* put_command = app.add_subcommand("put", "Write one item (replacing any item with its key)");
  add_table_argument(*put_command, put.table);
  put_command->add_option("ITEM", put.item, "The item as JSON (plain or DynamoDB JSON), @FILE, or - for standard input")
      ->required();
  put_command->add_option("--input", put.input, "How to read ITEM: auto, json or dynamodb-json")->capture_default_str();
  put_command->add_option("--condition,-c", put.condition, "Condition expression, e.g. attribute_not_exists(forum)");
  put_command->add_option("--return", put.return_values, "ALL_OLD prints the item replaced");
  add_expression_options(*put_command, put.names, put.values);

  UpdateOptions update;
  auto* update_command = app.add_subcommand("update", "Change one item with an update expression");
  add_table_argument(*update_command, update.table);
  update_command->add_option("KEY", update.key, "The key as name=value pairs")->required();
  update_command->add_option("--update,-u", update.update, "Update expression, e.g. \"SET views = views + :one\"")
      ->required();
  update_command->add_option("--condition,-c", update.condition, "Condition expression the item must meet");
  update_command->add_option("--return", update.return_values,
                             "What to print: ALL_NEW, UPDATED_NEW, ALL_OLD, UPDATED_OLD or NONE")
      ->capture_default_str();
  add_expression_options(*update_command, update.names, update.values);

  ReadOptions query_options;
  auto* query_command = app.add_subcommand("query", "Read the items of one hash key (of the table or an index)");
  add_read_options(*query_command, query_options, true);
  ReadOptions scan_options;
  auto* scan_command = app.add_subcommand("scan", "Read every item (of the table or an index)");
  add_read_options(*scan_command, scan_options, false);

  // data
  ExportOptions export_options;
  auto* export_command = app.add_subcommand("export", "Write every item of a table to a file of JSON lines (.gz: gzip)");
  add_table_argument(*export_command, export_options.table);
  export_command->add_option("FILE", export_options.file, "Output file; gzip when it ends in .gz")->required();
  export_command->add_option("--format", export_options.format,
                             "dynamodb-json ({\"Item\": ...} per line, DynamoDB's export format) or json (plain)")
      ->capture_default_str()
      ->check(CLI::IsMember({"dynamodb-json", "json"}));
  export_command->add_option("--segments", export_options.segments, "Parallel scan segments")->capture_default_str();
  export_command->add_flag("--quiet,-q", export_options.quiet, "No progress bar and no summary");

  ImportOptions import_options;
  auto* import_command = app.add_subcommand(
      "import", "Write the items of a file of JSON lines into a table; an interrupted import continues when run again");
  add_table_argument(*import_command, import_options.table);
  import_command->add_option("FILE", import_options.file, "Input file: {\"Item\": ...} or plain JSON per line; .gz: gzip")
      ->required()
      ->check(CLI::ExistingFile);
  import_command->add_flag("--restart", import_options.restart, "Start from the first line, ignoring FILE.import-state");
  import_command->add_option("--parallel", import_options.parallel, "BatchWriteItem calls in flight")->capture_default_str();
  import_command->add_option("--rate", import_options.rate,
                             "Write at most this many items a second (spares a provisioned table's capacity)");
  import_command->add_flag("--quiet,-q", import_options.quiet, "No progress bar and no summary");

  SqlOptions sql_options;
  auto* sql_command = app.add_subcommand("sql", "Run a PartiQL statement (SELECT, INSERT, UPDATE, DELETE)");
  sql_command->add_option("STATEMENT", sql_options.statement,
                          "The statement, e.g. \"SELECT * FROM Thread WHERE forum = ?\" (or @FILE, -)")
      ->required();
  sql_command->add_option("--parameters", sql_options.parameters,
                          "Values of the ? placeholders as a JSON array, plain or DynamoDB JSON: '[\"C++\", 3]'");
  sql_command->add_flag("--consistent", sql_options.consistent, "Strongly consistent reads");
  sql_command->add_option("--limit,-l", sql_options.limit, "Print at most this many items");

  auto* completion_command = app.add_subcommand("completion", "Print a bash completion script: source <(dynamo completion)");

  CLI11_PARSE(app, argc, argv);

  if (*serve_command) return dynamo::server::run_serve(std::move(serve_settings), "dynamo serve");
  if (*completion_command) {
    std::cout << bash_completion(app);
    return 0;
  }

  // DYNAMO_ENDPOINT, as for the examples, unless the command line says where to go.
  if (const char* endpoint = std::getenv("DYNAMO_ENDPOINT");
      endpoint != nullptr && *endpoint != '\0' && global.endpoint.empty() && global.data_dir.empty())
    global.endpoint = endpoint;
  Session session(global);
  try {
    if (*tables_command) return list_tables(session);
    if (*describe_command) return describe_table(session, describe_name);
    if (*create_command) return create_table(session, create);
    if (*delete_command) return delete_command_run(session, remove);
    if (*wait_command) return wait_table(session, wait);
    if (*get_command) return get_item(session, get);
    if (*put_command) return put_item(session, put);
    if (*update_command) return update_item(session, update);
    if (*query_command) return query(session, query_options);
    if (*scan_command) return scan(session, scan_options);
    if (*sql_command) return sql(session, sql_options);
    if (*export_command) return export_table(session, export_options);
    if (*import_command) return import_table(session, import_options);
  } catch (const InputError& error) {
    return report(error.what());
  } catch (const dynamo::OperationError& error) {
    std::string where = error.operation();
    if (!error.table_name().empty()) where += " on " + error.table_name();
    return report(where + ": " + error.code() + ": " + error.cause_message());
  } catch (const dynamo::Error& error) {
    return report(error.code() + ": " + error.what());
  } catch (const std::exception& error) {
    return report(error.what());
  }
  return report("no command given (dynamo --help lists them)");
}
