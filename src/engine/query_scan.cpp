// Query and Scan, paged as the service pages them (Query and Scan API references):
//   * Limit caps the items evaluated (read), before FilterExpression;
//   * a page also ends once the items read reach 1 MB;
//   * LastEvaluatedKey is returned whenever a page ended because of either limit, even if
//     nothing follows; it is the table key, plus the index key for an index read;
//   * Count counts the items that passed the filter, ScannedCount those read;
//   * ConsumedCapacity charges the summed size of the items read, rounded up to 4 KB.
// Scan visits partitions in (hash of partition key, key) order and parallel-scan segment s
// of T owns the hashes h with floor(h * T / 2^64) == s: contiguous, disjoint and complete.
#include <algorithm>
#include <array>
#include <functional>
#include <set>

#include "dynamo/codec/json.hpp"
#include "dynamo/expr/evaluate.hpp"
#include "dynamo/expr/key_condition.hpp"
#include "engine/legacy.hpp"
#include "engine/state.hpp"

namespace dynamo::engine {

using namespace detail;

namespace {

constexpr std::size_t page_bytes = limits::page_bytes;

const StoredItem& stored_of(const TableRows::Row& row) { return row.second; }
const StoredItem& stored_of(const std::pair<const IndexRowKey, const StoredItem*>& row) { return *row.second; }

// Everything a page needs, resolved and validated.
struct ReadPlan {
  const Table* table = nullptr;
  const Index* index = nullptr;
  api::Select select = api::Select::all_attributes;
  std::optional<expr::Projection> projection;
  expr::Condition filter;
  bool has_filter = false;
  std::size_t limit = 0;  // 0: none
  bool consistent = false;
};

// A reader of a page's items, for the visit_ forms (Engine::visit_query, visit_scan): it
// takes each as an Item, or, for the _json forms, as DynamoDB JSON text.
struct PageReader {
  const std::function<void(const Item&)>* items = nullptr;
  const std::function<void(std::string_view)>* json = nullptr;
};

struct Page {
  const PageReader* read = nullptr;  // when set, the items go to it instead of into `items`
  std::string json;                  // the item a JSON reader is given
  std::vector<Item> items;
  int count = 0;
  int scanned = 0;
  std::size_t bytes = 0;
  std::optional<Item> last_evaluated_key;
};

// The key a page that ends at `stored` resumes after: the table key, and the index key for
// an index read.
Item last_key_of(const ReadPlan& plan, const StoredItem& stored) {
  Item key;
  const auto copy = [&](const std::string& name) {
    if (std::optional<AttributeValue> value = stored.packed.attribute(name)) key.insert_or_assign(name, std::move(*value));
  };
  copy(plan.table->key.partition.name);
  if (plan.table->key.sort) copy(plan.table->key.sort->name);
  if (plan.index != nullptr) {
    copy(plan.index->key.partition.name);
    if (plan.index->key.sort) copy(plan.index->key.sort->name);
  }
  return key;
}

// One item of the page: handed to the reader, or kept for the response.
void add_item(Page& page, Item&& item) {
  if (page.read == nullptr) {
    page.items.push_back(std::move(item));
  } else if (page.read->items != nullptr) {
    (*page.read->items)(item);
  } else {
    (*page.read->json)(json::encode(item));
  }
}

// One stored item of the page, as it is stored: a JSON reader gets it without decoding.
void add_stored(Page& page, const StoredItem& stored, std::optional<Item>& decoded) {
  if (page.read != nullptr && page.read->json != nullptr) {
    page.json.clear();
    stored.packed.append_json(page.json);
    (*page.read->json)(page.json);
  } else {
    add_item(page, decoded ? std::move(*decoded) : stored.unpack());
  }
}

// Reads one item into the page; false when the page is full. The stored item is decoded
// only when something reads its attributes (a COUNT without a filter does not).
bool visit(const ReadPlan& plan, const StoredItem& stored, Page& page) {
  std::optional<Item> item;
  const auto decoded = [&]() -> Item& {
    if (!item) item = stored.unpack();
    return *item;
  };
  std::size_t size = stored.size;
  std::optional<Item> projected;  // what an index with a narrower projection holds
  if (plan.index != nullptr && plan.index->projection != api::ProjectionType::all) {
    Item in_index = project_for_index(*plan.table, *plan.index, decoded());
    size = item_size(in_index);
    // A local index fetches unprojected attributes from the table when asked to.
    const bool fetch = !plan.index->global && (plan.select == api::Select::all_attributes ||
                                                plan.select == api::Select::specific_attributes);
    if (!fetch) projected = std::move(in_index);
  }
  ++page.scanned;
  page.bytes += size;
  const bool full = (plan.limit != 0 && static_cast<std::size_t>(page.scanned) >= plan.limit) || page.bytes >= page_bytes;
  if (full) page.last_evaluated_key = last_key_of(plan, stored);
  const auto visible = [&]() -> Item& { return projected ? *projected : decoded(); };
  if (!plan.has_filter || expr::evaluate(plan.filter, visible())) {
    ++page.count;
    if (plan.select != api::Select::count) {
      if (plan.projection) {
        add_item(page, expr::project(*plan.projection, visible()));
      } else if (projected) {
        add_item(page, std::move(*projected));
      } else {
        add_stored(page, stored, item);
      }
    }
  }
  return !full;
}

// Runs ahead of a walk along a partition's rows, which in a table larger than the cache
// are each a miss (the row's node, its stored item, its block) that the walk would
// otherwise take one after another: each step starts loading the stored item of the row
// 2 x `distance` rows on and the block of the row `distance` on, whose stored item the
// step `distance` back started. Index rows point at their table's stored items, so there
// the two stages are two different misses; a table's rows hold their stored item in the
// node the walk reads anyway. It stays within the walk's sort-key range and its Limit, so
// that a short read loads nothing it will not return.
template <class Rows>
class RowsAhead {
 public:
  using Iterator = typename Rows::const_iterator;
  static constexpr std::size_t distance = 8;

