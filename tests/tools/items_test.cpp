// The `dynamo` command's item reading and printing (tools/dynamo/item_input.hpp, output.hpp):
// what users type and files hold becomes exactly the item meant, and mistakes are named.
#include <gtest/gtest.h>

#include <sstream>

#include "dynamo/codec/json.hpp"
#include "item_input.hpp"
#include "output.hpp"

namespace dynamo::cli {
namespace {

using api::ScalarAttributeType;

std::string error_of(auto&& call) {
  try {
    call();
  } catch (const InputError& error) {
    return error.what();
  }
  return "no error";
}

// Plain JSON maps type by type, and numbers keep every digit (no trip through double).
TEST(ParseItem, PlainJsonKeepsNumbersExactly) {
  const Item item = parse_item(R"({"n": 12345678901234567890.123456789, "s": "x", "b": true, "z": null,
                                   "l": [1, "a"], "m": {"k": -0.5e-3}})",
                               JsonFlavor::automatic);
  EXPECT_EQ(item.at("n").as_number().to_string(), "12345678901234567890.123456789");
  EXPECT_EQ(item.at("s"), AttributeValue("x"));
  EXPECT_EQ(item.at("b"), AttributeValue(true));
  EXPECT_EQ(item.at("z"), AttributeValue::null());
  EXPECT_EQ(item.at("l"), AttributeValue(List{1, "a"}));
  EXPECT_EQ(item.at("m").as_map().at("k").as_number().to_string(), "-0.0005");
}

// An object of one-member objects named by type tags is DynamoDB JSON; anything else is plain.
TEST(ParseItem, DetectsDynamoDbJson) {
  EXPECT_EQ(parse_item(R"({"id": {"N": "7"}, "t": {"SS": ["a"]}})", JsonFlavor::automatic),
            (Item{{"id", 7}, {"t", StringSet{"a"}}}));
  EXPECT_EQ(parse_item(R"({"id": {"N": "7"}, "x": 1})", JsonFlavor::automatic).at("id"),
            AttributeValue(AttributeMap{{"N", "7"}}));
  EXPECT_EQ(parse_item(R"({"id": {"N": "7"}})", JsonFlavor::plain).at("id"), AttributeValue(AttributeMap{{"N", "7"}}));
}

TEST(ParseItem, NamesWhatIsWrong) {
  EXPECT_EQ(error_of([] { (void)parse_item(R"({"a": 1, "a": 2})", JsonFlavor::plain); }), "attribute \"a\" appears twice");
  EXPECT_EQ(error_of([] { (void)parse_item(R"({"a": {"b": 1e999}})", JsonFlavor::plain); }),
            "a.b: \"1e999\" is not a DynamoDB number (" + std::string(Number::describe(Number::Problem::overflow)) + ")");
  EXPECT_EQ(error_of([] { (void)parse_item(R"([1])", JsonFlavor::plain); }), "expected a JSON object");
  // Text after the object is refused, whatever it is.
  EXPECT_NE(error_of([] { (void)parse_item(R"({"a": 1} x)", JsonFlavor::plain); }), "no error");
  EXPECT_NE(error_of([] { (void)parse_item(R"({"a": 1} {"b": 2})", JsonFlavor::plain); }), "no error");
  EXPECT_EQ(error_of([] { (void)parse_item(R"({"a": [1, )", JsonFlavor::plain); }), "invalid or truncated JSON");
  EXPECT_NE(error_of([] { (void)parse_item(R"({"a": {"N": "x"}})", JsonFlavor::dynamodb); }).find("item.a.N"),
            std::string::npos);
  std::string deep = std::string(40, '[') + std::string(40, ']');
  EXPECT_NE(error_of([&] { (void)parse_item("{\"a\": " + deep + "}", JsonFlavor::plain); }).find("nested deeper than 32"),
            std::string::npos);
}

// DynamoDB's export format and plain JSON lines.
TEST(ParseImportLine, ExportFormatOrPlain) {
  EXPECT_EQ(parse_import_line(R"({"Item": {"id": {"S": "a"}, "n": {"N": "1"}}})"), (Item{{"id", "a"}, {"n", 1}}));
  EXPECT_EQ(parse_import_line(R"({"id": "a", "n": 1})"), (Item{{"id", "a"}, {"n", 1}}));
  // A plain item that merely has an attribute named Item beside others stays plain.
  EXPECT_EQ(parse_import_line(R"({"Item": {"x": 1}, "id": "a"})").at("Item"), AttributeValue(AttributeMap{{"x", 1}}));
  EXPECT_NE(error_of([] { (void)parse_import_line(R"({"Item": {"id": {"S": "a"}}} extra)"); }), "no error");
  EXPECT_NE(error_of([] { (void)parse_import_line(R"({"Item": {"id": {"S": "a"}}} {})"); }), "no error");
}

