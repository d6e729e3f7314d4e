#include "engine/packed_item.hpp"

#include "codec/base64.hpp"
#include "codec/json_writer.hpp"
#include "dynamo/value/utf8.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

namespace dynamo::engine::detail {

namespace {

// Numbers are kept as the bytes of the dynamo::Number object: copying them back out is a
// memcpy where re-parsing a decimal text would not be.
static_assert(std::is_trivially_copyable_v<Number>);

std::string_view bytes_of(const std::string& text) noexcept { return text; }
std::string_view bytes_of(const Binary& binary) noexcept { return binary.view(); }

// ---- sizes ------------------------------------------------------------------------------

std::size_t varint_bytes(std::size_t n) noexcept {
  std::size_t bytes = 1;
  while (n >= 0x80) {
    n >>= 7;
    ++bytes;
  }
  return bytes;
}

std::size_t text_bytes(std::string_view text) noexcept { return varint_bytes(text.size()) + text.size(); }

// The bytes of an SS or BS: the count, then each element as a text.
template <class Set>
std::size_t text_set_bytes(const Set& set) noexcept {
  std::size_t bytes = varint_bytes(set.size());
  for (const auto& element : set) bytes += text_bytes(bytes_of(element));
  return bytes;
}

std::size_t value_bytes(const AttributeValue& value) noexcept;

std::size_t map_bytes(const AttributeMap& map) noexcept {
  std::size_t bytes = varint_bytes(map.size());
  for (const auto& [name, value] : map) bytes += text_bytes(name) + value_bytes(value);
  return bytes;
}

std::size_t value_bytes(const AttributeValue& value) noexcept {
  std::size_t bytes = 1;  // the type
  switch (value.type()) {
    case Type::string: return bytes + text_bytes(value.as_string());
    case Type::number: return bytes + sizeof(Number);
    case Type::binary: return bytes + text_bytes(value.as_binary().view());
    case Type::boolean: return bytes + 1;
    case Type::null: return bytes;
    case Type::map: return bytes + map_bytes(value.as_map());
    case Type::list:
      bytes += varint_bytes(value.as_list().size());
      for (const auto& element : value.as_list()) bytes += value_bytes(element);
      return bytes;
    case Type::string_set: return bytes + text_set_bytes(value.as_string_set());
    case Type::number_set:
      return bytes + varint_bytes(value.as_number_set().size()) + value.as_number_set().size() * sizeof(Number);
    case Type::binary_set: return bytes + text_set_bytes(value.as_binary_set());
  }
  return bytes;
}

// ---- writing ----------------------------------------------------------------------------

struct Writer {
  char* at;

  void varint(std::size_t n) noexcept {
    while (n >= 0x80) {
      *at++ = static_cast<char>((n & 0x7f) | 0x80);
      n >>= 7;
    }
    *at++ = static_cast<char>(n);
  }
  void text(std::string_view bytes) noexcept {
    varint(bytes.size());
    if (!bytes.empty()) std::memcpy(at, bytes.data(), bytes.size());
    at += bytes.size();
  }
  void number(const Number& n) noexcept {
    std::memcpy(at, &n, sizeof(Number));
    at += sizeof(Number);
  }
  template <class Set>
  void text_set(const Set& set) noexcept {
    varint(set.size());
    for (const auto& element : set) text(bytes_of(element));
  }
  void map(const AttributeMap& map) noexcept {
    varint(map.size());
    for (const auto& [name, value] : map) {
      text(name);
      this->value(value);
    }
  }
  void value(const AttributeValue& value) noexcept {
    *at++ = static_cast<char>(value.type());
    switch (value.type()) {
      case Type::string: text(value.as_string()); break;
      case Type::number: number(value.as_number()); break;
      case Type::binary: text(value.as_binary().view()); break;
      case Type::boolean: *at++ = value.as_bool() ? 1 : 0; break;
      case Type::null: break;
      case Type::map: map(value.as_map()); break;
      case Type::list:
        varint(value.as_list().size());
        for (const auto& element : value.as_list()) this->value(element);
        break;
      case Type::string_set: text_set(value.as_string_set()); break;
      case Type::number_set:
        varint(value.as_number_set().size());
        for (const auto& element : value.as_number_set()) number(element);
        break;
      case Type::binary_set: text_set(value.as_binary_set()); break;
    }
  }
};

// ---- reading (of blocks this file wrote: no bounds to check) -------------------------------

struct Reader {
  const char* at;

