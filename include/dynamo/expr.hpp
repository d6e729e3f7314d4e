// The expression layer in one include: paths, conditions, updates, projections; rendering
// with placeholders (client side); parsing, key-condition analysis and evaluation (engine).
//
//   using namespace dynamo::expr;
//   Placeholders ph;
//   std::string update = render(Update{path("views").set(path("views") + 1)}, ph);
//   std::string condition = render(path("views") < 100, ph);
//   // update == "SET #n0 = #n0 + :v0", condition == "#n0 < :v1"
#pragma once

#include "dynamo/expr/condition.hpp"
#include "dynamo/expr/evaluate.hpp"
#include "dynamo/expr/key_condition.hpp"
#include "dynamo/expr/operand.hpp"
#include "dynamo/expr/parse.hpp"
#include "dynamo/expr/path.hpp"
#include "dynamo/expr/projection.hpp"
#include "dynamo/expr/render.hpp"
#include "dynamo/expr/reserved_words.hpp"
#include "dynamo/expr/update.hpp"
