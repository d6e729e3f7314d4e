// HttpTransport: the retry loop around the channels (libcurl or plain connections), the
// channel pool, and the two ways asynchronous calls run.
//
// The retry loop's decisions live in one place, Attempts: what each attempt sends, and
// what its result means (the answer, another attempt now or after a backoff, or a failure).
// call() drives it on the caller's thread with a pooled channel. call_async() drives it on
// the event thread (plain_event_loop.hpp) when plain connections serve the endpoint: there
// a thread per call in flight cost more kernel time in switches than the calls themselves.
// Over libcurl it runs call() on a worker pool of at most max_pool_connections threads,
// which loses no concurrency (a call on the wire needs one of that many connections) and
// keeps libcurl's exact per-attempt timeouts; a worker waits out a backoff itself.
#include "dynamo/http/transport.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <optional>
#include <thread>
#include <utility>

#include "detail/ascii.hpp"
#include "dynamo/auth/retry_policy.hpp"
#include "dynamo/error.hpp"
#include "dynamo/http/credentials.hpp"
#include "dynamo/http/service_error.hpp"
#include "dynamo/log.hpp"
#include "http/curl_easy.hpp"
#include "http/handle_pool.hpp"
#include "http/plain_connection.hpp"
#include "http/plain_event_loop.hpp"
#include "http/request_id.hpp"
#include "http/worker_pool.hpp"

namespace dynamo::http {
namespace {

[[noreturn]] void invalid_configuration(std::string message) {
  throw Error(std::string(auth::error_code::invalid_configuration), "HTTP transport: " + std::move(message), 0);
}

// The endpoint as a URL with a path, so that it can be both requested and signed.
// Rejects anything but http(s), and user information (credentials in a URL end up in logs).
std::string request_url_for(const std::string& endpoint) {
  const auto scheme_end = endpoint.find("://");
  const std::string_view scheme = std::string_view(endpoint).substr(0, scheme_end);
  if (scheme_end == std::string::npos || !(dynamo::detail::equals_ignoring_ascii_case(scheme, "http") || dynamo::detail::equals_ignoring_ascii_case(scheme, "https"))) {
    invalid_configuration("endpoint must be an http:// or https:// URL");
  }
  const auto authority_start = scheme_end + 3;
  const auto path_start = endpoint.find_first_of("/?#", authority_start);
  const std::string_view authority =
      std::string_view(endpoint).substr(authority_start, path_start == std::string::npos ? std::string::npos
                                                                                          : path_start - authority_start);
  if (authority.empty()) invalid_configuration("endpoint " + endpoint + " has no host");
  if (authority.find('@') != std::string_view::npos) {
    invalid_configuration("endpoint must not carry user information (user:password@)");
  }
  if (path_start == std::string::npos) return endpoint + "/";
  if (endpoint[path_start] != '/') return endpoint.substr(0, path_start) + "/" + endpoint.substr(path_start);
  return endpoint;
}

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

void check_extra_headers(const std::map<std::string, std::string>& headers) {
  for (const auto& [name, value] : headers) {
    if (name.empty() || has_line_break(name) || name.find(':') != std::string::npos ||
        name.find_first_of(" \t") != std::string::npos) {
      invalid_configuration("extra header name is not a valid HTTP header name");
    }
    if (has_line_break(value)) invalid_configuration("extra header " + name + " has a line break in its value");
    if (auth::is_protocol_header(name)) {
      invalid_configuration("extra header " + name + " would replace a header the protocol sets");
    }
  }
}

long milliseconds_from_seconds(double seconds, std::string_view name) {
  // Also rejects NaN, which compares false with everything.
  if (!(seconds > 0) || seconds > 86'400) invalid_configuration(std::string(name) + " must be in (0, 86400] seconds");
  return std::max(1L, std::lround(seconds * 1000));
}

// Hands an asynchronous call's outcome to its handler, on whichever thread ends the call.
void complete(const CompletionHandler& done, const std::exception_ptr& error, HttpResponse response) noexcept {
  try {
    if (done) done(error, std::move(response));
  } catch (...) {  // NOLINT(bugprone-empty-catch): documented: a handler's exception is dropped
  }
}

template <typename Hook, typename Event>
void run_hook(const Hook& hook, const Event& event) noexcept {
  if (!hook) return;
  try {
    hook(event);
  } catch (...) {  // NOLINT(bugprone-empty-catch): a hook must not fail the call, see the header
  }
}

}  // namespace

const std::string* HttpResponse::header(std::string_view name) const {
  for (const auto& header : headers) {
    if (dynamo::detail::equals_ignoring_ascii_case(header.name, name)) return &header.value;
  }
  return nullptr;
}

CredentialsProvider fixed_credentials(auth::Credentials credentials) {
  return [shared = std::make_shared<const auth::Credentials>(std::move(credentials))] { return shared; };
}

class HttpTransport::Impl {
 public:
  Impl(TransportConfig config, TransportOptions options);

