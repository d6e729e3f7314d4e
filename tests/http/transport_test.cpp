#include "dynamo/http/transport.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>

#include "dynamo/auth/sigv4.hpp"
#include "dynamo/error.hpp"
#include "dynamo/http/service_error.hpp"
#include "dynamo/version.hpp"
#include "scripted_server.hpp"
#include "test_environment.hpp"

namespace dynamo::http::testing {
namespace {

using std::chrono::milliseconds;

const std::string throttled_body =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#ThrottlingException","message":"Rate exceeded"})";
const std::string validation_body =
    R"({"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid"})";
const std::string condition_failed_body =
    R"({"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"})";

class TransportTest : public ::testing::Test {
 protected:
  void SetUp() override { keep_loopback_off_proxies(); }

  TransportOptions recording_options() {
    return {.hooks = {}, .jitter = &jitter_at_ceiling, .sleep = sleeps.function()};
  }
  HttpTransport transport(auth::ClientSettings settings = fast_settings(), bool with_token = false) {
    return HttpTransport(config_for(server.endpoint(), std::move(settings), with_token), recording_options());
  }

  ScriptedServer server;
  SleepRecorder sleeps;
};

// A port nothing listens on: bound, read, and released again.
std::uint16_t closed_port() {
  const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::bind(socket, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  socklen_t length = sizeof address;
  ::getsockname(socket, reinterpret_cast<sockaddr*>(&address), &length);
  ::close(socket);
  return ntohs(address.sin_port);
}

// A request carries the JSON 1.0 headers, the extra headers, the session token and a
// SigV4 signature that the auth layer's verifier accepts; the response comes back whole.
TEST_F(TransportTest, RequestShapeAndValidSignature) {
  server.script({{.status = 200, .body = R"({"Item":{}})"}});
  auto settings = fast_settings();
  settings.extra_headers = {{"X-Proxy-Flag", "on"}};
  const auto client = transport(settings, /*with_token=*/true);
  const std::string body = R"({"TableName":"Thread","Key":{"id":{"S":"a"}}})";

  const HttpResponse response = send_call(client, "GetItem", body, {.table_name = "Thread"});

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"Item":{}})");
  EXPECT_EQ(response.request_id, "SCRIPTED1");
  EXPECT_EQ(response.attempts, 1);
  ASSERT_NE(response.header("X-AMZ-CRC32"), nullptr);

  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 1U);
  const ReceivedRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/");
  EXPECT_EQ(request.body, body);
  ASSERT_NE(request.header("Content-Type"), nullptr);
  EXPECT_EQ(*request.header("Content-Type"), "application/x-amz-json-1.0");
  ASSERT_NE(request.header("X-Amz-Target"), nullptr);
  EXPECT_EQ(*request.header("X-Amz-Target"), "DynamoDB_20120810.GetItem");
  ASSERT_NE(request.header("User-Agent"), nullptr);
  EXPECT_EQ(*request.header("User-Agent"), "dynamo-cpp/" + std::string(dynamo::version()));
  ASSERT_NE(request.header("X-Amz-Security-Token"), nullptr);
  EXPECT_EQ(*request.header("X-Amz-Security-Token"), test_session_token);
  ASSERT_NE(request.header("X-Proxy-Flag"), nullptr);
  EXPECT_EQ(*request.header("X-Proxy-Flag"), "on");
  EXPECT_EQ(request.header("Expect"), nullptr);
  ASSERT_NE(request.header("Host"), nullptr);
  EXPECT_EQ(*request.header("Host"), "127.0.0.1:" + std::to_string(server.port()));

  const auth::AuthorizationHeader authorization = auth::verify_signature(
      {.method = request.method, .url = request.target, .headers = request.headers, .body = request.body},
      test_secret);
  EXPECT_EQ(authorization.access_key_id, test_access_key);
  EXPECT_EQ(authorization.region, "us-east-1");
  EXPECT_EQ(authorization.service, "dynamodb");
  EXPECT_EQ(authorization.signed_headers,
            "content-type;host;x-amz-date;x-amz-security-token;x-amz-target;x-proxy-flag");
}

