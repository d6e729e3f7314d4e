// Pins the exact expression text and placeholder maps the renderer produces for each way of
// building a condition, update and projection (sqlite_orm-style serializer tests).
#include <gtest/gtest.h>

#include <sstream>

#include "dynamo/expr.hpp"

namespace {

using namespace dynamo::expr;
using dynamo::AttributeValue;

std::string text(const Condition& c) {
  Placeholders ph;
  return render(c, ph);
}
std::string text(const Update& u) {
  Placeholders ph;
  return render(u, ph);
}

// Every comparison operator renders with DynamoDB's spelling and placeholders on both sides.
TEST(Render, Comparisons) {
  EXPECT_EQ(text(path("forum") == "Some Forum"), "#n0 = :v0");
  EXPECT_EQ(text(path("forum") != "Some Forum"), "#n0 <> :v0");
  EXPECT_EQ(text(path("views") < 10), "#n0 < :v0");
  EXPECT_EQ(text(path("views") <= 10), "#n0 <= :v0");
  EXPECT_EQ(text(path("views") > 10), "#n0 > :v0");
  EXPECT_EQ(text(path("views") >= 10), "#n0 >= :v0");
  EXPECT_EQ(text(path("a") == path("b")), "#n0 = #n1");
}

// BETWEEN, IN and every function of PynamoDB's condition table.
TEST(Render, OperatorsAndFunctions) {
  EXPECT_EQ(text(path("views").between(1, 5)), "#n0 BETWEEN :v0 AND :v1");
  EXPECT_EQ(text(path("subject").is_in({"Subject", "Other Subject"})), "#n0 IN (:v0, :v1)");
  EXPECT_EQ(text(path("forum").exists()), "attribute_exists(#n0)");
  EXPECT_EQ(text(path("forum").does_not_exist()), "attribute_not_exists(#n0)");
  EXPECT_EQ(text(path("forum").is_type(dynamo::Type::string)), "attribute_type(#n0, :v0)");
  EXPECT_EQ(text(path("subject").startswith("Example")), "begins_with(#n0, :v0)");
  EXPECT_EQ(text(path("subject").contains("foobar")), "contains(#n0, :v0)");
  EXPECT_EQ(text(size(path("subject")) == 10), "size(#n0) = :v0");
}

// AND/OR/NOT nest with parentheses only where precedence needs them.
TEST(Render, LogicalOperatorsParenthesiseOnlyWhenNeeded) {
  const auto a = path("views") > 1;
  const auto b = path("views") < 5;
  const auto c = path("subject").contains("x");
  EXPECT_EQ(text(a && b), "#n0 > :v0 AND #n0 < :v1");
  EXPECT_EQ(text(a || b), "#n0 > :v0 OR #n0 < :v1");
  EXPECT_EQ(text((a || b) && c), "(#n0 > :v0 OR #n0 < :v1) AND contains(#n1, :v2)");
  EXPECT_EQ(text((a && b) || c), "#n0 > :v0 AND #n0 < :v1 OR contains(#n1, :v2)");
  EXPECT_EQ(text(!c), "NOT contains(#n0, :v0)");
  EXPECT_EQ(text(!(a && b)), "NOT (#n0 > :v0 AND #n0 < :v1)");
  EXPECT_EQ(text(!!c), "NOT (NOT contains(#n0, :v0))");
  EXPECT_EQ(text(a && b && c), "#n0 > :v0 AND #n0 < :v1 AND contains(#n1, :v2)");
}

// The empty condition is the identity of && and ||, as PynamoDB's `condition &= ...` from None.
TEST(Render, EmptyConditionIsIdentity) {
  Condition filter;
  EXPECT_EQ(text(filter), "");
  filter &= path("name") == "Ann";
  EXPECT_EQ(filter, (path("name") == "Ann"));
  filter &= path("age") >= 18;
  EXPECT_EQ(text(filter), "#n0 = :v0 AND #n1 >= :v1");
  EXPECT_EQ(Condition{} || Condition{}, Condition{});
  EXPECT_TRUE((!Condition{}).empty());
}

// Nested paths: every name is a placeholder, list indexes stay literal, a dotted or reserved
// name is one element.
TEST(Render, Paths) {
  Placeholders ph;
  EXPECT_EQ(render(path("a").field("b").index(3).field("c"), ph), "#n0.#n1[3].#n2");
  EXPECT_EQ(render(Path::parse("a.b[3].c"), ph), "#n0.#n1[3].#n2");
  EXPECT_EQ(render(path("x.y"), ph), "#n3");
  EXPECT_EQ(render(path("size"), ph), "#n4");
  ASSERT_EQ(ph.names().size(), 5u);
  EXPECT_EQ(ph.names()[3], (std::pair<std::string, std::string>{"#n3", "x.y"}));
}

// Each update action of PynamoDB's table renders in its clause; clauses come in a fixed order.
TEST(Render, UpdateActions) {
  EXPECT_EQ(text(Update{path("views").set(10)}), "SET #n0 = :v0");
  EXPECT_EQ(text(Update{path("notes")[0].remove()}), "REMOVE #n0[0]");
  EXPECT_EQ(text(Update{path("subjects").add(dynamo::StringSet{"A", "B"})}), "ADD #n0 :v0");
  EXPECT_EQ(text(Update{path("subjects").remove_from_set(dynamo::StringSet{"A"})}), "DELETE #n0 :v0");
  EXPECT_EQ(text(Update{path("views").set(path("views") + 5)}), "SET #n0 = #n0 + :v0");
  EXPECT_EQ(text(Update{path("views").set(value(5) - path("views"))}), "SET #n0 = :v0 - #n0");
  EXPECT_EQ(text(Update{path("notes").append(dynamo::List{"last"})}), "SET #n0 = list_append(#n0, :v0)");
  EXPECT_EQ(text(Update{path("notes").prepend(dynamo::List{"first"})}), "SET #n0 = list_append(:v0, #n0)");
  EXPECT_EQ(text(Update{path("forum").set_if_not_exists("Default")}), "SET #n0 = if_not_exists(#n0, :v0)");
  EXPECT_EQ(text(Update{path("a").remove(), path("b").set(1), path("c").add(2), path("d").set(3)}),
            "SET #n0 = :v0, #n1 = :v1 REMOVE #n2 ADD #n3 :v2");
}

// Equal values share one placeholder; names and values are numbered in order of first use,
// and one context serves several expressions of a request.
TEST(Render, SharedPlaceholders) {
  Placeholders ph;
  const std::string update = render(Update{path("a").set(1), path("b").set(dynamo::Number::parse("1.0"))}, ph);
  const std::string condition = render(path("a") < 1 && path("c") == "x", ph);
  const std::string projection = render(Projection{path("c"), path("a")}, ph);
  EXPECT_EQ(update, "SET #n0 = :v0, #n1 = :v0");
  EXPECT_EQ(condition, "#n0 < :v0 AND #n2 = :v1");
  EXPECT_EQ(projection, "#n2, #n0");
  ASSERT_EQ(ph.values().size(), 2u);
  EXPECT_EQ(ph.values()[0].first, ":v0");
  EXPECT_EQ(ph.values()[0].second, AttributeValue(1));
  EXPECT_EQ(ph.values()[1].second, AttributeValue("x"));
  EXPECT_EQ(ph.names().size(), 3u);
}

// Rendering the same tree twice gives the same text (no hash-order dependence).
TEST(Render, Deterministic) {
  const auto c = path("z").exists() && path("y").is_in({3, 2, 1}) && path("x") == path("w");
  EXPECT_EQ(text(c), text(c));
  EXPECT_EQ(text(c), "attribute_exists(#n0) AND #n1 IN (:v0, :v1, :v2) AND #n2 = #n3");
}

// A tree DynamoDB cannot express is refused with a ValidationException, not rendered wrongly.
TEST(Render, RejectsInexpressibleTrees) {
  Placeholders ph;
  EXPECT_THROW((void)render(Path{}, ph), dynamo::Error);
  EXPECT_THROW((void)render(Update{path("a").add(path("b"))}, ph), dynamo::Error);
}

// Path::parse is the schemaless shorthand and rejects malformed text.
TEST(Render, PathParse) {
  EXPECT_EQ(Path::parse("a.b[3].c").elements(), path("a").field("b").index(3).field("c").elements());
  EXPECT_EQ(Path::parse("l[0][1]").to_string(), "l[0][1]");
  EXPECT_EQ(Path::parse("a.b[3]").to_error_string(), "[a, b, [3]]");
  for (const char* bad : {"", ".a", "a.", "a..b", "a[", "a[x]", "a[1", "a]"}) {
    EXPECT_THROW((void)Path::parse(bad), dynamo::Error) << bad;
  }
}

}  // namespace

