// CreateTable, DescribeTable, DeleteTable, ListTables, UpdateTable, UpdateTimeToLive and
// DescribeTimeToLive. Tables (and indexes) are ACTIVE as soon as the call returns: there is
// no provisioning to wait for, and a new GSI is backfilled inside UpdateTable.
#include <algorithm>
#include <random>
#include <set>

#include "dynamo/api/codec.hpp"
#include "engine/state.hpp"

namespace dynamo::engine::detail {

namespace {

// ResourceInUseException for a table whose DeleteTable is still under way (DynamoDB's words).
[[noreturn]] void throw_table_being_deleted(std::string_view name) {
  throw Error(std::string(dynamo::error_code::resource_in_use),
              "Attempt to change a resource which is still in use: Table is being deleted: " + std::string(name));
}

Type type_of(api::ScalarAttributeType t) noexcept {
  switch (t) {
    case api::ScalarAttributeType::n:
      return Type::number;
    case api::ScalarAttributeType::b:
      return Type::binary;
    case api::ScalarAttributeType::s:
      break;
  }
  return Type::string;
}

std::string new_table_id() {
  static std::mutex mutex;
  static std::mt19937_64 random{std::random_device{}()};
  std::lock_guard lock(mutex);
  const std::uint64_t a = random();
  const std::uint64_t b = random();
  char text[40];
  std::snprintf(text, sizeof text, "%08x-%04x-%04x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xffff),
                static_cast<unsigned>(b >> 48), static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return text;
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

std::string table_arn(const EngineOptions& options, std::string_view name) {
  return "arn:aws:dynamodb:" + options.region + ":" + options.account_id + ":table/" + std::string(name);
}

KeySchema key_schema_of(const std::vector<api::KeySchemaElement>& elements,
                        const std::vector<api::AttributeDefinition>& definitions) {
  const auto type_for = [&](const std::string& name) {
    for (const auto& d : definitions) {
      if (d.attribute_name == name) return type_of(d.attribute_type);
    }
    return Type::string;
  };
  KeySchema schema;
  for (const auto& element : elements) {
    KeyAttribute attribute{element.attribute_name, type_for(element.attribute_name)};
    if (element.key_type == api::KeyType::hash) {
      schema.partition = std::move(attribute);
    } else {
      schema.sort = std::move(attribute);
    }
  }
  return schema;
}

std::unique_ptr<Index> index_of(std::string name, bool global, const std::vector<api::KeySchemaElement>& key,
                                const api::Projection& projection,
                                const std::vector<api::AttributeDefinition>& definitions) {
  auto index = std::make_unique<Index>();
  index->name = std::move(name);
  index->global = global;
  index->key = key_schema_of(key, definitions);
  index->projection = projection.projection_type.value_or(api::ProjectionType::all);
  if (projection.non_key_attributes) {
    index->included = *projection.non_key_attributes;
    std::sort(index->included.begin(), index->included.end());
  }
  return index;
}

// Checks one key schema (table or index) the way the service does.
// The service's (Java) rendering of a key schema in constraint messages:
// [KeySchemaElement(attributeName=pk, keyType=HASH), ...].
std::string describe_key_schema(const std::vector<api::KeySchemaElement>& key_schema) {
  std::string out = "[";
  for (const auto& element : key_schema) {
    if (out.size() > 1) out += ", ";
    out += "KeySchemaElement(attributeName=" + element.attribute_name +
           ", keyType=" + std::string(api::to_string(element.key_type)) + ")";
  }
  return out + "]";
}

void check_key_schema(const std::vector<api::KeySchemaElement>& key_schema,
                      const std::vector<std::string>& defined, ConstraintErrors& constraints, std::string_view member) {
  if (key_schema.empty() || key_schema.size() > 2) {
    constraints.add(describe_key_schema(key_schema), member,
                    key_schema.empty() ? "Member must have length greater than or equal to 1"
                                       : "Member must have length less than or equal to 2");
    constraints.throw_if_any();
  }
  std::vector<std::string> keys;
  for (const auto& k : key_schema) keys.push_back(k.attribute_name);
  const bool all_defined = std::all_of(keys.begin(), keys.end(), [&](const std::string& k) {
    return std::find(defined.begin(), defined.end(), k) != defined.end();
  });
  if (!all_defined) {
    throw_validation("One or more parameter values were invalid: Some index key attributes are not defined in "
                     "AttributeDefinitions. Keys: [" + join(keys) + "], AttributeDefinitions: [" + join(defined) + "]");
  }
  if (keys.size() == 2 && keys[0] == keys[1]) {
    throw_validation("Both the Hash Key and the Range Key element in the KeySchema have the same name");
  }
  if (key_schema[0].key_type != api::KeyType::hash) {
    throw_validation("Invalid KeySchema: The first KeySchemaElement is not a HASH key type");
  }
  if (key_schema.size() == 2 && key_schema[1].key_type != api::KeyType::range) {
    throw_validation("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type");
  }
}

void check_projection(const api::Projection& projection) {
  if (!projection.projection_type) throw_validation("One or more parameter values were invalid: Unknown ProjectionType: null");
  if (projection.non_key_attributes && *projection.projection_type != api::ProjectionType::include) {
    throw_validation("One or more parameter values were invalid: ProjectionType is " +
                     std::string(api::to_string(*projection.projection_type)) + ", but NonKeyAttributes is specified");
  }
  if (*projection.projection_type == api::ProjectionType::include &&
      (!projection.non_key_attributes || projection.non_key_attributes->empty())) {
    throw_validation("One or more parameter values were invalid: ProjectionType is INCLUDE, but NonKeyAttributes is not specified");
  }
}

void check_throughput(const api::ProvisionedThroughput& throughput, std::string_view member, ConstraintErrors& errors) {
  if (throughput.read_capacity_units < 1) {
    errors.add(std::to_string(throughput.read_capacity_units), std::string(member) + ".readCapacityUnits",
               "Member must have value greater than or equal to 1");
  }
  if (throughput.write_capacity_units < 1) {
    errors.add(std::to_string(throughput.write_capacity_units), std::string(member) + ".writeCapacityUnits",
               "Member must have value greater than or equal to 1");
  }
}

api::ProvisionedThroughputDescription throughput_description(const std::optional<api::ProvisionedThroughput>& t) {
  api::ProvisionedThroughputDescription d;
  d.number_of_decreases_today = 0;
  d.read_capacity_units = t ? t->read_capacity_units : 0;
  d.write_capacity_units = t ? t->write_capacity_units : 0;
  return d;
}

std::vector<std::string> key_names(const std::vector<api::KeySchemaElement>& key) {
  std::vector<std::string> names;
  for (const auto& k : key) names.push_back(k.attribute_name);
  return names;
}

}  // namespace

double epoch_seconds(std::chrono::system_clock::time_point t) noexcept {
  return static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count()) /
         1000.0;
}

std::shared_ptr<Table> build_table(api::TableDescription meta) {
  auto table = std::make_shared<Table>();
  table->name = meta.table_name.value_or("");
  const auto& definitions = meta.attribute_definitions.value_or(std::vector<api::AttributeDefinition>{});
  table->key = key_schema_of(meta.key_schema.value_or(std::vector<api::KeySchemaElement>{}), definitions);
  table->key_names.push_back(table->key.partition.name);
  if (table->key.sort) table->key_names.push_back(table->key.sort->name);
  if (meta.local_secondary_indexes) {
    for (const auto& lsi : *meta.local_secondary_indexes) {
      table->indexes.push_back(index_of(lsi.index_name.value_or(""), false, lsi.key_schema.value_or(std::vector<api::KeySchemaElement>{}),
                                        lsi.projection.value_or(api::Projection{}), definitions));
    }
  }
  if (meta.global_secondary_indexes) {
    for (const auto& gsi : *meta.global_secondary_indexes) {
      table->indexes.push_back(index_of(gsi.index_name.value_or(""), true, gsi.key_schema.value_or(std::vector<api::KeySchemaElement>{}),
                                        gsi.projection.value_or(api::Projection{}), definitions));
    }
  }
  table->meta = std::move(meta);
  return table;
}

void check_stored_key_schemas(const api::TableDescription& meta) {
  std::vector<std::string> defined;
  for (const auto& d : meta.attribute_definitions.value_or(std::vector<api::AttributeDefinition>{})) {
    defined.push_back(d.attribute_name);
  }
  const auto check = [&](const std::optional<std::vector<api::KeySchemaElement>>& key_schema, std::string_view member) {
    ConstraintErrors constraints;
    check_key_schema(key_schema.value_or(std::vector<api::KeySchemaElement>{}), defined, constraints, member);
  };
  try {
    check(meta.key_schema, "keySchema");
    for (const auto& lsi : meta.local_secondary_indexes.value_or(std::vector<api::LocalSecondaryIndexDescription>{})) {
      check(lsi.key_schema, "localSecondaryIndexes.member.keySchema");
    }
    for (const auto& gsi : meta.global_secondary_indexes.value_or(std::vector<api::GlobalSecondaryIndexDescription>{})) {
      check(gsi.key_schema, "globalSecondaryIndexes.member.keySchema");
    }
  } catch (const Error& e) {
    throw Error(std::string(dynamo::error_code::internal_server_error),
                "DurableStore holds a malformed description of table " + meta.table_name.value_or("") + ": " +
                    std::string(e.message()),
                500);
  }
}

api::TableDescription describe(const Table& table) {
  api::TableDescription d = table.meta;
  d.item_count = static_cast<std::int64_t>(table.item_count);
  d.table_size_bytes = static_cast<std::int64_t>(table.size_bytes);
  const auto fill = [&](auto& descriptions) {
    if (!descriptions) return;
    for (auto& description : *descriptions) {
      if (const Index* index = table.find_index(description.index_name.value_or(""))) {
        description.item_count = static_cast<std::int64_t>(index->item_count);
        description.index_size_bytes = static_cast<std::int64_t>(index->size_bytes);
      }
    }
  };
  fill(d.local_secondary_indexes);
  fill(d.global_secondary_indexes);
  return d;
}

}  // namespace dynamo::engine::detail

namespace dynamo::engine {

using namespace detail;

namespace {

// The table name an ARN of this engine's region and account names
// (arn:aws:dynamodb:<region>:<account>:table/<name>), or nullopt for any other ARN.
std::optional<std::string_view> table_name_in_arn(const EngineOptions& options, std::string_view arn) {
  const std::string prefix = "arn:aws:dynamodb:" + options.region + ":" + options.account_id + ":table/";
  if (!arn.starts_with(prefix)) return std::nullopt;
  const std::string_view name = arn.substr(prefix.size());
  if (name.empty() || name.find('/') != std::string_view::npos) return std::nullopt;
  return name;
}

}  // namespace

std::string_view Engine::State::table_name_of(std::string_view name_or_arn, std::string_view message) const {
  if (!name_or_arn.starts_with("arn:")) return name_or_arn;
  const auto named = table_name_in_arn(options, name_or_arn);
  if (!named) throw_not_found(std::string(message));
  return *named;
}

std::shared_ptr<Table> Engine::State::table(std::string_view name, std::string_view message) const {
  // Operations take a table's ARN in TableName as well as its name.
  name = table_name_of(name, message);
  std::shared_lock lock(catalog_mutex);
  auto it = tables.find(name);
  if (it == tables.end()) throw_not_found(std::string(message));
  return it->second;
}

std::vector<std::shared_ptr<Table>> Engine::State::all_tables() const {
  std::shared_lock lock(catalog_mutex);
  std::vector<std::shared_ptr<Table>> out;
  out.reserve(tables.size());
  for (const auto& [name, table] : tables) out.push_back(table);
  return out;
}

void Engine::State::persist_table(const Table& table) const {
  if (!options.store) return;
  api::DescribeTableResponse response;
  response.table = table.meta;
  // The stored description carries the table's tags as a "Tags" member beside "Table": the
  // loader decodes the same text as both messages (each ignores the other's member), so
  // data directories written before tags existed load unchanged.
  std::string description = api::encode(response);
  if (!table.tags.empty()) {
    api::ListTagsOfResourceResponse tags;
    tags.tags.emplace();
    for (const auto& [key, value] : table.tags) tags.tags->push_back({.key = key, .value = value});
    const std::string tags_json = api::encode(tags);  // {"Tags":[...]}
    description.pop_back();                           // the closing brace of {"Table":{...}}
    description.append(",").append(std::string_view(tags_json).substr(1));
  }
  options.store->put_table(StoredTable{.name = table.name,
                                       .description_json = std::move(description),
                                       .ttl_attribute = table.ttl_attribute.value_or("")});
}

api::CreateTableResponse Engine::create_table(const api::CreateTableRequest& request) {
  // A request without TableName is refused before any constraint is checked (the service's
  // wording; an empty name is taken as absent, as the api struct cannot tell them apart).
  if (request.table_name.empty()) throw_validation("The parameter 'TableName' is required but was not present in the request");
  ConstraintErrors constraints;
  check_table_name(request.table_name, constraints);
  if (request.provisioned_throughput) check_throughput(*request.provisioned_throughput, "provisionedThroughput", constraints);
  for (const auto& lsi : request.local_secondary_indexes.value_or(std::vector<api::LocalSecondaryIndex>{})) {
    check_table_name(lsi.index_name, constraints, "localSecondaryIndexes.member.indexName");
  }
  for (const auto& gsi : request.global_secondary_indexes.value_or(std::vector<api::GlobalSecondaryIndex>{})) {
    check_table_name(gsi.index_name, constraints, "globalSecondaryIndexes.member.indexName");
    if (gsi.provisioned_throughput) {
      check_throughput(*gsi.provisioned_throughput, "globalSecondaryIndexes.member.provisionedThroughput", constraints);
    }
  }
  if (request.key_schema.empty() || request.key_schema.size() > 2) {
    constraints.add(describe_key_schema(request.key_schema), "keySchema",
                    request.key_schema.empty() ? "Member must have length greater than or equal to 1"
                                               : "Member must have length less than or equal to 2");
  }
  constraints.throw_if_any();

  // Billing mode rules (CreateTable API reference: BillingMode).
  const auto billing = request.billing_mode.value_or(api::BillingMode::provisioned);
  if (billing == api::BillingMode::provisioned && !request.provisioned_throughput) {
    throw_validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                     "specified when BillingMode is PROVISIONED");
  }
  if (billing == api::BillingMode::pay_per_request && request.provisioned_throughput) {
    throw_validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                     "specified when BillingMode is PAY_PER_REQUEST");
  }