// A transport for the Streams endpoint names DynamoDB Streams' API in X-Amz-Target and
// signs for the same service name as DynamoDB's.
TEST_F(TransportTest, StreamsTargetPrefix) {
  server.script({{.status = 200, .body = R"({"Streams":[]})"}});
  auto config = config_for(server.endpoint(), fast_settings(), false);
  config.target_prefix = "DynamoDBStreams_20120810.";
  const HttpTransport client(config, recording_options());
  (void)send_call(client, "ListStreams", "{}");
  const auto request = server.requests().at(0);
  ASSERT_NE(request.header("X-Amz-Target"), nullptr);
  EXPECT_EQ(*request.header("X-Amz-Target"), "DynamoDBStreams_20120810.ListStreams");
  const auth::AuthorizationHeader authorization = auth::verify_signature(
      {.method = request.method, .url = request.target, .headers = request.headers, .body = request.body},
      test_secret);
  EXPECT_EQ(authorization.service, "dynamodb");
}

// A target prefix that could not name an API version (or would smuggle a header) is refused.
TEST_F(TransportTest, MalformedTargetPrefixIsRefused) {
  for (const std::string prefix : {"", ".", "DynamoDB_20120810", "DynamoDB 20120810.", "X.\r\nEvil: 1."}) {
    auto config = config_for(server.endpoint(), fast_settings(), false);
    config.target_prefix = prefix;
    try {
      HttpTransport client(config, recording_options());
      ADD_FAILURE() << "accepted target prefix \"" << prefix << "\"";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), "InvalidConfiguration");
      EXPECT_NE(std::string(e.message()).find("target_prefix"), std::string::npos) << e.message();
    }
  }
}

// During an outage the retry quota runs dry: after 100 retries (500 tokens, 5 each) calls
// get one attempt each instead of multiplying the load; a success refills the bucket.
TEST_F(TransportTest, RetryQuotaStopsRetriesDuringAnOutage) {
  server.set_fallback({.status = 503, .body = R"({"__type":"com.amazonaws.dynamodb.v20120810#ServiceUnavailable"})"});
  auto settings = fast_settings();
  settings.max_retry_attempts = 4;
  const auto client = transport(settings);
  std::vector<int> attempts;
  for (int call = 0; call < 30; ++call) attempts.push_back(send_call(client, "GetItem", "{}").attempts);
  EXPECT_EQ(attempts.front(), 5);
  EXPECT_EQ(attempts.at(24), 5);  // 25 calls x 4 retries = the 100 retries the bucket pays for
  EXPECT_EQ(attempts.at(25), 1);
  EXPECT_EQ(attempts.back(), 1);
  EXPECT_EQ(server.requests().size(), 25U * 5U + 5U);
}

// A call's deadline bounds it whole: retries stop when the next could not end in time, and
// the last attempt is cut off at the deadline.
TEST_F(TransportTest, CallDeadlineBoundsRetries) {
  server.set_fallback({.status = 503, .body = "{}", .delay = milliseconds(120)});
  auto settings = fast_settings();
  settings.max_retry_attempts = 10;
  settings.base_backoff_ms = 1;
  settings.call_timeout_seconds = 0.4;
  const auto client = HttpTransport(config_for(server.endpoint(), settings), {});
  const auto started = std::chrono::steady_clock::now();
  int attempts = 0;
  try {
    attempts = send_call(client, "GetItem", "{}").attempts;
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "ConnectionError");
    EXPECT_NE(std::string(error.what()).find("deadline"), std::string::npos) << error.what();
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_LT(elapsed, milliseconds(700));
  EXPECT_LE(server.requests().size(), 4U);
  EXPECT_LE(attempts, 4);
}

// A negative deadline is refused when the transport is made.
TEST_F(TransportTest, NegativeCallDeadlineIsRefused) {
  auto settings = fast_settings();
  settings.call_timeout_seconds = -1;
  EXPECT_THROW(HttpTransport(config_for(server.endpoint(), settings), {}), Error);
}

// A wrong secret does not verify: the signature check above is not vacuous.
TEST_F(TransportTest, SignatureFailsWithAnotherSecret) {
  const auto client = transport();
  (void)send_call(client, "ListTables", "{}");
  const auto request = server.requests().at(0);
  EXPECT_THROW((void)auth::verify_signature(
                   {.method = request.method, .url = request.target, .headers = request.headers, .body = request.body},
                   "not-the-secret"),
               Error);
}

// Sequential calls reuse one keep-alive connection.
TEST_F(TransportTest, KeepAliveReusesOneConnection) {
  const auto client = transport();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(send_call(client, "ListTables", "{}").status, 200);
  EXPECT_EQ(server.connections_accepted(), 1);
  for (const auto& request : server.requests()) EXPECT_EQ(request.connection, 1);
}

// Throttling is retried with exponential backoff (ceilings 25, 50 ms with a jitter pinned
// to the ceiling), each retry freshly signed, until success.
TEST_F(TransportTest, ThrottlingThenSuccessIsRetriedWithBackoff) {
  const std::string provisioned =
      R"({"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"})";
  server.script({{.status = 400, .body = throttled_body}, {.status = 400, .body = provisioned}, {.status = 200}});
  const auto client = transport();

  const HttpResponse response = send_call(client, "PutItem", "{}");

  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 3);
  EXPECT_EQ(sleeps.delays(), (std::vector<milliseconds>{milliseconds(25), milliseconds(50)}));
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 3U);
  for (const auto& request : requests) {
    EXPECT_NO_THROW((void)auth::verify_signature(
        {.method = request.method, .url = request.target, .headers = request.headers, .body = request.body},
        test_secret));
  }
}

