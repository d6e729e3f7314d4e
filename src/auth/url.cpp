#include "auth/url.hpp"

#include <algorithm>
#include <utility>
#include <vector>

namespace dynamo::auth::detail {

bool split_url(std::string_view url, UrlParts& parts) {
  parts = {};
  if (auto hash = url.find('#'); hash != std::string_view::npos) url = url.substr(0, hash);

  if (auto scheme_end = url.find("://");
      scheme_end != std::string_view::npos && url.find_first_of("/?") > scheme_end) {
    parts.scheme = url.substr(0, scheme_end);
    url.remove_prefix(scheme_end + 3);
    auto authority_end = std::min(url.find_first_of("/?"), url.size());
    std::string_view authority = url.substr(0, authority_end);
    if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
    if (authority.empty()) return false;
    parts.authority = authority;
    url.remove_prefix(authority_end);
  }

  auto query_start = url.find('?');
  parts.path = url.substr(0, query_start);
  if (query_start != std::string_view::npos) parts.query = url.substr(query_start + 1);
  return true;
}

std::string host_header_for(std::string_view scheme, std::string_view authority) {
  // The port follows the last ':' unless that colon sits inside an IPv6 literal "[...]".
  auto colon = authority.rfind(':');
  auto bracket = authority.rfind(']');
  if (colon == std::string_view::npos || (bracket != std::string_view::npos && bracket > colon)) {
    return std::string(authority);
  }
  std::string_view port = authority.substr(colon + 1);
  if ((scheme == "http" && port == "80") || (scheme == "https" && port == "443")) {
    return std::string(authority.substr(0, colon));
  }
  return std::string(authority);
}

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char hex_digits[] = "0123456789ABCDEF";
  std::string encoded;
  encoded.reserve(text.size());
  for (char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '_' || c == '.' || c == '~';
    if (unreserved || (keep_slash && c == '/')) {
      encoded.push_back(c);
    } else {
      const auto byte = static_cast<unsigned char>(c);
      encoded.push_back('%');
      encoded.push_back(hex_digits[byte >> 4U]);
      encoded.push_back(hex_digits[byte & 0x0FU]);
    }
  }
  return encoded;
}

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string percent_decode(std::string_view text) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high >= 0 && low >= 0) {
        decoded.push_back(static_cast<char>(high * 16 + low));
        i += 2;
        continue;
      }
    }
    decoded.push_back(text[i]);
  }
  return decoded;
}

std::string canonical_uri(std::string_view path) {
  if (path.empty()) return "/";
  // RFC 3986 dot-segment removal, which AWS also expects to drop empty segments ("//").
  std::vector<std::string_view> segments;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = std::min(path.find('/', start), path.size());
    std::string_view segment = path.substr(start, end - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    start = end + 1;
  }
  std::string normalized;
  if (path.front() == '/') normalized.push_back('/');
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) normalized.push_back('/');
    normalized.append(segments[i]);
  }
  if (path.back() == '/' && !segments.empty()) normalized.push_back('/');
  // (Returning here rather than assigning "/" also sidesteps a false -Wrestrict in GCC 12.)
  if (normalized.empty()) return "/";
  return uri_encode(normalized, /*keep_slash=*/true);
}

std::string canonical_query(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> parameters;
  std::size_t start = 0;
  while (start < query.size()) {
    auto end = std::min(query.find('&', start), query.size());
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      auto equals = pair.find('=');
      std::string_view name = pair.substr(0, equals);
      std::string_view value =
          equals == std::string_view::npos ? std::string_view{} : pair.substr(equals + 1);
      parameters.emplace_back(uri_encode(percent_decode(name), false),
                              uri_encode(percent_decode(value), false));
    }
    start = end + 1;
  }
  std::sort(parameters.begin(), parameters.end());
  std::string canonical;
  for (const auto& [name, value] : parameters) {
    if (!canonical.empty()) canonical.push_back('&');
    canonical.append(name).append("=").append(value);
  }
  return canonical;
}

}  // namespace dynamo::auth::detail
