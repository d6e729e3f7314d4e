// IAM Identity Center (SSO), the container credentials endpoint and EC2 instance metadata,
// plus the helpers every source shares.
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>
#include <utility>

#include "auth/crypto.hpp"
#include "auth/credential_sources.hpp"
#include "auth/url.hpp"
#include "dynamo/error.hpp"

#include <openssl/sha.h>

namespace dynamo::auth::detail {

void fail_retrieval(std::string message) {
  throw Error(std::string(error_code::credential_retrieval), std::move(message), 0);
}

namespace {

bool read_number(std::string_view& text, std::size_t digits, int& value) {
  if (text.size() < digits) return false;
  const auto [end, error] = std::from_chars(text.data(), text.data() + digits, value);
  if (error != std::errc() || end != text.data() + digits) return false;
  text.remove_prefix(digits);
  return true;
}

bool expect(std::string_view& text, char c) {
  if (text.empty() || text.front() != c) return false;
  text.remove_prefix(1);
  return true;
}

// The JSON answer of the container endpoint and of instance metadata, which share a shape:
// AccessKeyId, SecretAccessKey, Token, Expiration (and for IMDS a Code of "Success").
ExpiringCredentials parse_metadata_credentials(const std::string& body, const std::string& who) {
  const SecretString text = body;  // wiped when done
  simdjson::dom::parser parser;
  simdjson::dom::element document;
  if (parser.parse(text.reveal()).get(document) != simdjson::SUCCESS || !document.is_object()) {
    fail_retrieval(who + " answered something that is not a JSON object");
  }
  std::string_view code;
  if (document["Code"].get(code) == simdjson::SUCCESS && code != "Success") {
    std::string_view message;
    if (document["Message"].get(message) != simdjson::SUCCESS) message = "(no message)";
    fail_retrieval(who + " answered Code " + std::string(code) + ": " + std::string(message));
  }
  const auto field = [&](const char* name) {
    std::string_view value;
    if (document[name].get(value) != simdjson::SUCCESS) {
      fail_retrieval(who + " answered JSON without a string \"" + std::string(name) + "\"");
    }
    return std::string(value);
  };
  ExpiringCredentials fresh;
  fresh.credentials.access_key_id = field("AccessKeyId");
  fresh.credentials.secret_access_key = field("SecretAccessKey");
  fresh.credentials.session_token = field("Token");
  const std::string expiration = field("Expiration");
  fresh.expiration = parse_iso8601(expiration);
  if (!fresh.expiration) fail_retrieval(who + " answered an Expiration that is not ISO 8601: '" + expiration + "'");
  return fresh;
}

bool has_line_break(std::string_view text) { return text.find_first_of("\r\n") != std::string_view::npos; }

}  // namespace

std::optional<std::chrono::system_clock::time_point> parse_iso8601(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!read_number(text, 4, year) || !expect(text, '-') || !read_number(text, 2, month) || !expect(text, '-') ||
      !read_number(text, 2, day) || !(expect(text, 'T') || expect(text, 't') || expect(text, ' ')) ||
      !read_number(text, 2, hour) || !expect(text, ':') || !read_number(text, 2, minute) || !expect(text, ':') ||
      !read_number(text, 2, second)) {
    return std::nullopt;
  }
  std::chrono::nanoseconds fraction{0};
  if (expect(text, '.')) {
    long long scale = 100'000'000;
    bool any = false;
    while (!text.empty() && text.front() >= '0' && text.front() <= '9') {
      fraction += std::chrono::nanoseconds((text.front() - '0') * scale);
      scale /= 10;
      text.remove_prefix(1);
      any = true;
    }
    if (!any) return std::nullopt;
  }
  std::chrono::minutes offset{0};
  if (text == "Z" || text == "z" || text == "UTC" || text == "+00:00" || text == "+0000") {
    text = {};
  } else if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
    const int sign = text.front() == '-' ? -1 : 1;
    text.remove_prefix(1);
    int offset_hours = 0, offset_minutes = 0;
    if (!read_number(text, 2, offset_hours)) return std::nullopt;
    (void)expect(text, ':');
    if (!read_number(text, 2, offset_minutes) || !text.empty()) return std::nullopt;
    offset = std::chrono::minutes(sign * (offset_hours * 60 + offset_minutes));
  } else {
    return std::nullopt;  // no zone: local time of an unknown machine
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (!date.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  const auto at = std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute) +
                  std::chrono::seconds(second) - offset;
  return std::chrono::time_point_cast<std::chrono::system_clock::duration>(at + fraction);
}