// RequestLimitExceeded is a throttling code too.
TEST_F(TransportTest, RequestLimitExceededIsRetried) {
  server.script({{.status = 400, .body = R"({"__type":"RequestLimitExceeded","message":"account limit"})"}});
  EXPECT_EQ(send_call(transport(), "Query", "{}").attempts, 2);
}

// A 500 is retried and the following success returned.
TEST_F(TransportTest, ServerErrorThenSuccess) {
  server.script({{.status = 500, .body = R"({"__type":"InternalServerError","message":"oops"})"}, {.status = 200}});
  const HttpResponse response = send_call(transport(), "GetItem", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(sleeps.delays().size(), 1U);
}

// A connection reset before any answer is retried on a new connection.
TEST_F(TransportTest, ConnectionResetThenSuccess) {
  server.script({{.action = ScriptedStep::Action::reset}, {.status = 200, .body = R"({"ok":1})"}});
  const HttpResponse response = send_call(transport(), "GetItem", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"ok":1})");
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(server.connections_accepted(), 2);
}

// A connection closed without an answer is retried too.
TEST_F(TransportTest, EmptyReplyThenSuccess) {
  server.script({{.action = ScriptedStep::Action::close_silently}, {.status = 200}});
  EXPECT_EQ(send_call(transport(), "GetItem", "{}").attempts, 2);
}

// A body that does not match x-amz-crc32 is retried; the good one is returned.
TEST_F(TransportTest, BadCrc32ThenGood) {
  server.script({{.status = 200, .body = R"({"Count":1})", .crc32 = "12345"}, {.status = 200, .body = R"({"Count":2})"}});
  const HttpResponse response = send_call(transport(), "Scan", "{}");
  EXPECT_EQ(response.body, R"({"Count":2})");
  EXPECT_EQ(response.attempts, 2);
}

// Without an x-amz-crc32 header nothing is checked (DynamoDB Local omits it at times).
TEST_F(TransportTest, MissingCrc32IsAccepted) {
  server.script({{.status = 200, .body = "{}", .send_crc32 = false}});
  EXPECT_EQ(send_call(transport(), "Scan", "{}").attempts, 1);
}

// A body over 1 MiB goes out at once (no "Expect: 100-continue" stall) and comes back intact.
TEST_F(TransportTest, LargeBodiesRoundTrip) {
  server.script({{.status = 200, .echo_request_body = true}});
  std::string body = R"({"blob":")";
  body.append(std::size_t{2} << 20U, 'x').append(R"("})");
  const auto started = std::chrono::steady_clock::now();
  const HttpResponse response = send_call(transport(), "PutItem", body);
  EXPECT_LT(std::chrono::steady_clock::now() - started, milliseconds(900));
  EXPECT_EQ(response.body, body);
  EXPECT_EQ(response.attempts, 1);
}

