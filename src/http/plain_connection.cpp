#include "http/plain_connection.hpp"

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <utility>

#include "auth/url.hpp"
#include "detail/ascii.hpp"
#include "http/response_reader.hpp"

namespace dynamo::http::detail {
namespace {

using Clock = std::chrono::steady_clock;

constexpr std::size_t read_size = 64 * 1024;

std::string_view environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string_view() : std::string_view(value);
}

// no_proxy as libcurl reads it: a comma-separated list of host names, each matching itself
// and its subdomains (a leading dot changes nothing); "*" matches every host.
bool no_proxy_covers(std::string_view host, std::string_view list) {
  while (!list.empty()) {
    const auto comma = list.find(',');
    std::string_view entry = trim_header_text(list.substr(0, comma));
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
    if (entry == "*") return true;
    if (entry.starts_with('.')) entry.remove_prefix(1);
    if (entry.empty() || host.size() < entry.size()) continue;
    const std::string_view tail = host.substr(host.size() - entry.size());
    if (dynamo::detail::equals_ignoring_ascii_case(tail, entry) &&
        (host.size() == entry.size() || host[host.size() - entry.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

// Waits until `socket` is ready for `events` or `until` passes: 1 ready, 0 timed out, -1 failed.
int wait_for(int socket, short events, Clock::time_point until) {
  for (;;) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now()).count();
    if (left <= 0) return 0;
    pollfd entry{.fd = socket, .events = events, .revents = 0};
    const int ready = ::poll(&entry, 1, static_cast<int>(std::min<long long>(left, INT_MAX)));
    if (ready > 0) return 1;
    if (ready < 0 && errno != EINTR) return -1;
  }
}

std::string system_error_text(int error) { return std::strerror(error); }

// Whether an idle keep-alive connection can no longer carry a request: the server closed it
// (or wrote to it, e.g. a 408 before closing).
bool idle_connection_unusable(int socket) noexcept {
  char byte = 0;
  const ssize_t peeked = ::recv(socket, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return !(peeked < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

// Connects to the first of the target's addresses that answers before `until`. Returns the
// socket (non-blocking, no Nagle delay, TCP keep-alive probes on), or -1 and why not.
int connect_to(const PlainTarget& target, Clock::time_point until, long timeout_ms, std::string& failure) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (const int code = ::getaddrinfo(target.host.c_str(), target.port.c_str(), &hints, &found); code != 0) {
    failure = resolve_failure_text(target, ::gai_strerror(code));
    return -1;
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  failure = connect_failure_text(target, {});
  for (const addrinfo* address = found; address != nullptr; address = address->ai_next) {
    const int socket = ::socket(address->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_TCP);
    if (socket < 0) continue;
    int error = 0;
    if (::connect(socket, address->ai_addr, address->ai_addrlen) != 0) {
      error = errno;
      if (error == EINPROGRESS) {
        const int ready = wait_for(socket, POLLOUT, until);
        socklen_t length = sizeof error;
        if (ready == 0) {
          ::close(socket);
          failure = connect_timeout_text(target, timeout_ms);
          return -1;
        }
        if (ready < 0 || ::getsockopt(socket, SOL_SOCKET, SO_ERROR, &error, &length) != 0) error = errno;
      }
    }
    if (error == 0) {
      tune_connected_socket(socket);
      return socket;
    }
    failure = connect_failure_text(target, system_error_text(error));
    ::close(socket);
  }
  return -1;
}

}  // namespace

void write_request_head(std::string& head, const PlainTarget& target, const auth::Headers& headers,
                        std::size_t body_size) {
  // The signer adds the Host header it signed; one the caller set wins over the target's.
  bool has_host = false;
  head.assign("POST ").append(target.path).append(" HTTP/1.1\r\nUser-Agent: ").append(user_agent()).append("\r\n");
  for (const auto& header : headers) {
    has_host = has_host || dynamo::detail::equals_ignoring_ascii_case(header.name, "Host");
    head.append(header.name).append(": ").append(header.value).append("\r\n");
  }
  if (!has_host) head.append("Host: ").append(target.host_header).append("\r\n");
  head.append("Content-Length: ").append(std::to_string(body_size)).append("\r\n\r\n");
}

ssize_t send_rest(int socket, std::string_view head, std::string_view body, std::size_t sent) noexcept {
  iovec parts[2];
  std::size_t count = 0;
  if (sent < head.size()) {
    parts[count++] = {.iov_base = const_cast<char*>(head.data() + sent), .iov_len = head.size() - sent};
    if (!body.empty()) parts[count++] = {.iov_base = const_cast<char*>(body.data()), .iov_len = body.size()};
  } else {
    const std::size_t offset = sent - head.size();
    parts[count++] = {.iov_base = const_cast<char*>(body.data() + offset), .iov_len = body.size() - offset};
  }
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = count;
  return ::sendmsg(socket, &message, MSG_NOSIGNAL);
}

void tune_connected_socket(int socket) noexcept {
  const int on = 1;
  (void)::setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  (void)::setsockopt(socket, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
}

std::string resolve_failure_text(const PlainTarget& target, std::string_view reason) {
  return "Could not resolve host: " + target.host + " (" + std::string(reason) + ")";
}

std::string connect_timeout_text(const PlainTarget& target, long timeout_ms) {
  return "Timeout was reached (could not connect to " + target.host + " port " + target.port + " within " +
         std::to_string(timeout_ms) + " ms)";
}

std::string connect_failure_text(const PlainTarget& target, std::string_view reason) {
  std::string text = "Failed to connect to " + target.host + " port " + target.port;
  if (!reason.empty()) text.append(": ").append(reason);
  return text;
}

std::optional<PlainTarget> plain_target_for(const std::string& url) {
  if (environment("DYNAMO_HTTP_CLIENT") == "libcurl") return std::nullopt;
  auth::detail::UrlParts parts;
  if (!auth::detail::split_url(url, parts) || !dynamo::detail::equals_ignoring_ascii_case(parts.scheme, "http")) {
    return std::nullopt;
  }
  PlainTarget target;
  std::string_view authority = parts.authority;
  std::string_view port;
  if (authority.starts_with('[')) {  // an IPv6 literal: [::1]:8000
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    target.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return std::nullopt;
      port = authority.substr(close + 2);
    }
  } else {
    const auto colon = authority.find(':');
    target.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (target.host.empty() || port.size() > 5 ||
      !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return std::nullopt;  // libcurl reports what is wrong with it
  }
  target.port = port.empty() ? "80" : std::string(port);

  std::string_view proxy = environment("http_proxy");
  if (proxy.empty()) proxy = environment("all_proxy");
  if (proxy.empty()) proxy = environment("ALL_PROXY");
  if (!proxy.empty()) {
    std::string_view exceptions = environment("no_proxy");
    if (exceptions.empty()) exceptions = environment("NO_PROXY");
    if (!no_proxy_covers(target.host, exceptions)) return std::nullopt;
  }
  target.host_header = auth::detail::host_header_for(parts.scheme, parts.authority);
  target.path = parts.path.empty() ? "/" : std::string(parts.path);
  if (!parts.query.empty()) target.path.append("?").append(parts.query);
  return target;
}

PlainConnection::PlainConnection(std::shared_ptr<const PlainTarget> target, const ChannelConfig& config)
    : target_(std::move(target)),
      connect_timeout_ms_(config.connect_timeout_ms),
      read_timeout_ms_(config.read_timeout_ms),
      read_buffer_(std::make_unique<char[]>(read_size)) {}

PlainConnection::~PlainConnection() { close(); }

void PlainConnection::close() noexcept {
  if (socket_ >= 0) ::close(socket_);
  socket_ = -1;
}

// One request and its response on the open socket.
struct PlainConnection::Exchange {
  enum class Outcome {
    answered,        // a complete response is in the result
    closed_unused,   // the connection failed before any byte of an answer came back
    failed,          // the attempt failed (the result says why)
  };
  PlainConnection& connection;
  AttemptResult& result;
  const long read_ms;
  const Clock::time_point cap;
  Clock::time_point last_activity = Clock::now();

  // The time the current wait may last: the read timeout from the last byte moved, or the
  // attempt's cap when that comes first.
  [[nodiscard]] Clock::time_point wait_until() const {
    return std::min(last_activity + std::chrono::milliseconds(read_ms), cap);
  }
  Outcome fail(std::string text, bool retryable, Outcome outcome = Outcome::failed) {
    result.failed = true;
    result.failure_retryable = retryable;
    result.failure_text = std::move(text);
    return outcome;
  }
  Outcome timed_out() {
    if (Clock::now() >= cap && cap < last_activity + std::chrono::milliseconds(read_ms)) {
      return fail("Timeout was reached (the attempt's time limit, set by the call's deadline)", true);
    }
    return fail(read_timeout_text(read_ms), true);
  }

  Outcome send(std::string_view head, std::string_view body) {
    std::size_t sent = 0;
    const std::size_t total = head.size() + body.size();
    while (sent < total) {
      const ssize_t written = send_rest(connection.socket_, head, body, sent);
      if (written > 0) {
        sent += static_cast<std::size_t>(written);
        last_activity = Clock::now();
        continue;
      }
      if (written < 0 && errno == EINTR) continue;
      if (written < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        const int ready = wait_for(connection.socket_, POLLOUT, wait_until());
        if (ready > 0) continue;
        if (ready == 0) return timed_out();
      }
      return fail("Send failure: " + system_error_text(errno), true, Outcome::closed_unused);
    }
    return Outcome::answered;
  }

  Outcome receive() {
    ResponseReader reader;
    for (;;) {
      const ssize_t got = ::recv(connection.socket_, connection.read_buffer_.get(), read_size, 0);
      if (got > 0) {
        last_activity = Clock::now();
        const auto state = reader.add(std::string_view(connection.read_buffer_.get(), static_cast<std::size_t>(got)));
        if (state == ResponseReader::State::malformed) return fail("Weird server reply (" + reader.error() + ")", false);
        if (state == ResponseReader::State::complete) break;
        continue;
      }
      if (got == 0) {  // the server closed the connection
        if (!reader.started()) return fail("Empty reply from server", true, Outcome::closed_unused);
        if (!reader.end_of_stream()) return fail("Connection closed before the whole response arrived", true);
        break;
      }
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        const int ready = wait_for(connection.socket_, POLLIN, wait_until());
        if (ready > 0) continue;
        if (ready == 0) return timed_out();
      }
      return fail("Recv failure: " + system_error_text(errno), true,
                  reader.started() ? Outcome::failed : Outcome::closed_unused);
    }
    reader.take(result);
    if (!reader.reusable()) connection.close();
    return Outcome::answered;
  }
};

AttemptResult PlainConnection::post(const auth::Headers& headers, std::string_view body, const AttemptLimits& limits) {
  const long connect_ms = limits.connect_timeout_ms > 0 ? limits.connect_timeout_ms : connect_timeout_ms_;
  const long read_ms = limits.read_timeout_ms > 0 ? limits.read_timeout_ms : read_timeout_ms_;
  const auto started = Clock::now();
  const auto cap = limits.timeout_cap_ms > 0 ? started + std::chrono::milliseconds(limits.timeout_cap_ms)
                                             : Clock::time_point::max();

  write_request_head(request_, *target_, headers, body.size());

  AttemptResult result;
  for (bool sent_again = false;;) {
    bool reused = socket_ >= 0;
    if (reused) {
      // An idle connection the server has closed (or written to: a 408 before closing)
      // reads as ready; it cannot carry this request.
      if (idle_connection_unusable(socket_)) {
        close();
        reused = false;
      }
    }
    if (socket_ < 0) {
      std::string failure;
      socket_ = connect_to(*target_, std::min(Clock::now() + std::chrono::milliseconds(connect_ms), cap), connect_ms,
                           failure);
      if (socket_ < 0) {
        result.failed = true;
        result.failure_retryable = true;
        result.failure_text = std::move(failure);
        return result;
      }
    }
    Exchange exchange{.connection = *this, .result = result, .read_ms = read_ms, .cap = cap};
    Exchange::Outcome outcome = exchange.send(request_, body);
    if (outcome == Exchange::Outcome::answered) outcome = exchange.receive();
    if (outcome == Exchange::Outcome::answered) return result;
    close();
    // As libcurl does: a reused connection that the server closed before answering may
    // simply have timed out while idle; the request goes once more on a new connection.
    if (outcome == Exchange::Outcome::closed_unused && reused && !sent_again) {
      sent_again = true;
      result = {};
      continue;
    }
    return result;
  }
}

}  // namespace dynamo::http::detail
