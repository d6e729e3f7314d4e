// A stored item in one block of memory: the form in which a table holds its items.
//
// A dynamo::Item spreads an item over many allocations (its entry vector, each string past
// the small-string buffer, each set and list) and 80 bytes of entry per attribute; holding
// a table's items that way costs about half as much again as their DynamoDB size, and
// reading one chases a pointer per value. A PackedItem serializes the same attributes into
// one allocation (little more than the DynamoDB size) that is read front to back:
//   block   := u32 payload-bytes, payload
//   payload := varint count, count x (varint name-bytes, name, value)   (names sorted)
//   value   := u8 Type, then  S, B: varint bytes, bytes | N: a dynamo::Number's bytes
//              | BOOL: u8 | NULL: nothing | M: as payload | L: varint count, values
//              | SS, BS: varint count, count x (varint bytes, bytes) | NS: count x Number
// The form lives only in memory, in one process: it is never written to disk or sent.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "dynamo/value/attribute_value.hpp"
#include "engine/load_hint.hpp"

namespace dynamo::engine::detail {

class PackedItem {
 public:
  PackedItem() = default;
  explicit PackedItem(const Item& item);

  // The item, decoded into a dynamo::Item of its own.
  [[nodiscard]] Item unpack() const;
  // One top-level attribute's value, decoded; nullopt when the item has no such attribute.
  [[nodiscard]] std::optional<AttributeValue> attribute(std::string_view name) const;
  // The type of a top-level attribute, without decoding its value; nullopt when absent.
  [[nodiscard]] std::optional<Type> type_of(std::string_view name) const noexcept;
  // A top-level attribute's number (what the TTL sweep reads); nullopt when the attribute
  // is absent or not a number, which is then not decoded.
  [[nodiscard]] std::optional<Number> number_of(std::string_view name) const noexcept;
  // Appends the item's DynamoDB JSON ({"name":{"S":"..."},...}), byte for byte what
  // json::encode gives for the unpacked item, without unpacking it.
  void append_json(std::string& out) const;

  // The bytes of the block (0 for a default-constructed PackedItem, which holds no item).
  [[nodiscard]] std::size_t block_bytes() const noexcept;
  // Asks the processor to start loading the block's first `bytes`, up to 4 KB (a hint,
  // never a fault), so that a read about to decode the item has its cache lines arrive
  // together rather than one after another, as they would from a block out of the cache.
  void prefetch(std::size_t bytes) const noexcept;
  // The same request kept for later (none for a PackedItem that holds no item).
  [[nodiscard]] LoadHint load_hint(std::size_t bytes) const noexcept;

 private:
  // Where a top-level attribute's value starts (at its type byte), or nullptr.
  [[nodiscard]] const char* find(std::string_view name) const noexcept;

  std::unique_ptr<char[]> block_;
};

}  // namespace dynamo::engine::detail
