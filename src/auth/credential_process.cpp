// credential_process: runs the profile's command and reads credentials from its stdout.
//
// The contract (AWS CLI docs, "Sourcing credentials with an external process"): the
// command prints {"Version": 1, "AccessKeyId": ..., "SecretAccessKey": ..., "SessionToken":
// ..., "Expiration": "<ISO 8601>"} and exits 0; SessionToken and Expiration are optional,
// and credentials without Expiration are long-term. As botocore does, the command is split
// into words and run without a shell. Its stdout holds secrets and is never quoted in an
// error; its stderr, which is meant for the user, is (trimmed).
#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <simdjson.h>
#include <utility>

#include "auth/credential_sources.hpp"
#include "dynamo/error.hpp"

extern char** environ;  // NOLINT: POSIX declares it nowhere in a header

namespace dynamo::auth::detail {
namespace {

constexpr std::size_t stderr_quote_limit = 400;

struct Pipe {
  int read = -1;
  int write = -1;
  Pipe() {
    std::array<int, 2> ends{};
    if (::pipe2(ends.data(), O_CLOEXEC) != 0) {
      fail_retrieval(std::string("credential_process: cannot create a pipe: ") + std::strerror(errno));
    }
    read = ends[0];
    write = ends[1];
  }
  ~Pipe() {
    close_read();
    close_write();
  }
  Pipe(const Pipe&) = delete;
  Pipe& operator=(const Pipe&) = delete;
  void close_read() {
    if (read >= 0) ::close(read);
    read = -1;
  }
  void close_write() {
    if (write >= 0) ::close(write);
    write = -1;
  }
};

struct ProcessOutput {
  int exit_status = -1;  // -1: killed by a signal
  std::string out;
  std::string err;
};

ProcessOutput run(const std::vector<std::string>& words, const std::string& profile) {
  Pipe out;
  Pipe err;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
  std::vector<char*> argv;
  argv.reserve(words.size() + 1);
  for (const auto& word : words) argv.push_back(const_cast<char*>(word.c_str()));  // NOLINT: POSIX API
  argv.push_back(nullptr);
  pid_t child = 0;
  const int spawned = ::posix_spawnp(&child, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    fail_retrieval("credential_process of profile '" + profile + "': cannot run '" + words[0] +
                   "': " + std::strerror(spawned));
  }
  out.close_write();
  err.close_write();

  ProcessOutput output;
  std::array<pollfd, 2> waiting{pollfd{.fd = out.read, .events = POLLIN, .revents = 0},
                                pollfd{.fd = err.read, .events = POLLIN, .revents = 0}};
  std::array<char, 4096> chunk{};
  while (waiting[0].fd >= 0 || waiting[1].fd >= 0) {
    if (::poll(waiting.data(), waiting.size(), -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (std::size_t i = 0; i < waiting.size(); ++i) {
      if (waiting[i].fd < 0 || waiting[i].revents == 0) continue;
      const ssize_t got = ::read(waiting[i].fd, chunk.data(), chunk.size());
      if (got > 0) {
        (i == 0 ? output.out : output.err).append(chunk.data(), static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        waiting[i].fd = -1;  // poll ignores negative descriptors; the Pipe closes it
      }
    }
  }
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  output.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return output;
}

std::string trimmed_stderr(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.pop_back();
  if (text.size() > stderr_quote_limit) text = text.substr(0, stderr_quote_limit) + "...";
  return text;
}

}  // namespace

std::vector<std::string> split_command(std::string_view command) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = '\0';
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = '\0';
      } else {
        word += c;
      }
    } else if (quote == '"') {
      if (c == '"') {
        quote = '\0';
      } else if (c == '\\' && i + 1 < command.size() &&
                 std::string_view("\"\\$`").find(command[i + 1]) != std::string_view::npos) {
        word += command[++i];
      } else {
        word += c;
      }
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      in_word = true;
      if (c == '\'' || c == '"') {
        quote = c;
      } else if (c == '\\' && i + 1 < command.size()) {
        word += command[++i];
      } else {
        word += c;
      }
    }
  }
  if (quote != '\0') {
    throw Error(std::string(error_code::invalid_configuration), "credential_process has an unclosed quote", 0);
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

CredentialsCallback process_source(std::string command, std::string profile) {
  std::vector<std::string> words = split_command(command);
  if (words.empty()) {
    throw Error(std::string(error_code::invalid_configuration),
                "credential_process of profile '" + profile + "' is empty", 0);
  }
  return [words = std::move(words), profile = std::move(profile)] {
    const std::string who = "credential_process of profile '" + profile + "'";
    ProcessOutput output = run(words, profile);
    if (output.exit_status != 0) {
      std::string message = who + " (" + words[0] + ") " +
                            (output.exit_status < 0 ? std::string("was killed by a signal")
                                                    : "exited with status " + std::to_string(output.exit_status));
      if (auto err = trimmed_stderr(std::move(output.err)); !err.empty()) message += "; it said: " + err;
      fail_retrieval(std::move(message));
    }
    const SecretString stdout_text = std::move(output.out);  // wiped when done
    simdjson::dom::parser parser;
    simdjson::dom::element document;
    if (parser.parse(stdout_text.reveal()).get(document) != simdjson::SUCCESS || !document.is_object()) {
      fail_retrieval(who + " printed something that is not a JSON object (the output is not shown: it may hold "
                           "secrets)");
    }
    int64_t version = 0;
    if (document["Version"].get(version) != simdjson::SUCCESS || version != 1) {
      fail_retrieval(who + " printed JSON without \"Version\": 1, the only version of the contract");
    }
    const auto field = [&](const char* name, bool required) -> std::string {
      std::string_view value;
      const auto error = document[name].get(value);
      if (error == simdjson::SUCCESS) return std::string(value);
      if (error != simdjson::NO_SUCH_FIELD || required) {
        fail_retrieval(who + " printed JSON whose \"" + name + "\" is " +
                       (error == simdjson::NO_SUCH_FIELD ? "missing" : "not a string"));
      }
      return {};
    };
    ExpiringCredentials fresh;
    fresh.credentials.access_key_id = field("AccessKeyId", true);
    fresh.credentials.secret_access_key = field("SecretAccessKey", true);
    fresh.credentials.session_token = field("SessionToken", false);
    fresh.credentials.source = who;
    if (const std::string expiration = field("Expiration", false); !expiration.empty()) {
      fresh.expiration = parse_iso8601(expiration);
      if (!fresh.expiration) fail_retrieval(who + " printed an Expiration that is not ISO 8601: '" + expiration + "'");
      if (*fresh.expiration <= std::chrono::system_clock::now()) {
        fail_retrieval(who + " returned credentials that already expired (Expiration " + expiration + ")");
      }
    }
    return fresh;
  };
}

}  // namespace dynamo::auth::detail