  // `from` is where the walk goes next: its next row (forward), or one past it (backward);
  // `bound` is where it stops: the range's end (forward) or its first row (backward).
  // At most `budget` rows are started.
  RowsAhead(Iterator from, Iterator bound, bool forward, std::size_t budget) noexcept
      : far_(from), bound_(bound), forward_(forward), budget_(budget) {
    for (std::size_t i = 0; i < 2 * distance; ++i) step();
  }
  // Called once per row the walk reads.
  void step() noexcept {
    const StoredItem* reached = next();
    if (reached != nullptr) __builtin_prefetch(reached);
    const StoredItem*& queued = queued_[steps_++ % distance];
    if (queued != nullptr) queued->prefetch();
    queued = reached;
  }

 private:
  // The next row's stored item (its address only, nothing loaded), or nullptr past the rows.
  const StoredItem* next() noexcept {
    if (far_ == bound_ || budget_ == 0) return nullptr;
    --budget_;
    if (forward_) {
      const StoredItem* stored = &stored_of(*far_);
      ++far_;
      return stored;
    }
    --far_;
    return &stored_of(*far_);
  }

  Iterator far_;
  Iterator bound_;
  bool forward_;
  std::size_t budget_;
  std::size_t steps_ = 0;
  std::array<const StoredItem*, distance> queued_{};
};

// The rows of one partition between `begin` and `end` (a sort-key range), after `start`
// when resuming; forward or backward. False when the page filled up.
template <class Rows>
bool read_rows(const ReadPlan& plan, const Rows& rows, typename Rows::const_iterator begin,
               typename Rows::const_iterator end, const std::optional<typename Rows::key_type>& start, bool forward,
               Page& page) {
  if (begin == rows.end() || begin == end) return true;
  const auto less = rows.key_comp();
  // Started at the second row read, so that a partition of one row (every partition of a
  // table without a sort key) costs nothing more.
  std::optional<RowsAhead<Rows>> ahead;
  bool first = true;
  const auto read = [&](typename Rows::const_iterator it) {
    if (ahead) {
      ahead->step();
    } else if (!first) {
      const std::size_t budget = plan.limit == 0 ? static_cast<std::size_t>(-1)
                                                 : plan.limit - std::min(plan.limit, static_cast<std::size_t>(page.scanned));
      ahead.emplace(forward ? std::next(it) : it, forward ? end : begin, forward, budget);
    }
    first = false;
    return visit(plan, stored_of(*it), page);
  };
  if (forward) {
    for (auto it = start ? rows.upper_bound(*start) : begin; it != rows.end(); ++it) {
      if (end != rows.end() && !less(it->first, end->first)) break;
      if (less(it->first, begin->first)) continue;
      if (!read(it)) return false;
    }
  } else {
    auto it = start ? rows.lower_bound(*start) : end;
    while (it != rows.begin()) {
      --it;
      if (less(it->first, begin->first)) break;
      if (end != rows.end() && !less(it->first, end->first)) continue;
      if (!read(it)) return false;
    }
  }
  return true;
}

// The smallest value greater than every value starting with `prefix` (nullopt: none).
std::optional<AttributeValue> prefix_successor(const AttributeValue& prefix) {
  std::string bytes = prefix.is(Type::string) ? prefix.as_string() : prefix.as_binary().bytes();
  while (!bytes.empty() && static_cast<unsigned char>(bytes.back()) == 0xff) bytes.pop_back();
  if (bytes.empty()) return std::nullopt;
  bytes.back() = static_cast<char>(static_cast<unsigned char>(bytes.back()) + 1);
  if (prefix.is(Type::string)) return AttributeValue(std::move(bytes));
  return AttributeValue(Binary(std::move(bytes)));
}

template <class Rows>
std::pair<typename Rows::const_iterator, typename Rows::const_iterator> sort_range(
    const Rows& rows, const std::optional<expr::SortKeyCondition>& condition) {
  using Op = expr::SortKeyCondition::Op;
  if (!condition) return {rows.begin(), rows.end()};
  const AttributeValue& v = condition->value;
  switch (condition->op) {
    case Op::eq:
      return {rows.lower_bound(v), rows.upper_bound(v)};
    case Op::lt:
      return {rows.begin(), rows.lower_bound(v)};
    case Op::le:
      return {rows.begin(), rows.upper_bound(v)};
    case Op::gt:
      return {rows.upper_bound(v), rows.end()};
    case Op::ge:
      return {rows.lower_bound(v), rows.end()};
    case Op::between:
      if (compare_keys(v, condition->upper) > 0) return {rows.end(), rows.end()};
      return {rows.lower_bound(v), rows.upper_bound(condition->upper)};
    case Op::begins_with: {
      auto next = prefix_successor(v);
      return {rows.lower_bound(v), next ? rows.lower_bound(*next) : rows.end()};
    }
  }
  return {rows.begin(), rows.end()};
}

// Checks Select against the other parameters (Query/Scan API references, "Select").
api::Select resolve_select(const std::optional<api::Select>& select, bool has_projection_expression,
                           bool has_attributes_to_get, const Index* index, bool is_query) {
  const bool has_projection = has_projection_expression || has_attributes_to_get;
  if (select && *select != api::Select::specific_attributes && has_projection) {
    throw_validation(std::string("Cannot specify the ") +
                     (has_projection_expression ? "ProjectionExpression" : "AttributesToGet") +
                     " when choosing to get " + std::string(api::to_string(*select)));
  }
  if (select == api::Select::specific_attributes && !has_projection) {
    throw_validation(std::string(is_query ? "1 validation error detected: " : "") +
                     "Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES");
  }
  if (select == api::Select::all_projected_attributes && index == nullptr) {
    throw_validation("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName");
  }
  if (select == api::Select::all_attributes && index != nullptr && index->global &&
      index->projection != api::ProjectionType::all) {
    throw_validation("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global "
                     "secondary index " + index->name + " because its projection type is not ALL");
  }
  if (select) return *select;
  if (has_projection) return api::Select::specific_attributes;
  return index != nullptr ? api::Select::all_projected_attributes : api::Select::all_attributes;
}

const Index* resolve_index(const Table& table, const std::optional<std::string>& index_name, bool consistent) {
  if (!index_name) return nullptr;
  const Index* index = table.find_index(*index_name);
  if (index == nullptr) throw_validation("The table does not have the specified index: " + *index_name);
  if (index->global && consistent) throw_validation("Consistent reads are not supported on global secondary indexes");
  return index;
}

// Validates ExclusiveStartKey: exactly the table key, plus the index key for an index.
void check_start_key(const ReadPlan& plan, const Item& start) {
  constexpr std::string_view invalid = "The provided starting key is invalid: The provided key element does not match the schema";
  std::vector<const KeyAttribute*> expected{&plan.table->key.partition};
  if (plan.table->key.sort) expected.push_back(&*plan.table->key.sort);
  if (plan.index != nullptr) {
    for (const KeyAttribute* k : {&plan.index->key.partition, plan.index->key.sort ? &*plan.index->key.sort : nullptr}) {
      if (k == nullptr) continue;
      if (std::none_of(expected.begin(), expected.end(), [&](const KeyAttribute* e) { return e->name == k->name; })) {
        expected.push_back(k);
      }
    }
  }
  if (start.size() != expected.size()) throw_validation(std::string(invalid));
  for (const KeyAttribute* k : expected) {
    const AttributeValue* v = start.find(k->name);
    if (v == nullptr || v->type() != k->type) throw_validation(std::string(invalid));
  }
}

IndexRowKey index_row_key_of(const ReadPlan& plan, const Item& start) {
  return IndexRowKey{plan.index->key.sort ? start.at(plan.index->key.sort->name) : AttributeValue(),
                     start.at(plan.table->key.partition.name),
                     plan.table->key.sort ? start.at(plan.table->key.sort->name) : AttributeValue()};
}

template <class Response>
void fill_response(const ReadPlan& plan, Page& page, const std::optional<api::ReturnConsumedCapacity>& mode,
                   Response& response) {
  if (plan.select != api::Select::count) response.items = std::move(page.items);
  response.count = page.count;
  response.scanned_count = page.scanned;
  response.last_evaluated_key = std::move(page.last_evaluated_key);
  if (mode && *mode != api::ReturnConsumedCapacity::none) {
    CapacityTally tally;
    const double units = read_units(page.bytes, plan.consistent);
    if (plan.index == nullptr) {
      tally.table = units;
    } else {
      (plan.index->global ? tally.global_indexes : tally.local_indexes)[plan.index->name] = units;
    }
    response.consumed_capacity = consumed_capacity(mode, plan.table->name, tally, true);
  }
}

void check_key_condition_types(const KeySchema& key, const expr::KeyCondition& condition) {
  constexpr std::string_view mismatch = "One or more parameter values were invalid: Condition parameter type does not match schema type";
  if (condition.partition_value.type() != key.partition.type) throw_validation(std::string(mismatch));
  check_key_value(key.partition, true, condition.partition_value);
  if (condition.sort) {
    if (condition.sort->value.type() != key.sort->type) throw_validation(std::string(mismatch));
    if (condition.sort->op == expr::SortKeyCondition::Op::between && condition.sort->upper.type() != key.sort->type) {
      throw_validation(std::string(mismatch));
    }
    if (condition.sort->op == expr::SortKeyCondition::Op::begins_with && key.sort->type == Type::number) {
      throw_validation("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or "
                       "function: begins_with, operand type: NUMBER");
    }
  }
}

void collect_top_level_names(const expr::Operand& operand, std::set<std::string_view>& names) {
  if (operand.kind() == expr::Operand::Kind::path || operand.kind() == expr::Operand::Kind::size) {
    names.insert(operand.path().top_level_name());
  }
  for (const auto& arg : operand.args()) collect_top_level_names(arg, names);
}

void collect_top_level_names(const expr::Condition& condition, std::set<std::string_view>& names) {
  for (const auto& operand : condition.operands()) collect_top_level_names(operand, names);
  for (const auto& child : condition.children()) collect_top_level_names(child, names);
}

// A Query's filter may not name the key attributes of the table or index it reads (the
// Developer Guide, "Filter expressions for Query"): those belong in the key condition.
void check_filter_avoids_keys(const expr::Condition& filter, const KeySchema& schema) {
  std::set<std::string_view> names;
  collect_top_level_names(filter, names);
  const KeyAttribute* keys[2] = {&schema.partition, schema.sort ? &*schema.sort : nullptr};
  for (const KeyAttribute* key : keys) {
    if (key != nullptr && names.contains(key->name)) {
      throw_validation("Filter Expression can only contain non-primary key attributes: Primary key attribute: " +
                       key->name);
    }
  }
}

// Query's work; the page's items go to `read` when it is given.
api::QueryResponse query_with(Engine::State& state, const api::QueryRequest& request, const PageReader* read) {
  check_item_table_name(request.table_name);
  ConstraintErrors constraints;
  check_limit(request.limit, constraints);
  constraints.throw_if_any();
  const bool has_key_expression = request.key_condition_expression.has_value();
  const bool has_filter_expression = request.filter_expression.has_value();
  const bool has_projection = request.projection_expression.has_value();
  // KeyConditions mixes with FilterExpression and ProjectionExpression; only
  // KeyConditionExpression makes it a clash.
  check_no_mixing({{"AttributesToGet", request.attributes_to_get.has_value()},
                   {"QueryFilter", request.query_filter.has_value()},
                   {"ConditionalOperator", request.conditional_operator.has_value()},
                   {"KeyConditions", request.key_conditions.has_value() && has_key_expression}},
                  {{"ProjectionExpression", has_projection},
                   {"FilterExpression", has_filter_expression},
                   {"KeyConditionExpression", has_key_expression}});
  check_conditional_operator(request.conditional_operator, request.query_filter ? request.query_filter->size() : 0);
  if (request.query_filter) check_conditions(*request.query_filter);
  if (!has_key_expression && !request.key_conditions) {
    throw_validation("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.");
  }
  if (request.key_conditions) {
    check_conditions(*request.key_conditions);
    if (request.key_conditions->empty() || request.key_conditions->size() > 2) {
      throw_validation("Conditions can be of length 1 or 2 only");
    }
  }
  auto attributes = expression_attributes(request.expression_attribute_names, request.expression_attribute_values,
                                          has_key_expression || has_filter_expression || has_projection,
                                          has_key_expression || has_filter_expression,
                                          "FilterExpression and KeyConditionExpression are null");
  expr::Condition key_condition;
  if (has_key_expression) {
    key_condition =
        expr::parse_condition(*request.key_condition_expression, attributes, expr::ExpressionKind::key_condition);
  }
  ReadPlan plan;
  plan.has_filter = has_filter_expression || request.query_filter.has_value();
  if (has_filter_expression) {
    plan.filter = expr::parse_condition(*request.filter_expression, attributes, expr::ExpressionKind::filter);
  }
  if (request.query_filter) plan.filter = filter_condition(*request.query_filter, request.conditional_operator);
  plan.projection = read_projection(request.projection_expression, request.attributes_to_get, attributes);
  attributes.check_all_used();
  plan.limit = static_cast<std::size_t>(request.limit.value_or(0));
  plan.consistent = request.consistent_read.value_or(false);
  const bool forward = request.scan_index_forward.value_or(true);

  auto table = state.table(request.table_name, table_not_found);
  std::shared_lock lock(table->mutex);
  if (table->deleted) throw_not_found(std::string(table_not_found));
  plan.table = table.get();
  plan.index = resolve_index(*table, request.index_name, plan.consistent);
  plan.select = resolve_select(request.select, request.projection_expression.has_value(),
                               request.attributes_to_get.has_value(), plan.index, true);
  const KeySchema& schema = plan.index != nullptr ? plan.index->key : table->key;
  const expr::KeyCondition condition =
      request.key_conditions
          ? key_condition_of(*request.key_conditions, schema)
          : expr::analyze_key_condition(key_condition, schema.partition.name,
                                        schema.sort ? std::optional<std::string_view>(schema.sort->name) : std::nullopt);
  check_key_condition_types(schema, condition);
  if (request.query_filter) check_query_filter_avoids_keys(*request.query_filter, schema);
  if (has_filter_expression) check_filter_avoids_keys(plan.filter, schema);
  if (request.exclusive_start_key) check_start_key(plan, *request.exclusive_start_key);

  Page page;
  page.read = read;
  if (plan.index == nullptr) {
    if (const TableRows* rows = table->rows.find(condition.partition_value)) {
      auto [begin, end] = sort_range(*rows, condition.sort);
      std::optional<AttributeValue> start;
      if (request.exclusive_start_key) start = table->sort_value_of(*request.exclusive_start_key);
      read_rows(plan, *rows, begin, end, start, forward, page);
    }
  } else {
    if (const IndexRows* rows = plan.index->rows.find(condition.partition_value)) {
      auto [begin, end] = sort_range(*rows, condition.sort);
      std::optional<IndexRowKey> start;
      if (request.exclusive_start_key) start = index_row_key_of(plan, *request.exclusive_start_key);
      read_rows(plan, *rows, begin, end, start, forward, page);
    }
  }
  api::QueryResponse response;
  fill_response(plan, page, request.return_consumed_capacity, response);
  return response;
}

// How far a Scan's walk over the hash slots runs ahead (PartitionMap's prefetch_ahead): at
// the load factors the map keeps, 16 slots hold 6 to 12 partitions. On a table of 10^6
// items of 1 KB, 8, 16 and 32 all took a full Scan from about 0.9 s to about 0.62 s.
constexpr std::size_t slots_ahead = 16;

// Scans the partitions of `map` within hash range [low, high) (high_open: to the end),
// starting after `start` (partition key and row key) when resuming.
template <class Rows>
void scan_partitions(const ReadPlan& plan, const PartitionMap<Rows>& map, std::uint64_t low, std::uint64_t high,
                     bool to_end, const std::optional<AttributeValue>& start_partition,
                     const std::optional<typename Rows::key_type>& start_row, Page& page) {
  auto it = map.lower_bound(low);
  if (start_partition) {
    it = map.lower_bound(*start_partition);
    if (it != map.end() && compare_keys(it->key, *start_partition) == 0) {
      if (!read_rows(plan, it->rows, it->rows.begin(), it->rows.end(), start_row, true, page)) return;
      ++it;
    }
  }
  for (; it != map.end(); ++it) {
    if (!to_end && it->hash >= high) break;
    it.prefetch_ahead(slots_ahead);
    if (!read_rows(plan, it->rows, it->rows.begin(), it->rows.end(), std::optional<typename Rows::key_type>{}, true,
                   page)) {
      return;
    }
  }
}

// Scan's work; the page's items go to `read` when it is given.
api::ScanResponse scan_with(Engine::State& state, const api::ScanRequest& request, const PageReader* read) {
  check_item_table_name(request.table_name);
  ConstraintErrors constraints;
  check_limit(request.limit, constraints);
  if (request.total_segments && *request.total_segments < 1) {
    constraints.add(std::to_string(*request.total_segments), "totalSegments", "Member must have value greater than or equal to 1");
  }
  if (request.total_segments && *request.total_segments > 1000000) {
    constraints.add(std::to_string(*request.total_segments), "totalSegments", "Member must have value less than or equal to 1000000");
  }
  if (request.segment && *request.segment < 0) {
    constraints.add(std::to_string(*request.segment), "segment", "Member must have value greater than or equal to 0");
  }
  if (request.segment && *request.segment > 999999) {
    constraints.add(std::to_string(*request.segment), "segment", "Member must have value less than or equal to 999999");
  }
  constraints.throw_if_any();
  if (request.total_segments && !request.segment) {
    throw_validation("The Segment parameter is required but was not present in the request when parameter TotalSegments is present");
  }
  if (request.segment && !request.total_segments) {
    throw_validation("The TotalSegments parameter is required but was not present in the request when Segment parameter is present");
  }
  if (request.segment && *request.segment >= *request.total_segments) {
    throw_validation("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: " +
                     std::to_string(*request.segment) + " is not less than TotalSegments: " +
                     std::to_string(*request.total_segments));
  }
  const bool has_filter = request.filter_expression.has_value();
  const bool has_projection = request.projection_expression.has_value();
  check_no_mixing({{"AttributesToGet", request.attributes_to_get.has_value()},
                   {"ScanFilter", request.scan_filter.has_value()},
                   {"ConditionalOperator", request.conditional_operator.has_value()}},
                  {{"ProjectionExpression", has_projection}, {"FilterExpression", has_filter}});
  check_conditional_operator(request.conditional_operator, request.scan_filter ? request.scan_filter->size() : 0);
  if (request.scan_filter) check_conditions(*request.scan_filter);
  auto attributes = expression_attributes(request.expression_attribute_names, request.expression_attribute_values,
                                          has_filter || has_projection, has_filter, "FilterExpression is null");
  ReadPlan plan;
  plan.has_filter = has_filter || request.scan_filter.has_value();
  if (has_filter) plan.filter = expr::parse_condition(*request.filter_expression, attributes, expr::ExpressionKind::filter);
  if (request.scan_filter) plan.filter = filter_condition(*request.scan_filter, request.conditional_operator);
  plan.projection = read_projection(request.projection_expression, request.attributes_to_get, attributes);
  attributes.check_all_used();
  plan.limit = static_cast<std::size_t>(request.limit.value_or(0));
  plan.consistent = request.consistent_read.value_or(false);

  // The segment's hash range: [ceil(s * 2^64 / T), ceil((s+1) * 2^64 / T)).
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  bool to_end = true;
  if (request.total_segments) {
    __extension__ using u128 = unsigned __int128;
    const auto total = static_cast<u128>(*request.total_segments);
    const auto segment = static_cast<u128>(*request.segment);
    const auto bound = [&](u128 s) { return ((s << 64) + total - 1) / total; };
    low = static_cast<std::uint64_t>(bound(segment));
    to_end = segment + 1 == total;
    if (!to_end) high = static_cast<std::uint64_t>(bound(segment + 1));
  }

  auto table = state.table(request.table_name, table_not_found);
  std::shared_lock lock(table->mutex);
  if (table->deleted) throw_not_found(std::string(table_not_found));
  plan.table = table.get();
  plan.index = resolve_index(*table, request.index_name, plan.consistent);
  plan.select = resolve_select(request.select, has_projection, request.attributes_to_get.has_value(), plan.index, false);
  if (request.exclusive_start_key) check_start_key(plan, *request.exclusive_start_key);

  Page page;
  page.read = read;
  const auto& start = request.exclusive_start_key;
  if (plan.index == nullptr) {
    std::optional<AttributeValue> start_partition;
    std::optional<AttributeValue> start_row;
    if (start) {
      start_partition = start->at(table->key.partition.name);
      start_row = table->sort_value_of(*start);
    }
    scan_partitions(plan, table->rows, low, high, to_end, start_partition, start_row, page);
  } else {
    std::optional<AttributeValue> start_partition;
    std::optional<IndexRowKey> start_row;
    if (start) {
      start_partition = start->at(plan.index->key.partition.name);
      start_row = index_row_key_of(plan, *start);
    }
    scan_partitions(plan, plan.index->rows, low, high, to_end, start_partition, start_row, page);
  }
  api::ScanResponse response;
  fill_response(plan, page, request.return_consumed_capacity, response);
  return response;
}

}  // namespace

api::QueryResponse Engine::query(const api::QueryRequest& request) { return query_with(*state_, request, nullptr); }

api::QueryResponse Engine::visit_query(const api::QueryRequest& request, const std::function<void(const Item&)>& read) {
  const PageReader reader{.items = &read};
  return query_with(*state_, request, &reader);
}

api::QueryResponse Engine::visit_query_json(const api::QueryRequest& request, const std::function<void(std::string_view)>& read) {
  const PageReader reader{.json = &read};
  return query_with(*state_, request, &reader);
}

api::ScanResponse Engine::scan(const api::ScanRequest& request) { return scan_with(*state_, request, nullptr); }

api::ScanResponse Engine::visit_scan(const api::ScanRequest& request, const std::function<void(const Item&)>& read) {
  const PageReader reader{.items = &read};
  return scan_with(*state_, request, &reader);
}

api::ScanResponse Engine::visit_scan_json(const api::ScanRequest& request, const std::function<void(std::string_view)>& read) {
  const PageReader reader{.json = &read};
  return scan_with(*state_, request, &reader);
}

}  // namespace dynamo::engine
