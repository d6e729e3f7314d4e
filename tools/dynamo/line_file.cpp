#include "line_file.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace dynamo::cli {
namespace {

constexpr unsigned read_chunk = 256U * 1024;

gzFile as_gz(void* file) noexcept { return static_cast<gzFile>(file); }

std::string gz_problem(void* file) {
  int code = Z_OK;
  const char* text = gzerror(as_gz(file), &code);
  if (code == Z_ERRNO) return std::strerror(errno);
  return text != nullptr ? text : "unknown zlib error";
}

}  // namespace

bool is_gzip_name(std::string_view path) noexcept { return path.ends_with(".gz"); }

LineReader::LineReader(std::string path) : path_(std::move(path)) {
  std::error_code error;
  if (std::filesystem::is_directory(path_, error)) throw InputError(path_ + ": is a directory");
  file_ = gzopen(path_.c_str(), "rb");
  if (file_ == nullptr) throw InputError(path_ + ": cannot open: " + std::strerror(errno));
  gzbuffer(as_gz(file_), 256 * 1024);
  file_size_ = std::filesystem::file_size(path_, error);
  if (error) file_size_ = 0;
}

LineReader::~LineReader() {
  if (file_ != nullptr) gzclose_r(as_gz(file_));
}

std::uint64_t LineReader::position() const noexcept {
  const auto offset = gzoffset(as_gz(file_));
  return offset < 0 ? 0 : static_cast<std::uint64_t>(offset);
}

bool LineReader::fill() {
  if (eof_) return false;
  if (start_ > 0) {
    buffer_.erase(0, start_);
    start_ = 0;
  }
  const std::size_t old = buffer_.size();
  buffer_.resize(old + read_chunk);
  const int got = gzread(as_gz(file_), buffer_.data() + old, read_chunk);
  if (got < 0) {
    buffer_.resize(old);
    throw InputError(path_ + ": cannot read after line " + std::to_string(line_number_) + ": " + gz_problem(file_));
  }
  buffer_.resize(old + static_cast<std::size_t>(got));
  if (got == 0) {
    // gzread returns 0 both at the end and when a .gz file stops mid-stream.
    int code = Z_OK;
    gzerror(as_gz(file_), &code);
    if (code != Z_OK && code != Z_STREAM_END)
      throw InputError(path_ + ": cannot read after line " + std::to_string(line_number_) + ": " + gz_problem(file_));
    eof_ = true;
    return false;
  }
  return true;
}

std::optional<std::string_view> LineReader::next() {
  std::size_t scanned = start_;
  for (;;) {
    const std::size_t newline = buffer_.find('\n', scanned);
    if (newline != std::string::npos) {
      line_.assign(buffer_, start_, newline - start_);
      start_ = newline + 1;
      ++line_number_;
      unterminated_ = false;
      if (!line_.empty() && line_.back() == '\r') line_.pop_back();
      return std::string_view(line_);
    }
    scanned = buffer_.size();
    const std::size_t consumed = start_;
    if (!fill()) break;
    scanned -= consumed;
  }
  if (start_ >= buffer_.size()) return std::nullopt;
  line_.assign(buffer_, start_);
  start_ = buffer_.size();
  ++line_number_;
  unterminated_ = true;
  return std::string_view(line_);
}

LineWriter::LineWriter(std::string path, bool gzip) : path_(std::move(path)) {
  // "T" writes without compression through the same calls.
  file_ = gzopen(path_.c_str(), gzip ? "wb6" : "wbT");
  if (file_ == nullptr) throw InputError(path_ + ": cannot create: " + std::strerror(errno));
  gzbuffer(as_gz(file_), 256 * 1024);
}

LineWriter::~LineWriter() {
  if (file_ != nullptr) gzclose_w(as_gz(file_));
}

void LineWriter::write(std::string_view text) {
  while (!text.empty()) {
    const auto chunk = static_cast<unsigned>(std::min<std::size_t>(text.size(), 1U << 30));
    const int wrote = gzwrite(as_gz(file_), text.data(), chunk);
    if (wrote <= 0) throw InputError(path_ + ": cannot write: " + gz_problem(file_));
    text.remove_prefix(static_cast<std::size_t>(wrote));
  }
}

void LineWriter::close() {
  if (file_ == nullptr) return;
  const int result = gzclose_w(as_gz(file_));
  file_ = nullptr;
  if (result != Z_OK) throw InputError(path_ + ": cannot finish writing (" + std::to_string(result) + ")");
}

}  // namespace dynamo::cli
