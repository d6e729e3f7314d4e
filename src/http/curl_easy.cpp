#include "http/curl_easy.hpp"

#include <algorithm>
#include <chrono>
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

std::string read_timeout_text(long read_ms) {
  return "Timeout was reached (nothing sent or received for " + std::to_string(read_ms) + " ms: the read timeout)";
}

namespace {

using Clock = std::chrono::steady_clock;

// One attempt under way: what has arrived, and when a byte last went either way.
struct Progress {
  AttemptResult* result = nullptr;
  Clock::time_point last_activity{};
  bool sending_started = false;  // part of the request is out: the read timeout runs
  curl_off_t sent = 0;
  void active() { last_activity = Clock::now(); }
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* progress = static_cast<Progress*>(user);
  progress->result->body.append(data, size * count);
  progress->active();
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* progress = static_cast<Progress*>(user);
  progress->active();
  AttemptResult* result = progress->result;
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

// Upload progress counts as activity (received bytes are seen by on_header and on_body).
int on_transfer_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t uploaded) {
  auto* progress = static_cast<Progress*>(user);
  if (uploaded != progress->sent) {
    progress->sent = uploaded;
    progress->sending_started = true;
    progress->active();
  }
  return 0;
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

CurlEasy::CurlEasy(const ChannelConfig& config) {
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
    connect_timeout_ms_ = config.connect_timeout_ms;
    read_timeout_ms_ = config.read_timeout_ms;
    // Pooled connections may sit idle for a while; probes notice a dead peer.
    set(handle_, CURLOPT_TCP_KEEPALIVE, 1L);
    set(handle_, CURLOPT_USERAGENT, user_agent());
    set(handle_, CURLOPT_ERRORBUFFER, error_buffer_);
    set(handle_, CURLOPT_WRITEFUNCTION, &on_body);
    set(handle_, CURLOPT_HEADERFUNCTION, &on_header);
    set(handle_, CURLOPT_XFERINFOFUNCTION, &on_transfer_progress);
    set(handle_, CURLOPT_NOPROGRESS, 0L);
    // CURLOPT_PROXY and CURLOPT_NOPROXY are deliberately left unset, so libcurl honours
    // http_proxy / https_proxy / no_proxy from the environment as every AWS SDK does.
    multi_ = curl_multi_init();
    if (multi_ == nullptr) {
      throw Error(std::string(error_code::connection_error), "libcurl could not create a multi handle", 0);
    }
  } catch (...) {
    curl_easy_cleanup(handle_);
    throw;
  }
}

CurlEasy::~CurlEasy() {
  curl_easy_cleanup(handle_);
  curl_multi_cleanup(multi_);
}

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
  Progress progress{.result = &result};
  set(handle_, CURLOPT_WRITEDATA, &progress);
  set(handle_, CURLOPT_HEADERDATA, &progress);
  set(handle_, CURLOPT_XFERINFODATA, &progress);
  error_buffer_[0] = '\0';
  set(handle_, CURLOPT_CONNECTTIMEOUT_MS, limits.connect_timeout_ms > 0 ? limits.connect_timeout_ms : connect_timeout_ms_);
  set(handle_, CURLOPT_TIMEOUT_MS, limits.timeout_cap_ms);  // 0: no bound on the whole attempt
  const long read_ms = limits.read_timeout_ms > 0 ? limits.read_timeout_ms : read_timeout_ms_;

  CURLcode code = CURLE_OK;
  bool idle = false;              // the read timeout struck
  const char* multi_failure = nullptr;  // libcurl's multi interface failed (out of memory, a bug)
  if (const CURLMcode added = curl_multi_add_handle(multi_, handle_); added != CURLM_OK) {
    multi_failure = curl_multi_strerror(added);
  }
  for (bool done = multi_failure != nullptr; !done;) {
    int running = 0;
    if (const CURLMcode performed = curl_multi_perform(multi_, &running); performed != CURLM_OK) {
      multi_failure = curl_multi_strerror(performed);
      break;
    }
    int queued = 0;
    while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
      if (message->msg == CURLMSG_DONE) {
        code = message->data.result;
        done = true;
      }
    }
    if (done) break;
    // Wake when the read timeout is due (at the latest once a second, to see progress).
    long wait_ms = 1000;
    if (progress.sending_started) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(
          progress.last_activity + std::chrono::milliseconds(read_ms) - Clock::now());
      if (left.count() <= 0) {
        idle = true;
        break;
      }
      wait_ms = std::min<long>(wait_ms, static_cast<long>(left.count()));
    }
    curl_multi_poll(multi_, nullptr, 0, static_cast<int>(wait_ms), nullptr);
  }
  // Removing a transfer cut short closes its connection; a finished one's stays for reuse.
  curl_multi_remove_handle(multi_, handle_);
  // The list dies with this call; the handle must not keep pointing at it.
  set(handle_, CURLOPT_HTTPHEADER, static_cast<curl_slist*>(nullptr));
  set(handle_, CURLOPT_POSTFIELDS, static_cast<const char*>(nullptr));

  if (multi_failure != nullptr) {
    result.failed = true;
    result.failure_text = std::string("libcurl could not run the transfer: ") + multi_failure;
    return result;
  }
  if (idle) {
    result.failed = true;
    result.failure_retryable = true;
    result.failure_text = read_timeout_text(read_ms);
    return result;
  }
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
