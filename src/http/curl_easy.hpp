// One libcurl easy handle set up for DynamoDB, and one HTTP attempt on it. Internal.
//
// The handle keeps its connection open between attempts (HTTP/1.1 keep-alive), so reusing
// a CurlEasy reuses its TCP (and TLS) connection. Options that never change are set once in
// the constructor; an attempt sets only the headers and the body.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

#include "dynamo/auth/sigv4.hpp"

namespace dynamo::http::detail {

// curl_global_init, once per process, before the first handle.
void ensure_curl_initialized();

// "dynamo-cpp/<version>", the User-Agent of every request dynamo sends.
[[nodiscard]] const char* user_agent() noexcept;

// `text` without the spaces, tabs and line ends around it (header names and values).
[[nodiscard]] std::string_view trim_header_text(std::string_view text) noexcept;

struct CurlEasyConfig {
  std::string url{};  // absolute, with a path ("http://host:port/")
  long connect_timeout_ms = 15'000;
  // Once the request has started going out: the longest time without a byte sent or
  // received (botocore's read timeout: a response that keeps arriving is never cut off).
  long read_timeout_ms = 30'000;
};

// What one attempt may take, where it differs from the handle's configuration (0: as
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
  std::string failure_text{};  // libcurl's reason, e.g. "Timeout was reached (...)"

  int status = 0;
  std::string body{};
  auth::Headers headers{};
};

class CurlEasy {
 public:
  // Throws dynamo::Error (ConnectionError) when libcurl cannot create a handle.
  explicit CurlEasy(const CurlEasyConfig& config);
  ~CurlEasy();
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  // POSTs `body` with exactly `headers` (plus Content-Length and User-Agent, which libcurl
  // adds) and collects the response. Never throws for network trouble: that is reported
  // in the result so the caller can decide about retrying.
  // `limits` replace the handle's own timeouts for this attempt only.
  [[nodiscard]] AttemptResult post(const auth::Headers& headers, std::string_view body,
                                   const AttemptLimits& limits = {});

 private:
  CURL* handle_ = nullptr;
  // The attempt runs on this multi handle (libcurl's easy interface would make one too) so
  // that the loop can wake when the read timeout is due, to the millisecond.
  CURLM* multi_ = nullptr;
  long connect_timeout_ms_ = 0;
  long read_timeout_ms_ = 0;
  char error_buffer_[CURL_ERROR_SIZE] = {};
};

}  // namespace dynamo::http::detail
