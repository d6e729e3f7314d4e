#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "detail/crc32.hpp"
#include "store/store_internal.hpp"

namespace dynamo::store {

DirectoryLock::DirectoryLock(const std::string& path) {
  std::error_code error;
  std::filesystem::create_directories(path, error);
  if (error) throw Error(std::string(error_code::store_error), "store " + path + ": cannot create the directory: " + error.message(), 500);
  const std::string lock_file = path + "/LOCK";
  fd_ = ::open(lock_file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw Error(std::string(error_code::store_error), "store " + path + ": cannot open " + lock_file + ": " + std::strerror(errno), 500);
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int why = errno;
    ::close(fd_);
    fd_ = -1;
    throw Error(std::string(error_code::store_error),
                "store " + path + " is in use by another process (" + std::string(std::strerror(why)) + ")", 500);
  }
}

DirectoryLock::~DirectoryLock() {
  if (fd_ >= 0) ::close(fd_);  // closing releases the lock
}

std::uint32_t entry_checksum(std::span<const std::string_view> parts) noexcept {
  std::uint32_t crc = 0;
  for (const std::string_view part : parts) {
    char length[8];
    for (std::size_t i = 0; i < sizeof length; ++i) length[i] = static_cast<char>(part.size() >> (8 * i));
    crc = detail::crc32(crc, {length, sizeof length});
    crc = detail::crc32(crc, part);
  }
  return crc;
}

std::string_view data_file_name(Kind kind) noexcept { return kind == Kind::lmdb ? "data.mdb" : "dynamo.sqlite3"; }

namespace {

std::string_view kind_name(Kind kind) noexcept { return kind == Kind::lmdb ? "lmdb" : "sqlite"; }
std::string_view kind_title(Kind kind) noexcept { return kind == Kind::lmdb ? "LMDB" : "SQLite"; }

// The STORE file: one line naming the kind of store the directory holds.
std::string store_file(const std::string& path) { return path + "/STORE"; }

[[noreturn]] void refuse(const std::string& path, Kind kind, const std::string& why) {
  throw Error(std::string(error_code::store_error), std::string(kind_title(kind)) + " store " + path + ": " + why, 500);
}

// The size of `file`, or nullopt when it does not exist.
std::optional<std::uintmax_t> size_of(const std::string& file) {
  std::error_code error;
  const auto size = std::filesystem::file_size(file, error);
  if (error) return std::nullopt;
  return size;
}

}  // namespace

void check_store_directory(const std::string& path, Kind kind) {
  const Kind other = kind == Kind::lmdb ? Kind::sqlite : Kind::lmdb;
  std::optional<Kind> held;
  if (std::ifstream marker(store_file(path)); marker) {
    std::string line;
    std::getline(marker, line);
    if (line == kind_name(Kind::lmdb)) {
      held = Kind::lmdb;
    } else if (line == kind_name(Kind::sqlite)) {
      held = Kind::sqlite;
    } else {
      refuse(path, kind, "its STORE file names no store kind (\"" + line.substr(0, 40) + "\"): a damaged directory?");
    }
  }
  const std::string data_file = path + "/" + std::string(data_file_name(kind));
  const std::string other_file = path + "/" + std::string(data_file_name(other));
  // A directory written before STORE files: the other kind's data file tells.
  if (!held && !size_of(data_file) && size_of(other_file).value_or(0) > 0) held = other;
  if (!held) return;
  if (*held != kind) {
    refuse(path, kind,
           std::string(other == Kind::lmdb ? "the directory holds an LMDB" : "the directory holds a SQLite") + " store (" + std::string(data_file_name(other)) +
               "); open it as one (StoreOptions::kind)");
  }
  if (size_of(data_file).value_or(0) == 0) {
    refuse(path, kind,
           "the directory held a store, but its data file " + std::string(data_file_name(kind)) +
               " is missing or empty (deleted, or cut to nothing); restore it from a backup, or remove the "
               "directory to start an empty store");
  }
}

void mark_store_directory(const std::string& path, Kind kind) {
  const std::string marker = store_file(path);
  if (size_of(marker)) return;
  // Written whole under another name, flushed, then renamed: a crash leaves no STORE file or
  // a complete one.
  const std::string temporary = marker + ".new";
  const std::string text = std::string(kind_name(kind)) + "\n";
  bool written = false;
  if (const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644); fd >= 0) {
    written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
    written = ::close(fd) == 0 && written;
  }
  if (written && ::rename(temporary.c_str(), marker.c_str()) == 0) {
    if (const int directory = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); directory >= 0) {
      ::fsync(directory);
      ::close(directory);
    }
    return;
  }
  const std::string reason = std::strerror(errno);
  ::unlink(temporary.c_str());
  log(LogLevel::warn, "store",
      std::string(kind_title(kind)) + " store " + path + ": cannot write " + marker + " (" + reason +
          "); the store works, but a lost data file would not be noticed at the next open");
}

std::string_view to_string(Durability durability) noexcept {
  switch (durability) {
    case Durability::process: return "process";
    case Durability::consistent: return "consistent";
    case Durability::power: return "power";
  }
  return "unknown";
}

std::optional<Durability> parse_durability(std::string_view text) noexcept {
  for (const Durability durability : {Durability::process, Durability::consistent, Durability::power}) {
    if (text == to_string(durability)) return durability;
  }
  return std::nullopt;
}

std::shared_ptr<engine::DurableStore> open(const std::string& path, const StoreOptions& options) {
  if (path.empty()) throw Error(std::string(error_code::store_error), "a store needs a directory path", 500);
  switch (options.kind) {
    case Kind::lmdb: return open_lmdb(path, options);
    case Kind::sqlite: return open_sqlite(path, options);
  }
  throw Error(std::string(error_code::store_error), "unknown store kind", 500);
}

}  // namespace dynamo::store
