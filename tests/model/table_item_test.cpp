// TableItem and the untyped batch_write (dynamo/model/table_item.hpp) on the embedded engine
// and through dynamo-server: boto's dict-like Item with save(), save(overwrite),
// partial_save() and delete(), and its batch writer. A counting backend checks which
// requests each call sends.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "dynamo/model/table_item.hpp"
#include "model/backend_fixture.hpp"
#include "model/forwarding_backend.hpp"

// The tables of these tests, created through a model so that the fixture can make them
// fresh; the tests read and write them without the model.
struct ItemUser {
  std::string username{};
};
template <>
struct dynamo::model<ItemUser> {
  static auto schema() { return dynamo::table<ItemUser>("TableItemUsers").hash_key("username", &ItemUser::username); }
};

struct ItemPost {
  std::string forum{};
  std::string subject{};
};
template <>
struct dynamo::model<ItemPost> {
  static auto schema() {
    return dynamo::table<ItemPost>("TableItemPosts")
        .hash_key("forum", &ItemPost::forum)
        .range_key("subject", &ItemPost::subject);
  }
};

namespace {

using dynamo::AttributeValue;
using dynamo::Item;
using dynamo::TableItem;
using model_test::ForwardingBackend;
using model_test::StingyBackend;

// Counts the item writes and keeps the last UpdateItem request.
class CountingBackend : public ForwardingBackend {
 public:
  using ForwardingBackend::ForwardingBackend;

  dynamo::api::PutItemResponse put_item(const dynamo::api::PutItemRequest& request) override {
    ++puts;
    return inner_->put_item(request);
  }
  dynamo::api::UpdateItemResponse update_item(const dynamo::api::UpdateItemRequest& request) override {
    ++updates;
    {
      std::lock_guard lock(mutex_);
      last_update_ = request;
    }
    return inner_->update_item(request);
  }
  dynamo::api::DeleteItemResponse delete_item(const dynamo::api::DeleteItemRequest& request) override {
    ++deletes;
    return inner_->delete_item(request);
  }
  dynamo::api::BatchWriteItemResponse batch_write_item(const dynamo::api::BatchWriteItemRequest& request) override {
    ++batch_writes;
    return inner_->batch_write_item(request);
  }
  dynamo::api::DescribeTableResponse describe_table(const dynamo::api::DescribeTableRequest& request) override {
    ++describes;
    return inner_->describe_table(request);
  }

  [[nodiscard]] int writes() const { return puts + updates + deletes + batch_writes; }
  [[nodiscard]] dynamo::api::UpdateItemRequest last_update() {
    std::lock_guard lock(mutex_);
    return last_update_;
  }

  std::atomic<int> puts{0}, updates{0}, deletes{0}, batch_writes{0}, describes{0};

 private:
  std::mutex mutex_;
  dynamo::api::UpdateItemRequest last_update_;
};

class TableItemTest : public model_test::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped()) return;
    counting_ = std::make_shared<CountingBackend>(db_->shared_backend());
    (void)fresh<ItemUser>();
  }

  // The users table through the counting backend.
  [[nodiscard]] dynamo::TableConnection users() const { return dynamo::Connection(counting_).table("TableItemUsers"); }
  // The stored item, read strongly consistently, or nullopt.
  [[nodiscard]] std::optional<Item> stored(const std::string& username) const {
    return db_->table("TableItemUsers").get({{"username", username}}, true);
  }
  void put_johndoe() const {
    db_->table("TableItemUsers").put({{"username", "johndoe"}, {"first_name", "John"}, {"last_name", "Doe"}, {"visits", 3}});
  }

  std::shared_ptr<CountingBackend> counting_;
};

// The name of the key-value pair each expression placeholder stands for, sorted.
std::vector<std::string> named_attributes(const dynamo::api::UpdateItemRequest& request) {
  std::vector<std::string> names;
  if (request.expression_attribute_names) {
    for (const auto& entry : *request.expression_attribute_names) names.push_back(entry.second);
  }
  std::sort(names.begin(), names.end());
  return names;
}

bool is_conditional_check_failure(const dynamo::Error& e) { return e.code() == dynamo::error_code::conditional_check_failed; }