// A ValidationException is returned at once, not retried, and parses into an Error.
TEST_F(TransportTest, ValidationExceptionIsNotRetried) {
  server.script({{.status = 400, .body = validation_body}});
  const HttpResponse response = send_call(transport(), "PutItem", "{}");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.attempts, 1);
  EXPECT_TRUE(sleeps.delays().empty());
  EXPECT_EQ(server.requests().size(), 1U);
  const Error error = parse_service_error(response);
  EXPECT_EQ(error.code(), "ValidationException");
  EXPECT_EQ(error.message(), "One or more parameter values were invalid");
  EXPECT_EQ(error.http_status(), 400);
  EXPECT_EQ(error.request_id(), "SCRIPTED1");
}

// A failed condition is an answer, not a transient fault: not retried.
TEST_F(TransportTest, ConditionalCheckFailedIsNotRetried) {
  server.script({{.status = 400, .body = condition_failed_body}});
  const HttpResponse response = send_call(transport(), "PutItem", "{}");
  EXPECT_EQ(response.attempts, 1);
  EXPECT_EQ(parse_service_error(response).code(), "ConditionalCheckFailedException");
  EXPECT_EQ(server.requests().size(), 1U);
}

// When throttling outlasts the retries, the last error response is returned after
// 1 + max_retry_attempts attempts and backoffs of 25, 50, 100 ms.
TEST_F(TransportTest, ExhaustedRetriesReturnTheFinalErrorResponse) {
  server.set_fallback({.status = 400, .body = throttled_body});
  const HttpResponse response = send_call(transport(), "PutItem", "{}");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.attempts, 4);
  EXPECT_EQ(parse_service_error(response).code(), "ThrottlingException");
  EXPECT_EQ(response.request_id, "SCRIPTED4");
  EXPECT_EQ(sleeps.delays(), (std::vector<milliseconds>{milliseconds(25), milliseconds(50), milliseconds(100)}));
}

// The same for 5xx, with max_retry_attempts honoured as configured.
TEST_F(TransportTest, ExhaustedServerErrorsReturnTheFinalResponse) {
  server.set_fallback({.status = 503, .body = "<html>Service Unavailable</html>"});
  auto settings = fast_settings();
  settings.max_retry_attempts = 1;
  const HttpResponse response = send_call(transport(settings), "GetItem", "{}");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_EQ(parse_service_error(response).code(), "HttpError");
}

// With max_retry_attempts = 0 a throttled call makes exactly one attempt.
TEST_F(TransportTest, ZeroRetriesMeansOneAttempt) {
  server.set_fallback({.status = 400, .body = throttled_body});
  auto settings = fast_settings();
  settings.max_retry_attempts = 0;
  EXPECT_EQ(send_call(transport(settings), "GetItem", "{}").attempts, 1);
  EXPECT_EQ(server.requests().size(), 1U);
}

// A body that never matches its checksum ends in ChecksumError, not in a corrupt result.
TEST_F(TransportTest, ExhaustedChecksumMismatchesThrow) {
  server.set_fallback({.status = 200, .crc32 = "1"});
  try {
    (void)send_call(transport(), "GetItem", "{}");
    FAIL() << "expected ChecksumError";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "ChecksumError");
    EXPECT_NE(std::string(error.what()).find("4 attempts"), std::string::npos) << error.what();
  }
}

// A response slower than the read timeout is abandoned, retried, and in the end
// reported as a ConnectionError naming the timeout and the attempts.
TEST_F(TransportTest, SlowResponseTimesOutRetriesThenThrows) {
  server.set_fallback({.status = 200, .delay = milliseconds(600)});
  auto settings = fast_settings();
  settings.connect_timeout_seconds = 0.1;
  settings.read_timeout_seconds = 0.1;
  settings.max_retry_attempts = 1;
  const auto started = std::chrono::steady_clock::now();
  try {
    (void)send_call(transport(settings), "GetItem", "{}");
    FAIL() << "expected ConnectionError";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "ConnectionError");
    const std::string message = error.what();
    EXPECT_NE(message.find("2 attempts"), std::string::npos) << message;
    EXPECT_NE(message.find("Timeout"), std::string::npos) << message;
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_LT(elapsed, milliseconds(1000)) << "each attempt should stop at about 200 ms";
  EXPECT_EQ(server.requests().size(), 2U);
  EXPECT_EQ(sleeps.delays().size(), 1U);
}