const std::vector<KeyAttribute> thread_key{{"forum", ScalarAttributeType::s}, {"views", ScalarAttributeType::n}};

TEST(ParseKey, TypesValuesFromTheKeySchema) {
  const std::vector<std::string> pairs{"views=12.50", "forum=a=b"};
  EXPECT_EQ(parse_key(pairs, thread_key, "Thread"), (Item{{"forum", "a=b"}, {"views", Number::parse("12.5")}}));
  const std::vector<KeyAttribute> binary{{"id", ScalarAttributeType::b}};
  EXPECT_EQ(parse_key(std::vector<std::string>{"id=AAEC"}, binary, "T"), (Item{{"id", Binary{0, 1, 2}}}));
}

TEST(ParseKey, NamesWhatIsWrong) {
  auto key_error = [](std::vector<std::string> pairs) {
    return error_of([&] { (void)parse_key(pairs, thread_key, "Thread"); });
  };
  EXPECT_EQ(key_error({"forum=x"}), "missing key views=... (the key of Thread is forum and views)");
  EXPECT_EQ(key_error({"forum=x", "views=ten"}), "key views: \"ten\" is not a number (the key is of type N)");
  EXPECT_EQ(key_error({"forum=x", "views=1", "other=2"}), "\"other\" is not a key attribute of Thread (its key: forum, views)");
  EXPECT_EQ(key_error({"forum=x", "forum=y", "views=1"}), "key forum is given twice");
  EXPECT_EQ(key_error({"forum", "views=1"}), "\"forum\" is not a key as name=value");
  EXPECT_EQ(key_error({"forum=", "views=1"}), "key forum: a key string cannot be empty");
}

TEST(ParseNames, ObjectOfStrings) {
  EXPECT_EQ(parse_names(R"({"#a": "a", "#b": "b.c"})"), (std::map<std::string, std::string>{{"#a", "a"}, {"#b", "b.c"}}));
  EXPECT_EQ(error_of([] { (void)parse_names(R"({"#a": 1})"); }), "--names: the value of \"#a\" is not a string");
}

// PartiQL parameters: plain values, or DynamoDB JSON values where they are tagged.
TEST(ParseParameters, PlainOrTagged) {
  EXPECT_EQ(parse_parameters(R"(["C++", 3, {"N": "1.50"}, {"SS": ["a"]}, {"x": 1}, [true]])"),
            (std::vector<AttributeValue>{"C++", 3, Number::parse("1.5"), StringSet{"a"}, AttributeMap{{"x", 1}},
                                         List{true}}));
  EXPECT_EQ(error_of([] { (void)parse_parameters(R"({"a": 1})"); }), "--parameters: expected a JSON array such as [\"C++\", 3]");
  EXPECT_EQ(error_of([] { (void)parse_parameters(R"([1], "q": [2])"); }),
            "--parameters: expected a JSON array such as [\"C++\", 3]");
  EXPECT_NE(error_of([] { (void)parse_parameters(R"([{"N": "x"}])"); }).find("parameter.N"), std::string::npos);
}

// Plain JSON output: numbers as written, binaries as base64, sets as arrays.
TEST(Output, PlainJson) {
  const Item item{{"n", Number::parse("1.50")}, {"b", Binary{0, 1, 2}}, {"ns", NumberSet{2, 1}}, {"s", "q\""}};
  EXPECT_EQ(plain_json(item), R"({"b":"AAEC","n":1.5,"ns":[1,2],"s":"q\""})");
}

// A table: key columns first, the others as first seen, cells aligned and long ones cut.
TEST(Output, AlignedTable) {
  std::ostringstream out;
  ItemPrinter printer(out, OutputFormat::table, {"id", "absent"});
  printer.add(Item{{"id", 1}, {"zeta", "é"}});
  printer.add(Item{{"alpha", List{1}}, {"id", 22}, {"zeta", std::string(60, 'x')}});
  EXPECT_EQ(printer.finish(), 2U);
  EXPECT_EQ(out.str(),
            "id  zeta                                              alpha\n"
            "--  ------------------------------------------------  -----\n"
            "1   é\n"
            "22  " + std::string(45, 'x') + "...  [1]\n");
}

TEST(Output, JsonLines) {
  std::ostringstream plain;
  std::ostringstream dynamodb;
  ItemPrinter a(plain, OutputFormat::json);
  ItemPrinter b(dynamodb, OutputFormat::dynamodb_json);
  for (ItemPrinter* printer : {&a, &b}) {
    printer->add(Item{{"id", 1}});
    printer->add(Item{{"id", 2}});
  }
  EXPECT_EQ(plain.str(), "{\"id\":1}\n{\"id\":2}\n");
  EXPECT_EQ(dynamodb.str(), "{\"id\":{\"N\":\"1\"}}\n{\"id\":{\"N\":\"2\"}}\n");
}

}  // namespace
}  // namespace dynamo::cli
