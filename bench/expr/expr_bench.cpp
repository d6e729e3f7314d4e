// Expression throughput: render (client side) and parse / evaluate (engine side) of the
// expressions a typical request carries — a conditional update with four actions, and a
// Query's key condition + filter + projection sharing one placeholder context.
//
//   build-expr/bench/expr/expr_bench --benchmark_min_time=1
#include <benchmark/benchmark.h>

#include <string>

#include "dynamo/expr.hpp"

namespace {

using namespace dynamo::expr;

Update typical_update() {
  return Update{
      path("views").set(path("views") + 1),
      path("last_post").set("2026-11-21T10:00:00Z"),
      path("notes").append(dynamo::List{"a new note"}),
      path("tags").add(dynamo::StringSet{"hot"}),
  };
}

Condition typical_condition() { return path("views") < 100 && path("forum").exists(); }

Condition typical_filter() {
  return path("views") > 10 && path("tags").contains("c++") &&
         (path("status").is_in({"open", "pinned"}) || !path("locked").exists()) &&
         size(path("subject")) <= 120;
}

// Builds and renders a conditional update (update + condition, one placeholder context).
void BM_RenderUpdate(benchmark::State& state) {
  const Update update = typical_update();
  const Condition condition = typical_condition();
  std::size_t bytes = 0;
  for (auto _ : state) {
    Placeholders ph;
    std::string u = render(update, ph);
    std::string c = render(condition, ph);
    bytes += u.size() + c.size();
    benchmark::DoNotOptimize(u);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_RenderUpdate);

// Renders a Query's key condition, filter and projection.
void BM_RenderQuery(benchmark::State& state) {
  const Condition key = path("forum") == "C++" && path("subject").begins_with("M");
  const Condition filter = typical_filter();
  const Projection projection{path("forum"), path("subject"), path("views"), path("meta").field("tags")[0]};
  std::size_t bytes = 0;
  for (auto _ : state) {
    Placeholders ph;
    std::string k = render(key, ph);
    std::string f = render(filter, ph);
    std::string p = render(projection, ph);
    bytes += k.size() + f.size() + p.size();
    benchmark::DoNotOptimize(k);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_RenderQuery);

struct Rendered {
  std::string update;
  std::string condition;
  std::string filter;
  Placeholders placeholders;
};

Rendered rendered() {
  Rendered r;
  r.update = render(typical_update(), r.placeholders);
  r.condition = render(typical_condition(), r.placeholders);
  r.filter = render(typical_filter(), r.placeholders);
  return r;
}

ExpressionAttributes attributes_of(const Placeholders& ph) {
  ExpressionAttributes attrs;
  for (const auto& [key, name] : ph.names()) attrs.add_name(key, name);
  for (const auto& [key, v] : ph.values()) attrs.add_value(key, v);
  return attrs;
}

// Engine side of UpdateItem: parse update + condition, resolve placeholders, check usage.
void BM_ParseUpdate(benchmark::State& state) {
  const Rendered r = rendered();
  for (auto _ : state) {
    ExpressionAttributes attrs = attributes_of(r.placeholders);
    Update u = parse_update(r.update, attrs);
    Condition c = parse_condition(r.condition, attrs);
    benchmark::DoNotOptimize(u);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(r.update.size() + r.condition.size()));
}
BENCHMARK(BM_ParseUpdate);

// Engine side of a Scan's filter: parse once.
void BM_ParseFilter(benchmark::State& state) {
  const Rendered r = rendered();
  for (auto _ : state) {
    ExpressionAttributes attrs = attributes_of(r.placeholders);
    Condition c = parse_condition(r.filter, attrs, ExpressionKind::filter);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(r.filter.size()));
}
BENCHMARK(BM_ParseFilter);

dynamo::Item typical_item() {
  return dynamo::Item{
      {"forum", "C++"},
      {"subject", "Modules in practice"},
      {"views", 42},
      {"status", "open"},
      {"tags", dynamo::StringSet{"c++", "modules", "build"}},
      {"notes", dynamo::List{"first"}},
      {"last_post", "2026-11-20T09:00:00Z"},
  };
}

// Evaluates the filter on one item (what a Scan does per item read).
void BM_EvaluateFilter(benchmark::State& state) {
  const Condition filter = typical_filter();
  const dynamo::Item item = typical_item();
  for (auto _ : state) benchmark::DoNotOptimize(evaluate(filter, item));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_EvaluateFilter);

// Applies the typical update to one item (copy included).
void BM_ApplyUpdate(benchmark::State& state) {
  const Update update = typical_update();
  const dynamo::Item item = typical_item();
  for (auto _ : state) {
    dynamo::Item result = apply_update(update, item);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ApplyUpdate);

}  // namespace

BENCHMARK_MAIN();
