// Splitting URLs and request targets into the parts SigV4 canonicalizes. Internal.
#pragma once

#include <string>
#include <string_view>

namespace dynamo::auth::detail {

struct UrlParts {
  std::string_view scheme;     // "https"; empty for an origin-form target ("/path?q")
  std::string_view authority;  // "host:8000" without any "user@"; empty for origin-form
  std::string_view path;       // may be empty
  std::string_view query;      // without '?'; may be empty
};

// Splits an absolute URL or an origin-form request target. The fragment is dropped.
// Returns false when an absolute URL has no host.
[[nodiscard]] bool split_url(std::string_view url, UrlParts& parts);

// The Host header for an authority: as written, except that a port which is the scheme's
// default (80 for http, 443 for https) is left out, as HTTP clients send it.
[[nodiscard]] std::string host_header_for(std::string_view scheme, std::string_view authority);

// SigV4's URI encoding: every byte but A-Z a-z 0-9 - _ . ~ (and '/' when keep_slash)
// becomes %XX with uppercase hex.
[[nodiscard]] std::string uri_encode(std::string_view text, bool keep_slash);

// Undoes %XX escapes; malformed escapes are kept as they are.
[[nodiscard]] std::string percent_decode(std::string_view text);

// The canonical URI: dot segments and repeated slashes removed (keeping a trailing slash),
// then URI-encoded. Like botocore, the path as given is encoded again, so "%20" signs as
// "%2520": AWS services other than S3 expect the double encoding.
[[nodiscard]] std::string canonical_uri(std::string_view path);

// The canonical query: names and values decoded, re-encoded with uri_encode, sorted by
// name then value, joined with '&'.
[[nodiscard]] std::string canonical_query(std::string_view query);

}  // namespace dynamo::auth::detail
