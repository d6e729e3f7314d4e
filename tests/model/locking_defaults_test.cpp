// Optimistic locking of objects that have no version yet (new objects, and items written
// before the model declared a version), directly and in transactions; and default_to() on
// members that always hold a value, through save().
#include <gtest/gtest.h>

#include "model/backend_fixture.hpp"
#include "model/models.hpp"

namespace {

using namespace model_test;
using dynamo::field;

class ModelLockingDefaults : public BackendTest {
 protected:
  // An Office item as written before the model had a version attribute.
  void put_legacy_office(const std::string& id) {
    (void)db_->put_item({.table_name = "Office", .item = {{"office_id", id}, {"name", "legacy"}}});
  }
  bool without_transactions() { return !dynamo::testing::known_gap(GetParam(), "transactions").empty(); }
};

// update() of an object never written creates the item with version 1 (the check is that
// the item has no version, not that its version is 0).
TEST_P(ModelLockingDefaults, UpdateOfNewObject) {
  auto offices = fresh<Office>();
  Office office{.office_id = "new"};
  offices.update(office, {field(&Office::name).set("created by update")});
  EXPECT_EQ(office.version, 1);
  EXPECT_EQ(office.name, "created by update");
  EXPECT_EQ(offices.get("new", {.consistent_read = true}).version, 1);

  // Another object that believes the item is new fails: the item has a version now.
  Office also_new{.office_id = "new"};
  EXPECT_THROW(offices.update(also_new, {field(&Office::name).set("x")}), dynamo::UpdateError);
  EXPECT_THROW(offices.remove(also_new), dynamo::DeleteError);
  EXPECT_EQ(offices.get("new", {.consistent_read = true}).name, "created by update");
}

// An item written before the version attribute existed reads with version 0, and can be
// updated (getting version 1) and removed.
TEST_P(ModelLockingDefaults, ItemsWithoutVersionCanBeUpdatedAndRemoved) {
  auto offices = fresh<Office>();
  put_legacy_office("a");
  put_legacy_office("b");
  Office a = offices.get("a", {.consistent_read = true});
  EXPECT_EQ(a.version, 0);
  offices.update(a, {field(&Office::name).set("updated")});
  EXPECT_EQ(a.version, 1);
  EXPECT_EQ(offices.get("a", {.consistent_read = true}).version, 1);

  const Office b = offices.get("b", {.consistent_read = true});
  offices.remove(b);
  EXPECT_FALSE(offices.find("b", {.consistent_read = true}));
}

// The same in a transaction: update of a new object and of an unversioned item, removal of
// an unversioned item; and an object that believes the item is new is refused.
TEST_P(ModelLockingDefaults, TransactionsOnObjectsWithoutVersion) {
  if (without_transactions()) GTEST_SKIP() << dynamo::testing::known_gap(GetParam(), "transactions");
  auto offices = fresh<Office>();
  put_legacy_office("legacy-update");
  put_legacy_office("legacy-remove");
  Office created{.office_id = "new"};
  Office legacy = offices.get("legacy-update", {.consistent_read = true});
  const Office doomed = offices.get("legacy-remove", {.consistent_read = true});
  {
    dynamo::TransactWrite tx(*db_);
    tx.update(created, {field(&Office::name).set("made in a transaction")});
    tx.update(legacy, {field(&Office::name).set("versioned now")});
    tx.remove(doomed);
    tx.commit();
  }
  EXPECT_EQ(created.version, 1);
  EXPECT_EQ(legacy.version, 1);
  EXPECT_EQ(offices.get("new", {.consistent_read = true}).version, 1);
  EXPECT_EQ(offices.get("legacy-update", {.consistent_read = true}).version, 1);
  EXPECT_FALSE(offices.find("legacy-remove", {.consistent_read = true}));

  Office stale{.office_id = "new"};
  dynamo::TransactWrite late(*db_);
  late.update(stale, {field(&Office::name).set("x")});
  try {
    late.commit();
    ADD_FAILURE() << "the transaction was not cancelled";
  } catch (const dynamo::TransactWriteError& e) {
    ASSERT_EQ(e.cancellation_reasons().size(), 1u);
    EXPECT_EQ(e.cancellation_reasons()[0].code, "ConditionalCheckFailed");
  }
  EXPECT_EQ(stale.version, 0);
}

// save() of an object fills its unset defaulted members, in the object too, so a default
// computed by a function is computed once; a second save writes the same item.
TEST_P(ModelLockingDefaults, SaveFillsDefaults) {
  auto articles = fresh<Article>();
  Article article{.id = "a"};
  articles.save(article);
  EXPECT_EQ(article.title, "untitled");
  EXPECT_EQ(article.rank, 5);
  EXPECT_NE(article.created, dynamo::utc_time{});
  EXPECT_FALSE(article.note);
  const Article stored = articles.get("a", {.consistent_read = true});
  EXPECT_EQ(dynamo::serialize(stored), dynamo::serialize(article));
  articles.save(article);
  EXPECT_EQ(articles.get("a", {.consistent_read = true}).created, article.created);

  articles.save(Article{.id = "b", .title = "set", .rank = 2});
  const Article b = articles.get("b", {.consistent_read = true});
  EXPECT_EQ(b.title, "set");
  EXPECT_EQ(b.rank, 2);
}

INSTANTIATE_TEST_SUITE_P(Backends, ModelLockingDefaults, ::testing::Values("embedded", "dynalite", "server"),
                         [](const auto& row) { return row.param; });

}  // namespace
