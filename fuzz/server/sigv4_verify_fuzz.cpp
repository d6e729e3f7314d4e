// libFuzzer target for SigV4 verification: the server-side check of signatures, reached
// with a pinned clock (dynamo::auth::verify_signature with and without VerifyOptions::now,
// and RequestHandler with check_clock_skew off).
//
// Each input describes a DynamoDB request (request target, one read-only operation, extra
// headers, body), which dynamo's own signer signs with a known key at 2026-12-01T12:00:00Z,
// then at most one change to it: a body, method or target byte, a header's value, name
// case, removal or addition, a field of the Authorization header or a byte of it, or
// another X-Amz-Date. For every input:
//  * the request as signed is accepted: verify_signature returns, with the clock unset or
//    pinned to the signing time (and refuses it 16 minutes later), and the handler answers
//    with no authentication error (when HTTP could carry its Authorization value);
//  * a change to a signed part that SigV4's canonical form sees (the body, the method,
//    the canonical path or query, a signed header's trimmed value, adding or removing a
//    signed header, the scope, SignedHeaders, the signature, X-Amz-Date) is refused:
//    verify_signature throws MissingAuthenticationToken, IncompleteSignature or
//    InvalidSignature, and the handler never answers 200 with a DynamoDB body;
//  * a change SigV4 does not see (an unsigned header, the case of a name, whitespace SigV4
//    trims) is still accepted; another access key id passes the signature check (the key id
//    is not signed) and the handler answers UnrecognizedClientException;
//  * nothing crashes, and nothing throws anything but dynamo::Error.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/url.hpp"
#include "dynamo/api/errors_wire.hpp"
#include "dynamo/auth/sigv4.hpp"
#include "dynamo/engine/engine.hpp"
#include "dynamo/error.hpp"
#include "dynamo/log.hpp"
#include "dynamo/server/handler.hpp"

