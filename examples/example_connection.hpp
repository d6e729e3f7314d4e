// The connection every example uses: the embedded engine, or the server named by the
// DYNAMO_ENDPOINT environment variable (e.g. DYNAMO_ENDPOINT=http://localhost:8000 for
// dynalite, DynamoDB Local or dynamo-server), with dummy credentials.
#pragma once

#include <cstdlib>
#include <string>

#include <dynamo/dynamo.hpp>

namespace examples {

inline dynamo::Connection connection() {
  if (const char* endpoint = std::getenv("DYNAMO_ENDPOINT"); endpoint && *endpoint) {
    return dynamo::Connection::connect({.endpoint = std::string(endpoint),
                                        .region = "us-east-1",
                                        .access_key_id = "example",
                                        .secret_access_key = dynamo::auth::SecretString("example")});
  }
  return dynamo::Connection::embedded();
}

inline const char* where() {
  const char* endpoint = std::getenv("DYNAMO_ENDPOINT");
  return endpoint && *endpoint ? endpoint : "the embedded engine";
}

// A server keeps tables between runs: start each example from a clean table.
template <class T>
void recreate(const dynamo::ModelTable<T>& table, const dynamo::CreateTableOptions& options = {.wait = true}) {
  if (table.exists()) table.delete_table({.wait = true});
  table.create_table(options);
}

}  // namespace examples
