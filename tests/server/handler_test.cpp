// RequestHandler without sockets: routing, every error path, the headers of every response,
// and signature verification.
#include "dynamo/server/handler.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "dynamo/api/codec.hpp"
#include "dynamo/api/errors_wire.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/auth/sigv4.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/log.hpp"

namespace dynamo::server {
namespace {

constexpr std::string_view fake_authorization =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/dynamodb/aws4_request, "
    "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123";

auth::Headers dynamodb_headers(std::string_view operation) {
  return {{"Host", "127.0.0.1:8000"},
          {"Content-Type", "application/x-amz-json-1.0"},
          {"X-Amz-Target", "DynamoDB_20120810." + std::string(operation)},
          {"X-Amz-Date", "20240101T000000Z"},
          {"Authorization", std::string(fake_authorization)}};
}

void remove_header(auth::Headers& headers, std::string_view name) {
  std::erase_if(headers, [&](const auth::Header& h) { return h.name == name; });
}

void set_header(auth::Headers& headers, std::string_view name, std::string value) {
  remove_header(headers, name);
  headers.push_back({std::string(name), std::move(value)});
}

class HandlerTest : public ::testing::Test {
 protected:
  HandlerTest() : engine_(engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0)}) {}

  Response call(std::string_view operation, std::string_view body) {
    const auth::Headers headers = dynamodb_headers(operation);
    return handler_.handle({.headers = headers, .body = body});
  }

  void create_table() {
    const Response r = call("CreateTable", R"({"TableName":"Thread","BillingMode":"PAY_PER_REQUEST",
        "AttributeDefinitions":[{"AttributeName":"forum","AttributeType":"S"}],
        "KeySchema":[{"AttributeName":"forum","KeyType":"HASH"}]})");
    ASSERT_EQ(r.status, 200) << r.body;
  }

  engine::Engine engine_;
  RequestHandler handler_{engine_, {}};
};

// The code after '#' and the namespace before it.
std::pair<std::string, std::string> error_type(const Response& r) {
  const api::ErrorBody body = api::decode_error(r.body);
  return {body.type_namespace, body.code};
}

void expect_protocol_headers(const Response& r) {
  ASSERT_NE(r.header("Content-Type"), nullptr);
  ASSERT_NE(r.header("x-amzn-RequestId"), nullptr);
  ASSERT_NE(r.header("x-amz-crc32"), nullptr);
  EXPECT_EQ(r.header("x-amzn-requestid")->size(), 52U);
  EXPECT_TRUE(auth::crc32_matches(r.body, *r.header("x-amz-crc32"))) << r.body;
}

// A request reaches the engine and its answer comes back as the service's JSON.
TEST_F(HandlerTest, RoutesOperationsToTheEngine) {
  create_table();
  Response put = call("PutItem", R"({"TableName":"Thread","Item":{"forum":{"S":"C++"},"views":{"N":"1"}}})");
  EXPECT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body, "{}");
  Response got = call("GetItem", R"({"TableName":"Thread","Key":{"forum":{"S":"C++"}}})");
  EXPECT_EQ(got.status, 200);
  EXPECT_EQ(got.body, R"({"Item":{"forum":{"S":"C++"},"views":{"N":"1"}}})");
  Response listed = call("ListTables", "{}");
  EXPECT_EQ(listed.body, R"({"TableNames":["Thread"]})");
  expect_protocol_headers(listed);
  EXPECT_EQ(*listed.header("Content-Type"), "application/x-amz-json-1.0");
}

