// The schema of a model: a value built from member pointers, declared once, outside the
// struct (glaze's meta, sqlite_orm's make_table), so the struct itself stays plain.
//
//   struct Thread {
//     std::string forum_name;
//     std::string subject;
//     std::int64_t views = 0;
//     std::set<std::string> tags;                   // string set; empty = no attribute
//     std::optional<std::string> thread_name;       // nullable: no attribute when empty
//   };
//   template <> struct dynamo::model<Thread> {
//     static auto schema() {
//       return dynamo::table<Thread>("Thread")
//           .hash_key("forum_name", &Thread::forum_name)
//           .range_key("subject", &Thread::subject)
//           .attribute("views", &Thread::views, dynamo::default_to(0))
//           .attribute("tags", &Thread::tags)
//           .attribute("tn", &Thread::thread_name);          // stored name differs
//     }
//   };
//
// A struct stored as a map inside another (PynamoDB's typed MapAttribute) declares its fields
// the same way with dynamo::map_schema<T>(). Indexes are declared with global_index<T>() and
// local_index<T>() (index.hpp's top comment shows one) and attached with .index(...).
//
// Every attribute needs a default-constructible member type with dynamo::attribute_traits
// (traits.hpp). Reading an item starts from T{}, so member initializers act as defaults for
// attributes the item lacks. Attributes an item has but the schema does not declare are
// ignored on read (and therefore dropped by a later save(): see docs/model.md) unless the
// schema keeps them with .unknown_attributes(&T::extra).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <array>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "dynamo/api/enums.hpp"
#include "dynamo/model/traits.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo {

// Specialize with `static auto schema()` returning table<T>(...) or map_schema<T>() chains.
template <class T>
struct model {
  static constexpr bool declared = false;
};

// True when dynamo::model<T> declares a schema.
template <class T>
concept has_schema = requires { model<T>::schema(); };

// The range key type of a model that has none.
struct NoRangeKey {
  friend bool operator==(NoRangeKey, NoRangeKey) = default;
};

enum class KeyRole : std::uint8_t { none, hash, range };

// PynamoDB's Meta: where the model's table lives and how it is provisioned. Used by
// table_of<T>() without a Connection, and by create_table().
struct ModelSettings {
  std::optional<std::string> region{};
  std::optional<std::string> host{};  // endpoint, e.g. "http://localhost:8000"
  std::optional<std::string> access_key_id{};
  std::optional<std::string> secret_access_key{};
  std::optional<std::string> session_token{};
  std::optional<std::int64_t> read_capacity_units{};
  std::optional<std::int64_t> write_capacity_units{};
  std::optional<api::BillingMode> billing_mode{};
};

// The attributes an index copies from the table.
struct IndexProjection {
  api::ProjectionType type = api::ProjectionType::all;
  std::vector<std::string> non_key_attributes{};  // INCLUDE only: stored names

  [[nodiscard]] static IndexProjection all() { return {}; }
  [[nodiscard]] static IndexProjection keys_only() { return {api::ProjectionType::keys_only, {}}; }
  [[nodiscard]] static IndexProjection include(std::vector<std::string> stored_names) {
    return {api::ProjectionType::include, std::move(stored_names)};
  }
};

// An attribute option: the value (or a function giving it) of an unset member, PynamoDB's
// default=. A member is unset when it is stored as no attribute (an empty optional or set)
// or still holds the value it has in a value-initialized T{} (an empty string, 0, the
// epoch). The default fills an unset member when the object is saved or serialized (save()
// of a non-const object also stores it in the object), in new_item<T>(), and when a read
// item lacks the attribute. docs/model.md, "Defaults", says when to prefer an initializer.
template <class D>
struct DefaultTo {
  using is_default_to = void;
  D value;
};
// An attribute option: the value (or function) new_item<T>() puts in an empty member;
// never applied to items read back (PynamoDB's default_for_new=).
template <class D>
struct DefaultForNew {
  D value;
};
template <class D>
[[nodiscard]] DefaultTo<std::decay_t<D>> default_to(D&& value_or_function) {
  return {std::forward<D>(value_or_function)};
}
template <class D>
[[nodiscard]] DefaultForNew<std::decay_t<D>> default_for_new(D&& value_or_function) {
  return {std::forward<D>(value_or_function)};
}

