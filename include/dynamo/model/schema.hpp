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
// the same way with dynamo::map_schema<T>(). A plain aggregate can instead have its schema
// read from the struct, declaring only keys, renames and options (dynamo/model/reflect.hpp).
// Indexes are declared with global_index<T>() and local_index<T>() (index.hpp's top comment
// shows one) and attached with .index(...).
//
// Every attribute needs a default-constructible member type with dynamo::attribute_traits
// (traits.hpp). Reading an item starts from T{}, so member initializers act as defaults for
// attributes the item lacks. Attributes an item has but the schema does not declare are
// ignored on read (and therefore dropped by a later save(): see docs/model.md) unless the
// schema keeps them with .unknown_attributes(&T::extra).
//
// Validation rules (required(), one_of(), length(), range(), pattern(), check(): see
// dynamo/model/validation.hpp) are attribute options too, and .check(fn) adds a rule on the
// whole object; every write of the model layer checks them first.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <array>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "dynamo/api/enums.hpp"
#include "dynamo/model/errors.hpp"
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

// The model's schema (defined below), built once.
template <class T>
[[nodiscard]] const auto& schema_of();

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

class SchemaCore;

// Where a validation is and what it has found (dynamo/model/validation.hpp). Steps into
// maps and lists live on the stack and become text only when a rule is broken, so checking
// a valid object allocates nothing.
class ValidationContext {
 public:
  explicit ValidationContext(std::vector<Violation>& out) noexcept : out_(&out) {}
  ValidationContext(const ValidationContext&) = delete;
  ValidationContext& operator=(const ValidationContext&) = delete;

  // One step into the value being checked (an attribute or member name, or a position),
  // undone when it goes out of scope.
  class Step {
   public:
    Step(ValidationContext& context, std::string_view name) noexcept
        : context_(context), node_{context.top_, name, 0, false} {
      context_.top_ = &node_;
    }
    Step(ValidationContext& context, std::size_t index) noexcept
        : context_(context), node_{context.top_, {}, index, true} {
      context_.top_ = &node_;
    }
    ~Step() { context_.top_ = node_.parent; }
    Step(const Step&) = delete;
    Step& operator=(const Step&) = delete;

   private:
    friend class ValidationContext;
    struct Node {
      const Node* parent;
      std::string_view name;
      std::size_t index;
      bool is_index;
    };
    ValidationContext& context_;
    Node node_;
  };

  // Records a broken rule at the current place.
  void report(std::string message);
  // Records a broken rule at `member` of the current place (Schema::check naming a field).
  void report_member(std::string_view member, std::string message);
  // The current place: "address.zip", "lines[2].sku"; empty at the top.
  [[nodiscard]] std::string path() const;
  [[nodiscard]] std::size_t count() const noexcept { return out_->size(); }
  [[nodiscard]] std::vector<Violation>& violations() noexcept { return *out_; }

 private:
  std::vector<Violation>* out_;
  const Step::Node* top_ = nullptr;
};

// What a member holds, as far as reading a document into it needs to know: its DynamoDB
// type, the type of its elements (lists, sets, std::map values), and the schema of a struct
// stored as a map. One constant per member type.
struct TypeShape {
  StoredAs stored_as = StoredAs::any;
  const TypeShape* element = nullptr;
  const SchemaCore& (*schema)() = nullptr;
};

