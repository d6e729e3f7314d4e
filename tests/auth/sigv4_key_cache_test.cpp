// sign_request() and verify_signature() reuse signing keys derived earlier on the same thread.
// These tests check that reuse never changes a signature: each one is compared with a key
// derived from scratch here, with OpenSSL's one-shot HMAC and none of dynamo's crypto code,
// while scopes and secrets alternate so that a cache keyed too loosely would hand back a
// key for the wrong scope. The concurrency test also runs under ThreadSanitizer.
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "dynamo/auth/sigv4.hpp"
#include "dynamo/error.hpp"

namespace dynamo::auth {
namespace {

using Digest = std::array<unsigned char, 32>;

Digest reference_hmac(const unsigned char* key, std::size_t key_size, std::string_view data) {
  Digest mac{};
  unsigned int size = 0;
  const unsigned char* result =
      HMAC(EVP_sha256(), key, static_cast<int>(key_size), reinterpret_cast<const unsigned char*>(data.data()),
           data.size(), mac.data(), &size);
  if (result == nullptr || size != mac.size()) throw std::runtime_error("reference HMAC failed");
  return mac;
}

// The signature as the SigV4 specification computes it, with nothing reused.
std::string reference_signature(std::string_view secret, std::string_view date, std::string_view region,
                                std::string_view service, std::string_view string_to_sign) {
  const std::string seed = "AWS4" + std::string(secret);
  Digest key = reference_hmac(reinterpret_cast<const unsigned char*>(seed.data()), seed.size(), date);
  for (std::string_view part : {region, service, std::string_view("aws4_request")}) {
    key = reference_hmac(key.data(), key.size(), part);
  }
  const Digest signature = reference_hmac(key.data(), key.size(), string_to_sign);
  static constexpr char digits[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char byte : signature) {
    hex.push_back(digits[byte >> 4U]);
    hex.push_back(digits[byte & 0x0FU]);
  }
  return hex;
}

// One way of signing: who, where, and when.
struct Scope {
  Credentials credentials;
  std::string region;
  std::string service;
  std::string amz_date;  // X-Amz-Date; its first 8 characters are the scope's date
};

const std::string request_body = R"({"TableName":"Thread","Key":{"ForumName":{"S":"dynamo"}}})";
const Headers request_headers = {{"Content-Type", "application/x-amz-json-1.0"},
                                 {"X-Amz-Target", "DynamoDB_20120810.GetItem"}};

SigningResult sign(const Scope& scope) {
  return sign_request({.url = "https://dynamodb." + scope.region + ".amazonaws.com/",
                       .headers = request_headers,
                       .body = request_body},
                      scope.credentials,
                      {.region = scope.region,
                       .service = scope.service,
                       .timestamp = *parse_amz_date(scope.amz_date)});
}

std::string expected_signature(const Scope& scope, const SigningResult& result) {
  return reference_signature(scope.credentials.secret_access_key.reveal(), scope.amz_date.substr(0, 8),
                             scope.region, scope.service, result.string_to_sign);
}

// Two secrets (the second one as if the first had been rotated: same access key id), two
// dates, two regions and two services: 16 scopes, more than are ever kept, each differing
// from others in exactly one part.
std::vector<Scope> alternating_scopes() {
  std::vector<Scope> scopes;
  for (const char* secret :
       {"wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY"}) {
    for (const char* amz_date : {"20261121T235959Z", "20261122T000001Z"}) {
      for (const char* region : {"us-east-1", "eu-west-1"}) {
        for (const char* service : {"dynamodb", "streams.dynamodb"}) {
          scopes.push_back({.credentials = {.access_key_id = "AKIDEXAMPLE", .secret_access_key = secret},
                            .region = region,
                            .service = service,
                            .amz_date = amz_date});
        }
      }
    }
  }
  return scopes;
}

std::string authorization_signature(const SigningResult& result) {
  const std::string* authorization = result.header("Authorization");
  if (authorization == nullptr) return "<no Authorization header>";
  const auto at = authorization->rfind("Signature=");
  return at == std::string::npos ? "<no signature>" : authorization->substr(at + 10);
}

// Scopes signed in an order that revisits each one right after, and long after, signing
// others: every signature, and the one in the Authorization header, is the fresh one.
TEST(SigV4KeyCache, AlternatingScopesAndSecretsMatchAFreshDerivation) {
  const auto scopes = alternating_scopes();
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < scopes.size(); ++i) order.insert(order.end(), {i, (i + 1) % scopes.size(), i});
  for (std::size_t i = scopes.size(); i-- > 0;) order.push_back(i);
  for (std::size_t i = 0; i < scopes.size(); i += 2) order.insert(order.end(), {i, scopes.size() - 1 - i});

