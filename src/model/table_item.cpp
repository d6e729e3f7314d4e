// TableItem's requests and ItemBatchWriter (include/dynamo/model/table_item.hpp): the
// conditions that make save() and partial_save() refuse an item changed since it was read.
#include "dynamo/model/table_item.hpp"

#include <algorithm>

#include "dynamo/codec/plain_json.hpp"
#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/render.hpp"
#include "dynamo/expr/update.hpp"
#include "dynamo/model/errors.hpp"
#include "model/placeholders.hpp"

namespace dynamo {
namespace {

// The key attributes of `item`, in `key_names` order; absent ones are left out.
Item key_of(const Item& item, const std::vector<std::string>& key_names) {
  Item key;
  for (const std::string& name : key_names) {
    if (const AttributeValue* value = item.find(name)) key.insert_or_assign(name, *value);
  }
  return key;
}

std::vector<std::string> names_of(const Item& item) {
  std::vector<std::string> names;
  names.reserve(item.size());
  for (const auto& entry : item) names.push_back(entry.first);
  return names;
}

// Values and items in messages, as plain JSON: "johndoe", 12, {"city": "Paris"}.
std::string plain(const AttributeValue& value) { return to_plain_json(value); }
std::string plain(const Item& item) { return to_plain_json(item); }

// boto's build_expects() for `names`, as a ConditionExpression: an attribute that was read
// must still hold the value read (also when it was since changed or erased here); one that
// was not read must not exist.
expr::Condition unchanged_since_read(const std::vector<std::string>& names, const Item& original) {
  std::vector<expr::Condition> parts;
  parts.reserve(names.size());
  for (const std::string& name : names) {
    if (const AttributeValue* read = original.find(name)) {
      parts.push_back(expr::path(name) == *read);
    } else {
      parts.push_back(expr::path(name).does_not_exist());
    }
  }
  return expr::Condition::all_of(std::move(parts));
}

}  // namespace

TableItem::TableItem(TableConnection table, std::vector<std::string> key_names, Item stored, bool read)
    : table_(std::move(table)), key_names_(std::move(key_names)), data_(std::move(stored)), read_(read) {
  if (read_) original_ = data_;
}

TableItem::TableItem(TableConnection table, Item key, Item attributes)
    : table_(std::move(table)), key_names_(names_of(key)), data_(std::move(attributes)) {
  if (key.empty()) throw ModelUsageError("a new item of " + table_.table_name() + " needs its key attributes");
  for (auto& [name, value] : key) {
    if (const AttributeValue* given = data_.find(name); given && !(*given == value)) {
      throw ModelUsageError("a new item of " + table_.table_name() + " gives key attribute \"" + name +
                            "\" two values: " + plain(value) + " in the key, " + plain(*given) + " in the attributes");
    }
    data_.insert_or_assign(name, std::move(value));
  }
}

TableItem TableItem::get(TableConnection table, Item key, bool consistent_read) {
  const std::string what = table.table_name() + " item " + plain(key);
  std::optional<TableItem> item = try_get(std::move(table), std::move(key), consistent_read);
  if (!item) throw DoesNotExist(what);
  return std::move(*item);
}

std::optional<TableItem> TableItem::try_get(TableConnection table, Item key, bool consistent_read) {
  std::vector<std::string> key_names = names_of(key);
  std::optional<Item> stored = table.get(std::move(key), consistent_read);
  if (!stored) return std::nullopt;
  return TableItem(std::move(table), std::move(key_names), std::move(*stored), true);
}

TableItem TableItem::from_read(TableConnection table, std::vector<std::string> key_names, Item stored) {
  if (key_names.empty()) {
    throw ModelUsageError("TableItem::from_read needs the key attribute names of " + table.table_name());
  }
  for (const std::string& name : key_names) {
    if (!stored.contains(name)) {
      throw ModelUsageError("an item read from " + table.table_name() + " lacks its key attribute \"" + name +
                            "\": " + plain(stored));
    }
  }
  return TableItem(std::move(table), std::move(key_names), std::move(stored), true);
}

std::vector<std::string> TableItem::keys() const { return names_of(data_); }

std::vector<std::string> TableItem::changed() const {
  std::vector<std::string> names;
  // Both maps are sorted by name: one merge walk.
  auto a = original_.begin();
  auto b = data_.begin();
  while (a != original_.end() || b != data_.end()) {
    if (b == data_.end() || (a != original_.end() && a->first < b->first)) {
      names.push_back((a++)->first);  // erased
    } else if (a == original_.end() || b->first < a->first) {
      names.push_back((b++)->first);  // added
    } else {
      if (!(a->second == b->second)) names.push_back(a->first);  // changed
      ++a;
      ++b;
    }
  }
  return names;
}

Item TableItem::key() const { return key_of(read_ ? original_ : data_, key_names_); }

std::string TableItem::describe() const { return table_.table_name() + " item " + plain(key()); }

void TableItem::check_key_unchanged(std::string_view operation) const {
  if (!read_) return;
  for (const std::string& name : key_names_) {
    const AttributeValue* now = data_.find(name);
    const AttributeValue& read = original_.at(name);
    if (now && *now == read) continue;
    throw ModelUsageError(std::string(operation) + " of " + describe() + ": its key attribute \"" + name + "\" was " +
                          (now ? "changed to " + plain(*now) : std::string("erased")) +
                          ", and a key cannot be changed in place; save({.overwrite = true}) writes the item under "
                          "its new key (remove() the old one if it should go)");
  }
}

void TableItem::mark_written() {
  original_ = data_;
  read_ = true;
}

bool TableItem::save(const SaveItemOptions& options) {
  if (!options.overwrite && !needs_save()) return false;
  if (!options.overwrite) check_key_unchanged("save()");
  for (const std::string& name : key_names_) {
    if (!data_.contains(name)) {
      throw ModelUsageError("save() of " + describe() + ": key attribute \"" + name + "\" was erased");
    }
  }
  api::PutItemRequest request{.item = data_};
  if (!options.overwrite) {
    // A new item: none with its key may exist. A read one: every attribute read or added.
    std::vector<std::string> names;
    if (read_) {
      names = names_of(original_);
      for (const auto& entry : data_) {
        if (!original_.contains(entry.first)) names.push_back(entry.first);
      }
    } else {
      names = key_names_;
    }
    expr::Placeholders placeholders;
    request.condition_expression = expr::render(unchanged_since_read(names, original_), placeholders);
    detail::set_placeholders(request, placeholders);
  }
  (void)table_.put_item(std::move(request));
  mark_written();
  return true;
}

bool TableItem::partial_save() {
  if (!needs_save()) return false;
  check_key_unchanged("partial_save()");
  // boto's partial_save(): the key goes in Key, never in the update or its expectations
  // (for a new item, UpdateItem creates it with the key).
  std::vector<std::string> names;
  for (std::string& name : changed()) {
    if (std::find(key_names_.begin(), key_names_.end(), name) == key_names_.end()) names.push_back(std::move(name));
  }
  expr::Update update;
  for (const std::string& name : names) {
    if (const AttributeValue* value = data_.find(name)) {
      update.push_back(expr::path(name).set(*value));
    } else {
      update.push_back(expr::path(name).remove());
    }
  }
  api::UpdateItemRequest request{.key = key()};
  expr::Placeholders placeholders;
  if (!update.empty()) {
    request.update_expression = expr::render(update, placeholders);
    request.condition_expression = expr::render(unchanged_since_read(names, original_), placeholders);
  }
  detail::set_placeholders(request, placeholders);
  (void)table_.update_item(std::move(request));
  mark_written();
  return true;
}

void TableItem::remove() {
  check_key_unchanged("remove()");
  (void)table_.delete_item({.key = key()});
  original_.clear();
  read_ = false;
}

void TableItem::refresh(bool consistent_read) {
  Item key_read = key();
  std::optional<Item> stored = table_.get(key_read, consistent_read);
  if (!stored) throw DoesNotExist(describe());
  data_ = std::move(*stored);
  mark_written();
}

ItemBatchWriter::ItemBatchWriter(const TableConnection& table, std::vector<std::string> key_names,
                                 const BatchWriteOptions& options)
    : table_name_(table.table_name()),
      key_names_(key_names),
      core_(table.connection(), table.table_name(), std::move(key_names), options) {
  if (key_names_.empty()) throw ModelUsageError("batch_write on " + table_name_ + " needs the key attribute names");
}

void ItemBatchWriter::put_item(Item item) {
  for (const std::string& name : key_names_) {
    if (!item.contains(name)) {
      throw ModelUsageError("batch put_item on " + table_name_ + ": the item lacks key attribute \"" + name +
                            "\": " + plain(item));
    }
  }
  core_.put(std::move(item));
}

void ItemBatchWriter::delete_item(Item key) {
  bool exact = key.size() == key_names_.size();
  for (const std::string& name : key_names_) exact = exact && key.contains(name);
  if (!exact) {
    std::string names;
    for (const std::string& name : key_names_) names += (names.empty() ? "\"" : ", \"") + name + '"';
    throw ModelUsageError("batch delete_item on " + table_name_ + ": " + plain(key) + " is not a key (" + names + ")");
  }
  core_.remove(std::move(key));
}

}  // namespace dynamo
