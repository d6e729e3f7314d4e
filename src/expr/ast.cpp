// The expression tree's constructors and builder methods: Path, Operand, Condition, Update,
// Projection.
#include <algorithm>
#include <string>
#include <utility>

#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/operand.hpp"
#include "dynamo/expr/path.hpp"
#include "dynamo/expr/projection.hpp"
#include "dynamo/expr/update.hpp"

namespace dynamo::expr {

// ---------------------------------------------------------------- Path

Path Path::parse(std::string_view dotted) {
  const auto fail = [&](std::string_view why) -> Error {
    return Error::validation("invalid document path \"" + std::string(dotted) + "\": " +
                             std::string(why));
  };
  Path result;
  std::size_t i = 0;
  bool expect_name = true;
  while (i < dotted.size()) {
    if (expect_name) {
      const std::size_t start = i;
      while (i < dotted.size() && dotted[i] != '.' && dotted[i] != '[' && dotted[i] != ']') ++i;
      if (i == start) throw fail("empty name");
      result.elements_.emplace_back(std::string(dotted.substr(start, i - start)));
      expect_name = false;
    } else if (dotted[i] == '.') {
      ++i;
      expect_name = true;
    } else if (dotted[i] == '[') {
      ++i;
      std::size_t index = 0;
      const std::size_t start = i;
      while (i < dotted.size() && dotted[i] >= '0' && dotted[i] <= '9') {
        if (index > 100'000'000) throw fail("list index too large");
        index = index * 10 + static_cast<std::size_t>(dotted[i] - '0');
        ++i;
      }
      if (i == start || i >= dotted.size() || dotted[i] != ']') throw fail("malformed list index");
      ++i;
      result.elements_.emplace_back(index);
    } else {
      throw fail("expected '.' or '['");
    }
  }
  if (expect_name) throw fail(result.empty() ? "empty path" : "ends with '.'");
  return result;
}

Path Path::field(std::string name) const {
  Path result = *this;
  result.elements_.emplace_back(std::move(name));
  return result;
}

Path Path::index(std::size_t position) const {
  Path result = *this;
  result.elements_.emplace_back(position);
  return result;
}

std::string_view Path::top_level_name() const noexcept {
  if (elements_.empty()) return {};
  const auto* name = std::get_if<std::string>(&elements_.front());
  return name ? std::string_view(*name) : std::string_view();
}

bool Path::starts_with(const Path& prefix) const noexcept {
  return prefix.elements_.size() <= elements_.size() &&
         std::equal(prefix.elements_.begin(), prefix.elements_.end(), elements_.begin());
}

std::string Path::to_string() const {
  std::string out;
  for (const auto& element : elements_) {
    if (const auto* name = std::get_if<std::string>(&element)) {
      if (!out.empty()) out += '.';
      out += *name;
    } else {
      out += '[' + std::to_string(std::get<std::size_t>(element)) + ']';
    }
  }
  return out;
}

std::string Path::to_error_string() const {
  std::string out = "[";
  for (std::size_t i = 0; i < elements_.size(); ++i) {
    if (i) out += ", ";
    if (const auto* name = std::get_if<std::string>(&elements_[i])) {
      out += *name;
    } else {
      out += '[' + std::to_string(std::get<std::size_t>(elements_[i])) + ']';
    }
  }
  return out + "]";
}

Condition Path::exists() const {
  return Condition::function(Condition::Kind::attribute_exists, {Operand(*this)});
}
Condition Path::does_not_exist() const {
  return Condition::function(Condition::Kind::attribute_not_exists, {Operand(*this)});
}
Condition Path::is_type(Type type) const {
  return Condition::function(Condition::Kind::attribute_type,
                             {Operand(*this), Operand(AttributeValue(type_tag(type)))});
}
Condition Path::begins_with(const Operand& prefix) const {
  return Condition::function(Condition::Kind::begins_with, {Operand(*this), prefix});
}
Condition Path::startswith(const Operand& prefix) const { return begins_with(prefix); }
Condition Path::contains(const Operand& element) const {
  return Condition::function(Condition::Kind::contains, {Operand(*this), element});
}
Condition Path::between(const Operand& lower, const Operand& upper) const {
  return Condition::between(Operand(*this), lower, upper);
}
Condition Path::is_in(std::vector<Operand> candidates) const {
  return Condition::in(Operand(*this), std::move(candidates));
}

UpdateAction Path::set(const Operand& operand) const {
  return UpdateAction{UpdateAction::Kind::set, *this, operand};
}
UpdateAction Path::set_if_not_exists(const Operand& operand) const {
  return set(if_not_exists(*this, operand));
}
UpdateAction Path::append(const Operand& list) const { return set(list_append(*this, list)); }
UpdateAction Path::prepend(const Operand& list) const { return set(list_append(list, *this)); }
UpdateAction Path::remove() const { return UpdateAction{UpdateAction::Kind::remove, *this, {}}; }
UpdateAction Path::add(const Operand& number_or_set) const {
  return UpdateAction{UpdateAction::Kind::add, *this, number_or_set};
}
UpdateAction Path::remove_from_set(const Operand& set_value) const {
  return UpdateAction{UpdateAction::Kind::delete_elements, *this, set_value};
}

Condition operator==(const Path& l, const Operand& r) { return compare(l, Comparator::eq, r); }
Condition operator!=(const Path& l, const Operand& r) { return compare(l, Comparator::ne, r); }
Condition operator<(const Path& l, const Operand& r) { return compare(l, Comparator::lt, r); }
Condition operator<=(const Path& l, const Operand& r) { return compare(l, Comparator::le, r); }
Condition operator>(const Path& l, const Operand& r) { return compare(l, Comparator::gt, r); }
Condition operator>=(const Path& l, const Operand& r) { return compare(l, Comparator::ge, r); }
Condition operator==(const Path& l, const Path& r) { return compare(l, Comparator::eq, r); }
Condition operator!=(const Path& l, const Path& r) { return compare(l, Comparator::ne, r); }

// ---------------------------------------------------------------- Operand

Condition operator==(const Size& l, const Operand& r) { return compare(l, Comparator::eq, r); }
Condition operator!=(const Size& l, const Operand& r) { return compare(l, Comparator::ne, r); }
Condition operator<(const Size& l, const Operand& r) { return compare(l, Comparator::lt, r); }
Condition operator<=(const Size& l, const Operand& r) { return compare(l, Comparator::le, r); }
Condition operator>(const Size& l, const Operand& r) { return compare(l, Comparator::gt, r); }
Condition operator>=(const Size& l, const Operand& r) { return compare(l, Comparator::ge, r); }

Operand::Operand(const Operand& other) = default;
Operand::Operand(Operand&& other) noexcept = default;
Operand& Operand::operator=(const Operand& other) = default;
Operand& Operand::operator=(Operand&& other) noexcept = default;
Operand::~Operand() = default;

Operand Operand::call(Kind kind, std::vector<Operand> args) {
  Operand result;
  result.kind_ = kind;
  result.args_ = std::move(args);
  return result;
}

bool operator==(const Operand& a, const Operand& b) {
  if (a.kind_ != b.kind_) return false;
  switch (a.kind_) {
    case Operand::Kind::path:
    case Operand::Kind::size:
      return a.path_.elements() == b.path_.elements();
    case Operand::Kind::value:
      return a.value_ == b.value_;
    default:
      return a.args_ == b.args_;
  }
}

Operand operator+(const Operand& left, const Operand& right) {
  return Operand::call(Operand::Kind::plus, {left, right});
}
Operand operator-(const Operand& left, const Operand& right) {
  return Operand::call(Operand::Kind::minus, {left, right});
}
Operand list_append(const Operand& first, const Operand& second) {
  return Operand::call(Operand::Kind::list_append, {first, second});
}
Operand if_not_exists(const Path& target, const Operand& fallback) {
  return Operand::call(Operand::Kind::if_not_exists, {Operand(target), fallback});
}

std::string_view function_name(Operand::Kind kind) noexcept {
  switch (kind) {
    case Operand::Kind::size: return "size";
    case Operand::Kind::plus: return "+";
    case Operand::Kind::minus: return "-";
    case Operand::Kind::list_append: return "list_append";
    case Operand::Kind::if_not_exists: return "if_not_exists";
    default: return {};
  }
}

// ---------------------------------------------------------------- Condition

std::string_view to_string(Comparator op) noexcept {
  switch (op) {
    case Comparator::eq: return "=";
    case Comparator::ne: return "<>";
    case Comparator::lt: return "<";
    case Comparator::le: return "<=";
    case Comparator::gt: return ">";
    case Comparator::ge: return ">=";
  }
  return "?";
}

std::string_view function_name(Condition::Kind kind) noexcept {
  switch (kind) {
    case Condition::Kind::attribute_exists: return "attribute_exists";
    case Condition::Kind::attribute_not_exists: return "attribute_not_exists";
    case Condition::Kind::attribute_type: return "attribute_type";
    case Condition::Kind::begins_with: return "begins_with";
    case Condition::Kind::contains: return "contains";
    default: return {};
  }
}

Condition::Condition(const Condition& other) = default;
Condition::Condition(Condition&& other) noexcept = default;
Condition& Condition::operator=(const Condition& other) = default;
Condition& Condition::operator=(Condition&& other) noexcept = default;
Condition::~Condition() = default;

Condition Condition::compare(Operand left, Comparator op, Operand right) {
  Condition c;
  c.kind_ = Kind::compare;
  c.op_ = op;
  c.operands_.reserve(2);
  c.operands_.push_back(std::move(left));
  c.operands_.push_back(std::move(right));
  return c;
}

Condition Condition::between(Operand subject, Operand lower, Operand upper) {
  Condition c;
  c.kind_ = Kind::between;
  c.operands_ = {std::move(subject), std::move(lower), std::move(upper)};
  return c;
}

Condition Condition::in(Operand subject, std::vector<Operand> candidates) {
  Condition c;
  c.kind_ = Kind::in;
  c.operands_.reserve(candidates.size() + 1);
  c.operands_.push_back(std::move(subject));
  for (auto& candidate : candidates) c.operands_.push_back(std::move(candidate));
  return c;
}

Condition Condition::function(Kind kind, std::vector<Operand> args) {
  Condition c;
  c.kind_ = kind;
  c.operands_ = std::move(args);
  return c;
}

namespace {

Condition join(Condition::Kind kind, std::vector<Condition> parts,
               Condition (*rebuild)(std::vector<Condition>)) {
  std::vector<Condition> flat;
  flat.reserve(parts.size());
  for (auto& part : parts) {
    if (part.empty()) continue;
    if (part.kind() == kind) {
      for (const auto& child : part.children()) flat.push_back(child);
    } else {
      flat.push_back(std::move(part));
    }
  }
  if (flat.empty()) return {};
  if (flat.size() == 1) return std::move(flat.front());
  return rebuild(std::move(flat));
}

}  // namespace

Condition Condition::all_of(std::vector<Condition> parts) {
  return join(Kind::all_of, std::move(parts), [](std::vector<Condition> flat) {
    Condition c;
    c.kind_ = Kind::all_of;
    c.children_ = std::move(flat);
    return c;
  });
}

Condition Condition::any_of(std::vector<Condition> parts) {
  return join(Kind::any_of, std::move(parts), [](std::vector<Condition> flat) {
    Condition c;
    c.kind_ = Kind::any_of;
    c.children_ = std::move(flat);
    return c;
  });
}

Condition Condition::negation(Condition inner) {
  if (inner.empty()) return inner;
  Condition c;
  c.kind_ = Kind::negation;
  c.children_.push_back(std::move(inner));
  return c;
}

Condition operator&&(Condition a, Condition b) {
  std::vector<Condition> parts;
  parts.reserve(2);
  parts.push_back(std::move(a));
  parts.push_back(std::move(b));
  return Condition::all_of(std::move(parts));
}

Condition operator||(Condition a, Condition b) {
  std::vector<Condition> parts;
  parts.reserve(2);
  parts.push_back(std::move(a));
  parts.push_back(std::move(b));
  return Condition::any_of(std::move(parts));
}

Condition operator!(Condition a) { return Condition::negation(std::move(a)); }

Condition& Condition::operator&=(Condition other) {
  *this = std::move(*this) && std::move(other);
  return *this;
}

Condition& Condition::operator|=(Condition other) {
  *this = std::move(*this) || std::move(other);
  return *this;
}

bool operator==(const Condition& a, const Condition& b) {
  return a.kind_ == b.kind_ && (a.kind_ != Condition::Kind::compare || a.op_ == b.op_) &&
         a.operands_ == b.operands_ && a.children_ == b.children_;
}

// ---------------------------------------------------------------- Update, Projection

std::string_view clause_name(UpdateAction::Kind kind) noexcept {
  switch (kind) {
    case UpdateAction::Kind::set: return "SET";
    case UpdateAction::Kind::remove: return "REMOVE";
    case UpdateAction::Kind::add: return "ADD";
    case UpdateAction::Kind::delete_elements: return "DELETE";
  }
  return "?";
}

bool operator==(const UpdateAction& a, const UpdateAction& b) {
  return a.kind == b.kind && a.target.elements() == b.target.elements() &&
         (a.kind == UpdateAction::Kind::remove || a.operand == b.operand);
}

Update::Update(std::initializer_list<UpdateAction> actions) {
  actions_.reserve(actions.size());
  for (const auto& action : actions) push_back(action);
}

Update& Update::push_back(UpdateAction action) {
  // Keep clauses grouped: insert after the last action of the same or an earlier clause.
  auto position = std::find_if(actions_.begin(), actions_.end(), [&](const UpdateAction& a) {
    return static_cast<int>(a.kind) > static_cast<int>(action.kind);
  });
  actions_.insert(position, std::move(action));
  return *this;
}

bool operator==(const Projection& a, const Projection& b) {
  return std::equal(a.paths_.begin(), a.paths_.end(), b.paths_.begin(), b.paths_.end(),
                    [](const Path& x, const Path& y) { return x.elements() == y.elements(); });
}

}  // namespace dynamo::expr
