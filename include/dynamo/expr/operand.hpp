// dynamo::expr::Operand — what conditions compare and SET assigns: a path, a value,
// size(path), or one of the update functions (`a + b`, `a - b`, list_append, if_not_exists).
//
//   using namespace dynamo::expr;
//   Operand a = path("views") + 1;                       // SET views = views + :v
//   Operand b = value(5) - path("views");                // 5 - views
//   Operand c = list_append(path("notes"), dynamo::List{"last"});
//   Operand d = if_not_exists(path("forum"), "Default");
//   Condition e = size(path("subject")) == 10;
//
// Anything an AttributeValue can be built from converts to an Operand holding that value.
// Operand equality (==) is structural, which the round-trip tests rely on.
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>
#include <utility>
#include <vector>

#include "dynamo/expr/path.hpp"
#include "dynamo/value/attribute_value.hpp"

namespace dynamo::expr {

// size(path) as the left side of a comparison.
struct Size {
  Path target;

  friend Condition operator==(const Size& left, const Operand& right);
  friend Condition operator!=(const Size& left, const Operand& right);
  friend Condition operator<(const Size& left, const Operand& right);
  friend Condition operator<=(const Size& left, const Operand& right);
  friend Condition operator>(const Size& left, const Operand& right);
  friend Condition operator>=(const Size& left, const Operand& right);
};

class Operand {
 public:
  enum class Kind : std::uint8_t {
    path,           // a document path
    value,          // a literal value (rendered as a `:v` placeholder)
    size,           // size(path), conditions only
    plus,           // args[0] + args[1], SET only
    minus,          // args[0] - args[1], SET only
    list_append,    // list_append(args[0], args[1]), SET only
    if_not_exists,  // if_not_exists(args[0] (a path), args[1]), SET only
  };

  // The NULL value.
  Operand() = default;
  // Out of line (ast.cpp), as Condition's.
  Operand(const Operand& other);
  Operand(Operand&& other) noexcept;
  Operand& operator=(const Operand& other);
  Operand& operator=(Operand&& other) noexcept;
  ~Operand();
  Operand(Path p) : kind_(Kind::path), path_(std::move(p)) {}  // NOLINT: paths are operands
  Operand(const Size& s) : kind_(Kind::size), path_(s.target) {}  // NOLINT
  Operand(AttributeValue v) : value_(std::move(v)) {}  // NOLINT: values are operands
  template <class T>
    requires(!std::same_as<std::remove_cvref_t<T>, Operand> &&
             !std::same_as<std::remove_cvref_t<T>, Path> &&
             !std::same_as<std::remove_cvref_t<T>, Size> &&
             !std::same_as<std::remove_cvref_t<T>, AttributeValue> &&
             std::constructible_from<AttributeValue, T &&>)
  Operand(T&& v) : value_(std::forward<T>(v)) {}  // NOLINT: values are operands

  // A function or arithmetic node; `args` as documented on Kind.
  [[nodiscard]] static Operand call(Kind kind, std::vector<Operand> args);

  [[nodiscard]] Kind kind() const noexcept { return kind_; }
  // The path of a path or size operand.
  [[nodiscard]] const Path& path() const noexcept { return path_; }
  // The value of a value operand.
  [[nodiscard]] const AttributeValue& value() const noexcept { return value_; }
  // The arguments of plus, minus, list_append and if_not_exists.
  [[nodiscard]] const std::vector<Operand>& args() const noexcept { return args_; }

  friend bool operator==(const Operand& a, const Operand& b);

 private:
  Kind kind_ = Kind::value;
  Path path_;
  AttributeValue value_;
  std::vector<Operand> args_;
};

// A value operand, for when a value comes first: `value(5) - path("views")`.
[[nodiscard]] inline Operand value(AttributeValue v) { return Operand(std::move(v)); }
// size(path): the length of a string or binary, or the number of elements of a set, list or map.
[[nodiscard]] inline Size size(Path target) { return Size{std::move(target)}; }

[[nodiscard]] Operand operator+(const Operand& left, const Operand& right);
[[nodiscard]] Operand operator-(const Operand& left, const Operand& right);
[[nodiscard]] Operand list_append(const Operand& first, const Operand& second);
[[nodiscard]] Operand if_not_exists(const Path& target, const Operand& fallback);

// The name DynamoDB uses for a function kind ("size", "list_append", "+", ...).
[[nodiscard]] std::string_view function_name(Operand::Kind kind) noexcept;

}  // namespace dynamo::expr
