// Typed conditions and updates render to the exact expressions PynamoDB's tables describe
// (pinned text and placeholders, sqlite_orm's serializer-test habit).
#include <gtest/gtest.h>

#include "dynamo/expr/render.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;
using dynamo::field;
using dynamo::expr::Placeholders;
using dynamo::expr::render;

std::string text(const dynamo::expr::Condition& c) {
  Placeholders ph;
  return render(c, ph);
}
std::string text(const dynamo::expr::Update& u) {
  Placeholders ph;
  return render(u, ph);
}

// Every row of the manual's condition table.
TEST(ModelExpressions, ConditionTable) {
  const auto views = field(&Thread::views);
  const auto subject = field(&Thread::subject);
  EXPECT_EQ(text(field(&Thread::forum_name) == "Some Forum"), "#n0 = :v0");
  EXPECT_EQ(text(field(&Thread::forum_name) != "Some Forum"), "#n0 <> :v0");
  EXPECT_EQ(text(views < 10), "#n0 < :v0");
  EXPECT_EQ(text(views <= 10), "#n0 <= :v0");
  EXPECT_EQ(text(views > 10), "#n0 > :v0");
  EXPECT_EQ(text(views >= 10), "#n0 >= :v0");
  EXPECT_EQ(text(views.between(1, 5)), "#n0 BETWEEN :v0 AND :v1");
  EXPECT_EQ(text(subject.is_in("Subject", "Other Subject")), "#n0 IN (:v0, :v1)");
  EXPECT_EQ(text(field(&Thread::forum_name).exists()), "attribute_exists(#n0)");
  EXPECT_EQ(text(field(&Thread::forum_name).does_not_exist()), "attribute_not_exists(#n0)");
  EXPECT_EQ(text(field(&Thread::forum_name).is_type()), "attribute_type(#n0, :v0)");
  EXPECT_EQ(text(subject.startswith("Example")), "begins_with(#n0, :v0)");
  EXPECT_EQ(text(subject.contains("foobar")), "contains(#n0, :v0)");
  EXPECT_EQ(text(dynamo::size(subject) == 10), "size(#n0) = :v0");
  EXPECT_EQ(text((views > 1) && (views < 5)), "#n0 > :v0 AND #n0 < :v1");
  EXPECT_EQ(text((views < 1) || (views > 5)), "#n0 < :v0 OR #n0 > :v1");
  EXPECT_EQ(text(!subject.contains("foobar")), "NOT contains(#n0, :v0)");
  EXPECT_EQ(text(field(&Thread::tags).contains("x")), "contains(#n0, :v0)");
}

// Every row of the manual's update table.
TEST(ModelExpressions, UpdateTable) {
  const auto views = field(&Thread::views);
  EXPECT_EQ(text({views.set(10)}), "SET #n0 = :v0");
  EXPECT_EQ(text({field(&Thread::notes)[0].remove()}), "REMOVE #n0[0]");
  EXPECT_EQ(text({field(&Thread::tags).add({"A New Subject", "Another New Subject"})}), "ADD #n0 :v0");
  EXPECT_EQ(text({field(&Thread::tags).remove_from_set({"An Old Subject"})}), "DELETE #n0 :v0");
  EXPECT_EQ(text({views.set(views + 5)}), "SET #n0 = #n0 + :v0");
  EXPECT_EQ(text({views.set(5 - views)}), "SET #n0 = :v0 - #n0");
  EXPECT_EQ(text({field(&Thread::notes).append({"my last note"})}), "SET #n0 = list_append(#n0, :v0)");
  EXPECT_EQ(text({field(&Thread::notes).prepend({"my first note"})}), "SET #n0 = list_append(:v0, #n0)");
  EXPECT_EQ(text({field(&Thread::forum_name).set(field(&Thread::forum_name) | "Default Forum Name")}),
            "SET #n0 = if_not_exists(#n0, :v0)");
}

// Values go through the attribute's converter: stored names, sets, utc_time text.
TEST(ModelExpressions, ValuesUseTheAttributesConverter) {
  Placeholders ph;
  const auto when = dynamo::parse_utc_time("2024-01-01T00:00:00.000000+0000");
  EXPECT_EQ(render(field(&Thread::thread_name) == "x" && field(&Thread::last_post_datetime) < when, ph),
            "#n0 = :v0 AND #n1 < :v1");
  EXPECT_EQ(ph.names()[0].second, "tn");
  EXPECT_EQ(ph.values()[1].second, dynamo::AttributeValue("2024-01-01T00:00:00.000000+0000"));
  Placeholders sets;
  (void)render(dynamo::expr::Update{field(&Thread::tags).add({"a", "b"})}, sets);
  EXPECT_EQ(sets.values()[0].second, dynamo::AttributeValue(dynamo::StringSet{"a", "b"}));
}

// Nested paths: declared map members, list elements, raw map members.
TEST(ModelExpressions, NestedPaths) {
  Placeholders ph;
  EXPECT_EQ(render(field(&Everything::car).field(&CarInfo::make) == "Make-A", ph), "#n0.#n1 = :v0");
  EXPECT_EQ(render(field(&Everything::cars)[1].field(&CarInfo::model).exists(), ph), "attribute_exists(#n2[1].#n3)");
  EXPECT_EQ(render(field(&Everything::raw_map)["foo"].exists() || field(&Everything::untyped_list)[0].contains("bar"), ph),
            "attribute_exists(#n4.#n5) OR contains(#n6[0], :v1)");
  EXPECT_EQ(render(field(&Everything::typed_list)[2] > 3, ph), "#n7[2] > :v2");
}

// Typed and untyped conditions combine, and the empty condition is the identity.
TEST(ModelExpressions, ChainingFromEmpty) {
  dynamo::expr::Condition condition;
  condition &= field(&Thread::views) > 1;
  condition &= dynamo::expr::path("other") == 2;
  EXPECT_EQ(text(condition), "#n0 > :v0 AND #n1 = :v1");
}

}  // namespace