namespace {

using namespace std::chrono_literals;
using dynamo::auth::AuthorizationHeader;
using dynamo::auth::Header;
using dynamo::auth::Headers;

constexpr std::string_view key_id = "AKIDFUZZEXAMPLE";
constexpr std::string_view secret = "fuzz/Secret+Key/0123456789EXAMPLE";
constexpr std::string_view endpoint = "https://dynamodb.us-east-1.amazonaws.com";
const std::chrono::sys_seconds signed_at{std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 12h};

enum class Expect { accept, reject, unknown_key };

struct Message {
  std::string method = "POST";
  std::string target;
  Headers headers;
  std::string body;
};

std::string lower(std::string_view text) {
  std::string result(text);
  for (char& c : result) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  return result;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f'; }

// A header value as SigV4 signs it: trimmed, inner runs of whitespace as one space.
std::string canonical_value(std::string_view value) {
  std::string result;
  bool space = false;
  for (char c : value) {
    if (is_space(c)) {
      space = !result.empty();
      continue;
    }
    if (space) result.push_back(' ');
    space = false;
    result.push_back(c);
  }
  return result;
}

bool is_auth_code(std::string_view code) {
  return code == "MissingAuthenticationTokenException" || code == "IncompleteSignatureException" ||
         code == "InvalidSignatureException";
}

// What verify_signature says: the parsed header, or the code it threw.
struct Verdict {
  bool accepted = false;
  std::string code;
};

Verdict verify(const Message& m, std::optional<std::chrono::sys_seconds> now) {
  try {
    const AuthorizationHeader parsed = dynamo::auth::verify_signature(
        {.method = m.method, .url = m.target, .headers = m.headers, .body = m.body}, secret, {.now = now});
    if (parsed.access_key_id.empty()) std::abort();
    return {true, {}};
  } catch (const dynamo::Error& error) {
    if (!is_auth_code(error.code())) std::abort();
    return {false, error.code()};
  } catch (...) {
    std::abort();
  }
}

const dynamo::server::RequestHandler& handler() {
  static dynamo::engine::Engine engine(dynamo::engine::EngineOptions{.ttl_sweep_interval = 0ms});
  static const dynamo::server::RequestHandler instance(
      engine, {.credentials = {dynamo::auth::Credentials{.access_key_id = std::string(key_id),
                                                         .secret_access_key = std::string(secret)}},
               .max_body_bytes = 1U << 16,
               .check_clock_skew = false,
               .region = "us-east-1"});
  return instance;
}

// Whether HTTP/1.1 can carry the Authorization values (RFC 9110: visible characters,
// obs-text, spaces and tabs). The handler trims only spaces and tabs around the value before
// looking for "AWS4-", as HTTP does; verify_signature trims other whitespace too, which a
// value carried by HTTP cannot hold.
bool http_can_carry(const Message& m) {
  return std::all_of(m.headers.begin(), m.headers.end(), [](const Header& header) {
    return lower(header.name) != "authorization" || std::all_of(header.value.begin(), header.value.end(), [](char c) {
      const auto byte = static_cast<unsigned char>(c);
      return c == '\t' || (byte >= 0x20 && byte != 0x7F);
    });
  });
}

void check_handler(const Message& m, Expect expect) {
  const dynamo::server::Response response =
      handler().handle({.method = m.method, .target = m.target, .headers = m.headers, .body = m.body});
  const std::string* type = response.header("Content-Type");
  if (type == nullptr) std::abort();
  std::string code;
  if (response.status >= 300 && type->starts_with("application")) {
    try {
      code = dynamo::api::decode_error(response.body).code;
    } catch (const dynamo::Error&) {
      std::abort();
    }
  }
  if (expect != Expect::reject && !http_can_carry(m)) return;
  switch (expect) {
    case Expect::accept:
      if (is_auth_code(code) || code == "UnrecognizedClientException") std::abort();
      break;
    case Expect::unknown_key:
      if (response.status != 400 || code != "UnrecognizedClientException") std::abort();
      break;
    case Expect::reject:
      if (response.status == 200 && type->starts_with("application")) std::abort();
      break;
  }
}

void check(const Message& m, Expect expect) {
  const Verdict unpinned = verify(m, std::nullopt);
  const Verdict pinned = verify(m, signed_at);
  if (unpinned.accepted != pinned.accepted) std::abort();
  if (unpinned.accepted != (expect != Expect::reject)) std::abort();
  if (expect != Expect::reject) {
    if (!verify(m, signed_at - 14min).accepted) std::abort();
    const Verdict late = verify(m, signed_at + 16min);
    if (late.accepted || late.code != "InvalidSignatureException") std::abort();
  }
  check_handler(m, expect);
}

// RFC 9110 token characters, for the names of extra headers.
constexpr std::string_view token_chars =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~";
// Names the signer or the verifier treats specially, and one that is merely extra.
constexpr std::string_view known_names[] = {
    "Host",         "X-Amz-Date",   "Authorization",   "User-Agent",     "Expect",
    "Content-Type", "X-Amz-Target", "X-Amzn-Trace-Id", "X-Extra-Header", "X-Amz-Security-Token"};

std::string header_name(FuzzedDataProvider& in) {
  if (in.ConsumeBool()) {
    return std::string(known_names[in.ConsumeIntegralInRange<std::size_t>(0, std::size(known_names) - 1)]);
  }
  std::string name = in.ConsumeRandomLengthString(12);
  for (char& c : name) c = token_chars[static_cast<unsigned char>(c) % token_chars.size()];
  return name.empty() ? std::string("x") : name;
}

// Inserts, replaces or erases one byte.
void change_byte(FuzzedDataProvider& in, std::string& text) {
  const int how = text.empty() ? 0 : in.ConsumeIntegralInRange(0, 2);
  const std::size_t last = text.empty() ? 0 : text.size() - (how == 0 ? 0 : 1);
  const std::size_t at = in.ConsumeIntegralInRange<std::size_t>(0, last);
  if (how == 0) {
    text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), in.ConsumeIntegral<char>());
  } else if (how == 1) {
    text[at] = in.ConsumeIntegral<char>();
  } else {
    text.erase(at, 1);
  }
}

// What the verifier makes of a new Authorization value, given the signed one.
Expect authorization_change(std::string_view value, const AuthorizationHeader& signed_header) {
  AuthorizationHeader parsed;
  try {
    parsed = dynamo::auth::parse_authorization_header(value);
  } catch (const dynamo::Error&) {
    return Expect::reject;
  }
  if (parsed.date != signed_header.date || parsed.region != signed_header.region ||
      parsed.service != signed_header.service || parsed.signed_headers != signed_header.signed_headers ||
      parsed.signature != signed_header.signature) {
    return Expect::reject;
  }
  return parsed.access_key_id == signed_header.access_key_id ? Expect::accept : Expect::unknown_key;
}

// Whether two request targets canonicalize alike (what SigV4 signs of the target).
bool same_target(std::string_view a, std::string_view b) {
  dynamo::auth::detail::UrlParts pa;
  dynamo::auth::detail::UrlParts pb;
  if (!dynamo::auth::detail::split_url(a, pa) || !dynamo::auth::detail::split_url(b, pb)) return false;
  using dynamo::auth::detail::canonical_query;
  using dynamo::auth::detail::canonical_uri;
  return canonical_uri(pa.path) == canonical_uri(pb.path) && canonical_query(pa.query) == canonical_query(pb.query);
}

