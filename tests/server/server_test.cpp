// Server with real sockets on a free loopback port: keep-alive, parallel connections,
// malformed HTTP, oversized bodies and a graceful stop.
#include "dynamo/server/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "dynamo/auth/retry_policy.hpp"

namespace dynamo::server {
namespace {

struct RawResponse {
  int status = 0;
  std::string head;  // status line and headers
  std::string body;

  [[nodiscard]] std::string header(std::string_view name) const {
    std::string lower_head;
    for (char c : head) lower_head.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    std::string key = "\r\n";
    for (char c : name) key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    key += ": ";
    const auto at = lower_head.find(key);
    if (at == std::string::npos) return {};
    const auto start = at + key.size();
    return head.substr(start, head.find("\r\n", start) - start);
  }
};

// A blocking HTTP/1.1 client on one TCP connection, enough to see what goes on the wire.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
      throw std::runtime_error("connect failed");
    }
    timeval timeout{.tv_sec = 10, .tv_usec = 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send(std::string_view bytes) const {
    while (!bytes.empty()) {
      const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) throw std::runtime_error("send failed");
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }

  // Reads one response; status 0 when the connection closed first.
  RawResponse receive() {
    RawResponse response;
    std::size_t header_end;
    while ((header_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return response;
    }
    response.head = pending_.substr(0, header_end + 2);
    pending_.erase(0, header_end + 4);
    response.status = std::stoi(response.head.substr(9, 3));
    const std::size_t length = std::stoul(response.header("Content-Length").empty() ? "0" : response.header("Content-Length"));
    while (pending_.size() < length) {
      if (!fill()) return RawResponse{};
    }
    response.body = pending_.substr(0, length);
    pending_.erase(0, length);
    return response;
  }

  // True when the server closed the connection (EOF or reset) within the receive timeout.
  bool closed_by_peer() {
    char byte;
    return ::recv(fd_, &byte, 1, 0) <= 0;
  }

 private:
  bool fill() {
    char buffer[65536];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return false;
    pending_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  int fd_;
  std::string pending_;
};

std::string post(std::string_view operation, std::string_view body, std::string_view extra_headers = {}) {
  return "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-amz-json-1.0\r\n"
         "X-Amz-Target: DynamoDB_20120810." +
         std::string(operation) +
         "\r\nX-Amz-Date: 20240101T000000Z\r\n"
         "Authorization: AWS4-HMAC-SHA256 Credential=k/20240101/us-east-1/dynamodb/aws4_request, "
         "SignedHeaders=host;x-amz-date, Signature=00\r\n" +
         std::string(extra_headers) + "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + std::string(body);
}

ServerOptions test_options() {
  ServerOptions options;
  options.port = 0;
  options.threads = 2;
  options.engine.ttl_sweep_interval = std::chrono::milliseconds(0);
  return options;
}

// Several requests on one connection, answered in order, with the protocol headers.
TEST(ServerTest, KeepAliveServesManyRequestsOnOneConnection) {
  Server server(test_options());
  server.start();
  ASSERT_NE(server.port(), 0);
  RawConnection connection(server.port());
  connection.send(post("CreateTable", R"({"TableName":"Thread","BillingMode":"PAY_PER_REQUEST",
      "AttributeDefinitions":[{"AttributeName":"forum","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"forum","KeyType":"HASH"}]})"));
  EXPECT_EQ(connection.receive().status, 200);
  for (int i = 0; i < 50; ++i) {
    connection.send(post("PutItem", R"({"TableName":"Thread","Item":{"forum":{"S":"f)" + std::to_string(i) + R"("}}})"));
    const RawResponse r = connection.receive();
    ASSERT_EQ(r.status, 200) << r.body;
  }
  // Two requests written back to back (pipelined) still get two answers, in order.
  connection.send(post("ListTables", "{}") + post("DescribeTable", R"({"TableName":"missing"})"));
  const RawResponse listed = connection.receive();
  const RawResponse missing = connection.receive();
  EXPECT_EQ(listed.status, 200);
  EXPECT_EQ(listed.body, R"({"TableNames":["Thread"]})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("ResourceNotFoundException"), std::string::npos);
  EXPECT_EQ(listed.header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(listed.header("x-amzn-RequestId").size(), 52U);
  EXPECT_TRUE(auth::crc32_matches(missing.body, missing.header("x-amz-crc32")));
  EXPECT_EQ(server.open_connections(), 1U);
}

// The status line and Connection header follow the request's HTTP version: HTTP/1.1 keeps
// the connection unless the client says close; HTTP/1.0 closes unless it says keep-alive.
TEST(ServerTest, ConnectionHeaderFollowsHttpVersion) {
  Server server(test_options());
  server.start();
  {
    RawConnection connection(server.port());
    connection.send(post("ListTables", "{}"));
    const RawResponse kept = connection.receive();
    EXPECT_EQ(kept.head.substr(0, 15), "HTTP/1.1 200 OK");
    EXPECT_EQ(kept.header("Connection"), "");
    EXPECT_EQ(kept.header("Content-Length"), std::to_string(kept.body.size()));
    connection.send(post("ListTables", "{}", "Connection: close\r\n"));
    const RawResponse closing = connection.receive();
    EXPECT_EQ(closing.status, 200);
    EXPECT_EQ(closing.header("Connection"), "close");
    EXPECT_TRUE(connection.closed_by_peer());
  }
  {
    std::string request = post("ListTables", "{}", "Connection: keep-alive\r\n");
    request.replace(request.find("HTTP/1.1"), 8, "HTTP/1.0");
    RawConnection connection(server.port());
    connection.send(request);
    const RawResponse kept = connection.receive();
    EXPECT_EQ(kept.head.substr(0, 15), "HTTP/1.0 200 OK");
    EXPECT_EQ(kept.header("Connection"), "keep-alive");
    std::string plain = post("ListTables", "{}");
    plain.replace(plain.find("HTTP/1.1"), 8, "HTTP/1.0");
    connection.send(plain);
    const RawResponse closing = connection.receive();
    EXPECT_EQ(closing.status, 200);
    EXPECT_EQ(closing.header("Connection"), "");
    EXPECT_TRUE(connection.closed_by_peer());
  }
  {
    // An error status gets its reason phrase.
    RawConnection connection(server.port());
    connection.send(post("DescribeTable", R"({"TableName":"missing"})"));
    EXPECT_EQ(connection.receive().head.substr(0, 24), "HTTP/1.1 400 Bad Request");
  }
}

// Connections are served in parallel: many clients at once all get their answers.
TEST(ServerTest, ParallelConnections) {
  Server server(test_options());
  server.start();
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int c = 0; c < 16; ++c) {
    clients.emplace_back([&] {
      RawConnection connection(server.port());
      for (int i = 0; i < 20; ++i) {
        connection.send(post("ListTables", "{}"));
        if (connection.receive().status == 200) ++ok;
      }
    });
  }
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok, 16 * 20);
}

// Garbage that is not HTTP gets a 400 answer before the connection closes, not a reset.
TEST(ServerTest, MalformedHttpIsAnsweredThenClosed) {
  Server server(test_options());
  server.start();
  RawConnection connection(server.port());
  connection.send("THIS IS NOT HTTP\r\n\r\n");
  const RawResponse r = connection.receive();
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("SerializationException"), std::string::npos);
  EXPECT_TRUE(connection.closed_by_peer());
}

// A Content-Length over the limit is refused with 413 before the body is read.
TEST(ServerTest, OversizedBodyGets413) {
  ServerOptions options = test_options();
  options.max_body_bytes = 1024;
  Server server(options);
  server.start();
  RawConnection connection(server.port());
  connection.send(post("PutItem", std::string(4096, 'x')));
  const RawResponse r = connection.receive();
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("RequestEntityTooLarge"), std::string::npos);
  EXPECT_TRUE(auth::crc32_matches(r.body, r.header("x-amz-crc32")));
}

// Expect: 100-continue gets its interim answer, then the real one.
TEST(ServerTest, ExpectContinue) {
  Server server(test_options());
  server.start();
  RawConnection connection(server.port());
  const std::string request = post("ListTables", "{}", "Expect: 100-continue\r\n");
  connection.send(request.substr(0, request.size() - 2));  // headers only
  const RawResponse interim = connection.receive();
  EXPECT_EQ(interim.status, 100);
  connection.send("{}");
  EXPECT_EQ(connection.receive().status, 200);
}

// stop() closes idle keep-alive connections promptly and returns; start() twice throws.
TEST(ServerTest, StopClosesIdleConnections) {
  Server server(test_options());
  server.start();
  EXPECT_THROW(server.start(), std::logic_error);
  RawConnection connection(server.port());
  connection.send(post("ListTables", "{}"));
  ASSERT_EQ(connection.receive().status, 200);
  const auto before = std::chrono::steady_clock::now();
  server.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - before, std::chrono::seconds(2));
  EXPECT_TRUE(connection.closed_by_peer());
  EXPECT_EQ(server.open_connections(), 0U);
  server.stop();  // idempotent
}

// With max_connections reached, a further client waits until a slot frees up.
TEST(ServerTest, BoundedConnections) {
  ServerOptions options = test_options();
  options.max_connections = 2;
  Server server(options);
  server.start();
  auto first = std::make_unique<RawConnection>(server.port());
  RawConnection second(server.port());
  first->send(post("ListTables", "{}"));
  ASSERT_EQ(first->receive().status, 200);
  second.send(post("ListTables", "{}"));
  ASSERT_EQ(second.receive().status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(server.open_connections(), 2U);
  RawConnection third(server.port());  // completes in the kernel's backlog
  third.send(post("ListTables", "{}"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(server.open_connections(), 2U);
  first.reset();  // frees a slot: the third is accepted and answered
  EXPECT_EQ(third.receive().status, 200);
}

}  // namespace
}  // namespace dynamo::server
