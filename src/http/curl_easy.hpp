// One libcurl easy handle set up for DynamoDB, and one HTTP attempt on it: the Channel for
// https endpoints and proxies. Internal.
//
// The handle keeps its connection open between attempts (HTTP/1.1 keep-alive), so reusing
// a CurlEasy reuses its TCP (and TLS) connection. Options that never change are set once in
// the constructor; an attempt sets only the headers and the body.
#pragma once

#include <curl/curl.h>

#include <string>
#include <string_view>

#include "http/channel.hpp"

namespace dynamo::http::detail {

// curl_global_init, once per process, before the first handle.
void ensure_curl_initialized();

class CurlEasy final : public Channel {
 public:
  // Throws dynamo::Error (ConnectionError) when libcurl cannot create a handle.
  explicit CurlEasy(const ChannelConfig& config);
  ~CurlEasy();
  CurlEasy(const CurlEasy&) = delete;
  CurlEasy& operator=(const CurlEasy&) = delete;

  // Channel::post; libcurl adds Host, Content-Length and User-Agent.
  [[nodiscard]] AttemptResult post(const auth::Headers& headers, std::string_view body,
                                   const AttemptLimits& limits) override;

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
