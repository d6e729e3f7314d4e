// The backends the conformance suite runs against, one GoogleTest parameter each.
//
// Every test of tests/conformance/ is written once and runs unchanged on each backend, so a
// divergence between our engine, our server, dynalite and moto shows up as a failing row:
//   embedded  the in-process engine (Connection::embedded)
//   server    dynamo-server on a loopback port, through the HTTP client
//   dynalite  the Node.js DynamoDB clone, through the HTTP client
//   moto      moto's server, when `moto_server` is installed (skipped otherwise)
// Peers are started on first use and stopped when the test binary exits.
#pragma once

#include <string>
#include <vector>

#include "dynamo/client/connection.hpp"

namespace dynamo::testing {

// The rows to run: every backend this build has.
std::vector<std::string> conformance_backends();

// A Connection to `backend`, starting its server if needed. Skips the current test (with
// the reason) when the backend is not available on this machine.
Connection connect_to(const std::string& backend);

// The HTTP endpoint of `backend` (starting it if needed), or empty for the embedded engine.
std::string http_endpoint(const std::string& backend);

// The options the suite connects to an HTTP backend with (test credentials, short timeouts).
ConnectionOptions http_options(const std::string& endpoint);

// Known, documented differences of a peer from DynamoDB: a test that checks a behaviour the
// peer does not implement asks this, and when it answers a reason, checks that the peer at
// least fails loudly, then skips with the reason instead of asserting DynamoDB's behaviour.
// Returns an empty string when the backend is expected to behave like DynamoDB.
std::string known_gap(const std::string& backend, const std::string& feature);

}  // namespace dynamo::testing
