// docs/untyped-items.md's code, compiled and run on the embedded engine, in the page's order.
// UntypedItemsDocs.PageShowsOnlyCodeFromHere checks that every C++ block of the page appears
// below, so a snippet cannot change in the page without this file changing with it.
#include <gtest/gtest.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "docs/snippets.hpp"

// The page's opening block.
#include <dynamo/dynamo.hpp>

namespace {

TEST(UntypedItemsDocs, PageShowsOnlyCodeFromHere) {
  EXPECT_EQ(docs_test::blocks_missing_from(DYNAMO_SOURCE_DIR "/docs/untyped-items.md",
                                           DYNAMO_SOURCE_DIR "/tests/docs/untyped_items_test.cpp"),
            "");
}

TEST(UntypedItemsDocs, Walkthrough) {
  // The users table.
  auto db = dynamo::Connection::embedded();
  db.create_table({.table_name = "users",
                   .attribute_definitions = {{"username", dynamo::api::ScalarAttributeType::s}},
                   .key_schema = {{"username", dynamo::api::KeyType::hash}},
                   .billing_mode = dynamo::api::BillingMode::pay_per_request});
  auto users = db.table("users");
  users.put({{"username", "johndoe"}, {"first_name", "John"}, {"last_name", "Doe"}});

  // "Reading an item"
  dynamo::TableItem johndoe = dynamo::TableItem::get(users, {{"username", "johndoe"}});
  std::optional<dynamo::TableItem> jane = dynamo::TableItem::try_get(users, {{"username", "jane"}});
  EXPECT_FALSE(jane);

  // "Attributes"
  std::string first = johndoe["first_name"].as_string();   // "John"
  johndoe["first_name"] = "Johann";                         // strings, numbers, booleans, any AttributeValue
  johndoe["visits"] = 1;
  johndoe["city"] = "Lisbon";
  johndoe.erase("last_name");                               // boto's del item["last_name"]

  bool has_nickname = johndoe.contains("nickname");          // false
  const dynamo::AttributeValue* nickname = johndoe.find("nickname");  // nullptr when absent
  for (const auto& [name, value] : johndoe) std::cout << name << " = " << dynamo::to_plain_json(value) << '\n';
  const dynamo::Item& plain = johndoe.data();               // the attributes as a plain dynamo::Item
  EXPECT_EQ(first, "John");
  EXPECT_FALSE(has_nickname);
  EXPECT_EQ(nickname, nullptr);
  EXPECT_EQ(plain.size(), 4u);

  std::vector<std::string> changed = johndoe.changed();  // city, first_name, last_name, visits
  bool dirty = johndoe.needs_save();                      // true
  EXPECT_EQ(changed, (std::vector<std::string>{"city", "first_name", "last_name", "visits"}));
  EXPECT_TRUE(dirty);

  // "Saving: three ways"
  johndoe.save();
  EXPECT_EQ(users.get({{"username", "johndoe"}}, true), johndoe.data());

  dynamo::TableItem mine = dynamo::TableItem::get(users, {{"username", "johndoe"}}, true);
  dynamo::TableItem theirs = dynamo::TableItem::get(users, {{"username", "johndoe"}}, true);
  theirs["visits"] = 2;
  theirs.partial_save();

  mine["first_name"] = "Jo";
  try {
    mine.save();
  } catch (const dynamo::PutError& e) {
    if (e.code() != dynamo::error_code::conditional_check_failed) throw;
    mine.refresh();            // visits is 2 now
    mine["first_name"] = "Jo";
    mine.save();
  }
  EXPECT_EQ(users.get({{"username", "johndoe"}}, true)->at("visits"), dynamo::AttributeValue(2));
  EXPECT_EQ(users.get({{"username", "johndoe"}}, true)->at("first_name"), dynamo::AttributeValue("Jo"));

  mine["nickname"] = "JD";
  bool sent = mine.partial_save();   // true: one UpdateItem, SET of nickname only
  bool again = mine.partial_save();  // false: nothing changed since
  EXPECT_TRUE(sent);
  EXPECT_FALSE(again);

  // "New items"
  dynamo::TableItem alice(users, {{"username", "alice"}}, {{"first_name", "Alice"}, {"visits", 0}});
  alice.save();
  EXPECT_TRUE(users.get({{"username", "alice"}}, true));

  // "Keys"
  users.put({{"username", "bob"}});
  auto page = users.scan({.consistent_read = true});
  for (const dynamo::Item& stored : *page.items) {
    auto user = dynamo::TableItem::from_read(users, {"username"}, stored);
    if (!user.contains("visits")) {
      user["visits"] = 0;
      user.partial_save();
    }
  }
  EXPECT_EQ(users.get({{"username", "bob"}}, true)->at("visits"), dynamo::AttributeValue(0));

  // "Deleting"
  alice.remove();
  users.remove({{"username", "johndoe"}});
  EXPECT_FALSE(users.get({{"username", "alice"}}, true));
  EXPECT_FALSE(users.get({{"username", "johndoe"}}, true));

  // "Batch writes"
  dynamo::batch_write(users, {"username"}, [&](dynamo::ItemBatchWriter& batch) {
    batch.put_item({{"username", "anotherdoe"}, {"first_name", "Another"}, {"last_name", "Doe"}});
    batch.put_item({{"username", "alice"}, {"first_name", "Alice"}});
    batch.delete_item({{"username", "jane"}});
  });
  EXPECT_TRUE(users.get({{"username", "anotherdoe"}}, true));
  EXPECT_TRUE(users.get({{"username", "alice"}}, true));

  // "Many calls at once": on the embedded engine the handler has run when the call returns.
  testing::internal::CaptureStdout();
  {
    auto pending = users.get_item_async({.key = {{"username", "alice"}}});
    // ... other work while the call is on the wire ...
    std::optional<dynamo::Item> found = pending.get().item;

    users.get_item_async({.key = {{"username", "anotherdoe"}}}, [](dynamo::Outcome<dynamo::api::GetItemResponse> got) {
      if (!got) return;  // got.get() would throw the call's error
      if (got.get().item) std::cout << got.get().item->at("first_name").as_string() << "\n";
    });
    ASSERT_TRUE(found);
    EXPECT_EQ(found->at("first_name").as_string(), "Alice");
  }
  EXPECT_EQ(testing::internal::GetCapturedStdout(), "Another\n");
}

}  // namespace
