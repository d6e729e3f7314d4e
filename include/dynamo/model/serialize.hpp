// A model object to and from DynamoDB's attribute map, its wire JSON and plain JSON
// (PynamoDB's serialize()/deserialize(), to_json()/from_json(), to_simple_dict()), and
// printed.
//
//   dynamo::Item item = dynamo::serialize(thread);       // {"forum_name": S "C++", ...}
//   Thread back = dynamo::deserialize<Thread>(item);
//   std::string text = dynamo::to_json(thread);          // {"forum_name":{"S":"C++"},...}
//   Thread again = dynamo::from_json<Thread>(text);
//   std::string plain = dynamo::to_plain_json(thread);   // {"forum_name":"C++","views":3,...}
//   Thread read = dynamo::from_plain_json<Thread>(plain);
//   using dynamo::operator<<;
//   std::cout << thread;                                 // Thread{"forum_name":"C++",...}
//   Thread fresh = dynamo::new_item<Thread>({.forum_name = "C++"});   // defaults applied
//
// Empty optionals and empty sets become no attribute; attributes the schema does not declare
// are ignored by deserialize (or kept by .unknown_attributes()). A stored value of the wrong
// type throws dynamo::Error naming the attribute.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <variant>

#include "dynamo/codec/json.hpp"
#include "dynamo/codec/plain_json.hpp"
#include "dynamo/model/schema.hpp"
#include "dynamo/model/validation.hpp"

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

// Plain JSON of the item, as the item would be saved (PynamoDB's to_json(), and its
// to_simple_dict() as text): strings, numbers with their exact digits, base64 text for
// binaries, arrays for lists and sets, objects for maps and nested structs, true/false, null.
// Empty optionals and empty sets are left out. T may be a std::variant of models.
template <class T>
  requires(has_schema<T> || detail::is_model_variant_v<T>)
[[nodiscard]] std::string to_plain_json(const T& object) {
  return to_plain_json(serialize(object));
}

// The model plain JSON describes, read through its schema (what from_document() of
// validation.hpp does): arrays become sets where the schema says set, base64 text becomes
// a binary where it says binary, null leaves a std::optional empty. Throws
// dynamo::ValidationError listing every problem, each naming its attribute: malformed JSON,
// a value of the wrong type, an attribute the schema does not declare, a missing key or
// required attribute, a broken validation rule. Members the text leaves out get their
// defaults, as for a new item.
template <class T>
[[nodiscard]] T from_plain_json(std::string_view text) {
  static_assert(has_schema<T>, "from_plain_json<T>() reads one model: T needs a dynamo::model<T> schema");
  return from_document<T>(text);
}

namespace detail {
// Writes `name` then `text`, or `name<unprintable: text>` (a map's empty name as "map"); out
// of line so that printing a model needs no <ostream> in this header.
std::ostream& print_model(std::ostream& out, std::string_view name, std::string_view text, bool printable);
}  // namespace detail

// Prints a model (any struct with a dynamo::model<T> schema) as its table name and its plain
// JSON: Thread{"forum_name":"C++","subject":"Modules","views":3}; a struct stored as a map
// prints as the JSON object alone. Only models take part, so it changes no other type's
// printing. Argument-dependent lookup does not look in namespace dynamo for a struct of
// yours: write `using dynamo::operator<<;` where you print, or once in the namespace that
// declares your models, where that lookup then finds it (GoogleTest's printer included).
// A value that cannot be written (a string that is not UTF-8) prints as
// Thread<unprintable: reason> instead of throwing.
template <class T>
  requires has_schema<T>
std::ostream& operator<<(std::ostream& out, const T& object) {
  const std::string& name = schema_of<T>().core().table_name;
  std::string text;
  bool printable = true;
  try {
    text = to_plain_json(object);
  } catch (const Error& e) {
    text = e.what();
    printable = false;
  }
  return detail::print_model(out, name, text, printable);
}

// `object` with every empty member that declares default_to or default_for_new filled in:
// PynamoDB's constructor behaviour for a new item.
template <class T>
[[nodiscard]] T new_item(T object = {}) {
  schema_of<T>().core().apply_new_item_defaults(&object);
  return object;
}

}  // namespace dynamo