// boto's read-modify-save: the item is read, changed locally, and saved whole; a second
// save() without changes sends nothing.
TEST_P(TableItemTest, ReadModifySave) {
  put_johndoe();
  TableItem johndoe = TableItem::get(users(), {{"username", "johndoe"}}, true);
  EXPECT_TRUE(johndoe.was_read());
  EXPECT_FALSE(johndoe.needs_save());
  EXPECT_EQ(johndoe["first_name"].as_string(), "John");
  johndoe["first_name"] = "Johann";
  johndoe["city"] = "Lisbon";
  EXPECT_TRUE(johndoe.erase("last_name"));
  EXPECT_EQ(johndoe.changed(), (std::vector<std::string>{"city", "first_name", "last_name"}));
  EXPECT_TRUE(johndoe.needs_save());
  EXPECT_TRUE(johndoe.save());
  EXPECT_EQ(counting_->puts.load(), 1);
  EXPECT_EQ(stored("johndoe"), johndoe.data());
  EXPECT_FALSE(johndoe.needs_save());
  EXPECT_FALSE(johndoe.save());
  EXPECT_FALSE(johndoe.partial_save());
  EXPECT_EQ(counting_->writes(), 1);
  EXPECT_EQ(counting_->describes.load(), 0);  // keys come from the key read, never from DescribeTable
}

// A new item is written only when no item has its key; with overwrite it replaces it.
TEST_P(TableItemTest, NewItemSavedOnlyIfAbsent) {
  TableItem jane(users(), {{"username", "jane"}}, {{"first_name", "Jane"}});
  EXPECT_FALSE(jane.was_read());
  EXPECT_TRUE(jane.needs_save());
  EXPECT_TRUE(jane.save());
  EXPECT_EQ(stored("jane"), (Item{{"username", "jane"}, {"first_name", "Jane"}}));

  TableItem other(users(), {{"username", "jane"}}, {{"first_name", "Other"}});
  try {
    other.save();
    ADD_FAILURE() << "the second new item with the key was saved";
  } catch (const dynamo::PutError& e) {
    EXPECT_TRUE(is_conditional_check_failure(e)) << e.what();
  }
  EXPECT_TRUE(other.needs_save());  // unchanged by the failure
  EXPECT_TRUE(other.save({.overwrite = true}));
  EXPECT_EQ(stored("jane"), (Item{{"username", "jane"}, {"first_name", "Other"}}));

  EXPECT_THROW(TableItem(users(), {}), dynamo::ModelUsageError);
  EXPECT_THROW(TableItem(users(), {{"username", "a"}}, {{"username", "b"}}), dynamo::ModelUsageError);
}

// save() is refused when someone changed, erased or added an attribute the item read or
// added since it was read; save(overwrite) then wins; refresh() reads the stored item again.
TEST_P(TableItemTest, SaveRefusedAfterConcurrentChange) {
  put_johndoe();
  TableItem mine = TableItem::get(users(), {{"username", "johndoe"}}, true);
  TableItem theirs = TableItem::get(users(), {{"username", "johndoe"}}, true);
  theirs["visits"] = 4;
  EXPECT_TRUE(theirs.save());

  mine["first_name"] = "Johann";  // another attribute than theirs: still refused
  try {
    mine.save();
    ADD_FAILURE() << "saved over a concurrent change";
  } catch (const dynamo::PutError& e) {
    EXPECT_TRUE(is_conditional_check_failure(e)) << e.what();
  }
  EXPECT_EQ(stored("johndoe")->at("visits"), AttributeValue(4));
  EXPECT_EQ(mine.original().at("visits"), AttributeValue(3));  // the item is as before the call

  EXPECT_TRUE(mine.save({.overwrite = true}));
  EXPECT_EQ(stored("johndoe"), mine.data());
  EXPECT_EQ(stored("johndoe")->at("visits"), AttributeValue(3));

  // An attribute erased by someone else, and one added by someone else that this item adds too.
  TableItem a = TableItem::get(users(), {{"username", "johndoe"}}, true);
  TableItem b = TableItem::get(users(), {{"username", "johndoe"}}, true);
  b.erase("last_name");
  b["nickname"] = "JD";
  EXPECT_TRUE(b.save());
  a["first_name"] = "J.";
  EXPECT_THROW(a.save(), dynamo::PutError);
  a.refresh();
  EXPECT_EQ(a.data(), b.data());
  EXPECT_FALSE(a.needs_save());
  a["nickname"] = "Johnny";
  EXPECT_TRUE(a.save());

  TableItem c = TableItem::get(users(), {{"username", "johndoe"}}, true);
  TableItem d = TableItem::get(users(), {{"username", "johndoe"}}, true);
  c["age"] = 40;
  d["age"] = 41;
  EXPECT_TRUE(c.save());
  EXPECT_THROW(d.save(), dynamo::PutError);  // "age" must not have existed
}