  std::vector<std::string> defined;
  for (const auto& d : request.attribute_definitions) {
    if (std::find(defined.begin(), defined.end(), d.attribute_name) != defined.end()) {
      throw_validation("Cannot have two attributes with the same name");
    }
    defined.push_back(d.attribute_name);
  }
  // More table key elements than definitions (the same attribute as HASH and RANGE, with
  // one definition) is refused before the definitions are matched by name, when the table
  // has no index (with indexes the definitions are listed; moto's rule, run against AWS).
  const bool has_indexes = request.local_secondary_indexes || request.global_secondary_indexes;
  if (!has_indexes && request.key_schema.size() > defined.size()) {
    throw_validation("Invalid KeySchema: Some index key attribute have no definition");
  }
  check_key_schema(request.key_schema, defined, constraints, "keySchema");
  std::set<std::string> used;
  {
    const auto names = key_names(request.key_schema);
    used = std::set<std::string>(names.begin(), names.end());
  }
  std::set<std::string> index_names;

  if (request.local_secondary_indexes) {
    const auto& lsis = *request.local_secondary_indexes;
    if (lsis.empty()) throw_validation("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty");
    if (request.key_schema.size() != 2) {
      throw_validation("One or more parameter values were invalid: Table KeySchema does not have a range key, which is "
                       "required when specifying a LocalSecondaryIndex");
    }
    for (const auto& lsi : lsis) {
      check_key_schema(lsi.key_schema, defined, constraints, "localSecondaryIndexes.member.keySchema");
      if (lsi.key_schema.size() != 2) {
        throw_validation("One or more parameter values were invalid: Index KeySchema does not have a range key for index: " +
                         lsi.index_name);
      }
      if (lsi.key_schema[0].attribute_name != request.key_schema[0].attribute_name) {
        throw_validation("One or more parameter values were invalid: Index KeySchema does not have the same leading hash "
                         "key as table KeySchema for index: " + lsi.index_name + ". index hash key: " +
                         lsi.key_schema[0].attribute_name + ", table hash key: " + request.key_schema[0].attribute_name);
      }
      check_projection(lsi.projection);
      if (!index_names.insert(lsi.index_name).second) {
        throw_validation("One or more parameter values were invalid: Duplicate index name: " + lsi.index_name);
      }
      for (const auto& name : key_names(lsi.key_schema)) used.insert(name);
    }
    if (lsis.size() > 5) {
      throw_validation("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5");
    }
  }
  if (request.global_secondary_indexes) {
    const auto& gsis = *request.global_secondary_indexes;
    if (gsis.empty()) throw_validation("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty");
    for (const auto& gsi : gsis) {
      check_key_schema(gsi.key_schema, defined, constraints, "globalSecondaryIndexes.member.keySchema");
      check_projection(gsi.projection);
      if (!index_names.insert(gsi.index_name).second) {
        throw_validation("One or more parameter values were invalid: Duplicate index name: " + gsi.index_name);
      }
      if (billing == api::BillingMode::provisioned && !gsi.provisioned_throughput) {
        throw_validation("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " +
                         gsi.index_name);
      }
      if (billing == api::BillingMode::pay_per_request && gsi.provisioned_throughput) {
        throw_validation("One or more parameter values were invalid: ProvisionedThroughput should not be specified for "
                         "index: " + gsi.index_name + " when BillingMode is PAY_PER_REQUEST");
      }
      for (const auto& name : key_names(gsi.key_schema)) used.insert(name);
    }
    if (gsis.size() > 20) {
      throw_validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
    }
  }
  // Exactly the key attributes of the table and its indexes must be defined.
  if (used.size() != defined.size()) {
    if (!request.local_secondary_indexes && !request.global_secondary_indexes) {
      throw_validation("One or more parameter values were invalid: Number of attributes in KeySchema does not exactly "
                       "match number of attributes defined in AttributeDefinitions");
    }
    throw_validation("One or more parameter values were invalid: Some AttributeDefinitions are not used. "
                     "AttributeDefinitions: [" + join(defined) + "], keys used: [" +
                     join(std::vector<std::string>(used.begin(), used.end())) + "]");
  }