// GetItem's body is encoded from the stored item without copying it; it is byte for byte
// what encoding the engine's get_item response gives, with a projection, with consumed
// capacity, and for a missing item.
TEST_F(HandlerTest, GetItemBodyIsTheEncodedGetItemResponse) {
  create_table();
  ASSERT_EQ(call("PutItem", R"({"TableName":"Thread","Item":{"forum":{"S":"C++"},"views":{"N":"1"},
      "tags":{"SS":["a","b"]},"text":{"S":"quote \" backslash \\ newline \n tab \t \u0001 é"},
      "nested":{"M":{"entries":{"L":[{"BOOL":true},{"NULL":true},{"B":"AAEC"}]}}}}})").status,
            200);
  for (const std::string_view body : {
           R"({"TableName":"Thread","Key":{"forum":{"S":"C++"}}})",
           R"({"TableName":"Thread","Key":{"forum":{"S":"C++"}},"ReturnConsumedCapacity":"TOTAL"})",
           R"({"TableName":"Thread","Key":{"forum":{"S":"C++"}},"ReturnConsumedCapacity":"INDEXES"})",
           R"({"TableName":"Thread","Key":{"forum":{"S":"C++"}},"ProjectionExpression":"tags, nested.entries[2]"})",
           R"({"TableName":"Thread","Key":{"forum":{"S":"C++"}},"AttributesToGet":["tags"],"ConsistentRead":true})",
           R"({"TableName":"Thread","Key":{"forum":{"S":"Rust"}}})",
           R"({"TableName":"Thread","Key":{"forum":{"S":"Rust"}},"ReturnConsumedCapacity":"TOTAL"})",
       }) {
    const Response got = call("GetItem", body);
    ASSERT_EQ(got.status, 200) << body << ": " << got.body;
    EXPECT_EQ(got.body, api::encode(engine_.get_item(api::decode<api::GetItemRequest>(body)))) << body;
    expect_protocol_headers(got);
  }
}

// Query's and Scan's bodies are encoded from the stored items without copying them; each is
// byte for byte what encoding the engine's query or scan response gives: full and empty
// pages, a limit with LastEvaluatedKey, projections, filters, Select COUNT, consumed capacity.
TEST_F(HandlerTest, QueryAndScanBodiesAreTheEncodedResponses) {
  ASSERT_EQ(call("CreateTable", R"({"TableName":"Posts","BillingMode":"PAY_PER_REQUEST",
        "AttributeDefinitions":[{"AttributeName":"forum","AttributeType":"S"},{"AttributeName":"at","AttributeType":"N"}],
        "KeySchema":[{"AttributeName":"forum","KeyType":"HASH"},{"AttributeName":"at","KeyType":"RANGE"}]})").status,
            200);
  for (int i = 0; i < 12; ++i) {
    const std::string body = R"({"TableName":"Posts","Item":{"forum":{"S":")" + std::string(i % 2 == 0 ? "C++" : "Rust") +
                             R"("},"at":{"N":")" + std::to_string(i) + R"("},"text":{"S":"line \" \\ \n )" +
                             std::string(static_cast<std::size_t>(i) * 40, 'x') + R"("},"tags":{"SS":["a","b"]}}})";
    ASSERT_EQ(call("PutItem", body).status, 200) << body;
  }
  const std::string_view cpp = R"("KeyConditionExpression":"forum = :f","ExpressionAttributeValues":{":f":{"S":"C++"}})";
  for (const std::string& body : std::vector<std::string>{
           R"({"TableName":"Posts",)" + std::string(cpp) + "}",
           R"({"TableName":"Posts","Limit":2,"ScanIndexForward":false,)" + std::string(cpp) + "}",
           R"({"TableName":"Posts","ProjectionExpression":"#t","ExpressionAttributeNames":{"#t":"tags"},)" +
               std::string(cpp) + "}",
           R"({"TableName":"Posts","Select":"COUNT","ReturnConsumedCapacity":"TOTAL",)" + std::string(cpp) + "}",
           R"({"TableName":"Posts","FilterExpression":"size(#x) > :n","ExpressionAttributeNames":{"#x":"text"},)"
           R"("KeyConditionExpression":"forum = :f","ExpressionAttributeValues":{":f":{"S":"C++"},":n":{"N":"1000"}}})",
           R"({"TableName":"Posts","KeyConditionExpression":"forum = :f","ExpressionAttributeValues":{":f":{"S":"Go"}}})",
       }) {
    const Response got = call("Query", body);
    ASSERT_EQ(got.status, 200) << body << ": " << got.body;
    EXPECT_EQ(got.body, api::encode(engine_.query(api::decode<api::QueryRequest>(body)))) << body;
    expect_protocol_headers(got);
  }
  for (const std::string_view body : {
           R"({"TableName":"Posts"})",
           R"({"TableName":"Posts","Limit":3,"ReturnConsumedCapacity":"INDEXES"})",
           R"({"TableName":"Posts","Select":"COUNT"})",
           R"({"TableName":"Posts","ProjectionExpression":"forum","FilterExpression":"#a > :a",)"
           R"("ExpressionAttributeNames":{"#a":"at"},"ExpressionAttributeValues":{":a":{"N":"100"}}})",
       }) {
    const Response got = call("Scan", body);
    ASSERT_EQ(got.status, 200) << body << ": " << got.body;
    EXPECT_EQ(got.body, api::encode(engine_.scan(api::decode<api::ScanRequest>(body)))) << body;
    expect_protocol_headers(got);
  }
}

