#include "output.hpp"

#include <algorithm>
#include <ostream>

#include "dynamo/codec/json.hpp"

namespace dynamo::cli {
namespace {

// A cell longer than this is cut, so one large attribute does not push every column off
// the screen; the JSON formats show it whole.
constexpr std::size_t max_cell_width = 48;

// Display width of UTF-8 text, counting each code point as one column.
std::size_t width(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// `text` cut to at most `limit` columns (ending in "..." when cut), never inside a code point.
std::string clip(std::string text, std::size_t limit) {
  if (width(text) <= limit) return text;
  std::size_t columns = 0;
  std::size_t end = 0;
  while (end < text.size()) {
    if ((static_cast<unsigned char>(text[end]) & 0xC0) != 0x80) {
      if (columns == limit - 3) break;
      ++columns;
    }
    ++end;
  }
  text.resize(end);
  return text + "...";
}

}  // namespace

std::string_view to_string(OutputFormat format) noexcept {
  switch (format) {
    case OutputFormat::table: return "table";
    case OutputFormat::json: return "json";
    case OutputFormat::dynamodb_json: return "dynamodb-json";
  }
  return "json";
}

std::string cell_text(const AttributeValue& value) {
  std::string text;
  if (const auto* s = value.get_if<std::string>()) {
    text = *s;
  } else {
    append_plain_json(text, value);
  }
  // One row per item: line breaks and tabs inside a value would break the alignment.
  std::replace_if(text.begin(), text.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return text;
}

ItemPrinter::ItemPrinter(std::ostream& out, OutputFormat format, std::vector<std::string> leading)
    : out_(out), format_(format), columns_(std::move(leading)) {}

void ItemPrinter::add(const Item& item) {
  ++count_;
  switch (format_) {
    case OutputFormat::json:
      line_.clear();
      append_plain_json(line_, item);
      line_.push_back('\n');
      out_ << line_;
      return;
    case OutputFormat::dynamodb_json:
      line_.clear();
      json::encode_to(line_, item);
      line_.push_back('\n');
      out_ << line_;
      return;
    case OutputFormat::table:
      for (const auto& [name, value] : item)
        if (std::find(columns_.begin(), columns_.end(), name) == columns_.end()) columns_.push_back(name);
      rows_.push_back(item);
      return;
  }
}

std::size_t ItemPrinter::finish() {
  if (format_ != OutputFormat::table || rows_.empty()) {
    out_.flush();
    return count_;
  }
  // Only the columns some item has (a key column of an index query may be absent).
  std::erase_if(columns_, [&](const std::string& column) {
    return std::none_of(rows_.begin(), rows_.end(), [&](const Item& row) { return row.contains(column); });
  });
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows_.size());
  std::vector<std::size_t> widths;
  for (const std::string& column : columns_) widths.push_back(width(column));
  for (const Item& row : rows_) {
    auto& line = cells.emplace_back();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      const AttributeValue* value = row.find(columns_[c]);
      line.push_back(value ? clip(cell_text(*value), max_cell_width) : std::string());
      widths[c] = std::max(widths[c], width(line.back()));
    }
  }
  auto print_row = [&](const std::vector<std::string>& texts) {
    std::string text;
    for (std::size_t c = 0; c < texts.size(); ++c) {
      if (c > 0) text += "  ";
      text += texts[c];
      if (c + 1 < texts.size()) text.append(widths[c] - width(texts[c]), ' ');
    }
    // An empty last cell would leave the padding of the cells before it.
    text.erase(text.find_last_not_of(' ') + 1);
    out_ << text << '\n';
  };
  print_row(columns_);
  std::vector<std::string> rule;
  for (std::size_t w : widths) rule.emplace_back(w, '-');
  print_row(rule);
  for (const auto& line : cells) print_row(line);
  out_.flush();
  rows_.clear();
  return count_;
}

}  // namespace dynamo::cli
