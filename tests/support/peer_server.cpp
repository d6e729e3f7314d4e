#include "support/peer_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace dynamo::testing {
namespace {

bool port_accepts(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

}  // namespace

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = 0;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    throw std::runtime_error("could not find a free port");
  }
  ::close(fd);
  return ntohs(address.sin_port);
}

bool on_path(const std::string& program) {
  const char* path = std::getenv("PATH");
  if (!path) return false;
  std::string paths = path;
  std::size_t start = 0;
  while (start <= paths.size()) {
    const auto end = paths.find(':', start);
    const std::string dir = paths.substr(start, end == std::string::npos ? std::string::npos : end - start);
    struct stat info {};
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (::stat(candidate.c_str(), &info) == 0 && (info.st_mode & S_IXUSR)) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

std::unique_ptr<PeerServer> PeerServer::start(std::string name, std::vector<std::string> command) {
  const int port = free_loopback_port();
  for (auto& argument : command) {
    if (const auto at = argument.find("{port}"); at != std::string::npos) argument.replace(at, 6, std::to_string(port));
  }
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork() failed");
  if (pid == 0) {
    // Child: quiet, in its own process group so a stray grandchild dies with it.
    ::setpgid(0, 0);
    const int devnull = ::open("/dev/null", O_RDWR);
    ::dup2(devnull, STDIN_FILENO);
    ::dup2(devnull, STDOUT_FILENO);
    ::dup2(devnull, STDERR_FILENO);
    std::vector<char*> argv;
    for (auto& argument : command) argv.push_back(argument.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    ::_exit(127);
  }
  auto server = std::unique_ptr<PeerServer>(new PeerServer(std::move(name), pid, port));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!port_accepts(port)) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      server->pid_ = -1;
      throw std::runtime_error(server->name_ + " exited before listening (command: " + command[0] + ")");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error(server->name_ + " did not listen on port " + std::to_string(port) + " within 30 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return server;
}

PeerServer::~PeerServer() {
  if (pid_ <= 0) return;
  ::kill(-pid_, SIGTERM);
  ::kill(pid_, SIGTERM);
  for (int i = 0; i < 100; ++i) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(-pid_, SIGKILL);
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
}

std::unique_ptr<PeerServer> PeerServer::start_dynalite() {
  const std::string cli = std::string(DYNAMO_SOURCE_DIR) + "/tests/peers/node_modules/dynalite/cli.js";
  struct stat info {};
  if (::stat(cli.c_str(), &info) != 0) {
    throw std::runtime_error("dynalite is not installed at " + cli + "; run scripts/install-deps --test-peers");
  }
  // Tables become ACTIVE at once instead of after dynalite's default half second.
  return start("dynalite", {"node", cli, "--port", "{port}", "--createTableMs", "0", "--deleteTableMs", "0",
                            "--updateTableMs", "0"});
}

std::unique_ptr<PeerServer> PeerServer::start_moto() {
  if (!on_path("moto_server")) return nullptr;
  return start("moto", {"moto_server", "-H", "127.0.0.1", "-p", "{port}"});
}

}  // namespace dynamo::testing
