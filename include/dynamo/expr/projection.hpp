// dynamo::expr::Projection — the attributes a read returns (ProjectionExpression).
//
//   using namespace dynamo::expr;
//   Projection p{path("forum"), path("meta").field("tags")[0]};   // "#n0, #n1.#n2[0]"
//   dynamo::Item slim = project(p, item);                         // evaluate.hpp
#pragma once

#include <initializer_list>
#include <vector>

#include "dynamo/expr/path.hpp"

namespace dynamo::expr {

class Projection {
 public:
  Projection() = default;
  Projection(std::initializer_list<Path> paths) : paths_(paths) {}
  explicit Projection(std::vector<Path> paths) : paths_(std::move(paths)) {}

  Projection& push_back(Path p) {
    paths_.push_back(std::move(p));
    return *this;
  }
  [[nodiscard]] const std::vector<Path>& paths() const noexcept { return paths_; }
  [[nodiscard]] bool empty() const noexcept { return paths_.empty(); }

  // Same paths in the same order.
  friend bool operator==(const Projection& a, const Projection& b);

 private:
  std::vector<Path> paths_;
};

}  // namespace dynamo::expr
