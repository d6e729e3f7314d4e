#include "dynamo/auth/sigv4.hpp"

#include <openssl/crypto.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <utility>

#include "detail/ascii.hpp"
#include "auth/crypto.hpp"
#include "auth/url.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

constexpr std::string_view algorithm_name = "AWS4-HMAC-SHA256";
constexpr std::string_view scope_terminator = "aws4_request";

// DynamoDB's own codes for authentication failures, so a server built on verify_signature()
// answers exactly as AWS would.
constexpr std::string_view missing_token_code = error_code::missing_authentication_token;
constexpr std::string_view incomplete_signature_code = error_code::incomplete_signature;
constexpr std::string_view invalid_signature_code = error_code::invalid_signature;

[[noreturn]] void fail(std::string_view code, std::string message) {
  throw Error(std::string(code), std::move(message), 400);
}

std::string lowercase(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(), dynamo::detail::ascii_lower);
  return lower;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// SigV4 wants header values trimmed with inner runs of whitespace reduced to one space.
std::string canonical_header_value(std::string_view value) {
  std::string result;
  result.reserve(value.size());
  bool pending_space = false;
  for (char c : trim(value)) {
    if (is_space(c)) {
      pending_space = true;
      continue;
    }
    if (pending_space) result.push_back(' ');
    pending_space = false;
    result.push_back(c);
  }
  return result;
}

struct CanonicalHeader {
  std::string name;   // lowercase
  std::string value;  // canonical; repeated headers joined with ','
};

// Sorted by name; several headers of one name become one entry, values in arrival order.
// Works in place: signing runs on every request, so it avoids a second vector.
std::vector<CanonicalHeader> merge_headers(std::vector<CanonicalHeader> headers) {
  std::stable_sort(headers.begin(), headers.end(),
                   [](const CanonicalHeader& a, const CanonicalHeader& b) { return a.name < b.name; });
  std::size_t kept = 0;
  for (std::size_t i = 0; i < headers.size(); ++i) {
    if (kept > 0 && headers[kept - 1].name == headers[i].name) {
      headers[kept - 1].value.append(",").append(headers[i].value);
    } else {
      if (kept != i) headers[kept] = std::move(headers[i]);
      ++kept;
    }
  }
  headers.resize(kept);
  return headers;
}

struct Canonical {
  std::string request;
  std::string signed_headers;
};

Canonical build_canonical_request(std::string_view method, const detail::UrlParts& url,
                                  const std::vector<CanonicalHeader>& headers, std::string_view body) {
  Canonical canonical;
  for (const auto& header : headers) {
    if (!canonical.signed_headers.empty()) canonical.signed_headers.push_back(';');
    canonical.signed_headers.append(header.name);
  }
  std::string& text = canonical.request;
  std::size_t expected_size = method.size() + url.path.size() + url.query.size() +
                              2 * canonical.signed_headers.size() + 2 * 32 + 8;
  for (const auto& header : headers) expected_size += header.value.size() + 2;
  text.reserve(expected_size + expected_size / 4);  // room for percent-encoding
  text.append(method).push_back('\n');
  text.append(detail::canonical_uri(url.path)).push_back('\n');
  text.append(detail::canonical_query(url.query)).push_back('\n');
  for (const auto& header : headers)
    text.append(header.name).append(":").append(header.value).push_back('\n');
  text.push_back('\n');
  text.append(canonical.signed_headers).push_back('\n');
  text.append(detail::sha256_hex(body));
  return canonical;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service) {
  std::string scope;
  scope.append(date).append("/").append(region).append("/").append(service).append("/").append(
      scope_terminator);
  return scope;
}

std::string build_string_to_sign(std::string_view amz_date, std::string_view scope,
                                 std::string_view canonical_request) {
  std::string text(algorithm_name);
  text.append("\n").append(amz_date).append("\n").append(scope).append("\n");
  text.append(detail::sha256_hex(canonical_request));
  return text;
}

