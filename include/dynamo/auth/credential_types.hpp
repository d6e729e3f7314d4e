// AWS credentials as values: the secret string that never prints, a key pair with its
// session token, credentials with an expiry, and the callback type that supplies them. On
// their own so that ConnectionOptions can hold them without the lookups of
// dynamo/auth/credentials.hpp (which includes this header).
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <utility>

namespace dynamo::auth {

// A string that must not be printed: operator<< writes "****", and the bytes are wiped
// when the object dies. reveal() is the one deliberate way to read it.
class SecretString {
 public:
  SecretString() = default;
  SecretString(std::string value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  SecretString(const char* value) : value_(value) {}             // NOLINT: implicit on purpose
  SecretString(const SecretString&) = default;
  SecretString(SecretString&& other) noexcept;
  SecretString& operator=(const SecretString& other);
  SecretString& operator=(SecretString&& other) noexcept;
  ~SecretString();

  [[nodiscard]] const std::string& reveal() const noexcept { return value_; }
  [[nodiscard]] bool empty() const noexcept { return value_.empty(); }

  friend std::ostream& operator<<(std::ostream& out, const SecretString& secret);

 private:
  void wipe() noexcept;
  std::string value_;
};

// One set of AWS credentials. An empty session_token means long-term credentials.
struct Credentials {
  std::string access_key_id{};
  SecretString secret_access_key{};
  SecretString session_token{};
  // Where these came from ("explicit", "environment", "shared credentials file <path> [p]"),
  // so a wrong-account problem can be traced without printing a secret.
  std::string source{};

  [[nodiscard]] bool has_session_token() const noexcept { return !session_token.empty(); }

  // Prints the access key id and the source; the secret and token show as "****".
  friend std::ostream& operator<<(std::ostream& out, const Credentials& credentials);
};

// Credentials and when they stop working; no expiration means they never expire (long-term
// keys), and are then never fetched again.
struct ExpiringCredentials {
  Credentials credentials{};
  std::optional<std::chrono::system_clock::time_point> expiration{};
};

// Fetches credentials: a user-supplied source (a vault, a broker), or one of the chain's.
// May throw (dynamo::Error preferably); the message must not contain a secret. Called
// again shortly before `expiration` (see refreshing_credentials.hpp), never by two threads
// at once for one provider.
using CredentialsCallback = std::function<ExpiringCredentials()>;

}  // namespace dynamo::auth
