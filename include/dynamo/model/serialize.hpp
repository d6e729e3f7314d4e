// A model object to and from DynamoDB's attribute map and its wire JSON (PynamoDB's
// serialize()/deserialize(), to_json()/from_json()).
//
//   dynamo::Item item = dynamo::serialize(thread);       // {"forum_name": S "C++", ...}
//   Thread back = dynamo::deserialize<Thread>(item);
//   std::string text = dynamo::to_json(thread);          // {"forum_name":{"S":"C++"},...}
//   Thread again = dynamo::from_json<Thread>(text);
//   Thread fresh = dynamo::new_item<Thread>({.forum_name = "C++"});   // defaults applied
//
// Empty optionals and empty sets become no attribute; attributes the schema does not declare
// are ignored by deserialize (or kept by .unknown_attributes()). A stored value of the wrong
// type throws dynamo::Error naming the attribute.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "dynamo/codec/json.hpp"
#include "dynamo/model/schema.hpp"

namespace dynamo {

template <class T>
[[nodiscard]] Item serialize(const T& object) {
  Item item;
  schema_of<T>().core().serialize(&object, item);
  return item;
}
// One of several models: serialized as the one it holds (discriminator included).
template <class... Ts>
[[nodiscard]] Item serialize(const std::variant<Ts...>& object) {
  return std::visit([](const auto& alternative) { return serialize(alternative); }, object);
}

namespace detail {
template <class T>
struct ModelReader {
  static T read(const Item& item) {
    T object{};
    schema_of<T>().core().deserialize(item, &object);
    return object;
  }
};
// std::variant<Foo, Bar>: whichever model the item's discriminator names.
template <class... Ts>
struct ModelReader<std::variant<Ts...>> {
  static std::variant<Ts...> read(const Item& item) { return read_polymorphic<Ts...>(item); }
};
}  // namespace detail

// The model read from `item`; T may be a std::variant of models with discriminators.
template <class T>
[[nodiscard]] T deserialize(const Item& item) {
  return detail::ModelReader<T>::read(item);
}

// DynamoDB JSON of the item.
template <class T>
[[nodiscard]] std::string to_json(const T& object) {
  return json::encode(serialize(object));
}

template <class T>
[[nodiscard]] T from_json(std::string_view text) {
  return deserialize<T>(json::decode_item(text));
}

// `object` with every empty member that declares default_to or default_for_new filled in:
// PynamoDB's constructor behaviour for a new item.
template <class T>
[[nodiscard]] T new_item(T object = {}) {
  schema_of<T>().core().apply_new_item_defaults(&object);
  return object;
}

}  // namespace dynamo