// The read timeout bounds the silence, not the whole response: a body that keeps arriving,
// a byte every 60 ms for about 1.2 s, is read in full with a read timeout of 0.25 s.
TEST_F(TransportTest, ReadTimeoutAllowsAResponseThatKeepsArriving) {
  const std::string body = R"({"Count":0,"x":"y"})";
  server.set_fallback({.status = 200, .body = body, .trickle = milliseconds(60)});
  auto settings = fast_settings();
  settings.connect_timeout_seconds = 0.25;
  settings.read_timeout_seconds = 0.25;
  settings.max_retry_attempts = 0;
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(send_call(transport(settings), "Scan", "{}").body, body);
  EXPECT_GT(std::chrono::steady_clock::now() - started, milliseconds(500)) << "the body should have trickled";
  EXPECT_EQ(server.requests().size(), 1U);
}

// A response that stops arriving for longer than the read timeout fails the attempt.
TEST_F(TransportTest, ReadTimeoutStrikesWhenTheResponseStalls) {
  server.set_fallback({.status = 200, .body = R"({"Count":0})", .trickle = milliseconds(700)});
  auto settings = fast_settings();
  settings.read_timeout_seconds = 0.2;
  settings.max_retry_attempts = 0;
  try {
    (void)send_call(transport(settings), "Scan", "{}");
    FAIL() << "expected ConnectionError";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "ConnectionError");
    EXPECT_NE(std::string(error.what()).find("nothing sent or received for 200 ms"), std::string::npos)
        << error.what();
  }
}

// Connecting to a port nobody listens on fails with ConnectionError after every attempt,
// and the message names the endpoint and the number of attempts.
TEST_F(TransportTest, ClosedPortThrowsConnectionErrorWithAttempts) {
  const std::string endpoint = "http://127.0.0.1:" + std::to_string(closed_port());
  const HttpTransport client(config_for(endpoint), recording_options());
  try {
    (void)send_call(client, "ListTables", "{}");
    FAIL() << "expected ConnectionError";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "ConnectionError");
    const std::string message = error.what();
    EXPECT_NE(message.find(endpoint), std::string::npos) << message;
    EXPECT_NE(message.find("4 attempts"), std::string::npos) << message;
    EXPECT_NE(message.find("ListTables"), std::string::npos) << message;
    EXPECT_NE(message.find("connect"), std::string::npos) << message;
  }
  EXPECT_EQ(sleeps.delays().size(), 3U);
}

// With max_pool_connections = 2, eight concurrent calls never open more than two
// connections, yet two really do run at once.
TEST_F(TransportTest, PoolLimitIsHonoured) {
  server.set_fallback({.status = 200, .delay = milliseconds(40)});
  auto settings = fast_settings();
  settings.max_pool_connections = 2;
  const auto client = transport(settings);
  std::vector<std::future<HttpResponse>> calls;
  for (int i = 0; i < 8; ++i) calls.push_back(client.call_async("GetItem", "{}"));
  for (auto& call : calls) EXPECT_EQ(call.get().status, 200);
  EXPECT_LE(server.max_open_connections(), 2);
  EXPECT_LE(server.connections_accepted(), 2);
  EXPECT_EQ(server.max_concurrent_requests(), 2);
}

