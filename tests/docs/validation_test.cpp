// docs/validation.md's code, compiled and run on the embedded engine, with checks of what
// the page says between the snippets. ValidationDocs.PageShowsOnlyCodeFromHere checks that
// every C++ block of the page appears below, so a snippet cannot change in the page without
// this file changing too.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "docs/snippets.hpp"

// "Declaring rules"
#include <dynamo/dynamo.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>

struct Thing {
  std::string id{};
  std::string name{};
  std::optional<std::string> color{};
  std::int64_t count = 0;
  std::set<std::string> tags{};
  std::string nick{};
};

template <>
struct dynamo::model<Thing> {
  static auto schema() {
    return dynamo::table<Thing>("things")
        .hash_key("id", &Thing::id, dynamo::max_length(10))
        .attribute("name", &Thing::name, dynamo::required(), dynamo::pattern("[A-Za-z ]+"))
        .attribute("color", &Thing::color, dynamo::one_of({"purple", "red", "yellow"}))
        .attribute("count", &Thing::count, dynamo::range(0, 100))
        .attribute("tags", &Thing::tags, dynamo::max_length(3), dynamo::one_of({"new", "sale", "gift"}))
        .attribute("nick", &Thing::nick, dynamo::check([](const std::string& nick) -> std::optional<std::string> {
                     if (nick == "evan") return "no Evans allowed";
                     return std::nullopt;
                   }));
  }
};

// Rules across attributes, and structs inside models.
struct Address {
  std::string street{};
  std::string zip{};
};

template <>
struct dynamo::model<Address> {
  static auto schema() {
    return dynamo::map_schema<Address>()
        .attribute("street", &Address::street, dynamo::required())
        .attribute("zip", &Address::zip, dynamo::pattern("[0-9]{5}"));
  }
};

struct Booking {
  std::string id{};
  std::int64_t first_night = 0;
  std::int64_t last_night = 0;
  std::vector<Address> addresses{};
};

template <>
struct dynamo::model<Booking> {
  static auto schema() {
    return dynamo::table<Booking>("bookings")
        .hash_key("id", &Booking::id)
        .attribute("first_night", &Booking::first_night)
        .attribute("last_night", &Booking::last_night)
        .attribute("addresses", &Booking::addresses)
        .check([](const Booking& b) -> std::optional<dynamo::Violation> {
          if (b.last_night < b.first_night) return dynamo::Violation{"last_night", "is before first_night"};
          return std::nullopt;
        });
  }
};

