// A keep-alive HTTP/1.1 connection over plain TCP: the Channel for http:// endpoints that are
// reached directly (dynamo-server, DynamoDB Local, Alternator on a private network). Internal.
//
// libcurl's generality (URL parsing, option handling, header lists, its state machine)
// costs more user-space CPU per request than signing and encoding together. Against a
// plain-HTTP endpoint without a proxy, none of it is needed: each attempt is one writev of
// the request head and body, and reads fed to a ResponseReader (Boost.Beast's parser). The connection
// behaves as the libcurl one does where the retry loop can tell: the same timeouts (connect,
// read as the longest silence, a cap on the whole attempt), the same retryable failures,
// and, as libcurl does, a request that finds its reused connection closed by the server
// before any answer is sent once more on a new connection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

#include "http/channel.hpp"

namespace dynamo::http::detail {

// Where a plain connection goes, worked out once per transport.
struct PlainTarget {
  std::string host;         // for name resolution: "127.0.0.1", "::1", "localhost"
  std::string port;         // "8000"; "80" when the URL names none
  std::string host_header;  // the Host header, as signed ("127.0.0.1:8000")
  std::string path;         // the request target ("/")
};

// The target for `config.url` when a plain connection may serve it: the scheme is http, and
// the environment routes it through no proxy (http_proxy, all_proxy and ALL_PROXY unset or
// empty, or no_proxy / NO_PROXY naming the host, one of its parent domains, or "*").
// nullopt otherwise (https, a proxy, or DYNAMO_HTTP_CLIENT=libcurl in the environment), and
// the transport uses libcurl.
[[nodiscard]] std::optional<PlainTarget> plain_target_for(const std::string& url);

// What the blocking connection here and the event thread's connections (plain_event_loop.hpp)
// share, so that both send the same bytes and report failures in the same words.

// The head of a POST of `body_size` bytes to `target` with `headers` (the signer's Host, when
// there, wins over the target's).
void write_request_head(std::string& head, const PlainTarget& target, const auth::Headers& headers,
                        std::size_t body_size);
// One sendmsg() of what is left of `head` then `body` after the first `sent` bytes; what
// sendmsg returned (errno set when negative).
ssize_t send_rest(int socket, std::string_view head, std::string_view body, std::size_t sent) noexcept;
// A freshly connected socket's options: no Nagle delay, TCP keep-alive probes.
void tune_connected_socket(int socket) noexcept;
[[nodiscard]] std::string resolve_failure_text(const PlainTarget& target, std::string_view reason);
[[nodiscard]] std::string connect_timeout_text(const PlainTarget& target, long timeout_ms);
[[nodiscard]] std::string connect_failure_text(const PlainTarget& target, std::string_view reason);

class PlainConnection final : public Channel {
 public:
  PlainConnection(std::shared_ptr<const PlainTarget> target, const ChannelConfig& config);
  ~PlainConnection() override;
  PlainConnection(const PlainConnection&) = delete;
  PlainConnection& operator=(const PlainConnection&) = delete;

  [[nodiscard]] AttemptResult post(const auth::Headers& headers, std::string_view body,
                                   const AttemptLimits& limits) override;

 private:
  struct Exchange;
  void close() noexcept;

  std::shared_ptr<const PlainTarget> target_;
  long connect_timeout_ms_;
  long read_timeout_ms_;
  int socket_ = -1;
  std::string request_;                  // the request head, rebuilt per attempt
  std::unique_ptr<char[]> read_buffer_;  // what one recv() fills
};

}  // namespace dynamo::http::detail
