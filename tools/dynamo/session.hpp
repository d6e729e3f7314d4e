// What every command shares: the global options, the Connection they open (over HTTP to an
// endpoint or AWS, or to an embedded engine's data directory), the output format, and the
// key schemas of tables (read once per table with DescribeTable).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "dynamo/client/connection.hpp"
#include "item_input.hpp"
#include "output.hpp"

namespace dynamo::cli {

struct GlobalOptions {
  std::string endpoint;
  std::string region;
  std::string profile;
  std::string data_dir;
  std::string output;  // "", "table", "json", "dynamodb-json"
};

class Session {
 public:
  explicit Session(GlobalOptions options) : options_(std::move(options)) {}

  // Opens the connection on first use. Throws InputError when the options cannot work
  // (a data directory held by another process, an endpoint without http://).
  [[nodiscard]] const Connection& db();

  // --output, else a table when standard output is a terminal and JSON lines otherwise.
  [[nodiscard]] OutputFormat output_format() const;

  // The table's description; throws InputError "table X does not exist" when it does not.
  [[nodiscard]] const api::TableDescription& describe(const std::string& table);
  // The key attributes (hash first) of the table, or of one of its indexes.
  [[nodiscard]] std::vector<KeyAttribute> key_schema(const std::string& table,
                                                     const std::optional<std::string>& index = std::nullopt);

 private:
  // The store --data-dir names: the directory, or its regions/<region> when a server keeps
  // one set of tables per region there.
  [[nodiscard]] std::string store_directory() const;

  GlobalOptions options_;
  std::optional<Connection> db_;
  std::map<std::string, api::TableDescription> descriptions_;
};

// Whether file descriptor 0/1/2 is a terminal.
[[nodiscard]] bool is_terminal(int fd) noexcept;

}  // namespace dynamo::cli