// The conditions compare maps, lists and sets whole: an unchanged item of every type saves,
// and a change deep inside a map is seen.
TEST_P(TableItemTest, DocumentAttributesInConditions) {
  db_->table("TableItemUsers")
      .put({{"username", "doc"},
            {"address", dynamo::AttributeMap{{"city", "Paris"}, {"zip", 75001}}},
            {"history", dynamo::List{1, "two", dynamo::AttributeMap{{"three", true}}}},
            {"tags", dynamo::StringSet{"a", "b"}},
            {"scores", dynamo::NumberSet{1, 2}},
            {"raw", dynamo::Binary{0, 1}},
            {"nothing", dynamo::Null{}}});
  TableItem mine = TableItem::get(users(), {{"username", "doc"}}, true);
  TableItem theirs = TableItem::get(users(), {{"username", "doc"}}, true);
  mine["visits"] = 1;
  EXPECT_TRUE(mine.save());
  theirs["visits"] = 1;
  EXPECT_THROW(theirs.save(), dynamo::PutError);  // "visits" exists now

  TableItem a = TableItem::get(users(), {{"username", "doc"}}, true);
  TableItem b = TableItem::get(users(), {{"username", "doc"}}, true);
  dynamo::AttributeMap moved = b.at("address").as_map();
  moved.insert_or_assign("zip", 75002);
  b["address"] = moved;
  EXPECT_TRUE(b.partial_save());
  a["tags"] = dynamo::StringSet{"c"};
  EXPECT_TRUE(a.partial_save());   // another attribute than b's
  a["visits"] = 2;
  EXPECT_THROW(a.save(), dynamo::PutError);  // the address changed since a read it
}

// As in boto, save() cannot see an attribute someone else added that this item never had
// (no condition can name it): the PutItem drops it. partial_save() leaves it alone.
TEST_P(TableItemTest, AttributeAddedByOthersIsDroppedBySaveOnly) {
  put_johndoe();
  TableItem mine = TableItem::get(users(), {{"username", "johndoe"}}, true);
  TableItem theirs = TableItem::get(users(), {{"username", "johndoe"}}, true);
  theirs["nickname"] = "JD";
  EXPECT_TRUE(theirs.partial_save());
  mine["first_name"] = "Johann";
  EXPECT_TRUE(mine.partial_save());
  EXPECT_EQ(stored("johndoe")->at("nickname"), AttributeValue("JD"));
  mine["visits"] = 4;
  EXPECT_TRUE(mine.save());
  EXPECT_FALSE(stored("johndoe")->contains("nickname"));
}

// partial_save() sends one UpdateItem naming only the changed attributes (SET the changed and
// added, REMOVE the erased), leaves attributes others changed alone, and a second one sends nothing.
TEST_P(TableItemTest, PartialSaveSendsOnlyTheChanges) {
  put_johndoe();
  TableItem johndoe = TableItem::get(users(), {{"username", "johndoe"}}, true);
  // Someone else changes an attribute this item does not touch.
  db_->table("TableItemUsers").put({{"username", "johndoe"}, {"first_name", "John"}, {"last_name", "Doe"}, {"visits", 9}});

  johndoe["first_name"] = "Johann";
  johndoe["city"] = "Lisbon";
  johndoe.erase("last_name");
  EXPECT_TRUE(johndoe.partial_save());
  EXPECT_EQ(counting_->updates.load(), 1);
  EXPECT_EQ(counting_->writes(), 1);
  const auto request = counting_->last_update();
  EXPECT_EQ(named_attributes(request), (std::vector<std::string>{"city", "first_name", "last_name"}));
  ASSERT_TRUE(request.update_expression);
  EXPECT_NE(request.update_expression->find("SET "), std::string::npos) << *request.update_expression;
  EXPECT_NE(request.update_expression->find("REMOVE "), std::string::npos) << *request.update_expression;
  EXPECT_EQ(request.key, (Item{{"username", "johndoe"}}));
  ASSERT_TRUE(request.condition_expression);  // first_name and last_name as read, city absent
  EXPECT_NE(request.condition_expression->find("attribute_not_exists("), std::string::npos)
      << *request.condition_expression;
  EXPECT_EQ(stored("johndoe"), (Item{{"username", "johndoe"},
                                     {"first_name", "Johann"},
                                     {"city", "Lisbon"},
                                     {"visits", 9}}));
  EXPECT_FALSE(johndoe.needs_save());
  EXPECT_EQ(johndoe.original(), johndoe.data());
  EXPECT_FALSE(johndoe.partial_save());
  EXPECT_EQ(counting_->writes(), 1);
}