  std::size_t varint() noexcept {
    std::size_t n = 0;
    for (int shift = 0;; shift += 7) {
      const auto byte = static_cast<unsigned char>(*at++);
      n |= static_cast<std::size_t>(byte & 0x7f) << shift;
      if (byte < 0x80) return n;
    }
  }
  std::string_view text() noexcept {
    const std::size_t bytes = varint();
    std::string_view view(at, bytes);
    at += bytes;
    return view;
  }
  Number number() noexcept {
    Number n;
    std::memcpy(static_cast<void*>(&n), at, sizeof(Number));
    at += sizeof(Number);
    return n;
  }

  AttributeMap map() {
    std::vector<AttributeMap::value_type> entries;
    const std::size_t count = varint();
    entries.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const std::string_view name = text();
      read_value([&](auto&& argument) {
        entries.emplace_back(std::piecewise_construct, std::forward_as_tuple(name),
                             std::forward_as_tuple(std::forward<decltype(argument)>(argument)));
      });
    }
    AttributeMap map;
    [[maybe_unused]] const auto duplicate = map.assign_entries(std::move(entries));
    assert(!duplicate);
    return map;
  }

  List list() {
    List list;
    const std::size_t count = varint();
    list.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      read_value([&](auto&& argument) { list.emplace_back(std::forward<decltype(argument)>(argument)); });
    }
    return list;
  }

  AttributeValue value() {
    return read_value([](auto&& argument) { return AttributeValue(std::forward<decltype(argument)>(argument)); });
  }

  // Reads one value and hands `make` what an AttributeValue of it is constructed from, so
  // that the value is built where it is kept rather than built and then moved there.
  template <class Make>
  auto read_value(Make&& make) -> decltype(make(Null{})) {
    const auto type = static_cast<Type>(*at++);
    switch (type) {
      case Type::string: return make(std::string(text()));
      case Type::number: return make(number());
      case Type::binary: return make(Binary(std::string(text())));
      case Type::boolean: return make(*at++ != 0);
      case Type::null: return make(Null{});
      case Type::map: return make(map());
      case Type::list: return make(list());
      case Type::string_set: {
        std::vector<std::string> elements(varint());
        for (auto& element : elements) element = text();
        return make(StringSet::from_sorted_unique(std::move(elements)));
      }
      case Type::number_set: {
        std::vector<Number> elements(varint());
        for (auto& element : elements) element = number();
        return make(NumberSet::from_sorted_unique(std::move(elements)));
      }
      case Type::binary_set: {
        std::vector<Binary> elements(varint());
        for (auto& element : elements) element = Binary(std::string(text()));
        return make(BinarySet::from_sorted_unique(std::move(elements)));
      }
    }
    assert(false && "a packed item holds an unknown type");
    return make(Null{});
  }

  // Moves past one value without decoding it.
  void skip_value() noexcept {
    const auto type = static_cast<Type>(*at++);
    switch (type) {
      case Type::string:
      case Type::binary: (void)text(); break;
      case Type::number: at += sizeof(Number); break;
      case Type::boolean: ++at; break;
      case Type::null: break;
      case Type::map:
        for (std::size_t n = varint(); n > 0; --n) {
          (void)text();
          skip_value();
        }
        break;
      case Type::list:
        for (std::size_t n = varint(); n > 0; --n) skip_value();
        break;
      case Type::string_set:
      case Type::binary_set:
        for (std::size_t n = varint(); n > 0; --n) (void)text();
        break;
      case Type::number_set: at += varint() * sizeof(Number); break;
    }
  }
};

constexpr std::size_t header_bytes = sizeof(std::uint32_t);

// ---- DynamoDB JSON, straight from the packed form -------------------------------------------

struct JsonFromPacked {
  Reader reader;
  dynamo::detail::JsonWriter writer;
  std::string scratch;  // a number's or a binary's text

