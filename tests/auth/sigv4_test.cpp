#include "dynamo/auth/sigv4.hpp"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "auth/url.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

struct SigningVector {
  std::string name;
  std::string method;
  std::string url;
  std::string region;
  std::string service;
  Credentials credentials;
  std::string timestamp;
  Headers request_headers;
  std::string body;
  Headers expected_headers;
  std::string canonical_request;
  std::string string_to_sign;
};

std::string string_field(simdjson::dom::element object, const char* key) {
  return std::string(std::string_view(object[key]));
}

Headers header_object(simdjson::dom::element object) {
  Headers headers;
  for (auto field : simdjson::dom::object(object)) {
    headers.push_back({std::string(field.key), std::string(std::string_view(field.value))});
  }
  return headers;
}

// Reads the botocore-generated vectors; an exception here (missing file, changed shape)
// fails the test that asked for them.
std::vector<SigningVector> load_vectors() {
  const std::filesystem::path path = DYNAMO_SIGV4_VECTORS_PATH;
  if (!std::filesystem::exists(path)) {
    throw std::runtime_error("SigV4 vectors missing: " + path.string() + " (expected in ../shared/testdata)");
  }
  simdjson::dom::parser parser;
  std::vector<SigningVector> vectors;
  for (simdjson::dom::element entry : simdjson::dom::array(parser.load(path.string()))) {
    SigningVector vector;
    vector.name = string_field(entry, "name");
    vector.method = string_field(entry, "method");
    vector.url = string_field(entry, "url");
    vector.region = string_field(entry, "region");
    vector.service = string_field(entry, "service");
    vector.credentials.access_key_id = string_field(entry, "access_key_id");
    vector.credentials.secret_access_key = string_field(entry, "secret_access_key");
    if (!entry["session_token"].is_null())
      vector.credentials.session_token = string_field(entry, "session_token");
    vector.timestamp = string_field(entry, "timestamp");
    vector.request_headers = header_object(entry["request_headers"]);
    vector.body = string_field(entry, "body");
    vector.expected_headers = header_object(entry["expected"]);
    vector.canonical_request = string_field(entry, "canonical_request");
    vector.string_to_sign = string_field(entry, "string_to_sign");
    vectors.push_back(std::move(vector));
  }
  return vectors;
}

SigningResult sign_vector(const SigningVector& vector) {
  return sign_request(
      {.method = vector.method, .url = vector.url, .headers = vector.request_headers, .body = vector.body},
      vector.credentials,
      {.region = vector.region, .service = vector.service, .timestamp = *parse_amz_date(vector.timestamp)});
}

