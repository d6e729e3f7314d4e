// dynamo-server's protocol layer without sockets: the CPU RequestHandler::handle spends on
// one request (route, decode, run against the engine, encode, CRC32), for GetItem, PutItem,
// BatchWriteItem, and Query and Scan pages of ~1 KB items. docs/performance.md ("The server's
// request handler") records the figures.
#include <benchmark/benchmark.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "dynamo/engine/engine.hpp"
#include "dynamo/server/handler.hpp"

namespace {

using dynamo::server::RequestHandler;

// A ~1 KB item of the "Posts" table (forum, at) as DynamoDB JSON: a few small attributes
// and a 930-byte text.
std::string post_json(std::string_view forum, int at) {
  return R"({"forum":{"S":")" + std::string(forum) + R"("},"at":{"N":")" + std::to_string(at) +
         R"("},"views":{"N":"0"},"status":{"S":"open"},"tags":{"SS":["a","b"]},"text":{"S":")" +
         std::string(930, 'x') + R"("}})";
}

class Server {
 public:
  Server() : engine_(dynamo::engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0)}) {
    must(call("CreateTable", R"({"TableName":"Posts","BillingMode":"PAY_PER_REQUEST",
        "AttributeDefinitions":[{"AttributeName":"forum","AttributeType":"S"},{"AttributeName":"at","AttributeType":"N"}],
        "KeySchema":[{"AttributeName":"forum","KeyType":"HASH"},{"AttributeName":"at","KeyType":"RANGE"}]})"));
    // Forum "f<n>" holds posts 0..99; 100 forums, 10^4 items.
    for (int forum = 0; forum < 100; ++forum) {
      for (int at = 0; at < 100; ++at) {
        must(call("PutItem", R"({"TableName":"Posts","Item":)" + post_json("f" + std::to_string(forum), at) + "}"));
      }
    }
  }

  dynamo::server::Response call(std::string_view operation, std::string_view body) {
    target_ = "DynamoDB_20120810." + std::string(operation);
    headers_[2].value = target_;
    return handler_.handle({.headers = headers_, .body = body});
  }

  static void must(const dynamo::server::Response& response) {
    if (response.status != 200) throw std::runtime_error("handler_bench: " + response.body);
  }

 private:
  dynamo::engine::Engine engine_;
  RequestHandler handler_{engine_, {}};
  std::string target_;
  dynamo::auth::Headers headers_{
      {"Host", "127.0.0.1:8000"},
      {"Content-Type", "application/x-amz-json-1.0"},
      {"X-Amz-Target", ""},
      {"X-Amz-Date", "20240101T000000Z"},
      {"Authorization",
       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, "
       "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123"}};
};

Server& server() {
  static Server instance;
  return instance;
}

void run(benchmark::State& state, std::string_view operation, const std::string& body, int items_per_call) {
  Server& s = server();
  Server::must(s.call(operation, body));
  std::size_t bytes = 0;
  for (auto _ : state) {
    const auto response = s.call(operation, body);
    bytes = response.body.size();
    benchmark::DoNotOptimize(response);
  }
  state.SetItemsProcessed(state.iterations() * items_per_call);
  state.counters["response_bytes"] = static_cast<double>(bytes);
}

void BM_GetItem(benchmark::State& state) {
  run(state, "GetItem", R"({"TableName":"Posts","Key":{"forum":{"S":"f7"},"at":{"N":"42"}}})", 1);
}

void BM_PutItem(benchmark::State& state) {
  run(state, "PutItem", R"({"TableName":"Posts","Item":)" + post_json("f7", 42) + "}", 1);
}

void BM_BatchWriteItem(benchmark::State& state) {
  std::string body = R"({"RequestItems":{"Posts":[)";
  for (int at = 0; at < 25; ++at) {
    if (at > 0) body += ',';
    body += R"({"PutRequest":{"Item":)" + post_json("f8", at) + "}}";
  }
  body += "]}}";
  run(state, "BatchWriteItem", body, 25);
}

// A Query page of `range(0)` items of one forum.
void BM_Query(benchmark::State& state) {
  run(state, "Query",
      R"({"TableName":"Posts","Limit":)" + std::to_string(state.range(0)) +
          R"(,"KeyConditionExpression":"forum = :f","ExpressionAttributeValues":{":f":{"S":"f9"}}})",
      static_cast<int>(state.range(0)));
}

// A Scan page of `range(0)` items.
void BM_Scan(benchmark::State& state) {
  run(state, "Scan", R"({"TableName":"Posts","Limit":)" + std::to_string(state.range(0)) + "}",
      static_cast<int>(state.range(0)));
}

BENCHMARK(BM_GetItem);
BENCHMARK(BM_PutItem);
BENCHMARK(BM_BatchWriteItem);
BENCHMARK(BM_Query)->Arg(10)->Arg(100);
BENCHMARK(BM_Scan)->Arg(100);

}  // namespace

BENCHMARK_MAIN();