Header* find(Headers& headers, std::string_view name) {
  for (Header& header : headers) {
    if (lower(header.name) == name) return &header;
  }
  return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  dynamo::set_log_level(dynamo::LogLevel::off);  // refusals are logged as warnings
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  static constexpr std::string_view operations[] = {"ListTables", "DescribeTable", "GetItem",
                                                    "Query",      "Scan",          "DescribeTimeToLive"};
  Message m;
  m.target = "/" + in.ConsumeRandomLengthString(24);
  m.headers = {{"Content-Type", "application/x-amz-json-1.0"},
               {"X-Amz-Target", "DynamoDB_20120810." +
                                    std::string(operations[in.ConsumeIntegralInRange<std::size_t>(0, 5)])}};
  for (int extra = in.ConsumeIntegralInRange(0, 2); extra > 0; --extra) {
    std::string name = header_name(in);
    m.headers.push_back({std::move(name), in.ConsumeRandomLengthString(24)});
  }
  m.body = in.ConsumeRandomLengthString(128);

  const std::string url = std::string(endpoint) + m.target;
  const dynamo::auth::SigningResult signing = dynamo::auth::sign_request(
      {.method = m.method, .url = url, .headers = m.headers, .body = m.body},
      dynamo::auth::Credentials{.access_key_id = std::string(key_id), .secret_access_key = std::string(secret)},
      {.region = "us-east-1", .timestamp = signed_at});
  signing.add_headers_to(m.headers);
  const AuthorizationHeader signed_header =
      dynamo::auth::parse_authorization_header(*signing.header("Authorization"));
  const std::string_view names = signed_header.signed_headers;
  std::vector<std::string> signed_names;
  for (std::size_t start = 0; start <= names.size();) {
    const std::size_t end = std::min(names.find(';', start), names.size());
    signed_names.emplace_back(names.substr(start, end - start));
    start = end + 1;
  }
  const auto is_signed = [&](std::string_view name) {
    return std::find(signed_names.begin(), signed_names.end(), lower(name)) != signed_names.end();
  };

  const Message original = m;
  Expect expect = Expect::accept;
  const std::size_t pick = in.ConsumeIntegralInRange<std::size_t>(0, m.headers.size() - 1);
  switch (in.ConsumeIntegralInRange(0, 10)) {
    case 0:  // as signed
      break;
    case 1:
      change_byte(in, m.body);
      expect = m.body == original.body ? Expect::accept : Expect::reject;
      break;
    case 2:
      m.method = in.ConsumeRandomLengthString(8);
      expect = m.method == original.method ? Expect::accept : Expect::reject;
      break;
    case 3:
      change_byte(in, m.target);
      expect = same_target(m.target, original.target) ? Expect::accept : Expect::reject;
      break;
    case 4: {  // a header's value
      Header& header = m.headers[pick];
      change_byte(in, header.value);
      if (lower(header.name) == "authorization") {
        expect = authorization_change(header.value, signed_header);
      } else if (is_signed(header.name)) {
        expect = canonical_value(header.value) == canonical_value(original.headers[pick].value) ? Expect::accept
                                                                                                 : Expect::reject;
      }
      break;
    }
    case 5: {  // the case of a header's name
      std::string& name = m.headers[pick].name;
      if (!name.empty()) {
        char& c = name[in.ConsumeIntegralInRange<std::size_t>(0, name.size() - 1)];
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
        else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      }
      break;
    }
    case 6: {  // a header removed
      const std::string name = lower(m.headers[pick].name);
      m.headers.erase(m.headers.begin() + static_cast<std::ptrdiff_t>(pick));
      if (name == "authorization" || is_signed(name)) expect = Expect::reject;
      break;
    }
    case 7: {  // a header added after the others
      std::string name = header_name(in);
      if (is_signed(name)) expect = Expect::reject;
      m.headers.push_back({std::move(name), in.ConsumeRandomLengthString(24)});
      break;
    }
    case 8: {  // one field of the Authorization header
      AuthorizationHeader fields = signed_header;
      std::string* field[] = {&fields.access_key_id, &fields.date,           &fields.region,
                              &fields.service,       &fields.signed_headers, &fields.signature};
      *field[in.ConsumeIntegralInRange(0, 5)] = in.ConsumeRandomLengthString(20);
      Header* authorization = find(m.headers, "authorization");
      authorization->value = "AWS4-HMAC-SHA256 Credential=" + fields.access_key_id + "/" + fields.date + "/" +
                             fields.region + "/" + fields.service + "/aws4_request, SignedHeaders=" +
                             fields.signed_headers + ", Signature=" + fields.signature;
      expect = authorization_change(authorization->value, signed_header);
      break;
    }
    case 9: {  // a byte of the Authorization header
      Header* authorization = find(m.headers, "authorization");
      change_byte(in, authorization->value);
      expect = authorization_change(authorization->value, signed_header);
      break;
    }
    case 10: {  // another X-Amz-Date
      const auto shift = std::chrono::seconds(in.ConsumeIntegralInRange<int>(-200000, 200000));
      find(m.headers, "x-amz-date")->value = dynamo::auth::format_amz_date(signed_at + shift);
      expect = shift == 0s ? Expect::accept : Expect::reject;
      break;
    }
  }
  check(m, expect);
  return 0;
}
