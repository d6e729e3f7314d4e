// libFuzzer target for the PartiQL parser.
//
// The first byte says how many `?` parameters the statement gets (0 to 3, from a fixed
// list); the rest is the statement. Any input must parse or throw dynamo::Error — never
// crash, hang or throw anything else. When it parses, parsing again gives the same
// statement, and rendering its conditions and updates (what the engine sends on to its
// operations) and evaluating its conditions on a sample item may only throw dynamo::Error.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "dynamo/expr.hpp"
#include "partiql/statement.hpp"

namespace {

using namespace dynamo;

const Item& sample_item() {
  static const Item item{
      {"pk", "a"},
      {"n", 5},
      {"m", AttributeMap{{"l", List{1, "x", StringSet{"x"}}}}},
      {"s", StringSet{"x", "y"}},
  };
  return item;
}

void exercise(const expr::Condition& c) {
  expr::Placeholders ph;
  (void)expr::render(c, ph);
  (void)expr::evaluate(c, sample_item());
}

void exercise(const partiql::Statement& statement) {
  if (const auto* s = std::get_if<partiql::Select>(&statement)) {
    exercise(s->where);
    expr::Placeholders ph;
    (void)expr::render(s->projection, ph);
  } else if (const auto* u = std::get_if<partiql::Update>(&statement)) {
    exercise(u->where);
    expr::Placeholders ph;
    (void)expr::render(u->actions, ph);
    (void)expr::apply_update(u->actions, sample_item(), std::vector<std::string>{"pk"});
  } else if (const auto* d = std::get_if<partiql::Delete>(&statement)) {
    exercise(d->where);
  } else if (const auto* e = std::get_if<partiql::Exists>(&statement)) {
    exercise(e->select.where);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  static const std::vector<AttributeValue> all{AttributeValue("p"), AttributeValue(7), AttributeValue(StringSet{"z"})};
  const std::span<const AttributeValue> parameters(all.data(), data[0] % 4);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    const partiql::Statement statement = partiql::parse(text, parameters);
    if (!(partiql::parse(text, parameters) == statement)) std::abort();
    exercise(statement);
  } catch (const Error&) {
  }
  return 0;
}