  for (std::size_t index : order) {
    const Scope& scope = scopes[index];
    SCOPED_TRACE("scope " + std::to_string(index) + ": " + scope.amz_date + " " + scope.region + " " +
                 scope.service + " secret " + scope.credentials.secret_access_key.reveal().substr(0, 4));
    const SigningResult result = sign(scope);
    const std::string expected = expected_signature(scope, result);
    EXPECT_EQ(result.signature, expected);
    EXPECT_EQ(authorization_signature(result), expected);
  }
}

// The server side shares the cache: a request verifies only with the secret it was signed
// with, however the two secrets alternate.
TEST(SigV4KeyCache, VerificationAlternatingSecretsAcceptsOnlyTheSigningSecret) {
  const auto scopes = alternating_scopes();
  const Scope& first = scopes.front();
  const Scope& rotated = scopes[scopes.size() / 2];  // same scope, the other secret
  ASSERT_EQ(first.amz_date, rotated.amz_date);
  ASSERT_EQ(first.region, rotated.region);
  ASSERT_NE(first.credentials.secret_access_key.reveal(), rotated.credentials.secret_access_key.reveal());

  Headers received = request_headers;
  sign(first).add_headers_to(received);
  const RequestView view{.url = "/", .headers = received, .body = request_body};
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    EXPECT_NO_THROW((void)verify_signature(view, first.credentials.secret_access_key.reveal()));
    try {
      (void)verify_signature(view, rotated.credentials.secret_access_key.reveal());
      ADD_FAILURE() << "a request signed with one secret verified with another";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), "InvalidSignatureException");
    }
  }
}

// Refreshed temporary credentials (new secret and token, same access key id) change the
// signature at once, and signing with the old ones again still gives the old signature.
TEST(SigV4KeyCache, RefreshedCredentialsTakeEffectImmediately) {
  Scope before{.credentials = {.access_key_id = "ASIAEXAMPLE",
                               .secret_access_key = "first/secret/EXAMPLEKEY",
                               .session_token = "first-token"},
               .region = "us-east-1",
               .service = "dynamodb",
               .amz_date = "20261121T120000Z"};
  Scope after = before;
  after.credentials.secret_access_key = "second/secret/EXAMPLEKEY";
  after.credentials.session_token = "second-token";

  const SigningResult old_signing = sign(before);
  const SigningResult new_signing = sign(after);
  EXPECT_EQ(old_signing.signature, expected_signature(before, old_signing));
  EXPECT_EQ(new_signing.signature, expected_signature(after, new_signing));
  EXPECT_NE(old_signing.signature, new_signing.signature);
  ASSERT_NE(new_signing.header("X-Amz-Security-Token"), nullptr);
  EXPECT_EQ(*new_signing.header("X-Amz-Security-Token"), "second-token");
  EXPECT_EQ(sign(before).signature, old_signing.signature);
}

// format_amz_date writes each field with its leading zeros, at both ends of the range.
TEST(SigV4KeyCache, AmzDateFieldsArePaddedAndOrdered) {
  using namespace std::chrono;
  EXPECT_EQ(format_amz_date(sys_seconds{}), "19700101T000000Z");
  EXPECT_EQ(format_amz_date(sys_days{2024y / February / 29} + hours{9} + minutes{5} + seconds{7}),
            "20240229T090507Z");
  EXPECT_EQ(format_amz_date(sys_days{9999y / December / 31} + hours{23} + minutes{59} + seconds{59}),
            "99991231T235959Z");
}

// Several threads signing and verifying with different credentials at once, each thread
// cycling through more scopes than it keeps, produce exactly the single-threaded results.
TEST(SigV4Concurrency, ThreadsWithDifferentCredentialsMatchSingleThreadedSignatures) {
  const auto scopes = alternating_scopes();
  std::vector<std::string> single_threaded;
  for (const auto& scope : scopes) {
    const SigningResult result = sign(scope);
    ASSERT_EQ(result.signature, expected_signature(scope, result));
    single_threaded.push_back(result.signature);
  }

  constexpr std::size_t thread_count = 4;
  constexpr std::size_t rounds = 40;
  const std::size_t signings = rounds * scopes.size();
  std::vector<std::size_t> mismatches(thread_count, 0);
  std::vector<std::size_t> checked(thread_count, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      // Each thread starts at a different scope and steps through them at its own stride.
      const std::size_t stride = 2 * t + 1;
      std::size_t index = t * 3 % scopes.size();
      for (std::size_t i = 0; i < signings; ++i) {
        const Scope& scope = scopes[index];
        const SigningResult result = sign(scope);
        if (result.signature != single_threaded[index]) ++mismatches[t];
        if (i % 8 == 0) {
          Headers received = request_headers;
          result.add_headers_to(received);
          try {
            (void)verify_signature({.url = "/", .headers = received, .body = request_body},
                                   scope.credentials.secret_access_key.reveal());
          } catch (const Error&) {
            ++mismatches[t];
          }
        }
        ++checked[t];
        index = (index + stride) % scopes.size();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  for (std::size_t t = 0; t < thread_count; ++t) {
    EXPECT_EQ(checked[t], signings) << "thread " << t;
    EXPECT_EQ(mismatches[t], 0U) << "thread " << t;
  }
}

}  // namespace
}  // namespace dynamo::auth