  [[nodiscard]] HttpResponse call(std::string_view operation, const std::string& body, const CallContext& context);
  void submit(std::string operation, std::string body, CallContext context, CompletionHandler done);

  // What this transport was made from, for sibling().
  const TransportConfig config;
  const TransportOptions options;
  const std::string endpoint;
  const std::string region;

 private:
  struct Outcome {
    HttpResponse response;
    std::string error_code;  // the service's code, for a response with status >= 400
  };
  class Attempts;
  struct AsyncCall;
  [[nodiscard]] Outcome run_attempts(Attempts& attempts, const std::string& body);
  // The hooks' view of one call: its id and when it started (start_call runs before_call).
  struct CallStart {
    std::string id;
    std::chrono::steady_clock::time_point started;
  };
  [[nodiscard]] CallStart start_call(std::string_view operation, const CallContext& context) const;
  void report_answer(std::string_view operation, const CallContext& context, const CallStart& start,
                     const Outcome& outcome) const;
  void report_failure(std::string_view operation, const CallContext& context, const CallStart& start,
                      const std::exception_ptr& error, int attempts) const;
  void report_finished(std::string_view operation, const CallContext& context, std::string_view id,
                       std::chrono::steady_clock::time_point started, int status, std::string_view code,
                       std::string_view service_request_id, int attempts) const;
  void log_retry(std::string_view operation, int attempt, const auth::AttemptOutcome& outcome, const Outcome& answer,
                 std::string_view failure_text, std::chrono::milliseconds delay) const;
  [[noreturn]] void throw_failure(std::string_view code, std::string_view operation, int attempts,
                                  std::string_view reason) const;