// Keys `hmac` with the SigV4 signing key: the HMAC chain from "AWS4" + secret through the
// date, region, service and "aws4_request". Every intermediate key is wiped once the next
// one is computed; the context itself ends up holding only the signing key.
void set_signing_key(detail::HmacSha256& hmac, std::string_view secret, std::string_view date,
                     std::string_view region, std::string_view service) {
  std::string seed = "AWS4";
  seed.append(secret);
  detail::Sha256Digest key{};
  try {
    hmac.set_key(std::span(reinterpret_cast<const unsigned char*>(seed.data()), seed.size()));
    OPENSSL_cleanse(seed.data(), seed.size());
    key = hmac.mac(date);
    for (std::string_view part : {region, service, scope_terminator}) {
      hmac.set_key(key);
      key = hmac.mac(part);
    }
    hmac.set_key(key);
  } catch (...) {
    OPENSSL_cleanse(seed.data(), seed.size());
    OPENSSL_cleanse(key.data(), key.size());
    throw;
  }
  OPENSSL_cleanse(key.data(), key.size());
}

// Signing keys derived recently on this thread, so that signing request after request with
// the same credentials derives the key (five HMACs) once a day rather than every time. One
// cache per thread: no lock, and each entry's HMAC context is used without copying it.
//
// An entry holds the date, region and service, a SHA-256 fingerprint of the secret (never
// the secret itself) and an HMAC context keyed with the derived key. A different secret, as
// after rotating or refreshing credentials, has a different fingerprint and derives its own
// key. At most `capacity` entries: deriving a key for a later date drops the entries of
// earlier dates (AWS accepts a scope only on its own day), otherwise the least recently used
// entry is re-keyed. Dropped entries, and all of them when the thread ends, are wiped as
// their contexts are freed.
class SigningKeyCache {
 public:
  detail::HmacSha256& key_for(std::string_view secret, std::string_view date, std::string_view region,
                              std::string_view service) {
    const detail::Sha256Digest fingerprint = detail::sha256(secret);
    ++clock_;
    for (auto& entry : entries_) {
      if (entry.hmac && entry.date == date && entry.region == region && entry.service == service &&
          CRYPTO_memcmp(entry.fingerprint.data(), fingerprint.data(), fingerprint.size()) == 0) {
        entry.last_use = clock_;
        return *entry.hmac;
      }
    }
    for (auto& entry : entries_) {
      if (entry.hmac && entry.date < date) entry = Entry{};
    }
    Entry& slot = slot_to_fill();
    // Invalid until the key is set, so a failure below leaves no entry that could match.
    slot.date.clear();
    if (!slot.hmac) slot.hmac.emplace();
    set_signing_key(*slot.hmac, secret, date, region, service);
    slot.fingerprint = fingerprint;
    slot.date.assign(date);
    slot.region.assign(region);
    slot.service.assign(service);
    slot.last_use = clock_;
    return *slot.hmac;
  }

 private:
  static constexpr std::size_t capacity = 4;

  struct Entry {
    std::optional<detail::HmacSha256> hmac{};
    detail::Sha256Digest fingerprint{};
    std::string date{};
    std::string region{};
    std::string service{};
    std::uint64_t last_use = 0;
  };

  // An unused entry if there is one, else the least recently used.
  Entry& slot_to_fill() {
    Entry* oldest = &entries_.front();
    for (auto& entry : entries_) {
      if (!entry.hmac) return entry;
      if (entry.last_use < oldest->last_use) oldest = &entry;
    }
    return *oldest;
  }

  std::array<Entry, capacity> entries_{};
  std::uint64_t clock_ = 0;
};

std::string compute_signature(std::string_view secret, std::string_view date, std::string_view region,
                              std::string_view service, std::string_view string_to_sign) {
  thread_local SigningKeyCache cache;
  return detail::to_hex(cache.key_for(secret, date, region, service).mac(string_to_sign));
}

