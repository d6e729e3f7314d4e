// One keep-alive connection to the endpoint, as the transport's retry loop sees it: it sends
// one attempt (a signed POST) and reports the response or why none came. Internal.
//
// Two kinds exist: CurlEasy (libcurl: https, proxies) and PlainConnection (plain-HTTP
// endpoints reached directly, where libcurl's per-request work would cost more than the
// rest of the call). Both keep their connection open between attempts and honour the same
// timeouts, and report failures in the same terms, so the retry loop treats them alike.
#pragma once

#include <string>
#include <string_view>

#include "dynamo/auth/sigv4.hpp"

namespace dynamo::http::detail {

struct ChannelConfig {
  std::string url{};  // absolute, with a path ("http://host:port/")
  long connect_timeout_ms = 15'000;
  // Once the request has started going out: the longest time without a byte sent or
  // received (botocore's read timeout: a response that keeps arriving is never cut off).
  long read_timeout_ms = 30'000;
};

// What one attempt may take, where it differs from the channel's configuration (0: as
// configured).
struct AttemptLimits {
  long connect_timeout_ms = 0;  // another connect timeout (a call's own settings)
  long read_timeout_ms = 0;     // another read timeout (a call's own settings)
  long timeout_cap_ms = 0;      // a bound on the whole attempt (a call's deadline is near)
};

struct AttemptResult {
  // Set when no complete response arrived; then only failure_* are meaningful.
  bool failed = false;
  // Whether that failure is one a retry can cure (connect refused, reset, timeout, DNS).
  bool failure_retryable = false;
  std::string failure_text{};  // the reason, e.g. "Timeout was reached (...)"

  int status = 0;
  std::string body{};
  auth::Headers headers{};
};

// "dynamo-cpp/<version>", the User-Agent of every request dynamo sends.
[[nodiscard]] const char* user_agent() noexcept;

// `text` without the spaces, tabs and line ends around it (header names and values).
[[nodiscard]] std::string_view trim_header_text(std::string_view text) noexcept;

// The failure text of an attempt whose read timeout struck: nothing moved for `read_ms`.
[[nodiscard]] std::string read_timeout_text(long read_ms);

class Channel {
 public:
  virtual ~Channel() = default;
  // POSTs `body` with exactly `headers` (plus Host, Content-Length and User-Agent) and
  // collects the response. Never throws for network trouble: that is reported in the
  // result so the caller can decide about retrying. `limits` replace the channel's own
  // timeouts for this attempt only.
  [[nodiscard]] virtual AttemptResult post(const auth::Headers& headers, std::string_view body,
                                           const AttemptLimits& limits) = 0;
};

}  // namespace dynamo::http::detail
