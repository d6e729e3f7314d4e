// What one DynamoDB call costs the client over loopback: SigV4 signing alone, then whole
// calls (sign, send, receive, CRC check) sequentially and with many in flight. The server
// is the in-process scripted server, answering at once, so the figures are an upper bound
// on client overhead (they include the server's share of the two machines' cores) and a
// lower bound on latency. "per_request" is wall-clock time per completed call.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <future>
#include <string>
#include <vector>

#include "dynamo/auth/sigv4.hpp"
#include "dynamo/http/transport.hpp"
#include "scripted_server.hpp"

namespace {

using dynamo::http::HttpResponse;
using dynamo::http::HttpTransport;
using dynamo::http::testing::ScriptedServer;

const std::string request_body =
    R"({"TableName":"Thread","Key":{"ForumName":{"S":"Amazon DynamoDB"},"Subject":{"S":"How do I update multiple items?"}},"ConsistentRead":true})";
const std::string item_body =
    R"({"Item":{"ForumName":{"S":"Amazon DynamoDB"},"Subject":{"S":"How do I update multiple items?"},"Replies":{"N":"5"},"Tags":{"SS":["Multiple Items","HelpMe"]},"LastPostedBy":{"S":"fred@example.com"}}})";

dynamo::auth::Credentials bench_credentials() {
  dynamo::auth::Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  credentials.source = "bench";
  return credentials;
}

HttpTransport transport_for(const ScriptedServer& server, int pool) {
  ::setenv("no_proxy", "127.0.0.1", 1);
  dynamo::auth::ClientSettings settings;
  settings.max_pool_connections = pool;
  return HttpTransport({.settings = settings,
                        .credentials = dynamo::http::fixed_credentials(bench_credentials()),
                        .region = "us-east-1",
                        .endpoint = server.endpoint()});
}

void per_request(benchmark::State& state, std::int64_t requests) {
  state.counters["per_request"] = benchmark::Counter(static_cast<double>(requests),
                                                     benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// SigV4 alone: canonical request, string to sign, HMAC chain.
void BM_SignRequest(benchmark::State& state) {
  const dynamo::auth::Headers headers = {{"Content-Type", "application/x-amz-json-1.0"},
                                         {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
  const auto credentials = bench_credentials();
  for (auto _ : state) {
    auto signing = dynamo::auth::sign_request(
        {.url = "https://dynamodb.us-east-1.amazonaws.com/", .headers = headers, .body = request_body}, credentials,
        {.region = "us-east-1", .timestamp = dynamo::auth::current_time()});
    benchmark::DoNotOptimize(signing);
  }
  per_request(state, state.iterations());
}
BENCHMARK(BM_SignRequest);

// The same request signed with a different secret each time, so no derived signing key
// can be reused: the cost of a client whose credentials change on every call.
void BM_SignRequestNewSecret(benchmark::State& state) {
  const dynamo::auth::Headers headers = {{"Content-Type", "application/x-amz-json-1.0"},
                                         {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
  std::vector<dynamo::auth::Credentials> rotation(64, bench_credentials());
  for (std::size_t i = 0; i < rotation.size(); ++i) {
    rotation[i].secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLE" + std::to_string(100 + i);
  }
  std::size_t next = 0;
  for (auto _ : state) {
    auto signing = dynamo::auth::sign_request(
        {.url = "https://dynamodb.us-east-1.amazonaws.com/", .headers = headers, .body = request_body},
        rotation[next], {.region = "us-east-1", .timestamp = dynamo::auth::current_time()});
    next = (next + 1) % rotation.size();
    benchmark::DoNotOptimize(signing);
  }
  per_request(state, state.iterations());
}
BENCHMARK(BM_SignRequestNewSecret);

// The server side: recomputing and comparing the signature of a received request.
void BM_VerifySignature(benchmark::State& state) {
  const auto credentials = bench_credentials();
  dynamo::auth::Headers headers = {{"Content-Type", "application/x-amz-json-1.0"},
                                   {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
  dynamo::auth::sign_request(
      {.url = "https://dynamodb.us-east-1.amazonaws.com/", .headers = headers, .body = request_body}, credentials,
      {.region = "us-east-1", .timestamp = dynamo::auth::current_time()})
      .add_headers_to(headers);
  for (auto _ : state) {
    auto verified = dynamo::auth::verify_signature({.url = "/", .headers = headers, .body = request_body},
                                                   credentials.secret_access_key.reveal());
    benchmark::DoNotOptimize(verified);
  }
  per_request(state, state.iterations());
}
BENCHMARK(BM_VerifySignature);

// One call after another on one keep-alive connection.
void BM_CallSequential(benchmark::State& state) {
  ScriptedServer server;
  server.set_recording(false);
  server.set_fallback({.status = 200, .body = item_body});
  const HttpTransport transport = transport_for(server, 1);
  for (auto _ : state) {
    HttpResponse response = transport.call("GetItem", request_body);
    if (response.status != 200) state.SkipWithError("unexpected status");
    benchmark::DoNotOptimize(response);
  }
  per_request(state, state.iterations());
}
BENCHMARK(BM_CallSequential)->UseRealTime();

// `range(0)` calls in flight at once over a pool of `range(1)` connections.
void BM_CallConcurrent(benchmark::State& state) {
  ScriptedServer server;
  server.set_recording(false);
  server.set_fallback({.status = 200, .body = item_body});
  const auto in_flight = static_cast<std::size_t>(state.range(0));
  const HttpTransport transport = transport_for(server, static_cast<int>(state.range(1)));
  std::vector<std::future<HttpResponse>> calls;
  calls.reserve(in_flight);
  for (auto _ : state) {
    calls.clear();
    for (std::size_t i = 0; i < in_flight; ++i) calls.push_back(transport.call_async("GetItem", request_body));
    for (auto& call : calls) {
      if (call.get().status != 200) state.SkipWithError("unexpected status");
    }
  }
  per_request(state, state.iterations() * state.range(0));
}
BENCHMARK(BM_CallConcurrent)->Args({64, 2})->Args({64, 4})->Args({64, 10})->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