std::string read_token_file(const std::filesystem::path& path, std::string_view what) {
  std::ifstream stream(path, std::ios::binary);
  std::ostringstream contents;
  if (!stream || !(contents << stream.rdbuf())) {
    fail_retrieval(std::string(what) + " " + path.string() + " cannot be read");
  }
  std::string token = std::move(contents).str();
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) fail_retrieval(std::string(what) + " " + path.string() + " is empty");
  return token;
}

// ---- SSO -------------------------------------------------------------------------------

std::string sso_cache_file_name(std::string_view key) {
  std::array<unsigned char, SHA_DIGEST_LENGTH> digest{};
  SHA1(reinterpret_cast<const unsigned char*>(key.data()), key.size(), digest.data());
  return to_hex(digest) + ".json";
}

CredentialsCallback sso_source(SsoConfig config, HttpFetch fetch) {
  return [config = std::move(config), fetch = std::move(fetch)] {
    const std::string who = "SSO (" + config.description + ")";
    const std::string login_hint = "; run `aws sso login` (with this profile) to sign in again";
    std::ifstream stream(config.cache_file, std::ios::binary);
    std::ostringstream contents;
    if (!stream || !(contents << stream.rdbuf())) {
      fail_retrieval(who + ": no cached token at " + config.cache_file.string() + login_hint);
    }
    const SecretString cached = std::move(contents).str();
    simdjson::dom::parser parser;
    simdjson::dom::element document;
    std::string_view access_token;
    std::string_view expires_at;
    if (parser.parse(cached.reveal()).get(document) != simdjson::SUCCESS ||
        document["accessToken"].get(access_token) != simdjson::SUCCESS ||
        document["expiresAt"].get(expires_at) != simdjson::SUCCESS) {
      fail_retrieval(who + ": the token cache " + config.cache_file.string() +
                     " is not JSON with accessToken and expiresAt" + login_hint);
    }
    const auto expiry = parse_iso8601(expires_at);
    if (!expiry || *expiry <= std::chrono::system_clock::now()) {
      fail_retrieval(who + ": the SSO token in " + config.cache_file.string() + " expired at " +
                     std::string(expires_at) + login_hint);
    }
    if (has_line_break(access_token)) fail_retrieval(who + ": the cached token is malformed" + login_hint);
    FetchRequest request;
    request.url = config.portal_url + "/federation/credentials?account_id=" + uri_encode(config.account_id, false) +
                  "&role_name=" + uri_encode(config.role_name, false);
    request.headers = {{"x-amz-sso_bearer_token", std::string(access_token)}};
    request.connect_timeout = std::chrono::seconds(3);
    request.timeout = std::chrono::seconds(10);
    const FetchResponse response = fetch(request);
    if (response.failed) fail_retrieval(who + ": the portal " + config.portal_url + " did not answer: " + response.failure_text);
    if (response.status == 401 || response.status == 403) {
      fail_retrieval(who + ": the portal refused the cached token (HTTP " + std::to_string(response.status) + ")" +
                     login_hint);
    }
    const SecretString body = response.body;
    simdjson::dom::element answer;
    simdjson::dom::element role;
    if (parser.parse(body.reveal()).get(answer) != simdjson::SUCCESS || response.status != 200 ||
        answer["roleCredentials"].get(role) != simdjson::SUCCESS) {
      std::string_view message;
      if (response.status != 200 && answer.is_object() && answer["message"].get(message) != simdjson::SUCCESS) {
        message = {};
      }
      fail_retrieval(who + ": GetRoleCredentials for account " + config.account_id + " role " + config.role_name +
                     " answered HTTP " + std::to_string(response.status) +
                     (message.empty() ? std::string() : ": " + std::string(message)));
    }
    const auto field = [&](const char* name) {
      std::string_view value;
      if (role[name].get(value) != simdjson::SUCCESS) {
        fail_retrieval(who + ": GetRoleCredentials answered no string \"" + std::string(name) + "\"");
      }
      return std::string(value);
    };
    ExpiringCredentials fresh;
    fresh.credentials.access_key_id = field("accessKeyId");
    fresh.credentials.secret_access_key = field("secretAccessKey");
    fresh.credentials.session_token = field("sessionToken");
    int64_t expiration_ms = 0;
    if (role["expiration"].get(expiration_ms) == simdjson::SUCCESS) {
      fresh.expiration = std::chrono::system_clock::time_point(std::chrono::milliseconds(expiration_ms));
    }
    fresh.credentials.source = who + " account " + config.account_id + " role " + config.role_name;
    return fresh;
  };
}

// ---- container endpoint ---------------------------------------------------------------------