namespace detail {

// A data member's identity: its type and its offset bits, comparable across member types.
struct MemberId {
  const void* type = nullptr;
  std::ptrdiff_t bits = 0;
  friend bool operator==(const MemberId&, const MemberId&) = default;
};

template <class M>
inline constexpr char member_type_tag = 0;

template <class T, class M>
[[nodiscard]] MemberId member_id(M T::*member) noexcept {
  static_assert(sizeof(member) == sizeof(std::ptrdiff_t), "data member pointers are expected to be offsets");
  MemberId id{&member_type_tag<M>, 0};
  std::memcpy(&id.bits, &member, sizeof member);
  return id;
}

template <class T, class M>
[[nodiscard]] M T::*to_member(const MemberId& id) noexcept {
  M T::*member = nullptr;
  std::memcpy(&member, &id.bits, sizeof member);
  return member;
}

using Entries = std::vector<AttributeMap::value_type>;

// One declared attribute, type-erased so that the loops over fields live in src/model.
struct FieldCore {
  std::string name{};  // stored attribute name
  MemberId member{};
  KeyRole role = KeyRole::none;
  StoredAs stored_as = StoredAs::any;
  bool nullable = false;
  bool ttl = false;
  bool version = false;
  // Appends the member's attribute (or its default) to `out`; appends nothing when empty.
  void (*write)(const void* object, const FieldCore& field, Entries& out) = nullptr;
  // Sets the member from a stored value.
  void (*read)(void* object, const FieldCore& field, const AttributeValue& value) = nullptr;
  // True when the member is stored as no attribute.
  bool (*is_empty)(const void* object, const FieldCore& field) = nullptr;
  // The member's address within `object`.
  void* (*address)(void* object, const FieldCore& field) = nullptr;
  // Assign the default to a member (given its address); empty when none was declared.
  std::function<void(void* member)> default_value{};
  std::function<void(void* member)> default_for_new{};
  // Whether the member of `object` is unset (see DefaultTo); set along with a default.
  std::function<bool(const void* object)> is_unset{};
};

struct IndexCore {
  std::string name{};
  bool global = true;
  std::optional<MemberId> hash_member{};
  std::optional<MemberId> range_member{};
  IndexProjection projection{};
  std::optional<std::int64_t> read_capacity_units{};
  std::optional<std::int64_t> write_capacity_units{};
  // Resolved against the table's fields by SchemaCore::add_index.
  std::string hash_name{};
  std::string range_name{};
  StoredAs hash_type = StoredAs::any;
  StoredAs range_type = StoredAs::any;
};

// A model's discriminator (PynamoDB's DiscriminatorAttribute with a class value): the
// attribute every item of the model carries to say which model it is.
struct Discriminator {
  std::string attribute{};            // stored name, e.g. "cls"
  std::vector<std::string> values{};  // written: values.front(); read: any of them
};

// The non-template part of every schema (src/model/schema.cpp).
class SchemaCore {
 public:
  std::string table_name{};
  ModelSettings settings{};

  // Throws dynamo::Error (ValidationException) on a duplicate stored name or member.
  void add_field(FieldCore field);
  // Resolves the index's key members to declared attributes; throws when one is not declared.
  void add_index(IndexCore index);
  void set_unknown_sink(MemberId member, void (*write)(const void*, const MemberId&, Entries&),
                        void (*read)(void*, const MemberId&, Item&&));
  // Throws when the attribute is a declared one, or a discriminator is already set.
  void set_discriminator(Discriminator discriminator);
  [[nodiscard]] const std::optional<Discriminator>& discriminator() const noexcept { return discriminator_; }
  // Whether an item with this discriminator value (nullptr: none stored) is one of this
  // model's. Always true for a model without a discriminator; an item without the
  // attribute is read as this model (data written before the discriminator existed).
  [[nodiscard]] bool accepts_discriminator(const AttributeValue* stored) const noexcept;