// Synchronous callers beyond the pool size wait for a connection instead of opening one.
TEST_F(TransportTest, SynchronousCallersShareTheBoundedPool) {
  server.set_fallback({.status = 200, .delay = milliseconds(20)});
  auto settings = fast_settings();
  settings.max_pool_connections = 2;
  const auto client = transport(settings);
  std::vector<std::thread> threads;
  std::atomic<int> successes{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      if (send_call(client, "GetItem", "{}").status == 200) ++successes;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(successes.load(), 6);
  EXPECT_LE(server.max_open_connections(), 2);
}

// Many asynchronous calls in flight each get their own response.
TEST_F(TransportTest, ManyAsyncCallsInFlight) {
  server.set_fallback({.status = 200, .echo_request_body = true, .delay = milliseconds(2)});
  auto settings = fast_settings();
  settings.max_pool_connections = 8;
  const auto client = transport(settings);
  constexpr int count = 200;
  std::vector<std::future<HttpResponse>> calls;
  for (int i = 0; i < count; ++i) {
    calls.push_back(client.call_async("GetItem", R"({"n":)" + std::to_string(i) + "}"));
  }
  for (int i = 0; i < count; ++i) {
    const HttpResponse response = calls[static_cast<std::size_t>(i)].get();
    EXPECT_EQ(response.status, 200);
    EXPECT_EQ(response.body, R"({"n":)" + std::to_string(i) + "}");
  }
  EXPECT_LE(server.max_open_connections(), 8);
  EXPECT_GT(server.max_concurrent_requests(), 1);
}

// The callback form reports a transport failure as an exception_ptr.
TEST_F(TransportTest, CallbackFormDeliversErrors) {
  auto settings = fast_settings();
  settings.max_retry_attempts = 0;
  const HttpTransport client(config_for("http://127.0.0.1:" + std::to_string(closed_port()), settings));
  std::promise<std::string> outcome;
  client.call_async("ListTables", "{}", {}, [&](std::exception_ptr error, HttpResponse) {
    try {
      if (error) std::rethrow_exception(error);
      outcome.set_value("no error");
    } catch (const Error& e) {
      outcome.set_value(e.code());
    }
  });
  EXPECT_EQ(outcome.get_future().get(), "ConnectionError");
}

// Destroying the transport waits for queued asynchronous calls, so every future is ready.
TEST_F(TransportTest, DestructionFinishesQueuedCalls) {
  server.set_fallback({.status = 200, .delay = milliseconds(5)});
  std::vector<std::future<HttpResponse>> calls;
  {
    auto settings = fast_settings();
    settings.max_pool_connections = 1;
    const auto client = transport(settings);
    for (int i = 0; i < 5; ++i) calls.push_back(client.call_async("GetItem", "{}"));
  }
  for (auto& call : calls) {
    ASSERT_EQ(call.wait_for(std::chrono::seconds(0)), std::future_status::ready);
    EXPECT_EQ(call.get().status, 200);
  }
}

// before_call and after_call see the same client request id, the operation and table;
// after_call and log_call get status, attempts, retries and duration.
TEST_F(TransportTest, HooksCorrelateBeforeAndAfter) {
  struct Seen {
    std::string phase{}, operation{}, table{}, id{}, error_code{}, service_id{};
    int status = 0, attempts = 0, retries = 0;
    std::chrono::nanoseconds duration{};
  };
  std::mutex mutex;
  std::vector<Seen> seen;
  const auto record_finished = [&](std::string phase) {
    return [&, phase](const CallFinished& f) {
      std::lock_guard lock(mutex);
      seen.push_back({phase, std::string(f.operation), std::string(f.table_name), std::string(f.client_request_id),
                      std::string(f.error_code), std::string(f.service_request_id), f.http_status, f.attempts,
                      f.retries(), f.duration});
    };
  };
  TransportOptions options = recording_options();
  options.hooks.before_call = [&](const CallStarted& s) {
    std::lock_guard lock(mutex);
    seen.push_back({"before", std::string(s.operation), std::string(s.table_name), std::string(s.client_request_id)});
  };
  options.hooks.after_call = record_finished("after");
  options.hooks.log_call = record_finished("log");
  server.script({{.status = 400, .body = throttled_body}, {.status = 200}, {.status = 400, .body = validation_body}});
  const HttpTransport client(config_for(server.endpoint()), options);

  (void)send_call(client, "PutItem", "{}", {.table_name = "Thread"});
  (void)send_call(client, "GetItem", "{}", {.table_name = "Forum"});

  ASSERT_EQ(seen.size(), 6U);
  EXPECT_EQ(seen[0].phase, "before");
  EXPECT_EQ(seen[1].phase, "after");
  EXPECT_EQ(seen[2].phase, "log");
  EXPECT_EQ(seen[0].id.size(), 36U);
  EXPECT_EQ(seen[0].id, seen[1].id);
  EXPECT_EQ(seen[1].id, seen[2].id);
  EXPECT_NE(seen[0].id, seen[3].id);
  EXPECT_EQ(seen[3].id, seen[4].id);
  EXPECT_EQ(seen[0].operation, "PutItem");
  EXPECT_EQ(seen[0].table, "Thread");
  EXPECT_EQ(seen[1].status, 200);
  EXPECT_EQ(seen[1].attempts, 2);
  EXPECT_EQ(seen[1].retries, 1);
  EXPECT_EQ(seen[1].service_id, "SCRIPTED2");
  EXPECT_TRUE(seen[1].error_code.empty());
  EXPECT_GT(seen[1].duration.count(), 0);
  EXPECT_EQ(seen[4].table, "Forum");
  EXPECT_EQ(seen[4].status, 400);
  EXPECT_EQ(seen[4].error_code, "ValidationException");
  EXPECT_EQ(seen[4].retries, 0);
}

// A call that throws still reaches after_call, with status 0, the error code and the attempts.
TEST_F(TransportTest, HooksSeeTransportFailures) {
  std::string code;
  int status = -1;
  int attempts = 0;
  TransportOptions options = recording_options();
  options.hooks.after_call = [&](const CallFinished& f) {
    code = f.error_code;
    status = f.http_status;
    attempts = f.attempts;
  };
  const HttpTransport client(config_for("http://127.0.0.1:" + std::to_string(closed_port())), options);
  EXPECT_THROW((void)send_call(client, "ListTables", "{}"), Error);
  EXPECT_EQ(code, "ConnectionError");
  EXPECT_EQ(status, 0);
  EXPECT_EQ(attempts, 4);
}

// A hook that throws does not fail the call.
TEST_F(TransportTest, ThrowingHookIsIgnored) {
  TransportOptions options = recording_options();
  options.hooks.before_call = [](const CallStarted&) { throw std::runtime_error("broken logger"); };
  options.hooks.log_call = [](const CallFinished&) { throw std::runtime_error("broken logger"); };
  const HttpTransport client(config_for(server.endpoint()), options);
  EXPECT_EQ(send_call(client, "ListTables", "{}").status, 200);
}

// Neither the secret key, the session token nor the Authorization header appears in an
// error message or in anything a hook receives, for success and for failure.
TEST_F(TransportTest, SecretsNeverLeak) {
  std::mutex mutex;
  std::string hook_text;
  TransportOptions options = recording_options();
  options.hooks.before_call = [&](const CallStarted& s) {
    std::lock_guard lock(mutex);
    hook_text.append(s.operation).append(s.table_name).append(s.client_request_id);
  };
  options.hooks.after_call = [&](const CallFinished& f) {
    std::lock_guard lock(mutex);
    hook_text.append(f.operation).append(f.table_name).append(f.client_request_id).append(f.error_code).append(
        f.service_request_id);
  };
  auto settings = fast_settings();
  std::string messages;
  for (const std::string& endpoint : {server.endpoint(), "http://127.0.0.1:" + std::to_string(closed_port())}) {
    const HttpTransport client(config_for(endpoint, settings, /*with_token=*/true), options);
    try {
      (void)send_call(client, "GetItem", "{}", {.table_name = "T"});
    } catch (const Error& error) {
      messages += error.what();
    }
  }
  server.set_fallback({.status = 200, .crc32 = "7"});
  try {
    (void)send_call(HttpTransport(config_for(server.endpoint(), settings, true), options), "GetItem", "{}");
  } catch (const Error& error) {
    messages += error.what();
  }
  EXPECT_NE(messages.find("4 attempts"), std::string::npos) << "both failures should have a message: " << messages;
  for (const std::string& text : {messages, hook_text}) {
    EXPECT_EQ(text.find(test_secret), std::string::npos) << text;
    EXPECT_EQ(text.find(test_session_token), std::string::npos) << text;
    EXPECT_EQ(text.find("AWS4-HMAC-SHA256"), std::string::npos) << text;
    EXPECT_EQ(text.find("Signature="), std::string::npos) << text;
  }
}

// The credentials provider is asked on every attempt, so refreshed keys apply to retries.
TEST_F(TransportTest, CredentialsAreFetchedPerAttempt) {
  std::atomic<int> asked{0};
  TransportConfig config = config_for(server.endpoint());
  config.credentials = [&] {
    ++asked;
    auto credentials = test_credentials();
    credentials.access_key_id = "AKID" + std::to_string(asked.load());
    return std::make_shared<const auth::Credentials>(std::move(credentials));
  };
  server.script({{.status = 500}, {.status = 200}});
  (void)send_call(HttpTransport(config, recording_options()), "GetItem", "{}");
  const auto requests = server.requests();
  ASSERT_EQ(requests.size(), 2U);
  EXPECT_EQ(auth::parse_authorization_header(*requests[0].header("Authorization")).access_key_id, "AKID1");
  EXPECT_EQ(auth::parse_authorization_header(*requests[1].header("Authorization")).access_key_id, "AKID2");
}

// Proxies come from the environment as libcurl reads them: http_proxy routes the call
// through the proxy, and no_proxy naming 127.0.0.1 sends it straight to the server.
TEST_F(TransportTest, EnvironmentProxyIsHonouredAndNoProxyCoversLoopback) {
  ScriptedServer proxy;
  ::setenv("http_proxy", proxy.endpoint().c_str(), 1);
  ::unsetenv("no_proxy");
  ::unsetenv("NO_PROXY");
  {
    const auto client = transport();
    EXPECT_EQ(send_call(client, "ListTables", "{}").status, 200);
  }
  keep_loopback_off_proxies();
  {
    const auto client = transport();
    EXPECT_EQ(send_call(client, "ListTables", "{}").status, 200);
  }
  ::unsetenv("http_proxy");

  const auto through_proxy = proxy.requests();
  ASSERT_EQ(through_proxy.size(), 1U);
  EXPECT_EQ(through_proxy[0].target, server.endpoint() + "/");  // absolute form: a proxy request
  EXPECT_EQ(server.requests().size(), 1U);                     // only the no_proxy call came direct
}

// Bad configuration is refused up front, with InvalidConfiguration.
TEST(TransportConfiguration, RejectsBadEndpointsAndHeaders) {
  const auto code_of = [](TransportConfig config) {
    try {
      HttpTransport transport(std::move(config));
      return std::string("accepted");
    } catch (const Error& error) {
      return error.code();
    }
  };
  EXPECT_EQ(code_of(config_for("ftp://example.com")), "InvalidConfiguration");
  EXPECT_EQ(code_of(config_for("127.0.0.1:8000")), "InvalidConfiguration");
  EXPECT_EQ(code_of(config_for("http://user:pw@127.0.0.1:8000")), "InvalidConfiguration");
  auto settings = fast_settings();
  settings.extra_headers = {{"X-Evil", "a\r\nInjected: yes"}};
  EXPECT_EQ(code_of(config_for("http://127.0.0.1:1", settings)), "InvalidConfiguration");
  settings.extra_headers = {{"Authorization", "x"}};
  EXPECT_EQ(code_of(config_for("http://127.0.0.1:1", settings)), "InvalidConfiguration");
  settings.extra_headers = {};
  settings.max_pool_connections = 0;
  EXPECT_EQ(code_of(config_for("http://127.0.0.1:1", settings)), "InvalidConfiguration");
  auto no_credentials = config_for("http://127.0.0.1:1");
  no_credentials.credentials = {};
  EXPECT_EQ(code_of(no_credentials), "InvalidConfiguration");
  EXPECT_EQ(code_of(config_for("http://127.0.0.1:1")), "accepted");
}

// from_environment resolves endpoint, region and credentials through the auth chains.
TEST(TransportConfiguration, FromEnvironmentUsesTheAuthChains) {
  const auth::MapEnvironment env({{"AWS_ACCESS_KEY_ID", test_access_key},
                                  {"AWS_SECRET_ACCESS_KEY", test_secret},
                                  {"AWS_REGION", "eu-west-1"}},
                                 "/nonexistent-home");
  const auto plain = HttpTransport::from_environment({}, {}, {}, env);
  EXPECT_EQ(plain.region(), "eu-west-1");
  EXPECT_EQ(plain.endpoint(), "https://dynamodb.eu-west-1.amazonaws.com");
  const auto local = HttpTransport::from_environment({.region = "ap-south-1", .endpoint = "http://localhost:8000"},
                                                     {}, {}, env);
  EXPECT_EQ(local.region(), "ap-south-1");
  EXPECT_EQ(local.endpoint(), "http://localhost:8000");
}

}  // namespace
}  // namespace dynamo::http::testing