bool container_url_allowed(std::string_view url) {
  if (url.starts_with("https://")) return true;
  if (!url.starts_with("http://")) return false;
  std::string_view authority = url.substr(7);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  std::string_view host = authority;
  if (host.starts_with('[')) {
    host = host.substr(1, host.find(']') == std::string_view::npos ? 0 : host.find(']') - 1);
  } else {
    host = host.substr(0, host.find(':'));
  }
  if (host == "localhost" || host == "::1" || host == "169.254.170.2" || host == "169.254.170.23" ||
      host == "fd00:ec2::23") {
    return true;
  }
  // Any 127.0.0.0/8 address is loopback.
  if (host.starts_with("127.")) {
    int dots = 0;
    for (const char c : host) {
      if (c == '.') {
        ++dots;
      } else if (c < '0' || c > '9') {
        return false;
      }
    }
    return dots == 3;
  }
  return false;
}

CredentialsCallback container_source(ContainerConfig config, HttpFetch fetch) {
  return [config = std::move(config), fetch = std::move(fetch)] {
    const std::string who = "the container credentials endpoint " + config.url;
    FetchRequest request;
    request.url = config.url;
    request.connect_timeout = std::chrono::seconds(2);
    request.timeout = std::chrono::seconds(5);
    request.use_proxy = false;
    SecretString token;
    if (config.token_file) {
      // Re-read each time: EKS Pod Identity rotates it.
      token = read_token_file(*config.token_file, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
    } else if (config.token) {
      token = *config.token;
    }
    if (has_line_break(token.reveal())) fail_retrieval("the container authorization token has a line break in it");
    if (!token.empty()) request.headers.push_back({"Authorization", token.reveal()});
    // botocore makes three attempts: the agent may be starting alongside the application.
    FetchResponse response;
    for (int attempt = 0; attempt < 3; ++attempt) {
      response = fetch(request);
      if (!response.failed && response.status < 500) break;
    }
    if (response.failed) fail_retrieval(who + " did not answer: " + response.failure_text);
    if (response.status != 200) {
      fail_retrieval(who + " answered HTTP " + std::to_string(response.status));
    }
    ExpiringCredentials fresh = parse_metadata_credentials(response.body, who);
    fresh.credentials.source = "container endpoint";
    return fresh;
  };
}

// ---- instance metadata ----------------------------------------------------------------------

CredentialsCallback imds_source(ImdsConfig config, HttpFetch fetch) {
  return [config = std::move(config), fetch = std::move(fetch)] {
    const std::string who = "instance metadata at " + config.endpoint;
    const auto exchange = [&](std::string method, const std::string& path, Headers headers) {
      FetchRequest request;
      request.method = std::move(method);
      request.url = config.endpoint + path;
      request.headers = std::move(headers);
      // Short on purpose: off EC2 nothing answers, and the chain must give up quickly.
      request.connect_timeout = config.timeout;
      request.timeout = config.timeout;
      request.use_proxy = false;
      FetchResponse response;
      for (int attempt = 0; attempt < std::max(1, config.attempts); ++attempt) {
        response = fetch(request);
        if (!response.failed && response.status < 500) break;
      }
      if (response.failed) fail_retrieval(who + " did not answer (" + response.failure_text + "); not on EC2?");
      return response;
    };

    // IMDSv2: a session token first. 403/404/405 mean v2 is off or unsupported here (an old
    // IMDS, or a proxy in between), where botocore falls back to v1 unless told not to.
    Headers with_token;
    const FetchResponse token = exchange("PUT", "/latest/api/token", {{"x-aws-ec2-metadata-token-ttl-seconds", "21600"}});
    if (token.status == 200 && !token.body.empty() && !has_line_break(token.body)) {
      with_token.push_back({"x-aws-ec2-metadata-token", token.body});
    } else if ((token.status == 403 || token.status == 404 || token.status == 405) && !config.v1_disabled) {
      // v1: the same requests without a token.
    } else {
      fail_retrieval(who + " refused an IMDSv2 session token (HTTP " + std::to_string(token.status) + ")" +
                     (config.v1_disabled ? " and IMDSv1 is disabled" : ""));
    }

    const std::string base = "/latest/meta-data/iam/security-credentials/";
    const FetchResponse role = exchange("GET", base, with_token);
    if (role.status == 404) fail_retrieval(who + " has no IAM role attached to this instance");
    if (role.status != 200) fail_retrieval(who + " answered HTTP " + std::to_string(role.status) + " for the role name");
    std::string role_name = role.body.substr(0, role.body.find_first_of("\r\n"));
    if (role_name.empty()) fail_retrieval(who + " named no IAM role");
    const FetchResponse answer = exchange("GET", base + uri_encode(role_name, false), with_token);
    if (answer.status != 200) {
      fail_retrieval(who + " answered HTTP " + std::to_string(answer.status) + " for the credentials of role " +
                     role_name);
    }
    ExpiringCredentials fresh = parse_metadata_credentials(answer.body, who);
    fresh.credentials.source = "instance metadata (role " + role_name + ")";
    return fresh;
  };
}

}  // namespace dynamo::auth::detail