  [[nodiscard]] const std::vector<FieldCore>& fields() const noexcept { return fields_; }
  // True when the model keeps undeclared attributes (unknown_attributes()).
  [[nodiscard]] bool keeps_unknown_attributes() const noexcept { return unknown_member_.has_value(); }
  [[nodiscard]] const std::vector<IndexCore>& indexes() const noexcept { return indexes_; }
  [[nodiscard]] const FieldCore* hash_key() const noexcept { return hash_ < 0 ? nullptr : &fields_[static_cast<std::size_t>(hash_)]; }
  [[nodiscard]] const FieldCore* range_key() const noexcept { return range_ < 0 ? nullptr : &fields_[static_cast<std::size_t>(range_)]; }
  // The key fields; throw dynamo::ModelUsageError-like errors when the schema has none.
  [[nodiscard]] const FieldCore& hash_field() const;
  [[nodiscard]] const FieldCore& range_field() const;
  [[nodiscard]] const FieldCore* ttl_field() const noexcept;
  [[nodiscard]] const FieldCore* version_field() const noexcept;
  // The declared attribute of `member`; throws dynamo::Error naming the table when the
  // member was not declared in the schema.
  [[nodiscard]] const FieldCore& field_for(const MemberId& member) const;
  [[nodiscard]] const FieldCore* field_named(std::string_view stored_name) const noexcept;
  [[nodiscard]] const IndexCore& index_named(std::string_view name) const;

  // The object as an attribute map. Defaults fill empty members that declare one.
  void serialize(const void* object, Item& out) const;
  // Sets `object` (freshly value-initialised) from `item`: declared attributes are read,
  // absent ones take their default, unknown ones are ignored or kept in the sink. Throws
  // WrongModel when the item's discriminator is not this model's.
  void deserialize(const Item& item, void* object) const;
  // Fills unset members that declare a default or a default for new items.
  void apply_new_item_defaults(void* object) const;
  // Fills unset members that declare a default (not those for new items only): what save()
  // writes for them, kept in the object.
  void apply_defaults(void* object) const;
  // The primary key attributes of `object`.
  [[nodiscard]] Item key_of(const void* object) const;
  // The stored names of the table's keys and, for `index`, the index's keys.
  [[nodiscard]] std::vector<std::string> key_names(const IndexCore* index = nullptr) const;

