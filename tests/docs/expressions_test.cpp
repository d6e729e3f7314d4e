// docs/expressions.md's code, compiled and run. ExpressionsPage.PageShowsOnlyCodeFromHere
// checks that every C++ block of the page appears below, so a snippet cannot change in the
// page without this file changing too.
#include <gtest/gtest.h>

#include <cstdint>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "docs/snippets.hpp"

// The page's opening block.
#include <dynamo/expr.hpp>
using namespace dynamo::expr;

namespace expressions_page {

// "Conditions": the chained filter, as a function of what the caller asked for.
Condition conditions(const std::optional<std::string>& name, const std::optional<std::int64_t>& age) {
  Condition c = (path("views") > 1 && path("views") < 5) || !path("subject").contains("x");

  Condition filter;                         // empty: true, and the identity of && and ||
  if (name) filter &= path("name") == *name;  // PynamoDB's `condition &= ...` chaining
  if (age)  filter &= path("age") >= *age;

  return c && filter;
}

// "Updates"
Update updates() {
  Update u{
      path("views").set(10),                                // SET views = :v
      path("views").set(path("views") + 5),                 // SET views = views + :v
      path("views").set(value(5) - path("views")),          // SET views = :v - views
      path("notes").append(dynamo::List{"my last note"}),   // SET notes = list_append(notes, :v)
      path("notes").prepend(dynamo::List{"my first note"}), // SET notes = list_append(:v, notes)
      path("forum").set_if_not_exists("Default"),           // SET forum = if_not_exists(forum, :v)
      path("notes")[0].remove(),                            // REMOVE notes[0]
      path("subjects").add(dynamo::StringSet{"New"}),       // ADD subjects :v (numbers or sets)
      path("subjects").remove_from_set(dynamo::StringSet{"Old"}),  // DELETE subjects :v
  };
  return u;
}

// "Evaluating (engine side)"
struct Evaluated {
  bool ok;
  dynamo::Item after;
  dynamo::Item slim;
};
Evaluated evaluating(const Condition& condition, const Update& update, const Projection& projection,
                     const dynamo::Item& item, const std::vector<std::string>& key_names) {
  bool ok = evaluate(condition, item);        // the empty condition is true
  dynamo::Item after = apply_update(update, item, key_names);   // throws on invalid updates
  dynamo::Item slim = project(projection, item);
  return {ok, after, slim};
}

}  // namespace expressions_page

