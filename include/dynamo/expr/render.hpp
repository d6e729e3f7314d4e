// Rendering expression trees to DynamoDB's expression strings (the client side).
//
// Every name goes through a `#n` placeholder (so reserved words, dots and odd characters are
// always safe) and every value through a `:v` placeholder; equal values share one. One
// Placeholders context serves all the expressions of a request, so a Query's key condition,
// filter and projection (or an update and its condition) share one pair of maps:
//
//   using namespace dynamo::expr;
//   Placeholders ph;
//   std::string key    = render(path("forum") == "C++", ph);          // "#n0 = :v0"
//   std::string filter = render(path("views") > 10, ph);               // "#n1 > :v1"
//   std::string proj   = render(Projection{path("forum")}, ph);        // "#n0"
//   ph.names();   // {{"#n0","forum"}, {"#n1","views"}}
//   ph.values();  // {{":v0", S "C++"}, {":v1", N 10}}
//
// Output is deterministic: placeholders are numbered in order of first use.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/projection.hpp"
#include "dynamo/expr/update.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::expr {

// ExpressionAttributeNames and ExpressionAttributeValues being built for one request.
class Placeholders {
 public:
  // Appends the placeholder of `name` ("#n0", ...) to `out`, allocating one on first use.
  void append_name(std::string& out, std::string_view name);
  // Appends the placeholder of `v` (":v0", ...) to `out`; equal values share a placeholder.
  void append_value(std::string& out, const AttributeValue& v);

  // Placeholder -> attribute name, in order of first use.
  [[nodiscard]] const std::vector<std::pair<std::string, std::string>>& names() const noexcept {
    return names_;
  }
  // Placeholder -> value, in order of first use.
  [[nodiscard]] const std::vector<std::pair<std::string, AttributeValue>>& values() const noexcept {
    return values_;
  }
  [[nodiscard]] bool empty() const noexcept { return names_.empty() && values_.empty(); }

  // A context that writes names and values in place instead of placeholders, for
  // describe(): the text reads well but is not an expression DynamoDB accepts.
  [[nodiscard]] static Placeholders written_in_place() {
    Placeholders in_place;
    in_place.in_place_ = true;
    return in_place;
  }

 private:
  std::vector<std::pair<std::string, std::string>> names_;
  std::vector<std::pair<std::string, AttributeValue>> values_;
  bool in_place_ = false;
};

// The expression text; "" for an empty condition, update or projection (omit the parameter).
// Throws dynamo::Error (ValidationException) for a tree DynamoDB could not express, e.g. an
// empty path or a function operand where only a path is allowed.
[[nodiscard]] std::string render(const Condition& condition, Placeholders& placeholders);
[[nodiscard]] std::string render(const Update& update, Placeholders& placeholders);
[[nodiscard]] std::string render(const Projection& projection, Placeholders& placeholders);
[[nodiscard]] std::string render(const Path& p, Placeholders& placeholders);

// A condition or update as a person reads it, names and values in place:
//   describe(path("views") > 10 && begins_with(path("subject"), "M"))
//     == R"(views > 10 AND begins_with(subject, "M"))"
// Strings are quoted, numbers and booleans bare, other values in DynamoDB JSON. For
// messages, logs and tests; never throws (a tree that cannot be rendered says why).
[[nodiscard]] std::string describe(const Condition& condition);
[[nodiscard]] std::string describe(const Update& update);
std::ostream& operator<<(std::ostream& out, const Condition& condition);
std::ostream& operator<<(std::ostream& out, const Update& update);

}  // namespace dynamo::expr