 private:
  std::vector<FieldCore> fields_;
  std::vector<std::uint32_t> by_name_;  // positions of fields_ sorted by stored name
  std::vector<IndexCore> indexes_;
  int hash_ = -1;
  int range_ = -1;
  std::optional<MemberId> unknown_member_;
  std::optional<Discriminator> discriminator_;
  void (*write_unknown_)(const void*, const MemberId&, Entries&) = nullptr;
  void (*read_unknown_)(void*, const MemberId&, Item&&) = nullptr;
};

template <class M>
inline constexpr bool is_optional_v = false;
template <class M>
inline constexpr bool is_optional_v<std::optional<M>> = true;

template <class M>
concept ttl_type = requires { attribute_traits<M>::is_ttl; };

template <class T, class M>
void write_member(const void* object, const FieldCore& field, Entries& out) {
  const M& value = static_cast<const T*>(object)->*to_member<T, M>(field.member);
  if (field.default_value && field.is_unset(object)) {
    M fallback{};
    field.default_value(&fallback);
    if (!is_empty_attribute(fallback)) out.emplace_back(field.name, attribute_traits<M>::to_attribute(fallback));
  } else if (!is_empty_attribute(value)) {
    out.emplace_back(field.name, attribute_traits<M>::to_attribute(value));
  }
}

// The test of DefaultTo's "unset": empty, or equal (as stored) to the member of T{}. The
// comparison is of attribute values because a member type need not have operator==.
template <class T, class M>
[[nodiscard]] std::function<bool(const void*)> make_unset_test(MemberId id) {
  static_assert(std::is_default_constructible_v<T>, "a model needs a default constructor (reads start from T{})");
  const M T::*member = to_member<T, M>(id);
  const T blank{};
  std::optional<AttributeValue> initial;
  if (!is_empty_attribute(blank.*member)) initial = attribute_traits<M>::to_attribute(blank.*member);
  return [member, initial = std::move(initial)](const void* object) {
    const M& value = static_cast<const T*>(object)->*member;
    if (is_empty_attribute(value)) return true;
    return initial && attribute_traits<M>::to_attribute(value) == *initial;
  };
}

template <class T, class M>
void read_member(void* object, const FieldCore& field, const AttributeValue& stored) {
  static_cast<T*>(object)->*to_member<T, M>(field.member) = attribute_traits<M>::from_attribute(stored);
}

template <class T, class M>
bool member_is_empty(const void* object, const FieldCore& field) {
  return is_empty_attribute(static_cast<const T*>(object)->*to_member<T, M>(field.member));
}

template <class T, class M>
void* member_address(void* object, const FieldCore& field) {
  return &(static_cast<T*>(object)->*to_member<T, M>(field.member));
}

// Turns a DefaultTo/DefaultForNew value into an assignment to a member of type M.
template <class M, class D>
[[nodiscard]] std::function<void(void*)> make_default(D value) {
  using V = typename unwrap_optional<M>::type;
  if constexpr (std::is_invocable_v<const D&>) {
    static_assert(std::is_convertible_v<std::invoke_result_t<const D&>, V>,
                  "default_to()/default_for_new() function must return a value of the attribute's type");
  } else {
    static_assert(std::is_convertible_v<const D&, V>,
                  "default_to()/default_for_new() needs a value of the attribute's type");
  }
  return [value = std::move(value)](void* member) {
    if constexpr (std::is_invocable_v<const D&>) *static_cast<M*>(member) = V(value());
    else *static_cast<M*>(member) = V(value);
  };
}

template <class T, class M>
[[nodiscard]] FieldCore make_field(std::string name, M T::*member, KeyRole role) {
  static_assert(storable<M>,
                "this member type has no dynamo::attribute_traits: specialize dynamo::attribute_traits "
                "(or dynamo::model for a struct stored as a map) to store it");
  FieldCore field;
  field.name = std::move(name);
  field.member = member_id(member);
  field.role = role;
  field.stored_as = attribute_traits<M>::stored_as;
  field.nullable = is_optional_v<M>;
  field.ttl = ttl_type<typename unwrap_optional<M>::type>;
  field.write = &write_member<T, M>;
  field.read = &read_member<T, M>;
  field.is_empty = &member_is_empty<T, M>;
  field.address = &member_address<T, M>;
  return field;
}

template <class T, class M, class... Options>
void apply_options(FieldCore& field, Options&&... options) {
  [[maybe_unused]] auto apply = [&field]<class O>(O&& option) {
    using Option = std::remove_cvref_t<O>;
    if constexpr (requires { typename Option::is_default_to; }) {
      field.default_value = make_default<M>(std::forward<O>(option).value);
    } else {
      field.default_for_new = make_default<M>(std::forward<O>(option).value);
    }
  };
  (apply(std::forward<Options>(options)), ...);
  if constexpr (sizeof...(Options) > 0) field.is_unset = make_unset_test<T, M>(field.member);
}

template <class O>
inline constexpr bool is_attribute_option_v = false;
template <class D>
inline constexpr bool is_attribute_option_v<DefaultTo<D>> = true;
template <class D>
inline constexpr bool is_attribute_option_v<DefaultForNew<D>> = true;

template <class M>
[[nodiscard]] constexpr bool is_key_type() {
  if constexpr (!storable<M>) {
    return false;
  } else {
    constexpr StoredAs s = attribute_traits<M>::stored_as;
    return s == StoredAs::string || s == StoredAs::number || s == StoredAs::binary;
  }
}

}  // namespace detail

template <class T, class H, class R>
class IndexSchema;

// A model's schema. H and R are the member types of the hash and range keys (void /
// NoRangeKey while undeclared), which makes keys typed in get(), query() and friends.
// Members may come from T's base structs, so models can share attributes through a base:
// declare them in a function template every such model's schema calls (docs/model.md).
template <class T, class H = void, class R = NoRangeKey>
class Schema {
 public:
  using object_type = T;
  using hash_type = H;
  using range_type = R;

  explicit Schema(detail::SchemaCore core) : core_(std::move(core)) {}