// PutItem and BatchWriteItem move the decoded items into the table; what is stored and what
// is answered are the same as for the engine's copying forms.
TEST_F(HandlerTest, WritesStoreTheDecodedItems) {
  create_table();
  Response put = call("PutItem", R"({"TableName":"Thread","Item":{"forum":{"S":"C++"},"views":{"N":"1"}},
      "ReturnValues":"ALL_OLD"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.body, "{}");
  put = call("PutItem", R"({"TableName":"Thread","Item":{"forum":{"S":"C++"},"views":{"N":"2"}},"ReturnValues":"ALL_OLD"})");
  EXPECT_EQ(put.body, R"({"Attributes":{"forum":{"S":"C++"},"views":{"N":"1"}}})");
  const Response batch = call("BatchWriteItem", R"({"RequestItems":{"Thread":[
      {"PutRequest":{"Item":{"forum":{"S":"Rust"},"views":{"N":"3"}}}},
      {"DeleteRequest":{"Key":{"forum":{"S":"C++"}}}}]}})");
  ASSERT_EQ(batch.status, 200) << batch.body;
  EXPECT_EQ(batch.body, R"({"UnprocessedItems":{}})");
  EXPECT_EQ(call("GetItem", R"({"TableName":"Thread","Key":{"forum":{"S":"Rust"}}})").body,
            R"({"Item":{"forum":{"S":"Rust"},"views":{"N":"3"}}})");
  EXPECT_EQ(call("GetItem", R"({"TableName":"Thread","Key":{"forum":{"S":"C++"}}})").body, "{}");
}

// Every response carries the three protocol headers, errors included, with a fresh id.
TEST_F(HandlerTest, EveryResponseHasRequestIdAndCrc32) {
  std::set<std::string> ids;
  for (const Response& r : {call("ListTables", "{}"), call("Nope", "{}"), call("GetItem", "{oops"),
                            call("DescribeTable", R"({"TableName":"missing"})")}) {
    expect_protocol_headers(r);
    ids.insert(*r.header("x-amzn-RequestId"));
  }
  EXPECT_EQ(ids.size(), 4U);
}

// An operation DynamoDB does not have (or dynamo does not implement) is
// com.amazon.coral.service#UnknownOperationException, HTTP 400.
TEST_F(HandlerTest, UnknownOperation) {
  const Response r = call("CreateBackup", "{}");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r), std::make_pair(std::string("com.amazon.coral.service"), std::string("UnknownOperationException")));
  auto headers = dynamodb_headers("ListTables");
  set_header(headers, "X-Amz-Target", "DynamoDB_20111205.ListTables");
  EXPECT_EQ(error_type(handler_.handle({.headers = headers, .body = "{}"})).second, "UnknownOperationException");
}

// No X-Amz-Target at all is the same error.
TEST_F(HandlerTest, MissingTarget) {
  auto headers = dynamodb_headers("ListTables");
  remove_header(headers, "X-Amz-Target");
  const Response r = handler_.handle({.headers = headers, .body = "{}"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r).second, "UnknownOperationException");
}

// Malformed JSON, a non-object body, an empty body and a member of the wrong type are
// SerializationException (com.amazon.coral.service), HTTP 400.
TEST_F(HandlerTest, MalformedJsonIsSerializationException) {
  for (std::string_view body : {"{oops", "[1,2]", "", "\"text\"", R"({"TableName":5})"}) {
    const Response r = call("DescribeTable", body);
    EXPECT_EQ(r.status, 400) << body;
    EXPECT_EQ(error_type(r), std::make_pair(std::string("com.amazon.coral.service"), std::string("SerializationException")))
        << body << " -> " << r.body;
  }
}

