// dynamo::StatementResults<T> — the models a PartiQL SELECT returns, fetched page by page
// (ExecuteStatement with NextToken) as the loop needs them.
//
//   auto threads = db.table<Thread>();
//   for (const Thread& t : threads.select("WHERE forum_name = ? AND views > ?", "C++", 10)) ...
//   for (const Thread& t : threads.select("WHERE forum_name = ? ORDER BY subject DESC", "C++")) ...
//
// select() writes `SELECT * FROM "<the model's table>"` before the clause it is given and
// binds each `?` to the next argument, converted as the model converts that C++ type
// (attribute_traits). Before anything is sent, the attribute names the statement uses are
// checked against the model's schema: an unknown name is a ModelUsageError naming it (a
// model with unknown_attributes() accepts any name). Like ResultIterator it is an input
// range: a second loop continues where the first one stopped.
#pragma once

#include <cstddef>
#include <iterator>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "dynamo/api/partiql.hpp"
#include "dynamo/client/connection.hpp"
#include "dynamo/model/lazy_range.hpp"
#include "dynamo/model/schema.hpp"
#include "dynamo/model/serialize.hpp"
#include "dynamo/model/traits.hpp"

namespace dynamo {

namespace detail {

// Fetches the pages of one SELECT and hands out their items (src/model/statement.cpp).
class StatementReader {
 public:
  // Checks the statement's attribute names against `schema` (throws ModelUsageError).
  StatementReader(Connection connection, const SchemaCore& schema, api::ExecuteStatementRequest request);

  // The next item this model accepts, or nullptr when there is none (fetching pages as needed).
  [[nodiscard]] const Item* next();
  [[nodiscard]] int pages_fetched() const noexcept { return pages_; }

 private:
  bool fetch();

  Connection connection_;
  const SchemaCore* schema_;
  api::ExecuteStatementRequest request_;
  std::vector<Item> page_;
  std::size_t position_ = 0;
  bool exhausted_ = false;
  int pages_ = 0;
};

// A `?` parameter from a C++ value: text as S, anything else as its attribute_traits say.
template <class P>
[[nodiscard]] AttributeValue statement_parameter(const P& value) {
  if constexpr (std::is_convertible_v<const P&, std::string_view> && !std::is_same_v<P, std::string>) {
    return AttributeValue(std::string(std::string_view(value)));
  } else {
    return attribute_traits<P>::to_attribute(value);
  }
}

// The values of a statement's `?`s, in order (nullopt when there are none).
template <class... Params>
[[nodiscard]] std::optional<std::vector<AttributeValue>> statement_parameters(const Params&... values) {
  if constexpr (sizeof...(Params) == 0) {
    return std::nullopt;
  } else {
    return std::vector<AttributeValue>{statement_parameter(values)...};
  }
}

// A table or attribute name as a PartiQL quoted identifier: "name", a `"` inside doubled.
[[nodiscard]] std::string partiql_name(std::string_view name);

// Throws ModelUsageError when `statement` (a SELECT, INSERT, UPDATE, DELETE or EXISTS)
// names an attribute that `schema` does not declare. A statement that does not parse is
// left for the service to refuse with its own message.
void check_statement_names(const SchemaCore& schema, std::string_view statement,
                           std::span<const AttributeValue> parameters);

}  // namespace detail

template <class T>
class StatementResults : public detail::LazyRange<StatementResults<T>, T> {
 public:
  explicit StatementResults(std::shared_ptr<detail::StatementReader> reader) : reader_(std::move(reader)) {}

  // ExecuteStatement calls made so far.
  [[nodiscard]] int pages_fetched() const noexcept { return reader_->pages_fetched(); }

 private:
  friend class detail::LazyRange<StatementResults<T>, T>;

  std::optional<T> produce() {
    const Item* item = reader_->next();
    if (item == nullptr) return std::nullopt;
    return deserialize<T>(*item);
  }

  std::shared_ptr<detail::StatementReader> reader_;
};

// `SELECT * FROM "<table>" <clause>` with `parameters` bound to its `?`s, as T's models.
template <class T, class... Params>
[[nodiscard]] StatementResults<T> select_models(Connection connection, std::string_view clause,
                                                std::optional<int> page_limit, const Params&... parameters) {
  const auto& schema = schema_of<T>().core();
  api::ExecuteStatementRequest request;
  request.statement = "SELECT * FROM " + detail::partiql_name(schema.table_name) + " " + std::string(clause);
  request.parameters = detail::statement_parameters(parameters...);
  request.limit = page_limit;
  return StatementResults<T>(std::make_shared<detail::StatementReader>(std::move(connection), schema, std::move(request)));
}

}  // namespace dynamo
