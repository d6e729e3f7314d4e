// Internal: PartiQL for DynamoDB, parsed. The engine's ExecuteStatement,
// BatchExecuteStatement and ExecuteTransaction run these statements by translating them to
// GetItem, PutItem, UpdateItem, DeleteItem, Query, Scan and the transaction operations;
// docs/partiql.md lists the language.
//
//   std::vector<dynamo::AttributeValue> params{"C++"};
//   auto s = dynamo::partiql::parse(R"(SELECT * FROM "Thread" WHERE forum = ? ORDER BY subject DESC)", params);
//   const auto& select = std::get<dynamo::partiql::Select>(s);   // select.table == "Thread"
//
// Conditions and update actions are the expression AST of dynamo/expr, so the engine
// evaluates them exactly as it evaluates ConditionExpression and UpdateExpression:
//   a IS MISSING       -> attribute_not_exists(a)      a IS NULL -> attribute_type(a, 'NULL')
//   SET a = set_add(a, <<'x'>>)    -> ADD a <<'x'>>    SET a = set_delete(a, s) -> DELETE a s
// `?` parameters are bound while parsing: every value in the tree is a value.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/projection.hpp"
#include "dynamo/expr/update.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::partiql {

// RETURNING ALL|MODIFIED OLD|NEW * (UPDATE), RETURNING ALL OLD * (DELETE).
enum class Returning : std::uint8_t { none, all_old, modified_old, all_new, modified_new };

struct OrderBy {
  expr::Path path;
  bool descending = false;
  // Path's == builds a Condition, so paths compare by their elements here.
  friend bool operator==(const OrderBy& a, const OrderBy& b) {
    return a.path.elements() == b.path.elements() && a.descending == b.descending;
  }
};

// SELECT projection FROM "table"["index"] [WHERE condition] [ORDER BY path [ASC|DESC]].
struct Select {
  std::string table;
  std::optional<std::string> index;
  expr::Projection projection;  // empty: `*`
  expr::Condition where;        // empty: no WHERE
  std::optional<OrderBy> order_by;
  friend bool operator==(const Select&, const Select&) = default;
};

// INSERT INTO "table" VALUE {...}.
struct Insert {
  std::string table;
  Item item;
  friend bool operator==(const Insert&, const Insert&) = default;
};

// UPDATE "table" SET ... REMOVE ... WHERE condition [RETURNING ...].
struct Update {
  std::string table;
  expr::Update actions;
  expr::Condition where;
  Returning returning = Returning::none;
  friend bool operator==(const Update&, const Update&) = default;
};

// DELETE FROM "table" WHERE condition [RETURNING ALL OLD *].
struct Delete {
  std::string table;
  expr::Condition where;
  Returning returning = Returning::none;
  friend bool operator==(const Delete&, const Delete&) = default;
};

// EXISTS(SELECT ...): a condition check, in transactions only.
struct Exists {
  Select select;
  friend bool operator==(const Exists&, const Exists&) = default;
};

using Statement = std::variant<Select, Insert, Update, Delete, Exists>;

// Parses one statement, binding its `?` placeholders to `parameters` in order. Throws
// dynamo::Error (ValidationException) worded as DynamoDB words it: "Statement wasn't well
// formed, can't be processed: ..." for syntax errors, "Number of parameters in request and
// statement don't match." when the counts differ. Any input either parses or throws that
// error: nesting is bounded, so no input exhausts the stack.
[[nodiscard]] Statement parse(std::string_view text, std::span<const AttributeValue> parameters = {});

// True for SELECT (a read), false for the writes and EXISTS.
[[nodiscard]] bool is_read(const Statement& statement) noexcept;
// The table a statement names.
[[nodiscard]] const std::string& table_of(const Statement& statement) noexcept;

}  // namespace dynamo::partiql
