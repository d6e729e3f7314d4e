// boto's DynamoDB v2 tutorial, "Items" and "Batch writing", without a model: a user read as
// a dict-like dynamo::TableItem, changed and saved three ways (checked save, overwrite,
// partial save), a save refused because someone else changed the item first, and a hundred
// users written in a batch. docs/untyped-items.md is the guide.
#include <dynamo/dynamo.hpp>

#include <cstdlib>
#include <iostream>

#include "example_connection.hpp"

// Only to create (and recreate) the table: the items below are read and written untyped.
struct UserKey {
  std::string username{};
};

template <>
struct dynamo::model<UserKey> {
  static auto schema() { return dynamo::table<UserKey>("UntypedUsers").hash_key("username", &UserKey::username); }
};

namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    std::cerr << "FAILED: " << what << "\n";
    std::exit(1);
  }
}

}  // namespace

int main() {
  auto db = examples::connection();
  examples::recreate(dynamo::table_of<UserKey>(db));
  auto users = db.table("UntypedUsers");
  std::cout << "users table on " << examples::where() << "\n";

  // boto: users.put_item(data={...}), then users.get_item(username='johndoe').
  users.put({{"username", "johndoe"}, {"first_name", "John"}, {"last_name", "Doe"}});
  dynamo::TableItem johndoe = dynamo::TableItem::get(users, {{"username", "johndoe"}}, true);
  std::cout << "read " << dynamo::to_plain_json(johndoe.data()) << "\n";

  // Changes stay local until saved; save() checks that the item is still as read.
  johndoe["first_name"] = "Johann";
  johndoe["city"] = "Lisbon";
  johndoe.erase("last_name");
  check(johndoe.save(), "save() sends the changed item");
  check(!johndoe.save(), "a second save() without changes sends nothing");
  std::cout << "saved " << dynamo::to_plain_json(johndoe.data()) << "\n";

  // Someone else changes the item: our save() is refused, overwrite wins.
  dynamo::TableItem theirs = dynamo::TableItem::get(users, {{"username", "johndoe"}}, true);
  theirs["first_name"] = "Jack";
  theirs.save();
  johndoe["city"] = "Porto";
  try {
    johndoe.save();
    check(false, "save() over someone else's change is refused");
  } catch (const dynamo::PutError& e) {
    check(e.code() == dynamo::error_code::conditional_check_failed, "the refusal is a failed condition");
    std::cout << "save() refused: the item changed since it was read\n";
  }
  johndoe.save({.overwrite = true});
  check(users.get({{"username", "johndoe"}}, true)->at("first_name") == dynamo::AttributeValue("Johann"),
        "overwrite replaced the item");
  std::cout << "save({.overwrite = true}) replaced it\n";

  // partial_save() sends only what changed, and leaves other writers' attributes alone.
  theirs.refresh();
  theirs["visits"] = 2;
  theirs.partial_save();
  johndoe["nickname"] = "JD";
  check(johndoe.partial_save(), "partial_save() sends the new attribute");
  auto stored = users.get({{"username", "johndoe"}}, true);
  check(stored->at("visits") == dynamo::AttributeValue(2) && stored->contains("nickname"),
        "both writers' attributes are kept");
  std::cout << "after two partial saves: " << dynamo::to_plain_json(*stored) << "\n";

  // boto: with users.batch_write() as batch: ... (25 writes per request).
  std::size_t written = 0;
  dynamo::batch_write(users, {"username"}, [&](dynamo::ItemBatchWriter& batch) {
    for (int i = 0; i < 100; ++i) {
      batch.put_item({{"username", "user-" + std::to_string(i)}, {"first_name", "User"}, {"number", i}});
    }
    batch.delete_item({{"username", "user-0"}});
    batch.commit();
    written = batch.written();
  });
  check(written == 101, "the batch wrote 100 users and deleted one");
  std::cout << "batch: " << written << " writes\n";

  johndoe.remove();
  check(!users.get({{"username", "johndoe"}}, true), "remove() deleted the item");
  std::cout << "johndoe deleted\n";
  return 0;
}