Credentials example_credentials() {
  return {.access_key_id = "AKIDEXAMPLE", .secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"};
}

// A signed GetItem as a server would receive it: origin-form target plus every header sent.
struct ReceivedRequest {
  Headers headers;
  std::string body = R"({"TableName":"Thread","Key":{"forum_name":{"S":"f"}}})";
  std::string target = "/";

  ReceivedRequest() {
    headers = {{"Content-Type", "application/x-amz-json-1.0"}, {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};
    const auto signing = sign_request(
        {.url = "http://localhost:8000/", .headers = headers, .body = body}, example_credentials(),
        {.region = "us-east-1", .timestamp = *parse_amz_date("20261121T123456Z")});
    signing.add_headers_to(headers);
    headers.push_back({"User-Agent", "dynamo-test"});  // unsigned, as a real client adds it
  }

  [[nodiscard]] RequestView view() const { return {.url = target, .headers = headers, .body = body}; }

  void set(std::string_view name, std::string value) {
    for (auto& header : headers) {
      if (header.name == name) header.value = std::move(value);
    }
  }
};

std::string verification_error_code(const ReceivedRequest& request, std::string_view secret) {
  try {
    (void)verify_signature(request.view(), secret);
  } catch (const Error& error) {
    return error.code();
  }
  return "accepted";
}

// Every botocore vector yields exactly its canonical request, string to sign and headers.
TEST(SigV4, ReproducesEveryBotocoreVector) {
  const auto vectors = load_vectors();
  ASSERT_GE(vectors.size(), 4U);
  for (const auto& vector : vectors) {
    SCOPED_TRACE(vector.name);
    const SigningResult result = sign_vector(vector);
    EXPECT_EQ(result.canonical_request, vector.canonical_request);
    EXPECT_EQ(result.string_to_sign, vector.string_to_sign);
    for (const auto& expected : vector.expected_headers) {
      const std::string* actual = result.header(expected.name);
      ASSERT_NE(actual, nullptr) << expected.name;
      EXPECT_EQ(*actual, expected.value) << expected.name;
    }
  }
}

// Each vector, with the headers a client would add, passes the server-side verification.
TEST(SigV4, VerifiesEveryBotocoreVector) {
  for (const auto& vector : load_vectors()) {
    SCOPED_TRACE(vector.name);
    Headers received = vector.request_headers;
    sign_vector(vector).add_headers_to(received);
    const auto authorization =
        verify_signature({.method = vector.method, .url = "/", .headers = received, .body = vector.body},
                         vector.credentials.secret_access_key.reveal());
    EXPECT_EQ(authorization.access_key_id, vector.credentials.access_key_id);
    EXPECT_EQ(authorization.region, vector.region);
  }
}

// Temporary credentials add X-Amz-Security-Token and sign it; long-term ones add neither.
TEST(SigV4, SessionTokenIsSentAndSigned) {
  Credentials temporary = example_credentials();
  temporary.session_token = "TOKEN/with+chars=";
  const Headers headers = {{"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
  const SigningParams params{.region = "us-east-1", .timestamp = *parse_amz_date("20260101T000000Z")};
  const RequestView request{
      .url = "https://dynamodb.us-east-1.amazonaws.com/", .headers = headers, .body = "{}"};

  const auto with_token = sign_request(request, temporary, params);
  ASSERT_NE(with_token.header("x-amz-security-token"), nullptr);
  EXPECT_EQ(*with_token.header("X-Amz-Security-Token"), "TOKEN/with+chars=");
  EXPECT_EQ(with_token.signed_headers, "host;x-amz-date;x-amz-security-token;x-amz-target");

  const auto without_token = sign_request(request, example_credentials(), params);
  EXPECT_EQ(without_token.header("X-Amz-Security-Token"), nullptr);
  EXPECT_EQ(without_token.signed_headers, "host;x-amz-date;x-amz-target");
}

// Host is added from the URL only when absent, with a default port left out.
TEST(SigV4, HostHeaderComesFromTheUrlUnlessGiven) {
  const auto params = SigningParams{.region = "us-east-1", .timestamp = *parse_amz_date("20260101T000000Z")};
  EXPECT_EQ(*sign_request({.url = "https://example.com:443/"}, example_credentials(), params).header("Host"),
            "example.com");
  EXPECT_EQ(*sign_request({.url = "http://user@[::1]:8000/"}, example_credentials(), params).header("Host"),
            "[::1]:8000");
  const Headers given = {{"host", "proxy.internal"}};
  const auto signed_with_host =
      sign_request({.url = "https://example.com/", .headers = given}, example_credentials(), params);
  EXPECT_EQ(signed_with_host.header("Host"), nullptr);
  EXPECT_NE(signed_with_host.canonical_request.find("host:proxy.internal\n"), std::string::npos);
}

// Signing again (a retry) replaces the old signing headers instead of signing them.
TEST(SigV4, ResigningReplacesEarlierSignature) {
  Headers headers = {{"X-Amz-Target", "DynamoDB_20120810.ListTables"}};
  const std::string url = "https://dynamodb.us-east-1.amazonaws.com/";
  sign_request({.url = url, .headers = headers, .body = "{}"}, example_credentials(),
               {.region = "us-east-1", .timestamp = *parse_amz_date("20260101T000000Z")})
      .add_headers_to(headers);
  const auto second = sign_request({.url = url, .headers = headers, .body = "{}"}, example_credentials(),
                                   {.region = "us-east-1", .timestamp = *parse_amz_date("20260101T000100Z")});
  second.add_headers_to(headers);
  EXPECT_EQ(second.signed_headers, "host;x-amz-date;x-amz-target");
  EXPECT_EQ(std::count_if(headers.begin(), headers.end(),
                          [](const Header& h) { return h.name == "Authorization"; }),
            1);
  EXPECT_NO_THROW((void)verify_signature({.url = "/", .headers = headers, .body = "{}"},
                                         "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"));
}

// Canonical header values are trimmed with inner whitespace collapsed; repeats are joined.
TEST(SigV4, CanonicalHeadersAreNormalized) {
  const Headers headers = {{"X-Custom", "  a   b \t c  "}, {"x-custom", "d"}, {"User-Agent", "not signed"}};
  const auto result = sign_request({.url = "https://h/", .headers = headers}, example_credentials(),
                                   {.region = "us-east-1", .timestamp = *parse_amz_date("20260101T000000Z")});
  EXPECT_NE(result.canonical_request.find("\nx-custom:a b c,d\n"), std::string::npos);
  EXPECT_EQ(result.signed_headers, "host;x-amz-date;x-custom");
}

// Paths are normalized and double-encoded; queries decoded, re-encoded and sorted.
TEST(SigV4, CanonicalUriAndQuery) {
  EXPECT_EQ(detail::canonical_uri(""), "/");
  EXPECT_EQ(detail::canonical_uri("/a/./b/../c//d/"), "/a/c/d/");
  EXPECT_EQ(detail::canonical_uri("/my path/%20"), "/my%20path/%2520");
  EXPECT_EQ(detail::canonical_query("b=2&a=z&a=y&c"), "a=y&a=z&b=2&c=");
  EXPECT_EQ(detail::canonical_query("k=a%20b&x=%7e*"), "k=a%20b&x=~%2A");
}

// X-Amz-Date formatting and parsing round-trip, and malformed dates are refused.
TEST(SigV4, AmzDateRoundTrip) {
  const auto time = parse_amz_date("20261121T123456Z");
  ASSERT_TRUE(time.has_value());
  EXPECT_EQ(format_amz_date(*time), "20261121T123456Z");
  EXPECT_FALSE(parse_amz_date("20261321T123456Z").has_value());
  EXPECT_FALSE(parse_amz_date("20261121T123456").has_value());
  EXPECT_FALSE(parse_amz_date("2026-11-21T12:34:56Z").has_value());
}

// An untouched request verifies, and the parsed scope is returned.
TEST(SigV4Verify, AcceptsAnUntamperedRequest) {
  const ReceivedRequest request;
  const auto authorization = verify_signature(request.view(), "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(authorization.access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(authorization.service, "dynamodb");
}

// A changed body, signed header, target or method, or the wrong secret, is rejected.
TEST(SigV4Verify, RejectsTamperedRequests) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  ReceivedRequest body;
  body.body.back() = ' ';
  EXPECT_EQ(verification_error_code(body, secret), "InvalidSignatureException");
  ReceivedRequest target;
  target.set("X-Amz-Target", "DynamoDB_20120810.DeleteItem");
  EXPECT_EQ(verification_error_code(target, secret), "InvalidSignatureException");
  ReceivedRequest path;
  path.target = "/other";
  EXPECT_EQ(verification_error_code(path, secret), "InvalidSignatureException");
  ReceivedRequest date;
  date.set("X-Amz-Date", "20261121T123457Z");
  EXPECT_EQ(verification_error_code(date, secret), "InvalidSignatureException");
  EXPECT_EQ(verification_error_code(ReceivedRequest{}, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEz"),
            "InvalidSignatureException");
}

// Headers outside SignedHeaders may change in transit without breaking the signature.
TEST(SigV4Verify, IgnoresUnsignedHeaders) {
  ReceivedRequest request;
  request.set("User-Agent", "rewritten-by-a-proxy");
  EXPECT_EQ(verification_error_code(request, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"), "accepted");
}

// Missing or malformed authentication gets DynamoDB's specific error codes.
TEST(SigV4Verify, ReportsMissingAndMalformedAuthorization) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  ReceivedRequest missing;
  std::erase_if(missing.headers, [](const Header& h) { return h.name == "Authorization"; });
  EXPECT_EQ(verification_error_code(missing, secret), "MissingAuthenticationTokenException");
  ReceivedRequest no_signature;
  no_signature.set("Authorization",
                   "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1/dynamodb/aws4_request, "
                   "SignedHeaders=host;x-amz-date");
  EXPECT_EQ(verification_error_code(no_signature, secret), "IncompleteSignatureException");
  ReceivedRequest bad_scope;
  bad_scope.set(
      "Authorization",
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261121/us-east-1, SignedHeaders=host, Signature=00");
  EXPECT_EQ(verification_error_code(bad_scope, secret), "IncompleteSignatureException");
  ReceivedRequest no_date;
  std::erase_if(no_date.headers, [](const Header& h) { return h.name == "X-Amz-Date"; });
  EXPECT_EQ(verification_error_code(no_date, secret), "IncompleteSignatureException");
}

// With a clock given, a request older than the allowed skew is refused.
TEST(SigV4Verify, RejectsRequestsOutsideTheClockSkew) {
  const ReceivedRequest request;
  const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  const auto signed_at = *parse_amz_date("20261121T123456Z");
  EXPECT_NO_THROW(
      (void)verify_signature(request.view(), secret, {.now = signed_at + std::chrono::minutes(14)}));
  try {
    (void)verify_signature(request.view(), secret, {.now = signed_at + std::chrono::minutes(16)});
    FAIL() << "a stale request was accepted";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), "InvalidSignatureException");
    EXPECT_NE(std::string(error.what()).find("expired"), std::string::npos);
  }
}

}  // namespace
}  // namespace dynamo::auth
