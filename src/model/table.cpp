// TableCore: model operations as api requests (table management, items, query/scan/count).
#include <sstream>
#include <thread>

#include "dynamo/client/table_connection.hpp"
#include "dynamo/codec/json.hpp"
#include "dynamo/expr/render.hpp"
#include "dynamo/model/table.hpp"
#include "model/placeholders.hpp"

namespace dynamo::detail {
namespace {

// Sends `request` through `call`, asking for the consumed capacity when `out` wants it and
// storing it there. A call that fails (a failed condition, say) still consumed capacity the
// error does not report: `out` then holds an empty ConsumedCapacity, not a stale one.
template <class Request, class Call>
auto report_capacity(Request& request, api::ConsumedCapacity* out, const Call& call) {
  if (out == nullptr) return call();
  request.return_consumed_capacity = api::ReturnConsumedCapacity::indexes;
  *out = api::ConsumedCapacity{};
  auto response = call();
  if (response.consumed_capacity) *out = *response.consumed_capacity;
  return response;
}

std::optional<std::string> render_if(const expr::Condition& condition, expr::Placeholders& placeholders) {
  if (condition.empty()) return std::nullopt;
  return expr::render(condition, placeholders);
}

api::ScalarAttributeType scalar_type(StoredAs stored_as, const std::string& name) {
  switch (stored_as) {
    case StoredAs::string: return api::ScalarAttributeType::s;
    case StoredAs::number: return api::ScalarAttributeType::n;
    case StoredAs::binary: return api::ScalarAttributeType::b;
    default: break;
  }
  throw ModelUsageError("key attribute \"" + name + "\" must be stored as a string, a number or binary");
}

api::Projection to_api(const IndexProjection& projection) {
  api::Projection out{.projection_type = projection.type};
  if (projection.type == api::ProjectionType::include) out.non_key_attributes = projection.non_key_attributes;
  return out;
}

bool active(const api::TableDescription& table) {
  if (table.table_status != api::TableStatus::active) return false;
  if (table.global_secondary_indexes)
    for (const auto& gsi : *table.global_secondary_indexes)
      if (gsi.index_status && *gsi.index_status != api::IndexStatus::active) return false;
  return true;
}

}  // namespace

TableCore::TableCore(Connection connection, const SchemaCore& schema, bool only_this_model)
    : connection_(std::move(connection)), schema_(&schema), only_this_model_(only_this_model) {
  if (schema.table_name.empty()) throw ModelUsageError("a map schema has no table: declare it with dynamo::table<T>(name)");
}

void TableCore::create_table(const CreateTableOptions& options) const {
  const SchemaCore& s = *schema_;
  api::CreateTableRequest request{.table_name = s.table_name};
  auto define = [&request](const std::string& name, StoredAs type) {
    for (const auto& d : request.attribute_definitions)
      if (d.attribute_name == name) return;
    request.attribute_definitions.push_back({.attribute_name = name, .attribute_type = scalar_type(type, name)});
  };
  define(s.hash_field().name, s.hash_field().stored_as);
  request.key_schema.push_back({.attribute_name = s.hash_field().name, .key_type = api::KeyType::hash});
  if (const FieldCore* range = s.range_key()) {
    define(range->name, range->stored_as);
    request.key_schema.push_back({.attribute_name = range->name, .key_type = api::KeyType::range});
  }

  const auto read = options.read_capacity_units ? options.read_capacity_units : s.settings.read_capacity_units;
  const auto write = options.write_capacity_units ? options.write_capacity_units : s.settings.write_capacity_units;
  api::BillingMode billing = options.billing_mode   ? *options.billing_mode
                             : s.settings.billing_mode ? *s.settings.billing_mode
                             : (read || write)        ? api::BillingMode::provisioned
                                                      : api::BillingMode::pay_per_request;
  request.billing_mode = billing;
  const bool provisioned = billing == api::BillingMode::provisioned;
  if (provisioned)
    request.provisioned_throughput = api::ProvisionedThroughput{read.value_or(1), write.value_or(1)};

  for (const IndexCore& index : s.indexes()) {
    define(index.hash_name, index.hash_type);
    std::vector<api::KeySchemaElement> keys{{.attribute_name = index.hash_name, .key_type = api::KeyType::hash}};
    if (!index.range_name.empty()) {
      define(index.range_name, index.range_type);
      keys.push_back({.attribute_name = index.range_name, .key_type = api::KeyType::range});
    }
    if (index.global) {
      api::GlobalSecondaryIndex gsi{.index_name = index.name, .key_schema = std::move(keys), .projection = to_api(index.projection)};
      if (provisioned)
        gsi.provisioned_throughput = api::ProvisionedThroughput{index.read_capacity_units.value_or(read.value_or(1)),
                                                                index.write_capacity_units.value_or(write.value_or(1))};
      if (!request.global_secondary_indexes) request.global_secondary_indexes.emplace();
      request.global_secondary_indexes->push_back(std::move(gsi));
    } else {
      if (!request.local_secondary_indexes) request.local_secondary_indexes.emplace();
      request.local_secondary_indexes->push_back(
          {.index_name = index.name, .key_schema = std::move(keys), .projection = to_api(index.projection)});
    }
  }
  if (options.stream_view_type)
    request.stream_specification = api::StreamSpecification{.stream_enabled = true, .stream_view_type = options.stream_view_type};

  (void)connection_.create_table(request);

  // TTL can only be switched on once the table is ACTIVE.
  const bool ttl = s.ttl_field() != nullptr;
  if (options.wait || ttl) {
    const auto deadline = std::chrono::steady_clock::now() + options.wait_timeout;
    while (!active(describe_table())) {
      if (std::chrono::steady_clock::now() > deadline)
        throw Error(std::string(error_code::table_not_active), "table " + s.table_name + " did not become ACTIVE in time", 500);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  if (ttl) update_ttl(options.ignore_update_ttl_errors);
}

void TableCore::delete_table(const DeleteTableOptions& options) const {
  (void)connection_.delete_table({.table_name = schema_->table_name});
  if (!options.wait) return;
  const auto deadline = std::chrono::steady_clock::now() + options.wait_timeout;
  while (exists()) {
    if (std::chrono::steady_clock::now() > deadline)
      throw Error(std::string(error_code::table_not_deleted), "table " + schema_->table_name + " was not deleted in time", 500);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool TableCore::exists() const {
  try {
    (void)describe_table();
    return true;
  } catch (const TableDoesNotExist&) {
    return false;
  }
}

api::TableDescription TableCore::describe_table() const {
  auto response = connection_.describe_table({.table_name = schema_->table_name});
  return response.table.value_or(api::TableDescription{});
}

void TableCore::update_ttl(bool ignore_errors) const {
  const FieldCore* ttl = schema_->ttl_field();
  if (!ttl) return;
  try {
    (void)connection_.update_time_to_live(
        {.table_name = schema_->table_name,
         .time_to_live_specification = {.enabled = true, .attribute_name = ttl->name}});
  } catch (const OperationError&) {
    if (!ignore_errors) throw;
  }
}

api::PutItemRequest TableCore::put_request(Item item, const expr::Condition& condition, const WriteOptions& options,
                                           std::optional<std::int64_t>& new_version) const {
  api::PutItemRequest request{.table_name = schema_->table_name, .item = std::move(item)};
  expr::Condition full = condition;
  new_version.reset();
  if (const FieldCore* version = schema_->version_field()) {
    const AttributeValue* current = request.item.find(version->name);
    const std::int64_t old = current && current->is(Type::number) ? current->as_number().to<std::int64_t>() : 0;
    if (options.add_version_condition) {
      if (old == 0) full &= expr::path(version->name).does_not_exist();
      else full &= expr::path(version->name) == old;
    }
    new_version = old + 1;
    request.item.insert_or_assign(version->name, Number(*new_version));
  }
  expr::Placeholders placeholders;
  request.condition_expression = render_if(full, placeholders);
  set_placeholders(request, placeholders);
  return request;
}

std::optional<std::int64_t> TableCore::put(Item item, const expr::Condition& condition,
                                           const WriteOptions& options) const {
  std::optional<std::int64_t> new_version;
  auto request = put_request(std::move(item), condition, options, new_version);
  report_capacity(request, options.consumed_capacity, [&] { return connection_.put_item(request); });
  return new_version;
}

std::optional<Item> TableCore::get(Item key, const GetOptions& options) const {
  api::GetItemRequest request{.table_name = schema_->table_name, .key = std::move(key)};
  if (options.consistent_read) request.consistent_read = true;
  expr::Placeholders placeholders;
  request.projection_expression = projection_of(options.attributes_to_get, placeholders);
  set_placeholders(request, placeholders);
  return report_capacity(request, options.consumed_capacity, [&] { return connection_.get_item(request); }).item;
}

namespace {

// The optimistic-locking condition for an object whose version member is `known`: the
// stored version equals it, or, for an object never written (0), the item has none, which
// also covers items written before the model declared a version.
expr::Condition version_condition(const FieldCore& field, std::int64_t known) {
  const expr::Path v = expr::path(field.name);
  if (known == 0) return v.does_not_exist();
  return v == known;
}

}  // namespace

api::DeleteItemRequest TableCore::delete_request(Item key, KnownVersion version, const expr::Condition& condition,
                                                 const WriteOptions& options) const {
  api::DeleteItemRequest request{.table_name = schema_->table_name, .key = std::move(key)};
  expr::Condition full = condition;
  if (const FieldCore* field = schema_->version_field(); field && version && options.add_version_condition)
    full &= version_condition(*field, *version);
  expr::Placeholders placeholders;
  request.condition_expression = render_if(full, placeholders);
  set_placeholders(request, placeholders);
  return request;
}

void TableCore::remove(Item key, KnownVersion version, const expr::Condition& condition,
                       const WriteOptions& options) const {
  auto request = delete_request(std::move(key), version, condition, options);
  report_capacity(request, options.consumed_capacity, [&] { return connection_.delete_item(request); });
}

api::UpdateItemRequest TableCore::update_request(Item key, KnownVersion version, const expr::Update& actions,
                                                 const expr::Condition& condition, const WriteOptions& options) const {
  api::UpdateItemRequest request{.table_name = schema_->table_name, .key = std::move(key)};
  request.return_values = api::ReturnValue::all_new;
  expr::Update all = actions;
  expr::Condition full = condition;
  if (const FieldCore* field = schema_->version_field()) {
    const expr::Path v = expr::path(field->name);
    if (options.add_version_condition && version) full &= version_condition(*field, *version);
    // Under the condition this stores version + 1 (or 1 on an item without a version), as
    // PynamoDB does. Without it, the stored version still goes up rather than being
    // overwritten by the object's, so a stale copy's later write fails its own check.
    all.push_back(v.set(expr::if_not_exists(v, 0) + 1));
  }
  expr::Placeholders placeholders;
  request.update_expression = expr::render(all, placeholders);
  request.condition_expression = render_if(full, placeholders);
  set_placeholders(request, placeholders);
  return request;
}

Item TableCore::update(Item key, KnownVersion version, const expr::Update& actions,
                       const expr::Condition& condition, const WriteOptions& options) const {
  auto request = update_request(std::move(key), version, actions, condition, options);
  auto response = report_capacity(request, options.consumed_capacity, [&] { return connection_.update_item(request); });
  return response.attributes.value_or(Item{});
}

std::vector<Item> TableCore::batch_get(std::vector<Item> keys, const BatchGetOptions& options) const {
  return detail::batch_get(connection_, schema_->table_name, std::move(keys), options);
}

std::shared_ptr<PageReader> TableCore::query(const IndexCore* index, AttributeValue hash,
                                             const expr::Condition& range_key_condition,
                                             const expr::Condition& filter, const QueryOptions& options,
                                             bool count_only) const {
  api::QueryRequest request{.table_name = schema_->table_name};
  if (index) request.index_name = index->name;
  const std::string& hash_name = index ? index->hash_name : schema_->hash_field().name;
  expr::Placeholders placeholders;
  request.key_condition_expression =
      expr::render(expr::Condition(expr::path(hash_name) == std::move(hash)) && range_key_condition, placeholders);
  request.filter_expression = render_if(with_model_filter(filter), placeholders);
  if (!count_only) request.projection_expression = projection_of(options.attributes_to_get, placeholders);
  set_placeholders(request, placeholders);
  if (options.page_size) request.limit = *options.page_size;
  if (options.consistent_read) request.consistent_read = true;
  if (!options.scan_index_forward) request.scan_index_forward = false;
  request.exclusive_start_key = options.last_evaluated_key;
  if (count_only) request.select = api::Select::count;
  if (options.rate_limit) request.return_consumed_capacity = api::ReturnConsumedCapacity::total;
  return std::make_shared<PageReader>(connection_, std::move(request), options.limit, options.rate_limit,
                                      schema_->key_names(index));
}

std::shared_ptr<PageReader> TableCore::scan(const IndexCore* index, const expr::Condition& filter,
                                            const ScanOptions& options, bool count_only) const {
  api::ScanRequest request{.table_name = schema_->table_name};
  if (index) request.index_name = index->name;
  expr::Placeholders placeholders;
  request.filter_expression = render_if(with_model_filter(filter), placeholders);
  if (!count_only) request.projection_expression = projection_of(options.attributes_to_get, placeholders);
  set_placeholders(request, placeholders);
  if (options.page_size) request.limit = *options.page_size;
  if (options.consistent_read) request.consistent_read = true;
  request.exclusive_start_key = options.last_evaluated_key;
  request.segment = options.segment;
  request.total_segments = options.total_segments;
  if (count_only) request.select = api::Select::count;
  if (options.rate_limit) request.return_consumed_capacity = api::ReturnConsumedCapacity::total;
  return std::make_shared<PageReader>(connection_, std::move(request), options.limit, options.rate_limit,
                                      schema_->key_names(index));
}

std::int64_t TableCore::count(const IndexCore* index, std::optional<AttributeValue> hash,
                              const expr::Condition& range_key_condition, const expr::Condition& filter,
                              const CountOptions& options) const {
  if (!hash) {
    // PynamoDB's rule: a filter needs a hash key (a filtered table count would read it all).
    if (!range_key_condition.empty() || !filter.empty())
      throw ModelUsageError("count() with a filter or range key condition needs a hash key");
    auto reader = scan(index, {}, {.limit = options.limit, .consistent_read = options.consistent_read,
                                   .rate_limit = options.rate_limit}, true);
    return reader->count_all();
  }
  auto reader = query(index, std::move(*hash), range_key_condition, filter,
                      {.limit = options.limit, .consistent_read = options.consistent_read, .rate_limit = options.rate_limit},
                      true);
  return reader->count_all();
}

expr::Condition TableCore::with_model_filter(const expr::Condition& filter) const {
  const auto& discriminator = schema_->discriminator();
  if (!only_this_model_ || !discriminator) return filter;
  const expr::Path attribute = expr::path(discriminator->attribute);
  if (discriminator->values.size() == 1) return filter && (attribute == discriminator->values.front());
  std::vector<expr::Operand> values(discriminator->values.begin(), discriminator->values.end());
  return filter && expr::Condition::in(attribute, std::move(values));
}

std::string TableCore::describe_item(const Item& key) const {
  std::ostringstream out;
  out << schema_->table_name << " item " << key;
  return out.str();
}

Connection connection_from_settings(const ModelSettings& settings) {
  ConnectionOptions options;
  options.endpoint = settings.host;
  options.region = settings.region;
  options.access_key_id = settings.access_key_id;
  if (settings.secret_access_key) options.secret_access_key = auth::SecretString(*settings.secret_access_key);
  if (settings.session_token) options.session_token = auth::SecretString(*settings.session_token);
  return Connection::connect(options);
}

}  // namespace dynamo::detail