namespace {

std::vector<std::string> listed(const std::vector<dynamo::Violation>& violations) {
  std::vector<std::string> out;
  for (const auto& v : violations) out.push_back(v.field + ": " + v.message);
  return out;
}

// The nested and whole-object rules report what the page's comments say.
TEST(ValidationDocs, NestedAndWholeObjectRules) {
  Booking booking{.id = "b1", .first_night = 12, .last_night = 10,
                  .addresses = {{.street = "Elm St", .zip = "10001"}, {.street = "", .zip = "1000"}}};
  std::vector<dynamo::Violation> found = dynamo::validate(booking);
  // addresses[1].street: is required
  // addresses[1].zip: "1000" does not match the pattern [0-9]{5}
  // last_night: is before first_night
  EXPECT_EQ(listed(found), (std::vector<std::string>{"addresses[1].street: is required",
                                                     R"(addresses[1].zip: "1000" does not match the pattern [0-9]{5})",
                                                     "last_night: is before first_night"}));
}

// The error, validate(), updates, batches and transactions, in the page's order.
TEST(ValidationDocs, TheErrorAndTheWritePaths) {
  // "The error"
  auto db = dynamo::Connection::embedded();
  auto things = db.table<Thing>();
  things.create_table({.wait = true});

  Thing thing{.id = "thing1", .name = "Thing One", .color = "orange", .count = 250};
  std::vector<std::string> problems;
  try {
    things.save(thing);
  } catch (const dynamo::ValidationError& e) {
    // e.what(): invalid things item: color: "orange" is not one of "purple", "red", "yellow";
    //           count: 250 is more than the maximum of 100
    for (const dynamo::Violation& v : e.violations()) problems.push_back(v.field + ": " + v.message);
  }
  // nothing was written: things.find("thing1") is std::nullopt
  std::string what;
  try {
    things.save(thing);
  } catch (const dynamo::ValidationError& e) {
    what = e.what();
  }
  EXPECT_EQ(what, R"(invalid things item: color: "orange" is not one of "purple", "red", "yellow"; )"
                  "count: 250 is more than the maximum of 100");
  EXPECT_EQ(problems.size(), 2U);
  EXPECT_FALSE(things.find("thing1").has_value());

  std::vector<dynamo::Violation> before = dynamo::validate(thing);  // the two above
  thing.color = "purple";
  thing.count = 25;
  bool fine = dynamo::validate(thing).empty();  // true
  things.save(thing);
  EXPECT_EQ(listed(before), problems);
  EXPECT_TRUE(fine);
  EXPECT_EQ(things.get("thing1").count, 25);

  // "When rules are checked"
  EXPECT_THROW(things.update(thing, {dynamo::field(&Thing::count).set(1000)}), dynamo::ValidationError);
  {
    using dynamo::field;
    try {
      things.update(thing, {field(&Thing::count).set(1000)});
    } catch (const dynamo::ValidationError& e) {
      // count: 1000 is more than the maximum of 100; nothing was sent
    }
    things.update(thing, {field(&Thing::count).add(1)}, field(&Thing::count) < 100);  // a condition guards what DynamoDB computes
  }
  EXPECT_EQ(things.get("thing1").count, 26);  // 25 + 1: the refused 1000 never reached the table

  std::vector<Thing> drafts = {{.id = "d1", .name = "Draft One"}, {.id = "d2", .name = "Draft #2"},
                               {.id = "d3", .name = "Draft Three"}};
  std::vector<std::string> refused;
  things.batch_write([&](dynamo::BatchWriter<Thing>& batch) {
    for (const Thing& draft : drafts) {
      try {
        batch.save(draft);
      } catch (const dynamo::ValidationError&) {
        refused.push_back(draft.id);  // "d2": not queued; d1 and d3 are written
      }
    }
  });
  EXPECT_EQ(refused, std::vector<std::string>{"d2"});
  EXPECT_TRUE(things.find("d1").has_value());
  EXPECT_FALSE(things.find("d2").has_value());
  EXPECT_TRUE(things.find("d3").has_value());

  EXPECT_THROW(dynamo::transact_write(db, [&](dynamo::TransactWrite& tx) { tx.save(Thing{.id = "b", .name = "!"}); }),
               dynamo::ValidationError);
  try {
    dynamo::transact_write(db, [&](dynamo::TransactWrite& tx) {
      tx.save(Thing{.id = "a", .name = "Fine"});
      tx.save(Thing{.id = "b", .name = "Not fine!"});  // the pattern refuses '!': throws here
    });
  } catch (const dynamo::ValidationError& e) {
    // nothing was sent: neither "a" nor "b" exists
  }
  EXPECT_FALSE(things.find("a").has_value());
  EXPECT_FALSE(things.find("b").has_value());
}

// "Raw documents"
TEST(ValidationDocs, RawDocuments) {
  auto db = dynamo::Connection::embedded();
  auto things = db.table<Thing>();
  things.create_table({.wait = true});

  Thing stored = things.put_document(R"({"id": "thing2", "name": "Thing Two", "color": "red",
                                         "count": 3, "tags": ["new", "gift"]})");
  things.put_document(dynamo::Item{{"id", "thing3"}, {"name", "Thing Three"}});
  EXPECT_EQ(stored.tags, (std::set<std::string>{"gift", "new"}));
  EXPECT_EQ(things.get("thing2").color, "red");
  EXPECT_EQ(things.get("thing3").name, "Thing Three");

  std::vector<dynamo::Violation> problems = dynamo::validate_document<Thing>(
      R"({"id": "thing4", "name": 4, "colour": "red", "tags": "new"})");
  // colour: is not declared in the schema
  // name: expected a string, found a number
  // tags: expected an array of strings, found a string
  Thing parsed = dynamo::from_document<Thing>(R"({"id": "thing5", "name": "Thing Five"})");  // nothing written
  EXPECT_EQ(listed(problems), (std::vector<std::string>{"colour: is not declared in the schema",
                                                        "name: expected a string, found a number",
                                                        "tags: expected an array of strings, found a string"}));
  EXPECT_EQ(parsed.name, "Thing Five");
  EXPECT_FALSE(things.find("thing4").has_value());
  EXPECT_FALSE(things.find("thing5").has_value());

  // The page's other claims: the error code, and one violation for text that is not JSON.
  try {
    (void)dynamo::from_document<Thing>("{");
    ADD_FAILURE() << "a malformed document was accepted";
  } catch (const dynamo::ValidationError& e) {
    EXPECT_EQ(e.code(), "ValidationError");
    ASSERT_EQ(e.violations().size(), 1U);
    EXPECT_EQ(e.violations()[0].field, "");
    EXPECT_EQ(e.violations()[0].message.rfind("the document is not valid JSON (", 0), 0U);
  }
}

// Every ```cpp block of docs/validation.md is in this file.
TEST(ValidationDocs, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/validation.md",
                                           DYNAMO_SOURCE_DIR "/tests/docs/validation_test.cpp"),
            "");
}

}  // namespace
