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
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "dynamo/api/partiql.hpp"
#include "dynamo/client/connection.hpp"
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

}  // namespace detail

template <class T>
class StatementResults {
 public:
  explicit StatementResults(std::shared_ptr<detail::StatementReader> reader) : reader_(std::move(reader)) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = const T&;

    iterator() = default;
    explicit iterator(StatementResults* owner) : owner_(owner) {}

    [[nodiscard]] reference operator*() const { return *owner_->current_; }
    [[nodiscard]] pointer operator->() const { return &*owner_->current_; }
    iterator& operator++() {
      owner_->advance();
      return *this;
    }
    void operator++(int) { owner_->advance(); }
    [[nodiscard]] friend bool operator==(const iterator& it, std::default_sentinel_t) { return it.at_end(); }

   private:
    [[nodiscard]] bool at_end() const noexcept { return !owner_ || !owner_->current_; }

    StatementResults* owner_ = nullptr;
  };

  [[nodiscard]] iterator begin() {
    advance();
    return iterator(this);
  }
  [[nodiscard]] std::default_sentinel_t end() const noexcept { return {}; }

  // Every remaining model, fetching every remaining page.
  [[nodiscard]] std::vector<T> to_vector() {
    std::vector<T> out;
    for (const T& item : *this) out.push_back(item);
    return out;
  }
  // ExecuteStatement calls made so far.
  [[nodiscard]] int pages_fetched() const noexcept { return reader_->pages_fetched(); }

 private:
  void advance() {
    const Item* item = reader_->next();
    if (item) {
      current_ = deserialize<T>(*item);
    } else {
      current_.reset();
    }
  }

  std::shared_ptr<detail::StatementReader> reader_;
  std::optional<T> current_;
};

// `SELECT * FROM "<table>" <clause>` with `parameters` bound to its `?`s, as T's models.
template <class T, class... Params>
[[nodiscard]] StatementResults<T> select_models(Connection connection, std::string_view clause,
                                                std::optional<int> page_limit, const Params&... parameters) {
  const auto& schema = schema_of<T>().core();
  api::ExecuteStatementRequest request;
  request.statement = "SELECT * FROM \"" + schema.table_name + "\" " + std::string(clause);
  if constexpr (sizeof...(Params) > 0) {
    request.parameters = std::vector<AttributeValue>{detail::statement_parameter(parameters)...};
  }
  request.limit = page_limit;
  return StatementResults<T>(std::make_shared<detail::StatementReader>(std::move(connection), schema, std::move(request)));
}

}  // namespace dynamo
