// libFuzzer target for the URL helpers SigV4 canonicalizes with (src/auth/url.hpp).
//
// For every input: nothing crashes. uri_encode's output holds only A-Z a-z 0-9 - _ . ~, '%'
// followed by two uppercase hex digits, and '/' when slashes are kept, and percent_decode
// turns it back into the input exactly. When split_url succeeds its parts are pieces of the
// input, in order (scheme, authority, path, query), none overlapping; it fails only for an
// absolute URL ("://") without a host. host_header_for gives the authority or the authority
// without its default port. canonical_uri of an empty or absolute path starts with '/' and
// is encoded; canonical_query is made of encoded name=value pairs, and canonicalizing it
// again changes nothing.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/url.hpp"

namespace {

using namespace dynamo::auth::detail;

bool unreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.' || c == '~';
}

bool upper_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'); }

// Checks `encoded` is uri_encode's alphabet; `extra` lists other characters allowed as such.
void check_encoded(std::string_view encoded, bool keep_slash, std::string_view extra = {}) {
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    const char c = encoded[i];
    if (unreserved(c) || (keep_slash && c == '/') || extra.find(c) != std::string_view::npos) continue;
    if (c != '%' || i + 2 >= encoded.size() || !upper_hex(encoded[i + 1]) || !upper_hex(encoded[i + 2])) {
      std::abort();
    }
    i += 2;
  }
}

// Offset of `part` in `whole` (aborting when it is not a view into it); npos for an empty
// part, which may sit anywhere.
std::size_t offset_in(std::string_view whole, std::string_view part) {
  if (part.empty()) return std::string_view::npos;
  const auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
  const auto at = reinterpret_cast<std::uintptr_t>(part.data());
  if (at < begin || at + part.size() > begin + whole.size()) std::abort();
  return static_cast<std::size_t>(at - begin);
}

void check_split(std::string_view url) {
  UrlParts parts;
  if (!split_url(url, parts)) {
    if (url.find("://") == std::string_view::npos) std::abort();
    return;
  }
  if (!parts.scheme.empty() && parts.authority.empty()) std::abort();
  std::size_t position = 0;
  for (std::string_view part : {parts.scheme, parts.authority, parts.path, parts.query}) {
    const std::size_t at = offset_in(url, part);
    if (at == std::string_view::npos) continue;
    if (at < position) std::abort();  // out of order, or overlapping the part before
    position = at + part.size();
  }
  if (parts.path.find('?') != std::string_view::npos || parts.query.find('#') != std::string_view::npos ||
      parts.path.find('#') != std::string_view::npos) {
    std::abort();
  }
  if (!parts.authority.empty()) {
    const std::size_t separator = url.find("://");
    if (separator == std::string_view::npos || separator + 3 > offset_in(url, parts.authority)) std::abort();
    const std::string host = host_header_for(parts.scheme, parts.authority);
    if (host != parts.authority && !(host + ":80" == parts.authority && parts.scheme == "http") &&
        !(host + ":443" == parts.authority && parts.scheme == "https")) {
      std::abort();
    }
  }
  const std::string uri = canonical_uri(parts.path);
  if (uri.empty() || ((parts.path.empty() || parts.path.front() == '/') && uri.front() != '/')) std::abort();
  check_encoded(uri, true);
  const std::string query = canonical_query(parts.query);
  check_encoded(query, false, "=&");
  if (canonical_query(query) != query) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const bool keep_slash : {false, true}) {
    const std::string encoded = uri_encode(input, keep_slash);
    check_encoded(encoded, keep_slash);
    if (percent_decode(encoded) != input) std::abort();
  }
  if (percent_decode(input).size() > input.size()) std::abort();
  check_split(input);
  (void)host_header_for("https", input);
  (void)host_header_for("http", input);
  return 0;
}
