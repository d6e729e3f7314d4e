#include "scripted_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "dynamo/auth/retry_policy.hpp"

namespace dynamo::http::testing {
namespace {

constexpr int poll_interval_ms = 20;

bool same_name(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

const char* reason_for(int status) {
  switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
  }
}

bool send_all(int socket, std::string_view data) {
  while (!data.empty()) {
    const ssize_t sent = ::send(socket, data.data(), data.size(), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(sent));
  }
  return true;
}

}  // namespace

const std::string* ReceivedRequest::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (same_name(h.name, name)) return &h.value;
  }
  return nullptr;
}

ScriptedServer::ScriptedServer() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener_ < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener_, 64) != 0) {
    ::close(listener_);
    throw std::system_error(errno, std::generic_category(), "bind/listen");
  }
  socklen_t length = sizeof address;
  ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { accept_loop(); });
}

ScriptedServer::~ScriptedServer() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stopped_.notify_all();
  acceptor_.join();
  // The acceptor has stopped, so the list of connection threads no longer grows.
  for (auto& thread : connections_) thread.join();
  ::close(listener_);
}

void ScriptedServer::script(std::vector<ScriptedStep> steps) {
  std::lock_guard lock(mutex_);
  for (auto& step : steps) script_.push_back(std::move(step));
}

void ScriptedServer::set_fallback(ScriptedStep step) {
  std::lock_guard lock(mutex_);
  fallback_ = std::move(step);
}

void ScriptedServer::set_recording(bool on) {
  std::lock_guard lock(mutex_);
  recording_ = on;
}

std::vector<ReceivedRequest> ScriptedServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

int ScriptedServer::connections_accepted() const {
  std::lock_guard lock(mutex_);
  return accepted_;
}

int ScriptedServer::max_open_connections() const {
  std::lock_guard lock(mutex_);
  return max_open_;
}

int ScriptedServer::max_concurrent_requests() const {
  std::lock_guard lock(mutex_);
  return max_answering_;
}

ScriptedStep ScriptedServer::next_step() {
  std::lock_guard lock(mutex_);
  if (script_.empty()) return fallback_;
  ScriptedStep step = std::move(script_.front());
  script_.pop_front();
  return step;
}

bool ScriptedServer::pause(std::chrono::milliseconds delay) {
  std::unique_lock lock(mutex_);
  return !stopped_.wait_for(lock, delay, [&] { return stopping_.load(); });
}

void ScriptedServer::accept_loop() {
  while (!stopping_) {
    pollfd waiting{.fd = listener_, .events = POLLIN, .revents = 0};
    if (::poll(&waiting, 1, poll_interval_ms) <= 0) continue;
    const int socket = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (socket < 0) continue;
    std::lock_guard lock(mutex_);
    const int connection = ++accepted_;
    max_open_ = std::max(max_open_, ++open_);
    connections_.emplace_back([this, socket, connection] { serve(socket, connection); });
  }
}

void ScriptedServer::serve(int socket, int connection) {
  std::string buffer;
  bool keep_open = true;
  // Counted as closed before close(): the client may reconnect the moment it sees the
  // close, and must not be counted twice.
  const auto finish = [&](bool abort) {
    {
      std::lock_guard lock(mutex_);
      --open_;
    }
    if (abort) {
      const linger hard{.l_onoff = 1, .l_linger = 0};
      ::setsockopt(socket, SOL_SOCKET, SO_LINGER, &hard, sizeof hard);
    }
    ::close(socket);
  };
  const auto read_more = [&]() -> bool {
    while (!stopping_) {
      pollfd waiting{.fd = socket, .events = POLLIN, .revents = 0};
      const int ready = ::poll(&waiting, 1, poll_interval_ms);
      if (ready < 0) return false;
      if (ready == 0) continue;
      char chunk[16384];
      const ssize_t got = ::recv(socket, chunk, sizeof chunk, 0);
      if (got <= 0) return false;
      buffer.append(chunk, static_cast<std::size_t>(got));
      return true;
    }
    return false;
  };

  while (keep_open) {
    std::size_t header_end;
    while ((header_end = buffer.find("\r\n\r\n")) == std::string::npos) {
      if (!read_more()) return finish(false);
    }
    ReceivedRequest request;
    request.connection = connection;
    const std::string_view head(buffer.data(), header_end);
    const auto first_line_end = head.find("\r\n");
    const std::string_view request_line = head.substr(0, first_line_end);
    const auto space1 = request_line.find(' ');
    const auto space2 = request_line.rfind(' ');
    request.method = std::string(request_line.substr(0, space1));
    request.target = std::string(request_line.substr(space1 + 1, space2 - space1 - 1));
    std::size_t content_length = 0;
    std::size_t line_start = first_line_end == std::string_view::npos ? head.size() : first_line_end + 2;
    while (line_start < head.size()) {
      auto line_end = head.find("\r\n", line_start);
      if (line_end == std::string_view::npos) line_end = head.size();
      const std::string_view line = head.substr(line_start, line_end - line_start);
      if (const auto colon = line.find(':'); colon != std::string_view::npos) {
        request.headers.push_back({std::string(trim(line.substr(0, colon))), std::string(trim(line.substr(colon + 1)))});
        if (same_name(request.headers.back().name, "Content-Length")) {
          content_length = std::stoul(request.headers.back().value);
        }
      }
      line_start = line_end + 2;
    }
    const std::size_t body_start = header_end + 4;
    while (buffer.size() < body_start + content_length) {
      if (!read_more()) return finish(false);
    }
    request.body = buffer.substr(body_start, content_length);
    buffer.erase(0, body_start + content_length);

    {
      std::lock_guard lock(mutex_);
      max_answering_ = std::max(max_answering_, ++answering_);
      if (recording_) requests_.push_back(request);
    }
    ScriptedStep step = next_step();
    if (step.echo_request_body) step.body = request.body;
    const bool went_on = step.delay.count() == 0 || pause(step.delay);
    std::uint64_t number = 0;
    {
      std::lock_guard lock(mutex_);
      --answering_;
      number = ++responses_sent_;
    }
    if (!went_on) return finish(true);
    switch (step.action) {
      case ScriptedStep::Action::reset:
        return finish(true);
      case ScriptedStep::Action::close_silently:
        return finish(false);
      case ScriptedStep::Action::respond:
        break;
    }
    std::string response = "HTTP/1.1 " + std::to_string(step.status) + " " + reason_for(step.status) + "\r\n";
    response += "Content-Type: application/x-amz-json-1.0\r\n";
    response += "Content-Length: " + std::to_string(step.body.size()) + "\r\n";
    response += "x-amzn-RequestId: SCRIPTED" + std::to_string(number) + "\r\n";
    if (step.send_crc32) {
      response += "x-amz-crc32: " + (step.crc32 ? *step.crc32 : std::to_string(auth::crc32(step.body))) + "\r\n";
    }
    for (const auto& header : step.headers) response += header.name + ": " + header.value + "\r\n";
    response += "\r\n";
    if (step.trickle.count() == 0) {
      response += step.body;
      if (!send_all(socket, response)) return finish(false);
      continue;
    }
    if (!send_all(socket, response)) return finish(false);
    for (const char byte : step.body) {
      if (!pause(step.trickle)) return finish(true);
      if (!send_all(socket, std::string_view(&byte, 1))) return finish(false);
    }
  }
}

}  // namespace dynamo::http::testing