  const auto now = state_->now();
  const std::string arn = table_arn(state_->options, request.table_name);
  api::TableDescription meta;
  meta.attribute_definitions = request.attribute_definitions;
  meta.table_name = request.table_name;
  meta.key_schema = request.key_schema;
  meta.table_status = api::TableStatus::active;
  meta.creation_date_time = epoch_seconds(now);
  meta.provisioned_throughput = throughput_description(request.provisioned_throughput);
  meta.table_arn = arn;
  meta.table_id = new_table_id();
  if (billing == api::BillingMode::pay_per_request) {
    meta.billing_mode_summary = api::BillingModeSummary{.billing_mode = billing,
                                                        .last_update_to_pay_per_request_date_time = epoch_seconds(now)};
  }
  if (request.local_secondary_indexes) {
    std::vector<api::LocalSecondaryIndexDescription> lsis;
    for (const auto& lsi : *request.local_secondary_indexes) {
      lsis.push_back({.index_name = lsi.index_name, .key_schema = lsi.key_schema, .projection = lsi.projection,
                      .index_size_bytes = 0, .item_count = 0, .index_arn = arn + "/index/" + lsi.index_name});
    }
    meta.local_secondary_indexes = std::move(lsis);
  }
  if (request.global_secondary_indexes) {
    std::vector<api::GlobalSecondaryIndexDescription> gsis;
    for (const auto& gsi : *request.global_secondary_indexes) {
      api::GlobalSecondaryIndexDescription g;
      g.index_name = gsi.index_name;
      g.key_schema = gsi.key_schema;
      g.projection = gsi.projection;
      g.index_status = api::IndexStatus::active;
      g.provisioned_throughput = throughput_description(gsi.provisioned_throughput);
      g.index_size_bytes = 0;
      g.item_count = 0;
      g.index_arn = arn + "/index/" + gsi.index_name;
      gsis.push_back(std::move(g));
    }
    meta.global_secondary_indexes = std::move(gsis);
  }
  if (request.stream_specification) check_stream_specification(request.stream_specification, nullptr);
  if (request.sse_specification && request.sse_specification->enabled.value_or(false)) {
    meta.sse_description = api::SSEDescription{.status = api::SSEStatus::enabled,
                                               .sse_type = request.sse_specification->sse_type.value_or(api::SSEType::kms),
                                               .kms_master_key_arn = std::nullopt,
                                               .inaccessible_encryption_date_time = std::nullopt};
  }
  if (request.table_class) meta.table_class_summary = api::TableClassSummary{.table_class = request.table_class};
  meta.deletion_protection_enabled = request.deletion_protection_enabled.value_or(false);
  if (request.on_demand_throughput) meta.on_demand_throughput = request.on_demand_throughput;

