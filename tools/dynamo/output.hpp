// How items are shown: an aligned table (columns chosen from the items, key attributes
// first), JSON lines of plain JSON, or JSON lines of DynamoDB JSON.
//
//   ItemPrinter printer(std::cout, OutputFormat::table, {"forum", "subject"});
//   for (const Item& item : items) printer.add(item);
//   printer.finish();   // a table is printed once every row is known
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/codec/plain_json.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::cli {

enum class OutputFormat { table, json, dynamodb_json };

// "table", "json" or "dynamodb-json"; nullopt-like failure is reported by the caller.
[[nodiscard]] std::string_view to_string(OutputFormat format) noexcept;

// Plain JSON: S as a string, N as a JSON number (its exact text), B as base64 text, sets as
// arrays, M as an object, L as an array. The codec's (dynamo/codec/plain_json.hpp).
using dynamo::append_plain_json;
[[nodiscard]] inline std::string plain_json(const Item& item) { return to_plain_json(item); }

// The text of a value in one table cell: scalars as themselves, the rest as plain JSON.
[[nodiscard]] std::string cell_text(const AttributeValue& value);

class ItemPrinter {
 public:
  // `leading` columns come first (the key attributes), the others in the order first seen.
  ItemPrinter(std::ostream& out, OutputFormat format, std::vector<std::string> leading = {});
  // JSON formats print the item at once; a table keeps it until finish().
  void add(const Item& item);
  // Prints the table (nothing for JSON formats). Returns the number of items added.
  std::size_t finish();

 private:
  std::ostream& out_;
  OutputFormat format_;
  std::vector<std::string> columns_;
  std::vector<Item> rows_;
  std::size_t count_ = 0;
  std::string line_;
};

}  // namespace dynamo::cli
