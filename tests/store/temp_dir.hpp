// Test support: fresh directories under the system's temporary directory for stores, named
// after the test and the process so that parallel test processes never share one.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <string>

namespace dynamo::testing {

// A path that does not exist yet (anything there is removed): <tmp>/<stem>-<pid>-<n>.
inline std::string fresh_dir(const std::string& stem) {
  static int counter = 0;
  auto path = std::filesystem::temp_directory_path() /
              (stem + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path);
  return path.string();
}

// fresh_dir, removed with everything in it when the TempDir goes.
class TempDir {
 public:
  explicit TempDir(const std::string& stem = "dynamo-store-test") : path_(fresh_dir(stem)) {}
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  [[nodiscard]] const std::string& path() const noexcept { return path_; }

 private:
  std::string path_;
};

}  // namespace dynamo::testing
