// The plain-HTTP channel: which endpoints it serves (the rest go to libcurl), and the
// answers a real server may give that the scripted server never does (chunked bodies,
// Connection: close, an interim 100, an idle connection closed by the server, bytes that are
// not HTTP). The transport tests run over it too, and again over libcurl.
#include "http/plain_connection.hpp"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/error.hpp"
#include "dynamo/http/transport.hpp"
#include "test_environment.hpp"

namespace dynamo::http::testing {
namespace {

using detail::plain_target_for;

// Sets environment variables for one test and restores them after it.
class ScopedEnvironment {
 public:
  void set(const char* name, const char* value) {
    const char* old = std::getenv(name);
    saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
    if (value) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnvironment() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }

 private:
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

class PlainTargetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"http_proxy", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY", "DYNAMO_HTTP_CLIENT"}) {
      environment.set(name, nullptr);
    }
  }
  ScopedEnvironment environment;
};

TEST_F(PlainTargetTest, PlainHttpEndpointsAreServed) {
  auto target = plain_target_for("http://127.0.0.1:8000/");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->host, "127.0.0.1");
  EXPECT_EQ(target->port, "8000");
  EXPECT_EQ(target->host_header, "127.0.0.1:8000");
  EXPECT_EQ(target->path, "/");

  target = plain_target_for("HTTP://db.internal/dynamo?x=1");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->port, "80");
  EXPECT_EQ(target->host_header, "db.internal");  // the default port is left out, as signed
  EXPECT_EQ(target->path, "/dynamo?x=1");

  target = plain_target_for("http://[::1]:8000/");
  ASSERT_TRUE(target);
  EXPECT_EQ(target->host, "::1");
  EXPECT_EQ(target->host_header, "[::1]:8000");
}

TEST_F(PlainTargetTest, HttpsAndOddUrlsAreLeftToLibcurl) {
  EXPECT_FALSE(plain_target_for("https://dynamodb.us-east-1.amazonaws.com/"));
  EXPECT_FALSE(plain_target_for("http://host:80x/"));
  EXPECT_FALSE(plain_target_for("http://[::1/"));
}

TEST_F(PlainTargetTest, ProxiesFromTheEnvironmentAreLeftToLibcurl) {
  environment.set("http_proxy", "http://proxy.internal:3128");
  EXPECT_FALSE(plain_target_for("http://db.example.com:8000/"));
  environment.set("no_proxy", "localhost, .example.com");
  EXPECT_TRUE(plain_target_for("http://db.example.com:8000/"));   // a subdomain of a listed name
  EXPECT_TRUE(plain_target_for("http://example.com:8000/"));      // the name itself
  EXPECT_FALSE(plain_target_for("http://badexample.com:8000/"));  // not a subdomain
  environment.set("no_proxy", "*");
  EXPECT_TRUE(plain_target_for("http://anything:8000/"));

  environment.set("http_proxy", nullptr);
  environment.set("no_proxy", nullptr);
  environment.set("ALL_PROXY", "socks5://proxy.internal:1080");
  EXPECT_FALSE(plain_target_for("http://db.example.com:8000/"));
}

TEST_F(PlainTargetTest, EnvironmentCanAskForLibcurl) {
  environment.set("DYNAMO_HTTP_CLIENT", "libcurl");
  EXPECT_FALSE(plain_target_for("http://127.0.0.1:8000/"));
}

// A server on loopback that answers each connection's requests with canned bytes: the
// answers a scripted server cannot give. `answers` holds, per connection accepted, the
// bytes to write after each request read; after its last answer the server closes that
// connection.
class CannedServer {
 public:
  explicit CannedServer(std::vector<std::vector<std::string>> answers) : answers_(std::move(answers)) {
    const LoopbackListener listener = listen_on_loopback(8);
    EXPECT_GE(listener.socket, 0);
    listener_ = listener.socket;
    port_ = listener.port;
    thread_ = std::thread([this] { serve(); });
  }
  ~CannedServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  [[nodiscard]] std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] int requests() const { return requests_; }

 private:
  void serve() {
    for (const auto& connection_answers : answers_) {
      const int socket = ::accept(listener_, nullptr, nullptr);
      if (socket < 0) return;
      for (const auto& answer : connection_answers) {
        if (!read_http_request(socket)) break;
        ++requests_;
        (void)::send(socket, answer.data(), answer.size(), MSG_NOSIGNAL);
      }
      ::close(socket);
    }
  }

  std::vector<std::vector<std::string>> answers_;
  int listener_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<int> requests_{0};
  std::thread thread_;
};

class PlainConnectionTest : public ::testing::Test {
 protected:
  void SetUp() override { keep_loopback_off_proxies(); }
  static HttpTransport transport(const CannedServer& server, int retries = 0) {
    auto settings = fast_settings();
    settings.max_retry_attempts = retries;
    settings.max_pool_connections = 1;
    return HttpTransport(config_for(server.endpoint(), settings), {.sleep = [](std::chrono::milliseconds) {}});
  }
};

const std::string ok_answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";

TEST_F(PlainConnectionTest, ChunkedBodyIsReassembled) {
  CannedServer server({{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"a\"\r\n4\r\n:\"b\"\r\n1\r\n}\r\n0\r\n\r\n"}});
  const auto response = send_call(transport(server), "GetItem", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"a":"b"})");
}

TEST_F(PlainConnectionTest, BodyEndedByClosingIsComplete) {
  CannedServer server({{"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"Count\":0}"}, {ok_answer}});
  const auto client = transport(server);
  EXPECT_EQ(send_call(client, "Scan", "{}").body, R"({"Count":0})");
  // The server closed that connection; the next call opens another.
  EXPECT_EQ(send_call(client, "Scan", "{}").body, "{}");
  EXPECT_EQ(server.requests(), 2);
}

TEST_F(PlainConnectionTest, InterimContinueIsSkipped) {
  CannedServer server({{"HTTP/1.1 100 Continue\r\n\r\n" + ok_answer}});
  const auto response = send_call(transport(server), "GetItem", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "{}");
}

// A keep-alive connection the server closed while it sat idle is replaced without costing
// the call an attempt (the first connection's only answer is followed by its closing).
TEST_F(PlainConnectionTest, IdleConnectionClosedByTheServerIsReplaced) {
  CannedServer server({{ok_answer}, {ok_answer}});
  const auto client = transport(server);
  EXPECT_EQ(send_call(client, "GetItem", "{}").attempts, 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the close has arrived
  const auto second = send_call(client, "GetItem", "{}");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.attempts, 1);
  EXPECT_EQ(server.requests(), 2);
}

// Bytes that are not HTTP fail the call at once: sending again would not make them HTTP.
TEST_F(PlainConnectionTest, MalformedAnswerIsNotRetried) {
  CannedServer server({{"SMTP ready\r\n\r\n"}, {ok_answer}});
  try {
    (void)send_call(transport(server, /*retries=*/3), "GetItem", "{}");
    FAIL() << "expected ConnectionError";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "ConnectionError");
    EXPECT_NE(std::string(error.what()).find("1 attempt"), std::string::npos) << error.what();
  }
  EXPECT_EQ(server.requests(), 1);
}

// A response cut off by the server is a failed attempt that is retried.
TEST_F(PlainConnectionTest, TruncatedAnswerIsRetried) {
  CannedServer server({{"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n{\"cut"}, {ok_answer}});
  const auto response = send_call(transport(server, /*retries=*/1), "GetItem", "{}");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 2);
}

}  // namespace
}  // namespace dynamo::http::testing
