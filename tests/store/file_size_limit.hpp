// Test support: a full disk without root. RLIMIT_FSIZE caps the size that any file this
// process writes may reach; with SIGXFSZ ignored, a write(2) past the cap fails with EFBIG
// instead of killing the process. For a store this is the failure a full disk causes: a
// write(2) that fails while a commit grows a file (with ENOSPC there, EFBIG here; LMDB
// reports either errno as the commit's failure, SQLite reports SQLITE_FULL for ENOSPC and
// SQLITE_IOERR for EFBIG, and both roll the transaction back alike).
#pragma once

#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace dynamo::testing {

// Caps file sizes while alive; lift() (or the destructor) restores the previous limit, as
// freeing space on a full disk would.
class FileSizeLimit {
 public:
  explicit FileSizeLimit(std::uintmax_t bytes) {
    if (::getrlimit(RLIMIT_FSIZE, &saved_) != 0) throw std::runtime_error("getrlimit");
    previous_handler_ = std::signal(SIGXFSZ, SIG_IGN);
    rlimit capped = saved_;
    capped.rlim_cur = static_cast<rlim_t>(bytes);
    if (::setrlimit(RLIMIT_FSIZE, &capped) != 0) throw std::runtime_error("setrlimit");
  }
  ~FileSizeLimit() {
    lift();
    std::signal(SIGXFSZ, previous_handler_);
  }
  FileSizeLimit(const FileSizeLimit&) = delete;
  FileSizeLimit& operator=(const FileSizeLimit&) = delete;

  void lift() noexcept { ::setrlimit(RLIMIT_FSIZE, &saved_); }

 private:
  rlimit saved_{};
  void (*previous_handler_)(int) = SIG_DFL;
};

// The size of the largest file under `directory`: a cap at that size lets no file grow.
inline std::uintmax_t largest_file_size(const std::string& directory) {
  std::uintmax_t largest = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(directory)) {
    if (entry.is_regular_file()) largest = std::max(largest, entry.file_size());
  }
  return largest;
}

}  // namespace dynamo::testing
