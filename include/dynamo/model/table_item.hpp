// dynamo::TableItem — boto's dict-like Item: an item of a table without a model, which
// remembers the values it was read with, so that saving it can check that nobody changed
// it in between. And dynamo::batch_write for such untyped items.
//
//   auto users = db.table("users");
//   dynamo::TableItem johndoe = dynamo::TableItem::get(users, {{"username", "johndoe"}});
//   johndoe["first_name"] = "Johann";          // nothing is sent yet
//   johndoe.erase("last_name");
//   johndoe.save();                            // PutItem, only if the item is still as read
//   johndoe.save({.overwrite = true});         // PutItem, whatever is stored
//   johndoe.partial_save();                    // UpdateItem of the changed attributes only
//   johndoe.remove();                          // DeleteItem
//
//   dynamo::batch_write(users, {"username"}, [&](dynamo::ItemBatchWriter& batch) {
//     batch.put_item({{"username", "alice"}, {"first_name", "Alice"}});
//     batch.delete_item({{"username", "jane"}});
//   });   // what is still queued is sent here, also when the body throws
//
// The checks are boto's, written as ConditionExpressions:
//   save()          every attribute read still has the value read, every attribute added
//                   since did not exist (attribute_not_exists); for an item never read,
//                   no item with its key exists. An attribute someone else added that this
//                   item never had is not seen (no condition can name it) and the PutItem
//                   drops it: partial_save() does not;
//   partial_save()  the same, for the changed attributes only: SET of the added and changed
//                   ones, REMOVE of the erased ones, in one UpdateItem; attributes changed
//                   by someone else and not here are left as they are.
// A failed check throws the client's PutError / UpdateError with code()
// "ConditionalCheckFailedException" and leaves the TableItem as it was; refresh() reads the
// stored item again. After a successful write the item counts as read with its new values:
// a second save() or partial_save() without changes sends nothing and returns false.
//
// Keys: the key attribute names come from the key an item is read or created with (never
// from a DescribeTable call). A key cannot be changed in place: save() and partial_save()
// of a read item whose key attribute changed throw ModelUsageError before sending anything;
// save({.overwrite = true}) writes the item under its new key (the old one stays).
//
// The condition of save() names every attribute, so an item of several hundred attributes
// can pass DynamoDB's 4 KB limit on an expression; save({.overwrite = true}) or
// partial_save() then still work.
#pragma once

#include <concepts>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamo/client/table_connection.hpp"
#include "dynamo/model/batch.hpp"
#include "dynamo/model/errors.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo {

struct SaveItemOptions {
  // Write the item as it is, whatever is stored (boto's overwrite=True): no condition.
  bool overwrite{};
};

class TableItem {
 public:
  class AttributeRef;

  // A new item, not written yet: `key` holds the key attributes and `attributes` the
  // others (boto's Item(users, data={...})). save() writes it only if no
  // item with this key exists. Throws ModelUsageError when `key` is empty or `attributes`
  // gives a key attribute another value.
  TableItem(TableConnection table, Item key, Item attributes = {});

  // GetItem of `key`; throws DoesNotExist when no item has it (boto's users.get_item()).
  [[nodiscard]] static TableItem get(TableConnection table, Item key, bool consistent_read = false);
  // The same, nullopt when no item has the key.
  [[nodiscard]] static std::optional<TableItem> try_get(TableConnection table, Item key,
                                                        bool consistent_read = false);
  // An item read some other way (a Query or Scan of the table, for instance), as read:
  // `key_names` are the names of the table's key attributes. Throws ModelUsageError when
  // `stored` lacks one.
  [[nodiscard]] static TableItem from_read(TableConnection table, std::vector<std::string> key_names, Item stored);

  // ---- dict-like access (local: nothing is sent) ----

