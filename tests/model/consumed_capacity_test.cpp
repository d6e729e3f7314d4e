// The capacity a single-item model call consumed, asked for per call with
// GetOptions/WriteOptions::consumed_capacity (PynamoDB's per-call consumed capacity): the
// units DynamoDB documents for a small item, on every backend.
#include <gtest/gtest.h>

#include "model/backend_fixture.hpp"
#include "model/models.hpp"

namespace {

using dynamo::field;
using model_test::Thread;

class ModelCapacity : public model_test::BackendTest {};

// The table's share of what a call consumed.
double table_units(const dynamo::api::ConsumedCapacity& consumed) {
  return consumed.table ? consumed.table->capacity_units.value_or(0) : consumed.capacity_units.value_or(0);
}

TEST_P(ModelCapacity, EachSingleItemCallReportsWhatItConsumed) {
  auto threads = fresh<Thread>();
  Thread thread{.forum_name = "F", .subject = "capacity", .views = 1};

  dynamo::api::ConsumedCapacity consumed;
  threads.save(thread, {}, {.consumed_capacity = &consumed});
  EXPECT_EQ(consumed.table_name, "Thread");
  EXPECT_DOUBLE_EQ(table_units(consumed), 1.0);  // one write unit: an item under 1 KB
  EXPECT_GE(consumed.capacity_units.value_or(0), 1.0);

  consumed = {};
  (void)threads.get({"F", "capacity"}, {.consumed_capacity = &consumed});
  EXPECT_DOUBLE_EQ(consumed.capacity_units.value_or(0), 0.5);  // eventually consistent: half a unit
  (void)threads.get({"F", "capacity"}, {.consistent_read = true, .consumed_capacity = &consumed});
  EXPECT_DOUBLE_EQ(consumed.capacity_units.value_or(0), 1.0);
  threads.refresh(thread, {.consistent_read = true, .consumed_capacity = &consumed});
  EXPECT_DOUBLE_EQ(consumed.capacity_units.value_or(0), 1.0);

  consumed = {};
  threads.update(thread, {field(&Thread::views).add(1)}, {}, {.consumed_capacity = &consumed});
  EXPECT_DOUBLE_EQ(table_units(consumed), 1.0);
  consumed = {};
  (void)threads.update({"F", "capacity"}, {field(&Thread::views).add(1)}, {}, {.consumed_capacity = &consumed});
  EXPECT_DOUBLE_EQ(table_units(consumed), 1.0);

  consumed = {};
  threads.remove(thread, {}, {.consumed_capacity = &consumed});
  EXPECT_DOUBLE_EQ(table_units(consumed), 1.0);
}

// A write refused by its condition consumed capacity that the error does not carry: the
// result is empty rather than what an earlier call left there.
TEST_P(ModelCapacity, AFailedWriteLeavesNoStaleFigure) {
  auto threads = fresh<Thread>();
  dynamo::api::ConsumedCapacity consumed;
  threads.save(Thread{.forum_name = "F", .subject = "s"}, {}, {.consumed_capacity = &consumed});
  ASSERT_TRUE(consumed.capacity_units.has_value());
  EXPECT_THROW(threads.save(Thread{.forum_name = "F", .subject = "s"}, field(&Thread::views) == 99,
                            {.consumed_capacity = &consumed}),
               dynamo::PutError);
  EXPECT_EQ(consumed, dynamo::api::ConsumedCapacity{});
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelCapacity, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

}  // namespace
