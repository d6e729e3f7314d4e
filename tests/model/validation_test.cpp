// Validation rules declared in a schema and raw documents read through it, on the embedded
// engine: each rule kind reports what it should, every write path of the model layer
// refuses an invalid object before sending anything (so nothing is stored), and documents
// are converted, checked and written (or refused with every problem named).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <new>
#include <ostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <dynamo/dynamo.hpp>

// Counts heap allocations, to show that a model without rules costs a write nothing. The
// replacement pairs malloc with free; GCC, seeing both inlined, would flag the pairing.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
namespace {
std::atomic<std::size_t> allocations{0};
}  // namespace

// Every form of new and delete is replaced, so that all of them pair malloc with free (the
// standard library's temporary buffers use the nothrow form, for one).
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void* operator new(std::size_t size) {
  if (void* p = ::operator new(size, std::nothrow)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return ::operator new(size); }
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept { return ::operator new(size, std::nothrow); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }

namespace vt {

struct Address {
  std::string street{};
  std::string zip{};
};

struct Thing {
  std::string id{};
  std::string name{"Thing"};
  std::optional<std::string> color{};
  std::int64_t count = 0;
  double ratio = 0.5;
  std::set<std::string> tags{};
  std::vector<std::string> notes{};
  std::optional<Address> address{};
  std::vector<Address> shipping{};
  std::string nick{};
  dynamo::Binary blob{};
  std::int64_t low = 0;
  std::int64_t high = 0;
  std::string status{};
};

// A model without any rule.
struct Plain {
  std::string id{};
  std::string name{};
  std::int64_t count = 0;
};

}  // namespace vt

template <>
struct dynamo::model<vt::Address> {
  static auto schema() {
    return dynamo::map_schema<vt::Address>()
        .attribute("street", &vt::Address::street, dynamo::required())
        .attribute("zip", &vt::Address::zip, dynamo::pattern("[0-9]{5}"))
        .check([](const vt::Address& a) -> std::optional<std::string> {
          if (!a.zip.empty() && a.street == a.zip) return "street and zip are the same";
          return std::nullopt;
        });
  }
};

template <>
struct dynamo::model<vt::Thing> {
  static auto schema() {
    using vt::Thing;
    return dynamo::table<Thing>("Things")
        .hash_key("id", &Thing::id, dynamo::max_length(10))
        .attribute("name", &Thing::name, dynamo::required(), dynamo::length(2, 20))
        .attribute("color", &Thing::color, dynamo::one_of({"purple", "red", "yellow"}))
        .attribute("count", &Thing::count, dynamo::range(0, 100))
        .attribute("ratio", &Thing::ratio, dynamo::at_least(0), dynamo::at_most(1.0))
        .attribute("tags", &Thing::tags, dynamo::max_length(3), dynamo::one_of({"a", "b", "c", "d"}))
        .attribute("notes", &Thing::notes, dynamo::pattern("[a-z ]*"))
        .attribute("address", &Thing::address)
        .attribute("shipping", &Thing::shipping)
        .attribute("nick", &Thing::nick, dynamo::check([](const std::string& nick) -> std::optional<std::string> {
                     if (nick == "evan") return "no Evans allowed";
                     return std::nullopt;
                   }))
        .attribute("blob", &Thing::blob, dynamo::max_length(4))
        .attribute("low", &Thing::low)
        .attribute("high", &Thing::high)
        .attribute("status", &Thing::status, dynamo::default_to("new"), dynamo::one_of({"new", "done"}))
        .check([](const Thing& t) -> std::optional<dynamo::Violation> {
          if (t.low > t.high) return dynamo::Violation{"low", "is more than high"};
          return std::nullopt;
        });
  }
};

template <>
struct dynamo::model<vt::Plain> {
  static auto schema() {
    return dynamo::table<vt::Plain>("Plain")
        .hash_key("id", &vt::Plain::id)
        .attribute("name", &vt::Plain::name)
        .attribute("count", &vt::Plain::count);
  }
};

// Readable violations in failure messages.
namespace dynamo {
void PrintTo(const Violation& v, std::ostream* out) { *out << "{\"" << v.field << "\", \"" << v.message << "\"}"; }
}  // namespace dynamo

namespace {

using dynamo::Violation;
using vt::Address;
using vt::Plain;
using vt::Thing;
using Violations = std::vector<Violation>;

Thing good(std::string id = "t1") {
  Thing t;
  t.id = std::move(id);
  t.name = "Widget";
  t.color = "red";
  t.count = 7;
  t.tags = {"a", "b"};
  t.notes = {"fine words"};
  t.address = Address{.street = "Main St", .zip = "12345"};
  t.shipping = {Address{.street = "Dock 1", .zip = "54321"}};
  return t;
}

class Validation : public ::testing::Test {
 protected:
  Validation() : db_(dynamo::Connection::embedded()), things_(db_.table<Thing>()) { things_.create_table({.wait = true}); }

  // The violations the object's save() throws (empty when it saves).
  Violations save_violations(Thing t) {
    try {
      things_.save(t);
    } catch (const dynamo::ValidationError& e) {
      return e.violations();
    }
    return {};
  }

  dynamo::Connection db_;
  dynamo::ModelTable<Thing> things_;
};

// A valid object is written and reads back unchanged; its default was checked and stored.
TEST_F(Validation, ValidObjectIsWritten) {
  Thing t = good();
  EXPECT_TRUE(dynamo::validate(t).empty());
  things_.save(t);
  Thing back = things_.get("t1");
  EXPECT_EQ(back.name, "Widget");
  EXPECT_EQ(back.status, "new");
  EXPECT_EQ(back.address->zip, "12345");
}

// required(): an empty string (or empty optional, set, list) is missing; numbers always have a value.
TEST_F(Validation, Required) {
  Thing t = good();
  t.name = "";
  EXPECT_EQ(save_violations(t), (Violations{{"name", "is required"}}));
  EXPECT_FALSE(things_.find("t1").has_value());
}

// one_of(): the value, or each element of a set, must be one of the choices; an empty optional passes.
TEST_F(Validation, OneOf) {
  Thing t = good();
  t.color = "orange";
  t.tags = {"a", "z"};
  EXPECT_EQ(save_violations(t), (Violations{{"color", R"("orange" is not one of "purple", "red", "yellow")"},
                                            {"tags", R"("z" is not one of "a", "b", "c", "d")"}}));
  t.color.reset();
  t.tags = {"d"};
  EXPECT_TRUE(save_violations(t).empty());
  EXPECT_FALSE(things_.get("t1").color.has_value());
}

// length(): characters (code points) of strings, elements of sets, bytes of binaries.
TEST_F(Validation, Length) {
  Thing t = good("much-too-long-id");
  t.name = "x";
  t.tags = {"a", "b", "c", "d"};
  t.blob = dynamo::Binary(std::string("12345"));
  EXPECT_EQ(save_violations(t), (Violations{{"blob", "has 5 bytes, at most 4 allowed"},
                                            {"id", "has 16 characters, at most 10 allowed"},
                                            {"name", "has 1 character, at least 2 required"},
                                            {"tags", "has 4 elements, at most 3 allowed"}}));
  t = good();
  t.name = "\xC3\xA9\xC3\xA9";  // two characters in four bytes
  EXPECT_TRUE(dynamo::validate(t).empty());
}

// range(), at_least(), at_most(): exact bounds on integers and doubles.
TEST_F(Validation, Range) {
  Thing t = good();
  t.count = 101;
  t.ratio = -0.25;
  EXPECT_EQ(save_violations(t), (Violations{{"count", "101 is more than the maximum of 100"},
                                            {"ratio", "-0.25 is less than the minimum of 0"}}));
  t.count = 100;
  t.ratio = 1.0;
  EXPECT_TRUE(save_violations(t).empty());
}

// pattern(): the whole string, or each element of a list, must match.
TEST_F(Validation, Pattern) {
  Thing t = good();
  t.notes = {"ok", "Not ok", "ok too"};
  t.address->zip = "1234x";
  EXPECT_EQ(save_violations(t), (Violations{{"address.zip", R"("1234x" does not match the pattern [0-9]{5})"},
                                            {"notes", R"("Not ok" does not match the pattern [a-z ]*)"}}));
}

// A pattern checks a string of any length with a bounded stack (an attribute may hold
// 400 KB; std::regex recursed once per character and overflowed the stack long before), and
// a long string that does not match is reported like a short one.
TEST_F(Validation, PatternOnLongStrings) {
  Thing t = good();
  t.notes = {std::string(350'000, 'a')};
  EXPECT_TRUE(save_violations(t).empty());
  t.notes = {std::string(350'000, 'a') + "X"};
  const Violations violations = save_violations(t);
  ASSERT_EQ(violations.size(), 1U);
  EXPECT_EQ(violations[0].field, "notes");
  EXPECT_NE(violations[0].message.find("does not match the pattern [a-z ]*"), std::string::npos);
}

// A malformed pattern is refused when the rule is made, not when it is first used; the
// message names the expression and what is wrong with it.
TEST(ValidationRules, MalformedPatternNamesTheExpression) {
  try {
    (void)dynamo::pattern("a(b");
    FAIL() << "a pattern with an unclosed group was accepted";
  } catch (const dynamo::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pattern \"a(b\" is not a valid regular expression: missing )"),
              std::string::npos)
        << e.what();
  }
}

// A malformed pattern is refused when the rule is made, not when it is first used.
TEST(ValidationRules, MalformedPatternThrowsWhenDeclared) {
  EXPECT_THROW((void)dynamo::pattern("[a-"), dynamo::Error);
}

// check(): a custom rule's message; .check() on the schema: a rule across attributes.
TEST_F(Validation, CustomRules) {
  Thing t = good();
  t.nick = "evan";
  t.low = 5;
  t.high = 1;
  EXPECT_EQ(save_violations(t), (Violations{{"low", "is more than high"}, {"nick", "no Evans allowed"}}));
}

// Rules of a struct stored as a map apply inside it, in lists too, with the path named;
// its whole-object check reports at the struct's own place.
TEST_F(Validation, NestedModels) {
  Thing t = good();
  t.shipping.push_back(Address{.street = "", .zip = "99999"});
  t.shipping.push_back(Address{.street = "11111", .zip = "11111"});
  EXPECT_EQ(save_violations(t), (Violations{{"shipping[1].street", "is required"},
                                            {"shipping[2]", "street and zip are the same"}}));
  EXPECT_FALSE(things_.find("t1").has_value());
}

// An unset member with a default is checked as the default save() writes.
TEST_F(Validation, DefaultsAreCheckedAsWritten) {
  Thing t = good();
  t.status = "";  // unset: "new" is written
  EXPECT_TRUE(dynamo::validate(t).empty());
  t.status = "lost";
  EXPECT_EQ(dynamo::validate(t), (Violations{{"status", R"("lost" is not one of "new", "done")"}}));
}

// Every violation is collected into one exception whose what() lists them by field.
TEST_F(Validation, OneErrorListsEveryViolation) {
  Thing t = good();
  t.name = "";
  t.color = "orange";
  t.count = -1;
  std::string message;
  std::string code;
  try {
    things_.save(t);
  } catch (const dynamo::ValidationError& e) {
    message = e.what();
    code = e.code();
    EXPECT_EQ(e.violations().size(), 3U);
  }
  EXPECT_EQ(message,
            R"(invalid Things item: color: "orange" is not one of "purple", "red", "yellow"; )"
            R"(count: -1 is less than the minimum of 0; name: is required)");
  EXPECT_EQ(code, "ValidationError");
  EXPECT_EQ(things_.count(), 0);
}

// A ValidationError is a dynamo::Error, like the model layer's other errors.
TEST_F(Validation, IsAModelError) {
  Thing t = good();
  t.count = 1000;
  EXPECT_THROW(things_.save(t), dynamo::Error);
  const Thing& frozen = t;
  EXPECT_THROW(things_.save(frozen), dynamo::ValidationError);
  EXPECT_EQ(things_.count(), 0);
}

// update() checks the values it writes: SET, if_not_exists, list_append, ADD to a set, REMOVE of a required attribute.
TEST_F(Validation, UpdateChecksTheValuesItWrites) {
  using dynamo::field;
  Thing t = good();
  things_.save(t);
  auto refused = [&](const dynamo::expr::Update& actions) {
    try {
      things_.update(t, actions);
    } catch (const dynamo::ValidationError& e) {
      return e.violations();
    }
    return Violations{};
  };
  EXPECT_EQ(refused({field(&Thing::count).set(500)}), (Violations{{"count", "500 is more than the maximum of 100"}}));
  EXPECT_EQ(refused({field(&Thing::color).set_if_not_exists("blue")}),
            (Violations{{"color", R"("blue" is not one of "purple", "red", "yellow")"}}));
  EXPECT_EQ(refused({field(&Thing::notes).append({"BAD"})}),
            (Violations{{"notes", R"("BAD" does not match the pattern [a-z ]*)"}}));
  EXPECT_EQ(refused({field(&Thing::notes)[0].set("ALSO BAD")}),
            (Violations{{"notes[0]", R"("ALSO BAD" does not match the pattern [a-z ]*)"}}));
  EXPECT_EQ(refused({field(&Thing::tags).add({"q"})}), (Violations{{"tags", R"("q" is not one of "a", "b", "c", "d")"}}));
  EXPECT_EQ(refused({field(&Thing::name).remove()}), (Violations{{"name", "is required, so it cannot be removed"}}));
  EXPECT_EQ(refused({field(&Thing::address).field(&Address::zip).set("abc")}),
            (Violations{{"address.zip", R"("abc" does not match the pattern [0-9]{5})"}}));
  EXPECT_EQ(refused({dynamo::expr::path("count").set("seven")}), (Violations{{"count", "expected a number value, found S"}}));
  // None of them reached the table.
  Thing stored = things_.get("t1");
  EXPECT_EQ(stored.count, 7);
  EXPECT_EQ(stored.notes, std::vector<std::string>{"fine words"});
  EXPECT_EQ(stored.tags, (std::set<std::string>{"a", "b"}));

  // By key, too; valid values go through.
  EXPECT_THROW((void)things_.update({"t1"}, {field(&Thing::count).set(-5)}), dynamo::ValidationError);
  EXPECT_EQ(things_.update({"t1"}, {field(&Thing::count).set(42), field(&Thing::tags).add({"c"})}).count, 42);
}

// A batch refuses the invalid item at save(): it is never queued, and writes queued before it are sent.
TEST_F(Validation, BatchRefusesPerItem) {
  Thing bad = good("bad");
  bad.count = 1000;
  EXPECT_THROW(things_.batch_write([&](dynamo::BatchWriter<Thing>& batch) {
    batch.save(good("before"));
    batch.save(bad);
    batch.save(good("after"));
  }),
               dynamo::ValidationError);
  EXPECT_TRUE(things_.find("before").has_value());
  EXPECT_FALSE(things_.find("bad").has_value());
  EXPECT_FALSE(things_.find("after").has_value());

  // Caught inside the body, the batch carries on with the other items.
  std::vector<std::string> skipped;
  things_.batch_write([&](dynamo::BatchWriter<Thing>& batch) {
    for (const Thing& t : {good("x1"), bad, good("x2")}) {
      try {
        batch.save(t);
      } catch (const dynamo::ValidationError&) {
        skipped.push_back(t.id);
      }
    }
  });
  EXPECT_EQ(skipped, std::vector<std::string>{"bad"});
  EXPECT_EQ(things_.count(), 3);
}

// A transaction with one refused action sends nothing, even when the error was caught.
TEST_F(Validation, TransactionIsRefusedWhole) {
  using dynamo::field;
  Thing bad = good("bad");
  bad.color = "orange";
  EXPECT_THROW(dynamo::transact_write(db_, [&](dynamo::TransactWrite& tx) {
    tx.save(good("a"));
    tx.save(bad);
  }),
               dynamo::ValidationError);
  EXPECT_EQ(things_.count(), 0);

  dynamo::TransactWrite tx(db_);
  tx.save(good("b"));
  EXPECT_THROW(tx.update<Thing>({"b"}, {field(&Thing::count).set(-1)}), dynamo::ValidationError);
  Thing c = good("c");
  EXPECT_THROW(tx.update(c, {field(&Thing::name).remove()}), dynamo::ValidationError);
  EXPECT_THROW(tx.commit(), dynamo::ValidationError);
  EXPECT_EQ(things_.count(), 0);

  dynamo::transact_write(db_, [&](dynamo::TransactWrite& ok) { ok.save(good("d")); });
  EXPECT_TRUE(things_.find("d").has_value());
}

// A model without rules does not validate at all: no allocation on its write path's check.
TEST_F(Validation, ModelWithoutRulesPaysNothing) {
  const auto& schema = dynamo::schema_of<Plain>().core();
  EXPECT_FALSE(schema.validates());
  EXPECT_TRUE(dynamo::schema_of<Thing>().core().validates());
  const Plain p{.id = "p", .name = std::string(100, 'x'), .count = -1};
  const std::size_t before = allocations.load();
  for (int i = 0; i < 1000; ++i) {
    dynamo::detail::ensure_valid(schema, &p);
    auto problems = dynamo::validate(p);
    EXPECT_TRUE(problems.empty());
  }
  EXPECT_EQ(allocations.load() - before, 0U);
}

// ---- raw documents ----

// A plain JSON document is converted through the schema (arrays to sets, base64 to binary,
// objects to structs, exact numbers), checked, written, and returned as the object.
TEST_F(Validation, PutDocumentWritesPlainJson) {
  Thing written = things_.put_document(R"({"id": "doc1", "name": "From JSON", "color": "purple", "count": 3,
      "ratio": 0.75, "tags": ["a", "c"], "notes": ["x"], "blob": "AQID",
      "address": {"street": "Elm", "zip": "10001"}, "shipping": []})");
  EXPECT_EQ(written.name, "From JSON");
  Thing back = things_.get("doc1");
  EXPECT_EQ(back.color, "purple");
  EXPECT_EQ(back.count, 3);
  EXPECT_EQ(back.ratio, 0.75);
  EXPECT_EQ(back.tags, (std::set<std::string>{"a", "c"}));
  EXPECT_EQ(back.blob, dynamo::Binary({1, 2, 3}));
  EXPECT_EQ(back.address->street, "Elm");
  EXPECT_EQ(back.status, "new");  // a default fills what the document leaves out
}

// null is "no value" for a std::optional member, and a wrong type for any other.
TEST_F(Validation, DocumentNulls) {
  EXPECT_FALSE(dynamo::from_document<Thing>(R"({"id": "n", "name": "ab", "color": null})").color.has_value());
  EXPECT_EQ(dynamo::validate_document<Thing>(R"({"id": "n", "name": "ab", "nick": null})"),
            (Violations{{"nick", "expected a string, found null"}}));
}

// Unknown attributes and wrong types are named, inside nested objects too; nothing is written.
TEST_F(Validation, PutDocumentReportsEveryProblem) {
  std::vector<Violation> problems;
  try {
    (void)things_.put_document(R"({"id": "doc2", "name": 7, "colour": "red", "count": 3.5, "tags": "a",
        "address": {"street": "Elm", "zipcode": "1"}, "blob": "not base64!", "ratio": 2})");
  } catch (const dynamo::ValidationError& e) {
    problems = e.violations();
  }
  EXPECT_EQ(problems, (Violations{
                          {"address.zipcode", "is not declared in the schema"},
                          {"blob", "is not base64 text (length is not a multiple of 4 at character 11)"},
                          {"colour", "is not declared in the schema"},
                          {"count", "number 3.5 is not an integer"},
                          {"name", "expected a string, found a number"},
                          {"ratio", "2 is more than the maximum of 1"},
                          {"tags", "expected an array of strings, found a string"},
                      }));
  EXPECT_FALSE(things_.find("doc2").has_value());
}

// Keys and required attributes must be in a document; a required attribute with a default need not.
TEST_F(Validation, DocumentMissingKeyAndRequired) {
  EXPECT_EQ(dynamo::validate_document<Thing>(R"({"name": "x"})"),
            (Violations{{"id", "is required (a key attribute)"}, {"name", "has 1 character, at least 2 required"}}));
  EXPECT_EQ(dynamo::validate_document<Thing>(R"({"id": "k"})"), (Violations{{"name", "is required"}}));
  EXPECT_EQ(things_.count(), 0);
}

// Text that is not one JSON object is a single violation for the whole document.
TEST_F(Validation, MalformedDocuments) {
  EXPECT_EQ(dynamo::validate_document<Thing>("[1, 2]"), (Violations{{"", "a document must be a JSON object"}}));
  auto broken = dynamo::validate_document<Thing>(R"({"id": "x", )");
  ASSERT_EQ(broken.size(), 1U);
  EXPECT_EQ(broken[0].field, "");
  EXPECT_EQ(broken[0].message.rfind("the document is not valid JSON", 0), 0U);
  EXPECT_EQ(dynamo::validate_document<Thing>(R"({"id": "x", "name": "ab", "id": "y"})"),
            (Violations{{"id", "appears twice"}}));
  EXPECT_EQ(dynamo::validate_document<Thing>(R"({"id": "x", "name": "ab", "count": 1e999})"),
            (Violations{{"count", "1e999 is not a DynamoDB number (magnitude larger than "
                                    "9.9999999999999999999999999999999999999E+125)"}}));
  EXPECT_THROW((void)things_.put_document("not json"), dynamo::ValidationError);
  EXPECT_EQ(things_.count(), 0);
}

// An Item document is typed already: its values must have the attribute's DynamoDB type.
TEST_F(Validation, PutDocumentFromItem) {
  Thing written = things_.put_document(dynamo::Item{{"id", "item1"}, {"name", "From item"}, {"count", 5}});
  EXPECT_EQ(written.count, 5);
  EXPECT_EQ(things_.get("item1").name, "From item");
  EXPECT_EQ(dynamo::validate_document<Thing>(dynamo::Item{{"id", "item2"}, {"name", "ok"}, {"tags", dynamo::List{"a"}}}),
            (Violations{{"tags", "expected a string set, found a list"}}));
  EXPECT_EQ(dynamo::from_document<Thing>(dynamo::Item{{"id", "i"}, {"name", "ok"}}).status, "new");
}

// from_document() reads without writing; the rules apply as for save().
TEST_F(Validation, FromDocumentDoesNotWrite) {
  Thing t = dynamo::from_document<Thing>(R"({"id": "d", "name": "Doc", "count": 9})");
  EXPECT_EQ(t.count, 9);
  EXPECT_THROW((void)dynamo::from_document<Thing>(R"({"id": "d", "name": "Doc", "count": 900})"),
               dynamo::ValidationError);
  EXPECT_EQ(things_.count(), 0);
}

}  // namespace