namespace {

using namespace expressions_page;

TEST(ExpressionsPage, Paths) {
  Path p = path("meta").field("tags").index(3);   // meta.tags[3]
  Path q = Path::parse("meta.tags[3]");           // the same path, parsed from text
  Path r = path("a.b");                           // ONE attribute whose name is "a.b"

  EXPECT_EQ(p.elements(), q.elements());
  EXPECT_EQ(p.size(), 3U);
  EXPECT_EQ(r.size(), 1U);
  EXPECT_EQ(Path::parse("a.b").size(), 2U);
  Placeholders ph;
  EXPECT_EQ(render(r, ph), "#n0");
  EXPECT_EQ(ph.names(), (std::vector<std::pair<std::string, std::string>>{{"#n0", "a.b"}}));
}

TEST(ExpressionsPage, Conditions) {
  const dynamo::Item item{{"views", 3}, {"subject", "abc"}, {"name", "ada"}, {"age", 40}};
  EXPECT_TRUE(evaluate(conditions(std::nullopt, std::nullopt), item));
  EXPECT_TRUE(evaluate(conditions("ada", 30), item));
  EXPECT_FALSE(evaluate(conditions("bob", std::nullopt), item));
  EXPECT_FALSE(evaluate(conditions(std::nullopt, 41), item));
  EXPECT_EQ(describe(conditions("ada", std::nullopt)),
            R"((views > 1 AND views < 5 OR NOT contains(subject, "x")) AND name = "ada")");

  // A built tree and a parsed tree compare equal; AND is flattened.
  ExpressionAttributes attrs;
  attrs.add_name("#a", "a");
  attrs.add_name("#b", "b");
  attrs.add_name("#c", "c");
  attrs.add_value(":one", dynamo::AttributeValue(1));
  EXPECT_EQ(parse_condition("#a = :one AND #b = :one AND #c = :one", attrs, ExpressionKind::condition),
            path("a") == 1 && path("b") == 1 && path("c") == 1);
}

TEST(ExpressionsPage, Updates) {
  Placeholders ph;
  EXPECT_EQ(render(updates(), ph),
            "SET #n0 = :v0, #n0 = #n0 + :v1, #n0 = :v1 - #n0, #n1 = list_append(#n1, :v2), "
            "#n1 = list_append(:v3, #n1), #n2 = if_not_exists(#n2, :v4) REMOVE #n1[0] ADD #n3 :v5 DELETE #n3 :v6");
}

TEST(ExpressionsPage, Rendering) {
  Placeholders ph;                                     // one per request
  std::string update    = render(Update{path("views").set(path("views") + 1)}, ph);
  std::string condition = render(path("views") < 100, ph);
  // update    == "SET #n0 = #n0 + :v0"
  // condition == "#n0 < :v1"
  // ph.names()  == {{"#n0", "views"}}
  // ph.values() == {{":v0", N 1}, {":v1", N 100}}

  EXPECT_EQ(update, "SET #n0 = #n0 + :v0");
  EXPECT_EQ(condition, "#n0 < :v1");
  EXPECT_EQ(ph.names(), (std::vector<std::pair<std::string, std::string>>{{"#n0", "views"}}));
  EXPECT_EQ(ph.values(), (std::vector<std::pair<std::string, dynamo::AttributeValue>>{{":v0", 1}, {":v1", 100}}));
  Placeholders empty;
  EXPECT_EQ(render(Condition{}, empty), "");
  EXPECT_EQ(render(Update{}, empty), "");
}

TEST(ExpressionsPage, Describing) {
  testing::internal::CaptureStdout();
  std::string text = describe(path("views") > 10 && path("subject").startswith("M"));
  // views > 10 AND begins_with(subject, "M")
  std::cout << Update{path("views").set(path("views") + 1), path("tags").add(dynamo::StringSet{"a"})};
  // SET views = views + 1 ADD tags <<"a">>
  EXPECT_EQ(testing::internal::GetCapturedStdout(), R"(SET views = views + 1 ADD tags <<"a">>)");
  EXPECT_EQ(text, R"(views > 10 AND begins_with(subject, "M"))");
}

TEST(ExpressionsPage, Parsing) {
  ExpressionAttributes attrs;                 // the request's ExpressionAttributeNames/Values
  attrs.add_name("#f", "forum");
  attrs.add_value(":v", dynamo::AttributeValue("C++"));
  Condition c = parse_condition("#f = :v", attrs, ExpressionKind::condition);
  Update u = parse_update("SET #f = :v", attrs);
  attrs.check_all_used();                     // once every expression of the request is parsed

  EXPECT_EQ(c, path("forum") == "C++");
  EXPECT_EQ(u, Update{path("forum").set("C++")});

  ExpressionAttributes unused;
  unused.add_name("#f", "forum");
  unused.add_value(":v", dynamo::AttributeValue("C++"));
  unused.add_value(":a", dynamo::AttributeValue(1));
  (void)parse_condition("#f = :v", unused, ExpressionKind::condition);
  try {
    unused.check_all_used();
    ADD_FAILURE() << "an unused value was accepted";
  } catch (const dynamo::Error& e) {
    EXPECT_EQ(e.code(), "ValidationException");
    EXPECT_STREQ(e.what(), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:a}");
  }
}

TEST(ExpressionsPage, Evaluating) {
  const dynamo::Item item{{"forum", "C++"}, {"subject", "Modules"}, {"views", 3}, {"notes", dynamo::List{"a", "b"}}};
  const Evaluated result = evaluating(path("views") < 5, Update{path("views").set(path("views") + 1), path("notes")[0].remove()},
                                      Projection{path("views")}, item, {"forum", "subject"});
  EXPECT_TRUE(result.ok);
  EXPECT_EQ(result.after.at("views").as_number(), dynamo::Number(4));
  EXPECT_EQ(result.after.at("notes"), dynamo::AttributeValue(dynamo::List{"b"}));
  EXPECT_EQ(result.slim, (dynamo::Item{{"views", 3}}));
  EXPECT_TRUE(evaluating(Condition{}, Update{}, Projection{path("views")}, item, {}).ok);
  EXPECT_THROW((void)evaluating(Condition{}, Update{path("forum").set("x")}, Projection{path("views")}, item, {"forum", "subject"}),
               dynamo::Error);
}

TEST(ExpressionsPage, KeyConditions) {
  ExpressionAttributes attrs;
  attrs.add_name("#f", "forum");
  attrs.add_name("#s", "subject");
  attrs.add_value(":f", dynamo::AttributeValue("C++"));
  attrs.add_value(":p", dynamo::AttributeValue("Mod"));
  const dynamo::AttributeValue sort_value("Modules");

  Condition kc = parse_condition("#f = :f AND begins_with(#s, :p)", attrs, ExpressionKind::key_condition);
  KeyCondition key = analyze_key_condition(kc, "forum", "subject");
  dynamo::AttributeValue forum = key.partition_value;   // the partition key's value
  bool in_range = key.sort->matches(sort_value);         // =, <, <=, >, >=, BETWEEN, begins_with

  EXPECT_EQ(forum, dynamo::AttributeValue("C++"));
  EXPECT_TRUE(in_range);
  EXPECT_FALSE(key.sort->matches(dynamo::AttributeValue("Ranges")));
}

// Every ```cpp block of docs/expressions.md is in this file.
TEST(ExpressionsPage, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/expressions.md", DYNAMO_SOURCE_DIR "/tests/docs/expressions_test.cpp"), "");
}

}  // namespace
