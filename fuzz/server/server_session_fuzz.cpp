// libFuzzer target for dynamo-server's HTTP sessions at the socket: the real Server (Beast's
// parser, the header, body and read-buffer limits, keep-alive and pipelining, 100-continue,
// the refusal of chunked bodies, the Host check of a loopback server without credentials)
// runs once per process on a loopback port with small limits; each input is written to a
// fresh TCP connection, which is then half-closed, and everything the server answers is read
// until it closes the connection.
//
// Input: the bytes to send. An input whose first byte is 0x01..0x03 is instead that many
// big-endian 16-bit offsets followed by the bytes, written in pieces cut at those offsets
// (the server may then read a request in parts; whether it does depends on scheduling).
//
// For every input:
//  * the server answers and closes within 5 s (no hang), and the process does not crash;
//  * what it sends is a sequence of complete HTTP/1.x responses: a status line with a status
//    in 100..599, header lines, an empty line; "100 Continue" interim answers carry no body,
//    every other response has one Content-Length and exactly that many body bytes, an
//    x-amzn-RequestId and an x-amz-crc32 matching its body; nothing follows a response
//    marked "Connection: close", and nothing incomplete follows the last response;
//  * once both sides have closed, the server holds no connection and no body bytes in flight;
//  * a health check (GET /) on a new connection is then answered 200.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "detail/ascii.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/log.hpp"
#include "dynamo/server/server.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto answer_limit = std::chrono::seconds(5);

[[noreturn]] void fail(const char* why, std::string_view detail = {}) {
  std::fprintf(stderr, "server_session_fuzz: %s\n%.*s\n", why, static_cast<int>(detail.size()), detail.data());
  std::abort();
}

dynamo::server::Server* server = nullptr;

// Small limits, so that short inputs reach them: a 1 KiB header, a 2 KiB body.
void start_server() {
  static dynamo::server::Server instance(dynamo::server::ServerOptions{
      .address = "127.0.0.1",
      .port = 0,
      .threads = 1,
      .max_body_bytes = 2048,
      .max_connections = 64,
      .idle_timeout = std::chrono::seconds(10),
      .header_timeout = std::chrono::seconds(10),
      .max_header_bytes = 1024,
      .max_read_buffer_bytes = 4096,
      .max_body_bytes_in_flight = 4096,
      .allowed_hosts = {"dynamo.example"},
      .engine = {.ttl_sweep_interval = std::chrono::milliseconds(0)},
      .shared_db = true,
  });
  instance.start();
  if (!instance.checks_host()) fail("the Host check is off on a loopback server without credentials");
  server = &instance;
}

int connect_to_server() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) fail("socket() failed");
  const int one = 1;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(server->port());
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) fail("connect() failed");
  return fd;
}

void send_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t sent = ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (sent < 0 && errno == EINTR) continue;
    if (sent <= 0) return;  // the server closed early (it answered already): the reading checks the rest
    bytes.remove_prefix(static_cast<std::size_t>(sent));
  }
}

// Everything the server sends until it closes the connection (or resets it).
std::string read_all(int fd) {
  std::string received;
  const auto deadline = Clock::now() + answer_limit;
  char chunk[16384];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) fail("the server neither answered nor closed within 5 s", received);
    pollfd waiting{.fd = fd, .events = POLLIN, .revents = 0};
    const int ready = ::poll(&waiting, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;
    const ssize_t got = ::recv(fd, chunk, sizeof chunk, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return received;
    received.append(chunk, static_cast<std::size_t>(got));
  }
}

struct Answer {
  int status = 0;
  std::string body;
};