// Engine validation errors keep their namespace and message.
TEST_F(HandlerTest, ValidationErrorFromTheEngine) {
  const Response r = call("CreateTable", R"({"TableName":"x","KeySchema":[],"AttributeDefinitions":[]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r).first, "com.amazon.coral.validate");
  EXPECT_EQ(error_type(r).second, "ValidationException");
  const Response missing = call("DescribeTable", R"({"TableName":"missing"})");
  EXPECT_EQ(error_type(missing),
            std::make_pair(std::string("com.amazonaws.dynamodb.v20120810"), std::string("ResourceNotFoundException")));
}

// A failed condition with ALL_OLD returns the old item in the error body.
TEST_F(HandlerTest, ConditionalCheckFailedCarriesItem) {
  create_table();
  ASSERT_EQ(call("PutItem", R"({"TableName":"Thread","Item":{"forum":{"S":"a"},"v":{"N":"1"}}})").status, 200);
  const Response r = call("PutItem", R"json({"TableName":"Thread","Item":{"forum":{"S":"a"}},
      "ConditionExpression":"attribute_not_exists(forum)","ReturnValuesOnConditionCheckFailure":"ALL_OLD"})json");
  EXPECT_EQ(r.status, 400);
  const api::ErrorBody body = api::decode_error(r.body);
  EXPECT_EQ(body.code, "ConditionalCheckFailedException");
  ASSERT_TRUE(body.item.has_value()) << r.body;
  EXPECT_EQ(body.item->size(), 2U);
}

// A cancelled transaction lists one reason per action.
TEST_F(HandlerTest, TransactionCanceledCarriesReasons) {
  create_table();
  const Response r = call("TransactWriteItems", R"json({"TransactItems":[
      {"Put":{"TableName":"Thread","Item":{"forum":{"S":"x"}}}},
      {"ConditionCheck":{"TableName":"Thread","Key":{"forum":{"S":"y"}},"ConditionExpression":"attribute_exists(forum)"}}]})json");
  EXPECT_EQ(r.status, 400);
  const api::ErrorBody body = api::decode_error(r.body);
  EXPECT_EQ(body.code, "TransactionCanceledException");
  ASSERT_TRUE(body.cancellation_reasons.has_value()) << r.body;
  ASSERT_EQ(body.cancellation_reasons->size(), 2U);
  EXPECT_EQ((*body.cancellation_reasons)[0].code, "None");
  EXPECT_EQ((*body.cancellation_reasons)[1].code, "ConditionalCheckFailed");
}

// Other content types get DynamoDB's 404 UnknownOperationException; JSON 1.0 with
// parameters and plain application/json are accepted (the latter answered in kind).
TEST_F(HandlerTest, ContentTypes) {
  auto headers = dynamodb_headers("ListTables");
  for (std::string_view type : {"application/x-amz-json-1.1", "text/plain", "application/xml"}) {
    set_header(headers, "Content-Type", std::string(type));
    const Response r = handler_.handle({.headers = headers, .body = "{}"});
    EXPECT_EQ(r.status, 404) << type;
    EXPECT_EQ(error_type(r).second, "UnknownOperationException");
    expect_protocol_headers(r);
  }
  set_header(headers, "Content-Type", "application/x-amz-json-1.0; charset=utf-8");
  EXPECT_EQ(handler_.handle({.headers = headers, .body = "{}"}).status, 200);
  set_header(headers, "Content-Type", "application/json");
  const Response plain = handler_.handle({.headers = headers, .body = "{}"});
  EXPECT_EQ(plain.status, 200);
  EXPECT_EQ(*plain.header("Content-Type"), "application/json");
}

// Header bytes quoted in an error message cannot break the JSON body (found by the fuzzer:
// invalid UTF-8 in Content-Type used to end in std::terminate).
TEST_F(HandlerTest, HostileHeaderBytesAreQuotedSafely) {
  auto headers = dynamodb_headers("ListTables");
  set_header(headers, "Content-Type", "application/x-amz-json-\xff\xfe");
  Response r = handler_.handle({.headers = headers, .body = "{}"});
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(error_type(r).second, "UnknownOperationException");
  set_header(headers, "Content-Type", "application/x-amz-json-1.0");
  set_header(headers, "X-Amz-Target", "DynamoDB_20120810.\xc3\x28" + std::string(500, 'x'));
  r = handler_.handle({.headers = headers, .body = "{}"});
  EXPECT_EQ(r.status, 400);
  EXPECT_LT(r.body.size(), 300U);
  EXPECT_EQ(error_type(r).second, "UnknownOperationException");
}