// Which part of an attribute an update writes: the whole value, one element of a list or
// set, or some elements (list_append, ADD to a set).
enum class ValueScope : std::uint8_t { whole, element, elements };

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
  // Validation (dynamo/model/validation.hpp). `check` reports what the value the member
  // writes (its default when unset) breaks, `check_value` what a value an update writes
  // breaks; both are null for a member without rules that holds no model.
  void (*check)(const void* object, const FieldCore& field, ValidationContext& context) = nullptr;
  void (*check_value)(const FieldCore& field, const AttributeValue& value, ValueScope scope,
                      ValidationContext& context) = nullptr;
  std::shared_ptr<void> rules{};  // the typed rules (FieldRules<M>) behind them
  bool required = false;          // declared required(): must be present and not empty
  const TypeShape* shape = nullptr;
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

  // Out of line, so that a model's translation unit does not generate them.
  SchemaCore();
  SchemaCore(const SchemaCore& other);
  SchemaCore(SchemaCore&& other) noexcept;
  SchemaCore& operator=(const SchemaCore& other);
  SchemaCore& operator=(SchemaCore&& other) noexcept;
  ~SchemaCore();

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

  // ---- validation (dynamo/model/validation.hpp, src/model/validation.cpp) ----

  // True when writes must be checked: an attribute has rules or holds a model, or the
  // schema has whole-object checks. False costs a write nothing.
  [[nodiscard]] bool validates() const noexcept { return validates_; }
  // Adds a rule on the whole object (Schema::check).
  void add_check(std::function<void(const void* object, ValidationContext& context)> check);
  // Reports every rule `object` breaks.
  void validate(const void* object, ValidationContext& context) const;
  // Sets `object` (freshly value-initialised) from a document: plain JSON values (`plain`:
  // arrays for sets, base64 text for binaries) or typed ones, reporting unknown attributes,
  // wrong types and missing keys or required attributes, then the rules. Applies the
  // defaults of a new item.
  void read_document(const Item& document, bool plain, void* object, ValidationContext& context) const;
  // "Thing item" (or "map"), for ValidationError messages.
  [[nodiscard]] std::string subject() const;
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
  std::vector<std::function<void(const void*, ValidationContext&)>> checks_;
  bool validates_ = false;
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
    if (!is_empty_attribute(fallback)) out.emplace_back(field.name, source_of(fallback));
  } else if (!is_empty_attribute(value)) {
    out.emplace_back(field.name, source_of(value));
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

// ---- validation: shapes, nested models, typed rules (the rules themselves: validation.hpp) ----

template <class S>
[[nodiscard]] const SchemaCore& schema_core_of() {
  return schema_of<S>().core();
}

template <class V>
inline constexpr bool is_std_vector_v = false;
template <class E>
inline constexpr bool is_std_vector_v<std::vector<E>> = true;
template <class V>
inline constexpr bool is_set_type_v = false;
template <class E>
inline constexpr bool is_set_type_v<std::set<E>> = true;
template <class E>
inline constexpr bool is_set_type_v<Set<E>> = true;
template <class V>
inline constexpr bool is_string_map_v = false;
template <class E>
inline constexpr bool is_string_map_v<std::map<std::string, E>> = true;
template <class V>
inline constexpr bool is_model_variant_v = false;
template <class... Ts>
inline constexpr bool is_model_variant_v<std::variant<Ts...>> = (has_schema<Ts> && ...);

template <class M>
[[nodiscard]] consteval TypeShape make_shape();
template <class M>
inline constexpr TypeShape shape_v = make_shape<M>();

template <class M>
consteval TypeShape make_shape() {
  if constexpr (is_optional_v<M>) {
    return make_shape<typename M::value_type>();
  } else if constexpr (has_schema<M>) {
    return {StoredAs::map, nullptr, &schema_core_of<M>};
  } else if constexpr (is_std_vector_v<M> || is_set_type_v<M>) {
    return {attribute_traits<M>::stored_as, &shape_v<typename M::value_type>, nullptr};
  } else if constexpr (is_string_map_v<M>) {
    return {StoredAs::map, &shape_v<typename M::mapped_type>, nullptr};
  } else {
    return {attribute_traits<M>::stored_as, nullptr, nullptr};
  }
}

// True when a member of type V holds structs with schemas, whose own rules apply to it.
template <class V>
[[nodiscard]] consteval bool holds_model() {
  if constexpr (is_optional_v<V>) return holds_model<typename V::value_type>();
  else if constexpr (has_schema<V> || is_model_variant_v<V>) return true;
  else if constexpr (is_std_vector_v<V>) return holds_model<typename V::value_type>();
  else if constexpr (is_string_map_v<V>) return holds_model<typename V::mapped_type>();
  else return false;
}

// Checks the structs with schemas inside `value` against their own rules.
template <class V>
void validate_nested(const V& value, ValidationContext& context) {
  if constexpr (is_optional_v<V>) {
    if (value) validate_nested(*value, context);
  } else if constexpr (has_schema<V>) {
    const SchemaCore& schema = schema_core_of<V>();
    if (schema.validates()) schema.validate(&value, context);
  } else if constexpr (is_model_variant_v<V>) {
    std::visit([&context](const auto& alternative) { validate_nested(alternative, context); }, value);
  } else if constexpr (is_std_vector_v<V>) {
    std::size_t position = 0;
    for (const auto& element : value) {
      ValidationContext::Step step(context, position++);
      validate_nested(element, context);
    }
  } else if constexpr (is_string_map_v<V>) {
    for (const auto& [name, element] : value) {
      ValidationContext::Step step(context, std::string_view(name));
      validate_nested(element, context);
    }
  }
}

// What one_of() and pattern() look at: each element of a list or set, or the value itself.
template <class V>
struct rule_element {
  using type = V;
  static constexpr bool many = false;
};
template <class V>
  requires(is_std_vector_v<V> || is_set_type_v<V>)
struct rule_element<V> {
  using type = typename V::value_type;
  static constexpr bool many = true;
};

// The rules declared on a member of type M (installed by the options of validation.hpp).
template <class M>
struct FieldRules {
  using value_type = typename unwrap_optional<M>::type;
  using element_type = typename rule_element<value_type>::type;
  bool required = false;
  std::vector<std::function<void(const value_type&, ValidationContext&)>> value_rules{};
  std::vector<std::function<void(const element_type&, ValidationContext&)>> element_rules{};
};

template <class V>
[[nodiscard]] bool is_blank(const V& value) {
  if constexpr (requires { value.empty(); }) return value.empty();
  else return false;
}

template <class M>
[[nodiscard]] const typename unwrap_optional<M>::type& unwrap_value(const M& member) {
  if constexpr (is_optional_v<M>) return *member;
  else return member;
}

template <class M>
void check_member(const M& member, const FieldRules<M>* rules, ValidationContext& context) {
  using V = typename unwrap_optional<M>::type;
  if (rules != nullptr) {
    if (is_empty_attribute(member)) {  // stored as no attribute: only required() applies
      if (rules->required) context.report("is required");
      return;
    }
    const V& value = unwrap_value(member);
    if (rules->required && is_blank(value)) {
      context.report("is required");
      return;
    }
    for (const auto& rule : rules->value_rules) rule(value, context);
    if (!rules->element_rules.empty()) {
      if constexpr (rule_element<V>::many) {
        for (const auto& element : value)
          for (const auto& rule : rules->element_rules) rule(element, context);
      } else {
        for (const auto& rule : rules->element_rules) rule(value, context);
      }
    }
  }
  if constexpr (holds_model<M>()) validate_nested(member, context);
}

template <class T, class M>
void check_field(const void* object, const FieldCore& field, ValidationContext& context) {
  const auto* rules = static_cast<const FieldRules<M>*>(field.rules.get());
  if (field.default_value && field.is_unset(object)) {  // what save() writes: the default
    M fallback{};
    field.default_value(&fallback);
    check_member(fallback, rules, context);
  } else {
    check_member(static_cast<const T*>(object)->*to_member<T, M>(field.member), rules, context);
  }
}

// A value an update writes, read as the member would read it, then checked like one.
template <class M>
void check_update_value(const FieldCore& field, const AttributeValue& value, ValueScope scope,
                        ValidationContext& context) {
  using V = typename unwrap_optional<M>::type;
  const auto* rules = static_cast<const FieldRules<M>*>(field.rules.get());
  if (scope == ValueScope::whole) {
    std::optional<M> member;
    try {
      member.emplace(attribute_traits<M>::from_attribute(value));
    } catch (const Error& e) {
      context.report(e.what());
      return;
    }
    check_member(*member, rules, context);
    return;
  }
  if constexpr (rule_element<V>::many) {
    using E = typename rule_element<V>::type;
    auto check_element = [&](const E& element) {
      if (rules != nullptr)
        for (const auto& rule : rules->element_rules) rule(element, context);
      if constexpr (holds_model<E>()) validate_nested(element, context);
    };
    try {
      if (scope == ValueScope::element) {
        check_element(attribute_traits<E>::from_attribute(value));
      } else {
        for (const auto& element : attribute_traits<V>::from_attribute(value)) check_element(element);
      }
    } catch (const Error& e) {
      context.report(e.what());
    }
  }
}

// The rules of `field` (a member of type M of T), created on first use.
template <class T, class M>
[[nodiscard]] FieldRules<M>& rules_of(FieldCore& field) {
  if (!field.rules) field.rules = std::make_shared<FieldRules<M>>();
  field.check = &check_field<T, M>;
  field.check_value = &check_update_value<M>;
  return *static_cast<FieldRules<M>*>(field.rules.get());
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
  field.shape = &shape_v<M>;
  if constexpr (holds_model<M>()) {
    field.check = &check_field<T, M>;
    field.check_value = &check_update_value<M>;
  }
  return field;
}

template <class O>
concept validation_rule = requires { typename O::is_validation_rule; };

template <class O>
inline constexpr bool is_default_option_v = false;
template <class D>
inline constexpr bool is_default_option_v<DefaultTo<D>> = true;
template <class D>
inline constexpr bool is_default_option_v<DefaultForNew<D>> = true;

template <class O>
inline constexpr bool is_attribute_option_v = is_default_option_v<O> || validation_rule<O>;

template <class T, class M, class... Options>
void apply_options(FieldCore& field, Options&&... options) {
  [[maybe_unused]] auto apply = [&field]<class O>(O&& option) {
    using Option = std::remove_cvref_t<O>;
    if constexpr (validation_rule<Option>) {
      option.template install<T, M>(field);
    } else if constexpr (requires { typename Option::is_default_to; }) {
      field.default_value = make_default<M>(std::forward<O>(option).value);
    } else {
      field.default_for_new = make_default<M>(std::forward<O>(option).value);
    }
  };
  (apply(std::forward<Options>(options)), ...);
  if constexpr ((is_default_option_v<std::remove_cvref_t<Options>> || ...))
    field.is_unset = make_unset_test<T, M>(field.member);
}

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

  // The partition key: a string, number or binary member, never optional. Validation
  // rules (validation.hpp) may follow.
  template <class M, class B, class... Rules>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] Schema<T, M, R> hash_key(std::string stored_name, M B::*member, Rules&&... rules) && {
    static_assert(std::is_void_v<H>, "hash_key() is declared twice");
    static_assert((detail::validation_rule<std::remove_cvref_t<Rules>> && ...),
                  "hash_key() and range_key() options are validation rules (a key has no default)");
    check_key<M>();
    auto field = detail::make_field(std::move(stored_name), own(member), KeyRole::hash);
    detail::apply_options<T, M>(field, std::forward<Rules>(rules)...);
    core_.add_field(std::move(field));
    return Schema<T, M, R>(std::move(core_));
  }

  // The sort key: a string, number or binary member, never optional. Validation rules may
  // follow.
  template <class M, class B, class... Rules>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] Schema<T, H, M> range_key(std::string stored_name, M B::*member, Rules&&... rules) && {
    static_assert(std::is_same_v<R, NoRangeKey>, "range_key() is declared twice");
    static_assert((detail::validation_rule<std::remove_cvref_t<Rules>> && ...),
                  "hash_key() and range_key() options are validation rules (a key has no default)");
    check_key<M>();
    auto field = detail::make_field(std::move(stored_name), own(member), KeyRole::range);
    detail::apply_options<T, M>(field, std::forward<Rules>(rules)...);
    core_.add_field(std::move(field));
    return Schema<T, H, M>(std::move(core_));
  }

  // An attribute, optionally with default_to(...), default_for_new(...) and validation
  // rules (required(), one_of(...), length(...), range(...), pattern(...), check(...)).
  template <class M, class B, class... Options>
    requires std::is_base_of_v<B, T>
  [[nodiscard]] Schema attribute(std::string stored_name, M B::*member, Options&&... options) && {
    static_assert((detail::is_attribute_option_v<std::remove_cvref_t<Options>> && ...),
                  "attribute() options are default_to(...), default_for_new(...) and validation rules "
                  "(dynamo/model/validation.hpp)");
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

  // A rule on the whole object, for what involves several attributes: `rule(object)`
  // returns std::nullopt when the object is fine, else a message (std::optional<std::string>,
  // reported for the whole item) or a dynamo::Violation naming the attribute.
  template <class F>
  [[nodiscard]] Schema check(F rule) && {
    static_assert(std::is_invocable_v<const F&, const T&>, "check() needs a function taking the object (const T&)");
    using Result = std::invoke_result_t<const F&, const T&>;
    constexpr bool names_field = std::is_convertible_v<Result, std::optional<Violation>>;
    static_assert(names_field || std::is_convertible_v<Result, std::optional<std::string>>,
                  "check() needs a function returning std::optional<std::string> (a message, or nullopt "
                  "when the object is fine) or std::optional<dynamo::Violation>");
    core_.add_check([rule = std::move(rule)](const void* object, detail::ValidationContext& context) {
      if constexpr (names_field) {
        std::optional<Violation> broken = rule(*static_cast<const T*>(object));
        if (broken) context.report_member(broken->field, std::move(broken->message));
      } else {
        std::optional<std::string> broken = rule(*static_cast<const T*>(object));
        if (broken) context.report(std::move(*broken));
      }
    });
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

namespace detail {

// The Schema a model declares: model<T>::schema() itself, or what it builds when it returns
// a builder (reflect_table<T>() of dynamo/model/reflect.hpp).
template <class S>
[[nodiscard]] auto built_schema(S declared) {
  if constexpr (requires { std::move(declared).build(); }) return std::move(declared).build();
  else return declared;
}

}  // namespace detail

// The model's schema, built once (thread-safe) and kept for the program's lifetime.
template <class T>
const auto& schema_of() {
  static_assert(has_schema<T>, "dynamo::model<T> is not specialized: declare the struct's schema with "
                               "template <> struct dynamo::model<T> { static auto schema() {...} };");
  static const auto schema = detail::built_schema(model<T>::schema());
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

template <class T>
  requires has_schema<T>
struct attribute_source<T> {
  static Item get(const T& value) {
    Item map;
    schema_of<T>().core().serialize(&value, map);
    return map;
  }
};

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
