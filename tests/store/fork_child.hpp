// Test support: runs a piece of a test in a forked child process, so that its crash (or its
// being killed) is observed by the test instead of ending it.
#pragma once

#include <sys/types.h>
#include <unistd.h>

#include <stdexcept>

namespace dynamo::testing {

// A child process and the read end of a pipe whose write end it holds.
struct Child {
  pid_t pid;
  int read_fd;
};

// Forks; the child runs body(write_fd) and exits with _exit(0) should body return.
template <class Body>
Child fork_with_pipe(Body&& body) {
  int fds[2];
  if (::pipe(fds) != 0) throw std::runtime_error("pipe");
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork");
  if (pid == 0) {
    ::close(fds[0]);
    body(fds[1]);
    ::_exit(0);
  }
  ::close(fds[1]);
  return {pid, fds[0]};
}

}  // namespace dynamo::testing