  // The partition key: a string, number or binary member, never optional.
  template <class M, class B>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] Schema<T, M, R> hash_key(std::string stored_name, M B::*member) && {
    static_assert(std::is_void_v<H>, "hash_key() is declared twice");
    check_key<M>();
    core_.add_field(detail::make_field(std::move(stored_name), own(member), KeyRole::hash));
    return Schema<T, M, R>(std::move(core_));
  }

  // The sort key: a string, number or binary member, never optional.
  template <class M, class B>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] Schema<T, H, M> range_key(std::string stored_name, M B::*member) && {
    static_assert(std::is_same_v<R, NoRangeKey>, "range_key() is declared twice");
    check_key<M>();
    core_.add_field(detail::make_field(std::move(stored_name), own(member), KeyRole::range));
    return Schema<T, H, M>(std::move(core_));
  }

  // An attribute, optionally with default_to(...) and/or default_for_new(...).
  template <class M, class B, class... Options>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] Schema attribute(std::string stored_name, M B::*member, Options&&... options) && {
    static_assert((detail::is_attribute_option_v<std::remove_cvref_t<Options>> && ...),
                  "attribute() options are default_to(...) and default_for_new(...)");
    auto field = detail::make_field(std::move(stored_name), own(member), KeyRole::none);
    detail::apply_options<T, M>(field, std::forward<Options>(options)...);
    core_.add_field(std::move(field));
    return std::move(*this);
  }

  // An integer version for optimistic locking (PynamoDB's VersionAttribute): save, update
  // and remove check it and increment it (docs/model.md).
  template <class M, class B>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] Schema version(std::string stored_name, M B::*member) && {
    static_assert(std::is_integral_v<M> && !std::is_same_v<M, bool>, "version() needs an integer member");
    auto field = detail::make_field(std::move(stored_name), own(member), KeyRole::none);
    field.version = true;
    core_.add_field(std::move(field));
    return std::move(*this);
  }

  // Keeps the attributes the schema does not declare in `member` (read) and writes them back
  // (save), like PynamoDB's DynamicMapAttribute; without it they are ignored on read.
  [[nodiscard]] Schema unknown_attributes(AttributeMap T::*member) && {
    core_.set_unknown_sink(
        detail::member_id(member),
        [](const void* object, const detail::MemberId& id, detail::Entries& out) {
          for (const auto& entry : static_cast<const T*>(object)->*detail::to_member<T, AttributeMap>(id))
            out.push_back(entry);
        },
        [](void* object, const detail::MemberId& id, Item&& rest) {
          static_cast<T*>(object)->*detail::to_member<T, AttributeMap>(id) = std::move(rest);
        });
    return std::move(*this);
  }

  // Polymorphism (PynamoDB's DiscriminatorAttribute): every item of this model carries
  // `stored_name` = `value`. Models sharing a table (or map attributes sharing a member)
  // are told apart by it: a query or scan of this model reads only its items, a get of
  // another model's item throws WrongModel, and std::variant<A, B> reads whichever the
  // item is (docs/model.md, "Polymorphism"). `also_read` lists older values still accepted.
  [[nodiscard]] Schema discriminator(std::string stored_name, std::string value,
                                     std::vector<std::string> also_read = {}) && {
    detail::Discriminator discriminator{.attribute = std::move(stored_name), .values = {std::move(value)}};
    for (std::string& old : also_read) discriminator.values.push_back(std::move(old));
    core_.set_discriminator(std::move(discriminator));
    return std::move(*this);
  }

  // A secondary index (see index.hpp); its key members must be declared attributes.
  template <class IH, class IR>
  [[nodiscard]] Schema index(const IndexSchema<T, IH, IR>& index) && {
    core_.add_index(index.core());
    return std::move(*this);
  }

  // PynamoDB's Meta settings: region, host, credentials, capacity, billing mode.
  [[nodiscard]] Schema settings(ModelSettings settings) && {
    core_.settings = std::move(settings);
    return std::move(*this);
  }

  [[nodiscard]] const detail::SchemaCore& core() const noexcept { return core_; }

 private:
  // A member of T or of one of its bases, as a member of T: members inherited from a base
  // struct are declared like T's own (`&Thread::created_at` where a base declares it).
  template <class M, class B>
  static constexpr M T::*own(M B::*member) noexcept {
    return member;
  }

  template <class M>
  static constexpr void check_key() {
    static_assert(!detail::is_optional_v<M>, "a key attribute cannot be std::optional: DynamoDB keys always have a value");
    static_assert(detail::is_key_type<M>(), "a key attribute must be stored as a string, a number or binary");
  }

  detail::SchemaCore core_;
};