  const std::string request_url_;
  const std::string target_prefix_;
  const std::chrono::milliseconds call_timeout_;  // 0: no deadline
  auth::RetryQuota quota_;
  const std::shared_ptr<auth::RefreshingCredentials> refreshing_;
  const CredentialsProvider credentials_;
  const auth::RetryPolicy policy_;
  const auth::Headers base_headers_;  // Content-Type and the extra headers
  const TransportHooks hooks_;
  const auth::JitterSource jitter_;
  const std::function<void(std::chrono::milliseconds)> sleep_;
  detail::HandlePool handles_;
  // Asynchronous calls run on the event thread when plain connections serve the endpoint,
  // on the workers otherwise. Last, so that they are destroyed first: the calls still
  // pending use everything above.
  std::unique_ptr<detail::PlainEventLoop> event_loop_;
  detail::WorkerPool workers_;
};

namespace {

auth::Headers base_headers_for(const auth::ClientSettings& settings) {
  check_extra_headers(settings.extra_headers);
  auth::Headers headers = {{"Content-Type", "application/x-amz-json-1.0"}};
  for (const auto& [name, value] : settings.extra_headers) headers.push_back({name, value});
  return headers;
}

// A call's extra headers over the transport's: a name already there (in any case) is
// replaced.
void add_call_headers(auth::Headers& headers, const std::map<std::string, std::string>& extra) {
  if (extra.empty()) return;
  check_extra_headers(extra);
  for (const auto& entry : extra) {
    const std::string& name = entry.first;  // a structured binding cannot be captured by clang 14
    std::erase_if(headers, [&](const auth::Header& header) { return dynamo::detail::equals_ignoring_ascii_case(header.name, name); });
    headers.push_back({name, entry.second});
  }
}

auth::ClientSettingsOverrides overrides_of(const auth::OperationSettings& settings) {
  return {.connect_timeout_seconds = settings.connect_timeout_seconds,
          .read_timeout_seconds = settings.read_timeout_seconds,
          .max_retry_attempts = settings.max_retry_attempts,
          .base_backoff_ms = settings.base_backoff_ms,
          .call_timeout_seconds = settings.call_timeout_seconds};
}

detail::ChannelConfig channel_config_for(const std::string& url, const auth::ClientSettings& settings) {
  const long connect_ms = milliseconds_from_seconds(settings.connect_timeout_seconds, "connect_timeout_seconds");
  const long read_ms = milliseconds_from_seconds(settings.read_timeout_seconds, "read_timeout_seconds");
  // See docs/http.md, "Timeouts".
  return {.url = url, .connect_timeout_ms = connect_ms, .read_timeout_ms = read_ms};
}

// Plain connections where they can serve the endpoint (plain_connection.hpp), libcurl
// everywhere else.
detail::ChannelFactory channel_factory_for(const std::string& url, const auth::ClientSettings& settings) {
  detail::ChannelConfig config = channel_config_for(url, settings);
  if (auto target = detail::plain_target_for(url)) {
    return [target = std::make_shared<const detail::PlainTarget>(std::move(*target)), config] {
      return std::unique_ptr<detail::Channel>(std::make_unique<detail::PlainConnection>(target, config));
    };
  }
  return [config] { return std::unique_ptr<detail::Channel>(std::make_unique<detail::CurlEasy>(config)); };
}

std::chrono::milliseconds call_timeout_for(const auth::ClientSettings& settings) {
  if (!(std::isfinite(settings.call_timeout_seconds) && settings.call_timeout_seconds >= 0)) {
    invalid_configuration("call_timeout_seconds must be 0 (no deadline) or a positive number of seconds");
  }
  return std::chrono::milliseconds(static_cast<std::int64_t>(std::ceil(settings.call_timeout_seconds * 1000)));
}

std::size_t pool_size_for(const auth::ClientSettings& settings) {
  if (settings.max_pool_connections < 1) invalid_configuration("max_pool_connections must be at least 1");
  return static_cast<std::size_t>(settings.max_pool_connections);
}

// The event thread of asynchronous calls, where plain connections serve the endpoint.
std::unique_ptr<detail::PlainEventLoop> event_loop_for(const std::string& url, const auth::ClientSettings& settings) {
  auto target = detail::plain_target_for(url);
  if (!target) return nullptr;
  return std::make_unique<detail::PlainEventLoop>(std::make_shared<const detail::PlainTarget>(std::move(*target)),
                                                  channel_config_for(url, settings), pool_size_for(settings));
}

auth::RetryPolicy policy_for(const auth::ClientSettings& settings) {
  if (settings.max_retry_attempts < 0) invalid_configuration("max_retry_attempts must not be negative");
  if (settings.base_backoff_ms < 0) invalid_configuration("base_backoff_ms must not be negative");
  return {.max_retry_attempts = settings.max_retry_attempts, .base_backoff_ms = settings.base_backoff_ms};
}

CredentialsProvider provider_for(const TransportConfig& config) {
  if (config.refreshing_credentials) {
    return [refreshing = config.refreshing_credentials] { return refreshing->current(); };
  }
  if (!config.credentials) invalid_configuration("no credentials provider");
  return config.credentials;
}

// The codes with which AWS rejects credentials whose session token has expired.
bool is_expired_token(std::string_view code) {
  return code == error_code::expired_token || code == error_code::expired_token_sts;
}

const std::string& checked_target_prefix(const std::string& prefix) {
  // The prefix goes into a header and names an API version: "Service_YYYYMMDD.".
  const bool well_formed = prefix.size() >= 2 && prefix.back() == '.' &&
                           std::all_of(prefix.begin(), prefix.end() - 1, [](char c) {
                             return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                           });
  if (!well_formed) invalid_configuration("target_prefix \"" + prefix + "\" is not of the form Service_YYYYMMDD.");
  return prefix;
}

const std::string& checked_region(const std::string& region) {
  if (region.empty()) invalid_configuration("region is empty");
  return region;
}

// The DEBUG line of one HTTP call: what was called where, how it ended, how long it took
// and the ids to find it by. Never a header, a body or a credential.
std::string describe_call(const CallFinished& call, std::string_view endpoint) {
  std::string line(call.operation);
  if (!call.table_name.empty()) line.append(" table=").append(call.table_name);
  line.append(" endpoint=").append(endpoint);
  line.append(" status=").append(call.http_status == 0 ? std::string("none") : std::to_string(call.http_status));
  if (!call.error_code.empty()) line.append(" error=").append(call.error_code);
  line.append(" attempts=").append(std::to_string(call.attempts));
  char latency[32];
  std::snprintf(latency, sizeof latency, " latency=%.3fms",
                std::chrono::duration<double, std::milli>(call.duration).count());
  line.append(latency);
  if (!call.service_request_id.empty()) line.append(" request_id=").append(call.service_request_id);
  if (!call.client_request_id.empty()) line.append(" client_request_id=").append(call.client_request_id);
  return line;
}

}  // namespace

// The WARN line of a retry: which attempt failed and why, and when the next one goes.
void HttpTransport::Impl::log_retry(std::string_view operation, int attempt, const auth::AttemptOutcome& outcome,
                                    const Outcome& answer, std::string_view failure_text,
                                    std::chrono::milliseconds delay) const {
  std::string line = "retrying ";
  line.append(operation).append(" at ").append(endpoint).append(": attempt ").append(std::to_string(attempt));
  switch (outcome.kind) {
    case auth::AttemptOutcome::Kind::connection_failure:
      line.append(" failed to connect or read: ").append(failure_text);
      break;
    case auth::AttemptOutcome::Kind::crc32_mismatch:
      line.append(" got a body that did not match its x-amz-crc32");
      break;
    case auth::AttemptOutcome::Kind::response:
      line.append(" got HTTP ").append(std::to_string(answer.response.status));
      if (!answer.error_code.empty()) line.append(" ").append(answer.error_code);
      if (!answer.response.request_id.empty()) line.append(" (request_id=").append(answer.response.request_id).append(")");
      break;
  }
  line.append("; next attempt in ").append(std::to_string(delay.count())).append(" ms");
  log(LogLevel::warn, "http", line);
}

HttpTransport::Impl::Impl(TransportConfig given_config, TransportOptions given_options)
    : config(std::move(given_config)),
      options(std::move(given_options)),
      endpoint(config.endpoint),
      region(checked_region(config.region)),
      request_url_(request_url_for(config.endpoint)),
      target_prefix_(checked_target_prefix(config.target_prefix)),
      call_timeout_(call_timeout_for(config.settings)),
      refreshing_(config.refreshing_credentials),
      credentials_(provider_for(config)),
      policy_(policy_for(config.settings)),
      base_headers_(base_headers_for(config.settings)),
      hooks_(options.hooks),
      jitter_(options.jitter ? options.jitter : auth::system_jitter()),
      sleep_(options.sleep ? options.sleep
                           : [](std::chrono::milliseconds delay) { std::this_thread::sleep_for(delay); }),
      handles_(pool_size_for(config.settings), channel_factory_for(request_url_, config.settings)),
      event_loop_(event_loop_for(request_url_, config.settings)),
      workers_(pool_size_for(config.settings)) {}

void HttpTransport::Impl::throw_failure(std::string_view code, std::string_view operation, int attempts,
                                        std::string_view reason) const {
  std::string message = "DynamoDB ";
  message.append(operation)
      .append(" call to ")
      .append(endpoint)
      .append(" failed after ")
      .append(std::to_string(attempts))
      .append(attempts == 1 ? " attempt: " : " attempts: ")
      .append(reason);
  throw Error(std::string(code), std::move(message), 0);
}

// One call's way through its attempts: the headers and limits of each, and what each
// result means. The synchronous loop (run_attempts) and the event thread (AsyncCall) both
// drive it, so retries, the deadline, the retry quota and the refresh of expired
// credentials follow one set of rules.
class HttpTransport::Impl::Attempts {
 public:
  struct Next {
    enum class Kind {
      answered,     // take_answer() holds the call's response
      again,        // send another attempt at once
      again_after,  // send another attempt after `delay`
    };
    Kind kind = Kind::answered;
    std::chrono::milliseconds delay{0};
  };