// Headers that are never signed: the previous signature's own headers (replaced when a
// retry is signed again) and headers proxies or HTTP stacks are known to add or rewrite.
bool excluded_from_signing(std::string_view lower_name) {
  return lower_name == "authorization" || lower_name == "x-amz-date" ||
         lower_name == "x-amz-security-token" || lower_name == "user-agent" || lower_name == "expect" ||
         lower_name == "x-amzn-trace-id";
}

const Header* find_header(std::span<const Header> headers, std::string_view name) {
  auto it = std::find_if(headers.begin(), headers.end(),
                         [&](const Header& header) { return dynamo::detail::equals_ignoring_ascii_case(header.name, name); });
  return it == headers.end() ? nullptr : &*it;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto end = text.find(separator, start);
    parts.push_back(text.substr(start, end == std::string_view::npos ? std::string_view::npos : end - start));
    if (end == std::string_view::npos) return parts;
    start = end + 1;
  }
}

bool all_digits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int to_int(std::string_view digits) {
  int value = 0;
  for (char c : digits) value = value * 10 + (c - '0');
  return value;
}

}  // namespace

const std::string* SigningResult::header(std::string_view name) const {
  const Header* found = find_header(headers_to_add, name);
  return found == nullptr ? nullptr : &found->value;
}

void SigningResult::add_headers_to(Headers& headers) const {
  for (const auto& added : headers_to_add) {
    std::erase_if(headers,
                  [&](const Header& existing) { return dynamo::detail::equals_ignoring_ascii_case(existing.name, added.name); });
  }
  headers.insert(headers.end(), headers_to_add.begin(), headers_to_add.end());
}

SigningResult sign_request(const RequestView& request, const Credentials& credentials,
                           const SigningParams& params) {
  detail::UrlParts url;
  const Header* given_host = find_header(request.headers, "host");
  if (!detail::split_url(request.url, url) || (url.authority.empty() && given_host == nullptr)) {
    throw Error::validation("cannot sign a request for '" + std::string(request.url) +
                            "': expected an absolute URL such as https://dynamodb.us-east-1.amazonaws.com/");
  }

  const std::string amz_date = format_amz_date(params.timestamp);
  const std::string date = amz_date.substr(0, 8);

  SigningResult result;
  std::vector<CanonicalHeader> to_sign;
  to_sign.reserve(request.headers.size() + 3);
  for (const auto& header : request.headers) {
    std::string name = lowercase(header.name);
    if (excluded_from_signing(name)) continue;
    to_sign.push_back({std::move(name), canonical_header_value(header.value)});
  }
  if (given_host == nullptr) {
    std::string host = detail::host_header_for(url.scheme, url.authority);
    to_sign.push_back({"host", host});
    result.headers_to_add.push_back({"Host", std::move(host)});
  }
  to_sign.push_back({"x-amz-date", amz_date});
  if (credentials.has_session_token()) {
    to_sign.push_back({"x-amz-security-token", canonical_header_value(credentials.session_token.reveal())});
  }

  Canonical canonical =
      build_canonical_request(request.method, url, merge_headers(std::move(to_sign)), request.body);
  const std::string scope = credential_scope(date, params.region, params.service);
  result.string_to_sign = build_string_to_sign(amz_date, scope, canonical.request);
  result.signature = compute_signature(credentials.secret_access_key.reveal(), date, params.region,
                                       params.service, result.string_to_sign);
  result.canonical_request = std::move(canonical.request);
  result.signed_headers = std::move(canonical.signed_headers);

  std::string authorization(algorithm_name);
  authorization.append(" Credential=").append(credentials.access_key_id).append("/").append(scope);
  authorization.append(", SignedHeaders=").append(result.signed_headers);
  authorization.append(", Signature=").append(result.signature);
  // Authorization first and Host last reads naturally in a dump; the order has no meaning.
  Headers added;
  added.push_back({"Authorization", std::move(authorization)});
  added.push_back({"X-Amz-Date", amz_date});
  if (credentials.has_session_token()) {
    added.push_back({"X-Amz-Security-Token", credentials.session_token.reveal()});
  }
  added.insert(added.end(), result.headers_to_add.begin(), result.headers_to_add.end());
  result.headers_to_add = std::move(added);
  return result;
}