// Methods other than POST are 404; GET is the health check.
TEST_F(HandlerTest, MethodsAndHealthCheck) {
  const auth::Headers headers = dynamodb_headers("ListTables");
  const Response health = handler_.handle({.method = "GET", .target = "/", .headers = {}, .body = {}});
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, "healthy: dynamodb.us-east-1.amazonaws.com ");
  EXPECT_EQ(*health.header("x-amz-crc32"), "3128867991");  // the value DynamoDB sends
  const Response put = handler_.handle({.method = "PUT", .target = "/", .headers = headers, .body = "{}"});
  EXPECT_EQ(put.status, 404);
  EXPECT_EQ(error_type(put).second, "UnknownOperationException");
}

// A body over the limit is 413 without being decoded.
TEST_F(HandlerTest, OversizedBody) {
  engine::Engine engine(engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0)});
  RequestHandler small(engine, {.max_body_bytes = 16});
  const auth::Headers headers = dynamodb_headers("ListTables");
  const Response r = small.handle({.headers = headers, .body = R"({"Limit":10,"ExclusiveStartTableName":"x"})"});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(error_type(r).second, "RequestEntityTooLarge");
  expect_protocol_headers(r);
  EXPECT_EQ(small.handle({.headers = headers, .body = "{}"}).status, 200);
}

// Without configured credentials: a signature must be present and well formed, like
// DynamoDB Local; its value is not checked.
TEST_F(HandlerTest, AnonymousRequestsAreRejected) {
  auto headers = dynamodb_headers("ListTables");
  remove_header(headers, "Authorization");
  Response r = handler_.handle({.headers = headers, .body = "{}"});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r), std::make_pair(std::string("com.amazon.coral.service"),
                                          std::string("MissingAuthenticationTokenException")));
  set_header(headers, "Authorization", "AWS4-HMAC-SHA256 Credential=onlythis");
  r = handler_.handle({.headers = headers, .body = "{}"});
  EXPECT_EQ(error_type(r).second, "IncompleteSignatureException") << r.body;
  set_header(headers, "Authorization", "Basic dXNlcjpwYXNz");
  EXPECT_EQ(error_type(handler_.handle({.headers = headers, .body = "{}"})).second,
            "MissingAuthenticationTokenException");
}

class VerifyingHandlerTest : public ::testing::Test {
 protected:
  VerifyingHandlerTest()
      : engine_(engine::EngineOptions{.ttl_sweep_interval = std::chrono::milliseconds(0)}),
        handler_(engine_, {.credentials = {auth::Credentials{.access_key_id = "AKIDEXAMPLE",
                                                              .secret_access_key = "secret-example"}}}) {}