  auto table = build_table(std::move(meta));
  for (const api::Tag& tag : request.tags.value_or(std::vector<api::Tag>{})) table->tags[tag.key] = tag.value;
  std::unique_lock lock(state_->catalog_mutex);
  if (auto existing = state_->tables.find(request.table_name); existing != state_->tables.end()) {
    if (existing->second->deleting.load()) throw_table_being_deleted(request.table_name);
    throw Error(std::string(dynamo::error_code::resource_in_use), "Table already exists: " + request.table_name);
  }
  if (request.stream_specification && request.stream_specification->stream_enabled) {
    apply_stream_specification(*state_, *table, table->meta, *request.stream_specification);
  }
  state_->persist_table(*table);
  state_->tables.emplace(request.table_name, table);
  return api::CreateTableResponse{.table_description = describe(*table)};
}

api::DescribeTableResponse Engine::describe_table(const api::DescribeTableRequest& request) {
  check_table_name_or_arn(request.table_name);
  auto table = state_->table(request.table_name, table_not_found_named(request.table_name));
  std::shared_lock lock(table->mutex);
  if (table->deleted) throw_not_found(table_not_found_named(request.table_name));
  return api::DescribeTableResponse{.table = describe(*table)};
}

api::DeleteTableResponse Engine::delete_table(const api::DeleteTableRequest& request) {
  check_table_name_or_arn(request.table_name);
  const std::string_view name = state_->table_name_of(request.table_name, table_not_found_named(request.table_name));
  // The catalog lock is held only to find the table and, at the end, to drop its name:
  // deleting the stored data and freeing the rows of a large table take long, and every
  // other table's requests go through the catalog. Meanwhile the name stays taken (the
  // table is DELETING: CreateTable of the same name is refused as on DynamoDB) and the
  // table's own lock keeps its requests waiting; they find it deleted afterwards.
  std::shared_ptr<Table> table;
  std::unique_lock<std::shared_mutex> lock;
  {
    std::unique_lock catalog(state_->catalog_mutex);
    auto it = state_->tables.find(name);
    if (it == state_->tables.end()) throw_not_found(table_not_found_named(request.table_name));
    table = it->second;
    if (table->deleting.load()) throw_table_being_deleted(table->name);
    lock = std::unique_lock(table->mutex);
    if (table->meta.deletion_protection_enabled.value_or(false)) {
      throw_validation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion "
                       "protection first.");
    }
    table->deleting = true;
  }
  try {
    if (state_->options.store) state_->options.store->delete_table(table->name);
  } catch (...) {
    table->deleting = false;  // nothing changed: the table stays as it was
    throw;
  }
  close_table_stream(*state_, *table);
  api::TableDescription description = describe(*table);
  description.table_status = api::TableStatus::deleting;
  table->deleted = true;
  // The rows are freed below, once no lock is held, rather than when the last in-flight
  // operation lets go of the table.
  auto indexes = std::move(table->indexes);
  table->indexes.clear();
  PartitionMap<TableRows> rows;
  rows.swap(table->rows);
  lock.unlock();
  {
    std::unique_lock catalog(state_->catalog_mutex);
    if (auto it = state_->tables.find(table->name); it != state_->tables.end() && it->second == table) {
      state_->tables.erase(it);
    }
  }
  indexes.clear();
  rows.clear();
  return api::DeleteTableResponse{.table_description = std::move(description)};
}