AuthorizationHeader parse_authorization_header(std::string_view value) {
  value = trim(value);
  const auto space = value.find(' ');
  const std::string_view algorithm = value.substr(0, space);
  if (algorithm != algorithm_name) {
    fail(incomplete_signature_code,
         "Authorization header must start with '" + std::string(algorithm_name) + "'");
  }
  std::string_view credential;
  std::string_view signed_headers;
  std::string_view signature;
  for (std::string_view part :
       split(space == std::string_view::npos ? std::string_view{} : value.substr(space + 1), ',')) {
    part = trim(part);
    const auto equals = part.find('=');
    if (equals == std::string_view::npos) continue;
    const std::string_view key = trim(part.substr(0, equals));
    const std::string_view item = trim(part.substr(equals + 1));
    if (key == "Credential")
      credential = item;
    else if (key == "SignedHeaders")
      signed_headers = item;
    else if (key == "Signature")
      signature = item;
  }
  for (auto [name, found] : {std::pair{"Credential", credential}, std::pair{"SignedHeaders", signed_headers},
                             std::pair{"Signature", signature}}) {
    if (found.empty()) {
      fail(incomplete_signature_code, "Authorization header requires '" + std::string(name) + "' parameter");
    }
  }
  const auto scope = split(credential, '/');
  if (scope.size() != 5 || scope[0].empty() || scope[1].size() != 8 || !all_digits(scope[1]) ||
      scope[2].empty() || scope[3].empty() || scope[4] != scope_terminator) {
    fail(incomplete_signature_code,
         "Authorization Credential must read <access key id>/<YYYYMMDD>/<region>/<service>/aws4_request");
  }
  return AuthorizationHeader{.access_key_id = std::string(scope[0]),
                             .date = std::string(scope[1]),
                             .region = std::string(scope[2]),
                             .service = std::string(scope[3]),
                             .signed_headers = std::string(signed_headers),
                             .signature = std::string(signature)};
}

