// Internal: the DynamoDB JSON codec's building blocks, for the layers that embed values in
// larger documents (the api layer's request and response codec). Not part of the public API.
//
// Reading uses simdjson's DOM (validated, position-independent access); writing uses
// RapidJSON's Writer over a std::string. docs/performance.md has the measurements behind
// the choice.
#pragma once

#include <rapidjson/writer.h>
#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "dynamo/codec/json.hpp"

namespace dynamo::detail {

// Where the decoder is, kept as cheap views while decoding and formatted only on error.
class JsonPath {
 public:
  explicit JsonPath(std::string_view root) : root_(root) {}

  void push_name(std::string_view name) { steps_.push_back({name, npos}); }
  void push_index(std::size_t index) { steps_.push_back({{}, index}); }
  void pop() noexcept { steps_.pop_back(); }
  [[nodiscard]] std::string to_string() const;

  // Throws JsonError at this location.
  [[noreturn]] void fail(std::string_view code, std::string reason) const;

 private:
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  struct Step {
    std::string_view name;  // used when index == npos
    std::size_t index;
  };
  std::string_view root_;
  std::vector<Step> steps_;
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

// A RapidJSON output stream appending to a std::string.
class StringOutput {
 public:
  using Ch = char;
  explicit StringOutput(std::string& out) noexcept : out_(&out) {}
  void Put(char c) { out_->push_back(c); }
  void Reserve(std::size_t count) {
    if (out_->capacity() - out_->size() < count) out_->reserve(std::max(out_->size() + count, out_->capacity() * 2));
  }
  void Flush() noexcept {}

 private:
  std::string* out_;
};

using JsonWriter = rapidjson::Writer<StringOutput>;

// Writes one attribute value / an item's members as an object. `path` is only used to
// name the spot when a value cannot be encoded (invalid UTF-8, nesting too deep).
void write_value(JsonWriter& writer, const AttributeValue& value, JsonPath& path, int depth = 0);
void write_item(JsonWriter& writer, const Item& item, JsonPath& path, int depth = 0);

}  // namespace dynamo::detail

namespace rapidjson {
// Let RapidJSON reserve once per string instead of checking capacity per character.
template <>
inline void PutReserve(dynamo::detail::StringOutput& stream, std::size_t count) {
  stream.Reserve(count);
}
}  // namespace rapidjson
