// SchemaCore: the loops over a model's fields (serialize, deserialize, keys, defaults).
#include <algorithm>
#include <string>

#include "dynamo/codec/json.hpp"
#include "dynamo/model/errors.hpp"
#include "dynamo/model/schema.hpp"

namespace dynamo::detail {
namespace {

std::string owner(const SchemaCore& schema) {
  return schema.table_name.empty() ? std::string("the map schema") : "the schema of table " + schema.table_name;
}

}  // namespace

SchemaCore::SchemaCore() = default;
SchemaCore::SchemaCore(const SchemaCore& other) = default;
SchemaCore::SchemaCore(SchemaCore&& other) noexcept = default;
SchemaCore& SchemaCore::operator=(const SchemaCore& other) = default;
SchemaCore& SchemaCore::operator=(SchemaCore&& other) noexcept = default;
SchemaCore::~SchemaCore() = default;

void SchemaCore::add_field(FieldCore field) {
  if (discriminator_ && discriminator_->attribute == field.name)
    throw Error::validation("attribute \"" + field.name + "\" is the discriminator of " + owner(*this));
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
  if (field.check) validates_ = true;
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

void SchemaCore::set_discriminator(Discriminator discriminator) {
  if (discriminator_) throw Error::validation(owner(*this) + " declares a discriminator twice");
  if (discriminator.attribute.empty() || discriminator.values.empty() || discriminator.values.front().empty())
    throw Error::validation("a discriminator needs an attribute name and a value, in " + owner(*this));
  if (field_named(discriminator.attribute))
    throw Error::validation("attribute \"" + discriminator.attribute + "\" is the discriminator of " + owner(*this) +
                            ", and also a declared attribute");
  discriminator_ = std::move(discriminator);
}

bool SchemaCore::accepts_discriminator(const AttributeValue* stored) const noexcept {
  if (!discriminator_ || stored == nullptr) return true;
  const auto* text = stored->get_if<std::string>();
  return text != nullptr &&
         std::find(discriminator_->values.begin(), discriminator_->values.end(), *text) != discriminator_->values.end();
}

std::size_t pick_alternative(const Item& item, std::span<const SchemaCore* const> alternatives) {
  const std::string* attribute = nullptr;
  for (const SchemaCore* alternative : alternatives) {
    const auto& discriminator = alternative->discriminator();
    if (!discriminator)
      throw ModelUsageError("every model of a polymorphic read needs a discriminator; " + owner(*alternative) +
                            " declares none");
    if (attribute && *attribute != discriminator->attribute)
      throw ModelUsageError("the models of a polymorphic read must use one discriminator attribute, not \"" +
                            *attribute + "\" and \"" + discriminator->attribute + "\"");
    attribute = &discriminator->attribute;
  }
  const AttributeValue* stored = attribute ? item.find(*attribute) : nullptr;
  if (stored == nullptr)
    throw WrongModel("the item has no discriminator attribute \"" + (attribute ? *attribute : std::string()) +
                     "\", so which model it is cannot be told");
  for (std::size_t i = 0; i < alternatives.size(); ++i) {
    if (alternatives[i]->accepts_discriminator(stored)) return i;
  }
  std::string known;
  for (const SchemaCore* alternative : alternatives) {
    for (const std::string& value : alternative->discriminator()->values) known += (known.empty() ? "" : ", ") + value;
  }
  throw WrongModel("the item's discriminator " + *attribute + " = " + json::encode(*stored) +
                   " names none of the models read (" + known + ")");
}

void check_polymorphic_table(std::span<const SchemaCore* const> models) {
  const SchemaCore& first = *models.front();
  std::vector<std::string> seen;
  for (const SchemaCore* model : models) {
    if (model->table_name != first.table_name)
      throw ModelUsageError("the models of a polymorphic table must share it: " + owner(first) + " and " +
                            owner(*model) + " differ");
    if (model->key_names() != first.key_names())
      throw ModelUsageError("the models of polymorphic table " + first.table_name + " must have the same key attributes");
    const auto& discriminator = model->discriminator();
    if (!discriminator) throw ModelUsageError("a model of polymorphic table " + first.table_name + " declares no discriminator");
    if (discriminator->attribute != first.discriminator()->attribute)
      throw ModelUsageError("the models of polymorphic table " + first.table_name +
                            " must use one discriminator attribute, not \"" + first.discriminator()->attribute +
                            "\" and \"" + discriminator->attribute + "\"");
    for (const std::string& value : discriminator->values) {
      if (std::find(seen.begin(), seen.end(), value) != seen.end())
        throw ModelUsageError("discriminator value \"" + value + "\" is used by two models of polymorphic table " +
                              first.table_name);
      seen.push_back(value);
    }
  }
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
      if (!field_named(entry.first) && !(discriminator_ && discriminator_->attribute == entry.first))
        entries.push_back(std::move(entry));
  }
  if (discriminator_) entries.emplace_back(discriminator_->attribute, AttributeValue(discriminator_->values.front()));
  if (auto duplicate = out.assign_entries(std::move(entries)))
    throw Error::validation("attribute \"" + *duplicate + "\" is written twice by " + owner(*this));
}

void SchemaCore::deserialize(const Item& item, void* object) const {
  if (discriminator_) {
    const AttributeValue* stored = item.find(discriminator_->attribute);
    if (!accepts_discriminator(stored))
      throw WrongModel("the item has " + discriminator_->attribute + " = " + json::encode(*stored) +
                       ", which is not the model read (" + owner(*this) + ", " + discriminator_->attribute + " = \"" +
                       discriminator_->values.front() + "\")");
  }
  // Both the item and by_name_ are sorted by name: one merge pass.
  auto field = by_name_.begin();
  Entries unknown;
  auto absent = [&](const FieldCore& f) {
    if (f.default_value) f.default_value(f.address(object, f));
  };
  for (const auto& [name, value] : item) {
    // Most items hold the declared attributes: try the next field's name for equality (a
    // length check, then the bytes) before ordering names.
    const bool next_matches = field != by_name_.end() && fields_[*field].name == name;
    if (!next_matches) {
      while (field != by_name_.end() && fields_[*field].name < name) absent(fields_[*field++]);
    }
    if (next_matches || (field != by_name_.end() && fields_[*field].name == name)) {
      const FieldCore& f = fields_[*field++];
      try {
        f.read(object, f, value);
      } catch (const WrongModel& e) {
        throw WrongModel("attribute \"" + f.name + "\": " + e.what());
      } catch (const Error& e) {
        throw Error(e.code(), "attribute \"" + f.name + "\": " + e.what(), e.http_status());
      }
    } else if (read_unknown_ && !(discriminator_ && discriminator_->attribute == name)) {
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
    if (!f.is_unset || !f.is_unset(object)) continue;
    if (f.default_for_new) f.default_for_new(f.address(object, f));
    else if (f.default_value) f.default_value(f.address(object, f));
  }
}

void SchemaCore::apply_defaults(void* object) const {
  for (const FieldCore& f : fields_) {
    if (f.default_value && f.is_unset(object)) f.default_value(f.address(object, f));
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