  // Headers of a ListTables request signed now with `secret` as `key`.
  static auth::Headers signed_headers(std::string_view key, std::string_view secret, std::string_view body) {
    auth::Headers headers = {{"Host", "127.0.0.1:8000"},
                             {"Content-Type", "application/x-amz-json-1.0"},
                             {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
    const auto signing = auth::sign_request({.url = "http://127.0.0.1:8000/", .headers = headers, .body = body},
                                            auth::Credentials{.access_key_id = std::string(key),
                                                              .secret_access_key = std::string(secret)},
                                            {.region = "us-east-1", .timestamp = auth::current_time()});
    signing.add_headers_to(headers);
    return headers;
  }

  engine::Engine engine_;
  RequestHandler handler_;
};

// A correct signature passes; a wrong secret, an unknown key, a tampered body and a missing
// header each get the service's code.
TEST_F(VerifyingHandlerTest, ChecksSignatures) {
  const std::string body = "{}";
  EXPECT_EQ(handler_.handle({.headers = signed_headers("AKIDEXAMPLE", "secret-example", body), .body = body}).status, 200);

  Response r = handler_.handle({.headers = signed_headers("AKIDEXAMPLE", "wrong", body), .body = body});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(error_type(r), std::make_pair(std::string("com.amazon.coral.service"), std::string("InvalidSignatureException")));

  r = handler_.handle({.headers = signed_headers("AKIDEXAMPLE", "secret-example", body), .body = R"({"Limit":1})"});
  EXPECT_EQ(error_type(r).second, "InvalidSignatureException");

  r = handler_.handle({.headers = signed_headers("AKIDOTHER", "secret-example", body), .body = body});
  EXPECT_EQ(error_type(r).second, "UnrecognizedClientException");

  auto unsigned_headers = signed_headers("AKIDEXAMPLE", "secret-example", body);
  remove_header(unsigned_headers, "Authorization");
  r = handler_.handle({.headers = unsigned_headers, .body = body});
  EXPECT_EQ(error_type(r).second, "MissingAuthenticationTokenException");
  expect_protocol_headers(r);
}

// At DEBUG each request is one "server" line (operation, status, error code, sizes, request
// id); refused authentications are WARN lines naming the key id and the reason, never the
// secret or the signature.
TEST_F(VerifyingHandlerTest, LogsRequestsAndRefusals) {
  std::mutex mutex;
  std::vector<std::string> lines;
  set_log_sink([&](const LogRecord& record) {
    const std::lock_guard lock(mutex);
    lines.push_back(std::string(to_string(record.level)) + " " + std::string(record.component) + ": " +
                    std::string(record.message));
  });
  set_log_level(LogLevel::debug);
  const std::string body = "{}";
  const Response ok = handler_.handle({.headers = signed_headers("AKIDEXAMPLE", "secret-example", body), .body = body});
  const auto wrong = signed_headers("AKIDEXAMPLE", "wrong", body);
  (void)handler_.handle({.headers = wrong, .body = body});
  (void)handler_.handle({.headers = signed_headers("AKIDOTHER", "secret-example", body), .body = body});
  set_log_level(LogLevel::off);
  set_log_sink({});

  ASSERT_EQ(lines.size(), 5u) << ::testing::PrintToString(lines);
  EXPECT_EQ(lines[0].rfind("DEBUG server: DynamoDB_20120810.ListTables status=200 bytes=2/", 0), 0u) << lines[0];
  EXPECT_NE(lines[0].find(" request_id=" + *ok.header("x-amzn-RequestId")), std::string::npos) << lines[0];
  EXPECT_EQ(lines[1].rfind("WARN server: refused a request from access key id AKIDEXAMPLE: InvalidSignatureException", 0),
            0u)
      << lines[1];
  EXPECT_NE(lines[2].find("status=400 error=InvalidSignatureException"), std::string::npos) << lines[2];
  EXPECT_EQ(lines[3], "WARN server: refused a request signed with unknown access key id AKIDOTHER");
  EXPECT_NE(lines[4].find("error=UnrecognizedClientException"), std::string::npos) << lines[4];
  const std::string& authorization = std::find_if(wrong.begin(), wrong.end(), [](const auth::Header& h) {
                                       return h.name == "Authorization";
                                     })->value;
  const std::string signature = authorization.substr(authorization.find("Signature=") + 10);
  for (const auto& line : lines) {
    EXPECT_EQ(line.find("secret-example"), std::string::npos) << line;
    EXPECT_EQ(line.find(signature), std::string::npos) << line;
  }
}

// A signature made long ago is rejected (replay protection), as AWS does.
TEST_F(VerifyingHandlerTest, RejectsStaleSignatures) {
  auth::Headers headers = {{"Host", "127.0.0.1:8000"},
                           {"Content-Type", "application/x-amz-json-1.0"},
                           {"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
  const auto signing = auth::sign_request(
      {.url = "http://127.0.0.1:8000/", .headers = headers, .body = "{}"},
      auth::Credentials{.access_key_id = "AKIDEXAMPLE", .secret_access_key = "secret-example"},
      {.region = "us-east-1", .timestamp = auth::current_time() - std::chrono::hours(1)});
  signing.add_headers_to(headers);
  EXPECT_EQ(error_type(handler_.handle({.headers = headers, .body = "{}"})).second, "InvalidSignatureException");
}

// Request ids are 52 characters of DynamoDB's alphabet and never repeat.
TEST(RequestIdTest, UniqueAndWellFormed) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) {
    std::string id = new_request_id();
    ASSERT_EQ(id.size(), 52U);
    ASSERT_EQ(id.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), std::string::npos);
    ids.insert(std::move(id));
  }
  EXPECT_EQ(ids.size(), 10000U);
}

}  // namespace
}  // namespace dynamo::server
