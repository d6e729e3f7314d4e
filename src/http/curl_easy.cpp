#include "http/curl_easy.hpp"

#include <algorithm>
#include <mutex>
#include <new>
#include <stdexcept>

#include "dynamo/error.hpp"
#include "dynamo/http/transport.hpp"
#include "dynamo/version.hpp"

namespace dynamo::http::detail {

const char* user_agent() noexcept {
  static const std::string agent = "dynamo-cpp/" + std::string(version());
  return agent.c_str();
}

std::string_view trim_header_text(std::string_view text) noexcept {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && space(text.front())) text.remove_prefix(1);
  while (!text.empty() && space(text.back())) text.remove_suffix(1);
  return text;
}

namespace {


std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* result = static_cast<AttemptResult*>(user);
  result->body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* result = static_cast<AttemptResult*>(user);
  const std::string_view line(data, size * count);
  // A new status line starts a new header block: an interim 100 Continue, or a proxy's
  // answer to CONNECT, comes before the real response and must not leak into it.
  if (line.starts_with("HTTP/")) {
    result->headers.clear();
    return size * count;
  }
  if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    result->headers.push_back(
        {std::string(trim_header_text(line.substr(0, colon))), std::string(trim_header_text(line.substr(colon + 1)))});
  }
  return size * count;
}

// The failures that come from the network and may go away on a new attempt. Everything
// else (a rejected certificate, an unsupported protocol, out of memory) will fail the same
// way again.
bool is_transient(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

template <typename Value>
void set(CURL* handle, CURLoption option, Value value) {
  if (const CURLcode code = curl_easy_setopt(handle, option, value); code != CURLE_OK) {
    throw Error(std::string(error_code::connection_error),
                std::string("libcurl refused an option: ") + curl_easy_strerror(code), 0);
  }
}

struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

}  // namespace

void ensure_curl_initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw Error(std::string(error_code::connection_error), "libcurl failed to initialize", 0);
    }
  });
}

CurlEasy::CurlEasy(const CurlEasyConfig& config) {
  ensure_curl_initialized();
  handle_ = curl_easy_init();
  if (handle_ == nullptr) {
    throw Error(std::string(error_code::connection_error), "libcurl could not create a handle", 0);
  }
  try {
    set(handle_, CURLOPT_URL, config.url.c_str());
    set(handle_, CURLOPT_POST, 1L);
    // Threads other than the main one call us: no signals (and so no alarm() for DNS
    // timeouts; Debian's libcurl resolves on a thread instead).
    set(handle_, CURLOPT_NOSIGNAL, 1L);
    set(handle_, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
    set(handle_, CURLOPT_PROTOCOLS_STR, "http,https");
    set(handle_, CURLOPT_FOLLOWLOCATION, 0L);
    // libcurl's defaults already verify; stated here so that nobody has to wonder.
    set(handle_, CURLOPT_SSL_VERIFYPEER, 1L);
    set(handle_, CURLOPT_SSL_VERIFYHOST, 2L);
    set(handle_, CURLOPT_CONNECTTIMEOUT_MS, config.connect_timeout_ms);
    set(handle_, CURLOPT_TIMEOUT_MS, config.total_timeout_ms);
    connect_timeout_ms_ = config.connect_timeout_ms;
    total_timeout_ms_ = config.total_timeout_ms;
    // Pooled connections may sit idle for a while; probes notice a dead peer.
    set(handle_, CURLOPT_TCP_KEEPALIVE, 1L);
    set(handle_, CURLOPT_USERAGENT, user_agent());
    set(handle_, CURLOPT_ERRORBUFFER, error_buffer_);
    set(handle_, CURLOPT_WRITEFUNCTION, &on_body);
    set(handle_, CURLOPT_HEADERFUNCTION, &on_header);
    // CURLOPT_PROXY and CURLOPT_NOPROXY are deliberately left unset, so libcurl honours
    // http_proxy / https_proxy / no_proxy from the environment as every AWS SDK does.
  } catch (...) {
    curl_easy_cleanup(handle_);
    throw;
  }
}

CurlEasy::~CurlEasy() { curl_easy_cleanup(handle_); }

AttemptResult CurlEasy::post(const auth::Headers& headers, std::string_view body, const AttemptLimits& limits) {
  AttemptResult result;
  std::unique_ptr<curl_slist, SlistDeleter> list;
  std::string line;
  const auto append = [&](const std::string& text) {
    curl_slist* grown = curl_slist_append(list.get(), text.c_str());
    if (grown == nullptr) throw std::bad_alloc();
    (void)list.release();
    list.reset(grown);
  };
  for (const auto& header : headers) {
    // "Name;" is libcurl's spelling of a header with an empty value ("Name:" removes one).
    line.assign(header.name).append(header.value.empty() ? ";" : ": ").append(header.value);
    append(line);
  }
  // Without this, a body over 1 MiB would wait for a "100 Continue" DynamoDB never sends.
  append("Expect:");

  set(handle_, CURLOPT_HTTPHEADER, list.get());
  set(handle_, CURLOPT_POSTFIELDS, body.data());
  set(handle_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  set(handle_, CURLOPT_WRITEDATA, &result);
  set(handle_, CURLOPT_HEADERDATA, &result);
  error_buffer_[0] = '\0';
  long total_ms = limits.total_timeout_ms > 0 ? limits.total_timeout_ms : total_timeout_ms_;
  if (limits.timeout_cap_ms > 0 && limits.timeout_cap_ms < total_ms) total_ms = limits.timeout_cap_ms;
  const long connect_ms = limits.connect_timeout_ms > 0 ? limits.connect_timeout_ms : connect_timeout_ms_;
  const bool other_total = total_ms != total_timeout_ms_;
  const bool other_connect = connect_ms != connect_timeout_ms_;
  if (other_total) set(handle_, CURLOPT_TIMEOUT_MS, total_ms);
  if (other_connect) set(handle_, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);

  const CURLcode code = curl_easy_perform(handle_);
  // Back to the handle's own for the next attempt, whoever makes it.
  if (other_total) set(handle_, CURLOPT_TIMEOUT_MS, total_timeout_ms_);
  if (other_connect) set(handle_, CURLOPT_CONNECTTIMEOUT_MS, connect_timeout_ms_);
  // The list dies with this call; the handle must not keep pointing at it.
  set(handle_, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  set(handle_, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));

  if (code != CURLE_OK) {
    result.failed = true;
    result.failure_retryable = is_transient(code);
    result.failure_text = curl_easy_strerror(code);
    if (error_buffer_[0] != '\0') result.failure_text.append(" (").append(error_buffer_).append(")");
    return result;
  }
  long status = 0;
  curl_easy_getinfo(handle_, CURLINFO_RESPONSE_CODE, &status);
  result.status = static_cast<int>(status);
  return result;
}

}  // namespace dynamo::http::detail
