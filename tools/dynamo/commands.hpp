// The table and item commands of `dynamo`: each takes the options CLI11 filled in and
// returns the process's exit status; mistakes in the input throw InputError and failed
// calls throw the client's OperationError (main() prints either as one line).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "session.hpp"

namespace dynamo::cli {

struct CreateOptions {
  std::string table;
  std::string hash;   // name:TYPE
  std::string range;  // name:TYPE
  std::vector<std::string> gsis;  // NAME=pk:S[,sk:N]
  std::string json_file;
  bool wait = false;
};

struct DeleteOptions {  // `delete TABLE` (no key: the table) and `delete TABLE k=v...` (an item)
  std::string table;
  std::vector<std::string> key;
  bool yes = false;
  std::string condition;
  std::string names;
  std::string values;
  std::string return_values;
};

struct WaitOptions {
  std::string table;
  bool deleted = false;
  double timeout_seconds = 300;
};

struct GetOptions {
  std::string table;
  std::vector<std::string> key;
  std::string projection;
  std::string names;
  bool consistent = false;
};

struct PutOptions {
  std::string table;
  std::string item;  // JSON text, or "-" for standard input, or @FILE
  std::string input = "auto";
  std::string condition;
  std::string names;
  std::string values;
  std::string return_values;
};

struct UpdateOptions {
  std::string table;
  std::vector<std::string> key;
  std::string update;
  std::string condition;
  std::string names;
  std::string values;
  std::string return_values = "ALL_NEW";
};

struct ReadOptions {  // query and scan
  std::string table;
  std::vector<std::string> key;  // query: hash (and range) key equality as name=value
  std::string key_condition;
  std::string filter;
  std::string index;
  std::string projection;
  std::string names;
  std::string values;
  long long limit = 0;  // at most this many items printed (0: all)
  bool descending = false;
  bool consistent = false;
  bool count = false;
  int segments = 1;
};

struct SqlOptions {
  std::string statement;  // PartiQL, or @FILE, or - for standard input
  std::string parameters;  // JSON array of the `?` values
  bool consistent = false;
  long long limit = 0;  // at most this many items printed (0: all)
};

int list_tables(Session& session);
int describe_table(Session& session, const std::string& table);
int create_table(Session& session, const CreateOptions& options);
int delete_command_run(Session& session, const DeleteOptions& options);
int wait_table(Session& session, const WaitOptions& options);
int get_item(Session& session, const GetOptions& options);
int put_item(Session& session, const PutOptions& options);
int update_item(Session& session, const UpdateOptions& options);
int query(Session& session, const ReadOptions& options);
int scan(Session& session, const ReadOptions& options);
int sql(Session& session, const SqlOptions& options);

// Waits until `table` is ACTIVE with every index ACTIVE (or, with `deleted`, gone).
void wait_until(Session& session, const std::string& table, bool deleted, double timeout_seconds);

// The text of an argument that may be "-" (standard input) or "@FILE" (the file's content).
[[nodiscard]] std::string argument_text(const std::string& argument, const std::string& what);

}  // namespace dynamo::cli
