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
//   all.count();  all.batch_get({"Hello"});  all.batch_write([&](auto& batch) { batch.save(Foo{...}); });
//
// Every model must declare a discriminator on the same attribute, the same table and the
// same key attributes; the first model's schema (key types, indexes, settings) is the one
// create_table() uses. An item whose discriminator names none of the models is a WrongModel
// error when read, never skipped silently.
#pragma once

#include <concepts>
#include <cstdint>
#include <memory>
#include <optional>
#include <type_traits>
#include <variant>
#include <vector>

#include "dynamo/expr/path.hpp"
#include "dynamo/model/batch.hpp"
#include "dynamo/model/table.hpp"
#include "dynamo/model/validation.hpp"

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

  // The same table, its calls sent with `settings` over the connection's (ModelTable's).
  [[nodiscard]] PolymorphicTable with_settings(const OperationSettings& settings) const {
    return PolymorphicTable(core_.connection().with_settings(settings));
  }

  void create_table(const CreateTableOptions& options = {}) const { core_.create_table(options); }
  void delete_table(const DeleteTableOptions& options = {}) const { core_.delete_table(options); }
  [[nodiscard]] bool exists() const { return core_.exists(); }
  [[nodiscard]] api::TableDescription describe_table() const { return core_.describe_table(); }
  void update_ttl(bool ignore_update_ttl_errors = false) const { core_.update_ttl(ignore_update_ttl_errors); }

  // ---- items: each write goes through the table of the model `item` holds ----

  // PutItem of whichever model `item` holds (its discriminator included), with that
  // model's defaults, validation and optimistic locking; the lvalue form updates the
  // object's version attribute as ModelTable::save does.
  void save(value_type& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    std::visit([&](auto& model) { table_for(model).save(model, condition, options); }, item);
  }
  void save(const value_type& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    std::visit([&](const auto& model) { table_for(model).save(model, condition, options); }, item);
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
  // Reloads `item` from the table; it becomes whichever model the stored item is.
  void refresh(value_type& item, const GetOptions& options = {}) const {
    Item k = std::visit([](const auto& model) { return key_of(model); }, item);
    auto found = core_.get(k, options);
    if (!found) throw DoesNotExist(core_.describe_item(k));
    item = deserialize<value_type>(*found);
  }

  // DeleteItem of `item`'s key, with its model's version check.
  void remove(const value_type& item, const expr::Condition& condition = {}, const WriteOptions& options = {}) const {
    std::visit([&](const auto& model) { table_for(model).remove(model, condition, options); }, item);
  }
  // DeleteItem by key, whatever model the item is.
  void remove_key(const Key& key, const expr::Condition& condition = {}) const {
    core_.remove(key.to_item(), std::nullopt, condition, {.add_version_condition = false});
  }

  // UpdateItem on `item`'s key, checked against its model's rules and version; `item`
  // becomes the stored item afterwards.
  void update(value_type& item, const expr::Update& actions, const expr::Condition& condition = {},
              const WriteOptions& options = {}) const {
    Item stored = std::visit(
        [&](const auto& model) {
          using T = std::remove_cvref_t<decltype(model)>;
          detail::ensure_valid_update(schema_of<T>().core(), actions);
          return core_.update(key_of(model), detail::version_of(model), actions, condition, options);
        },
        item);
    item = deserialize<value_type>(stored);
  }
  // UpdateItem by key of an item that exists, whatever its model; returns it afterwards.
  // The values written are checked against the rules of every model (which one the item
  // is is known only once it is read). Unlike ModelTable::update, an item that does not
  // exist is not created: it would carry no discriminator and no model could read it; the
  // call fails with ConditionalCheckFailedException instead.
  value_type update(const Key& key, const expr::Update& actions, const expr::Condition& condition = {},
                    const WriteOptions& options = {}) const {
    detail::ensure_valid_update(schema_of<First>().core(), actions);
    (detail::ensure_valid_update(schema_of<Rest>().core(), actions), ...);
    expr::Condition must_exist = expr::path(schema_of<First>().core().hash_field().name).exists();
    return deserialize<value_type>(
        core_.update(key.to_item(), std::nullopt, actions, std::move(must_exist) && condition, options));
  }

  // ---- query, scan, count: every model's items, each read as its model ----

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
  // Items of every model with this hash key (Select=COUNT), or of the whole table.
  [[nodiscard]] std::int64_t count(const hash_type& hash, const expr::Condition& range_key_condition = {},
                                   const expr::Condition& filter = {}, const CountOptions& options = {}) const {
    return core_.count(nullptr, attribute_traits<hash_type>::to_attribute(hash), range_key_condition, filter,
                       options);
  }
  [[nodiscard]] std::int64_t count(const CountOptions& options = {}) const {
    return core_.count(nullptr, std::nullopt, {}, {}, options);
  }

  // ---- batches (model/batch.hpp): the rules of ModelTable's ----

  [[nodiscard]] std::vector<value_type> batch_get(const std::vector<Key>& keys, const BatchGetOptions& options = {}) const {
    std::vector<value_type> models;
    for (const Item& item : core_.batch_get(key_items(keys), options)) models.push_back(deserialize<value_type>(item));
    return models;
  }
  [[nodiscard]] BatchGetResults<value_type> batch_get_lazy(const std::vector<Key>& keys,
                                                           const BatchGetOptions& options = {}) const {
    return BatchGetResults<value_type>(
        std::make_shared<detail::BatchGetReader>(core_.connection(), table_name(), key_items(keys), options));
  }
  // Saves and deletes of any of the models in batches of 25; `body` receives a
  // BatchWriter<std::variant<First, Rest...>>.
  template <class Body>
    requires std::invocable<Body&, BatchWriter<value_type>&>
  void batch_write(Body&& body, const BatchWriteOptions& options = {}) const {
    BatchWriter<value_type> batch(core_, options);
    detail::run_batch_body(batch, body);
  }

  // A secondary index declared in the schema of one of the models; its query, scan and
  // count read every model's items.
  template <class T, class H, class R>
  [[nodiscard]] ModelIndex<value_type, H, R> index(const IndexSchema<T, H, R>& declared) const {
    static_assert((std::is_same_v<T, First> || ... || std::is_same_v<T, Rest>),
                  "the index is declared by a model that is not one of this polymorphic table's");
    return ModelIndex<value_type, H, R>(core_, schema_of<T>().core().index_named(declared.name()));
  }

  [[nodiscard]] const std::string& table_name() const noexcept { return schema_of<First>().core().table_name; }

 private:
  static void check_alternatives() {
    const detail::SchemaCore& first = schema_of<First>().core();
    const detail::SchemaCore* schemas[] = {&first, &schema_of<Rest>().core()...};
    detail::check_polymorphic_table(schemas);
  }

  template <class T>
  [[nodiscard]] ModelTable<T> table_for(const T&) const {
    return ModelTable<T>(core_.connection());
  }
  template <class T>
  [[nodiscard]] static Item key_of(const T& model) {
    return schema_of<T>().core().key_of(&model);
  }
  [[nodiscard]] static std::vector<Item> key_items(const std::vector<Key>& keys) {
    std::vector<Item> items;
    items.reserve(keys.size());
    for (const Key& key : keys) items.push_back(key.to_item());
    return items;
  }

  detail::TableCore core_;
};

// The writer a PolymorphicTable's batch_write() body receives: saves and deletes of any of
// its models, each checked against its own model's rules.
template <class First, class... Rest>
class BatchWriter<std::variant<First, Rest...>> : public detail::BatchWriterBase {
 public:
  using value_type = std::variant<First, Rest...>;
  using Key = typename ModelTable<First>::Key;
  using BatchWriterBase::BatchWriterBase;

  // PutRequest of whichever model `item` holds (discriminator included).
  void save(const value_type& item) {
    std::visit(
        [&](const auto& model) {
          using T = std::remove_cvref_t<decltype(model)>;
          detail::ensure_valid(schema_of<T>().core(), &model);
          core_.put(serialize(model));
        },
        item);
  }
  // DeleteRequest of `item`'s key, or of a key.
  void remove(const value_type& item) {
    std::visit([&](const auto& model) { core_.remove(key_of(model)); }, item);
  }
  void remove_key(const Key& key) { core_.remove(key.to_item()); }

 private:
  template <class T>
  [[nodiscard]] static Item key_of(const T& model) {
    return schema_of<T>().core().key_of(&model);
  }
};

}  // namespace dynamo