  // Throws InvalidConfiguration for invalid call settings.
  Attempts(Impl& transport, std::string_view operation, const std::string& body,
           const auth::OperationSettings* settings);

  // Counts and signs the next attempt.
  void begin();
  // What the attempt begun last brought; throws dynamo::Error when the call fails for good
  // (connection_error, checksum_error, or what refreshing credentials threw).
  [[nodiscard]] Next end(detail::AttemptResult result);

  [[nodiscard]] const auth::Headers& headers() const noexcept { return headers_; }
  [[nodiscard]] const detail::AttemptLimits& limits() const noexcept { return limits_; }
  [[nodiscard]] int count() const noexcept { return attempts_; }
  [[nodiscard]] Outcome take_answer() noexcept { return std::move(answer_); }

 private:
  Impl& transport_;
  const std::string_view operation_;
  const std::string& body_;
  auth::Headers headers_;
  auth::RetryPolicy policy_;
  std::chrono::milliseconds call_timeout_;
  detail::AttemptLimits limits_;
  int attempts_ = 0;
  int retries_ = 0;
  bool refreshed_expired_ = false;
  int quota_taken_ = 0;  // retry tokens this call took (RetryQuota)
  bool has_deadline_ = false;
  std::chrono::steady_clock::time_point deadline_ = std::chrono::steady_clock::time_point::max();
  std::shared_ptr<const auth::Credentials> credentials_;  // the last attempt's
  Outcome answer_;
};

HttpTransport::Impl::Attempts::Attempts(Impl& transport, std::string_view operation, const std::string& body,
                                        const auth::OperationSettings* settings)
    : transport_(transport),
      operation_(operation),
      body_(body),
      headers_(transport.base_headers_),
      // The transport's own settings, unless the call brings some.
      policy_(transport.policy_),
      call_timeout_(transport.call_timeout_) {
  if (settings != nullptr) {
    const auth::ClientSettings merged = transport.config.settings.overridden_by(overrides_of(*settings));
    policy_ = policy_for(merged);
    call_timeout_ = call_timeout_for(merged);
    if (settings->connect_timeout_seconds || settings->read_timeout_seconds) {
      const detail::ChannelConfig timeouts = channel_config_for(transport.request_url_, merged);
      limits_.connect_timeout_ms = timeouts.connect_timeout_ms;
      limits_.read_timeout_ms = timeouts.read_timeout_ms;
    }
    add_call_headers(headers_, settings->extra_headers);
  }
  std::string target(transport.target_prefix_);
  target.append(operation);
  headers_.push_back({"X-Amz-Target", std::move(target)});
  has_deadline_ = call_timeout_.count() > 0;
  if (has_deadline_) deadline_ = std::chrono::steady_clock::now() + call_timeout_;
}

void HttpTransport::Impl::Attempts::begin() {
  ++attempts_;
  credentials_ = transport_.credentials_();
  if (!credentials_) {
    throw Error(std::string(auth::error_code::missing_authentication_token), "the credentials provider returned none", 0);
  }
  // Signed again for every attempt: a fresh X-Amz-Date keeps a late retry inside AWS's
  // 15-minute window, and refreshed credentials take effect at once. add_headers_to
  // replaces the previous attempt's signature headers.
  auth::sign_request({.url = transport_.request_url_, .headers = headers_, .body = body_}, *credentials_,
                     {.region = transport_.region, .timestamp = auth::current_time()})
      .add_headers_to(headers_);
  if (has_deadline_) {
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now());
    limits_.timeout_cap_ms = std::max<long>(1, static_cast<long>(left.count()));
  }
}

HttpTransport::Impl::Attempts::Next HttpTransport::Impl::Attempts::end(detail::AttemptResult result) {
  auth::AttemptOutcome outcome;
  answer_ = {};
  if (result.failed) {
    if (!result.failure_retryable) {
      transport_.throw_failure(error_code::connection_error, operation_, attempts_, result.failure_text);
    }
    outcome = auth::AttemptOutcome::connection_failure();
  } else {
    answer_.response = {.status = result.status,
                        .body = std::move(result.body),
                        .request_id = {},
                        .headers = std::move(result.headers),
                        .attempts = attempts_};
    if (const std::string* id = answer_.response.header("x-amzn-RequestId")) answer_.response.request_id = *id;
    const std::string* crc = answer_.response.header("x-amz-crc32");
    if (crc != nullptr && !auth::crc32_matches(answer_.response.body, *crc)) {
      outcome = auth::AttemptOutcome::crc32_mismatch();
    } else {
      if (answer_.response.status >= 400) answer_.error_code = service_error_code(answer_.response.body);
      outcome = auth::AttemptOutcome::response(answer_.response.status, answer_.error_code);
    }
  }

  // Temporary credentials can stop working before their announced expiry (revoked
  // session, clock skew, a provider that under-reports). Fetch new ones and resend once,
  // at once: waiting would not help, and it is not the service's fault, so no retry of
  // the policy's budget is spent. A failed fetch throws, which names the real problem.
  if (outcome.kind == auth::AttemptOutcome::Kind::response && transport_.refreshing_ && !refreshed_expired_ &&
      is_expired_token(answer_.error_code)) {
    refreshed_expired_ = true;
    (void)transport_.refreshing_->refresh_rejected(*credentials_);
    return {.kind = Next::Kind::again};
  }

  bool retry = policy_.should_retry(outcome, retries_);
  std::chrono::milliseconds delay{0};
  std::string why_not;  // why a retryable failure is not retried
  if (retry) {
    delay = policy_.backoff_delay(retries_, transport_.jitter_);
    if (has_deadline_ && std::chrono::steady_clock::now() + delay >= deadline_) {
      retry = false;
      why_not = "; not retried: the call's deadline (call_timeout_seconds) would pass";
    } else if (const int cost = transport_.quota_.acquire(outcome)) {
      quota_taken_ += cost;
    } else {
      retry = false;
      why_not = "; not retried: the client's retry quota is used up by recent failures";
    }
    if (!retry) log(LogLevel::warn, "http", std::string(operation_) + " at " + transport_.endpoint + why_not.substr(2));
  }
  if (!retry) {
    switch (outcome.kind) {
      case auth::AttemptOutcome::Kind::connection_failure:
        transport_.throw_failure(error_code::connection_error, operation_, attempts_, result.failure_text + why_not);
      case auth::AttemptOutcome::Kind::crc32_mismatch:
        transport_.throw_failure(error_code::checksum_error, operation_, attempts_,
                                 "the response body did not match its x-amz-crc32 header" + why_not);
      case auth::AttemptOutcome::Kind::response:
        break;
    }
    if (answer_.response.status < 300) transport_.quota_.on_success(quota_taken_);
    return {.kind = Next::Kind::answered};
  }
  if (log_enabled(LogLevel::warn)) {
    transport_.log_retry(operation_, attempts_, outcome, answer_, result.failure_text, delay);
  }
  ++retries_;
  return {.kind = Next::Kind::again_after, .delay = delay};
}

HttpTransport::Impl::Outcome HttpTransport::Impl::run_attempts(Attempts& attempts, const std::string& body) {
  for (;;) {
    attempts.begin();
    detail::AttemptResult result;
    {
      // Held only while on the wire, not during the backoff below, so a throttled call
      // does not keep a connection from the others.
      auto handle = handles_.acquire();
      result = handle->post(attempts.headers(), body, attempts.limits());
    }
    const Attempts::Next next = attempts.end(std::move(result));
    if (next.kind == Attempts::Next::Kind::answered) return attempts.take_answer();
    if (next.kind == Attempts::Next::Kind::again_after) sleep_(next.delay);
  }
}

void HttpTransport::Impl::report_finished(std::string_view operation, const CallContext& context, std::string_view id,
                                          std::chrono::steady_clock::time_point started, int status,
                                          std::string_view code, std::string_view service_request_id,
                                          int attempts) const {
  const bool logging = log_enabled(LogLevel::debug);
  if (!hooks_.after_call && !hooks_.log_call && !logging) return;
  const CallFinished finished{.operation = operation,
                              .table_name = context.table_name,
                              .client_request_id = id,
                              .http_status = status,
                              .error_code = code,
                              .service_request_id = service_request_id,
                              .attempts = attempts,
                              .duration = std::chrono::steady_clock::now() - started};
  run_hook(hooks_.after_call, finished);
  run_hook(hooks_.log_call, finished);
  if (logging) log(LogLevel::debug, "http", describe_call(finished, endpoint));
}

HttpTransport::Impl::CallStart HttpTransport::Impl::start_call(std::string_view operation,
                                                               const CallContext& context) const {
  const bool hooked = hooks_.before_call || hooks_.after_call || hooks_.log_call;
  CallStart start{.id = hooked ? detail::new_client_request_id() : std::string(),
                  .started = std::chrono::steady_clock::now()};
  run_hook(hooks_.before_call,
           CallStarted{.operation = operation, .table_name = context.table_name, .client_request_id = start.id});
  return start;
}

void HttpTransport::Impl::report_answer(std::string_view operation, const CallContext& context, const CallStart& start,
                                        const Outcome& outcome) const {
  report_finished(operation, context, start.id, start.started, outcome.response.status, outcome.error_code,
                  outcome.response.request_id, outcome.response.attempts);
}

void HttpTransport::Impl::report_failure(std::string_view operation, const CallContext& context,
                                         const CallStart& start, const std::exception_ptr& error,
                                         int attempts) const {
  try {
    std::rethrow_exception(error);
  } catch (const Error& failure) {
    report_finished(operation, context, start.id, start.started, 0, failure.code(), {}, attempts);
  } catch (...) {
    // bad_alloc and the like: the after hooks still learn that the call ended.
    report_finished(operation, context, start.id, start.started, 0, error_code::unexpected, {}, attempts);
  }
}

HttpResponse HttpTransport::Impl::call(std::string_view operation, const std::string& body,
                                       const CallContext& context) {
  const CallStart start = start_call(operation, context);
  std::optional<Attempts> attempts;
  Outcome outcome;
  try {
    attempts.emplace(*this, operation, body, context.settings.get());
    outcome = run_attempts(*attempts, body);
  } catch (...) {
    report_failure(operation, context, start, std::current_exception(), attempts ? attempts->count() : 0);
    throw;
  }
  report_answer(operation, context, start, outcome);
  return std::move(outcome.response);
}

// An asynchronous call on the event thread: the attempts of call(), with sending, receiving
// and the backoff driven by the event loop instead of a waiting thread.
struct HttpTransport::Impl::AsyncCall : std::enable_shared_from_this<AsyncCall> {
  AsyncCall(Impl& owner, std::string name, std::string text, CallContext call_context, CompletionHandler handler)
      : transport(owner),
        operation(std::move(name)),
        body(std::move(text)),
        context(std::move(call_context)),
        done(std::move(handler)) {}