namespace {

// describe() writes names and values in place, for people: strings quoted (and escaped),
// numbers and booleans bare, containers and sets in a compact literal form, binary by size.
TEST(Describe, ConditionsAndUpdatesReadAsWritten) {
  EXPECT_EQ(describe(path("views") > 10 && path("subject").startswith("M")),
            R"(views > 10 AND begins_with(subject, "M"))");
  EXPECT_EQ(describe(path("forum").exists() || !(path("a").index(2).field("b") == "say \"hi\"\n")),
            R"(attribute_exists(forum) OR NOT a[2].b = "say \"hi\"\u000a")");
  EXPECT_EQ(describe(path("tags").contains("x") && path("n").is_in({value(1), value(3)})), R"(contains(tags, "x") AND n IN (1, 3))");
  EXPECT_EQ(describe(path("m") == AttributeValue(dynamo::AttributeMap{{"k", AttributeValue(true)}, {"l", AttributeValue(dynamo::List{AttributeValue(dynamo::Null{})})}})),
            "m = {k: true, l: [null]}");
  EXPECT_EQ(describe(Update{path("views").set(path("views") + 1), path("tags").add(dynamo::StringSet{"b", "a"}),
                            path("old").remove()}),
            R"(SET views = views + 1 REMOVE old ADD tags <<"a", "b">>)");
  EXPECT_EQ(describe(Condition{}), "");
  std::ostringstream out;
  out << (path("bin") == AttributeValue(dynamo::Binary(std::string("abc"))));
  EXPECT_EQ(out.str(), "bin = <3 bytes>");
}

// A tree that cannot be rendered is described, not thrown.
TEST(Describe, UnrenderableTreeSaysWhy) {
  const std::string text = describe(Path{} == 1);
  EXPECT_EQ(text.rfind("<condition that cannot be rendered: ", 0), 0u) << text;
}

}  // namespace
