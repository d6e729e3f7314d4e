// Internal: the machinery behind the api codec.
//
// Each struct is described once, by a `describe(visitor, struct)` function template that
// names its members in wire order:
//
//   template <class V> void describe(V& v, DeleteRequest& s) { v("Key", s.key, required); }
//
// Two visitors walk those descriptions: Writer emits JSON (through the codec's JsonWriter),
// Reader fills a struct from a simdjson DOM object. So a member cannot be written under one
// name and read under another, and adding a member is one line. Member types are handled by
// a closed set of overloads (strings, bools, integers, doubles, enums, items, attribute
// values, RawJson, vectors, string-keyed maps, optionals, described structs), which keeps the
// templates shallow: each .cpp instantiates the visitors only for its own operations.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "codec/value_json.hpp"
#include "dynamo/api/common.hpp"
#include "dynamo/api/enums.hpp"

namespace dynamo::api::wire {

enum class Need : std::uint8_t { optional, required };
inline constexpr Need required = Need::required;

template <class T>
struct IsOptional : std::false_type {};
template <class T>
struct IsOptional<std::optional<T>> : std::true_type {};

// Where the reader is: struct members, list indices and map keys, from the document root.
// Formats the location two ways, only when something is wrong: as a JSON path for
// SerializationExceptions ("TransactItems[0].Put.Item") and as the service's member path
// for ValidationExceptions ("transactItems.1.member.put.item").
class Location {
 public:
  enum class Kind : std::uint8_t { member, index, key };
  struct Step {
    Kind kind;
    std::string_view name;
    std::size_t index;
  };

  void push(Step step) { steps_.push_back(step); }
  void pop() noexcept { steps_.pop_back(); }
  [[nodiscard]] std::string json_path() const;
  [[nodiscard]] std::string member_path() const;

 private:
  std::vector<Step> steps_;
};

class Reader {
 public:
  Reader(simdjson::dom::object root, bool is_request) : object_(root), is_request_(is_request) {}

  template <class T>
  void operator()(std::string_view name, T& member, Need need = Need::optional) {
    simdjson::dom::element element;
    if (object_.at_key(name).get(element) != simdjson::SUCCESS || element.is_null()) {
      if (need == Need::required && is_request_) missing(name);
      return;
    }
    Scope scope(location_, {Location::Kind::member, name, 0});
    read(element, member);
  }

  // Throws the collected ValidationException, if any.
  void finish() const;

  void read(simdjson::dom::element e, std::string& out);
  void read(simdjson::dom::element e, bool& out);
  void read(simdjson::dom::element e, int& out);
  void read(simdjson::dom::element e, std::int64_t& out);
  void read(simdjson::dom::element e, double& out);
  void read(simdjson::dom::element e, AttributeMap& out);
  void read(simdjson::dom::element e, AttributeValue& out);
  void read(simdjson::dom::element e, RawJson& out);

  template <class E>
    requires std::is_enum_v<E>
  void read(simdjson::dom::element e, E& out) {
    (void)read_enum(e, out);
  }
  template <class E>
    requires std::is_enum_v<E>
  void read(simdjson::dom::element e, std::optional<E>& out) {
    E value{};
    if (read_enum(e, value)) out = value;
  }
  template <class T>
  void read(simdjson::dom::element e, std::optional<T>& out) {
    read(e, out.emplace());
  }
  template <class T>
  void read(simdjson::dom::element e, std::vector<T>& out) {
    const auto array = expect_array(e);
    out.clear();
    out.reserve(array.size());
    std::size_t index = 0;
    for (simdjson::dom::element member : array) {
      Scope scope(location_, {Location::Kind::index, {}, index++});
      read(member, out.emplace_back());
    }
  }
  template <class T>
  void read(simdjson::dom::element e, std::map<std::string, T>& out) {
    const auto object = expect_object(e);
    out.clear();
    for (auto field : object) {
      Scope scope(location_, {Location::Kind::key, field.key, 0});
      read(field.value, out[std::string(field.key)]);
    }
  }
  // A described struct.
  template <class T>
    requires std::is_class_v<T>
  void read(simdjson::dom::element e, T& out) {
    const auto saved = object_;
    object_ = expect_object(e);
    describe(*this, out);
    object_ = saved;
  }

