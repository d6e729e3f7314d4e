// libcurl for the credentials chain's few requests (STS, SSO, container, instance metadata).
//
// Not the transport's CurlEasy: that one is a pooled, POST-only handle tuned for DynamoDB;
// these exchanges use GET, PUT and POST against different hosts a few times an hour, so a
// fresh handle per exchange costs nothing that matters and shares no state between threads.
#include <curl/curl.h>

#include <memory>
#include <new>

#include "dynamo/error.hpp"
#include "dynamo/http/credentials.hpp"
#include "dynamo/http/transport.hpp"
#include "http/curl_easy.hpp"

namespace dynamo::http {
namespace {


std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  static_cast<auth::FetchResponse*>(user)->body.append(data, size * count);
  return size * count;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* response = static_cast<auth::FetchResponse*>(user);
  const std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();
  } else if (const auto colon = line.find(':'); colon != std::string_view::npos) {
    response->headers.push_back({std::string(detail::trim_header_text(line.substr(0, colon))), std::string(detail::trim_header_text(line.substr(colon + 1)))});
  }
  return size * count;
}

struct HandleDeleter {
  void operator()(CURL* handle) const noexcept { curl_easy_cleanup(handle); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
};

template <typename Value>
void set(CURL* handle, CURLoption option, Value value) {
  if (const CURLcode code = curl_easy_setopt(handle, option, value); code != CURLE_OK) {
    throw Error(std::string(error_code::connection_error),
                std::string("libcurl refused an option: ") + curl_easy_strerror(code), 0);
  }
}

auth::FetchResponse perform(const auth::FetchRequest& request) {
  detail::ensure_curl_initialized();
  const std::unique_ptr<CURL, HandleDeleter> handle(curl_easy_init());
  if (!handle) throw Error(std::string(error_code::connection_error), "libcurl could not create a handle", 0);
  CURL* h = handle.get();
  auth::FetchResponse response;
  char error_buffer[CURL_ERROR_SIZE] = {};
  set(h, CURLOPT_URL, request.url.c_str());
  set(h, CURLOPT_NOSIGNAL, 1L);
  set(h, CURLOPT_HTTP_VERSION, static_cast<long>(CURL_HTTP_VERSION_1_1));
  set(h, CURLOPT_PROTOCOLS_STR, "http,https");
  set(h, CURLOPT_FOLLOWLOCATION, 0L);
  set(h, CURLOPT_SSL_VERIFYPEER, 1L);
  set(h, CURLOPT_SSL_VERIFYHOST, 2L);
  set(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.connect_timeout.count()));
  set(h, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  set(h, CURLOPT_USERAGENT, detail::user_agent());
  set(h, CURLOPT_ERRORBUFFER, error_buffer);
  set(h, CURLOPT_WRITEFUNCTION, &on_body);
  set(h, CURLOPT_WRITEDATA, &response);
  set(h, CURLOPT_HEADERFUNCTION, &on_header);
  set(h, CURLOPT_HEADERDATA, &response);
  // The metadata endpoints are link-local: a proxy could not reach them, and must not see
  // the credentials they hand out.
  if (!request.use_proxy) set(h, CURLOPT_NOPROXY, "*");
  if (request.method == "GET") {
    set(h, CURLOPT_HTTPGET, 1L);
  } else {
    set(h, CURLOPT_POSTFIELDS, request.body.data());
    set(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST") set(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }
  std::unique_ptr<curl_slist, SlistDeleter> list;
  const auto append = [&](const std::string& text) {
    curl_slist* grown = curl_slist_append(list.get(), text.c_str());
    if (grown == nullptr) throw std::bad_alloc();
    (void)list.release();
    list.reset(grown);
  };
  for (const auto& header : request.headers) {
    append(header.name + (header.value.empty() ? ";" : ": ") + header.value);
  }
  append("Expect:");
  set(h, CURLOPT_HTTPHEADER, list.get());

  if (const CURLcode code = curl_easy_perform(h); code != CURLE_OK) {
    response.failed = true;
    response.failure_text = curl_easy_strerror(code);
    if (error_buffer[0] != '\0') response.failure_text.append(" (").append(error_buffer).append(")");
    return response;
  }
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  return response;
}

}  // namespace

auth::HttpFetch curl_fetch() { return &perform; }

std::shared_ptr<auth::RefreshingCredentials> credentials_from_environment(const auth::AwsConfigOverrides& aws,
                                                                         const auth::Environment& env,
                                                                         auth::CredentialChainOptions options) {
  if (!options.fetch) options.fetch = curl_fetch();
  return auth::resolve_credentials_provider(aws, env, options);
}

}  // namespace dynamo::http
