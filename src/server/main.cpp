// dynamo-server: the embedded engine as a DynamoDB-compatible HTTP endpoint.
//
//   dynamo-server --port 8000
//   aws dynamodb list-tables --endpoint-url http://127.0.0.1:8000
//
// SIGINT and SIGTERM stop it gracefully (no new connections, requests in flight answered)
// and it exits 0. docs/server.md describes every option; `dynamo serve` is the same program
// (serve_command.cpp holds both).
#include <string>

#include <CLI/CLI.hpp>

#include "dynamo/version.hpp"
#include "server/serve_command.hpp"

int main(int argc, char** argv) {
  CLI::App app{
      "dynamo-server: a DynamoDB-compatible HTTP endpoint backed by dynamo's embedded engine.\n"
      "Point any AWS SDK at it with endpoint_url=http://<host>:<port> (see docs/server.md)."};
  app.set_version_flag("--version", "dynamo-server " + std::string(dynamo::version()));
  dynamo::server::ServeSettings settings;
  dynamo::server::add_serve_options(app, settings);
  CLI11_PARSE(app, argc, argv);
  return dynamo::server::run_serve(std::move(settings), "dynamo-server");
}
