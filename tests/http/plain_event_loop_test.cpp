// Asynchronous calls to a plain-HTTP endpoint, which run on the transport's event thread:
// what that thread must get right beyond what every call does (the transport's tests run
// through call_async too, under the "async." prefix). All but the backoff test hold for
// the worker pool of libcurl calls as well, and the "libcurl." run checks them there.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>

#include "dynamo/error.hpp"
#include "dynamo/http/transport.hpp"
#include "scripted_server.hpp"
#include "test_environment.hpp"

namespace dynamo::http::testing {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

class AsyncCallTest : public ::testing::Test {
 protected:
  void SetUp() override { keep_loopback_off_proxies(); }

  // Real waiting (no recording sleep), with the backoff at its ceiling.
  static TransportOptions waiting_options() { return {.hooks = {}, .jitter = &jitter_at_ceiling, .sleep = {}}; }

  void wait_for_requests(std::size_t count) const {
    const auto until = Clock::now() + std::chrono::seconds(5);
    while (server.requests().size() < count && Clock::now() < until) std::this_thread::sleep_for(milliseconds(1));
    ASSERT_GE(server.requests().size(), count);
  }

  ScriptedServer server;
};

// A call waiting out its backoff holds no connection: with a pool of one, a call sent
// during that wait is answered first, and the retry then goes on the same connection.
TEST_F(AsyncCallTest, BackoffHoldsNoConnection) {
  server.script({{.status = 503, .body = R"({"__type":"ServiceUnavailable","message":"busy"})"}});
  auto settings = fast_settings();
  settings.max_pool_connections = 1;
  settings.base_backoff_ms = 600;
  const HttpTransport client(config_for(server.endpoint(), settings), waiting_options());

  const auto started = Clock::now();
  auto backing_off = client.call_async("GetItem", "{}");
  wait_for_requests(1);
  auto meanwhile = client.call_async("ListTables", "{}");
  ASSERT_EQ(meanwhile.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(meanwhile.get().status, 200);
  EXPECT_EQ(backing_off.wait_for(milliseconds(0)), std::future_status::timeout);

  const HttpResponse response = backing_off.get();
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 2);
  EXPECT_GE(Clock::now() - started, milliseconds(600));
  EXPECT_EQ(server.connections_accepted(), 1);
}

// An endpoint named by host name is resolved (localhost may name ::1 before 127.0.0.1,
// where the server listens: the next address is tried).
TEST_F(AsyncCallTest, HostNameEndpointIsResolved) {
  const HttpTransport client(config_for("http://localhost:" + std::to_string(server.port())), waiting_options());
  EXPECT_EQ(client.call_async("ListTables", "{}").get().status, 200);
  EXPECT_EQ(server.requests().size(), 1U);
}

// A name that does not resolve is a connection error naming the host.
TEST_F(AsyncCallTest, UnresolvableHostIsAConnectionError) {
  auto settings = fast_settings();
  settings.max_retry_attempts = 0;
  const HttpTransport client(config_for("http://no-such-host.invalid:8000", settings), waiting_options());
  try {
    (void)client.call_async("ListTables", "{}").get();
    FAIL() << "the call succeeded";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "ConnectionError");
    EXPECT_NE(std::string(error.what()).find("no-such-host.invalid"), std::string::npos) << error.what();
  }
}

// A completion handler that throws loses only its own exception: later calls complete.
TEST_F(AsyncCallTest, ThrowingHandlerDoesNotStopOtherCalls) {
  const HttpTransport client(config_for(server.endpoint()), waiting_options());
  std::promise<void> thrown;
  client.call_async("ListTables", "{}", {}, [&](std::exception_ptr, HttpResponse) {
    thrown.set_value();
    throw std::runtime_error("from the handler");
  });
  thrown.get_future().wait();
  EXPECT_EQ(client.call_async("ListTables", "{}").get().status, 200);
}

// A handler may start another call of the same transport; its outcome arrives too.
TEST_F(AsyncCallTest, HandlerMayStartAnotherCall) {
  const HttpTransport client(config_for(server.endpoint()), waiting_options());
  std::promise<int> second;
  client.call_async("ListTables", "{}", {}, [&](std::exception_ptr, HttpResponse) {
    client.call_async("GetItem", "{}", {}, [&](std::exception_ptr error, HttpResponse response) {
      second.set_value(error ? -1 : response.status);
    });
  });
  auto outcome = second.get_future();
  ASSERT_EQ(outcome.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_EQ(outcome.get(), 200);
}

// Destroying the transport while calls wait out a backoff still completes them.
TEST_F(AsyncCallTest, DestructionWaitsForCallsInBackoff) {
  server.script({{.status = 500, .body = R"({"__type":"InternalServerError","message":"oops"})"},
                 {.status = 500, .body = R"({"__type":"InternalServerError","message":"oops"})"}});
  auto settings = fast_settings();
  settings.base_backoff_ms = 50;
  std::vector<std::future<HttpResponse>> calls;
  {
    const HttpTransport client(config_for(server.endpoint(), settings), waiting_options());
    for (int i = 0; i < 4; ++i) calls.push_back(client.call_async("GetItem", "{}"));
  }
  for (auto& call : calls) {
    ASSERT_EQ(call.wait_for(milliseconds(0)), std::future_status::ready);
    EXPECT_EQ(call.get().status, 200);
  }
}

// A server that gives up an idle keep-alive connection with a 408 before closing it: the
// next call must not take that 408 for its answer, and goes on a new connection.
TEST(AsyncCallIdle, AnswerOnAnIdleConnectionIsNotTakenForTheNext) {
  keep_loopback_off_proxies();
  const LoopbackListener loopback = listen_on_loopback(4);
  ASSERT_GE(loopback.socket, 0);
  const int listener = loopback.socket;
  const std::string ok = "HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n{\"n\":12}";
  const std::string timeout = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
  std::promise<void> gave_up;
  std::thread server([&] {
    const int first = ::accept(listener, nullptr, nullptr);
    if (read_http_request(first)) (void)::send(first, ok.data(), ok.size(), MSG_NOSIGNAL);
    std::this_thread::sleep_for(milliseconds(20));
    (void)::send(first, timeout.data(), timeout.size(), MSG_NOSIGNAL);
    ::close(first);
    gave_up.set_value();
    const int second = ::accept(listener, nullptr, nullptr);
    if (second >= 0 && read_http_request(second)) (void)::send(second, ok.data(), ok.size(), MSG_NOSIGNAL);
    ::close(second);
  });
  {
    auto settings = fast_settings();
    settings.max_retry_attempts = 0;
    settings.max_pool_connections = 1;
    const HttpTransport client(config_for("http://127.0.0.1:" + std::to_string(loopback.port), settings));
    EXPECT_EQ(send_call(client, "GetItem", "{}").status, 200);
    gave_up.get_future().wait();
    std::this_thread::sleep_for(milliseconds(20));  // the 408 and the close have arrived
    const HttpResponse second = send_call(client, "GetItem", "{}");
    EXPECT_EQ(second.status, 200);
    EXPECT_EQ(second.attempts, 1);
  }
  ::shutdown(listener, SHUT_RDWR);  // ends a wait for a connection that never came
  server.join();
  ::close(listener);
}

}  // namespace
}  // namespace dynamo::http::testing
