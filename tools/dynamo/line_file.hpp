// Files of JSON lines, gzip-compressed when the name ends in ".gz" (zlib).
//
//   LineReader in("items.jsonl.gz");
//   while (auto line = in.next()) use(in.line_number(), *line);
//
//   LineWriter out("items.jsonl.gz", is_gzip_name("items.jsonl.gz"));
//   out.write("{...}\n");
//   out.close();   // reports a failed flush; the destructor cannot
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "item_input.hpp"

namespace dynamo::cli {

[[nodiscard]] bool is_gzip_name(std::string_view path) noexcept;

class LineReader {
 public:
  // Throws InputError naming the file when it cannot be opened.
  explicit LineReader(std::string path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  // The next line without its '\n' (valid until the next call), or nullopt at the end of
  // the file. Throws InputError when the file cannot be read (e.g. truncated gzip data).
  [[nodiscard]] std::optional<std::string_view> next();
  // 1-based number of the line next() returned last.
  [[nodiscard]] std::uint64_t line_number() const noexcept { return line_number_; }
  // Whether the last line ended without '\n' (the file's last line may be cut short).
  [[nodiscard]] bool last_line_unterminated() const noexcept { return unterminated_; }
  // Bytes of the file consumed so far (compressed bytes for .gz) and the file's size: for
  // a progress bar.
  [[nodiscard]] std::uint64_t position() const noexcept;
  [[nodiscard]] std::uint64_t file_size() const noexcept { return file_size_; }

 private:
  bool fill();

  std::string path_;
  void* file_ = nullptr;  // gzFile (reads plain files unchanged)
  std::string buffer_;
  std::size_t start_ = 0;  // first unread byte of buffer_
  std::string line_;
  std::uint64_t line_number_ = 0;
  std::uint64_t file_size_ = 0;
  bool eof_ = false;
  bool unterminated_ = false;
};

class LineWriter {
 public:
  // Creates or truncates `path`, gzip-compressed when `gzip`; throws InputError when it cannot.
  LineWriter(std::string path, bool gzip);
  ~LineWriter();
  LineWriter(const LineWriter&) = delete;
  LineWriter& operator=(const LineWriter&) = delete;

  // Writes `text` as is (the caller adds the '\n's). Throws InputError on failure.
  void write(std::string_view text);
  // Flushes and closes; throws InputError when that fails.
  void close();

 private:
  std::string path_;
  void* file_ = nullptr;  // gzFile; "T" mode for an uncompressed file
};

}  // namespace dynamo::cli