 private:
  class Scope {
   public:
    Scope(Location& location, Location::Step step) : location_(location) { location_.push(step); }
    ~Scope() { location_.pop(); }
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    Location& location_;
  };

  template <class E>
  bool read_enum(simdjson::dom::element e, E& out) {
    const std::string_view text = expect_string(e);
    if (from_string(text, out)) return true;
    if (is_request_) invalid_enum(text, enum_value_set(E{}));
    return false;
  }

  [[noreturn]] void wrong_type(std::string_view expected, simdjson::dom::element found) const;
  std::string_view expect_string(simdjson::dom::element e) const;
  simdjson::dom::array expect_array(simdjson::dom::element e) const;
  simdjson::dom::object expect_object(simdjson::dom::element e) const;
  void missing(std::string_view name);
  void invalid_enum(std::string_view value, std::string_view value_set);
  void violation(std::string text);

  simdjson::dom::object object_;
  bool is_request_;
  Location location_;
  std::vector<std::string> violations_;
};

class Writer {
 public:
  explicit Writer(std::string& out) : json_(out) {}

  template <class T>
  void operator()(std::string_view name, const T& member, Need = Need::optional) {
    if constexpr (IsOptional<T>::value) {
      if (!member) return;
      json_.key(name);
      write(name, *member);
    } else {
      json_.key(name);
      write(name, member);
    }
  }

  // `name` is the innermost member name, used to locate a value that cannot be encoded.
  void write(std::string_view name, const std::string& value);
  void write(std::string_view name, bool value);
  void write(std::string_view name, int value);
  void write(std::string_view name, std::int64_t value);
  void write(std::string_view name, double value);
  void write(std::string_view name, const AttributeMap& value);
  void write(std::string_view name, const AttributeValue& value);
  void write(std::string_view name, const RawJson& value);

  template <class E>
    requires std::is_enum_v<E>
  void write(std::string_view, E value) {
    json_.string(to_string(value));
  }
  template <class T>
  void write(std::string_view name, const std::vector<T>& values) {
    json_.start_array();
    for (const auto& value : values) write(name, value);
    json_.end_array();
  }
  template <class T>
  void write(std::string_view name, const std::map<std::string, T>& values) {
    json_.start_object();
    for (const auto& [key, value] : values) {
      write_key(key);
      write(name, value);
    }
    json_.end_object();
  }
  // A described struct. describe() takes a mutable reference so that one function serves
  // both visitors; the Writer only reads through it.
  template <class T>
    requires std::is_class_v<T>
  void write(std::string_view, const T& value) {
    json_.start_object();
    describe(*this, const_cast<T&>(value));  // NOLINT(cppcoreguidelines-pro-type-const-cast)
    json_.end_object();
  }

  // The underlying writer, for bodies built by hand (error bodies).
  [[nodiscard]] detail::JsonWriter& json() noexcept { return json_; }

  // An object, for the top level.
  template <class T>
  void write_root(const T& value) {
    write(std::string_view{}, value);
  }

 private:
  void write_key(std::string_view key);

  detail::JsonWriter json_;
};

// Encodes a described struct as a JSON object, appended to `out`.
template <class T>
void encode_message(std::string& out, const T& message) {
  Writer writer(out);
  writer.write_root(message);
}

// The root object of `json`, or a SerializationException.
[[nodiscard]] simdjson::dom::object parse_root(std::string_view json);

template <class T>
void decode_message(std::string_view json, T& out, bool is_request) {
  Reader reader(parse_root(json), is_request);
  out = T{};
  describe(reader, out);
  reader.finish();
}

}  // namespace dynamo::api::wire

// Defines encode_to/decode_into of a request (validated strictly) or a response.
#define DYNAMO_API_DEFINE_CODEC(Type, is_request)                                                     \
  void encode_to(std::string& out, const Type& message) { wire::encode_message(out, message); }      \
  void decode_into(std::string_view json, Type& out) { wire::decode_message(json, out, is_request); }