AuthorizationHeader verify_signature(const RequestView& received, std::string_view secret_access_key,
                                     const VerifyOptions& options) {
  const Header* authorization_header = find_header(received.headers, "authorization");
  if (authorization_header == nullptr) fail(missing_token_code, "Request is missing Authentication Token");
  AuthorizationHeader authorization = parse_authorization_header(authorization_header->value);

  const Header* date_header = find_header(received.headers, "x-amz-date");
  if (date_header == nullptr) {
    fail(incomplete_signature_code, "Authorization header requires existence of an 'X-Amz-Date' header");
  }
  const std::string_view amz_date = trim(date_header->value);
  const auto timestamp = parse_amz_date(amz_date);
  if (!timestamp) fail(incomplete_signature_code, "X-Amz-Date must read YYYYMMDDTHHMMSSZ");
  if (amz_date.substr(0, 8) != authorization.date) {
    fail(invalid_signature_code, "Credential should be scoped to the date of X-Amz-Date (" +
                                     std::string(amz_date.substr(0, 8)) + "), not " + authorization.date);
  }
  if (options.now) {
    const auto skew = *timestamp > *options.now ? *timestamp - *options.now : *options.now - *timestamp;
    if (skew > options.max_clock_skew) {
      fail(invalid_signature_code, "Signature expired: " + std::string(amz_date) + " is too far from now (" +
                                       format_amz_date(*options.now) + ")");
    }
  }

  const auto signed_names = split(authorization.signed_headers, ';');
  if (std::find(signed_names.begin(), signed_names.end(), "host") == signed_names.end()) {
    fail(invalid_signature_code, "'Host' must be a SignedHeader in the AWS Authorization");
  }
  // The client decided what to sign; the names are taken in its order, which SigV4
  // requires to be sorted, so a client that did not sort simply fails to match.
  std::vector<CanonicalHeader> signed_headers;
  for (std::string_view name : signed_names) {
    CanonicalHeader header{std::string(name), {}};
    bool present = false;
    for (const auto& candidate : received.headers) {
      if (!dynamo::detail::equals_ignoring_ascii_case(candidate.name, name)) continue;
      if (present) header.value.push_back(',');
      header.value.append(canonical_header_value(candidate.value));
      present = true;
    }
    if (!present)
      fail(invalid_signature_code, "signed header '" + std::string(name) + "' is missing from the request");
    signed_headers.push_back(std::move(header));
  }

  detail::UrlParts url;
  if (!detail::split_url(received.url, url)) {
    fail(invalid_signature_code, "cannot read the request target '" + std::string(received.url) + "'");
  }
  const Canonical canonical = build_canonical_request(received.method, url, signed_headers, received.body);
  const std::string scope = credential_scope(authorization.date, authorization.region, authorization.service);
  const std::string string_to_sign = build_string_to_sign(amz_date, scope, canonical.request);
  const std::string expected = compute_signature(secret_access_key, authorization.date, authorization.region,
                                                 authorization.service, string_to_sign);
  if (!detail::constant_time_equal(expected, authorization.signature)) {
    fail(invalid_signature_code,
         "The request signature we calculated does not match the signature you provided. "
         "Check your AWS Secret Access Key and signing method.");
  }
  return authorization;
}

std::chrono::sys_seconds current_time() {
  return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
}

std::string format_amz_date(std::chrono::sys_seconds time) {
  using namespace std::chrono;
  const auto day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss clock{time - day};
  const int year = static_cast<int>(date.year());
  if (year < 0 || year > 9999) {
    char text[32];
    std::snprintf(text, sizeof text, "%04d%02u%02uT%02d%02d%02dZ", year, static_cast<unsigned>(date.month()),
                  static_cast<unsigned>(date.day()), static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()), static_cast<int>(clock.seconds().count()));
    return text;
  }
  // Written digit by digit: this runs for every signed request and snprintf showed in profiles.
  std::string text = "00000000T000000Z";
  const auto put = [&text](std::size_t end, unsigned value, std::size_t digits) {
    for (std::size_t i = 0; i < digits; ++i, value /= 10) text[end - i] = static_cast<char>('0' + value % 10);
  };
  put(3, static_cast<unsigned>(year), 4);
  put(5, static_cast<unsigned>(date.month()), 2);
  put(7, static_cast<unsigned>(date.day()), 2);
  put(10, static_cast<unsigned>(clock.hours().count()), 2);
  put(12, static_cast<unsigned>(clock.minutes().count()), 2);
  put(14, static_cast<unsigned>(clock.seconds().count()), 2);
  return text;
}

std::optional<std::chrono::sys_seconds> parse_amz_date(std::string_view text) {
  using namespace std::chrono;
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z' || !all_digits(text.substr(0, 8)) ||
      !all_digits(text.substr(9, 6))) {
    return std::nullopt;
  }
  const year_month_day date{year{to_int(text.substr(0, 4))},
                            month{static_cast<unsigned>(to_int(text.substr(4, 2)))},
                            day{static_cast<unsigned>(to_int(text.substr(6, 2)))}};
  const int hour = to_int(text.substr(9, 2));
  const int minute = to_int(text.substr(11, 2));
  const int second = to_int(text.substr(13, 2));
  if (!date.ok() || hour > 23 || minute > 59 || second > 59) return std::nullopt;
  return sys_days{date} + hours{hour} + minutes{minute} + seconds{second};
}

}  // namespace dynamo::auth