api::ListTablesResponse Engine::list_tables(const api::ListTablesRequest& request) {
  ConstraintErrors constraints;
  if (request.limit && *request.limit > 100) {
    constraints.add(std::to_string(*request.limit), "limit", "Member must have value less than or equal to 100");
  }
  check_limit(request.limit, constraints);
  if (request.exclusive_start_table_name) {
    check_table_name(*request.exclusive_start_table_name, constraints, "exclusiveStartTableName");
  }
  constraints.throw_if_any();
  const auto limit = static_cast<std::size_t>(request.limit.value_or(100));
  api::ListTablesResponse response;
  std::vector<std::string> names;
  std::shared_lock lock(state_->catalog_mutex);
  auto it = request.exclusive_start_table_name ? state_->tables.upper_bound(*request.exclusive_start_table_name)
                                               : state_->tables.begin();
  for (; it != state_->tables.end() && names.size() < limit; ++it) names.push_back(it->first);
  // LastEvaluatedTableName only when more names follow (ListTables API reference).
  if (it != state_->tables.end() && !names.empty()) response.last_evaluated_table_name = names.back();
  response.table_names = std::move(names);
  return response;
}

api::UpdateTableResponse Engine::update_table(const api::UpdateTableRequest& request) {
  check_table_name_or_arn(request.table_name);
  ConstraintErrors constraints;
  if (request.provisioned_throughput) check_throughput(*request.provisioned_throughput, "provisionedThroughput", constraints);
  constraints.throw_if_any();
  reject_legacy(request.replica_updates.has_value(), "ReplicaUpdates", "separate tables (global tables are not modelled)");
  const bool has_gsi_updates = request.global_secondary_index_updates && !request.global_secondary_index_updates->empty();
  if (!request.provisioned_throughput && !request.billing_mode && !has_gsi_updates && !request.stream_specification &&
      !request.sse_specification && !request.table_class && !request.deletion_protection_enabled &&
      !request.on_demand_throughput && !request.warm_throughput) {
    throw_validation("At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, "
                     "GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required");
  }
  auto table = state_->table(request.table_name, table_not_found_named(request.table_name));
  std::unique_lock lock(table->mutex);
  if (table->deleted) throw_not_found(table_not_found_named(request.table_name));

  // Work on a copy of the metadata; install it (and the index changes) only when valid.
  api::TableDescription meta = table->meta;
  const auto now = state_->now();
  const auto current_billing = meta.billing_mode_summary && meta.billing_mode_summary->billing_mode
                                   ? *meta.billing_mode_summary->billing_mode
                                   : api::BillingMode::provisioned;
  const auto billing = request.billing_mode.value_or(current_billing);
  if (billing == api::BillingMode::pay_per_request && request.provisioned_throughput) {
    throw_validation("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be "
                     "specified when BillingMode is PAY_PER_REQUEST");
  }
  if (billing == api::BillingMode::provisioned && current_billing == api::BillingMode::pay_per_request &&
      !request.provisioned_throughput) {
    throw_validation("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
                     "specified when BillingMode is PROVISIONED");
  }
  if (request.provisioned_throughput && current_billing == api::BillingMode::provisioned && !has_gsi_updates) {
    const auto& current = meta.provisioned_throughput.value_or(api::ProvisionedThroughputDescription{});
    if (current.read_capacity_units == request.provisioned_throughput->read_capacity_units &&
        current.write_capacity_units == request.provisioned_throughput->write_capacity_units) {
      const auto r = std::to_string(request.provisioned_throughput->read_capacity_units);
      const auto w = std::to_string(request.provisioned_throughput->write_capacity_units);
      throw_validation("The provisioned throughput for the table will not change. The requested value equals the current "
                       "value. Current ReadCapacityUnits provisioned for the table: " + r +
                       ". Requested ReadCapacityUnits: " + r + ". Current WriteCapacityUnits provisioned for the table: " +
                       w + ". Requested WriteCapacityUnits: " + w +
                       ". Refer to the Amazon DynamoDB Developer Guide for current limits and how to request higher limits.");
    }
  }
  if (billing == api::BillingMode::pay_per_request) {
    meta.provisioned_throughput = throughput_description(std::nullopt);
    if (current_billing != billing) {
      meta.billing_mode_summary = api::BillingModeSummary{.billing_mode = billing,
                                                          .last_update_to_pay_per_request_date_time = epoch_seconds(now)};
    }
  } else {
    if (request.provisioned_throughput) {
      auto description = throughput_description(request.provisioned_throughput);
      description.last_increase_date_time = epoch_seconds(now);
      meta.provisioned_throughput = description;
    }
    if (current_billing != billing) meta.billing_mode_summary = api::BillingModeSummary{.billing_mode = billing};
  }
  check_stream_specification(request.stream_specification, table.get());
  if (request.deletion_protection_enabled) meta.deletion_protection_enabled = request.deletion_protection_enabled;
  if (request.table_class) meta.table_class_summary = api::TableClassSummary{.table_class = request.table_class, .last_update_date_time = epoch_seconds(now)};
  if (request.on_demand_throughput) meta.on_demand_throughput = request.on_demand_throughput;
  if (request.sse_specification) {
    if (request.sse_specification->enabled.value_or(false)) {
      meta.sse_description = api::SSEDescription{.status = api::SSEStatus::enabled,
                                                 .sse_type = request.sse_specification->sse_type.value_or(api::SSEType::kms),
                                                 .kms_master_key_arn = std::nullopt,
                                                 .inaccessible_encryption_date_time = std::nullopt};
    } else {
      meta.sse_description.reset();
    }
  }

  std::unique_ptr<Index> created;
  std::string deleted_index;
  if (has_gsi_updates) {
    const auto& updates = *request.global_secondary_index_updates;
    std::size_t creates_or_deletes = 0;
    for (const auto& update : updates) {
      const int set = int(update.create.has_value()) + int(update.update.has_value()) + int(update.delete_.has_value());
      if (set != 1) {
        throw_validation("One or more parameter values were invalid: One of GlobalSecondaryIndexUpdate.Create, "
                         "GlobalSecondaryIndexUpdate.Update or GlobalSecondaryIndexUpdate.Delete must be specified");
      }
      if (update.create || update.delete_) ++creates_or_deletes;
    }
    // The Developer Guide: one index can be created or deleted per UpdateTable call.
    if (creates_or_deletes > 1) {
      throw Error(std::string(error_code::limit_exceeded),
                  "Subscriber limit exceeded: Only 1 online index can be created or deleted simultaneously per table");
    }
    auto definitions = meta.attribute_definitions.value_or(std::vector<api::AttributeDefinition>{});
    for (const auto& update : updates) {
      if (update.create) {
        const auto& create = *update.create;
        check_table_name(create.index_name, constraints, "globalSecondaryIndexUpdates.member.create.indexName");
        constraints.throw_if_any();
        if (table->find_index(create.index_name) != nullptr) {
          throw_validation("One or more parameter values were invalid: Index with name: " + create.index_name +
                           " already exists");
        }
        // New key attributes come from the request's AttributeDefinitions.
        for (const auto& d : request.attribute_definitions.value_or(std::vector<api::AttributeDefinition>{})) {
          auto same = std::find_if(definitions.begin(), definitions.end(),
                                   [&](const api::AttributeDefinition& e) { return e.attribute_name == d.attribute_name; });
          if (same == definitions.end()) {
            definitions.push_back(d);
          } else if (same->attribute_type != d.attribute_type) {
            throw_validation("One or more parameter values were invalid: Attribute " + d.attribute_name +
                             " is already defined with a different type");
          }
        }
        std::vector<std::string> defined;
        for (const auto& d : definitions) defined.push_back(d.attribute_name);
        check_key_schema(create.key_schema, defined, constraints, "globalSecondaryIndexUpdates.member.create.keySchema");
        check_projection(create.projection);
        if (billing == api::BillingMode::provisioned && !create.provisioned_throughput) {
          throw_validation("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: " +
                           create.index_name);
        }
        std::size_t gsi_count = 0;
        for (const auto& index : table->indexes) gsi_count += index->global ? 1U : 0U;
        if (gsi_count + 1 > 20) {
          throw_validation("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20");
        }
        created = index_of(create.index_name, true, create.key_schema, create.projection, definitions);
        api::GlobalSecondaryIndexDescription g;
        g.index_name = create.index_name;
        g.key_schema = create.key_schema;
        g.projection = create.projection;
        g.index_status = api::IndexStatus::active;
        g.backfilling = false;
        g.provisioned_throughput = throughput_description(create.provisioned_throughput);
        g.index_arn = *meta.table_arn + "/index/" + create.index_name;
        if (!meta.global_secondary_indexes) meta.global_secondary_indexes.emplace();
        meta.global_secondary_indexes->push_back(std::move(g));
      } else if (update.delete_) {
        const Index* index = table->find_index(update.delete_->index_name);
        if (index == nullptr || !index->global) {
          throw_not_found("Requested resource not found: Index: " + update.delete_->index_name + " not found");
        }
        deleted_index = index->name;
        auto& gsis = *meta.global_secondary_indexes;
        gsis.erase(std::remove_if(gsis.begin(), gsis.end(),
                                  [&](const auto& g) { return g.index_name == deleted_index; }),
                   gsis.end());
        if (gsis.empty()) meta.global_secondary_indexes.reset();
      } else {
        const auto& change = *update.update;
        const Index* index = table->find_index(change.index_name);
        if (index == nullptr || !index->global) {
          throw_not_found("Requested resource not found: Index: " + change.index_name + " not found");
        }
        for (auto& g : *meta.global_secondary_indexes) {
          if (g.index_name == change.index_name) {
            if (change.provisioned_throughput) g.provisioned_throughput = throughput_description(change.provisioned_throughput);
            if (change.on_demand_throughput) g.on_demand_throughput = change.on_demand_throughput;
          }
        }
      }
    }
    // AttributeDefinitions hold exactly the attributes some key uses.
    std::set<std::string> used;
    for (const auto& k : meta.key_schema.value_or(std::vector<api::KeySchemaElement>{})) used.insert(k.attribute_name);
    for (const auto& l : meta.local_secondary_indexes.value_or(std::vector<api::LocalSecondaryIndexDescription>{})) {
      for (const auto& k : l.key_schema.value_or(std::vector<api::KeySchemaElement>{})) used.insert(k.attribute_name);
    }
    for (const auto& g : meta.global_secondary_indexes.value_or(std::vector<api::GlobalSecondaryIndexDescription>{})) {
      for (const auto& k : g.key_schema.value_or(std::vector<api::KeySchemaElement>{})) used.insert(k.attribute_name);
    }
    definitions.erase(std::remove_if(definitions.begin(), definitions.end(),
                                     [&](const auto& d) { return used.count(d.attribute_name) == 0; }),
                      definitions.end());
    meta.attribute_definitions = std::move(definitions);
  }

  // The stream changes last, once nothing else can refuse the update.
  if (request.stream_specification) apply_stream_specification(*state_, *table, meta, *request.stream_specification);

  // Persist first (write-ahead), then install.
  std::swap(table->meta, meta);
  try {
    state_->persist_table(*table);
  } catch (...) {
    std::swap(table->meta, meta);
    throw;
  }
  if (!deleted_index.empty()) {
    table->indexes.erase(std::remove_if(table->indexes.begin(), table->indexes.end(),
                                        [&](const auto& index) { return index->name == deleted_index; }),
                         table->indexes.end());
  }
  if (created) {
    // Backfill from the existing items: immediate here, so the index is ACTIVE at once.
    Index& index = *created;
    table->indexes.push_back(std::move(created));
    for (const auto& partition : table->rows) {
      for (const auto& [sort, stored] : partition.rows) table->index_item(index, stored);
    }
  }
  return api::UpdateTableResponse{.table_description = describe(*table)};
}