  void text(bool is_name) {
    const std::string_view text = reader.text();
    // Stored strings came through validation; this keeps the encoder's guarantee anyway.
    if (!is_valid_utf8(text)) {
      throw Error::validation(std::string(is_name ? "an attribute name" : "a string") + " of a stored item is not valid UTF-8");
    }
    if (is_name) {
      writer.key(text);
    } else {
      writer.string(text);
    }
  }
  void number() {
    scratch.clear();
    reader.number().append_to(scratch);
    writer.string(scratch);
  }
  void binary() {
    scratch.clear();
    dynamo::detail::base64_encode(reader.text(), scratch);
    writer.string(scratch);
  }
  template <class Element>
  void array(Element&& element) {
    writer.start_array();
    for (std::size_t n = reader.varint(); n > 0; --n) element();
    writer.end_array();
  }
  void map() {
    writer.start_object();
    for (std::size_t n = reader.varint(); n > 0; --n) {
      text(true);
      value();
    }
    writer.end_object();
  }
  void value() {
    const auto type = static_cast<Type>(*reader.at++);
    writer.start_object();
    writer.key(type_tag(type));
    switch (type) {
      case Type::string: text(false); break;
      case Type::number: number(); break;
      case Type::binary: binary(); break;
      case Type::boolean: writer.boolean(*reader.at++ != 0); break;
      case Type::null: writer.boolean(true); break;
      case Type::map: map(); break;
      case Type::list: array([this] { value(); }); break;
      case Type::string_set: array([this] { text(false); }); break;
      case Type::number_set: array([this] { number(); }); break;
      case Type::binary_set: array([this] { binary(); }); break;
    }
    writer.end_object();
  }
};

}  // namespace

PackedItem::PackedItem(const Item& item) {
  const std::size_t payload = map_bytes(item);
  // An item is at most 400 KB (validated before it is stored), far inside 32 bits.
  assert(payload <= std::numeric_limits<std::uint32_t>::max());
  block_ = std::make_unique_for_overwrite<char[]>(header_bytes + payload);
  const auto stored = static_cast<std::uint32_t>(payload);
  std::memcpy(block_.get(), &stored, header_bytes);
  Writer writer{block_.get() + header_bytes};
  writer.map(item);
  assert(writer.at == block_.get() + header_bytes + payload);
}

Item PackedItem::unpack() const {
  if (!block_) return Item();
  Reader reader{block_.get() + header_bytes};
  return reader.map();
}

std::size_t PackedItem::block_bytes() const noexcept {
  if (!block_) return 0;
  std::uint32_t payload = 0;
  std::memcpy(&payload, block_.get(), header_bytes);
  return header_bytes + payload;
}

void PackedItem::prefetch(std::size_t bytes) const noexcept {
  if (block_) prefetch_bytes(block_.get(), bytes);
}

LoadHint PackedItem::load_hint(std::size_t bytes) const noexcept {
  return block_ ? LoadHint(block_.get(), bytes) : LoadHint();
}

const char* PackedItem::find(std::string_view name) const noexcept {
  if (!block_) return nullptr;
  Reader reader{block_.get() + header_bytes};
  for (std::size_t n = reader.varint(); n > 0; --n) {
    const std::string_view entry = reader.text();
    if (entry == name) return reader.at;
    if (entry > name) return nullptr;  // names are sorted
    reader.skip_value();
  }
  return nullptr;
}

std::optional<AttributeValue> PackedItem::attribute(std::string_view name) const {
  const char* value = find(name);
  if (value == nullptr) return std::nullopt;
  Reader reader{value};
  return reader.value();
}

void PackedItem::append_json(std::string& out) const {
  if (!block_) {
    out.append("{}");
    return;
  }
  JsonFromPacked json{Reader{block_.get() + header_bytes}, dynamo::detail::JsonWriter(out), {}};
  json.map();
}

std::optional<Type> PackedItem::type_of(std::string_view name) const noexcept {
  const char* value = find(name);
  if (value == nullptr) return std::nullopt;
  return static_cast<Type>(*value);
}

std::optional<Number> PackedItem::number_of(std::string_view name) const noexcept {
  const char* value = find(name);
  if (value == nullptr || static_cast<Type>(*value) != Type::number) return std::nullopt;
  Reader reader{value + 1};
  return reader.number();
}

}  // namespace dynamo::engine::detail
