// Evaluation tables after the Developer Guide's examples (ProductCatalog items of the
// "Condition expressions" and "Update expressions" pages), plus DynamoDB's type rules.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dynamo/expr.hpp"

namespace {

using namespace dynamo::expr;
using dynamo::AttributeValue;
using dynamo::Item;
using dynamo::List;
using dynamo::Number;

Item product() {
  return Item{
      {"Id", 789},
      {"ProductCategory", "Home Improvement"},
      {"Price", 52},
      {"InStock", true},
      {"Brand", "Acme"},
      {"Color", dynamo::StringSet{"Red", "Black"}},
      {"Pictures", dynamo::AttributeMap{{"FrontView", "http://example.com/products/789_front.jpg"}}},
      {"ProductReviews", dynamo::AttributeMap{{"FiveStar", List{"Excellent!", "Love it!"}}}},
      {"RelatedItems", List{341, 472, 649}},
      {"Description", "A bicycle"},
      {"Photo", dynamo::Binary{0xde, 0xad, 0xbe, 0xef}},
      {"Nothing", dynamo::Null{}},
  };
}

// Parses and evaluates one condition with the attribute values given.
bool holds(std::string_view text, std::vector<std::pair<std::string, AttributeValue>> values = {}) {
  ExpressionAttributes attrs;
  for (auto& [k, v] : values) attrs.add_value(k, v);
  return evaluate(parse_condition(text, attrs), product());
}

// The Developer Guide's condition examples on the product item.
TEST(Evaluate, DeveloperGuideConditions) {
  EXPECT_FALSE(holds("attribute_not_exists(Price)"));
  EXPECT_TRUE(holds("attribute_not_exists(Discount)"));
  EXPECT_TRUE(holds("attribute_exists(ProductReviews.FiveStar)"));
  EXPECT_FALSE(holds("attribute_exists(ProductReviews.OneStar)"));
  EXPECT_TRUE(holds("attribute_type(Color, :t)", {{":t", "SS"}}));
  EXPECT_FALSE(holds("attribute_type(Color, :t)", {{":t", "L"}}));
  EXPECT_TRUE(holds("begins_with(Pictures.FrontView, :v)", {{":v", "http://"}}));
  EXPECT_TRUE(holds("contains(Color, :v)", {{":v", "Red"}}));
  EXPECT_FALSE(holds("contains(Color, :v)", {{":v", "Blue"}}));
  EXPECT_TRUE(holds("size(Description) < :v", {{":v", 20}}));
  EXPECT_TRUE(holds("Price BETWEEN :lo AND :hi", {{":lo", 50}, {":hi", 52}}));
  EXPECT_TRUE(holds("ProductCategory IN (:a, :b)", {{":a", "Sporting Goods"}, {":b", "Home Improvement"}}));
  EXPECT_TRUE(holds("Price > :p AND NOT Brand = :b OR InStock = :t",
                    {{":p", 100}, {":b", "Acme"}, {":t", true}}));
}

// Comparing values of different types is false, not an error; `<>` of a missing attribute is true.
TEST(Evaluate, TypeMismatchIsFalse) {
  EXPECT_FALSE(holds("Price = :v", {{":v", "52"}}));
  EXPECT_FALSE(holds("Price < :v", {{":v", "999"}}));
  EXPECT_TRUE(holds("Price <> :v", {{":v", "52"}}));
  EXPECT_FALSE(holds("Absent = :v", {{":v", 1}}));
  EXPECT_TRUE(holds("Absent <> :v", {{":v", 1}}));
  EXPECT_FALSE(holds("Absent < :v", {{":v", 1}}));
  EXPECT_FALSE(holds("Color < :v", {{":v", "z"}}));
  EXPECT_FALSE(holds("size(Price) > :v", {{":v", 0}}));
  EXPECT_TRUE(holds("Price = :v", {{":v", Number::parse("52.000")}}));
}

// size() counts UTF-8 bytes of strings, bytes of binaries, elements of sets, lists and maps.
TEST(Evaluate, Size) {
  EXPECT_TRUE(holds("size(Brand) = :v", {{":v", 4}}));
  EXPECT_TRUE(holds("size(Photo) = :v", {{":v", 4}}));
  EXPECT_TRUE(holds("size(Color) = :v", {{":v", 2}}));
  EXPECT_TRUE(holds("size(RelatedItems) = :v", {{":v", 3}}));
  EXPECT_TRUE(holds("size(Pictures) = :v", {{":v", 1}}));
  EXPECT_EQ(size_of(AttributeValue("né")), 3u);
  EXPECT_FALSE(size_of(AttributeValue(true)));
}

// contains() works on strings, binaries, sets (element of the set's type) and lists.
TEST(Evaluate, Contains) {
  EXPECT_TRUE(holds("contains(Description, :v)", {{":v", "bicy"}}));
  EXPECT_TRUE(holds("contains(RelatedItems, :v)", {{":v", 472}}));
  EXPECT_FALSE(holds("contains(RelatedItems, :v)", {{":v", "472"}}));
  EXPECT_TRUE(holds("contains(Photo, :v)", {{":v", dynamo::Binary{0xbe}}}));
  EXPECT_FALSE(holds("contains(Price, :v)", {{":v", 5}}));
  EXPECT_TRUE(holds("attribute_type(Nothing, :t)", {{":t", "NULL"}}));
}

// Built conditions evaluate like parsed ones, and the empty condition is always true.
TEST(Evaluate, BuiltConditions) {
  const Item item = product();
  EXPECT_TRUE(evaluate(Condition{}, item));
  EXPECT_TRUE(evaluate(path("RelatedItems")[1] == 472, item));
  EXPECT_FALSE(evaluate(path("RelatedItems")[7] == 472, item));
  EXPECT_TRUE(evaluate(path("ProductReviews").field("FiveStar")[0].begins_with("Exc"), item));
  EXPECT_TRUE(evaluate(!path("Brand").contains("x") && size(path("Brand")) >= 4, item));
}

Item updated(std::string_view text, std::vector<std::pair<std::string, AttributeValue>> values = {},
             Item item = product()) {
  ExpressionAttributes attrs;
  for (auto& [k, v] : values) attrs.add_value(k, v);
  attrs.add_name("#pr", "ProductReviews");
  attrs.add_name("#5star", "FiveStar");
  const Update update = parse_update(text, attrs);
  return apply_update(update, item);
}

// The Developer Guide's update examples.
TEST(Evaluate, DeveloperGuideUpdates) {
  Item a = updated("SET ProductCategory = :c, Price = :p", {{":c", "Hardware"}, {":p", 60}});
  EXPECT_EQ(a.at("ProductCategory"), AttributeValue("Hardware"));
  EXPECT_EQ(a.at("Price"), AttributeValue(60));

  Item b = updated("SET RelatedItems[1] = :ri", {{":ri", "Nails"}});
  EXPECT_EQ(b.at("RelatedItems"), AttributeValue(List{341, "Nails", 649}));

  Item c = updated("SET #pr.#5star[1] = :r5, #pr.ThreeStar = :r3",
                   {{":r5", "Very happy"}, {":r3", List{"Just OK"}}});
  EXPECT_EQ(c.at("ProductReviews").as_map().at("FiveStar"), AttributeValue(List{"Excellent!", "Very happy"}));
  EXPECT_EQ(c.at("ProductReviews").as_map().at("ThreeStar"), AttributeValue(List{"Just OK"}));

  Item d = updated("SET Price = Price - :p", {{":p", Number::parse("15.5")}});
  EXPECT_EQ(d.at("Price"), AttributeValue(Number::parse("36.5")));

  Item e = updated("SET RelatedItems = list_append(RelatedItems, :v)", {{":v", List{1}}});
  EXPECT_EQ(e.at("RelatedItems"), AttributeValue(List{341, 472, 649, 1}));
  Item e2 = updated("SET RelatedItems = list_append(:v, RelatedItems)", {{":v", List{1}}});
  EXPECT_EQ(e2.at("RelatedItems"), AttributeValue(List{1, 341, 472, 649}));

  Item f = updated("SET Price = if_not_exists(Price, :p), Stock = if_not_exists(Stock, :p)", {{":p", 100}});
  EXPECT_EQ(f.at("Price"), AttributeValue(52));
  EXPECT_EQ(f.at("Stock"), AttributeValue(100));

  Item g = updated("REMOVE Brand, InStock, QuantityOnHand");
  EXPECT_FALSE(g.contains("Brand"));
  EXPECT_FALSE(g.contains("InStock"));

  Item h = updated("REMOVE RelatedItems[1], RelatedItems[2]");
  EXPECT_EQ(h.at("RelatedItems"), AttributeValue(List{341}));

  Item i = updated("ADD QuantityOnHand :q, Price :q", {{":q", 5}});
  EXPECT_EQ(i.at("QuantityOnHand"), AttributeValue(5));
  EXPECT_EQ(i.at("Price"), AttributeValue(57));

  Item j = updated("ADD Color :c", {{":c", dynamo::StringSet{"Orange", "Purple"}}});
  EXPECT_EQ(j.at("Color"), AttributeValue(dynamo::StringSet{"Black", "Orange", "Purple", "Red"}));

  Item k = updated("DELETE Color :p", {{":p", dynamo::StringSet{"Red", "Yellow"}}});
  EXPECT_EQ(k.at("Color"), AttributeValue(dynamo::StringSet{"Black"}));
  Item l = updated("DELETE Color :p", {{":p", dynamo::StringSet{"Red", "Black"}}});
  EXPECT_FALSE(l.contains("Color"));  // an emptied set is removed
}

// Operands read the item as it was before the update; arithmetic is exact.
TEST(Evaluate, UpdateSemantics) {
  Item a = updated("SET Price = Id, Id2 = Price");
  EXPECT_EQ(a.at("Price"), AttributeValue(789));
  EXPECT_EQ(a.at("Id2"), AttributeValue(52));
  Item b = updated("SET Price = Price + :p", {{":p", Number::parse("0.1")}});
  EXPECT_EQ(b.at("Price"), AttributeValue(Number::parse("52.1")));
  Item c = updated("SET RelatedItems[10] = :v", {{":v", 7}});  // past the end: appended
  EXPECT_EQ(c.at("RelatedItems"), AttributeValue(List{341, 472, 649, 7}));
  Item d = updated("REMOVE Pictures.FrontView, Pictures.Absent");  // a missing leaf: nothing to remove
  EXPECT_TRUE(d.at("Pictures").as_map().empty());
  // On an absent item (the upsert's start), REMOVE under a missing parent is ignored, as in DynamoDB.
  ExpressionAttributes attrs;
  EXPECT_EQ(apply_update(parse_update("REMOVE Absent.Field, Absent2[0]", attrs), Item{{"Id", 1}}, {}, false),
            (Item{{"Id", 1}}));
}

std::string update_error(std::string_view text, std::vector<std::pair<std::string, AttributeValue>> values = {},
                         std::vector<std::string> keys = {}) {
  ExpressionAttributes attrs;
  for (auto& [k, v] : values) attrs.add_value(k, v);
  try {
    (void)apply_update(parse_update(text, attrs), product(), keys);
  } catch (const dynamo::Error& e) {
    return std::string(e.message());
  }
  return "(no error)";
}

// Update failures carry the service's messages.
TEST(Evaluate, UpdateErrors) {
  EXPECT_EQ(update_error("SET a = Absent"), "The provided expression refers to an attribute that does not exist in the item");
  EXPECT_EQ(update_error("SET Absent.b = :v", {{":v", 1}}), "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(update_error("SET Brand.b = :v", {{":v", 1}}), "The document path provided in the update expression is invalid for update");
  // REMOVE needs the leaf's parent on an existing item (ScyllaDB Alternator's tests, run on DynamoDB).
  EXPECT_EQ(update_error("REMOVE Absent.Field"), "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(update_error("REMOVE Absent[0]"), "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(update_error("REMOVE Brand.b"), "The document path provided in the update expression is invalid for update");
  EXPECT_EQ(update_error("SET a = Brand + :v", {{":v", 1}}), "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(update_error("SET a = list_append(Brand, :v)", {{":v", List{}}}), "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(update_error("ADD Brand :v", {{":v", 1}}), "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(update_error("ADD Color :v", {{":v", dynamo::NumberSet{1}}}), "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(update_error("DELETE Price :v", {{":v", dynamo::NumberSet{1}}}), "An operand in the update expression has an incorrect data type");
  EXPECT_EQ(update_error("SET Brand = :v", {{":v", 1}}, {"Id", "Brand"}),
            "One or more parameter values were invalid: Cannot update attribute Brand. This attribute is part of the key");
  EXPECT_EQ(update_error("ADD Id.x :v", {{":v", 1}}, {"Id"}),
            "One or more parameter values were invalid: Cannot update attribute Id. This attribute is part of the key");
  // Exact arithmetic refuses a result DynamoDB cannot store rather than rounding it.
  EXPECT_NE(update_error("SET Price = Price + :v", {{":v", Number::parse("9.9999999999999999999999999999999999999e125")}}), "(no error)");
  // Built updates are checked for overlapping paths too.
  EXPECT_THROW((void)apply_update(Update{path("a").set(1), path("a").field("b").set(2)}, product()), dynamo::Error);
}

// Projections keep only the listed paths, nested shapes included.
TEST(Evaluate, Projection) {
  ExpressionAttributes attrs;
  const Item p = project(parse_projection("Brand, RelatedItems[2], RelatedItems[0], ProductReviews.FiveStar[1], Nope", attrs),
                         product());
  const Item expected{
      {"Brand", "Acme"},
      {"RelatedItems", List{341, 649}},
      {"ProductReviews", dynamo::AttributeMap{{"FiveStar", List{"Love it!"}}}},
  };
  EXPECT_EQ(p, expected);
  // A path matching nothing inside a map or list leaves the attribute out, not an empty
  // container (ScyllaDB Alternator's test_projection_expression_path, run on DynamoDB).
  EXPECT_EQ(project(parse_projection("ProductReviews.Nope, RelatedItems[9], Brand.x", attrs), product()), Item{});
}

}  // namespace
