// Internal: a minimal, fast JSON writer appending to a std::string, shared by the value
// codec and the api layer's request/response codec.
//
//   std::string out;
//   JsonWriter w(out);
//   w.start_object(); w.key("TableName"); w.string("Thread"); w.end_object();
//   // out == R"({"TableName":"Thread"})"
//
// Why not RapidJSON's Writer: Debian ships RapidJSON 1.1.0, whose internal stack performs
// pointer arithmetic on a null pointer on first use (undefined behaviour that our
// sanitizer runs flag). Writing JSON needs only commas and string escaping, so this class
// does exactly that; the caller is responsible for a well-formed nesting of calls (checked
// by assertions in debug builds) and for passing valid UTF-8 (the value codec checks).
#pragma once

#include <cassert>
#include <cstdint>
#include <string>
#include <string_view>

namespace dynamo::detail {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) noexcept : out_(out) {}

  void start_object() {
    before_value();
    out_.push_back('{');
    first_ = true;
    ++depth_;
  }
  void end_object() {
    assert(depth_ > 0 && !after_key_);
    out_.push_back('}');
    first_ = false;
    --depth_;
  }
  void start_array() {
    before_value();
    out_.push_back('[');
    first_ = true;
    ++depth_;
  }
  void end_array() {
    assert(depth_ > 0 && !after_key_);
    out_.push_back(']');
    first_ = false;
    --depth_;
  }
  // An object member's name; the next call writes its value.
  void key(std::string_view name) {
    assert(!after_key_);
    if (!first_) out_.push_back(',');
    first_ = false;
    write_quoted(name);
    out_.push_back(':');
    after_key_ = true;
  }
  void string(std::string_view text) {
    before_value();
    write_quoted(text);
  }
  void boolean(bool value) {
    before_value();
    out_.append(value ? "true" : "false");
  }
  void null() {
    before_value();
    out_.append("null");
  }
  void integer(std::int64_t value);
  void unsigned_integer(std::uint64_t value);
  // A value already in JSON syntax (a formatted double, a RawJson document); written as
  // is, so the caller vouches that it is valid JSON.
  void raw_json(std::string_view text) {
    before_value();
    out_.append(text);
  }

  [[nodiscard]] std::string& buffer() noexcept { return out_; }

 private:
  void before_value() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (!first_) out_.push_back(',');
    first_ = false;
  }
  void write_quoted(std::string_view text);

  std::string& out_;
  bool first_ = true;      // nothing written yet at this level: no comma before the next
  bool after_key_ = false; // a key was written: its value follows without a comma
  int depth_ = 0;
};

}  // namespace dynamo::detail
