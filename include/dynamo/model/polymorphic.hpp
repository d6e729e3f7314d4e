// dynamo::PolymorphicTable<Foo, Bar> — one table holding several models, told apart by a
// discriminator: PynamoDB's model discriminators, where reading the parent class returns
// instances of each subclass.
//
//   struct Foo { std::string id; std::string foo; };
//   struct Bar { std::string id; std::string bar; };
//   // schemas: dynamo::table<Foo>("polymorphic_table").hash_key("id", &Foo::id)
//   //              .discriminator("cls", "Foo").attribute("foo", &Foo::foo)   (Bar alike)
//
//   db.table<Bar>().save(Bar{.id = "Hello", .bar = "World!"});   // {id, cls: "Bar", bar}
//   dynamo::PolymorphicTable<Foo, Bar> all(db);
//   for (const std::variant<Foo, Bar>& item : all.scan()) ...     // each item as its model
//   db.table<Foo>().scan();          // only Foo items (a filter on cls is added)
//   db.table<Foo>().get("Hello");    // WrongModel: that item is a Bar
//
// Every model must declare a discriminator on the same attribute, the same table and the
// same key attributes; the first model's schema (key types, indexes, settings) is the one
// create_table() uses. An item whose discriminator names none of the models is a WrongModel
// error when read, never skipped silently.
#pragma once

#include <optional>
#include <type_traits>
#include <variant>

#include "dynamo/model/table.hpp"

namespace dynamo {

template <class First, class... Rest>
class PolymorphicTable {
 public:
  using value_type = std::variant<First, Rest...>;
  using Key = typename ModelTable<First>::Key;
  using hash_type = typename ModelTable<First>::hash_type;

  explicit PolymorphicTable(Connection connection)
      : core_(std::move(connection), schema_of<First>().core(), /*only_this_model=*/false) {
    check_alternatives();
  }

  void create_table(const CreateTableOptions& options = {}) const { core_.create_table(options); }
  void delete_table(const DeleteTableOptions& options = {}) const { core_.delete_table(options); }
  [[nodiscard]] bool exists() const { return core_.exists(); }

  // PutItem of whichever model `item` holds (its discriminator included).
  void save(const value_type& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    std::visit(
        [&](const auto& model) {
          using T = std::remove_cvref_t<decltype(model)>;
          ModelTable<T>(core_.connection()).save(model, condition, options);
        },
        item);
  }

  // GetItem, as whichever model the item is; DoesNotExist when there is none.
  [[nodiscard]] value_type get(const Key& key, const GetOptions& options = {}) const {
    Item k = key.to_item();
    auto found = core_.get(k, options);
    if (!found) throw DoesNotExist(core_.describe_item(k));
    return deserialize<value_type>(*found);
  }
  [[nodiscard]] std::optional<value_type> find(const Key& key, const GetOptions& options = {}) const {
    auto found = core_.get(key.to_item(), options);
    if (!found) return std::nullopt;
    return deserialize<value_type>(*found);
  }

  // DeleteItem by key, whatever model the item is.
  void remove_key(const Key& key, const expr::Condition& condition = {}) const {
    core_.remove(key.to_item(), std::nullopt, condition, {.add_version_condition = false});
  }

  // Query and scan of every model's items, each read as its model.
  [[nodiscard]] ResultIterator<value_type> query(const hash_type& hash, const expr::Condition& range_key_condition = {},
                                                 const expr::Condition& filter = {},
                                                 const QueryOptions& options = {}) const {
    return ResultIterator<value_type>(core_.query(nullptr, attribute_traits<hash_type>::to_attribute(hash),
                                                  range_key_condition, filter, options, false));
  }
  [[nodiscard]] ResultIterator<value_type> scan(const expr::Condition& filter = {},
                                                const ScanOptions& options = {}) const {
    return ResultIterator<value_type>(core_.scan(nullptr, filter, options, false));
  }

  [[nodiscard]] const std::string& table_name() const noexcept { return schema_of<First>().core().table_name; }

 private:
  static void check_alternatives() {
    const detail::SchemaCore& first = schema_of<First>().core();
    const detail::SchemaCore* schemas[] = {&first, &schema_of<Rest>().core()...};
    detail::check_polymorphic_table(schemas);
  }

  detail::TableCore core_;
};

}  // namespace dynamo
