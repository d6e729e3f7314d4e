#include "session.hpp"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "dynamo/api/table_operations.hpp"
#include "dynamo/auth/credentials.hpp"

namespace dynamo::cli {
namespace {

const char* environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : nullptr;
}

std::vector<KeyAttribute> typed(const std::vector<api::KeySchemaElement>& schema,
                                const std::vector<api::AttributeDefinition>& definitions) {
  std::vector<KeyAttribute> keys;
  for (api::KeyType role : {api::KeyType::hash, api::KeyType::range}) {
    for (const auto& element : schema) {
      if (element.key_type != role) continue;
      KeyAttribute key{.name = element.attribute_name};
      for (const auto& definition : definitions)
        if (definition.attribute_name == element.attribute_name) key.type = definition.attribute_type;
      keys.push_back(std::move(key));
    }
  }
  return keys;
}

}  // namespace

bool is_terminal(int fd) noexcept { return ::isatty(fd) == 1; }

const Connection& Session::db() {
  if (db_) return *db_;
  if (!options_.data_dir.empty()) {
    if (!options_.endpoint.empty()) throw InputError("--data-dir and --endpoint exclude each other: pick one");
    try {
      db_ = Connection::embedded({.path = store_directory()});
    } catch (const Error& error) {
      const std::string why = error.what();
      if (why.find("in use by another process") != std::string::npos)
        throw InputError("--data-dir " + options_.data_dir +
                         " is in use by another process (a running dynamo-server or `dynamo serve`?); "
                         "stop it, or reach it with --endpoint instead");
      throw InputError("--data-dir " + options_.data_dir + ": " + why);
    }
    return *db_;
  }
  ConnectionOptions connect;
  if (!options_.region.empty()) connect.region = options_.region;
  if (!options_.profile.empty()) connect.profile = options_.profile;
  if (!options_.endpoint.empty()) {
    if (!options_.endpoint.starts_with("http://") && !options_.endpoint.starts_with("https://"))
      throw InputError("--endpoint " + options_.endpoint + ": expected a URL such as http://localhost:8000");
    connect.endpoint = options_.endpoint;
    // A local endpoint (dynamo-server, DynamoDB Local, dynalite) needs a region and some key
    // pair to sign with, but any will do: when the usual chain finds none, use placeholders
    // rather than fail, as the aws CLI users of local servers would otherwise have to.
    if (!connect.region && !environment("AWS_REGION") && !environment("AWS_DEFAULT_REGION")) {
      try {
        (void)auth::resolve_region({.profile = connect.profile});
      } catch (const Error&) {
        connect.region = "us-east-1";
      }
    }
    try {
      (void)auth::resolve_credentials({.profile = connect.profile});
    } catch (const Error&) {
      if (!connect.profile) {
        connect.access_key_id = "dynamo";
        connect.secret_access_key = auth::SecretString("dynamo");
      }
    }
  }
  try {
    db_ = Connection::connect(connect);
  } catch (const Error& error) {
    throw InputError(error.what());
  }
  return *db_;
}

std::string Session::store_directory() const {
  namespace fs = std::filesystem;
  const std::string& dir = options_.data_dir;
  std::error_code error;
  // A database in the directory itself: an application's embedded engine, or a server
  // started with --shared-db.
  if (fs::exists(dir + "/data.mdb", error) || fs::exists(dir + "/dynamo.sqlite3", error)) return dir;
  // A server's data directory keeps each region's tables in regions/<region>: open the
  // region this command would sign its requests for.
  if (fs::is_directory(dir + "/regions", error)) {
    std::string region = "us-east-1";
    try {
      region = auth::resolve_region({.profile = options_.profile.empty() ? std::nullopt : std::optional(options_.profile),
                                     .region = options_.region.empty() ? std::nullopt : std::optional(options_.region)});
    } catch (const Error&) {
      // No region configured: the one the server's clients default to as well.
    }
    return dir + "/regions/" + region;
  }
  return dir;
}

OutputFormat Session::output_format() const {
  if (options_.output == "table") return OutputFormat::table;
  if (options_.output == "json") return OutputFormat::json;
  if (options_.output == "dynamodb-json") return OutputFormat::dynamodb_json;
  return is_terminal(STDOUT_FILENO) ? OutputFormat::table : OutputFormat::json;
}

const api::TableDescription& Session::describe(const std::string& table) {
  if (auto found = descriptions_.find(table); found != descriptions_.end()) return found->second;
  try {
    auto response = db().describe_table({.table_name = table});
    if (!response.table) throw InputError("table " + table + ": DescribeTable returned no description");
    return descriptions_.emplace(table, std::move(*response.table)).first->second;
  } catch (const TableDoesNotExist&) {
    throw InputError("table " + table + " does not exist");
  }
}

std::vector<KeyAttribute> Session::key_schema(const std::string& table, const std::optional<std::string>& index) {
  const api::TableDescription& description = describe(table);
  const auto definitions = description.attribute_definitions.value_or(std::vector<api::AttributeDefinition>{});
  if (!index) return typed(description.key_schema.value_or(std::vector<api::KeySchemaElement>{}), definitions);
  for (const auto& gsi : description.global_secondary_indexes.value_or(std::vector<api::GlobalSecondaryIndexDescription>{}))
    if (gsi.index_name == index) return typed(gsi.key_schema.value_or(std::vector<api::KeySchemaElement>{}), definitions);
  for (const auto& lsi : description.local_secondary_indexes.value_or(std::vector<api::LocalSecondaryIndexDescription>{}))
    if (lsi.index_name == index) return typed(lsi.key_schema.value_or(std::vector<api::KeySchemaElement>{}), definitions);
  throw InputError("table " + table + " has no index named " + *index);
}

}  // namespace dynamo::cli