// The schema of a table named `table_name`.
template <class T>
[[nodiscard]] Schema<T> table(std::string table_name) {
  detail::SchemaCore core;
  core.table_name = std::move(table_name);
  return Schema<T>(std::move(core));
}

// The schema of a struct stored as a map attribute inside a model.
template <class T>
[[nodiscard]] Schema<T> map_schema() {
  return Schema<T>(detail::SchemaCore{});
}

// The model's schema, built once (thread-safe) and kept for the program's lifetime.
template <class T>
[[nodiscard]] const auto& schema_of() {
  static_assert(has_schema<T>, "dynamo::model<T> is not specialized: declare the struct's schema with "
                               "template <> struct dynamo::model<T> { static auto schema() {...} };");
  static const auto schema = model<T>::schema();
  return schema;
}

// A struct with a schema is stored as a map of its declared attributes.
template <class T>
  requires has_schema<T>
struct attribute_traits<T> {
  static constexpr StoredAs stored_as = StoredAs::map;
  static AttributeValue to_attribute(const T& value) {
    Item map;
    schema_of<T>().core().serialize(&value, map);
    return AttributeValue(std::move(map));
  }
  static T from_attribute(const AttributeValue& stored) {
    const auto* map = stored.get_if<AttributeMap>();
    if (!map) detail::throw_wrong_type(stored_as, stored);
    T value{};
    schema_of<T>().core().deserialize(*map, &value);
    return value;
  }
};

namespace detail {

// The position, among `alternatives` (models with discriminators on one attribute), of the
// model `item` is; throws WrongModel when it is none of them (or carries no discriminator)
// and ModelUsageError when the alternatives are not such models.
[[nodiscard]] std::size_t pick_alternative(const Item& item, std::span<const SchemaCore* const> alternatives);
// Throws ModelUsageError unless the models share one table and key attributes, and each
// declares a discriminator on the same attribute with values no other model uses.
void check_polymorphic_table(std::span<const SchemaCore* const> models);

template <class V, std::size_t I>
V read_alternative(const Item& item) {
  using T = std::variant_alternative_t<I, V>;
  T value{};
  schema_of<T>().core().deserialize(item, &value);
  return V(std::in_place_index<I>, std::move(value));
}

// `item` as whichever of Ts its discriminator names.
template <class... Ts>
[[nodiscard]] std::variant<Ts...> read_polymorphic(const Item& item) {
  using V = std::variant<Ts...>;
  static const std::array<const SchemaCore*, sizeof...(Ts)> schemas{&schema_of<Ts>().core()...};
  const std::size_t index = pick_alternative(item, schemas);
  return [&]<std::size_t... I>(std::index_sequence<I...>) {
    using Reader = V (*)(const Item&);
    constexpr Reader readers[] = {&read_alternative<V, I>...};
    return readers[index](item);
  }(std::index_sequence_for<Ts...>{});
}

}  // namespace detail

// A member that holds one of several models with discriminators (PynamoDB's polymorphic
// MapAttribute): stored as that model's map, discriminator included, and read back as
// whichever model the stored discriminator names.
template <class... Ts>
  requires(sizeof...(Ts) > 0 && (has_schema<Ts> && ...))
struct attribute_traits<std::variant<Ts...>> {
  static constexpr StoredAs stored_as = StoredAs::map;
  static AttributeValue to_attribute(const std::variant<Ts...>& value) {
    return std::visit(
        [](const auto& alternative) {
          return attribute_traits<std::remove_cvref_t<decltype(alternative)>>::to_attribute(alternative);
        },
        value);
  }
  static std::variant<Ts...> from_attribute(const AttributeValue& stored) {
    const auto* map = stored.get_if<AttributeMap>();
    if (!map) detail::throw_wrong_type(stored_as, stored);
    return detail::read_polymorphic<Ts...>(*map);
  }
};

}  // namespace dynamo
