// Random expression trees for the property and robustness tests: conditions, updates and
// projections that DynamoDB would accept, over a small pool of names (reserved words, dots
// and spaces included, since the renderer must make them all safe) and values of every type.
#pragma once

#include <random>
#include <string>
#include <vector>

#include "dynamo/expr.hpp"

namespace dynamo::expr::testing {

class RandomExpressions {
 public:
  explicit RandomExpressions(unsigned seed) : rng_(seed) {}

  int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  bool coin() { return pick(2) == 0; }

  std::string name() {
    static const char* const names[] = {"a", "b", "views", "size", "name", "a.b", "x y", "tags", "Status", "n1"};
    return names[pick(10)];
  }

  Path random_path() {
    Path p = path(name());
    const int steps = pick(3);
    for (int i = 0; i < steps; ++i) p = coin() ? p.field(name()) : p.index(static_cast<std::size_t>(pick(4)));
    return p;
  }

  Number number() { return Number(pick(2001) - 1000) + Number::parse(coin() ? "0" : "0.25"); }

  AttributeValue scalar() {
    switch (pick(5)) {
      case 0: return AttributeValue(std::string(static_cast<std::size_t>(pick(4)), static_cast<char>('a' + pick(3))));
      case 1: return AttributeValue(number());
      case 2: return AttributeValue(Binary{static_cast<std::uint8_t>(pick(256))});
      case 3: return AttributeValue(coin());
      default: return AttributeValue(Null{});
    }
  }

  AttributeValue orderable() {
    switch (pick(3)) {
      case 0: return AttributeValue(std::string(static_cast<std::size_t>(pick(4)), static_cast<char>('a' + pick(3))));
      case 1: return AttributeValue(number());
      default: return AttributeValue(Binary{static_cast<std::uint8_t>(pick(256))});
    }
  }

  AttributeValue any_value(int depth = 0) {
    switch (depth > 1 ? 0 : pick(6)) {
      case 1: return AttributeValue(StringSet{"x", std::string(1, static_cast<char>('a' + pick(3)))});
      case 2: return AttributeValue(NumberSet{number(), Number(1)});
      case 3: {
        List list;
        for (int i = pick(3); i > 0; --i) list.push_back(any_value(depth + 1));
        return AttributeValue(std::move(list));
      }
      case 4: return AttributeValue(AttributeMap{{name(), any_value(depth + 1)}});
      default: return scalar();
    }
  }

  Condition leaf() {
    Path p = random_path();
    static constexpr Comparator ops[] = {Comparator::eq, Comparator::ne, Comparator::lt,
                                         Comparator::le, Comparator::gt, Comparator::ge};
    switch (pick(10)) {
      case 0: {
        // <, <=, >, >= take a string, number or binary value: DynamoDB refuses others.
        const Comparator op = ops[pick(6)];
        const bool ordering = op != Comparator::eq && op != Comparator::ne;
        return compare(p, op, ordering ? orderable() : any_value());
      }
      case 1: {
        Path q = random_path();
        if (q.elements() == p.elements()) q = q.field("other");
        return compare(p, ops[pick(6)], q);
      }
      case 2: {
        const Number lo = number();
        return p.between(lo, lo + Number(pick(10)));
      }
      case 3: {
        std::vector<Operand> candidates;
        for (int i = pick(5) + 1; i > 0; --i) candidates.emplace_back(any_value());
        return p.is_in(std::move(candidates));
      }
      case 4: return p.exists();
      case 5: return p.does_not_exist();
      case 6: return p.is_type(static_cast<Type>(pick(10)));
      case 7: return p.begins_with(coin() ? AttributeValue("a") : AttributeValue(Binary{1}));
      case 8: return p.contains(any_value());
      default: return compare(size(p), ops[pick(6)], AttributeValue(Number(pick(5))));
    }
  }

  Condition condition(int depth = 0) {
    if (depth >= 3 || pick(3) == 0) return leaf();
    switch (pick(3)) {
      case 0: return condition(depth + 1) && condition(depth + 1);
      case 1: return condition(depth + 1) || condition(depth + 1);
      default: return !condition(depth + 1);
    }
  }

  // Actions on distinct top-level attributes, so that no two paths overlap.
  Update update() {
    static const char* const tops[] = {"u0", "u1", "size", "u.3", "u 4", "u5"};
    Update u;
    const int count = pick(5) + 1;
    for (int i = 0; i < count; ++i) {
      Path target = path(tops[i]);
      if (coin()) target = target.field(name());
      switch (pick(4)) {
        case 0: u.push_back(target.set(set_operand(target))); break;
        case 1: u.push_back(target.remove()); break;
        case 2: u.push_back(target.add(coin() ? AttributeValue(number()) : AttributeValue(StringSet{"s"}))); break;
        default: u.push_back(target.remove_from_set(AttributeValue(NumberSet{number()}))); break;
      }
    }
    return u;
  }

  Operand set_operand(const Path& target) {
    switch (pick(6)) {
      case 0: return any_value();
      case 1: return random_path();
      case 2: return target + AttributeValue(number());
      case 3: return value(number()) - random_path();
      case 4: return list_append(target, AttributeValue(List{scalar()}));
      default: return if_not_exists(target, any_value());
    }
  }

  Projection projection() {
    static const char* const tops[] = {"p0", "p1", "size", "p.3"};
    Projection p;
    for (int i = pick(4); i >= 0; --i) {
      Path q = path(tops[i]);
      if (coin()) q = q.field(name());
      if (coin()) q = q.index(static_cast<std::size_t>(pick(3)));
      p.push_back(q);
    }
    return p;
  }

  // An item over the same names, so that conditions find something to compare.
  Item item() {
    Item result;
    for (const char* n : {"a", "b", "views", "size", "name", "a.b", "x y", "tags", "Status", "n1", "u0", "u1"}) {
      if (pick(4) == 0) continue;
      if (coin()) {
        result.insert_or_assign(n, any_value());
      } else {
        AttributeMap nested;
        for (int i = pick(3); i > 0; --i) nested.insert_or_assign(name(), any_value());
        List list{any_value(), AttributeValue(std::move(nested)), scalar()};
        result.insert_or_assign(n, coin() ? AttributeValue(std::move(list)) : AttributeValue(AttributeMap{{name(), AttributeValue(std::move(list))}}));
      }
    }
    return result;
  }

 private:
  std::mt19937 rng_;
};

// ExpressionAttributes holding what a Placeholders context allocated.
inline ExpressionAttributes attributes_of(const Placeholders& ph) {
  ExpressionAttributes attrs;
  for (const auto& [key, name] : ph.names()) attrs.add_name(key, name);
  for (const auto& [key, v] : ph.values()) attrs.add_value(key, v);
  return attrs;
}

}  // namespace dynamo::expr::testing