  // The attribute `name`: read it (throws dynamo::Error naming it when absent), compare it,
  // or assign it: `item["first_name"] = "Johann"`, `item["views"] = 12`.
  [[nodiscard]] AttributeRef operator[](std::string_view name);
  // Throws dynamo::Error (ValidationException) naming the attribute when it is absent.
  [[nodiscard]] const AttributeValue& operator[](std::string_view name) const { return data_.at(name); }
  [[nodiscard]] const AttributeValue& at(std::string_view name) const { return data_.at(name); }
  // The attribute, or nullptr when the item has none of that name.
  [[nodiscard]] const AttributeValue* find(std::string_view name) const noexcept { return data_.find(name); }
  [[nodiscard]] bool contains(std::string_view name) const noexcept { return data_.contains(name); }
  // Sets an attribute (a key attribute too: see "Keys" above).
  void set(std::string name, AttributeValue value) { data_.insert_or_assign(std::move(name), std::move(value)); }
  // boto's `del item[name]`; returns true when the attribute was there.
  bool erase(std::string_view name) { return data_.erase(name); }

  // The attributes, sorted by name: `for (const auto& [name, value] : item)`.
  [[nodiscard]] Item::const_iterator begin() const noexcept { return data_.begin(); }
  [[nodiscard]] Item::const_iterator end() const noexcept { return data_.end(); }
  [[nodiscard]] std::size_t size() const noexcept { return data_.size(); }
  [[nodiscard]] bool empty() const noexcept { return data_.empty(); }
  [[nodiscard]] std::vector<std::string> keys() const;
  // The attributes as plain data (boto's dict(item)).
  [[nodiscard]] const Item& data() const noexcept { return data_; }

  // ---- what changed ----

  // The values as last read or written; empty for an item never read.
  [[nodiscard]] const Item& original() const noexcept { return original_; }
  // False for a new item (TableItem(table, key, ...)) until it is written, and after remove().
  [[nodiscard]] bool was_read() const noexcept { return read_; }
  // Attributes added, changed or erased since then, sorted by name.
  [[nodiscard]] std::vector<std::string> changed() const;
  // True when save() would send something: a new item, or one with changes.
  [[nodiscard]] bool needs_save() const { return !read_ || data_ != original_; }

  // ---- the table ----

  // The key: as read for a read item, else from the attributes.
  [[nodiscard]] Item key() const;
  // The names of the key attributes.
  [[nodiscard]] const std::vector<std::string>& key_names() const noexcept { return key_names_; }
  [[nodiscard]] const TableConnection& table() const noexcept { return table_; }

  // PutItem of every attribute, conditioned as described at the top (none with
  // .overwrite). Returns false, sending nothing, when nothing changed and not .overwrite.
  bool save(const SaveItemOptions& options = {});
  // UpdateItem of the changed attributes only, conditioned on their values as read.
  // Returns false, sending nothing, when nothing changed.
  bool partial_save();
  // DeleteItem of the key (boto's item.delete()), unconditional. The TableItem keeps its
  // attributes and counts as new: save() would write it again.
  void remove();
  // GetItem of the key, dropping every local change; throws DoesNotExist when the item is
  // gone (the TableItem is then unchanged).
  void refresh(bool consistent_read = true);

 private:
  TableItem(TableConnection table, std::vector<std::string> key_names, Item stored, bool read);
  // Throws ModelUsageError when a key attribute of a read item changed, for `operation`.
  void check_key_unchanged(std::string_view operation) const;
  [[nodiscard]] std::string describe() const;  // "users item {...}" for messages
  void mark_written();

  TableConnection table_;
  std::vector<std::string> key_names_;
  Item data_;
  Item original_;
  bool read_ = false;
};

// What `item[name]` gives on a non-const item: reads like the value, assigns into the item.
class TableItem::AttributeRef {
 public:
  AttributeRef(Item& data, std::string_view name) : data_(&data), name_(name) {}

  AttributeRef& operator=(AttributeValue value) {
    data_->insert_or_assign(std::string(name_), std::move(value));
    return *this;
  }
  template <std::floating_point T>
  AttributeRef& operator=(T number) {
    return *this = AttributeValue(Number::from_double(static_cast<double>(number)));
  }
  // `a["x"] = b["y"]` copies the value (not the reference).
  AttributeRef& operator=(const AttributeRef& other) { return *this = AttributeValue(other.value()); }
  AttributeRef(const AttributeRef&) = default;