// partial_save() is refused when an attribute it changes was changed by someone else.
TEST_P(TableItemTest, PartialSaveRefusedWhenItsAttributeChanged) {
  put_johndoe();
  TableItem mine = TableItem::get(users(), {{"username", "johndoe"}}, true);
  TableItem theirs = TableItem::get(users(), {{"username", "johndoe"}}, true);
  theirs["visits"] = 10;
  EXPECT_TRUE(theirs.partial_save());
  mine["visits"] = 4;
  try {
    mine.partial_save();
    ADD_FAILURE() << "partial_save over a concurrent change";
  } catch (const dynamo::UpdateError& e) {
    EXPECT_TRUE(is_conditional_check_failure(e)) << e.what();
  }
  EXPECT_TRUE(mine.needs_save());
  EXPECT_EQ(stored("johndoe")->at("visits"), AttributeValue(10));

  // A new item's partial_save creates it with the key (boto's UpdateItem).
  TableItem fresh_user(users(), {{"username", "newbie"}}, {{"first_name", "New"}});
  EXPECT_TRUE(fresh_user.partial_save());
  EXPECT_EQ(stored("newbie"), (Item{{"username", "newbie"}, {"first_name", "New"}}));
  EXPECT_TRUE(fresh_user.was_read());
}

// A key attribute cannot be changed in place: partial_save() and save() refuse before
// sending anything; save(overwrite) writes the item under its new key.
TEST_P(TableItemTest, KeyChangeRefused) {
  put_johndoe();
  TableItem johndoe = TableItem::get(users(), {{"username", "johndoe"}}, true);
  johndoe["username"] = "johnny";
  try {
    johndoe.partial_save();
    ADD_FAILURE() << "the key was updated";
  } catch (const dynamo::ModelUsageError& e) {
    EXPECT_NE(std::string(e.what()).find("key attribute \"username\" was changed to \"johnny\""), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(johndoe.save(), dynamo::ModelUsageError);
  EXPECT_THROW(johndoe.remove(), dynamo::ModelUsageError);
  johndoe.erase("username");
  EXPECT_THROW(johndoe.partial_save(), dynamo::ModelUsageError);
  EXPECT_THROW(johndoe.save({.overwrite = true}), dynamo::ModelUsageError);
  EXPECT_EQ(counting_->writes(), 0);

  johndoe["username"] = "johnny";
  EXPECT_TRUE(johndoe.save({.overwrite = true}));
  EXPECT_EQ(stored("johnny")->at("first_name"), AttributeValue("John"));
  EXPECT_TRUE(stored("johndoe"));  // the old item stays
  EXPECT_EQ(johndoe.key(), (Item{{"username", "johnny"}}));
}

// remove() deletes by key; the TableItem then counts as new, and save() writes it again.
TEST_P(TableItemTest, Remove) {
  put_johndoe();
  TableItem johndoe = TableItem::get(users(), {{"username", "johndoe"}}, true);
  johndoe.remove();
  EXPECT_EQ(counting_->deletes.load(), 1);
  EXPECT_FALSE(stored("johndoe"));
  EXPECT_FALSE(johndoe.was_read());
  EXPECT_TRUE(johndoe.needs_save());
  EXPECT_THROW((void)TableItem::get(users(), {{"username", "johndoe"}}, true), dynamo::DoesNotExist);
  EXPECT_FALSE(TableItem::try_get(users(), {{"username", "johndoe"}}, true));
  EXPECT_THROW(johndoe.refresh(), dynamo::DoesNotExist);
  EXPECT_TRUE(johndoe.save());
  EXPECT_EQ(stored("johndoe"), johndoe.data());
}

// Items of a table with a range key, read by a query and wrapped with from_read().
TEST_P(TableItemTest, RangeKeyAndFromRead) {
  (void)fresh<ItemPost>();
  auto posts = dynamo::Connection(counting_).table("TableItemPosts");
  TableItem post(posts, {{"forum", "C++"}, {"subject", "Modules"}}, {{"views", 1}});
  EXPECT_TRUE(post.save());
  auto scanned = posts.scan({.consistent_read = true});
  ASSERT_TRUE(scanned.items);
  ASSERT_EQ(scanned.items->size(), 1u);
  TableItem read = TableItem::from_read(posts, {"forum", "subject"}, scanned.items->front());
  EXPECT_EQ(read.key(), (Item{{"forum", "C++"}, {"subject", "Modules"}}));
  read["views"] = 2;
  EXPECT_TRUE(read.partial_save());
  EXPECT_EQ(TableItem::get(posts, {{"forum", "C++"}, {"subject", "Modules"}}, true)["views"].as_number(),
            dynamo::Number(2));
  EXPECT_THROW((void)TableItem::from_read(posts, {"forum", "subject"}, {{"forum", "C++"}}), dynamo::ModelUsageError);
  EXPECT_FALSE(post.save());  // nothing changed here: nothing sent
}

// The untyped batch writer sends 25 writes per request: 60 puts are 3 requests.
TEST_P(TableItemTest, BatchWriteSixtyItemsInThreeRequests) {
  dynamo::batch_write(users(), {"username"}, [&](dynamo::ItemBatchWriter& batch) {
    for (int i = 0; i < 60; ++i) batch.put_item({{"username", "user" + std::to_string(i)}, {"n", i}});
    EXPECT_EQ(batch.pending(), 10u);  // 50 went out in two full requests already
    EXPECT_EQ(batch.written(), 50u);
  });
  EXPECT_EQ(counting_->batch_writes.load(), 3);
  EXPECT_EQ(stored("user59")->at("n"), AttributeValue(59));
  auto scanned = db_->table("TableItemUsers").scan({.select = dynamo::api::Select::count, .consistent_read = true});
  EXPECT_EQ(scanned.count, 60);

  dynamo::batch_write(users(), {"username"}, [&](dynamo::ItemBatchWriter& batch) {
    batch.delete_item({{"username", "user0"}});
    TableItem item(users(), {{"username", "user1"}}, {{"n", 100}});
    batch.put_item(item);
    EXPECT_THROW(batch.put_item({{"n", 1}}), dynamo::ModelUsageError);
    EXPECT_THROW(batch.delete_item({{"username", "user2"}, {"n", 2}}), dynamo::ModelUsageError);
  });
  EXPECT_FALSE(stored("user0"));
  EXPECT_EQ(stored("user1")->at("n"), AttributeValue(100));
  EXPECT_EQ(counting_->batch_writes.load(), 4);
}

// What is queued is sent when the body ends, also when it throws (the body's error propagates).
TEST_P(TableItemTest, BatchWriteCommitsAtScopeEnd) {
  EXPECT_THROW(dynamo::batch_write(users(), {"username"},
                                   [&](dynamo::ItemBatchWriter& batch) {
                                     for (int i = 0; i < 30; ++i) batch.put_item({{"username", "u" + std::to_string(i)}});
                                     throw std::runtime_error("stop");
                                   }),
               std::runtime_error);
  EXPECT_EQ(counting_->batch_writes.load(), 2);
  EXPECT_TRUE(stored("u29"));

  // Without auto_commit nothing is sent before the body ends.
  dynamo::batch_write(
      users(), {"username"},
      [&](dynamo::ItemBatchWriter& batch) {
        for (int i = 0; i < 30; ++i) batch.delete_item({{"username", "u" + std::to_string(i)}});
        EXPECT_EQ(counting_->batch_writes.load(), 2);
        EXPECT_EQ(batch.pending(), 30u);
      },
      {.auto_commit = false});
  EXPECT_EQ(counting_->batch_writes.load(), 4);
  EXPECT_FALSE(stored("u29"));
}

INSTANTIATE_TEST_SUITE_P(Backends, TableItemTest, ::testing::Values("embedded", "server"),
                         [](const auto& row) { return row.param; });

// ---- no backend needed ------------------------------------------------------------------

// The dict-like interface: read, assign (strings, numbers, booleans, values), compare,
// erase, iterate; nothing is sent.
TEST(TableItemAccess, DictLike) {
  auto users = dynamo::Connection::embedded().table("users");
  TableItem item(users, {{"username", "johndoe"}}, {{"first_name", "John"}});
  EXPECT_EQ(item["first_name"].as_string(), "John");
  EXPECT_TRUE(item["first_name"] == "John");
  EXPECT_FALSE(item["missing"] == "John");
  EXPECT_FALSE(item["missing"].exists());
  EXPECT_EQ(item["missing"].get(), nullptr);
  try {
    (void)item["missing"].value();
    ADD_FAILURE() << "read an absent attribute";
  } catch (const dynamo::Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing"), std::string::npos) << e.what();
  }
  item["visits"] = 3;
  item["score"] = 2.5;
  item["active"] = true;
  item["tags"] = dynamo::StringSet{"a", "b"};
  item["copy"] = item["first_name"];
  const AttributeValue& first = item["first_name"];
  EXPECT_EQ(first, AttributeValue("John"));
  EXPECT_EQ(item.at("visits"), AttributeValue(3));
  EXPECT_EQ(item.at("score").as_number(), dynamo::Number::parse("2.5"));
  EXPECT_TRUE(item.at("active").as_bool());
  EXPECT_EQ(item.at("copy"), AttributeValue("John"));
  EXPECT_TRUE(item.contains("tags"));
  EXPECT_TRUE(item.erase("tags"));
  EXPECT_FALSE(item.erase("tags"));
  EXPECT_EQ(item.keys(), (std::vector<std::string>{"active", "copy", "first_name", "score", "username", "visits"}));
  std::size_t n = 0;
  for (const auto& [name, value] : item) {
    EXPECT_EQ(item.find(name), &value);
    ++n;
  }
  EXPECT_EQ(n, item.size());
  const TableItem& read_only = item;
  EXPECT_EQ(read_only["username"], AttributeValue("johndoe"));
  EXPECT_THROW((void)read_only["nope"], dynamo::Error);
  EXPECT_EQ(item.key(), (Item{{"username", "johndoe"}}));
  EXPECT_EQ(item.changed(), item.keys());  // a new item: everything is new
}

// ---- unprocessed writes -----------------------------------------------------------------


// Unprocessed writes are sent again until all are done; when none ever is, BatchIncomplete
// holds them.
TEST(TableItemBatchUnprocessed, ResentUntilDone) {
  const auto engine = dynamo::Connection::embedded();
  auto stingy = std::make_shared<StingyBackend>(engine.shared_backend(), 10);
  const dynamo::Connection db(stingy);
  dynamo::table_of<ItemUser>(db).create_table({.wait = true});
  const dynamo::auth::RetryPolicy quick{.max_retry_attempts = 3, .base_backoff_ms = 1};
  dynamo::batch_write(
      db.table("TableItemUsers"), {"username"},
      [](dynamo::ItemBatchWriter& batch) {
        for (int i = 0; i < 60; ++i) batch.put_item({{"username", "user" + std::to_string(i)}});
      },
      {.retry = quick});
  // Requests of 25, 25 and 10 writes, of which each call applies 10: 3 + 3 + 1 calls.
  EXPECT_EQ(stingy->batch_calls.load(), 7);
  EXPECT_EQ(engine.table("TableItemUsers").scan({.select = dynamo::api::Select::count}).count, 60);

  auto nothing = std::make_shared<StingyBackend>(engine.shared_backend(), 0);
  try {
    dynamo::batch_write(
        dynamo::Connection(nothing).table("TableItemUsers"), {"username"},
        [](dynamo::ItemBatchWriter& batch) { batch.delete_item({{"username", "user1"}}); }, {.retry = quick});
    ADD_FAILURE() << "no BatchIncomplete";
  } catch (const dynamo::BatchIncomplete& e) {
    ASSERT_EQ(e.unprocessed_writes().size(), 1u);
    EXPECT_TRUE(e.unprocessed_writes()[0].delete_request);
  }
  EXPECT_EQ(nothing->batch_calls.load(), 4);  // the first attempt and 3 retries
}

}  // namespace
