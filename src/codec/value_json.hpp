// Internal: the DynamoDB JSON codec's building blocks, for the layers that embed values in
// larger documents (the api layer's request and response codec). Not part of the public API.
//
// Reading uses simdjson's DOM (validated, position-independent access); writing uses
// JsonWriter (codec/json_writer.hpp). docs/performance.md has the measurements behind
// the choice.
#pragma once

#include <simdjson.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "codec/json_writer.hpp"
#include "dynamo/codec/json.hpp"

namespace dynamo::detail {

// Where the codec is, kept as cheap views while it works and formatted only on error.
// Steps live in a fixed array: nesting is capped at 32 levels (two steps each), so the
// array never overflows in practice, and a path that did would only be shown shortened.
class JsonPath {
 public:
  explicit JsonPath(std::string_view root) noexcept : root_(root) {}

  void push_name(std::string_view name) noexcept { push({name, npos}); }
  void push_index(std::size_t index) noexcept { push({{}, index}); }
  void pop() noexcept { --depth_; }
  [[nodiscard]] std::string to_string() const;

  // Throws JsonError at this location.
  [[noreturn]] void fail(std::string_view code, std::string reason) const;

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  static constexpr std::size_t capacity = 80;
  struct Step {
    std::string_view name;  // used when index == npos
    std::size_t index;
  };
  void push(Step step) noexcept {
    if (depth_ < capacity) steps_[depth_] = step;
    ++depth_;
  }
  std::string_view root_;
  std::size_t depth_ = 0;
  std::array<Step, capacity> steps_;
};

// Pops a step on scope exit, so error paths stay right when decoding throws.
class JsonPathStep {
 public:
  JsonPathStep(JsonPath& path, std::string_view name) : path_(path) { path_.push_name(name); }
  JsonPathStep(JsonPath& path, std::size_t index) : path_(path) { path_.push_index(index); }
  ~JsonPathStep() { path_.pop(); }
  JsonPathStep(const JsonPathStep&) = delete;
  JsonPathStep& operator=(const JsonPathStep&) = delete;

 private:
  JsonPath& path_;
};

// Decodes {"S": ...} etc. `depth` is the number of M/L levels around this value.
[[nodiscard]] AttributeValue decode_value(simdjson::dom::element element, JsonPath& path, int depth = 0);
// Decodes {"name": {"S": ...}, ...}.
[[nodiscard]] Item decode_item(simdjson::dom::element element, JsonPath& path, int depth = 0);

// Parses `text` with a per-thread parser; a syntax error becomes a JsonError at `root`.
// The element stays valid until the next parse on this thread.
[[nodiscard]] simdjson::dom::element parse_json(std::string_view text, std::string_view root);

// Writes one attribute value / an item's members as an object. `path` is only used to
// name the spot when a value cannot be encoded (invalid UTF-8, nesting too deep).
void write_value(JsonWriter& writer, const AttributeValue& value, JsonPath& path, int depth = 0);
void write_item(JsonWriter& writer, const Item& item, JsonPath& path, int depth = 0);

}  // namespace dynamo::detail
