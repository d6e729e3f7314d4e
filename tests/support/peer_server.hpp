// Test support: DynamoDB-compatible servers started for the duration of a test binary.
//
// Each peer runs as a child process on a free loopback port and is stopped (SIGTERM, then
// SIGKILL) when the PeerServer is destroyed. start() waits until the port accepts
// connections, so a test can use endpoint() at once.
//
//   auto dynalite = dynamo::testing::PeerServer::start_dynalite();
//   auto db = dynamo::Connection::connect({.endpoint = dynalite->endpoint(), ...});
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace dynamo::testing {

class PeerServer {
 public:
  // dynalite from tests/peers/node_modules (installed by scripts/install-deps --test-peers).
  // Throws std::runtime_error when it is not installed or does not start.
  static std::unique_ptr<PeerServer> start_dynalite();
  // moto's server when `moto_server` is on PATH; nullptr otherwise.
  static std::unique_ptr<PeerServer> start_moto();
  // Any command; "{port}" in an argument is replaced by the chosen port.
  static std::unique_ptr<PeerServer> start(std::string name, std::vector<std::string> command);

  ~PeerServer();
  PeerServer(const PeerServer&) = delete;
  PeerServer& operator=(const PeerServer&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] int port() const noexcept { return port_; }
  [[nodiscard]] std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  PeerServer(std::string name, int pid, int port) : name_(std::move(name)), pid_(pid), port_(port) {}
  std::string name_;
  int pid_;
  int port_;
};

// A TCP port on 127.0.0.1 that nothing listens on right now.
int free_loopback_port();
// True when `program` is found on PATH.
bool on_path(const std::string& program);

}  // namespace dynamo::testing