// Checks that `stream` is a sequence of complete responses (see the top of the file) and
// returns their statuses and bodies, interim ones included.
std::vector<Answer> check_responses(std::string_view stream) {
  const std::string_view whole = stream;
  std::vector<Answer> answers;
  bool closed = false;
  while (!stream.empty()) {
    if (closed) fail("bytes after a response marked Connection: close", whole);
    const std::size_t head_end = stream.find("\r\n\r\n");
    if (head_end == std::string_view::npos) fail("an incomplete response header", whole);
    std::string_view head = stream.substr(0, head_end + 2);
    stream.remove_prefix(head_end + 4);
    const std::size_t line_end = head.find("\r\n");
    const std::string_view status_line = head.substr(0, line_end);
    head.remove_prefix(line_end + 2);
    if (status_line.size() < 13 || !(status_line.starts_with("HTTP/1.1 ") || status_line.starts_with("HTTP/1.0 ")) ||
        status_line[12] != ' ') {
      fail("a malformed status line", whole);
    }
    Answer answer;
    for (std::size_t i = 9; i < 12; ++i) {
      if (status_line[i] < '0' || status_line[i] > '9') fail("a status that is not three digits", whole);
      answer.status = answer.status * 10 + (status_line[i] - '0');
    }
    if (answer.status < 100 || answer.status > 599) fail("a status outside 100..599", whole);
    std::string_view length_text;
    int lengths = 0;
    std::string_view request_id;
    std::string_view crc;
    while (!head.empty()) {
      const std::size_t end = head.find("\r\n");
      const std::string_view line = head.substr(0, end);
      head.remove_prefix(end + 2);
      const std::size_t colon = line.find(": ");
      if (colon == std::string_view::npos || colon == 0) fail("a header line without 'name: value'", whole);
      const std::string_view name = line.substr(0, colon);
      const std::string_view value = line.substr(colon + 2);
      for (char c : line) {
        if (c == '\r' || c == '\n' || c == '\0') fail("a control character in a header line", whole);
      }
      if (dynamo::detail::equals_ignoring_ascii_case(name, "Content-Length")) {
        ++lengths;
        length_text = value;
      } else if (dynamo::detail::equals_ignoring_ascii_case(name, "Connection")) {
        if (dynamo::detail::equals_ignoring_ascii_case(value, "close")) closed = true;
      } else if (dynamo::detail::equals_ignoring_ascii_case(name, "x-amzn-RequestId")) {
        request_id = value;
      } else if (dynamo::detail::equals_ignoring_ascii_case(name, "x-amz-crc32")) {
        crc = value;
      }
    }
    if (answer.status < 200) {
      if (answer.status != 100 || lengths != 0) fail("an interim answer other than a bare 100 Continue", whole);
      answers.push_back(answer);
      continue;
    }
    if (lengths != 1 || length_text.empty() || length_text.size() > 7) fail("not exactly one Content-Length", whole);
    std::size_t length = 0;
    for (char c : length_text) {
      if (c < '0' || c > '9') fail("a Content-Length that is not a number", whole);
      length = length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (stream.size() < length) fail("a body shorter than its Content-Length", whole);
    answer.body = std::string(stream.substr(0, length));
    stream.remove_prefix(length);
    if (request_id.size() != 52) fail("no 52-character x-amzn-RequestId", whole);
    if (!dynamo::auth::crc32_matches(answer.body, std::string(crc))) fail("an x-amz-crc32 that does not match", whole);
    answers.push_back(std::move(answer));
  }
  return answers;
}

// Waits (without sleeping: the serving thread needs only to run) until the server has
// closed every connection and holds no body bytes.
void wait_until_idle(std::string_view input) {
  const auto deadline = Clock::now() + answer_limit;
  while (server->open_connections() != 0 || server->counters().body_bytes_in_flight != 0) {
    if (Clock::now() > deadline) fail("a connection or its body bytes still held 5 s after both sides closed", input);
    std::this_thread::yield();
  }
}

// One exchange on a fresh connection: `pieces` written in turn, then a half-close; returns
// what the server sent.
std::string exchange(const std::vector<std::string_view>& pieces) {
  const int fd = connect_to_server();
  for (const std::string_view piece : pieces) send_all(fd, piece);
  (void)::shutdown(fd, SHUT_WR);
  std::string received = read_all(fd);
  ::close(fd);
  return received;
}

// The engine is shared by every input: tables a request created are dropped after it, so
// that inputs do not pile up state.
void drop_tables() {
  dynamo::engine::Engine& engine = server->engine();
  for (const std::string& name : engine.list_tables({}).table_names.value_or(std::vector<std::string>{})) {
    try {
      (void)engine.delete_table({.table_name = name});
    } catch (const dynamo::Error&) {
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  dynamo::set_log_level(dynamo::LogLevel::off);  // refusals are logged as warnings
  start_server();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> pieces;
  if (!input.empty() && input.front() >= 1 && input.front() <= 3) {
    const auto cuts = static_cast<std::size_t>(input.front());
    if (input.size() < 1 + 2 * cuts) return -1;  // not worth keeping
    std::vector<std::size_t> offsets;
    for (std::size_t i = 0; i < cuts; ++i) {
      offsets.push_back(static_cast<std::size_t>(static_cast<unsigned char>(input[1 + 2 * i])) << 8 |
                        static_cast<unsigned char>(input[2 + 2 * i]));
    }
    input.remove_prefix(1 + 2 * cuts);
    std::size_t from = 0;
    for (std::size_t offset : offsets) {
      offset = std::min(offset, input.size());
      if (offset <= from) continue;
      pieces.push_back(input.substr(from, offset - from));
      from = offset;
    }
    pieces.push_back(input.substr(from));
  } else {
    pieces.push_back(input);
  }

  (void)check_responses(exchange(pieces));
  wait_until_idle(input);
  drop_tables();

  const std::vector<Answer> health =
      check_responses(exchange({"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"}));
  if (health.size() != 1 || health.front().status != 200) fail("the health check after the input was not answered 200", input);
  wait_until_idle(input);
  return 0;
}