  void start() {
    begun = transport.start_call(operation, context);
    try {
      attempts.emplace(transport, operation, body, context.settings.get());
    } catch (...) {
      return fail(std::current_exception());
    }
    send_attempt();
  }

  void send_attempt() {
    try {
      attempts->begin();
    } catch (...) {
      return fail(std::current_exception());
    }
    transport.event_loop_->send(attempts->headers(), body, attempts->limits(),
                                [self = shared_from_this()](detail::AttemptResult result) {
                                  self->on_result(std::move(result));
                                });
  }

  void on_result(detail::AttemptResult result) {
    Attempts::Next next;
    try {
      next = attempts->end(std::move(result));
    } catch (...) {
      return fail(std::current_exception());
    }
    switch (next.kind) {
      case Attempts::Next::Kind::answered: {
        Outcome outcome = attempts->take_answer();
        transport.report_answer(operation, context, begun, outcome);
        return deliver(nullptr, std::move(outcome.response));
      }
      case Attempts::Next::Kind::again:
        return send_attempt();
      case Attempts::Next::Kind::again_after:
        if (transport.options.sleep) {  // waiting the embedder's way (tests record the delays)
          transport.sleep_(next.delay);
          return send_attempt();
        }
        transport.event_loop_->after(next.delay, [self = shared_from_this()] { self->send_attempt(); });
        return;
    }
  }