  // The value; throws dynamo::Error (ValidationException) naming the attribute when absent.
  [[nodiscard]] const AttributeValue& value() const { return data_->at(name_); }
  operator const AttributeValue&() const { return value(); }  // NOLINT: reads like the value
  [[nodiscard]] bool exists() const noexcept { return data_->contains(name_); }
  [[nodiscard]] const AttributeValue* get() const noexcept { return data_->find(name_); }

  // The typed accessors of AttributeValue, each throwing when absent or of another type.
  [[nodiscard]] const std::string& as_string() const { return value().as_string(); }
  [[nodiscard]] const Number& as_number() const { return value().as_number(); }
  [[nodiscard]] bool as_bool() const { return value().as_bool(); }
  [[nodiscard]] const AttributeMap& as_map() const { return value().as_map(); }
  [[nodiscard]] const List& as_list() const { return value().as_list(); }
  [[nodiscard]] Type type() const { return value().type(); }

  // False when the attribute is absent.
  friend bool operator==(const AttributeRef& ref, const AttributeValue& value) {
    const AttributeValue* held = ref.get();
    return held != nullptr && *held == value;
  }

 private:
  Item* data_;
  std::string name_;
};

inline TableItem::AttributeRef TableItem::operator[](std::string_view name) { return AttributeRef(data_, name); }

class ItemBatchWriter;

// Runs `body` with a writer for `table`, whose key attributes are `key_names` (hash, then
// range: they tell which writes address one item). What is still queued when `body` ends
// is sent then, also when it throws; the body's exception then propagates, even if that
// last commit failed too (what was sent stays written either way).
template <class Body>
  requires std::invocable<Body&, ItemBatchWriter&>
void batch_write(const TableConnection& table, std::vector<std::string> key_names, Body&& body,
                 const BatchWriteOptions& options = {});

// The writer a dynamo::batch_write() body receives: boto's `with users.batch_write() as batch`.
// Writes go out 25 per BatchWriteItem request as they are queued; what DynamoDB leaves
// unprocessed is sent again with backoff (model/batch.hpp has the details, BatchIncomplete
// included). A batch has no conditions.
class ItemBatchWriter {
 public:
  ItemBatchWriter(const ItemBatchWriter&) = delete;
  ItemBatchWriter& operator=(const ItemBatchWriter&) = delete;

  // PutRequest of the whole item. Throws ModelUsageError, queueing nothing, when the item
  // lacks a key attribute.
  void put_item(Item item);
  void put_item(const TableItem& item) { put_item(item.data()); }
  // DeleteRequest of `key`. Throws ModelUsageError when it is not exactly the key attributes.
  void delete_item(Item key);
  // Sends everything queued now rather than when the body ends.
  void commit() { core_.flush(); }

  // Writes queued and not yet sent; writes DynamoDB has applied so far.
  [[nodiscard]] std::size_t pending() const noexcept { return core_.pending(); }
  [[nodiscard]] std::size_t written() const noexcept { return core_.written(); }

 private:
  ItemBatchWriter(const TableConnection& table, std::vector<std::string> key_names, const BatchWriteOptions& options);
  template <class Body>
    requires std::invocable<Body&, ItemBatchWriter&>
  friend void batch_write(const TableConnection& table, std::vector<std::string> key_names, Body&& body,
                          const BatchWriteOptions& options);

  std::string table_name_;
  std::vector<std::string> key_names_;
  detail::BatchWriteCore core_;
};

template <class Body>
  requires std::invocable<Body&, ItemBatchWriter&>
void batch_write(const TableConnection& table, std::vector<std::string> key_names, Body&& body,
                 const BatchWriteOptions& options) {
  ItemBatchWriter batch(table, std::move(key_names), options);
  detail::run_batch_body(batch, body);
}

}  // namespace dynamo
