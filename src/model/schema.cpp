// SchemaCore: the loops over a model's fields (serialize, deserialize, keys, defaults).
#include <algorithm>
#include <string>

#include "dynamo/model/schema.hpp"

namespace dynamo::detail {
namespace {

std::string owner(const SchemaCore& schema) {
  return schema.table_name.empty() ? std::string("the map schema") : "the schema of table " + schema.table_name;
}

}  // namespace

void SchemaCore::add_field(FieldCore field) {
  for (const FieldCore& f : fields_) {
    if (f.name == field.name)
      throw Error::validation("attribute \"" + field.name + "\" is declared twice in " + owner(*this));
    if (f.member == field.member)
      throw Error::validation("attributes \"" + f.name + "\" and \"" + field.name + "\" are the same member in " +
                              owner(*this));
  }
  if (field.version && version_field())
    throw Error::validation("a model has at most one version attribute, " + owner(*this) + " declares two");
  if (field.ttl && ttl_field())
    throw Error::validation("a table has at most one TTL attribute, " + owner(*this) + " declares two");
  const int position = static_cast<int>(fields_.size());
  if (field.role == KeyRole::hash) hash_ = position;
  if (field.role == KeyRole::range) range_ = position;
  fields_.push_back(std::move(field));
  by_name_.push_back(static_cast<std::uint32_t>(position));
  std::sort(by_name_.begin(), by_name_.end(),
            [this](std::uint32_t a, std::uint32_t b) { return fields_[a].name < fields_[b].name; });
}

void SchemaCore::add_index(IndexCore index) {
  for (const IndexCore& i : indexes_)
    if (i.name == index.name) throw Error::validation("index \"" + index.name + "\" is declared twice in " + owner(*this));
  if (!index.hash_member) throw Error::validation("index \"" + index.name + "\" has no hash_key()");
  const FieldCore& hash = field_for(*index.hash_member);
  index.hash_name = hash.name;
  index.hash_type = hash.stored_as;
  if (!index.global && (!hash_key() || hash.name != hash_key()->name))
    throw Error::validation("local index \"" + index.name + "\" must have the table's hash key");
  if (!index.global && !index.range_member)
    throw Error::validation("local index \"" + index.name + "\" needs a range_key()");
  if (index.range_member) {
    const FieldCore& range = field_for(*index.range_member);
    index.range_name = range.name;
    index.range_type = range.stored_as;
  }
  indexes_.push_back(std::move(index));
}

void SchemaCore::set_unknown_sink(MemberId member, void (*write)(const void*, const MemberId&, Entries&),
                                  void (*read)(void*, const MemberId&, Item&&)) {
  unknown_member_ = member;
  write_unknown_ = write;
  read_unknown_ = read;
}

const FieldCore& SchemaCore::hash_field() const {
  if (hash_ < 0) throw Error::validation(owner(*this) + " has no hash key");
  return fields_[static_cast<std::size_t>(hash_)];
}

const FieldCore& SchemaCore::range_field() const {
  if (range_ < 0) throw Error::validation(owner(*this) + " has no range key");
  return fields_[static_cast<std::size_t>(range_)];
}

const FieldCore* SchemaCore::ttl_field() const noexcept {
  for (const FieldCore& f : fields_)
    if (f.ttl) return &f;
  return nullptr;
}

const FieldCore* SchemaCore::version_field() const noexcept {
  for (const FieldCore& f : fields_)
    if (f.version) return &f;
  return nullptr;
}

const FieldCore& SchemaCore::field_for(const MemberId& member) const {
  for (const FieldCore& f : fields_)
    if (f.member == member) return f;
  throw Error::validation("this member is not declared as an attribute in " + owner(*this));
}

const FieldCore* SchemaCore::field_named(std::string_view stored_name) const noexcept {
  auto it = std::lower_bound(by_name_.begin(), by_name_.end(), stored_name,
                             [this](std::uint32_t a, std::string_view name) { return fields_[a].name < name; });
  if (it == by_name_.end() || fields_[*it].name != stored_name) return nullptr;
  return &fields_[*it];
}

const IndexCore& SchemaCore::index_named(std::string_view name) const {
  for (const IndexCore& i : indexes_)
    if (i.name == name) return i;
  throw Error::validation("index \"" + std::string(name) + "\" is not declared in " + owner(*this));
}

void SchemaCore::serialize(const void* object, Item& out) const {
  Entries entries;
  entries.reserve(fields_.size());
  for (std::uint32_t position : by_name_) {
    const FieldCore& f = fields_[position];
    f.write(object, f, entries);
  }
  if (write_unknown_) {
    Entries extra;
    write_unknown_(object, *unknown_member_, extra);
    for (auto& entry : extra)
      if (!field_named(entry.first)) entries.push_back(std::move(entry));
  }
  if (auto duplicate = out.assign_entries(std::move(entries)))
    throw Error::validation("attribute \"" + *duplicate + "\" is written twice by " + owner(*this));
}

void SchemaCore::deserialize(const Item& item, void* object) const {
  // Both the item and by_name_ are sorted by name: one merge pass.
  auto field = by_name_.begin();
  Entries unknown;
  auto absent = [&](const FieldCore& f) {
    if (f.default_value) f.default_value(f.address(object, f));
  };
  for (const auto& [name, value] : item) {
    while (field != by_name_.end() && fields_[*field].name < name) absent(fields_[*field++]);
    if (field != by_name_.end() && fields_[*field].name == name) {
      const FieldCore& f = fields_[*field++];
      try {
        f.read(object, f, value);
      } catch (const Error& e) {
        throw Error(e.code(), "attribute \"" + f.name + "\": " + e.what(), e.http_status());
      }
    } else if (read_unknown_) {
      unknown.emplace_back(name, value);
    }
  }
  while (field != by_name_.end()) absent(fields_[*field++]);
  if (read_unknown_) {
    Item rest;
    (void)rest.assign_entries(std::move(unknown));
    read_unknown_(object, *unknown_member_, std::move(rest));
  }
}

void SchemaCore::apply_new_item_defaults(void* object) const {
  for (const FieldCore& f : fields_) {
    if (!f.is_empty(object, f)) continue;
    if (f.default_for_new) f.default_for_new(f.address(object, f));
    else if (f.default_value) f.default_value(f.address(object, f));
  }
}

Item SchemaCore::key_of(const void* object) const {
  Entries entries;
  if (const FieldCore* h = hash_key()) h->write(object, *h, entries);
  if (const FieldCore* r = range_key()) r->write(object, *r, entries);
  Item key;
  (void)key.assign_entries(std::move(entries));
  return key;
}

std::vector<std::string> SchemaCore::key_names(const IndexCore* index) const {
  std::vector<std::string> names;
  auto add = [&names](const std::string& name) {
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  };
  if (const FieldCore* h = hash_key()) add(h->name);
  if (const FieldCore* r = range_key()) add(r->name);
  if (index) {
    add(index->hash_name);
    add(index->range_name);
  }
  return names;
}

}  // namespace dynamo::detail