api::UpdateTimeToLiveResponse Engine::update_time_to_live(const api::UpdateTimeToLiveRequest& request) {
  ConstraintErrors constraints;
  check_table_name_or_arn(request.table_name, constraints);
  const auto& spec = request.time_to_live_specification;
  if (spec.attribute_name.empty()) {
    constraints.add(spec.attribute_name, "timeToLiveSpecification.attributeName",
                    "Member must have length greater than or equal to 1");
  }
  if (spec.attribute_name.size() > 255) {
    constraints.add(spec.attribute_name, "timeToLiveSpecification.attributeName",
                    "Member must have length less than or equal to 255");
  }
  constraints.throw_if_any();
  auto table = state_->table(request.table_name, table_not_found_named(request.table_name));
  std::unique_lock lock(table->mutex);
  if (table->deleted) throw_not_found(table_not_found_named(request.table_name));
  std::optional<std::string> next;
  if (spec.enabled) {
    if (table->ttl_attribute) throw_validation("TimeToLive is already enabled");
    next = spec.attribute_name;
  } else {
    if (!table->ttl_attribute) throw_validation("TimeToLive is already disabled");
    if (*table->ttl_attribute != spec.attribute_name) {
      throw_validation("TimeToLive is active on a different AttributeName: current AttributeName is " + *table->ttl_attribute);
    }
  }
  std::swap(table->ttl_attribute, next);
  try {
    state_->persist_table(*table);
  } catch (...) {
    std::swap(table->ttl_attribute, next);
    throw;
  }
  return api::UpdateTimeToLiveResponse{.time_to_live_specification = spec};
}

api::DescribeTimeToLiveResponse Engine::describe_time_to_live(const api::DescribeTimeToLiveRequest& request) {
  check_table_name_or_arn(request.table_name);
  auto table = state_->table(request.table_name, table_not_found_named(request.table_name));
  std::shared_lock lock(table->mutex);
  if (table->deleted) throw_not_found(table_not_found_named(request.table_name));
  api::TimeToLiveDescription description;
  if (table->ttl_attribute) {
    description.time_to_live_status = api::TimeToLiveStatus::enabled;
    description.attribute_name = table->ttl_attribute;
  } else {
    description.time_to_live_status = api::TimeToLiveStatus::disabled;
  }
  return api::DescribeTimeToLiveResponse{.time_to_live_description = std::move(description)};
}

}  // namespace dynamo::engine