  void fail(const std::exception_ptr& error) {
    transport.report_failure(operation, context, begun, error, attempts ? attempts->count() : 0);
    deliver(error, {});
  }

  void deliver(const std::exception_ptr& error, HttpResponse response) noexcept {
    complete(done, error, std::move(response));
  }

  Impl& transport;
  const std::string operation;
  const std::string body;
  const CallContext context;
  const CompletionHandler done;
  CallStart begun{};
  std::optional<Attempts> attempts{};
};

void HttpTransport::Impl::submit(std::string operation, std::string body, CallContext context,
                                 CompletionHandler done) {
  if (event_loop_) {
    auto call = std::make_shared<AsyncCall>(*this, std::move(operation), std::move(body), std::move(context),
                                            std::move(done));
    event_loop_->post([call] { call->start(); });
    return;
  }
  workers_.submit([this, operation = std::move(operation), body = std::move(body), context = std::move(context),
                   done = std::move(done)]() noexcept {
    HttpResponse response;
    std::exception_ptr error;
    try {
      response = call(operation, body, context);
    } catch (...) {
      error = std::current_exception();
    }
    complete(done, error, std::move(response));
  });
}

HttpTransport::HttpTransport(TransportConfig config, TransportOptions options)
    : impl_(std::make_unique<Impl>(std::move(config), std::move(options))) {}

HttpTransport HttpTransport::from_environment(const auth::ClientSettingsOverrides& settings,
                                              const auth::AwsConfigOverrides& aws, TransportOptions options,
                                              const auth::Environment& env) {
  auth::ClientSettings resolved = auth::resolve_client_settings(settings, env);
  auth::AwsConfigOverrides chain = aws;
  if (!chain.region) chain.region = resolved.region;
  if (!chain.endpoint) chain.endpoint = resolved.endpoint;
  std::string region = auth::resolve_region(chain, env);
  std::string endpoint = auth::resolve_endpoint(chain, region, env);
  auth::CredentialChainOptions chain_options;
  chain_options.region = region;  // STS is called in the client's region, as the SDKs do
  std::shared_ptr<auth::RefreshingCredentials> credentials = credentials_from_environment(chain, env, chain_options);
  return HttpTransport({.settings = std::move(resolved),
                        .credentials = {},
                        .region = std::move(region),
                        .endpoint = std::move(endpoint),
                        .refreshing_credentials = std::move(credentials)},
                       std::move(options));
}

HttpTransport::HttpTransport(HttpTransport&&) noexcept = default;
HttpTransport& HttpTransport::operator=(HttpTransport&&) noexcept = default;
HttpTransport::~HttpTransport() = default;

HttpResponse HttpTransport::call(std::string_view operation, std::string body, const CallContext& context) const {
  return impl_->call(operation, body, context);
}

std::future<HttpResponse> HttpTransport::call_async(std::string operation, std::string body,
                                                    CallContext context) const {
  auto promise = std::make_shared<std::promise<HttpResponse>>();
  std::future<HttpResponse> future = promise->get_future();
  impl_->submit(std::move(operation), std::move(body), std::move(context),
                [promise](std::exception_ptr error, HttpResponse response) {
                  if (error) {
                    promise->set_exception(std::move(error));
                  } else {
                    promise->set_value(std::move(response));
                  }
                });
  return future;
}

void HttpTransport::call_async(std::string operation, std::string body, CallContext context,
                               CompletionHandler done) const {
  impl_->submit(std::move(operation), std::move(body), std::move(context), std::move(done));
}

HttpTransport HttpTransport::sibling(std::string endpoint, std::string target_prefix) const {
  TransportConfig config = impl_->config;
  config.endpoint = std::move(endpoint);
  config.target_prefix = std::move(target_prefix);
  return HttpTransport(std::move(config), impl_->options);
}

const std::string& HttpTransport::endpoint() const noexcept { return impl_->endpoint; }
const std::string& HttpTransport::region() const noexcept { return impl_->region; }

}  // namespace dynamo::http
